/* render_pdf_front.c - PDF drawing of the front matter and apparatus: summary, contents, acronyms, cartogram.
 *
 * Kept apart so that the informe's apparatus and the general layout (tables, charts, pagination)
 * can change independently; render_pdf.c calls it through the pdf_front_* hooks.
 *
 * Page numbers: every section heading and every block records the page it starts on
 * (pdf_front_mark); a table of contents reserves its pages when it is laid out and is filled in
 * after the whole document is, like the "Página N de M" footers.
 */
#include <glib.h>
#include <hpdf.h>
#include <math.h>

#include "render/render_pdf_int.h"

/* The pages a table of contents fills in once the document is laid out. */
typedef struct toc_slot {
    const obs_toc *toc;
    unsigned first; /* index in c->pages of its first page */
    float top;      /* where its first entry goes on that page */
} toc_slot;

struct front_state {
    GHashTable *pages; /* obs_section * or obs_block * → the page it starts on (1-based) */
    GArray *tocs;      /* toc_slot */
};

static struct front_state *front_of(ctx *c)
{
    if (!c->front) {
        c->front = g_new0(struct front_state, 1);
        c->front->pages = g_hash_table_new(g_direct_hash, g_direct_equal);
        c->front->tocs = g_array_new(FALSE, TRUE, sizeof(toc_slot));
    }
    return c->front;
}

void pdf_front_free(ctx *c)
{
    if (!c->front)
        return;
    g_hash_table_destroy(c->front->pages);
    g_array_free(c->front->tocs, TRUE);
    g_free(c->front);
    c->front = NULL;
}

/* Records the page (1-based, as the footer prints it) that a section or block starts on. */
void pdf_front_mark(ctx *c, const void *what, unsigned page)
{
    g_hash_table_insert(front_of(c)->pages, (gpointer)what, GUINT_TO_POINTER(page));
}

/* Wrapped text of at most max lines, the last one cut with "…"; measures only when draw is false. */
static float limited_block(ctx *c, const char *utf8, const tstyle *st, float x, float w, float top,
                           bool draw, guint max)
{
    if (!utf8 || !*utf8)
        return 0.0f;
    GArray *lines = pdf_wrap_utf8(c, st, utf8, w);
    if (lines->len > max) {
        g_array_remove_range(lines, max, lines->len - max);
        line *ln = &g_array_index(lines, line, max - 1);
        char *t = g_strconcat(ln->text, CP_ELLIPSIS, NULL);
        g_free(ln->text);
        ln->text = t;
        ln->width = pdf_str_width(font_of(c, st->bold), st->size, t);
        ln->last = true;
        pdf_line_truncate(font_of(c, st->bold), st->size, ln, w);
    }
    float h = (float)lines->len * st->leading;
    for (guint i = 0; draw && i < lines->len; i++)
        pdf_draw_line(c, st, &g_array_index(lines, line, i), x, w, top - (float)i * st->leading);
    g_array_free(lines, TRUE);
    return h;
}

/* A new page (unless the current one is still empty) with a heading like a section's,
 * bookmark included. */
static obs_status front_page(ctx *c, const char *title)
{
    c->want_break = false;
    obs_status s = c->fresh ? OBS_OK : pdf_page_new(c);
    if (s != OBS_OK || !title || !*title)
        return s;
    return pdf_heading(c, title, 0.0f);
}

/* ---- Executive summary: one page, always ------------------------------------------------- */

/* The summary shrinks by steps of 0.05 until it fits; from SUMMARY_CUT_SCALE down, texts longer
 * than a few lines are cut with "…", which bounds the page, so it always fits by SUMMARY_MIN_SCALE. */
#define SUMMARY_CUT_SCALE 0.55f
#define SUMMARY_MIN_SCALE 0.40f
#define CARD_ACCENT 3.0f

/* At most n lines once the scale reaches SUMMARY_CUT_SCALE; every line before. */
static guint cap(float k, guint n)
{
    return k < SUMMARY_CUT_SCALE + 0.01f ? n : G_MAXUINT;
}

