/* test_portada.c - the informe's apparatus in the template and the model: numbering, citations, source lines, summary, contents, acronyms, cartogram. */
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
#include "observa/template.h"

static obs_catalog *cat;
static obs_run *run;      /* basico, corte 2023-10-12 with corte anterior 2023-10-05 */
static obs_run *run_solo; /* the same, without corte anterior, and a rule that flags nobody */

#define SOURCE "Fuente: Sistema de Observadores y Observadoras Electorales, con corte al 12 de octubre de 2023."
#define NUMBERED "@documento\nnumerar = si\nfuente = Fuente: Sistema de Observadores y Observadoras " \
                 "Electorales, con corte al {{corte}}.\n\n"

static int setup(void **state)
{
    (void)state;
    obs_error err;
    if (obs_catalog_load(g_getenv("OBSERVA_PLANTILLAS"), &cat, &err) != OBS_OK)
        return -1;
    run = basico_run(cat, obs_day_parse_iso("2023-10-05"), (obs_outreach_rule){5, 0.5});
    run_solo = basico_run(cat, OBS_DAY_NONE, (obs_outreach_rule){0, 0.0});
    return run && run_solo ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    obs_run_free(run);
    obs_run_free(run_solo);
    obs_catalog_free(cat);
    return 0;
}

static obs_template *parse_with(const obs_catalog *c, const char *text, obs_template_kind kind, obs_error *err)
{
    obs_template *t = NULL;
    obs_error_clear(err);
    obs_template_parse("prueba.tpl", text, strlen(text), kind, c, NULL, NULL, &t, err);
    return t;
}

static obs_doc *render_with(const obs_run *r, const char *text, obs_template_kind kind, int entidad)
{
    obs_error err;
    obs_template *t = parse_with(cat, text, kind, &err);
    if (!t)
        fail_msg("template rejected: %s:%llu: %s", err.path, (unsigned long long)err.line, err.message);
    obs_template_ctx ctx = {.run = r, .info = &basico_info, .entidad = entidad};
    obs_doc *doc = obs_template_render(t, &ctx);
    obs_template_free(t);
    return doc;
}

static obs_doc *render(const char *text)
{
    return render_with(run, text, OBS_TPL_INFORME, 0);
}

static void expect_error(const char *text, obs_template_kind kind, uint64_t line, const char *says)
{
    obs_error err;
    obs_template *t = parse_with(cat, text, kind, &err);
    if (t) {
        obs_template_free(t);
        fail_msg("accepted a bad template: %s", text);
    }
    assert_int_equal(err.code, OBS_ERR_CONFIG);
    if (err.line != line)
        fail_msg("error at line %llu, expected %llu: %s", (unsigned long long)err.line,
                 (unsigned long long)line, err.message);
    if (!strstr(err.message, says))
        fail_msg("message «%s» lacks «%s»", err.message, says);
}

/* The i-th block of kind k in the document, in reading order. */
static obs_block *nth(obs_doc *doc, obs_block_kind k, size_t i)
{
    for (size_t s = 0; s < doc->nsections; s++)
        for (size_t b = 0; b < doc->sections[s].nblocks; b++)
            if (doc->sections[s].blocks[b].kind == k && i-- == 0)
                return &doc->sections[s].blocks[b];
    fail_msg("no block %d number %zu", (int)k, i);
    return NULL;
}

static const char *paragraph(obs_doc *doc, size_t i)
{
    return nth(doc, OBS_BLOCK_PARAGRAPH, i)->text;
}

#define INDICADORES(id, title, extra)                                                             \
    "@tabla indicadores id=" id " titulo=\"" title "\"" extra "\ncolumna \"C\" = etiqueta\n"        \
    "columna \"V\" = valor\nfila \"Total\" = solicitudes.total\n\n"

/* ---- Numbering and source lines ------------------------------------------------------------ */

