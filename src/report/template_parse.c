/* template_parse.c - the template parser: reads the file, its @documento keys and its nodes (paragraphs, lists,
 * @si), and dispatches each directive to its parser; the language is in README.md. */
#include <string.h>

#include "report/template_parse_int.h"

/* Reads a paragraph starting at the current line (whose text starts at `first`). */
static node *parse_paragraph(parser *p, const char *first, obs_par_style style, bool single_line)
{
    char *head = g_strstrip(g_strdup(first));
    GString *s = g_string_new(head);
    g_free(head);
    if (!single_line) {
        for (p->i++; tpl_in_body(p) && !tpl_is_comment(tpl_cur(p)) &&
                     !g_str_has_prefix(g_strchug(p->lines[p->i]), "- ");
             p->i++) {
            /* A line ending in a backslash keeps its line break (addresses, signatures). */
            if (s->len && s->str[s->len - 1] == '\\') {
                s->str[s->len - 1] = '\n';
            } else if (s->len) {
                g_string_append_c(s, ' ');
            }
            g_string_append(s, g_strstrip(p->lines[p->i]));
        }
        p->i--;
    }
    if (s->len && s->str[s->len - 1] == '\\')
        g_string_truncate(s, s->len - 1);
    node *n = g_new0(node, 1);
    n->kind = N_PARAGRAPH;
    n->style = style;
    n->text = tpl_parse_text(p, s->str);
    g_string_free(s, TRUE);
    if (!n->text) {
        tpl_node_free(n);
        return NULL;
    }
    return n;
}

static bool parse_nodes(parser *p, GPtrArray *out, const char *terminators, char **ended_by);

/* The conditions a template names as such (others are configuration variables or metrics). */
static const struct {
    const char *name;
    cond_kind kind;
} conditions[] = {
    {"anterior", C_ANTERIOR},
    {"bajo", C_BAJO},
    {"rechazos", C_RECHAZOS},
    {"acciones_opl", C_ACCIONES_OPL},
    {"historial", C_HISTORIAL},
    {"exhortos", C_EXHORTOS},
};

/* What an @si tests: a named condition (*named set to its name), a configuration variable or a metric. */
static bool resolve_cond(parser *p, node *n, const char *c, const char **named)
{
    for (size_t i = 0; i < G_N_ELEMENTS(conditions); i++)
        if (strcmp(c, conditions[i].name) == 0) {
            n->cond = conditions[i].kind;
            *named = conditions[i].name;
            return true;
        }
    if (tpl_extra_var_known(p, c)) {
        n->cond = C_VAR;
        n->cond_var = g_strdup(c);
        return true;
    }
    if ((n->cond_metric = obs_cube_metric_find(p->names, c)) >= 0) {
        n->cond = C_METRIC;
        return true;
    }
    GString *names = g_string_new(NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(conditions); i++)
        g_string_append_printf(names, "%s, ", conditions[i].name);
    tpl_fail(p, "condición desconocida «%s» (use %suna métrica —verdadera si no es cero al corte— o una variable de "
                "la configuración, con «no» delante para negarla)",
             c, names->str);
    g_string_free(names, TRUE);
    return false;
}

/* @si CONDICIÓN … [@sino …] @fin */
static node *parse_if(parser *p, const char *args)
{
    node *n = g_new0(node, 1);
    n->kind = N_IF;
    n->then_nodes = g_ptr_array_new_with_free_func(tpl_node_free);
    n->else_nodes = g_ptr_array_new_with_free_func(tpl_node_free);
    char *cond = g_strstrip(g_strdup(args));
    const char *c = cond;
    if (g_str_has_prefix(c, "no ")) {
        n->negate = true;
        c += 3;
        while (*c == ' ')
            c++;
    }
    size_t if_line = p->i;
    const char *named = NULL;
    bool ok = resolve_cond(p, n, c, &named);
    g_free(cond);
    char *ended = NULL;
    /* What each branch may assume, for citations: "bajo" in the first, "!bajo" in the second. */
    char *holds = ok ? g_strdup_printf("%s%s", named ? named : "var:", n->cond_var ? n->cond_var : "") : NULL;
    if (ok) {
        p->i++;
        g_ptr_array_add(p->conds, g_strdup_printf("%s%s", n->negate ? "!" : "", holds));
        ok = parse_nodes(p, n->then_nodes, "sino fin", &ended);
        g_ptr_array_remove_index(p->conds, p->conds->len - 1);
    }
    if (ok && ended && strcmp(ended, "sino") == 0) {
        g_free(ended);
        ended = NULL;
        p->i++;
        g_ptr_array_add(p->conds, g_strdup_printf("%s%s", n->negate ? "" : "!", holds));
        ok = parse_nodes(p, n->else_nodes, "fin", &ended);
        g_ptr_array_remove_index(p->conds, p->conds->len - 1);
    }
    g_free(holds);
    if (ok && !ended) {
        p->i = if_line;
        ok = tpl_fail(p, "@si sin @fin");
    }
    g_free(ended);
    if (!ok) {
        tpl_node_free(n);
        return NULL;
    }
    return n;
}

