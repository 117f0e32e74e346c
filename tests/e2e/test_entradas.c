/* test_entradas.c - the inputs on the command line: an export in several files (repeated -s, a
 * directory, a configuration list) counts as the one file, and every option but -s/-d given twice
 * is a usage error that writes nothing. */
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli_run.h"
#include "scratch.h"

#define CORTE "2023-10-12"

/* The basico case's solicitudes.csv cut into two files after its 8th line (the second file
 * repeats folio F001 of the first), and a scratch directory that holds them. */
typedef struct fixture {
    char *tmp;
    char *sol;   /* the case's solicitudes.csv */
    char *dif;   /* the case's difusion.csv */
    char *part[2];
    char *reference; /* metricas.csv of the one-file run */
} fixture;

static char *in_tmp(const fixture *f, const char *rel)
{
    return g_build_filename(f->tmp, rel, NULL);
}

static void write_text(const char *path, const char *text)
{
    assert_true(g_file_set_contents(path, text, -1, NULL));
}

/* observa ARGS… run in f->tmp; argv NULL-terminated, observa_bin() prepended. */
static result observa(const fixture *f, const char *const *args)
{
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, (char *)observa_bin());
    for (size_t i = 0; args[i]; i++)
        g_ptr_array_add(argv, (char *)args[i]);
    g_ptr_array_add(argv, NULL);
    result r = run(f->tmp, (char **)argv->pdata, NULL);
    g_ptr_array_free(argv, TRUE);
    return r;
}

static int setup(void **state)
{
    fixture *f = g_new0(fixture, 1);
    f->tmp = scratch_dir("entradas");
    char *dir = case_dir("basico");
    f->sol = g_build_filename(dir, "solicitudes.csv", NULL);
    f->dif = g_build_filename(dir, "difusion.csv", NULL);
    g_free(dir);
    char *text = read_file(f->sol);
    char **lines = g_strsplit(text, "\n", -1);
    GString *a = g_string_new(NULL), *b = g_string_new(NULL);
    for (guint i = 0; lines[i] && lines[i][0]; i++) {
        if (i == 0 || i < 8)
            g_string_append_printf(a, "%s\n", lines[i]);
        if (i == 0 || i >= 8)
            g_string_append_printf(b, "%s\n", lines[i]);
    }
    assert_true(g_str_has_prefix(b->str + strlen(lines[0]) + 1, "F001,")); /* the repeated folio */
    f->part[0] = in_tmp(f, "parte_1.csv");
    f->part[1] = in_tmp(f, "parte_2.csv");
    write_text(f->part[0], a->str);
    write_text(f->part[1], b->str);
    g_string_free(a, TRUE);
    g_string_free(b, TRUE);
    g_strfreev(lines);
    g_free(text);
    char *out = in_tmp(f, "referencia");
    result r = observa(f, (const char *const[]){"informe", "-s", f->sol, "-d", f->dif, "-c", CORTE, "-a",
                                                "2023-10-05", "-f", "csv", "-o", out, "--max-rechazadas", "100", "-q",
                                                NULL});
    assert_int_equal(r.status, 0);
    char *m = g_build_filename(out, "metricas.csv", NULL);
    f->reference = read_file(m);
    g_free(m);
    g_free(out);
    result_clear(&r);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    remove_tree(f->tmp);
    g_free(f->tmp);
    g_free(f->sol);
    g_free(f->dif);
    g_free(f->part[0]);
    g_free(f->part[1]);
    g_free(f->reference);
    g_free(f);
    return 0;
}

static void assert_contains(const char *text, const char *what)
{
    if (!text || !strstr(text, what))
        fail_msg("«%s» not found in:\n%s", what, text ? text : "(nothing)");
}

/* What a run of the two parts must give in out: the reference metricas.csv byte for byte, the
 * repeated folio rejected at the second file's line, and both files in the manifest. */
