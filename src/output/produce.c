/* produce.c - one run of the document pipeline: open the folder, read once, gate, render, publish together. */
#include "observa/config.h"
#include "observa_build.h"
#include "history/history_view_int.h"
#include "output/produce_int.h"

/* The gate's notices go through the run's hook. */
static void gate_notice(void *user, const char *text)
{
    produce_notice(user, "%s", text);
}

obs_status obs_produce_open(const obs_produce_request *req, obs_produce **out, obs_error *err)
{
    *out = NULL;
    if (!req || !req->cfg || !req->inputs || !req->cat || !req->dir || !req->command)
        return obs_error_set(err, OBS_ERR_USAGE, NULL, 0, 0, "obs_produce_open: falta parte de la solicitud");
    if (req->documentos) {
        obs_status st = obs_check_corte_not_future(req->cfg->corte, req->generated_at, err);
        if (st != OBS_OK)
            return st;
    }
    obs_produce *p = g_new0(obs_produce, 1);
    p->req = req;
    g_mutex_init(&p->hook_lock);
    obs_status st = produce_load_templates(p, err);
    if (st == OBS_OK)
        st = produce_oficio_vars(p, err);
    if (st == OBS_OK)
        st = produce_open_folder(p, err);
    if (st != OBS_OK) {
        obs_produce_free(p);
        return st;
    }
    *out = p;
    return OBS_OK;
}

/* Each problem goes to rechazos.csv, then to the caller, naming its file as the inputs show it. */
static void on_problem(void *user, const obs_problem *pr)
{
    obs_produce *p = user;
    obs_problem shown = *pr;
    shown.file = obs_inputs_name(p->req->inputs, pr->file);
    obs_ledger_add(p->ledger, &shown);
    if (p->req->hooks.problem)
        p->req->hooks.problem(p->req->hooks.user, &shown);
}

/* From here on the run names each file as the inputs show it: the totals, the gate's notices,
 * manifest.json, the history and the documents all read the files' stats; an error about a file
 * names it the same way. */
static void show_names(obs_produce *p, obs_error *err)
{
    const obs_inputs *in = p->req->inputs;
    for (int k = 0; p->run && k < OBS_FILE_KIND_COUNT; k++)
        for (size_t i = 0; i < p->run->exports[k].nfiles; i++) {
            obs_file_stats *f = &p->run->exports[k].files[i];
            const char *name = obs_inputs_name(in, f->path);
            if (name != f->path) {
                char *copy = g_strdup(name);
                g_free(f->path);
                f->path = copy;
            }
        }
    if (err && err->path[0]) {
        const char *name = obs_inputs_name(in, err->path);
        if (name != err->path)
            g_strlcpy(err->path, name, sizeof err->path);
    }
}

void obs_run_config_from(const obs_config *cfg, const obs_inputs *inputs, int threads, obs_run_config *out)
{
    *out = (obs_run_config){
        .solicitudes = (const char *const *)inputs->files[OBS_FILE_SOLICITUDES],
        .difusion = (const char *const *)inputs->files[OBS_FILE_DIFUSION],
        .corte = cfg->corte,
        .corte_anterior = cfg->corte_anterior,
        .ingest = {.encoding = cfg->codificacion, .delimiter = cfg->delimitador, .threads = threads,
                   .sheet = cfg->hoja},
        .rule = cfg->rule,
    };
    if (out->corte == OBS_DAY_NONE)
        out->corte = obs_day_from_ymd(9999, 12, 31); /* validar without a corte: everything counts */
}

obs_status obs_produce_read(obs_produce *p, obs_error *err)
{
    /* The history is open by now (the CLI opens it after the folder is checked): a published set
     * in the folder is refused before the exports are read. */
    obs_status st = produce_check_published(p, err);
    if (st != OBS_OK)
        return st;
    obs_run_config rc;
    obs_run_config_from(p->req->cfg, p->req->inputs, p->req->threads, &rc);
    produce_progress(p, 0, 0, "leyendo las exportaciones…");
    st = obs_run_execute(&rc, p->req->cat, on_problem, p, &p->run, err);
    show_names(p, st == OBS_OK ? NULL : err);
    produce_progress(p, 0, 0, "");
    return st;
}

