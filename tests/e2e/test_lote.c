/* test_lote.c - the unattended set: per-OPL isolation, oficio, manifest, lock, atomic writes, determinism. */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "observa/catalog.h"
#include "cli_run.h"
#include "scratch.h"

static obs_catalog *cat;

/* Runs `observa lote` on the basico case into out (extra args appended). */
static result lote(const char *out, const char *const *extra)
{
    char *dir = case_dir("basico");
    char *ini = g_build_filename(dir, "lote.ini", NULL);
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, (char *)observa_bin());
    g_ptr_array_add(argv, "lote");
    g_ptr_array_add(argv, "--config");
    g_ptr_array_add(argv, ini);
    g_ptr_array_add(argv, "-o");
    g_ptr_array_add(argv, (char *)out);
    g_ptr_array_add(argv, "-q");
    for (size_t i = 0; extra && extra[i]; i++)
        g_ptr_array_add(argv, (char *)extra[i]);
    g_ptr_array_add(argv, NULL);
    result r = run("/", (char **)argv->pdata, NULL);
    g_ptr_array_free(argv, TRUE);
    g_free(ini);
    g_free(dir);
    return r;
}

typedef struct fixture {
    char *tmp;
    char *out;
} fixture;

static int setup(void **state)
{
    fixture *f = g_new0(fixture, 1);
    f->tmp = scratch_dir("lote");
    f->out = g_build_filename(f->tmp, "salida", NULL);
    result r = lote(f->out, NULL);
    int rc = r.status;
    if (rc != 0)
        fprintf(stderr, "lote failed (%d): %s\n", rc, r.err);
    result_clear(&r);
    *state = f;
    return rc == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    remove_tree(f->tmp);
    g_free(f->out);
    g_free(f->tmp);
    g_free(f);
    return 0;
}

static bool is_word_char(unsigned char c)
{
    return g_ascii_isalnum(c) || c >= 0x80;
}

/* True when `word` occurs in text with no letter or digit right before or after it. */
static bool has_word(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = strstr(text, word); p; p = strstr(p + 1, word)) {
        bool before = p > text && is_word_char((unsigned char)p[-1]);
        bool after = is_word_char((unsigned char)p[n]);
        if (!before && !after)
            return true;
    }
    return false;
}

/* Blanks every occurrence of s in text (so an entidad's own names cannot hide inside others'). */
static void blank_out(char *text, const char *s)
{
    size_t n = strlen(s);
    for (char *p = strstr(text, s); p; p = strstr(p + n, s))
        memset(p, ' ', n);
}

/* Fails if `text`, the contents of a file for entidad `own`, names any other entidad or OPL. */
static void assert_only_own_entidad(const char *file, char *text, int own)
{
    /* The letters' place of issue comes from [oficio] lugar: INE's seat, not another entidad's data. */
    blank_out(text, "Ciudad de México, 28 de octubre de 2023");
    const obs_entidad *me = obs_catalog_entidad(cat, own);
    const char *mine[] = {me->opl_nombre, me->nombre_oficial, me->nombre, me->opl_etiqueta, me->opl_siglas};
    for (size_t i = 0; i < G_N_ELEMENTS(mine); i++)
        blank_out(text, mine[i]);
    for (int e = 1; e <= OBS_ENTIDADES; e++) {
        if (e == own)
            continue;
        const obs_entidad *o = obs_catalog_entidad(cat, e);
        const char *theirs[] = {o->opl_nombre, o->nombre_oficial, o->nombre, o->opl_etiqueta};
        for (size_t i = 0; i < G_N_ELEMENTS(theirs); i++)
            if (has_word(text, theirs[i]))
                fail_msg("%s (entidad %02d) names «%s» of entidad %02d", file, own, theirs[i], e);
    }
}


static void test_opl_writes_32_summaries_naming_only_their_own_opl(void **state)
{
    fixture *f = *state;
    char *dir = g_build_filename(f->out, "opl", NULL);
    GDir *d = g_dir_open(dir, 0, NULL);
    assert_non_null(d);
    int pdfs = 0, xlsxs = 0;
    const char *name;
    while ((name = g_dir_read_name(d))) {
        int own = atoi(name);
        assert_true(own >= 1 && own <= 32);
        char *path = g_build_filename(dir, name, NULL);
        char *text;
        if (g_str_has_suffix(name, ".pdf")) {
            pdfs++;
            text = pdf_words(path);
            /* Two pages at most, addressed to the OPL's presidency. */
            assert_non_null(strstr(text, "Página 2 de 2") ? "ok" : strstr(text, "Página 1 de 1"));
            assert_non_null(strstr(text, "A la Presidencia del Consejo General"));
        } else {
            xlsxs++;
            text = xlsx_text(path);
        }
        assert_only_own_entidad(name, text, own);
        g_free(text);
        g_free(path);
    }
    g_dir_close(d);
    assert_int_equal(pdfs, 32);
    assert_int_equal(xlsxs, 32);
    char *p = g_build_filename(dir, "15_IEEM.pdf", NULL), *q = g_build_filename(dir, "21_IEE_Puebla.xlsx", NULL);
    assert_true(g_file_test(p, G_FILE_TEST_EXISTS));
    assert_true(g_file_test(q, G_FILE_TEST_EXISTS));
    g_free(p);
    g_free(q);
    g_free(dir);
}

