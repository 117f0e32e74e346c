/* jobs.c - runs started from the web: a bounded pool calls the library's pipeline, as `observa lote` does. */
#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "config/config_int.h"
#include "observa/produce.h"
#include "observa/text.h"
#include "web/web_int.h"

static const char *const state_names[] = {"en_proceso", "en_proceso", "lista", "fallida"};

static void job_free(gpointer p)
{
    web_job *j = p;
    g_free(j->dir);
    g_ptr_array_free(j->solicitudes, TRUE);
    g_ptr_array_free(j->difusion, TRUE);
    for (int k = 0; k < 2; k++)
        if (j->names[k])
            g_ptr_array_free(j->names[k], TRUE);
    g_free(j->message);
    g_free(j->totals);
    g_ptr_array_free(j->problems, TRUE);
    if (j->oficio)
        g_hash_table_destroy(j->oficio);
    g_free(j);
}

char *web_job_output_dir(const web_job *j)
{
    return g_build_filename(j->dir, "salida", NULL);
}

bool web_job_has_set(const web_job *j)
{
    if (j->state == JOB_DONE)
        return true;
    if (j->state != JOB_FAILED)
        return false;
    /* A run refused for its data publishes its rechazos.csv with a manifest.json listing it. */
    char *manifest = g_build_filename(j->dir, "salida", "manifest.json", NULL);
    bool has = g_file_test(manifest, G_FILE_TEST_IS_REGULAR);
    g_free(manifest);
    return has;
}

web_job *web_job_find(web_server *s, const char *id)
{
    return g_hash_table_lookup(s->jobs, id);
}

/* ---- While the pipeline runs: its hooks --------------------------------------------------- */

typedef struct job_run {
    web_server *srv;
    web_job *job;
    GString *notices;
} job_run;

static void on_problem(void *user, const obs_problem *p)
{
    job_run *jr = user;
    char *base = g_path_get_basename(p->file); /* never the server's paths */
    g_mutex_lock(&jr->srv->lock);
    if (jr->job->problems->len < WEB_MAX_PROBLEMS)
        g_ptr_array_add(jr->job->problems,
                        g_strdup_printf("%s:%" G_GUINT64_FORMAT ":%u: %s: %s", base, p->line, p->column,
                                        p->level == OBS_LEVEL_ERROR ? "error" : "aviso", p->message));
    jr->job->nproblems++;
    g_mutex_unlock(&jr->srv->lock);
    g_free(base);
}

static void on_progress(void *user, unsigned step, unsigned steps, const char *what)
{
    (void)what;
    job_run *jr = user;
    if (!steps)
        return;
    g_mutex_lock(&jr->srv->lock);
    jr->job->step = step;
    jr->job->steps = steps;
    g_mutex_unlock(&jr->srv->lock);
}

static void on_notice(void *user, const char *text)
{
    job_run *jr = user;
    g_string_append_printf(jr->notices, "%s%s", jr->notices->len ? "\n" : "", text);
}

/* The control totals of a file as a JSON object member list. */
static void add_stats(JsonBuilder *b, const obs_file_stats *f)
{
    static const struct {
        const char *name;
        size_t offset;
    } fields[] = {
        {"leidas", G_STRUCT_OFFSET(obs_file_stats, leidas)},
        {"aceptadas", G_STRUCT_OFFSET(obs_file_stats, aceptadas)},
        {"rechazadas", G_STRUCT_OFFSET(obs_file_stats, rechazadas)},
        {"en_corte", G_STRUCT_OFFSET(obs_file_stats, en_corte)},
        {"posteriores_al_corte", G_STRUCT_OFFSET(obs_file_stats, posteriores)},
        {"con_avisos", G_STRUCT_OFFSET(obs_file_stats, con_avisos)},
        {"vacias", G_STRUCT_OFFSET(obs_file_stats, vacias)},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
        json_builder_set_member_name(b, fields[i].name);
        json_builder_add_int_value(b, (gint64) * (const uint64_t *)((const char *)f + fields[i].offset));
    }
}

