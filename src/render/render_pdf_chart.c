/* render_pdf_chart.c - PDF charts: value axes, horizontal bars, columns, lines, thresholds, legends. */
#include <glib.h>
#include <hpdf.h>
#include <math.h>

#include "render/render_pdf_int.h"

#define CHART_LABEL_SIZE 7.0f
#define CHART_VALUE_SIZE 6.5f
#define CHART_COLUMN_PLOT_H 175.0f
#define CHART_MIN_DENS 0.8f /* a tightened brief shrinks its charts by at most a fifth */

/* Series s of a chart: its category's swatch, or its position's. */
static obs_swatch series_swatch(const obs_chart *ch, size_t s)
{
    return obs_palette_swatch(ch->series[s].category, s);
}

typedef struct axis {
    double lo, hi, step;
    int decimals;
} axis;

static int step_decimals(double step)
{
    int d = 0;
    double s = step;
    while (d < 4 && fabs(s - round(s)) > 1e-6 * fmax(1.0, fabs(s))) {
        s *= 10.0;
        d++;
    }
    return d;
}

/* A value axis from min(0, lo) to max(0, hi) with about `target` round steps; counts
 * (integral) never get fractional steps (obs_axis_step()). */
static axis axis_for(double vmin, double vmax, int target, bool integral)
{
    axis a;
    double lo = fmin(0.0, vmin), hi = fmax(0.0, vmax);
    if (hi - lo < 1e-12)
        hi = lo + 1.0;
    a.step = obs_axis_step(lo, hi, target, integral);
    a.lo = floor(lo / a.step + 1e-9) * a.step;
    a.hi = ceil(hi / a.step - 1e-9) * a.step;
    a.decimals = step_decimals(a.step);
    return a;
}

static bool finite_value(double v)
{
    return isfinite(v);
}

static axis chart_axis(const obs_chart *ch, int target)
{
    double lo, hi;
    obs_chart_value_range(ch, &lo, &hi);
    return axis_for(lo, hi, target, obs_chart_integral(ch));
}

/* es-MX number for a chart label: through obs_fmt_int / obs_fmt_dec, never printf. */
static char *fmt_number(double v, int decimals)
{
    char buf[OBS_FMT_MAX];
    if (decimals <= 0) {
        double r = round(v);
        if (r > 9.0e18)
            r = 9.0e18;
        if (r < -9.0e18)
            r = -9.0e18;
        obs_fmt_int(buf, sizeof buf, (int64_t)r);
    } else {
        obs_fmt_dec(buf, sizeof buf, v, decimals);
    }
    return pdf_to_cp1252(buf);
}

/* Decimals for value labels: none when every value is whole, else one. */
static int value_decimals(const obs_chart *ch)
{
    return obs_chart_integral(ch) ? 0 : 1;
}

static float axis_map(const axis *a, double v, float from, float to)
{
    return from + (float)((v - a->lo) / (a->hi - a->lo)) * (to - from);
}

/* Widest tick label of an axis. */
static float tick_label_width(const ctx *c, const axis *a)
{
    float w = 0.0f;
    for (double v = a->lo; v <= a->hi + a->step * 1e-6; v += a->step) {
        char *s = fmt_number(v, a->decimals);
        w = fmaxf(w, pdf_str_width(c->reg, CHART_LABEL_SIZE, s));
        g_free(s);
    }
    return w;
}

static void set_dash(HPDF_Page p, bool on)
{
    static const HPDF_UINT16 pattern[] = {3, 2};
    HPDF_Page_SetDash(p, on ? pattern : NULL, on ? 2 : 0, 0);
}

static char *threshold_text(const obs_chart *ch)
{
    if (ch->threshold_label && *ch->threshold_label)
        return pdf_to_cp1252(ch->threshold_label);
    return fmt_number(ch->threshold, step_decimals(ch->threshold));
}

