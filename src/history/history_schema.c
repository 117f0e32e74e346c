/* history_schema.c - opening the history: the file, its pragmas, the schema's migrations and its checks. */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "history/history_int.h"

/* 'OBSV': tells an observa history from any other SQLite file. */
#define APPLICATION_ID 0x4F425356
/* How long a run waits for another one that holds the history (milliseconds). */
#define BUSY_TIMEOUT_MS 30000

char *obs_history_default_path(void)
{
    return g_build_filename(g_get_user_data_dir(), "observa", "historial.sqlite", NULL);
}

/* ---- Schema version 1 ------------------------------------------------------------------------ */

/* What was published can neither change, nor go away, nor grow, whoever writes to the file. */
#define FROZEN_CHILD(t)                                                                                   \
    "CREATE TRIGGER " t "_publicada_no_cambia BEFORE UPDATE ON " t                                        \
    " WHEN (SELECT estado FROM corrida WHERE id = OLD.corrida) IN ('publicada', 'sustituida')"           \
    " BEGIN SELECT RAISE(ABORT, 'las cifras publicadas no se modifican'); END",                           \
    "CREATE TRIGGER " t "_publicada_no_se_borra BEFORE DELETE ON " t                                      \
    " WHEN (SELECT estado FROM corrida WHERE id = OLD.corrida) IN ('publicada', 'sustituida')"           \
    " BEGIN SELECT RAISE(ABORT, 'las cifras publicadas no se borran'); END",                              \
    "CREATE TRIGGER " t "_publicada_no_crece BEFORE INSERT ON " t                                         \
    " WHEN (SELECT estado FROM corrida WHERE id = NEW.corrida) IN ('publicada', 'sustituida')"           \
    " BEGIN SELECT RAISE(ABORT, 'a una corrida publicada no se le agregan cifras'); END"

/* Runs (corrida) and what each recorded: inputs, metrics at its corte, flagged OPLs, letters and
 * outputs. Tables are STRICT; figures only, never a folio or a name. */
