/* csvread.h - internal streaming CSV reader over libcsv with physical line tracking. */
#ifndef OBSERVA_CSVREAD_H
#define OBSERVA_CSVREAD_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "observa/error.h"
#include "observa/ingest.h"

/** One field of a record: UTF-8 (converted from Windows-1252 if needed), followed by a NUL byte. */
typedef struct obs_csv_field {
    const char *ptr;
    size_t len;
} obs_csv_field;

/** Why a record is unusable even though the reader kept going. */
typedef enum obs_csv_defect {
    OBS_CSV_OK = 0,
    OBS_CSV_BAD_BYTES,    /**< bad_column holds invalid bytes for the file's encoding. */
    OBS_CSV_FIELD_TOO_LONG, /**< bad_column is longer than the field limit. */
    OBS_CSV_MALFORMED,    /**< Quotes do not follow RFC 4180 (strict mode). */
    OBS_CSV_UNTERMINATED, /**< A quoted field is still open at the end of the file. */
    OBS_CSV_TOO_LONG      /**< The record exceeds the record size limit. */
} obs_csv_defect;

typedef struct obs_csv_record {
    uint64_t line;       /**< Physical line where the record starts (1-based). */
    size_t nfields;
    const obs_csv_field *fields;
    obs_csv_defect defect;
    unsigned bad_column; /**< 1-based column of a BAD_BYTES/FIELD_TOO_LONG defect. */
    obs_encoding encoding; /**< Encoding in force when the record was read. */
} obs_csv_record;

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
     * Optional: called once with the header record (on the reader's thread); it sets keep[i]
     * for the columns the caller reads. The other columns are not copied: their fields arrive
     * empty, and their bytes are never looked at (exports carry personal data observa ignores).
     */
    void (*select)(void *ud, const obs_csv_record *header, bool *keep);

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
    bool binary;             /**< NUL bytes found: not a text file. */
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
 * @return OBS_OK, OBS_ERR_NOINPUT when the file cannot be opened or read,
 *         OBS_ERR_DATA for a binary file.
 */
obs_status obs_csv_read(const char *path, const obs_csv_options *opts,
                        obs_csv_record_fn on_record, void *ud,
                        obs_csv_result *result, obs_error *err);

#endif /* OBSERVA_CSVREAD_H */
