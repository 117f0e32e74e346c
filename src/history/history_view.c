/* history_view.c - the history as one run's documents see it: published cortes as vintages (as published and
 * recomputed), the exhortos to follow up and the previous letters; read in one read transaction. */
#include <string.h>

#include "history/history_int.h"
#include "history/history_view_int.h"

/* ---- Vintages ----------------------------------------------------------------------------------- */

typedef struct vintage_load {
    const obs_run *run;
    GArray *vintages;   /* obs_history_vintage */
    GHashTable *ids;    /* metric name -> id + 1 in the run's cube (0: unknown there) */
} vintage_load;

/* The run's id of a stored metric name, or -1 when this catalogue has no such metric. */
static int metric_id(vintage_load *l, const char *name)
{
    gpointer v;
    if (!g_hash_table_lookup_extended(l->ids, name, NULL, &v)) {
        v = GINT_TO_POINTER(obs_cube_metric_find(l->run->cube, name) + 1);
        g_hash_table_insert(l->ids, g_strdup(name), v);
    }
    return GPOINTER_TO_INT(v) - 1;
}

static void vintage_row(sqlite3_stmt *st, void *ud)
{
    vintage_load *l = ud;
    size_t nm = obs_cube_metric_count(l->run->cube);
    obs_history_vintage v = {
        .id = sqlite3_column_int64(st, 0),
        .corte = history_column_day(st, 1),
        .publicada = sqlite3_column_int64(st, 2),
        .known = g_new0(bool, nm),
    };
    obs_snapshot *s = v.publicado = g_new0(obs_snapshot, 1);
    s->corte = v.corte;
    s->nmetrics = nm;
    s->values = g_new0(int64_t, (OBS_ENTIDADES + 1) * nm);
    s->rule = (obs_outreach_rule){sqlite3_column_int64(st, 3), sqlite3_column_double(st, 4)};
    s->mediana = sqlite3_column_double(st, 5);
    s->umbral = sqlite3_column_double(st, 6);
    s->nbajo = sqlite3_column_int(st, 7);
    g_array_append_val(l->vintages, v);
}

/* The metrics of one vintage being read. */
typedef struct metric_fill {
    vintage_load *l;
    obs_history_vintage *v;
} metric_fill;

static void metric_row(sqlite3_stmt *st, void *ud)
{
    metric_fill *f = ud;
    vintage_load *l = f->l;
    obs_history_vintage *v = f->v;
    int entidad = sqlite3_column_int(st, 0), m = metric_id(l, history_column_text(st, 1));
    if (m < 0 || entidad < 0 || entidad > OBS_ENTIDADES)
        return;
    v->known[m] = true;
    v->publicado->values[(size_t)entidad * v->publicado->nmetrics + (size_t)m] = sqlite3_column_int64(st, 2);
}

