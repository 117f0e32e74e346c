/* render_xlsx.c - renders the report model as an XLSX workbook with libxlsxwriter 1.1.4. */

/* uselocale()/newlocale() are POSIX 2008; -std=c11 hides them otherwise. */
#define _POSIX_C_SOURCE 200809L

#include "observa/render.h"

#include <glib.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

/* Sheet layout: title in A1, a blank row, the header, then the data. */
enum {
    ROW_TITLE = 0,
    ROW_HEADER = 2,
    ROW_FIRST_DATA = 3
};

/* Excel limits: sheet names count UTF-16 code units; cells hold 32,767 characters. */
enum {
    SHEET_NAME_MAX = 31,
    CELL_TEXT_MAX = 32767,
    HEADER_FOOTER_TEXT_MAX = 100
};

/* House colours: header fill, light alert fill for marked rows, alert colour. */
#define COLOR_HEADER_FILL 0xD9E1F2
#define COLOR_TOTAL_FILL 0xF2F2F2
#define COLOR_MARK_FILL 0xFCE4E4
#define COLOR_ALERT 0xC00000
#define COLOR_BORDER 0xBFBFBF
#define COLOR_TOTAL_BORDER 0x595959
#define COLOR_THRESHOLD 0x404040

/* Chart series colours, in series order. */
static const lxw_color_t series_palette[] = {
    0x2F5597, 0xA5A5A5, 0x70AD47, 0xED7D31, 0x7030A0, 0x00B0F0,
};

/* Width of a column from the length in characters of its widest text. */
#define WIDTH_PER_CHAR 1.1
#define WIDTH_PADDING 2.0
#define WIDTH_MIN 6.0
#define WIDTH_MAX 60.0

/* Number-format slots of the cell-format cache. DEC needs one slot per number
 * of decimals so that Excel rounds like obs_fmt_dec() does. */
enum {
    SLOT_BLANK = 0,
    SLOT_TEXT,
    SLOT_INT,
    SLOT_PCT,
    SLOT_DELTA,
    SLOT_DEC0,
    DEC_MAX = 6,
    SLOT_COUNT = SLOT_DEC0 + DEC_MAX + 1
};

enum { ALIGN_COUNT = 3 };
#define FMT_CACHE_SIZE (SLOT_COUNT * ALIGN_COUNT * 2 * 2 * 2 * 2 * 2)

/* Everything one render needs; lives on the caller's stack, so renders of
 * different documents in different threads share nothing. */
typedef struct xlsx_ctx {
    const obs_doc *doc;
    const char *path;
    obs_error *err;
    lxw_workbook *wb;
    GHashTable *sheet_keys; /* case-folded sheet names already used */
    char *header_text;      /* page header, escaped for Excel */
    lxw_format *title_fmt;
    lxw_format *note_fmt;
    lxw_format *header_fmt[ALIGN_COUNT];
    lxw_format *cell_fmt[FMT_CACHE_SIZE];
} xlsx_ctx;

/* Style of one cell: the key of the format cache. */
typedef struct cell_style {
    int slot;
    obs_align align;
    bool bold;
    bool total;
    bool row_mark;
    bool cell_mark;
    bool wrap; /* text in a column at the maximum width wraps instead of being cut off */
} cell_style;

/* Records a libxlsxwriter failure; sheet may be NULL (workbook-level calls). */
static obs_status lxw_fail(xlsx_ctx *ctx, lxw_error e, const char *sheet,
                           const char *what)
{
    obs_status code = e == LXW_ERROR_MEMORY_MALLOC_FAILED ? OBS_ERR_NOMEM : OBS_ERR_INTERNAL;
    if (!sheet)
        return obs_error_set(ctx->err, code, ctx->path, 0, 0,
                             "no se pudo escribir %s del libro XLSX: %s", what,
                             lxw_strerror(e));
    return obs_error_set(ctx->err, code, ctx->path, 0, 0,
                         "no se pudo escribir %s en la hoja «%s» del libro XLSX: %s", what,
                         sheet, lxw_strerror(e));
}

/* Returns from the calling function when a libxlsxwriter call fails. */
#define TRY(ctx, call, sheet, what)                                           \
    do {                                                                      \
        lxw_error try_e_ = (call);                                            \
        if (try_e_ != LXW_NO_ERROR)                                           \
            return lxw_fail((ctx), try_e_, (sheet), (what));                  \
    } while (0)

static obs_status nomem(xlsx_ctx *ctx, const char *what)
{
    return obs_error_set(ctx->err, OBS_ERR_NOMEM, ctx->path, 0, 0,
                         "memoria insuficiente al crear %s del libro XLSX", what);
}

/* ---------------------------------------------------------------- text */

/* Pointer past the longest prefix of s with at most max UTF-16 units: never inside a character. */
static char *utf16_cut(char *s, size_t max)
{
    size_t n = 0;
    char *p = s;
    while (*p) {
        size_t w = g_utf8_get_char(p) > 0xFFFF ? 2 : 1;
        if (n + w > max)
            break;
        n += w;
        p = g_utf8_next_char(p);
    }
    return p;
}

/* Text that is safe to hand to libxlsxwriter: valid UTF-8 (it does not check, and
 * Excel rejects the file otherwise) and within Excel's cell limit. NULL → "". */
static char *cell_text(const char *s)
{
    if (!s)
        return g_strdup("");
    char *t = g_utf8_validate(s, -1, NULL) ? g_strdup(s) : g_utf8_make_valid(s, -1);
    if (strlen(t) > CELL_TEXT_MAX && g_utf8_strlen(t, -1) > CELL_TEXT_MAX)
        *g_utf8_offset_to_pointer(t, CELL_TEXT_MAX) = '\0';
    return t;
}

/* Chart titles and names starting with '=' are taken by libxlsxwriter as cell
 * references; a zero-width space keeps a literal title literal. */
static char *chart_text(const char *s)
{
    char *t = cell_text(s);
    if (t[0] != '=')
        return t;
    char *u = g_strconcat("\u200B", t, NULL);
    g_free(t);
    return u;
}

static bool is_trim_char(char c)
{
    return c == ' ' || c == '\'' || c == '\t';
}