static void test_tables_charts_and_maps_are_numbered_in_reading_order(void **state)
{
    (void)state;
    obs_doc *doc = render(NUMBERED "@seccion A\n" INDICADORES("a", "Primera", "")
                          "@si no anterior\n" INDICADORES("x", "Omitida", "") "@fin\n"
                          "@grafica semanal titulo=\"Semanas\"\nserie \"S\" = solicitudes.total\n\n"
                          "@seccion B\n" INDICADORES("b", "Segunda", "")
                          "@mapa titulo=\"Mapa de OPL\"\n\n@grafica edad_sexo titulo=\"Edades\"\n");
    assert_string_equal(nth(doc, OBS_BLOCK_TABLE, 0)->table->title, "Tabla 1. Primera");
    /* The table left out by @si takes no number. */
    assert_string_equal(nth(doc, OBS_BLOCK_TABLE, 1)->table->title, "Tabla 2. Segunda");
    assert_string_equal(nth(doc, OBS_BLOCK_CHART, 0)->chart->title, "Gráfica 1. Semanas");
    assert_string_equal(nth(doc, OBS_BLOCK_CHART, 1)->chart->title, "Gráfica 2. Edades");
    assert_string_equal(nth(doc, OBS_BLOCK_TILEMAP, 0)->map->title, "Mapa 1. Mapa de OPL");
    obs_doc_free(doc);
}

static void test_without_numerar_titles_stay_as_written(void **state)
{
    (void)state;
    obs_doc *doc = render("@seccion A\n" INDICADORES("a", "Primera", ""));
    assert_string_equal(nth(doc, OBS_BLOCK_TABLE, 0)->table->title, "Primera");
    assert_null(nth(doc, OBS_BLOCK_TABLE, 0)->table->note);
    obs_doc_free(doc);
}

static void test_every_numbered_item_ends_with_the_source_line(void **state)
{
    (void)state;
    obs_doc *doc = render(NUMBERED "@seccion A\n" INDICADORES("a", "Con nota", " nota=\"Una nota.\"")
                          INDICADORES("b", "Sin nota", "")
                          "@grafica edad_sexo titulo=\"Edades\"\n\n@mapa titulo=\"OPL\"\n");
    assert_string_equal(nth(doc, OBS_BLOCK_TABLE, 0)->table->note, "Una nota.\n" SOURCE);
    assert_string_equal(nth(doc, OBS_BLOCK_TABLE, 1)->table->note, SOURCE);
    assert_string_equal(nth(doc, OBS_BLOCK_CHART, 0)->chart->note, SOURCE);
    assert_true(g_str_has_suffix(nth(doc, OBS_BLOCK_TILEMAP, 0)->map->note, SOURCE));
    obs_doc_free(doc);
}

/* ---- Citations ------------------------------------------------------------------------------ */

static void test_citations_resolve_to_the_numbers_shown(void **state)
{
    (void)state;
    obs_doc *doc = render(NUMBERED "@seccion A\nVéanse {{tabla:b}}, {{ tabla:a }}, {{grafica:g}} y\n"
                          "{{mapa:m}}.\n\n" INDICADORES("a", "Primera", " nota=\"Sigue en {{tabla:b}}.\"")
                          "@si no anterior\n" INDICADORES("x", "Omitida", "") "@fin\n"
                          INDICADORES("b", "Segunda", "")
                          "@grafica edad_sexo id=g titulo=\"Edades\"\n\n@mapa id=m\n");
    assert_string_equal(paragraph(doc, 0), "Véanse Tabla 2, Tabla 1, Gráfica 1 y Mapa 1.");
    assert_true(g_str_has_prefix(nth(doc, OBS_BLOCK_TABLE, 0)->table->note, "Sigue en Tabla 2.\n"));
    obs_doc_free(doc);
}