static int load_vintages(obs_history *h, vintage_load *l)
{
    int rc;
    sqlite3_stmt *st = history_prepare(h,
                                       "SELECT c.id, c.corte, c.publicada, c.umbral_minimo, c.fraccion_mediana, c.mediana,"
                                       " c.umbral, (SELECT count(*) FROM senalado s WHERE s.corrida = c.id)"
                                       " FROM corrida c WHERE c.estado = 'publicada' AND c.corte <= ? ORDER BY c.corte",
                                       &rc);
    if (st) {
        history_bind_day(st, 1, l->run->corte);
        rc = history_each_row(st, vintage_row, l);
        sqlite3_finalize(st);
    }
    st = rc == SQLITE_OK ? history_prepare(h, "SELECT entidad, metrica, valor FROM metrica WHERE corrida = ?", &rc) : NULL;
    for (guint i = 0; st && i < l->vintages->len && rc == SQLITE_OK; i++) {
        metric_fill f = {l, &g_array_index(l->vintages, obs_history_vintage, i)};
        sqlite3_bind_int64(st, 1, f.v->id);
        rc = history_each_row(st, metric_row, &f);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}

/* ---- Exhortos and letters ------------------------------------------------------------------------ */

/* The letter that exhorted an OPL flagged at a publication: its own letter before the general one,
 * from any run of that corte that was not lost and flagged it too; the publication's own run first,
 * then the latest. */
#define LETTER_OF(entidad)                                                                                 \
    "(SELECT o.rowid FROM oficio o JOIN corrida r ON r.id = o.corrida WHERE r.corte = p.corte"              \
    " AND r.estado IN ('borrador', 'publicada', 'sustituida') AND o.entidad IN (" entidad ", 0)"           \
    " AND EXISTS (SELECT 1 FROM senalado s2 WHERE s2.corrida = r.id AND s2.entidad = " entidad ")"         \
    " ORDER BY o.entidad DESC, r.estado = 'publicada' DESC, r.id DESC LIMIT 1)"

static void exhorto_row(sqlite3_stmt *st, void *ud)
{
    obs_history_exhorto x = {
        .corte = history_column_day(st, 0),
        .entidad = sqlite3_column_int(st, 1),
        .acciones = sqlite3_column_int64(st, 2),
        .umbral = sqlite3_column_double(st, 3),
        .numero = sqlite3_column_type(st, 4) == SQLITE_NULL ? NULL : g_strdup(history_column_text(st, 4)),
        .fecha = history_column_day(st, 5),
    };
    g_array_append_val((GArray *)ud, x);
}

/* Each row of a query whose one parameter is the run's corte, to row(st, out). */
static int rows_for_corte(obs_history *h, const char *sql, obs_day corte, void (*row)(sqlite3_stmt *, void *),
                          GArray *out)
{
    int rc;
    sqlite3_stmt *st = history_prepare(h, sql, &rc);
    if (st) {
        history_bind_day(st, 1, corte);
        rc = history_each_row(st, row, out);
    }
    sqlite3_finalize(st);
    return rc;
}

static int load_exhortos(obs_history *h, obs_day corte, GArray *out)
{
    return rows_for_corte(h,
                          "SELECT p.corte, s.entidad, s.acciones, p.umbral, o.numero, o.fecha"
                          " FROM senalado s JOIN corrida p ON p.id = s.corrida"
                          " LEFT JOIN oficio o ON o.rowid = " LETTER_OF("s.entidad")
                          " WHERE p.estado = 'publicada' AND p.corte < ? ORDER BY p.corte, s.entidad",
                          corte, exhorto_row, out);
}

/* The latest general exhorto of a published corte before the run's. */
static int load_previous_general(obs_history *h, obs_history_view *v)
{
    int rc;
    sqlite3_stmt *st = history_prepare(h,
                                       "SELECT o.numero, o.fecha FROM oficio o JOIN corrida r ON r.id = o.corrida"
                                       " JOIN corrida p ON p.corte = r.corte AND p.estado = 'publicada'"
                                       " WHERE o.entidad = 0 AND r.estado IN ('borrador', 'publicada', 'sustituida')"
                                       " AND p.corte < ? ORDER BY p.corte DESC, r.estado = 'publicada' DESC, r.id DESC LIMIT 1",
                                       &rc);
    if (st) {
        history_bind_day(st, 1, v->corte);
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW) {
            v->previo_general = g_strdup(history_column_text(st, 0));
            v->previo_general_fecha = history_column_day(st, 1);
        } else if (step != SQLITE_DONE) {
            rc = step;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* The numbers of the letters of other published cortes: of any of their runs that was not lost (a corte's
 * letters are often written after its informe is presented). A corte never presented sent no letter. */
static void numero_row(sqlite3_stmt *st, void *ud)
{
    obs_history_numero n = {
        .numero = g_strdup(history_column_text(st, 0)),
        .corrida = sqlite3_column_int64(st, 1),
        .corte = history_column_day(st, 2),
    };
    g_array_append_val((GArray *)ud, n);
}

static int load_numeros(obs_history *h, obs_day corte, GArray *out)
{
    return rows_for_corte(h, HISTORY_TAKEN_LETTERS("?1") " ORDER BY r.id, o.rowid", corte, numero_row, out);
}

/* ---- The view ------------------------------------------------------------------------------------ */

/* Each vintage recomputed from the run's exports: the cube holds every day up to the run's corte. */
static void recompute(obs_history_view *v, const obs_run *run)
{
    for (size_t i = 0; i < v->nvintages; i++) {
        obs_history_vintage *x = &v->vintages[i];
        x->ahora = obs_cube_snapshot(run->cube, x->corte, &x->publicado->rule);
    }
}

static int read_all(obs_history *h, const obs_run *run, obs_history_view *v)
{
    vintage_load l = {run, g_array_new(FALSE, TRUE, sizeof(obs_history_vintage)),
                      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)};
    GArray *ex = g_array_new(FALSE, TRUE, sizeof(obs_history_exhorto));
    GArray *nums = g_array_new(FALSE, TRUE, sizeof(obs_history_numero));
    int rc = load_vintages(h, &l);
    if (rc == SQLITE_OK)
        rc = load_exhortos(h, run->corte, ex);
    if (rc == SQLITE_OK)
        rc = load_numeros(h, run->corte, nums);
    if (rc == SQLITE_OK)
        rc = load_previous_general(h, v);
    v->nnumeros = nums->len;
    v->numeros = (obs_history_numero *)(void *)g_array_free(nums, FALSE);
    v->nvintages = l.vintages->len;
    v->vintages = (obs_history_vintage *)(void *)g_array_free(l.vintages, FALSE);
    v->nexhortos = ex->len;
    v->exhortos = (obs_history_exhorto *)(void *)g_array_free(ex, FALSE);
    g_hash_table_destroy(l.ids);
    return rc;
}

obs_status obs_history_view_load(obs_history *h, const obs_run *run, obs_history_view **out, obs_error *err)
{
    *out = NULL;
    obs_history_view *v = g_new0(obs_history_view, 1);
    v->corte = run->corte;
    /* One read transaction: a publication made meanwhile is seen whole or not at all. */
    int rc = history_exec(h->db, "BEGIN");
    if (rc == SQLITE_OK)
        rc = read_all(h, run, v);
    if (rc == SQLITE_OK)
        rc = history_exec(h->db, "COMMIT");
    if (rc != SQLITE_OK) {
        obs_status st = history_rollback(h, history_fail(h, rc, "leer los cortes publicados", err));
        obs_history_view_free(v);
        return st;
    }
    recompute(v, run);
    *out = v;
    return OBS_OK;
}

void obs_history_view_free(obs_history_view *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->nvintages; i++) {
        obs_snapshot_free(v->vintages[i].publicado);
        obs_snapshot_free(v->vintages[i].ahora);
        g_free(v->vintages[i].known);
    }
    for (size_t i = 0; i < v->nexhortos; i++)
        g_free(v->exhortos[i].numero);
    for (size_t i = 0; i < v->nnumeros; i++)
        g_free(v->numeros[i].numero);
    g_free(v->numeros);
    g_free(v->vintages);
    g_free(v->exhortos);
    g_free(v->previo_general);
    g_free(v);
}

const obs_history_exhorto *obs_history_view_last_letter(const obs_history_view *v, int entidad)
{
    const obs_history_exhorto *last = NULL;
    for (size_t i = 0; v && i < v->nexhortos; i++)
        if (v->exhortos[i].entidad == entidad && v->exhortos[i].numero)
            last = &v->exhortos[i];
    return last;
}
