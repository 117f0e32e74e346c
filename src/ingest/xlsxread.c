/* xlsxread.c - obs_xlsx_read(): a workbook hashed, its parts read, one sheet's records handed on (from a thread of their own when asked). */
#include "ingest/xlsx_reader_int.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <string.h>
#include <unistd.h>

#define HASH_CHUNK (256 * 1024)
/* Batches in flight between the reader and the caller: bounds memory, keeps both busy. */
#define BATCHES 3
#define BATCH_RECORDS 1024
#define BATCH_BYTES (512 * 1024)

/* Records on their way from the reader's thread to the caller's. */
typedef struct xbatch {
    GString *bytes;          /* field bytes, each followed by a NUL */
    GArray *fields;          /* obs_csv_field, ptr an offset into bytes until delivered */
    GArray *recs;            /* obs_csv_record, fields an index into fields until delivered */
    bool last;               /* the reader is done: no more batches */
} xbatch;

typedef struct xreader {
    workbook w;
    const char *wanted;      /* the sheet asked for, or NULL */
    const obs_csv_options *opts;
    void *ud;                /* the caller's, for opts' callbacks */
    obs_csv_result result;   /* the reader's part of the result: lines and title lines */
    char **sheet_name;       /* the caller's: set before the first record, so records have their place */
    obs_csv_record_fn emit;  /* where the sheet's records go: the caller, or the batches */
    void *emit_ud;
    /* Hand-over between the two threads (threaded mode). */
    GAsyncQueue *full, *free_q;
    xbatch *cur;
    gint stop;               /* the caller wants no more records */
} xreader;

/* ---- the file's size and hash (the manifest's promise) ------------------------------------------------ */

static obs_status hash_file(const char *path, obs_csv_result *res, obs_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return obs_error_set(err, OBS_ERR_NOINPUT, path, 0, 0, "no se puede abrir el archivo: %s; revise la ruta y "
                             "los permisos", obs_strerror(errno));
    EVP_MD_CTX *ck = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ck, EVP_sha256(), NULL);
    char *buf = g_malloc(HASH_CHUNK);
    ssize_t n;
    obs_status st = OBS_OK;
    while ((n = read(fd, buf, HASH_CHUNK)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            st = obs_error_set(err, OBS_ERR_NOINPUT, path, 0, 0, "error al leer el archivo: %s", obs_strerror(errno));
            break;
        }
        EVP_DigestUpdate(ck, buf, (size_t)n);
        res->bytes += (uint64_t)n;
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ck, md, &len);
    for (unsigned i = 0; i < len && i < 32; i++)
        g_snprintf(res->sha256 + 2 * i, 3, "%02x", md[i]);
    EVP_MD_CTX_free(ck);
    g_free(buf);
    close(fd);
    return st;
}

/* ---- batches --------------------------------------------------------------------------------------- */

static xbatch *batch_new(void)
{
    xbatch *b = g_new0(xbatch, 1);
    b->bytes = g_string_sized_new(BATCH_BYTES + 64 * 1024);
    b->fields = g_array_sized_new(FALSE, FALSE, sizeof(obs_csv_field), BATCH_RECORDS * 24);
    b->recs = g_array_sized_new(FALSE, FALSE, sizeof(obs_csv_record), BATCH_RECORDS);
    return b;
}

static void batch_free(xbatch *b)
{
    g_string_free(b->bytes, TRUE);
    g_array_free(b->fields, TRUE);
    g_array_free(b->recs, TRUE);
    g_free(b);
}

static void batch_reset(xbatch *b)
{
    g_string_truncate(b->bytes, 0);
    g_array_set_size(b->fields, 0);
    g_array_set_size(b->recs, 0);
    b->last = false;
}

/* Hands the current batch over (the last one with `last`) and takes an empty one. */
static void dispatch(xreader *xr, bool last)
{
    xr->cur->last = last;
    g_async_queue_push(xr->full, xr->cur);
    xr->cur = last ? NULL : g_async_queue_pop(xr->free_q);
    if (xr->cur)
        batch_reset(xr->cur);
}

/* On the reader's thread: a record of the sheet copied into the current batch. */
static bool batch_record(void *ud, const obs_csv_record *rec)
{
    xreader *xr = ud;
    if (g_atomic_int_get(&xr->stop))
        return false;
    xbatch *b = xr->cur;
    obs_csv_record copy = *rec;
    copy.fields = (const obs_csv_field *)(uintptr_t)b->fields->len;
    for (size_t i = 0; i < rec->nfields; i++) {
        obs_csv_field f = rec->fields[i];
        f.ptr = (const char *)(uintptr_t)b->bytes->len;
        g_string_append_len(b->bytes, rec->fields[i].ptr, rec->fields[i].len);
        g_string_append_c(b->bytes, '\0');
        g_array_append_val(b->fields, f);
    }
    g_array_append_val(b->recs, copy);
    if (b->recs->len >= BATCH_RECORDS || b->bytes->len >= BATCH_BYTES)
        dispatch(xr, false);
    return true;
}

