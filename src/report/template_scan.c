/* template_scan.c - the template parser's reading of lines and options: errors with file and line, the
 * options of a directive (clave=valor), si/no values, `palabra "Texto" = resto` lines and the extra variables. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report/template_parse_int.h"

bool tpl_fail(parser *p, const char *fmt, ...)
{
    if (p->failed)
        return false;
    char msg[OBS_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    obs_error_set(p->err, OBS_ERR_CONFIG, p->name, p->i + 1, 0, "%s", msg);
    p->failed = true;
    return false;
}

bool tpl_extra_var_known(const parser *p, const char *name)
{
    for (size_t i = 0; p->vars && p->vars[i]; i++)
        if (strcmp(p->vars[i], name) == 0)
            return true;
    return false;
}

/* Options "clave=valor clave=\"valor con espacios\"" of a directive, into a hash table. */
GHashTable *tpl_parse_options(parser *p, const char *s, char **positional)
{
    GHashTable *opts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    *positional = NULL;
    if (tpl_is_blank(s))
        return opts;
    int argc = 0;
    char **argv = NULL;
    GError *gerr = NULL;
    if (!g_shell_parse_argv(s, &argc, &argv, &gerr)) {
        tpl_fail(p, "opciones mal escritas (¿comillas sin cerrar?): %s", s);
        g_error_free(gerr);
        g_hash_table_destroy(opts);
        return NULL;
    }
    for (int i = 0; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq) {
            if (i == 0) {
                *positional = g_strdup(argv[i]);
                continue;
            }
            tpl_fail(p, "opción sin valor: «%s» (use clave=valor)", argv[i]);
            g_hash_table_destroy(opts);
            g_strfreev(argv);
            g_free(*positional); /* found by fuzz_template: it leaked on this path */
            *positional = NULL;
            return NULL;
        }
        *eq = '\0';
        g_hash_table_insert(opts, g_strdup(argv[i]), g_strdup(eq + 1));
    }
    g_strfreev(argv);
    return opts;
}

/* Takes an option out of the table (so unknown ones can be reported afterwards). */
char *tpl_take(GHashTable *opts, const char *key)
{
    gpointer k, v;
    if (!g_hash_table_lookup_extended(opts, key, &k, &v))
        return NULL;
    g_hash_table_steal(opts, key);
    g_free(k);
    return v;
}

bool tpl_no_unknown_options(parser *p, GHashTable *opts, const char *what)
{
    GHashTableIter it;
    gpointer k;
    g_hash_table_iter_init(&it, opts);
    if (g_hash_table_iter_next(&it, &k, NULL))
        return tpl_fail(p, "opción desconocida «%s» en %s", (const char *)k, what);
    return true;
}

bool tpl_take_bool(parser *p, GHashTable *opts, const char *key, bool dflt, bool *out)
{
    char *v = tpl_take(opts, key);
    *out = dflt;
    if (!v)
        return true;
    bool ok = true;
    if (strcmp(v, "si") == 0 || strcmp(v, "sí") == 0)
        *out = true;
    else if (strcmp(v, "no") == 0)
        *out = false;
    else
        ok = tpl_fail(p, "la opción %s lleva si o no, no «%s»", key, v);
    g_free(v);
    return ok;
}

/* Reads `keyword "Texto" = resto`; label and rest are new strings. */
bool tpl_parse_labeled(parser *p, const char *line, const char *keyword, char **label, char **rest)
{
    const char *q = line + strlen(keyword);
    while (*q == ' ' || *q == '\t')
        q++;
    if (*q != '"')
        return tpl_fail(p, "después de «%s» va un texto entre comillas: %s \"Texto\" = …", keyword, keyword);
    GString *s = g_string_new(NULL);
    for (q++; *q && *q != '"'; q++) {
        if (*q == '\\' && q[1])
            q++;
        g_string_append_c(s, *q);
    }
    if (*q != '"') {
        g_string_free(s, TRUE);
        return tpl_fail(p, "comillas sin cerrar en «%s»", line);
    }
    q++;
    while (*q == ' ' || *q == '\t')
        q++;
    if (*q != '=') {
        g_string_free(s, TRUE);
        return tpl_fail(p, "falta «=» en «%s»", line);
    }
    *label = g_string_free(s, FALSE);
    *rest = g_strstrip(g_strdup(q + 1));
    return true;
}
