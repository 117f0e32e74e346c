/* test_history.c - the SQLite history: migrations, drafts and publications, frozen figures, recovery of
 * interrupted runs, queries, kill -9, concurrency, a read-only file and a full disk. */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <setjmp.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "history/history_int.h"
#include "scratch.h"

typedef struct fixture {
    char *dir;
    char *path;
    obs_history *h;
} fixture;

static int setup(void **state)
{
    fixture *f = g_new0(fixture, 1);
    f->dir = scratch_dir("historial");
    f->path = g_build_filename(f->dir, "sub", "historial.sqlite", NULL);
    obs_error err;
    if (obs_history_open(f->path, &f->h, &err) != OBS_OK) {
        fprintf(stderr, "%s\n", err.message);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    obs_history_close(f->h);
    scratch_remove(f->dir);
    g_free(f->path);
    g_free(f);
    return 0;
}

static obs_day day(const char *iso)
{
    return obs_day_parse_iso(iso);
}

/* Where a run puts its set, and the SHA-256 of the manifest.json it writes there. */
typedef struct place {
    const char *folder;
    const char *manifest_sha;
} place;

/* What the next begin() records besides informe.pdf and manifest.json, and its options (NULL: the
 * defaults): a test of replacements sets them. */
static const obs_history_output *next_outputs;
static size_t next_noutputs;
static const char *next_opciones;

/* A run of corte `corte` (its set at `at`, which may be NULL) with total solicitudes, flagged OPLs
 * and their letters; left en_curso. */
static int64_t begin(obs_history *h, const char *corte, int64_t total, const int *flagged, size_t nflagged,
                     bool per_opl_letters, const place *at)
{
    obs_history_input in[] = {{"solicitudes", "s.csv", 100, "ab", 10, 9, 1, 0, 8, 1},
                              {"difusion", "d.csv", 50, "cd", 5, 5, 0, 1, 5, 0}};
    obs_history_metric m[] = {
        {0, "solicitudes.total", total},     {0, "solicitudes.aprobadas", total / 2},
        {0, "difusion.instancia.opl", 40},   {15, "solicitudes.total", total - 1},
        {9, "solicitudes.total", 1},
    };
    obs_history_flag fl[4];
    obs_history_oficio of[5];
    size_t noficios = 0;
    for (size_t i = 0; i < nflagged; i++)
        fl[i] = (obs_history_flag){flagged[i], (int64_t)i};
    if (nflagged)
        of[noficios++] = (obs_history_oficio){"INE/DEOE/0100/2024", day(corte) + 5, 0, "oficio.pdf", "ee"};
    for (size_t i = 0; per_opl_letters && i < nflagged; i++) {
        char num[32];
        g_snprintf(num, sizeof num, "INE/DEOE/%04zu/2024", 101 + i);
        of[noficios++] = (obs_history_oficio){g_intern_string(num), day(corte) + 6, flagged[i], "oficio_opl/x.pdf", "ff"};
    }
    obs_history_output out[8] = {{"informe.pdf", "informe-pdf", 0, 1234, "99"},
                                 {"manifest.json", "manifiesto", 0, 10, at ? at->manifest_sha : "0"}};
    size_t nout = 2;
    for (size_t i = 0; i < next_noutputs && nout < G_N_ELEMENTS(out); i++)
        out[nout++] = next_outputs[i];
    obs_history_run r = {
        .comando = "lote", .opciones = next_opciones ? next_opciones : "{\"corte\":\"x\"}", .version = "0.1.0", .carpeta = at ? at->folder : "/nada",
        .corte = day(corte), .corte_anterior = day("2023-01-01"), .umbral_minimo = 5, .fraccion_mediana = 0.5,
        .mediana = 10, .umbral = 5, .entradas = in, .nentradas = 2, .metricas = m, .nmetricas = G_N_ELEMENTS(m),
        .senalados = fl, .nsenalados = nflagged, .oficios = of, .noficios = noficios, .salidas = out, .nsalidas = nout,
    };
    int64_t id = 0;
    obs_error err;
    assert_int_equal(obs_history_begin(h, &r, &id, &err), OBS_OK);
    assert_true(id > 0);
    return id;
}

/* begin() and then the documents are in place: a draft (its folder, next to the history file, holds
 * the manifest.json it recorded, so that it can be published). */
static int64_t record(obs_history *h, const char *corte, int64_t total, const int *flagged, size_t nflagged,
                      bool per_opl_letters)
{
    static unsigned n;
    char *base = g_path_get_dirname(obs_history_path(h));
    char *name = g_strdup_printf("conjunto-%u", ++n);
    char *folder = g_build_filename(base, name, NULL);
    char *manifest = g_build_filename(folder, "manifest.json", NULL);
    char *text = g_strdup_printf("{\"conjunto\": %u}", n);
    g_mkdir_with_parents(folder, 0700);
    assert_true(g_file_set_contents(manifest, text, -1, NULL));
    char *sha = g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, -1);
    place at = {folder, sha};
    int64_t id = begin(h, corte, total, flagged, nflagged, per_opl_letters, &at);
    g_free(sha);
    g_free(text);
    g_free(manifest);
    g_free(folder);
    g_free(name);
    g_free(base);
    obs_error err;
    assert_int_equal(obs_history_finish(h, id, true, &err), OBS_OK);
    return id;
}

