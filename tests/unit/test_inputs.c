/* test_inputs.c - the files of each export: directories expanded in name order, only .csv and
 * .xlsx, hidden files skipped; a directory without exports and the same file named twice refused. */
#include <glib.h>
#include <glib/gstdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "scratch.h"
#include "observa/inputs.h"

static char *dir;

static char *path_in(const char *rel)
{
    return g_build_filename(dir, rel, NULL);
}

static char *touch(const char *rel)
{
    char *p = path_in(rel);
    assert_true(g_file_set_contents(p, "folio\n", -1, NULL));
    return p;
}

static int setup(void **state)
{
    (void)state;
    dir = scratch_dir("inputs");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    scratch_remove(dir);
    return 0;
}

static int clean(void **state)
{
    (void)state;
    scratch_empty(dir);
    return 0;
}

/* Expands (solicitudes, difusion) and returns the status; the lists in *in. */
static obs_status expand(const char *const *sol, const char *const *dif, obs_inputs *in, obs_error *err)
{
    obs_error_clear(err);
    return obs_inputs_expand(sol, dif, in, err);
}

static void assert_list(char **got, const char *const *want)
{
    size_t n = 0;
    while (want[n])
        n++;
    if (g_strv_length(got) != n) {
        char *all = g_strjoinv(" ", got);
        fail_msg("expected %zu files, got %u: %s", n, g_strv_length(got), all);
    }
    for (size_t i = 0; i < n; i++)
        assert_string_equal(got[i], want[i]);
}

static void test_directory_gives_its_csv_and_xlsx_in_name_order(void **state)
{
    (void)state;
    char *sub = path_in("sol");
    assert_int_equal(g_mkdir(sub, 0755), 0);
    const char *names[] = {"sol/b.csv", "sol/a.CSV", "sol/c.xlsx", "sol/B.Xlsx", "sol/.oculto.csv",
                           "sol/notas.txt", "sol/csv", "sol/datos.csv.bak", "sol/a.xls", "sol/10.csv", "sol/9.csv"};
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        g_free(touch(names[i]));
    char *nested = path_in("sol/anidado.csv"); /* a directory with a .csv name is not entered */
    assert_int_equal(g_mkdir(nested, 0755), 0);
    char *inner = path_in("sol/anidado.csv/x.csv");
    assert_true(g_file_set_contents(inner, "x", -1, NULL));
    char *one = touch("uno.csv");
    char *dif = touch("difusion.txt"); /* a file named explicitly is taken whatever its name */
    obs_inputs in;
    obs_error err;
    assert_int_equal(expand((const char *const[]){one, sub, NULL}, (const char *const[]){dif, NULL}, &in, &err),
                     OBS_OK);
    char *want[] = {one, path_in("sol/10.csv"), path_in("sol/9.csv"), path_in("sol/B.Xlsx"), path_in("sol/a.CSV"),
                    path_in("sol/b.csv"), path_in("sol/c.xlsx"), NULL};
    assert_list(in.files[OBS_FILE_SOLICITUDES], (const char *const *)want);
    assert_list(in.files[OBS_FILE_DIFUSION], (const char *const[]){dif, NULL});
    for (size_t i = 1; want[i]; i++)
        g_free(want[i]);
    obs_inputs_clear(&in);
    assert_null(in.files[0]);
    obs_inputs_clear(&in); /* twice is harmless */
    g_free(inner);
    g_free(nested);
    g_free(one);
    g_free(dif);
    g_free(sub);
}

/* A trailing slash or "./" in a directory's path changes nothing in the files found. */
static void test_directory_spelling_does_not_matter(void **state)
{
    (void)state;
    char *sub = path_in("d");
    assert_int_equal(g_mkdir(sub, 0755), 0);
    g_free(touch("d/x.csv"));
    char *slash = g_strconcat(sub, "/", NULL);
    obs_inputs in;
    obs_error err;
    assert_int_equal(expand((const char *const[]){slash, NULL}, NULL, &in, &err), OBS_OK);
    char *want = path_in("d/x.csv");
    assert_list(in.files[0], (const char *const[]){want, NULL});
    assert_list(in.files[1], (const char *const[]){NULL}); /* none given: an empty list */
    obs_inputs_clear(&in);
    g_free(want);
    g_free(slash);
    g_free(sub);
}

static void test_directory_without_exports_is_noinput_naming_it(void **state)
{
    (void)state;
    char *sub = path_in("vacio");
    assert_int_equal(g_mkdir(sub, 0755), 0);
    obs_inputs in;
    obs_error err;
    assert_int_equal(expand((const char *const[]){sub, NULL}, NULL, &in, &err), OBS_ERR_NOINPUT);
    assert_string_equal(err.path, sub);
    assert_non_null(strstr(err.message, ".csv"));
    assert_null(in.files[0]);
    /* Hidden and other files do not count. */
    g_free(touch("vacio/.a.csv"));
    g_free(touch("vacio/leeme.txt"));
    assert_int_equal(expand((const char *const[]){sub, NULL}, NULL, &in, &err), OBS_ERR_NOINPUT);
    assert_string_equal(err.path, sub);
    g_free(sub);
}

