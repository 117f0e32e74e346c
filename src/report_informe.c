/* report_informe.c - builds the national informe's model (reports.md §1-2) from a run. */
#include "observa/report.h"

#include <glib.h>
#include <string.h>

#define TITULO "Informe sobre el seguimiento al procedimiento de acreditación de las y los " \
               "observadores electorales"
/* Mexico City has kept UTC-6 all year since October 2022. */
#define MX_UTC_OFFSET (-6 * 3600)
/* Weeks shown at most in the cumulative chart. */
#define MAX_WEEKS 60

typedef struct ctx {
    const obs_run *run;
    const obs_report_info *info;
    const obs_snapshot *now;
    const obs_snapshot *prev; /* NULL without corte anterior */
    char corte_larga[64];
    char anterior_larga[64];
} ctx;

typedef enum col_kind {
    COL_INT,    /* value of a metric */
    COL_PCT,    /* metric over base metric */
    COL_DELTA   /* change of a metric since the corte anterior */
} col_kind;

typedef struct col_spec {
    const char *header;
    col_kind kind;
    size_t metric;
    size_t base;
} col_spec;

obs_day obs_day_from_unix(int64_t t)
{
    int64_t local = t + MX_UTC_OFFSET;
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    /* 1970-01-01 is Julian day 719163 in GLib's numbering (0001-01-01 = 1). */
    return (obs_day)(719163 + days);
}

static int64_t val(const obs_snapshot *s, int e, size_t m)
{
    return obs_snapshot_get(s, e, m);
}

static const char *entidad_nombre(const ctx *c, int e)
{
    return obs_catalog_entidad(c->run->cat, e)->nombre;
}

static const char *opl_etiqueta(const ctx *c, int e)
{
    return obs_catalog_entidad(c->run->cat, e)->opl_etiqueta;
}

static void fill_cell(const ctx *c, obs_row *row, size_t col, const col_spec *spec, int e)
{
    switch (spec->kind) {
    case COL_INT:
        obs_row_set_int(row, col, val(c->now, e, spec->metric));
        break;
    case COL_PCT:
        obs_row_set_pct(row, col, val(c->now, e, spec->metric), val(c->now, e, spec->base));
        break;
    case COL_DELTA:
        obs_row_set_delta(row, col, val(c->now, e, spec->metric) - val(c->prev, e, spec->metric));
        break;
    }
}

/* A table with one row per entidad (clave order) and a national total row. */
static obs_table *entidad_table(const ctx *c, obs_section *sec, const char *id, const char *title,
                                const char *sheet, const col_spec *cols, size_t ncols,
                                bool mark_bajo)
{
    obs_table *t = obs_section_add_table(sec, id, title, sheet, ncols + 1);
    obs_table_set_column(t, 0, "Entidad", OBS_ALIGN_LEFT, 0);
    for (size_t i = 0; i < ncols; i++)
        obs_table_set_column(t, i + 1, cols[i].header, OBS_ALIGN_RIGHT, 0);
    for (int e = 1; e <= OBS_ENTIDADES; e++) {
        obs_row *row = obs_table_add_row(t, OBS_ROW_DATA);
        bool bajo = mark_bajo && obs_snapshot_bajo(c->now, e);
        if (bajo) {
            char *name = g_strconcat(entidad_nombre(c, e), " *", NULL);
            obs_row_set_text(row, 0, name);
            g_free(name);
            row->marked = true;
        } else {
            obs_row_set_text(row, 0, entidad_nombre(c, e));
        }
        for (size_t i = 0; i < ncols; i++)
            fill_cell(c, row, i + 1, &cols[i], e);
    }
    obs_row *total = obs_table_add_row(t, OBS_ROW_TOTAL);
    obs_row_set_text(total, 0, "Total nacional");
    for (size_t i = 0; i < ncols; i++)
        fill_cell(c, total, i + 1, &cols[i], 0);
    return t;
}

static char *fmt_int(char *buf, int64_t v)
{
    return obs_fmt_int(buf, OBS_FMT_MAX, v);
}

static char *fmt_dec(char *buf, double v)
{
    return obs_fmt_dec(buf, OBS_FMT_MAX, v, 2);
}

/* ---- cover and presentation ------------------------------------------------------------------ */

static void cover(const ctx *c, obs_doc *doc)
{
    char hoy[64], corta[32];
    obs_fmt_fecha_larga(hoy, sizeof hoy, obs_day_from_unix(c->info->generated_at));
    obs_fmt_fecha_corta(corta, sizeof corta, c->run->corte);
    doc->layout = OBS_LAYOUT_REPORT;
    doc->paper = c->info->paper;
    doc->generated_at = c->info->generated_at;
    obs_set_str(&doc->title, TITULO);
    char *subject = g_strdup_printf("Seguimiento a la acreditación de observadoras y observadores "
                                    "electorales, con corte al %s", c->corte_larga);
    obs_set_str(&doc->subject, subject);
    g_free(subject);
    obs_set_str(&doc->author, "Instituto Nacional Electoral, Dirección Ejecutiva de Organización Electoral");
    char *creator = g_strdup_printf("observa %s", c->info->version);
    obs_set_str(&doc->creator, creator);
    g_free(creator);
    char *keywords = g_strdup_printf("observación electoral; acreditación; acciones de difusión; OPL; "
                                     "CCOE; %s", c->info->proceso);
    obs_set_str(&doc->keywords, keywords);
    g_free(keywords);
    char *header = g_strdup_printf("Acreditación de observadores electorales · Corte al %s", corta);
    obs_set_str(&doc->header, header);
    g_free(header);
    obs_set_str(&doc->cover.institution, "Instituto Nacional Electoral");
    obs_set_str(&doc->cover.area, "Dirección Ejecutiva de Organización Electoral");
    obs_set_str(&doc->cover.title, TITULO);
    obs_set_str(&doc->cover.subtitle, c->info->proceso);
    char *corte = g_strdup_printf("Con corte al %s", c->corte_larga);
    obs_set_str(&doc->cover.corte, corte);
    g_free(corte);
    char *place = g_strdup_printf("%s, %s", c->info->lugar, hoy);
    obs_set_str(&doc->cover.place_date, place);
    g_free(place);
    obs_set_str(&doc->cover.logo_path, c->info->logo);
}

