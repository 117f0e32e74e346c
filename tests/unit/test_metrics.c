/* test_metrics.c - the as-of rules of data contract §4, the low-outreach rule (§5), metricas.csv (§6). */
#include <glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "observa/catalog.h"
#include "metrics/metrics_int.h" /* obs_cube_merge() */
#include "observa/metrics.h"

static obs_catalog *cat;
static const obs_outreach_rule rule = {5, 0.5};

static obs_day D(const char *iso)
{
    return obs_day_parse_iso(iso);
}

static obs_solicitud req(int entidad, const char *registro)
{
    obs_solicitud s = {0};
    s.entidad = entidad;
    s.fecha_solicitud = D(registro);
    s.fecha_registro = D(registro);
    s.tipo = OBS_TIPO_INDIVIDUAL;
    s.medio = OBS_MEDIO_PORTAL;
    s.sexo = OBS_SEXO_MUJER;
    s.edad = OBS_ABSENT;
    s.curso_por = OBS_ABSENT;
    s.curso_modalidad = OBS_ABSENT;
    s.resolucion = OBS_ABSENT;
    s.consejo = OBS_ABSENT;
    return s;
}

static obs_accion act(int entidad, int instancia, const char *registro)
{
    obs_accion a = {0};
    a.entidad = entidad;
    a.instancia = instancia;
    a.fecha = D(registro);
    a.fecha_registro = D(registro);
    a.tipo = 0;
    a.alcance = -1;
    return a;
}

static int64_t at(obs_cube *cube, const char *corte, int entidad, size_t metric)
{
    obs_snapshot *s = obs_cube_snapshot(cube, D(corte), &rule);
    int64_t v = obs_snapshot_get(s, entidad, metric);
    obs_snapshot_free(s);
    return v;
}

static void test_request_counts_from_its_registration_day(void **state)
{
    (void)state;
    obs_cube *cube = obs_cube_new(cat, D("2023-10-31"));
    obs_solicitud s = req(9, "2023-10-10");
    s.fecha_solicitud = D("2023-10-01"); /* filed earlier, registered later: the registration counts */
    obs_cube_add_solicitud(cube, &s);
    assert_int_equal(at(cube, "2023-10-09", 9, OBS_M_TOTAL), 0);
    assert_int_equal(at(cube, "2023-10-10", 9, OBS_M_TOTAL), 1);
    assert_int_equal(at(cube, "2023-10-10", 0, OBS_M_TOTAL), 1);
    assert_int_equal(at(cube, "2023-10-10", 15, OBS_M_TOTAL), 0);
    obs_cube_free(cube);
}

static void test_course_counts_from_its_date(void **state)
{
    (void)state;
    obs_cube *cube = obs_cube_new(cat, D("2023-10-31"));
    obs_solicitud s = req(9, "2023-10-10");
    s.fecha_curso = D("2023-10-15");
    s.curso_por = OBS_CURSO_POR_OPL;
    obs_cube_add_solicitud(cube, &s);
    assert_int_equal(at(cube, "2023-10-14", 9, OBS_M_CURSO_CON), 0);
    assert_int_equal(at(cube, "2023-10-14", 9, OBS_M_CURSO_SIN), 1);
    assert_int_equal(at(cube, "2023-10-15", 9, OBS_M_CURSO_CON), 1);
    assert_int_equal(at(cube, "2023-10-15", 9, OBS_M_CURSO_POR + OBS_CURSO_POR_OPL), 1);
    assert_int_equal(at(cube, "2023-10-15", 9, OBS_M_CURSO_SIN), 0);
    obs_cube_free(cube);
}

static void test_course_before_registration_counts_once_registered(void **state)
{
    (void)state;
    obs_cube *cube = obs_cube_new(cat, D("2023-10-31"));
    obs_solicitud s = req(9, "2023-10-10");
    s.fecha_curso = D("2023-10-05");
    obs_cube_add_solicitud(cube, &s);
    assert_int_equal(at(cube, "2023-10-07", 9, OBS_M_CURSO_CON), 0);
    assert_int_equal(at(cube, "2023-10-10", 9, OBS_M_CURSO_CON), 1);
    obs_cube_free(cube);
}

