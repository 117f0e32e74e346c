/* template_tables.c - the @tabla and @grafica directives: their types, options and body lines
 * (columna, fila, total, serie), checked when the template is loaded. */
#include <string.h>

#include "report/template_parse_int.h"

/* The types of @tabla and @grafica: name, tpl_table_type or tpl_chart_type, and the template kinds that may
 * show them (S_NATIONAL: not an OPL's summary, which would show other entidades). */
typedef struct type_def {
    const char *name;
    int type;
    unsigned scopes;
} type_def;

static const type_def table_types[] = {
    {"entidades", TT_ENTIDADES, S_NATIONAL},
    {"indicadores", TT_INDICADORES, S_ALL},
    {"tipos_difusion", TT_TIPOS_DIFUSION, S_ALL},
    {"causas", TT_CAUSAS, S_NATIONAL},
    {"opl_bajo", TT_OPL_BAJO, S_NATIONAL},
    {"control", TT_CONTROL, S_NATIONAL},
    {"motivos", TT_MOTIVOS, S_NATIONAL},
    {"cortes", TT_CORTES, S_ALL},
    {"exhortos", TT_EXHORTOS, S_ALL},
    {"revisiones", TT_REVISIONES, S_ALL},
};

static const struct {
    const char *name;
    int kind;
} coli_names[] = {
    {"etiqueta", COLI_LABEL},     {"valor", COLI_VALUE},       {"anterior", COLI_PREVIOUS},
    {"cambio", COLI_CHANGE},      {"pct", COLI_PCT},           {"nacional", COLI_NATIONAL},
    {"pct_nacional", COLI_PCT_NATIONAL},
};

/* The type named type among types; NULL after failing on an unknown type ("tipo de tabla desconocido …",
 * with the list of types) or on one the template's kind may not show. */
static const type_def *find_type(parser *p, const type_def *types, size_t n, const char *type, const char *directive,
                                 const char *what)
{
    for (size_t i = 0; type && i < n; i++) {
        if (strcmp(type, types[i].name) != 0)
            continue;
        if (!tpl_kind_allows(p, types[i].scopes)) {
            tpl_fail(p, "@%s %s no puede ir en un resumen por OPL: mostraría otras entidades", directive, type);
            return NULL;
        }
        return &types[i];
    }
    GString *list = g_string_new(NULL);
    for (size_t i = 0; i < n; i++)
        g_string_append_printf(list, "%s%s", i ? ", " : "", types[i].name);
    tpl_fail(p, "tipo de %s desconocido «%s» (tipos: %s)", what, type ? type : "", list->str);
    g_string_free(list, TRUE);
    return NULL;
}

/*
 * A directive with a type and options (@tabla, @grafica): reads them, and fill reads the rest into a new node
 * of the given kind. The node, or NULL after failing.
 */
static node *parse_item(parser *p, const char *args, node_kind kind,
                        bool (*fill)(parser *p, GHashTable *opts, const char *type, node *n))
{
    char *type = NULL;
    GHashTable *opts = tpl_parse_options(p, args, &type);
    if (!opts)
        return NULL;
    node *n = g_new0(node, 1);
    n->kind = kind;
    bool ok = fill(p, opts, type, n);
    g_free(type);
    g_hash_table_destroy(opts);
    if (!ok) {
        tpl_node_free(n);
        return NULL;
    }
    return n;
}

/* Parses a table's or chart's titulo and nota options (either may be NULL) into the node's title and note. */
static bool item_texts(parser *p, node *n, const char *title, const char *note)
{
    return (!title || (n->text = tpl_parse_text(p, title)) != NULL) &&
           (!note || (n->note = tpl_parse_text(p, note)) != NULL);
}

