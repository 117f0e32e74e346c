/* report_front.c - builds the informe's front matter and apparatus: executive summary, contents, acronyms,
 * cartogram; reads the cartogram's grid and frees the parsed forms of their directives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/tpl_int.h"

/* ---- Parsed forms ------------------------------------------------------------------------ */

void tpl_summary_free(tpl_summary *s)
{
    if (!s)
        return;
    tpl_text *texts[] = {s->title, s->intro, s->flag_title, s->flag_rule, s->flag_none,
                         s->flag_no_actions, s->rejected, s->closing};
    for (size_t i = 0; i < G_N_ELEMENTS(texts); i++)
        tpl_text_free(texts[i]);
    for (guint i = 0; s->figures && i < s->figures->len; i++) {
        tpl_figure *f = s->figures->pdata[i];
        tpl_text_free(f->label);
        tpl_text_free(f->detail);
        g_free(f);
    }
    if (s->figures)
        g_ptr_array_unref(s->figures);
    g_free(s->sheet);
    g_free(s);
}

void tpl_toc_free(tpl_toc *t)
{
    if (!t)
        return;
    tpl_text_free(t->title);
    g_free(t);
}

void tpl_glossary_free(tpl_glossary *g)
{
    if (!g)
        return;
    g_ptr_array_unref(g->terms);
    g_ptr_array_unref(g->meanings);
    g_free(g->sheet);
    g_free(g);
}

void tpl_map_free(tpl_map *m)
{
    if (!m)
        return;
    tpl_text *texts[] = {m->title, m->note, m->value_label, m->flag_label, m->other_label};
    for (size_t i = 0; i < G_N_ELEMENTS(texts); i++)
        tpl_text_free(texts[i]);
    g_free(m->id);
    g_free(m->sheet);
    g_free(m);
}

/* ---- The grid of the cartogram (catalogos/mapa.csv) ---------------------------------------- */

#define GRID_MAX 20

/* A decimal integer 1..max filling the whole field; -1 otherwise. */
static int grid_int(const char *s, int max)
{
    char *t = g_strstrip(g_strdup(s));
    int v = -1;
    if (*t && strlen(t) <= 3 && strspn(t, "0123456789") == strlen(t)) {
        v = atoi(t);
        if (v < 1 || v > max)
            v = -1;
    }
    g_free(t);
    return v;
}

/* Records an error of mapa.csv at a line; evaluates to false. */
#define GRID_FAIL(err, path, line, ...) \
    (obs_error_set((err), OBS_ERR_CONFIG, (path), (line), 0, __VA_ARGS__) == OBS_OK)

/* One data line "clave,fila,columna" into grid; taken[] holds the clave on each square. */
static bool grid_line(const char *path, size_t ln, const char *l, tpl_grid *grid,
                      int taken[GRID_MAX][GRID_MAX], obs_error *err)
{
    char **f = g_strsplit(l, ",", -1);
    bool ok = false;
    int clave = -1, row = -1, col = -1;
    if (g_strv_length(f) != 3) {
        ok = GRID_FAIL(err, path, ln, "cada línea es «clave,fila,columna»: «%s»", l);
    } else if ((clave = grid_int(f[0], OBS_ENTIDADES)) < 0) {
        ok = GRID_FAIL(err, path, ln, "clave de entidad no válida «%s» (de 01 a 32)", g_strstrip(f[0]));
    } else if ((row = grid_int(f[1], GRID_MAX)) < 0 || (col = grid_int(f[2], GRID_MAX)) < 0) {
        ok = GRID_FAIL(err, path, ln, "fila y columna son números de 1 a %d: «%s»", GRID_MAX, l);
    } else if (grid->row[clave]) {
        ok = GRID_FAIL(err, path, ln, "la clave %02d ya tiene lugar en el mapa", clave);
    } else if (taken[row - 1][col - 1]) {
        ok = GRID_FAIL(err, path, ln, "la fila %d, columna %d ya es de la clave %02d", row, col,
                       taken[row - 1][col - 1]);
    } else {
        grid->row[clave] = row;
        grid->col[clave] = col;
        taken[row - 1][col - 1] = clave;
        grid->nrows = MAX(grid->nrows, row);
        grid->ncols = MAX(grid->ncols, col);
        ok = true;
    }
    g_strfreev(f);
    return ok;
}

static bool grid_parse(const char *path, char *text, tpl_grid *grid, obs_error *err)
{
    int taken[GRID_MAX][GRID_MAX] = {{0}};
    bool header = false, ok = true;
    size_t last = 0; /* the last line with text: where a missing clave is reported */
    char *body = g_str_has_prefix(text, "\xEF\xBB\xBF") ? text + 3 : text; /* saved by Notepad */
    char **lines = g_strsplit(body, "\n", -1);
    for (size_t i = 0; ok && lines[i]; i++) {
        char *l = g_strstrip(lines[i]);
        if (!*l || l[0] == '#')
            continue;
        last = i + 1;
        if (!header) {
            char *h = g_ascii_strdown(l, -1);
            g_strdelimit(h, " ", ',');
            header = true;
            if (strcmp(h, "clave,fila,columna") != 0)
                ok = GRID_FAIL(err, path, i + 1, "la primera línea debe ser «clave,fila,columna», no «%s»", l);
            g_free(h);
            continue;
        }
        ok = grid_line(path, i + 1, l, grid, taken, err);
    }
    g_strfreev(lines);
    for (int c = 1; ok && c <= OBS_ENTIDADES; c++)
        if (!grid->row[c])
            ok = GRID_FAIL(err, path, last, "falta la clave %02d: el mapa lleva las 32 entidades", c);
    return ok;
}