static void test_bad_citations_are_template_errors_with_their_line(void **state)
{
    (void)state;
    /* An unknown id, on the second line of a paragraph: the available ids are listed. */
    expect_error(NUMBERED "@seccion A\nprimera línea\ncomo muestra {{tabla:nada}}.\n\n" INDICADORES("a", "A", ""),
                 OBS_TPL_INFORME, 7, "ninguna @tabla tiene id=nada (ids: a)");
    expect_error(NUMBERED "@seccion A\n{{grafica:a}}\n\n" INDICADORES("a", "A", ""), OBS_TPL_INFORME, 6,
                 "ninguna @grafica");
    expect_error(NUMBERED "@seccion A\n{{tabla:a}}\n\n" INDICADORES("a", "A", "") INDICADORES("a", "B", ""),
                 OBS_TPL_INFORME, 6, "más de una @tabla con id=a");
    expect_error("@seccion A\n{{tabla:a}}\n\n" INDICADORES("a", "A", ""), OBS_TPL_INFORME, 2, "numerar = si");
    expect_error(NUMBERED "@seccion A\n{{tabla:a|entero}}\n\n" INDICADORES("a", "A", ""), OBS_TPL_INFORME, 6,
                 "no lleva filtros");
    expect_error(NUMBERED "@seccion A\n{{tabla:}}\n", OBS_TPL_INFORME, 6, "cita no válida");
    /* A table shown only under a condition is cited only under that condition. */
    expect_error(NUMBERED "@seccion A\n{{tabla:a}}\n\n@si bajo\n" INDICADORES("a", "A", "") "@fin\n",
                 OBS_TPL_INFORME, 6, "condición «bajo»");
    expect_error(NUMBERED "@seccion A\n@si no bajo\n{{tabla:a}}\n@fin\n@si bajo\n" INDICADORES("a", "A", "") "@fin\n",
                 OBS_TPL_INFORME, 7, "condición «bajo»");
    expect_error("@documento\nnumerar = quizá\n\n@seccion A\n", OBS_TPL_INFORME, 2, "numerar lleva si o no");
}

static void test_citation_under_the_same_condition_is_accepted(void **state)
{
    (void)state;
    obs_doc *doc = render(NUMBERED "@seccion A\n@si bajo\nLos OPL están en {{tabla:a}}.\n@fin\n"
                          "@si bajo\n" INDICADORES("a", "Señalados", "") "@fin\n");
    assert_string_equal(paragraph(doc, 0), "Los OPL están en Tabla 1.");
    obs_doc_free(doc);
}

/* ---- Executive summary ------------------------------------------------------------------------ */

#define SUMMARY "@resumen_ejecutivo hoja=\"Resumen ejecutivo\"\n"                                         \
                "introduccion = Al {{corte}}.\n"                                                         \
                "cifra \"Recibidas\" = solicitudes.total\n"                                              \
                "cifra \"Aprobadas\" = solicitudes.aprobadas; {{solicitudes.aprobadas|pct:solicitudes.total}} de las recibidas\n" \
                "cifra \"Acciones de los OPL\" = difusion.instancia.opl\n"                               \
                "senalados = Señalados: {{bajo.n}}\n"                                                    \
                "regla = Menos de {{umbral_minimo}} acciones.\n"                                         \
                "ninguno = Ningún OPL.\n\n"

