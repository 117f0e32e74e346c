/* history_int.h - internal: the history store's state, its migrations, SQLite helpers, and recording a run
 * (the document pipeline's side of history.h). */
#ifndef OBSERVA_HISTORY_INT_H
#define OBSERVA_HISTORY_INT_H

#include <glib.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "observa/history.h"

struct obs_history {
    sqlite3 *db;
    char *path;
};

/*
 * The letters whose numbers are taken for a run of corte `param` (an SQL parameter such as "?1"):
 * numero, the run (r.id) and its corte (r.corte) of every letter written by a run not lost of another
 * published corte (reports.md §4: a number is used once; letters are often written after the
 * session, so any run of a presented corte counts). One rule for the check before a run writes its
 * letters (history_view.c) and the one when a run is published (history_runs.c).
 */
#define HISTORY_TAKEN_LETTERS(param)                                                                   \
    "SELECT o.numero, r.id, r.corte FROM oficio o JOIN corrida r ON r.id = o.corrida"               \
    " WHERE r.corte <> " param " AND r.estado IN ('borrador', 'publicada', 'sustituida')"            \
    " AND r.corte IN (SELECT corte FROM corrida WHERE estado = 'publicada')"

/* ---- Schema (history_schema.c) ---- */

/*
 * One step of the schema: apply() brings a file at user_version = version - 1 to `version`. Steps
 * run in order inside one transaction with PRAGMA user_version set after each; a step that fails
 * leaves the file as it was. Adding a schema version is adding one function and one row to
 * history_migrations[]; a released step is never edited.
 */
typedef struct history_migration {
    int version;
    int (*apply)(sqlite3 *db); /* SQLITE_OK or an error code */
} history_migration;

/* Version 2 (history_access.c): the web service's access tokens and audit log. */
int history_migrate_v2(sqlite3 *db);

/* The schema versions this observa knows, in order. */
extern const history_migration history_migrations[];
extern const size_t history_nmigrations;

/* obs_history_open() with a given list of migrations (the tests add a fake next version). */
obs_status history_open_with(const char *path, const history_migration *migrations, size_t n, obs_history **out,
                             obs_error *err);

/* ---- SQLite helpers (history_db.c) ---- */

/* Runs a script of statements; SQLITE_OK or the first error. */
int history_exec(sqlite3 *db, const char *sql);
/* A prepared statement, or NULL with *rc set. */
sqlite3_stmt *history_prepare(obs_history *h, const char *sql, int *rc);
/* The first column of the first row of sql as an integer (0 when no row); *rc as sqlite3 says. */
int64_t history_scalar(obs_history *h, const char *sql, int *rc);
/* The statement sql (whose one parameter is a run's id) stepped onto its first row, or NULL when it
 * has none (*rc SQLITE_OK) or fails (*rc the error). The caller finalizes it. */
sqlite3_stmt *history_row_of(obs_history *h, const char *sql, int64_t id, int *rc);
/* Steps st to its end, calling row for each row; SQLITE_OK or the error. */
int history_each_row(sqlite3_stmt *st, void (*row)(sqlite3_stmt *st, void *ud), void *ud);
/* Binds an ISO date, or NULL for OBS_DAY_NONE. */
void history_bind_day(sqlite3_stmt *st, int i, obs_day d);
/* Reads an ISO date column (OBS_DAY_NONE for NULL). */
obs_day history_column_day(sqlite3_stmt *st, int i);
/* A text column, "" for NULL. */
const char *history_column_text(sqlite3_stmt *st, int i);
/* The obs_error for a SQLite failure while `doing` ("registrar la corrida"): the status that code
 * means (busy: OBS_ERR_LOCKED; read-only, can't open: OBS_ERR_CANTCREAT; full, I/O: OBS_ERR_IO), the
 * file and a Spanish reason. */
obs_status history_fail(obs_history *h, int rc, const char *doing, obs_error *err);
/* ROLLBACK, keeping err as it is; returns st. */
obs_status history_rollback(obs_history *h, obs_status st);

/* The state a stored name means (OBS_HIST_FALLIDA for an unknown one). */
obs_history_state history_state_from_name(const char *s);

/* ---- Recording a run (history_runs.c) ---- */

/* One metric value at the run's corte (data contract §6): entidad 0..32, name, value. */
typedef struct obs_history_metric {
    int entidad;
    const char *metrica;
    int64_t valor;
} obs_history_metric;

/* An output file of the run (as its manifest lists it, and the manifest itself). */
typedef struct obs_history_output {
    const char *ruta;    /* relative to the output folder */
    const char *tipo;    /* "informe-pdf", "metricas", "manifiesto", … */
    int entidad;         /* 1..32 for per-OPL files, 0 otherwise */
    uint64_t bytes;
    const char *sha256;
} obs_history_output;

/* Everything a run records; arrays and strings are borrowed for the call. */
typedef struct obs_history_run {
    const char *comando;     /* "informe", "opl", "oficio", "lote", "demo", … */
    const char *opciones;    /* the options, as JSON (no personal data) */
    const char *version;
    const char *carpeta;     /* the output folder, absolute: a later process finds its manifest there */
    obs_day corte;
    obs_day corte_anterior;  /* OBS_DAY_NONE when none */
    int64_t umbral_minimo;
    double fraccion_mediana;
    double mediana;
    double umbral;
    const obs_history_input *entradas;
    size_t nentradas;
    const obs_history_metric *metricas;
    size_t nmetricas;
    const obs_history_flag *senalados;
    size_t nsenalados;
    const obs_history_oficio *oficios;
    size_t noficios;
    const obs_history_output *salidas;
    size_t nsalidas;
} obs_history_run;

/*
 * Records a run in one transaction, in state en_curso, with this process as its owner. The
 * caller then puts its documents in place and calls obs_history_finish(); a run killed in between
 * stays en_curso until the next obs_history_open() resolves it.
 * Returns OBS_OK; OBS_ERR_IO (a full disk: nothing of the run is recorded); OBS_ERR_CANTCREAT (a
 * read-only file); OBS_ERR_LOCKED (another process holds the history past the busy timeout).
 */
obs_status obs_history_begin(obs_history *h, const obs_history_run *run, int64_t *id, obs_error *err);

/* The run's documents are in place (ok: it becomes a draft) or are not (it becomes fallida). */
obs_status obs_history_finish(obs_history *h, int64_t id, bool ok, obs_error *err);

/* Whether folder still holds a run's set: its manifest.json against the SHA-256 the run recorded for
 * it (NULL: the run recorded none). Shared by recovery, publication and obs_history_show(). */
obs_history_files history_files_of(const char *folder, const char *recorded);

/* SHA-256 of a file in hex (g_free), or NULL when it cannot be read. */
char *history_file_sha256(const char *path);

/* Resolves the runs left en_curso by processes that no longer exist (see obs_history_open()). */
int history_recover(obs_history *h);

#endif /* OBSERVA_HISTORY_INT_H */
