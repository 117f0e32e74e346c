/* catalog.c - loads and queries the catalogues in templates/ (data contract §7). */
#include "ingest/catalog_int.h"

#include <glib.h>
#include <stdarg.h>
#include <string.h>

#include "ingest/csvread_int.h"
#include "util/ini_int.h"
#include "observa/text.h"

static const obs_column_def schema_solicitudes[] = {
    {"folio", true},           {"entidad", true},         {"fecha_solicitud", true},
    {"fecha_registro", false}, {"tipo", true},            {"medio", true},
    {"sexo", false},           {"edad", false},           {"fecha_nacimiento", false},
    {"distrito", false},       {"organizacion", false},   {"discapacidad", false},
    {"indigena", false},       {"modalidades", false},    {"fecha_curso", false},
    {"curso_impartido_por", false}, {"curso_modalidad", false}, {"resolucion", false},
    {"fecha_resolucion", false}, {"consejo", false},      {"causa", false},
};

static const obs_column_def schema_difusion[] = {
    {"id", true},         {"entidad", true},       {"instancia", true},
    {"fecha", true},      {"fecha_registro", false}, {"tipo", true},
    {"alcance", false},   {"descripcion", false},  {"municipio", false},
    {"poblacion_objetivo", false},
};

static const struct {
    const obs_column_def *cols;
    size_t n;
    const char *file;
    const char *ini_group;
} schemas[OBS_FILE_KIND_COUNT] = {
    [OBS_FILE_SOLICITUDES] = {schema_solicitudes, G_N_ELEMENTS(schema_solicitudes), "solicitudes.csv", "solicitudes"},
    [OBS_FILE_DIFUSION] = {schema_difusion, G_N_ELEMENTS(schema_difusion), "difusion.csv", "difusion"},
};

/* Fixed codes of each enumeration, in the order of the OBS_* constants of ingest.h. */
static const char *const codes_tipo[] = {"individual", "organizacion"};
static const char *const codes_medio[] = {"portal", "junta", "opl"};
static const char *const codes_sexo[] = {"mujer", "hombre", "no_binaria"};
static const char *const codes_curso_por[] = {"ine", "opl", "organizacion"};
static const char *const codes_curso_mod[] = {"presencial", "virtual"};
/* "pendiente" (OBS_RES_PENDIENTE) gathers the words of a request not yet resolved. */
static const char *const codes_resolucion[] = {"aprobada", "improcedente", "declinada", "pendiente"};
static const char *const codes_consejo[] = {"local", "distrital"};
static const char *const codes_modalidad[] = {"va", "vppp", "vmre"};
static const char *const codes_instancia[] = {"opl", "jle", "jde"};
static const char *const codes_booleano[] = {"si", "no"};

static const struct {
    const char *campo;
    const char *const *codes;
    size_t n;
} enums[OBS_ENUM_COUNT] = {
    [OBS_ENUM_TIPO] = {"tipo", codes_tipo, G_N_ELEMENTS(codes_tipo)},
    [OBS_ENUM_MEDIO] = {"medio", codes_medio, G_N_ELEMENTS(codes_medio)},
    [OBS_ENUM_SEXO] = {"sexo", codes_sexo, G_N_ELEMENTS(codes_sexo)},
    [OBS_ENUM_CURSO_POR] = {"curso_impartido_por", codes_curso_por, G_N_ELEMENTS(codes_curso_por)},
    [OBS_ENUM_CURSO_MODALIDAD] = {"curso_modalidad", codes_curso_mod, G_N_ELEMENTS(codes_curso_mod)},
    [OBS_ENUM_RESOLUCION] = {"resolucion", codes_resolucion, G_N_ELEMENTS(codes_resolucion)},
    [OBS_ENUM_CONSEJO] = {"consejo", codes_consejo, G_N_ELEMENTS(codes_consejo)},
    [OBS_ENUM_MODALIDAD] = {"modalidad", codes_modalidad, G_N_ELEMENTS(codes_modalidad)},
    [OBS_ENUM_INSTANCIA] = {"instancia", codes_instancia, G_N_ELEMENTS(codes_instancia)},
    [OBS_ENUM_BOOLEANO] = {"booleano", codes_booleano, G_N_ELEMENTS(codes_booleano)},
};

