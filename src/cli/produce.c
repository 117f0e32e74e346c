/* produce.c - the writing commands' calls into the library's pipeline, and what they print on the way. */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"

char *cli_default_salida(obs_day corte)
{
    char iso[16];
    obs_day_iso(corte, iso, sizeof iso);
    return g_build_filename("salida", iso, NULL);
}

void cli_notice(void *user, const char *text)
{
    cli *c = user;
    if (c && c->progress_open) {
        fputc('\n', stderr);
        c->progress_open = false;
    }
    fprintf(stderr, "observa: %s\n", text);
}

/* A problem of the inputs on stderr, like a compiler diagnostic; the first ten unless -v. */
static void on_problem(void *user, const obs_problem *p)
{
    cli *c = user;
    if (c->shown >= CLI_MAX_SHOWN && !c->verbose)
        return;
    c->shown++;
    if (c->tty && !c->quiet)
        fputs("\r\033[K", stderr); /* over the progress line */
    char *where = obs_problem_location(p); /* solicitudes.csv:11:3, solicitudes.xlsx:Hoja1!C17 */
    fprintf(stderr, "%s: %s: %s\n", where, p->level == OBS_LEVEL_ERROR ? "error" : "aviso", p->message);
    g_free(where);
}

static void on_progress(void *user, unsigned step, unsigned steps, const char *what)
{
    cli_progress(user, step, steps, what);
}

int cli_run(cli *c, obs_run **run)
{
    obs_run_config rc;
    obs_run_config_from(&c->cfg, &c->inputs, c->threads, &rc);
    cli_progress(c, 0, 0, "leyendo las exportaciones…");
    obs_status st = obs_run_execute(&rc, c->cat, on_problem, c, run, &c->err);
    cli_progress(c, 0, 0, "");
    return st == OBS_OK ? -1 : cli_fail(c);
}

int cli_check_rejected(cli *c, const obs_run *run)
{
    size_t refused = obs_gate_explain(run, c->cfg.max_rechazadas,
                                      "las filas que lista «observa validar» (en su rechazos.csv)", cli_notice, c);
    return refused ? EX_DATAERR : -1;
}

int64_t cli_generation_time(const cli *c)
{
    char *warning = NULL;
    int64_t t = obs_generation_time(c->cfg.fecha_generacion, &warning);
    if (warning)
        cli_say("%s", warning);
    g_free(warning);
    return t;
}

int cli_open_output(cli *c, const char *default_dir)
{
    c->dir = c->cfg.salida ? obs_output_dir_for(c->cfg.salida, c->cfg.corte) : g_strdup(default_dir);
    c->req = (obs_produce_request){
        .command = c->command,
        .cfg = &c->cfg,
        .config_path = c->opt.config,
        .inputs = &c->inputs,
        .cat = c->cat,
        .documentos = c->documentos,
        .entidad = c->entidad,
        .dir = c->dir,
        .reemplazar = c->opt.reemplazar,
        .threads = c->threads,
        .generated_at = c->documentos ? cli_generation_time(c) : 0,
        .hooks = {.problem = on_problem, .progress = on_progress, .notice = cli_notice, .user = c},
    };
    if (obs_produce_open(&c->req, &c->prod, &c->err) != OBS_OK)
        return cli_fail(c);
    /* After the templates, [oficio] and the folder are checked: a refused run leaves no history. */
    if (!c->documentos || c->opt.sin_historial)
        return -1;
    int rc = cli_open_history(c);
    c->req.history = c->history;
    return rc;
}

char *cli_history_path(const cli *c)
{
    if (c->history_in_folder)
        return g_build_filename(c->dir, "historial.sqlite", NULL);
    return c->cfg.historial ? g_strdup(c->cfg.historial) : obs_history_default_path();
}

int cli_open_history(cli *c)
{
    char *path = cli_history_path(c);
    obs_status st = obs_history_open(path, &c->history, &c->err);
    g_free(path);
    return st == OBS_OK ? -1 : cli_fail(c);
}

/* "label: 17 filas leídas = 9 aceptadas + 8 rechazadas; aceptadas = …; 3 con avisos", each count
 * with the words that agree with it ("1 fila leída = 1 aceptada + 0 rechazadas"). */