static tstyle scaled(bool bold, float size, float leading, rgb col, halign al, float k)
{
    tstyle st = {bold, size * k, leading * k, col, al, 0.0f};
    return st;
}

/* One key figure: value, label, detail and change, inside a card of width w. */
static float summary_card(ctx *c, const obs_summary *s, const obs_figure *f, float k, float x,
                          float w, float top, bool draw)
{
    float pad = 8.0f * k, ix = x + pad + CARD_ACCENT, iw = w - 2.0f * pad - CARD_ACCENT;
    float y = top - pad;
    char buf[OBS_FMT_MAX], delta[OBS_FMT_MAX];
    tstyle value = scaled(true, 20.0f, 24.0f, COL_PRIMARY, AL_LEFT, k);
    tstyle label = scaled(true, 9.0f, 11.5f, COL_TEXT, AL_LEFT, k);
    tstyle small = scaled(false, 8.0f, 10.0f, COL_MUTED, AL_LEFT, k);
    /* A number is never cut: it gets smaller until it fits the card. */
    obs_fmt_int(buf, sizeof buf, f->value);
    while (value.size > label.size && pdf_str_width(c->bold, value.size, buf) > iw)
        value.size -= 0.5f;
    y -= limited_block(c, buf, &value, ix, iw, y, draw, 1);
    y -= limited_block(c, f->label, &label, ix, iw, y, draw, cap(k, 3)) + 2.0f * k;
    y -= limited_block(c, f->detail, &small, ix, iw, y, draw, cap(k, 3));
    if (f->has_prev) {
        char *change = g_strdup_printf("%s respecto del corte anterior (%s)",
                                       obs_fmt_delta(delta, sizeof delta, f->value - f->prev),
                                       s->prev_date ? s->prev_date : "");
        y -= limited_block(c, change, &small, ix, iw, y, draw, cap(k, 2));
        g_free(change);
    }
    return top - y + pad;
}

static size_t card_columns(size_t n)
{
    return n <= 2 ? n : n == 4 ? 2 : 3;
}

static float summary_cards(ctx *c, const obs_summary *s, float k, float top, bool draw)
{
    size_t n = s->nfigures, cols = card_columns(n);
    if (n == 0)
        return 0.0f;
    float gap = 10.0f * k, cw = (text_w(c) - gap * (float)(cols - 1)) / (float)cols, y = top;
    for (size_t r0 = 0; r0 < n; r0 += cols) {
        float h = 0.0f;
        for (size_t i = r0; i < n && i < r0 + cols; i++)
            h = fmaxf(h, summary_card(c, s, &s->figures[i], k, 0.0f, cw, 0.0f, false));
        for (size_t i = r0; draw && i < n && i < r0 + cols; i++) {
            float x = c->x0 + (float)(i - r0) * (cw + gap);
            pdf_fill_rect(c->page, COL_ZEBRA, x, y - h, cw, h);
            pdf_fill_rect(c->page, COL_PRIMARY, x, y - h, CARD_ACCENT, h);
            summary_card(c, s, &s->figures[i], k, x, cw, y, true);
        }
        y -= h + (r0 + cols < n ? gap : 0.0f);
    }
    return top - y;
}

static char *flagged_text(const obs_flagged *f)
{
    char buf[OBS_FMT_MAX];
    return g_strdup_printf("%s: %s %s", f->name, obs_fmt_int(buf, sizeof buf, f->actions),
                           f->actions == 1 ? "acción" : "acciones");
}