/* Series marker: circle, square, triangle, diamond — shape as well as colour. */
static void draw_marker(HPDF_Page p, obs_marker m, float x, float y, float r)
{
    switch (m) {
    case OBS_MARKER_CIRCLE:
        HPDF_Page_Circle(p, x, y, r);
        break;
    case OBS_MARKER_SQUARE:
        HPDF_Page_Rectangle(p, x - r * 0.9f, y - r * 0.9f, r * 1.8f, r * 1.8f);
        break;
    case OBS_MARKER_TRIANGLE:
        HPDF_Page_MoveTo(p, x, y + r * 1.15f);
        HPDF_Page_LineTo(p, x + r * 1.1f, y - r * 0.8f);
        HPDF_Page_LineTo(p, x - r * 1.1f, y - r * 0.8f);
        HPDF_Page_ClosePath(p);
        break;
    case OBS_MARKER_DIAMOND:
        HPDF_Page_MoveTo(p, x, y + r * 1.2f);
        HPDF_Page_LineTo(p, x + r * 1.2f, y);
        HPDF_Page_LineTo(p, x, y - r * 1.2f);
        HPDF_Page_LineTo(p, x - r * 1.2f, y);
        HPDF_Page_ClosePath(p);
        break;
    }
    HPDF_Page_Fill(p);
}

/* Horizontal-axis title under the plot and vertical one along the left edge. */
static void axis_titles(ctx *c, const char *horizontal, float hx0, float hx1, float hbase,
                        const char *vertical, float vx, float vy0, float vy1)
{
    if (horizontal && *horizontal) {
        char *s = pdf_to_cp1252(horizontal);
        char *f = pdf_fit_label(c->reg, SMALL_SIZE, s, hx1 - hx0);
        pdf_show_aligned(c->page, c->reg, SMALL_SIZE, COL_MUTED, hx0, hx1 - hx0, hbase, f, AL_CENTER);
        g_free(f);
        g_free(s);
    }
    if (vertical && *vertical) {
        char *s = pdf_to_cp1252(vertical);
        char *f = pdf_fit_label(c->reg, SMALL_SIZE, s, vy1 - vy0);
        float w = pdf_str_width(c->reg, SMALL_SIZE, f);
        pdf_show_text_rotated(c->page, c->reg, SMALL_SIZE, COL_MUTED, vx,
                              (vy0 + vy1) / 2.0f - w / 2.0f, 90.0f, f);
        g_free(f);
        g_free(s);
    }
}

/* A sentence in place of a plot when a chart has nothing to show (obs_chart_empty()): axes from 0
 * to 1 for counts of nothing would only mislead. */
#define EMPTY_CHART_H 18.0f

static void draw_no_data(ctx *c, float top)
{
    char *t = pdf_to_cp1252("Sin registros al corte.");
    pdf_show_text(c->page, c->reg, BODY_SIZE, COL_MUTED, c->x0, top - 12.0f, t, 0.0f);
    g_free(t);
}

/* Vertical dashed threshold line (hbar) drawn under the bars. */
static void hbar_threshold_line(ctx *c, const obs_chart *ch, const axis *a, float px0, float px1,
                                float pbot, float ptop)
{
    if (!ch->has_threshold || !finite_value(ch->threshold))
        return;
    float x = axis_map(a, ch->threshold, px0, px1);
    set_dash(c->page, true);
    pdf_stroke_line(c->page, COL_THRESHOLD, 0.9f, x, pbot, x, ptop + 2.0f);
    set_dash(c->page, false);
}

/* The threshold's label above the plot, centred on its line but kept on the page. */
static void hbar_threshold_label(ctx *c, const obs_chart *ch, const axis *a, float px0, float px1,
                                 float ptop)
{
    if (!ch->has_threshold || !finite_value(ch->threshold))
        return;
    float x = axis_map(a, ch->threshold, px0, px1);
    char *s = threshold_text(ch);
    char *fit = pdf_fit_label(c->reg, CHART_LABEL_SIZE, s, text_w(c));
    float w = pdf_str_width(c->reg, CHART_LABEL_SIZE, fit);
    float lx = fminf(fmaxf(x - w / 2.0f, c->x0), c->x1 - w);
    pdf_show_text(c->page, c->reg, CHART_LABEL_SIZE, COL_THRESHOLD, lx, ptop + 4.0f, fit, 0.0f);
    g_free(fit);
    g_free(s);
}

