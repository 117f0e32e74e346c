/* model.h - the report model: document -> sections -> blocks (paragraph, list, table, chart).
 *
 * The model is the only thing the renderers read, so the PDF and the XLSX
 * cannot disagree. Builders fill it from metrics; renderers never see CSV.
 *
 * Ownership: an obs_doc owns everything reachable from it. Every string
 * passed to a setter is copied. Pointers returned by the obs_*_add_*
 * functions stay valid until obs_doc_free() and must not be freed.
 */
#ifndef OBSERVA_MODEL_H
#define OBSERVA_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "observa/text.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum obs_paper {
    OBS_PAPER_LETTER = 0, /**< 215.9 × 279.4 mm, the default. */
    OBS_PAPER_A4          /**< 210 × 297 mm. */
} obs_paper;

/** How the PDF renderer lays out the document's first page. */
typedef enum obs_layout {
    OBS_LAYOUT_REPORT = 0, /**< Cover page, then sections; header/footer on every page but the cover. */
    OBS_LAYOUT_BRIEF,      /**< No cover: a title block on page 1; header/footer on every page. */
    OBS_LAYOUT_LETTER      /**< A letter: letterhead on page 1, footer with page numbers. */
} obs_layout;

typedef enum obs_cell_kind {
    OBS_CELL_EMPTY = 0,
    OBS_CELL_TEXT,  /**< text: UTF-8 string, printed as is (never a formula in XLSX). */
    OBS_CELL_INT,   /**< num: a count, printed "34,462". */
    OBS_CELL_PCT,   /**< num/den: printed "86.1%" (half-up), "–" when den is 0. */
    OBS_CELL_DELTA, /**< num: a signed change, printed "+123" / "-4" / "0". */
    OBS_CELL_DEC,   /**< dec with `decimals` digits at most: "12.5". */
    OBS_CELL_DATE   /**< num: an obs_day, printed "12/10/2023"; a date cell in XLSX. */
} obs_cell_kind;

/** Cell flags. */
enum {
    OBS_CELL_BOLD = 1u << 0, /**< Emphasised text. */
    OBS_CELL_MARK = 1u << 1, /**< The value is flagged (e.g. low outreach): drawn in the alert colour. */
    OBS_CELL_NOSUM = 1u << 2 /**< In a total row, a value that is not the sum of the rows above (a
                                  distinct count): the XLSX writes the number, not a SUM formula. */
};

typedef struct obs_cell {
    obs_cell_kind kind;
    unsigned flags;
    char *text;
    int64_t num;
    int64_t den;
    double dec;
    int decimals;
} obs_cell;

typedef enum obs_row_kind {
    OBS_ROW_DATA = 0,
    OBS_ROW_TOTAL /**< A total of the data rows above it: bold; SUM formulas in XLSX for INT columns. */
} obs_row_kind;

typedef struct obs_row {
    obs_row_kind kind;
    bool marked;      /**< Row flagged (e.g. an OPL with low outreach): highlighted. */
    int clave;        /**< In a table with entidad columns (obs_table.entidad_cols): the row's
                           entidad, 1..32, or 0 for a national row. */
    obs_cell *cells;  /**< ncols cells. */
} obs_row;

typedef enum obs_align {
    OBS_ALIGN_LEFT = 0,
    OBS_ALIGN_RIGHT,
    OBS_ALIGN_CENTER
} obs_align;

typedef struct obs_column {
    char *header;
    obs_align align;
    double weight; /**< Relative width hint for the PDF (0 = automatic). */
    char *description; /**< Optional: what the column holds, for the XLSX data dictionary. */
} obs_column;

/** Where a table appears. */
enum {
    OBS_TARGET_PDF = 1u << 0,
    OBS_TARGET_XLSX = 1u << 1,
    OBS_TARGET_ALL = OBS_TARGET_PDF | OBS_TARGET_XLSX
};

