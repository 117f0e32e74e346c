/* metrics_int.h - internal to metrics: merging the cube of one part of a split read into another's. */
#ifndef OBSERVA_METRICS_INT_H
#define OBSERVA_METRICS_INT_H

#include "observa/metrics.h"

/** @brief Adds every count of `from` (same catalogue and limit) into `into`. */
void obs_cube_merge(obs_cube *into, const obs_cube *from);

/**
 * @brief Whether merging from into into gives exactly the cube one pass over both inputs would
 * (into's rows first): false only when from alone met more distinct causes than are kept one
 * by one, since its "otras" may then hold causes that into keeps.
 */
bool obs_cube_merge_is_exact(const obs_cube *into, const obs_cube *from);

#endif /* OBSERVA_METRICS_INT_H */
