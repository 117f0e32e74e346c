/* config.c - the INI configuration (GLib key file), validated with file:line errors. */
#include "observa/config.h"

#include <errno.h>
#include <glib.h>
#include <math.h>
#include <string.h>

const char *const obs_oficio_keys[] = {
    "area", "numero", "numero_inicial", "numeros", "lugar", "fecha", "destinatario", "destinatario_cargo", "opl_destinatario",
    "firmante", "firmante_cargo", "valida", "valida_cargo", "contacto", "contacto_cargo",
    "contacto_correo", "comision", "sesion_fecha", "sesion_tipo", "oficio_previo", "ccp", NULL};

void obs_config_init(obs_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->oficio = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    cfg->rule.umbral_minimo = 5;
    cfg->rule.fraccion_mediana = 0.5;
    cfg->papel = OBS_PAPER_LETTER;
    cfg->fecha_generacion = -1;
}

void obs_config_clear(obs_config *cfg)
{
    g_strfreev(cfg->solicitudes);
    g_strfreev(cfg->difusion);
    g_free(cfg->salida);
    g_free(cfg->plantillas);
    g_free(cfg->proceso);
    g_free(cfg->lugar);
    g_free(cfg->logo);
    if (cfg->oficio)
        g_hash_table_destroy(cfg->oficio);
    memset(cfg, 0, sizeof *cfg);
}

bool obs_config_parse_formatos(const char *s, unsigned *out)
{
    unsigned f = 0;
    char **parts = g_strsplit(s, ",", -1);
    bool ok = true;
    for (char **p = parts; *p; p++) {
        char *w = g_strstrip(g_ascii_strdown(*p, -1));
        if (strcmp(w, "pdf") == 0)
            f |= OBS_FMT_PDF;
        else if (strcmp(w, "xlsx") == 0)
            f |= OBS_FMT_XLSX;
        else if (strcmp(w, "csv") == 0)
            f |= OBS_FMT_CSV;
        else if (*w)
            ok = false;
        g_free(w);
    }
    g_strfreev(parts);
    if (ok && f)
        *out = f;
    return ok && f;
}

bool obs_config_parse_documentos(const char *s, unsigned *out)
{
    static const struct {
        const char *name;
        unsigned bit;
    } docs[] = {{"informe", OBS_DOC_INFORME}, {"opl", OBS_DOC_OPL}, {"oficio", OBS_DOC_OFICIO},
                {"oficio_opl", OBS_DOC_OFICIO_OPL}, {"metricas", OBS_DOC_METRICAS}};
    unsigned f = 0;
    bool ok = true;
    char **parts = g_strsplit(s, ",", -1);
    for (char **p = parts; *p && ok; p++) {
        char *w = g_strstrip(*p);
        if (!*w)
            continue;
        bool known = false;
        for (size_t i = 0; i < G_N_ELEMENTS(docs); i++)
            if (strcmp(w, docs[i].name) == 0) {
                f |= docs[i].bit;
                known = true;
            }
        ok = known;
    }
    g_strfreev(parts);
    if (ok && f)
        *out = f;
    return ok && f;
}

bool obs_config_parse_codificacion(const char *s, obs_encoding *out)
{
    char *w = g_ascii_strdown(s, -1);
    g_strstrip(w);
    bool ok = true;
    if (strcmp(w, "auto") == 0)
        *out = OBS_ENC_AUTO;
    else if (strcmp(w, "utf-8") == 0 || strcmp(w, "utf8") == 0)
        *out = OBS_ENC_UTF8;
    else if (strcmp(w, "windows-1252") == 0 || strcmp(w, "cp1252") == 0 ||
             strcmp(w, "latin1") == 0 || strcmp(w, "iso-8859-1") == 0)
        *out = OBS_ENC_CP1252;
    else
        ok = false;
    g_free(w);
    return ok;
}

bool obs_config_parse_delimitador(const char *s, char *out)
{
    if (strcmp(s, "auto") == 0)
        *out = 0;
    else if (strcmp(s, ",") == 0 || strcmp(s, "coma") == 0)
        *out = ',';
    else if (strcmp(s, ";") == 0 || strcmp(s, "punto_y_coma") == 0)
        *out = ';';
    else if (strcmp(s, "tab") == 0 || strcmp(s, "\t") == 0 || strcmp(s, "\\t") == 0)
        *out = '\t';
    else
        return false;
    return true;
}

