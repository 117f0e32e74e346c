/* xlsx_sheet.c - a worksheet parsed as a stream (SAX2) into the CSV reader's records: cells, rows, the header. */
#include "ingest/xlsx_reader_int.h"

#include <string.h>

/* Rows looked at for the header: up to 10 title rows, then the header (data contract §1). */
#define HEADER_CANDIDATES 11
#define DEFAULT_MAX_FIELD (64 * 1024)
/* Bytes a row keeps before the header says which columns matter (then only those are kept). */
#define MAX_PENDING_ROW (1024 * 1024)

/* A row kept until the header is known. */
typedef struct pending_row {
    uint64_t number;
    GString *bytes;
    GArray *fields;          /* obs_csv_field, ptr holding an offset into bytes */
} pending_row;

/* What a cell's t attribute says it holds. */
typedef enum cell_type { T_NUMBER, T_SHARED, T_INLINE, T_FORMULA_STR, T_BOOL, T_ERROR, T_DATE } cell_type;

typedef struct sheet_state {
    sax_state sax;
    workbook *w;
    const char *name;        /* the sheet's, for messages */
    const obs_csv_options *opts;
    void *opts_ud;           /* for opts' callbacks */
    obs_csv_record_fn on_record;
    void *ud;
    obs_csv_result *result;
    size_t max_field;
    /* rows */
    uint64_t row;            /* the row being read */
    uint64_t delivered;      /* the last row handed on: blank rows after it wait for a row with a value */
    GString *bytes;          /* the row's field bytes, each followed by a NUL */
    GArray *fields;          /* obs_csv_field, ptr holding an offset into bytes */
    uint32_t row_flags;
    bool in_row;
    /* the cell being read */
    unsigned col, last_col;
    cell_type type;
    bool date;               /* its style shows a date */
    bool in_cell, in_v, in_t, has_value, has_formula, too_long;
    int in_rph;              /* inside a phonetic guide, which is not the text */
    GString *text;           /* the <v> or <t> text */
    GString *value;          /* the cell's value as the CSV reader would give it */
    /* the header */
    bool header_done;
    GPtrArray *pending;      /* pending_row: the first rows, until the header is found */
    obs_csv_layout layout;
} sheet_state;

void obs_xlsx_column_letters(unsigned column, char buf[OBS_XLSX_COLUMN_LETTERS])
{
    char tmp[OBS_XLSX_COLUMN_LETTERS];
    int n = 0;
    while (column > 0 && n < OBS_XLSX_COLUMN_LETTERS - 1) {
        column--;
        tmp[n++] = (char)('A' + column % 26);
        column /= 26;
    }
    int o = 0;
    while (n > 0)
        buf[o++] = tmp[--n];
    buf[o] = '\0';
}

/* The column of a cell reference ("C17" → 3), or 0 when it names none. */
static unsigned column_of(const char *ref, size_t len)
{
    unsigned col = 0;
    for (size_t i = 0; i < len && g_ascii_isalpha(ref[i]); i++) {
        col = col * 26 + (unsigned)(g_ascii_toupper(ref[i]) - 'A' + 1);
        if (col > XLSX_MAX_COLUMNS)
            return 0;
    }
    return col;
}

static void stop(sheet_state *s)
{
    s->sax.stopped = true;
    xmlStopParser(s->sax.parser);
}

/* ---- records -------------------------------------------------------------------------------------- */

