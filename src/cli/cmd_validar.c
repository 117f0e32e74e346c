/* cmd_validar.c - `observa validar`: checks the inputs, prints control totals, writes rechazos.csv. */
#include <stdio.h>
#include <sysexits.h>

#include "cli.h"

static const char help[] =
    "Uso: observa validar -s SOLICITUDES.csv -d DIFUSION.csv [-c AAAA-MM-DD] [opciones]\n"
    "\n"
    "Revisa las dos exportaciones sin generar informes: muestra los totales de control\n"
    "(leídas = aceptadas + rechazadas) y el porcentaje de filas rechazadas de cada archivo\n"
    "frente a --max-rechazadas, y escribe rechazos.csv con cada problema encontrado (archivo,\n"
    "línea, columna, campo, valor, nivel y motivo). Con -c también separa las filas del corte\n"
    "de las posteriores al corte. Nunca escribe en una carpeta con un conjunto entregado\n"
    "(con manifest.json): su rechazos.csv es parte de ese conjunto.\n"
    "\n"
    "Opciones:\n"
    CLI_HELP_INPUTS
    "  -c, --corte AAAA-MM-DD        fecha de corte (opcional)\n"
    "  -o, --salida DIR              directorio de salida (predeterminado: salida/validacion,\n"
    "                                o salida/validacion/AAAA-MM-DD con -c)\n"
    CLI_HELP_READING_HEAD
    "      --max-rechazadas PORCENTAJE  el máximo con que se compara el porcentaje de filas\n"
    "                                rechazadas de cada archivo (predeterminado: 5); validar\n"
    "                                sólo lo informa y termina con 0 aunque se pase, o aunque\n"
    "                                todas las filas de un archivo se rechacen: con --estricto,\n"
    "                                cualquier fila rechazada termina con 65\n"
    CLI_HELP_THREADS
    "  -q, --silencioso              sin la línea de avance: los totales de control, los\n"
    "                                avisos, los errores y el resultado se muestran igual\n"
    CLI_HELP_VERBOSE
    "\n"
    "Estado de salida: 0 correcto, aunque haya filas rechazadas (también más que\n"
    "--max-rechazadas); 64 uso incorrecto (también una opción que validar no usa, o una\n"
    "entrada que es una salida); 65 un archivo inutilizable (no es texto, sin encabezado), o\n"
    "filas rechazadas con --estricto; 66 no se puede leer una entrada; 73 no se puede crear la\n"
    "carpeta de salida (también una carpeta con un conjunto entregado); 74 error de escritura;\n"
    "75 otra ejecución usa la carpeta de salida; 78 error de configuración o de plantillas.\n";

int cmd_validar(int argc, char **argv)
{
    cli c = {.command = "validar", .accepts = CLI_OPTS_READ | CLI_OPT_SALIDA};
    int rc = cli_parse(&c, argc, argv, NULL, help);
    if (rc < 0)
        rc = cli_require_inputs(&c, false);
    if (rc < 0)
        rc = cli_load_catalog(&c);
    char *dflt = NULL;
    if (c.cfg.corte) {
        char iso[16];
        obs_day_iso(c.cfg.corte, iso, sizeof iso);
        dflt = g_build_filename("salida", "validacion", iso, NULL);
    } else {
        dflt = g_build_filename("salida", "validacion", NULL);
    }
    if (rc < 0)
        rc = cli_open_output(&c, dflt); /* c.documentos == 0: rechazos.csv only */
    g_free(dflt);
    if (rc < 0)
        rc = cli_read(&c);
    if (rc < 0) {
        obs_gate_report_share(obs_produce_run(c.prod), c.cfg.max_rechazadas, cli_notice, &c);
        rc = cli_finish(&c);
    }
    if (rc < 0) {
        uint64_t bad = obs_run_rechazadas(obs_produce_run(c.prod));
        if (bad == 0)
            cli_say("validación correcta: ninguna fila rechazada");
        else {
            char n[2 * OBS_FMT_MAX];
            cli_say("%s; vea %s/rechazos.csv",
                    obs_fmt_count(n, sizeof n, (int64_t)bad, "fila rechazada", "filas rechazadas"),
                    obs_produce_dir(c.prod));
        }
        rc = (c.cfg.estricto && bad > 0) ? EX_DATAERR : 0;
    }
    cli_clear(&c);
    return rc;
}