/**
 * Columns a renderer adds to a table whose rows are entidades (obs_table.entidad_cols), from
 * each row's clave and mark: the XLSX writes them as columns of their own (a "Clave" before the
 * first column, a "Señalado" Sí/No after it), so a filter or a pivot never reads a mark inside a
 * name; the PDF shows the mark its own way (the row highlighted and "*" after the name).
 */
enum {
    OBS_ENTIDAD_CLAVE = 1u << 0,   /**< "Clave": the row's clave, "01".."32", "00" for national rows. */
    OBS_ENTIDAD_SENALADO = 1u << 1 /**< "Señalado": "Sí" for marked rows, "No" for the others. */
};

typedef struct obs_table {
    char *id;     /**< Stable identifier ("difusion_entidad"). */
    char *title;  /**< Caption printed above the table. */
    char *sheet;  /**< XLSX sheet name, Spanish, <= 31 characters, unique in the document. */
    char *note;   /**< Optional note printed below (bases of percentages, marks). */
    unsigned targets;
    unsigned entidad_cols; /**< OBS_ENTIDAD_* flags: the rows are entidades (obs_row.clave). */
    size_t ncols;
    obs_column *cols;
    size_t nrows;
    size_t cap_rows;
    obs_row *rows;
} obs_table;

typedef enum obs_chart_kind {
    OBS_CHART_HBAR = 0, /**< Horizontal bars, one bar per category per series. */
    OBS_CHART_COLUMN,   /**< Vertical bars, grouped by category. */
    OBS_CHART_LINE      /**< Lines over categories (e.g. weeks). */
} obs_chart_kind;

/**
 * How a renderer that must draw fewer categories than a chart has (the PDF, for a page's width)
 * merges the earliest ones into one, labelled with through[] of the last one merged.
 */
typedef enum obs_chart_fold {
    OBS_FOLD_NONE = 0, /**< Never merged: every category is drawn (the default). */
    OBS_FOLD_SUM,      /**< Values per period (weekly counts): the merged value is their sum. */
    OBS_FOLD_LAST      /**< Running totals: the merged value is the last merged category's. */
} obs_chart_fold;

/**
 * What a series, a bar or a mark stands for. Each category has one colour, fill pattern and
 * line marker (render.h, obs_palette_swatch()), the same in the PDF and in the XLSX, so that
 * "Mujeres" or "OPL" look alike in every chart of every document, also printed in grayscale.
 */
typedef enum obs_category {
    OBS_CAT_NONE = 0,   /**< No fixed meaning: coloured by the series' position. */
    OBS_CAT_MUJER,
    OBS_CAT_HOMBRE,
    OBS_CAT_NO_BINARIA,
    OBS_CAT_SEXO_NE,    /**< Sexo no especificado. */
    OBS_CAT_JLE,
    OBS_CAT_JDE,
    OBS_CAT_OPL,
    OBS_CAT_SENALADO,   /**< A flagged value (an OPL with low outreach): highlighted bars and rows. */
    OBS_CAT_COUNT
} obs_category;

typedef struct obs_series {
    char *name;
    obs_category category; /**< Its colour (OBS_CAT_NONE: by position). */
    double *values; /**< ncats values. */
} obs_series;

typedef struct obs_chart {
    char *id;
    char *title;
    char *sheet;   /**< XLSX sheet that holds the chart's data and the native chart; NULL = PDF only. */
    char *note;    /**< Optional note printed below. */
    char *x_title; /**< Title of the horizontal axis (the value axis of an HBAR chart), optional. */
    char *y_title; /**< Title of the vertical axis, optional. */
    obs_chart_kind kind;
    size_t ncats;
    char **cats;        /**< Category labels. */
    bool *highlight;    /**< Per category: bars in the alert colour (single-series bar and column
                             charts); elsewhere it only marks the category's row in the data. */
    size_t nseries;
    obs_series *series;
    double height;      /**< Plot height in points for COLUMN and LINE charts in the PDF (0 = default). */
    bool has_threshold;
    double threshold;   /**< Value of a reference line across the chart. */
    char *threshold_label;
    obs_chart_fold fold; /**< Whether and how the earliest categories may be merged (see obs_chart_bounded()). */
    char **through;      /**< With a fold, per category: the label of a category that merges every
                              category up to this one ("hasta el 12 oct 23"); NULL without a fold. */
    char *empty_text;    /**< Set when the chart has no data at all (every value 0): renderers print
                              this sentence ("Sin registros al corte del …") instead of the plot. */
    obs_day *days;       /**< Optional, per category: the day it stands for (a week by its last
                              day), so the XLSX writes real dates; 0 for a category that is not one
                              day; NULL when no category is. */
} obs_chart;

