/* pages.c - the web pages, rendered by the server in Spanish, usable without JavaScript: generar, a run, historial. */
#include <json-glib/json-glib.h>
#include <string.h>

#include "observa/text.h"
#include "web/web_int.h"

/* The style sheet: system fonts, contrast ≥ 4.5:1, visible focus, no inline style (CSP). */
static const char STYLE[] =
    "body{font-family:system-ui,'Liberation Sans',Arial,sans-serif;margin:0;color:#1a1a1a;background:#fff;"
    "line-height:1.5}\n"
    "header{background:#5b1a4a;color:#fff;padding:.75rem 1.5rem}\n"
    "header a{color:#fff;margin-right:1.25rem}\nheader strong{margin-right:2rem}\n"
    "main{max-width:64rem;padding:1rem 1.5rem}\n"
    "a{color:#5b1a4a}\na:focus,button:focus,input:focus{outline:3px solid #1a1a1a;outline-offset:2px}\n"
    "header a:focus{outline-color:#fff}\n"
    "table{border-collapse:collapse;margin:.5rem 0 1.5rem}\n"
    "th,td{border:1px solid #999;padding:.3rem .6rem;text-align:left}\ntd.n{text-align:right}\n"
    "fieldset{border:1px solid #999;margin:0 0 1rem;padding:.5rem 1rem}\n"
    "label{display:block;margin:.5rem 0 .2rem;font-weight:600}\nlabel.check{display:inline;font-weight:400}\n"
    "button{background:#5b1a4a;color:#fff;border:0;padding:.5rem 1.25rem;font-size:1rem;cursor:pointer}\n"
    ".aviso{background:#fff4d6;border-left:4px solid #b8860b;padding:.5rem 1rem}\n"
    ".error{background:#fde8e8;border-left:4px solid #a11;padding:.5rem 1rem}\n"
    ".ok{background:#e6f4ea;border-left:4px solid #1e6b34;padding:.5rem 1rem}\n"
    "code,pre{font-size:.9rem}\npre{white-space:pre-wrap;background:#f4f4f4;padding:.75rem}\n"
    ".saltar{position:absolute;left:-999rem;top:.5rem;background:#fff;color:#1a1a1a;padding:.5rem 1rem}\n"
    ".saltar:focus{left:1rem}\n";

enum MHD_Result web_static(web_request *r, const char *name)
{
    if (strcmp(name, "estilo.css") == 0)
        return web_send(r, MHD_HTTP_OK, "text/css; charset=utf-8", STYLE, strlen(STYLE));
    return web_send_error(r, MHD_HTTP_NOT_FOUND, "no existe esa página");
}

static const char *const doc_choices[][2] = {
    {"informe", "Informe nacional (PDF y XLSX)"},
    {"opl", "Resúmenes por OPL (PDF y XLSX)"},
    {"oficio", "Oficio de exhorto"},
    {"oficio_opl", "Oficios a cada OPL señalado"},
    {"metricas", "metricas.csv"},
};