static void presentacion(const ctx *c, obs_doc *doc)
{
    obs_section *sec = obs_doc_add_section(doc, "Presentación");
    obs_section_add_paragraph(
        sec, OBS_PAR_NORMAL,
        "La Dirección Ejecutiva de Organización Electoral (DEOE) presenta a la Comisión de "
        "Capacitación y Organización Electoral (CCOE) el informe sobre el seguimiento al "
        "procedimiento de acreditación de las y los observadores electorales del %s, con la "
        "información registrada en el Sistema de Observadores y Observadoras Electorales con "
        "corte al %s.",
        c->info->proceso, c->corte_larga);
    obs_section_add_paragraph(
        sec, OBS_PAR_NORMAL,
        "El informe da cuenta de las acciones de difusión de la convocatoria realizadas por las "
        "Juntas Locales y Distritales Ejecutivas del Instituto y por los Organismos Públicos "
        "Locales (OPL), de las solicitudes de acreditación recibidas por entidad, sexo, tipo y "
        "medio de recepción, y del estado que guardan: cursos de capacitación, aprobaciones y "
        "solicitudes pendientes de resolución.");
}

/* ---- resumen ---------------------------------------------------------------------------------- */

static void resumen(const ctx *c, obs_doc *doc)
{
    char n[8][OBS_FMT_MAX]; /* one buffer per number of a sentence */
    obs_section *sec = obs_doc_add_section(doc, "Resumen");
    char a[OBS_FMT_MAX], b[OBS_FMT_MAX];
    int64_t total = val(c->now, 0, OBS_M_TOTAL);
    int64_t aprob = val(c->now, 0, OBS_M_APROBADAS);
    if (c->prev) {
        int64_t before = val(c->prev, 0, OBS_M_TOTAL);
        obs_section_add_paragraph(
            sec, OBS_PAR_NORMAL,
            "Al %s se han recibido %s solicitudes de acreditación, %s más que al corte anterior "
            "(%s), cuando sumaban %s. De ellas, %s han sido aprobadas por los consejos locales y "
            "distritales.",
            c->corte_larga, fmt_int(n[0], total), fmt_int(n[1], total - before), c->anterior_larga,
            fmt_int(n[2], before), fmt_int(n[3], aprob));
    } else {
        obs_section_add_paragraph(
            sec, OBS_PAR_NORMAL,
            "Al %s se han recibido %s solicitudes de acreditación; de ellas, %s han sido aprobadas "
            "por los consejos locales y distritales.",
            c->corte_larga, fmt_int(n[0], total), fmt_int(n[1], aprob));
    }
    static const struct {
        const char *label;
        size_t metric;
    } rows[] = {
        {"Solicitudes recibidas", OBS_M_TOTAL},
        {"Mujeres", OBS_M_SEXO + OBS_SEXO_MUJER},
        {"Hombres", OBS_M_SEXO + OBS_SEXO_HOMBRE},
        {"Personas no binarias", OBS_M_SEXO + OBS_SEXO_NO_BINARIA},
        {"Solicitudes individuales", OBS_M_TIPO + OBS_TIPO_INDIVIDUAL},
        {"Solicitudes de integrantes de organizaciones", OBS_M_TIPO + OBS_TIPO_ORGANIZACION},
        {"Con curso de capacitación", OBS_M_CURSO_CON},
        {"Aprobadas", OBS_M_APROBADAS},
        {"Pendientes de resolución", OBS_M_PENDIENTES},
        {"Acciones de difusión", OBS_M_DIF_TOTAL},
        {"Realizadas por las juntas del INE", OBS_M_DIF_INE},
        {"Realizadas por los OPL", OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL},
        {"OPL con bajo número de acciones de difusión", OBS_M_DIF_BAJO},
    };
    size_t ncols = c->prev ? 4 : 2;
    obs_table *t = obs_section_add_table(sec, "resumen", "Cifras principales", "Resumen", ncols);
    char h1[96], h2[96];
    obs_fmt_fecha_corta(a, sizeof a, c->run->corte);
    g_snprintf(h1, sizeof h1, "Al corte (%s)", a);
    obs_table_set_column(t, 0, "Indicador", OBS_ALIGN_LEFT, 3);
    obs_table_set_column(t, 1, h1, OBS_ALIGN_RIGHT, 1);
    if (c->prev) {
        obs_fmt_fecha_corta(b, sizeof b, c->run->corte_anterior);
        g_snprintf(h2, sizeof h2, "Corte anterior (%s)", b);
        obs_table_set_column(t, 2, h2, OBS_ALIGN_RIGHT, 1);
        obs_table_set_column(t, 3, "Cambio", OBS_ALIGN_RIGHT, 1);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
        obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
        obs_row_set_text(r, 0, rows[i].label);
        obs_row_set_int(r, 1, val(c->now, 0, rows[i].metric));
        if (c->prev) {
            obs_row_set_int(r, 2, val(c->prev, 0, rows[i].metric));
            obs_row_set_delta(r, 3, val(c->now, 0, rows[i].metric) - val(c->prev, 0, rows[i].metric));
        }
    }
}

