/* render_pdf_int.h - internals shared by the files of the PDF renderer: geometry, colours, the layout cursor. */
#ifndef OBSERVA_RENDER_PDF_INT_H
#define OBSERVA_RENDER_PDF_INT_H

/*
 * The PDF renderer in layers, each file using only the ones above it:
 *   render_pdf_text.c       Windows-1252 text: encoding, measuring, wrapping, fitting
 *   render_pdf_draw.c       libharu's error state; fills, hatches, rules, runs of text
 *   render_pdf_fonts.c      Liberation Sans: found once per process, loaded into a document
 *   render_pdf_page.c       new pages, orientation, pending breaks, room left (pdf_need)
 *   render_pdf_paragraph.c  paragraphs, lists, text blocks, section headings and bookmarks
 *   render_pdf_table.c      tables: one size, column widths, wrapping, pagination; the load-time check
 *   render_pdf_chart.c      charts: axes, bars, lines, legends
 *   render_pdf_front.c      the front matter: summary, contents, acronyms, cartogram
 *   render_pdf_cover.c      the first page (cover, title block, letterhead), running heads, footers
 *   render_pdf.c            the document loop, a brief's densities, metadata, the file (obs_render_pdf)
 */

#include <glib.h>
#include <hpdf.h>
#include <stdbool.h>
#include <stdint.h>

#include "observa/render.h"

/* ---- Geometry and type scale (points) ---------------------------------- */

#define PT_PER_MM (72.0f / 25.4f)
#define MARGIN_SIDE (22.0f * PT_PER_MM)
/* Top and bottom margins leave room for the running header and the footer,
 * which themselves stay at least 2 cm from the paper's edge. */
#define MARGIN_TOP (29.0f * PT_PER_MM)
#define MARGIN_BOTTOM (28.0f * PT_PER_MM)

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

/* Indent of a list's items; the bullet hangs in it. */
#define LIST_INDENT 14.0f

/* Bytes of Windows-1252 used as literals. */
#define CP_BULLET "\x95"
#define CP_ELLIPSIS "\x85"

/* Widths are sums of rounded glyph widths: allow for float noise at exact fits. */
#define WRAP_SLACK 0.01f

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

static inline rgb rgb_of(uint32_t hex)
{
    rgb c = {(float)((hex >> 16) & 0xFF) / 255.0f, (float)((hex >> 8) & 0xFF) / 255.0f,
             (float)(hex & 0xFF) / 255.0f};
    return c;
}

/* The look of a flagged entidad (OBS_CAT_SENALADO): rows, bars, tiles. */
static inline obs_swatch flag_swatch(void)
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

/* Whether libharu reported an error during this rendering. */
static inline bool failed(const ctx *c)
{
    return c->hs.error_no != HPDF_OK;
}

static inline HPDF_Font font_of(const ctx *c, bool bold)
{
    return bold ? c->bold : c->reg;
}

/* Width of the text column. */
static inline float text_w(const ctx *c)
{
    return c->x1 - c->x0;
}

/* ---- render_pdf_text.c: Windows-1252 text ------------------------------- */

/* UTF-8 model text → NUL-terminated Windows-1252 (g_free()); NULL → "". */
char *pdf_to_cp1252(const char *utf8);
/* Width in points of Windows-1252 text at a size. */
float pdf_str_width(HPDF_Font f, float size, const char *s);
/* Distance from the top of a line box to the baseline. */
float pdf_baseline_drop(float size, float leading);
/* An empty array of `line` that frees its texts. */
GArray *pdf_lines_new(void);
void pdf_lines_push(GArray *a, const char *s, size_t len, float width, bool last);
/* Wraps Windows-1252 text to maxw ('\n' breaks); at least one line. */
GArray *pdf_wrap_text(HPDF_Font f, float size, const char *text, float maxw, bool split_words);
/* pdf_wrap_text() of UTF-8 text in a style's font and size. */
GArray *pdf_wrap_utf8(const ctx *c, const tstyle *st, const char *utf8, float w);
/* Width of the longest word (between spaces and line breaks). */
float pdf_longest_word(HPDF_Font f, float size, const char *s);
/* Cuts a line so that it plus "…" fits in maxw. */
void pdf_line_truncate(HPDF_Font f, float size, line *ln, float maxw);
/* A copy of s cut with "…" to fit maxw (g_free()). */
char *pdf_fit_label(HPDF_Font f, float size, const char *s, float maxw);

/* ---- render_pdf_draw.c: libharu's errors and drawing primitives ---------- */

/* libharu's error handler; user_data is the rendering's hpdf_state. */
void pdf_on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data);
/* Sets err from libharu's error while doing `what`: OBS_ERR_NOMEM or OBS_ERR_INTERNAL. */
obs_status pdf_error(ctx *c, const char *what);
/* OBS_OK, or pdf_error() when libharu reported an error. */
obs_status pdf_check(ctx *c, const char *what);
void pdf_set_fill(HPDF_Page p, rgb c);
void pdf_set_stroke(HPDF_Page p, rgb c);
void pdf_fill_rect(HPDF_Page p, rgb col, float x, float y, float w, float h);
void pdf_fill_swatch(HPDF_Page p, obs_swatch sw, float x, float y, float w, float h);
void pdf_stroke_line(HPDF_Page p, rgb col, float width, float xa, float ya, float xb, float yb);
void pdf_stroke_rect(HPDF_Page p, rgb col, float width, float x, float y, float w, float h);
void pdf_show_text(HPDF_Page p, HPDF_Font f, float size, rgb col, float x, float y, const char *s,
                   float word_space);