/* {"solicitudes": {"archivos": [{archivo, leidas, …}], "total": {…}}, "difusion": …} */
static char *totals_json(const obs_run *run)
{
    static const char *const names[OBS_FILE_KIND_COUNT] = {"solicitudes", "difusion"};
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++) {
        const obs_export *ex = &run->exports[k];
        json_builder_set_member_name(b, names[k]);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "archivos");
        json_builder_begin_array(b);
        for (size_t i = 0; i < ex->nfiles; i++) {
            json_builder_begin_object(b);
            char *base = g_path_get_basename(ex->files[i].path);
            json_builder_set_member_name(b, "archivo");
            json_builder_add_string_value(b, base);
            g_free(base);
            add_stats(b, &ex->files[i]);
            json_builder_end_object(b);
        }
        json_builder_end_array(b);
        json_builder_set_member_name(b, "total");
        json_builder_begin_object(b);
        add_stats(b, &ex->total);
        json_builder_end_object(b);
        json_builder_end_object(b);
    }
    json_builder_end_object(b);
    JsonNode *root = json_builder_get_root(b);
    char *text = json_to_string(root, FALSE);
    json_node_unref(root);
    g_object_unref(b);
    return text;
}

/* A message for the user without the server's own paths: the run's folder and output folder are
 * left out (its files are named by themselves: "rechazos.csv"), an upload's path becomes the user's
 * name for the file, and the configuration file its name alone. g_free. */
static char *shown_text(const web_server *s, const web_job *j, const char *text)
{
    GString *t = g_string_new(text);
    char *out = web_job_output_dir(j);
    char *out_slash = g_strconcat(out, "/", NULL);
    char *dir_slash = g_strconcat(j->dir, "/", NULL);
    g_string_replace(t, out_slash, "", 0);
    g_string_replace(t, out, "la carpeta de la corrida", 0);
    for (int k = 0; k < 2; k++) {
        const GPtrArray *paths = k ? j->difusion : j->solicitudes;
        for (guint i = 0; j->names[k] && i < paths->len && i < j->names[k]->len; i++)
            g_string_replace(t, paths->pdata[i], j->names[k]->pdata[i], 0);
    }
    g_string_replace(t, dir_slash, "", 0);
    g_string_replace(t, j->dir, "la carpeta de la corrida", 0);
    if (s->opt.config) {
        char *base = g_path_get_basename(s->opt.config);
        g_string_replace(t, s->opt.config, base, 0);
        g_free(base);
    }
    if (g_path_is_absolute(s->datos) && strlen(s->datos) > 1) /* a relative "datos" could be any word */
        g_string_replace(t, s->datos, "la carpeta de datos del servidor", 0);
    g_free(dir_slash);
    g_free(out_slash);
    g_free(out);
    char *paths_out = g_string_free(t, FALSE);
    char *words = web_words(paths_out); /* a web user's words, not the CLI's */
    g_free(paths_out);
    return words;
}

/* The configuration of one run: the server's file, with the form's corte, documents and letters'
 * numbering and dates (in the run's own [oficio] table). */
static obs_status job_config(web_server *s, const web_job *j, obs_config *cfg, obs_error *err)
{
    obs_config_init(cfg);
    if (s->opt.config && obs_config_load(cfg, s->opt.config, err) != OBS_OK)
        return err->code;
    cfg->corte = j->corte;
    cfg->corte_anterior = j->anterior;
    cfg->formatos = OBS_FMT_ALL;
    web_oficio_apply(cfg->oficio, j->oficio);
    return OBS_OK;
}

