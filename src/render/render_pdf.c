/* render_pdf.c - PDF renderer of the report model: libharu, embedded Liberation Sans, Windows-1252 text. */
#include "observa/render.h"

#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <hpdf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- Geometry and type scale (points) ---------------------------------- */

#define PT_PER_MM (72.0f / 25.4f)
#define MARGIN_SIDE (22.0f * PT_PER_MM)
/* Top and bottom margins leave room for the running header and the footer,
 * which themselves stay at least 2 cm from the paper's edge. */
#define MARGIN_TOP (29.0f * PT_PER_MM)
#define MARGIN_BOTTOM (28.0f * PT_PER_MM)
#define HEADER_BASELINE (23.0f * PT_PER_MM)
#define HEADER_RULE (24.6f * PT_PER_MM)
#define FOOTER_BASELINE (21.0f * PT_PER_MM)

#define BODY_SIZE 10.0f
#define BODY_LEADING 13.0f
#define NOTE_SIZE 8.0f
#define NOTE_LEADING 10.4f
#define SECTION_SIZE 14.0f
#define SECTION_LEADING 18.0f
#define SUBHEAD_SIZE 11.0f
#define SUBHEAD_LEADING 14.5f
#define CAPTION_SIZE 9.5f
#define CAPTION_LEADING 12.0f
#define SMALL_SIZE 7.5f
#define SMALL_LEADING 9.6f

#define TABLE_SIZE 8.5f
#define TABLE_HEAD_SIZE 8.0f
#define TABLE_MIN_SIZE ((float)OBS_PDF_TABLE_MIN_SIZE)
#define CELL_LEADING 1.22f /* × font size */
#define CELL_PAD_X 3.5f
#define CELL_PAD_Y 2.1f

#define CHART_LABEL_SIZE 7.0f
#define CHART_VALUE_SIZE 6.5f
#define CHART_COLUMN_PLOT_H 175.0f
#define CHART_MIN_DENS 0.8f /* a tightened brief shrinks its charts by at most a fifth */

/* Bytes of Windows-1252 used as literals. */
#define CP_BULLET "\x95"
#define CP_ELLIPSIS "\x85"

/* ---- Palette: the page's own colours; categories come from obs_palette_swatch() ---------- */

typedef struct rgb {
    float r, g, b;
} rgb;

static const rgb COL_TEXT = {0.13f, 0.13f, 0.15f};
static const rgb COL_MUTED = {0.38f, 0.38f, 0.42f};
static const rgb COL_RULE = {0.70f, 0.70f, 0.73f};
static const rgb COL_GRID = {0.87f, 0.87f, 0.89f};
static const rgb COL_WHITE = {1.0f, 1.0f, 1.0f};
static const rgb COL_PRIMARY = {0.45f, 0.11f, 0.36f};      /* magenta-purple */
static const rgb COL_PRIMARY_TINT = {0.92f, 0.86f, 0.90f}; /* total rows */
static const rgb COL_ZEBRA = {0.965f, 0.955f, 0.965f};
static const rgb COL_THRESHOLD = {0.22f, 0.22f, 0.25f};

static rgb rgb_of(uint32_t hex)
{
    rgb c = {(float)((hex >> 16) & 0xFF) / 255.0f, (float)((hex >> 8) & 0xFF) / 255.0f,
             (float)(hex & 0xFF) / 255.0f};
    return c;
}

/* Series s of a chart: its category's swatch, or its position's. */
static obs_swatch series_swatch(const obs_chart *ch, size_t s)
{
    return obs_palette_swatch(ch->series[s].category, s);
}

static obs_swatch flag_swatch(void)
{
    return obs_palette_swatch(OBS_CAT_SENALADO, 0);
}

/* ---- Renderer state ------------------------------------------------------ */

/* What libharu's error handler saw: the first error wins, later ones are consequences. */
typedef struct hpdf_state {
    HPDF_STATUS error_no;
    HPDF_STATUS detail_no;
} hpdf_state;

/* The layout cursor: one per rendering, so documents can render on several threads. */
typedef struct ctx {
    const obs_doc *doc;
    const char *path;
    obs_error *err;
    HPDF_Doc pdf;
    hpdf_state hs;
    HPDF_Font reg, bold;
    HPDF_Encoder enc;
    HPDF_Image logo;
    float pw, ph;       /* paper size */
    float x0, x1;       /* text column */
    float ytop, ybot;   /* vertical limits of the body on every page */
    GPtrArray *pages;   /* HPDF_Page, in order; owned by libharu */
    HPDF_Page page;     /* current page */
    float y;            /* top of the free space on the current page */
    bool fresh;         /* nothing drawn on the current page yet */
    bool want_break;    /* a page break is pending (applied before the next content) */
    bool outlines;      /* at least one bookmark was created */
    struct front_state *front; /* pages of sections and blocks, tables of contents (render_pdf_front.c) */
    float dens;         /* vertical spacing, 1 = as designed; a brief is tightened to fit two pages */
    bool land;          /* the current page is landscape: a table too wide for a portrait page */
} ctx;

typedef enum halign { AL_LEFT, AL_RIGHT, AL_CENTER, AL_JUSTIFY } halign;

typedef struct tstyle {
    bool bold;
    float size;
    float leading;
    rgb color;
    halign align;
    float space_after;
} tstyle;

/* A wrapped line of Windows-1252 text. */
typedef struct line {
    char *text;
    float width;
    bool last; /* ends a paragraph: never justified */
} line;

static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    hpdf_state *st = user_data;
    if (st->error_no == HPDF_OK) {
        st->error_no = error_no;
        st->detail_no = detail_no;
    }
}

static bool failed(const ctx *c)
{
    return c->hs.error_no != HPDF_OK;
}

static obs_status hpdf_error(ctx *c, const char *what)
{
    obs_status code = c->hs.error_no == HPDF_FAILD_TO_ALLOC_MEM ? OBS_ERR_NOMEM : OBS_ERR_INTERNAL;
    return obs_error_set(c->err, code, c->path, 0, 0,
                         "libharu no pudo %s (error 0x%04X, detalle %u)", what,
                         (unsigned)c->hs.error_no, (unsigned)c->hs.detail_no);
}

static obs_status check(ctx *c, const char *what)
{
    return failed(c) ? hpdf_error(c, what) : OBS_OK;
}

static HPDF_Font font_of(const ctx *c, bool bold)
{
    return bold ? c->bold : c->reg;
}

static float text_w(const ctx *c) /* width of the text column */
{
    return c->x1 - c->x0;
}

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
static char *to_cp1252(const char *utf8)
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

/* ---- Fonts ---------------------------------------------------------------- */

static bool pattern_has_family(FcPattern *p, const char *family)
{
    FcChar8 *fam = NULL;
    for (int i = 0; FcPatternGetString(p, FC_FAMILY, i, &fam) == FcResultMatch; i++)
        if (g_ascii_strcasecmp((const char *)fam, family) == 0)
            return true;
    return false;
}

/* Locates a Liberation Sans TrueType file; fontconfig silently substitutes
 * another family when it is missing, so the match is verified. */
static obs_status find_font(const char *pattern, bool bold, char **path, obs_error *err)
{
    *path = NULL;
    if (!FcInit())
        return obs_error_set(err, OBS_ERR_CONFIG, NULL, 0, 0,
                             "no se pudo inicializar fontconfig para buscar la fuente Liberation Sans");
    FcPattern *pat = FcNameParse((const FcChar8 *)pattern);
    if (!pat)
        return obs_error_set(err, OBS_ERR_NOMEM, NULL, 0, 0, "memoria insuficiente al buscar fuentes");
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res = FcResultNoMatch;
    FcPattern *m = FcFontMatch(NULL, pat, &res);
    FcPatternDestroy(pat);
    FcChar8 *file = NULL;
    int weight = 0;
    bool ok = m && pattern_has_family(m, "Liberation Sans") &&
              FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch;
    if (ok) {
        /* libharu loads TrueType outlines only. */
        char *lower = g_ascii_strdown((const char *)file, -1);
        ok = g_str_has_suffix(lower, ".ttf");
        g_free(lower);
    }
    if (ok && bold)
        ok = FcPatternGetInteger(m, FC_WEIGHT, 0, &weight) == FcResultMatch &&
             weight >= FC_WEIGHT_BOLD;
    if (ok)
        *path = g_strdup((const char *)file);
    if (m)
        FcPatternDestroy(m);
    if (!ok)
        return obs_error_set(err, OBS_ERR_CONFIG, NULL, 0, 0,
                             "no se encontró la fuente «%s» (TrueType) con fontconfig; "
                             "instale el paquete de Debian fonts-liberation "
                             "(apt install fonts-liberation)",
                             pattern);
    return OBS_OK;
}

/* The two font files, looked up once per process: every document of a run uses the same ones,
 * and the renders of a batch run on several threads. A failed lookup is not cached. */
static obs_status font_files(const char **regular, const char **bold, obs_error *err)
{
    static GMutex lock;
    static char *found_regular, *found_bold;
    obs_status s = OBS_OK;
    g_mutex_lock(&lock);
    if (!found_bold) {
        char *r = NULL, *b = NULL;
        s = find_font("Liberation Sans", false, &r, err);
        if (s == OBS_OK)
            s = find_font("Liberation Sans:bold", true, &b, err);
        if (s == OBS_OK) {
            found_regular = r;
            found_bold = b;
        } else {
            g_free(r);
            g_free(b);
        }
    }
    *regular = found_regular;
    *bold = found_bold;
    g_mutex_unlock(&lock);
    return s;
}

/* Windows-1252 code points 0x80..0x9F (0 = unassigned); 0x20..0x7E and 0xA0..0xFF are Latin-1. */
static const uint16_t CP1252_HIGH[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/*
 * libharu 2.3.0 writes simple TrueType fonts with a /Differences encoding but
 * no /ToUnicode map, so pdffonts reports "uni no" and extraction relies on
 * glyph names. This attaches a ToUnicode CMap for Windows-1252 through
 * libharu's object layer (hpdf_objects.h, installed and exported by the
 * Debian package): the font is a dictionary, and the stream is registered in
 * the document's cross-reference table so HPDF_Free() releases it.
 */
static obs_status add_tounicode(ctx *c, HPDF_Font font)
{
    GString *cm = g_string_new(
        "/CIDInit /ProcSet findresource begin\n"
        "12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
        "2 beginbfrange\n<20> <7E> <0020>\n<A0> <FF> <00A0>\nendbfrange\n");
    unsigned n = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(CP1252_HIGH); i++)
        n += CP1252_HIGH[i] != 0;
    g_string_append_printf(cm, "%u beginbfchar\n", n);
    for (size_t i = 0; i < G_N_ELEMENTS(CP1252_HIGH); i++)
        if (CP1252_HIGH[i])
            g_string_append_printf(cm, "<%02X> <%04X>\n", (unsigned)(0x80 + i),
                                   (unsigned)CP1252_HIGH[i]);
    g_string_append(cm, "endbfchar\nendcmap\n"
                        "CMapName currentdict /CMap defineresource pop\nend\nend\n");

    HPDF_Dict stream = HPDF_DictStream_New(c->pdf->mmgr, c->pdf->xref);
    HPDF_STATUS st = HPDF_FAILD_TO_ALLOC_MEM;
    if (stream) {
        stream->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
        st = HPDF_Stream_Write(stream->stream, (const HPDF_BYTE *)cm->str, (HPDF_UINT)cm->len);
        if (st == HPDF_OK)
            st = HPDF_Dict_Add(font, "ToUnicode", stream);
    }
    g_string_free(cm, TRUE);
    if (st != HPDF_OK) {
        if (!failed(c)) {
            c->hs.error_no = st;
            c->hs.detail_no = 0;
        }
        return hpdf_error(c, "añadir el mapa ToUnicode de la fuente");
    }
    return OBS_OK;
}

static obs_status load_font(ctx *c, const char *file, HPDF_Font *out)
{
    const char *name = HPDF_LoadTTFontFromFile(c->pdf, file, HPDF_TRUE);
    if (!name)
        return obs_error_set(c->err, OBS_ERR_CONFIG, file, 0, 0,
                             "libharu no pudo cargar la fuente TrueType (error 0x%04X); "
                             "reinstale el paquete fonts-liberation",
                             (unsigned)c->hs.error_no);
    *out = HPDF_GetFont(c->pdf, name, "CP1252");
    if (!*out)
        return hpdf_error(c, "preparar la fuente con la codificación CP1252");
    return add_tounicode(c, *out);
}

/* ---- Measuring and wrapping ---------------------------------------------- */

static float width_of(HPDF_Font f, float size, const char *s, size_t len)
{
    if (len == 0)
        return 0.0f;
    HPDF_TextWidth tw = HPDF_Font_TextWidth(f, (const HPDF_BYTE *)s, (HPDF_UINT)len);
    return (float)tw.width * size / 1000.0f;
}

static float str_width(HPDF_Font f, float size, const char *s)
{
    return width_of(f, size, s, strlen(s));
}

/* Distance from the top of a line box to the baseline, centring cap height plus descender. */
static float baseline_drop(float size, float leading)
{
    return (leading - 0.941f * size) / 2.0f + 0.729f * size;
}

static void line_clear(gpointer p)
{
    g_free(((line *)p)->text);
}

static GArray *lines_new(void)
{
    GArray *a = g_array_new(FALSE, TRUE, sizeof(line));
    g_array_set_clear_func(a, line_clear);
    return a;
}

static void lines_push(GArray *a, const char *s, size_t len, float width, bool last)
{
    line ln = {g_strndup(s, len), width, last};
    g_array_append_val(a, ln);
}

/* Widths are sums of rounded glyph widths: allow for float noise at exact fits. */
#define WRAP_SLACK 0.01f

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
                lines_push(out, cur->str, cur->len, cur_w, false);
                g_string_truncate(cur, 0);
            }
            /* A word wider than the column breaks across lines (URLs, file hashes, a label
             * in a narrow cell): never cut, never over the edge. */
            while (split_words && ww > maxw + WRAP_SLACK && wl > 1) {
                size_t k = fit_chars(f, size, word, wl, maxw);
                lines_push(out, word, k, width_of(f, size, word, k), false);
                word += k;
                wl -= k;
                ww = width_of(f, size, word, wl);
            }
            g_string_append_len(cur, word, (gssize)wl);
            cur_w = ww;
        }
        i = j;
    }
    lines_push(out, cur->str, cur->len, cur_w, true);
}

/* Wraps Windows-1252 text to maxw; '\n' forces a break. Always returns at least one line. */
static GArray *wrap_text(HPDF_Font f, float size, const char *text, float maxw, bool split_words)
{
    GArray *out = lines_new();
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

static float longest_word(HPDF_Font f, float size, const char *s)
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
static void line_truncate(HPDF_Font f, float size, line *ln, float maxw)
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
    ln->width = str_width(f, size, ln->text);
}

