/* test_config.c - the INI configuration: values, relative paths and errors with file:line. */
#include <glib.h>
#include <glib/gstdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config/config_int.h"
#include "images.h"
#include "scratch.h"

/* text (len bytes, or up to its NUL when -1) as lote.ini in a new directory. */
static char *write_ini_bytes(const char *text, gssize len)
{
    char *dir = scratch_dir("config");
    char *path = g_build_filename(dir, "lote.ini", NULL);
    g_file_set_contents(path, text, len, NULL);
    g_free(dir);
    return path;
}

static char *write_ini(const char *text)
{
    return write_ini_bytes(text, -1);
}

static void remove_ini(char *path)
{
    scratch_remove(g_path_get_dirname(path));
    g_free(path);
}

static void test_config_reads_every_section(void **state)
{
    (void)state;
    char *path = write_ini("[entrada]\nsolicitudes = datos/s.csv\ndifusion = /abs/d.csv\n"
                           "codificacion = windows-1252\ndelimitador = ;\n"
                           "[corte]\ncorte = 2024-01-19\ncorte_anterior = 2023-10-12\n"
                           "[salida]\nformatos = pdf, csv\nestricto = true\n"
                           "[informe]\nlugar = Ciudad de México\npapel = a4\n"
                           "fecha_generacion = 2024-01-20T09:00:00-06:00\n"
                           "[difusion]\numbral_minimo = 3\nfraccion_mediana = 0.25\n");
    obs_config cfg;
    obs_config_init(&cfg);
    obs_error err;
    assert_int_equal(obs_config_load(&cfg, path, &err), OBS_OK);
    char *dir = g_path_get_dirname(path);
    char *want = g_build_filename(dir, "datos/s.csv", NULL);
    assert_int_equal(g_strv_length(cfg.solicitudes), 1);
    assert_string_equal(cfg.solicitudes[0], want); /* relative to the file's directory */
    assert_int_equal(g_strv_length(cfg.difusion), 1);
    assert_string_equal(cfg.difusion[0], "/abs/d.csv");
    assert_int_equal(cfg.codificacion, OBS_ENC_CP1252);
    assert_int_equal(cfg.delimitador, ';');
    assert_int_equal(cfg.corte, obs_day_parse_iso("2024-01-19"));
    assert_int_equal(cfg.corte_anterior, obs_day_parse_iso("2023-10-12"));
    assert_int_equal(cfg.formatos, OBS_FMT_PDF | OBS_FMT_CSV);
    assert_true(cfg.estricto);
    assert_string_equal(cfg.lugar, "Ciudad de México");
    assert_int_equal(cfg.papel, OBS_PAPER_A4);
    assert_int_equal(cfg.fecha_generacion, 1705762800);
    assert_int_equal(cfg.rule.umbral_minimo, 3);
    assert_true(cfg.rule.fraccion_mediana == 0.25);
    g_free(want);
    g_free(dir);
    obs_config_clear(&cfg);
    remove_ini(path);
}

/* [entrada] takes a comma-separated list, each path relative to the file's directory. */
static void test_config_input_lists(void **state)
{
    (void)state;
    char *path = write_ini("[entrada]\nsolicitudes = enero.csv , datos/febrero.csv,/abs/marzo\n"
                           "difusion = difusion\n");
    obs_config cfg;
    obs_config_init(&cfg);
    obs_error err;
    assert_int_equal(obs_config_load(&cfg, path, &err), OBS_OK);
    char *dir = g_path_get_dirname(path);
    char *want[] = {g_build_filename(dir, "enero.csv", NULL), g_build_filename(dir, "datos/febrero.csv", NULL),
                    g_strdup("/abs/marzo"), NULL};
    assert_int_equal(g_strv_length(cfg.solicitudes), 3);
    for (int i = 0; i < 3; i++) {
        assert_string_equal(cfg.solicitudes[i], want[i]);
        g_free(want[i]);
    }
    assert_int_equal(g_strv_length(cfg.difusion), 1);
    char *dif = g_build_filename(dir, "difusion", NULL);
    assert_string_equal(cfg.difusion[0], dif);
    g_free(dif);
    g_free(dir);
    remove_ini(path);
    /* An empty value is an error (comment the line out instead); so is an empty item, with its line. */
    path = write_ini("[entrada]\nsolicitudes =\n");
    assert_int_equal(obs_config_load(&cfg, path, &err), OBS_ERR_CONFIG);
    assert_int_equal(err.line, 2);
    remove_ini(path);
    path = write_ini("[entrada]\ndifusion = a.csv\nsolicitudes = a.csv,,b.csv\n");
    assert_int_equal(obs_config_load(&cfg, path, &err), OBS_ERR_CONFIG);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "separados por comas"));
    obs_config_clear(&cfg);
    remove_ini(path);
}

