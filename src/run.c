/* run.c - one pass over both exports into control totals and the metric cube. */
#include "observa/run.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

typedef struct sink_ctx {
    obs_run *run;
    obs_cube *cube;
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
    obs_cube_add_solicitud(c->cube, s);
}

static void on_accion(void *ud, const obs_accion *a)
{
    sink_ctx *c = ud;
    if (a->fecha_registro > c->run->corte) {
        c->stats->posteriores++;
        return;
    }
    c->stats->en_corte++;
    obs_cube_add_accion(c->cube, a);
}

/* ---- a spool of problems -------------------------------------------------------------------------
 * The second file is read on its own thread; its problems wait in an anonymous temporary file
 * and are handed on after the first file's, so rechazos.csv keeps file order (and stays
 * byte-identical run after run) while memory does not grow with the number of problems. */

typedef struct spool {
    FILE *fp;
    bool failed;
} spool;

static void put_str(spool *sp, const char *s)
{
    uint32_t n = s ? (uint32_t)strlen(s) : 0;
    if (fwrite(&n, sizeof n, 1, sp->fp) != 1 || (n && fwrite(s, 1, n, sp->fp) != n))
        sp->failed = true;
}

static void spool_problem(void *ud, const obs_problem *p)
{
    spool *sp = ud;
    uint64_t line = p->line;
    uint32_t nums[3] = {p->column, (uint32_t)p->level, (uint32_t)p->reason};
    if (fwrite(&line, sizeof line, 1, sp->fp) != 1 || fwrite(nums, sizeof nums, 1, sp->fp) != 1)
        sp->failed = true;
    put_str(sp, p->file);
    put_str(sp, p->field);
    put_str(sp, p->value);
    put_str(sp, p->message);
}

static char *get_str(FILE *fp)
{
    uint32_t n;
    if (fread(&n, sizeof n, 1, fp) != 1)
        return NULL;
    char *s = g_malloc(n + 1);
    if (n && fread(s, 1, n, fp) != n) {
        g_free(s);
        return NULL;
    }
    s[n] = '\0';
    return s;
}

static void spool_replay(spool *sp, obs_problem_fn on_problem, void *ud)
{
    rewind(sp->fp);
    for (;;) {
        uint64_t line;
        uint32_t nums[3];
        if (fread(&line, sizeof line, 1, sp->fp) != 1 || fread(nums, sizeof nums, 1, sp->fp) != 1)
            break;
        char *file = get_str(sp->fp), *field = get_str(sp->fp), *value = get_str(sp->fp),
             *message = get_str(sp->fp);
        if (file && field && value && message && on_problem) {
            obs_problem p = {file, line, nums[0], field, value, (obs_level)nums[1], (obs_reason)nums[2], message};
            on_problem(ud, &p);
        }
        g_free(file);
        g_free(field);
        g_free(value);
        g_free(message);
    }
}

/* ---- the run ------------------------------------------------------------------------------------ */

typedef struct job {
    const obs_run_config *cfg;
    obs_ingest_options ingest;
    const obs_catalog *cat;
    obs_file_kind kind;
    const char *path;
    sink_ctx sink;
    obs_problem_fn on_problem;
    void *problem_ud;
    obs_status status;
    obs_error err;
} job;

static void run_job(job *j)
{
    obs_row_sink sink = {on_solicitud, on_accion, &j->sink};
    j->status = obs_ingest_file(j->path, j->kind, j->cat, &j->ingest, &sink, j->on_problem, j->problem_ud,
                                j->sink.stats, &j->err);
}

static gpointer job_thread(gpointer data)
{
    run_job(data);
    return NULL;
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
    job sol = {cfg, cfg->ingest, cat, OBS_FILE_SOLICITUDES, cfg->solicitudes, {run, run->cube, &run->files[0]},
               on_problem, problem_ud, OBS_OK, {0}};
    job dif = {cfg, cfg->ingest, cat, OBS_FILE_DIFUSION, cfg->difusion, {run, NULL, &run->files[1]},
               on_problem, problem_ud, OBS_OK, {0}};
    spool sp = {0};
    bool parallel = cfg->ingest.threads != 1 && (sp.fp = tmpfile()) != NULL;
    if (parallel) {
        /* The two files are independent: the second one on its own thread, into its own cube. */
        dif.sink.cube = obs_cube_new(cat, cfg->corte);
        /* Its thread reads and validates: a reader thread of its own would only add switches
         * between the three threads that already share the cores. */
        dif.ingest.threads = 1;
        dif.on_problem = spool_problem;
        dif.problem_ud = &sp;
        GThread *t = g_thread_new("observa-difusion", job_thread, &dif);
        run_job(&sol);
        g_thread_join(t);
        obs_cube_merge(run->cube, dif.sink.cube);
        obs_cube_free(dif.sink.cube);
        if (sol.status == OBS_OK && dif.status == OBS_OK)
            spool_replay(&sp, on_problem, problem_ud);
        fclose(sp.fp);
    } else {
        dif.sink.cube = run->cube;
        run_job(&sol);
        if (sol.status == OBS_OK)
            run_job(&dif);
    }
    obs_status st = sol.status != OBS_OK ? sol.status : dif.status;
    if (st != OBS_OK) {
        if (err)
            *err = sol.status != OBS_OK ? sol.err : dif.err;
        obs_run_free(run);
        return st;
    }
    if (sp.failed && err) {
        obs_run_free(run);
        return obs_error_set(err, OBS_ERR_IO, cfg->difusion, 0, 0,
                             "no se pudieron guardar temporalmente los problemas de este archivo "
                             "(¿disco lleno?)");
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
