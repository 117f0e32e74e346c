/* ingest_harness.c - shared fixture of the ingest tests: write bytes to a file, ingest it, look at what came out. */
#include "ingest_harness.h"
#include "scratch.h"

#include <glib/gstdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static void on_problem(void *ud, const obs_problem *p)
{
    harness *h = ud;
    seen_problem s = {p->line, p->column, g_strdup(p->field), g_strdup(p->value), p->level, p->reason,
                      g_strdup(p->message), g_strdup(p->sheet)};
    g_array_append_val(h->problems, s);
    assert_non_null(p->message);
    assert_true(strlen(p->message) > 10);
}

static void on_solicitud(void *ud, const obs_solicitud *s)
{
    harness *h = ud;
    obs_solicitud copy = *s;
    copy.causa = NULL;
    copy.organizacion = NULL;
    g_array_append_val(h->solicitudes, copy);
}

static void on_accion(void *ud, const obs_accion *a)
{
    harness *h = ud;
    g_array_append_val(h->acciones, *a);
}

int harness_setup(void **state)
{
    harness *h = g_new0(harness, 1);
    obs_error err;
    if (obs_catalog_load(g_getenv("OBSERVA_PLANTILLAS"), &h->cat, &err) != OBS_OK) {
        fprintf(stderr, "catalogue: %s\n", err.message);
        return -1;
    }
    h->dir = scratch_dir("ingest");
    h->problems = g_array_new(FALSE, TRUE, sizeof(seen_problem));
    h->solicitudes = g_array_new(FALSE, TRUE, sizeof(obs_solicitud));
    h->acciones = g_array_new(FALSE, TRUE, sizeof(obs_accion));
    *state = h;
    return 0;
}

static void reset(harness *h)
{
    for (guint i = 0; i < h->problems->len; i++) {
        g_free(g_array_index(h->problems, seen_problem, i).field);
        g_free(g_array_index(h->problems, seen_problem, i).value);
        g_free(g_array_index(h->problems, seen_problem, i).message);
        g_free(g_array_index(h->problems, seen_problem, i).sheet);
    }
    g_array_set_size(h->problems, 0);
    g_array_set_size(h->solicitudes, 0);
    g_array_set_size(h->acciones, 0);
    obs_file_stats_clear(&h->stats);
}

int harness_teardown(void **state)
{
    harness *h = *state;
    reset(h);
    g_array_free(h->problems, TRUE);
    g_array_free(h->solicitudes, TRUE);
    g_array_free(h->acciones, TRUE);
    scratch_remove(h->dir);
    obs_catalog_free(h->cat);
    g_free(h);
    return 0;
}

/* Writes `len` bytes of data to a file and ingests it. */
obs_status ingest_bytes(harness *h, obs_file_kind kind, const char *data, size_t len,
                               const obs_ingest_options *opts)
{
    reset(h);
    char *path = g_build_filename(h->dir, kind == OBS_FILE_SOLICITUDES ? "s.csv" : "d.csv", NULL);
    assert_true(g_file_set_contents(path, data, (gssize)len, NULL));
    obs_row_sink sink = {on_solicitud, on_accion, h};
    obs_status st = obs_ingest_file(path, kind, h->cat, opts, &sink, on_problem, h, &h->stats, &h->err);
    g_free(path);
    if (st == OBS_OK)
        assert_int_equal(h->stats.leidas, h->stats.aceptadas + h->stats.rechazadas);
    return st;
}

obs_status ingest(harness *h, obs_file_kind kind, const char *data)
{
    return ingest_bytes(h, kind, data, strlen(data), NULL);
}

/* Asserts exactly one problem, with this reason, at this line and field. */
void expect_one(harness *h, obs_reason reason, uint64_t line, const char *field)
{
    if (h->problems->len != 1) {
        dump_problems(h);
        fail_msg("expected 1 problem, got %u", h->problems->len);
    }
    seen_problem *p = &g_array_index(h->problems, seen_problem, 0);
    assert_int_equal(p->reason, reason);
    assert_int_equal(p->line, line);
    assert_string_equal(p->field, field);
    assert_int_equal(p->level, obs_reason_level(reason));
}

void expect_rejected(harness *h, obs_reason reason, uint64_t line, const char *field)
{
    expect_one(h, reason, line, field);
    assert_int_equal(h->stats.rechazadas, 1);
}


void dump_problems(const harness *h)
{
    for (guint i = 0; i < h->problems->len; i++) {
        const seen_problem *p = &g_array_index(h->problems, seen_problem, i);
        fprintf(stderr, "  problem %u: line %llu col %u field %s reason %d %s: %s\n", i, (unsigned long long)p->line,
                p->column, p->field, p->reason, p->level == OBS_LEVEL_ERROR ? "error" : "aviso", p->message);
    }
}

const seen_problem *problem(const harness *h, guint i)
{
    if (i >= h->problems->len) {
        dump_problems(h);
        fail_msg("expected a problem %u, there are %u", i, h->problems->len);
    }
    return &g_array_index(h->problems, seen_problem, i);
}

const obs_solicitud *solicitud(const harness *h, guint i)
{
    if (i >= h->solicitudes->len) {
        dump_problems(h);
        fail_msg("expected an accepted solicitud %u, there are %u", i, h->solicitudes->len);
    }
    return &g_array_index(h->solicitudes, obs_solicitud, i);
}

const obs_accion *accion(const harness *h, guint i)
{
    if (i >= h->acciones->len) {
        dump_problems(h);
        fail_msg("expected an accepted acción %u, there are %u", i, h->acciones->len);
    }
    return &g_array_index(h->acciones, obs_accion, i);
}