/* Removes spaces and apostrophes at both ends (Excel refuses a name that
 * starts or ends with an apostrophe). */
static void trim_name(char *s)
{
    size_t len = strlen(s);
    while (len > 0 && is_trim_char(s[len - 1]))
        s[--len] = '\0';
    size_t start = 0;
    while (s[start] && is_trim_char(s[start]))
        start++;
    memmove(s, s + start, len - start + 1);
}

/* A legal sheet name from raw text, or "" when nothing is left. */
static char *clean_sheet_name(const char *raw)
{
    char *valid = cell_text(raw);
    GString *out = g_string_sized_new(strlen(valid));
    for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
        gunichar ch = g_utf8_get_char(p);
        if (ch < 0x20 || ch == 0x7F || (ch < 0x80 && strchr("[]:*?/\\", (int)ch)))
            continue;
        g_string_append_unichar(out, ch);
    }
    g_free(valid);
    char *name = g_string_free(out, FALSE);
    trim_name(name);
    *utf16_cut(name, SHEET_NAME_MAX) = '\0';
    trim_name(name);
    return name;
}

/* Excel compares sheet names without regard to case. */
static char *sheet_key(const char *name)
{
    return g_utf8_casefold(name, -1);
}

static bool sheet_taken(xlsx_ctx *ctx, const char *name)
{
    char *key = sheet_key(name);
    /* Excel reserves "History" for its change-tracking sheet. */
    bool taken = strcmp(key, "history") == 0 || g_hash_table_contains(ctx->sheet_keys, key);
    g_free(key);
    return taken;
}

/* The sheet name for `wanted`: sanitized, never blank (falls back to the id),
 * unique in the workbook ("Nombre (2)" …, still within 31 units). */
static char *unique_sheet_name(xlsx_ctx *ctx, const char *wanted, const char *id)
{
    char *base = clean_sheet_name(wanted);
    if (!base[0]) {
        g_free(base);
        base = clean_sheet_name(id);
    }
    if (!base[0]) {
        g_free(base);
        base = g_strdup("Hoja");
    }
    char *name = g_strdup(base);
    for (unsigned n = 2; sheet_taken(ctx, name); n++) {
        char suffix[16];
        snprintf(suffix, sizeof suffix, " (%u)", n);
        char *stem = g_strdup(base);
        *utf16_cut(stem, SHEET_NAME_MAX - strlen(suffix)) = '\0';
        trim_name(stem);
        g_free(name);
        name = g_strconcat(stem, suffix, NULL);
        g_free(stem);
    }
    g_free(base);
    g_hash_table_add(ctx->sheet_keys, sheet_key(name));
    return name;
}

/* Escapes '&' (Excel's header/footer control character) and shortens the text. */
static char *header_footer_text(const char *s)
{
    char *t = cell_text(s);
    if (g_utf8_strlen(t, -1) > HEADER_FOOTER_TEXT_MAX)
        *g_utf8_offset_to_pointer(t, HEADER_FOOTER_TEXT_MAX) = '\0';
    GString *out = g_string_new(NULL);
    for (const char *p = t; *p; p++) {
        if (*p == '&')
            g_string_append_c(out, '&');
        g_string_append_c(out, *p);
    }
    g_free(t);
    return g_string_free(out, FALSE);
}

/* ------------------------------------------------------------- formats */

static const char *slot_num_format(int slot, char *buf, size_t size)
{
    switch (slot) {
    case SLOT_INT:
        return "#,##0";
    case SLOT_PCT:
        return "0.0%";
    case SLOT_DELTA:
        return "+#,##0;-#,##0;0";
    default:
        break;
    }
    if (slot < SLOT_DEC0)
        return NULL;
    /* "#,##0.0#" for 2 decimals: like obs_fmt_dec(), one decimal always shown
     * (so 6 reads "6.0", not "6."), further ones only when not zero. */
    int decimals = slot - SLOT_DEC0;
    if (decimals == 0)
        return "#,##0";
    snprintf(buf, size, "#,##0.0%.*s", decimals - 1, "#####");
    return buf;
}

static int dec_slot(int decimals)
{
    return SLOT_DEC0 + (decimals < 0 ? 0 : decimals > DEC_MAX ? DEC_MAX : decimals);
}

/* LEFT is the model's zero default, so it maps to Excel's general alignment:
 * text reads left, numbers right, as a reader expects. */
static void apply_align(lxw_format *f, obs_align align)
{
    if (align == OBS_ALIGN_RIGHT)
        format_set_align(f, LXW_ALIGN_RIGHT);
    else if (align == OBS_ALIGN_CENTER)
        format_set_align(f, LXW_ALIGN_CENTER);
}

static unsigned align_index(obs_align align)
{
    return (unsigned)align < ALIGN_COUNT ? (unsigned)align : 0;
}

/* The shared format for a style: each combination is created once per workbook. */
static lxw_format *style_format(xlsx_ctx *ctx, cell_style st)
{
    size_t idx = (size_t)st.slot;
    idx = idx * ALIGN_COUNT + align_index(st.align);
    idx = idx * 2 + st.bold;
    idx = idx * 2 + st.total;
    idx = idx * 2 + st.row_mark;
    idx = idx * 2 + st.cell_mark;
    idx = idx * 2 + st.wrap;
    if (ctx->cell_fmt[idx])
        return ctx->cell_fmt[idx];

    lxw_format *f = workbook_add_format(ctx->wb);
    if (!f)
        return NULL;
    char buf[32];
    const char *num = slot_num_format(st.slot, buf, sizeof buf);
    if (num)
        format_set_num_format(f, num);
    apply_align(f, st.align);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_border_color(f, COLOR_BORDER);
    if (st.bold || st.total || st.cell_mark)
        format_set_bold(f);
    if (st.total) {
        format_set_top(f, LXW_BORDER_MEDIUM);
        format_set_top_color(f, COLOR_TOTAL_BORDER);
    }
    if (st.row_mark || st.total) {
        format_set_pattern(f, LXW_PATTERN_SOLID);
        format_set_bg_color(f, st.row_mark ? COLOR_MARK_FILL : COLOR_TOTAL_FILL);
    }
    if (st.cell_mark)
        format_set_font_color(f, COLOR_ALERT);
    if (st.wrap) {
        format_set_text_wrap(f);
        format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    }
    ctx->cell_fmt[idx] = f;
    return f;
}

