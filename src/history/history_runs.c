/* history_runs.c - the life of a recorded run: begun (en_curso), finished (borrador or fallida), published
 * (replacing a publication, which stays as a superseded vintage), and recovered after its process died. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "history/history_int.h"

/* ---- The process that owns a run ------------------------------------------------------------- */

/* When a process started (field 22 of /proc/PID/stat, in clock ticks since boot): a pid and its start
 * name one process, even after the pid is reused. 0 when unknown. */
static int64_t process_start(pid_t pid)
{
    char path[64], *text = NULL;
    g_snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    if (!g_file_get_contents(path, &text, NULL, NULL))
        return 0;
    int64_t start = 0;
    const char *p = strrchr(text, ')'); /* the command name may hold spaces and parentheses */
    if (p) {
        char **fields = g_strsplit(p + 2, " ", 0);
        if (g_strv_length(fields) > 19)
            start = g_ascii_strtoll(fields[19], NULL, 10);
        g_strfreev(fields);
    }
    g_free(text);
    return start;
}

/* Whether the process that began a run may still be running it. */
static bool process_alive(int64_t pid, int64_t start)
{
    if (pid <= 0 || pid > INT32_MAX)
        return false;
    /* With /proc, the pid must still be the same process; without, any process with that pid. */
    if (start > 0 && g_file_test("/proc/self/stat", G_FILE_TEST_EXISTS))
        return process_start((pid_t)pid) == start;
    return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

/* ---- Recording --------------------------------------------------------------------------------- */

/* Inserts n rows with one statement: bind(st, i, ud) binds row i. */
static int insert_rows(obs_history *h, const char *sql, size_t n, void (*bind)(sqlite3_stmt *st, size_t i, const void *ud),
                       const void *ud)
{
    int rc;
    sqlite3_stmt *st = history_prepare(h, sql, &rc);
    for (size_t i = 0; st && i < n && rc == SQLITE_OK; i++) {
        bind(st, i, ud);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(h->db);
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
    sqlite3_finalize(st);
    return rc;
}

typedef struct rows {
    int64_t id;
    const obs_history_run *r;
} rows;

static void bind_input(sqlite3_stmt *st, size_t i, const void *ud)
{
    const rows *x = ud;
    const obs_history_input *e = &x->r->entradas[i];
    sqlite3_bind_int64(st, 1, x->id);
    sqlite3_bind_text(st, 2, e->exportacion, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, e->ruta, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (int64_t)e->bytes);
    sqlite3_bind_text(st, 5, e->sha256, -1, SQLITE_STATIC);
    const uint64_t counts[] = {e->leidas, e->aceptadas, e->rechazadas, e->vacias, e->en_corte, e->posteriores};
    for (int k = 0; k < 6; k++)
        sqlite3_bind_int64(st, 6 + k, (int64_t)counts[k]);
}

static void bind_metric(sqlite3_stmt *st, size_t i, const void *ud)
{
    const rows *x = ud;
    const obs_history_metric *m = &x->r->metricas[i];
    sqlite3_bind_int64(st, 1, x->id);
    sqlite3_bind_int(st, 2, m->entidad);
    sqlite3_bind_text(st, 3, m->metrica, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, m->valor);
}

static void bind_flag(sqlite3_stmt *st, size_t i, const void *ud)
{
    const rows *x = ud;
    sqlite3_bind_int64(st, 1, x->id);
    sqlite3_bind_int(st, 2, x->r->senalados[i].entidad);
    sqlite3_bind_int64(st, 3, x->r->senalados[i].acciones);
}

static void bind_oficio(sqlite3_stmt *st, size_t i, const void *ud)
{
    const rows *x = ud;
    const obs_history_oficio *o = &x->r->oficios[i];
    sqlite3_bind_int64(st, 1, x->id);
    sqlite3_bind_text(st, 2, o->numero, -1, SQLITE_STATIC);
    history_bind_day(st, 3, o->fecha);
    sqlite3_bind_int(st, 4, o->entidad);
    sqlite3_bind_text(st, 5, o->ruta, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, o->sha256, -1, SQLITE_STATIC);
}

static void bind_output(sqlite3_stmt *st, size_t i, const void *ud)
{
    const rows *x = ud;
    const obs_history_output *o = &x->r->salidas[i];
    sqlite3_bind_int64(st, 1, x->id);
    sqlite3_bind_text(st, 2, o->ruta, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, o->tipo, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, o->entidad);
    sqlite3_bind_int64(st, 5, (int64_t)o->bytes);
    sqlite3_bind_text(st, 6, o->sha256, -1, SQLITE_STATIC);
}

static int insert_run(obs_history *h, const obs_history_run *r, int64_t *id)
{
    int rc;
    sqlite3_stmt *st = history_prepare(h,
                                       "INSERT INTO corrida (cuando, comando, opciones, version, carpeta, corte,"
                                       " corte_anterior, umbral_minimo, fraccion_mediana, mediana, umbral, proceso,"
                                       " proceso_inicio) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                       &rc);
    if (!st)
        return rc;
    sqlite3_bind_int64(st, 1, g_get_real_time() / G_USEC_PER_SEC);
    sqlite3_bind_text(st, 2, r->comando, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->opciones ? r->opciones : "{}", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->version ? r->version : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->carpeta ? r->carpeta : "", -1, SQLITE_STATIC);
    history_bind_day(st, 6, r->corte);
    history_bind_day(st, 7, r->corte_anterior);
    sqlite3_bind_int64(st, 8, r->umbral_minimo);
    sqlite3_bind_double(st, 9, r->fraccion_mediana);
    sqlite3_bind_double(st, 10, r->mediana);
    sqlite3_bind_double(st, 11, r->umbral);
    sqlite3_bind_int64(st, 12, (int64_t)getpid());
    sqlite3_bind_int64(st, 13, process_start(getpid()));
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return rc;
    *id = sqlite3_last_insert_rowid(h->db);
    return SQLITE_OK;
}

obs_status obs_history_begin(obs_history *h, const obs_history_run *run, int64_t *id, obs_error *err)
{
    *id = 0;
    int rc = history_exec(h->db, "BEGIN IMMEDIATE");
    if (rc == SQLITE_OK)
        rc = insert_run(h, run, id);
    rows x = {*id, run};
    if (rc == SQLITE_OK)
        rc = insert_rows(h,
                         "INSERT INTO entrada (corrida, exportacion, ruta, bytes, sha256, leidas, aceptadas, rechazadas,"
                         " vacias, en_corte, posteriores) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         run->nentradas, bind_input, &x);
    if (rc == SQLITE_OK)
        rc = insert_rows(h, "INSERT INTO metrica (corrida, entidad, metrica, valor) VALUES (?, ?, ?, ?)",
                         run->nmetricas, bind_metric, &x);
    if (rc == SQLITE_OK)
        rc = insert_rows(h, "INSERT INTO senalado (corrida, entidad, acciones) VALUES (?, ?, ?)", run->nsenalados,
                         bind_flag, &x);
    if (rc == SQLITE_OK)
        rc = insert_rows(h,
                         "INSERT INTO oficio (corrida, numero, fecha, entidad, ruta, sha256) VALUES (?, ?, ?, ?, ?, ?)",
                         run->noficios, bind_oficio, &x);
    if (rc == SQLITE_OK)
        rc = insert_rows(h, "INSERT INTO salida (corrida, ruta, tipo, entidad, bytes, sha256) VALUES (?, ?, ?, ?, ?, ?)",
                         run->nsalidas, bind_output, &x);
    if (rc == SQLITE_OK)
        rc = history_exec(h->db, "COMMIT");
    if (rc == SQLITE_OK)
        return OBS_OK;
    *id = 0;
    return history_rollback(h, history_fail(h, rc, "registrar la corrida", err));
}

/* Moves run id from en_curso to `state`; SQLITE_OK or the error. */
static int settle(obs_history *h, int64_t id, const char *state)
{
    int rc;
    sqlite3_stmt *st = history_prepare(h, "UPDATE corrida SET estado = ? WHERE id = ? AND estado = 'en_curso'", &rc);
    if (st) {
        sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, id);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(h->db);
        sqlite3_finalize(st);
    }
    return rc;
}

obs_status obs_history_finish(obs_history *h, int64_t id, bool ok, obs_error *err)
{
    int rc = settle(h, id, ok ? "borrador" : "fallida");
    return rc == SQLITE_OK ? OBS_OK : history_fail(h, rc, "cerrar el registro de la corrida", err);
}

/* ---- Recovery ---------------------------------------------------------------------------------- */

char *history_file_sha256(const char *path)
{
    char *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &data, &len, NULL))
        return NULL;
    char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);
    g_free(data);
    return sum;
}

