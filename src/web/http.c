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

enum MHD_Result web_send_error(web_request *r, unsigned status, const char *message)
{
    if (g_str_has_prefix(r->path, "/api/") || strcmp(r->path, "/salud") == 0) {
        char *m = json_string(message);
        char *body = g_strdup_printf("{\"error\": %s}", m);
        enum MHD_Result ret = web_send_json(r, status, body);
        g_free(body);
        g_free(m);
        return ret;
    }
    char *m = web_html_escape(message);
    char *body = g_strdup_printf("<!DOCTYPE html>\n<html lang=\"es-MX\"><head><meta charset=\"utf-8\">"
                                 "<title>observa: %u</title><link rel=\"stylesheet\" href=\"/estilo.css\"></head>"
                                 "<body><main><h1>No se pudo atender la solicitud</h1><p role=\"alert\">%s</p>"
                                 "<p><a href=\"/\">Volver al inicio</a></p></main></body></html>\n",
                                 status, m);
    enum MHD_Result ret = web_send_html(r, status, body);
    g_free(body);
    g_free(m);
    return ret;
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