static obs_status create_fixed_formats(xlsx_ctx *ctx)
{
    ctx->title_fmt = workbook_add_format(ctx->wb);
    if (!ctx->title_fmt)
        return nomem(ctx, "los formatos");
    format_set_bold(ctx->title_fmt);
    format_set_font_size(ctx->title_fmt, 14);

    ctx->note_fmt = workbook_add_format(ctx->wb);
    if (!ctx->note_fmt)
        return nomem(ctx, "los formatos");
    format_set_text_wrap(ctx->note_fmt);
    format_set_align(ctx->note_fmt, LXW_ALIGN_VERTICAL_TOP);

    for (unsigned a = 0; a < ALIGN_COUNT; a++) {
        lxw_format *f = workbook_add_format(ctx->wb);
        if (!f)
            return nomem(ctx, "los formatos");
        format_set_bold(f);
        format_set_text_wrap(f);
        format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
        apply_align(f, (obs_align)a);
        format_set_pattern(f, LXW_PATTERN_SOLID);
        format_set_bg_color(f, COLOR_HEADER_FILL);
        format_set_border(f, LXW_BORDER_THIN);
        format_set_border_color(f, COLOR_TOTAL_BORDER);
        ctx->header_fmt[a] = f;
    }
    return OBS_OK;
}

/* ------------------------------------------------------------- columns */

static double width_for_chars(size_t chars)
{
    double w = (double)chars * WIDTH_PER_CHAR + WIDTH_PADDING;
    return w < WIDTH_MIN ? WIDTH_MIN : w > WIDTH_MAX ? WIDTH_MAX : w;
}

/* Characters of the longest word: the header wraps, so words set the minimum width. */
static size_t longest_word(const char *s)
{
    size_t best = 0, cur = 0;
    for (const char *p = s ? s : ""; *p; p = g_utf8_next_char(p)) {
        if (g_unichar_isspace(g_utf8_get_char(p)))
            cur = 0;
        else if (++cur > best)
            best = cur;
    }
    return best;
}

/* Lines a header needs when wrapped at `width`: its height is set explicitly
 * so that every reader shows the whole header, whether it lays text out or not. */
static unsigned wrapped_lines(const char *s, double width)
{
    size_t cap = (size_t)((width - WIDTH_PADDING) / WIDTH_PER_CHAR);
    if (cap < 1)
        cap = 1;
    unsigned lines = 1;
    size_t used = 0;
    char **words = g_strsplit(s ? s : "", " ", -1);
    for (char **w = words; *w; w++) {
        size_t len = (size_t)g_utf8_strlen(*w, -1);
        if (len == 0)
            continue;
        if (used == 0)
            used = len;
        else if (used + 1 + len <= cap)
            used += 1 + len;
        else {
            lines++;
            used = len;
        }
    }
    g_strfreev(words);
    return lines;
}

/* Writes the header row, the column widths (from `chars`, the widest text of
 * each column) and the header row's height. */
static obs_status write_header(xlsx_ctx *ctx, lxw_worksheet *ws, const char *sheet,
                               size_t ncols, char *const *headers, const obs_align *aligns,
                               const size_t *chars)
{
    unsigned lines = 1;
    for (size_t c = 0; c < ncols; c++) {
        double w = width_for_chars(chars[c]);
        TRY(ctx, worksheet_write_string(ws, ROW_HEADER, (lxw_col_t)c, headers[c],
                                        ctx->header_fmt[align_index(aligns[c])]),
            sheet, "el encabezado");
        TRY(ctx, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL), sheet,
            "el ancho de columna");
        unsigned l = wrapped_lines(headers[c], w);
        if (l > lines)
            lines = l;
    }
    TRY(ctx, worksheet_set_row(ws, ROW_HEADER, LXW_DEF_ROW_HEIGHT * lines, NULL), sheet,
        "la altura del encabezado");
    return OBS_OK;
}

/* ---------------------------------------------------------- page setup */

static obs_status write_title(xlsx_ctx *ctx, lxw_worksheet *ws, const char *sheet,
                              const char *title)
{
    char *t = cell_text(title ? title : sheet);
    lxw_error e = worksheet_write_string(ws, ROW_TITLE, 0, t, ctx->title_fmt);
    g_free(t);
    TRY(ctx, e, sheet, "el título");
    TRY(ctx, worksheet_set_row(ws, ROW_TITLE, 21, NULL), sheet, "la altura del título");
    return OBS_OK;
}

/* Landscape, one page wide, header row repeated, paper of the document, page
 * header with the sheet name and footer with page numbers; header row frozen. */
static obs_status page_setup(xlsx_ctx *ctx, lxw_worksheet *ws, const char *sheet,
                             bool has_header)
{
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, ctx->doc->paper == OBS_PAPER_A4 ? 9 : 1);
    worksheet_fit_to_pages(ws, 1, 0);
    /* ≈2 cm, like the PDF. */
    worksheet_set_margins(ws, 0.79, 0.79, 0.79, 0.79);
    TRY(ctx, worksheet_set_header(ws, ctx->header_text), sheet, "el encabezado de página");
    TRY(ctx, worksheet_set_footer(ws, "&LInstituto Nacional Electoral&RPágina &P de &N"),
        sheet, "el pie de página");
    if (has_header) {
        TRY(ctx, worksheet_repeat_rows(ws, ROW_HEADER, ROW_HEADER), sheet,
            "las filas repetidas");
        worksheet_freeze_panes(ws, ROW_HEADER + 1, 0);
    }
    return OBS_OK;
}

/* --------------------------------------------------------------- tables */

static int cell_slot(const obs_cell *cell)
{
    switch (cell->kind) {
    case OBS_CELL_TEXT:
        return SLOT_TEXT;
    case OBS_CELL_INT:
        return SLOT_INT;
    case OBS_CELL_PCT:
        return cell->den > 0 ? SLOT_PCT : SLOT_TEXT;
    case OBS_CELL_DELTA:
        return SLOT_DELTA;
    case OBS_CELL_DEC:
        return dec_slot(cell->decimals);
    case OBS_CELL_EMPTY:
    default:
        return SLOT_BLANK;
    }
}

