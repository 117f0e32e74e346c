/* csvread.c - streaming CSV reader over libcsv: lines, encodings, delimiters, limits, a reader thread.
 *
 * The reader (on its own thread when asked) reads the file, hashes it, splits it
 * into physical lines for line numbers, feeds libcsv and converts fields to UTF-8
 * into batches of records. The caller's thread takes the batches in order and
 * validates them, so the two halves of the work overlap on two cores while every
 * row is still seen in file order (which the repeated-folio rule needs).
 */
#include "csvread.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <string.h>
#include <unistd.h>

#define READ_CHUNK (256 * 1024)
#define DEFAULT_MAX_FIELD (64 * 1024)
#define DEFAULT_MAX_RECORD (1024 * 1024)
/* A batch is handed over when it holds this many records or bytes. */
#define BATCH_RECORDS 4096
#define BATCH_BYTES (1024 * 1024)
/* Batches in flight between the reader and the caller: bounds memory, keeps both busy. */
#define BATCHES 3
/* libcsv's state before any byte of a record has been seen. */
#define LIBCSV_ROW_NOT_BEGUN 0

typedef struct rec_meta {
    uint64_t line;
    size_t first;          /* index of the record's first field in the batch */
    size_t nfields;
    obs_csv_defect defect;
    unsigned bad_column;
    obs_encoding encoding;
} rec_meta;

typedef struct batch {
    char *bytes;           /* field bytes, each followed by a NUL */
    size_t nbytes, bcap;
    obs_csv_field *fields; /* while filling, ptr holds an offset into bytes */
    size_t nfields, fcap;
    rec_meta *recs;
    size_t nrecs, rcap;
    GPtrArray *raw;        /* the file's bytes read while filling (GBytes), hashed on delivery */
    bool last;             /* the end of the file: no more batches */
} batch;

typedef struct reader {
    int fd;
    const char *path;
    struct csv_parser parser;
    bool parser_ready;
    unsigned char csv_opts;
    char delimiter;
    obs_encoding enc;       /* AUTO until the first non-ASCII field decides */
    GIConv cp1252;          /* opened when needed */
    size_t max_field;
    size_t max_record;
    bool comments;

    batch *cur;             /* the batch being filled */
    size_t rec_first;       /* first field of the record being read */
    uint64_t line;          /* physical line being fed (1-based) */
    uint64_t rec_line;      /* line where the current record started */
    size_t rec_bytes;
    obs_csv_defect defect;
    unsigned bad_column;
    bool by_chunk;          /* whole chunks to libcsv (fast); else line by line (comments) */
    size_t fed_since_row;   /* bytes fed since the last row ended (record size limit) */
    uint64_t lf_fed;        /* line feeds in all the chunks fed so far */
    char last_byte;         /* of the file, to count a final line without LF */

    EVP_MD_CTX *sha;        /* used by the delivering (caller's) thread only */
    void (*select)(void *ud, const obs_csv_record *header, bool *keep);
    bool *keep;             /* per column, after the header; NULL = keep all */
    size_t nkeep;
    bool header_seen;
    obs_csv_result *result;
    obs_status status;
    obs_error err;          /* the reader's own error, copied to the caller's at the end */

    /* Hand-over between the two threads (threaded mode). */
    bool threaded;
    GAsyncQueue *full;      /* filled batches, in order */
    GAsyncQueue *free_q;    /* emptied batches to reuse */
    gint stop;              /* the caller wants no more records */

    /* Delivery (the caller's side). */
    obs_csv_record_fn on_record;
    void *ud;
    bool stopped;

    /* One part of a split read (see obs_csv_options). */
    uint64_t end, start, first_line;
    bool no_hash;
    obs_csv_handoff *handoff;
    bool past_end;          /* went on past end: no record ended there */
    bool hash_only;         /* stopped at end: the rest is only hashed */
} reader;

/* ---- the encoding hand-off between the parts of a split read ------------------------------------ */

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
static obs_encoding handoff_wait(obs_csv_handoff *h)
{
    g_mutex_lock(&h->lock);
    while (h->state == 0)
        g_cond_wait(&h->cond, &h->lock);
    obs_encoding enc = h->state == 1 ? h->enc : OBS_ENC_AUTO;
    g_mutex_unlock(&h->lock);
    return enc;
}

