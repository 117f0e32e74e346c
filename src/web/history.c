/* history.c - the web's view of the history: the Historial page and API, publication, a run's files, an OPL's documents. */
#include <json-glib/json-glib.h>
#include <string.h>

#include "observa/history.h"
#include "observa/text.h"
#include "web/web_int.h"


/* The published run of a corte in the history, or 0. */
static int64_t publication_of(web_server *s, obs_day corte);

const char *web_job_state_text(web_server *s, const web_job *j)
{
    switch (j->state) {
    case JOB_QUEUED:
        return "en proceso (en espera de turno)";
    case JOB_RUNNING:
        return "en proceso";
    case JOB_FAILED:
        return "fallida";
    case JOB_DONE:
        break;
    }
    switch (web_store_run_state(s, j->history_id)) {
    case OBS_HIST_PUBLICADA:
        return "lista, publicada";
    case OBS_HIST_SUSTITUIDA:
        return "lista, sustituida por otra publicación";
    case OBS_HIST_BORRADOR:
        return "lista, borrador sin publicar";
    default:
        return "lista";
    }
}

/* The job (run of this server) recorded with a history id, or NULL (lock held). */
static const web_job *job_of(web_server *s, int64_t hid);

/* Every entry of the history, newest first (g_array_free); NULL when it cannot be read. */
static GArray *entries(web_server *s);

/* How a web message names the history's run hid: "la corrida 0123456789abcdef" for a run of this
 * server, else by its number on the Historial page (g_free; lock held). */
static char *run_name(web_server *s, int64_t hid)
{
    const web_job *j = job_of(s, hid);
    return j ? g_strdup_printf("la corrida %s", j->id)
             : g_strdup_printf("la corrida núm. %" G_GINT64_FORMAT " de la página Historial", hid);
}

static gboolean history_number_to_id(const GMatchInfo *m, GString *out, gpointer user)
{
    char *num = g_match_info_fetch(m, 1);
    char *name = run_name(user, g_ascii_strtoll(num, NULL, 10));
    g_string_append(out, name);
    g_free(name);
    g_free(num);
    return FALSE;
}

/* A message of the history for a web user: the CLI's hints in web words, each run by the id the web
 * shows ("la corrida 2", "a la 1" become the runs' hex ids), no server path (g_free). */
static char *history_words(web_server *s, const char *message)
{
    char *words = web_words(message);
    GRegex *re = g_regex_new("\\bla (?:corrida )?(\\d+)\\b", 0, 0, NULL);
    g_mutex_lock(&s->lock);
    char *named = g_regex_replace_eval(re, words, -1, 0, 0, history_number_to_id, s, NULL);
    g_mutex_unlock(&s->lock);
    g_regex_unref(re);
    g_free(words);
    GString *t = g_string_new(named ? named : message);
    g_free(named);
    if (g_path_is_absolute(s->datos) && strlen(s->datos) > 1)
        g_string_replace(t, s->datos, "la carpeta de datos del servidor", 0);
    return g_string_free(t, FALSE);
}

/* Why the run cannot be published while its corte has another publication, in web words. */
static char *conflict_message(web_server *s, int64_t old)
{
    g_mutex_lock(&s->lock);
    char *which = run_name(s, old);
    g_mutex_unlock(&s->lock);
    char *m = g_strdup_printf("su corte ya tiene publicada %s: para presentar ésta en su lugar, marque la casilla "
                              "de «Publicar en lugar de la anterior» y use ese botón (en la API, ?reemplazar=1); la "
                              "anterior se conserva como versión sustituida",
                              which);
    g_free(which);
    return m;
}

