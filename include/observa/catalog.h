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

/** @brief Number of outreach types in the catalogue. */
size_t obs_catalog_tipo_count(const obs_catalog *cat);
/** @brief Code ("rs") of outreach type i. */
const char *obs_catalog_tipo_codigo(const obs_catalog *cat, size_t i);
/** @brief Label ("Redes sociales") of outreach type i. */
const char *obs_catalog_tipo_etiqueta(const obs_catalog *cat, size_t i);
/** @brief Index of the catch-all type "otr". */
int obs_catalog_tipo_otro(const obs_catalog *cat);

#ifdef __cplusplus
}
#endif

#endif /* OBSERVA_CATALOG_H */