/* A run left en_curso: its set was published when the folder's manifest.json is the one it recorded
 * (the manifest is renamed into place last, after every other file of the set). */
obs_history_files history_files_of(const char *folder, const char *recorded)
{
    if (!recorded)
        return OBS_HIST_FILES_UNKNOWN;
    char *manifest = g_build_filename(folder, "manifest.json", NULL);
    char *sum = history_file_sha256(manifest);
    obs_history_files f = !sum                          ? OBS_HIST_FILES_MISSING
                          : strcmp(sum, recorded) == 0 ? OBS_HIST_FILES_IN_PLACE
                                                       : OBS_HIST_FILES_CHANGED;
    g_free(sum);
    g_free(manifest);
    return f;
}

static const char *recovered_state(sqlite3_stmt *row)
{
    const char *carpeta = history_column_text(row, 3), *recorded = (const char *)sqlite3_column_text(row, 4);
    return history_files_of(carpeta, recorded) == OBS_HIST_FILES_IN_PLACE ? "borrador" : "fallida";
}

static int recover_locked(obs_history *h)
{
    int rc;
    sqlite3_stmt *st = history_prepare(h,
                                       "SELECT c.id, c.proceso, c.proceso_inicio, c.carpeta, (SELECT s.sha256 FROM salida s"
                                       " WHERE s.corrida = c.id AND s.ruta = 'manifest.json') FROM corrida c"
                                       " WHERE c.estado = 'en_curso'",
                                       &rc);
    GArray *done = g_array_new(FALSE, FALSE, sizeof(int64_t));
    GPtrArray *states = g_ptr_array_new();
    int step;
    while (st && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (process_alive(sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2)))
            continue;
        int64_t id = sqlite3_column_int64(st, 0);
        g_array_append_val(done, id);
        g_ptr_array_add(states, (gpointer)recovered_state(st));
    }
    if (st)
        rc = step == SQLITE_DONE ? SQLITE_OK : step;
    sqlite3_finalize(st);
    for (guint i = 0; rc == SQLITE_OK && i < done->len; i++)
        rc = settle(h, g_array_index(done, int64_t, i), states->pdata[i]);
    g_array_free(done, TRUE);
    g_ptr_array_free(states, TRUE);
    return rc;
}

