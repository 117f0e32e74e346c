/* report_about.c - what a workbook says about itself: its "Acerca de" sheet (corte, sources, rules). */
#include <glib.h>
#include <string.h>

#include "observa/report.h"
#include "report/report_words_int.h"

static void add_date(obs_doc *doc, const char *label, obs_day d)
{
    char longd[64], iso[16];
    obs_day_iso(d, iso, sizeof iso);
    obs_doc_add_about(doc, label, "%s (%s)", obs_fmt_fecha_larga(longd, sizeof longd, d), iso);
}

/* The generation time in central Mexico (UTC-6 all year since 2022), as the PDF's metadata has it;
 * no city named: a per-OPL workbook names no other entidad. */
static void add_generated(obs_doc *doc, int64_t t)
{
    GDateTime *dt = g_date_time_new_from_unix_utc(t - 6 * 3600);
    if (!dt)
        return;
    char longd[64];
    obs_fmt_fecha_larga(longd, sizeof longd, obs_day_from_unix(t));
    obs_doc_add_about(doc, "Generado", "%s, %02d:%02d (tiempo del centro, UTC-6)", longd,
                      g_date_time_get_hour(dt), g_date_time_get_minute(dt));
    g_date_time_unref(dt);
}

/* Whether the workbook's OPL is flagged, said plainly on its first sheet. */
static void add_flag(obs_doc *doc, const obs_run *run, const obs_entidad *e)
{
    const obs_snapshot *now = run->actual;
    const char *label = "Señalado por bajo número de acciones de difusión";
    if (now->sin_acciones) {
        obs_doc_add_about(doc, label, "No: al corte ningún OPL ha registrado acciones de difusión, así que no se "
                                      "señala a ninguno");
        return;
    }
    char *has = count_noun(obs_snapshot_get(now, e->clave, OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_OPL), "acción",
                           "acciones");
    char *floor = count_noun(umbral_acciones(now), "acción", "acciones");
    if (obs_snapshot_bajo(now, e->clave))
        obs_doc_add_about(doc, label, "Sí: el %s registra %s de difusión, menos de %s (vea Reglas)", e->opl_etiqueta,
                          has, floor);
    else
        obs_doc_add_about(doc, label, "No: el %s registra %s de difusión; se señala a un OPL con menos de %s (vea "
                                      "Reglas)",
                          e->opl_etiqueta, has, floor);
    g_free(has);
    g_free(floor);
}

static void add_document(obs_doc *doc, const obs_run *run, const obs_report_info *info, int entidad)
{
    obs_doc_add_about(doc, "Documento", NULL);
    obs_doc_add_about(doc, "Título", "%s", doc->title ? doc->title : "");
    if (entidad > 0) {
        const obs_entidad *e = obs_catalog_entidad(run->cat, entidad);
        obs_doc_add_about(doc, "Organismo Público Local", "%s (%s)", e->opl_nombre, e->opl_etiqueta);
        obs_doc_add_about(doc, "Entidad", "%s (clave %02d); las cifras nacionales son agregados del país",
                          e->nombre, entidad);
        add_flag(doc, run, e);
    }
    if (info->proceso && *info->proceso)
        obs_doc_add_about(doc, "Proceso electoral", "%s", info->proceso);
    add_date(doc, "Corte", run->corte);
    if (run->anterior)
        add_date(doc, "Corte anterior", run->corte_anterior);
    else
        obs_doc_add_about(doc, "Corte anterior", "No se indicó: no hay columnas de cambio");
    add_generated(doc, info->generated_at);
    obs_doc_add_about(doc, "Elaborado con", "observa %s", info->version ? info->version : "");
}

static void add_sources(obs_doc *doc, const obs_run *run)
{
    static const char *const kinds[OBS_FILE_KIND_COUNT] = {"Solicitudes", "Difusión"};
    obs_doc_add_about(doc, "Fuentes", NULL);
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++) {
        const obs_export *ex = &run->exports[k];
        for (size_t i = 0; i < ex->nfiles; i++) {
            const obs_file_stats *f = &ex->files[i];
            char *base = g_path_get_basename(f->path ? f->path : "");
            char *label = g_strdup_printf("%s: %s", kinds[k], base);
            char a[2 * OBS_FMT_MAX], b[2 * OBS_FMT_MAX], c[2 * OBS_FMT_MAX], d[2 * OBS_FMT_MAX];
            obs_doc_add_about(doc, label, "%s (%s, %s); %s; SHA-256 %s",
                              obs_fmt_count(a, sizeof a, (int64_t)f->leidas, "fila leída", "filas leídas"),
                              obs_fmt_count(b, sizeof b, (int64_t)f->aceptadas, "aceptada", "aceptadas"),
                              obs_fmt_count(c, sizeof c, (int64_t)f->rechazadas, "rechazada", "rechazadas"),
                              obs_fmt_count(d, sizeof d, (int64_t)f->bytes, "byte", "bytes"), f->sha256);
            g_free(label);
            g_free(base);
        }
    }
}

/* The outreach rule as a rule, in whole actions, and what it gives at the corte. */
static char *rule_at_corte(const obs_snapshot *now)
{
    char *rule = text_regla(now);
    char *flagged = now->sin_acciones ? g_strdup("ningún OPL ha registrado acciones de difusión, así que no se "
                                                 "señala a ninguno hasta que se registren")
                                      : count_noun(now->nbajo, "OPL señalado", "OPL señalados");
    char *text = g_strdup_printf("Un OPL se señala cuando registra %s. Al corte: %s.", rule, flagged);
    g_free(flagged);
    g_free(rule);
    return text;
}

static void add_rules(obs_doc *doc, const obs_run *run)
{
    obs_doc_add_about(doc, "Reglas", NULL);
    obs_doc_add_about(doc, "Reglas de corte",
                      "Una solicitud cuenta si su fecha de registro en el Sistema es igual o anterior al "
                      "corte; tiene curso si la fecha del curso es igual o anterior al corte; su estado es el "
                      "de la resolución del consejo si ésta ocurrió en o antes del corte y, si no, está "
                      "pendiente. Una acción de difusión cuenta si se registró en o antes del corte. El corte "
                      "anterior se calcula con las mismas reglas y los mismos archivos.");
    char *rule = rule_at_corte(run->actual);
    obs_doc_add_about(doc, "Bajo número de acciones de difusión", "%s", rule);
    g_free(rule);
    obs_doc_add_about(doc, "Cifras",
                      "Los conteos son números enteros; las filas de total son fórmulas SUMA con su valor "
                      "calculado. Los porcentajes se calculan de los conteos («–» cuando la base es cero). En la "
                      "hoja Métricas, la columna nivel distingue las filas nacionales (entidad 00) de las de "
                      "cada entidad, para no sumarlas dos veces.");
}

void obs_report_add_about(obs_doc *doc, const obs_run *run, const obs_report_info *info, int entidad)
{
    add_document(doc, run, info, entidad);
    add_sources(doc, run);
    add_rules(doc, run);
}