/* ---- Drawing primitives (explicit page: footers are drawn after layout) --- */

static void set_fill(HPDF_Page p, rgb c)
{
    HPDF_Page_SetRGBFill(p, c.r, c.g, c.b);
}

static void set_stroke(HPDF_Page p, rgb c)
{
    HPDF_Page_SetRGBStroke(p, c.r, c.g, c.b);
}

static void fill_rect(HPDF_Page p, rgb col, float x, float y, float w, float h)
{
    if (w <= 0.0f || h <= 0.0f)
        return;
    set_fill(p, col);
    HPDF_Page_Rectangle(p, x, y, w, h);
    HPDF_Page_Fill(p);
}

/* A bar or a legend key in a swatch's colour, hatched when its fill says so (grayscale print). */
static void fill_swatch(HPDF_Page p, obs_swatch sw, float x, float y, float w, float h)
{
    fill_rect(p, rgb_of(sw.rgb), x, y, w, h);
    if (sw.fill != OBS_FILL_HATCH || w <= 0.0f || h <= 0.0f)
        return;
    HPDF_Page_GSave(p);
    HPDF_Page_Rectangle(p, x, y, w, h);
    HPDF_Page_Clip(p);
    HPDF_Page_EndPath(p);
    set_stroke(p, rgb_of(sw.ink));
    HPDF_Page_SetLineWidth(p, 0.7f);
    /* Lines rising at 45°, 3 points apart, across the whole box. */
    for (float d = -h; d < w; d += 3.0f) {
        HPDF_Page_MoveTo(p, x + d, y);
        HPDF_Page_LineTo(p, x + d + h, y + h);
    }
    HPDF_Page_Stroke(p);
    HPDF_Page_GRestore(p);
}

static void stroke_line(HPDF_Page p, rgb col, float width, float xa, float ya, float xb, float yb)
{
    set_stroke(p, col);
    HPDF_Page_SetLineWidth(p, width);
    HPDF_Page_MoveTo(p, xa, ya);
    HPDF_Page_LineTo(p, xb, yb);
    HPDF_Page_Stroke(p);
}

static void show_text(HPDF_Page p, HPDF_Font f, float size, rgb col, float x, float y,
                      const char *s, float word_space)
{
    if (!*s)
        return;
    set_fill(p, col);
    HPDF_Page_BeginText(p);
    HPDF_Page_SetFontAndSize(p, f, size);
    /* Word spacing belongs to the graphics state, so it is reset after use. */
    if (word_space > 0.0f)
        HPDF_Page_SetWordSpace(p, word_space);
    HPDF_Page_TextOut(p, x, y, s);
    if (word_space > 0.0f)
        HPDF_Page_SetWordSpace(p, 0.0f);
    HPDF_Page_EndText(p);
}

static void show_text_rotated(HPDF_Page p, HPDF_Font f, float size, rgb col, float x,
                              float y, float degrees, const char *s)
{
    if (!*s)
        return;
    float r = degrees * (float)G_PI / 180.0f;
    float cs = cosf(r), sn = sinf(r);
    set_fill(p, col);
    HPDF_Page_BeginText(p);
    HPDF_Page_SetFontAndSize(p, f, size);
    HPDF_Page_SetTextMatrix(p, cs, sn, -sn, cs, x, y);
    HPDF_Page_ShowText(p, s);
    HPDF_Page_EndText(p);
}

/* Text aligned within [x, x+w] at a baseline. */
static void show_aligned(HPDF_Page p, HPDF_Font f, float size, rgb col, float x, float w,
                         float baseline, const char *s, halign al)
{
    float tw = str_width(f, size, s);
    float tx = x;
    if (al == AL_RIGHT)
        tx = x + w - tw;
    else if (al == AL_CENTER)
        tx = x + (w - tw) / 2.0f;
    show_text(p, f, size, col, tx, baseline, s, 0.0f);
}

/* A copy of s cut with "…" to fit maxw (g_free()). */
static char *fit_label(HPDF_Font f, float size, const char *s, float maxw)
{
    line ln = {g_strdup(s), str_width(f, size, s), true};
    line_truncate(f, size, &ln, maxw);
    return ln.text;
}

/* ---- Pages --------------------------------------------------------------- */

/* Sizes a page for the current orientation and sets the body's limits on it. */
static void page_geometry(ctx *c, HPDF_Page p)
{
    float w = c->land ? c->ph : c->pw, h = c->land ? c->pw : c->ph;
    HPDF_Page_SetWidth(p, w);
    HPDF_Page_SetHeight(p, h);
    c->x0 = MARGIN_SIDE;
    c->x1 = w - MARGIN_SIDE;
    c->ytop = h - MARGIN_TOP;
    c->ybot = MARGIN_BOTTOM;
}

static obs_status page_new(ctx *c)
{
    HPDF_Page p = HPDF_AddPage(c->pdf);
    if (!p)
        return hpdf_error(c, "crear una página");
    page_geometry(c, p);
    g_ptr_array_add(c->pages, p);
    c->page = p;
    c->y = c->ytop;
    c->fresh = true;
    c->want_break = false;
    return check(c, "crear una página");
}

/* Applies a pending page break (section->new_page, PAGEBREAK) before new content,
 * so a break at the end of the document never leaves a blank page. */
static obs_status flush_break(ctx *c)
{
    if (c->want_break && !c->fresh)
        return page_new(c);
    c->want_break = false;
    return OBS_OK;
}

/* Turns the page: an empty current page is resized, else a new page starts. Back to portrait,
 * the turn waits for the next content (no blank page at the end). */
static obs_status set_orientation(ctx *c, bool land)
{
    if (c->land == land)
        return OBS_OK;
    c->land = land;
    if (!land) {
        c->want_break = true;
        return OBS_OK;
    }
    if (c->fresh && c->page) {
        page_geometry(c, c->page);
        c->y = c->ytop;
        c->want_break = false;
        return check(c, "girar una página");
    }
    return page_new(c);
}

/* Starts a new page unless h points fit below the cursor (or the page is empty anyway). */
static obs_status need(ctx *c, float h)
{
    if (!c->fresh && c->y - h < c->ybot)
        return page_new(c);
    return OBS_OK;
}

/* Vertical space between blocks; a tightened layout (c->dens < 1) gives less. */
static void space(ctx *c, float h)
{
    if (!c->fresh)
        c->y -= h * c->dens;
}

/* ---- Paragraphs and lists ------------------------------------------------ */

static tstyle par_style(obs_par_style s)
{
    tstyle st = {false, BODY_SIZE, BODY_LEADING, COL_TEXT, AL_JUSTIFY, 6.0f};
    switch (s) {
    case OBS_PAR_NORMAL:
        break;
    case OBS_PAR_NOTE:
        st.size = NOTE_SIZE;
        st.leading = NOTE_LEADING;
        st.color = COL_MUTED;
        st.align = AL_LEFT;
        st.space_after = 5.0f;
        break;
    case OBS_PAR_STRONG:
        st.bold = true;
        st.align = AL_LEFT;
        break;
    case OBS_PAR_RIGHT:
        st.align = AL_RIGHT;
        break;
    case OBS_PAR_CENTER:
        st.align = AL_CENTER;
        break;
    case OBS_PAR_HEADING:
        st.bold = true;
        st.size = SUBHEAD_SIZE;
        st.leading = SUBHEAD_LEADING;
        st.color = COL_PRIMARY;
        st.align = AL_LEFT;
        st.space_after = 3.0f;
        break;
    }
    return st;
}

static void draw_line(ctx *c, const tstyle *st, const line *ln, float x, float w, float top)
{
    HPDF_Font f = font_of(c, st->bold);
    float base = top - baseline_drop(st->size, st->leading);
    float lx = x, ws = 0.0f;
    if (st->align == AL_RIGHT) {
        lx = x + w - ln->width;
    } else if (st->align == AL_CENTER) {
        lx = x + (w - ln->width) / 2.0f;
    } else if (st->align == AL_JUSTIFY && !ln->last) {
        unsigned gaps = 0;
        for (const char *p = ln->text; *p; p++)
            gaps += *p == ' ';
        /* A line with few, long words is left ragged rather than stretched apart. */
        if (gaps > 0 && w > ln->width) {
            ws = (w - ln->width) / (float)gaps;
            if (ws > st->size * 0.6f)
                ws = 0.0f;
        }
    }
    show_text(c->page, f, st->size, st->color, lx, base, ln->text, ws);
}

/*
 * Draws wrapped lines from the cursor, breaking pages between lines. Keeps at
 * least two lines of a paragraph together at the bottom and at the top of a
 * page (no orphans, no widows). The bullet, if any, goes with the first line.
 */
static obs_status draw_lines(ctx *c, const GArray *lines, const tstyle *st, float x, float w,
                             const char *bullet, float bullet_x)
{
    size_t n = lines->len, i = 0;
    while (i < n) {
        float room = c->y - c->ybot;
        size_t fit = room > 0.0f ? (size_t)floorf(room / st->leading + 0.001f) : 0;
        size_t left = n - i;
        if (fit < left && !c->fresh) {
            if (fit == 0 || (fit < 2 && left >= 2)) {
                obs_status s = page_new(c);
                if (s != OBS_OK)
                    return s;
                continue;
            }
            if (left - fit == 1 && fit >= 3)
                fit--;
        }
        if (fit == 0)
            fit = 1; /* an empty page that cannot hold one line: draw anyway */
        size_t take = fit < left ? fit : left;
        for (size_t k = 0; k < take; k++) {
            if (bullet && i + k == 0)
                show_text(c->page, font_of(c, st->bold), st->size, st->color, bullet_x,
                          c->y - baseline_drop(st->size, st->leading), bullet, 0.0f);
            draw_line(c, st, &g_array_index(lines, line, i + k), x, w, c->y);
            c->y -= st->leading;
        }
        c->fresh = false;
        i += take;
        if (i < n) {
            obs_status s = page_new(c);
            if (s != OBS_OK)
                return s;
        }
    }
    return check(c, "dibujar un párrafo");
}

static GArray *wrap_utf8(const ctx *c, const tstyle *st, const char *utf8, float w)
{
    char *t = to_cp1252(utf8);
    GArray *lines = wrap_text(font_of(c, st->bold), st->size, t, w, true);
    g_free(t);
    return lines;
}

/* Draws text that must stay in one place (cover, titles, chart captions): no
 * page breaks. With draw false it only measures. Returns the height used. */
static float text_block(ctx *c, const char *utf8, const tstyle *st, float x, float w,
                        float top, bool draw)
{
    if (!utf8 || !*utf8)
        return 0.0f;
    GArray *lines = wrap_utf8(c, st, utf8, w);
    float h = (float)lines->len * st->leading;
    if (draw)
        for (guint i = 0; i < lines->len; i++)
            draw_line(c, st, &g_array_index(lines, line, i), x, w, top - (float)i * st->leading);
    g_array_free(lines, TRUE);
    return h;
}

static obs_status draw_paragraph(ctx *c, const obs_block *b)
{
    tstyle st = par_style(b->style);
    if (b->style == OBS_PAR_HEADING)
        space(c, 6.0f);
    GArray *lines = wrap_utf8(c, &st, b->text, text_w(c));
    obs_status s = draw_lines(c, lines, &st, c->x0, text_w(c), NULL, 0.0f);
    g_array_free(lines, TRUE);
    space(c, st.space_after);
    return s;
}

#define LIST_INDENT 14.0f

static obs_status draw_list(ctx *c, const obs_block *b)
{
    tstyle st = par_style(b->style);
    if (st.align == AL_JUSTIFY)
        st.align = AL_LEFT; /* stretched bullet items read badly */
    float x = c->x0 + LIST_INDENT, w = text_w(c) - LIST_INDENT;
    for (size_t i = 0; i < b->nitems; i++) {
        GArray *lines = wrap_utf8(c, &st, b->items[i], w);
        obs_status s = draw_lines(c, lines, &st, x, w, CP_BULLET, c->x0 + 3.0f);
        g_array_free(lines, TRUE);
        if (s != OBS_OK)
            return s;
        space(c, 2.5f);
    }
    space(c, st.space_after);
    return OBS_OK;
}

/* ---- Tables ---------------------------------------------------------------- */

/*
 * A table has one font size for all its cells (and one, a little smaller, for its header row):
 * a lone shrunken cell looks like an error. The size is the largest, from TABLE_SIZE down to
 * TABLE_MIN_SIZE by half points, at which every column holds its widest number and its longest
 * word; text wraps at spaces. A table that does not fit a portrait page even at TABLE_MIN_SIZE
 * goes on landscape pages (turn_for()), with its heading. Numbers are never broken nor cut: when
 * even the landscape page is too narrow, words may break inside (labels stay whole otherwise),
 * and only a table whose numbers do not fit at that size is set smaller still.
 * obs_pdf_table_check() refuses such a table when the template is loaded, assuming the widest
 * values a column can hold, so that last case needs data beyond those bounds.
 */

#define TABLE_HEAD_RATIO (TABLE_HEAD_SIZE / TABLE_SIZE)
/* Below the readable minimum (data past the template check's bounds), words stay whole down to
 * this size. */
#define TABLE_FLOOR_SIZE 4.0f
/* A column in which words may break keeps room for about three characters. */
#define SPLIT_FLOOR_EM 1.7f
/* A table of at most this many data rows (and its total rows) is never split across pages. */
#define SHORT_TABLE_ROWS 15
/* The first page of a split table holds at least its header and this many rows. */
#define SPLIT_FIRST_ROWS 3

/* What a column needs, measured at 1 pt: widths grow with the size. */
typedef struct colneed {
    float num;       /* widest number: never broken */
    float word;      /* longest word of its text cells */
    float nat;       /* widest cell on one line */
    float head_word; /* longest word of the header (bold, at the header's size) */
    float head;      /* the whole header on one line */
    bool text;       /* some cell holds text */
} colneed;

/* The table's sizes: one for the cells, one for the header row; split = words may break. */
typedef struct tsize {
    float body, head;
    bool split;
} tsize;

typedef struct tcell {
    GArray *lines;
    bool bold;
} tcell;

typedef struct tlayout {
    const obs_table *t;
    tsize sz;
    float pad_y;   /* vertical padding of a cell */
    float *w;      /* column widths */
    tcell *head;   /* ncols */
    float head_h;
    tcell *cells;  /* nrows × ncols */
    float *row_h;
    float caption_h;
    GArray *note;  /* wrapped note, or NULL */
    float note_h;  /* the note with its gap, 0 without one */
} tlayout;

static bool cell_bold(const obs_row *row, const obs_cell *cell)
{
    return row->kind == OBS_ROW_TOTAL || (cell->flags & (OBS_CELL_BOLD | OBS_CELL_MARK));
}

