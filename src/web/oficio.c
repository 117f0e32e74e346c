/* oficio.c - the letters' settings a run may change from the Generar form: the first number, the session and the date. */
#include <json-glib/json-glib.h>
#include <string.h>

#include "observa/oficio.h"
#include "observa/text.h"
#include "web/web_int.h"

/* The form's fields for [oficio] keys, with the label a page shows; of the three numbering fields
 * only the one of the configuration's scheme is offered (web_oficio_number_field()). */
static const struct {
    const char *field, *key, *label;
    bool date;
} fields[] = {
    {"oficio_numero_inicial", "numero_inicial", "Número del primer oficio", false},
    {"oficio_numeros", "numeros", "Números de los oficios", false},
    {"oficio_numero", "numero", "Número del oficio", false},
    {"oficio_sesion_fecha", "sesion_fecha", "Fecha de la sesión de la Comisión", true},
    {"oficio_fecha", "fecha", "Fecha del oficio", true},
};

/* The [oficio] keys a run shows as the values it used (the numbering and the two dates). */
static const char *const shown_keys[] = {"numero", "numero_inicial", "numeros", "sesion_fecha", "fecha"};

static const char *get(GHashTable *t, const char *key)
{
    const char *v = t ? g_hash_table_lookup(t, key) : NULL;
    return v && *v ? v : NULL;
}

bool web_letters_offered(const web_server *s)
{
    return s->cfg.oficio && g_hash_table_size(s->cfg.oficio) > 0;
}

const char *web_oficio_number_field(const web_server *s)
{
    const char *numero = get(s->cfg.oficio, "numero");
    if (get(s->cfg.oficio, "numeros"))
        return "oficio_numeros";
    return numero && !strstr(numero, "{n}") ? "oficio_numero" : "oficio_numero_inicial";
}

bool web_oficio_is_field(const web_server *s, const char *name)
{
    if (!web_letters_offered(s))
        return false;
    if (strcmp(name, "oficio_sesion_fecha") == 0 || strcmp(name, "oficio_fecha") == 0)
        return true;
    return strcmp(name, web_oficio_number_field(s)) == 0;
}

static size_t field_index(const char *field)
{
    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++)
        if (strcmp(fields[i].field, field) == 0)
            return i;
    return 0;
}

const char *web_oficio_label(const char *field)
{
    return fields[field_index(field)].label;
}

/* The digits of {n} in a whole number typed as the configuration writes it ("INE/DEOE/0200/2024"
 * with numero = INE/DEOE/{n}/2024), or the text as it is (g_free). */
static char *counter_digits(const char *numero, const char *typed)
{
    const char *n = numero ? strstr(numero, "{n}") : NULL;
    if (!n)
        return g_strdup(typed);
    size_t pre = (size_t)(n - numero), post = strlen(n + 3), len = strlen(typed);
    if (len > pre + post && g_ascii_strncasecmp(typed, numero, pre) == 0 &&
        g_ascii_strcasecmp(typed + len - post, n + 3) == 0)
        return g_strndup(typed + pre, len - pre - post);
    return g_strdup(typed);
}

/* The form's value for field i, checked for its form: a date, or the counter's digits. NULL when
 * absent; *why when not valid. */
static char *form_value(const web_server *s, GHashTable *form, size_t i, char **why)
{
    const char *raw = g_hash_table_lookup(form, fields[i].field);
    char *v = raw ? g_strstrip(g_strdup(raw)) : NULL;
    if (!v || !*v) {
        g_free(v);
        return NULL;
    }
    if (fields[i].date && obs_day_parse_iso(v) == OBS_DAY_NONE)
        *why = g_strdup_printf("«%s» (%s): «%s» no es una fecha AAAA-MM-DD", fields[i].label, fields[i].field, v);
    if (strcmp(fields[i].key, "numero_inicial") == 0) {
        char *d = counter_digits(get(s->cfg.oficio, "numero"), v);
        g_free(v);
        v = d;
        bool digits = *v && strlen(v) <= 9;
        for (const char *c = v; digits && *c; c++)
            digits = g_ascii_isdigit(*c);
        if (!digits)
            *why = g_strdup_printf("«%s» (%s): escriba el número que va en el contador {n} de «%s», de 1 a 9 "
                                   "cifras (por ejemplo %s), o el número completo",
                                   fields[i].label, fields[i].field, get(s->cfg.oficio, "numero"),
                                   get(s->cfg.oficio, "numero_inicial") ? get(s->cfg.oficio, "numero_inicial")
                                                                        : "0150");
    }
    return v;
}