/* The flagged OPLs in as many columns (up to 3) as their longest entry allows, top to bottom. */
static float summary_flag_list(ctx *c, const obs_summary *s, float k, float top, bool draw)
{
    tstyle item = scaled(false, 9.0f, 11.5f, COL_TEXT, AL_LEFT, k);
    float mark = 5.0f * k, indent = mark + 5.0f * k, widest = 0.0f, gap = 12.0f * k;
    char **texts = g_new0(char *, s->nflagged + 1);
    for (size_t i = 0; i < s->nflagged; i++) {
        char *u = flagged_text(&s->flagged[i]);
        texts[i] = pdf_to_cp1252(u);
        g_free(u);
        widest = fmaxf(widest, pdf_str_width(c->reg, item.size, texts[i]));
    }
    size_t cols = 3;
    while (cols > 1 && (float)cols * (indent + widest) + (float)(cols - 1) * gap > text_w(c))
        cols--;
    size_t rows = (s->nflagged + cols - 1) / cols;
    float colw = (text_w(c) - (float)(cols - 1) * gap) / (float)cols;
    for (size_t i = 0; draw && i < s->nflagged; i++) {
        float x = c->x0 + (float)(i / rows) * (colw + gap), y = top - (float)(i % rows) * item.leading;
        float base = y - pdf_baseline_drop(item.size, item.leading);
        pdf_fill_rect(c->page, rgb_of(flag_swatch().rgb), x, base, mark, mark);
        char *fit = pdf_fit_label(c->reg, item.size, texts[i], colw - indent);
        pdf_show_text(c->page, c->reg, item.size, item.color, x + indent, base, fit, 0.0f);
        g_free(fit);
    }
    g_strfreev(texts);
    return (float)rows * item.leading;
}

/* Heading, the list of flagged OPLs (or that there is none) and the rule, on a tinted band. */
static float summary_flags(ctx *c, const obs_summary *s, float k, float top, bool draw)
{
    float pad = 8.0f * k, W = text_w(c) - 2.0f * pad, x = c->x0 + pad;
    tstyle head = scaled(true, 11.0f, 14.0f, COL_TEXT, AL_LEFT, k);
    tstyle body = scaled(false, 10.0f, 13.0f, COL_TEXT, AL_LEFT, k);
    tstyle note = scaled(false, NOTE_SIZE, NOTE_LEADING, COL_MUTED, AL_LEFT, k);
    float h = 0.0f;
    for (int pass = draw ? 0 : 1; pass < 2; pass++) {
        bool now = pass == 1 && draw;
        if (now) {
            pdf_fill_rect(c->page, s->nflagged ? rgb_of(flag_swatch().tint) : COL_ZEBRA, c->x0, top - h, text_w(c), h);
            pdf_fill_rect(c->page, s->nflagged ? rgb_of(flag_swatch().rgb) : COL_PRIMARY, c->x0, top - h,
                          CARD_ACCENT, h);
        }
        float y = top - pad;
        y -= limited_block(c, s->flag_title, &head, x, W, y, now, cap(k, 2)) + 4.0f * k;
        if (s->nflagged) {
            y -= summary_flag_list(c, s, k, y, now) + 4.0f * k;
            y -= limited_block(c, s->flag_rule, &note, x, W, y, now, cap(k, 4));
        } else {
            y -= limited_block(c, s->flag_none, &body, x, W, y, now, cap(k, 5));
        }
        h = top - y + pad;
    }
    return h;
}

static float summary_body(ctx *c, const obs_summary *s, float k, float top, bool draw)
{
    tstyle intro = scaled(false, BODY_SIZE, BODY_LEADING, COL_TEXT, AL_JUSTIFY, k);
    tstyle closing = scaled(false, BODY_SIZE, BODY_LEADING, COL_TEXT, AL_JUSTIFY, k);
    float y = top;
    float h = limited_block(c, s->intro, &intro, c->x0, text_w(c), y, draw, cap(k, 8));
    y -= h > 0.0f ? h + 12.0f * k : 0.0f;
    h = limited_block(c, s->rejected, &intro, c->x0, text_w(c), y, draw, cap(k, 5));
    y -= h > 0.0f ? h + 12.0f * k : 0.0f;
    y -= summary_cards(c, s, k, y, draw) + 16.0f * k;
    y -= summary_flags(c, s, k, y, draw);
    if (s->closing && *s->closing)
        y -= 12.0f * k + limited_block(c, s->closing, &closing, c->x0, text_w(c), y - 12.0f * k, draw, cap(k, 6));
    return top - y;
}