/* The PDF's way of showing a flagged entidad (model.h, OBS_ENTIDAD_SENALADO): "*" after the name. */
static bool shows_mark(const obs_table *t, const obs_row *row, size_t col)
{
    return (t->entidad_cols & OBS_ENTIDAD_SENALADO) && row->marked && col == 0 &&
           row->cells[0].kind == OBS_CELL_TEXT;
}

/* Formatted, Windows-1252 text of every cell (nrows × ncols, g_strfreev-able). */
static char **table_texts(const obs_table *t)
{
    char **txt = g_new0(char *, t->nrows * t->ncols + 1);
    char buf[4096];
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t j = 0; j < t->ncols; j++) {
            const char *s = obs_cell_format(&t->rows[r].cells[j], buf, sizeof buf);
            char *marked = shows_mark(t, &t->rows[r], j) ? g_strconcat(s, " *", NULL) : NULL;
            txt[r * t->ncols + j] = to_cp1252(marked ? marked : s);
            g_free(marked);
        }
    return txt;
}

static void need_header(colneed *m, HPDF_Font bold, const char *head)
{
    m->head_word = longest_word(bold, TABLE_HEAD_RATIO, head);
    m->head = str_width(bold, TABLE_HEAD_RATIO, head);
}

/* Adds a cell's text to its column's needs: numbers whole, text by its words. */
static void need_cell(colneed *m, HPDF_Font f, const char *s, bool text)
{
    float w = str_width(f, 1.0f, s);
    m->nat = fmaxf(m->nat, w);
    if (text) {
        m->word = fmaxf(m->word, longest_word(f, 1.0f, s));
        m->text = true;
    } else {
        m->num = fmaxf(m->num, w);
    }
}

/* The narrowest a column can be at body size s. */
static float col_min(const colneed *m, float s, bool split)
{
    float words = fmaxf(m->word * s, m->head_word * s);
    if (split)
        words = fminf(words, SPLIT_FLOOR_EM * s);
    return 2.0f * CELL_PAD_X + fmaxf(m->num * s, words);
}

static float sum_min(const colneed *m, size_t n, float s, bool split)
{
    float total = 0.0f;
    for (size_t j = 0; j < n; j++)
        total += col_min(&m[j], s, split);
    return total;
}

/* The size at which the columns' minimums add up to exactly W (words whole or not). */
static float exact_size(const colneed *m, size_t n, float W, bool split)
{
    float per_pt = sum_min(m, n, 1.0f, split) - 2.0f * CELL_PAD_X * (float)n;
    return per_pt > 0.0f ? (W - 2.0f * CELL_PAD_X * (float)n) / per_pt : TABLE_SIZE;
}

/* The largest size at which the columns fit W (see the comment above "Tables"). */
static tsize table_size(const colneed *m, size_t n, float W)
{
    tsize z = {TABLE_SIZE, TABLE_HEAD_SIZE, false};
    for (float s = TABLE_SIZE; s >= TABLE_MIN_SIZE - 0.01f; s -= 0.5f)
        if (sum_min(m, n, s, false) <= W + WRAP_SLACK) {
            z.body = s;
            z.head = s * TABLE_HEAD_RATIO;
            return z;
        }
    if (sum_min(m, n, TABLE_MIN_SIZE, true) <= W + WRAP_SLACK) {
        z.body = TABLE_MIN_SIZE; /* the readable minimum, words breaking where they must */
        z.split = true;
    } else {
        /* Numbers beyond the bounds the template check assumed: smaller still, words whole
         * while that keeps some size, never a number cut. */
        z.body = exact_size(m, n, W, false);
        if (z.body < TABLE_FLOOR_SIZE) {
            z.split = true;
            z.body = fmaxf(1.0f, exact_size(m, n, W, true));
        }
    }
    z.head = z.body * TABLE_HEAD_RATIO;
    return z;
}

/* Shrinks columns toward their minimum, in proportion to their slack, by up to excess. */
static float shrink_columns(float *w, const float *min, const bool *which, size_t n, float excess)
{
    float slack = 0.0f;
    for (size_t j = 0; j < n; j++)
        if (which[j] && w[j] > min[j])
            slack += w[j] - min[j];
    if (slack <= 0.0f)
        return excess;
    float take = fminf(excess, slack);
    for (size_t j = 0; j < n; j++)
        if (which[j] && w[j] > min[j])
            w[j] -= (w[j] - min[j]) / slack * take;
    return excess - take;
}

/* Spare width: first so that wrapped headers fit on one line, then to the first text column. */
static void give_spare(float *w, const float *full, const colneed *m, size_t n, float spare)
{
    float want = 0.0f;
    for (size_t j = 0; j < n; j++)
        want += fmaxf(0.0f, full[j] - w[j]);
    if (want > 0.0f) {
        float give = fminf(spare, want);
        for (size_t j = 0; j < n; j++)
            w[j] += fmaxf(0.0f, full[j] - w[j]) / want * give;
        spare -= give;
    }
    size_t first_text = n;
    for (size_t j = 0; j < n && first_text == n; j++)
        if (m[j].text)
            first_text = j;
    if (first_text < n)
        w[first_text] += spare;
    else
        for (size_t j = 0; j < n; j++)
            w[j] += spare / (float)n;
}

/*
 * Column widths at the table's size: every column first gets its widest cell on one line (and its
 * longest header word); text columns then wrap if the table is too wide, never below a column's
 * minimum. Non-zero weights share the width the automatic columns leave, each weighted column
 * still holding its minimum.
 */
static void column_widths(const obs_table *t, const colneed *m, tsize z, float W, float *w)
{
    size_t n = t->ncols;
    float *min = g_new0(float, n), *full = g_new0(float, n);
    bool *is_text = g_new0(bool, n), *all = g_new0(bool, n);
    double wsum = 0.0;
    float pad = 2.0f * CELL_PAD_X, total = 0.0f;
    for (size_t j = 0; j < n; j++) {
        min[j] = col_min(&m[j], z.body, z.split);
        w[j] = fmaxf(min[j], pad + fmaxf(m[j].nat * z.body, m[j].head_word * z.body));
        full[j] = fmaxf(w[j], pad + m[j].head * z.body);
        is_text[j] = m[j].text;
        all[j] = true;
        wsum += t->cols[j].weight > 0 ? t->cols[j].weight : 0.0;
    }
    if (wsum > 0.0) {
        float rest = W;
        for (size_t j = 0; j < n; j++)
            if (!(t->cols[j].weight > 0))
                rest -= w[j];
        rest = fmaxf(rest, 0.0f);
        for (size_t j = 0; j < n; j++)
            if (t->cols[j].weight > 0)
                w[j] = fmaxf(min[j], (float)(rest * t->cols[j].weight / wsum));
    }
    for (size_t j = 0; j < n; j++)
        total += w[j];
    if (total > W) {
        float excess = shrink_columns(w, min, is_text, n, total - W);
        shrink_columns(w, min, all, n, excess);
    } else if (wsum <= 0.0) {
        give_spare(w, full, m, n, W - total);
    } else if (total < W) {
        for (size_t j = 0; j < n; j++) /* weighted columns take what their minimums left */
            if (t->cols[j].weight > 0)
                w[j] += (W - total) * (float)(t->cols[j].weight / wsum);
    }
    g_free(min);
    g_free(full);
    g_free(is_text);
    g_free(all);
}

static float cell_height(const tcell *tc, float size, float pad_y)
{
    return (float)tc->lines->len * size * CELL_LEADING + 2.0f * pad_y;
}

static tstyle caption_style(void)
{
    tstyle st = {true, CAPTION_SIZE, CAPTION_LEADING, COL_TEXT, AL_LEFT, 0.0f};
    return st;
}

static tstyle small_note_style(void)
{
    tstyle st = {false, SMALL_SIZE, SMALL_LEADING, COL_MUTED, AL_LEFT, 0.0f};
    return st;
}

/* Every column's needs, from the header and the formatted cells. */
static colneed *table_needs(const ctx *c, const obs_table *t, char **head, char **txt)
{
    size_t nc = t->ncols;
    colneed *m = g_new0(colneed, nc ? nc : 1);
    for (size_t j = 0; j < nc; j++) {
        need_header(&m[j], c->bold, head[j]);
        for (size_t r = 0; r < t->nrows; r++) {
            const obs_row *row = &t->rows[r];
            need_cell(&m[j], font_of(c, cell_bold(row, &row->cells[j])), txt[r * nc + j],
                      row->cells[j].kind == OBS_CELL_TEXT);
        }
    }
    return m;
}

/* Wraps every cell at the table's size: words break only where the column cannot hold them. */
static void table_wrap(ctx *c, tlayout *L, char **head, char **txt)
{
    const obs_table *t = L->t;
    size_t nc = t->ncols;
    for (size_t j = 0; j < nc; j++) {
        tcell *h = &L->head[j];
        h->bold = true;
        h->lines = wrap_text(c->bold, L->sz.head, head[j], L->w[j] - 2.0f * CELL_PAD_X, true);
        L->head_h = fmaxf(L->head_h, cell_height(h, L->sz.head, L->pad_y));
    }
    for (size_t r = 0; r < t->nrows; r++) {
        const obs_row *row = &t->rows[r];
        for (size_t j = 0; j < nc; j++) {
            tcell *tc = &L->cells[r * nc + j];
            tc->bold = cell_bold(row, &row->cells[j]);
            float inner = L->w[j] - 2.0f * CELL_PAD_X;
            const char *s = txt[r * nc + j];
            if (row->cells[j].kind == OBS_CELL_TEXT) {
                tc->lines = wrap_text(font_of(c, tc->bold), L->sz.body, s, inner, true);
            } else { /* a number is one line, whole */
                tc->lines = lines_new();
                lines_push(tc->lines, s, strlen(s), str_width(font_of(c, tc->bold), L->sz.body, s), true);
            }
            L->row_h[r] = fmaxf(L->row_h[r], cell_height(tc, L->sz.body, L->pad_y));
        }
        if (nc == 0)
            L->row_h[r] = TABLE_SIZE * CELL_LEADING + 2.0f * L->pad_y;
    }
}

static tlayout *table_layout_new(ctx *c, const obs_table *t)
{
    size_t nc = t->ncols, nr = t->nrows;
    tlayout *L = g_new0(tlayout, 1);
    L->t = t;
    L->pad_y = CELL_PAD_Y * c->dens;
    L->w = g_new0(float, nc ? nc : 1);
    L->head = g_new0(tcell, nc ? nc : 1);
    L->cells = g_new0(tcell, nr * nc + 1);
    L->row_h = g_new0(float, nr ? nr : 1);
    char **head = g_new0(char *, nc + 1);
    for (size_t j = 0; j < nc; j++)
        head[j] = to_cp1252(t->cols[j].header);
    char **txt = table_texts(t);
    colneed *m = table_needs(c, t, head, txt);
    L->sz = table_size(m, nc, text_w(c));
    column_widths(t, m, L->sz, text_w(c), L->w);
    table_wrap(c, L, head, txt);
    tstyle cap = caption_style(), note = small_note_style();
    L->caption_h = text_block(c, t->title, &cap, c->x0, text_w(c), 0.0f, false);
    if (t->note && *t->note) {
        L->note = wrap_utf8(c, &note, t->note, text_w(c));
        L->note_h = 4.0f + (float)L->note->len * note.leading;
    }
    g_free(m);
    g_strfreev(head);
    g_strfreev(txt);
    return L;
}

static void table_layout_free(tlayout *L)
{
    if (!L)
        return;
    size_t nc = L->t->ncols, nr = L->t->nrows;
    for (size_t j = 0; j < nc; j++)
        g_array_free(L->head[j].lines, TRUE);
    for (size_t i = 0; i < nr * nc; i++)
        g_array_free(L->cells[i].lines, TRUE);
    if (L->note)
        g_array_free(L->note, TRUE);
    g_free(L->w);
    g_free(L->head);
    g_free(L->cells);
    g_free(L->row_h);
    g_free(L);
}

static float caption_block_h(const tlayout *L)
{
    return L->caption_h > 0 ? L->caption_h + 4.0f : 0.0f;
}

/* The whole table: caption, header, rows, closing rule and note. */
static float table_full_height(const tlayout *L)
{
    float h = caption_block_h(L) + L->head_h + L->note_h + 4.0f;
    for (size_t r = 0; r < L->t->nrows; r++)
        h += L->row_h[r];
    return h;
}

static bool table_is_short(const tlayout *L)
{
    size_t data = 0;
    for (size_t r = 0; r < L->t->nrows; r++)
        data += L->t->rows[r].kind == OBS_ROW_DATA;
    return data <= SHORT_TABLE_ROWS;
}

/* What must share a page with whatever precedes the table: all of a short table; else the
 * caption, the header and the first rows. */
static float table_keep_height(const tlayout *L, float page_h)
{
    float full = table_full_height(L);
    if (table_is_short(L) && full <= page_h)
        return full;
    float h = caption_block_h(L) + L->head_h;
    for (size_t r = 0; r < L->t->nrows && r < SPLIT_FIRST_ROWS; r++)
        h += L->row_h[r];
    return h;
}

/*
 * Whether a page may end just before row k: never before a total row, nor between a total row
 * and the data row just above the one before it (a total keeps two data rows), nor before the
 * last row (it would stand alone under a repeated header).
 */
static bool may_break_before(const obs_table *t, size_t k)
{
    if (k == 0 || k >= t->nrows)
        return false;
    if (k + 1 == t->nrows || t->rows[k].kind == OBS_ROW_TOTAL)
        return false;
    return !(k + 1 < t->nrows && t->rows[k + 1].kind == OBS_ROW_TOTAL &&
             t->rows[k - 1].kind == OBS_ROW_DATA);
}

static float continuation_h(const tlayout *L)
{
    return (L->t->title && *L->t->title ? SMALL_LEADING + 2.0f : 0.0f) + L->head_h;
}

/*
 * The rows that start a new page, from the cursor y: a greedy fill moved back to a row a page
 * may end before; the last row keeps the note with it. Returns a 0-terminated array (g_free).
 */
static size_t *plan_breaks(const ctx *c, const tlayout *L, float y)
{
    const obs_table *t = L->t;
    size_t n = t->nrows, nb = 0, first = 0;
    size_t *breaks = g_new0(size_t, n + 1);
    float ytop = c->ytop - continuation_h(L);
    for (size_t k = 0; k < n; k++) {
        float need = L->row_h[k] + (k + 1 == n ? L->note_h + 4.0f : 0.0f);
        if (y - need >= c->ybot - 0.01f || k == first) {
            y -= L->row_h[k];
            continue;
        }
        size_t b = k;
        while (b > first && !may_break_before(t, b))
            b--;
        if (b <= first)
            b = k; /* nothing better: the rules cannot all hold */
        breaks[nb++] = b;
        first = b;
        y = ytop;
        k = b - 1; /* lay rows b.. out again on the new page */
    }
    return breaks;
}