/* The first part of a split read announces its encoding as soon as it is known. */
static void announce_encoding(reader *r)
{
    if (r->end && r->handoff && r->enc != OBS_ENC_AUTO)
        handoff_set(r->handoff, 1, r->enc);
}

/* ---- batches ---------------------------------------------------------------------------------- */

static batch *batch_new(void)
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

static void batch_free(batch *b)
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

static inline char *batch_reserve(batch *b, size_t n)
{
    if (b->nbytes + n > b->bcap) {
        b->bcap = MAX(b->bcap * 2, b->nbytes + n);
        b->bytes = g_realloc(b->bytes, b->bcap);
    }
    return b->bytes + b->nbytes;
}

static inline void batch_add_field(batch *b, size_t off, size_t len)
{
    if (b->nfields == b->fcap) {
        b->fcap *= 2;
        b->fields = g_renew(obs_csv_field, b->fields, b->fcap);
    }
    b->fields[b->nfields].ptr = (const char *)(uintptr_t)off;
    b->fields[b->nfields].len = len;
    b->nfields++;
}

/* Turns the offsets into pointers: the bytes no longer move. */
static void batch_seal(batch *b)
{
    for (size_t i = 0; i < b->nfields; i++)
        b->fields[i].ptr = b->bytes + (uintptr_t)b->fields[i].ptr;
}

/* ---- delivery ---------------------------------------------------------------------------------- */

/* Calls on_record for every record of a sealed batch (the caller's thread). */
static void deliver(reader *r, const batch *b)
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
            .bad_column = m->bad_column,
            .encoding = m->encoding,
        };
        if (!r->on_record(r->ud, &rec)) {
            r->stopped = true;
            g_atomic_int_set(&r->stop, 1);
        }
    }
}

/* Hands a full batch over and gets an empty one. */
static void dispatch(reader *r, bool last)
{
    batch *b = r->cur;
    b->last = last;
    batch_seal(b);
    if (r->threaded) {
        g_async_queue_push(r->full, b);
        r->cur = last ? NULL : g_async_queue_pop(r->free_q);
    } else {
        deliver(r, b);
        batch_reset(b);
    }
    if (r->cur)
        batch_reset(r->cur);
    r->rec_first = 0;
}

static void clear_record(reader *r)
{
    /* Drop the fields of a record that was not finished. */
    batch *b = r->cur;
    if (b->nfields > r->rec_first) {
        b->nbytes = b->nfields ? (uintptr_t)b->fields[r->rec_first].ptr : 0;
        b->nfields = r->rec_first;
    }
    r->rec_bytes = 0;
    r->defect = OBS_CSV_OK;
    r->bad_column = 0;
}

/* Asks the caller which columns to keep, from the header just read. */
static void choose_columns(reader *r, const rec_meta *m)
{
    if (!r->select || m->defect != OBS_CSV_OK)
        return;
    batch *b = r->cur;
    obs_csv_field *hdr = g_new(obs_csv_field, m->nfields ? m->nfields : 1);
    for (size_t i = 0; i < m->nfields; i++) {
        hdr[i].ptr = b->bytes + (uintptr_t)b->fields[m->first + i].ptr;
        hdr[i].len = b->fields[m->first + i].len;
    }
    obs_csv_record rec = {.line = m->line, .nfields = m->nfields, .fields = hdr, .encoding = m->encoding};
    r->nkeep = m->nfields;
    r->keep = g_new0(bool, r->nkeep ? r->nkeep : 1);
    r->select(r->ud, &rec, r->keep);
    g_free(hdr);
}

static void emit_record(reader *r)
{
    batch *b = r->cur;
    if (b->nrecs == b->rcap) {
        b->rcap *= 2;
        b->recs = g_renew(rec_meta, b->recs, b->rcap);
    }
    b->recs[b->nrecs++] = (rec_meta){
        .line = r->rec_line,
        .first = r->rec_first,
        .nfields = b->nfields - r->rec_first,
        .defect = r->defect,
        .bad_column = r->bad_column,
        .encoding = r->enc,
    };
    r->rec_first = b->nfields;
    r->rec_bytes = 0;
    r->defect = OBS_CSV_OK;
    r->bad_column = 0;
    if (!r->header_seen) {
        r->header_seen = true;
        choose_columns(r, &b->recs[b->nrecs - 1]);
    }
    if (b->nrecs >= BATCH_RECORDS || b->nbytes >= BATCH_BYTES)
        dispatch(r, false);
}

