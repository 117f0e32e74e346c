/* test_template.c - the template language: parsing errors with file:line, rendering, golden model dump. */
#include <glib.h>
#include <glib/gstdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "scratch.h"
#include "observa/catalog.h"
#include "observa/metrics.h"
#include "observa/run.h"
#include "observa/template.h"
#include "history/history_view_int.h"

static obs_catalog *cat;
static obs_run *run;
/* Hand-made runs (see make_runs()): one OPL flagged and one exactly at the threshold; none
 * flagged with a fractional threshold and one rejected row; a corte before any data. */
static obs_run *run_uno, *run_cero, *run_vacio;
static char *tmpdir;
static obs_report_info info = {
    .proceso = "Proceso Electoral Concurrente 2023-2024",
    .lugar = "Ciudad de México",
    .generated_at = 1698300000, /* 2023-10-26 00:00 UTC = 25 October in Mexico City */
    .paper = OBS_PAPER_LETTER,
    .version = "0.1.0",
};

static char *fixture(const char *name)
{
    return g_build_filename(g_getenv("OBS_TEST_SOURCE_ROOT"), "tests", "e2e", "cases", "basico", name, NULL);
}

/* Writes name in tmpdir; returns its path (g_free). */
static char *write_tmp(const char *name, const char *text)
{
    char *path = g_build_filename(tmpdir, name, NULL);
    g_file_set_contents(path, text, -1, NULL);
    return path;
}

/* OPL actions of each entidad (1..32), plus extra raw lines; returns the difusion CSV's path. */
static char *difusion_csv(const char *name, const int *opl, const char *extra)
{
    GString *s = g_string_new("id,entidad,instancia,fecha,tipo,alcance\n");
    int id = 0;
    for (int e = 1; e <= 32; e++)
        for (int k = 0; k < opl[e - 1]; k++)
            g_string_append_printf(s, "A%05d,%02d,opl,2023-10-01,rs,10\n", ++id, e);
    g_string_append(s, extra ? extra : "");
    char *path = write_tmp(name, s->str);
    g_string_free(s, TRUE);
    return path;
}

static obs_run *run_of(const char *sol, const char *dif, const char *corte, obs_outreach_rule rule)
{
    obs_run_config cfg = {
        .solicitudes = (const char *const[]){sol, NULL},
        .difusion = (const char *const[]){dif, NULL},
        .corte = obs_day_parse_iso(corte),
        .rule = rule,
    };
    obs_run *r = NULL;
    obs_error err;
    if (obs_run_execute(&cfg, cat, NULL, NULL, &r, &err) != OBS_OK)
        fprintf(stderr, "run failed: %s:%llu: %s\n", err.path, (unsigned long long)err.line, err.message);
    return r;
}

/* Three requests, one of each sex, medio and instancia that gave the course (shares of 1/3 each:
 * 33.3% three times would add up to 99.9%); one aprobada and two improcedentes with two causes;
 * one of an organisation. */
static int make_runs(void)
{
    tmpdir = scratch_dir("template");
    char *sol = write_tmp("solicitudes.csv",
                          "folio,entidad,fecha_solicitud,tipo,medio,sexo,organizacion,fecha_curso,curso_impartido_por,"
                          "resolucion,fecha_resolucion,causa\n"
                          "S1,09,2023-10-01,individual,portal,mujer,,2023-10-02,ine,aprobada,2023-10-05,\n"
                          "S2,09,2023-10-01,organizacion,junta,hombre,Red Cívica,2023-10-02,opl,improcedente,2023-10-05,"
                          "Causa A\n"
                          "S3,09,2023-10-01,individual,opl,no_binaria,,2023-10-02,organizacion,improcedente,2023-10-05,"
                          "Causa B\n");
    /* Median 10, threshold max(5, 0.5 × 10) = 5: Aguascalientes at it (5), Baja California below (4). */
    int uno[32], cero[32];
    for (int e = 0; e < 32; e++)
        uno[e] = 10, cero[e] = 70;
    uno[0] = 5;
    uno[1] = 4;
    /* Median 70, threshold 0.75 × 70 = 52.5: fewer than 53; Aguascalientes has exactly 53. */
    cero[0] = 53;
    char *d1 = difusion_csv("difusion-uno.csv", uno, NULL);
    char *d0 = difusion_csv("difusion-cero.csv", cero, "B1,99,opl,2023-10-01,rs,10\n");
    run_uno = run_of(sol, d1, "2023-10-12", (obs_outreach_rule){5, 0.5});
    run_cero = run_of(sol, d0, "2023-10-12", (obs_outreach_rule){5, 0.75});
    run_vacio = run_of(sol, d1, "2023-01-01", (obs_outreach_rule){5, 0.5});
    g_free(sol);
    g_free(d1);
    g_free(d0);
    return run_uno && run_cero && run_vacio ? 0 : -1;
}

static int setup(void **state)
{
    (void)state;
    obs_error err;
    if (obs_catalog_load(g_getenv("OBSERVA_PLANTILLAS"), &cat, &err) != OBS_OK)
        return -1;
    if (make_runs() != 0)
        return -1;
    char *s = fixture("solicitudes.csv"), *d = fixture("difusion.csv");
    obs_run_config cfg = {
        .solicitudes = (const char *const[]){s, NULL},
        .difusion = (const char *const[]){d, NULL},
        .corte = obs_day_parse_iso("2023-10-12"),
        .corte_anterior = obs_day_parse_iso("2023-10-05"),
        .rule = {5, 0.5},
    };
    obs_status st = obs_run_execute(&cfg, cat, NULL, NULL, &run, &err);
    g_free(s);
    g_free(d);
    return st == OBS_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    obs_run_free(run);
    obs_run_free(run_uno);
    obs_run_free(run_cero);
    obs_run_free(run_vacio);
    scratch_remove(tmpdir);
    obs_catalog_free(cat);
    return 0;
}

/* Parses a template from a string; on error returns NULL and fills err. */
static obs_template *parse(const char *text, obs_template_kind kind, obs_error *err)
{
    static const char *const vars[] = {"oficio.numero", NULL};
    obs_template *t = NULL;
    obs_template_parse("prueba.tpl", text, strlen(text), kind, cat, vars, NULL, &t, err);
    return t;
}

