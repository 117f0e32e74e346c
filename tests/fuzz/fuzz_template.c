/* fuzz_template.c - libFuzzer target for the template language: parse any bytes, render what parses.
 *
 * The first byte picks the template kind (informe, OPL, oficio). A template that parses
 * is rendered against the hand-computed fixture run and dumped, so the renderer of every
 * construct the parser accepts is exercised too. Invariants: no crash or leak; a rejected
 * template always has a message and a line within the text.
 */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "observa/catalog.h"
#include "common.h"
#include "observa/run.h"
#include "observa/render.h"
#include "observa/template.h"

static obs_catalog *cat;
static obs_run *run;
static obs_fonts *fonts; /* found once, as a run does */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *root = getenv("OBS_TEST_SOURCE_ROOT");
    if (!root) {
        fprintf(stderr, "fuzz_template: set OBS_TEST_SOURCE_ROOT\n");
        exit(1);
    }
    cat = fuzz_catalog("fuzz_template");
    obs_error ferr = {0};
    if (obs_fonts_find(&fonts, &ferr) != OBS_OK)
        exit(1);
    obs_error err;
    char *s = g_build_filename(root, "tests/e2e/cases/basico/solicitudes.csv", NULL);
    char *d = g_build_filename(root, "tests/e2e/cases/basico/difusion.csv", NULL);
    obs_run_config cfg = {.solicitudes = (const char *const[]){s, NULL},
                          .difusion = (const char *const[]){d, NULL}, .corte = obs_day_parse_iso("2023-10-12"),
                          .corte_anterior = obs_day_parse_iso("2023-10-05"), .rule = {5, 0.5},
                          .ingest = {.threads = 1}};
    if (obs_run_execute(&cfg, cat, NULL, NULL, &run, &err) != OBS_OK)
        exit(1);
    g_free(s);
    g_free(d);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char *const vars[] = {"oficio.numero", "oficio.ccp", NULL};
    obs_template_kind kind = (obs_template_kind)(data[0] % 3);
    obs_template *t = NULL;
    obs_error err = {0};
    obs_status st = obs_template_parse("fuzz.tpl", (const char *)data + 1, size - 1, kind, cat, vars, fonts,
                                       &t, &err);
    if (st != OBS_OK) {
        if (st != OBS_ERR_CONFIG || err.message[0] == '\0')
            abort();
        uint64_t lines = 1;
        for (size_t i = 1; i < size; i++)
            lines += data[i] == '\n';
        if (err.line > lines + 1)
            abort();
        return 0;
    }
    GHashTable *v = g_hash_table_new(g_str_hash, g_str_equal);
    g_hash_table_insert(v, "oficio.numero", "INE/DEOE/0001/2024");
    g_hash_table_insert(v, "oficio.ccp", "uno; dos");
    obs_report_info info = {.proceso = "Proceso", .lugar = "Lugar", .generated_at = 1700000000,
                            .version = "0.1.0"};
    obs_template_ctx ctx = {.run = run, .info = &info, .entidad = kind == OBS_TPL_OPL ? 15 : 0, .vars = v};
    obs_doc *doc = obs_template_render(t, &ctx);
    char *dump = obs_doc_dump(doc);
    g_free(dump);
    obs_doc_free(doc);
    obs_template_free(t);
    g_hash_table_destroy(v);
    return 0;
}