static obs_status commit_ledger(obs_produce *p, obs_error *err)
{
    obs_ledger *l = p->ledger;
    p->ledger = NULL;
    return obs_ledger_commit(p->out, l, err);
}

/* Publishes what is staged (with rechazos.csv, committed before). */
static obs_status publish(obs_produce *p, obs_error *err)
{
    obs_status st = obs_output_publish(p->out, err);
    p->ledger_published = st == OBS_OK;
    return st;
}

static obs_status write_manifest(obs_produce *p, int status)
{
    obs_manifest_info m = {p->req->command, OBS_VERSION, p->run, p->req->generated_at, status,
                           p->skipped,      p->nskipped};
    obs_error err;
    obs_status st = obs_manifest_write(p->out, &m, &err);
    if (st != OBS_OK) { /* the set is still published: its files are whole; the caller hears why */
        char buf[OBS_ERROR_MSG_MAX + OBS_ERROR_PATH_MAX + 16];
        obs_error_format(&err, buf, sizeof buf);
        produce_notice(p, "%s", buf);
    }
    return st;
}

/* --estricto, or the rejected-share gate: true (and the reasons told) when the data refuses the run. */
static bool refuse_data(obs_produce *p)
{
    const obs_config *cfg = p->req->cfg;
    const char *dir = obs_output_dir(p->out);
    bool delivered = obs_produce_folder_delivered(p);
    if (cfg->estricto && obs_run_rechazadas(p->run) > 0) {
        char n[2 * OBS_FMT_MAX];
        produce_notice(p,
                       "modo estricto: hay %s; no se generaron los documentos. Corrija las filas de %s%s o "
                       "quite --estricto.",
                       obs_fmt_count(n, sizeof n, (int64_t)obs_run_rechazadas(p->run), "fila rechazada",
                                     "filas rechazadas"),
                       delivered ? "" : dir, delivered ? "rechazos.csv (observa validar lo escribe)" : "/rechazos.csv");
        return true;
    }
    char *where = delivered ? g_strdup("las filas que lista «observa validar» (en su rechazos.csv)")
                            : g_strdup_printf("las filas listadas en %s/rechazos.csv", dir);
    size_t refused = obs_gate_explain(p->run, cfg->max_rechazadas, where, gate_notice, p);
    g_free(where);
    return refused > 0;
}

/* What a refused run leaves: its rechazos.csv and manifest.json, unless the folder holds a
 * delivered set, which a failed run never touches. Returns OBS_ERR_DATA (told in notices). */
static obs_status publish_refused(obs_produce *p, obs_error *err)
{
    if (obs_produce_folder_delivered(p)) {
        produce_notice(p,
                       "el conjunto entregado en %s/ no se modificó. Para ver cada fila rechazada, ejecute "
                       "«observa validar» con las mismas entradas (escribe su rechazos.csv en salida/validacion/).",
                       obs_output_dir(p->out));
    } else {
        obs_status st = commit_ledger(p, err);
        if (st != OBS_OK)
            return st;
        write_manifest(p, obs_status_exit_code(OBS_ERR_DATA));
        if ((st = publish(p, err)) != OBS_OK)
            return st;
    }
    return obs_error_set(err, OBS_ERR_DATA, NULL, 0, 0, "%s", "");
}

/* A validation run: rechazos.csv only. */
static obs_status finish_validation(obs_produce *p, obs_error *err)
{
    obs_status st = commit_ledger(p, err);
    return st == OBS_OK ? publish(p, err) : st;
}

/*
 * Publishing with a history: every file is staged under its temporary name; the run is recorded
 * (en_curso, one transaction) before the first rename, so a history that cannot take it (read-only,
 * full) leaves the folder as it was; after the renames, with manifest.json last, it becomes a draft.
 * Killed in between, the run is resolved at the next open by whether the folder's manifest.json is
 * the one it recorded.
 */
