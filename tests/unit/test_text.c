/* test_text.c - dates, folding and es-MX formatting. */
#include <glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "observa/text.h"

static obs_day parse(const char *s)
{
    return obs_day_parse(s, strlen(s));
}

static void test_dates_accept_every_contract_form(void **state)
{
    (void)state;
    obs_day d = obs_day_from_ymd(2023, 10, 12);
    assert_int_not_equal(d, OBS_DAY_NONE);
    assert_int_equal(parse("2023-10-12"), d);
    assert_int_equal(parse("12/10/2023"), d);
    assert_int_equal(parse("12-10-2023"), d);
    assert_int_equal(parse("2023-10-12 10:06:00"), d);
    assert_int_equal(parse("12/10/2023 10:06"), d);
    assert_int_equal(parse("2023-10-12T10:06:00"), d);
    obs_day d2 = obs_day_from_ymd(2024, 2, 5);
    assert_int_equal(parse("5/2/2024"), d2);
    assert_int_equal(parse("05/02/2024"), d2);
}

static void test_dates_reject_impossible_or_malformed(void **state)
{
    (void)state;
    const char *bad[] = {"31/02/2024", "2024-13-01", "2023-02-29", "mañana", "", "2023/10/12",
                         "12/10/23", "2023-10-12x", "2023-10-12 foo", "1/1/20245", "32/01/2024"};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
        if (parse(bad[i]) != OBS_DAY_NONE)
            fail_msg("«%s» was accepted as a date", bad[i]);
    assert_int_not_equal(parse("29/02/2024"), OBS_DAY_NONE); /* leap year */
}

static void test_day_roundtrip_and_weekday(void **state)
{
    (void)state;
    obs_day d = obs_day_parse_iso("2024-05-08");
    char iso[16];
    obs_day_iso(d, iso, sizeof iso);
    assert_string_equal(iso, "2024-05-08");
    assert_int_equal(obs_day_weekday(d), 3); /* a Wednesday */
    assert_int_equal(obs_day_parse_iso("2024-5-8"), OBS_DAY_NONE);
    assert_int_equal(obs_age_years(obs_day_parse_iso("1990-05-20"), obs_day_parse_iso("2023-10-06")), 33);
    assert_int_equal(obs_age_years(obs_day_parse_iso("1990-10-07"), obs_day_parse_iso("2023-10-06")), 32);
}

static void test_fold_headers_and_values(void **state)
{
    (void)state;
    const struct {
        const char *in, *out;
    } cases[] = {
        {"Fecha de Registro ", "fecha_de_registro"},
        {"Portal Público", "portal_publico"},
        {"  ENTIDAD-FEDERATIVA ", "entidad_federativa"},
        {"Q. Roo", "q_roo"},
        {"Organización", "organizacion"},
        {"AÑO", "ano"},
        {"fecha__de...registro", "fecha_de_registro"},
        {"", ""},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *f = obs_fold(cases[i].in, strlen(cases[i].in));
        assert_string_equal(f, cases[i].out);
        g_free(f);
    }
}

static void test_numbers_use_comma_thousands(void **state)
{
    (void)state;
    char b[OBS_FMT_MAX];
    assert_string_equal(obs_fmt_int(b, sizeof b, 34462), "34,462");
    assert_string_equal(obs_fmt_int(b, sizeof b, 0), "0");
    assert_string_equal(obs_fmt_int(b, sizeof b, 999), "999");
    assert_string_equal(obs_fmt_int(b, sizeof b, 1000000), "1,000,000");
    assert_string_equal(obs_fmt_int(b, sizeof b, -1234), "-1,234");
    assert_string_equal(obs_fmt_int(b, sizeof b, INT64_MIN), "-9,223,372,036,854,775,808");
    assert_string_equal(obs_fmt_delta(b, sizeof b, 123), "+123");
    assert_string_equal(obs_fmt_delta(b, sizeof b, -4500), "-4,500");
    assert_string_equal(obs_fmt_delta(b, sizeof b, 0), "0");
    assert_string_equal(obs_fmt_dec(b, sizeof b, 12.5, 2), "12.5");
    assert_string_equal(obs_fmt_dec(b, sizeof b, 6.0, 2), "6");
    assert_string_equal(obs_fmt_dec(b, sizeof b, 1234.25, 2), "1,234.25");
    assert_string_equal(obs_fmt_dec(b, sizeof b, 0.0, 2), "0");
}

