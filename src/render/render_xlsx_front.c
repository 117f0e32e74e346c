/* render_xlsx_front.c - XLSX sheets of the front matter: executive summary, acronyms, cartogram.
 *
 * Each block becomes an ordinary table sheet (so it has the house formats, widths, filter and
 * print setup) built from the model; the cartogram adds its grid of cells beside the table.
 * The table of contents has no sheet: the workbook's tabs are its contents.
 */
#include <glib.h>

#include "render/render_xlsx_int.h"

/* A table owned by a scratch document (free the document). */
static obs_table *scratch_table(obs_doc **doc, const char *id, const char *title, const char *sheet,
                                size_t ncols)
{
    *doc = obs_doc_new();
    return obs_doc_add_extra_table(*doc, id, title, sheet, ncols);
}

/* Paragraphs of text joined by line breaks, skipping the absent ones. */
static char *join_paragraphs(const char *const *parts, size_t n)
{
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < n; i++)
        if (parts[i] && *parts[i])
            g_string_append_printf(s, "%s%s", s->len ? "\n" : "", parts[i]);
    return g_string_free(s, FALSE);
}

/* The summary's figures as a table; the text (introduction, flagged OPLs, rule) as its note. */
static obs_status summary_sheet(xlsx_ctx *ctx, const obs_summary *s)
{
    bool prev = s->prev_date != NULL;
    obs_doc *scratch;
    obs_table *t = scratch_table(&scratch, "resumen_ejecutivo", s->title, s->sheet, prev ? 5 : 3);
    size_t c = 0;
    obs_table_set_column(t, c++, "Indicador", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(t, c++, "Al corte", OBS_ALIGN_RIGHT, 0);
    char *prev_head = prev ? g_strdup_printf("Corte anterior (%s)", s->prev_date) : NULL;
    if (prev) {
        obs_table_set_column(t, c++, prev_head, OBS_ALIGN_RIGHT, 0);
        obs_table_set_column(t, c++, "Cambio", OBS_ALIGN_RIGHT, 0);
    }
    obs_table_set_column(t, c, "Detalle", OBS_ALIGN_LEFT, 0);
    g_free(prev_head);
    for (size_t i = 0; i < s->nfigures; i++) {
        const obs_figure *f = &s->figures[i];
        obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
        obs_row_set_text(r, 0, f->label);
        obs_row_set_int(r, 1, f->value);
        if (prev) {
            obs_row_set_int(r, 2, f->prev);
            obs_row_set_delta(r, 3, f->value - f->prev);
        }
        obs_row_set_text(r, prev ? 4 : 2, f->detail ? f->detail : "");
    }
    GString *list = g_string_new(NULL);
    for (size_t i = 0; i < s->nflagged; i++) {
        char buf[OBS_FMT_MAX];
        g_string_append_printf(list, "%s%s: %s %s", i ? "; " : "", s->flagged[i].name,
                               obs_fmt_int(buf, sizeof buf, s->flagged[i].actions),
                               s->flagged[i].actions == 1 ? "acción" : "acciones");
    }
    char *flags = s->nflagged ? g_strdup_printf("%s. %s.", s->flag_title ? s->flag_title : "", list->str)
                              : NULL;
    const char *parts[] = {s->intro, s->rejected, flags, s->nflagged ? s->flag_rule : s->flag_none, s->closing};
    t->note = join_paragraphs(parts, G_N_ELEMENTS(parts));
    g_string_free(list, TRUE);
    g_free(flags);
    obs_status st = xlsx_table_sheet(ctx, t, s->sheet);
    obs_doc_free(scratch);
    return st;
}

static obs_status glossary_sheet(xlsx_ctx *ctx, const obs_glossary *g, const char *title)
{
    obs_doc *scratch;
    obs_table *t = scratch_table(&scratch, "siglas", title ? title : g->sheet, g->sheet, 2);
    obs_table_set_column(t, 0, "Sigla", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(t, 1, "Significado", OBS_ALIGN_LEFT, 0);
    for (size_t i = 0; i < g->n; i++) {
        obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
        obs_row_set_text(r, 0, g->terms[i]);
        obs_row_set_text(r, 1, g->meanings[i]);
    }
    obs_status st = xlsx_table_sheet(ctx, t, g->sheet);
    obs_doc_free(scratch);
    return st;
}

/* The cartogram's data, one row per entidad in clave order, with its place in the grid. */
static obs_table *map_table(obs_doc **scratch, const obs_tilemap *m)
{
    obs_table *t = scratch_table(scratch, m->id, m->title, m->sheet, 7);
    const char *heads[] = {"Clave", "Entidad", "Abreviatura", m->value_label ? m->value_label : "Valor",
                           "Señalado", "Fila", "Columna"};
    for (size_t c = 0; c < G_N_ELEMENTS(heads); c++)
        obs_table_set_column(t, c, heads[c], c == 3 || c >= 5 ? OBS_ALIGN_RIGHT : OBS_ALIGN_LEFT, 0);
    for (size_t i = 0; i < m->ntiles; i++) {
        const obs_tile *tile = &m->tiles[i];
        obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
        char clave[8];
        g_snprintf(clave, sizeof clave, "%02d", tile->clave);
        obs_row_set_text(r, 0, clave);
        obs_row_set_text(r, 1, tile->name);
        obs_row_set_text(r, 2, tile->label);
        obs_row_set_int(r, 3, tile->value);
        obs_row_set_text(r, 4, tile->flagged ? "Sí" : "No");
        obs_row_set_int(r, 5, tile->row);
        obs_row_set_int(r, 6, tile->col);
        r->marked = tile->flagged;
    }
    t->note = g_strdup(m->note);
    return t;
}

/* Formats of the grid's cells: [flagged][number]. */
static obs_status tile_formats(xlsx_ctx *ctx, lxw_format *fmt[2][2])
{
    for (int flagged = 0; flagged < 2; flagged++) {
        for (int number = 0; number < 2; number++) {
            lxw_format *f = fmt[flagged][number] = workbook_add_format(ctx->wb);
            if (!f)
                return xlsx_nomem(ctx, "los formatos del mapa");
            format_set_align(f, LXW_ALIGN_CENTER);
            format_set_pattern(f, LXW_PATTERN_SOLID);
            format_set_bg_color(f, flagged ? obs_palette_swatch(OBS_CAT_SENALADO, 0).rgb : COLOR_HEADER_FILL);
            format_set_font_color(f, flagged ? LXW_COLOR_WHITE : LXW_COLOR_BLACK);
            format_set_bold(f);
            /* The bold border marks a flagged tile on a grayscale printout too. */
            format_set_border(f, flagged ? LXW_BORDER_THICK : LXW_BORDER_THIN);
            format_set_border_color(f, flagged ? LXW_COLOR_BLACK : LXW_COLOR_WHITE);
            if (number) {
                format_set_num_format(f, "#,##0");
                format_set_top(f, LXW_BORDER_NONE);
                format_set_font_size(f, 12);
            } else {
                format_set_bottom(f, LXW_BORDER_NONE);
                format_set_font_size(f, 8);
            }
        }
    }
    return OBS_OK;
}

/* The grid beside the table, level with its data rows: each tile two cells (abbreviation,
 * number), then a legend. */
static obs_status map_grid(xlsx_ctx *ctx, lxw_worksheet *ws, const char *sheet, const obs_tilemap *m,
                           lxw_col_t first)
{
    lxw_format *fmt[2][2];
    obs_status st = tile_formats(ctx, fmt);
    if (st != OBS_OK)
        return st;
    TRY(ctx, worksheet_set_column(ws, first, (lxw_col_t)(first + m->ncols - 1), 8.5, NULL), sheet,
        "el ancho de las columnas del mapa");
    for (size_t i = 0; i < m->ntiles; i++) {
        const obs_tile *t = &m->tiles[i];
        if (t->row < 1 || t->col < 1 || t->row > m->nrows || t->col > m->ncols)
            continue;
        lxw_row_t r = (lxw_row_t)(ROW_FIRST_DATA + 2 * (t->row - 1));
        lxw_col_t c = (lxw_col_t)(first + t->col - 1);
        char *label = xlsx_cell_text(t->label);
        lxw_error e = worksheet_write_string(ws, r, c, label, fmt[t->flagged][0]);
        g_free(label);
        TRY(ctx, e, sheet, "un cuadro del mapa");
        TRY(ctx, worksheet_write_number(ws, r + 1, c, (double)t->value, fmt[t->flagged][1]), sheet,
            "un cuadro del mapa");
    }
    lxw_row_t legend = (lxw_row_t)(ROW_FIRST_DATA + 2 * m->nrows + 1);
    const char *texts[] = {m->other_label, m->flag_label};
    for (int i = 0; i < 2; i++) {
        char *t = xlsx_cell_text(texts[i] ? texts[i] : "");
        TRY(ctx, worksheet_write_string(ws, legend + (lxw_row_t)i, first, "", fmt[i][0]), sheet, "la leyenda");
        lxw_error e = worksheet_write_string(ws, legend + (lxw_row_t)i, first + 1, t, NULL);
        g_free(t);
        TRY(ctx, e, sheet, "la leyenda");
    }
    return OBS_OK;
}

static obs_status map_sheet(xlsx_ctx *ctx, const obs_tilemap *m)
{
    obs_doc *scratch;
    obs_table *t = map_table(&scratch, m);
    char *name = xlsx_unique_sheet_name(ctx, m->sheet, m->id);
    lxw_worksheet *ws;
    obs_status st = xlsx_add_sheet(ctx, name, &ws);
    if (st == OBS_OK)
        st = xlsx_write_table(ctx, ws, t, name);
    if (st == OBS_OK)
        st = map_grid(ctx, ws, name, m, (lxw_col_t)(t->ncols + 1));
    g_free(name);
    obs_doc_free(scratch);
    return st;
}

/* Whether a block of the front matter has a sheet of its own. */
bool xlsx_front_has_sheet(const obs_block *b)
{
    switch (b->kind) {
    case OBS_BLOCK_SUMMARY:
        return b->summary->sheet != NULL;
    case OBS_BLOCK_GLOSSARY:
        return b->glossary->sheet != NULL;
    case OBS_BLOCK_TILEMAP:
        return b->map->sheet != NULL;
    default:
        return false;
    }
}

/* The sheet of a front-matter block of section sec (see xlsx_front_has_sheet()). */
obs_status xlsx_front_sheet(xlsx_ctx *ctx, const obs_section *sec, const obs_block *b)
{
    switch (b->kind) {
    case OBS_BLOCK_SUMMARY:
        return summary_sheet(ctx, b->summary);
    case OBS_BLOCK_GLOSSARY:
        return glossary_sheet(ctx, b->glossary, sec->title);
    case OBS_BLOCK_TILEMAP:
        return map_sheet(ctx, b->map);
    default:
        return OBS_OK;
    }
}
