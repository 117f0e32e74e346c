/* web_int.h - internal: the web service's shared state: requests, identities, runs and the server. */
#ifndef OBSERVA_WEB_INT_H
#define OBSERVA_WEB_INT_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

#include "observa/catalog.h"
#include "observa/config.h"
#include "observa/history.h"
#include "observa/server.h"

/* ---- Who is asking (auth.c) ------------------------------------------------------------- */

typedef enum { WEB_ANON = 0, WEB_OPL, WEB_ADMIN } web_role;

typedef struct web_identity {
    web_role role;
    int entidad;       /* an OPL's entidad, 1..32; 0 otherwise */
    int64_t token_id;  /* an OPL token's id in the history; 0 for the administrator */
    bool via_cookie;   /* authenticated by the session cookie (CSRF applies) */
    char csrf[65];     /* the session's CSRF token (hex), when via_cookie */
} web_identity;

/* ---- A run of the pipeline started from the web (jobs.c) -------------------------------- */

typedef enum { JOB_QUEUED = 0, JOB_RUNNING, JOB_DONE, JOB_FAILED } web_job_state;

typedef struct web_job {
    char id[17];            /* 16 hex digits, random: run ids cannot be guessed */
    char *dir;              /* DATOS/corridas/ID */
    web_job_state state;
    obs_day corte;
    obs_day anterior;
    unsigned documentos;    /* OBS_DOC_* */
    GPtrArray *solicitudes; /* paths of the uploaded files, in upload order */
    GPtrArray *difusion;
    GPtrArray *names[2];    /* the names each export's files are shown by (the user's), parallel to the paths */
    int64_t created;        /* unix time */
    int exit_status;        /* the CLI's exit status for the same outcome */
    char *message;          /* why it failed, Spanish; NULL when it did not */
    char *totals;           /* the control totals as JSON (an object), once read */
    GPtrArray *problems;    /* the first WEB_MAX_PROBLEMS problems, "file:line:col: nivel: text" */
    uint64_t nproblems;
    unsigned step, steps;   /* rendering progress */
    int64_t history_id;     /* the run's id in the history, 0 without */
    GHashTable *oficio;     /* the [oficio] numbering and dates the run's letters use (the form's over the
                             * configuration's), NULL when it writes none (oficio.c) */
} web_job;

#define WEB_MAX_PROBLEMS 200

/* ---- The server ----------------------------------------------------------------------- */

typedef struct web_server {
    obs_server_options opt;
    struct MHD_Daemon *daemon;
    bool tls;
    char *datos;
    char *history_path;
    char *admin_hash;        /* SHA-256 (hex) of the administrator token */
    char *login_url;         /* the one-time login URL, until it is told (then wiped) */
    char login_code_hash[65];/* SHA-256 (hex) of the one-time login code; empty once used or expired */
    int64_t login_code_expires;
    char *too_big;           /* the message for an envío over the cap, with the cap in MB */
    int listen_fd;           /* the socket bound before anything is created; -1 once the daemon has it */
    GPtrArray *hosts;        /* accepted Host header values */
    obs_catalog *cat;
    obs_config cfg;          /* the configuration ([informe], [difusion], [oficio], [servir]) */
    char *config_text;       /* the configuration file as read, for the Configuración page */
    GMutex lock;             /* sessions, failures, jobs */
    GHashTable *sessions;    /* session id (hex) → web_session* */
    GHashTable *failures;    /* client address → web_failures* */
    GHashTable *jobs;        /* id → web_job* */
    GThreadPool *pool;       /* runs the jobs */
    obs_history *history;    /* the server's own connection (tokens, audit, publication) */
    GMutex hist_lock;        /* one statement at a time on it; each run opens its own */
    volatile int stopping;
} web_server;

/* One request being answered: its identity and, for an upload, the form being received. */
typedef struct web_request {
    web_server *srv;
    struct MHD_Connection *conn;
    const char *method;
    char *path;              /* the URL path, without the query */
    char ip[64];
    web_identity id;
    /* A body being received: form fields and files, under the size cap. */
    struct MHD_PostProcessor *pp;
    GHashTable *fields;      /* name → value (small fields; the last one wins) */
    GPtrArray *files[2];     /* web_upload*: solicitudes, difusion */
    uint64_t received;
    bool too_big;
    bool body_error;
    bool body_incomplete;    /* a multipart body that ended before its closing boundary */
    bool refused;            /* refused while receiving: the body is discarded, the error sent at its end */
    unsigned refuse_status;
    const char *refuse_message;
    char *upload_dir;        /* DATOS/corridas/ID/entrada of an upload, removed unless a run took it */
    bool submitted;          /* a run took the upload */
    bool bad_credential;     /* a Bearer token was sent and is not valid (or was revoked) */
    bool stale_cookie;       /* a session cookie was sent that names no live session */
    bool csrf_pending;       /* a cookie upload whose CSRF token comes in the form (field csrf, before the files) */
    bool csrf_missing;       /* a file arrived before a valid csrf field: refused (403) */
    unsigned status;         /* the status sent (for the log) */
    int64_t retry_after;     /* seconds until a rate-limited client may try again (Retry-After of a 429) */
} web_request;