/* Why a superseded run is not published again, naming the run that replaced it (g_free). */
static char *replaced_message(web_server *s, const web_job *j, int64_t hid)
{
    obs_history_detail *d = NULL;
    obs_error err = {0};
    g_mutex_lock(&s->hist_lock);
    int64_t by = obs_history_show(s->history, hid, &d, &err) == OBS_OK ? d->entry.sustituida_por : 0;
    g_mutex_unlock(&s->hist_lock);
    obs_history_detail_free(d);
    g_mutex_lock(&s->lock);
    char *who = by ? run_name(s, by) : g_strdup("otra corrida de su corte");
    char *m = g_strdup_printf("la corrida %s ya se publicó y después %s se publicó en su lugar: una versión "
                              "sustituida se conserva como se presentó y no se publica de nuevo; para presentar otra "
                              "vez esas cifras, genere una corrida nueva y publíquela en lugar de la actual",
                              j->id, who);
    g_mutex_unlock(&s->lock);
    g_free(who);
    return m;
}

unsigned web_job_publish(web_server *s, web_job *j, bool replace, bool *already, char **message)
{
    *already = false;
    g_mutex_lock(&s->lock);
    bool done = j->state == JOB_DONE;
    int64_t hid = j->history_id;
    g_mutex_unlock(&s->lock);
    if (!done) {
        *message = g_strdup("la corrida no ha terminado bien: no hay nada que publicar");
        return MHD_HTTP_CONFLICT;
    }
    if (hid <= 0) {
        *message = g_strdup("la corrida no quedó en el historial");
        return MHD_HTTP_CONFLICT;
    }
    /* A second submit of the same Publicar (or a script that retries) finds it done: nothing more to do. */
    obs_history_state now = web_store_run_state(s, hid);
    if (now == OBS_HIST_PUBLICADA) {
        *already = true;
        return MHD_HTTP_OK;
    }
    /* A superseded vintage stays as it was presented: no confirmation makes it the publication again. */
    if (now == OBS_HIST_SUSTITUIDA) {
        *message = replaced_message(s, j, hid);
        return MHD_HTTP_CONFLICT;
    }
    int64_t old = replace ? 0 : publication_of(s, j->corte);
    if (old && old != hid) {
        *message = conflict_message(s, old);
        return MHD_HTTP_CONFLICT;
    }
    obs_error err = {0};
    g_mutex_lock(&s->hist_lock);
    obs_status st = obs_history_publish(s->history, hid, replace, &err);
    g_mutex_unlock(&s->hist_lock);
    if (st == OBS_OK)
        return MHD_HTTP_OK;
    /* Another request published meanwhile: this run (the same outcome), or another run of its corte. */
    if (st == OBS_ERR_USAGE && web_store_run_state(s, hid) == OBS_HIST_PUBLICADA) {
        *already = true;
        return MHD_HTTP_OK;
    }
    old = replace ? 0 : publication_of(s, j->corte);
    if (st == OBS_ERR_USAGE && old && old != hid) {
        *message = conflict_message(s, old);
        return MHD_HTTP_CONFLICT;
    }
    *message = history_words(s, err.message);
    return st == OBS_ERR_USAGE ? MHD_HTTP_CONFLICT : MHD_HTTP_INTERNAL_SERVER_ERROR;
}

/* The published run of a corte among the history's entries a (NULL: none), or 0. */
static int64_t publication_in(const GArray *a, obs_day corte)
{
    for (guint i = 0; a && i < a->len; i++) {
        const obs_history_entry *e = &g_array_index(a, obs_history_entry, i);
        if (e->corte == corte && e->estado == OBS_HIST_PUBLICADA)
            return e->id;
    }
    return 0;
}

/* What publishing hid in place of old changes in the figures a page lists ("; las cifras cambian:
 * solicitudes 35,000 → 35,012, …", or that they do not), from the history's entries a; g_free. */
