/* ini.c - INI files read line by line: BOM, CRLF, ';' comments, repeated keys, all with file:line. */
#include "util/ini_int.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * GLib's GKeyFile was the reader before: it reports no line numbers, keeps the last of a
 * repeated key silently, refuses ';' comments and a BOM with English messages. The format is
 * small enough that reading it here, one line at a time, gives every message its line.
 */

typedef struct scan {
    const char *path;
    obs_ini_fn fn;
    void *ud;
    obs_error *err;
    char *group;           /* current section, or NULL before the first */
    GHashTable *seen;      /* "group\x1fkey" -> first line */
} scan;

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Trims [*s, *e) in place. */
static void trim(const char **s, const char **e)
{
    while (*s < *e && is_space(**s))
        (*s)++;
    while (*e > *s && is_space((*e)[-1]))
        (*e)--;
}

static obs_status section_line(scan *sc, const char *s, const char *e, uint64_t line)
{
    const char *name = s + 1, *end = e - 1;
    if (e - s < 2 || *end != ']')
        return obs_error_set(sc->err, OBS_ERR_CONFIG, sc->path, line, 0,
                             "sección mal escrita: «%.*s»; escríbala entre corchetes, por ejemplo [entrada]",
                             (int)(e - s), s);
    trim(&name, &end);
    if (name == end || memchr(name, '[', (size_t)(end - name)) || memchr(name, ']', (size_t)(end - name)))
        return obs_error_set(sc->err, OBS_ERR_CONFIG, sc->path, line, 0,
                             "sección mal escrita: «%.*s»; escríbala entre corchetes, por ejemplo [entrada]",
                             (int)(e - s), s);
    g_free(sc->group);
    sc->group = g_strndup(name, (size_t)(end - name));
    obs_ini_entry entry = {sc->group, NULL, NULL, line};
    return sc->fn(sc->ud, &entry, sc->err);
}

static obs_status key_line(scan *sc, const char *s, const char *e, uint64_t line)
{
    const char *eq = memchr(s, '=', (size_t)(e - s));
    if (!eq)
        return obs_error_set(sc->err, OBS_ERR_CONFIG, sc->path, line, 0,
                             "línea no válida: «%.*s»; se espera «clave = valor», una [sección] o un "
                             "comentario que empiece con # o ;",
                             (int)MIN(e - s, 60), s);
    const char *ks = s, *ke = eq, *vs = eq + 1, *ve = e;
    trim(&ks, &ke);
    trim(&vs, &ve);
    if (ks == ke)
        return obs_error_set(sc->err, OBS_ERR_CONFIG, sc->path, line, 0,
                             "falta el nombre de la clave antes de «=»");
    char *key = g_strndup(ks, (size_t)(ke - ks));
    obs_status st;
    if (!sc->group) {
        st = obs_error_set(sc->err, OBS_ERR_CONFIG, sc->path, line, 0,
                           "la clave «%s» está fuera de toda sección; escriba antes la sección a la que "
                           "pertenece, por ejemplo [entrada]",
                           key);
        g_free(key);
        return st;
    }
    char *id = g_strconcat(sc->group, "\x1f", key, NULL);
    gpointer first = g_hash_table_lookup(sc->seen, id);
    if (first) {
        st = obs_error_set(sc->err, OBS_ERR_CONFIG, sc->path, line, 0,
                           "la clave «%s» se repite en [%s] (ya está en la línea %" G_GUINT64_FORMAT
                           "); deje una sola",
                           key, sc->group, (guint64)GPOINTER_TO_SIZE(first));
        g_free(id);
        g_free(key);
        return st;
    }
    g_hash_table_insert(sc->seen, id, GSIZE_TO_POINTER((gsize)line));
    char *value = g_strndup(vs, (size_t)(ve - vs));
    obs_ini_entry entry = {sc->group, key, value, line};
    st = sc->fn(sc->ud, &entry, sc->err);
    g_free(value);
    g_free(key);
    return st;
}

