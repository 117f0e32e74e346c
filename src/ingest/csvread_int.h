/* csvread_int.h - internal streaming CSV reader over libcsv with physical line tracking. */
#ifndef OBSERVA_CSVREAD_H
#define OBSERVA_CSVREAD_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "observa/error.h"
#include "observa/ingest.h"

/** What the reader found in one field (bits of obs_csv_field.flags). */
enum {
    OBS_CSV_F_NUL = 1u << 0,       /**< NUL bytes: the field arrives empty (data contract §1). */
    OBS_CSV_F_BAD_BYTES = 1u << 1, /**< Invalid bytes for the file's encoding: arrives empty. */
    OBS_CSV_F_TOO_LONG = 1u << 2,  /**< Longer than the field limit: arrives empty. */
    OBS_CSV_F_CONTENT = 1u << 3,   /**< A column the caller does not read has something other than spaces. */
};

/** One field of a record: UTF-8 (converted from Windows-1252 if needed), followed by a NUL byte. */
typedef struct obs_csv_field {
    const char *ptr;
    uint32_t len;
    uint32_t flags;      /**< OBS_CSV_F_* */
} obs_csv_field;

/** Why a record is unusable even though the reader kept going. */
typedef enum obs_csv_defect {
    OBS_CSV_OK = 0,
    OBS_CSV_MALFORMED,    /**< Quotes do not follow RFC 4180 and the line could not be read again. */
    OBS_CSV_UNTERMINATED, /**< A quoted field is still open at the end of a file that cannot be read again. */
    OBS_CSV_TOO_LONG      /**< The line exceeds the record size limit. */
} obs_csv_defect;

typedef struct obs_csv_record {
    uint64_t line;       /**< Physical line where the record starts (1-based). */
    size_t nfields;      /**< 0 for a blank physical line after the header. */
    const obs_csv_field *fields;
    obs_csv_defect defect;
    obs_encoding encoding; /**< Encoding in force when the record was read. */
    /** A line with misplaced quotes, read again on its own with its quotes taken as text: the
     * record that started there failed (quotes, size, or a field count that a record spanning
     * several lines cannot have), and the lines after it are read as the rows they are. */
    bool quote_as_text;
    uint32_t field_flags;  /**< OR of the fields' flags (0: nothing to look at). */
    unsigned title_lines; /**< Lines skipped between a `sep=` line (if any) and the header. */
    bool date1904;        /**< A workbook in Excel's 1904 date system (its serial 0 is 1904-01-01). */
} obs_csv_record;

/** What the caller learns from the header, to tell the reader (see obs_csv_options.select). */
typedef struct obs_csv_layout {
    bool *keep;          /**< [header fields]: the caller reads this column (preset to false). */
    size_t fields;       /**< Header fields that carry a name (trailing empty ones dropped). */
    size_t min_fields;   /**< A record with fewer fields lacks a required column. */
} obs_csv_layout;

/**
 * @brief Whether a record's field count is one §1 of the data contract resolves: as many as the
 * header, more with only empty fields after the header's (a trailing delimiter), or fewer with
 * at least min_fields (the missing trailing columns are optional). Fields the caller does not
 * read must carry OBS_CSV_F_CONTENT when not blank.
 */
bool obs_csv_count_fits(const obs_csv_record *rec, const obs_csv_layout *layout);

/** Called for every record, the header included. Return false to stop reading. */
typedef bool (*obs_csv_record_fn)(void *ud, const obs_csv_record *rec);

typedef struct obs_csv_handoff obs_csv_handoff;

