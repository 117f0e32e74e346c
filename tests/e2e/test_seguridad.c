/* test_seguridad.c - faults, privacy and injection: what observa must never do, checked end to end. */
#include <glib.h>
#include <glib/gstdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli_run.h"
#include "scratch.h"

static char *basico(const char *file)
{
    char *dir = case_dir("basico");
    char *p = g_build_filename(dir, file, NULL);
    g_free(dir);
    return p;
}

/* ---- faults --------------------------------------------------------------------------------- */

static void test_unwritable_output_exits_73(void **state)
{
    (void)state;
    char *tmp = scratch_dir("seg");
    /* A regular file where a directory should be: no directory can be made (even as root). */
    char *blocker = g_build_filename(tmp, "archivo", NULL);
    g_file_set_contents(blocker, "x", 1, NULL);
    char *out = g_build_filename(blocker, "salida", NULL);
    char *s = basico("solicitudes.csv"), *d = basico("difusion.csv");
    char *argv[] = {(char *)observa_bin(), "informe", "-s", s, "-d", d, "-c", "2023-10-12", "-o", out, NULL};
    result r = run(tmp, argv, NULL);
    assert_int_equal(r.status, 73);
    assert_non_null(strstr(r.err, "salida"));
    result_clear(&r);
    g_free(s);
    g_free(d);
    g_free(out);
    g_free(blocker);
    remove_tree(tmp);
    g_free(tmp);
}

/* A file size limit (ulimit -f) with SIGXFSZ ignored: writes fail with EFBIG midway. */
static void test_failed_write_exits_74_and_keeps_previous_outputs(void **state)
{
    (void)state;
    char *tmp = scratch_dir("seg");
    char *out = g_build_filename(tmp, "salida", NULL);
    char *dir = case_dir("basico");
    char *ini = g_build_filename(dir, "lote.ini", NULL);
    /* Without a history: this is about the documents' writes (a history that cannot be written is
     * test_history's full-disk case). */
    char *ok[] = {(char *)observa_bin(), "lote", "--config", ini, "-o", out, "-q", "--sin-historial", NULL};
    result r = run(tmp, ok, NULL);
    assert_int_equal(r.status, 0);
    result_clear(&r);
    GHashTable *before = snapshot_dir(out, TRUE);
    /* 120 blocks of 512 bytes: small CSVs fit, the informe's PDF (about 100 KB) does not. */
    char *script = g_strdup_printf("ulimit -f 120; trap '' XFSZ; exec '%s' lote --config '%s' -o '%s' -q -c 2023-10-11 --reemplazar --sin-historial",
                                   observa_bin(), ini, out);
    char *sh[] = {"sh", "-c", script, NULL};
    r = run(tmp, sh, NULL);
    if (r.status != 74)
        fail_msg("expected 74, got %d: %s", r.status, r.err);
    assert_non_null(strstr(r.err, "escrib"));
    result_clear(&r);
    /* Every file is the previous run's, byte for byte; no temporary file is left behind. */
    GHashTable *after = snapshot_dir(out, TRUE);
    assert_same_snapshot(before, after);
    g_hash_table_destroy(after);
    g_hash_table_destroy(before);
    g_free(script);
    g_free(ini);
    g_free(dir);
    g_free(out);
    remove_tree(tmp);
    g_free(tmp);
}

/* ---- privacy ---------------------------------------------------------------------------------- */

/* The readable text of an output: PDF text, every part of an XLSX, or the file itself. */
static char *output_text(const char *path)
{
    if (g_str_has_suffix(path, ".pdf"))
        return pdf_words(path);
    if (g_str_has_suffix(path, ".xlsx"))
        return xlsx_text(path);
    return read_file(path);
}

/* The fields of a CSV line (commas outside quotes, plus one). */
static size_t fields_of(const char *line)
{
    size_t n = 1;
    bool quoted = false;
    for (const char *c = line; *c; c++) {
        if (*c == '"')
            quoted = !quoted;
        else if (*c == ',' && !quoted)
            n++;
    }
    return n;
}