/* A file being uploaded into the run's folder, under a name of observa's choosing. */
typedef struct web_upload {
    char *path;        /* where it is stored: DATOS/corridas/ID/entrada/s1/<ASCII name> */
    char *name;        /* the user's file name, shown everywhere (UTF-8, only the unsafe removed) */
    int fd;
    uint64_t size;
    GChecksum *sha;    /* SHA-256 of the content, as it arrives */
    char sha256[65];   /* its hex digest, once the file is closed */
} web_upload;

/* ---- http.c: responses ------------------------------------------------------------------- */

/* Queues a response with the security headers (and the given content type), then frees it. */
enum MHD_Result web_send(web_request *r, unsigned status, const char *type, const char *body, size_t len);
enum MHD_Result web_send_html(web_request *r, unsigned status, const char *html);
enum MHD_Result web_send_json(web_request *r, unsigned status, const char *json);
/* A short error: JSON {"error": …} under /api/ and /salud, an HTML page elsewhere (the normal
 * frame, the message capitalised). */
enum MHD_Result web_send_error(web_request *r, unsigned status, const char *message);
/* The same, with a Set-Cookie header (NULL for none) and, for HTML, more of the body after the message. */
enum MHD_Result web_send_error_full(web_request *r, unsigned status, const char *message, const char *cookie,
                                    const char *more_html);
/* A page in the normal frame: skip link, navigation by role, title, body; refresh while a run works. */
enum MHD_Result web_page(web_request *r, unsigned status, const char *title, const char *body, bool refresh);
/* JSON text in the service's one style (compact, as json-glib writes it without pretty printing). */
char *web_json_text(JsonNode *root);
enum MHD_Result web_send_redirect(web_request *r, const char *location, const char *cookie);
/* A file of a run, streamed from disk (status 404 when it is gone). */
enum MHD_Result web_send_file(web_request *r, const char *path, const char *download_name);
/* Adds the headers every response carries (CSP, nosniff, referrer, frames, cache). */
void web_security_headers(const web_request *r, struct MHD_Response *resp);
/* Text escaped for HTML (g_free). */
char *web_html_escape(const char *s);
/* The content type of an output file by its name. */
const char *web_content_type(const char *name);

/* ---- auth.c: identities, sessions, CSRF, rate limits ----------------------------------- */

obs_status web_auth_init(web_server *s, obs_error *err);
void web_auth_free(web_server *s);
/* Who sends this request (cookie session or Bearer token); WEB_ANON when nobody valid. Returns
 * false when the client is rate-limited (too many bad tokens): answer 429. */
bool web_authenticate(web_request *r);
/* A token (the login form, an OPL's …/?token= link): on success a new session whose id goes in
 * *cookie (a Set-Cookie value, g_free). Returns false for a bad token (counted against the client). */
bool web_login(web_request *r, const char *token, char **cookie);
/* The one-time login code printed at start: a new administrator session when it is the code, not
 * used yet and not expired (it is used up then). False otherwise (counted against the client). */
bool web_login_code(web_request *r, const char *code, char **cookie);
/* True when the token is the administrator's (it is never accepted in a URL). */
bool web_is_admin_token(web_server *s, const char *token);
/* The Set-Cookie value that clears the session cookie (g_free). */
char *web_clear_cookie(const web_server *s);
/* The Set-Cookie value that ends the request's session (g_free). */
char *web_logout(web_request *r);
/* True when a state-changing cookie request carries its session's CSRF token (header
 * X-CSRF-Token or the form field csrf); always true for Bearer requests. */
bool web_csrf_ok(web_request *r);
/* True when the client has failed too often lately. */
bool web_rate_limited(web_request *r);
/* The hex SHA-256 of a token. */
char *web_token_hash(const char *token);
/* 32 random bytes as 64 hex digits (g_free). */
char *web_random_hex(size_t bytes);

