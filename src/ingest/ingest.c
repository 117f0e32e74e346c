/* ingest.c - an export read record by record into typed rows: the row loop and its checks (data contract §1-3). */
#include "ingest/ingest_int.h"
#include "ingest/ingest_part_int.h"
#include "ingest/xlsxread_int.h"

#include <string.h>

/* Column names listed in a message about a row's fields, at most. */
#define MAX_NAMES_LISTED 6

void obs_file_stats_clear(obs_file_stats *st)
{
    if (!st)
        return;
    g_free(st->path);
    g_free(st->sheet);
    memset(st, 0, sizeof *st);
}

/* ---- a record before the rules of its export ------------------------------------------------------ */

static const char *encoding_name(obs_encoding e)
{
    return e == OBS_ENC_CP1252 ? "Windows-1252" : "UTF-8";
}

/* A record the reader could not split into fields (only from a file that cannot be re-read). */
static void defect_problem(ingest *in, const obs_csv_record *rec)
{
    switch (rec->defect) {
    case OBS_CSV_MALFORMED:
        ing_add_problem(in, OBS_R_MALFORMED, -1, NULL, 0,
                        "comillas mal formadas: un campo entre comillas debe cerrarse antes del "
                        "siguiente separador y las comillas internas se escriben dobles (\"\")");
        break;
    case OBS_CSV_UNTERMINATED:
        ing_add_problem(in, OBS_R_MALFORMED, -1, NULL, 0,
                        "comilla sin cerrar desde esta línea hasta el final del archivo");
        break;
    case OBS_CSV_TOO_LONG:
        ing_add_problem(in, OBS_R_TOO_LONG, -1, NULL, 0,
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

/* "consejo, causa": the names of the contract's columns among the header's fields [from, to), or only the
 * required ones (the other columns are none of observa's business: names, CURP…). */
static char *names_between(const ingest *in, size_t from, size_t to, bool only_required)
{
    GString *s = g_string_new(NULL);
    size_t listed = 0;
    for (size_t i = from; i < to; i++) {
        if (in->col_at[i] < 0 || (only_required && !ing_col_required(in, in->col_at[i])))
            continue;
        if (listed++ == MAX_NAMES_LISTED) {
            g_string_append(s, ", …");
            break;
        }
        g_string_append_printf(s, "%s%s", s->len ? ", " : "", ing_file_col_name(in, (unsigned)i + 1));
    }
    return g_string_free(s, FALSE);
}

/* The field count rules of §1; false (with the error) when they cannot resolve the row. */
static bool row_fits(ingest *in, const obs_csv_record *rec)
{
    size_t n = rec->nfields, h = in->header_fields;
    obs_csv_layout layout = {NULL, h, in->min_fields};
    /* "1 campo", "22 campos": a row may hold a single field (formatted only for a message: this
     * runs for every row). */
    char fields[2 * OBS_FMT_MAX] = "";
    bool fits = obs_csv_count_fits(rec, &layout);
    if (!fits || n < h)
        obs_fmt_count(fields, sizeof fields, (int64_t)n, "campo", "campos");
    if (!fits) {
        if (rec->quote_as_text)
            ing_add_problem(in, OBS_R_MALFORMED, -1, NULL, 0,
                            "comillas mal colocadas en esta línea, y aun leídas como texto la fila tiene %s y el "
                            "encabezado %zu; las líneas siguientes se leyeron como filas propias",
                            fields, h);
        else if (n > h)
            ing_add_problem(in, OBS_R_FIELD_COUNT, -1, NULL, 0,
                            "la fila tiene %s y el encabezado %zu, y los de más no están vacíos; "
                            "revise separadores y comillas", fields, h);
        else {
            char *missing = names_between(in, n, h, true);
            ing_add_problem(in, OBS_R_FIELD_COUNT, -1, NULL, 0,
                            "la fila tiene %s y el encabezado %zu: le faltan columnas obligatorias "
                            "(%s); revise separadores y comillas", fields, h, missing);
            g_free(missing);
        }
        return false;
    }
    if (rec->quote_as_text)
        ing_add_problem(in, OBS_R_W_QUOTE, -1, NULL, 0,
                        "comillas mal colocadas: la línea se leyó sola, con sus comillas como texto, y las "
                        "siguientes como filas propias; revise sus valores");
    if (n < h) {
        in->short_fields = n;
        char *missing = names_between(in, n, h, false);
        if (*missing)
            ing_add_problem(in, OBS_R_W_SHORT_ROW, -1, NULL, 0,
                            "la fila tiene %s y el encabezado %zu: los últimos (%s) se leen vacíos", fields, h,
                            missing);
        else
            ing_add_problem(in, OBS_R_W_SHORT_ROW, -1, NULL, 0,
                            "la fila tiene %s y el encabezado %zu: le faltan los últimos, de columnas que observa "
                            "no usa", fields, h);
        g_free(missing);
    }
    return true;
}

/* What a workbook's uncalculated formula needs, said wherever one is found (README «Libros de Excel»). */
#define RECALCULATE "abra el libro en Excel o LibreOffice y guárdelo para que calcule sus fórmulas, o exporte de " \
                    "nuevo los datos"

/* What each field flag means, and what it costs in a required column and in any other one. A
 * workbook's cell says what to do also where it is only an aviso: the figure it should hold is
 * missing from the counts. */
static const struct {
    uint32_t flag;
    const char *what;
    const char *fix;
    obs_reason required, optional;
    bool fix_optional;
} field_flags[] = {
    {OBS_CSV_F_NUL, "tiene bytes nulos", "corrija ese valor en el archivo", OBS_R_BAD_BYTES, OBS_R_W_BYTES, false},
    {OBS_CSV_F_TOO_LONG, "excede 64 KiB", "acorte ese valor en el archivo", OBS_R_TOO_LONG, OBS_R_W_BYTES, false},
    {OBS_CSV_F_BAD_BYTES, "tiene bytes no válidos en la codificación",
     "guarde el archivo como CSV UTF-8 o indique --codificacion", OBS_R_BAD_BYTES, OBS_R_W_BYTES, false},
    {OBS_XLSX_F_ERROR, NULL, NULL, OBS_R_CELL_VALUE, OBS_R_W_CELL_VALUE, true}, /* error_what(), error_fix() */
    {OBS_XLSX_F_NO_VALUE, "tiene una fórmula que nunca se calculó (el libro se guardó sin su resultado)",
     RECALCULATE, OBS_R_CELL_VALUE, OBS_R_W_CELL_VALUE, true},
};
#define FLAGS_TO_REPORT (OBS_CSV_F_NUL | OBS_CSV_F_BAD_BYTES | OBS_CSV_F_TOO_LONG | OBS_XLSX_F_ERROR | OBS_XLSX_F_NO_VALUE)

/* "tiene una fórmula cuyo resultado es el error #DIV/0! (#¡DIV/0! en Excel en español: una división
 * entre cero)": which error value a cell holds, and whether a formula gave it (g_free). */
static char *error_what(uint32_t flags)
{
    obs_xlsx_error e = obs_xlsx_error_of(flags);
    const char *head = flags & OBS_XLSX_F_FORMULA ? "tiene una fórmula cuyo resultado es" : "tiene";
    if (!e.code)
        return g_strdup_printf("%s un valor de error de Excel", head);
    if (strcmp(e.code, e.shown) == 0)
        return g_strdup_printf("%s el error %s (%s)", head, e.code, e.means);
    return g_strdup_printf("%s el error %s (%s en Excel en español: %s)", head, e.code, e.shown, e.means);
}

static const char *error_fix(uint32_t flags)
{
    return flags & OBS_XLSX_F_FORMULA
               ? "corrija la fórmula (o escriba el valor) en el libro, guárdelo y vuelva a leerlo, o exporte de nuevo "
                 "los datos"
               : "escriba el valor correcto en esa celda del libro, o exporte de nuevo los datos";
}

/* Fields the reader flagged: in a required column the row is rejected; otherwise the field is
 * absent, with an aviso (a column observa ignores is only checked for NUL bytes). */
static void flagged_fields(ingest *in, const obs_csv_record *rec)
{
    if (!(rec->field_flags & FLAGS_TO_REPORT))
        return;
    size_t n = MIN(rec->nfields, in->header_fields);
    for (size_t i = 0; i < n; i++) {
        uint32_t fl = rec->fields[i].flags & FLAGS_TO_REPORT;
        size_t k = 0;
        while (fl && k < G_N_ELEMENTS(field_flags) && !(fl & field_flags[k].flag))
            k++;
        if (!fl || k == G_N_ELEMENTS(field_flags))
            continue;
        int col = in->col_at[i];
        bool req = ing_col_required(in, col);
        if (col >= 0)
            in->bad_cols |= 1u << col;
        bool encoding = field_flags[k].flag == OBS_CSV_F_BAD_BYTES;
        bool error = field_flags[k].flag == OBS_XLSX_F_ERROR;
        char *what = error ? error_what(rec->fields[i].flags) : NULL;
        const char *fix = error ? error_fix(rec->fields[i].flags) : field_flags[k].fix;
        char label[OBS_PROBLEM_COLUMN_MAX];
        ing_add_problem_at(in, req ? field_flags[k].required : field_flags[k].optional, (unsigned)i + 1, 0,
                           "la columna %s (%s) %s%s%s; %s%s%s", ing_file_col_label(in, (unsigned)i + 1, label),
                           ing_file_col_name(in, (unsigned)i + 1), what ? what : field_flags[k].what,
                           encoding ? " " : "", encoding ? encoding_name(rec->encoding) : "",
                           req ? fix
                           : col >= 0 ? "se toma como vacía (la fila no se descarta por esto)"
                                      : "es una columna que observa no usa (la fila no se descarta por esto)",
                           !req && col >= 0 && field_flags[k].fix_optional ? "; para contar su valor, " : "",
                           !req && col >= 0 && field_flags[k].fix_optional ? fix : "");
        g_free(what);
    }
}

/* ---- the row loop --------------------------------------------------------------------------------- */

/* Every record of the file, the header first (obs_csv_options's on_record, on the caller's thread). */
static bool on_record(void *ud, const obs_csv_record *rec)
{
    ingest *in = ud;
    if (!in->header_done)
        return ing_header_record(in, rec);
    if (rec->defect == OBS_CSV_OK && !rec->quote_as_text && is_blank(rec)) {
        in->stats->vacias++;
        return true;
    }
    in->rec = rec;
    in->row_error = false;
    in->row_warned = false;
    in->bad_cols = 0;
    in->short_fields = 0;
    in->stats->leidas++;
    if (rec->defect != OBS_CSV_OK) {
        defect_problem(in, rec);
    } else if (row_fits(in, rec)) {
        flagged_fields(in, rec);
        if (in->kind == OBS_FILE_SOLICITUDES)
            ing_validate_solicitud(in);
        else
            ing_validate_accion(in);
    }
    if (in->row_error)
        in->stats->rechazadas++;
    else {
        in->stats->aceptadas++;
        if (in->row_warned)
            in->stats->con_avisos++;
    }
    ing_flush_problems(in);
    return true;
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
        .select = ing_select_columns,
        .header_score = ing_score_header,
    };
    if (part) {
        copts.end = part->end;
        copts.start = part->start;
        copts.first_line = part->first_line;
        copts.no_hash = part->no_hash;
        copts.handoff = part->handoff;
    }
    obs_csv_result res;
    /* A workbook is recognised by its content, never by its name (data contract §1); it is one
     * compressed stream, read in one part. */
    bool whole = !part || (!part->start && !part->end);
    obs_status st = whole && obs_xlsx_is_workbook(path)
                        ? obs_xlsx_read(path, opts ? opts->sheet : NULL, &copts, on_record, &in, &res, &in.sheet, err)
                        : obs_csv_read(path, &copts, on_record, &in, &res, err);
    stats->lines = res.lines;
    if (!resume) {
        stats->bytes = res.bytes;
        stats->encoding = res.encoding;
        stats->delimiter = res.delimiter;
        stats->sheet = g_strdup(in.sheet);
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
    g_free(in.sheet);
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
