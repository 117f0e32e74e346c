/* config_int.h - internal: the configuration's value parsers and logo check, visible to config.c and its tests. */
#ifndef OBSERVA_CONFIG_INT_H
#define OBSERVA_CONFIG_INT_H

#include "observa/config.h"

/** Parses "informe, opl, oficio, oficio_opl, metricas" into OBS_DOC_* bits. */
bool obs_config_parse_documentos(const char *s, unsigned *out);
/** Parses "carta"/"letter" or "a4". */
bool obs_config_parse_papel(const char *s, obs_paper *out);
/**
 * Checks that path is a usable logo: an existing regular file of at most
 * OBS_LOGO_MAX_BYTES whose first bytes are a PNG or JPEG signature.
 * @return OBS_OK, or OBS_ERR_CONFIG naming path and why (the system error in Spanish).
 */
obs_status obs_config_check_logo(const char *path, obs_error *err);
/** Parses an ISO 8601 date-time (with or without offset; UTC-6 if none) or date. */
bool obs_config_parse_fecha_hora(const char *s, int64_t *out);

#endif /* OBSERVA_CONFIG_INT_H */
