/* auth.c - who asks: the administrator's token file, per-OPL tokens, cookie sessions, CSRF and a rate limit. */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "web/web_int.h"

#define SESSION_COOKIE "observa_sesion"
#define SESSION_SECONDS (12 * 3600)  /* absolute lifetime of a session (ASVS V3.3.1) */
#define FAILURE_WINDOW (10 * 60)     /* seconds a client's bad tokens are remembered */
#define FAILURE_MAX 10               /* bad tokens in a window before 429 (ASVS V2.2.1) */
#define LOGIN_CODE_SECONDS (15 * 60) /* the one-time login code printed at start expires */

typedef struct web_session {
    web_role role;
    int entidad;
    int64_t token_id;
    char csrf[65];
    int64_t expires;
} web_session;

typedef struct web_failures {
    unsigned count;
    int64_t since;
} web_failures;

static int64_t now(void)
{
    return g_get_real_time() / G_USEC_PER_SEC;
}

char *web_random_hex(size_t bytes)
{
    unsigned char buf[64];
    g_assert(bytes <= sizeof buf);
    if (RAND_bytes(buf, (int)bytes) != 1)
        g_error("observa: OpenSSL no pudo generar bytes aleatorios"); /* never returns */
    GString *s = g_string_sized_new(bytes * 2);
    for (size_t i = 0; i < bytes; i++)
        g_string_append_printf(s, "%02x", buf[i]);
    OPENSSL_cleanse(buf, sizeof buf);
    return g_string_free(s, FALSE);
}

char *web_token_hash(const char *token)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_Digest(token, strlen(token), md, &len, EVP_sha256(), NULL);
    GString *s = g_string_sized_new(64);
    for (unsigned i = 0; i < len; i++)
        g_string_append_printf(s, "%02x", md[i]);
    return g_string_free(s, FALSE);
}

/* Equal strings of hex digests, in constant time (ASVS V2.9). */
static bool same_hash(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    return la == lb && CRYPTO_memcmp(a, b, la) == 0;
}

/* Reads the administrator token, or creates the file with 256 random bits (mode 0600). */
static obs_status admin_token(const char *path, char **token, obs_error *err)
{
    char *text = NULL;
    if (g_file_get_contents(path, &text, NULL, NULL)) {
        GStatBuf st;
        if (g_stat(path, &st) == 0 && (st.st_mode & 077)) {
            g_free(text);
            return obs_error_set(err, OBS_ERR_CONFIG, path, 0, 0,
                                 "el archivo del token lo pueden leer otros usuarios; ejecute chmod 600 %s",
                                 path);
        }
        *token = g_strdup(g_strstrip(text));
        g_free(text);
        if (strlen(*token) < 32)
            return obs_error_set(err, OBS_ERR_CONFIG, path, 0, 0,
                                 "el token del administrador es demasiado corto (mínimo 32 caracteres); "
                                 "borre el archivo para que se cree uno nuevo");
        return OBS_OK;
    }
    int fd = g_open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return obs_error_set(err, OBS_ERR_CANTCREAT, path, 0, 0, "no se puede crear el archivo del token: %s",
                             obs_strerror(errno));
    *token = web_random_hex(32);
    char *line = g_strconcat(*token, "\n", NULL);
    bool ok = write(fd, line, strlen(line)) == (ssize_t)strlen(line) && fsync(fd) == 0;
    int e = errno;
    g_free(line);
    close(fd);
    if (!ok)
        return obs_error_set(err, OBS_ERR_IO, path, 0, 0, "no se pudo escribir el token: %s", obs_strerror(e));
    return OBS_OK;
}