static void test_status_is_pending_until_the_resolution_date(void **state)
{
    (void)state;
    obs_cube *cube = obs_cube_new(cat, D("2023-10-31"));
    const int res[] = {OBS_RES_APROBADA, OBS_RES_IMPROCEDENTE, OBS_RES_DECLINADA};
    for (size_t i = 0; i < 3; i++) {
        obs_solicitud s = req(21, "2023-10-01");
        s.resolucion = res[i];
        s.fecha_resolucion = D("2023-10-20");
        s.consejo = OBS_CONSEJO_DISTRITAL;
        obs_cube_add_solicitud(cube, &s);
    }
    assert_int_equal(at(cube, "2023-10-19", 21, OBS_M_PENDIENTES), 3);
    assert_int_equal(at(cube, "2023-10-19", 21, OBS_M_APROBADAS), 0);
    assert_int_equal(at(cube, "2023-10-20", 21, OBS_M_PENDIENTES), 0);
    assert_int_equal(at(cube, "2023-10-20", 21, OBS_M_APROBADAS), 1);
    assert_int_equal(at(cube, "2023-10-20", 21, OBS_M_IMPROCEDENTES), 1);
    assert_int_equal(at(cube, "2023-10-20", 21, OBS_M_DECLINADAS), 1);
    /* The consejo is counted for approvals only. */
    assert_int_equal(at(cube, "2023-10-20", 21, OBS_M_APROB_CONSEJO + OBS_CONSEJO_DISTRITAL), 1);
    obs_cube_free(cube);
}

static void test_events_after_the_limit_are_not_stored(void **state)
{
    (void)state;
    obs_cube *cube = obs_cube_new(cat, D("2023-10-12"));
    obs_solicitud s = req(9, "2023-10-13");
    obs_cube_add_solicitud(cube, &s);
    obs_solicitud t = req(9, "2023-10-01");
    t.fecha_curso = D("2023-10-13");
    obs_cube_add_solicitud(cube, &t);
    assert_int_equal(at(cube, "2023-10-12", 9, OBS_M_TOTAL), 1);
    assert_int_equal(at(cube, "2023-10-12", 9, OBS_M_CURSO_CON), 0);
    obs_cube_free(cube);
}

static void test_action_counts_from_its_registration_day(void **state)
{
    (void)state;
    obs_cube *cube = obs_cube_new(cat, D("2023-10-31"));
    obs_accion a = act(4, OBS_INSTANCIA_JDE, "2023-10-08");
    a.fecha = D("2023-10-02");
    a.alcance = 250;
    obs_cube_add_accion(cube, &a);
    assert_int_equal(at(cube, "2023-10-07", 4, OBS_M_DIF_TOTAL), 0);
    assert_int_equal(at(cube, "2023-10-08", 4, OBS_M_DIF_TOTAL), 1);
    assert_int_equal(at(cube, "2023-10-08", 4, OBS_M_DIF_INE), 1);
    assert_int_equal(at(cube, "2023-10-08", 4, OBS_M_DIF_ALCANCE), 250);
    assert_int_equal(at(cube, "2023-10-08", 4, OBS_M_DIF_TIPO + 0), 1);
    obs_cube_free(cube);
}

/* Gives entidad e exactly n OPL actions. */
static void opl_actions(obs_cube *cube, int e, int n)
{
    for (int i = 0; i < n; i++) {
        obs_accion a = act(e, OBS_INSTANCIA_OPL, "2023-10-01");
        obs_cube_add_accion(cube, &a);
    }
}

