/* set.c - a run's published set: the files its manifest lists, and all of them as one ZIP (libzip). */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "web/web_int.h"

void web_file_json(JsonBuilder *b, const web_file *f)
{
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "ruta");
    json_builder_add_string_value(b, f->ruta);
    json_builder_set_member_name(b, "tipo");
    json_builder_add_string_value(b, f->tipo);
    json_builder_set_member_name(b, "tamano");
    json_builder_add_int_value(b, f->bytes);
    json_builder_set_member_name(b, "sha256");
    json_builder_add_string_value(b, f->sha256);
    json_builder_end_object(b);
}

static void file_free(gpointer p)
{
    web_file *f = p;
    g_free(f->ruta);
    g_free(f->tipo);
    g_free(f->sha256);
    g_free(f);
}

GPtrArray *web_set_files(const char *dir, obs_error *err)
{
    char *path = g_build_filename(dir, "manifest.json", NULL);
    JsonParser *p = json_parser_new();
    GPtrArray *files = NULL;
    if (json_parser_load_from_file(p, path, NULL) && JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p))) {
        JsonObject *m = json_node_get_object(json_parser_get_root(p));
        JsonArray *sal = json_object_has_member(m, "salidas") ? json_object_get_array_member(m, "salidas") : NULL;
        files = g_ptr_array_new_with_free_func(file_free);
        for (guint i = 0; sal && i < json_array_get_length(sal); i++) {
            JsonObject *o = json_array_get_object_element(sal, i);
            const char *ruta = o ? json_object_get_string_member_with_default(o, "ruta", NULL) : NULL;
            if (!ruta || strstr(ruta, "..") || *ruta == '/')
                continue;
            web_file *f = g_new0(web_file, 1);
            f->ruta = g_strdup(ruta);
            f->tipo = g_strdup(json_object_get_string_member_with_default(o, "tipo", ""));
            f->sha256 = g_strdup(json_object_get_string_member_with_default(o, "sha256", ""));
            f->bytes = json_object_get_int_member_with_default(o, "bytes", 0);
            g_ptr_array_add(files, f);
        }
    } else {
        obs_error_set(err, OBS_ERR_IO, path, 0, 0, "el conjunto no tiene un manifest.json legible");
    }
    g_object_unref(p);
    g_free(path);
    return files;
}

char *web_zip_set(const char *dir, const char *tmpdir, obs_error *err)
{
    GPtrArray *files = web_set_files(dir, err);
    if (!files)
        return NULL;
    web_file *manifest = g_new0(web_file, 1);
    manifest->ruta = g_strdup("manifest.json");
    g_ptr_array_add(files, manifest);
    char *tmp = g_build_filename(tmpdir, "zip-XXXXXX", NULL);
    int fd = g_mkstemp(tmp);
    if (fd >= 0)
        close(fd);
    int zerr = 0;
    zip_t *z = fd >= 0 ? zip_open(tmp, ZIP_TRUNCATE, &zerr) : NULL;
    bool ok = z != NULL;
    for (guint i = 0; ok && i < files->len; i++) {
        const web_file *f = files->pdata[i];
        char *path = g_build_filename(dir, f->ruta, NULL);
        zip_source_t *src = zip_source_file(z, path, 0, -1);
        ok = src && zip_file_add(z, f->ruta, src, ZIP_FL_ENC_UTF_8) >= 0;
        if (!ok && src)
            zip_source_free(src);
        g_free(path);
    }
    if (z && ok)
        ok = zip_close(z) == 0;
    else if (z)
        zip_discard(z);
    g_ptr_array_free(files, TRUE);
    if (!ok) {
        obs_error_set(err, OBS_ERR_IO, NULL, 0, 0, "no se pudo armar el ZIP del conjunto");
        g_unlink(tmp);
        g_free(tmp);
        return NULL;
    }
    return tmp;
}

bool web_opl_may_read(int entidad, const char *rel)
{
    char prefix[8];
    g_snprintf(prefix, sizeof prefix, "%02d_", entidad);
    const char *dirs[] = {"opl/", "oficio_opl/"};
    for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++)
        if (g_str_has_prefix(rel, dirs[i]) && g_str_has_prefix(rel + strlen(dirs[i]), prefix) &&
            !strchr(rel + strlen(dirs[i]), '/'))
            return true;
    return false;
}
