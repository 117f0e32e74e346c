/* template.c - parser, validator and renderer of report templates (the language is in README.md). */
#include "observa/template.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report/tpl_int.h"

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
    V_UMBRAL_ACCIONES,
    V_MEDIANA,
    V_UMBRAL_MINIMO,
    V_FRACCION_MEDIANA,
    V_BAJO_N,
    V_BAJO_LISTA,
    V_RECHAZOS,
    V_ENTIDAD,
    V_ENTIDAD_OFICIAL,
    V_OPL,
    V_OPL_NOMBRE,
    V_OPL_SIGLAS,
    V_EXTRA,
    V_CITE, /* {{tabla:ID}}: the number of a table, chart or map ("Tabla 3") */
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
    [V_UMBRAL_ACCIONES] = {"umbral_acciones", VT_INT, S_ALL},
    [V_MEDIANA] = {"mediana", VT_DEC, S_ALL},
    [V_UMBRAL_MINIMO] = {"umbral_minimo", VT_INT, S_ALL},
    [V_FRACCION_MEDIANA] = {"fraccion_mediana", VT_DEC, S_ALL},
    [V_BAJO_N] = {"bajo.n", VT_INT, S_NATIONAL},
    [V_BAJO_LISTA] = {"bajo.lista", VT_TEXT, S_NATIONAL},
    [V_RECHAZOS] = {"rechazos", VT_TEXT, S_ALL},
    [V_ENTIDAD] = {"entidad", VT_TEXT, S_OPL},
    [V_ENTIDAD_OFICIAL] = {"entidad_oficial", VT_TEXT, S_OPL},
    [V_OPL] = {"opl", VT_TEXT, S_OPL},
    [V_OPL_NOMBRE] = {"opl_nombre", VT_TEXT, S_OPL},
    [V_OPL_SIGLAS] = {"opl_siglas", VT_TEXT, S_OPL},
    [V_EXTRA] = {NULL, VT_TEXT, S_ALL},
    [V_CITE] = {NULL, VT_TEXT, S_ALL},
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
    F_DEC,
    F_COUNT,  /* "1 solicitud", "2 solicitudes": the number and the noun that agrees with it */
    F_PLURAL  /* only the word that agrees with the number: "se identifica", "se identifican" */
} fmt_kind;

typedef struct piece {
    bool literal;
    char *text;      /* literal text, or the extra variable's name */
    var_id var;      /* V_NONE for a metric expression */
    mexpr e;
    mexpr base;      /* F_PCT */
    value_at at;
    fmt_kind fmt;
    char *forms[2];  /* F_COUNT, F_PLURAL: singular and plural */
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
    N_IF,
    N_SUMMARY,  /* front: tpl_summary */
    N_TOC,      /* front: tpl_toc */
    N_GLOSSARY, /* front: tpl_glossary */
    N_MAP       /* front: tpl_map */
} node_kind;

typedef enum cond_kind { C_ANTERIOR = 0, C_BAJO, C_RECHAZOS, C_METRIC, C_VAR } cond_kind;

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
    int cond_metric;    /* C_METRIC */
    GPtrArray *then_nodes; /* N_IF */
    GPtrArray *else_nodes;
    void *front;           /* N_SUMMARY, N_TOC, N_GLOSSARY, N_MAP: their parsed form */
} node;

typedef struct prop {
    char *key;
    ttext *value;
} prop;

struct obs_template {
    obs_template_kind kind;
    GPtrArray *props;  /* prop */
    GPtrArray *nodes;  /* node (top level) */
    bool numbered;     /* numerar = si: tables, charts and maps are numbered */
    bool cites;        /* some text cites a table, chart or map by its id */
};

/* ---- freeing ------------------------------------------------------------------------------------ */

