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

/** Default largest rejected share of an input file, in hundredths of a percent (5%). */
#define OBS_MAX_RECHAZADAS_DEFAULT 500
/** Largest configuration file observa reads (a larger one is surely not a configuration). */
#define OBS_CONFIG_MAX_BYTES (1024 * 1024)
/** Largest logo image accepted (5 MB). */
#define OBS_LOGO_MAX_BYTES (5 * 1000 * 1000)
/** The placeholder an output directory may hold: replaced by the ISO corte. */
#define OBS_CONFIG_CORTE_PLACEHOLDER "{corte}"

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
    char *salida;              /**< May hold {corte} (OBS_CONFIG_CORTE_PLACEHOLDER). */
    unsigned formatos;         /**< 0 when unset (then all). */
    char *plantillas;
    obs_encoding codificacion;
    char delimitador;          /**< 0 = auto */
    char *hoja;                /**< A workbook's sheet to read, by name; NULL: the first. */
    bool estricto;
    /** Largest rejected share (rechazadas / leídas) an input file may have for documents to be
     * written, in hundredths of a percent (500 = 5%, the default); 0..10000. */
    int max_rechazadas;
    obs_outreach_rule rule;
    char *proceso;
    char *lugar;
    obs_paper papel;
    char *logo;
    int64_t fecha_generacion;  /**< Unix time, or -1 when unset. */
    unsigned documentos;       /**< OBS_DOC_* for lote; 0 when unset (then all). */
    int hilos;                 /**< Worker threads; 0 when unset (then one per core). */
    GHashTable *oficio;        /**< [oficio] key -> value (owned strings), never NULL after init. */
    char *historial;           /**< [historial] archivo: the history file; NULL for the default. */
    /** [servir] nombre: the host name clients use for observa servir (its Host header), or NULL. */
    char *servir_nombre;
    int64_t servir_retencion_dias; /**< [servir] retencion_dias: keep uploads this long; 0 = delete. */
    int64_t servir_trabajos;       /**< [servir] trabajos: runs at once; 0 when unset (then 1). */
} obs_config;

/** @brief Defaults: no paths, no cortes, rule 5 / 0.5, Letter, CDMX, the 2023-2024 process. */
void obs_config_init(obs_config *cfg);
/** @brief Frees the strings of a configuration. */
void obs_config_clear(obs_config *cfg);

/**
 * @brief Reads an INI file into cfg (keys present override cfg), line by line (obs_ini_read():
 * a BOM, CRLF and ';' comments are accepted). Relative paths in the file are taken relative to
 * the file's directory; [entrada] solicitudes and difusion take a comma-separated list of files
 * or directories; [salida] directorio may hold {corte}; [informe] logo is checked at once
 * (config_int.h: obs_config_check_logo()).
 * @return OBS_OK; OBS_ERR_NOINPUT if the file cannot be opened or read; OBS_ERR_CONFIG, with
 *         file and line, for a file that is not a regular file or larger than
 *         OBS_CONFIG_MAX_BYTES, a malformed line, a key outside any section, a repeated key,
 *         an unknown section or key, an empty value for a key that needs one, a bad value, a
 *         logo that is not a PNG or JPEG image of at most 5 MB, or a corte_anterior not
 *         before the corte.
 */
obs_status obs_config_load(obs_config *cfg, const char *path, obs_error *err);

/** @brief Parses "pdf,xlsx,csv" into OBS_FMT_* bits; false on an unknown name. */
bool obs_config_parse_formatos(const char *s, unsigned *out);
/** @brief Parses "auto", "utf-8", "windows-1252" (and common spellings). */
bool obs_config_parse_codificacion(const char *s, obs_encoding *out);
/** @brief Parses "auto", ",", ";", "tab". */
bool obs_config_parse_delimitador(const char *s, char *out);
/**
 * @brief Parses a percentage "5", "2.5", "0.25%" (0 to 100, at most two decimals) into
 * hundredths of a percent (500, 250, 25); false otherwise.
 */
bool obs_config_parse_porcentaje(const char *s, int *hundredths);
/**
 * @brief Parses a decimal integer in [min, max]: leading zeros never make it octal ("010" is
 * 10, "09" is 9); false for anything else (signs, spaces, other bases, out of range).
 */
bool obs_config_parse_entero(const char *s, int64_t min, int64_t max, int64_t *out);

#ifdef __cplusplus
}
#endif

#endif /* OBSERVA_CONFIG_H */