/* The Generar form: the exports, the cortes and the documents. */
static void generate_form(web_request *r, GString *b)
{
    char today[16];
    obs_day_iso(web_today(r->srv), today, sizeof today);
    g_string_append_printf(
        b,
        "<p>Suba las exportaciones del Sistema de Observadores y Observadoras Electorales y elija la fecha de "
        "corte. Los documentos se generan con la configuración del servidor.</p>\n"
        "<form method=\"post\" action=\"/corridas\" enctype=\"multipart/form-data\">\n"
        "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
        "<fieldset><legend>Exportaciones</legend>\n"
        "<p>Hasta %u MB en total por envío (todos los archivos juntos).</p>\n"
        "<label for=\"solicitudes\">Solicitudes (CSV o XLSX; puede elegir varios archivos)</label>\n"
        "<input type=\"file\" id=\"solicitudes\" name=\"solicitudes\" multiple required accept=\".csv,.xlsx\">\n"
        "<label for=\"difusion\">Acciones de difusión (CSV o XLSX; puede elegir varios archivos)</label>\n"
        "<input type=\"file\" id=\"difusion\" name=\"difusion\" multiple required accept=\".csv,.xlsx\">\n"
        "</fieldset>\n<fieldset><legend>Cortes</legend>\n"
        "<label for=\"corte\">Fecha de corte (hoy o antes)</label>"
        "<input type=\"date\" id=\"corte\" name=\"corte\" max=\"%s\" required>\n"
        "<label for=\"corte_anterior\">Corte anterior (opcional)</label>"
        "<input type=\"date\" id=\"corte_anterior\" name=\"corte_anterior\" max=\"%s\">\n"
        "</fieldset>\n<fieldset><legend>Documentos</legend>\n",
        r->id.csrf, (unsigned)(r->srv->opt.max_subida / (1024 * 1024)), today, today);
    /* Letters need the [oficio] section of the server's configuration: without it they are not offered. */
    bool letters = web_letters_offered(r->srv);
    for (size_t i = 0; i < G_N_ELEMENTS(doc_choices); i++)
        if (letters || !g_str_has_prefix(doc_choices[i][0], "oficio"))
            g_string_append_printf(b,
                               "<div><input type=\"checkbox\" id=\"doc-%s\" name=\"documentos\" value=\"%s\" "
                               "checked> <label class=\"check\" for=\"doc-%s\">%s</label></div>\n",
                               doc_choices[i][0], doc_choices[i][0], doc_choices[i][0], doc_choices[i][1]);
    if (!letters)
        g_string_append(b, "<p>Los oficios no se ofrecen: la configuración del servidor no tiene la sección "
                           "[oficio] (quién firma, a quién se dirigen, su numeración).</p>\n");
    g_string_append(b, "</fieldset>\n");
    web_oficio_form(r->srv, b);
    g_string_append(b, "<button type=\"submit\">Generar</button>\n</form>\n");
}

static gint by_created_desc(gconstpointer a, gconstpointer b)
{
    const web_job *x = a, *y = b;
    if (x->created != y->created)
        return x->created < y->created ? 1 : -1;
    return strcmp(y->id, x->id);
}

/* Every run of this server, from its folder (earlier sessions included), newest first, with its
 * state (and, for a finished run, its state in the history: publicada, borrador, sustituida). */
static void runs_list(web_request *r, GString *b)
{
    g_mutex_lock(&r->srv->lock);
    GList *jobs = g_list_sort(g_hash_table_get_values(r->srv->jobs), by_created_desc);
    g_string_append(b, "<h2>Corridas</h2>\n");
    if (!jobs)
        g_string_append(b, "<p>Todavía no hay corridas.</p>\n");
    else
        g_string_append(b, "<table><thead><tr><th scope=\"col\">Corrida</th><th scope=\"col\">Creada</th>"
                           "<th scope=\"col\">Corte</th><th scope=\"col\">Estado</th></tr></thead><tbody>\n");
    GTimeZone *mx = g_time_zone_new_offset(-6 * 3600);
    for (GList *l = jobs; l; l = l->next) {
        const web_job *j = l->data;
        char corte[64];
        obs_fmt_fecha_larga(corte, sizeof corte, j->corte);
        GDateTime *utc = g_date_time_new_from_unix_utc(j->created);
        GDateTime *local = utc ? g_date_time_to_timezone(utc, mx) : NULL;
        char *when = local ? g_date_time_format(local, "%Y-%m-%d %H:%M") : g_strdup("");
        g_string_append_printf(b, "<tr><td><a href=\"/corridas/%s\">%s</a></td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
                               j->id, j->id, when, corte, web_job_state_text(r->srv, j));
        g_free(when);
        if (local)
            g_date_time_unref(local);
        if (utc)
            g_date_time_unref(utc);
    }
    g_time_zone_unref(mx);
    if (jobs)
        g_string_append(b, "</tbody></table>\n");
    g_list_free(jobs);
    g_mutex_unlock(&r->srv->lock);
}

