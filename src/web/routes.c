/* routes.c - the web service's routes: one table of method, path, roles and handler; authorization on every route. */
#include <string.h>

#include "web/web_int.h"

enum {
    ALLOW_ANON = 1u << WEB_ANON,
    ALLOW_OPL = 1u << WEB_OPL,
    ALLOW_ADMIN = 1u << WEB_ADMIN,
    ALLOW_ANY = ALLOW_ANON | ALLOW_OPL | ALLOW_ADMIN,
    ALLOW_USERS = ALLOW_OPL | ALLOW_ADMIN,
};

/* A route's parameters, taken from the path: a run id and a file's path inside its set. */
typedef struct route_args {
    char id[17];
    const char *rest;
} route_args;

typedef enum MHD_Result (*route_fn)(web_request *r, const route_args *a);

/* The path pieces a route matches: "/api/corridas/{id}/archivos/{resto}". */
typedef struct route {
    const char *method;
    const char *pattern;
    unsigned allow;   /* ALLOW_*: the roles that may call it (ASVS V4.1.1: enforced here, server side) */
    bool upload;      /* a multipart body, streamed to disk */
    route_fn fn;
} route;

static enum MHD_Result r_health(web_request *r, const route_args *a)
{
    (void)a;
    return web_send_json(r, MHD_HTTP_OK, "{\"estado\":\"ok\"}");
}

static enum MHD_Result r_home(web_request *r, const route_args *a)
{
    (void)a;
    return web_page_home(r);
}

static enum MHD_Result r_css(web_request *r, const route_args *a)
{
    (void)a;
    return web_static(r, "estilo.css");
}

static enum MHD_Result r_logout(web_request *r, const route_args *a)
{
    (void)a;
    char *cookie = web_logout(r);
    enum MHD_Result ret = web_send_redirect(r, "/", cookie);
    g_free(cookie);
    return ret;
}

static enum MHD_Result r_history_page(web_request *r, const route_args *a)
{
    (void)a;
    return web_page_history(r);
}

static enum MHD_Result r_config_page(web_request *r, const route_args *a)
{
    (void)a;
    return web_page_config(r);
}

static enum MHD_Result r_run_page(web_request *r, const route_args *a)
{
    return web_page_run(r, a->id);
}

static enum MHD_Result r_run_form(web_request *r, const route_args *a)
{
    (void)a;
    return web_api_run_post(r, true);
}

static enum MHD_Result r_publish_form(web_request *r, const route_args *a)
{
    return web_api_run_publish(r, a->id, true);
}

static enum MHD_Result r_run_post(web_request *r, const route_args *a)
{
    (void)a;
    return web_api_run_post(r, false);
}

static enum MHD_Result r_run_get(web_request *r, const route_args *a)
{
    return web_api_run_get(r, a->id);
}

static enum MHD_Result r_run_zip(web_request *r, const route_args *a)
{
    return web_api_run_zip(r, a->id);
}

static enum MHD_Result r_run_file(web_request *r, const route_args *a)
{
    return web_api_run_file(r, a->id, a->rest);
}

static enum MHD_Result r_publish(web_request *r, const route_args *a)
{
    return web_api_run_publish(r, a->id, false);
}

/* The login page: a form where the administrator's token (the file of --token-archivo) or an OPL's
 * is pasted; it is sent in the body, never in a URL. */
static enum MHD_Result login_page(web_request *r, unsigned status, const char *alert)
{
    GString *b = g_string_new(NULL);
    if (alert) {
        char *m = web_html_escape(alert);
        g_string_append_printf(b, "<p class=\"error\" role=\"alert\">%s</p>\n", m);
        g_free(m);
    }
    g_string_append(b, "<form method=\"post\" action=\"/entrar\">\n"
                       "<label for=\"token\">Token de acceso</label>\n"
                       "<input type=\"password\" id=\"token\" name=\"token\" required autocomplete=\"off\" "
                       "size=\"70\">\n<p>Quien administra el servicio pega aquí el token de su archivo (DATOS/token "
                       "o el de --token-archivo); cada OPL, el token que se le entregó. También abre la sesión el "
                       "enlace de un solo uso que el servicio imprime al arrancar.</p>\n"
                       "<button type=\"submit\">Entrar</button>\n</form>\n");
    enum MHD_Result ret = web_page(r, status, "Entrar", b->str, false);
    g_string_free(b, TRUE);
    return ret;
}