static void test_opl_summary_states_its_figures_and_flag(void **state)
{
    fixture *f = *state;
    /* Ciudad de México: 2 OPL actions, not flagged (threshold max(2, 0) = 2); 4 requests of 8. */
    char *p = g_build_filename(f->out, "opl", "09_IECM.pdf", NULL);
    char *t = pdf_words(p);
    /* Exactly at the threshold: not flagged, and never "por encima". */
    assert_non_null(strstr(t, "El IECM registra 2 acciones de difusión, cifra igual o superior al umbral: un OPL "
                              "se señala cuando registra menos de 2 acciones de difusión"));
    assert_non_null(strstr(t, "se han recibido 4 solicitudes de acreditación en Ciudad de México (50.0% del total "
                              "nacional de 8)"));
    g_free(t);
    g_free(p);
    /* Puebla: 1 action, flagged. */
    p = g_build_filename(f->out, "opl", "21_IEE_Puebla.pdf", NULL);
    t = pdf_words(p);
    assert_non_null(strstr(t, "El IEE Puebla registra 1 acción de difusión, por debajo del umbral"));
    g_free(t);
    g_free(p);
}

static void test_oficio_names_every_flagged_opl_and_no_other(void **state)
{
    fixture *f = *state;
    char *p = g_build_filename(f->out, "oficio.pdf", NULL);
    char *t = pdf_words(p);
    assert_non_null(strstr(t, "Oficio núm. INE/DEOE/9999/2023"));
    assert_non_null(strstr(t, "Ciudad de México, 28 de octubre de 2023"));
    assert_non_null(strstr(t, "con fecha 27 de octubre de 2023, en sesión extraordinaria"));
    assert_non_null(strstr(t, "el mayor entre 2 acciones y 50% de la mediana nacional"));
    /* Flagged: every entidad but Ciudad de México (2 actions, not below 2). */
    for (int e = 1; e <= 32; e++) {
        const obs_entidad *ent = obs_catalog_entidad(cat, e);
        bool present = strstr(t, ent->opl_nombre) != NULL;
        if (present != (e != 9))
            fail_msg("oficio: %s %s", ent->opl_nombre, present ? "named but not flagged" : "flagged but missing");
    }
    assert_non_null(strstr(t, "IEE Puebla (Puebla) con 1 acción"));
    g_free(t);
    g_free(p);
    /* One letter per flagged OPL, each naming only its own. */
    char *dir = g_build_filename(f->out, "oficio_opl", NULL);
    GDir *d = g_dir_open(dir, 0, NULL);
    int n = 0;
    const char *name;
    while ((name = g_dir_read_name(d))) {
        n++;
        char *path = g_build_filename(dir, name, NULL);
        char *text = pdf_words(path);
        assert_only_own_entidad(name, text, atoi(name));
        g_free(text);
        g_free(path);
    }
    g_dir_close(d);
    assert_int_equal(n, 31);
    g_free(dir);
}

