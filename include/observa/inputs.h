/* inputs.h - the files of each export: directories expanded, the same file named twice refused. */
#ifndef OBSERVA_INPUTS_H
#define OBSERVA_INPUTS_H

#include <stdbool.h>

#include "observa/error.h"
#include "observa/ingest.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The files a run reads, per export, in reading order. Owns its lists (obs_inputs_clear()). */
typedef struct obs_inputs {
    char **files[OBS_FILE_KIND_COUNT]; /**< NULL-terminated lists (GStrv), never NULL after a success. */
    /** The name each file is shown by, parallel to files[k] (GStrv, owned), or NULL: the paths as
     * given. Messages, rechazos.csv's "archivo", the totals, manifest.json's "entradas", the history
     * and the documents name a file by it instead of its path: a front end whose paths are its own
     * (the web service's uploads) sets it to the names the user knows; obs_inputs_expand() leaves it
     * NULL (the command line shows the paths the user typed). */
    char **names[OBS_FILE_KIND_COUNT];
} obs_inputs;

/**
 * @brief Expands the paths given for each export into the files to read (data contract §1,
 * "several files per export"), with the rules every front end shares (command line,
 * configuration file, web service).
 *
 * A path that names a directory stands for its *.csv and *.xlsx files (extension in any
 * case), in byte order of their names; hidden files (".x.csv"), subdirectories and other
 * names are skipped, and subdirectories are not entered. Any other path is taken as it is
 * (ingest judges its contents). The same file (same device and inode, whatever the path or
 * symbolic link that leads to it) may be named only once, within an export or across both.
 *
 * @param solicitudes NULL-terminated list of paths as given, or NULL for none.
 * @param difusion    likewise.
 * @param out         receives the lists (obs_inputs_clear()); left empty on error.
 * @param err         may be NULL.
 * @return OBS_OK;
 *         OBS_ERR_NOINPUT when a path does not exist or cannot be examined, a directory cannot
 *         be listed, or a directory holds no .csv or .xlsx file (err names the path);
 *         OBS_ERR_USAGE when the same file is named twice (err names the second mention and
 *         the message the first).
 */
obs_status obs_inputs_expand(const char *const *solicitudes, const char *const *difusion, obs_inputs *out,
                             obs_error *err);

/**
 * @brief Sets the names kind's files are shown by (see obs_inputs.names): names holds one per file
 * of in->files[kind], in the same order (copied). Returns false, changing nothing, when the counts
 * differ. This function can't fail otherwise.
 */
bool obs_inputs_set_names(obs_inputs *in, obs_file_kind kind, const char *const *names);

/** @brief The name a file of in is shown by: its obs_inputs.names entry, or path when it has none
 * (path is then returned). This function can't fail. */
const char *obs_inputs_name(const obs_inputs *in, const char *path);

/** @brief Frees the lists of an obs_inputs and empties it. NULL-safe. This function can't fail. */
void obs_inputs_clear(obs_inputs *in);

#ifdef __cplusplus
}
#endif

#endif /* OBSERVA_INPUTS_H */
