/* template.h - report templates: content, order and tables of a document, editable without recompiling.
 *
 * A template is a UTF-8 text file (templates/informe.tpl, opl.tpl, oficio_exhorto.tpl)
 * of directives (@seccion, @tabla, @grafica, @si …), paragraphs and {{placeholders}}.
 * It is parsed and fully validated when loaded (unknown metric, variable, filter,
 * table or option, unclosed {{ or @si → OBS_ERR_CONFIG with file:line), so a
 * template error is found before any data is read or any file is written.
 * Rendering a loaded template cannot fail. The language is documented in README.md.
 */
#ifndef OBSERVA_TEMPLATE_H
#define OBSERVA_TEMPLATE_H

#include <glib.h>
#include <stdint.h>

#include "observa/catalog.h"
#include "observa/error.h"
#include "observa/model.h"
#include "observa/report.h"
#include "observa/run.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a template describes; decides its scope and which variables exist. */
typedef enum obs_template_kind {
    OBS_TPL_INFORME = 0, /**< The national informe: figures of the 32 entidades. */
    OBS_TPL_OPL,         /**< One OPL's summary: its own entidad's figures and national aggregates only. */
    OBS_TPL_OFICIO       /**< The oficio de exhorto: national scope plus the [oficio] configuration. */
} obs_template_kind;

typedef struct obs_template obs_template;

/** What a run's documents know of the history (src/history/history_view_int.h). */
struct obs_history_view;

/** Everything a template is rendered with. Borrowed. */
typedef struct obs_template_ctx {
    const obs_run *run;
    const obs_report_info *info;
    int entidad;            /**< OBS_TPL_OPL: the entidad 1..32; otherwise 0. */
    GHashTable *vars;       /**< Extra text variables (e.g. oficio.numero), or NULL. */
    /** The published cortes, exhortos and revisions the history blocks show; NULL without a
     * history (they then say so, and `@si historial` is false). */
    const struct obs_history_view *history;
} obs_template_ctx;

/** The PDF renderer's fonts (render.h). */
typedef struct obs_fonts obs_fonts;

/**
 * @brief Parses and validates a template.
 * @param cat  the catalogue (metric names depend on its outreach types).
 * @param vars names of the extra variables the template may use (NULL-terminated), or NULL.
 * @param fonts the run's PDF fonts, to check that every table fits the page (obs_pdf_table_check());
 *             NULL finds them for this call.
 * @param out  receives the template (obs_template_free()).
 */
obs_status obs_template_load(const char *path, obs_template_kind kind, const obs_catalog *cat,
                             const char *const *vars, const obs_fonts *fonts, obs_template **out,
                             obs_error *err);

/** @brief Parses a template from memory; `name` is used in messages. */
obs_status obs_template_parse(const char *name, const char *text, size_t len,
                              obs_template_kind kind, const obs_catalog *cat,
                              const char *const *vars, const obs_fonts *fonts, obs_template **out,
                              obs_error *err);

/** @brief Frees a template. NULL-safe. */
void obs_template_free(obs_template *t);

/** @brief Renders the template into a new document (obs_doc_free()). */
obs_doc *obs_template_render(const obs_template *t, const obs_template_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif /* OBSERVA_TEMPLATE_H */
