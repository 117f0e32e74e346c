/* ingest.h - streaming reader of the Sistema's exports into typed rows (data contract §1-3). */
#ifndef OBSERVA_INGEST_H
#define OBSERVA_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "observa/error.h"
#include "observa/text.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct obs_catalog obs_catalog;

typedef enum obs_encoding {
    OBS_ENC_AUTO = 0,  /**< UTF-8 if valid (BOM optional), else Windows-1252. */
    OBS_ENC_UTF8,
    OBS_ENC_CP1252
} obs_encoding;

typedef enum obs_file_kind {
    OBS_FILE_SOLICITUDES = 0,
    OBS_FILE_DIFUSION,
    OBS_FILE_KIND_COUNT
} obs_file_kind;

/** Severity of a problem in the rejects ledger. */
typedef enum obs_level {
    OBS_LEVEL_ERROR = 0, /**< The row is rejected. */
    OBS_LEVEL_WARNING    /**< The row is kept; the value is treated as stated. */
} obs_level;

/**
 * Why a row (or one of its values) was rejected or warned about. A row is rejected only when it
 * cannot be placed or counted (data contract §1, Errors vs avisos); a problem in an optional
 * field is an aviso and the field is treated as absent.
 */
typedef enum obs_reason {
    OBS_R_MISSING = 0,        /**< A required field is empty. */
    OBS_R_BAD_DATE,           /**< A required date not of the accepted forms. */
    OBS_R_UNKNOWN_ENTIDAD,
    OBS_R_ENTIDAD_MISMATCH,   /**< An entidad written as clave and name that disagree. */
    OBS_R_UNKNOWN_VALUE,      /**< Required enumeration (tipo, medio, instancia) unknown. */
    OBS_R_REPEATED_ID,        /**< folio / id seen before in an accepted row. */
    OBS_R_DATE_ORDER,         /**< fecha_registro earlier than the date it must follow. */
    OBS_R_FIELD_COUNT,        /**< A number of fields the rules of §1 cannot resolve. */
    OBS_R_BAD_BYTES,          /**< A required field with invalid bytes for the encoding, or NUL bytes. */
    OBS_R_MALFORMED,          /**< Misplaced quotes, and the line is wrong even read with them as text. */
    OBS_R_TOO_LONG,           /**< A required field, or the whole line, over the size limit. */
    OBS_R_CELL_VALUE,         /**< A required cell of a workbook with an error value (#N/A) or a formula
                                   never calculated. */
    OBS_R_W_AGE,              /**< Warning: age out of 18..120 or not a number. */
    OBS_R_W_IGNORED_VALUE,    /**< Warning: optional value not recognised, treated as absent. */
    OBS_R_W_NO_COURSE,        /**< Warning: aprobada without fecha_curso. */
    OBS_R_W_ALIAS,            /**< Warning: accepted spelling that is ambiguous (INE → jle). */
    OBS_R_W_OTHER_TYPE,       /**< Warning: unknown outreach type counted as "otr". */
    OBS_R_W_DATE,             /**< Warning: an optional date not of the accepted forms (absent). */
    OBS_R_W_NUMBER,           /**< Warning: an optional integer unparseable, negative or implausible (absent). */
    OBS_R_W_RESOLUTION,       /**< Warning: resolucion unknown, without a usable date or the reverse,
                                   or resolved before the request: counted as pendiente. */
    OBS_R_W_BYTES,            /**< Warning: an optional or ignored column with invalid or NUL bytes,
                                   or too long (absent). */
    OBS_R_W_SHORT_ROW,        /**< Warning: trailing optional fields missing, read as empty. */
    OBS_R_W_QUOTE,            /**< Warning: misplaced quotes read as text; the row counts. */
    OBS_R_W_EXCEL_DATE,       /**< Warning: dates written as Excel serial numbers (once per column and file). */
    OBS_R_W_TITLE_LINES,      /**< Warning: lines above the header skipped (once per file). */
    OBS_R_W_CELL_VALUE,       /**< Warning: an optional cell of a workbook with an error value (#N/A) or a
                                   formula never calculated (absent). */
    OBS_REASON_COUNT
} obs_reason;

/** @brief The level a reason always has. */
obs_level obs_reason_level(obs_reason r);
/** @brief Short Spanish label of a reason, for tallies ("fecha no válida"). */
const char *obs_reason_label(obs_reason r);

