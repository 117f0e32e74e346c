/* render_pdf_text.c - Windows-1252 text for the PDF: encoding model text, measuring it, wrapping and cutting lines. */
#include <glib.h>
#include <hpdf.h>
#include <string.h>

#include "render/render_pdf_int.h"

/* ---- Text encoding ------------------------------------------------------- */

/* Characters outside Windows-1252 that have a readable ASCII/CP1252 stand-in;
 * anything else unmappable becomes "?" through g_convert_with_fallback(). */
static const struct {
    gunichar ch;
    const char *utf8;
} SUBSTITUTES[] = {
    {0x2265, ">="}, {0x2264, "<="}, {0x2260, "<>"}, {0x2248, "~"},
    {0x2212, "-"},  {0x2010, "-"},  {0x2011, "-"},  {0x2012, "-"},
    {0x2043, "-"},  {0x2015, "\xe2\x80\x94"}, {0x2192, "->"}, {0x2190, "<-"},
    {0x2032, "'"},  {0x2033, "\""}, {0x2027, "\xc2\xb7"}, {0x2219, "\xc2\xb7"},
    {0x22c5, "\xc2\xb7"}, {0x2215, "/"}, {0x2044, "/"},
    {0x2002, " "}, {0x2003, " "}, {0x2004, " "}, {0x2005, " "}, {0x2006, " "},
    {0x2007, " "}, {0x2008, " "}, {0x2009, " "}, {0x200a, " "}, {0x202f, " "},
    {0x205f, " "}, {0x3000, " "},
    {0x00ad, ""}, {0x200b, ""}, {0x200c, ""}, {0x200d, ""}, {0x2060, ""}, {0xfeff, ""},
};

static const char *substitute(gunichar ch)
{
    for (size_t i = 0; i < G_N_ELEMENTS(SUBSTITUTES); i++)
        if (SUBSTITUTES[i].ch == ch)
            return SUBSTITUTES[i].utf8;
    return NULL;
}

/* Last resort when iconv is unavailable: keep ASCII, replace the rest. */
static char *ascii_fallback(const char *utf8)
{
    GString *s = g_string_new(NULL);
    for (const char *p = utf8; *p; p = g_utf8_next_char(p)) {
        gunichar ch = g_utf8_get_char(p);
        g_string_append_c(s, ch < 0x80 ? (char)ch : '?');
    }
    return g_string_free(s, FALSE);
}

/*
 * UTF-8 model text → NUL-terminated Windows-1252 (g_free()). Composed to NFC
 * first so that decomposed accents from some exports still map to one byte;
 * tabs become spaces, other control characters except '\n' are dropped.
 */
char *pdf_to_cp1252(const char *utf8)
{
    if (!utf8)
        return g_strdup("");
    /* Most texts (numbers, codes, many labels) are printable ASCII, the same bytes in
     * Windows-1252: no normalisation or conversion needed. */
    const unsigned char *a = (const unsigned char *)utf8;
    while ((*a >= 0x20 && *a < 0x7f) || *a == '\n')
        a++;
    if (!*a)
        return g_strdup(utf8);
    char *valid = g_utf8_make_valid(utf8, -1);
    char *nfc = g_utf8_normalize(valid, -1, G_NORMALIZE_NFC);
    g_free(valid);
    if (!nfc)
        return g_strdup("");
    GString *s = g_string_sized_new(strlen(nfc));
    for (const char *p = nfc; *p; p = g_utf8_next_char(p)) {
        gunichar ch = g_utf8_get_char(p);
        const char *sub = substitute(ch);
        if (sub)
            g_string_append(s, sub);
        else if (ch == '\t')
            g_string_append_c(s, ' ');
        else if (ch < 0x20 && ch != '\n')
            continue;
        else
            g_string_append_len(s, p, g_utf8_next_char(p) - p);
    }
    g_free(nfc);
    char *out = g_convert_with_fallback(s->str, (gssize)s->len, "WINDOWS-1252", "UTF-8",
                                        "?", NULL, NULL, NULL);
    if (!out)
        out = ascii_fallback(s->str);
    g_string_free(s, TRUE);
    return out;
}

/* ---- Measuring and wrapping ---------------------------------------------- */

static float width_of(HPDF_Font f, float size, const char *s, size_t len)
{
    if (len == 0)
        return 0.0f;
    HPDF_TextWidth tw = HPDF_Font_TextWidth(f, (const HPDF_BYTE *)s, (HPDF_UINT)len);
    return (float)tw.width * size / 1000.0f;
}

float pdf_str_width(HPDF_Font f, float size, const char *s)
{
    return width_of(f, size, s, strlen(s));
}

/* Distance from the top of a line box to the baseline, centring cap height plus descender. */
float pdf_baseline_drop(float size, float leading)
{
    return (leading - 0.941f * size) / 2.0f + 0.729f * size;
}

