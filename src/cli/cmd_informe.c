/* cmd_informe.c - `observa informe`: the national informe (PDF, XLSX) and metricas.csv. */
#include <stdio.h>
#include <sysexits.h>

#include "cli.h"

static const char help[] =
    "Uso: observa informe -s SOLICITUDES.csv -d DIFUSION.csv -c AAAA-MM-DD [opciones]\n"
    "\n"
    "Genera el Informe sobre el seguimiento al procedimiento de acreditación de las y los\n"
    "observadores electorales con corte a la fecha indicada: informe.pdf, su gemelo\n"
    "informe.xlsx, metricas.csv y rechazos.csv en el directorio de salida.\n"
    "\n"
    "Opciones:\n"
    CLI_HELP_INPUTS
    "  -c, --corte AAAA-MM-DD        fecha de corte (inclusive); obligatoria\n"
    "  -a, --corte-anterior AAAA-MM-DD  corte anterior, para comparar (opcional)\n"
    "  -o, --salida DIR              directorio de salida (predeterminado: salida/AAAA-MM-DD)\n"
    "  -f, --formatos LISTA          pdf,xlsx,csv (predeterminado: los tres)\n"
    CLI_HELP_READING
    CLI_HELP_EXIT;

int cmd_informe(int argc, char **argv)
{
    cli c = {.command = "informe"};
    obs_run *run = NULL;
    int rc = cli_parse(&c, argc, argv, NULL, help);
    if (rc < 0)
        rc = cli_require_inputs(&c, true);
    if (rc < 0)
        rc = cli_load_catalog(&c);
    if (rc < 0 && (c.cfg.formatos & (OBS_FMT_PDF | OBS_FMT_XLSX)))
        rc = cli_load_template(&c, "informe.tpl", OBS_TPL_INFORME, NULL);
    char *dflt = c.cfg.corte ? cli_default_salida(c.cfg.corte) : NULL;
    if (rc < 0)
        rc = cli_open_output(&c, dflt);
    g_free(dflt);
    if (rc < 0)
        rc = cli_run(&c, &run);
    if (rc < 0) {
        cli_print_totals(&c, run);
        if (c.cfg.estricto && obs_run_rechazadas(run) > 0) {
            rc = cli_commit_ledger(&c);
            if (rc < 0) {
                cli_say("modo estricto: hay %" G_GUINT64_FORMAT " filas rechazadas; no se generó el "
                        "informe. Corrija las filas de %s/rechazos.csv o quite --estricto.",
                        obs_run_rechazadas(run), obs_output_dir(c.out));
                rc = EX_DATAERR;
            }
        } else {
            rc = cli_write_informe(&c, run);
            if (rc < 0)
                rc = cli_commit_ledger(&c);
            if (rc < 0) {
                if (!c.quiet)
                    cli_say("listo: %zu archivos en %s/", obs_output_count(c.out), obs_output_dir(c.out));
                rc = 0;
            }
        }
    }
    obs_run_free(run);
    cli_clear(&c);
    return rc;
}