/* Value ticks and vertical gridlines under an hbar plot. */
static void hbar_value_axis(ctx *c, const axis *a, float px0, float px1, float pbot, float ptop)
{
    for (double v = a->lo; v <= a->hi + a->step * 1e-6; v += a->step) {
        float x = axis_map(a, v, px0, px1);
        pdf_stroke_line(c->page, COL_GRID, 0.4f, x, pbot, x, ptop);
        char *s = fmt_number(v, a->decimals);
        pdf_show_aligned(c->page, c->reg, CHART_LABEL_SIZE, COL_MUTED, x - 30.0f, 60.0f, pbot - 9.0f,
                         s, AL_CENTER);
        g_free(s);
    }
}

/* model.h: highlight colours bars only in single-series charts (and then their labels too). */
static bool hbar_flagged(const obs_chart *ch, size_t i)
{
    return ch->nseries == 1 && ch->highlight[i];
}

/* Geometry of a horizontal bar chart. */
typedef struct hplot {
    axis a;
    float row_h, lab, bar_h, value_size;
    size_t label_step; /* category labels every label_step rows when rows are tiny */
    float cat_w, px0, px1, ptop, pbot;
} hplot;

static float hplot_height(const obs_chart *ch, float max_h, hplot *hp)
{
    size_t n = ch->ncats, ns = ch->nseries ? ch->nseries : 1;
    float thr_h = ch->has_threshold ? 12.0f : 3.0f;
    float fixed = thr_h + 4.0f + 10.0f + (ch->x_title && *ch->x_title ? 11.0f : 0.0f);
    hp->row_h = ns == 1 ? 13.0f : fmaxf(13.0f, (float)ns * 6.0f + 4.0f);
    if (n > 0 && fixed + (float)n * hp->row_h > max_h)
        hp->row_h = fmaxf(2.0f, (max_h - fixed) / (float)n);
    /* Labels stay legible (5 pt at least); when rows are thinner, only some are labelled. */
    hp->lab = fmaxf(5.0f, fminf(7.5f, hp->row_h * 0.78f));
    hp->label_step = (size_t)ceilf(hp->lab * 1.15f / hp->row_h);
    if (hp->label_step < 1)
        hp->label_step = 1;
    hp->bar_h = hp->row_h * 0.72f / (float)ns;
    hp->value_size = fminf(CHART_VALUE_SIZE, hp->bar_h * 1.05f);
    return fixed + (float)n * hp->row_h;
}

static void hplot_columns(ctx *c, const obs_chart *ch, hplot *hp, float top)
{
    float W = text_w(c);
    int vdec = value_decimals(ch);
    float yt_w = ch->y_title && *ch->y_title ? 12.0f : 0.0f;
    float vl_w = 0.0f;
    hp->cat_w = 0.0f;
    for (size_t i = 0; i < ch->ncats; i++) {
        char *s = pdf_to_cp1252(ch->cats[i]);
        hp->cat_w = fmaxf(hp->cat_w, pdf_str_width(font_of(c, hbar_flagged(ch, i)), hp->lab, s));
        g_free(s);
        for (size_t k = 0; k < ch->nseries; k++) {
            char *v = fmt_number(ch->series[k].values[i], vdec);
            vl_w = fmaxf(vl_w, pdf_str_width(c->bold, hp->value_size, v));
            g_free(v);
        }
    }
    hp->cat_w = fminf(hp->cat_w, W * 0.30f);
    hp->px0 = c->x0 + yt_w + hp->cat_w + 6.0f;
    hp->px1 = c->x1 - vl_w - 4.0f;
    /* Half a tick label may stick out right of the plot: keep it on the page. */
    hp->px1 = fminf(hp->px1, c->x1 - tick_label_width(c, &hp->a) / 2.0f);
    hp->ptop = top - (ch->has_threshold ? 12.0f : 3.0f);
    hp->pbot = hp->ptop - (float)ch->ncats * hp->row_h;
}

