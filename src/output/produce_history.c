/* produce_history.c - a run of the pipeline and its history: the view its documents read, the record of the
 * run (inputs, metrics, flags, letters, outputs) around the publication of its set, and the previous letters. */
#include <json-glib/json-glib.h>
#include <string.h>

#include "history/history_int.h"
#include "history/history_view_int.h"
#include "observa_build.h"
#include "output/produce_int.h"

obs_status produce_history_read(obs_produce *p, obs_error *err)
{
    if (!p->req->history)
        return OBS_OK;
    /* Normally done before the exports were read; a history given after that is asked here, still
     * before any document is written. */
    obs_status st = produce_check_published(p, err);
    if (st != OBS_OK)
        return st;
    return obs_history_view_load(p->req->history, p->run, &p->view, err);
}

/* ---- What a run records ------------------------------------------------------------------------- */

/* The record being built: arrays of the record's rows, and the strings they point to. */
typedef struct record {
    obs_history_run run;
    GArray *inputs, *metrics, *flags, *letters, *outputs;
    GPtrArray *strings; /* owned by the record */
} record;

static const char *keep(record *r, char *s)
{
    g_ptr_array_add(r->strings, s);
    return s;
}

static void add_str(JsonBuilder *b, const char *key, const char *v)
{
    json_builder_set_member_name(b, key);
    if (v)
        json_builder_add_string_value(b, v);
    else
        json_builder_add_null_value(b);
}

static void add_int(JsonBuilder *b, const char *key, int64_t v)
{
    json_builder_set_member_name(b, key);
    json_builder_add_int_value(b, v);
}

/* The names of the bits set in `bits`, as a JSON array. */
static void add_names(JsonBuilder *b, const char *key, unsigned bits, const char *const *names, size_t n)
{
    json_builder_set_member_name(b, key);
    json_builder_begin_array(b);
    for (size_t i = 0; i < n; i++)
        if (bits & (1u << i))
            json_builder_add_string_value(b, names[i]);
    json_builder_end_array(b);
}

/* The options that made the run, as JSON: what to read and write and the rules, never data. */
static char *options_json(const obs_produce *p)
{
    const obs_produce_request *r = p->req;
    const obs_config *cfg = r->cfg;
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    char corte[16] = "", anterior[16] = "";
    obs_day_iso(cfg->corte, corte, sizeof corte);
    if (p->run->anterior)
        obs_day_iso(p->run->corte_anterior, anterior, sizeof anterior);
    add_str(b, "corte", corte);
    add_str(b, "corte_anterior", *anterior ? anterior : NULL);
    static const char *const docs[] = {"informe", "opl", "oficio", "oficio_opl", "metricas"};
    static const char *const formats[] = {"pdf", "xlsx", "csv"};
    add_names(b, "documentos", r->documentos, docs, G_N_ELEMENTS(docs));
    add_names(b, "formatos", cfg->formatos, formats, G_N_ELEMENTS(formats));
    add_int(b, "entidad", r->entidad);
    add_int(b, "max_rechazadas", cfg->max_rechazadas);
    json_builder_set_member_name(b, "estricto");
    json_builder_add_boolean_value(b, cfg->estricto);
    json_builder_set_member_name(b, "reemplazar");
    json_builder_add_boolean_value(b, r->reemplazar);
    add_str(b, "configuracion", r->config_path);
    add_str(b, "plantillas", obs_catalog_dir(r->cat));
    json_builder_end_object(b);
    JsonGenerator *gen = json_generator_new();
    JsonNode *root = json_builder_get_root(b);
    json_generator_set_root(gen, root);
    char *text = json_generator_to_data(gen, NULL);
    json_node_unref(root);
    g_object_unref(gen);
    g_object_unref(b);
    return text;
}

static void add_inputs(record *r, const obs_run *run)
{
    static const char *const kinds[OBS_FILE_KIND_COUNT] = {"solicitudes", "difusion"};
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++)
        for (size_t i = 0; i < run->exports[k].nfiles; i++) {
            const obs_file_stats *f = &run->exports[k].files[i];
            obs_history_input in = {kinds[k], f->path, f->bytes, f->sha256, f->leidas, f->aceptadas,
                                    f->rechazadas, f->vacias, f->en_corte, f->posteriores};
            g_array_append_val(r->inputs, in);
        }
}

static void add_metric(const char *corte, int entidad, const char *metrica, int64_t valor, void *user)
{
    (void)corte;
    obs_history_metric m = {entidad, metrica, valor};
    g_array_append_val((GArray *)user, m);
}

static void add_flags(record *r, const obs_snapshot *now)
{
    for (int e = 1; e <= OBS_ENTIDADES; e++)
        if (obs_snapshot_bajo(now, e)) {
            obs_history_flag f = {e, obs_snapshot_get(now, e, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL)};
            g_array_append_val(r->flags, f);
        }
}

/* The SHA-256 of a staged output, or "". */
static const char *sha_of(const obs_output *out, const char *relpath)
{
    for (size_t i = 0; i < obs_output_count(out); i++) {
        const obs_output_entry *e = obs_output_get(out, i);
        if (strcmp(e->relpath, relpath) == 0)
            return e->sha256;
    }
    return "";
}

/* Each letter written: its number, date, addressee (an OPL, or 0 for the general exhorto) and file. */
static void add_letters(record *r, const obs_produce *p)
{
    for (guint i = 0; p->tasks && i < p->tasks->len; i++) {
        const produce_task *t = p->tasks->pdata[i];
        if (t->kind != PRODUCE_OFICIO && t->kind != PRODUCE_OFICIO_OPL)
            continue;
        const char *ruta = keep(r, g_strconcat(t->base, ".pdf", NULL));
        const char *numero = t->vars ? g_hash_table_lookup(t->vars, "oficio.numero") : NULL;
        obs_history_oficio o = {numero ? numero : "", p->letter_date, t->entidad, ruta, sha_of(p->out, ruta)};
        g_array_append_val(r->letters, o);
    }
}

