/* test_oficio.c - the letters' numbers, the order of their dates and the rule as words. */
#include <glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "observa/oficio.h"

static GHashTable *section(const char *const *pairs)
{
    GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    for (size_t i = 0; pairs[i]; i += 2)
        g_hash_table_insert(h, g_strdup(pairs[i]), g_strdup(pairs[i + 1]));
    return h;
}

static obs_day day(const char *iso)
{
    return obs_day_parse_iso(iso);
}

/* obs_oficio_check() with corte 2023-10-12 and generation on 2023-10-26. */
static obs_status check(const char *const *pairs, obs_error *err)
{
    GHashTable *h = section(pairs);
    obs_status st = obs_oficio_check(h, day("2023-10-12"), day("2023-10-26"), NULL, err);
    g_hash_table_destroy(h);
    return st;
}

#define DATES "fecha", "2023-10-28", "sesion_fecha", "2023-10-27"

static void test_counter_keeps_zero_padding_and_widens_past_it(void **state)
{
    (void)state;
    GHashTable *h = section((const char *const[]){"numero", "INE/DEOE/{n}/2024", "numero_inicial", "0998", NULL});
    obs_error err;
    char **n = obs_oficio_numbers(h, 3, NULL, &err);
    assert_non_null(n);
    assert_string_equal(n[0], "INE/DEOE/0998/2024");
    assert_string_equal(n[1], "INE/DEOE/0999/2024");
    assert_string_equal(n[2], "INE/DEOE/1000/2024");
    assert_null(n[3]);
    g_strfreev(n);
    g_hash_table_destroy(h);
}

static void test_list_is_taken_in_order_and_may_be_longer(void **state)
{
    (void)state;
    GHashTable *h = section((const char *const[]){"numeros", " A/1 , B/2;C/3 ", NULL});
    obs_error err;
    char **n = obs_oficio_numbers(h, 2, NULL, &err);
    assert_non_null(n);
    assert_string_equal(n[0], "A/1");
    assert_string_equal(n[1], "B/2");
    assert_null(n[2]);
    g_strfreev(n);
    assert_null(obs_oficio_numbers(h, 4, NULL, &err));
    assert_int_equal(err.code, OBS_ERR_CONFIG);
    assert_non_null(strstr(err.message, "numeros tiene 3 números"));
    g_hash_table_destroy(h);
}

static void test_fixed_number_serves_one_letter_only(void **state)
{
    (void)state;
    GHashTable *h = section((const char *const[]){"numero", "INE/DEOE/1104/2023", NULL});
    obs_error err;
    char **n = obs_oficio_numbers(h, 1, NULL, &err);
    assert_string_equal(n[0], "INE/DEOE/1104/2023");
    g_strfreev(n);
    assert_null(obs_oficio_numbers(h, 2, NULL, &err));
    assert_non_null(strstr(err.message, "[oficio] numero"));
    g_hash_table_destroy(h);
}

static void test_numbering_mistakes_are_configuration_errors(void **state)
{
    (void)state;
    const char *const *bad[] = {
        (const char *const[]){"numero", "A/{n}", DATES, NULL},                         /* no numero_inicial */
        (const char *const[]){"numero", "A/1", "numero_inicial", "1", DATES, NULL},    /* inicial without {n} */
        (const char *const[]){"numero", "A/{N}/1", "numero_inicial", "1", DATES, NULL}, /* a counter misspelt */
        (const char *const[]){"numero", "A/{n}", "numero_inicial", "1a", DATES, NULL}, /* not digits */
        (const char *const[]){"numero", "A/1", "numeros", "A/2", DATES, NULL},         /* both */
        (const char *const[]){"numeros", "A/1, a/1", DATES, NULL},                     /* twice, any case */
        (const char *const[]){"numeros", "A/1,,A/2", DATES, NULL},                     /* an empty item */
        (const char *const[]){"numero", "A/1", "oficio_previo", "A/1", DATES, NULL},  /* the previous one's */
        (const char *const[]){DATES, NULL},                                            /* no number at all */
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        obs_error err;
        if (check(bad[i], &err) != OBS_ERR_CONFIG)
            fail_msg("case %zu accepted", i);
        assert_non_null(strstr(err.message, "numero"));
    }
    obs_error err;
    assert_int_equal(check((const char *const[]){"numero", "A/{n}/{n}", "numero_inicial", "007", DATES, NULL}, &err),
                     OBS_OK);
}