/* ---- store.c: the history's side of the web (tokens, audit, publication) ---------------- */

obs_status web_store_open(web_server *s, obs_error *err);
void web_store_close(web_server *s);
/* The history state of a run's entry (OBS_HIST_STATES when it has none or it cannot be read). */
obs_history_state web_store_run_state(web_server *s, int64_t hid);
/* The OPL token (as sent): its entidad and id; false when unknown or revoked. */
bool web_store_token(web_server *s, const char *token, int *entidad, int64_t *id);
/* True while the OPL token with this id is not revoked. */
bool web_store_token_alive(web_server *s, int64_t id);
/* One line of the audit log: who (role, entidad, token), from where, what, on what, outcome. */
void web_store_audit(web_server *s, const web_request *r, const char *action, const char *object, int status);

/* ---- upload.c: receiving a multipart form ------------------------------------------------ */

/* A small form's body (application/x-www-form-urlencoded or multipart without files) into r->fields. */
void web_form_start(web_request *r);
bool web_form_feed(web_request *r, const char *data, size_t size);

/* Feeds a piece of the body; false when the request must be refused (the reason is in r). */
bool web_upload_feed(web_request *r, const char *data, size_t size, const char *dir);
/* Ends the body: closes the files. */
void web_upload_end(web_request *r);
void web_upload_free(web_request *r);

/* ---- jobs.c: runs of the pipeline ---------------------------------------------------------- */

obs_status web_jobs_init(web_server *s, obs_error *err);
/* Stops the pool: the running runs finish, the queued ones are dropped as failed. */
void web_jobs_stop(web_server *s);
/* A new run from a received form; NULL with *why (Spanish, g_free) when the form is not valid. */
web_job *web_job_submit(web_server *s, web_request *r, char **why, unsigned *status);
/* The day the documents are dated (the generation time's day in Mexico City): no corte after it. */
obs_day web_today(const web_server *s);
/* The run with this id, or NULL; the server's lock must be held while it is read. */
web_job *web_job_find(web_server *s, const char *id);
/* What a run has to say, for every state (Spanish; g_free; lock held): why it waits, how far it
 * is, its notices once finished, or why it failed. */
char *web_job_message(web_server *s, const web_job *j);
/* The run as JSON: {id, estado, corte, corte_anterior, totales, problemas, archivos, oficio, mensaje,
 * progreso} (g_free; lock held). */
char *web_job_json(web_server *s, const web_job *j, bool full);
/* Publishes the run's history entry (replace: in place of its corte's publication, which is kept as
 * a superseded vintage); an HTTP status and a Spanish message when it cannot. Publishing a run that
 * is already published is 200 with *already set (a double submit does nothing more). */
unsigned web_job_publish(web_server *s, web_job *j, bool replace, bool *already, char **message);
/* The confirmation form to publish a run in place of its corte's publication, with a link to it
 * (lock held). */
void web_replace_form(web_request *r, const web_job *j, GString *b);
/* A published run as an OPL may see it: {id, estado, corte, archivos} with its own files only; NULL
 * when the run is not done and published (g_free). */
char *web_job_json_opl(web_request *r, const char *id);
/* The folder a run wrote its set into. */
char *web_job_output_dir(const web_job *j);
/* True when the run published files to read: a finished run's set, or what a failed run published
 * (a run refused for its data: rechazos.csv and manifest.json); lock held. */
bool web_job_has_set(const web_job *j);

/* ---- oficio.c: the letters' settings of one run ------------------------------------------- */

/* True when the server's configuration has an [oficio] section: the letters are offered. */
bool web_letters_offered(const web_server *s);
/* The form field for the first number that matches the configuration's numbering:
 * oficio_numero_inicial (numero with {n}), oficio_numeros (a list) or oficio_numero (one number). */
const char *web_oficio_number_field(const web_server *s);
/* True for a form field of the letters this server takes (only with letters offered). */
bool web_oficio_is_field(const web_server *s, const char *name);
/* The label a page gives an oficio field («Número del primer oficio»…). */
const char *web_oficio_label(const char *field);
/* The form's letter fields over a copy of the server's [oficio] (never changed), checked with
 * obs_oficio_check() for the corte: why not (Spanish, g_free) or NULL, with *used the numbering and
 * dates the run's letters will use (NULL when docs has no letters). */
char *web_oficio_read(const web_server *s, GHashTable *form, obs_day corte, obs_day today, unsigned docs,
                      GHashTable **used);
