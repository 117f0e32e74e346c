/* text.c - dates, folding and es-MX number/date formatting, independent of the locale. */
#include "observa/text.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

static const char *const mes_nombre[12] = {
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"};
static const char *const mes_abrev[12] = {
    "ene", "feb", "mar", "abr", "may", "jun",
    "jul", "ago", "sep", "oct", "nov", "dic"};

const char *obs_mes_nombre(int month)
{
    return (month >= 1 && month <= 12) ? mes_nombre[month - 1] : "";
}

const char *obs_mes_abrev(int month)
{
    return (month >= 1 && month <= 12) ? mes_abrev[month - 1] : "";
}

obs_day obs_day_from_ymd(int year, int month, int day)
{
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31)
        return OBS_DAY_NONE;
    if (!g_date_valid_dmy((GDateDay)day, (GDateMonth)month, (GDateYear)year))
        return OBS_DAY_NONE;
    GDate d;
    g_date_clear(&d, 1);
    g_date_set_dmy(&d, (GDateDay)day, (GDateMonth)month, (GDateYear)year);
    return (obs_day)g_date_get_julian(&d);
}

static void day_to_gdate(obs_day d, GDate *out)
{
    g_date_clear(out, 1);
    g_date_set_julian(out, (guint32)d);
}

void obs_day_to_ymd(obs_day d, int *year, int *month, int *day)
{
    int y = 0, m = 0, dd = 0;
    if (d > 0) {
        GDate g;
        day_to_gdate(d, &g);
        y = g_date_get_year(&g);
        m = g_date_get_month(&g);
        dd = g_date_get_day(&g);
    }
    if (year)
        *year = y;
    if (month)
        *month = m;
    if (day)
        *day = dd;
}

int obs_day_weekday(obs_day d)
{
    if (d <= 0)
        return 0;
    GDate g;
    day_to_gdate(d, &g);
    return (int)g_date_get_weekday(&g);
}

int obs_age_years(obs_day birth, obs_day on)
{
    if (birth <= 0 || on <= 0 || birth > on)
        return -1;
    int by, bm, bd, oy, om, od;
    obs_day_to_ymd(birth, &by, &bm, &bd);
    obs_day_to_ymd(on, &oy, &om, &od);
    int age = oy - by;
    if (om < bm || (om == bm && od < bd))
        age--;
    return age;
}

/* Reads 1..max digits at s[*i]; returns the value or -1. */
static int read_digits(const char *s, size_t len, size_t *i, int min, int max)
{
    int v = 0, n = 0;
    while (*i < len && n < max && g_ascii_isdigit(s[*i])) {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        n++;
    }
    if (n < min || (*i < len && g_ascii_isdigit(s[*i])))
        return -1;
    return v;
}

obs_day obs_day_parse(const char *s, size_t len)
{
    size_t i = 0;
    int y, m, d;
    /* Look at the fourth character to tell YYYY-MM-DD from DD/MM/YYYY. */
    if (len >= 8 && g_ascii_isdigit(s[0]) && g_ascii_isdigit(s[1]) &&
        g_ascii_isdigit(s[2]) && g_ascii_isdigit(s[3]) && s[4] == '-') {
        y = read_digits(s, len, &i, 4, 4);
        if (s[i++] != '-')
            return OBS_DAY_NONE;
        m = read_digits(s, len, &i, 1, 2);
        if (m < 0 || i >= len || s[i++] != '-')
            return OBS_DAY_NONE;
        d = read_digits(s, len, &i, 1, 2);
    } else {
        d = read_digits(s, len, &i, 1, 2);
        if (d < 0 || i >= len)
            return OBS_DAY_NONE;
        char sep = s[i++];
        if (sep != '/' && sep != '-')
            return OBS_DAY_NONE;
        m = read_digits(s, len, &i, 1, 2);
        if (m < 0 || i >= len || s[i++] != sep)
            return OBS_DAY_NONE;
        y = read_digits(s, len, &i, 4, 4);
    }
    if (y < 0 || m < 0 || d < 0)
        return OBS_DAY_NONE;
    if (i < len) {
        /* An optional time part: a separator followed by a digit (10:06, T10:06:00). */
        if (s[i] != ' ' && s[i] != 'T' && s[i] != '\t')
            return OBS_DAY_NONE;
        while (i < len && (s[i] == ' ' || s[i] == 'T' || s[i] == '\t'))
            i++;
        if (i >= len || !g_ascii_isdigit(s[i]))
            return OBS_DAY_NONE;
    }
    return obs_day_from_ymd(y, m, d);
}