static halign to_halign(obs_align a)
{
    return a == OBS_ALIGN_RIGHT ? AL_RIGHT : a == OBS_ALIGN_CENTER ? AL_CENTER : AL_LEFT;
}

/* Draws a cell's lines vertically centred in its row box. */
static void draw_cell(ctx *c, const tcell *tc, float size, rgb col, float x, float top, float w,
                      float h, halign al)
{
    float lh = size * CELL_LEADING;
    float y = top - (h - (float)tc->lines->len * lh) / 2.0f;
    HPDF_Font f = font_of(c, tc->bold);
    for (guint i = 0; i < tc->lines->len; i++) {
        const line *ln = &g_array_index(tc->lines, line, i);
        show_aligned(c->page, f, size, col, x + CELL_PAD_X, w - 2.0f * CELL_PAD_X,
                     y - baseline_drop(size, lh), ln->text, al);
        y -= lh;
    }
}

static void table_draw_header(ctx *c, const tlayout *L)
{
    const obs_table *t = L->t;
    float x = c->x0;
    fill_rect(c->page, COL_PRIMARY, c->x0, c->y - L->head_h, text_w(c), L->head_h);
    for (size_t j = 0; j < t->ncols; j++) {
        /* Headers of numeric columns are centred over their figures. */
        halign al = t->cols[j].align == OBS_ALIGN_LEFT ? AL_LEFT : AL_CENTER;
        draw_cell(c, &L->head[j], L->sz.head, COL_WHITE, x, c->y, L->w[j], L->head_h, al);
        x += L->w[j];
    }
    c->y -= L->head_h;
    c->fresh = false;
}

static void table_draw_row(ctx *c, const tlayout *L, size_t r, bool zebra)
{
    const obs_table *t = L->t;
    const obs_row *row = &t->rows[r];
    float h = L->row_h[r], W = text_w(c), top = c->y;
    obs_swatch flag = flag_swatch();
    if (row->kind == OBS_ROW_TOTAL)
        fill_rect(c->page, COL_PRIMARY_TINT, c->x0, top - h, W, h);
    else if (row->marked)
        fill_rect(c->page, rgb_of(flag.tint), c->x0, top - h, W, h);
    else if (zebra)
        fill_rect(c->page, COL_ZEBRA, c->x0, top - h, W, h);
    if (row->marked) /* a mark that survives greyscale printing */
        fill_rect(c->page, rgb_of(flag.rgb), c->x0, top - h, 2.0f, h);
    float x = c->x0;
    for (size_t j = 0; j < t->ncols; j++) {
        rgb col = (row->cells[j].flags & OBS_CELL_MARK) ? rgb_of(flag.rgb) : COL_TEXT;
        draw_cell(c, &L->cells[r * t->ncols + j], L->sz.body, col, x, top, L->w[j], h,
                  to_halign(t->cols[j].align));
        x += L->w[j];
    }
    if (row->kind == OBS_ROW_TOTAL)
        stroke_line(c->page, COL_PRIMARY, 0.8f, c->x0, top, c->x1, top);
    else
        stroke_line(c->page, COL_GRID, 0.4f, c->x0, top - h, c->x1, top - h);
    c->y -= h;
}

/* On a continuation page: "Caption (continuación)", small, then the header row again. */
static void table_continue(ctx *c, const tlayout *L)
{
    if (L->t->title && *L->t->title) {
        char *s = g_strdup_printf("%s (continuación)", L->t->title);
        char *cp = to_cp1252(s);
        char *fit = fit_label(c->reg, SMALL_SIZE, cp, text_w(c));
        show_text(c->page, c->reg, SMALL_SIZE, COL_MUTED, c->x0,
                  c->y - baseline_drop(SMALL_SIZE, SMALL_LEADING), fit, 0.0f);
        c->y -= SMALL_LEADING + 2.0f;
        g_free(fit);
        g_free(cp);
        g_free(s);
    }
    table_draw_header(c, L);
}

/* Starts the table where it may: a short table whole on one page, a long one with its first rows. */
static obs_status table_start(ctx *c, const tlayout *L)
{
    return need(c, table_keep_height(L, c->ytop - c->ybot));
}

static obs_status draw_table(ctx *c, const obs_table *t)
{
    tlayout *L = table_layout_new(c, t);
    obs_status s = table_start(c, L);
    if (s == OBS_OK && L->caption_h > 0) {
        tstyle cap = caption_style();
        text_block(c, t->title, &cap, c->x0, text_w(c), c->y, true);
        c->y -= L->caption_h + 4.0f;
        c->fresh = false;
    }
    if (s == OBS_OK && t->ncols > 0)
        table_draw_header(c, L);
    size_t *breaks = t->ncols > 0 ? plan_breaks(c, L, c->y) : g_new0(size_t, 1);
    size_t next = 0, data_index = 0;
    for (size_t r = 0; s == OBS_OK && t->ncols > 0 && r < t->nrows; r++) {
        if (breaks[next] == r && r > 0) {
            stroke_line(c->page, COL_PRIMARY, 0.8f, c->x0, c->y, c->x1, c->y);
            s = page_new(c);
            if (s != OBS_OK)
                break;
            table_continue(c, L);
            next++;
        }
        bool zebra = t->rows[r].kind == OBS_ROW_DATA && (data_index++ % 2 == 1);
        table_draw_row(c, L, r, zebra);
        if (failed(c))
            s = hpdf_error(c, "dibujar una tabla");
    }
    g_free(breaks);
    if (s == OBS_OK) {
        stroke_line(c->page, COL_PRIMARY, 0.8f, c->x0, c->y, c->x1, c->y);
        c->y -= 4.0f;
        tstyle note_st = small_note_style();
        if (L->note)
            s = draw_lines(c, L->note, &note_st, c->x0, text_w(c), NULL, 0.0f);
        space(c, 10.0f);
    }
    table_layout_free(L);
    return s == OBS_OK ? check(c, "dibujar una tabla") : s;
}

/* ---- Charts ---------------------------------------------------------------- */

typedef struct axis {
    double lo, hi, step;
    int decimals;
} axis;

static double nice_step(double raw)
{
    double mag = pow(10.0, floor(log10(raw)));
    double f = raw / mag;
    double nice = f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 2.5 ? 2.5 : f <= 5.0 ? 5.0 : 10.0;
    return nice * mag;
}

static int step_decimals(double step)
{
    int d = 0;
    double s = step;
    while (d < 4 && fabs(s - round(s)) > 1e-6 * fmax(1.0, fabs(s))) {
        s *= 10.0;
        d++;
    }
    return d;
}

/* A value axis from min(0, lo) to max(0, hi) with about `target` round steps; counts
 * (integral) never get fractional steps. */
static axis axis_for(double vmin, double vmax, int target, bool integral)
{
    axis a;
    double lo = fmin(0.0, vmin), hi = fmax(0.0, vmax);
    if (hi - lo < 1e-12)
        hi = lo + 1.0;
    a.step = nice_step((hi - lo) / target);
    if (integral && a.step < 1.0)
        a.step = 1.0;
    a.lo = floor(lo / a.step + 1e-9) * a.step;
    a.hi = ceil(hi / a.step - 1e-9) * a.step;
    a.decimals = step_decimals(a.step);
    return a;
}

static bool finite_value(double v)
{
    return isfinite(v);
}

static axis chart_axis(const obs_chart *ch, int target)
{
    double lo = 0.0, hi = 0.0;
    for (size_t s = 0; s < ch->nseries; s++)
        for (size_t i = 0; i < ch->ncats; i++) {
            double v = ch->series[s].values[i];
            if (finite_value(v)) {
                lo = fmin(lo, v);
                hi = fmax(hi, v);
            }
        }
    if (ch->has_threshold && finite_value(ch->threshold)) {
        lo = fmin(lo, ch->threshold);
        hi = fmax(hi, ch->threshold);
    }
    return axis_for(lo, hi, target, obs_chart_integral(ch));
}

/* es-MX number for a chart label: through obs_fmt_int / obs_fmt_dec, never printf. */
static char *fmt_number(double v, int decimals)
{
    char buf[OBS_FMT_MAX];
    if (decimals <= 0) {
        double r = round(v);
        if (r > 9.0e18)
            r = 9.0e18;
        if (r < -9.0e18)
            r = -9.0e18;
        obs_fmt_int(buf, sizeof buf, (int64_t)r);
    } else {
        obs_fmt_dec(buf, sizeof buf, v, decimals);
    }
    return to_cp1252(buf);
}

/* Decimals for value labels: none when every value is whole, else one. */
static int value_decimals(const obs_chart *ch)
{
    return obs_chart_integral(ch) ? 0 : 1;
}

static float axis_map(const axis *a, double v, float from, float to)
{
    return from + (float)((v - a->lo) / (a->hi - a->lo)) * (to - from);
}

/* Widest tick label of an axis. */
static float tick_label_width(const ctx *c, const axis *a)
{
    float w = 0.0f;
    for (double v = a->lo; v <= a->hi + a->step * 1e-6; v += a->step) {
        char *s = fmt_number(v, a->decimals);
        w = fmaxf(w, str_width(c->reg, CHART_LABEL_SIZE, s));
        g_free(s);
    }
    return w;
}

static void set_dash(HPDF_Page p, bool on)
{
    static const HPDF_UINT16 pattern[] = {3, 2};
    HPDF_Page_SetDash(p, on ? pattern : NULL, on ? 2 : 0, 0);
}

static char *threshold_text(const obs_chart *ch)
{
    if (ch->threshold_label && *ch->threshold_label)
        return to_cp1252(ch->threshold_label);
    return fmt_number(ch->threshold, step_decimals(ch->threshold));
}

/* Series marker: circle, square, triangle, diamond — shape as well as colour. */
static void draw_marker(HPDF_Page p, obs_marker m, float x, float y, float r)
{
    switch (m) {
    case OBS_MARKER_CIRCLE:
        HPDF_Page_Circle(p, x, y, r);
        break;
    case OBS_MARKER_SQUARE:
        HPDF_Page_Rectangle(p, x - r * 0.9f, y - r * 0.9f, r * 1.8f, r * 1.8f);
        break;
    case OBS_MARKER_TRIANGLE:
        HPDF_Page_MoveTo(p, x, y + r * 1.15f);
        HPDF_Page_LineTo(p, x + r * 1.1f, y - r * 0.8f);
        HPDF_Page_LineTo(p, x - r * 1.1f, y - r * 0.8f);
        HPDF_Page_ClosePath(p);
        break;
    case OBS_MARKER_DIAMOND:
        HPDF_Page_MoveTo(p, x, y + r * 1.2f);
        HPDF_Page_LineTo(p, x + r * 1.2f, y);
        HPDF_Page_LineTo(p, x, y - r * 1.2f);
        HPDF_Page_LineTo(p, x - r * 1.2f, y);
        HPDF_Page_ClosePath(p);
        break;
    }
    HPDF_Page_Fill(p);
}

/* Horizontal-axis title under the plot and vertical one along the left edge. */
static void axis_titles(ctx *c, const char *horizontal, float hx0, float hx1, float hbase,
                        const char *vertical, float vx, float vy0, float vy1)
{
    if (horizontal && *horizontal) {
        char *s = to_cp1252(horizontal);
        char *f = fit_label(c->reg, SMALL_SIZE, s, hx1 - hx0);
        show_aligned(c->page, c->reg, SMALL_SIZE, COL_MUTED, hx0, hx1 - hx0, hbase, f, AL_CENTER);
        g_free(f);
        g_free(s);
    }
    if (vertical && *vertical) {
        char *s = to_cp1252(vertical);
        char *f = fit_label(c->reg, SMALL_SIZE, s, vy1 - vy0);
        float w = str_width(c->reg, SMALL_SIZE, f);
        show_text_rotated(c->page, c->reg, SMALL_SIZE, COL_MUTED, vx,
                          (vy0 + vy1) / 2.0f - w / 2.0f, 90.0f, f);
        g_free(f);
        g_free(s);
    }
}

/* A sentence in place of a plot when a chart has nothing to show (chart_empty()): axes from 0
 * to 1 for counts of nothing would only mislead. */
#define EMPTY_CHART_H 18.0f

static void draw_no_data(ctx *c, float top)
{
    char *t = to_cp1252("Sin registros al corte.");
    show_text(c->page, c->reg, BODY_SIZE, COL_MUTED, c->x0, top - 12.0f, t, 0.0f);
    g_free(t);
}

/* Vertical dashed threshold line (hbar) drawn under the bars. */
static void hbar_threshold_line(ctx *c, const obs_chart *ch, const axis *a, float px0, float px1,
                                float pbot, float ptop)
{
    if (!ch->has_threshold || !finite_value(ch->threshold))
        return;
    float x = axis_map(a, ch->threshold, px0, px1);
    set_dash(c->page, true);
    stroke_line(c->page, COL_THRESHOLD, 0.9f, x, pbot, x, ptop + 2.0f);
    set_dash(c->page, false);
}

/* The threshold's label above the plot, centred on its line but kept on the page. */
static void hbar_threshold_label(ctx *c, const obs_chart *ch, const axis *a, float px0, float px1,
                                 float ptop)
{
    if (!ch->has_threshold || !finite_value(ch->threshold))
        return;
    float x = axis_map(a, ch->threshold, px0, px1);
    char *s = threshold_text(ch);
    char *fit = fit_label(c->reg, CHART_LABEL_SIZE, s, text_w(c));
    float w = str_width(c->reg, CHART_LABEL_SIZE, fit);
    float lx = fminf(fmaxf(x - w / 2.0f, c->x0), c->x1 - w);
    show_text(c->page, c->reg, CHART_LABEL_SIZE, COL_THRESHOLD, lx, ptop + 4.0f, fit, 0.0f);
    g_free(fit);
    g_free(s);
}

/* Value ticks and vertical gridlines under an hbar plot. */
static void hbar_value_axis(ctx *c, const axis *a, float px0, float px1, float pbot, float ptop)
{
    for (double v = a->lo; v <= a->hi + a->step * 1e-6; v += a->step) {
        float x = axis_map(a, v, px0, px1);
        stroke_line(c->page, COL_GRID, 0.4f, x, pbot, x, ptop);
        char *s = fmt_number(v, a->decimals);
        show_aligned(c->page, c->reg, CHART_LABEL_SIZE, COL_MUTED, x - 30.0f, 60.0f, pbot - 9.0f,
                     s, AL_CENTER);
        g_free(s);
    }
}

/* model.h: highlight colours bars only in single-series charts (and then their labels too). */
static bool hbar_flagged(const obs_chart *ch, size_t i)
{
    return ch->nseries == 1 && ch->highlight[i];
}

/* Geometry of a horizontal bar chart. */
typedef struct hplot {
    axis a;
    float row_h, lab, bar_h, value_size;
    size_t label_step; /* category labels every label_step rows when rows are tiny */
    float cat_w, px0, px1, ptop, pbot;
} hplot;

