/* render_xlsx_chart.c - the XLSX renderer's charts: each chart's data as a table and a native chart. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render/render_xlsx_int.h"

static bool any_highlight(const obs_chart *c)
{
    for (size_t i = 0; i < c->ncats; i++)
        if (c->highlight[i])
            return true;
    return false;
}

/* A value of the chart's data: a count as an INT cell, anything else with two decimals. */
static obs_cell value_cell(double v, bool integral)
{
    if (!isfinite(v))
        return (obs_cell){.kind = OBS_CELL_EMPTY};
    if (integral)
        return (obs_cell){.kind = OBS_CELL_INT, .num = (int64_t)v};
    return (obs_cell){.kind = OBS_CELL_DEC, .dec = v, .decimals = 2};
}

/*
 * Bars over weeks take their categories from a column of text ("8 ene 24"), not from the date
 * cells: Excel and LibreOffice draw a category axis of dates as a time line, on which weekly bars
 * are a day wide and hair-thin. A line chart keeps its dates.
 */
static bool text_categories(const obs_chart *c)
{
    return c->days && c->kind != OBS_CHART_LINE;
}

/* The column of the categories the chart reads: 0, or the last one (text_categories()). */
static lxw_col_t category_col(const obs_chart *c, size_t ncols)
{
    return text_categories(c) ? (lxw_col_t)(ncols - 1) : 0;
}

/*
 * The chart's data as a table of the model, written like any other: A = the categories (date
 * cells when they are days), one column per series, then the threshold as a constant column,
 * when some categories are highlighted a "Señalado" column (Sí/No): the mark is data, never only
 * a colour; and for bars over weeks, the weeks as the chart labels them. Series of counts are INT
 * cells even when the threshold has decimals. Strings are borrowed, not copied.
 */
static void chart_table(const obs_chart *c, const char *sheet, const char *threshold_name,
                        obs_table *t)
{
    bool flags = any_highlight(c);
    size_t thr_col = 1 + c->nseries;
    size_t flag_col = thr_col + (c->has_threshold ? 1 : 0);
    size_t ncols = flag_col + (flags ? 1 : 0) + (text_categories(c) ? 1 : 0);
    bool integral = obs_chart_integral(c);
    bool thr_integral = c->has_threshold && c->threshold == floor(c->threshold);
    obs_column *cols = g_new0(obs_column, ncols);
    /* The category axis is the vertical one in a horizontal bar chart. */
    const char *cat_title = c->kind == OBS_CHART_HBAR ? c->y_title : c->x_title;
    cols[0] = (obs_column){.header = (char *)(cat_title ? cat_title : "Categoría")};
    for (size_t k = 1; k < thr_col; k++) {
        const char *h = c->series[k - 1].name;
        cols[k] = (obs_column){.header = (char *)(h ? h : ""), .align = OBS_ALIGN_RIGHT};
    }
    if (c->has_threshold)
        cols[thr_col] = (obs_column){.header = (char *)threshold_name, .align = OBS_ALIGN_RIGHT};
    if (flags)
        cols[flag_col] = (obs_column){.header = (char *)"Señalado", .align = OBS_ALIGN_CENTER,
                                      .description = (char *)"Sí: resaltado en la gráfica (OPL con bajo número "
                                                             "de acciones de difusión)"};
    if (text_categories(c))
        cols[ncols - 1] = (obs_column){.header = (char *)"Rótulo en la gráfica", .align = OBS_ALIGN_CENTER,
                                       .description = (char *)"La semana como la rotula la gráfica"};
    obs_row *rows = g_new0(obs_row, c->ncats);          /* NULL when empty */
    obs_cell *cells = g_new0(obs_cell, c->ncats * ncols); /* rows[0].cells */
    for (size_t i = 0; i < c->ncats; i++) {
        obs_cell *row = &cells[i * ncols];
        rows[i] = (obs_row){.kind = OBS_ROW_DATA, .marked = c->highlight[i], .cells = row};
        if (c->days && c->days[i])
            row[0] = (obs_cell){.kind = OBS_CELL_DATE, .num = c->days[i]};
        else
            row[0] = (obs_cell){.kind = OBS_CELL_TEXT, .text = c->cats[i]};
        for (size_t k = 1; k < thr_col; k++)
            row[k] = value_cell(c->series[k - 1].values[i], integral);
        if (c->has_threshold)
            row[thr_col] = value_cell(c->threshold, thr_integral);
        if (flags)
            row[flag_col] = (obs_cell){.kind = OBS_CELL_TEXT, .text = (char *)(c->highlight[i] ? "Sí" : "No")};
        if (text_categories(c))
            row[ncols - 1] = (obs_cell){.kind = OBS_CELL_TEXT, .text = c->cats[i]};
    }
    *t = (obs_table){.id = c->id, .title = c->title ? c->title : (char *)sheet,
                     .sheet = (char *)sheet, .note = c->note, .targets = OBS_TARGET_XLSX,
                     .ncols = ncols, .cols = cols, .nrows = c->ncats, .rows = rows};
}

