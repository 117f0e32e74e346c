/* xlsx_sheet.c - a worksheet parsed as a stream (SAX2) into the CSV reader's records: cells, rows, the header. */
#include "ingest/xlsx_reader_int.h"

#include <string.h>

/* Rows looked at for the header: up to 10 title rows, then the header (data contract §1). */
#define HEADER_CANDIDATES 11
#define DEFAULT_MAX_FIELD (64 * 1024)
/* Bytes a row keeps before the header says which columns matter (then only those are kept). */
#define MAX_PENDING_ROW (1024 * 1024)

/* A row's fields: their bytes (each followed by a NUL) and places. Plain arrays: this is the
 * path every cell of a million-row sheet takes. */
typedef struct row_buf {
    char *bytes;
    size_t nbytes, bcap;
    obs_csv_field *fields;   /* ptr holds an offset into bytes until the row is handed on */
    size_t nfields, fcap;
} row_buf;

/* A row kept until the header is known. */
typedef struct pending_row {
    uint64_t number;
    row_buf row;
} pending_row;

/* The cells of an array formula saved without its results (its first cell aside). */
typedef struct cell_range {
    uint64_t row1, row2;
    unsigned col1, col2;
} cell_range;

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
    row_buf cur;
    uint32_t row_flags;
    bool in_row;
    /* the cell being read */
    unsigned col, last_col;
    cell_type type;
    bool date;               /* its style shows a date */
    bool in_cell, in_v, in_t, has_value, has_formula, too_long;
    cell_range array;        /* the range of its array formula (row1 0: none) */
    GArray *uncalculated;    /* cell_range: array formulas without results, for the cells they cover */
    int in_rph;              /* inside a phonetic guide, which is not the text */
    char *text;              /* the <v> or <t> text (max_field + 1 bytes) */
    size_t text_len;
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

/* The column of a cell reference ("C17" → 3), or 0 when it names none; *used gets the letters' count. */
static unsigned column_letters(const char *ref, size_t len, size_t *used)
{
    unsigned col = 0;
    size_t i = 0;
    for (; i < len && g_ascii_isalpha(ref[i]); i++) {
        col = col * 26 + (unsigned)(g_ascii_toupper(ref[i]) - 'A' + 1);
        if (col > XLSX_MAX_COLUMNS)
            return 0;
    }
    *used = i;
    return col;
}

static unsigned column_of(const char *ref, size_t len)
{
    size_t used;
    return column_letters(ref, len, &used);
}

/* A cell reference ("G5", "$G$5") into its column and row; its length, or 0 when it is not one. */
static size_t parse_cell(const char *ref, size_t len, unsigned *col, uint64_t *row)
{
    size_t i = 0, used = 0;
    if (i < len && ref[i] == '$')
        i++;
    *col = column_letters(ref + i, len - i, &used);
    i += used;
    if (i < len && ref[i] == '$')
        i++;
    *row = 0;
    size_t digits = 0;
    for (; i < len && g_ascii_isdigit(ref[i]) && digits < 8; i++, digits++)
        *row = *row * 10 + (uint64_t)(ref[i] - '0');
    return *col && *row && *row <= XLSX_MAX_ROWS ? i : 0;
}

/* A range ("G5:G7", or one cell), normalised; false when it is not one. */
static bool parse_range(const char *ref, size_t len, cell_range *r)
{
    size_t n = parse_cell(ref, len, &r->col1, &r->row1);
    if (n == 0)
        return false;
    r->col2 = r->col1;
    r->row2 = r->row1;
    if (n < len && (ref[n] != ':' || parse_cell(ref + n + 1, len - n - 1, &r->col2, &r->row2) != len - n - 1))
        return false;
    unsigned c = MIN(r->col1, r->col2);
    r->col2 = MAX(r->col1, r->col2);
    r->col1 = c;
    uint64_t w = MIN(r->row1, r->row2);
    r->row2 = MAX(r->row1, r->row2);
    r->row1 = w;
    return true;
}

static void stop(sheet_state *s)
{
    s->sax.stopped = true;
    xmlStopParser(s->sax.parser);
}

/* ---- a row's fields ------------------------------------------------------------------------------ */