static void test_manifest_lists_every_output_with_its_sha256(void **state)
{
    fixture *f = *state;
    char *mpath = g_build_filename(f->out, "manifest.json", NULL);
    JsonParser *parser = json_parser_new();
    assert_true(json_parser_load_from_file(parser, mpath, NULL));
    JsonObject *root = json_node_get_object(json_parser_get_root(parser));
    assert_string_equal(json_object_get_string_member(root, "corte"), "2023-10-12");
    assert_string_equal(json_object_get_string_member(root, "corte_anterior"), "2023-10-05");
    assert_int_equal(json_object_get_int_member(root, "estado"), 0);
    JsonArray *inputs = json_object_get_array_member(root, "entradas");
    assert_int_equal(json_array_get_length(inputs), 2);
    JsonObject *sol = json_array_get_object_element(inputs, 0);
    assert_int_equal(json_object_get_int_member(sol, "leidas"), 17);
    assert_int_equal(json_object_get_int_member(sol, "aceptadas") + json_object_get_int_member(sol, "rechazadas"), 17);
    char *src = file_sha256(json_object_get_string_member(sol, "ruta"));
    assert_string_equal(src, json_object_get_string_member(sol, "sha256"));
    g_free(src);
    GHashTable *files = snapshot_dir(f->out, FALSE);
    g_hash_table_remove(files, "manifest.json");
    JsonArray *outs = json_object_get_array_member(root, "salidas");
    guint n = json_array_get_length(outs);
    for (guint i = 0; i < n; i++) {
        JsonObject *o = json_array_get_object_element(outs, i);
        const char *rel = json_object_get_string_member(o, "ruta");
        char *path = g_build_filename(f->out, rel, NULL);
        char *sum = file_sha256(path);
        if (strcmp(sum, json_object_get_string_member(o, "sha256")) != 0)
            fail_msg("%s: manifest says %s, file is %s", rel, json_object_get_string_member(o, "sha256"), sum);
        GStatBuf st;
        assert_int_equal(g_stat(path, &st), 0);
        assert_int_equal(json_object_get_int_member(o, "bytes"), (gint64)st.st_size);
        if (!g_hash_table_remove(files, rel))
            fail_msg("manifest lists %s, which is not in the directory", rel);
        g_free(sum);
        g_free(path);
    }
    if (g_hash_table_size(files) != 0) {
        GHashTableIter it;
        gpointer k;
        g_hash_table_iter_init(&it, files);
        g_hash_table_iter_next(&it, &k, NULL);
        fail_msg("%s is in the directory but not in the manifest", (char *)k);
    }
    assert_int_equal(n, 1 + 1 + 64 + 1 + 31 + 1 + 1); /* informe ×2, 32 OPL ×2, oficio, 31 letters, csv ×2 */
    g_hash_table_destroy(files);
    g_object_unref(parser);
    g_free(mpath);
}

static void test_second_run_on_a_locked_directory_exits_75_and_changes_nothing(void **state)
{
    fixture *f = *state;
    GHashTable *before = snapshot_dir(f->out, FALSE);
    /* This process holds the lock, as a running `observa lote` would. */
    char *lockpath = g_build_filename(f->out, ".observa.lock", NULL);
    int fd = g_open(lockpath, O_RDWR | O_CREAT, 0644);
    assert_true(fd >= 0);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    assert_int_equal(fcntl(fd, F_SETLK, &fl), 0);
    const char *other_corte[] = {"-c", "2023-10-11", NULL};
    result r = lote(f->out, other_corte);
    assert_int_equal(r.status, 75);
    assert_non_null(strstr(r.err, "otra ejecución de observa"));
    result_clear(&r);
    GHashTable *after = snapshot_dir(f->out, FALSE);
    assert_same_snapshot(before, after);
    /* Released (as when the holder dies), the next run proceeds. */
    close(fd);
    r = lote(f->out, NULL);
    assert_int_equal(r.status, 0);
    result_clear(&r);
    g_hash_table_destroy(after);
    g_hash_table_destroy(before);
    g_free(lockpath);
}

static void test_same_generation_time_gives_identical_sets(void **state)
{
    fixture *f = *state;
    char *again = g_build_filename(f->tmp, "otra", NULL);
    result r = lote(again, NULL);
    assert_int_equal(r.status, 0);
    result_clear(&r);
    GHashTable *a = snapshot_dir(f->out, FALSE), *b = snapshot_dir(again, FALSE);
    /* The manifests name different output directories only through relative paths: equal too. */
    assert_same_snapshot(a, b);
    g_hash_table_destroy(a);
    g_hash_table_destroy(b);
    g_free(again);
}

/*
 * kill -9 at many moments of a run over a previous run's outputs: every file under a
 * final name must be either the previous version or the new one, byte for byte.
 */
