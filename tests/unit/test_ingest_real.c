/* test_ingest_real.c - exports as spreadsheets and real systems write them (issue 11, data contract §1-3). */
#include <glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ingest_harness.h"
#include "observa/metrics.h"

#define DIF7 "id;entidad;instancia;fecha;tipo;alcance;descripcion\n"

static obs_day day(const char *iso)
{
    return obs_day_parse_iso(iso);
}

/* Whether the problems' reasons are exactly want[0..n), in order. */
static bool reasons_are(const harness *h, const obs_reason *want, size_t n)
{
    if (h->problems->len != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (g_array_index(h->problems, seen_problem, i).reason != want[i])
            return false;
    return true;
}

static void expect_counts(const harness *h, uint64_t leidas, uint64_t aceptadas, uint64_t vacias)
{
    if (h->stats.leidas != leidas || h->stats.aceptadas != aceptadas || h->stats.vacias != vacias) {
        dump_problems(h);
        fail_msg("leídas %llu aceptadas %llu vacías %llu; expected %llu %llu %llu",
                 (unsigned long long)h->stats.leidas, (unsigned long long)h->stats.aceptadas,
                 (unsigned long long)h->stats.vacias, (unsigned long long)leidas, (unsigned long long)aceptadas,
                 (unsigned long long)vacias);
    }
}

/* ---- physical format ------------------------------------------------------------------------ */

/* Issue 11, example 1: every data row ends in one extra delimiter (Excel), under a header without it. */
static void test_trailing_delimiters_are_not_fields(void **state)
{
    harness *h = *state;
    static const char *const files[] = {
        DIF7 "D7;15;opl;05/01/2024;rs;300;Plaza;\nD8;15;opl;06/01/2024;rs;20;Radio;\n",
        DIF7 "D7;15;opl;05/01/2024;rs;300;Plaza;;;\nD8;15;opl;06/01/2024;rs;20;Radio; ;\n",
        /* The header itself with a trailing delimiter, the rows without. */
        ("id;entidad;instancia;fecha;tipo;alcance;descripcion;\nD7;15;opl;05/01/2024;rs;300;Plaza\n"
         "D8;15;opl;06/01/2024;rs;20;Radio;\n"),
    };
    for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
        assert_int_equal(ingest(h, OBS_FILE_DIFUSION, files[i]), OBS_OK);
        if (h->problems->len)
            dump_problems(h);
        assert_int_equal(h->problems->len, 0);
        expect_counts(h, 2, 2, 0);
        assert_int_equal(accion(h, 0)->alcance, 300);
    }
    /* An extra field with something in it is still a wrong count. */
    ingest(h, OBS_FILE_DIFUSION, DIF7 "D7;15;opl;05/01/2024;rs;300;Plaza;x\n");
    expect_rejected(h, OBS_R_FIELD_COUNT, 2, "");
}

static void test_short_rows_read_missing_optional_fields_as_empty(void **state)
{
    harness *h = *state;
    /* consejo, resolucion and fecha_resolucion missing at the end: read empty, with an aviso. */
    ingest(h, OBS_FILE_SOLICITUDES, SOL_HEADER "A1,09,2023-10-01,,individual,portal,mujer,30,2023-10-03\n");
    expect_one(h, OBS_R_W_SHORT_ROW, 2, "");
    assert_non_null(strstr(problem(h, 0)->message, "resolucion, fecha_resolucion, consejo"));
    expect_counts(h, 1, 1, 0);
    assert_int_equal(solicitud(h, 0)->edad, 30);
    assert_int_equal(solicitud(h, 0)->resolucion, OBS_ABSENT);
    /* Missing a required column (medio) is a row error naming it. */
    ingest(h, OBS_FILE_SOLICITUDES, SOL_HEADER "A1,09,2023-10-01,,individual\n");
    expect_rejected(h, OBS_R_FIELD_COUNT, 2, "");
    assert_non_null(strstr(problem(h, 0)->message, "medio"));
}

/* A short row whose values do not fit their columns lost fields before its end: its values may be other
 * columns' (a name, a CURP). It is rejected with one error, and no value of it reaches a message. */
