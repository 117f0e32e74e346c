/* csv_source.c - the file: opened, read by offset in chunks, hashed; the reader thread; obs_csv_read(). */
#include "ingest/csv_reader_int.h"

#include <fcntl.h>
#include <string.h>

#define DEFAULT_MAX_FIELD (64 * 1024)
#define DEFAULT_MAX_RECORD (1024 * 1024)
/* Batches in flight between the reader and the caller: bounds memory, keeps both busy. */
#define BATCHES 3

/* ---- reading ------------------------------------------------------------------------------------- */

/* Hands the bytes of a chunk not yet hashed to the hash, through the current batch (batches
 * are delivered in order, so the hash sees the file in order). */
static void attach_for_hash(reader *r, GBytes *raw, uint64_t off)
{
    gsize n = g_bytes_get_size(raw);
    if (r->no_hash || off + n <= r->hashed_upto)
        return;
    gsize from = r->hashed_upto > off ? (gsize)(r->hashed_upto - off) : 0;
    g_ptr_array_add(r->cur->raw, from ? g_bytes_new_from_bytes(raw, from, n - from) : g_bytes_ref(raw));
    r->hashed_upto = off + n;
}

/* The whole read of an export: bytes, hash, lines, libcsv, batches. On the reader thread when threaded. */
static void read_chunks(reader *r)
{
    obs_csv_result *res = r->result;
    bool first = true;
    for (;;) {
        if (g_atomic_int_get(&r->stop))
            break;
        char *chunk = g_malloc(READ_CHUNK);
        ssize_t got = read_at(r, chunk, READ_CHUNK, r->pos);
        if (got <= 0) {
            g_free(chunk);
            if (got < 0) {
                r->status = obs_error_set(&r->err, OBS_ERR_NOINPUT, r->path, 0, 0,
                                          "error al leer el archivo: %s", obs_strerror(errno));
                break;
            }
            if (csvr_finish(r))
                continue;
            break;
        }
        uint64_t off = r->pos;
        r->pos += (uint64_t)got;
        res->bytes = MAX(res->bytes, r->pos);
        r->last_byte = chunk[got - 1];
        GBytes *raw = g_bytes_new_take(chunk, (gsize)got);
        bool go_on = r->hash_only || csvr_parse_chunk(r, g_bytes_get_data(raw, NULL), (size_t)got, off, &first);
        /* Parsed: the chunk now goes with the current batch. Not earlier: its batch could then be
         * hashed before the chunks of the batches still being filled. */
        attach_for_hash(r, raw, off);
        g_bytes_unref(raw);
        if (!go_on)
            break;
        if (r->hash_only)
            csvr_dispatch(r, false); /* hashes every chunk so far */
        if (r->rewind)
            csvr_apply_rewind(r);
    }
    res->lines = r->line - (res->bytes > 0 && r->last_byte == r->eol ? 1 : 0);
    csvr_dispatch(r, true);
}

/* A catalogue: read line by line, comment lines skipped. */
static void read_lines(reader *r)
{
    obs_csv_result *res = r->result;
    char *chunk = g_malloc(READ_CHUNK);
    bool first = true, at_line_start = true, skip_comment = false;
    for (;;) {
        ssize_t got = read_at(r, chunk, READ_CHUNK, r->pos);
        if (got < 0) {
            r->status = obs_error_set(&r->err, OBS_ERR_NOINPUT, r->path, 0, 0,
                                      "error al leer el archivo: %s", obs_strerror(errno));
            break;
        }
        if (got == 0)
            break;
        r->pos += (uint64_t)got;
        res->bytes += (uint64_t)got;
        if (!r->no_hash)
            EVP_DigestUpdate(r->sha, chunk, (size_t)got);
        const char *p = chunk;
        size_t left = (size_t)got;
        if (first) {
            first = false;
            ssize_t skip = csvr_first_chunk(r, chunk, left);
            if (skip < 0)
                break;
            p += skip;
            left -= (size_t)skip;
            if (!r->delimiter)
                r->delimiter = csvr_detect_delimiter(p, left);
            csvr_parser_reset(r);
        }
        while (left > 0) {
            const char *nl = memchr(p, '\n', left);
            size_t seg = nl ? (size_t)(nl - p) + 1 : left;
            if (at_line_start && csvr_line_starts_record(r)) {
                r->rec_line = r->line;
                skip_comment = r->comments && p[0] == '#';
            }
            if (!skip_comment)
                csvr_feed(r, p, seg);
            p += seg;
            left -= seg;
            at_line_start = nl != NULL;
            if (nl) {
                r->line++;
                r->skip_to_eol = false;
                skip_comment = false;
            }
        }
    }
    g_free(chunk);
    if (r->status == OBS_OK && r->parser_ready) {
        if (csv_fini(&r->parser, csvr_on_field, csvr_on_row, r) != 0) {
            csvr_clear_record(r);
            csvr_set_defect(r, OBS_CSV_UNTERMINATED);
            csvr_emit_record(r);
        } else if (r->cur->nfields > r->rec_first) {
            csvr_emit_record(r);
        }
    }
    res->lines = at_line_start ? r->line - 1 : r->line;
    csvr_dispatch(r, true);
}

/* ---- obs_csv_read() -------------------------------------------------------------------------------- */