typedef struct obs_csv_options {
    obs_encoding encoding;  /**< AUTO decides at the first non-ASCII field. */
    char delimiter;         /**< 0 = detect from the first line. */
    bool comments;          /**< Skip lines starting with '#' between records (catalogues). */
    size_t max_field;       /**< Field size limit in bytes (0 = 64 KiB). */
    size_t max_record;      /**< Record size limit in bytes (0 = 1 MiB). */
    bool threaded;          /**< Read and tokenize on a second thread while the caller validates. */
    /**
     * Optional: called once with the header record (on the reader's thread); it fills the
     * layout: which columns the caller reads and how many fields a record needs. The other
     * columns are not copied: their fields arrive empty, and their bytes are only looked at for
     * NUL bytes, line breaks and whether they are blank (exports carry personal data observa
     * ignores).
     */
    void (*select)(void *ud, const obs_csv_record *header, obs_csv_layout *layout);
    /**
     * Optional: how many columns of the contract a candidate header line names. With it, the
     * reader looks for the header among the first 11 lines (after a `sep=` line) and for the
     * delimiter that names the most columns: up to 10 title lines above the header are skipped
     * (data contract §1). Called on the reader's thread, with UTF-8 fields.
     */
    size_t (*header_score)(void *ud, const obs_csv_field *fields, size_t n);

    /* Reading one part of a file (zero: the whole file). With end or handoff, the part is not
     * threaded: the parts read at once have a thread each. */
    /** Stop at this offset (a line start) if a record ends exactly there; then only hash the
     * rest. Otherwise go on to the end as if it were not set (result.stopped_at_end says). */
    uint64_t end;
    /** Read the header record, then go on from this offset (a line start). */
    uint64_t start;
    /** With start: the physical line number at start (0: count from 1 there). */
    uint64_t first_line;
    /** Do not hash: another read hashes the whole file. */
    bool no_hash;
    /** With end: where this part announces its encoding decision. With start: waited on
     * before deciding, so both parts read the file in the encoding a single read would. */
    obs_csv_handoff *handoff;
} obs_csv_options;

typedef struct obs_csv_result {
    uint64_t bytes;          /**< Bytes read from the file. */
    uint64_t lines;          /**< Physical lines. */
    char sha256[65];         /**< Hex SHA-256 of the file's bytes. */
    obs_encoding encoding;   /**< Encoding used (AUTO if the file was pure ASCII: either fits). */
    char delimiter;          /**< Delimiter used. */
    bool bom;                /**< The file started with a UTF-8 byte order mark. */
    bool binary;             /**< Not a text file (mostly NUL bytes, UTF-16, a workbook): refused. */
    bool sep_line;           /**< The first line was Excel's `sep=X`. */
    unsigned title_lines;    /**< Lines skipped above the header. */
    bool cr_only;            /**< Lines end with CR alone (classic Mac OS). */
    bool stopped_at_end;     /**< With options.end: a record ended there and parsing stopped. */
    uint64_t end_line;       /**< Then, the physical line number at options.end. */
} obs_csv_result;

/**
 * @brief Creates the encoding hand-off between the first part of a file and the rest.
 * The first part announces its decision (or that it ended undecided); the other waits for it.
 */
obs_csv_handoff *obs_csv_handoff_new(void);
/** @brief The first part is over: if it did not decide an encoding, the other part may. */
void obs_csv_handoff_finish(obs_csv_handoff *h);
/** @brief Frees the hand-off. NULL-safe. */
void obs_csv_handoff_free(obs_csv_handoff *h);

/**
 * @brief Reads `path` record by record, calling on_record for each (the header
 * included), in file order, on the calling thread. Malformed records are reported
 * as records with a defect, so the caller can account for every one of them.
 * With opts->threaded, reading, hashing and tokenizing run on a second thread,
 * a few batches of records ahead of the caller (memory stays bounded).
 *
 * A record that fails (misplaced quotes, too long, or spanning several lines with a field count
 * the header rules out) is read again from the line where it started: that line alone, with its
 * quotes as text (quote_as_text), then the following lines as records of their own, so one bad
 * quote costs at most one row and every physical line is accounted for. This needs a file that
 * can be read at any offset; from a pipe the failed record is reported whole (defect).
 *
 * @return OBS_OK, OBS_ERR_NOINPUT when the file cannot be opened or read,
 *         OBS_ERR_DATA for a file that is not CSV text (UTF-16, binary, a workbook), with what
 *         to do in err.
 */
obs_status obs_csv_read(const char *path, const obs_csv_options *opts,
                        obs_csv_record_fn on_record, void *ud,
                        obs_csv_result *result, obs_error *err);

#endif /* OBSERVA_CSVREAD_H */