static void test_low_outreach_uses_half_the_median(void **state)
{
    (void)state;
    obs_cube *cube = obs_cube_new(cat, D("2023-10-12"));
    /* 32 entidades with 1..32 actions: sorted 16th and 17th are 16 and 17, median 16.5,
       threshold max(5, 8.25) = 8.25: entidades with 1..8 actions are flagged. */
    for (int e = 1; e <= 32; e++)
        opl_actions(cube, e, e);
    obs_snapshot *s = obs_cube_snapshot(cube, D("2023-10-12"), &rule);
    assert_true(s->mediana == 16.5);
    assert_true(s->umbral == 8.25);
    for (int e = 1; e <= 32; e++)
        assert_int_equal(obs_snapshot_bajo(s, e), e <= 8);
    assert_int_equal(s->nbajo, 8);
    assert_int_equal(obs_snapshot_get(s, 0, OBS_M_DIF_BAJO), 8);
    obs_snapshot_free(s);
    obs_cube_free(cube);
}

static void test_low_outreach_minimum_dominates_small_medians(void **state)
{
    (void)state;
    obs_cube *cube = obs_cube_new(cat, D("2023-10-12"));
    for (int e = 1; e <= 32; e++)
        opl_actions(cube, e, e % 8); /* values 0..7, median 3.5 */
    obs_snapshot *s = obs_cube_snapshot(cube, D("2023-10-12"), &rule);
    assert_true(s->mediana == 3.5);
    assert_true(s->umbral == 5.0);
    for (int e = 1; e <= 32; e++)
        assert_int_equal(obs_snapshot_bajo(s, e), e % 8 < 5);
    obs_snapshot_free(s);
    /* A configurable rule: minimum 0, fraction 1 → threshold = median. */
    obs_outreach_rule r2 = {0, 1.0};
    s = obs_cube_snapshot(cube, D("2023-10-12"), &r2);
    assert_true(s->umbral == 3.5);
    for (int e = 1; e <= 32; e++)
        assert_int_equal(obs_snapshot_bajo(s, e), e % 8 <= 3);
    obs_snapshot_free(s);
    obs_cube_free(cube);
}

static void test_low_outreach_is_strictly_below_threshold(void **state)
{
    (void)state;
    obs_cube *cube = obs_cube_new(cat, D("2023-10-12"));
    for (int e = 1; e <= 32; e++)
        opl_actions(cube, e, 20); /* median 20, threshold 10 */
    opl_actions(cube, 7, 0);
    obs_snapshot *s = obs_cube_snapshot(cube, D("2023-10-12"), &rule);
    assert_int_equal(s->nbajo, 0);
    obs_snapshot_free(s);
    obs_cube_free(cube);
}

/* Before any OPL action is registered in the country the rule compares nothing: no OPL is flagged,
 * in nbajo and in difusion.bajo, however many actions the juntas registered. From the first OPL
 * action on, the rule applies (here every OPL is below the minimum of 5). */
static void test_low_outreach_flags_nobody_before_any_opl_action(void **state)
{
    (void)state;
    obs_cube *cube = obs_cube_new(cat, D("2023-10-12"));
    for (int e = 1; e <= 32; e++) {
        obs_accion a = act(e, OBS_INSTANCIA_JLE, "2023-10-01");
        obs_cube_add_accion(cube, &a);
    }
    obs_accion late = act(9, OBS_INSTANCIA_OPL, "2023-10-10");
    obs_cube_add_accion(cube, &late);
    obs_snapshot *s = obs_cube_snapshot(cube, D("2023-10-09"), &rule);
    assert_true(s->sin_acciones);
    assert_int_equal(s->nbajo, 0);
    for (int e = 0; e <= 32; e++)
        assert_int_equal(obs_snapshot_get(s, e, OBS_M_DIF_BAJO), 0);
    obs_snapshot_free(s);
    s = obs_cube_snapshot(cube, D("2023-10-10"), &rule);
    assert_false(s->sin_acciones);
    assert_int_equal(s->nbajo, 32);
    assert_int_equal(obs_snapshot_get(s, 0, OBS_M_DIF_BAJO), 32);
    obs_snapshot_free(s);
    obs_cube_free(cube);
}

