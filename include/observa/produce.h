/* produce.h - the document pipeline as a library call: one read of the exports, every document, one set published. */
#ifndef OBSERVA_PRODUCE_H
#define OBSERVA_PRODUCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "observa/catalog.h"
#include "observa/config.h"
#include "observa/error.h"
#include "observa/history.h"
#include "observa/ingest.h"
#include "observa/inputs.h"
#include "observa/run.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief What a run tells its caller while it works; every member may be NULL.
 *
 * The texts are Spanish sentences for the user, without a program-name prefix. The callbacks of
 * one run are never called at the same time (rendering threads serialize them).
 */
typedef struct obs_produce_hooks {
    /** Each problem of the inputs, as it is read (it is also written to rechazos.csv). */
    void (*problem)(void *user, const obs_problem *p);
    /** Progress: `what` is being done, step `step` of `steps` ("informe.pdf", 3, 70); steps == 0
     * names a phase ("leyendo las exportaciones…"), and an empty text ends it. */
    void (*progress)(void *user, unsigned step, unsigned steps, const char *what);
    /** A notice: a warning, a document not written and why, a refusal's explanation. */
    void (*notice)(void *user, const char *text);
    void *user;
} obs_produce_hooks;

/**
 * @brief One run of the pipeline: what to read, what to write and where.
 *
 * Pointers are borrowed for the life of the obs_produce; nothing is copied.
 */
typedef struct obs_produce_request {
    const char *command;       /**< Recorded in the manifest ("informe", "lote", "demo", "servir"…). */
    const obs_config *cfg;     /**< Merged configuration: corte (required unless documentos == 0),
                                *   corte anterior, formatos, [oficio], max_rechazadas, estricto… */
    const char *config_path;   /**< The configuration file, named by messages about its keys; may be NULL. */
    const obs_inputs *inputs;  /**< The files of each export (obs_inputs_expand()). */
    const obs_catalog *cat;    /**< Catalogues and the templates' directory. */
    unsigned documentos;       /**< OBS_DOC_* to write; 0 = a validation run: rechazos.csv only. */
    int entidad;               /**< 1..32: only this OPL's summary and letter; 0 = all. */
    const char *dir;           /**< The output folder, {corte} already replaced. */
    bool reemplazar;           /**< Replace a delivered set of another corte, or a set the history
                                *   records as published (cli.md "Output rules"). */
    int threads;               /**< Reader and render threads, ≥ 1. */
    int64_t generated_at;      /**< Unix time printed in the documents (obs_generation_time()). */
    /** The history the run is recorded in and its documents read (published cortes, exhortos,
     * revisions, previous letters); NULL: none, and the documents are what they were without one. */
    obs_history *history;
    obs_produce_hooks hooks;
} obs_produce_request;

/** @brief A run of the pipeline in progress (obs_produce_open() … obs_produce_free()). */
typedef struct obs_produce obs_produce;

/**
 * @brief Prepares a run before any data is read: loads the templates of the documents asked for
 * (a template error before any file is touched), checks the [oficio] keys, numbering and dates
 * (reports.md §4), then opens and locks the output folder and starts rechazos.csv.
 *
 * The folder rules (cli.md "Output rules"): a folder named after another corte, an input that is
 * one of the folder's outputs, a folder holding another corte's delivered set (unless
 * req->reemplazar), for a validation run any delivered set, and for a demonstration (command
 * "demo") any set another command wrote, whatever its corte, are refused before anything is read. Stale temporaries of an interrupted run are removed.
 *
 * @param req  the run; borrowed until obs_produce_free().
 * @param out  receives the run; NULL on error.
 * @return OBS_OK; OBS_ERR_CONFIG (a template, a missing or inconsistent [oficio] key);
 *         OBS_ERR_USAGE (an input that is an output); OBS_ERR_CANTCREAT (the folder cannot be
 *         created, or holds a set this run may not replace); OBS_ERR_LOCKED (another run holds
 *         it); OBS_ERR_IO; OBS_ERR_NOMEM.
 */
obs_status obs_produce_open(const obs_produce_request *req, obs_produce **out, obs_error *err);

/**
 * @brief Reads both exports once (obs_run_execute()): each problem goes to rechazos.csv and to
 * the problem hook. Without a corte (validation) every dated row counts.
 *
 * First, with a history (req->history, attached by now), a folder holding the set of a run the
 * history records as published (obs_history_published_set(): its manifest.json is the one that
 * publication recorded) is refused before anything is read, unless req->reemplazar: observa never
 * destroys a delivered set, and a published set is the delivered one (reports.md §8; cli.md
 * "Output rules"). The message names the run, its corte and what to do. With reemplazar the run
 * goes on, and once its set is published a notice says which publication it replaced on disk
 * (which stays recorded) and how to publish this run in its place. A history attached only after
 * this call is asked by obs_produce_finish() before any document is rendered.
 *
 * @return OBS_OK (obs_produce_run() then holds the figures); OBS_ERR_CANTCREAT (the folder holds a
 *         published set); OBS_ERR_IO, OBS_ERR_LOCKED (the history cannot be read); the errors of
 *         obs_run_execute().
 */
obs_status obs_produce_read(obs_produce *p, obs_error *err);