static float hplot_height(const obs_chart *ch, float max_h, hplot *hp)
{
    size_t n = ch->ncats, ns = ch->nseries ? ch->nseries : 1;
    float thr_h = ch->has_threshold ? 12.0f : 3.0f;
    float fixed = thr_h + 4.0f + 10.0f + (ch->x_title && *ch->x_title ? 11.0f : 0.0f);
    hp->row_h = ns == 1 ? 13.0f : fmaxf(13.0f, (float)ns * 6.0f + 4.0f);
    if (n > 0 && fixed + (float)n * hp->row_h > max_h)
        hp->row_h = fmaxf(2.0f, (max_h - fixed) / (float)n);
    /* Labels stay legible (5 pt at least); when rows are thinner, only some are labelled. */
    hp->lab = fmaxf(5.0f, fminf(7.5f, hp->row_h * 0.78f));
    hp->label_step = (size_t)ceilf(hp->lab * 1.15f / hp->row_h);
    if (hp->label_step < 1)
        hp->label_step = 1;
    hp->bar_h = hp->row_h * 0.72f / (float)ns;
    hp->value_size = fminf(CHART_VALUE_SIZE, hp->bar_h * 1.05f);
    return fixed + (float)n * hp->row_h;
}

static void hplot_columns(ctx *c, const obs_chart *ch, hplot *hp, float top)
{
    float W = text_w(c);
    int vdec = value_decimals(ch);
    float yt_w = ch->y_title && *ch->y_title ? 12.0f : 0.0f;
    float vl_w = 0.0f;
    hp->cat_w = 0.0f;
    for (size_t i = 0; i < ch->ncats; i++) {
        char *s = to_cp1252(ch->cats[i]);
        hp->cat_w = fmaxf(hp->cat_w, str_width(font_of(c, hbar_flagged(ch, i)), hp->lab, s));
        g_free(s);
        for (size_t k = 0; k < ch->nseries; k++) {
            char *v = fmt_number(ch->series[k].values[i], vdec);
            vl_w = fmaxf(vl_w, str_width(c->bold, hp->value_size, v));
            g_free(v);
        }
    }
    hp->cat_w = fminf(hp->cat_w, W * 0.30f);
    hp->px0 = c->x0 + yt_w + hp->cat_w + 6.0f;
    hp->px1 = c->x1 - vl_w - 4.0f;
    /* Half a tick label may stick out right of the plot: keep it on the page. */
    hp->px1 = fminf(hp->px1, c->x1 - tick_label_width(c, &hp->a) / 2.0f);
    hp->ptop = top - (ch->has_threshold ? 12.0f : 3.0f);
    hp->pbot = hp->ptop - (float)ch->ncats * hp->row_h;
}

static void hbar_bars(ctx *c, const obs_chart *ch, const hplot *hp)
{
    size_t ns = ch->nseries ? ch->nseries : 1;
    int vdec = value_decimals(ch);
    bool labels = hp->value_size >= 5.0f;
    float x_zero = axis_map(&hp->a, 0.0, hp->px0, hp->px1);
    for (size_t i = 0; i < ch->ncats; i++) {
        float rtop = hp->ptop - (float)i * hp->row_h;
        float first = rtop - (hp->row_h - hp->bar_h * (float)ns) / 2.0f;
        bool hl = hbar_flagged(ch, i);
        for (size_t k = 0; k < ch->nseries; k++) {
            double v = ch->series[k].values[i];
            if (!finite_value(v))
                continue;
            float xb = axis_map(&hp->a, v, hp->px0, hp->px1);
            float by = first - (float)(k + 1) * hp->bar_h;
            fill_swatch(c->page, hl ? flag_swatch() : series_swatch(ch, k), fminf(x_zero, xb),
                        by + hp->bar_h * 0.05f, fabsf(xb - x_zero), hp->bar_h * 0.9f);
            if (labels) {
                char *s = fmt_number(v, vdec);
                HPDF_Font f = font_of(c, hl);
                float w = str_width(f, hp->value_size, s);
                float lx = v >= 0 ? xb + 2.0f : xb - 2.0f - w;
                show_text(c->page, f, hp->value_size, hl ? rgb_of(flag_swatch().rgb) : COL_TEXT, lx,
                          by + hp->bar_h / 2.0f - hp->value_size * 0.36f, s, 0.0f);
                g_free(s);
            }
        }
        if (i % hp->label_step == 0) {
            char *cat = to_cp1252(ch->cats[i]);
            HPDF_Font f = font_of(c, hl);
            char *fit = fit_label(f, hp->lab, cat, hp->cat_w);
            show_aligned(c->page, f, hp->lab, hl ? rgb_of(flag_swatch().rgb) : COL_TEXT,
                         hp->px0 - 4.0f - hp->cat_w, hp->cat_w,
                         rtop - hp->row_h / 2.0f - hp->lab * 0.36f, fit, AL_RIGHT);
            g_free(fit);
            g_free(cat);
        }
    }
    stroke_line(c->page, COL_MUTED, 0.6f, x_zero, hp->pbot, x_zero, hp->ptop);
}

/*
 * Horizontal bars, one row per category (in the model's order), one bar per
 * series. As model.h says, x_title names the horizontal axis (the values
 * here) and y_title the vertical one (the categories).
 */
static float hbar_body(ctx *c, const obs_chart *ch, float top, float max_h, bool draw)
{
    if (obs_chart_empty(ch)) {
        if (draw)
            draw_no_data(c, top);
        return EMPTY_CHART_H;
    }
    hplot hp;
    float body_h = hplot_height(ch, max_h, &hp);
    if (!draw)
        return body_h;
    hp.a = chart_axis(ch, 5);
    hplot_columns(c, ch, &hp, top);
    HPDF_Page_GSave(c->page);
    hbar_value_axis(c, &hp.a, hp.px0, hp.px1, hp.pbot, hp.ptop);
    /* The threshold line goes under the bars and their labels. */
    hbar_threshold_line(c, ch, &hp.a, hp.px0, hp.px1, hp.pbot, hp.ptop);
    hbar_bars(c, ch, &hp);
    hbar_threshold_label(c, ch, &hp.a, hp.px0, hp.px1, hp.ptop);
    axis_titles(c, ch->x_title, hp.px0, hp.px1, hp.pbot - 20.0f, ch->y_title, c->x0 + 7.0f,
                hp.pbot, hp.ptop);
    HPDF_Page_GRestore(c->page);
    return body_h;
}

/* Geometry shared by the vertical charts (columns and lines). */
typedef struct vplot {
    axis a;
    float px0, px1, ptop, pbot;
    float slot;      /* width per category */
    size_t step;     /* label every step-th category */
    bool rotate;     /* labels at 45° */
    float label_w;   /* widest (cut) category label */
    float labels_h;  /* room under the plot for category labels */
    float title_h;   /* room for the horizontal axis title */
} vplot;

#define VPLOT_LABEL_MAX 80.0f
#define SIN45 0.7071f

/*
 * Category labels: columns label every group, horizontally when the labels
 * fit, else at 45° (thinned only if even that is too dense); lines thin
 * horizontal labels, rotating only when fewer than three would remain.
 */
static void vplot_labels(const obs_chart *ch, vplot *vp)
{
    size_t n = ch->ncats ? ch->ncats : 1;
    size_t step_h = (size_t)ceilf((vp->label_w + 6.0f) / vp->slot);
    size_t step_r = (size_t)ceilf(CHART_LABEL_SIZE * 1.6f / vp->slot);
    if (ch->kind == OBS_CHART_LINE)
        vp->rotate = (n + step_h - 1) / step_h < 3 && n >= 3;
    else
        vp->rotate = step_h > 1;
    vp->step = vp->rotate ? step_r : step_h;
    if (vp->step < 1)
        vp->step = 1;
}

static float vplot_layout(const ctx *c, const obs_chart *ch, float top, float max_h, vplot *vp)
{
    size_t n = ch->ncats ? ch->ncats : 1;
    vp->a = chart_axis(ch, 5);
    float yt_w = ch->y_title && *ch->y_title ? 12.0f : 0.0f;
    vp->px0 = c->x0 + yt_w + tick_label_width(c, &vp->a) + 5.0f;
    vp->px1 = c->x1 - 4.0f;
    vp->label_w = 0.0f;
    for (size_t i = 0; i < ch->ncats; i++) {
        char *s = to_cp1252(ch->cats[i]);
        vp->label_w = fmaxf(vp->label_w, str_width(c->reg, CHART_LABEL_SIZE, s));
        g_free(s);
    }
    vp->label_w = fminf(vp->label_w, VPLOT_LABEL_MAX);
    vp->slot = (vp->px1 - vp->px0) / (float)n;
    vplot_labels(ch, vp);
    if (vp->rotate) {
        /* The first label runs down-left from its tick: keep it inside the margin. */
        float need = c->x0 + vp->label_w * SIN45 + 2.0f;
        for (int k = 0; k < 2 && vp->px0 + vp->slot / 2.0f < need; k++) {
            vp->px0 = need - vp->slot / 2.0f;
            vp->slot = (vp->px1 - vp->px0) / (float)n;
        }
        vplot_labels(ch, vp);
    } else if (!vp->rotate && vp->label_w / 2.0f > vp->slot / 2.0f + (vp->px0 - c->x0)) {
        vp->px0 = c->x0 + vp->label_w / 2.0f - vp->slot / 2.0f;
        vp->slot = (vp->px1 - vp->px0) / (float)n;
    }
    vp->labels_h = vp->rotate ? (vp->label_w + CHART_LABEL_SIZE) * SIN45 + 8.0f : 12.0f;
    vp->title_h = ch->x_title && *ch->x_title ? 11.0f : 0.0f;
    float pad_top = ch->has_threshold ? 13.0f : 6.0f;
    float want = (ch->height > 0 ? (float)ch->height : CHART_COLUMN_PLOT_H) * fmaxf(c->dens, CHART_MIN_DENS);
    float plot_h = fminf(want, max_h - pad_top - vp->labels_h - vp->title_h);
    plot_h = fmaxf(plot_h, 40.0f);
    vp->ptop = top - pad_top;
    vp->pbot = vp->ptop - plot_h;
    return pad_top + plot_h + vp->labels_h + vp->title_h;
}

static float vplot_x(const vplot *vp, size_t i)
{
    return vp->px0 + ((float)i + 0.5f) * vp->slot;
}

static void vplot_category_labels(ctx *c, const obs_chart *ch, const vplot *vp)
{
    HPDF_Page p = c->page;
    for (size_t i = 0; i < ch->ncats; i += vp->step) {
        char *cat = to_cp1252(ch->cats[i]);
        char *fit = fit_label(c->reg, CHART_LABEL_SIZE, cat, VPLOT_LABEL_MAX);
        float x = vplot_x(vp, i);
        stroke_line(p, COL_MUTED, 0.5f, x, vp->pbot, x, vp->pbot - 2.5f);
        if (vp->rotate) {
            /* Text rises at 45°; the middle of its end sits just under the tick. */
            float d = str_width(c->reg, CHART_LABEL_SIZE, fit) * SIN45;
            float half = CHART_LABEL_SIZE * 0.36f * SIN45;
            show_text_rotated(p, c->reg, CHART_LABEL_SIZE, COL_TEXT, x + half - d,
                              vp->pbot - 6.0f - half - d, 45.0f, fit);
        } else {
            show_aligned(p, c->reg, CHART_LABEL_SIZE, COL_TEXT, x - 60.0f, 120.0f,
                         vp->pbot - 10.0f, fit, AL_CENTER);
        }
        g_free(fit);
        g_free(cat);
    }
}

/* A dashed threshold line across the plot, with its key above the plot's right end
 * (a label on the line itself would sit on top of the bars). */
static void vplot_threshold(ctx *c, const obs_chart *ch, const vplot *vp)
{
    if (!ch->has_threshold || !finite_value(ch->threshold))
        return;
    HPDF_Page p = c->page;
    float y = axis_map(&vp->a, ch->threshold, vp->pbot, vp->ptop);
    set_dash(p, true);
    stroke_line(p, COL_THRESHOLD, 0.9f, vp->px0, y, vp->px1, y);
    char *s = threshold_text(ch);
    char *fit = fit_label(c->reg, CHART_LABEL_SIZE, s, vp->px1 - vp->px0 - 22.0f);
    float w = str_width(c->reg, CHART_LABEL_SIZE, fit);
    float base = vp->ptop + 4.0f;
    stroke_line(p, COL_THRESHOLD, 0.9f, vp->px1 - w - 20.0f, base + 2.5f, vp->px1 - w - 4.0f,
                base + 2.5f);
    set_dash(p, false);
    show_text(p, c->reg, CHART_LABEL_SIZE, COL_THRESHOLD, vp->px1 - w, base, fit, 0.0f);
    g_free(fit);
    g_free(s);
}

/* Gridlines, value ticks, category labels and axis titles. */
static void vplot_axes(ctx *c, const obs_chart *ch, const vplot *vp)
{
    HPDF_Page p = c->page;
    for (double v = vp->a.lo; v <= vp->a.hi + vp->a.step * 1e-6; v += vp->a.step) {
        float y = axis_map(&vp->a, v, vp->pbot, vp->ptop);
        bool zero = fabs(v) < vp->a.step * 1e-6;
        stroke_line(p, zero ? COL_MUTED : COL_GRID, zero ? 0.6f : 0.4f, vp->px0, y, vp->px1, y);
        char *s = fmt_number(v, vp->a.decimals);
        show_aligned(p, c->reg, CHART_LABEL_SIZE, COL_MUTED, vp->px0 - 64.0f, 60.0f,
                     y - CHART_LABEL_SIZE * 0.36f, s, AL_RIGHT);
        g_free(s);
    }
    vplot_category_labels(c, ch, vp);
    axis_titles(c, ch->x_title, vp->px0, vp->px1, vp->pbot - vp->labels_h - 8.0f, ch->y_title,
                c->x0 + 7.0f, vp->pbot, vp->ptop);
}

/* Vertical bars grouped by category: nseries bars per group. */
static float column_body(ctx *c, const obs_chart *ch, float top, float max_h, bool draw)
{
    if (obs_chart_empty(ch)) {
        if (draw)
            draw_no_data(c, top);
        return EMPTY_CHART_H;
    }
    vplot vp;
    float h = vplot_layout(c, ch, top, max_h, &vp);
    if (!draw)
        return h;
    HPDF_Page p = c->page;
    size_t ns = ch->nseries ? ch->nseries : 1;
    HPDF_Page_GSave(p);
    vplot_axes(c, ch, &vp);
    float group = vp.slot * 0.8f, bw = group / (float)ns;
    float gap = bw > 4.0f ? bw * 0.12f : 0.0f;
    float y0 = axis_map(&vp.a, 0.0, vp.pbot, vp.ptop);
    for (size_t i = 0; i < ch->ncats; i++) {
        float gx = vp.px0 + (float)i * vp.slot + (vp.slot - group) / 2.0f;
        for (size_t k = 0; k < ch->nseries; k++) {
            double v = ch->series[k].values[i];
            if (!finite_value(v))
                continue;
            float y = axis_map(&vp.a, v, vp.pbot, vp.ptop);
            obs_swatch sw = (ch->nseries == 1 && ch->highlight[i]) ? flag_swatch() : series_swatch(ch, k);
            fill_swatch(p, sw, gx + (float)k * bw + gap / 2.0f, fminf(y, y0), bw - gap, fabsf(y - y0));
        }
    }
    stroke_line(p, COL_MUTED, 0.6f, vp.px0, y0, vp.px1, y0);
    vplot_threshold(c, ch, &vp);
    HPDF_Page_GRestore(p);
    return h;
}