static obs_history_state state_of(obs_history *h, int64_t id)
{
    obs_history_detail *d;
    obs_error err;
    assert_int_equal(obs_history_show(h, id, &d, &err), OBS_OK);
    obs_history_state s = d->entry.estado;
    obs_history_detail_free(d);
    return s;
}

static void collect(const obs_history_entry *e, void *ud)
{
    g_array_append_val((GArray *)ud, *e);
}

static GArray *list(obs_history *h)
{
    GArray *a = g_array_new(FALSE, TRUE, sizeof(obs_history_entry));
    obs_error err;
    assert_int_equal(obs_history_list(h, collect, a, &err), OBS_OK);
    return a;
}

/* Runs raw SQL on the history file as another program could; returns the SQLite code. */
static int raw_sql(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

/* The first column of the first row of sql, on the file as another program reads it. */
static int64_t raw_int(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* ---- Opening and migrations -------------------------------------------------------------------- */

/* The schema version this observa writes: one per step of history_migrations[]. */
#define LATEST ((int64_t)history_nmigrations)

static void test_open_creates_and_migrates(void **state)
{
    fixture *f = *state;
    assert_true(g_file_test(f->path, G_FILE_TEST_IS_REGULAR));
    assert_int_equal(raw_int(f->path, "PRAGMA user_version"), LATEST);
    assert_int_equal(raw_int(f->path, "PRAGMA application_id"), 0x4F425356);
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);
    /* Opening again keeps what was recorded. */
    int64_t id = record(f->h, "2024-01-19", 10, NULL, 0, false);
    obs_history_close(f->h);
    obs_error err;
    assert_int_equal(obs_history_open(f->path, &f->h, &err), OBS_OK);
    obs_history_detail *d;
    assert_int_equal(obs_history_show(f->h, id, &d, &err), OBS_OK);
    assert_int_equal(d->entry.solicitudes, 10);
    assert_int_equal(d->nentradas, 2);
    assert_string_equal(d->entradas[1].ruta, "d.csv");
    assert_int_equal(d->nsalidas, 2);
    obs_history_detail_free(d);
    assert_int_equal(obs_history_check(f->h, &err), OBS_OK);
}

/* A version 0 file (an empty SQLite database, as a program that only opened it leaves) is migrated. */
static void test_version_0_file_is_migrated(void **state)
{
    fixture *f = *state;
    char *path = g_build_filename(f->dir, "v0.sqlite", NULL);
    assert_int_equal(raw_sql(path, "PRAGMA user_version = 0"), SQLITE_OK);
    obs_history *h;
    obs_error err;
    assert_int_equal(obs_history_open(path, &h, &err), OBS_OK);
    record(h, "2024-01-19", 3, NULL, 0, false);
    obs_history_close(h);
    assert_int_equal(raw_int(path, "PRAGMA user_version"), LATEST);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM corrida"), 1);
    g_free(path);
}

/* A fake next version (a table), as one function and one row, the way version 2 was added. */
static int fake_next(sqlite3 *db)
{
    return history_exec(db, "CREATE TABLE prueba_siguiente (id INTEGER PRIMARY KEY, x INTEGER NOT NULL) STRICT");
}

/* The known steps and one more (g_free). */
static history_migration *with_next(int (*apply)(sqlite3 *db))
{
    history_migration *m = g_new0(history_migration, history_nmigrations + 1);
    memcpy(m, history_migrations, history_nmigrations * sizeof *m);
    m[history_nmigrations] = (history_migration){(int)history_nmigrations + 1, apply};
    return m;
}

/* A next version that fails halfway: nothing of it may stay. */
static int broken_next(sqlite3 *db)
{
    int rc = history_exec(db, "CREATE TABLE a_medias (x INTEGER) STRICT");
    return rc == SQLITE_OK ? history_exec(db, "CREATE TABLE corrida (y INTEGER)") : rc;
}

static void test_a_new_version_is_one_migration(void **state)
{
    fixture *f = *state;
    int64_t id = record(f->h, "2024-01-19", 10, NULL, 0, false);
    obs_history_close(f->h);
    f->h = NULL;
    history_migration *next = with_next(fake_next);
    obs_error err;
    assert_int_equal(history_open_with(f->path, next, history_nmigrations + 1, &f->h, &err), OBS_OK);
    g_free(next);
    assert_int_equal(raw_int(f->path, "PRAGMA user_version"), LATEST + 1);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_schema WHERE name = 'prueba_siguiente'"), 1);
    assert_int_equal(state_of(f->h, id), OBS_HIST_BORRADOR);
    obs_history_close(f->h);
    f->h = NULL;
    /* This observa does not know that version: such a file is not touched. */
    assert_int_equal(obs_history_open(f->path, &f->h, &err), OBS_ERR_CONFIG);
    assert_non_null(strstr(err.message, "versión más nueva"));
    assert_null(f->h);
}

static void test_a_failed_migration_changes_nothing(void **state)
{
    fixture *f = *state;
    obs_history_close(f->h);
    f->h = NULL;
    history_migration *next = with_next(broken_next);
    obs_error err;
    assert_int_not_equal(history_open_with(f->path, next, history_nmigrations + 1, &f->h, &err), OBS_OK);
    assert_null(f->h);
    char *says = g_strdup_printf("versión %d", (int)LATEST + 1);
    assert_non_null(strstr(err.message, says));
    g_free(says);
    assert_int_equal(raw_int(f->path, "PRAGMA user_version"), LATEST);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_schema WHERE name = 'a_medias'"), 0);
    /* From version 0 every step runs in one transaction: a failure in the last undoes the others. */
    char *fresh = g_build_filename(f->dir, "nuevo.sqlite", NULL);
    assert_int_not_equal(history_open_with(fresh, next, history_nmigrations + 1, &f->h, &err), OBS_OK);
    g_free(next);
    assert_int_equal(raw_int(fresh, "PRAGMA user_version"), 0);
    assert_int_equal(raw_int(fresh, "SELECT count(*) FROM sqlite_schema"), 0);
    g_free(fresh);
    assert_int_equal(obs_history_open(f->path, &f->h, &err), OBS_OK);
}

static void test_foreign_or_newer_files_are_refused(void **state)
{
    fixture *f = *state;
    char *other = g_build_filename(f->dir, "otra.sqlite", NULL);
    assert_int_equal(raw_sql(other, "CREATE TABLE clientes (nombre TEXT)"), SQLITE_OK);
    obs_history *h = NULL;
    obs_error err;
    assert_int_equal(obs_history_open(other, &h, &err), OBS_ERR_CONFIG);
    assert_non_null(strstr(err.message, "no es un historial"));
    assert_null(h);
    char *newer = g_build_filename(f->dir, "nueva.sqlite", NULL);
    assert_int_equal(raw_sql(newer, "PRAGMA application_id = 1329746774; PRAGMA user_version = 99"), SQLITE_OK);
    assert_int_equal(obs_history_open(newer, &h, &err), OBS_ERR_CONFIG);
    assert_non_null(strstr(err.message, "versión más nueva"));
    char *text = g_build_filename(f->dir, "texto.sqlite", NULL);
    assert_true(g_file_set_contents(text, "esto no es SQLite, es un texto cualquiera que ocupa un poco", -1, NULL));
    assert_int_equal(obs_history_open(text, &h, &err), OBS_ERR_CONFIG);
    /* A folder that cannot be made: a regular file stands where it should be (so even as root). */
    char *blocked = g_build_filename(text, "historial.sqlite", NULL);
    assert_int_equal(obs_history_open(blocked, &h, &err), OBS_ERR_CANTCREAT);
    g_free(blocked);
    g_free(other);
    g_free(newer);
    g_free(text);
}

/* A read-only file (as a user who may not write it: root may write anything, so the check runs as
 * nobody) is refused at open with 73, before any run is recorded. */
static void test_read_only_file_is_refused(void **state)
{
    fixture *f = *state;
    record(f->h, "2024-01-19", 10, NULL, 0, false);
    obs_history_close(f->h);
    f->h = NULL;
    char *sub = g_path_get_dirname(f->path);
    assert_int_equal(g_chmod(f->dir, 0755), 0);
    assert_int_equal(g_chmod(sub, 0755), 0);
    assert_int_equal(g_chmod(f->path, 0444), 0);
    g_free(sub); /* (nothing of the parent's may be lost in the child under valgrind) */
    pid_t pid = fork();
    if (pid == 0) {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(3);
        obs_history *h;
        obs_error err;
        obs_status st = obs_history_open(f->path, &h, &err);
        _exit(st == OBS_ERR_CANTCREAT && strstr(err.message, "sólo lectura") ? 0 : 1);
    }
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(g_chmod(f->path, 0644), 0);
    obs_error err;
    assert_int_equal(obs_history_open(f->path, &f->h, &err), OBS_OK);
}

/* ---- Drafts, publications and frozen figures ------------------------------------------------------ */

static void test_drafts_publications_and_vintages(void **state)
{
    fixture *f = *state;
    obs_error err;
    int64_t a = record(f->h, "2024-01-19", 10, NULL, 0, false);
    int64_t b = record(f->h, "2024-01-19", 12, NULL, 0, false);
    int64_t latest = 0;
    assert_int_equal(obs_history_latest_draft(f->h, day("2024-01-19"), &latest, &err), OBS_OK);
    assert_int_equal(latest, b);
    assert_int_equal(obs_history_latest_draft(f->h, day("2024-01-20"), &latest, &err), OBS_OK);
    assert_int_equal(latest, 0);
    assert_int_equal(obs_history_publish(f->h, a, false, &err), OBS_OK);
    /* One publication per corte: the second needs --reemplazar, and names the first. */
    assert_int_equal(obs_history_publish(f->h, b, false, &err), OBS_ERR_USAGE);
    assert_non_null(strstr(err.message, "--reemplazar"));
    assert_int_equal(obs_history_publish(f->h, a, false, &err), OBS_ERR_USAGE); /* not a draft */
    assert_int_equal(obs_history_publish(f->h, 999, false, &err), OBS_ERR_USAGE);
    assert_int_equal(obs_history_publish(f->h, b, true, &err), OBS_OK);
    GArray *all = list(f->h);
    assert_int_equal(all->len, 2);
    obs_history_entry *eb = &g_array_index(all, obs_history_entry, 0), *ea = &g_array_index(all, obs_history_entry, 1);
    assert_int_equal(eb->id, b); /* newest first */
    assert_int_equal(ea->estado, OBS_HIST_SUSTITUIDA);
    assert_int_equal(ea->sustituida_por, b);
    assert_int_equal(eb->estado, OBS_HIST_PUBLICADA);
    assert_int_equal(eb->sustituye, a);
    assert_true(eb->publicada > 0);
    assert_int_equal(eb->solicitudes, 12);
    assert_string_equal(eb->comando, "lote");
    g_array_free(all, TRUE);
    /* The superseded vintage stays, and cannot be published again. */
    assert_int_equal(obs_history_publish(f->h, a, true, &err), OBS_ERR_USAGE);
    assert_non_null(strstr(err.message, "sustituida"));
}

/* A replacement must carry every kind of document its publication carried, or the OPLs would lose
 * them; a kind it asked for and did not write (no OPL flagged any more) is not missing. */
static void test_a_replacement_carries_the_publications_documents(void **state)
{
    fixture *f = *state;
    obs_error err;
    const obs_history_output full[] = {{"informe.xlsx", "informe-xlsx", 0, 10, "a1"},
                                       {"opl/15_IEEM.pdf", "opl-pdf", 15, 10, "a2"},
                                       {"oficio.pdf", "oficio-pdf", 0, 10, "a3"},
                                       {"oficio_opl/15_IEEM.pdf", "oficio-opl-pdf", 15, 10, "a4"},
                                       {"metricas.csv", "metricas", 0, 10, "a5"}};
    next_outputs = full;
    next_noutputs = G_N_ELEMENTS(full);
    next_opciones = "{\"documentos\":[\"informe\",\"opl\",\"oficio\",\"oficio_opl\",\"metricas\"]}";
    int64_t published = record(f->h, "2024-01-19", 10, NULL, 0, false);
    assert_int_equal(obs_history_publish(f->h, published, false, &err), OBS_OK);
    /* Only the informe (PDF, no XLSX: the kind is there), asked for alone. */
    next_outputs = NULL;
    next_noutputs = 0;
    next_opciones = "{\"documentos\":[\"informe\"]}";
    int64_t lacking = record(f->h, "2024-01-19", 11, NULL, 0, false);
    assert_int_equal(obs_history_publish(f->h, lacking, true, &err), OBS_ERR_USAGE);
    assert_int_equal(obs_status_exit_code(err.code), 64);
    assert_non_null(strstr(err.message, "resúmenes por OPL, oficio de exhorto, oficios a cada OPL, metricas.csv"));
    assert_null(strstr(err.message, "(informe"));
    assert_int_equal(state_of(f->h, published), OBS_HIST_PUBLICADA);
    assert_int_equal(state_of(f->h, lacking), OBS_HIST_BORRADOR);
    /* Everything asked for; the letters not written (no OPL flagged at its corte now). */
    const obs_history_output no_letters[] = {{"opl/15_IEEM.pdf", "opl-pdf", 15, 10, "b2"},
                                             {"metricas.csv", "metricas", 0, 10, "b5"}};
    next_outputs = no_letters;
    next_noutputs = G_N_ELEMENTS(no_letters);
    next_opciones = "{\"documentos\":[\"informe\",\"opl\",\"oficio\",\"oficio_opl\",\"metricas\"]}";
    int64_t corrected = record(f->h, "2024-01-19", 12, NULL, 0, false);
    next_outputs = NULL;
    next_noutputs = 0;
    next_opciones = NULL;
    assert_int_equal(obs_history_publish(f->h, corrected, true, &err), OBS_OK);
    assert_int_equal(state_of(f->h, published), OBS_HIST_SUSTITUIDA);
}

static void test_runs_in_progress_or_failed_cannot_be_published(void **state)
{
    fixture *f = *state;
    obs_error err;
    int64_t id = begin(f->h, "2024-02-01", 5, NULL, 0, false, NULL);
    assert_int_equal(obs_history_publish(f->h, id, false, &err), OBS_ERR_USAGE);
    assert_non_null(strstr(err.message, "en_curso"));
    assert_int_equal(obs_history_finish(f->h, id, false, &err), OBS_OK);
    assert_int_equal(state_of(f->h, id), OBS_HIST_FALLIDA);
    assert_int_equal(obs_history_publish(f->h, id, false, &err), OBS_ERR_USAGE);
    /* Finishing again does not revive it. */
    assert_int_equal(obs_history_finish(f->h, id, true, &err), OBS_OK);
    assert_int_equal(state_of(f->h, id), OBS_HIST_FALLIDA);
}

/* Published figures are never updated: not by observa, not by hand. */
static void test_published_figures_are_frozen(void **state)
{
    fixture *f = *state;
    obs_error err;
    int64_t draft = record(f->h, "2024-01-19", 10, NULL, 0, false);
    int64_t pub = record(f->h, "2024-02-01", 20, (const int[]){4}, 1, false);
    assert_int_equal(obs_history_publish(f->h, pub, false, &err), OBS_OK);
    static const char *const changes[] = {
        "UPDATE metrica SET valor = valor + 1 WHERE corrida = {id}",
        "DELETE FROM metrica WHERE corrida = {id}",
        "INSERT INTO metrica VALUES ({id}, 1, 'solicitudes.sexo.mujer', 5)",
        "UPDATE corrida SET corte = '2024-02-02' WHERE id = {id}",
        "UPDATE corrida SET estado = 'borrador' WHERE id = {id}",
        "UPDATE corrida SET estado = 'sustituida', umbral = 1 WHERE id = {id}",
        "DELETE FROM corrida WHERE id = {id}",
        "UPDATE senalado SET acciones = 99 WHERE corrida = {id}",
        "DELETE FROM oficio WHERE corrida = {id}",
        "UPDATE entrada SET leidas = 0 WHERE corrida = {id}",
        "DELETE FROM salida WHERE corrida = {id}",
        "INSERT INTO senalado VALUES ({id}, 7, 1)",
        /* Which run is the publication changes only through obs_history_publish(). */
        "UPDATE corrida SET estado = 'sustituida' WHERE id = {id}",
        ("INSERT INTO corrida (cuando, comando, opciones, version, carpeta, corte, estado, publicada)"
         " VALUES (0, 'x', '{}', '0', '/', '2024-03-01', 'publicada', 0)"),
    };
    for (size_t i = 0; i < G_N_ELEMENTS(changes); i++) {
        char *id = g_strdup_printf("%" G_GINT64_FORMAT, pub);
        GString *q = g_string_new(changes[i]);
        g_string_replace(q, "{id}", id, 0);
        char *sql = g_string_free(q, FALSE);
        g_free(id);
        if (raw_sql(f->path, sql) != SQLITE_CONSTRAINT)
            fail_msg("a published run was changed by: %s", sql);
        g_free(sql);
    }
    /* A draft is still the user's; a failed run cannot jump to published. */
    char *sql = g_strdup_printf("UPDATE metrica SET valor = 0 WHERE corrida = %" G_GINT64_FORMAT, draft);
    assert_int_equal(raw_sql(f->path, sql), SQLITE_OK);
    g_free(sql);
    int64_t lost = begin(f->h, "2024-03-01", 1, NULL, 0, false, NULL);
    assert_int_equal(obs_history_finish(f->h, lost, false, &err), OBS_OK);
    sql = g_strdup_printf("UPDATE corrida SET estado = 'publicada' WHERE id = %" G_GINT64_FORMAT, lost);
    assert_int_equal(raw_sql(f->path, sql), SQLITE_CONSTRAINT);
    g_free(sql);
    obs_history_detail *d;
    assert_int_equal(obs_history_show(f->h, pub, &d, &err), OBS_OK);
    assert_int_equal(d->entry.solicitudes, 20);
    assert_int_equal(d->nsenalados, 1);
    assert_int_equal(d->senalados[0].entidad, 4);
    obs_history_detail_free(d);
    assert_int_equal(obs_history_check(f->h, &err), OBS_OK);
}

static void append_line(const char *line, void *ud)
{
    g_string_append(ud, line);
}

static void test_export_lists_published_metrics(void **state)
{
    fixture *f = *state;
    obs_error err;
    int64_t a = record(f->h, "2024-01-19", 10, NULL, 0, false);
    record(f->h, "2024-02-01", 20, NULL, 0, false); /* a draft */
    int64_t before = g_get_real_time() / G_USEC_PER_SEC;
    assert_int_equal(obs_history_publish(f->h, a, false, &err), OBS_OK);
    int64_t after = g_get_real_time() / G_USEC_PER_SEC;
    GString *out = g_string_new(NULL);
    assert_int_equal(obs_history_export(f->h, append_line, out, &err), OBS_OK);
    char **lines = g_strsplit(out->str, "\n", -1);
    assert_string_equal(lines[0], OBS_HISTORY_EXPORT_HEADER);
    assert_int_equal(g_strv_length(lines), 1 + 5 + 1);
    /* The day of publication in central Mexico (UTC-6; it was 6 hours early once). */
    char d0[16], d1[16];
    obs_day_iso(obs_day_from_unix(before), d0, sizeof d0);
    obs_day_iso(obs_day_from_unix(after), d1, sizeof d1);
    char *p0 = g_strdup_printf("2024-01-19,%s,", d0), *p1 = g_strdup_printf("2024-01-19,%s,", d1);
    if (!g_str_has_prefix(lines[1], p0) && !g_str_has_prefix(lines[1], p1))
        fail_msg("%s: expected the day %s", lines[1], d0);
    g_free(p0);
    g_free(p1);
    char *prefix = g_strdup_printf("2024-01-19,");
    assert_true(g_str_has_prefix(lines[1], prefix));
    assert_non_null(strstr(lines[1], ",00,difusion.instancia.opl,40"));
    assert_non_null(strstr(lines[5], ",15,solicitudes.total,9"));
    g_free(prefix);
    g_strfreev(lines);
    g_string_free(out, TRUE);
}

/* ---- Interrupted runs ------------------------------------------------------------------------------- */

/* A child process begins a run and dies before finishing it; the run's id. */
static int64_t begin_and_die(const char *path, const place *at)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
        obs_history *h;
        obs_error err;
        if (obs_history_open(path, &h, &err) != OBS_OK)
            _exit(2);
        int64_t id = begin(h, "2024-03-01", 7, NULL, 0, false, at);
        if (write(fds[1], &id, sizeof id) != sizeof id)
            _exit(3);
        kill(getpid(), SIGKILL); /* no finish, no close */
    }
    close(fds[1]);
    int64_t id = 0;
    assert_int_equal(read(fds[0], &id, sizeof id), sizeof id);
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    return id;
}

