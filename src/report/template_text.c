/* template_text.c - texts of templates with {{placeholders}}: variables, metric expressions and citations with
 * their filters, parsed when the template is loaded and expanded with a run's values when it is rendered. */
#include <string.h>

#include "report/report_words_int.h"
#include "report/template_parse_int.h"

/* ---- Parsed form ---------------------------------------------------------------------------------- */

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
    V_REGLA,
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
    [V_REGLA] = {"regla", VT_TEXT, S_ALL},
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
    char *forms[3];  /* F_COUNT, F_PLURAL: singular, plural and, optionally, what 0 reads as */
} piece;

struct tpl_text {
    GPtrArray *pieces; /* piece */
};

static void piece_free(gpointer p)
{
    piece *pc = p;
    g_free(pc->text);
    for (size_t i = 0; i < G_N_ELEMENTS(pc->forms); i++)
        g_free(pc->forms[i]);
    g_free(pc);
}

static tpl_text *text_new(void)
{
    tpl_text *t = g_new(tpl_text, 1);
    t->pieces = g_ptr_array_new_with_free_func(piece_free);
    return t;
}

void tpl_text_free(tpl_text *t)
{
    if (!t)
        return;
    g_ptr_array_free(t->pieces, TRUE);
    g_free(t);
}

const char *tpl_text_literal(const tpl_text *t)
{
    const piece *pc = t && t->pieces->len == 1 ? t->pieces->pdata[0] : NULL;
    return pc && pc->literal ? pc->text : NULL;
}

/* ---- Parsing -------------------------------------------------------------------------------------- */

