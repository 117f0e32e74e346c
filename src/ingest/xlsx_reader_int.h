/* xlsx_reader_int.h - internal to the workbook reader (xlsx_*.c, xlsxread.c): the workbook, its limits, SAX plumbing.
 *
 * A workbook is a ZIP file of XML parts. The small ones (relationships, workbook, styles) and the
 * shared strings are read first; then one sheet is parsed as a stream of SAX events, row by row,
 * into the CSV reader's records, so every row goes through exactly the same validation.
 *
 * Layers (no file calls one above it): xlsx_zip.c (the container, its limits, streaming a part into
 * a SAX parser); xlsx_book.c (relationships, the workbook part, the sheet asked for);
 * xlsx_strings.c (shared strings, styles, a cell's value as text); xlsx_sheet.c (a worksheet into
 * records); xlsxread.c (the whole read, on a thread of its own when asked; obs_xlsx_read()).
 */
#ifndef OBSERVA_XLSX_READER_INT_H
#define OBSERVA_XLSX_READER_INT_H

#include <glib.h>
#include <libxml/parser.h>
#include <zip.h>

#include "ingest/xlsxread_int.h"

/* Limits against hostile files (a real workbook is far within each). */
#define XLSX_MAX_PARTS 10000                           /* entries of the ZIP */
#define XLSX_MAX_META_BYTES ((uint64_t)64 << 20)       /* relationships, workbook, styles (inflated) */
#define XLSX_MAX_SHARED_BYTES ((uint64_t)1 << 30)      /* the shared strings part (inflated) */
/* Shared strings kept: each costs 9 bytes besides its text, so 8M entries cost at most 72 MB; a
 * real export of Excel's 1,048,576 rows repeats most values (sexo, medio, entidad…). */
#define XLSX_MAX_SHARED_STRINGS ((guint)8 << 20)
#define XLSX_MAX_SHEET_BYTES ((uint64_t)8 << 30)       /* a sheet: Excel's 1,048,576 rows fit well within */
#define XLSX_BOMB_RATIO 200                            /* inflated / compressed, past XLSX_BOMB_FLOOR */
#define XLSX_BOMB_FLOOR ((uint64_t)16 << 20)
#define XLSX_MAX_DEPTH 32                              /* element nesting (a sheet needs 6) */
#define XLSX_MAX_COLUMNS 16384                         /* XFD, Excel's last column */
#define XLSX_MAX_ROWS 1048576                          /* Excel's last row */
#define XLSX_CHUNK (256 * 1024)                        /* inflated bytes handed to the parser at a time */

/* Advice at the end of most refusals. */
#define XLSX_RESAVE "ábralo y guárdelo de nuevo como .xlsx, o como «CSV UTF-8 (delimitado por comas)»"

typedef struct sheet_ref {
    char *name;              /* as the workbook names it */
    char *rid;               /* its relationship id */
} sheet_ref;

typedef struct workbook {
    const char *path;
    zip_t *zip;
    bool date1904;           /* serial 0 is 1904-01-01 (else the 1900 system) */
    GArray *sheets;          /* sheet_ref, in workbook order */
    GHashTable *rels;        /* relationship id -> part name in the ZIP */
    char *shared_part;       /* part names, from the relationships (or the usual ones) */
    char *styles_part;
    GString *shared;         /* shared strings, each followed by a NUL */
    GArray *shared_off;      /* uint64_t: offset of each shared string in `shared` */
    GArray *date_style;      /* guint8 per cell style (cellXfs index): 1 if it shows a date */
    bool inflate_ahead;      /* big parts are inflated on a thread of their own while parsed */
    obs_error err;           /* the reader's own error: it may run on a thread of its own */
    obs_status status;
} workbook;

/* What every part's parser state starts with (the SAX user data points at one). */
typedef struct sax_state {
    xmlParserCtxtPtr parser;
    int depth;
    bool too_deep;
    bool doctype;            /* no part of a workbook has one: refused before any entity */
    bool stopped;            /* a handler stopped the parser on purpose (the caller wants no more) */
} sax_state;