/* Renders a parsed template with a run into a new document (obs_doc_free). */
static obs_doc *render_doc(const obs_template *t, const obs_run *r, int entidad)
{
    GHashTable *vars = g_hash_table_new(g_str_hash, g_str_equal);
    g_hash_table_insert(vars, "oficio.numero", "INE/DEOE/1104/2023");
    obs_template_ctx ctx = {.run = r, .info = &info, .entidad = entidad, .vars = vars};
    obs_doc *doc = obs_template_render(t, &ctx);
    g_hash_table_destroy(vars);
    return doc;
}

/* Renders a template with a run and returns the model dump (g_free). */
static char *render_run(const char *text, obs_template_kind kind, const obs_run *r, int entidad)
{
    obs_error err;
    obs_template *t = parse(text, kind, &err);
    if (!t)
        fail_msg("template rejected: %s:%llu: %s", err.path, (unsigned long long)err.line, err.message);
    obs_doc *doc = render_doc(t, r, entidad);
    char *dump = obs_doc_dump(doc);
    obs_doc_free(doc);
    obs_template_free(t);
    return dump;
}

static char *render(const char *text, obs_template_kind kind, int entidad)
{
    return render_run(text, kind, run, entidad);
}

/* Renders a shipped template (templates/NAME) with a run; the dump with line breaks as spaces. */
static char *render_shipped(const char *name, obs_template_kind kind, const obs_run *r, int entidad)
{
    char *path = g_build_filename(g_getenv("OBSERVA_PLANTILLAS"), name, NULL);
    obs_template *t = NULL;
    obs_error err;
    if (obs_template_load(path, kind, cat, NULL, NULL, &t, &err) != OBS_OK)
        fail_msg("%s:%llu: %s", err.path, (unsigned long long)err.line, err.message);
    obs_doc *doc = render_doc(t, r, entidad);
    char *dump = obs_doc_dump(doc);
    obs_doc_free(doc);
    obs_template_free(t);
    g_free(path);
    return dump;
}

static void expect_in(const char *text, const char *what)
{
    if (!strstr(text, what)) {
        fprintf(stderr, "%s\n", text);
        fail_msg("«%s» not found in the text above", what);
    }
}

static void expect_not_in(const char *text, const char *what);

/* Renders a shipped template and fails unless its dump holds every string of has and none of lacks
 * (NULL-terminated, lacks may be NULL). */
static void expect_shipped(const char *name, obs_template_kind kind, const obs_run *r, int entidad,
                           const char *const *has, const char *const *lacks)
{
    char *d = render_shipped(name, kind, r, entidad);
    for (size_t i = 0; has[i]; i++)
        expect_in(d, has[i]);
    for (size_t i = 0; lacks && lacks[i]; i++)
        expect_not_in(d, lacks[i]);
    g_free(d);
}

#define ALL(...) ((const char *const[]){__VA_ARGS__, NULL})

static void expect_not_in(const char *text, const char *what)
{
    if (strstr(text, what)) {
        fprintf(stderr, "%s\n", text);
        fail_msg("«%s» should not appear in the text above", what);
    }
}

static void expect_error(const char *text, obs_template_kind kind, uint64_t line, const char *says)
{
    obs_error err;
    obs_template *t = parse(text, kind, &err);
    if (t) {
        obs_template_free(t);
        fail_msg("accepted a bad template: %s", text);
    }
    assert_int_equal(err.code, OBS_ERR_CONFIG);
    assert_string_equal(err.path, "prueba.tpl");
    if (err.line != line)
        fail_msg("error at line %llu, expected %llu: %s", (unsigned long long)err.line,
                 (unsigned long long)line, err.message);
    if (!strstr(err.message, says))
        fail_msg("message «%s» lacks «%s»", err.message, says);
}

static void test_template_errors_name_file_and_line(void **state)
{
    (void)state;
    expect_error("@seccion A\nTexto {{solicitudes.totales}}\n", OBS_TPL_INFORME, 2, "solicitudes.totales");
    expect_error("@seccion A\n\nTexto {{corte\n", OBS_TPL_INFORME, 3, "sin cerrar");
    expect_error("@seccion A\nTexto corte}}\n", OBS_TPL_INFORME, 2, "}}");
    expect_error("@seccion A\n@tablas entidades\n", OBS_TPL_INFORME, 2, "@tablas");
    expect_error("@seccion A\n@si anterior\nx\n", OBS_TPL_INFORME, 2, "@fin");
    expect_error("@seccion A\n@fin\n", OBS_TPL_INFORME, 2, "@fin sin @si");
    expect_error("@seccion A\n@si lluvia\nx\n@fin\n", OBS_TPL_INFORME, 2, "lluvia");
    expect_error("@seccion A\n@tabla piramide\n", OBS_TPL_INFORME, 2, "piramide");
    expect_error("@seccion A\n@tabla entidades colores=si\ncolumna \"X\" = solicitudes.total\n", OBS_TPL_INFORME,
                 2, "colores");
    expect_error("@seccion A\n@tabla entidades\ncolumna \"X\" = solicitudes.total + difusion.tota\n",
                 OBS_TPL_INFORME, 3, "difusion.tota");
    expect_error("@seccion A\n{{corte|pct:solicitudes.total}}\n", OBS_TPL_INFORME, 2, "filtro");
    expect_error("@seccion A\n{{solicitudes.total|mayusculas}}\n", OBS_TPL_INFORME, 2, "mayusculas");
    expect_error("@documento\ncolor = rojo\n\n@seccion A\n", OBS_TPL_INFORME, 2, "color");
    expect_error("# sólo comentarios\n", OBS_TPL_INFORME, 0, "contenido");
    expect_error("@seccion A\n@tabla indicadores\ncolumna \"P\" = pct\nfila \"x\" = solicitudes.total\n",
                 OBS_TPL_INFORME, 2, "base");
    /* found by fuzz_template: an empty placeholder crashed */
    expect_error("@seccion A\nTexto {{}} y {{ | fecha_larga}}\n", OBS_TPL_INFORME, 2, "vacío");
    /* found by fuzz_template: an option without a value after the type leaked the type */
    expect_error("@seccion A\n@grafica semanal titulo\n", OBS_TPL_INFORME, 2, "titulo");
}