/* ---- libcsv callbacks -------------------------------------------------------------------------- */

static int space_only(unsigned char c)
{
    /* libcsv's default also treats TAB as space, which breaks TAB-delimited files. */
    return c == ' ';
}

static void parser_reset(reader *r)
{
    if (r->parser_ready)
        csv_free(&r->parser);
    csv_init(&r->parser, r->csv_opts);
    csv_set_delim(&r->parser, (unsigned char)r->delimiter);
    /* The default space test is inlined by libcsv; a function costs a call per byte. */
    if (r->delimiter == '\t')
        csv_set_space_func(&r->parser, space_only);
    r->parser_ready = true;
}

static void set_defect(reader *r, obs_csv_defect d, unsigned column)
{
    if (r->defect == OBS_CSV_OK) {
        r->defect = d;
        r->bad_column = column;
    }
}

/* What a field's bytes contain, found in the same pass that copies them. */
enum { SCAN_HIGH = 1, SCAN_NUL = 2, SCAN_LF = 4 };

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL
/* Non-zero when some byte of v is zero (the classic SWAR test). */
#define HAS_ZERO(v) (((v) - ONES) & ~(v) & HIGHS)

/*
 * Copies a field to dst (which has room for len + 8 bytes) eight bytes at a time while
 * looking for non-ASCII bytes, NULs and line feeds: one pass instead of four.
 */
static unsigned copy_scan(char *dst, const char *s, size_t len)
{
    uint64_t high = 0, nul = 0, lf = 0;
    if (len < 8) {
        /* Most fields are short (claves, codes, "no"): a byte loop without branches. */
        unsigned orv = 0, z = 0, l = 0;
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)s[i];
            dst[i] = (char)c;
            orv |= c;
            z |= c == 0;
            l |= c == '\n';
        }
        return ((orv & 0x80) ? SCAN_HIGH : 0) | (z ? SCAN_NUL : 0) | (l ? SCAN_LF : 0);
    }
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        memcpy(dst + i, &w, 8);
        high |= w;
        nul |= HAS_ZERO(w);
        lf |= HAS_ZERO(w ^ (ONES * '\n'));
    }
    if (i < len) {
        /* The last eight bytes, overlapping what was already seen: no partial word. */
        uint64_t w;
        memcpy(&w, s + len - 8, 8);
        memcpy(dst + len - 8, &w, 8);
        high |= w;
        nul |= HAS_ZERO(w);
        lf |= HAS_ZERO(w ^ (ONES * '\n'));
    }
    return ((high & HIGHS) ? SCAN_HIGH : 0) | (nul ? SCAN_NUL : 0) | (lf ? SCAN_LF : 0);
}

/* Appends CP1252 bytes converted to UTF-8 at dst; returns the UTF-8 length or -1. */
static gssize convert_cp1252(reader *r, const char *s, size_t len, char *dst)
{
    if (r->cp1252 == (GIConv)-1 || !r->cp1252)
        return -1;
    gchar *in = (gchar *)s;
    gsize inleft = len;
    gchar *out = dst;
    gsize outleft = len * 3 + 1;
    g_iconv(r->cp1252, NULL, NULL, NULL, NULL);
    gsize rc = g_iconv(r->cp1252, &in, &inleft, &out, &outleft);
    if (rc == (gsize)-1 || inleft != 0)
        return -1;
    return out - dst;
}

