/* server.c - observa servir: libmicrohttpd's daemon, each request's life, the Host check, TLS and a clean stop. */
#include <arpa/inet.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include "web/web_int.h"

#define DEFAULT_PORT 8080
#define DEFAULT_MAX_UPLOAD (200u * 1024 * 1024)

/* ---- A request's life ------------------------------------------------------------------ */

static web_request *request_new(web_server *s, struct MHD_Connection *conn, const char *url, const char *method)
{
    web_request *r = g_new0(web_request, 1);
    r->srv = s;
    r->conn = conn;
    r->method = method;
    const char *q = strchr(url, '?'); /* libmicrohttpd gives the path without the query; be sure */
    r->path = q ? g_strndup(url, (gsize)(q - url)) : g_strdup(url);
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, r->ip, sizeof r->ip);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, r->ip, sizeof r->ip);
    else
        g_strlcpy(r->ip, "?", sizeof r->ip);
    return r;
}

static void refuse_later(web_request *r, unsigned status, const char *why)
{
    if (r->refused)
        return;
    r->refused = true;
    r->refuse_status = status;
    r->refuse_message = why;
}

static enum MHD_Result count_host(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    (void)value;
    if (g_ascii_strcasecmp(key, MHD_HTTP_HEADER_HOST) == 0)
        (*(unsigned *)cls)++;
    return MHD_YES;
}

/* The Host header, once, names this server (ASVS V14.5: DNS rebinding; RFC 7230 §5.4). */
static bool host_ok(web_request *r)
{
    unsigned n = 0;
    MHD_get_connection_values(r->conn, MHD_HEADER_KIND, count_host, &n);
    const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (!host || n != 1)
        return false;
    for (guint i = 0; i < r->srv->hosts->len; i++)
        if (g_ascii_strcasecmp(host, r->srv->hosts->pdata[i]) == 0)
            return true;
    return false;
}

/* An upload route: the checks that do not need the body, then its folder. */
static void start_upload(web_request *r)
{
    const char *why = NULL;
    unsigned st = web_route_precheck(r, &why);
    if (st) {
        refuse_later(r, st, why);
        return;
    }
    const char *len = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (len && g_ascii_strtoull(len, NULL, 10) > r->srv->opt.max_subida) {
        refuse_later(r, MHD_HTTP_CONTENT_TOO_LARGE, r->srv->too_big);
        return;
    }
    char *id = web_random_hex(8);
    r->upload_dir = g_build_filename(r->srv->datos, "corridas", id, "entrada", NULL);
    g_free(id);
    if (g_mkdir_with_parents(r->upload_dir, 0700) != 0)
        refuse_later(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "no se puede guardar el envío en el servidor");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    web_server *s = cls;
    web_request *r = *con_cls;
    if (!r) {
        r = request_new(s, conn, url, method);
        *con_cls = r;
        if (!host_ok(r))
            refuse_later(r, MHD_HTTP_BAD_REQUEST, "el encabezado Host no corresponde a este servidor");
        else if (!web_authenticate(r))
            refuse_later(r, MHD_HTTP_TOO_MANY_REQUESTS, "demasiados intentos fallidos; espere unos minutos");
        else if (web_route_takes_upload(method, r->path))
            start_upload(r);
        else if (web_route_takes_form(method, r->path))
            web_form_start(r);
        /* A request refused before its body is answered now: the body is never read (no 100
         * Continue), and libmicrohttpd closes the connection after the answer. */
        if (r->refused && (r->upload_dir || web_route_takes_upload(method, r->path)))
            return web_route(r);
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!r->refused && r->upload_dir && !web_upload_feed(r, upload_data, *upload_data_size, r->upload_dir))
            refuse_later(r,
                         r->csrf_missing ? MHD_HTTP_FORBIDDEN
                         : r->too_big    ? MHD_HTTP_CONTENT_TOO_LARGE
                                         : MHD_HTTP_BAD_REQUEST,
                         r->csrf_missing ? "falta el token CSRF de la sesión; recargue la página y envíe de nuevo"
                         : r->too_big    ? r->srv->too_big
                                         : "el formulario no se pudo leer (multipart/form-data)");
        else if (!r->refused && !r->upload_dir && r->fields && !web_form_feed(r, upload_data, *upload_data_size))
            refuse_later(r, r->too_big ? MHD_HTTP_CONTENT_TOO_LARGE : MHD_HTTP_BAD_REQUEST,
                         "el formulario no se pudo leer");
        *upload_data_size = 0; /* a body a route does not take is read and dropped */
        return MHD_YES;
    }
    if (r->upload_dir)
        web_upload_end(r);
    if (r->csrf_pending && !r->refused && !web_csrf_ok(r)) /* an upload form without files nor csrf */
        refuse_later(r, MHD_HTTP_FORBIDDEN, "falta el token CSRF de la sesión; recargue la página y envíe de nuevo");
    return web_route(r);
}