static void test_kill_9_never_leaves_a_truncated_file(void **state)
{
    fixture *f = *state;
    const char *new_corte[] = {"-c", "2023-10-11", NULL};
    char *reference = g_build_filename(f->tmp, "nuevo", NULL);
    result r = lote(reference, new_corte);
    assert_int_equal(r.status, 0);
    result_clear(&r);
    GHashTable *old = snapshot_dir(f->out, FALSE), *fresh = snapshot_dir(reference, FALSE);
    char *dir = case_dir("basico");
    char *ini = g_build_filename(dir, "lote.ini", NULL);
    int killed_midway = 0;
    for (int attempt = 0; attempt < 12; attempt++) {
        char *victim = g_build_filename(f->tmp, "victima", NULL);
        remove_tree(victim);
        char *cp[] = {"cp", "-r", f->out, victim, NULL};
        r = run("/", cp, NULL);
        result_clear(&r);
        char *argv[] = {(char *)observa_bin(), "lote", "--config", ini, "-o", victim, "-q", "-c", "2023-10-11",
                        "--reemplazar", NULL};
        GPid pid;
        assert_true(g_spawn_async("/", argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                                   G_SPAWN_STDERR_TO_DEV_NULL,
                                  NULL, NULL, &pid, NULL));
        g_usleep((gulong)(attempt * 8000)); /* 0 to 88 ms into the run */
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        g_spawn_close_pid(pid);
        killed_midway += WIFSIGNALED(status);
        GHashTable *now = snapshot_dir(victim, FALSE);
        GHashTableIter it;
        gpointer k, v;
        g_hash_table_iter_init(&it, now);
        while (g_hash_table_iter_next(&it, &k, &v)) {
            const char *a = g_hash_table_lookup(old, k), *b = g_hash_table_lookup(fresh, k);
            if ((!a || strcmp(a, v) != 0) && (!b || strcmp(b, v) != 0))
                fail_msg("after kill -9 at %d ms, %s is neither the old nor the new file", attempt * 8,
                         (char *)k);
        }
        g_hash_table_destroy(now);
        /* The next run cleans what the killed one left and completes. */
        result ok = run("/", argv, NULL);
        assert_int_equal(ok.status, 0);
        result_clear(&ok);
        GHashTable *done = snapshot_dir(victim, FALSE);
        assert_same_snapshot(done, fresh);
        g_hash_table_destroy(done);
        g_free(victim);
    }
    assert_true(killed_midway > 0);
    g_hash_table_destroy(old);
    g_hash_table_destroy(fresh);
    g_free(ini);
    g_free(dir);
    g_free(reference);
}

static void test_opl_command_with_entidad_writes_one_pair(void **state)
{
    fixture *f = *state;
    char *dir = case_dir("basico");
    char *s = g_build_filename(dir, "solicitudes.csv", NULL), *d = g_build_filename(dir, "difusion.csv", NULL);
    char *out = g_build_filename(f->tmp, "una", NULL);
    char *argv[] = {(char *)observa_bin(), "opl", "-s", s, "-d", d, "-c", "2023-10-12", "--entidad", "15",
                    "-o", out, "--max-rechazadas", "100", "-q", NULL};
    result r = run("/", argv, NULL);
    assert_int_equal(r.status, 0);
    result_clear(&r);
    GHashTable *files = snapshot_dir(out, FALSE);
    assert_true(g_hash_table_contains(files, "opl/15_IEEM.pdf"));
    assert_true(g_hash_table_contains(files, "opl/15_IEEM.xlsx"));
    assert_true(g_hash_table_contains(files, "manifest.json"));
    assert_true(g_hash_table_contains(files, "rechazos.csv"));
    assert_int_equal(g_hash_table_size(files), 4);
    char *bad[] = {(char *)observa_bin(), "opl", "-s", s, "-d", d, "-c", "2023-10-12", "--entidad", "33", NULL};
    r = run("/", bad, NULL);
    assert_int_equal(r.status, 64);
    result_clear(&r);
    g_hash_table_destroy(files);
    g_free(out);
    g_free(s);
    g_free(d);
    g_free(dir);
}

static void test_oficio_without_its_configuration_exits_78(void **state)
{
    fixture *f = *state;
    char *dir = case_dir("basico");
    char *s = g_build_filename(dir, "solicitudes.csv", NULL), *d = g_build_filename(dir, "difusion.csv", NULL);
    char *out = g_build_filename(f->tmp, "sin-oficio", NULL);
    char *argv[] = {(char *)observa_bin(), "oficio", "-s", s, "-d", d, "-c", "2023-10-12", "-o", out, NULL};
    result r = run("/", argv, NULL);
    assert_int_equal(r.status, 78);
    assert_non_null(strstr(r.err, "[oficio]"));
    assert_non_null(strstr(r.err, "numero"));
    assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
    result_clear(&r);
    g_free(out);
    g_free(s);
    g_free(d);
    g_free(dir);
}

int main(void)
{
    obs_error err;
    if (obs_catalog_load(g_getenv("OBSERVA_PLANTILLAS"), &cat, &err) != OBS_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opl_writes_32_summaries_naming_only_their_own_opl),
        cmocka_unit_test(test_opl_summary_states_its_figures_and_flag),
        cmocka_unit_test(test_oficio_names_every_flagged_opl_and_no_other),
        cmocka_unit_test(test_manifest_lists_every_output_with_its_sha256),
        cmocka_unit_test(test_second_run_on_a_locked_directory_exits_75_and_changes_nothing),
        cmocka_unit_test(test_same_generation_time_gives_identical_sets),
        cmocka_unit_test(test_kill_9_never_leaves_a_truncated_file),
        cmocka_unit_test(test_opl_command_with_entidad_writes_one_pair),
        cmocka_unit_test(test_oficio_without_its_configuration_exits_78),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    obs_catalog_free(cat);
    return rc;
}
