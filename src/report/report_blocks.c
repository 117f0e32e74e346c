/* report_blocks.c - the tables, charts and lists that templates place: built from a run's metrics. */
#include <glib.h>
#include <string.h>

#include "report/tpl_int.h"

static const obs_entidad *entidad(const obs_template_ctx *ctx, int e)
{
    return obs_catalog_entidad(ctx->run->cat, e);
}

static int64_t val(const obs_snapshot *s, int e, size_t m)
{
    return s ? obs_snapshot_get(s, e, m) : 0;
}

/* Which exports an expression reads: bit 0 solicitudes, bit 1 difusión. */
enum { USES_SOLICITUDES = 1, USES_DIFUSION = 2 };

static unsigned mexpr_uses(const mexpr *e)
{
    unsigned uses = 0;
    for (int i = 0; i < e->nterms; i++)
        if (e->metric[i] >= 0)
            uses |= e->metric[i] < OBS_M_DIF_TOTAL ? USES_SOLICITUDES : USES_DIFUSION;
    return uses;
}

/* Whether an expression counts distinct things (its national value is not a sum). */
static bool mexpr_distinct(const mexpr *e)
{
    for (int i = 0; i < e->nterms; i++)
        if (e->metric[i] >= 0 && obs_metric_is_distinct((size_t)e->metric[i]))
            return true;
    return false;
}

static bool mexpr_equal(const mexpr *a, const mexpr *b)
{
    if (a->nterms != b->nterms)
        return false;
    for (int i = 0; i < a->nterms; i++)
        if (a->sign[i] != b->sign[i] || a->metric[i] != b->metric[i] ||
            (a->metric[i] < 0 && a->constant[i] != b->constant[i]))
            return false;
    return true;
}

/*
 * A table whose exports have no record at all at the corte, in its scope (a corte before any
 * data, an entidad without requests), says so first in its note: its zeros are not figures
 * that happen to be zero.
 */
static void note_no_records(const obs_template_ctx *ctx, obs_table *tab, unsigned uses)
{
    if (!uses)
        return;
    const obs_snapshot *now = ctx->run->actual;
    if (((uses & USES_SOLICITUDES) && val(now, ctx->entidad, OBS_M_TOTAL) != 0) ||
        ((uses & USES_DIFUSION) && val(now, ctx->entidad, OBS_M_DIF_TOTAL) != 0))
        return;
    char *text = no_records_text(ctx);
    char *note = tab->note ? g_strconcat(text, " ", tab->note, NULL) : g_strdup(text);
    obs_set_str(&tab->note, note);
    g_free(note);
    g_free(text);
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
            if (!colx_shown(c, ctx))
                continue;
            fill_colx(row, col, c, &scope);
            /* The national distinct count is its own figure, not the sum of the rows. */
            if (!which && mexpr_distinct(&c->a))
                obs_row_flag(row, col, OBS_CELL_NOSUM);
            col++;
        }
    }
    obs_set_str(&tab->note, note);
    unsigned uses = 0;
    for (guint i = 0; i < t->columns->len; i++)
        uses |= mexpr_uses(&((const tpl_column *)t->columns->pdata[i])->a);
    note_no_records(ctx, tab, uses);
}

/* ---- @tabla indicadores --------------------------------------------------------------------------- */

static bool coli_needs_prev(const tpl_column *c)
{
    return c->kind == COLI_PREVIOUS || c->kind == COLI_CHANGE;
}

/*
 * The share each row of an indicadores table shows, in tenths of a percent. A table whose total
 * row is its base and whose rows add up to it is one breakdown: its rows are rounded together
 * by largest remainder. Otherwise each row that is a member of a breakdown of the base
 * (sexo, estado, medio…) is rounded with that breakdown, as the prose is; the rest half-up.
 */
