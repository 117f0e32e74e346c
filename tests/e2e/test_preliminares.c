/* test_preliminares.c - the informe's apparatus end to end: template and catalogue errors (78, file:line, nothing written) and the front pages. */
#include <glib.h>
#include <glib/gstdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli_run.h"
#include "scratch.h"

/* A scratch copy of templates/ in tmp/plantillas. */
static char *copy_templates(const char *tmp)
{
    char *to = g_build_filename(tmp, "plantillas", NULL);
    char *src = g_build_filename(g_getenv("OBS_TEST_SOURCE_ROOT"), "templates", NULL);
    char *argv[] = {"cp", "-R", src, to, NULL};
    result r = run(tmp, argv, NULL);
    assert_int_equal(r.status, 0);
    result_clear(&r);
    g_free(src);
    return to;
}

/* Replaces the first `from` by `to` in a file. */
static void edit(const char *path, const char *from, const char *to)
{
    char *text = read_file(path);
    char *at = strstr(text, from);
    assert_non_null(at);
    *at = '\0';
    char *edited = g_strconcat(text, to, at + strlen(from), NULL);
    assert_true(g_file_set_contents(path, edited, -1, NULL));
    g_free(edited);
    g_free(text);
}

/* Line number (1-based) of the first line of a file that contains s. */
static int line_of(const char *path, const char *s)
{
    char *text = read_file(path);
    char **lines = g_strsplit(text, "\n", -1);
    int n = 0;
    for (int i = 0; lines[i] && !n; i++)
        if (strstr(lines[i], s))
            n = i + 1;
    g_strfreev(lines);
    g_free(text);
    return n;
}

static result informe(const char *tmp, const char *plantillas, const char *out)
{
    char *dir = case_dir("basico");
    char *s = g_build_filename(dir, "solicitudes.csv", NULL), *d = g_build_filename(dir, "difusion.csv", NULL);
    char *argv[] = {(char *)observa_bin(), "informe", "-s", s, "-d", d, "-c", "2023-10-12", "-a", "2023-10-05",
                    "-t", (char *)plantillas, "-o", (char *)out, "--max-rechazadas", "100", "-q", NULL};
    result r = run(tmp, argv, NULL);
    g_free(s);
    g_free(d);
    g_free(dir);
    return r;
}

static void test_unknown_citation_is_error_78_with_file_and_line(void **state)
{
    (void)state;
    char *tmp = scratch_dir("portada");
    char *tpl_dir = copy_templates(tmp);
    char *tpl = g_build_filename(tpl_dir, "informe.tpl", NULL);
    edit(tpl, "{{tabla:estado_entidad}}", "{{tabla:estado}}");
    char *out = g_build_filename(tmp, "salida", NULL);
    result r = informe(tmp, tpl_dir, out);
    assert_int_equal(r.status, 78);
    char *where = g_strdup_printf("informe.tpl:%d: {{tabla:estado}}: ninguna @tabla tiene id=estado", line_of(tpl, "{{tabla:estado}}"));
    if (!strstr(r.err, where))
        fail_msg("stderr lacks «%s»: %s", where, r.err);
    assert_false(g_file_test(out, G_FILE_TEST_EXISTS)); /* nothing written */
    result_clear(&r);
    g_free(where);
    g_free(out);
    g_free(tpl);
    g_free(tpl_dir);
    remove_tree(tmp);
    g_free(tmp);
}

static void test_bad_map_catalogue_is_error_78_with_file_and_line(void **state)
{
    (void)state;
    char *tmp = scratch_dir("portada");
    char *tpl_dir = copy_templates(tmp);
    char *mapa = g_build_filename(tpl_dir, "catalogos", "mapa.csv", NULL);
    edit(mapa, "\n31,4,9\n", "\n31,4,10\n"); /* Quintana Roo's square is 5,10: this is free, so … */
    edit(mapa, "\n23,5,10\n", "\n23,4,10\n"); /* … Quintana Roo now takes Yucatán's */
    char *out = g_build_filename(tmp, "salida", NULL);
    result r = informe(tmp, tpl_dir, out);
    assert_int_equal(r.status, 78);
    char *where = g_strdup_printf("mapa.csv:%d: la fila 4, columna 10 ya es de la clave 23",
                                  line_of(mapa, "31,4,10"));
    if (!strstr(r.err, where))
        fail_msg("stderr lacks «%s»: %s", where, r.err);
    assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
    result_clear(&r);
    g_free(where);
    g_free(out);
    g_free(mapa);
    g_free(tpl_dir);
    remove_tree(tmp);
    g_free(tmp);
}

/* The informe opens with the cover, the executive summary and the contents, in that order. */
static void test_informe_opens_with_summary_then_contents(void **state)
{
    (void)state;
    char *tmp = scratch_dir("portada");
    char *tpl_dir = g_build_filename(g_getenv("OBS_TEST_SOURCE_ROOT"), "templates", NULL);
    char *out = g_build_filename(tmp, "salida", NULL);
    result r = informe(tmp, tpl_dir, out);
    assert_int_equal(r.status, 0);
    result_clear(&r);
    char *pdf = g_build_filename(out, "informe.pdf", NULL);
    char *words = pdf_words(pdf);
    const char *order[] = {"Con corte al 12 de octubre de 2023", "Resumen ejecutivo", "Solicitudes de acreditación recibidas",
                           "OPL con bajo número de acciones de difusión: 32", "Contenido", "Siglas y acrónimos . .",
                           "Tablas", "Tabla 1. Cifras principales . .", "Gráficas", "Mapas", "CCOE Comisión de Capacitación",
                           "Presentación La Dirección Ejecutiva"};
    const char *at = words;
    for (size_t i = 0; i < G_N_ELEMENTS(order); i++) {
        const char *next = strstr(at, order[i]);
        if (!next)
            fail_msg("«%s» missing or out of order", order[i]);
        at = next + strlen(order[i]);
    }
    g_free(words);
    g_free(pdf);
    g_free(out);
    g_free(tpl_dir);
    remove_tree(tmp);
    g_free(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_citation_is_error_78_with_file_and_line),
        cmocka_unit_test(test_bad_map_catalogue_is_error_78_with_file_and_line),
        cmocka_unit_test(test_informe_opens_with_summary_then_contents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
