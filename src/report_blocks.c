/* report_blocks.c - the tables, charts and lists that templates place: built from a run's metrics. */
#include <glib.h>
#include <string.h>

#include "tpl_internal.h"

/* Mexico City has kept UTC-6 all year since October 2022. */
#define MX_UTC_OFFSET (-6 * 3600)

obs_day obs_day_from_unix(int64_t t)
{
    int64_t local = t + MX_UTC_OFFSET;
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    /* 1970-01-01 is Julian day 719163 in GLib's numbering (0001-01-01 = 1). */
    return (obs_day)(719163 + days);
}

static const obs_entidad *entidad(const obs_template_ctx *ctx, int e)
{
    return obs_catalog_entidad(ctx->run->cat, e);
}

static int64_t val(const obs_snapshot *s, int e, size_t m)
{
    return s ? obs_snapshot_get(s, e, m) : 0;
}

/* The template's title, or a default; the sheet, or the title (the XLSX renderer shortens it). */
static const char *or_default(const char *given, const char *dflt)
{
    return given && *given ? given : dflt;
}

/* ---- @tabla entidades ----------------------------------------------------------------------------- */

/* Whether a column of @tabla entidades is shown: changes need a corte anterior, and a
 * "columna?" is shown only when its national value is not zero. */
static bool colx_shown(const tpl_column *c, const obs_template_ctx *ctx)
{
    if ((c->kind == COLX_PREVIOUS || c->kind == COLX_CHANGE) && !ctx_has_prev(ctx))
        return false;
    if (c->omit_zero) {
        obs_template_ctx national = *ctx;
        national.entidad = 0;
        return mexpr_eval(&c->a, &national, c->kind == COLX_PREVIOUS ? AT_PREV : AT_NOW) != 0;
    }
    return true;
}

static void fill_colx(obs_row *row, size_t col, const tpl_column *c, const obs_template_ctx *ctx)
{
    switch ((colx_kind)c->kind) {
    case COLX_VALUE:
        obs_row_set_int(row, col, mexpr_eval(&c->a, ctx, AT_NOW));
        break;
    case COLX_PREVIOUS:
        obs_row_set_int(row, col, mexpr_eval(&c->a, ctx, AT_PREV));
        break;
    case COLX_CHANGE:
        obs_row_set_delta(row, col, mexpr_eval(&c->a, ctx, AT_NOW) - mexpr_eval(&c->a, ctx, AT_PREV));
        break;
    case COLX_PCT:
        obs_row_set_pct(row, col, mexpr_eval(&c->a, ctx, AT_NOW), mexpr_eval(&c->b, ctx, AT_NOW));
        break;
    }
}

static void table_entidades(const obs_template_ctx *ctx, obs_section *sec, const tpl_table *t,
                            const char *title, const char *note)
{
    size_t ncols = 1;
    for (guint i = 0; i < t->columns->len; i++)
        ncols += colx_shown(t->columns->pdata[i], ctx);
    obs_table *tab = obs_section_add_table(sec, t->id, or_default(title, "Por entidad"),
                                           or_default(t->sheet, or_default(title, "Por entidad")), ncols);
    obs_table_set_column(tab, 0, "Entidad", OBS_ALIGN_LEFT, 0);
    size_t col = 1;
    for (guint i = 0; i < t->columns->len; i++) {
        const tpl_column *c = t->columns->pdata[i];
        if (colx_shown(c, ctx)) {
            char *h = tpl_render_text(c->header_text, ctx);
            obs_table_set_column(tab, col++, h, OBS_ALIGN_RIGHT, 0);
            g_free(h);
        }
    }
    /* The clave and the flag are the row's, not part of the name: each renderer shows them. */
    tab->entidad_cols = OBS_ENTIDAD_CLAVE | (t->mark_bajo ? OBS_ENTIDAD_SENALADO : 0);
    obs_template_ctx scope = *ctx;
    for (int e = 0; e <= OBS_ENTIDADES; e++) {
        /* Entidades in clave order, then the national total. */
        int which = e < OBS_ENTIDADES ? e + 1 : 0;
        scope.entidad = which;
        obs_row *row = obs_table_add_row(tab, which ? OBS_ROW_DATA : OBS_ROW_TOTAL);
        row->clave = which;
        row->marked = which && t->mark_bajo && obs_snapshot_bajo(ctx->run->actual, which);
        obs_row_set_text(row, 0, which ? entidad(ctx, which)->nombre : "Total nacional");
        col = 1;
        for (guint i = 0; i < t->columns->len; i++) {
            const tpl_column *c = t->columns->pdata[i];
            if (colx_shown(c, ctx))
                fill_colx(row, col++, c, &scope);
        }
    }
    obs_set_str(&tab->note, note);
}