static char *replace_changes(const GArray *a, int64_t old, int64_t hid)
{
    const obs_history_entry *was = NULL, *now = NULL;
    for (guint i = 0; a && i < a->len; i++) {
        const obs_history_entry *e = &g_array_index(a, obs_history_entry, i);
        if (e->id == old)
            was = e;
        if (e->id == hid)
            now = e;
    }
    GString *t = g_string_new(NULL);
    if (was && now) {
        const char *names[] = {"solicitudes", "aprobadas", "acciones de los OPL", "OPL señalados", "oficios"};
        int64_t before[] = {was->solicitudes, was->aprobadas, was->acciones_opl, was->nsenalados, was->noficios};
        int64_t after[] = {now->solicitudes, now->aprobadas, now->acciones_opl, now->nsenalados, now->noficios};
        for (size_t n = 0; n < G_N_ELEMENTS(names); n++) {
            if (before[n] == after[n])
                continue;
            char x[OBS_FMT_MAX], y[OBS_FMT_MAX];
            g_string_append_printf(t, "%s%s %s → %s", t->len ? ", " : "; las cifras cambian: ", names[n],
                                   obs_fmt_int(x, sizeof x, before[n]), obs_fmt_int(y, sizeof y, after[n]));
        }
        if (!t->len)
            g_string_append(t, "; las cifras nacionales (solicitudes, aprobadas, acciones de los OPL, OPL señalados "
                               "y oficios) son las mismas");
    }
    return g_string_free(t, FALSE);
}

/* web_replace_form() for a draft whose corte has old published, from the history's entries a. */
static void replace_form(web_request *r, const web_job *j, const GArray *a, int64_t old, GString *b)
{
    const web_job *oj = old ? job_of(r->srv, old) : NULL;
    char *link = oj ? g_strdup_printf("<a href=\"/corridas/%s\">la corrida %s</a>", oj->id, oj->id)
                    : g_strdup_printf("la corrida núm. %" G_GINT64_FORMAT " de la <a href=\"/historial\">página "
                                      "Historial</a>",
                                      old);
    char *changes = replace_changes(a, old, j->history_id);
    char corte[64];
    obs_fmt_fecha_larga(corte, sizeof corte, j->corte);
    g_string_append_printf(b,
                           "<form method=\"post\" action=\"/corridas/%s/publicar\">"
                           "<input type=\"hidden\" name=\"csrf\" value=\"%s\"><p>Es un borrador. Su corte ya tiene "
                           "publicada %s: si ésta la corrige, publíquela en su lugar (la anterior se conserva en el "
                           "historial como versión sustituida).</p><div><input type=\"checkbox\" id=\"reemplazar\" "
                           "name=\"reemplazar\" value=\"1\" required> <label class=\"check\" for=\"reemplazar\">"
                           "Confirmo que la corrida %s sustituye a la publicada como lo presentado a la Comisión para "
                           "el corte al %s: desde ahora cada OPL descarga los documentos de ésta, no los de la "
                           "anterior%s</label></div>"
                           "<button type=\"submit\">Publicar en lugar de la anterior</button></form>\n",
                           j->id, r->id.csrf, link, j->id, corte, changes);
    g_free(changes);
    g_free(link);
}

void web_replace_form(web_request *r, const web_job *j, GString *b)
{
    if (web_store_run_state(r->srv, j->history_id) != OBS_HIST_BORRADOR)
        return; /* only a draft is published */
    GArray *a = entries(r->srv);
    replace_form(r, j, a, publication_in(a, j->corte), b);
    if (a)
        g_array_free(a, TRUE);
}

/* ---- A finished run's files ------------------------------------------------------------ */

