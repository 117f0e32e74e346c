/* produce_render.c - renders a run's documents in a pool of threads, each into a temporary file renamed into place. */
#include <stdio.h>

#include "observa/render.h"
#include "observa/report.h"
#include "observa_build.h"
#include "output/produce_int.h"

static const char *const kind_names[PRODUCE_KINDS][2] = {
    [PRODUCE_INFORME] = {"informe-pdf", "informe-xlsx"},
    [PRODUCE_OPL] = {"opl-pdf", "opl-xlsx"},
    [PRODUCE_OFICIO] = {"oficio-pdf", "oficio-xlsx"},
    [PRODUCE_OFICIO_OPL] = {"oficio-opl-pdf", "oficio-opl-xlsx"},
};

/* What the worker threads share while rendering. */
typedef struct render_job {
    obs_produce *p;
    const obs_report_info *info;
    GMutex lock; /* guards step, status and err */
    unsigned step;
    unsigned steps;
    obs_status status;
    obs_error err;
} render_job;

/* The renderers as the pool calls them: the PDF with the run's fonts. */
static obs_status render_pdf(const obs_produce *p, const obs_doc *doc, const char *path, obs_error *err)
{
    return obs_render_pdf(doc, p->fonts, path, err);
}

static obs_status render_xlsx(const obs_produce *p, const obs_doc *doc, const char *path, obs_error *err)
{
    (void)p;
    return obs_render_xlsx(doc, path, err);
}

/* Renders into a temporary file of the output directory and renames it into place. */
static obs_status render_file(obs_produce *p, const char *relpath, const char *kind, int entidad, const obs_doc *doc,
                              obs_status (*render)(const obs_produce *, const obs_doc *, const char *, obs_error *),
                              obs_error *err)
{
    obs_outfile of;
    obs_status st = obs_outfile_begin(p->out, relpath, &of, err);
    if (st != OBS_OK)
        return st;
    fclose(of.fp);
    of.fp = NULL;
    st = render(p, doc, of.tmp_path, err);
    if (st == OBS_OK)
        return obs_outfile_commit(p->out, &of, kind, entidad, err);
    obs_outfile_abort(&of);
    return st;
}

static void progress(render_job *j, const char *rel)
{
    g_mutex_lock(&j->lock);
    unsigned step = ++j->step;
    g_mutex_unlock(&j->lock);
    produce_progress(j->p, step, j->steps, rel);
}

/* The report model of one document: the template rendered in its scope, with the data sheets. */
static obs_doc *build_doc(const render_job *j, const produce_task *t)
{
    const obs_produce *p = j->p;
    GHashTable *vars = t->vars ? t->vars : p->vars;
    obs_template_ctx tctx = {.run = p->run, .info = j->info, .entidad = t->entidad, .vars = vars, .history = p->view};
    obs_doc *doc = obs_template_render(p->tpl[t->kind], &tctx);
    if (t->kind == PRODUCE_INFORME)
        obs_report_add_metricas(doc, p->run);
    else if (t->kind == PRODUCE_OPL)
        obs_report_add_metricas_entidad(doc, p->run, t->entidad);
    if (t->kind == PRODUCE_INFORME || t->kind == PRODUCE_OPL)
        obs_report_add_about(doc, p->run, j->info, t->entidad);
    return doc;
}

/* Renders one document; the first failure is kept and stops the tasks not yet started. */
static void run_task(gpointer data, gpointer user)
{
    const produce_task *t = data;
    render_job *j = user;
    g_mutex_lock(&j->lock);
    bool stop = j->status != OBS_OK;
    g_mutex_unlock(&j->lock);
    if (stop)
        return;
    obs_doc *doc = build_doc(j, t);
    obs_error err = {0};
    obs_status st = OBS_OK;
    if (t->pdf) {
        char *rel = g_strconcat(t->base, ".pdf", NULL);
        st = render_file(j->p, rel, kind_names[t->kind][0], t->entidad, doc, render_pdf, &err);
        progress(j, rel);
        g_free(rel);
    }
    if (st == OBS_OK && t->xlsx) {
        char *rel = g_strconcat(t->base, ".xlsx", NULL);
        st = render_file(j->p, rel, kind_names[t->kind][1], t->entidad, doc, render_xlsx, &err);
        progress(j, rel);
        g_free(rel);
    }
    obs_doc_free(doc);
    if (st != OBS_OK) {
        g_mutex_lock(&j->lock);
        if (j->status == OBS_OK) {
            j->status = st;
            j->err = err;
        }
        g_mutex_unlock(&j->lock);
    }
}

/* Documents are independent: a pool of workers renders them, each from its own model. The
 * templates, the run and the catalogue are only read, so they are shared as they are. */
static void render_tasks(render_job *job, GPtrArray *tasks, int threads)
{
    if (threads > 1 && tasks->len > 1) {
        GThreadPool *pool = g_thread_pool_new(run_task, job, MIN(threads, (int)tasks->len), TRUE, NULL);
        for (guint i = 0; i < tasks->len; i++)
            g_thread_pool_push(pool, tasks->pdata[i], NULL);
        g_thread_pool_free(pool, FALSE, TRUE);
    } else {
        for (guint i = 0; i < tasks->len; i++)
            run_task(tasks->pdata[i], job);
    }
}

/* metricas.csv, for Excel es-MX: with the BOM (the stdout of `observa metricas` has none). */
static obs_status write_metricas(render_job *job, obs_error *err)
{
    const obs_run *run = job->p->run;
    progress(job, "metricas.csv");
    GString *text = g_string_new(OBS_CSV_BOM);
    const obs_snapshot *snaps[2] = {run->actual, run->anterior};
    obs_metricas_csv(run->cube, snaps, run->anterior ? 2 : 1, text);
    obs_status st = obs_output_write(job->p->out, "metricas.csv", text->str, text->len, "metricas", 0, err);
    g_string_free(text, TRUE);
    return st;
}

obs_status produce_render_all(obs_produce *p, obs_error *err)
{
    const obs_produce_request *r = p->req;
    obs_report_info info = {
        .proceso = r->cfg->proceso,
        .lugar = r->cfg->lugar,
        .generated_at = r->generated_at,
        .paper = r->cfg->papel,
        .logo = r->cfg->logo,
        .version = OBS_VERSION,
    };
    GPtrArray *tasks = p->tasks = produce_plan(p, err);
    if (!tasks)
        return err->code;
    bool csv = (r->documentos & OBS_DOC_METRICAS) && (r->cfg->formatos & OBS_FMT_CSV);
    render_job job = {.p = p, .info = &info};
    g_mutex_init(&job.lock);
    job.steps = csv;
    for (guint i = 0; i < tasks->len; i++) {
        const produce_task *t = tasks->pdata[i];
        job.steps += t->pdf + t->xlsx;
    }
    render_tasks(&job, tasks, r->threads);
    obs_status st = job.status;
    if (st != OBS_OK && err)
        *err = job.err;
    if (st == OBS_OK && csv)
        st = write_metricas(&job, err);
    g_mutex_clear(&job.lock);
    return st; /* the tasks stay: the history records the letters they numbered */
}
