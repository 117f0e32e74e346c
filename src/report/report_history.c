/* report_history.c - the blocks that read the history (@tabla cortes, exhortos, revisiones; @grafica cortes):
 * published cortes side by side, the follow-up of each exhorto, and the published figures revised since. */
#include <glib.h>
#include <string.h>

#include "history/history_view_int.h"
#include "report/tpl_int.h"

/* ---- What the history holds for this document -------------------------------------------------- */

bool history_has_cortes(const obs_template_ctx *ctx)
{
    return ctx->history && ctx->history->nvintages > 0;
}

/* Whether an exhorto belongs in the document: any in the informe, only its own in an OPL's. */
static bool in_scope(const obs_template_ctx *ctx, const obs_history_exhorto *x)
{
    return ctx->entidad == 0 || x->entidad == ctx->entidad;
}

bool history_has_exhortos(const obs_template_ctx *ctx)
{
    for (size_t i = 0; ctx->history && i < ctx->history->nexhortos; i++)
        if (in_scope(ctx, &ctx->history->exhortos[i]))
            return true;
    return false;
}

static const obs_entidad *entidad(const obs_template_ctx *ctx, int e)
{
    return obs_catalog_entidad(ctx->run->cat, e);
}

static char *long_date(obs_day d)
{
    char buf[64];
    return g_strdup(obs_fmt_fecha_larga(buf, sizeof buf, d));
}

/* The sentence a block says instead of an empty table: without a history, or with nothing to show
 * ("<nothing> <the corte, in words>."). */
static void say(const obs_template_ctx *ctx, obs_section *sec, const char *nothing)
{
    if (!ctx->history) {
        obs_section_add_paragraph(sec, OBS_PAR_NORMAL, "%s",
                                  "Este documento se elaboró sin consultar el historial de cortes publicados.");
        return;
    }
    char *corte = long_date(ctx->run->corte);
    obs_section_add_paragraph(sec, OBS_PAR_NORMAL, "%s %s.", nothing, corte);
    g_free(corte);
}

/* ---- @tabla cortes, @grafica cortes ------------------------------------------------------------ */

/* The cortes shown side by side: each publication before the run's corte, oldest first, then the run. */
typedef struct point {
    obs_day corte;
    const obs_snapshot *snap;
} point;

/* The cortes left out of a bounded table: how many, the first and the last. */
typedef struct omitted {
    size_t n;
    obs_day first, last;
} omitted;

static void omit(omitted *o, obs_day corte)
{
    if (o->n++ == 0)
        o->first = corte;
    o->last = corte;
}

/* The points (g_free); *n of them, the last the run itself; NULL when no corte was published before.
 * With most > 0, only the most recent `most` publications: the earlier ones are counted in *left. */
static point *points(const obs_template_ctx *ctx, int most, size_t *n, omitted *left)
{
    const obs_history_view *v = ctx->history;
    *n = 0;
    *left = (omitted){0};
    if (!v)
        return NULL;
    size_t before = 0;
    for (size_t i = 0; i < v->nvintages; i++)
        before += v->vintages[i].corte < ctx->run->corte;
    if (before == 0)
        return NULL;
    size_t skip = most > 0 && before > (size_t)most ? before - (size_t)most : 0;
    point *pts = g_new(point, v->nvintages + 1);
    for (size_t i = 0, k = 0; i < v->nvintages; i++) {
        if (v->vintages[i].corte >= ctx->run->corte)
            continue;
        if (k++ < skip)
            omit(left, v->vintages[i].corte);
        else
            pts[(*n)++] = (point){v->vintages[i].corte, v->vintages[i].publicado};
    }
    pts[(*n)++] = (point){ctx->run->corte, ctx->run->actual};
    return pts;
}

/* The points, or NULL after saying there are none. */
static point *points_or_say(const obs_template_ctx *ctx, obs_section *sec, int most, size_t *n, omitted *left)
{
    point *pts = points(ctx, most, n, left);
    if (!pts)
        say(ctx, sec, "El historial no tiene cortes publicados anteriores al");
    return pts;
}

