/* test_xlsx.c - .xlsx workbooks: every cell type, the date systems, sheets, and hostile files (issue 14). */
#include <glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ingest_harness.h"
#include "ingest/xlsxread_int.h"

static obs_day day(const char *iso)
{
    return obs_day_parse_iso(iso);
}

/* Ingests a fixture of tests/fixtures/xlsx as difusion (opts may be NULL). */
static obs_status ingest_fixture(harness *h, const char *name, const obs_ingest_options *opts)
{
    char *path = g_build_filename(g_getenv("OBS_TEST_SOURCE_ROOT"), "tests", "fixtures", "xlsx", name, NULL);
    char *data = NULL;
    gsize len = 0;
    assert_true(g_file_get_contents(path, &data, &len, NULL));
    obs_status st = ingest_bytes(h, OBS_FILE_DIFUSION, data, len, opts);
    g_free(data);
    g_free(path);
    return st;
}

static void test_every_cell_type(void **state)
{
    harness *h = *state;
    assert_int_equal(ingest_fixture(h, "tipos.xlsx", NULL), OBS_OK);
    /* D1 shared strings, a number entidad, a built-in date style, a number alcance. */
    assert_int_equal(accion(h, 0)->entidad, 15);
    assert_int_equal(accion(h, 0)->fecha, day("2024-01-19"));
    assert_int_equal(accion(h, 0)->alcance, 21000);
    /* D2 inline strings, a custom date style with a time of day, a cached formula. */
    assert_int_equal(accion(h, 1)->entidad, 14);
    assert_int_equal(accion(h, 1)->fecha, day("2024-01-20"));
    assert_int_equal(accion(h, 1)->alcance, 3);
    /* D3 a formula string, an ISO date cell, #N/A in an optional column (absent, aviso), a boolean. */
    assert_int_equal(accion(h, 2)->instancia, OBS_INSTANCIA_JLE);
    assert_int_equal(accion(h, 2)->fecha, day("2024-01-21"));
    assert_int_equal(accion(h, 2)->alcance, -1);
    /* D4 a number format with a quoted d is not a date: alcance 7; cells without references. */
    assert_int_equal(accion(h, 3)->alcance, 7);
    assert_int_equal(accion(h, 3)->fecha, day("2024-01-22"));
    /* D6 an id Excel wrote with an exponent. */
    assert_int_equal(accion(h, 4)->fecha, day("2024-01-09"));
    assert_int_equal(h->acciones->len, 5);
    /* Problems, located by row and column. */
    static const struct {
        uint64_t line;
        unsigned column;
        obs_reason reason;
    } want[] = {
        {4, 6, OBS_R_W_CELL_VALUE}, /* #N/A in alcance */
        {8, 4, OBS_R_CELL_VALUE},   /* a formula never calculated in fecha */
        {9, 6, OBS_R_W_NUMBER},     /* 1500.5 */
        {10, 1, OBS_R_REPEATED_ID}, /* "123456789012" as text repeats the number */
    };
    assert_int_equal(h->problems->len, G_N_ELEMENTS(want));
    for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
        assert_int_equal(problem(h, (guint)i)->line, want[i].line);
        assert_int_equal(problem(h, (guint)i)->column, want[i].column);
        assert_int_equal(problem(h, (guint)i)->reason, want[i].reason);
    }
    /* Rows 6 and 7 are not in the sheet: blank rows, as a CSV export would have them. */
    assert_int_equal(h->stats.vacias, 2);
    assert_int_equal(h->stats.leidas, 7);
    assert_int_equal(h->stats.lines, 10);
    assert_int_equal(h->stats.encoding, OBS_ENC_UTF8);
}

static void test_date_systems(void **state)
{
    harness *h = *state;
    assert_int_equal(ingest_fixture(h, "fechas1904.xlsx", NULL), OBS_OK);
    assert_int_equal(accion(h, 0)->fecha, day("2024-01-19"));
}

static void test_sheet_by_name_and_title_rows(void **state)
{
    harness *h = *state;
    /* The first sheet has no header. */
    assert_int_equal(ingest_fixture(h, "titulos.xlsx", NULL), OBS_ERR_DATA);
    obs_ingest_options opts = {.threads = 1, .sheet = "difusion"}; /* compared after folding */
    assert_int_equal(ingest_fixture(h, "titulos.xlsx", &opts), OBS_OK);
    assert_int_equal(h->problems->len, 1);
    assert_int_equal(problem(h, 0)->reason, OBS_R_W_TITLE_LINES);
    assert_int_equal(problem(h, 0)->line, 1);
    assert_int_equal(accion(h, 0)->fecha, day("2024-01-19"));
    opts.sheet = "Inexistente";
    assert_int_equal(ingest_fixture(h, "titulos.xlsx", &opts), OBS_ERR_DATA);
    assert_non_null(strstr(h->err.message, "«Difusión»"));
}

/* Hostile workbooks: a clear refusal, never a crash, a hang or unbounded memory. */
static void test_hostile_workbooks_are_refused(void **state)
{
    harness *h = *state;
    static const struct {
        const char *name;
        const char *says;
    } cases[] = {
        {"no_es_zip.xlsx", "dañado"},
        {"sin_libro.xlsx", "no tiene la parte del libro"},
        {"bomba.xlsx", "desmesurado"},
        {"profunda.xlsx", "anida"},
        {"risas.xlsx", "DOCTYPE"},
        {"externa.xlsx", "DOCTYPE"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        assert_int_equal(ingest_fixture(h, cases[i].name, NULL), OBS_ERR_DATA);
        if (!strstr(h->err.message, cases[i].says))
            fail_msg("%s: «%s» lacks «%s»", cases[i].name, h->err.message, cases[i].says);
        assert_null(strstr(h->err.message, "root:")); /* /etc/passwd never read */
    }
}

static void test_column_letters(void **state)
{
    (void)state;
    static const struct {
        unsigned col;
        const char *letters;
    } cases[] = {{1, "A"}, {3, "C"}, {26, "Z"}, {27, "AA"}, {52, "AZ"}, {703, "AAA"}, {16384, "XFD"}};
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char buf[OBS_XLSX_COLUMN_LETTERS];
        obs_xlsx_column_letters(cases[i].col, buf);
        assert_string_equal(buf, cases[i].letters);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_cell_type),
        cmocka_unit_test(test_date_systems),
        cmocka_unit_test(test_sheet_by_name_and_title_rows),
        cmocka_unit_test(test_hostile_workbooks_are_refused),
        cmocka_unit_test(test_column_letters),
    };
    return cmocka_run_group_tests(tests, harness_setup, harness_teardown);
}
