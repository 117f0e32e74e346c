/* run.h - one pass over both exports: validation, control totals and the metric cube. */
#ifndef OBSERVA_RUN_H
#define OBSERVA_RUN_H

#include "observa/catalog.h"
#include "observa/error.h"
#include "observa/ingest.h"
#include "observa/metrics.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct obs_run_config {
    const char *solicitudes;     /**< Path of solicitudes.csv. */
    const char *difusion;        /**< Path of difusion.csv. */
    obs_day corte;               /**< Required. */
    obs_day corte_anterior;      /**< OBS_DAY_NONE when not asked. */
    obs_ingest_options ingest;
    obs_outreach_rule rule;
    /** With more than one thread, a solicitudes.csv at least this big is read in two parts at
     * once (0: 16 MiB). The result is the same as one read's. */
    uint64_t split_min_bytes;
} obs_run_config;

/** How solicitudes.csv was read (diagnostics: the figures are the same either way). */
typedef enum obs_split {
    OBS_SPLIT_NONE = 0,  /**< In one pass. */
    OBS_SPLIT_MERGED,    /**< In two parts at once, then merged. */
    OBS_SPLIT_REREAD,    /**< In two parts, but the second was read again after the first (an id
                              in both parts, or more distinct causes than are kept one by one). */
    OBS_SPLIT_THROUGH,   /**< The first part read on to the end: no record ended at the split. */
} obs_split;

/** The result of a run: everything the reports need. Owns all its members. */
typedef struct obs_run {
    const obs_catalog *cat;      /**< Borrowed. */
    obs_day corte;
    obs_day corte_anterior;
    obs_file_stats files[OBS_FILE_KIND_COUNT];
    obs_cube *cube;
    obs_snapshot *actual;        /**< Metrics at the corte. */
    obs_snapshot *anterior;      /**< At the corte anterior, or NULL. */
    obs_split split;             /**< How solicitudes.csv was read. */
} obs_run;

/**
 * @brief Reads both exports and builds the metrics.
 *
 * Every problem found in a row is passed to on_problem. A file-level error
 * stops the run; row errors never do.
 *
 * @param out receives the run (obs_run_free()) on success.
 */
obs_status obs_run_execute(const obs_run_config *cfg, const obs_catalog *cat,
                           obs_problem_fn on_problem, void *problem_ud,
                           obs_run **out, obs_error *err);

/** @brief Frees a run. NULL-safe. */
void obs_run_free(obs_run *run);

/** @brief Sum over both files of rejected rows. */
uint64_t obs_run_rechazadas(const obs_run *run);

#ifdef __cplusplus
}
#endif

#endif /* OBSERVA_RUN_H */
