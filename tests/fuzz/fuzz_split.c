/* fuzz_split.c - differential libFuzzer target: any bytes as solicitudes.csv, read once in one
 * pass and once in two parts at once (the split forced even for tiny files). The first input
 * byte picks the encoding and the delimiter. Whatever the bytes, both reads must give the same
 * status, control totals, problems (in order, with their lines) and figures. */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "observa/catalog.h"
#include "observa/run.h"

static obs_catalog *cat;
static char *sol_path, *dif_path;

static void on_problem(void *ud, const obs_problem *p)
{
    g_string_append_printf(ud, "%" G_GUINT64_FORMAT "|%u|%s|%s|%d|%s\n", p->line, p->column, p->field, p->value,
                           (int)p->reason, p->message);
}

static char *read_once(const obs_ingest_options *opts)
{
    obs_run_config cfg = {
        .solicitudes = (const char *const[]){sol_path, NULL},
        .difusion = (const char *const[]){dif_path, NULL},
        .corte = obs_day_parse_iso("2023-10-20"),
        .corte_anterior = OBS_DAY_NONE,
        .ingest = *opts,
        .rule = {5, 0.5},
        .split_min_bytes = 1,
    };
    GString *out = g_string_new(NULL);
    obs_run *run = NULL;
    obs_error err = {0};
    obs_status st = obs_run_execute(&cfg, cat, on_problem, out, &run, &err);
    g_string_append_printf(out, "status %d\n", (int)st);
    if (st == OBS_OK) {
        const obs_file_stats *f = &run->exports[OBS_FILE_SOLICITUDES].files[0];
        g_string_append_printf(out, "%s %d %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                               " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "\n",
                               f->sha256, (int)f->encoding, f->lines, f->leidas, f->aceptadas, f->rechazadas,
                               f->con_avisos, f->en_corte);
        const obs_snapshot *snaps[1] = {run->actual};
        obs_metricas_csv(run->cube, snaps, 1, out);
        obs_causa top[10];
        size_t n = obs_cube_top_causas(run->cube, top, 10);
        for (size_t i = 0; i < n; i++)
            g_string_append_printf(out, "%s %" G_GINT64_FORMAT "\n", top[i].causa, top[i].count);
    }
    obs_run_free(run);
    return g_string_free(out, FALSE);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    cat = fuzz_catalog("fuzz_split");
    sol_path = fuzz_scratch_path("solicitudes.csv");
    dif_path = fuzz_scratch_path("difusion.csv");
    const char *dif = "id,entidad,instancia,fecha,tipo\nD1,9,opl,2023-10-02,rs\n";
    if (!g_file_set_contents(dif_path, dif, -1, NULL))
        exit(1);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (!g_file_set_contents(sol_path, (const char *)data + 1, (gssize)size - 1, NULL))
        abort();
    static const char delims[] = {0, ',', ';', '\t'};
    obs_ingest_options opts = {.encoding = (obs_encoding)(data[0] % 3), .delimiter = delims[(data[0] >> 2) & 3],
                               .threads = 1};
    char *one = read_once(&opts);
    opts.threads = 2;
    char *two = read_once(&opts);
    if (strcmp(one, two) != 0) {
        fprintf(stderr, "one read:\n%s\ntwo parts:\n%s\n", one, two);
        abort();
    }
    g_free(one);
    g_free(two);
    return 0;
}
