/* tpl_int.h - the parsed forms of the blocks a template places (tables, charts, front matter) and the block
 * builders that turn them into the report model; above the template's text and expressions, below the
 * template's parser and renderer. */
#ifndef OBSERVA_TPL_INTERNAL_H
#define OBSERVA_TPL_INTERNAL_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "observa/catalog.h"
#include "observa/metrics.h"
#include "observa/model.h"
#include "observa/template.h"
#include "model/model_int.h"
#include "report/report_words_int.h"
#include "report/template_text_int.h"

/* Columns of @tabla entidades: what each cell shows. */
typedef enum colx_kind {
    COLX_VALUE = 0,  /* expr at the corte */
    COLX_PREVIOUS,   /* expr at the corte anterior */
    COLX_CHANGE,     /* expr now - expr before */
    COLX_PCT         /* expr over base, as a percentage */
} colx_kind;

/* Columns of @tabla cortes: a metric expression at each published corte, or the OPL flagged then. */
typedef enum colc_kind {
    COLC_VALUE = 0,  /* expr at the corte, in the template's scope */
    COLC_SENALADOS,  /* national: how many OPL were flagged; an OPL's summary: whether it was */
    COLC_OFICIO      /* an OPL's summary only: the letter that exhorted it after that corte (number, date) */
} colc_kind;

/* Columns of @tabla indicadores: what each column shows for every row. */
typedef enum coli_kind {
    COLI_LABEL = 0,   /* the row's label */
    COLI_VALUE,       /* the row's value at the corte */
    COLI_PREVIOUS,    /* at the corte anterior */
    COLI_CHANGE,      /* change since the corte anterior */
    COLI_PCT,         /* value over the table's base */
    COLI_NATIONAL,    /* national value (OPL summaries) */
    COLI_PCT_NATIONAL /* value over the national value (share of the country) */
} coli_kind;

typedef struct tpl_column {
    char *header;
    tpl_text *header_text; /* parsed form of header (placeholders allowed) */
    int kind;          /* colx_kind, coli_kind or colc_kind, by table type */
    mexpr a;
    mexpr b;           /* base of COLX_PCT */
    bool omit_zero;    /* "columna?": left out when its national value is 0 */
} tpl_column;

typedef struct tpl_row {
    char *label;
    tpl_text *label_text;  /* parsed form of label (placeholders allowed) */
    mexpr e;
    bool omit_zero;    /* "fila?": left out when the value is 0 */
    bool total;        /* "total": a total row */
} tpl_row;

typedef enum tpl_table_type {
    TT_ENTIDADES = 0,
    TT_INDICADORES,
    TT_TIPOS_DIFUSION,
    TT_CAUSAS,
    TT_OPL_BAJO,
    TT_CONTROL,
    TT_MOTIVOS,
    TT_CORTES,     /* the history: published cortes side by side */
    TT_EXHORTOS,   /* the history: the follow-up of each exhorto */
    TT_REVISIONES  /* the history: published figures today's exports give differently */
} tpl_table_type;

/* The published cortes an OPL's summary shows at most in @tabla cortes and @tabla exhortos (the most recent;
 * a line says how many earlier ones the informe holds). A summary is at most two pages (reports.md §3) and
 * the history is the one part of it that grows with every corte: with this bound its worst case (every
 * tipo de acción, a flagged OPL exhorted at each corte) still fits; test_historial.c checks it. */
#define TPL_OPL_CORTES_MAX 4

typedef struct tpl_table {
    tpl_table_type type;
    char *id;
    char *title;
    char *sheet;
    char *note;
    bool mark_bajo;
    bool has_base;
    mexpr base;
    int max;           /* causas: how many; revisiones: how many rows at most; cortes, exhortos: the most
                        * recent published cortes shown (0: all; in an OPL's summary 1..TPL_OPL_CORTES_MAX) */
    bool skip_zero;    /* tipos_difusion: leave out types without actions */
    GPtrArray *columns; /* tpl_column */
    GPtrArray *rows;    /* tpl_row */
} tpl_table;

typedef enum tpl_chart_type {
    TC_OPL_ENTIDAD = 0,
    TC_SEMANAL,
    TC_EDAD_SEXO,
    TC_CORTES      /* the history: series of metrics over the published cortes */
} tpl_chart_type;

typedef struct tpl_series {
    char *name;
    int metric;
} tpl_series;

typedef struct tpl_chart {
    tpl_chart_type type;
    char *id;
    char *title;
    char *sheet;
    char *note;
    char *x_title;
    char *y_title;
    bool cumulative;   /* semanal: running totals (default) or counts per week */
    bool columns;      /* semanal: drawn as columns instead of lines */
    double height;     /* alto=: plot height in points (0 = default) */
    GPtrArray *series; /* tpl_series */
} tpl_chart;

/* The template's title, or a default; the sheet, or the title (the XLSX renderer shortens it). */
static inline const char *or_default(const char *given, const char *dflt)
{
    return given && *given ? given : dflt;
}