static void hbar_bars(ctx *c, const obs_chart *ch, const hplot *hp)
{
    size_t ns = ch->nseries ? ch->nseries : 1;
    int vdec = value_decimals(ch);
    bool labels = hp->value_size >= 5.0f;
    float x_zero = axis_map(&hp->a, 0.0, hp->px0, hp->px1);
    for (size_t i = 0; i < ch->ncats; i++) {
        float rtop = hp->ptop - (float)i * hp->row_h;
        float first = rtop - (hp->row_h - hp->bar_h * (float)ns) / 2.0f;
        bool hl = hbar_flagged(ch, i);
        for (size_t k = 0; k < ch->nseries; k++) {
            double v = ch->series[k].values[i];
            if (!finite_value(v))
                continue;
            float xb = axis_map(&hp->a, v, hp->px0, hp->px1);
            float by = first - (float)(k + 1) * hp->bar_h;
            pdf_fill_swatch(c->page, hl ? flag_swatch() : series_swatch(ch, k), fminf(x_zero, xb),
                            by + hp->bar_h * 0.05f, fabsf(xb - x_zero), hp->bar_h * 0.9f);
            if (labels) {
                char *s = fmt_number(v, vdec);
                HPDF_Font f = font_of(c, hl);
                float w = pdf_str_width(f, hp->value_size, s);
                float lx = v >= 0 ? xb + 2.0f : xb - 2.0f - w;
                pdf_show_text(c->page, f, hp->value_size, hl ? rgb_of(flag_swatch().rgb) : COL_TEXT, lx,
                              by + hp->bar_h / 2.0f - hp->value_size * 0.36f, s, 0.0f);
                g_free(s);
            }
        }
        if (i % hp->label_step == 0) {
            char *cat = pdf_to_cp1252(ch->cats[i]);
            HPDF_Font f = font_of(c, hl);
            char *fit = pdf_fit_label(f, hp->lab, cat, hp->cat_w);
            pdf_show_aligned(c->page, f, hp->lab, hl ? rgb_of(flag_swatch().rgb) : COL_TEXT,
                             hp->px0 - 4.0f - hp->cat_w, hp->cat_w,
                             rtop - hp->row_h / 2.0f - hp->lab * 0.36f, fit, AL_RIGHT);
            g_free(fit);
            g_free(cat);
        }
    }
    pdf_stroke_line(c->page, COL_MUTED, 0.6f, x_zero, hp->pbot, x_zero, hp->ptop);
}

/*
 * Horizontal bars, one row per category (in the model's order), one bar per
 * series. As model.h says, x_title names the horizontal axis (the values
 * here) and y_title the vertical one (the categories).
 */
static float hbar_body(ctx *c, const obs_chart *ch, float top, float max_h, bool draw)
{
    hplot hp;
    float body_h = hplot_height(ch, max_h, &hp);
    if (!draw)
        return body_h;
    hp.a = chart_axis(ch, OBS_CHART_AXIS_STEPS);
    hplot_columns(c, ch, &hp, top);
    HPDF_Page_GSave(c->page);
    hbar_value_axis(c, &hp.a, hp.px0, hp.px1, hp.pbot, hp.ptop);
    /* The threshold line goes under the bars and their labels. */
    hbar_threshold_line(c, ch, &hp.a, hp.px0, hp.px1, hp.pbot, hp.ptop);
    hbar_bars(c, ch, &hp);
    hbar_threshold_label(c, ch, &hp.a, hp.px0, hp.px1, hp.ptop);
    axis_titles(c, ch->x_title, hp.px0, hp.px1, hp.pbot - 20.0f, ch->y_title, c->x0 + 7.0f,
                hp.pbot, hp.ptop);
    HPDF_Page_GRestore(c->page);
    return body_h;
}

/* Geometry shared by the vertical charts (columns and lines). */
typedef struct vplot {
    axis a;
    float px0, px1, ptop, pbot;
    float slot;      /* width per category */
    size_t step;     /* label every step-th category */
    bool rotate;     /* labels at 45° */
    float label_w;   /* widest (cut) category label */
    float labels_h;  /* room under the plot for category labels */
    float title_h;   /* room for the horizontal axis title */
} vplot;

#define VPLOT_LABEL_MAX 80.0f
#define SIN45 0.7071f

/*
 * Category labels: columns label every group, horizontally when the labels
 * fit, else at 45° (thinned only if even that is too dense); lines thin
 * horizontal labels, rotating only when fewer than three would remain.
 */