/* Lines with small markers over the categories (e.g. weeks). */
static float line_body(ctx *c, const obs_chart *ch, float top, float max_h, bool draw)
{
    if (obs_chart_empty(ch)) {
        if (draw)
            draw_no_data(c, top);
        return EMPTY_CHART_H;
    }
    vplot vp;
    float h = vplot_layout(c, ch, top, max_h, &vp);
    if (!draw)
        return h;
    HPDF_Page p = c->page;
    HPDF_Page_GSave(p);
    vplot_axes(c, ch, &vp);
    vplot_threshold(c, ch, &vp);
    HPDF_Page_SetLineJoin(p, HPDF_ROUND_JOIN);
    HPDF_Page_SetLineCap(p, HPDF_ROUND_END);
    for (size_t k = 0; k < ch->nseries; k++) {
        obs_swatch sw = series_swatch(ch, k);
        rgb col = rgb_of(sw.rgb);
        set_stroke(p, col);
        HPDF_Page_SetLineWidth(p, 1.4f);
        bool pen = false, path = false;
        for (size_t i = 0; i < ch->ncats; i++) {
            double v = ch->series[k].values[i];
            if (!finite_value(v)) { /* a gap in the data breaks the line */
                pen = false;
                continue;
            }
            float x = vplot_x(&vp, i), y = axis_map(&vp.a, v, vp.pbot, vp.ptop);
            if (pen)
                HPDF_Page_LineTo(p, x, y);
            else
                HPDF_Page_MoveTo(p, x, y);
            pen = path = true;
        }
        if (path) /* libharu refuses to stroke an empty path */
            HPDF_Page_Stroke(p);
        if (vp.slot >= 4.0f) {
            set_fill(p, col);
            for (size_t i = 0; i < ch->ncats; i++) {
                double v = ch->series[k].values[i];
                if (finite_value(v))
                    draw_marker(p, sw.marker, vplot_x(&vp, i), axis_map(&vp.a, v, vp.pbot, vp.ptop),
                                fminf(1.9f, vp.slot * 0.3f));
            }
        }
    }
    HPDF_Page_GRestore(p);
    return h;
}

#define LEGEND_SIZE 7.5f
#define LEGEND_ROW 11.0f

static float legend_swatch_w(const obs_chart *ch)
{
    return ch->kind == OBS_CHART_LINE ? 16.0f : 8.0f;
}

/* Legend rows (nseries > 1): swatch + name, flowed and centred. Returns the height. */
static float legend(ctx *c, const obs_chart *ch, float top, bool draw)
{
    if (ch->nseries < 2 || ch->empty_text || obs_chart_empty(ch))
        return 0.0f;
    float W = text_w(c), sw = legend_swatch_w(ch), gap = 14.0f;
    size_t n = ch->nseries, start = 0;
    float y = top - 3.0f;
    float h = 3.0f;
    while (start < n) {
        float row_w = 0.0f;
        size_t end = start;
        while (end < n) {
            char *s = to_cp1252(ch->series[end].name);
            float iw = sw + 3.0f + fminf(str_width(c->reg, LEGEND_SIZE, s), W - sw - 3.0f);
            g_free(s);
            if (end > start && row_w + gap + iw > W)
                break;
            row_w += (end > start ? gap : 0.0f) + iw;
            end++;
        }
        if (draw) {
            float x = c->x0 + (W - row_w) / 2.0f;
            float base = y - baseline_drop(LEGEND_SIZE, LEGEND_ROW);
            float mid = base + LEGEND_SIZE * 0.33f;
            for (size_t k = start; k < end; k++) {
                obs_swatch key = series_swatch(ch, k);
                rgb col = rgb_of(key.rgb);
                if (ch->kind == OBS_CHART_LINE) {
                    stroke_line(c->page, col, 1.4f, x, mid, x + sw, mid);
                    set_fill(c->page, col);
                    draw_marker(c->page, key.marker, x + sw / 2.0f, mid, 1.9f);
                } else {
                    fill_swatch(c->page, key, x, mid - sw / 2.0f, sw, sw);
                }
                char *s = to_cp1252(ch->series[k].name);
                char *fit = fit_label(c->reg, LEGEND_SIZE, s, W - sw - 3.0f);
                show_text(c->page, c->reg, LEGEND_SIZE, COL_TEXT, x + sw + 3.0f, base, fit, 0.0f);
                x += sw + 3.0f + str_width(c->reg, LEGEND_SIZE, fit) + gap;
                g_free(fit);
                g_free(s);
            }
        }
        y -= LEGEND_ROW;
        h += LEGEND_ROW;
        start = end;
    }
    return h;
}

typedef float (*chart_body_fn)(ctx *c, const obs_chart *ch, float top, float max_h, bool draw);

/* A chart without data: its sentence instead of axes over nothing. */
static float empty_body(ctx *c, const obs_chart *ch, float top, float max_h, bool draw)
{
    (void)max_h;
    tstyle st = par_style(OBS_PAR_NORMAL);
    return text_block(c, ch->empty_text, &st, c->x0, text_w(c), top, draw);
}

static chart_body_fn chart_body(const obs_chart *ch)
{
    if (ch->empty_text)
        return empty_body;
    switch (ch->kind) {
    case OBS_CHART_COLUMN:
        return column_body;
    case OBS_CHART_LINE:
        return line_body;
    case OBS_CHART_HBAR:
    default:
        return hbar_body;
    }
}

/*
 * A chart block: title, plot, legend, note. Charts are never split: the whole
 * block moves to a new page when it does not fit, and the plot shrinks when
 * even a full page is too small. With draw false it only measures.
 */
static float chart_block_drawn(ctx *c, const obs_chart *ch, bool draw, obs_status *status)
{
    tstyle title = caption_style(), note = small_note_style();
    float W = text_w(c);
    float title_h = text_block(c, ch->title, &title, c->x0, W, 0.0f, false);
    /* An empty chart's note would describe bars and lines that are not drawn. */
    const char *note_text = obs_chart_empty(ch) ? NULL : ch->note;
    float note_h = text_block(c, note_text, &note, c->x0, W, 0.0f, false);
    float legend_h = legend(c, ch, 0.0f, false);
    float extra = (title_h > 0 ? title_h + 4.0f : 0.0f) + legend_h + (note_h > 0 ? note_h + 4.0f : 0.0f);
    float max_body = (c->ytop - c->ybot) - extra - 2.0f;
    chart_body_fn body = chart_body(ch);
    float total = extra + body(c, ch, 0.0f, max_body, false);
    *status = OBS_OK;
    if (!draw)
        return total;
    *status = need(c, total);
    if (*status != OBS_OK)
        return total;
    float y = c->y;
    if (title_h > 0) {
        text_block(c, ch->title, &title, c->x0, W, y, true);
        y -= title_h + 4.0f;
    }
    y -= body(c, ch, y, max_body, true);
    y -= legend(c, ch, y, true);
    if (note_h > 0)
        text_block(c, note_text, &note, c->x0, W, y - 4.0f, true);
    c->y -= total;
    c->fresh = false;
    space(c, 12.0f);
    *status = check(c, "dibujar una gráfica");
    return total;
}

/* A chart as the page shows it: bounded to OBS_PDF_CHART_MAX_CATS categories when the model
 * allows it (render.h; the XLSX keeps every category). */
static float chart_block(ctx *c, const obs_chart *ch, bool draw, obs_status *status)
{
    obs_chart *bounded = obs_chart_bounded(ch, OBS_PDF_CHART_MAX_CATS);
    float h = chart_block_drawn(c, bounded ? bounded : ch, draw, status);
    obs_chart_free(bounded);
    return h;
}

/* ---- Load-time check of a table's width ------------------------------------- */

/* Fonts for measuring only (not embedded), loaded once per process. */
typedef struct measurer {
    HPDF_Doc pdf;
    hpdf_state hs;
    HPDF_Font reg, bold;
} measurer;

static measurer *measuring_fonts(void)
{
    static GMutex lock;
    static measurer m;
    static bool tried;
    g_mutex_lock(&lock);
    if (!tried) {
        tried = true;
        const char *regular = NULL, *bold = NULL;
        obs_error ignored = {0};
        if (font_files(&regular, &bold, &ignored) == OBS_OK && (m.pdf = HPDF_New(on_hpdf_error, &m.hs))) {
            const char *r = HPDF_LoadTTFontFromFile(m.pdf, regular, HPDF_FALSE);
            const char *b = r ? HPDF_LoadTTFontFromFile(m.pdf, bold, HPDF_FALSE) : NULL;
            m.reg = r ? HPDF_GetFont(m.pdf, r, "CP1252") : NULL;
            m.bold = b ? HPDF_GetFont(m.pdf, b, "CP1252") : NULL;
        }
    }
    g_mutex_unlock(&lock);
    return m.reg && m.bold ? &m : NULL;
}

obs_status obs_pdf_table_check(const obs_pdf_column_bound *cols, size_t ncols, obs_error *err)
{
    measurer *f = measuring_fonts();
    if (!f || ncols == 0)
        return OBS_OK;
    colneed *m = g_new0(colneed, ncols);
    for (size_t j = 0; j < ncols; j++) {
        char *head = to_cp1252(cols[j].header), *widest = to_cp1252(cols[j].widest);
        need_header(&m[j], f->bold, head);
        need_cell(&m[j], f->bold, widest, cols[j].text);
        g_free(head);
        g_free(widest);
    }
    /* The narrowest page a table can have: Letter, turned to landscape. */
    float W = 792.0f - 2.0f * MARGIN_SIDE;
    float need_w = sum_min(m, ncols, TABLE_MIN_SIZE, false);
    g_free(m);
    if (need_w <= W + WRAP_SLACK)
        return OBS_OK;
    char a[OBS_FMT_MAX], b[OBS_FMT_MAX], c[OBS_FMT_MAX];
    return obs_error_set(err, OBS_ERR_CONFIG, NULL, 0, 0,
                         "la tabla es demasiado ancha aun en una página apaisada: sus %zu columnas necesitan "
                         "%s cm con la letra más pequeña (%s puntos) y la página deja %s cm; quite "
                         "columnas o divídala en dos tablas",
                         ncols, obs_fmt_dec(a, sizeof a, need_w / PT_PER_MM / 10.0, 1),
                         obs_fmt_dec(b, sizeof b, OBS_PDF_TABLE_MIN_SIZE, 1),
                         obs_fmt_dec(c, sizeof c, W / PT_PER_MM / 10.0, 1));
}

#include "render_pdf_front.c"

/* ---- Sections -------------------------------------------------------------- */

/* Whether a table needs a landscape page: its numbers and words do not fit a portrait page's width
 * at the smallest table size (table_size()). */
static bool wants_landscape(const ctx *c, const obs_table *t)
{
    size_t nc = t->ncols;
    if (nc == 0)
        return false;
    char **head = g_new0(char *, nc + 1);
    for (size_t j = 0; j < nc; j++)
        head[j] = to_cp1252(t->cols[j].header);
    char **txt = table_texts(t);
    colneed *m = table_needs(c, t, head, txt);
    bool wide = sum_min(m, nc, TABLE_MIN_SIZE, false) > c->pw - 2.0f * MARGIN_SIDE + WRAP_SLACK;
    g_free(m);
    g_strfreev(head);
    g_strfreev(txt);
    return wide;
}

/* Turns to a landscape page before a table that needs one (and before its heading). */
static obs_status turn_for(ctx *c, const obs_block *b)
{
    if (!b || b->kind != OBS_BLOCK_TABLE || !b->table || !(b->table->targets & OBS_TARGET_PDF) ||
        !wants_landscape(c, b->table))
        return OBS_OK;
    return set_orientation(c, true);
}

static bool block_drawn(const obs_block *b)
{
    return !(b->kind == OBS_BLOCK_TABLE && (!b->table || !(b->table->targets & OBS_TARGET_PDF))) &&
           !(b->kind == OBS_BLOCK_CHART && !b->chart);
}

/* Height of the beginning of a block that must share a page with a heading above it. */
static float block_keep_height(ctx *c, const obs_block *b)
{
    if (!b)
        return 0.0f;
    switch (b->kind) {
    case OBS_BLOCK_PARAGRAPH: {
        tstyle st = par_style(b->style);
        GArray *lines = wrap_utf8(c, &st, b->text, text_w(c));
        float h = (float)(lines->len < 2 ? lines->len : 2) * st.leading;
        g_array_free(lines, TRUE);
        /* A subheading itself needs the first lines of what follows. */
        return b->style == OBS_PAR_HEADING ? h + 6.0f + 2.0f * BODY_LEADING : h;
    }
    case OBS_BLOCK_LIST: {
        if (b->nitems == 0)
            return 0.0f;
        tstyle st = par_style(b->style);
        GArray *lines = wrap_utf8(c, &st, b->items[0], text_w(c) - LIST_INDENT);
        float h = (float)(lines->len < 2 ? lines->len : 2) * st.leading;
        g_array_free(lines, TRUE);
        return h;
    }
    case OBS_BLOCK_TABLE: {
        tlayout *L = table_layout_new(c, b->table);
        float h = table_keep_height(L, c->ytop - c->ybot);
        table_layout_free(L);
        return h;
    }
    case OBS_BLOCK_CHART: {
        obs_status ignored;
        return chart_block(c, b->chart, false, &ignored);
    }
    case OBS_BLOCK_PAGEBREAK:
        break;
    case OBS_BLOCK_SUMMARY:
    case OBS_BLOCK_TOC:
    case OBS_BLOCK_GLOSSARY:
    case OBS_BLOCK_TILEMAP:
        return front_keep_height(c, b);
    }
    return 0.0f;
}

static obs_status add_outline(ctx *c, const char *title_cp, float top)
{
    HPDF_Outline o = HPDF_CreateOutline(c->pdf, NULL, title_cp, c->enc);
    if (!o)
        return hpdf_error(c, "crear un marcador");
    HPDF_Destination d = HPDF_Page_CreateDestination(c->page);
    if (!d)
        return hpdf_error(c, "crear el destino de un marcador");
    HPDF_Destination_SetFitH(d, fminf(top, c->ph));
    HPDF_Outline_SetDestination(o, d);
    c->outlines = true;
    return check(c, "crear un marcador");
}

