/* report.h - what reports say about themselves, and blocks added to every workbook. */
#ifndef OBSERVA_REPORT_H
#define OBSERVA_REPORT_H

#include <stdint.h>

#include "observa/model.h"
#include "observa/run.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What the reports say about themselves (from the configuration). Strings borrowed. */
typedef struct obs_report_info {
    const char *proceso;     /**< "Proceso Electoral Concurrente 2023-2024" */
    const char *lugar;       /**< "Ciudad de México" */
    int64_t generated_at;    /**< Unix time of generation (SOURCE_DATE_EPOCH, config or now). */
    obs_paper paper;
    const char *logo;        /**< Optional logo image path, or NULL. */
    const char *version;     /**< observa's version. */
} obs_report_info;

/**
 * @brief Appends the XLSX-only "Métricas" sheet (the rows of metricas.csv) to a document.
 */
void obs_report_add_metricas(obs_doc *doc, const obs_run *run);

/** @brief The same sheet restricted to one entidad's rows and the national total (00). */
void obs_report_add_metricas_entidad(obs_doc *doc, const obs_run *run, int entidad);

/**
 * @brief Fills the workbook's "Acerca de" sheet (obs_doc_add_about()): the document, its OPL and
 * entidad when entidad is 1..32, the corte and corte anterior, the generation time, every input
 * file with its row counts and SHA-256, the as-of rules and the outreach rule with its figures.
 * The XLSX renderer adds the data dictionary of the sheets. This function can't fail.
 */
void obs_report_add_about(obs_doc *doc, const obs_run *run, const obs_report_info *info, int entidad);

#ifdef __cplusplus
}
#endif

#endif /* OBSERVA_REPORT_H */