static const char *const role_names[] = {"anonimo", "opl", "administrador"};

/* One line per request on stderr (the journal): no query string, no token, no personal data. */
static void log_request(const web_request *r)
{
    char when[32];
    time_t t = time(NULL);
    struct tm tm;
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    char who[24];
    if (r->id.role == WEB_OPL)
        g_snprintf(who, sizeof who, "opl:%02d", r->id.entidad);
    else
        g_strlcpy(who, role_names[r->id.role], sizeof who);
    fprintf(stderr, "%s %s %s %s %s %u\n", when, r->ip, who, r->method, r->path, r->status);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    web_request *r = *con_cls;
    if (!r)
        return;
    log_request(r);
    bool quiet = strcmp(r->path, "/salud") == 0 || strcmp(r->path, "/estilo.css") == 0;
    if (!quiet && r->status != MHD_HTTP_SEE_OTHER)
        web_store_audit(r->srv, r, r->method, r->path, (int)r->status);
    web_upload_free(r);
    if (r->upload_dir && !r->submitted) { /* no run took the upload: nothing of it stays */
        web_remove_dir(r->upload_dir);
        char *run = g_path_get_dirname(r->upload_dir);
        g_rmdir(run);
        g_free(run);
    }
    g_free(r->upload_dir);
    g_free(r->path);
    g_free(r);
    *con_cls = NULL;
}

/* ---- Starting and stopping -------------------------------------------------------------- */

static bool is_loopback(const char *addr)
{
    return strcmp(addr, "127.0.0.1") == 0 || strcmp(addr, "::1") == 0 || strcmp(addr, "localhost") == 0;
}

/* The Host values a browser or a script sends to this server. */
static void allowed_hosts(web_server *s, const char *addr)
{
    s->hosts = g_ptr_array_new_with_free_func(g_free);
    unsigned port = s->opt.puerto;
    bool v6 = strchr(addr, ':') != NULL;
    g_ptr_array_add(s->hosts, g_strdup_printf(v6 ? "[%s]:%u" : "%s:%u", addr, port));
    if (is_loopback(addr)) {
        g_ptr_array_add(s->hosts, g_strdup_printf("localhost:%u", port));
        g_ptr_array_add(s->hosts, g_strdup_printf("127.0.0.1:%u", port));
        g_ptr_array_add(s->hosts, g_strdup_printf("[::1]:%u", port));
    }
    /* [servir] nombre: the name browsers use, with or without a port (a proxy in front may send
     * Host as the name alone). */
    const char *extra = s->cfg.servir_nombre;
    if (extra && *extra) {
        g_ptr_array_add(s->hosts, g_strdup_printf("%s:%u", extra, port));
        g_ptr_array_add(s->hosts, g_strdup(extra));
    }
    if ((s->tls && port == 443) || (!s->tls && port == 80))
        g_ptr_array_add(s->hosts, g_strdup(addr));
}

/* The socket address to bind, IPv4 or IPv6. */
static bool socket_address(const char *addr, unsigned port, struct sockaddr_storage *ss, bool *v6)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *in4 = (struct sockaddr_in *)(void *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)(void *)ss;
    if (strcmp(addr, "localhost") == 0)
        addr = "127.0.0.1";
    if (inet_pton(AF_INET, addr, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        *v6 = false;
        return true;
    }
    if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        *v6 = true;
        return true;
    }
    return false;
}

static obs_status read_pem(const char *path, char **out, obs_error *err)
{
    GError *e = NULL;
    if (g_file_get_contents(path, out, NULL, &e))
        return OBS_OK;
    obs_status st = obs_error_set(err, OBS_ERR_CONFIG, path, 0, 0, "no se puede leer: %s", obs_gerror_str(e));
    g_error_free(e);
    return st;
}

/* The certificate and the key are PEM and belong together (checked with OpenSSL before listening:
 * libmicrohttpd would only fail to start, without saying why). */