/* ---- Front matter and apparatus: executive summary, contents, acronyms, cartogram ---- */

/** A key figure of the executive summary. */
typedef struct obs_figure {
    char *label;    /**< "Solicitudes recibidas" */
    int64_t value;  /**< At the corte. */
    bool has_prev;  /**< The run has a corte anterior: prev and the change are shown. */
    int64_t prev;   /**< At the corte anterior. */
    char *detail;   /**< Optional line under the figure ("86.1% de las solicitudes recibidas"), or NULL. */
} obs_figure;

/** An OPL named in the executive summary's list of flagged OPLs. */
typedef struct obs_flagged {
    int clave;      /**< 1..32 */
    char *name;     /**< "IEEC (Campeche)" */
    int64_t actions;/**< Its OPL's actions at the corte. */
} obs_flagged;

/**
 * The executive summary (OBS_BLOCK_SUMMARY): key figures, their change since the corte anterior
 * and the flagged OPLs, on exactly one PDF page of its own (the renderer scales it to fit).
 */
typedef struct obs_summary {
    char *title;       /**< Heading and bookmark ("Resumen ejecutivo"). */
    char *sheet;       /**< XLSX sheet, or NULL for the PDF only. */
    char *intro;       /**< Paragraph under the title, or NULL. */
    char *rejected;    /**< The rows rejected from the exports, after the introduction; NULL when none was. */
    char *prev_date;   /**< The corte anterior as printed ("19/01/2024"); NULL without one. */
    size_t nfigures;
    obs_figure *figures;
    char *flag_title;  /**< Heading of the flagged OPLs ("OPL con bajo número de acciones de difusión"). */
    char *flag_rule;   /**< The rule, under the list, or NULL. */
    char *flag_none;   /**< What is said when no OPL is flagged. */
    size_t nflagged;
    obs_flagged *flagged;
    char *closing;     /**< Paragraph at the foot of the page, or NULL. */
} obs_summary;

/** obs_toc_entry.block of an entry that points at its section's heading. */
#define OBS_TOC_HEADING ((size_t)-1)

/** One line of a table of contents. */
typedef struct obs_toc_entry {
    int level;      /**< 0: a section (or the summary); 1: a numbered table, chart or map;
                         -1: a group heading without a page ("Tablas"). */
    char *text;
    size_t section; /**< What it points at: doc->sections[section] … */
    size_t block;   /**< … its block `block`, or OBS_TOC_HEADING for the section's heading. */
} obs_toc_entry;

/** A table of contents (OBS_BLOCK_TOC) on pages of its own; entries by obs_doc_build_toc(). */
typedef struct obs_toc {
    char *title;    /**< "Contenido" */
    bool items;     /**< Also list the numbered tables, charts and maps. */
    size_t nentries;
    obs_toc_entry *entries;
} obs_toc;

/** A list of acronyms (OBS_BLOCK_GLOSSARY): term and meaning, in the template's order. */
typedef struct obs_glossary {
    char *sheet;    /**< XLSX sheet, or NULL for the PDF only. */
    size_t n;
    char **terms;
    char **meanings;
} obs_glossary;

/** One entidad's square in a tile-grid cartogram. */
typedef struct obs_tile {
    int clave;      /**< 1..32 */
    int row, col;   /**< 1-based position in the grid (row 1 at the top). */
    char *label;    /**< Abbreviation drawn on the tile ("Camp."). */
    char *name;     /**< Entidad name, for the XLSX table ("Campeche"). */
    int64_t value;
    bool flagged;   /**< Drawn marked: alert fill, bold border (survives grayscale). */
} obs_tile;

