/* test_output.c - the CSV writers: quoting, the CSV-injection guard and the rejects ledger's BOM; what a run that
 * publishes nothing leaves in its folder. */
#include <glib.h>
#include <glib/gstdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "scratch.h"
#include "output/output_int.h"

static char *field(const char *value)
{
    GString *s = g_string_new(NULL);
    obs_csv_append_field(s, value);
    return g_string_free(s, FALSE);
}

typedef struct field_case {
    const char *value, *written;
} field_case;

static void expect_fields(const field_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *got = field(cases[i].value);
        if (strcmp(got, cases[i].written) != 0)
            fail_msg("[%s]: expected [%s], got [%s]", cases[i].value, cases[i].written, got);
        g_free(got);
    }
}

static void test_csv_field_guards_formula_starts(void **state)
{
    (void)state;
    static const field_case cases[] = {
        {"=1+1", "'=1+1"},
        {"+52 55 5555 5555", "'+52 55 5555 5555"},
        {"-2+3", "'-2+3"},
        {"@SUM(A1)", "'@SUM(A1)"},
        {"\tcmd", "'\tcmd"},
        {"\rcmd", "\"'\rcmd\""}, /* a CR needs quotes as well */
        {"=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
        {"-", "'-"},
    };
    expect_fields(cases, G_N_ELEMENTS(cases));
}

static void test_csv_field_leaves_safe_values_alone(void **state)
{
    (void)state;
    static const field_case cases[] = {
        {"", ""},
        {"Atlántida", "Atlántida"},
        {"12", "12"},
        {"a=1+1", "a=1+1"},
        {" =1", " =1"},
        {"solicitudes.total", "solicitudes.total"},
        {"2023-10-12", "2023-10-12"},
        {"«-3» no es una edad", "«-3» no es una edad"},
        {"a,b", "\"a,b\""},
        {"di \"no\"", "\"di \"\"no\"\"\""},
        {"dos\nlíneas", "\"dos\nlíneas\""},
    };
    expect_fields(cases, G_N_ELEMENTS(cases));
}

/* Writes a ledger with the given problems into a new directory; returns the file's bytes. */
static char *ledger_bytes(const obs_problem *problems, size_t n, gsize *len)
{
    char *dir = scratch_dir("output");
    obs_output *out;
    obs_error err = {0};
    assert_int_equal(obs_output_open(dir, &out, &err), OBS_OK);
    obs_ledger *l;
    assert_int_equal(obs_ledger_begin(out, &l, &err), OBS_OK);
    for (size_t i = 0; i < n; i++)
        obs_ledger_add(l, &problems[i]);
    assert_int_equal(obs_ledger_commit(out, l, &err), OBS_OK);
    assert_int_equal(obs_output_publish(out, &err), OBS_OK);
    obs_output_free(out);
    char *path = g_build_filename(dir, "rechazos.csv", NULL);
    char *text;
    assert_true(g_file_get_contents(path, &text, len, NULL));
    g_free(path);
    scratch_remove(dir);
    return text;
}

static void test_ledger_starts_with_bom_and_guards_values(void **state)
{
    (void)state;
    obs_problem p[] = {
        {.file = "solicitudes.csv", .line = 7, .column = 2, .field = "entidad", .value = "=1+1",
         .level = OBS_LEVEL_ERROR, .message = "«=1+1» no es una entidad"},
        {.file = "difusion.csv", .line = 9, .column = 0, .field = "", .value = "",
         .level = OBS_LEVEL_WARNING, .message = "-fila vacía"},
    };
    gsize len;
    char *text = ledger_bytes(p, G_N_ELEMENTS(p), &len);
    const char *want = "\xEF\xBB\xBF"
                       "archivo,linea,columna,campo,valor,nivel,motivo\n"
                       "solicitudes.csv,7,2,entidad,'=1+1,error,«=1+1» no es una entidad\n"
                       "difusion.csv,9,,,,aviso,'-fila vacía\n";
    assert_int_equal(len, strlen(want));
    assert_string_equal(text, want);
    g_free(text);
}

/* ---- a run that publishes nothing leaves no trace of itself ------------------------------------------------ */

static bool present(const char *dir, const char *rel)
{
    char *p = g_build_filename(dir, rel, NULL);
    bool there = g_file_test(p, G_FILE_TEST_EXISTS);
    g_free(p);
    return there;
}

/* Opens and locks dir, stages opl/x.pdf (and publishes when asked), frees the handle. */
static void one_run(const char *dir, bool publish)
{
    obs_output *out;
    obs_error err = {0};
    assert_int_equal(obs_output_open(dir, &out, &err), OBS_OK);
    assert_int_equal(obs_output_lock(out, &err), OBS_OK);
    assert_int_equal(obs_output_write(out, "opl/x.pdf", "%PDF", 4, "opl-pdf", 1, &err), OBS_OK);
    if (publish)
        assert_int_equal(obs_output_publish(out, &err), OBS_OK);
    obs_output_free(out);
}

static void test_failed_run_removes_the_folders_it_made(void **state)
{
    (void)state;
    char *tmp = scratch_dir("output");
    /* A new folder (and its new parent): nothing but the lock was left, so all of it goes. */
    char *made = g_build_filename(tmp, "nueva", "2023-10-12", NULL);
    one_run(made, false);
    assert_false(present(tmp, "nueva"));
    /* A folder that was there: only the subfolder the run made, never the folder or its lock. */
    char *there = g_build_filename(tmp, "existente", NULL);
    assert_int_equal(g_mkdir(there, 0755), 0);
    one_run(there, false);
    assert_true(present(there, ".observa.lock"));
    assert_false(present(there, "opl"));
    /* A subfolder that was there stays, empty or not. */
    char *opl = g_build_filename(there, "opl", NULL);
    assert_int_equal(g_mkdir(opl, 0755), 0);
    one_run(there, false);
    assert_true(present(there, "opl"));
    /* A published run keeps everything. */
    one_run(made, true);
    assert_true(present(made, "opl/x.pdf"));
    assert_true(present(made, ".observa.lock"));
    g_free(opl);
    g_free(there);
    g_free(made);
    scratch_remove(tmp);
}

/* This program's path (argv[0]), to run it again as another process. */
static const char *self_path;

/* A run that could not take the lock removes nothing: the folder is the other run's. */
static void test_run_without_the_lock_removes_nothing(void **state)
{
    (void)state;
    char *tmp = scratch_dir("output");
    char *dir = g_build_filename(tmp, "nueva", NULL);
    obs_output *first;
    obs_error err = {0};
    assert_int_equal(obs_output_open(dir, &first, &err), OBS_OK);
    assert_int_equal(obs_output_lock(first, &err), OBS_OK);
    /* POSIX record locks are per process: another process (this test program again, so that
     * valgrind checks nothing it inherited) tries the second lock. */
    char *argv[] = {(char *)self_path, "--segundo-candado", dir, NULL};
    int status = 0;
    assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, NULL));
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_true(present(dir, ".observa.lock"));
    obs_output_free(first);
    assert_false(g_file_test(dir, G_FILE_TEST_EXISTS));
    g_free(dir);
    scratch_remove(tmp);
}

/* The second process of test_run_without_the_lock_removes_nothing: 0 when the lock is held by
 * another run (OBS_ERR_LOCKED), 2 or 3 otherwise. */
static int second_lock(const char *dir)
{
    obs_output *second = NULL;
    obs_error err = {0};
    int code = obs_output_open(dir, &second, &err) != OBS_OK            ? 2
               : obs_output_lock(second, &err) == OBS_ERR_LOCKED ? 0
                                                                  : 3;
    obs_output_free(second);
    return code;
}

int main(int argc, char **argv)
{
    self_path = argv[0];
    if (argc == 3 && strcmp(argv[1], "--segundo-candado") == 0)
        return second_lock(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_field_guards_formula_starts),
        cmocka_unit_test(test_csv_field_leaves_safe_values_alone),
        cmocka_unit_test(test_ledger_starts_with_bom_and_guards_values),
        cmocka_unit_test(test_failed_run_removes_the_folders_it_made),
        cmocka_unit_test(test_run_without_the_lock_removes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