static void test_opl_templates_cannot_show_other_entidades(void **state)
{
    (void)state;
    expect_error("@seccion A\n@tabla entidades\ncolumna \"X\" = solicitudes.total\n", OBS_TPL_OPL, 2, "otras entidades");
    expect_error("@seccion A\n@grafica opl_entidad\n", OBS_TPL_OPL, 2, "otras entidades");
    expect_error("@seccion A\n{{bajo.lista}}\n", OBS_TPL_OPL, 2, "otras entidades");
    expect_error("@seccion A\n@lista bajo\n", OBS_TPL_OPL, 2, "otras entidades");
    expect_error("@seccion A\n{{opl}}\n", OBS_TPL_INFORME, 2, "resumen por OPL");
}

static void test_placeholders_format_metrics_dates_and_changes(void **state)
{
    (void)state;
    char *d = render("@seccion Cifras\n"
                     "Al {{corte}} ({{corte|fecha_corta}}, {{corte|iso}}) hay {{solicitudes.total}}, "
                     "{{solicitudes.total|cambio}} desde {{corte_anterior}} cuando eran {{solicitudes.total|anterior}}; "
                     "mujeres {{solicitudes.sexo.mujer|pct:solicitudes.total}}; alcance {{difusion.alcance}}; "
                     "sin curso {{solicitudes.total - solicitudes.curso.con}}; {{proceso|mayusculas}}.\n",
                     OBS_TPL_INFORME, 0);
    assert_non_null(strstr(d, "Al 12 de octubre de 2023 (12/10/2023, 2023-10-12) hay 8, +2 desde "
                              "5 de octubre de 2023 cuando eran 6; mujeres 37.5%; alcance 1,210; sin curso 3; "
                              "PROCESO ELECTORAL CONCURRENTE 2023-2024."));
    g_free(d);
}

static void test_conditions_choose_paragraphs(void **state)
{
    (void)state;
    char *d = render("@seccion A\n@si anterior\ncon anterior\n@sino\nsin anterior\n@fin\n"
                     "@si no bajo\nnadie\n@sino\nhay {{bajo.n}}: {{bajo.lista}}\n@fin\n"
                     "@si oficio.numero\nnúmero {{oficio.numero}}\n@fin\n",
                     OBS_TPL_OFICIO, 0);
    assert_non_null(strstr(d, "PARRAFO con anterior"));
    assert_null(strstr(d, "sin anterior"));
    /* Every entidad is below the threshold of 5 in this fixture. */
    assert_non_null(strstr(d, "hay 32: IEE Aguascalientes (Aguascalientes) con 0 acciones, "));
    assert_non_null(strstr(d, " y IEEZ (Zacatecas) con 1 acción"));
    assert_non_null(strstr(d, "número INE/DEOE/1104/2023"));
    g_free(d);
}

static void test_indicadores_table_rows_columns_and_omissions(void **state)
{
    (void)state;
    char *d = render("@seccion A\n"
                     "@tabla indicadores id=medio titulo=\"Por medio\" hoja=\"Medio\" base=solicitudes.total\n"
                     "columna \"Medio\" = etiqueta\n"
                     "columna \"Solicitudes\" = valor\n"
                     "columna \"%\" = pct\n"
                     "columna \"Al {{corte_anterior|fecha_corta}}\" = anterior\n"
                     "columna \"Cambio\" = cambio\n"
                     "fila \"Portal\" = solicitudes.medio.portal\n"
                     "fila? \"Nunca\" = solicitudes.modalidad.vmre - solicitudes.modalidad.vmre\n"
                     "total \"Total\" = solicitudes.total\n",
                     OBS_TPL_INFORME, 0);
    assert_non_null(strstr(d, "| Medio | Solicitudes | % | Al 05/10/2023 | Cambio |"));
    assert_non_null(strstr(d, "| Portal | 5 | 62.5% | 4 | +1 |"));
    assert_null(strstr(d, "Nunca"));
    assert_non_null(strstr(d, "T | Total | 8 | 100.0% | 6 | +2 |"));
    g_free(d);
}

static void test_opl_scope_reads_its_own_entidad_and_national(void **state)
{
    (void)state;
    char *d = render("@seccion {{opl}} ({{entidad}})\n"
                     "{{solicitudes.total}} de {{solicitudes.total|nacional}}; "
                     "{{solicitudes.total|pct_nacional}}\n"
                     "@tabla indicadores titulo=\"Propias\"\n"
                     "columna \"Concepto\" = etiqueta\ncolumna \"Entidad\" = valor\n"
                     "columna \"Nacional\" = nacional\ncolumna \"Parte\" = pct_nacional\n"
                     "fila \"Solicitudes\" = solicitudes.total\n",
                     OBS_TPL_OPL, 15);
    assert_non_null(strstr(d, "SECCION \"IEEM (México)\""));
    assert_non_null(strstr(d, "PARRAFO 2 de 8; 25.0%"));
    assert_non_null(strstr(d, "| Solicitudes | 2 | 8 | 25.0% |"));
    g_free(d);
}

/* The whole informe model for the hand-computed fixture, against a reviewed golden dump. */
static void test_informe_model_matches_golden_dump(void **state)
{
    (void)state;
    char *tpl_path = g_build_filename(g_getenv("OBSERVA_PLANTILLAS"), "informe.tpl", NULL);
    obs_template *t = NULL;
    obs_error err;
    if (obs_template_load(tpl_path, OBS_TPL_INFORME, cat, NULL, NULL, &t, &err) != OBS_OK)
        fail_msg("%s:%llu: %s", err.path, (unsigned long long)err.line, err.message);
    obs_template_ctx ctx = {.run = run, .info = &info};
    obs_doc *doc = obs_template_render(t, &ctx);
    char *dump = obs_doc_dump(doc);
    char *golden_path = fixture("modelo-esperado.txt");
    const char *update = g_getenv("OBS_UPDATE_GOLDEN");
    if (update && *update) {
        g_file_set_contents(golden_path, dump, -1, NULL);
    } else {
        char *golden = NULL;
        if (!g_file_get_contents(golden_path, &golden, NULL, NULL))
            fail_msg("missing %s (run with OBS_UPDATE_GOLDEN=1 and review it)", golden_path);
        if (strcmp(golden, dump) != 0) {
            char **a = g_strsplit(golden, "\n", -1), **b = g_strsplit(dump, "\n", -1);
            for (size_t i = 0; a[i] || b[i]; i++)
                if (!a[i] || !b[i] || strcmp(a[i], b[i]) != 0)
                    fail_msg("model differs at line %zu:\n  expected: %s\n  got:      %s", i + 1,
                             a[i] ? a[i] : "(end)", b[i] ? b[i] : "(end)");
            g_strfreev(a);
            g_strfreev(b);
        }
        g_free(golden);
    }
    g_free(golden_path);
    g_free(dump);
    obs_doc_free(doc);
    obs_template_free(t);
    g_free(tpl_path);
}


