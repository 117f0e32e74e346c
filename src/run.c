/* run.c - one pass over both exports into control totals and the metric cube. */
#include "observa/run.h"

#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest_part.h"

/* Splitting solicitudes.csv between two threads: the first part reads this share of the file
 * and also hashes the rest, so both parts take about as long. */
#define SPLIT_MIN_BYTES (16u << 20)
#define SPLIT_SHARE 45
#define SPLIT_LOOK (64 * 1024)

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

/* Hands the spooled problems on, in order; line numbers are shifted by line_offset. */
static void spool_replay(spool *sp, obs_problem_fn on_problem, void *ud, uint64_t line_offset)
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
            obs_problem p = {file, line ? line + line_offset : 0, nums[0], field, value, (obs_level)nums[1],
                             (obs_reason)nums[2], message};
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
    obs_ingest_part *part;      /* one part of the file, or NULL for all of it */
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
    j->status = obs_ingest_file_part(j->path, j->kind, j->cat, &j->ingest, j->part, &sink, j->on_problem,
                                     j->problem_ud, j->sink.stats, &j->err);
}

static gpointer job_thread(gpointer data)
{
    run_job(data);
    return NULL;
}

/* Where the second part of a split read starts: the first line start after SPLIT_SHARE% of the
 * file; 0 when the file is too small to be worth it (or has no line break there). */
static uint64_t split_point(const char *path, uint64_t min_bytes)
{
    int fd = g_open(path, O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    uint64_t at = 0;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && (uint64_t)st.st_size >= min_bytes) {
        uint64_t size = (uint64_t)st.st_size, target = size / 100 * SPLIT_SHARE;
        char *buf = g_malloc(SPLIT_LOOK);
        ssize_t n = pread(fd, buf, SPLIT_LOOK, (off_t)target);
        const char *nl = n > 0 ? memchr(buf, '\n', (size_t)n) : NULL;
        if (nl && target + (uint64_t)(nl - buf) + 1 < size)
            at = target + (uint64_t)(nl - buf) + 1;
        g_free(buf);
    }
    close(fd);
    return at;
}

static void add_stats(obs_file_stats *into, const obs_file_stats *from)
{
    into->leidas += from->leidas;
    into->vacias += from->vacias;
    into->aceptadas += from->aceptadas;
    into->rechazadas += from->rechazadas;
    into->con_avisos += from->con_avisos;
    into->en_corte += from->en_corte;
    into->posteriores += from->posteriores;
    for (int r = 0; r < OBS_REASON_COUNT; r++)
        into->por_motivo[r] += from->por_motivo[r];
}

/*
 * solicitudes.csv in two parts at once: this thread reads up to `at` (and hashes the rest),
 * another reads from `at` on, into its own cube, ids and spooled problems. The result is the one
 * a single read gives: the second part's problems come after the first's with their real line
 * numbers, and the encoding is the one the first non-ASCII text of the file decides. When a
 * single read could have differed (a quoted field across `at`, an id in both parts, too many
 * distinct causes, Excel serial dates in a column the first part gave no aviso for), the second
 * part is read again after the first instead.
 */
static void read_in_two(job *a, uint64_t at)
{
    spool sp = {tmpfile(), false};
    if (!sp.fp) {
        run_job(a);
        return;
    }
    obs_ingest_options whole = a->ingest;
    obs_csv_handoff *handoff = obs_csv_handoff_new();
    obs_idset *ids_a = obs_idset_new(), *ids_b = obs_idset_new();
    obs_file_stats stats_b = {0};
    obs_ingest_part pa = {.end = at, .handoff = handoff, .ids = ids_a};
    obs_ingest_part pb = {.start = at, .no_hash = true, .handoff = handoff, .ids = ids_b, .defer_file_avisos = true};
    a->ingest.threads = 1; /* each part on one thread */
    job b = *a;
    b.part = &pb;
    b.sink.cube = obs_cube_new(a->cat, a->cfg->corte);
    b.sink.stats = &stats_b;
    b.on_problem = spool_problem;
    b.problem_ud = &sp;
    a->part = &pa;
    GThread *t = g_thread_new("observa-parte", job_thread, &b);
    run_job(a);
    obs_csv_handoff_finish(handoff); /* the second part never waits past this */
    g_thread_join(t);
    obs_file_stats *stats = a->sink.stats;
    a->sink.run->split = OBS_SPLIT_THROUGH;
    if (a->status == OBS_OK && pa.stopped_at_end) {
        a->sink.run->split = OBS_SPLIT_REREAD;
        if (b.status == OBS_OK && !sp.failed && !obs_idset_intersects(ids_a, ids_b) &&
            obs_cube_merge_is_exact(a->sink.cube, b.sink.cube) && !(pb.serial_seen & ~pa.serial_warned)) {
            a->sink.run->split = OBS_SPLIT_MERGED;
            obs_cube_merge(a->sink.cube, b.sink.cube);
            add_stats(stats, &stats_b);
            stats->lines = pa.end_line - 1 + stats_b.lines;
            if (stats->encoding == OBS_ENC_AUTO)
                stats->encoding = stats_b.encoding;
            spool_replay(&sp, a->on_problem, a->problem_ud, pa.end_line - 1);
        } else {
            /* What the second part found is dropped before it is read again. */
            obs_idset_free(ids_b);
            ids_b = NULL;
            obs_cube_free(b.sink.cube);
            b.sink.cube = NULL;
            obs_ingest_part pr = {.start = at, .first_line = pa.end_line, .no_hash = true, .ids = ids_a,
                                  .serial_warned = pa.serial_warned,
                                  .resume = true};
            a->ingest = whole;
            a->ingest.encoding = stats->encoding;
            a->ingest.delimiter = stats->delimiter;
            a->part = &pr;
            run_job(a);
        }
    }
    a->part = NULL;
    a->ingest = whole;
    obs_cube_free(b.sink.cube);
    obs_file_stats_clear(&stats_b);
    obs_idset_free(ids_a);
    obs_idset_free(ids_b);
    obs_csv_handoff_free(handoff);
    fclose(sp.fp);
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
    job sol = {cfg, cfg->ingest, NULL, cat, OBS_FILE_SOLICITUDES, cfg->solicitudes, {run, run->cube, &run->files[0]},
               on_problem, problem_ud, OBS_OK, {0}};
    job dif = {cfg, cfg->ingest, NULL, cat, OBS_FILE_DIFUSION, cfg->difusion, {run, NULL, &run->files[1]},
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
        uint64_t at = split_point(cfg->solicitudes, cfg->split_min_bytes ? cfg->split_min_bytes : SPLIT_MIN_BYTES);
        if (at)
            read_in_two(&sol, at);
        else
            run_job(&sol);
        g_thread_join(t);
        obs_cube_merge(run->cube, dif.sink.cube);
        obs_cube_free(dif.sink.cube);
        if (sol.status == OBS_OK && dif.status == OBS_OK)
            spool_replay(&sp, on_problem, problem_ud, 0);
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
    if (run->actual->overflow || (run->anterior && run->anterior->overflow)) {
        obs_run_free(run);
        return obs_error_set(err, OBS_ERR_DATA, cfg->difusion, 0, 0,
                             "una suma excede el mayor número representable (¿valores de «alcance» "
                             "desmesurados?); no se publica ninguna cifra");
    }
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
