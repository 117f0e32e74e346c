/* test_opciones.c - options each command accepts, decimal integers, and messages in Spanish with file:line. */
#include <glib.h>
#include <glib/gstdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cli_run.h"

#define CORTE "2023-10-12"

typedef basico_fixture fixture;

static char *in_tmp(const fixture *f, const char *rel)
{
    return basico_tmp(f, rel);
}

static result observa_env(const fixture *f, const char *const *args, const char *const *env)
{
    return observa_in(f->tmp, args, env);
}

static result observa(const fixture *f, const char *const *args)
{
    return observa_in(f->tmp, args, NULL);
}

#define expect expect_run

/* English from GLib or libc that must never reach the user. */
static void assert_no_english(const char *err)
{
    const char *english[] = {"No such file", "Is a directory", "Not a directory", "Permission denied",
                             "Cannot parse", "Unknown option", "CRITICAL", "Failed to", "Key file"};
    for (size_t i = 0; i < G_N_ELEMENTS(english); i++)
        if (strstr(err, english[i]))
            fail_msg("English «%s» in: %s", english[i], err);
}

/* ---- an option a command does nothing for ------------------------------------------------------ */

/* Every common option, and whether it takes a value. */
static const struct {
    const char *name;
    bool value;
} common[] = {
    {"solicitudes", true}, {"difusion", true},     {"corte", true},          {"corte-anterior", true},
    {"salida", true},      {"formatos", true},     {"plantillas", true},     {"config", true},
    {"codificacion", true}, {"delimitador", true}, {"estricto", false},      {"max-rechazadas", true},
    {"reemplazar", false}, {"hilos", true},        {"silencioso", false},    {"detallado", false},
    {"hoja", true},
};

/* True when a command's --help lists --name as one of its options: a line "  -x, --name …" or
 * "      --name …" (not a mention in the prose). */
static bool help_lists(const char *help, const char *name)
{
    char *opt = g_strconcat("--", name, NULL);
    size_t n = strlen(opt);
    char **lines = g_strsplit(help, "\n", -1);
    bool found = false;
    for (char **l = lines; *l && !found; l++) {
        const char *p = *l;
        while (*p == ' ')
            p++;
        if (p == *l || *p != '-')
            continue;
        if (p[1] != '-' && p[2] == ',' && p[3] == ' ')
            p += 4; /* "-o, " */
        found = strncmp(p, opt, n) == 0 && (p[n] == ' ' || p[n] == '\0');
    }
    g_strfreev(lines);
    g_free(opt);
    return found;
}

/*
 * For each command, each common option is accepted exactly when its --help lists it; any other
 * is a usage error (64) naming the command and the option, before anything is read or written.
 */
static void test_an_option_a_command_does_nothing_for_is_a_usage_error(void **state)
{
    fixture *f = *state;
    const char *commands[] = {"informe", "opl", "oficio", "lote", "validar", "metricas", "demo"};
    unsigned refused = 0;
    for (size_t c = 0; c < G_N_ELEMENTS(commands); c++) {
        result h = observa(f, (const char *const[]){commands[c], "--help", NULL});
        expect(&h, 0, NULL);
        for (size_t i = 0; i < G_N_ELEMENTS(common); i++) {
            char *opt = g_strconcat("--", common[i].name, NULL);
            /* An invalid --hilos stops every accepted case before any work (demo would run). */
            bool is_hilos = strcmp(common[i].name, "hilos") == 0;
            GPtrArray *args = g_ptr_array_new();
            g_ptr_array_add(args, (char *)commands[c]);
            g_ptr_array_add(args, opt);
            if (common[i].value)
                g_ptr_array_add(args, is_hilos ? "x" : "2023-10-12");
            if (!is_hilos) {
                g_ptr_array_add(args, "--hilos");
                g_ptr_array_add(args, "x");
            }
            g_ptr_array_add(args, NULL);
            result r = observa(f, (const char *const *)args->pdata);
            g_ptr_array_free(args, TRUE);
            char *says = g_strdup_printf("«observa %s» no usa la opción «--%s»", commands[c], common[i].name);
            bool listed = help_lists(h.out, common[i].name);
            if (listed == (strstr(r.err, says) != NULL))
                fail_msg("observa %s %s (%s in --help): exit %d, %s", commands[c], opt, listed ? "listed" : "not listed",
                         r.status, r.err);
            if (!listed) {
                refused++;
                assert_int_equal(r.status, 64);
                assert_true(g_str_has_prefix(r.err, "observa "));
            }
            g_free(says);
            g_free(opt);
            result_clear(&r);
        }
        result_clear(&h);
    }
    /* metricas -o, -f, -a for validar, -f for oficio, --reemplazar where nothing is delivered, … */
    assert_int_equal(refused, 3 + 3 + 1 + 12); /* metricas, validar, oficio, demo */
    /* The two examples, with short options: the message names both spellings. */
    char *out = in_tmp(f, "no-debe-existir");
    result r = observa(f, (const char *const[]){"metricas", "-s", f->sol, "-d", f->dif, "-c", CORTE, "-o", out, NULL});
    expect(&r, 64, (const char *const[]){"«observa metricas» no usa la opción «-o» («--salida»)", NULL});
    result_clear(&r);
    r = observa(f, (const char *const[]){"validar", "-s", f->sol, "-d", f->dif, "-f", "pdf", "-o", out, NULL});
    expect(&r, 64, (const char *const[]){"«observa validar» no usa la opción «-f» («--formatos»)", NULL});
    result_clear(&r);
    /* A format the command cannot write is refused too. */
    r = observa(f, (const char *const[]){"opl", "-s", f->sol, "-d", f->dif, "-c", CORTE, "-f", "csv", "-o", out, NULL});
    expect(&r, 64, (const char *const[]){"«observa opl» no genera csv", NULL});
    result_clear(&r);
    assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
    g_free(out);
}