/* ---- what the documents say (issue 12) -------------------------------------------------------- */

static void test_count_filters_agree_with_the_number(void **state)
{
    (void)state;
    char *d = render("@seccion A\n"
                     "{{0|cuenta:\"solicitud\":\"solicitudes\"}}; {{1|cuenta:\"solicitud\":\"solicitudes\"}}; "
                     "{{2|cuenta:\"solicitud\":\"solicitudes\"}}; {{1|plural:\"se identifica\":\"se identifican\"}}; "
                     "{{2|plural:'se identifica':'se identifican'}}; {{1000|cuenta:\"acción\":\"acciones\"}}; "
                     "{{solicitudes.improcedentes|cuenta:\"es improcedente\":\"son improcedentes\"}}; "
                     "{{solicitudes.total|anterior|cuenta:\"solicitud\":\"solicitudes\"}}; "
                     "{{bajo.n|plural:\"Se identifica\":\"Se identifican\"}} {{bajo.n|cuenta:\"OPL\":\"OPL\"}}; "
                     "{{umbral_minimo|cuenta:\"acción\":\"acciones\"}}; {{2|cuenta:\"a|b\":\"c:d\"}}\n",
                     OBS_TPL_INFORME, 0);
    expect_in(d, "PARRAFO 0 solicitudes; 1 solicitud; 2 solicitudes; se identifica; se identifican; "
                 "1,000 acciones; 1 es improcedente; 6 solicitudes; Se identifican 32 OPL; 5 acciones; 2 c:d");
    g_free(d);
    /* One flagged OPL: the shipped informe says so in the singular. */
    d = render_shipped("informe.tpl", OBS_TPL_INFORME, run_uno, 0);
    expect_in(d, "Se identifica 1 OPL con un número bajo de acciones de difusión: IEEBC (Baja California) "
                 "con 4 acciones.");
    expect_not_in(d, "Se identifican 1 OPL");
    g_free(d);
    /* A third form says what 0 reads as; without it 0 takes the plural. */
    d = render("@seccion A\n{{0|cuenta:\"organización\":\"organizaciones\":\"ninguna organización\"}}; "
               "{{1|cuenta:'organización':'organizaciones':'ninguna organización'}}; "
               "{{3|cuenta:\"organización\":\"organizaciones\":\"ninguna organización\"}}; "
               "{{0|plural:\"se identifica\":\"se identifican\":\"no se identifica\"}}; "
               "{{1|plural:\"se identifica\":\"se identifican\":\"no se identifica\"}}; "
               "{{solicitudes.organizaciones|cuenta:\"organización\":\"organizaciones\":\"ninguna\"}}\n",
               OBS_TPL_INFORME, 0);
    expect_in(d, "PARRAFO ninguna organización; 1 organización; 3 organizaciones; no se identifica; se identifica; "
                 "ninguna");
    g_free(d);
    expect_error("@seccion A\n{{1|cuenta:\"a\":\"b\":\"c\":\"d\"}}\n", OBS_TPL_INFORME, 2, "con cero");
    expect_error("@seccion A\n{{solicitudes.total|cuenta:\"solicitud\"}}\n", OBS_TPL_INFORME, 2, "singular y en plural");
    expect_error("@seccion A\n{{solicitudes.total|plural}}\n", OBS_TPL_INFORME, 2, "singular y en plural");
    expect_error("@seccion A\n{{corte|cuenta:\"a\":\"b\"}}\n", OBS_TPL_INFORME, 2, "fecha_larga");
}

/* The rule n < umbral, stated for counts: at the threshold is not below it, and a fractional
 * threshold reads as "menos de N acciones" with N an integer. */
static void test_threshold_reads_as_a_rule(void **state)
{
    (void)state;
    /* Aguascalientes: 5 actions, threshold 5: not flagged, "igual o superior", never "por encima". */
    char *d = render_shipped("opl.tpl", OBS_TPL_OPL, run_uno, 1);
    expect_in(d, "El IEE Aguascalientes registra 5 acciones de difusión, cifra igual o superior al umbral: "
                 "un OPL se señala cuando registra menos de 5 acciones de difusión");
    expect_not_in(d, "por encima");
    g_free(d);
    /* Baja California: 4, below. */
    d = render_shipped("opl.tpl", OBS_TPL_OPL, run_uno, 2);
    expect_in(d, "El IEEBC registra 4 acciones de difusión, por debajo del umbral");
    g_free(d);
    /* Jalisco: 10, above: the same wording as at the threshold. */
    d = render_shipped("opl.tpl", OBS_TPL_OPL, run_uno, 14);
    expect_in(d, "registra 10 acciones de difusión, cifra igual o superior al umbral");
    g_free(d);
    /* Threshold 52.5 (0.75 × 70): stated as fewer than 53 actions, never as 52.5 actions. */
    d = render_shipped("informe.tpl", OBS_TPL_INFORME, run_cero, 0);
    expect_in(d, "Ningún OPL registra un número bajo de acciones de difusión: todos registran al menos 53 acciones. "
                 "Un OPL se señala cuando registra menos de 53 acciones de difusión, es decir, menos que el mayor "
                 "entre 5 acciones y el 75% de la mediana nacional de acciones de los OPL, que es de 70.");
    /* The line is drawn at 53 (the dump shows its position), the number its label gives: a bar
     * short of it is flagged; nothing says 52.5, not even the chart's data. */
    expect_in(d, "    umbral 53 (Umbral: se señala con menos de 53)\n");
    expect_not_in(d, "52.5");
    expect_not_in(d, "umbral de");
    g_free(d);
    d = render("@seccion A\n{{umbral_acciones}} {{umbral_acciones|cuenta:\"acción\":\"acciones\"}}\n",
               OBS_TPL_INFORME, 0);
    expect_in(d, "PARRAFO 5 5 acciones");
    g_free(d);
}

