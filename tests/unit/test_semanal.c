/* test_semanal.c - the weekly series: every week from the first with data to the corte, honest
 * labels for what the cube could not keep day by day, and the PDF's bound against the XLSX. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "scratch.h"
#include "observa/catalog.h"
#include "observa/render.h"
#include "observa/run.h"
#include "observa/template.h"

#define CORTE "2024-05-08"
/* The cube keeps days one by one back to 3660 days before the corte (2014-05-01); that day is
 * in the week ending 2014-05-07, the first of 523. */
#define WEEKS_TO_FLOOR 523

static const char opl_tpl[] =
    "@seccion Difusión\n"
    "@grafica semanal id=semana titulo=\"Acciones por semana\" hoja=\"Semanal\" forma=columnas "
    "acumulado=no eje_y=\"Acciones\"\n"
    "serie \"OPL\" = difusion.instancia.opl\n";

static const char informe_tpl[] =
    "@seccion Difusión\n"
    "@grafica semanal id=semana titulo=\"Acciones acumuladas por semana\" hoja=\"Semanal\"\n"
    "serie \"Acciones\" = difusion.total\n";

typedef struct weekly {
    char *dir;
    obs_catalog *cat;
    obs_run *run;
    obs_doc *doc;
    const obs_chart *chart; /* owned by doc */
} weekly;

static void write_file(const char *dir, const char *name, const char *text)
{
    char *p = g_build_filename(dir, name, NULL);
    assert_true(g_file_set_contents(p, text, -1, NULL));
    g_free(p);
}

/* Runs the exports made of difusion rows "entidad,fecha" (OPL actions) up to the corte, then
 * renders a one-chart template for entidad (0 = national) and keeps its chart. */
static void weekly_run(weekly *w, const char *const *acciones, size_t n, const char *tpl,
                       obs_template_kind kind, int entidad)
{
    obs_error err;
    assert_int_equal(obs_catalog_load(g_getenv("OBSERVA_PLANTILLAS"), &w->cat, &err), OBS_OK);
    w->dir = scratch_dir("semanal");
    write_file(w->dir, "solicitudes.csv",
               "folio,entidad,fecha_solicitud,tipo,medio\nS1,09," CORTE ",individual,portal\n");
    GString *dif = g_string_new("id,entidad,instancia,fecha,tipo\n");
    for (size_t i = 0; i < n; i++) {
        char **f = g_strsplit(acciones[i], ",", 2);
        g_string_append_printf(dif, "D%zu,%s,opl,%s,rs\n", i + 1, f[0], f[1]);
        g_strfreev(f);
    }
    write_file(w->dir, "difusion.csv", dif->str);
    g_string_free(dif, TRUE);
    char *s = g_build_filename(w->dir, "solicitudes.csv", NULL);
    char *d = g_build_filename(w->dir, "difusion.csv", NULL);
    obs_run_config cfg = {.solicitudes = (const char *const[]){s, NULL}, .difusion = (const char *const[]){d, NULL},
                          .corte = obs_day_parse_iso(CORTE),
                          .corte_anterior = OBS_DAY_NONE, .rule = {5, 0.5}};
    assert_int_equal(obs_run_execute(&cfg, w->cat, NULL, NULL, &w->run, &err), OBS_OK);
    assert_int_equal(obs_run_rechazadas(w->run), 0);
    g_free(s);
    g_free(d);
    obs_template *t = NULL;
    if (obs_template_parse("prueba.tpl", tpl, strlen(tpl), kind, w->cat, NULL, NULL, &t, &err) != OBS_OK)
        fail_msg("template rejected: %s", err.message);
    obs_report_info info = {.proceso = "Proceso", .lugar = "Ciudad de México",
                            .generated_at = 1715200000, .paper = OBS_PAPER_LETTER, .version = "0"};
    obs_template_ctx ctx = {.run = w->run, .info = &info, .entidad = entidad};
    w->doc = obs_template_render(t, &ctx);
    obs_template_free(t);
    w->chart = NULL;
    for (size_t k = 0; k < w->doc->nsections && !w->chart; k++)
        for (size_t b = 0; b < w->doc->sections[k].nblocks; b++)
            if (w->doc->sections[k].blocks[b].kind == OBS_BLOCK_CHART)
                w->chart = w->doc->sections[k].blocks[b].chart;
    assert_non_null(w->chart);
}