static void vplot_labels(const obs_chart *ch, vplot *vp)
{
    size_t n = ch->ncats ? ch->ncats : 1;
    size_t step_h = (size_t)ceilf((vp->label_w + 6.0f) / vp->slot);
    size_t step_r = (size_t)ceilf(CHART_LABEL_SIZE * 1.6f / vp->slot);
    if (ch->kind == OBS_CHART_LINE)
        vp->rotate = (n + step_h - 1) / step_h < 3 && n >= 3;
    else
        vp->rotate = step_h > 1;
    vp->step = vp->rotate ? step_r : step_h;
    if (vp->step < 1)
        vp->step = 1;
}

static float vplot_layout(const ctx *c, const obs_chart *ch, float top, float max_h, vplot *vp)
{
    size_t n = ch->ncats ? ch->ncats : 1;
    vp->a = chart_axis(ch, OBS_CHART_AXIS_STEPS);
    float yt_w = ch->y_title && *ch->y_title ? 12.0f : 0.0f;
    vp->px0 = c->x0 + yt_w + tick_label_width(c, &vp->a) + 5.0f;
    vp->px1 = c->x1 - 4.0f;
    vp->label_w = 0.0f;
    for (size_t i = 0; i < ch->ncats; i++) {
        char *s = pdf_to_cp1252(ch->cats[i]);
        vp->label_w = fmaxf(vp->label_w, pdf_str_width(c->reg, CHART_LABEL_SIZE, s));
        g_free(s);
    }
    vp->label_w = fminf(vp->label_w, VPLOT_LABEL_MAX);
    vp->slot = (vp->px1 - vp->px0) / (float)n;
    vplot_labels(ch, vp);
    if (vp->rotate) {
        /* The first label runs down-left from its tick: keep it inside the margin. */
        float need = c->x0 + vp->label_w * SIN45 + 2.0f;
        for (int k = 0; k < 2 && vp->px0 + vp->slot / 2.0f < need; k++) {
            vp->px0 = need - vp->slot / 2.0f;
            vp->slot = (vp->px1 - vp->px0) / (float)n;
        }
        vplot_labels(ch, vp);
    } else if (!vp->rotate && vp->label_w / 2.0f > vp->slot / 2.0f + (vp->px0 - c->x0)) {
        vp->px0 = c->x0 + vp->label_w / 2.0f - vp->slot / 2.0f;
        vp->slot = (vp->px1 - vp->px0) / (float)n;
    }
    vp->labels_h = vp->rotate ? (vp->label_w + CHART_LABEL_SIZE) * SIN45 + 8.0f : 12.0f;
    vp->title_h = ch->x_title && *ch->x_title ? 11.0f : 0.0f;
    float pad_top = ch->has_threshold ? 13.0f : 6.0f;
    float want = (ch->height > 0 ? (float)ch->height : CHART_COLUMN_PLOT_H) * fmaxf(c->dens, CHART_MIN_DENS);
    float plot_h = fminf(want, max_h - pad_top - vp->labels_h - vp->title_h);
    plot_h = fmaxf(plot_h, 40.0f);
    vp->ptop = top - pad_top;
    vp->pbot = vp->ptop - plot_h;
    return pad_top + plot_h + vp->labels_h + vp->title_h;
}

static float vplot_x(const vplot *vp, size_t i)
{
    return vp->px0 + ((float)i + 0.5f) * vp->slot;
}

static void vplot_category_labels(ctx *c, const obs_chart *ch, const vplot *vp)
{
    HPDF_Page p = c->page;
    for (size_t i = 0; i < ch->ncats; i += vp->step) {
        char *cat = pdf_to_cp1252(ch->cats[i]);
        char *fit = pdf_fit_label(c->reg, CHART_LABEL_SIZE, cat, VPLOT_LABEL_MAX);
        float x = vplot_x(vp, i);
        pdf_stroke_line(p, COL_MUTED, 0.5f, x, vp->pbot, x, vp->pbot - 2.5f);
        if (vp->rotate) {
            /* Text rises at 45°; the middle of its end sits just under the tick. */
            float d = pdf_str_width(c->reg, CHART_LABEL_SIZE, fit) * SIN45;
            float half = CHART_LABEL_SIZE * 0.36f * SIN45;
            pdf_show_text_rotated(p, c->reg, CHART_LABEL_SIZE, COL_TEXT, x + half - d,
                                  vp->pbot - 6.0f - half - d, 45.0f, fit);
        } else {
            pdf_show_aligned(p, c->reg, CHART_LABEL_SIZE, COL_TEXT, x - 60.0f, 120.0f,
                             vp->pbot - 10.0f, fit, AL_CENTER);
        }
        g_free(fit);
        g_free(cat);
    }
}