static void test_missing_path_is_noinput_naming_it(void **state)
{
    (void)state;
    char *ok = touch("s.csv"), *missing = path_in("no-existe.csv");
    obs_inputs in;
    obs_error err;
    assert_int_equal(expand((const char *const[]){ok, NULL}, (const char *const[]){missing, NULL}, &in, &err),
                     OBS_ERR_NOINPUT);
    assert_string_equal(err.path, missing);
    assert_non_null(strstr(err.message, "no existe"));
    assert_null(in.files[0]);
    assert_null(in.files[1]);
    g_free(ok);
    g_free(missing);
}

/* Each way of naming one file twice is a usage error naming the second mention. */
static void test_same_file_twice_is_a_usage_error(void **state)
{
    (void)state;
    char *a = touch("a.csv"), *b = touch("b.csv"), *sub = path_in("exp");
    assert_int_equal(g_mkdir(sub, 0755), 0);
    char *in_dir = touch("exp/c.csv");
    char *sym = path_in("enlace.csv"), *hard = path_in("duro.csv"), *dotted = path_in("./exp/../a.csv");
    assert_int_equal(symlink(a, sym), 0);
    assert_int_equal(link(b, hard), 0);
    const struct {
        const char *sol[3];
        const char *dif[2];
        const char *named;  /* err.path */
        const char *says;
    } cases[] = {
        {{a, a, NULL}, {b, NULL}, a, "dos veces"},
        {{a, sym, NULL}, {b, NULL}, sym, "mismo archivo"},
        {{a, dotted, NULL}, {b, NULL}, dotted, "mismo archivo"},
        {{b, NULL}, {hard, NULL}, hard, "solicitudes y de difusión"},
        {{a, NULL}, {a, NULL}, a, "solicitudes y de difusión"},
        {{in_dir, sub, NULL}, {b, NULL}, in_dir, "dos veces"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        obs_inputs in;
        obs_error err;
        obs_status st = expand(cases[i].sol, cases[i].dif, &in, &err);
        if (st != OBS_ERR_USAGE || strcmp(err.path, cases[i].named) != 0 || !strstr(err.message, cases[i].says))
            fail_msg("case %zu: status %d, %s: %s", i, (int)st, err.path, err.message);
        assert_null(in.files[0]);
    }
    g_free(dotted);
    g_free(hard);
    g_free(sym);
    g_free(in_dir);
    g_free(sub);
    g_free(a);
    g_free(b);
}

/* The names files are shown by: none after expanding (the paths as given); set per export, one
 * per file, and looked up by path; a list of another length changes nothing. */
static void test_names_shown_instead_of_paths(void **state)
{
    (void)state;
    char *a = touch("a.csv"), *b = touch("b.csv");
    obs_inputs in;
    obs_error err;
    assert_int_equal(expand((const char *[]){a, NULL}, (const char *[]){b, NULL}, &in, &err), OBS_OK);
    assert_null(in.names[OBS_FILE_SOLICITUDES]);
    assert_ptr_equal(obs_inputs_name(&in, a), a);
    assert_false(obs_inputs_set_names(&in, OBS_FILE_SOLICITUDES, (const char *const[]){"x.csv", "y.csv", NULL}));
    assert_null(in.names[OBS_FILE_SOLICITUDES]);
    assert_true(obs_inputs_set_names(&in, OBS_FILE_SOLICITUDES, (const char *const[]){"difusión mayo.csv", NULL}));
    assert_string_equal(obs_inputs_name(&in, a), "difusión mayo.csv");
    assert_ptr_equal(obs_inputs_name(&in, b), b);
    assert_string_equal(obs_inputs_name(&in, "otro.csv"), "otro.csv");
    assert_null(obs_inputs_name(&in, NULL));
    obs_inputs_clear(&in);
    assert_null(in.names[OBS_FILE_SOLICITUDES]);
    g_free(a);
    g_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_directory_gives_its_csv_and_xlsx_in_name_order, clean),
        cmocka_unit_test_teardown(test_directory_spelling_does_not_matter, clean),
        cmocka_unit_test_teardown(test_directory_without_exports_is_noinput_naming_it, clean),
        cmocka_unit_test_teardown(test_missing_path_is_noinput_naming_it, clean),
        cmocka_unit_test_teardown(test_same_file_twice_is_a_usage_error, clean),
        cmocka_unit_test_teardown(test_names_shown_instead_of_paths, clean),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