/* The session cookie, then the home page (the credential leaves the address bar). */
static enum MHD_Result logged_in(web_request *r, char *cookie)
{
    web_store_audit(r->srv, r, "sesion", "token", MHD_HTTP_SEE_OTHER);
    enum MHD_Result ret = web_send_redirect(r, "/", cookie);
    g_free(cookie);
    return ret;
}

static enum MHD_Result r_login_get(web_request *r, const route_args *a)
{
    (void)a;
    const char *code = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "codigo");
    if (!code)
        return login_page(r, MHD_HTTP_OK, NULL);
    if (web_rate_limited(r))
        return web_send_error(r, MHD_HTTP_TOO_MANY_REQUESTS, "demasiados intentos fallidos; espere unos minutos");
    char *cookie = NULL;
    if (web_login_code(r, code, &cookie))
        return logged_in(r, cookie);
    web_store_audit(r->srv, r, "sesion", "codigo", MHD_HTTP_UNAUTHORIZED);
    return login_page(r, MHD_HTTP_UNAUTHORIZED,
                      "Ese enlace ya se usó, venció (dura 15 minutos) o no es válido. Entre con el token, o "
                      "reinicie el servicio para que imprima otro enlace.");
}

static enum MHD_Result r_login_post(web_request *r, const route_args *a)
{
    (void)a;
    const char *token = r->fields ? g_hash_table_lookup(r->fields, "token") : NULL;
    if (web_rate_limited(r))
        return web_send_error(r, MHD_HTTP_TOO_MANY_REQUESTS, "demasiados intentos fallidos; espere unos minutos");
    char *cookie = NULL;
    char *t = token ? g_strstrip(g_strdup(token)) : NULL;
    bool ok = t && *t && web_login(r, t, &cookie);
    g_free(t);
    if (ok)
        return logged_in(r, cookie);
    web_store_audit(r->srv, r, "sesion", "token", MHD_HTTP_UNAUTHORIZED);
    return login_page(r, MHD_HTTP_UNAUTHORIZED, "Token no válido o revocado.");
}

static enum MHD_Result r_history(web_request *r, const route_args *a)
{
    (void)a;
    return web_api_history(r);
}

static const route routes[] = {
    {"GET", "/salud", ALLOW_ANY, false, r_health},
    {"GET", "/estilo.css", ALLOW_ANY, false, r_css},
    {"GET", "/", ALLOW_USERS, false, r_home},
    {"GET", "/entrar", ALLOW_ANY, false, r_login_get},
    {"POST", "/entrar", ALLOW_ANY, false, r_login_post},
    {"GET", "/salir", ALLOW_USERS, false, r_logout},
    {"GET", "/historial", ALLOW_ADMIN, false, r_history_page},
    {"GET", "/configuracion", ALLOW_ADMIN, false, r_config_page},
    {"POST", "/corridas", ALLOW_ADMIN, true, r_run_form},
    {"GET", "/corridas/{id}", ALLOW_ADMIN, false, r_run_page},
    {"POST", "/corridas/{id}/publicar", ALLOW_ADMIN, false, r_publish_form},
    {"POST", "/api/corridas", ALLOW_ADMIN, true, r_run_post},
    {"GET", "/api/corridas/{id}.zip", ALLOW_ADMIN, false, r_run_zip},
    {"GET", "/api/corridas/{id}", ALLOW_USERS, false, r_run_get},
    {"GET", "/api/corridas/{id}/archivos/{resto}", ALLOW_USERS, false, r_run_file},
    {"POST", "/api/corridas/{id}/publicar", ALLOW_ADMIN, false, r_publish},
    {"GET", "/api/historial", ALLOW_USERS, false, r_history},
};