/* A dashed threshold line across the plot, with its key above the plot's right end
 * (a label on the line itself would sit on top of the bars). */
static void vplot_threshold(ctx *c, const obs_chart *ch, const vplot *vp)
{
    if (!ch->has_threshold || !finite_value(ch->threshold))
        return;
    HPDF_Page p = c->page;
    float y = axis_map(&vp->a, ch->threshold, vp->pbot, vp->ptop);
    set_dash(p, true);
    pdf_stroke_line(p, COL_THRESHOLD, 0.9f, vp->px0, y, vp->px1, y);
    char *s = threshold_text(ch);
    char *fit = pdf_fit_label(c->reg, CHART_LABEL_SIZE, s, vp->px1 - vp->px0 - 22.0f);
    float w = pdf_str_width(c->reg, CHART_LABEL_SIZE, fit);
    float base = vp->ptop + 4.0f;
    pdf_stroke_line(p, COL_THRESHOLD, 0.9f, vp->px1 - w - 20.0f, base + 2.5f, vp->px1 - w - 4.0f,
                    base + 2.5f);
    set_dash(p, false);
    pdf_show_text(p, c->reg, CHART_LABEL_SIZE, COL_THRESHOLD, vp->px1 - w, base, fit, 0.0f);
    g_free(fit);
    g_free(s);
}

/* Gridlines, value ticks, category labels and axis titles. */
static void vplot_axes(ctx *c, const obs_chart *ch, const vplot *vp)
{
    HPDF_Page p = c->page;
    for (double v = vp->a.lo; v <= vp->a.hi + vp->a.step * 1e-6; v += vp->a.step) {
        float y = axis_map(&vp->a, v, vp->pbot, vp->ptop);
        bool zero = fabs(v) < vp->a.step * 1e-6;
        pdf_stroke_line(p, zero ? COL_MUTED : COL_GRID, zero ? 0.6f : 0.4f, vp->px0, y, vp->px1, y);
        char *s = fmt_number(v, vp->a.decimals);
        pdf_show_aligned(p, c->reg, CHART_LABEL_SIZE, COL_MUTED, vp->px0 - 64.0f, 60.0f,
                         y - CHART_LABEL_SIZE * 0.36f, s, AL_RIGHT);
        g_free(s);
    }
    vplot_category_labels(c, ch, vp);
    axis_titles(c, ch->x_title, vp->px0, vp->px1, vp->pbot - vp->labels_h - 8.0f, ch->y_title,
                c->x0 + 7.0f, vp->pbot, vp->ptop);
}

/* Vertical bars grouped by category: nseries bars per group, over the zero line. */
static void column_bars(ctx *c, const obs_chart *ch, const vplot *vp)
{
    HPDF_Page p = c->page;
    size_t ns = ch->nseries ? ch->nseries : 1;
    float group = vp->slot * 0.8f, bw = group / (float)ns;
    float gap = bw > 4.0f ? bw * 0.12f : 0.0f;
    float y0 = axis_map(&vp->a, 0.0, vp->pbot, vp->ptop);
    for (size_t i = 0; i < ch->ncats; i++) {
        float gx = vp->px0 + (float)i * vp->slot + (vp->slot - group) / 2.0f;
        for (size_t k = 0; k < ch->nseries; k++) {
            double v = ch->series[k].values[i];
            if (!finite_value(v))
                continue;
            float y = axis_map(&vp->a, v, vp->pbot, vp->ptop);
            obs_swatch sw = (ch->nseries == 1 && ch->highlight[i]) ? flag_swatch() : series_swatch(ch, k);
            pdf_fill_swatch(p, sw, gx + (float)k * bw + gap / 2.0f, fminf(y, y0), bw - gap, fabsf(y - y0));
        }
    }
    pdf_stroke_line(p, COL_MUTED, 0.6f, vp->px0, y0, vp->px1, y0);
}