static void weekly_clear(weekly *w)
{
    obs_doc_free(w->doc);
    obs_run_free(w->run);
    obs_catalog_free(w->cat);
    scratch_remove(w->dir);
}

static double sum(const double *v, size_t from, size_t to)
{
    double s = 0;
    for (size_t i = from; i < to; i++)
        s += v[i];
    return s;
}

/* Index of the category labelled label, or fails. */
static size_t cat_index(const obs_chart *c, const char *label)
{
    for (size_t i = 0; i < c->ncats; i++)
        if (strcmp(c->cats[i], label) == 0)
            return i;
    fail_msg("no category «%s»", label);
    return 0;
}

static void assert_no_hasta(const obs_chart *c)
{
    for (size_t i = 0; i < c->ncats; i++)
        if (g_str_has_prefix(c->cats[i], "hasta"))
            fail_msg("category %zu is «%s»", i, c->cats[i]);
}

/* Entidad 15's OPL acted only in the week ending 8 feb 23 (65 weeks before the corte); the
 * national series starts 80 weeks back. Its chart has that week's 3 and zeros elsewhere. */
static void test_opl_chart_counts_only_its_week(void **state)
{
    (void)state;
    const char *acciones[] = {"09,2022-10-26", "15,2023-02-06", "15,2023-02-07", "15,2023-02-08",
                              "09,2024-05-08"};
    weekly w;
    weekly_run(&w, acciones, G_N_ELEMENTS(acciones), opl_tpl, OBS_TPL_OPL, 15);
    const obs_chart *c = w.chart;
    assert_int_equal(c->ncats, 81);
    assert_string_equal(c->cats[0], "26 oct 22");
    assert_string_equal(c->cats[80], "8 may 24");
    size_t x = cat_index(c, "8 feb 23");
    assert_int_equal(x, 80 - 65);
    for (size_t i = 0; i < c->ncats; i++)
        if (c->series[0].values[i] != (i == x ? 3.0 : 0.0))
            fail_msg("week %s: %g actions", c->cats[i], c->series[0].values[i]);
    assert_no_hasta(c);
    assert_int_equal(obs_cube_clamped_day(w.run->cube), OBS_DAY_NONE);
    weekly_clear(&w);
}

/* A national cumulative line reaches back 70 weeks: no cap, each point the exact running total. */
static void test_cumulative_series_has_every_week_back_to_the_first(void **state)
{
    (void)state;
    const char *acciones[] = {"09,2023-01-04", "21,2023-06-01", "09,2024-05-08"};
    weekly w;
    weekly_run(&w, acciones, G_N_ELEMENTS(acciones), informe_tpl, OBS_TPL_INFORME, 0);
    const obs_chart *c = w.chart;
    assert_int_equal(c->ncats, 71);
    assert_string_equal(c->cats[0], "4 ene 23");
    size_t jun = cat_index(c, "7 jun 23");
    for (size_t i = 0; i < c->ncats; i++) {
        double want = i < jun ? 1 : (i < 70 ? 2 : 3);
        if (c->series[0].values[i] != want)
            fail_msg("week %s: %g, expected %g", c->cats[i], c->series[0].values[i], want);
    }
    assert_no_hasta(c);
    weekly_clear(&w);
}

/* An action dated 2012 is older than the cube keeps day by day: it is counted (the metrics
 * have it) but shown only in a first bar that says "hasta el …", never as that week's. */
static void test_data_older_than_the_floor_shows_only_as_hasta(void **state)
{
    (void)state;
    const char *acciones[] = {"15,2012-01-01", "15,2024-04-17"};
    weekly w;
    weekly_run(&w, acciones, G_N_ELEMENTS(acciones), opl_tpl, OBS_TPL_OPL, 15);
    const obs_chart *c = w.chart;
    assert_int_not_equal(obs_cube_clamped_day(w.run->cube), OBS_DAY_NONE);
    assert_int_equal(obs_snapshot_get(w.run->actual, 15, OBS_M_DIF_TOTAL), 2);
    assert_int_equal(c->ncats, WEEKS_TO_FLOOR);
    assert_string_equal(c->cats[0], "hasta el 7 may 14");
    assert_true(c->series[0].values[0] == 1.0);
    assert_true(sum(c->series[0].values, 1, c->ncats) == 1.0);
    assert_true(c->series[0].values[cat_index(c, "17 abr 24")] == 1.0);
    for (size_t i = 1; i < c->ncats; i++)
        assert_false(g_str_has_prefix(c->cats[i], "hasta"));
    weekly_clear(&w);
}