static void add_outputs(record *r, const obs_output *out)
{
    for (size_t i = 0; i < obs_output_count(out); i++) {
        const obs_output_entry *e = obs_output_get(out, i);
        obs_history_output o = {e->relpath, e->kind, e->entidad, e->size, e->sha256};
        g_array_append_val(r->outputs, o);
    }
}

static void record_init(record *r, const obs_produce *p)
{
    const obs_run *run = p->run;
    const obs_snapshot *now = run->actual;
    r->strings = g_ptr_array_new_with_free_func(g_free);
    r->inputs = g_array_new(FALSE, TRUE, sizeof(obs_history_input));
    r->metrics = g_array_new(FALSE, TRUE, sizeof(obs_history_metric));
    r->flags = g_array_new(FALSE, TRUE, sizeof(obs_history_flag));
    r->letters = g_array_new(FALSE, TRUE, sizeof(obs_history_oficio));
    r->outputs = g_array_new(FALSE, TRUE, sizeof(obs_history_output));
    add_inputs(r, run);
    obs_metricas_foreach(run->cube, &now, 1, -1, add_metric, r->metrics);
    add_flags(r, now);
    add_letters(r, p);
    add_outputs(r, p->out);
    r->run = (obs_history_run){
        .comando = p->req->command,
        .opciones = keep(r, options_json(p)),
        .version = OBS_VERSION,
        /* absolute: a later process, anywhere, looks for the set's manifest.json there */
        .carpeta = keep(r, g_canonicalize_filename(obs_output_dir(p->out), NULL)),
        .corte = run->corte,
        .corte_anterior = run->anterior ? run->corte_anterior : OBS_DAY_NONE,
        .umbral_minimo = now->rule.umbral_minimo,
        .fraccion_mediana = now->rule.fraccion_mediana,
        .mediana = now->mediana,
        .umbral = now->umbral,
    };
#define SET(arr, field, n, type) (r->run.field = (const type *)(void *)r->arr->data, r->run.n = r->arr->len)
    SET(inputs, entradas, nentradas, obs_history_input);
    SET(metrics, metricas, nmetricas, obs_history_metric);
    SET(flags, senalados, nsenalados, obs_history_flag);
    SET(letters, oficios, noficios, obs_history_oficio);
    SET(outputs, salidas, nsalidas, obs_history_output);
#undef SET
}

static void record_clear(record *r)
{
    g_array_free(r->inputs, TRUE);
    g_array_free(r->metrics, TRUE);
    g_array_free(r->flags, TRUE);
    g_array_free(r->letters, TRUE);
    g_array_free(r->outputs, TRUE);
    g_ptr_array_free(r->strings, TRUE);
}

obs_status produce_history_begin(obs_produce *p, int64_t *id, obs_error *err)
{
    *id = 0;
    if (!p->req->history)
        return OBS_OK;
    record r;
    record_init(&r, p);
    obs_status st = obs_history_begin(p->req->history, &r.run, id, err);
    record_clear(&r);
    if (st != OBS_OK) {
        /* Nothing is published: the staged files are removed when the run is freed. */
        char msg[OBS_ERROR_MSG_MAX], path[OBS_ERROR_PATH_MAX];
        g_strlcpy(msg, err->message, sizeof msg);
        g_strlcpy(path, err->path, sizeof path);
        obs_error_set(err, st, path, 0, 0, "%s; no se publicó ningún documento y %s quedó como estaba", msg,
                      obs_output_dir(p->out));
    }
    return st;
}

void produce_history_finish(obs_produce *p, int64_t id, bool published)
{
    if (!p->req->history || !id)
        return;
    obs_error err = {0};
    if (obs_history_finish(p->req->history, id, published, &err) == OBS_OK)
        return;
    char buf[OBS_ERROR_MSG_MAX + OBS_ERROR_PATH_MAX + 16];
    obs_error_format(&err, buf, sizeof buf);
    produce_notice(p,
                   "%s; la corrida %" G_GINT64_FORMAT " quedó «en_curso» en el historial y se resolverá la próxima vez "
                   "que se abra (los documentos %s)",
                   buf, id, published ? "sí se publicaron" : "no se publicaron");
}

/* ---- The previous letters ------------------------------------------------------------------------ */

static void set(GHashTable *vars, const char *key, char *value)
{
    g_hash_table_insert(vars, g_strdup(key), value);
}

static char *long_date(obs_day d)
{
    char buf[64];
    return g_strdup(obs_fmt_fecha_larga(buf, sizeof buf, d));
}

void produce_history_letter_vars(const obs_produce *p, GHashTable *vars, int entidad)
{
    const obs_history_view *v = p->view;
    if (!v)
        return;
    if (entidad == 0) {
        /* The general exhorto follows the previous one the history knows; [oficio] oficio_previo
         * is what it says when the history knows none. */
        if (v->previo_general)
            set(vars, "oficio.oficio_previo", g_strdup(v->previo_general));
        return;
    }
    const obs_history_exhorto *x = obs_history_view_last_letter(v, entidad);
    if (!x)
        return;
    char buf[OBS_FMT_MAX];
    set(vars, "oficio.opl_previo", g_strdup(x->numero));
    set(vars, "oficio.opl_previo_fecha", long_date(x->fecha));
    set(vars, "oficio.opl_previo_corte", long_date(x->corte));
    set(vars, "oficio.opl_previo_acciones",
        g_strdup_printf("%s %s", obs_fmt_int(buf, sizeof buf, x->acciones), x->acciones == 1 ? "acción" : "acciones"));
}
