/* catalog.h - catalogues shipped in templates/: entidades, outreach types, values, column aliases. */
#ifndef OBSERVA_CATALOG_H
#define OBSERVA_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "observa/error.h"
#include "observa/ingest.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Number of entidades federativas. Claves are 1..OBS_ENTIDADES. */
#define OBS_ENTIDADES 32

/** One entidad and its OPL (templates/catalogos/entidades.csv). Strings owned by the catalogue. */
typedef struct obs_entidad {
    int clave;              /**< 1..32 */
    char *nombre;           /**< INE short name: "México" */
    char *nombre_oficial;   /**< INEGI name: "México" */
    char *abreviatura;      /**< "Mex." */
    char *opl_nombre;       /**< "Instituto Electoral del Estado de México" */
    char *opl_siglas;       /**< "IEEM" (not unique across entidades) */
    char *opl_etiqueta;     /**< Unique display label: "IEEM", "IEE Puebla" */
} obs_entidad;

/** Enumerations whose spellings the catalogue defines (templates/catalogos/valores.csv). */
typedef enum obs_enum {
    OBS_ENUM_TIPO = 0,
    OBS_ENUM_MEDIO,
    OBS_ENUM_SEXO,
    OBS_ENUM_CURSO_POR,
    OBS_ENUM_CURSO_MODALIDAD,
    OBS_ENUM_RESOLUCION,
    OBS_ENUM_CONSEJO,
    OBS_ENUM_MODALIDAD,
    OBS_ENUM_INSTANCIA,
    OBS_ENUM_BOOLEANO,     /**< codes: 0 = si, 1 = no */
    OBS_ENUM_COUNT
} obs_enum;

/** A canonical column of an export (data contract §2-3). */
typedef struct obs_column_def {
    const char *name;
    bool required;
} obs_column_def;

/** @brief Number of canonical columns of a file kind. */
size_t obs_schema_count(obs_file_kind kind);
/** @brief Canonical column i of a file kind. */
const obs_column_def *obs_schema_column(obs_file_kind kind, size_t i);
/** @brief The file's usual name ("solicitudes.csv"). */
const char *obs_file_kind_name(obs_file_kind kind);

/**
 * @brief Loads the catalogues from `templates_dir` (catalogos/entidades.csv,
 * catalogos/tipos_difusion.csv, catalogos/valores.csv, columnas.ini).
 *
 * @param out receives the catalogue (free with obs_catalog_free()).
 * @return OBS_OK, or OBS_ERR_CONFIG with file and line in err.
 */
obs_status obs_catalog_load(const char *templates_dir, obs_catalog **out, obs_error *err);

/** @brief Frees a catalogue. NULL-safe. */
void obs_catalog_free(obs_catalog *cat);

/** @brief The directory the catalogue was loaded from. */
const char *obs_catalog_dir(const obs_catalog *cat);

/** @brief Entidad by clave 1..32 (NULL otherwise). */
const obs_entidad *obs_catalog_entidad(const obs_catalog *cat, int clave);

/**
 * @brief Resolves an entidad written as a clave ("9", "09"), a name, an
 * official name, an abbreviation or an alias, compared after folding.
 * @return the clave 1..32, or 0 if unknown.
 */
int obs_catalog_find_entidad(const obs_catalog *cat, const char *s, size_t len);

/**
 * @brief Resolves a value of an enumeration, compared after folding.
 * @param warn set to true when the spelling is accepted with a warning (may be NULL).
 * @return the fixed code (OBS_MEDIO_PORTAL, …), or -1 if unknown.
 */
int obs_catalog_find_value(const obs_catalog *cat, obs_enum e, const char *s,
                           size_t len, bool *warn);

/**
 * @brief The fixed code an enumeration value is written as, compared after folding ("VPPP" →
 * OBS_MODALIDAD_VPPP), ignoring labels and aliases; -1 if the text is not a code. Used where
 * the contract accepts codes only (modalidades split at spaces, data contract §2).
 */
int obs_catalog_value_code(obs_enum e, const char *s, size_t len);

/** @brief Label of an enumeration code for reports ("Portal público"). */
const char *obs_catalog_value_label(const obs_catalog *cat, obs_enum e, int code);

/** @brief Number of outreach types in the catalogue. */
size_t obs_catalog_tipo_count(const obs_catalog *cat);
/** @brief Code ("rs") of outreach type i. */
const char *obs_catalog_tipo_codigo(const obs_catalog *cat, size_t i);
/** @brief Label ("Redes sociales") of outreach type i. */
const char *obs_catalog_tipo_etiqueta(const obs_catalog *cat, size_t i);
/** @brief Index of an outreach type by code, label or alias; -1 if unknown. */
int obs_catalog_find_tipo(const obs_catalog *cat, const char *s, size_t len);
/** @brief Index of the catch-all type "otr". */
int obs_catalog_tipo_otro(const obs_catalog *cat);

/**
 * @brief Canonical column index (into obs_schema_column()) for a header,
 * given already folded; -1 if the header is not part of the contract.
 */
int obs_catalog_find_column(const obs_catalog *cat, obs_file_kind kind, const char *folded);

#ifdef __cplusplus
}
#endif

#endif /* OBSERVA_CATALOG_H */