/* Runs the pipeline for a job; the outcome goes into the job (under the server's lock). */
static void job_execute(web_server *s, web_job *j, job_run *jr)
{
    obs_config cfg;
    obs_inputs inputs = {0};
    obs_error err = {0};
    obs_produce *p = NULL;
    char *out = web_job_output_dir(j);
    obs_status st = job_config(s, j, &cfg, &err);
    g_ptr_array_add(j->solicitudes, NULL);
    g_ptr_array_add(j->difusion, NULL);
    if (st == OBS_OK)
        st = obs_inputs_expand((const char *const *)j->solicitudes->pdata, (const char *const *)j->difusion->pdata,
                               &inputs, &err);
    g_ptr_array_set_size(j->solicitudes, j->solicitudes->len - 1);
    g_ptr_array_set_size(j->difusion, j->difusion->len - 1);
    /* Every message, rechazos.csv, the totals, manifest.json and the documents name each upload by
     * the user's name for it, never by where the server keeps it. */
    for (int k = 0; st == OBS_OK && k < 2; k++)
        if (j->names[k]) {
            g_ptr_array_add(j->names[k], NULL);
            obs_inputs_set_names(&inputs, (obs_file_kind)k, (const char *const *)j->names[k]->pdata);
            g_ptr_array_set_size(j->names[k], j->names[k]->len - 1);
        }
    char *config_name = s->opt.config ? g_path_get_basename(s->opt.config) : NULL;
    char *warning = NULL;
    obs_produce_request req = {
        .command = "servir",
        .cfg = &cfg,
        .config_path = config_name, /* messages name the server's file, not where it is */
        .inputs = &inputs,
        .cat = s->cat,
        .documentos = j->documentos,
        .dir = out,
        .threads = cfg.hilos > 0 ? cfg.hilos : 1,
        .generated_at = obs_generation_time(cfg.fecha_generacion, &warning),
        .hooks = {on_problem, on_progress, on_notice, jr},
    };
    g_free(warning);
    /* Each run records itself through its own connection to the history (its transaction is its own). */
    obs_history *history = NULL;
    if (st == OBS_OK)
        st = obs_history_open(s->history_path, &history, &err);
    req.history = history;
    if (st == OBS_OK)
        st = obs_produce_open(&req, &p, &err);
    if (st == OBS_OK)
        st = obs_produce_read(p, &err);
    char *totals = st == OBS_OK ? totals_json(obs_produce_run(p)) : NULL;
    if (st == OBS_OK)
        st = obs_produce_finish(p, &err);
    int64_t hid = st == OBS_OK ? obs_produce_history_id(p) : 0;
    g_mutex_lock(&s->lock);
    j->history_id = hid;
    j->totals = totals;
    j->state = st == OBS_OK ? JOB_DONE : JOB_FAILED;
    j->exit_status = obs_status_exit_code(st);
    if (st == OBS_OK && jr->notices->len) /* a finished run's notices (a document not written and why) */
        j->message = shown_text(s, j, jr->notices->str);
    if (st != OBS_OK) {
        char buf[OBS_ERROR_MSG_MAX + OBS_ERROR_PATH_MAX + 16] = "";
        if (err.message[0])
            obs_error_format(&err, buf, sizeof buf);
        char *text = g_strdup_printf("%s%s%s", jr->notices->str, jr->notices->len && buf[0] ? "\n" : "", buf);
        j->message = shown_text(s, j, text);
        g_free(text);
    }
    g_mutex_unlock(&s->lock);
    obs_produce_free(p);
    obs_history_close(history);
    obs_inputs_clear(&inputs);
    obs_config_clear(&cfg);
    g_free(config_name);
    g_free(out);
}

/* Removes the uploaded exports once their run is over (unless the configuration keeps them). */
static void drop_uploads(const web_server *s, const web_job *j)
{
    if (s->opt.retencion_dias > 0) {
        web_uploads_expire(s);
        return;
    }
    char *dir = g_build_filename(j->dir, "entrada", NULL);
    web_remove_dir(dir);
    g_free(dir);
}

static void job_thread(gpointer data, gpointer user)
{
    web_server *s = user;
    web_job *j = data;
    g_mutex_lock(&s->lock);
    bool stop = s->stopping;
    j->state = stop ? JOB_FAILED : JOB_RUNNING;
    if (stop) {
        j->message = g_strdup("el servidor se detuvo antes de empezar esta corrida; no se publicó nada");
        j->exit_status = 75;
    }
    g_mutex_unlock(&s->lock);
    if (!stop) {
        job_run jr = {s, j, g_string_new(NULL)};
        job_execute(s, j, &jr);
        g_string_free(jr.notices, TRUE);
    }
    g_mutex_lock(&s->lock);
    web_job_save(j);
    g_mutex_unlock(&s->lock);
    drop_uploads(s, j);
}

obs_status web_jobs_init(web_server *s, obs_error *err)
{
    s->jobs = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, job_free);
    web_jobs_load(s);
    GError *gerr = NULL;
    s->pool = g_thread_pool_new(job_thread, s, (gint)(s->opt.trabajos ? s->opt.trabajos : 1), FALSE, &gerr);
    if (!s->pool) {
        obs_status st = obs_error_set(err, OBS_ERR_INTERNAL, NULL, 0, 0, "no se pudo crear el grupo de hilos: %s",
                                      gerr->message);
        g_error_free(gerr);
        return st;
    }
    return OBS_OK;
}