/* ---- @tabla indicadores --------------------------------------------------------------------------- */

static bool coli_needs_prev(const tpl_column *c)
{
    return c->kind == COLI_PREVIOUS || c->kind == COLI_CHANGE;
}

static void table_indicadores(const obs_template_ctx *ctx, obs_section *sec, const tpl_table *t,
                              const char *title, const char *note)
{
    bool prev = ctx_has_prev(ctx);
    size_t ncols = 0;
    for (guint i = 0; i < t->columns->len; i++)
        ncols += prev || !coli_needs_prev(t->columns->pdata[i]);
    obs_table *tab = obs_section_add_table(sec, t->id, or_default(title, "Indicadores"),
                                           or_default(t->sheet, or_default(title, "Indicadores")), ncols);
    size_t col = 0;
    for (guint i = 0; i < t->columns->len; i++) {
        const tpl_column *c = t->columns->pdata[i];
        if (!prev && coli_needs_prev(c))
            continue;
        char *h = tpl_render_text(c->header_text, ctx);
        obs_table_set_column(tab, col++, h, c->kind == COLI_LABEL ? OBS_ALIGN_LEFT : OBS_ALIGN_RIGHT,
                             c->kind == COLI_LABEL ? 3 : 1);
        g_free(h);
    }
    for (guint r = 0; r < t->rows->len; r++) {
        const tpl_row *tr = t->rows->pdata[r];
        int64_t v = mexpr_eval(&tr->e, ctx, AT_NOW);
        if (tr->omit_zero && v == 0)
            continue;
        obs_row *row = obs_table_add_row(tab, tr->total ? OBS_ROW_TOTAL : OBS_ROW_DATA);
        col = 0;
        for (guint i = 0; i < t->columns->len; i++) {
            const tpl_column *c = t->columns->pdata[i];
            if (!prev && coli_needs_prev(c))
                continue;
            switch ((coli_kind)c->kind) {
            case COLI_LABEL: {
                char *label = tpl_render_text(tr->label_text, ctx);
                obs_row_set_text(row, col, label);
                g_free(label);
                break;
            }
            case COLI_VALUE:
                obs_row_set_int(row, col, v);
                break;
            case COLI_PREVIOUS:
                obs_row_set_int(row, col, mexpr_eval(&tr->e, ctx, AT_PREV));
                break;
            case COLI_CHANGE:
                obs_row_set_delta(row, col, v - mexpr_eval(&tr->e, ctx, AT_PREV));
                break;
            case COLI_PCT:
                obs_row_set_pct(row, col, v, mexpr_eval(&t->base, ctx, AT_NOW));
                break;
            case COLI_NATIONAL:
                obs_row_set_int(row, col, mexpr_eval(&tr->e, ctx, AT_NATIONAL));
                break;
            case COLI_PCT_NATIONAL:
                obs_row_set_pct(row, col, v, mexpr_eval(&tr->e, ctx, AT_NATIONAL));
                break;
            }
            col++;
        }
    }
    obs_set_str(&tab->note, note);
}

/* ---- fixed tables --------------------------------------------------------------------------------- */

