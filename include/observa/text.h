/* text.h - dates, folding and es-MX number/date formatting, independent of the locale. */
#ifndef OBSERVA_TEXT_H
#define OBSERVA_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief A calendar day as a serial number: GLib's Julian day (1 = 0001-01-01).
 * 0 means "no date". Differences of two days are a number of days.
 */
typedef int32_t obs_day;

#define OBS_DAY_NONE 0

/** Size of a buffer that holds any string produced by the obs_fmt_* functions. */
#define OBS_FMT_MAX 64

/** @brief Builds a day from year, month (1-12) and day; OBS_DAY_NONE if invalid. */
obs_day obs_day_from_ymd(int year, int month, int day);

/** @brief Splits a day into year, month and day of month. Any out pointer may be NULL. */
void obs_day_to_ymd(obs_day d, int *year, int *month, int *day);

/**
 * @brief Parses a date of the data contract: YYYY-MM-DD, DD/MM/YYYY, D/M/YYYY,
 * DD-MM-YYYY, optionally followed by a space or 'T' and a time part, which
 * is ignored. The date must exist (no 31 February).
 *
 * @param s   text, not necessarily NUL-terminated.
 * @param len its length in bytes.
 * @return the day, or OBS_DAY_NONE if the text is not such a date.
 */
obs_day obs_day_parse(const char *s, size_t len);

/** @brief Parses a strict ISO date (YYYY-MM-DD), as used on the command line. */
obs_day obs_day_parse_iso(const char *s);

/** @brief Writes the ISO form "2023-10-12" into buf (at least 11 bytes). */
void obs_day_iso(obs_day d, char *buf, size_t size);

/** @brief The day of a unix time in Mexico City (UTC-6, no DST since 2022). */
obs_day obs_day_from_unix(int64_t t);

/** @brief Day of the week, 1 = Monday … 7 = Sunday. */
int obs_day_weekday(obs_day d);

/**
 * @brief Age in whole years on day `on` of someone born on `birth`,
 * or -1 if either day is missing or birth is after on.
 */
int obs_age_years(obs_day birth, obs_day on);

/**
 * @brief Folds a header or enumeration value for comparison (data contract §1):
 * Unicode case-fold, accents removed, runs of spaces, hyphens, dots and
 * underscores turned into a single '_', and leading/trailing '_' trimmed.
 * "Fecha de Registro " → "fecha_de_registro"; "Portal Público" → "portal_publico".
 *
 * @param s   UTF-8 text (must be valid UTF-8), not necessarily NUL-terminated.
 * @param len its length in bytes.
 * @return a newly allocated string (free with g_free()).
 */
char *obs_fold(const char *s, size_t len);

/**
 * @brief Trims every Unicode space from both ends of s[0..*len) (data contract §1: U+0020,
 * TAB, U+00A0, U+2007, U+202F, U+3000 and the other separators, line breaks, and the invisible
 * U+200B and U+FEFF). Moves *s and shortens *len; never allocates. s must be valid UTF-8 where
 * it is not ASCII (bytes that are not are kept).
 */
void obs_trim_spaces(const char **s, size_t *len);

/** Outcome of obs_parse_count(). */
typedef enum obs_num_status {
    OBS_NUM_OK = 0,
    OBS_NUM_INVALID,    /**< Not an integer of the accepted forms (also a fraction: 12.5). */
    OBS_NUM_NEGATIVE,   /**< A well-formed negative integer; *out holds its value. */
    OBS_NUM_AMBIGUOUS,  /**< "1.500": a thousands point or a decimal point; unparseable. */
    OBS_NUM_TOO_BIG     /**< More than 15 digits. */
} obs_num_status;

/**
 * @brief Parses an integer as exports write it (data contract §1, Integers): digits,
 * optionally grouped by thousands with commas ("21,000", "1,000,000") or with spaces
 * (U+0020, U+00A0, U+202F: "21 000"), optionally followed by an integral decimal part
 * ("1500.0", "21,000.00"); a leading '-' makes it negative. "1.500" is ambiguous (a thousands
 * point or a decimal one) and rejected.
 *
 * @param s   trimmed text, not necessarily NUL-terminated.
 * @param out receives the value on OBS_NUM_OK and OBS_NUM_NEGATIVE.
 */
