/* util.c - helpers shared by the end-to-end tests. */
#include "util.h"

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

result run(const char *cwd, char **argv, const char *const *env_extra)
{
    result r = {0};
    char **env = g_get_environ();
    for (size_t i = 0; env_extra && env_extra[i]; i++) {
        char **kv = g_strsplit(env_extra[i], "=", 2);
        env = g_environ_setenv(env, kv[0], kv[1], TRUE);
        g_strfreev(kv);
    }
    GError *err = NULL;
    int wait = 0;
    gboolean ok = g_spawn_sync(cwd, argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL, &r.out, &r.err, &wait, &err);
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
    char *rm[] = {"rm", "-rf", (char *)path, NULL};
    result r = run("/", rm, NULL);
    result_clear(&r);
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