static void table_tipos(const obs_template_ctx *ctx, obs_section *sec, const tpl_table *t,
                        const char *title, const char *note)
{
    const obs_snapshot *now = ctx->run->actual;
    int e = ctx->entidad;
    const char *ttl = or_default(title, "Acciones de difusión por tipo de acción");
    obs_table *tab = obs_section_add_table(sec, t->id, ttl, or_default(t->sheet, ttl), 5);
    obs_table_set_column(tab, 0, "Tipo de acción", OBS_ALIGN_LEFT, 3);
    obs_table_set_column(tab, 1, "Juntas del INE", OBS_ALIGN_RIGHT, 1);
    obs_table_set_column(tab, 2, "OPL", OBS_ALIGN_RIGHT, 1);
    obs_table_set_column(tab, 3, "Total", OBS_ALIGN_RIGHT, 1);
    obs_table_set_column(tab, 4, "% del total de acciones", OBS_ALIGN_RIGHT, 1);
    int64_t total = val(now, e, OBS_M_DIF_TOTAL);
    for (size_t i = 0; i < obs_catalog_tipo_count(ctx->run->cat); i++) {
        int64_t all = val(now, e, OBS_M_DIF_TIPO + i);
        int64_t opl = val(now, e, obs_cube_slot_tipo_opl(ctx->run->cube, i));
        if (t->skip_zero && all == 0)
            continue;
        obs_row *r = obs_table_add_row(tab, OBS_ROW_DATA);
        obs_row_set_text(r, 0, obs_catalog_tipo_etiqueta(ctx->run->cat, i));
        obs_row_set_int(r, 1, all - opl);
        obs_row_set_int(r, 2, opl);
        obs_row_set_int(r, 3, all);
        obs_row_set_pct(r, 4, all, total);
    }
    obs_row *r = obs_table_add_row(tab, OBS_ROW_TOTAL);
    obs_row_set_text(r, 0, "Total");
    obs_row_set_int(r, 1, val(now, e, OBS_M_DIF_INE));
    obs_row_set_int(r, 2, val(now, e, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL));
    obs_row_set_int(r, 3, total);
    obs_row_set_pct(r, 4, total, total);
    obs_set_str(&tab->note, note);
}

static void table_causas(const obs_template_ctx *ctx, obs_section *sec, const tpl_table *t,
                         const char *title, const char *note)
{
    obs_causa *causas = g_new(obs_causa, (size_t)t->max);
    size_t nc = obs_cube_top_causas(ctx->run->cube, causas, (size_t)t->max);
    int64_t imp = val(ctx->run->actual, 0, OBS_M_IMPROCEDENTES);
    const char *ttl = or_default(title, "Causas de improcedencia más frecuentes");
    obs_table *tab = obs_section_add_table(sec, t->id, ttl, or_default(t->sheet, ttl), 3);
    obs_table_set_column(tab, 0, "Causa", OBS_ALIGN_LEFT, 4);
    obs_table_set_column(tab, 1, "Solicitudes", OBS_ALIGN_RIGHT, 1);
    obs_table_set_column(tab, 2, "% de las improcedentes", OBS_ALIGN_RIGHT, 1);
    for (size_t i = 0; i < nc; i++) {
        obs_row *q = obs_table_add_row(tab, OBS_ROW_DATA);
        obs_row_set_text(q, 0, causas[i].causa);
        obs_row_set_int(q, 1, causas[i].count);
        obs_row_set_pct(q, 2, causas[i].count, imp);
    }
    if (nc == 0)
        obs_row_set_text(obs_table_add_row(tab, OBS_ROW_DATA), 0, "No hay solicitudes improcedentes al corte");
    obs_set_str(&tab->note, note);
    g_free(causas);
}

static void table_opl_bajo(const obs_template_ctx *ctx, obs_section *sec, const tpl_table *t,
                           const char *title, const char *note)
{
    const obs_snapshot *now = ctx->run->actual;
    bool prev = ctx_has_prev(ctx);
    const char *ttl = or_default(title, "OPL con bajo número de acciones de difusión");
    obs_table *tab = obs_section_add_table(sec, t->id, ttl, or_default(t->sheet, ttl), prev ? 6 : 5);
    obs_table_set_column(tab, 0, "OPL", OBS_ALIGN_LEFT, 3);
    obs_table_set_column(tab, 1, "Entidad", OBS_ALIGN_LEFT, 2);
    obs_table_set_column(tab, 2, "Acciones del OPL", OBS_ALIGN_RIGHT, 1);
    obs_table_set_column(tab, 3, "Umbral", OBS_ALIGN_RIGHT, 1);
    obs_table_set_column(tab, 4, "Mediana nacional", OBS_ALIGN_RIGHT, 1);
    if (prev)
        obs_table_set_column(tab, 5, "Acciones al corte anterior", OBS_ALIGN_RIGHT, 1);
    tab->entidad_cols = now->nbajo > 0 ? OBS_ENTIDAD_CLAVE : 0;
    for (int e = 1; e <= OBS_ENTIDADES; e++) {
        if (!obs_snapshot_bajo(now, e))
            continue;
        obs_row *r = obs_table_add_row(tab, OBS_ROW_DATA);
        r->clave = e;
        obs_row_set_text(r, 0, entidad(ctx, e)->opl_nombre);
        obs_row_set_text(r, 1, entidad(ctx, e)->nombre);
        obs_row_set_int(r, 2, val(now, e, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL));
        obs_row_flag(r, 2, OBS_CELL_MARK);
        obs_row_set_dec(r, 3, now->umbral, 2);
        obs_row_set_dec(r, 4, now->mediana, 2);
        if (prev)
            obs_row_set_int(r, 5, val(ctx->run->anterior, e, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL));
    }
    if (now->nbajo == 0)
        obs_row_set_text(obs_table_add_row(tab, OBS_ROW_DATA), 0, "Ningún OPL está por debajo del umbral");
    obs_set_str(&tab->note, note);
}

