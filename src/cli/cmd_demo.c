/* cmd_demo.c - `observa demo`: the full report set from the bundled sample data. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "Uso: observa demo [-o DIR] [opciones]\n"
    "\n"
    "Genera el conjunto completo de resultados a partir de los datos de ejemplo incluidos\n"
    "(sample-data/: solicitudes.csv, difusion.csv y demo.ini) con las plantillas\n"
    "predeterminadas, en salida/demo/, e indica dónde consultarlos y la orden equivalente\n"
    "(observa demo es observa lote con sample-data/demo.ini). Sólo sustituye una demostración\n"
    "anterior: una carpeta con el conjunto de otro comando se rechaza (73), sea cual sea su corte.\n"
    "\n"
    "Opciones:\n"
    "  -o, --salida DIR              directorio de salida (predeterminado: salida/demo)\n"
    "  -t, --plantillas DIR          directorio de plantillas y catálogos\n"
    "      --hilos N                 hilos de trabajo (predeterminado: uno por núcleo)\n"
    "  -q, --silencioso              sin la línea de avance: sólo avisos, errores, los\n"
    "                                totales de control y dónde quedó el conjunto\n"
    "  -v, --detallado               muestra todos los problemas, no solo los primeros\n"
    "  -h, --help                    muestra esta ayuda\n"
    CLI_HELP_EXIT;

/* "observa lote --config …/demo.ini -o salida/demo [-t DIR]": what this run was. */
static char *equivalent_command(const cli *c, const char *dir)
{
    char *ini = cli_shell_word(c->opt.config), *out = cli_shell_word(dir);
    GString *s = g_string_new(NULL);
    g_string_printf(s, "observa lote --config %s -o %s", ini, out);
    if (c->opt.plantillas) {
        char *t = cli_shell_word(c->opt.plantillas);
        g_string_append_printf(s, " -t %s", t);
        g_free(t);
    }
    g_free(ini);
    g_free(out);
    return g_string_free(s, FALSE);
}

int cmd_demo(int argc, char **argv)
{
    char *sample = cli_sample_dir();
    if (!sample) {
        fprintf(stderr, "observa demo: no se encuentran los datos de ejemplo (sample-data/demo.ini); "
                        "ejecute observa demo desde el directorio del proyecto o instálelo con "
                        "meson install\n");
        return 66;
    }
    /* demo = lote with the bundled configuration, which the user does not choose: only where
     * to write, the templates and how to run are options here. */
    cli c = {.command = "demo",
             .history_in_folder = true,
             .accepts = CLI_OPT_SALIDA | CLI_OPT_PLANTILLAS | CLI_OPT_HILOS | CLI_OPT_SILENCIOSO | CLI_OPT_DETALLADO,
             .formatos_ok = OBS_FMT_ALL};
    c.opt.config = g_build_filename(sample, "demo.ini", NULL);
    int rc = cli_parse(&c, argc, argv, NULL, help);
    if (rc < 0) {
        if (!c.opt.salida) {
            g_free(c.cfg.salida);
            c.cfg.salida = g_strdup("salida/demo");
        }
        c.documentos = c.cfg.documentos ? c.cfg.documentos : OBS_DOC_ALL;
        rc = cli_produce_for_corte(&c);
    }
    if (rc == 0 && c.prod) { /* not after --help */
        char *abs = g_canonicalize_filename(obs_produce_dir(c.prod), NULL);
        char *cmd = equivalent_command(&c, obs_produce_dir(c.prod));
        fprintf(stderr,
                "observa: el conjunto de demostración está en %s/: informe.pdf e informe.xlsx (informe "
                "nacional), opl/ (32 resúmenes por OPL), oficio.pdf y oficio_opl/ (exhortos), metricas.csv, "
                "rechazos.csv y manifest.json. Es lo que escribe «%s».\n",
                abs, cmd);
        g_free(cmd);
        g_free(abs);
    }
    cli_clear(&c);
    g_free(sample);
    return rc;
}
