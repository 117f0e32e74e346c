/* manifest_int.h - internal: manifest.json: what a run read and wrote, with sizes and SHA-256 (reports.md §5). */
#ifndef OBSERVA_MANIFEST_INT_H
#define OBSERVA_MANIFEST_INT_H

#include <stdint.h>

#include "observa/error.h"
#include "output/output_int.h"
#include "observa/run.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A document the run was asked for and did not write, and why (no OPL flagged: no exhorto). */
typedef struct obs_manifest_skip {
    const char *kind;    /**< Output kind, as in "salidas": "oficio-pdf", "oficio-opl-pdf". */
    const char *path;    /**< Relative path it would have had: "oficio.pdf", "oficio_opl/". */
    const char *reason;  /**< Spanish. */
} obs_manifest_skip;

typedef struct obs_manifest_info {
    const char *command;   /**< "lote", "informe", … */
    const char *version;   /**< observa's version. */
    const obs_run *run;    /**< Inputs and cortes; NULL if the inputs could not be read. */
    int64_t generated_at;  /**< Unix time of generation. */
    int status;            /**< The run's exit status. */
    const obs_manifest_skip *skipped; /**< Documents not written ("omitidos"), or NULL. */
    size_t nskipped;
} obs_manifest_info;

/** What a directory's manifest.json says of the set it describes. */
typedef struct obs_manifest_prev {
    obs_day corte;         /**< OBS_DAY_NONE when the manifest names none. */
    char *command;         /**< "lote", "informe", …; NULL when absent. */
    int estado;            /**< The exit status it records (0: a delivered set); -1 when absent. */
    char **rutas;          /**< Relative paths of its outputs, NULL-terminated. */
    char **tipos;          /**< Their kinds, parallel to rutas ("" when absent). */
    obs_output_entry *salidas; /**< Its outputs as listed (path, kind, entidad, size, SHA-256). */
    size_t nsalidas;
    char **entradas_sha256;    /**< The SHA-256 of each input file, in the manifest's order, NULL-terminated. */
} obs_manifest_prev;

/**
 * @brief Writes manifest.json into the output directory (atomically): tool version,
 * command, cortes, generation time, every input file ("entradas": export, path, size,
 * SHA-256, encoding, delimiter and its control totals, vacías included), the combined
 * totals of each export ("exportaciones": number of files, bytes, control totals),
 * every file committed so far (relative path, kind, entidad, size, SHA-256), sorted
 * by path, the documents asked for and not written ("omitidos": kind, path, reason; an empty
 * list when none) and the exit status.
 * @return OBS_OK, or what obs_output_write() returns (OBS_ERR_CANTCREAT, OBS_ERR_IO).
 */
obs_status obs_manifest_write(obs_output *out, const obs_manifest_info *m, obs_error *err);

/**
 * @brief Reads dir/manifest.json, the mark of a delivered set.
 * @param out receives the manifest's facts (obs_manifest_prev_free()), or NULL when dir holds
 *        no manifest.json.
 * @return OBS_OK (with or without a manifest); OBS_ERR_DATA when manifest.json exists but is
 *         not a manifest observa wrote (unreadable, not JSON, or without "herramienta":
 *         "observa"), naming it.
 */
obs_status obs_manifest_read(const char *dir, obs_manifest_prev **out, obs_error *err);

/** @brief Frees what obs_manifest_read() returned. NULL-safe. */
void obs_manifest_prev_free(obs_manifest_prev *m);

#ifdef __cplusplus
}
#endif

#endif /* OBSERVA_MANIFEST_INT_H */
