/* csv_batch.c - batches of records: filled by the reader, hashed and delivered in order to the caller. */
#include "ingest/csv_reader_int.h"

batch *csvr_batch_new(void)
{
    /* Small at first, grown on demand up to a batch's size: small files stay cheap. */
    batch *b = g_new0(batch, 1);
    b->bcap = 64 * 1024;
    b->bytes = g_malloc(b->bcap);
    b->fcap = 4096;
    b->fields = g_new(obs_csv_field, b->fcap);
    b->rcap = 256;
    b->recs = g_new(rec_meta, b->rcap);
    b->raw = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    return b;
}

void csvr_batch_free(batch *b)
{
    if (!b)
        return;
    g_free(b->bytes);
    g_free(b->fields);
    g_free(b->recs);
    g_ptr_array_free(b->raw, TRUE);
    g_free(b);
}

static void batch_reset(batch *b)
{
    b->nbytes = b->nfields = b->nrecs = 0;
    g_ptr_array_set_size(b->raw, 0);
    b->last = false;
}

/* Turns the offsets into pointers: the bytes no longer move. */
static void batch_seal(batch *b)
{
    for (size_t i = 0; i < b->nfields; i++)
        b->fields[i].ptr = b->bytes + (uintptr_t)b->fields[i].ptr;
}

/* ---- delivery ---------------------------------------------------------------------------------- */

/* Calls on_record for every record of a sealed batch (the caller's thread). */
void csvr_deliver(reader *r, const batch *b)
{
    /* The caller's thread hashes the raw bytes: it has time to spare while the reader tokenizes. */
    for (guint i = 0; !r->no_hash && i < b->raw->len; i++) {
        gsize n;
        const void *data = g_bytes_get_data(b->raw->pdata[i], &n);
        EVP_DigestUpdate(r->sha, data, n);
    }
    for (size_t i = 0; i < b->nrecs && !r->stopped; i++) {
        const rec_meta *m = &b->recs[i];
        obs_csv_record rec = {
            .line = m->line,
            .nfields = m->nfields,
            .fields = b->fields + m->first,
            .defect = m->defect,
            .encoding = m->encoding,
            .quote_as_text = (m->flags & REC_QUOTE_AS_TEXT) != 0,
            .field_flags = m->field_flags,
            .title_lines = r->title_lines,
        };
        if (!r->on_record(r->ud, &rec)) {
            r->stopped = true;
            g_atomic_int_set(&r->stop, 1);
        }
    }
}

/* Hands a full batch over and gets an empty one. */
void csvr_dispatch(reader *r, bool last)
{
    batch *b = r->cur;
    b->last = last;
    batch_seal(b);
    if (r->threaded) {
        g_async_queue_push(r->full, b);
        r->cur = last ? NULL : g_async_queue_pop(r->free_q);
    } else {
        csvr_deliver(r, b);
        batch_reset(b);
    }
    if (r->cur)
        batch_reset(r->cur);
    r->rec_first = 0;
}