static void check_two_part_run(const fixture *f, const result *r, const char *out)
{
    if (r->status != 0)
        fail_msg("exit %d: %s", r->status, r->err);
    char *path = g_build_filename(out, "metricas.csv", NULL);
    char *metricas = read_file(path);
    assert_string_equal(metricas, f->reference);
    g_free(metricas);
    g_free(path);
    path = g_build_filename(out, "rechazos.csv", NULL);
    char *rechazos = read_file(path);
    char *repeated = g_strdup_printf("\n%s,2,1,folio,,error,", f->part[1]);
    assert_contains(rechazos, repeated);
    g_free(repeated);
    g_free(rechazos);
    g_free(path);
    /* Control totals per file and combined. */
    char *l1 = g_strdup_printf("%s: 7 filas leídas = 7 aceptadas + 0 rechazadas", f->part[0]);
    char *l2 = g_strdup_printf("%s: 10 filas leídas = 2 aceptadas + 8 rechazadas", f->part[1]);
    assert_contains(r->err, l1);
    assert_contains(r->err, l2);
    assert_contains(r->err, "solicitudes en total (2 archivos): 17 filas leídas = 9 aceptadas + 8 rechazadas; "
                            "aceptadas = 8 en el corte + 1 posterior al corte; 3 con avisos");
    assert_null(strstr(r->err, "difusión en total")); /* one file: no combined line */
    g_free(l1);
    g_free(l2);
    path = g_build_filename(out, "manifest.json", NULL);
    JsonParser *parser = json_parser_new();
    assert_true(json_parser_load_from_file(parser, path, NULL));
    JsonObject *root = json_node_get_object(json_parser_get_root(parser));
    JsonArray *inputs = json_object_get_array_member(root, "entradas");
    assert_int_equal(json_array_get_length(inputs), 3);
    for (guint i = 0; i < 2; i++) {
        JsonObject *e = json_array_get_object_element(inputs, i);
        assert_string_equal(json_object_get_string_member(e, "exportacion"), "solicitudes");
        assert_string_equal(json_object_get_string_member(e, "ruta"), f->part[i]);
        char *sum = file_sha256(f->part[i]);
        assert_string_equal(json_object_get_string_member(e, "sha256"), sum);
        g_free(sum);
        assert_int_equal(json_object_get_int_member(e, "leidas"), i == 0 ? 7 : 10);
        assert_int_equal(json_object_get_int_member(e, "vacias"), 0);
    }
    JsonObject *d = json_array_get_object_element(inputs, 2);
    assert_string_equal(json_object_get_string_member(d, "exportacion"), "difusion");
    JsonObject *sol = json_object_get_object_member(json_object_get_object_member(root, "exportaciones"),
                                                    "solicitudes");
    assert_int_equal(json_object_get_int_member(sol, "archivos"), 2);
    assert_int_equal(json_object_get_int_member(sol, "leidas"), 17);
    assert_int_equal(json_object_get_int_member(sol, "aceptadas"), 9);
    assert_int_equal(json_object_get_int_member(sol, "rechazadas"), 8);
    assert_int_equal(json_object_get_int_member(sol, "en_corte") + json_object_get_int_member(sol, "posteriores_al_corte"),
                     9);
    g_object_unref(parser);
    g_free(path);
}

static void test_repeated_s_reads_one_export(void **state)
{
    fixture *f = *state;
    char *out = in_tmp(f, "repetida");
    result r = observa(f, (const char *const[]){"informe", "-s", f->part[0], "--solicitudes", f->part[1], "-d",
                                                f->dif, "-c", CORTE, "-a", "2023-10-05", "-f", "csv", "-o", out,
                                                "--max-rechazadas", "100", NULL});
    check_two_part_run(f, &r, out);
    result_clear(&r);
    g_free(out);
}

/* A directory gives its .csv and .xlsx files in name order; hidden and other files are skipped
 * (these would be rejected as exports if they were read). */
