/* csvread.c - streaming CSV reader over libcsv: lines, encodings, delimiters, limits, re-reading, a reader thread.
 *
 * The reader (on its own thread when asked) reads the file, hashes it, splits it
 * into physical lines for line numbers, feeds libcsv and converts fields to UTF-8
 * into batches of records. The caller's thread takes the batches in order and
 * validates them, so the two halves of the work overlap on two cores while every
 * row is still seen in file order (which the repeated-folio rule needs).
 *
 * The file is read by offset (pread): when a record fails, the reader goes back to the line
 * where it started, reads that line alone with its quotes as text, and goes on from the next
 * line, so a stray quote never swallows the lines after it (data contract §1).
 */
#include "ingest/csvread_int.h"

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
/* Lines looked at for the header: up to 10 title lines, then the header (data contract §1). */
#define HEADER_CANDIDATES 11
/* A first chunk with more NUL bytes than this share (1/n) is not text. */
#define NUL_SHARE 10

/* Record flags kept while the record is read. */
enum { REC_QUOTE_AS_TEXT = 1 };

typedef struct rec_meta {
    uint64_t line;
    size_t first;          /* index of the record's first field in the batch */
    size_t nfields;
    obs_csv_defect defect;
    obs_encoding encoding;
    unsigned flags;        /* REC_* */
    uint32_t field_flags;  /* OR of the fields' OBS_CSV_F_* */
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
    unsigned rec_flags;     /* REC_* of the record being read */
    uint32_t rec_field_flags; /* OR of its fields' OBS_CSV_F_* */
    bool rec_multiline;     /* the record being read has a line break inside a field */
    bool line_empty;        /* nothing seen yet on the current physical line */
    bool by_chunk;          /* whole chunks to libcsv (fast); else line by line (comments) */
    size_t fed_since_row;   /* bytes fed since the last row ended (record size limit) */
    uint64_t lf_fed;        /* line ends before the next byte fed, counted from origin_line - 1 */
    char last_byte;         /* of the file, to count a final line without a line end */

    /* The file as bytes at offsets: read again from a line when a record fails. */
    bool seekable;
    uint64_t pos;           /* offset of the next read */
    uint64_t hashed_upto;   /* [0, hashed_upto) is on its way to the hash */
    uint64_t origin_off;    /* where line origin_line starts: 0 and 1, or a later part's start */
    uint64_t origin_line;
    bool cr_only;           /* lines end with CR alone: CRs are parsed as LFs */
    char eol;               /* the byte that ends a physical line in the file */
    char *xlat;             /* a chunk with its CRs turned into LFs (cr_only) */
    char *scratch;          /* one line read again (max_record + 2 bytes) */
    bool failed;            /* a record failed inside libcsv's callbacks: ignore them until re-read */
    bool rewind;            /* read on from rewind_to, at line rewind_line */
    uint64_t rewind_to;
    uint64_t rewind_line;
    bool skip_to_eol;       /* skipping the rest of a line too long to keep */

    EVP_MD_CTX *sha;        /* used by the delivering (caller's) thread only */
    void (*select)(void *ud, const obs_csv_record *header, obs_csv_layout *layout);
    size_t (*header_score)(void *ud, const obs_csv_field *fields, size_t n);
    obs_csv_layout layout;  /* after the header; keep NULL = keep all */
    bool header_seen;
    unsigned title_lines;
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

static inline void batch_add_field(batch *b, size_t off, size_t len, uint32_t flags)
{
    if (b->nfields == b->fcap) {
        b->fcap *= 2;
        b->fields = g_renew(obs_csv_field, b->fields, b->fcap);
    }
    b->fields[b->nfields].ptr = (const char *)(uintptr_t)off;
    b->fields[b->nfields].len = (uint32_t)len;
    b->fields[b->nfields].flags = flags;
    b->nfields++;
}

/* Appends a field to the record being read, remembering its flags for the record. */
static inline void record_add_field(reader *r, size_t off, size_t len, uint32_t flags)
{
    r->rec_field_flags |= flags;
    batch_add_field(r->cur, off, len, flags);
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

static void reset_record_state(reader *r)
{
    r->rec_bytes = 0;
    r->defect = OBS_CSV_OK;
    r->rec_flags = 0;
    r->rec_field_flags = 0;
    r->rec_multiline = false;
}

static void clear_record(reader *r)
{
    /* Drop the fields of a record that was not finished. */
    batch *b = r->cur;
    if (b->nfields > r->rec_first) {
        b->nbytes = (uintptr_t)b->fields[r->rec_first].ptr;
        b->nfields = r->rec_first;
    }
    reset_record_state(r);
}

bool obs_csv_count_fits(const obs_csv_record *rec, const obs_csv_layout *layout)
{
    size_t n = rec->nfields, want = layout->fields;
    if (n < want)
        return n >= layout->min_fields;
    for (size_t i = want; i < n; i++)
        if (rec->fields[i].len > 0 || (rec->fields[i].flags & (OBS_CSV_F_CONTENT | OBS_CSV_F_NUL)))
            return false;
    return true;
}

/* Asks the caller which columns to keep, from the header just read. */
static void choose_columns(reader *r, const rec_meta *m)
{
    if (!r->select || m->defect != OBS_CSV_OK || (m->flags & REC_QUOTE_AS_TEXT))
        return;
    batch *b = r->cur;
    obs_csv_field *hdr = g_new(obs_csv_field, m->nfields ? m->nfields : 1);
    for (size_t i = 0; i < m->nfields; i++) {
        hdr[i] = b->fields[m->first + i];
        hdr[i].ptr = b->bytes + (uintptr_t)b->fields[m->first + i].ptr;
    }
    obs_csv_record rec = {.line = m->line, .nfields = m->nfields, .fields = hdr, .encoding = m->encoding};
    r->layout.keep = g_new0(bool, m->nfields ? m->nfields : 1);
    r->layout.fields = m->nfields;
    r->layout.min_fields = 0;
    r->select(r->ud, &rec, &r->layout);
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
        .encoding = r->enc,
        .flags = r->rec_flags,
        .field_flags = r->rec_field_flags,
    };
    r->rec_first = b->nfields;
    reset_record_state(r);
    if (!r->header_seen) {
        r->header_seen = true;
        choose_columns(r, &b->recs[b->nrecs - 1]);
    }
    if (b->nrecs >= BATCH_RECORDS || b->nbytes >= BATCH_BYTES)
        dispatch(r, false);
}

/* The record being read, as obs_csv_count_fits() sees it (fields still hold offsets). */
static bool current_fits(const reader *r)
{
    if (!r->layout.keep)
        return true;
    const batch *b = r->cur;
    obs_csv_record rec = {.nfields = b->nfields - r->rec_first, .fields = b->fields + r->rec_first};
    return obs_csv_count_fits(&rec, &r->layout);
}

/* ---- fields ------------------------------------------------------------------------------------ */

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

static void set_defect(reader *r, obs_csv_defect d)
{
    if (r->defect == OBS_CSV_OK)
        r->defect = d;
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

/* Line breaks inside a field are physical lines too, and make the record span lines. */
static void count_breaks(reader *r, const char *s, size_t len)
{
    if (!r->by_chunk || !memchr(s, '\n', len))
        return;
    r->line += count_lf(s, len);
    r->rec_multiline = true;
}

/* A column the caller does not read: its bytes are never copied, only checked. */
static void add_ignored_field(reader *r, const char *s, size_t len, size_t off)
{
    uint32_t flags = 0;
    if (len > 0) {
        count_breaks(r, s, len);
        if (memchr(s, '\0', len))
            flags |= OBS_CSV_F_NUL;
        size_t i = 0;
        while (i < len && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i < len)
            flags |= OBS_CSV_F_CONTENT;
    }
    *batch_reserve(r->cur, 1) = '\0';
    r->cur->nbytes++;
    record_add_field(r, off, 0, flags);
}

/* The decoded length of a field with non-ASCII bytes at dst, or -1 if they are invalid. */
static gssize decode_high(reader *r, const char *s, size_t len, char *dst)
{
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
    if (r->enc == OBS_ENC_UTF8)
        return g_utf8_validate_len(s, len, NULL) ? (gssize)len : -1; /* already copied */
    return convert_cp1252(r, s, len, dst);
}

/* Appends one field of the record being read. */
static void add_field(reader *r, const char *s, size_t len)
{
    batch *b = r->cur;
    size_t column = b->nfields - r->rec_first + 1;
    size_t off = b->nbytes;
    r->line_empty = false;
    if (r->layout.keep && (column > r->layout.fields || !r->layout.keep[column - 1])) {
        add_ignored_field(r, s, len, off);
        return;
    }
    if (len > r->max_field) {
        count_breaks(r, s, len);
        *batch_reserve(b, 1) = '\0';
        b->nbytes++;
        record_add_field(r, off, 0, OBS_CSV_F_TOO_LONG);
        return;
    }
    char *dst = batch_reserve(b, len * 3 + 9);
    unsigned scan = copy_scan(dst, s, len);
    size_t out_len = len;
    uint32_t flags = 0;
    if (scan & SCAN_LF)
        count_breaks(r, s, len);
    if (scan & SCAN_NUL) {
        flags = OBS_CSV_F_NUL;
        out_len = 0;
    } else if (scan & SCAN_HIGH) {
        gssize n = decode_high(r, s, len, dst);
        if (n < 0) {
            flags = OBS_CSV_F_BAD_BYTES;
            n = 0;
        }
        out_len = (size_t)n;
    }
    dst[out_len] = '\0';
    b->nbytes += out_len + 1;
    record_add_field(r, off, out_len, flags);
}

static void on_field(void *data, size_t len, void *ud)
{
    reader *r = ud;
    if (!r->failed)
        add_field(r, data ? data : "", len);
}

static void on_row(int c, void *ud)
{
    reader *r = ud;
    if (r->failed)
        return;
    if (!r->by_chunk) {
        emit_record(r);
        return;
    }
    /* Whole chunks are fed with CSV_REPALL_NL: every unquoted CR or LF ends a (maybe empty) row,
     * so LFs count physical lines. An empty row is no record, except a physical line with
     * nothing on it after the header: a blank row, which the caller counts (data contract §1). */
    bool record = r->cur->nfields > r->rec_first || r->defect != OBS_CSV_OK;
    if (record && r->rec_multiline && r->seekable && r->header_seen && !current_fits(r)) {
        /* A record across lines with a field count no row can have: a stray quote swallowed
         * the lines after it. Read again from its first line (feed_chunk sees `failed`). */
        clear_record(r);
        r->failed = true;
        return;
    }
    if (record || (c == '\n' && r->line_empty && r->header_seen))
        emit_record(r);
    if (c == '\n') {
        r->line++;
        r->rec_line = r->line;
        r->line_empty = true;
    } else if (!record) {
        r->rec_line = r->line;
    }
    r->fed_since_row = 0;
}

/* ---- the first lines: sep=, title lines, the header and its delimiter ------------------------ */

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

/* Length of the physical line at s (its line end included), or 0 if it does not end in s[0..len)
 * (at_eof: the rest of the file is this line). */
static size_t line_length(const char *s, size_t len, char eol, bool at_eof)
{
    const char *nl = memchr(s, eol, len);
    if (nl)
        return (size_t)(nl - s) + 1;
    return at_eof ? len : 0;
}

/* Excel's first line "sep=X" (optionally quoted): the delimiter, or 0 if the line is not one. */
static char sep_line_delimiter(const char *s, size_t len)
{
    if (len > 0 && s[0] == '"') {
        s++;
        len--;
    }
    if (len < 5 || g_ascii_strncasecmp(s, "sep=", 4) != 0 || !strchr(",;\t|", s[4]))
        return 0;
    for (size_t i = 5; i < len && s[i] != '\n' && s[i] != '\r'; i++)
        if (s[i] != '"' && s[i] != ' ' && s[i] != s[4])
            return 0;
    return s[4];
}

/*
 * How many columns of the contract a line names when split at delim (the caller's score).
 * Quotes are stripped, not interpreted across lines: enough for a header.
 */
static size_t score_line(reader *r, const char *s, size_t len, char delim)
{
    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    GArray *fields = g_array_new(FALSE, FALSE, sizeof(obs_csv_field));
    GPtrArray *owned = g_ptr_array_new_with_free_func(g_free);
    size_t i = 0;
    while (i <= len) {
        size_t start = i;
        bool quoted = false;
        while (i < len && (quoted || s[i] != delim)) {
            if (s[i] == '"')
                quoted = !quoted;
            i++;
        }
        const char *f = s + start;
        size_t flen = i - start;
        if (flen >= 2 && f[0] == '"' && f[flen - 1] == '"') {
            f++;
            flen -= 2;
        }
        char *utf8 = g_utf8_validate_len(f, flen, NULL)
                         ? g_strndup(f, flen)
                         : g_convert(f, (gssize)flen, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);
        if (utf8) {
            g_ptr_array_add(owned, utf8);
            obs_csv_field cf = {utf8, (uint32_t)strlen(utf8), 0};
            g_array_append_val(fields, cf);
        }
        i++;
    }
    size_t score = r->header_score(r->ud, (const obs_csv_field *)(void *)fields->data, fields->len);
    g_array_free(fields, TRUE);
    g_ptr_array_free(owned, TRUE);
    return score;
}

/*
 * Looks at the first lines of the file (s[0..len), after a BOM): a `sep=X` line sets the
 * delimiter; the header is the first of the next 11 lines that names the most columns of the
 * contract, with the delimiter that names the most. Returns the bytes before the header, and
 * sets the line count, the delimiter and the number of title lines.
 */
static size_t sniff_prelude(reader *r, const char *s, size_t len, bool at_eof)
{
    size_t skip = 0;
    size_t l0 = line_length(s, len, '\n', at_eof);
    char sep = l0 ? sep_line_delimiter(s, l0) : 0;
    if (sep) {
        r->result->sep_line = true;
        if (!r->delimiter)
            r->delimiter = sep;
        skip = l0;
        r->line++;
    }
    if (!r->header_score) {
        if (!r->delimiter)
            r->delimiter = detect_delimiter(s + skip, len - skip);
        return skip;
    }
    static const char candidates[] = {',', ';', '\t'};
    size_t best = 0, best_line = 0, best_off = skip;
    char best_delim = 0;
    size_t off = skip;
    for (size_t i = 0; i < HEADER_CANDIDATES && off < len; i++) {
        size_t ll = line_length(s + off, len - off, '\n', at_eof);
        if (ll == 0)
            break;
        for (size_t d = 0; d < G_N_ELEMENTS(candidates); d++) {
            char delim = r->delimiter ? r->delimiter : candidates[d];
            if (r->delimiter && d > 0)
                break;
            size_t score = score_line(r, s + off, ll, delim);
            if (score > best) {
                best = score;
                best_line = i;
                best_off = off;
                best_delim = delim;
            }
        }
        off += ll;
    }
    if (best == 0) {
        if (!r->delimiter)
            r->delimiter = detect_delimiter(s + skip, len - skip);
        return skip;
    }
    r->delimiter = best_delim;
    r->title_lines = (unsigned)best_line;
    r->line += best_line;
    return best_off;
}

/* ---- catalogues: line by line, with comments ---------------------------------------------------- */

/* Feeds one piece of a physical line (ending with '\n' or not) to libcsv. */
static void feed(reader *r, const char *s, size_t len)
{
    if (r->skip_to_eol)
        return;
    r->rec_bytes += len;
    if (r->rec_bytes > r->max_record) {
        clear_record(r);
        set_defect(r, OBS_CSV_TOO_LONG);
        emit_record(r);
        parser_reset(r);
        r->skip_to_eol = true;
        return;
    }
    size_t n = csv_parse(&r->parser, s, len, on_field, on_row, r);
    if (n != len) {
        clear_record(r);
        set_defect(r, OBS_CSV_MALFORMED);
        emit_record(r);
        parser_reset(r);
        r->skip_to_eol = true;
    }
}

/* ---- reading again from the line where a failed record started ------------------------------- */

static ssize_t read_at(reader *r, char *buf, size_t n, uint64_t off)
{
    for (;;) {
        ssize_t got = r->seekable ? pread(r->fd, buf, n, (off_t)off) : read(r->fd, buf, n);
        if (got >= 0 || errno != EINTR)
            return got;
    }
}

/*
 * The offset where physical line L starts. buf[0..buflen) holds the bytes fed from file offset
 * off, with lf_before line ends before them (counted from origin_line - 1). Lines after off are
 * found in buf, earlier ones by reading backwards (at most about a record's size).
 */
static bool line_start(reader *r, uint64_t L, const char *buf, size_t buflen, uint64_t off,
                       uint64_t lf_before, uint64_t *out)
{
    if (L <= r->origin_line) {
        *out = r->origin_off;
        return true;
    }
    uint64_t want = L - 1; /* line L starts right after line end number L - 1 */
    if (want > lf_before) {
        uint64_t need = want - lf_before;
        for (const char *q = memchr(buf, '\n', buflen); q; q = memchr(q + 1, '\n', buflen - (size_t)(q + 1 - buf)))
            if (--need == 0) {
                *out = off + (uint64_t)(q - buf) + 1;
                return true;
            }
        return false;
    }
    /* Going backwards from off, the first line end met is number lf_before. */
    uint64_t k = lf_before - want + 1;
    uint64_t limit = (uint64_t)r->max_record + 2 * READ_CHUNK, walked = 0;
    char block[4096];
    uint64_t at = off;
    while (at > r->origin_off && walked < limit) {
        size_t n = (size_t)MIN((uint64_t)sizeof block, at - r->origin_off);
        if (read_at(r, block, n, at - n) != (ssize_t)n)
            return false;
        for (size_t i = n; i-- > 0;)
            if (block[i] == r->eol && --k == 0) {
                *out = at - n + i + 1;
                return true;
            }
        at -= n;
        walked += n;
    }
    return false;
}

/* Emits s[0..len) (one physical line, its line end removed) as a record of fields split at the
 * delimiter, quotes taken as text. */
static void emit_as_text(reader *r, const char *s, size_t len, uint64_t line)
{
    r->rec_line = line;
    size_t i = 0;
    for (;;) {
        const char *d = memchr(s + i, r->delimiter, len - i);
        size_t flen = d ? (size_t)(d - (s + i)) : len - i;
        add_field(r, s + i, flen);
        if (!d)
            break;
        i += flen + 1;
    }
    r->rec_flags |= REC_QUOTE_AS_TEXT;
    r->rec_multiline = false;
    emit_record(r);
}

/* Asks the read loop to go on from offset `to`, at physical line `line`. */
static void request_rewind(reader *r, uint64_t to, uint64_t line, bool skip_to_eol)
{
    r->rewind = true;
    r->rewind_to = to;
    r->rewind_line = line;
    r->skip_to_eol = skip_to_eol;
}

/*
 * The record that started at line rec_line failed. That line is read again alone with its quotes
 * as text (or reported too long), and reading goes on from the next line, so the lines the
 * record swallowed are read as the rows they are. The anchor (buf, off, lf_before) is what was
 * being fed. Without a seekable file, the whole record is reported as it is, as before.
 */
static void record_failed(reader *r, obs_csv_defect defect, const char *buf, size_t buflen, uint64_t off,
                          uint64_t lf_before)
{
    uint64_t L = r->rec_line, start;
    clear_record(r);
    r->failed = false;
    if (!r->seekable || !line_start(r, L, buf, buflen, off, lf_before, &start)) {
        set_defect(r, defect);
        emit_record(r);
        return;
    }
    /* Read the line, a little at first: most failed lines are short. */
    size_t cap = 0, got = 0;
    const char *nl = NULL;
    do {
        cap = cap ? MIN(cap * 4, r->max_record + 2) : MIN((size_t)4096, r->max_record + 2);
        r->scratch = g_realloc(r->scratch, cap);
        ssize_t n = read_at(r, r->scratch + got, cap - got, start + got);
        if (n <= 0)
            break;
        nl = memchr(r->scratch + got, r->eol, (size_t)n);
        got += (size_t)n;
    } while (!nl && got == cap && cap < r->max_record + 2);
    if (!nl && got > r->max_record) {
        /* The line alone is too long to keep: report it and skip to its end. */
        set_defect(r, OBS_CSV_TOO_LONG);
        emit_record(r);
        request_rewind(r, start + (uint64_t)got, L, true);
        return;
    }
    size_t len = nl ? (size_t)(nl - r->scratch) : got;
    const char *s = r->scratch;
    if (start == 0 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        s += 3;
        len -= 3;
    }
    size_t text_len = len;
    while (text_len > 0 && (s[text_len - 1] == '\r' || s[text_len - 1] == '\n'))
        text_len--;
    emit_as_text(r, s, text_len, L);
    request_rewind(r, start + (uint64_t)(nl ? len + 1 : got), L + 1, false);
}

/* ---- whole chunks -------------------------------------------------------------------------------- */

/* Skips to just after the next LF of p[0..len), counting it; returns the bytes skipped. */
static size_t skip_line(reader *r, const char *p, size_t len)
{
    const char *nl = memchr(p, '\n', len);
    if (!nl)
        return len;
    r->skip_to_eol = false;
    r->line++;
    r->rec_line = r->line;
    r->line_empty = true;
    return (size_t)(nl - p) + 1;
}

/*
 * Feeds p[0..len) (file offset off) to libcsv. On a failure (a quote error, a record past the
 * size limit, a record across lines with an impossible field count) the read goes back to the
 * line where the record started (record_failed); a single line too long to hold is reported
 * and skipped to its end. libcsv's buffer never grows past about the limit.
 */
static void feed_chunk(reader *r, const char *p, size_t len, uint64_t off)
{
    const char *chunk = p;
    uint64_t lf_base = r->lf_fed;
    r->lf_fed += count_lf(p, len);
    while (len > 0 && !r->rewind) {
        if (r->skip_to_eol) {
            size_t n = skip_line(r, p, len);
            p += n;
            len -= n;
            continue;
        }
        size_t n = csv_parse(&r->parser, p, len, on_field, on_row, r);
        r->fed_since_row += n;
        if (r->failed) {
            record_failed(r, OBS_CSV_MALFORMED, chunk, (size_t)(p + len - chunk), off, lf_base);
            return;
        }
        if (n == len && r->fed_since_row <= r->max_record)
            return;
        obs_csv_defect d = n != len ? (csv_error(&r->parser) == CSV_EPARSE ? OBS_CSV_MALFORMED : OBS_CSV_TOO_LONG)
                                    : OBS_CSV_TOO_LONG;
        uint64_t stop_line = 1 + lf_base + count_lf(chunk, (size_t)(p + n - chunk));
        if (r->seekable && (d == OBS_CSV_MALFORMED || stop_line > r->rec_line)) {
            record_failed(r, d, chunk, (size_t)(p + len - chunk), off, lf_base);
            if (r->rewind)
                return;
            parser_reset(r);
            r->skip_to_eol = true;
        } else {
            /* One line longer than the limit: reported, and skipped to its end. */
            clear_record(r);
            set_defect(r, d);
            emit_record(r);
            parser_reset(r);
            r->skip_to_eol = true;
        }
        r->fed_since_row = 0;
        p += n;
        len -= n;
        r->line = stop_line;
        r->rec_line = r->line;
    }
}

static bool line_starts_record(const reader *r)
{
    return r->parser.pstate == LIBCSV_ROW_NOT_BEGUN && r->cur->nfields == r->rec_first;
}

/*
 * A later part of a split read: parses the header record at the top of the first chunk, then
 * moves the reading to start, where lines are counted from first_line. False if the header does
 * not end within the chunk and before start (the caller then reads the file another way).
 * Fed a byte at a time, so parsing stops right where the header record ends: a lone CR ends a
 * record too, and what follows it on the line belongs to the first part.
 */
static bool header_then_start(reader *r, const char *p, size_t left, uint64_t p_off)
{
    while (left > 0 && !r->header_seen && !r->rewind) {
        feed_chunk(r, p, 1, p_off);
        p++;
        left--;
        p_off++;
    }
    if (!r->header_seen || r->rewind || p_off > r->start)
        return false;
    r->pos = r->origin_off = r->start;
    r->line = r->rec_line = r->origin_line = r->first_line ? r->first_line : 1;
    r->lf_fed = r->line - 1;
    r->fed_since_row = 0;
    r->line_empty = true;
    r->skip_to_eol = false; /* a defective header fails the whole read anyway */
    return true;
}

/*
 * The first part of a split read at its end: if a record ended exactly there, parsing stops and
 * the rest of the file is only hashed; otherwise the part goes on as a whole read would.
 */
static void feed_up_to_end(reader *r, const char *p, size_t left, uint64_t p_off)
{
    if (!r->end || r->past_end || p_off + left < r->end || p_off > r->end) {
        feed_chunk(r, p, left, p_off);
        return;
    }
    size_t upto = (size_t)(r->end - p_off);
    feed_chunk(r, p, upto, p_off);
    if (r->rewind)
        return;
    /* Never before the header: title lines can hold the point where the file is split. */
    if (!r->skip_to_eol && r->header_seen && line_starts_record(r)) {
        r->hash_only = true;
        r->result->stopped_at_end = true;
        r->result->end_line = r->line;
        obs_csv_handoff_finish(r->handoff);
        return;
    }
    r->past_end = true;
    feed_chunk(r, p + upto, left - upto, p_off + upto);
}

/* ---- the read loop --------------------------------------------------------------------------- */

/* Whether needle occurs in s[0..len) (bytes, NULs included). */
static bool contains_bytes(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (memcmp(s + i, needle, n) == 0)
            return true;
    return false;
}

/* Why the first bytes are not CSV text, or NULL (data contract §1: refused with what to do). */
static const char *not_text(const char *s, size_t len)
{
    static const char zip[] = "PK\x03\x04", ole2[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if (len >= 2 && ((s[0] == '\xFF' && s[1] == '\xFE') || (s[0] == '\xFE' && s[1] == '\xFF')))
        return "el archivo está en UTF-16 (Unicode), no en UTF-8 ni Windows-1252; en Excel use "
               "«Guardar como» › «CSV UTF-8 (delimitado por comas)»";
    if (len >= 4 && memcmp(s, zip, 4) == 0) {
        if (contains_bytes(s, MIN(len, (size_t)128), "application/vnd.oasis.opendocument"))
            return "el archivo es una hoja de cálculo de OpenDocument (.ods), no un CSV; guárdelo "
                   "como .xlsx o como «CSV UTF-8 (delimitado por comas)»";
        return "el archivo es un libro de Excel (.xlsx) u otro archivo comprimido, no un CSV; "
               "guárdelo como «CSV UTF-8 (delimitado por comas)»";
    }
    if (len >= 8 && memcmp(s, ole2, 8) == 0)
        return "el archivo es un libro de Excel 97-2003 (.xls), no un CSV; guárdelo como .xlsx o como "
               "«CSV UTF-8 (delimitado por comas)»";
    size_t nul = 0, odd = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\0') {
            nul++;
            odd += i & 1;
        }
    if (nul * NUL_SHARE <= len)
        return NULL;
    if (nul * 3 >= len && (odd * 10 >= nul * 9 || odd * 10 <= nul))
        return "el archivo parece estar en UTF-16 (Unicode), no en UTF-8 ni Windows-1252; en Excel "
               "use «Guardar como» › «CSV UTF-8 (delimitado por comas)»";
    return "el archivo no es texto (la mayoría de sus primeros bytes son nulos); exporte de nuevo la "
           "tabla como CSV";
}

/* The first chunk: refusals, BOM, line ends, the lines before the header, the delimiter, and for
 * a later part of a split read the header. Returns the bytes of s not to feed, or -1 to stop. */
static ssize_t first_chunk(reader *r, const char *s, size_t len)
{
    obs_csv_result *res = r->result;
    const char *why = not_text(s, len);
    if (why) {
        res->binary = true;
        r->status = obs_error_set(&r->err, OBS_ERR_DATA, r->path, 0, 0, "%s", why);
        return -1;
    }
    size_t skip = 0;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        res->bom = true;
        skip = 3;
        if (r->enc == OBS_ENC_AUTO)
            r->enc = OBS_ENC_UTF8;
    }
    if (memchr(s, '\r', len) && !memchr(s, '\n', len)) {
        r->cr_only = res->cr_only = true;
        r->eol = '\r';
    }
    return (ssize_t)skip;
}

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

/* The parsing buffer of a chunk: itself, or a copy with CRs as LFs when lines end with CR. */
static const char *parse_view(reader *r, const char *s, size_t len)
{
    if (!r->cr_only)
        return s;
    if (!r->xlat)
        r->xlat = g_malloc(READ_CHUNK);
    for (size_t i = 0; i < len; i++)
        r->xlat[i] = s[i] == '\r' ? '\n' : s[i];
    return r->xlat;
}

/* After a failed record: the next read starts at the line after the one read again. */
static void apply_rewind(reader *r)
{
    r->rewind = false;
    r->pos = r->rewind_to;
    r->line = r->rec_line = r->rewind_line;
    r->lf_fed = r->rewind_line - 1;
    r->fed_since_row = 0;
    r->line_empty = true;
    reset_record_state(r);
    parser_reset(r);
}

/* The end of the file: the last record. Returns true when it failed and asked for a re-read. */
static bool finish(reader *r)
{
    if (r->status != OBS_OK || !r->parser_ready || r->hash_only || g_atomic_int_get(&r->stop))
        return false;
    bool open_quote = csv_fini(&r->parser, on_field, on_row, r) != 0;
    if (open_quote || r->failed) {
        if (r->seekable) {
            record_failed(r, open_quote ? OBS_CSV_UNTERMINATED : OBS_CSV_MALFORMED, "", 0, r->pos, r->lf_fed);
        } else {
            clear_record(r);
            set_defect(r, OBS_CSV_UNTERMINATED);
            emit_record(r);
        }
        if (r->rewind) {
            apply_rewind(r);
            return true;
        }
    } else if (r->cur->nfields > r->rec_first) {
        emit_record(r);
    }
    return false;
}

/* Parses one chunk read at offset off (the first one included). False to stop reading. */
static bool parse_chunk(reader *r, const char *data, size_t got, uint64_t off, bool *first)
{
    const char *p = data;
    size_t left = got;
    if (*first) {
        *first = false;
        ssize_t skip = first_chunk(r, data, got);
        if (skip < 0)
            return false;
        p += skip;
        left -= (size_t)skip;
        const char *view = parse_view(r, p, left);
        size_t pre = sniff_prelude(r, view, left, got < READ_CHUNK);
        r->lf_fed = r->line - 1;
        r->rec_line = r->line;
        p += pre;
        left -= pre;
        announce_encoding(r);
        parser_reset(r);
        if (r->start) {
            if (!header_then_start(r, parse_view(r, p, left), left, off + (uint64_t)(p - data))) {
                r->status = obs_error_set(&r->err, OBS_ERR_DATA, r->path, 0, 0,
                                          "el encabezado no cabe antes de la parte que se lee");
                return false;
            }
            return true; /* the file is read again from start */
        }
    }
    feed_up_to_end(r, parse_view(r, p, left), left, off + (uint64_t)(p - data));
    return true;
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
            if (finish(r))
                continue;
            break;
        }
        uint64_t off = r->pos;
        r->pos += (uint64_t)got;
        res->bytes = MAX(res->bytes, r->pos);
        r->last_byte = chunk[got - 1];
        GBytes *raw = g_bytes_new_take(chunk, (gsize)got);
        bool go_on = r->hash_only || parse_chunk(r, g_bytes_get_data(raw, NULL), (size_t)got, off, &first);
        /* Parsed: the chunk now goes with the current batch. Not earlier: its batch could then be
         * hashed before the chunks of the batches still being filled. */
        attach_for_hash(r, raw, off);
        g_bytes_unref(raw);
        if (!go_on)
            break;
        if (r->hash_only)
            dispatch(r, false); /* hashes every chunk so far */
        if (r->rewind)
            apply_rewind(r);
    }
    res->lines = r->line - (res->bytes > 0 && r->last_byte == r->eol ? 1 : 0);
    dispatch(r, true);
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
            ssize_t skip = first_chunk(r, chunk, left);
            if (skip < 0)
                break;
            p += skip;
            left -= (size_t)skip;
            if (!r->delimiter)
                r->delimiter = detect_delimiter(p, left);
            parser_reset(r);
        }
        while (left > 0) {
            const char *nl = memchr(p, '\n', left);
            size_t seg = nl ? (size_t)(nl - p) + 1 : left;
            if (at_line_start && line_starts_record(r)) {
                r->rec_line = r->line;
                skip_comment = r->comments && p[0] == '#';
            }
            if (!skip_comment)
                feed(r, p, seg);
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
        if (csv_fini(&r->parser, on_field, on_row, r) != 0) {
            clear_record(r);
            set_defect(r, OBS_CSV_UNTERMINATED);
            emit_record(r);
        } else if (r->cur->nfields > r->rec_first) {
            emit_record(r);
        }
    }
    res->lines = at_line_start ? r->line - 1 : r->line;
    dispatch(r, true);
}

static gpointer reader_thread(gpointer data)
{
    read_chunks(data);
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
                             obs_strerror(errno));
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
    if (r.end || r.handoff)
        r.threaded = false; /* the parts read at once run on their own threads already */
    if ((r.start || r.end) && !r.seekable) {
        close(fd);
        return obs_error_set(err, OBS_ERR_NOINPUT, path, 0, 0,
                             "no se puede leer por partes: el archivo no admite lectura por posición");
    }
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
    } else if (r.by_chunk) {
        read_chunks(&r);
    } else {
        read_lines(&r);
    }
    if (r.end)
        obs_csv_handoff_finish(r.handoff); /* ended undecided (or failed): the next part decides */
    if (r.status != OBS_OK && err)
        *err = r.err;
    result->encoding = r.enc;
    result->delimiter = r.delimiter ? r.delimiter : ',';
    result->title_lines = r.title_lines;
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
    g_free(r.layout.keep);
    g_free(r.xlat);
    g_free(r.scratch);
    if (r.threaded) {
        g_async_queue_unref(r.full);
        g_async_queue_unref(r.free_q);
    }
    close(fd);
    return r.status;
}
