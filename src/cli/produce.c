/* produce.c - the flow shared by the writing commands: read once, render every document, account for all. */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "observa/manifest.h"
#include "observa/oficio.h"
#include "observa/render.h"
#include "observa/report.h"
#include "observa_build.h"

static const struct {
    const char *file;
    obs_template_kind kind;
    unsigned doc;
} templates[CLI_DOC_KINDS] = {
    [CLI_DOC_INFORME] = {"informe.tpl", OBS_TPL_INFORME, OBS_DOC_INFORME},
    [CLI_DOC_OPL] = {"opl.tpl", OBS_TPL_OPL, OBS_DOC_OPL},
    [CLI_DOC_OFICIO] = {"oficio_exhorto.tpl", OBS_TPL_OFICIO, OBS_DOC_OFICIO},
    [CLI_DOC_OFICIO_OPL] = {"oficio_opl.tpl", OBS_TPL_OPL, OBS_DOC_OFICIO_OPL},
};

/* [oficio] keys the letters cannot do without (numero or numeros: obs_oficio_check()). */
static const char *const oficio_required[] = {"area", "destinatario", "firmante_cargo", "comision",
                                              "sesion_fecha", "sesion_tipo", NULL};

/* One document to render: a template in a scope, written as PDF and/or XLSX. */
typedef struct task {
    int kind;        /* CLI_DOC_* */
    int entidad;     /* 0 for national documents */
    char *base;      /* relative path without extension */
    bool pdf;
    bool xlsx;
    GHashTable *vars; /* a letter's own variables (its number), or NULL for c->vars */
} task;

/* "15_IEEM", "21_IEE_Puebla": the clave and the OPL label, safe as a file name anywhere. */
static char *file_label(const obs_entidad *e)
{
    char *ascii = g_str_to_ascii(e->opl_etiqueta, "C");
    GString *s = g_string_new(NULL);
    g_string_printf(s, "%02d_", e->clave);
    bool sep = false;
    for (const char *p = ascii; *p; p++) {
        if (g_ascii_isalnum(*p)) {
            if (sep && s->str[s->len - 1] != '_')
                g_string_append_c(s, '_');
            g_string_append_c(s, *p);
            sep = false;
        } else {
            sep = true;
        }
    }
    g_free(ascii);
    return g_string_free(s, FALSE);
}

/* The letters' variables: [oficio] keys and those computed per letter. A letter to one OPL gets
 * none that name other OPLs, so its template cannot use them (a template error at load). */
static GPtrArray *extra_var_names(bool to_one_opl)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    for (size_t i = 0; obs_oficio_keys[i]; i++)
        g_ptr_array_add(names, g_strconcat("oficio.", obs_oficio_keys[i], NULL));
    for (size_t i = 0; obs_oficio_vars[i]; i++)
        if (!to_one_opl || (strcmp(obs_oficio_vars[i], "oficio.senalados") != 0 &&
                            strcmp(obs_oficio_vars[i], "oficio.un_opl") != 0))
            g_ptr_array_add(names, g_strdup(obs_oficio_vars[i]));
    g_ptr_array_add(names, NULL);
    return names;
}

static int load_templates(cli *c)
{
    GPtrArray *names[2] = {extra_var_names(false), extra_var_names(true)};
    int rc = -1;
    for (int k = 0; k < CLI_DOC_KINDS && rc < 0; k++) {
        if (!(c->documentos & templates[k].doc))
            continue;
        char *path = g_build_filename(obs_catalog_dir(c->cat), templates[k].file, NULL);
        bool letter = k == CLI_DOC_OFICIO || k == CLI_DOC_OFICIO_OPL;
        const char *const *vars = letter ? (const char *const *)names[k == CLI_DOC_OFICIO_OPL]->pdata : NULL;
        if (obs_template_load(path, templates[k].kind, c->cat, vars, &c->tpl[k], &c->err) != OBS_OK)
            rc = cli_fail(c);
        g_free(path);
    }
    g_ptr_array_free(names[0], TRUE);
    g_ptr_array_free(names[1], TRUE);
    return rc;
}

static char *long_date(obs_day d)
{
    char buf[64];
    return g_strdup(obs_fmt_fecha_larga(buf, sizeof buf, d));
}