bool tpl_grid_load(const char *dir, tpl_grid *grid, obs_error *err)
{
    memset(grid, 0, sizeof *grid);
    char *path = g_build_filename(dir ? dir : ".", "catalogos", "mapa.csv", NULL);
    char *text = NULL;
    GError *gerr = NULL;
    bool ok;
    if (!g_file_get_contents(path, &text, NULL, &gerr)) {
        ok = GRID_FAIL(err, path, 0, "no se puede leer la posición de las entidades en el mapa: %s; "
                                     "revise --plantillas", gerr->message);
        g_error_free(gerr);
    } else if (!g_utf8_validate(text, -1, NULL)) {
        ok = GRID_FAIL(err, path, 0, "el archivo debe estar en UTF-8");
    } else {
        ok = grid_parse(path, text, grid, err);
    }
    g_free(text);
    g_free(path);
    return ok;
}

/* ---- Builders --------------------------------------------------------------------------- */

/* Renders a parsed text into a model field (NULL stays NULL). */
static void set_text(char **field, const tpl_text *text, const obs_template_ctx *ctx)
{
    g_free(*field);
    *field = text ? tpl_render_text(text, ctx) : NULL;
}

void block_summary(const obs_template_ctx *ctx, obs_section *sec, const tpl_summary *t)
{
    char *title = t->title ? tpl_render_text(t->title, ctx) : NULL;
    obs_summary *s = obs_section_add_summary(sec, title, t->sheet);
    g_free(title);
    bool prev = ctx_has_prev(ctx);
    if (prev) {
        char buf[OBS_FMT_MAX];
        s->prev_date = g_strdup(obs_fmt_fecha_corta(buf, sizeof buf, ctx->run->corte_anterior));
    }
    set_text(&s->intro, t->intro, ctx);
    set_text(&s->rejected, any_rechazos(ctx) ? t->rejected : NULL, ctx);
    for (guint i = 0; i < t->figures->len; i++) {
        const tpl_figure *f = t->figures->pdata[i];
        char *label = tpl_render_text(f->label, ctx);
        char *detail = f->detail ? tpl_render_text(f->detail, ctx) : NULL;
        obs_summary_add_figure(s, label, mexpr_eval(&f->e, ctx, AT_NOW), prev,
                               prev ? mexpr_eval(&f->e, ctx, AT_PREV) : 0, detail);
        g_free(label);
        g_free(detail);
    }
    set_text(&s->flag_title, t->flag_title, ctx);
    set_text(&s->flag_rule, t->flag_rule, ctx);
    bool no_actions = ctx->run->actual->sin_acciones && t->flag_no_actions;
    set_text(&s->flag_none, no_actions ? t->flag_no_actions : t->flag_none, ctx);
    set_text(&s->closing, t->closing, ctx);
    for (int e = 1; e <= OBS_ENTIDADES; e++) {
        if (!obs_snapshot_bajo(ctx->run->actual, e))
            continue;
        const obs_entidad *ent = obs_catalog_entidad(ctx->run->cat, e);
        char *name = g_strdup_printf("%s (%s)", ent->opl_etiqueta, ent->nombre);
        obs_summary_add_flagged(s, e, name, opl_actions(ctx, e));
        g_free(name);
    }
}

void block_toc(const obs_template_ctx *ctx, obs_section *sec, const tpl_toc *t)
{
    char *title = t->title ? tpl_render_text(t->title, ctx) : NULL;
    obs_section_add_toc(sec, title, t->items);
    g_free(title);
}

void block_glossary(obs_section *sec, const tpl_glossary *g)
{
    obs_glossary *out = obs_section_add_glossary(sec, g->sheet);
    for (guint i = 0; i < g->terms->len; i++)
        obs_glossary_add(out, g->terms->pdata[i], g->meanings->pdata[i]);
}

/* The abbreviation drawn on a tile: the catalogue's, or the short name when it has none. */
static const char *tile_label(const obs_entidad *ent)
{
    return ent->abreviatura && *ent->abreviatura ? ent->abreviatura : ent->nombre;
}

void block_map(const obs_template_ctx *ctx, obs_section *sec, const tpl_map *t)
{
    char *title = t->title ? tpl_render_text(t->title, ctx) : NULL;
    obs_tilemap *m = obs_section_add_tilemap(sec, t->id, title, t->sheet, t->grid.nrows,
                                             t->grid.ncols, OBS_ENTIDADES);
    g_free(title);
    set_text(&m->note, t->note, ctx);
    set_text(&m->value_label, t->value_label, ctx);
    set_text(&m->flag_label, t->flag_label, ctx);
    set_text(&m->other_label, t->other_label, ctx);
    for (int e = 1; e <= OBS_ENTIDADES; e++) {
        obs_template_ctx one = *ctx;
        one.entidad = e;
        const obs_entidad *ent = obs_catalog_entidad(ctx->run->cat, e);
        obs_tilemap_set_tile(m, (size_t)(e - 1), e, t->grid.row[e], t->grid.col[e], tile_label(ent),
                             ent->nombre, mexpr_eval(&t->value, &one, AT_NOW),
                             obs_snapshot_bajo(ctx->run->actual, e));
    }
}