static void on_field(void *data, size_t len, void *ud)
{
    reader *r = ud;
    batch *b = r->cur;
    const char *s = data ? data : "";
    unsigned column = (unsigned)(b->nfields - r->rec_first) + 1;
    size_t off = b->nbytes;
    if (r->keep && (column > r->nkeep || !r->keep[column - 1])) {
        /* A column the caller does not read: count it and its line breaks, never copy it. */
        if (r->by_chunk)
            for (const char *q = memchr(s, '\n', len); q; q = memchr(q + 1, '\n', len - (size_t)(q + 1 - s)))
                r->line++;
        *batch_reserve(b, 1) = '\0';
        b->nbytes++;
        batch_add_field(b, off, 0);
        return;
    }
    if (len > r->max_field) {
        set_defect(r, OBS_CSV_FIELD_TOO_LONG, column);
        *batch_reserve(b, 1) = '\0';
        b->nbytes++;
        batch_add_field(b, off, 0);
        return;
    }
    char *dst = batch_reserve(b, len * 3 + 9);
    unsigned flags = copy_scan(dst, s, len);
    size_t out_len = len;
    if (flags & SCAN_LF && r->by_chunk) {
        /* A quoted field spanning lines: its line breaks are physical lines too. */
        for (size_t i = 0; i < len; i++)
            r->line += s[i] == '\n';
    }
    if (flags & SCAN_NUL) {
        set_defect(r, OBS_CSV_BAD_BYTES, column);
        out_len = 0;
    } else if (flags & SCAN_HIGH) {
        if (r->enc == OBS_ENC_AUTO) {
            /* The first non-ASCII text decides the file's encoding (data contract §1). A later
             * part of a split read takes the first part's decision if it made one. */
            if (r->start && r->handoff)
                r->enc = handoff_wait(r->handoff);
            if (r->enc == OBS_ENC_AUTO)
                r->enc = g_utf8_validate_len(s, len, NULL) ? OBS_ENC_UTF8 : OBS_ENC_CP1252;
            if (r->enc == OBS_ENC_CP1252 && !r->cp1252)
                r->cp1252 = g_iconv_open("UTF-8", "WINDOWS-1252");
            announce_encoding(r);
        }
        gssize n = -1;
        if (r->enc == OBS_ENC_UTF8)
            n = g_utf8_validate_len(s, len, NULL) ? (gssize)len : -1; /* already copied */
        else
            n = convert_cp1252(r, s, len, dst);
        if (n < 0) {
            set_defect(r, OBS_CSV_BAD_BYTES, column);
            n = 0;
        }
        out_len = (size_t)n;
    }
    dst[out_len] = '\0';
    b->nbytes += out_len + 1;
    batch_add_field(b, off, out_len);
}

static void on_row(int c, void *ud)
{
    reader *r = ud;
    if (!r->by_chunk) {
        emit_record(r);
        return;
    }
    /* Whole chunks are fed with CSV_REPALL_NL: every unquoted CR or LF ends a (maybe empty)
     * row, so LFs count physical lines and empty rows (blank lines, the LF of a CRLF) are no records. */
    bool record = r->cur->nfields > r->rec_first || r->defect != OBS_CSV_OK;
    if (record)
        emit_record(r);
    if (c == '\n') {
        r->line++;
        r->rec_line = r->line;
    } else if (!record) {
        r->rec_line = r->line;
    }
    r->fed_since_row = 0;
}

/* Picks the delimiter that occurs most often outside quotes in the first line. */
static char detect_delimiter(const char *s, size_t len)
{
    size_t comma = 0, semi = 0, tab = 0;
    bool quoted = false;
    for (size_t i = 0; i < len && (quoted || (s[i] != '\n' && s[i] != '\r')); i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted && s[i] == ',')
            comma++;
        else if (!quoted && s[i] == ';')
            semi++;
        else if (!quoted && s[i] == '\t')
            tab++;
    }
    if (semi > comma && semi >= tab)
        return ';';
    if (tab > comma && tab > semi)
        return '\t';
    return ',';
}

/* Feeds one piece of a physical line (ending with '\n' or not) to libcsv. */
static void feed(reader *r, const char *s, size_t len, bool *skip_to_eol)
{
    if (*skip_to_eol)
        return;
    r->rec_bytes += len;
    if (r->rec_bytes > r->max_record) {
        clear_record(r);
        set_defect(r, OBS_CSV_TOO_LONG, 0);
        emit_record(r);
        parser_reset(r);
        *skip_to_eol = true;
        return;
    }
    size_t n = csv_parse(&r->parser, s, len, on_field, on_row, r);
    if (n != len) {
        obs_csv_defect d = csv_error(&r->parser) == CSV_EPARSE ? OBS_CSV_MALFORMED : OBS_CSV_TOO_LONG;
        clear_record(r);
        set_defect(r, d, 0);
        emit_record(r);
        parser_reset(r);
        *skip_to_eol = true;
    }
}