/* Room for n more bytes; returns where they go. */
static char *row_reserve(row_buf *r, size_t n)
{
    if (r->nbytes + n > r->bcap) {
        r->bcap = MAX(r->bcap * 2, r->nbytes + n + 1024);
        r->bytes = g_realloc(r->bytes, r->bcap);
    }
    return r->bytes + r->nbytes;
}

/* Ends a field of len bytes already written at the end of bytes (a NUL after them). */
static void row_end_field(row_buf *r, size_t len, uint32_t flags)
{
    if (r->nfields == r->fcap) {
        r->fcap = MAX(r->fcap * 2, 32);
        r->fields = g_renew(obs_csv_field, r->fields, r->fcap);
    }
    r->fields[r->nfields++] = (obs_csv_field){(const char *)(uintptr_t)(r->nbytes - len), (uint32_t)len, flags};
    *row_reserve(r, 1) = '\0';
    r->nbytes++;
}

static void row_free(row_buf *r)
{
    g_free(r->bytes);
    g_free(r->fields);
}

/* Whether a row holds anything: a value, or a flag. */
static bool has_value(const row_buf *r)
{
    for (size_t i = 0; i < r->nfields; i++)
        if (r->fields[i].len || r->fields[i].flags)
            return true;
    return false;
}

static bool blank_text(const char *v, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (v[i] != ' ' && v[i] != '\t')
            return false;
    return true;
}

/* ---- records -------------------------------------------------------------------------------------- */

static uint32_t row_add_missing(sheet_state *s, row_buf *r, uint64_t row);

