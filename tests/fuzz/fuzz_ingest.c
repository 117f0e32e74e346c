/* fuzz_ingest.c - libFuzzer target for CSV ingest: any bytes as solicitudes.csv or difusion.csv.
 *
 * The first input byte picks the file kind, the encoding, the delimiter and whether the
 * reader runs on its own thread;
 * the rest is the file. Invariants checked on every input: the call never
 * crashes, and for a readable file leídas = aceptadas + rechazadas.
 */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common.h"
#include "observa/catalog.h"
#include "observa/ingest.h"

static obs_catalog *cat;
static char *path;

static void on_problem(void *ud, const obs_problem *p)
{
    uint64_t *n = ud;
    (*n)++;
    if (!p->message || !p->file || p->line == 0)
        abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    cat = fuzz_catalog("fuzz_ingest");
    path = fuzz_scratch_path("ingest.csv");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data + 1, 1, size - 1, f) != size - 1 || fclose(f) != 0)
        abort();
    static const char delims[] = {0, ',', ';', '\t'};
    /* Bit 6 picks the reader thread; most inputs run on one thread (a thread per input is slow). */
    obs_ingest_options opts = {.encoding = (obs_encoding)((mode >> 1) % 3), .delimiter = delims[(mode >> 3) & 3],
                               .threads = (mode & 0x40) ? 0 : 1};
    obs_row_sink sink = fuzz_checked_rows();
    obs_file_stats st = {0};
    obs_error err;
    uint64_t problems = 0;
    obs_status rc = obs_ingest_file(path, (mode & 1) ? OBS_FILE_DIFUSION : OBS_FILE_SOLICITUDES, cat, &opts,
                                    &sink, on_problem, &problems, &st, &err);
    if (rc == OBS_OK && st.leidas != st.aceptadas + st.rechazadas)
        abort();
    if (rc != OBS_OK && (rc != OBS_ERR_DATA || err.message[0] == '\0'))
        abort();
    obs_file_stats_clear(&st);
    return 0;
}
