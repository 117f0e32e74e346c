/* output_int.h - internal: the output directory: atomic files, the rejects ledger and the list of outputs. */
#ifndef OBSERVA_OUTPUT_INT_H
#define OBSERVA_OUTPUT_INT_H

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

#include "observa/csvfield.h"
#include "observa/error.h"
#include "observa/ingest.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An output directory being written. Owns the list of files committed to it. */
typedef struct obs_output obs_output;

/** A file committed to the output directory (for the manifest). */
typedef struct obs_output_entry {
    char *relpath;     /**< Relative to the output directory, '/'-separated. */
    char *kind;        /**< "informe-pdf", "metricas", "rechazos", … */
    int entidad;       /**< 1..32 for per-OPL files, 0 otherwise. */
    uint64_t size;
    char sha256[65];
} obs_output_entry;

/**
 * A file being written: data goes to tmp_path (a hidden temporary name in the
 * same directory) and becomes final_path only at obs_outfile_commit().
 */
typedef struct obs_outfile {
    char *relpath;
    char *final_path;
    char *tmp_path;
    FILE *fp;          /**< Open for streaming writers; renderers may fclose it and write tmp_path. */
} obs_outfile;

/** @brief Opens (creating it and its parents if needed) an output directory. */
obs_status obs_output_open(const char *dir, obs_output **out, obs_error *err);
/**
 * @brief Takes the directory's lock (a POSIX record lock on ".observa.lock"), so two
 * runs never write the same directory. The lock dies with the process, so a killed run
 * never blocks the next one. OBS_ERR_LOCKED (exit 75) when another run holds it.
 */
obs_status obs_output_lock(obs_output *out, obs_error *err);

/** @brief Removes temporary files (".name.XXXXXX") left by interrupted runs; call with the lock held. */
void obs_output_clean_stale(obs_output *out);

/**
 * @brief Removes staged files never published and the folders this handle created that are left
 * empty (opl/ of a run that failed); when it created the output folder itself and nothing but its
 * lock file is there, removes the lock file and the folder too (and the parents it created).
 * Frees the handle and releases the lock. NULL-safe.
 */
void obs_output_free(obs_output *out);
/** @brief The directory path. */
const char *obs_output_dir(const obs_output *out);
/** @brief Number of files staged or published so far. */
size_t obs_output_count(const obs_output *out);

/** @brief Starts a file at relpath (subdirectories are created). Thread-safe. */
obs_status obs_outfile_begin(obs_output *out, const char *relpath, obs_outfile *of, obs_error *err);
/**
 * @brief Flushes and syncs the temporary file and records it (size and SHA-256) as
 * staged: it takes its final name only at obs_output_publish(). On failure the temporary
 * file is removed. Thread-safe.
 */
obs_status obs_outfile_commit(obs_output *out, obs_outfile *of, const char *kind,
                              int entidad, obs_error *err);
/** @brief Abandons a file: closes and removes the temporary file. NULL-safe. */
void obs_outfile_abort(obs_outfile *of);

/**
 * @brief Renames every staged file to its final name. Until then a run can fail without
 * touching the previous run's outputs; obs_output_free() discards what was not published.
 */
obs_status obs_output_publish(obs_output *out, obs_error *err);

/**
 * @brief Lists a file already in the output directory, from an earlier run, as part of this set:
 * it stays as it is and the manifest lists it with the size and SHA-256 it was delivered with.
 * @return OBS_OK; OBS_ERR_CANTCREAT when the file is missing or its size changed since (the
 *         earlier set is no longer what its manifest says).
 */
obs_status obs_output_adopt(obs_output *out, const obs_output_entry *e, obs_error *err);

/** @brief Writes a whole file from memory and stages it. */
obs_status obs_output_write(obs_output *out, const char *relpath, const char *data,
                            size_t len, const char *kind, int entidad, obs_error *err);


/**
 * @brief The date a directory's name announces when it is not corte: the last component of
 * dir holds one or more ISO dates (AAAA-MM-DD) and none of them is corte. OBS_DAY_NONE when
 * the name holds corte or no date. Lets a caller refuse to write the documents of one corte
 * into the folder named after another. This function can't fail.
 */
obs_day obs_output_dir_other_day(const char *dir, obs_day corte);

/**
 * @brief Refuses an input that is, or would be overwritten by, an output: an input whose
 * directory is dir (same device and inode, whatever the spelling) and whose name is one of
 * outputs, or whose directory is dir/SUB for an entry "SUB/" of outputs. Nothing is created
 * or read; a dir that does not exist holds no input.
 * @param inputs   NULL-terminated file paths.
 * @param outputs  NULL-terminated names ("metricas.csv") and subdirectories ("opl/").
 * @return OBS_OK, or OBS_ERR_USAGE naming the input (err->path) and the output it would be.
 */
obs_status obs_output_check_inputs(const char *dir, const char *const *inputs, const char *const *outputs,
                                   obs_error *err);

/**
 * @brief Removes a file a previous run left under relpath (one of its manifest's outputs) that
 * this run did not write, so a directory never mixes two sets. A relpath that is absolute,
 * holds "..", or names a file this run committed is left alone; a file already gone is fine.
 * Call after obs_output_publish().
 * @return OBS_OK, or OBS_ERR_IO when the file exists and cannot be removed.
 */
obs_status obs_output_remove_previous(obs_output *out, const char *relpath, obs_error *err);

/** Streams problems into rechazos.csv (reports.md §5). */
typedef struct obs_ledger obs_ledger;

/** @brief Starts rechazos.csv in the output directory. */
obs_status obs_ledger_begin(obs_output *out, obs_ledger **ledger, obs_error *err);
/** @brief Appends one problem (never the whole input row). */
void obs_ledger_add(obs_ledger *ledger, const obs_problem *p);
/** @brief Stages rechazos.csv and frees the ledger. */
obs_status obs_ledger_commit(obs_output *out, obs_ledger *ledger, obs_error *err);
/** @brief Abandons the ledger (no file is left). NULL-safe. */
void obs_ledger_abort(obs_ledger *ledger);


/* Committed file i (0 <= i < obs_output_count()), in the order committed. */
const obs_output_entry *obs_output_get(const obs_output *out, size_t i);

#ifdef __cplusplus
}
#endif

#endif /* OBSERVA_OUTPUT_INT_H */