obs_day obs_day_parse_iso(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return OBS_DAY_NONE;
    return obs_day_parse(s, 10);
}

void obs_day_iso(obs_day d, char *buf, size_t size)
{
    int y, m, dd;
    obs_day_to_ymd(d, &y, &m, &dd);
    snprintf(buf, size, "%04d-%02d-%02d", y, m, dd);
}

/* Mexico City has kept UTC-6 all year since October 2022. */
#define MX_UTC_OFFSET (-6 * 3600)

obs_day obs_day_from_unix(int64_t t)
{
    int64_t local = t + MX_UTC_OFFSET;
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    /* 1970-01-01 is Julian day 719163 in GLib's numbering (0001-01-01 = 1). */
    return (obs_day)(719163 + days);
}

static bool is_fold_separator(gunichar c)
{
    return c == ' ' || c == '-' || c == '.' || c == '_' || g_unichar_isspace(c) ||
           c == 0x2010 || c == 0x2011 || c == 0x2012 || c == 0x2013 || c == 0x2014 ||
           c == 0x00A0;
}

char *obs_fold(const char *s, size_t len)
{
    GString *out = g_string_sized_new(len + 1);
    bool pending_sep = false;
    bool ascii = true;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80) {
            ascii = false;
            break;
        }
    if (ascii) {
        /* The common case: no Unicode work needed. */
        for (size_t i = 0; i < len; i++) {
            char c = s[i];
            if (c == ' ' || c == '-' || c == '.' || c == '_' || g_ascii_isspace(c)) {
                pending_sep = out->len > 0;
                continue;
            }
            if (pending_sep) {
                g_string_append_c(out, '_');
                pending_sep = false;
            }
            g_string_append_c(out, g_ascii_tolower(c));
        }
        return g_string_free(out, FALSE);
    }
    char *folded = g_utf8_casefold(s, (gssize)len);
    char *nfd = g_utf8_normalize(folded, -1, G_NORMALIZE_NFD);
    g_free(folded);
    if (!nfd)
        return g_string_free(out, FALSE);
    for (const char *p = nfd; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_ismark(c) || c == 0x200B || c == 0xFEFF) /* accents; invisible characters */
            continue;
        if (is_fold_separator(c)) {
            pending_sep = out->len > 0;
            continue;
        }
        if (pending_sep) {
            g_string_append_c(out, '_');
            pending_sep = false;
        }
        g_string_append_unichar(out, c);
    }
    g_free(nfd);
    return g_string_free(out, FALSE);
}

/* Length of the space character at s[0..len), 0 if it is not one (see obs_trim_spaces()). */
static size_t space_at(const char *s, size_t len)
{
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80)
        return c == ' ' || (c >= '\t' && c <= '\r') ? 1 : 0;
    gunichar u = g_utf8_get_char_validated(s, (gssize)len);
    if (u == (gunichar)-1 || u == (gunichar)-2)
        return 0;
    if (g_unichar_isspace(u) || u == 0x0085 || u == 0x200B || u == 0xFEFF)
        return (size_t)g_utf8_skip[c];
    return 0;
}

void obs_trim_spaces(const char **s, size_t *len)
{
    const char *p = *s;
    size_t n = *len, k;
    while (n > 0 && (k = space_at(p, n)) > 0) {
        p += k;
        n -= k;
    }
    while (n > 0) {
        /* The start of the last character: back over at most three continuation bytes. */
        size_t i = n - 1;
        while (i > 0 && n - i < 4 && ((unsigned char)p[i] & 0xC0) == 0x80)
            i--;
        k = space_at(p + i, n - i);
        if (k == 0 || i + k != n)
            break;
        n = i;
    }
    *s = p;
    *len = n;
}

/* A thousands separator at s: ',' or a space (U+0020, U+00A0, U+2009, U+202F); its length, and
 * its kind (',' or ' ') in *kind. */