/* A run id: 16 lowercase hex digits. */
static size_t id_length(const char *p)
{
    size_t n = 0;
    while (n < 16 && g_ascii_isxdigit(p[n]) && !g_ascii_isupper(p[n]))
        n++;
    return n == 16 ? 16 : 0;
}

/* Whether path matches pattern; the id and the rest go into a. */
static bool matches(const char *pattern, const char *path, route_args *a)
{
    const char *p = pattern, *s = path;
    while (*p) {
        if (g_str_has_prefix(p, "{id}")) {
            size_t n = id_length(s);
            if (!n)
                return false;
            memcpy(a->id, s, n);
            a->id[n] = '\0';
            s += n;
            p += 4;
        } else if (g_str_has_prefix(p, "{resto}")) {
            if (!*s)
                return false;
            a->rest = s;
            return true;
        } else if (*p++ != *s++) {
            return false;
        }
    }
    return *s == '\0';
}

/* The route for a path and its parameters; *other_method when only another method has it. */
static const route *find_route(const char *method, const char *path, route_args *a, bool *other_method)
{
    *other_method = false;
    for (size_t i = 0; i < G_N_ELEMENTS(routes); i++) {
        route_args tmp = {0};
        if (!matches(routes[i].pattern, path, &tmp))
            continue;
        if (strcmp(routes[i].method, method) != 0) {
            *other_method = true;
            continue;
        }
        *a = tmp;
        return &routes[i];
    }
    return NULL;
}

bool web_route_takes_upload(const char *method, const char *path)
{
    route_args a;
    bool other;
    const route *rt = find_route(method, path, &a, &other);
    return rt && rt->upload;
}

bool web_route_takes_form(const char *method, const char *path)
{
    route_args a;
    bool other;
    const route *rt = find_route(method, path, &a, &other);
    return rt && !rt->upload && strcmp(rt->method, "POST") == 0;
}

/* A client that is not allowed: 403 with an identity; 401 without one, saying whether what it
 * sent (a token, a cookie) is not valid (never which) or nothing was sent. A stale cookie is cleared. */
static enum MHD_Result refuse(web_request *r)
{
    if (r->id.role != WEB_ANON)
        return web_send_error(r, MHD_HTTP_FORBIDDEN, "su acceso no permite esta operación");
    char *cookie = r->stale_cookie ? web_clear_cookie(r->srv) : NULL;
    bool api = g_str_has_prefix(r->path, "/api/");
    const char *message;
    if (r->bad_credential)
        message = "token no válido o revocado";
    else if (r->stale_cookie)
        message = api ? "token no válido o revocado: la sesión terminó o ya no es válida"
                      : "su sesión terminó o ya no es válida: entre de nuevo";
    else
        message = api ? "se requiere un token: Authorization: Bearer TOKEN"
                      : "inicie sesión: con el enlace de un solo uso que imprimió «observa servir», o con su token "
                        "en la página Entrar";
    struct MHD_Response *resp = NULL;
    enum MHD_Result ret;
    if (api) {
        char *body = g_strdup_printf("{\"error\":\"%s\"}", message);
        resp = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_COPY);
        g_free(body);
        if (!resp) {
            g_free(cookie);
            return MHD_NO;
        }
        MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
        MHD_add_response_header(resp, "WWW-Authenticate", r->bad_credential || r->stale_cookie
                                                               ? "Bearer realm=\"observa\", error=\"invalid_token\""
                                                               : "Bearer realm=\"observa\"");
        if (cookie)
            MHD_add_response_header(resp, "Set-Cookie", cookie);
        web_security_headers(r, resp);
        r->status = MHD_HTTP_UNAUTHORIZED;
        ret = MHD_queue_response(r->conn, MHD_HTTP_UNAUTHORIZED, resp);
        MHD_destroy_response(resp);
    } else {
        ret = web_send_error_full(r, MHD_HTTP_UNAUTHORIZED, message, cookie,
                                  "<p><a href=\"/entrar\">Entrar</a></p>\n");
    }
    g_free(cookie);
    return ret;
}

