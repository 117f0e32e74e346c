/* report_charts.c - the charts that templates place (@grafica): built from a run's metrics. */
#include <glib.h>

#include "report/tpl_int.h"

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
        const obs_entidad *ent = obs_catalog_entidad(ctx->run->cat, e);
        char *label = g_strdup_printf("%s (%s)", ent->nombre, ent->opl_etiqueta);
        obs_chart_set_cat(ch, (size_t)i, label);
        g_free(label);
        ch->series[0].values[i] = (double)obs_snapshot_get(now, e, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL);
        ch->highlight[i] = obs_snapshot_bajo(now, e);
    }
    /* The line sits at the threshold in whole actions, the number its label gives: a bar short of
     * it is flagged, a bar that reaches it is not (42.75 is never an amount of actions). Before any
     * OPL action is registered no threshold applies, and no line is drawn. */
    if (!now->sin_acciones) {
        char buf[OBS_FMT_MAX];
        int64_t below = umbral_acciones(now);
        char *thr = g_strdup_printf("Umbral: se señala con menos de %s", obs_fmt_int(buf, sizeof buf, below));
        obs_chart_set_threshold(ch, (double)below, thr);
        g_free(thr);
    }
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
        if (sx <= OBS_SEXO_HOMBRE || obs_snapshot_get(now, e, OBS_M_SEXO + (size_t)sx) > 0)
            sexos[ns++] = sx;
    int bands = obs_snapshot_get(now, e, OBS_M_EDAD + OBS_EDAD_BANDS - 1) > 0 ? OBS_EDAD_BANDS : OBS_EDAD_BANDS - 1;
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
            ch->series[k].values[band] =
                (double)obs_snapshot_get(now, e, obs_cube_slot_edad_sexo(ctx->run->cube, band, sexos[k]));
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
    case TC_CORTES: /* says so itself when the history has nothing to draw */
        block_chart_cortes(ctx, sec, c, title, note);
        return;
    }
    /* Nothing at all to draw: axes 0, 0.2 … 1 over empty space would say nothing true. */
    obs_chart *ch = sec->blocks[sec->nblocks - 1].chart;
    bool any = false;
    for (size_t s = 0; s < ch->nseries && !any; s++)
        for (size_t i = 0; i < ch->ncats && !any; i++)
            any = ch->series[s].values[i] != 0;
    if (!any) {
        char *text = no_records_text(ctx);
        obs_set_str(&ch->empty_text, text);
        /* Its note explains colours and lines that are not drawn. */
        obs_set_str(&ch->note, NULL);
        g_free(text);
    }
}

