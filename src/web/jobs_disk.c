/* jobs_disk.c - the runs kept across restarts: each run's estado.json, and uploads past their retention removed. */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "web/web_int.h"

static const char *const state_keys[] = {"en_cola", "en_proceso", "lista", "fallida"};

void web_job_save(const web_job *j)
{
    char corte[16] = "", anterior[16] = "";
    obs_day_iso(j->corte, corte, sizeof corte);
    if (j->anterior != OBS_DAY_NONE)
        obs_day_iso(j->anterior, anterior, sizeof anterior);
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    const char *keys[] = {"id", "estado", "corte", "corte_anterior", "mensaje", "totales"};
    const char *vals[] = {j->id, state_keys[j->state], corte, anterior, j->message, j->totals};
    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
        json_builder_set_member_name(b, keys[i]);
        json_builder_add_string_value(b, vals[i] ? vals[i] : "");
    }
    const char *nums[] = {"creada", "estado_salida", "historial", "problemas", "paso", "pasos"};
    int64_t nvals[] = {j->created, j->exit_status, j->history_id, (int64_t)j->nproblems, j->step, j->steps};
    for (size_t i = 0; i < G_N_ELEMENTS(nums); i++) {
        json_builder_set_member_name(b, nums[i]);
        json_builder_add_int_value(b, nvals[i]);
    }
    json_builder_set_member_name(b, "oficio");
    web_oficio_json(b, j->oficio);
    json_builder_set_member_name(b, "primeros_problemas");
    json_builder_begin_array(b);
    for (guint i = 0; i < j->problems->len; i++)
        json_builder_add_string_value(b, j->problems->pdata[i]);
    json_builder_end_array(b);
    json_builder_end_object(b);
    JsonNode *root = json_builder_get_root(b);
    char *text = json_to_string(root, TRUE);
    char *path = g_build_filename(j->dir, "estado.json", NULL);
    g_file_set_contents(path, text, -1, NULL); /* atomic: a temporary file renamed */
    g_free(path);
    g_free(text);
    json_node_unref(root);
    g_object_unref(b);
}

static const char *member(JsonObject *o, const char *name)
{
    const char *v = json_object_get_string_member_with_default(o, name, "");
    return v && *v ? v : NULL;
}

/* A run from its estado.json; one without (the server stopped while it ran) is a failed run. */
static web_job *job_load(const char *dir, const char *id)
{
    web_job *j = g_new0(web_job, 1);
    g_strlcpy(j->id, id, sizeof j->id);
    j->dir = g_strdup(dir);
    j->solicitudes = g_ptr_array_new_with_free_func(g_free);
    j->difusion = g_ptr_array_new_with_free_func(g_free);
    j->problems = g_ptr_array_new_with_free_func(g_free);
    j->state = JOB_FAILED;
    bool interrupted = false;
    char *path = g_build_filename(dir, "estado.json", NULL);
    JsonParser *p = json_parser_new();
    if (json_parser_load_from_file(p, path, NULL) && JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p))) {
        JsonObject *o = json_node_get_object(json_parser_get_root(p));
        const char *st = member(o, "estado");
        j->state = st && strcmp(st, "lista") == 0 ? JOB_DONE : JOB_FAILED;
        interrupted = !st || strcmp(st, "fallida") != 0; /* queued or running when the server stopped */
        j->corte = obs_day_parse_iso(member(o, "corte") ? member(o, "corte") : "");
        j->anterior = member(o, "corte_anterior") ? obs_day_parse_iso(member(o, "corte_anterior")) : OBS_DAY_NONE;
        j->message = g_strdup(member(o, "mensaje"));
        j->totals = g_strdup(member(o, "totales"));
        j->created = json_object_get_int_member_with_default(o, "creada", 0);
        j->exit_status = (int)json_object_get_int_member_with_default(o, "estado_salida", 0);
        j->history_id = json_object_get_int_member_with_default(o, "historial", 0);
        j->nproblems = (uint64_t)json_object_get_int_member_with_default(o, "problemas", 0);
        /* The run's JSON has the same members after a restart: its progress ("66/66") included. */
        j->step = (unsigned)json_object_get_int_member_with_default(o, "paso", 0);
        j->steps = (unsigned)json_object_get_int_member_with_default(o, "pasos", 0);
        j->oficio = web_oficio_from_json(json_object_get_member(o, "oficio"));
        JsonArray *a = json_object_has_member(o, "primeros_problemas")
                           ? json_object_get_array_member(o, "primeros_problemas") : NULL;
        for (guint i = 0; a && i < json_array_get_length(a); i++)
            g_ptr_array_add(j->problems, g_strdup(json_array_get_string_element(a, i)));
    } else {
        interrupted = true;
    }
    if (interrupted && j->state != JOB_DONE) {
        g_free(j->message);
        j->message = g_strdup("la corrida se interrumpió (el servidor se detuvo antes de que terminara); no se "
                              "publicó nada: vuelva a generarla");
        j->exit_status = 75;
    }
    g_object_unref(p);
    g_free(path);
    return j;
}

/* True for a run folder's name: 16 lowercase hex digits. */
static bool is_run_id(const char *name)
{
    if (strlen(name) != 16)
        return false;
    for (const char *c = name; *c; c++)
        if (!g_ascii_isxdigit(*c) || g_ascii_isupper(*c))
            return false;
    return true;
}

void web_jobs_load(web_server *s)
{
    char *runs = g_build_filename(s->datos, "corridas", NULL);
    GDir *d = g_dir_open(runs, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        char *dir = g_build_filename(runs, name, NULL);
        char *out = g_build_filename(dir, "salida", NULL);
        char *state = g_build_filename(dir, "estado.json", NULL);
        /* A run has its estado.json from the moment its URL is given (a run that failed before
         * writing anything included); older runs may have only their salida/. An upload that never
         * became a run (the server stopped while it arrived) has neither: nothing to show. */
        if (is_run_id(name) && (g_file_test(state, G_FILE_TEST_IS_REGULAR) || g_file_test(out, G_FILE_TEST_IS_DIR))) {
            web_job *j = job_load(dir, name);
            g_hash_table_insert(s->jobs, j->id, j);
        }
        g_free(state);
        g_free(out);
        g_free(dir);
    }
    if (d)
        g_dir_close(d);
    g_free(runs);
}

void web_remove_dir(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        char *p = g_build_filename(dir, name, NULL);
        if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
            web_remove_dir(p);
        else
            g_unlink(p);
        g_free(p);
    }
    if (d)
        g_dir_close(d);
    g_rmdir(dir);
}

void web_uploads_expire(const web_server *s)
{
    int64_t limit = g_get_real_time() / G_USEC_PER_SEC - (int64_t)s->opt.retencion_dias * 86400;
    char *runs = g_build_filename(s->datos, "corridas", NULL);
    GDir *d = g_dir_open(runs, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        char *in = g_build_filename(runs, name, "entrada", NULL);
        GStatBuf st;
        if (is_run_id(name) && g_stat(in, &st) == 0 && st.st_mtime < limit)
            web_remove_dir(in);
        g_free(in);
    }
    if (d)
        g_dir_close(d);
    g_free(runs);
}