void web_jobs_stop(web_server *s)
{
    g_mutex_lock(&s->lock);
    s->stopping = 1;
    g_mutex_unlock(&s->lock);
    if (s->pool)
        g_thread_pool_free(s->pool, FALSE, TRUE); /* the queued ones run job_thread and fail at once */
    s->pool = NULL;
    if (s->jobs)
        g_hash_table_destroy(s->jobs);
    s->jobs = NULL;
}

/* ---- A new run from a form ------------------------------------------------------------------ */

/* "informe,opl,oficio" from the form's checkboxes into OBS_DOC_*; every document when empty. */
static bool form_documents(const char *text, unsigned *out)
{
    if (!text || !*text) {
        *out = OBS_DOC_ALL;
        return true;
    }
    return obs_config_parse_documentos(text, out);
}

obs_day web_today(const web_server *s)
{
    char *warning = NULL;
    obs_day today = obs_day_from_unix(obs_generation_time(s->cfg.fecha_generacion, &warning));
    g_free(warning);
    return today;
}

/* Two uploads with the same content (by SHA-256; empty files aside, they are refused for being
 * empty): why, naming both, or NULL. g_free. */
static char *same_upload(const web_request *r)
{
    static const char *const kind_name[2] = {"solicitudes", "difusión"};
    for (int k = 0; k < 2; k++)
        for (guint i = 0; r->files[k] && i < r->files[k]->len; i++) {
            const web_upload *u = r->files[k]->pdata[i];
            for (int k2 = 0; u->size && k2 <= k; k2++)
                for (guint i2 = 0; r->files[k2] && i2 < (k2 == k ? i : r->files[k2]->len); i2++) {
                    const web_upload *v = r->files[k2]->pdata[i2];
                    if (v->size != u->size || strcmp(v->sha256, u->sha256) != 0)
                        continue;
                    if (k2 == k)
                        return g_strdup_printf("el mismo archivo se subió dos veces: «%s» y «%s» en %s tienen el "
                                               "mismo contenido; súbalo una sola vez",
                                               v->name, u->name, kind_name[k]);
                    return g_strdup_printf("el mismo archivo se subió dos veces: «%s» en %s y «%s» en %s tienen el "
                                           "mismo contenido; un archivo no puede ser de solicitudes y de difusión a "
                                           "la vez",
                                           v->name, kind_name[k2], u->name, kind_name[k]);
                }
        }
    return NULL;
}

/* A date of the form after today (web_today()): why (g_free), or NULL. */
static char *future_date(const char *what, obs_day d, obs_day today)
{
    if (d == OBS_DAY_NONE || d <= today)
        return NULL;
    char day[64], iso[16];
    obs_day_iso(d, iso, sizeof iso);
    obs_fmt_fecha_larga(day, sizeof day, today);
    return g_strdup_printf("%s %s es posterior a hoy (%s): los documentos no pueden informar de días que no han "
                           "pasado; elija una fecha de hoy o anterior",
                           what, iso, day);
}

/* The fields a run's form takes, besides the letters' (oficio.c). */
static const char *const form_fields[] = {"solicitudes", "difusion", "corte", "corte_anterior", "documentos", "csrf"};

/* A field of the form that is none of those this server takes: why (naming it and listing the
 * accepted ones; g_free), or NULL. A misspelt field is never ignored: the run would do something else. */
static char *unknown_field(const web_server *s, GHashTable *fields)
{
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, fields);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        const char *name = key;
        bool known = g_ascii_iscntrl(*name) || web_oficio_is_field(s, name);
        for (size_t i = 0; i < G_N_ELEMENTS(form_fields) && !known; i++)
            known = strcmp(name, form_fields[i]) == 0;
        if (known)
            continue;
        GString *list = g_string_new(NULL);
        for (size_t i = 0; i < G_N_ELEMENTS(form_fields); i++)
            g_string_append_printf(list, "%s%s", i ? ", " : "", form_fields[i]);
        if (web_letters_offered(s))
            g_string_append_printf(list, ", %s, oficio_sesion_fecha, oficio_fecha", web_oficio_number_field(s));
        char *shown = g_utf8_make_valid(name, -1);
        char *m;
        if (g_str_has_prefix(name, "oficio_") && !web_letters_offered(s))
            m = g_strdup_printf("el campo «%s» es de los oficios, y este servidor no los escribe (su configuración "
                                "no tiene la sección [oficio]); los campos son %s",
                                shown, list->str);
        else if (g_str_has_prefix(name, "oficio_numero"))
            m = g_strdup_printf("el campo «%s» no corresponde a la numeración de la configuración del servidor: use "
                                "«%s» (%s); los campos son %s",
                                shown, web_oficio_number_field(s), web_oficio_label(web_oficio_number_field(s)),
                                list->str);
        else
            m = g_strdup_printf("el formulario tiene un campo que no se conoce: «%s»; los campos son %s", shown,
                                list->str);
        g_free(shown);
        g_string_free(list, TRUE);
        return m;
    }
    return NULL;
}

