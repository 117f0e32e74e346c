/* history_db.c - the SQLite helpers the history's files share: statements, dates, the states' names, and what a
 * SQLite failure means for the person running observa. */
#include <string.h>

#include "history/history_int.h"

static const char *const state_names[OBS_HIST_STATES] = {
    [OBS_HIST_EN_CURSO] = "en_curso",   [OBS_HIST_BORRADOR] = "borrador", [OBS_HIST_PUBLICADA] = "publicada",
    [OBS_HIST_SUSTITUIDA] = "sustituida", [OBS_HIST_FALLIDA] = "fallida",
};

const char *obs_history_state_name(obs_history_state s)
{
    return (unsigned)s < OBS_HIST_STATES ? state_names[s] : "";
}

obs_history_state history_state_from_name(const char *s)
{
    for (int i = 0; s && i < OBS_HIST_STATES; i++)
        if (strcmp(s, state_names[i]) == 0)
            return (obs_history_state)i;
    return OBS_HIST_FALLIDA;
}

/* ---- Errors ------------------------------------------------------------------------------------ */

static obs_status sqlite_status(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return OBS_ERR_LOCKED;
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return OBS_ERR_CANTCREAT;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        return OBS_ERR_CONFIG;
    case SQLITE_NOMEM:
        return OBS_ERR_NOMEM;
    case SQLITE_CONSTRAINT:
        return OBS_ERR_USAGE;
    default:
        return OBS_ERR_IO;
    }
}

/* What a SQLite result code means for the person running observa. */
static const char *sqlite_reason(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return "otra ejecución lo está usando y no lo liberó a tiempo; vuelva a intentarlo";
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return "no se puede escribir (el archivo o su carpeta son de sólo lectura); elija otro con --historial o "
               "revise los permisos";
    case SQLITE_CANTOPEN:
        return "no se puede abrir ni crear; revise la ruta y los permisos, o elija otro con --historial";
    case SQLITE_FULL:
        return "no cabe: el disco está lleno";
    case SQLITE_NOTADB:
        return "no es una base de datos SQLite; elija otro con --historial";
    case SQLITE_CORRUPT:
        return "está dañado";
    case SQLITE_IOERR:
        return "dio un error de entrada o salida del disco (¿disco lleno o dañado?)";
    case SQLITE_CONSTRAINT:
        return "no admite ese cambio";
    default:
        return "dio un error de SQLite";
    }
}

obs_status history_fail(obs_history *h, int rc, const char *doing, obs_error *err)
{
    /* SQLite's own text is English: only a refused change says more, in the Spanish of our triggers
     * (RAISE(ABORT, '…')); an unexpected code names its number for whoever reads the logs. */
    int primary = rc & 0xff;
    if (primary == SQLITE_CONSTRAINT && h->db)
        return obs_error_set(err, sqlite_status(rc), h->path, 0, 0, "al %s, el historial %s: %s", doing,
                             sqlite_reason(rc), sqlite3_errmsg(h->db));
    if (!strcmp(sqlite_reason(rc), "dio un error de SQLite"))
        return obs_error_set(err, sqlite_status(rc), h->path, 0, 0, "al %s, el historial %s (código %d)",
                             doing, sqlite_reason(rc), rc);
    return obs_error_set(err, sqlite_status(rc), h->path, 0, 0, "al %s, el historial %s", doing,
                         sqlite_reason(rc));
}

obs_status history_rollback(obs_history *h, obs_status st)
{
    if (!sqlite3_get_autocommit(h->db))
        sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
    return st;
}

/* ---- Statements -------------------------------------------------------------------------------- */

int history_exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

sqlite3_stmt *history_prepare(obs_history *h, const char *sql, int *rc)
{
    sqlite3_stmt *st = NULL;
    *rc = sqlite3_prepare_v2(h->db, sql, -1, &st, NULL);
    return *rc == SQLITE_OK ? st : NULL;
}

int64_t history_scalar(obs_history *h, const char *sql, int *rc)
{
    sqlite3_stmt *st = history_prepare(h, sql, rc);
    int64_t v = 0;
    if (st) {
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        *rc = step == SQLITE_ROW || step == SQLITE_DONE ? SQLITE_OK : step;
    }
    sqlite3_finalize(st);
    return v;
}

sqlite3_stmt *history_row_of(obs_history *h, const char *sql, int64_t id, int *rc)
{
    sqlite3_stmt *st = history_prepare(h, sql, rc);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        return st;
    *rc = step == SQLITE_DONE ? SQLITE_OK : step;
    sqlite3_finalize(st);
    return NULL;
}

int history_each_row(sqlite3_stmt *st, void (*row)(sqlite3_stmt *st, void *ud), void *ud)
{
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        row(st, ud);
    return step == SQLITE_DONE ? SQLITE_OK : step;
}

void history_bind_day(sqlite3_stmt *st, int i, obs_day d)
{
    if (d == OBS_DAY_NONE) {
        sqlite3_bind_null(st, i);
        return;
    }
    char iso[16];
    obs_day_iso(d, iso, sizeof iso);
    sqlite3_bind_text(st, i, iso, -1, SQLITE_TRANSIENT);
}

obs_day history_column_day(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? obs_day_parse_iso(s) : OBS_DAY_NONE;
}

const char *history_column_text(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? s : "";
}