/* Lines with small markers over the categories (e.g. weeks). */
static void line_series(ctx *c, const obs_chart *ch, const vplot *vp)
{
    HPDF_Page p = c->page;
    HPDF_Page_SetLineJoin(p, HPDF_ROUND_JOIN);
    HPDF_Page_SetLineCap(p, HPDF_ROUND_END);
    for (size_t k = 0; k < ch->nseries; k++) {
        obs_swatch sw = series_swatch(ch, k);
        rgb col = rgb_of(sw.rgb);
        pdf_set_stroke(p, col);
        HPDF_Page_SetLineWidth(p, 1.4f);
        bool pen = false, path = false;
        for (size_t i = 0; i < ch->ncats; i++) {
            double v = ch->series[k].values[i];
            if (!finite_value(v)) { /* a gap in the data breaks the line */
                pen = false;
                continue;
            }
            float x = vplot_x(vp, i), y = axis_map(&vp->a, v, vp->pbot, vp->ptop);
            if (pen)
                HPDF_Page_LineTo(p, x, y);
            else
                HPDF_Page_MoveTo(p, x, y);
            pen = path = true;
        }
        if (path) /* libharu refuses to stroke an empty path */
            HPDF_Page_Stroke(p);
        if (vp->slot >= 4.0f) {
            pdf_set_fill(p, col);
            for (size_t i = 0; i < ch->ncats; i++) {
                double v = ch->series[k].values[i];
                if (finite_value(v))
                    draw_marker(p, sw.marker, vplot_x(vp, i), axis_map(&vp->a, v, vp->pbot, vp->ptop),
                                fminf(1.9f, vp->slot * 0.3f));
            }
        }
    }
}

/* A vertical chart (columns or lines): axes, then the marks and the threshold line, the line
 * drawn over the columns and under the lines. */
static float vplot_body(ctx *c, const obs_chart *ch, float top, float max_h, bool draw)
{
    vplot vp;
    float h = vplot_layout(c, ch, top, max_h, &vp);
    if (!draw)
        return h;
    HPDF_Page_GSave(c->page);
    vplot_axes(c, ch, &vp);
    if (ch->kind == OBS_CHART_LINE) {
        vplot_threshold(c, ch, &vp);
        line_series(c, ch, &vp);
    } else {
        column_bars(c, ch, &vp);
        vplot_threshold(c, ch, &vp);
    }
    HPDF_Page_GRestore(c->page);
    return h;
}

#define LEGEND_SIZE 7.5f
#define LEGEND_ROW 11.0f

static float legend_swatch_w(const obs_chart *ch)
{
    return ch->kind == OBS_CHART_LINE ? 16.0f : 8.0f;
}

/* Legend rows (nseries > 1): swatch + name, flowed and centred. Returns the height. */
static float legend(ctx *c, const obs_chart *ch, float top, bool draw)
{
    if (ch->nseries < 2 || ch->empty_text || obs_chart_empty(ch))
        return 0.0f;
    float W = text_w(c), sw = legend_swatch_w(ch), gap = 14.0f;
    size_t n = ch->nseries, start = 0;
    float y = top - 3.0f;
    float h = 3.0f;
    while (start < n) {
        float row_w = 0.0f;
        size_t end = start;
        while (end < n) {
            char *s = pdf_to_cp1252(ch->series[end].name);
            float iw = sw + 3.0f + fminf(pdf_str_width(c->reg, LEGEND_SIZE, s), W - sw - 3.0f);
            g_free(s);
            if (end > start && row_w + gap + iw > W)
                break;
            row_w += (end > start ? gap : 0.0f) + iw;
            end++;
        }
        if (draw) {
            float x = c->x0 + (W - row_w) / 2.0f;
            float base = y - pdf_baseline_drop(LEGEND_SIZE, LEGEND_ROW);
            float mid = base + LEGEND_SIZE * 0.33f;
            for (size_t k = start; k < end; k++) {
                obs_swatch key = series_swatch(ch, k);
                rgb col = rgb_of(key.rgb);
                if (ch->kind == OBS_CHART_LINE) {
                    pdf_stroke_line(c->page, col, 1.4f, x, mid, x + sw, mid);
                    pdf_set_fill(c->page, col);
                    draw_marker(c->page, key.marker, x + sw / 2.0f, mid, 1.9f);
                } else {
                    pdf_fill_swatch(c->page, key, x, mid - sw / 2.0f, sw, sw);
                }
                char *s = pdf_to_cp1252(ch->series[k].name);
                char *fit = pdf_fit_label(c->reg, LEGEND_SIZE, s, W - sw - 3.0f);
                pdf_show_text(c->page, c->reg, LEGEND_SIZE, COL_TEXT, x + sw + 3.0f, base, fit, 0.0f);
                x += sw + 3.0f + pdf_str_width(c->reg, LEGEND_SIZE, fit) + gap;
                g_free(fit);
                g_free(s);
            }
        }
        y -= LEGEND_ROW;
        h += LEGEND_ROW;
        start = end;
    }
    return h;
}

