/* ingest_fields.c - a row's fields read as dates (Excel serials too), entidades, enumerations, counts, ids. */
#include "ingest/ingest_int.h"

#include <string.h>

/* A small direct-mapped cache per column: enumerations, entidades and dates repeat a lot,
 * so folding, catalogue lookups and date parsing run once per distinct spelling. */
#define CACHE_SLOTS 256
#define CACHE_KEY 40
/* An entidad written as clave and name that disagree: -(MEMO_MISMATCH + clave * 100 + name's). */
#define MEMO_MISMATCH 2000

/* ---- the per-column cache of resolved spellings ------------------------------------------------- */

typedef struct cache_entry {
    uint32_t hash;
    uint8_t len;   /* 0 = empty slot (empty fields never reach the cache) */
    bool warn;
    int32_t value;
    char key[CACHE_KEY];
} cache_entry;

struct field_cache {
    cache_entry e[CACHE_SLOTS];
};

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

/* A required field: empty is a row error (unless the reader's flag on it was reported already). */
bool ing_required(ingest *in, int col, field *f)
{
    *f = get(in, col);
    if (f->len == 0) {
        if (!(in->bad_cols & (1u << col))) /* a flagged field was reported already */
            ing_add_problem(in, OBS_R_MISSING, col, NULL, 0,
                            "falta el valor obligatorio de «%s»", ing_col_name(in, col));
        return false;
    }
    return true;
}

/* ---- fields ------------------------------------------------------------------------------------- */

static field_cache *column_cache(ingest *in, int col)
{
    if (!in->memo[col])
        in->memo[col] = g_new0(field_cache, 1);
    return in->memo[col];
}

/* Looks a spelling up through the column's cache, so folding runs once per distinct spelling. */
int ing_memo_lookup(ingest *in, int col, field f, resolver fn, bool *warn)
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
    ing_add_problem(in, OBS_R_W_EXCEL_DATE, col, f.ptr, f.len,
                    "«%s» tiene fechas escritas como número de serie de Excel («%.*s» = %s): se leen con el "
                    "sistema de fechas de %s de Excel; dé a la columna formato de fecha para evitarlo "
                    "(aviso único para la columna)",
                    ing_col_name(in, col), ing_shown_len(f.ptr, MIN(f.len, 20)), f.ptr, iso,
                    in->rec->date1904 ? "1904 del libro" : "1900");
}

/* Days from 1899-12-30 (serial 0 of Excel's 1900 system) to 1904-01-01 (serial 0 of its 1904 one). */
#define EXCEL_1904_OFFSET 1462

/* The day written in f (non-empty), or OBS_DAY_NONE, without reporting. A serial number of a
 * workbook in the 1904 date system counts from 1904-01-01. */
obs_day ing_date_value(ingest *in, int col, field f)
{
    bool serial = false;
    int d = ing_memo_lookup(in, col, f, resolve_date, &serial);
    if (d == MEMO_UNKNOWN)
        return OBS_DAY_NONE;
    if (serial && in->rec->date1904)
        d += EXCEL_1904_OFFSET;
    if (serial)
        note_serial(in, col, f, d);
    return d;
}

static void report_bad_date(ingest *in, obs_reason reason, int col, field f, const char *then)
{
    ing_add_problem(in, reason, col, f.ptr, f.len,
                    "«%.*s» no es una fecha válida en «%s» (use AAAA-MM-DD o DD/MM/AAAA)%s",
                    ing_shown_len(f.ptr, f.len), f.ptr, ing_col_name(in, col), then);
}

/* A required date: unparseable rejects the row. */
obs_day ing_required_date(ingest *in, int col)
{
    field f;
    if (!ing_required(in, col, &f))
        return OBS_DAY_NONE;
    obs_day d = ing_date_value(in, col, f);
    if (d == OBS_DAY_NONE)
        report_bad_date(in, OBS_R_BAD_DATE, col, f, "");
    return d;
}

/* An optional date: unparseable is an aviso, and the date is absent (`then` says what follows). */
obs_day ing_optional_date(ingest *in, int col, const char *then)
{
    field f = get(in, col);
    if (f.len == 0)
        return OBS_DAY_NONE;
    obs_day d = ing_date_value(in, col, f);
    if (d == OBS_DAY_NONE)
        report_bad_date(in, OBS_R_W_DATE, col, f, then);
    return d;
}

