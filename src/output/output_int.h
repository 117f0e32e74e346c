/* output_int.h - internal: what the manifest reads of an output's committed files. */
#ifndef OBSERVA_OUTPUT_INT_H
#define OBSERVA_OUTPUT_INT_H

#include "observa/output.h"

/* Committed file i (0 <= i < obs_output_count()), in the order committed. */
const obs_output_entry *obs_output_get(const obs_output *out, size_t i);

#endif /* OBSERVA_OUTPUT_INT_H */