static obs_status check_tls(const web_server *s, const char *cert, const char *key, obs_error *err)
{
    BIO *cb = BIO_new_mem_buf(cert, -1), *kb = BIO_new_mem_buf(key, -1);
    X509 *x = cb ? PEM_read_bio_X509(cb, NULL, NULL, NULL) : NULL;
    EVP_PKEY *k = kb ? PEM_read_bio_PrivateKey(kb, NULL, NULL, NULL) : NULL;
    obs_status st = OBS_OK;
    if (!x)
        st = obs_error_set(err, OBS_ERR_CONFIG, s->opt.certificado, 0, 0,
                           "no es un certificado X.509 en formato PEM (¿se intercambiaron --certificado y --clave?)");
    else if (!k)
        st = obs_error_set(err, OBS_ERR_CONFIG, s->opt.clave, 0, 0,
                           "no es una clave privada en formato PEM sin contraseña");
    else if (X509_check_private_key(x, k) != 1)
        st = obs_error_set(err, OBS_ERR_CONFIG, s->opt.clave, 0, 0, "la clave no corresponde al certificado %s",
                           s->opt.certificado);
    X509_free(x);
    EVP_PKEY_free(k);
    BIO_free(cb);
    BIO_free(kb);
    ERR_clear_error();
    return st;
}

/* The listening socket, bound before anything is created: a port in use leaves no DATOS nor token behind. */
static obs_status bind_socket(web_server *s, const char *addr, obs_error *err)
{
    struct sockaddr_storage ss;
    bool v6 = false;
    if (!socket_address(addr, s->opt.puerto, &ss, &v6))
        return obs_error_set(err, OBS_ERR_USAGE, NULL, 0, 0,
                             "--escuchar «%s» no es una dirección IPv4 ni IPv6 (por ejemplo 127.0.0.1 o ::1)", addr);
    int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    socklen_t len = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    if (fd < 0 || bind(fd, (const struct sockaddr *)&ss, len) != 0 || listen(fd, 64) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return obs_error_set(err, OBS_ERR_IO, NULL, 0, 0, "no se pudo escuchar en %s, puerto %u: %s (¿otro programa lo usa?)",
                             addr, s->opt.puerto, obs_strerror(e));
    }
    s->listen_fd = fd;
    return OBS_OK;
}

static obs_status start_daemon(web_server *s, const char *addr, obs_error *err)
{
    bool v6 = strchr(addr, ':') != NULL;
    char *cert = NULL, *key = NULL;
    obs_status st = OBS_OK;
    if (s->tls && (st = read_pem(s->opt.certificado, &cert, err)) == OBS_OK)
        st = read_pem(s->opt.clave, &key, err);
    if (s->tls && st == OBS_OK)
        st = check_tls(s, cert, key, err);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ITC |
                     (v6 ? MHD_USE_IPv6 : 0) | (s->tls ? MHD_USE_TLS : 0);
    if (st == OBS_OK) {
        s->daemon = s->tls ? MHD_start_daemon(
                                 flags, (uint16_t)s->opt.puerto, NULL, NULL, on_request, s, MHD_OPTION_LISTEN_SOCKET, s->listen_fd,
                                 MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_CONNECTION_LIMIT, 64u,
                                 MHD_OPTION_PER_IP_CONNECTION_LIMIT, 16u, MHD_OPTION_CONNECTION_TIMEOUT, 120u,
                                 MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)256 * 1024, MHD_OPTION_STRICT_FOR_CLIENT,
                                 1, MHD_OPTION_HTTPS_MEM_CERT, cert, MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_END)
                           : MHD_start_daemon(
                                 flags, (uint16_t)s->opt.puerto, NULL, NULL, on_request, s, MHD_OPTION_LISTEN_SOCKET, s->listen_fd,
                                 MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_CONNECTION_LIMIT, 64u,
                                 MHD_OPTION_PER_IP_CONNECTION_LIMIT, 16u, MHD_OPTION_CONNECTION_TIMEOUT, 120u,
                                 MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)256 * 1024, MHD_OPTION_STRICT_FOR_CLIENT,
                                 1, MHD_OPTION_END);
        if (!s->daemon)
            st = obs_error_set(err, OBS_ERR_IO, NULL, 0, 0,
                               "no se pudo escuchar en %s, puerto %u (¿el certificado y la clave corresponden?)", addr,
                               s->opt.puerto);
        else
            s->listen_fd = -1; /* the daemon's now */
    }
    g_free(cert);
    g_free(key);
    return st;
}

/* The options' own rules: datos required; TLS off loopback unless sin_tls; certificate with key. */
static obs_status check_options(web_server *s, const char *addr, obs_error *err)
{
    if (!s->opt.datos || !*s->opt.datos)
        return obs_error_set(err, OBS_ERR_USAGE, NULL, 0, 0, "falta --datos DIR (las corridas y el historial)");
    if (!s->opt.certificado != !s->opt.clave)
        return obs_error_set(err, OBS_ERR_USAGE, NULL, 0, 0, "--certificado y --clave van juntos");
    s->tls = s->opt.certificado != NULL;
    if (!s->tls && !is_loopback(addr) && !s->opt.sin_tls)
        return obs_error_set(err, OBS_ERR_USAGE, NULL, 0, 0,
                             "escuchar en %s sin TLS expondría los tokens y las exportaciones en la red: indique "
                             "--certificado y --clave, o --sin-tls si un proxy con TLS está delante",
                             addr);
    return OBS_OK;
}