/* ---- control totals: @tabla control, @tabla motivos, @lista fuentes -------------------------------- */

static const char *const export_names[OBS_FILE_KIND_COUNT] = {"Solicitudes", "Difusión"};

/* How the report names an input file: its base name, or "carpeta/nombre" when another input of
 * the run has the same base name (monthly exports in folders of their own, all solicitudes.csv). */
static char *input_label(const obs_run *run, const char *path)
{
    char *base = g_path_get_basename(path);
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++) {
        for (size_t i = 0; i < run->exports[k].nfiles; i++) {
            const char *other = run->exports[k].files[i].path;
            char *ob = other != path ? g_path_get_basename(other) : NULL;
            bool clash = ob && strcmp(ob, base) == 0;
            g_free(ob);
            if (clash) {
                char *dir = g_path_get_dirname(path), *parent = g_path_get_basename(dir);
                char *label = g_build_filename(parent, base, NULL);
                g_free(parent);
                g_free(dir);
                g_free(base);
                return label;
            }
        }
    }
    return base;
}

static void control_row(obs_table *tab, obs_row_kind kind, const char *label, const obs_file_stats *f)
{
    const uint64_t v[] = {f->leidas, f->aceptadas, f->rechazadas, f->con_avisos,
                          f->en_corte, f->posteriores, f->vacias};
    obs_row *r = obs_table_add_row(tab, kind);
    obs_row_set_text(r, 0, label);
    for (size_t i = 0; i < G_N_ELEMENTS(v); i++)
        obs_row_set_int(r, i + 1, (int64_t)v[i]);
}

/* One row per file; each export ends with a total row that holds its figures (with one file,
 * the file's own row). Rows rather than columns per file: any number of files fits the page. */
static void table_control(const obs_template_ctx *ctx, obs_section *sec, const tpl_table *t,
                          const char *title, const char *note)
{
    static const char *const heads[] = {"Archivo", "Filas leídas", "Aceptadas", "Rechazadas", "Con avisos",
                                        "En el corte", "Posteriores al corte", "Filas vacías"};
    const char *ttl = or_default(title, "Totales de control de los archivos leídos");
    obs_table *tab = obs_section_add_table(sec, t->id, ttl, or_default(t->sheet, "Control"), G_N_ELEMENTS(heads));
    for (size_t c = 0; c < G_N_ELEMENTS(heads); c++)
        obs_table_set_column(tab, c, heads[c], c ? OBS_ALIGN_RIGHT : OBS_ALIGN_LEFT, 0);
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++) {
        const obs_export *ex = &ctx->run->exports[k];
        for (size_t i = 0; i < ex->nfiles; i++) {
            char *name = input_label(ctx->run, ex->files[i].path);
            char *label = g_strdup_printf("%s: %s", export_names[k], name);
            control_row(tab, ex->nfiles == 1 ? OBS_ROW_TOTAL : OBS_ROW_DATA, label, &ex->files[i]);
            g_free(label);
            g_free(name);
        }
        if (ex->nfiles > 1) {
            char *label = g_strdup_printf("%s: total de %zu archivos", export_names[k], ex->nfiles);
            control_row(tab, OBS_ROW_TOTAL, label, &ex->total);
            g_free(label);
        }
    }
    obs_set_str(&tab->note, note);
}