/* An OPL's page: its entidad's documents of the published runs. */
static void opl_documents(web_request *r, GString *b)
{
    const obs_entidad *e = obs_catalog_entidad(r->srv->cat, r->id.entidad);
    /* The OPL by its label and its entidad: "México" alone reads as the whole country. */
    char *who = e ? g_strdup_printf("%s (%s; entidad %02d, %s)", e->opl_etiqueta, e->opl_nombre, e->clave, e->nombre)
                  : g_strdup("su OPL");
    char *name = web_html_escape(who);
    g_string_append_printf(b, "<p>Documentos del %s presentados a la Comisión (cortes publicados).</p>\n", name);
    g_free(name);
    g_free(who);
    web_opl_documents(r, b);
}

enum MHD_Result web_page_home(web_request *r)
{
    GString *b = g_string_new(NULL);
    if (r->id.role == WEB_ADMIN) {
        generate_form(r, b);
        runs_list(r, b);
    } else {
        opl_documents(r, b);
    }
    enum MHD_Result ret = web_page(r, MHD_HTTP_OK, r->id.role == WEB_ADMIN ? "Generar documentos" : "Documentos", b->str,
                               false);
    g_string_free(b, TRUE);
    return ret;
}

/* One row of control totals. */
static void totals_row(GString *b, const char *label, JsonObject *o)
{
    static const char *const cols[] = {"leidas", "aceptadas", "rechazadas", "en_corte", "posteriores_al_corte"};
    char *l = web_html_escape(label);
    g_string_append_printf(b, "<tr><th scope=\"row\">%s</th>", l);
    g_free(l);
    for (size_t i = 0; i < G_N_ELEMENTS(cols); i++) {
        char n[OBS_FMT_MAX];
        obs_fmt_int(n, sizeof n, json_object_get_int_member_with_default(o, cols[i], 0));
        g_string_append_printf(b, "<td class=\"n\">%s</td>", n);
    }
    g_string_append(b, "</tr>\n");
}

/* The control totals: leídas = aceptadas + rechazadas, per file and per export. */
static void totals_table(GString *b, const char *json)
{
    JsonParser *p = json_parser_new();
    if (!json || !json_parser_load_from_data(p, json, -1, NULL)) {
        g_object_unref(p);
        return;
    }
    JsonObject *root = json_node_get_object(json_parser_get_root(p));
    g_string_append(b, "<h2>Totales de control</h2>\n<table><thead><tr><th scope=\"col\">Archivo</th>"
                       "<th scope=\"col\">Leídas</th><th scope=\"col\">Aceptadas</th><th scope=\"col\">Rechazadas</th>"
                       "<th scope=\"col\">En el corte</th><th scope=\"col\">Posteriores</th></tr></thead><tbody>\n");
    const char *kinds[] = {"solicitudes", "difusion"}, *labels[] = {"solicitudes", "difusión"};
    for (size_t k = 0; k < G_N_ELEMENTS(kinds); k++) {
        JsonObject *ex = json_object_get_object_member(root, kinds[k]);
        JsonArray *files = ex ? json_object_get_array_member(ex, "archivos") : NULL;
        for (guint i = 0; files && i < json_array_get_length(files); i++) {
            JsonObject *f = json_array_get_object_element(files, i);
            totals_row(b, json_object_get_string_member(f, "archivo"), f);
        }
        if (ex && files && json_array_get_length(files) > 1) {
            char *label = g_strdup_printf("%s en total", labels[k]);
            totals_row(b, label, json_object_get_object_member(ex, "total"));
            g_free(label);
        }
    }
    g_string_append(b, "</tbody></table>\n");
    g_object_unref(p);
}

/* The problems found (the first ones) and where to read them all (when the run published its
 * rechazos.csv: a run that failed before publishing has none). */
