/* render_xlsx_table.c - a table of the model on its XLSX sheet: widths, header, cells, SUM totals, filter, note. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render/render_xlsx_int.h"

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
                                        ctx->header_fmt[xlsx_align_index(aligns[c])]),
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

/* --------------------------------------------------------------- title */

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

/* --------------------------------------------------------------- tables */

static int dec_slot(int decimals)
{
    return SLOT_DEC0 + (decimals < 0 ? 0 : decimals > DEC_MAX ? DEC_MAX : decimals);
}

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

/* ------------------------------------------------------- a table's sheet */

/* A table's sheet, named after `wanted` (or the id) and unique. */
obs_status xlsx_table_sheet(xlsx_ctx *ctx, const obs_table *t, const char *wanted)
{
    char *name = xlsx_unique_sheet_name(ctx, wanted, t->id);
    lxw_worksheet *ws;
    obs_status st = xlsx_add_sheet(ctx, name, &ws);
    if (st == OBS_OK)
        st = xlsx_write_table(ctx, ws, t, name);
    g_free(name);
    return st;
}
