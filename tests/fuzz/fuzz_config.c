/* fuzz_config.c - libFuzzer target for the INI configuration: any bytes as lote.ini.
 *
 * Invariants: no crash or leak; the result is OK, or a configuration error with a message
 * (and a line when it names one that exists).
 */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common.h"
#include "observa/config.h"

static char *path;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    path = fuzz_scratch_path("config.ini");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    obs_config cfg;
    obs_config_init(&cfg);
    obs_error err = {0};
    obs_status st = obs_config_load(&cfg, path, &err);
    if (st != OBS_OK && (st != OBS_ERR_CONFIG || err.message[0] == '\0'))
        abort();
    if (st == OBS_OK && cfg.corte_anterior && cfg.corte && cfg.fecha_generacion < -1)
        abort();
    obs_config_clear(&cfg);
    return 0;
}
