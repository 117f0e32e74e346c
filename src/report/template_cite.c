/* template_cite.c - citations of numbered items, {{tabla:ID}} → "Tabla 3": read in texts, checked once the
 * whole template is read (each names one item of its kind, shown whenever the citation is). */
#include <string.h>

#include "report/template_parse_int.h"

/* The kinds of numbered items a placeholder may cite, as written and as recorded. */
static const struct {
    const char *written;
    const char *kind;
    const char *directive;
} cite_kinds[] = {
    {"tabla:", "tabla", "@tabla"},
    {"grafica:", "grafica", "@grafica"},
    {"gráfica:", "grafica", "@grafica"},
    {"mapa:", "mapa", "@mapa"},
};

static int cite_kind(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(cite_kinds); i++)
        if (g_str_has_prefix(name, cite_kinds[i].written))
            return (int)i;
    return -1;
}

bool tpl_is_citation(const char *name)
{
    return cite_kind(name) >= 0;
}

void tpl_cite_ref_free(gpointer x)
{
    cite_ref *r = x;
    g_free(r->kind);
    g_free(r->id);
    g_free(r->conds);
    g_free(r);
}

/* Records a numbered item or a citation with the @si conditions around it. */
static void note_ref(parser *p, GPtrArray *into, const char *kind, const char *id, size_t line)
{
    cite_ref *r = g_new0(cite_ref, 1);
    r->kind = g_strdup(kind);
    r->id = g_strdup(id);
    r->line = line;
    GString *c = g_string_new("|");
    for (guint i = 0; i < p->conds->len; i++)
        g_string_append_printf(c, "%s|", (const char *)p->conds->pdata[i]);
    r->conds = g_string_free(c, FALSE);
    g_ptr_array_add(into, r);
}

/* The line a citation is written on: a paragraph is parsed once its last line is read. */
static size_t cite_line(const parser *p, const char *id)
{
    size_t last = p->i < p->nlines ? p->i : p->nlines - 1;
    for (size_t i = last + 1; i-- > 0 && last - i < 200;)
        if (strstr(p->lines[i], id))
            return i + 1;
    return p->i + 1;
}

char *tpl_parse_citation(parser *p, const char *name, bool filters)
{
    int k = cite_kind(name);
    char *id = g_strstrip(g_strdup(name + strlen(cite_kinds[k].written)));
    bool ok = true;
    if (!*id || strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") != strlen(id))
        ok = tpl_fail(p, "cita no válida «{{%s}}»: escriba el id de la %s, por ejemplo {{%sdifusion_entidad}}",
                      name, cite_kinds[k].directive, cite_kinds[k].written);
    else if (filters)
        ok = tpl_fail(p, "una cita «{{%s}}» no lleva filtros", name);
    char *key = NULL;
    if (ok) {
        key = g_strdup_printf("%s:%s", cite_kinds[k].kind, id);
        note_ref(p, p->cites, cite_kinds[k].kind, id, cite_line(p, id));
    }
    g_free(id);
    return key;
}

/* Every citation names exactly one item of its kind that is shown whenever the citation is. */
bool tpl_check_citations(parser *p, bool numbered)
{
    for (guint c = 0; c < p->cites->len; c++) {
        const cite_ref *r = p->cites->pdata[c];
        const cite_ref *found = NULL;
        GString *ids = g_string_new(NULL);
        p->i = r->line - 1;
        bool ok = true;
        for (guint i = 0; ok && i < p->items->len; i++) {
            const cite_ref *it = p->items->pdata[i];
            if (strcmp(it->kind, r->kind) != 0)
                continue;
            g_string_append_printf(ids, "%s%s", ids->len ? ", " : "", it->id);
            if (strcmp(it->id, r->id) != 0)
                continue;
            if (found)
                ok = tpl_fail(p, "{{%s:%s}}: hay más de una @%s con id=%s (líneas %zu y %zu); dé a cada una "
                                 "un id distinto", r->kind, r->id, r->kind, r->id, found->line, it->line);
            found = it;
        }
        if (ok && !found)
            ok = tpl_fail(p, "{{%s:%s}}: ninguna @%s tiene id=%s (ids: %s)", r->kind, r->id, r->kind, r->id,
                          ids->len ? ids->str : "ninguno");
        g_string_free(ids, TRUE);
        char **need = ok ? g_strsplit(found->conds, "|", -1) : NULL;
        for (char **n = need; ok && *n; n++) {
            char *token = g_strdup_printf("|%s|", *n);
            if (**n && !strstr(r->conds, token))
                ok = tpl_fail(p, "{{%s:%s}}: la @%s de la línea %zu sólo aparece con la condición «%s»; ponga "
                                 "la cita dentro de esa misma condición", r->kind, r->id, r->kind, found->line, *n);
            g_free(token);
        }
        g_strfreev(need);
        if (ok && !numbered)
            ok = tpl_fail(p, "{{%s:%s}}: las citas necesitan «numerar = si» en @documento", r->kind, r->id);
        if (!ok)
            return false;
    }
    return true;
}

/* Records the tables, charts and maps by id, for the citations. */
void tpl_note_item(parser *p, const node *n, size_t line)
{
    if (n->kind == N_TABLE)
        note_ref(p, p->items, "tabla", n->table->id, line);
    else if (n->kind == N_CHART)
        note_ref(p, p->items, "grafica", n->chart->id, line);
    else if (n->kind == N_MAP)
        note_ref(p, p->items, "mapa", n->map->id, line);
}
