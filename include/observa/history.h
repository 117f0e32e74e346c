/* history.h - the record of runs, published cortes and exhortos, in an embedded SQLite file (reports.md §8). */
#ifndef OBSERVA_HISTORY_H
#define OBSERVA_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "observa/error.h"
#include "observa/text.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * An open history. It holds figures, never personal data: no folio, name or other value of a row
 * of the exports is ever stored (reports.md §8).
 *
 * Vintages: every successful writing run is recorded as a draft (`borrador`). Publishing a draft
 * marks it as what was presented to the CCOE (`publicada`); there is at most one publication per
 * corte. Publishing again for the same corte with `replace` turns the earlier publication into
 * `sustituida` and the new one points to it (`sustituye`). Published and superseded runs, and
 * everything recorded with them, can never be updated or deleted: triggers in the schema refuse it,
 * whoever writes to the file.
 *
 * Ownership: what a function returns through a pointer is the caller's (freed with the function
 * named); what a callback receives is borrowed for the call. A handle is used by one thread at a
 * time; threads or processes that share a file each open their own (they wait for each other).
 */
typedef struct obs_history obs_history;

/** State of a recorded run. */
typedef enum obs_history_state {
    OBS_HIST_EN_CURSO = 0, /**< Being recorded: its documents are not all in place yet. */
    OBS_HIST_BORRADOR,     /**< A draft: documents written, not presented. */
    OBS_HIST_PUBLICADA,    /**< Presented to the CCOE: the published vintage of its corte. */
    OBS_HIST_SUSTITUIDA,   /**< Was published; replaced by a later publication of the same corte. */
    OBS_HIST_FALLIDA,      /**< Its documents never reached their folder (a run killed while publishing). */
    OBS_HIST_STATES
} obs_history_state;

/** @brief Spanish name of a state, as stored ("borrador", "publicada", …). This function can't fail. */
const char *obs_history_state_name(obs_history_state s);

/**
 * @brief The default history: $XDG_DATA_HOME/observa/historial.sqlite (g_get_user_data_dir()).
 * @return a new string (g_free). This function can't fail.
 */
char *obs_history_default_path(void);

/**
 * @brief Opens (creating it and its folder if needed) the history at path: WAL journal, a busy
 * timeout so that concurrent runs wait for each other, foreign keys on, and the schema migrated
 * to the current version (PRAGMA user_version) in one transaction. A run left `en_curso` by a
 * process that no longer exists is resolved: `borrador` when its folder's manifest.json is the one
 * it recorded (its set was published), else `fallida`.
 *
 * @return OBS_OK; OBS_ERR_CANTCREAT when the file or its folder cannot be created, or the file
 *         cannot be written (read-only file or disk, permissions); OBS_ERR_CONFIG when the file is
 *         not an observa history (another SQLite file, or a newer schema than this observa knows);
 *         OBS_ERR_LOCKED when another run holds it past the busy timeout; OBS_ERR_IO on an I/O
 *         error (a full disk). err names the file.
 */
obs_status obs_history_open(const char *path, obs_history **out, obs_error *err);

/**
 * @brief Opens an existing history only to read it (listing, showing, exporting): it works on a
 * file or folder the user cannot write, and changes nothing (no migration, no recovery of
 * interrupted runs).
 * @return OBS_OK; OBS_ERR_NOINPUT when the file does not exist; OBS_ERR_CONFIG when it is not an
 *         observa history or its schema is older or newer than this observa's; OBS_ERR_IO.
 */
obs_status obs_history_open_read(const char *path, obs_history **out, obs_error *err);

/** @brief Closes the history. NULL-safe. */
void obs_history_close(obs_history *h);

/** @brief The file the history was opened from. */
const char *obs_history_path(const obs_history *h);

/**
 * @brief Marks a draft as presented to the CCOE. With replace, the publication of the same corte
 * becomes `sustituida` and this one points to it; without, an earlier publication is refused.
 * A replacement must carry every kind of document the publication carried (informe, resúmenes
 * por OPL, oficio de exhorto, oficios a cada OPL, metricas.csv, by the `tipo` of its recorded
 * outputs), unless it asked for that kind and wrote none (no OPL flagged any more).
 * @return OBS_OK; OBS_ERR_USAGE when there is no such run, it is not a draft, its corte is
 *         already published and replace is false (the message says which run and how to replace
 *         it), or it would replace a publication whose kinds of document it lacks (the message
 *         lists them); OBS_ERR_IO, OBS_ERR_LOCKED.
 */
obs_status obs_history_publish(obs_history *h, int64_t id, bool replace, obs_error *err);

