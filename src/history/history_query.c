/* history_query.c - reading the history: the list of runs, everything about one, and the published metrics
 * in long format. */
#include <string.h>

#include "history/history_int.h"

/* A run with the key national figures of its corte. */
#define ENTRY_SELECT                                                                                           \
    "SELECT c.id, c.cuando, c.comando, c.corte, c.corte_anterior, c.estado, coalesce(c.publicada, 0),"        \
    " coalesce(c.sustituye, 0), coalesce((SELECT r.id FROM corrida r WHERE r.sustituye = c.id), 0),"          \
    " coalesce((SELECT valor FROM metrica m WHERE m.corrida = c.id AND m.entidad = 0"                          \
    "   AND m.metrica = 'solicitudes.total'), 0),"                                                             \
    " coalesce((SELECT valor FROM metrica m WHERE m.corrida = c.id AND m.entidad = 0"                          \
    "   AND m.metrica = 'solicitudes.aprobadas'), 0),"                                                         \
    " coalesce((SELECT valor FROM metrica m WHERE m.corrida = c.id AND m.entidad = 0"                          \
    "   AND m.metrica = 'difusion.instancia.opl'), 0),"                                                        \
    " (SELECT count(*) FROM senalado s WHERE s.corrida = c.id),"                                              \
    " (SELECT count(*) FROM oficio o WHERE o.corrida = c.id)"                                                 \
    " FROM corrida c"

static void read_entry(sqlite3_stmt *st, obs_history_entry *e)
{
    memset(e, 0, sizeof *e);
    e->id = sqlite3_column_int64(st, 0);
    e->cuando = sqlite3_column_int64(st, 1);
    g_strlcpy(e->comando, history_column_text(st, 2), sizeof e->comando);
    e->corte = history_column_day(st, 3);
    e->corte_anterior = history_column_day(st, 4);
    e->estado = history_state_from_name(history_column_text(st, 5));
    e->publicada = sqlite3_column_int64(st, 6);
    e->sustituye = sqlite3_column_int64(st, 7);
    e->sustituida_por = sqlite3_column_int64(st, 8);
    e->solicitudes = sqlite3_column_int64(st, 9);
    e->aprobadas = sqlite3_column_int64(st, 10);
    e->acciones_opl = sqlite3_column_int64(st, 11);
    e->nsenalados = sqlite3_column_int(st, 12);
    e->noficios = sqlite3_column_int(st, 13);
}

typedef struct entry_cb {
    void (*fn)(const obs_history_entry *e, void *ud);
    void *ud;
} entry_cb;

static void entry_row(sqlite3_stmt *st, void *ud)
{
    entry_cb *cb = ud;
    obs_history_entry e;
    read_entry(st, &e);
    cb->fn(&e, cb->ud);
}

obs_status obs_history_list(obs_history *h, void (*fn)(const obs_history_entry *e, void *ud), void *ud, obs_error *err)
{
    int rc;
    sqlite3_stmt *st = history_prepare(h, ENTRY_SELECT " ORDER BY c.id DESC", &rc);
    entry_cb cb = {fn, ud};
    if (st)
        rc = history_each_row(st, entry_row, &cb);
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? OBS_OK : history_fail(h, rc, "leer las corridas", err);
}

/* ---- One run ------------------------------------------------------------------------------------ */

/* The run's own columns; false when there is no such run (or on an error, in *rc). */
static bool read_run(obs_history *h, int64_t id, obs_history_detail *d, int *rc)
{
    sqlite3_stmt *st = history_row_of(h,
                                      "SELECT opciones, version, carpeta, umbral_minimo, fraccion_mediana, mediana,"
                                      " umbral, (SELECT s.sha256 FROM salida s WHERE s.corrida = c.id AND"
                                      " s.ruta = 'manifest.json') FROM corrida c WHERE id = ?",
                                      id, rc);
    if (!st)
        return false;
    d->opciones = g_strdup(history_column_text(st, 0));
    d->version = g_strdup(history_column_text(st, 1));
    d->carpeta = g_strdup(history_column_text(st, 2));
    d->umbral_minimo = sqlite3_column_int64(st, 3);
    d->fraccion_mediana = sqlite3_column_double(st, 4);
    d->mediana = sqlite3_column_double(st, 5);
    d->umbral = sqlite3_column_double(st, 6);
    d->archivos = history_files_of(d->carpeta, (const char *)sqlite3_column_text(st, 7));
    sqlite3_finalize(st);
    return true;
}

