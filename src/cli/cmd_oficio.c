/* cmd_oficio.c - `observa oficio`: the oficio asking the OPLs with few outreach actions to do more. */
#include <stdio.h>

#include "cli.h"

static const char help[] =
    "Uso: observa oficio -s SOLICITUDES.csv -d DIFUSION.csv -c AAAA-MM-DD --config ARCHIVO [--por-opl]\n"
    "\n"
    "Genera oficio.pdf, el oficio de exhorto a reforzar las acciones de difusión, con el anexo de\n"
    "los OPL con bajo número de acciones, sus cifras y la regla aplicada. Con --por-opl genera\n"
    "además un oficio por cada OPL señalado, dirigido a su Presidencia (oficio_opl/CC_ETIQUETA.pdf).\n"
    "Número de oficio, lugar, fecha, destinatario, firmante, sesión de la Comisión y copias vienen\n"
    "de la sección [oficio] de la configuración (vea sample-data/lote.ini); cada oficio lleva su\n"
    "propio número. Si ningún OPL está señalado al corte, no se escribe ningún oficio.\n"
    "\n"
    "Opciones:\n"
    CLI_HELP_INPUTS
    "  -c, --corte AAAA-MM-DD        fecha de corte (inclusive); obligatoria\n"
    "  -a, --corte-anterior AAAA-MM-DD  corte anterior (opcional)\n"
    "      --por-opl                 también un oficio por OPL señalado\n"
    "  -o, --salida DIR              directorio de salida (predeterminado: salida/AAAA-MM-DD);\n"
    "                                {corte} se sustituye por la fecha de corte\n"
    CLI_HELP_WRITE
    CLI_HELP_READING
    CLI_HELP_EXIT;

int cmd_oficio(int argc, char **argv)
{
    /* The letters are PDF only: no -f. */
    cli c = {.command = "oficio", .accepts = CLI_OPTS_WRITE & ~CLI_OPT_FORMATOS, .documentos = OBS_DOC_OFICIO};
    gboolean por_opl = FALSE;
    const GOptionEntry extra[] = {
        {"por-opl", 0, 0, G_OPTION_ARG_NONE, &por_opl, NULL, NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    int rc = cli_parse(&c, argc, argv, extra, help);
    if (por_opl)
        c.documentos |= OBS_DOC_OFICIO_OPL;
    if (rc < 0)
        rc = cli_produce_for_corte(&c);
    cli_clear(&c);
    return rc;
}
