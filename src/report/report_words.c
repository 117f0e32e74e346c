/* report_words.c - the run's facts in words, shared by the template's variables and conditions and by the blocks:
 * the threshold as a count, rejected rows, empty scopes and the flagged OPLs. */
#include <glib.h>
#include <math.h>

#include "report/report_words_int.h"

static const char *const export_nouns[OBS_FILE_KIND_COUNT] = {"solicitudes", "difusión"};

/* "1 fila", "35,000 filas": a count with the noun that agrees with it. */
char *count_noun(int64_t v, const char *singular, const char *plural)
{
    char buf[OBS_FMT_MAX];
    return g_strdup_printf("%s %s", obs_fmt_int(buf, sizeof buf, v), v == 1 || v == -1 ? singular : plural);
}

int64_t opl_actions(const obs_template_ctx *ctx, int e)
{
    return obs_snapshot_get(ctx->run->actual, e, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL);
}

int64_t umbral_acciones(const obs_snapshot *s)
{
    /* n < umbral holds for a count n exactly when n < ceil(umbral). */
    return (int64_t)ceil(s->umbral);
}

char *text_regla(const obs_snapshot *s)
{
    char pct[OBS_FMT_MAX], med[OBS_FMT_MAX];
    char *below = count_noun(umbral_acciones(s), "acción", "acciones");
    char *floor = count_noun(s->rule.umbral_minimo, "acción", "acciones");
    char *text = g_strdup_printf("menos de %s de difusión, es decir, menos que el mayor entre %s y el %s%% de la "
                                 "mediana nacional de acciones de los OPL, que es de %s",
                                 below, floor, obs_fmt_dec(pct, sizeof pct, s->rule.fraccion_mediana * 100, 1),
                                 obs_fmt_dec(med, sizeof med, s->mediana, 2));
    g_free(below);
    g_free(floor);
    return text;
}

char *no_records_text(const obs_template_ctx *ctx)
{
    char date[64];
    obs_fmt_fecha_larga(date, sizeof date, ctx->run->corte);
    return g_strdup_printf("Sin registros al corte del %s.", date);
}

bool any_rechazos(const obs_template_ctx *ctx)
{
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++)
        if (ctx->run->exports[k].total.rechazadas > 0)
            return true;
    return false;
}

/* A share of rows (obs_fmt_share: never a zero that is not). */
static void append_row_share(GString *s, uint64_t part, uint64_t whole)
{
    char buf[OBS_FMT_MAX];
    g_string_append_printf(s, " (%s)", obs_fmt_share(buf, sizeof buf, (int64_t)part, (int64_t)whole));
}

char *text_rechazos(const obs_template_ctx *ctx)
{
    GString *s = g_string_new(NULL);
    char buf[OBS_FMT_MAX];
    int said = 0;
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++) {
        const obs_file_stats *f = &ctx->run->exports[k].total;
        if (f->leidas == 0)
            continue;
        char *rows = count_noun((int64_t)f->leidas, "fila", "filas");
        g_string_append_printf(s, "%s%s de %s de %s", said++ ? " y " : "",
                               obs_fmt_int(buf, sizeof buf, (int64_t)f->rechazadas), rows, export_nouns[k]);
        append_row_share(s, f->rechazadas, f->leidas);
        g_free(rows);
    }
    return g_string_free(s, FALSE);
}

/* ---- the flagged OPLs as a list and as text ------------------------------------------------------------------- */

const char *none_flagged_text(const obs_snapshot *s)
{
    return s->sin_acciones ? "Ningún OPL ha registrado acciones de difusión al corte"
                           : "Ningún OPL está por debajo del umbral";
}

static char *acciones(int64_t v)
{
    return count_noun(v, "acción", "acciones");
}

void block_list_bajo(const obs_template_ctx *ctx, obs_section *sec, obs_par_style style)
{
    obs_block *list = obs_section_add_list(sec, style);
    for (int e = 1; e <= OBS_ENTIDADES; e++) {
        if (!obs_snapshot_bajo(ctx->run->actual, e))
            continue;
        const obs_entidad *ent = obs_catalog_entidad(ctx->run->cat, e);
        char *n = acciones(opl_actions(ctx, e));
        obs_list_add(list, "%s (%s): %s", ent->opl_nombre, ent->nombre, n);
        g_free(n);
    }
    if (list->nitems == 0)
        obs_list_add(list, "%s.", none_flagged_text(ctx->run->actual));
}

char *text_lista_bajo(const obs_template_ctx *ctx)
{
    GString *s = g_string_new(NULL);
    int n = 0, total = ctx->run->actual->nbajo;
    for (int e = 1; e <= OBS_ENTIDADES; e++) {
        if (!obs_snapshot_bajo(ctx->run->actual, e))
            continue;
        n++;
        const obs_entidad *ent = obs_catalog_entidad(ctx->run->cat, e);
        char *a = acciones(opl_actions(ctx, e));
        g_string_append_printf(s, "%s%s (%s) con %s", n == 1 ? "" : (n == total ? " y " : ", "),
                               ent->opl_etiqueta, ent->nombre, a);
        g_free(a);
    }
    if (n == 0)
        g_string_append(s, "ninguno");
    return g_string_free(s, FALSE);
}
