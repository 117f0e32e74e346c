/* test_portada_render.c - the informe's apparatus as readers see it: contents with right pages, one-page summary, /Lang, cartogram, XLSX sheets. */
#include <glib.h>
#include <glib/gstdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "basico_run.h"
#include "scratch.h"
#include "observa/render.h"
#include "observa/template.h"

static obs_catalog *cat;
static obs_run *run;
static char *dir; /* scratch directory for the files */
/* The informe of the basico case, rendered once: model, PDF and its pages' text. */
static obs_doc *informe_doc;
static char *informe_pdf;
static char **informe_pages;
static guint informe_npages;

static obs_doc *informe(void);
static char *render_pdf(obs_doc *doc, const char *name);
static char **pages_of(const char *pdf, guint *n);

static int setup(void **state)
{
    (void)state;
    obs_error err;
    if (obs_catalog_load(g_getenv("OBSERVA_PLANTILLAS"), &cat, &err) != OBS_OK)
        return -1;
    run = basico_run(cat, obs_day_parse_iso("2023-10-05"), (obs_outreach_rule){5, 0.5});
    dir = scratch_dir("portada");
    if (!run || !dir)
        return -1;
    informe_doc = informe();
    informe_pdf = render_pdf(informe_doc, "informe.pdf");
    informe_pages = pages_of(informe_pdf, &informe_npages);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    scratch_remove(dir);
    g_strfreev(informe_pages);
    g_free(informe_pdf);
    obs_doc_free(informe_doc);
    obs_run_free(run);
    obs_catalog_free(cat);
    return 0;
}

/* ---- Helpers ------------------------------------------------------------------------------------ */

static char *spawn(const char *const *argv, bool *ok)
{
    char *out = NULL, *err = NULL;
    int status = 0;
    GError *e = NULL;
    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &e))
        fail_msg("no se pudo ejecutar %s: %s", argv[0], e->message);
    *ok = g_spawn_check_wait_status(status, NULL) && (!err || !*err || strcmp(argv[0], "qpdf") == 0);
    if (!*ok)
        print_error("%s: %s\n", argv[0], err ? err : "");
    g_free(err);
    return out;
}

/* pdftotext -layout, one string per page, each line's runs of spaces collapsed. */
static char **pages_of(const char *pdf, guint *n)
{
    bool ok;
    char *txt = spawn((const char *const[]){"pdftotext", "-layout", pdf, "-", NULL}, &ok);
    assert_true(ok); /* and poppler printed no warning */
    GRegex *spaces = g_regex_new("[ \t]+", 0, 0, NULL);
    char *flat = g_regex_replace_literal(spaces, txt, -1, 0, " ", 0, NULL);
    g_regex_unref(spaces);
    char **pages = g_strsplit(flat, "\f", -1);
    g_free(flat);
    g_free(txt);
    *n = g_strv_length(pages);
    if (*n > 0 && strspn(pages[*n - 1], " \n") == strlen(pages[*n - 1]))
        (*n)--; /* after the last form feed */
    return pages;
}

/* Whether some line of page starts with prefix (after leading spaces). */
static bool line_starts(const char *page, const char *prefix)
{
    char **lines = g_strsplit(page, "\n", -1);
    bool found = false;
    for (char **l = lines; *l && !found; l++)
        found = g_str_has_prefix(g_strchug(*l), prefix);
    g_strfreev(lines);
    return found;
}

/* Whether the page holds these words in this order, wherever its lines break. */
static bool has_words(const char *page, const char *words)
{
    char **parts = g_strsplit_set(page, " \n", -1);
    GString *flat = g_string_new(NULL);
    for (char **p = parts; *p; p++)
        if (**p)
            g_string_append_printf(flat, "%s%s", flat->len ? " " : "", *p);
    bool found = strstr(flat->str, words) != NULL;
    g_string_free(flat, TRUE);
    g_strfreev(parts);
    return found;
}

static bool line_equals(const char *page, const char *text)
{
    char **lines = g_strsplit(page, "\n", -1);
    bool found = false;
    for (char **l = lines; *l && !found; l++)
        found = strcmp(g_strstrip(*l), text) == 0;
    g_strfreev(lines);
    return found;
}

static char *path_of(const char *name)
{
    return g_build_filename(dir, name, NULL);
}

