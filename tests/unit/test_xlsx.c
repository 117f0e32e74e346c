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
#include "scratch.h"

#include <xlsxwriter.h>

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
    /* Every problem is in the sheet, which the stats name too. */
    for (guint i = 0; i < h->problems->len; i++)
        assert_string_equal(problem(h, i)->sheet, "Acciones");
    assert_string_equal(h->stats.sheet, "Acciones");
    /* Rows 6 and 7 are not in the sheet: blank rows, as a CSV export would have them. Rows 11 and
     * 12, formatted but without a value after the last row of data, are no rows at all; the note
     * in J10, right of the header, is not read. */
    assert_int_equal(h->stats.vacias, 2);
    assert_int_equal(h->stats.leidas, 7);
    assert_int_equal(h->stats.lines, 10);
    assert_int_equal(h->stats.encoding, OBS_ENC_UTF8);
    assert_int_equal(h->stats.delimiter, 0);
}

/* A formula that was never calculated (no <v>, or an empty one as openpyxl writes; a shared
 * formula's cell; the cells of an array formula) is said to be one, with what to do, and never
 * silently empty; an error value says which one, in Spanish too, and whether a formula gave it. */
static void test_formulas_without_a_value(void **state)
{
    harness *h = *state;
    obs_ingest_options one = {.threads = 1};
    assert_int_equal(ingest_fixture(h, "formulas.xlsx", &one), OBS_OK);
    static const char *const recalc = "abra el libro en Excel o LibreOffice y guárdelo para que calcule sus fórmulas, "
                                      "o exporte de nuevo los datos";
    static const struct {
        uint64_t line;
        unsigned column;
        obs_reason reason;
        const char *says, *also;
    } want[] = {
        {2, 6, OBS_R_W_CELL_VALUE, "tiene una fórmula que nunca se calculó", "para contar su valor, abra el libro"},
        {3, 6, OBS_R_W_CELL_VALUE, "tiene una fórmula que nunca se calculó", "se toma como vacía"},
        {4, 2, OBS_R_CELL_VALUE, "la columna B (entidad) tiene una fórmula que nunca se calculó", NULL},
        {5, 6, OBS_R_W_CELL_VALUE,
         "tiene una fórmula cuyo resultado es el error #DIV/0! (#¡DIV/0! en Excel en español: una división entre cero)",
         "para contar su valor, corrija la fórmula"},
        {6, 4, OBS_R_CELL_VALUE, "tiene una fórmula cuyo resultado es el error #REF! (#¡REF! en Excel en español",
         "corrija la fórmula (o escriba el valor) en el libro"},
        {7, 6, OBS_R_W_CELL_VALUE, "la columna F (alcance) tiene el error #N/A (#N/D en Excel en español",
         "escriba el valor correcto en esa celda"},
        {9, 6, OBS_R_W_CELL_VALUE, "tiene una fórmula que nunca se calculó", NULL},     /* shared */
        {11, 6, OBS_R_W_CELL_VALUE, "tiene una fórmula que nunca se calculó", NULL},    /* array, first cell */
        {12, 6, OBS_R_W_CELL_VALUE, "tiene una fórmula que nunca se calculó", NULL},    /* array, not written */
        {15, 2, OBS_R_CELL_VALUE, "la columna B (entidad) tiene un valor de error de Excel", NULL},
        {18, 2, OBS_R_CELL_VALUE, "la columna B (entidad) tiene una fórmula que nunca se calculó", NULL},
        {19, 2, OBS_R_CELL_VALUE, "la columna B (entidad) tiene una fórmula que nunca se calculó", NULL},
    };
    if (h->problems->len != G_N_ELEMENTS(want)) {
        dump_problems(h);
        fail_msg("%u problems, not %zu", h->problems->len, G_N_ELEMENTS(want));
    }
    for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
        const seen_problem *p = problem(h, (guint)i);
        if (p->line != want[i].line || p->column != want[i].column || p->reason != want[i].reason
            || !strstr(p->message, want[i].says) || (want[i].also && !strstr(p->message, want[i].also)))
            fail_msg("row %" G_GUINT64_FORMAT ": line %" G_GUINT64_FORMAT " column %u reason %d «%s»", want[i].line,
                     p->line, p->column, (int)p->reason, p->message);
        /* Never the old, misleading "falta el valor obligatorio"; always what to do. */
        assert_null(strstr(p->message, "falta el valor obligatorio"));
        bool formula_never_calculated = strstr(p->message, "nunca se calculó") != NULL;
        if (formula_never_calculated)
            assert_non_null(strstr(p->message, recalc));
        assert_string_equal(p->sheet, "Fórmulas");
    }
    /* Rows 4, 6, 15, 18 and 19 rejected; the rest counted, with the value absent where it had none. */
    assert_int_equal(h->stats.leidas, 19);
    assert_int_equal(h->stats.rechazadas, 5);
    static const struct {
        int64_t alcance;
        int instancia;
    } rows[] = {
        {-1, OBS_INSTANCIA_OPL},                  /* 2 */
        {-1, OBS_INSTANCIA_OPL},                  /* 3 */
        {-1, OBS_INSTANCIA_OPL},                  /* 5 */
        {-1, OBS_INSTANCIA_OPL},                  /* 7 */
        {10, OBS_INSTANCIA_OPL},                  /* 8: a shared formula's calculated first cell */
        {-1, OBS_INSTANCIA_OPL},                  /* 9 */
        {12, OBS_INSTANCIA_OPL},                  /* 10 */
        {-1, OBS_INSTANCIA_OPL},                  /* 11 */
        {-1, OBS_INSTANCIA_OPL},                  /* 12 */
        {-1, OBS_INSTANCIA_OPL},                  /* 13: outside the array, simply empty */
        {-1, OBS_INSTANCIA_OPL},                  /* 14: instancia from a text formula, ="" empty */
        {4, OBS_INSTANCIA_OPL},                   /* 16: a calculated array formula */
        {5, OBS_INSTANCIA_OPL},                   /* 17 */
        {-1, OBS_INSTANCIA_OPL},                  /* 20: an empty <v> without a formula */
    };
    assert_int_equal(h->acciones->len, G_N_ELEMENTS(rows));
    for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
        assert_int_equal(accion(h, (guint)i)->alcance, rows[i].alcance);
        assert_int_equal(accion(h, (guint)i)->instancia, rows[i].instancia);
    }
}