static void test_summary_holds_figures_changes_and_exactly_the_flagged_opls(void **state)
{
    (void)state;
    obs_doc *doc = render(SUMMARY "@seccion A\nTexto.\n");
    obs_summary *s = nth(doc, OBS_BLOCK_SUMMARY, 0)->summary;
    assert_string_equal(s->title, "Resumen ejecutivo");
    assert_string_equal(s->sheet, "Resumen ejecutivo");
    assert_string_equal(s->intro, "Al 12 de octubre de 2023.");
    assert_string_equal(s->prev_date, "05/10/2023");
    assert_int_equal(s->nfigures, 3);
    assert_string_equal(s->figures[0].label, "Recibidas");
    assert_int_equal(s->figures[0].value, 8);
    assert_true(s->figures[0].has_prev);
    assert_int_equal(s->figures[0].prev, 6);
    assert_int_equal(s->figures[1].value, 3);
    assert_string_equal(s->figures[1].detail, "37.5% de las recibidas");
    assert_null(s->figures[0].detail);
    assert_int_equal(s->figures[2].value, 4);
    assert_int_equal(s->figures[2].prev, 2);
    assert_string_equal(s->flag_title, "Señalados: 32");
    /* The list is the run's flags, in clave order, with each OPL's own actions. */
    assert_int_equal(s->nflagged, (size_t)run->actual->nbajo);
    for (size_t i = 0, e = 1; e <= OBS_ENTIDADES; e++) {
        if (!obs_snapshot_bajo(run->actual, (int)e))
            continue;
        assert_int_equal(s->flagged[i].clave, e);
        assert_int_equal(s->flagged[i].actions,
                         obs_snapshot_get(run->actual, (int)e, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL));
        i++;
    }
    assert_string_equal(s->flagged[8].name, "IECM (Ciudad de México)");
    assert_int_equal(s->flagged[8].actions, 2);
    obs_doc_free(doc);
}

static void test_summary_without_corte_anterior_or_flags(void **state)
{
    (void)state;
    obs_doc *doc = render_with(run_solo, SUMMARY "@seccion A\nTexto.\n", OBS_TPL_INFORME, 0);
    obs_summary *s = nth(doc, OBS_BLOCK_SUMMARY, 0)->summary;
    assert_null(s->prev_date);
    assert_false(s->figures[0].has_prev);
    assert_int_equal(s->nflagged, 0);
    assert_string_equal(s->flag_none, "Ningún OPL.");
    assert_string_equal(s->flag_title, "Señalados: 0");
    obs_doc_free(doc);
}

static void test_summary_errors(void **state)
{
    (void)state;
    expect_error("@resumen_ejecutivo\nintroduccion = x\n\n@seccion A\n", OBS_TPL_INFORME, 1, "al menos una línea");
    GString *many = g_string_new("@resumen_ejecutivo\n");
    for (int i = 0; i < 9; i++)
        g_string_append_printf(many, "cifra \"C%d\" = solicitudes.total\n", i);
    expect_error(many->str, OBS_TPL_INFORME, 10, "a lo más 8");
    g_string_free(many, TRUE);
    expect_error("@resumen_ejecutivo\ncifra \"A\" = solicitudes.totl\n", OBS_TPL_INFORME, 2, "solicitudes.totl");
    expect_error("@resumen_ejecutivo\ncifra \"A\" = solicitudes.total\nconclusion = x\n", OBS_TPL_INFORME, 3,
                 "no reconocida");
    expect_error("@resumen_ejecutivo\ncifra \"A\" = solicitudes.total\nregla = a\nregla = b\n", OBS_TPL_INFORME, 4,
                 "una sola vez");
    expect_error("@resumen_ejecutivo tipo\ncifra \"A\" = solicitudes.total\n", OBS_TPL_INFORME, 1, "no lleva tipo");
    expect_error("@resumen_ejecutivo color=azul\ncifra \"A\" = solicitudes.total\n", OBS_TPL_INFORME, 1, "color");
    /* A per-OPL summary names no other OPL. */
    expect_error("@resumen_ejecutivo\ncifra \"A\" = solicitudes.total\n", OBS_TPL_OPL, 1, "resumen por OPL");
    expect_error("@seccion A\n@mapa\n", OBS_TPL_OPL, 2, "otras entidades");
}

/* ---- Contents and acronyms ---------------------------------------------------------------------- */

