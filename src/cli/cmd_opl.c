/* cmd_opl.c - `observa opl`: one summary per OPL (PDF + XLSX) for UTVOPL to send to each OPL. */
#include <stdio.h>

#include "cli.h"

static const char help[] =
    "Uso: observa opl -s SOLICITUDES.csv -d DIFUSION.csv -c AAAA-MM-DD [--entidad CLAVE] [opciones]\n"
    "\n"
    "Genera el resumen de cada OPL (opl/CC_ETIQUETA.pdf y .xlsx, por ejemplo opl/15_IEEM.pdf):\n"
    "sus acciones de difusión frente a la mediana nacional y el umbral, sus acciones por tipo y\n"
    "por semana, sus solicitudes y los cambios desde el corte anterior. Cada archivo contiene\n"
    "sólo las cifras de su entidad y los agregados nacionales.\n"
    "\n"
    "Opciones:\n"
    CLI_HELP_INPUTS
    "  -c, --corte AAAA-MM-DD        fecha de corte (inclusive); obligatoria\n"
    "  -a, --corte-anterior AAAA-MM-DD  corte anterior, para comparar (opcional)\n"
    "      --entidad CLAVE           sólo el OPL de esa entidad (1 a 32); predeterminado: los 32\n"
    "  -o, --salida DIR              directorio de salida (predeterminado: salida/AAAA-MM-DD);\n"
    "                                {corte} se sustituye por la fecha de corte\n"
    "  -f, --formatos LISTA          pdf,xlsx (predeterminado: ambos)\n"
    CLI_HELP_WRITE
    CLI_HELP_READING
    CLI_HELP_EXIT;

int cmd_opl(int argc, char **argv)
{
    cli c = {.command = "opl", .accepts = CLI_OPTS_WRITE, .formatos_ok = OBS_FMT_PDF | OBS_FMT_XLSX,
             .documentos = OBS_DOC_OPL};
    char *entidad = NULL;
    const GOptionEntry extra[] = {
        {"entidad", 0, 0, G_OPTION_ARG_STRING, &entidad, NULL, NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    int rc = cli_parse(&c, argc, argv, extra, help);
    int64_t clave = 0;
    /* Decimal, like every integer option: "010" is 10 (never octal 8), "09" is 9. */
    if (rc < 0 && entidad && !obs_config_parse_entero(entidad, 1, OBS_ENTIDADES, &clave))
        rc = cli_usage_error(&c, "--entidad «%s» no es válida: indique la clave de la entidad, de 1 a 32 "
                                 "(por ejemplo 15 o 09)",
                             entidad);
    c.entidad = (int)clave;
    if (rc < 0 && !(c.cfg.formatos & (OBS_FMT_PDF | OBS_FMT_XLSX)))
        c.cfg.formatos |= OBS_FMT_PDF | OBS_FMT_XLSX; /* [salida] formatos = csv: opl writes no CSV */
    if (rc < 0)
        rc = cli_produce_for_corte(&c);
    g_free(entidad);
    cli_clear(&c);
    return rc;
}
