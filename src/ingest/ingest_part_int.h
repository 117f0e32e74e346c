/* ingest_part_int.h - internal: one part of an export that two threads read at once (see run.c). */
#ifndef OBSERVA_INGEST_PART_H
#define OBSERVA_INGEST_PART_H

#include "ingest/csvread_int.h"
#include "util/idset_int.h"
#include "observa/ingest.h"

typedef struct obs_ingest_part {
    uint64_t end;              /**< As in obs_csv_options: stop here if a record ends here. */
    uint64_t start;            /**< As in obs_csv_options: the header, then from here. */
    uint64_t first_line;       /**< As in obs_csv_options. */
    bool no_hash;              /**< As in obs_csv_options. */
    obs_csv_handoff *handoff;  /**< As in obs_csv_options. */
    obs_idset *ids;            /**< The set of accepted ids to use and keep (NULL: a set of its own). */
    bool resume;               /**< Adds to stats, leaves the file's facts (size, hash) as they are. */
    /** In/out: columns (bit per canonical column) whose once-per-file aviso about Excel serial
     * dates was already given in this file. */
    uint32_t serial_warned;
    /** A later part read at the same time as the first: it cannot know which once-per-file
     * avisos the first part gives, so it gives none (title lines, serial dates) and reports in
     * serial_seen the columns where it would have. */
    bool defer_file_avisos;
    /* Out. */
    bool stopped_at_end;       /**< A record ended at end and the part stopped there. */
    uint64_t end_line;         /**< Then, the physical line number at end. */
    uint32_t serial_seen;      /**< With defer_file_avisos: columns with Excel serial dates. */
} obs_ingest_part;

/** @brief obs_ingest_file() for one part of the file (part NULL: the whole file). */
obs_status obs_ingest_file_part(const char *path, obs_file_kind kind, const obs_catalog *cat,
                                const obs_ingest_options *opts, obs_ingest_part *part,
                                const obs_row_sink *sink, obs_problem_fn on_problem,
                                void *problem_ud, obs_file_stats *stats, obs_error *err);

#endif /* OBSERVA_INGEST_PART_H */