static void piece_free(gpointer p)
{
    piece *pc = p;
    g_free(pc->text);
    g_free(pc->forms[0]);
    g_free(pc->forms[1]);
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

static void front_free(node *n)
{
    switch (n->kind) {
    case N_SUMMARY:
        tpl_summary_free(n->front);
        break;
    case N_TOC:
        tpl_toc_free(n->front);
        break;
    case N_GLOSSARY:
        tpl_glossary_free(n->front);
        break;
    case N_MAP:
        tpl_map_free(n->front);
        break;
    default:
        break;
    }
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
    front_free(n);
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
    GPtrArray *conds;    /* char *: the @si conditions around the current line ("bajo", "!anterior") */
    GPtrArray *items;    /* cite_ref: the tables, charts and maps, by id */
    GPtrArray *cites;    /* cite_ref: the {{tabla:ID}} placeholders */
} parser;

/* A numbered item or a citation of one: kind ("tabla"), id, line and the @si conditions. */
typedef struct cite_ref {
    char *kind;
    char *id;
    size_t line;
    char *conds; /* the conditions, each between '|' ("|bajo|!anterior|") */
} cite_ref;

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

/* What a filter applies to: the kind of value of the placeholder. */
enum { T_METRIC = 1, T_DATE = 2, T_TEXT = 4, T_INT = 8, T_DEC = 16 };

typedef enum filter_op {
    OP_FORMAT = 0, /* sets how the value is printed */
    OP_PREVIOUS,   /* reads the value at the corte anterior */
    OP_NATIONAL    /* reads the national value */
} filter_op;

typedef enum filter_arg { ARG_NONE = 0, ARG_BASE, ARG_FORMS } filter_arg;

/* The filters of {{valor|filtro}}; the error message lists them from this table. */
static const struct filter_def {
    const char *name;
    unsigned targets;
    filter_op op;
    fmt_kind fmt;
    filter_arg arg;
    const char *usage;
} filters[] = {
    {"anterior", T_METRIC, OP_PREVIOUS, F_INT, ARG_NONE, "anterior"},
    {"nacional", T_METRIC, OP_NATIONAL, F_INT, ARG_NONE, "nacional"},
    {"cambio", T_METRIC, OP_FORMAT, F_DELTA, ARG_NONE, "cambio"},
    {"entero", T_METRIC | T_INT, OP_FORMAT, F_INT, ARG_NONE, "entero"},
    {"pct", T_METRIC, OP_FORMAT, F_PCT, ARG_BASE, "pct:BASE"},
    {"pct_nacional", T_METRIC, OP_FORMAT, F_PCT_NATIONAL, ARG_NONE, "pct_nacional"},
    {"cuenta", T_METRIC | T_INT, OP_FORMAT, F_COUNT, ARG_FORMS, "cuenta:\"singular\":\"plural\""},
    {"plural", T_METRIC | T_INT, OP_FORMAT, F_PLURAL, ARG_FORMS, "plural:\"singular\":\"plural\""},
    {"fecha_larga", T_DATE, OP_FORMAT, F_DATE_LONG, ARG_NONE, "fecha_larga"},
    {"fecha_corta", T_DATE, OP_FORMAT, F_DATE_SHORT, ARG_NONE, "fecha_corta"},
    {"iso", T_DATE, OP_FORMAT, F_DATE_ISO, ARG_NONE, "iso"},
    {"mayusculas", T_TEXT, OP_FORMAT, F_UPPER, ARG_NONE, "mayusculas"},
};

static unsigned piece_target(const piece *pc)
{
    if (pc->var == V_NONE)
        return T_METRIC;
    static const unsigned by_type[] = {[VT_DATE] = T_DATE, [VT_TEXT] = T_TEXT, [VT_DEC] = T_DEC,
                                       [VT_INT] = T_INT};
    return by_type[var_info[pc->var].type];
}

/* Splits s at the separator sep outside quotes ("…" or '…'); a new NULL-terminated vector. */
static char **split_unquoted(const char *s, char sep)
{
    GPtrArray *parts = g_ptr_array_new();
    char quote = 0;
    const char *start = s;
    for (const char *q = s;; q++) {
        if (*q && quote) {
            quote = *q == quote ? 0 : quote;
        } else if (*q == '"' || *q == '\'') {
            quote = *q;
        } else if (*q == sep || !*q) {
            g_ptr_array_add(parts, g_strndup(start, (gsize)(q - start)));
            start = q + 1;
            if (!*q)
                break;
        }
    }
    g_ptr_array_add(parts, NULL);
    return (char **)g_ptr_array_free(parts, FALSE);
}

/* Reads the two forms of cuenta and plural: "singular":"plural" (or with single quotes). */
static bool parse_forms(parser *p, const char *name, const char *filter, const char *arg, char *forms[2])
{
    char **f = arg ? split_unquoted(arg, ':') : g_new0(char *, 1);
    bool ok = g_strv_length(f) == 2;
    for (int i = 0; ok && i < 2; i++) {
        char *v = g_strstrip(f[i]);
        size_t len = strlen(v);
        ok = len >= 2 && (v[0] == '"' || v[0] == '\'') && v[len - 1] == v[0];
        if (ok)
            forms[i] = g_strndup(v + 1, len - 2);
    }
    g_strfreev(f);
    if (!ok)
        return fail(p, "el filtro %s lleva la forma en singular y en plural, entre comillas: "
                       "{{%s|%s:\"solicitud\":\"solicitudes\"}}",
                    filter, name, filter);
    return true;
}

static bool unknown_filter(parser *p, const char *filter, const char *name, unsigned target)
{
    GString *list = g_string_new(NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(filters); i++)
        if (filters[i].targets & target)
            g_string_append_printf(list, "%s%s", list->len ? ", " : "", filters[i].usage);
    fail(p, "filtro desconocido «%s» para «%s» (%s%s)", filter, name,
         list->len ? "filtros que admite: " : "no admite filtros", list->str);
    g_string_free(list, TRUE);
    return false;
}

/* Applies one filter ("pct:solicitudes.total") to the placeholder. */
static bool apply_filter(parser *p, piece *pc, const char *name, char *filter)
{
    char *arg = strchr(filter, ':');
    if (arg)
        *arg++ = '\0';
    filter = g_strstrip(filter);
    unsigned target = piece_target(pc);
    const struct filter_def *f = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(filters) && !f; i++)
        if (strcmp(filters[i].name, filter) == 0 && (filters[i].targets & target))
            f = &filters[i];
    if (!f)
        return unknown_filter(p, filter, name, target);
    switch (f->op) {
    case OP_PREVIOUS:
        pc->at = pc->at == AT_NATIONAL ? AT_NATIONAL_PREV : AT_PREV;
        return true;
    case OP_NATIONAL:
        pc->at = pc->at == AT_PREV ? AT_NATIONAL_PREV : AT_NATIONAL;
        return true;
    case OP_FORMAT:
        break;
    }
    pc->fmt = f->fmt;
    if (f->arg == ARG_BASE) {
        if (!arg || !*g_strstrip(arg))
            return fail(p, "el filtro pct necesita la base: {{%s|pct:solicitudes.total}}", name);
        return parse_mexpr(p, arg, &pc->base);
    }
    if (f->arg == ARG_FORMS) {
        g_free(pc->forms[0]);
        g_free(pc->forms[1]);
        pc->forms[0] = pc->forms[1] = NULL;
        return parse_forms(p, name, filter, arg, pc->forms);
    }
    return true;
}

