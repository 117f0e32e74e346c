/* template_parse_int.h - the template parser's state and the pieces of the parser that live in files of their
 * own: reading lines and options (template_scan.c), expressions (template_expr.c), texts with placeholders
 * (template_text.c), citations (template_cite.c), @tabla and @grafica (template_tables.c) and the front
 * matter's directives (template_front.c). template_parse.c reads the file and dispatches the directives. */
#ifndef OBSERVA_TEMPLATE_PARSE_INTERNAL_H
#define OBSERVA_TEMPLATE_PARSE_INTERNAL_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

#include "observa/catalog.h"
#include "observa/error.h"
#include "observa/metrics.h"
#include "observa/template.h"
#include "report/template_text_int.h"
#include "report/template_tree_int.h"

typedef struct parser {
    const char *name;
    char **lines;
    size_t nlines;
    size_t i;            /* index of the current line */
    obs_template_kind kind;
    obs_cube *names;     /* a scratch cube, for metric names */
    const obs_catalog *cat;
    const char *const *vars;
    const obs_fonts *fonts; /* to measure tables (tpl_table_fits()), or NULL */
    obs_error *err;
    bool failed;
    bool pending_page;   /* a @salto right before a @seccion: that section starts on a new page */
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

/* Scope of a variable or a directive: which template kinds may use it (bit 1 << obs_template_kind). */
enum { S_ALL = 7, S_NATIONAL = 5, S_OPL = 2 };

/* The current line, or NULL at the end of the file. */
static inline const char *tpl_cur(const parser *p)
{
    return p->i < p->nlines ? p->lines[p->i] : NULL;
}

static inline bool tpl_is_blank(const char *l)
{
    for (; *l; l++)
        if (!g_ascii_isspace(*l))
            return false;
    return true;
}

static inline bool tpl_is_comment(const char *l)
{
    return l && l[0] == '#';
}

/* Whether the current line continues a directive's body: not the end, a blank line or a directive. */
static inline bool tpl_in_body(const parser *p)
{
    const char *l = tpl_cur(p);
    return l && !tpl_is_blank(l) && l[0] != '@';
}

/* Whether the template's kind is one of scopes (S_ALL, S_NATIONAL, S_OPL). */
static inline bool tpl_kind_allows(const parser *p, unsigned scopes)
{
    return (scopes & (1u << p->kind)) != 0;
}

/* ---- Reading lines and options (template_scan.c) ---- */

/* Records the first error (OBS_ERR_CONFIG, the template's name and the current line) and marks the
 * parse failed; later calls keep the first error. Returns false. */
bool tpl_fail(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Whether name is one of the extra variables the caller allows (the configuration's). */
bool tpl_extra_var_known(const parser *p, const char *name);

/* Options "clave=valor clave=\"valor con espacios\"" of a directive, into a new hash table (key → value,
 * both g_free'd by it); a first word without '=' goes to *positional (g_free). NULL after failing. */
GHashTable *tpl_parse_options(parser *p, const char *s, char **positional);

/* Takes an option out of the table (so unknown ones can be reported afterwards): its value (g_free), or NULL. */
char *tpl_take(GHashTable *opts, const char *key);

/* Fails on the first option left in opts: "opción desconocida «…» en what". */
bool tpl_no_unknown_options(parser *p, GHashTable *opts, const char *what);

/* Takes a si/no option into *out (dflt when absent); fails on another value. */
bool tpl_take_bool(parser *p, GHashTable *opts, const char *key, bool dflt, bool *out);

/* Reads `keyword "Texto" = resto`; label and rest are new strings (g_free). */
bool tpl_parse_labeled(parser *p, const char *line, const char *keyword, char **label, char **rest);

/* ---- Expressions and texts (template_expr.c, template_text.c) ---- */

/* Parses "a.b - c.d + 3" into e; fails on an unknown metric or a malformed expression. */
bool mexpr_parse(parser *p, const char *s, mexpr *e);

/* Parses text with {{placeholders}}: a new text (tpl_text_free()), or NULL after failing. */
tpl_text *tpl_parse_text(parser *p, const char *s);

/* ---- Citations of numbered items (template_cite.c) ---- */

/* Whether a placeholder's name cites a table, chart or map ("tabla:ID", "grafica:ID", "mapa:ID"). */
bool tpl_is_citation(const char *name);

/* Reads a citation (filters: whether the placeholder has filters, which citations don't take) and
 * records it for tpl_check_citations(): its key "tabla:ID" (g_free), or NULL after failing. */
char *tpl_parse_citation(parser *p, const char *name, bool filters);

/* Records the tables, charts and maps by id, with the @si conditions around them. */
void tpl_note_item(parser *p, const node *n, size_t line);

/* Every citation names exactly one item of its kind that is shown whenever the citation is, and the
 * template numbers its items; else fails at the citation's line. */
bool tpl_check_citations(parser *p, bool numbered);

/* Frees a cite_ref; a GDestroyNotify for p->items and p->cites. */
void tpl_cite_ref_free(gpointer r);

/* ---- Directives with a parser of their own: they read their options and body lines and return a new
 * node, or NULL after failing. On return p->i is the directive's last line. ---- */

node *tpl_parse_table(parser *p, const char *args);    /* template_tables.c */
node *tpl_parse_chart(parser *p, const char *args);    /* template_tables.c */
node *tpl_parse_summary(parser *p, const char *args);  /* template_front.c */
node *tpl_parse_toc(parser *p, const char *args);      /* template_front.c */
node *tpl_parse_glossary(parser *p, const char *args); /* template_front.c */
node *tpl_parse_map(parser *p, const char *args);      /* template_front.c */

#endif /* OBSERVA_TEMPLATE_PARSE_INTERNAL_H */
