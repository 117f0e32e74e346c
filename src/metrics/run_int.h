/* run_int.h - internal to the run: how a solicitudes file was read (the split read's outcome, for tests). */
#ifndef OBSERVA_RUN_INT_H
#define OBSERVA_RUN_INT_H

#include "observa/run.h"

/** How a solicitudes file was read (diagnostics: the figures are the same either way). */
typedef enum obs_split {
    OBS_SPLIT_NONE = 0,  /**< In one pass. */
    OBS_SPLIT_MERGED,    /**< In two parts at once, then merged. */
    OBS_SPLIT_REREAD,    /**< In two parts, but the second was read again after the first (an id
                              in both parts, or more distinct causes than are kept one by one). */
    OBS_SPLIT_THROUGH,   /**< The first part read on to the end: no record ended at the split. */
} obs_split;

#endif /* OBSERVA_RUN_INT_H */
