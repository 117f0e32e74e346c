/* csvfield.h - the CSV files observa writes: a BOM for Excel es-MX and text fields guarded against formulas. */
#ifndef OBSERVA_CSVFIELD_H
#define OBSERVA_CSVFIELD_H

#include <glib.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * UTF-8 byte order mark that starts every CSV file observa writes to disk (rechazos.csv,
 * metricas.csv): without it Excel es-MX reads the file as Windows-1252 ("AtlÃ¡ntida").
 * Text written to standard output carries none (it is piped into other programs).
 */
#define OBS_CSV_BOM "\xEF\xBB\xBF"

/**
 * @brief Appends a text field to s, quoted per RFC 4180 only when needed. Every CSV writer of
 * observa goes through it for text values (numbers are printed as they are).
 *
 * A value starting with '=', '+', '-', '@', TAB or CR gets a leading "'" so that a
 * spreadsheet never reads it as a formula (OWASP's CSV-injection guard): "=1+1" is written
 * "'=1+1". This function can't fail.
 */
void obs_csv_append_field(GString *s, const char *field);

#ifdef __cplusplus
}
#endif

#endif /* OBSERVA_CSVFIELD_H */