int history_recover(obs_history *h)
{
    int rc;
    /* Most opens find nothing to resolve: a read, without taking the write lock. */
    if (history_scalar(h, "SELECT count(*) FROM corrida WHERE estado = 'en_curso'", &rc) == 0)
        return rc;
    rc = history_exec(h->db, "BEGIN IMMEDIATE");
    if (rc == SQLITE_OK)
        rc = recover_locked(h);
    if (rc == SQLITE_OK)
        return history_exec(h->db, "COMMIT");
    history_rollback(h, OBS_OK);
    return rc;
}

/* ---- Publishing -------------------------------------------------------------------------------- */

/* The state and corte of run id; false when there is none (or on an error, in *rc). */
static bool run_state(obs_history *h, int64_t id, obs_history_state *state, char corte[16], int *rc)
{
    sqlite3_stmt *st = history_row_of(h, "SELECT estado, corte FROM corrida WHERE id = ?", id, rc);
    if (!st)
        return false;
    *state = history_state_from_name(history_column_text(st, 0));
    g_strlcpy(corte, history_column_text(st, 1), 16);
    sqlite3_finalize(st);
    return true;
}

/* The kinds of document a replacement must carry, as the history's salida.tipo names them (by prefix:
 * "informe-pdf", "informe-xlsx"…), the documentos option that asks for each, and the user's words. */
