/* render.h - renderers of the report model: PDF (libharu) and XLSX (libxlsxwriter). */
#ifndef OBSERVA_RENDER_H
#define OBSERVA_RENDER_H

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
 * @brief Renders a document to a PDF file at `path` (overwritten).
 *
 * Liberation Sans is located with fontconfig and embedded; text is encoded
 * as Windows-1252 so that every accent survives text extraction. A chart with more
 * than OBS_PDF_CHART_MAX_CATS categories and a fold is drawn as obs_chart_bounded() makes it.
 * The caller is responsible for atomicity (write to a temporary name, then rename).
 *
 * @return OBS_OK, or an error (OBS_ERR_CONFIG when the font is missing,
 *         OBS_ERR_IO when the file cannot be written, OBS_ERR_INTERNAL for libharu failures).
 */
obs_status obs_render_pdf(const obs_doc *doc, const char *path, obs_error *err);

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
