/* ingest.c - validates the Sistema's exports row by row into typed rows (data contract §1-3). */
#include "observa/ingest.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "ingest/csvread_int.h"
#include "util/idset_int.h"
#include "ingest/ingest_part_int.h"
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
G_STATIC_ASSERT(MAX_COLS <= 32); /* column sets are 32-bit masks */

/* Problems kept per row before deciding; more than this are tallied, not detailed. */
#define MAX_ROW_PROBLEMS 12
/* Offending values are cut to this many characters in the ledger. */
#define VALUE_MAX_CHARS 40
/* Column names listed in a message about a row's fields, at most. */
#define MAX_NAMES_LISTED 6
/* A small direct-mapped cache per column: enumerations, entidades and dates repeat a lot,
 * so folding, catalogue lookups and date parsing run once per distinct spelling. */
#define CACHE_SLOTS 256
#define CACHE_KEY 40
#define MEMO_UNKNOWN (-1000)
/* An entidad written as clave and name that disagree: -(MEMO_MISMATCH + clave * 100 + name's). */
#define MEMO_MISMATCH 2000

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
    [OBS_R_ENTIDAD_MISMATCH] = {OBS_LEVEL_ERROR, "clave y nombre de entidad no coinciden"},
    [OBS_R_UNKNOWN_VALUE] = {OBS_LEVEL_ERROR, "valor no reconocido"},
    [OBS_R_REPEATED_ID] = {OBS_LEVEL_ERROR, "folio o id repetido"},
    [OBS_R_DATE_ORDER] = {OBS_LEVEL_ERROR, "fechas en orden imposible"},
    [OBS_R_FIELD_COUNT] = {OBS_LEVEL_ERROR, "número de campos incorrecto"},
    [OBS_R_BAD_BYTES] = {OBS_LEVEL_ERROR, "bytes no válidos en un campo obligatorio"},
    [OBS_R_MALFORMED] = {OBS_LEVEL_ERROR, "comillas mal formadas"},
    [OBS_R_TOO_LONG] = {OBS_LEVEL_ERROR, "campo o fila demasiado larga"},
    [OBS_R_W_AGE] = {OBS_LEVEL_WARNING, "edad fuera de rango"},
    [OBS_R_W_IGNORED_VALUE] = {OBS_LEVEL_WARNING, "valor opcional no reconocido"},
    [OBS_R_W_NO_COURSE] = {OBS_LEVEL_WARNING, "aprobada sin fecha de curso"},
    [OBS_R_W_ALIAS] = {OBS_LEVEL_WARNING, "valor ambiguo interpretado"},
    [OBS_R_W_OTHER_TYPE] = {OBS_LEVEL_WARNING, "tipo de acción no reconocido"},
    [OBS_R_W_DATE] = {OBS_LEVEL_WARNING, "fecha opcional no válida"},
    [OBS_R_W_NUMBER] = {OBS_LEVEL_WARNING, "número opcional no válido"},
    [OBS_R_W_RESOLUTION] = {OBS_LEVEL_WARNING, "resolución contada como pendiente"},
    [OBS_R_W_BYTES] = {OBS_LEVEL_WARNING, "bytes no válidos en un campo opcional"},
    [OBS_R_W_SHORT_ROW] = {OBS_LEVEL_WARNING, "fila con campos finales de menos"},
    [OBS_R_W_QUOTE] = {OBS_LEVEL_WARNING, "comillas leídas como texto"},
    [OBS_R_W_EXCEL_DATE] = {OBS_LEVEL_WARNING, "fechas como número de serie de Excel"},
    [OBS_R_W_TITLE_LINES] = {OBS_LEVEL_WARNING, "líneas de título antes del encabezado"},
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
    uint64_t line;    /* 0: the record's line */
    char *value;
    char *message;
} pending;

typedef struct ingest {
    const obs_catalog *cat;
    obs_file_kind kind;
    const char *path;
    size_t ncols;            /* canonical columns of this kind */
    int pos[MAX_COLS];       /* canonical column -> field index in the file, -1 if absent */
    int *col_at;             /* field index -> canonical column, -1 if not of the contract */
    size_t header_fields;    /* header fields with a name (trailing empty ones dropped) */
    size_t min_fields;       /* fields a record needs to reach every required column */
    char **header_names;     /* folded header names, for messages about other columns */
    bool header_done;
    obs_idset *ids;
    field_cache *memo[MAX_COLS];
    const obs_row_sink *sink;
    obs_problem_fn on_problem;
    void *problem_ud;
    obs_file_stats *stats;
    obs_error *err;
    obs_status status;
    /* once per file */
    bool later_part;         /* a part after the header of a file read in parts: no header avisos */
    bool defer_file_avisos;
    uint32_t serial_warned;  /* columns whose Excel serial dates were reported */
    uint32_t serial_seen;    /* with defer_file_avisos: columns with serial dates */
    /* the row being validated */
    const obs_csv_record *rec;
    pending problems[MAX_ROW_PROBLEMS];
    size_t nproblems;
    bool row_error;
    bool row_warned;         /* a warning of the row's own (not a file-level one) */
    uint32_t bad_cols;       /* columns whose field the reader flagged (already reported) */
} ingest;

static const char *col_name(const ingest *in, int col)
{
    return col >= 0 ? obs_schema_column(in->kind, (size_t)col)->name : "";
}