static void test_directory_reads_its_csv_files_in_name_order(void **state)
{
    fixture *f = *state;
    char *dir = in_tmp(f, "exportacion");
    assert_int_equal(g_mkdir(dir, 0755), 0);
    /* The parts under names that sort the same way, and files that must not be read. */
    char *moved[2];
    for (int i = 0; i < 2; i++) {
        char *base = g_path_get_basename(f->part[i]);
        moved[i] = g_build_filename(dir, base, NULL);
        g_free(base);
        char *text = read_file(f->part[i]);
        write_text(moved[i], text);
        g_free(text);
    }
    char *hidden = g_build_filename(dir, ".~lock.parte_1.csv#", NULL), *hidden2 = g_build_filename(dir, ".x.csv", NULL);
    char *notes = g_build_filename(dir, "notas.txt", NULL);
    write_text(hidden, "basura");
    write_text(hidden2, "basura");
    write_text(notes, "basura");
    char *out = in_tmp(f, "directorio");
    /* The paths as the directory gives them: check_two_part_run names f->part[]. */
    char *orig[2] = {f->part[0], f->part[1]};
    f->part[0] = moved[0];
    f->part[1] = moved[1];
    result r = observa(f, (const char *const[]){"informe", "-s", dir, "-d", f->dif, "-c", CORTE, "-a",
                                                "2023-10-05", "-f", "csv", "-o", out, "--max-rechazadas", "100",
                                                NULL});
    check_two_part_run(f, &r, out);
    f->part[0] = orig[0];
    f->part[1] = orig[1];
    result_clear(&r);
    g_free(out);
    g_free(hidden);
    g_free(hidden2);
    g_free(notes);
    g_free(moved[0]);
    g_free(moved[1]);
    g_free(dir);
}

/* [entrada] solicitudes = a, b (relative to the configuration's directory); -s replaces the list. */
static void test_configuration_list_and_its_replacement(void **state)
{
    fixture *f = *state;
    char *ini = in_tmp(f, "lote.ini");
    char *text = g_strdup_printf("[entrada]\nmax_rechazadas = 100\nsolicitudes = parte_1.csv, parte_2.csv\ndifusion = %s\n"
                                 "[corte]\ncorte = " CORTE "\ncorte_anterior = 2023-10-05\n"
                                 "[salida]\ndocumentos = metricas\nformatos = csv\n",
                                 f->dif);
    write_text(ini, text);
    g_free(text);
    char *out = in_tmp(f, "configuracion");
    result r = observa(f, (const char *const[]){"lote", "--config", ini, "-o", out, NULL});
    check_two_part_run(f, &r, out);
    result_clear(&r);
    g_free(out);
    out = in_tmp(f, "sustituida");
    r = observa(f, (const char *const[]){"lote", "--config", ini, "-s", f->sol, "-o", out, NULL});
    assert_int_equal(r.status, 0);
    char *path = g_build_filename(out, "metricas.csv", NULL);
    char *metricas = read_file(path);
    assert_string_equal(metricas, f->reference);
    char *line = g_strdup_printf("%s: 17 filas leídas = 9 aceptadas + 8 rechazadas", f->sol);
    assert_contains(r.err, line);
    assert_null(strstr(r.err, "parte_1.csv"));
    g_free(line);
    g_free(metricas);
    g_free(path);
    result_clear(&r);
    g_free(out);
    g_free(ini);
}

/* The informe's control table and its XLSX sheet: a row per file and the export's total. */
static void test_informe_shows_each_file_and_the_total(void **state)
{
    fixture *f = *state;
    char *out = in_tmp(f, "informe");
    result r = observa(f, (const char *const[]){"informe", "-s", f->part[0], "-s", f->part[1], "-d", f->dif,
                                                "-c", CORTE, "-o", out, "--max-rechazadas", "100", "-q", NULL});
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    char *pdf = g_build_filename(out, "informe.pdf", NULL);
    char *words = pdf_words(pdf);
    assert_contains(words, "Solicitudes, parte_1.csv: 7 filas de datos");
    assert_contains(words, "Solicitudes, los 2 archivos como una sola exportación: 17 filas de datos");
    assert_contains(words, "Solicitudes: parte_2.csv");
    assert_contains(words, "Solicitudes: total de 2 archivos");
    char *xlsx = g_build_filename(out, "informe.xlsx", NULL);
    char *argv[] = {"/usr/bin/python3", "-c",
                    "import sys, openpyxl\n"
                    "ws = openpyxl.load_workbook(sys.argv[1], data_only=True)['Control']\n"
                    "for row in ws.iter_rows(min_row=4, values_only=True):\n"
                    "    if row[1] is not None: print('|'.join(str(v) for v in row))\n",
                    xlsx, NULL};
    result py = run("/", argv, NULL);
    assert_int_equal(py.status, 0);
    assert_string_equal(py.out, "Solicitudes: parte_1.csv|7|7|0|2|6|1|0\n"
                                "Solicitudes: parte_2.csv|10|2|8|1|2|0|0\n"
                                "Solicitudes: total de 2 archivos|17|9|8|3|8|1|0\n"
                                "Difusión: difusion.csv|13|8|5|2|7|1|0\n");
    result_clear(&py);
    g_free(xlsx);
    g_free(words);
    g_free(pdf);
    result_clear(&r);
    g_free(out);
}