static void entry_into(sqlite3_stmt *st, void *ud)
{
    read_entry(st, ud);
}

static void input_row(sqlite3_stmt *st, void *ud)
{
    GArray *a = ud;
    obs_history_input in = {
        .exportacion = g_strdup(history_column_text(st, 0)),
        .ruta = g_strdup(history_column_text(st, 1)),
        .bytes = (uint64_t)sqlite3_column_int64(st, 2),
        .sha256 = g_strdup(history_column_text(st, 3)),
    };
    uint64_t *counts[] = {&in.leidas, &in.aceptadas, &in.rechazadas, &in.vacias, &in.en_corte, &in.posteriores};
    for (int k = 0; k < 6; k++)
        *counts[k] = (uint64_t)sqlite3_column_int64(st, 4 + k);
    g_array_append_val(a, in);
}

static void flag_row(sqlite3_stmt *st, void *ud)
{
    obs_history_flag f = {sqlite3_column_int(st, 0), sqlite3_column_int64(st, 1)};
    g_array_append_val((GArray *)ud, f);
}

static void oficio_row(sqlite3_stmt *st, void *ud)
{
    obs_history_oficio o = {
        .numero = g_strdup(history_column_text(st, 0)),
        .fecha = history_column_day(st, 1),
        .entidad = sqlite3_column_int(st, 2),
        .ruta = g_strdup(history_column_text(st, 3)),
        .sha256 = g_strdup(history_column_text(st, 4)),
    };
    g_array_append_val((GArray *)ud, o);
}

/* Runs a query about run id, calling row for each row. */
static int query_of(obs_history *h, const char *sql, int64_t id, void (*row)(sqlite3_stmt *st, void *ud), void *ud)
{
    int rc;
    sqlite3_stmt *st = history_prepare(h, sql, &rc);
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        rc = history_each_row(st, row, ud);
    }
    sqlite3_finalize(st);
    return rc;
}

/* An array's elements handed over to the detail: *n of them (NULL when none). */
static void *take_array(GArray *a, size_t *n)
{
    *n = a->len;
    return g_array_free(a, a->len == 0);
}

static int read_children(obs_history *h, int64_t id, obs_history_detail *d)
{
    GArray *in = g_array_new(FALSE, TRUE, sizeof(obs_history_input));
    GArray *fl = g_array_new(FALSE, TRUE, sizeof(obs_history_flag));
    GArray *of = g_array_new(FALSE, TRUE, sizeof(obs_history_oficio));
    int rc = query_of(h,
                      "SELECT exportacion, ruta, bytes, sha256, leidas, aceptadas, rechazadas, vacias, en_corte,"
                      " posteriores FROM entrada WHERE corrida = ? ORDER BY rowid",
                      id, input_row, in);
    if (rc == SQLITE_OK)
        rc = query_of(h, "SELECT entidad, acciones FROM senalado WHERE corrida = ? ORDER BY entidad", id, flag_row, fl);
    if (rc == SQLITE_OK)
        rc = query_of(h, "SELECT numero, fecha, entidad, ruta, sha256 FROM oficio WHERE corrida = ? ORDER BY rowid", id,
                      oficio_row, of);
    d->entradas = take_array(in, &d->nentradas);
    d->senalados = take_array(fl, &d->nsenalados);
    d->oficios = take_array(of, &d->noficios);
    sqlite3_stmt *st = rc == SQLITE_OK ? history_row_of(h, "SELECT count(*) FROM salida WHERE corrida = ?", id, &rc)
                                       : NULL;
    if (st)
        d->nsalidas = (size_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc;
}

obs_status obs_history_show(obs_history *h, int64_t id, obs_history_detail **out, obs_error *err)
{
    *out = NULL;
    obs_history_detail *d = g_new0(obs_history_detail, 1);
    int rc;
    bool found = read_run(h, id, d, &rc);
    if (found && rc == SQLITE_OK)
        rc = query_of(h, ENTRY_SELECT " WHERE c.id = ?", id, entry_into, &d->entry);
    if (found && rc == SQLITE_OK)
        rc = read_children(h, id, d);
    obs_status st = OBS_OK;
    if (rc != SQLITE_OK)
        st = history_fail(h, rc, "leer la corrida", err);
    else if (!found)
        st = obs_error_set(err, OBS_ERR_USAGE, h->path, 0, 0,
                           "no hay una corrida %" G_GINT64_FORMAT "; vea la lista con «observa historial»", id);
    if (st != OBS_OK) {
        obs_history_detail_free(d);
        return st;
    }
    *out = d;
    return OBS_OK;
}

obs_status obs_history_published_set(obs_history *h, const char *folder, int64_t *id, obs_day *corte,
                                     obs_error *err)
{
    *id = 0;
    *corte = OBS_DAY_NONE;
    char *manifest = g_build_filename(folder, "manifest.json", NULL);
    char *sum = history_file_sha256(manifest);
    g_free(manifest);
    if (!sum)
        return OBS_OK;
    int rc;
    sqlite3_stmt *st = history_prepare(h,
                                       "SELECT c.id, c.corte FROM corrida c JOIN salida s ON s.corrida = c.id"
                                       " WHERE s.ruta = 'manifest.json' AND s.sha256 = ? AND c.estado IN ('publicada', 'sustituida')"
                                       " ORDER BY c.id DESC LIMIT 1",
                                       &rc);
    if (st) {
        sqlite3_bind_text(st, 1, sum, -1, SQLITE_STATIC);
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW) {
            *id = sqlite3_column_int64(st, 0);
            *corte = history_column_day(st, 1);
        } else if (step != SQLITE_DONE) {
            rc = step;
        }
        sqlite3_finalize(st);
    }
    g_free(sum);
    return rc == SQLITE_OK ? OBS_OK : history_fail(h, rc, "buscar la publicación de la carpeta", err);
}

