/* idset.h - internal compact set of seen ids (folios), stored as 128-bit hashes. */
#ifndef OBSERVA_IDSET_H
#define OBSERVA_IDSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct obs_idset obs_idset;

/** @brief A new empty set. */
obs_idset *obs_idset_new(void);
/** @brief Frees the set. NULL-safe. */
void obs_idset_free(obs_idset *set);
/** @brief True if the id is already in the set. */
bool obs_idset_contains(const obs_idset *set, const char *id, size_t len);
/** @brief Adds the id; returns false if it was already present. */
bool obs_idset_add(obs_idset *set, const char *id, size_t len);
/** @brief Number of ids in the set. */
size_t obs_idset_size(const obs_idset *set);
/** @brief Bytes of memory held by the set's tables. */
size_t obs_idset_memory(const obs_idset *set);

#endif /* OBSERVA_IDSET_H */