/* ---- difusión ----------------------------------------------------------------------------------- */

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

static char *regla_texto(const ctx *c)
{
    char m[OBS_FMT_MAX], u[OBS_FMT_MAX], f[OBS_FMT_MAX];
    return g_strdup_printf(
        "Un OPL se señala cuando registra menos acciones de difusión que el umbral: el mayor "
        "entre %" G_GINT64_FORMAT " acciones y %s%% de la mediana nacional de acciones de los OPL "
        "(mediana %s; umbral %s).",
        c->now->rule.umbral_minimo, obs_fmt_dec(f, sizeof f, c->now->rule.fraccion_mediana * 100, 1),
        fmt_dec(m, c->now->mediana), fmt_dec(u, c->now->umbral));
}

static char *lista_bajos(const ctx *c)
{
    GString *s = g_string_new(NULL);
    int n = 0, total = c->now->nbajo;
    for (int e = 1; e <= OBS_ENTIDADES; e++) {
        if (!obs_snapshot_bajo(c->now, e))
            continue;
        n++;
        int64_t v = val(c->now, e, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL);
        char a[OBS_FMT_MAX];
        g_string_append_printf(s, "%s%s (%s) con %s %s", n == 1 ? "" : (n == total ? " y " : ", "),
                               opl_etiqueta(c, e), entidad_nombre(c, e), fmt_int(a, v),
                               v == 1 ? "acción" : "acciones");
    }
    return g_string_free(s, FALSE);
}

static void difusion(const ctx *c, obs_doc *doc)
{
    char n[8][OBS_FMT_MAX]; /* one buffer per number of a sentence */
    obs_section *sec = obs_doc_add_section(doc, "Difusión de la convocatoria");
    sec->new_page = true;
    const obs_cube *cube = c->run->cube;
    char a[OBS_FMT_MAX];
    int64_t total = val(c->now, 0, OBS_M_DIF_TOTAL);
    obs_section_add_paragraph(
        sec, OBS_PAR_NORMAL,
        "Con corte al %s se han registrado en el Sistema %s acciones de difusión de la "
        "convocatoria: %s realizadas por las Juntas Locales y Distritales Ejecutivas del INE y %s "
        "por los OPL, con un alcance estimado de %s personas.",
        c->corte_larga, fmt_int(n[0], total), fmt_int(n[1], val(c->now, 0, OBS_M_DIF_INE)),
        fmt_int(n[2], val(c->now, 0, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL)),
        fmt_int(n[3], val(c->now, 0, OBS_M_DIF_ALCANCE)));

    col_spec cols[7] = {
        {"JLE", COL_INT, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_JLE, 0},
        {"JDE", COL_INT, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_JDE, 0},
        {"OPL", COL_INT, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL, 0},
        {"Total", COL_INT, OBS_M_DIF_TOTAL, 0},
        {"Alcance estimado (personas)", COL_INT, OBS_M_DIF_ALCANCE, 0},
        {"Cambio en acciones OPL", COL_DELTA, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL, 0},
    };
    size_t ncols = c->prev ? 6 : 5;
    obs_table *t = entidad_table(c, sec, "difusion_entidad", "Acciones de difusión por entidad e instancia",
                                 "Difusión por entidad", cols, ncols, true);
    char *regla = regla_texto(c);
    char *note = g_strdup_printf("JLE: Junta Local Ejecutiva; JDE: Juntas Distritales Ejecutivas. "
                                 "* OPL con bajo número de acciones de difusión. %s%s%s%s",
                                 regla, c->prev ? " El cambio se mide desde el corte anterior, " : "",
                                 c->prev ? c->anterior_larga : "", c->prev ? "." : "");
    obs_set_str(&t->note, note);
    g_free(note);

    /* Bars of OPL actions, sorted by value, flagged ones in the alert colour. */
    int order[OBS_ENTIDADES];
    for (int i = 0; i < OBS_ENTIDADES; i++)
        order[i] = i + 1;
    g_qsort_with_data(order, OBS_ENTIDADES, sizeof(int), cmp_opl_desc, (gpointer)c->now);
    obs_chart *ch = obs_section_add_chart(sec, "difusion_opl", "Acciones de difusión de los OPL por entidad",
                                          "Gráfica OPL", OBS_CHART_HBAR, OBS_ENTIDADES, 1);
    obs_chart_set_series(ch, 0, "Acciones de los OPL");
    for (int i = 0; i < OBS_ENTIDADES; i++) {
        int e = order[i];
        char *label = g_strdup_printf("%s (%s)", entidad_nombre(c, e), opl_etiqueta(c, e));
        obs_chart_set_cat(ch, (size_t)i, label);
        g_free(label);
        ch->series[0].values[i] = (double)val(c->now, e, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL);
        ch->highlight[i] = obs_snapshot_bajo(c->now, e);
    }
    char *thr = g_strdup_printf("Umbral: %s", fmt_dec(a, c->now->umbral));
    obs_chart_set_threshold(ch, c->now->umbral, thr);
    g_free(thr);
    obs_set_str(&ch->x_title, "Acciones registradas");
    obs_set_str(&ch->note, "En color de alerta, los OPL con bajo número de acciones de difusión.");

    /* Actions by type, INE vs OPL. */
    size_t ntipos = obs_catalog_tipo_count(c->run->cat);
    obs_table *tt = obs_section_add_table(sec, "difusion_tipo", "Acciones de difusión por tipo de acción",
                                          "Difusión por tipo", 5);
    obs_table_set_column(tt, 0, "Tipo de acción", OBS_ALIGN_LEFT, 3);
    obs_table_set_column(tt, 1, "Juntas del INE", OBS_ALIGN_RIGHT, 1);
    obs_table_set_column(tt, 2, "OPL", OBS_ALIGN_RIGHT, 1);
    obs_table_set_column(tt, 3, "Total", OBS_ALIGN_RIGHT, 1);
    obs_table_set_column(tt, 4, "% del total de acciones", OBS_ALIGN_RIGHT, 1);
    for (size_t i = 0; i < ntipos; i++) {
        int64_t all = val(c->now, 0, OBS_M_DIF_TIPO + i);
        int64_t opl = val(c->now, 0, obs_cube_slot_tipo_opl(cube, i));
        obs_row *r = obs_table_add_row(tt, OBS_ROW_DATA);
        obs_row_set_text(r, 0, obs_catalog_tipo_etiqueta(c->run->cat, i));
        obs_row_set_int(r, 1, all - opl);
        obs_row_set_int(r, 2, opl);
        obs_row_set_int(r, 3, all);
        obs_row_set_pct(r, 4, all, total);
    }
    obs_row *r = obs_table_add_row(tt, OBS_ROW_TOTAL);
    obs_row_set_text(r, 0, "Total");
    obs_row_set_int(r, 1, val(c->now, 0, OBS_M_DIF_INE));
    obs_row_set_int(r, 2, val(c->now, 0, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL));
    obs_row_set_int(r, 3, total);
    obs_row_set_pct(r, 4, total, total);
    obs_set_str(&tt->note, "Porcentajes respecto del total de acciones de difusión registradas al corte.");

    if (c->now->nbajo > 0) {
        char *lista = lista_bajos(c);
        char *quien = c->now->nbajo == 1 ? g_strdup("Se identifica un OPL")
                                         : g_strdup_printf("Se identifican %d OPL", c->now->nbajo);
        obs_section_add_paragraph(sec, OBS_PAR_NORMAL,
                                  "%s con un número bajo de acciones de difusión: %s. %s",
                                  quien, lista, regla);
        g_free(quien);
        g_free(lista);
    } else {
        obs_section_add_paragraph(sec, OBS_PAR_NORMAL,
                                  "Ningún OPL se encuentra por debajo del umbral de acciones de "
                                  "difusión. %s", regla);
    }
    g_free(regla);
}