static var_id find_var(const parser *p, const char *name)
{
    for (int v = 0; v < V_EXTRA; v++)
        if (strcmp(var_info[v].name, name) == 0)
            return (var_id)v;
    return tpl_extra_var_known(p, name) ? V_EXTRA : V_NONE;
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
    {"cuenta", T_METRIC | T_INT, OP_FORMAT, F_COUNT, ARG_FORMS, "cuenta:\"singular\":\"plural\"[:\"cero\"]"},
    {"plural", T_METRIC | T_INT, OP_FORMAT, F_PLURAL, ARG_FORMS, "plural:\"singular\":\"plural\"[:\"cero\"]"},
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

/* Reads the forms of cuenta and plural: "singular":"plural", and optionally what 0 reads as
 * ("ninguna organización", said instead of "0 organizaciones"), in double or single quotes. */
static bool parse_forms(parser *p, const char *name, const char *filter, const char *arg, char *forms[3])
{
    char **f = arg ? split_unquoted(arg, ':') : g_new0(char *, 1);
    guint n = g_strv_length(f);
    bool ok = n == 2 || n == 3;
    for (guint i = 0; ok && i < n; i++) {
        char *v = g_strstrip(f[i]);
        size_t len = strlen(v);
        ok = len >= 2 && (v[0] == '"' || v[0] == '\'') && v[len - 1] == v[0];
        if (ok)
            forms[i] = g_strndup(v + 1, len - 2);
    }
    g_strfreev(f);
    if (!ok)
        return tpl_fail(p, "el filtro %s lleva la forma en singular y en plural, entre comillas, y si se quiere "
                           "la que se dice con cero: {{%s|%s:\"solicitud\":\"solicitudes\"}} o "
                           "{{%s|%s:\"solicitud\":\"solicitudes\":\"ninguna solicitud\"}}",
                        filter, name, filter, name, filter);
    return true;
}

static bool unknown_filter(parser *p, const char *filter, const char *name, unsigned target)
{
    GString *list = g_string_new(NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(filters); i++)
        if (filters[i].targets & target)
            g_string_append_printf(list, "%s%s", list->len ? ", " : "", filters[i].usage);
    tpl_fail(p, "filtro desconocido «%s» para «%s» (%s%s)", filter, name,
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
            return tpl_fail(p, "el filtro pct necesita la base: {{%s|pct:solicitudes.total}}", name);
        return mexpr_parse(p, arg, &pc->base);
    }
    if (f->arg == ARG_FORMS) {
        for (size_t i = 0; i < G_N_ELEMENTS(pc->forms); i++) {
            g_free(pc->forms[i]);
            pc->forms[i] = NULL;
        }
        return parse_forms(p, name, filter, arg, pc->forms);
    }
    return true;
}

/* Parses the inside of {{ … }}. */
static bool parse_placeholder(parser *p, const char *inside, piece *pc)
{
    char **parts = split_unquoted(inside, '|');
    if (!parts[0] || !*g_strstrip(parts[0])) {
        /* found by fuzz_template: "{{}}" split into nothing and crashed */
        g_strfreev(parts);
        return tpl_fail(p, "marcador vacío: escriba una métrica o variable entre «{{» y «}}»");
    }
    char *name = parts[0];
    if (tpl_is_citation(name)) {
        /* Resolved on the second pass of obs_template_render(), from the numbers of the first. */
        pc->var = V_CITE;
        pc->fmt = F_TEXT;
        pc->text = tpl_parse_citation(p, name, parts[1] != NULL);
        g_strfreev(parts);
        return pc->text != NULL;
    }
    bool ok = true;
    pc->var = find_var(p, name);
    if (pc->var != V_NONE) {
        if (!tpl_kind_allows(p, var_info[pc->var].scopes))
            ok = tpl_fail(p, p->kind == OBS_TPL_OPL
                                 ? "la variable «%s» no existe en un resumen por OPL: mostraría otras entidades"
                                 : "la variable «%s» sólo existe en el resumen por OPL",
                          name);
        if (pc->var == V_EXTRA)
            pc->text = g_strdup(name);
        var_type t = var_info[pc->var].type;
        pc->fmt = t == VT_DATE ? F_DATE_LONG : t == VT_DEC ? F_DEC : t == VT_INT ? F_INT : F_TEXT;
    } else {
        ok = mexpr_parse(p, name, &pc->e);
        pc->fmt = F_INT;
    }
    for (char **f = parts + 1; ok && *f; f++)
        ok = apply_filter(p, pc, name, *f);
    g_strfreev(parts);
    return ok;
}

tpl_text *tpl_parse_text(parser *p, const char *s)
{
    tpl_text *t = text_new();
    const char *q = s;
    while (*q) {
        const char *open = strstr(q, "{{");
        const char *close_first = strstr(q, "}}");
        if (close_first && (!open || close_first < open)) {
            tpl_fail(p, "«}}» sin «{{» que lo abra");
            tpl_text_free(t);
            return NULL;
        }
        if (!open) {
            piece *pc = g_new0(piece, 1);
            pc->literal = true;
            pc->text = g_strdup(q);
            g_ptr_array_add(t->pieces, pc);
            break;
        }
        if (open > q) {
            piece *pc = g_new0(piece, 1);
            pc->literal = true;
            pc->text = g_strndup(q, (gsize)(open - q));
            g_ptr_array_add(t->pieces, pc);
        }
        const char *close = strstr(open + 2, "}}");
        if (!close) {
            tpl_fail(p, "«{{» sin cerrar: falta «}}»");
            tpl_text_free(t);
            return NULL;
        }
        char *inside = g_strndup(open + 2, (gsize)(close - open - 2));
        if (strstr(inside, "{{")) {
            g_free(inside);
            tpl_fail(p, "«{{» sin cerrar antes del siguiente «{{»");
            tpl_text_free(t);
            return NULL;
        }
        piece *pc = g_new0(piece, 1);
        pc->var = V_NONE;
        g_ptr_array_add(t->pieces, pc);
        bool ok = parse_placeholder(p, inside, pc);
        g_free(inside);
        if (!ok) {
            tpl_text_free(t);
            return NULL;
        }
        q = close + 2;
    }
    return t;
}

/* ---- Rendering ------------------------------------------------------------------------------------ */

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

/* A number as its piece asks: alone, with the noun that agrees with it, or just that noun; 0 as
 * its own form when the template gives one ("ninguna organización", "no se identifica"). */
static void append_count(GString *out, const piece *pc, int64_t v)
{
    char buf[OBS_FMT_MAX];
    if (v == 0 && pc->forms[2] && (pc->fmt == F_COUNT || pc->fmt == F_PLURAL)) {
        g_string_append(out, pc->forms[2]);
        return;
    }
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
    case V_REGLA: {
        char *text = text_regla(run->actual);
        append_text(out, text, pc->fmt);
        g_free(text);
        break;
    }
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

char *tpl_render_text(const tpl_text *t, const obs_template_ctx *ctx)
{
    if (!t)
        return NULL;
    GString *out = g_string_new(NULL);
    char buf[OBS_FMT_MAX];
    for (guint i = 0; i < t->pieces->len; i++) {
        const piece *pc = t->pieces->pdata[i];
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
