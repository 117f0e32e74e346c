/* history_access.c - schema version 2: observa servir's tokens (stored hashed) and audit log, and tighter publication rules. */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>

#include "history/history_int.h"

/* Schema v2 (issue 16): who may read what through the web, and who did what there. Tokens are
 * kept only as SHA-256 (ASVS V2.10.2, V3.5): a copy of the file gives no access. The audit log
 * is append-only (triggers), like published figures. */
static const char *const schema_v2[] = {
    "CREATE TABLE acceso ("
    " id INTEGER PRIMARY KEY,"
    " entidad INTEGER NOT NULL CHECK (entidad BETWEEN 1 AND 32),"
    " hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),"
    " creado INTEGER NOT NULL,"
    " revocado INTEGER"
    ") STRICT",
    "CREATE TABLE auditoria ("
    " id INTEGER PRIMARY KEY,"
    " cuando INTEGER NOT NULL,"
    " quien TEXT NOT NULL,"
    " ip TEXT NOT NULL,"
    " accion TEXT NOT NULL,"
    " objeto TEXT NOT NULL,"
    " estado INTEGER NOT NULL"
    ") STRICT",
    "CREATE TRIGGER auditoria_sin_cambios BEFORE UPDATE ON auditoria"
    " BEGIN SELECT RAISE(ABORT, 'la bitácora de auditoría no se modifica'); END",
    "CREATE TRIGGER auditoria_sin_borrar BEFORE DELETE ON auditoria"
    " BEGIN SELECT RAISE(ABORT, 'la bitácora de auditoría no se borra'); END",
    "CREATE TRIGGER acceso_revocado_para_siempre BEFORE UPDATE OF revocado ON acceso WHEN OLD.revocado IS NOT NULL"
    " BEGIN SELECT RAISE(ABORT, 'un token revocado no vuelve a valer'); END",
    /* What is presented to the CCOE changes only through a publication: a run enters the history
     * being recorded (never already published), and a publication is superseded only by another
     * run of its corte that names it. */
    "CREATE TRIGGER corrida_entra_en_curso BEFORE INSERT ON corrida WHEN NEW.estado <> 'en_curso'"
    " BEGIN SELECT RAISE(ABORT, 'una corrida entra al historial en curso, nunca publicada'); END",
    "CREATE TRIGGER publicacion_sustituida_por_otra BEFORE UPDATE OF estado ON corrida"
    " WHEN OLD.estado = 'publicada' AND NEW.estado = 'sustituida' AND NOT EXISTS"
    " (SELECT 1 FROM corrida c WHERE c.sustituye = OLD.id AND c.corte IS OLD.corte AND c.id <> OLD.id)"
    " BEGIN SELECT RAISE(ABORT, 'una publicación sólo la sustituye otra corrida del mismo corte'); END",
    NULL,
};

int history_migrate_v2(sqlite3 *db)
{
    int rc = SQLITE_OK;
    for (const char *const *sql = schema_v2; rc == SQLITE_OK && *sql; sql++)
        rc = history_exec(db, *sql);
    return rc;
}

static int64_t now(void)
{
    return g_get_real_time() / G_USEC_PER_SEC;
}

/* The hex SHA-256 of a token. */
static void token_hash(const char *token, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_Digest(token, strlen(token), md, &len, EVP_sha256(), NULL);
    for (unsigned i = 0; i < len && i < 32; i++)
        g_snprintf(out + 2 * i, 3, "%02x", md[i]);
}

obs_status obs_access_create(obs_history *h, int entidad, char **token, int64_t *id, obs_error *err)
{
    *token = NULL;
    if (entidad < 1 || entidad > 32)
        return obs_error_set(err, OBS_ERR_USAGE, NULL, 0, 0, "la entidad debe ser una clave de 1 a 32");
    unsigned char raw[32];
    if (RAND_bytes(raw, sizeof raw) != 1)
        return obs_error_set(err, OBS_ERR_INTERNAL, NULL, 0, 0, "no se pudieron generar bytes aleatorios");
    GString *t = g_string_sized_new(64);
    for (size_t i = 0; i < sizeof raw; i++)
        g_string_append_printf(t, "%02x", raw[i]);
    OPENSSL_cleanse(raw, sizeof raw);
    char hash[65];
    token_hash(t->str, hash);
    int rc;
    sqlite3_stmt *st = history_prepare(h, "INSERT INTO acceso (entidad, hash, creado) VALUES (?, ?, ?)", &rc);
    if (st) {
        sqlite3_bind_int(st, 1, entidad);
        sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 3, now());
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(h->db);
        sqlite3_finalize(st);
    }
    if (rc != SQLITE_OK) {
        g_string_free(t, TRUE);
        return history_fail(h, rc, "crear el token", err);
    }
    *id = sqlite3_last_insert_rowid(h->db);
    *token = g_string_free(t, FALSE);
    return OBS_OK;
}

