/* ingest_harness.h - shared fixture of the ingest tests: write bytes to a file, ingest it, look at what came out. */
#ifndef OBSERVA_TEST_INGEST_HARNESS_H
#define OBSERVA_TEST_INGEST_HARNESS_H

#include <glib.h>
#include <stdint.h>

#include "observa/catalog.h"
#include "observa/ingest.h"

#define SOL_HEADER "folio,entidad,fecha_solicitud,fecha_registro,tipo,medio,sexo,edad,fecha_curso,resolucion,fecha_resolucion,consejo\n"
#define DIF_HEADER "id,entidad,instancia,fecha,fecha_registro,tipo,alcance\n"

typedef struct seen_problem {
    uint64_t line;
    unsigned column;
    char *field;
    char *value;
    obs_level level;
    obs_reason reason;
    char *message;
    char *sheet;       /* a workbook's sheet, or NULL */
} seen_problem;

typedef struct harness {
    obs_catalog *cat;
    char *dir;
    GArray *problems;     /* seen_problem */
    GArray *solicitudes;  /* obs_solicitud (strings dropped) */
    GArray *acciones;     /* obs_accion */
    obs_file_stats stats;
    obs_error err;
} harness;

/* cmocka group setup/teardown: the catalogue of $OBSERVA_PLANTILLAS and a temporary directory. */
int harness_setup(void **state);
int harness_teardown(void **state);

/* Writes len bytes to a file of the temporary directory and ingests it (opts may be NULL).
 * Checks leídas = aceptadas + rechazadas when the read succeeds. */
obs_status ingest_bytes(harness *h, obs_file_kind kind, const char *data, size_t len,
                        const obs_ingest_options *opts);
obs_status ingest(harness *h, obs_file_kind kind, const char *data);

/* Problem i (fails the test if there are fewer). */
const seen_problem *problem(const harness *h, guint i);
/* Asserts exactly one problem, with this reason, at this line and field. */
void expect_one(harness *h, obs_reason reason, uint64_t line, const char *field);
/* expect_one(), and the row was rejected. */
void expect_rejected(harness *h, obs_reason reason, uint64_t line, const char *field);
/* Fails the test listing every problem seen, with a message. */
void dump_problems(const harness *h);
/* Solicitud / acción i accepted (fails the test if there are fewer). */
const obs_solicitud *solicitud(const harness *h, guint i);
const obs_accion *accion(const harness *h, guint i);

#endif /* OBSERVA_TEST_INGEST_HARNESS_H */
