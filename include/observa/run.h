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
    /** The files of the solicitudes export, NULL-terminated (directories already expanded, see
     * obs_inputs_expand()). They are read as one export, in this order. */
    const char *const *solicitudes;
    const char *const *difusion; /**< Likewise, the files of the difusion export. */
    obs_day corte;               /**< Required. */
    obs_day corte_anterior;      /**< OBS_DAY_NONE when not asked. */
    obs_ingest_options ingest;
    obs_outreach_rule rule;
    /** With more than one thread, each solicitudes file at least this big is read in two parts
     * at once (0: 16 MiB). The result is the same as one read's. */
    uint64_t split_min_bytes;
} obs_run_config;

/**
 * One export read from one or more files as one: an id (folio, id) accepted in one file
 * rejects a later row that repeats it in any file. Control totals per file and combined.
 */
typedef struct obs_export {
    /** Sums over the files: every counter, bytes and lines. path is NULL; sha256, encoding and
     * delimiter are empty (they belong to each file). */
    obs_file_stats total;
    obs_file_stats *files;       /**< One per file, in reading order (each with its path). */
    size_t nfiles;               /**< At least 1. */
} obs_export;

/** The result of a run: everything the reports need. Owns all its members. */
typedef struct obs_run {
    const obs_catalog *cat;      /**< Borrowed. */
    obs_day corte;
    obs_day corte_anterior;
    obs_export exports[OBS_FILE_KIND_COUNT];
    obs_cube *cube;
    obs_snapshot *actual;        /**< Metrics at the corte. */
    obs_snapshot *anterior;      /**< At the corte anterior, or NULL. */
    /** Diagnostics (the figures are the same either way): how the last solicitudes file read in
     * two parts was read, an obs_split of src/metrics/run_int.h; 0 (OBS_SPLIT_NONE) when none was. */
    int split;
} obs_run;

/**
 * @brief Reads both exports and builds the metrics.
 *
 * The solicitudes files are read in order, then the difusion files (with more than one
 * thread, the difusion files are read at the same time on a thread of their own, and their
 * problems are handed on after all of solicitudes'). Every problem found in a row is passed to
 * on_problem with its own file's path and physical line, in that order. A file-level error
 * stops the run; row errors never do.
 *
 * @param out receives the run (obs_run_free()) on success.
 * @return OBS_OK; OBS_ERR_USAGE when an export has no file; OBS_ERR_NOINPUT when a file cannot
 *         be opened or read; OBS_ERR_DATA when a file is not a usable export (empty, no header,
 *         binary, required columns missing); OBS_ERR_IO when the problems of the difusion
 *         thread cannot be kept in a temporary file. err says which file.
 */
obs_status obs_run_execute(const obs_run_config *cfg, const obs_catalog *cat,
                           obs_problem_fn on_problem, void *problem_ud,
                           obs_run **out, obs_error *err);

/** @brief Frees a run. NULL-safe. */
void obs_run_free(obs_run *run);

/** @brief Rejected rows of both exports, all their files together. */
uint64_t obs_run_rechazadas(const obs_run *run);

#ifdef __cplusplus
}
#endif

#endif /* OBSERVA_RUN_H */