typedef float (*chart_body_fn)(ctx *c, const obs_chart *ch, float top, float max_h, bool draw);

/* A chart without data: its sentence instead of axes over nothing. */
static float empty_body(ctx *c, const obs_chart *ch, float top, float max_h, bool draw)
{
    (void)max_h;
    tstyle st = pdf_par_style(OBS_PAR_NORMAL);
    return pdf_text_block(c, ch->empty_text, &st, c->x0, text_w(c), top, draw);
}

/* A chart whose series are all empty (obs_chart_empty()) and that has no sentence of its own. */
static float no_data_body(ctx *c, const obs_chart *ch, float top, float max_h, bool draw)
{
    (void)ch;
    (void)max_h;
    if (draw)
        draw_no_data(c, top);
    return EMPTY_CHART_H;
}

static chart_body_fn chart_body(const obs_chart *ch)
{
    if (ch->empty_text)
        return empty_body;
    if (obs_chart_empty(ch))
        return no_data_body;
    switch (ch->kind) {
    case OBS_CHART_COLUMN:
    case OBS_CHART_LINE:
        return vplot_body;
    case OBS_CHART_HBAR:
    default:
        return hbar_body;
    }
}

/*
 * A chart block: title, plot, legend, note. Charts are never split: the whole
 * block moves to a new page when it does not fit, and the plot shrinks when
 * even a full page is too small. With draw false it only measures.
 */
static float chart_block_drawn(ctx *c, const obs_chart *ch, bool draw, obs_status *status)
{
    tstyle title = pdf_caption_style(), note = pdf_small_note_style();
    float W = text_w(c);
    float title_h = pdf_text_block(c, ch->title, &title, c->x0, W, 0.0f, false);
    /* An empty chart's note would describe bars and lines that are not drawn. */
    const char *note_text = obs_chart_empty(ch) ? NULL : ch->note;
    float note_h = pdf_text_block(c, note_text, &note, c->x0, W, 0.0f, false);
    float legend_h = legend(c, ch, 0.0f, false);
    float extra = (title_h > 0 ? title_h + 4.0f : 0.0f) + legend_h + (note_h > 0 ? note_h + 4.0f : 0.0f);
    float max_body = (c->ytop - c->ybot) - extra - 2.0f;
    chart_body_fn body = chart_body(ch);
    float total = extra + body(c, ch, 0.0f, max_body, false);
    *status = OBS_OK;
    if (!draw)
        return total;
    *status = pdf_need(c, total);
    if (*status != OBS_OK)
        return total;
    float y = c->y;
    if (title_h > 0) {
        pdf_text_block(c, ch->title, &title, c->x0, W, y, true);
        y -= title_h + 4.0f;
    }
    y -= body(c, ch, y, max_body, true);
    y -= legend(c, ch, y, true);
    if (note_h > 0)
        pdf_text_block(c, note_text, &note, c->x0, W, y - 4.0f, true);
    c->y -= total;
    c->fresh = false;
    pdf_space(c, 12.0f);
    *status = pdf_check(c, "dibujar una gráfica");
    return total;
}

/* A chart as the page shows it: bounded to OBS_PDF_CHART_MAX_CATS categories when the model
 * allows it (render.h; the XLSX keeps every category). */
float pdf_chart_block(ctx *c, const obs_chart *ch, bool draw, obs_status *status)
{
    obs_chart *bounded = obs_chart_bounded(ch, OBS_PDF_CHART_MAX_CATS);
    float h = chart_block_drawn(c, bounded ? bounded : ch, draw, status);
    obs_chart_free(bounded);
    return h;
}