static obs_status draw_summary(ctx *c, const obs_summary *s)
{
    obs_status st = front_page(c, s->title);
    if (st != OBS_OK)
        return st;
    /* The largest scale at which everything fits below the heading. */
    float room = c->y - c->ybot, k = 1.0f;
    while (k > SUMMARY_MIN_SCALE + 0.01f && summary_body(c, s, k, c->y, false) > room)
        k -= 0.05f;
    c->y -= summary_body(c, s, k, c->y, true);
    c->fresh = false;
    c->want_break = true; /* what follows starts on the next page */
    return pdf_check(c, "dibujar el resumen ejecutivo");
}

/* ---- Table of contents ------------------------------------------------------------------ */

#define TOC_NUMBER_W 28.0f
#define TOC_INDENT 14.0f

static tstyle toc_style(int level)
{
    if (level < 0)
        return (tstyle){true, 10.5f, 14.0f, COL_PRIMARY, AL_LEFT, 8.0f};
    if (level == 0)
        return (tstyle){true, 10.0f, 13.5f, COL_TEXT, AL_LEFT, 3.0f};
    return (tstyle){false, 9.5f, 12.5f, COL_TEXT, AL_LEFT, 1.0f};
}

static const void *toc_target(const obs_doc *d, const obs_toc_entry *e)
{
    if (e->section >= d->nsections)
        return NULL;
    const obs_section *sec = &d->sections[e->section];
    if (e->block == OBS_TOC_HEADING)
        return sec;
    return e->block < sec->nblocks ? (const void *)&sec->blocks[e->block] : NULL;
}

/* Page number, dot leader and a link to the page, for the entry whose last line ends at base. */
static void toc_page_ref(ctx *c, HPDF_Page p, const tstyle *st, const line *last, float x,
                         float base, const void *target)
{
    gpointer page = target ? g_hash_table_lookup(front_of(c)->pages, target) : NULL;
    unsigned n = GPOINTER_TO_UINT(page);
    char num[16];
    g_snprintf(num, sizeof num, "%u", n);
    HPDF_Font f = font_of(c, st->bold);
    float nx = c->x1 - pdf_str_width(f, st->size, num);
    pdf_show_text(p, f, st->size, st->color, nx, base, n ? num : "\x96", 0.0f);
    /* Leaders end at one place on every line, so their dots line up down the page. */
    float dot = pdf_str_width(c->reg, st->size, ". "), from = x + last->width + 1.5f;
    float end = c->x1 - TOC_NUMBER_W + 6.0f;
    GString *dots = g_string_new(NULL);
    while (from + (float)(dots->len / 2 + 1) * dot < end)
        g_string_append(dots, ". ");
    pdf_show_text(p, c->reg, st->size, COL_MUTED, end - (float)(dots->len / 2) * dot, base, dots->str, 0.0f);
    g_string_free(dots, TRUE);
    if (n == 0 || n > c->pages->len)
        return;
    HPDF_Destination d = HPDF_Page_CreateDestination(g_ptr_array_index(c->pages, n - 1));
    HPDF_Rect r = {x, base - 3.0f, c->x1, base + st->size};
    HPDF_Annotation a = d ? HPDF_Page_CreateLinkAnnot(p, r, d) : NULL;
    if (a)
        HPDF_LinkAnnot_SetBorderStyle(a, 0.0f, 0, 0);
}

/*
 * Lays the entries out from `top` on the slot's first page; draws them when slot is not
 * NULL. Returns the number of pages used; the same entries always take the same pages.
 */
