/* test_run.c - several files are read as one export (ids unique across them, problems at their
 * own file and line, totals per file and combined), and reading a solicitudes file in two parts
 * at once gives exactly what one read gives: the same figures, control totals and problems (same
 * order, same line numbers), whichever way the split read ends (merged, second part read again,
 * or first part reading on to the end), with one file or several. */
#include <glib.h>
#include <glib/gstdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "scratch.h"
#include "observa/catalog.h"
#include "metrics/run_int.h" /* obs_split */
#include "observa/run.h"

static obs_catalog *cat;
static char *dir;

static const char *HEADER = "folio,entidad,fecha_solicitud,fecha_registro,tipo,medio,sexo,edad,"
                            "resolucion,fecha_resolucion,causa,organizacion\n";

/* One row; a few kinds of problems recur through the whole file. With accents false, the row
 * is plain ASCII. */
static void add_row_text(GString *s, int i, const char *organizacion, bool accents)
{
    char folio[32];
    g_snprintf(folio, sizeof folio, "F%06d", i % 211 == 7 ? i - 1 : i); /* a repeated folio */
    int day = 1 + i % 28;
    if (i % 151 == 3) { /* a row with one field less */
        g_string_append_printf(s, "%s,%d,2023-10-%02d,2023-10-%02d,individual,portal,mujer,30,,,\n", folio,
                               1 + i % 32, day, day);
        return;
    }
    const char *fecha = i % 173 == 5 ? "2023-13-45" : NULL;
    const char *entidad = i % 167 == 11 ? (accents ? "Atlántida" : "Atlantida") : NULL;
    g_string_append_printf(s, "%s,", folio);
    if (entidad)
        g_string_append_printf(s, "%s,", entidad);
    else
        g_string_append_printf(s, "%d,", 1 + i % 32);
    if (fecha)
        g_string_append_printf(s, "%s,", fecha);
    else
        g_string_append_printf(s, "2023-10-%02d,", day);
    g_string_append_printf(s, "2023-10-%02d,%s,%s,%s,%d,", day,
                           i % 3 ? "individual" : (accents ? "organización" : "organizacion"),
                           (const char *[]){"portal", "junta", "opl"}[i % 3], i % 2 ? "mujer" : "hombre",
                           i % 139 == 1 ? 140 : 18 + i % 60);
    if (i % 5 == 0)
        g_string_append_printf(s, "improcedente,2023-10-%02d,%s %d,", day, accents ? "No cumplió" : "No cumplio",
                               i % 7);
    else if (i % 5 == 1)
        g_string_append_printf(s, "aprobada,2023-10-%02d,,", day);
    else
        g_string_append(s, ",,,");
    g_string_append_printf(s, "%s\n", organizacion ? organizacion : "");
}

static void add_row(GString *s, int i, const char *organizacion)
{
    add_row_text(s, i, organizacion, true);
}

static char *write_file(const char *name, const char *data, gsize len)
{
    char *path = g_build_filename(dir, name, NULL);
    g_assert_true(g_file_set_contents(path, data, (gssize)len, NULL));
    return path;
}

static void on_problem(void *ud, const obs_problem *p)
{
    g_string_append_printf(ud, "%s|%" G_GUINT64_FORMAT "|%u|%s|%s|%d|%d|%s\n", p->file, p->line, p->column,
                           p->field, p->value, (int)p->level, (int)p->reason, p->message);
}

static void stats_text(GString *out, const char *label, const obs_file_stats *f)
{
    g_string_append_printf(out, "%s bytes=%" G_GUINT64_FORMAT " sha=%s enc=%d lines=%" G_GUINT64_FORMAT
                           " leidas=%" G_GUINT64_FORMAT " vacias=%" G_GUINT64_FORMAT " aceptadas=%" G_GUINT64_FORMAT
                           " rechazadas=%" G_GUINT64_FORMAT " avisos=%" G_GUINT64_FORMAT " corte=%" G_GUINT64_FORMAT
                           " post=%" G_GUINT64_FORMAT "\n",
                           label, f->bytes, f->sha256, (int)f->encoding, f->lines, f->leidas, f->vacias, f->aceptadas,
                           f->rechazadas, f->con_avisos, f->en_corte, f->posteriores);
    for (int r = 0; r < OBS_REASON_COUNT; r++)
        g_string_append_printf(out, "%" G_GUINT64_FORMAT ",", f->por_motivo[r]);
    g_string_append_c(out, '\n');
}