/* Hands one row on (fields holding offsets into bytes); false when the caller wants no more. */
static bool deliver(sheet_state *s, uint64_t number, GString *bytes, GArray *fields, uint32_t flags)
{
    /* A sheet does not write its empty cells: a row has every column of the header. */
    if (fields->len > 0 && fields->len < s->layout.fields) {
        obs_csv_field empty = {(const char *)(uintptr_t)bytes->len, 0, 0};
        g_string_append_c(bytes, '\0');
        while (fields->len < s->layout.fields)
            g_array_append_val(fields, empty);
    }
    obs_csv_field *f = (obs_csv_field *)(void *)fields->data;
    for (guint i = 0; i < fields->len; i++)
        f[i].ptr = bytes->str + (uintptr_t)f[i].ptr;
    obs_csv_record rec = {
        .line = number,
        .nfields = fields->len,
        .fields = f,
        .encoding = OBS_ENC_UTF8,
        .field_flags = flags,
        .title_lines = s->result->title_lines,
    };
    s->delivered = number;
    s->result->lines = number;
    return s->on_record(s->ud, &rec);
}

/* The rows between the last one handed on and `upto` have no value: blank rows, as a CSV export
 * writes them. */
static bool deliver_gap(sheet_state *s, uint64_t upto)
{
    static const obs_csv_field none[1] = {{"", 0, 0}};
    bool go_on = true;
    for (uint64_t r = s->delivered + 1; r < upto && go_on; r++) {
        obs_csv_record rec = {.line = r, .fields = none, .encoding = OBS_ENC_UTF8,
                              .title_lines = s->result->title_lines};
        s->delivered = r;
        s->result->lines = r;
        go_on = s->on_record(s->ud, &rec);
    }
    return go_on;
}

/* Whether a row holds anything: a value, or a flag. */
static bool has_value(const GArray *fields)
{
    const obs_csv_field *f = (const obs_csv_field *)(const void *)fields->data;
    for (guint i = 0; i < fields->len; i++)
        if (f[i].len || f[i].flags)
            return true;
    return false;
}

/* ---- the header ------------------------------------------------------------------------------------- */

/* A kept row's fields with pointers (g_free). */
static obs_csv_field *fields_of(const pending_row *r)
{
    obs_csv_field *f = g_new(obs_csv_field, r->fields->len + 1);
    for (guint i = 0; i < r->fields->len; i++) {
        f[i] = g_array_index(r->fields, obs_csv_field, i);
        f[i].ptr = r->bytes->str + (uintptr_t)f[i].ptr;
    }
    return f;
}

static bool blank_text(const char *v, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (v[i] != ' ' && v[i] != '\t')
            return false;
    return true;
}

/* Whether the caller reads column col (1-based): every column until the header is known. */
static bool kept(const sheet_state *s, unsigned col)
{
    return !s->header_done || !s->layout.keep || (col <= s->layout.fields && s->layout.keep[col - 1]);
}

/* A row kept before the header was known, as it would have been read after: the columns the
 * caller does not read cleared (only whether they hold something stays), none right of the header. */
static uint32_t apply_layout(sheet_state *s, pending_row *r)
{
    if (r->fields->len > s->layout.fields)
        g_array_set_size(r->fields, (guint)s->layout.fields);
    obs_csv_field *f = (obs_csv_field *)(void *)r->fields->data;
    uint32_t flags = 0;
    for (guint i = 0; i < r->fields->len; i++) {
        if (!kept(s, i + 1) && (f[i].len > 0 || f[i].flags)) {
            bool blank = !f[i].flags && blank_text(r->bytes->str + (uintptr_t)f[i].ptr, f[i].len);
            f[i].len = 0;
            f[i].flags = blank ? 0 : OBS_CSV_F_CONTENT;
        }
        flags |= f[i].flags;
    }
    return flags;
}

/* The kept row that names the most columns of the contract (the first such), or 0. */
static guint best_header(sheet_state *s)
{
    guint best = 0;
    size_t best_score = 0;
    for (guint i = 0; s->opts->header_score && i < s->pending->len; i++) {
        pending_row *r = s->pending->pdata[i];
        obs_csv_field *f = fields_of(r);
        size_t score = s->opts->header_score(s->opts_ud, f, r->fields->len);
        g_free(f);
        if (score > best_score) {
            best_score = score;
            best = i;
        }
    }
    return best;
}