/* ---- integers are decimal ------------------------------------------------------------------------ */

static void test_integer_options_are_decimal(void **state)
{
    fixture *f = *state;
    const struct {
        const char *value;
        const char *file; /* the one summary written, or NULL: refused */
    } cases[] = {{"010", "opl/10_IEPC_Durango.pdf"}, {"09", "opl/09_IECM.pdf"}, {"15", "opl/15_IEEM.pdf"},
                 {"0x0f", NULL},  {"abc", NULL}, {"33", NULL}, {"0", NULL}, {"-1", NULL}, {"", NULL}};
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *out = in_tmp(f, "entidad");
        remove_tree(out);
        result r = observa(f, (const char *const[]){"opl", "-s", f->sol, "-d", f->dif, "-c", CORTE, "-f", "pdf",
                                                    "--entidad", cases[i].value, "-o", out, "--max-rechazadas", "100",
                                                    "-q", NULL});
        assert_no_english(r.err);
        if (cases[i].file) {
            expect(&r, 0, NULL);
            GHashTable *files = snapshot_dir(out, FALSE);
            if (!g_hash_table_contains(files, cases[i].file))
                fail_msg("--entidad %s did not write %s", cases[i].value, cases[i].file);
            assert_int_equal(g_hash_table_size(files), 3); /* the summary, rechazos.csv, manifest.json */
            g_hash_table_destroy(files);
        } else {
            char *says = g_strdup_printf("--entidad «%s» no es válida", cases[i].value);
            expect(&r, 64, (const char *const[]){says, "de 1 a 32", NULL});
            g_free(says);
        }
        result_clear(&r);
        g_free(out);
    }
    const char *bad[][2] = {{"--hilos", "abc"}, {"--hilos", "0x10"}, {"--hilos", "0"}, {"--hilos", "257"},
                            {"--max-rechazadas", "cinco"}, {"--max-rechazadas", "101"}, {"--max-rechazadas", "-5"}};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        result r = observa(f, (const char *const[]){"metricas", "-s", f->sol, "-d", f->dif, "-c", CORTE, bad[i][0],
                                                    bad[i][1], NULL});
        char *says = g_strdup_printf("%s «%s» no es válido", bad[i][0], bad[i][1]);
        expect(&r, 64, (const char *const[]){says, NULL});
        assert_no_english(r.err);
        g_free(says);
        result_clear(&r);
    }
    result r = observa(f, (const char *const[]){"metricas", "-s", f->sol, "-d", f->dif, "-c", CORTE, "--hilos", "010",
                                                "--max-rechazadas", "100", "-q", NULL});
    expect(&r, 0, NULL);
    result_clear(&r);
}