/* Everything a run of these exports yields that the reports use, as text. */
static char *run_lists(const char *const *sol, const char *const *dif, int threads, obs_split *how)
{
    obs_run_config cfg = {
        .solicitudes = sol,
        .difusion = dif,
        .corte = obs_day_parse_iso("2023-10-20"),
        .corte_anterior = obs_day_parse_iso("2023-10-10"),
        .ingest = {.encoding = OBS_ENC_AUTO, .delimiter = 0, .threads = threads},
        .rule = {5, 0.5},
        .split_min_bytes = 1, /* split even these small files */
    };
    GString *out = g_string_new(NULL);
    obs_run *run = NULL;
    obs_error err = {0};
    g_assert_cmpint(obs_run_execute(&cfg, cat, on_problem, out, &run, &err), ==, OBS_OK);
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++) {
        const obs_export *ex = &run->exports[k];
        for (size_t i = 0; i < ex->nfiles; i++)
            stats_text(out, ex->files[i].path, &ex->files[i]);
        stats_text(out, "total", &ex->total);
    }
    const obs_snapshot *snaps[2] = {run->actual, run->anterior};
    obs_metricas_csv(run->cube, snaps, 2, out);
    obs_causa top[10];
    size_t n = obs_cube_top_causas(run->cube, top, 10);
    for (size_t i = 0; i < n; i++)
        g_string_append_printf(out, "causa %s %" G_GINT64_FORMAT "\n", top[i].causa, top[i].count);
    *how = run->split;
    obs_run_free(run);
    return g_string_free(out, FALSE);
}

static char *run_text(const char *sol, const char *dif, int threads, obs_split *how)
{
    return run_lists((const char *const[]){sol, NULL}, (const char *const[]){dif, NULL}, threads, how);
}

static char *difusion_file(void)
{
    GString *s = g_string_new("id,entidad,instancia,fecha,tipo,alcance\n");
    for (int i = 0; i < 200; i++)
        g_string_append_printf(s, "D%04d,%d,%s,2023-10-%02d,rs,%d\n", i, 1 + i % 32,
                               (const char *[]){"opl", "jle", "jde"}[i % 3], 1 + i % 28, i);
    char *path = write_file("difusion.csv", s->str, s->len);
    g_string_free(s, TRUE);
    return path;
}

/* Writes `content` as solicitudes.csv (in Windows-1252 when asked) and checks that the split read
 * ends as `expected` and yields what a one-pass read yields. Frees content. */
static void check(GString *content, bool cp1252, obs_split expected)
{
    char *path;
    if (cp1252) {
        gsize n = 0;
        char *out = g_convert(content->str, (gssize)content->len, "WINDOWS-1252", "UTF-8", NULL, &n, NULL);
        g_assert_nonnull(out);
        path = write_file("solicitudes.csv", out, n);
        g_free(out);
    } else {
        path = write_file("solicitudes.csv", content->str, content->len);
    }
    g_string_free(content, TRUE);
    char *dif = difusion_file();
    obs_split one_how, split_how;
    char *one = run_text(path, dif, 1, &one_how);
    char *two = run_text(path, dif, 2, &split_how);
    assert_int_equal(one_how, OBS_SPLIT_NONE);
    assert_int_equal(split_how, expected);
    assert_string_equal(two, one);
    assert_non_null(strstr(one, "|2023-13-45|")); /* the fixture does have problems */
    g_free(one);
    g_free(two);
    g_free(dif);
    g_free(path);
}

static void append_rows(GString *s, int from, int to, const char *organizacion, bool accents)
{
    for (int i = from; i < to; i++)
        add_row_text(s, i, organizacion, accents);
}

static void test_two_parts_merge(void **state)
{
    (void)state;
    GString *s = g_string_new(HEADER);
    append_rows(s, 0, 3000, "Asociación Cívica", true);
    check(s, false, OBS_SPLIT_MERGED);
}

/* Found by fuzz_split: a header ended by a lone CR, with a record after it on the same line.
 * The second part must parse no further than the header's own end. */
