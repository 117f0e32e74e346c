/* common.h - what the fuzz targets share: the catalogue and a scratch file. */
#ifndef OBSERVA_FUZZ_COMMON_H
#define OBSERVA_FUZZ_COMMON_H

#include "observa/catalog.h"
#include "observa/ingest.h"

/** The catalogue of $OBSERVA_PLANTILLAS; exits with a message naming the target if it fails. */
obs_catalog *fuzz_catalog(const char *target);
/** A row sink that aborts on an accepted row the rules should have refused (an entidad outside
 * 1..32, a registration before the date it must follow, an outreach type outside the catalogue). */
obs_row_sink fuzz_checked_rows(void);
/** A scratch file path of this process, in RAM (/dev/shm) when available. g_free() it. */
char *fuzz_scratch_path(const char *name);

#endif /* OBSERVA_FUZZ_COMMON_H */