/* The letters' variables from [oficio]; dates become long dates. Required keys, numbering and
 * the order of the dates (corte ≤ session ≤ letter) are checked before any data is read. */
static int oficio_vars(cli *c, int64_t generated_at)
{
    if (!(c->documentos & (OBS_DOC_OFICIO | OBS_DOC_OFICIO_OPL)))
        return -1;
    GString *missing = g_string_new(NULL);
    for (size_t i = 0; oficio_required[i]; i++) {
        const char *v = g_hash_table_lookup(c->cfg.oficio, oficio_required[i]);
        if (!v || !*v)
            g_string_append_printf(missing, "%s%s", missing->len ? ", " : "", oficio_required[i]);
    }
    const char *numero = g_hash_table_lookup(c->cfg.oficio, "numero"),
               *numeros = g_hash_table_lookup(c->cfg.oficio, "numeros");
    if ((!numero || !*numero) && (!numeros || !*numeros))
        g_string_append_printf(missing, "%snumero (o la lista numeros)", missing->len ? ", " : "");
    if ((c->documentos & OBS_DOC_OFICIO_OPL) && !g_hash_table_lookup(c->cfg.oficio, "opl_destinatario"))
        g_string_append_printf(missing, "%sopl_destinatario", missing->len ? ", " : "");
    if (missing->len) {
        obs_error_set(&c->err, OBS_ERR_CONFIG, c->opt.config ? c->opt.config : "", 0, 0,
                      "para el oficio faltan en la sección [oficio] de la configuración: %s "
                      "(vea sample-data/lote.ini)",
                      missing->str);
        g_string_free(missing, TRUE);
        return cli_fail(c);
    }
    g_string_free(missing, TRUE);
    obs_day generado = obs_day_from_unix(generated_at);
    if (obs_oficio_check(c->cfg.oficio, c->cfg.corte, generado, c->opt.config, &c->err) != OBS_OK)
        return cli_fail(c);
    c->vars = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, c->cfg.oficio);
    while (g_hash_table_iter_next(&it, &k, &v))
        g_hash_table_insert(c->vars, g_strconcat("oficio.", k, NULL), g_strdup(v));
    const char *fecha = g_hash_table_lookup(c->cfg.oficio, "fecha");
    obs_day d = fecha && *fecha ? obs_day_parse_iso(fecha) : generado;
    g_hash_table_insert(c->vars, g_strdup("oficio.fecha"), long_date(d));
    const char *sesion = g_hash_table_lookup(c->cfg.oficio, "sesion_fecha");
    g_hash_table_insert(c->vars, g_strdup("oficio.sesion_fecha"), long_date(obs_day_parse_iso(sesion)));
    if (!g_hash_table_lookup(c->cfg.oficio, "lugar"))
        g_hash_table_insert(c->vars, g_strdup("oficio.lugar"), g_strdup(c->cfg.lugar));
    return -1;
}

static task *task_new(int kind, int entidad, char *base, bool pdf, bool xlsx)
{
    task *t = g_new0(task, 1);
    *t = (task){kind, entidad, base, pdf, xlsx, NULL};
    return t;
}

static const char *const no_flagged = "ningún OPL con bajo número de acciones de difusión al corte";

/* No OPL flagged: no letter (reports.md §4). Says so and records it for the manifest. */
static void skip_letters(cli *c, const obs_run *run, bool general, bool per_opl)
{
    if (general)
        c->skipped[c->nskipped++] = (obs_manifest_skip){"oficio-pdf", "oficio.pdf", no_flagged};
    if (per_opl)
        c->skipped[c->nskipped++] = (obs_manifest_skip){"oficio-opl-pdf", "oficio_opl/", no_flagged};
    char corte[64];
    char *regla = obs_oficio_regla(run->actual);
    cli_say("con corte al %s ningún OPL tiene un número bajo de acciones de difusión (un OPL se señala "
            "cuando registra %s): no se escribió ningún oficio de exhorto.",
            obs_fmt_fecha_larga(corte, sizeof corte, run->corte), regla);
    g_free(regla);
}

/* The letters, each with its own number: the general exhorto first, then one per flagged OPL by
 * clave. Returns false (c->err set) when the configured numbers cannot serve them all. */