static void test_no_personal_data_reaches_any_output(void **state)
{
    (void)state;
    size_t shorts = 0;
    char *tmp = scratch_dir("seg");
    char *synth[] = {(char *)g_getenv("OBS_TEST_SYNTH"), "--solicitudes", "3000", "--difusion", "600",
                     "--semilla", "11", "-o", tmp, NULL};
    result r = run(tmp, synth, NULL);
    assert_int_equal(r.status, 0);
    result_clear(&r);
    char *sol = g_build_filename(tmp, "solicitudes.csv", NULL);
    char *text = read_file(sol);
    char **lines = g_strsplit(text, "\n", -1);
    GPtrArray *secrets = g_ptr_array_new_with_free_func(g_free);
    /* Rows that lost fields before their end, as a broken export writes them: every 50th row without
     * its fields 10 to 12, so that its name and CURP sit under the names of columns observa checks. */
    size_t header_fields = fields_of(lines[0]);
    for (guint i = 1; lines[i] && lines[i][0]; i++) {
        if (i % 50 == 0 && fields_of(lines[i]) == header_fields && !strchr(lines[i], '"')) {
            char **f = g_strsplit(lines[i], ",", -1);
            GString *row = g_string_new(NULL);
            for (guint k = 0; f[k]; k++)
                if (k < 9 || k > 11)
                    g_string_append_printf(row, "%s%s", row->len ? "," : "", f[k]);
            g_free(lines[i]);
            lines[i] = g_string_free(row, FALSE);
            g_strfreev(f);
        }
        if (fields_of(lines[i]) >= header_fields)
            continue;
        char *last = strrchr(lines[i], ',');
        if (!last)
            continue;
        if (strlen(last + 1) > 12)
            g_ptr_array_add(secrets, g_strdup(last + 1)); /* CURP */
        *last = '\0';
        char *name = strrchr(lines[i], ',');
        if (name && strlen(name + 1) > 12)
            g_ptr_array_add(secrets, g_strdup(name + 1)); /* full name */
        *last = ',';
        shorts++;
    }
    assert_true(shorts > 20);
    char *joined = g_strjoinv("\n", lines);
    g_file_set_contents(sol, joined, -1, NULL);
    g_free(joined);
    /* The generator's last two columns are a name and a CURP: collect a sample of them. */
    for (guint i = 1; lines[i] && lines[i][0] && secrets->len < 400; i += 7) {
        char *last = strrchr(lines[i], ',');
        if (!last)
            continue;
        g_ptr_array_add(secrets, g_strdup(last + 1)); /* CURP */
        *last = '\0';
        char *name = strrchr(lines[i], ',');
        if (name && strlen(name + 1) > 12)
            g_ptr_array_add(secrets, g_strdup(name + 1)); /* full name */
    }
    /* The folios the generator repeats: their later rows are rejected, and a rejection must not
     * echo the folio (it identifies a person's request; the line says which row it is). */
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 1; lines[i] && lines[i][0]; i++) {
        char *folio = g_strndup(lines[i], strcspn(lines[i], ","));
        if (strlen(folio) > 4 && g_hash_table_contains(seen, folio))
            g_ptr_array_add(secrets, g_strdup(folio));
        g_hash_table_add(seen, folio);
    }
    g_hash_table_destroy(seen);
    assert_true(secrets->len > 100);
    char *ini = g_build_filename(tmp, "lote.ini", NULL);
    char *base = case_dir("basico");
    char *base_ini = g_build_filename(base, "lote.ini", NULL);
    char *cfg = read_file(base_ini);
    /* The letters cite a session after this corte and are dated after it (reports.md §4). */
    GString *dated = g_string_new(cfg);
    g_string_replace(dated, "sesion_fecha = 2023-10-27", "sesion_fecha = 2024-05-09", 0);
    g_string_replace(dated, "\nfecha = 2023-10-28", "\nfecha = 2024-05-10", 0);
    g_string_replace(dated, "fecha_generacion = 2023-10-26", "fecha_generacion = 2024-05-10", 0);
    g_file_set_contents(ini, dated->str, -1, NULL);
    g_string_free(dated, TRUE);
    char *out = g_build_filename(tmp, "salida", NULL);
    char *argv[] = {(char *)observa_bin(), "lote", "--config", ini, "-c", "2024-05-08", "-o", out, "-v", NULL};
    r = run(tmp, argv, NULL);
    assert_int_equal(r.status, 0);
    for (guint i = 0; i < secrets->len; i++)
        if (strstr(r.err, secrets->pdata[i]) || strstr(r.out, secrets->pdata[i]))
            fail_msg("«%s» from the input reached the messages", (char *)secrets->pdata[i]);
    result_clear(&r);
    GHashTable *files = snapshot_dir(out, TRUE);
    assert_true(g_hash_table_size(files) > 60);
    GHashTableIter it;
    gpointer k;
    g_hash_table_iter_init(&it, files);
    while (g_hash_table_iter_next(&it, &k, NULL)) {
        if (((char *)k)[0] == '.')
            continue;
        char *path = g_build_filename(out, k, NULL);
        char *t = output_text(path);
        for (guint i = 0; i < secrets->len; i++)
            if (strstr(t, secrets->pdata[i]))
                fail_msg("«%s» from the input reached %s", (char *)secrets->pdata[i], (char *)k);
        g_free(t);
        g_free(path);
    }
    g_hash_table_destroy(files);
    g_free(out);
    g_free(cfg);
    g_free(base_ini);
    g_free(base);
    g_free(ini);
    g_ptr_array_free(secrets, TRUE);
    g_strfreev(lines);
    g_free(text);
    g_free(sol);
    remove_tree(tmp);
    g_free(tmp);
}

