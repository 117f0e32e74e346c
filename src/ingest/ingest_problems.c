/* ingest_problems.c - the problems of a row (reasons, levels, ledger values) and column names in messages. */
#include "ingest/ingest_int.h"
#include "ingest/xlsxread_int.h"
#include "observa/text.h"

#include <string.h>

/* Offending values are cut to this many characters in the ledger. */
#define VALUE_MAX_CHARS 40

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
    [OBS_R_CELL_VALUE] = {OBS_LEVEL_ERROR, "celda obligatoria con error o sin calcular"},
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
    [OBS_R_W_CELL_VALUE] = {OBS_LEVEL_WARNING, "celda opcional con error o sin calcular"},
};

obs_level obs_reason_level(obs_reason r)
{
    return (unsigned)r < OBS_REASON_COUNT ? reason_info[r].level : OBS_LEVEL_ERROR;
}

const char *obs_reason_label(obs_reason r)
{
    return (unsigned)r < OBS_REASON_COUNT ? reason_info[r].label : "";
}

const char *ing_col_name(const ingest *in, int col)
{
    return col >= 0 ? obs_schema_column(in->kind, (size_t)col)->name : "";
}

bool ing_col_required(const ingest *in, int col)
{
    return col >= 0 && obs_schema_column(in->kind, (size_t)col)->required;
}

/* Cuts a value to VALUE_MAX_CHARS characters without splitting a UTF-8 sequence. */
char *ing_truncate_value(const char *s, size_t len)
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

/* Reasons that judge a field's value (as opposed to its bytes, its presence or the row's shape). */
static bool about_value(obs_reason r)
{
    switch (r) {
    case OBS_R_BAD_DATE:
    case OBS_R_UNKNOWN_ENTIDAD:
    case OBS_R_ENTIDAD_MISMATCH:
    case OBS_R_UNKNOWN_VALUE:
    case OBS_R_DATE_ORDER:
    case OBS_R_W_AGE:
    case OBS_R_W_IGNORED_VALUE:
    case OBS_R_W_NO_COURSE:
    case OBS_R_W_ALIAS:
    case OBS_R_W_OTHER_TYPE:
    case OBS_R_W_DATE:
    case OBS_R_W_NUMBER:
    case OBS_R_W_RESOLUTION:
        return true;
    default:
        return false;
    }
}

static void add_problem_v(ingest *in, obs_reason reason, int col, unsigned file_col, uint64_t line,
                          const char *value, size_t vlen, const char *fmt, va_list ap)
    __attribute__((format(printf, 8, 0)));
static void add_problem_v(ingest *in, obs_reason reason, int col, unsigned file_col, uint64_t line,
                          const char *value, size_t vlen, const char *fmt, va_list ap)
{
    if (reason_info[reason].level == OBS_LEVEL_ERROR)
        in->row_error = true;
    else if (reason != OBS_R_W_EXCEL_DATE && reason != OBS_R_W_TITLE_LINES)
        in->row_warned = true;
    bool shifted = in->short_fields && col >= 0 && about_value(reason);
    if (shifted) {
        in->short_problems++;
        in->short_reasons[reason]++;
    } else {
        in->stats->por_motivo[reason]++;
    }
    if (in->nproblems == MAX_ROW_PROBLEMS)
        return;
    pending *p = &in->problems[in->nproblems++];
    p->reason = reason;
    p->col = col;
    p->file_col = file_col ? file_col : (col >= 0 && in->pos[col] >= 0 ? (unsigned)in->pos[col] + 1 : 0);
    p->line = line;
    if (shifted) {
        /* The value may be another column's (a name, a CURP): neither it nor a message quoting it is shown. */
        p->message = g_strdup_printf("«%s»: %s (el valor no se muestra: la fila tiene menos campos que el "
                                     "encabezado y puede ser el de otra columna)",
                                     ing_col_name(in, col), reason_info[reason].label);
        p->value = g_strdup("");
        return;
    }
    p->message = g_strdup_vprintf(fmt, ap);
    /* The folio (or a difusion id) identifies a person's request: it never reaches rechazos.csv,
     * stderr or a page; the line says which row it is. */
    if (col == ING_ID_COL && value && vlen) {
        char *shown = g_strndup(value, vlen);
        if (strstr(p->message, shown)) {
            g_free(p->message);
            p->message = g_strdup_printf("«%s»: %s (el valor no se muestra: identifica la solicitud; vea la línea "
                                         "en el archivo)",
                                         ing_col_name(in, col), reason_info[reason].label);
        }
        g_free(shown);
        value = NULL;
    }
    p->value = value ? ing_truncate_value(value, vlen) : g_strdup("");
}

void ing_add_problem(ingest *in, obs_reason reason, int col, const char *value,
                     size_t vlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_problem_v(in, reason, col, 0, 0, value, vlen, fmt, ap);
    va_end(ap);
}

/* A problem about a column given by its place in the file (canonical or not). */
void ing_add_problem_at(ingest *in, obs_reason reason, unsigned file_col, uint64_t line,
                        const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int col = file_col && file_col <= in->header_fields ? in->col_at[file_col - 1] : -1;
    add_problem_v(in, reason, col, file_col, line, NULL, 0, fmt, ap);
    va_end(ap);
}

