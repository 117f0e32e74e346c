/* cli_run.c - helpers of the tests that run the observa CLI: spawning it, its fixtures and reading its outputs. */
#include "cli_run.h"
#include "scratch.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

const char *observa_bin(void)
{
    const char *b = g_getenv("OBS_TEST_OBSERVA");
    assert_non_null(b);
    return b;
}

char *case_dir(const char *name)
{
    return g_build_filename(g_getenv("OBS_TEST_SOURCE_ROOT"), "tests", "e2e", "cases", name, NULL);
}

/* Reads the case's args file, replacing {case} and {out}. */
char **case_argv(const char *dir, const char *out)
{
    char *path = g_build_filename(dir, "args", NULL);
    char *text = read_file(path);
    g_free(path);
    char **lines = g_strsplit(g_strstrip(text), "\n", -1);
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, g_strdup(observa_bin()));
    for (char **l = lines; *l; l++) {
        char *a = g_strdup(*l);
        char *tmp;
        while ((tmp = strstr(a, "{case}"))) {
            *tmp = '\0';
            char *n = g_strconcat(a, dir, tmp + 6, NULL);
            g_free(a);
            a = n;
        }
        while ((tmp = strstr(a, "{out}"))) {
            *tmp = '\0';
            char *n = g_strconcat(a, out, tmp + 5, NULL);
            g_free(a);
            a = n;
        }
        g_ptr_array_add(argv, a);
    }
    g_ptr_array_add(argv, NULL);
    g_strfreev(lines);
    g_free(text);
    return (char **)g_ptr_array_free(argv, FALSE);
}

result run(const char *cwd, char **argv, const char *const *env_extra)
{
    result r = {0};
    char **env = g_get_environ();
    /* Each run has a default history ($XDG_DATA_HOME/observa/historial.sqlite) of its own: no test sees
     * the runs of another (their letters' numbers, their publications). A test that follows the default
     * history over several runs gives XDG_DATA_HOME itself. */
    char *own_xdg = scratch_dir("xdg");
    env = g_environ_setenv(env, "XDG_DATA_HOME", own_xdg, TRUE);
    for (size_t i = 0; env_extra && env_extra[i]; i++) {
        char **kv = g_strsplit(env_extra[i], "=", 2);
        env = g_environ_setenv(env, kv[0], kv[1], TRUE);
        g_strfreev(kv);
    }
    GError *err = NULL;
    int wait = 0;
    gboolean ok = g_spawn_sync(cwd, argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL, &r.out, &r.err, &wait, &err);
    scratch_remove(own_xdg);
    if (!ok)
        fail_msg("cannot run %s: %s", argv[0], err->message);
    r.status = WIFEXITED(wait) ? WEXITSTATUS(wait) : 128 + WTERMSIG(wait);
    g_strfreev(env);
    return r;
}

void result_clear(result *r)
{
    g_free(r->out);
    g_free(r->err);
    r->out = r->err = NULL;
}

result observa_in(const char *cwd, const char *const *args, const char *const *env_extra)
{
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, (char *)observa_bin());
    for (size_t i = 0; args[i]; i++)
        g_ptr_array_add(argv, (char *)args[i]);
    g_ptr_array_add(argv, NULL);
    result r = run(cwd, (char **)argv->pdata, env_extra);
    g_ptr_array_free(argv, TRUE);
    return r;
}

void expect_run(const result *r, int status, const char *const *says)
{
    if (r->status != status)
        fail_msg("exit %d (expected %d): %s", r->status, status, r->err);
    for (size_t i = 0; says && says[i]; i++)
        if (!strstr(r->err, says[i]))
            fail_msg("stderr lacks «%s»: %s", says[i], r->err);
}

void write_file_text(const char *path, const char *text)
{
    if (!g_file_set_contents(path, text, -1, NULL))
        fail_msg("cannot write %s", path);
}

int basico_setup(void **state)
{
    basico_fixture *f = g_new0(basico_fixture, 1);
    f->tmp = scratch_dir("e2e");
    char *dir = case_dir("basico");
    f->sol = g_build_filename(dir, "solicitudes.csv", NULL);
    f->dif = g_build_filename(dir, "difusion.csv", NULL);
    f->ini = g_build_filename(dir, "lote.ini", NULL);
    g_free(dir);
    *state = f;
    return 0;
}

int basico_teardown(void **state)
{
    basico_fixture *f = *state;
    remove_tree(f->tmp);
    g_free(f->tmp);
    g_free(f->sol);
    g_free(f->dif);
    g_free(f->ini);
    g_free(f);
    return 0;
}

char *basico_tmp(const basico_fixture *f, const char *rel)
{
    return g_build_filename(f->tmp, rel, NULL);
}

char *read_file(const char *path)
{
    char *text = NULL;
    GError *err = NULL;
    if (!g_file_get_contents(path, &text, NULL, &err))
        fail_msg("cannot read %s: %s", path, err->message);
    return text;
}

void remove_tree(const char *path)
{
    scratch_remove(g_strdup(path));
}

char *xlsx_text(const char *path)
{
    char *argv[] = {"/usr/bin/python3", "-c",
                    "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\n"
                    "sys.stdout.write(' '.join(z.read(n).decode('utf-8') for n in z.namelist()))\n",
                    (char *)path, NULL};
    result r = run("/", argv, NULL);
    assert_int_equal(r.status, 0);
    g_free(r.err);
    return r.out;
}

char *pdf_words(const char *pdf)
{
    char *argv[] = {"pdftotext", (char *)pdf, "-", NULL};
    result t = run("/", argv, NULL);
    if (t.status != 0 || t.err[0])
        fail_msg("pdftotext %s: %s", pdf, t.err);
    GString *o = g_string_new(NULL);
    for (const char *s = t.out; *s; s++) {
        char ch = (*s == '\n' || *s == '\f') ? ' ' : *s;
        if (ch != ' ' || (o->len && o->str[o->len - 1] != ' '))
            g_string_append_c(o, ch);
    }
    result_clear(&t);
    return g_string_free(o, FALSE);
}

char *file_sha256(const char *path)
{
    char *data;
    gsize len;
    if (!g_file_get_contents(path, &data, &len, NULL))
        fail_msg("cannot read %s", path);
    char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);
    g_free(data);
    return sum;
}

static void snapshot_under(const char *root, const char *rel, gboolean with_hidden, GHashTable *out)
{
    char *dir = rel ? g_build_filename(root, rel, NULL) : g_strdup(root);
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        if (name[0] == '.' && !with_hidden)
            continue;
        char *r = rel ? g_build_filename(rel, name, NULL) : g_strdup(name);
        char *full = g_build_filename(root, r, NULL);
        if (g_file_test(full, G_FILE_TEST_IS_DIR)) {
            snapshot_under(root, r, with_hidden, out);
            g_free(r);
        } else {
            g_hash_table_insert(out, r, file_sha256(full));
        }
        g_free(full);
    }
    if (d)
        g_dir_close(d);
    g_free(dir);
}

GHashTable *snapshot_dir(const char *dir, gboolean with_hidden)
{
    GHashTable *snap = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    snapshot_under(dir, NULL, with_hidden, snap);
    return snap;
}

void assert_same_snapshot(GHashTable *a, GHashTable *b)
{
    assert_int_equal(g_hash_table_size(a), g_hash_table_size(b));
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, a);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        const char *other = g_hash_table_lookup(b, k);
        if (!other || strcmp(other, v) != 0)
            fail_msg("%s changed", (char *)k);
    }
}