static const struct {
    const char *prefix, *option, *words;
} doc_kinds[] = {
    {"informe-", "informe", "informe"},
    {"opl-", "opl", "resúmenes por OPL"},
    {"oficio-", "oficio", "oficio de exhorto"},
    {"oficio-opl-", "oficio_opl", "oficios a cada OPL"},
    {"metricas", "metricas", "metricas.csv"},
};

/* The kinds of document the publication old carried that run id lacks, in the user's words ("informe,
 * oficio de exhorto"; g_free), or NULL when it lacks none. A kind id asked for and did not write
 * (an oficio when no OPL is flagged any more: the manifest says why) is not missing. */
static char *missing_kinds(obs_history *h, int64_t old, int64_t id, int *rc)
{
    sqlite3_stmt *st = history_prepare(h,
                                       "SELECT DISTINCT tipo FROM salida WHERE corrida = ?1 AND tipo NOT IN"
                                       " (SELECT tipo FROM salida WHERE corrida = ?2)",
                                       rc);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, old);
    sqlite3_bind_int64(st, 2, id);
    bool lacks[G_N_ELEMENTS(doc_kinds)] = {false};
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *tipo = (const char *)sqlite3_column_text(st, 0);
        size_t best = G_N_ELEMENTS(doc_kinds); /* the longest prefix: "oficio-opl-pdf" is not "oficio-" */
        for (size_t k = 0; tipo && k < G_N_ELEMENTS(doc_kinds); k++)
            if (g_str_has_prefix(tipo, doc_kinds[k].prefix) &&
                (best == G_N_ELEMENTS(doc_kinds) || strlen(doc_kinds[k].prefix) > strlen(doc_kinds[best].prefix)))
                best = k;
        if (best < G_N_ELEMENTS(doc_kinds))
            lacks[best] = true;
    }
    if (step != SQLITE_DONE)
        *rc = step;
    sqlite3_finalize(st);
    /* What the new run asked for (its documentos option). */
    st = history_prepare(h, "SELECT value FROM corrida, json_each(corrida.opciones, '$.documentos') WHERE corrida.id = ?", rc);
    if (st)
        sqlite3_bind_int64(st, 1, id);
    while (st && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *asked = (const char *)sqlite3_column_text(st, 0);
        for (size_t k = 0; asked && k < G_N_ELEMENTS(doc_kinds); k++)
            if (strcmp(asked, doc_kinds[k].option) == 0)
                lacks[k] = false;
    }
    if (st && step != SQLITE_DONE)
        *rc = step;
    sqlite3_finalize(st);
    GString *s = g_string_new(NULL);
    for (size_t k = 0; k < G_N_ELEMENTS(doc_kinds); k++)
        if (lacks[k])
            g_string_append_printf(s, "%s%s", s->len ? ", " : "", doc_kinds[k].words);
    return s->len && *rc == SQLITE_OK ? g_string_free(s, FALSE) : (g_string_free(s, TRUE), NULL);
}

/* Whether the run's documents are still what it recorded (history_files_of()). *folder receives the
 * folder (g_free). */
static bool documents_in_place(obs_history *h, int64_t id, char **folder, int *rc)
{
    *folder = NULL;
    sqlite3_stmt *st = history_row_of(h,
                                      "SELECT c.carpeta, (SELECT s.sha256 FROM salida s WHERE s.corrida = c.id AND"
                                      " s.ruta = 'manifest.json') FROM corrida c WHERE c.id = ?",
                                      id, rc);
    if (!st)
        return false;
    *folder = g_strdup(history_column_text(st, 0));
    bool same = history_files_of(*folder, (const char *)sqlite3_column_text(st, 1)) == OBS_HIST_FILES_IN_PLACE;
    sqlite3_finalize(st);
    return same;
}

