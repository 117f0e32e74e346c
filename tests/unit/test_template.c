/* test_template.c - the template language: parsing errors with file:line, rendering, golden model dump. */
#include <glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "observa/catalog.h"
#include "observa/run.h"
#include "observa/template.h"

static obs_catalog *cat;
static obs_run *run;
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

static int setup(void **state)
{
    (void)state;
    obs_error err;
    if (obs_catalog_load(g_getenv("OBSERVA_PLANTILLAS"), &cat, &err) != OBS_OK)
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
    obs_catalog_free(cat);
    return 0;
}

/* Parses a template from a string; on error returns NULL and fills err. */
static obs_template *parse(const char *text, obs_template_kind kind, obs_error *err)
{
    static const char *const vars[] = {"oficio.numero", NULL};
    obs_template *t = NULL;
    obs_template_parse("prueba.tpl", text, strlen(text), kind, cat, vars, &t, err);
    return t;
}

/* Renders a template and returns the model dump (g_free). */
static char *render(const char *text, obs_template_kind kind, int entidad)
{
    obs_error err;
    obs_template *t = parse(text, kind, &err);
    if (!t)
        fail_msg("template rejected: %s:%llu: %s", err.path, (unsigned long long)err.line, err.message);
    GHashTable *vars = g_hash_table_new(g_str_hash, g_str_equal);
    g_hash_table_insert(vars, "oficio.numero", "INE/DEOE/1104/2023");
    obs_template_ctx ctx = {.run = run, .info = &info, .entidad = entidad, .vars = vars};
    obs_doc *doc = obs_template_render(t, &ctx);
    char *dump = obs_doc_dump(doc);
    obs_doc_free(doc);
    obs_template_free(t);
    g_hash_table_destroy(vars);
    return dump;
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
    if (obs_template_load(tpl_path, OBS_TPL_INFORME, cat, NULL, &t, &err) != OBS_OK)
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
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