static size_t group_separator(const char *s, size_t len, char *kind)
{
    *kind = s[0] == ',' ? ',' : ' ';
    if (s[0] == ',' || s[0] == ' ')
        return 1;
    if (len >= 2 && memcmp(s, "\xC2\xA0", 2) == 0)
        return 2;
    if (len >= 3 && (memcmp(s, "\xE2\x80\xAF", 3) == 0 || memcmp(s, "\xE2\x80\x89", 3) == 0))
        return 3;
    return 0;
}

obs_num_status obs_parse_count(const char *s, size_t len, int64_t *out)
{
    size_t i = 0, digits = 0, group = 0;
    bool negative = len > 0 && s[0] == '-', grouped = false;
    char sep = 0;
    int64_t v = 0;
    if (negative)
        i = 1;
    while (i < len) {
        if (g_ascii_isdigit(s[i])) {
            if (++digits > 15)
                return OBS_NUM_TOO_BIG;
            v = v * 10 + (s[i] - '0');
            group++;
            i++;
            continue;
        }
        char kind;
        size_t k = group_separator(s + i, len - i, &kind);
        if (k == 0)
            break;
        /* Groups of three after a first group of one to three digits, one kind of separator. */
        if (group == 0 || (grouped ? (kind != sep || group != 3) : group > 3))
            return OBS_NUM_INVALID;
        grouped = true;
        sep = kind;
        group = 0;
        i += k;
    }
    if (digits == 0 || (grouped && group != 3))
        return OBS_NUM_INVALID;
    if (i < len) {
        if (s[i] != '.')
            return OBS_NUM_INVALID;
        size_t int_digits = digits, decimals = 0;
        bool zeros = true;
        for (i++; i < len && g_ascii_isdigit(s[i]); i++, decimals++)
            zeros = zeros && s[i] == '0';
        if (i < len || decimals == 0)
            return OBS_NUM_INVALID;
        /* "1.500" or "21.000": a thousands point (1500) or a decimal one (1.5)? */
        if (!grouped && int_digits <= 3 && decimals == 3)
            return OBS_NUM_AMBIGUOUS;
        if (!zeros)
            return OBS_NUM_INVALID;
    }
    *out = negative ? -v : v;
    return negative && v != 0 ? OBS_NUM_NEGATIVE : OBS_NUM_OK;
}

obs_day obs_day_from_excel_serial(const char *s, size_t len)
{
    size_t i = 0;
    int64_t v = 0;
    for (; i < len && i < 8 && g_ascii_isdigit(s[i]); i++)
        v = v * 10 + (s[i] - '0');
    if (i == 0)
        return OBS_DAY_NONE;
    if (i < len) {
        size_t frac = 0;
        if (s[i++] != '.')
            return OBS_DAY_NONE;
        for (; i < len && g_ascii_isdigit(s[i]); i++)
            frac++;
        if (i < len || frac == 0)
            return OBS_DAY_NONE;
    }
    /* Serial 60 is Excel's 29 February 1900, a day that never was: before it, serials count
     * from 1899-12-31; after it, one less, from 1899-12-30. */
    if (v < 1 || v == 60 || v > 2958465)
        return OBS_DAY_NONE;
    if (v < 60)
        v++;
    return obs_day_from_ymd(1899, 12, 30) + (obs_day)v;
}

/* Writes the digits of v grouped by thousands with ',' into buf. */
static void group_thousands(char *buf, size_t size, uint64_t v, bool negative)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
    char tmp[48];
    size_t o = 0;
    if (negative)
        tmp[o++] = '-';
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            tmp[o++] = ',';
        tmp[o++] = digits[i];
    }
    tmp[o] = '\0';
    snprintf(buf, size, "%s", tmp);
}

char *obs_fmt_int(char *buf, size_t size, int64_t v)
{
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    group_thousands(buf, size, mag, v < 0);
    return buf;
}

char *obs_fmt_count(char *buf, size_t size, int64_t v, const char *singular, const char *plural)
{
    char n[OBS_FMT_MAX];
    g_snprintf(buf, size, "%s %s", obs_fmt_int(n, sizeof n, v), v == 1 || v == -1 ? singular : plural);
    return buf;
}

int64_t obs_pct_tenths(int64_t num, int64_t den)
{
    if (den <= 0)
        return -1;
    /* Half-up rounding of num * 1000 / den in integers, symmetric for negatives. */
    if (num >= 0)
        return (num * 2000 + den) / (2 * den);
    return -((-num * 2000 + den) / (2 * den));
}