/* The publication of a corte, or 0. */
static int64_t publication_of(obs_history *h, const char *corte, int *rc)
{
    sqlite3_stmt *st = history_prepare(h, "SELECT id FROM corrida WHERE corte = ? AND estado = 'publicada'", rc);
    int64_t id = 0;
    if (st) {
        sqlite3_bind_text(st, 1, corte, -1, SQLITE_STATIC);
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW)
            id = sqlite3_column_int64(st, 0);
        else if (step != SQLITE_DONE)
            *rc = step;
        sqlite3_finalize(st);
    }
    return id;
}

/* A letter of run id whose number a letter of another published corte already carries (reports.md §4: a
 * number is used once; compared without regard to ASCII case or spacing): "INE/DEOE/0150/2024, que ya lleva
 * un oficio de la corrida 3 (corte al 2024-01-19)" (g_free), or NULL. Two runs of different cortes made at
 * the same time both pass the check made when they start; this one, when one is published, catches it. */
static char *taken_number(obs_history *h, int64_t id, const char *corte, int *rc)
{
#define NUMBER_KEY(col) "lower(replace(replace(" col ", ' ', ''), char(9), ''))"
    sqlite3_stmt *st = history_prepare(h,
                                       HISTORY_TAKEN_LETTERS("?2") " AND " NUMBER_KEY("o.numero") " IN (SELECT "
                                       NUMBER_KEY("numero") " FROM oficio WHERE corrida = ?1) ORDER BY r.id LIMIT 1",
                                       rc);
#undef NUMBER_KEY
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, corte, -1, SQLITE_STATIC);
    char *out = NULL;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        out = g_strdup_printf("%s, que ya lleva un oficio de la corrida %" G_GINT64_FORMAT " (corte al %s)",
                              (const char *)sqlite3_column_text(st, 0), (gint64)sqlite3_column_int64(st, 1),
                              (const char *)sqlite3_column_text(st, 2));
    else if (step != SQLITE_DONE)
        *rc = step;
    sqlite3_finalize(st);
    return out;
}

static obs_status refuse(obs_history *h, obs_error *err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static obs_status refuse(obs_history *h, obs_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    /* err names the file: the message needs no other prefix. */
    obs_error_set(err, OBS_ERR_USAGE, h->path, 0, 0, "%s", msg);
    g_free(msg);
    return history_rollback(h, OBS_ERR_USAGE);
}

/* The updates of a publication: the replaced one superseded, this one published and pointing to it. */
static int mark_published(obs_history *h, int64_t id, int64_t old)
{
    int rc;
    /* The successor names the one it replaces first: a publication is superseded only by another
     * of its corte (a trigger of schema version 2 checks it). */
    const char *steps[] = {"UPDATE corrida SET sustituye = ?2 WHERE id = ?1",
                           "UPDATE corrida SET estado = 'sustituida' WHERE id = ?2"};
    for (size_t i = 0; old && i < G_N_ELEMENTS(steps); i++) {
        sqlite3_stmt *st = history_prepare(h, steps[i], &rc);
        if (!st)
            return rc;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, old);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(h->db);
        sqlite3_finalize(st);
        if (rc != SQLITE_OK)
            return rc;
    }
    sqlite3_stmt *st = history_prepare(h, "UPDATE corrida SET estado = 'publicada', publicada = ?, sustituye = ? WHERE id = ?",
                                       &rc);
    if (!st)
        return rc;
    sqlite3_bind_int64(st, 1, g_get_real_time() / G_USEC_PER_SEC);
    if (old)
        sqlite3_bind_int64(st, 2, old);
    else
        sqlite3_bind_null(st, 2);
    sqlite3_bind_int64(st, 3, id);
    rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(h->db);
    sqlite3_finalize(st);
    return rc;
}