static unsigned toc_layout(ctx *c, const obs_toc *toc, float top, const toc_slot *slot)
{
    unsigned page = 0;
    float y = top;
    bool empty = true; /* nothing on this page yet */
    for (size_t i = 0; i < toc->nentries; i++) {
        const obs_toc_entry *e = &toc->entries[i];
        tstyle st = toc_style(e->level);
        float x = c->x0 + (e->level > 0 ? TOC_INDENT : 0.0f);
        float w = c->x1 - x - TOC_NUMBER_W - 12.0f;
        GArray *lines = pdf_wrap_utf8(c, &st, e->text, w);
        float h = (float)lines->len * st.leading, before = empty ? 0.0f : st.space_after;
        /* A group heading keeps its first entry with it. */
        float keep = e->level < 0 && i + 1 < toc->nentries ? toc_style(1).leading : 0.0f;
        if (!empty && y - before - h - keep < c->ybot) {
            page++;
            y = c->ytop;
            before = 0.0f;
        }
        y -= before;
        if (slot) {
            HPDF_Page p = g_ptr_array_index(c->pages, slot->first + page);
            HPDF_Page saved = c->page;
            c->page = p;
            for (guint k = 0; k < lines->len; k++)
                pdf_draw_line(c, &st, &g_array_index(lines, line, k), x, w, y - (float)k * st.leading);
            c->page = saved;
            if (e->level >= 0)
                toc_page_ref(c, p, &st, &g_array_index(lines, line, lines->len - 1), x,
                             y - h + st.leading - pdf_baseline_drop(st.size, st.leading), toc_target(c->doc, e));
        }
        y -= h;
        empty = false;
        g_array_free(lines, TRUE);
    }
    return page + 1;
}

/* Draws the heading and reserves the pages; the entries are drawn by pdf_front_finish(). */
static obs_status draw_toc(ctx *c, const obs_toc *toc)
{
    obs_status s = front_page(c, toc->title);
    if (s != OBS_OK)
        return s;
    toc_slot slot = {toc, c->pages->len - 1, c->y};
    unsigned n = toc_layout(c, toc, c->y, NULL);
    for (unsigned i = 1; s == OBS_OK && i < n; i++)
        s = pdf_page_new(c);
    g_array_append_val(front_of(c)->tocs, slot);
    c->fresh = false;
    c->want_break = true;
    return s;
}

/* ---- Acronyms ------------------------------------------------------------------------------ */

static float glossary_term_w(ctx *c, const obs_glossary *g, const tstyle *st)
{
    float w = 0.0f;
    for (size_t i = 0; i < g->n; i++) {
        char *t = pdf_to_cp1252(g->terms[i]);
        w = fmaxf(w, pdf_str_width(font_of(c, st->bold), st->size, t));
        g_free(t);
    }
    return fminf(w + 14.0f, text_w(c) * 0.3f);
}

/* Row i: the term at the left, its meaning wrapped beside it. */
static float glossary_row(ctx *c, const obs_glossary *g, size_t i, float termw, bool draw)
{
    tstyle term = pdf_par_style(OBS_PAR_STRONG), meaning = pdf_par_style(OBS_PAR_NORMAL);
    meaning.align = AL_LEFT;
    float ht = pdf_text_block(c, g->terms[i], &term, c->x0, termw - 6.0f, c->y, draw);
    float hm = pdf_text_block(c, g->meanings[i], &meaning, c->x0 + termw, text_w(c) - termw, c->y, draw);
    return fmaxf(ht, hm) + 3.0f;
}

static float glossary_keep_height(ctx *c, const obs_glossary *g)
{
    float termw = glossary_term_w(c, g, &(tstyle){true, BODY_SIZE, BODY_LEADING, COL_TEXT, AL_LEFT, 0.0f});
    float h = 0.0f;
    for (size_t i = 0; i < g->n && i < 2; i++)
        h += glossary_row(c, g, i, termw, false);
    return h;
}

static obs_status draw_glossary(ctx *c, const obs_glossary *g)
{
    tstyle term = pdf_par_style(OBS_PAR_STRONG);
    float termw = glossary_term_w(c, g, &term);
    obs_status s = OBS_OK;
    for (size_t i = 0; s == OBS_OK && i < g->n; i++) {
        float h = glossary_row(c, g, i, termw, false);
        s = pdf_need(c, h);
        if (s == OBS_OK) {
            glossary_row(c, g, i, termw, true);
            c->y -= h;
            c->fresh = false;
        }
    }
    pdf_space(c, 8.0f);
    return s == OBS_OK ? pdf_check(c, "dibujar la lista de siglas") : s;
}

