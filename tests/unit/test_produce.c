/* test_produce.c - the document pipeline called as a library (produce.h), as the CLI and the server call it. */
#include <glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "observa/produce.h"
#include "scratch.h"

/* What the hooks heard. */
typedef struct heard {
    unsigned problems;
    unsigned errors;
    unsigned steps;
    GString *notices;
} heard;

static void on_problem(void *user, const obs_problem *p)
{
    heard *h = user;
    h->problems++;
    h->errors += p->level == OBS_LEVEL_ERROR;
}

static void on_progress(void *user, unsigned step, unsigned steps, const char *what)
{
    (void)what;
    heard *h = user;
    if (steps)
        h->steps = step;
}

static void on_notice(void *user, const char *text)
{
    heard *h = user;
    g_string_append_printf(h->notices, "%s\n", text);
}

/* The basico case's inputs (tests/e2e/cases/basico: 17 + 13 rows, 8 + 5 rejected), a
 * configuration, the catalogue and a scratch folder. */
typedef struct fixture {
    obs_catalog *cat;
    obs_config cfg;
    obs_inputs inputs;
    char *scratch;
    heard heard;
} fixture;

static int setup(void **state)
{
    fixture *f = g_new0(fixture, 1);
    obs_error err = {0};
    if (obs_catalog_load(g_getenv("OBSERVA_PLANTILLAS"), &f->cat, &err) != OBS_OK)
        return -1;
    char *dir = g_build_filename(g_getenv("OBS_TEST_SOURCE_ROOT"), "tests", "e2e", "cases", "basico", NULL);
    char *sol[] = {g_build_filename(dir, "solicitudes.csv", NULL), NULL};
    char *dif[] = {g_build_filename(dir, "difusion.csv", NULL), NULL};
    obs_status st = obs_inputs_expand((const char *const *)sol, (const char *const *)dif, &f->inputs, &err);
    g_free(sol[0]);
    g_free(dif[0]);
    g_free(dir);
    obs_config_init(&f->cfg);
    f->cfg.corte = obs_day_parse_iso("2023-10-12");
    f->cfg.corte_anterior = obs_day_parse_iso("2023-10-05");
    f->cfg.formatos = OBS_FMT_ALL;
    f->cfg.max_rechazadas = 10000; /* basico rejects 47% on purpose */
    f->scratch = scratch_dir("produce");
    f->heard.notices = g_string_new(NULL);
    *state = f;
    return st == OBS_OK ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    obs_catalog_free(f->cat);
    obs_config_clear(&f->cfg);
    obs_inputs_clear(&f->inputs);
    scratch_remove(f->scratch);
    g_string_free(f->heard.notices, TRUE);
    g_free(f);
    return 0;
}

/* A request for `documentos` into scratch/rel. */
static obs_produce_request request(fixture *f, const char *rel, unsigned documentos, char **dir)
{
    *dir = g_build_filename(f->scratch, rel, NULL);
    return (obs_produce_request){
        .command = "prueba",
        .cfg = &f->cfg,
        .inputs = &f->inputs,
        .cat = f->cat,
        .documentos = documentos,
        .dir = *dir,
        .threads = 1,
        .generated_at = 1698300000, /* 2023-10-26 00:00 in central Mexico: after the cortes */
        .hooks = {on_problem, on_progress, on_notice, &f->heard},
    };
}

/* open, read, finish: the status of the first step that fails. */
static obs_status produce(const obs_produce_request *req, obs_produce **p, obs_error *err)
{
    obs_status st = obs_produce_open(req, p, err);
    if (st == OBS_OK)
        st = obs_produce_read(*p, err);
    if (st == OBS_OK)
        st = obs_produce_finish(*p, err);
    return st;
}

static bool exists(const char *dir, const char *rel)
{
    char *p = g_build_filename(dir, rel, NULL);
    bool ok = g_file_test(p, G_FILE_TEST_IS_REGULAR);
    g_free(p);
    return ok;
}

/* The whole set, published together; every problem heard once and every step counted. */
static void test_produce_publishes_the_set(void **state)
{
    fixture *f = *state;
    char *dir;
    obs_produce_request req = request(f, "set", OBS_DOC_INFORME | OBS_DOC_METRICAS, &dir);
    obs_produce *p = NULL;
    obs_error err = {0};
    if (produce(&req, &p, &err) != OBS_OK)
        fail_msg("%s", err.message);
    const char *files[] = {"informe.pdf", "informe.xlsx", "metricas.csv", "rechazos.csv", "manifest.json"};
    for (size_t i = 0; i < G_N_ELEMENTS(files); i++)
        if (!exists(dir, files[i]))
            fail_msg("%s was not published", files[i]);
    assert_int_equal(obs_produce_count(p), G_N_ELEMENTS(files));
    assert_int_equal(f->heard.errors, 13); /* 8 + 5 rows rejected */
    assert_true(f->heard.problems > f->heard.errors);
    assert_int_equal(f->heard.steps, 3); /* informe.pdf, informe.xlsx, metricas.csv */
    assert_int_equal(obs_run_rechazadas(obs_produce_run(p)), 13);
    obs_produce_free(p);
    g_free(dir);
}

