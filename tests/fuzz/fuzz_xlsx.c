/* fuzz_xlsx.c - libFuzzer target for the workbook reader: any bytes as an .xlsx export.
 *
 * The first input byte picks the file kind (bit 0: solicitudes or difusion), a sheet asked by name
 * ("Hoja1", bit 1) instead of the first, and whether the reader runs on its own thread (bit 2);
 * the rest is the file. The seeds are real workbooks (tests/fixtures/xlsx, the libreoffice and
 * openpyxl e2e cases), so the fuzzer starts inside valid ZIP containers and XML. Invariants: no
 * crash, no hang, no leak, no memory beyond the reader's bounds (-rss_limit_mb); leídas =
 * aceptadas + rechazadas; a refused file has a message; every problem has a line, and a sheet
 * exactly when the file was read as a workbook; accepted rows have an entidad 1..32.
 */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "observa/catalog.h"
#include "observa/ingest.h"

static obs_catalog *cat;
static char *path;

/* The sheet of every problem so far: NULL for none, or the same name for all. */
typedef struct seen {
    bool any;
    char *sheet;
    bool mixed;
} seen;

static void on_problem(void *ud, const obs_problem *p)
{
    seen *s = ud;
    if (!p->message || !p->file || p->line == 0)
        abort();
    if (!s->any)
        s->sheet = g_strdup(p->sheet);
    else if (g_strcmp0(s->sheet, p->sheet) != 0)
        s->mixed = true;
    s->any = true;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    cat = fuzz_catalog("fuzz_xlsx");
    path = fuzz_scratch_path("libro.xlsx");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (!g_file_set_contents(path, (const char *)data + 1, (gssize)size - 1, NULL))
        abort();
    obs_ingest_options opts = {.threads = (data[0] & 4) ? 0 : 1, .sheet = (data[0] & 2) ? "Hoja1" : NULL};
    obs_row_sink sink = fuzz_checked_rows();
    obs_file_stats st = {0};
    obs_error err = {0};
    seen problems = {0};
    obs_status rc = obs_ingest_file(path, (data[0] & 1) ? OBS_FILE_DIFUSION : OBS_FILE_SOLICITUDES, cat, &opts,
                                    &sink, on_problem, &problems, &st, &err);
    if (rc == OBS_OK && st.leidas != st.aceptadas + st.rechazadas)
        abort();
    if (rc != OBS_OK && (rc != OBS_ERR_DATA || err.message[0] == '\0'))
        abort();
    /* A problem of a workbook is placed in its sheet; one of a CSV file is not. */
    if (rc == OBS_OK && problems.any && (problems.mixed || g_strcmp0(problems.sheet, st.sheet) != 0))
        abort();
    g_free(problems.sheet);
    obs_file_stats_clear(&st);
    return 0;
}