static void test_interrupted_runs_are_recovered_at_open(void **state)
{
    fixture *f = *state;
    const char *written = "{\"herramienta\": \"observa\", \"estado\": 0}\n";
    char *sha = g_compute_checksum_for_string(G_CHECKSUM_SHA256, written, -1);
    /* Its folder has the manifest it recorded: the set was published, the run is a draft. */
    char *folder = g_build_filename(f->dir, "salida", NULL);
    g_mkdir_with_parents(folder, 0755);
    g_free(scratch_write(folder, "manifest.json", written));
    place done = {folder, sha};
    int64_t published = begin_and_die(f->path, &done);
    /* Its folder still has the previous set's manifest: the run failed. */
    char *other = g_build_filename(f->dir, "otra", NULL);
    g_mkdir_with_parents(other, 0755);
    g_free(scratch_write(other, "manifest.json", "{\"herramienta\": \"observa\"}\n"));
    place lost_at = {other, sha};
    int64_t lost = begin_and_die(f->path, &lost_at);
    /* A run of this very process, still going: never touched. */
    int64_t mine = begin(f->h, "2024-03-02", 3, NULL, 0, false, &lost_at);
    assert_int_equal(state_of(f->h, lost), OBS_HIST_EN_CURSO);
    obs_history *h;
    obs_error err;
    assert_int_equal(obs_history_open(f->path, &h, &err), OBS_OK);
    assert_int_equal(state_of(h, published), OBS_HIST_BORRADOR);
    assert_int_equal(state_of(h, lost), OBS_HIST_FALLIDA);
    assert_int_equal(state_of(h, mine), OBS_HIST_EN_CURSO);
    assert_int_equal(obs_history_check(h, &err), OBS_OK);
    obs_history_close(h);
    g_free(folder);
    g_free(other);
    g_free(sha);
}

