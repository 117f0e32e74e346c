/* metrics.h - the as-of metric cube: counts per entidad per day, summed up to any cut-off. */
#ifndef OBSERVA_METRICS_H
#define OBSERVA_METRICS_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "observa/catalog.h"
#include "observa/ingest.h"
#include "observa/text.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Metric ids (data contract §6). Ids from OBS_M_DIF_TIPO on are one per
 * outreach type of the catalogue, in catalogue order. Derived metrics
 * (curso.sin, pendientes, difusion.ine, difusion.bajo) are computed when a
 * snapshot is taken. OBS_M_ORGANIZACIONES is a distinct count
 * (obs_metric_is_distinct()): its national value is not the sum of the entidades', and it
 * has no daily series (obs_cube_cumulative() gives 0 for it).
 */
typedef enum obs_metric {
    OBS_M_TOTAL = 0,
    OBS_M_SEXO,                                   /* + OBS_SEXO_* (4) */
    OBS_M_TIPO = OBS_M_SEXO + OBS_SEXO_COUNT,     /* + OBS_TIPO_* (2) */
    OBS_M_MEDIO = OBS_M_TIPO + OBS_TIPO_COUNT,    /* + OBS_MEDIO_* (3) */
    OBS_M_EDAD = OBS_M_MEDIO + OBS_MEDIO_COUNT,   /* + band (13, the last = no especificada) */
    OBS_M_DISCAPACIDAD = OBS_M_EDAD + 13,
    OBS_M_INDIGENA,
    OBS_M_MODALIDAD,                              /* + OBS_MODALIDAD_* (3) */
    OBS_M_CURSO_CON = OBS_M_MODALIDAD + OBS_MODALIDAD_COUNT,
    OBS_M_CURSO_SIN,
    OBS_M_CURSO_POR,                              /* + OBS_CURSO_POR_* (3) */
    OBS_M_APROBADAS = OBS_M_CURSO_POR + OBS_CURSO_POR_COUNT,
    OBS_M_IMPROCEDENTES,
    OBS_M_DECLINADAS,
    OBS_M_PENDIENTES,
    OBS_M_APROB_CONSEJO,                          /* + OBS_CONSEJO_* (2) */
    OBS_M_ORGANIZACIONES = OBS_M_APROB_CONSEJO + OBS_CONSEJO_COUNT, /* distinct: see below */
    OBS_M_DIF_TOTAL,
    OBS_M_DIF_INSTANCIA,                          /* + OBS_INSTANCIA_* (3) */
    OBS_M_DIF_INE = OBS_M_DIF_INSTANCIA + OBS_INSTANCIA_COUNT,
    OBS_M_DIF_ALCANCE,
    OBS_M_DIF_BAJO,
    OBS_M_DIF_TIPO                                /* + catalogue index */
} obs_metric;

/** Number of age bands, the last one being "no especificada". */
#define OBS_EDAD_BANDS 13

/** @brief Age band index (0..11) of an age, or 12 for absent (OBS_ABSENT). */
int obs_edad_band(int edad);
/** @brief Suffix of an age band's metric name ("18_20", …, "71_mas", "no_especificada"). */
const char *obs_edad_band_name(int band);
/** @brief Spanish label of an age band ("18 a 20", "71 o más", "No especificada"). */
const char *obs_edad_band_label(int band);

/** The low-outreach rule (data contract §5). */
typedef struct obs_outreach_rule {
    int64_t umbral_minimo;    /**< Default 5. */
    double fraccion_mediana;  /**< Default 0.5. */
} obs_outreach_rule;

/** All metrics of the 32 entidades and the national total at one cut-off. */
typedef struct obs_snapshot {
    obs_day corte;
    size_t nmetrics;        /**< Counters per entidad: exported metrics plus internal ones. */
    int64_t *values;        /**< [OBS_ENTIDADES + 1][nmetrics]; row 0 is the national total. */
    obs_outreach_rule rule;
    double mediana;         /**< Median of OPL actions across the 32 entidades. */
    double umbral;          /**< max(umbral_minimo, fraccion_mediana × mediana). */
    int nbajo;              /**< Number of flagged OPLs. */
    bool sin_acciones;      /**< No OPL action registered in the country at this corte: the rule compares
                                 nothing, so no OPL is flagged (nbajo 0, difusion.bajo 0 everywhere). */
    bool overflow;          /**< Some sum exceeded INT64_MAX (saturated): no figure may be published. */
} obs_snapshot;

typedef struct obs_cube obs_cube;

/** A cause of improcedencia and how many requests it applies to at the cube's corte. */
typedef struct obs_causa {
    const char *causa;  /**< As first written in the export (trimmed). */
    int64_t count;
} obs_causa;

/**
 * @brief A new empty cube for catalogue `cat`.
 * @param limit the latest cut-off that will be asked (the corte): events after it are
 *        not stored, so memory does not depend on dates after the corte.
 */
obs_cube *obs_cube_new(const obs_catalog *cat, obs_day limit);
/** @brief Frees the cube. NULL-safe. */
void obs_cube_free(obs_cube *cube);

/** @brief Adds an accepted request (only the events on or before the limit count). */
void obs_cube_add_solicitud(obs_cube *cube, const obs_solicitud *s);
/** @brief Adds an accepted outreach action. */
void obs_cube_add_accion(obs_cube *cube, const obs_accion *a);