static void test_national_is_the_sum_and_breakdowns_add_up(void **state)
{
    (void)state;
    obs_cube *cube = obs_cube_new(cat, D("2023-10-31"));
    for (int i = 0; i < 50; i++) {
        obs_solicitud s = req(1 + i % 32, i % 2 ? "2023-10-01" : "2023-10-20");
        s.sexo = i % OBS_SEXO_COUNT;
        s.medio = i % OBS_MEDIO_COUNT;
        s.edad = i % 3 ? 18 + i : OBS_ABSENT;
        s.resolucion = i % 5 == 0 ? OBS_RES_APROBADA : OBS_ABSENT;
        s.fecha_resolucion = D("2023-10-25");
        obs_cube_add_solicitud(cube, &s);
    }
    obs_snapshot *s = obs_cube_snapshot(cube, D("2023-10-31"), &rule);
    for (size_t m = 0; m < obs_cube_metric_count(cube); m++) {
        int64_t sum = 0;
        for (int e = 1; e <= 32; e++)
            sum += obs_snapshot_get(s, e, m);
        assert_int_equal(obs_snapshot_get(s, 0, m), sum);
    }
    for (int e = 0; e <= 32; e++) {
        int64_t total = obs_snapshot_get(s, e, OBS_M_TOTAL), sexo = 0, edad = 0;
        for (int k = 0; k < OBS_SEXO_COUNT; k++)
            sexo += obs_snapshot_get(s, e, OBS_M_SEXO + (size_t)k);
        for (int k = 0; k < OBS_EDAD_BANDS; k++)
            edad += obs_snapshot_get(s, e, OBS_M_EDAD + (size_t)k);
        assert_int_equal(sexo, total);
        assert_int_equal(edad, total);
    }
    assert_int_equal(obs_snapshot_get(s, 0, OBS_M_TOTAL), 50);
    assert_int_equal(obs_snapshot_get(s, 0, OBS_M_APROBADAS), 10);
    obs_snapshot_free(s);
    obs_cube_free(cube);
}

static void test_cumulative_series_by_week(void **state)
{
    (void)state;
    obs_cube *cube = obs_cube_new(cat, D("2023-10-31"));
    const char *days[] = {"2023-10-01", "2023-10-03", "2023-10-09", "2023-10-20"};
    for (size_t i = 0; i < G_N_ELEMENTS(days); i++) {
        obs_solicitud s = req(9, days[i]);
        obs_cube_add_solicitud(cube, &s);
    }
    obs_day cuts[] = {D("2023-10-02"), D("2023-10-09"), D("2023-10-16"), D("2023-10-23")};
    int64_t out[4];
    obs_cube_cumulative(cube, OBS_M_TOTAL, 0, cuts, 4, out);
    assert_int_equal(out[0], 1);
    assert_int_equal(out[1], 3);
    assert_int_equal(out[2], 3);
    assert_int_equal(out[3], 4);
    obs_cube_cumulative(cube, OBS_M_TOTAL, 15, cuts, 4, out);
    assert_int_equal(out[3], 0);
    obs_cube_free(cube);
}

static void test_metricas_csv_is_complete_and_sorted(void **state)
{
    (void)state;
    obs_cube *cube = obs_cube_new(cat, D("2023-10-12"));
    obs_solicitud s = req(9, "2023-10-01");
    obs_cube_add_solicitud(cube, &s);
    obs_snapshot *a = obs_cube_snapshot(cube, D("2023-10-12"), &rule);
    obs_snapshot *b = obs_cube_snapshot(cube, D("2023-10-05"), &rule);
    const obs_snapshot *snaps[] = {a, b}; /* given out of order on purpose */
    GString *csv = g_string_new(NULL);
    obs_metricas_csv(cube, snaps, 2, csv);
    char **lines = g_strsplit(csv->str, "\n", -1);
    guint n = g_strv_length(lines) - 1; /* trailing empty string */
    assert_string_equal(lines[0], "corte,entidad,metrica,valor");
    assert_int_equal(n - 1, 2 * 33 * obs_cube_metric_count(cube));
    for (guint i = 2; i < n; i++) {
        char *pa = g_strndup(lines[i - 1], (gsize)(strrchr(lines[i - 1], ',') - lines[i - 1]));
        char *pb = g_strndup(lines[i], (gsize)(strrchr(lines[i], ',') - lines[i]));
        assert_true(strcmp(pa, pb) < 0);
        g_free(pa);
        g_free(pb);
    }
    assert_true(g_str_has_prefix(lines[1], "2023-10-05,00,difusion.alcance,"));
    assert_non_null(strstr(csv->str, "\n2023-10-12,09,solicitudes.total,1\n"));
    assert_non_null(strstr(csv->str, "\n2023-10-12,00,solicitudes.total,1\n"));
    assert_non_null(strstr(csv->str, "\n2023-10-12,00,difusion.tipo.otr,0\n"));
    g_strfreev(lines);
    g_string_free(csv, TRUE);
    obs_snapshot_free(a);
    obs_snapshot_free(b);
    obs_cube_free(cube);
}