/* ---- xlsx_zip.c: the container, its limits, a part streamed into a SAX parser ------------------- */

/** Records the first refusal of the workbook (OBS_ERR_DATA, in Spanish) and returns w->status. */
obs_status xlsxr_fail(workbook *w, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/** Opens the ZIP container; false (with w->status) when it is damaged or has too many parts. */
bool xlsxr_open(workbook *w);
/** Whether the container holds a part by that name (ASCII case aside). */
bool xlsxr_has_part(const workbook *w, const char *name);
/**
 * Streams part `name` through a SAX2 parser with handler sax and user data state (whose first
 * member is a sax_state), under `max` inflated bytes and the ratio that gives a bomb away. No
 * network, no DTD, no entity: nothing from outside the part. Returns false, with w->status set, on
 * any failure; a handler that stops the parser on purpose sets state->stopped and the part ends
 * quietly.
 */
bool xlsxr_parse_part(workbook *w, const char *name, uint64_t max, xmlSAXHandler *sax, sax_state *state);
/** A SAX2 handler with these callbacks (chars may be NULL) that refuses any DOCTYPE. */
void xlsxr_sax_init(xmlSAXHandler *sax, startElementNsSAX2Func start, endElementNsSAX2Func end,
                    charactersSAXFunc chars);
/** One level deeper; false once past XLSX_MAX_DEPTH (the parser is stopped). */
bool xlsxr_enter(sax_state *s);
/** An end tag handler that only counts the depth (ud is a sax_state). */
void xlsxr_sax_end(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri);
/** Attribute `name` (in namespace ns; NULL: any) of a SAX2 start tag, not NUL-terminated; NULL if absent. */
const char *xlsxr_attr(const xmlChar **attrs, int nattrs, const char *name, const char *ns, size_t *len);
/** The same as a NUL-terminated copy (g_free), or NULL. */
char *xlsxr_attr_dup(const xmlChar **attrs, int nattrs, const char *name, const char *ns);

/* ---- xlsx_book.c: relationships, the workbook part, the sheet to read -------------------------- */

/** Where the workbook part is, its sheets, date system and the parts of its strings and styles. */
bool xlsxr_read_book(workbook *w);
/** The part of the sheet asked for by name (after folding; NULL: the first), and its name; NULL
 * (with w->status) when the workbook has no such sheet. */
const char *xlsxr_sheet_part(workbook *w, const char *wanted, const char **name);

/* ---- xlsx_strings.c: shared strings, styles, a cell's value as text ---------------------------- */

/** Reads the styles (which cell styles show a date) and the shared strings, when present. */
bool xlsxr_read_strings_and_styles(workbook *w);
/** Shared string number `index` (decimal text), or NULL when there is none such. */
const char *xlsxr_shared_string(const workbook *w, const char *index, size_t *len);
/** Whether cell style `style` (decimal text, NULL: none) shows a date. */
bool xlsxr_is_date_style(const workbook *w, const char *style, size_t len);
/** Room for the text of xlsxr_date_text() and xlsxr_number_text(), and a NUL. */
#define XLSX_VALUE_TEXT_MAX 400
/** A serial date of the workbook's date system as an ISO date (10 bytes, no NUL) into out; 0 when
 * it is not a day of 1900..9999. */
size_t xlsxr_date_text(const workbook *w, const char *v, size_t len, char *out);
/** A number as a person would type it, into out (no NUL): no exponent, no trailing ".0" (a folio
 * stays whole); its length. */
size_t xlsxr_number_text(const char *v, size_t len, char *out);

/* ---- xlsx_sheet.c: a worksheet into records ------------------------------------------------------ */

/** Parses sheet `name` in `part`, calling on_record(ud) for the header and every row after it, as
 * obs_xlsx_read() describes (opts' callbacks get opts_ud); false (w->status set) when the part
 * cannot be read. */
bool xlsxr_read_sheet(workbook *w, const char *part, const char *name, const obs_csv_options *opts, void *opts_ud,
                      obs_csv_record_fn on_record, void *ud, obs_csv_result *result);

#endif /* OBSERVA_XLSX_READER_INT_H */
