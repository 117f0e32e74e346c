/* idset.c - compact set of seen ids: 128-bit hashes in sharded open-addressing tables.
 *
 * The folio set is the one structure of a run that grows with the rows, so it
 * keeps 16 bytes per id instead of a string, in 256 shards that grow by half
 * (not by doubling), so memory follows the number of ids closely.
 * Two different ids share a 128-bit hash with negligible probability
 * (about n^2 / 2^129), far below any other source of error in an export.
 */
#include "util/idset_int.h"

#include <glib.h>
#include <string.h>

#define SHARDS 256
#define INITIAL_SLOTS 64

/* hi is never 0 in a used slot: 0 marks an empty one. */
typedef obs_idkey key128;

typedef struct shard {
    key128 *slots;
    size_t cap;   /* slots, 0 when unallocated; grows by half, not by doubling */
    size_t used;
} shard;

struct obs_idset {
    shard shards[SHARDS];
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
obs_idkey obs_idset_hash(const char *s, size_t len)
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

/* Maps the hash onto [0, cap) with a multiply instead of a division (Lemire's "fastrange"),
 * so capacities need not be powers of two and memory can grow by half at a time. */
__extension__ typedef unsigned __int128 u128; /* a GCC/Clang extension; both compilers have it */

static size_t slot_of(const key128 *k, size_t cap)
{
    return (size_t)(((u128)k->lo * cap) >> 64);
}

static void shard_grow(shard *sh)
{
    size_t cap = sh->cap ? sh->cap + sh->cap / 2 : INITIAL_SLOTS;
    key128 *slots = g_new0(key128, cap);
    for (size_t i = 0; i < sh->cap; i++) {
        key128 k = sh->slots[i];
        if (!k.hi)
            continue;
        size_t j = slot_of(&k, cap);
        while (slots[j].hi)
            j = j + 1 == cap ? 0 : j + 1;
        slots[j] = k;
    }
    g_free(sh->slots);
    sh->slots = slots;
    sh->cap = cap;
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
    size_t j = slot_of(k, sh->cap);
    while (sh->slots[j].hi && (sh->slots[j].hi != k->hi || sh->slots[j].lo != k->lo))
        j = j + 1 == sh->cap ? 0 : j + 1;
    return &sh->slots[j];
}

void obs_idset_prefetch(const obs_idset *set, const obs_idkey *key)
{
    const shard *sh = &set->shards[key->hi >> 56];
    if (sh->cap)
        /* Into every cache level: a lower locality hint left most inserts waiting on memory. */
        __builtin_prefetch(&sh->slots[slot_of(key, sh->cap)], 1, 3);
}

bool obs_idset_insert(obs_idset *set, const obs_idkey *key)
{
    key128 k = *key;
    shard *sh = &set->shards[k.hi >> 56];
    /* Keep the load factor at or below 4/5 so linear probes stay short. */
    if (!sh->cap || (sh->used + 1) * 5 > sh->cap * 4)
        shard_grow(sh);
    key128 *slot = find(sh, &k);
    if (slot->hi)
        return false;
    *slot = k;
    sh->used++;
    return true;
}

void obs_idset_add_all(obs_idset *into, const obs_idset *from)
{
    for (int i = 0; i < SHARDS; i++) {
        const shard *sf = &from->shards[i];
        for (size_t j = 0; j < sf->cap; j++)
            if (sf->slots[j].hi)
                obs_idset_insert(into, &sf->slots[j]);
    }
}

bool obs_idset_intersects(const obs_idset *a, const obs_idset *b)
{
    for (int i = 0; i < SHARDS; i++) {
        const shard *sb = &b->shards[i], *sa = &a->shards[i];
        if (!sa->used)
            continue;
        for (size_t j = 0; j < sb->cap; j++)
            if (sb->slots[j].hi && find(sa, &sb->slots[j])->hi)
                return true;
    }
    return false;
}
