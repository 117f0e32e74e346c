/* bench.c - the benchmark of issue 6: the libcsv floor, validar and the full lote set, with RSS.
 *
 * Run by `meson test -C build --benchmark` (never by the normal test command). It generates
 * 1,000,000 solicitudes + 200,000 acciones (and 2,000,000 solicitudes for the memory slope)
 * with observa-synth into the build directory once, then measures, in one run:
 *   (a) a bare libcsv parse of both files with no-op callbacks (bench_parse): the floor,
 *   (b) observa validar, (c) the complete observa lote set, with 2 threads and with 1,
 *   (b) observa validar on the same rows as .xlsx workbooks (issue 14: bench_xlsx writes them once
 *       with libxlsxwriter in constant_memory mode, typed numbers and dates, inline strings),
 * reporting wall time, rows/s, MB/s and peak RSS (wait4's ru_maxrss), best of three runs.
 */
#define _DEFAULT_SOURCE /* wait4(2) */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct measure {
    double seconds;
    long rss_kb;
    int status;
} measure;

/* Runs argv with stdout/stderr discarded; wall time and the child's peak RSS. */
static measure run_once(char **argv)
{
    measure m = {0};
    fflush(stdout); /* or the child would print our buffered lines again */
    gint64 t0 = g_get_monotonic_time();
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            _exit(126);
        execv(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    wait4(pid, &status, 0, &ru);
    m.seconds = (double)(g_get_monotonic_time() - t0) / 1e6;
    m.rss_kb = ru.ru_maxrss;
    m.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    return m;
}

static measure best_of(char **argv, int runs)
{
    measure best = {1e30, 0, 0};
    for (int i = 0; i < runs; i++) {
        measure m = run_once(argv);
        if (m.status != 0) {
            fprintf(stderr, "bench: %s failed with status %d\n", argv[0], m.status);
            exit(1);
        }
        if (m.seconds < best.seconds)
            best = m;
    }
    return best;
}

static gint64 file_size(const char *path)
{
    GStatBuf st;
    return g_stat(path, &st) == 0 ? (gint64)st.st_size : 0;
}

/* Generates the data set once; a stamp file names its parameters. */
static void ensure_data(const char *synth, const char *dir, const char *nsol, const char *ndif)
{
    char *stamp = g_build_filename(dir, "hecho", NULL);
    if (g_file_test(stamp, G_FILE_TEST_EXISTS)) {
        g_free(stamp);
        return;
    }
    g_mkdir_with_parents(dir, 0755);
    fprintf(stderr, "bench: generando %s solicitudes y %s acciones en %s…\n", nsol, ndif, dir);
    char *argv[] = {(char *)synth, "--solicitudes", (char *)nsol, "--difusion", (char *)ndif,
                    "--semilla", "7", "-o", (char *)dir, NULL};
    if (run_once(argv).status != 0) {
        fprintf(stderr, "bench: observa-synth failed\n");
        exit(1);
    }
    g_file_set_contents(stamp, "", 0, NULL);
    g_free(stamp);
}

/* The 1M data set's exports as workbooks, written once. */
static void ensure_workbooks(const char *bench_xlsx, const char *dir)
{
    char *stamp = g_build_filename(dir, "hecho-xlsx", NULL);
    if (g_file_test(stamp, G_FILE_TEST_EXISTS)) {
        g_free(stamp);
        return;
    }
    static const char *const names[] = {"solicitudes", "difusion"};
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        fprintf(stderr, "bench: escribiendo %s.xlsx…\n", names[i]);
        char *csv = g_strdup_printf("%s/%s.csv", dir, names[i]), *xlsx = g_strdup_printf("%s/%s.xlsx", dir, names[i]);
        char *argv[] = {(char *)bench_xlsx, csv, xlsx, NULL};
        if (run_once(argv).status != 0) {
            fprintf(stderr, "bench: bench_xlsx failed\n");
            exit(1);
        }
        g_free(csv);
        g_free(xlsx);
    }
    g_file_set_contents(stamp, "", 0, NULL);
    g_free(stamp);
}

static void write_config(const char *dir)
{
    char *path = g_build_filename(dir, "lote.ini", NULL);
    const char *ini =
        "[entrada]\nsolicitudes = solicitudes.csv\ndifusion = difusion.csv\n"
        "[corte]\ncorte = 2024-05-08\ncorte_anterior = 2024-01-19\n"
        "[salida]\ndocumentos = informe, opl, oficio, oficio_opl, metricas\n"
        "[informe]\nfecha_generacion = 2024-05-09T10:00:00-06:00\n"
        "[oficio]\narea = Dirección Ejecutiva de Organización Electoral\nnumero = INE/DEOE/{n}/2024\nnumero_inicial = 0001\n"
        "destinatario = Titular de la UTVOPL\nfirmante = Titular de la DEOE\nfirmante_cargo = Director Ejecutivo\n"
        "comision = Comisión de Capacitación y Organización Electoral\nsesion_fecha = 2024-05-09\n"
        "sesion_tipo = extraordinaria\nopl_destinatario = Presidencia del Consejo General del\n";
    g_file_set_contents(path, ini, -1, NULL);
    g_free(path);
}

