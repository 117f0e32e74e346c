/* template_front.c - the template language of the informe's front matter and apparatus: the
 * @resumen_ejecutivo, @indice, @siglas and @mapa directives. report_front.c builds the blocks they describe. */
#include <string.h>

#include "report/template_parse_int.h"

/* Options of a front-matter directive, which takes no type: NULL (after failing) otherwise. not_in_opl,
 * when not NULL, is why the directive cannot go in a per-OPL summary (reports.md §3: its entidad only). */
static GHashTable *front_options(parser *p, const char *args, const char *directive, const char *not_in_opl)
{
    if (not_in_opl && p->kind == OBS_TPL_OPL) {
        tpl_fail(p, "%s no puede ir en un resumen por OPL: %s", directive, not_in_opl);
        return NULL;
    }
    char *positional = NULL;
    GHashTable *opts = tpl_parse_options(p, args, &positional);
    if (opts && positional) {
        tpl_fail(p, "%s no lleva tipo: «%s» sobra (use clave=valor)", directive, positional);
        g_hash_table_destroy(opts);
        opts = NULL;
    }
    g_free(positional);
    return opts;
}

/* An option holding text with placeholders, or dflt when absent (NULL: no text). */
static bool take_text(parser *p, GHashTable *opts, const char *key, const char *dflt, tpl_text **out)
{
    char *v = tpl_take(opts, key);
    const char *text = v ? v : dflt;
    *out = NULL;
    bool ok = !text || (*out = tpl_parse_text(p, text)) != NULL;
    g_free(v);
    return ok;
}

/* Calls fn on each line of a directive's body (up to a blank line or a directive). */
static bool parse_body(parser *p, bool (*fn)(parser *p, const char *line, void *ud), void *ud)
{
    for (p->i++; tpl_in_body(p); p->i++) {
        const char *l = g_strstrip(p->lines[p->i]);
        if (!tpl_is_comment(l) && !fn(p, l, ud))
            return false;
    }
    p->i--; /* the caller advances */
    return true;
}

#define SUMMARY_MAX_FIGURES 8

static const struct {
    const char *key;
    size_t offset;
} summary_keys[] = {
    {"introduccion", G_STRUCT_OFFSET(tpl_summary, intro)},
    {"senalados", G_STRUCT_OFFSET(tpl_summary, flag_title)},
    {"regla", G_STRUCT_OFFSET(tpl_summary, flag_rule)},
    {"ninguno", G_STRUCT_OFFSET(tpl_summary, flag_none)},
    {"sin_acciones", G_STRUCT_OFFSET(tpl_summary, flag_no_actions)},
    {"rechazos", G_STRUCT_OFFSET(tpl_summary, rejected)},
    {"cierre", G_STRUCT_OFFSET(tpl_summary, closing)},
};

static bool summary_figure(parser *p, const char *l, tpl_summary *s)
{
    char *label = NULL, *rest = NULL;
    if (!tpl_parse_labeled(p, l, "cifra", &label, &rest))
        return false;
    tpl_figure *f = g_new0(tpl_figure, 1);
    g_ptr_array_add(s->figures, f);
    char *detail = strchr(rest, ';');
    if (detail)
        *detail++ = '\0';
    bool ok = (f->label = tpl_parse_text(p, label)) != NULL && mexpr_parse(p, rest, &f->e) &&
              (!detail || !*g_strstrip(detail) || (f->detail = tpl_parse_text(p, detail)) != NULL);
    if (ok && s->figures->len > SUMMARY_MAX_FIGURES)
        ok = tpl_fail(p, "@resumen_ejecutivo lleva a lo más %d líneas «cifra» (cabe en una página)",
                      SUMMARY_MAX_FIGURES);
    g_free(label);
    g_free(rest);
    return ok;
}

static bool summary_line(parser *p, const char *l, void *ud)
{
    tpl_summary *s = ud;
    if (g_str_has_prefix(l, "cifra ") || g_str_has_prefix(l, "cifra\t"))
        return summary_figure(p, l, s);
    const char *eq = strchr(l, '=');
    char *key = eq ? g_strstrip(g_strndup(l, (gsize)(eq - l))) : NULL;
    for (size_t i = 0; key && i < G_N_ELEMENTS(summary_keys); i++) {
        if (strcmp(key, summary_keys[i].key) != 0)
            continue;
        g_free(key);
        tpl_text **field = &G_STRUCT_MEMBER(tpl_text *, s, summary_keys[i].offset);
        if (*field)
            return tpl_fail(p, "«%s» va una sola vez en @resumen_ejecutivo", summary_keys[i].key);
        char *value = g_strstrip(g_strdup(eq + 1));
        *field = *value ? tpl_parse_text(p, value) : NULL;
        bool ok = *value ? *field != NULL : tpl_fail(p, "«%s» está vacío", summary_keys[i].key);
        g_free(value);
        return ok;
    }
    g_free(key);
    return tpl_fail(p, "línea no reconocida en @resumen_ejecutivo: «%s» (use cifra \"Etiqueta\" = métrica; "
                       "detalle, o introduccion, rechazos, senalados, regla, ninguno, sin_acciones, cierre = texto)",
                    l);
}