/* Parses a column of @tabla entidades: expr, cambio(expr), anterior(expr) or pct(expr, base). */
static bool parse_colx(parser *p, const char *s, tpl_column *c)
{
    static const struct {
        const char *fn;
        colx_kind kind;
    } fns[] = {{"cambio(", COLX_CHANGE}, {"anterior(", COLX_PREVIOUS}, {"pct(", COLX_PCT}};
    for (size_t i = 0; i < G_N_ELEMENTS(fns); i++) {
        if (!g_str_has_prefix(s, fns[i].fn))
            continue;
        size_t len = strlen(s);
        if (s[len - 1] != ')')
            return tpl_fail(p, "falta «)» en «%s»", s);
        char *inner = g_strndup(s + strlen(fns[i].fn), len - strlen(fns[i].fn) - 1);
        c->kind = fns[i].kind;
        bool ok;
        if (fns[i].kind == COLX_PCT) {
            char *comma = strchr(inner, ',');
            if (!comma) {
                g_free(inner);
                return tpl_fail(p, "pct necesita dos expresiones: pct(métrica, base)");
            }
            *comma = '\0';
            ok = mexpr_parse(p, inner, &c->a) && mexpr_parse(p, comma + 1, &c->b);
        } else {
            ok = mexpr_parse(p, inner, &c->a);
        }
        g_free(inner);
        return ok;
    }
    c->kind = COLX_VALUE;
    return mexpr_parse(p, s, &c->a);
}

/* The list of names in a table ("etiqueta, valor, … o pct_nacional") for messages (g_free). */
static char *coli_list(void)
{
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(coli_names); i++)
        g_string_append_printf(s, "%s%s", i == 0 ? "" : i + 1 == G_N_ELEMENTS(coli_names) ? " o " : ", ",
                               coli_names[i].name);
    return g_string_free(s, FALSE);
}

/* What a «columna» line computes, by the table's type; rest is what follows its label. */
static bool column_kind(parser *p, tpl_table *t, tpl_column *c, const char *rest)
{
    if (t->type == TT_ENTIDADES)
        return parse_colx(p, rest, c);
    if (t->type == TT_CORTES) {
        c->kind = strcmp(rest, "senalados") == 0 ? COLC_SENALADOS : strcmp(rest, "oficio") == 0 ? COLC_OFICIO
                                                                                                : COLC_VALUE;
        if (c->kind == COLC_OFICIO && p->kind != OBS_TPL_OPL)
            return tpl_fail(p, "la columna «oficio» de @tabla cortes sólo existe en el resumen por OPL; "
                               "en este documento use @tabla exhortos");
        return c->kind != COLC_VALUE || mexpr_parse(p, rest, &c->a);
    }
    if (t->type != TT_INDICADORES)
        return tpl_fail(p, "esta tabla tiene columnas fijas: quite las líneas «columna»");
    c->kind = -1;
    for (size_t i = 0; i < G_N_ELEMENTS(coli_names); i++)
        if (strcmp(rest, coli_names[i].name) == 0)
            c->kind = coli_names[i].kind;
    if (c->kind < 0) {
        char *names = coli_list();
        bool ok = tpl_fail(p, "columna «%s» desconocida en @tabla indicadores (use %s)", rest, names);
        g_free(names);
        return ok;
    }
    if ((c->kind == COLI_NATIONAL || c->kind == COLI_PCT_NATIONAL) && p->kind != OBS_TPL_OPL)
        return tpl_fail(p, "la columna «%s» sólo tiene sentido en un resumen por OPL", rest);
    return true;
}

/* «columna ETIQUETA: …» and «columna? …» (a column left out when it is zero everywhere). */
static bool body_column(parser *p, tpl_table *t, const char *l, const char *kw)
{
    char *label = NULL, *rest = NULL;
    bool optional = strcmp(kw, "columna?") == 0;
    if (!tpl_parse_labeled(p, l, kw, &label, &rest))
        return false;
    tpl_column *c = g_new0(tpl_column, 1);
    c->header = label;
    c->omit_zero = optional;
    g_ptr_array_add(t->columns, c);
    bool ok = (c->header_text = tpl_parse_text(p, label)) != NULL;
    if (ok && optional && t->type != TT_ENTIDADES)
        ok = tpl_fail(p, "«columna?» sólo existe en @tabla entidades; en indicadores use «fila?»");
    ok = ok && column_kind(p, t, c, rest);
    g_free(rest);
    return ok;
}