/*
 * Line feeds in s[0..len), eight bytes at a time: each word gives 0 or 1 per byte lane, the lanes
 * are summed for up to 255 words (no lane can overflow), then folded to one count. No popcount:
 * baseline x86-64 has no instruction for it and the library call costs more than the scan.
 */
static uint64_t count_lf(const char *s, size_t len)
{
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;
    const uint64_t even = 0x00FF00FF00FF00FFULL;
    uint64_t n = 0;
    size_t i = 0;
    while (len - i >= 8) {
        uint64_t lanes = 0;
        size_t words = MIN((len - i) / 8, (size_t)255);
        for (size_t k = 0; k < words; k++, i += 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            uint64_t t = w ^ (ONES * '\n');
            lanes += ~(((t & low7) + low7) | t | low7) >> 7; /* 1 in each LF byte's lane */
        }
        uint64_t pairs = (lanes & even) + ((lanes >> 8) & even); /* four 16-bit sums <= 510 */
        n += (pairs * 0x0001000100010001ULL) >> 48;
    }
    for (; i < len; i++)
        n += s[i] == '\n';
    return n;
}

/* Skips to just after the next LF of p[0..len), counting it; returns the bytes skipped. */
static size_t skip_line(reader *r, const char *p, size_t len, bool *skipping)
{
    const char *nl = memchr(p, '\n', len);
    if (!nl) {
        *skipping = true;
        return len;
    }
    *skipping = false;
    r->line++;
    r->rec_line = r->line;
    return (size_t)(nl - p) + 1;
}

/*
 * Feeds a whole chunk to libcsv. On a quote error libcsv stops at the offending
 * byte: the record is reported, the parser restarts and reading resumes on the
 * next line. A record that grows past the size limit (an unclosed quote) is cut
 * the same way, so libcsv's buffer never grows past about the limit.
 */
static void feed_chunk(reader *r, const char *p, size_t len, bool *skipping)
{
    /* The line feeds before each byte of the chunk are known cheaply: when a record is cut,
     * the line count is set from them (the cut record's own line breaks were never seen). */
    const char *chunk = p;
    uint64_t lf_base = r->lf_fed;
    r->lf_fed += count_lf(p, len);
    while (len > 0) {
        if (*skipping) {
            size_t n = skip_line(r, p, len, skipping);
            p += n;
            len -= n;
            continue;
        }
        size_t n = csv_parse(&r->parser, p, len, on_field, on_row, r);
        r->fed_since_row += n;
        if (n == len && r->fed_since_row <= r->max_record)
            return;
        obs_csv_defect d = n != len ? (csv_error(&r->parser) == CSV_EPARSE ? OBS_CSV_MALFORMED : OBS_CSV_TOO_LONG)
                                    : OBS_CSV_TOO_LONG;
        clear_record(r);
        set_defect(r, d, 0);
        emit_record(r);
        parser_reset(r);
        r->fed_since_row = 0;
        p += n;
        len -= n;
        r->line = 1 + lf_base + count_lf(chunk, (size_t)(p - chunk));
        r->rec_line = r->line;
        *skipping = true;
    }
}

static bool line_starts_record(const reader *r)
{
    return r->parser.pstate == LIBCSV_ROW_NOT_BEGUN && r->cur->nfields == r->rec_first;
}

/*
 * A later part of a split read: parses the header record at the top of the first chunk, then
 * moves the file to start, where lines are counted from first_line. False if the header does
 * not end within the chunk and before start (the caller then reads the file another way).
 * Fed a byte at a time, so parsing stops right where the header record ends: a lone CR ends a
 * record too, and what follows it on the line belongs to the first part.
 */
static bool header_then_start(reader *r, const char *p, size_t left, uint64_t p_off, bool *skip_to_eol)
{
    while (left > 0 && !r->header_seen) {
        feed_chunk(r, p, 1, skip_to_eol);
        p++;
        left--;
        p_off++;
    }
    if (!r->header_seen || p_off > r->start || lseek(r->fd, (off_t)r->start, SEEK_SET) < 0)
        return false;
    r->line = r->rec_line = r->first_line ? r->first_line : 1;
    r->lf_fed = r->line - 1;
    r->fed_since_row = 0;
    *skip_to_eol = false; /* a defective header fails the whole read anyway */
    return true;
}