/* ---- messages ------------------------------------------------------------------------------------ */

static void test_demo_names_its_folder_and_command(void **state)
{
    fixture *f = *state;
    result r = observa(f, (const char *const[]){"demo", "-o", "mi-demo", "-q", NULL});
    char *abs = g_build_filename(f->tmp, "mi-demo", NULL);
    char *real = g_canonicalize_filename(abs, NULL);
    char *where = g_strdup_printf("el conjunto de demostración está en %s/", real);
    expect(&r, 0, (const char *const[]){where, "observa lote --config ", "demo.ini -o mi-demo", NULL});
    assert_null(strstr(r.err, "el directorio indicado"));
    char *informe = g_build_filename(real, "informe.pdf", NULL);
    assert_true(g_file_test(informe, G_FILE_TEST_EXISTS));
    result_clear(&r);
    /* A demonstration of another corte is replaced by the next one; a delivered set is not. */
    char *manifest = g_build_filename(real, "manifest.json", NULL);
    const char *by[] = {"demo", "lote"};
    for (size_t i = 0; i < G_N_ELEMENTS(by); i++) {
        char *fake = g_strdup_printf("{\"herramienta\": \"observa\", \"comando\": \"%s\", \"corte\": "
                                     "\"2020-01-01\", \"estado\": 0, \"salidas\": []}\n",
                                     by[i]);
        write_file_text(manifest, fake);
        r = observa(f, (const char *const[]){"demo", "-o", "mi-demo", "-q", NULL});
        expect(&r, i == 0 ? 0 : 73, NULL);
        result_clear(&r);
        g_free(fake);
    }
    g_free(manifest);
    g_free(informe);
    g_free(where);
    g_free(real);
    g_free(abs);
}

/* ---- what --help says is what the command does ------------------------------------------------ */

/* Every command's --help ends with its exit statuses; validar's says it exits 0 above
 * --max-rechazadas (65 only with --estricto), as it does; metricas' lists no status it never uses. */
static void test_help_states_exit_status_truthfully(void **state)
{
    fixture *f = *state;
    const char *commands[] = {"informe", "opl", "oficio", "lote", "validar", "metricas", "demo", "historial",
                              "acceso", "servir"};
    for (size_t c = 0; c < G_N_ELEMENTS(commands); c++) {
        result h = observa(f, (const char *const[]){commands[c], "--help", NULL});
        expect(&h, 0, NULL);
        if (!strstr(h.out, "\nEstado de salida: 0 "))
            fail_msg("observa %s --help has no exit statuses:\n%s", commands[c], h.out);
        result_clear(&h);
    }
    result h = observa(f, (const char *const[]){"validar", "--help", NULL});
    assert_null(strstr(h.out, "no se genera nada (65)"));
    assert_non_null(strstr(h.out, "termina con 0 aunque se pase"));
    assert_non_null(strstr(h.out, "--estricto,\n                                cualquier fila rechazada termina con 65"));
    result_clear(&h);
    char *out = in_tmp(f, "ayuda-validar");
    /* basico: 47.1% of solicitudes rejected, far above the default 5%, and 0 unless --estricto. */
    result r = observa(f, (const char *const[]){"validar", "-s", f->sol, "-d", f->dif, "-o", out, "-q", NULL});
    expect(&r, 0, (const char *const[]){"más que el máximo de 5%", NULL});
    result_clear(&r);
    r = observa(f, (const char *const[]){"validar", "-s", f->sol, "-d", f->dif, "-o", out, "-q", "--estricto", NULL});
    expect(&r, 65, NULL);
    result_clear(&r);
    h = observa(f, (const char *const[]){"metricas", "--help", NULL});
    const char *exit_text = strstr(h.out, "Estado de salida");
    assert_non_null(exit_text);
    assert_null(strstr(exit_text, " 73 "));
    assert_null(strstr(exit_text, " 75 "));
    assert_non_null(strstr(exit_text, "74 error al escribir en la\nsalida estándar"));
    result_clear(&h);
    g_free(out);
}

/* -q hides the progress line and the closing summary («listo: …» and the run's number in the
 * history, with the command that publishes it), as --help says; warnings and totals stay. */