static void test_header_ended_by_a_lone_cr(void **state)
{
    (void)state;
    GString *s = g_string_new_len(HEADER, (gssize)strlen(HEADER) - 1);
    g_string_append_c(s, '\r');
    append_rows(s, 0, 3000, NULL, true);
    check(s, false, OBS_SPLIT_MERGED);
}

/* Found by fuzz_split: title lines above the header that hold the split point. The first part must
 * not stop before the header (it reads on), and the result is one read's. */
static void test_title_lines_holding_the_split_point(void **state)
{
    (void)state;
    GString *s = g_string_new(NULL);
    for (int i = 0; i < 2; i++) { /* 45% of the file falls inside the last one: the header starts at the split */
        g_string_append(s, "Reporte de solicitudes de acreditación ");
        for (int k = 0; k < 600; k++)
            g_string_append_c(s, (char)('a' + k % 26));
        g_string_append_c(s, '\n');
    }
    g_string_append(s, HEADER);
    append_rows(s, 0, 6, NULL, true); /* row 5 has a bad date: the check needs a problem */
    check(s, false, OBS_SPLIT_THROUGH);
}

static void test_crlf_lines_merge(void **state)
{
    (void)state;
    GString *s = g_string_new(HEADER);
    append_rows(s, 0, 3000, NULL, true);
    g_string_replace(s, "\n", "\r\n", 0);
    check(s, false, OBS_SPLIT_MERGED);
}

static void test_id_in_both_parts_reads_the_second_again(void **state)
{
    (void)state;
    GString *s = g_string_new(HEADER);
    append_rows(s, 0, 3000, NULL, true);
    add_row(s, 12, NULL); /* at the end, the folio of an early row */
    check(s, false, OBS_SPLIT_REREAD);
}

static void test_quoted_field_across_the_split(void **state)
{
    (void)state;
    GString *s = g_string_new(HEADER);
    append_rows(s, 0, 1000, NULL, true);
    size_t before = s->len;
    /* A cause written over many lines, long enough to hold the split point. */
    g_string_append(s, "Q000001,9,2023-10-02,2023-10-02,individual,portal,mujer,40,improcedente,2023-10-03,\"");
    for (int i = 0; i < 400; i++)
        g_string_append_printf(s, "renglón %03d\n", i);
    g_string_append(s, "\",\n");
    size_t after = s->len;
    int i = 1000;
    while ((s->len / 100) * 45 < before + 64) /* the split lands inside the quoted field */
        add_row(s, i++, NULL);
    assert_true((s->len / 100) * 45 + 64 < after);
    check(s, false, OBS_SPLIT_THROUGH);
}

/* n rows improcedentes, each with its own cause; resolved by the corte when all_by_corte. Just
 * after the middle, a few causes come back often. */
static GString *distinct_causes(int n, bool all_by_corte)
{
    GString *s = g_string_new(HEADER);
    for (int i = 0; i < n; i++) {
        int day = all_by_corte ? 1 + i % 19 : 1 + i % 28;
        g_string_append_printf(s, "C%06d,%d,2023-10-%02d,2023-10-%02d,individual,portal,mujer,30,improcedente,"
                                  "2023-10-%02d,Causa distinta número %d,\n",
                               i, 1 + i % 32, day, day, day, i);
        if (i % 400 == 0)
            g_string_append(s, "C-mala,9,2023-13-45,,individual,portal,mujer,30,,,,\n");
        if (i == n / 2)
            for (int k = 0; k < 150; k++)
                g_string_append_printf(s, "T%06d,9,2023-10-02,2023-10-02,individual,portal,mujer,30,improcedente,"
                                          "2023-10-03,Causa frecuente %d,\n",
                                       k, k % 5);
    }
    return s;
}

/* More distinct causes than are kept one by one, but fewer in the second part alone: merged in
 * the order they appeared, the same causes are kept as in one read. */
static void test_many_causes_merge_in_order(void **state)
{
    (void)state;
    check(distinct_causes(2400, false), false, OBS_SPLIT_MERGED);
}

/* Too many distinct causes in the second part alone: it is read again after the first. */
static void test_too_many_causes_read_the_second_part_again(void **state)
{
    (void)state;
    check(distinct_causes(4000, true), false, OBS_SPLIT_REREAD);
}