static void line_clear(gpointer p)
{
    g_free(((line *)p)->text);
}

GArray *pdf_lines_new(void)
{
    GArray *a = g_array_new(FALSE, TRUE, sizeof(line));
    g_array_set_clear_func(a, line_clear);
    return a;
}

void pdf_lines_push(GArray *a, const char *s, size_t len, float width, bool last)
{
    line ln = {g_strndup(s, len), width, last};
    g_array_append_val(a, ln);
}

/* Longest prefix of a word (at least one character) that fits in maxw. */
static size_t fit_chars(HPDF_Font f, float size, const char *s, size_t len, float maxw)
{
    size_t k = 1;
    while (k < len && width_of(f, size, s, k + 1) <= maxw + WRAP_SLACK)
        k++;
    return k;
}

/* Greedy wrap of one paragraph (no '\n'); runs of spaces collapse. */
static void wrap_paragraph(HPDF_Font f, float size, const char *s, size_t len, float maxw,
                           bool split_words, GString *cur, GArray *out)
{
    float space = width_of(f, size, " ", 1);
    float cur_w = 0.0f;
    g_string_truncate(cur, 0);
    size_t i = 0;
    while (i < len) {
        while (i < len && s[i] == ' ')
            i++;
        if (i == len)
            break;
        size_t j = i;
        while (j < len && s[j] != ' ')
            j++;
        const char *word = s + i;
        size_t wl = j - i;
        float ww = width_of(f, size, word, wl);
        if (cur->len > 0 && cur_w + space + ww <= maxw + WRAP_SLACK) {
            g_string_append_c(cur, ' ');
            g_string_append_len(cur, word, (gssize)wl);
            cur_w += space + ww;
        } else {
            if (cur->len > 0) {
                pdf_lines_push(out, cur->str, cur->len, cur_w, false);
                g_string_truncate(cur, 0);
            }
            /* A word wider than the column breaks across lines (URLs, file hashes, a label
             * in a narrow cell): never cut, never over the edge. */
            while (split_words && ww > maxw + WRAP_SLACK && wl > 1) {
                size_t k = fit_chars(f, size, word, wl, maxw);
                pdf_lines_push(out, word, k, width_of(f, size, word, k), false);
                word += k;
                wl -= k;
                ww = width_of(f, size, word, wl);
            }
            g_string_append_len(cur, word, (gssize)wl);
            cur_w = ww;
        }
        i = j;
    }
    pdf_lines_push(out, cur->str, cur->len, cur_w, true);
}

/* Wraps Windows-1252 text to maxw; '\n' forces a break. Always returns at least one line. */
GArray *pdf_wrap_text(HPDF_Font f, float size, const char *text, float maxw, bool split_words)
{
    GArray *out = pdf_lines_new();
    GString *cur = g_string_new(NULL);
    const char *p = text;
    for (;;) {
        size_t plen = strcspn(p, "\n");
        wrap_paragraph(f, size, p, plen, maxw, split_words, cur, out);
        if (p[plen] == '\0')
            break;
        p += plen + 1;
    }
    g_string_free(cur, TRUE);
    return out;
}

float pdf_longest_word(HPDF_Font f, float size, const char *s)
{
    float best = 0.0f;
    while (*s) {
        size_t skip = strspn(s, " \n");
        s += skip;
        size_t n = strcspn(s, " \n");
        float w = width_of(f, size, s, n);
        if (w > best)
            best = w;
        s += n;
    }
    return best;
}

/* Cuts a line so that it plus "…" fits in maxw. */
void pdf_line_truncate(HPDF_Font f, float size, line *ln, float maxw)
{
    if (ln->width <= maxw + WRAP_SLACK)
        return;
    float ell = width_of(f, size, CP_ELLIPSIS, 1);
    size_t n = strlen(ln->text);
    while (n > 0 && width_of(f, size, ln->text, n) + ell > maxw)
        n--;
    while (n > 0 && ln->text[n - 1] == ' ')
        n--;
    /* n < strlen(text) because the whole line did not fit, so there is room. */
    ln->text[n] = CP_ELLIPSIS[0];
    ln->text[n + 1] = '\0';
    ln->width = pdf_str_width(f, size, ln->text);
}

/* A copy of s cut with "…" to fit maxw (g_free()). */
char *pdf_fit_label(HPDF_Font f, float size, const char *s, float maxw)
{
    line ln = {g_strdup(s), pdf_str_width(f, size, s), true};
    pdf_line_truncate(f, size, &ln, maxw);
    return ln.text;
}

/* UTF-8 text wrapped in a style's font and size; words wider than w break. */
GArray *pdf_wrap_utf8(const ctx *c, const tstyle *st, const char *utf8, float w)
{
    char *t = pdf_to_cp1252(utf8);
    GArray *lines = pdf_wrap_text(font_of(c, st->bold), st->size, t, w, true);
    g_free(t);
    return lines;
}