static obs_doc *informe(void)
{
    char *tpl = g_build_filename(g_getenv("OBSERVA_PLANTILLAS"), "informe.tpl", NULL);
    obs_template *t = NULL;
    obs_error err;
    if (obs_template_load(tpl, OBS_TPL_INFORME, cat, NULL, NULL, &t, &err) != OBS_OK)
        fail_msg("%s:%llu: %s", err.path, (unsigned long long)err.line, err.message);
    obs_template_ctx ctx = {.run = run, .info = &basico_info};
    obs_doc *doc = obs_template_render(t, &ctx);
    obs_template_free(t);
    g_free(tpl);
    return doc;
}

static char *render_pdf(obs_doc *doc, const char *name)
{
    char *path = path_of(name);
    obs_error err;
    if (obs_render_pdf(doc, NULL, path, &err) != OBS_OK)
        fail_msg("obs_render_pdf: %s", err.message);
    return path;
}

/* The page number the contents give for an entry: "Título . . . . 7". */
static int toc_number(char **pages, guint from, guint to, const char *title)
{
    char *escaped = g_regex_escape_string(title, -1);
    char *pattern = g_strdup_printf("^ ?%s(?: \\.)+ (\\d+)$", escaped);
    g_free(escaped);
    GRegex *re = g_regex_new(pattern, G_REGEX_MULTILINE, 0, NULL);
    int n = -1;
    for (guint p = from; p < to && n < 0; p++) {
        GMatchInfo *m = NULL;
        if (g_regex_match(re, pages[p], 0, &m)) {
            char *num = g_match_info_fetch(m, 1);
            n = atoi(num);
            g_free(num);
        }
        g_match_info_free(m);
    }
    g_regex_unref(re);
    g_free(pattern);
    return n;
}

/* Checks that each entry of the document's contents is printed with the page its heading or
 * caption is on; returns how many entries were checked. */
static size_t check_toc(obs_doc *doc, const char *pdf)
{
    guint n;
    char **pages = pages_of(pdf, &n);
    const obs_toc *toc = NULL;
    for (size_t s = 0; s < doc->nsections && !toc; s++)
        for (size_t b = 0; b < doc->sections[s].nblocks && !toc; b++)
            if (doc->sections[s].blocks[b].kind == OBS_BLOCK_TOC)
                toc = doc->sections[s].blocks[b].toc;
    assert_non_null(toc);
    guint first = 0;
    while (first < n && !line_equals(pages[first], toc->title))
        first++;
    assert_true(first < n);
    guint last = first + 1; /* the contents continue while pages hold dot leaders */
    while (last < n && strstr(pages[last], ". . . . ."))
        last++;
    size_t checked = 0;
    for (size_t i = 0; i < toc->nentries; i++) {
        const obs_toc_entry *e = &toc->entries[i];
        if (e->level < 0)
            continue;
        int page = toc_number(pages, first, last, e->text);
        if (page < 1 || (guint)page > n)
            fail_msg("«%s» has no page number in the contents (got %d)", e->text, page);
        /* Its heading (a line of its own) or caption (the start of a line) is on that page … */
        bool there = e->level == 0 ? line_equals(pages[page - 1], e->text) : line_starts(pages[page - 1], e->text);
        if (!there)
            fail_msg("«%s» is not on page %d:\n%s", e->text, page, pages[page - 1]);
        /* … and on no page before it, other than the contents themselves. */
        for (int p = 1; p < page; p++)
            if ((guint)(p - 1) < first || (guint)(p - 1) >= last)
                if (e->level == 0 ? line_equals(pages[p - 1], e->text) : line_starts(pages[p - 1], e->text))
                    fail_msg("«%s» is already on page %d, the contents say %d", e->text, p, page);
        checked++;
    }
    g_strfreev(pages);
    return checked;
}

/* ---- Contents ---------------------------------------------------------------------------------------- */

static void test_contents_give_the_page_of_every_section_table_chart_and_map(void **state)
{
    (void)state;
    /* the summary, 8 sections, 13 tables, 3 charts and 1 map */
    assert_int_equal(check_toc(informe_doc, informe_pdf), 26);
}