void pdf_show_text_rotated(HPDF_Page p, HPDF_Font f, float size, rgb col, float x, float y,
                           float degrees, const char *s);
void pdf_show_aligned(HPDF_Page p, HPDF_Font f, float size, rgb col, float x, float w, float baseline,
                      const char *s, halign al);

/* ---- render_pdf_fonts.c: the fonts --------------------------------------- */

/* Fonts for measuring only (not embedded), loaded once per obs_fonts. */
typedef struct measurer {
    HPDF_Doc pdf;
    hpdf_state hs;
    HPDF_Font reg, bold;
} measurer;

/* The Liberation Sans files of a run's fonts (regular, bold). */
const char *pdf_fonts_regular(const obs_fonts *f);
const char *pdf_fonts_bold(const obs_fonts *f);
/* Embeds a TrueType file in c->pdf with the CP1252 encoding and a ToUnicode map. */
obs_status pdf_load_font(ctx *c, const char *file, HPDF_Font *out);
/* The measuring fonts of f (loaded on first use), or NULL without them; f is locked until
 * pdf_measure_end(), whatever the result. */
measurer *pdf_measure_begin(obs_fonts *f);
void pdf_measure_end(obs_fonts *f);

/* ---- render_pdf_page.c: pages and page breaks ---------------------------- */

obs_status pdf_page_new(ctx *c);
/* Applies a pending page break before new content. */
obs_status pdf_flush_break(ctx *c);
/* Turns to landscape (now) or back to portrait (at the next content). */
obs_status pdf_set_orientation(ctx *c, bool land);
/* Starts a new page unless h points fit below the cursor. */
obs_status pdf_need(ctx *c, float h);
/* Vertical space between blocks, scaled by the density. */
void pdf_space(ctx *c, float h);

/* ---- render_pdf_paragraph.c: running text -------------------------------- */

tstyle pdf_par_style(obs_par_style s);
/* A table's or a chart's title. */
tstyle pdf_caption_style(void);
/* A table's or a chart's note. */
tstyle pdf_small_note_style(void);
/* One line in a style, aligned (or justified) in [x, x+w], its box's top at `top`. */
void pdf_draw_line(ctx *c, const tstyle *st, const line *ln, float x, float w, float top);
/* Lines from the cursor, breaking pages between lines (no orphans, no widows). */
obs_status pdf_draw_lines(ctx *c, const GArray *lines, const tstyle *st, float x, float w,
                          const char *bullet, float bullet_x);
/* Text that stays in one place; measures only when draw is false. Returns the height. */
float pdf_text_block(ctx *c, const char *utf8, const tstyle *st, float x, float w, float top, bool draw);
obs_status pdf_draw_paragraph(ctx *c, const obs_block *b);
obs_status pdf_draw_list(ctx *c, const obs_block *b);
/* A paragraph's or list's height with the space after it; -1 for any other block. */
float pdf_text_height(ctx *c, const obs_block *b);
/* The first lines of a paragraph or list: what must stay with a heading above it. */
float pdf_text_keep_height(ctx *c, const obs_block *b);
/* A section heading with its rule and bookmark, moved to a new page unless keep more points fit. */
obs_status pdf_heading(ctx *c, const char *title, float keep);

/* ---- render_pdf_table.c: tables ------------------------------------------ */

obs_status pdf_draw_table(ctx *c, const obs_table *t);
/* What of a table must share a page with what precedes it. */
float pdf_table_keep_height(ctx *c, const obs_table *t);
/* Whether a table needs a landscape page. */
bool pdf_table_wants_landscape(const ctx *c, const obs_table *t);

/* ---- render_pdf_chart.c: charts ------------------------------------------ */

/* A chart block, never split; measures only when draw is false. Returns its height. */
float pdf_chart_block(ctx *c, const obs_chart *ch, bool draw, obs_status *status);

/* ---- render_pdf_front.c: the front matter -------------------------------- */

/* Records the page (1-based) a section or block starts on. */
void pdf_front_mark(ctx *c, const void *what, unsigned page);
obs_status pdf_front_block(ctx *c, const obs_block *b);
float pdf_front_keep_height(ctx *c, const obs_block *b);
/* After layout: fills the tables of contents and declares the language. */
obs_status pdf_front_finish(ctx *c);
void pdf_front_free(ctx *c);

/* ---- render_pdf_cover.c: first page, running heads ----------------------- */

obs_status pdf_load_logo(ctx *c);
void pdf_draw_cover(ctx *c);
void pdf_draw_title_block(ctx *c);
void pdf_draw_letterhead(ctx *c);
/* Running headers and footers, once the page count is known. */
obs_status pdf_decorate_pages(ctx *c);

#endif /* OBSERVA_RENDER_PDF_INT_H */