static void test_percentages_round_half_up_from_counts(void **state)
{
    (void)state;
    char b[OBS_FMT_MAX];
    /* INE's published channel split at 19 January 2024. */
    assert_string_equal(obs_fmt_pct(b, sizeof b, 2038, 2366), "86.1%");
    assert_string_equal(obs_fmt_pct(b, sizeof b, 229, 2366), "9.7%");
    assert_string_equal(obs_fmt_pct(b, sizeof b, 99, 2366), "4.2%");
    assert_string_equal(obs_fmt_pct(b, sizeof b, 1, 16), "6.3%");   /* 6.25 → half up */
    assert_string_equal(obs_fmt_pct(b, sizeof b, 1, 8), "12.5%");
    assert_string_equal(obs_fmt_pct(b, sizeof b, 1, 2000), "0.1%"); /* 0.05 → half up */
    assert_string_equal(obs_fmt_pct(b, sizeof b, 1, 2001), "0.0%");
    assert_string_equal(obs_fmt_pct(b, sizeof b, 5, 5), "100.0%");
    assert_string_equal(obs_fmt_pct(b, sizeof b, 3, 0), "\u2013");
    /* A share of rows never reads as none, or all, when it is not. */
    assert_string_equal(obs_fmt_share(b, sizeof b, 1, 3000), "menos de 0.1%");
    assert_string_equal(obs_fmt_share(b, sizeof b, 0, 3000), "0.0%");
    assert_string_equal(obs_fmt_share(b, sizeof b, 2999, 3000), "más de 99.9%");
    assert_string_equal(obs_fmt_share(b, sizeof b, 3000, 3000), "100.0%");
    assert_string_equal(obs_fmt_share(b, sizeof b, 1, 2000), "0.1%");
    assert_string_equal(obs_fmt_share(b, sizeof b, 29, 2366), "1.2%");
    assert_int_equal(obs_pct_tenths(1, 3), 333);
    assert_int_equal(obs_pct_tenths(2, 3), 667);
}

static void test_long_dates_in_spanish(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(obs_fmt_fecha_larga(b, sizeof b, obs_day_parse_iso("2023-10-12")),
                        "12 de octubre de 2023");
    assert_string_equal(obs_fmt_fecha_larga(b, sizeof b, obs_day_parse_iso("2024-01-01")),
                        "1 de enero de 2024");
    assert_string_equal(obs_fmt_fecha_larga(b, sizeof b, obs_day_parse_iso("2024-09-30")),
                        "30 de septiembre de 2024");
    assert_string_equal(obs_fmt_fecha_corta(b, sizeof b, obs_day_parse_iso("2024-05-08")), "08/05/2024");
}

/* Days split back into their parts; month names in Spanish, full and abbreviated. */
static void test_day_parts_and_month_names(void **state)
{
    (void)state;
    int y, m, d;
    obs_day_to_ymd(obs_day_parse_iso("2024-02-29"), &y, &m, &d);
    assert_int_equal(y, 2024);
    assert_int_equal(m, 2);
    assert_int_equal(d, 29);
    obs_day_to_ymd(obs_day_from_ymd(1999, 12, 31) + 1, &y, NULL, NULL);
    assert_int_equal(y, 2000);
    assert_string_equal(obs_mes_nombre(1), "enero");
    assert_string_equal(obs_mes_nombre(12), "diciembre");
    assert_string_equal(obs_mes_abrev(9), "sep");
}

/* data contract §1: Unicode spaces trimmed from both ends, never from inside. */
static void test_trim_spaces_of_every_kind(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"  21 ", "21"},
        {"\t\u00a0Jalisco\u202f", "Jalisco"},
        {"\u3000\u2007a b\u200b\ufeff", "a b"},
        {"\r\n", ""},
        {"sin espacios", "sin espacios"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const char *s = cases[i].in;
        size_t len = strlen(s);
        obs_trim_spaces(&s, &len);
        if (len != strlen(cases[i].out) || memcmp(s, cases[i].out, len) != 0)
            fail_msg("«%s» trimmed to «%.*s»", cases[i].in, (int)len, s);
    }
}

/* data contract §1, Integers: grouped thousands and integral decimals accepted; ambiguity refused. */
static void test_parse_count_as_exports_write_it(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        obs_num_status st;
        int64_t v;
    } cases[] = {
        {"21000", OBS_NUM_OK, 21000},
        {"21,000", OBS_NUM_OK, 21000},
        {"1,000,000", OBS_NUM_OK, 1000000},
        {"21 000", OBS_NUM_OK, 21000},
        {"21\u00a0000", OBS_NUM_OK, 21000},
        {"1500.0", OBS_NUM_OK, 1500},
        {"21,000.00", OBS_NUM_OK, 21000},
        {"-3", OBS_NUM_NEGATIVE, -3},
        {"1.500", OBS_NUM_AMBIGUOUS, 0},
        {"1,50", OBS_NUM_INVALID, 0},
        {"12.5", OBS_NUM_INVALID, 0},
        {"doce", OBS_NUM_INVALID, 0},
        {"", OBS_NUM_INVALID, 0},
        {"1234567890123456", OBS_NUM_TOO_BIG, 0},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        int64_t v = 0;
        obs_num_status st = obs_parse_count(cases[i].in, strlen(cases[i].in), &v);
        if (st != cases[i].st || ((st == OBS_NUM_OK || st == OBS_NUM_NEGATIVE) && v != cases[i].v))
            fail_msg("«%s»: status %d, value %" G_GINT64_FORMAT, cases[i].in, (int)st, v);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates_accept_every_contract_form),
        cmocka_unit_test(test_dates_reject_impossible_or_malformed),
        cmocka_unit_test(test_day_roundtrip_and_weekday),
        cmocka_unit_test(test_fold_headers_and_values),
        cmocka_unit_test(test_numbers_use_comma_thousands),
        cmocka_unit_test(test_percentages_round_half_up_from_counts),
        cmocka_unit_test(test_long_dates_in_spanish),
        cmocka_unit_test(test_day_parts_and_month_names),
        cmocka_unit_test(test_trim_spaces_of_every_kind),
        cmocka_unit_test(test_parse_count_as_exports_write_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