/* Citations, in template_front.c. */
static bool is_citation(const char *name);
static bool parse_citation(parser *p, const char *name, bool filters, piece *pc);

/* Parses the inside of {{ … }}. */
static bool parse_placeholder(parser *p, const char *inside, piece *pc)
{
    char **parts = split_unquoted(inside, '|');
    if (!parts[0] || !*g_strstrip(parts[0])) {
        /* found by fuzz_template: "{{}}" split into nothing and crashed */
        g_strfreev(parts);
        return fail(p, "marcador vacío: escriba una métrica o variable entre «{{» y «}}»");
    }
    char *name = parts[0];
    if (is_citation(name)) {
        bool cited = parse_citation(p, name, parts[1] != NULL, pc);
        g_strfreev(parts);
        return cited;
    }
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
    for (char **f = parts + 1; ok && *f; f++)
        ok = apply_filter(p, pc, name, *f);
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

#include "template_front.c"

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
            s->metric == OBS_M_PENDIENTES || s->metric == OBS_M_DIF_INE ||
            obs_metric_is_distinct((size_t)s->metric))
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
    else if (strcmp(c, "rechazos") == 0)
        n->cond = C_RECHAZOS;
    else if (extra_var_known(p, c)) {
        n->cond = C_VAR;
        n->cond_var = g_strdup(c);
    } else if ((n->cond_metric = obs_cube_metric_find(p->names, c)) >= 0) {
        n->cond = C_METRIC;
    } else
        ok = fail(p, "condición desconocida «%s» (use anterior, bajo, rechazos, una métrica —verdadera si no "
                     "es cero al corte— o una variable de la configuración, con «no» delante para negarla)",
                  c);
    g_free(cond);
    char *ended = NULL;
    /* What each branch may assume, for citations: "bajo" in the first, "!bajo" in the second. */
    char *holds = ok ? g_strdup_printf("%s%s", n->cond == C_BAJO ? "bajo" : n->cond == C_ANTERIOR ? "anterior" : "var:",
                                       n->cond_var ? n->cond_var : "")
                     : NULL;
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
        "portada.corte", "portada.lugar_fecha", "numerar", "fuente", NULL};
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
        if (strcmp(key, "numerar") == 0 && strcmp(value, "si") != 0 && strcmp(value, "sí") != 0 &&
            strcmp(value, "no") != 0) {
            fail(p, "numerar lleva si o no, no «%s»", value);
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
        size_t line = p->i + 1;
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
            bool is_front = false;
            for (size_t i = 0; i < G_N_ELEMENTS(front_directives); i++)
                if (strcmp(name, front_directives[i].name) == 0) {
                    n = front_directives[i].parse(p, args);
                    is_front = true;
                }
            if (is_para || is_front) {
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
                        "@grafica, @lista, @si, @sino, @fin, @subtitulo, @nota, @negritas, @derecha, @centro, "
                        "@resumen_ejecutivo, @indice, @siglas, @mapa)",
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
        note_item(p, n, line);
    }
    return true;
}