static void test_short_rows_with_shifted_values_are_rejected_unseen(void **state)
{
    harness *h = *state;
    const char hdr[] = "folio,entidad,fecha_solicitud,tipo,medio,sexo,edad,fecha_curso,consejo,nombre,curp\n";
    static const struct {
        const char *row;
        bool kept;
        const char *fields; /* the columns the error names, or the field of the one aviso */
    } cases[] = {
        /* sexo and edad missing: fecha_curso holds a name, consejo a CURP. */
        {"A1,15,2024-01-05,individual,portal,2024-02-01,María López,LOPM900101MDFPRR01", false,
         "3 de sus valores no corresponden a sus columnas (sexo, edad, fecha_curso)"},
        /* One field missing: every value after it shifts one column. */
        {"A1,15,2024-01-05,individual,portal,30,2024-02-01,local,María López", false,
         "4 de sus valores no corresponden a sus columnas (sexo, edad, fecha_curso, consejo)"},
        /* The last fields missing, the rest where the header says: kept with the short-row aviso. */
        {"A1,15,2024-01-05,individual,portal,mujer,30,2024-02-01,local", true, NULL},
        /* One value that does not fit: kept, its aviso without the value. */
        {"A1,15,2024-01-05,individual,portal,mujer,30,2024-02-01,Pérez", true, "consejo"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *data = g_strconcat(hdr, cases[i].row, "\n", NULL);
        assert_int_equal(ingest(h, OBS_FILE_SOLICITUDES, data), OBS_OK);
        g_free(data);
        for (guint k = 0; k < h->problems->len; k++) {
            const seen_problem *p = problem(h, k);
            static const char *const personal[] = {"María", "LOPM", "Pérez", "2024-02-01", NULL};
            assert_string_equal(p->value, "");
            for (const char *const *w = personal; *w; w++)
                if (strstr(p->message, *w))
                    fail_msg("case %zu shows «%s»: %s", i, *w, p->message);
        }
        if (!cases[i].kept) {
            expect_rejected(h, OBS_R_FIELD_COUNT, 2, "");
            if (!strstr(problem(h, 0)->message, cases[i].fields))
                fail_msg("case %zu: %s", i, problem(h, 0)->message);
            assert_int_equal(h->stats.por_motivo[OBS_R_FIELD_COUNT], 1);
            assert_int_equal(h->stats.por_motivo[OBS_R_W_SHORT_ROW], 0);
            assert_int_equal(h->stats.por_motivo[OBS_R_W_DATE] + h->stats.por_motivo[OBS_R_W_IGNORED_VALUE] +
                                 h->stats.por_motivo[OBS_R_W_AGE],
                             0);
        } else if (cases[i].fields) {
            assert_int_equal(h->problems->len, 2);
            assert_int_equal(problem(h, 0)->reason, OBS_R_W_SHORT_ROW);
            assert_int_equal(problem(h, 1)->reason, OBS_R_W_IGNORED_VALUE);
            assert_string_equal(problem(h, 1)->field, cases[i].fields);
            assert_int_equal(h->stats.por_motivo[OBS_R_W_IGNORED_VALUE], 1);
            expect_counts(h, 1, 1, 0);
        } else {
            expect_one(h, OBS_R_W_SHORT_ROW, 2, "");
            expect_counts(h, 1, 1, 0);
            assert_int_equal(solicitud(h, 0)->fecha_curso, day("2024-02-01"));
            /* Only the columns of other business are missing: they are not named. */
            assert_null(strstr(problem(h, 0)->message, "curp"));
            assert_non_null(strstr(problem(h, 0)->message, "de columnas que observa no usa"));
        }
    }
}

/* Rows of only delimiters, spaces or nothing are blank rows: counted apart, never rejected. */
static void test_blank_rows_are_counted_apart(void **state)
{
    harness *h = *state;
    static const struct {
        const char *data;
        uint64_t vacias;
    } cases[] = {
        {DIF7 "D1;15;opl;05/01/2024;rs;3;x\n;;;;;;\n;;;;;;\nD2;15;opl;05/01/2024;rs;3;x\n", 2},
        {DIF7 "D1;15;opl;05/01/2024;rs;3;x\n\n\nD2;15;opl;05/01/2024;rs;3;x\n\n", 3},
        {DIF7 "D1;15;opl;05/01/2024;rs;3;x\r\n\r\n;;;;;;\r\nD2;15;opl;05/01/2024;rs;3;x\r\n", 2},
        {DIF7 "D1;15;opl;05/01/2024;rs;3;x\n  ;\t; \xC2\xA0 ;;;;\nD2;15;opl;05/01/2024;rs;3;x\n", 1},
        {DIF7 "D1;15;opl;05/01/2024;rs;3;x\n;;;;;;;;;;;;\nD2;15;opl;05/01/2024;rs;3;x\n", 1},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        assert_int_equal(ingest(h, OBS_FILE_DIFUSION, cases[i].data), OBS_OK);
        assert_int_equal(h->problems->len, 0);
        expect_counts(h, 2, 2, cases[i].vacias);
    }
    /* A row with only a column observa ignores filled is not blank: it lacks its data. */
    ingest(h, OBS_FILE_DIFUSION, "id;entidad;instancia;fecha;tipo;nombre\n;;;;;Ana\n");
    expect_counts(h, 1, 0, 0);
}

static void test_sep_line_sets_the_delimiter(void **state)
{
    harness *h = *state;
    static const char *const files[] = {
        "sep=;\r\n" DIF7 "D1;15;opl;05/01/2024;rs;3;Plaza, centro\r\nD2;15;opl;05/01/2024;rs;x,y;z\r\n",
        "\"sep=;\"\n" DIF7 "D1;15;opl;05/01/2024;rs;3;Plaza, centro\nD2;15;opl;05/01/2024;rs;x,y;z\n",
        "\xEF\xBB\xBFsep=;\n" DIF7 "D1;15;opl;05/01/2024;rs;3;Plaza, centro\nD2;15;opl;05/01/2024;rs;x,y;z\n",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
        assert_int_equal(ingest(h, OBS_FILE_DIFUSION, files[i]), OBS_OK);
        assert_int_equal(h->stats.delimiter, ';');
        /* The second row's alcance is the problem, on physical line 4. */
        expect_one(h, OBS_R_W_NUMBER, 4, "alcance");
        assert_int_equal(problem(h, 0)->column, 6);
        expect_counts(h, 2, 2, 0);
    }
}

/* Up to 10 title lines above the header are skipped with one aviso; lines keep their numbers. */
static void test_title_lines_above_the_header(void **state)
{
    harness *h = *state;
    static const char *const titles[] = {
        "Reporte de acciones de difusión\n",
        "Reporte de acciones de difusión;;;;;;\n;;;;;;\n",
        "Sistema de Observadores, INE\nFecha de corte: 12/10/2023\n\n",
        "t1\nt2\nt3\nt4\nt5\nt6\nt7\nt8\nt9\nt10\n",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(titles); i++) {
        unsigned n = 0;
        for (const char *p = titles[i]; *p; p++)
            n += *p == '\n';
        char *data = g_strconcat(titles[i], DIF7, "D1;15;opl;05/01/2024;rs;3;x\nD2;15;opl;05/01/2024;rs;-4;x\n", NULL);
        assert_int_equal(ingest(h, OBS_FILE_DIFUSION, data), OBS_OK);
        g_free(data);
        assert_int_equal(h->stats.delimiter, ';');
        assert_int_equal(h->problems->len, 2);
        assert_int_equal(problem(h, 0)->reason, OBS_R_W_TITLE_LINES);
        assert_int_equal(problem(h, 0)->line, 1);
        assert_int_equal(problem(h, 1)->reason, OBS_R_W_NUMBER);
        assert_int_equal(problem(h, 1)->line, n + 3);
        expect_counts(h, 2, 2, 0);
        /* A file-level aviso does not make a row "con avisos". */
        assert_int_equal(h->stats.con_avisos, 1);
    }
    /* Eleven lines above it: not a header any more. */
    char *data = g_strconcat("t1\nt2\nt3\nt4\nt5\nt6\nt7\nt8\nt9\nt10\nt11\n", DIF7, "D1;15;opl;05/01/2024;rs;3;x\n", NULL);
    assert_int_equal(ingest(h, OBS_FILE_DIFUSION, data), OBS_ERR_DATA);
    assert_non_null(strstr(h->err.message, "es un encabezado"));
    g_free(data);
}

/* A first line past the reader's limits (a file of one 2 MiB line, or a 100 KiB "name") is said to be
 * too long to be a header, not to have bad quotes or bytes. */
static void test_an_overlong_first_line_is_no_header(void **state)
{
    harness *h = *state;
    char *line = g_strnfill(2 * 1024 * 1024, 'a');
    assert_int_equal(ingest(h, OBS_FILE_SOLICITUDES, line), OBS_ERR_DATA);
    assert_non_null(strstr(h->err.message, "excede 1 MiB"));
    assert_null(strstr(h->err.message, "comillas"));
    g_free(line);
    char *name = g_strnfill(100 * 1024, 'a');
    char *data = g_strconcat(name, "\n", NULL);
    assert_int_equal(ingest(h, OBS_FILE_DIFUSION, data), OBS_ERR_DATA);
    assert_non_null(strstr(h->err.message, "excede 64 KiB"));
    g_free(data);
    g_free(name);
}

/* A NUL byte is a row problem at its line and column, not a refusal of the file. */
static void test_nul_bytes_are_row_problems(void **state)
{
    harness *h = *state;
    const char hdr[] = "id,entidad,instancia,fecha,tipo,descripcion,nombre\n";
    static const struct {
        const char *row; /* '@' becomes a NUL byte */
        obs_reason reason;
        unsigned column;
        uint64_t aceptadas;
    } cases[] = {
        {"D@2,15,opl,2024-01-05,rs,x,Ana\n", OBS_R_BAD_BYTES, 1, 1},
        {"D2,15,opl,2024-01-05,rs,x@y,Ana\n", OBS_R_W_BYTES, 6, 2},
        {"D2,15,opl,2024-01-05,rs,xy,A@na\n", OBS_R_W_BYTES, 7, 2},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        GString *data = g_string_new(hdr);
        g_string_append(data, "D1,15,opl,2024-01-05,rs,x,Ana\n");
        g_string_append(data, cases[i].row);
        for (gsize k = 0; k < data->len; k++)
            if (data->str[k] == '@')
                data->str[k] = '\0';
        assert_int_equal(ingest_bytes(h, OBS_FILE_DIFUSION, data->str, data->len, NULL), OBS_OK);
        assert_int_equal(h->problems->len, 1);
        assert_int_equal(problem(h, 0)->reason, cases[i].reason);
        assert_int_equal(problem(h, 0)->line, 3);
        assert_int_equal(problem(h, 0)->column, cases[i].column);
        assert_int_equal(h->stats.aceptadas, cases[i].aceptadas);
        g_string_free(data, TRUE);
    }
}

/* Files that are not CSV text are refused, naming what they are and what to do. */
static void test_files_that_are_not_text_are_refused_by_kind(void **state)
{
    harness *h = *state;
    GString *utf16 = g_string_new(NULL);
    for (const char *p = "id,entidad,instancia,fecha,tipo\nD1,15,opl,2024-01-05,rs\n"; *p; p++)
        g_string_append_len(utf16, (const char[]){*p, 0}, 2);
    GString *utf16bom = g_string_new_len("\xFF\xFE", 2);
    g_string_append_len(utf16bom, utf16->str, (gssize)utf16->len);
    char binary[512];
    for (size_t i = 0; i < sizeof binary; i++)
        binary[i] = (char)(i % 3 ? 0 : (i * 7) & 0xFF);
    static const char zip[] = "PK\x03\x04\x14\x00\x00\x00\x08\x00[Content_Types].xml";
    static const char ods[] = "PK\x03\x04\x14\x00\x00\x00\x00\x00mimetypeapplication/vnd.oasis.opendocument.spreadsheet";
    static const char ole[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00\x00";
    const struct {
        const char *data;
        size_t len;
        const char *says;
    } cases[] = {
        {utf16->str, utf16->len, "UTF-16"},
        {utf16bom->str, utf16bom->len, "UTF-16"},
        {binary, sizeof binary, "no es texto"},
        {zip, sizeof zip - 1, ".xlsx"},
        {ods, sizeof ods - 1, ".ods"},
        {ole, sizeof ole - 1, ".xls"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        assert_int_equal(ingest_bytes(h, OBS_FILE_DIFUSION, cases[i].data, cases[i].len, NULL), OBS_ERR_DATA);
        if (!strstr(h->err.message, cases[i].says))
            fail_msg("case %zu: «%s» lacks «%s»", i, h->err.message, cases[i].says);
    }
    g_string_free(utf16, TRUE);
    g_string_free(utf16bom, TRUE);
}

/* Issue 11, example 3, and its kind: a stray quote costs at most its own row. */
static void test_a_stray_quote_costs_one_row(void **state)
{
    harness *h = *state;
    static const struct {
        const char *name;
        const char *rows;     /* after the header line */
        uint64_t leidas, aceptadas, lines;
        obs_reason reasons[3]; /* the problems' reasons, in order */
        size_t nreasons;
    } cases[] = {
        /* Kept: read with its quote as text, the line has its 7 fields. */
        {"example 3", "D2;15;opl;05/01/2024;rs;300;\"Colectivo sin cerrar\nD3;15;opl;05/01/2024;rs;3;x\n"
                      "D4;15;opl;05/01/2024;rs;3;x\nD5;15;opl;05/01/2024;rs;10;\"Plaza; centro\"\n",
         4, 4, 5, {OBS_R_W_QUOTE}, 1},
        /* Swallowing to the end of the file (unterminated). */
        {"to the end", "D2;15;opl;05/01/2024;rs;300;\"sin cerrar\nD3;15;opl;05/01/2024;rs;3;x\nD4;15;opl;05/01/2024;rs;3;x",
         3, 3, 4, {OBS_R_W_QUOTE}, 1},
        /* Read as text the line is short of required fields: rejected, the next lines counted. */
        {"rejected line", "D2;15;\"opl\nD3;15;opl;05/01/2024;rs;3;x\nD4;15;opl;05/01/2024;rs;3;x\n", 3, 2, 4, {OBS_R_MALFORMED}, 1},
        /* A quote inside an unquoted field, on every line. */
        {"inch marks", "D2;15;opl;05/01/2024;rs;3;pantalla de 5\" pulgadas\nD3;15;opl;05/01/2024;rs;3;un 8\"\n",
         2, 2, 3, {OBS_R_W_QUOTE, OBS_R_W_QUOTE}, 2},
        /* A quote that closes two lines later, leaving a record with too many fields. */
        {"closes late", "D2;15;opl;05/01/2024;rs;3;\"abre\nD3;15;opl;05/01/2024;rs;3;x\nD4;15;opl;05/01/2024;rs;3;cierra\";x;y\n",
         3, 2, 4, {OBS_R_W_QUOTE, OBS_R_MALFORMED}, 2},
        /* CRLF line ends. */
        {"crlf", "D2;15;opl;05/01/2024;rs;300;\"Colectivo sin cerrar\r\nD3;15;opl;05/01/2024;rs;3;x\r\n"
                 "D4;15;opl;05/01/2024;rs;3;x\r\n",
         3, 3, 4, {OBS_R_W_QUOTE}, 1},
        /* A real line break inside a quoted field is one row over two lines, with no problem. */
        {"legit break", "D2;15;opl;05/01/2024;rs;3;\"dos\nlíneas\"\nD3;15;opl;05/01/2024;rs;3;x\n", 2, 2, 4, {0}, 0},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *data = g_strconcat(DIF7, cases[i].rows, NULL);
        assert_int_equal(ingest(h, OBS_FILE_DIFUSION, data), OBS_OK);
        g_free(data);
        if (h->stats.leidas != cases[i].leidas || h->stats.aceptadas != cases[i].aceptadas ||
            h->stats.lines != cases[i].lines || !reasons_are(h, cases[i].reasons, cases[i].nreasons)) {
            dump_problems(h);
            fail_msg("%s: leídas %llu aceptadas %llu líneas %llu", cases[i].name,
                     (unsigned long long)h->stats.leidas, (unsigned long long)h->stats.aceptadas,
                     (unsigned long long)h->stats.lines);
        }
    }
    /* The kept line's value carries its quote as text; the others are whole. */
    ingest(h, OBS_FILE_DIFUSION, DIF7 "D2;15;opl;05/01/2024;rs;300;\"Colectivo\nD3;15;opl;06/01/2024;rs;4;x\n");
    assert_int_equal(h->acciones->len, 2);
    assert_int_equal(accion(h, 0)->alcance, 300);
    assert_int_equal(accion(h, 1)->fecha, day("2024-01-06"));
    assert_int_equal(problem(h, 0)->line, 2);
}

static void test_lines_ending_in_cr_alone(void **state)
{
    harness *h = *state;
    ingest(h, OBS_FILE_DIFUSION, "id;entidad;instancia;fecha;tipo;alcance;descripcion\r"
                                 "D1;15;opl;05/01/2024;rs;3;x\rD2;15;opl;05/01/2024;rs;-3;x\r\rD3;15;opl;05/01/2024;rs;3;x\r");
    expect_one(h, OBS_R_W_NUMBER, 3, "alcance");
    expect_counts(h, 3, 3, 1);
    assert_int_equal(h->stats.lines, 5);
}

/* ---- values --------------------------------------------------------------------------------- */

/* Issue 11, example 6: a pasted space of any kind around a value is not part of it. */
static void test_every_unicode_space_is_trimmed(void **state)
{
    harness *h = *state;
    static const char *const spaces[] = {"\xC2\xA0", "\xE2\x80\x87", "\xE2\x80\xAF", "\xE3\x80\x80", "\xE2\x80\x89",
                                         "\t", "\xE2\x80\x8B", "\xEF\xBB\xBF", " \xC2\xA0 "};
    for (size_t i = 0; i < G_N_ELEMENTS(spaces); i++) {
        const char *sp = spaces[i];
        char *data = g_strdup_printf("%sfolio%s,entidad,fecha_solicitud,tipo,medio\n"
                                     "A1%s,15%s,%s05/01/2024%s,individual,portal%s\n"
                                     "A1,México%s,05/01/2024,individual,portal\n",
                                     sp, sp, sp, sp, sp, sp, sp, sp);
        assert_int_equal(ingest(h, OBS_FILE_SOLICITUDES, data), OBS_OK);
        g_free(data);
        /* The second A1 repeats the first: the space did not make them different. */
        expect_rejected(h, OBS_R_REPEATED_ID, 3, "folio");
        assert_int_equal(solicitud(h, 0)->entidad, 15);
        assert_int_equal(solicitud(h, 0)->fecha_solicitud, day("2024-01-05"));
    }
}

/* Issue 11, example 2, and its kind: integers as spreadsheets format them. */
static void test_integers_as_spreadsheets_write_them(void **state)
{
    harness *h = *state;
    static const struct {
        const char *text;
        int64_t alcance; /* -1: absent, with an aviso */
    } cases[] = {
        {"21,000", 21000},        {"1,000,000", 1000000},     {"21 000", 21000},
        {"21\xC2\xA0" "000", 21000}, {"21\xE2\x80\xAF" "000", 21000}, {"1500.0", 1500},
        {"21,000.00", 21000},     {"0", 0},                   {"007", 7},
        {"100,000,000", 100000000}, {"\"21,000\"", 21000},
        {"1.500", -1},            {"21.000", -1},             {"12.5", -1},
        {"21,00", -1},            {"1,0000", -1},             {",100", -1},
        {"-5", -1},               {"5-", -1},                 {"100,000,001", -1},
        {"1e5", -1},              {"muchos", -1},             {"21 000,000", -1},
        {"9999999999999999", -1},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *data = g_strdup_printf("id;entidad;instancia;fecha;tipo;alcance\nD1;15;opl;2024-01-05;rs;%s\n",
                                     cases[i].text);
        assert_int_equal(ingest(h, OBS_FILE_DIFUSION, data), OBS_OK);
        g_free(data);
        /* Never rejected: the action counts for the exhorto whatever its alcance says. */
        assert_int_equal(h->stats.aceptadas, 1);
        if (accion(h, 0)->alcance != cases[i].alcance)
            fail_msg("«%s»: alcance %lld, expected %lld", cases[i].text, (long long)accion(h, 0)->alcance,
                     (long long)cases[i].alcance);
        assert_int_equal(h->problems->len, cases[i].alcance < 0 ? 1 : 0);
        if (cases[i].alcance < 0)
            assert_int_equal(problem(h, 0)->reason, OBS_R_W_NUMBER);
    }
    /* Ages and districts take the same forms. */
    ingest(h, OBS_FILE_SOLICITUDES, "folio,entidad,fecha_solicitud,tipo,medio,edad,distrito\n"
                                    "A1,15,2024-01-05,individual,portal,30.0,1\nA2,15,2024-01-05,individual,portal,3.5,x\n");
    assert_int_equal(solicitud(h, 0)->edad, 30);
    assert_int_equal(solicitud(h, 1)->edad, OBS_ABSENT);
    assert_int_equal(h->problems->len, 2);
    assert_int_equal(problem(h, 0)->reason, OBS_R_W_AGE);
    assert_int_equal(problem(h, 1)->reason, OBS_R_W_NUMBER);
}

static void test_excel_serial_dates(void **state)
{
    harness *h = *state;
    assert_int_equal(obs_day_from_excel_serial("45310", 5), day("2024-01-19"));
    assert_int_equal(obs_day_from_excel_serial("45310.75", 8), day("2024-01-19"));
    assert_int_equal(obs_day_from_excel_serial("1", 1), day("1900-01-01"));
    assert_int_equal(obs_day_from_excel_serial("59", 2), day("1900-02-28"));
    assert_int_equal(obs_day_from_excel_serial("60", 2), OBS_DAY_NONE); /* Excel's 1900-02-29 */
    assert_int_equal(obs_day_from_excel_serial("61", 2), day("1900-03-01"));
    assert_int_equal(obs_day_from_excel_serial("0", 1), OBS_DAY_NONE);
    assert_int_equal(obs_day_from_excel_serial("45310,5", 7), OBS_DAY_NONE);
    /* In a file: read, with one aviso per column and file. */
    ingest(h, OBS_FILE_SOLICITUDES, "folio,entidad,fecha_solicitud,fecha_registro,tipo,medio\n"
                                    "A1,15,45310,45311,individual,portal\nA2,15,45300,45301,individual,portal\n"
                                    "A3,15,2024-01-02,45302,individual,portal\n");
    assert_int_equal(h->problems->len, 2);
    assert_int_equal(problem(h, 0)->reason, OBS_R_W_EXCEL_DATE);
    assert_string_equal(problem(h, 0)->field, "fecha_solicitud");
    assert_int_equal(problem(h, 1)->reason, OBS_R_W_EXCEL_DATE);
    assert_string_equal(problem(h, 1)->field, "fecha_registro");
    assert_non_null(strstr(problem(h, 0)->message, "2024-01-19"));
    assert_int_equal(solicitud(h, 0)->fecha_solicitud, day("2024-01-19"));
    assert_int_equal(solicitud(h, 0)->fecha_registro, day("2024-01-20"));
    assert_int_equal(solicitud(h, 2)->fecha_registro, day("2024-01-11"));
    assert_int_equal(h->stats.con_avisos, 0);
}

/* Issue 11, example 4: "Estatus" with the natural words of a request not yet resolved. */
static void test_pending_words_mean_no_resolution(void **state)
{
    harness *h = *state;
    static const char *const words[] = {"Pendiente", "En revisión", "EN TRAMITE", "en proceso", "Sin resolución",
                                        "en trámite"};
    for (size_t i = 0; i < G_N_ELEMENTS(words); i++) {
        char *data = g_strdup_printf("folio,entidad,fecha_solicitud,tipo,medio,Estatus\n"
                                     "A1,15,2024-01-05,individual,portal,%s\n",
                                     words[i]);
        assert_int_equal(ingest(h, OBS_FILE_SOLICITUDES, data), OBS_OK);
        g_free(data);
        assert_int_equal(h->problems->len, 0);
        assert_int_equal(solicitud(h, 0)->resolucion, OBS_ABSENT);
    }
}

/* Issue 11, example 5, and its kind: modalidades by code or label, split by the contract's rules. */
static void test_modalidades_by_code_or_label(void **state)
{
    harness *h = *state;
    enum { VA = 1u << OBS_MODALIDAD_VA, VPPP = 1u << OBS_MODALIDAD_VPPP, VMRE = 1u << OBS_MODALIDAD_VMRE };
    static const struct {
        const char *text;
        unsigned bits;
        unsigned avisos;
    } cases[] = {
        {"voto anticipado", VA, 0},
        {"VA VPPP", VA | VPPP, 0},
        {"VA;VPPP", VA | VPPP, 0},
        {"\"VA, VMRE\"", VA | VMRE, 0},
        {"VA|VPPP|VMRE", VA | VPPP | VMRE, 0},
        {"VA/VMRE", VA | VMRE, 0},
        {"Voto anticipado; prisión preventiva", VA | VPPP, 0},
        {"residentes en el extranjero", VMRE, 0},
        {"va  vmre", VA | VMRE, 0},
        {"VA y VPPP", 0, 1},
        {"VA;teletransporte", VA, 1},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *data = g_strdup_printf("folio,entidad,fecha_solicitud,tipo,medio,modalidades\n"
                                     "A1,15,2024-01-05,individual,portal,%s\n",
                                     cases[i].text);
        assert_int_equal(ingest(h, OBS_FILE_SOLICITUDES, data), OBS_OK);
        g_free(data);
        if (solicitud(h, 0)->modalidades != cases[i].bits || h->problems->len != cases[i].avisos)
            fail_msg("«%s»: bits %u avisos %u", cases[i].text, solicitud(h, 0)->modalidades, h->problems->len);
    }
}

static void test_entidad_as_clave_and_name(void **state)
{
    harness *h = *state;
    static const struct {
        const char *text;
        int clave;         /* 0: rejected */
        obs_reason reason; /* when rejected */
    } cases[] = {
        {"15 - México", 15, 0},
        {"09 Ciudad de México", 9, 0},
        {"14-JALISCO", 14, 0},
        {"15 \xE2\x80\x93 Estado de México", 15, 0},
        {"9. CDMX", 9, 0},
        {"15 - Jalisco", 0, OBS_R_ENTIDAD_MISMATCH},
        {"15 - Atlántida", 0, OBS_R_UNKNOWN_ENTIDAD},
        {"45 - Jalisco", 0, OBS_R_UNKNOWN_ENTIDAD},
        {"15 16", 0, OBS_R_UNKNOWN_ENTIDAD},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *data = g_strdup_printf("folio,entidad,fecha_solicitud,tipo,medio\nA1,%s,2024-01-05,individual,portal\n",
                                     cases[i].text);
        assert_int_equal(ingest(h, OBS_FILE_SOLICITUDES, data), OBS_OK);
        g_free(data);
        if (cases[i].clave) {
            if (h->problems->len)
                dump_problems(h);
            assert_int_equal(h->problems->len, 0);
            assert_int_equal(solicitud(h, 0)->entidad, cases[i].clave);
        } else {
            expect_rejected(h, cases[i].reason, 2, "entidad");
        }
    }
    /* The disagreement names both. */
    ingest(h, OBS_FILE_SOLICITUDES, "folio,entidad,fecha_solicitud,tipo,medio\nA1,15 - Jalisco,2024-01-05,individual,portal\n");
    assert_non_null(strstr(problem(h, 0)->message, "México"));
    assert_non_null(strstr(problem(h, 0)->message, "Jalisco"));
}

/* Only what the contract lists rejects a row; a problem in an optional field is an aviso. */
static void test_optional_field_problems_keep_the_row(void **state)
{
    harness *h = *state;
    const char hdr[] = "folio,entidad,fecha_solicitud,fecha_registro,tipo,medio,fecha_nacimiento,distrito,"
                       "fecha_curso,resolucion,fecha_resolucion\n";
    static const struct {
        const char *row;
        obs_reason reason;
        const char *field;
    } cases[] = {
        {"A1,15,2024-01-05,ayer,individual,portal,,,,,", OBS_R_W_DATE, "fecha_registro"},
        {"A1,15,2024-01-05,,individual,portal,31/02/1990,,,,", OBS_R_W_DATE, "fecha_nacimiento"},
        {"A1,15,2024-01-05,,individual,portal,,301,,,", OBS_R_W_NUMBER, "distrito"},
        {"A1,15,2024-01-05,,individual,portal,,tres,,,", OBS_R_W_NUMBER, "distrito"},
        {"A1,15,2024-01-05,,individual,portal,,,2024-13-01,,", OBS_R_W_DATE, "fecha_curso"},
        {"A1,15,2024-01-05,,individual,portal,,,,acreditadísima,2024-01-09", OBS_R_W_RESOLUTION, "resolucion"},
        {"A1,15,2024-01-05,,individual,portal,,,,improcedente,", OBS_R_W_RESOLUTION, "fecha_resolucion"},
        {"A1,15,2024-01-05,,individual,portal,,,,improcedente,2024-01-04", OBS_R_W_RESOLUTION, "fecha_resolucion"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *data = g_strconcat(hdr, cases[i].row, "\n", NULL);
        assert_int_equal(ingest(h, OBS_FILE_SOLICITUDES, data), OBS_OK);
        g_free(data);
        expect_one(h, cases[i].reason, 2, cases[i].field);
        assert_int_equal(h->stats.aceptadas, 1);
        assert_int_equal(solicitud(h, 0)->fecha_registro, day("2024-01-05"));
        assert_int_equal(solicitud(h, 0)->fecha_curso, OBS_DAY_NONE);
        assert_int_equal(solicitud(h, 0)->resolucion, OBS_ABSENT);
    }
    /* Invalid bytes in an optional column (UTF-8 decided by the first row): absent, row kept. */
    const char bytes[] = "folio,entidad,fecha_solicitud,tipo,medio,causa\n"
                         "A1,México,2024-01-05,individual,portal,\n"
                         "A2,15,2024-01-05,individual,portal,mal\xff\n";
    ingest_bytes(h, OBS_FILE_SOLICITUDES, bytes, sizeof bytes - 1, NULL);
    expect_one(h, OBS_R_W_BYTES, 3, "causa");
    assert_int_equal(h->stats.aceptadas, 2);
}

/* Per-action alcance above 100,000,000 is absent; no sum ever wraps. */
static void test_sums_never_wrap(void **state)
{
    harness *h = *state;
    obs_cube *cube = obs_cube_new(h->cat, day("2024-01-31"));
    obs_accion a = {.entidad = 15, .instancia = OBS_INSTANCIA_OPL, .fecha = day("2024-01-05"),
                    .fecha_registro = day("2024-01-05"), .tipo = 0, .alcance = OBS_ALCANCE_MAX};
    for (int i = 0; i < 12000; i++)
        obs_cube_add_accion(cube, &a);
    obs_outreach_rule rule = {5, 0.5};
    obs_snapshot *snap = obs_cube_snapshot(cube, day("2024-01-31"), &rule);
    assert_false(snap->overflow);
    assert_int_equal(obs_snapshot_get(snap, 0, OBS_M_DIF_ALCANCE), INT64_C(12000) * OBS_ALCANCE_MAX);
    obs_snapshot_free(snap);
    /* Values the reader never produces still cannot wrap: the sum saturates and says so. */
    a.alcance = INT64_MAX / 2 + 1;
    obs_cube_add_accion(cube, &a);
    obs_cube_add_accion(cube, &a);
    snap = obs_cube_snapshot(cube, day("2024-01-31"), &rule);
    assert_true(snap->overflow);
    assert_true(obs_snapshot_get(snap, 0, OBS_M_DIF_ALCANCE) > 0);
    obs_snapshot_free(snap);
    obs_cube_free(cube);
}

/* A value quoted in a message is cut at 40 bytes without splitting a character: every message is
 * valid UTF-8 (rechazos.csv and stderr); here the 40th byte falls inside the "ó" of "Observación". */
static void test_quoted_values_are_cut_between_characters(void **state)
{
    harness *h = *state;
    ingest(h, OBS_FILE_DIFUSION, "id,entidad,instancia,fecha,tipo\n"
                                 "D1,15,Coordinadora Universitaria de Observación Electoral,2024-01-05,rs\n");
    assert_true(h->problems->len >= 1);
    for (guint i = 0; i < h->problems->len; i++)
        if (!g_utf8_validate(problem(h, i)->message, -1, NULL))
            fail_msg("not UTF-8: %s", problem(h, i)->message);
    assert_non_null(strstr(problem(h, 0)->message, "Coordinadora Universitaria de Observaci"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoted_values_are_cut_between_characters),
        cmocka_unit_test(test_trailing_delimiters_are_not_fields),
        cmocka_unit_test(test_short_rows_read_missing_optional_fields_as_empty),
        cmocka_unit_test(test_short_rows_with_shifted_values_are_rejected_unseen),
        cmocka_unit_test(test_blank_rows_are_counted_apart),
        cmocka_unit_test(test_sep_line_sets_the_delimiter),
        cmocka_unit_test(test_title_lines_above_the_header),
        cmocka_unit_test(test_nul_bytes_are_row_problems),
        cmocka_unit_test(test_an_overlong_first_line_is_no_header),
        cmocka_unit_test(test_files_that_are_not_text_are_refused_by_kind),
        cmocka_unit_test(test_a_stray_quote_costs_one_row),
        cmocka_unit_test(test_lines_ending_in_cr_alone),
        cmocka_unit_test(test_every_unicode_space_is_trimmed),
        cmocka_unit_test(test_integers_as_spreadsheets_write_them),
        cmocka_unit_test(test_excel_serial_dates),
        cmocka_unit_test(test_pending_words_mean_no_resolution),
        cmocka_unit_test(test_modalidades_by_code_or_label),
        cmocka_unit_test(test_entidad_as_clave_and_name),
        cmocka_unit_test(test_optional_field_problems_keep_the_row),
        cmocka_unit_test(test_sums_never_wrap),
    };
    return cmocka_run_group_tests(tests, harness_setup, harness_teardown);
}