obs_num_status obs_parse_count(const char *s, size_t len, int64_t *out);

/**
 * @brief An Excel serial date (1900 date system, with Excel's fictitious 29 February 1900:
 * 1 = 1900-01-01, 60 = that non-day, 61 = 1900-03-01, 45310 = 2024-01-19): digits, optionally
 * with a fraction (the time of day, ignored). Data contract §1, Dates.
 * @return the day, or OBS_DAY_NONE if s is not such a number or falls outside 1900..9999.
 */
obs_day obs_day_from_excel_serial(const char *s, size_t len);

/** @brief "34,462"; negative numbers get a leading '-'. Returns buf. */
char *obs_fmt_int(char *buf, size_t size, int64_t v);

/**
 * @brief A count with the words that agree with it: "1 fila leída", "0 filas leídas",
 * "35,000 filas leídas" (singular only for 1 and -1). Truncated to size. Returns buf.
 */
char *obs_fmt_count(char *buf, size_t size, int64_t v, const char *singular, const char *plural);

/**
 * @brief Percentage of num over den with one decimal, rounded half-up from
 * the integer counts: "86.1%". A zero (or negative) base gives "–".
 * Returns buf.
 */
char *obs_fmt_pct(char *buf, size_t size, int64_t num, int64_t den);

/**
 * @brief A share of rows (part of whole, 0 ≤ part ≤ whole) as obs_fmt_pct() prints it, except that a
 * share one decimal would round to 0.0% or 100.0% without being it reads "menos de 0.1%" or "más de
 * 99.9%": never a zero, or a whole, that is not. Returns buf.
 */
char *obs_fmt_share(char *buf, size_t size, int64_t part, int64_t whole);

/**
 * @brief Per-mille value of num/den rounded half-up (861 for 86.1%), the number
 * obs_fmt_pct() prints. Returns -1 when den <= 0.
 */
int64_t obs_pct_tenths(int64_t num, int64_t den);

/**
 * @brief Shares of a breakdown in tenths of a percent, rounded by largest remainder (Hamilton)
 * so that they add up to exactly 1000 (100.0%): each share is first rounded down, then the
 * tenths still missing go to the shares with the largest remainders (ties to the earlier).
 * When the counts do not add up to base (not a breakdown), each share is rounded half-up on
 * its own, as obs_pct_tenths() does. With base <= 0 every share is -1 (printed "–").
 * @param counts n counts, each >= 0.
 * @param tenths receives n shares. This function can't fail.
 */
void obs_pct_largest_remainder(const int64_t *counts, size_t n, int64_t base, int64_t *tenths);

/** @brief A signed change: "+123", "-45", "0". Returns buf. */
char *obs_fmt_delta(char *buf, size_t size, int64_t v);

/**
 * @brief A decimal with at most `decimals` digits after the point, thousands
 * separated, trailing zeros dropped: 12.5 → "12.5", 6.0 → "6", 1234.25 → "1,234.25".
 * Returns buf.
 */
char *obs_fmt_dec(char *buf, size_t size, double v, int decimals);

/** @brief Spanish long date: "12 de octubre de 2023". Returns buf. */
char *obs_fmt_fecha_larga(char *buf, size_t size, obs_day d);

/** @brief Spanish short date: "12/10/2023". Returns buf. */
char *obs_fmt_fecha_corta(char *buf, size_t size, obs_day d);

/** @brief Spanish month name, lowercase ("octubre"); month 1..12. */
const char *obs_mes_nombre(int month);

/** @brief Abbreviated Spanish month ("oct"); month 1..12. */
const char *obs_mes_abrev(int month);

#ifdef __cplusplus
}
#endif

#endif /* OBSERVA_TEXT_H */