/* Writes one cell. `sum_range` (e.g. "D4:D35") is set for INT cells of a total
 * row that have data rows above them: those become SUM formulas with the
 * model's value cached, so readers that do not recalculate see the number. */
static obs_status write_cell(xlsx_ctx *ctx, lxw_worksheet *ws, const char *sheet,
                             lxw_row_t row, lxw_col_t col, const obs_cell *cell,
                             cell_style st, const char *sum_range)
{
    st.slot = cell_slot(cell);
    st.bold = st.bold || (cell->flags & OBS_CELL_BOLD);
    st.cell_mark = cell->flags & OBS_CELL_MARK;
    /* A zero-base percentage prints "–": keep it aligned with the figures. */
    if (cell->kind == OBS_CELL_PCT && cell->den <= 0 && st.align == OBS_ALIGN_LEFT)
        st.align = OBS_ALIGN_RIGHT;
    lxw_format *f = style_format(ctx, st);
    if (!f)
        return nomem(ctx, "los formatos");

    lxw_error e = LXW_NO_ERROR;
    switch (cell->kind) {
    case OBS_CELL_EMPTY:
        e = worksheet_write_blank(ws, row, col, f);
        break;
    case OBS_CELL_TEXT: {
        /* Always a string: text from the input never becomes a formula. */
        char *t = cell_text(cell->text);
        e = worksheet_write_string(ws, row, col, t, f);
        g_free(t);
        break;
    }
    case OBS_CELL_INT:
        if (sum_range) {
            char formula[64];
            snprintf(formula, sizeof formula, "=SUM(%s)", sum_range);
            e = worksheet_write_formula_num(ws, row, col, formula, f, (double)cell->num);
        } else {
            e = worksheet_write_number(ws, row, col, (double)cell->num, f);
        }
        break;
    case OBS_CELL_PCT:
        if (cell->den > 0)
            e = worksheet_write_number(ws, row, col, (double)cell->num / (double)cell->den, f);
        else
            e = worksheet_write_string(ws, row, col, "–", f);
        break;
    case OBS_CELL_DELTA:
        e = worksheet_write_number(ws, row, col, (double)cell->num, f);
        break;
    case OBS_CELL_DEC:
        /* libxlsxwriter would print NaN/Inf as text inside a numeric cell. */
        if (isfinite(cell->dec))
            e = worksheet_write_number(ws, row, col, cell->dec, f);
        else
            e = worksheet_write_blank(ws, row, col, f);
        break;
    }
    TRY(ctx, e, sheet, "una celda");
    return OBS_OK;
}

/* Characters the cell shows: its formatted text, as the PDF prints it. */
static size_t cell_chars(const obs_cell *cell)
{
    if (cell->kind == OBS_CELL_TEXT)
        return cell->text && g_utf8_validate(cell->text, -1, NULL)
                   ? (size_t)g_utf8_strlen(cell->text, -1)
                   : (cell->text ? strlen(cell->text) : 0);
    char buf[OBS_FMT_MAX];
    obs_cell_format(cell, buf, sizeof buf);
    return (size_t)g_utf8_strlen(buf, -1);
}

/* The note under a table, wrapped within the table's width: text overflowing
 * to the right would widen the printed area and shrink every page that is fit
 * to one page wide. Merged cells do not grow with their text, so the row
 * height is estimated from the note's length. */
static obs_status write_note(xlsx_ctx *ctx, lxw_worksheet *ws, const char *sheet,
                             lxw_row_t row, size_t ncols, double table_width,
                             const char *raw)
{
    char *note = cell_text(raw);
    size_t per_line = (size_t)(table_width / WIDTH_PER_CHAR);
    size_t lines = 0;
    char **paras = g_strsplit(note, "\n", -1);
    for (char **p = paras; *p; p++)
        lines += 1 + (size_t)g_utf8_strlen(*p, -1) / (per_line ? per_line : 1);
    g_strfreev(paras);
    lxw_error e = ncols > 1 ? worksheet_merge_range(ws, row, 0, row, (lxw_col_t)(ncols - 1),
                                                    note, ctx->note_fmt)
                            : worksheet_write_string(ws, row, 0, note, ctx->note_fmt);
    g_free(note);
    TRY(ctx, e, sheet, "la nota");
    /* Excel's tallest row is 409 points. */
    double height = LXW_DEF_ROW_HEIGHT * (double)lines;
    TRY(ctx, worksheet_set_row(ws, row, height > 409 ? 409 : height, NULL), sheet,
        "la altura de la nota");
    return OBS_OK;
}

static obs_status add_sheet(xlsx_ctx *ctx, const char *sheet, lxw_worksheet **ws)
{
    *ws = workbook_add_worksheet(ctx->wb, sheet);
    if (!*ws)
        return obs_error_set(ctx->err, OBS_ERR_INTERNAL, ctx->path, 0, 0,
                             "no se pudo crear la hoja «%s» del libro XLSX", sheet);
    return OBS_OK;
}

