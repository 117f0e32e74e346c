/* api.c - the JSON API and the form actions: start a run, read it, its files and ZIP, publish it, the history. */
#include <glib/gstdio.h>
#include <string.h>

#include "web/web_int.h"

/* A run's file as a client may ask for it: a relative path inside the set, no "..", no "//",
 * no hidden names (ASVS V12.3.1: paths are never taken from the client as they are). */
static bool safe_relpath(const char *rel)
{
    if (!rel || !*rel || *rel == '/' || strlen(rel) > 200)
        return false;
    char **parts = g_strsplit(rel, "/", -1);
    bool ok = g_strv_length(parts) <= 2;
    for (char **p = parts; ok && *p; p++) {
        ok = **p && **p != '.';
        for (const char *c = *p; ok && *c; c++)
            ok = g_ascii_isalnum(*c) || *c == '_' || *c == '-' || *c == '.';
    }
    g_strfreev(parts);
    return ok;
}

enum MHD_Result web_api_run_post(web_request *r, bool page)
{
    char *why = NULL;
    unsigned status = 0;
    const char *type = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!r->fields || !type || g_ascii_strncasecmp(type, "multipart/form-data", 19) != 0)
        return web_send_error(r, MHD_HTTP_BAD_REQUEST,
                              "se esperaba un formulario multipart/form-data (los archivos no viajan en un formulario "
                              "application/x-www-form-urlencoded; con curl, use -F en lugar de -d)");
    web_job *j = web_job_submit(r->srv, r, &why, &status);
    if (!j) {
        enum MHD_Result ret = web_send_error(r, status, why);
        g_free(why);
        return ret;
    }
    r->submitted = true;
    char *url = g_strdup_printf("/corridas/%s", j->id);
    enum MHD_Result ret;
    if (page) {
        ret = web_send_redirect(r, url, NULL);
    } else {
        char *body = g_strdup_printf("{\"id\":\"%s\",\"estado\":\"en_proceso\",\"url\":\"/api/corridas/%s\"}",
                                     j->id, j->id);
        ret = web_send_json(r, MHD_HTTP_ACCEPTED, body);
        g_free(body);
    }
    g_free(url);
    return ret;
}

enum MHD_Result web_api_run_get(web_request *r, const char *id)
{
    char *json = NULL;
    if (r->id.role == WEB_OPL) { /* a published run, with the OPL's own files only */
        json = web_job_json_opl(r, id);
    } else {
        g_mutex_lock(&r->srv->lock);
        web_job *j = web_job_find(r->srv, id);
        json = j ? web_job_json(r->srv, j, true) : NULL;
        g_mutex_unlock(&r->srv->lock);
    }
    if (!json)
        return web_send_error(r, MHD_HTTP_NOT_FOUND, "no existe esa corrida");
    enum MHD_Result ret = web_send_json(r, MHD_HTTP_OK, json);
    g_free(json);
    return ret;
}

/* The run's output folder when the run has published files (and, for an OPL, is published); NULL
 * otherwise. A failed run's files (rechazos.csv, manifest.json) are readable too. With corte, its
 * corte as AAAA-MM-DD ("" when there is no such run). */
static char *readable_set(web_request *r, const char *id, unsigned *status, char corte[16])
{
    g_mutex_lock(&r->srv->lock);
    web_job *j = web_job_find(r->srv, id);
    bool done = j && web_job_has_set(j);
    bool failed = j && j->state == JOB_FAILED;
    int64_t hid = j ? j->history_id : 0;
    char *out = done ? web_job_output_dir(j) : NULL;
    if (corte && j)
        obs_day_iso(j->corte, corte, 16);
    g_mutex_unlock(&r->srv->lock);
    *status = !j || (!done && failed) ? MHD_HTTP_NOT_FOUND : !done ? MHD_HTTP_CONFLICT : MHD_HTTP_OK;
    if (out && r->id.role == WEB_OPL && web_store_run_state(r->srv, hid) != OBS_HIST_PUBLICADA) {
        g_free(out); /* an OPL sees only what was presented to the CCOE; a draft does not exist for it */
        out = NULL;
        *status = MHD_HTTP_NOT_FOUND;
    }
    return out;
}