static gpointer reader_thread(gpointer data)
{
    read_chunks(data);
    return NULL;
}

/* The reader's state for one read, from the options. */
static void reader_init(reader *r, int fd, const char *path, const obs_csv_options *opts,
                        obs_csv_record_fn on_record, void *ud, obs_csv_result *result)
{
    *r = (reader){
        .fd = fd,
        .path = path,
        .csv_opts = CSV_STRICT | CSV_STRICT_FINI | (opts->comments ? 0 : CSV_REPALL_NL),
        .by_chunk = !opts->comments,
        .delimiter = opts->delimiter,
        .enc = opts->encoding,
        .max_field = opts->max_field ? opts->max_field : DEFAULT_MAX_FIELD,
        .max_record = opts->max_record ? opts->max_record : DEFAULT_MAX_RECORD,
        .comments = opts->comments,
        .line = 1,
        .rec_line = 1,
        .line_empty = true,
        .seekable = lseek(fd, 0, SEEK_CUR) >= 0,
        .origin_line = 1,
        .eol = '\n',
        .result = result,
        .threaded = opts->threaded && !opts->comments,
        .on_record = on_record,
        .ud = ud,
        .select = opts->select,
        .header_score = opts->comments ? NULL : opts->header_score,
        .end = opts->comments ? 0 : opts->end,
        .start = opts->comments ? 0 : opts->start,
        .first_line = opts->first_line,
        .no_hash = opts->no_hash,
        .handoff = opts->handoff,
    };
    if (r->end || r->handoff)
        r->threaded = false; /* the parts read at once run on their own threads already */
}

/* Reads on the reader thread into batches that this (the caller's) thread delivers in order. */
static void read_threaded(reader *r, batch *all[BATCHES])
{
    r->full = g_async_queue_new();
    r->free_q = g_async_queue_new();
    for (int i = 1; i < BATCHES; i++) {
        all[i] = csvr_batch_new();
        g_async_queue_push(r->free_q, all[i]);
    }
    all[0] = r->cur = csvr_batch_new();
    GThread *t = g_thread_new("observa-lectura", reader_thread, r);
    for (;;) {
        batch *b = g_async_queue_pop(r->full);
        csvr_deliver(r, b);
        bool last = b->last;
        if (!last)
            g_async_queue_push(r->free_q, b);
        if (last)
            break;
    }
    g_thread_join(t);
}

/* What the read found, into result (the hash finished), and the reader's resources freed. */
static void reader_done(reader *r, obs_csv_result *result, batch *all[BATCHES])
{
    result->encoding = r->enc;
    result->delimiter = r->delimiter ? r->delimiter : ',';
    result->title_lines = r->title_lines;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_DigestFinal_ex(r->sha, md, &mdlen);
    for (unsigned i = 0; i < mdlen && i < 32; i++)
        g_snprintf(result->sha256 + 2 * i, 3, "%02x", md[i]);
    EVP_MD_CTX_free(r->sha);
    if (r->parser_ready)
        csv_free(&r->parser);
    if (r->cp1252 && r->cp1252 != (GIConv)-1)
        g_iconv_close(r->cp1252);
    for (int i = 0; i < BATCHES; i++)
        csvr_batch_free(all[i]);
    g_free(r->layout.keep);
    g_free(r->xlat);
    g_free(r->scratch);
    if (r->threaded) {
        g_async_queue_unref(r->full);
        g_async_queue_unref(r->free_q);
    }
}

obs_status obs_csv_read(const char *path, const obs_csv_options *opts,
                        obs_csv_record_fn on_record, void *ud,
                        obs_csv_result *result, obs_error *err)
{
    memset(result, 0, sizeof *result);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return obs_error_set(err, OBS_ERR_NOINPUT, path, 0, 0,
                             "no se puede abrir el archivo: %s; revise la ruta y los permisos",
                             obs_strerror(errno));
    reader r;
    reader_init(&r, fd, path, opts, on_record, ud, result);
    if ((r.start || r.end) && !r.seekable) {
        close(fd);
        return obs_error_set(err, OBS_ERR_NOINPUT, path, 0, 0,
                             "no se puede leer por partes: el archivo no admite lectura por posición");
    }
    csvr_announce_encoding(&r);
    if (r.enc == OBS_ENC_CP1252)
        r.cp1252 = g_iconv_open("UTF-8", "WINDOWS-1252");
    /* OpenSSL's SHA-256 runs at about 1.8 GB/s with SHA-NI, GLib's at about 0.4 GB/s: on large
     * exports GLib's would cost as much as parsing them. */
    r.sha = EVP_MD_CTX_new();
    EVP_DigestInit_ex(r.sha, EVP_sha256(), NULL);
    batch *all[BATCHES] = {0};
    if (r.threaded) {
        read_threaded(&r, all);
    } else {
        all[0] = r.cur = csvr_batch_new();
        if (r.by_chunk)
            read_chunks(&r);
        else
            read_lines(&r);
    }
    if (r.end)
        obs_csv_handoff_finish(r.handoff); /* ended undecided (or failed): the next part decides */
    if (r.status != OBS_OK && err)
        *err = r.err;
    reader_done(&r, result, all);
    close(fd);
    return r.status;
}