/* Problems by reason, per export (all its files together). */
static void table_motivos(const obs_template_ctx *ctx, obs_section *sec, const tpl_table *t,
                          const char *title, const char *note)
{
    const char *ttl = or_default(title, "Problemas encontrados, por motivo");
    obs_table *tab = obs_section_add_table(sec, t->id, ttl, or_default(t->sheet, "Problemas por motivo"), 3);
    obs_table_set_column(tab, 0, "Motivo", OBS_ALIGN_LEFT, 0);
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++)
        obs_table_set_column(tab, (size_t)k + 1, export_names[k], OBS_ALIGN_RIGHT, 0);
    const obs_export *ex = ctx->run->exports;
    for (int reason = 0; reason < OBS_REASON_COUNT; reason++) {
        uint64_t a = ex[0].total.por_motivo[reason], b = ex[1].total.por_motivo[reason];
        if (a + b == 0)
            continue;
        char *label = g_strdup_printf("%s: %s",
                                      obs_reason_level((obs_reason)reason) == OBS_LEVEL_ERROR ? "Error" : "Aviso",
                                      obs_reason_label((obs_reason)reason));
        obs_row *r = obs_table_add_row(tab, OBS_ROW_DATA);
        obs_row_set_text(r, 0, label);
        g_free(label);
        obs_row_set_int(r, 1, (int64_t)a);
        obs_row_set_int(r, 2, (int64_t)b);
    }
    if (tab->nrows == 0)
        obs_row_set_text(obs_table_add_row(tab, OBS_ROW_DATA), 0, "Ningún problema en los archivos leídos");
    obs_set_str(&tab->note, note);
}

/* One item per file, and per export with several files one for all of them. */
void block_list_fuentes(const obs_template_ctx *ctx, obs_section *sec, obs_par_style style)
{
    obs_block *list = obs_section_add_list(sec, style);
    char a[OBS_FMT_MAX], b[OBS_FMT_MAX], v[OBS_FMT_MAX];
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++) {
        const obs_export *ex = &ctx->run->exports[k];
        for (size_t i = 0; i < ex->nfiles; i++) {
            const obs_file_stats *f = &ex->files[i];
            char *name = input_label(ctx->run, f->path);
            char blank[OBS_FMT_MAX + 32] = "";
            if (f->vacias)
                g_snprintf(blank, sizeof blank, f->vacias == 1 ? " (y %s fila vacía)" : " (y %s filas vacías)",
                           obs_fmt_int(v, sizeof v, (int64_t)f->vacias));
            obs_list_add(list, "%s, %s: %s filas de datos%s, %s bytes, codificación %s, SHA-256 %.16s…",
                         export_names[k], name, obs_fmt_int(a, sizeof a, (int64_t)f->leidas), blank,
                         obs_fmt_int(b, sizeof b, (int64_t)f->bytes),
                         f->encoding == OBS_ENC_CP1252 ? "Windows-1252" : "UTF-8", f->sha256);
            g_free(name);
        }
        if (ex->nfiles > 1)
            obs_list_add(list, "%s, los %zu archivos como una sola exportación: %s filas de datos, %s bytes",
                         export_names[k], ex->nfiles, obs_fmt_int(a, sizeof a, (int64_t)ex->total.leidas),
                         obs_fmt_int(b, sizeof b, (int64_t)ex->total.bytes));
    }
}

void block_table(const obs_template_ctx *ctx, obs_section *sec, const tpl_table *t,
                 const char *title, const char *note)
{
    switch (t->type) {
    case TT_ENTIDADES:
        table_entidades(ctx, sec, t, title, note);
        break;
    case TT_INDICADORES:
        table_indicadores(ctx, sec, t, title, note);
        break;
    case TT_TIPOS_DIFUSION:
        table_tipos(ctx, sec, t, title, note);
        break;
    case TT_CAUSAS:
        table_causas(ctx, sec, t, title, note);
        break;
    case TT_OPL_BAJO:
        table_opl_bajo(ctx, sec, t, title, note);
        break;
    case TT_CONTROL:
        table_control(ctx, sec, t, title, note);
        break;
    case TT_MOTIVOS:
        table_motivos(ctx, sec, t, title, note);
        break;
    }
}

/* ---- charts --------------------------------------------------------------------------------------- */

static int cmp_opl_desc(const void *x, const void *y, void *ud)
{
    const obs_snapshot *s = ud;
    int a = *(const int *)x, b = *(const int *)y;
    int64_t va = obs_snapshot_get(s, a, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL);
    int64_t vb = obs_snapshot_get(s, b, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL);
    if (va != vb)
        return va < vb ? 1 : -1;
    return a - b;
}