static void publication(web_request *r, const web_job *j, GString *b)
{
    obs_history_state st = web_store_run_state(r->srv, j->history_id);
    const char *nota = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "nota");
    if (st == OBS_HIST_PUBLICADA && nota && strcmp(nota, "ya-publicada") == 0)
        g_string_append(b, "<p class=\"ok\" role=\"status\">Esta corrida ya estaba publicada: no se hizo nada "
                           "más.</p>\n");
    if (st == OBS_HIST_PUBLICADA) {
        g_string_append(b, "<p class=\"ok\">Esta corrida está <strong>publicada</strong>: es la que se presentó a la "
                           "Comisión para su corte, y cada OPL puede descargar sus documentos.</p>\n");
    } else if (st == OBS_HIST_BORRADOR) {
        GArray *a = entries(r->srv); /* read once: the corte's publication and the figures it had */
        int64_t old = publication_in(a, j->corte);
        if (old)
            replace_form(r, j, a, old, b);
        else
            g_string_append_printf(b,
                                   "<form method=\"post\" action=\"/corridas/%s/publicar\"><input type=\"hidden\" "
                                   "name=\"csrf\" value=\"%s\"><p>Es un borrador. Al "
                                   "publicarla queda como lo presentado a la Comisión y cada OPL puede descargar sus "
                                   "documentos.</p><button type=\"submit\">Publicar</button></form>\n",
                                   j->id, r->id.csrf);
        if (a)
            g_array_free(a, TRUE);
    } else if (st != OBS_HIST_STATES) {
        g_string_append_printf(b, "<p>Estado en el historial: %s.</p>\n", obs_history_state_name(st));
    }
}

void web_run_files(web_request *r, const web_job *j, GString *b)
{
    char *out = web_job_output_dir(j);
    obs_error err = {0};
    GPtrArray *files = web_set_files(out, &err);
    g_free(out);
    if (j->state == JOB_DONE)
        publication(r, j, b);
    g_string_append_printf(b, "<h2>%s</h2>\n<p><a href=\"/api/corridas/%s.zip\">Todo el conjunto en un ZIP</a>"
                              "</p>\n<table><thead><tr><th scope=\"col\">Archivo</th><th scope=\"col\">Tamaño</th>"
                              "<th scope=\"col\">SHA-256</th></tr></thead><tbody>\n",
                           j->state == JOB_DONE ? "Documentos" : "Archivos que publicó la corrida", j->id);
    for (guint i = 0; files && i < files->len; i++) {
        const web_file *f = files->pdata[i];
        char *ruta = web_html_escape(f->ruta);
        char kb[OBS_FMT_MAX];
        obs_fmt_int(kb, sizeof kb, (f->bytes + 1023) / 1024);
        g_string_append_printf(b, "<tr><td><a href=\"/api/corridas/%s/archivos/%s\">%s</a></td><td class=\"n\">%s KB"
                                  "</td><td><code>%.16s…</code></td></tr>\n",
                               j->id, ruta, ruta, kb, f->sha256);
        g_free(ruta);
    }
    g_string_append_printf(b, "</tbody></table>\n<p><a href=\"/api/corridas/%s/archivos/manifest.json\">manifest.json"
                              "</a>: lo que la corrida leyó y escribió, con el SHA-256 de cada archivo.</p>\n",
                           j->id);
    if (files)
        g_ptr_array_free(files, TRUE);
}

/* ---- An OPL's documents ---------------------------------------------------------------- */

static gint by_corte_desc(gconstpointer a, gconstpointer b)
{
    const web_job *x = a, *y = b;
    return x->corte != y->corte ? (x->corte < y->corte ? 1 : -1) : (x->created < y->created) - (x->created > y->created);
}

/* The finished runs whose history entry is published, newest corte first (lock held). */
static GList *published_runs(web_server *s)
{
    GList *out = NULL, *all = g_hash_table_get_values(s->jobs);
    for (GList *l = all; l; l = l->next) {
        web_job *j = l->data;
        if (j->state == JOB_DONE && web_store_run_state(s, j->history_id) == OBS_HIST_PUBLICADA)
            out = g_list_prepend(out, j);
    }
    g_list_free(all);
    return g_list_sort(out, by_corte_desc);
}

/* What an OPL's document is, by its type in the manifest. */
static const char *opl_document_name(const char *tipo)
{
    if (g_str_has_prefix(tipo, "oficio-opl"))
        return "Oficio de exhorto dirigido al OPL";
    if (g_str_has_prefix(tipo, "opl-xlsx"))
        return "Resumen del OPL, hoja de cálculo";
    if (g_str_has_prefix(tipo, "opl"))
        return "Resumen del OPL";
    return tipo;
}