static void test_quiet_hides_what_help_says(void **state)
{
    fixture *f = *state;
    char *hist = in_tmp(f, "silencioso.sqlite");
    for (int quiet = 0; quiet < 2; quiet++) {
        char *out = in_tmp(f, quiet ? "silencioso-q" : "silencioso");
        result r = observa(f, (const char *const[]){"informe", "-s", f->sol, "-d", f->dif, "-c", CORTE, "-o", out,
                                                    "--max-rechazadas", "100", "-f", "csv", "--historial", hist,
                                                    quiet ? "-q" : NULL, NULL});
        /* cli.md: with -q, warnings, errors and the final summary (where the set is, the run to publish). */
        expect(&r, 0, (const char *const[]){"filas leídas", "listo: ", "márquela con «observa historial publicar ",
                                            NULL});
        result_clear(&r);
        g_free(out);
    }
    result h = observa(f, (const char *const[]){"informe", "--help", NULL});
    assert_non_null(strstr(h.out, "sin la línea de avance: sólo avisos, errores, los\n"));
    assert_non_null(strstr(h.out, "totales de control y el resumen final («listo: …» y el\n"));
    result_clear(&h);
    g_free(hist);
}

/* An empty path ("-o ''", "--historial=", "--datos ''") is a usage error naming the option, for
 * every command, and nothing is read, written or recorded. */
static void test_empty_path_is_a_usage_error(void **state)
{
    fixture *f = *state;
    char *out = in_tmp(f, "vacia-no-debe-existir"), *hist = in_tmp(f, "vacia.sqlite");
    const char *const cases[][14] = {
        {"informe", "-s", f->sol, "-d", f->dif, "-c", CORTE, "-o", "", NULL},
        {"validar", "-s", f->sol, "-d", f->dif, "--salida=", NULL},
        {"informe", "-s", f->sol, "-d", f->dif, "-c", CORTE, "-o", out, "--historial", "", NULL},
        {"informe", "-s", "", "-d", f->dif, "-c", CORTE, "-o", out, NULL},
        {"historial", "exportar", "-o", "", "--historial", hist, NULL},
        {"acceso", "listar", "--datos", "", NULL},
        {"servir", "--datos", "", NULL},
    };
    const char *said[] = {"la opción «-o» («--salida») está vacía: indique una ruta",
                          "la opción «-o» («--salida») está vacía",
                          "la opción «--historial» está vacía",
                          "la opción «-s» («--solicitudes») está vacía",
                          "la opción «-o» («--salida») está vacía",
                          "la opción «--datos» está vacía",
                          "la opción «--datos» está vacía"};
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        result r = observa(f, cases[i]);
        expect(&r, 64, (const char *const[]){said[i], NULL});
        assert_null(strstr(r.err, "argumento no válido"));
        assert_null(strstr(r.err, "filas leídas"));
        result_clear(&r);
    }
    assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
    assert_false(g_file_test(hist, G_FILE_TEST_EXISTS));
    g_free(hist);
    g_free(out);
}