/* A table's note: the template's, then the line that says what a bounded table leaves out (either may be NULL). */
static void set_note(obs_table *tab, const char *note, char *left_out)
{
    char *text = note && left_out ? g_strconcat(note, " ", left_out, NULL) : g_strdup(note ? note : left_out);
    obs_set_str(&tab->note, text);
    g_free(text);
    g_free(left_out);
}

/* "8, del 12/10/2023 al 15/01/2024" or "1, el 12/10/2023" (g_free). */
static char *omitted_span(const omitted *o)
{
    char a[OBS_FMT_MAX], b[16], c[16];
    obs_fmt_int(a, sizeof a, (int64_t)o->n);
    obs_fmt_fecha_corta(b, sizeof b, o->first);
    obs_fmt_fecha_corta(c, sizeof c, o->last);
    return o->n == 1 ? g_strdup_printf("1, el %s", b) : g_strdup_printf("%s, del %s al %s", a, b, c);
}

/* The exhorto to the summary's OPL at a published corte, or NULL. */
static const obs_history_exhorto *exhorto_at(const obs_template_ctx *ctx, obs_day corte)
{
    for (size_t i = 0; ctx->history && i < ctx->history->nexhortos; i++)
        if (ctx->history->exhortos[i].corte == corte && ctx->history->exhortos[i].entidad == ctx->entidad)
            return &ctx->history->exhortos[i];
    return NULL;
}

/* The «oficio» cell of a corte: "INE/DEOE/0201/2024 del 21/11/2023", "Sin oficio registrado", or "–" (not
 * exhorted then, or this document's own corte, whose letters are not yet history). */
static void fill_oficio_cell(const obs_template_ctx *ctx, obs_row *row, size_t col, obs_day corte)
{
    const obs_history_exhorto *x = corte < ctx->run->corte ? exhorto_at(ctx, corte) : NULL;
    char day[16];
    if (!x)
        obs_row_set_text(row, col, "–");
    else if (!x->numero)
        obs_row_set_text(row, col, "Sin oficio registrado");
    else {
        char *text = g_strdup_printf("%s del %s", x->numero, obs_fmt_fecha_corta(day, sizeof day, x->fecha));
        obs_row_set_text(row, col, text);
        g_free(text);
    }
}

static void fill_corte_cell(const obs_template_ctx *ctx, obs_row *row, size_t col, const tpl_column *c,
                            const obs_snapshot *s, obs_day corte)
{
    if (c->kind == COLC_OFICIO)
        fill_oficio_cell(ctx, row, col, corte);
    else if (c->kind == COLC_VALUE)
        obs_row_set_int(row, col, mexpr_eval_in(&c->a, s, ctx->entidad));
    else if (ctx->entidad)
        obs_row_set_text(row, col, obs_snapshot_bajo(s, ctx->entidad) ? "Sí" : "No");
    else
        obs_row_set_int(row, col, s->nbajo);
}

void block_cortes(const obs_template_ctx *ctx, obs_section *sec, const tpl_table *t, const char *title,
                  const char *note)
{
    size_t n;
    omitted left;
    point *pts = points_or_say(ctx, sec, t->max, &n, &left);
    if (!pts)
        return;
    const char *ttl = or_default(title, "Seguimiento entre cortes");
    obs_table *tab = obs_section_add_table(sec, t->id, ttl, or_default(t->sheet, ttl), 1 + t->columns->len);
    obs_table_set_column(tab, 0, "Corte", OBS_ALIGN_LEFT, 0);
    for (guint i = 0; i < t->columns->len; i++) {
        const tpl_column *c = t->columns->pdata[i];
        char *h = tpl_render_text(c->header_text, ctx);
        if (c->kind == COLC_OFICIO)
            obs_table_set_column(tab, i + 1, h, OBS_ALIGN_LEFT, 0);
        else
            obs_table_set_column(tab, i + 1, h, OBS_ALIGN_RIGHT, 0);
        g_free(h);
    }
    for (size_t k = 0; k < n; k++) {
        obs_row *row = obs_table_add_row(tab, OBS_ROW_DATA);
        obs_row_set_date(row, 0, pts[k].corte);
        for (guint i = 0; i < t->columns->len; i++)
            fill_corte_cell(ctx, row, i + 1, t->columns->pdata[i], pts[k].snap, pts[k].corte);
        /* The last row is this document's own corte, not yet a publication. */
        for (size_t col = 0; k == n - 1 && col < tab->ncols; col++)
            obs_row_flag(row, col, OBS_CELL_BOLD);
    }
    char *span = left.n ? omitted_span(&left) : NULL;
    set_note(tab, note,
             !span ? NULL
             : ctx->entidad
                 ? g_strdup_printf("Cortes presentados anteriores que no se muestran: %s; sus cifras están en %s y en "
                                   "«observa historial exportar».",
                                   span, left.n == 1 ? "su propio resumen" : "sus propios resúmenes")
                 : g_strdup_printf("Cortes presentados anteriores que no se muestran: %s; sus cifras están en "
                                   "«observa historial exportar».",
                                   span));
    g_free(span);
    g_free(pts);
}

