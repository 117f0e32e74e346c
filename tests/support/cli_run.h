/* cli_run.h - helpers of the tests that run the observa CLI: spawning it, its fixtures and reading its outputs. */
#ifndef OBSERVA_TEST_CLI_RUN_H
#define OBSERVA_TEST_CLI_RUN_H

#include <glib.h>

typedef struct result {
    int status;  /* exit status, or 128 + signal */
    char *out;
    char *err;
} result;

/* The observa binary under test (OBS_TEST_OBSERVA). */
const char *observa_bin(void);
/* tests/e2e/cases/<name> (g_free). */
char *case_dir(const char *name);
/* observa plus a case's args file, {case} and {out} replaced (g_strfreev). */
char **case_argv(const char *dir, const char *out);
/* Runs argv (NULL-terminated, PATH searched) in cwd with extra KEY=VALUE environment (may be NULL). */
result run(const char *cwd, char **argv, const char *const *env_extra);
void result_clear(result *r);
/* observa ARGS… (NULL-terminated, observa_bin() prepended) in cwd, with extra environment (may be NULL). */
result observa_in(const char *cwd, const char *const *args, const char *const *env_extra);
/* Fails unless r exited with status and its stderr holds every string of says (NULL-terminated, may be NULL). */
void expect_run(const result *r, int status, const char *const *says);
/* Writes text to path; fails the test if it cannot. */
void write_file_text(const char *path, const char *text);

/* The basico case's inputs and a scratch directory, for tests that run observa on them. */
typedef struct basico_fixture {
    char *tmp;   /* scratch directory, removed at teardown */
    char *sol;   /* basico/solicitudes.csv: 8 of 17 rows rejected (47.1%) */
    char *dif;   /* basico/difusion.csv: 5 of 13 rejected (38.5%) */
    char *ini;   /* basico/lote.ini (max_rechazadas = 100) */
} basico_fixture;
/* cmocka group setup/teardown making and removing a basico_fixture. */
int basico_setup(void **state);
int basico_teardown(void **state);
/* tmp/rel (g_free). */
char *basico_tmp(const basico_fixture *f, const char *rel);
/* Whole file as a string; fails the test if it cannot be read (g_free). */
char *read_file(const char *path);
/* rm -rf path (a scratch folder under OBS_TEST_KEEP stays: scratch_remove()). */
void remove_tree(const char *path);
/* Every part of an XLSX (the XML of its sheets, strings and properties) as one text (g_free). */
char *xlsx_text(const char *path);
/* pdftotext of a PDF, line breaks and runs of spaces collapsed to one space (g_free). */
char *pdf_words(const char *pdf);
/* SHA-256 of a file, in hex; fails the test if it cannot be read (g_free). */
char *file_sha256(const char *path);
/* Relative path of every file under dir → its SHA-256 (g_hash_table_destroy). Hidden files are
 * included only when with_hidden: a lock file, or a temporary file a failed run left behind. */
GHashTable *snapshot_dir(const char *dir, gboolean with_hidden);
/* Fails the test unless both snapshots have the same files with the same contents. */
void assert_same_snapshot(GHashTable *a, GHashTable *b);

#endif /* OBSERVA_TEST_CLI_RUN_H */
