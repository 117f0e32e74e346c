/* caso.c - runs one fixture case of tests/e2e/cases (its args, exit and expected files) as a test of its own. */
#include <glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli_run.h"
#include "scratch.h"

/* A case is a folder: `args` (one argument per line; {case} is the folder, {out} a scratch output
 * folder), `exit` (the expected status) and, when present, `metricas-esperadas.csv` (sparse: the
 * values listed, every other metric 0), `rechazos-esperados.csv` (basename,line,column,field,level
 * in order) and `stderr-contiene` (lines stderr must hold). A new case is a new folder: meson
 * registers each folder as the test caso-<name> (reconfigure once after adding one). */

#define BOM "\xEF\xBB\xBF"

/* The text of a CSV file observa wrote to disk, after the BOM it must start with (g_free). */
static char *read_written_csv(const char *path)
{
    char *text = read_file(path);
    if (!g_str_has_prefix(text, BOM))
        fail_msg("%s does not start with the UTF-8 BOM", path);
    char *rest = g_strdup(text + strlen(BOM));
    g_free(text);
    return rest;
}

/* Non-comment lines of CSV text (header included). */
static char **csv_text_lines(const char *text)
{
    char **lines = g_strsplit(text, "\n", -1);
    GPtrArray *keep = g_ptr_array_new();
    for (char **l = lines; *l; l++)
        if (**l && **l != '#')
            g_ptr_array_add(keep, g_strdup(*l));
    g_ptr_array_add(keep, NULL);
    g_strfreev(lines);
    return (char **)g_ptr_array_free(keep, FALSE);
}

/* Non-comment lines of a small CSV file of the test's own (header included). */
static char **csv_lines(const char *path)
{
    char *text = read_file(path);
    char **lines = csv_text_lines(text);
    g_free(text);
    return lines;
}

/* Checks metricas.csv against a sparse expectation: listed values match, all others are 0. */
static void check_metricas(const char *expected_path, const char *actual_path)
{
    GHashTable *expected = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    char **exp = csv_lines(expected_path);
    for (char **l = exp + 1; *l; l++) {
        char **f = g_strsplit(*l, ",", 4);
        assert_non_null(f[3]);
        if (strcmp(f[1], "*") == 0) {
            for (int e = 1; e <= 32; e++)
                g_hash_table_insert(expected, g_strdup_printf("%s,%02d,%s", f[0], e, f[2]), g_strdup(f[3]));
        } else {
            g_hash_table_insert(expected, g_strdup_printf("%s,%s,%s", f[0], f[1], f[2]), g_strdup(f[3]));
        }
        g_strfreev(f);
    }
    g_strfreev(exp);
    char *text = read_written_csv(actual_path);
    char **act = csv_text_lines(text);
    g_free(text);
    assert_string_equal(act[0], "corte,entidad,metrica,valor");
    guint matched = 0, rows = 0;
    char *prev = NULL;
    for (char **l = act + 1; *l; l++) {
        rows++;
        char *last = strrchr(*l, ',');
        assert_non_null(last);
        char *key = g_strndup(*l, (gsize)(last - *l));
        /* Sorted by corte, entidad, metrica. */
        if (prev)
            assert_true(strcmp(prev, key) < 0);
        const char *want = g_hash_table_lookup(expected, key);
        if (want) {
            if (strcmp(want, last + 1) != 0)
                fail_msg("%s: expected %s, got %s", key, want, last + 1);
            matched++;
        } else if (strcmp(last + 1, "0") != 0) {
            fail_msg("%s: expected 0, got %s", key, last + 1);
        }
        g_free(prev);
        prev = key;
    }
    g_free(prev);
    if (matched != g_hash_table_size(expected))
        fail_msg("only %u of %u expected values were found", matched, g_hash_table_size(expected));
    /* Every metric for all 33 entidades at both cortes: rows is a multiple of 66. */
    assert_int_equal(rows % 66, 0);
    g_strfreev(act);
    g_hash_table_destroy(expected);
}

/* Compares rechazos.csv (basename(archivo),linea,columna,campo,nivel) with the expectation, in order. */
static void check_rechazos(const char *expected_path, const char *actual_path)
{
    char **exp = csv_lines(expected_path);
    char *text = read_written_csv(actual_path);
    char **act = g_strsplit(text, "\n", -1);
    g_free(text);
    assert_string_equal(act[0], "archivo,linea,columna,campo,valor,nivel,motivo");
    size_t i = 1;
    for (char **l = exp + 1; *l; l++, i++) {
        assert_non_null(act[i]);
        /* The fields before "motivo" contain no commas in these fixtures. */
        char **f = g_strsplit(act[i], ",", 7);
        char *base = g_path_get_basename(f[0]);
        char *got = g_strdup_printf("%s,%s,%s,%s,%s", base, f[1], f[2], f[3], f[5]);
        if (strcmp(got, *l) != 0)
            fail_msg("rechazos.csv line %zu: expected %s, got %s", i + 1, *l, got);
        g_free(got);
        g_free(base);
        g_strfreev(f);
    }
    assert_true(act[i] == NULL || act[i][0] == '\0');
    g_strfreev(act);
    g_strfreev(exp);
}

static void check_stderr(const char *expected_path, const char *err)
{
    char **lines = csv_lines(expected_path);
    for (char **l = lines; *l; l++)
        if (!strstr(err, *l))
            fail_msg("stderr lacks «%s»; it was:\n%s", *l, err);
    g_strfreev(lines);
}

static void run_case(const char *name)
{
    char *dir = case_dir(name);
    char *out = scratch_dir("caso");
    char **argv = case_argv(dir, out);
    result r = run(out, argv, NULL);
    char *p = g_build_filename(dir, "exit", NULL);
    char *want = read_file(p);
    if (r.status != atoi(want))
        fail_msg("case %s: exit %d, expected %s; stderr:\n%s", name, r.status, want, r.err);
    g_free(want);
    g_free(p);
    const char *checks[] = {"metricas-esperadas.csv", "rechazos-esperados.csv", "stderr-contiene"};
    for (size_t i = 0; i < G_N_ELEMENTS(checks); i++) {
        char *exp = g_build_filename(dir, checks[i], NULL);
        if (g_file_test(exp, G_FILE_TEST_EXISTS)) {
            char *act = g_build_filename(out, i == 0 ? "metricas.csv" : "rechazos.csv", NULL);
            if (i == 0)
                check_metricas(exp, act);
            else if (i == 1)
                check_rechazos(exp, act);
            else
                check_stderr(exp, r.err);
            g_free(act);
        }
        g_free(exp);
    }
    result_clear(&r);
    g_strfreev(argv);
    remove_tree(out);
    g_free(out);
    g_free(dir);
}

static const char *case_name;

static void test_case(void **state)
{
    (void)state;
    run_case(case_name);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "uso: %s CASO (una carpeta de tests/e2e/cases)\n", argv[0]);
        return 2;
    }
    case_name = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case),
    };
    return cmocka_run_group_tests_name(case_name, tests, NULL, NULL);
}