static void test_contents_spanning_several_pages(void **state)
{
    (void)state;
    obs_doc *doc = obs_doc_new();
    obs_set_str(&doc->title, "Prueba");
    obs_set_str(&doc->cover.title, "Prueba");
    obs_section_add_toc(obs_doc_add_section(doc, NULL), "Contenido", false);
    for (int i = 1; i <= 90; i++) {
        char *title = g_strdup_printf("Sección número %d del documento de prueba", i);
        obs_section *sec = obs_doc_add_section(doc, title);
        sec->new_page = i % 7 == 0;
        for (int k = 0; k < i % 4 + 1; k++)
            obs_section_add_paragraph(sec, OBS_PAR_NORMAL, "Texto de la sección %d, párrafo %d, con algunas "
                                                           "palabras más para ocupar varias líneas de la página.",
                                      i, k);
        g_free(title);
    }
    obs_doc_build_toc(doc);
    char *pdf = render_pdf(doc, "indice-largo.pdf");
    assert_int_equal(check_toc(doc, pdf), 90);
    g_free(pdf);
    obs_doc_free(doc);
}

/* ---- Executive summary --------------------------------------------------------------------------------- */

static char *repeat(const char *s, int n)
{
    GString *out = g_string_new(NULL);
    for (int i = 0; i < n; i++)
        g_string_append_printf(out, "%s%s", i ? " " : "", s);
    return g_string_free(out, FALSE);
}

/* A summary with everything at its limit: 8 figures with long texts, 32 flagged OPLs with long
 * names, and paragraphs longer than a page. */
static obs_doc *crowded_summary(void)
{
    obs_doc *doc = obs_doc_new();
    obs_set_str(&doc->title, "Prueba");
    obs_set_str(&doc->cover.title, "Prueba");
    obs_section *sec = obs_doc_add_section(doc, NULL);
    obs_summary *s = obs_section_add_summary(sec, "Resumen ejecutivo con un título largo que ocupa más de una línea "
                                                  "de la página y sigue", NULL);
    s->intro = repeat("Introducción del resumen ejecutivo, larga.", 80);
    s->prev_date = g_strdup("05/10/2023");
    for (int i = 0; i < 8; i++)
        obs_summary_add_figure(s, "Solicitudes de acreditación recibidas por las juntas locales y distritales "
                                  "ejecutivas del Instituto en el proceso electoral",
                               1234567890 + i, true, 1000 + i,
                               "99.9% de las solicitudes recibidas en todo el país hasta la fecha de corte del informe");
    s->flag_title = g_strdup("OPL con bajo número de acciones de difusión: 32");
    for (int e = 1; e <= 32; e++) {
        char *name = g_strdup_printf("Instituto Electoral y de Participación Ciudadana número %d (Entidad %d)", e, e);
        obs_summary_add_flagged(s, e, name, e == 1 ? 1 : 1000 * e);
        g_free(name);
    }
    s->flag_rule = repeat("La regla del umbral.", 60);
    s->flag_none = g_strdup("Ninguno.");
    s->closing = repeat("Cierre del resumen.", 90);
    obs_section_add_paragraph(obs_doc_add_section(doc, "Después"), OBS_PAR_NORMAL, "Lo que sigue.");
    return doc;
}

/* Every word on page `page` lies inside the 2 cm margins (nothing spills past the foot). */
static void assert_inside_margins(const char *pdf, int page)
{
    char num[16];
    g_snprintf(num, sizeof num, "%d", page);
    bool ok;
    char *xml = spawn((const char *const[]){"pdftotext", "-bbox", "-f", num, "-l", num, pdf, "-", NULL}, &ok);
    assert_true(ok);
    GRegex *re = g_regex_new("yMin=\"([0-9.]+)\" xMax=\"[0-9.]+\" yMax=\"([0-9.]+)\"", 0, 0, NULL);
    GMatchInfo *m = NULL;
    int words = 0;
    const double margin = 20.0 * 72.0 / 25.4;
    for (g_regex_match(re, xml, 0, &m); g_match_info_matches(m); g_match_info_next(m, NULL)) {
        char *a = g_match_info_fetch(m, 1), *b = g_match_info_fetch(m, 2);
        double top = g_ascii_strtod(a, NULL), bottom = g_ascii_strtod(b, NULL);
        if (top < margin || bottom > 792.0 - margin)
            fail_msg("a word at y %.1f–%.1f lies in the margin of page %d", top, bottom, page);
        words++;
        g_free(a);
        g_free(b);
    }
    g_match_info_free(m);
    g_regex_unref(re);
    g_free(xml);
    assert_true(words > 50);
}