/* Everything the server needs before it listens: folders, configuration, catalogue, token, pool. */
static obs_status prepare(web_server *s, const char *addr, obs_error *err)
{
    obs_status st = check_options(s, addr, err);
    if (st == OBS_OK)
        st = bind_socket(s, addr, err);
    if (st != OBS_OK)
        return st;
    s->datos = g_strdup(s->opt.datos);
    char *runs = g_build_filename(s->datos, "corridas", NULL);
    if (g_mkdir_with_parents(runs, 0700) != 0)
        st = obs_error_set(err, OBS_ERR_CANTCREAT, runs, 0, 0, "no se puede crear: %s", obs_strerror(errno));
    g_free(runs);
    s->history_path = g_build_filename(s->datos, "historial.sqlite", NULL);
    obs_config_init(&s->cfg);
    if (st == OBS_OK && s->opt.config)
        st = obs_config_load(&s->cfg, s->opt.config, err);
    if (st == OBS_OK && s->opt.config)
        g_file_get_contents(s->opt.config, &s->config_text, NULL, NULL);
    if (!s->opt.trabajos && s->cfg.servir_trabajos > 0)
        s->opt.trabajos = (unsigned)MIN(s->cfg.servir_trabajos, 16);
    if (!s->opt.retencion_dias && s->cfg.servir_retencion_dias > 0)
        s->opt.retencion_dias = (unsigned)MIN(s->cfg.servir_retencion_dias, 3650);
    if (st == OBS_OK)
        st = obs_catalog_load(s->opt.plantillas, &s->cat, err);
    if (st == OBS_OK)
        st = web_store_open(s, err);
    if (st == OBS_OK)
        st = web_auth_init(s, err);
    if (st == OBS_OK)
        st = web_jobs_init(s, err);
    if (st == OBS_OK)
        allowed_hosts(s, addr);
    return st;
}

static void cleanup(web_server *s)
{
    web_jobs_stop(s);
    web_auth_free(s);
    if (s->history)
        web_store_close(s);
    obs_catalog_free(s->cat);
    obs_config_clear(&s->cfg);
    if (s->hosts)
        g_ptr_array_free(s->hosts, TRUE);
    g_free(s->config_text);
    g_free(s->too_big);
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    g_free(s->history_path);
    g_free(s->datos);
    g_mutex_clear(&s->lock);
}

obs_status obs_server_run(const obs_server_options *opt, obs_error *err)
{
    web_server s = {.opt = *opt, .listen_fd = -1};
    /* DATOS, the history (the tokens' hashes), the uploads and the sets: the service's own (0700, 0600),
     * outside systemd too (its unit says UMask=0077). */
    umask(0077);
    g_mutex_init(&s.lock);
    if (!s.opt.puerto)
        s.opt.puerto = DEFAULT_PORT;
    if (!s.opt.max_subida)
        s.opt.max_subida = DEFAULT_MAX_UPLOAD;
    s.too_big = g_strdup_printf("el envío excede el tamaño máximo permitido: %" G_GUINT64_FORMAT " MB en total; "
                                "suba menos archivos a la vez o pida a quien administra el servidor un límite mayor",
                                (guint64)(s.opt.max_subida / (1024 * 1024)));
    const char *addr = s.opt.escuchar ? s.opt.escuchar : "127.0.0.1";
    /* SIGTERM and SIGINT are taken by sigwait below: blocked before any thread starts. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    obs_status st = prepare(&s, addr, err);
    if (st == OBS_OK)
        st = start_daemon(&s, addr, err);
    if (st == OBS_OK && s.login_url && s.opt.ready)
        s.opt.ready(s.opt.user, s.login_url);
    if (s.login_url)
        OPENSSL_cleanse(s.login_url, strlen(s.login_url));
    g_clear_pointer(&s.login_url, g_free);
    if (st == OBS_OK) {
        int sig = 0;
        sigwait(&set, &sig);
        fprintf(stderr, "observa servir: señal %s recibida; termina lo que está en curso y se detiene\n",
                sig == SIGTERM ? "SIGTERM" : "SIGINT");
        MHD_quiesce_daemon(s.daemon); /* no new connections */
    }
    web_jobs_stop(&s); /* the running runs finish (each publishes all or nothing); the queued ones are dropped */
    if (s.daemon)
        MHD_stop_daemon(s.daemon);
    cleanup(&s);
    return st;
}