static bool col_required(const ingest *in, int col)
{
    return col >= 0 && obs_schema_column(in->kind, (size_t)col)->required;
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

static void add_problem_v(ingest *in, obs_reason reason, int col, unsigned file_col, uint64_t line,
                          const char *value, size_t vlen, const char *fmt, va_list ap)
{
    if (reason_info[reason].level == OBS_LEVEL_ERROR)
        in->row_error = true;
    else if (reason != OBS_R_W_EXCEL_DATE && reason != OBS_R_W_TITLE_LINES)
        in->row_warned = true;
    in->stats->por_motivo[reason]++;
    if (in->nproblems == MAX_ROW_PROBLEMS)
        return;
    pending *p = &in->problems[in->nproblems++];
    p->reason = reason;
    p->col = col;
    p->file_col = file_col ? file_col : (col >= 0 && in->pos[col] >= 0 ? (unsigned)in->pos[col] + 1 : 0);
    p->line = line;
    p->value = value ? truncate_value(value, vlen) : g_strdup("");
    p->message = g_strdup_vprintf(fmt, ap);
}

static void add_problem(ingest *in, obs_reason reason, int col, const char *value,
                        size_t vlen, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void add_problem(ingest *in, obs_reason reason, int col, const char *value,
                        size_t vlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_problem_v(in, reason, col, 0, 0, value, vlen, fmt, ap);
    va_end(ap);
}

/* A problem about a column given by its place in the file (canonical or not). */
static void add_problem_at(ingest *in, obs_reason reason, unsigned file_col, uint64_t line,
                           const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void add_problem_at(ingest *in, obs_reason reason, unsigned file_col, uint64_t line,
                           const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int col = file_col && file_col <= in->header_fields ? in->col_at[file_col - 1] : -1;
    add_problem_v(in, reason, col, file_col, line, NULL, 0, fmt, ap);
    va_end(ap);
}

static void flush_problems(ingest *in)
{
    for (size_t i = 0; i < in->nproblems; i++) {
        pending *p = &in->problems[i];
        obs_problem prob = {
            .file = in->path,
            .line = p->line ? p->line : in->rec->line,
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

/* The name of the field at a 1-based place of the file, for messages. */
static const char *file_col_name(const ingest *in, unsigned file_col)
{
    if (file_col == 0 || file_col > in->header_fields)
        return "sin encabezado";
    int col = in->col_at[file_col - 1];
    return col >= 0 ? col_name(in, col) : in->header_names[file_col - 1];
}

/* ---- field access --------------------------------------------------------------------------- */

typedef struct field {
    const char *ptr;
    size_t len;
} field;

static inline bool edge_byte_may_be_space(unsigned char c)
{
    return c <= ' ' || c >= 0x80;
}

/* A field trimmed of every Unicode space (data contract §1); empty when absent. */
static field trimmed(const char *ptr, size_t len)
{
    field f = {ptr, len};
    if (f.len > 0 && (edge_byte_may_be_space((unsigned char)f.ptr[0]) ||
                      edge_byte_may_be_space((unsigned char)f.ptr[f.len - 1])))
        obs_trim_spaces(&f.ptr, &f.len);
    return f;
}

static field get(const ingest *in, int col)
{
    int pos = in->pos[col];
    if (pos < 0 || (size_t)pos >= in->rec->nfields)
        return (field){"", 0};
    return trimmed(in->rec->fields[pos].ptr, in->rec->fields[pos].len);
}

static bool required(ingest *in, int col, field *f)
{
    *f = get(in, col);
    if (f->len == 0) {
        if (!(in->bad_cols & (1u << col))) /* a flagged field was reported already */
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

/* ---- dates ---------------------------------------------------------------------------------- */

/* A date of the accepted forms or an Excel serial number (warn set); MEMO_UNKNOWN otherwise. */
static int resolve_date(const ingest *in, const char *s, size_t len, bool *serial)
{
    (void)in;
    obs_day d = obs_day_parse(s, len);
    *serial = false;
    if (d == OBS_DAY_NONE) {
        d = obs_day_from_excel_serial(s, len);
        *serial = d != OBS_DAY_NONE;
    }
    return d != OBS_DAY_NONE ? d : MEMO_UNKNOWN;
}

/* Excel serial dates are read with one aviso per column and file (data contract §1). */
static void note_serial(ingest *in, int col, field f, obs_day d)
{
    uint32_t bit = 1u << col;
    if (in->serial_warned & bit)
        return;
    in->serial_warned |= bit;
    if (in->defer_file_avisos) {
        in->serial_seen |= bit;
        return;
    }
    char iso[16];
    obs_day_iso(d, iso, sizeof iso);
    add_problem(in, OBS_R_W_EXCEL_DATE, col, f.ptr, f.len,
                "«%s» tiene fechas escritas como número de serie de Excel («%.*s» = %s): se leen con el "
                "sistema de fechas de 1900 de Excel; dé a la columna formato de fecha para evitarlo "
                "(aviso único para la columna)",
                col_name(in, col), (int)MIN(f.len, 20), f.ptr, iso);
}

/* The day written in f (non-empty), or OBS_DAY_NONE, without reporting. */
static obs_day date_value(ingest *in, int col, field f)
{
    bool serial = false;
    int d = memo_lookup(in, col, f, resolve_date, &serial);
    if (d == MEMO_UNKNOWN)
        return OBS_DAY_NONE;
    if (serial)
        note_serial(in, col, f, d);
    return d;
}

static void report_bad_date(ingest *in, obs_reason reason, int col, field f, const char *then)
{
    add_problem(in, reason, col, f.ptr, f.len,
                "«%.*s» no es una fecha válida en «%s» (use AAAA-MM-DD o DD/MM/AAAA)%s",
                (int)MIN(f.len, 40), f.ptr, col_name(in, col), then);
}

/* A required date: unparseable rejects the row. */
static obs_day required_date(ingest *in, int col)
{
    field f;
    if (!required(in, col, &f))
        return OBS_DAY_NONE;
    obs_day d = date_value(in, col, f);
    if (d == OBS_DAY_NONE)
        report_bad_date(in, OBS_R_BAD_DATE, col, f, "");
    return d;
}

/* An optional date: unparseable is an aviso, and the date is absent (`then` says what follows). */
static obs_day optional_date(ingest *in, int col, const char *then)
{
    field f = get(in, col);
    if (f.len == 0)
        return OBS_DAY_NONE;
    obs_day d = date_value(in, col, f);
    if (d == OBS_DAY_NONE)
        report_bad_date(in, OBS_R_W_DATE, col, f, then);
    return d;
}

/* ---- entidades and enumerations ------------------------------------------------------------- */

/* Skips the separators between a clave and a name: spaces, '-', '.', ':', ')', '_', dashes. */
static size_t skip_clave_separators(const char *s, size_t len)
{
    size_t i = 0;
    for (;;) {
        if (i < len && s[i] != '\0' && strchr(" -.:)_", s[i]))
            i++;
        else if (len - i >= 3 && (memcmp(s + i, "\xE2\x80\x93", 3) == 0 || memcmp(s + i, "\xE2\x80\x94", 3) == 0))
            i += 3;
        else if (len - i >= 2 && memcmp(s + i, "\xC2\xA0", 2) == 0)
            i += 2;
        else
            return i;
    }
}

/* "15 - México", "09 Ciudad de México", "14-JALISCO": the clave when the name agrees
 * (data contract §1); a disagreement is encoded for entidad_of() to name both. */
static int resolve_clave_y_nombre(const ingest *in, const char *s, size_t len)
{
    size_t i = 0;
    int clave = 0;
    while (i < len && i < 2 && g_ascii_isdigit(s[i]))
        clave = clave * 10 + (s[i++] - '0');
    if (i == 0 || (i < len && g_ascii_isdigit(s[i])))
        return MEMO_UNKNOWN;
    size_t j = i + skip_clave_separators(s + i, len - i);
    if (j == i || j >= len || g_ascii_isdigit(s[j]) || clave < 1 || clave > OBS_ENTIDADES)
        return MEMO_UNKNOWN;
    field name = trimmed(s + j, len - j);
    int by_name = obs_catalog_find_entidad(in->cat, name.ptr, name.len);
    if (by_name == 0)
        return MEMO_UNKNOWN;
    return by_name == clave ? clave : -(MEMO_MISMATCH + clave * 100 + by_name);
}

static int resolve_entidad(const ingest *in, const char *s, size_t len, bool *warn)
{
    *warn = false;
    int c = obs_catalog_find_entidad(in->cat, s, len);
    return c ? c : resolve_clave_y_nombre(in, s, len);
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
    if (c <= -MEMO_MISMATCH) {
        int clave = (-c - MEMO_MISMATCH) / 100, by_name = (-c - MEMO_MISMATCH) % 100;
        add_problem(in, OBS_R_ENTIDAD_MISMATCH, col, f.ptr, f.len,
                    "la clave y el nombre de la entidad no coinciden: «%.*s» tiene la clave %02d (%s) y "
                    "el nombre de %s (%02d); corrija uno de los dos",
                    (int)MIN(f.len, 40), f.ptr, clave, obs_catalog_entidad(in->cat, clave)->nombre,
                    obs_catalog_entidad(in->cat, by_name)->nombre, by_name);
        return 0;
    }
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

/* ---- numbers -------------------------------------------------------------------------------- */

/* An optional integer in lo..hi: its value, or -1 (absent) with an aviso saying why. */
static int64_t optional_count(ingest *in, int col, obs_reason reason, int64_t lo, int64_t hi, const char *then)
{
    field f = get(in, col);
    if (f.len == 0)
        return -1;
    int64_t v = -1;
    obs_num_status st = obs_parse_count(f.ptr, f.len, &v);
    const char *why = NULL;
    if (st == OBS_NUM_AMBIGUOUS)
        why = "es ambiguo (¿separador de miles o punto decimal?); escríbalo sin punto";
    else if (st == OBS_NUM_NEGATIVE)
        why = "es negativo";
    else if (st == OBS_NUM_TOO_BIG)
        why = "tiene demasiadas cifras";
    else if (st != OBS_NUM_OK)
        why = "no es un número entero";
    else if (v < lo || v > hi)
        why = v > hi && hi >= OBS_ALCANCE_MAX ? "no es verosímil (más de 100,000,000)" : "está fuera del rango aceptado";
    if (!why)
        return v;
    add_problem(in, reason, col, f.ptr, f.len, "«%s» = «%.*s» %s; %s", col_name(in, col),
                (int)MIN(f.len, 40), f.ptr, why, then);
    return -1;
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

static bool is_modalidad_separator(char c)
{
    return c == ';' || c == ',' || c == '|' || c == '/';
}

/* The modalidades one part names: a code, label or alias, or codes separated by spaces
 * ("VA VPPP"); *unknown when it is neither (data contract §2, modalidades). */
static unsigned modalidad_part(const ingest *in, field part, bool *unknown)
{
    int m = obs_catalog_find_value(in->cat, OBS_ENUM_MODALIDAD, part.ptr, part.len, NULL);
    if (m >= 0)
        return 1u << m;
    unsigned bits = 0;
    size_t i = 0;
    while (i < part.len) {
        while (i < part.len && (part.ptr[i] == ' ' || part.ptr[i] == '\t'))
            i++;
        size_t start = i;
        while (i < part.len && part.ptr[i] != ' ' && part.ptr[i] != '\t')
            i++;
        if (i == start)
            continue;
        int code = obs_catalog_value_code(OBS_ENUM_MODALIDAD, part.ptr + start, i - start);
        if (code < 0) {
            *unknown = true;
            return 0;
        }
        bits |= 1u << code;
    }
    return bits;
}

/* Every part of a modalidades field; with `in` not NULL, an aviso for each part not understood. */
static unsigned modalidades_scan(const ingest *cin, ingest *report, const char *s, size_t len, bool *warn)
{
    unsigned bits = 0;
    *warn = false;
    for (size_t i = 0; i <= len; i++) {
        size_t start = i;
        while (i < len && !is_modalidad_separator(s[i]))
            i++;
        field part = trimmed(s + start, i - start);
        if (part.len == 0)
            continue;
        bool unknown = false;
        unsigned b = modalidad_part(cin, part, &unknown);
        bits |= b;
        if (unknown) {
            *warn = true;
            if (report)
                add_problem(report, OBS_R_W_IGNORED_VALUE, SC_MODALIDADES, part.ptr, part.len,
                            "modalidad no reconocida: «%.*s»; se ignora (use VA, VPPP o VMRE, o su "
                            "nombre, separadas por ; , | o /)",
                            (int)MIN(part.len, 40), part.ptr);
        }
    }
    return bits;
}

static int resolve_modalidades(const ingest *in, const char *s, size_t len, bool *warn)
{
    return (int)modalidades_scan(in, NULL, s, len, warn);
}

static void modalidades_of(ingest *in, obs_solicitud *s)
{
    field f = get(in, SC_MODALIDADES);
    if (f.len == 0)
        return;
    bool warn = false;
    s->modalidades = (unsigned)memo_lookup(in, SC_MODALIDADES, f, resolve_modalidades, &warn);
    if (warn) /* rare: scan again to say which part */
        modalidades_scan(in, in, f.ptr, f.len, &warn);
}

static void edad_of(ingest *in, obs_solicitud *s)
{
    int64_t edad = optional_count(in, SC_EDAD, OBS_R_W_AGE, 18, 120,
                                  "se usa la fecha de nacimiento o se toma como no especificada");
    s->edad = edad >= 0 ? (int)edad : OBS_ABSENT;
    obs_day nac = optional_date(in, SC_FECHA_NACIMIENTO, "; la edad se toma como no especificada");
    if (s->edad == OBS_ABSENT && nac != OBS_DAY_NONE && s->fecha_solicitud != OBS_DAY_NONE) {
        int age = obs_age_years(nac, s->fecha_solicitud);
        if (age >= 18 && age <= 120)
            s->edad = age;
    }
}

/*
 * resolucion and fecha_resolucion (data contract §2): a resolution counts only with a usable
 * date on or after the request; otherwise, or with an unknown value, the request is pendiente,
 * with an aviso. The words of a pending request mean no resolution.
 */
static void resolucion_of(ingest *in, obs_solicitud *s)
{
    static const char then[] = "la solicitud se cuenta como pendiente";
    field fres = get(in, SC_RESOLUCION), ffr = get(in, SC_FECHA_RESOLUCION);
    s->resolucion = OBS_ABSENT;
    s->fecha_resolucion = OBS_DAY_NONE;
    int res = OBS_ABSENT;
    bool unknown = false;
    if (fres.len > 0) {
        res = memo_lookup(in, SC_RESOLUCION, fres, resolve_resolucion, NULL);
        unknown = res == MEMO_UNKNOWN;
        if (unknown)
            add_problem(in, OBS_R_W_RESOLUTION, SC_RESOLUCION, fres.ptr, fres.len,
                        "valor no reconocido en «resolucion»: «%.*s»; %s (valores aceptados: aprobada, "
                        "improcedente, declinada o pendiente)",
                        (int)MIN(fres.len, 40), fres.ptr, then);
        if (res < 0 || res == OBS_RES_PENDIENTE)
            res = OBS_ABSENT;
    }
    obs_day d = ffr.len ? date_value(in, SC_FECHA_RESOLUCION, ffr) : OBS_DAY_NONE;
    if (res == OBS_ABSENT) {
        if (ffr.len > 0 && !unknown)
            add_problem(in, OBS_R_W_RESOLUTION, SC_RESOLUCION, ffr.ptr, ffr.len,
                        "hay «fecha_resolucion» pero «resolucion» está vacía o dice que no se ha resuelto; %s",
                        then);
        return;
    }
    char a[16], b[16];
    if (ffr.len == 0) {
        add_problem(in, OBS_R_W_RESOLUTION, SC_FECHA_RESOLUCION, NULL, 0,
                    "«resolucion» es «%.*s» pero falta «fecha_resolucion»; %s", (int)MIN(fres.len, 40), fres.ptr,
                    then);
    } else if (d == OBS_DAY_NONE) {
        add_problem(in, OBS_R_W_RESOLUTION, SC_FECHA_RESOLUCION, ffr.ptr, ffr.len,
                    "«%.*s» no es una fecha válida en «fecha_resolucion»; %s", (int)MIN(ffr.len, 40), ffr.ptr,
                    then);
    } else if (s->fecha_solicitud != OBS_DAY_NONE && d < s->fecha_solicitud) {
        obs_day_iso(d, a, sizeof a);
        obs_day_iso(s->fecha_solicitud, b, sizeof b);
        add_problem(in, OBS_R_W_RESOLUTION, SC_FECHA_RESOLUCION, ffr.ptr, ffr.len,
                    "«fecha_resolucion» (%s) es anterior a «fecha_solicitud» (%s); %s", a, b, then);
    } else {
        s->resolucion = res;
        s->fecha_resolucion = d;
    }
}

/* fecha_registro, the as-of key: fecha_solicitud when absent or unusable; earlier than it rejects. */
static obs_day registro_of(ingest *in, int col, obs_day after, const char *after_name)
{
    field f = get(in, col);
    obs_day d = optional_date(in, col, "; se toma la otra fecha de la fila");
    if (d == OBS_DAY_NONE || after == OBS_DAY_NONE)
        return after;
    if (d < after) {
        char a[16], b[16];
        obs_day_iso(d, a, sizeof a);
        obs_day_iso(after, b, sizeof b);
        add_problem(in, OBS_R_DATE_ORDER, col, f.ptr, f.len, "«fecha_registro» (%s) es anterior a «%s» (%s)", a,
                    after_name, b);
    }
    return d;
}

/* Text kept for counts: the reader NUL-terminates every field, and trimming only moves the
 * start, so the trimmed end is terminated in place and needs no copy. */
static const char *text_of(ingest *in, int col)
{
    field f = get(in, col);
    if (f.len == 0)
        return NULL;
    ((char *)f.ptr)[f.len] = '\0';
    return f.ptr;
}

static void validate_solicitud(ingest *in)
{
    obs_solicitud s = {0};
    field folio;
    bool have_folio = required(in, SC_FOLIO, &folio);
    obs_idkey key = have_folio ? id_key(in, folio) : (obs_idkey){0, 0};
    s.entidad = entidad_of(in, SC_ENTIDAD);
    s.fecha_solicitud = required_date(in, SC_FECHA_SOLICITUD);
    s.fecha_registro = registro_of(in, SC_FECHA_REGISTRO, s.fecha_solicitud, "fecha_solicitud");
    s.tipo = required_enum(in, SC_TIPO, resolve_tipo, "individual, organización");
    s.medio = required_enum(in, SC_MEDIO, resolve_medio, "portal, junta, opl");
    s.sexo = optional_enum(in, SC_SEXO, resolve_sexo, "mujer, hombre, no binaria");
    if (s.sexo == OBS_ABSENT)
        s.sexo = OBS_SEXO_NO_ESPECIFICADO;
    edad_of(in, &s);
    optional_count(in, SC_DISTRITO, OBS_R_W_NUMBER, 0, 300, "se ignora (use 1 a 300, o 0 para la Junta Local)");
    s.discapacidad = boolean_of(in, SC_DISCAPACIDAD);
    s.indigena = boolean_of(in, SC_INDIGENA);
    modalidades_of(in, &s);
    s.fecha_curso = optional_date(in, SC_FECHA_CURSO, "; se toma como sin curso");
    s.curso_por = optional_enum(in, SC_CURSO_POR, resolve_curso_por, "ine, opl, organización");
    s.curso_modalidad = optional_enum(in, SC_CURSO_MODALIDAD, resolve_curso_mod, "presencial, virtual");
    resolucion_of(in, &s);
    s.consejo = optional_enum(in, SC_CONSEJO, resolve_consejo, "local, distrital");
    if (s.resolucion == OBS_RES_APROBADA && s.fecha_curso == OBS_DAY_NONE)
        add_problem(in, OBS_R_W_NO_COURSE, SC_FECHA_CURSO, NULL, 0,
                    "solicitud aprobada sin «fecha_curso»: la ley exige el curso de capacitación");
    if (in->row_error || !ids_unique(in, SC_FOLIO, folio, &key))
        return;
    s.causa = text_of(in, SC_CAUSA);
    s.organizacion = text_of(in, SC_ORGANIZACION);
    if (in->sink && in->sink->solicitud)
        in->sink->solicitud(in->sink->ud, &s);
}

/* ---- difusion ------------------------------------------------------------------------------- */

static int instancia_of(ingest *in)
{
    field f;
    if (!required(in, DC_INSTANCIA, &f))
        return OBS_ABSENT;
    bool warn = false;
    int v = memo_lookup(in, DC_INSTANCIA, f, resolve_instancia, &warn);
    if (v == MEMO_UNKNOWN) {
        add_problem(in, OBS_R_UNKNOWN_VALUE, DC_INSTANCIA, f.ptr, f.len,
                    "valor no reconocido en «instancia»: «%.*s» (valores aceptados: opl, jle, jde)",
                    (int)MIN(f.len, 40), f.ptr);
        return OBS_ABSENT;
    }
    if (warn)
        add_problem(in, OBS_R_W_ALIAS, DC_INSTANCIA, f.ptr, f.len,
                    "«%.*s» se interpreta como «%s»; indique jle o jde para distinguir las juntas",
                    (int)MIN(f.len, 40), f.ptr, obs_catalog_value_label(in->cat, OBS_ENUM_INSTANCIA, v));
    return v;
}

static int tipo_accion_of(ingest *in)
{
    field f;
    if (!required(in, DC_TIPO, &f))
        return -1;
    int t = memo_lookup(in, DC_TIPO, f, resolve_tipo_difusion, NULL);
    if (t != MEMO_UNKNOWN)
        return t;
    t = obs_catalog_tipo_otro(in->cat);
    add_problem(in, OBS_R_W_OTHER_TYPE, DC_TIPO, f.ptr, f.len,
                "tipo de acción no reconocido: «%.*s»; se cuenta como «%s» "
                "(agréguelo a tipos_difusion.csv si es frecuente)",
                (int)MIN(f.len, 40), f.ptr, obs_catalog_tipo_etiqueta(in->cat, (size_t)t));
    return t;
}

static void validate_accion(ingest *in)
{
    obs_accion a = {0};
    field id;
    bool have_id = required(in, DC_ID, &id);
    obs_idkey key = have_id ? id_key(in, id) : (obs_idkey){0, 0};
    a.entidad = entidad_of(in, DC_ENTIDAD);
    a.instancia = instancia_of(in);
    a.fecha = required_date(in, DC_FECHA);
    a.fecha_registro = registro_of(in, DC_FECHA_REGISTRO, a.fecha, "fecha");
    a.tipo = tipo_accion_of(in);
    a.alcance = optional_count(in, DC_ALCANCE, OBS_R_W_NUMBER, 0, OBS_ALCANCE_MAX,
                               "el alcance se toma como no declarado (la acción no se descarta por esto)");
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

/* A record the reader could not split into fields (only from a file that cannot be re-read). */
static void defect_problem(ingest *in, const obs_csv_record *rec)
{
    switch (rec->defect) {
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
                    "la línea excede 1 MiB (¿una comilla sin cerrar?); se omite hasta su final");
        break;
    case OBS_CSV_OK:
        break;
    }
}

/* Blank row (data contract §1): every field empty, or a line with nothing on it. */
static bool is_blank(const obs_csv_record *rec)
{
    if (rec->field_flags)
        return false;
    for (size_t i = 0; i < rec->nfields; i++) {
        if (rec->fields[i].flags)
            return false;
        if (rec->fields[i].len > 0 && trimmed(rec->fields[i].ptr, rec->fields[i].len).len > 0)
            return false;
    }
    return true;
}

/* "consejo, causa": the names of the header's fields [from, to), or only the required ones. */
static char *names_between(const ingest *in, size_t from, size_t to, bool only_required)
{
    GString *s = g_string_new(NULL);
    size_t listed = 0;
    for (size_t i = from; i < to; i++) {
        if (only_required && !col_required(in, in->col_at[i]))
            continue;
        if (listed++ == MAX_NAMES_LISTED) {
            g_string_append(s, ", …");
            break;
        }
        g_string_append_printf(s, "%s%s", s->len ? ", " : "", file_col_name(in, (unsigned)i + 1));
    }
    return g_string_free(s, FALSE);
}

/* The field count rules of §1; false (with the error) when they cannot resolve the row. */
static bool row_fits(ingest *in, const obs_csv_record *rec)
{
    size_t n = rec->nfields, h = in->header_fields;
    obs_csv_layout layout = {NULL, h, in->min_fields};
    if (!obs_csv_count_fits(rec, &layout)) {
        if (rec->quote_as_text)
            add_problem(in, OBS_R_MALFORMED, -1, NULL, 0,
                        "comillas mal colocadas en esta línea, y aun leídas como texto la fila tiene %zu "
                        "campos y el encabezado %zu; las líneas siguientes se leyeron como filas propias",
                        n, h);
        else if (n > h)
            add_problem(in, OBS_R_FIELD_COUNT, -1, NULL, 0,
                        "la fila tiene %zu campos y el encabezado %zu, y los de más no están vacíos; "
                        "revise separadores y comillas", n, h);
        else {
            char *missing = names_between(in, n, h, true);
            add_problem(in, OBS_R_FIELD_COUNT, -1, NULL, 0,
                        "la fila tiene %zu campos y el encabezado %zu: le faltan columnas obligatorias "
                        "(%s); revise separadores y comillas", n, h, missing);
            g_free(missing);
        }
        return false;
    }
    if (rec->quote_as_text)
        add_problem(in, OBS_R_W_QUOTE, -1, NULL, 0,
                    "comillas mal colocadas: la línea se leyó sola, con sus comillas como texto, y las "
                    "siguientes como filas propias; revise sus valores");
    if (n < h) {
        char *missing = names_between(in, n, h, false);
        add_problem(in, OBS_R_W_SHORT_ROW, -1, NULL, 0,
                    "la fila tiene %zu campos y el encabezado %zu: los últimos (%s) se leen vacíos", n, h,
                    missing);
        g_free(missing);
    }
    return true;
}

/* Fields the reader flagged: in a required column the row is rejected; otherwise the field is
 * absent, with an aviso (a column observa ignores is only checked for NUL bytes). */
static void flagged_fields(ingest *in, const obs_csv_record *rec)
{
    if (!(rec->field_flags & (OBS_CSV_F_NUL | OBS_CSV_F_BAD_BYTES | OBS_CSV_F_TOO_LONG)))
        return;
    size_t n = MIN(rec->nfields, in->header_fields);
    for (size_t i = 0; i < n; i++) {
        uint32_t fl = rec->fields[i].flags & (OBS_CSV_F_NUL | OBS_CSV_F_BAD_BYTES | OBS_CSV_F_TOO_LONG);
        if (!fl)
            continue;
        int col = in->col_at[i];
        bool req = col_required(in, col);
        if (col >= 0)
            in->bad_cols |= 1u << col;
        const char *what = fl & OBS_CSV_F_NUL ? "tiene bytes nulos"
                           : fl & OBS_CSV_F_TOO_LONG ? "excede 64 KiB"
                                                     : "tiene bytes no válidos en la codificación";
        obs_reason reason = !req ? OBS_R_W_BYTES : fl & OBS_CSV_F_TOO_LONG ? OBS_R_TOO_LONG : OBS_R_BAD_BYTES;
        const char *fix = fl & OBS_CSV_F_BAD_BYTES ? "guarde el archivo como CSV UTF-8 o indique --codificacion"
                          : fl & OBS_CSV_F_NUL     ? "corrija ese valor en el archivo"
                                                   : "acorte ese valor en el archivo";
        add_problem_at(in, reason, (unsigned)i + 1, 0, "la columna %zu (%s) %s%s%s; %s", i + 1,
                       file_col_name(in, (unsigned)i + 1), what,
                       fl & OBS_CSV_F_BAD_BYTES ? " " : "",
                       fl & OBS_CSV_F_BAD_BYTES ? encoding_name(rec->encoding) : "",
                       req ? fix
                       : col >= 0 ? "se toma como vacía (la fila no se descarta por esto)"
                                  : "es una columna que observa no usa (la fila no se descarta por esto)");
    }
}

/* Header fields: canonical column of each, trailing empty names dropped. Shared by the reader's
 * thread (select_columns) and the caller's (header_record); only reads the catalogue. */
static size_t map_header(const obs_catalog *cat, obs_file_kind kind, const obs_csv_record *rec, int *col_at,
                         char **names)
{
    size_t named = 0;
    for (size_t i = 0; i < rec->nfields; i++) {
        char *folded = obs_fold(rec->fields[i].ptr, rec->fields[i].len);
        col_at[i] = *folded ? obs_catalog_find_column(cat, kind, folded) : -1;
        if (*folded)
            named = i + 1;
        if (names)
            names[i] = folded;
        else
            g_free(folded);
    }
    return named;
}

/* Fields a record needs to reach every required column (one past the last one). */
static size_t min_fields_of(const ingest *in)
{
    size_t min = 0;
    for (size_t c = 0; c < in->ncols; c++)
        if (col_required(in, (int)c) && in->pos[c] >= 0)
            min = MAX(min, (size_t)in->pos[c] + 1);
    return min;
}

static bool header_fail(ingest *in, const obs_csv_record *rec, unsigned column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static bool header_fail(ingest *in, const obs_csv_record *rec, unsigned column, const char *fmt, ...)
{
    char msg[OBS_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    g_vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    in->status = obs_error_set(in->err, OBS_ERR_DATA, in->path, rec->line, column, "%s", msg);
    return false;
}

/* The headers found, for a message: «folio», «entidad», … */
static char *headers_found(const obs_csv_record *rec)
{
    GString *found = g_string_new(NULL);
    for (size_t i = 0; i < rec->nfields && i < 40; i++) {
        char *h = truncate_value(rec->fields[i].ptr, rec->fields[i].len);
        g_string_append_printf(found, "%s«%s»", i ? ", " : "", h);
        g_free(h);
    }
    return g_string_free(found, FALSE);
}

/* The once-per-file aviso about lines skipped above the header. */
static void title_lines_aviso(ingest *in, const obs_csv_record *rec)
{
    if (!rec->title_lines || in->later_part)
        return;
    uint64_t first = rec->line - rec->title_lines;
    if (rec->title_lines == 1)
        add_problem_at(in, OBS_R_W_TITLE_LINES, 0, first,
                       "se omitió la línea %" G_GUINT64_FORMAT " antes del encabezado (un título o una fila "
                       "vacía); el encabezado está en la línea %" G_GUINT64_FORMAT,
                       first, rec->line);
    else
        add_problem_at(in, OBS_R_W_TITLE_LINES, 0, first,
                       "se omitieron %u líneas antes del encabezado (líneas %" G_GUINT64_FORMAT " a %" G_GUINT64_FORMAT
                       "): títulos o filas vacías; el encabezado está en la línea %" G_GUINT64_FORMAT,
                       rec->title_lines, first, rec->line - 1, rec->line);
}

static bool header_record(ingest *in, const obs_csv_record *rec)
{
    in->header_done = true;
    bool flagged = false;
    for (size_t i = 0; i < rec->nfields; i++)
        flagged = flagged || rec->fields[i].flags;
    if (rec->defect != OBS_CSV_OK || rec->quote_as_text || flagged)
        return header_fail(in, rec, 0,
                           "el encabezado está mal formado (comillas o bytes no válidos); la primera "
                           "línea debe tener los nombres de las columnas");
    in->header_names = g_new0(char *, rec->nfields + 1);
    in->col_at = g_new(int, rec->nfields + 1);
    in->header_fields = map_header(in->cat, in->kind, rec, in->col_at, in->header_names);
    for (size_t c = 0; c < in->ncols; c++)
        in->pos[c] = -1;
    size_t known = 0;
    for (size_t i = 0; i < in->header_fields; i++) {
        int col = in->col_at[i];
        if (col < 0)
            continue;
        if (in->pos[col] >= 0)
            return header_fail(in, rec, (unsigned)i + 1,
                               "la columna «%s» aparece dos veces (columnas %d y %zu); deje solo una",
                               col_name(in, col), in->pos[col] + 1, i + 1);
        in->pos[col] = (int)i;
        known++;
    }
    GString *missing = g_string_new(NULL);
    for (size_t c = 0; c < in->ncols; c++)
        if (col_required(in, (int)c) && in->pos[c] < 0)
            g_string_append_printf(missing, "%s%s", missing->len ? ", " : "", col_name(in, (int)c));
    if (missing->len) {
        char *found = headers_found(rec);
        if (known == 0)
            header_fail(in, rec, 0,
                        "la primera línea no es un encabezado: ninguna columna tiene un nombre conocido "
                        "(se encontró: %s); agregue la línea de encabezados del Sistema",
                        found);
        else
            header_fail(in, rec, 0, "faltan columnas obligatorias: %s; encabezados encontrados: %s",
                        missing->str, found);
        g_free(found);
    }
    g_string_free(missing, TRUE);
    if (in->status != OBS_OK)
        return false;
    in->min_fields = min_fields_of(in);
    in->rec = rec;
    title_lines_aviso(in, rec);
    flush_problems(in);
    return true;
}

static bool on_record(void *ud, const obs_csv_record *rec)
{
    ingest *in = ud;
    if (!in->header_done)
        return header_record(in, rec);
    if (rec->defect == OBS_CSV_OK && !rec->quote_as_text && is_blank(rec)) {
        in->stats->vacias++;
        return true;
    }
    in->rec = rec;
    in->row_error = false;
    in->row_warned = false;
    in->bad_cols = 0;
    in->stats->leidas++;
    if (rec->defect != OBS_CSV_OK) {
        defect_problem(in, rec);
    } else if (row_fits(in, rec)) {
        flagged_fields(in, rec);
        if (in->kind == OBS_FILE_SOLICITUDES)
            validate_solicitud(in);
        else
            validate_accion(in);
    }
    if (in->row_error)
        in->stats->rechazadas++;
    else {
        in->stats->aceptadas++;
        if (in->row_warned)
            in->stats->con_avisos++;
    }
    flush_problems(in);
    return true;
}

/*
 * Which columns the reader copies: those of the contract. Runs on the reader's thread and
 * only reads the catalogue. The others (names, CURP, addresses…) are never copied.
 */
static void select_columns(void *ud, const obs_csv_record *hdr, obs_csv_layout *layout)
{
    const ingest *in = ud;
    int *col_at = g_new(int, hdr->nfields + 1);
    layout->fields = map_header(in->cat, in->kind, hdr, col_at, NULL);
    layout->min_fields = 0;
    bool seen[MAX_COLS] = {false};
    for (size_t i = 0; i < layout->fields; i++) {
        int col = col_at[i];
        if (col < 0 || seen[col])
            continue;
        seen[col] = true;
        layout->keep[i] = true;
        if (col_required(in, col))
            layout->min_fields = i + 1;
    }
    g_free(col_at);
}

/* How many distinct columns of the contract a candidate header line names. */
static size_t score_header(void *ud, const obs_csv_field *fields, size_t n)
{
    const ingest *in = ud;
    bool seen[MAX_COLS] = {false};
    size_t score = 0;
    for (size_t i = 0; i < n; i++) {
        char *folded = obs_fold(fields[i].ptr, fields[i].len);
        int col = *folded ? obs_catalog_find_column(in->cat, in->kind, folded) : -1;
        g_free(folded);
        if (col >= 0 && !seen[col]) {
            seen[col] = true;
            score++;
        }
    }
    return score;
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
        .serial_warned = part ? part->serial_warned : 0,
        .later_part = part && part->start,
        .defer_file_avisos = part && part->defer_file_avisos,
    };
    obs_csv_options copts = {
        .encoding = opts ? opts->encoding : OBS_ENC_AUTO,
        .delimiter = opts ? opts->delimiter : 0,
        .threaded = opts ? opts->threads != 1 : true,
        .select = select_columns,
        .header_score = score_header,
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
        part->serial_warned = in.serial_warned;
        part->serial_seen = in.serial_seen;
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
    g_free(in.col_at);
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
