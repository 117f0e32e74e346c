/* test_libros.c - workbooks on the command line (issue 14): --hoja and [entrada] hoja, other formats and
 * hostile workbooks refused with exit 65 in bounded memory. */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli_run.h"
#include "scratch.h"

/* tests/fixtures/xlsx/<name> (g_free). */
static char *fixture(const char *name)
{
    return g_build_filename(g_getenv("OBS_TEST_SOURCE_ROOT"), "tests", "fixtures", "xlsx", name, NULL);
}

/* observa validar with this workbook as the difusion export (basico's solicitudes), extra args. */
static result validar(const basico_fixture *f, const char *difusion, const char *const *extra)
{
    char *dif = fixture(difusion), *out = basico_tmp(f, "validacion");
    const char *args[16] = {"validar", "-s", f->sol, "-d", dif, "-o", out, "--max-rechazadas", "100", "-q"};
    size_t n = 10;
    for (size_t i = 0; extra && extra[i] && n + 1 < G_N_ELEMENTS(args); i++)
        args[n++] = extra[i];
    args[n] = NULL;
    result r = observa_in(f->tmp, args, NULL);
    g_free(dif);
    g_free(out);
    return r;
}

/* The peak RSS of `observa validar -d difusion` in KiB, through a Python parent: the fork of this
 * process (under valgrind, say) would count in the child's own peak. */
static long validar_peak_kib(const basico_fixture *f, const char *difusion)
{
    char *dif = fixture(difusion), *out = basico_tmp(f, "validacion");
    const char *script = "import resource, subprocess, sys\n"
                         "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
                         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n";
    char *argv[] = {"/usr/bin/python3", "-c", (char *)script, (char *)observa_bin(), "validar", "-s", f->sol,
                    "-d", dif, "-o", out, "-q", NULL};
    result r = run(f->tmp, argv, NULL);
    assert_int_equal(r.status, 0);
    long kib = atol(r.out);
    result_clear(&r);
    g_free(dif);
    g_free(out);
    return kib;
}

/* Hostile workbooks: exit 65 with a clear message; never a crash, a hang, or memory beyond the
 * reader's bounds (under 100 MB even with ASan: a bomb is stopped at 200 times its size). */