typedef struct row_log {
    GString *text;
    int rows;
} row_log;

static void log_row(const char *corte, int entidad, const char *metrica, int64_t valor, void *user)
{
    row_log *l = user;
    g_string_append_printf(l->text, "%s,%02d,%s,%" G_GINT64_FORMAT "\n", corte, entidad, metrica, valor);
    l->rows++;
}

static void test_metricas_rows_of_one_entidad(void **state)
{
    (void)state;
    obs_cube *cube = obs_cube_new(cat, D("2023-10-12"));
    obs_solicitud s9 = req(9, "2023-10-01"), s15 = req(15, "2023-10-02");
    obs_cube_add_solicitud(cube, &s9);
    obs_cube_add_solicitud(cube, &s15);
    obs_snapshot *a = obs_cube_snapshot(cube, D("2023-10-12"), &rule);
    obs_snapshot *b = obs_cube_snapshot(cube, D("2023-10-05"), &rule);
    const obs_snapshot *snaps[] = {a, b};
    GString *all = g_string_new(NULL);
    obs_metricas_csv(cube, snaps, 2, all);
    row_log one = {g_string_new(NULL), 0};
    obs_metricas_foreach(cube, snaps, 2, 15, log_row, &one);
    /* Exactly the national and entidad 15 rows of metricas.csv, in the same order. */
    assert_int_equal(one.rows, 2 * 2 * (int)obs_cube_metric_count(cube));
    GString *expected = g_string_new(NULL);
    char **lines = g_strsplit(all->str, "\n", -1);
    for (char **l = lines + 1; *l && **l; l++)
        if (strncmp(*l + 11, "00,", 3) == 0 || strncmp(*l + 11, "15,", 3) == 0)
            g_string_append_printf(expected, "%s\n", *l);
    assert_string_equal(one.text->str, expected->str);
    assert_non_null(strstr(one.text->str, "2023-10-12,15,solicitudes.total,1\n"));
    assert_non_null(strstr(one.text->str, "2023-10-12,00,solicitudes.total,2\n"));
    assert_null(strstr(one.text->str, ",09,"));
    g_strfreev(lines);
    g_string_free(expected, TRUE);
    g_string_free(one.text, TRUE);
    g_string_free(all, TRUE);
    obs_snapshot_free(a);
    obs_snapshot_free(b);
    obs_cube_free(cube);
}

static void test_causes_group_their_spellings(void **state)
{
    (void)state;
    obs_cube *cube = obs_cube_new(cat, D("2023-10-12"));
    const char *written[] = {"No acreditó el curso", "no acredito el curso", "No acreditó el curso",
                             "Documentación incompleta", NULL, "NO ACREDITÓ EL CURSO"};
    for (size_t i = 0; i < G_N_ELEMENTS(written); i++) {
        obs_solicitud s = req(9, "2023-10-01");
        s.resolucion = OBS_RES_IMPROCEDENTE;
        s.fecha_resolucion = D("2023-10-03");
        s.causa = written[i];
        obs_cube_add_solicitud(cube, &s);
    }
    obs_causa top[10];
    size_t n = obs_cube_top_causas(cube, top, 10);
    assert_int_equal(n, 3);
    /* Counted under the first spelling seen, whichever spelling came later. */
    assert_string_equal(top[0].causa, "No acreditó el curso");
    assert_int_equal(top[0].count, 4);
    assert_int_equal(top[1].count, 1);
    assert_int_equal(top[2].count, 1);
    obs_cube_free(cube);
}