static void chart_opl_entidad(const obs_template_ctx *ctx, obs_section *sec, const tpl_chart *t,
                              const char *title, const char *note)
{
    const obs_snapshot *now = ctx->run->actual;
    int order[OBS_ENTIDADES];
    for (int i = 0; i < OBS_ENTIDADES; i++)
        order[i] = i + 1;
    /* Sorted by value, most actions first; ties in clave order. */
    g_qsort_with_data(order, OBS_ENTIDADES, sizeof(int), cmp_opl_desc, (gpointer)now);
    const char *ttl = or_default(title, "Acciones de difusión de los OPL por entidad");
    obs_chart *ch = obs_section_add_chart(sec, t->id, ttl, or_default(t->sheet, "Gráfica OPL"),
                                          OBS_CHART_HBAR, OBS_ENTIDADES, 1);
    obs_chart_set_series(ch, 0, "Acciones de los OPL");
    obs_chart_set_series_category(ch, 0, OBS_CAT_OPL);
    for (int i = 0; i < OBS_ENTIDADES; i++) {
        int e = order[i];
        char *label = g_strdup_printf("%s (%s)", entidad(ctx, e)->nombre, entidad(ctx, e)->opl_etiqueta);
        obs_chart_set_cat(ch, (size_t)i, label);
        g_free(label);
        ch->series[0].values[i] = (double)val(now, e, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL);
        ch->highlight[i] = obs_snapshot_bajo(now, e);
    }
    char buf[OBS_FMT_MAX];
    char *thr = g_strdup_printf("Umbral: %s", obs_fmt_dec(buf, sizeof buf, now->umbral, 2));
    obs_chart_set_threshold(ch, now->umbral, thr);
    g_free(thr);
    obs_set_str(&ch->x_title, or_default(t->x_title, "Acciones registradas"));
    obs_set_str(&ch->y_title, t->y_title);
    obs_set_str(&ch->note, note);
}

/*
 * Weekly cut-offs ending on the corte, back to the week that holds the first day with data: every
 * week, none left out (the cube keeps no day older than about ten years before the corte, so
 * there are at most some 520). Returns a new array of *n ascending days.
 */
static obs_day *weekly_cuts(const obs_template_ctx *ctx, size_t *n)
{
    obs_day first = obs_cube_first_day(ctx->run->cube);
    obs_day corte = ctx->run->corte;
    if (first == OBS_DAY_NONE || first > corte)
        first = corte;
    size_t weeks = (size_t)((corte - first) / 7) + 1;
    obs_day *cuts = g_new(obs_day, weeks);
    for (size_t i = 0; i < weeks; i++)
        cuts[i] = corte - (obs_day)(7 * (weeks - 1 - i));
    *n = weeks;
    return cuts;
}

/* A week's category, "12 oct 23" (the day it ends: the year keeps labels apart across years),
 * and the label of a bar that holds everything up to that day, "hasta el 12 oct 23". */
static void week_labels(obs_chart *ch, size_t i, obs_day end, bool up_to)
{
    int y, m, d;
    obs_day_to_ymd(end, &y, &m, &d);
    char label[32], through[48];
    g_snprintf(label, sizeof label, "%d %s %02d", d, obs_mes_abrev(m), y % 100);
    g_snprintf(through, sizeof through, "hasta el %s", label);
    obs_chart_set_cat(ch, i, up_to ? through : label);
    obs_chart_set_through(ch, i, through);
    if (!up_to) /* a week the XLSX writes as a date; "hasta el …" stays text */
        obs_chart_set_cat_day(ch, i, end);
}

/* The colour category of a series that counts one sexo or one instancia (render.h palette). */
static obs_category metric_category(int metric)
{
    static const obs_category sexo[OBS_SEXO_COUNT] = {OBS_CAT_MUJER, OBS_CAT_HOMBRE, OBS_CAT_NO_BINARIA,
                                                      OBS_CAT_SEXO_NE};
    static const obs_category instancia[OBS_INSTANCIA_COUNT] = {OBS_CAT_OPL, OBS_CAT_JLE, OBS_CAT_JDE};
    if (metric >= OBS_M_SEXO && metric < OBS_M_SEXO + OBS_SEXO_COUNT)
        return sexo[metric - OBS_M_SEXO];
    if (metric >= OBS_M_DIF_INSTANCIA && metric < OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_COUNT)
        return instancia[metric - OBS_M_DIF_INSTANCIA];
    return OBS_CAT_NONE;
}