static bool plan_letters(cli *c, const obs_run *run, GPtrArray *tasks)
{
    bool pdf = (c->cfg.formatos & OBS_FMT_PDF) != 0;
    bool general = (c->documentos & OBS_DOC_OFICIO) && pdf, per_opl = (c->documentos & OBS_DOC_OFICIO_OPL) && pdf;
    if (!general && !per_opl)
        return true;
    if (run->actual->nbajo == 0) {
        skip_letters(c, run, general, per_opl);
        return true;
    }
    guint first = tasks->len;
    if (general)
        g_ptr_array_add(tasks, task_new(CLI_DOC_OFICIO, 0, g_strdup("oficio"), true, false));
    for (int e = 1; per_opl && e <= OBS_ENTIDADES; e++) {
        if (!obs_snapshot_bajo(run->actual, e) || (c->entidad && e != c->entidad))
            continue;
        char *label = file_label(obs_catalog_entidad(c->cat, e));
        g_ptr_array_add(tasks, task_new(CLI_DOC_OFICIO_OPL, e, g_build_filename("oficio_opl", label, NULL), true,
                                        false));
        g_free(label);
    }
    size_t n = tasks->len - first;
    char **numbers = n ? obs_oficio_numbers(c->cfg.oficio, n, c->opt.config, &c->err) : NULL;
    if (n && !numbers)
        return false;
    for (size_t i = 0; i < n; i++) {
        task *t = tasks->pdata[first + i];
        t->vars = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        GHashTableIter it;
        gpointer k, v;
        g_hash_table_iter_init(&it, c->vars);
        while (g_hash_table_iter_next(&it, &k, &v))
            g_hash_table_insert(t->vars, g_strdup(k), g_strdup(v));
        obs_oficio_add_vars(t->vars, run, t->entidad, numbers[i]);
    }
    g_strfreev(numbers);
    return true;
}

static void task_free(gpointer p);

/* Every document to write; NULL (c->err set) when the letters cannot be numbered. */
static GPtrArray *plan(cli *c, const obs_run *run)
{
    GPtrArray *tasks = g_ptr_array_new_with_free_func(task_free);
    bool pdf = (c->cfg.formatos & OBS_FMT_PDF) != 0, xlsx = (c->cfg.formatos & OBS_FMT_XLSX) != 0;
    if ((c->documentos & OBS_DOC_INFORME) && (pdf || xlsx))
        g_ptr_array_add(tasks, task_new(CLI_DOC_INFORME, 0, g_strdup("informe"), pdf, xlsx));
    for (int e = 1; (c->documentos & OBS_DOC_OPL) && (pdf || xlsx) && e <= OBS_ENTIDADES; e++) {
        if (c->entidad && e != c->entidad)
            continue;
        char *label = file_label(obs_catalog_entidad(c->cat, e));
        g_ptr_array_add(tasks, task_new(CLI_DOC_OPL, e, g_build_filename("opl", label, NULL), pdf, xlsx));
        g_free(label);
    }
    if (!plan_letters(c, run, tasks)) {
        g_ptr_array_free(tasks, TRUE);
        return NULL;
    }
    return tasks;
}

static void task_free(gpointer p)
{
    task *t = p;
    if (t->vars)
        g_hash_table_destroy(t->vars);
    g_free(t->base);
    g_free(t);
}

/* Renders into a temporary file of the output directory and renames it into place. */
static obs_status render_file(cli *c, const char *relpath, const char *kind, int entidad, const obs_doc *doc,
                              obs_status (*render)(const obs_doc *, const char *, obs_error *), obs_error *err)
{
    obs_outfile of;
    obs_status st = obs_outfile_begin(c->out, relpath, &of, err);
    if (st != OBS_OK)
        return st;
    fclose(of.fp);
    of.fp = NULL;
    st = render(doc, of.tmp_path, err);
    if (st == OBS_OK)
        return obs_outfile_commit(c->out, &of, kind, entidad, err);
    obs_outfile_abort(&of);
    return st;
}

static const char *const kind_names[CLI_DOC_KINDS][2] = {
    [CLI_DOC_INFORME] = {"informe-pdf", "informe-xlsx"},
    [CLI_DOC_OPL] = {"opl-pdf", "opl-xlsx"},
    [CLI_DOC_OFICIO] = {"oficio-pdf", "oficio-xlsx"},
    [CLI_DOC_OFICIO_OPL] = {"oficio-opl-pdf", "oficio-opl-xlsx"},
};