/* Runs a program; returns its standard output (g_free) or fails. */
static char *run_tool(char **argv)
{
    char *out = NULL, *err = NULL;
    int status = 0;
    GError *e = NULL;
    if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &e))
        fail_msg("%s: %s", argv[0], e->message);
    if (!g_spawn_check_wait_status(status, NULL))
        fail_msg("%s failed: %s", argv[0], err);
    g_free(err);
    return out;
}

/* The PDF's content streams, uncompressed (qpdf --qdf), as text. */
static char *pdf_content(const char *pdf, const char *dir)
{
    char *qdf = g_build_filename(dir, "qdf.pdf", NULL);
    char *argv[] = {"qpdf", "--qdf", "--object-streams=disable", (char *)pdf, qdf, NULL};
    g_free(run_tool(argv));
    char *text;
    assert_true(g_file_get_contents(qdf, &text, NULL, NULL));
    g_unlink(qdf);
    g_free(qdf);
    return text;
}

/* The PDF draws its chart's first category as first, and none of the merged ones. */
static void check_pdf_draws_first(const weekly *w, const char *first, const char *const *merged)
{
    char *pdf = g_build_filename(w->dir, "semanal.pdf", NULL);
    obs_error err;
    assert_int_equal(obs_render_pdf(w->doc, NULL, pdf, &err), OBS_OK);
    char *content = pdf_content(pdf, w->dir);
    char *shown = g_strdup_printf("(%s)", first);
    if (!strstr(content, shown))
        fail_msg("the PDF does not draw %s", shown);
    for (const char *const *m = merged; *m; m++) {
        char *gone = g_strdup_printf("(%s)", *m);
        if (strstr(content, gone))
            fail_msg("the PDF still draws %s", gone);
        g_free(gone);
    }
    g_free(shown);
    g_free(content);
    g_unlink(pdf);
    g_free(pdf);
}

/* The data sheet "Semanal" read back: "label\tvalue" per row, then the native chart's
 * category range. */
static const char xlsx_py[] =
    "import re, sys, zipfile, openpyxl\n"
    "ws = openpyxl.load_workbook(sys.argv[1])['Semanal']\n"
    "labels = ws.cell(3, ws.max_column).value == 'Rótulo en la gráfica'\n"
    "for row in ws.iter_rows(min_row=4, values_only=True):\n"
    "    day = row[0].strftime('%Y-%m-%d') if hasattr(row[0], 'strftime') else row[0]\n"
    "    print('%s\\t%s\\t%s' % (day, row[1], row[-1] if labels else '-'))\n"
    "z = zipfile.ZipFile(sys.argv[1])\n"
    "for n in sorted(e for e in z.namelist() if e.startswith('xl/charts/chart')):\n"
    "    print('CAT\\t' + re.search(r'<c:cat>.*?<c:f>([^<]*)</c:f>', z.read(n).decode()).group(1))\n";

static void check_xlsx_keeps_every_week(const obs_chart *c, const char *dir, obs_doc *doc)
{
    char *xlsx = g_build_filename(dir, "semanal.xlsx", NULL);
    obs_error err;
    assert_int_equal(obs_render_xlsx(doc, xlsx, &err), OBS_OK);
    char *argv[] = {"/usr/bin/python3", "-c", (char *)xlsx_py, xlsx, NULL};
    char *out = run_tool(argv);
    GString *want = g_string_new(NULL);
    for (size_t i = 0; i < c->ncats; i++) {
        /* Weeks are date cells (their last day); a week that is not one day stays its label. */
        char iso[16] = "";
        if (c->days && c->days[i])
            obs_day_iso(c->days[i], iso, sizeof iso);
        g_string_append_printf(want, "%s\t%.0f\t%s\n", *iso ? iso : c->cats[i], c->series[0].values[i],
                               c->kind == OBS_CHART_LINE ? "-" : c->cats[i]);
    }
    /* Bars read the weeks' labels, the last column ("12 oct 23"): a chart reading the date cells
     * is drawn on a time line, with hair-thin bars. A line reads the dates. */
    char col = c->kind == OBS_CHART_LINE ? 'A' : (char)('A' + 1 + c->nseries);
    g_string_append_printf(want, "CAT\tSemanal!$%c$4:$%c$%zu\n", col, col, 3 + c->ncats);
    assert_string_equal(out, want->str);
    g_string_free(want, TRUE);
    g_free(out);
    g_unlink(xlsx);
    g_free(xlsx);
}

