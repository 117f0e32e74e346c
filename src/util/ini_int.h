/* ini_int.h - internal: INI files read line by line, so that every problem names its file and line. */
#ifndef OBSERVA_INI_INT_H
#define OBSERVA_INI_INT_H

#include <stddef.h>
#include <stdint.h>

#include "observa/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * One meaningful line of an INI file, handed to an obs_ini_fn. For a "[section]" line key and
 * value are NULL; for a "key = value" line group is the section it is in. Strings are
 * borrowed for the duration of the call; value is trimmed and taken as written (no escapes:
 * "C:\logos\ine.png" is that path).
 */
typedef struct obs_ini_entry {
    const char *group;
    const char *key;
    const char *value;
    uint64_t line;      /**< 1-based physical line. */
} obs_ini_entry;

/** Receives each section and key in file order; returns OBS_OK to go on, or an error (err filled) to stop. */
typedef obs_status (*obs_ini_fn)(void *ud, const obs_ini_entry *e, obs_error *err);

/**
 * @brief Parses INI text as people write it on Windows and Linux: a UTF-8 byte order mark is
 * skipped; CRLF line ends are accepted; a line starting with '#' or ';' is a comment; text that
 * is not UTF-8 is read as Windows-1252 (what Notepad's "ANSI" writes).
 *
 * @param path  the file's name, for messages.
 * @return OBS_OK, what fn returned, or OBS_ERR_CONFIG with path and line for: UTF-16 text or
 *         NUL bytes, a line that is neither a comment, a "[section]" nor "key = value", a key
 *         before any section, an empty key, or a key repeated within its section (the message
 *         names the line of the first one).
 */
obs_status obs_ini_parse(const char *path, const char *text, size_t len, obs_ini_fn fn, void *ud,
                         obs_error *err);

/**
 * @brief Reads a file (at most max_bytes; it must be a regular file, so a device such as
 * /dev/zero is refused before anything is read) and parses it with obs_ini_parse().
 * @return as obs_ini_parse(); OBS_ERR_NOINPUT when the file cannot be opened or read (the
 *         system error in Spanish); OBS_ERR_CONFIG when it is not a regular file or is larger
 *         than max_bytes.
 */
obs_status obs_ini_read(const char *path, size_t max_bytes, obs_ini_fn fn, void *ud, obs_error *err);

#ifdef __cplusplus
}
#endif

#endif /* OBSERVA_INI_INT_H */