/** One problem found in one row: a line of rechazos.csv. Strings are borrowed for the callback. */
typedef struct obs_problem {
    const char *file;    /**< Input path as given. */
    uint64_t line;       /**< Physical line (1-based) where the record starts (for a file-level aviso, the first line it concerns);
                              in a workbook, the row. */
    unsigned column;     /**< 1-based column in the file, 0 if it concerns the whole row (in a workbook, A = 1). */
    const char *field;   /**< Canonical column name, or "" for row-level problems. */
    const char *value;   /**< Offending value, truncated to a few dozen characters, or "". */
    obs_level level;
    obs_reason reason;
    const char *message; /**< Spanish explanation for a clerk. */
    const char *sheet;   /**< In a workbook, the sheet read; NULL for a CSV file. */
} obs_problem;

typedef void (*obs_problem_fn)(void *ud, const obs_problem *p);

/** Room for the text of obs_problem_column(). */
#define OBS_PROBLEM_COLUMN_MAX 12

/**
 * @brief A problem's column as its file names it: "3" in a CSV file, "C" in a workbook; "" when
 * it concerns the whole row. Returns buf. This function can't fail.
 */
const char *obs_problem_column(const obs_problem *p, char buf[OBS_PROBLEM_COLUMN_MAX]);

/**
 * @brief Where a problem is, as a compiler would say it: "solicitudes.csv:11:3" or
 * "solicitudes.csv:11" in a CSV file; in a workbook, the file and a reference Excel's Name Box
 * takes: "solicitudes.xlsx:Hoja1!C17" (a cell), "solicitudes.xlsx:Hoja1!17:17" (a row),
 * "solicitudes.xlsx:'Hoja 1'!C17". Returns a string to g_free().
 */
char *obs_problem_location(const obs_problem *p);

/**
 * @brief The ledger's "archivo" of a problem: its path, and in a workbook ":" and the sheet
 * ("solicitudes.xlsx:Hoja1"; a sheet name never holds ":"). Returns a string to g_free().
 */
char *obs_problem_archivo(const obs_problem *p);

/** Enumerations with fixed codes (their labels and aliases live in templates/catalogos/valores.csv). */
enum { OBS_TIPO_INDIVIDUAL = 0, OBS_TIPO_ORGANIZACION, OBS_TIPO_COUNT };
enum { OBS_MEDIO_PORTAL = 0, OBS_MEDIO_JUNTA, OBS_MEDIO_OPL, OBS_MEDIO_COUNT };
enum { OBS_SEXO_MUJER = 0, OBS_SEXO_HOMBRE, OBS_SEXO_NO_BINARIA, OBS_SEXO_NO_ESPECIFICADO, OBS_SEXO_COUNT };
enum { OBS_CURSO_POR_INE = 0, OBS_CURSO_POR_OPL, OBS_CURSO_POR_ORGANIZACION, OBS_CURSO_POR_COUNT };
enum { OBS_CURSO_MOD_PRESENCIAL = 0, OBS_CURSO_MOD_VIRTUAL, OBS_CURSO_MOD_COUNT };
enum { OBS_RES_APROBADA = 0, OBS_RES_IMPROCEDENTE, OBS_RES_DECLINADA, OBS_RES_COUNT };
/** Catalogue code of the words of a request not yet resolved ("pendiente", "en revisión"):
 * no resolution. Never stored in obs_solicitud.resolucion. */
#define OBS_RES_PENDIENTE OBS_RES_COUNT
enum { OBS_CONSEJO_LOCAL = 0, OBS_CONSEJO_DISTRITAL, OBS_CONSEJO_COUNT };
enum { OBS_MODALIDAD_VA = 0, OBS_MODALIDAD_VPPP, OBS_MODALIDAD_VMRE, OBS_MODALIDAD_COUNT };
enum { OBS_INSTANCIA_OPL = 0, OBS_INSTANCIA_JLE, OBS_INSTANCIA_JDE, OBS_INSTANCIA_COUNT };

/** A per-action alcance above this is implausible: treated as absent, with an aviso (data contract §1). */
#define OBS_ALCANCE_MAX INT64_C(100000000)

/** Value of an optional enumeration field that is absent. */
#define OBS_ABSENT (-1)