/*
 * The first part of a split read at its end: if a record ended exactly there, parsing stops and
 * the rest of the file is only hashed; otherwise the part goes on as a whole read would.
 */
static void feed_up_to_end(reader *r, const char *p, size_t left, uint64_t p_off, bool *skip_to_eol)
{
    if (!r->end || r->past_end || p_off + left < r->end) {
        feed_chunk(r, p, left, skip_to_eol);
        return;
    }
    size_t upto = r->end > p_off ? (size_t)(r->end - p_off) : 0;
    feed_chunk(r, p, upto, skip_to_eol);
    if (!*skip_to_eol && line_starts_record(r)) {
        r->hash_only = true;
        r->result->stopped_at_end = true;
        r->result->end_line = r->line;
        obs_csv_handoff_finish(r->handoff);
        return;
    }
    r->past_end = true;
    feed_chunk(r, p + upto, left - upto, skip_to_eol);
}

/* The whole read: bytes, hash, lines, libcsv, batches. Runs on the reader thread when threaded. */
static void read_all(reader *r)
{
    obs_csv_result *res = r->result;
    char *chunk = g_malloc(READ_CHUNK);
    /* Each chunk's bytes travel with the batch being filled, to be hashed on delivery. */
    bool first = true, at_line_start = true, skip_to_eol = false, skip_comment = false;
    uint64_t chunk_off = 0; /* file offset of the chunk */
    for (;;) {
        if (g_atomic_int_get(&r->stop))
            break;
        if (!chunk)
            chunk = g_malloc(READ_CHUNK);
        ssize_t got = read(r->fd, chunk, READ_CHUNK);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            r->status = obs_error_set(&r->err, OBS_ERR_NOINPUT, r->path, 0, 0,
                                      "error al leer el archivo: %s", g_strerror(errno));
            break;
        }
        if (got == 0)
            break;
        res->bytes += (uint64_t)got;
        if (r->hash_only) {
            /* Not parsed: this part stopped at its end (the batches before are delivered). */
            if (!r->no_hash)
                EVP_DigestUpdate(r->sha, chunk, (size_t)got);
            r->last_byte = chunk[got - 1];
            chunk_off += (uint64_t)got;
            continue;
        }
        r->last_byte = chunk[got - 1];
        const char *p = chunk;
        size_t left = (size_t)got;
        if (first) {
            first = false;
            if (memchr(chunk, '\0', left)) {
                res->binary = true;
                r->status = obs_error_set(&r->err, OBS_ERR_DATA, r->path, 0, 0,
                                          "el archivo contiene bytes nulos: no parece un archivo CSV de "
                                          "texto; expórtelo de nuevo como CSV");
                break;
            }
            if (left >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
                res->bom = true;
                p += 3;
                left -= 3;
                if (r->enc == OBS_ENC_AUTO)
                    r->enc = OBS_ENC_UTF8;
            }
            if (!r->delimiter)
                r->delimiter = detect_delimiter(p, left);
            announce_encoding(r);
            parser_reset(r);
            if (r->start) {
                if (!header_then_start(r, p, left, chunk_off + (uint64_t)(p - chunk), &skip_to_eol)) {
                    r->status = obs_error_set(&r->err, OBS_ERR_DATA, r->path, 0, 0,
                                              "el encabezado no cabe antes de la parte que se lee");
                    break;
                }
                chunk_off = r->start;
                continue; /* the chunk is read again from start */
            }
        }
        if (r->by_chunk)
            feed_up_to_end(r, p, left, chunk_off + (uint64_t)(p - chunk), &skip_to_eol);
        while (!r->by_chunk && left > 0) {
            const char *nl = memchr(p, '\n', left);
            size_t seg = nl ? (size_t)(nl - p) + 1 : left;
            if (at_line_start && line_starts_record(r)) {
                r->rec_line = r->line;
                skip_comment = r->comments && p[0] == '#';
            }
            if (!skip_comment)
                feed(r, p, seg, &skip_to_eol);
            p += seg;
            left -= seg;
            at_line_start = nl != NULL;
            if (nl) {
                r->line++;
                skip_to_eol = false;
                skip_comment = false;
            }
        }
        /* Parsed: the chunk now goes with the current batch (batches are delivered in order,
         * so the hash sees the chunks in file order). It must not go earlier: a batch can be
         * delivered, and its chunks freed, while this chunk is still being parsed. */
        g_ptr_array_add(r->cur->raw, g_bytes_new_take(chunk, (gsize)got));
        chunk = NULL;
        chunk_off += (uint64_t)got;
        if (r->hash_only)
            dispatch(r, false); /* hashes every chunk so far, before the rest is hashed directly */
    }
    g_free(chunk);
    if (r->status == OBS_OK && r->parser_ready && !r->hash_only && !g_atomic_int_get(&r->stop)) {
        if (csv_fini(&r->parser, on_field, on_row, r) != 0) {
            clear_record(r);
            set_defect(r, OBS_CSV_UNTERMINATED, 0);
            emit_record(r);
        } else if (r->cur->nfields > r->rec_first) {
            emit_record(r);
        }
    }
    if (r->by_chunk)
        res->lines = r->line - (res->bytes > 0 && r->last_byte == '\n' ? 1 : 0);
    else
        res->lines = at_line_start ? r->line - 1 : r->line;
    dispatch(r, true);
}