/* Runs args in f->tmp and checks the status, that stderr names `names` and says `says`, and
 * that the output directory was not created. */
static void assert_refused(const fixture *f, const char *const *args, const char *out, int status,
                           const char *names, const char *says)
{
    result r = observa(f, args);
    if (r.status != status || !strstr(r.err, names) || !strstr(r.err, says))
        fail_msg("%s %s: exit %d, stderr: %s", args[0], args[2], r.status, r.err);
    assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
    assert_string_equal(r.out, "");
    result_clear(&r);
}

static void test_unusable_inputs_are_refused_before_anything_is_written(void **state)
{
    fixture *f = *state;
    char *empty = in_tmp(f, "vacia"), *out = in_tmp(f, "nada"), *sym = in_tmp(f, "enlace.csv");
    assert_int_equal(g_mkdir(empty, 0755), 0);
    char *hidden = g_build_filename(empty, ".oculto.csv", NULL);
    write_text(hidden, "folio\n");
    assert_int_equal(symlink(f->part[0], sym), 0);
    const char *v = "validar";
    assert_refused(f, (const char *const[]){v, "-s", empty, "-d", f->dif, "-o", out, NULL}, out, 66, empty,
                   "no contiene archivos .csv ni .xlsx");
    assert_refused(f, (const char *const[]){v, "-s", f->part[0], "-s", f->part[0], "-d", f->dif, "-o", out, NULL},
                   out, 64, f->part[0], "se indicó dos veces");
    assert_refused(f, (const char *const[]){v, "-s", f->part[0], "-s", sym, "-d", f->dif, "-o", out, NULL}, out,
                   64, sym, "mismo archivo");
    assert_refused(f, (const char *const[]){v, "-s", f->part[0], "-d", f->dif, "-d", f->part[0], "-o", out, NULL},
                   out, 64, f->part[0], "de solicitudes y de difusión");
    assert_refused(f, (const char *const[]){"informe", "-s", f->part[0], "-d", "no-existe.csv", "-c", CORTE, "-o",
                                            out, NULL},
                   out, 66, "no-existe.csv", "no existe");
    g_free(hidden);
    g_free(sym);
    g_free(empty);
    g_free(out);
}

/* An option and the two spellings that give it twice (any mix of short, long and --x=v). */
typedef struct twice {
    const char *name;       /* long name, as the message says it */
    const char *first[3];   /* NULL-terminated */
    const char *second[3];
} twice;

static void add_all(GPtrArray *a, const char *const *args)
{
    for (size_t i = 0; args[i]; i++)
        g_ptr_array_add(a, (char *)args[i]);
}

/* command, base arguments (those of the option under test left out), the option twice. */
static void check_twice(const fixture *f, const char *command, const twice *t, const char *ini, const char *out)
{
    const struct {
        const char *name;
        const char *args[3];
    } base[] = {
        {"solicitudes", {"-s", f->sol, NULL}}, {"difusion", {"-d", f->dif, NULL}}, {"config", {"--config", ini, NULL}},
        {"corte", {"-c", CORTE, NULL}},        {"salida", {"-o", out, NULL}},
    };
    GPtrArray *args = g_ptr_array_new();
    g_ptr_array_add(args, (char *)command);
    for (size_t i = 0; i < G_N_ELEMENTS(base); i++) {
        bool is_config = strcmp(base[i].name, "config") == 0;
        if (strcmp(base[i].name, t->name) == 0 || (is_config && strcmp(command, "lote") != 0))
            continue;
        add_all(args, base[i].args);
    }
    add_all(args, t->first);
    add_all(args, t->second);
    g_ptr_array_add(args, NULL);
    result r = observa(f, (const char *const *)args->pdata);
    char *says = g_strdup_printf("la opción «--%s» se indicó dos veces; indíquela una sola vez", t->name);
    if (r.status != 64 || !strstr(r.err, says))
        fail_msg("observa %s with --%s twice: exit %d, stderr: %s", command, t->name, r.status, r.err);
    char *prefix = g_strdup_printf("observa %s: ", command);
    assert_true(g_str_has_prefix(r.err, prefix));
    assert_string_equal(r.out, ""); /* not even the help */
    GDir *d = g_dir_open(f->tmp, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name(d)))
        if (g_str_has_prefix(name, "dos-veces") || strcmp(name, "salida") == 0)
            fail_msg("observa %s with --%s twice wrote %s", command, t->name, name);
    g_dir_close(d);
    g_free(prefix);
    g_free(says);
    result_clear(&r);
    g_ptr_array_free(args, TRUE);
}

