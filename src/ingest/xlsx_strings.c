/* xlsx_strings.c - a workbook's shared strings and styles (which ones show dates), and a cell's value as text. */
#include "ingest/xlsx_reader_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "observa/text.h"

/* A decimal index ("17"), or -1 when the text is not one. */
static int64_t parse_index(const char *s, size_t len)
{
    int64_t v = 0;
    if (len == 0 || len > 10)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (!g_ascii_isdigit(s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* ---- styles: which cell styles show dates ----------------------------------------------------------- */

typedef struct styles_state {
    sax_state sax;
    workbook *w;
    GHashTable *custom_dates; /* numFmtId of the workbook's own formats that show a date */
    bool in_cell_xfs;
} styles_state;

/* Excel's built-in number formats that show a date (ECMA-376 §18.8.30; times of day are not). */
static bool builtin_date_format(int64_t id)
{
    return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
}

/* Whether a format code shows a date: a d or y outside quoted text, [brackets] and escapes. */
static bool format_shows_date(const char *code, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = code[i];
        if (c == '"') {
            while (++i < len && code[i] != '"')
                ;
        } else if (c == '[') {
            while (++i < len && code[i] != ']')
                ;
        } else if (c == '\\' || c == '_' || c == '*') {
            i++;
        } else if (c == 'd' || c == 'D' || c == 'y' || c == 'Y') {
            return true;
        }
    }
    return false;
}

static void styles_start(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nns,
                         const xmlChar **ns, int nattrs, int ndef, const xmlChar **attrs)
{
    (void)prefix, (void)uri, (void)nns, (void)ns, (void)ndef;
    styles_state *s = ud;
    if (!xlsxr_enter(&s->sax))
        return;
    const char *name = (const char *)local;
    size_t len = 0, clen = 0;
    if (strcmp(name, "numFmt") == 0) {
        const char *id = xlsxr_attr(attrs, nattrs, "numFmtId", NULL, &len);
        const char *code = xlsxr_attr(attrs, nattrs, "formatCode", NULL, &clen);
        int64_t n = id ? parse_index(id, len) : -1;
        if (n >= 0 && code && format_shows_date(code, clen))
            g_hash_table_add(s->custom_dates, GINT_TO_POINTER((int)n));
    } else if (strcmp(name, "cellXfs") == 0) {
        s->in_cell_xfs = true;
    } else if (strcmp(name, "xf") == 0 && s->in_cell_xfs) {
        const char *id = xlsxr_attr(attrs, nattrs, "numFmtId", NULL, &len);
        int64_t fmt = id ? parse_index(id, len) : 0;
        guint8 is_date = builtin_date_format(fmt) || (fmt >= 0 && g_hash_table_contains(s->custom_dates,
                                                                                          GINT_TO_POINTER((int)fmt)));
        g_array_append_val(s->w->date_style, is_date);
    }
}

static void styles_end(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    styles_state *s = ud;
    if (strcmp((const char *)local, "cellXfs") == 0)
        s->in_cell_xfs = false;
    xlsxr_sax_end(ud, local, prefix, uri);
}

bool xlsxr_is_date_style(const workbook *w, const char *style, size_t len)
{
    int64_t i = style ? parse_index(style, len) : -1;
    return i >= 0 && (guint64)i < w->date_style->len && g_array_index(w->date_style, guint8, (guint)i);
}

/* ---- shared strings ----------------------------------------------------------------------------------- */

typedef struct shared_state {
    sax_state sax;
    workbook *w;
    bool in_si;
    bool in_t;               /* inside <t> of the string (not of a phonetic guide) */
    int in_rph;              /* inside <rPh>: a phonetic guide, not part of the text */
} shared_state;

static void shared_start(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nns,
                         const xmlChar **ns, int nattrs, int ndef, const xmlChar **attrs)
{
    (void)prefix, (void)uri, (void)nns, (void)ns, (void)nattrs, (void)ndef, (void)attrs;
    shared_state *s = ud;
    if (!xlsxr_enter(&s->sax))
        return;
    const char *name = (const char *)local;
    if (strcmp(name, "si") == 0) {
        if (s->w->shared_off->len >= XLSX_MAX_SHARED_STRINGS) {
            char n[OBS_FMT_MAX];
            xlsxr_fail(s->w, "el libro tiene más de %s textos distintos (cadenas compartidas): no parece una "
                             "exportación real, no se lee; " XLSX_RESAVE,
                       obs_fmt_int(n, sizeof n, XLSX_MAX_SHARED_STRINGS));
            s->sax.stopped = true;
            xmlStopParser(s->sax.parser);
            return;
        }
        if (s->in_si)
            g_string_append_c(s->w->shared, '\0'); /* a nested <si>: ends the one before */
        uint64_t off = s->w->shared->len;
        g_array_append_val(s->w->shared_off, off);
        s->in_si = true;
    } else if (strcmp(name, "rPh") == 0) {
        s->in_rph++;
    } else if (strcmp(name, "t") == 0 && s->in_si && !s->in_rph) {
        s->in_t = true;
    }
}

static void shared_end(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    shared_state *s = ud;
    const char *name = (const char *)local;
    if (strcmp(name, "si") == 0 && s->in_si) {
        g_string_append_c(s->w->shared, '\0');
        s->in_si = false;
    } else if (strcmp(name, "rPh") == 0 && s->in_rph > 0) {
        s->in_rph--;
    } else if (strcmp(name, "t") == 0) {
        s->in_t = false;
    }
    xlsxr_sax_end(ud, local, prefix, uri);
}

static void shared_chars(void *ud, const xmlChar *ch, int len)
{
    shared_state *s = ud;
    if (s->in_t)
        g_string_append_len(s->w->shared, (const char *)ch, len);
}

bool xlsxr_read_strings_and_styles(workbook *w)
{
    xmlSAXHandler sax;
    if (xlsxr_has_part(w, w->styles_part)) {
        styles_state st = {.w = w, .custom_dates = g_hash_table_new(g_direct_hash, g_direct_equal)};
        xlsxr_sax_init(&sax, styles_start, styles_end, NULL);
        bool ok = xlsxr_parse_part(w, w->styles_part, XLSX_MAX_META_BYTES, &sax, &st.sax);
        g_hash_table_destroy(st.custom_dates);
        if (!ok)
            return false;
    }
    if (xlsxr_has_part(w, w->shared_part)) {
        shared_state sh = {.w = w};
        xlsxr_sax_init(&sax, shared_start, shared_end, shared_chars);
        if (!xlsxr_parse_part(w, w->shared_part, XLSX_MAX_SHARED_BYTES, &sax, &sh.sax))
            return false;
        if (sh.in_si)
            g_string_append_c(w->shared, '\0');
    }
    return true;
}

const char *xlsxr_shared_string(const workbook *w, const char *index, size_t *len)
{
    int64_t i = parse_index(index, strlen(index));
    if (i < 0 || (guint64)i >= w->shared_off->len)
        return NULL;
    uint64_t off = g_array_index(w->shared_off, uint64_t, (guint)i);
    uint64_t end = (guint)i + 1 < w->shared_off->len ? g_array_index(w->shared_off, uint64_t, (guint)i + 1)
                                                      : w->shared->len;
    *len = (size_t)(end - off - 1);
    return w->shared->str + off;
}

/* ---- a cell's value as text --------------------------------------------------------------------------- */

size_t xlsxr_date_text(const workbook *w, const char *v, size_t len, char *out)
{
    obs_day d = OBS_DAY_NONE;
    if (!w->date1904) {
        d = obs_day_from_excel_serial(v, len);
    } else {
        /* The 1904 system: serial 0 is 1904-01-01 (the time of day after the point is ignored). */
        size_t i = 0;
        int64_t days = 0;
        for (; i < len && i < 8 && g_ascii_isdigit(v[i]); i++)
            days = days * 10 + (v[i] - '0');
        obs_day last = obs_day_from_ymd(9999, 12, 31), first = obs_day_from_ymd(1904, 1, 1);
        if (i > 0 && (i == len || v[i] == '.') && days <= (int64_t)(last - first))
            d = first + (obs_day)days;
    }
    if (d == OBS_DAY_NONE)
        return 0;
    /* A date cell in every row: digits by hand, not printf. */
    int y, m, dd;
    obs_day_to_ymd(d, &y, &m, &dd);
    const int digits[8] = {y / 1000, y / 100 % 10, y / 10 % 10, y % 10, m / 10, m % 10, dd / 10, dd % 10};
    static const int at[8] = {0, 1, 2, 3, 5, 6, 8, 9};
    out[4] = out[7] = '-';
    for (int i = 0; i < 8; i++)
        out[at[i]] = (char)('0' + digits[i]);
    return 10;
}

/* Drops the trailing zeros of a decimal fraction, and its point when nothing is left after it. */
static void drop_trailing_zeros(char *buf)
{
    if (!strchr(buf, '.'))
        return;
    size_t n = strlen(buf);
    while (n > 0 && buf[n - 1] == '0')
        buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '.')
        buf[--n] = '\0';
}

size_t xlsxr_number_text(const char *v, size_t len, char *out)
{
    /* Most numbers are plain integers, already written as they must be shown. */
    size_t digits = 0;
    while (digits < len && g_ascii_isdigit(v[digits]))
        digits++;
    char num[64];
    if ((digits == len && digits > 0 && digits < 16 && (v[0] != '0' || digits == 1)) || len >= sizeof num) {
        len = MIN(len, XLSX_VALUE_TEXT_MAX - 1);
        memcpy(out, v, len);
        return len;
    }
    memcpy(num, v, len);
    num[len] = '\0';
    char *end;
    double x = g_ascii_strtod(num, &end);
    if (end == num || *end || !isfinite(x)) {
        memcpy(out, v, len);
        return len;
    }
    char buf[XLSX_VALUE_TEXT_MAX];
    if (x == floor(x) && fabs(x) < 1e17) {
        g_snprintf(buf, sizeof buf, "%.0f", x == 0 ? 0.0 : x);
    } else {
        g_ascii_formatd(buf, sizeof buf, "%.15g", x);
        if (strchr(buf, 'e') || strchr(buf, 'E')) {
            /* A very large or very small non-integer: all its digits, without the trailing zeros. */
            g_ascii_formatd(buf, sizeof buf, fabs(x) >= 1 ? "%.0f" : "%.17f", x);
            drop_trailing_zeros(buf);
        }
    }
    size_t n = strlen(buf);
    memcpy(out, buf, n);
    return n;
}

/* ---- error values ------------------------------------------------------------------------------------ */

/* The error values of ECMA-376 §18.17.3 and the newer ones Excel writes, with how Excel in Spanish
 * shows them; the index + 1 is what a field's flags carry. */
static const obs_xlsx_error error_values[] = {
    {"#NULL!", "#¡NULO!", "la intersección de dos rangos que no se cruzan"},
    {"#DIV/0!", "#¡DIV/0!", "una división entre cero"},
    {"#VALUE!", "#¡VALOR!", "una operación con un valor del tipo equivocado"},
    {"#REF!", "#¡REF!", "una referencia a celdas que ya no existen"},
    {"#NAME?", "#¿NOMBRE?", "un nombre de función o de rango que no existe"},
    {"#NUM!", "#¡NUM!", "un número no válido"},
    {"#N/A", "#N/D", "un valor no disponible (como una búsqueda sin resultado)"},
    {"#GETTING_DATA", "#OBTENIENDO_DATOS", "datos que aún se estaban obteniendo al guardar"},
    {"#SPILL!", "#¡DESBORDAMIENTO!", "un resultado de matriz que no cabe en sus celdas"},
    {"#CALC!", "#¡CALC!", "un cálculo que Excel no pudo hacer"},
};

uint32_t obs_xlsx_error_bits(const char *text, size_t len)
{
    for (size_t i = 0; i < G_N_ELEMENTS(error_values); i++)
        if (strlen(error_values[i].code) == len && g_ascii_strncasecmp(error_values[i].code, text, len) == 0)
            return (uint32_t)(i + 1) << OBS_XLSX_ERROR_SHIFT;
    return 0;
}

obs_xlsx_error obs_xlsx_error_of(uint32_t flags)
{
    size_t i = (flags & OBS_XLSX_ERROR_MASK) >> OBS_XLSX_ERROR_SHIFT;
    if (!(flags & OBS_XLSX_F_ERROR) || i == 0 || i > G_N_ELEMENTS(error_values))
        return (obs_xlsx_error){NULL, NULL, NULL};
    return error_values[i - 1];
}
