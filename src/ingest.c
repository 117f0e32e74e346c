/* ingest.c - validates the Sistema's exports row by row into typed rows (data contract §1-3). */
#include "observa/ingest.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "csvread.h"
#include "idset.h"
#include "ingest_part.h"
#include "observa/catalog.h"

/* Canonical columns, in the order of catalog.c's schema tables. */
enum sol_col {
    SC_FOLIO, SC_ENTIDAD, SC_FECHA_SOLICITUD, SC_FECHA_REGISTRO, SC_TIPO, SC_MEDIO,
    SC_SEXO, SC_EDAD, SC_FECHA_NACIMIENTO, SC_DISTRITO, SC_ORGANIZACION, SC_DISCAPACIDAD,
    SC_INDIGENA, SC_MODALIDADES, SC_FECHA_CURSO, SC_CURSO_POR, SC_CURSO_MODALIDAD,
    SC_RESOLUCION, SC_FECHA_RESOLUCION, SC_CONSEJO, SC_CAUSA, SC_COUNT
};
enum dif_col {
    DC_ID, DC_ENTIDAD, DC_INSTANCIA, DC_FECHA, DC_FECHA_REGISTRO, DC_TIPO, DC_ALCANCE,
    DC_DESCRIPCION, DC_MUNICIPIO, DC_POBLACION, DC_COUNT
};
#define MAX_COLS SC_COUNT
G_STATIC_ASSERT((int)DC_COUNT <= (int)MAX_COLS);

/* Problems kept per row before deciding; more than this are tallied, not detailed. */
#define MAX_ROW_PROBLEMS 12
/* Offending values are cut to this many characters in the ledger. */
#define VALUE_MAX_CHARS 40
/* A small direct-mapped cache per column: enumerations, entidades and dates repeat a lot,
 * so folding, catalogue lookups and date parsing run once per distinct spelling. */
#define CACHE_SLOTS 256
#define CACHE_KEY 40
#define MEMO_UNKNOWN (-1000)

typedef struct cache_entry {
    uint32_t hash;
    uint8_t len;   /* 0 = empty slot (empty fields never reach the cache) */
    bool warn;
    int32_t value;
    char key[CACHE_KEY];
} cache_entry;

typedef struct field_cache {
    cache_entry e[CACHE_SLOTS];
} field_cache;