static void read_access(sqlite3_stmt *st, obs_access *a)
{
    a->id = sqlite3_column_int64(st, 0);
    a->entidad = sqlite3_column_int(st, 1);
    a->creado = sqlite3_column_int64(st, 2);
    a->revocado = sqlite3_column_type(st, 3) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 3);
}

typedef struct list_ctx {
    void (*fn)(const obs_access *a, void *ud);
    void *ud;
} list_ctx;

static void list_row(sqlite3_stmt *st, void *ud)
{
    list_ctx *c = ud;
    obs_access a;
    read_access(st, &a);
    c->fn(&a, c->ud);
}

obs_status obs_access_list(obs_history *h, void (*fn)(const obs_access *a, void *ud), void *ud, obs_error *err)
{
    int rc;
    sqlite3_stmt *st = history_prepare(h, "SELECT id, entidad, creado, revocado FROM acceso ORDER BY id", &rc);
    list_ctx c = {fn, ud};
    if (st) {
        rc = history_each_row(st, list_row, &c);
        sqlite3_finalize(st);
    }
    return rc == SQLITE_OK ? OBS_OK : history_fail(h, rc, "leer los tokens", err);
}

obs_status obs_access_revoke(obs_history *h, int64_t id, obs_error *err)
{
    int rc;
    sqlite3_stmt *st = history_prepare(h, "UPDATE acceso SET revocado = ? WHERE id = ? AND revocado IS NULL", &rc);
    if (st) {
        sqlite3_bind_int64(st, 1, now());
        sqlite3_bind_int64(st, 2, id);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(h->db);
        sqlite3_finalize(st);
    }
    if (rc != SQLITE_OK)
        return history_fail(h, rc, "revocar el token", err);
    if (sqlite3_changes(h->db) == 0)
        return obs_error_set(err, OBS_ERR_USAGE, NULL, 0, 0,
                             "no hay un token vigente con el número %" G_GINT64_FORMAT " (vea «observa acceso listar»)",
                             id);
    return OBS_OK;
}

/* The access row matching one parameter (hash or id); *found false when none. */
static obs_status find(obs_history *h, const char *sql, const char *hash, int64_t id, obs_access *out, bool *found,
                       obs_error *err)
{
    *found = false;
    int rc;
    sqlite3_stmt *st = history_prepare(h, sql, &rc);
    if (st) {
        if (hash)
            sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_int64(st, 1, id);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            read_access(st, out);
            *found = true;
        }
        rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
        sqlite3_finalize(st);
    }
    return rc == SQLITE_OK ? OBS_OK : history_fail(h, rc, "leer los tokens", err);
}

obs_status obs_access_find(obs_history *h, const char *token, obs_access *out, bool *found, obs_error *err)
{
    char hash[65];
    token_hash(token, hash);
    obs_status s = find(h, "SELECT id, entidad, creado, revocado FROM acceso WHERE hash = ?", hash, 0, out, found, err);
    OPENSSL_cleanse(hash, sizeof hash);
    return s;
}

obs_status obs_access_get(obs_history *h, int64_t id, obs_access *out, bool *found, obs_error *err)
{
    return find(h, "SELECT id, entidad, creado, revocado FROM acceso WHERE id = ?", NULL, id, out, found, err);
}

obs_status obs_audit_add(obs_history *h, const char *quien, const char *ip, const char *accion, const char *objeto,
                         int estado, obs_error *err)
{
    int rc;
    sqlite3_stmt *st = history_prepare(
        h, "INSERT INTO auditoria (cuando, quien, ip, accion, objeto, estado) VALUES (?, ?, ?, ?, ?, ?)", &rc);
    if (st) {
        sqlite3_bind_int64(st, 1, now());
        sqlite3_bind_text(st, 2, quien, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, ip, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, accion, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, objeto, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 6, estado);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(h->db);
        sqlite3_finalize(st);
    }
    return rc == SQLITE_OK ? OBS_OK : history_fail(h, rc, "anotar en la bitácora de auditoría", err);
}

obs_status obs_history_state_of(obs_history *h, int64_t id, obs_history_state *out, obs_error *err)
{
    int rc;
    sqlite3_stmt *st = history_row_of(h, "SELECT estado FROM corrida WHERE id = ?", id, &rc);
    if (!st)
        return rc == SQLITE_OK || rc == SQLITE_DONE
                   ? obs_error_set(err, OBS_ERR_USAGE, NULL, 0, 0, "no hay una corrida %" G_GINT64_FORMAT " en el historial", id)
                   : history_fail(h, rc, "leer la corrida", err);
    *out = history_state_from_name(history_column_text(st, 0));
    sqlite3_finalize(st);
    return OBS_OK;
}