static void chart_semanal(const obs_template_ctx *ctx, obs_section *sec, const tpl_chart *t,
                          const char *title, const char *note)
{
    size_t weeks;
    obs_day *cuts = weekly_cuts(ctx, &weeks);
    const char *ttl = or_default(title, "Por semana");
    obs_chart *ch = obs_section_add_chart(sec, t->id, ttl, or_default(t->sheet, ttl),
                                          t->columns ? OBS_CHART_COLUMN : OBS_CHART_LINE, weeks,
                                          t->series->len);
    /* The PDF may draw the earliest weeks as one bar; the XLSX lists every week. */
    obs_chart_set_fold(ch, t->cumulative ? OBS_FOLD_LAST : OBS_FOLD_SUM);
    /* Events older than the cube keeps day by day were counted on its first day: the first week
     * then holds everything up to its end, and says so. */
    bool clamped = obs_cube_clamped_day(ctx->run->cube) != OBS_DAY_NONE;
    for (size_t i = 0; i < weeks; i++)
        week_labels(ch, i, cuts[i], i == 0 && clamped);
    /* The first week starts on or before the first day with data, so its count is its own. */
    int64_t *acc = g_new(int64_t, weeks);
    for (guint s = 0; s < t->series->len; s++) {
        const tpl_series *ser = t->series->pdata[s];
        obs_chart_set_series(ch, s, ser->name);
        obs_chart_set_series_category(ch, s, metric_category(ser->metric));
        obs_cube_cumulative(ctx->run->cube, (size_t)ser->metric, ctx->entidad, cuts, weeks, acc);
        for (size_t i = 0; i < weeks; i++)
            ch->series[s].values[i] = (double)(t->cumulative || i == 0 ? acc[i] : acc[i] - acc[i - 1]);
    }
    g_free(acc);
    g_free(cuts);
    ch->height = t->height;
    obs_set_str(&ch->x_title, or_default(t->x_title, "Semana que termina el"));
    obs_set_str(&ch->y_title, t->y_title);
    obs_set_str(&ch->note, note);
}

static void chart_edad_sexo(const obs_template_ctx *ctx, obs_section *sec, const tpl_chart *t,
                            const char *title, const char *note)
{
    const obs_snapshot *now = ctx->run->actual;
    int e = ctx->entidad;
    int sexos[OBS_SEXO_COUNT], ns = 0;
    /* Mujeres and hombres always; the other two only when someone is in them. */
    for (int sx = 0; sx < OBS_SEXO_COUNT; sx++)
        if (sx <= OBS_SEXO_HOMBRE || val(now, e, OBS_M_SEXO + (size_t)sx) > 0)
            sexos[ns++] = sx;
    int bands = val(now, e, OBS_M_EDAD + OBS_EDAD_BANDS - 1) > 0 ? OBS_EDAD_BANDS : OBS_EDAD_BANDS - 1;
    const char *ttl = or_default(title, "Solicitudes por grupo de edad y sexo");
    obs_chart *ch = obs_section_add_chart(sec, t->id, ttl, or_default(t->sheet, "Gráfica edad y sexo"),
                                          OBS_CHART_COLUMN, (size_t)bands, (size_t)ns);
    static const char *const sexo_label[] = {"Mujeres", "Hombres", "No binarias", "Sexo no especificado"};
    for (int k = 0; k < ns; k++) {
        obs_chart_set_series(ch, (size_t)k, sexo_label[sexos[k]]);
        obs_chart_set_series_category(ch, (size_t)k, metric_category(OBS_M_SEXO + sexos[k]));
    }
    for (int band = 0; band < bands; band++) {
        obs_chart_set_cat(ch, (size_t)band, obs_edad_band_label(band));
        for (int k = 0; k < ns; k++)
            ch->series[k].values[band] = (double)val(now, e, obs_cube_slot_edad_sexo(ctx->run->cube, band, sexos[k]));
    }
    ch->height = t->height;
    obs_set_str(&ch->x_title, or_default(t->x_title, "Edad en años a la fecha de la solicitud"));
    obs_set_str(&ch->y_title, or_default(t->y_title, "Solicitudes"));
    obs_set_str(&ch->note, note);
}

void block_chart(const obs_template_ctx *ctx, obs_section *sec, const tpl_chart *c,
                 const char *title, const char *note)
{
    switch (c->type) {
    case TC_OPL_ENTIDAD:
        chart_opl_entidad(ctx, sec, c, title, note);
        break;
    case TC_SEMANAL:
        chart_semanal(ctx, sec, c, title, note);
        break;
    case TC_EDAD_SEXO:
        chart_edad_sexo(ctx, sec, c, title, note);
        break;
    }
}