static void test_hostile_workbooks_exit_65_in_bounded_memory(void **state)
{
    const basico_fixture *f = *state;
    static const struct {
        const char *name;
        const char *says;
    } cases[] = {
        {"no_es_zip.xlsx", "no es un libro .xlsx legible"},
        {"solo_zip.xlsx", "no es un libro .xlsx legible"},
        {"sin_libro.xlsx", "no tiene la parte del libro"},
        {"bomba.xlsx", "tamaño desmesurado"},
        {"profunda.xlsx", "anida sus elementos"},
        {"risas.xlsx", "DOCTYPE"},
        {"externa.xlsx", "DOCTYPE"},
        {"fila_enorme.xlsx", "última de Excel"},
        {"rels_rotas.xlsx", "no es XML bien formado"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        result r = validar(f, cases[i].name, NULL);
        expect_run(&r, 65, (const char *const[]){cases[i].name, cases[i].says, NULL});
        assert_null(strstr(r.err, "root:")); /* /etc/passwd never read */
        result_clear(&r);
        long kib = validar_peak_kib(f, cases[i].name);
        if (kib <= 0 || kib > 100 * 1024)
            fail_msg("%s took %ld KiB", cases[i].name, kib);
    }
}

/* Spreadsheets observa does not read say what they are and how to save them. */
static void test_other_spreadsheets_exit_65_with_what_to_do(void **state)
{
    const basico_fixture *f = *state;
    static const struct {
        const char *name;
        const char *says;
    } cases[] = {
        {"difusion.xls", "Excel 97-2003 (.xls)"},
        {"difusion.ods", "OpenDocument (.ods)"},
        {"cifrado.xlsx", "cifrado con contraseña"},
        {"binario.xlsx", ".xlsb"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        result r = validar(f, cases[i].name, NULL);
        expect_run(&r, 65, (const char *const[]){cases[i].says, "guárdelo como .xlsx o como", NULL});
        result_clear(&r);
    }
}

/* --hoja picks the sheet (after folding), as does [entrada] hoja, which --hoja replaces. */
static void test_hoja_option_and_configuration(void **state)
{
    const basico_fixture *f = *state;
    /* The first sheet of titulos.xlsx is notes: no header. */
    result r = validar(f, "titulos.xlsx", NULL);
    expect_run(&r, 65, (const char *const[]){"titulos.xlsx:Notas!1:1", NULL});
    result_clear(&r);
    r = validar(f, "titulos.xlsx", (const char *const[]){"--hoja", "DIFUSION", "-v", NULL});
    expect_run(&r, 0, (const char *const[]){"titulos.xlsx:Difusión!1:1: aviso: se omitieron 3 filas", NULL});
    result_clear(&r);
    r = validar(f, "titulos.xlsx", (const char *const[]){"--hoja", "Otra", NULL});
    expect_run(&r, 65, (const char *const[]){"no tiene una hoja «Otra»; sus hojas son: «Notas», «Difusión»", NULL});
    result_clear(&r);
    r = validar(f, "titulos.xlsx", (const char *const[]){"--hoja", " ", NULL});
    expect_run(&r, 64, (const char *const[]){"--hoja necesita el nombre de una hoja", NULL});
    result_clear(&r);
    /* The configuration's key, and --hoja over it. */
    char *ini = basico_tmp(f, "hoja.ini"), *dif = fixture("titulos.xlsx");
    char *text = g_strdup_printf("[entrada]\nsolicitudes = %s\ndifusion = %s\nhoja = Difusión\nmax_rechazadas = 100\n",
                                 f->sol, dif);
    write_file_text(ini, text);
    r = observa_in(f->tmp, (const char *const[]){"validar", "--config", ini, "-q", NULL}, NULL);
    expect_run(&r, 0, NULL);
    result_clear(&r);
    r = observa_in(f->tmp, (const char *const[]){"validar", "--config", ini, "--hoja", "Notas", "-q", NULL}, NULL);
    expect_run(&r, 65, (const char *const[]){"titulos.xlsx:Notas!1:1", NULL});
    result_clear(&r);
    g_free(text);
    g_free(dif);
    g_free(ini);
}

/* The manifest names a workbook's sheet (and no delimiter); the informe's note says it too. */
static void test_manifest_and_note_name_the_sheet(void **state)
{
    const basico_fixture *f = *state;
    char *sol = g_build_filename(g_getenv("OBS_TEST_SOURCE_ROOT"), "tests", "e2e", "cases", "openpyxl",
                                 "solicitudes.xlsx", NULL);
    char *out = basico_tmp(f, "informe-libro");
    result r = observa_in(f->tmp, (const char *const[]){"informe", "-s", sol, "-d", f->dif, "-c", "2023-10-12", "-o",
                                                         out, "--max-rechazadas", "100", "-f", "pdf", "-q", NULL},
                          NULL);
    expect_run(&r, 0, NULL);
    result_clear(&r);
    char *manifest = g_build_filename(out, "manifest.json", NULL);
    JsonParser *p = json_parser_new();
    assert_true(json_parser_load_from_file(p, manifest, NULL));
    JsonArray *inputs = json_object_get_array_member(json_node_get_object(json_parser_get_root(p)), "entradas");
    JsonObject *book = json_array_get_object_element(inputs, 0), *csv = json_array_get_object_element(inputs, 1);
    assert_string_equal(json_object_get_string_member(book, "hoja"), "Exportación");
    assert_false(json_object_has_member(book, "delimitador"));
    assert_string_equal(json_object_get_string_member(csv, "delimitador"), ",");
    assert_false(json_object_has_member(csv, "hoja"));
    g_object_unref(p);
    char *pdf = g_build_filename(out, "informe.pdf", NULL), *words = pdf_words(pdf);
    assert_non_null(strstr(words, "solicitudes.xlsx: 17 filas de datos, 6,807 bytes, libro .xlsx, hoja «Exportación»"));
    assert_non_null(strstr(words, "difusion.csv: 13 filas de datos, 804 bytes, codificación UTF-8"));
    g_free(words);
    g_free(pdf);
    g_free(manifest);
    g_free(out);
    g_free(sol);
}

/* A workbook of a few MB whose shared strings are millions of empty entries would hold gigabytes:
 * it is refused at a cap (65), in bounded memory. Made here (about 2 MB): basico's workbook with
 * 8.5M empty shared strings after an incompressible one, so that it passes the bomb ratio. */
static void test_too_many_shared_strings_are_refused(void **state)
{
    const basico_fixture *f = *state;
    char *src = fixture("tipos.xlsx"), *dst = basico_tmp(f, "cadenas.xlsx");
    const char *script =
        "import base64, os, sys, zipfile\n"
        "src = zipfile.ZipFile(sys.argv[1])\n"
        "with zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as z:\n"
        "    for n in src.namelist():\n"
        "        if n != 'xl/sharedStrings.xml':\n"
        "            z.writestr(n, src.read(n))\n"
        "    with z.open('xl/sharedStrings.xml', 'w', force_zip64=True) as out:\n"
        "        out.write(b'<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
        "2006/main\"><si><t>' + base64.b64encode(os.urandom(400000)) + b'</t></si>')\n"
        "        for _ in range(17):\n"
        "            out.write(b'<si/>' * 500000)\n"
        "        out.write(b'</sst>')\n";
    char *argv[] = {"/usr/bin/python3", "-c", (char *)script, src, dst, NULL};
    result r = run(f->tmp, argv, NULL);
    assert_int_equal(r.status, 0);
    result_clear(&r);
    const char *args[] = {"validar", "-s", f->sol, "-d", dst, "-o", "val", "-q", NULL};
    r = observa_in(f->tmp, args, NULL);
    expect_run(&r, 65, (const char *const[]){"textos distintos", NULL});
    result_clear(&r);
    g_free(src);
    g_free(dst);
}

/* In a workbook of the 1904 date system, a date written as a plain number (no date style) counts
 * from 1904-01-01 too: 43850 is 2024-01-21 there (2020-01-20 in the 1900 system). */
static void test_plain_serials_follow_the_workbooks_date_system(void **state)
{
    const basico_fixture *f = *state;
    char *dst = basico_tmp(f, "d1904.xlsx");
    const char *script = "import sys, openpyxl\n"
                         "from openpyxl.utils.datetime import CALENDAR_MAC_1904\n"
                         "wb = openpyxl.Workbook()\n"
                         "wb.epoch = CALENDAR_MAC_1904\n"
                         "ws = wb.active\n"
                         "ws.append(['id', 'entidad', 'instancia', 'fecha', 'tipo'])\n"
                         "ws.append(['D1', 15, 'opl', 43850, 'rs'])\n"
                         "wb.save(sys.argv[1])\n";
    char *argv[] = {"/usr/bin/python3", "-c", (char *)script, dst, NULL};
    result r = run(f->tmp, argv, NULL);
    assert_int_equal(r.status, 0);
    result_clear(&r);
    const char *args[] = {"validar", "-s", f->sol, "-d", dst, "-o", "val1904", "--max-rechazadas", "100", "-v", NULL};
    r = observa_in(f->tmp, args, NULL);
    expect_run(&r, 0, (const char *const[]){"= 2024-01-21", "1904 del libro", NULL});
    result_clear(&r);
    g_free(dst);
}

/* An export without its header: the line taken for it is a row of data, a person's name and CURP among its
 * values. The message says what is missing and shows none of them, for a CSV and for a workbook. */
static void test_an_export_without_header_shows_none_of_its_values(void **state)
{
    const basico_fixture *f = *state;
    char *csv = basico_tmp(f, "sin_encabezado.csv"), *xlsx = basico_tmp(f, "sin_encabezado.xlsx");
    const char *row = "OBS-9,15,2024-01-05,2024-01-05,individual,portal,mujer,30,María Fernanda Ríos Paz,RIPM940105MMCSZR07";
    write_file_text(csv, row);
    const char *script = "import sys, openpyxl\n"
                         "wb = openpyxl.Workbook()\n"
                         "wb.active.append(sys.argv[2].split(','))\n"
                         "wb.save(sys.argv[1])\n";
    char *argv[] = {"/usr/bin/python3", "-c", (char *)script, xlsx, (char *)row, NULL};
    result r = run(f->tmp, argv, NULL);
    assert_int_equal(r.status, 0);
    result_clear(&r);
    const char *const files[] = {csv, xlsx};
    const char *const says[] = {"ninguna de las primeras 11 líneas es un encabezado", "no tiene el encabezado del Sistema"};
    for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
        const char *args[] = {"validar", "-s", files[i], "-d", f->dif, "-o", "val", NULL};
        r = observa_in(f->tmp, args, NULL);
        expect_run(&r, 65, (const char *const[]){says[i], "folio, entidad, fecha_solicitud, tipo, medio",
                                                 "no se muestran", NULL});
        static const char *const personal[] = {"OBS-9", "María", "RIPM", NULL};
        char *ledger = basico_tmp(f, "val/rechazos.csv"), *text = NULL;
        g_file_get_contents(ledger, &text, NULL, NULL);
        for (const char *const *w = personal; *w; w++)
            if (strstr(r.err, *w) || strstr(r.out, *w) || (text && strstr(text, *w)))
                fail_msg("«%s» reached the messages or rechazos.csv: %s", *w, r.err);
        g_free(text);
        g_free(ledger);
        result_clear(&r);
    }
    g_free(csv);
    g_free(xlsx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_serials_follow_the_workbooks_date_system),
        cmocka_unit_test(test_an_export_without_header_shows_none_of_its_values),
        cmocka_unit_test(test_too_many_shared_strings_are_refused),
        cmocka_unit_test(test_hostile_workbooks_exit_65_in_bounded_memory),
        cmocka_unit_test(test_other_spreadsheets_exit_65_with_what_to_do),
        cmocka_unit_test(test_hoja_option_and_configuration),
        cmocka_unit_test(test_manifest_and_note_name_the_sheet),
    };
    return cmocka_run_group_tests(tests, basico_setup, basico_teardown);
}
