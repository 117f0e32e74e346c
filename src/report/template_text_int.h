/* template_text_int.h - the template's text and expressions: a parsed text with {{placeholders}} and a metric
 * expression, evaluated with a render context. The lowest layer of the template engine: the block builders,
 * the renderer and the directives' parsers use it; of the engine it uses only the parser's reading of lines
 * (template_scan.c) and citations (template_cite.c), and the run's facts in words (report_words.c). */
#ifndef OBSERVA_TEMPLATE_TEXT_INTERNAL_H
#define OBSERVA_TEMPLATE_TEXT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "observa/template.h"

/* A metric expression: a sum of signed metrics and integer constants
 * ("solicitudes.curso.con - solicitudes.curso.por.ine"). */
#define MEXPR_MAX_TERMS 8
typedef struct mexpr {
    int nterms;
    int sign[MEXPR_MAX_TERMS];
    int metric[MEXPR_MAX_TERMS];      /* metric or internal counter id, -1 for a constant */
    int64_t constant[MEXPR_MAX_TERMS];
} mexpr;

/* Which corte or scope a value is read at. */
typedef enum value_at {
    AT_NOW = 0,   /* the corte, in the template's scope */
    AT_PREV,      /* the corte anterior, in the template's scope */
    AT_NATIONAL,  /* the corte, national total */
    AT_NATIONAL_PREV
} value_at;

/* ---- Expressions (template_expr.c) ---- */

/* Evaluates an expression at a cut-off and scope; 0 when the run has no such cut-off. */
int64_t mexpr_eval(const mexpr *e, const obs_template_ctx *ctx, value_at at);

/* Evaluates an expression on a snapshot (a published corte's figures) for entidad (0: national). */
int64_t mexpr_eval_in(const mexpr *e, const obs_snapshot *s, int entidad);

/* The value of one metric at a cut-off and scope. */
int64_t mexpr_metric_at(size_t metric, const obs_template_ctx *ctx, value_at at);

/*
 * The share of e in base, in tenths of a percent (-1 for a zero base). When e is one metric of a
 * breakdown of base (obs_cube_breakdown()), it is rounded together with the breakdown's other
 * members by largest remainder, so the shares of a breakdown always add up to 100.0%.
 */
int64_t mexpr_share_tenths(const mexpr *e, const mexpr *base, const obs_template_ctx *ctx, value_at at);

/* True when the run has a corte anterior. */
bool ctx_has_prev(const obs_template_ctx *ctx);

/* ---- Texts with {{placeholders}} (template_text.c) ---- */

/* A text of the template, parsed: literal pieces and placeholders (tpl_parse_text()). */
typedef struct tpl_text tpl_text;

/* Expands a parsed text with the run's values: a new string (g_free), or NULL when text is NULL. */
char *tpl_render_text(const tpl_text *text, const obs_template_ctx *ctx);

/* The text itself when it is one literal piece (no placeholder), else NULL. */
const char *tpl_text_literal(const tpl_text *text);

/* Frees a parsed text. NULL-safe. */
void tpl_text_free(tpl_text *text);

#endif /* OBSERVA_TEMPLATE_TEXT_INTERNAL_H */