/* The caller's choice of columns, from the header row. */
static void select_columns(sheet_state *s, const pending_row *hdr)
{
    s->layout.fields = hdr->fields->len;
    if (!s->opts->select)
        return;
    obs_csv_field *hf = fields_of(hdr);
    obs_csv_record rec = {.line = hdr->number, .nfields = hdr->fields->len, .fields = hf, .encoding = OBS_ENC_UTF8};
    s->layout.keep = g_new0(bool, hdr->fields->len + 1);
    s->opts->select(s->opts_ud, &rec, &s->layout);
    g_free(hf);
}

/*
 * The header is the kept row (of the sheet's first 11) that names the most columns of the
 * contract; the rows above it are title lines. The header and the kept rows after it are then
 * handed on, as they would have been read knowing the header.
 */
static void decide_header(sheet_state *s)
{
    s->header_done = true;
    if (s->pending->len == 0)
        return;
    guint best = best_header(s);
    pending_row *hdr = s->pending->pdata[best];
    s->result->title_lines = (unsigned)(hdr->number - 1);
    select_columns(s, hdr);
    s->delivered = hdr->number - 1;
    bool go_on = true;
    for (guint i = best; i < s->pending->len && go_on; i++) {
        pending_row *r = s->pending->pdata[i];
        uint32_t flags = i == best ? 0 : apply_layout(s, r);
        if (i == best || has_value(r->fields))
            go_on = deliver_gap(s, r->number) && deliver(s, r->number, r->bytes, r->fields, flags);
    }
    g_ptr_array_set_size(s->pending, 0);
    if (!go_on)
        stop(s);
}

static void pending_row_free(gpointer p)
{
    pending_row *r = p;
    g_string_free(r->bytes, TRUE);
    g_array_free(r->fields, TRUE);
    g_free(r);
}

/* ---- cells ---------------------------------------------------------------------------------------- */

/* The value of the cell just read, appended to value; its flags. */
static uint32_t cell_value(sheet_state *s, GString *value)
{
    const char *t = s->text->str;
    size_t len = s->text->len;
    if (s->type == T_ERROR)
        return OBS_XLSX_F_ERROR;
    if (!s->has_value && s->type != T_INLINE)
        return s->has_formula ? OBS_XLSX_F_NO_VALUE : 0;
    switch (s->type) {
    case T_SHARED: {
        size_t n;
        const char *str = xlsxr_shared_string(s->w, t, &n);
        if (!str)
            return OBS_XLSX_F_ERROR; /* no such string: a damaged workbook */
        g_string_append_len(value, str, (gssize)n);
        return 0;
    }
    case T_NUMBER:
        if (!s->date || !xlsxr_date_text(s->w, t, len, value))
            xlsxr_number_text(t, len, value);
        return 0;
    case T_DATE: {
        /* An ISO 8601 date cell ("2024-01-21T00:00:00"): the day. */
        const char *time = memchr(t, 'T', len);
        g_string_append_len(value, t, (gssize)(time ? (size_t)(time - t) : len));
        return 0;
    }
    default: /* inline strings, a formula's text, booleans (1 or 0) */
        g_string_append_len(value, t, (gssize)len);
        return 0;
    }
}

/* Appends a field at the row's next place. */
static void add_field(sheet_state *s, const char *v, size_t len, uint32_t flags)
{
    obs_csv_field f = {(const char *)(uintptr_t)s->bytes->len, (uint32_t)len, flags};
    g_string_append_len(s->bytes, v, (gssize)len);
    g_string_append_c(s->bytes, '\0');
    g_array_append_val(s->fields, f);
    s->row_flags |= flags;
}