/* Windows-1252 decided in the first part: the second part follows it even where its own first
 * accented text would pass for UTF-8 ("cumpliÃ³" written in Windows-1252 is valid UTF-8). */
static void test_cp1252_second_part_follows_the_first(void **state)
{
    (void)state;
    GString *s = g_string_new(HEADER), *b = g_string_new(NULL);
    append_rows(s, 0, 1000, "Asociación Cívica", true);
    append_rows(b, 1000, 3000, NULL, false);
    g_string_replace(b, "No cumplio", "No cumpliÃ³", 0);
    g_string_append(s, b->str);
    g_string_free(b, TRUE);
    check(s, true, OBS_SPLIT_MERGED);
}

/* A byte order mark says UTF-8 from the start, for both parts. */
static void test_bom_merge(void **state)
{
    (void)state;
    GString *s = g_string_new("\xEF\xBB\xBF");
    g_string_append(s, HEADER);
    append_rows(s, 0, 3000, "Asociación Cívica", true);
    check(s, false, OBS_SPLIT_MERGED);
}

/* ASCII up to the split: the second part decides, as one read would at that row. */
static void test_second_part_decides_when_the_first_is_ascii(void **state)
{
    (void)state;
    GString *s = g_string_new(HEADER);
    append_rows(s, 0, 1500, NULL, false);
    append_rows(s, 1500, 3000, "Unión Ciudadana", true);
    check(s, true, OBS_SPLIT_MERGED);
}

/* UTF-8 decided early; Windows-1252 bytes later are invalid in both reads alike. */
static void test_mixed_encodings_are_judged_by_the_first_decision(void **state)
{
    (void)state;
    GString *s = g_string_new(HEADER), *b = g_string_new(NULL);
    append_rows(s, 0, 300, "Asociación Cívica", true);
    append_rows(b, 300, 3000, "Unión Ciudadana", true);
    gsize n = 0;
    char *b1252 = g_convert(b->str, (gssize)b->len, "WINDOWS-1252", "UTF-8", NULL, &n, NULL);
    g_string_append_len(s, b1252, (gssize)n);
    g_free(b1252);
    g_string_free(b, TRUE);
    check(s, false, OBS_SPLIT_MERGED);
}

/* ---- several files, one export ------------------------------------------------------------------ */

/* Runs (solicitudes, difusion) with one thread, problems as "file:line:reason" lines. */
static obs_run *run_files(const char *const *sol, const char *const *dif, int threads, GString *problems)
{
    obs_run_config cfg = {
        .solicitudes = sol,
        .difusion = dif,
        .corte = obs_day_parse_iso("2023-10-20"),
        .corte_anterior = OBS_DAY_NONE,
        .ingest = {.encoding = OBS_ENC_AUTO, .delimiter = 0, .threads = threads},
        .rule = {5, 0.5},
    };
    obs_run *run = NULL;
    obs_error err = {0};
    if (obs_run_execute(&cfg, cat, on_problem, problems, &run, &err) != OBS_OK)
        fail_msg("%s:%llu: %s", err.path, (unsigned long long)err.line, err.message);
    return run;
}

/* The control totals add up in every file and in the export's total, which is their sum. */
static void assert_totals_add_up(const obs_export *ex)
{
    obs_file_stats sum = {0};
    for (size_t i = 0; i < ex->nfiles; i++) {
        const obs_file_stats *f = &ex->files[i];
        assert_int_equal(f->leidas, f->aceptadas + f->rechazadas);
        assert_int_equal(f->aceptadas, f->en_corte + f->posteriores);
        sum.leidas += f->leidas;
        sum.vacias += f->vacias;
        sum.aceptadas += f->aceptadas;
        sum.rechazadas += f->rechazadas;
        sum.en_corte += f->en_corte;
        sum.posteriores += f->posteriores;
        sum.bytes += f->bytes;
    }
    assert_null(ex->total.path);
    assert_int_equal(ex->total.leidas, sum.leidas);
    assert_int_equal(ex->total.vacias, sum.vacias);
    assert_int_equal(ex->total.aceptadas, sum.aceptadas);
    assert_int_equal(ex->total.rechazadas, sum.rechazadas);
    assert_int_equal(ex->total.en_corte, sum.en_corte);
    assert_int_equal(ex->total.posteriores, sum.posteriores);
    assert_int_equal(ex->total.bytes, sum.bytes);
}

