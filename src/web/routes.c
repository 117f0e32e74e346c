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
    return web_send_json(r, MHD_HTTP_OK, "{\"estado\": \"ok\"}");
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

static enum MHD_Result r_history(web_request *r, const route_args *a)
{
    (void)a;
    return web_api_history(r);
}

static const route routes[] = {
    {"GET", "/salud", ALLOW_ANY, false, r_health},
    {"GET", "/estilo.css", ALLOW_ANY, false, r_css},
    {"GET", "/", ALLOW_USERS, false, r_home},
    {"GET", "/salir", ALLOW_USERS, false, r_logout},
    {"GET", "/historial", ALLOW_ADMIN, false, r_history_page},
    {"GET", "/configuracion", ALLOW_ADMIN, false, r_config_page},
    {"POST", "/corridas", ALLOW_ADMIN, true, r_run_form},
    {"GET", "/corridas/{id}", ALLOW_ADMIN, false, r_run_page},
    {"POST", "/corridas/{id}/publicar", ALLOW_ADMIN, false, r_publish_form},
    {"POST", "/api/corridas", ALLOW_ADMIN, true, r_run_post},
    {"GET", "/api/corridas/{id}.zip", ALLOW_ADMIN, false, r_run_zip},
    {"GET", "/api/corridas/{id}", ALLOW_ADMIN, false, r_run_get},
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

/* A client that is not allowed: 401 without identity (the API says how to send one), 403 with one. */
static enum MHD_Result refuse(web_request *r)
{
    if (r->id.role != WEB_ANON)
        return web_send_error(r, MHD_HTTP_FORBIDDEN, "su acceso no permite esta operación");
    if (!g_str_has_prefix(r->path, "/api/"))
        return web_send_error(r, MHD_HTTP_UNAUTHORIZED,
                              "inicie sesión con el enlace que imprimió «observa servir» (…/?token=…) o con el "
                              "que le dio quien administra el servicio");
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        strlen("{\"error\": \"se requiere un token: Authorization: Bearer TOKEN\"}"),
        (void *)"{\"error\": \"se requiere un token: Authorization: Bearer TOKEN\"}", MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
    MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"observa\"");
    web_security_headers(r, resp);
    r->status = MHD_HTTP_UNAUTHORIZED;
    enum MHD_Result ret = MHD_queue_response(r->conn, MHD_HTTP_UNAUTHORIZED, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* The login URL /?token=…: a session cookie, then the same page without the token in the URL. */
static enum MHD_Result login(web_request *r, const char *token)
{
    char *cookie = NULL;
    if (!web_login(r, token, &cookie)) {
        web_store_audit(r->srv, r, "sesion", "token", MHD_HTTP_UNAUTHORIZED);
        return web_send_error(r, MHD_HTTP_UNAUTHORIZED, "el token no es válido o fue revocado");
    }
    web_store_audit(r->srv, r, "sesion", "token", MHD_HTTP_SEE_OTHER);
    enum MHD_Result ret = web_send_redirect(r, "/", cookie);
    g_free(cookie);
    return ret;
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
    if (strcmp(rt->method, "POST") == 0 && !web_csrf_ok(r))
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
    if (!web_csrf_ok(r)) {
        *why = "falta el token CSRF de la sesión; recargue la página";
        return MHD_HTTP_FORBIDDEN;
    }
    return 0;
}
