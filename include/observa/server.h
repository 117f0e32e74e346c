/* server.h - observa's web service: the pipeline, the history and the documents over HTTP, for browsers and scripts. */
#ifndef OBSERVA_SERVER_H
#define OBSERVA_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "observa/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief How `observa servir` runs (cli.md; README "observa en el navegador"). */
typedef struct obs_server_options {
    const char *escuchar;      /**< Address to listen on; NULL = 127.0.0.1. */
    unsigned puerto;           /**< TCP port; 0 = 8080. */
    const char *datos;         /**< Folder of the runs, the uploads and the history (required). */
    const char *config;        /**< lote.ini-style configuration ([informe], [difusion], [oficio],
                                *   [servir]), or NULL. */
    const char *plantillas;    /**< Templates and catalogues, or NULL for the default. */
    const char *token_archivo; /**< The administrator token file; NULL = DATOS/token. Created with
                                *   256 random bits, mode 0600, when absent. */
    const char *certificado;   /**< PEM certificate for TLS, or NULL. */
    const char *clave;         /**< PEM private key for TLS, or NULL. */
    bool sin_tls;              /**< Listen without TLS on an address other than loopback. */
    uint64_t max_subida;       /**< Largest request body in bytes; 0 = 200 MB. */
    unsigned trabajos;         /**< Runs executed at once; 0 = 1. */
    unsigned retencion_dias;   /**< Keep uploaded exports this many days after their run; 0 = delete. */
    /** Called once listening, with the one-time login URL (http://127.0.0.1:8080/entrar?codigo=…: a
     *  code good once and for 15 minutes, never the administrator's token). */
    void (*ready)(void *user, const char *login_url);
    void *user;
} obs_server_options;

/**
 * @brief Serves until SIGTERM or SIGINT: then it stops accepting requests, lets the running runs
 * finish (each publishes its whole set or nothing), drops the queued ones, and returns.
 *
 * Security (OWASP ASVS 4.0.3 level 2, README): loopback by default, TLS required elsewhere unless
 * sin_tls; the Host header checked; every route but /salud authenticated (the administrator's
 * token, or a per-OPL token from obs_access_create(), by cookie session or Bearer); authorization
 * on every route; CSRF tokens on cookie requests that change state; security headers; uploads
 * streamed to disk under a size cap; token attempts rate-limited; an audit log in the history.
 *
 * @return OBS_OK after a clean stop; OBS_ERR_USAGE (options: no datos, an address without TLS,
 *         a certificate without its key); OBS_ERR_CONFIG (the configuration, the templates, a
 *         certificate that cannot be read); OBS_ERR_CANTCREAT (datos or the token file); OBS_ERR_IO
 *         (the port cannot be bound: the message says which).
 */
obs_status obs_server_run(const obs_server_options *opt, obs_error *err);

#ifdef __cplusplus
}
#endif

#endif /* OBSERVA_SERVER_H */