bool obs_config_parse_papel(const char *s, obs_paper *out)
{
    char *w = g_ascii_strdown(s, -1);
    g_strstrip(w);
    bool ok = true;
    if (strcmp(w, "carta") == 0 || strcmp(w, "letter") == 0)
        *out = OBS_PAPER_LETTER;
    else if (strcmp(w, "a4") == 0)
        *out = OBS_PAPER_A4;
    else
        ok = false;
    g_free(w);
    return ok;
}

bool obs_config_parse_fecha_hora(const char *s, int64_t *out)
{
    GTimeZone *mx = g_time_zone_new_offset(-6 * 3600);
    GDateTime *dt = g_date_time_new_from_iso8601(s, mx);
    if (!dt) {
        obs_day d = obs_day_parse_iso(s);
        if (d != OBS_DAY_NONE) {
            int y, m, dd;
            obs_day_to_ymd(d, &y, &m, &dd);
            dt = g_date_time_new(mx, y, m, dd, 12, 0, 0);
        }
    }
    g_time_zone_unref(mx);
    if (!dt)
        return false;
    *out = g_date_time_to_unix(dt);
    g_date_time_unref(dt);
    return true;
}

/* ---- loading -------------------------------------------------------------------------------- */

typedef enum key_type {
    K_PATH, K_PATHS, K_TEXT, K_DATE, K_FORMATOS, K_CODIF, K_DELIM, K_BOOL, K_INT, K_FRAC, K_PAPEL, K_FECHA_HORA,
    K_DOCUMENTOS, K_HILOS
} key_type;

typedef struct key_def {
    const char *group;
    const char *key;
    key_type type;
    size_t offset;
} key_def;

#define OFF(f) G_STRUCT_OFFSET(obs_config, f)

static const key_def keys[] = {
    {"entrada", "solicitudes", K_PATHS, OFF(solicitudes)},
    {"entrada", "difusion", K_PATHS, OFF(difusion)},
    {"entrada", "codificacion", K_CODIF, OFF(codificacion)},
    {"entrada", "delimitador", K_DELIM, OFF(delimitador)},
    {"corte", "corte", K_DATE, OFF(corte)},
    {"corte", "corte_anterior", K_DATE, OFF(corte_anterior)},
    {"salida", "directorio", K_PATH, OFF(salida)},
    {"salida", "formatos", K_FORMATOS, OFF(formatos)},
    {"salida", "plantillas", K_PATH, OFF(plantillas)},
    {"salida", "estricto", K_BOOL, OFF(estricto)},
    {"salida", "documentos", K_DOCUMENTOS, OFF(documentos)},
    {"salida", "hilos", K_HILOS, OFF(hilos)},
    {"informe", "proceso", K_TEXT, OFF(proceso)},
    {"informe", "lugar", K_TEXT, OFF(lugar)},
    {"informe", "papel", K_PAPEL, OFF(papel)},
    {"informe", "logo", K_PATH, OFF(logo)},
    {"informe", "fecha_generacion", K_FECHA_HORA, OFF(fecha_generacion)},
    {"difusion", "umbral_minimo", K_INT, OFF(rule.umbral_minimo)},
    {"difusion", "fraccion_mediana", K_FRAC, OFF(rule.fraccion_mediana)},
};

/* Line of "[group]" (key NULL) or of "key =" inside it, for messages; 0 if not found. */
static uint64_t find_line(char **lines, const char *group, const char *key)
{
    bool in_group = false;
    for (uint64_t i = 0; lines[i]; i++) {
        char *l = g_strstrip(g_strdup(lines[i]));
        if (l[0] == '[') {
            char *end = strchr(l, ']');
            in_group = end && (size_t)(end - l - 1) == strlen(group) && strncmp(l + 1, group, strlen(group)) == 0;
            if (in_group && !key) {
                g_free(l);
                return i + 1;
            }
        } else if (in_group && key && g_str_has_prefix(l, key)) {
            const char *rest = l + strlen(key);
            while (*rest == ' ' || *rest == '\t')
                rest++;
            if (*rest == '=') {
                g_free(l);
                return i + 1;
            }
        }
        g_free(l);
    }
    return 0;
}

static char *resolve_path(const char *base_dir, const char *value)
{
    if (g_path_is_absolute(value))
        return g_strdup(value);
    return g_build_filename(base_dir, value, NULL);
}