/* The values formato and numerar admit; the other keys of @documento take any text. */
static bool doc_value_ok(parser *p, const char *key, const char *value)
{
    if (strcmp(key, "formato") == 0 && strcmp(value, "informe") != 0 && strcmp(value, "resumen") != 0 &&
        strcmp(value, "oficio") != 0)
        return tpl_fail(p, "formato admite informe, resumen u oficio, no «%s»", value);
    if (strcmp(key, "numerar") == 0 && strcmp(value, "si") != 0 && strcmp(value, "sí") != 0 &&
        strcmp(value, "no") != 0)
        return tpl_fail(p, "numerar lleva si o no, no «%s»", value);
    return true;
}

/* @documento: clave = valor lines, up to a blank line. */
static bool parse_document_props(parser *p, GPtrArray *props)
{
    for (p->i++; tpl_in_body(p); p->i++) {
        const char *l = g_strchug(p->lines[p->i]);
        if (tpl_is_comment(l))
            continue;
        const char *eq = strchr(l, '=');
        if (!eq)
            return tpl_fail(p, "en @documento cada línea es «clave = valor»");
        char *key = g_strstrip(g_strndup(l, (gsize)(eq - l)));
        if (!tpl_doc_key_find(key)) {
            tpl_fail(p, "clave desconocida «%s» en @documento", key);
            g_free(key);
            return false;
        }
        char *value = g_strstrip(g_strdup(eq + 1));
        if (!doc_value_ok(p, key, value)) {
            g_free(key);
            g_free(value);
            return false;
        }
        prop *pr = g_new0(prop, 1);
        pr->key = key;
        pr->value = tpl_parse_text(p, value);
        g_free(value);
        g_ptr_array_add(props, pr);
        if (!pr->value)
            return false;
    }
    p->i--;
    return true;
}

static node *new_node(node_kind kind)
{
    node *n = g_new0(node, 1);
    n->kind = kind;
    return n;
}

static node *parse_section(parser *p, const char *args)
{
    if (tpl_is_blank(args)) {
        tpl_fail(p, "@seccion necesita un título");
        return NULL;
    }
    node *n = new_node(N_SECTION);
    n->new_page = p->pending_page;
    p->pending_page = false;
    n->text = tpl_parse_text(p, args);
    if (!n->text) {
        tpl_node_free(n);
        return NULL;
    }
    return n;
}

/* A page break; right before a section it starts that section on a new page instead (no node). */
static node *parse_break(parser *p, const char *args)
{
    (void)args;
    size_t j = p->i + 1;
    while (j < p->nlines && (tpl_is_blank(p->lines[j]) || tpl_is_comment(p->lines[j])))
        j++;
    if (j < p->nlines && g_str_has_prefix(p->lines[j], "@seccion")) {
        p->pending_page = true;
        return NULL;
    }
    return new_node(N_PAGEBREAK);
}

static node *parse_list(parser *p, const char *args)
{
    const char *which = g_strstrip((char *)args);
    bool fuentes = strcmp(which, "fuentes") == 0;
    if (tpl_extra_var_known(p, which)) {
        /* A configuration value written as "a; b; c": one bullet each. */
        node *n = new_node(N_LIST_VAR);
        n->cond_var = g_strdup(which);
        return n;
    }
    if (!fuentes && strcmp(which, "bajo") != 0) {
        tpl_fail(p, "@lista admite «bajo» (los OPL señalados), «fuentes» (los archivos leídos) o una "
                    "variable de la configuración; para otras listas escriba líneas que empiecen con «- »");
        return NULL;
    }
    if (!fuentes && p->kind == OBS_TPL_OPL) {
        tpl_fail(p, "@lista bajo no puede ir en un resumen por OPL: mostraría otras entidades");
        return NULL;
    }
    return new_node(fuentes ? N_LIST_FUENTES : N_LIST_BAJO);
}

/*
 * The directives, one row each: a parser of its own; or none, and then a paragraph of the row's
 * style, or the error for a directive that can't be where it is. The message for an unknown
 * directive lists the rows marked `listed`, in this order.
 */
