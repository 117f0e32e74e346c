/* template_front.c - the template language of the informe's apparatus: citations of numbered items and the
 * @resumen_ejecutivo, @indice, @siglas and @mapa directives.
 *
 * Included by template.c, whose parser it extends (it uses the parser's state and helpers); not
 * compiled on its own. report_front.c builds the blocks these directives describe.
 */

/* ---- Citations: {{tabla:ID}} → "Tabla 3" -------------------------------------------------- */

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

static bool is_citation(const char *name)
{
    return cite_kind(name) >= 0;
}

static void cite_ref_free(gpointer x)
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

static bool parse_citation(parser *p, const char *name, bool filters, piece *pc)
{
    int k = cite_kind(name);
    char *id = g_strstrip(g_strdup(name + strlen(cite_kinds[k].written)));
    bool ok = true;
    if (!*id || strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") != strlen(id))
        ok = fail(p, "cita no válida «{{%s}}»: escriba el id de la %s, por ejemplo {{%sdifusion_entidad}}",
                  name, cite_kinds[k].directive, cite_kinds[k].written);
    else if (filters)
        ok = fail(p, "una cita «{{%s}}» no lleva filtros", name);
    if (ok) {
        pc->var = V_CITE;
        pc->fmt = F_TEXT;
        pc->text = g_strdup_printf("%s:%s", cite_kinds[k].kind, id);
        note_ref(p, p->cites, cite_kinds[k].kind, id, cite_line(p, id));
    }
    g_free(id);
    return ok;
}

/* Every citation names exactly one item of its kind that is shown whenever the citation is. */
static bool check_citations(parser *p, bool numbered)
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
                ok = fail(p, "{{%s:%s}}: hay más de una @%s con id=%s (líneas %zu y %zu); dé a cada una "
                             "un id distinto", r->kind, r->id, r->kind, r->id, found->line, it->line);
            found = it;
        }
        if (ok && !found)
            ok = fail(p, "{{%s:%s}}: ninguna @%s tiene id=%s (ids: %s)", r->kind, r->id, r->kind, r->id,
                      ids->len ? ids->str : "ninguno");
        g_string_free(ids, TRUE);
        char **need = ok ? g_strsplit(found->conds, "|", -1) : NULL;
        for (char **n = need; ok && *n; n++) {
            char *token = g_strdup_printf("|%s|", *n);
            if (**n && !strstr(r->conds, token))
                ok = fail(p, "{{%s:%s}}: la @%s de la línea %zu sólo aparece con la condición «%s»; ponga "
                             "la cita dentro de esa misma condición", r->kind, r->id, r->kind, found->line, *n);
            g_free(token);
        }
        g_strfreev(need);
        if (ok && !numbered)
            ok = fail(p, "{{%s:%s}}: las citas necesitan «numerar = si» en @documento", r->kind, r->id);
        if (!ok)
            return false;
    }
    return true;
}

/* ---- Front matter and apparatus: @resumen_ejecutivo, @indice, @siglas, @mapa ---------------- */

/* Options of a front-matter directive, which takes no type: NULL (after failing) otherwise. */
static GHashTable *front_options(parser *p, const char *args, const char *directive)
{
    char *positional = NULL;
    GHashTable *opts = parse_options(p, args, &positional);
    if (opts && positional) {
        fail(p, "%s no lleva tipo: «%s» sobra (use clave=valor)", directive, positional);
        g_hash_table_destroy(opts);
        opts = NULL;
    }
    g_free(positional);
    return opts;
}

/* An option holding text with placeholders, or dflt when absent (NULL: no text). */
static bool take_text(parser *p, GHashTable *opts, const char *key, const char *dflt, void **out)
{
    char *v = take(opts, key);
    const char *text = v ? v : dflt;
    *out = NULL;
    bool ok = !text || (*out = parse_text(p, text)) != NULL;
    g_free(v);
    return ok;
}

