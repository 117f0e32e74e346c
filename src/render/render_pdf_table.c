/* render_pdf_table.c - PDF tables: one type size, column widths, wrapped cells, pagination; the load-time check. */
#include <glib.h>
#include <hpdf.h>
#include <math.h>
#include <string.h>

#include "render/render_pdf_int.h"

/*
 * A table has one font size for all its cells (and one, a little smaller, for its header row):
 * a lone shrunken cell looks like an error. The size is the largest, from TABLE_SIZE down to
 * TABLE_MIN_SIZE by half points, at which every column holds its widest number and its longest
 * word; text wraps at spaces. A table that does not fit a portrait page even at TABLE_MIN_SIZE
 * goes on landscape pages (turn_for() in render_pdf.c), with its heading. Numbers are never broken
 * nor cut: when even the landscape page is too narrow, words may break inside (labels stay whole
 * otherwise), and only a table whose numbers do not fit at that size is set smaller still.
 * obs_pdf_table_check() refuses such a table when the template is loaded, assuming the widest
 * values a column can hold, so that last case needs data beyond those bounds.
 */

#define TABLE_SIZE 8.5f
#define TABLE_HEAD_SIZE 8.0f
#define TABLE_MIN_SIZE ((float)OBS_PDF_TABLE_MIN_SIZE)
#define CELL_LEADING 1.22f /* × font size */
#define CELL_PAD_X 3.5f
#define CELL_PAD_Y 2.1f

#define TABLE_HEAD_RATIO (TABLE_HEAD_SIZE / TABLE_SIZE)
/* Below the readable minimum (data past the template check's bounds), words stay whole down to
 * this size. */
#define TABLE_FLOOR_SIZE 4.0f
/* A column in which words may break keeps room for about three characters. */
#define SPLIT_FLOOR_EM 1.7f
/* A table of at most this many data rows (and its total rows) is never split across pages. */
#define SHORT_TABLE_ROWS 15
/* Each page of a split table holds at least its header and this many rows: never a stray row or
 * two under a repeated header. */
#define SPLIT_MIN_ROWS 3
/* What a heading above a table may take of the page (pdf_heading()): a heading and its table judge
 * the room left alike (table_keep_height()). */
#define HEADING_ALLOWANCE 48.0f

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
            txt[r * t->ncols + j] = pdf_to_cp1252(marked ? marked : s);
            g_free(marked);
        }
    return txt;
}

static void need_header(colneed *m, HPDF_Font bold, const char *head)
{
    m->head_word = pdf_longest_word(bold, TABLE_HEAD_RATIO, head);
    m->head = pdf_str_width(bold, TABLE_HEAD_RATIO, head);
}