node *tpl_parse_summary(parser *p, const char *args)
{
    GHashTable *opts = front_options(p, args, "@resumen_ejecutivo", "nombraría a otros OPL");
    if (!opts)
        return NULL;
    size_t line = p->i;
    node *n = g_new0(node, 1);
    n->kind = N_SUMMARY;
    tpl_summary *s = n->summary = g_new0(tpl_summary, 1);
    s->figures = g_ptr_array_new();
    s->sheet = tpl_take(opts, "hoja");
    bool ok = take_text(p, opts, "titulo", "Resumen ejecutivo", &s->title) &&
              tpl_no_unknown_options(p, opts, "@resumen_ejecutivo") && parse_body(p, summary_line, s);
    if (ok && s->figures->len == 0) {
        p->i = line;
        ok = tpl_fail(p, "@resumen_ejecutivo necesita al menos una línea «cifra \"Etiqueta\" = métrica»");
    }
    if (ok && !s->flag_title)
        ok = (s->flag_title = tpl_parse_text(p, "OPL con bajo número de acciones de difusión")) != NULL;
    if (ok && !s->flag_none)
        ok = (s->flag_none = tpl_parse_text(p, "Ningún OPL tiene un número bajo de acciones de difusión.")) != NULL;
    g_hash_table_destroy(opts);
    if (!ok) {
        tpl_node_free(n);
        return NULL;
    }
    return n;
}

node *tpl_parse_toc(parser *p, const char *args)
{
    GHashTable *opts = front_options(p, args, "@indice", NULL);
    if (!opts)
        return NULL;
    node *n = g_new0(node, 1);
    n->kind = N_TOC;
    tpl_toc *t = n->toc = g_new0(tpl_toc, 1);
    bool ok = take_text(p, opts, "titulo", "Contenido", &t->title) &&
              tpl_take_bool(p, opts, "tablas", false, &t->items) && tpl_no_unknown_options(p, opts, "@indice");
    g_hash_table_destroy(opts);
    if (!ok) {
        tpl_node_free(n);
        return NULL;
    }
    return n;
}

static bool glossary_line(parser *p, const char *l, void *ud)
{
    tpl_glossary *g = ud;
    const char *eq = strchr(l, '=');
    if (!eq)
        return tpl_fail(p, "en @siglas cada línea es «SIGLA = significado»: «%s»", l);
    char *term = g_strstrip(g_strndup(l, (gsize)(eq - l)));
    char *meaning = g_strstrip(g_strdup(eq + 1));
    bool ok = true;
    if (!*term || !*meaning)
        ok = tpl_fail(p, "en @siglas cada línea es «SIGLA = significado»: «%s»", l);
    for (guint i = 0; ok && i < g->terms->len; i++)
        if (strcmp(g->terms->pdata[i], term) == 0)
            ok = tpl_fail(p, "la sigla «%s» ya está en la lista", term);
    if (ok) {
        g_ptr_array_add(g->terms, term);
        g_ptr_array_add(g->meanings, meaning);
    } else {
        g_free(term);
        g_free(meaning);
    }
    return ok;
}

node *tpl_parse_glossary(parser *p, const char *args)
{
    GHashTable *opts = front_options(p, args, "@siglas", NULL);
    if (!opts)
        return NULL;
    size_t line = p->i;
    node *n = g_new0(node, 1);
    n->kind = N_GLOSSARY;
    tpl_glossary *g = n->glossary = g_new0(tpl_glossary, 1);
    g->terms = g_ptr_array_new_with_free_func(g_free);
    g->meanings = g_ptr_array_new_with_free_func(g_free);
    g->sheet = tpl_take(opts, "hoja");
    bool ok = tpl_no_unknown_options(p, opts, "@siglas") && parse_body(p, glossary_line, g);
    if (ok && g->terms->len == 0) {
        p->i = line;
        ok = tpl_fail(p, "@siglas necesita líneas «SIGLA = significado»");
    }
    g_hash_table_destroy(opts);
    if (!ok) {
        tpl_node_free(n);
        return NULL;
    }
    return n;
}

node *tpl_parse_map(parser *p, const char *args)
{
    GHashTable *opts = front_options(p, args, "@mapa", "mostraría otras entidades");
    if (!opts)
        return NULL;
    node *n = g_new0(node, 1);
    n->kind = N_MAP;
    tpl_map *m = n->map = g_new0(tpl_map, 1);
    m->id = tpl_take(opts, "id");
    if (!m->id)
        m->id = g_strdup("mapa");
    m->sheet = tpl_take(opts, "hoja");
    char *value = tpl_take(opts, "valor");
    bool ok = mexpr_parse(p, value ? value : "difusion.instancia.opl", &m->value) &&
              take_text(p, opts, "titulo", NULL, &m->title) && take_text(p, opts, "nota", NULL, &m->note) &&
              take_text(p, opts, "etiqueta", "Acciones de difusión de los OPL", &m->value_label) &&
              take_text(p, opts, "leyenda", "OPL con bajo número de acciones de difusión", &m->flag_label) &&
              take_text(p, opts, "leyenda_otros", "Demás OPL", &m->other_label) &&
              tpl_no_unknown_options(p, opts, "@mapa");
    g_free(value);
    if (ok && !tpl_grid_load(obs_catalog_dir(p->cat), &m->grid, p->err))
        ok = !(p->failed = true);
    g_hash_table_destroy(opts);
    if (!ok) {
        tpl_node_free(n);
        return NULL;
    }
    return n;
}