static void row(const char *name, measure m, gint64 rows, gint64 bytes)
{
    printf("| %-38s | %7.2f s | %10.0f | %7.1f | %8.1f MB |\n", name, m.seconds, (double)rows / m.seconds,
           (double)bytes / 1e6 / m.seconds, (double)m.rss_kb / 1024.0);
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "uso: bench OBSERVA OBSERVA-SYNTH BENCH-PARSE BENCH-XLSX DIR-DATOS\n");
        return 64;
    }
    const char *observa = argv[1], *synth = argv[2], *parse = argv[3], *bench_xlsx = argv[4], *root = argv[5];
    char *d1 = g_build_filename(root, "1M", NULL), *d2 = g_build_filename(root, "2M", NULL);
    ensure_data(synth, d1, "1000000", "200000");
    ensure_data(synth, d2, "2000000", "200000");
    ensure_workbooks(bench_xlsx, d1);
    write_config(d1);
    write_config(d2);
    const int runs = 3;
    printf("\n| medición (1,000,000 solicitudes + 200,000 acciones) | tiempo | filas/s | MB/s | RSS máx. |\n");
    printf("|---|---|---|---|---|\n");
    char *s1 = g_build_filename(d1, "solicitudes.csv", NULL), *f1 = g_build_filename(d1, "difusion.csv", NULL);
    gint64 bytes = file_size(s1) + file_size(f1), rows = 1200000;
    char *a_argv[] = {(char *)parse, s1, f1, NULL};
    measure a = best_of(a_argv, runs);
    row("(a) libcsv sin callbacks (piso)", a, rows, bytes);
    char *out1 = g_build_filename(d1, "salida-validar", NULL);
    char *b_argv[] = {(char *)observa, "validar", "-s", s1, "-d", f1, "-c", "2024-05-08", "-o", out1, "-q", NULL};
    measure b = best_of(b_argv, runs);
    row("(b) observa validar", b, rows, bytes);
    char *s1x = g_build_filename(d1, "solicitudes.xlsx", NULL), *f1x = g_build_filename(d1, "difusion.xlsx", NULL);
    char *outx = g_build_filename(d1, "salida-validar-xlsx", NULL);
    char *bx_argv[] = {(char *)observa, "validar", "-s", s1x, "-d", f1x, "-c", "2024-05-08", "-o", outx, "-q", NULL};
    measure bx = best_of(bx_argv, runs);
    row("(b) observa validar, los mismos datos en .xlsx", bx, rows, file_size(s1x) + file_size(f1x));
    char *ini1 = g_build_filename(d1, "lote.ini", NULL), *lote1 = g_build_filename(d1, "salida-lote", NULL);
    char *c_argv[] = {(char *)observa, "lote", "--config", ini1, "-o", lote1, "-q", "--hilos", "2", NULL};
    measure c = best_of(c_argv, runs);
    row("(c) observa lote, conjunto completo, 2 hilos", c, rows, bytes);
    char *c1_argv[] = {(char *)observa, "lote", "--config", ini1, "-o", lote1, "-q", "--hilos", "1", NULL};
    measure c1 = best_of(c1_argv, runs);
    row("(c) observa lote, conjunto completo, 1 hilo", c1, rows, bytes);

    char *s2 = g_build_filename(d2, "solicitudes.csv", NULL), *f2 = g_build_filename(d2, "difusion.csv", NULL);
    char *out2 = g_build_filename(d2, "salida-validar", NULL);
    char *ini2 = g_build_filename(d2, "lote.ini", NULL), *lote2 = g_build_filename(d2, "salida-lote", NULL);
    char *b2_argv[] = {(char *)observa, "validar", "-s", s2, "-d", f2, "-c", "2024-05-08", "-o", out2, "-q", NULL};
    char *c2_argv[] = {(char *)observa, "lote", "--config", ini2, "-o", lote2, "-q", "--hilos", "2", NULL};
    measure b2 = best_of(b2_argv, runs), c2 = best_of(c2_argv, runs);
    gint64 bytes2 = file_size(s2) + file_size(f2), rows2 = 2200000;
    row("(b) validar, 2,000,000 solicitudes", b2, rows2, bytes2);
    row("(c) lote, 2,000,000 solicitudes", c2, rows2, bytes2);

    double rb = a.seconds / b.seconds, rc = c.seconds / a.seconds, rt = c.seconds / c1.seconds;
    double slope = (double)(c2.rss_kb - c.rss_kb) / 1024.0;
    printf("\n| criterio | medido | meta | |\n|---|---|---|---|\n");
    printf("| rendimiento de (b) / rendimiento de (a) | %.0f%% | ≥ 60%% | %s |\n", rb * 100, rb >= 0.6 ? "cumple" : "NO cumple");
    printf("| tiempo de (c) / tiempo de (a) | %.2f× | ≤ 2× | %s |\n", rc, rc <= 2.0 ? "cumple" : "NO cumple");
    printf("| RSS máx. con 1M solicitudes | %.1f MB | ≤ 100 MB | %s |\n", (double)c.rss_kb / 1024.0,
           c.rss_kb <= 100 * 1024 ? "cumple" : "NO cumple");
    printf("| RSS de 1M a 2M solicitudes | +%.1f MB | ≤ +40 MB | %s |\n", slope, slope <= 40 ? "cumple" : "NO cumple");
    printf("| (c) con 2 hilos / con 1 hilo | %.2f | ≤ 0.7 | %s |\n", rt, rt <= 0.7 ? "cumple" : "NO cumple");
    double rx = b.seconds / bx.seconds;
    printf("| rendimiento de (b) .xlsx / rendimiento de (b) CSV | %.0f%% | ≥ 50%% | %s |\n", rx * 100,
           rx >= 0.5 ? "cumple" : "NO cumple");
    printf("\n%u núcleos; %s\n", g_get_num_processors(), g_get_host_name());
    g_free(s1);
    g_free(f1);
    g_free(s1x);
    g_free(f1x);
    g_free(outx);
    g_free(s2);
    g_free(f2);
    g_free(out1);
    g_free(out2);
    g_free(ini1);
    g_free(ini2);
    g_free(lote1);
    g_free(lote2);
    g_free(d1);
    g_free(d2);
    return 0;
}