/* ---- injection -------------------------------------------------------------------------------- */

/* rechazos.csv and metricas.csv as Excel opens them: with the BOM, and no field that starts a
 * formula (the rejected values "=SUM(A1)" and "-2023-10-01" of the case are echoed with a "'"). */
static void check_csv_files_are_guarded(const char *dir)
{
    const char *script =
        "import csv, sys\n"
        "for name in ('rechazos.csv', 'metricas.csv'):\n"
        "    raw = open(sys.argv[1] + '/' + name, 'rb').read()\n"
        "    assert raw.startswith(b'\\xef\\xbb\\xbf'), name\n"
        "    for row in csv.reader(raw.decode('utf-8-sig').splitlines()):\n"
        "        for f in row:\n"
        "            assert not f or f[0] not in '=+-@\\t\\r', (name, row)\n"
        "valores = [r['valor'] for r in csv.DictReader(open(sys.argv[1] + '/rechazos.csv', encoding='utf-8-sig'))]\n"
        "assert \"'=SUM(A1)\" in valores and \"'-2023-10-01\" in valores, valores\n";
    char *py[] = {"/usr/bin/python3", "-c", (char *)script, (char *)dir, NULL};
    result r = run("/", py, NULL);
    if (r.status != 0)
        fail_msg("CSV check failed: %s", r.err);
    result_clear(&r);
}

static void test_text_from_the_input_is_never_a_formula(void **state)
{
    (void)state;
    char *tmp = scratch_dir("seg");
    char *dir = case_dir("inyeccion");
    char *s = g_build_filename(dir, "solicitudes.csv", NULL), *d = g_build_filename(dir, "difusion.csv", NULL);
    char *argv[] = {(char *)observa_bin(), "informe", "-s", s, "-d", d, "-c", "2023-10-12", "-o", tmp,
                    "--max-rechazadas", "100", "-q", NULL};
    result r = run(tmp, argv, NULL);
    assert_int_equal(r.status, 0);
    result_clear(&r);
    char *xlsx = g_build_filename(tmp, "informe.xlsx", NULL);
    const char *script =
        "import sys, openpyxl\n"
        "wb = openpyxl.load_workbook(sys.argv[1])\n"
        "want = {'=HYPERLINK(\"http://ejemplo.invalid\",\"clic\")', '+52 55 5555 5555', '@usuario', '-2+3'}\n"
        "seen = set()\n"
        "for ws in wb.worksheets:\n"
        "    for row in ws.iter_rows():\n"
        "        for c in row:\n"
        "            if c.value in want:\n"
        "                assert c.data_type == 's', (ws.title, c.coordinate, c.data_type)\n"
        "                seen.add(c.value)\n"
        "            if isinstance(c.value, str) and c.value.startswith('=') and not c.value.startswith('=SUM('):\n"
        "                assert c.data_type == 's', ('formula from data', ws.title, c.coordinate, c.value)\n"
        "assert seen == want, seen\n";
    char *py[] = {"/usr/bin/python3", "-c", (char *)script, xlsx, NULL};
    r = run("/", py, NULL);
    if (r.status != 0)
        fail_msg("workbook check failed: %s", r.err);
    result_clear(&r);
    /* In the PDF the same causes are plain text. */
    char *pdf = g_build_filename(tmp, "informe.pdf", NULL);
    char *t = pdf_words(pdf);
    assert_non_null(strstr(t, "=HYPERLINK(\"http://ejemplo.invalid\",\"clic\")"));
    assert_non_null(strstr(t, "@usuario"));
    g_free(t);
    g_free(pdf);
    check_csv_files_are_guarded(tmp);
    g_free(xlsx);
    g_free(s);
    g_free(d);
    g_free(dir);
    remove_tree(tmp);
    g_free(tmp);
}