static void test_dates_must_go_corte_session_letter(void **state)
{
    (void)state;
    obs_error err;
    /* corte 2023-10-12, generated 2023-10-26 */
    assert_int_equal(check((const char *const[]){"numero", "A/1", DATES, NULL}, &err), OBS_OK);
    assert_int_equal(check((const char *const[]){"numero", "A/1", "fecha", "2023-10-12", "sesion_fecha",
                                                 "2023-10-12", NULL},
                           &err),
                     OBS_OK);
    assert_int_equal(check((const char *const[]){"numero", "A/1", "sesion_fecha", "2023-10-26", NULL}, &err), OBS_OK);
    struct {
        const char *fecha, *sesion, *key;
    } bad[] = {
        {"2023-10-28", "2023-10-11", "sesion_fecha"},
        {"2023-10-11", "2023-10-12", "[oficio] fecha"},
        {"2023-10-26", "2023-10-27", "antes de la sesión"},
        {NULL, "2023-10-27", "fecha de elaboración"}, /* generated the 26th, the day before the session */
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        const char *pairs[] = {"numero", "A/1", "sesion_fecha", bad[i].sesion, bad[i].fecha ? "fecha" : NULL,
                               bad[i].fecha, NULL};
        assert_int_equal(check(pairs, &err), OBS_ERR_CONFIG);
        if (!strstr(err.message, bad[i].key))
            fail_msg("case %zu: «%s» not in «%s»", i, bad[i].key, err.message);
    }
}

static obs_snapshot snapshot(int64_t minimo, double fraccion, double mediana)
{
    obs_snapshot s;
    memset(&s, 0, sizeof s);
    s.rule.umbral_minimo = minimo;
    s.rule.fraccion_mediana = fraccion;
    s.mediana = mediana;
    s.umbral = (double)minimo > fraccion * mediana ? (double)minimo : fraccion * mediana;
    return s;
}

static void test_rule_reads_as_a_rule_with_the_largest_flagged_count(void **state)
{
    (void)state;
    struct {
        obs_snapshot s;
        const char *want;
    } cases[] = {
        {snapshot(5, 0.5, 85.5), "menos acciones de difusión que el mayor entre 5 acciones y 50% de la mediana "
                                 "nacional de acciones de los OPL (85.5 acciones al corte); es decir, 42 acciones o "
                                 "menos"},
        {snapshot(5, 0.5, 10), "(10 acciones al corte); es decir, 4 acciones o menos"},
        {snapshot(2, 0.5, 1), "el mayor entre 2 acciones y 50% de la mediana nacional de acciones de los OPL (1 acción "
                              "al corte); es decir, 1 acción o menos"},
        {snapshot(1, 0.25, 0), "es decir, ninguna acción"},
        {snapshot(0, 0.5, 0), "es decir, ninguna cantidad de acciones"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *r = obs_oficio_regla(&cases[i].s);
        if (!strstr(r, cases[i].want))
            fail_msg("«%s» not in «%s»", cases[i].want, r);
        assert_null(strstr(r, "42.75"));
        g_free(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counter_keeps_zero_padding_and_widens_past_it),
        cmocka_unit_test(test_list_is_taken_in_order_and_may_be_longer),
        cmocka_unit_test(test_fixed_number_serves_one_letter_only),
        cmocka_unit_test(test_numbering_mistakes_are_configuration_errors),
        cmocka_unit_test(test_dates_must_go_corte_session_letter),
        cmocka_unit_test(test_rule_reads_as_a_rule_with_the_largest_flagged_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