static uint32_t fnv1a(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* The cached value of a spelling, or NULL (then the caller computes it and calls cache_put). */
static const cache_entry *cache_get(const field_cache *c, const char *s, size_t len, uint32_t h)
{
    const cache_entry *e = &c->e[h & (CACHE_SLOTS - 1)];
    if (e->len == len && e->hash == h && len <= CACHE_KEY && memcmp(e->key, s, len) == 0)
        return e;
    return NULL;
}

static void cache_put(field_cache *c, const char *s, size_t len, uint32_t h, int32_t value, bool warn)
{
    if (len == 0 || len > CACHE_KEY)
        return;
    cache_entry *e = &c->e[h & (CACHE_SLOTS - 1)];
    e->hash = h;
    e->len = (uint8_t)len;
    e->warn = warn;
    e->value = value;
    memcpy(e->key, s, len);
}

static const struct {
    obs_level level;
    const char *label;
} reason_info[OBS_REASON_COUNT] = {
    [OBS_R_MISSING] = {OBS_LEVEL_ERROR, "falta un campo obligatorio"},
    [OBS_R_BAD_DATE] = {OBS_LEVEL_ERROR, "fecha no válida"},
    [OBS_R_UNKNOWN_ENTIDAD] = {OBS_LEVEL_ERROR, "entidad desconocida"},
    [OBS_R_UNKNOWN_VALUE] = {OBS_LEVEL_ERROR, "valor no reconocido"},
    [OBS_R_REPEATED_ID] = {OBS_LEVEL_ERROR, "folio o id repetido"},
    [OBS_R_RESOLUTION_PAIR] = {OBS_LEVEL_ERROR, "resolución sin fecha o fecha sin resolución"},
    [OBS_R_DATE_ORDER] = {OBS_LEVEL_ERROR, "fechas en orden imposible"},
    [OBS_R_FIELD_COUNT] = {OBS_LEVEL_ERROR, "número de campos incorrecto"},
    [OBS_R_BAD_BYTES] = {OBS_LEVEL_ERROR, "bytes no válidos para la codificación"},
    [OBS_R_BAD_NUMBER] = {OBS_LEVEL_ERROR, "número no válido"},
    [OBS_R_MALFORMED] = {OBS_LEVEL_ERROR, "comillas mal formadas"},
    [OBS_R_TOO_LONG] = {OBS_LEVEL_ERROR, "campo o fila demasiado larga"},
    [OBS_R_W_AGE] = {OBS_LEVEL_WARNING, "edad fuera de rango"},
    [OBS_R_W_IGNORED_VALUE] = {OBS_LEVEL_WARNING, "valor opcional no reconocido"},
    [OBS_R_W_NO_COURSE] = {OBS_LEVEL_WARNING, "aprobada sin fecha de curso"},
    [OBS_R_W_ALIAS] = {OBS_LEVEL_WARNING, "valor ambiguo interpretado"},
    [OBS_R_W_OTHER_TYPE] = {OBS_LEVEL_WARNING, "tipo de acción no reconocido"},
};

obs_level obs_reason_level(obs_reason r)
{
    return (unsigned)r < OBS_REASON_COUNT ? reason_info[r].level : OBS_LEVEL_ERROR;
}

const char *obs_reason_label(obs_reason r)
{
    return (unsigned)r < OBS_REASON_COUNT ? reason_info[r].label : "";
}

void obs_file_stats_clear(obs_file_stats *st)
{
    if (!st)
        return;
    g_free(st->path);
    memset(st, 0, sizeof *st);
}

typedef struct pending {
    obs_reason reason;
    int col;          /* canonical column, or -1 for the whole row */
    unsigned file_col;
    char *value;
    char *message;
} pending;

typedef struct ingest {
    const obs_catalog *cat;
    obs_file_kind kind;
    const char *path;
    size_t ncols;            /* canonical columns of this kind */
    int pos[MAX_COLS];       /* canonical column -> field index in the file, -1 if absent */
    size_t header_fields;
    char **header_names;     /* folded header names, for messages about unknown columns */
    bool header_done;
    obs_idset *ids;
    field_cache *memo[MAX_COLS];
    const obs_row_sink *sink;
    obs_problem_fn on_problem;
    void *problem_ud;
    obs_file_stats *stats;
    obs_error *err;
    obs_status status;
    /* the row being validated */
    const obs_csv_record *rec;
    pending problems[MAX_ROW_PROBLEMS];
    size_t nproblems;
    bool row_error;
} ingest;

static const char *col_name(const ingest *in, int col)
{
    return col >= 0 ? obs_schema_column(in->kind, (size_t)col)->name : "";
}

/* Cuts a value to VALUE_MAX_CHARS characters without splitting a UTF-8 sequence. */
static char *truncate_value(const char *s, size_t len)
{
    if (!g_utf8_validate_len(s, len, NULL))
        return g_strdup("(bytes no válidos)");
    glong chars = g_utf8_strlen(s, (gssize)len);
    if (chars <= VALUE_MAX_CHARS)
        return g_strndup(s, len);
    const char *end = g_utf8_offset_to_pointer(s, VALUE_MAX_CHARS);
    char *cut = g_strndup(s, (gsize)(end - s));
    char *out = g_strconcat(cut, "…", NULL);
    g_free(cut);
    return out;
}

static void add_problem(ingest *in, obs_reason reason, int col, const char *value,
                        size_t vlen, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void add_problem(ingest *in, obs_reason reason, int col, const char *value,
                        size_t vlen, const char *fmt, ...)
{
    if (reason_info[reason].level == OBS_LEVEL_ERROR)
        in->row_error = true;
    in->stats->por_motivo[reason]++;
    if (in->nproblems == MAX_ROW_PROBLEMS)
        return;
    pending *p = &in->problems[in->nproblems++];
    p->reason = reason;
    p->col = col;
    p->file_col = col >= 0 && in->pos[col] >= 0 ? (unsigned)in->pos[col] + 1 : 0;
    p->value = value ? truncate_value(value, vlen) : g_strdup("");
    va_list ap;
    va_start(ap, fmt);
    p->message = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

static void flush_problems(ingest *in)
{
    for (size_t i = 0; i < in->nproblems; i++) {
        pending *p = &in->problems[i];
        obs_problem prob = {
            .file = in->path,
            .line = in->rec->line,
            .column = p->file_col,
            .field = col_name(in, p->col),
            .value = p->value,
            .level = reason_info[p->reason].level,
            .reason = p->reason,
            .message = p->message,
        };
        if (in->on_problem)
            in->on_problem(in->problem_ud, &prob);
        g_free(p->value);
        g_free(p->message);
    }
    in->nproblems = 0;
}

/* ---- field access --------------------------------------------------------------------------- */

typedef struct field {
    const char *ptr;
    size_t len;
} field;

static field get(const ingest *in, int col)
{
    field f = {"", 0};
    int pos = in->pos[col];
    if (pos < 0 || (size_t)pos >= in->rec->nfields)
        return f;
    f.ptr = in->rec->fields[pos].ptr;
    f.len = in->rec->fields[pos].len;
    while (f.len > 0 && g_ascii_isspace(f.ptr[0])) {
        f.ptr++;
        f.len--;
    }
    while (f.len > 0 && g_ascii_isspace(f.ptr[f.len - 1]))
        f.len--;
    return f;
}

static bool required(ingest *in, int col, field *f)
{
    *f = get(in, col);
    if (f->len == 0) {
        add_problem(in, OBS_R_MISSING, col, NULL, 0,
                    "falta el valor obligatorio de «%s»", col_name(in, col));
        return false;
    }
    return true;
}

static field_cache *column_cache(ingest *in, int col)
{
    if (!in->memo[col])
        in->memo[col] = g_new0(field_cache, 1);
    return in->memo[col];
}

static obs_day parse_date(ingest *in, int col, field f)
{
    if (f.len == 0)
        return OBS_DAY_NONE;
    field_cache *c = column_cache(in, col);
    uint32_t h = fnv1a(f.ptr, f.len);
    const cache_entry *e = cache_get(c, f.ptr, f.len, h);
    obs_day d;
    if (e) {
        d = e->value;
    } else {
        d = obs_day_parse(f.ptr, f.len);
        cache_put(c, f.ptr, f.len, h, d, false);
    }
    if (d == OBS_DAY_NONE)
        add_problem(in, OBS_R_BAD_DATE, col, f.ptr, f.len,
                    "«%.*s» no es una fecha válida en «%s» (use AAAA-MM-DD o DD/MM/AAAA)",
                    (int)MIN(f.len, 40), f.ptr, col_name(in, col));
    return d;
}

typedef int (*resolver)(const ingest *in, const char *s, size_t len, bool *warn);

/* Looks a spelling up through the column's cache, so folding runs once per distinct spelling. */
static int memo_lookup(ingest *in, int col, field f, resolver fn, bool *warn)
{
    field_cache *c = column_cache(in, col);
    uint32_t h = fnv1a(f.ptr, f.len);
    const cache_entry *e = cache_get(c, f.ptr, f.len, h);
    bool w = false;
    int result;
    if (e) {
        result = e->value;
        w = e->warn;
    } else {
        result = fn(in, f.ptr, f.len, &w);
        cache_put(c, f.ptr, f.len, h, result, w);
    }
    if (warn)
        *warn = w;
    return result;
}

static int resolve_entidad(const ingest *in, const char *s, size_t len, bool *warn)
{
    *warn = false;
    int c = obs_catalog_find_entidad(in->cat, s, len);
    return c ? c : MEMO_UNKNOWN;
}

static int resolve_tipo_difusion(const ingest *in, const char *s, size_t len, bool *warn)
{
    *warn = false;
    int t = obs_catalog_find_tipo(in->cat, s, len);
    return t >= 0 ? t : MEMO_UNKNOWN;
}

#define ENUM_RESOLVER(name, e)                                                          \
    static int name(const ingest *in, const char *s, size_t len, bool *warn)          \
    {                                                                                  \
        int v = obs_catalog_find_value(in->cat, e, s, len, warn);                      \
        return v >= 0 ? v : MEMO_UNKNOWN;                                              \
    }
ENUM_RESOLVER(resolve_tipo, OBS_ENUM_TIPO)
ENUM_RESOLVER(resolve_medio, OBS_ENUM_MEDIO)
ENUM_RESOLVER(resolve_sexo, OBS_ENUM_SEXO)
ENUM_RESOLVER(resolve_curso_por, OBS_ENUM_CURSO_POR)
ENUM_RESOLVER(resolve_curso_mod, OBS_ENUM_CURSO_MODALIDAD)
ENUM_RESOLVER(resolve_resolucion, OBS_ENUM_RESOLUCION)
ENUM_RESOLVER(resolve_consejo, OBS_ENUM_CONSEJO)
ENUM_RESOLVER(resolve_instancia, OBS_ENUM_INSTANCIA)
ENUM_RESOLVER(resolve_booleano, OBS_ENUM_BOOLEANO)

static int entidad_of(ingest *in, int col)
{
    field f;
    if (!required(in, col, &f))
        return 0;
    int c = memo_lookup(in, col, f, resolve_entidad, NULL);
    if (c == MEMO_UNKNOWN) {
        add_problem(in, OBS_R_UNKNOWN_ENTIDAD, col, f.ptr, f.len,
                    "entidad desconocida: «%.*s» (use la clave 1 a 32 o el nombre de la entidad)",
                    (int)MIN(f.len, 40), f.ptr);
        return 0;
    }
    return c;
}

/* A required enumeration: unknown values reject the row. */
static int required_enum(ingest *in, int col, resolver fn, const char *accepted)
{
    field f;
    if (!required(in, col, &f))
        return OBS_ABSENT;
    int v = memo_lookup(in, col, f, fn, NULL);
    if (v == MEMO_UNKNOWN) {
        add_problem(in, OBS_R_UNKNOWN_VALUE, col, f.ptr, f.len,
                    "valor no reconocido en «%s»: «%.*s» (valores aceptados: %s)",
                    col_name(in, col), (int)MIN(f.len, 40), f.ptr, accepted);
        return OBS_ABSENT;
    }
    return v;
}

/* An optional enumeration: unknown values are a warning and count as absent. */
static int optional_enum(ingest *in, int col, resolver fn, const char *accepted)
{
    field f = get(in, col);
    if (f.len == 0)
        return OBS_ABSENT;
    int v = memo_lookup(in, col, f, fn, NULL);
    if (v == MEMO_UNKNOWN) {
        add_problem(in, OBS_R_W_IGNORED_VALUE, col, f.ptr, f.len,
                    "valor no reconocido en «%s»: «%.*s»; se toma como no especificado "
                    "(valores aceptados: %s)",
                    col_name(in, col), (int)MIN(f.len, 40), f.ptr, accepted);
        return OBS_ABSENT;
    }
    return v;
}

static bool boolean_of(ingest *in, int col)
{
    field f = get(in, col);
    if (f.len == 0)
        return false;
    int v = memo_lookup(in, col, f, resolve_booleano, NULL);
    if (v == MEMO_UNKNOWN) {
        add_problem(in, OBS_R_W_IGNORED_VALUE, col, f.ptr, f.len,
                    "valor no reconocido en «%s»: «%.*s»; se toma como «no» (use sí o no)",
                    col_name(in, col), (int)MIN(f.len, 40), f.ptr);
        return false;
    }
    return v == 0;
}

/* Parses a non-negative decimal integer; false if the text is anything else. */
static bool parse_uint(field f, int64_t *out)
{
    if (f.len == 0 || f.len > 15)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < f.len; i++) {
        if (!g_ascii_isdigit(f.ptr[i]))
            return false;
        v = v * 10 + (f.ptr[i] - '0');
    }
    *out = v;
    return true;
}

/*
 * Adds the row's id to the set of accepted ids (one probe of the table, prefetched when the
 * row started); a repeat is a row error. Called last, once the row is otherwise valid.
 */
static bool ids_unique(ingest *in, int col, field f, const obs_idkey *key)
{
    if (!obs_idset_insert(in->ids, key)) {
        add_problem(in, OBS_R_REPEATED_ID, col, f.ptr, f.len,
                    "«%s» repetido: «%.*s» ya apareció en una fila anterior aceptada; "
                    "se conserva la primera",
                    col_name(in, col), (int)MIN(f.len, 40), f.ptr);
        return false;
    }
    return true;
}

/* Hashes the row's id and starts loading its slot, so the final insert rarely waits on memory. */
static obs_idkey id_key(ingest *in, field f)
{
    obs_idkey k = obs_idset_hash(f.ptr, f.len);
    obs_idset_prefetch(in->ids, &k);
    return k;
}

/* ---- solicitudes ---------------------------------------------------------------------------- */

static void modalidades_of(ingest *in, obs_solicitud *s)
{
    field f = get(in, SC_MODALIDADES);
    size_t i = 0;
    while (i < f.len) {
        while (i < f.len && strchr(";,| \t", f.ptr[i]))
            i++;
        size_t start = i;
        while (i < f.len && !strchr(";,| \t", f.ptr[i]))
            i++;
        if (i == start)
            continue;
        int m = obs_catalog_find_value(in->cat, OBS_ENUM_MODALIDAD, f.ptr + start, i - start, NULL);
        if (m < 0)
            add_problem(in, OBS_R_W_IGNORED_VALUE, SC_MODALIDADES, f.ptr + start, i - start,
                        "modalidad no reconocida: «%.*s»; se ignora (use VA, VPPP o VMRE)",
                        (int)MIN(i - start, 40), f.ptr + start);
        else
            s->modalidades |= 1u << m;
    }
}

static void edad_of(ingest *in, obs_solicitud *s)
{
    s->edad = OBS_ABSENT;
    field f = get(in, SC_EDAD);
    if (f.len > 0) {
        int64_t v;
        if (parse_uint(f, &v) && v >= 18 && v <= 120)
            s->edad = (int)v;
        else
            add_problem(in, OBS_R_W_AGE, SC_EDAD, f.ptr, f.len,
                        "edad fuera del rango 18 a 120 o no numérica: «%.*s»; "
                        "se usa la fecha de nacimiento o se toma como no especificada",
                        (int)MIN(f.len, 40), f.ptr);
    }
    obs_day nac = parse_date(in, SC_FECHA_NACIMIENTO, get(in, SC_FECHA_NACIMIENTO));
    if (s->edad == OBS_ABSENT && nac != OBS_DAY_NONE && s->fecha_solicitud != OBS_DAY_NONE) {
        int age = obs_age_years(nac, s->fecha_solicitud);
        if (age >= 18 && age <= 120)
            s->edad = age;
    }
}

static void validate_solicitud(ingest *in)
{
    obs_solicitud s = {0};
    field folio;
    bool have_folio = required(in, SC_FOLIO, &folio);
    obs_idkey key = have_folio ? id_key(in, folio) : (obs_idkey){0, 0};
    s.entidad = entidad_of(in, SC_ENTIDAD);
    field f;
    if (required(in, SC_FECHA_SOLICITUD, &f))
        s.fecha_solicitud = parse_date(in, SC_FECHA_SOLICITUD, f);
    field freg = get(in, SC_FECHA_REGISTRO);
    s.fecha_registro = parse_date(in, SC_FECHA_REGISTRO, freg);
    s.tipo = required_enum(in, SC_TIPO, resolve_tipo, "individual, organización");
    s.medio = required_enum(in, SC_MEDIO, resolve_medio, "portal, junta, opl");
    s.sexo = optional_enum(in, SC_SEXO, resolve_sexo, "mujer, hombre, no binaria");
    if (s.sexo == OBS_ABSENT)
        s.sexo = OBS_SEXO_NO_ESPECIFICADO;
    edad_of(in, &s);
    s.discapacidad = boolean_of(in, SC_DISCAPACIDAD);
    s.indigena = boolean_of(in, SC_INDIGENA);
    modalidades_of(in, &s);
    s.fecha_curso = parse_date(in, SC_FECHA_CURSO, get(in, SC_FECHA_CURSO));
    s.curso_por = optional_enum(in, SC_CURSO_POR, resolve_curso_por, "ine, opl, organización");
    s.curso_modalidad = optional_enum(in, SC_CURSO_MODALIDAD, resolve_curso_mod, "presencial, virtual");
    field fres = get(in, SC_RESOLUCION);
    s.resolucion = OBS_ABSENT;
    if (fres.len > 0) {
        s.resolucion = memo_lookup(in, SC_RESOLUCION, fres, resolve_resolucion, NULL);
        if (s.resolucion == MEMO_UNKNOWN) {
            s.resolucion = OBS_ABSENT;
            add_problem(in, OBS_R_UNKNOWN_VALUE, SC_RESOLUCION, fres.ptr, fres.len,
                        "valor no reconocido en «resolucion»: «%.*s» "
                        "(valores aceptados: aprobada, improcedente, declinada)",
                        (int)MIN(fres.len, 40), fres.ptr);
        }
    }
    field ffr = get(in, SC_FECHA_RESOLUCION);
    s.fecha_resolucion = parse_date(in, SC_FECHA_RESOLUCION, ffr);
    if (fres.len > 0 && ffr.len == 0)
        add_problem(in, OBS_R_RESOLUTION_PAIR, SC_FECHA_RESOLUCION, NULL, 0,
                    "hay «resolucion» pero falta «fecha_resolucion»");
    else if (fres.len == 0 && ffr.len > 0)
        add_problem(in, OBS_R_RESOLUTION_PAIR, SC_RESOLUCION, ffr.ptr, ffr.len,
                    "hay «fecha_resolucion» pero falta «resolucion»");
    s.consejo = optional_enum(in, SC_CONSEJO, resolve_consejo, "local, distrital");

    char a[16], b[16];
    if (s.fecha_solicitud != OBS_DAY_NONE) {
        if (s.fecha_registro == OBS_DAY_NONE && freg.len == 0)
            s.fecha_registro = s.fecha_solicitud;
        else if (s.fecha_registro != OBS_DAY_NONE && s.fecha_registro < s.fecha_solicitud) {
            obs_day_iso(s.fecha_registro, a, sizeof a);
            obs_day_iso(s.fecha_solicitud, b, sizeof b);
            add_problem(in, OBS_R_DATE_ORDER, SC_FECHA_REGISTRO, freg.ptr, freg.len,
                        "«fecha_registro» (%s) es anterior a «fecha_solicitud» (%s)", a, b);
        }
        if (s.fecha_resolucion != OBS_DAY_NONE && s.fecha_resolucion < s.fecha_solicitud) {
            obs_day_iso(s.fecha_resolucion, a, sizeof a);
            obs_day_iso(s.fecha_solicitud, b, sizeof b);
            add_problem(in, OBS_R_DATE_ORDER, SC_FECHA_RESOLUCION, ffr.ptr, ffr.len,
                        "«fecha_resolucion» (%s) es anterior a «fecha_solicitud» (%s)", a, b);
        }
    }
    if (s.resolucion == OBS_RES_APROBADA && s.fecha_curso == OBS_DAY_NONE)
        add_problem(in, OBS_R_W_NO_COURSE, SC_FECHA_CURSO, NULL, 0,
                    "solicitud aprobada sin «fecha_curso»: la ley exige el curso de capacitación");
    if (in->row_error || !ids_unique(in, SC_FOLIO, folio, &key))
        return;
    /* The reader NUL-terminates every field, and trimming only moves the start: terminate
     * the trimmed end in place so the strings need no copy. */
    field causa = get(in, SC_CAUSA), org = get(in, SC_ORGANIZACION);
    if (causa.len)
        ((char *)causa.ptr)[causa.len] = '\0';
    if (org.len)
        ((char *)org.ptr)[org.len] = '\0';
    s.causa = causa.len ? causa.ptr : NULL;
    s.organizacion = org.len ? org.ptr : NULL;
    if (in->sink && in->sink->solicitud)
        in->sink->solicitud(in->sink->ud, &s);
}

/* ---- difusion ------------------------------------------------------------------------------- */

static void validate_accion(ingest *in)
{
    obs_accion a = {0};
    a.alcance = -1;
    field id;
    bool have_id = required(in, DC_ID, &id);
    obs_idkey key = have_id ? id_key(in, id) : (obs_idkey){0, 0};
    a.entidad = entidad_of(in, DC_ENTIDAD);
    field f;
    a.instancia = OBS_ABSENT;
    if (required(in, DC_INSTANCIA, &f)) {
        bool warn = false;
        a.instancia = memo_lookup(in, DC_INSTANCIA, f, resolve_instancia, &warn);
        if (a.instancia == MEMO_UNKNOWN) {
            a.instancia = OBS_ABSENT;
            add_problem(in, OBS_R_UNKNOWN_VALUE, DC_INSTANCIA, f.ptr, f.len,
                        "valor no reconocido en «instancia»: «%.*s» (valores aceptados: opl, jle, jde)",
                        (int)MIN(f.len, 40), f.ptr);
        } else if (warn) {
            add_problem(in, OBS_R_W_ALIAS, DC_INSTANCIA, f.ptr, f.len,
                        "«%.*s» se interpreta como «%s»; indique jle o jde para distinguir las juntas",
                        (int)MIN(f.len, 40), f.ptr,
                        obs_catalog_value_label(in->cat, OBS_ENUM_INSTANCIA, a.instancia));
        }
    }
    if (required(in, DC_FECHA, &f))
        a.fecha = parse_date(in, DC_FECHA, f);
    field freg = get(in, DC_FECHA_REGISTRO);
    a.fecha_registro = parse_date(in, DC_FECHA_REGISTRO, freg);
    a.tipo = -1;
    if (required(in, DC_TIPO, &f)) {
        a.tipo = memo_lookup(in, DC_TIPO, f, resolve_tipo_difusion, NULL);
        if (a.tipo == MEMO_UNKNOWN) {
            a.tipo = obs_catalog_tipo_otro(in->cat);
            add_problem(in, OBS_R_W_OTHER_TYPE, DC_TIPO, f.ptr, f.len,
                        "tipo de acción no reconocido: «%.*s»; se cuenta como «%s» "
                        "(agréguelo a tipos_difusion.csv si es frecuente)",
                        (int)MIN(f.len, 40), f.ptr,
                        obs_catalog_tipo_etiqueta(in->cat, (size_t)a.tipo));
        }
    }
    field falc = get(in, DC_ALCANCE);
    if (falc.len > 0 && !parse_uint(falc, &a.alcance)) {
        a.alcance = -1;
        add_problem(in, OBS_R_BAD_NUMBER, DC_ALCANCE, falc.ptr, falc.len,
                    "«alcance» debe ser un número entero mayor o igual a 0: «%.*s»",
                    (int)MIN(falc.len, 40), falc.ptr);
    }
    if (a.fecha != OBS_DAY_NONE) {
        if (a.fecha_registro == OBS_DAY_NONE && freg.len == 0)
            a.fecha_registro = a.fecha;
        else if (a.fecha_registro != OBS_DAY_NONE && a.fecha_registro < a.fecha) {
            char x[16], y[16];
            obs_day_iso(a.fecha_registro, x, sizeof x);
            obs_day_iso(a.fecha, y, sizeof y);
            add_problem(in, OBS_R_DATE_ORDER, DC_FECHA_REGISTRO, freg.ptr, freg.len,
                        "«fecha_registro» (%s) es anterior a «fecha» de la acción (%s)", x, y);
        }
    }
    if (in->row_error || !ids_unique(in, DC_ID, id, &key))
        return;
    if (in->sink && in->sink->accion)
        in->sink->accion(in->sink->ud, &a);
}

/* ---- records -------------------------------------------------------------------------------- */

static const char *encoding_name(obs_encoding e)
{
    return e == OBS_ENC_CP1252 ? "Windows-1252" : "UTF-8";
}

static void defect_problem(ingest *in, const obs_csv_record *rec, obs_encoding enc)
{
    unsigned fc = rec->bad_column;
    int col = -1;
    for (size_t c = 0; c < in->ncols && fc; c++)
        if (in->pos[c] == (int)fc - 1)
            col = (int)c;
    const char *where = col >= 0 ? col_name(in, col)
                        : (fc && fc <= in->header_fields ? in->header_names[fc - 1] : "");
    switch (rec->defect) {
    case OBS_CSV_BAD_BYTES:
        add_problem(in, OBS_R_BAD_BYTES, col, NULL, 0,
                    "la columna %u (%s) tiene bytes no válidos en %s; guarde el archivo como "
                    "CSV UTF-8 o indique --codificacion",
                    fc, where, encoding_name(enc));
        break;
    case OBS_CSV_FIELD_TOO_LONG:
        add_problem(in, OBS_R_TOO_LONG, col, NULL, 0,
                    "la columna %u (%s) excede 64 KiB", fc, where);
        break;
    case OBS_CSV_MALFORMED:
        add_problem(in, OBS_R_MALFORMED, -1, NULL, 0,
                    "comillas mal formadas: un campo entre comillas debe cerrarse antes del "
                    "siguiente separador y las comillas internas se escriben dobles (\"\")");
        break;
    case OBS_CSV_UNTERMINATED:
        add_problem(in, OBS_R_MALFORMED, -1, NULL, 0,
                    "comilla sin cerrar desde esta línea hasta el final del archivo");
        break;
    case OBS_CSV_TOO_LONG:
        add_problem(in, OBS_R_TOO_LONG, -1, NULL, 0,
                    "la fila excede 1 MiB (¿una comilla sin cerrar?); se omite hasta el fin de línea");
        break;
    case OBS_CSV_OK:
        break;
    }
}

static bool header_record(ingest *in, const obs_csv_record *rec)
{
    in->header_done = true;
    if (rec->defect != OBS_CSV_OK) {
        in->status = obs_error_set(in->err, OBS_ERR_DATA, in->path, rec->line, rec->bad_column,
                                   "el encabezado está mal formado (comillas o bytes no válidos); "
                                   "la primera línea debe tener los nombres de las columnas");
        return false;
    }
    in->header_fields = rec->nfields;
    in->header_names = g_new0(char *, rec->nfields + 1);
    for (size_t c = 0; c < in->ncols; c++)
        in->pos[c] = -1;
    size_t known = 0;
    for (size_t i = 0; i < rec->nfields; i++) {
        char *folded = obs_fold(rec->fields[i].ptr, rec->fields[i].len);
        in->header_names[i] = folded;
        int col = obs_catalog_find_column(in->cat, in->kind, folded);
        if (col < 0)
            continue;
        if (in->pos[col] >= 0) {
            in->status = obs_error_set(in->err, OBS_ERR_DATA, in->path, rec->line, (unsigned)i + 1,
                                       "la columna «%s» aparece dos veces (columnas %d y %zu); "
                                       "deje solo una",
                                       col_name(in, col), in->pos[col] + 1, i + 1);
            return false;
        }
        in->pos[col] = (int)i;
        known++;
    }
    GString *missing = g_string_new(NULL);
    for (size_t c = 0; c < in->ncols; c++)
        if (obs_schema_column(in->kind, c)->required && in->pos[c] < 0)
            g_string_append_printf(missing, "%s%s", missing->len ? ", " : "", col_name(in, c));
    if (missing->len) {
        GString *found = g_string_new(NULL);
        for (size_t i = 0; i < rec->nfields && i < 40; i++) {
            char *h = truncate_value(rec->fields[i].ptr, rec->fields[i].len);
            g_string_append_printf(found, "%s«%s»", i ? ", " : "", h);
            g_free(h);
        }
        if (known == 0)
            in->status = obs_error_set(in->err, OBS_ERR_DATA, in->path, rec->line, 0,
                                       "la primera línea no es un encabezado: ninguna columna tiene "
                                       "un nombre conocido (se encontró: %s); agregue la línea de "
                                       "encabezados del Sistema",
                                       found->str);
        else
            in->status = obs_error_set(in->err, OBS_ERR_DATA, in->path, rec->line, 0,
                                       "faltan columnas obligatorias: %s; encabezados encontrados: %s",
                                       missing->str, found->str);
        g_string_free(found, TRUE);
    }
    g_string_free(missing, TRUE);
    return in->status == OBS_OK;
}

static bool on_record(void *ud, const obs_csv_record *rec)
{
    ingest *in = ud;
    if (!in->header_done)
        return header_record(in, rec);
    in->rec = rec;
    in->row_error = false;
    in->stats->leidas++;
    if (rec->defect != OBS_CSV_OK) {
        defect_problem(in, rec, rec->encoding);
    } else if (rec->nfields != in->header_fields) {
        add_problem(in, OBS_R_FIELD_COUNT, -1, NULL, 0,
                    "la fila tiene %zu campos y el encabezado %zu; revise separadores y comillas",
                    rec->nfields, in->header_fields);
    } else if (in->kind == OBS_FILE_SOLICITUDES) {
        validate_solicitud(in);
    } else {
        validate_accion(in);
    }
    bool warned = in->nproblems > 0 && !in->row_error;
    if (in->row_error)
        in->stats->rechazadas++;
    else {
        in->stats->aceptadas++;
        if (warned)
            in->stats->con_avisos++;
    }
    flush_problems(in);
    return true;
}

/*
 * Which columns the reader copies: those of the contract. Runs on the reader's thread and
 * only reads the catalogue. The others (names, CURP, addresses…) are never copied.
 */
static void select_columns(void *ud, const obs_csv_record *hdr, bool *keep)
{
    const ingest *in = ud;
    for (size_t i = 0; i < hdr->nfields; i++) {
        char *folded = obs_fold(hdr->fields[i].ptr, hdr->fields[i].len);
        keep[i] = obs_catalog_find_column(in->cat, in->kind, folded) >= 0;
        g_free(folded);
    }
}

obs_status obs_ingest_file_part(const char *path, obs_file_kind kind, const obs_catalog *cat,
                                const obs_ingest_options *opts, obs_ingest_part *part,
                                const obs_row_sink *sink, obs_problem_fn on_problem,
                                void *problem_ud, obs_file_stats *stats, obs_error *err)
{
    bool resume = part && part->resume;
    if (!resume) {
        obs_file_stats_clear(stats);
        stats->path = g_strdup(path);
    }
    ingest in = {
        .cat = cat,
        .kind = kind,
        .path = path,
        .ncols = obs_schema_count(kind),
        .ids = part && part->ids ? part->ids : obs_idset_new(),
        .sink = sink,
        .on_problem = on_problem,
        .problem_ud = problem_ud,
        .stats = stats,
        .err = err,
    };
    obs_csv_options copts = {
        .encoding = opts ? opts->encoding : OBS_ENC_AUTO,
        .delimiter = opts ? opts->delimiter : 0,
        .threaded = opts ? opts->threads != 1 : true,
        .select = select_columns,
    };
    if (part) {
        copts.end = part->end;
        copts.start = part->start;
        copts.first_line = part->first_line;
        copts.no_hash = part->no_hash;
        copts.handoff = part->handoff;
    }
    obs_csv_result res;
    obs_status st = obs_csv_read(path, &copts, on_record, &in, &res, err);
    stats->lines = res.lines;
    if (!resume) {
        stats->bytes = res.bytes;
        stats->encoding = res.encoding;
        stats->delimiter = res.delimiter;
        memcpy(stats->sha256, res.sha256, sizeof stats->sha256);
    } else if (stats->encoding == OBS_ENC_AUTO) {
        stats->encoding = res.encoding;
    }
    if (part) {
        part->stopped_at_end = res.stopped_at_end;
        part->end_line = res.end_line;
    }
    if (st == OBS_OK && in.status != OBS_OK)
        st = in.status;
    if (st == OBS_OK && !in.header_done)
        st = obs_error_set(err, OBS_ERR_DATA, path, 0, 0,
                           res.bytes == 0 ? "el archivo está vacío; exporte de nuevo %s desde el Sistema"
                                          : "el archivo no tiene encabezado ni filas; exporte de nuevo %s "
                                            "desde el Sistema",
                           obs_file_kind_name(kind));
    for (size_t c = 0; c < MAX_COLS; c++)
        g_free(in.memo[c]);
    g_strfreev(in.header_names);
    if (!part || !part->ids)
        obs_idset_free(in.ids);
    return st;
}

obs_status obs_ingest_file(const char *path, obs_file_kind kind,
                           const obs_catalog *cat,
                           const obs_ingest_options *opts,
                           const obs_row_sink *sink,
                           obs_problem_fn on_problem, void *problem_ud,
                           obs_file_stats *stats, obs_error *err)
{
    return obs_ingest_file_part(path, kind, cat, opts, NULL, sink, on_problem, problem_ud, stats, err);
}