/* The parsed text of a @documento key, or NULL. */
static const ttext *prop_value(const obs_template *t, const char *key)
{
    for (guint i = 0; i < t->props->len; i++) {
        const prop *pr = t->props->pdata[i];
        if (strcmp(pr->key, key) == 0)
            return pr->value;
    }
    return NULL;
}

/* A yes/no key of @documento (checked by parse_document_props) says yes. */
static bool prop_is_yes(const obs_template *t, const char *key)
{
    const ttext *v = prop_value(t, key);
    const piece *pc = v && v->len == 1 ? v->pdata[0] : NULL;
    return pc && pc->literal && (strcmp(pc->text, "si") == 0 || strcmp(pc->text, "sí") == 0);
}

obs_status obs_template_parse(const char *name, const char *text, size_t len,
                              obs_template_kind kind, const obs_catalog *cat,
                              const char *const *vars, obs_template **out, obs_error *err)
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
    parser p = {.name = name, .kind = kind, .cat = cat, .vars = vars, .err = err};
    p.conds = g_ptr_array_new_with_free_func(g_free);
    p.items = g_ptr_array_new_with_free_func(cite_ref_free);
    p.cites = g_ptr_array_new_with_free_func(cite_ref_free);
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
    t->numbered = prop_is_yes(t, "numerar");
    t->cites = p.cites->len > 0;
    ok = ok && check_citations(&p, t->numbered);
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
                             const char *const *vars, obs_template **out, obs_error *err)
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

int64_t mexpr_metric_at(size_t metric, const obs_template_ctx *ctx, value_at at)
{
    mexpr one = {.nterms = 1, .sign = {1}, .metric = {(int)metric}};
    return mexpr_eval(&one, ctx, at);
}

/* The single metric an expression is, or -1 ("a - b" and constants are not one metric). */
static int single_metric(const mexpr *e)
{
    return e->nterms == 1 && e->sign[0] == 1 ? e->metric[0] : -1;
}

