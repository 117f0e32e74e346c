/* run.c - one pass over both exports into control totals and the metric cube. */
#include "observa/run.h"

#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/ingest_part_int.h"
#include "ingest/xlsxread_int.h"
#include "metrics/metrics_int.h"
#include "metrics/run_int.h"

/* Splitting a solicitudes file between two threads: the first part reads this share of the file
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
 * The difusion export is read on its own thread; its problems wait in an anonymous temporary
 * file and are handed on after all of solicitudes', so rechazos.csv keeps file order (and stays
 * byte-identical run after run) while memory does not grow with the number of problems. */

typedef struct spool {
    FILE *fp;
    bool failed;
} spool;

/* NULL and "" differ (a CSV file has no sheet): NULL is written as the length UINT32_MAX. */
static void put_str(spool *sp, const char *s)
{
    uint32_t n = s ? (uint32_t)strlen(s) : UINT32_MAX;
    if (fwrite(&n, sizeof n, 1, sp->fp) != 1 || (s && n && fwrite(s, 1, n, sp->fp) != n))
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
    put_str(sp, p->sheet);
    put_str(sp, p->field);
    put_str(sp, p->value);
    put_str(sp, p->message);
}

/* A string put_str() wrote (NULL for NULL); *ok turns false at the end of the spool. */
static char *get_str(FILE *fp, bool *ok)
{
    uint32_t n;
    if (fread(&n, sizeof n, 1, fp) != 1) {
        *ok = false;
        return NULL;
    }
    if (n == UINT32_MAX)
        return NULL;
    char *s = g_malloc((gsize)n + 1);
    if (n && fread(s, 1, n, fp) != n) {
        g_free(s);
        *ok = false;
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
        bool ok = true;
        char *file = get_str(sp->fp, &ok), *sheet = get_str(sp->fp, &ok), *field = get_str(sp->fp, &ok),
             *value = get_str(sp->fp, &ok), *message = get_str(sp->fp, &ok);
        if (ok && file && field && value && message && on_problem) {
            obs_problem p = {file, line ? line + line_offset : 0, nums[0], field, value, (obs_level)nums[1],
                             (obs_reason)nums[2], message, sheet};
            on_problem(ud, &p);
        }
        g_free(file);
        g_free(sheet);
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
    const char *path;           /* the file being read */
    sink_ctx sink;
    obs_problem_fn on_problem;
    void *problem_ud;
    obs_status status;
    obs_error err;
    const char *const *paths;   /* the export's files */
    obs_export *ex;             /* where their stats go */
    bool may_split;             /* a large file may be read in two parts at once */
} job;

static void run_job(job *j)
{
    obs_row_sink sink = {on_solicitud, on_accion, &j->sink};
    j->status = obs_ingest_file_part(j->path, j->kind, j->cat, &j->ingest, j->part, &sink, j->on_problem,
                                     j->problem_ud, j->sink.stats, &j->err);
}

static void read_export(job *j);

static gpointer export_thread(gpointer data)
{
    read_export(data);
    return NULL;
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

/* The counters of a part or a file added to a file's or an export's. */
static void add_counts(obs_file_stats *into, const obs_file_stats *from)
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

/* The whole file at once, its ids checked against and added to the export's. */
static void read_whole(job *j, obs_idset *ids)
{
    obs_ingest_part whole = {.ids = ids};
    j->part = &whole;
    run_job(j);
    j->part = NULL;
}

/*
 * A solicitudes file in two parts at once: this thread reads up to `at` (and hashes the rest),
 * another reads from `at` on, into its own cube, ids and spooled problems. The result is the one
 * a single read gives: the second part's problems come after the first's with their real line
 * numbers, and the encoding is the one the first non-ASCII text of the file decides. When a
 * single read could have differed (a quoted field across `at`, an id in both parts or in an
 * earlier file of the export, too many distinct causes, Excel serial dates in a column the first
 * part gave no aviso for), the second part is read again after the first instead. `ids` holds
 * the export's ids so far; with keep_ids the second part's are added to it when merged (a later
 * file checks against them).
 */
static void read_in_two(job *a, uint64_t at, obs_idset *ids, bool keep_ids)
{
    spool sp = {tmpfile(), false};
    if (!sp.fp) {
        read_whole(a, ids);
        return;
    }
    obs_ingest_options whole = a->ingest;
    obs_csv_handoff *handoff = obs_csv_handoff_new();
    obs_idset *ids_b = obs_idset_new();
    obs_file_stats stats_b = {0};
    obs_ingest_part pa = {.end = at, .handoff = handoff, .ids = ids};
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
        if (b.status == OBS_OK && !sp.failed && !obs_idset_intersects(ids, ids_b) &&
            obs_cube_merge_is_exact(a->sink.cube, b.sink.cube) && !(pb.serial_seen & ~pa.serial_warned)) {
            a->sink.run->split = OBS_SPLIT_MERGED;
            obs_cube_merge(a->sink.cube, b.sink.cube);
            if (keep_ids)
                obs_idset_add_all(ids, ids_b);
            add_counts(stats, &stats_b);
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
            obs_ingest_part pr = {.start = at, .first_line = pa.end_line, .no_hash = true, .ids = ids,
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
    obs_idset_free(ids_b);
    obs_csv_handoff_free(handoff);
    fclose(sp.fp);
}

/*
 * The files of one export, in order, read as one: a single set of ids for all of them, each
 * file's problems with its own path and lines, and its own control totals, then their sums.
 * A file-level error stops at that file.
 */
static void read_export(job *j)
{
    obs_export *ex = j->ex;
    obs_idset *ids = obs_idset_new();
    uint64_t min = j->cfg->split_min_bytes ? j->cfg->split_min_bytes : SPLIT_MIN_BYTES;
    for (size_t i = 0; i < ex->nfiles && j->status == OBS_OK; i++) {
        j->path = j->paths[i];
        j->sink.stats = &ex->files[i];
        /* A workbook is one compressed stream: it is read in one part. */
        uint64_t at = j->may_split && !obs_xlsx_is_workbook(j->path) ? split_point(j->path, min) : 0;
        if (at)
            read_in_two(j, at, ids, i + 1 < ex->nfiles);
        else
            read_whole(j, ids);
    }
    obs_idset_free(ids);
    for (size_t i = 0; i < ex->nfiles; i++) {
        add_counts(&ex->total, &ex->files[i]);
        ex->total.bytes += ex->files[i].bytes;
        ex->total.lines += ex->files[i].lines;
    }
}

static size_t count_paths(const char *const *paths)
{
    size_t n = 0;
    while (paths && paths[n])
        n++;
    return n;
}

obs_status obs_run_execute(const obs_run_config *cfg, const obs_catalog *cat,
                           obs_problem_fn on_problem, void *problem_ud,
                           obs_run **out, obs_error *err)
{
    *out = NULL;
    const char *const *paths[OBS_FILE_KIND_COUNT] = {cfg->solicitudes, cfg->difusion};
    static const char *const what[OBS_FILE_KIND_COUNT] = {"solicitudes", "acciones de difusión"};
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++)
        if (count_paths(paths[k]) == 0)
            return obs_error_set(err, OBS_ERR_USAGE, NULL, 0, 0,
                                 "falta la exportación de %s: indique al menos un archivo", what[k]);
    obs_run *run = g_new0(obs_run, 1);
    run->cat = cat;
    run->corte = cfg->corte;
    run->corte_anterior = cfg->corte_anterior;
    run->cube = obs_cube_new(cat, cfg->corte);
    job jobs[OBS_FILE_KIND_COUNT];
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++) {
        obs_export *ex = &run->exports[k];
        ex->nfiles = count_paths(paths[k]);
        ex->files = g_new0(obs_file_stats, ex->nfiles);
        jobs[k] = (job){.cfg = cfg, .ingest = cfg->ingest, .cat = cat, .kind = (obs_file_kind)k,
                        .sink = {run, run->cube, NULL}, .on_problem = on_problem, .problem_ud = problem_ud,
                        .paths = paths[k], .ex = ex};
    }
    job *sol = &jobs[OBS_FILE_SOLICITUDES], *dif = &jobs[OBS_FILE_DIFUSION];
    spool sp = {0};
    bool parallel = cfg->ingest.threads != 1 && (sp.fp = tmpfile()) != NULL;
    if (parallel) {
        /* The two exports are independent: difusion on its own thread, into its own cube. */
        dif->sink.cube = obs_cube_new(cat, cfg->corte);
        /* Its thread reads and validates: a reader thread of its own would only add switches
         * between the three threads that already share the cores. */
        dif->ingest.threads = 1;
        dif->on_problem = spool_problem;
        dif->problem_ud = &sp;
        GThread *t = g_thread_new("observa-difusion", export_thread, dif);
        sol->may_split = true;
        read_export(sol);
        g_thread_join(t);
        obs_cube_merge(run->cube, dif->sink.cube);
        obs_cube_free(dif->sink.cube);
        if (sol->status == OBS_OK && dif->status == OBS_OK)
            spool_replay(&sp, on_problem, problem_ud, 0);
        fclose(sp.fp);
    } else {
        read_export(sol);
        if (sol->status == OBS_OK)
            read_export(dif);
    }
    obs_status st = sol->status != OBS_OK ? sol->status : dif->status;
    if (st != OBS_OK) {
        if (err)
            *err = sol->status != OBS_OK ? sol->err : dif->err;
        obs_run_free(run);
        return st;
    }
    if (sp.failed) {
        obs_run_free(run);
        return obs_error_set(err, OBS_ERR_IO, cfg->difusion[0], 0, 0,
                             "no se pudieron guardar temporalmente los problemas de la exportación de "
                             "difusión (¿disco lleno?)");
    }
    run->actual = obs_cube_snapshot(run->cube, cfg->corte, &cfg->rule);
    if (cfg->corte_anterior != OBS_DAY_NONE)
        run->anterior = obs_cube_snapshot(run->cube, cfg->corte_anterior, &cfg->rule);
    if (run->actual->overflow || (run->anterior && run->anterior->overflow)) {
        obs_run_free(run);
        return obs_error_set(err, OBS_ERR_DATA, cfg->difusion[0], 0, 0,
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
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++) {
        obs_export *ex = &run->exports[k];
        for (size_t i = 0; i < ex->nfiles; i++)
            obs_file_stats_clear(&ex->files[i]);
        g_free(ex->files);
        obs_file_stats_clear(&ex->total);
    }
    obs_snapshot_free(run->actual);
    obs_snapshot_free(run->anterior);
    obs_cube_free(run->cube);
    g_free(run);
}

uint64_t obs_run_rechazadas(const obs_run *run)
{
    uint64_t n = 0;
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++)
        n += run->exports[k].total.rechazadas;
    return n;
}
