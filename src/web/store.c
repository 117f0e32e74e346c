/* store.c - the web service's side of the history: OPL tokens, the audit log, publication, one connection shared under a lock. */
#include <string.h>

#include "observa/history.h"
#include "web/web_int.h"

obs_status web_store_open(web_server *s, obs_error *err)
{
    g_mutex_init(&s->hist_lock);
    return obs_history_open(s->history_path, &s->history, err);
}

void web_store_close(web_server *s)
{
    obs_history_close(s->history);
    s->history = NULL;
    g_mutex_clear(&s->hist_lock);
}

/* A failure of the history while serving: logged (it never reaches the client in detail). */
static void report(const obs_error *err)
{
    char buf[OBS_ERROR_MSG_MAX + OBS_ERROR_PATH_MAX + 16];
    obs_error_format(err, buf, sizeof buf);
    g_printerr("observa servir: historial: %s\n", buf);
}

bool web_store_token(web_server *s, const char *token, int *entidad, int64_t *id)
{
    obs_access a;
    bool found = false;
    obs_error err = {0};
    g_mutex_lock(&s->hist_lock);
    obs_status st = obs_access_find(s->history, token, &a, &found, &err);
    g_mutex_unlock(&s->hist_lock);
    if (st != OBS_OK)
        report(&err);
    if (st != OBS_OK || !found || a.revocado)
        return false;
    *entidad = a.entidad;
    *id = a.id;
    return true;
}

bool web_store_token_alive(web_server *s, int64_t id)
{
    obs_access a;
    bool found = false;
    obs_error err = {0};
    g_mutex_lock(&s->hist_lock);
    obs_status st = obs_access_get(s->history, id, &a, &found, &err);
    g_mutex_unlock(&s->hist_lock);
    if (st != OBS_OK)
        report(&err);
    return st == OBS_OK && found && !a.revocado;
}

void web_store_audit(web_server *s, const web_request *r, const char *action, const char *object, int status)
{
    char who[40];
    if (r->id.role == WEB_ADMIN)
        g_strlcpy(who, "administrador", sizeof who);
    else if (r->id.role == WEB_OPL)
        g_snprintf(who, sizeof who, "opl:%02d#%" G_GINT64_FORMAT, r->id.entidad, r->id.token_id);
    else
        g_strlcpy(who, "anonimo", sizeof who);
    obs_error err = {0};
    g_mutex_lock(&s->hist_lock);
    obs_status st = obs_audit_add(s->history, who, r->ip, action, object, status, &err);
    g_mutex_unlock(&s->hist_lock);
    if (st != OBS_OK)
        report(&err);
}

obs_history_state web_store_run_state(web_server *s, int64_t hid)
{
    obs_history_state st = OBS_HIST_STATES;
    obs_error err = {0};
    if (hid > 0) {
        g_mutex_lock(&s->hist_lock);
        if (obs_history_state_of(s->history, hid, &st, &err) != OBS_OK)
            st = OBS_HIST_STATES;
        g_mutex_unlock(&s->hist_lock);
    }
    return st;
}