static void test_config_unknown_key_names_file_and_line(void **state)
{
    (void)state;
    char *path = write_ini("# comentario\n[corte]\ncorte = 2024-01-19\n\ncorte_posterior = 2024-02-01\n");
    obs_config cfg;
    obs_config_init(&cfg);
    obs_error err;
    assert_int_equal(obs_config_load(&cfg, path, &err), OBS_ERR_CONFIG);
    assert_int_equal(err.line, 5);
    assert_string_equal(err.path, path);
    assert_non_null(strstr(err.message, "corte_posterior"));
    obs_config_clear(&cfg);
    remove_ini(path);
}

static void test_config_bad_values_are_errors(void **state)
{
    (void)state;
    const char *bad[] = {"[corte]\ncorte = 19/01/2024\n", "[salida]\nformatos = pdf,docx\n",
                         "[difusion]\nfraccion_mediana = 1.5\n", "[difusion]\numbral_minimo = -1\n",
                         "[informe]\npapel = oficio\n", "[otra]\nx = 1\n", "[corte\n",
                         /* found by fuzz_config: a time before 1970 collided with "unset" */
                         "[informe]\nfecha_generacion = 1068-10-26T10:00:00-06:00\n"};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        char *path = write_ini(bad[i]);
        obs_config cfg;
        obs_config_init(&cfg);
        obs_error err;
        if (obs_config_load(&cfg, path, &err) != OBS_ERR_CONFIG)
            fail_msg("accepted: %s", bad[i]);
        obs_config_clear(&cfg);
        remove_ini(path);
    }
    obs_config cfg;
    obs_config_init(&cfg);
    obs_error err;
    assert_int_equal(obs_config_load(&cfg, "/nonexistent/lote.ini", &err), OBS_ERR_NOINPUT);
    obs_config_clear(&cfg);
}

/* Loads text as a configuration; returns the status and leaves err filled. */
static obs_status load_text(const char *text, gssize len, obs_config *cfg, obs_error *err)
{
    char *path = write_ini_bytes(text, len);
    obs_config_init(cfg);
    obs_status st = obs_config_load(cfg, path, err);
    remove_ini(path);
    return st;
}

/* Notepad: a BOM, CRLF line ends and ';' comments (Windows style); the same keys as ever. */
static void test_config_saved_by_notepad_loads(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBF; Configuración de prueba\r\n[corte]\r\ncorte = 2024-01-19\r\n"
                       "  ; un comentario con sangría\r\n# y otro\r\n[informe]\r\nlugar = Ciudad de México\r\n"
                       "[oficio]\r\nccp = A. Presente.; B. Presente.\r\n";
    obs_config cfg;
    obs_error err = {0};
    if (load_text(text, -1, &cfg, &err) != OBS_OK)
        fail_msg("refused: %s (line %u)", err.message, (unsigned)err.line);
    assert_int_equal(cfg.corte, obs_day_parse_iso("2024-01-19"));
    assert_string_equal(cfg.lugar, "Ciudad de México");
    /* A ';' inside a value is text (the c.c.p. list uses it), not a comment. */
    assert_string_equal(g_hash_table_lookup(cfg.oficio, "ccp"), "A. Presente.; B. Presente.");
    obs_config_clear(&cfg);
    /* Notepad's "ANSI": Windows-1252 ("México" with é = 0xE9). */
    assert_int_equal(load_text("[informe]\nlugar = Ciudad de M\xE9xico\n", -1, &cfg, &err), OBS_OK);
    assert_string_equal(cfg.lugar, "Ciudad de México");
    obs_config_clear(&cfg);
}

typedef struct defect {
    const char *text;
    uint64_t line;       /* the line the message must name */
    const char *says;    /* a fragment of the message */
} defect;