static void test_catalogue_labels_cannot_escape_the_output_directory(void **state)
{
    (void)state;
    char *tmp = scratch_dir("seg");
    char *tpl = g_build_filename(tmp, "plantillas", NULL);
    char *src = g_build_filename(g_getenv("OBS_TEST_SOURCE_ROOT"), "templates", NULL);
    char *cp[] = {"cp", "-r", src, tpl, NULL};
    result r = run("/", cp, NULL);
    result_clear(&r);
    char *cat = g_build_filename(tpl, "catalogos", "entidades.csv", NULL);
    char *text = read_file(cat);
    char **parts = g_strsplit(text, ",IEEM,IEEM,", 2);
    assert_non_null(parts[1]);
    char *evil = g_strjoinv(",IEEM,../../../fuera/IEEM\\x,", parts);
    g_strfreev(parts);
    g_file_set_contents(cat, evil, -1, NULL);
    char *out = g_build_filename(tmp, "salida", NULL);
    char *s = basico("solicitudes.csv"), *d = basico("difusion.csv");
    char *argv[] = {(char *)observa_bin(), "opl", "-s", s, "-d", d, "-c", "2023-10-12", "--entidad", "15",
                    "-t", tpl, "-o", out, "--max-rechazadas", "100", "-q", NULL};
    r = run(tmp, argv, NULL);
    assert_int_equal(r.status, 0);
    result_clear(&r);
    char *inside = g_build_filename(out, "opl", "15_fuera_IEEM_x.pdf", NULL);
    char *outside = g_build_filename(tmp, "fuera", NULL);
    assert_true(g_file_test(inside, G_FILE_TEST_EXISTS));
    assert_false(g_file_test(outside, G_FILE_TEST_EXISTS));
    g_free(inside);
    g_free(outside);
    g_free(s);
    g_free(d);
    g_free(out);
    g_free(evil);
    g_free(text);
    g_free(cat);
    g_free(src);
    g_free(tpl);
    remove_tree(tmp);
    g_free(tmp);
}

/* ---- hostile inputs --------------------------------------------------------------------------- */

static void write_bytes(const char *path, const char *data, gssize len)
{
    assert_true(g_file_set_contents(path, data, len, NULL));
}

/*
 * Huge fields, thousands of columns, NUL bytes, an unclosed quote and random bytes: each gives
 * a clear message and either rejected rows (exit 0) or a file-level error (65), never a crash
 * (the suite also runs under ASan and UBSan).
 */