int64_t mexpr_share_tenths(const mexpr *e, const mexpr *base, const obs_template_ctx *ctx, value_at at)
{
    int64_t v = mexpr_eval(e, ctx, at), b = mexpr_eval(base, ctx, at);
    int m = single_metric(e), bm = single_metric(base);
    size_t parent = 0, n = m >= 0 ? obs_cube_breakdown(ctx->run->cube, (size_t)m, &parent, NULL, 0) : 0;
    if (n == 0 || bm < 0 || parent != (size_t)bm)
        return obs_pct_tenths(v, b);
    /* One share of a breakdown of the base: rounded together with its siblings. */
    size_t *members = g_new(size_t, n);
    int64_t *counts = g_new(int64_t, n), *tenths = g_new(int64_t, n), t = 0;
    obs_cube_breakdown(ctx->run->cube, (size_t)m, NULL, members, n);
    for (size_t i = 0; i < n; i++)
        counts[i] = mexpr_metric_at(members[i], ctx, at);
    obs_pct_largest_remainder(counts, n, b, tenths);
    for (size_t i = 0; i < n; i++)
        if (members[i] == (size_t)m)
            t = tenths[i];
    g_free(members);
    g_free(counts);
    g_free(tenths);
    return t;
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

/* The value of an integer variable. */
static int64_t var_int(var_id v, const obs_template_ctx *ctx)
{
    const obs_snapshot *now = ctx->run->actual;
    switch (v) {
    case V_UMBRAL_MINIMO:
        return now->rule.umbral_minimo;
    case V_BAJO_N:
        return now->nbajo;
    case V_UMBRAL_ACCIONES:
        return umbral_acciones(now);
    default:
        return 0;
    }
}

/* A number as its piece asks: alone, with the noun that agrees with it, or just that noun. */
static void append_count(GString *out, const piece *pc, int64_t v)
{
    char buf[OBS_FMT_MAX];
    const char *word = pc->forms[v == 1 || v == -1 ? 0 : 1];
    if (pc->fmt == F_PLURAL) {
        g_string_append(out, word);
        return;
    }
    g_string_append(out, obs_fmt_int(buf, sizeof buf, v));
    if (pc->fmt == F_COUNT)
        g_string_append_printf(out, " %s", word);
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
    case V_UMBRAL_ACCIONES:
    case V_BAJO_N:
        append_count(out, pc, var_int(pc->var, ctx));
        break;
    case V_RECHAZOS: {
        char *text = text_rechazos(ctx);
        append_text(out, text, pc->fmt);
        g_free(text);
        break;
    }
    case V_FRACCION_MEDIANA:
        g_string_append(out, obs_fmt_dec(buf, sizeof buf, run->actual->rule.fraccion_mediana * 100, 1));
        g_string_append_c(out, '%');
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
    case V_CITE: {
        /* Resolved on the second pass of obs_template_render(); the loader made sure the item exists. */
        const char *label = ctx->vars ? g_hash_table_lookup(ctx->vars, pc->text) : NULL;
        g_string_append(out, label ? label : "\u2013");
        break;
    }
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
            int64_t base = mexpr_eval(&pc->base, ctx, pc->at);
            g_string_append(out, obs_fmt_pct(buf, sizeof buf, mexpr_share_tenths(&pc->e, &pc->base, ctx, pc->at),
                                             base > 0 ? 1000 : 0));
        } else if (pc->fmt == F_COUNT || pc->fmt == F_PLURAL) {
            append_count(out, pc, mexpr_eval(&pc->e, ctx, pc->at));
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
    case C_RECHAZOS:
        v = any_rechazos(ctx);
        break;
    case C_METRIC:
        v = mexpr_metric_at((size_t)n->cond_metric, ctx, AT_NOW) != 0;
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
        case N_SUMMARY:
            block_summary(ctx, current_section(rs), n->front);
            break;
        case N_TOC:
            block_toc(ctx, current_section(rs), n->front);
            break;
        case N_GLOSSARY:
            block_glossary(current_section(rs), n->front);
            break;
        case N_MAP:
            block_map(ctx, current_section(rs), n->front);
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

static obs_doc *render_once(const obs_template *t, const obs_template_ctx *ctx)
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

/* ctx's variables plus the labels of the numbered items, for the citations. */
static GHashTable *vars_with_labels(const GHashTable *vars, GHashTable *labels)
{
    GHashTable *all = g_hash_table_new(g_str_hash, g_str_equal);
    GHashTableIter it;
    gpointer k, v;
    if (vars) {
        g_hash_table_iter_init(&it, (GHashTable *)vars);
        while (g_hash_table_iter_next(&it, &k, &v))
            g_hash_table_insert(all, k, v);
    }
    g_hash_table_iter_init(&it, labels);
    while (g_hash_table_iter_next(&it, &k, &v))
        g_hash_table_insert(all, k, v);
    return all;
}

/*
 * The numbers of tables, charts and maps depend on what this run shows (@si, omitted tables),
 * so they are taken from the rendered document; a template that cites them is rendered a
 * second time with the numbers known.
 */
obs_doc *obs_template_render(const obs_template *t, const obs_template_ctx *ctx)
{
    obs_doc *doc = render_once(t, ctx);
    if (t->numbered) {
        const ttext *fuente = prop_value(t, "fuente");
        char *source = fuente ? render_text(fuente, ctx) : NULL;
        GHashTable *labels = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        obs_doc_number(doc, source, labels);
        if (t->cites) {
            obs_template_ctx cited = *ctx;
            cited.vars = vars_with_labels(ctx->vars, labels);
            obs_doc_free(doc);
            doc = render_once(t, &cited);
            obs_doc_number(doc, source, NULL);
            g_hash_table_destroy(cited.vars);
        }
        g_hash_table_destroy(labels);
        g_free(source);
    }
    obs_doc_build_toc(doc);
    return doc;
}