/* System errors under LC_ALL=C (the test environment) are Spanish, as is every usage error. */
static void test_system_errors_are_spanish(void **state)
{
    fixture *f = *state;
    char *blocker = in_tmp(f, "un-archivo");
    g_file_set_contents(blocker, "x", 1, NULL);
    char *under = g_build_filename(blocker, "salida", NULL);
    const struct {
        const char *args[12];
        int status;
        const char *says;
    } cases[] = {
        {{"informe", "-s", f->sol, "-d", f->dif, "-c", CORTE, "-o", under, NULL}, 73,
         "una parte de la ruta no es un directorio"},
        {{"informe", "-s", "no-existe.csv", "-d", f->dif, "-c", CORTE, NULL}, 66, "no existe"},
        {{"informe", "--config", "/", NULL}, 78, "es un directorio"},
        {{"lote", "--config", "no-existe.ini", NULL}, 66, "no existe el archivo o el directorio"},
        {{"informe", "--corte", NULL}, 64, "falta el valor de la opción «--corte»"},
        {{"informe", "--nada", NULL}, 64, "opción desconocida"},
        {{"informe", "-s", f->sol, "-d", f->dif, "-c", CORTE, "-a", "2023-10-13", NULL}, 64,
         "el corte anterior (2023-10-13) debe ser una fecha anterior al corte (2023-10-12); indique otro con -a"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        result r = observa(f, cases[i].args);
        expect(&r, cases[i].status, (const char *const[]){cases[i].says, NULL});
        assert_no_english(r.err);
        result_clear(&r);
    }
    g_free(under);
    g_free(blocker);
}

/* SOURCE_DATE_EPOCH that cannot be a date of the documents: a warning, and it is ignored. */
static void test_source_date_epoch_out_of_range_is_ignored(void **state)
{
    fixture *f = *state;
    const char *bad[] = {"-1", "abc", "1e9", "253402300800", "99999999999999999999", "12 "};
    char *out = in_tmp(f, "sde");
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        char *env = g_strconcat("SOURCE_DATE_EPOCH=", bad[i], NULL);
        result r = observa_env(f, (const char *const[]){"informe", "-s", f->sol, "-d", f->dif, "-c", CORTE, "-o", out,
                                                        "--max-rechazadas", "100", "-q", NULL},
                               (const char *const[]){env, NULL});
        expect(&r, 0, (const char *const[]){"aviso: SOURCE_DATE_EPOCH", "se ignora", NULL});
        assert_no_english(r.err);
        assert_null(strstr(r.err, "GLib"));
        result_clear(&r);
        g_free(env);
    }
    /* The last second of year 9999 is still a date. */
    result r = observa_env(f, (const char *const[]){"informe", "-s", f->sol, "-d", f->dif, "-c", CORTE, "-o", out,
                                                    "--max-rechazadas", "100", "-q", "-f", "csv", NULL},
                           (const char *const[]){"SOURCE_DATE_EPOCH=253402300799", NULL});
    expect(&r, 0, NULL);
    assert_null(strstr(r.err, "SOURCE_DATE_EPOCH"));
    char *m = g_build_filename(out, "manifest.json", NULL), *text = read_file(m);
    assert_non_null(strstr(text, "\"generado\" : \"9999-12-31T17:59:59-06\""));
    result_clear(&r);
    g_free(text);
    g_free(m);
    g_free(out);
}

/* No figures "con corte al" a day that has not come: a corte after the day of generation (central Mexico's)
 * is a usage error before any data is read; the same day is a corte. */
static void test_corte_after_the_day_of_generation_is_refused(void **state)
{
    fixture *f = *state;
    char *out = in_tmp(f, "futuro");
    /* 2023-10-13 03:00 UTC is still 12 October in central Mexico. */
    const char *const env[] = {"SOURCE_DATE_EPOCH=1697166000", NULL};
    const char *const informe[] = {"informe", "-s", f->sol, "-d", f->dif, "-c", "2023-10-13", "-o", out, "-q", NULL};
    result r = observa_env(f, informe, env);
    expect(&r, 64, (const char *const[]){"el corte (13 de octubre de 2023) es posterior a la fecha de elaboración "
                                         "(12 de octubre de 2023)",
                                         "igual o anterior al 12 de octubre de 2023", NULL});
    result_clear(&r);
    assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
    r = observa_env(f, (const char *const[]){"metricas", "-s", f->sol, "-d", f->dif, "-c", "2023-10-13", NULL}, env);
    expect(&r, 64, (const char *const[]){"posterior a la fecha de elaboración", NULL});
    assert_string_equal(r.out, "");
    result_clear(&r);
    r = observa_env(f, (const char *const[]){"informe", "-s", f->sol, "-d", f->dif, "-c", CORTE, "-o", out,
                                             "--max-rechazadas", "100", "-q", "-f", "csv", NULL},
                    env);
    expect(&r, 0, NULL);
    result_clear(&r);
    g_free(out);
}

/* ---- configuration and templates through the command ---------------------------------------------- */