/* An OPL's link /?token=…: a session cookie, then the same page without the token in the URL. The
 * administrator's permanent token is not taken in a URL (the login form and Bearer take it). */
static enum MHD_Result login(web_request *r, const char *token)
{
    if (web_is_admin_token(r->srv, token))
        return web_send_error_full(r, MHD_HTTP_UNAUTHORIZED,
                                   "el token del administrador no se acepta en la dirección (quedaría en el historial "
                                   "del navegador): péguelo en la página Entrar",
                                   NULL, "<p><a href=\"/entrar\">Entrar</a></p>\n");
    char *cookie = NULL;
    if (!web_login(r, token, &cookie)) {
        web_store_audit(r->srv, r, "sesion", "token", MHD_HTTP_UNAUTHORIZED);
        return web_send_error_full(r, MHD_HTTP_UNAUTHORIZED, "token no válido o revocado", NULL,
                                   "<p><a href=\"/entrar\">Entrar</a></p>\n");
    }
    return logged_in(r, cookie);
}

enum MHD_Result web_route(web_request *r)
{
    if (r->refused && r->refuse_status == MHD_HTTP_UNAUTHORIZED)
        return refuse(r); /* the same answer as any other route without a token */
    if (r->refused)
        return web_send_error(r, r->refuse_status, r->refuse_message);
    const char *token = strcmp(r->method, "GET") == 0 && strcmp(r->path, "/") == 0
                            ? MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "token")
                            : NULL;
    if (token) {
        if (web_rate_limited(r))
            return web_send_error(r, MHD_HTTP_TOO_MANY_REQUESTS, "demasiados intentos fallidos; espere unos minutos");
        return login(r, token);
    }
    route_args a = {0};
    bool other;
    const route *rt = find_route(r->method, r->path, &a, &other);
    if (!rt)
        return other ? web_send_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "método no permitido en esta ruta")
                     : web_send_error(r, MHD_HTTP_NOT_FOUND, "no existe esa página");
    if (!(rt->allow & (1u << r->id.role)))
        return refuse(r);
    if (strcmp(rt->method, "POST") == 0 && rt->fn != r_login_post && !web_csrf_ok(r))
        return web_send_error(r, MHD_HTTP_FORBIDDEN, "falta el token CSRF de la sesión; recargue la página");
    return rt->fn(r, &a);
}

/* The checks before a body is read: a route that takes it, the roles, CSRF. */
unsigned web_route_precheck(web_request *r, const char **why)
{
    route_args a = {0};
    bool other;
    const route *rt = find_route(r->method, r->path, &a, &other);
    *why = NULL;
    if (!rt)
        return 0; /* answered at the end (404, 405) */
    if (!(rt->allow & (1u << r->id.role))) {
        *why = r->id.role == WEB_ANON ? "se requiere un token" : "su acceso no permite esta operación";
        return r->id.role == WEB_ANON ? MHD_HTTP_UNAUTHORIZED : MHD_HTTP_FORBIDDEN;
    }
    if (rt->upload && r->id.via_cookie && !web_csrf_ok(r)) {
        r->csrf_pending = true; /* the form's csrf field, checked before its first file (upload.c) */
        return 0;
    }
    if (!web_csrf_ok(r)) {
        *why = "falta el token CSRF de la sesión; recargue la página";
        return MHD_HTTP_FORBIDDEN;
    }
    return 0;
}