static const struct directive {
    const char *name;
    node *(*parse)(parser *p, const char *args); /* the node, or NULL after failing or without a node */
    bool listed;
    obs_par_style style;    /* paragraph directives */
    bool single_line;       /* paragraph directives: the paragraph is the directive's line alone */
    const char *misplaced;  /* the error for a directive that can't be here */
} directives[] = {
    {.name = "documento", .listed = true, .misplaced = "@documento va una sola vez, al principio del archivo"},
    {.name = "seccion", .parse = parse_section, .listed = true},
    {.name = "salto", .parse = parse_break, .listed = true},
    {.name = "tabla", .parse = tpl_parse_table, .listed = true},
    {.name = "grafica", .parse = tpl_parse_chart, .listed = true},
    {.name = "lista", .parse = parse_list, .listed = true},
    {.name = "si", .parse = parse_if, .listed = true},
    {.name = "sino", .listed = true, .misplaced = "@sino sin @si"},
    {.name = "fin", .listed = true, .misplaced = "@fin sin @si"},
    {.name = "subtitulo", .listed = true, .style = OBS_PAR_HEADING, .single_line = true},
    {.name = "nota", .listed = true, .style = OBS_PAR_NOTE},
    {.name = "negritas", .listed = true, .style = OBS_PAR_STRONG},
    {.name = "derecha", .listed = true, .style = OBS_PAR_RIGHT},
    {.name = "centro", .listed = true, .style = OBS_PAR_CENTER},
    {.name = "resumen_ejecutivo", .parse = tpl_parse_summary, .listed = true},
    {.name = "indice", .parse = tpl_parse_toc, .listed = true},
    {.name = "siglas", .parse = tpl_parse_glossary, .listed = true},
    {.name = "mapa", .parse = tpl_parse_map, .listed = true},
    {.name = "parrafo", .style = OBS_PAR_NORMAL}, /* what a line without a directive is */
};

static void unknown_directive(parser *p, const char *name)
{
    GString *list = g_string_new(NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(directives); i++)
        if (directives[i].listed)
            g_string_append_printf(list, "%s@%s", list->len ? ", " : "", directives[i].name);
    tpl_fail(p, "directiva desconocida «@%s» (directivas: %s)", name, list->str);
    g_string_free(list, TRUE);
}

/* The node a directive starts: NULL after failing, or for a directive that adds no node. */
static node *parse_directive(parser *p, const char *name, const char *args)
{
    for (size_t i = 0; i < G_N_ELEMENTS(directives); i++) {
        const struct directive *d = &directives[i];
        if (strcmp(name, d->name) != 0)
            continue;
        if (d->parse)
            return d->parse(p, args);
        if (d->misplaced) {
            tpl_fail(p, "%s", d->misplaced);
            return NULL;
        }
        return parse_paragraph(p, args, d->style, d->single_line);
    }
    unknown_directive(p, name);
    return NULL;
}

/* Reads "@name args": the name (g_free), and in *args where its arguments start. */
static char *directive_name(const char *l, const char **args)
{
    const char *name_end = l + 1;
    while (*name_end && !g_ascii_isspace(*name_end))
        name_end++;
    *args = name_end;
    while (**args == ' ' || **args == '\t')
        (*args)++;
    return g_strndup(l + 1, (gsize)(name_end - l - 1));
}

/* Consecutive lines starting with "- ": one list. */
static node *parse_items(parser *p)
{
    node *n = new_node(N_LIST);
    n->items = g_ptr_array_new_with_free_func(tpl_text_destroy);
    for (; tpl_cur(p) && g_str_has_prefix(g_strchug(p->lines[p->i]), "- "); p->i++) {
        tpl_text *item = tpl_parse_text(p, g_strstrip(p->lines[p->i] + 2));
        if (!item) {
            tpl_node_free(n);
            return NULL;
        }
        g_ptr_array_add(n->items, item);
    }
    p->i--;
    return n;
}

/*
 * Parses nodes until the end of the file or one of the directives in
 * `terminators` (space-separated names); *ended_by receives that name.
 */