/* ---- solicitudes -------------------------------------------------------------------------------- */

/* Weekly cut-offs ending on the corte, from the first week with data. Returns the count. */
static size_t weekly_cuts(const ctx *c, obs_day *cuts, size_t max)
{
    obs_day first = obs_cube_first_day(c->run->cube);
    obs_day corte = c->run->corte;
    if (first == OBS_DAY_NONE || first > corte)
        first = corte;
    size_t weeks = (size_t)((corte - first) / 7) + 1;
    if (weeks > max)
        weeks = max;
    for (size_t i = 0; i < weeks; i++)
        cuts[i] = corte - (obs_day)(7 * (weeks - 1 - i));
    return weeks;
}

static void week_label(obs_day d, char *buf, size_t size)
{
    int y, m, dd;
    obs_day_to_ymd(d, &y, &m, &dd);
    g_snprintf(buf, size, "%d %s %02d", dd, obs_mes_abrev(m), y % 100);
}

static void solicitudes(const ctx *c, obs_doc *doc)
{
    char n[8][OBS_FMT_MAX]; /* one buffer per number of a sentence */
    obs_section *sec = obs_doc_add_section(doc, "Solicitudes de acreditación");
    sec->new_page = true;
    const obs_catalog *cat = c->run->cat;

    int64_t total = val(c->now, 0, OBS_M_TOTAL);
    int64_t muj = val(c->now, 0, OBS_M_SEXO + OBS_SEXO_MUJER);
    int64_t hom = val(c->now, 0, OBS_M_SEXO + OBS_SEXO_HOMBRE);
    int64_t nb = val(c->now, 0, OBS_M_SEXO + OBS_SEXO_NO_BINARIA);
    obs_section_add_paragraph(
        sec, OBS_PAR_NORMAL,
        "Con corte al %s se han recibido %s solicitudes de acreditación: %s de mujeres (%s del "
        "total), %s de hombres (%s) y %s de personas no binarias. Por tipo, %s son individuales y "
        "%s de integrantes de organizaciones de observación electoral.",
        c->corte_larga, fmt_int(n[0], total), fmt_int(n[1], muj), obs_fmt_pct(n[2], OBS_FMT_MAX, muj, total),
        fmt_int(n[3], hom), obs_fmt_pct(n[4], OBS_FMT_MAX, hom, total), fmt_int(n[5], nb),
        fmt_int(n[6], val(c->now, 0, OBS_M_TIPO + OBS_TIPO_INDIVIDUAL)),
        fmt_int(n[7], val(c->now, 0, OBS_M_TIPO + OBS_TIPO_ORGANIZACION)));

    obs_table *tm = obs_section_add_table(sec, "solicitudes_medio", "Solicitudes por medio de recepción",
                                          "Medio de recepción", 3);
    obs_table_set_column(tm, 0, "Medio de recepción", OBS_ALIGN_LEFT, 3);
    obs_table_set_column(tm, 1, "Solicitudes", OBS_ALIGN_RIGHT, 1);
    obs_table_set_column(tm, 2, "% del total de solicitudes", OBS_ALIGN_RIGHT, 1);
    for (int m = 0; m < OBS_MEDIO_COUNT; m++) {
        obs_row *r = obs_table_add_row(tm, OBS_ROW_DATA);
        obs_row_set_text(r, 0, obs_catalog_value_label(cat, OBS_ENUM_MEDIO, m));
        obs_row_set_int(r, 1, val(c->now, 0, OBS_M_MEDIO + (size_t)m));
        obs_row_set_pct(r, 2, val(c->now, 0, OBS_M_MEDIO + (size_t)m), total);
    }
    obs_row *r = obs_table_add_row(tm, OBS_ROW_TOTAL);
    obs_row_set_text(r, 0, "Total");
    obs_row_set_int(r, 1, total);
    obs_row_set_pct(r, 2, total, total);

    col_spec cols[8];
    size_t ncols = 0;
    cols[ncols++] = (col_spec){"Total", COL_INT, OBS_M_TOTAL, 0};
    cols[ncols++] = (col_spec){"Mujeres", COL_INT, OBS_M_SEXO + OBS_SEXO_MUJER, 0};
    cols[ncols++] = (col_spec){"Hombres", COL_INT, OBS_M_SEXO + OBS_SEXO_HOMBRE, 0};
    cols[ncols++] = (col_spec){"No binarias", COL_INT, OBS_M_SEXO + OBS_SEXO_NO_BINARIA, 0};
    bool sin_dato = val(c->now, 0, OBS_M_SEXO + OBS_SEXO_NO_ESPECIFICADO) > 0;
    if (sin_dato)
        cols[ncols++] = (col_spec){"Sexo no especificado", COL_INT, OBS_M_SEXO + OBS_SEXO_NO_ESPECIFICADO, 0};
    cols[ncols++] = (col_spec){"Individual", COL_INT, OBS_M_TIPO + OBS_TIPO_INDIVIDUAL, 0};
    cols[ncols++] = (col_spec){"Organización", COL_INT, OBS_M_TIPO + OBS_TIPO_ORGANIZACION, 0};
    if (c->prev)
        cols[ncols++] = (col_spec){"Cambio en el total", COL_DELTA, OBS_M_TOTAL, 0};
    obs_table *te = entidad_table(c, sec, "solicitudes_entidad", "Solicitudes por entidad, sexo y tipo",
                                  "Solicitudes por entidad", cols, ncols, false);
    obs_set_str(&te->note, "La entidad es la de los órganos del INE y del OPL que atienden la "
                           "solicitud. Organización: integrantes de organizaciones de observación.");

    /* Cumulative requests and approvals by week. */
    obs_day cuts[MAX_WEEKS];
    size_t weeks = weekly_cuts(c, cuts, MAX_WEEKS);
    int64_t acc_sol[MAX_WEEKS], acc_apr[MAX_WEEKS];
    obs_cube_cumulative(c->run->cube, OBS_M_TOTAL, 0, cuts, weeks, acc_sol);
    obs_cube_cumulative(c->run->cube, OBS_M_APROBADAS, 0, cuts, weeks, acc_apr);
    obs_chart *cl = obs_section_add_chart(sec, "solicitudes_semana",
                                          "Solicitudes recibidas y aprobadas, acumuladas por semana",
                                          "Gráfica semanal", OBS_CHART_LINE, weeks, 2);
    obs_chart_set_series(cl, 0, "Solicitudes recibidas");
    obs_chart_set_series(cl, 1, "Solicitudes aprobadas");
    for (size_t i = 0; i < weeks; i++) {
        char label[32];
        week_label(cuts[i], label, sizeof label);
        obs_chart_set_cat(cl, i, label);
        cl->series[0].values[i] = (double)acc_sol[i];
        cl->series[1].values[i] = (double)acc_apr[i];
    }
    obs_set_str(&cl->x_title, "Semana que termina el");
    obs_set_str(&cl->y_title, "Solicitudes (acumulado)");

    /* Age band × sex. */
    int sexos[OBS_SEXO_COUNT], ns = 0;
    for (int sx = 0; sx < OBS_SEXO_COUNT; sx++)
        if (sx <= OBS_SEXO_HOMBRE || val(c->now, 0, OBS_M_SEXO + (size_t)sx) > 0)
            sexos[ns++] = sx;
    obs_chart *ca = obs_section_add_chart(sec, "solicitudes_edad", "Solicitudes por grupo de edad y sexo",
                                          "Gráfica edad y sexo", OBS_CHART_COLUMN, OBS_EDAD_BANDS,
                                          (size_t)ns);
    static const char *const sexo_label[] = {"Mujeres", "Hombres", "No binarias", "Sexo no especificado"};
    for (int k = 0; k < ns; k++)
        obs_chart_set_series(ca, (size_t)k, sexo_label[sexos[k]]);
    for (int band = 0; band < OBS_EDAD_BANDS; band++) {
        obs_chart_set_cat(ca, (size_t)band, obs_edad_band_label(band));
        for (int k = 0; k < ns; k++)
            ca->series[k].values[band] =
                (double)val(c->now, 0, obs_cube_slot_edad_sexo(c->run->cube, band, sexos[k]));
    }
    obs_set_str(&ca->x_title, "Edad en años a la fecha de la solicitud");
    obs_set_str(&ca->y_title, "Solicitudes");

    obs_table *tg = obs_section_add_table(sec, "solicitudes_grupos",
                                          "Discapacidad, comunidad indígena y modalidades de interés",
                                          "Grupos y modalidades", 3);
    obs_table_set_column(tg, 0, "Concepto", OBS_ALIGN_LEFT, 3);
    obs_table_set_column(tg, 1, "Solicitudes", OBS_ALIGN_RIGHT, 1);
    obs_table_set_column(tg, 2, "% del total de solicitudes", OBS_ALIGN_RIGHT, 1);
    const struct {
        const char *label;
        size_t metric;
    } grupos[] = {
        {"Personas con discapacidad", OBS_M_DISCAPACIDAD},
        {"Personas de comunidades indígenas", OBS_M_INDIGENA},
        {"Interés en el voto anticipado (VA)", OBS_M_MODALIDAD + OBS_MODALIDAD_VA},
        {"Interés en el voto de personas en prisión preventiva (VPPP)", OBS_M_MODALIDAD + OBS_MODALIDAD_VPPP},
        {"Interés en el voto de residentes en el extranjero (VMRE)", OBS_M_MODALIDAD + OBS_MODALIDAD_VMRE},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(grupos); i++) {
        obs_row *g = obs_table_add_row(tg, OBS_ROW_DATA);
        obs_row_set_text(g, 0, grupos[i].label);
        obs_row_set_int(g, 1, val(c->now, 0, grupos[i].metric));
        obs_row_set_pct(g, 2, val(c->now, 0, grupos[i].metric), total);
    }
    obs_set_str(&tg->note, "Datos declarados por las personas solicitantes; una persona puede "
                           "interesarse en más de una modalidad.");
}

