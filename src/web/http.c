/* http.c - the web service's responses: security headers on every one, HTML, JSON, files and errors. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "web/web_int.h"

/* OWASP ASVS 4.0.3 V14.4: no inline script or style, no framing, no sniffing, no referrer. */
static const char CSP[] = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                          "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

void web_security_headers(const web_request *r, struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (r->srv->tls)
        MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
}

static enum MHD_Result queue(web_request *r, unsigned status, struct MHD_Response *resp)
{
    if (!resp)
        return MHD_NO;
    web_security_headers(r, resp);
    if (status == MHD_HTTP_TOO_MANY_REQUESTS) { /* RFC 6585 §4: when to try again, in seconds */
        char secs[24];
        g_snprintf(secs, sizeof secs, "%" G_GINT64_FORMAT, r->retry_after > 0 ? r->retry_after : 1);
        MHD_add_response_header(resp, "Retry-After", secs);
    }
    r->status = status;
    enum MHD_Result ret = MHD_queue_response(r->conn, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

enum MHD_Result web_send(web_request *r, unsigned status, const char *type, const char *body, size_t len)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (resp && type)
        MHD_add_response_header(resp, "Content-Type", type);
    return queue(r, status, resp);
}

enum MHD_Result web_send_html(web_request *r, unsigned status, const char *html)
{
    return web_send(r, status, "text/html; charset=utf-8", html, strlen(html));
}

enum MHD_Result web_send_json(web_request *r, unsigned status, const char *json)
{
    return web_send(r, status, "application/json; charset=utf-8", json, strlen(json));
}

char *web_html_escape(const char *s)
{
    return g_markup_escape_text(s ? s : "", -1);
}

/* A JSON string literal of s (g_free). */
static char *json_string(const char *s)
{
    GString *o = g_string_new("\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            g_string_append_printf(o, "\\%c", *p);
        else if (*p < 0x20)
            g_string_append_printf(o, "\\u%04x", *p);
        else
            g_string_append_c(o, (char)*p);
    }
    g_string_append_c(o, '"');
    return g_string_free(o, FALSE);
}

/* The page's HTML (g_free). */
static char *page_html(const web_request *r, const char *title, const char *body, bool refresh)
{
    GString *s = g_string_new("<!DOCTYPE html>\n<html lang=\"es-MX\">\n<head><meta charset=\"utf-8\">"
                              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    if (refresh)
        g_string_append(s, "<meta http-equiv=\"refresh\" content=\"3\">");
    char *t = web_html_escape(title);
    g_string_append_printf(s, "<title>%s · observa</title><link rel=\"stylesheet\" href=\"/estilo.css\"></head>\n"
                              "<body><a class=\"saltar\" href=\"#contenido\">Saltar al contenido</a>"
                              "<header><nav aria-label=\"Principal\"><strong>observa</strong>",
                           t);
    if (r->id.role == WEB_ADMIN)
        g_string_append(s, "<a href=\"/\">Generar</a><a href=\"/historial\">Historial</a>"
                           "<a href=\"/configuracion\">Configuración</a><a href=\"/salir\">Salir</a>");
    else if (r->id.role == WEB_OPL)
        g_string_append(s, "<a href=\"/\">Documentos</a><a href=\"/salir\">Salir</a>");
    else
        g_string_append(s, "<a href=\"/entrar\">Entrar</a>");
    g_string_append_printf(s, "</nav></header>\n<main id=\"contenido\" tabindex=\"-1\"><h1>%s</h1>\n%s</main>"
                              "</body></html>\n",
                           t, body);
    g_free(t);
    return g_string_free(s, FALSE);
}

enum MHD_Result web_page(web_request *r, unsigned status, const char *title, const char *body, bool refresh)
{
    char *html = page_html(r, title, body, refresh);
    enum MHD_Result ret = web_send_html(r, status, html);
    g_free(html);
    return ret;
}

char *web_json_text(JsonNode *root)
{
    return json_to_string(root, FALSE);
}

/* The message with its first letter in upper case (g_free). */
static char *capitalised(const char *m)
{
    if (!m || !*m || !g_utf8_validate(m, -1, NULL))
        return g_strdup(m ? m : "");
    gunichar c = g_utf8_get_char(m);
    char first[8] = "";
    g_unichar_to_utf8(g_unichar_toupper(c), first);
    return g_strconcat(first, g_utf8_next_char(m), NULL);
}

static const char *status_title(unsigned status)
{
    switch (status) {
    case MHD_HTTP_UNAUTHORIZED:
        return "Inicie sesión";
    case MHD_HTTP_FORBIDDEN:
        return "Sin permiso";
    case MHD_HTTP_NOT_FOUND:
        return "No se encontró";
    case MHD_HTTP_CONFLICT:
        return "No se pudo hacer";
    case MHD_HTTP_CONTENT_TOO_LARGE:
        return "Envío demasiado grande";
    case MHD_HTTP_TOO_MANY_REQUESTS:
        return "Demasiados intentos";
    default:
        return "No se pudo atender la solicitud";
    }
}

enum MHD_Result web_send_error_full(web_request *r, unsigned status, const char *message, const char *cookie,
                                    const char *more_html)
{
    struct MHD_Response *resp;
    if (g_str_has_prefix(r->path, "/api/") || strcmp(r->path, "/salud") == 0) {
        char *m = json_string(message);
        char *body = g_strdup_printf("{\"error\":%s}", m);
        resp = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_COPY);
        if (resp)
            MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
        g_free(body);
        g_free(m);
    } else {
        char *cap = capitalised(message);
        char *m = web_html_escape(cap);
        char *body = g_strdup_printf("<p role=\"alert\">%s</p>\n%s<p><a href=\"/\">Volver al inicio</a></p>\n", m,
                                     more_html ? more_html : "");
        g_free(m);
        g_free(cap);
        char *html = page_html(r, status_title(status), body, false);
        resp = MHD_create_response_from_buffer(strlen(html), html, MHD_RESPMEM_MUST_COPY);
        if (resp)
            MHD_add_response_header(resp, "Content-Type", "text/html; charset=utf-8");
        g_free(html);
        g_free(body);
    }
    if (resp && cookie)
        MHD_add_response_header(resp, "Set-Cookie", cookie);
    return queue(r, status, resp);
}

enum MHD_Result web_send_error(web_request *r, unsigned status, const char *message)
{
    return web_send_error_full(r, status, message, NULL, NULL);
}

enum MHD_Result web_send_redirect(web_request *r, const char *location, const char *cookie)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Location", location);
    if (cookie)
        MHD_add_response_header(resp, "Set-Cookie", cookie);
    return queue(r, MHD_HTTP_SEE_OTHER, resp);
}

const char *web_content_type(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".pdf", "application/pdf"},
        {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        {".csv", "text/csv; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".zip", "application/zip"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(types); i++)
        if (g_str_has_suffix(name, types[i].ext))
            return types[i].type;
    return "application/octet-stream";
}

enum MHD_Result web_send_file(web_request *r, const char *path, const char *download_name)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        return web_send_error(r, MHD_HTTP_NOT_FOUND, "el archivo no existe");
    }
    struct MHD_Response *resp = MHD_create_response_from_fd64((uint64_t)st.st_size, fd);
    if (!resp) {
        close(fd);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", web_content_type(download_name));
    /* The name is observa's own (the set's file name), never the client's. */
    char *base = g_path_get_basename(download_name);
    char *disp = g_strdup_printf("attachment; filename=\"%s\"", base);
    g_free(base);
    MHD_add_response_header(resp, "Content-Disposition", disp);
    g_free(disp);
    return queue(r, MHD_HTTP_OK, resp);
}