/* ---- Tile-grid cartogram ------------------------------------------------------------------ */

#define TILE_MAX 48.0f
#define TILE_GAP 3.0f
#define LEGEND_SWATCH 9.0f

static float tile_size(const ctx *c, const obs_tilemap *m)
{
    int cols = m->ncols > 0 ? m->ncols : 1;
    return fminf(TILE_MAX, (text_w(c) - TILE_GAP * (float)(cols - 1)) / (float)cols);
}

static void draw_tile(ctx *c, const obs_tile *t, float x, float y, float s)
{
    rgb ink = t->flagged ? COL_WHITE : COL_TEXT;
    pdf_fill_rect(c->page, t->flagged ? rgb_of(flag_swatch().rgb) : COL_PRIMARY_TINT, x, y, s, s);
    if (t->flagged) /* a bold border: the mark survives a grayscale printer */
        pdf_stroke_rect(c->page, COL_TEXT, 2.0f, x + 1.0f, y + 1.0f, s - 2.0f, s - 2.0f);
    char *label = pdf_to_cp1252(t->label ? t->label : "");
    char *fit = pdf_fit_label(c->bold, 7.0f, label, s - 6.0f);
    pdf_show_aligned(c->page, c->bold, 7.0f, ink, x, s, y + s - 10.0f, fit, AL_CENTER);
    char num[OBS_FMT_MAX];
    obs_fmt_int(num, sizeof num, t->value);
    float size = 11.0f;
    while (size > 6.0f && pdf_str_width(c->bold, size, num) > s - 6.0f)
        size -= 0.5f;
    pdf_show_aligned(c->page, c->bold, size, ink, x, s, y + s * 0.28f, num, AL_CENTER);
    g_free(fit);
    g_free(label);
}

/* A legend entry at x, baseline base: a swatch (plain or marked tile) or none, and a text. */
static float legend_entry(ctx *c, int swatch, const char *utf8, float x, float base, bool draw)
{
    char *t = pdf_to_cp1252(utf8);
    float sw = swatch ? LEGEND_SWATCH + 4.0f : 0.0f, w = sw + pdf_str_width(c->reg, SMALL_SIZE, t);
    if (draw && swatch) {
        float y = base - 1.5f;
        pdf_fill_rect(c->page, swatch > 1 ? rgb_of(flag_swatch().rgb) : COL_PRIMARY_TINT, x, y, LEGEND_SWATCH,
                      LEGEND_SWATCH);
        if (swatch > 1)
            pdf_stroke_rect(c->page, COL_TEXT, 1.2f, x + 0.6f, y + 0.6f, LEGEND_SWATCH - 1.2f, LEGEND_SWATCH - 1.2f);
    }
    if (draw)
        pdf_show_text(c->page, c->reg, SMALL_SIZE, swatch ? COL_TEXT : COL_MUTED, x + sw, base, t, 0.0f);
    g_free(t);
    return w;
}

/* The legend under the grid: both kinds of tile, then what the number is; wraps as needed. */
static float map_legend(ctx *c, const obs_tilemap *m, float top, bool draw)
{
    char *value = m->value_label ? g_strdup_printf("Número en cada cuadro: %s.", m->value_label) : NULL;
    const char *texts[] = {m->other_label, m->flag_label, value};
    const int swatch[] = {1, 2, 0};
    float x = c->x0, lead = LEGEND_SWATCH + 5.0f, y = top;
    for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
        if (!texts[i] || !*texts[i])
            continue;
        float w = legend_entry(c, swatch[i], texts[i], x, 0.0f, false);
        if (x > c->x0 && x + w > c->x1) {
            x = c->x0;
            y -= lead;
        }
        legend_entry(c, swatch[i], texts[i], x, y - LEGEND_SWATCH + 1.5f, draw);
        x += w + 14.0f;
    }
    g_free(value);
    return top - y + lead;
}