#define MAX_ENUM_CODES 4
#define WARN_BIT 0x100

typedef struct tipo_difusion {
    char *codigo;
    char *etiqueta;
} tipo_difusion;

struct obs_catalog {
    char *dir;
    obs_entidad entidades[OBS_ENTIDADES];
    GHashTable *entidad_alias;                 /* folded -> GINT_TO_POINTER(clave) */
    GHashTable *enum_alias[OBS_ENUM_COUNT];    /* folded -> GINT_TO_POINTER(code + 1 | WARN_BIT) */
    char *enum_label[OBS_ENUM_COUNT][MAX_ENUM_CODES];
    GArray *tipos;                             /* tipo_difusion */
    GHashTable *tipo_alias;                    /* folded -> GINT_TO_POINTER(index + 1) */
    int tipo_otro;
    GHashTable *columns[OBS_FILE_KIND_COUNT];  /* folded header -> GINT_TO_POINTER(index + 1) */
};

size_t obs_schema_count(obs_file_kind kind)
{
    return schemas[kind].n;
}

const obs_column_def *obs_schema_column(obs_file_kind kind, size_t i)
{
    return i < schemas[kind].n ? &schemas[kind].cols[i] : NULL;
}

const char *obs_file_kind_name(obs_file_kind kind)
{
    return schemas[kind].file;
}

/* ---- generic loading of a catalogue CSV ------------------------------------------------- */

typedef struct cat_loader {
    obs_catalog *cat;
    const char *path;
    const char *const *columns; /* expected header names, NULL-terminated */
    int map[16];                /* expected column -> position in the file, -1 if absent */
    bool header_done;
    bool (*row)(struct cat_loader *l, const obs_csv_record *rec, char **vals);
    obs_error *err;
    bool failed;
    int count;
} cat_loader;

