/* error.h - status codes and caller-owned error details for libobserva. */
#ifndef OBSERVA_ERROR_H
#define OBSERVA_ERROR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Outcome of a libobserva call.
 *
 * Each value maps to one sysexits(3) exit status of the CLI
 * (see obs_status_exit_code()), so a library error becomes the documented
 * exit code without a second table in the CLI.
 */
typedef enum obs_status {
    OBS_OK = 0,           /**< Success. */
    OBS_ERR_USAGE,        /**< Invalid arguments or option values (exit 64). */
    OBS_ERR_DATA,         /**< Input data invalid: file-level error, or rejected rows under --estricto (65). */
    OBS_ERR_NOINPUT,      /**< An input file cannot be opened or read (66). */
    OBS_ERR_CANTCREAT,    /**< An output file or directory cannot be created (73). */
    OBS_ERR_IO,           /**< I/O error while writing an output (74). */
    OBS_ERR_LOCKED,       /**< Another run holds the output directory's lock (75). */
    OBS_ERR_CONFIG,       /**< Configuration, catalogue or template error (78). */
    OBS_ERR_NOMEM,        /**< Out of memory or an internal limit exceeded (70). */
    OBS_ERR_INTERNAL,     /**< A library reported an unexpected failure (70). */
    OBS_STATUS_COUNT
} obs_status;

/** Maximum length of an obs_error message, including the terminating NUL. */
#define OBS_ERROR_MSG_MAX 1024
/** Maximum length of the path stored in an obs_error, including the NUL. */
#define OBS_ERROR_PATH_MAX 512

/**
 * @brief Rich details of a failure, filled by the callee, owned by the caller.
 *
 * Like curl's error buffer: the caller provides storage, so there is no
 * global state and no allocation on the error path. line and column are
 * 1-based; 0 means "not applicable".
 */
typedef struct obs_error {
    obs_status code;
    char path[OBS_ERROR_PATH_MAX];
    uint64_t line;
    unsigned column;
    char message[OBS_ERROR_MSG_MAX]; /**< Spanish, for the user; UTF-8. */
} obs_error;

/** @brief Short Spanish description of a status ("error de configuración"). */
const char *obs_status_str(obs_status status);

/** @brief sysexits(3) exit status for a status (0 for OBS_OK). */
int obs_status_exit_code(obs_status status);

/** @brief Resets an error to OBS_OK with empty fields. NULL-safe. */
void obs_error_clear(obs_error *err);

/**
 * @brief Records an error and returns its code, so callers can write
 * `return obs_error_set(err, OBS_ERR_DATA, path, line, col, "...", ...);`.
 *
 * @param err    may be NULL (the status is still returned).
 * @param path   file the error concerns, or NULL.
 * @param line   1-based line, or 0.
 * @param column 1-based column, or 0.
 * @param fmt    printf-style Spanish message.
 * @return code.
 */
obs_status obs_error_set(obs_error *err, obs_status code, const char *path,
                         uint64_t line, unsigned column, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/**
 * @brief Formats an error like a compiler diagnostic:
 * `path:line:column: message` (omitting the parts that are absent).
 *
 * @return the number of bytes written, excluding the NUL.
 */
size_t obs_error_format(const obs_error *err, char *buf, size_t size);

/**
 * @brief Spanish description of a system error number ("no existe el archivo o el
 * directorio"), whatever the locale: g_strerror() and strerror() answer in English under C.
 * Every errno observa can meet opening, reading or writing files has its own text; any other
 * value gives "error del sistema" with the number. This function can't fail.
 */
const char *obs_strerror(int errnum);

struct _GError;
/**
 * @brief Spanish text of a GLib file error (G_FILE_ERROR, as g_file_get_contents() and
 * g_dir_open() report), through obs_strerror(); for any other GError its own message.
 * NULL gives "". This function can't fail.
 */
const char *obs_gerror_str(const struct _GError *e);

#ifdef __cplusplus
}
#endif

#endif /* OBSERVA_ERROR_H */