/* "a.csv, datos/b.csv": each path relative to base_dir; "" unsets; an empty item is an error. */
static bool set_paths(char ***field, const char *value, const char *base_dir)
{
    g_strfreev(*field);
    *field = NULL;
    if (!*value)
        return true;
    char **parts = g_strsplit(value, ",", -1);
    for (char **p = parts; *p; p++) {
        if (!*g_strstrip(*p)) {
            g_strfreev(parts);
            return false;
        }
        char *path = resolve_path(base_dir, *p);
        g_free(*p);
        *p = path;
    }
    *field = parts;
    return true;
}

static bool set_value(obs_config *cfg, const key_def *k, const char *value, const char *base_dir,
                      const char **why)
{
    void *field = G_STRUCT_MEMBER_P(cfg, k->offset);
    switch (k->type) {
    case K_PATH:
        g_free(*(char **)field);
        *(char **)field = *value ? resolve_path(base_dir, value) : NULL;
        return true;
    case K_PATHS:
        *why = "se espera una lista de archivos o directorios separados por comas, sin elementos vacíos";
        return set_paths(field, value, base_dir);
    case K_TEXT:
        g_free(*(char **)field);
        *(char **)field = g_strdup(value);
        return true;
    case K_DATE: {
        obs_day d = *value ? obs_day_parse_iso(value) : OBS_DAY_NONE;
        *why = "se espera una fecha AAAA-MM-DD";
        if (*value && d == OBS_DAY_NONE)
            return false;
        *(obs_day *)field = d;
        return true;
    }
    case K_FORMATOS:
        *why = "se espera una lista de pdf, xlsx y csv separados por comas";
        return obs_config_parse_formatos(value, field);
    case K_CODIF:
        *why = "se espera auto, utf-8 o windows-1252";
        return obs_config_parse_codificacion(value, field);
    case K_DELIM:
        *why = "se espera auto, «,», «;» o tab";
        return obs_config_parse_delimitador(value, field);
    case K_BOOL:
        *why = "se espera true o false";
        if (strcmp(value, "true") == 0 || strcmp(value, "si") == 0 || strcmp(value, "sí") == 0)
            *(bool *)field = true;
        else if (strcmp(value, "false") == 0 || strcmp(value, "no") == 0)
            *(bool *)field = false;
        else
            return false;
        return true;
    case K_INT: {
        char *end;
        errno = 0;
        gint64 v = g_ascii_strtoll(value, &end, 10);
        *why = "se espera un número entero mayor o igual a 0";
        if (!*value || *end || errno || v < 0)
            return false;
        *(int64_t *)field = v;
        return true;
    }
    case K_FRAC: {
        char *end;
        double v = g_ascii_strtod(value, &end);
        *why = "se espera un número entre 0 y 1 (por ejemplo 0.5)";
        if (!*value || *end || !isfinite(v) || v < 0 || v > 1)
            return false;
        *(double *)field = v;
        return true;
    }
    case K_PAPEL:
        *why = "se espera carta o a4";
        return obs_config_parse_papel(value, field);
    case K_HILOS: {
        char *end;
        gint64 v = g_ascii_strtoll(value, &end, 10);
        *why = "se espera un número de hilos entre 1 y 256";
        if (!*value || *end || v < 1 || v > 256)
            return false;
        *(int *)field = (int)v;
        return true;
    }
    case K_DOCUMENTOS:
        *why = "se espera una lista de informe, opl, oficio, oficio_opl y metricas separados por comas";
        return obs_config_parse_documentos(value, field);
    case K_FECHA_HORA:
        *why = "se espera una fecha y hora ISO 8601, por ejemplo 2024-05-09T10:00:00-06:00";
        if (!*value) {
            *(int64_t *)field = -1;
            return true;
        }
        /* Unix time: before 1970 it would be negative, and -1 already means "unset". */
        *why = "se espera una fecha y hora ISO 8601 desde 1970, por ejemplo 2024-05-09T10:00:00-06:00";
        int64_t t;
        if (!obs_config_parse_fecha_hora(value, &t) || t < 0)
            return false;
        *(int64_t *)field = t;
        return true;
    }
    return false;
}