/* ---- estado ------------------------------------------------------------------------------------- */

static void estado(const ctx *c, obs_doc *doc)
{
    char n[8][OBS_FMT_MAX]; /* one buffer per number of a sentence */
    obs_section *sec = obs_doc_add_section(doc, "Estado de las solicitudes");
    sec->new_page = true;

    int64_t total = val(c->now, 0, OBS_M_TOTAL);
    int64_t con = val(c->now, 0, OBS_M_CURSO_CON);
    int64_t apr = val(c->now, 0, OBS_M_APROBADAS);
    obs_section_add_paragraph(
        sec, OBS_PAR_NORMAL,
        "De las %s solicitudes recibidas, %s personas han tomado el curso de capacitación y %s "
        "han sido aprobadas (%s de las solicitudes recibidas); %s están pendientes de resolución.",
        fmt_int(n[0], total), fmt_int(n[1], con), fmt_int(n[2], apr), obs_fmt_pct(n[3], OBS_FMT_MAX, apr, total),
        fmt_int(n[4], val(c->now, 0, OBS_M_PENDIENTES)));
    const col_spec cols[] = {
        {"Con curso", COL_INT, OBS_M_CURSO_CON, 0},
        {"Sin curso", COL_INT, OBS_M_CURSO_SIN, 0},
        {"Aprobadas", COL_INT, OBS_M_APROBADAS, 0},
        {"Improcedentes", COL_INT, OBS_M_IMPROCEDENTES, 0},
        {"Declinadas", COL_INT, OBS_M_DECLINADAS, 0},
        {"Pendientes", COL_INT, OBS_M_PENDIENTES, 0},
        {"% aprobadas de las recibidas", COL_PCT, OBS_M_APROBADAS, OBS_M_TOTAL},
    };
    obs_table *t = entidad_table(c, sec, "estado_entidad", "Estado de las solicitudes por entidad",
                                 "Estado por entidad", cols, G_N_ELEMENTS(cols), false);
    obs_set_str(&t->note, "Una solicitud está aprobada, improcedente o declinada cuando el consejo "
                          "resolvió en o antes de la fecha de corte; si no, está pendiente.");

    obs_table *tc = obs_section_add_table(sec, "cursos", "Cursos de capacitación por instancia que los impartió",
                                          "Cursos", 3);
    obs_table_set_column(tc, 0, "Impartido por", OBS_ALIGN_LEFT, 3);
    obs_table_set_column(tc, 1, "Personas capacitadas", OBS_ALIGN_RIGHT, 1);
    obs_table_set_column(tc, 2, "% de las personas con curso", OBS_ALIGN_RIGHT, 1);
    static const char *const por_label[] = {"Instituto Nacional Electoral", "Organismo Público Local",
                                            "Organización de observadores"};
    int64_t sum = 0;
    for (int i = 0; i < OBS_CURSO_POR_COUNT; i++) {
        int64_t v = val(c->now, 0, OBS_M_CURSO_POR + (size_t)i);
        sum += v;
        obs_row *r = obs_table_add_row(tc, OBS_ROW_DATA);
        obs_row_set_text(r, 0, por_label[i]);
        obs_row_set_int(r, 1, v);
        obs_row_set_pct(r, 2, v, con);
    }
    if (con > sum) {
        obs_row *r = obs_table_add_row(tc, OBS_ROW_DATA);
        obs_row_set_text(r, 0, "Sin dato de quién lo impartió");
        obs_row_set_int(r, 1, con - sum);
        obs_row_set_pct(r, 2, con - sum, con);
    }
    obs_row *r = obs_table_add_row(tc, OBS_ROW_TOTAL);
    obs_row_set_text(r, 0, "Total con curso");
    obs_row_set_int(r, 1, con);
    obs_row_set_pct(r, 2, con, con);

    obs_causa causas[10];
    size_t nc = obs_cube_top_causas(c->run->cube, causas, G_N_ELEMENTS(causas));
    int64_t imp = val(c->now, 0, OBS_M_IMPROCEDENTES);
    obs_table *ti = obs_section_add_table(sec, "causas", "Causas de improcedencia más frecuentes",
                                          "Causas de improcedencia", 3);
    obs_table_set_column(ti, 0, "Causa", OBS_ALIGN_LEFT, 4);
    obs_table_set_column(ti, 1, "Solicitudes", OBS_ALIGN_RIGHT, 1);
    obs_table_set_column(ti, 2, "% de las improcedentes", OBS_ALIGN_RIGHT, 1);
    for (size_t i = 0; i < nc; i++) {
        obs_row *q = obs_table_add_row(ti, OBS_ROW_DATA);
        obs_row_set_text(q, 0, causas[i].causa);
        obs_row_set_int(q, 1, causas[i].count);
        obs_row_set_pct(q, 2, causas[i].count, imp);
    }
    if (nc == 0) {
        obs_row *q = obs_table_add_row(ti, OBS_ROW_DATA);
        obs_row_set_text(q, 0, "No hay solicitudes improcedentes al corte");
    }
    obs_set_str(&ti->note, "Las diez causas registradas con más frecuencia; una causa escrita de "
                           "distintas formas se agrupa por su texto sin mayúsculas ni acentos.");
}