/* Hands one row on; false when the caller wants no more. */
static bool deliver(sheet_state *s, uint64_t number, row_buf *r, uint32_t flags)
{
    /* A sheet does not write its empty cells: a row has every column of the header. */
    while (r->nfields > 0 && r->nfields < s->layout.fields)
        flags |= row_add_missing(s, r, number);
    for (size_t i = 0; i < r->nfields; i++)
        r->fields[i].ptr = r->bytes + (uintptr_t)r->fields[i].ptr;
    obs_csv_record rec = {
        .line = number,
        .nfields = r->nfields,
        .fields = r->fields,
        .encoding = OBS_ENC_UTF8,
        .field_flags = flags,
        .title_lines = s->result->title_lines,
        .date1904 = s->w->date1904,
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

/* ---- the header ------------------------------------------------------------------------------------- */

/* A kept row's fields with pointers (g_free). */
static obs_csv_field *fields_of(const pending_row *r)
{
    obs_csv_field *f = g_new(obs_csv_field, r->row.nfields + 1);
    for (size_t i = 0; i < r->row.nfields; i++) {
        f[i] = r->row.fields[i];
        f[i].ptr = r->row.bytes + (uintptr_t)f[i].ptr;
    }
    return f;
}

/* Whether the caller reads column col (1-based): every column until the header is known. */
static bool kept(const sheet_state *s, unsigned col)
{
    return !s->header_done || !s->layout.keep || (col <= s->layout.fields && s->layout.keep[col - 1]);
}

/* A row kept before the header was known, as it would have been read after: the columns the
 * caller does not read cleared (only whether they hold something stays), none right of the header. */
static uint32_t apply_layout(sheet_state *s, pending_row *p)
{
    row_buf *r = &p->row;
    r->nfields = MIN(r->nfields, s->layout.fields);
    uint32_t flags = 0;
    for (size_t i = 0; i < r->nfields; i++) {
        obs_csv_field *f = &r->fields[i];
        if (!kept(s, (unsigned)i + 1) && (f->len > 0 || f->flags)) {
            bool blank = !f->flags && blank_text(r->bytes + (uintptr_t)f->ptr, f->len);
            f->len = 0;
            f->flags = blank ? 0 : OBS_CSV_F_CONTENT;
        }
        flags |= f->flags;
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
        size_t score = s->opts->header_score(s->opts_ud, f, r->row.nfields);
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
    s->layout.fields = hdr->row.nfields;
    if (!s->opts->select)
        return;
    obs_csv_field *hf = fields_of(hdr);
    obs_csv_record rec = {.line = hdr->number, .nfields = hdr->row.nfields, .fields = hf, .encoding = OBS_ENC_UTF8};
    s->layout.keep = g_new0(bool, hdr->row.nfields + 1);
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
        if (i == best || has_value(&r->row))
            go_on = deliver_gap(s, r->number) && deliver(s, r->number, &r->row, flags);
    }
    g_ptr_array_set_size(s->pending, 0);
    if (!go_on)
        stop(s);
}

static void pending_row_free(gpointer p)
{
    pending_row *r = p;
    row_free(&r->row);
    g_free(r);
}

/* ---- cells ---------------------------------------------------------------------------------------- */

/* Whether the cell just read has a cached value: a <v> with text. An empty <v> is none (openpyxl
 * writes every formula so), except for a formula whose result is text, where it is the empty text
 * Excel writes for ="". */
static bool cached(const sheet_state *s)
{
    return s->has_value && (s->text_len > 0 || s->too_long || s->type == T_FORMULA_STR);
}

/* OBS_XLSX_F_NO_VALUE for a cell without a value of its own inside the range of an array formula
 * saved without its results (Excel shows that formula in each of them), else 0. */
static uint32_t uncalculated_flag(const sheet_state *s, uint64_t row, unsigned col)
{
    for (guint i = 0; s->uncalculated && i < s->uncalculated->len; i++) {
        const cell_range *r = &g_array_index(s->uncalculated, cell_range, i);
        if (row >= r->row1 && row <= r->row2 && col >= r->col1 && col <= r->col2)
            return OBS_XLSX_F_NO_VALUE;
    }
    return 0;
}

/* An empty field for a cell the sheet does not write at (row, the row's next column): flagged when
 * an uncalculated array formula covers it (only as content in a column the caller does not read). */
static uint32_t row_add_missing(sheet_state *s, row_buf *r, uint64_t row)
{
    uint32_t flag = s->uncalculated ? uncalculated_flag(s, row, (unsigned)r->nfields + 1) : 0;
    if (flag && !kept(s, (unsigned)r->nfields + 1))
        flag = OBS_CSV_F_CONTENT;
    row_end_field(r, 0, flag);
    return flag;
}

/* The value of the cell just read, written at the end of the row's bytes (room for
 * XLSX_VALUE_TEXT_MAX or the text reserved); its length in *len, its flags returned. */
static uint32_t cell_value(sheet_state *s, unsigned col, char *out, size_t *len)
{
    const char *t = s->text;
    size_t n = s->text_len;
    *len = 0;
    bool value = cached(s);
    if (s->type == T_ERROR && value)
        return OBS_XLSX_F_ERROR | obs_xlsx_error_bits(t, n) | (s->has_formula ? OBS_XLSX_F_FORMULA : 0);
    if (!value && s->type != T_INLINE) {
        if (s->has_formula)
            return OBS_XLSX_F_NO_VALUE;
        return s->type == T_ERROR ? OBS_XLSX_F_ERROR : uncalculated_flag(s, s->row, col);
    }
    switch (s->type) {
    case T_SHARED: {
        const char *str = xlsxr_shared_string(s->w, t, len);
        if (!str)
            return OBS_XLSX_F_ERROR; /* no such string: a damaged workbook */
        if (*len > s->max_field)
            return OBS_CSV_F_TOO_LONG;
        memcpy(row_reserve(&s->cur, *len + 1), str, *len);
        return 0;
    }
    case T_NUMBER:
        *len = s->date ? xlsxr_date_text(s->w, t, n, out) : 0;
        if (*len == 0)
            *len = xlsxr_number_text(t, n, out);
        return 0;
    case T_DATE: {
        /* An ISO 8601 date cell ("2024-01-21T00:00:00"): the day. */
        const char *time = memchr(t, 'T', n);
        n = time ? (size_t)(time - t) : n;
        break;
    }
    default: /* inline strings, a formula's text, booleans (1 or 0) */
        break;
    }
    memcpy(out, t, n);
    *len = n;
    return 0;
}

/* Whether a cell of a column the caller does not read holds something other than spaces. */
static bool cell_has_content(const sheet_state *s)
{
    if (s->type == T_ERROR || (!cached(s) && s->type != T_INLINE))
        return s->type == T_ERROR || s->has_formula || uncalculated_flag(s, s->row, s->last_col);
    size_t len = s->text_len;
    const char *v = s->type == T_SHARED ? xlsxr_shared_string(s->w, s->text, &len) : s->text;
    return !v || !blank_text(v, len);
}

static void end_cell(sheet_state *s)
{
    row_buf *r = &s->cur;
    unsigned col = s->col ? s->col : s->last_col + 1;
    s->last_col = col;
    if (s->has_formula && s->array.row1 && !cached(s)) {
        /* An array formula without results: the other cells of its range have none either. */
        if (!s->uncalculated)
            s->uncalculated = g_array_new(FALSE, FALSE, sizeof(cell_range));
        g_array_append_val(s->uncalculated, s->array);
    }
    if (col > XLSX_MAX_COLUMNS || col <= r->nfields || (s->header_done && col > s->layout.fields))
        return; /* beyond Excel's columns, out of order, or right of the header: not read */
    while (r->nfields + 1 < col)
        s->row_flags |= row_add_missing(s, r, s->row);
    if (!kept(s, col)) {
        uint32_t content = cell_has_content(s) ? OBS_CSV_F_CONTENT : 0;
        row_end_field(r, 0, content);
        s->row_flags |= content;
        return;
    }
    char *out = row_reserve(r, MAX(s->text_len, (size_t)XLSX_VALUE_TEXT_MAX) + 1);
    size_t len;
    uint32_t flags = cell_value(s, col, out, &len);
    if (s->too_long || len > s->max_field || (!s->header_done && r->nbytes + len > MAX_PENDING_ROW))
        flags |= OBS_CSV_F_TOO_LONG;
    if (flags)
        len = 0;
    r->nbytes += len;
    row_end_field(r, len, flags);
    s->row_flags |= flags;
}

static cell_type type_of(const char *v, size_t len)
{
    if (len == 1)
        return v[0] == 's' ? T_SHARED : v[0] == 'b' ? T_BOOL : v[0] == 'e' ? T_ERROR : v[0] == 'd' ? T_DATE : T_NUMBER;
    if (len == 9 && memcmp(v, "inlineStr", 9) == 0)
        return T_INLINE;
    return len == 3 && memcmp(v, "str", 3) == 0 ? T_FORMULA_STR : T_NUMBER;
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
            s->type = type_of(v, len);
    }
    s->has_formula = s->has_value = s->too_long = false;
    s->array.row1 = 0;
    s->in_cell = true;
    s->text_len = 0;
    s->text[0] = '\0';
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
    bool value = has_value(&s->cur);
    if (!s->header_done) {
        if (value) {
            pending_row *r = g_new(pending_row, 1);
            *r = (pending_row){s->row, s->cur};
            g_ptr_array_add(s->pending, r);
            s->cur = (row_buf){0};
        }
        if (s->row >= HEADER_CANDIDATES && s->pending->len > 0)
            decide_header(s);
    } else if (value && !(deliver_gap(s, s->row) && deliver(s, s->row, &s->cur, s->row_flags))) {
        stop(s);
    }
    s->cur.nbytes = 0;
    s->cur.nfields = 0;
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
        /* An array formula (or a data table) names the cells its results fill. */
        size_t tlen = 0, rlen = 0;
        const char *t = xlsxr_attr(attrs, nattrs, "t", NULL, &tlen);
        const char *ref = xlsxr_attr(attrs, nattrs, "ref", NULL, &rlen);
        if (t && ref && ((tlen == 5 && memcmp(t, "array", 5) == 0) || (tlen == 9 && memcmp(t, "dataTable", 9) == 0))
            && !parse_range(ref, rlen, &s->array))
            s->array.row1 = 0;
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
    if (s->text_len + (size_t)len > s->max_field) {
        s->too_long = true;
        return;
    }
    memcpy(s->text + s->text_len, ch, (size_t)len);
    s->text_len += (size_t)len;
    s->text[s->text_len] = '\0';
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
        .pending = g_ptr_array_new_with_free_func(pending_row_free),
    };
    s.text = g_malloc(s.max_field + 1);
    s.text[0] = '\0';
    xmlSAXHandler sax;
    xlsxr_sax_init(&sax, sheet_start, sheet_end, sheet_chars);
    bool ok = xlsxr_parse_part(w, part, XLSX_MAX_SHEET_BYTES, &sax, &s.sax);
    if (ok && !s.header_done)
        decide_header(&s);
    row_free(&s.cur);
    g_free(s.text);
    g_ptr_array_free(s.pending, TRUE);
    g_free(s.layout.keep);
    if (s.uncalculated)
        g_array_free(s.uncalculated, TRUE);
    return ok;
}
