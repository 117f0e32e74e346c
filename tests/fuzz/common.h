/* common.h - what the fuzz targets share: the catalogue and a scratch file. */
#ifndef OBSERVA_FUZZ_COMMON_H
#define OBSERVA_FUZZ_COMMON_H

#include "observa/catalog.h"

/** The catalogue of $OBSERVA_PLANTILLAS; exits with a message naming the target if it fails. */
obs_catalog *fuzz_catalog(const char *target);
/** A scratch file path of this process, in RAM (/dev/shm) when available. g_free() it. */
char *fuzz_scratch_path(const char *name);

#endif /* OBSERVA_FUZZ_COMMON_H */
