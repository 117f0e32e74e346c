/* produce_int.h - internal: the state of one run of the document pipeline, shared by its files. */
#ifndef OBSERVA_PRODUCE_INT_H
#define OBSERVA_PRODUCE_INT_H

#include <glib.h>

#include "output/manifest_int.h"
#include "output/output_int.h"
#include "observa/produce.h"
#include "observa/render.h"
#include "observa/template.h"

/** Document kinds that have a template. */
enum { PRODUCE_INFORME = 0, PRODUCE_OPL, PRODUCE_OFICIO, PRODUCE_OFICIO_OPL, PRODUCE_KINDS };

struct obs_produce {
    const obs_produce_request *req;
    obs_fonts *fonts;                 /* the PDF fonts, found once for the run */
    obs_template *tpl[PRODUCE_KINDS]; /* by kind; loaded before any data is read */
    GHashTable *vars;                 /* the letters' variables ("oficio.numero" -> text), or NULL */
    obs_output *out;
    obs_ledger *ledger;
    /* The manifest.json found in the folder (same corte, or another with reemplazar): its files
     * this run does not rewrite are removed once the new set is published. */
    obs_manifest_prev *previous;
    obs_manifest_skip skipped[PRODUCE_KINDS]; /* documents asked for and not written */
    size_t nskipped;
    obs_run *run;
    GPtrArray *tasks;                 /* the documents of the run (produce_task), once planned */
    obs_day letter_date;              /* the letters' date ([oficio] fecha, or the day of generation) */
    struct obs_history_view *view;    /* the history as the documents see it (req->history), or NULL */
    int64_t history_id;               /* the run's id in req->history once recorded, or 0 */
    int64_t replaced_publication;     /* the published run whose set this run replaces (reemplazar), or 0 */
    obs_day replaced_corte;           /* its corte */
    bool published_checked;           /* produce_check_published() ran with req->history */
    bool ledger_published; /* rechazos.csv is in the published set */
    GMutex hook_lock; /* the hooks are called from one thread at a time */
};

/* gate.c: the rejected-share gate (data-contract §8). */
/* True when a file's rejected share fails a run: every data row rejected, or more than
 * max_rechazadas hundredths of a percent. A file with no data rows never does. */
bool obs_gate_over(const obs_file_stats *f, int max_rechazadas);

/* A Spanish notice to the caller (printf-style). */
void produce_notice(obs_produce *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A progress step to the caller. */
void produce_progress(obs_produce *p, unsigned step, unsigned steps, const char *what);

/* One document to render: a template in a scope, written as PDF and/or XLSX. */
typedef struct produce_task {
    int kind;         /* PRODUCE_* */
    int entidad;      /* 0 for national documents */
    char *base;       /* relative path without extension */
    bool pdf;
    bool xlsx;
    GHashTable *vars; /* a letter's own variables (its number), or NULL for p->vars */
} produce_task;

/* produce_plan.c: templates and the letters' variables, checked before any data is read; the
 * documents of the run. */
obs_status produce_load_templates(obs_produce *p, obs_error *err);
obs_status produce_oficio_vars(obs_produce *p, obs_error *err);
/* Every document to write (produce_task, freed with the array); NULL (err set) when the letters
 * cannot be numbered. */
GPtrArray *produce_plan(obs_produce *p, obs_error *err);
/* produce_render.c: every document of the run and metricas.csv into the open output. */
obs_status produce_render_all(obs_produce *p, obs_error *err);

/* produce_history.c: the run and its history. The view is read before any document is rendered;
 * the run is recorded en_curso once its files are staged, before the first rename (a failure
 * publishes nothing), and settled after the renames (a failure then is told, and resolved at the
 * next open). */
obs_status produce_history_read(obs_produce *p, obs_error *err);
obs_status produce_history_begin(obs_produce *p, int64_t *id, obs_error *err);
void produce_history_finish(obs_produce *p, int64_t id, bool published);
/* A letter's variables from the history: the previous general exhorto (oficio.oficio_previo, over the
 * configuration's) or the previous letter to its OPL (oficio.opl_previo…). */
void produce_history_letter_vars(const obs_produce *p, GHashTable *vars, int entidad);

/* folder.c: the output folder's rules (cli.md "Output rules"). */
obs_status produce_open_folder(obs_produce *p, obs_error *err);
obs_status produce_check_partial(obs_produce *p, obs_error *err);
obs_status produce_retire_previous(obs_produce *p, obs_error *err);
/* The folder's set is a publication of req->history (its manifest.json is the one a run in state
 * publicada recorded): refused (OBS_ERR_CANTCREAT) unless req->reemplazar; with it, remembered for
 * produce_tell_replaced(). Nothing to check without a history or for a validation run. */
obs_status produce_check_published(obs_produce *p, obs_error *err);
/* After a set replaced a publication's: says so, and how to publish this run in its place. */
void produce_tell_replaced(obs_produce *p);

#endif /* OBSERVA_PRODUCE_INT_H */