void web_opl_documents(web_request *r, GString *b)
{
    g_mutex_lock(&r->srv->lock);
    GList *runs = published_runs(r->srv);
    if (!runs)
        g_string_append(b, "<p>Todavía no hay cortes publicados.</p>\n");
    for (GList *l = runs; l; l = l->next) {
        const web_job *j = l->data;
        char corte[64];
        obs_fmt_fecha_larga(corte, sizeof corte, j->corte);
        g_string_append_printf(b, "<h2>Corte al %s</h2>\n<ul>\n", corte);
        char *out = web_job_output_dir(j);
        obs_error err = {0};
        GPtrArray *files = web_set_files(out, &err);
        for (guint i = 0; files && i < files->len; i++) {
            const web_file *f = files->pdata[i];
            if (!web_opl_may_read(r->id.entidad, f->ruta))
                continue;
            char *ruta = web_html_escape(f->ruta);
            char kb[OBS_FMT_MAX];
            obs_fmt_int(kb, sizeof kb, (f->bytes + 1023) / 1024);
            g_string_append_printf(b, "<li><a href=\"/api/corridas/%s/archivos/%s\">%s</a> (%s, %s KB)</li>\n",
                                   j->id, ruta, opl_document_name(f->tipo), g_str_has_suffix(f->ruta, ".pdf") ? "PDF"
                                   : g_str_has_suffix(f->ruta, ".xlsx") ? "XLSX" : "archivo", kb);
            g_free(ruta);
        }
        g_string_append(b, "</ul>\n");
        if (files)
            g_ptr_array_free(files, TRUE);
        g_free(out);
    }
    g_list_free(runs);
    g_mutex_unlock(&r->srv->lock);
}

/* ---- The Historial page and API ---------------------------------------------------------- */

static void collect(const obs_history_entry *e, void *ud)
{
    g_array_append_val((GArray *)ud, *e);
}

/* Every entry of the history, newest first (g_array_free); NULL when it cannot be read. */
static GArray *entries(web_server *s)
{
    GArray *a = g_array_new(FALSE, FALSE, sizeof(obs_history_entry));
    obs_error err = {0};
    g_mutex_lock(&s->hist_lock);
    obs_status st = obs_history_list(s->history, collect, a, &err);
    g_mutex_unlock(&s->hist_lock);
    if (st != OBS_OK) {
        g_array_free(a, TRUE);
        return NULL;
    }
    return a;
}

/* The job (run of this server) recorded with a history id, or NULL (lock held). */
static const web_job *job_of(web_server *s, int64_t hid)
{
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, s->jobs);
    while (g_hash_table_iter_next(&it, &k, &v))
        if (((const web_job *)v)->history_id == hid)
            return v;
    return NULL;
}

/* One run of the history; its number links to its page when this server made it (lock held). */
static void entry_row(web_server *srv, GString *b, const obs_history_entry *e)
{
    const web_job *j = job_of(srv, e->id);
    char num[96];
    if (j) /* a run of this server: the id the rest of the web shows, with its page */
        g_snprintf(num, sizeof num, "<a href=\"/corridas/%s\"><code>%s</code></a>", j->id, j->id);
    else
        g_snprintf(num, sizeof num, "núm. %" G_GINT64_FORMAT, e->id);
    char origin[48];
    if (strcmp(e->comando, "servir") == 0)
        g_strlcpy(origin, "Generar (navegador)", sizeof origin);
    else
        g_snprintf(origin, sizeof origin, "observa %s (terminal)", e->comando);
    char corte[64], sol[OBS_FMT_MAX], apr[OBS_FMT_MAX], acc[OBS_FMT_MAX];
    obs_fmt_fecha_corta(corte, sizeof corte, e->corte);
    obs_fmt_int(sol, sizeof sol, e->solicitudes);
    obs_fmt_int(apr, sizeof apr, e->aprobadas);
    obs_fmt_int(acc, sizeof acc, e->acciones_opl);
    g_string_append_printf(b,
                           "<tr><td class=\"n\">%s</td><td>%s</td><td>%s</td><td>%s</td>"
                           "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%d</td>"
                           "<td class=\"n\">%d</td></tr>\n",
                           num, corte, origin, obs_history_state_name(e->estado), sol, apr, acc, e->nsenalados,
                           e->noficios);
}