web_job *web_job_submit(web_server *s, web_request *r, char **why, unsigned *status)
{
    *status = MHD_HTTP_BAD_REQUEST;
    *why = NULL;
    if (r->body_incomplete) {
        *why = g_strdup("el envío llegó incompleto (el formulario se cortó antes de terminar): vuelva a enviarlo");
        return NULL;
    }
    if ((*why = unknown_field(s, r->fields)))
        return NULL;
    const char *repeated = g_hash_table_lookup(r->fields, "\x01repeated");
    const char *corte = g_hash_table_lookup(r->fields, "corte");
    const char *anterior = g_hash_table_lookup(r->fields, "corte_anterior");
    unsigned docs = 0;
    obs_day today = web_today(s);
    obs_day c = corte ? obs_day_parse_iso(g_strstrip((char *)corte)) : OBS_DAY_NONE;
    obs_day a = anterior && *anterior ? obs_day_parse_iso(g_strstrip((char *)anterior)) : OBS_DAY_NONE;
    if (repeated)
        *why = g_strdup_printf("el campo «%s» se envió más de una vez; envíelo una sola vez", repeated);
    else if (c == OBS_DAY_NONE)
        *why = g_strdup("falta la fecha de corte (corte, AAAA-MM-DD) o no es válida");
    else if (anterior && *anterior && (a == OBS_DAY_NONE || a >= c))
        *why = g_strdup("el corte anterior debe ser una fecha AAAA-MM-DD anterior al corte");
    else if (!(*why = future_date("la fecha de corte", c, today))) {
        if (!r->files[0] || !r->files[0]->len)
            *why = g_strdup("falta la exportación de solicitudes (uno o más archivos CSV o XLSX)");
        else if (!r->files[1] || !r->files[1]->len)
            *why = g_strdup("falta la exportación de difusión (uno o más archivos CSV o XLSX)");
        else if (!form_documents(g_hash_table_lookup(r->fields, "documentos"), &docs))
            *why = g_strdup("documentos no válidos: use informe, opl, oficio, oficio_opl y metricas");
        else
            *why = same_upload(r);
    }
    GHashTable *oficio = NULL;
    if (!*why)
        *why = web_oficio_read(s, r->fields, c, today, docs, &oficio);
    if (*why)
        return NULL;
    web_job *j = g_new0(web_job, 1);
    const char *dir = g_hash_table_lookup(r->fields, "\x01" "dir");
    char *base = g_path_get_dirname(dir); /* DATOS/corridas/ID (dir is its entrada/) */
    j->dir = base;
    char *id = g_path_get_basename(base);
    g_strlcpy(j->id, id, sizeof j->id);
    g_free(id);
    j->corte = c;
    j->anterior = a;
    j->documentos = docs;
    j->oficio = oficio;
    j->created = g_get_real_time() / G_USEC_PER_SEC;
    j->problems = g_ptr_array_new_with_free_func(g_free);
    GPtrArray **lists[] = {&j->solicitudes, &j->difusion};
    for (int k = 0; k < 2; k++) {
        *lists[k] = g_ptr_array_new_with_free_func(g_free);
        j->names[k] = g_ptr_array_new_with_free_func(g_free);
        for (guint i = 0; i < r->files[k]->len; i++) {
            const web_upload *u = r->files[k]->pdata[i];
            g_ptr_array_add(*lists[k], g_strdup(u->path));
            g_ptr_array_add(j->names[k], g_strdup(u->name));
        }
    }
    g_mutex_lock(&s->lock);
    g_hash_table_insert(s->jobs, j->id, j);
    web_job_save(j); /* from now on the run's URL answers, across restarts too */
    g_mutex_unlock(&s->lock);
    g_thread_pool_push(s->pool, j, NULL);
    *status = MHD_HTTP_ACCEPTED;
    return j;
}