/* Shares of a breakdown add up to 100.0% (largest remainder), in tables and in prose. */
static void test_breakdown_shares_add_up_to_100(void **state)
{
    (void)state;
    int64_t tenths[3];
    obs_pct_largest_remainder((const int64_t[]){1, 1, 1}, 3, 3, tenths);
    assert_int_equal(tenths[0] + tenths[1] + tenths[2], 1000);
    assert_int_equal(tenths[0], 334);
    assert_int_equal(tenths[1], 333);
    int64_t seven[7];
    obs_pct_largest_remainder((const int64_t[]){1, 1, 1, 1, 1, 1, 1}, 7, 7, seven);
    int64_t sum = 0;
    for (int i = 0; i < 7; i++)
        sum += seven[i];
    assert_int_equal(sum, 1000);
    /* A zero never gets a tenth; not a breakdown (sum differs): half-up each; zero base: –. */
    obs_pct_largest_remainder((const int64_t[]){0, 2, 1}, 3, 3, tenths);
    assert_int_equal(tenths[0], 0);
    assert_int_equal(tenths[1] + tenths[2], 1000);
    obs_pct_largest_remainder((const int64_t[]){1, 1}, 2, 3, tenths);
    assert_int_equal(tenths[0], 333);
    obs_pct_largest_remainder((const int64_t[]){0}, 1, 0, tenths);
    assert_int_equal(tenths[0], -1);

    /* One request of each sex: 33.4% + 33.3% + 33.3%, in prose and in a table with a total. */
    char *d = render_run("@seccion A\n"
                         "{{solicitudes.sexo.mujer|pct:solicitudes.total}} {{solicitudes.sexo.hombre|pct:solicitudes.total}} "
                         "{{solicitudes.sexo.no_binaria|pct:solicitudes.total}} "
                         "{{solicitudes.sexo.no_especificado|pct:solicitudes.total}}; "
                         "{{solicitudes.discapacidad|pct:solicitudes.total}}\n"
                         "@tabla indicadores titulo=\"Medio\" base=solicitudes.total\n"
                         "columna \"Medio\" = etiqueta\ncolumna \"%\" = pct\n"
                         "fila \"Portal\" = solicitudes.medio.portal\nfila \"Junta\" = solicitudes.medio.junta\n"
                         "fila \"OPL\" = solicitudes.medio.opl\ntotal \"Total\" = solicitudes.total\n\n"
                         "@tabla indicadores titulo=\"Mixta\" base=solicitudes.total\n"
                         "columna \"C\" = etiqueta\ncolumna \"%\" = pct\n"
                         "fila \"Recibidas\" = solicitudes.total\nfila \"Mujeres\" = solicitudes.sexo.mujer\n"
                         "fila \"Hombres\" = solicitudes.sexo.hombre\nfila \"NB\" = solicitudes.sexo.no_binaria\n",
                         OBS_TPL_INFORME, run_uno, 0);
    expect_in(d, "PARRAFO 33.4% 33.3% 33.3% 0.0%; 0.0%");
    expect_in(d, "| Portal | 33.4% |\n     | Junta | 33.3% |\n     | OPL | 33.3% |\n   T | Total | 100.0% |");
    expect_in(d, "| Recibidas | 100.0% |\n     | Mujeres | 33.4% |\n     | Hombres | 33.3% |\n     | NB | 33.3% |");
    g_free(d);
    /* Rows that are no breakdown of the cube but add up to the table's total, which is its base. */
    d = render_run("@seccion A\n@tabla indicadores titulo=\"Cursos\" base=solicitudes.curso.con\n"
                   "columna \"Por\" = etiqueta\ncolumna \"%\" = pct\n"
                   "fila \"INE\" = solicitudes.curso.por.ine\nfila \"OPL\" = solicitudes.curso.por.opl\n"
                   "fila \"Org\" = solicitudes.curso.por.organizacion\n"
                   "fila? \"Sin dato\" = solicitudes.curso.con - solicitudes.curso.por.ine - solicitudes.curso.por.opl - "
                   "solicitudes.curso.por.organizacion\ntotal \"Total\" = solicitudes.curso.con\n",
                   OBS_TPL_INFORME, run_uno, 0);
    expect_in(d, "| INE | 33.4% |\n     | OPL | 33.3% |\n     | Org | 33.3% |\n   T | Total | 100.0% |");
    g_free(d);
    /* The tipos de difusión and the causes (with their "Otras causas") too. */
    d = render_run("@seccion A\n@tabla causas max=1\n\n@tabla tipos_difusion omitir_ceros=si\n", OBS_TPL_INFORME,
                   run_cero, 0);
    expect_in(d, "| Causa A | 1 | 50.0% |\n     | Otras causas | 1 | 50.0% |\n   T | Total de improcedentes | 2 | 100.0% |");
    expect_in(d, "   T | Total | 0 | 2,223 | 2,223 | 100.0% |");
    g_free(d);
}

/* The causes not listed are one "Otras causas" row, so the table accounts for every improcedente. */
static void test_causes_table_has_otras_causas(void **state)
{
    (void)state;
    char *d = render_run("@seccion A\n@tabla causas max=2\n", OBS_TPL_INFORME, run_uno, 0);
    expect_in(d, "| Causa A | 1 | 50.0% |\n     | Causa B | 1 | 50.0% |\n   T | Total de improcedentes | 2 |");
    expect_not_in(d, "Otras causas");
    g_free(d);
    d = render_run("@seccion A\n@tabla causas max=1\n", OBS_TPL_INFORME, run_uno, 0);
    expect_in(d, "| Otras causas | 1 | 50.0% |");
    g_free(d);
}

