/* csv_feed.c - feeding libcsv: whole chunks, catalogue lines, the parts of a split read, the file's end. */
#include "ingest/csv_reader_int.h"

#include <string.h>

/* libcsv's state before any byte of a record has been seen. */
#define LIBCSV_ROW_NOT_BEGUN 0

/* ---- catalogues: line by line, with comments ---------------------------------------------------- */

/* Feeds one piece of a physical line (ending with '\n' or not) to libcsv. */
void csvr_feed(reader *r, const char *s, size_t len)
{
    if (r->skip_to_eol)
        return;
    r->rec_bytes += len;
    if (r->rec_bytes > r->max_record) {
        csvr_clear_record(r);
        csvr_set_defect(r, OBS_CSV_TOO_LONG);
        csvr_emit_record(r);
        csvr_parser_reset(r);
        r->skip_to_eol = true;
        return;
    }
    size_t n = csv_parse(&r->parser, s, len, csvr_on_field, csvr_on_row, r);
    if (n != len) {
        csvr_clear_record(r);
        csvr_set_defect(r, OBS_CSV_MALFORMED);
        csvr_emit_record(r);
        csvr_parser_reset(r);
        r->skip_to_eol = true;
    }
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
    r->lf_fed += csvr_count_lf(p, len);
    while (len > 0 && !r->rewind) {
        if (r->skip_to_eol) {
            size_t n = skip_line(r, p, len);
            p += n;
            len -= n;
            continue;
        }
        size_t n = csv_parse(&r->parser, p, len, csvr_on_field, csvr_on_row, r);
        r->fed_since_row += n;
        if (r->failed) {
            csvr_record_failed(r, OBS_CSV_MALFORMED, chunk, (size_t)(p + len - chunk), off, lf_base);
            return;
        }
        if (n == len && r->fed_since_row <= r->max_record)
            return;
        obs_csv_defect d = n != len ? (csv_error(&r->parser) == CSV_EPARSE ? OBS_CSV_MALFORMED : OBS_CSV_TOO_LONG)
                                    : OBS_CSV_TOO_LONG;
        uint64_t stop_line = 1 + lf_base + csvr_count_lf(chunk, (size_t)(p + n - chunk));
        if (r->seekable && (d == OBS_CSV_MALFORMED || stop_line > r->rec_line)) {
            csvr_record_failed(r, d, chunk, (size_t)(p + len - chunk), off, lf_base);
            if (r->rewind)
                return;
            csvr_parser_reset(r);
            r->skip_to_eol = true;
        } else {
            /* One line longer than the limit: reported, and skipped to its end. */
            csvr_clear_record(r);
            csvr_set_defect(r, d);
            csvr_emit_record(r);
            csvr_parser_reset(r);
            r->skip_to_eol = true;
        }
        r->fed_since_row = 0;
        p += n;
        len -= n;
        r->line = stop_line;
        r->rec_line = r->line;
    }
}

/* No byte of a record fed since the last one ended (nor any field of it kept). */
bool csvr_line_starts_record(const reader *r)
{
    return r->parser.pstate == LIBCSV_ROW_NOT_BEGUN && r->cur->nfields == r->rec_first;
}

/* ---- the parts of a split read ------------------------------------------------------------------- */

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
    if (!r->skip_to_eol && r->header_seen && csvr_line_starts_record(r)) {
        r->hash_only = true;
        r->result->stopped_at_end = true;
        r->result->end_line = r->line;
        obs_csv_handoff_finish(r->handoff);
        return;
    }
    r->past_end = true;
    feed_chunk(r, p + upto, left - upto, p_off + upto);
}

/* ---- chunks and the end of the file -------------------------------------------------------------- */

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

/* The end of the file: the last record. Returns true when it failed and asked for a re-read. */
bool csvr_finish(reader *r)
{
    if (r->status != OBS_OK || !r->parser_ready || r->hash_only || g_atomic_int_get(&r->stop))
        return false;
    bool open_quote = csv_fini(&r->parser, csvr_on_field, csvr_on_row, r) != 0;
    if (open_quote || r->failed) {
        if (r->seekable) {
            csvr_record_failed(r, open_quote ? OBS_CSV_UNTERMINATED : OBS_CSV_MALFORMED, "", 0, r->pos, r->lf_fed);
        } else {
            csvr_clear_record(r);
            csvr_set_defect(r, OBS_CSV_UNTERMINATED);
            csvr_emit_record(r);
        }
        if (r->rewind) {
            csvr_apply_rewind(r);
            return true;
        }
    } else if (r->cur->nfields > r->rec_first) {
        csvr_emit_record(r);
    }
    return false;
}

/* Parses one chunk read at offset off (the first one included). False to stop reading. */
bool csvr_parse_chunk(reader *r, const char *data, size_t got, uint64_t off, bool *first)
{
    const char *p = data;
    size_t left = got;
    if (*first) {
        *first = false;
        ssize_t skip = csvr_first_chunk(r, data, got);
        if (skip < 0)
            return false;
        p += skip;
        left -= (size_t)skip;
        const char *view = parse_view(r, p, left);
        size_t pre = csvr_sniff_prelude(r, view, left, got < READ_CHUNK);
        r->lf_fed = r->line - 1;
        r->rec_line = r->line;
        p += pre;
        left -= pre;
        csvr_announce_encoding(r);
        csvr_parser_reset(r);
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
