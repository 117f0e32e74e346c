/* common.c - what the fuzz targets share. */
#include "common.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

obs_catalog *fuzz_catalog(const char *target)
{
    const char *dir = getenv("OBSERVA_PLANTILLAS");
    obs_catalog *cat = NULL;
    obs_error err;
    if (!dir || obs_catalog_load(dir, &cat, &err) != OBS_OK) {
        fprintf(stderr, "%s: set OBSERVA_PLANTILLAS to the templates directory\n", target);
        exit(1);
    }
    return cat;
}

static void on_solicitud(void *ud, const obs_solicitud *s)
{
    (void)ud;
    if (s->entidad < 1 || s->entidad > 32 || s->fecha_registro < s->fecha_solicitud)
        abort();
}

static void on_accion(void *ud, const obs_accion *a)
{
    (void)ud;
    if (a->entidad < 1 || a->entidad > 32 || a->tipo < 0 || a->fecha_registro < a->fecha)
        abort();
}

obs_row_sink fuzz_checked_rows(void)
{
    return (obs_row_sink){on_solicitud, on_accion, NULL};
}

char *fuzz_scratch_path(const char *name)
{
    /* Targets read paths, and disk writes would dominate the run. */
    const char *tmp = g_file_test("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir();
    return g_strdup_printf("%s/observa-fuzz-%d-%s", tmp, (int)getpid(), name);
}