static const char *const schema_v1[] = {
    "CREATE TABLE corrida ("
    "  id INTEGER PRIMARY KEY,"
    "  cuando INTEGER NOT NULL,"
    "  comando TEXT NOT NULL,"
    "  opciones TEXT NOT NULL,"
    "  version TEXT NOT NULL,"
    "  carpeta TEXT NOT NULL,"
    "  corte TEXT NOT NULL CHECK (corte GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
    "  corte_anterior TEXT,"
    "  umbral_minimo INTEGER NOT NULL,"
    "  fraccion_mediana REAL NOT NULL,"
    "  mediana REAL NOT NULL,"
    "  umbral REAL NOT NULL,"
    "  estado TEXT NOT NULL DEFAULT 'en_curso'"
    "    CHECK (estado IN ('en_curso', 'borrador', 'publicada', 'sustituida', 'fallida')),"
    "  publicada INTEGER,"
    "  sustituye INTEGER REFERENCES corrida(id),"
    "  proceso INTEGER NOT NULL DEFAULT 0,"
    "  proceso_inicio INTEGER NOT NULL DEFAULT 0"
    ") STRICT",
    "CREATE UNIQUE INDEX una_publicacion_por_corte ON corrida(corte) WHERE estado = 'publicada'",
    "CREATE INDEX corrida_por_corte ON corrida(corte, id)",
    "CREATE TABLE entrada ("
    "  corrida INTEGER NOT NULL REFERENCES corrida(id),"
    "  exportacion TEXT NOT NULL CHECK (exportacion IN ('solicitudes', 'difusion')),"
    "  ruta TEXT NOT NULL,"
    "  bytes INTEGER NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  leidas INTEGER NOT NULL, aceptadas INTEGER NOT NULL, rechazadas INTEGER NOT NULL,"
    "  vacias INTEGER NOT NULL, en_corte INTEGER NOT NULL, posteriores INTEGER NOT NULL"
    ") STRICT",
    "CREATE INDEX entrada_de ON entrada(corrida)",
    "CREATE TABLE metrica ("
    "  corrida INTEGER NOT NULL REFERENCES corrida(id),"
    "  entidad INTEGER NOT NULL CHECK (entidad BETWEEN 0 AND 32),"
    "  metrica TEXT NOT NULL,"
    "  valor INTEGER NOT NULL,"
    "  PRIMARY KEY (corrida, entidad, metrica)"
    ") STRICT, WITHOUT ROWID",
    "CREATE TABLE senalado ("
    "  corrida INTEGER NOT NULL REFERENCES corrida(id),"
    "  entidad INTEGER NOT NULL CHECK (entidad BETWEEN 1 AND 32),"
    "  acciones INTEGER NOT NULL,"
    "  PRIMARY KEY (corrida, entidad)"
    ") STRICT, WITHOUT ROWID",
    "CREATE TABLE oficio ("
    "  corrida INTEGER NOT NULL REFERENCES corrida(id),"
    "  numero TEXT NOT NULL,"
    "  fecha TEXT NOT NULL,"
    "  entidad INTEGER NOT NULL CHECK (entidad BETWEEN 0 AND 32),"
    "  ruta TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL"
    ") STRICT",
    "CREATE INDEX oficio_de ON oficio(corrida)",
    "CREATE TABLE salida ("
    "  corrida INTEGER NOT NULL REFERENCES corrida(id),"
    "  ruta TEXT NOT NULL,"
    "  tipo TEXT NOT NULL,"
    "  entidad INTEGER NOT NULL,"
    "  bytes INTEGER NOT NULL,"
    "  sha256 TEXT NOT NULL"
    ") STRICT",
    "CREATE INDEX salida_de ON salida(corrida)",
    /* Only a draft is published; a publication changes only to superseded, and nothing else of it. */
    "CREATE TRIGGER corrida_solo_borrador_se_publica BEFORE UPDATE OF estado ON corrida"
    " WHEN NEW.estado = 'publicada' AND OLD.estado <> 'borrador'"
    " BEGIN SELECT RAISE(ABORT, 'sólo un borrador se publica'); END",
    "CREATE TRIGGER corrida_publicada_no_cambia BEFORE UPDATE ON corrida"
    " WHEN OLD.estado IN ('publicada', 'sustituida') AND NOT ("
    "   OLD.estado = 'publicada' AND NEW.estado = 'sustituida' AND NEW.id = OLD.id"
    "   AND NEW.cuando = OLD.cuando AND NEW.comando = OLD.comando AND NEW.opciones = OLD.opciones"
    "   AND NEW.version = OLD.version AND NEW.carpeta = OLD.carpeta AND NEW.corte = OLD.corte"
    "   AND NEW.corte_anterior IS OLD.corte_anterior AND NEW.umbral_minimo = OLD.umbral_minimo"
    "   AND NEW.fraccion_mediana = OLD.fraccion_mediana AND NEW.mediana = OLD.mediana"
    "   AND NEW.umbral = OLD.umbral AND NEW.publicada IS OLD.publicada"
    "   AND NEW.sustituye IS OLD.sustituye AND NEW.proceso = OLD.proceso"
    "   AND NEW.proceso_inicio = OLD.proceso_inicio)"
    " BEGIN SELECT RAISE(ABORT, 'una corrida publicada no se modifica'); END",
    "CREATE TRIGGER corrida_publicada_no_se_borra BEFORE DELETE ON corrida"
    " WHEN OLD.estado IN ('publicada', 'sustituida')"
    " BEGIN SELECT RAISE(ABORT, 'una corrida publicada no se borra'); END",
    FROZEN_CHILD("entrada"),
    FROZEN_CHILD("metrica"),
    FROZEN_CHILD("senalado"),
    FROZEN_CHILD("oficio"),
    FROZEN_CHILD("salida"),
    NULL,
};
#undef FROZEN_CHILD

static int migrate_v1(sqlite3 *db)
{
    int rc = SQLITE_OK;
    for (const char *const *sql = schema_v1; rc == SQLITE_OK && *sql; sql++)
        rc = history_exec(db, *sql);
    return rc;
}