void block_chart_cortes(const obs_template_ctx *ctx, obs_section *sec, const tpl_chart *c, const char *title,
                        const char *note)
{
    size_t n;
    omitted left;
    point *pts = points_or_say(ctx, sec, 0, &n, &left);
    if (!pts)
        return;
    const char *ttl = or_default(title, "Cifras de los cortes publicados");
    obs_chart *ch = obs_section_add_chart(sec, c->id, ttl, or_default(c->sheet, ttl), OBS_CHART_COLUMN, n,
                                          c->series->len);
    char label[32];
    for (size_t k = 0; k < n; k++) {
        obs_chart_set_cat(ch, k, obs_fmt_fecha_corta(label, sizeof label, pts[k].corte));
        obs_chart_set_cat_day(ch, k, pts[k].corte);
    }
    for (guint s = 0; s < c->series->len; s++) {
        const tpl_series *ser = c->series->pdata[s];
        obs_chart_set_series(ch, s, ser->name);
        for (size_t k = 0; k < n; k++)
            ch->series[s].values[k] = (double)obs_snapshot_get(pts[k].snap, ctx->entidad, (size_t)ser->metric);
    }
    ch->height = c->height;
    obs_set_str(&ch->x_title, or_default(c->x_title, "Corte"));
    obs_set_str(&ch->y_title, c->y_title);
    obs_set_str(&ch->note, note);
    g_free(pts);
}

/* ---- @tabla exhortos ------------------------------------------------------------------------------ */

/* A row of the follow-up; an OPL's summary names no OPL in it (they are all its own). */
static void exhorto_row(const obs_template_ctx *ctx, obs_table *tab, const obs_history_exhorto *x)
{
    const obs_snapshot *now = ctx->run->actual;
    int64_t ahora = obs_snapshot_get(now, x->entidad, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL);
    bool still = obs_snapshot_bajo(now, x->entidad);
    const obs_entidad *e = entidad(ctx, x->entidad);
    obs_row *r = obs_table_add_row(tab, OBS_ROW_DATA);
    r->clave = x->entidad;
    r->marked = still;
    size_t col = 0;
    obs_row_set_date(r, col++, x->corte);
    if (!ctx->entidad) {
        char *opl = g_strdup_printf("%s (%s)", e->opl_etiqueta, e->nombre);
        obs_row_set_text(r, col++, opl);
        g_free(opl);
    }
    obs_row_set_text(r, col, x->numero ? x->numero : "Sin oficio registrado");
    if (x->numero)
        obs_row_set_date(r, col + 1, x->fecha);
    col += 2;
    obs_row_set_int(r, col++, x->acciones);
    obs_row_set_int(r, col++, ahora);
    obs_row_set_delta(r, col++, ahora - x->acciones);
    obs_row_set_text(r, col, still ? "Sí" : "No");
    if (still)
        obs_row_flag(r, col, OBS_CELL_MARK);
}

/* The earliest corte whose exhortos are shown: that of the most recent `most` cortes with exhortos in scope
 * (the view lists them by corte); 0 (all) when most is 0 or there are no more. */