static obs_status draw_section_heading(ctx *c, const obs_section *sec, const obs_block *next)
{
    obs_status s = turn_for(c, next); /* the heading goes where its table goes */
    if (s != OBS_OK)
        return s;
    tstyle st = {true, SECTION_SIZE, SECTION_LEADING, COL_PRIMARY, AL_LEFT, 0.0f};
    char *t = to_cp1252(sec->title);
    GArray *lines = wrap_text(c->bold, st.size, t, text_w(c), true);
    float h = (float)lines->len * st.leading + 8.0f;
    float keep = block_keep_height(c, next);
    s = need(c, 16.0f * c->dens + h + keep);
    if (s == OBS_OK) {
        space(c, 16.0f);
        float top = c->y;
        for (guint i = 0; i < lines->len; i++) {
            draw_line(c, &st, &g_array_index(lines, line, i), c->x0, text_w(c), c->y);
            c->y -= st.leading;
        }
        stroke_line(c->page, COL_PRIMARY_TINT, 1.0f, c->x0, c->y - 1.5f, c->x1, c->y - 1.5f);
        c->y -= 8.0f;
        c->fresh = false;
        s = add_outline(c, t, top + 6.0f);
    }
    g_array_free(lines, TRUE);
    g_free(t);
    return s;
}

static obs_status draw_block(ctx *c, const obs_block *b, const obs_block *next)
{
    if (b->kind == OBS_BLOCK_PAGEBREAK) {
        c->want_break = true;
        return OBS_OK;
    }
    obs_status s = flush_break(c);
    if (s != OBS_OK)
        return s;
    switch (b->kind) {
    case OBS_BLOCK_PARAGRAPH:
        if (b->style == OBS_PAR_HEADING) {
            s = turn_for(c, next); /* a heading goes where its table goes */
            if (s != OBS_OK)
                return s;
            tstyle st = par_style(b->style);
            float h = text_block(c, b->text, &st, c->x0, text_w(c), 0.0f, false);
            s = need(c, 6.0f + h + block_keep_height(c, next));
        }
        return s != OBS_OK ? s : draw_paragraph(c, b);
    case OBS_BLOCK_LIST:
        return draw_list(c, b);
    case OBS_BLOCK_TABLE:
        s = turn_for(c, b);
        if (s == OBS_OK)
            s = draw_table(c, b->table);
        /* What follows a landscape table starts a portrait page. */
        return s != OBS_OK ? s : set_orientation(c, false);
    case OBS_BLOCK_CHART:
        chart_block(c, b->chart, true, &s);
        return s;
    case OBS_BLOCK_PAGEBREAK:
        break;
    case OBS_BLOCK_SUMMARY:
    case OBS_BLOCK_TOC:
    case OBS_BLOCK_GLOSSARY:
    case OBS_BLOCK_TILEMAP:
        return front_block(c, b);
    }
    return OBS_OK;
}

static const obs_block *next_drawn(const obs_section *sec, size_t from)
{
    for (size_t i = from; i < sec->nblocks; i++)
        if (block_drawn(&sec->blocks[i]))
            return &sec->blocks[i];
    return NULL;
}

/* ---- Letters: the signature block stays whole ------------------------------ */

/* Height of a paragraph or a list as draw_paragraph() and draw_list() lay it out, with the space
 * after it; -1 for any other block. */
static float text_height(ctx *c, const obs_block *b)
{
    tstyle st = par_style(b->style);
    if (b->kind == OBS_BLOCK_PARAGRAPH) {
        GArray *lines = wrap_utf8(c, &st, b->text, text_w(c));
        float h = (float)lines->len * st.leading + st.space_after + (b->style == OBS_PAR_HEADING ? 6.0f : 0.0f);
        g_array_free(lines, TRUE);
        return h;
    }
    if (b->kind != OBS_BLOCK_LIST)
        return -1.0f;
    float h = st.space_after;
    for (size_t i = 0; i < b->nitems; i++) {
        GArray *lines = wrap_utf8(c, &st, b->items[i], text_w(c) - LIST_INDENT);
        h += (float)lines->len * st.leading + 2.5f;
        g_array_free(lines, TRUE);
    }
    return h;
}

/* Where a letter's signature block starts in a section: the first centred paragraph ("A T E N T A
 * M E N T E"), with the short closing paragraph before it ("Sin otro particular…"); or nblocks. */
static size_t letter_closing(ctx *c, const obs_section *sec)
{
    for (size_t i = 0; i < sec->nblocks; i++) {
        const obs_block *b = &sec->blocks[i];
        if (b->kind != OBS_BLOCK_PARAGRAPH || b->style != OBS_PAR_CENTER)
            continue;
        const obs_block *before = i > 0 ? &sec->blocks[i - 1] : NULL;
        bool closing_line = before && before->kind == OBS_BLOCK_PARAGRAPH && before->style == OBS_PAR_NORMAL &&
                            text_height(c, before) <= 2.0f * BODY_LEADING + par_style(OBS_PAR_NORMAL).space_after;
        return closing_line ? i - 1 : i;
    }
    return sec->nblocks;
}

/* A letter's signature block and what follows it in its section (the validation note, the c.c.p.
 * list) up to a table, a chart or a page break, move to the next page together when they do not
 * fit below the cursor: a signature never ends a page without its c.c.p. One taller than a page
 * flows as usual. */
static obs_status keep_closing(ctx *c, const obs_section *sec, size_t from)
{
    float h = 0.0f;
    for (size_t i = from; i < sec->nblocks; i++) {
        const obs_block *b = &sec->blocks[i];
        float bh = block_drawn(b) ? text_height(c, b) : 0.0f;
        if (bh < 0.0f)
            break;
        h += bh;
    }
    obs_status s = flush_break(c);
    return s == OBS_OK && h <= c->ytop - c->ybot ? need(c, h) : s;
}

static obs_status draw_section(ctx *c, const obs_section *sec)
{
    if (sec->new_page)
        c->want_break = true;
    obs_status s = OBS_OK;
    if (sec->title && *sec->title) {
        s = flush_break(c);
        if (s == OBS_OK)
            s = draw_section_heading(c, sec, next_drawn(sec, 0));
        front_mark(c, sec, c->pages->len);
    }
    size_t closing = c->doc->layout == OBS_LAYOUT_LETTER ? letter_closing(c, sec) : sec->nblocks;
    for (size_t i = 0; s == OBS_OK && i < sec->nblocks; i++) {
        const obs_block *b = &sec->blocks[i];
        if (i == closing)
            s = keep_closing(c, sec, i);
        if (s == OBS_OK && block_drawn(b))
            s = front_draw(c, b, next_drawn(sec, i + 1));
    }
    return s;
}

/* ---- First page: cover, title block, letterhead ---------------------------- */

/* CRC-32 of PNG chunks (ISO 3309, reflected polynomial 0xEDB88320). */
static uint32_t png_crc(const guchar *p, size_t n)
{
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return crc ^ 0xffffffffu;
}

static uint32_t be32(const guchar *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool png_ihdr_ok(const guchar *d)
{
    uint32_t w = be32(d), h = be32(d + 4);
    unsigned depth = d[8], type = d[9];
    bool depth_ok = (type == 0 && (depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16)) ||
                    (type == 3 && (depth == 1 || depth == 2 || depth == 4 || depth == 8)) ||
                    ((type == 2 || type == 4 || type == 6) && (depth == 8 || depth == 16));
    return w > 0 && h > 0 && w <= 20000 && h <= 20000 && depth_ok && d[10] == 0 && d[11] == 0 &&
           d[12] <= 1;
}

/*
 * libharu 2.3.0 hands PNGs to libpng with an error callback that returns
 * instead of longjmp-ing, so libpng abort()s the whole process on a malformed
 * file. The structure is therefore checked first: signature, chunk lengths and
 * CRCs, IHDR values, chunk order, PLTE for palette images, IDAT, IEND. This
 * rejects truncated, corrupted and mislabelled files; only a PNG whose CRCs
 * are right around a broken zlib stream would still reach libpng's abort().
 */
static bool png_is_sound(const guchar *d, size_t n)
{
    static const guchar sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (n < 8 || memcmp(d, sig, 8) != 0)
        return false;
    size_t pos = 8;
    bool ihdr = false, plte = false, idat = false, idat_ended = false;
    unsigned type = 0;
    while (pos + 12 <= n) {
        uint32_t len = be32(d + pos);
        if (len > 0x7fffffffu || len > n - pos - 12)
            return false;
        const guchar *tag = d + pos + 4, *data = tag + 4;
        if (png_crc(tag, (size_t)len + 4) != be32(data + len))
            return false;
        for (int k = 0; k < 4; k++)
            if (!g_ascii_isalpha(tag[k]))
                return false;
        bool is_idat = memcmp(tag, "IDAT", 4) == 0;
        if (!ihdr) {
            if (memcmp(tag, "IHDR", 4) != 0 || len != 13 || !png_ihdr_ok(data))
                return false;
            ihdr = true;
            type = data[9];
        } else if (memcmp(tag, "IEND", 4) == 0) {
            return len == 0 && idat && (type != 3 || plte);
        } else if (memcmp(tag, "PLTE", 4) == 0) {
            if (idat || plte || len == 0 || len % 3 != 0 || len > 768 || type == 0 || type == 4)
                return false;
            plte = true;
        } else if (is_idat) {
            if (idat_ended)
                return false; /* IDAT chunks must be consecutive */
            idat = true;
        } else if (g_ascii_isupper(tag[0])) {
            return false; /* an unknown critical chunk */
        }
        if (idat && !is_idat)
            idat_ended = true;
        pos += 12 + (size_t)len;
    }
    return false; /* no IEND */
}

/* Loads the optional logo (PNG or JPEG, told by content) from memory, so the
 * bytes checked are the bytes loaded. Any problem is a configuration error
 * naming the file. */
static obs_status load_logo(ctx *c)
{
    const char *path = c->doc->cover.logo_path;
    if (!path || !*path)
        return OBS_OK;
    gchar *data = NULL;
    gsize n = 0;
    GError *e = NULL;
    if (!g_file_get_contents(path, &data, &n, &e)) {
        obs_status s = obs_error_set(c->err, OBS_ERR_CONFIG, path, 0, 0,
                                     "no se puede leer el logotipo: %s", obs_gerror_str(e));
        g_error_free(e);
        return s;
    }
    const guchar *d = (const guchar *)data;
    obs_status s = OBS_OK;
    if (n >= 8 && d[0] == 0x89 && memcmp(d + 1, "PNG", 3) == 0) {
        if (png_is_sound(d, n))
            c->logo = HPDF_LoadPngImageFromMem(c->pdf, d, (HPDF_UINT)n);
        else
            s = obs_error_set(c->err, OBS_ERR_CONFIG, path, 0, 0,
                              "el logotipo no es un PNG válido (archivo truncado o dañado)");
    } else if (n >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff) {
        c->logo = HPDF_LoadJpegImageFromMem(c->pdf, d, (HPDF_UINT)n);
    } else {
        s = obs_error_set(c->err, OBS_ERR_CONFIG, path, 0, 0,
                          "el logotipo no es una imagen PNG ni JPEG");
    }
    g_free(data);
    if (s == OBS_OK && (!c->logo || failed(c) || HPDF_Image_GetWidth(c->logo) == 0 ||
                        HPDF_Image_GetHeight(c->logo) == 0))
        s = obs_error_set(c->err, OBS_ERR_CONFIG, path, 0, 0,
                          "libharu no pudo cargar el logotipo (error 0x%04X); "
                          "use un PNG o JPEG válido",
                          (unsigned)c->hs.error_no);
    return s;
}

/* Draws the logo with its top at `top`, at most max_w × max_h; returns its size. */
static void draw_logo(ctx *c, float x, float top, float max_w, float max_h, halign al,
                      float *w_out, float *h_out)
{
    float iw = (float)HPDF_Image_GetWidth(c->logo), ih = (float)HPDF_Image_GetHeight(c->logo);
    float h = max_h, w = h * iw / ih;
    if (w > max_w) {
        w = max_w;
        h = w * ih / iw;
    }
    float lx = al == AL_CENTER ? x + (max_w - w) / 2.0f : x;
    HPDF_Page_DrawImage(c->page, c->logo, lx, top - h, w, h);
    *w_out = w;
    *h_out = h;
}

/* Centred, wrapped text in [x, x+w]; returns the y below it. */
static float centred_in(ctx *c, const char *utf8, bool bold, float size, float leading, rgb col,
                        float x, float w, float top)
{
    tstyle st = {bold, size, leading, col, AL_CENTER, 0.0f};
    return top - text_block(c, utf8, &st, x, w, top, true);
}

static float centred(ctx *c, const char *utf8, bool bold, float size, float leading, rgb col,
                     float top)
{
    return centred_in(c, utf8, bold, size, leading, col, c->x0, text_w(c), top);
}

static void draw_cover(ctx *c)
{
    const obs_cover *cv = &c->doc->cover;
    float W = text_w(c), cx = (c->x0 + c->x1) / 2.0f;
    float y = c->ytop;
    if (c->logo) {
        float lw, lh;
        draw_logo(c, c->x0 + W * 0.25f, y, W * 0.5f, 40.0f * PT_PER_MM, AL_CENTER, &lw, &lh);
        y -= lh + 18.0f;
    }
    y = centred(c, cv->institution, true, 15.0f, 19.0f, COL_TEXT, y);
    y = centred(c, cv->area, false, 12.0f, 16.0f, COL_TEXT, y - 2.0f);
    y -= 12.0f;
    stroke_line(c->page, COL_PRIMARY, 1.5f, cx - W * 0.3f, y, cx + W * 0.3f, y);

    /* The title sits a little above the middle of the page, or below the top block. */
    float ty = fminf(y - 60.0f, c->ph * 0.64f);
    ty = centred(c, cv->title, true, 24.0f, 30.0f, COL_PRIMARY, ty);
    ty = centred(c, cv->subtitle, false, 14.0f, 18.0f, COL_TEXT, ty - 14.0f);
    centred(c, cv->corte, false, 12.0f, 16.0f, COL_MUTED, ty - 8.0f);

    if (cv->place_date && *cv->place_date) {
        float base_top = c->ybot + 16.0f;
        stroke_line(c->page, COL_PRIMARY, 0.8f, cx - W * 0.3f, base_top + 14.0f,
                    cx + W * 0.3f, base_top + 14.0f);
        centred(c, cv->place_date, false, 11.0f, 14.0f, COL_TEXT, base_top);
    }
    c->fresh = false;
}

/* BRIEF: institution, area, rule, title, subtitle, corte at the top of page 1. */
static void draw_title_block(ctx *c)
{
    const obs_cover *cv = &c->doc->cover;
    float W = text_w(c), x = c->x0, y = c->y, logo_h = 0.0f;
    if (c->logo) {
        float lw;
        draw_logo(c, c->x0, y, W * 0.3f, 16.0f * PT_PER_MM, AL_LEFT, &lw, &logo_h);
        x += lw + 10.0f; /* the text starts beside the logo */
        W -= lw + 10.0f;
    }
    tstyle inst = {true, 10.5f, 13.5f, COL_TEXT, AL_LEFT, 0.0f};
    tstyle area = {false, 9.5f, 12.5f, COL_MUTED, AL_LEFT, 0.0f};
    float top = y;
    y -= text_block(c, cv->institution, &inst, x, W, y, true);
    y -= text_block(c, cv->area, &area, x, W, y, true);
    if (c->logo)
        y = fminf(y, top - logo_h);
    y -= 5.0f;
    stroke_line(c->page, COL_PRIMARY, 1.0f, c->x0, y, c->x1, y);
    y -= 12.0f;
    tstyle title = {true, 17.0f, 21.0f, COL_PRIMARY, AL_LEFT, 0.0f};
    tstyle sub = {false, 11.5f, 15.0f, COL_TEXT, AL_LEFT, 0.0f};
    tstyle corte = {false, 9.5f, 12.5f, COL_MUTED, AL_LEFT, 0.0f};
    y -= text_block(c, cv->title, &title, c->x0, text_w(c), y, true);
    y -= text_block(c, cv->subtitle, &sub, c->x0, text_w(c), y - 2.0f, true) + 2.0f;
    y -= text_block(c, cv->corte, &corte, c->x0, text_w(c), y - 2.0f, true) + 2.0f;
    c->y = y - 10.0f;
    c->fresh = false;
}

/* LETTER: centred institution and area over a rule, logo at the left. */
static void draw_letterhead(ctx *c)
{
    const obs_cover *cv = &c->doc->cover;
    float top = c->y, y = top, logo_h = 0.0f, inset = 0.0f;
    if (c->logo) {
        float lw;
        draw_logo(c, c->x0, top, text_w(c) * 0.25f, 16.0f * PT_PER_MM, AL_LEFT, &lw, &logo_h);
        inset = lw + 8.0f; /* both sides, so the text stays centred on the page */
    }
    float x = c->x0 + inset, w = text_w(c) - 2.0f * inset;
    y = centred_in(c, cv->institution, true, 13.0f, 16.5f, COL_TEXT, x, w, y);
    y = centred_in(c, cv->area, false, 10.0f, 13.0f, COL_MUTED, x, w, y);
    y = fminf(y, top - logo_h) - 6.0f;
    stroke_line(c->page, COL_PRIMARY, 1.0f, c->x0, y, c->x1, y);
    c->y = y - 18.0f;
    c->fresh = false;
}

/* ---- Running header and footer (after layout, when the page count is known) */

/* Header and footer follow each page's own size: a landscape page is wider. */
static void draw_header(ctx *c, HPDF_Page p)
{
    float x1 = HPDF_Page_GetWidth(p) - MARGIN_SIDE, ph = HPDF_Page_GetHeight(p);
    char *t = to_cp1252(c->doc->header);
    char *fit = fit_label(c->reg, SMALL_SIZE, t, x1 - MARGIN_SIDE);
    show_text(p, c->reg, SMALL_SIZE, COL_MUTED, MARGIN_SIDE, ph - HEADER_BASELINE, fit, 0.0f);
    stroke_line(p, COL_RULE, 0.5f, MARGIN_SIDE, ph - HEADER_RULE, x1, ph - HEADER_RULE);
    g_free(fit);
    g_free(t);
}

static void draw_footer(ctx *c, HPDF_Page p, unsigned n, unsigned total)
{
    char *s = g_strdup_printf("Página %u de %u", n, total);
    char *t = to_cp1252(s);
    show_aligned(p, c->reg, 8.0f, COL_MUTED, MARGIN_SIDE, HPDF_Page_GetWidth(p) - 2.0f * MARGIN_SIDE,
                 FOOTER_BASELINE, t, AL_RIGHT);
    g_free(t);
    g_free(s);
}

/* LETTER, page 2 onward: the oficio number (the template's `encabezado`) and "Página N de M" at
 * the top, so a loose sheet still says which letter it belongs to and where it goes. */
static void draw_letter_continuation(ctx *c, HPDF_Page p, unsigned n, unsigned total)
{
    char *s = g_strdup_printf("Página %u de %u", n, total);
    char *page = to_cp1252(s);
    float base = c->ph - HEADER_BASELINE, size = 8.5f;
    show_aligned(p, c->reg, size, COL_TEXT, c->x0, text_w(c), base, page, AL_RIGHT);
    if (c->doc->header && *c->doc->header) {
        char *t = to_cp1252(c->doc->header);
        char *fit = fit_label(c->bold, size, t, text_w(c) - str_width(c->reg, size, page) - 12.0f);
        show_text(p, c->bold, size, COL_TEXT, c->x0, base, fit, 0.0f);
        g_free(fit);
        g_free(t);
    }
    stroke_line(p, COL_RULE, 0.5f, c->x0, c->ph - HEADER_RULE, c->x1, c->ph - HEADER_RULE);
    g_free(page);
    g_free(s);
}

static obs_status decorate_pages(ctx *c)
{
    obs_layout layout = c->doc->layout;
    unsigned total = c->pages->len;
    bool has_header = c->doc->header && *c->doc->header;
    for (unsigned i = 0; i < total; i++) {
        HPDF_Page p = g_ptr_array_index(c->pages, i);
        if (layout == OBS_LAYOUT_REPORT && i == 0)
            continue; /* the cover */
        if (layout == OBS_LAYOUT_LETTER && i > 0) {
            draw_letter_continuation(c, p, i + 1, total);
            continue;
        }
        bool header = layout == OBS_LAYOUT_REPORT || (layout == OBS_LAYOUT_BRIEF && i > 0);
        if (header && has_header)
            draw_header(c, p);
        draw_footer(c, p, i + 1, total);
    }
    return check(c, "dibujar encabezados y pies de página");
}

/* ---- Document ---------------------------------------------------------------- */

static obs_status set_info(ctx *c, HPDF_InfoType type, const char *utf8)
{
    if (!utf8 || !*utf8)
        return OBS_OK;
    char *t = to_cp1252(utf8);
    HPDF_SetInfoAttr(c->pdf, type, t); /* written as UTF-16 through the current encoder */
    g_free(t);
    return check(c, "escribir los metadatos");
}

/* Creation and modification dates in Mexico City time (UTC-06:00, no DST since 2022). */
static obs_status set_dates(ctx *c)
{
    GDateTime *dt = g_date_time_new_from_unix_utc(c->doc->generated_at - 6 * 3600);
    if (!dt)
        return obs_error_set(c->err, OBS_ERR_INTERNAL, c->path, 0, 0,
                             "fecha de generación fuera de rango: %lld",
                             (long long)c->doc->generated_at);
    HPDF_Date d = {g_date_time_get_year(dt), g_date_time_get_month(dt),
                   g_date_time_get_day_of_month(dt), g_date_time_get_hour(dt),
                   g_date_time_get_minute(dt), g_date_time_get_second(dt), '-', 6, 0};
    g_date_time_unref(dt);
    HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_CREATION_DATE, d);
    HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_MOD_DATE, d);
    return check(c, "escribir las fechas del documento");
}

