/* upload.c - a multipart form streamed to disk: files under observa's names, small fields in memory, a size cap. */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "web/web_int.h"

#define FIELD_MAX 1024     /* bytes of a small field (a date, a list of documents) */
#define FILES_MAX 64       /* files of one export in one request */
#define POST_BUFFER 65536  /* libmicrohttpd's post processor buffer */

static const char *const file_fields[2] = {"solicitudes", "difusion"};

/* Which export a field is, or -1 for a small field. */
static int file_kind(const char *key)
{
    for (int k = 0; k < 2; k++)
        if (strcmp(key, file_fields[k]) == 0)
            return k;
    return -1;
}

static void upload_free(web_upload *u)
{
    g_free(u->path);
    g_free(u->name);
    if (u->sha)
        g_checksum_free(u->sha);
    g_free(u);
}

/* The name a file is stored under in its run, from the one the browser sent: its last component, ASCII letters,
 * digits, '.', '-' and '_' only (anything else becomes '_'), no leading dot, at most 80 bytes. Only
 * the disk sees it: the user sees the name shown_name() keeps. g_free. */
static char *safe_name(const char *sent, int kind, unsigned n)
{
    const char *base = sent;
    for (const char *p = sent; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    GString *s = g_string_new(NULL);
    for (const char *p = base; *p && s->len < 80; p++)
        g_string_append_c(s, g_ascii_isalnum(*p) || *p == '-' || *p == '_' || (*p == '.' && s->len) ? *p : '_');
    while (s->len && s->str[s->len - 1] == '.')
        g_string_truncate(s, s->len - 1);
    if (!s->len || strspn(s->str, "_") == s->len)
        g_string_printf(s, "%s-%u", file_fields[kind], n);
    return g_string_free(s, FALSE);
}

/* The name a file is shown by (totals, problems, rechazos.csv, manifest.json, the documents): the
 * user's own name, as UTF-8, with only what is unsafe removed: any folder before it ('/' or '\\'),
 * control and invisible formatting characters (bidirectional overrides could disguise it), leading
 * dots and spaces, trailing spaces, and whatever passes 120 bytes (cut between characters). g_free. */
static char *shown_name(const char *sent, int kind, unsigned n)
{
    const char *base = sent;
    for (const char *p = sent; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    char *valid = g_utf8_make_valid(base, -1);
    GString *s = g_string_new(NULL);
    for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        GUnicodeType t = g_unichar_type(c);
        if (t == G_UNICODE_CONTROL || t == G_UNICODE_FORMAT || t == G_UNICODE_LINE_SEPARATOR ||
            t == G_UNICODE_PARAGRAPH_SEPARATOR || t == G_UNICODE_SURROGATE || t == G_UNICODE_UNASSIGNED ||
            t == G_UNICODE_PRIVATE_USE || (!s->len && (c == '.' || g_unichar_isspace(c))))
            continue;
        if (s->len + (size_t)(g_utf8_next_char(p) - p) > 120)
            break;
        g_string_append_unichar(s, g_unichar_isspace(c) ? ' ' : c);
    }
    g_free(valid);
    while (s->len && s->str[s->len - 1] == ' ')
        g_string_truncate(s, s->len - 1);
    if (!s->len)
        g_string_printf(s, "%s-%u", file_fields[kind], n);
    return g_string_free(s, FALSE);
}

/* Whether a file of the request (either export) is already shown by this name. */
static bool name_taken(const web_request *r, const char *name)
{
    for (int k = 0; k < 2; k++)
        for (guint i = 0; r->files[k] && i < r->files[k]->len; i++)
            if (strcmp(((const web_upload *)r->files[k]->pdata[i])->name, name) == 0)
                return true;
    return false;
}

/* The name, or "name (2)", "name (3)"… when another file of the request is shown by it: two files
 * sent as export.csv must be told apart in the totals, the problems and rechazos.csv. Takes name. */
static char *distinct_name(const web_request *r, char *name)
{
    char *shown = g_strdup(name);
    for (unsigned n = 2; name_taken(r, shown); n++) {
        g_free(shown);
        shown = g_strdup_printf("%s (%u)", name, n);
    }
    g_free(name);
    return shown;
}

/* A new file for kind in dir: in a folder of its own (s1, s2, d1…), under its safe name, so that
 * no name from the client chooses where it goes (ASVS V12.3.1). */
static web_upload *upload_new(web_request *r, int kind, const char *dir, const char *sent)
{
    if (r->files[kind]->len >= FILES_MAX)
        return NULL;
    unsigned n = r->files[kind]->len + 1;
    char *sub = g_strdup_printf("%s/%c%u", dir, file_fields[kind][0], n);
    char *name = safe_name(sent, kind, n);
    web_upload *u = g_new0(web_upload, 1);
    u->path = g_build_filename(sub, name, NULL);
    u->name = distinct_name(r, shown_name(sent, kind, n));
    u->sha = g_checksum_new(G_CHECKSUM_SHA256);
    u->fd = g_mkdir(sub, 0700) == 0 ? g_open(u->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600) : -1;
    g_free(name);
    g_free(sub);
    if (u->fd < 0) {
        upload_free(u);
        return NULL;
    }
    g_ptr_array_add(r->files[kind], u);
    return u;
}

static bool write_all(int fd, const char *data, size_t size)
{
    while (size > 0) {
        ssize_t n = write(fd, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        size -= (size_t)n;
    }
    return true;
}

/* The iterator of libmicrohttpd's post processor: each piece of each field as it arrives. */
static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
                                const char *content_type, const char *transfer_encoding, const char *data,
                                uint64_t off, size_t size)
{
    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    web_request *r = cls;
    int k = file_kind(key);
    if (k < 0 && filename && !g_ascii_iscntrl(*key)) { /* a file under a field that is not an export: named at the end */
        if (!g_hash_table_contains(r->fields, key))
            g_hash_table_replace(r->fields, g_strdup(key), g_strdup(""));
        return MHD_YES;
    }
    if (k >= 0) {
        if (!filename || !*filename) /* a file input left empty */
            return MHD_YES;
        if (r->csrf_pending && !web_csrf_ok(r)) { /* the form's csrf field comes first: no file is written without it */
            r->csrf_missing = true;
            r->body_error = true;
            return MHD_NO;
        }
        r->csrf_pending = false;
        const char *dir = g_hash_table_lookup(r->fields, "\x01" "dir");
        web_upload *u = off == 0 ? upload_new(r, k, dir, filename)
                                 : (r->files[k]->len ? r->files[k]->pdata[r->files[k]->len - 1] : NULL);
        if (!u || (size && !write_all(u->fd, data, size))) {
            r->body_error = true;
            return MHD_NO;
        }
        if (size)
            g_checksum_update(u->sha, (const guchar *)data, size);
        u->size += size;
        return MHD_YES;
    }
    if (g_ascii_iscntrl(*key)) /* reserved for the request's own entries ("\x01" "dir"…) */
        return MHD_YES;
    /* A value may arrive in pieces (off > 0); a repeated field (the documentos checkboxes) starts
     * again at off 0 and is kept as a comma-separated list. */
    const char *had = g_hash_table_lookup(r->fields, key);
    if (had && off == 0 && strcmp(key, "documentos") != 0 && !g_hash_table_contains(r->fields, "\x01repeated"))
        g_hash_table_replace(r->fields, g_strdup("\x01repeated"), g_strdup(key)); /* told at the end, by name */
    if ((had ? strlen(had) : 0) + size + 1 > FIELD_MAX) {
        r->body_error = true;
        return MHD_NO;
    }
    char *piece = g_strndup(data, size);
    char *joined = !had ? g_strdup(piece) : g_strconcat(had, off == 0 ? "," : "", piece, NULL);
    g_hash_table_replace(r->fields, g_strdup(key), joined);
    g_free(piece);
    return MHD_YES;
}

bool web_upload_feed(web_request *r, const char *data, size_t size, const char *dir)
{
    uint64_t cap = r->srv->opt.max_subida;
    if (!r->fields) {
        r->fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        g_hash_table_replace(r->fields, g_strdup("\x01" "dir"), g_strdup(dir));
        for (int k = 0; k < 2; k++)
            r->files[k] = g_ptr_array_new();
        r->pp = MHD_create_post_processor(r->conn, POST_BUFFER, on_field, r);
        if (!r->pp) { /* not multipart/form-data nor urlencoded */
            r->body_error = true;
            return false;
        }
    }
    r->received += size;
    if (r->received > cap) {
        r->too_big = true;
        return false;
    }
    if (size && MHD_post_process(r->pp, data, size) != MHD_YES) {
        r->body_error = true;
        return false;
    }
    return true;
}

void web_upload_end(web_request *r)
{
    /* The post processor knows whether the body ended where a multipart body ends (its closing
     * boundary): a body cut short is told as such, not as a field it lacks. */
    if (r->pp && MHD_destroy_post_processor(r->pp) != MHD_YES)
        r->body_incomplete = true;
    r->pp = NULL;
    for (int k = 0; k < 2; k++)
        for (guint i = 0; r->files[k] && i < r->files[k]->len; i++) {
            web_upload *u = r->files[k]->pdata[i];
            if (u->fd >= 0) {
                fsync(u->fd);
                close(u->fd);
                u->fd = -1;
                g_strlcpy(u->sha256, g_checksum_get_string(u->sha), sizeof u->sha256);
            }
        }
}

void web_upload_free(web_request *r)
{
    web_upload_end(r);
    if (r->pp)
        MHD_destroy_post_processor(r->pp);
    r->pp = NULL;
    for (int k = 0; k < 2; k++) {
        for (guint i = 0; r->files[k] && i < r->files[k]->len; i++) {
            upload_free(r->files[k]->pdata[i]);
        }
        if (r->files[k])
            g_ptr_array_free(r->files[k], TRUE);
        r->files[k] = NULL;
    }
    if (r->fields)
        g_hash_table_destroy(r->fields);
    r->fields = NULL;
}