/**
 * @brief The id of the latest draft of a corte (for `historial publicar --corte`).
 * @return OBS_OK (*id 0 when there is none), OBS_ERR_IO.
 */
obs_status obs_history_latest_draft(obs_history *h, obs_day corte, int64_t *id, obs_error *err);

/** A run as listed: who, when, which corte, its state and key national figures at its corte. */
typedef struct obs_history_entry {
    int64_t id;
    int64_t cuando;          /**< Unix time the run was recorded. */
    char comando[32];        /**< "informe", "opl", "oficio", "lote", "demo"… */
    obs_day corte;
    obs_day corte_anterior;  /**< OBS_DAY_NONE when none. */
    obs_history_state estado;
    int64_t publicada;       /**< Unix time of the publication, or 0. */
    int64_t sustituye;       /**< The publication this one replaced, or 0. */
    int64_t sustituida_por;  /**< For a superseded run, the publication that replaced it, or 0. */
    int64_t solicitudes;     /**< solicitudes.total, national, at the corte. */
    int64_t aprobadas;       /**< solicitudes.aprobadas. */
    int64_t acciones_opl;    /**< difusion.instancia.opl. */
    int nsenalados;          /**< OPL flagged at the corte. */
    int noficios;            /**< Letters written. */
} obs_history_entry;

/**
 * @brief Calls fn for every run, newest first.
 * @return OBS_OK or OBS_ERR_IO.
 */
obs_status obs_history_list(obs_history *h, void (*fn)(const obs_history_entry *e, void *ud), void *ud,
                            obs_error *err);

/** One input file of a run and its control totals. */
typedef struct obs_history_input {
    const char *exportacion; /**< "solicitudes" or "difusion". */
    const char *ruta;
    uint64_t bytes;
    const char *sha256;      /**< 64 hex digits. */
    uint64_t leidas, aceptadas, rechazadas, vacias, en_corte, posteriores;
} obs_history_input;

/** An OPL flagged for low outreach at a run's corte, with its OPL actions then. */
typedef struct obs_history_flag {
    int entidad;             /**< 1..32 */
    int64_t acciones;
} obs_history_flag;

/** A letter written by a run. */
typedef struct obs_history_oficio {
    const char *numero;      /**< "INE/DEOE/0150/2024" */
    obs_day fecha;
    int entidad;             /**< 1..32 for a letter to one OPL, 0 for the general exhorto. */
    const char *ruta;        /**< Relative path in the output folder. */
    const char *sha256;
} obs_history_oficio;

/**
 * Whether a run's folder still holds its set. A set's manifest.json is renamed into place last and
 * lists every file with its SHA-256, so the SHA-256 of the folder's manifest.json, against the one
 * the run recorded, tells whether the files there are the run's (reports.md §8).
 */
typedef enum obs_history_files {
    OBS_HIST_FILES_IN_PLACE = 0, /**< The folder's manifest.json is the one the run recorded. */
    OBS_HIST_FILES_MISSING,      /**< The folder has no manifest.json (or no longer exists). */
    OBS_HIST_FILES_CHANGED,      /**< Its manifest.json is another: another run wrote there, or it was edited. */
    OBS_HIST_FILES_UNKNOWN       /**< The run recorded no manifest.json (its set never reached its folder). */
} obs_history_files;

/** Everything recorded about one run (obs_history_show()); owns its strings and arrays. */
typedef struct obs_history_detail {
    obs_history_entry entry;
    char *opciones;          /**< The options, as JSON. */
    char *version;           /**< observa's version. */
    char *carpeta;           /**< The output folder (absolute). */
    int64_t umbral_minimo;
    double fraccion_mediana;
    double mediana;
    double umbral;
    obs_history_input *entradas;
    size_t nentradas;
    obs_history_flag *senalados;
    size_t nsenalados;
    obs_history_oficio *oficios;
    size_t noficios;
    size_t nsalidas;         /**< Output files recorded. */
    obs_history_files archivos; /**< Whether carpeta still holds the run's set, checked when it was read. */
} obs_history_detail;

/**
 * @brief Everything recorded about run id, and whether its folder still holds its set (archivos).
 * @param out receives it (obs_history_detail_free()).
 * @return OBS_OK; OBS_ERR_USAGE if there is no such run; OBS_ERR_IO.
 */
obs_status obs_history_show(obs_history *h, int64_t id, obs_history_detail **out, obs_error *err);

/** @brief Frees what obs_history_show() returned. NULL-safe. */
void obs_history_detail_free(obs_history_detail *d);

/** Header of obs_history_export()'s lines (without the line break). */
#define OBS_HISTORY_EXPORT_HEADER "corte,publicada,corrida,entidad,metrica,valor"