/* ---- the flagged OPLs as text ------------------------------------------------------------------- */

static char *acciones(int64_t v)
{
    char buf[OBS_FMT_MAX];
    return g_strdup_printf("%s %s", obs_fmt_int(buf, sizeof buf, v), v == 1 ? "acción" : "acciones");
}

void block_list_bajo(const obs_template_ctx *ctx, obs_section *sec, obs_par_style style)
{
    obs_block *list = obs_section_add_list(sec, style);
    for (int e = 1; e <= OBS_ENTIDADES; e++) {
        if (!obs_snapshot_bajo(ctx->run->actual, e))
            continue;
        char *n = acciones(val(ctx->run->actual, e, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL));
        obs_list_add(list, "%s (%s): %s", entidad(ctx, e)->opl_nombre, entidad(ctx, e)->nombre, n);
        g_free(n);
    }
    if (list->nitems == 0)
        obs_list_add(list, "Ningún OPL está por debajo del umbral.");
}

char *text_lista_bajo(const obs_template_ctx *ctx)
{
    GString *s = g_string_new(NULL);
    int n = 0, total = ctx->run->actual->nbajo;
    for (int e = 1; e <= OBS_ENTIDADES; e++) {
        if (!obs_snapshot_bajo(ctx->run->actual, e))
            continue;
        n++;
        char *a = acciones(val(ctx->run->actual, e, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL));
        g_string_append_printf(s, "%s%s (%s) con %s", n == 1 ? "" : (n == total ? " y " : ", "),
                               entidad(ctx, e)->opl_etiqueta, entidad(ctx, e)->nombre, a);
        g_free(a);
    }
    if (n == 0)
        g_string_append(s, "ninguno");
    return g_string_free(s, FALSE);
}

static void add_metrica_row(const char *corte, int entidad, const char *metrica, int64_t valor,
                            void *user)
{
    char clave[4];
    g_snprintf(clave, sizeof clave, "%02d", entidad);
    obs_row *r = obs_table_add_row(user, OBS_ROW_DATA);
    obs_row_set_text(r, 0, corte);
    obs_row_set_text(r, 1, clave);
    obs_row_set_text(r, 2, metrica);
    obs_row_set_int(r, 3, valor);
    /* A pivot over every row would count the national rows twice: they say what they are. */
    obs_row_set_text(r, 4, entidad == 0 ? "nacional" : "entidad");
}

/* The rows of metricas.csv (the same function writes both, so the sheet and the file cannot
 * disagree), all of them or just one entidad's and the national ones. */
static void add_metricas(obs_doc *doc, const obs_run *run, int only)
{
    obs_table *t = obs_doc_add_extra_table(doc, "metricas", "Métricas en formato largo", "Métricas", 5);
    obs_table_set_column(t, 0, "corte", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(t, 1, "entidad", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(t, 2, "metrica", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(t, 3, "valor", OBS_ALIGN_RIGHT, 0);
    obs_table_set_column(t, 4, "nivel", OBS_ALIGN_LEFT, 0);
    obs_table_set_column_description(t, 0, "Fecha de corte (AAAA-MM-DD): la del informe o la del corte anterior");
    obs_table_set_column_description(t, 1, "Clave de la entidad (01 a 32); 00 = total nacional");
    obs_table_set_column_description(t, 2, "Nombre de la métrica (contrato de datos, §6)");
    obs_table_set_column_description(t, 3, "Valor de la métrica al corte");
    obs_table_set_column_description(t, 4, "nacional: fila del total del país (entidad 00), que no debe sumarse a las "
                                           "de las entidades; entidad: fila de una de las 32 entidades");
    const obs_snapshot *snaps[2] = {run->actual, run->anterior};
    obs_metricas_foreach(run->cube, snaps, run->anterior ? 2 : 1, only, add_metrica_row, t);
}

void obs_report_add_metricas(obs_doc *doc, const obs_run *run)
{
    add_metricas(doc, run, -1);
}

void obs_report_add_metricas_entidad(obs_doc *doc, const obs_run *run, int entidad)
{
    /* Only this entidad's rows and the national ones: a per-OPL file shows no other entidad. */
    add_metricas(doc, run, entidad);
}