/* A chart with nothing to draw carries the sentence instead; so do tables without records. */
static void test_empty_data_says_so(void **state)
{
    (void)state;
    char *d = render_shipped("informe.tpl", OBS_TPL_INFORME, run_vacio, 0);
    expect_in(d, "GRAFICA opl_entidad");
    expect_in(d, "    sin datos: Sin registros al corte del 1 de enero de 2023.\n");
    expect_in(d, "nota: Sin registros al corte del 1 de enero de 2023. * OPL con bajo número");
    expect_in(d, "Al 1 de enero de 2023 no se ha registrado ninguna solicitud de acreditación en el Sistema.");
    expect_in(d, "| Portal público | 0 | – |");
    expect_not_in(d, "0 de mujeres");
    /* Three empty charts: OPL by entidad, the weekly series, age and sex. */
    int n = 0;
    for (const char *p = d; (p = strstr(p, "sin datos: ")); p++)
        n++;
    assert_int_equal(n, 3);
    g_free(d);
    /* With data, no chart says so, and a table of a group that is just zero gets no such note. */
    d = render_shipped("informe.tpl", OBS_TPL_INFORME, run_uno, 0);
    expect_not_in(d, "sin datos:");
    expect_not_in(d, "Sin registros");
    g_free(d);
    /* In the model: the flag both renderers read. */
    obs_error err;
    obs_template *t = parse("@seccion A\n@grafica edad_sexo\n", OBS_TPL_INFORME, &err);
    obs_doc *doc = render_doc(t, run_vacio, 0);
    assert_string_equal(doc->sections[0].blocks[0].chart->empty_text, "Sin registros al corte del 1 de enero de 2023.");
    obs_doc_free(doc);
    doc = render_doc(t, run_uno, 0);
    assert_null(doc->sections[0].blocks[0].chart->empty_text);
    obs_doc_free(doc);
    obs_template_free(t);
}

/* Rejected rows are stated on the first pages, with their share of each export. */
static void test_rejected_share_is_stated(void **state)
{
    (void)state;
    char *d = render_shipped("informe.tpl", OBS_TPL_INFORME, run, 0);
    /* basico: 8 of 17 solicitudes rows and 5 of 13 difusion rows rejected, in the executive
     * summary and in the Presentación. */
    const char *share = "8 de 17 filas de solicitudes (47.1%) y 5 de 13 filas de difusión (38.5%)";
    const char *summary = strstr(d, "RESUMEN EJECUTIVO"), *siglas = strstr(d, "SECCION \"Siglas");
    const char *pres = strstr(d, "SECCION \"Presentación\"");
    const char *resumen = strstr(d, "SECCION \"Resumen\"");
    const char *first = strstr(d, share), *again = pres ? strstr(pres, share) : NULL;
    assert_non_null(summary);
    assert_non_null(first);
    assert_non_null(again);
    assert_true(first > summary && first < siglas);
    assert_true(again > pres && again < resumen);
    g_free(d);
    /* 1 of 2,224: not "0.0%"; no rejected row: no such paragraph. */
    d = render_run("@seccion A\n@si rechazos\n{{rechazos}}\n@sino\nninguna\n@fin\n", OBS_TPL_INFORME, run_cero, 0);
    expect_in(d, "PARRAFO 0 de 3 filas de solicitudes (0.0%) y 1 de 2,224 filas de difusión (menos de 0.1%)");
    g_free(d);
    d = render_run("@seccion A\n@si rechazos\n{{rechazos}}\n@sino\nninguna\n@fin\n", OBS_TPL_INFORME, run_uno, 0);
    expect_in(d, "PARRAFO ninguna");
    g_free(d);
}

/* Every request is accounted for: the four states add up to recibidas, in the table and prose. */
static void test_resumen_accounts_for_every_request(void **state)
{
    (void)state;
    char *d = render_shipped("informe.tpl", OBS_TPL_INFORME, run, 0);
    expect_in(d, "     | Aprobadas | 3 | 1 | +2 |\n     | Improcedentes | 1 | 1 | 0 |\n"
                 "     | Declinadas | 1 | 0 | +1 |\n     | Pendientes de resolución | 3 | 4 | -1 |");
    expect_in(d, "Por su estado al corte, 3 están aprobadas (37.5% de las solicitudes recibidas), 1 es improcedente "
                 "(12.5%), 1 fue declinada (12.5%) y 3 están pendientes de resolución (37.5%).");
    /* basico has one request without sexo: the prose names it, so the shares add up. */
    expect_in(d, "2 de personas no binarias (25.0%) y 1 sin sexo especificado (12.5%).");
    g_free(d);
    /* Without such a request, the prose does not name it. */
    d = render_shipped("informe.tpl", OBS_TPL_INFORME, run_uno, 0);
    expect_in(d, "1 de hombres (33.3%) y 1 de personas no binarias (33.3%).");
    expect_not_in(d, "sin sexo especificado");
    g_free(d);
}