/* ---- OPL con bajo número de acciones ------------------------------------------------------------ */

static void bajos(const ctx *c, obs_doc *doc)
{
    obs_section *sec = obs_doc_add_section(doc, "OPL con bajo número de acciones de difusión");
    char *regla = regla_texto(c);
    obs_section_add_paragraph(sec, OBS_PAR_NORMAL, "%s", regla);
    g_free(regla);
    if (c->now->nbajo == 0) {
        obs_section_add_paragraph(sec, OBS_PAR_NORMAL,
                                  "Al %s ningún OPL se encuentra por debajo del umbral.", c->corte_larga);
        return;
    }
    size_t ncols = c->prev ? 6 : 5;
    obs_table *t = obs_section_add_table(sec, "opl_bajo", "OPL con bajo número de acciones de difusión",
                                         "OPL con pocas acciones", ncols);
    obs_table_set_column(t, 0, "OPL", OBS_ALIGN_LEFT, 3);
    obs_table_set_column(t, 1, "Entidad", OBS_ALIGN_LEFT, 2);
    obs_table_set_column(t, 2, "Acciones del OPL", OBS_ALIGN_RIGHT, 1);
    obs_table_set_column(t, 3, "Umbral", OBS_ALIGN_RIGHT, 1);
    obs_table_set_column(t, 4, "Mediana nacional", OBS_ALIGN_RIGHT, 1);
    if (c->prev)
        obs_table_set_column(t, 5, "Acciones al corte anterior", OBS_ALIGN_RIGHT, 1);
    for (int e = 1; e <= OBS_ENTIDADES; e++) {
        if (!obs_snapshot_bajo(c->now, e))
            continue;
        const obs_entidad *ent = obs_catalog_entidad(c->run->cat, e);
        obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
        obs_row_set_text(r, 0, ent->opl_nombre);
        obs_row_set_text(r, 1, ent->nombre);
        obs_row_set_int(r, 2, val(c->now, e, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL));
        obs_row_flag(r, 2, OBS_CELL_MARK);
        obs_row_set_dec(r, 3, c->now->umbral, 2);
        obs_row_set_dec(r, 4, c->now->mediana, 2);
        if (c->prev)
            obs_row_set_int(r, 5, val(c->prev, e, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL));
    }
}