/** A validated request. Strings are borrowed for the duration of the callback. */
typedef struct obs_solicitud {
    int entidad;               /**< 1..32 */
    obs_day fecha_solicitud;
    obs_day fecha_registro;    /**< The as-of key (defaults to fecha_solicitud). */
    int tipo;                  /**< OBS_TIPO_* */
    int medio;                 /**< OBS_MEDIO_* */
    int sexo;                  /**< OBS_SEXO_* (NO_ESPECIFICADO when absent) */
    int edad;                  /**< 18..120 or OBS_ABSENT */
    bool discapacidad;
    bool indigena;
    unsigned modalidades;      /**< Bit (1 << OBS_MODALIDAD_*) per modality of interest. */
    obs_day fecha_curso;       /**< OBS_DAY_NONE when absent. */
    int curso_por;             /**< OBS_CURSO_POR_* or OBS_ABSENT */
    int curso_modalidad;       /**< OBS_CURSO_MOD_* or OBS_ABSENT */
    int resolucion;            /**< OBS_RES_* or OBS_ABSENT */
    obs_day fecha_resolucion;  /**< Present iff resolucion is. */
    int consejo;               /**< OBS_CONSEJO_* or OBS_ABSENT */
    const char *causa;         /**< Trimmed, or NULL. */
    const char *organizacion;  /**< Trimmed, or NULL. */
} obs_solicitud;

/** A validated outreach action. */
typedef struct obs_accion {
    int entidad;              /**< 1..32 */
    int instancia;            /**< OBS_INSTANCIA_* */
    obs_day fecha;
    obs_day fecha_registro;   /**< The as-of key (defaults to fecha). */
    int tipo;                 /**< Index in the catalogue of outreach types. */
    int64_t alcance;          /**< People reached as declared, 0..OBS_ALCANCE_MAX, or -1 when absent. */
} obs_accion;

/** Receives the rows that pass validation. Either callback may be NULL. */
typedef struct obs_row_sink {
    void (*solicitud)(void *ud, const obs_solicitud *s);
    void (*accion)(void *ud, const obs_accion *a);
    void *ud;
} obs_row_sink;

typedef struct obs_ingest_options {
    obs_encoding encoding;   /**< Default AUTO. */
    char delimiter;          /**< 0 = detect (',' ';' or TAB). */
    int threads;             /**< 1: everything on the calling thread; otherwise read on a second thread. */
    const char *sheet;       /**< A workbook's sheet to read, by name (NULL: the first). Not used for CSV. */
} obs_ingest_options;

/** Control totals and facts about one input file. */
typedef struct obs_file_stats {
    char *path;              /**< As given (owned). */
    uint64_t bytes;
    char sha256[65];
    obs_encoding encoding;   /**< As read (AUTO when pure ASCII; UTF8 for a workbook). */
    char delimiter;          /**< 0 for a workbook. */
    char *sheet;             /**< A workbook's sheet read (owned), or NULL for CSV. */
    uint64_t lines;          /**< Physical lines, header included. */
    uint64_t leidas;         /**< Data records read (the header, title lines and blank rows excluded). */
    uint64_t vacias;         /**< Blank rows: every field empty (data contract §1); not in leidas. */
    uint64_t aceptadas;
    uint64_t rechazadas;
    uint64_t con_avisos;     /**< Accepted rows with at least one warning of their own (not file-level avisos). */
    uint64_t en_corte;       /**< Accepted and registered on or before the corte (set by the caller). */
    uint64_t posteriores;    /**< Accepted but registered after the corte (set by the caller). */
    uint64_t por_motivo[OBS_REASON_COUNT]; /**< Problems by reason (errors and warnings). */
} obs_file_stats;

/** @brief Frees what an obs_file_stats owns (not the struct). */
void obs_file_stats_clear(obs_file_stats *st);

/**
 * @brief Reads one export, validating every row; calls sink for the good rows
 * and on_problem for every problem (one call per problem).
 *
 * A file is read as an .xlsx workbook when its content is one (a ZIP container with a workbook
 * part; opts->sheet, or its first sheet), else as CSV (data contract §1).
 *
 * File-level errors (unreadable: OBS_ERR_NOINPUT; empty, header-less, binary, not a readable
 * workbook or missing required columns: OBS_ERR_DATA) stop the read and fill err.
 * Row errors never stop it. Memory does not grow with the number of rows,
 * except for the compact set of folios/ids seen.
 */
obs_status obs_ingest_file(const char *path, obs_file_kind kind,
                           const obs_catalog *cat,
                           const obs_ingest_options *opts,
                           const obs_row_sink *sink,
                           obs_problem_fn on_problem, void *problem_ud,
                           obs_file_stats *stats, obs_error *err);

#ifdef __cplusplus
}
#endif

#endif /* OBSERVA_INGEST_H */