void obs_history_detail_free(obs_history_detail *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nentradas; i++) {
        g_free((char *)d->entradas[i].exportacion);
        g_free((char *)d->entradas[i].ruta);
        g_free((char *)d->entradas[i].sha256);
    }
    for (size_t i = 0; i < d->noficios; i++) {
        g_free((char *)d->oficios[i].numero);
        g_free((char *)d->oficios[i].ruta);
        g_free((char *)d->oficios[i].sha256);
    }
    g_free(d->entradas);
    g_free(d->senalados);
    g_free(d->oficios);
    g_free(d->opciones);
    g_free(d->version);
    g_free(d->carpeta);
    g_free(d);
}

/* ---- Export ------------------------------------------------------------------------------------- */

typedef struct export_cb {
    void (*write)(const char *line, void *ud);
    void *ud;
    GString *line;
} export_cb;

/* The day of a Unix time in central Mexico (obs_day_from_unix: UTC-6, as the manifest writes times), ISO. */
static void local_day(int64_t t, char iso[16])
{
    obs_day_iso(obs_day_from_unix(t), iso, 16);
}

static void export_row(sqlite3_stmt *st, void *ud)
{
    export_cb *cb = ud;
    char when[16];
    local_day(sqlite3_column_int64(st, 1), when);
    g_string_printf(cb->line, "%s,%s,%" G_GINT64_FORMAT ",%02d,%s,%" G_GINT64_FORMAT "\n", history_column_text(st, 0),
                    when, (gint64)sqlite3_column_int64(st, 2), sqlite3_column_int(st, 3), history_column_text(st, 4),
                    (gint64)sqlite3_column_int64(st, 5));
    cb->write(cb->line->str, cb->ud);
}

obs_status obs_history_export(obs_history *h, void (*write)(const char *line, void *ud), void *ud, obs_error *err)
{
    int rc;
    sqlite3_stmt *st = history_prepare(h,
                                       "SELECT c.corte, c.publicada, c.id, m.entidad, m.metrica, m.valor"
                                       " FROM metrica m JOIN corrida c ON c.id = m.corrida WHERE c.estado = 'publicada'"
                                       " ORDER BY c.corte, m.entidad, m.metrica",
                                       &rc);
    export_cb cb = {write, ud, g_string_new(NULL)};
    if (st) {
        write(OBS_HISTORY_EXPORT_HEADER "\n", ud);
        rc = history_each_row(st, export_row, &cb);
    }
    sqlite3_finalize(st);
    g_string_free(cb.line, TRUE);
    return rc == SQLITE_OK ? OBS_OK : history_fail(h, rc, "exportar las cifras publicadas", err);
}
