/* template.c - parser, validator and renderer of report templates (the language is in README.md). */
#include "observa/template.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tpl_internal.h"

/* ---- parsed form ------------------------------------------------------------------------------ */

typedef enum var_id {
    V_NONE = -1,
    V_CORTE = 0,
    V_CORTE_ANTERIOR,
    V_FECHA_ELABORACION,
    V_PROCESO,
    V_LUGAR,
    V_VERSION,
    V_UMBRAL,
    V_MEDIANA,
    V_UMBRAL_MINIMO,
    V_FRACCION_MEDIANA,
    V_BAJO_N,
    V_BAJO_LISTA,
    V_ENTIDAD,
    V_ENTIDAD_OFICIAL,
    V_OPL,
    V_OPL_NOMBRE,
    V_OPL_SIGLAS,
    V_EXTRA,
    V_COUNT
} var_id;

typedef enum var_type { VT_DATE, VT_TEXT, VT_DEC, VT_INT } var_type;

/* Scope of a variable: which template kinds may use it. */
enum { S_ALL = 7, S_NATIONAL = 5, S_OPL = 2 };

static const struct {
    const char *name;
    var_type type;
    unsigned scopes; /* bit (1 << obs_template_kind) */
} var_info[V_COUNT] = {
    [V_CORTE] = {"corte", VT_DATE, S_ALL},
    [V_CORTE_ANTERIOR] = {"corte_anterior", VT_DATE, S_ALL},
    [V_FECHA_ELABORACION] = {"fecha_elaboracion", VT_DATE, S_ALL},
    [V_PROCESO] = {"proceso", VT_TEXT, S_ALL},
    [V_LUGAR] = {"lugar", VT_TEXT, S_ALL},
    [V_VERSION] = {"version", VT_TEXT, S_ALL},
    [V_UMBRAL] = {"umbral", VT_DEC, S_ALL},
    [V_MEDIANA] = {"mediana", VT_DEC, S_ALL},
    [V_UMBRAL_MINIMO] = {"umbral_minimo", VT_INT, S_ALL},
    [V_FRACCION_MEDIANA] = {"fraccion_mediana", VT_DEC, S_ALL},
    [V_BAJO_N] = {"bajo.n", VT_INT, S_NATIONAL},
    [V_BAJO_LISTA] = {"bajo.lista", VT_TEXT, S_NATIONAL},
    [V_ENTIDAD] = {"entidad", VT_TEXT, S_OPL},
    [V_ENTIDAD_OFICIAL] = {"entidad_oficial", VT_TEXT, S_OPL},
    [V_OPL] = {"opl", VT_TEXT, S_OPL},
    [V_OPL_NOMBRE] = {"opl_nombre", VT_TEXT, S_OPL},
    [V_OPL_SIGLAS] = {"opl_siglas", VT_TEXT, S_OPL},
    [V_EXTRA] = {NULL, VT_TEXT, S_ALL},
};

typedef enum fmt_kind {
    F_INT = 0,
    F_DELTA,
    F_PCT,
    F_PCT_NATIONAL,
    F_DATE_LONG,
    F_DATE_SHORT,
    F_DATE_ISO,
    F_TEXT,
    F_UPPER,
    F_DEC
} fmt_kind;

typedef struct piece {
    bool literal;
    char *text;      /* literal text, or the extra variable's name */
    var_id var;      /* V_NONE for a metric expression */
    mexpr e;
    mexpr base;      /* F_PCT */
    value_at at;
    fmt_kind fmt;
} piece;

typedef GPtrArray ttext; /* of piece */

typedef enum node_kind {
    N_SECTION = 0,
    N_PARAGRAPH,
    N_LIST,
    N_LIST_BAJO,
    N_LIST_FUENTES,
    N_LIST_VAR,
    N_TABLE,
    N_CHART,
    N_PAGEBREAK,
    N_IF
} node_kind;

typedef enum cond_kind { C_ANTERIOR = 0, C_BAJO, C_VAR } cond_kind;

typedef struct node {
    node_kind kind;
    obs_par_style style;
    bool new_page;      /* N_SECTION */
    ttext *text;        /* SECTION title, PARAGRAPH text, TABLE/CHART title */
    ttext *note;        /* TABLE/CHART note */
    GPtrArray *items;   /* N_LIST: ttext */
    tpl_table *table;
    tpl_chart *chart;
    cond_kind cond;
    bool negate;
    char *cond_var;
    GPtrArray *then_nodes; /* N_IF */
    GPtrArray *else_nodes;
} node;

typedef struct prop {
    char *key;
    ttext *value;
} prop;

struct obs_template {
    obs_template_kind kind;
    GPtrArray *props;  /* prop */
    GPtrArray *nodes;  /* node (top level) */
};

/* ---- freeing ------------------------------------------------------------------------------------ */

static void piece_free(gpointer p)
{
    piece *pc = p;
    g_free(pc->text);
    g_free(pc);
}

static ttext *ttext_new(void)
{
    return g_ptr_array_new_with_free_func(piece_free);
}

static void ttext_free(gpointer t)
{
    if (t)
        g_ptr_array_free(t, TRUE);
}

static void ttext_free(gpointer t);

static void column_free(gpointer p)
{
    tpl_column *c = p;
    g_free(c->header);
    ttext_free(c->header_text);
    g_free(c);
}

static void row_free(gpointer p)
{
    tpl_row *r = p;
    g_free(r->label);
    ttext_free(r->label_text);
    g_free(r);
}

static void series_free(gpointer p)
{
    tpl_series *s = p;
    g_free(s->name);
    g_free(s);
}

static void table_free(tpl_table *t)
{
    if (!t)
        return;
    g_free(t->id);
    g_free(t->title);
    g_free(t->sheet);
    g_free(t->note);
    g_ptr_array_free(t->columns, TRUE);
    g_ptr_array_free(t->rows, TRUE);
    g_free(t);
}

static void chart_free(tpl_chart *c)
{
    if (!c)
        return;
    g_free(c->id);
    g_free(c->title);
    g_free(c->sheet);
    g_free(c->note);
    g_free(c->x_title);
    g_free(c->y_title);
    g_ptr_array_free(c->series, TRUE);
    g_free(c);
}

static void node_free(gpointer p)
{
    node *n = p;
    ttext_free(n->text);
    ttext_free(n->note);
    if (n->items)
        g_ptr_array_free(n->items, TRUE);
    table_free(n->table);
    chart_free(n->chart);
    g_free(n->cond_var);
    if (n->then_nodes)
        g_ptr_array_free(n->then_nodes, TRUE);
    if (n->else_nodes)
        g_ptr_array_free(n->else_nodes, TRUE);
    g_free(n);
}

static void prop_free(gpointer p)
{
    prop *pr = p;
    g_free(pr->key);
    ttext_free(pr->value);
    g_free(pr);
}

void obs_template_free(obs_template *t)
{
    if (!t)
        return;
    g_ptr_array_free(t->props, TRUE);
    g_ptr_array_free(t->nodes, TRUE);
    g_free(t);
}