enum MHD_Result web_api_run_file(web_request *r, const char *id, const char *rel)
{
    if (!safe_relpath(rel))
        return web_send_error(r, MHD_HTTP_BAD_REQUEST, "ruta de archivo no válida");
    if (r->id.role == WEB_OPL && !web_opl_may_read(r->id.entidad, rel))
        return web_send_error(r, MHD_HTTP_FORBIDDEN, "ese documento no es de su entidad");
    unsigned status;
    char *out = readable_set(r, id, &status, NULL);
    if (!out)
        return web_send_error(r, status, status == MHD_HTTP_CONFLICT ? "la corrida no ha terminado"
                                                                      : "no existe esa corrida o ese documento (una "
                                                                        "corrida fallida sólo tiene los que publicó)");
    char *path = g_build_filename(out, rel, NULL);
    enum MHD_Result ret = web_send_file(r, path, rel);
    g_free(path);
    g_free(out);
    return ret;
}

enum MHD_Result web_api_run_zip(web_request *r, const char *id)
{
    unsigned status;
    char corte[16] = "";
    char *out = readable_set(r, id, &status, corte);
    if (!out)
        return web_send_error(r, status, status == MHD_HTTP_CONFLICT ? "la corrida no ha terminado"
                                                                      : "no existe esa corrida o no publicó archivos");
    obs_error err = {0};
    char *tmpdir = g_build_filename(r->srv->datos, "tmp", NULL);
    g_mkdir_with_parents(tmpdir, 0700);
    char *zip = web_zip_set(out, tmpdir, &err);
    g_free(tmpdir);
    g_free(out);
    if (!zip)
        return web_send_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, err.message);
    char *name = g_strdup_printf("observa-%s%s%s.zip", corte, *corte ? "-" : "", id); /* the corte first: sorts */
    enum MHD_Result ret = web_send_file(r, zip, name);
    g_unlink(zip); /* the open descriptor keeps it readable until sent */
    g_free(name);
    g_free(zip);
    return ret;
}

/* A yes of a form's checkbox or the API's query: 1, si, true. */
static bool yes(const char *v)
{
    return v && (strcmp(v, "1") == 0 || strcmp(v, "si") == 0 || strcmp(v, "true") == 0);
}

enum MHD_Result web_api_run_publish(web_request *r, const char *id, bool page)
{
    g_mutex_lock(&r->srv->lock);
    web_job *j = web_job_find(r->srv, id);
    g_mutex_unlock(&r->srv->lock);
    if (!j)
        return web_send_error(r, MHD_HTTP_NOT_FOUND, "no existe esa corrida");
    char *message = NULL;
    bool replace = yes(MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "reemplazar")) ||
                   (r->fields && yes(g_hash_table_lookup(r->fields, "reemplazar")));
    bool already = false;
    unsigned status = web_job_publish(r->srv, j, replace, &already, &message);
    enum MHD_Result ret;
    if (status == MHD_HTTP_CONFLICT && page && !replace) {
        /* Another run of the corte is published: the confirmation, with a link to it. */
        GString *more = g_string_new(NULL);
        g_mutex_lock(&r->srv->lock);
        bool draft = j->state == JOB_DONE;
        if (draft)
            web_replace_form(r, j, more);
        g_mutex_unlock(&r->srv->lock);
        ret = web_send_error_full(r, status, message, NULL, more->str);
        g_string_free(more, TRUE);
    } else if (status != MHD_HTTP_OK) {
        ret = web_send_error(r, status, message ? message : "no se pudo publicar");
    } else if (page) {
        char *url = g_strdup_printf("/corridas/%s%s", id, already ? "?nota=ya-publicada" : "");
        ret = web_send_redirect(r, url, NULL);
        g_free(url);
    } else {
        char *body = g_strdup_printf("{\"id\":\"%s\",\"publicada\":true}", id);
        ret = web_send_json(r, MHD_HTTP_OK, body);
        g_free(body);
    }
    g_free(message);
    return ret;
}
