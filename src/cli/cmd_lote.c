/* cmd_lote.c - `observa lote`: everything a configuration asks for, in one unattended run (cron). */
#include <stdio.h>

#include "cli.h"

static const char help[] =
    "Uso: observa lote --config ARCHIVO [opciones]\n"
    "\n"
    "Ejecución desatendida (cron, systemd): lee las exportaciones una sola vez y genera todo lo\n"
    "que pide la configuración ([salida] documentos = informe, opl, oficio, oficio_opl, metricas;\n"
    "predeterminado: todo) en el directorio de salida, con rechazos.csv y manifest.json. Toma un\n"
    "candado sobre el directorio: una segunda ejecución simultánea termina con estado 75 sin\n"
    "tocar nada. Cada archivo se escribe con un nombre temporal y se renombra al terminar.\n"
    "\n"
    "La configuración (--config, obligatoria) se describe en sample-data/lote.ini.\n"
    "\n"
    "Opciones:\n"
    CLI_HELP_INPUTS
    "  -c, --corte AAAA-MM-DD        sustituye el corte de la configuración\n"
    "  -a, --corte-anterior AAAA-MM-DD  sustituye el corte anterior\n"
    "  -o, --salida DIR              sustituye el directorio de salida; como [salida]\n"
    "                                directorio, puede llevar {corte} (salida/{corte})\n"
    "  -f, --formatos LISTA          pdf,xlsx,csv\n"
    CLI_HELP_WRITE
    CLI_HELP_READING
    CLI_HELP_EXIT;

int cli_lote(const char *command, const char *help_text, int argc, char **argv)
{
    cli c = {.command = command, .accepts = CLI_OPTS_WRITE, .formatos_ok = OBS_FMT_ALL};
    int rc = cli_parse(&c, argc, argv, NULL, help_text);
    if (rc < 0 && !c.opt.config)
        rc = cli_usage_error(&c, "falta la configuración (--config lote.ini)");
    if (rc < 0) {
        c.documentos = c.cfg.documentos ? c.cfg.documentos : OBS_DOC_ALL;
        rc = cli_produce_for_corte(&c);
    }
    cli_clear(&c);
    return rc;
}

int cmd_lote(int argc, char **argv)
{
    return cli_lote("lote", help, argc, argv);
}
