/* idset_int.h - internal compact set of seen ids (folios), stored as 128-bit hashes. */
#ifndef OBSERVA_IDSET_H
#define OBSERVA_IDSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct obs_idset obs_idset;

/** The 128-bit hash an id is stored as. */
typedef struct obs_idkey {
    uint64_t hi; /* never 0 */
    uint64_t lo;
} obs_idkey;

/** @brief Hashes an id. */
obs_idkey obs_idset_hash(const char *id, size_t len);
/** @brief Starts loading the memory where the key would live (call early, insert later). */
void obs_idset_prefetch(const obs_idset *set, const obs_idkey *key);
/** @brief Adds a hashed id; returns false if it was already present (one probe). */
bool obs_idset_insert(obs_idset *set, const obs_idkey *key);

/** @brief Adds every id of `from` to `into` (ids already there stay once). */
void obs_idset_add_all(obs_idset *into, const obs_idset *from);

/** @brief Whether the two sets have an id in common. */
bool obs_idset_intersects(const obs_idset *a, const obs_idset *b);

/** @brief A new empty set. */
obs_idset *obs_idset_new(void);
/** @brief Frees the set. NULL-safe. */
void obs_idset_free(obs_idset *set);

#endif /* OBSERVA_IDSET_H */