char *web_oficio_read(const web_server *s, GHashTable *form, obs_day corte, obs_day today, unsigned docs,
                      GHashTable **used)
{
    *used = NULL;
    char *why = NULL;
    bool letters = (docs & (OBS_DOC_OFICIO | OBS_DOC_OFICIO_OPL)) && web_letters_offered(s);
    GHashTable *copy = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    GHashTableIter it;
    gpointer k, v;
    if (s->cfg.oficio) {
        g_hash_table_iter_init(&it, s->cfg.oficio);
        while (g_hash_table_iter_next(&it, &k, &v)) /* the run's own table: the server's is never changed */
            g_hash_table_replace(copy, g_strdup(k), g_strdup(v));
    }
    for (size_t i = 0; i < G_N_ELEMENTS(fields) && !why; i++) {
        char *value = form_value(s, form, i, &why);
        if (value && !why)
            g_hash_table_replace(copy, g_strdup(fields[i].key), value);
        else
            g_free(value);
    }
    if (!why && letters) {
        obs_error err = {0};
        if (obs_oficio_check(copy, corte, today, NULL, &err) != OBS_OK)
            why = web_words(err.message);
    }
    if (!why && letters) {
        *used = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        for (size_t i = 0; i < G_N_ELEMENTS(shown_keys); i++)
            if (get(copy, shown_keys[i]))
                g_hash_table_replace(*used, g_strdup(shown_keys[i]), g_strdup(get(copy, shown_keys[i])));
    }
    g_hash_table_destroy(copy);
    return why;
}

void web_oficio_apply(GHashTable *oficio, GHashTable *used)
{
    if (!used)
        return;
    /* The numbering the run was given replaces the configuration's whole scheme. */
    if (get(used, "numeros") || get(used, "numero")) {
        g_hash_table_remove(oficio, "numeros");
        g_hash_table_remove(oficio, "numero");
        g_hash_table_remove(oficio, "numero_inicial");
    }
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, used);
    while (g_hash_table_iter_next(&it, &k, &v))
        g_hash_table_replace(oficio, g_strdup(k), g_strdup(v));
}

void web_oficio_json(JsonBuilder *b, GHashTable *used)
{
    if (!used) {
        json_builder_add_null_value(b);
        return;
    }
    json_builder_begin_object(b);
    for (size_t i = 0; i < G_N_ELEMENTS(shown_keys); i++)
        if (get(used, shown_keys[i])) {
            json_builder_set_member_name(b, shown_keys[i]);
            json_builder_add_string_value(b, get(used, shown_keys[i]));
        }
    json_builder_end_object(b);
}

GHashTable *web_oficio_from_json(JsonNode *node)
{
    if (!node || !JSON_NODE_HOLDS_OBJECT(node))
        return NULL;
    JsonObject *o = json_node_get_object(node);
    GHashTable *used = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    for (size_t i = 0; i < G_N_ELEMENTS(shown_keys); i++) {
        const char *v = json_object_get_string_member_with_default(o, shown_keys[i], NULL);
        if (v && *v)
            g_hash_table_replace(used, g_strdup(shown_keys[i]), g_strdup(v));
    }
    return used;
}

/* A date of the configuration for a label: "9 de mayo de 2024", or the text as written. */
static char *long_date(const char *iso)
{
    obs_day d = iso ? obs_day_parse_iso(iso) : OBS_DAY_NONE;
    char buf[64];
    return d == OBS_DAY_NONE ? g_strdup(iso ? iso : "") : g_strdup(obs_fmt_fecha_larga(buf, sizeof buf, d));
}

