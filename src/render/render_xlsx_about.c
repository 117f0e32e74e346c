/* render_xlsx_about.c - the workbook's "Acerca de" sheet: what the document is, and a data dictionary. */
#include <stdio.h>
#include <string.h>

#include "render/render_xlsx_int.h"

/* Columns of the sheet: the about lines use A (label) and B:D (value); the dictionary A:D. */
enum { COL_SHEET = 0, COL_COLUMN, COL_TYPE, COL_DESC, NCOLS };

static const double WIDTHS[NCOLS] = {28.0, 28.0, 20.0, 60.0};

/* Characters per line of the merged B:D value, of the description column, of a label (bold, in
 * column A) and of the dictionary's sheet, column and type cells. */
#define VALUE_CHARS 100
#define DESC_CHARS 54
#define LABEL_CHARS 24
static const size_t CELL_CHARS[NCOLS] = {24, 26, 18, DESC_CHARS};

/* Lines a wrapped text takes at `per_line` characters a line (at least one). */
static double lines_for(const char *s, size_t per_line)
{
    double lines = 0;
    char **paras = g_strsplit(s ? s : "", "\n", -1);
    for (char **p = paras; *p; p++)
        lines += 1 + (double)((size_t)g_utf8_strlen(*p, -1) / per_line);
    g_strfreev(paras);
    return lines < 1 ? 1 : lines;
}

static obs_status set_height(xlsx_ctx *ctx, lxw_worksheet *ws, const char *sheet, lxw_row_t row,
                             double lines)
{
    double h = LXW_DEF_ROW_HEIGHT * lines;
    TRY(ctx, worksheet_set_row(ws, row, h > 409 ? 409 : h, NULL), sheet, "la altura de una fila");
    return OBS_OK;
}

typedef struct about_fmt {
    lxw_format *heading, *label, *value, *head;
} about_fmt;

static obs_status make_formats(xlsx_ctx *ctx, about_fmt *f)
{
    f->heading = workbook_add_format(ctx->wb);
    f->label = workbook_add_format(ctx->wb);
    f->value = workbook_add_format(ctx->wb);
    f->head = ctx->header_fmt[0];
    if (!f->heading || !f->label || !f->value)
        return xlsx_nomem(ctx, "los formatos");
    format_set_bold(f->heading);
    format_set_font_size(f->heading, 12);
    format_set_bottom(f->heading, LXW_BORDER_THIN);
    format_set_bold(f->label);
    format_set_align(f->label, LXW_ALIGN_VERTICAL_TOP);
    format_set_text_wrap(f->label);
    format_set_text_wrap(f->value);
    format_set_align(f->value, LXW_ALIGN_VERTICAL_TOP);
    return OBS_OK;
}

/* The document's about lines from row *row on: headings and label / value pairs. */
static obs_status write_lines(xlsx_ctx *ctx, lxw_worksheet *ws, const char *sheet, const about_fmt *f,
                              lxw_row_t *row)
{
    const obs_doc *doc = ctx->doc;
    for (size_t i = 0; i < doc->nabout; i++, (*row)++) {
        const obs_about *a = &doc->about[i];
        char *label = xlsx_cell_text(a->label);
        lxw_error e;
        if (!a->value) {
            if (i > 0)
                (*row)++; /* a blank row before each heading */
            e = worksheet_write_string(ws, *row, 0, label, f->heading);
        } else {
            char *value = xlsx_cell_text(a->value);
            e = worksheet_write_string(ws, *row, 0, label, f->label);
            if (e == LXW_NO_ERROR)
                e = worksheet_merge_range(ws, *row, COL_COLUMN, *row, COL_DESC, value, f->value);
            if (e == LXW_NO_ERROR) {
                /* A long label wraps too: the row is as tall as the taller of the two. */
                double lines = lines_for(value, VALUE_CHARS), label_lines = lines_for(a->label, LABEL_CHARS);
                obs_status st = set_height(ctx, ws, sheet, *row, lines > label_lines ? lines : label_lines);
                if (st != OBS_OK) {
                    g_free(value);
                    g_free(label);
                    return st;
                }
            }
            g_free(value);
        }
        g_free(label);
        TRY(ctx, e, sheet, "una línea de «Acerca de»");
    }
    return OBS_OK;
}

/* The data dictionary: one line per sheet (what it shows) and per column (what it holds). */
static obs_status write_dictionary(xlsx_ctx *ctx, lxw_worksheet *ws, const char *sheet,
                                   const about_fmt *f, lxw_row_t row)
{
    static const char *const heads[NCOLS] = {"Hoja", "Columna", "Tipo de dato", "Descripción"};
    TRY(ctx, worksheet_write_string(ws, row++, 0, "Diccionario de datos", f->heading), sheet,
        "el diccionario de datos");
    lxw_row_t head_row = row;
    for (int c = 0; c < NCOLS; c++)
        TRY(ctx, worksheet_write_string(ws, row, (lxw_col_t)c, heads[c], f->head), sheet,
            "el diccionario de datos");
    row++;
    for (guint i = 0; i < ctx->dict->len; i++, row++) {
        const dict_entry *d = ctx->dict->pdata[i];
        const char *cells[NCOLS] = {d->sheet, d->column ? d->column : "(la hoja)", d->type,
                                    d->description};
        double lines = 1;
        for (int c = 0; c < NCOLS; c++) {
            char *t = xlsx_cell_text(cells[c] ? cells[c] : "");
            lxw_error e = worksheet_write_string(ws, row, (lxw_col_t)c, t, d->column ? f->value : f->label);
            g_free(t);
            TRY(ctx, e, sheet, "el diccionario de datos");
            /* Every cell wraps: the row is as tall as the tallest ("Número entero con signo"). */
            double l = lines_for(cells[c], CELL_CHARS[c]);
            lines = l > lines ? l : lines;
        }
        obs_status st = set_height(ctx, ws, sheet, row, lines);
        if (st != OBS_OK)
            return st;
    }
    TRY(ctx, worksheet_autofilter(ws, head_row, 0, row > head_row + 1 ? row - 1 : head_row, NCOLS - 1),
        sheet, "el autofiltro del diccionario");
    return OBS_OK;
}

obs_status xlsx_write_about(xlsx_ctx *ctx, lxw_worksheet *ws, const char *sheet)
{
    about_fmt f;
    obs_status st = make_formats(ctx, &f);
    if (st != OBS_OK)
        return st;
    char *title = xlsx_cell_text(ctx->doc->title ? ctx->doc->title : sheet);
    lxw_error e = worksheet_write_string(ws, 0, 0, title, ctx->title_fmt);
    g_free(title);
    TRY(ctx, e, sheet, "el título");
    for (int c = 0; c < NCOLS; c++)
        TRY(ctx, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, WIDTHS[c], NULL), sheet,
            "el ancho de columna");
    lxw_row_t row = ROW_HEADER;
    st = write_lines(ctx, ws, sheet, &f, &row);
    if (st == OBS_OK)
        st = write_dictionary(ctx, ws, sheet, &f, row + 1);
    if (st != OBS_OK)
        return st;
    return xlsx_page_setup(ctx, ws, sheet, false);
}
