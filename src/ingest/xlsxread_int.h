/* xlsxread_int.h - internal: the .xlsx workbook reader's interface (ingest chooses it by content; see xlsx_*.c). */
#ifndef OBSERVA_XLSXREAD_INT_H
#define OBSERVA_XLSXREAD_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "ingest/csvread_int.h"

/** Field flags only a workbook gives (next to the OBS_CSV_F_* of csvread_int.h). */
enum {
    OBS_XLSX_F_ERROR = 1u << 8,    /**< An error value (#N/A, #DIV/0!…): the field arrives empty; which one is
                                        in the bits of OBS_XLSX_ERROR_MASK (obs_xlsx_error_of()). */
    OBS_XLSX_F_NO_VALUE = 1u << 9, /**< A formula without a cached value (no <v>, or an empty one; also a
                                        cell inside the range of such an array formula): the field arrives
                                        empty. */
    OBS_XLSX_F_FORMULA = 1u << 10, /**< With OBS_XLSX_F_ERROR: the error is the result of the cell's formula
                                        (else a value typed as it is). */
};

/** Where a field's flags say which error value it holds (with OBS_XLSX_F_ERROR). */
#define OBS_XLSX_ERROR_SHIFT 16
#define OBS_XLSX_ERROR_MASK (0xffu << OBS_XLSX_ERROR_SHIFT)

/** An error value of a cell, as ECMA-376 writes it, and as Excel in Spanish shows it. */
typedef struct obs_xlsx_error {
    const char *code;    /**< "#DIV/0!"; NULL for an error value observa does not know (or a damaged cell) */
    const char *shown;   /**< "#¡DIV/0!": what Excel in Spanish shows (the code itself when the same) */
    const char *means;   /**< "una división entre cero" */
} obs_xlsx_error;

/** The flag bits (within OBS_XLSX_ERROR_MASK) for an error value's text ("#REF!"); 0 when unknown. */
uint32_t obs_xlsx_error_bits(const char *text, size_t len);
/** The error value that field flags name (code NULL when they name none). */
obs_xlsx_error obs_xlsx_error_of(uint32_t flags);

/** Room for a column's letters and their NUL ("XFD" is Excel's last column). */
#define OBS_XLSX_COLUMN_LETTERS 8

/**
 * @brief Whether the file is an Office Open XML workbook: a ZIP container (by its signature) that
 * opens and holds a workbook part (xl/workbook.xml, or a [Content_Types].xml that declares a
 * spreadsheet). Recognised by content, never by name (data contract §1). A damaged ZIP, an
 * OpenDocument spreadsheet or any other ZIP is not one: the CSV reader refuses those, saying what
 * they are. This function can't fail.
 */
bool obs_xlsx_is_workbook(const char *path);

/**
 * @brief Reads one sheet of a workbook as records, like obs_csv_read(): the rows of the sheet in
 * order, each cell in its column (missing cells are empty fields, a row has at least the header's
 * fields and cells right of the header are not read), the header found among the first 11 rows with
 * opts->header_score (the rows above it are title lines), opts->select told the columns to keep.
 * A record's line is its row number; a field's place is its column (A = 1). Rows missing between
 * two rows, and rows with no value, are blank records; those after the last row with a value are
 * not records at all (a sheet's formatted but empty rows at its end).
 *
 * Cells become text as the CSV reader would give it: shared and inline strings as they are;
 * numbers without exponent or a trailing ".0" (a long folio stays "123456789012"); numbers with a
 * date style as ISO dates (1900 and 1904 date systems); booleans as 1 or 0; formulas by their cached
 * value (OBS_XLSX_F_NO_VALUE when there is none: no <v> or an empty one, as openpyxl writes every
 * formula; a cell of an uncalculated array formula's range too); error values as OBS_XLSX_F_ERROR
 * with which one (obs_xlsx_error_of()) and, when a formula gave it, OBS_XLSX_F_FORMULA. An empty
 * <v> of a formula whose result is text (t="str") is an empty text, which Excel writes for ="".
 *
 * Memory is bounded: the sheet is parsed as a stream (SAX), never as a tree; only the shared
 * strings are held, and every part is read under a decompressed-size limit. External entities and
 * the network are never used, a DOCTYPE is refused and element nesting is limited. With
 * opts->threaded the sheet is inflated and parsed on a second thread, a few batches of records
 * ahead of the caller.
 *
 * @param sheet the sheet to read by name (compared after folding), or NULL for the first.
 * @param sheet_name receives the name of the sheet read (g_free), for locations like Hoja!C17;
 *        NULL when none was read.
 * @return OBS_OK; OBS_ERR_NOINPUT when the file cannot be opened or read; OBS_ERR_DATA when it is
 *         not a readable workbook (damaged ZIP, no workbook part, a binary .xlsb, a password, no
 *         such sheet, a part over the size limits or inflating like a bomb, too many parts or rows,
 *         malformed or too deeply nested XML, a DOCTYPE), with what to do in err.
 */
obs_status obs_xlsx_read(const char *path, const char *sheet, const obs_csv_options *opts,
                         obs_csv_record_fn on_record, void *ud, obs_csv_result *result,
                         char **sheet_name, obs_error *err);

/** @brief "C" for column 3, "AA" for 27, "" for 0: a 1-based column's letters, as Excel names it. */
void obs_xlsx_column_letters(unsigned column, char buf[OBS_XLSX_COLUMN_LETTERS]);

#endif /* OBSERVA_XLSXREAD_INT_H */