/* 523 weeks: the PDF draws 53 bars, the first "hasta el <the 471st week>" with the sum of the
 * 471 weeks it covers; the workbook lists every week with its own count. */
static void test_pdf_bounds_the_chart_and_xlsx_keeps_every_week(void **state)
{
    (void)state;
    const char *acciones[] = {"15,2012-01-01", "15,2022-06-08", "15,2022-06-08", "15,2023-05-17",
                              "15,2024-04-17"};
    weekly w;
    weekly_run(&w, acciones, G_N_ELEMENTS(acciones), opl_tpl, OBS_TPL_OPL, 15);
    const obs_chart *c = w.chart;
    assert_int_equal(c->ncats, WEEKS_TO_FLOOR);
    size_t merged = WEEKS_TO_FLOOR - OBS_PDF_CHART_MAX_CATS + 1;
    obs_chart *b = obs_chart_bounded(c, OBS_PDF_CHART_MAX_CATS);
    assert_non_null(b);
    assert_int_equal(b->ncats, OBS_PDF_CHART_MAX_CATS);
    char *label = g_strconcat("hasta el ", c->cats[merged - 1], NULL);
    assert_string_equal(label, "hasta el 10 may 23");
    assert_string_equal(b->cats[0], label);
    /* 2012 (clamped) + 2 on 8 jun 22; 17 may 23 is the first of the 52 weeks drawn on their own. */
    assert_true(b->series[0].values[0] == 3.0);
    assert_true(b->series[0].values[0] == sum(c->series[0].values, 0, merged));
    for (size_t i = 1; i < b->ncats; i++) {
        assert_string_equal(b->cats[i], c->cats[merged - 1 + i]);
        assert_true(b->series[0].values[i] == c->series[0].values[merged - 1 + i]);
    }
    assert_string_equal(b->cats[1], "17 may 23");
    assert_true(b->series[0].values[1] == 1.0);
    obs_chart_free(b);
    check_pdf_draws_first(&w, label, (const char *[]){"hasta el 7 may 14", "8 jun 22", NULL});
    g_free(label);
    check_xlsx_keeps_every_week(c, w.dir, w.doc);
    weekly_clear(&w);
}

/* A cumulative series merges to the value at the last week merged; a chart without a fold, or
 * short enough, is drawn as it is. */
static void test_bounded_cumulative_takes_the_last_merged_value(void **state)
{
    (void)state;
    const char *acciones[] = {"09,2022-06-08", "21,2023-01-04", "21,2023-05-03", "09,2024-05-08"};
    weekly w;
    weekly_run(&w, acciones, G_N_ELEMENTS(acciones), informe_tpl, OBS_TPL_INFORME, 0);
    const obs_chart *c = w.chart;
    assert_int_equal(c->ncats, 101);
    obs_chart *b = obs_chart_bounded(c, OBS_PDF_CHART_MAX_CATS);
    assert_non_null(b);
    size_t merged = c->ncats - OBS_PDF_CHART_MAX_CATS + 1;
    assert_string_equal(b->cats[0], "hasta el 10 may 23");
    assert_true(b->series[0].values[0] == c->series[0].values[merged - 1]);
    assert_true(b->series[0].values[0] == 3.0);
    assert_true(b->series[0].values[b->ncats - 1] == 4.0);
    obs_chart_free(b);
    assert_null(obs_chart_bounded(c, c->ncats));
    obs_chart plain = *c;
    plain.fold = OBS_FOLD_NONE;
    assert_null(obs_chart_bounded(&plain, 10));
    weekly_clear(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opl_chart_counts_only_its_week),
        cmocka_unit_test(test_cumulative_series_has_every_week_back_to_the_first),
        cmocka_unit_test(test_data_older_than_the_floor_shows_only_as_hasta),
        cmocka_unit_test(test_pdf_bounds_the_chart_and_xlsx_keeps_every_week),
        cmocka_unit_test(test_bounded_cumulative_takes_the_last_merged_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