static bool loader_fail(cat_loader *l, uint64_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool loader_fail(cat_loader *l, uint64_t line, const char *fmt, ...)
{
    char msg[OBS_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    g_vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    obs_error_set(l->err, OBS_ERR_CONFIG, l->path, line, 0, "%s", msg);
    l->failed = true;
    return false;
}

static bool loader_record(void *ud, const obs_csv_record *rec)
{
    cat_loader *l = ud;
    bool bad = rec->defect != OBS_CSV_OK || rec->quote_as_text;
    for (size_t i = 0; i < rec->nfields; i++)
        bad = bad || rec->fields[i].flags != 0;
    if (bad)
        return loader_fail(l, rec->line, "%s", "línea mal formada (comillas, bytes no válidos o demasiado larga)");
    if (!l->header_done) {
        l->header_done = true;
        for (size_t c = 0; l->columns[c]; c++) {
            l->map[c] = -1;
            for (size_t i = 0; i < rec->nfields; i++) {
                char *f = obs_fold(rec->fields[i].ptr, rec->fields[i].len);
                bool same = strcmp(f, l->columns[c]) == 0;
                g_free(f);
                if (same) {
                    l->map[c] = (int)i;
                    break;
                }
            }
            if (l->map[c] < 0 && strcmp(l->columns[c], "alias") != 0 &&
                strcmp(l->columns[c], "alias_con_aviso") != 0)
                return loader_fail(l, rec->line, "falta la columna «%s» en el encabezado", l->columns[c]);
        }
        return true;
    }
    char *vals[16] = {0};
    for (size_t c = 0; l->columns[c]; c++) {
        int pos = l->map[c];
        vals[c] = (pos >= 0 && (size_t)pos < rec->nfields)
                      ? g_strstrip(g_strndup(rec->fields[pos].ptr, rec->fields[pos].len))
                      : g_strdup("");
    }
    bool ok = l->row(l, rec, vals);
    for (size_t c = 0; l->columns[c]; c++)
        g_free(vals[c]);
    l->count++;
    return ok;
}

static obs_status load_csv(obs_catalog *cat, const char *name, const char *const *columns,
                           bool (*row)(cat_loader *, const obs_csv_record *, char **),
                           int *count, obs_error *err)
{
    char *path = g_build_filename(cat->dir, "catalogos", name, NULL);
    cat_loader l = {.cat = cat, .path = path, .columns = columns, .row = row, .err = err};
    obs_csv_options opts = {.encoding = OBS_ENC_UTF8, .comments = true};
    obs_csv_result res;
    obs_status st = obs_csv_read(path, &opts, loader_record, &l, &res, err);
    if (st == OBS_ERR_NOINPUT || st == OBS_ERR_DATA) {
        char why[OBS_ERROR_MSG_MAX];
        g_strlcpy(why, err ? err->message : "", sizeof why);
        st = obs_error_set(err, OBS_ERR_CONFIG, path, 0, 0,
                           "no se puede leer el catálogo (%s); revise la opción --plantillas", why);
    }
    else if (l.failed)
        st = OBS_ERR_CONFIG;
    else if (!l.header_done)
        st = obs_error_set(err, OBS_ERR_CONFIG, path, 0, 0, "el catálogo está vacío");
    if (count)
        *count = l.count;
    g_free(path);
    return st;
}

/* Adds every ';'-separated alias of `list` to table with value v; false on a conflict. */
static bool add_aliases(GHashTable *table, const char *list, int v, char **conflict)
{
    char **parts = g_strsplit(list, ";", -1);
    bool ok = true;
    for (char **p = parts; *p && ok; p++) {
        char *key = obs_fold(*p, strlen(*p));
        if (!*key) {
            g_free(key);
            continue;
        }
        gpointer old;
        if (g_hash_table_lookup_extended(table, key, NULL, &old)) {
            if ((GPOINTER_TO_INT(old) & ~WARN_BIT) != (v & ~WARN_BIT)) {
                *conflict = g_strdup(*p);
                ok = false;
            }
            g_free(key);
        } else {
            g_hash_table_insert(table, key, GINT_TO_POINTER(v));
        }
    }
    g_strfreev(parts);
    return ok;
}

/* ---- entidades.csv ------------------------------------------------------------------------ */

static const char *const entidad_columns[] = {"clave", "nombre", "nombre_oficial", "abreviatura",
                                              "opl_nombre", "opl_siglas", "opl_etiqueta", "alias", NULL};

static bool entidad_row(cat_loader *l, const obs_csv_record *rec, char **v)
{
    char *end = NULL;
    long clave = strtol(v[0], &end, 10);
    if (!*v[0] || *end || clave < 1 || clave > OBS_ENTIDADES)
        return loader_fail(l, rec->line, "clave de entidad no válida: «%s» (use 1 a 32)", v[0]);
    obs_entidad *e = &l->cat->entidades[clave - 1];
    if (e->clave)
        return loader_fail(l, rec->line, "la clave %s aparece dos veces", v[0]);
    for (int i = 1; i <= 6; i++)
        if (!*v[i])
            return loader_fail(l, rec->line, "falta el valor de «%s»", entidad_columns[i]);
    for (int k = 0; k < OBS_ENTIDADES; k++)
        if (l->cat->entidades[k].opl_etiqueta && strcmp(l->cat->entidades[k].opl_etiqueta, v[6]) == 0)
            return loader_fail(l, rec->line, "la etiqueta de OPL «%s» ya se usa: debe ser única", v[6]);
    e->clave = (int)clave;
    e->nombre = g_strdup(v[1]);
    e->nombre_oficial = g_strdup(v[2]);
    e->abreviatura = g_strdup(v[3]);
    e->opl_nombre = g_strdup(v[4]);
    e->opl_siglas = g_strdup(v[5]);
    e->opl_etiqueta = g_strdup(v[6]);
    char *all = g_strjoin(";", v[1], v[2], v[3], v[7], NULL);
    char *conflict = NULL;
    bool ok = add_aliases(l->cat->entidad_alias, all, (int)clave, &conflict);
    g_free(all);
    if (!ok) {
        loader_fail(l, rec->line, "el nombre o alias «%s» ya corresponde a otra entidad", conflict);
        g_free(conflict);
    }
    return ok;
}

/* ---- tipos_difusion.csv ------------------------------------------------------------------- */

static const char *const tipo_columns[] = {"codigo", "etiqueta", "alias", NULL};

static bool tipo_row(cat_loader *l, const obs_csv_record *rec, char **v)
{
    char *code = g_ascii_strdown(v[0], -1);
    bool valid = *code != '\0';
    for (const char *p = code; *p; p++)
        if (!g_ascii_isalnum(*p) && *p != '_')
            valid = false;
    if (!valid) {
        g_free(code);
        return loader_fail(l, rec->line, "código de tipo no válido: «%s» (use letras, números o _)", v[0]);
    }
    if (!*v[1]) {
        g_free(code);
        return loader_fail(l, rec->line, "falta la etiqueta del tipo «%s»", v[0]);
    }
    int index = (int)l->cat->tipos->len;
    tipo_difusion t = {code, g_strdup(v[1])};
    g_array_append_val(l->cat->tipos, t);
    char *all = g_strjoin(";", code, v[1], v[2], NULL);
    char *conflict = NULL;
    bool ok = add_aliases(l->cat->tipo_alias, all, index + 1, &conflict);
    g_free(all);
    if (!ok) {
        loader_fail(l, rec->line, "el código, etiqueta o alias «%s» ya corresponde a otro tipo", conflict);
        g_free(conflict);
    }
    if (strcmp(code, "otr") == 0)
        l->cat->tipo_otro = index;
    return ok;
}

/* ---- valores.csv -------------------------------------------------------------------------- */

static const char *const valor_columns[] = {"campo", "codigo", "etiqueta", "alias", "alias_con_aviso", NULL};

static bool valor_row(cat_loader *l, const obs_csv_record *rec, char **v)
{
    int e = -1;
    for (int i = 0; i < OBS_ENUM_COUNT; i++)
        if (strcmp(v[0], enums[i].campo) == 0)
            e = i;
    if (e < 0)
        return loader_fail(l, rec->line, "campo desconocido: «%s»", v[0]);
    int code = -1;
    for (size_t i = 0; i < enums[e].n; i++)
        if (strcmp(v[1], enums[e].codes[i]) == 0)
            code = (int)i;
    if (code < 0)
        return loader_fail(l, rec->line, "código desconocido para este campo: «%s»", v[1]);
    if (*v[2]) {
        g_free(l->cat->enum_label[e][code]);
        l->cat->enum_label[e][code] = g_strdup(v[2]);
    }
    char *all = g_strjoin(";", v[1], v[2], v[3], NULL);
    char *conflict = NULL;
    bool ok = add_aliases(l->cat->enum_alias[e], all, code + 1, &conflict) &&
              add_aliases(l->cat->enum_alias[e], v[4], (code + 1) | WARN_BIT, &conflict);
    g_free(all);
    if (!ok) {
        loader_fail(l, rec->line, "la escritura «%s» ya corresponde a otro código", conflict);
        g_free(conflict);
    }
    return ok;
}

/* ---- columnas.ini ------------------------------------------------------------------------- */

typedef struct columns_loader {
    obs_catalog *cat;
    const char *path;
    int kind; /* of the current section, or -1 */
} columns_loader;

/* One line of columnas.ini (read by obs_ini_read(), so every message has its line). */
static obs_status on_column(void *ud, const obs_ini_entry *e, obs_error *err)
{
    columns_loader *l = ud;
    if (!e->key) {
        l->kind = -1;
        for (int k = 0; k < OBS_FILE_KIND_COUNT; k++)
            if (strcmp(e->group, schemas[k].ini_group) == 0)
                l->kind = k;
        return l->kind >= 0 ? OBS_OK
                            : obs_error_set(err, OBS_ERR_CONFIG, l->path, e->line, 0,
                                            "sección desconocida [%s]: use [solicitudes] o [difusion]", e->group);
    }
    gpointer idx = g_hash_table_lookup(l->cat->columns[l->kind], e->key);
    if (!idx)
        return obs_error_set(err, OBS_ERR_CONFIG, l->path, e->line, 0,
                             "[%s] %s no es una columna del contrato de datos", e->group, e->key);
    char *conflict = NULL;
    if (add_aliases(l->cat->columns[l->kind], e->value, GPOINTER_TO_INT(idx), &conflict))
        return OBS_OK;
    obs_status st = obs_error_set(err, OBS_ERR_CONFIG, l->path, e->line, 0,
                                  "[%s] el alias «%s» ya corresponde a otra columna", e->group, conflict);
    g_free(conflict);
    return st;
}

static obs_status load_columns(obs_catalog *cat, obs_error *err)
{
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++) {
        cat->columns[k] = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        for (size_t i = 0; i < schemas[k].n; i++)
            g_hash_table_insert(cat->columns[k], g_strdup(schemas[k].cols[i].name),
                                GINT_TO_POINTER((int)i + 1));
    }
    char *path = g_build_filename(cat->dir, "columnas.ini", NULL);
    obs_status st = OBS_OK;
    if (g_file_test(path, G_FILE_TEST_EXISTS)) { /* aliases are optional */
        columns_loader l = {cat, path, -1};
        st = obs_ini_read(path, 1024 * 1024, on_column, &l, err);
        if (st == OBS_ERR_NOINPUT) /* a catalogue that cannot be read is a template error (78) */
            err->code = st = OBS_ERR_CONFIG;
    }
    g_free(path);
    return st;
}

obs_status obs_catalog_load(const char *templates_dir, obs_catalog **out, obs_error *err)
{
    *out = NULL;
    obs_catalog *cat = g_new0(obs_catalog, 1);
    cat->dir = g_strdup(templates_dir);
    cat->entidad_alias = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    cat->tipo_alias = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    cat->tipos = g_array_new(FALSE, FALSE, sizeof(tipo_difusion));
    cat->tipo_otro = -1;
    for (int e = 0; e < OBS_ENUM_COUNT; e++) {
        cat->enum_alias[e] = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        for (size_t c = 0; c < enums[e].n; c++) {
            cat->enum_label[e][c] = g_strdup(enums[e].codes[c]);
            g_hash_table_insert(cat->enum_alias[e], g_strdup(enums[e].codes[c]), GINT_TO_POINTER((int)c + 1));
        }
    }
    int count = 0;
    obs_status st = load_csv(cat, "entidades.csv", entidad_columns, entidad_row, NULL, err);
    for (int i = 0; st == OBS_OK && i < OBS_ENTIDADES; i++)
        if (!cat->entidades[i].clave) {
            char *path = g_build_filename(cat->dir, "catalogos", "entidades.csv", NULL);
            st = obs_error_set(err, OBS_ERR_CONFIG, path, 0, 0,
                               "falta la entidad con clave %02d: el catálogo debe tener las 32", i + 1);
            g_free(path);
        }
    if (st == OBS_OK)
        st = load_csv(cat, "tipos_difusion.csv", tipo_columns, tipo_row, &count, err);
    if (st == OBS_OK && cat->tipo_otro < 0) {
        char *path = g_build_filename(cat->dir, "catalogos", "tipos_difusion.csv", NULL);
        st = obs_error_set(err, OBS_ERR_CONFIG, path, 0, 0,
                           "falta el tipo con código «otr» (recibe los tipos no reconocidos)");
        g_free(path);
    }
    if (st == OBS_OK)
        st = load_csv(cat, "valores.csv", valor_columns, valor_row, NULL, err);
    if (st == OBS_OK)
        st = load_columns(cat, err);
    if (st != OBS_OK) {
        obs_catalog_free(cat);
        return st;
    }
    *out = cat;
    return OBS_OK;
}

void obs_catalog_free(obs_catalog *cat)
{
    if (!cat)
        return;
    for (int i = 0; i < OBS_ENTIDADES; i++) {
        obs_entidad *e = &cat->entidades[i];
        g_free(e->nombre);
        g_free(e->nombre_oficial);
        g_free(e->abreviatura);
        g_free(e->opl_nombre);
        g_free(e->opl_siglas);
        g_free(e->opl_etiqueta);
    }
    for (int e = 0; e < OBS_ENUM_COUNT; e++) {
        g_hash_table_destroy(cat->enum_alias[e]);
        for (int c = 0; c < MAX_ENUM_CODES; c++)
            g_free(cat->enum_label[e][c]);
    }
    for (guint i = 0; i < cat->tipos->len; i++) {
        tipo_difusion *t = &g_array_index(cat->tipos, tipo_difusion, i);
        g_free(t->codigo);
        g_free(t->etiqueta);
    }
    for (int k = 0; k < OBS_FILE_KIND_COUNT; k++)
        if (cat->columns[k])
            g_hash_table_destroy(cat->columns[k]);
    g_array_free(cat->tipos, TRUE);
    g_hash_table_destroy(cat->entidad_alias);
    g_hash_table_destroy(cat->tipo_alias);
    g_free(cat->dir);
    g_free(cat);
}

const char *obs_catalog_dir(const obs_catalog *cat)
{
    return cat->dir;
}

const obs_entidad *obs_catalog_entidad(const obs_catalog *cat, int clave)
{
    return (clave >= 1 && clave <= OBS_ENTIDADES) ? &cat->entidades[clave - 1] : NULL;
}

int obs_catalog_find_entidad(const obs_catalog *cat, const char *s, size_t len)
{
    if (len > 0 && len <= 3) {
        bool digits = true;
        int v = 0;
        for (size_t i = 0; i < len; i++) {
            if (!g_ascii_isdigit(s[i]))
                digits = false;
            else
                v = v * 10 + (s[i] - '0');
        }
        if (digits)
            return (v >= 1 && v <= OBS_ENTIDADES) ? v : 0;
    }
    char *key = obs_fold(s, len);
    int clave = GPOINTER_TO_INT(g_hash_table_lookup(cat->entidad_alias, key));
    g_free(key);
    return clave;
}

int obs_catalog_find_value(const obs_catalog *cat, obs_enum e, const char *s,
                           size_t len, bool *warn)
{
    char *key = obs_fold(s, len);
    int v = GPOINTER_TO_INT(g_hash_table_lookup(cat->enum_alias[e], key));
    g_free(key);
    if (warn)
        *warn = (v & WARN_BIT) != 0;
    return v ? (v & ~WARN_BIT) - 1 : -1;
}

int obs_catalog_value_code(obs_enum e, const char *s, size_t len)
{
    char *key = obs_fold(s, len);
    int code = -1;
    for (size_t i = 0; i < enums[e].n && code < 0; i++)
        if (strcmp(key, enums[e].codes[i]) == 0)
            code = (int)i;
    g_free(key);
    return code;
}

const char *obs_catalog_value_label(const obs_catalog *cat, obs_enum e, int code)
{
    if (code < 0 || (size_t)code >= enums[e].n)
        return "";
    return cat->enum_label[e][code];
}

size_t obs_catalog_tipo_count(const obs_catalog *cat)
{
    return cat->tipos->len;
}

const char *obs_catalog_tipo_codigo(const obs_catalog *cat, size_t i)
{
    return g_array_index(cat->tipos, tipo_difusion, i).codigo;
}

const char *obs_catalog_tipo_etiqueta(const obs_catalog *cat, size_t i)
{
    return g_array_index(cat->tipos, tipo_difusion, i).etiqueta;
}

int obs_catalog_find_tipo(const obs_catalog *cat, const char *s, size_t len)
{
    char *key = obs_fold(s, len);
    int v = GPOINTER_TO_INT(g_hash_table_lookup(cat->tipo_alias, key));
    g_free(key);
    return v - 1;
}

int obs_catalog_tipo_otro(const obs_catalog *cat)
{
    return cat->tipo_otro;
}

int obs_catalog_find_column(const obs_catalog *cat, obs_file_kind kind, const char *folded)
{
    return GPOINTER_TO_INT(g_hash_table_lookup(cat->columns[kind], folded)) - 1;
}