/* A table on its own sheet: title, header, rows, total formulas, filter, note. */
static obs_status write_table(xlsx_ctx *ctx, lxw_worksheet *ws, const obs_table *t,
                              const char *sheet)
{
    obs_status st = write_title(ctx, ws, sheet, t->title);
    if (st != OBS_OK)
        return st;
    if (t->ncols == 0)
        return page_setup(ctx, ws, sheet, false);

    /* Widths first: a column whose text would be cut off at the maximum width wraps. */
    size_t *chars = g_new0(size_t, t->ncols);
    char **headers = g_new0(char *, t->ncols);
    obs_align *aligns = g_new0(obs_align, t->ncols);
    for (size_t c = 0; c < t->ncols; c++) {
        headers[c] = cell_text(t->cols[c].header);
        aligns[c] = t->cols[c].align;
        chars[c] = longest_word(headers[c]);
        for (size_t r = 0; r < t->nrows; r++) {
            size_t n = cell_chars(&t->rows[r].cells[c]);
            if (n > chars[c])
                chars[c] = n;
        }
    }
    st = write_header(ctx, ws, sheet, t->ncols, headers, aligns, chars);
    double table_width = 0;
    for (size_t c = 0; c < t->ncols; c++)
        table_width += width_for_chars(chars[c]);

    /* Data rows since the last total row: what the next total row sums. */
    bool have_block = false;
    lxw_row_t block_first = 0, block_last = 0;
    bool have_data = false;
    lxw_row_t last_data = ROW_HEADER;
    for (size_t r = 0; r < t->nrows && st == OBS_OK; r++) {
        const obs_row *row = &t->rows[r];
        lxw_row_t xr = (lxw_row_t)(ROW_FIRST_DATA + r);
        bool total = row->kind == OBS_ROW_TOTAL;
        for (size_t c = 0; c < t->ncols && st == OBS_OK; c++) {
            const obs_cell *cell = &row->cells[c];
            char range[32];
            const char *sum = NULL;
            if (total && have_block && cell->kind == OBS_CELL_INT && !(cell->flags & OBS_CELL_NOSUM)) {
                lxw_rowcol_to_range(range, block_first, (lxw_col_t)c, block_last, (lxw_col_t)c);
                sum = range;
            }
            bool too_wide = (double)chars[c] * WIDTH_PER_CHAR + WIDTH_PADDING > WIDTH_MAX;
            cell_style cs = {.align = aligns[c], .total = total, .bold = total,
                             .row_mark = row->marked,
                             .wrap = too_wide && cell->kind == OBS_CELL_TEXT};
            st = write_cell(ctx, ws, sheet, xr, (lxw_col_t)c, cell, cs, sum);
        }
        if (total) {
            have_block = false;
        } else {
            if (!have_block)
                block_first = xr;
            have_block = true;
            block_last = xr;
            have_data = true;
            last_data = xr;
        }
    }
    for (size_t c = 0; c < t->ncols; c++)
        g_free(headers[c]);
    g_free(headers);
    g_free(aligns);
    g_free(chars);
    if (st != OBS_OK)
        return st;

    /* The filter covers the header and the data rows; a total row below the
     * data stays out, so sorting or filtering never moves it. */
    TRY(ctx, worksheet_autofilter(ws, ROW_HEADER, 0, have_data ? last_data : ROW_HEADER,
                                  (lxw_col_t)(t->ncols - 1)),
        sheet, "el autofiltro");

    if (t->note) {
        /* One blank row between table and note: Excel's "current region" (Ctrl+A,
         * Format as Table, pivot tables) stops at a blank row, so the note stays out. */
        st = write_note(ctx, ws, sheet, (lxw_row_t)(ROW_FIRST_DATA + t->nrows + 1), t->ncols,
                        table_width, t->note);
        if (st != OBS_OK)
            return st;
    }
    return page_setup(ctx, ws, sheet, true);
}

/* --------------------------------------------------------------- charts */

static bool all_integral(const obs_chart *c)
{
    for (size_t s = 0; s < c->nseries; s++)
        for (size_t i = 0; i < c->ncats; i++) {
            double v = c->series[s].values[i];
            if (isfinite(v) && (v != floor(v) || fabs(v) > 1e15))
                return false;
        }
    return !c->has_threshold || c->threshold == floor(c->threshold);
}

/*
 * The chart's data as a table of the model, written like any other: A = the
 * categories, one column per series, then the threshold as a constant column.
 * Highlighted categories are marked rows. Counts (all values integral) are INT
 * cells, the rest DEC with two decimals. Strings are borrowed, not copied.
 */
static void chart_table(const obs_chart *c, const char *sheet, const char *threshold_name,
                        obs_table *t)
{
    size_t ncols = 1 + c->nseries + (c->has_threshold ? 1 : 0);
    bool integral = all_integral(c);
    obs_column *cols = g_new0(obs_column, ncols);
    /* The category axis is the vertical one in a horizontal bar chart. */
    const char *cat_title = c->kind == OBS_CHART_HBAR ? c->y_title : c->x_title;
    cols[0] = (obs_column){.header = (char *)(cat_title ? cat_title : "Categoría")};
    for (size_t k = 1; k < ncols; k++) {
        const char *h = k <= c->nseries ? c->series[k - 1].name : threshold_name;
        cols[k] = (obs_column){.header = (char *)(h ? h : ""), .align = OBS_ALIGN_RIGHT};
    }
    obs_row *rows = g_new0(obs_row, c->ncats);          /* NULL when empty */
    obs_cell *cells = g_new0(obs_cell, c->ncats * ncols); /* rows[0].cells */
    for (size_t i = 0; i < c->ncats; i++) {
        obs_cell *row = &cells[i * ncols];
        rows[i] = (obs_row){.kind = OBS_ROW_DATA, .marked = c->highlight[i], .cells = row};
        row[0] = (obs_cell){.kind = OBS_CELL_TEXT, .text = c->cats[i]};
        for (size_t k = 1; k < ncols; k++) {
            double v = k <= c->nseries ? c->series[k - 1].values[i] : c->threshold;
            if (!isfinite(v))
                row[k] = (obs_cell){.kind = OBS_CELL_EMPTY};
            else if (integral)
                row[k] = (obs_cell){.kind = OBS_CELL_INT, .num = (int64_t)v};
            else
                row[k] = (obs_cell){.kind = OBS_CELL_DEC, .dec = v, .decimals = 2};
        }
    }
    *t = (obs_table){.id = c->id, .title = c->title ? c->title : (char *)sheet,
                     .sheet = (char *)sheet, .note = c->note, .targets = OBS_TARGET_XLSX,
                     .ncols = ncols, .cols = cols, .nrows = c->ncats, .rows = rows};
}

static void chart_table_free(obs_table *t)
{
    g_free(t->nrows ? t->rows[0].cells : NULL);
    g_free(t->rows);
    g_free(t->cols);
}

/* Colours the highlighted categories of a single-series bar chart. libxlsxwriter
 * takes every point in order (the list is NULL-terminated), so the others get
 * the series colour explicitly. */
