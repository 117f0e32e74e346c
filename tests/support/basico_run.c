/* basico_run.c - the hand-computed basico case as a run, for tests that render from it. */
#include "basico_run.h"

#include <glib.h>

const obs_report_info basico_info = {
    .proceso = "Proceso Electoral Concurrente 2023-2024",
    .lugar = "Ciudad de México",
    .generated_at = 1698300000, /* 2023-10-26 00:00 UTC = 25 October in Mexico City */
    .paper = OBS_PAPER_LETTER,
    .version = "0.1.0",
};

obs_run *basico_run(const obs_catalog *cat, obs_day anterior, obs_outreach_rule rule)
{
    char *base = g_build_filename(g_getenv("OBS_TEST_SOURCE_ROOT"), "tests", "e2e", "cases", "basico", NULL);
    char *s = g_build_filename(base, "solicitudes.csv", NULL), *d = g_build_filename(base, "difusion.csv", NULL);
    obs_run_config cfg = {
        .solicitudes = (const char *const[]){s, NULL},
        .difusion = (const char *const[]){d, NULL},
        .corte = obs_day_parse_iso("2023-10-12"),
        .corte_anterior = anterior,
        .rule = rule,
    };
    obs_run *run = NULL;
    obs_error err;
    if (obs_run_execute(&cfg, cat, NULL, NULL, &run, &err) != OBS_OK)
        run = NULL;
    g_free(s);
    g_free(d);
    g_free(base);
    return run;
}