void ing_flush_problems(ingest *in)
{
    for (size_t i = 0; i < in->nproblems; i++) {
        pending *p = &in->problems[i];
        obs_problem prob = {
            .file = in->path,
            .line = p->line ? p->line : in->rec->line,
            .column = p->file_col,
            .field = ing_col_name(in, p->col),
            .value = p->value,
            .level = reason_info[p->reason].level,
            .reason = p->reason,
            .message = p->message,
            .sheet = in->sheet,
        };
        if (in->on_problem)
            in->on_problem(in->problem_ud, &prob);
        g_free(p->value);
        g_free(p->message);
    }
    in->nproblems = 0;
}

void ing_check_short_row(ingest *in)
{
    if (!in->short_fields)
        return;
    unsigned n = in->short_problems;
    in->short_fields = 0;
    in->short_problems = 0;
    if (n == 0)
        return;
    if (n < 2) {
        for (size_t r = 0; r < OBS_REASON_COUNT; r++)
            in->stats->por_motivo[r] += in->short_reasons[r];
        memset(in->short_reasons, 0, sizeof in->short_reasons);
        return;
    }
    memset(in->short_reasons, 0, sizeof in->short_reasons);
    /* The row's own account of its shape and the problems of its values give way to one error. */
    GString *names = g_string_new(NULL);
    size_t kept = 0, listed = 0;
    for (size_t i = 0; i < in->nproblems; i++) {
        pending *p = &in->problems[i];
        bool value = p->col >= 0 && about_value(p->reason);
        if (value || p->reason == OBS_R_W_SHORT_ROW) {
            if (value && listed++ < 6)
                g_string_append_printf(names, "%s%s", names->len ? ", " : "", ing_col_name(in, p->col));
            if (!value)
                in->stats->por_motivo[p->reason]--;
            g_free(p->value);
            g_free(p->message);
        } else {
            in->problems[kept++] = *p;
        }
    }
    in->nproblems = kept;
    if (listed > 6)
        g_string_append(names, ", …");
    char fields[2 * OBS_FMT_MAX];
    obs_fmt_count(fields, sizeof fields, (int64_t)in->rec->nfields, "campo", "campos");
    ing_add_problem(in, OBS_R_FIELD_COUNT, -1, NULL, 0,
                    "la fila tiene %s y el encabezado %zu, y %u de sus valores no corresponden a sus columnas "
                    "(%s): le faltan campos antes del final; revise separadores y comillas (los valores no "
                    "se muestran: pueden ser de otras columnas)",
                    fields, in->header_fields, n, names->str);
    g_string_free(names, TRUE);
}

/* The name of the field at a 1-based place of the file, for messages. */
const char *ing_file_col_name(const ingest *in, unsigned file_col)
{
    if (file_col == 0 || file_col > in->header_fields)
        return "sin encabezado";
    int col = in->col_at[file_col - 1];
    return col >= 0 ? ing_col_name(in, col) : in->header_names[file_col - 1];
}

const char *ing_file_col_label(const ingest *in, unsigned file_col, char buf[OBS_PROBLEM_COLUMN_MAX])
{
    obs_problem p = {.column = file_col, .sheet = in->sheet};
    return obs_problem_column(&p, buf);
}

/* ---- where a problem is -------------------------------------------------------------------------- */

const char *obs_problem_column(const obs_problem *p, char buf[OBS_PROBLEM_COLUMN_MAX])
{
    if (p->column == 0)
        buf[0] = '\0';
    else if (p->sheet)
        obs_xlsx_column_letters(p->column, buf);
    else
        g_snprintf(buf, OBS_PROBLEM_COLUMN_MAX, "%u", p->column);
    return buf;
}

/* A sheet's name as a reference needs it: 'Hoja 1' in quotes (an apostrophe doubled) unless it is
 * only letters, digits, "_" and "." and does not start with a digit. */
static void append_sheet_name(GString *s, const char *name)
{
    bool plain = *name && !g_ascii_isdigit(*name) && g_utf8_validate(name, -1, NULL);
    for (const char *c = name; plain && *c; c = g_utf8_next_char(c)) {
        gunichar u = g_utf8_get_char(c);
        plain = g_unichar_isalnum(u) || u == '_' || u == '.';
    }
    if (plain) {
        g_string_append(s, name);
        return;
    }
    g_string_append_c(s, '\'');
    for (const char *c = name; *c; c++) {
        if (*c == '\'')
            g_string_append_c(s, '\'');
        g_string_append_c(s, *c);
    }
    g_string_append_c(s, '\'');
}

char *obs_problem_location(const obs_problem *p)
{
    char col[OBS_PROBLEM_COLUMN_MAX];
    obs_problem_column(p, col);
    if (p->sheet) {
        /* As Excel's Name Box takes it: Hoja1!C17 for a cell, Hoja1!17:17 for a row. */
        GString *s = g_string_new(p->file);
        g_string_append_c(s, ':');
        append_sheet_name(s, p->sheet);
        if (p->column)
            g_string_append_printf(s, "!%s%" G_GUINT64_FORMAT, col, p->line);
        else
            g_string_append_printf(s, "!%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT, p->line, p->line);
        return g_string_free(s, FALSE);
    }
    if (p->column)
        return g_strdup_printf("%s:%" G_GUINT64_FORMAT ":%s", p->file, p->line, col);
    return g_strdup_printf("%s:%" G_GUINT64_FORMAT, p->file, p->line);
}

char *obs_problem_archivo(const obs_problem *p)
{
    return p->sheet ? g_strconcat(p->file, ":", p->sheet, NULL) : g_strdup(p->file);
}
