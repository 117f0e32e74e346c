/* cmd_metricas.c - `observa metricas`: metricas.csv to standard output. */
#include <errno.h>
#include <stdio.h>
#include <sysexits.h>

#include "cli.h"

static const char help[] =
    "Uso: observa metricas -s SOLICITUDES.csv -d DIFUSION.csv -c AAAA-MM-DD [-a AAAA-MM-DD]\n"
    "\n"
    "Escribe en la salida estándar las métricas en formato largo (corte,entidad,metrica,valor)\n"
    "para el corte y, si se indica, el corte anterior: las 32 entidades y el total nacional (00).\n"
    "Los problemas de las filas se informan en la salida de errores; no se escribe ningún archivo.\n"
    "\n"
    "Opciones:\n"
    CLI_HELP_INPUTS
    "  -c, --corte AAAA-MM-DD        fecha de corte (inclusive); obligatoria\n"
    "  -a, --corte-anterior AAAA-MM-DD  corte anterior (opcional)\n"
    CLI_HELP_READING_HEAD
    CLI_HELP_MAX_REJECTED
    CLI_HELP_THREADS
    "  -q, --silencioso              sólo avisos y errores: sin la línea de avance ni los\n"
    "                                totales de control (salvo que haya filas rechazadas)\n"
    CLI_HELP_VERBOSE
    "\n"
    "Estado de salida: 0 correcto; 64 uso incorrecto (también una opción que metricas no usa,\n"
    "como -o); 65 datos no válidos (un archivo inutilizable, con más filas rechazadas que\n"
    "--max-rechazadas o con todas rechazadas, o filas rechazadas con --estricto): entonces no\n"
    "se escribe ninguna métrica; 66 no se puede leer una entrada; 74 error al escribir en la\n"
    "salida estándar; 78 error de configuración o de plantillas.\n";

int cmd_metricas(int argc, char **argv)
{
    cli c = {.command = "metricas", .accepts = CLI_OPTS_READ | CLI_OPT_ANTERIOR};
    obs_run *run = NULL;
    int rc = cli_parse(&c, argc, argv, NULL, help);
    if (rc < 0)
        rc = cli_require_inputs(&c, true);
    if (rc < 0)
        rc = cli_load_catalog(&c);
    if (rc < 0)
        rc = cli_run(&c, &run);
    if (rc < 0) {
        if (!c.quiet || obs_run_rechazadas(run) > 0)
            cli_print_totals(&c, run);
        if (c.cfg.estricto && obs_run_rechazadas(run) > 0) {
            char n[2 * OBS_FMT_MAX];
            cli_say("modo estricto: hay %s", obs_fmt_count(n, sizeof n, (int64_t)obs_run_rechazadas(run),
                                                           "fila rechazada", "filas rechazadas"));
            rc = EX_DATAERR;
        } else if (cli_check_rejected(&c, run) >= 0) {
            rc = EX_DATAERR; /* figures the inputs do not support are not printed either */
        } else {
            GString *csv = g_string_new(NULL);
            const obs_snapshot *snaps[2] = {run->actual, run->anterior};
            obs_metricas_csv(run->cube, snaps, run->anterior ? 2 : 1, csv);
            bool ok = fwrite(csv->str, 1, csv->len, stdout) == csv->len && fflush(stdout) == 0;
            int e = errno;
            g_string_free(csv, TRUE);
            if (!ok)
                cli_say("error al escribir en la salida estándar: %s", obs_strerror(e));
            rc = ok ? 0 : EX_IOERR;
        }
    }
    obs_run_free(run);
    cli_clear(&c);
    return rc;
}
