/* form.c - a small form's body (the login form, publish): its fields in memory, under a size cap, no files. */
#include <string.h>

#include "web/web_int.h"

#define FORM_FIELD_MAX 1024  /* bytes of one field (a token, a CSRF token, a checkbox) */
#define FORM_MAX 16384       /* bytes of the whole body */

static enum MHD_Result on_field(void *cls, G_GNUC_UNUSED enum MHD_ValueKind kind, const char *key,
                                const char *filename, G_GNUC_UNUSED const char *content_type,
                                G_GNUC_UNUSED const char *transfer_encoding, const char *data, uint64_t off,
                                size_t size)
{
    web_request *r = cls;
    if (filename || g_ascii_iscntrl(*key)) /* no files here; names after a control character are the request's own */
        return MHD_YES;
    const char *had = off ? g_hash_table_lookup(r->fields, key) : NULL; /* a repeated field: the last one wins */
    if ((had ? strlen(had) : 0) + size + 1 > FORM_FIELD_MAX) {
        r->body_error = true;
        return MHD_NO;
    }
    char *piece = g_strndup(data, size);
    g_hash_table_replace(r->fields, g_strdup(key), had ? g_strconcat(had, piece, NULL) : g_strdup(piece));
    g_free(piece);
    return MHD_YES;
}

void web_form_start(web_request *r)
{
    r->fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    r->pp = MHD_create_post_processor(r->conn, 1024, on_field, r); /* NULL without a form content type */
}

bool web_form_feed(web_request *r, const char *data, size_t size)
{
    r->received += size;
    if (r->received > FORM_MAX) {
        r->too_big = true;
        return false;
    }
    if (r->pp && size && MHD_post_process(r->pp, data, size) != MHD_YES) {
        r->body_error = true;
        return false;
    }
    return true;
}