/* Title, grid, legend and note, never split; measures only when draw is false. */
static float map_block(ctx *c, const obs_tilemap *m, bool draw, obs_status *status)
{
    tstyle title = pdf_caption_style(), note = pdf_small_note_style();
    float W = text_w(c), s = tile_size(c, m);
    float grid_w = (float)m->ncols * s + TILE_GAP * (float)(m->ncols - 1);
    float grid_h = (float)m->nrows * s + TILE_GAP * (float)(m->nrows - 1);
    float title_h = pdf_text_block(c, m->title, &title, c->x0, W, 0.0f, false);
    float note_h = pdf_text_block(c, m->note, &note, c->x0, W, 0.0f, false);
    float legend_h = map_legend(c, m, 0.0f, false);
    float total = (title_h > 0 ? title_h + 6.0f : 0.0f) + grid_h + 8.0f + legend_h +
                  (note_h > 0 ? note_h + 4.0f : 0.0f);
    *status = OBS_OK;
    if (!draw)
        return total;
    if ((*status = pdf_need(c, total)) != OBS_OK)
        return total;
    float y = c->y, gx = c->x0 + (W - grid_w) / 2.0f;
    if (title_h > 0) {
        pdf_text_block(c, m->title, &title, c->x0, W, y, true);
        y -= title_h + 6.0f;
    }
    for (size_t i = 0; i < m->ntiles; i++) {
        const obs_tile *t = &m->tiles[i];
        if (t->row < 1 || t->col < 1 || t->row > m->nrows || t->col > m->ncols)
            continue;
        draw_tile(c, t, gx + (float)(t->col - 1) * (s + TILE_GAP),
                  y - (float)t->row * s - TILE_GAP * (float)(t->row - 1), s);
    }
    y -= grid_h + 8.0f;
    y -= map_legend(c, m, y, true);
    if (note_h > 0)
        pdf_text_block(c, m->note, &note, c->x0, W, y - 4.0f, true);
    c->y -= total;
    c->fresh = false;
    pdf_space(c, 12.0f);
    *status = pdf_check(c, "dibujar el mapa");
    return total;
}

/* ---- Hooks for render_pdf.c ---------------------------------------------------------------- */

/* Height of the beginning of a front-matter block that must stay with a heading above it. */
float pdf_front_keep_height(ctx *c, const obs_block *b)
{
    obs_status ignored;
    switch (b->kind) {
    case OBS_BLOCK_GLOSSARY:
        return glossary_keep_height(c, b->glossary);
    case OBS_BLOCK_TILEMAP:
        return map_block(c, b->map, false, &ignored);
    default:
        return 0.0f; /* the summary and the contents start pages of their own */
    }
}

obs_status pdf_front_block(ctx *c, const obs_block *b)
{
    obs_status s = OBS_OK;
    switch (b->kind) {
    case OBS_BLOCK_SUMMARY:
        return draw_summary(c, b->summary);
    case OBS_BLOCK_TOC:
        return draw_toc(c, b->toc);
    case OBS_BLOCK_GLOSSARY:
        return draw_glossary(c, b->glossary);
    case OBS_BLOCK_TILEMAP:
        map_block(c, b->map, true, &s);
        return s;
    default:
        return OBS_OK;
    }
}

/* The document's language in the catalog (/Lang): libharu 2.3 has no call for it. */
static obs_status set_language(ctx *c)
{
    const char *lang = c->doc->lang && *c->doc->lang ? c->doc->lang : "es-MX";
    HPDF_String s = HPDF_String_New(c->pdf->mmgr, lang, NULL);
    if (!s || HPDF_Dict_Add(c->pdf->catalog, "Lang", s) != HPDF_OK)
        return pdf_error(c, "declarar el idioma del documento");
    return pdf_check(c, "declarar el idioma del documento");
}

/* After layout: fills the tables of contents and declares the language. */
obs_status pdf_front_finish(ctx *c)
{
    for (guint i = 0; c->front && i < c->front->tocs->len; i++) {
        const toc_slot *slot = &g_array_index(c->front->tocs, toc_slot, i);
        toc_layout(c, slot->toc, slot->top, slot);
    }
    obs_status s = pdf_check(c, "escribir el índice");
    return s == OBS_OK ? set_language(c) : s;
}