static obs_status highlight_points(xlsx_ctx *ctx, const char *sheet, const obs_chart *c,
                                   lxw_chart_series *ser, lxw_color_t base)
{
    bool any = false;
    for (size_t i = 0; i < c->ncats; i++)
        any = any || c->highlight[i];
    if (!any)
        return OBS_OK;
    lxw_chart_fill normal = {.color = base};
    lxw_chart_fill alert = {.color = COLOR_ALERT};
    lxw_chart_point *pts = g_new0(lxw_chart_point, c->ncats);
    lxw_chart_point **list = g_new0(lxw_chart_point *, c->ncats + 1);
    for (size_t i = 0; i < c->ncats; i++) {
        pts[i].fill = c->highlight[i] ? &alert : &normal;
        list[i] = &pts[i];
    }
    lxw_error e = chart_series_set_points(ser, list);
    g_free(list);
    g_free(pts);
    TRY(ctx, e, sheet, "los colores de la gráfica");
    return OBS_OK;
}

/* Writes the threshold's label next to its line, on the last category, so that
 * a single-series chart needs no legend to explain the line. */
static obs_status label_threshold(xlsx_ctx *ctx, const char *sheet, const obs_chart *c,
                                  lxw_chart_series *ser, const char *label)
{
    lxw_chart_font font = {.size = 9, .color = COLOR_THRESHOLD};
    /* An opaque box: the label may fall on a bar. */
    lxw_chart_fill box = {.color = 0xFFFFFF};
    lxw_chart_data_label hidden = {.hide = LXW_TRUE};
    char *text = chart_text(label);
    lxw_chart_data_label shown = {.value = text, .font = &font, .fill = &box};
    lxw_chart_data_label **list = g_new0(lxw_chart_data_label *, c->ncats + 1);
    for (size_t i = 0; i < c->ncats; i++)
        list[i] = i + 1 == c->ncats ? &shown : &hidden;
    chart_series_set_labels(ser);
    chart_series_set_labels_position(ser, c->kind == OBS_CHART_LINE
                                              ? LXW_CHART_LABEL_POSITION_ABOVE
                                              : LXW_CHART_LABEL_POSITION_OUTSIDE_END);
    lxw_error e = chart_series_set_labels_custom(ser, list);
    g_free(list);
    g_free(text);
    TRY(ctx, e, sheet, "la etiqueta del umbral");
    return OBS_OK;
}

/*
 * The threshold as a line. libxlsxwriter 1.1.4 has no chart_combine() and no
 * secondary axis, so a bar chart cannot contain a line series. What both Excel
 * and LibreOffice draw is a trendline: the threshold column is added as an
 * invisible series (no fill, no border) and given a linear trendline, which
 * over constant values is exactly the threshold, extended half a category at
 * each end so that it crosses the whole plot. In a horizontal bar chart it is a
 * vertical line at the threshold, in a column chart a horizontal one; the bars
 * stay native bars with their per-point colours. A line chart just gets a
 * dashed series.
 */
static obs_status add_threshold(xlsx_ctx *ctx, const char *sheet, const obs_chart *c,
                                lxw_chart *chart, lxw_row_t r0, lxw_row_t r1,
                                lxw_col_t col, const char *label)
{
    lxw_chart_series *ser = chart_add_series(chart, NULL, NULL);
    if (!ser)
        return nomem(ctx, "la gráfica");
    chart_series_set_categories(ser, sheet, r0, 0, r1, 0);
    chart_series_set_values(ser, sheet, r0, col, r1, col);
    lxw_chart_line dashed = {.color = COLOR_THRESHOLD, .width = 1.75f,
                             .dash_type = LXW_CHART_LINE_DASH_DASH};
    if (c->kind == OBS_CHART_LINE) {
        chart_series_set_name_range(ser, sheet, ROW_HEADER, col);
        chart_series_set_line(ser, &dashed);
        chart_series_set_marker_type(ser, LXW_CHART_MARKER_NONE);
    } else {
        /* The carrier's legend entry must vanish, but legend-entry deletion is
         * not portable (LibreOffice maps the indexes of a bar chart in reverse
         * and hides a trendline's entry with its series): a blank name leaves
         * an empty slot, while the trendline keeps its named entry. */
        chart_series_set_name(ser, " ");
        lxw_chart_fill no_fill = {.none = LXW_TRUE};
        lxw_chart_line no_line = {.none = LXW_TRUE};
        chart_series_set_fill(ser, &no_fill);
        chart_series_set_line(ser, &no_line);
        chart_series_set_trendline(ser, LXW_CHART_TRENDLINE_TYPE_LINEAR, 0);
        chart_series_set_trendline_forecast(ser, 0.5, 0.5);
        chart_series_set_trendline_line(ser, &dashed);
        char *name = chart_text(label);
        chart_series_set_trendline_name(ser, name);
        g_free(name);
    }
    return label_threshold(ctx, sheet, c, ser, label);
}

static lxw_chart *new_chart(xlsx_ctx *ctx, obs_chart_kind kind)
{
    switch (kind) {
    case OBS_CHART_HBAR:
        return workbook_add_chart(ctx->wb, LXW_CHART_BAR);
    case OBS_CHART_LINE:
        return workbook_add_chart(ctx->wb, LXW_CHART_LINE);
    case OBS_CHART_COLUMN:
    default:
        return workbook_add_chart(ctx->wb, LXW_CHART_COLUMN);
    }
}

static void set_axis_title(lxw_chart_axis *axis, const char *title)
{
    if (!title || !title[0])
        return;
    char *t = chart_text(title);
    chart_axis_set_name(axis, t);
    g_free(t);
}

