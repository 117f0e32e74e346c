/* oficio_fixture.h - runs of observa on the basico solicitudes with a difusion export of chosen OPL counts and an
 * [oficio] configuration: the letters, the rule and what the documents say of them. */
#ifndef OBSERVA_TEST_OFICIO_FIXTURE_H
#define OBSERVA_TEST_OFICIO_FIXTURE_H

#include <json-glib/json-glib.h>
#include <stdbool.h>

#include "cli_run.h"

#define CORTE "2023-10-12"

/* OPL actions per entidad (clave 1..32) for a difusion export made for the test. */
typedef struct outreach {
    int opl[33];
} outreach;

typedef struct oficio_fixture {
    char *tmp;
    char *sol;  /* the basico case's solicitudes */
    char *dif;  /* written by write_difusion() */
    char *ini;
    char *out;
} oficio_fixture;

/* cmocka setup/teardown making and removing an oficio_fixture. */
int oficio_setup(void **state);
int oficio_teardown(void **state);

/* Every entidad `base` OPL actions, except those listed as clave, count, …, 0. */
outreach counts(int base, ...);
/* f->dif with o's OPL actions, all on 2023-10-01, registered 2023-10-02. */
void write_difusion(oficio_fixture *f, const outreach *o);
/* f->ini: the basico solicitudes, f->dif, corte CORTE, [salida] documentos (when not NULL) and the
 * [oficio] keys of every test; an override "key=value" replaces one, "key=" removes it. */
void write_ini(oficio_fixture *f, const char *documentos, const char *const *overrides);

/* observa COMMAND --config f->ini -o f->out [--por-opl], with extra environment (may be NULL). */
result observa_env(oficio_fixture *f, const char *command, bool por_opl, const char *const *env);
result observa(oficio_fixture *f, const char *command, bool por_opl);
/* Writes the export and the configuration, runs the command and expects it to succeed; returns
 * its stderr (g_free). */
char *run_ok(oficio_fixture *f, outreach o, const char *documentos, const char *const *overrides,
             const char *command, bool por_opl);

/* Each page's text, whitespace collapsed (g_strfreev). */
char **pdf_pages(const char *pdf);
/* f->out/rel (g_free); whether it exists; a PDF's words (g_free). */
char *out_path(const oficio_fixture *f, const char *rel);
bool exists(const oficio_fixture *f, const char *rel);
char *letter_text(const oficio_fixture *f, const char *rel);
/* Fails unless text holds what / does not hold it. */
void expect(const char *text, const char *what);
void expect_not(const char *text, const char *what);
/* f->out/manifest.json parsed (g_object_unref), its root object in *root. */
JsonParser *manifest(const oficio_fixture *f, JsonObject **root);
/* True when the manifest's member (salidas, omitidos) lists an entry of that tipo. */
bool listed(JsonObject *root, const char *member, const char *kind);

#endif /* OBSERVA_TEST_OFICIO_FIXTURE_H */