/* ---- A run as JSON ---------------------------------------------------------------------------- */

/* The files of the run's published set: [{ruta, tipo, tamano, sha256}]. */
static void add_files(JsonBuilder *b, const web_job *j)
{
    char *out = web_job_output_dir(j);
    obs_error err = {0};
    GPtrArray *files = web_job_has_set(j) ? web_set_files(out, &err) : NULL;
    json_builder_begin_array(b);
    for (guint i = 0; files && i < files->len; i++) {
        const web_file *f = files->pdata[i];
        web_file_json(b, f);
    }
    json_builder_end_array(b);
    if (files)
        g_ptr_array_free(files, TRUE);
    g_free(out);
}

char *web_job_message(web_server *s, const web_job *j)
{
    switch (j->state) {
    case JOB_QUEUED:
        return g_strdup("en espera de turno: otras corridas se están generando");
    case JOB_RUNNING:
        if (j->steps)
            return g_strdup_printf("generando los documentos: %u de %u", j->step, j->steps);
        return g_strdup("leyendo las exportaciones");
    case JOB_DONE:
        if (j->message) /* its notices: a document not written and why */
            return g_strdup(j->message);
        switch (web_store_run_state(s, j->history_id)) { /* what the run is now, after a restart too */
        case OBS_HIST_PUBLICADA:
            return g_strdup("la corrida terminó y está publicada: es lo que se presentó a la Comisión para su corte");
        case OBS_HIST_SUSTITUIDA:
            return g_strdup("la corrida terminó y se publicó; después otra corrida de su corte se publicó en su "
                            "lugar, y ésta se conserva como versión sustituida");
        default:
            return g_strdup("la corrida terminó: revise los totales de control y los problemas antes de "
                            "publicarla");
        }
    case JOB_FAILED:
        break;
    }
    return g_strdup(j->message && *j->message ? j->message : "la corrida falló; no se publicó nada");
}

char *web_job_json(web_server *s, const web_job *j, bool full)
{
    char corte[16] = "";
    obs_day_iso(j->corte, corte, sizeof corte);
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "id");
    json_builder_add_string_value(b, j->id);
    json_builder_set_member_name(b, "estado");
    json_builder_add_string_value(b, state_names[j->state]);
    json_builder_set_member_name(b, "corte");
    json_builder_add_string_value(b, corte);
    json_builder_set_member_name(b, "corte_anterior");
    if (j->anterior != OBS_DAY_NONE) {
        char anterior[16] = "";
        obs_day_iso(j->anterior, anterior, sizeof anterior);
        json_builder_add_string_value(b, anterior);
    } else {
        json_builder_add_null_value(b);
    }
    if (full) {
        json_builder_set_member_name(b, "totales");
        JsonNode *t = j->totals ? json_from_string(j->totals, NULL) : json_node_new(JSON_NODE_NULL);
        json_builder_add_value(b, t ? t : json_node_new(JSON_NODE_NULL));
        json_builder_set_member_name(b, "problemas");
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "total");
        json_builder_add_int_value(b, (gint64)j->nproblems);
        json_builder_set_member_name(b, "primeros");
        json_builder_begin_array(b);
        for (guint i = 0; i < j->problems->len; i++)
            json_builder_add_string_value(b, j->problems->pdata[i]);
        json_builder_end_array(b);
        json_builder_end_object(b);
        json_builder_set_member_name(b, "archivos");
        add_files(b, j);
        json_builder_set_member_name(b, "oficio");
        web_oficio_json(b, j->oficio);
    }
    json_builder_set_member_name(b, "mensaje");
    char *message = web_job_message(s, j);
    json_builder_add_string_value(b, message);
    g_free(message);
    if (j->steps) {
        json_builder_set_member_name(b, "progreso");
        char *pr = g_strdup_printf("%u/%u", j->step, j->steps);
        json_builder_add_string_value(b, pr);
        g_free(pr);
    }
    json_builder_end_object(b);
    JsonNode *root = json_builder_get_root(b);
    char *text = web_json_text(root);
    json_node_unref(root);
    g_object_unref(b);
    return text;
}
