/* model_int.h - builders of the report model that only the report's own code calls (the blocks and the
 * template renderer); the renderers and the CLI read the model through observa/model.h. */
#ifndef OBSERVA_MODEL_INTERNAL_H
#define OBSERVA_MODEL_INTERNAL_H

#include <glib.h>

#include "observa/model.h"

/** @brief Describes column i for the XLSX data dictionary ("Acerca de"). */
void obs_table_set_column_description(obs_table *t, size_t i, const char *description);

/** @brief Lets a renderer merge the chart's earliest categories, combined as fold says. */
void obs_chart_set_fold(obs_chart *c, obs_chart_fold fold);
/** @brief With a fold: the label of a category that merges categories 0..i ("hasta el …"). */
void obs_chart_set_through(obs_chart *c, size_t i, const char *label);

/** @brief Appends an empty list of acronyms; fill it with obs_glossary_add(). */
obs_glossary *obs_section_add_glossary(obs_section *sec, const char *sheet);
/** @brief Appends a term and its meaning. */
void obs_glossary_add(obs_glossary *g, const char *term, const char *meaning);

/**
 * @brief Appends a cartogram of an nrows × ncols grid with ntiles tiles, all zeroed; fill
 * tiles[] with obs_tilemap_set_tile().
 */
obs_tilemap *obs_section_add_tilemap(obs_section *sec, const char *id, const char *title,
                                     const char *sheet, int nrows, int ncols, size_t ntiles);
/** @brief Sets tile i (label and name are copied). */
void obs_tilemap_set_tile(obs_tilemap *m, size_t i, int clave, int row, int col,
                          const char *label, const char *name, int64_t value, bool flagged);

/**
 * @brief Numbers the document's tables, charts and maps in reading order ("Tabla 3. …",
 * "Gráfica 2. …", "Mapa 1. …", a counter per kind, only those in sections) and, when source is
 * not NULL, adds it as the last line of each one's note. Both renderers read the result, so
 * the numbers are the same in the PDF and the XLSX.
 * @param labels when not NULL, receives "tabla:ID" → "Tabla 3" (and "grafica:…", "mapa:…")
 *        for each numbered item (g_strdup'ed keys and values; a table created with
 *        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free)). The first item with
 *        an id wins.
 * This function can't fail.
 */
void obs_doc_number(obs_doc *doc, const char *source, GHashTable *labels);

#endif /* OBSERVA_MODEL_INTERNAL_H */
