/* template_expr.c - metric expressions of templates ("solicitudes.curso.con - solicitudes.curso.por.ine"):
 * parsed against the catalogue's metric names, evaluated at a corte and a scope, and as shares of a base. */
#include <string.h>

#include "report/template_parse_int.h"

static bool is_name_char(char c)
{
    return g_ascii_isalnum(c) || c == '_' || c == '.';
}

/* Parses "a.b - c.d + 3" into e. */
bool mexpr_parse(parser *p, const char *s, mexpr *e)
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
            return tpl_fail(p, "expresión no válida: «%s» (se esperaba + o - en «%s»)", s, q);
        }
        if (e->nterms == MEXPR_MAX_TERMS)
            return tpl_fail(p, "expresión demasiado larga: «%s» (máximo %d términos)", s, MEXPR_MAX_TERMS);
        const char *start = q;
        while (is_name_char(*q))
            q++;
        if (q == start)
            return tpl_fail(p, "expresión no válida: «%s»", s);
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
                    return tpl_fail(p, "«difusion.bajo» no se suma en expresiones; use la condición @si bajo "
                                       "o la variable bajo.n");
                return tpl_fail(p, "métrica desconocida: «%.*s» (vea los nombres en metricas.csv)",
                                (int)(q - start), start);
            }
        }
        g_free(term);
        sign = 1;
        expect_term = false;
    }
    if (e->nterms == 0 || expect_term)
        return tpl_fail(p, "expresión incompleta: «%s»", s);
    return true;
}

bool ctx_has_prev(const obs_template_ctx *ctx)
{
    return ctx->run->anterior != NULL;
}

int64_t mexpr_eval(const mexpr *e, const obs_template_ctx *ctx, value_at at)
{
    const obs_snapshot *s = (at == AT_PREV || at == AT_NATIONAL_PREV) ? ctx->run->anterior : ctx->run->actual;
    if (!s)
        return 0;
    return mexpr_eval_in(e, s, (at == AT_NATIONAL || at == AT_NATIONAL_PREV) ? 0 : ctx->entidad);
}

int64_t mexpr_eval_in(const mexpr *e, const obs_snapshot *s, int entidad)
{
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