/* Adds a cell's text to its column's needs: numbers whole, text by its words. */
static void need_cell(colneed *m, HPDF_Font f, const char *s, bool text)
{
    float w = pdf_str_width(f, 1.0f, s);
    m->nat = fmaxf(m->nat, w);
    if (text) {
        m->word = fmaxf(m->word, pdf_longest_word(f, 1.0f, s));
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

/* The largest size at which the columns fit W (see the comment at the top of this file). */
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
                w[j] = fmaxf(min[j], (float)((double)rest * t->cols[j].weight / wsum));
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
        h->lines = pdf_wrap_text(c->bold, L->sz.head, head[j], L->w[j] - 2.0f * CELL_PAD_X, true);
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
                tc->lines = pdf_wrap_text(font_of(c, tc->bold), L->sz.body, s, inner, true);
            } else { /* a number is one line, whole */
                tc->lines = pdf_lines_new();
                pdf_lines_push(tc->lines, s, strlen(s), pdf_str_width(font_of(c, tc->bold), L->sz.body, s), true);
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
        head[j] = pdf_to_cp1252(t->cols[j].header);
    char **txt = table_texts(t);
    colneed *m = table_needs(c, t, head, txt);
    L->sz = table_size(m, nc, text_w(c));
    column_widths(t, m, L->sz, text_w(c), L->w);
    table_wrap(c, L, head, txt);
    tstyle cap = pdf_caption_style(), note = pdf_small_note_style();
    L->caption_h = pdf_text_block(c, t->title, &cap, c->x0, text_w(c), 0.0f, false);
    if (t->note && *t->note) {
        L->note = pdf_wrap_utf8(c, &note, t->note, text_w(c));
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

/*
 * What must share a page with whatever precedes the table, given the room left below the cursor:
 * all of a table that fits on a page when it is short, or when moving it whole to the next page
 * leaves less than half of this one empty (no page is left mostly empty by a table that would have
 * fit, and none gets a stray remnant of one); else the caption, the header and the first rows.
 */
static float table_keep_height(const tlayout *L, float page_h, float room)
{
    float full = table_full_height(L);
    if (full <= page_h && (table_is_short(L) || room < page_h / 2.0f))
        return full;
    float h = caption_block_h(L) + L->head_h;
    for (size_t r = 0; r < L->t->nrows && r < SPLIT_MIN_ROWS; r++)
        h += L->row_h[r];
    return h;
}

/* table_keep_height() of a table laid out at the cursor's width and density, under a heading. */
float pdf_table_keep_height(ctx *c, const obs_table *t)
{
    tlayout *L = table_layout_new(c, t);
    float h = table_keep_height(L, c->ytop - c->ybot, c->y - c->ybot - HEADING_ALLOWANCE);
    table_layout_free(L);
    return h;
}

/*
 * Whether a page that began with row first may end just before row k: each page keeps at least
 * SPLIT_MIN_ROWS rows; never before a total row, nor between a total row and the data row just
 * above the one before it (a total keeps two data rows).
 */
static bool may_break_before(const obs_table *t, size_t first, size_t k)
{
    if (k < first + SPLIT_MIN_ROWS || k + SPLIT_MIN_ROWS > t->nrows)
        return false;
    if (t->rows[k].kind == OBS_ROW_TOTAL)
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
        while (b > first && !may_break_before(t, first, b))
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
        pdf_show_aligned(c->page, f, size, col, x + CELL_PAD_X, w - 2.0f * CELL_PAD_X,
                         y - pdf_baseline_drop(size, lh), ln->text, al);
        y -= lh;
    }
}

static void table_draw_header(ctx *c, const tlayout *L)
{
    const obs_table *t = L->t;
    float x = c->x0;
    pdf_fill_rect(c->page, COL_PRIMARY, c->x0, c->y - L->head_h, text_w(c), L->head_h);
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
        pdf_fill_rect(c->page, COL_PRIMARY_TINT, c->x0, top - h, W, h);
    else if (row->marked)
        pdf_fill_rect(c->page, rgb_of(flag.tint), c->x0, top - h, W, h);
    else if (zebra)
        pdf_fill_rect(c->page, COL_ZEBRA, c->x0, top - h, W, h);
    if (row->marked) /* a mark that survives greyscale printing */
        pdf_fill_rect(c->page, rgb_of(flag.rgb), c->x0, top - h, 2.0f, h);
    float x = c->x0;
    for (size_t j = 0; j < t->ncols; j++) {
        rgb col = (row->cells[j].flags & OBS_CELL_MARK) ? rgb_of(flag.rgb) : COL_TEXT;
        draw_cell(c, &L->cells[r * t->ncols + j], L->sz.body, col, x, top, L->w[j], h,
                  to_halign(t->cols[j].align));
        x += L->w[j];
    }
    if (row->kind == OBS_ROW_TOTAL)
        pdf_stroke_line(c->page, COL_PRIMARY, 0.8f, c->x0, top, c->x1, top);
    else
        pdf_stroke_line(c->page, COL_GRID, 0.4f, c->x0, top - h, c->x1, top - h);
    c->y -= h;
}

/* On a continuation page: "Caption (continuación)", small, then the header row again. */
static void table_continue(ctx *c, const tlayout *L)
{
    if (L->t->title && *L->t->title) {
        char *s = g_strdup_printf("%s (continuación)", L->t->title);
        char *cp = pdf_to_cp1252(s);
        char *fit = pdf_fit_label(c->reg, SMALL_SIZE, cp, text_w(c));
        pdf_show_text(c->page, c->reg, SMALL_SIZE, COL_MUTED, c->x0,
                      c->y - pdf_baseline_drop(SMALL_SIZE, SMALL_LEADING), fit, 0.0f);
        c->y -= SMALL_LEADING + 2.0f;
        g_free(fit);
        g_free(cp);
        g_free(s);
    }
    table_draw_header(c, L);
}

/* Starts the table where it may: whole on one page, or a long one with its first rows. */
static obs_status table_start(ctx *c, const tlayout *L)
{
    return pdf_need(c, table_keep_height(L, c->ytop - c->ybot, c->y - c->ybot));
}

obs_status pdf_draw_table(ctx *c, const obs_table *t)
{
    tlayout *L = table_layout_new(c, t);
    obs_status s = table_start(c, L);
    if (s == OBS_OK && L->caption_h > 0) {
        tstyle cap = pdf_caption_style();
        pdf_text_block(c, t->title, &cap, c->x0, text_w(c), c->y, true);
        c->y -= L->caption_h + 4.0f;
        c->fresh = false;
    }
    if (s == OBS_OK && t->ncols > 0)
        table_draw_header(c, L);
    size_t *breaks = t->ncols > 0 ? plan_breaks(c, L, c->y) : g_new0(size_t, 1);
    size_t next = 0, data_index = 0;
    for (size_t r = 0; s == OBS_OK && t->ncols > 0 && r < t->nrows; r++) {
        if (breaks[next] == r && r > 0) {
            pdf_stroke_line(c->page, COL_PRIMARY, 0.8f, c->x0, c->y, c->x1, c->y);
            s = pdf_page_new(c);
            if (s != OBS_OK)
                break;
            table_continue(c, L);
            next++;
        }
        bool zebra = t->rows[r].kind == OBS_ROW_DATA && (data_index++ % 2 == 1);
        table_draw_row(c, L, r, zebra);
        if (failed(c))
            s = pdf_error(c, "dibujar una tabla");
    }
    g_free(breaks);
    if (s == OBS_OK) {
        pdf_stroke_line(c->page, COL_PRIMARY, 0.8f, c->x0, c->y, c->x1, c->y);
        c->y -= 4.0f;
        tstyle note_st = pdf_small_note_style();
        if (L->note)
            s = pdf_draw_lines(c, L->note, &note_st, c->x0, text_w(c), NULL, 0.0f);
        pdf_space(c, 10.0f);
    }
    table_layout_free(L);
    return s == OBS_OK ? pdf_check(c, "dibujar una tabla") : s;
}

/* ---- Orientation and the load-time check of a table's width ------------------ */

/* Whether a table needs a landscape page: its numbers and words do not fit a portrait page's width
 * at the smallest table size (table_size()). */
bool pdf_table_wants_landscape(const ctx *c, const obs_table *t)
{
    size_t nc = t->ncols;
    if (nc == 0)
        return false;
    char **head = g_new0(char *, nc + 1);
    for (size_t j = 0; j < nc; j++)
        head[j] = pdf_to_cp1252(t->cols[j].header);
    char **txt = table_texts(t);
    colneed *m = table_needs(c, t, head, txt);
    bool wide = sum_min(m, nc, TABLE_MIN_SIZE, false) > c->pw - 2.0f * MARGIN_SIDE + WRAP_SLACK;
    g_free(m);
    g_strfreev(head);
    g_strfreev(txt);
    return wide;
}

/* The width the columns need at the smallest table size, measured with the run's fonts; 0 without them. */
static float min_width(obs_fonts *fonts, const obs_pdf_column_bound *cols, size_t ncols)
{
    measurer *f = pdf_measure_begin(fonts);
    float need_w = 0.0f;
    if (f) {
        colneed *m = g_new0(colneed, ncols);
        for (size_t j = 0; j < ncols; j++) {
            char *head = pdf_to_cp1252(cols[j].header), *widest = pdf_to_cp1252(cols[j].widest);
            need_header(&m[j], f->bold, head);
            need_cell(&m[j], f->bold, widest, cols[j].text);
            g_free(head);
            g_free(widest);
        }
        need_w = sum_min(m, ncols, TABLE_MIN_SIZE, false);
        g_free(m);
    }
    pdf_measure_end(fonts);
    return need_w;
}

obs_status obs_pdf_table_check(const obs_fonts *fonts, const obs_pdf_column_bound *cols, size_t ncols,
                               obs_error *err)
{
    if (ncols == 0)
        return OBS_OK;
    obs_fonts *own = NULL;
    if (!fonts) {
        obs_error ignored = {0};
        if (obs_fonts_find(&own, &ignored) != OBS_OK)
            return OBS_OK; /* without fonts nothing is drawn either: the render says why */
        fonts = own;
    }
    /* The measuring fonts are loaded once per obs_fonts, under its lock (obs_fonts is shared). */
    float need_w = min_width((obs_fonts *)fonts, cols, ncols);
    obs_fonts_free(own);
    /* The narrowest page a table can have: Letter, turned to landscape. */
    float W = 792.0f - 2.0f * MARGIN_SIDE;
    if (need_w <= W + WRAP_SLACK)
        return OBS_OK;
    char a[OBS_FMT_MAX], b[OBS_FMT_MAX], c[OBS_FMT_MAX];
    return obs_error_set(err, OBS_ERR_CONFIG, NULL, 0, 0,
                         "la tabla es demasiado ancha aun en una página apaisada: sus %zu columnas necesitan "
                         "%s cm con la letra más pequeña (%s puntos) y la página deja %s cm; quite "
                         "columnas o divídala en dos tablas",
                         ncols, obs_fmt_dec(a, sizeof a, (double)(need_w / PT_PER_MM) / 10.0, 1),
                         obs_fmt_dec(b, sizeof b, OBS_PDF_TABLE_MIN_SIZE, 1),
                         obs_fmt_dec(c, sizeof c, (double)(W / PT_PER_MM) / 10.0, 1));
}