/* ---- nota metodológica -------------------------------------------------------------------------- */

static void control_table(const ctx *c, obs_section *sec)
{
    const obs_file_stats *f = c->run->files;
    obs_table *t = obs_section_add_table(sec, "control", "Totales de control de los archivos leídos",
                                         "Control", 4);
    obs_table_set_column(t, 0, "Concepto", OBS_ALIGN_LEFT, 3);
    obs_table_set_column(t, 1, "solicitudes.csv", OBS_ALIGN_RIGHT, 1);
    obs_table_set_column(t, 2, "difusion.csv", OBS_ALIGN_RIGHT, 1);
    obs_table_set_column(t, 3, "Total", OBS_ALIGN_RIGHT, 1);
    const struct {
        const char *label;
        size_t offset;
    } rows[] = {
        {"Filas leídas", G_STRUCT_OFFSET(obs_file_stats, leidas)},
        {"Filas aceptadas", G_STRUCT_OFFSET(obs_file_stats, aceptadas)},
        {"Filas rechazadas", G_STRUCT_OFFSET(obs_file_stats, rechazadas)},
        {"Aceptadas con avisos", G_STRUCT_OFFSET(obs_file_stats, con_avisos)},
        {"Aceptadas en el corte", G_STRUCT_OFFSET(obs_file_stats, en_corte)},
        {"Aceptadas posteriores al corte", G_STRUCT_OFFSET(obs_file_stats, posteriores)},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
        obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
        obs_row_set_text(r, 0, rows[i].label);
        int64_t sum = 0;
        for (int k = 0; k < OBS_FILE_KIND_COUNT; k++) {
            int64_t v = (int64_t)G_STRUCT_MEMBER(uint64_t, &f[k], rows[i].offset);
            obs_row_set_int(r, (size_t)k + 1, v);
            sum += v;
        }
        obs_row_set_int(r, 3, sum);
    }
    for (int reason = 0; reason < OBS_REASON_COUNT; reason++) {
        uint64_t n0 = f[0].por_motivo[reason], n1 = f[1].por_motivo[reason];
        if (n0 + n1 == 0)
            continue;
        char *label = g_strdup_printf("%s: %s",
                                      obs_reason_level((obs_reason)reason) == OBS_LEVEL_ERROR ? "Error" : "Aviso",
                                      obs_reason_label((obs_reason)reason));
        obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
        obs_row_set_text(r, 0, label);
        g_free(label);
        obs_row_set_int(r, 1, (int64_t)n0);
        obs_row_set_int(r, 2, (int64_t)n1);
        obs_row_set_int(r, 3, (int64_t)(n0 + n1));
    }
    obs_set_str(&t->note, "Filas leídas = aceptadas + rechazadas; aceptadas = en el corte + posteriores "
                          "al corte. Los errores y avisos se cuentan por problema (una fila puede tener "
                          "varios); el detalle está en rechazos.csv.");
}