static void test_summary_is_one_page_however_crowded(void **state)
{
    (void)state;
    obs_doc *doc = crowded_summary();
    char *pdf = render_pdf(doc, "resumen-lleno.pdf");
    guint n;
    char **pages = pages_of(pdf, &n);
    assert_int_equal(n, 3); /* cover, summary, what follows */
    assert_non_null(strstr(pages[1], "Resumen ejecutivo"));
    assert_non_null(strstr(pages[1], "1,234,567,897")); /* the eighth figure */
    assert_non_null(strstr(pages[1], "número 32 (Entidad 32): 32,000 acciones"));
    assert_non_null(strstr(pages[1], "número 1 (Entidad 1): 1 acción"));
    assert_non_null(strstr(pages[1], "+1,234,566,890 respecto del corte anterior (05/10/2023)"));
    assert_true(line_equals(pages[2], "Después"));
    assert_inside_margins(pdf, 2);
    g_strfreev(pages);
    g_free(pdf);
    obs_doc_free(doc);
}

/* A long introduction that fits once the page is scaled down is not cut. */
static void test_summary_shrinks_before_it_cuts(void **state)
{
    (void)state;
    obs_doc *doc = obs_doc_new();
    obs_set_str(&doc->cover.title, "Prueba");
    obs_summary *s = obs_section_add_summary(obs_doc_add_section(doc, NULL), "Resumen ejecutivo", NULL);
    char *intro = repeat("Una introducción larga del resumen ejecutivo que ocupa varias líneas.", 40);
    s->intro = g_strconcat(intro, " Última frase de la introducción.", NULL);
    for (int i = 0; i < 6; i++)
        obs_summary_add_figure(s, "Solicitudes", 1000 + i, false, 0, "Detalle");
    s->flag_title = g_strdup("Señalados");
    s->flag_none = g_strdup("Ninguno.");
    char *pdf = render_pdf(doc, "resumen-largo.pdf");
    guint n;
    char **pages = pages_of(pdf, &n);
    assert_int_equal(n, 2);
    assert_true(has_words(pages[1], "Última frase de la introducción."));
    assert_null(strstr(pages[1], "…"));
    assert_inside_margins(pdf, 2);
    g_strfreev(pages);
    g_free(pdf);
    g_free(intro);
    obs_doc_free(doc);
}

static void test_summary_of_the_informe_keeps_its_page(void **state)
{
    (void)state;
    char **pages = informe_pages;
    assert_true(line_equals(pages[1], "Resumen ejecutivo"));
    assert_non_null(strstr(pages[1], "OPL con bajo número de acciones de difusión: 32"));
    assert_non_null(strstr(pages[1], "IECM (Ciudad de México): 2 acciones"));
    assert_true(has_words(pages[1], "+2 respecto del corte anterior (05/10/2023)"));
    assert_true(has_words(pages[1], "las acciones de difusión en la Tabla 2, las solicitudes en la Tabla 5 y su "
                                    "estado en la Tabla 8; el Mapa 1 muestra las acciones de difusión de cada OPL."));
    /* The contents start on the next page. */
    assert_true(line_equals(pages[2], "Contenido"));
    assert_null(strstr(pages[2], "IECM"));
}

/* ---- Language, acronyms and cartogram ------------------------------------------------------------------- */

static void test_pdf_declares_its_language(void **state)
{
    (void)state;
    const char *pdf = informe_pdf;
    bool ok;
    char *cat_obj = spawn((const char *const[]){"qpdf", "--show-object=trailer", pdf, NULL}, &ok);
    assert_true(ok);
    g_free(cat_obj);
    char *check = spawn((const char *const[]){"qpdf", "--check", pdf, NULL}, &ok);
    assert_true(ok);
    g_free(check);
    char *root = spawn((const char *const[]){"qpdf", "--show-object=1", pdf, NULL}, &ok);
    assert_true(ok);
    if (!strstr(root, "/Type /Catalog") || !strstr(root, "/Lang (es-MX)"))
        fail_msg("catalog without /Lang: %s", root);
    g_free(root);
}

static void test_pdf_acronyms_and_cartogram_show_every_entry(void **state)
{
    (void)state;
    char **pages = informe_pages;
    guint n = informe_npages, map = 0, siglas = 0;
    for (guint p = 1; p < n; p++) {
        if (strstr(pages[p], ". . . . .")) /* the contents name the map too */
            continue;
        if (!map && line_starts(pages[p], "Mapa 1. Acciones de difusión de los OPL"))
            map = p;
        if (!siglas && line_equals(pages[p], "Siglas y acrónimos"))
            siglas = p;
    }
    assert_true(map > 0 && siglas > 0);
    assert_non_null(strstr(pages[siglas], "UTVOPL Unidad Técnica de Vinculación con los Organismos Públicos Locales"));
    assert_non_null(strstr(pages[siglas], "VPPP Voto de las personas en prisión preventiva"));
    for (int e = 1; e <= OBS_ENTIDADES; e++) {
        const char *label = obs_catalog_entidad(cat, e)->abreviatura;
        if (!strstr(pages[map], label))
            fail_msg("the map lacks «%s»", label);
    }
    /* Legend and source. */
    assert_non_null(strstr(pages[map], "OPL con bajo número de acciones de difusión"));
    assert_non_null(strstr(pages[map], "Fuente: Sistema de Observadores y Observadoras Electorales, con corte al 12 "
                                       "de octubre de 2023."));
}