/* «fila ETIQUETA: expresión», «fila? …» (left out when zero) and «total …» of @tabla indicadores. */
static bool body_row(parser *p, tpl_table *t, const char *l, const char *kw)
{
    if (t->type != TT_INDICADORES)
        return tpl_fail(p, "sólo @tabla indicadores lleva líneas «fila» y «total»");
    char *label = NULL, *rest = NULL;
    if (!tpl_parse_labeled(p, l, kw, &label, &rest))
        return false;
    tpl_row *r = g_new0(tpl_row, 1);
    r->label = label;
    r->omit_zero = strcmp(kw, "fila?") == 0;
    r->total = strcmp(kw, "total") == 0;
    g_ptr_array_add(t->rows, r);
    bool ok = (r->label_text = tpl_parse_text(p, label)) != NULL && mexpr_parse(p, rest, &r->e);
    g_free(rest);
    return ok;
}

/* The lines a table's body may hold: a keyword followed by a space. */
static const struct {
    const char *kw;
    bool (*parse)(parser *p, tpl_table *t, const char *l, const char *kw);
} body_lines[] = {
    {"columna", body_column}, {"columna?", body_column}, {"fila", body_row}, {"fila?", body_row}, {"total", body_row},
};

/* The body line l: its keyword's entry, or an error listing them (from the table). */
static bool parse_body_line(parser *p, tpl_table *t, const char *l)
{
    size_t n = strcspn(l, " ");
    for (size_t i = 0; i < G_N_ELEMENTS(body_lines); i++)
        if (l[n] == ' ' && strlen(body_lines[i].kw) == n && strncmp(l, body_lines[i].kw, n) == 0)
            return body_lines[i].parse(p, t, l, body_lines[i].kw);
    GString *kws = g_string_new(NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(body_lines); i++)
        g_string_append_printf(kws, "%s%s", i == 0 ? "" : i + 1 == G_N_ELEMENTS(body_lines) ? " o " : ", ",
                               body_lines[i].kw);
    bool ok = tpl_fail(p, "línea no reconocida dentro de @tabla: «%s» (use %s; termine la tabla con una línea en "
                          "blanco)",
                       l, kws->str);
    g_string_free(kws, TRUE);
    return ok;
}

static bool parse_table_body(parser *p, tpl_table *t)
{
    for (p->i++; tpl_in_body(p); p->i++) {
        const char *l = g_strchug(p->lines[p->i]);
        if (!tpl_is_comment(l) && !parse_body_line(p, t, l))
            return false;
    }
    p->i--; /* the caller advances */
    if ((t->type == TT_ENTIDADES || t->type == TT_CORTES) && t->columns->len == 0)
        return tpl_fail(p, "@tabla %s necesita al menos una línea «columna»",
                        t->type == TT_CORTES ? "cortes" : "entidades");
    if (t->type == TT_INDICADORES && (t->columns->len == 0 || t->rows->len == 0))
        return tpl_fail(p, "@tabla indicadores necesita líneas «columna» y «fila»");
    return true;
}