/** A map of the 32 entidades as a tile grid (OBS_BLOCK_TILEMAP), drawn without geometry. */
typedef struct obs_tilemap {
    char *id;
    char *title;
    char *sheet;       /**< XLSX sheet (the grid as cells and the data as a table), or NULL. */
    char *note;
    char *value_label; /**< What the tile's number is ("Acciones de difusión de los OPL"). */
    char *flag_label;  /**< Legend of marked tiles. */
    char *other_label; /**< Legend of the other tiles. */
    int nrows, ncols;  /**< Size of the grid. */
    size_t ntiles;
    obs_tile *tiles;   /**< In clave order. */
} obs_tilemap;

typedef enum obs_block_kind {
    OBS_BLOCK_PARAGRAPH = 0,
    OBS_BLOCK_LIST,
    OBS_BLOCK_TABLE,
    OBS_BLOCK_CHART,
    OBS_BLOCK_PAGEBREAK,
    OBS_BLOCK_SUMMARY,  /**< summary: the executive summary page. */
    OBS_BLOCK_TOC,      /**< toc: the table of contents. */
    OBS_BLOCK_GLOSSARY, /**< glossary: acronyms. */
    OBS_BLOCK_TILEMAP   /**< map: the tile-grid cartogram. */
} obs_block_kind;

typedef enum obs_par_style {
    OBS_PAR_NORMAL = 0, /**< Body text, justified. */
    OBS_PAR_NOTE,       /**< Smaller, e.g. methodological notes. */
    OBS_PAR_STRONG,     /**< Bold body text. */
    OBS_PAR_RIGHT,      /**< Right-aligned (dates, references in letters). */
    OBS_PAR_CENTER,     /**< Centred (signatures). */
    OBS_PAR_HEADING     /**< A subheading inside a section. */
} obs_par_style;

typedef struct obs_block {
    obs_block_kind kind;
    obs_par_style style; /**< PARAGRAPH and LIST. */
    char *text;          /**< PARAGRAPH. */
    size_t nitems;       /**< LIST: bullet items. */
    char **items;
    obs_table *table;    /**< TABLE. */
    obs_chart *chart;    /**< CHART. */
    obs_summary *summary;   /**< SUMMARY. */
    obs_toc *toc;           /**< TOC. */
    obs_glossary *glossary; /**< GLOSSARY. */
    obs_tilemap *map;       /**< TILEMAP. */
} obs_block;

typedef struct obs_section {
    char *title;     /**< Printed as a heading and used as the PDF bookmark. */
    bool new_page;   /**< Start the section on a new page. */
    size_t nblocks;
    size_t cap_blocks;
    obs_block *blocks;
} obs_section;

/** Cover page (OBS_LAYOUT_REPORT) or title block (OBS_LAYOUT_BRIEF). NULL fields are omitted. */
typedef struct obs_cover {
    char *institution; /**< "Instituto Nacional Electoral" */
    char *area;        /**< "Dirección Ejecutiva de Organización Electoral" */
    char *title;       /**< The document's full title. */
    char *subtitle;    /**< "Proceso Electoral Concurrente 2023-2024" */
    char *corte;       /**< "Con corte al 12 de octubre de 2023" */
    char *place_date;  /**< "Ciudad de México, 27 de octubre de 2023" */
    char *logo_path;   /**< Optional PNG or JPEG image. */
} obs_cover;

/** A line of the XLSX "Acerca de" sheet: a heading (value NULL) or a label and its value. */
typedef struct obs_about {
    char *label;
    char *value;
} obs_about;