/* Over --max-rechazadas: OBS_ERR_DATA told in notices; only rechazos.csv and the manifest. */
static void test_produce_gate_refuses_and_explains(void **state)
{
    fixture *f = *state;
    f->cfg.max_rechazadas = 500;
    char *dir;
    obs_produce_request req = request(f, "rechazado", OBS_DOC_INFORME, &dir);
    obs_produce *p = NULL;
    obs_error err = {0};
    assert_int_equal(produce(&req, &p, &err), OBS_ERR_DATA);
    assert_string_equal(err.message, "");
    if (!strstr(f->heard.notices->str, "más que el máximo de 5%"))
        fail_msg("notices: %s", f->heard.notices->str);
    assert_true(exists(dir, "rechazos.csv"));
    assert_true(exists(dir, "manifest.json"));
    assert_false(exists(dir, "informe.pdf"));
    obs_produce_free(p);
    g_free(dir);
}

/* A folder holding another corte's delivered set is refused before anything is read, unless
 * reemplazar; a validation run writes only rechazos.csv and never into a delivered set. */
static void test_produce_folder_rules(void **state)
{
    fixture *f = *state;
    char *dir;
    obs_produce_request req = request(f, "entregado", OBS_DOC_METRICAS, &dir);
    obs_produce *p = NULL;
    obs_error err = {0};
    assert_int_equal(produce(&req, &p, &err), OBS_OK);
    obs_produce_free(p);
    f->cfg.corte = obs_day_parse_iso("2023-10-13");
    unsigned heard_before = f->heard.problems;
    assert_int_equal(obs_produce_open(&req, &p, &err), OBS_ERR_CANTCREAT);
    assert_null(p);
    assert_non_null(strstr(err.message, "--reemplazar"));
    assert_int_equal(f->heard.problems, heard_before); /* nothing was read */
    req.reemplazar = true;
    assert_int_equal(produce(&req, &p, &err), OBS_OK);
    assert_true(obs_produce_folder_delivered(p));
    obs_produce_free(p);
    req.documentos = 0;
    req.reemplazar = false;
    assert_int_equal(obs_produce_open(&req, &p, &err), OBS_ERR_CANTCREAT);
    g_free(dir);
    obs_produce_request val = request(f, "validacion", 0, &dir);
    assert_int_equal(produce(&val, &p, &err), OBS_OK);
    assert_int_equal(obs_produce_count(p), 1);
    assert_true(exists(dir, "rechazos.csv"));
    obs_produce_free(p);
    g_free(dir);
}

/* A pool of render threads writes the same bytes as one thread. */
static void test_produce_threads_give_the_same_bytes(void **state)
{
    fixture *f = *state;
    char *dirs[2];
    for (int i = 0; i < 2; i++) {
        obs_produce_request req = request(f, i ? "dos" : "uno", OBS_DOC_INFORME | OBS_DOC_OPL, &dirs[i]);
        req.threads = i ? 2 : 1;
        obs_produce *p = NULL;
        obs_error err = {0};
        assert_int_equal(produce(&req, &p, &err), OBS_OK);
        assert_int_equal(obs_produce_count(p), 2 + 64 + 2);
        obs_produce_free(p);
    }
    const char *files[] = {"informe.pdf", "informe.xlsx", "opl/15_IEEM.pdf", "opl/09_IECM.xlsx"};
    for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
        char *a, *b;
        gsize la, lb;
        char *pa = g_build_filename(dirs[0], files[i], NULL), *pb = g_build_filename(dirs[1], files[i], NULL);
        assert_true(g_file_get_contents(pa, &a, &la, NULL));
        assert_true(g_file_get_contents(pb, &b, &lb, NULL));
        if (la != lb || memcmp(a, b, la) != 0)
            fail_msg("%s differs between one and two threads", files[i]);
        g_free(a);
        g_free(b);
        g_free(pa);
        g_free(pb);
    }
    g_free(dirs[0]);
    g_free(dirs[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_produce_publishes_the_set, setup, teardown),
        cmocka_unit_test_setup_teardown(test_produce_gate_refuses_and_explains, setup, teardown),
        cmocka_unit_test_setup_teardown(test_produce_folder_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_produce_threads_give_the_same_bytes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