static obs_status write_chart(xlsx_ctx *ctx, const obs_chart *c, const char *sheet)
{
    lxw_worksheet *ws;
    obs_status st = add_sheet(ctx, sheet, &ws);
    if (st != OBS_OK)
        return st;
    char *threshold_name = cell_text(c->threshold_label ? c->threshold_label : "Umbral");
    obs_table data;
    chart_table(c, sheet, threshold_name, &data);
    size_t ncols = data.ncols;
    st = write_table(ctx, ws, &data, sheet);
    chart_table_free(&data);
    /* No categories or no series: the data sheet is all there is to show. */
    if (st != OBS_OK || c->ncats == 0 || c->nseries == 0) {
        g_free(threshold_name);
        return st;
    }
    /* No data at all: the sentence the PDF prints, where the chart would be. */
    if (c->empty_text) {
        g_free(threshold_name);
        char *text = cell_text(c->empty_text);
        lxw_error e = worksheet_write_string(ws, ROW_FIRST_DATA, (lxw_col_t)(ncols + 1), text, NULL);
        g_free(text);
        TRY(ctx, e, sheet, "la gráfica sin datos");
        return OBS_OK;
    }

    lxw_chart *chart = new_chart(ctx, c->kind);
    if (!chart) {
        g_free(threshold_name);
        return nomem(ctx, "la gráfica");
    }
    lxw_row_t r0 = ROW_FIRST_DATA, r1 = (lxw_row_t)(ROW_FIRST_DATA + c->ncats - 1);
    bool bars = c->kind != OBS_CHART_LINE;
    for (size_t s = 0; s < c->nseries && st == OBS_OK; s++) {
        lxw_chart_series *ser = chart_add_series(chart, NULL, NULL);
        if (!ser) {
            st = nomem(ctx, "la gráfica");
            break;
        }
        lxw_col_t col = (lxw_col_t)(1 + s);
        chart_series_set_categories(ser, sheet, r0, 0, r1, 0);
        chart_series_set_values(ser, sheet, r0, col, r1, col);
        /* The name comes from the header cell, so the legend follows the table. */
        chart_series_set_name_range(ser, sheet, ROW_HEADER, col);
        lxw_color_t color = series_palette[s % G_N_ELEMENTS(series_palette)];
        if (bars) {
            lxw_chart_fill fill = {.color = color};
            chart_series_set_fill(ser, &fill);
            if (c->nseries == 1)
                st = highlight_points(ctx, sheet, c, ser, color);
        } else {
            lxw_chart_line line = {.color = color, .width = 2.25f};
            chart_series_set_line(ser, &line);
            chart_series_set_marker_type(ser, LXW_CHART_MARKER_NONE);
        }
    }
    if (st == OBS_OK && c->has_threshold)
        st = add_threshold(ctx, sheet, c, chart, r0, r1, (lxw_col_t)(ncols - 1),
                           threshold_name);
    g_free(threshold_name);
    if (st != OBS_OK)
        return st;

    char *title = chart_text(c->title ? c->title : sheet);
    chart_title_set_name(chart, title);
    g_free(title);
    lxw_chart_font title_font = {.size = 12, .bold = LXW_TRUE};
    chart_title_set_name_font(chart, &title_font);

    /* libxlsxwriter swaps a bar chart's axes: x_axis is then the horizontal
     * (value) axis, so x_title/y_title keep meaning horizontal/vertical. */
    lxw_chart_axis *cat_axis = c->kind == OBS_CHART_HBAR ? chart->y_axis : chart->x_axis;
    lxw_chart_axis *val_axis = c->kind == OBS_CHART_HBAR ? chart->x_axis : chart->y_axis;
    set_axis_title(chart->x_axis, c->x_title);
    set_axis_title(chart->y_axis, c->y_title);
    chart_axis_set_num_format(val_axis, all_integral(c) ? "#,##0" : "#,##0.0#");
    lxw_chart_font cat_font = {.size = c->ncats > 12 ? 8 : 10};
    if (c->kind == OBS_CHART_HBAR) {
        /* Bars read top-down in table order; the value axis stays at the bottom. */
        chart_axis_set_reverse(cat_axis);
        chart_axis_set_crossing_max(cat_axis);
    } else if (c->ncats > 12) {
        cat_font.rotation = -45;
    }
    chart_axis_set_num_font(cat_axis, &cat_font);

    if (bars) {
        chart_set_series_gap(chart, 50);
        /* The invisible threshold series would otherwise take half of each slot. */
        if (c->has_threshold && c->nseries == 1)
            chart_set_series_overlap(chart, 100);
    }

    /* A legend only to tell several series apart; the threshold is labelled on its line. */
    chart_legend_set_position(chart, c->nseries > 1 ? LXW_CHART_LEGEND_BOTTOM
                                                    : LXW_CHART_LEGEND_NONE);

    /* Sized so that 32 entidades stay legible: ~20 px per bar in a horizontal
     * bar chart, ~30 px per column, more when several series share a category
     * (the threshold's carrier takes a slot too unless it overlaps a lone
     * series). libxlsxwriter's default chart is 480×288 px. */
    double slots = (double)c->nseries + (c->has_threshold && c->nseries > 1 ? 1 : 0);
    double n = (double)c->ncats, w, h;
    if (c->kind == OBS_CHART_HBAR) {
        w = 760;
        h = 140 + n * (8 + 12 * slots);
    } else if (c->kind == OBS_CHART_COLUMN) {
        w = 160 + n * (14 + 16 * slots);
        h = 460;
    } else {
        w = 160 + n * 24;
        h = 460;
    }
    lxw_chart_options opt = {.x_offset = 16, .y_offset = 0,
                             .x_scale = (w < 560 ? 560 : w > 2400 ? 2400 : w) / 480.0,
                             .y_scale = (h < 320 ? 320 : h) / 288.0};
    /* Beside the table and below the frozen header: an object across the
     * freeze line is split in two panes when the sheet scrolls. */
    TRY(ctx, worksheet_insert_chart_opt(ws, ROW_FIRST_DATA, (lxw_col_t)ncols, chart, &opt),
        sheet, "la gráfica");
    return OBS_OK;
}

/* ------------------------------------------------------------- workbook */

static obs_status write_properties(xlsx_ctx *ctx)
{
    const obs_doc *doc = ctx->doc;
    char *comments = doc->creator ? g_strdup_printf("Generado con %s", doc->creator) : NULL;
    lxw_doc_properties props = {
        .title = doc->title,
        .subject = doc->subject,
        .author = doc->author,
        .company = "Instituto Nacional Electoral",
        .keywords = doc->keywords,
        .comments = comments,
        /* libxlsxwriter stamps "now" when created is 0: keep the epoch deterministic. */
        .created = doc->generated_at != 0 ? (time_t)doc->generated_at : (time_t)1,
    };
    lxw_error e = workbook_set_properties(ctx->wb, &props);
    g_free(comments);
    TRY(ctx, e, NULL, "las propiedades del documento");
    return OBS_OK;
}

