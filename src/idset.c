/* idset.c - compact set of seen ids: 128-bit hashes in sharded open-addressing tables.
 *
 * The folio set is the one structure of a run that grows with the rows, so it
 * keeps 16 bytes per id instead of a string, and it is split into 256 shards
 * that grow one at a time, so a resize never doubles the whole set at once.
 * Two different ids share a 128-bit hash with negligible probability
 * (about n^2 / 2^129), far below any other source of error in an export.
 */
#include "idset.h"

#include <glib.h>
#include <string.h>

#define SHARDS 256
#define INITIAL_SLOTS 64

typedef struct key128 {
    uint64_t hi; /* never 0 in a used slot: 0 marks an empty one */
    uint64_t lo;
} key128;

typedef struct shard {
    key128 *slots;
    size_t mask;  /* capacity - 1 (capacity is a power of two), or 0 when unallocated */
    size_t used;
} shard;

struct obs_idset {
    shard shards[SHARDS];
    size_t size;
};

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* Two independent 64-bit lanes, each a chain of a strong bijective mixer over 8-byte words. */
static key128 hash128(const char *s, size_t len)
{
    uint64_t a = 0x9E3779B97F4A7C15ULL ^ (uint64_t)len;
    uint64_t b = 0xC2B2AE3D27D4EB4FULL + (uint64_t)len;
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        a = mix64(a ^ w);
        b = mix64(b + w * 0x87C37B91114253D5ULL) ^ (b >> 29);
        s += 8;
        len -= 8;
    }
    uint64_t tail = 0;
    memcpy(&tail, s, len);
    a = mix64(a ^ tail ^ 0xA5A5A5A5A5A5A5A5ULL);
    b = mix64(b + tail * 0x4CF5AD432745937FULL + 1);
    key128 k = {a ? a : 1, b};
    return k;
}

static size_t slot_of(const key128 *k, size_t mask)
{
    return (size_t)k->lo & mask;
}

static void shard_grow(shard *sh)
{
    size_t cap = sh->mask ? (sh->mask + 1) * 2 : INITIAL_SLOTS;
    key128 *slots = g_new0(key128, cap);
    size_t mask = cap - 1;
    if (sh->mask) {
        for (size_t i = 0; i <= sh->mask; i++) {
            key128 k = sh->slots[i];
            if (!k.hi)
                continue;
            size_t j = slot_of(&k, mask);
            while (slots[j].hi)
                j = (j + 1) & mask;
            slots[j] = k;
        }
    }
    g_free(sh->slots);
    sh->slots = slots;
    sh->mask = mask;
}

obs_idset *obs_idset_new(void)
{
    return g_new0(obs_idset, 1);
}

void obs_idset_free(obs_idset *set)
{
    if (!set)
        return;
    for (int i = 0; i < SHARDS; i++)
        g_free(set->shards[i].slots);
    g_free(set);
}

/* Returns the slot holding k, or the empty slot where it would go. */
static key128 *find(const shard *sh, const key128 *k)
{
    size_t j = slot_of(k, sh->mask);
    while (sh->slots[j].hi && (sh->slots[j].hi != k->hi || sh->slots[j].lo != k->lo))
        j = (j + 1) & sh->mask;
    return &sh->slots[j];
}

bool obs_idset_contains(const obs_idset *set, const char *id, size_t len)
{
    key128 k = hash128(id, len);
    const shard *sh = &set->shards[k.hi >> 56];
    return sh->mask && find(sh, &k)->hi != 0;
}

bool obs_idset_add(obs_idset *set, const char *id, size_t len)
{
    key128 k = hash128(id, len);
    shard *sh = &set->shards[k.hi >> 56];
    /* Keep the load factor at or below 3/4 so probes stay short. */
    if (!sh->mask || (sh->used + 1) * 4 > (sh->mask + 1) * 3)
        shard_grow(sh);
    key128 *slot = find(sh, &k);
    if (slot->hi)
        return false;
    *slot = k;
    sh->used++;
    set->size++;
    return true;
}

size_t obs_idset_size(const obs_idset *set)
{
    return set->size;
}

size_t obs_idset_memory(const obs_idset *set)
{
    size_t bytes = sizeof *set;
    for (int i = 0; i < SHARDS; i++)
        if (set->shards[i].mask)
            bytes += (set->shards[i].mask + 1) * sizeof(key128);
    return bytes;
}
