/* template_tree_int.h - a parsed template (template_tree.c): its @documento properties and its tree of nodes,
 * built by the parser (template_parse.c and the directives' parsers) and walked by the renderer
 * (template_render.c). */
#ifndef OBSERVA_TEMPLATE_TREE_INTERNAL_H
#define OBSERVA_TEMPLATE_TREE_INTERNAL_H

#include <glib.h>
#include <stdbool.h>

#include "observa/template.h"
#include "report/template_text_int.h"
#include "report/tpl_int.h"

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

typedef enum cond_kind {
    C_ANTERIOR = 0,
    C_BAJO,
    C_RECHAZOS,
    C_ACCIONES_OPL,
    C_METRIC,
    C_VAR,
    C_HISTORIAL,
    C_EXHORTOS,
} cond_kind;

typedef struct node {
    node_kind kind;
    obs_par_style style;
    bool new_page;      /* N_SECTION */
    tpl_text *text;     /* SECTION title, PARAGRAPH text, TABLE/CHART title */
    tpl_text *note;     /* TABLE/CHART note */
    GPtrArray *items;   /* N_LIST: tpl_text */
    tpl_table *table;
    tpl_chart *chart;
    cond_kind cond;
    bool negate;
    char *cond_var;     /* C_VAR, and N_LIST_VAR's variable */
    int cond_metric;    /* C_METRIC */
    GPtrArray *then_nodes; /* N_IF */
    GPtrArray *else_nodes;
    tpl_summary *summary;   /* N_SUMMARY */
    tpl_toc *toc;           /* N_TOC */
    tpl_glossary *glossary; /* N_GLOSSARY */
    tpl_map *map;           /* N_MAP */
} node;

/* A key of @documento and its value. */
typedef struct prop {
    char *key;
    tpl_text *value;
} prop;

struct obs_template {
    obs_template_kind kind;
    GPtrArray *props;  /* prop */
    GPtrArray *nodes;  /* node (top level) */
    bool numbered;     /* numerar = si: tables, charts and maps are numbered */
    bool cites;        /* some text cites a table, chart or map by its id */
};

/* Frees a node and everything under it; a GDestroyNotify for arrays of nodes. */
void tpl_node_free(gpointer n);

/* Frees a property; a GDestroyNotify for t->props. */
void tpl_prop_free(gpointer p);

/* A GDestroyNotify for arrays of parsed texts (N_LIST items). */
void tpl_text_destroy(gpointer text);

/* An empty @tabla (its columns and rows arrays own their elements); freed with its node. */
tpl_table *tpl_table_new(void);

/* An empty @grafica (its series array owns its elements); freed with its node. */
tpl_chart *tpl_chart_new(void);

/* A key of @documento and the field of obs_doc it sets (an offset; -1 for formato, which sets the layout, and
 * for numerar and fuente, which the renderer reads). */
typedef struct tpl_doc_key {
    const char *key;
    glong field;
} tpl_doc_key;

/* The @documento key named key, or NULL when there is none. */
const tpl_doc_key *tpl_doc_key_find(const char *key);

/* The parsed value of a @documento key, or NULL when the template does not set it. */
const tpl_text *tpl_prop_value(const obs_template *t, const char *key);

#endif /* OBSERVA_TEMPLATE_TREE_INTERNAL_H */