static void test_contents_list_every_section_and_item(void **state)
{
    (void)state;
    obs_doc *doc = render(NUMBERED SUMMARY "@indice titulo=\"Contenido\" tablas=si\n\n"
                          "@seccion Uno\n" INDICADORES("a", "Primera", "") "@seccion Dos\n"
                          "@grafica edad_sexo titulo=\"Edades\"\n\n" INDICADORES("b", "Segunda", "")
                          "@mapa titulo=\"OPL\"\n");
    obs_toc *toc = nth(doc, OBS_BLOCK_TOC, 0)->toc;
    assert_string_equal(toc->title, "Contenido");
    const char *expect[][2] = {{"0", "Resumen ejecutivo"}, {"0", "Uno"},        {"0", "Dos"},
                               {"-1", "Tablas"},           {"1", "Tabla 1. Primera"}, {"1", "Tabla 2. Segunda"},
                               {"-1", "Gráficas"},         {"1", "Gráfica 1. Edades"}, {"-1", "Mapas"},
                               {"1", "Mapa 1. OPL"}};
    assert_int_equal(toc->nentries, G_N_ELEMENTS(expect));
    for (size_t i = 0; i < G_N_ELEMENTS(expect); i++) {
        assert_int_equal(toc->entries[i].level, atoi(expect[i][0]));
        assert_string_equal(toc->entries[i].text, expect[i][1]);
    }
    /* Each entry points at what it names. */
    assert_int_equal(doc->sections[toc->entries[0].section].blocks[toc->entries[0].block].kind, OBS_BLOCK_SUMMARY);
    assert_string_equal(doc->sections[toc->entries[2].section].title, "Dos");
    assert_int_equal(toc->entries[2].block, OBS_TOC_HEADING);
    assert_ptr_equal(doc->sections[toc->entries[5].section].blocks[toc->entries[5].block].table,
                     nth(doc, OBS_BLOCK_TABLE, 1)->table);
    obs_doc_free(doc);

    doc = render("@indice\n\n@seccion Uno\n" INDICADORES("a", "Primera", ""));
    toc = nth(doc, OBS_BLOCK_TOC, 0)->toc;
    assert_int_equal(toc->nentries, 1); /* without tablas=si, sections only */
    assert_string_equal(toc->title, "Contenido");
    obs_doc_free(doc);
}

static void test_acronyms_in_template_order(void **state)
{
    (void)state;
    obs_doc *doc = render("@seccion Siglas\n@siglas hoja=\"Siglas\"\nOPL = Organismo Público Local\n"
                          "# un comentario\nCCOE = Comisión de Capacitación y Organización Electoral\n");
    obs_glossary *g = nth(doc, OBS_BLOCK_GLOSSARY, 0)->glossary;
    assert_int_equal(g->n, 2);
    assert_string_equal(g->terms[0], "OPL");
    assert_string_equal(g->meanings[1], "Comisión de Capacitación y Organización Electoral");
    assert_string_equal(g->sheet, "Siglas");
    obs_doc_free(doc);
    expect_error("@seccion A\n@siglas\nOPL Organismo\n", OBS_TPL_INFORME, 3, "SIGLA = significado");
    expect_error("@seccion A\n@siglas\nOPL = \n", OBS_TPL_INFORME, 3, "SIGLA = significado");
    expect_error("@seccion A\n@siglas\nOPL = a\nOPL = b\n", OBS_TPL_INFORME, 4, "ya está");
    expect_error("@seccion A\n@siglas\n\nTexto\n", OBS_TPL_INFORME, 2, "necesita líneas");
    expect_error("@seccion A\n@indice tablas=quizá\n", OBS_TPL_INFORME, 2, "si o no");
}

/* ---- Cartogram ------------------------------------------------------------------------------------ */