/* @tabla TYPE options, then its body lines. */
static bool table_fill(parser *p, GHashTable *opts, const char *type, node *n)
{
    size_t table_line = p->i;
    tpl_table *t = n->table = tpl_table_new();
    t->max = 10;
    bool revisions = type && strcmp(type, "revisiones") == 0;
    bool history = type && (strcmp(type, "cortes") == 0 || strcmp(type, "exhortos") == 0);
    bool brief = p->kind == OBS_TPL_OPL;
    if (revisions)
        t->max = 60;
    else if (history)
        t->max = brief ? TPL_OPL_CORTES_MAX : 0;
    const type_def *found = find_type(p, table_types, G_N_ELEMENTS(table_types), type, "tabla", "tabla");
    bool ok = found != NULL;
    if (found) {
        t->type = (tpl_table_type)found->type;
        t->id = tpl_take(opts, "id");
        if (!t->id)
            t->id = g_strdup(type);
        char *title = tpl_take(opts, "titulo"), *note = tpl_take(opts, "nota");
        t->sheet = tpl_take(opts, "hoja");
        char *mark = tpl_take(opts, "marcar");
        if (mark && strcmp(mark, "bajo") != 0)
            ok = tpl_fail(p, "marcar sólo admite «bajo» (los OPL con bajo número de acciones)");
        t->mark_bajo = mark != NULL;
        g_free(mark);
        char *base = tpl_take(opts, "base");
        if (ok && base) {
            t->has_base = true;
            ok = mexpr_parse(p, base, &t->base);
        }
        g_free(base);
        ok = ok && tpl_take_bool(p, opts, "omitir_ceros", false, &t->skip_zero);
        if (ok && t->skip_zero && t->type != TT_TIPOS_DIFUSION)
            ok = tpl_fail(p, "omitir_ceros sólo existe en @tabla tipos_difusion; en indicadores use «fila?»");
        char *max = tpl_take(opts, "max");
        if (ok && max) {
            int most = revisions ? 1000 : history && brief ? TPL_OPL_CORTES_MAX : 100;
            t->max = (int)g_ascii_strtoll(max, NULL, 10);
            if (t->max < 1 || t->max > most)
                ok = history && brief ? tpl_fail(p, "max debe estar entre 1 y %d en el resumen por OPL, que ocupa a lo "
                                                    "más dos páginas", most)
                                      : tpl_fail(p, "max debe estar entre 1 y %d", most);
        }
        g_free(max);
        ok = ok && item_texts(p, n, title, note);
        g_free(title);
        g_free(note);
        ok = ok && tpl_no_unknown_options(p, opts, "@tabla");
        ok = ok && parse_table_body(p, t);
        if (ok && t->type == TT_INDICADORES) {
            for (guint i = 0; i < t->columns->len; i++)
                if (ok && ((tpl_column *)t->columns->pdata[i])->kind == COLI_PCT && !t->has_base) {
                    p->i = table_line;
                    ok = tpl_fail(p, "la columna pct necesita la opción base=MÉTRICA en @tabla indicadores");
                }
        }
        obs_error wide = {0};
        if (ok && !tpl_table_fits(t, p->cat, p->fonts, &wide)) {
            p->i = table_line;
            ok = tpl_fail(p, "%s", wide.message);
        }
    }
    return ok;
}

node *tpl_parse_table(parser *p, const char *args)
{
    return parse_item(p, args, N_TABLE, table_fill);
}

static const type_def chart_types[] = {
    {"opl_entidad", TC_OPL_ENTIDAD, S_NATIONAL},
    {"semanal", TC_SEMANAL, S_ALL},
    {"edad_sexo", TC_EDAD_SEXO, S_ALL},
    {"cortes", TC_CORTES, S_ALL},
};