const history_migration history_migrations[] = {
    {1, migrate_v1},
    {2, history_migrate_v2}, /* observa servir: access tokens and the audit log (history_access.c) */
};
const size_t history_nmigrations = G_N_ELEMENTS(history_migrations);

/* ---- Opening ----------------------------------------------------------------------------------- */

/* Whether the file may hold an observa history at `version`: refuses another SQLite file, and a
 * schema newer than the migrations this observa knows. */
static obs_status check_identity(obs_history *h, int64_t version, size_t known, obs_error *err)
{
    int rc;
    int64_t app = history_scalar(h, "PRAGMA application_id", &rc);
    int64_t tables = rc == SQLITE_OK ? history_scalar(h, "SELECT count(*) FROM sqlite_schema", &rc) : 0;
    if (rc != SQLITE_OK)
        return history_fail(h, rc, "abrirlo", err);
    if ((version == 0 && tables > 0) || (version > 0 && app != APPLICATION_ID))
        return obs_error_set(err, OBS_ERR_CONFIG, h->path, 0, 0,
                             "el archivo es una base de datos SQLite que no es un historial de observa; "
                             "elija otro con --historial");
    if (version > (int64_t)known)
        return obs_error_set(err, OBS_ERR_CONFIG, h->path, 0, 0,
                             "el historial es de una versión más nueva de observa (esquema %" G_GINT64_FORMAT
                             "; ésta conoce hasta el %zu); actualice observa o use otro historial",
                             version, known);
    return OBS_OK;
}

/* Brings the schema to the last version of `migrations`, all steps in one transaction. */
static obs_status migrate(obs_history *h, const history_migration *migrations, size_t n, obs_error *err)
{
    int rc = history_exec(h->db, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK)
        return history_fail(h, rc, "abrirlo", err);
    int64_t version = history_scalar(h, "PRAGMA user_version", &rc);
    obs_status st = rc == SQLITE_OK ? check_identity(h, version, n, err) : history_fail(h, rc, "abrirlo", err);
    for (size_t i = (size_t)version; st == OBS_OK && i < n; i++) {
        rc = migrations[i].apply(h->db);
        if (rc == SQLITE_OK) {
            char *pragma = g_strdup_printf("PRAGMA user_version = %d; PRAGMA application_id = %d",
                                           migrations[i].version, APPLICATION_ID);
            rc = history_exec(h->db, pragma);
            g_free(pragma);
        }
        if (rc != SQLITE_OK) {
            char *doing = g_strdup_printf("actualizar su esquema a la versión %d", migrations[i].version);
            st = history_fail(h, rc, doing, err);
            g_free(doing);
        }
    }
    if (st == OBS_OK && (rc = history_exec(h->db, "COMMIT")) != SQLITE_OK)
        st = history_fail(h, rc, "abrirlo", err);
    return st == OBS_OK ? OBS_OK : history_rollback(h, st);
}

/* The connection: WAL (readers never block the one writer), FULL sync (a committed run survives a
 * power cut), foreign keys (per connection), and a busy timeout so that runs wait for each other. */