obs_status web_auth_init(web_server *s, obs_error *err)
{
    char *path = s->opt.token_archivo ? g_strdup(s->opt.token_archivo) : g_build_filename(s->datos, "token", NULL);
    char *token = NULL;
    obs_status st = admin_token(path, &token, err);
    g_free(path);
    if (st != OBS_OK) {
        g_free(token);
        return st;
    }
    s->admin_hash = web_token_hash(token);
    s->sessions = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    s->failures = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    if (s->opt.ready) {
        /* The printed link carries a one-time code (128 random bits, 15 minutes, used up on its
         * first use), never the permanent token: the journal and the shell keep what is printed. */
        char *code = web_random_hex(16);
        char *code_hash = web_token_hash(code);
        g_strlcpy(s->login_code_hash, code_hash, sizeof s->login_code_hash);
        g_free(code_hash);
        s->login_code_expires = now() + LOGIN_CODE_SECONDS;
        const char *host = s->opt.escuchar ? s->opt.escuchar : "127.0.0.1";
        /* A wildcard address is no place to go: the name browsers use, or loopback. */
        if (strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0)
            host = s->cfg.servir_nombre && *s->cfg.servir_nombre ? s->cfg.servir_nombre : "127.0.0.1";
        bool v6 = strchr(host, ':') != NULL;
        char *url = g_strdup_printf("%s://%s%s%s:%u/entrar?codigo=%s", s->tls ? "https" : "http", v6 ? "[" : "",
                                    host, v6 ? "]" : "", s->opt.puerto, code);
        OPENSSL_cleanse(code, strlen(code));
        g_free(code);
        s->login_url = url; /* told once the server listens (obs_server_run()) */
    }
    OPENSSL_cleanse(token, strlen(token));
    g_free(token);
    return OBS_OK;
}

void web_auth_free(web_server *s)
{
    if (s->sessions)
        g_hash_table_destroy(s->sessions);
    if (s->failures)
        g_hash_table_destroy(s->failures);
    g_free(s->admin_hash);
}

bool web_rate_limited(web_request *r)
{
    g_mutex_lock(&r->srv->lock);
    web_failures *f = g_hash_table_lookup(r->srv->failures, r->ip);
    /* FAILURE_MAX bad tokens are each answered 401; only the next attempts get 429. */
    int64_t left = f ? f->since + FAILURE_WINDOW - now() : 0;
    bool limited = f && left > 0 && f->count >= FAILURE_MAX;
    r->retry_after = limited ? left : 0;
    g_mutex_unlock(&r->srv->lock);
    return limited;
}

static void count_failure(web_request *r)
{
    g_mutex_lock(&r->srv->lock);
    web_failures *f = g_hash_table_lookup(r->srv->failures, r->ip);
    if (!f || now() - f->since >= FAILURE_WINDOW) {
        f = g_new0(web_failures, 1);
        f->since = now();
        g_hash_table_replace(r->srv->failures, g_strdup(r->ip), f);
    }
    f->count++;
    bool locked = f->count == FAILURE_MAX;
    g_mutex_unlock(&r->srv->lock);
    /* Said once in the journal: who administers the service sees which address (a proxy's: every
     * client behind it) cannot log in, and that a restart ends it. Written as the request lines are
     * (UTF-8, stdio): g_printerr() converts to the locale's charset, and under LANG=C or systemd's
     * default every accented letter became "?". */
    if (locked)
        fprintf(stderr, "observa servir: %d tokens o códigos equivocados desde %s: esa dirección no puede iniciar "
                   "sesión ni usar tokens durante %d minutos (las sesiones abiertas siguen; reiniciar el servicio "
                   "lo levanta antes)\n",
                   FAILURE_MAX, r->ip, FAILURE_WINDOW / 60);
}

/* The role a token gives: the administrator's, an OPL's, or none. */
static bool identify_token(web_server *s, const char *token, web_identity *id)
{
    char *hash = web_token_hash(token);
    bool ok = false;
    if (same_hash(hash, s->admin_hash)) {
        *id = (web_identity){.role = WEB_ADMIN};
        ok = true;
    } else {
        int entidad = 0;
        int64_t tid = 0;
        if (web_store_token(s, token, &entidad, &tid)) {
            *id = (web_identity){.role = WEB_OPL, .entidad = entidad, .token_id = tid};
            ok = true;
        }
    }
    g_free(hash);
    return ok;
}

/* The value of the session cookie, or NULL. */
static const char *session_cookie(web_request *r)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
}

/* The live session with this id, copied into id; false when unknown or expired. A session of an
 * OPL token revoked since is ended here (the token is checked again on every request). */
static bool identify_session(web_server *s, const char *sid, web_identity *id)
{
    g_mutex_lock(&s->lock);
    web_session *ses = g_hash_table_lookup(s->sessions, sid);
    bool ok = ses && ses->expires > now();
    if (ok)
        *id = (web_identity){.role = ses->role, .entidad = ses->entidad, .token_id = ses->token_id,
                             .via_cookie = true};
    if (ok)
        memcpy(id->csrf, ses->csrf, sizeof id->csrf);
    else if (ses)
        g_hash_table_remove(s->sessions, sid);
    g_mutex_unlock(&s->lock);
    return ok;
}