/* ---- XLSX ------------------------------------------------------------------------------------------------- */

static const char XLSX_PY[] =
    "import sys, openpyxl\n"
    "wb = openpyxl.load_workbook(sys.argv[1])\n"
    "print('SHEETS', '|'.join(wb.sheetnames))\n"
    "for ws in wb.worksheets:\n"
    "    print('A1', ws.title, '|', ws['A1'].value)\n"
    "ws = wb['Resumen ejecutivo']\n"
    "for r in ws.iter_rows(min_row=4, max_row=9):\n"
    "    print('FIG', '|'.join('%s:%s' % (c.value, c.number_format) for c in r[:4]))\n"
    "ws = wb['Mapa OPL']\n"
    "flag = [r[0].value for r in ws.iter_rows(min_row=4, max_row=35) if r[4].value == 'Sí']\n"
    "print('FLAGGED', len(flag), ws.max_row >= 35)\n"
    "for r in ws.iter_rows(min_row=4, max_row=35):\n"
    "    row, col = r[5].value, r[6].value\n"
    "    label = ws.cell(4 + 2 * (row - 1), 9 + col - 1)\n"
    "    value = ws.cell(5 + 2 * (row - 1), 9 + col - 1)\n"
    "    print('TILE', r[0].value, label.value == r[2].value, value.value == r[3].value,\n"
    "          value.number_format, label.border.left.style, r[4].value)\n";

static void test_xlsx_summary_and_cartogram_sheets(void **state)
{
    (void)state;
    obs_doc *doc = informe();
    obs_report_add_metricas(doc, run);
    char *path = path_of("informe.xlsx");
    obs_error err;
    if (obs_render_xlsx(doc, path, &err) != OBS_OK)
        fail_msg("obs_render_xlsx: %s", err.message);
    char *py = path_of("check.py");
    assert_true(g_file_set_contents(py, XLSX_PY, -1, NULL));
    bool ok;
    char *out = spawn((const char *const[]){"/usr/bin/python3", py, path, NULL}, &ok);
    assert_true(ok);
    assert_non_null(strstr(out, "SHEETS Resumen ejecutivo|Resumen|"));
    /* Numbers in the XLSX are those of the PDF. */
    assert_non_null(strstr(out, "A1 Resumen | Tabla 1. Cifras principales\n"));
    assert_non_null(strstr(out, "A1 Gráfica OPL | Gráfica 1. Acciones de difusión de los OPL por entidad\n"));
    assert_non_null(strstr(out, "A1 Mapa OPL | Mapa 1. Acciones de difusión de los OPL, por entidad\n"));
    assert_non_null(strstr(out, "A1 Métricas | Métricas")); /* XLSX-only: no number */
    assert_non_null(strstr(out, "FIG Solicitudes de acreditación recibidas:General|8:#,##0|6:#,##0|2:+#,##0;-#,##0;0\n"));
    assert_non_null(strstr(out, "FLAGGED 32 True\n"));
    assert_non_null(strstr(out, "TILE 09 True True #,##0 thick Sí\n"));
    assert_null(strstr(out, " False "));
    g_free(out);
    g_free(py);
    g_free(path);
    obs_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contents_give_the_page_of_every_section_table_chart_and_map),
        cmocka_unit_test(test_contents_spanning_several_pages),
        cmocka_unit_test(test_summary_is_one_page_however_crowded),
        cmocka_unit_test(test_summary_shrinks_before_it_cuts),
        cmocka_unit_test(test_summary_of_the_informe_keeps_its_page),
        cmocka_unit_test(test_pdf_declares_its_language),
        cmocka_unit_test(test_pdf_acronyms_and_cartogram_show_every_entry),
        cmocka_unit_test(test_xlsx_summary_and_cartogram_sheets),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