static obs_day exhortos_from(const obs_template_ctx *ctx, int most)
{
    const obs_history_view *v = ctx->history;
    int seen = 0;
    obs_day last = 0;
    for (size_t i = v->nexhortos; most > 0 && i-- > 0;) {
        const obs_history_exhorto *x = &v->exhortos[i];
        if (!in_scope(ctx, x) || (seen > 0 && x->corte == last))
            continue;
        if (seen == most)
            return last;
        seen++;
        last = x->corte;
    }
    return 0;
}

void block_exhortos(const obs_template_ctx *ctx, obs_section *sec, const tpl_table *t, const char *title,
                    const char *note)
{
    if (!history_has_exhortos(ctx)) {
        say(ctx, sec,
            ctx->entidad ? "El OPL no fue señalado en ningún corte publicado anterior al"
                         : "Ningún OPL fue señalado en los cortes publicados anteriores al");
        return;
    }
    const char *ttl = or_default(title, "Seguimiento a los exhortos");
    static const char *const headers[] = {"Corte del exhorto", "OPL", "Oficio", "Fecha del oficio",
                                          "Acciones entonces", "Acciones al corte", "Cambio",
                                          "Sigue bajo el umbral"};
    bool own = ctx->entidad != 0; /* an OPL's summary: no OPL column */
    obs_table *tab = obs_section_add_table(sec, t->id, ttl, or_default(t->sheet, ttl), own ? 7 : 8);
    for (size_t i = 0, col = 0; i < G_N_ELEMENTS(headers); i++)
        if (!(own && i == 1))
            obs_table_set_column(tab, col++, headers[i], i == 1 || i == 2 ? OBS_ALIGN_LEFT : OBS_ALIGN_RIGHT,
                                 i == 1 ? 2.5 : i == 2 ? 2 : 1);
    tab->entidad_cols = OBS_ENTIDAD_CLAVE;
    const obs_history_view *v = ctx->history;
    obs_day from = exhortos_from(ctx, t->max);
    omitted left = {0};
    size_t rows_left = 0;
    for (size_t i = 0; i < v->nexhortos; i++) {
        const obs_history_exhorto *x = &v->exhortos[i];
        if (!in_scope(ctx, x))
            continue;
        if (x->corte < from) {
            rows_left++;
            if (left.n == 0 || x->corte != left.last)
                omit(&left, x->corte);
        } else {
            exhorto_row(ctx, tab, x);
        }
    }
    char *span = left.n ? omitted_span(&left) : NULL;
    char rows[OBS_FMT_MAX];
    obs_fmt_int(rows, sizeof rows, (int64_t)rows_left);
    set_note(tab, note,
             !span ? NULL
             : own ? g_strdup_printf("Cortes anteriores en que se le exhortó que no se muestran: %s; el informe "
                                     "nacional de este corte los sigue todos.",
                                     span)
                   : g_strdup_printf("Cortes anteriores con exhortos que no se muestran: %s (%s %s); "
                                     "«observa historial mostrar» da los oficios de cada corrida.",
                                     span, rows, rows_left == 1 ? "exhorto" : "exhortos"));
    g_free(span);
}

/* ---- @tabla revisiones ---------------------------------------------------------------------------- */