/* Calls fn on each line of a directive's body (up to a blank line or a directive). */
static bool parse_body(parser *p, bool (*fn)(parser *p, const char *line, void *ud), void *ud)
{
    for (p->i++; cur(p) && !is_blank(cur(p)) && cur(p)[0] != '@'; p->i++) {
        const char *l = g_strstrip(p->lines[p->i]);
        if (!is_comment(l) && !fn(p, l, ud))
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
    {"cierre", G_STRUCT_OFFSET(tpl_summary, closing)},
};

static bool summary_figure(parser *p, const char *l, tpl_summary *s)
{
    char *label = NULL, *rest = NULL;
    if (!parse_labeled(p, l, "cifra", &label, &rest))
        return false;
    tpl_figure *f = g_new0(tpl_figure, 1);
    g_ptr_array_add(s->figures, f);
    char *detail = strchr(rest, ';');
    if (detail)
        *detail++ = '\0';
    bool ok = (f->label = parse_text(p, label)) != NULL && parse_mexpr(p, rest, &f->e) &&
              (!detail || !*g_strstrip(detail) || (f->detail = parse_text(p, detail)) != NULL);
    if (ok && s->figures->len > SUMMARY_MAX_FIGURES)
        ok = fail(p, "@resumen_ejecutivo lleva a lo más %d líneas «cifra» (cabe en una página)",
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
        void **field = &G_STRUCT_MEMBER(void *, s, summary_keys[i].offset);
        if (*field)
            return fail(p, "«%s» va una sola vez en @resumen_ejecutivo", summary_keys[i].key);
        char *value = g_strstrip(g_strdup(eq + 1));
        *field = *value ? parse_text(p, value) : NULL;
        bool ok = *value ? *field != NULL : fail(p, "«%s» está vacío", summary_keys[i].key);
        g_free(value);
        return ok;
    }
    g_free(key);
    return fail(p, "línea no reconocida en @resumen_ejecutivo: «%s» (use cifra \"Etiqueta\" = métrica; "
                   "detalle, o introduccion, senalados, regla, ninguno, cierre = texto)",
                l);
}

static node *parse_summary(parser *p, const char *args)
{
    if (p->kind == OBS_TPL_OPL) {
        fail(p, "@resumen_ejecutivo no puede ir en un resumen por OPL: nombraría a otros OPL");
        return NULL;
    }
    GHashTable *opts = front_options(p, args, "@resumen_ejecutivo");
    if (!opts)
        return NULL;
    size_t line = p->i;
    node *n = g_new0(node, 1);
    n->kind = N_SUMMARY;
    tpl_summary *s = n->front = g_new0(tpl_summary, 1);
    s->figures = g_ptr_array_new();
    s->sheet = take(opts, "hoja");
    bool ok = take_text(p, opts, "titulo", "Resumen ejecutivo", &s->title) &&
              no_unknown_options(p, opts, "@resumen_ejecutivo") && parse_body(p, summary_line, s);
    if (ok && s->figures->len == 0) {
        p->i = line;
        ok = fail(p, "@resumen_ejecutivo necesita al menos una línea «cifra \"Etiqueta\" = métrica»");
    }
    if (ok && !s->flag_title)
        ok = (s->flag_title = parse_text(p, "OPL con bajo número de acciones de difusión")) != NULL;
    if (ok && !s->flag_none)
        ok = (s->flag_none = parse_text(p, "Ningún OPL tiene un número bajo de acciones de difusión.")) != NULL;
    g_hash_table_destroy(opts);
    if (!ok) {
        node_free(n);
        return NULL;
    }
    return n;
}

static node *parse_toc(parser *p, const char *args)
{
    GHashTable *opts = front_options(p, args, "@indice");
    if (!opts)
        return NULL;
    node *n = g_new0(node, 1);
    n->kind = N_TOC;
    tpl_toc *t = n->front = g_new0(tpl_toc, 1);
    bool ok = take_text(p, opts, "titulo", "Contenido", &t->title) &&
              take_bool(p, opts, "tablas", false, &t->items) && no_unknown_options(p, opts, "@indice");
    g_hash_table_destroy(opts);
    if (!ok) {
        node_free(n);
        return NULL;
    }
    return n;
}

static bool glossary_line(parser *p, const char *l, void *ud)
{
    tpl_glossary *g = ud;
    const char *eq = strchr(l, '=');
    if (!eq)
        return fail(p, "en @siglas cada línea es «SIGLA = significado»: «%s»", l);
    char *term = g_strstrip(g_strndup(l, (gsize)(eq - l)));
    char *meaning = g_strstrip(g_strdup(eq + 1));
    bool ok = true;
    if (!*term || !*meaning)
        ok = fail(p, "en @siglas cada línea es «SIGLA = significado»: «%s»", l);
    for (guint i = 0; ok && i < g->terms->len; i++)
        if (strcmp(g->terms->pdata[i], term) == 0)
            ok = fail(p, "la sigla «%s» ya está en la lista", term);
    if (ok) {
        g_ptr_array_add(g->terms, term);
        g_ptr_array_add(g->meanings, meaning);
    } else {
        g_free(term);
        g_free(meaning);
    }
    return ok;
}

static node *parse_glossary(parser *p, const char *args)
{
    GHashTable *opts = front_options(p, args, "@siglas");
    if (!opts)
        return NULL;
    size_t line = p->i;
    node *n = g_new0(node, 1);
    n->kind = N_GLOSSARY;
    tpl_glossary *g = n->front = g_new0(tpl_glossary, 1);
    g->terms = g_ptr_array_new_with_free_func(g_free);
    g->meanings = g_ptr_array_new_with_free_func(g_free);
    g->sheet = take(opts, "hoja");
    bool ok = no_unknown_options(p, opts, "@siglas") && parse_body(p, glossary_line, g);
    if (ok && g->terms->len == 0) {
        p->i = line;
        ok = fail(p, "@siglas necesita líneas «SIGLA = significado»");
    }
    g_hash_table_destroy(opts);
    if (!ok) {
        node_free(n);
        return NULL;
    }
    return n;
}

static node *parse_map(parser *p, const char *args)
{
    if (p->kind == OBS_TPL_OPL) {
        fail(p, "@mapa no puede ir en un resumen por OPL: mostraría otras entidades");
        return NULL;
    }
    GHashTable *opts = front_options(p, args, "@mapa");
    if (!opts)
        return NULL;
    node *n = g_new0(node, 1);
    n->kind = N_MAP;
    tpl_map *m = n->front = g_new0(tpl_map, 1);
    m->id = take(opts, "id");
    if (!m->id)
        m->id = g_strdup("mapa");
    m->sheet = take(opts, "hoja");
    char *value = take(opts, "valor");
    bool ok = parse_mexpr(p, value ? value : "difusion.instancia.opl", &m->value) &&
              take_text(p, opts, "titulo", NULL, &m->title) && take_text(p, opts, "nota", NULL, &m->note) &&
              take_text(p, opts, "etiqueta", "Acciones de difusión de los OPL", &m->value_label) &&
              take_text(p, opts, "leyenda", "OPL con bajo número de acciones de difusión", &m->flag_label) &&
              take_text(p, opts, "leyenda_otros", "Demás OPL", &m->other_label) &&
              no_unknown_options(p, opts, "@mapa");
    g_free(value);
    if (ok && !tpl_grid_load(obs_catalog_dir(p->cat), &m->grid, p->err))
        ok = !(p->failed = true);
    g_hash_table_destroy(opts);
    if (!ok) {
        node_free(n);
        return NULL;
    }
    return n;
}

/* Directives of the front matter and apparatus: name → parser. */
static const struct {
    const char *name;
    node *(*parse)(parser *p, const char *args);
} front_directives[] = {
    {"resumen_ejecutivo", parse_summary},
    {"indice", parse_toc},
    {"siglas", parse_glossary},
    {"mapa", parse_map},
};

/* Records the tables, charts and maps by id, for the citations. */
static void note_item(parser *p, const node *n, size_t line)
{
    if (n->kind == N_TABLE)
        note_ref(p, p->items, "tabla", n->table->id, line);
    else if (n->kind == N_CHART)
        note_ref(p, p->items, "grafica", n->chart->id, line);
    else if (n->kind == N_MAP)
        note_ref(p, p->items, "mapa", ((const tpl_map *)n->front)->id, line);
}