/* Organisations: by entidad with a national distinct count that is not a SUM in the XLSX. */
static void test_organisations_table(void **state)
{
    (void)state;
    obs_error err;
    obs_template *t = parse("@seccion A\n@tabla entidades\ncolumna \"Org\" = solicitudes.organizaciones\n"
                            "columna \"Integrantes\" = solicitudes.tipo.organizacion\n",
                            OBS_TPL_INFORME, &err);
    obs_doc *doc = render_doc(t, run_uno, 0);
    const obs_table *tab = doc->sections[0].blocks[0].table;
    assert_int_equal(tab->nrows, 33);
    assert_int_equal(tab->rows[8].cells[1].num, 1); /* Ciudad de México */
    const obs_row *total = &tab->rows[32];
    assert_int_equal(total->cells[1].num, 1);
    assert_true(total->cells[1].flags & OBS_CELL_NOSUM);
    assert_false(total->cells[2].flags & OBS_CELL_NOSUM);
    obs_doc_free(doc);
    obs_template_free(t);
    /* No daily series for a distinct count. */
    expect_error("@seccion A\n@grafica semanal\nserie \"O\" = solicitudes.organizaciones\n", OBS_TPL_INFORME, 3,
                 "no es una métrica que se acumule");
    char *d = render_shipped("informe.tpl", OBS_TPL_INFORME, run_uno, 0);
    expect_in(d, "     | Organizaciones de observación con solicitudes | 1 |");
    /* The verb agrees with one organisation, as the noun does. */
    expect_in(d, "PARRAFO 1 solicitud es de integrantes de organizaciones de observación electoral, en las que se "
                 "identifica por su nombre 1 organización distinta.");
    expect_in(d, "En todo el país se identifica por su nombre 1 organización distinta de observación electoral");
    expect_not_in(d, "se identifican por su nombre 1 ");
    g_free(d);
    /* basico: the request of an organisation carries no name; no "0 organizaciones" is claimed.
     * A summary: one organisation in Ciudad de México, none in México. */
    expect_shipped("informe.tpl", OBS_TPL_INFORME, run, 0,
                   ALL("PARRAFO 1 solicitud es de integrantes de organizaciones de observación electoral, sin el "
                       "nombre de su organización.",
                       "En todo el país no se identifica por su nombre ninguna organización de observación electoral"),
                   ALL("0 organizaciones"));
    expect_shipped("opl.tpl", OBS_TPL_OPL, run_uno, 9,
                   ALL("En la entidad se identifica por su nombre 1 organización distinta"), NULL);
    expect_shipped("opl.tpl", OBS_TPL_OPL, run, 15,
                   ALL("En la entidad no se identifica por su nombre ninguna organización"), ALL("0 organizaciones"));
}

/* The executive summary states a non-zero rejected share (and only then); a summary's columns of
 * the corte anterior name its date, and its total row is no "Total en la entidad" beside a
 * national figure. */
static void test_summary_states_rejections_and_summaries_date_their_columns(void **state)
{
    (void)state;
    expect_shipped("informe.tpl", OBS_TPL_INFORME, run, 0,
                   ALL("    RECHAZOS Al leer las exportaciones se rechazaron 8 de 17 filas de solicitudes (47.1%) y 5 "
                       "de 13 filas de difusión (38.5%): esas filas no se cuentan en ninguna cifra de este informe"),
                   NULL);
    expect_shipped("informe.tpl", OBS_TPL_INFORME, run_uno, 0, ALL("RESUMEN EJECUTIVO"), ALL("RECHAZOS"));
    expect_shipped("opl.tpl", OBS_TPL_OPL, run, 9,
                   ALL("| Instancia | Al corte (12/10/2023) | Corte anterior (05/10/2023) | Cambio desde el "
                       "05/10/2023 | Nacional |",
                       "| Concepto | Entidad | % de la entidad | Cambio desde el 05/10/2023 | Nacional | % del "
                       "nacional |",
                       "| Total | 3 | 2 | +1 | 7 |"),
                   ALL("Total en la entidad"));
}

/* Metric conditions: true when the metric is not zero at the corte, in the template's scope. */
static void test_metric_conditions(void **state)
{
    (void)state;
    const char *tpl = "@seccion A\n@si solicitudes.total\ncon solicitudes\n@sino\nsin solicitudes\n@fin\n"
                      "@si no difusion.total\nsin acciones\n@fin\n";
    char *d = render_run(tpl, OBS_TPL_INFORME, run_uno, 0);
    expect_in(d, "PARRAFO con solicitudes");
    expect_not_in(d, "sin acciones");
    g_free(d);
    d = render_run(tpl, OBS_TPL_INFORME, run_vacio, 0);
    expect_in(d, "PARRAFO sin solicitudes");
    expect_in(d, "PARRAFO sin acciones");
    g_free(d);
    /* In an OPL's summary, its own entidad's value. */
    d = render_run(tpl, OBS_TPL_OPL, run_uno, 15);
    expect_in(d, "PARRAFO sin solicitudes");
    g_free(d);
}

/* Titles say "las y los observadores"; the alcance is never a number of people. */
static void test_titles_and_alcance_wording(void **state)
{
    (void)state;
    char *d = render_shipped("opl.tpl", OBS_TPL_OPL, run_uno, 9);
    expect_in(d, "DOCUMENTO \"Resumen de seguimiento a la acreditación de las y los observadores electorales: IECM\"");
    expect_in(d, "portada: Seguimiento a la acreditación de las y los observadores electorales");
    g_free(d);
    d = render_shipped("informe.tpl", OBS_TPL_INFORME, run, 0);
    expect_not_in(d, "alcance estimado");
    expect_not_in(d, "Alcance estimado");
    expect_in(d, "La suma del alcance declarado en cada acción es de 1,210; no es un número de personas distintas");
    expect_in(d, "| Alcance declarado (suma por acción) |");
    g_free(d);
}

/* ---- The history's blocks ------------------------------------------------------------------------- */

static void test_history_directives_are_checked(void **state)
{
    (void)state;
    expect_error("@seccion A\n@tabla cortes\n", OBS_TPL_INFORME, 2, "al menos una línea «columna»");
    expect_error("@seccion A\n@tabla cortes\ncolumna \"X\" = solicitudes.totales\n", OBS_TPL_INFORME, 3,
                 "solicitudes.totales");
    expect_error("@seccion A\n@tabla exhortos\ncolumna \"X\" = solicitudes.total\n", OBS_TPL_INFORME, 3,
                 "columnas fijas");
    expect_error("@seccion A\n@tabla revisiones max=5000\n", OBS_TPL_INFORME, 2, "entre 1 y 1000");
    expect_error("@seccion A\n@grafica cortes\n", OBS_TPL_INFORME, 2, "serie");
    expect_error("@seccion A\n@grafica cortes\nserie \"B\" = difusion.bajo\n", OBS_TPL_INFORME, 3, "difusion.bajo");
    expect_error("@seccion A\n@si historiales\nx\n@fin\n", OBS_TPL_INFORME, 2, "historial");
}

/* A history by hand on the basico run (corte 2023-10-12): the corte anterior 2023-10-05 published
 * with one more solicitud than the exports give now, and Zacatecas exhorted then with 1 action. */
