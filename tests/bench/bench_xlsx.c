/* bench_xlsx.c - the benchmark's workbooks: a CSV export written as .xlsx by libxlsxwriter, with typed cells.
 *
 * Usage: bench_xlsx ENTRADA.csv SALIDA.xlsx [--compartidas]
 * Whole numbers become number cells, ISO dates date cells (format dd/mm/yyyy), everything else text,
 * as a spreadsheet would type the export. By default in constant_memory mode (what libxlsxwriter
 * needs for a million rows in little memory), which writes text as inline strings; with
 * --compartidas text goes to the shared strings table, as Excel and LibreOffice save it (all the
 * cells are held in memory while writing: a few GB for a million rows).
 */
#include <csv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

typedef struct writer {
    lxw_worksheet *sheet;
    lxw_format *date;
    lxw_row_t row;
    lxw_col_t col;
} writer;

static bool whole_number(const char *s, size_t len)
{
    if (len == 0 || len > 15 || (s[0] == '0' && len > 1))
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static bool iso_date(const char *s, size_t len, lxw_datetime *dt)
{
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    *dt = (lxw_datetime){y, m, d, 0, 0, 0};
    return true;
}

static void on_field(void *data, size_t len, void *ud)
{
    writer *w = ud;
    char buf[1024];
    len = len < sizeof buf - 1 ? len : sizeof buf - 1;
    memcpy(buf, data, len);
    buf[len] = '\0';
    lxw_datetime dt;
    if (w->row > 0 && whole_number(buf, len))
        worksheet_write_number(w->sheet, w->row, w->col, strtod(buf, NULL), NULL);
    else if (w->row > 0 && iso_date(buf, len, &dt))
        worksheet_write_datetime(w->sheet, w->row, w->col, &dt, w->date);
    else if (len > 0)
        worksheet_write_string(w->sheet, w->row, w->col, buf, NULL);
    w->col++;
}

static void on_row(int c, void *ud)
{
    (void)c;
    writer *w = ud;
    w->row++;
    w->col = 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "uso: bench_xlsx ENTRADA.csv SALIDA.xlsx [--compartidas]\n");
        return 64;
    }
    bool shared = argc > 3 && strcmp(argv[3], "--compartidas") == 0;
    FILE *in = fopen(argv[1], "rb");
    if (!in) {
        perror(argv[1]);
        return 66;
    }
    lxw_workbook_options opts = {.constant_memory = shared ? LXW_FALSE : LXW_TRUE, .use_zip64 = LXW_TRUE};
    lxw_workbook *book = workbook_new_opt(argv[2], &opts);
    writer w = {.sheet = workbook_add_worksheet(book, "Exportación"), .date = workbook_add_format(book)};
    format_set_num_format(w.date, "dd/mm/yyyy");
    struct csv_parser p;
    csv_init(&p, CSV_APPEND_NULL);
    static char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        csv_parse(&p, buf, n, on_field, on_row, &w);
    csv_fini(&p, on_field, on_row, &w);
    csv_free(&p);
    fclose(in);
    lxw_error err = workbook_close(book);
    if (err != LXW_NO_ERROR) {
        fprintf(stderr, "bench_xlsx: %s\n", lxw_strerror(err));
        return 74;
    }
    return 0;
}
