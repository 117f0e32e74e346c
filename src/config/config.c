/* config.c - the INI configuration (GLib key file), validated with file:line errors. */
#include "config/config_int.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "util/image_int.h"
#include "util/ini_int.h"

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
    cfg->max_rechazadas = OBS_MAX_RECHAZADAS_DEFAULT;
}

void obs_config_clear(obs_config *cfg)
{
    g_strfreev(cfg->solicitudes);
    g_strfreev(cfg->difusion);
    g_free(cfg->salida);
    g_free(cfg->plantillas);
    g_free(cfg->hoja);
    g_free(cfg->proceso);
    g_free(cfg->lugar);
    g_free(cfg->logo);
    g_free(cfg->historial);
    g_free(cfg->servir_nombre);
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

/* The spellings each encoding accepts (compared in lowercase, trimmed). */
static const struct {
    const char *name;
    obs_encoding enc;
} encodings[] = {
    {"auto", OBS_ENC_AUTO},           {"utf-8", OBS_ENC_UTF8},   {"utf8", OBS_ENC_UTF8},
    {"windows-1252", OBS_ENC_CP1252}, {"cp1252", OBS_ENC_CP1252}, {"latin1", OBS_ENC_CP1252},
    {"iso-8859-1", OBS_ENC_CP1252},
};

bool obs_config_parse_codificacion(const char *s, obs_encoding *out)
{
    char *w = g_strstrip(g_ascii_strdown(s, -1));
    bool ok = false;
    for (size_t i = 0; i < G_N_ELEMENTS(encodings) && !ok; i++)
        if (strcmp(w, encodings[i].name) == 0) {
            *out = encodings[i].enc;
            ok = true;
        }
    g_free(w);
    return ok;
}

/* The spellings each delimiter accepts (0: detected). */
static const struct {
    const char *name;
    char delim;
} delimiters[] = {
    {"auto", 0}, {",", ','}, {"coma", ','}, {";", ';'}, {"punto_y_coma", ';'}, {"tab", '\t'}, {"\t", '\t'}, {"\\t", '\t'},
};

bool obs_config_parse_delimitador(const char *s, char *out)
{
    for (size_t i = 0; i < G_N_ELEMENTS(delimiters); i++)
        if (strcmp(s, delimiters[i].name) == 0) {
            *out = delimiters[i].delim;
            return true;
        }
    return false;
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
    K_PATH, K_DIR, K_PATHS, K_TEXT, K_DATE, K_FORMATOS, K_CODIF, K_DELIM, K_BOOL, K_INT, K_FRAC, K_PAPEL,
    K_FECHA_HORA, K_DOCUMENTOS, K_HILOS, K_PERCENT, K_LOGO
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
    {"entrada", "hoja", K_TEXT, OFF(hoja)},
    {"entrada", "max_rechazadas", K_PERCENT, OFF(max_rechazadas)},
    {"corte", "corte", K_DATE, OFF(corte)},
    {"corte", "corte_anterior", K_DATE, OFF(corte_anterior)},
    {"salida", "directorio", K_DIR, OFF(salida)},
    {"salida", "formatos", K_FORMATOS, OFF(formatos)},
    {"salida", "plantillas", K_PATH, OFF(plantillas)},
    {"salida", "estricto", K_BOOL, OFF(estricto)},
    {"salida", "documentos", K_DOCUMENTOS, OFF(documentos)},
    {"salida", "hilos", K_HILOS, OFF(hilos)},
    {"informe", "proceso", K_TEXT, OFF(proceso)},
    {"informe", "lugar", K_TEXT, OFF(lugar)},
    {"informe", "papel", K_PAPEL, OFF(papel)},
    {"informe", "logo", K_LOGO, OFF(logo)},
    {"informe", "fecha_generacion", K_FECHA_HORA, OFF(fecha_generacion)},
    {"difusion", "umbral_minimo", K_INT, OFF(rule.umbral_minimo)},
    {"difusion", "fraccion_mediana", K_FRAC, OFF(rule.fraccion_mediana)},
    {"historial", "archivo", K_PATH, OFF(historial)},
    {"servir", "nombre", K_TEXT, OFF(servir_nombre)},
    {"servir", "retencion_dias", K_INT, OFF(servir_retencion_dias)},
    {"servir", "trabajos", K_INT, OFF(servir_trabajos)},
};

/* [oficio] keys whose value the letter cannot do without when they are written at all (the
 * others, such as ccp or oficio_previo, may be left empty to say "none"). */
static const char *const oficio_needs_value[] = {"area", "numero", "lugar", "fecha", "destinatario",
                                                 "opl_destinatario", "firmante", "firmante_cargo", "comision",
                                                 "sesion_fecha", "sesion_tipo", NULL};

static bool in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

static char *resolve_path(const char *base_dir, const char *value)
{
    if (g_path_is_absolute(value))
        return g_strdup(value);
    return g_build_filename(base_dir, value, NULL);
}

/* "a.csv, datos/b.csv": each path relative to base_dir; an empty item is an error. */
static bool set_paths(char ***field, const char *value, const char *base_dir)
{
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
    g_strfreev(*field);
    *field = parts;
    return true;
}

bool obs_config_parse_porcentaje(const char *s, int *hundredths)
{
    const char *p = s;
    int64_t v = 0;
    int digits = 0, decimals = 0;
    for (; g_ascii_isdigit(*p) && digits < 4; p++, digits++)
        v = v * 10 + (*p - '0');
    v *= 100;
    if (digits && *p == '.')
        for (p++; g_ascii_isdigit(*p) && decimals < 2; p++, decimals++)
            v += (*p - '0') * (decimals ? 1 : 10);
    if (*p == '%')
        p++;
    if (!digits || *p || v > 10000)
        return false;
    *hundredths = (int)v;
    return true;
}

obs_status obs_config_check_logo(const char *path, obs_error *err)
{
    GStatBuf st;
    if (g_stat(path, &st) != 0)
        return obs_error_set(err, OBS_ERR_CONFIG, path, 0, 0, "no se puede usar el logotipo: %s",
                             obs_strerror(errno));
    if (!S_ISREG(st.st_mode))
        return obs_error_set(err, OBS_ERR_CONFIG, path, 0, 0,
                             "el logotipo no es un archivo regular; indique una imagen PNG o JPEG");
    if (st.st_size > OBS_LOGO_MAX_BYTES)
        return obs_error_set(err, OBS_ERR_CONFIG, path, 0, 0,
                             "el logotipo mide %" G_GUINT64_FORMAT " bytes, más que el máximo de 5 MB; "
                             "use una imagen más pequeña",
                             (guint64)st.st_size);
    char *data = NULL;
    gsize n = 0;
    GError *e = NULL;
    if (!g_file_get_contents(path, &data, &n, &e)) {
        obs_status s = obs_error_set(err, OBS_ERR_CONFIG, path, 0, 0, "no se puede leer el logotipo: %s",
                                     obs_gerror_str(e));
        g_error_free(e);
        return s;
    }
    /* The whole structure, as the renderer will check it: a damaged image fails here, at its line. */
    obs_image_kind kind;
    obs_status s = obs_image_check((const unsigned char *)data, n, path, &kind, err);
    g_free(data);
    if (s != OBS_OK)
        return s;
    return OBS_OK;
}

/* Integers are decimal, whatever their leading zeros ("010" is ten). */
static bool parse_decimal(const char *s, int64_t min, int64_t max, int64_t *out)
{
    int64_t v = 0;
    const char *p = s;
    for (; g_ascii_isdigit(*p); p++) {
        if (v > (INT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (*p - '0');
    }
    if (p == s || *p || v < min || v > max)
        return false;
    *out = v;
    return true;
}

bool obs_config_parse_entero(const char *s, int64_t min, int64_t max, int64_t *out)
{
    return parse_decimal(s, min, max, out);
}

/* {corte} is the only placeholder a directory may hold. */
static bool valid_dir_pattern(const char *v)
{
    for (const char *p = strchr(v, '{'); p; p = strchr(p + 1, '{'))
        if (!g_str_has_prefix(p, OBS_CONFIG_CORTE_PLACEHOLDER))
            return false;
    for (const char *p = strchr(v, '}'); p; p = strchr(p + 1, '}'))
        if (p < v + 6 || strncmp(p - 6, OBS_CONFIG_CORTE_PLACEHOLDER, 7) != 0)
            return false;
    return true;
}

static bool set_scalar(obs_config *cfg, const key_def *k, const char *value, const char **why)
{
    void *field = G_STRUCT_MEMBER_P(cfg, k->offset);
    int64_t n;
    switch (k->type) {
    case K_DATE: {
        obs_day d = obs_day_parse_iso(value);
        *why = "se espera una fecha AAAA-MM-DD";
        if (d == OBS_DAY_NONE)
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
        *why = "se espera true o false (o sí/no)";
        if (strcmp(value, "true") == 0 || strcmp(value, "si") == 0 || strcmp(value, "sí") == 0)
            *(bool *)field = true;
        else if (strcmp(value, "false") == 0 || strcmp(value, "no") == 0)
            *(bool *)field = false;
        else
            return false;
        return true;
    case K_INT:
        *why = "se espera un número entero mayor o igual a 0, en decimal";
        if (!parse_decimal(value, 0, INT32_MAX, &n))
            return false;
        *(int64_t *)field = n;
        return true;
    case K_FRAC: {
        char *end;
        double v = g_ascii_strtod(value, &end);
        *why = "se espera un número entre 0 y 1 (por ejemplo 0.5)";
        if (*end || !isfinite(v) || v < 0 || v > 1)
            return false;
        *(double *)field = v;
        return true;
    }
    case K_PAPEL:
        *why = "se espera carta o a4";
        return obs_config_parse_papel(value, field);
    case K_HILOS:
        *why = "se espera un número de hilos entre 1 y 256, en decimal";
        if (!parse_decimal(value, 1, 256, &n))
            return false;
        *(int *)field = (int)n;
        return true;
    case K_PERCENT:
        *why = "se espera un porcentaje entre 0 y 100, con hasta dos decimales (por ejemplo 5 o 2.5)";
        return obs_config_parse_porcentaje(value, field);
    case K_DOCUMENTOS:
        *why = "se espera una lista de informe, opl, oficio, oficio_opl y metricas separados por comas";
        return obs_config_parse_documentos(value, field);
    case K_FECHA_HORA: {
        /* Unix time: before 1970 it would be negative, and -1 already means "unset". */
        *why = "se espera una fecha y hora ISO 8601 desde 1970, por ejemplo 2024-05-09T10:00:00-06:00";
        int64_t t;
        if (!obs_config_parse_fecha_hora(value, &t) || t < 0)
            return false;
        *(int64_t *)field = t;
        return true;
    }
    default:
        return false;
    }
}

static bool set_value(obs_config *cfg, const key_def *k, const char *value, const char *base_dir,
                      const char **why)
{
    void *field = G_STRUCT_MEMBER_P(cfg, k->offset);
    switch (k->type) {
    case K_DIR:
        *why = "el único marcador que admite es {corte} (la fecha de corte AAAA-MM-DD), por ejemplo "
               "salida/{corte}";
        if (!valid_dir_pattern(value))
            return false;
        G_GNUC_FALLTHROUGH;
    case K_PATH:
    case K_LOGO:
        g_free(*(char **)field);
        *(char **)field = resolve_path(base_dir, value);
        return true;
    case K_PATHS:
        *why = "se espera una lista de archivos o directorios separados por comas, sin elementos vacíos";
        return set_paths(field, value, base_dir);
    case K_TEXT:
        g_free(*(char **)field);
        *(char **)field = g_strdup(value);
        return true;
    default:
        return set_scalar(cfg, k, value, why);
    }
}

typedef struct loader {
    obs_config *cfg;
    const char *path;
    char *base_dir;
    bool in_oficio;        /* the current section is [oficio] */
    uint64_t corte_line;   /* lines of [corte] corte and corte_anterior, for their check */
    uint64_t anterior_line;
} loader;

static const char *const valid_sections =
    "las secciones válidas son [entrada], [corte], [salida], [informe], [difusion], [oficio] e [historial]";

static obs_status on_section(loader *l, const obs_ini_entry *e, obs_error *err)
{
    l->in_oficio = strcmp(e->group, "oficio") == 0;
    if (l->in_oficio)
        return OBS_OK;
    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
        if (strcmp(keys[i].group, e->group) == 0)
            return OBS_OK;
    return obs_error_set(err, OBS_ERR_CONFIG, l->path, e->line, 0, "sección desconocida [%s]; %s", e->group,
                         valid_sections);
}

/* [oficio]: free texts for the letter; the two dates must be dates. */
static obs_status on_oficio_key(loader *l, const obs_ini_entry *e, obs_error *err)
{
    if (!in_list(obs_oficio_keys, e->key))
        return obs_error_set(err, OBS_ERR_CONFIG, l->path, e->line, 0, "clave desconocida «%s» en [oficio]",
                             e->key);
    if (!*e->value && in_list(oficio_needs_value, e->key))
        return obs_error_set(err, OBS_ERR_CONFIG, l->path, e->line, 0,
                             "«%s» en [oficio] no tiene valor; escríbalo o borre la línea", e->key);
    if ((strcmp(e->key, "fecha") == 0 || strcmp(e->key, "sesion_fecha") == 0) &&
        obs_day_parse_iso(e->value) == OBS_DAY_NONE)
        return obs_error_set(err, OBS_ERR_CONFIG, l->path, e->line, 0,
                             "valor no válido para «%s» en [oficio]: «%s»; se espera una fecha AAAA-MM-DD",
                             e->key, e->value);
    g_hash_table_insert(l->cfg->oficio, g_strdup(e->key), g_strdup(e->value));
    return OBS_OK;
}

static obs_status on_entry(void *ud, const obs_ini_entry *e, obs_error *err)
{
    loader *l = ud;
    if (!e->key)
        return on_section(l, e, err);
    if (l->in_oficio)
        return on_oficio_key(l, e, err);
    const key_def *def = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(keys) && !def; i++)
        if (strcmp(keys[i].group, e->group) == 0 && strcmp(keys[i].key, e->key) == 0)
            def = &keys[i];
    if (!def)
        return obs_error_set(err, OBS_ERR_CONFIG, l->path, e->line, 0, "clave desconocida «%s» en [%s]", e->key,
                             e->group);
    if (!*e->value)
        return obs_error_set(err, OBS_ERR_CONFIG, l->path, e->line, 0,
                             "«%s» en [%s] no tiene valor; escríbalo o borre la línea (o póngale # delante)",
                             e->key, e->group);
    const char *why = "valor no válido";
    if (!set_value(l->cfg, def, e->value, l->base_dir, &why))
        return obs_error_set(err, OBS_ERR_CONFIG, l->path, e->line, 0, "valor no válido para «%s» en [%s]: «%s»; %s",
                             e->key, e->group, e->value, why);
    if (def->type == K_LOGO && obs_config_check_logo(l->cfg->logo, err) != OBS_OK) {
        /* The image is read only when the cover is drawn, after the data: check it now, at its line. */
        char what[OBS_ERROR_MSG_MAX];
        g_strlcpy(what, err->message, sizeof what);
        return obs_error_set(err, OBS_ERR_CONFIG, l->path, e->line, 0, "logo = %s: %s", e->value, what);
    }
    if (def->offset == OFF(corte))
        l->corte_line = e->line;
    else if (def->offset == OFF(corte_anterior))
        l->anterior_line = e->line;
    return OBS_OK;
}

obs_status obs_config_load(obs_config *cfg, const char *path, obs_error *err)
{
    loader l = {.cfg = cfg, .path = path, .base_dir = g_path_get_dirname(path)};
    obs_status st = obs_ini_read(path, OBS_CONFIG_MAX_BYTES, on_entry, &l, err);
    if (st == OBS_OK && l.corte_line && l.anterior_line && cfg->corte_anterior >= cfg->corte)
        st = obs_error_set(err, OBS_ERR_CONFIG, path, l.anterior_line, 0,
                           "corte_anterior debe ser una fecha anterior a corte (línea %" G_GUINT64_FORMAT ")",
                           (guint64)l.corte_line);
    g_free(l.base_dir);
    return st;
}