static obs_status publish_set(obs_produce *p, obs_error *err)
{
    int64_t id = 0;
    obs_status st = produce_history_begin(p, &id, err);
    if (st != OBS_OK)
        return st;
    st = publish(p, err);
    produce_history_finish(p, id, st == OBS_OK);
    p->history_id = st == OBS_OK ? id : 0;
    if (st != OBS_OK)
        return st;
    produce_tell_replaced(p);
    return produce_retire_previous(p, err);
}

obs_status obs_produce_finish(obs_produce *p, obs_error *err)
{
    if (!p->run)
        return obs_error_set(err, OBS_ERR_USAGE, NULL, 0, 0, "obs_produce_finish: antes se leen las entradas");
    if (!p->req->documentos)
        return finish_validation(p, err);
    obs_status st = produce_check_partial(p, err);
    if (st != OBS_OK)
        return st;
    /* Everything is published together, with the manifest, or nothing is: a failed run leaves
     * the previous run's files as they were. A run refused for its data publishes only its
     * rechazos.csv and manifest.json, so the user sees why. */
    if (refuse_data(p))
        return publish_refused(p, err);
    st = produce_history_read(p, err);
    if (st == OBS_OK)
        st = produce_render_all(p, err);
    if (st == OBS_OK)
        st = commit_ledger(p, err);
    if (st != OBS_OK)
        return st;
    write_manifest(p, 0);
    return publish_set(p, err);
}

const obs_run *obs_produce_run(const obs_produce *p)
{
    return p->run;
}

const char *obs_produce_dir(const obs_produce *p)
{
    return obs_output_dir(p->out);
}

int64_t obs_produce_history_id(const obs_produce *p)
{
    return p->history_id;
}

size_t obs_produce_count(const obs_produce *p)
{
    return obs_output_count(p->out);
}

bool obs_produce_folder_delivered(const obs_produce *p)
{
    return p->previous && p->previous->estado == 0;
}

bool obs_produce_ledger_published(const obs_produce *p)
{
    return p->ledger_published;
}

void obs_produce_free(obs_produce *p)
{
    if (!p)
        return;
    obs_ledger_abort(p->ledger);
    obs_output_free(p->out);
    for (int k = 0; k < PRODUCE_KINDS; k++)
        obs_template_free(p->tpl[k]);
    obs_fonts_free(p->fonts);
    if (p->vars)
        g_hash_table_destroy(p->vars);
    obs_manifest_prev_free(p->previous);
    if (p->tasks)
        g_ptr_array_free(p->tasks, TRUE);
    obs_history_view_free(p->view);
    obs_run_free(p->run);
    g_mutex_clear(&p->hook_lock);
    g_free(p);
}

/* The last second of 9999-12-31 in UTC: dates are written with four-digit years. */
#define LAST_SECOND INT64_C(253402300799)

obs_status obs_check_corte_not_future(obs_day corte, int64_t generated, obs_error *err)
{
    obs_day today = obs_day_from_unix(generated);
    if (corte == OBS_DAY_NONE || corte <= today)
        return OBS_OK;
    char c[64], t[64];
    obs_fmt_fecha_larga(c, sizeof c, corte);
    obs_fmt_fecha_larga(t, sizeof t, today);
    return obs_error_set(err, OBS_ERR_USAGE, NULL, 0, 0,
                         "el corte (%s) es posterior a la fecha de elaboración (%s): no puede haber cifras con "
                         "corte a un día que aún no llega; indique un corte igual o anterior al %s",
                         c, t, t);
}

int64_t obs_generation_time(int64_t configured, char **warning)
{
    *warning = NULL;
    const char *sde = g_getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        int64_t v;
        if (obs_config_parse_entero(sde, 0, LAST_SECOND, &v))
            return v;
        *warning = g_strdup_printf("aviso: SOURCE_DATE_EPOCH=«%s» no es un número de segundos desde 1970 hasta "
                                   "el año 9999; se ignora",
                                   sde);
    }
    if (configured >= 0)
        return configured;
    return g_get_real_time() / G_USEC_PER_SEC;
}
