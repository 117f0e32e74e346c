/* render_xlsx_int.h - internals shared by the files of the XLSX renderer (sheets, tables, charts, "Acerca de"). */
#ifndef OBSERVA_RENDER_XLSX_INT_H
#define OBSERVA_RENDER_XLSX_INT_H

/*
 * The XLSX renderer in layers, each file using only the ones above it:
 *   render_xlsx_sheet.c  errors, safe cell text, sheet names, the format cache, page setup,
 *                        adding a sheet, the data dictionary's entries
 *   render_xlsx_table.c  a table on its sheet (widths, header, cells, SUM totals, filter, note)
 *   render_xlsx_chart.c  a chart's sheet: its data as a table and a native chart
 *   render_xlsx_front.c  sheets of the front matter: summary, acronyms, cartogram
 *   render_xlsx_about.c  the "Acerca de" sheet and the data dictionary
 *   render_xlsx.c        the workbook: properties, sheets in document order, closing (obs_render_xlsx)
 */

#include <glib.h>
#include <stdbool.h>
#include <xlsxwriter.h>

#include "observa/render.h"

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

/* House colours: header fill, total rows, borders; categories (series, flagged rows and values)
 * take theirs from obs_palette_swatch(), as the PDF does. */
#define COLOR_HEADER_FILL 0xD9E1F2
#define COLOR_TOTAL_FILL 0xF2F2F2
#define COLOR_BORDER 0xBFBFBF
#define COLOR_TOTAL_BORDER 0x595959
#define COLOR_THRESHOLD 0x404040

static inline obs_swatch flag_swatch(void)
{
    return obs_palette_swatch(OBS_CAT_SENALADO, 0);
}

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
    SLOT_DATE,
    SLOT_DEC0,
    DEC_MAX = 6,
    SLOT_COUNT = SLOT_DEC0 + DEC_MAX + 1
};

enum { ALIGN_COUNT = 3 };
#define FMT_CACHE_SIZE (SLOT_COUNT * ALIGN_COUNT * 2 * 2 * 2 * 2 * 2)

/* An alignment as an index of the header formats and of the format cache. */
static inline unsigned xlsx_align_index(obs_align align)
{
    return (unsigned)align < ALIGN_COUNT ? (unsigned)align : 0;
}

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
    GPtrArray *dict;        /* dict_entry: the data dictionary of the "Acerca de" sheet */
} xlsx_ctx;

/* A line of the data dictionary: a sheet (column NULL) or one of its columns. */
typedef struct dict_entry {
    char *sheet;
    char *column;
    char *type;
    char *description;
} dict_entry;

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

/* ---- render_xlsx_sheet.c ---------------------------------------------------------------- */

/* Records a libxlsxwriter failure as the render's error; sheet may be NULL (workbook-level calls). */
obs_status xlsx_fail(xlsx_ctx *ctx, lxw_error e, const char *sheet, const char *what);

/* Returns from the calling function when a libxlsxwriter call fails. */
#define TRY(ctx, call, sheet, what)                                           \
    do {                                                                      \
        lxw_error try_e_ = (call);                                            \
        if (try_e_ != LXW_NO_ERROR)                                           \
            return xlsx_fail((ctx), try_e_, (sheet), (what));                  \
    } while (0)

/* A memory error while creating `what`. */
obs_status xlsx_nomem(xlsx_ctx *ctx, const char *what);

/* Text safe for a cell: valid UTF-8 within Excel's limit; NULL -> "" (g_free). */
char *xlsx_cell_text(const char *s);

/* Text for a chart title or name: never read as a cell reference (g_free). */
char *xlsx_chart_text(const char *s);

/* A legal sheet name from `wanted` (or the id), unique in the workbook (g_free). */
char *xlsx_unique_sheet_name(xlsx_ctx *ctx, const char *wanted, const char *id);

/* Text for the page header: '&' escaped, at most HEADER_FOOTER_TEXT_MAX characters (g_free). */
char *xlsx_header_footer_text(const char *s);

/* Adds a worksheet; an error names the sheet. */
obs_status xlsx_add_sheet(xlsx_ctx *ctx, const char *sheet, lxw_worksheet **ws);

/* The shared format of a cell style (NULL when out of memory). */
lxw_format *xlsx_style_format(xlsx_ctx *ctx, cell_style st);

/* The workbook's fixed formats: title, note, header cells; OBS_ERR_NOMEM. */
obs_status xlsx_create_formats(xlsx_ctx *ctx);

/* Landscape, one page wide, header row repeated and frozen when has_header. */
obs_status xlsx_page_setup(xlsx_ctx *ctx, lxw_worksheet *ws, const char *sheet, bool has_header);

/* Adds a line to the data dictionary (strings copied; column NULL for the sheet itself). */
void xlsx_dict_add(xlsx_ctx *ctx, const char *sheet, const char *column, const char *type,
                   const char *description);

/* Frees a dict_entry (the free function of ctx->dict). */
void xlsx_dict_entry_free(gpointer p);

/* ---- render_xlsx_table.c ---------------------------------------------------------------- */

/* A table on its sheet: title, header, rows, total formulas, filter, note, print setup; its
 * columns go into the data dictionary. */
obs_status xlsx_write_table(xlsx_ctx *ctx, lxw_worksheet *ws, const obs_table *t, const char *sheet);

/* A table on a new sheet named after `wanted` (or the table's id), unique in the workbook. */
obs_status xlsx_table_sheet(xlsx_ctx *ctx, const obs_table *t, const char *wanted);

/* ---- render_xlsx_chart.c, render_xlsx_front.c, render_xlsx_about.c -------------------- */

/* A chart's sheet (render_xlsx_chart.c): its data as a table and a native chart beside it. */
obs_status xlsx_write_chart(xlsx_ctx *ctx, const obs_chart *c, const char *sheet);

/* Fills the "Acerca de" sheet (render_xlsx_about.c): the document's about lines, then the data
 * dictionary of every other sheet. */
obs_status xlsx_write_about(xlsx_ctx *ctx, lxw_worksheet *ws, const char *sheet);

/* Whether a block of the front matter (summary, acronyms, cartogram) has a sheet of its own. */
bool xlsx_front_has_sheet(const obs_block *b);

/* The sheet of a front-matter block of section sec (see xlsx_front_has_sheet()). */
obs_status xlsx_front_sheet(xlsx_ctx *ctx, const obs_section *sec, const obs_block *b);

#endif /* OBSERVA_RENDER_XLSX_INT_H */