static void problems_list(GString *b, const web_job *j)
{
    if (!j->nproblems)
        return;
    char n[OBS_FMT_MAX];
    obs_fmt_int(n, sizeof n, (int64_t)j->nproblems);
    char *ledger = g_build_filename(j->dir, "salida", "rechazos.csv", NULL);
    bool listed = web_job_has_set(j) && g_file_test(ledger, G_FILE_TEST_IS_REGULAR);
    g_free(ledger);
    g_string_append_printf(b, "<h2>Problemas</h2>\n<p>%s %s", n, j->nproblems == 1 ? "problema" : "problemas");
    if (listed)
        g_string_append_printf(b, "; cada fila está en <a href=\"/api/corridas/%s/archivos/rechazos.csv\">"
                                  "rechazos.csv</a>", j->id);
    g_string_append(b, ".</p>\n<ul>\n");
    for (guint i = 0; i < j->problems->len && i < 50; i++) {
        char *p = web_html_escape(j->problems->pdata[i]);
        g_string_append_printf(b, "<li><code>%s</code></li>\n", p);
        g_free(p);
    }
    g_string_append(b, "</ul>\n");
}

enum MHD_Result web_page_run(web_request *r, const char *id)
{
    g_mutex_lock(&r->srv->lock);
    web_job *j = web_job_find(r->srv, id);
    GString *b = g_string_new(NULL);
    bool working = j && (j->state == JOB_QUEUED || j->state == JOB_RUNNING);
    if (j) {
        char corte[64];
        obs_fmt_fecha_larga(corte, sizeof corte, j->corte);
        g_string_append_printf(b, "<p>Corrida <code>%s</code>, con corte al %s: <strong>%s</strong>", j->id, corte,
                               web_job_state_text(r->srv, j));
        if (working && j->steps)
            g_string_append_printf(b, " (%u de %u documentos)", j->step, j->steps);
        g_string_append(b, ".</p>\n");
        if (working)
            g_string_append(b, "<p role=\"status\">La página se actualiza sola cada pocos segundos.</p>\n");
        if (j->message || j->state == JOB_FAILED) {
            char *text = web_job_message(r->srv, j);
            char *m = web_html_escape(text);
            if (j->state == JOB_FAILED)
                g_string_append_printf(b, "<div class=\"error\" role=\"alert\"><pre>%s</pre></div>\n", m);
            else
                g_string_append_printf(b, "<div class=\"aviso\" role=\"status\"><pre>%s</pre></div>\n", m);
            g_free(m);
            g_free(text);
        }
        web_oficio_page(j->oficio, b);
        totals_table(b, j->totals);
        problems_list(b, j);
        if (web_job_has_set(j))
            web_run_files(r, j, b);
    }
    g_mutex_unlock(&r->srv->lock);
    enum MHD_Result ret = j ? web_page(r, MHD_HTTP_OK, "Corrida", b->str, working)
                            : web_send_error(r, MHD_HTTP_NOT_FOUND, "no existe esa corrida");
    g_string_free(b, TRUE);
    return ret;
}

enum MHD_Result web_page_config(web_request *r)
{
    GString *b = g_string_new("<p>La configuración con la que el servidor genera los documentos (sólo lectura; "
                              "se cambia en el servidor y se reinicia el servicio).</p>\n");
    if (r->srv->config_text) {
        char *t = web_html_escape(r->srv->config_text);
        g_string_append_printf(b, "<pre>%s</pre>\n", t);
        g_free(t);
    } else {
        g_string_append(b, "<p>El servidor se inició sin --config: se usan los valores predeterminados.</p>\n");
    }
    enum MHD_Result ret = web_page(r, MHD_HTTP_OK, "Configuración", b->str, false);
    g_string_free(b, TRUE);
    return ret;
}

enum MHD_Result web_page_history(web_request *r)
{
    GString *b = g_string_new(NULL);
    web_history_section(r, b);
    enum MHD_Result ret = web_page(r, MHD_HTTP_OK, "Historial", b->str, false);
    g_string_free(b, TRUE);
    return ret;
}
