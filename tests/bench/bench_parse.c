/* bench_parse.c - the floor of this design: libcsv parsing the exports with no-op callbacks. */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void on_field(void *s, size_t len, void *ud)
{
    (void)s;
    (void)len;
    ++*(size_t *)ud;
}

static void on_row(int c, void *ud)
{
    (void)c;
    ++((size_t *)ud)[1];
}

int main(int argc, char **argv)
{
    static char buf[256 * 1024];
    size_t counts[2] = {0, 0};
    for (int i = 1; i < argc; i++) {
        struct csv_parser p;
        csv_init(&p, CSV_STRICT | CSV_STRICT_FINI);
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            perror(argv[i]);
            return 66;
        }
        ssize_t n;
        while ((n = read(fd, buf, sizeof buf)) > 0)
            if (csv_parse(&p, buf, (size_t)n, on_field, on_row, counts) != (size_t)n)
                csv_free(&p), csv_init(&p, CSV_STRICT | CSV_STRICT_FINI);
        csv_fini(&p, on_field, on_row, counts);
        csv_free(&p);
        close(fd);
    }
    printf("%zu campos, %zu filas\n", counts[0], counts[1]);
    return 0;
}