/* A run killed in the middle of recording leaves nothing half-written. */
static void test_kill_during_recording_leaves_a_clean_file(void **state)
{
    fixture *f = *state;
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    GArray *m = g_array_new(FALSE, TRUE, sizeof(obs_history_metric));
    for (int i = 0; i < 33 * 2000; i++) {
        if (i < 2000)
            g_ptr_array_add(names, g_strdup_printf("metrica.%d", i));
        obs_history_metric x = {i / 2000, names->pdata[i % 2000], i};
        g_array_append_val(m, x);
    }
    for (int round = 0; round < 8; round++) {
        pid_t pid = fork();
        if (pid == 0) {
            obs_history *h;
            obs_error err;
            if (obs_history_open(f->path, &h, &err) != OBS_OK)
                _exit(2);
            obs_history_run r = {.comando = "lote", .version = "0", .carpeta = "/nada", .corte = day("2024-03-01"),
                                 .metricas = (obs_history_metric *)(void *)m->data, .nmetricas = m->len};
            for (;;) {
                int64_t id;
                if (obs_history_begin(h, &r, &id, &err) == OBS_OK)
                    obs_history_finish(h, id, true, &err);
            }
        }
        g_usleep((gulong)(10000 + round * 23000));
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        obs_history *h;
        obs_error err;
        assert_int_equal(obs_history_open(f->path, &h, &err), OBS_OK);
        assert_int_equal(obs_history_check(h, &err), OBS_OK);
        /* Every run recorded has all its metrics: a transaction is whole or absent. */
        assert_int_equal(raw_int(f->path, "SELECT count(*) FROM (SELECT corrida FROM metrica GROUP BY corrida"
                                          " HAVING count(*) <> 66000)"),
                         0);
        assert_int_equal(raw_int(f->path, "SELECT count(*) FROM corrida WHERE estado = 'en_curso'"), 0);
        obs_history_close(h);
    }
    g_array_free(m, TRUE);
    g_ptr_array_free(names, TRUE);
}

