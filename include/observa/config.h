/* config.h - run configuration: INI file (GLib key file) merged with command-line options. */
#ifndef OBSERVA_CONFIG_H
#define OBSERVA_CONFIG_H

#include <stdbool.h>
#include <glib.h>
#include <stdint.h>

#include "observa/error.h"
#include "observa/ingest.h"
#include "observa/metrics.h"
#include "observa/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Output formats (-f/--formatos). */
enum {
    OBS_FMT_PDF = 1u << 0,
    OBS_FMT_XLSX = 1u << 1,
    OBS_FMT_CSV = 1u << 2,
    OBS_FMT_ALL = OBS_FMT_PDF | OBS_FMT_XLSX | OBS_FMT_CSV
};

/** Documents a run writes (lote: [salida] documentos). */
enum {
    OBS_DOC_INFORME = 1u << 0,     /**< informe.pdf / informe.xlsx */
    OBS_DOC_OPL = 1u << 1,         /**< opl/CC_ETIQUETA.pdf / .xlsx, one per entidad */
    OBS_DOC_OFICIO = 1u << 2,      /**< oficio.pdf */
    OBS_DOC_OFICIO_OPL = 1u << 3,  /**< oficio_opl/CC_ETIQUETA.pdf, one per flagged OPL */
    OBS_DOC_METRICAS = 1u << 4,    /**< metricas.csv */
    OBS_DOC_ALL = 0x1f
};

/** Keys of the [oficio] section; templates see them as {{oficio.<key>}}. NULL-terminated. */
extern const char *const obs_oficio_keys[];

/** Everything a run can be told. Strings are owned (g_free). Unset strings are NULL. */
typedef struct obs_config {
    /** Files or directories of the solicitudes export, NULL-terminated (g_strfreev), as given;
     * obs_inputs_expand() turns them into files. NULL when unset. */
    char **solicitudes;
    char **difusion;           /**< Likewise for the difusion export. */
    obs_day corte;             /**< OBS_DAY_NONE when unset. */
    obs_day corte_anterior;
    char *salida;
    unsigned formatos;         /**< 0 when unset (then all). */
    char *plantillas;
    obs_encoding codificacion;
    char delimitador;          /**< 0 = auto */
    bool estricto;
    obs_outreach_rule rule;
    char *proceso;
    char *lugar;
    obs_paper papel;
    char *logo;
    int64_t fecha_generacion;  /**< Unix time, or -1 when unset. */
    unsigned documentos;       /**< OBS_DOC_* for lote; 0 when unset (then all). */
    int hilos;                 /**< Worker threads; 0 when unset (then one per core). */
    GHashTable *oficio;        /**< [oficio] key -> value (owned strings), never NULL after init. */
} obs_config;

/** @brief Defaults: no paths, no cortes, rule 5 / 0.5, Letter, CDMX, the 2023-2024 process. */
void obs_config_init(obs_config *cfg);
/** @brief Frees the strings of a configuration. */
void obs_config_clear(obs_config *cfg);

/**
 * @brief Reads an INI file into cfg (keys present override cfg). Relative
 * paths in the file are taken relative to the file's directory; [entrada]
 * solicitudes and difusion take a comma-separated list of files or directories.
 * @return OBS_OK, OBS_ERR_NOINPUT if it cannot be read, or OBS_ERR_CONFIG
 *         for unknown groups or keys and bad values (with file and line).
 */
obs_status obs_config_load(obs_config *cfg, const char *path, obs_error *err);

/** @brief Parses "pdf,xlsx,csv" into OBS_FMT_* bits; false on an unknown name. */
bool obs_config_parse_formatos(const char *s, unsigned *out);
/** @brief Parses "auto", "utf-8", "windows-1252" (and common spellings). */
bool obs_config_parse_codificacion(const char *s, obs_encoding *out);
/** @brief Parses "auto", ",", ";", "tab". */
bool obs_config_parse_delimitador(const char *s, char *out);
/** @brief Parses "informe, opl, oficio, oficio_opl, metricas" into OBS_DOC_* bits. */
bool obs_config_parse_documentos(const char *s, unsigned *out);
/** @brief Parses "carta"/"letter" or "a4". */
bool obs_config_parse_papel(const char *s, obs_paper *out);
/** @brief Parses an ISO 8601 date-time (with or without offset; UTC-6 if none) or date. */
bool obs_config_parse_fecha_hora(const char *s, int64_t *out);

#ifdef __cplusplus
}
#endif

#endif /* OBSERVA_CONFIG_H */