typedef struct obs_doc {
    obs_layout layout;
    obs_paper paper;
    char *title;    /**< Metadata Title. */
    char *subject;  /**< Metadata Subject. */
    char *author;   /**< Metadata Author. */
    char *creator;  /**< Metadata Creator ("observa 0.1.0"). */
    char *keywords; /**< Metadata Keywords. */
    char *header;   /**< Running header on pages after the cover ("Informe de observación · corte 12/10/2023"). */
    char *lang;     /**< Language the PDF declares (/Lang), "es-MX" by default. */
    int64_t generated_at; /**< Unix time of generation (metadata dates); deterministic. */
    obs_cover cover;
    size_t nsections;
    size_t cap_sections;
    obs_section *sections;
    /** Tables only the XLSX shows, after the sections' tables (e.g. "Métricas"). */
    size_t nextra;
    size_t cap_extra;
    obs_table **extra;
    /** The workbook's "Acerca de" sheet (written first, followed by a data dictionary of every
     * sheet); none when empty. */
    size_t nabout;
    size_t cap_about;
    obs_about *about;
} obs_doc;

/** @brief A new, empty document (layout REPORT, paper Letter). Never NULL. */
obs_doc *obs_doc_new(void);

/** @brief Frees the document and everything it owns. NULL-safe. */
void obs_doc_free(obs_doc *doc);

/** @brief Replaces a string field of the model (frees the old value, copies the new; NULL clears). */
void obs_set_str(char **field, const char *value);

/**
 * @brief Appends a line to the XLSX "Acerca de" sheet: label and value (printf-style), or a
 * heading when fmt is NULL.
 */
