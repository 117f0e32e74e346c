/* main.c - the observa command: dispatches to one subcommand per file. */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "observa_build.h"

static const char usage[] =
    "Uso: observa COMANDO [opciones]\n"
    "\n"
    "Informes de seguimiento a la acreditación de observadoras y observadores electorales\n"
    "a partir de las exportaciones del Sistema de Observadores y Observadoras Electorales.\n"
    "\n"
    "Comandos:\n"
    "  informe    informe nacional para la CCOE (PDF y XLSX), métricas y rechazos\n"
    "  opl        un resumen por OPL (PDF y XLSX) para que la UTVOPL lo envíe a cada OPL\n"
    "  oficio     el oficio de exhorto a los OPL con bajo número de acciones de difusión\n"
    "  lote       todo lo que pide una configuración, en una ejecución desatendida (cron)\n"
    "  metricas   métricas en formato largo (CSV) en la salida estándar\n"
    "  validar    revisa las exportaciones: totales de control y rechazos.csv\n"
    "  demo       genera el conjunto completo con los datos de ejemplo en salida/demo/\n"
    "  historial  las corridas registradas: lista, detalle, publicación y exportación\n"
    "  servir     observa en el navegador: generar, descargar y publicar (servicio web)\n"
    "  acceso     los tokens de cada OPL para observa servir: crear, listar, revocar\n"
    "\n"
    "Ejemplo:\n"
    "  observa informe -s solicitudes.csv -d difusion.csv -c 2023-10-12 -a 2023-10-05\n"
    "\n"
    "Use «observa COMANDO --help» para ver las opciones de cada comando.\n"
    "Otras opciones: --help (esta ayuda), --version (versión de observa).\n";

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } commands[] = {
        {"informe", cmd_informe},
        {"metricas", cmd_metricas},
        {"validar", cmd_validar},
        {"opl", cmd_opl},
        {"oficio", cmd_oficio},
        {"lote", cmd_lote},
        {"demo", cmd_demo},
        {"historial", cmd_historial},
        {"servir", cmd_servir},
        {"acceso", cmd_acceso},
    };
    if (argc < 2) {
        fputs(usage, stderr);
        return EX_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "ayuda") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("observa %s\n", OBS_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "observa: comando desconocido: «%s»\n\n%s", cmd, usage);
    return EX_USAGE;
}
