/* cmd_informe.c - `observa informe`: the national informe (PDF, XLSX) and metricas.csv. */
#include <stdio.h>

#include "cli.h"

static const char help[] =
    "Uso: observa informe -s SOLICITUDES.csv -d DIFUSION.csv -c AAAA-MM-DD [opciones]\n"
    "\n"
    "Genera el Informe sobre el seguimiento al procedimiento de acreditación de las y los\n"
    "observadores electorales con corte a la fecha indicada: informe.pdf, su gemelo\n"
    "informe.xlsx, metricas.csv, rechazos.csv y manifest.json en el directorio de salida.\n"
    "\n"
    "Opciones:\n"
    CLI_HELP_INPUTS
    "  -c, --corte AAAA-MM-DD        fecha de corte (inclusive); obligatoria\n"
    "  -a, --corte-anterior AAAA-MM-DD  corte anterior, para comparar (opcional)\n"
    "  -o, --salida DIR              directorio de salida (predeterminado: salida/AAAA-MM-DD);\n"
    "                                {corte} se sustituye por la fecha de corte\n"
    "  -f, --formatos LISTA          pdf,xlsx,csv (predeterminado: los tres)\n"
    CLI_HELP_WRITE
    CLI_HELP_READING
    CLI_HELP_EXIT;

int cmd_informe(int argc, char **argv)
{
    cli c = {.command = "informe", .accepts = CLI_OPTS_WRITE, .formatos_ok = OBS_FMT_ALL,
             .documentos = OBS_DOC_INFORME | OBS_DOC_METRICAS};
    int rc = cli_parse(&c, argc, argv, NULL, help);
    if (rc < 0)
        rc = cli_produce_for_corte(&c);
    cli_clear(&c);
    return rc;
}