static void test_every_option_but_s_and_d_given_twice_is_a_usage_error(void **state)
{
    fixture *f = *state;
    char *ini = in_tmp(f, "opciones.ini"), *tpl = g_build_filename(g_getenv("OBSERVA_PLANTILLAS"), NULL);
    write_text(ini, "[corte]\ncorte = " CORTE "\n");
    char *out = in_tmp(f, "dos-veces"), *out2 = in_tmp(f, "dos-veces-2");
    char *out2_eq = g_strconcat("--salida=", out2, NULL), *ini_eq = g_strconcat("--config=", ini, NULL);
    const twice common[] = {
        {"corte", {"-c", CORTE, NULL}, {"--corte=2023-10-13", NULL}},
        {"corte", {"-c2023-10-12", NULL}, {"-c", "2023-10-13", NULL}},
        {"corte-anterior", {"-a", "2023-10-05", NULL}, {"--corte-anterior", "2023-10-04", NULL}},
        {"salida", {"-o", out, NULL}, {out2_eq, NULL}},
        {"salida", {"-qo", out, NULL}, {"-o", out2, NULL}},
        {"formatos", {"-fcsv", NULL}, {"--formatos", "pdf", NULL}},
        {"plantillas", {"-t", tpl, NULL}, {"--plantillas", tpl, NULL}},
        {"config", {"--config", ini, NULL}, {ini_eq, NULL}},
        {"codificacion", {"--codificacion", "auto", NULL}, {"--codificacion=utf-8", NULL}},
        {"delimitador", {"--delimitador", ",", NULL}, {"--delimitador=;", NULL}},
        {"estricto", {"--estricto", NULL}, {"--estricto", NULL}},
        {"hilos", {"--hilos", "1", NULL}, {"--hilos=2", NULL}},
        {"silencioso", {"-q", NULL}, {"--silencioso", NULL}},
        {"silencioso", {"-qq", NULL}, {NULL}},
        {"detallado", {"-v", NULL}, {"-qv", NULL}},
        {"help", {"-h", NULL}, {"--help", NULL}},
    };
    const char *commands[] = {"informe", "opl", "oficio", "lote", "validar", "metricas", "demo"};
    for (size_t c = 0; c < G_N_ELEMENTS(commands); c++)
        for (size_t i = 0; i < G_N_ELEMENTS(common); i++)
            check_twice(f, commands[c], &common[i], ini, out);
    const twice opl = {"entidad", {"--entidad", "15", NULL}, {"--entidad=9", NULL}};
    const twice oficio = {"por-opl", {"--por-opl", NULL}, {"--por-opl", NULL}};
    check_twice(f, "opl", &opl, ini, out);
    check_twice(f, "oficio", &oficio, ini, out);
    g_free(ini_eq);
    g_free(out2_eq);
    g_free(out2);
    g_free(out);
    g_free(tpl);
    g_free(ini);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repeated_s_reads_one_export),
        cmocka_unit_test(test_directory_reads_its_csv_files_in_name_order),
        cmocka_unit_test(test_configuration_list_and_its_replacement),
        cmocka_unit_test(test_informe_shows_each_file_and_the_total),
        cmocka_unit_test(test_unusable_inputs_are_refused_before_anything_is_written),
        cmocka_unit_test(test_every_option_but_s_and_d_given_twice_is_a_usage_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
