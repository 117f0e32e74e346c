/* csv_handoff.c - the encoding hand-off between the two parts of a split read (first part decides). */
#include "ingest/csv_reader_int.h"

struct obs_csv_handoff {
    GMutex lock;
    GCond cond;
    int state;              /* 0: nothing yet; 1: decided (enc); 2: the first part ended undecided */
    obs_encoding enc;
};

obs_csv_handoff *obs_csv_handoff_new(void)
{
    obs_csv_handoff *h = g_new0(obs_csv_handoff, 1);
    g_mutex_init(&h->lock);
    g_cond_init(&h->cond);
    return h;
}

static void handoff_set(obs_csv_handoff *h, int state, obs_encoding enc)
{
    g_mutex_lock(&h->lock);
    if (h->state == 0) {
        h->state = state;
        h->enc = enc;
        g_cond_broadcast(&h->cond);
    }
    g_mutex_unlock(&h->lock);
}

void obs_csv_handoff_finish(obs_csv_handoff *h)
{
    if (h)
        handoff_set(h, 2, OBS_ENC_AUTO);
}

void obs_csv_handoff_free(obs_csv_handoff *h)
{
    if (!h)
        return;
    g_mutex_clear(&h->lock);
    g_cond_clear(&h->cond);
    g_free(h);
}

/* The first part's decision, once it made one or ended without one (then AUTO). */
obs_encoding csvr_handoff_wait(obs_csv_handoff *h)
{
    g_mutex_lock(&h->lock);
    while (h->state == 0)
        g_cond_wait(&h->cond, &h->lock);
    obs_encoding enc = h->state == 1 ? h->enc : OBS_ENC_AUTO;
    g_mutex_unlock(&h->lock);
    return enc;
}

/* The first part of a split read announces its encoding as soon as it is known. */
void csvr_announce_encoding(reader *r)
{
    if (r->end && r->handoff && r->enc != OBS_ENC_AUTO)
        handoff_set(r->handoff, 1, r->enc);
}