static void test_configuration_as_windows_saves_it_and_its_defects(void **state)
{
    fixture *f = *state;
    char *ini = in_tmp(f, "windows.ini"), *out = in_tmp(f, "windows");
    char *text = g_strdup_printf("\xEF\xBB\xBF; guardado con el Bloc de notas\r\n[entrada]\r\nsolicitudes = %s\r\n"
                                 "difusion = %s\r\nmax_rechazadas = 100\r\n\r\n[corte]\r\ncorte = " CORTE "\r\n"
                                 "; corte_anterior = 2023-10-05\r\n[salida]\r\ndocumentos = metricas\r\n",
                                 f->sol, f->dif);
    g_file_set_contents(ini, text, -1, NULL);
    result r = observa(f, (const char *const[]){"lote", "--config", ini, "-o", out, "-q", NULL});
    expect(&r, 0, NULL);
    result_clear(&r);
    /* A repeated key, and a logo that is a device: 78 with file:line, before any data is read. */
    const struct {
        const char *append;
        const char *says;
    } defects[] = {{"[corte]\r\ncorte = 2023-10-13\r\n", "windows.ini:13: la clave «corte» se repite en [corte] (ya está en la línea 8)"},
                   {"[informe]\r\nlogo = /dev/zero\r\n", "windows.ini:13: logo = /dev/zero: el logotipo no es un "
                                                         "archivo regular"}};
    for (size_t i = 0; i < G_N_ELEMENTS(defects); i++) {
        char *bad = g_strconcat(text, defects[i].append, NULL);
        g_file_set_contents(ini, bad, -1, NULL);
        gint64 t0 = g_get_monotonic_time();
        r = observa(f, (const char *const[]){"lote", "--config", ini, "-o", out, "-q", NULL});
        expect(&r, 78, (const char *const[]){defects[i].says, NULL});
        assert_null(strstr(r.err, "filas leídas"));
        assert_true(g_get_monotonic_time() - t0 < 10 * G_USEC_PER_SEC);
        result_clear(&r);
        g_free(bad);
    }
    g_free(text);
    g_free(out);
    g_free(ini);
}

/* Templates saved with a BOM are read; a catalogue's INI defect names its line. */
static void test_templates_with_bom_and_columnas_ini_line(void **state)
{
    fixture *f = *state;
    char *tpl = in_tmp(f, "plantillas");
    char *src = g_build_filename(g_getenv("OBS_TEST_SOURCE_ROOT"), "templates", NULL);
    result r = run("/", (char *[]){"cp", "-r", src, tpl, NULL}, NULL);
    result_clear(&r);
    char *path = g_build_filename(tpl, "informe.tpl", NULL);
    char *text = read_file(path);
    char *bom = g_strconcat("\xEF\xBB\xBF", text, NULL);
    g_file_set_contents(path, bom, -1, NULL);
    char *out = in_tmp(f, "con-bom");
    r = observa(f, (const char *const[]){"informe", "-s", f->sol, "-d", f->dif, "-c", CORTE, "-t", tpl, "-o", out,
                                         "--max-rechazadas", "100", "-q", NULL});
    expect(&r, 0, NULL);
    result_clear(&r);
    char *cols = g_build_filename(tpl, "columnas.ini", NULL);
    char *ctext = read_file(cols);
    guint lines = 0;
    for (const char *p = ctext; *p; p++)
        lines += *p == '\n';
    char *broken = g_strconcat(ctext, "esto no es una clave\n", NULL);
    g_file_set_contents(cols, broken, -1, NULL);
    r = observa(f, (const char *const[]){"informe", "-s", f->sol, "-d", f->dif, "-c", CORTE, "-t", tpl, "-o", out,
                                         NULL});
    char *where = g_strdup_printf("columnas.ini:%u: línea no válida", lines + 1);
    expect(&r, 78, (const char *const[]){where, NULL});
    result_clear(&r);
    g_free(where);
    g_free(broken);
    g_free(ctext);
    g_free(cols);
    g_free(out);
    g_free(bom);
    g_free(text);
    g_free(path);
    g_free(src);
    g_free(tpl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_an_option_a_command_does_nothing_for_is_a_usage_error),
        cmocka_unit_test(test_integer_options_are_decimal),
        cmocka_unit_test(test_demo_names_its_folder_and_command),
        cmocka_unit_test(test_help_states_exit_status_truthfully),
        cmocka_unit_test(test_quiet_hides_what_help_says),
        cmocka_unit_test(test_empty_path_is_a_usage_error),
        cmocka_unit_test(test_system_errors_are_spanish),
        cmocka_unit_test(test_source_date_epoch_out_of_range_is_ignored),
        cmocka_unit_test(test_corte_after_the_day_of_generation_is_refused),
        cmocka_unit_test(test_configuration_as_windows_saves_it_and_its_defects),
        cmocka_unit_test(test_templates_with_bom_and_columnas_ini_line),
    };
    return cmocka_run_group_tests(tests, basico_setup, basico_teardown);
}
