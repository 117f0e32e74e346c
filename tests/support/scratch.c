/* scratch.c - the tests' scratch folders: made, kept on request (OBS_TEST_KEEP), removed whole. */
#include "scratch.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

/* OBS_TEST_KEEP, when set: the folder under which scratch folders are made and kept. */
static const char *keep_root(void)
{
    const char *keep = g_getenv("OBS_TEST_KEEP");
    return keep && *keep ? keep : NULL;
}

static bool is_kept(const char *dir)
{
    const char *keep = keep_root();
    return keep && g_str_has_prefix(dir, keep);
}

char *scratch_dir(const char *name)
{
    char *pattern = g_strdup_printf("observa-%s-XXXXXX", name);
    const char *keep = keep_root();
    char *dir = NULL;
    GError *e = NULL;
    if (keep) {
        g_mkdir_with_parents(keep, 0755);
        dir = g_build_filename(keep, pattern, NULL);
        if (!g_mkdtemp(dir))
            g_clear_pointer(&dir, g_free);
    } else {
        dir = g_dir_make_tmp(pattern, &e);
    }
    g_free(pattern);
    if (!dir) {
        fprintf(stderr, "scratch_dir: %s\n", e ? e->message : "g_mkdtemp failed");
        abort();
    }
    return dir;
}

void scratch_empty(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        char *p = g_build_filename(dir, name, NULL);
        if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK)) {
            scratch_empty(p);
            g_rmdir(p);
        } else {
            g_unlink(p);
        }
        g_free(p);
    }
    if (d)
        g_dir_close(d);
}

void scratch_remove(char *dir)
{
    if (!dir)
        return;
    if (!is_kept(dir)) {
        scratch_empty(dir);
        g_rmdir(dir);
    }
    g_free(dir);
}

char *scratch_write(const char *dir, const char *rel, const char *text)
{
    char *path = g_build_filename(dir, rel, NULL);
    if (!g_file_set_contents(path, text, -1, NULL)) {
        fprintf(stderr, "scratch_write: cannot write %s\n", path);
        abort();
    }
    return path;
}