static void chart_table_free(obs_table *t)
{
    g_free(t->nrows ? t->rows[0].cells : NULL);
    g_free(t->rows);
    g_free(t->cols);
}

/* A swatch as a bar's fill: its colour, or its hatch over its colour. */
typedef struct bar_look {
    lxw_chart_fill fill;
    lxw_chart_pattern pattern;
    bool hatched;
} bar_look;

static bar_look look_of(obs_swatch sw)
{
    bar_look b = {.fill = {.color = sw.rgb}, .hatched = sw.fill == OBS_FILL_HATCH};
    b.pattern = (lxw_chart_pattern){.type = LXW_CHART_PATTERN_WIDE_UPWARD_DIAGONAL,
                                    .fg_color = sw.ink, .bg_color = sw.rgb};
    return b;
}

static void set_bar_look(lxw_chart_series *ser, bar_look *b)
{
    if (b->hatched)
        chart_series_set_pattern(ser, &b->pattern);
    else
        chart_series_set_fill(ser, &b->fill);
}

/* Colours the highlighted categories of a single-series bar chart in the flagged swatch.
 * libxlsxwriter takes every point in order (the list is NULL-terminated), so the others get
 * the series' look explicitly. */
static obs_status highlight_points(xlsx_ctx *ctx, const char *sheet, const obs_chart *c,
                                   lxw_chart_series *ser, bar_look *normal)
{
    if (!any_highlight(c))
        return OBS_OK;
    bar_look alert = look_of(flag_swatch());
    lxw_chart_point *pts = g_new0(lxw_chart_point, c->ncats);
    lxw_chart_point **list = g_new0(lxw_chart_point *, c->ncats + 1);
    for (size_t i = 0; i < c->ncats; i++) {
        bar_look *b = c->highlight[i] ? &alert : normal;
        if (b->hatched)
            pts[i].pattern = &b->pattern;
        else
            pts[i].fill = &b->fill;
        list[i] = &pts[i];
    }
    lxw_error e = chart_series_set_points(ser, list);
    g_free(list);
    g_free(pts);
    TRY(ctx, e, sheet, "los colores de la gráfica");
    return OBS_OK;
}

/* Writes the threshold's label next to its line, on the last category, so that
 * a single-series chart needs no legend to explain the line. */
static obs_status label_threshold(xlsx_ctx *ctx, const char *sheet, const obs_chart *c,
                                  lxw_chart_series *ser, const char *label)
{
    lxw_chart_font font = {.size = 9, .color = COLOR_THRESHOLD};
    /* An opaque box: the label may fall on a bar. */
    lxw_chart_fill box = {.color = 0xFFFFFF};
    lxw_chart_data_label hidden = {.hide = LXW_TRUE};
    char *text = xlsx_chart_text(label);
    lxw_chart_data_label shown = {.value = text, .font = &font, .fill = &box};
    lxw_chart_data_label **list = g_new0(lxw_chart_data_label *, c->ncats + 1);
    for (size_t i = 0; i < c->ncats; i++)
        list[i] = i + 1 == c->ncats ? &shown : &hidden;
    chart_series_set_labels(ser);
    chart_series_set_labels_position(ser, c->kind == OBS_CHART_LINE
                                              ? LXW_CHART_LABEL_POSITION_ABOVE
                                              : LXW_CHART_LABEL_POSITION_OUTSIDE_END);
    lxw_error e = chart_series_set_labels_custom(ser, list);
    g_free(list);
    g_free(text);
    TRY(ctx, e, sheet, "la etiqueta del umbral");
    return OBS_OK;
}

