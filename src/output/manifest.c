/* manifest.c - manifest.json with json-glib: inputs, outputs, hashes and the exit status. */
#include "output/manifest_int.h"
#include "output/output_int.h"

#include <json-glib/json-glib.h>
#include <string.h>

static void add_day(JsonBuilder *b, const char *key, obs_day d)
{
    json_builder_set_member_name(b, key);
    if (d == OBS_DAY_NONE) {
        json_builder_add_null_value(b);
    } else {
        char iso[16];
        obs_day_iso(d, iso, sizeof iso);
        json_builder_add_string_value(b, iso);
    }
}

static void add_int(JsonBuilder *b, const char *key, int64_t v)
{
    json_builder_set_member_name(b, key);
    json_builder_add_int_value(b, v);
}

static void add_str(JsonBuilder *b, const char *key, const char *v)
{
    json_builder_set_member_name(b, key);
    json_builder_add_string_value(b, v);
}

/* The control totals of a file or of a whole export. */
static void add_counters(JsonBuilder *b, const obs_file_stats *f)
{
    add_int(b, "leidas", (int64_t)f->leidas);
    add_int(b, "vacias", (int64_t)f->vacias);
    add_int(b, "aceptadas", (int64_t)f->aceptadas);
    add_int(b, "rechazadas", (int64_t)f->rechazadas);
    add_int(b, "con_avisos", (int64_t)f->con_avisos);
    add_int(b, "en_corte", (int64_t)f->en_corte);
    add_int(b, "posteriores_al_corte", (int64_t)f->posteriores);
}

static const char *const kinds[OBS_FILE_KIND_COUNT] = {"solicitudes", "difusion"};

/* "entradas": every file read, in reading order, with its export and its own totals. */
static void add_inputs(JsonBuilder *b, const obs_run *run)
{
    json_builder_set_member_name(b, "entradas");
    json_builder_begin_array(b);
    for (int k = 0; run && k < OBS_FILE_KIND_COUNT; k++) {
        for (size_t i = 0; i < run->exports[k].nfiles; i++) {
            const obs_file_stats *f = &run->exports[k].files[i];
            json_builder_begin_object(b);
            add_str(b, "exportacion", kinds[k]);
            add_str(b, "ruta", f->path);
            add_int(b, "bytes", (int64_t)f->bytes);
            add_str(b, "sha256", f->sha256);
            add_str(b, "codificacion", f->encoding == OBS_ENC_CP1252 ? "windows-1252" : "utf-8");
            if (f->sheet) {
                add_str(b, "hoja", f->sheet); /* a workbook: its sheet, and no delimiter */
            } else {
                char delim[4] = {f->delimiter, 0};
                add_str(b, "delimitador", f->delimiter == '\t' ? "tab" : delim);
            }
            add_counters(b, f);
            json_builder_end_object(b);
        }
    }
    json_builder_end_array(b);
}

/* "exportaciones": per export, its files together (the totals the report states). */
static void add_exports(JsonBuilder *b, const obs_run *run)
{
    json_builder_set_member_name(b, "exportaciones");
    json_builder_begin_object(b);
    for (int k = 0; run && k < OBS_FILE_KIND_COUNT; k++) {
        const obs_export *ex = &run->exports[k];
        json_builder_set_member_name(b, kinds[k]);
        json_builder_begin_object(b);
        add_int(b, "archivos", (int64_t)ex->nfiles);
        add_int(b, "bytes", (int64_t)ex->total.bytes);
        add_counters(b, &ex->total);
        json_builder_end_object(b);
    }
    json_builder_end_object(b);
}

static int cmp_entries(const void *a, const void *b)
{
    const obs_output_entry *x = *(const obs_output_entry *const *)a, *y = *(const obs_output_entry *const *)b;
    return strcmp(x->relpath, y->relpath);
}