static obs_status parse_lines(scan *sc, const char *text, size_t len)
{
    obs_status st = OBS_OK;
    uint64_t line = 0;
    for (const char *p = text, *end = text + len; p < end && st == OBS_OK;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *s = p, *e = nl ? nl : end;
        p = nl ? nl + 1 : end;
        line++;
        trim(&s, &e);
        if (s == e || *s == '#' || *s == ';')
            continue;
        st = *s == '[' ? section_line(sc, s, e, line) : key_line(sc, s, e, line);
    }
    return st;
}

/* Line (1-based) of byte offset off in text. */
static uint64_t line_of(const char *text, size_t off)
{
    uint64_t line = 1;
    for (size_t i = 0; i < off; i++)
        line += text[i] == '\n';
    return line;
}

obs_status obs_ini_parse(const char *path, const char *text, size_t len, obs_ini_fn fn, void *ud,
                         obs_error *err)
{
    if (len >= 2 && ((guchar)text[0] == 0xFF || (guchar)text[0] == 0xFE) && (guchar)text[1] == ((guchar)text[0] ^ 1))
        return obs_error_set(err, OBS_ERR_CONFIG, path, 1, 0,
                             "el archivo está en UTF-16 (la opción «Unicode» del Bloc de notas); "
                             "guárdelo como UTF-8");
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    const char *nul = memchr(text, '\0', len);
    if (nul)
        return obs_error_set(err, OBS_ERR_CONFIG, path, line_of(text, (size_t)(nul - text)), 0,
                             "el archivo contiene bytes nulos: no es texto (¿UTF-16?); guárdelo como UTF-8");
    char *converted = NULL;
    if (!g_utf8_validate(text, (gssize)len, NULL)) {
        gsize n = 0;
        converted = g_convert(text, (gssize)len, "UTF-8", "WINDOWS-1252", NULL, &n, NULL);
        if (!converted)
            return obs_error_set(err, OBS_ERR_CONFIG, path, 0, 0,
                                 "el archivo no está en UTF-8 ni en Windows-1252; guárdelo como UTF-8");
        text = converted;
        len = n;
    }
    scan sc = {.path = path, .fn = fn, .ud = ud, .err = err,
               .seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)};
    obs_status st = parse_lines(&sc, text, len);
    g_hash_table_destroy(sc.seen);
    g_free(sc.group);
    g_free(converted);
    return st;
}

obs_status obs_ini_read(const char *path, size_t max_bytes, obs_ini_fn fn, void *ud, obs_error *err)
{
    int fd = g_open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
    if (fd < 0)
        return obs_error_set(err, OBS_ERR_NOINPUT, path, 0, 0, "no se puede abrir: %s", obs_strerror(errno));
    struct stat st;
    obs_status s = OBS_OK;
    if (fstat(fd, &st) != 0)
        s = obs_error_set(err, OBS_ERR_NOINPUT, path, 0, 0, "no se puede leer: %s", obs_strerror(errno));
    else if (S_ISDIR(st.st_mode))
        s = obs_error_set(err, OBS_ERR_CONFIG, path, 0, 0, "es un directorio, no un archivo de configuración");
    else if (!S_ISREG(st.st_mode))
        s = obs_error_set(err, OBS_ERR_CONFIG, path, 0, 0,
                          "no es un archivo regular (¿un dispositivo o una tubería?); indique un archivo .ini");
    else if ((uint64_t)st.st_size > max_bytes)
        s = obs_error_set(err, OBS_ERR_CONFIG, path, 0, 0,
                          "el archivo mide %" G_GUINT64_FORMAT " bytes, más que los %zu que puede tener "
                          "una configuración; ¿es el archivo correcto?",
                          (guint64)st.st_size, max_bytes);
    if (s != OBS_OK) {
        close(fd);
        return s;
    }
    char *text = g_malloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, text + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            s = obs_error_set(err, OBS_ERR_NOINPUT, path, 0, 0, "error al leer: %s", obs_strerror(errno));
            break;
        }
        if (n == 0)
            break; /* shrank while reading: parse what is there */
        got += (size_t)n;
    }
    close(fd);
    if (s == OBS_OK)
        s = obs_ini_parse(path, text, got, fn, ud, err);
    g_free(text);
    return s;
}