static void nota(const ctx *c, obs_doc *doc)
{
    obs_section *sec = obs_doc_add_section(doc, "Nota metodológica");
    sec->new_page = true;
    obs_section_add_paragraph(sec, OBS_PAR_HEADING, "Fuentes");
    obs_block *list = obs_section_add_list(sec, OBS_PAR_NORMAL);
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++) {
        const obs_file_stats *f = &c->run->files[k];
        char *base = g_path_get_basename(f->path);
        char a[OBS_FMT_MAX], b[OBS_FMT_MAX];
        obs_list_add(list, "%s: %s filas de datos, %s bytes, codificación %s, SHA-256 %.16s…", base,
                     fmt_int(a, (int64_t)f->leidas), fmt_int(b, (int64_t)f->bytes),
                     f->encoding == OBS_ENC_CP1252 ? "Windows-1252" : "UTF-8", f->sha256);
        g_free(base);
    }
    obs_section_add_paragraph(sec, OBS_PAR_HEADING, "Reglas de corte");
    obs_section_add_paragraph(
        sec, OBS_PAR_NORMAL,
        "Todas las cifras se calculan con corte al %s, inclusive, a partir de las mismas "
        "exportaciones del Sistema: una solicitud se cuenta si su fecha de registro en el Sistema "
        "es igual o anterior al corte; tiene curso si la fecha del curso es igual o anterior al "
        "corte; su estado es el de la resolución del consejo si ésta ocurrió en o antes del corte "
        "y, si no, se considera pendiente. Una acción de difusión se cuenta si se registró en o "
        "antes del corte. Las filas válidas registradas después del corte se aceptan pero no se "
        "cuentan (posteriores al corte).%s",
        c->corte_larga,
        c->prev ? " Las cifras del corte anterior se calculan con las mismas reglas y los mismos datos." : "");
    obs_section_add_paragraph(sec, OBS_PAR_HEADING, "Totales de control");
    control_table(c, sec);
    obs_section_add_paragraph(sec, OBS_PAR_HEADING, "Regla de bajo número de acciones de difusión");
    char *regla = regla_texto(c);
    obs_section_add_paragraph(sec, OBS_PAR_NORMAL,
                              "%s La mediana es el promedio de los valores 16 y 17 de las 32 "
                              "entidades ordenadas por número de acciones de su OPL.",
                              regla);
    g_free(regla);
    obs_section_add_paragraph(sec, OBS_PAR_NOTE,
                              "Elaborado con observa %s a partir de las exportaciones del Sistema de "
                              "Observadores y Observadoras Electorales. Los datos personales de las "
                              "exportaciones no se copian a ningún resultado.",
                              c->info->version);
}

static void metricas_extra(const ctx *c, obs_doc *doc)
{
    obs_table *t = obs_doc_add_extra_table(doc, "metricas", "Métricas en formato largo", "Métricas", 4);
    obs_table_set_column(t, 0, "corte", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(t, 1, "entidad", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(t, 2, "metrica", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(t, 3, "valor", OBS_ALIGN_RIGHT, 0);
    GString *csv = g_string_new(NULL);
    const obs_snapshot *snaps[2] = {c->now, c->prev};
    obs_metricas_csv(c->run->cube, snaps, c->prev ? 2 : 1, csv);
    /* Reuse the exact text of metricas.csv so the sheet and the file cannot disagree. */
    char **lines = g_strsplit(csv->str, "\n", -1);
    for (char **l = lines + 1; *l && **l; l++) {
        char **f = g_strsplit(*l, ",", 4);
        obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
        obs_row_set_text(r, 0, f[0]);
        obs_row_set_text(r, 1, f[1]);
        obs_row_set_text(r, 2, f[2]);
        obs_row_set_int(r, 3, g_ascii_strtoll(f[3], NULL, 10));
        g_strfreev(f);
    }
    g_strfreev(lines);
    g_string_free(csv, TRUE);
}

obs_doc *obs_report_informe(const obs_run *run, const obs_report_info *info)
{
    ctx c = {.run = run, .info = info, .now = run->actual, .prev = run->anterior};
    obs_fmt_fecha_larga(c.corte_larga, sizeof c.corte_larga, run->corte);
    if (run->anterior)
        obs_fmt_fecha_larga(c.anterior_larga, sizeof c.anterior_larga, run->corte_anterior);
    obs_doc *doc = obs_doc_new();
    cover(&c, doc);
    presentacion(&c, doc);
    resumen(&c, doc);
    difusion(&c, doc);
    solicitudes(&c, doc);
    estado(&c, doc);
    bajos(&c, doc);
    nota(&c, doc);
    metricas_extra(&c, doc);
    return doc;
}