/* ---- parser ------------------------------------------------------------------------------------- */

typedef struct parser {
    const char *name;
    char **lines;
    size_t nlines;
    size_t i;            /* index of the current line */
    obs_template_kind kind;
    obs_cube *names;     /* a scratch cube, for metric names */
    const obs_catalog *cat;
    const char *const *vars;
    obs_error *err;
    bool failed;
} parser;

static bool fail(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool fail(parser *p, const char *fmt, ...)
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

static bool is_name_char(char c)
{
    return g_ascii_isalnum(c) || c == '_' || c == '.';
}

static bool kind_allows(const parser *p, unsigned scopes)
{
    return (scopes & (1u << p->kind)) != 0;
}

static bool extra_var_known(const parser *p, const char *name)
{
    for (size_t i = 0; p->vars && p->vars[i]; i++)
        if (strcmp(p->vars[i], name) == 0)
            return true;
    return false;
}

/* Parses "a.b - c.d + 3" into e. */
static bool parse_mexpr(parser *p, const char *s, mexpr *e)
{
    memset(e, 0, sizeof *e);
    const char *q = s;
    int sign = 1;
    bool expect_term = true;
    while (*q) {
        while (*q == ' ' || *q == '\t')
            q++;
        if (!*q)
            break;
        if (!expect_term) {
            if (*q == '+' || *q == '-') {
                sign = *q == '-' ? -1 : 1;
                q++;
                expect_term = true;
                continue;
            }
            return fail(p, "expresión no válida: «%s» (se esperaba + o - en «%s»)", s, q);
        }
        if (e->nterms == MEXPR_MAX_TERMS)
            return fail(p, "expresión demasiado larga: «%s» (máximo %d términos)", s, MEXPR_MAX_TERMS);
        const char *start = q;
        while (is_name_char(*q))
            q++;
        if (q == start)
            return fail(p, "expresión no válida: «%s»", s);
        char *term = g_strndup(start, (gsize)(q - start));
        int k = e->nterms++;
        e->sign[k] = sign;
        bool digits = true;
        for (const char *d = term; *d; d++)
            digits &= g_ascii_isdigit(*d) != 0;
        if (digits) {
            e->metric[k] = -1;
            e->constant[k] = g_ascii_strtoll(term, NULL, 10);
        } else {
            e->metric[k] = obs_cube_metric_find(p->names, term);
            if (e->metric[k] < 0 || e->metric[k] == OBS_M_DIF_BAJO) {
                bool bajo = e->metric[k] == OBS_M_DIF_BAJO;
                g_free(term);
                if (bajo)
                    return fail(p, "«difusion.bajo» no se suma en expresiones; use la condición @si bajo "
                                   "o la variable bajo.n");
                return fail(p, "métrica desconocida: «%.*s» (vea los nombres en metricas.csv)",
                            (int)(q - start), start);
            }
        }
        g_free(term);
        sign = 1;
        expect_term = false;
    }
    if (e->nterms == 0 || expect_term)
        return fail(p, "expresión incompleta: «%s»", s);
    return true;
}

static var_id find_var(const parser *p, const char *name)
{
    for (int v = 0; v < V_EXTRA; v++)
        if (strcmp(var_info[v].name, name) == 0)
            return (var_id)v;
    return extra_var_known(p, name) ? V_EXTRA : V_NONE;
}

/* Parses the inside of {{ … }}. */
static bool parse_placeholder(parser *p, const char *inside, piece *pc)
{
    char **parts = g_strsplit(inside, "|", -1);
    if (!parts[0] || !*g_strstrip(parts[0])) {
        /* found by fuzz_template: "{{}}" split into nothing and crashed */
        g_strfreev(parts);
        return fail(p, "marcador vacío: escriba una métrica o variable entre «{{» y «}}»");
    }
    char *name = parts[0];
    bool ok = true;
    pc->var = find_var(p, name);
    if (pc->var != V_NONE) {
        if (!kind_allows(p, var_info[pc->var].scopes))
            ok = fail(p, p->kind == OBS_TPL_OPL
                             ? "la variable «%s» no existe en un resumen por OPL: mostraría otras entidades"
                             : "la variable «%s» sólo existe en el resumen por OPL",
                      name);
        if (pc->var == V_EXTRA)
            pc->text = g_strdup(name);
        var_type t = var_info[pc->var].type;
        pc->fmt = t == VT_DATE ? F_DATE_LONG : t == VT_DEC ? F_DEC : t == VT_INT ? F_INT : F_TEXT;
    } else {
        ok = parse_mexpr(p, name, &pc->e);
        pc->fmt = F_INT;
    }
    for (char **f = parts + 1; ok && *f; f++) {
        char *filter = g_strstrip(*f);
        char *arg = strchr(filter, ':');
        if (arg)
            *arg++ = '\0';
        bool is_metric = pc->var == V_NONE;
        bool is_date = pc->var != V_NONE && var_info[pc->var].type == VT_DATE;
        bool is_text = pc->var != V_NONE && var_info[pc->var].type == VT_TEXT;
        if (is_metric && strcmp(filter, "anterior") == 0)
            pc->at = pc->at == AT_NATIONAL ? AT_NATIONAL_PREV : AT_PREV;
        else if (is_metric && strcmp(filter, "nacional") == 0)
            pc->at = pc->at == AT_PREV ? AT_NATIONAL_PREV : AT_NATIONAL;
        else if (is_metric && strcmp(filter, "cambio") == 0)
            pc->fmt = F_DELTA;
        else if (is_metric && strcmp(filter, "entero") == 0)
            pc->fmt = F_INT;
        else if (is_metric && strcmp(filter, "pct_nacional") == 0)
            pc->fmt = F_PCT_NATIONAL;
        else if (is_metric && strcmp(filter, "pct") == 0) {
            if (!arg || !*arg)
                ok = fail(p, "el filtro pct necesita la base: {{%s|pct:solicitudes.total}}", name);
            else
                ok = parse_mexpr(p, arg, &pc->base);
            pc->fmt = F_PCT;
        } else if (is_date && strcmp(filter, "fecha_larga") == 0)
            pc->fmt = F_DATE_LONG;
        else if (is_date && strcmp(filter, "fecha_corta") == 0)
            pc->fmt = F_DATE_SHORT;
        else if (is_date && strcmp(filter, "iso") == 0)
            pc->fmt = F_DATE_ISO;
        else if (is_text && strcmp(filter, "mayusculas") == 0)
            pc->fmt = F_UPPER;
        else
            ok = fail(p, "filtro desconocido «%s» para «%s» (filtros: anterior, nacional, cambio, "
                         "pct:BASE, pct_nacional para métricas; fecha_larga, fecha_corta, iso para fechas; "
                         "mayusculas para textos)",
                      filter, name);
    }
    g_strfreev(parts);
    return ok;
}

/* Parses text with {{placeholders}}; NULL on error. */
static ttext *parse_text(parser *p, const char *s)
{
    ttext *t = ttext_new();
    const char *q = s;
    while (*q) {
        const char *open = strstr(q, "{{");
        const char *close_first = strstr(q, "}}");
        if (close_first && (!open || close_first < open)) {
            fail(p, "«}}» sin «{{» que lo abra");
            ttext_free(t);
            return NULL;
        }
        if (!open) {
            piece *pc = g_new0(piece, 1);
            pc->literal = true;
            pc->text = g_strdup(q);
            g_ptr_array_add(t, pc);
            break;
        }
        if (open > q) {
            piece *pc = g_new0(piece, 1);
            pc->literal = true;
            pc->text = g_strndup(q, (gsize)(open - q));
            g_ptr_array_add(t, pc);
        }
        const char *close = strstr(open + 2, "}}");
        if (!close) {
            fail(p, "«{{» sin cerrar: falta «}}»");
            ttext_free(t);
            return NULL;
        }
        char *inside = g_strndup(open + 2, (gsize)(close - open - 2));
        if (strstr(inside, "{{")) {
            g_free(inside);
            fail(p, "«{{» sin cerrar antes del siguiente «{{»");
            ttext_free(t);
            return NULL;
        }
        piece *pc = g_new0(piece, 1);
        pc->var = V_NONE;
        g_ptr_array_add(t, pc);
        bool ok = parse_placeholder(p, inside, pc);
        g_free(inside);
        if (!ok) {
            ttext_free(t);
            return NULL;
        }
        q = close + 2;
    }
    return t;
}

static const char *cur(const parser *p)
{
    return p->i < p->nlines ? p->lines[p->i] : NULL;
}

static bool is_blank(const char *l)
{
    for (; *l; l++)
        if (!g_ascii_isspace(*l))
            return false;
    return true;
}

static bool is_comment(const char *l)
{
    return l[0] == '#';
}

/* Options "clave=valor clave=\"valor con espacios\"" of a directive, into a hash table. */
static GHashTable *parse_options(parser *p, const char *s, char **positional)
{
    GHashTable *opts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    *positional = NULL;
    if (is_blank(s))
        return opts;
    int argc = 0;
    char **argv = NULL;
    GError *gerr = NULL;
    if (!g_shell_parse_argv(s, &argc, &argv, &gerr)) {
        fail(p, "opciones mal escritas (¿comillas sin cerrar?): %s", s);
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
            fail(p, "opción sin valor: «%s» (use clave=valor)", argv[i]);
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
static char *take(GHashTable *opts, const char *key)
{
    gpointer k, v;
    if (!g_hash_table_lookup_extended(opts, key, &k, &v))
        return NULL;
    g_hash_table_steal(opts, key);
    g_free(k);
    return v;
}

static bool no_unknown_options(parser *p, GHashTable *opts, const char *what)
{
    GHashTableIter it;
    gpointer k;
    g_hash_table_iter_init(&it, opts);
    if (g_hash_table_iter_next(&it, &k, NULL))
        return fail(p, "opción desconocida «%s» en %s", (const char *)k, what);
    return true;
}

static bool take_bool(parser *p, GHashTable *opts, const char *key, bool dflt, bool *out)
{
    char *v = take(opts, key);
    *out = dflt;
    if (!v)
        return true;
    bool ok = true;
    if (strcmp(v, "si") == 0 || strcmp(v, "sí") == 0)
        *out = true;
    else if (strcmp(v, "no") == 0)
        *out = false;
    else
        ok = fail(p, "la opción %s lleva si o no, no «%s»", key, v);
    g_free(v);
    return ok;
}

/* Reads `keyword "Texto" = resto`; label and rest are new strings. */
static bool parse_labeled(parser *p, const char *line, const char *keyword, char **label, char **rest)
{
    const char *q = line + strlen(keyword);
    while (*q == ' ' || *q == '\t')
        q++;
    if (*q != '"')
        return fail(p, "después de «%s» va un texto entre comillas: %s \"Texto\" = …", keyword, keyword);
    GString *s = g_string_new(NULL);
    for (q++; *q && *q != '"'; q++) {
        if (*q == '\\' && q[1])
            q++;
        g_string_append_c(s, *q);
    }
    if (*q != '"') {
        g_string_free(s, TRUE);
        return fail(p, "comillas sin cerrar en «%s»", line);
    }
    q++;
    while (*q == ' ' || *q == '\t')
        q++;
    if (*q != '=') {
        g_string_free(s, TRUE);
        return fail(p, "falta «=» en «%s»", line);
    }
    *label = g_string_free(s, FALSE);
    *rest = g_strstrip(g_strdup(q + 1));
    return true;
}

static const struct {
    const char *name;
    tpl_table_type type;
    unsigned scopes;
} table_types[] = {
    {"entidades", TT_ENTIDADES, S_NATIONAL},
    {"indicadores", TT_INDICADORES, S_ALL},
    {"tipos_difusion", TT_TIPOS_DIFUSION, S_ALL},
    {"causas", TT_CAUSAS, S_NATIONAL},
    {"opl_bajo", TT_OPL_BAJO, S_NATIONAL},
    {"control", TT_CONTROL, S_NATIONAL},
    {"motivos", TT_MOTIVOS, S_NATIONAL},
};

static const struct {
    const char *name;
    int kind;
} coli_names[] = {
    {"etiqueta", COLI_LABEL},     {"valor", COLI_VALUE},       {"anterior", COLI_PREVIOUS},
    {"cambio", COLI_CHANGE},      {"pct", COLI_PCT},           {"nacional", COLI_NATIONAL},
    {"pct_nacional", COLI_PCT_NATIONAL},
};

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
            return fail(p, "falta «)» en «%s»", s);
        char *inner = g_strndup(s + strlen(fns[i].fn), len - strlen(fns[i].fn) - 1);
        c->kind = fns[i].kind;
        bool ok;
        if (fns[i].kind == COLX_PCT) {
            char *comma = strchr(inner, ',');
            if (!comma) {
                g_free(inner);
                return fail(p, "pct necesita dos expresiones: pct(métrica, base)");
            }
            *comma = '\0';
            ok = parse_mexpr(p, inner, &c->a) && parse_mexpr(p, comma + 1, &c->b);
        } else {
            ok = parse_mexpr(p, inner, &c->a);
        }
        g_free(inner);
        return ok;
    }
    c->kind = COLX_VALUE;
    return parse_mexpr(p, s, &c->a);
}

static bool parse_table_body(parser *p, tpl_table *t)
{
    for (p->i++; cur(p) && !is_blank(cur(p)) && cur(p)[0] != '@'; p->i++) {
        const char *l = g_strchug(p->lines[p->i]);
        if (is_comment(l))
            continue;
        char *label = NULL, *rest = NULL;
        bool ok = true;
        if (g_str_has_prefix(l, "columna ") || g_str_has_prefix(l, "columna? ")) {
            bool optional = g_str_has_prefix(l, "columna?");
            if (!parse_labeled(p, l, optional ? "columna?" : "columna", &label, &rest))
                return false;
            tpl_column *c = g_new0(tpl_column, 1);
            c->header = label;
            c->omit_zero = optional;
            g_ptr_array_add(t->columns, c);
            if (!(c->header_text = parse_text(p, label))) {
                g_free(rest);
                return false;
            }
            if (optional && t->type != TT_ENTIDADES) {
                g_free(rest);
                return fail(p, "«columna?» sólo existe en @tabla entidades; en indicadores use «fila?»");
            }
            if (t->type == TT_ENTIDADES) {
                ok = parse_colx(p, rest, c);
            } else if (t->type == TT_INDICADORES) {
                c->kind = -1;
                for (size_t i = 0; i < G_N_ELEMENTS(coli_names); i++)
                    if (strcmp(rest, coli_names[i].name) == 0)
                        c->kind = coli_names[i].kind;
                if (c->kind < 0)
                    ok = fail(p, "columna «%s» desconocida en @tabla indicadores (use etiqueta, valor, "
                                 "anterior, cambio, pct, nacional o pct_nacional)",
                              rest);
                else if ((c->kind == COLI_NATIONAL || c->kind == COLI_PCT_NATIONAL) && p->kind != OBS_TPL_OPL)
                    ok = fail(p, "la columna «%s» sólo tiene sentido en un resumen por OPL", rest);
            } else {
                ok = fail(p, "esta tabla tiene columnas fijas: quite las líneas «columna»");
            }
        } else if (g_str_has_prefix(l, "fila ") || g_str_has_prefix(l, "fila? ") ||
                   g_str_has_prefix(l, "total ")) {
            if (t->type != TT_INDICADORES)
                return fail(p, "sólo @tabla indicadores lleva líneas «fila» y «total»");
            const char *kw = g_str_has_prefix(l, "fila?") ? "fila?" : g_str_has_prefix(l, "fila") ? "fila" : "total";
            if (!parse_labeled(p, l, kw, &label, &rest))
                return false;
            tpl_row *r = g_new0(tpl_row, 1);
            r->label = label;
            r->omit_zero = strcmp(kw, "fila?") == 0;
            r->total = strcmp(kw, "total") == 0;
            g_ptr_array_add(t->rows, r);
            ok = (r->label_text = parse_text(p, label)) != NULL && parse_mexpr(p, rest, &r->e);
        } else {
            return fail(p, "línea no reconocida dentro de @tabla: «%s» (use columna, columna?, fila, fila? o total; "
                           "termine la tabla con una línea en blanco)",
                        l);
        }
        g_free(rest);
        if (!ok)
            return false;
    }
    p->i--; /* the caller advances */
    if (t->type == TT_ENTIDADES && t->columns->len == 0)
        return fail(p, "@tabla entidades necesita al menos una línea «columna»");
    if (t->type == TT_INDICADORES && (t->columns->len == 0 || t->rows->len == 0))
        return fail(p, "@tabla indicadores necesita líneas «columna» y «fila»");
    return true;
}

static node *parse_table(parser *p, const char *args)
{
    char *type = NULL;
    GHashTable *opts = parse_options(p, args, &type);
    if (!opts)
        return NULL;
    size_t table_line = p->i;
    node *n = g_new0(node, 1);
    n->kind = N_TABLE;
    tpl_table *t = n->table = g_new0(tpl_table, 1);
    t->columns = g_ptr_array_new_with_free_func(column_free);
    t->rows = g_ptr_array_new_with_free_func(row_free);
    t->max = 10;
    bool ok = true;
    int found = -1;
    for (size_t i = 0; type && i < G_N_ELEMENTS(table_types); i++)
        if (strcmp(type, table_types[i].name) == 0)
            found = (int)i;
    if (found < 0) {
        ok = fail(p, "tipo de tabla desconocido «%s» (tipos: entidades, indicadores, tipos_difusion, "
                     "causas, opl_bajo, control, motivos)",
                  type ? type : "");
    } else if (!kind_allows(p, table_types[found].scopes)) {
        ok = fail(p, "@tabla %s no puede ir en un resumen por OPL: mostraría otras entidades", type);
    } else {
        t->type = table_types[found].type;
        t->id = take(opts, "id");
        if (!t->id)
            t->id = g_strdup(type);
        char *title = take(opts, "titulo"), *note = take(opts, "nota");
        t->sheet = take(opts, "hoja");
        char *mark = take(opts, "marcar");
        if (mark && strcmp(mark, "bajo") != 0)
            ok = fail(p, "marcar sólo admite «bajo» (los OPL con bajo número de acciones)");
        t->mark_bajo = mark != NULL;
        g_free(mark);
        char *base = take(opts, "base");
        if (ok && base) {
            t->has_base = true;
            ok = parse_mexpr(p, base, &t->base);
        }
        g_free(base);
        ok = ok && take_bool(p, opts, "omitir_ceros", false, &t->skip_zero);
        if (ok && t->skip_zero && t->type != TT_TIPOS_DIFUSION)
            ok = fail(p, "omitir_ceros sólo existe en @tabla tipos_difusion; en indicadores use «fila?»");
        char *max = take(opts, "max");
        if (ok && max) {
            t->max = (int)g_ascii_strtoll(max, NULL, 10);
            if (t->max < 1 || t->max > 100)
                ok = fail(p, "max debe estar entre 1 y 100");
        }
        g_free(max);
        if (ok && title && !(n->text = parse_text(p, title)))
            ok = false;
        if (ok && note && !(n->note = parse_text(p, note)))
            ok = false;
        g_free(title);
        g_free(note);
        ok = ok && no_unknown_options(p, opts, "@tabla");
        ok = ok && parse_table_body(p, t);
        if (ok && t->type == TT_INDICADORES) {
            for (guint i = 0; i < t->columns->len; i++)
                if (ok && ((tpl_column *)t->columns->pdata[i])->kind == COLI_PCT && !t->has_base) {
                    p->i = table_line;
                    ok = fail(p, "la columna pct necesita la opción base=MÉTRICA en @tabla indicadores");
                }
        }
        obs_error wide = {0};
        if (ok && !tpl_table_fits(t, p->cat, &wide)) {
            p->i = table_line;
            ok = fail(p, "%s", wide.message);
        }
    }
    g_free(type);
    g_hash_table_destroy(opts);
    if (!ok) {
        node_free(n);
        return NULL;
    }
    return n;
}

static node *parse_chart(parser *p, const char *args)
{
    char *type = NULL;
    GHashTable *opts = parse_options(p, args, &type);
    if (!opts)
        return NULL;
    node *n = g_new0(node, 1);
    n->kind = N_CHART;
    tpl_chart *c = n->chart = g_new0(tpl_chart, 1);
    c->series = g_ptr_array_new_with_free_func(series_free);
    bool ok = true;
    if (type && strcmp(type, "opl_entidad") == 0)
        c->type = TC_OPL_ENTIDAD;
    else if (type && strcmp(type, "semanal") == 0)
        c->type = TC_SEMANAL;
    else if (type && strcmp(type, "edad_sexo") == 0)
        c->type = TC_EDAD_SEXO;
    else
        ok = fail(p, "tipo de gráfica desconocido «%s» (tipos: opl_entidad, semanal, edad_sexo)",
                  type ? type : "");
    if (ok && c->type == TC_OPL_ENTIDAD && p->kind == OBS_TPL_OPL)
        ok = fail(p, "@grafica opl_entidad no puede ir en un resumen por OPL: mostraría otras entidades");
    if (ok) {
        c->id = take(opts, "id");
        if (!c->id)
            c->id = g_strdup(type);
        char *title = take(opts, "titulo"), *note = take(opts, "nota");
        c->sheet = take(opts, "hoja");
        c->x_title = take(opts, "eje_x");
        c->y_title = take(opts, "eje_y");
        char *forma = take(opts, "forma");
        if (forma && strcmp(forma, "columnas") != 0 && strcmp(forma, "lineas") != 0)
            ok = fail(p, "forma admite lineas o columnas, no «%s»", forma);
        c->columns = forma && strcmp(forma, "columnas") == 0;
        g_free(forma);
        ok = ok && take_bool(p, opts, "acumulado", true, &c->cumulative);
        char *alto = take(opts, "alto");
        if (ok && alto) {
            c->height = g_ascii_strtod(alto, NULL);
            if (c->height < 60 || c->height > 400)
                ok = fail(p, "alto (altura de la gráfica en puntos) debe estar entre 60 y 400");
        }
        g_free(alto);
        if (ok && title && !(n->text = parse_text(p, title)))
            ok = false;
        if (ok && note && !(n->note = parse_text(p, note)))
            ok = false;
        g_free(title);
        g_free(note);
        ok = ok && no_unknown_options(p, opts, "@grafica");
    }
    for (p->i++; ok && cur(p) && !is_blank(cur(p)) && cur(p)[0] != '@'; p->i++) {
        const char *l = g_strchug(p->lines[p->i]);
        if (is_comment(l))
            continue;
        char *label = NULL, *rest = NULL;
        if (!g_str_has_prefix(l, "serie ") || c->type != TC_SEMANAL) {
            ok = fail(p, c->type == TC_SEMANAL ? "dentro de @grafica semanal sólo van líneas «serie \"Nombre\" = métrica»"
                                               : "esta gráfica no lleva líneas adicionales");
            break;
        }
        if (!parse_labeled(p, l, "serie", &label, &rest)) {
            ok = false;
            break;
        }
        tpl_series *s = g_new0(tpl_series, 1);
        s->name = label;
        g_ptr_array_add(c->series, s);
        s->metric = obs_cube_metric_find(p->names, rest);
        if (s->metric < 0 || s->metric == OBS_M_DIF_BAJO || s->metric == OBS_M_CURSO_SIN ||
            s->metric == OBS_M_PENDIENTES || s->metric == OBS_M_DIF_INE)
            ok = fail(p, "serie «%s»: «%s» no es una métrica que se acumule por día (use, por ejemplo, "
                         "solicitudes.total o solicitudes.aprobadas)",
                      label, rest);
        g_free(rest);
    }
    p->i--;
    if (ok && c->type == TC_SEMANAL && c->series->len == 0)
        ok = fail(p, "@grafica semanal necesita al menos una línea «serie \"Nombre\" = métrica»");
    g_free(type);
    g_hash_table_destroy(opts);
    if (!ok) {
        node_free(n);
        return NULL;
    }
    return n;
}

/* Reads a paragraph starting at the current line (whose text starts at `first`). */
static node *parse_paragraph(parser *p, const char *first, obs_par_style style, bool single_line)
{
    char *head = g_strstrip(g_strdup(first));
    GString *s = g_string_new(head);
    g_free(head);
    if (!single_line) {
        for (p->i++; cur(p) && !is_blank(cur(p)) && cur(p)[0] != '@' && !is_comment(cur(p)) &&
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
    n->text = parse_text(p, s->str);
    g_string_free(s, TRUE);
    if (!n->text) {
        node_free(n);
        return NULL;
    }
    return n;
}

static bool parse_nodes(parser *p, GPtrArray *out, const char *terminators, char **ended_by);

static node *parse_if(parser *p, const char *args)
{
    node *n = g_new0(node, 1);
    n->kind = N_IF;
    n->then_nodes = g_ptr_array_new_with_free_func(node_free);
    n->else_nodes = g_ptr_array_new_with_free_func(node_free);
    char *cond = g_strstrip(g_strdup(args));
    const char *c = cond;
    if (g_str_has_prefix(c, "no ")) {
        n->negate = true;
        c += 3;
        while (*c == ' ')
            c++;
    }
    bool ok = true;
    size_t if_line = p->i;
    if (strcmp(c, "anterior") == 0)
        n->cond = C_ANTERIOR;
    else if (strcmp(c, "bajo") == 0)
        n->cond = C_BAJO;
    else if (extra_var_known(p, c)) {
        n->cond = C_VAR;
        n->cond_var = g_strdup(c);
    } else
        ok = fail(p, "condición desconocida «%s» (use anterior, bajo o una variable de la configuración, "
                     "con «no» delante para negarla)",
                  c);
    g_free(cond);
    char *ended = NULL;
    if (ok) {
        p->i++;
        ok = parse_nodes(p, n->then_nodes, "sino fin", &ended);
    }
    if (ok && ended && strcmp(ended, "sino") == 0) {
        g_free(ended);
        ended = NULL;
        p->i++;
        ok = parse_nodes(p, n->else_nodes, "fin", &ended);
    }
    if (ok && !ended) {
        p->i = if_line;
        ok = fail(p, "@si sin @fin");
    }
    g_free(ended);
    if (!ok) {
        node_free(n);
        return NULL;
    }
    return n;
}

static bool parse_document_props(parser *p, GPtrArray *props)
{
    static const char *const keys[] = {
        "formato", "titulo", "asunto", "autor", "palabras_clave", "encabezado",
        "portada.institucion", "portada.area", "portada.titulo", "portada.subtitulo",
        "portada.corte", "portada.lugar_fecha", NULL};
    for (p->i++; cur(p) && !is_blank(cur(p)) && cur(p)[0] != '@'; p->i++) {
        const char *l = g_strchug(p->lines[p->i]);
        if (is_comment(l))
            continue;
        const char *eq = strchr(l, '=');
        if (!eq)
            return fail(p, "en @documento cada línea es «clave = valor»");
        char *key = g_strstrip(g_strndup(l, (gsize)(eq - l)));
        bool known = false;
        for (size_t i = 0; keys[i]; i++)
            known |= strcmp(keys[i], key) == 0;
        if (!known) {
            fail(p, "clave desconocida «%s» en @documento", key);
            g_free(key);
            return false;
        }
        char *value = g_strstrip(g_strdup(eq + 1));
        if (strcmp(key, "formato") == 0 && strcmp(value, "informe") != 0 && strcmp(value, "resumen") != 0 &&
            strcmp(value, "oficio") != 0) {
            fail(p, "formato admite informe, resumen u oficio, no «%s»", value);
            g_free(key);
            g_free(value);
            return false;
        }
        prop *pr = g_new0(prop, 1);
        pr->key = key;
        pr->value = parse_text(p, value);
        g_free(value);
        g_ptr_array_add(props, pr);
        if (!pr->value)
            return false;
    }
    p->i--;
    return true;
}

/* Paragraph styles that a directive starts. */
static const struct {
    const char *name;
    obs_par_style style;
    bool single_line;
} para_directives[] = {
    {"nota", OBS_PAR_NOTE, false},      {"subtitulo", OBS_PAR_HEADING, true},
    {"negritas", OBS_PAR_STRONG, false}, {"derecha", OBS_PAR_RIGHT, false},
    {"centro", OBS_PAR_CENTER, false},   {"parrafo", OBS_PAR_NORMAL, false},
};

/*
 * Parses nodes until the end of the file or one of the directives in
 * `terminators` (space-separated names); *ended_by receives that name.
 */
static bool parse_nodes(parser *p, GPtrArray *out, const char *terminators, char **ended_by)
{
    bool pending_page = false;
    for (; cur(p); p->i++) {
        const char *raw = p->lines[p->i];
        if (is_blank(raw) || is_comment(raw))
            continue;
        const char *l = raw;
        node *n = NULL;
        if (l[0] == '@') {
            const char *name_end = l + 1;
            while (*name_end && !g_ascii_isspace(*name_end))
                name_end++;
            char *name = g_strndup(l + 1, (gsize)(name_end - l - 1));
            const char *args = name_end;
            while (*args == ' ' || *args == '\t')
                args++;
            if (terminators && strstr(terminators, name) && (strcmp(name, "sino") == 0 || strcmp(name, "fin") == 0)) {
                *ended_by = name;
                return true;
            }
            bool is_para = false;
            for (size_t i = 0; i < G_N_ELEMENTS(para_directives); i++)
                if (strcmp(name, para_directives[i].name) == 0) {
                    n = parse_paragraph(p, args, para_directives[i].style, para_directives[i].single_line);
                    is_para = true;
                }
            if (is_para) {
                /* handled */
            } else if (strcmp(name, "seccion") == 0) {
                if (is_blank(args)) {
                    g_free(name);
                    return fail(p, "@seccion necesita un título");
                }
                n = g_new0(node, 1);
                n->kind = N_SECTION;
                n->new_page = pending_page;
                pending_page = false;
                n->text = parse_text(p, args);
                if (!n->text) {
                    node_free(n);
                    n = NULL;
                }
            } else if (strcmp(name, "salto") == 0) {
                /* A break right before a section starts that section on a new page. */
                size_t j = p->i + 1;
                while (j < p->nlines && (is_blank(p->lines[j]) || is_comment(p->lines[j])))
                    j++;
                if (j < p->nlines && g_str_has_prefix(p->lines[j], "@seccion")) {
                    pending_page = true;
                    g_free(name);
                    continue;
                }
                n = g_new0(node, 1);
                n->kind = N_PAGEBREAK;
            } else if (strcmp(name, "tabla") == 0) {
                n = parse_table(p, args);
            } else if (strcmp(name, "grafica") == 0) {
                n = parse_chart(p, args);
            } else if (strcmp(name, "lista") == 0) {
                const char *which = g_strstrip((char *)args);
                bool fuentes = strcmp(which, "fuentes") == 0;
                if (extra_var_known(p, which)) {
                    /* A configuration value written as "a; b; c": one bullet each. */
                    n = g_new0(node, 1);
                    n->kind = N_LIST_VAR;
                    n->cond_var = g_strdup(which);
                    g_ptr_array_add(out, n);
                    g_free(name);
                    continue;
                }
                if (!fuentes && strcmp(which, "bajo") != 0) {
                    fail(p, "@lista admite «bajo» (los OPL señalados), «fuentes» (los archivos leídos) o una "
                            "variable de la configuración; para otras listas escriba líneas que empiecen con «- »");
                    g_free(name);
                    return false;
                }
                if (!fuentes && p->kind == OBS_TPL_OPL) {
                    g_free(name);
                    return fail(p, "@lista bajo no puede ir en un resumen por OPL: mostraría otras entidades");
                }
                n = g_new0(node, 1);
                n->kind = fuentes ? N_LIST_FUENTES : N_LIST_BAJO;
            } else if (strcmp(name, "si") == 0) {
                n = parse_if(p, args);
            } else if (strcmp(name, "documento") == 0) {
                g_free(name);
                return fail(p, "@documento va una sola vez, al principio del archivo");
            } else if (strcmp(name, "sino") == 0 || strcmp(name, "fin") == 0) {
                fail(p, "@%s sin @si", name);
                g_free(name);
                return false;
            } else {
                fail(p, "directiva desconocida «@%s» (directivas: @documento, @seccion, @salto, @tabla, "
                        "@grafica, @lista, @si, @sino, @fin, @subtitulo, @nota, @negritas, @derecha, @centro)",
                     name);
                g_free(name);
                return false;
            }
            g_free(name);
        } else if (g_str_has_prefix(g_strchug((char *)l), "- ")) {
            n = g_new0(node, 1);
            n->kind = N_LIST;
            n->items = g_ptr_array_new_with_free_func(ttext_free);
            for (; cur(p) && g_str_has_prefix(g_strchug(p->lines[p->i]), "- "); p->i++) {
                ttext *item = parse_text(p, g_strstrip(p->lines[p->i] + 2));
                if (!item) {
                    node_free(n);
                    return false;
                }
                g_ptr_array_add(n->items, item);
            }
            p->i--;
        } else {
            n = parse_paragraph(p, l, OBS_PAR_NORMAL, false);
        }
        if (!n)
            return false;
        g_ptr_array_add(out, n);
    }
    return true;
}

obs_status obs_template_parse(const char *name, const char *text, size_t len,
                              obs_template_kind kind, const obs_catalog *cat,
                              const char *const *vars, obs_template **out, obs_error *err)
{
    *out = NULL;
    if (!g_utf8_validate(text, (gssize)len, NULL))
        return obs_error_set(err, OBS_ERR_CONFIG, name, 0, 0, "la plantilla debe estar en UTF-8");
    char *copy = g_strndup(text, len);
    /* Accept CRLF files saved on Windows. */
    for (char *c = copy; *c; c++)
        if (*c == '\r' && c[1] == '\n')
            *c = ' ';
    parser p = {.name = name, .kind = kind, .cat = cat, .vars = vars, .err = err};
    p.lines = g_strsplit(copy, "\n", -1);
    g_free(copy);
    p.nlines = g_strv_length(p.lines);
    p.names = obs_cube_new(cat, 1);
    obs_template *t = g_new0(obs_template, 1);
    t->kind = kind;
    t->props = g_ptr_array_new_with_free_func(prop_free);
    t->nodes = g_ptr_array_new_with_free_func(node_free);
    while (cur(&p) && (is_blank(cur(&p)) || is_comment(cur(&p))))
        p.i++;
    bool ok = true;
    if (cur(&p) && g_str_has_prefix(cur(&p), "@documento"))
        ok = parse_document_props(&p, t->props) && (p.i++, true);
    char *ended = NULL;
    ok = ok && parse_nodes(&p, t->nodes, NULL, &ended);
    if (ok && ended) {
        ok = fail(&p, "@%s sin @si", ended);
        g_free(ended);
    }
    if (ok && t->nodes->len == 0) {
        obs_error_set(err, OBS_ERR_CONFIG, name, 0, 0, "la plantilla no tiene contenido (ninguna @seccion)");
        ok = false;
    }
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
                             const char *const *vars, obs_template **out, obs_error *err)
{
    char *text = NULL;
    gsize len = 0;
    GError *gerr = NULL;
    *out = NULL;
    if (!g_file_get_contents(path, &text, &len, &gerr)) {
        obs_status st = obs_error_set(err, OBS_ERR_CONFIG, path, 0, 0,
                                      "no se puede leer la plantilla: %s; revise --plantillas", gerr->message);
        g_error_free(gerr);
        return st;
    }
    obs_status st = obs_template_parse(path, text, len, kind, cat, vars, out, err);
    g_free(text);
    return st;
}

/* ---- rendering ---------------------------------------------------------------------------------- */

bool ctx_has_prev(const obs_template_ctx *ctx)
{
    return ctx->run->anterior != NULL;
}

int64_t mexpr_eval(const mexpr *e, const obs_template_ctx *ctx, value_at at)
{
    const obs_snapshot *s = (at == AT_PREV || at == AT_NATIONAL_PREV) ? ctx->run->anterior : ctx->run->actual;
    if (!s)
        return 0;
    int entidad = (at == AT_NATIONAL || at == AT_NATIONAL_PREV) ? 0 : ctx->entidad;
    int64_t v = 0;
    for (int i = 0; i < e->nterms; i++)
        v += e->sign[i] * (e->metric[i] < 0 ? e->constant[i] : obs_snapshot_get(s, entidad, (size_t)e->metric[i]));
    return v;
}

static void append_date(GString *out, obs_day d, fmt_kind fmt)
{
    char buf[64];
    if (d == OBS_DAY_NONE) {
        g_string_append(out, "\u2013");
        return;
    }
    if (fmt == F_DATE_SHORT)
        obs_fmt_fecha_corta(buf, sizeof buf, d);
    else if (fmt == F_DATE_ISO)
        obs_day_iso(d, buf, sizeof buf);
    else
        obs_fmt_fecha_larga(buf, sizeof buf, d);
    g_string_append(out, buf);
}

static void append_text(GString *out, const char *s, fmt_kind fmt)
{
    if (!s)
        return;
    if (fmt == F_UPPER) {
        char *up = g_utf8_strup(s, -1);
        g_string_append(out, up);
        g_free(up);
    } else {
        g_string_append(out, s);
    }
}

/* Where in obs_entidad each of the OPL template's own variables lives. */
static size_t entidad_field(var_id v)
{
    switch (v) {
    case V_ENTIDAD_OFICIAL:
        return G_STRUCT_OFFSET(obs_entidad, nombre_oficial);
    case V_OPL:
        return G_STRUCT_OFFSET(obs_entidad, opl_etiqueta);
    case V_OPL_NOMBRE:
        return G_STRUCT_OFFSET(obs_entidad, opl_nombre);
    case V_OPL_SIGLAS:
        return G_STRUCT_OFFSET(obs_entidad, opl_siglas);
    default:
        return G_STRUCT_OFFSET(obs_entidad, nombre);
    }
}

static void append_var(GString *out, const piece *pc, const obs_template_ctx *ctx)
{
    const obs_run *run = ctx->run;
    const obs_entidad *ent = ctx->entidad ? obs_catalog_entidad(run->cat, ctx->entidad) : NULL;
    char buf[OBS_FMT_MAX];
    switch (pc->var) {
    case V_CORTE:
        append_date(out, run->corte, pc->fmt);
        break;
    case V_CORTE_ANTERIOR:
        append_date(out, run->anterior ? run->corte_anterior : OBS_DAY_NONE, pc->fmt);
        break;
    case V_FECHA_ELABORACION:
        append_date(out, obs_day_from_unix(ctx->info->generated_at), pc->fmt);
        break;
    case V_PROCESO:
        append_text(out, ctx->info->proceso, pc->fmt);
        break;
    case V_LUGAR:
        append_text(out, ctx->info->lugar, pc->fmt);
        break;
    case V_VERSION:
        append_text(out, ctx->info->version, pc->fmt);
        break;
    case V_UMBRAL:
        g_string_append(out, obs_fmt_dec(buf, sizeof buf, run->actual->umbral, 2));
        break;
    case V_MEDIANA:
        g_string_append(out, obs_fmt_dec(buf, sizeof buf, run->actual->mediana, 2));
        break;
    case V_UMBRAL_MINIMO:
        g_string_append(out, obs_fmt_int(buf, sizeof buf, run->actual->rule.umbral_minimo));
        break;
    case V_FRACCION_MEDIANA:
        g_string_append(out, obs_fmt_dec(buf, sizeof buf, run->actual->rule.fraccion_mediana * 100, 1));
        g_string_append_c(out, '%');
        break;
    case V_BAJO_N:
        g_string_append(out, obs_fmt_int(buf, sizeof buf, run->actual->nbajo));
        break;
    case V_BAJO_LISTA: {
        char *list = text_lista_bajo(ctx);
        g_string_append(out, list);
        g_free(list);
        break;
    }
    case V_ENTIDAD:
    case V_ENTIDAD_OFICIAL:
    case V_OPL:
    case V_OPL_NOMBRE:
    case V_OPL_SIGLAS:
        append_text(out, ent ? G_STRUCT_MEMBER(const char *, ent, entidad_field(pc->var)) : "", pc->fmt);
        break;
    case V_EXTRA:
        append_text(out, ctx->vars ? g_hash_table_lookup(ctx->vars, pc->text) : NULL, pc->fmt);
        break;
    case V_NONE:
    case V_COUNT:
        break;
    }
}

static char *render_text(const ttext *t, const obs_template_ctx *ctx);

char *tpl_render_text(const void *text, const obs_template_ctx *ctx)
{
    return render_text(text, ctx);
}

static char *render_text(const ttext *t, const obs_template_ctx *ctx)
{
    if (!t)
        return NULL;
    GString *out = g_string_new(NULL);
    char buf[OBS_FMT_MAX];
    for (guint i = 0; i < t->len; i++) {
        const piece *pc = t->pdata[i];
        if (pc->literal) {
            g_string_append(out, pc->text);
        } else if (pc->var != V_NONE) {
            append_var(out, pc, ctx);
        } else if (pc->fmt == F_DELTA) {
            value_at before = pc->at == AT_NATIONAL ? AT_NATIONAL_PREV : AT_PREV;
            g_string_append(out, obs_fmt_delta(buf, sizeof buf,
                                               mexpr_eval(&pc->e, ctx, pc->at) - mexpr_eval(&pc->e, ctx, before)));
        } else if (pc->fmt == F_PCT_NATIONAL) {
            value_at nat = (pc->at == AT_PREV || pc->at == AT_NATIONAL_PREV) ? AT_NATIONAL_PREV : AT_NATIONAL;
            g_string_append(out, obs_fmt_pct(buf, sizeof buf, mexpr_eval(&pc->e, ctx, pc->at),
                                             mexpr_eval(&pc->e, ctx, nat)));
        } else if (pc->fmt == F_PCT) {
            g_string_append(out, obs_fmt_pct(buf, sizeof buf, mexpr_eval(&pc->e, ctx, pc->at),
                                             mexpr_eval(&pc->base, ctx, pc->at)));
        } else {
            g_string_append(out, obs_fmt_int(buf, sizeof buf, mexpr_eval(&pc->e, ctx, pc->at)));
        }
    }
    return g_string_free(out, FALSE);
}

static bool eval_cond(const node *n, const obs_template_ctx *ctx)
{
    bool v = false;
    switch (n->cond) {
    case C_ANTERIOR:
        v = ctx_has_prev(ctx);
        break;
    case C_BAJO:
        v = ctx->entidad ? obs_snapshot_bajo(ctx->run->actual, ctx->entidad) : ctx->run->actual->nbajo > 0;
        break;
    case C_VAR: {
        const char *s = ctx->vars ? g_hash_table_lookup(ctx->vars, n->cond_var) : NULL;
        v = s && *s;
        break;
    }
    }
    return n->negate ? !v : v;
}

typedef struct render_state {
    obs_doc *doc;
    obs_section *sec;
} render_state;

static obs_section *current_section(render_state *rs)
{
    /* Content before the first @seccion goes to an untitled section. */
    if (!rs->sec)
        rs->sec = obs_doc_add_section(rs->doc, NULL);
    return rs->sec;
}

static void render_nodes(const GPtrArray *nodes, const obs_template_ctx *ctx, render_state *rs)
{
    for (guint i = 0; i < nodes->len; i++) {
        const node *n = nodes->pdata[i];
        char *text = n->kind == N_IF ? NULL : render_text(n->text, ctx);
        char *note = render_text(n->note, ctx);
        switch (n->kind) {
        case N_SECTION:
            rs->sec = obs_doc_add_section(rs->doc, text);
            rs->sec->new_page = n->new_page;
            break;
        case N_PARAGRAPH:
            obs_section_add_paragraph(current_section(rs), n->style, "%s", text);
            break;
        case N_LIST: {
            obs_block *list = obs_section_add_list(current_section(rs), OBS_PAR_NORMAL);
            for (guint k = 0; k < n->items->len; k++) {
                char *item = render_text(n->items->pdata[k], ctx);
                obs_list_add(list, "%s", item);
                g_free(item);
            }
            break;
        }
        case N_LIST_BAJO:
            block_list_bajo(ctx, current_section(rs), OBS_PAR_NORMAL);
            break;
        case N_LIST_FUENTES:
            block_list_fuentes(ctx, current_section(rs), OBS_PAR_NORMAL);
            break;
        case N_LIST_VAR: {
            const char *v = ctx->vars ? g_hash_table_lookup(ctx->vars, n->cond_var) : NULL;
            char **items = g_strsplit(v ? v : "", ";", -1);
            obs_block *list = NULL;
            for (char **it = items; *it; it++) {
                char *item = g_strstrip(*it);
                if (!*item)
                    continue;
                if (!list)
                    list = obs_section_add_list(current_section(rs), OBS_PAR_NOTE);
                obs_list_add(list, "%s", item);
            }
            g_strfreev(items);
            break;
        }
        case N_TABLE:
            block_table(ctx, current_section(rs), n->table, text, note);
            break;
        case N_CHART:
            block_chart(ctx, current_section(rs), n->chart, text, note);
            break;
        case N_PAGEBREAK:
            obs_section_add_pagebreak(current_section(rs));
            break;
        case N_IF:
            render_nodes(eval_cond(n, ctx) ? n->then_nodes : n->else_nodes, ctx, rs);
            break;
        }
        g_free(text);
        g_free(note);
    }
}

static void apply_props(const obs_template *t, const obs_template_ctx *ctx, obs_doc *doc)
{
    for (guint i = 0; i < t->props->len; i++) {
        const prop *pr = t->props->pdata[i];
        char *v = render_text(pr->value, ctx);
        if (strcmp(pr->key, "formato") == 0)
            doc->layout = strcmp(v, "resumen") == 0  ? OBS_LAYOUT_BRIEF
                          : strcmp(v, "oficio") == 0 ? OBS_LAYOUT_LETTER
                                                     : OBS_LAYOUT_REPORT;
        else if (strcmp(pr->key, "titulo") == 0)
            obs_set_str(&doc->title, v);
        else if (strcmp(pr->key, "asunto") == 0)
            obs_set_str(&doc->subject, v);
        else if (strcmp(pr->key, "autor") == 0)
            obs_set_str(&doc->author, v);
        else if (strcmp(pr->key, "palabras_clave") == 0)
            obs_set_str(&doc->keywords, v);
        else if (strcmp(pr->key, "encabezado") == 0)
            obs_set_str(&doc->header, v);
        else if (strcmp(pr->key, "portada.institucion") == 0)
            obs_set_str(&doc->cover.institution, v);
        else if (strcmp(pr->key, "portada.area") == 0)
            obs_set_str(&doc->cover.area, v);
        else if (strcmp(pr->key, "portada.titulo") == 0)
            obs_set_str(&doc->cover.title, v);
        else if (strcmp(pr->key, "portada.subtitulo") == 0)
            obs_set_str(&doc->cover.subtitle, v);
        else if (strcmp(pr->key, "portada.corte") == 0)
            obs_set_str(&doc->cover.corte, v);
        else if (strcmp(pr->key, "portada.lugar_fecha") == 0)
            obs_set_str(&doc->cover.place_date, v);
        g_free(v);
    }
    if (!doc->cover.title)
        obs_set_str(&doc->cover.title, doc->title);
}

obs_doc *obs_template_render(const obs_template *t, const obs_template_ctx *ctx)
{
    obs_doc *doc = obs_doc_new();
    doc->paper = ctx->info->paper;
    doc->generated_at = ctx->info->generated_at;
    char *creator = g_strdup_printf("observa %s", ctx->info->version);
    obs_set_str(&doc->creator, creator);
    g_free(creator);
    obs_set_str(&doc->cover.logo_path, ctx->info->logo);
    apply_props(t, ctx, doc);
    render_state rs = {doc, NULL};
    render_nodes(t->nodes, ctx, &rs);
    return doc;
}
