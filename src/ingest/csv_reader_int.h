/* csv_reader_int.h - internal to the CSV reader (csv_*.c, csvread.c): its state, batches and steps.
 *
 * The reader (on its own thread when asked) reads the file, hashes it, splits it
 * into physical lines for line numbers, feeds libcsv and converts fields to UTF-8
 * into batches of records. The caller's thread takes the batches in order and
 * validates them, so the two halves of the work overlap on two cores while every
 * row is still seen in file order (which the repeated-folio rule needs).
 *
 * Layers (no file calls one above it): csv_handoff.c, csv_batch.c, csv_sniff.c; csvread.c
 * (records, fields, libcsv's callbacks, the re-read); csv_feed.c (what is fed to libcsv, and
 * when); csv_source.c (the file, the reader thread, obs_csv_read()).
 */
#ifndef OBSERVA_CSV_READER_INT_H
#define OBSERVA_CSV_READER_INT_H

#include <csv.h>
#include <errno.h>
#include <openssl/evp.h>
#include <unistd.h>

#include "ingest/csvread_int.h"

/* Bytes read from the file at a time. */
#define READ_CHUNK (256 * 1024)

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

/* ---- reading the file ----------------------------------------------------------------------------- */

/* Reads n bytes at off (or the next n bytes of a pipe), retrying when interrupted. */
static inline ssize_t read_at(reader *r, char *buf, size_t n, uint64_t off)
{
    for (;;) {
        ssize_t got = r->seekable ? pread(r->fd, buf, n, (off_t)off) : read(r->fd, buf, n);
        if (got >= 0 || errno != EINTR)
            return got;
    }
}

/* ---- csv_handoff.c: the encoding hand-off between the parts of a split read --------------------- */

/** The first part's decision, once it made one or ended without one (then AUTO). */
obs_encoding csvr_handoff_wait(obs_csv_handoff *h);
/** The first part of a split read announces its encoding as soon as it is known. */
void csvr_announce_encoding(reader *r);

/* ---- csv_batch.c: batches of records, from the reader to the caller ----------------------------- */

batch *csvr_batch_new(void);
void csvr_batch_free(batch *b);
/** Calls on_record for every record of a sealed batch (the caller's thread), hashing its bytes first. */
void csvr_deliver(reader *r, const batch *b);
/** Hands the current batch over (the last one with `last`) and gets an empty one. */
void csvr_dispatch(reader *r, bool last);

/* ---- csv_sniff.c: what the first bytes say -------------------------------------------------------- */

/** The first chunk: refusals (not text), BOM, CR-only line ends. Returns the bytes to skip, or -1 to stop. */
ssize_t csvr_first_chunk(reader *r, const char *s, size_t len);
/** The delimiter that occurs most often outside quotes in the first line. */
char csvr_detect_delimiter(const char *s, size_t len);
/** A `sep=` line, title lines, the header and its delimiter; returns the bytes before the header. */
size_t csvr_sniff_prelude(reader *r, const char *s, size_t len, bool at_eof);

/* ---- csvread.c: records, fields and their flags, libcsv's callbacks, the re-read ---------------- */

void csvr_parser_reset(reader *r);
void csvr_set_defect(reader *r, obs_csv_defect d);
/** Drops the fields of a record that was not finished. */
void csvr_clear_record(reader *r);
/** Ends the record being read: into the batch, which is dispatched when full. */
void csvr_emit_record(reader *r);
/** Line feeds in s[0..len). */
uint64_t csvr_count_lf(const char *s, size_t len);
/** libcsv's callbacks (ud is the reader). */
void csvr_on_field(void *data, size_t len, void *ud);
void csvr_on_row(int c, void *ud);
/** The record that started at line rec_line failed: read its line again alone (see csvread.c). */
void csvr_record_failed(reader *r, obs_csv_defect defect, const char *buf, size_t buflen, uint64_t off,
                        uint64_t lf_before);
/** After a failed record: the next read starts at the line after the one read again. */
void csvr_apply_rewind(reader *r);

/* ---- csv_feed.c: feeding libcsv ------------------------------------------------------------------ */

/** Feeds one piece of a physical line of a catalogue to libcsv. */
void csvr_feed(reader *r, const char *s, size_t len);
/** No field of a record begun: the next byte starts one. */
bool csvr_line_starts_record(const reader *r);
/** Parses one chunk read at offset off (the first one included). False to stop reading. */
bool csvr_parse_chunk(reader *r, const char *data, size_t got, uint64_t off, bool *first);
/** The end of the file: the last record. Returns true when it failed and asked for a re-read. */
bool csvr_finish(reader *r);

#endif /* OBSERVA_CSV_READER_INT_H */