void obs_pct_largest_remainder(const int64_t *counts, size_t n, int64_t base, int64_t *tenths)
{
    int64_t sum = 0;
    bool breakdown = base > 0;
    for (size_t i = 0; i < n; i++) {
        breakdown = breakdown && counts[i] >= 0 && !__builtin_add_overflow(sum, counts[i], &sum);
        tenths[i] = obs_pct_tenths(counts[i], base);
    }
    if (!breakdown || sum != base)
        return;
    int64_t *rem = g_new(int64_t, n ? n : 1);
    int64_t missing = 1000;
    for (size_t i = 0; i < n; i++) {
        tenths[i] = counts[i] * 1000 / base;
        rem[i] = counts[i] * 1000 % base;
        missing -= tenths[i];
    }
    /* Fewer tenths are missing than there are non-zero remainders, so a zero never gets one. */
    for (; missing > 0; missing--) {
        size_t best = 0;
        for (size_t i = 1; i < n; i++)
            if (rem[i] > rem[best])
                best = i;
        tenths[best]++;
        rem[best] = -1;
    }
    g_free(rem);
}

char *obs_fmt_pct(char *buf, size_t size, int64_t num, int64_t den)
{
    int64_t t = obs_pct_tenths(num, den);
    if (t < 0 && den <= 0) {
        snprintf(buf, size, "\u2013");
        return buf;
    }
    uint64_t mag = t < 0 ? (uint64_t)(-t) : (uint64_t)t;
    char whole[OBS_FMT_MAX];
    group_thousands(whole, sizeof whole, mag / 10, t < 0);
    snprintf(buf, size, "%s.%u%%", whole, (unsigned)(mag % 10));
    return buf;
}

char *obs_fmt_share(char *buf, size_t size, int64_t part, int64_t whole)
{
    int64_t t = obs_pct_tenths(part, whole);
    if (part > 0 && t == 0)
        snprintf(buf, size, "menos de 0.1%%");
    else if (part < whole && t == 1000)
        snprintf(buf, size, "más de 99.9%%");
    else
        obs_fmt_pct(buf, size, part, whole);
    return buf;
}

char *obs_fmt_delta(char *buf, size_t size, int64_t v)
{
    char tmp[OBS_FMT_MAX];
    obs_fmt_int(tmp, sizeof tmp, v);
    snprintf(buf, size, "%s%s", v > 0 ? "+" : "", tmp);
    return buf;
}

char *obs_fmt_dec(char *buf, size_t size, double v, int decimals)
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    char fmt[8], raw[G_ASCII_DTOSTR_BUF_SIZE];
    snprintf(fmt, sizeof fmt, "%%.%df", decimals);
    g_ascii_formatd(raw, sizeof raw, fmt, v);
    bool negative = raw[0] == '-';
    const char *p = negative ? raw + 1 : raw;
    const char *dot = strchr(p, '.');
    uint64_t whole = g_ascii_strtoull(p, NULL, 10);
    char frac[16] = "";
    if (dot) {
        snprintf(frac, sizeof frac, "%s", dot + 1);
        size_t n = strlen(frac);
        while (n > 0 && frac[n - 1] == '0')
            frac[--n] = '\0';
    }
    bool zero = whole == 0 && frac[0] == '\0';
    char grouped[OBS_FMT_MAX];
    group_thousands(grouped, sizeof grouped, whole, negative && !zero);
    if (frac[0])
        snprintf(buf, size, "%s.%s", grouped, frac);
    else
        snprintf(buf, size, "%s", grouped);
    return buf;
}

char *obs_fmt_fecha_larga(char *buf, size_t size, obs_day d)
{
    int y, m, dd;
    obs_day_to_ymd(d, &y, &m, &dd);
    if (d <= 0) {
        snprintf(buf, size, "\u2013");
        return buf;
    }
    snprintf(buf, size, "%d de %s de %d", dd, obs_mes_nombre(m), y);
    return buf;
}

char *obs_fmt_fecha_corta(char *buf, size_t size, obs_day d)
{
    int y, m, dd;
    obs_day_to_ymd(d, &y, &m, &dd);
    if (d <= 0) {
        snprintf(buf, size, "\u2013");
        return buf;
    }
    snprintf(buf, size, "%02d/%02d/%04d", dd, m, y);
    return buf;
}