/**
 * @brief The published metrics in long format, for Power BI or pandas: a header
 * (OBS_HISTORY_EXPORT_HEADER) and one line per value of every run in state `publicada`: its
 * corte and publication date (ISO, central Mexico time), its id, the entidad as two digits (00
 * national), the metric's name and its value; sorted by corte, entidad, metric. Each line ends
 * with "\n" and is passed to write.
 * @return OBS_OK or OBS_ERR_IO.
 */
obs_status obs_history_export(obs_history *h, void (*write)(const char *line, void *ud), void *ud, obs_error *err);

/**
 * @brief Runs PRAGMA integrity_check and foreign_key_check (integrity_check does not look at
 * foreign keys).
 * @return OBS_OK when both are clean; OBS_ERR_DATA with the first problem in err otherwise.
 */
obs_status obs_history_check(obs_history *h, obs_error *err);

/**
 * @brief The publication whose set a folder holds: the run in state `publicada` or `sustituida` (it
 * was presented once) that recorded, as the SHA-256 of its manifest.json, the SHA-256 of
 * folder/manifest.json now. A writing run asks before it writes anything: observa never destroys a
 * delivered set, and a published set is the delivered one (reports.md §8; cli.md "Output rules").
 *
 * @param folder  the output folder.
 * @param id      receives the run's id; 0 when the folder has no manifest.json, or one no
 *                publication recorded.
 * @param corte   receives its corte (OBS_DAY_NONE when *id is 0).
 * @return OBS_OK; OBS_ERR_IO when the history cannot be read; OBS_ERR_LOCKED past its busy
 *         timeout. A manifest.json that cannot be read is no publication's (*id 0): the folder
 *         rules (obs_produce_open()) have refused it already unless the run replaces it.
 */
obs_status obs_history_published_set(obs_history *h, const char *folder, int64_t *id, obs_day *corte,
                                     obs_error *err);

/** @brief The state of run id now. @return OBS_OK; OBS_ERR_USAGE if there is no such run; OBS_ERR_IO. */
obs_status obs_history_state_of(obs_history *h, int64_t id, obs_history_state *out, obs_error *err);

/* ---- observa servir's access tokens and audit log (schema version 2) ---------------------- */

/** An OPL's access token to observa servir: it reads that entidad's documents of published cortes. */
typedef struct obs_access {
    int64_t id;
    int entidad;      /**< 1..32. */
    int64_t creado;   /**< Unix time. */
    int64_t revocado; /**< Unix time, or 0 while it is valid. */
} obs_access;

/**
 * @brief Creates a token for an OPL: 256 random bits (OpenSSL) as 64 hex digits, returned once in
 * *token (g_free) and stored only as its SHA-256 (OWASP ASVS 4.0.3 V2.10, V3.5).
 * @return OBS_OK; OBS_ERR_USAGE for an entidad outside 1..32; OBS_ERR_IO, OBS_ERR_CANTCREAT,
 *         OBS_ERR_LOCKED from the history; OBS_ERR_INTERNAL when no random bytes can be had.
 */
obs_status obs_access_create(obs_history *h, int entidad, char **token, int64_t *id, obs_error *err);
/** @brief Calls fn for every token, by id. @return OBS_OK or OBS_ERR_IO. */
obs_status obs_access_list(obs_history *h, void (*fn)(const obs_access *a, void *ud), void *ud, obs_error *err);
/** @brief Revokes a token for good. @return OBS_OK; OBS_ERR_USAGE when there is no valid token id. */
obs_status obs_access_revoke(obs_history *h, int64_t id, obs_error *err);
/** @brief The token a client sent, by its hash; *found false when unknown. @return OBS_OK or OBS_ERR_IO. */
obs_status obs_access_find(obs_history *h, const char *token, obs_access *out, bool *found, obs_error *err);
/** @brief Token id; *found false when there is none. @return OBS_OK or OBS_ERR_IO. */
obs_status obs_access_get(obs_history *h, int64_t id, obs_access *out, bool *found, obs_error *err);
/**
 * @brief Appends to the audit log (who, from where, what, on what, the HTTP status); the log cannot
 * be changed or deleted (triggers). It holds no personal data: roles, an OPL's clave and token id.
 * @return OBS_OK; OBS_ERR_IO, OBS_ERR_LOCKED.
 */
obs_status obs_audit_add(obs_history *h, const char *quien, const char *ip, const char *accion, const char *objeto,
                         int estado, obs_error *err);

#ifdef __cplusplus
}
#endif

#endif /* OBSERVA_HISTORY_H */