static void print_stats(const cli *c, const char *label, const obs_file_stats *f)
{
    char a[2 * OBS_FMT_MAX], b[2 * OBS_FMT_MAX], d[2 * OBS_FMT_MAX];
    fprintf(stderr, "%s: %s = %s + %s", label,
            obs_fmt_count(a, sizeof a, (int64_t)f->leidas, "fila leída", "filas leídas"),
            obs_fmt_count(b, sizeof b, (int64_t)f->aceptadas, "aceptada", "aceptadas"),
            obs_fmt_count(d, sizeof d, (int64_t)f->rechazadas, "rechazada", "rechazadas"));
    if (c->cfg.corte != OBS_DAY_NONE)
        fprintf(stderr, "; aceptadas = %s en el corte + %s",
                obs_fmt_int(a, sizeof a, (int64_t)f->en_corte),
                obs_fmt_count(b, sizeof b, (int64_t)f->posteriores, "posterior al corte", "posteriores al corte"));
    if (f->con_avisos)
        fprintf(stderr, "; %s con avisos", obs_fmt_int(a, sizeof a, (int64_t)f->con_avisos));
    if (f->vacias)
        fprintf(stderr, f->vacias == 1 ? "; además %s fila vacía, que no se cuenta"
                                       : "; además %s filas vacías, que no se cuentan",
                obs_fmt_int(a, sizeof a, (int64_t)f->vacias));
    fputc('\n', stderr);
}

void cli_print_totals(const cli *c, const obs_run *run)
{
    static const char *const names[OBS_FILE_KIND_COUNT] = {"solicitudes", "difusión"};
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++) {
        const obs_export *ex = &run->exports[k];
        for (size_t i = 0; i < ex->nfiles; i++)
            print_stats(c, ex->files[i].path, &ex->files[i]);
        if (ex->nfiles > 1) {
            char *label = g_strdup_printf("%s en total (%zu archivos)", names[k], ex->nfiles);
            print_stats(c, label, &ex->total);
            g_free(label);
        }
    }
}

/* Where the problems not shown are, once the run's outcome is known: only when its rechazos.csv
 * was published (a failed run publishes none; a run refused over a delivered set touches nothing). */
static void print_more_problems(const cli *c)
{
    const obs_run *run = c->prod ? obs_produce_run(c->prod) : NULL;
    if (!run || !obs_produce_ledger_published(c->prod))
        return;
    uint64_t problems = 0;
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++)
        for (int r = 0; r < OBS_REASON_COUNT; r++)
            problems += run->exports[k].total.por_motivo[r];
    if (problems <= c->shown)
        return;
    char n[OBS_FMT_MAX];
    uint64_t more = problems - c->shown;
    fprintf(stderr, "observa: %s %s más; el detalle completo está en %s/rechazos.csv\n",
            obs_fmt_int(n, sizeof n, (int64_t)more), more == 1 ? "problema" : "problemas", obs_produce_dir(c->prod));
}

int cli_read(cli *c)
{
    if (obs_produce_read(c->prod, &c->err) != OBS_OK)
        return cli_fail(c);
    cli_print_totals(c, obs_produce_run(c->prod));
    return -1;
}

int cli_finish(cli *c)
{
    obs_status st = obs_produce_finish(c->prod, &c->err);
    print_more_problems(c);
    return st == OBS_OK ? -1 : cli_fail(c);
}

int cli_produce(cli *c, const char *default_dir)
{
    int rc = cli_load_catalog(c);
    if (rc < 0)
        rc = cli_open_output(c, default_dir);
    if (rc < 0)
        rc = cli_read(c);
    if (rc < 0)
        rc = cli_finish(c);
    if (rc >= 0)
        return rc;
    /* The final summary, with -q too (cli.md: -q prints warnings, errors and the final summary): a
     * cron log keeps where the set is and the run to publish. */
    char n[2 * OBS_FMT_MAX];
    cli_say("listo: %s en %s/", obs_fmt_count(n, sizeof n, (int64_t)obs_produce_count(c->prod), "archivo", "archivos"),
            obs_produce_dir(c->prod));
    int64_t id = obs_produce_history_id(c->prod);
    if (!id)
        return 0;
    /* The command to publish it names the history unless it is the one historial finds by itself. */
    char *dflt = obs_history_default_path();
    bool named = strcmp(dflt, obs_history_path(c->history)) != 0;
    char *where = named ? cli_shell_word(obs_history_path(c->history)) : NULL;
    cli_say("corrida %" G_GINT64_FORMAT " del historial %s (borrador); cuando se presente a la Comisión, márquela "
            "con «observa historial publicar %" G_GINT64_FORMAT "%s%s»",
            id, obs_history_path(c->history), id, named ? " --historial " : "", named ? where : "");
    g_free(where);
    g_free(dflt);
    return 0;
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