/* An event older than the days kept one by one is counted on the first kept day, and the cube
 * says so, also after a merge (a file read in two parts). */
static void test_old_events_are_counted_on_the_clamped_day(void **state)
{
    (void)state;
    obs_cube *a = obs_cube_new(cat, D("2024-05-08"));
    obs_cube *b = obs_cube_new(cat, D("2024-05-08"));
    obs_accion recent = act(15, OBS_INSTANCIA_OPL, "2024-04-17");
    obs_accion old = act(15, OBS_INSTANCIA_OPL, "2012-01-01");
    obs_cube_add_accion(a, &recent);
    assert_int_equal(obs_cube_clamped_day(a), OBS_DAY_NONE);
    assert_int_equal(obs_cube_first_day(a), D("2024-04-17"));
    obs_cube_add_accion(b, &old);
    obs_day floor = obs_cube_clamped_day(b);
    assert_int_not_equal(floor, OBS_DAY_NONE);
    assert_true(floor > D("2014-01-01") && floor < D("2014-12-31"));
    assert_int_equal(obs_cube_first_day(b), floor);
    obs_cube_merge(a, b);
    assert_int_equal(obs_cube_clamped_day(a), floor);
    assert_int_equal(obs_cube_first_day(a), floor);
    assert_int_equal(at(a, "2024-05-08", 15, OBS_M_DIF_TOTAL), 2);
    obs_cube_free(a);
    obs_cube_free(b);
}

static void test_age_bands(void **state)
{
    (void)state;
    assert_int_equal(obs_edad_band(18), 0);
    assert_int_equal(obs_edad_band(20), 0);
    assert_int_equal(obs_edad_band(21), 1);
    assert_int_equal(obs_edad_band(25), 1);
    assert_int_equal(obs_edad_band(26), 2);
    assert_int_equal(obs_edad_band(70), 10);
    assert_int_equal(obs_edad_band(71), 11);
    assert_int_equal(obs_edad_band(120), 11);
    assert_int_equal(obs_edad_band(OBS_ABSENT), 12);
    assert_string_equal(obs_edad_band_name(11), "71_mas");
}

static int setup(void **state)
{
    (void)state;
    obs_error err;
    return obs_catalog_load(g_getenv("OBSERVA_PLANTILLAS"), &cat, &err) == OBS_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    obs_catalog_free(cat);
    return 0;
}


static obs_solicitud org_req(int entidad, const char *registro, const char *organizacion)
{
    obs_solicitud s = req(entidad, registro);
    s.tipo = OBS_TIPO_ORGANIZACION;
    s.organizacion = organizacion;
    return s;
}

/* solicitudes.organizaciones: distinct organisations by folded name, as of the corte; at 00 the
 * national distinct count, not the sum of the entidades'. */