/* templates/catalogos/mapa.csv read independently: clave → (row, col). */
static void catalogue_grid(int row[OBS_ENTIDADES + 1], int col[OBS_ENTIDADES + 1])
{
    char *path = g_build_filename(g_getenv("OBSERVA_PLANTILLAS"), "catalogos", "mapa.csv", NULL);
    char *text = NULL;
    assert_true(g_file_get_contents(path, &text, NULL, NULL));
    char **lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        int c, r, k;
        if (sscanf(*l, "%d,%d,%d", &c, &r, &k) == 3 && c >= 1 && c <= OBS_ENTIDADES) {
            row[c] = r;
            col[c] = k;
        }
    }
    g_strfreev(lines);
    g_free(text);
    g_free(path);
}

static void test_cartogram_places_all_32_and_marks_exactly_the_flagged(void **state)
{
    (void)state;
    int row[OBS_ENTIDADES + 1] = {0}, col[OBS_ENTIDADES + 1] = {0};
    catalogue_grid(row, col);
    const obs_run *runs[] = {run, run_solo};
    for (size_t k = 0; k < G_N_ELEMENTS(runs); k++) {
        obs_doc *doc = render_with(runs[k], "@seccion A\n@mapa id=m hoja=\"Mapa\"\n", OBS_TPL_INFORME, 0);
        obs_tilemap *m = nth(doc, OBS_BLOCK_TILEMAP, 0)->map;
        assert_int_equal(m->ntiles, OBS_ENTIDADES);
        bool used[21][21] = {{false}};
        int flagged = 0;
        for (size_t i = 0; i < m->ntiles; i++) {
            const obs_tile *t = &m->tiles[i];
            assert_int_equal(t->clave, (int)i + 1);
            assert_int_equal(t->row, row[t->clave]);
            assert_int_equal(t->col, col[t->clave]);
            assert_true(t->row <= m->nrows && t->col <= m->ncols);
            assert_false(used[t->row][t->col]);
            used[t->row][t->col] = true;
            assert_int_equal(t->flagged, obs_snapshot_bajo(runs[k]->actual, t->clave));
            assert_int_equal(t->value, obs_snapshot_get(runs[k]->actual, t->clave,
                                                        OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL));
            flagged += t->flagged;
        }
        assert_int_equal(flagged, runs[k]->actual->nbajo);
        assert_string_equal(m->tiles[3].label, "Camp.");
        assert_string_equal(m->tiles[8].name, "Ciudad de México");
        obs_doc_free(doc);
    }
    assert_int_equal(run->actual->nbajo, 32);
    assert_int_equal(run_solo->actual->nbajo, 0);
}

static void test_cartogram_value_is_configurable(void **state)
{
    (void)state;
    obs_doc *doc = render("@seccion A\n@mapa valor=solicitudes.total etiqueta=\"Solicitudes\"\n");
    obs_tilemap *m = nth(doc, OBS_BLOCK_TILEMAP, 0)->map;
    assert_int_equal(m->tiles[8].value, obs_snapshot_get(run->actual, 9, OBS_M_TOTAL));
    assert_string_equal(m->value_label, "Solicitudes");
    obs_doc_free(doc);
    expect_error("@seccion A\n@mapa valor=solicitudes.nada\n", OBS_TPL_INFORME, 2, "solicitudes.nada");
}

/* The catalogue of a scratch copy of templates/ whose mapa.csv says `grid` (*tmp: its directory). */
static obs_catalog *grid_catalog(const char *grid, char **tmp)
{
    *tmp = scratch_dir("mapa");
    char *cmd = g_strdup_printf("cp -R '%s/.' '%s/'", g_getenv("OBSERVA_PLANTILLAS"), *tmp);
    assert_int_equal(system(cmd), 0);
    char *mapa = g_build_filename(*tmp, "catalogos", "mapa.csv", NULL);
    assert_true(g_file_set_contents(mapa, grid, -1, NULL));
    obs_catalog *c = NULL;
    obs_error err;
    assert_int_equal(obs_catalog_load(*tmp, &c, &err), OBS_OK);
    g_free(mapa);
    g_free(cmd);
    return c;
}

static void drop_catalog(obs_catalog *c, char *tmp)
{
    obs_catalog_free(c);
    scratch_remove(tmp);
}