void web_oficio_form(const web_server *s, GString *b)
{
    if (!web_letters_offered(s))
        return;
    GHashTable *o = s->cfg.oficio;
    const char *field = web_oficio_number_field(s);
    char *numero = web_html_escape(get(o, "numero") ? get(o, "numero") : "");
    char *inicial = web_html_escape(get(o, "numero_inicial") ? get(o, "numero_inicial") : "");
    char *numeros = web_html_escape(get(o, "numeros") ? get(o, "numeros") : "");
    g_string_append(b, "<fieldset><legend>Oficios de exhorto (sólo si los pide)</legend>\n<p>Cada corte lleva "
                       "números de oficio nuevos y su propia sesión de la Comisión. Lo que escriba aquí vale sólo "
                       "para esta corrida; vacío, se usa la configuración del servidor.</p>\n");
    if (strcmp(field, "oficio_numero_inicial") == 0)
        g_string_append_printf(b,
                               "<label for=\"%s\">%s (opcional; la configuración numera «%s» desde %s: escriba por "
                               "ejemplo 0200, o el número completo)</label>\n<input type=\"text\" id=\"%s\" "
                               "name=\"%s\" placeholder=\"%s\" size=\"30\" autocomplete=\"off\">\n",
                               field, web_oficio_label(field), numero, inicial, field, field, inicial);
    else if (strcmp(field, "oficio_numeros") == 0)
        g_string_append_printf(b,
                               "<label for=\"%s\">%s (opcional; uno por oficio, separados por comas, en el orden "
                               "en que se escriben: el exhorto general y luego uno por OPL señalado; la "
                               "configuración dice «%s»)</label>\n<input type=\"text\" id=\"%s\" name=\"%s\" "
                               "size=\"60\" autocomplete=\"off\">\n",
                               field, web_oficio_label(field), numeros, field, field);
    else
        g_string_append_printf(b,
                               "<label for=\"%s\">%s (opcional; la configuración dice «%s»)</label>\n<input "
                               "type=\"text\" id=\"%s\" name=\"%s\" size=\"30\" autocomplete=\"off\">\n",
                               field, web_oficio_label(field), numero, field, field);
    char *ses = long_date(get(o, "sesion_fecha")), *fecha = long_date(get(o, "fecha"));
    g_string_append_printf(b,
                           "<label for=\"oficio_sesion_fecha\">%s (opcional; no antes del corte; la configuración "
                           "dice %s)</label>\n<input type=\"date\" id=\"oficio_sesion_fecha\" "
                           "name=\"oficio_sesion_fecha\">\n"
                           "<label for=\"oficio_fecha\">%s (opcional; no antes de la sesión; la configuración dice "
                           "%s)</label>\n<input type=\"date\" id=\"oficio_fecha\" name=\"oficio_fecha\">\n</fieldset>\n",
                           web_oficio_label("oficio_sesion_fecha"), *ses ? ses : "la fecha de elaboración",
                           web_oficio_label("oficio_fecha"), *fecha ? fecha : "la fecha de elaboración");
    g_free(ses);
    g_free(fecha);
    g_free(numero);
    g_free(inicial);
    g_free(numeros);
}

void web_oficio_page(GHashTable *used, GString *b)
{
    if (!used)
        return;
    g_string_append(b, "<h2>Oficios</h2>\n<p>Valores con que se escribieron los oficios de esta corrida:</p>\n<ul>\n");
    static const struct {
        const char *key, *label;
    } rows[] = {
        {"numero", "Número ([oficio] numero)"},
        {"numero_inicial", "Número del primer oficio (numero_inicial)"},
        {"numeros", "Números de los oficios (numeros)"},
        {"sesion_fecha", "Fecha de la sesión de la Comisión"},
        {"fecha", "Fecha del oficio"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
        const char *v = get(used, rows[i].key);
        if (!v)
            continue;
        char *shown = g_str_has_suffix(rows[i].key, "fecha") ? long_date(v) : g_strdup(v);
        char *e = web_html_escape(shown);
        g_string_append_printf(b, "<li>%s: %s</li>\n", rows[i].label, e);
        g_free(e);
        g_free(shown);
    }
    g_string_append(b, "</ul>\n");
}