/* Every kind of defect is a configuration error (78) that names its line. */
static void test_config_defects_name_their_line(void **state)
{
    (void)state;
    static const defect cases[] = {
        {"[corte]\ncorte = 2024-01-19\n\ncorte = 2024-02-01\n", 4, "se repite en [corte] (ya está en la línea 2)"},
        {"[oficio]\nnumero = A\n[corte]\ncorte = 2024-01-19\n[oficio]\nnumero = B\n", 6, "se repite en [oficio]"},
        {"# antes de toda sección\ncorte = 2024-01-19\n[corte]\n", 2, "fuera de toda sección"},
        {"\n[otra]\n", 2, "sección desconocida [otra]"},
        {"[corte]\ncorte_posterior = 2024-02-01\n", 2, "clave desconocida «corte_posterior»"},
        {"[oficio]\nnumero_oficio = 1\n", 2, "clave desconocida «numero_oficio» en [oficio]"},
        {"[salida]\ndirectorio =\n", 2, "«directorio» en [salida] no tiene valor"},
        {"[entrada]\nmax_rechazadas = \n", 2, "no tiene valor"},
        {"[corte]\n\ncorte=\n", 3, "no tiene valor"},
        {"[oficio]\nccp =\nnumero =\n", 3, "«numero» en [oficio] no tiene valor"},
        {"[oficio]\nsesion_fecha =   \n", 2, "no tiene valor"},
        /* A letter never goes out without its signatory, nor its addressee. */
        {"[oficio]\nfirmante_cargo = El Director\nfirmante =\n", 3, "«firmante» en [oficio] no tiene valor"},
        {"[oficio]\n\nfirmante = \t \n", 3, "«firmante» en [oficio] no tiene valor"},
        {"[oficio]\ndestinatario =\n", 2, "«destinatario» en [oficio] no tiene valor"},
        {"[corte]\nesto no es una clave\n", 2, "línea no válida"},
        {"[corte]\n= 2024-01-19\n", 2, "falta el nombre de la clave"},
        {"[corte\ncorte = 2024-01-19\n", 1, "sección mal escrita"},
        {"[]\n", 1, "sección mal escrita"},
        {"[entrada]\nmax_rechazadas = 101\n", 2, "porcentaje entre 0 y 100"},
        {"[entrada]\nmax_rechazadas = cinco\n", 2, "porcentaje"},
        {"[entrada]\nmax_rechazadas = 2.555\n", 2, "hasta dos decimales"},
        {"[salida]\nhilos = 0x10\n", 2, "en decimal"},
        {"[difusion]\numbral_minimo = -3\n", 2, "en decimal"},
        {"[salida]\ndirectorio = salida/{fecha}\n", 2, "{corte}"},
        {"[corte]\ncorte = 2024-01-19\ncorte_anterior = 2024-01-19\n", 3, "anterior a corte (línea 2)"},
        {"[informe]\n\nlogo = no-existe.png\n", 3, "no existe el archivo"},
        {"[informe]\nlogo = /dev/zero\n", 2, "no es un archivo regular"},
        {"[informe]\nlogo = /\n", 2, "no es un archivo regular"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        obs_config cfg;
        obs_error err = {0};
        obs_status st = load_text(cases[i].text, -1, &cfg, &err);
        if (st != OBS_ERR_CONFIG || err.line != cases[i].line || !strstr(err.message, cases[i].says))
            fail_msg("«%s»: status %d, line %u, «%s»", cases[i].text, st, (unsigned)err.line, err.message);
        obs_config_clear(&cfg);
    }
    /* UTF-16 (Notepad's "Unicode") and NUL bytes: not text, said in Spanish. */
    const struct {
        const char *bytes;
        gssize len;
        uint64_t line;
    } binary[] = {{"\xFF\xFE[\0c\0o\0r\0t\0e\0]\0", 16, 1}, {"[corte]\ncorte = 2024\0-01-19\n", 27, 2}};
    for (size_t i = 0; i < G_N_ELEMENTS(binary); i++) {
        obs_config cfg;
        obs_error err = {0};
        assert_int_equal(load_text(binary[i].bytes, binary[i].len, &cfg, &err), OBS_ERR_CONFIG);
        assert_int_equal(err.line, binary[i].line);
        assert_non_null(strstr(err.message, "UTF-16"));
        obs_config_clear(&cfg);
    }
}

/* An image file: its signature, then zeros up to size bytes (sparse). */
static char *write_image(const char *dir, const char *name, const char *sig, size_t siglen, goffset size)
{
    char *path = g_build_filename(dir, name, NULL);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(sig, 1, siglen, f);
    if (size > (goffset)siglen) {
        assert_int_equal(fseeko(f, size - 1, SEEK_SET), 0);
        fputc(0, f);
    }
    fclose(f);
    return path;
}

/* The logo is checked when the configuration loads: never after the data was processed. */
static void test_config_checks_the_logo_at_load(void **state)
{
    (void)state;
    char *dir = scratch_dir("logo");
    char *png = write_image(dir, "logo.png", (const char *)LOGO_PNG, LOGO_PNG_SIZE, 0);
    char *jpg = write_image(dir, "logo.jpg", (const char *)LOGO_JPEG, LOGO_JPEG_SIZE, 0);
    char *fake = write_image(dir, "falso.png", "GIF89a", 6, 100);
    char *big = write_image(dir, "grande.png", "\x89PNG\r\n\x1a\n", 8, OBS_LOGO_MAX_BYTES + 1);
    /* A PNG's signature over a damaged body: refused at its line, never after the data (issue 12). */
    char *damaged = write_image(dir, "danado.png", (const char *)LOGO_PNG, 60, LOGO_PNG_SIZE);
    char *cut_jpeg = write_image(dir, "cortado.jpg", (const char *)LOGO_JPEG, 100, 0);
    const char *ok[] = {png, jpg};
    for (size_t i = 0; i < G_N_ELEMENTS(ok); i++) {
        char *text = g_strdup_printf("[informe]\nlogo = %s\n", ok[i]);
        obs_config cfg;
        obs_error err = {0};
        if (load_text(text, -1, &cfg, &err) != OBS_OK)
            fail_msg("%s refused: %s", ok[i], err.message);
        assert_string_equal(cfg.logo, ok[i]);
        obs_config_clear(&cfg);
        g_free(text);
    }
    const struct {
        const char *path, *says;
    } bad[] = {{fake, "no es una imagen PNG ni JPEG"},
               {big, "más que el máximo de 5 MB"},
               {damaged, "no es un PNG válido"},
               {cut_jpeg, "no es un JPEG válido"}};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        char *text = g_strdup_printf("[informe]\nproceso = X\nlogo = %s\n", bad[i].path);
        obs_config cfg;
        obs_error err = {0};
        assert_int_equal(load_text(text, -1, &cfg, &err), OBS_ERR_CONFIG);
        assert_int_equal(err.line, 3);
        if (!strstr(err.message, bad[i].says))
            fail_msg("%s: «%s»", bad[i].path, err.message);
        obs_config_clear(&cfg);
        g_free(text);
    }
    g_free(png);
    g_free(jpg);
    g_free(fake);
    g_free(big);
    g_free(damaged);
    g_free(cut_jpeg);
    scratch_remove(dir);
}