/**
 * @brief Writes and publishes the set: for a validation run only rechazos.csv; otherwise the
 * rejected-share gate (data-contract §8, cli.md: --estricto, --max-rechazadas), then every
 * document (in a pool of req->threads), metricas.csv, rechazos.csv and manifest.json, renamed
 * into place together; then the previous set's files this run replaces are removed.
 *
 * With a history: it is read once before any document is rendered; once every file is written
 * under its temporary name, the whole run is recorded in one transaction (en_curso) before the
 * first rename, so a run the history cannot record publishes nothing (OBS_ERR_CANTCREAT,
 * OBS_ERR_IO); after the renames it becomes a draft. A run killed between the two is resolved
 * when the history is next opened (obs_history_open()). validar and a run refused by the gate
 * record nothing.
 *
 * A run refused by the gate publishes only rechazos.csv and manifest.json (none in a folder that
 * holds a delivered set) and returns OBS_ERR_DATA with the explanation in notices (err's message
 * is then empty). A partial re-run over this corte's delivered set made from other exports is
 * refused (OBS_ERR_CANTCREAT) unless req->reemplazar, and so is a folder holding a published set
 * when the history was attached after obs_produce_read() (see there). With no OPL flagged no letter
 * is written (a notice; the manifest records it).
 *
 * @return OBS_OK; OBS_ERR_DATA; OBS_ERR_CONFIG (the letters' numbers do not suffice);
 *         OBS_ERR_CANTCREAT; OBS_ERR_IO; OBS_ERR_LOCKED (the history, past its busy timeout);
 *         OBS_ERR_NOMEM; a renderer's error.
 */
obs_status obs_produce_finish(obs_produce *p, obs_error *err);

/** @brief The figures read (NULL before obs_produce_read()). */
const obs_run *obs_produce_run(const obs_produce *p);
/** @brief The output folder. */
const char *obs_produce_dir(const obs_produce *p);
/** @brief The id the run was recorded with in req->history (after obs_produce_finish()); 0 without one. */
int64_t obs_produce_history_id(const obs_produce *p);
/** @brief Files in the published set (after obs_produce_finish()). */
size_t obs_produce_count(const obs_produce *p);
/** @brief True when the folder held a delivered set (a manifest.json with estado 0) at open. */
bool obs_produce_folder_delivered(const obs_produce *p);
/** @brief True once obs_produce_finish() has published this run's rechazos.csv: with the set, or
 * alone with its manifest for a run the gate refuses. False before, and for a run that failed
 * before publishing or was refused over a delivered set (which is never touched): a caller points
 * to the file only then. */
bool obs_produce_ledger_published(const obs_produce *p);
/** @brief Frees the run; an unpublished run leaves the folder as it was (the folders it created
 * and left empty, and a new folder holding only its lock, are removed). NULL-safe. */
void obs_produce_free(obs_produce *p);

/**
 * @brief The generation time of a run (reports show it): SOURCE_DATE_EPOCH when it is a number of
 * seconds from 1970 to the year 9999 (reproducible builds), else `configured` when ≥ 0, else now.
 *
 * @param warning  receives a Spanish warning when SOURCE_DATE_EPOCH is set but unusable (g_free),
 *                 else NULL.
 */
int64_t obs_generation_time(int64_t configured, char **warning);

/**
 * @brief Refuses a corte after the day of generation: figures "con corte al" a day that has not yet
 * come (or ended) would assert what no export can hold (the brief's first rule: observa never
 * asserts what the data does not support). A corte equal to that day is accepted.
 *
 * @param corte      the run's corte (OBS_DAY_NONE: nothing to check).
 * @param generated  the generation time (obs_generation_time()), Unix seconds; its day is central
 *                   Mexico's (obs_day_from_unix()).
 * @return OBS_OK, or OBS_ERR_USAGE naming both dates.
 */
obs_status obs_check_corte_not_future(obs_day corte, int64_t generated, obs_error *err);

/**
 * @brief The output folder of a corte: pattern with every "{corte}" replaced by the ISO corte ("salida/{corte}" →
 * "salida/2024-01-19"); a copy of pattern when it holds none (g_free). This function can't fail.
 */
char *obs_output_dir_for(const char *pattern, obs_day corte);

/**
 * @brief Fills an obs_run_config from a configuration and the inputs (the lists are borrowed).
 * Without a corte (validar) the corte is 9999-12-31, so every dated row counts.
 */
void obs_run_config_from(const obs_config *cfg, const obs_inputs *inputs, int threads, obs_run_config *out);

/* ---- The rejected-share gate (data-contract §8; cli.md exit 65) ------------------------------- */

/**
 * @brief Explains each file that fails the gate (its share, count, most frequent problem, how to
 * allow it; `where` says where the rejected rows are listed) and warns of a file without data
 * rows, through notice(user, text).
 * @return the number of files that fail it.
 */
size_t obs_gate_explain(const obs_run *run, int max_rechazadas, const char *where,
                        void (*notice)(void *user, const char *text), void *user);
/** @brief For validar: each file's rejected share against the limit, and a warning for a file
 * without data rows (as obs_gate_explain()), through notice() (never fails). */
void obs_gate_report_share(const obs_run *run, int max_rechazadas, void (*notice)(void *user, const char *text),
                           void *user);

#ifdef __cplusplus
}
#endif

#endif /* OBSERVA_PRODUCE_H */
