/* csvread.c - records, fields and their flags from libcsv's callbacks; a failed record read again.
 *
 * The file is read by offset (pread): when a record fails, the reader goes back to the line
 * where it started, reads that line alone with its quotes as text, and goes on from the next
 * line, so a stray quote never swallows the lines after it (data contract §1).
 */
#include "ingest/csv_reader_int.h"

#include <string.h>

/* A batch is handed over when it holds this many records or bytes. */
#define BATCH_RECORDS 4096
#define BATCH_BYTES (1024 * 1024)

/* ---- the batch being filled (one call per field) ------------------------------------------------- */

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

/* ---- records ------------------------------------------------------------------------------------- */

static void reset_record_state(reader *r)
{
    r->rec_bytes = 0;
    r->defect = OBS_CSV_OK;
    r->rec_flags = 0;
    r->rec_field_flags = 0;
    r->rec_multiline = false;
}

void csvr_clear_record(reader *r)
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

void csvr_emit_record(reader *r)
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
        csvr_dispatch(r, false);
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

void csvr_parser_reset(reader *r)
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

void csvr_set_defect(reader *r, obs_csv_defect d)
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
uint64_t csvr_count_lf(const char *s, size_t len)
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
    r->line += csvr_count_lf(s, len);
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
            r->enc = csvr_handoff_wait(r->handoff);
        if (r->enc == OBS_ENC_AUTO)
            r->enc = g_utf8_validate_len(s, len, NULL) ? OBS_ENC_UTF8 : OBS_ENC_CP1252;
        if (r->enc == OBS_ENC_CP1252 && !r->cp1252)
            r->cp1252 = g_iconv_open("UTF-8", "WINDOWS-1252");
        csvr_announce_encoding(r);
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

void csvr_on_field(void *data, size_t len, void *ud)
{
    reader *r = ud;
    if (!r->failed)
        add_field(r, data ? data : "", len);
}

void csvr_on_row(int c, void *ud)
{
    reader *r = ud;
    if (r->failed)
        return;
    if (!r->by_chunk) {
        csvr_emit_record(r);
        return;
    }
    /* Whole chunks are fed with CSV_REPALL_NL: every unquoted CR or LF ends a (maybe empty) row,
     * so LFs count physical lines. An empty row is no record, except a physical line with
     * nothing on it after the header: a blank row, which the caller counts (data contract §1). */
    bool record = r->cur->nfields > r->rec_first || r->defect != OBS_CSV_OK;
    if (record && r->rec_multiline && r->seekable && r->header_seen && !current_fits(r)) {
        /* A record across lines with a field count no row can have: a stray quote swallowed
         * the lines after it. Read again from its first line (feed_chunk sees `failed`). */
        csvr_clear_record(r);
        r->failed = true;
        return;
    }
    if (record || (c == '\n' && r->line_empty && r->header_seen))
        csvr_emit_record(r);
    if (c == '\n') {
        r->line++;
        r->rec_line = r->line;
        r->line_empty = true;
    } else if (!record) {
        r->rec_line = r->line;
    }
    r->fed_since_row = 0;
}

/* ---- reading again from the line where a failed record started ------------------------------- */

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
    csvr_emit_record(r);
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
void csvr_record_failed(reader *r, obs_csv_defect defect, const char *buf, size_t buflen, uint64_t off,
                        uint64_t lf_before)
{
    uint64_t L = r->rec_line, start;
    csvr_clear_record(r);
    r->failed = false;
    if (!r->seekable || !line_start(r, L, buf, buflen, off, lf_before, &start)) {
        csvr_set_defect(r, defect);
        csvr_emit_record(r);
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
        csvr_set_defect(r, OBS_CSV_TOO_LONG);
        csvr_emit_record(r);
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

/* After a failed record: the next read starts at the line after the one read again. */
void csvr_apply_rewind(reader *r)
{
    r->rewind = false;
    r->pos = r->rewind_to;
    r->line = r->rec_line = r->rewind_line;
    r->lf_fed = r->rewind_line - 1;
    r->fed_since_row = 0;
    r->line_empty = true;
    reset_record_state(r);
    csvr_parser_reset(r);
}