static obs_history_view *basico_view(void)
{
    obs_history_view *v = g_new0(obs_history_view, 1);
    v->corte = run->corte;
    v->nvintages = 1;
    v->vintages = g_new0(obs_history_vintage, 1);
    obs_history_vintage *x = &v->vintages[0];
    obs_outreach_rule rule = {5, 0.5};
    x->corte = obs_day_parse_iso("2023-10-05");
    x->publicado = obs_cube_snapshot(run->cube, x->corte, &rule);
    x->publicado->values[OBS_M_TOTAL]++;
    x->ahora = obs_cube_snapshot(run->cube, x->corte, &rule);
    x->known = g_new0(bool, x->publicado->nmetrics);
    for (size_t m = 0; m < obs_cube_metric_count(run->cube); m++)
        x->known[m] = true;
    v->nexhortos = 1;
    v->exhortos = g_new0(obs_history_exhorto, 1);
    v->exhortos[0] = (obs_history_exhorto){x->corte, 32, 1, 5, g_strdup("INE/DEOE/0001/2023"),
                                           obs_day_parse_iso("2023-10-07")};
    return v;
}

static char *render_with_history(const char *text, obs_template_kind kind, int entidad, const obs_history_view *v)
{
    obs_error err;
    obs_template *t = parse(text, kind, &err);
    if (!t)
        fail_msg("template rejected: %s", err.message);
    obs_template_ctx ctx = {.run = run, .info = &info, .entidad = entidad, .history = v};
    obs_doc *doc = obs_template_render(t, &ctx);
    char *dump = obs_doc_dump(doc);
    obs_doc_free(doc);
    obs_template_free(t);
    return dump;
}

static const char history_tpl[] = "@seccion Seguimiento\n@si historial\nhay historial\n@fin\n"
                                  "@si exhortos\nhay exhortos\n@fin\n"
                                  "@tabla cortes hoja=\"Cortes\"\ncolumna \"Solicitudes\" = solicitudes.total\n"
                                  "columna \"Señalados\" = senalados\n\n"
                                  "@tabla exhortos\n\n@tabla revisiones\n\n"
                                  "@grafica cortes\nserie \"Solicitudes\" = solicitudes.total\n";

static void test_history_blocks_render_the_view(void **state)
{
    (void)state;
    obs_history_view *v = basico_view();
    char *d = render_with_history(history_tpl, OBS_TPL_INFORME, 0, v);
    expect_in(d, "hay historial");
    expect_in(d, "hay exhortos");
    expect_in(d, "| 05/10/2023 | 7 | 32 |");
    expect_in(d, "| 12/10/2023 | 8 | 32 |");
    expect_in(d, "| 05/10/2023 | IEEZ (Zacatecas) | INE/DEOE/0001/2023 | 07/10/2023 | 1 | 1 | 0 | Sí |");
    expect_in(d, "| 05/10/2023 | Nacional | Solicitudes recibidas | 7 | 6 | -1 |");
    g_free(d);
    /* An OPL's summary: its own figures, and no exhorto of another OPL. */
    d = render_with_history(history_tpl, OBS_TPL_OPL, 9, v);
    expect_in(d, "hay historial");
    expect_not_in(d, "hay exhortos");
    expect_not_in(d, "Zacatecas");
    expect_in(d, "El OPL no fue señalado en ningún corte publicado anterior al 12 de octubre de 2023.");
    g_free(d);
    /* The figures published at the run's corte itself, unchanged: one sentence. */
    obs_snapshot_free(v->vintages[0].publicado);
    v->vintages[0].publicado = obs_cube_snapshot(run->cube, v->vintages[0].corte, &(obs_outreach_rule){5, 0.5});
    d = render_with_history("@seccion A\n@tabla revisiones\n", OBS_TPL_INFORME, 0, v);
    expect_in(d, "Las cifras publicadas con corte al 5 de octubre de 2023 no cambian con las exportaciones de este "
                 "informe.");
    expect_not_in(d, "TABLA");
    g_free(d);
    obs_history_view_free(v);
}

/* Without a history, @si historial is false and the blocks say so in a sentence, never an empty table. */
static void test_history_blocks_without_history(void **state)
{
    (void)state;
    char *d = render_with_history(history_tpl, OBS_TPL_INFORME, 0, NULL);
    expect_not_in(d, "hay historial");
    expect_not_in(d, "TABLA");
    expect_not_in(d, "GRAFICA");
    expect_in(d, "Este documento se elaboró sin consultar el historial de cortes publicados.");
    g_free(d);
    obs_history_view empty = {.corte = run->corte};
    d = render_with_history(history_tpl, OBS_TPL_INFORME, 0, &empty);
    expect_in(d, "El historial no tiene cortes publicados anteriores al 12 de octubre de 2023.");
    expect_in(d, "Ningún OPL fue señalado en los cortes publicados anteriores al 12 de octubre de 2023.");
    expect_in(d, "El historial no tiene cortes publicados hasta el 12 de octubre de 2023.");
    g_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_template_errors_name_file_and_line),
        cmocka_unit_test(test_opl_templates_cannot_show_other_entidades),
        cmocka_unit_test(test_placeholders_format_metrics_dates_and_changes),
        cmocka_unit_test(test_conditions_choose_paragraphs),
        cmocka_unit_test(test_indicadores_table_rows_columns_and_omissions),
        cmocka_unit_test(test_opl_scope_reads_its_own_entidad_and_national),
        cmocka_unit_test(test_informe_model_matches_golden_dump),
        cmocka_unit_test(test_count_filters_agree_with_the_number),
        cmocka_unit_test(test_threshold_reads_as_a_rule),
        cmocka_unit_test(test_breakdown_shares_add_up_to_100),
        cmocka_unit_test(test_causes_table_has_otras_causas),
        cmocka_unit_test(test_empty_data_says_so),
        cmocka_unit_test(test_rejected_share_is_stated),
        cmocka_unit_test(test_resumen_accounts_for_every_request),
        cmocka_unit_test(test_organisations_table),
        cmocka_unit_test(test_metric_conditions),
        cmocka_unit_test(test_summary_states_rejections_and_summaries_date_their_columns),
        cmocka_unit_test(test_titles_and_alcance_wording),
        cmocka_unit_test(test_history_directives_are_checked),
        cmocka_unit_test(test_history_blocks_render_the_view),
        cmocka_unit_test(test_history_blocks_without_history),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