static gpointer reader_thread(gpointer data)
{
    read_all(data);
    return NULL;
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
                             g_strerror(errno));
    reader r = {
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
        .result = result,
        .threaded = opts->threaded,
        .on_record = on_record,
        .ud = ud,
        .select = opts->select,
        .end = opts->comments ? 0 : opts->end,
        .start = opts->comments ? 0 : opts->start,
        .first_line = opts->first_line,
        .no_hash = opts->no_hash,
        .handoff = opts->handoff,
    };
    if (r.end || r.handoff)
        r.threaded = false; /* the parts read at once run on their own threads already */
    announce_encoding(&r);
    if (r.enc == OBS_ENC_CP1252)
        r.cp1252 = g_iconv_open("UTF-8", "WINDOWS-1252");
    /* OpenSSL's SHA-256 runs at about 1.8 GB/s with SHA-NI, GLib's at about 0.4 GB/s: on large
     * exports GLib's would cost as much as parsing them. */
    r.sha = EVP_MD_CTX_new();
    EVP_DigestInit_ex(r.sha, EVP_sha256(), NULL);
    batch *all[BATCHES] = {0};
    if (r.threaded) {
        r.full = g_async_queue_new();
        r.free_q = g_async_queue_new();
        for (int i = 1; i < BATCHES; i++) {
            all[i] = batch_new();
            g_async_queue_push(r.free_q, all[i]);
        }
    }
    all[0] = r.cur = batch_new();
    if (r.threaded) {
        GThread *t = g_thread_new("observa-lectura", reader_thread, &r);
        for (;;) {
            batch *b = g_async_queue_pop(r.full);
            deliver(&r, b);
            bool last = b->last;
            if (!last)
                g_async_queue_push(r.free_q, b);
            if (last)
                break;
        }
        g_thread_join(t);
    } else {
        read_all(&r);
    }
    if (r.end)
        obs_csv_handoff_finish(r.handoff); /* ended undecided (or failed): the next part decides */
    if (r.status != OBS_OK && err)
        *err = r.err;
    result->encoding = r.enc;
    result->delimiter = r.delimiter ? r.delimiter : ',';
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_DigestFinal_ex(r.sha, md, &mdlen);
    for (unsigned i = 0; i < mdlen && i < 32; i++)
        g_snprintf(result->sha256 + 2 * i, 3, "%02x", md[i]);
    EVP_MD_CTX_free(r.sha);
    if (r.parser_ready)
        csv_free(&r.parser);
    if (r.cp1252 && r.cp1252 != (GIConv)-1)
        g_iconv_close(r.cp1252);
    for (int i = 0; i < BATCHES; i++)
        batch_free(all[i]);
    g_free(r.keep);
    if (r.threaded) {
        g_async_queue_unref(r.full);
        g_async_queue_unref(r.free_q);
    }
    close(fd);
    return r.status;
}
