/* render_xlsx.c - renders the report model as an XLSX workbook with libxlsxwriter 1.1.4: workbook, sheets, tables. */

/* uselocale()/newlocale() are POSIX 2008; -std=c11 hides them otherwise. */
#define _POSIX_C_SOURCE 200809L

#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render/render_xlsx_int.h"

/* Records a libxlsxwriter failure; sheet may be NULL (workbook-level calls). */
obs_status xlsx_fail(xlsx_ctx *ctx, lxw_error e, const char *sheet,
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


obs_status xlsx_nomem(xlsx_ctx *ctx, const char *what)
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
char *xlsx_cell_text(const char *s)
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
char *xlsx_chart_text(const char *s)
{
    char *t = xlsx_cell_text(s);
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
    char *valid = xlsx_cell_text(raw);
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
char *xlsx_unique_sheet_name(xlsx_ctx *ctx, const char *wanted, const char *id)
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
    char *t = xlsx_cell_text(s);
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
    case SLOT_DATE:
        return "dd/mm/yyyy";
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
lxw_format *xlsx_style_format(xlsx_ctx *ctx, cell_style st)
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
        format_set_bg_color(f, st.row_mark ? flag_swatch().tint : COLOR_TOTAL_FILL);
    }
    if (st.cell_mark)
        format_set_font_color(f, flag_swatch().rgb);
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
        return xlsx_nomem(ctx, "los formatos");
    format_set_bold(ctx->title_fmt);
    format_set_font_size(ctx->title_fmt, 14);

    ctx->note_fmt = workbook_add_format(ctx->wb);
    if (!ctx->note_fmt)
        return xlsx_nomem(ctx, "los formatos");
    format_set_text_wrap(ctx->note_fmt);
    format_set_align(ctx->note_fmt, LXW_ALIGN_VERTICAL_TOP);

    for (unsigned a = 0; a < ALIGN_COUNT; a++) {
        lxw_format *f = workbook_add_format(ctx->wb);
        if (!f)
            return xlsx_nomem(ctx, "los formatos");
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
    char *t = xlsx_cell_text(title ? title : sheet);
    lxw_error e = worksheet_write_string(ws, ROW_TITLE, 0, t, ctx->title_fmt);
    g_free(t);
    TRY(ctx, e, sheet, "el título");
    TRY(ctx, worksheet_set_row(ws, ROW_TITLE, 21, NULL), sheet, "la altura del título");
    return OBS_OK;
}

/* Landscape, one page wide, header row repeated, paper of the document, page
 * header with the sheet name and footer with page numbers; header row frozen. */
obs_status xlsx_page_setup(xlsx_ctx *ctx, lxw_worksheet *ws, const char *sheet,
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
    case OBS_CELL_DATE:
        return SLOT_DATE;
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
    lxw_format *f = xlsx_style_format(ctx, st);
    if (!f)
        return xlsx_nomem(ctx, "los formatos");

    lxw_error e = LXW_NO_ERROR;
    switch (cell->kind) {
    case OBS_CELL_EMPTY:
        e = worksheet_write_blank(ws, row, col, f);
        break;
    case OBS_CELL_TEXT: {
        /* Always a string: text from the input never becomes a formula. */
        char *t = xlsx_cell_text(cell->text);
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
    case OBS_CELL_DATE:
        /* Excel's serial day: days since 30 December 1899 (its 1900 leap-year bug included). */
        e = worksheet_write_number(ws, row, col,
                                   (double)(cell->num - obs_day_from_ymd(1899, 12, 30)), f);
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
    char *note = xlsx_cell_text(raw);
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

obs_status xlsx_add_sheet(xlsx_ctx *ctx, const char *sheet, lxw_worksheet **ws)
{
    *ws = workbook_add_worksheet(ctx->wb, sheet);
    if (!*ws)
        return obs_error_set(ctx->err, OBS_ERR_INTERNAL, ctx->path, 0, 0,
                             "no se pudo crear la hoja «%s» del libro XLSX", sheet);
    return OBS_OK;
}

/* A table on its own sheet: title, header, rows, total formulas, filter, note. */
/* The widest text of each column in characters (its header's longest word at least). */
static size_t *column_chars(const obs_table *t, char **headers)
{
    size_t *chars = g_new0(size_t, t->ncols);
    for (size_t c = 0; c < t->ncols; c++) {
        chars[c] = longest_word(headers[c]);
        for (size_t r = 0; r < t->nrows; r++) {
            size_t n = cell_chars(&t->rows[r].cells[c]);
            if (n > chars[c])
                chars[c] = n;
        }
    }
    return chars;
}

/* The rows, with SUM formulas in total rows; *last_data receives the last data row (ROW_HEADER
 * without any). */
static obs_status write_rows(xlsx_ctx *ctx, lxw_worksheet *ws, const obs_table *t, const char *sheet,
                             const size_t *chars, lxw_row_t *last_data)
{
    /* Data rows since the last total row: what the next total row sums. */
    bool have_block = false;
    lxw_row_t block_first = 0, block_last = 0;
    *last_data = ROW_HEADER;
    obs_status st = OBS_OK;
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
            cell_style cs = {.align = t->cols[c].align, .total = total, .bold = total,
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
            *last_data = xr;
        }
    }
    return st;
}

/* A table (as the sheet shows it) on its sheet: title, header, rows, filter, note, print setup. */
static obs_status write_shown_table(xlsx_ctx *ctx, lxw_worksheet *ws, const obs_table *t,
                                    const char *sheet)
{
    obs_status st = write_title(ctx, ws, sheet, t->title);
    if (st != OBS_OK)
        return st;
    if (t->ncols == 0)
        return xlsx_page_setup(ctx, ws, sheet, false);

    /* Widths first: a column whose text would be cut off at the maximum width wraps. */
    char **headers = g_new0(char *, t->ncols + 1);
    obs_align *aligns = g_new0(obs_align, t->ncols);
    for (size_t c = 0; c < t->ncols; c++) {
        headers[c] = xlsx_cell_text(t->cols[c].header);
        aligns[c] = t->cols[c].align;
    }
    size_t *chars = column_chars(t, headers);
    st = write_header(ctx, ws, sheet, t->ncols, headers, aligns, chars);
    double table_width = 0;
    for (size_t c = 0; c < t->ncols; c++)
        table_width += width_for_chars(chars[c]);
    lxw_row_t last_data = ROW_HEADER;
    if (st == OBS_OK)
        st = write_rows(ctx, ws, t, sheet, chars, &last_data);
    g_strfreev(headers);
    g_free(aligns);
    g_free(chars);
    if (st != OBS_OK)
        return st;

    /* The filter covers the header and the data rows; a total row below the
     * data stays out, so sorting or filtering never moves it. */
    TRY(ctx, worksheet_autofilter(ws, ROW_HEADER, 0, last_data, (lxw_col_t)(t->ncols - 1)),
        sheet, "el autofiltro");

    if (t->note) {
        /* One blank row between table and note: Excel's "current region" (Ctrl+A,
         * Format as Table, pivot tables) stops at a blank row, so the note stays out. */
        st = write_note(ctx, ws, sheet, (lxw_row_t)(ROW_FIRST_DATA + t->nrows + 1), t->ncols,
                        table_width, t->note);
        if (st != OBS_OK)
            return st;
    }
    return xlsx_page_setup(ctx, ws, sheet, true);
}

/* ------------------------------------------------------ entidad columns */

/*
 * A table as its sheet shows it: a table by entidad (model.h, OBS_ENTIDAD_*) gets a "Clave"
 * column before its first and a "Señalado" column (Sí/No) after it, from each row's clave and
 * mark, so that no mark sits inside a name and a filter or a pivot can use both. The model's
 * cells are borrowed.
 */
typedef struct clave_text {
    char s[4];
} clave_text;

typedef struct sheet_view {
    obs_table t;
    clave_text *claves;
} sheet_view;

static const char CLAVE_DESC[] = "Clave de la entidad federativa (01 a 32); 00 en las filas nacionales";
static const char SENALADO_DESC[] = "Sí: OPL con bajo número de acciones de difusión al corte; No: los demás";

static const obs_table *view_open(sheet_view *v, const obs_table *t)
{
    memset(v, 0, sizeof *v);
    if (!t->entidad_cols || t->ncols == 0)
        return t;
    bool clave = t->entidad_cols & OBS_ENTIDAD_CLAVE, flag = t->entidad_cols & OBS_ENTIDAD_SENALADO;
    size_t first = clave ? 1 : 0, after = first + 1 + (flag ? 1 : 0);
    size_t n = t->ncols + first + (flag ? 1 : 0);
    v->t = *t;
    v->t.ncols = n;
    v->t.cols = g_new0(obs_column, n);
    v->t.rows = g_new0(obs_row, t->nrows ? t->nrows : 1);
    v->claves = g_new0(clave_text, t->nrows ? t->nrows : 1);
    obs_cell *cells = g_new0(obs_cell, t->nrows * n + 1);
    if (clave)
        v->t.cols[0] = (obs_column){.header = (char *)"Clave", .align = OBS_ALIGN_CENTER,
                                    .description = (char *)CLAVE_DESC};
    v->t.cols[first] = t->cols[0];
    if (flag)
        v->t.cols[first + 1] = (obs_column){.header = (char *)"Señalado", .align = OBS_ALIGN_CENTER,
                                            .description = (char *)SENALADO_DESC};
    memcpy(v->t.cols + after, t->cols + 1, (t->ncols - 1) * sizeof(obs_column));
    for (size_t r = 0; r < t->nrows; r++) {
        const obs_row *src = &t->rows[r];
        obs_cell *row = &cells[r * n];
        v->t.rows[r] = *src;
        v->t.rows[r].cells = row;
        g_snprintf(v->claves[r].s, sizeof v->claves[r].s, "%02d", src->clave);
        if (clave)
            row[0] = (obs_cell){.kind = OBS_CELL_TEXT, .text = v->claves[r].s};
        row[first] = src->cells[0];
        if (flag && src->kind == OBS_ROW_DATA)
            row[first + 1] = (obs_cell){.kind = OBS_CELL_TEXT, .text = (char *)(src->marked ? "Sí" : "No")};
        memcpy(row + after, src->cells + 1, (t->ncols - 1) * sizeof(obs_cell));
    }
    return &v->t;
}

static void view_close(sheet_view *v)
{
    if (!v->t.cols)
        return;
    g_free(v->t.nrows ? v->t.rows[0].cells : NULL);
    g_free(v->t.rows);
    g_free(v->t.cols);
    g_free(v->claves);
}

/* ------------------------------------------------------ data dictionary */

static const char *const KIND_NAMES[] = {
    [OBS_CELL_EMPTY] = "Vacía",
    [OBS_CELL_TEXT] = "Texto",
    [OBS_CELL_INT] = "Número entero",
    [OBS_CELL_PCT] = "Porcentaje (– cuando la base es cero)",
    [OBS_CELL_DELTA] = "Número entero con signo (cambio)",
    [OBS_CELL_DEC] = "Número con decimales",
    [OBS_CELL_DATE] = "Fecha",
};

/* What a column holds: the kind of its first non-empty data cell. */
static const char *column_type(const obs_table *t, size_t c)
{
    for (size_t r = 0; r < t->nrows; r++) {
        obs_cell_kind k = t->rows[r].cells[c].kind;
        if (k != OBS_CELL_EMPTY && (unsigned)k < G_N_ELEMENTS(KIND_NAMES))
            return KIND_NAMES[k];
    }
    return KIND_NAMES[OBS_CELL_EMPTY];
}

static void describe_table(xlsx_ctx *ctx, const obs_table *t, const char *sheet)
{
    char *what = t->note && *t->note ? g_strdup_printf("%s. %s", t->title ? t->title : sheet, t->note)
                                     : g_strdup(t->title ? t->title : sheet);
    xlsx_dict_add(ctx, sheet, NULL, NULL, what);
    g_free(what);
    for (size_t c = 0; c < t->ncols; c++)
        xlsx_dict_add(ctx, sheet, t->cols[c].header, column_type(t, c), t->cols[c].description);
}

obs_status xlsx_write_table(xlsx_ctx *ctx, lxw_worksheet *ws, const obs_table *t,
                            const char *sheet)
{
    sheet_view v;
    const obs_table *shown = view_open(&v, t);
    obs_status st = write_shown_table(ctx, ws, shown, sheet);
    if (st == OBS_OK)
        describe_table(ctx, shown, sheet);
    view_close(&v);
    return st;
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
    char *name = xlsx_unique_sheet_name(ctx, wanted, t->id);
    lxw_worksheet *ws;
    obs_status st = xlsx_add_sheet(ctx, name, &ws);
    if (st == OBS_OK)
        st = xlsx_write_table(ctx, ws, t, name);
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
                char *name = xlsx_unique_sheet_name(ctx, blk->chart->sheet, blk->chart->id);
                st = xlsx_write_chart(ctx, blk->chart, name);
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
    if (st == OBS_OK && written == 0 && doc->nabout == 0) {
        /* A workbook needs a sheet; without one libxlsxwriter would add "Sheet1". */
        obs_table empty = {.id = "informe", .title = doc->title};
        st = table_sheet(ctx, &empty, "Informe");
    }
    return st;
}

static void dict_free(gpointer p)
{
    dict_entry *d = p;
    g_free(d->sheet);
    g_free(d->column);
    g_free(d->type);
    g_free(d->description);
    g_free(d);
}

/* "Acerca de" first (when the document has about lines), then every sheet; the about sheet is
 * filled last, when the dictionary of the other sheets is known. */
static obs_status write_workbook(xlsx_ctx *ctx)
{
    lxw_worksheet *about = NULL;
    char *name = NULL;
    obs_status st = OBS_OK;
    if (ctx->doc->nabout > 0) {
        name = xlsx_unique_sheet_name(ctx, "Acerca de", "acerca");
        st = xlsx_add_sheet(ctx, name, &about);
    }
    if (st == OBS_OK)
        st = write_sheets(ctx);
    if (st == OBS_OK && about)
        st = xlsx_write_about(ctx, about, name);
    g_free(name);
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
    ctx.dict = g_ptr_array_new_with_free_func(dict_free);
    char *head = header_footer_text(doc->header ? doc->header : doc->title);
    ctx.header_text = g_strconcat("&L", head, "&R&A", NULL);
    g_free(head);

    obs_status st = create_fixed_formats(&ctx);
    if (st == OBS_OK)
        st = write_properties(&ctx);
    if (st == OBS_OK)
        st = write_workbook(&ctx);
    if (st == OBS_OK) {
        lxw_error e = workbook_close(ctx.wb); /* frees the workbook, even on error */
        if (e != LXW_NO_ERROR)
            st = close_error(&ctx, e);
    } else {
        /* Do not leave a half-written file behind: free without writing. */
        lxw_workbook_free(ctx.wb);
    }
    g_hash_table_destroy(ctx.sheet_keys);
    g_ptr_array_free(ctx.dict, TRUE);
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