/* [oficio]: free texts for the letter; the two dates must be dates. */
static obs_status load_oficio(obs_config *cfg, GKeyFile *kf, char **lines, const char *path, obs_error *err)
{
    gsize nkeys = 0;
    char **names = g_key_file_get_keys(kf, "oficio", &nkeys, NULL);
    obs_status st = OBS_OK;
    for (gsize k = 0; k < nkeys && st == OBS_OK; k++) {
        bool known = false;
        for (size_t i = 0; obs_oficio_keys[i]; i++)
            known |= strcmp(obs_oficio_keys[i], names[k]) == 0;
        uint64_t line = find_line(lines, "oficio", names[k]);
        char *value = g_key_file_get_string(kf, "oficio", names[k], NULL);
        char *v = g_strstrip(value ? value : g_strdup(""));
        if (!known)
            st = obs_error_set(err, OBS_ERR_CONFIG, path, line, 0,
                               "clave desconocida «%s» en [oficio]", names[k]);
        else if ((strcmp(names[k], "fecha") == 0 || strcmp(names[k], "sesion_fecha") == 0) && *v &&
                 obs_day_parse_iso(v) == OBS_DAY_NONE)
            st = obs_error_set(err, OBS_ERR_CONFIG, path, line, 0,
                               "valor no válido para «%s» en [oficio]: «%s»; se espera una fecha AAAA-MM-DD",
                               names[k], v);
        if (st == OBS_OK)
            g_hash_table_insert(cfg->oficio, g_strdup(names[k]), g_strdup(v));
        g_free(v);
    }
    g_strfreev(names);
    return st;
}

obs_status obs_config_load(obs_config *cfg, const char *path, obs_error *err)
{
    char *text = NULL;
    gsize len = 0;
    GError *gerr = NULL;
    if (!g_file_get_contents(path, &text, &len, &gerr)) {
        obs_status st = obs_error_set(err, OBS_ERR_NOINPUT, path, 0, 0,
                                      "no se puede leer el archivo de configuración: %s", gerr->message);
        g_error_free(gerr);
        return st;
    }
    if (!g_utf8_validate(text, (gssize)len, NULL)) {
        g_free(text);
        return obs_error_set(err, OBS_ERR_CONFIG, path, 0, 0,
                             "el archivo de configuración debe estar en UTF-8");
    }
    GKeyFile *kf = g_key_file_new();
    obs_status st = OBS_OK;
    char **lines = g_strsplit(text, "\n", -1);
    if (!g_key_file_load_from_data(kf, text, len, G_KEY_FILE_NONE, &gerr)) {
        st = obs_error_set(err, OBS_ERR_CONFIG, path, 0, 0,
                           "el archivo de configuración no es un INI válido: %s", gerr->message);
        g_error_free(gerr);
    }
    char *base_dir = g_path_get_dirname(path);
    gsize ngroups = 0;
    char **groups = st == OBS_OK ? g_key_file_get_groups(kf, &ngroups) : NULL;
    for (gsize g = 0; g < ngroups && st == OBS_OK; g++) {
        if (strcmp(groups[g], "oficio") == 0) {
            st = load_oficio(cfg, kf, lines, path, err);
            continue;
        }
        bool known_group = false;
        for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
            known_group |= strcmp(keys[i].group, groups[g]) == 0;
        if (!known_group) {
            st = obs_error_set(err, OBS_ERR_CONFIG, path, find_line(lines, groups[g], NULL), 0,
                               "sección desconocida [%s]; las secciones válidas son [entrada], "
                               "[corte], [salida], [informe], [difusion] y [oficio]",
                               groups[g]);
            break;
        }
        gsize nkeys = 0;
        char **names = g_key_file_get_keys(kf, groups[g], &nkeys, NULL);
        for (gsize k = 0; k < nkeys && st == OBS_OK; k++) {
            const key_def *def = NULL;
            for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
                if (strcmp(keys[i].group, groups[g]) == 0 && strcmp(keys[i].key, names[k]) == 0)
                    def = &keys[i];
            uint64_t line = find_line(lines, groups[g], names[k]);
            if (!def) {
                st = obs_error_set(err, OBS_ERR_CONFIG, path, line, 0,
                                   "clave desconocida «%s» en [%s]", names[k], groups[g]);
                break;
            }
            char *value = g_key_file_get_string(kf, groups[g], names[k], NULL);
            char *v = g_strstrip(value ? value : g_strdup(""));
            const char *why = "valor no válido";
            if (!set_value(cfg, def, v, base_dir, &why))
                st = obs_error_set(err, OBS_ERR_CONFIG, path, line, 0,
                                   "valor no válido para «%s» en [%s]: «%s»; %s", names[k],
                                   groups[g], v, why);
            g_free(v);
        }
        g_strfreev(names);
    }
    g_strfreev(groups);
    g_free(base_dir);
    g_strfreev(lines);
    g_key_file_free(kf);
    g_free(text);
    return st;
}