static obs_status set_metadata(ctx *c)
{
    const obs_doc *d = c->doc;
    obs_status s = set_info(c, HPDF_INFO_TITLE, d->title);
    if (s == OBS_OK)
        s = set_info(c, HPDF_INFO_SUBJECT, d->subject);
    if (s == OBS_OK)
        s = set_info(c, HPDF_INFO_AUTHOR, d->author);
    if (s == OBS_OK)
        s = set_info(c, HPDF_INFO_CREATOR, d->creator);
    if (s == OBS_OK)
        s = set_info(c, HPDF_INFO_KEYWORDS, d->keywords);
    if (s == OBS_OK)
        s = set_dates(c);
    if (s == OBS_OK && c->outlines)
        HPDF_SetPageMode(c->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    return s == OBS_OK ? check(c, "escribir los metadatos") : s;
}

static obs_status setup(ctx *c, const char *regular, const char *bold)
{
    /* Page content and images are compressed; the embedded font subsets are not: deflating
     * them took a quarter of the rendering time for about 50 KB less per file. */
    HPDF_SetCompressionMode(c->pdf, HPDF_COMP_TEXT | HPDF_COMP_IMAGE);
    HPDF_SetCurrentEncoder(c->pdf, "CP1252");
    obs_status s = check(c, "preparar el documento");
    if (s == OBS_OK)
        s = load_font(c, regular, &c->reg);
    if (s == OBS_OK)
        s = load_font(c, bold, &c->bold);
    if (s != OBS_OK)
        return s;
    c->enc = HPDF_GetEncoder(c->pdf, "CP1252");
    if (!c->enc)
        return hpdf_error(c, "preparar la codificación CP1252");
    if (c->doc->paper == OBS_PAPER_A4) {
        c->pw = 595.28f;
        c->ph = 841.89f;
    } else {
        c->pw = 612.0f;
        c->ph = 792.0f;
    }
    c->x0 = MARGIN_SIDE;
    c->x1 = c->pw - MARGIN_SIDE;
    c->ytop = c->ph - MARGIN_TOP;
    c->ybot = MARGIN_BOTTOM;
    return OBS_OK;
}

static obs_status layout_document(ctx *c)
{
    const obs_doc *d = c->doc;
    obs_status s = page_new(c);
    if (s != OBS_OK)
        return s;
    switch (d->layout) {
    case OBS_LAYOUT_REPORT:
        draw_cover(c);
        if (d->nsections > 0)
            s = page_new(c);
        break;
    case OBS_LAYOUT_BRIEF:
        draw_title_block(c);
        break;
    case OBS_LAYOUT_LETTER:
        draw_letterhead(c);
        break;
    }
    for (size_t i = 0; s == OBS_OK && i < d->nsections; i++)
        s = draw_section(c, &d->sections[i]);
    if (s == OBS_OK)
        s = front_finish(c);
    return s == OBS_OK ? check(c, "componer el documento") : s;
}

static obs_status write_file(ctx *c, const HPDF_BYTE *buf, size_t size)
{
    FILE *f = g_fopen(c->path, "wb");
    if (!f)
        return obs_error_set(c->err, OBS_ERR_IO, c->path, 0, 0,
                             "no se puede crear el PDF: %s", obs_strerror(errno));
    int e = 0;
    if (fwrite(buf, 1, size, f) != size)
        e = errno ? errno : EIO;
    if (fclose(f) != 0 && !e)
        e = errno ? errno : EIO;
    if (e) {
        g_remove(c->path); /* we created it: never leave a truncated PDF behind */
        return obs_error_set(c->err, OBS_ERR_IO, c->path, 0, 0,
                             "no se pudo escribir el PDF: %s", obs_strerror(e));
    }
    return OBS_OK;
}

/* Serialises in memory first, so a libharu failure never touches the file. */
static obs_status save(ctx *c)
{
    if (HPDF_SaveToStream(c->pdf) != HPDF_OK)
        return hpdf_error(c, "generar el PDF");
    HPDF_UINT32 size = HPDF_GetStreamSize(c->pdf), got = size;
    HPDF_BYTE *buf = g_malloc(size ? size : 1);
    HPDF_STATUS rs = HPDF_ReadFromStream(c->pdf, buf, &got);
    obs_status s;
    if ((rs != HPDF_OK && rs != HPDF_STREAM_EOF) || got != size || size == 0)
        s = hpdf_error(c, "leer el PDF generado");
    else
        s = write_file(c, buf, size);
    g_free(buf);
    return s;
}

/* Densities a brief is tried at, loosest first, until it fits OBS_PDF_BRIEF_MAX_PAGES (reports.md
 * §3); a short table is never split to make it fit, and a chart keeps at least CHART_MIN_DENS of
 * its height. */
static const float BRIEF_DENSITIES[] = {1.0f, 0.85f, 0.7f, 0.55f, 0.4f};

/* One layout of the whole document at a density; c->pdf is new and laid out on success. */
static obs_status lay_out(ctx *c, const char *regular, const char *bold, float dens)
{
    c->dens = dens;
    c->pdf = HPDF_New(on_hpdf_error, &c->hs);
    if (!c->pdf)
        return obs_error_set(c->err, OBS_ERR_NOMEM, c->path, 0, 0,
                             "memoria insuficiente para crear el PDF");
    obs_status s = setup(c, regular, bold);
    if (s == OBS_OK)
        s = load_logo(c);
    if (s == OBS_OK)
        s = layout_document(c);
    return s;
}

/* Forgets a layout so that the document can be laid out again. */
static void discard(ctx *c)
{
    if (c->pdf)
        HPDF_Free(c->pdf);
    c->pdf = NULL;
    c->page = NULL;
    c->logo = NULL;
    c->outlines = false;
    c->land = false;
    c->hs = (hpdf_state){0};
    g_ptr_array_set_size(c->pages, 0);
}

obs_status obs_render_pdf(const obs_doc *doc, const char *path, obs_error *err)
{
    if (!doc || !path || !*path)
        return obs_error_set(err, OBS_ERR_USAGE, path, 0, 0,
                             "obs_render_pdf: falta el documento o la ruta del PDF");
    ctx c;
    memset(&c, 0, sizeof c);
    c.doc = doc;
    c.path = path;
    c.err = err;
    const char *regular = NULL, *bold = NULL;
    obs_status s = font_files(&regular, &bold, err);
    c.pages = g_ptr_array_new();
    /* A brief (a per-OPL summary) is at most two pages (reports.md §3): when its content runs
     * over, it is laid out again with tighter vertical spacing. */
    size_t tries = doc->layout == OBS_LAYOUT_BRIEF ? G_N_ELEMENTS(BRIEF_DENSITIES) : 1;
    for (size_t i = 0; s == OBS_OK && i < tries; i++) {
        if (i > 0)
            discard(&c);
        s = lay_out(&c, regular, bold, BRIEF_DENSITIES[i]);
        if (s != OBS_OK || c.pages->len <= OBS_PDF_BRIEF_MAX_PAGES)
            break;
        if (i + 1 == tries) { /* it cannot fit: it keeps its pages, as designed */
            discard(&c);
            s = lay_out(&c, regular, bold, BRIEF_DENSITIES[0]);
        }
    }
    if (s == OBS_OK)
        s = decorate_pages(&c);
    if (s == OBS_OK)
        s = set_metadata(&c);
    if (s == OBS_OK)
        s = save(&c);
    if (c.pdf)
        HPDF_Free(c.pdf);
    g_ptr_array_free(c.pages, TRUE);
    front_free(&c);
    return s;
}