bool web_authenticate(web_request *r)
{
    r->id = (web_identity){.role = WEB_ANON};
    const char *auth = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    const char *sid = session_cookie(r);
    if (!auth && !sid)
        return true;
    /* Only a token is guessed: a session cookie unknown here (a restart ended the sessions, or it
     * expired) leaves the request anonymous without counting against the client, who logs in again. */
    if (!auth) {
        if (!identify_session(r->srv, sid, &r->id)) {
            r->id = (web_identity){.role = WEB_ANON};
            r->stale_cookie = true;
        } else if (r->id.role == WEB_OPL && !web_store_token_alive(r->srv, r->id.token_id)) {
            g_mutex_lock(&r->srv->lock); /* the token was revoked: its sessions end with it */
            g_hash_table_remove(r->srv->sessions, sid);
            g_mutex_unlock(&r->srv->lock);
            r->id = (web_identity){.role = WEB_ANON};
            r->stale_cookie = true;
        }
        return true;
    }
    if (web_rate_limited(r))
        return false;
    bool ok = g_ascii_strncasecmp(auth, "Bearer ", 7) == 0 && identify_token(r->srv, auth + 7, &r->id);
    if (!ok) {
        count_failure(r);
        r->id = (web_identity){.role = WEB_ANON};
        r->bad_credential = true;
    }
    return true;
}

/* A new session for id: its Set-Cookie value in *cookie. */
static void new_session(web_request *r, const web_identity *idp, char **cookie)
{
    web_identity id = *idp;
    web_session *ses = g_new0(web_session, 1);
    ses->role = id.role;
    ses->entidad = id.entidad;
    ses->token_id = id.token_id;
    ses->expires = now() + SESSION_SECONDS;
    char *csrf = web_random_hex(32);
    g_strlcpy(ses->csrf, csrf, sizeof ses->csrf);
    g_free(csrf);
    char *sid = web_random_hex(32);
    g_mutex_lock(&r->srv->lock);
    g_hash_table_replace(r->srv->sessions, g_strdup(sid), ses);
    g_mutex_unlock(&r->srv->lock);
    *cookie = g_strdup_printf(SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", sid,
                              SESSION_SECONDS, r->srv->tls ? "; Secure" : "");
    r->id = id;
    g_free(sid);
}

bool web_login(web_request *r, const char *token, char **cookie)
{
    web_identity id;
    if (!identify_token(r->srv, token, &id)) {
        count_failure(r);
        return false;
    }
    new_session(r, &id, cookie);
    return true;
}

bool web_login_code(web_request *r, const char *code, char **cookie)
{
    char *hash = web_token_hash(code);
    g_mutex_lock(&r->srv->lock);
    bool ok = r->srv->login_code_hash[0] && now() < r->srv->login_code_expires &&
              same_hash(hash, r->srv->login_code_hash);
    if (ok) /* used up: the same link opens nothing again */
        OPENSSL_cleanse(r->srv->login_code_hash, sizeof r->srv->login_code_hash);
    g_mutex_unlock(&r->srv->lock);
    g_free(hash);
    if (!ok) {
        count_failure(r);
        return false;
    }
    new_session(r, &(web_identity){.role = WEB_ADMIN}, cookie);
    return true;
}

bool web_is_admin_token(web_server *s, const char *token)
{
    char *hash = web_token_hash(token);
    bool admin = same_hash(hash, s->admin_hash);
    g_free(hash);
    return admin;
}

char *web_clear_cookie(const web_server *s)
{
    return g_strdup_printf(SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s", s->tls ? "; Secure" : "");
}

char *web_logout(web_request *r)
{
    const char *sid = session_cookie(r);
    if (sid) {
        g_mutex_lock(&r->srv->lock);
        g_hash_table_remove(r->srv->sessions, sid);
        g_mutex_unlock(&r->srv->lock);
    }
    return web_clear_cookie(r->srv);
}

bool web_csrf_ok(web_request *r)
{
    if (!r->id.via_cookie)
        return true;
    const char *t = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
    if (!t && r->fields) /* the form's hidden field: never in the URL (address bar, history) */
        t = g_hash_table_lookup(r->fields, "csrf");
    return t && strlen(t) == strlen(r->id.csrf) && CRYPTO_memcmp(t, r->id.csrf, strlen(t)) == 0;
}