static const char *SOL_A = "folio,entidad,fecha_solicitud,tipo,medio\n"
                           "F1,9,2023-10-01,individual,portal\n"
                           "F2,9,2023-13-45,individual,portal\n" /* a:3 bad date */
                           "F3,15,2023-10-02,individual,junta\n"
                           "F4,15,2023-10-25,individual,junta\n"; /* after the corte */
static const char *SOL_B = "folio,medio,entidad,tipo,fecha_solicitud\n" /* its own column order */
                           "F5,portal,21,individual,2023-10-03\n"
                           "F3,portal,21,individual,2023-10-03\n" /* b:3 repeats a's F3 */
                           "F6,portal,Atlántida,individual,2023-10-03\n" /* b:4 unknown entidad */
                           "F2,opl,9,individual,2023-10-04\n"; /* F2 was rejected in a: accepted here */
static const char *DIF_A = "id,entidad,instancia,fecha,tipo\nD1,9,opl,2023-10-02,rs\nD2,9,jle,2023-10-02,rs\n";
static const char *DIF_B = "id,entidad,instancia,fecha,tipo\nD3,15,opl,2023-10-02,rs\nD1,15,opl,2023-10-03,rs\n";

static void test_two_files_are_one_export(void **state)
{
    (void)state;
    char *sa = write_file("sol-a.csv", SOL_A, strlen(SOL_A)), *sb = write_file("sol-b.csv", SOL_B, strlen(SOL_B));
    char *da = write_file("dif-a.csv", DIF_A, strlen(DIF_A)), *db = write_file("dif-b.csv", DIF_B, strlen(DIF_B));
    GString *problems = g_string_new(NULL);
    obs_run *run = run_files((const char *const[]){sa, sb, NULL}, (const char *const[]){da, db, NULL}, 1, problems);
    const obs_export *sol = &run->exports[OBS_FILE_SOLICITUDES], *dif = &run->exports[OBS_FILE_DIFUSION];
    assert_int_equal(sol->nfiles, 2);
    assert_string_equal(sol->files[0].path, sa);
    assert_string_equal(sol->files[1].path, sb);
    assert_int_equal(sol->files[0].leidas, 4);
    assert_int_equal(sol->files[0].rechazadas, 1);
    assert_int_equal(sol->files[0].posteriores, 1);
    assert_int_equal(sol->files[1].leidas, 4);
    assert_int_equal(sol->files[1].aceptadas, 2);
    assert_int_equal(sol->files[1].por_motivo[OBS_R_REPEATED_ID], 1);
    assert_int_equal(sol->total.leidas, 8);
    assert_int_equal(sol->total.aceptadas, 5);
    assert_int_equal(sol->total.en_corte, 4);
    assert_int_equal(sol->total.por_motivo[OBS_R_REPEATED_ID], 1);
    assert_int_equal(dif->files[1].rechazadas, 1);
    assert_int_equal(dif->total.aceptadas, 3);
    assert_totals_add_up(sol);
    assert_totals_add_up(dif);
    assert_int_equal(obs_run_rechazadas(run), 4);
    assert_int_equal(obs_snapshot_get(run->actual, 0, OBS_M_TOTAL), 4);
    assert_int_equal(obs_snapshot_get(run->actual, 0, OBS_M_DIF_TOTAL), 3);
    /* Each problem at its own file and physical line, in file order. */
    char **lines = g_strsplit(problems->str, "\n", -1);
    const struct {
        const char *file;
        unsigned line;
        obs_reason reason;
    } want[] = {{sa, 3, OBS_R_BAD_DATE}, {sb, 3, OBS_R_REPEATED_ID}, {sb, 4, OBS_R_UNKNOWN_ENTIDAD},
                {db, 3, OBS_R_REPEATED_ID}};
    assert_int_equal(g_strv_length(lines), G_N_ELEMENTS(want) + 1);
    for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
        char *prefix = g_strdup_printf("%s|%u|", want[i].file, want[i].line);
        char *reason = g_strdup_printf("|%d|%d|", (int)OBS_LEVEL_ERROR, (int)want[i].reason);
        if (!g_str_has_prefix(lines[i], prefix) || !strstr(lines[i], reason))
            fail_msg("problem %zu: expected %s…%s, got %s", i, prefix, reason, lines[i]);
        g_free(prefix);
        g_free(reason);
    }
    g_strfreev(lines);
    obs_run_free(run);
    /* With a thread per export, the same problems in the same order. */
    GString *threaded = g_string_new(NULL);
    run = run_files((const char *const[]){sa, sb, NULL}, (const char *const[]){da, db, NULL}, 2, threaded);
    assert_string_equal(threaded->str, problems->str);
    obs_run_free(run);
    g_string_free(threaded, TRUE);
    g_string_free(problems, TRUE);
    g_free(sa);
    g_free(sb);
    g_free(da);
    g_free(db);
}

