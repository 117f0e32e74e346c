/* cmd_demo.c - `observa demo`: the full report set from the bundled sample data. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "Uso: observa demo [-o DIR] [opciones]\n"
    "\n"
    "Genera el conjunto completo de resultados a partir de los datos de ejemplo incluidos\n"
    "(sample-data/: solicitudes.csv, difusion.csv y demo.ini) con las plantillas\n"
    "predeterminadas, en salida/demo/, e indica dónde consultarlos.\n"
    "\n"
    "Opciones:\n"
    "  -o, --salida DIR              directorio de salida (predeterminado: salida/demo)\n"
    "  -t, --plantillas DIR          directorio de plantillas y catálogos\n"
    "  -q, --silencioso              solo avisos, errores y el resumen final\n"
    "  -h, --help                    muestra esta ayuda\n";

int cmd_demo(int argc, char **argv)
{
    char *sample = cli_sample_dir();
    if (!sample) {
        fprintf(stderr, "observa demo: no se encuentran los datos de ejemplo (sample-data/demo.ini); "
                        "ejecute observa demo desde el directorio del proyecto o instálelo con "
                        "meson install\n");
        return 66;
    }
    char *ini = g_build_filename(sample, "demo.ini", NULL);
    /* demo = lote with the bundled configuration; the user's options still override it. */
    GPtrArray *args = g_ptr_array_new();
    g_ptr_array_add(args, argv[0]);
    g_ptr_array_add(args, "--config");
    g_ptr_array_add(args, ini);
    bool has_out = false;
    for (int i = 1; i < argc; i++) {
        /* -o DIR, -oDIR, --salida DIR, --salida=DIR: the user's output directory. */
        if (g_str_has_prefix(argv[i], "-o") || g_str_has_prefix(argv[i], "--salida"))
            has_out = true;
        g_ptr_array_add(args, argv[i]);
    }
    if (!has_out) {
        g_ptr_array_add(args, "-o");
        g_ptr_array_add(args, "salida/demo");
    }
    g_ptr_array_add(args, NULL);
    /* lote's parsing, with this command's name and help: the same usage errors (an option
     * given twice included) and --help after them. */
    int rc = cli_lote("demo", help, (int)args->len - 1, (char **)args->pdata);
    bool want_help = false;
    for (int i = 1; i < argc; i++)
        want_help |= strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0;
    if (rc == 0 && !want_help)
        fprintf(stderr, "observa: el conjunto de demostración está en %s/: informe.pdf e informe.xlsx "
                        "(informe nacional), opl/ (32 resúmenes por OPL), oficio.pdf y oficio_opl/ "
                        "(exhortos), metricas.csv, rechazos.csv y manifest.json\n",
                has_out ? "el directorio indicado" : "salida/demo");
    g_ptr_array_free(args, TRUE);
    g_free(ini);
    g_free(sample);
    return rc;
}