static void test_organisations_are_a_distinct_count_as_of_the_corte(void **state)
{
    (void)state;
    obs_cube *cube = obs_cube_new(cat, D("2023-10-31"));
    obs_solicitud rows[] = {
        org_req(9, "2023-10-01", "Red Cívica"),
        org_req(9, "2023-10-02", "RED CIVICA"),       /* the same one, written otherwise */
        org_req(15, "2023-10-03", "red  cívica "),    /* the same one, in another entidad */
        org_req(15, "2023-10-03", "Observatorio A"),
        org_req(21, "2023-10-20", "Observatorio B"),  /* first seen after the first corte */
        org_req(9, "2023-10-01", NULL),               /* no name: no organisation to count */
        org_req(9, "2023-10-01", ""),
        req(9, "2023-10-01"),                         /* individual: its field is not read */
    };
    rows[7].organizacion = "Grupo Individual";
    for (size_t i = 0; i < G_N_ELEMENTS(rows); i++)
        obs_cube_add_solicitud(cube, &rows[i]);
    assert_int_equal(at(cube, "2023-10-12", 9, OBS_M_ORGANIZACIONES), 1);
    assert_int_equal(at(cube, "2023-10-12", 15, OBS_M_ORGANIZACIONES), 2);
    assert_int_equal(at(cube, "2023-10-12", 21, OBS_M_ORGANIZACIONES), 0);
    /* Red Cívica counts once nationally although it is in two entidades: 2, not 3. */
    assert_int_equal(at(cube, "2023-10-12", 0, OBS_M_ORGANIZACIONES), 2);
    /* As of an earlier corte: only what was registered by then. */
    assert_int_equal(at(cube, "2023-10-01", 0, OBS_M_ORGANIZACIONES), 1);
    assert_int_equal(at(cube, "2023-10-02", 15, OBS_M_ORGANIZACIONES), 0);
    assert_int_equal(at(cube, "2023-09-30", 0, OBS_M_ORGANIZACIONES), 0);
    assert_int_equal(at(cube, "2023-10-31", 21, OBS_M_ORGANIZACIONES), 1);
    assert_int_equal(at(cube, "2023-10-31", 0, OBS_M_ORGANIZACIONES), 3);
    /* Its members are solicitudes.tipo.organizacion, the named and the unnamed. */
    assert_int_equal(at(cube, "2023-10-31", 0, OBS_M_TIPO + OBS_TIPO_ORGANIZACION), 7);
    assert_true(obs_metric_is_distinct(OBS_M_ORGANIZACIONES));
    assert_false(obs_metric_is_distinct(OBS_M_TOTAL));
    assert_int_equal(obs_cube_metric_find(cube, "solicitudes.organizaciones"), OBS_M_ORGANIZACIONES);
    obs_cube_free(cube);
}

/* A request registered after the cube's limit never counts, and the earliest registration of
 * an organisation decides, whatever the order of the rows. */
static void test_organisations_first_registration_decides(void **state)
{
    (void)state;
    obs_cube *cube = obs_cube_new(cat, D("2023-10-12"));
    obs_solicitud late = org_req(9, "2023-10-20", "Tardía");
    obs_solicitud second = org_req(9, "2023-10-10", "Alianza");
    obs_solicitud first = org_req(9, "2023-10-05", "alianza");
    obs_cube_add_solicitud(cube, &late);
    obs_cube_add_solicitud(cube, &second);
    obs_cube_add_solicitud(cube, &first);
    assert_int_equal(at(cube, "2023-10-12", 0, OBS_M_ORGANIZACIONES), 1);
    assert_int_equal(at(cube, "2023-10-05", 9, OBS_M_ORGANIZACIONES), 1);
    assert_int_equal(at(cube, "2023-10-04", 9, OBS_M_ORGANIZACIONES), 0);
    obs_cube_free(cube);
}

/* A file read in two parts: the merged cube counts each organisation once, from its first day. */
static void test_organisations_merge(void **state)
{
    (void)state;
    obs_cube *a = obs_cube_new(cat, D("2023-10-31")), *b = obs_cube_new(cat, D("2023-10-31"));
    obs_solicitud r1 = org_req(9, "2023-10-10", "Red Cívica"), r2 = org_req(9, "2023-10-03", "red civica");
    obs_solicitud r3 = org_req(15, "2023-10-04", "Otra");
    obs_cube_add_solicitud(a, &r1);
    obs_cube_add_solicitud(b, &r2);
    obs_cube_add_solicitud(b, &r3);
    obs_cube_merge(a, b);
    assert_int_equal(at(a, "2023-10-31", 0, OBS_M_ORGANIZACIONES), 2);
    assert_int_equal(at(a, "2023-10-03", 9, OBS_M_ORGANIZACIONES), 1);
    assert_int_equal(at(a, "2023-10-31", 15, OBS_M_ORGANIZACIONES), 1);
    obs_cube_free(a);
    obs_cube_free(b);
}