static void end_cell(sheet_state *s)
{
    unsigned col = s->col ? s->col : s->last_col + 1;
    s->last_col = col;
    if (col > XLSX_MAX_COLUMNS || col <= s->fields->len || (s->header_done && col > s->layout.fields))
        return; /* beyond Excel's columns, out of order, or right of the header: not read */
    while (s->fields->len + 1 < col)
        add_field(s, "", 0, 0);
    GString *value = s->value;
    g_string_truncate(value, 0);
    uint32_t flags = cell_value(s, value);
    if (s->too_long || value->len > s->max_field ||
        (!s->header_done && s->bytes->len + value->len > MAX_PENDING_ROW))
        flags |= OBS_CSV_F_TOO_LONG;
    if (flags)
        g_string_truncate(value, 0);
    if (kept(s, col))
        add_field(s, value->str, value->len, flags);
    else
        add_field(s, "", 0, flags || !blank_text(value->str, value->len) ? OBS_CSV_F_CONTENT : 0);
}

static void start_cell(sheet_state *s, int nattrs, const xmlChar **attrs)
{
    s->col = 0;
    s->type = T_NUMBER;
    s->date = false;
    for (int i = 0; i < nattrs; i++) {
        const char *name = (const char *)attrs[5 * i], *v = (const char *)attrs[5 * i + 3];
        size_t len = (size_t)(attrs[5 * i + 4] - attrs[5 * i + 3]);
        if (name[0] == 'r' && name[1] == '\0')
            s->col = column_of(v, len);
        else if (name[0] == 's' && name[1] == '\0')
            s->date = xlsxr_is_date_style(s->w, v, len);
        else if (name[0] == 't' && name[1] == '\0')
            s->type = len == 1 && v[0] == 's'                   ? T_SHARED
                      : len == 9 && memcmp(v, "inlineStr", 9) == 0 ? T_INLINE
                      : len == 3 && memcmp(v, "str", 3) == 0       ? T_FORMULA_STR
                      : len == 1 && v[0] == 'b'                   ? T_BOOL
                      : len == 1 && v[0] == 'e'                   ? T_ERROR
                      : len == 1 && v[0] == 'd'                   ? T_DATE
                                                                  : T_NUMBER;
    }
    s->has_formula = s->has_value = s->too_long = false;
    s->in_cell = true;
    g_string_truncate(s->text, 0);
}

/* ---- rows ----------------------------------------------------------------------------------------- */

static void start_row(sheet_state *s, int nattrs, const xmlChar **attrs)
{
    size_t len = 0;
    const char *r = xlsxr_attr(attrs, nattrs, "r", NULL, &len);
    uint64_t n = 0;
    for (size_t i = 0; r && i < len && i < 12 && g_ascii_isdigit(r[i]); i++)
        n = n * 10 + (uint64_t)(r[i] - '0');
    s->row = n > s->row ? n : s->row + 1; /* rows only go down the sheet */
    if (s->row > XLSX_MAX_ROWS) {
        xlsxr_fail(s->w, "la hoja «%s» tiene una fila después de la %d, la última de Excel: no parece un libro real; "
                   XLSX_RESAVE, s->name, XLSX_MAX_ROWS);
        stop(s);
        return;
    }
    if (!s->header_done && s->row > HEADER_CANDIDATES) {
        if (s->pending->len == 0) {
            xlsxr_fail(s->w, "la hoja «%s» no tiene nada en sus primeras %d filas y el encabezado debe estar en una de "
                       "ellas (a lo más 10 filas de título antes); quite las filas vacías de arriba", s->name,
                       HEADER_CANDIDATES);
            stop(s);
            return;
        }
        decide_header(s);
    }
    s->in_row = true;
    s->last_col = 0;
    s->row_flags = 0;
}

static void end_row(sheet_state *s)
{
    s->in_row = false;
    bool value = has_value(s->fields);
    if (!s->header_done) {
        if (value) {
            pending_row *r = g_new(pending_row, 1);
            *r = (pending_row){s->row, s->bytes, s->fields};
            g_ptr_array_add(s->pending, r);
            s->bytes = g_string_sized_new(256);
            s->fields = g_array_new(FALSE, FALSE, sizeof(obs_csv_field));
        }
        if (s->row >= HEADER_CANDIDATES && s->pending->len > 0)
            decide_header(s);
    } else if (value && !(deliver_gap(s, s->row) && deliver(s, s->row, s->bytes, s->fields, s->row_flags))) {
        stop(s);
    }
    g_string_truncate(s->bytes, 0);
    g_array_set_size(s->fields, 0);
}