/* Revisions: for each published corte, the latest later draft of it, figure by figure. */
static void revisions(GString *b, const GArray *a)
{
    bool any = false;
    for (guint i = 0; i < a->len; i++) {
        const obs_history_entry *p = &g_array_index(a, obs_history_entry, i);
        if (p->estado != OBS_HIST_PUBLICADA)
            continue;
        for (guint k = 0; k < i; k++) { /* newer entries come first */
            const obs_history_entry *d = &g_array_index(a, obs_history_entry, k);
            if (d->corte != p->corte || d->estado != OBS_HIST_BORRADOR)
                continue;
            if (!any)
                g_string_append(b, "<h2>Revisiones</h2>\n<table><thead><tr><th scope=\"col\">Corte</th>"
                                   "<th scope=\"col\">Cifra</th><th scope=\"col\">Publicada</th>"
                                   "<th scope=\"col\">Borrador más reciente</th><th scope=\"col\">Diferencia</th>"
                                   "</tr></thead><tbody>\n");
            any = true;
            const char *names[] = {"Solicitudes", "Aprobadas", "Acciones de los OPL"};
            int64_t was[] = {p->solicitudes, p->aprobadas, p->acciones_opl};
            int64_t now[] = {d->solicitudes, d->aprobadas, d->acciones_opl};
            char corte[64];
            obs_fmt_fecha_corta(corte, sizeof corte, p->corte);
            for (size_t n = 0; n < G_N_ELEMENTS(names); n++) {
                char x[OBS_FMT_MAX], y[OBS_FMT_MAX], z[OBS_FMT_MAX];
                g_string_append_printf(b, "<tr><td>%s</td><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                                          "<td class=\"n\">%s</td></tr>\n",
                                       corte, names[n], obs_fmt_int(x, sizeof x, was[n]), obs_fmt_int(y, sizeof y, now[n]),
                                       obs_fmt_delta(z, sizeof z, now[n] - was[n]));
            }
            break;
        }
    }
    if (any)
        g_string_append(b, "</tbody></table>\n");
}

void web_history_section(web_request *r, GString *b)
{
    GArray *a = entries(r->srv);
    if (!a) {
        g_string_append(b, "<p class=\"error\">No se pudo leer el historial.</p>\n");
        return;
    }
    if (!a->len)
        g_string_append(b, "<p>El historial está vacío: cada corrida que termina bien queda registrada como borrador."
                           "</p>\n");
    else
        g_string_append(b, "<table><thead><tr><th scope=\"col\">Corrida</th><th scope=\"col\">Corte</th>"
                           "<th scope=\"col\">Origen</th><th scope=\"col\">Estado</th><th scope=\"col\">Solicitudes</th>"
                           "<th scope=\"col\">Aprobadas</th><th scope=\"col\">Acciones OPL</th>"
                           "<th scope=\"col\">OPL señalados</th><th scope=\"col\">Oficios</th></tr></thead><tbody>\n");
    g_mutex_lock(&r->srv->lock);
    for (guint i = 0; i < a->len; i++)
        entry_row(r->srv, b, &g_array_index(a, obs_history_entry, i));
    g_mutex_unlock(&r->srv->lock);
    if (a->len)
        g_string_append(b, "</tbody></table>\n");
    revisions(b, a);
    g_array_free(a, TRUE);
}