/* The figures of two files are those of one file holding both's rows. */
static void test_two_files_count_as_their_concatenation(void **state)
{
    (void)state;
    GString *a = g_string_new(HEADER), *b = g_string_new(HEADER), *all = g_string_new(HEADER);
    append_rows(a, 0, 700, "Asociación Cívica", true);
    append_rows(b, 700, 1500, NULL, true);
    add_row(b, 12, NULL); /* a folio of the first file */
    g_string_append(all, a->str + strlen(HEADER));
    g_string_append(all, b->str + strlen(HEADER));
    char *pa = write_file("a.csv", a->str, a->len), *pb = write_file("b.csv", b->str, b->len);
    char *pall = write_file("todo.csv", all->str, all->len), *dif = difusion_file();
    obs_split how;
    char *two = run_lists((const char *const[]){pa, pb, NULL}, (const char *const[]){dif, NULL}, 1, &how);
    char *one = run_text(pall, dif, 1, &how);
    /* From the metrics on (control totals and problems name their files and differ). */
    assert_string_equal(strstr(two, "corte,entidad,metrica,valor"), strstr(one, "corte,entidad,metrica,valor"));
    g_free(one);
    g_free(two);
    g_free(pall);
    g_free(dif);
    g_free(pa);
    g_free(pb);
    g_string_free(a, TRUE);
    g_string_free(b, TRUE);
    g_string_free(all, TRUE);
}

/*
 * Split reads with several files, against one thread: the first file is split and merged (its
 * second part's folios must reach the later files: the second file repeats one of them), the
 * second is split with a folio of the first file in its second part (read again), the third
 * reads on through a quoted field across its split.
 */
static void test_split_reads_of_several_files_match_one_thread(void **state)
{
    (void)state;
    GString *f1 = g_string_new(HEADER), *f2 = g_string_new(HEADER), *f3 = g_string_new(HEADER);
    append_rows(f1, 0, 3000, "Asociación Cívica", true);
    add_row(f2, 2990, NULL); /* from the first file's second part */
    append_rows(f2, 3000, 5000, NULL, true);
    add_row(f2, 2995, NULL); /* from the first file, in this file's second part */
    append_rows(f3, 5000, 5100, NULL, true);
    g_string_append(f3, "Q000001,9,2023-10-02,2023-10-02,individual,portal,mujer,40,improcedente,2023-10-03,\"");
    for (int i = 0; i < 800; i++)
        g_string_append_printf(f3, "renglón %03d\n", i);
    g_string_append(f3, "\",\n");
    append_rows(f3, 5100, 5200, NULL, true);
    char *p1 = write_file("s1.csv", f1->str, f1->len), *p2 = write_file("s2.csv", f2->str, f2->len);
    char *p3 = write_file("s3.csv", f3->str, f3->len), *dif = difusion_file();
    const char *const sol[] = {p1, p2, p3, NULL};
    obs_split one_how, two_how;
    char *one = run_lists(sol, (const char *const[]){dif, NULL}, 1, &one_how);
    char *two = run_lists(sol, (const char *const[]){dif, NULL}, 2, &two_how);
    assert_int_equal(one_how, OBS_SPLIT_NONE);
    assert_int_equal(two_how, OBS_SPLIT_THROUGH); /* the last file's way */
    assert_string_equal(two, one);
    /* Both repeated folios are rejected in the second file. */
    char *at2 = g_strdup_printf("%s|2|", p2);
    char *atlast = g_strdup_printf("%s|2003|", p2);
    assert_non_null(strstr(one, at2));
    assert_non_null(strstr(one, atlast));
    g_free(at2);
    g_free(atlast);
    /* One file at a time, each split read ends its own way. */
    obs_split how;
    char *s;
    s = run_text(p1, dif, 2, &how);
    assert_int_equal(how, OBS_SPLIT_MERGED);
    g_free(s);
    s = run_lists((const char *const[]){p1, p2, NULL}, (const char *const[]){dif, NULL}, 2, &how);
    assert_int_equal(how, OBS_SPLIT_REREAD);
    g_free(s);
    g_free(one);
    g_free(two);
    g_free(p1);
    g_free(p2);
    g_free(p3);
    g_free(dif);
    g_string_free(f1, TRUE);
    g_string_free(f2, TRUE);
    g_string_free(f3, TRUE);
}