static bool parse_nodes(parser *p, GPtrArray *out, const char *terminators, char **ended_by)
{
    for (; tpl_cur(p); p->i++) {
        const char *l = p->lines[p->i];
        if (tpl_is_blank(l) || tpl_is_comment(l))
            continue;
        size_t line = p->i + 1;
        node *n;
        if (l[0] == '@') {
            const char *args;
            char *name = directive_name(l, &args);
            if (terminators && strstr(terminators, name) && (strcmp(name, "sino") == 0 || strcmp(name, "fin") == 0)) {
                *ended_by = name;
                return true;
            }
            n = parse_directive(p, name, args);
            g_free(name);
            if (!n && !p->failed)
                continue;
        } else if (g_str_has_prefix(g_strchug((char *)l), "- ")) {
            n = parse_items(p);
        } else {
            n = parse_paragraph(p, l, OBS_PAR_NORMAL, false);
        }
        if (!n)
            return false;
        g_ptr_array_add(out, n);
        tpl_note_item(p, n, line);
    }
    return true;
}

/* A yes/no key of @documento (checked by parse_document_props) says yes. */
static bool prop_is_yes(const obs_template *t, const char *key)
{
    const char *v = tpl_text_literal(tpl_prop_value(t, key));
    return v && (strcmp(v, "si") == 0 || strcmp(v, "sí") == 0);
}

obs_status obs_template_parse(const char *name, const char *text, size_t len,
                              obs_template_kind kind, const obs_catalog *cat,
                              const char *const *vars, const obs_fonts *fonts, obs_template **out,
                              obs_error *err)
{
    *out = NULL;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) { /* BOM: Notepad's "UTF-8" */
        text += 3;
        len -= 3;
    }
    if (!g_utf8_validate(text, (gssize)len, NULL))
        return obs_error_set(err, OBS_ERR_CONFIG, name, 0, 0, "la plantilla debe estar en UTF-8");
    char *copy = g_strndup(text, len);
    /* Accept CRLF files saved on Windows. */
    for (char *c = copy; *c; c++)
        if (*c == '\r' && c[1] == '\n')
            *c = ' ';
    parser p = {.name = name, .kind = kind, .cat = cat, .vars = vars, .fonts = fonts, .err = err};
    p.conds = g_ptr_array_new_with_free_func(g_free);
    p.items = g_ptr_array_new_with_free_func(tpl_cite_ref_free);
    p.cites = g_ptr_array_new_with_free_func(tpl_cite_ref_free);
    p.lines = g_strsplit(copy, "\n", -1);
    g_free(copy);
    p.nlines = g_strv_length(p.lines);
    p.names = obs_cube_new(cat, 1);
    obs_template *t = g_new0(obs_template, 1);
    t->kind = kind;
    t->props = g_ptr_array_new_with_free_func(tpl_prop_free);
    t->nodes = g_ptr_array_new_with_free_func(tpl_node_free);
    while (tpl_cur(&p) && (tpl_is_blank(tpl_cur(&p)) || tpl_is_comment(tpl_cur(&p))))
        p.i++;
    bool ok = true;
    if (tpl_cur(&p) && g_str_has_prefix(tpl_cur(&p), "@documento"))
        ok = parse_document_props(&p, t->props) && (p.i++, true);
    char *ended = NULL;
    ok = ok && parse_nodes(&p, t->nodes, NULL, &ended);
    if (ok && ended) {
        ok = tpl_fail(&p, "@%s sin @si", ended);
        g_free(ended);
    }
    if (ok && t->nodes->len == 0) {
        obs_error_set(err, OBS_ERR_CONFIG, name, 0, 0, "la plantilla no tiene contenido (ninguna @seccion)");
        ok = false;
    }
    t->numbered = prop_is_yes(t, "numerar");
    t->cites = p.cites->len > 0;
    ok = ok && tpl_check_citations(&p, t->numbered);
    g_ptr_array_unref(p.conds);
    g_ptr_array_unref(p.items);
    g_ptr_array_unref(p.cites);
    obs_cube_free(p.names);
    g_strfreev(p.lines);
    if (!ok) {
        obs_template_free(t);
        return OBS_ERR_CONFIG;
    }
    *out = t;
    return OBS_OK;
}

obs_status obs_template_load(const char *path, obs_template_kind kind, const obs_catalog *cat,
                             const char *const *vars, const obs_fonts *fonts, obs_template **out,
                             obs_error *err)
{
    char *text = NULL;
    gsize len = 0;
    GError *gerr = NULL;
    *out = NULL;
    if (!g_file_get_contents(path, &text, &len, &gerr)) {
        obs_status st = obs_error_set(err, OBS_ERR_CONFIG, path, 0, 0,
                                      "no se puede leer la plantilla: %s; revise --plantillas",
                                      obs_gerror_str(gerr));
        g_error_free(gerr);
        return st;
    }
    obs_status st = obs_template_parse(path, text, len, kind, cat, vars, fonts, out, err);
    g_free(text);
    return st;
}
