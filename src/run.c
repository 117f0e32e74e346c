/* run.c - one pass over both exports into control totals and the metric cube. */
#include "observa/run.h"

#include <glib.h>

typedef struct sink_ctx {
    obs_run *run;
    obs_file_stats *stats;
} sink_ctx;

static void on_solicitud(void *ud, const obs_solicitud *s)
{
    sink_ctx *c = ud;
    if (s->fecha_registro > c->run->corte) {
        c->stats->posteriores++;
        return;
    }
    c->stats->en_corte++;
    obs_cube_add_solicitud(c->run->cube, s);
}

static void on_accion(void *ud, const obs_accion *a)
{
    sink_ctx *c = ud;
    if (a->fecha_registro > c->run->corte) {
        c->stats->posteriores++;
        return;
    }
    c->stats->en_corte++;
    obs_cube_add_accion(c->run->cube, a);
}

obs_status obs_run_execute(const obs_run_config *cfg, const obs_catalog *cat,
                           obs_problem_fn on_problem, void *problem_ud,
                           obs_run **out, obs_error *err)
{
    *out = NULL;
    obs_run *run = g_new0(obs_run, 1);
    run->cat = cat;
    run->corte = cfg->corte;
    run->corte_anterior = cfg->corte_anterior;
    run->cube = obs_cube_new(cat, cfg->corte);
    const char *paths[OBS_FILE_KIND_COUNT] = {cfg->solicitudes, cfg->difusion};
    obs_status st = OBS_OK;
    for (int k = 0; k < OBS_FILE_KIND_COUNT && st == OBS_OK; k++) {
        sink_ctx ctx = {run, &run->files[k]};
        obs_row_sink sink = {on_solicitud, on_accion, &ctx};
        st = obs_ingest_file(paths[k], (obs_file_kind)k, cat, &cfg->ingest, &sink,
                             on_problem, problem_ud, &run->files[k], err);
    }
    if (st != OBS_OK) {
        obs_run_free(run);
        return st;
    }
    run->actual = obs_cube_snapshot(run->cube, cfg->corte, &cfg->rule);
    if (cfg->corte_anterior != OBS_DAY_NONE)
        run->anterior = obs_cube_snapshot(run->cube, cfg->corte_anterior, &cfg->rule);
    *out = run;
    return OBS_OK;
}

void obs_run_free(obs_run *run)
{
    if (!run)
        return;
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++)
        obs_file_stats_clear(&run->files[k]);
    obs_snapshot_free(run->actual);
    obs_snapshot_free(run->anterior);
    obs_cube_free(run->cube);
    g_free(run);
}

uint64_t obs_run_rechazadas(const obs_run *run)
{
    uint64_t n = 0;
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++)
        n += run->files[k].rechazadas;
    return n;
}
