/* ingest_header.c - an export's header: columns mapped to the schema, the columns the reader copies, title lines. */
#include "ingest/ingest_int.h"
#include "observa/text.h"

/* Header fields: canonical column of each, trailing empty names dropped. Shared by the reader's
 * thread (ing_select_columns) and the caller's (ing_header_record); only reads the catalogue. */
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
        if (ing_col_required(in, (int)c) && in->pos[c] >= 0)
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
    if (in->sheet) {
        /* In a workbook the place is a cell or a row of the sheet: "solicitudes.xlsx:Hoja1!C4". */
        obs_problem at = {.file = in->path, .line = rec->line, .column = column, .sheet = in->sheet};
        char *where = obs_problem_location(&at);
        in->status = obs_error_set(in->err, OBS_ERR_DATA, where, 0, 0, "%s", msg);
        g_free(where);
    } else {
        in->status = obs_error_set(in->err, OBS_ERR_DATA, in->path, rec->line, column, "%s", msg);
    }
    return false;
}

/* The headers found, for a message: «folio», «entidad», … */
static char *headers_found(const obs_csv_record *rec)
{
    GString *found = g_string_new(NULL);
    for (size_t i = 0; i < rec->nfields && i < 40; i++) {
        char *h = ing_truncate_value(rec->fields[i].ptr, rec->fields[i].len);
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
    const char *line = in->sheet ? "fila" : "línea", *lines = in->sheet ? "filas" : "líneas"; /* a sheet has rows */
    if (rec->title_lines == 1)
        ing_add_problem_at(in, OBS_R_W_TITLE_LINES, 0, first,
                           "se omitió la %s %" G_GUINT64_FORMAT " antes del encabezado (un título o una fila "
                           "vacía); el encabezado está en la %s %" G_GUINT64_FORMAT,
                           line, first, line, rec->line);
    else
        ing_add_problem_at(in, OBS_R_W_TITLE_LINES, 0, first,
                           "se omitieron %u %s antes del encabezado (%s %" G_GUINT64_FORMAT
                           " a %" G_GUINT64_FORMAT "): títulos o filas vacías; el encabezado está en la %s %"
                           G_GUINT64_FORMAT,
                           rec->title_lines, lines, lines, first, rec->line - 1, line, rec->line);
}

bool ing_header_record(ingest *in, const obs_csv_record *rec)
{
    in->header_done = true;
    bool flagged = false, too_long = rec->defect == OBS_CSV_TOO_LONG;
    for (size_t i = 0; i < rec->nfields; i++) {
        flagged = flagged || rec->fields[i].flags;
        too_long = too_long || (rec->fields[i].flags & OBS_CSV_F_TOO_LONG);
    }
    /* A line or name past the reader's limits is no header: say so, not "bad quotes or bytes". */
    if (too_long)
        return header_fail(in, rec, 0,
                           rec->defect == OBS_CSV_TOO_LONG
                               ? "la línea excede 1 MiB, así que no es un encabezado: la primera línea "
                                 "debe tener los nombres de las columnas (¿es éste el archivo exportado del Sistema?)"
                               : "un nombre de columna del encabezado excede 64 KiB, así que no es un encabezado: "
                                 "la primera línea debe tener los nombres de las columnas (¿es éste el archivo "
                                 "exportado del Sistema?)");
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
                               ing_col_name(in, col), in->pos[col] + 1, i + 1);
        in->pos[col] = (int)i;
        known++;
    }
    GString *missing = g_string_new(NULL);
    for (size_t c = 0; c < in->ncols; c++)
        if (ing_col_required(in, (int)c) && in->pos[c] < 0)
            g_string_append_printf(missing, "%s%s", missing->len ? ", " : "", ing_col_name(in, (int)c));
    if (missing->len && known == 0) {
        /* No cell names a column: the line is more likely a row of data (an export without its header)
         * than a header, and its values may be a person's name or CURP. They are not shown. */
        char fields[2 * OBS_FMT_MAX];
        obs_fmt_count(fields, sizeof fields, (int64_t)rec->nfields, in->sheet ? "celda" : "campo",
                      in->sheet ? "celdas" : "campos");
        if (in->sheet)
            header_fail(in, rec, 0,
                        "la hoja «%s» no tiene el encabezado del Sistema en sus primeras 11 filas: ninguna de las "
                        "%s de la mejor candidata es un nombre de columna conocido (sus valores no se muestran: "
                        "pueden ser datos de personas); se esperan, entre otras, %s; si los datos están en otra "
                        "hoja, indíquela con --hoja (o «hoja» en [entrada])",
                        in->sheet, fields, missing->str);
        else
            header_fail(in, rec, 0,
                        "ninguna de las primeras 11 líneas es un encabezado: ninguno de los campos de la mejor "
                        "candidata (%s) es un nombre de columna conocido (sus valores no se muestran: pueden ser "
                        "datos de personas); se esperan, entre otros, %s; agregue la línea de encabezados del "
                        "Sistema",
                        fields, missing->str);
    } else if (missing->len) {
        char *found = headers_found(rec);
        header_fail(in, rec, 0, "faltan columnas obligatorias: %s; encabezados encontrados: %s", missing->str,
                    found);
        g_free(found);
    }
    g_string_free(missing, TRUE);
    if (in->status != OBS_OK)
        return false;
    in->min_fields = min_fields_of(in);
    in->rec = rec;
    title_lines_aviso(in, rec);
    ing_flush_problems(in);
    return true;
}

/* ---- on the reader's thread: which line is the header, which columns are copied ----------------- */

/*
 * Which columns the reader copies: those of the contract. Runs on the reader's thread and
 * only reads the catalogue. The others (names, CURP, addresses…) are never copied.
 */
void ing_select_columns(void *ud, const obs_csv_record *hdr, obs_csv_layout *layout)
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
        if (ing_col_required(in, col))
            layout->min_fields = i + 1;
    }
    g_free(col_at);
}

/* How many distinct columns of the contract a candidate header line names. */
size_t ing_score_header(void *ud, const obs_csv_field *fields, size_t n)
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
