/* render.h - renderers of the report model: PDF (libharu) and XLSX (libxlsxwriter). */
#ifndef OBSERVA_RENDER_H
#define OBSERVA_RENDER_H

#include <stdint.h>

#include "observa/error.h"
#include "observa/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Categories a PDF chart shows at most when the model lets its earliest ones be merged
 * (obs_chart.fold, e.g. weekly series): the last 52 weeks (a year) one by one, and everything
 * earlier in a first bar "hasta el …" (obs_chart_bounded()). On a page's width each category
 * keeps about 8 points: room for a visible bar (three series side by side still get 2 points
 * each) and a marker on a line. An accreditation period (convocatoria to the election) is
 * shorter than a year, so only odd dates are merged. The XLSX always lists every category.
 */
#define OBS_PDF_CHART_MAX_CATS 53

/**
 * Pages a brief (OBS_LAYOUT_BRIEF, the per-OPL summary) takes at most when its content allows:
 * one laid out longer is set again with tighter vertical spacing (never smaller type), down to a
 * limit past which it keeps its pages (reports.md §3).
 */
#define OBS_PDF_BRIEF_MAX_PAGES 2

/* ---- Palette: one colour per category, shared by both renderers ---------------------------- */

/** How a swatch fills an area besides its colour: a hatch tells categories apart in grayscale. */
typedef enum obs_fill {
    OBS_FILL_SOLID = 0,
    OBS_FILL_HATCH /**< Diagonal lines of the swatch's ink over its colour. */
} obs_fill;

/** How a line marks a series' points: shape as well as colour. */
typedef enum obs_marker {
    OBS_MARKER_CIRCLE = 0,
    OBS_MARKER_SQUARE,
    OBS_MARKER_TRIANGLE,
    OBS_MARKER_DIAMOND
} obs_marker;

/**
 * The look of a category (model.h, obs_category) in every chart, mark and row of both renderers.
 * The categories of a group (sexo; instancia; señalado against OPL) differ in lightness, so they
 * stay apart printed in grayscale; the lightest ones also carry a hatch, and each has its own
 * line marker.
 */
typedef struct obs_swatch {
    uint32_t rgb;      /**< 0xRRGGBB: bars, lines, markers, alert text. */
    uint32_t tint;     /**< A light version: the background of a flagged row. */
    uint32_t ink;      /**< The hatch's lines. */
    obs_fill fill;
    obs_marker marker;
} obs_swatch;

/**
 * @brief The swatch of a category; a series without one (OBS_CAT_NONE) takes the swatch of its
 * position among the chart's series. This function can't fail.
 */
obs_swatch obs_palette_swatch(obs_category category, size_t position);

/* ---- PDF ----------------------------------------------------------------------------------- */

/**
 * @brief The PDF renderer's fonts: the Liberation Sans TrueType files (regular and bold) found with
 * fontconfig, and the same fonts loaded for measuring text. A run finds them once
 * (obs_fonts_find()) and shares them, read-only, with its template loads and its render threads:
 * the renderer keeps no state of its own between calls.
 */
typedef struct obs_fonts obs_fonts;

/**
 * @brief Finds the fonts (fontconfig; fontconfig substitutes another family silently, so the
 * match is verified: Liberation Sans, TrueType, bold of weight ≥ bold).
 * @param out receives the fonts (obs_fonts_free()); NULL on error.
 * @return OBS_OK; OBS_ERR_CONFIG when fontconfig cannot start or the fonts are missing (the message
 *         says to install the Debian package fonts-liberation); OBS_ERR_NOMEM.
 */
obs_status obs_fonts_find(obs_fonts **out, obs_error *err);
/** @brief Frees fonts found by obs_fonts_find(). NULL-safe. */
void obs_fonts_free(obs_fonts *fonts);

/**
 * A column of a table as a template knows it before any data is read, for
 * obs_pdf_table_check(): its header and the widest value it can hold.
 */
typedef struct obs_pdf_column_bound {
    const char *header; /**< UTF-8; placeholders already replaced by a stand-in. Wraps at spaces. */
    const char *widest; /**< The widest value, as printed ("+99,999,999", "999.9%"), or for a text
                             column the labels it shows (only their longest word counts). */
    bool text;          /**< widest is text that wraps at spaces. */
} obs_pdf_column_bound;

/** Smallest type size (points) a PDF table is set in; a wider table is a template error. */
#define OBS_PDF_TABLE_MIN_SIZE 6.5

/**
 * @brief Whether a table with these columns can be printed with every number whole.
 *
 * The PDF sets a table too wide for the page in one smaller size for the whole table, down to
 * OBS_PDF_TABLE_MIN_SIZE, and on landscape pages when a portrait page is too narrow even then;
 * this check measures the bounds (in bold, like total rows) at that size on the narrowest
 * landscape page (Letter), so that a template it accepts never needs a smaller size unless the
 * data exceeds the bounds. Without the fonts it accepts (the render then reports them).
 *
 * @param fonts the run's fonts, or NULL to find them for this call only.
 * @return OBS_OK when the table fits; OBS_ERR_CONFIG when it does not, with a message (no file or
 *         line: the caller adds the template's) saying how wide it is and how wide the page is.
 */
obs_status obs_pdf_table_check(const obs_fonts *fonts, const obs_pdf_column_bound *cols, size_t ncols,
                               obs_error *err);

/**
 * @brief Renders a document to a PDF file at `path` (overwritten).
 *
 * Liberation Sans (fonts, or when NULL found for this call only) is embedded; text is encoded
 * as Windows-1252 so that every accent survives text extraction. A table is set in one size,
 * never cuts a number, goes on landscape pages when a portrait one is too narrow, and of at most
 * 15 data rows never splits; a brief is kept to OBS_PDF_BRIEF_MAX_PAGES when it can be. A chart with more
 * than OBS_PDF_CHART_MAX_CATS categories and a fold is drawn as obs_chart_bounded() makes it.
 * The caller is responsible for atomicity (write to a temporary name, then rename).
 *
 * @return OBS_OK, or an error (OBS_ERR_CONFIG when the font is missing,
 *         OBS_ERR_IO when the file cannot be written, OBS_ERR_INTERNAL for libharu failures).
 */
obs_status obs_render_pdf(const obs_doc *doc, const obs_fonts *fonts, const char *path, obs_error *err);

/**
 * @brief Renders a document to an XLSX workbook at `path` (overwritten): one
 * sheet per table and chart data, numeric cells with number formats, totals as
 * SUM formulas with cached values, native charts, doc->extra tables last.
 * The caller is responsible for atomicity: a failed close may leave a partial
 * file at `path`, so write to a temporary name and rename on success.
 */
obs_status obs_render_xlsx(const obs_doc *doc, const char *path, obs_error *err);

#ifdef __cplusplus
}
#endif

#endif /* OBSERVA_RENDER_H */
