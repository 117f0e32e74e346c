/* gate.c - the rejected-share gate: documents are written only from files that support them (data-contract §8). */
#include <stdarg.h>

#include "output/produce_int.h"
#include "observa/text.h"

/* A notice composed with printf. */
static void say(void (*notice)(void *, const char *), void *user, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(void (*notice)(void *, const char *), void *user, const char *fmt, ...)
{
    if (!notice)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    notice(user, text);
    g_free(text);
}

/* "5%", "2.5%", "0.25%": a limit in hundredths of a percent. */
static char *fmt_limit(int hundredths)
{
    if (hundredths % 100 == 0)
        return g_strdup_printf("%d%%", hundredths / 100);
    if (hundredths % 10 == 0)
        return g_strdup_printf("%d.%d%%", hundredths / 100, hundredths % 100 / 10);
    return g_strdup_printf("%d.%02d%%", hundredths / 100, hundredths % 100);
}

/* The error reason with the most problems in a file (ties: the first in the catalogue's order). */
static obs_reason dominant(const obs_file_stats *f)
{
    obs_reason best = OBS_REASON_COUNT;
    for (int r = 0; r < OBS_REASON_COUNT; r++)
        if (obs_reason_level((obs_reason)r) == OBS_LEVEL_ERROR && f->por_motivo[r] &&
            (best == OBS_REASON_COUNT || f->por_motivo[r] > f->por_motivo[best]))
            best = (obs_reason)r;
    return best;
}

/* " El problema más frecuente: «fecha no válida» (5 veces)." */
static char *dominant_text(const obs_file_stats *f)
{
    obs_reason r = dominant(f);
    if (r == OBS_REASON_COUNT)
        return g_strdup("");
    char n[OBS_FMT_MAX];
    obs_fmt_int(n, sizeof n, (int64_t)f->por_motivo[r]);
    return g_strdup_printf(" El problema más frecuente: «%s» (%s %s).", obs_reason_label(r), n,
                           f->por_motivo[r] == 1 ? "vez" : "veces");
}

bool obs_gate_over(const obs_file_stats *f, int max_rechazadas)
{
    return f->leidas > 0 &&
           (f->rechazadas == f->leidas || f->rechazadas * 10000 > (uint64_t)max_rechazadas * f->leidas);
}

static void explain_refused(const obs_file_stats *f, int max_rechazadas, const char *where,
                            void (*notice)(void *, const char *), void *user)
{
    char rech[OBS_FMT_MAX], leid[OBS_FMT_MAX], pct[OBS_FMT_MAX];
    obs_fmt_int(rech, sizeof rech, (int64_t)f->rechazadas);
    obs_fmt_int(leid, sizeof leid, (int64_t)f->leidas);
    obs_fmt_share(pct, sizeof pct, (int64_t)f->rechazadas, (int64_t)f->leidas);
    char *why = dominant_text(f), *limit = fmt_limit(max_rechazadas);
    if (f->rechazadas == f->leidas) {
        char *all = f->leidas == 1 ? g_strdup("su única fila fue rechazada")
                                   : g_strdup_printf("sus %s filas fueron rechazadas", leid);
        say(notice, user,
            "%s: %s (100%%): no se generó ningún documento, porque no dirían nada que este archivo "
            "sostenga.%s Revise que sea la exportación correcta (columnas, delimitador, codificación) y "
            "corrija %s.",
            f->path, all, why, where);
        g_free(all);
    } else {
        /* The smallest whole percentage that would let this file through. */
        uint64_t allow = (f->rechazadas * 100 + f->leidas - 1) / f->leidas;
        say(notice, user,
            "%s: %s de %s filas rechazadas (%s), más que el máximo de %s: no se generó ningún documento.%s "
            "Corrija %s o, si las filas aceptadas bastan para el informe, permita hasta ese porcentaje "
            "con --max-rechazadas %" G_GUINT64_FORMAT " (o «max_rechazadas = %" G_GUINT64_FORMAT
            "» en [entrada] de la configuración).",
            f->path, rech, leid, pct, limit, why, where, allow, allow);
    }
    g_free(why);
    g_free(limit);
}

/* A file with only its header: not a rejected file (an export with no rows says there is nothing
 * yet), but worth a warning, in the same words from every command; `who` says what will show it. */
static void warn_no_rows(const obs_file_stats *f, obs_file_kind kind, const char *who,
                         void (*notice)(void *, const char *), void *user)
{
    say(notice, user,
        "aviso: %s no tiene filas de datos (sólo el encabezado): %s que no hay registros de %s. Si no es lo "
        "esperado, exporte de nuevo el archivo.",
        f->path, who, kind == OBS_FILE_SOLICITUDES ? "solicitudes" : "acciones de difusión");
}

size_t obs_gate_explain(const obs_run *run, int max_rechazadas, const char *where,
                        void (*notice)(void *user, const char *text), void *user)
{
    size_t refused = 0;
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++) {
        const obs_export *ex = &run->exports[k];
        for (size_t i = 0; i < ex->nfiles; i++) {
            const obs_file_stats *f = &ex->files[i];
            if (f->leidas == 0) {
                warn_no_rows(f, (obs_file_kind)k, "los documentos dirán", notice, user);
            } else if (obs_gate_over(f, max_rechazadas)) {
                explain_refused(f, max_rechazadas, where, notice, user);
                refused++;
            }
        }
    }
    return refused;
}

void obs_gate_report_share(const obs_run *run, int max_rechazadas, void (*notice)(void *user, const char *text),
                           void *user)
{
    char *limit = fmt_limit(max_rechazadas);
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++) {
        const obs_export *ex = &run->exports[k];
        for (size_t i = 0; i < ex->nfiles; i++) {
            const obs_file_stats *f = &ex->files[i];
            if (f->leidas == 0)
                warn_no_rows(f, (obs_file_kind)k, "los documentos de informe, opl, oficio y lote dirían", notice,
                             user);
            if (!f->rechazadas)
                continue;
            char pct[OBS_FMT_MAX];
            obs_fmt_share(pct, sizeof pct, (int64_t)f->rechazadas, (int64_t)f->leidas);
            char *why = dominant_text(f);
            if (f->rechazadas == f->leidas)
                say(notice, user,
                    "%s: %s: informe, opl, oficio, lote y metricas no generarían nada con este archivo.%s",
                    f->path, f->leidas == 1 ? "su única fila fue rechazada" : "todas sus filas fueron rechazadas",
                    why);
            else if (obs_gate_over(f, max_rechazadas))
                say(notice, user,
                    "%s: %s de las filas rechazadas, más que el máximo de %s: informe, opl, oficio, lote y "
                    "metricas no generarían nada con este archivo.%s",
                    f->path, pct, limit, why);
            else
                say(notice, user, "%s: %s de las filas rechazadas (dentro del máximo de %s).%s", f->path, pct,
                    limit, why);
            g_free(why);
        }
    }
    g_free(limit);
}