/* On the caller's thread: the records of a batch handed to on_record; false once it wants no more. */
static bool deliver(xbatch *b, obs_csv_record_fn on_record, void *ud)
{
    obs_csv_field *f = (obs_csv_field *)(void *)b->fields->data;
    for (guint i = 0; i < b->fields->len; i++)
        f[i].ptr = b->bytes->str + (uintptr_t)f[i].ptr;
    obs_csv_record *r = (obs_csv_record *)(void *)b->recs->data;
    for (guint i = 0; i < b->recs->len; i++) {
        r[i].fields = f + (uintptr_t)r[i].fields;
        if (!on_record(ud, &r[i]))
            return false;
    }
    return true;
}

/* ---- the read ------------------------------------------------------------------------------------------- */

/* The container, the workbook's parts, then the sheet's records to xr->emit. */
static void read_workbook(xreader *xr)
{
    workbook *w = &xr->w;
    if (!xlsxr_open(w) || !xlsxr_read_book(w) || !xlsxr_read_strings_and_styles(w))
        return;
    const char *name = NULL;
    const char *part = xlsxr_sheet_part(w, xr->wanted, &name);
    if (!part)
        return;
    *xr->sheet_name = g_strdup(name);
    xlsxr_read_sheet(w, part, name, xr->opts, xr->ud, xr->emit, xr->emit_ud, &xr->result);
}

static gpointer reader_thread(gpointer data)
{
    xreader *xr = data;
    xr->cur = g_async_queue_pop(xr->free_q);
    batch_reset(xr->cur);
    read_workbook(xr);
    dispatch(xr, true);
    return NULL;
}

/* Threaded: the reader inflates and parses on its own thread while this one hashes the file and
 * then hands the batches of records on. */
static obs_status read_threaded(xreader *xr, const char *path, obs_csv_record_fn on_record, void *ud,
                                obs_csv_result *result, obs_error *err)
{
    xr->full = g_async_queue_new();
    xr->free_q = g_async_queue_new();
    for (int i = 0; i < BATCHES; i++)
        g_async_queue_push(xr->free_q, batch_new());
    xr->emit = batch_record;
    xr->emit_ud = xr;
    GThread *t = g_thread_new("observa-xlsx", reader_thread, xr);
    obs_status st = hash_file(path, result, err);
    bool go_on = st == OBS_OK;
    if (!go_on)
        g_atomic_int_set(&xr->stop, 1);
    for (;;) {
        xbatch *b = g_async_queue_pop(xr->full);
        bool last = b->last;
        if (go_on && !deliver(b, on_record, ud)) {
            go_on = false;
            g_atomic_int_set(&xr->stop, 1);
        }
        g_async_queue_push(xr->free_q, b);
        if (last)
            break;
    }
    g_thread_join(t);
    for (int i = 0; i < BATCHES; i++)
        batch_free(g_async_queue_pop(xr->free_q));
    g_async_queue_unref(xr->full);
    g_async_queue_unref(xr->free_q);
    return st;
}

static void workbook_clear(workbook *w)
{
    for (guint i = 0; i < w->sheets->len; i++) {
        sheet_ref *r = &g_array_index(w->sheets, sheet_ref, i);
        g_free(r->name);
        g_free(r->rid);
    }
    g_array_free(w->sheets, TRUE);
    g_hash_table_destroy(w->rels);
    g_free(w->shared_part);
    g_free(w->styles_part);
    g_string_free(w->shared, TRUE);
    g_array_free(w->shared_off, TRUE);
    g_array_free(w->date_style, TRUE);
    if (w->zip)
        zip_discard(w->zip);
}

obs_status obs_xlsx_read(const char *path, const char *sheet, const obs_csv_options *opts,
                         obs_csv_record_fn on_record, void *ud, obs_csv_result *result,
                         char **sheet_name, obs_error *err)
{
    static gsize xml_ready = 0;
    if (g_once_init_enter(&xml_ready)) {
        xmlInitParser(); /* once, before any thread parses */
        g_once_init_leave(&xml_ready, 1);
    }
    memset(result, 0, sizeof *result);
    result->encoding = OBS_ENC_UTF8;
    *sheet_name = NULL;
    xreader xr = {
        .w = {
            .path = path,
            .sheets = g_array_new(FALSE, TRUE, sizeof(sheet_ref)),
            .rels = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
            .shared = g_string_new(NULL),
            .shared_off = g_array_new(FALSE, FALSE, sizeof(uint64_t)),
            .date_style = g_array_new(FALSE, FALSE, sizeof(guint8)),
            .inflate_ahead = opts->threaded,
        },
        .wanted = sheet,
        .opts = opts,
        .ud = ud,
        .sheet_name = sheet_name,
    };
    obs_status st;
    if (opts->threaded) {
        st = read_threaded(&xr, path, on_record, ud, result, err);
    } else {
        xr.emit = on_record;
        xr.emit_ud = ud;
        st = hash_file(path, result, err);
        if (st == OBS_OK)
            read_workbook(&xr);
    }
    result->lines = xr.result.lines;
    result->title_lines = xr.result.title_lines;
    if (st == OBS_OK && xr.w.status != OBS_OK) {
        st = xr.w.status;
        if (err)
            *err = xr.w.err;
    }
    workbook_clear(&xr.w);
    return st;
}