/* How the revisions name each metric of the data contract (§6), by its name. */
static const struct {
    const char *name;
    const char *label;
} labels[] = {
    {"solicitudes.total", "Solicitudes recibidas"},
    {"solicitudes.sexo.mujer", "Solicitudes de mujeres"},
    {"solicitudes.sexo.hombre", "Solicitudes de hombres"},
    {"solicitudes.sexo.no_binaria", "Solicitudes de personas no binarias"},
    {"solicitudes.sexo.no_especificado", "Solicitudes sin sexo especificado"},
    {"solicitudes.tipo.individual", "Solicitudes individuales"},
    {"solicitudes.tipo.organizacion", "Solicitudes de integrantes de organizaciones"},
    {"solicitudes.medio.portal", "Recibidas en el portal público"},
    {"solicitudes.medio.junta", "Recibidas en las juntas del INE"},
    {"solicitudes.medio.opl", "Recibidas en el OPL"},
    {"solicitudes.discapacidad", "Personas con discapacidad"},
    {"solicitudes.indigena", "Personas de comunidades indígenas"},
    {"solicitudes.modalidad.va", "Interés en el voto anticipado"},
    {"solicitudes.modalidad.vppp", "Interés en el voto en prisión preventiva"},
    {"solicitudes.modalidad.vmre", "Interés en el voto desde el extranjero"},
    {"solicitudes.curso.con", "Con curso de capacitación"},
    {"solicitudes.curso.sin", "Sin curso de capacitación"},
    {"solicitudes.curso.por.ine", "Curso impartido por el INE"},
    {"solicitudes.curso.por.opl", "Curso impartido por el OPL"},
    {"solicitudes.curso.por.organizacion", "Curso impartido por una organización"},
    {"solicitudes.aprobadas", "Aprobadas"},
    {"solicitudes.improcedentes", "Improcedentes"},
    {"solicitudes.declinadas", "Declinadas"},
    {"solicitudes.pendientes", "Pendientes de resolución"},
    {"solicitudes.aprobadas.consejo.local", "Aprobadas por un consejo local"},
    {"solicitudes.aprobadas.consejo.distrital", "Aprobadas por un consejo distrital"},
    {"solicitudes.organizaciones", "Organizaciones de observación con solicitudes"},
    {"difusion.total", "Acciones de difusión"},
    {"difusion.instancia.opl", "Acciones de difusión del OPL"},
    {"difusion.instancia.jle", "Acciones de difusión de la Junta Local"},
    {"difusion.instancia.jde", "Acciones de difusión de las Juntas Distritales"},
    {"difusion.ine", "Acciones de difusión de las juntas del INE"},
    {"difusion.alcance", "Alcance declarado de la difusión"},
    {"difusion.bajo", "OPL con bajo número de acciones"},
};

/* A metric's name for the reader (g_free): its label, an age band, an outreach type, or its name. */
static char *metric_label(const obs_template_ctx *ctx, size_t m)
{
    const char *name = obs_cube_metric_name(ctx->run->cube, m);
    for (size_t i = 0; i < G_N_ELEMENTS(labels); i++)
        if (strcmp(labels[i].name, name) == 0)
            return g_strdup(labels[i].label);
    if (m >= OBS_M_EDAD && m < OBS_M_EDAD + OBS_EDAD_BANDS)
        return g_strdup_printf("Solicitudes, edad: %s", obs_edad_band_label((int)(m - OBS_M_EDAD)));
    if (m >= OBS_M_DIF_TIPO && m - OBS_M_DIF_TIPO < obs_catalog_tipo_count(ctx->run->cat))
        return g_strdup_printf("Acciones de difusión: %s", obs_catalog_tipo_etiqueta(ctx->run->cat, m - OBS_M_DIF_TIPO));
    return g_strdup(name);
}

/* The revisions being listed: the table (made at the first difference), how many rows it holds and how
 * many differences there are, and the publications with none. */
typedef struct revisions {
    const obs_template_ctx *ctx;
    const tpl_table *t;
    const char *title;
    obs_section *sec;
    obs_table *tab;
    size_t shown, total;
    GPtrArray *unchanged; /* long dates (g_free) */
} revisions;

static obs_table *revisions_table(revisions *rv)
{
    if (rv->tab)
        return rv->tab;
    const char *ttl = or_default(rv->title, "Revisiones de las cifras publicadas");
    obs_table *tab = rv->tab = obs_section_add_table(rv->sec, rv->t->id, ttl, or_default(rv->t->sheet, ttl), 6);
    static const char *const headers[] = {"Corte", "Entidad", "Cifra", "Publicada", "Con las exportaciones actuales",
                                          "Diferencia"};
    for (size_t i = 0; i < G_N_ELEMENTS(headers); i++)
        obs_table_set_column(tab, i, headers[i], i == 1 || i == 2 ? OBS_ALIGN_LEFT : OBS_ALIGN_RIGHT,
                             i == 2 ? 3 : i == 1 ? 1.5 : 1);
    tab->entidad_cols = OBS_ENTIDAD_CLAVE;
    return tab;
}