obs_status obs_history_publish(obs_history *h, int64_t id, bool replace, obs_error *err)
{
    int rc = history_exec(h->db, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK)
        return history_fail(h, rc, "publicar", err);
    obs_history_state state = OBS_HIST_FALLIDA;
    char corte[16] = "";
    bool found = run_state(h, id, &state, corte, &rc);
    int64_t old = found && rc == SQLITE_OK ? publication_of(h, corte, &rc) : 0;
    if (rc != SQLITE_OK)
        return history_rollback(h, history_fail(h, rc, "publicar", err));
    if (!found)
        return refuse(h, err, "no hay una corrida %" G_GINT64_FORMAT "; vea la lista con «observa historial»", id);
    if (state != OBS_HIST_BORRADOR)
        return refuse(h, err,
                      "la corrida %" G_GINT64_FORMAT " está %s: sólo un borrador se publica (vea «observa historial "
                      "mostrar %" G_GINT64_FORMAT "»)",
                      id, obs_history_state_name(state), id);
    if (old && !replace)
        return refuse(h, err,
                      "el corte %s ya tiene publicada la corrida %" G_GINT64_FORMAT ": para sustituirla por la %" G_GINT64_FORMAT
                      " (la anterior se conserva como versión sustituida) agregue --reemplazar",
                      corte, old, id);
    /* What is published must be what the Commission can be given: the run's own documents. */
    char *folder = NULL;
    bool in_place = documents_in_place(h, id, &folder, &rc);
    if (rc == SQLITE_OK && !in_place) {
        obs_status s = refuse(h, err,
                              "los documentos de la corrida %" G_GINT64_FORMAT " ya no están en %s (su manifest.json no "
                              "es el que registró: otra ejecución escribió ahí o se movieron); vuelva a generarlos y "
                              "publique esa corrida",
                              id, folder ? folder : "su carpeta");
        g_free(folder);
        return s;
    }
    g_free(folder);
    /* A replacement gives the OPLs what the publication gave them, and more: never an empty corte. */
    char *missing = rc == SQLITE_OK && old && old != id ? missing_kinds(h, old, id, &rc) : NULL;
    if (missing) {
        obs_status s = refuse(h, err,
                              "la corrida %" G_GINT64_FORMAT " no puede sustituir a la %" G_GINT64_FORMAT
                              ", publicada para el corte %s: le faltan documentos que la publicada tiene (%s) y los "
                              "OPL dejarían de verlos; genere una corrida con esos documentos y publique ésa en su "
                              "lugar",
                              id, old, corte, missing);
        g_free(missing);
        return s;
    }
    char *taken = rc == SQLITE_OK ? taken_number(h, id, corte, &rc) : NULL;
    if (taken) {
        obs_status s = refuse(h, err,
                              "la corrida %" G_GINT64_FORMAT " no se puede publicar: uno de sus oficios lleva el número "
                              "%s, que está publicado; cada oficio lleva su propio número: genere de nuevo los "
                              "oficios de este corte con otros números ([oficio] numero_inicial o numeros) y publique "
                              "esa corrida",
                              id, taken);
        g_free(taken);
        return s;
    }
    if (rc != SQLITE_OK)
        return history_rollback(h, history_fail(h, rc, "publicar", err));
    rc = mark_published(h, id, old);
    if (rc == SQLITE_OK)
        rc = history_exec(h->db, "COMMIT");
    return rc == SQLITE_OK ? OBS_OK : history_rollback(h, history_fail(h, rc, "publicar", err));
}

obs_status obs_history_latest_draft(obs_history *h, obs_day corte, int64_t *id, obs_error *err)
{
    int rc;
    *id = 0;
    sqlite3_stmt *st = history_prepare(h, "SELECT max(id) FROM corrida WHERE corte = ? AND estado = 'borrador'", &rc);
    if (st) {
        history_bind_day(st, 1, corte);
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW)
            *id = sqlite3_column_int64(st, 0);
        else
            rc = step;
        sqlite3_finalize(st);
    }
    return rc == SQLITE_OK ? OBS_OK : history_fail(h, rc, "buscar el último borrador del corte", err);
}