/* A table's sheet, named after `wanted` (or the id) and unique. */
static obs_status table_sheet(xlsx_ctx *ctx, const obs_table *t, const char *wanted)
{
    char *name = unique_sheet_name(ctx, wanted, t->id);
    lxw_worksheet *ws;
    obs_status st = add_sheet(ctx, name, &ws);
    if (st == OBS_OK)
        st = write_table(ctx, ws, t, name);
    g_free(name);
    return st;
}

#include "render_xlsx_front.c"

static bool in_workbook(const obs_table *t)
{
    return t->sheet && (t->targets & OBS_TARGET_XLSX);
}

/* One sheet per table and chart, in document order, then the XLSX-only tables.
 * Tables and charts without a sheet name are PDF-only. */
static obs_status write_sheets(xlsx_ctx *ctx)
{
    const obs_doc *doc = ctx->doc;
    obs_status st = OBS_OK;
    size_t written = 0;
    for (size_t s = 0; s < doc->nsections && st == OBS_OK; s++) {
        const obs_section *sec = &doc->sections[s];
        for (size_t b = 0; b < sec->nblocks && st == OBS_OK; b++) {
            const obs_block *blk = &sec->blocks[b];
            if (blk->kind == OBS_BLOCK_TABLE && in_workbook(blk->table)) {
                st = table_sheet(ctx, blk->table, blk->table->sheet);
                written++;
            } else if (blk->kind == OBS_BLOCK_CHART && blk->chart->sheet) {
                char *name = unique_sheet_name(ctx, blk->chart->sheet, blk->chart->id);
                st = write_chart(ctx, blk->chart, name);
                g_free(name);
                written++;
            } else if (front_has_sheet(blk)) {
                st = front_sheet(ctx, sec, blk);
                written++;
            }
        }
    }
    for (size_t i = 0; i < doc->nextra && st == OBS_OK; i++) {
        if (in_workbook(doc->extra[i])) {
            st = table_sheet(ctx, doc->extra[i], doc->extra[i]->sheet);
            written++;
        }
    }
    if (st == OBS_OK && written == 0) {
        /* A workbook needs a sheet; without one libxlsxwriter would add "Sheet1". */
        obs_table empty = {.id = "informe", .title = doc->title};
        st = table_sheet(ctx, &empty, "Informe");
    }
    return st;
}

static obs_status close_error(xlsx_ctx *ctx, lxw_error e)
{
    obs_status code;
    switch (e) {
    case LXW_ERROR_CREATING_XLSX_FILE:
        code = OBS_ERR_CANTCREAT;
        break;
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_FILE_ADD:
    case LXW_ERROR_ZIP_CLOSE:
        code = OBS_ERR_IO;
        break;
    case LXW_ERROR_MEMORY_MALLOC_FAILED:
        code = OBS_ERR_NOMEM;
        break;
    default:
        code = OBS_ERR_INTERNAL;
        break;
    }
    return obs_error_set(ctx->err, code, ctx->path, 0, 0,
                         code == OBS_ERR_CANTCREAT
                             ? "no se puede crear el libro XLSX: %s"
                             : "no se pudo escribir el libro XLSX: %s",
                         lxw_strerror(e));
}

/* The render proper; the thread's decimal point is already ".". */
static obs_status render(const obs_doc *doc, const char *path, obs_error *err)
{
    xlsx_ctx ctx = {.doc = doc, .path = path, .err = err};
    /* No tmpdir: libxlsxwriter then uses tmpfile(3), anonymous files that vanish even when
     * the process is killed, so an interrupted run leaves nothing in the output directory. */
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL,
                                .use_zip64 = LXW_FALSE};
    ctx.wb = workbook_new_opt(path, &opt);
    if (!ctx.wb) {
        return obs_error_set(err, OBS_ERR_NOMEM, path, 0, 0,
                             "no se pudo iniciar el libro XLSX (memoria insuficiente)");
    }
    ctx.sheet_keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    char *head = header_footer_text(doc->header ? doc->header : doc->title);
    ctx.header_text = g_strconcat("&L", head, "&R&A", NULL);
    g_free(head);

    obs_status st = create_fixed_formats(&ctx);
    if (st == OBS_OK)
        st = write_properties(&ctx);
    if (st == OBS_OK)
        st = write_sheets(&ctx);
    if (st == OBS_OK) {
        lxw_error e = workbook_close(ctx.wb); /* frees the workbook, even on error */
        if (e != LXW_NO_ERROR)
            st = close_error(&ctx, e);
    } else {
        /* Do not leave a half-written file behind: free without writing. */
        lxw_workbook_free(ctx.wb);
    }
    g_hash_table_destroy(ctx.sheet_keys);
    g_free(ctx.header_text);
    return st;
}

obs_status obs_render_xlsx(const obs_doc *doc, const char *path, obs_error *err)
{
    if (!doc || !path || !path[0])
        return obs_error_set(err, OBS_ERR_USAGE, path, 0, 0,
                             "obs_render_xlsx: documento o ruta ausente");
    /* libxlsxwriter prints numbers with printf: a decimal comma from the
     * process locale would corrupt the file. When the thread's locale has one,
     * switch LC_NUMERIC to "C" for this thread only (setlocale would affect
     * every thread). */
    if (strcmp(nl_langinfo(RADIXCHAR), ".") == 0)
        return render(doc, path, err);
    locale_t cur = uselocale((locale_t)0);
    locale_t base = duplocale(cur);
    locale_t c_num = base ? newlocale(LC_NUMERIC_MASK, "C", base) : (locale_t)0;
    if (!c_num) {
        if (base)
            freelocale(base);
        return obs_error_set(err, OBS_ERR_NOMEM, path, 0, 0,
                             "no se pudo preparar la configuración regional \"C\"");
    }
    uselocale(c_num);
    obs_status st = render(doc, path, err);
    uselocale(cur);
    freelocale(c_num);
    return st;
}