/* The reader on a thread of its own hands on exactly what it gives on the caller's. */
static void test_threaded_read_gives_the_same(void **state)
{
    harness *h = *state;
    obs_ingest_options one = {.threads = 1}, two = {.threads = 2};
    assert_int_equal(ingest_fixture(h, "tipos.xlsx", &one), OBS_OK);
    GString *a = g_string_new(NULL);
    for (guint i = 0; i < h->problems->len; i++)
        g_string_append_printf(a, "%" G_GUINT64_FORMAT ",%u,%d,%s\n", problem(h, i)->line, problem(h, i)->column,
                               problem(h, i)->reason, problem(h, i)->message);
    g_string_append_printf(a, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %u", h->stats.leidas, h->stats.vacias,
                           h->acciones->len);
    assert_int_equal(ingest_fixture(h, "tipos.xlsx", &two), OBS_OK);
    GString *b = g_string_new(NULL);
    for (guint i = 0; i < h->problems->len; i++)
        g_string_append_printf(b, "%" G_GUINT64_FORMAT ",%u,%d,%s\n", problem(h, i)->line, problem(h, i)->column,
                               problem(h, i)->reason, problem(h, i)->message);
    g_string_append_printf(b, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %u", h->stats.leidas, h->stats.vacias,
                           h->acciones->len);
    assert_string_equal(a->str, b->str);
    g_string_free(a, TRUE);
    g_string_free(b, TRUE);
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

/* A workbook of `rows` difusion rows whose sheet compresses to over 1 MiB (random descriptions),
 * written by libxlsxwriter; `header` names the columns (g_free the contents). */
static char *big_workbook(const char *const *header, int rows, gsize *len)
{
    char *dir = scratch_dir("xlsx-grande"), *path = g_build_filename(dir, "grande.xlsx", NULL);
    lxw_workbook_options o = {.constant_memory = LXW_TRUE};
    lxw_workbook *book = workbook_new_opt(path, &o);
    lxw_worksheet *ws = workbook_add_worksheet(book, "Datos");
    for (int c = 0; header[c]; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, header[c], NULL);
    GRand *rnd = g_rand_new_with_seed(14);
    for (int r = 1; r <= rows; r++) {
        char id[16], desc[96];
        g_snprintf(id, sizeof id, "D%d", r);
        for (size_t i = 0; i + 1 < sizeof desc; i++)
            desc[i] = (char)('a' + g_rand_int_range(rnd, 0, 26));
        desc[sizeof desc - 1] = '\0';
        worksheet_write_string(ws, (lxw_row_t)r, 0, id, NULL);
        worksheet_write_number(ws, (lxw_row_t)r, 1, 1 + r % 32, NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 2, "opl", NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 3, "2024-01-19", NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 4, "rs", NULL);
        worksheet_write_number(ws, (lxw_row_t)r, 5, r % 100, NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 6, desc, NULL);
    }
    g_rand_free(rnd);
    assert_int_equal(workbook_close(book), LXW_NO_ERROR);
    char *data = NULL;
    assert_true(g_file_get_contents(path, &data, len, NULL));
    assert_true(*len > (1u << 20) + (1u << 19)); /* its sheet alone is over 1 MiB compressed */
    g_free(path);
    scratch_remove(dir);
    return data;
}

/* A sheet of 1 MiB or more (compressed) is inflated on a thread of its own when the read is
 * threaded: the same rows as inflated on the reader's thread; a header refused at once stops
 * that thread midway (no hang, no leak under valgrind). */
static void test_big_sheet_inflated_ahead(void **state)
{
    harness *h = *state;
    static const char *const good[] = {"id", "entidad", "instancia", "fecha", "tipo", "alcance", "descripcion", NULL};
    gsize len;
    char *data = big_workbook(good, 30000, &len);
    obs_ingest_options one = {.threads = 1}, two = {.threads = 2};
    assert_int_equal(ingest_bytes(h, OBS_FILE_DIFUSION, data, len, &one), OBS_OK);
    assert_int_equal(h->acciones->len, 30000);
    int64_t sum = 0;
    for (guint i = 0; i < h->acciones->len; i++)
        sum += accion(h, i)->alcance * (accion(h, i)->entidad + (int64_t)i);
    assert_int_equal(ingest_bytes(h, OBS_FILE_DIFUSION, data, len, &two), OBS_OK);
    assert_int_equal(h->acciones->len, 30000);
    int64_t sum2 = 0;
    for (guint i = 0; i < h->acciones->len; i++)
        sum2 += accion(h, i)->alcance * (accion(h, i)->entidad + (int64_t)i);
    assert_true(sum == sum2);
    assert_int_equal(h->stats.lines, 30001);
    g_free(data);
    static const char *const no_instancia[] = {"id", "entidad", "nada", "fecha", "tipo", "alcance", "descripcion",
                                               NULL};
    data = big_workbook(no_instancia, 30000, &len);
    assert_int_equal(ingest_bytes(h, OBS_FILE_DIFUSION, data, len, &two), OBS_ERR_DATA);
    assert_non_null(strstr(h->err.message, "faltan columnas obligatorias: instancia"));
    assert_non_null(strstr(h->err.path, ":Datos!1:1"));
    g_free(data);
}

/* The first sheet of data is read (a chart sheet is not one); a chart sheet asked by name is refused. */
static void test_chart_sheets_are_not_data(void **state)
{
    harness *h = *state;
    assert_int_equal(ingest_fixture(h, "grafica_primero.xlsx", NULL), OBS_OK);
    assert_int_equal(h->acciones->len, 1);
    assert_string_equal(h->stats.sheet, "Datos");
    obs_ingest_options opts = {.threads = 1, .sheet = "grafica"};
    assert_int_equal(ingest_fixture(h, "grafica_primero.xlsx", &opts), OBS_ERR_DATA);
    assert_non_null(strstr(h->err.message, "«Gráfica» del libro no es una hoja de datos"));
}

/* What is not a readable workbook is refused by what it is, with what to do. */
static void test_other_workbooks_are_refused_with_what_to_do(void **state)
{
    harness *h = *state;
    static const struct {
        const char *name;
        const char *says;
    } cases[] = {
        {"difusion.ods", "OpenDocument (.ods)"},
        {"difusion.xls", "Excel 97-2003 (.xls)"},
        {"cifrado.xlsx", "cifrado con contraseña"},
        {"binario.xlsx", "binario de Excel (.xlsb)"},
        {"solo_zip.xlsx", "no es un libro .xlsx legible"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        assert_int_equal(ingest_fixture(h, cases[i].name, NULL), OBS_ERR_DATA);
        if (!strstr(h->err.message, cases[i].says) || !strstr(h->err.message, "como .xlsx o como"))
            fail_msg("%s: «%s» lacks «%s» or what to do", cases[i].name, h->err.message, cases[i].says);
    }
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
        {"rels_rotas.xlsx", "no es XML bien formado"}, /* leaked the workbook's part name (fuzzer) */
        {"fila_enorme.xlsx", "después de la 1048576"},  /* never a million blank rows */
        {"encabezado_abajo.xlsx", "primeras 11 filas"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        assert_int_equal(ingest_fixture(h, cases[i].name, NULL), OBS_ERR_DATA);
        if (!strstr(h->err.message, cases[i].says))
            fail_msg("%s: «%s» lacks «%s»", cases[i].name, h->err.message, cases[i].says);
        assert_null(strstr(h->err.message, "root:")); /* /etc/passwd never read */
    }
}

/* Where a problem is: as a compiler says it for CSV, as Excel's Name Box takes it in a workbook. */
static void test_problem_locations(void **state)
{
    (void)state;
    static const struct {
        const char *sheet;
        uint64_t line;
        unsigned column;
        const char *location, *archivo, *columna;
    } cases[] = {
        {NULL, 11, 3, "s.csv:11:3", "s.csv", "3"},
        {NULL, 15, 0, "s.csv:15", "s.csv", ""},
        {"Hoja1", 17, 3, "s.csv:Hoja1!C17", "s.csv:Hoja1", "C"},
        {"Exportación", 1, 0, "s.csv:Exportación!1:1", "s.csv:Exportación", ""},
        {"Hoja 1", 9, 28, "s.csv:'Hoja 1'!AB9", "s.csv:Hoja 1", "AB"},
        {"D'Ávila", 2, 1, "s.csv:'D''Ávila'!A2", "s.csv:D'Ávila", "A"},
        {"2024", 2, 1, "s.csv:'2024'!A2", "s.csv:2024", "A"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        obs_problem p = {.file = "s.csv", .line = cases[i].line, .column = cases[i].column, .sheet = cases[i].sheet};
        char *loc = obs_problem_location(&p), *archivo = obs_problem_archivo(&p);
        char col[OBS_PROBLEM_COLUMN_MAX];
        assert_string_equal(loc, cases[i].location);
        assert_string_equal(archivo, cases[i].archivo);
        assert_string_equal(obs_problem_column(&p, col), cases[i].columna);
        g_free(loc);
        g_free(archivo);
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
        cmocka_unit_test(test_formulas_without_a_value),
        cmocka_unit_test(test_threaded_read_gives_the_same),
        cmocka_unit_test(test_big_sheet_inflated_ahead),
        cmocka_unit_test(test_chart_sheets_are_not_data),
        cmocka_unit_test(test_other_workbooks_are_refused_with_what_to_do),
        cmocka_unit_test(test_problem_locations),
        cmocka_unit_test(test_date_systems),
        cmocka_unit_test(test_sheet_by_name_and_title_rows),
        cmocka_unit_test(test_hostile_workbooks_are_refused),
        cmocka_unit_test(test_column_letters),
    };
    return cmocka_run_group_tests(tests, harness_setup, harness_teardown);
}
