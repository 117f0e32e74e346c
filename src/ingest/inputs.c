/* inputs.c - the files of each export: directories expanded in name order, the same file twice refused. */
#include "observa/inputs.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

/* Why a path cannot be examined, in Spanish whatever the locale. */
static const char *stat_problem(int e)
{
    switch (e) {
    case ENOENT:
    case ENOTDIR:
        return "no existe; revise la ruta";
    case EACCES:
        return "no se tiene permiso para leerlo; revise los permisos";
    case ELOOP:
        return "la ruta tiene demasiados enlaces simbólicos (¿un ciclo?)";
    default:
        return obs_strerror(e);
    }
}

static obs_status stat_input(const char *path, GStatBuf *st, obs_error *err)
{
    if (g_stat(path, st) == 0)
        return OBS_OK;
    int e = errno;
    return obs_error_set(err, OBS_ERR_NOINPUT, path, 0, 0, "no se puede abrir: %s", stat_problem(e));
}

/* A name a directory contributes: *.csv or *.xlsx in any case, not hidden. */
static bool wanted_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    return name[0] != '.' && dot &&
           (g_ascii_strcasecmp(dot, ".csv") == 0 || g_ascii_strcasecmp(dot, ".xlsx") == 0);
}

static gint cmp_paths(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the files of a directory to list, in name order. */
static obs_status add_dir(const char *dir, GPtrArray *list, obs_error *err)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    if (!d)
        return obs_error_set(err, OBS_ERR_NOINPUT, dir, 0, 0,
                             "no se puede leer el directorio; revise sus permisos");
    GPtrArray *names = g_ptr_array_new();
    const char *name;
    while ((name = g_dir_read_name(d))) {
        if (!wanted_name(name))
            continue;
        char *p = g_build_filename(dir, name, NULL);
        GStatBuf st;
        if (g_stat(p, &st) == 0 && S_ISDIR(st.st_mode))
            g_free(p); /* not entered; a file that cannot be examined is reported later */
        else
            g_ptr_array_add(names, p);
    }
    g_dir_close(d);
    /* Every name has the same directory before it: the paths sort as the names do. */
    g_ptr_array_sort(names, cmp_paths);
    for (guint i = 0; i < names->len; i++)
        g_ptr_array_add(list, names->pdata[i]);
    guint n = names->len;
    g_ptr_array_free(names, TRUE);
    if (n == 0)
        return obs_error_set(err, OBS_ERR_NOINPUT, dir, 0, 0,
                             "el directorio no contiene archivos .csv ni .xlsx (los ocultos no cuentan); "
                             "copie ahí la exportación o indique sus archivos");
    return OBS_OK;
}

static obs_status add_path(const char *path, GPtrArray *list, obs_error *err)
{
    GStatBuf st;
    obs_status s = stat_input(path, &st, err);
    if (s != OBS_OK)
        return s;
    if (S_ISDIR(st.st_mode))
        return add_dir(path, list, err);
    g_ptr_array_add(list, g_strdup(path));
    return OBS_OK;
}

typedef struct seen_file {
    dev_t dev;
    ino_t ino;
    const char *path;
    int kind;
} seen_file;

/* The same file (device and inode, through any path or link) may be named only once. */
static obs_status check_unique(const obs_inputs *in, obs_error *err)
{
    static const char *const kind_name[OBS_FILE_KIND_COUNT] = {"solicitudes", "difusión"};
    GArray *seen = g_array_new(FALSE, FALSE, sizeof(seen_file));
    obs_status s = OBS_OK;
    for (int k = 0; k < OBS_FILE_KIND_COUNT && s == OBS_OK; k++) {
        for (char **p = in->files[k]; *p && s == OBS_OK; p++) {
            GStatBuf st;
            s = stat_input(*p, &st, err);
            if (s != OBS_OK)
                break;
            for (guint i = 0; i < seen->len && s == OBS_OK; i++) {
                const seen_file *f = &g_array_index(seen, seen_file, i);
                if (f->dev != st.st_dev || f->ino != st.st_ino)
                    continue;
                if (f->kind != k)
                    s = obs_error_set(err, OBS_ERR_USAGE, *p, 0, 0,
                                      "es el mismo archivo que «%s», indicado como exportación de %s; un "
                                      "archivo no puede ser de solicitudes y de difusión a la vez",
                                      f->path, kind_name[f->kind]);
                else if (strcmp(f->path, *p) == 0)
                    s = obs_error_set(err, OBS_ERR_USAGE, *p, 0, 0,
                                      "el archivo se indicó dos veces; indíquelo una sola vez");
                else
                    s = obs_error_set(err, OBS_ERR_USAGE, *p, 0, 0,
                                      "es el mismo archivo que «%s», ya indicado; indíquelo una sola vez",
                                      f->path);
            }
            seen_file f = {st.st_dev, st.st_ino, *p, k};
            g_array_append_val(seen, f);
        }
    }
    g_array_free(seen, TRUE);
    return s;
}

obs_status obs_inputs_expand(const char *const *solicitudes, const char *const *difusion, obs_inputs *out,
                             obs_error *err)
{
    memset(out, 0, sizeof *out);
    const char *const *given[OBS_FILE_KIND_COUNT] = {solicitudes, difusion};
    obs_status s = OBS_OK;
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++) {
        GPtrArray *list = g_ptr_array_new();
        for (size_t i = 0; s == OBS_OK && given[k] && given[k][i]; i++)
            s = add_path(given[k][i], list, err);
        g_ptr_array_add(list, NULL);
        out->files[k] = (char **)g_ptr_array_free(list, FALSE);
    }
    if (s == OBS_OK)
        s = check_unique(out, err);
    if (s != OBS_OK)
        obs_inputs_clear(out);
    return s;
}

bool obs_inputs_set_names(obs_inputs *in, obs_file_kind kind, const char *const *names)
{
    guint n = in->files[kind] ? g_strv_length(in->files[kind]) : 0;
    if (!names || g_strv_length((char **)names) != n)
        return false;
    g_strfreev(in->names[kind]);
    in->names[kind] = g_strdupv((char **)names);
    return true;
}

const char *obs_inputs_name(const obs_inputs *in, const char *path)
{
    for (int k = 0; path && k < OBS_FILE_KIND_COUNT; k++)
        for (size_t i = 0; in->names[k] && in->files[k] && in->files[k][i]; i++)
            if (strcmp(in->files[k][i], path) == 0)
                return in->names[k][i];
    return path;
}

void obs_inputs_clear(obs_inputs *in)
{
    if (!in)
        return;
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++) {
        g_strfreev(in->files[k]);
        in->files[k] = NULL;
        g_strfreev(in->names[k]);
        in->names[k] = NULL;
    }
}
