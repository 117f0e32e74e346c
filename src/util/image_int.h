/* image_int.h - internal: whether a logo's bytes are a sound PNG or JPEG (checked at load and before drawing). */
#ifndef OBSERVA_IMAGE_INT_H
#define OBSERVA_IMAGE_INT_H

#include <stddef.h>

#include "observa/error.h"

typedef enum { OBS_IMAGE_NONE = 0, OBS_IMAGE_PNG, OBS_IMAGE_JPEG } obs_image_kind;

/*
 * Checks the structure of an image told by its content: a PNG's chunks (lengths, CRCs, IHDR
 * values, order, PLTE for palettes, IDAT, IEND) or a JPEG's markers up to its first scan, with
 * a frame header of non-zero size. libharu 2.3.0 hands PNGs to libpng with an error callback
 * that returns, so libpng abort()s the process on some damaged files: this check comes first.
 * Only a PNG whose CRCs are right around a broken zlib stream would still get through.
 *
 * @param kind  receives the kind on success.
 * @return OBS_OK; OBS_ERR_CONFIG naming path: not a PNG or JPEG, or a damaged one.
 */
obs_status obs_image_check(const unsigned char *data, size_t n, const char *path, obs_image_kind *kind,
                           obs_error *err);

#endif /* OBSERVA_IMAGE_INT_H */