/* The options of @grafica, after its type. */
static bool chart_options(parser *p, GHashTable *opts, const char *type, node *n)
{
    tpl_chart *c = n->chart;
    c->id = tpl_take(opts, "id");
    if (!c->id)
        c->id = g_strdup(type);
    char *title = tpl_take(opts, "titulo"), *note = tpl_take(opts, "nota");
    c->sheet = tpl_take(opts, "hoja");
    c->x_title = tpl_take(opts, "eje_x");
    c->y_title = tpl_take(opts, "eje_y");
    bool ok = true;
    char *forma = tpl_take(opts, "forma");
    if (forma && strcmp(forma, "columnas") != 0 && strcmp(forma, "lineas") != 0)
        ok = tpl_fail(p, "forma admite lineas o columnas, no «%s»", forma);
    c->columns = forma && strcmp(forma, "columnas") == 0;
    g_free(forma);
    ok = ok && tpl_take_bool(p, opts, "acumulado", true, &c->cumulative);
    char *alto = tpl_take(opts, "alto");
    if (ok && alto) {
        c->height = g_ascii_strtod(alto, NULL);
        if (c->height < 60 || c->height > 400)
            ok = tpl_fail(p, "alto (altura de la gráfica en puntos) debe estar entre 60 y 400");
    }
    g_free(alto);
    ok = ok && item_texts(p, n, title, note);
    g_free(title);
    g_free(note);
    return ok && tpl_no_unknown_options(p, opts, "@grafica");
}

/* Whether a metric can be a series of the chart: one that accumulates by day (semanal), or any figure
 * of a corte but the flag (cortes). */
static bool series_metric_ok(const tpl_chart *c, int m)
{
    if (m < 0 || m == OBS_M_DIF_BAJO)
        return false;
    return c->type == TC_CORTES || (m != OBS_M_CURSO_SIN && m != OBS_M_PENDIENTES && m != OBS_M_DIF_INE &&
                                    !obs_metric_is_distinct((size_t)m));
}

/* The body of @grafica: «serie "Nombre" = métrica» lines, only in @grafica semanal and cortes. */
static bool chart_series(parser *p, tpl_chart *c)
{
    bool ok = true, series = c->type == TC_SEMANAL || c->type == TC_CORTES;
    for (p->i++; ok && tpl_in_body(p); p->i++) {
        const char *l = g_strchug(p->lines[p->i]);
        if (tpl_is_comment(l))
            continue;
        char *label = NULL, *rest = NULL;
        if (!series) {
            ok = tpl_fail(p, "esta gráfica no lleva líneas adicionales");
            break;
        }
        if (!g_str_has_prefix(l, "serie ")) {
            ok = tpl_fail(p, "dentro de @grafica %s sólo van líneas «serie \"Nombre\" = métrica»",
                          c->type == TC_CORTES ? "cortes" : "semanal");
            break;
        }
        if (!tpl_parse_labeled(p, l, "serie", &label, &rest)) {
            ok = false;
            break;
        }
        tpl_series *s = g_new0(tpl_series, 1);
        s->name = label;
        g_ptr_array_add(c->series, s);
        s->metric = obs_cube_metric_find(p->names, rest);
        if (!series_metric_ok(c, s->metric))
            ok = tpl_fail(p,
                          c->type == TC_CORTES
                              ? "serie «%s»: «%s» no es una métrica de metricas.csv que se pueda graficar (use, por "
                                "ejemplo, solicitudes.total o difusion.instancia.opl)"
                              : "serie «%s»: «%s» no es una métrica que se acumule por día (use, por ejemplo, "
                                "solicitudes.total o solicitudes.aprobadas)",
                          label, rest);
        g_free(rest);
    }
    p->i--;
    return ok;
}

/* @grafica TYPE options, then its series lines. */
static bool chart_fill(parser *p, GHashTable *opts, const char *type, node *n)
{
    tpl_chart *c = n->chart = tpl_chart_new();
    const type_def *found = find_type(p, chart_types, G_N_ELEMENTS(chart_types), type, "grafica", "gráfica");
    if (found)
        c->type = (tpl_chart_type)found->type;
    bool ok = found && chart_options(p, opts, type, n) && chart_series(p, c);
    if (ok && (c->type == TC_SEMANAL || c->type == TC_CORTES) && c->series->len == 0)
        ok = tpl_fail(p, "@grafica %s necesita al menos una línea «serie \"Nombre\" = métrica»", type);
    return ok;
}

node *tpl_parse_chart(parser *p, const char *args)
{
    return parse_item(p, args, N_CHART, chart_fill);
}