/* A configuration that is not a file is refused before anything is read: /dev/zero never ends. */
static void test_config_file_must_be_a_small_regular_file(void **state)
{
    (void)state;
    const struct {
        const char *path;
        obs_status st;
        const char *says;
    } cases[] = {
        {"/dev/zero", OBS_ERR_CONFIG, "no es un archivo regular"},
        {"/", OBS_ERR_CONFIG, "es un directorio"},
        {"/no-existe/lote.ini", OBS_ERR_NOINPUT, "no existe el archivo o el directorio"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        obs_config cfg;
        obs_config_init(&cfg);
        obs_error err = {0};
        assert_int_equal(obs_config_load(&cfg, cases[i].path, &err), cases[i].st);
        if (!strstr(err.message, cases[i].says))
            fail_msg("%s: «%s»", cases[i].path, err.message);
        obs_config_clear(&cfg);
    }
    GString *big = g_string_new("[informe]\n");
    while (big->len <= OBS_CONFIG_MAX_BYTES)
        g_string_append(big, "# relleno relleno relleno relleno relleno relleno relleno relleno\n");
    obs_config cfg;
    obs_error err = {0};
    assert_int_equal(load_text(big->str, (gssize)big->len, &cfg, &err), OBS_ERR_CONFIG);
    assert_non_null(strstr(err.message, "bytes"));
    obs_config_clear(&cfg);
    g_string_free(big, TRUE);
}

static void test_config_new_keys_and_decimal_numbers(void **state)
{
    (void)state;
    obs_config cfg;
    obs_error err = {0};
    assert_int_equal(load_text("[corte]\ncorte = 2024-01-19\n", -1, &cfg, &err), OBS_OK);
    assert_int_equal(cfg.max_rechazadas, 500); /* the default: 5% */
    obs_config_clear(&cfg);
    assert_int_equal(load_text("[entrada]\nmax_rechazadas = 2.5\n[salida]\ndirectorio = /srv/{corte}/x\nhilos = 010\n"
                               "[difusion]\numbral_minimo = 010\n",
                               -1, &cfg, &err),
                     OBS_OK);
    assert_int_equal(cfg.max_rechazadas, 250);
    assert_string_equal(cfg.salida, "/srv/{corte}/x");
    assert_int_equal(cfg.hilos, 10); /* decimal, never octal */
    assert_int_equal(cfg.rule.umbral_minimo, 10);
    obs_config_clear(&cfg);
    const struct {
        const char *s;
        int want; /* -1: refused */
    } pct[] = {{"5", 500}, {"0", 0}, {"100", 10000}, {"2.5", 250}, {"0.25", 25}, {"5%", 500}, {"07", 700},
               {"100.01", -1}, {"-1", -1}, {"1e2", -1}, {" 5", -1}, {"", -1}, {"5.", 500}, {".5", -1}, {"5,5", -1}};
    for (size_t i = 0; i < G_N_ELEMENTS(pct); i++) {
        int got = -1;
        bool ok = obs_config_parse_porcentaje(pct[i].s, &got);
        if (ok != (pct[i].want >= 0) || (ok && got != pct[i].want))
            fail_msg("porcentaje «%s»: %d %d", pct[i].s, ok, got);
    }
    const struct {
        const char *s;
        int64_t want; /* -1: refused (range 1..32) */
    } ent[] = {{"15", 15}, {"010", 10}, {"09", 9}, {"32", 32}, {"0", -1}, {"33", -1}, {"0x0f", -1},
               {"-1", -1},  {"+5", -1},  {" 5", -1}, {"5 ", -1}, {"", -1}, {"99999999999999999999", -1}};
    for (size_t i = 0; i < G_N_ELEMENTS(ent); i++) {
        int64_t got = -1;
        bool ok = obs_config_parse_entero(ent[i].s, 1, 32, &got);
        if (ok != (ent[i].want >= 0) || (ok && got != ent[i].want))
            fail_msg("entero «%s»: %d %" G_GINT64_FORMAT, ent[i].s, ok, got);
    }
}

/* The value parsers of config_int.h, table-driven: what each accepts, and that it refuses the rest. */
static void test_config_value_parsers(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool ok;
        int64_t unix_time;
    } fechas[] = {
        {"2024-01-19T10:00:00-06:00", true, 1705680000},
        {"2024-01-19T10:00:00", true, 1705680000}, /* no offset: UTC-6 */
        {"2024-01-19T16:00:00Z", true, 1705680000},
        {"2024-01-19", true, 1705687200}, /* a date alone: noon in Mexico City */
        {"19/01/2024", false, 0},
        {"", false, 0},
        {"2024-02-30", false, 0},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(fechas); i++) {
        int64_t t = -1;
        bool ok = obs_config_parse_fecha_hora(fechas[i].text, &t);
        if (ok != fechas[i].ok || (ok && t != fechas[i].unix_time))
            fail_msg("«%s»: %d, %" G_GINT64_FORMAT, fechas[i].text, ok, t);
    }
    obs_paper paper;
    assert_true(obs_config_parse_papel("carta", &paper) && paper == OBS_PAPER_LETTER);
    assert_true(obs_config_parse_papel("A4", &paper) && paper == OBS_PAPER_A4);
    assert_false(obs_config_parse_papel("oficio", &paper));
    unsigned docs = 0;
    assert_true(obs_config_parse_documentos("informe, oficio_opl", &docs));
    assert_int_equal(docs, OBS_DOC_INFORME | OBS_DOC_OFICIO_OPL);
    assert_false(obs_config_parse_documentos("informe, memorandum", &docs));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_reads_every_section),
        cmocka_unit_test(test_config_input_lists),
        cmocka_unit_test(test_config_unknown_key_names_file_and_line),
        cmocka_unit_test(test_config_bad_values_are_errors),
        cmocka_unit_test(test_config_saved_by_notepad_loads),
        cmocka_unit_test(test_config_defects_name_their_line),
        cmocka_unit_test(test_config_checks_the_logo_at_load),
        cmocka_unit_test(test_config_file_must_be_a_small_regular_file),
        cmocka_unit_test(test_config_new_keys_and_decimal_numbers),
        cmocka_unit_test(test_config_value_parsers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