/** @brief Number of metrics (fixed ones plus one per outreach type). */
size_t obs_cube_metric_count(const obs_cube *cube);
/**
 * @brief Id of the internal counter of OPL actions of outreach type `tipo`
 * (not exported to metricas.csv); usable with obs_snapshot_get() and
 * obs_cube_cumulative().
 */
size_t obs_cube_slot_tipo_opl(const obs_cube *cube, size_t tipo);
/** @brief Id of the internal counter of requests in age band `band` (0..12) and sex `sexo`. */
size_t obs_cube_slot_edad_sexo(const obs_cube *cube, int band, int sexo);
/** @brief Id of a metric by name, or -1. */
int obs_cube_metric_find(const obs_cube *cube, const char *name);
/** @brief Name of an exported metric ("solicitudes.total"), or NULL for an id past them. */
const char *obs_cube_metric_name(const obs_cube *cube, size_t metric);

/**
 * @brief Whether a metric counts distinct things (solicitudes.organizaciones): its national
 * value is not the sum of the entidades' (an organisation with requests in two entidades
 * counts once in each and once nationally), so a total row must not be a SUM of them.
 */
bool obs_metric_is_distinct(size_t metric);

/**
 * @brief The breakdown a metric belongs to: a set of metrics that partition a parent metric
 * (solicitudes.sexo.*, tipo.*, medio.*, edad.* and curso.{con,sin} of solicitudes.total; the
 * four states aprobadas, improcedentes, declinadas and pendientes of solicitudes.total;
 * difusion.instancia.* and difusion.tipo.* of difusion.total). Their shares of the parent are
 * shown rounded together so that they add up to 100.0% (obs_pct_largest_remainder()).
 * @param parent  receives the parent metric's id (may be NULL).
 * @param members receives the ids of every member (the metric itself included), up to max.
 * @return how many members the breakdown has (it may exceed max), or 0 when the metric is in
 * none. This function can't fail.
 */
size_t obs_cube_breakdown(const obs_cube *cube, size_t metric, size_t *parent, size_t *members,
                          size_t max);

/** @brief Earliest day with any event, or OBS_DAY_NONE when the cube is empty. */
obs_day obs_cube_first_day(const obs_cube *cube);

/**
 * @brief The day on which the cube counted the events older than the days it keeps one by one
 * (about ten years before its limit, a memory guard against odd dates), or OBS_DAY_NONE when
 * no event was that old. When set, it is also obs_cube_first_day(), and the counts on it mean
 * "up to and including that day", not "on that day".
 */
obs_day obs_cube_clamped_day(const obs_cube *cube);

/**
 * @brief All metrics at cut-off `corte` (inclusive), with the low-outreach rule applied.
 * @return a new snapshot (obs_snapshot_free()).
 */
obs_snapshot *obs_cube_snapshot(const obs_cube *cube, obs_day corte, const obs_outreach_rule *rule);
/** @brief Frees a snapshot. NULL-safe. */
void obs_snapshot_free(obs_snapshot *snap);
/** @brief Value of a metric for entidad 1..32, or 0 for the national total. */
int64_t obs_snapshot_get(const obs_snapshot *snap, int entidad, size_t metric);
/** @brief True when entidad's OPL is flagged for low outreach. */
bool obs_snapshot_bajo(const obs_snapshot *snap, int entidad);

/**
 * @brief Cumulative value of a (non-derived) metric at each of n ascending cut-offs.
 * @param entidad 1..32, or 0 for the national total.
 */
void obs_cube_cumulative(const obs_cube *cube, size_t metric, int entidad,
                         const obs_day *cuts, size_t n, int64_t *out);

/**
 * @brief The most frequent causes of improcedencia at the cube's limit, most
 * frequent first (ties by text). Returns how many were written (at most max).
 * Only causes kept one by one are listed: the requests of the causes not listed (beyond max,
 * or beyond the distinct causes the cube keeps) are solicitudes.improcedentes at the limit
 * minus the sum of those listed.
 */
size_t obs_cube_top_causas(const obs_cube *cube, obs_causa *out, size_t max);

/** One row of metricas.csv: the corte as an ISO date, the entidad (0 national), name and value. */
typedef void (*obs_metrica_fn)(const char *corte, int entidad, const char *metrica, int64_t valor,
                               void *user);

/**
 * @brief Calls fn for each row of metricas.csv (data contract §6) for the given snapshots, in
 * the file's order (corte, entidad, metrica). With only in 1..32, just the national rows and
 * that entidad's; with only = -1, all of them.
 */
void obs_metricas_foreach(const obs_cube *cube, const obs_snapshot *const *snaps, size_t n,
                          int only, obs_metrica_fn fn, void *user);

/**
 * @brief Appends metricas.csv (data contract §6) for the given snapshots to out:
 * header, then rows sorted by corte, entidad, metrica. No byte order mark: a file on disk
 * starts with OBS_CSV_BOM (csvfield.h), which the caller writes first.
 */
void obs_metricas_csv(const obs_cube *cube, const obs_snapshot *const *snaps, size_t n,
                      GString *out);

#ifdef __cplusplus
}
#endif

#endif /* OBSERVA_METRICS_H */