static void test_hostile_inputs_never_crash(void **state)
{
    (void)state;
    char *tmp = scratch_dir("seg");
    char *dif = basico("difusion.csv");
    const char *head = "folio,entidad,fecha_solicitud,tipo,medio,causa\n";
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    GArray *wants = g_array_new(FALSE, FALSE, sizeof(int));
    int want;
    /* A 5 MB field inside a quote, then a good row. */
    GString *s = g_string_new(head);
    g_string_append(s, "A1,09,2023-10-01,individual,portal,\"");
    for (int i = 0; i < 5 * 1024 * 1024; i++)
        g_string_append_c(s, 'x');
    g_string_append(s, "\"\nA2,09,2023-10-01,individual,portal,\n");
    char *p = g_build_filename(tmp, "campo-enorme.csv", NULL);
    write_bytes(p, s->str, (gssize)s->len);
    g_ptr_array_add(names, p);
    want = 0;
    g_array_append_val(wants, want);
    /* 5,000 columns: the contract's plus thousands of unknown ones. */
    g_string_assign(s, "folio,entidad,fecha_solicitud,tipo,medio");
    for (int i = 0; i < 5000; i++)
        g_string_append_printf(s, ",extra%d", i);
    g_string_append(s, "\nA1,09,2023-10-01,individual,portal");
    for (int i = 0; i < 5000; i++)
        g_string_append(s, ",dato");
    g_string_append_c(s, '\n');
    p = g_build_filename(tmp, "columnas.csv", NULL);
    write_bytes(p, s->str, (gssize)s->len);
    g_ptr_array_add(names, p);
    g_array_append_val(wants, want);
    /* NUL bytes in a row after a good first chunk: the row is rejected. */
    g_string_assign(s, head);
    g_string_append(s, "A1,09,2023-10-01,individual,portal,ok\n");
    for (int i = 0; i < 300000; i++)
        g_string_append_c(s, ' ');
    g_string_append(s, "\nA2,09,2023-10-01,individual,por");
    g_string_append_len(s, "\0\0", 2);
    g_string_append(s, "tal,x\n");
    p = g_build_filename(tmp, "nulos.csv", NULL);
    write_bytes(p, s->str, (gssize)s->len);
    g_ptr_array_add(names, p);
    g_array_append_val(wants, want);
    /* An unclosed quote swallowing the rest of a 3 MB file. */
    g_string_assign(s, head);
    g_string_append(s, "A1,\"09,2023-10-01,individual,portal,\n");
    for (int i = 0; i < 60000; i++)
        g_string_append(s, "A9,09,2023-10-01,individual,portal,causa\n");
    p = g_build_filename(tmp, "comilla.csv", NULL);
    write_bytes(p, s->str, (gssize)s->len);
    g_ptr_array_add(names, p);
    g_array_append_val(wants, want);
    /* Random bytes (no NUL): no header can be recognised. */
    GRand *rnd = g_rand_new_with_seed(42);
    g_string_truncate(s, 0);
    for (int i = 0; i < 200000; i++)
        g_string_append_c(s, (char)g_rand_int_range(rnd, 1, 256));
    g_rand_free(rnd);
    p = g_build_filename(tmp, "aleatorio.csv", NULL);
    write_bytes(p, s->str, (gssize)s->len);
    g_ptr_array_add(names, p);
    want = 65;
    g_array_append_val(wants, want);
    g_string_free(s, TRUE);
    for (guint i = 0; i < names->len; i++) {
        char *out = g_build_filename(tmp, "salida", NULL);
        char *argv[] = {(char *)observa_bin(), "validar", "-s", names->pdata[i], "-d", dif, "-o", out, "-q", NULL};
        result r = run(tmp, argv, NULL);
        int expected = g_array_index(wants, int, i);
        if (r.status != expected || strlen(r.err) == 0)
            fail_msg("%s: exit %d (expected %d): %.300s", (char *)names->pdata[i], r.status, expected, r.err);
        result_clear(&r);
        g_free(out);
    }
    g_array_free(wants, TRUE);
    g_ptr_array_free(names, TRUE);
    g_free(dif);
    remove_tree(tmp);
    g_free(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unwritable_output_exits_73),
        cmocka_unit_test(test_failed_write_exits_74_and_keeps_previous_outputs),
        cmocka_unit_test(test_no_personal_data_reaches_any_output),
        cmocka_unit_test(test_text_from_the_input_is_never_a_formula),
        cmocka_unit_test(test_catalogue_labels_cannot_escape_the_output_directory),
        cmocka_unit_test(test_hostile_inputs_never_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
