/* history_view_int.h - internal: what one run's documents know of the history, read once before rendering (the
 * published cortes as vintages, the exhortos to follow up, the previous letters), and read-only from then on. */
#ifndef OBSERVA_HISTORY_VIEW_INT_H
#define OBSERVA_HISTORY_VIEW_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "observa/history.h"
#include "observa/metrics.h"
#include "observa/run.h"

/* A published corte: its figures as presented, and the same corte recomputed from this run's exports. */
typedef struct obs_history_vintage {
    int64_t id;              /* the publication */
    obs_day corte;
    int64_t publicada;       /* Unix time of the publication */
    obs_snapshot *publicado; /* as published: the exported metrics, by this run's metric ids (its
                              * corte, rule, median, threshold and number of flagged OPLs too) */
    bool *known;             /* [metric id]: the publication recorded it (a later catalogue may add types) */
    obs_snapshot *ahora;     /* its corte recomputed from this run's exports, with the publication's rule */
} obs_history_vintage;

/* An OPL flagged at a published corte before the run's, with the letter that exhorted it. */
typedef struct obs_history_exhorto {
    obs_day corte;
    int entidad;             /* 1..32 */
    int64_t acciones;        /* its OPL actions then */
    double umbral;           /* the threshold then */
    char *numero;            /* its own letter's number, else the general exhorto's; NULL without a letter */
    obs_day fecha;           /* that letter's date */
} obs_history_exhorto;

/* A number the history holds for a letter of another published corte (reports.md §4: a number is used once). */
typedef struct obs_history_numero {
    char *numero;
    int64_t corrida;         /* the run that wrote the letter */
    obs_day corte;           /* its corte */
} obs_history_numero;

typedef struct obs_history_view {
    obs_day corte;                  /* the run's corte */
    obs_history_vintage *vintages;  /* published cortes up to the run's (inclusive), oldest first */
    size_t nvintages;
    obs_history_exhorto *exhortos;  /* at published cortes before the run's, by corte then clave */
    size_t nexhortos;
    obs_history_numero *numeros;    /* letters of other published cortes (of their runs that were not lost),
                                     * oldest run first */
    size_t nnumeros;
    char *previo_general;           /* the latest general exhorto of a published corte before the run's, or NULL */
    obs_day previo_general_fecha;
} obs_history_view;

/*
 * Reads what the run's documents show of the history: the publications of cortes up to the run's
 * (each recomputed with the run's exports for the revisions), the OPLs flagged at earlier published
 * cortes with the letter each was sent (from any run of that corte that was not lost: the letters
 * are often written after the informe is presented), the latest general letter, and the numbers of the
 * letters of every other published corte (a number is used once). Failed runs show nothing.
 * Returns OBS_OK with *out (obs_history_view_free()); the errors of a read (OBS_ERR_IO, OBS_ERR_LOCKED).
 */
obs_status obs_history_view_load(obs_history *h, const obs_run *run, obs_history_view **out, obs_error *err);

/* Frees a view. NULL-safe. */
void obs_history_view_free(obs_history_view *v);

/* The latest exhorto of entidad that came with a letter, or NULL. */
const obs_history_exhorto *obs_history_view_last_letter(const obs_history_view *v, int entidad);

#endif /* OBSERVA_HISTORY_VIEW_INT_H */