/* ---- Front matter and apparatus (report_front.c) ---- */

/* A key figure of @resumen_ejecutivo: cifra "Etiqueta" = expresión; detalle. */
typedef struct tpl_figure {
    tpl_text *label;
    mexpr e;
    tpl_text *detail;  /* or NULL */
} tpl_figure;

/* @resumen_ejecutivo: the executive summary. Texts are NULL when absent. */
typedef struct tpl_summary {
    tpl_text *title;
    char *sheet;
    tpl_text *intro;
    GPtrArray *figures; /* tpl_figure */
    tpl_text *flag_title;
    tpl_text *flag_rule;
    tpl_text *flag_none;
    tpl_text *flag_no_actions; /* instead of flag_none when no OPL has registered an action */
    tpl_text *rejected;        /* said only when some row of some export was rejected */
    tpl_text *closing;
} tpl_summary;

/* @indice: the table of contents. */
typedef struct tpl_toc {
    tpl_text *title;
    bool items;        /* tablas=si: list the numbered tables, charts and maps too */
} tpl_toc;

/* @siglas: term = meaning lines. */
typedef struct tpl_glossary {
    char *sheet;
    GPtrArray *terms;    /* char * */
    GPtrArray *meanings; /* char * */
} tpl_glossary;

/* Grid positions of the 32 entidades (templates/catalogos/mapa.csv). */
typedef struct tpl_grid {
    int nrows, ncols;
    int row[OBS_ENTIDADES + 1]; /* by clave; 1-based */
    int col[OBS_ENTIDADES + 1];
} tpl_grid;

/* @mapa: the tile-grid cartogram. */
typedef struct tpl_map {
    char *id;
    tpl_text *title;
    char *sheet;
    tpl_text *note;
    mexpr value;       /* the number on each tile, per entidad */
    tpl_text *value_label;
    tpl_text *flag_label;
    tpl_text *other_label;
    tpl_grid grid;
} tpl_map;

/* Frees the parsed forms above. NULL-safe. */
void tpl_summary_free(tpl_summary *s);
void tpl_toc_free(tpl_toc *t);
void tpl_glossary_free(tpl_glossary *g);
void tpl_map_free(tpl_map *m);

/*
 * Reads the grid of the cartogram from dir/catalogos/mapa.csv (clave,fila,columna): each of the
 * 32 claves once, positions 1..20 and no two on one square. On error returns false with
 * OBS_ERR_CONFIG, the file and the line in err.
 */
bool tpl_grid_load(const char *dir, tpl_grid *grid, obs_error *err);

/* Block builders of the front matter; they never fail. */
void block_summary(const obs_template_ctx *ctx, obs_section *sec, const tpl_summary *s);
void block_toc(const obs_template_ctx *ctx, obs_section *sec, const tpl_toc *t);
void block_glossary(obs_section *sec, const tpl_glossary *g);
void block_map(const obs_template_ctx *ctx, obs_section *sec, const tpl_map *m);

/* Whether a table of @tabla entidades or indicadores can be printed with its numbers whole at the
 * PDF's smallest table size, assuming the widest values its columns can hold (tpl_width.c); else
 * false with err set (OBS_ERR_CONFIG, no file or line). The fixed tables always fit. */
bool tpl_table_fits(const tpl_table *t, const obs_catalog *cat, const obs_fonts *fonts, obs_error *err);

/* Block builders (report_blocks.c, report_charts.c). Titles and notes arrive already expanded. */
void block_table(const obs_template_ctx *ctx, obs_section *sec, const tpl_table *t,
                 const char *title, const char *note);
void block_chart(const obs_template_ctx *ctx, obs_section *sec, const tpl_chart *c,
                 const char *title, const char *note);
/* The history's blocks (report_history.c): with no history, or nothing of it to show, each says so in
 * a sentence instead of an empty table or chart. */
void block_cortes(const obs_template_ctx *ctx, obs_section *sec, const tpl_table *t, const char *title,
                  const char *note);
void block_exhortos(const obs_template_ctx *ctx, obs_section *sec, const tpl_table *t, const char *title,
                    const char *note);
void block_revisiones(const obs_template_ctx *ctx, obs_section *sec, const tpl_table *t, const char *title,
                      const char *note);
void block_chart_cortes(const obs_template_ctx *ctx, obs_section *sec, const tpl_chart *c, const char *title,
                        const char *note);
/* Whether the history has anything to show in the template's scope: a published corte up to the run's
 * (`@si historial`), or an exhorto to follow up (`@si exhortos`). */
bool history_has_cortes(const obs_template_ctx *ctx);
bool history_has_exhortos(const obs_template_ctx *ctx);

/* One bullet per input file: name, rows, bytes, encoding and SHA-256 prefix. */
void block_list_fuentes(const obs_template_ctx *ctx, obs_section *sec, obs_par_style style);

#endif /* OBSERVA_TPL_INTERNAL_H */