static int64_t *indicadores_shares(const obs_template_ctx *ctx, const tpl_table *t)
{
    guint n = t->rows->len;
    int64_t *shares = g_new(int64_t, n ? n : 1), *counts = g_new(int64_t, n ? n : 1);
    int64_t base = mexpr_eval(&t->base, ctx, AT_NOW), sum = 0;
    bool whole = false;
    size_t ndata = 0;
    for (guint r = 0; r < n; r++) {
        const tpl_row *tr = t->rows->pdata[r];
        whole |= tr->total && mexpr_equal(&tr->e, &t->base);
        if (!tr->total) {
            counts[ndata] = mexpr_eval(&tr->e, ctx, AT_NOW);
            sum += counts[ndata++];
        }
        shares[r] = mexpr_share_tenths(&tr->e, &t->base, ctx, AT_NOW);
    }
    if (whole && sum == base) {
        int64_t *tenths = g_new(int64_t, ndata ? ndata : 1);
        obs_pct_largest_remainder(counts, ndata, base, tenths);
        for (guint r = 0, k = 0; r < n; r++)
            if (!((const tpl_row *)t->rows->pdata[r])->total)
                shares[r] = tenths[k++];
        g_free(tenths);
    }
    g_free(counts);
    return shares;
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
    int64_t *shares = t->has_base ? indicadores_shares(ctx, t) : NULL;
    int64_t base = t->has_base ? mexpr_eval(&t->base, ctx, AT_NOW) : 0;
    unsigned uses = 0;
    for (guint r = 0; r < t->rows->len; r++) {
        const tpl_row *tr = t->rows->pdata[r];
        int64_t v = mexpr_eval(&tr->e, ctx, AT_NOW);
        uses |= mexpr_uses(&tr->e);
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
                if (tr->total && mexpr_distinct(&tr->e))
                    obs_row_flag(row, col, OBS_CELL_NOSUM);
                break;
            case COLI_PREVIOUS:
                obs_row_set_int(row, col, mexpr_eval(&tr->e, ctx, AT_PREV));
                break;
            case COLI_CHANGE:
                obs_row_set_delta(row, col, v - mexpr_eval(&tr->e, ctx, AT_PREV));
                break;
            case COLI_PCT:
                /* Shown as the rounded share (num tenths of 1000) so PDF and XLSX agree. */
                obs_row_set_pct(row, col, shares[r], base > 0 ? 1000 : 0);
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
    g_free(shares);
    obs_set_str(&tab->note, note);
    note_no_records(ctx, tab, uses);
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
    size_t ntipos = obs_catalog_tipo_count(ctx->run->cat);
    int64_t *counts = g_new(int64_t, ntipos ? ntipos : 1), *tenths = g_new(int64_t, ntipos ? ntipos : 1);
    for (size_t i = 0; i < ntipos; i++)
        counts[i] = val(now, e, OBS_M_DIF_TIPO + i);
    /* The types are a breakdown of the total: their shares add up to 100.0%. */
    obs_pct_largest_remainder(counts, ntipos, total, tenths);
    for (size_t i = 0; i < ntipos; i++) {
        int64_t all = counts[i];
        int64_t opl = val(now, e, obs_cube_slot_tipo_opl(ctx->run->cube, i));
        if (t->skip_zero && all == 0)
            continue;
        obs_row *r = obs_table_add_row(tab, OBS_ROW_DATA);
        obs_row_set_text(r, 0, obs_catalog_tipo_etiqueta(ctx->run->cat, i));
        obs_row_set_int(r, 1, all - opl);
        obs_row_set_int(r, 2, opl);
        obs_row_set_int(r, 3, all);
        obs_row_set_pct(r, 4, tenths[i], total > 0 ? 1000 : 0);
    }
    g_free(counts);
    g_free(tenths);
    obs_row *r = obs_table_add_row(tab, OBS_ROW_TOTAL);
    obs_row_set_text(r, 0, "Total");
    obs_row_set_int(r, 1, val(now, e, OBS_M_DIF_INE));
    obs_row_set_int(r, 2, val(now, e, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL));
    obs_row_set_int(r, 3, total);
    obs_row_set_pct(r, 4, total, total);
    obs_set_str(&tab->note, note);
    note_no_records(ctx, tab, USES_DIFUSION);
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
    /* The causes not listed, together: the rows then account for every improcedente. */
    int64_t *counts = g_new(int64_t, nc + 1), *tenths = g_new(int64_t, nc + 1), otras = imp;
    for (size_t i = 0; i < nc; i++)
        otras -= counts[i] = causas[i].count;
    counts[nc] = MAX(otras, 0);
    obs_pct_largest_remainder(counts, nc + 1, imp, tenths);
    for (size_t i = 0; i <= nc; i++) {
        if (i == nc && counts[nc] == 0)
            break;
        obs_row *q = obs_table_add_row(tab, OBS_ROW_DATA);
        obs_row_set_text(q, 0, i < nc ? causas[i].causa : "Otras causas");
        obs_row_set_int(q, 1, counts[i]);
        obs_row_set_pct(q, 2, tenths[i], imp > 0 ? 1000 : 0);
    }
    if (imp > 0) {
        obs_row *q = obs_table_add_row(tab, OBS_ROW_TOTAL);
        obs_row_set_text(q, 0, "Total de improcedentes");
        obs_row_set_int(q, 1, imp);
        obs_row_set_pct(q, 2, imp, imp);
    } else {
        obs_row_set_text(obs_table_add_row(tab, OBS_ROW_DATA), 0, "No hay solicitudes improcedentes al corte");
    }
    obs_set_str(&tab->note, note);
    g_free(counts);
    g_free(tenths);
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
    /* The threshold as the rule reads for counts: flagged with fewer than this many actions. */
    obs_table_set_column(tab, 3, "Se señala con menos de", OBS_ALIGN_RIGHT, 1);
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
        obs_row_set_int(r, 3, umbral_acciones(now));
        obs_row_set_dec(r, 4, now->mediana, 2);
        if (prev)
            obs_row_set_int(r, 5, val(ctx->run->anterior, e, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL));
    }
    if (now->nbajo == 0)
        obs_row_set_text(obs_table_add_row(tab, OBS_ROW_DATA), 0, none_flagged_text(now));
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
    char v[OBS_FMT_MAX];
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++) {
        const obs_export *ex = &ctx->run->exports[k];
        for (size_t i = 0; i < ex->nfiles; i++) {
            const obs_file_stats *f = &ex->files[i];
            char *name = input_label(ctx->run, f->path);
            char blank[OBS_FMT_MAX + 32] = "";
            if (f->vacias)
                g_snprintf(blank, sizeof blank, f->vacias == 1 ? " (y %s fila vacía)" : " (y %s filas vacías)",
                           obs_fmt_int(v, sizeof v, (int64_t)f->vacias));
            char *rows = count_noun((int64_t)f->leidas, "fila de datos", "filas de datos");
            char *bytes = count_noun((int64_t)f->bytes, "byte", "bytes");
            /* A workbook has no encoding of its own to state: its sheet instead. */
            char *how = f->sheet ? g_strdup_printf("libro .xlsx, hoja «%s»", f->sheet)
                                 : g_strdup_printf("codificación %s",
                                                   f->encoding == OBS_ENC_CP1252 ? "Windows-1252" : "UTF-8");
            obs_list_add(list, "%s, %s: %s%s, %s, %s, SHA-256 %.16s…", export_names[k], name, rows, blank, bytes, how,
                         f->sha256);
            g_free(how);
            g_free(rows);
            g_free(bytes);
            g_free(name);
        }
        if (ex->nfiles > 1) {
            char *rows = count_noun((int64_t)ex->total.leidas, "fila de datos", "filas de datos");
            char *bytes = count_noun((int64_t)ex->total.bytes, "byte", "bytes");
            obs_list_add(list, "%s, los %zu archivos como una sola exportación: %s, %s", export_names[k],
                         ex->nfiles, rows, bytes);
            g_free(rows);
            g_free(bytes);
        }
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
    case TT_CORTES:
        block_cortes(ctx, sec, t, title, note);
        break;
    case TT_EXHORTOS:
        block_exhortos(ctx, sec, t, title, note);
        break;
    case TT_REVISIONES:
        block_revisiones(ctx, sec, t, title, note);
        break;
    }
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