/* Puts a run's numbering and dates into its own [oficio] table (NULL used: nothing). */
void web_oficio_apply(GHashTable *oficio, GHashTable *used);
/* The values as a JSON object ({numero, numero_inicial, sesion_fecha, fecha}), or null. */
void web_oficio_json(JsonBuilder *b, GHashTable *used);
/* The values back from that JSON (NULL for null). */
GHashTable *web_oficio_from_json(JsonNode *node);
/* The Generar form's fieldset for the letters (nothing when they are not offered). */
void web_oficio_form(const web_server *s, GString *b);
/* A run page's list of the values its letters used (nothing for NULL). */
void web_oficio_page(GHashTable *used, GString *b);

/* ---- jobs_disk.c: runs across restarts ------------------------------------------------------ */

/* Writes the run's state to DATOS/corridas/ID/estado.json (lock held). */
void web_job_save(const web_job *j);
/* The runs of earlier sessions, from their estado.json; one without it was interrupted (failed). */
void web_jobs_load(web_server *s);
/* Removes a folder and what is in it (the uploads of a run), not following links. */
void web_remove_dir(const char *dir);
/* Removes the uploaded exports of runs older than the retention. */
void web_uploads_expire(const web_server *s);

/* ---- set.c: a run's published set ------------------------------------------------------- */

/* A file of a set, as its manifest.json lists it. */
typedef struct web_file {
    char *ruta;
    char *tipo;
    char *sha256;
    int64_t bytes;
} web_file;

/* The files of the set in dir, in manifest order (g_ptr_array_free); NULL with err set when the
 * folder has no readable manifest. */
GPtrArray *web_set_files(const char *dir, obs_error *err);

/* {ruta, tipo, tamano, sha256}: a file of a set in the API's JSON. */
void web_file_json(JsonBuilder *b, const web_file *f);

/* Writes the ZIP of a run's published files (manifest order) to a new temporary file in tmpdir; its path
 * (g_free; the caller unlinks it) or NULL with err set. */
char *web_zip_set(const char *dir, const char *tmpdir, obs_error *err);

/* ---- history.c: the history's pages and parts of pages -------------------------------------- */

/* What an OPL may download of a published run: its own summaries and letter, nothing national. */
bool web_opl_may_read(int entidad, const char *rel);
/* The documents of the OPL's entidad in published runs, as a list of links. */
void web_opl_documents(web_request *r, GString *b);
/* How a page names a run's state: en proceso, fallida, or lista with its state in the history
 * (publicada, borrador, sustituida); lock held. */
const char *web_job_state_text(web_server *s, const web_job *j);
/* A finished run's files (size, SHA-256, link), its ZIP and its publication (lock held). */
void web_run_files(web_request *r, const web_job *j, GString *b);
/* The Historial page's body: runs, publications, vintages. */
void web_history_section(web_request *r, GString *b);

/* ---- pages.c and api.c: what each route answers ------------------------------------------ */

enum MHD_Result web_page_home(web_request *r);
enum MHD_Result web_page_run(web_request *r, const char *id);
enum MHD_Result web_page_history(web_request *r);
enum MHD_Result web_page_config(web_request *r);
enum MHD_Result web_static(web_request *r, const char *name);

enum MHD_Result web_api_run_post(web_request *r, bool page);
enum MHD_Result web_api_run_get(web_request *r, const char *id);
enum MHD_Result web_api_run_file(web_request *r, const char *id, const char *rel);
enum MHD_Result web_api_run_zip(web_request *r, const char *id);
enum MHD_Result web_api_run_publish(web_request *r, const char *id, bool page);
enum MHD_Result web_api_history(web_request *r);

/* ---- words.c: what a web user can act on ---------------------------------------------- */

/* A message of the library for a web user: the CLI's hints (options, commands, history numbers)
 * become the form field, button or page to use, or the server's configuration (g_free). Server
 * paths are the caller's to take out (jobs.c's shown_text()). */
char *web_words(const char *message);

/* ---- routes.c -------------------------------------------------------------------------- */

/* Answers a request whose body (if any) has been received. */
enum MHD_Result web_route(web_request *r);
/* True when the route takes a multipart body (uploads are streamed as they arrive). */
bool web_route_takes_upload(const char *method, const char *path);
/* True when the route reads a small form body (the login form, publish). */
bool web_route_takes_form(const char *method, const char *path);
/* Before a body is read: 0 to go on, else the status to refuse with and *why (roles, CSRF). */
unsigned web_route_precheck(web_request *r, const char **why);

#endif /* OBSERVA_WEB_INT_H */