/* A file-level error in a later file stops the run and names that file; no file is an error. */
static void test_bad_later_file_stops_the_run_naming_it(void **state)
{
    (void)state;
    char *sa = write_file("ok.csv", SOL_A, strlen(SOL_A));
    const char *bad_text = "folio,entidad,tipo\nF9,9,individual\n";
    char *bad = write_file("sin-columnas.csv", bad_text, strlen(bad_text));
    char *da = write_file("dif-a.csv", DIF_A, strlen(DIF_A));
    for (int threads = 1; threads <= 2; threads++) {
        const char *const *lists[2][2] = {{(const char *const[]){sa, bad, NULL}, (const char *const[]){da, NULL}},
                                          {(const char *const[]){sa, NULL}, (const char *const[]){da, bad, NULL}}};
        for (int k = 0; k < 2; k++) {
            obs_run_config cfg = {.solicitudes = lists[k][0], .difusion = lists[k][1],
                                  .corte = obs_day_parse_iso("2023-10-20"), .ingest = {.threads = threads},
                                  .rule = {5, 0.5}};
            obs_run *run = NULL;
            obs_error err = {0};
            assert_int_equal(obs_run_execute(&cfg, cat, NULL, NULL, &run, &err), OBS_ERR_DATA);
            assert_null(run);
            assert_string_equal(err.path, bad);
        }
    }
    obs_run_config none = {.solicitudes = (const char *const[]){NULL}, .difusion = (const char *const[]){da, NULL},
                           .corte = obs_day_parse_iso("2023-10-20")};
    obs_run *run = NULL;
    obs_error err = {0};
    assert_int_equal(obs_run_execute(&none, cat, NULL, NULL, &run, &err), OBS_ERR_USAGE);
    assert_non_null(strstr(err.message, "solicitudes"));
    g_free(sa);
    g_free(bad);
    g_free(da);
}

static int setup(void **state)
{
    (void)state;
    obs_error err;
    dir = scratch_dir("run");
    return obs_catalog_load(g_getenv("OBSERVA_PLANTILLAS"), &cat, &err) == OBS_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    obs_catalog_free(cat);
    scratch_remove(dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_parts_merge),
        cmocka_unit_test(test_crlf_lines_merge),
        cmocka_unit_test(test_header_ended_by_a_lone_cr),
        cmocka_unit_test(test_title_lines_holding_the_split_point),
        cmocka_unit_test(test_id_in_both_parts_reads_the_second_again),
        cmocka_unit_test(test_quoted_field_across_the_split),
        cmocka_unit_test(test_many_causes_merge_in_order),
        cmocka_unit_test(test_too_many_causes_read_the_second_part_again),
        cmocka_unit_test(test_cp1252_second_part_follows_the_first),
        cmocka_unit_test(test_bom_merge),
        cmocka_unit_test(test_second_part_decides_when_the_first_is_ascii),
        cmocka_unit_test(test_mixed_encodings_are_judged_by_the_first_decision),
        cmocka_unit_test(test_two_files_are_one_export),
        cmocka_unit_test(test_two_files_count_as_their_concatenation),
        cmocka_unit_test(test_split_reads_of_several_files_match_one_thread),
        cmocka_unit_test(test_bad_later_file_stops_the_run_naming_it),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