/* What the worker threads share while rendering. */
typedef struct render_job {
    cli *c;
    const obs_run *run;
    const obs_report_info *info;
    GMutex lock;        /* guards step, status, err and the progress line */
    unsigned step;
    unsigned steps;
    obs_status status;
    obs_error err;
} render_job;

static void progress(render_job *j, const char *rel)
{
    g_mutex_lock(&j->lock);
    cli_progress(j->c, ++j->step, j->steps, rel);
    g_mutex_unlock(&j->lock);
}

/* Renders one document; the first failure is kept and stops the tasks not yet started. */
static void run_task(gpointer data, gpointer user)
{
    const task *t = data;
    render_job *j = user;
    g_mutex_lock(&j->lock);
    bool stop = j->status != OBS_OK;
    g_mutex_unlock(&j->lock);
    if (stop)
        return;
    cli *c = j->c;
    GHashTable *vars = t->vars ? t->vars : c->vars;
    obs_template_ctx tctx = {.run = j->run, .info = j->info, .entidad = t->entidad, .vars = vars};
    obs_doc *doc = obs_template_render(c->tpl[t->kind], &tctx);
    if (t->kind == CLI_DOC_INFORME)
        obs_report_add_metricas(doc, j->run);
    else if (t->kind == CLI_DOC_OPL)
        obs_report_add_metricas_entidad(doc, j->run, t->entidad);
    if (t->kind == CLI_DOC_INFORME || t->kind == CLI_DOC_OPL)
        obs_report_add_about(doc, j->run, j->info, t->entidad);
    obs_error err = {0};
    obs_status st = OBS_OK;
    if (t->pdf) {
        char *rel = g_strconcat(t->base, ".pdf", NULL);
        st = render_file(c, rel, kind_names[t->kind][0], t->entidad, doc, obs_render_pdf, &err);
        progress(j, rel);
        g_free(rel);
    }
    if (st == OBS_OK && t->xlsx) {
        char *rel = g_strconcat(t->base, ".xlsx", NULL);
        st = render_file(c, rel, kind_names[t->kind][1], t->entidad, doc, obs_render_xlsx, &err);
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

static int render_all(cli *c, const obs_run *run, int64_t generated_at)
{
    obs_report_info info = {
        .proceso = c->cfg.proceso,
        .lugar = c->cfg.lugar,
        .generated_at = generated_at,
        .paper = c->cfg.papel,
        .logo = c->cfg.logo,
        .version = OBS_VERSION,
    };
    GPtrArray *tasks = plan(c, run);
    if (!tasks)
        return cli_fail(c);
    bool csv = (c->documentos & OBS_DOC_METRICAS) && (c->cfg.formatos & OBS_FMT_CSV);
    render_job job = {.c = c, .run = run, .info = &info};
    g_mutex_init(&job.lock);
    job.steps = csv;
    for (guint i = 0; i < tasks->len; i++) {
        const task *t = tasks->pdata[i];
        job.steps += t->pdf + t->xlsx;
    }
    /* Documents are independent: a pool of workers renders them, each from its own model.
     * The templates, the run and the catalogue are only read, so they are shared as they are. */
    if (c->threads > 1 && tasks->len > 1) {
        GThreadPool *pool = g_thread_pool_new(run_task, &job, MIN(c->threads, (int)tasks->len), TRUE, NULL);
        for (guint i = 0; i < tasks->len; i++)
            g_thread_pool_push(pool, tasks->pdata[i], NULL);
        g_thread_pool_free(pool, FALSE, TRUE);
    } else {
        for (guint i = 0; i < tasks->len; i++)
            run_task(tasks->pdata[i], &job);
    }
    obs_status st = job.status;
    if (st != OBS_OK)
        c->err = job.err;
    if (st == OBS_OK && csv) {
        progress(&job, "metricas.csv");
        /* A file for Excel es-MX: with the BOM (the stdout of `observa metricas` has none). */
        GString *text = g_string_new(OBS_CSV_BOM);
        const obs_snapshot *snaps[2] = {run->actual, run->anterior};
        obs_metricas_csv(run->cube, snaps, run->anterior ? 2 : 1, text);
        st = obs_output_write(c->out, "metricas.csv", text->str, text->len, "metricas", 0, &c->err);
        g_string_free(text, TRUE);
    }
    g_mutex_clear(&job.lock);
    g_ptr_array_free(tasks, TRUE);
    if (st != OBS_OK) {
        if (c->tty && !c->quiet)
            fputc('\n', stderr);
        return cli_fail(c);
    }
    return -1;
}

static void write_manifest(cli *c, const obs_run *run, int64_t generated_at, int status)
{
    obs_manifest_info m = {c->command, OBS_VERSION, run, generated_at, status, c->skipped, c->nskipped};
    obs_error err;
    if (obs_manifest_write(c->out, &m, &err) != OBS_OK) {
        obs_error saved = c->err;
        c->err = err;
        cli_fail(c);
        c->err = saved;
    }
}

/* --estricto, or the rejected-share gate (cli_check_rejected()): -1 to go on, or 65. */
static int refuse_data(cli *c, const obs_run *run)
{
    if (c->cfg.estricto && obs_run_rechazadas(run) > 0) {
        cli_say("modo estricto: hay %" G_GUINT64_FORMAT " filas rechazadas; no se generaron los documentos. "
                "Corrija las filas de %s%s o quite --estricto.",
                obs_run_rechazadas(run), cli_folder_delivered(c) ? "" : obs_output_dir(c->out),
                cli_folder_delivered(c) ? "rechazos.csv (observa validar lo escribe)" : "/rechazos.csv");
        return EX_DATAERR;
    }
    return cli_check_rejected(c, run);
}

/* What a refused run leaves: its rechazos.csv and manifest.json, unless the folder holds a
 * delivered set, which a failed run never touches. */
static int publish_refused(cli *c, const obs_run *run, int64_t generated_at)
{
    if (cli_folder_delivered(c)) {
        cli_say("el conjunto entregado en %s/ no se modificó. Para ver cada fila rechazada, ejecute «observa "
                "validar» con las mismas entradas (escribe su rechazos.csv en salida/validacion/).",
                obs_output_dir(c->out));
        return EX_DATAERR;
    }
    int rc = cli_commit_ledger(c);
    if (rc >= 0)
        return rc;
    write_manifest(c, run, generated_at, EX_DATAERR);
    if (obs_output_publish(c->out, &c->err) != OBS_OK)
        return cli_fail(c);
    return EX_DATAERR;
}

static int publish(cli *c, const obs_run *run, int64_t generated_at)
{
    write_manifest(c, run, generated_at, 0);
    if (obs_output_publish(c->out, &c->err) != OBS_OK)
        return cli_fail(c);
    int rc = cli_retire_previous(c);
    if (rc >= 0)
        return rc;
    if (!c->quiet)
        cli_say("listo: %zu archivos en %s/", obs_output_count(c->out), obs_output_dir(c->out));
    return 0;
}

int cli_produce(cli *c, const char *default_dir)
{
    obs_run *run = NULL;
    int rc = cli_load_catalog(c);
    if (rc < 0 && (c->cfg.formatos & (OBS_FMT_PDF | OBS_FMT_XLSX)))
        rc = load_templates(c);
    int64_t generated_at = cli_generation_time(c);
    if (rc < 0)
        rc = oficio_vars(c, generated_at);
    if (rc < 0)
        rc = cli_open_output(c, default_dir);
    if (rc < 0)
        rc = cli_run(c, &run);
    if (rc < 0)
        cli_print_totals(c, run);
    if (rc < 0)
        rc = cli_check_partial(c, run);
    if (rc >= 0) {
        obs_run_free(run);
        return rc;
    }
    /* Everything is published together, with the manifest, or nothing is: a failed run leaves
     * the previous run's files as they were (the exit status says what happened). A run refused
     * for its data publishes only its rechazos.csv and manifest.json, so the user sees why. */
    if (refuse_data(c, run) >= 0)
        rc = publish_refused(c, run, generated_at);
    else if ((rc = render_all(c, run, generated_at)) < 0 && (rc = cli_commit_ledger(c)) < 0)
        rc = publish(c, run, generated_at);
    obs_run_free(run);
    return rc;
}

int cli_produce_for_corte(cli *c)
{
    int rc = cli_require_inputs(c, true);
    if (rc >= 0)
        return rc;
    char *dflt = cli_default_salida(c->cfg.corte);
    rc = cli_produce(c, dflt);
    g_free(dflt);
    return rc;
}