/* fecha_registro, the as-of key: fecha_solicitud when absent or unusable; earlier than it rejects. */
obs_day ing_registro_of(ingest *in, int col, obs_day after, const char *after_name)
{
    field f = get(in, col);
    obs_day d = ing_optional_date(in, col, "; se toma la otra fecha de la fila");
    if (d == OBS_DAY_NONE || after == OBS_DAY_NONE)
        return after;
    if (d < after) {
        char a[16], b[16];
        obs_day_iso(d, a, sizeof a);
        obs_day_iso(after, b, sizeof b);
        ing_add_problem(in, OBS_R_DATE_ORDER, col, f.ptr, f.len, "«fecha_registro» (%s) es anterior a «%s» (%s)", a,
                        after_name, b);
    }
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
 * (data contract §1); a disagreement is encoded for ing_entidad_of() to name both. */
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

ING_ENUM_RESOLVER(resolve_booleano, OBS_ENUM_BOOLEANO)

int ing_entidad_of(ingest *in, int col)
{
    field f;
    if (!ing_required(in, col, &f))
        return 0;
    int c = ing_memo_lookup(in, col, f, resolve_entidad, NULL);
    if (c <= -MEMO_MISMATCH) {
        int clave = (-c - MEMO_MISMATCH) / 100, by_name = (-c - MEMO_MISMATCH) % 100;
        ing_add_problem(in, OBS_R_ENTIDAD_MISMATCH, col, f.ptr, f.len,
                        "la clave y el nombre de la entidad no coinciden: «%.*s» tiene la clave %02d (%s) y "
                        "el nombre de %s (%02d); corrija uno de los dos",
                        ing_shown_len(f.ptr, f.len), f.ptr, clave, obs_catalog_entidad(in->cat, clave)->nombre,
                        obs_catalog_entidad(in->cat, by_name)->nombre, by_name);
        return 0;
    }
    if (c == MEMO_UNKNOWN) {
        ing_add_problem(in, OBS_R_UNKNOWN_ENTIDAD, col, f.ptr, f.len,
                        "entidad desconocida: «%.*s» (use la clave 1 a 32 o el nombre de la entidad)",
                        ing_shown_len(f.ptr, f.len), f.ptr);
        return 0;
    }
    return c;
}

/* A required enumeration: unknown values reject the row. */
int ing_required_enum(ingest *in, int col, resolver fn, const char *accepted)
{
    field f;
    if (!ing_required(in, col, &f))
        return OBS_ABSENT;
    int v = ing_memo_lookup(in, col, f, fn, NULL);
    if (v == MEMO_UNKNOWN) {
        ing_add_problem(in, OBS_R_UNKNOWN_VALUE, col, f.ptr, f.len,
                        "valor no reconocido en «%s»: «%.*s» (valores aceptados: %s)",
                        ing_col_name(in, col), ing_shown_len(f.ptr, f.len), f.ptr, accepted);
        return OBS_ABSENT;
    }
    return v;
}

/* An optional enumeration: unknown values are a warning and count as absent. */
int ing_optional_enum(ingest *in, int col, resolver fn, const char *accepted)
{
    field f = get(in, col);
    if (f.len == 0)
        return OBS_ABSENT;
    int v = ing_memo_lookup(in, col, f, fn, NULL);
    if (v == MEMO_UNKNOWN) {
        ing_add_problem(in, OBS_R_W_IGNORED_VALUE, col, f.ptr, f.len,
                        "valor no reconocido en «%s»: «%.*s»; se toma como no especificado "
                        "(valores aceptados: %s)",
                        ing_col_name(in, col), ing_shown_len(f.ptr, f.len), f.ptr, accepted);
        return OBS_ABSENT;
    }
    return v;
}

bool ing_boolean_of(ingest *in, int col)
{
    field f = get(in, col);
    if (f.len == 0)
        return false;
    int v = ing_memo_lookup(in, col, f, resolve_booleano, NULL);
    if (v == MEMO_UNKNOWN) {
        ing_add_problem(in, OBS_R_W_IGNORED_VALUE, col, f.ptr, f.len,
                        "valor no reconocido en «%s»: «%.*s»; se toma como «no» (use sí o no)",
                        ing_col_name(in, col), ing_shown_len(f.ptr, f.len), f.ptr);
        return false;
    }
    return v == 0;
}

/* ---- numbers -------------------------------------------------------------------------------- */

/* An optional integer in lo..hi: its value, or -1 (absent) with an aviso saying why. */
int64_t ing_optional_count(ingest *in, int col, obs_reason reason, int64_t lo, int64_t hi, const char *then)
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
    ing_add_problem(in, reason, col, f.ptr, f.len, "«%s» = «%.*s» %s; %s", ing_col_name(in, col),
                    ing_shown_len(f.ptr, f.len), f.ptr, why, then);
    return -1;
}

/* ---- ids and kept text --------------------------------------------------------------------------- */

/*
 * Adds the row's id to the set of accepted ids (one probe of the table, prefetched when the
 * row started); a repeat is a row error. Called last, once the row is otherwise valid.
 */
bool ing_ids_unique(ingest *in, int col, field f, const obs_idkey *key)
{
    if (!obs_idset_insert(in->ids, key)) {
        ing_add_problem(in, OBS_R_REPEATED_ID, col, f.ptr, f.len,
                        "«%s» repetido: el mismo valor ya apareció en una fila anterior aceptada; se conserva la "
                        "primera",
                        ing_col_name(in, col));
        return false;
    }
    return true;
}

/* Hashes the row's id and starts loading its slot, so the final insert rarely waits on memory. */
obs_idkey ing_id_key(ingest *in, field f)
{
    obs_idkey k = obs_idset_hash(f.ptr, f.len);
    obs_idset_prefetch(in->ids, &k);
    return k;
}

/* Text kept for counts: the reader NUL-terminates every field, and trimming only moves the
 * start, so the trimmed end is terminated in place and needs no copy. */
const char *ing_text_of(ingest *in, int col)
{
    field f = get(in, col);
    if (f.len == 0)
        return NULL;
    ((char *)f.ptr)[f.len] = '\0';
    return f.ptr;
}