/* @mapa with a catalogue whose mapa.csv says `grid` fails at `line` saying `says`. */
static void expect_grid_error(const char *grid, uint64_t line, const char *says)
{
    char *tmp;
    obs_catalog *c = grid_catalog(grid, &tmp);
    obs_error err;
    obs_template *t = parse_with(c, "@seccion A\n@mapa\n", OBS_TPL_INFORME, &err);
    assert_null(t);
    assert_int_equal(err.code, OBS_ERR_CONFIG);
    assert_true(g_str_has_suffix(err.path, "mapa.csv"));
    if (err.line != line || !strstr(err.message, says))
        fail_msg("%s:%llu: %s (expected line %llu, «%s»)", err.path, (unsigned long long)err.line, err.message,
                 (unsigned long long)line, says);
    drop_catalog(c, tmp);
}

/* The 32 lines of a valid grid (one row per entidad), with line `skip` (1-based clave) replaced. */
static char *grid_with(int clave, const char *replacement)
{
    GString *s = g_string_new("\xEF\xBB\xBF# saved with a BOM\nclave,fila,columna\n");
    for (int c = 1; c <= OBS_ENTIDADES; c++) {
        if (c == clave)
            g_string_append(s, replacement);
        else
            g_string_append_printf(s, "%02d,%d,%d\n", c, (c - 1) / 8 + 1, (c - 1) % 8 + 1);
    }
    return g_string_free(s, FALSE);
}

static void test_cartogram_grid_errors_name_mapa_csv_and_line(void **state)
{
    (void)state;
    /* Clave 05's line (line 7) replaced by each of these. */
    static const struct {
        const char *line;
        uint64_t at;
        const char *says;
    } cases[] = {
        {"", 33, "falta la clave 05"},
        {"04,9,9\n", 7, "la clave 04 ya tiene lugar"},
        {"05,1,1\n", 7, "ya es de la clave 01"},
        {"05,0,3\n", 7, "de 1 a 20"},
        {"33,9,9\n", 7, "clave de entidad no válida"},
        {"05;9;9\n", 7, "clave,fila,columna"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *g = grid_with(5, cases[i].line);
        expect_grid_error(g, cases[i].at, cases[i].says);
        g_free(g);
    }
    expect_grid_error("entidad,x,y\n", 1, "la primera línea");
    /* A valid grid, BOM and comment included, is accepted. */
    char *g = grid_with(0, "");
    char *tmp;
    obs_catalog *c = grid_catalog(g, &tmp);
    obs_error err;
    obs_template *t = parse_with(c, "@seccion A\n@mapa\n", OBS_TPL_INFORME, &err);
    assert_non_null(t);
    obs_template_free(t);
    drop_catalog(c, tmp);
    g_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_charts_and_maps_are_numbered_in_reading_order),
        cmocka_unit_test(test_without_numerar_titles_stay_as_written),
        cmocka_unit_test(test_every_numbered_item_ends_with_the_source_line),
        cmocka_unit_test(test_citations_resolve_to_the_numbers_shown),
        cmocka_unit_test(test_bad_citations_are_template_errors_with_their_line),
        cmocka_unit_test(test_citation_under_the_same_condition_is_accepted),
        cmocka_unit_test(test_summary_holds_figures_changes_and_exactly_the_flagged_opls),
        cmocka_unit_test(test_summary_without_corte_anterior_or_flags),
        cmocka_unit_test(test_summary_errors),
        cmocka_unit_test(test_contents_list_every_section_and_item),
        cmocka_unit_test(test_acronyms_in_template_order),
        cmocka_unit_test(test_cartogram_places_all_32_and_marks_exactly_the_flagged),
        cmocka_unit_test(test_cartogram_value_is_configurable),
        cmocka_unit_test(test_cartogram_grid_errors_name_mapa_csv_and_line),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