/*
 * The threshold as a line. libxlsxwriter 1.1.4 has no chart_combine() and no
 * secondary axis, so a bar chart cannot contain a line series. What both Excel
 * and LibreOffice draw is a trendline: the threshold column is added as an
 * invisible series (no fill, no border) and given a linear trendline, which
 * over constant values is exactly the threshold, extended half a category at
 * each end so that it crosses the whole plot. In a horizontal bar chart it is a
 * vertical line at the threshold, in a column chart a horizontal one; the bars
 * stay native bars with their per-point colours. A line chart just gets a
 * dashed series.
 */
static obs_status add_threshold(xlsx_ctx *ctx, const char *sheet, const obs_chart *c,
                                lxw_chart *chart, lxw_row_t r0, lxw_row_t r1, lxw_col_t cat,
                                lxw_col_t col, const char *label)
{
    lxw_chart_series *ser = chart_add_series(chart, NULL, NULL);
    if (!ser)
        return xlsx_nomem(ctx, "la gráfica");
    chart_series_set_categories(ser, sheet, r0, cat, r1, cat);
    chart_series_set_values(ser, sheet, r0, col, r1, col);
    lxw_chart_line dashed = {.color = COLOR_THRESHOLD, .width = 1.75f,
                             .dash_type = LXW_CHART_LINE_DASH_DASH};
    if (c->kind == OBS_CHART_LINE) {
        chart_series_set_name_range(ser, sheet, ROW_HEADER, col);
        chart_series_set_line(ser, &dashed);
        chart_series_set_marker_type(ser, LXW_CHART_MARKER_NONE);
    } else {
        /* The carrier's legend entry must vanish, but legend-entry deletion is
         * not portable (LibreOffice maps the indexes of a bar chart in reverse
         * and hides a trendline's entry with its series): a blank name leaves
         * an empty slot, while the trendline keeps its named entry. */
        chart_series_set_name(ser, " ");
        lxw_chart_fill no_fill = {.none = LXW_TRUE};
        lxw_chart_line no_line = {.none = LXW_TRUE};
        chart_series_set_fill(ser, &no_fill);
        chart_series_set_line(ser, &no_line);
        chart_series_set_trendline(ser, LXW_CHART_TRENDLINE_TYPE_LINEAR, 0);
        chart_series_set_trendline_forecast(ser, 0.5, 0.5);
        chart_series_set_trendline_line(ser, &dashed);
        char *name = xlsx_chart_text(label);
        chart_series_set_trendline_name(ser, name);
        g_free(name);
    }
    return label_threshold(ctx, sheet, c, ser, label);
}

/*
 * A chart sheet prints like any table, fitted to one page wide (xlsx_page_setup()), with its chart
 * beside the table on the first page: a chart no taller than a printed page (about 900 × 600
 * pixels at 96 per inch: Letter or A4 landscape, 2 cm margins, header and footer), anchored below
 * the title rows and shrunk with the table, is never cut across pages, nor is the title above it.
 */
#define CHART_PRINT_W 680.0
#define CHART_PRINT_H 500.0

static const uint8_t MARKERS[] = {
    [OBS_MARKER_CIRCLE] = LXW_CHART_MARKER_CIRCLE,
    [OBS_MARKER_SQUARE] = LXW_CHART_MARKER_SQUARE,
    [OBS_MARKER_TRIANGLE] = LXW_CHART_MARKER_TRIANGLE,
    [OBS_MARKER_DIAMOND] = LXW_CHART_MARKER_DIAMOND,
};

/* Series s of a chart, in its category's swatch: bars filled (hatched when the swatch says so),
 * lines with the swatch's marker, as the PDF draws them. */