static void revision_row(revisions *rv, const obs_history_vintage *v, int e, size_t m)
{
    int64_t before = obs_snapshot_get(v->publicado, e, m), now = obs_snapshot_get(v->ahora, e, m);
    if (rv->total++ >= (size_t)rv->t->max)
        return;
    rv->shown++;
    obs_row *r = obs_table_add_row(revisions_table(rv), OBS_ROW_DATA);
    r->clave = e;
    obs_row_set_date(r, 0, v->corte);
    obs_row_set_text(r, 1, e ? entidad(rv->ctx, e)->nombre : "Nacional");
    char *label = metric_label(rv->ctx, m);
    obs_row_set_text(r, 2, label);
    g_free(label);
    obs_row_set_int(r, 3, before);
    obs_row_set_int(r, 4, now);
    obs_row_set_delta(r, 5, now - before);
}

/* Every figure of a publication, in scope, that this run's exports give differently; false if none. */
static bool revise(revisions *rv, const obs_history_vintage *v)
{
    size_t before = rv->total;
    for (int e = 0; e <= OBS_ENTIDADES; e++) {
        if (rv->ctx->entidad && e != 0 && e != rv->ctx->entidad)
            continue;
        for (size_t m = 0; m < v->publicado->nmetrics; m++)
            if (v->known[m] && obs_snapshot_get(v->publicado, e, m) != obs_snapshot_get(v->ahora, e, m))
                revision_row(rv, v, e, m);
    }
    return rv->total > before;
}

/* "al 19 de enero de 2024, al 8 de mayo de 2024 y al …" */
static char *list_cortes(GPtrArray *days)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < days->len; i++)
        g_string_append_printf(s, "%sal %s", i == 0 ? "" : i + 1 == days->len ? " y " : ", ",
                               (const char *)days->pdata[i]);
    return g_string_free(s, FALSE);
}

static void revisions_note(revisions *rv, const char *note)
{
    if (!rv->tab)
        return;
    char a[OBS_FMT_MAX], b[OBS_FMT_MAX];
    char *capped = rv->total > rv->shown
                       ? g_strdup_printf("Se muestran las primeras %s de %s cifras que cambian; las demás se obtienen de "
                                         "metricas.csv y de «observa historial exportar».",
                                         obs_fmt_int(a, sizeof a, (int64_t)rv->shown),
                                         obs_fmt_int(b, sizeof b, (int64_t)rv->total))
                       : NULL;
    char *text = note && capped ? g_strconcat(note, " ", capped, NULL) : g_strdup(note ? note : capped);
    obs_set_str(&rv->tab->note, text);
    g_free(text);
    g_free(capped);
}

void block_revisiones(const obs_template_ctx *ctx, obs_section *sec, const tpl_table *t, const char *title,
                      const char *note)
{
    if (!history_has_cortes(ctx)) {
        say(ctx, sec, "El historial no tiene cortes publicados hasta el");
        return;
    }
    revisions rv = {ctx, t, title, sec, NULL, 0, 0, g_ptr_array_new_with_free_func(g_free)};
    const obs_history_view *v = ctx->history;
    for (size_t i = 0; i < v->nvintages; i++)
        if (!revise(&rv, &v->vintages[i]))
            g_ptr_array_add(rv.unchanged, long_date(v->vintages[i].corte));
    revisions_note(&rv, note);
    if (rv.unchanged->len) {
        char *list = list_cortes(rv.unchanged);
        obs_section_add_paragraph(sec, OBS_PAR_NORMAL,
                                  "%s cifras publicadas con corte %s no cambian con las exportaciones de este %s.",
                                  rv.tab ? "Las demás" : "Las", list, ctx->entidad ? "resumen" : "informe");
        g_free(list);
    }
    g_ptr_array_free(rv.unchanged, TRUE);
}
