/* catalog_int.h - internal to ingest: the export schemas and the catalogue's lookups of spellings. */
#ifndef OBSERVA_CATALOG_INT_H
#define OBSERVA_CATALOG_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "observa/catalog.h"
#include "observa/ingest.h"

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

/** @brief Label of an enumeration code ("Portal público"), for messages. */
const char *obs_catalog_value_label(const obs_catalog *cat, obs_enum e, int code);

/** @brief Index of an outreach type by code, label or alias; -1 if unknown. */
int obs_catalog_find_tipo(const obs_catalog *cat, const char *s, size_t len);

/**
 * @brief Canonical column index (into obs_schema_column()) for a header,
 * given already folded; -1 if the header is not part of the contract.
 */
int obs_catalog_find_column(const obs_catalog *cat, obs_file_kind kind, const char *folded);

#endif /* OBSERVA_CATALOG_INT_H */