static void add_outputs(JsonBuilder *b, const obs_output *out)
{
    size_t n = obs_output_count(out);
    const obs_output_entry **sorted = g_new(const obs_output_entry *, n ? n : 1);
    for (size_t i = 0; i < n; i++)
        sorted[i] = obs_output_get(out, i);
    /* Documents may be committed in any order (threads); the manifest lists them by path. */
    qsort(sorted, n, sizeof *sorted, cmp_entries);
    json_builder_set_member_name(b, "salidas");
    json_builder_begin_array(b);
    for (size_t i = 0; i < n; i++) {
        const obs_output_entry *e = sorted[i];
        json_builder_begin_object(b);
        add_str(b, "ruta", e->relpath);
        add_str(b, "tipo", e->kind);
        json_builder_set_member_name(b, "entidad");
        if (e->entidad > 0) {
            char clave[4];
            g_snprintf(clave, sizeof clave, "%02d", e->entidad);
            json_builder_add_string_value(b, clave);
        } else {
            json_builder_add_null_value(b);
        }
        add_int(b, "bytes", (int64_t)e->size);
        add_str(b, "sha256", e->sha256);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    g_free(sorted);
}

/* "omitidos": documents asked for and not written, with the reason (no OPL flagged: no exhorto). */
static void add_skipped(JsonBuilder *b, const obs_manifest_info *m)
{
    json_builder_set_member_name(b, "omitidos");
    json_builder_begin_array(b);
    for (size_t i = 0; i < m->nskipped; i++) {
        json_builder_begin_object(b);
        add_str(b, "tipo", m->skipped[i].kind);
        add_str(b, "ruta", m->skipped[i].path);
        add_str(b, "motivo", m->skipped[i].reason);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
}

obs_status obs_manifest_write(obs_output *out, const obs_manifest_info *m, obs_error *err)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    add_str(b, "herramienta", "observa");
    add_str(b, "version", m->version);
    add_str(b, "comando", m->command);
    add_day(b, "corte", m->run ? m->run->corte : OBS_DAY_NONE);
    add_day(b, "corte_anterior", m->run && m->run->anterior ? m->run->corte_anterior : OBS_DAY_NONE);
    GTimeZone *mx = g_time_zone_new_offset(-6 * 3600);
    GDateTime *utc = g_date_time_new_from_unix_utc(m->generated_at);
    GDateTime *local = g_date_time_to_timezone(utc, mx);
    char *when = g_date_time_format_iso8601(local);
    add_str(b, "generado", when);
    g_free(when);
    g_date_time_unref(local);
    g_date_time_unref(utc);
    g_time_zone_unref(mx);
    add_inputs(b, m->run);
    add_exports(b, m->run);
    add_outputs(b, out);
    add_skipped(b, m);
    add_int(b, "estado", m->status);
    json_builder_end_object(b);
    JsonGenerator *gen = json_generator_new();
    JsonNode *root = json_builder_get_root(b);
    json_generator_set_root(gen, root);
    json_generator_set_pretty(gen, TRUE);
    json_generator_set_indent(gen, 2);
    gsize len = 0;
    char *text = json_generator_to_data(gen, &len);
    GString *s = g_string_new_len(text, (gssize)len);
    g_string_append_c(s, '\n');
    obs_status st = obs_output_write(out, "manifest.json", s->str, s->len, "manifiesto", 0, err);
    g_string_free(s, TRUE);
    g_free(text);
    json_node_unref(root);
    g_object_unref(gen);
    g_object_unref(b);
    return st;
}

static obs_status not_a_manifest(const char *path, const char *why, obs_error *err)
{
    return obs_error_set(err, OBS_ERR_DATA, path, 0, 0, "no es un manifiesto de observa que se pueda leer (%s)",
                         why);
}

/* Member name of an object as a string, or NULL when absent or of another type. */
static const char *str_member(JsonObject *o, const char *name)
{
    JsonNode *n = json_object_get_member(o, name);
    return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING ? json_node_get_string(n)
                                                                                         : NULL;
}

static int64_t int_member(JsonObject *o, const char *name)
{
    JsonNode *n = json_object_get_member(o, name);
    return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_INT64 ? json_node_get_int(n) : -1;
}

/* The SHA-256 of each input file the manifest lists, in order. */
static char **read_input_hashes(JsonObject *root)
{
    JsonNode *n = json_object_get_member(root, "entradas");
    JsonArray *a = n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
    GPtrArray *shas = g_ptr_array_new();
    for (guint i = 0; a && i < json_array_get_length(a); i++) {
        JsonNode *e = json_array_get_element(a, i);
        const char *sha = JSON_NODE_HOLDS_OBJECT(e) ? str_member(json_node_get_object(e), "sha256") : NULL;
        g_ptr_array_add(shas, g_strdup(sha ? sha : ""));
    }
    g_ptr_array_add(shas, NULL);
    return (char **)g_ptr_array_free(shas, FALSE);
}

static void read_outputs(JsonObject *root, obs_manifest_prev *m)
{
    JsonNode *n = json_object_get_member(root, "salidas");
    JsonArray *a = n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
    guint len = a ? json_array_get_length(a) : 0;
    GPtrArray *rutas = g_ptr_array_new(), *tipos = g_ptr_array_new();
    m->salidas = g_new0(obs_output_entry, len ? len : 1);
    for (guint i = 0; i < len; i++) {
        JsonNode *e = json_array_get_element(a, i);
        if (!JSON_NODE_HOLDS_OBJECT(e))
            continue;
        JsonObject *o = json_node_get_object(e);
        const char *ruta = str_member(o, "ruta");
        const char *tipo = str_member(o, "tipo");
        const char *sha = str_member(o, "sha256");
        const char *entidad = str_member(o, "entidad");
        if (!ruta)
            continue;
        g_ptr_array_add(rutas, g_strdup(ruta));
        g_ptr_array_add(tipos, g_strdup(tipo ? tipo : ""));
        obs_output_entry *x = &m->salidas[m->nsalidas++];
        x->relpath = g_strdup(ruta);
        x->kind = g_strdup(tipo ? tipo : "");
        x->entidad = entidad ? (int)g_ascii_strtoll(entidad, NULL, 10) : 0;
        int64_t bytes = int_member(o, "bytes");
        x->size = bytes > 0 ? (uint64_t)bytes : 0;
        g_strlcpy(x->sha256, sha ? sha : "", sizeof x->sha256);
    }
    g_ptr_array_add(rutas, NULL);
    g_ptr_array_add(tipos, NULL);
    m->rutas = (char **)g_ptr_array_free(rutas, FALSE);
    m->tipos = (char **)g_ptr_array_free(tipos, FALSE);
}

obs_status obs_manifest_read(const char *dir, obs_manifest_prev **out, obs_error *err)
{
    *out = NULL;
    char *path = g_build_filename(dir, "manifest.json", NULL);
    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        g_free(path);
        return OBS_OK;
    }
    JsonParser *parser = json_parser_new();
    GError *gerr = NULL;
    obs_status st = OBS_OK;
    JsonNode *root = NULL;
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
        st = not_a_manifest(path, "no es un archivo regular", err);
    else if (!json_parser_load_from_file(parser, path, &gerr))
        st = not_a_manifest(path, gerr->domain == G_FILE_ERROR ? obs_gerror_str(gerr) : "no es JSON válido", err);
    else if (!(root = json_parser_get_root(parser)) || !JSON_NODE_HOLDS_OBJECT(root) ||
             g_strcmp0(str_member(json_node_get_object(root), "herramienta"), "observa") != 0)
        st = not_a_manifest(path, "no dice \"herramienta\": \"observa\"", err);
    if (st == OBS_OK) {
        JsonObject *o = json_node_get_object(root);
        obs_manifest_prev *m = g_new0(obs_manifest_prev, 1);
        const char *corte = str_member(o, "corte");
        m->corte = corte ? obs_day_parse_iso(corte) : OBS_DAY_NONE;
        m->command = g_strdup(str_member(o, "comando"));
        JsonNode *estado = json_object_get_member(o, "estado");
        m->estado = estado && JSON_NODE_HOLDS_VALUE(estado) && json_node_get_value_type(estado) == G_TYPE_INT64
                        ? (int)json_node_get_int(estado)
                        : -1;
        read_outputs(o, m);
        m->entradas_sha256 = read_input_hashes(o);
        *out = m;
    }
    g_clear_error(&gerr);
    g_object_unref(parser);
    g_free(path);
    return st;
}

void obs_manifest_prev_free(obs_manifest_prev *m)
{
    if (!m)
        return;
    g_free(m->command);
    g_strfreev(m->rutas);
    g_strfreev(m->tipos);
    for (size_t i = 0; i < m->nsalidas; i++) {
        g_free(m->salidas[i].relpath);
        g_free(m->salidas[i].kind);
    }
    g_free(m->salidas);
    g_strfreev(m->entradas_sha256);
    g_free(m);
}
