/* produce_hooks.c - what a run tells its caller (notices, progress), one call at a time from any thread. */
#include <stdarg.h>

#include "output/produce_int.h"

void produce_notice(obs_produce *p, const char *fmt, ...)
{
    const obs_produce_hooks *h = &p->req->hooks;
    if (!h->notice)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_mutex_lock(&p->hook_lock);
    h->notice(h->user, text);
    g_mutex_unlock(&p->hook_lock);
    g_free(text);
}

void produce_progress(obs_produce *p, unsigned step, unsigned steps, const char *what)
{
    const obs_produce_hooks *h = &p->req->hooks;
    if (!h->progress)
        return;
    g_mutex_lock(&p->hook_lock);
    h->progress(h->user, step, steps, what);
    g_mutex_unlock(&p->hook_lock);
}