enum MHD_Result web_api_history(web_request *r)
{
    GArray *a = entries(r->srv);
    if (!a)
        return web_send_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "no se pudo leer el historial");
    JsonBuilder *b = json_builder_new();
    json_builder_begin_array(b);
    g_mutex_lock(&r->srv->lock);
    for (guint i = 0; i < a->len; i++) {
        const obs_history_entry *e = &g_array_index(a, obs_history_entry, i);
        if (r->id.role == WEB_OPL && e->estado != OBS_HIST_PUBLICADA)
            continue; /* an OPL sees what was presented, nothing else */
        const web_job *j = job_of(r->srv, e->id);
        char corte[16];
        obs_day_iso(e->corte, corte, sizeof corte);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "corte");
        json_builder_add_string_value(b, corte);
        json_builder_set_member_name(b, "estado");
        json_builder_add_string_value(b, obs_history_state_name(e->estado));
        json_builder_set_member_name(b, "corrida");
        json_builder_add_string_value(b, j ? j->id : "");
        if (r->id.role == WEB_ADMIN) {
            const char *keys[] = {"id", "solicitudes", "aprobadas", "acciones_opl", "opl_senalados", "oficios"};
            int64_t vals[] = {e->id, e->solicitudes, e->aprobadas, e->acciones_opl, e->nsenalados, e->noficios};
            for (size_t n = 0; n < G_N_ELEMENTS(keys); n++) {
                json_builder_set_member_name(b, keys[n]);
                json_builder_add_int_value(b, vals[n]);
            }
        }
        json_builder_end_object(b);
    }
    g_mutex_unlock(&r->srv->lock);
    json_builder_end_array(b);
    JsonNode *root = json_builder_get_root(b);
    char *text = web_json_text(root);
    enum MHD_Result ret = web_send_json(r, MHD_HTTP_OK, text);
    g_free(text);
    json_node_unref(root);
    g_object_unref(b);
    g_array_free(a, TRUE);
    return ret;
}

static int64_t publication_of(web_server *s, obs_day corte)
{
    GArray *a = entries(s);
    int64_t id = publication_in(a, corte);
    if (a)
        g_array_free(a, TRUE);
    return id;
}

char *web_job_json_opl(web_request *r, const char *id)
{
    g_mutex_lock(&r->srv->lock);
    web_job *j = web_job_find(r->srv, id);
    bool done = j && j->state == JOB_DONE;
    int64_t hid = done ? j->history_id : 0;
    char corte[16] = "";
    char *out = done ? web_job_output_dir(j) : NULL;
    if (done)
        obs_day_iso(j->corte, corte, sizeof corte);
    g_mutex_unlock(&r->srv->lock);
    /* A draft does not exist for an OPL: what was presented to the Commission, nothing else. */
    if (!out || web_store_run_state(r->srv, hid) != OBS_HIST_PUBLICADA) {
        g_free(out);
        return NULL;
    }
    obs_error err = {0};
    GPtrArray *files = web_set_files(out, &err);
    g_free(out);
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "id");
    json_builder_add_string_value(b, id);
    json_builder_set_member_name(b, "estado");
    json_builder_add_string_value(b, "lista");
    json_builder_set_member_name(b, "corte");
    json_builder_add_string_value(b, corte);
    json_builder_set_member_name(b, "publicada");
    json_builder_add_boolean_value(b, TRUE);
    json_builder_set_member_name(b, "archivos");
    json_builder_begin_array(b);
    for (guint i = 0; files && i < files->len; i++) {
        const web_file *f = files->pdata[i];
        if (!web_opl_may_read(r->id.entidad, f->ruta))
            continue;
        web_file_json(b, f);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    if (files)
        g_ptr_array_free(files, TRUE);
    JsonNode *root = json_builder_get_root(b);
    char *text = web_json_text(root);
    json_node_unref(root);
    g_object_unref(b);
    return text;
}