static obs_status add_series(xlsx_ctx *ctx, const char *sheet, const obs_chart *c, lxw_chart *chart,
                             size_t s, lxw_col_t cat)
{
    lxw_chart_series *ser = chart_add_series(chart, NULL, NULL);
    if (!ser)
        return xlsx_nomem(ctx, "la gráfica");
    lxw_row_t r0 = ROW_FIRST_DATA, r1 = (lxw_row_t)(ROW_FIRST_DATA + c->ncats - 1);
    lxw_col_t col = (lxw_col_t)(1 + s);
    chart_series_set_categories(ser, sheet, r0, cat, r1, cat);
    chart_series_set_values(ser, sheet, r0, col, r1, col);
    /* The name comes from the header cell, so the legend follows the table. */
    chart_series_set_name_range(ser, sheet, ROW_HEADER, col);
    obs_swatch sw = obs_palette_swatch(c->series[s].category, s);
    if (c->kind != OBS_CHART_LINE) {
        bar_look look = look_of(sw);
        set_bar_look(ser, &look);
        return c->nseries == 1 ? highlight_points(ctx, sheet, c, ser, &look) : OBS_OK;
    }
    lxw_chart_line line = {.color = sw.rgb, .width = 2.25f};
    chart_series_set_line(ser, &line);
    lxw_chart_fill mfill = {.color = sw.rgb};
    lxw_chart_line mline = {.color = sw.rgb};
    chart_series_set_marker_type(ser, MARKERS[sw.marker]);
    chart_series_set_marker_size(ser, 5);
    chart_series_set_marker_fill(ser, &mfill);
    chart_series_set_marker_line(ser, &mline);
    return OBS_OK;
}

static lxw_chart *new_chart(xlsx_ctx *ctx, obs_chart_kind kind)
{
    switch (kind) {
    case OBS_CHART_HBAR:
        return workbook_add_chart(ctx->wb, LXW_CHART_BAR);
    case OBS_CHART_LINE:
        return workbook_add_chart(ctx->wb, LXW_CHART_LINE);
    case OBS_CHART_COLUMN:
    default:
        return workbook_add_chart(ctx->wb, LXW_CHART_COLUMN);
    }
}

static void set_axis_title(lxw_chart_axis *axis, const char *title)
{
    if (!title || !title[0])
        return;
    char *t = xlsx_chart_text(title);
    chart_axis_set_name(axis, t);
    g_free(t);
}

/* The chart's title and axes: names, number formats, category labels (rotated when many). */
static void set_titles_and_axes(lxw_chart *chart, const obs_chart *c, const char *sheet)
{
    char *title = xlsx_chart_text(c->title ? c->title : sheet);
    chart_title_set_name(chart, title);
    g_free(title);
    lxw_chart_font title_font = {.size = 12, .bold = LXW_TRUE};
    chart_title_set_name_font(chart, &title_font);

    /* libxlsxwriter swaps a bar chart's axes: x_axis is then the horizontal
     * (value) axis, so x_title/y_title keep meaning horizontal/vertical. */
    lxw_chart_axis *cat_axis = c->kind == OBS_CHART_HBAR ? chart->y_axis : chart->x_axis;
    lxw_chart_axis *val_axis = c->kind == OBS_CHART_HBAR ? chart->x_axis : chart->y_axis;
    set_axis_title(chart->x_axis, c->x_title);
    set_axis_title(chart->y_axis, c->y_title);
    bool integral = obs_chart_integral(c);
    chart_axis_set_num_format(val_axis, integral ? "#,##0" : "#,##0.0#");
    if (integral) {
        /* Counts get whole-number ticks, the PDF's: left alone, Excel and LibreOffice may mark
         * 2.5 or 7.5 requests. */
        double lo, hi;
        obs_chart_value_range(c, &lo, &hi);
        chart_axis_set_major_unit(val_axis, obs_axis_step(lo, hi, OBS_CHART_AXIS_STEPS, true));
    }
    if (c->days && !text_categories(c))
        chart_axis_set_num_format(cat_axis, "dd/mm/yy");
    lxw_chart_font cat_font = {.size = c->ncats > 12 ? 8 : 10};
    if (c->kind == OBS_CHART_HBAR) {
        /* Bars read top-down in table order; the value axis stays at the bottom. */
        chart_axis_set_reverse(cat_axis);
        chart_axis_set_crossing_max(cat_axis);
    } else if (c->ncats > 12) {
        cat_font.rotation = -45;
    }
    chart_axis_set_num_font(cat_axis, &cat_font);
}

/*
 * Sized so that 32 entidades stay legible: ~20 px per bar in a horizontal
 * bar chart, ~30 px per column, more when several series share a category
 * (the threshold's carrier takes a slot too unless it overlaps a lone
 * series); never larger than a printed page (CHART_PRINT_*), so that it prints
 * at full size. libxlsxwriter's default chart is 480×288 px.
 */
