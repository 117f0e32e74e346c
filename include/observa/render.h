/* render.h - renderers of the report model: PDF (libharu) and XLSX (libxlsxwriter). */
#ifndef OBSERVA_RENDER_H
#define OBSERVA_RENDER_H

#include "observa/error.h"
#include "observa/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Renders a document to a PDF file at `path` (overwritten).
 *
 * Liberation Sans is located with fontconfig and embedded; text is encoded
 * as Windows-1252 so that every accent survives text extraction.
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
