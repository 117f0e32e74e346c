/* csvfield.c - text fields of the CSV files observa writes: RFC 4180 quoting and the formula guard. */
#include <stdbool.h>
#include <string.h>

#include "observa/csvfield.h"

void obs_csv_append_field(GString *s, const char *field)
{
    /* A spreadsheet takes these as the start of a formula (TAB and CR too, after trimming). */
    bool guard = field[0] && strchr("=+-@\t\r", field[0]);
    if (!strpbrk(field, ",\"\r\n")) {
        if (guard)
            g_string_append_c(s, '\'');
        g_string_append(s, field);
        return;
    }
    g_string_append_c(s, '"');
    if (guard)
        g_string_append_c(s, '\'');
    for (const char *p = field; *p; p++) {
        if (*p == '"')
            g_string_append_c(s, '"');
        g_string_append_c(s, *p);
    }
    g_string_append_c(s, '"');
}