/* The breakdowns whose shares are rounded together. */
static void test_breakdowns_partition_their_parent(void **state)
{
    (void)state;
    obs_cube *cube = obs_cube_new(cat, D("2023-10-31"));
    size_t members[32], parent = 0;
    assert_int_equal(obs_cube_breakdown(cube, OBS_M_SEXO + OBS_SEXO_HOMBRE, &parent, members, 32), OBS_SEXO_COUNT);
    assert_int_equal(parent, OBS_M_TOTAL);
    assert_int_equal(members[0], OBS_M_SEXO);
    assert_int_equal(obs_cube_breakdown(cube, OBS_M_PENDIENTES, &parent, members, 32), 4);
    assert_int_equal(members[0], OBS_M_APROBADAS);
    assert_int_equal(members[3], OBS_M_PENDIENTES);
    assert_int_equal(obs_cube_breakdown(cube, OBS_M_DIF_TIPO, &parent, members, 32), obs_catalog_tipo_count(cat));
    assert_int_equal(parent, OBS_M_DIF_TOTAL);
    assert_int_equal(obs_cube_breakdown(cube, OBS_M_TOTAL, NULL, members, 32), 0);
    assert_int_equal(obs_cube_breakdown(cube, OBS_M_ORGANIZACIONES, NULL, members, 32), 0);
    assert_int_equal(obs_cube_breakdown(cube, OBS_M_DISCAPACIDAD, NULL, NULL, 0), 0);
    obs_cube_free(cube);
}

/* Only causes kept one by one are listed; the rest are improcedentes minus those listed. */
static void test_top_causes_list_only_real_causes(void **state)
{
    (void)state;
    obs_cube *cube = obs_cube_new(cat, D("2023-10-12"));
    for (int i = 0; i < 1005; i++) {
        char causa[32];
        g_snprintf(causa, sizeof causa, "Causa %04d", i);
        obs_solicitud s = req(9, "2023-10-01");
        s.resolucion = OBS_RES_IMPROCEDENTE;
        s.fecha_resolucion = D("2023-10-03");
        s.causa = causa;
        obs_cube_add_solicitud(cube, &s);
    }
    obs_causa top[1100];
    size_t n = obs_cube_top_causas(cube, top, G_N_ELEMENTS(top));
    assert_int_equal(n, 1000);
    for (size_t i = 0; i < n; i++)
        assert_string_not_equal(top[i].causa, "Otras causas");
    obs_cube_free(cube);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_counts_from_its_registration_day),
        cmocka_unit_test(test_course_counts_from_its_date),
        cmocka_unit_test(test_course_before_registration_counts_once_registered),
        cmocka_unit_test(test_status_is_pending_until_the_resolution_date),
        cmocka_unit_test(test_events_after_the_limit_are_not_stored),
        cmocka_unit_test(test_action_counts_from_its_registration_day),
        cmocka_unit_test(test_low_outreach_uses_half_the_median),
        cmocka_unit_test(test_low_outreach_minimum_dominates_small_medians),
        cmocka_unit_test(test_low_outreach_is_strictly_below_threshold),
        cmocka_unit_test(test_low_outreach_flags_nobody_before_any_opl_action),
        cmocka_unit_test(test_national_is_the_sum_and_breakdowns_add_up),
        cmocka_unit_test(test_cumulative_series_by_week),
        cmocka_unit_test(test_old_events_are_counted_on_the_clamped_day),
        cmocka_unit_test(test_metricas_csv_is_complete_and_sorted),
        cmocka_unit_test(test_metricas_rows_of_one_entidad),
        cmocka_unit_test(test_causes_group_their_spellings),
        cmocka_unit_test(test_age_bands),
        cmocka_unit_test(test_organisations_are_a_distinct_count_as_of_the_corte),
        cmocka_unit_test(test_organisations_first_registration_decides),
        cmocka_unit_test(test_organisations_merge),
        cmocka_unit_test(test_breakdowns_partition_their_parent),
        cmocka_unit_test(test_top_causes_list_only_real_causes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