void obs_doc_add_about(obs_doc *doc, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** @brief Appends a section. */
obs_section *obs_doc_add_section(obs_doc *doc, const char *title);

/** @brief Appends a paragraph (printf-style, UTF-8). */
obs_block *obs_section_add_paragraph(obs_section *sec, obs_par_style style,
                                     const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** @brief Appends an empty bullet list; fill it with obs_list_add(). */
obs_block *obs_section_add_list(obs_section *sec, obs_par_style style);

/** @brief Appends an item (printf-style) to a LIST block. */
void obs_list_add(obs_block *list, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/** @brief Forces a page break at this point of the PDF. */
void obs_section_add_pagebreak(obs_section *sec);

/**
 * @brief Appends a table with ncols columns (set their headers with
 * obs_table_set_column()). sheet may be NULL for PDF-only tables.
 */
obs_table *obs_section_add_table(obs_section *sec, const char *id,
                                 const char *title, const char *sheet,
                                 size_t ncols);

/** @brief A table shown only in the XLSX (doc->extra). */
obs_table *obs_doc_add_extra_table(obs_doc *doc, const char *id,
                                   const char *title, const char *sheet,
                                   size_t ncols);

/** @brief Sets column i's header, alignment and relative width (0 = automatic). */
void obs_table_set_column(obs_table *t, size_t i, const char *header,
                          obs_align align, double weight);

/** @brief Appends a row of EMPTY cells. */
obs_row *obs_table_add_row(obs_table *t, obs_row_kind kind);

void obs_row_set_text(obs_row *r, size_t col, const char *text);
void obs_row_set_int(obs_row *r, size_t col, int64_t v);
void obs_row_set_pct(obs_row *r, size_t col, int64_t num, int64_t den);
void obs_row_set_delta(obs_row *r, size_t col, int64_t v);
void obs_row_set_dec(obs_row *r, size_t col, double v, int decimals);
/** @brief A date cell: "19/01/2024" in the PDF, a date in the XLSX. */
void obs_row_set_date(obs_row *r, size_t col, obs_day d);
/** @brief ORs flags (OBS_CELL_BOLD, OBS_CELL_MARK) into a cell. */
void obs_row_flag(obs_row *r, size_t col, unsigned flags);

/**
 * @brief Appends a chart with ncats categories and nseries series, values
 * zeroed; fill cats[], series[].name and series[].values[] with the setters.
 */
obs_chart *obs_section_add_chart(obs_section *sec, const char *id,
                                 const char *title, const char *sheet,
                                 obs_chart_kind kind, size_t ncats,
                                 size_t nseries);
void obs_chart_set_cat(obs_chart *c, size_t i, const char *label);
void obs_chart_set_series(obs_chart *c, size_t s, const char *name);
void obs_chart_set_threshold(obs_chart *c, double value, const char *label);
/** @brief Sets what series s stands for (its colour in both renderers). */
void obs_chart_set_series_category(obs_chart *c, size_t s, obs_category category);
/** @brief Category i stands for a day (a week by its last day): the XLSX writes it as a date. */
void obs_chart_set_cat_day(obs_chart *c, size_t i, obs_day day);

/**
 * @brief The chart as drawn with at most max categories: when c has a fold and more than max
 * categories, its first category merges the ncats - max + 1 earliest ones (labelled with the
 * through label of the last of them; the value of each series their sum or the last one's, as
 * the fold says; highlighted if any of them is) and the others are c's own, unchanged.
 * Every other field is copied.
 * @return a new chart to free with obs_chart_free(), or NULL when c is drawn as it is
 * (no fold, max 0, or at most max categories).
 */
obs_chart *obs_chart_bounded(const obs_chart *c, size_t max);

/** @brief Whether every value of the chart's series is a whole number (counts); NaN and
 * infinities are skipped. Both renderers then print and store them as integers. */
bool obs_chart_integral(const obs_chart *c);

/** @brief The range a value axis must show: from min(0, the least value) to max(0, the greatest),
 * the threshold included; NaN and infinities are skipped. This function can't fail. */
void obs_chart_value_range(const obs_chart *c, double *lo, double *hi);

/** About this many steps on a chart's value axis, in both renderers. */
#define OBS_CHART_AXIS_STEPS 5

/**
 * @brief A round step for a value axis from lo to hi with about target steps: 1, 2, 2.5 or 5 times
 * a power of ten. When integral (a chart of counts) the step is a whole number: no tick at 2.5 or
 * 0.5 of a request. Both renderers take their ticks from it, so the PDF and the XLSX agree.
 */
double obs_axis_step(double lo, double hi, int target, bool integral);

/** @brief Whether the chart has nothing to show: no category, no series, or every value zero or
 * missing. Both renderers then show no plot ("Sin registros al corte"). */
bool obs_chart_empty(const obs_chart *c);

/** @brief Frees a chart made by obs_chart_bounded(). NULL-safe. (A document frees its own.) */
void obs_chart_free(obs_chart *c);

/**
 * @brief The text a cell shows in the PDF, with es-MX formatting.
 * @return buf (empty string for EMPTY cells); TEXT cells longer than size are truncated.
 */
const char *obs_cell_format(const obs_cell *c, char *buf, size_t size);

/* ---- Front matter and apparatus ---- */

/** @brief Appends an executive summary; fill it with obs_summary_add_figure() and obs_summary_add_flagged(). */
obs_summary *obs_section_add_summary(obs_section *sec, const char *title, const char *sheet);
/** @brief Appends a key figure (prev is ignored unless has_prev); detail may be NULL. */
void obs_summary_add_figure(obs_summary *s, const char *label, int64_t value, bool has_prev,
                            int64_t prev, const char *detail);
/** @brief Appends a flagged OPL to the summary's list. */
void obs_summary_add_flagged(obs_summary *s, int clave, const char *name, int64_t actions);

/** @brief Appends a table of contents; obs_doc_build_toc() fills it once the document is complete. */
obs_toc *obs_section_add_toc(obs_section *sec, const char *title, bool items);

/**
 * @brief Fills every table of contents of the document: one entry per titled section and per
 * summary, in order, and (when the contents ask for them) the numbered tables, charts and
 * maps, grouped by kind. Call it when the document is complete. This function can't fail.
 */
void obs_doc_build_toc(obs_doc *doc);

/**
 * @brief A plain-text dump of the whole model (for golden tests and debugging).
 * @return a newly allocated string (g_free()).
 */
char *obs_doc_dump(const obs_doc *doc);

#ifdef __cplusplus
}
#endif

#endif /* OBSERVA_MODEL_H */
