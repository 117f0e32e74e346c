/* ingest_int.h - internal to the row rules (ingest*.c): one file's read, its fields and problems. */
#ifndef OBSERVA_INGEST_INT_H
#define OBSERVA_INGEST_INT_H

#include <glib.h>
#include <stdarg.h>

#include "ingest/catalog_int.h"
#include "ingest/csvread_int.h"
#include "util/idset_int.h"
#include "observa/ingest.h"

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
/* How many bytes of a value a message quotes: at most 40, never cutting a UTF-8 character. */
static inline int ing_shown_len(const char *p, size_t len)
{
    size_t n = len < 40 ? len : 40;
    while (n > 0 && n < len && ((unsigned char)p[n] & 0xC0) == 0x80)
        n--;
    return (int)n;
}

/* The column that identifies a row (folio, id): the same place in both exports. */
#define ING_ID_COL 0
G_STATIC_ASSERT((int)SC_FOLIO == ING_ID_COL && (int)DC_ID == ING_ID_COL);
G_STATIC_ASSERT(MAX_COLS <= 32); /* column sets are 32-bit masks */

/* Problems kept per row before deciding; more than this are tallied, not detailed. */
#define MAX_ROW_PROBLEMS 12
/* What a resolver gives for a spelling it does not know. */
#define MEMO_UNKNOWN (-1000)

/* A small cache per column of the values its spellings resolve to (ingest_fields.c). */
typedef struct field_cache field_cache;

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
    char *sheet;             /* a workbook's sheet being read, or NULL for CSV */
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
    /* A row shorter than its header (§1) is read with its last fields empty; that holds only when the
     * fields it has are where the header says. Problems with its values are counted when the row ends
     * (ing_check_short_row()): several of them show fields missing before its end. */
    size_t short_fields;     /* the row's fields when shorter than the header, else 0 */
    unsigned short_problems; /* problems with the values of such a row */
    unsigned short_reasons[OBS_REASON_COUNT]; /* ... by reason, not yet in stats->por_motivo */
} ingest;

/* ---- field access (inline: several calls per row) ------------------------------------------------ */

typedef struct field {
    const char *ptr;
    size_t len;
} field;

static inline bool edge_byte_may_be_space(unsigned char c)
{
    return c <= ' ' || c >= 0x80;
}

/* A field trimmed of every Unicode space (data contract §1); empty when absent. */
static inline field trimmed(const char *ptr, size_t len)
{
    field f = {ptr, len};
    if (f.len > 0 && (edge_byte_may_be_space((unsigned char)f.ptr[0]) ||
                      edge_byte_may_be_space((unsigned char)f.ptr[f.len - 1])))
        obs_trim_spaces(&f.ptr, &f.len);
    return f;
}

/* The trimmed field of canonical column col in the row being validated (empty when absent). */
static inline field get(const ingest *in, int col)
{
    int pos = in->pos[col];
    if (pos < 0 || (size_t)pos >= in->rec->nfields)
        return (field){"", 0};
    return trimmed(in->rec->fields[pos].ptr, in->rec->fields[pos].len);
}

/* ---- ingest_problems.c: the problems of a row, and the names of columns in messages ----------- */

const char *ing_col_name(const ingest *in, int col);
bool ing_col_required(const ingest *in, int col);
/** The name of the field at a 1-based place of the file, for messages. */
const char *ing_file_col_name(const ingest *in, unsigned file_col);
/** How the file names a 1-based column in messages: "3" in a CSV file, "C" in a workbook. Returns buf. */
const char *ing_file_col_label(const ingest *in, unsigned file_col, char buf[OBS_PROBLEM_COLUMN_MAX]);
/** Cuts a value for the ledger without splitting a UTF-8 sequence (a copy to g_free()). */
char *ing_truncate_value(const char *s, size_t len);
/** A problem of the row being validated, about canonical column col (-1: the whole row). */
void ing_add_problem(ingest *in, obs_reason reason, int col, const char *value, size_t vlen, const char *fmt, ...)
    G_GNUC_PRINTF(6, 7);
/** A problem about a column given by its place in the file (canonical or not); line 0: the record's. */
void ing_add_problem_at(ingest *in, obs_reason reason, unsigned file_col, uint64_t line, const char *fmt, ...)
    G_GNUC_PRINTF(5, 6);
/** Hands the row's problems to on_problem, in the order found. */
void ing_flush_problems(ingest *in);
/**
 * Before a row shorter than its header is kept (data contract §1: its missing fields must be the last
 * ones): when two or more of its values do not fit their columns, its fields are not where the header
 * says (fields missing before its end, so values of other columns, names and CURP among them, sit under
 * these names). The row is then rejected with one field-count error naming those columns, and none of
 * its values reaches a message. Otherwise its problems are counted as they are. No-op for other rows.
 */
void ing_check_short_row(ingest *in);

/* ---- ingest_fields.c: reading a field as a date, an entidad, an enumeration, a count, an id ---- */

/** Computes the value of a spelling (cached per column by ing_memo_lookup()); MEMO_UNKNOWN if none. */
typedef int (*resolver)(const ingest *in, const char *s, size_t len, bool *warn);

/** A resolver of an enumeration of the catalogue (obs_catalog_find_value()). */
#define ING_ENUM_RESOLVER(name, e)                                                      \
    static int name(const ingest *in, const char *s, size_t len, bool *warn)          \
    {                                                                                  \
        int v = obs_catalog_find_value(in->cat, e, s, len, warn);                      \
        return v >= 0 ? v : MEMO_UNKNOWN;                                              \
    }

/** The trimmed field of a required column; false (with the problem) when it is empty. */
bool ing_required(ingest *in, int col, field *f);
/** The value of a spelling through the column's cache, so fn runs once per distinct spelling. */
int ing_memo_lookup(ingest *in, int col, field f, resolver fn, bool *warn);
/** The day written in f (non-empty), or OBS_DAY_NONE, without reporting. */
obs_day ing_date_value(ingest *in, int col, field f);
obs_day ing_required_date(ingest *in, int col);
obs_day ing_optional_date(ingest *in, int col, const char *then);
obs_day ing_registro_of(ingest *in, int col, obs_day after, const char *after_name);
int ing_entidad_of(ingest *in, int col);
int ing_required_enum(ingest *in, int col, resolver fn, const char *accepted);
int ing_optional_enum(ingest *in, int col, resolver fn, const char *accepted);
bool ing_boolean_of(ingest *in, int col);
int64_t ing_optional_count(ingest *in, int col, obs_reason reason, int64_t lo, int64_t hi, const char *then);
obs_idkey ing_id_key(ingest *in, field f);
bool ing_ids_unique(ingest *in, int col, field f, const obs_idkey *key);
const char *ing_text_of(ingest *in, int col);

/* ---- the rules of each export and the header ----------------------------------------------------- */

/** ingest_solicitud.c: a row of solicitudes (data contract §2), to the sink when accepted. */
void ing_validate_solicitud(ingest *in);
/** ingest_difusion.c: a row of difusion (data contract §3), to the sink when accepted. */
void ing_validate_accion(ingest *in);
/** ingest_header.c: the header record; false (in->status set) when the file cannot be read. */
bool ing_header_record(ingest *in, const obs_csv_record *rec);
/** ingest_header.c: obs_csv_options.select, on the reader's thread. */
void ing_select_columns(void *ud, const obs_csv_record *hdr, obs_csv_layout *layout);
/** ingest_header.c: obs_csv_options.header_score, on the reader's thread. */
size_t ing_score_header(void *ud, const obs_csv_field *fields, size_t n);

#endif /* OBSERVA_INGEST_INT_H */