/* ---- SAX callbacks ---------------------------------------------------------------------------------- */

static void sheet_start(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nns,
                        const xmlChar **ns, int nattrs, int ndef, const xmlChar **attrs)
{
    (void)prefix, (void)uri, (void)nns, (void)ns, (void)ndef;
    sheet_state *s = ud;
    if (!xlsxr_enter(&s->sax))
        return;
    const char *name = (const char *)local;
    bool one = name[0] && !name[1];
    if (one && name[0] == 'c' && s->in_row) {
        start_cell(s, nattrs, attrs);
    } else if (one && name[0] == 'v' && s->in_cell) {
        s->in_v = true;
        s->has_value = true;
    } else if (one && name[0] == 'f' && s->in_cell) {
        s->has_formula = true;
    } else if (one && name[0] == 't' && s->in_cell && s->type == T_INLINE && !s->in_rph) {
        s->in_t = true;
    } else if (strcmp(name, "rPh") == 0) {
        s->in_rph++;
    } else if (strcmp(name, "row") == 0 && !s->in_row) {
        start_row(s, nattrs, attrs);
    }
}

static void sheet_end(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    sheet_state *s = ud;
    const char *name = (const char *)local;
    bool one = name[0] && !name[1];
    if (one && name[0] == 'c' && s->in_cell) {
        s->in_cell = s->in_v = s->in_t = false;
        if (!s->sax.stopped)
            end_cell(s);
    } else if (one && name[0] == 'v') {
        s->in_v = false;
    } else if (one && name[0] == 't') {
        s->in_t = false;
    } else if (strcmp(name, "rPh") == 0 && s->in_rph > 0) {
        s->in_rph--;
    } else if (strcmp(name, "row") == 0 && s->in_row && !s->sax.stopped) {
        end_row(s);
    }
    xlsxr_sax_end(ud, local, prefix, uri);
}

static void sheet_chars(void *ud, const xmlChar *ch, int len)
{
    sheet_state *s = ud;
    if (!(s->in_v || s->in_t) || s->too_long)
        return;
    if (s->text->len + (size_t)len > s->max_field) {
        s->too_long = true;
        return;
    }
    g_string_append_len(s->text, (const char *)ch, len);
}

bool xlsxr_read_sheet(workbook *w, const char *part, const char *name, const obs_csv_options *opts, void *opts_ud,
                      obs_csv_record_fn on_record, void *ud, obs_csv_result *result)
{
    sheet_state s = {
        .w = w,
        .name = name,
        .opts = opts,
        .opts_ud = opts_ud,
        .on_record = on_record,
        .ud = ud,
        .result = result,
        .max_field = opts->max_field ? opts->max_field : DEFAULT_MAX_FIELD,
        .bytes = g_string_sized_new(1024),
        .fields = g_array_new(FALSE, FALSE, sizeof(obs_csv_field)),
        .text = g_string_sized_new(256),
        .value = g_string_sized_new(256),
        .pending = g_ptr_array_new_with_free_func(pending_row_free),
    };
    xmlSAXHandler sax;
    xlsxr_sax_init(&sax, sheet_start, sheet_end, sheet_chars);
    bool ok = xlsxr_parse_part(w, part, XLSX_MAX_SHEET_BYTES, &sax, &s.sax);
    if (ok && !s.header_done)
        decide_header(&s);
    g_string_free(s.bytes, TRUE);
    g_array_free(s.fields, TRUE);
    g_string_free(s.text, TRUE);
    g_string_free(s.value, TRUE);
    g_ptr_array_free(s.pending, TRUE);
    g_free(s.layout.keep);
    return ok;
}
