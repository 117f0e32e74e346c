/* scratch.h - the tests' scratch folders: made, kept on request (OBS_TEST_KEEP), removed whole. */
#ifndef OBSERVA_TEST_SCRATCH_H
#define OBSERVA_TEST_SCRATCH_H

#include <stdbool.h>

/* A new scratch folder "observa-<name>-XXXXXX" under the temporary directory (g_free, or
 * scratch_remove()); aborts the process if it cannot be made. With OBS_TEST_KEEP=DIR set, it is
 * made under DIR (created if needed) and scratch_remove() keeps it there for the reader. */
char *scratch_dir(const char *name);
/* Removes a scratch folder and everything under it (not following links), unless it is the
 * OBS_TEST_KEEP folder; then frees dir. NULL-safe. */
void scratch_remove(char *dir);
/* Removes everything under dir, keeping dir itself (not following links). */
void scratch_empty(const char *dir);
/* Writes text as dir/rel and returns the path (g_free); aborts if it cannot. */
char *scratch_write(const char *dir, const char *rel, const char *text);

#endif /* OBSERVA_TEST_SCRATCH_H */