static lxw_chart_options chart_size(const obs_chart *c)
{
    double slots = (double)c->nseries + (c->has_threshold && c->nseries > 1 ? 1 : 0);
    double n = (double)c->ncats, w, h;
    if (c->kind == OBS_CHART_HBAR) {
        w = 760;
        h = 140 + n * (8 + 12 * slots);
    } else if (c->kind == OBS_CHART_COLUMN) {
        w = 160 + n * (14 + 16 * slots);
        h = 460;
    } else {
        w = 160 + n * 24;
        h = 460;
    }
    w = w < 520 ? 520 : w > CHART_PRINT_W ? CHART_PRINT_W : w;
    h = h < 320 ? 320 : h > CHART_PRINT_H ? CHART_PRINT_H : h;
    return (lxw_chart_options){.x_offset = 16, .y_offset = 0, .x_scale = w / 480.0, .y_scale = h / 288.0};
}

/* The native chart beside the chart's table (ncols columns): series, threshold, titles, axes,
 * legend and size. */
static obs_status insert_chart(xlsx_ctx *ctx, lxw_worksheet *ws, const obs_chart *c, const char *sheet,
                               size_t ncols, const char *threshold_name)
{
    lxw_chart *chart = new_chart(ctx, c->kind);
    if (!chart)
        return xlsx_nomem(ctx, "la gráfica");
    lxw_row_t r0 = ROW_FIRST_DATA, r1 = (lxw_row_t)(ROW_FIRST_DATA + c->ncats - 1);
    lxw_col_t cat = category_col(c, ncols);
    obs_status st = OBS_OK;
    for (size_t s = 0; s < c->nseries && st == OBS_OK; s++)
        st = add_series(ctx, sheet, c, chart, s, cat);
    if (st == OBS_OK && c->has_threshold)
        st = add_threshold(ctx, sheet, c, chart, r0, r1, cat, (lxw_col_t)(1 + c->nseries), threshold_name);
    if (st != OBS_OK)
        return st;
    set_titles_and_axes(chart, c, sheet);
    if (c->kind != OBS_CHART_LINE) {
        chart_set_series_gap(chart, 50);
        /* The invisible threshold series would otherwise take half of each slot. */
        if (c->has_threshold && c->nseries == 1)
            chart_set_series_overlap(chart, 100);
    }
    /* A legend only to tell several series apart; the threshold is labelled on its line. */
    chart_legend_set_position(chart, c->nseries > 1 ? LXW_CHART_LEGEND_BOTTOM
                                                    : LXW_CHART_LEGEND_NONE);
    lxw_chart_options opt = chart_size(c);
    /* Beside the table and below the frozen header: an object across the
     * freeze line is split in two panes when the sheet scrolls. */
    TRY(ctx, worksheet_insert_chart_opt(ws, ROW_FIRST_DATA, (lxw_col_t)ncols, chart, &opt),
        sheet, "la gráfica");
    return OBS_OK;
}

obs_status xlsx_write_chart(xlsx_ctx *ctx, const obs_chart *c, const char *sheet)
{
    lxw_worksheet *ws;
    obs_status st = xlsx_add_sheet(ctx, sheet, &ws);
    if (st != OBS_OK)
        return st;
    char *threshold_name = xlsx_cell_text(c->threshold_label ? c->threshold_label : "Umbral");
    obs_table data;
    chart_table(c, sheet, threshold_name, &data);
    size_t ncols = data.ncols;
    st = xlsx_write_table(ctx, ws, &data, sheet);
    chart_table_free(&data);
    /* No categories, no series or nothing but zeros (as the PDF, which then says "Sin registros
     * al corte"): the data sheet is all there is to show. */
    if (st == OBS_OK && !(c->ncats == 0 || c->nseries == 0 || obs_chart_empty(c) || c->empty_text)) {
        st = insert_chart(ctx, ws, c, sheet, ncols, threshold_name);
    } else if (st == OBS_OK && c->empty_text) {
        /* The sentence the PDF prints where the chart would be, beside the data. */
        char *text = xlsx_cell_text(c->empty_text);
        lxw_error e = worksheet_write_string(ws, ROW_FIRST_DATA, (lxw_col_t)(ncols + 1), text, NULL);
        g_free(text);
        if (e != LXW_NO_ERROR)
            st = xlsx_fail(ctx, e, sheet, "la gráfica sin datos");
    }
    g_free(threshold_name);
    return st;
}