static obs_status open_connection(obs_history *h, obs_error *err)
{
    int rc = sqlite3_open_v2(h->path, &h->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc == SQLITE_OK && sqlite3_db_readonly(h->db, "main") == 1)
        rc = SQLITE_READONLY;
    if (rc == SQLITE_OK)
        rc = sqlite3_busy_timeout(h->db, BUSY_TIMEOUT_MS);
    if (rc == SQLITE_OK)
        rc = history_exec(h->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON");
    return rc == SQLITE_OK ? OBS_OK : history_fail(h, rc, "abrirlo", err);
}

obs_status history_open_with(const char *path, const history_migration *migrations, size_t n, obs_history **out,
                             obs_error *err)
{
    *out = NULL;
    obs_history *h = g_new0(obs_history, 1);
    h->path = g_strdup(path);
    char *dir = g_path_get_dirname(path);
    obs_status st = OBS_OK;
    if (g_mkdir_with_parents(dir, 0700) != 0)
        st = obs_error_set(err, OBS_ERR_CANTCREAT, path, 0, 0,
                           "no se puede crear la carpeta del historial, %s: %s; revise los permisos o elija otro archivo "
                           "con --historial",
                           dir, obs_strerror(errno));
    g_free(dir);
    if (st == OBS_OK)
        st = open_connection(h, err);
    if (st == OBS_OK)
        st = migrate(h, migrations, n, err);
    if (st == OBS_OK) {
        int rc = history_recover(h);
        if (rc != SQLITE_OK)
            st = history_fail(h, rc, "resolver las corridas interrumpidas", err);
    }
    if (st != OBS_OK) {
        obs_history_close(h);
        return st;
    }
    *out = h;
    return OBS_OK;
}

/* A file opened only to read: the schema must already be this observa's (nothing is migrated or
 * recovered). A WAL file whose folder cannot be written is opened as immutable: nobody can be
 * writing to it then. */
obs_status obs_history_open_read(const char *path, obs_history **out, obs_error *err)
{
    *out = NULL;
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
        return obs_error_set(err, OBS_ERR_NOINPUT, path, 0, 0, "el historial no existe");
    obs_history *h = g_new0(obs_history, 1);
    h->path = g_strdup(path);
    char *dir = g_path_get_dirname(path);
    bool frozen = access(dir, W_OK) != 0;
    g_free(dir);
    char *uri = sqlite3_mprintf("file:%q?mode=ro%s", path, frozen ? "&immutable=1" : "");
    int rc = sqlite3_open_v2(uri, &h->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
    sqlite3_free(uri);
    if (rc == SQLITE_OK)
        rc = sqlite3_busy_timeout(h->db, BUSY_TIMEOUT_MS);
    int64_t version = rc == SQLITE_OK ? history_scalar(h, "PRAGMA user_version", &rc) : 0;
    obs_status st = rc == SQLITE_OK ? check_identity(h, version, history_nmigrations, err)
                                    : history_fail(h, rc, "leerlo", err);
    if (st == OBS_OK && version < (int64_t)history_nmigrations)
        st = obs_error_set(err, OBS_ERR_CONFIG, path, 0, 0,
                           "el historial es de una versión anterior de observa; ábralo una vez con permiso "
                           "de escritura (por ejemplo con «observa historial publicar») para actualizarlo");
    if (st != OBS_OK) {
        obs_history_close(h);
        return st;
    }
    *out = h;
    return OBS_OK;
}

obs_status obs_history_open(const char *path, obs_history **out, obs_error *err)
{
    return history_open_with(path, history_migrations, history_nmigrations, out, err);
}

void obs_history_close(obs_history *h)
{
    if (!h)
        return;
    sqlite3_close(h->db);
    g_free(h->path);
    g_free(h);
}

const char *obs_history_path(const obs_history *h)
{
    return h->path;
}

/* ---- Checks -------------------------------------------------------------------------------------- */

/* The first row of a check pragma that reports a problem ("ok" is none), as a sentence (g_free). */
static char *first_problem(obs_history *h, const char *pragma, int *rc)
{
    sqlite3_stmt *st = history_prepare(h, pragma, rc);
    char *problem = NULL;
    if (!st)
        return NULL;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        const char *first = history_column_text(st, 0);
        if (strcmp(pragma, "PRAGMA foreign_key_check") == 0)
            problem = g_strdup_printf("la tabla %s tiene una referencia rota", first);
        else if (strcmp(first, "ok") != 0)
            problem = g_strdup(first);
    } else if (step != SQLITE_DONE) {
        *rc = step;
    }
    sqlite3_finalize(st);
    return problem;
}

obs_status obs_history_check(obs_history *h, obs_error *err)
{
    int rc;
    char *problem = first_problem(h, "PRAGMA integrity_check", &rc);
    if (!problem && rc == SQLITE_OK)
        problem = first_problem(h, "PRAGMA foreign_key_check", &rc);
    if (rc != SQLITE_OK) {
        g_free(problem);
        return history_fail(h, rc, "revisar su integridad", err);
    }
    if (!problem)
        return OBS_OK;
    obs_status s = obs_error_set(err, OBS_ERR_DATA, h->path, 0, 0, "historial dañado: %s", problem);
    g_free(problem);
    return s;
}