/* Runs recording at once on one history: each waits for the other; all are recorded. */
static void test_concurrent_runs_are_serialized(void **state)
{
    fixture *f = *state;
    pid_t kids[3];
    for (int k = 0; k < 3; k++) {
        kids[k] = fork();
        if (kids[k] == 0) {
            obs_history *h;
            obs_error err;
            if (obs_history_open(f->path, &h, &err) != OBS_OK)
                _exit(2);
            for (int i = 0; i < 20; i++) {
                int64_t id = begin(h, "2024-04-01", i, NULL, 0, false, NULL);
                if (obs_history_finish(h, id, true, &err) != OBS_OK)
                    _exit(3);
            }
            obs_history_close(h);
            _exit(0);
        }
    }
    for (int k = 0; k < 3; k++) {
        int status;
        waitpid(kids[k], &status, 0);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    GArray *all = list(f->h);
    assert_int_equal(all->len, 60);
    for (guint i = 0; i < all->len; i++)
        assert_int_equal(g_array_index(all, obs_history_entry, i).estado, OBS_HIST_BORRADOR);
    g_array_free(all, TRUE);
}

/* A full disk while recording (a file size limit with SIGXFSZ ignored: writes fail with EFBIG):
 * 74, and nothing of the run is recorded. */
static void test_full_disk_records_nothing(void **state)
{
    fixture *f = *state;
    record(f->h, "2024-01-19", 10, NULL, 0, false);
    pid_t pid = fork();
    if (pid == 0) {
        obs_history *h;
        obs_error err;
        if (obs_history_open(f->path, &h, &err) != OBS_OK)
            _exit(2);
        GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
        GArray *m = g_array_new(FALSE, TRUE, sizeof(obs_history_metric));
        for (int i = 0; i < 20000; i++) {
            g_ptr_array_add(names, g_strdup_printf("metrica.%d", i));
            obs_history_metric x = {i % 33, names->pdata[i], i};
            g_array_append_val(m, x);
        }
        obs_history_run r = {.comando = "lote", .version = "0", .carpeta = "/nada", .corte = day("2024-03-01"),
                             .metricas = (obs_history_metric *)(void *)m->data, .nmetricas = m->len};
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit lim = {64 * 1024, 64 * 1024};
        if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
            _exit(4);
        int64_t id;
        obs_status st = obs_history_begin(h, &r, &id, &err);
        obs_history_close(h);
        g_array_free(m, TRUE);
        g_ptr_array_free(names, TRUE);
        _exit(st == OBS_ERR_IO && id == 0 ? 0 : 1);
    }
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    obs_error err;
    assert_int_equal(obs_history_check(f->h, &err), OBS_OK);
    GArray *all = list(f->h);
    assert_int_equal(all->len, 1);
    g_array_free(all, TRUE);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM metrica"), 5);
}

static void count_entry(const obs_history_entry *e, void *ud)
{
    (void)e;
    (*(int *)ud)++;
}

/* Reading only: the file is listed as it is, nothing in it changes; an older schema is not read. */
static void test_open_read_changes_nothing(void **state)
{
    fixture *f = *state;
    record(f->h, "2024-01-19", 10, NULL, 0, false);
    obs_history_close(f->h);
    f->h = NULL;
    char *before = NULL, *after = NULL;
    gsize lb = 0, la = 0;
    assert_true(g_file_get_contents(f->path, &before, &lb, NULL));
    obs_history *h = NULL;
    obs_error err;
    assert_int_equal(obs_history_open_read(f->path, &h, &err), OBS_OK);
    int n = 0;
    assert_int_equal(obs_history_list(h, count_entry, &n, &err), OBS_OK);
    assert_int_equal(n, 1);
    obs_history_close(h);
    assert_true(g_file_get_contents(f->path, &after, &la, NULL));
    assert_true(lb == la && memcmp(before, after, lb) == 0);
    g_free(before);
    g_free(after);
    char *old = g_build_filename(f->dir, "v1.sqlite", NULL);
    assert_int_equal(history_open_with(old, history_migrations, 1, &h, &err), OBS_OK);
    obs_history_close(h);
    assert_int_equal(obs_history_open_read(old, &h, &err), OBS_ERR_CONFIG);
    assert_non_null(strstr(err.message, "versión anterior"));
    char *none = g_build_filename(f->dir, "no-existe.sqlite", NULL);
    assert_int_equal(obs_history_open_read(none, &h, &err), OBS_ERR_NOINPUT);
    assert_false(g_file_test(none, G_FILE_TEST_EXISTS));
    g_free(none);
    g_free(old);
}

/* A draft whose folder no longer holds its documents (its manifest.json changed) is not published. */
static void test_publication_needs_the_documents_in_place(void **state)
{
    fixture *f = *state;
    char *folder = g_build_filename(f->dir, "movido", NULL);
    char *manifest = g_build_filename(folder, "manifest.json", NULL);
    g_mkdir_with_parents(folder, 0700);
    assert_true(g_file_set_contents(manifest, "{\"otro\": 1}", -1, NULL));
    place at = {folder, "00"};
    int64_t id = begin(f->h, "2024-01-19", 10, NULL, 0, false, &at);
    obs_error err;
    assert_int_equal(obs_history_finish(f->h, id, true, &err), OBS_OK);
    assert_int_equal(obs_history_publish(f->h, id, false, &err), OBS_ERR_USAGE);
    assert_non_null(strstr(err.message, "ya no están"));
    assert_int_equal(state_of(f->h, id), OBS_HIST_BORRADOR);
    g_free(manifest);
    g_free(folder);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_creates_and_migrates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_read_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_publication_needs_the_documents_in_place, setup, teardown),
        cmocka_unit_test_setup_teardown(test_version_0_file_is_migrated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_new_version_is_one_migration, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_failed_migration_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_or_newer_files_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_only_file_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_drafts_publications_and_vintages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_replacement_carries_the_publications_documents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runs_in_progress_or_failed_cannot_be_published, setup, teardown),
        cmocka_unit_test_setup_teardown(test_published_figures_are_frozen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_lists_published_metrics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interrupted_runs_are_recovered_at_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kill_during_recording_leaves_a_clean_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_runs_are_serialized, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_disk_records_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
