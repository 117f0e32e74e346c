/* test_oficios.c - the letters: none without a flagged OPL, one number each, dates in order, layout, wording. */
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "oficio_fixture.h"

typedef oficio_fixture fixture;

/* ---- no OPL flagged: no letter --------------------------------------------------------------- */

/* No letter written, none listed in the manifest's outputs; the skips it lists, with their reason. */
static void expect_no_letter(const fixture *f, bool per_opl_asked, const char *also_written)
{
    assert_false(exists(f, "oficio.pdf"));
    assert_false(exists(f, "oficio_opl"));
    assert_true(exists(f, "rechazos.csv"));
    JsonObject *root;
    JsonParser *p = manifest(f, &root);
    assert_false(listed(root, "salidas", "oficio-pdf"));
    assert_true(listed(root, "omitidos", "oficio-pdf"));
    assert_true(listed(root, "omitidos", "oficio-opl-pdf") == per_opl_asked);
    assert_true(!also_written || listed(root, "salidas", also_written));
    JsonObject *skip = json_array_get_object_element(json_object_get_array_member(root, "omitidos"), 0);
    expect(json_object_get_string_member(skip, "motivo"), "ningún OPL");
    assert_int_equal(json_object_get_int_member(root, "estado"), 0);
    g_object_unref(p);
}

static void test_no_flagged_opl_writes_no_letter(void **state)
{
    fixture *f = *state;
    /* Median 10, threshold max(5, 5) = 5: Colima, with exactly 5, is not below it. */
    char *err = run_ok(f, counts(10, 6, 5, 0), NULL, NULL, "oficio", true);
    expect(err, "no se escribió ningún oficio");
    expect(err, "12 de octubre de 2023");
    expect(err, "el mayor entre 5 acciones y 50% de la mediana nacional");
    expect(err, "es decir, 4 acciones o menos");
    g_free(err);
    expect_no_letter(f, true, NULL);
}

static void test_lote_records_the_skipped_exhorto_and_writes_the_rest(void **state)
{
    fixture *f = *state;
    char *err = run_ok(f, counts(10, 0), "informe, oficio, metricas", NULL, "lote", false);
    expect(err, "no se escribió ningún oficio");
    g_free(err);
    assert_true(exists(f, "informe.pdf"));
    assert_true(exists(f, "metricas.csv"));
    expect_no_letter(f, false, "informe-pdf"); /* oficio_opl was not asked for */
}

/* ---- wording follows the count --------------------------------------------------------------- */

static void test_one_flagged_opl_is_named_in_the_singular(void **state)
{
    fixture *f = *state;
    /* Puebla below the threshold (5); Colima exactly at it, never called low. One fixed numero,
     * only the general exhorto. */
    g_free(run_ok(f, counts(10, 21, 1, 6, 5, 0), NULL, NULL, "oficio", false));
    char *t = letter_text(f, "oficio.pdf");
    expect(t, "Oficio núm. INE/DEOE/1104/2023");
    expect(t, "se identifica 1 OPL con un número bajo de acciones de difusión");
    expect(t, "el Organismo Público Local IEE Puebla (Puebla) con 1 acción.");
    expect(t, "cuando registra menos acciones de difusión que el mayor entre 5 acciones y 50% de la mediana "
              "nacional de acciones de los OPL (10 acciones al corte); es decir, 4 acciones o menos");
    expect_not(t, "se identifican");
    expect_not(t, "algunos");
    expect_not(t, "Colima");
    expect_not(t, "IEE Colima");
    g_free(t);
}

static void test_several_flagged_opl_in_the_plural(void **state)
{
    fixture *f = *state;
    g_free(run_ok(f, counts(10, 4, 2, 21, 1, 29, 0, 0), NULL, NULL, "oficio", false));
    char *t = letter_text(f, "oficio.pdf");
    expect(t, "se identifican 3 OPL con un número bajo de acciones de difusión");
    expect(t, "los Organismos Públicos Locales IEEC (Campeche) con 2 acciones, IEE Puebla (Puebla) con 1 acción "
              "e ITE (Tlaxcala) con 0 acciones");
    expect_not(t, "se identifica 1");
    g_free(t);
}

/* ---- each letter its own number -------------------------------------------------------------- */

static const char *const flagged_letters[] = {"oficio.pdf", "oficio_opl/04_IEEC.pdf", "oficio_opl/21_IEE_Puebla.pdf",
                                              "oficio_opl/29_ITE.pdf"};

static void expect_numbers(const fixture *f, const char *const numbers[4])
{
    for (size_t i = 0; i < 4; i++) {
        char *t = letter_text(f, flagged_letters[i]);
        char *want = g_strdup_printf("Oficio núm. %s ", numbers[i]);
        if (!strstr(t, want))
            fail_msg("%s: «%s» not found in: %s", flagged_letters[i], want, t);
        for (size_t j = 0; j < 4; j++)
            if (j != i && strstr(t, numbers[j]))
                fail_msg("%s also carries %s", flagged_letters[i], numbers[j]);
        g_free(want);
        g_free(t);
    }
}

static void test_counter_numbers_each_letter_keeping_zero_padding(void **state)
{
    fixture *f = *state;
    const char *counter[] = {"numero=INE/DEOE/{n}/2023", "numero_inicial=0098", NULL};
    g_free(run_ok(f, counts(10, 4, 2, 21, 1, 29, 0, 0), NULL, counter, "oficio", true));
    expect_numbers(f, (const char *const[]){"INE/DEOE/0098/2023", "INE/DEOE/0099/2023", "INE/DEOE/0100/2023",
                                            "INE/DEOE/0101/2023"});
    /* The letter to Puebla states its own count in the singular and names no other OPL. */
    char *t = letter_text(f, "oficio_opl/21_IEE_Puebla.pdf");
    expect(t, "registra 1 acción de difusión");
    expect(t, "es decir, 4 acciones o menos");
    expect_not(t, "IEEC");
    expect_not(t, "Tlaxcala");
    g_free(t);
}

static void test_list_numbers_each_letter_in_order(void **state)
{
    fixture *f = *state;
    const char *list[] = {"numero=", "numeros=INE/DEOE/0150/2023, INE/DEOE/0163/2023, INE/DEOE/0170/2023, "
                                     "INE/DEOE/0171/2023, INE/DEOE/0172/2023",
                          NULL};
    g_free(run_ok(f, counts(10, 4, 2, 21, 1, 29, 0, 0), NULL, list, "oficio", true));
    expect_numbers(f, (const char *const[]){"INE/DEOE/0150/2023", "INE/DEOE/0163/2023", "INE/DEOE/0170/2023",
                                            "INE/DEOE/0171/2023"});
}

/* ---- configuration errors: 78, the keys named, nothing written ------------------------------- */

typedef struct bad_config {
    const char *overrides[4];
    const char *const said[3];
} bad_config;

static void expect_config_error(fixture *f, const bad_config *b)
{
    write_ini(f, NULL, b->overrides);
    result r = observa(f, "oficio", true);
    if (r.status != 78)
        fail_msg("%s: expected 78, got %d: %s", b->overrides[0], r.status, r.err);
    for (size_t i = 0; i < 3 && b->said[i]; i++)
        expect(r.err, b->said[i]);
    expect(r.err, f->ini); /* file:line */
    result_clear(&r);
    GHashTable *files = g_file_test(f->out, G_FILE_TEST_IS_DIR) ? snapshot_dir(f->out, FALSE) : NULL;
    if (files && g_hash_table_size(files) > 0)
        fail_msg("%s: %u files written", b->overrides[0], g_hash_table_size(files));
    if (files)
        g_hash_table_destroy(files);
    remove_tree(f->out);
}

static void test_bad_numbers_and_dates_exit_78_naming_the_keys(void **state)
{
    fixture *f = *state;
    outreach o = counts(10, 4, 2, 21, 1, 29, 0, 0); /* 4 letters with --por-opl */
    write_difusion(f, &o);
    const bad_config cases[] = {
        {{"numero=", "numeros=INE/DEOE/0150/2023, INE/DEOE/0151/2023", NULL}, {"[oficio] numeros", "4 oficios"}},
        {{"numero=", "numeros=INE/DEOE/0150/2023, INE/DEOE/0151/2023, ine/deoe/0150/2023, X, Y", NULL},
         {"[oficio] numeros", "INE/DEOE/0150/2023"}},
        {{"numero=INE/DEOE/1104/2023", NULL}, {"[oficio] numero", "4 oficios", "{n}"}},
        {{"numero=INE/DEOE/{n}/2023", NULL}, {"numero_inicial"}},
        {{"numero=INE/DEOE/{n}/2023", "numero_inicial=0995", "oficio_previo=INE/DEOE/0996/2023"},
         {"oficio_previo", "INE/DEOE/0996/2023"}},
        {{"fecha=2023-10-11", "sesion_fecha=2023-10-11", NULL},
         {"sesion_fecha", "2023-10-11", "12 de octubre de 2023"}},
        {{"fecha=2023-10-11", "sesion_fecha=2023-10-12", NULL},
         {"[oficio] fecha", "2023-10-11", "12 de octubre de 2023"}},
        {{"fecha=2023-10-20", "sesion_fecha=2023-10-27", NULL},
         {"[oficio] fecha", "sesion_fecha", "27 de octubre de 2023"}},
        {{"fecha=", NULL}, {"[oficio] fecha", "fecha de elaboración", "26 de octubre de 2023"}},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
        expect_config_error(f, &cases[i]);
}

/* Without [oficio] fecha the letter is dated the day it is made: never before its corte (no document
 * is made before its corte: a usage error, before any data is read). */
static void test_letter_made_before_its_corte_is_refused(void **state)
{
    fixture *f = *state;
    outreach o = counts(10, 21, 1, 0);
    write_difusion(f, &o);
    write_ini(f, NULL, (const char *const[]){"fecha=", "sesion_fecha=" CORTE, NULL});
    /* 2023-10-11 12:00 in Mexico City */
    result r = observa_env(f, "oficio", false, (const char *const[]){"SOURCE_DATE_EPOCH=1697047200", NULL});
    if (r.status != 64)
        fail_msg("expected 64, got %d: %s", r.status, r.err);
    expect(r.err, "posterior a la fecha de elaboración");
    expect(r.err, "11 de octubre de 2023");
    expect(r.err, "12 de octubre de 2023");
    result_clear(&r);
    assert_false(g_file_test(f->out, G_FILE_TEST_EXISTS));
}

static void test_dates_on_the_same_day_are_in_order(void **state)
{
    fixture *f = *state;
    const char *same_day[] = {"fecha=" CORTE, "sesion_fecha=" CORTE, NULL};
    g_free(run_ok(f, counts(10, 21, 1, 0), NULL, same_day, "oficio", false));
    char *t = letter_text(f, "oficio.pdf");
    expect(t, "Ciudad de México, 12 de octubre de 2023");
    g_free(t);
}

/* ---- layout: continuation pages, signature with its c.c.p. ----------------------------------- */

static void test_continuation_pages_carry_the_number_and_the_page(void **state)
{
    fixture *f = *state;
    /* 29 flagged: a long list and a long annex */
    g_free(run_ok(f, counts(0, 1, 10, 9, 10, 15, 10, 0), NULL, NULL, "oficio", false));
    char *pdf = out_path(f, "oficio.pdf");
    char **pages = pdf_pages(pdf);
    guint n = g_strv_length(pages);
    assert_true(n >= 2);
    expect(pages[0], "se identifican 29 OPL");
    for (guint i = 1; i < n; i++) {
        char *page = g_strdup_printf("Página %u de %u", i + 1, n);
        expect(pages[i], "Oficio núm. INE/DEOE/1104/2023");
        expect(pages[i], page);
        g_free(page);
    }
    g_strfreev(pages);
    g_free(pdf);
}

static int page_of(char **pages, const char *what)
{
    for (int i = 0; pages[i]; i++)
        if (strstr(pages[i], what))
            return i;
    return -1;
}

/* Longer and longer contact paragraphs push the signature across the bottom of page 1: at every
 * length, the signature, the signer, the c.c.p. and its last line share a page. */
static void test_ccp_stays_with_the_signature(void **state)
{
    fixture *f = *state;
    outreach o = counts(10, 21, 1, 0);
    write_difusion(f, &o);
    int moved = 0;
    for (int words = 0; words <= 150; words += 6) {
        GString *contacto = g_string_new("contacto=la persona titular de la Subdirección");
        for (int w = 0; w < words; w++)
            g_string_append(contacto, " y de la oficina");
        const char *over[] = {contacto->str, "contacto_cargo=Subdirección", "contacto_correo=a@ine.mx",
                              "ccp=Primera copia. Presente.; Segunda copia. Presente.; Tercera copia. Presente.;"
                              " Cuarta copia. Presente.",
                              NULL};
        write_ini(f, NULL, over);
        result r = observa(f, "oficio", false);
        assert_int_equal(r.status, 0);
        result_clear(&r);
        char *pdf = out_path(f, "oficio.pdf");
        char **pages = pdf_pages(pdf);
        int sig = page_of(pages, "EL DIRECTOR EJECUTIVO DE ORGANIZACIÓN ELECTORAL");
        int who = page_of(pages, "TITULAR DE LA DIRECCIÓN EJECUTIVA");
        int ccp = page_of(pages, "C.c.p.");
        int last = page_of(pages, "Cuarta copia. Presente.");
        if (sig < 0 || sig != who || sig != ccp || sig != last)
            fail_msg("%d words: signature on page %d, signer %d, c.c.p. %d, its last line %d", words, sig + 1,
                     who + 1, ccp + 1, last + 1);
        moved += sig > 0;
        g_strfreev(pages);
        g_free(pdf);
        g_string_free(contacto, TRUE);
        remove_tree(f->out);
    }
    assert_true(moved > 0); /* the signature did reach the bottom of page 1 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_no_flagged_opl_writes_no_letter, oficio_setup, oficio_teardown),
        cmocka_unit_test_setup_teardown(test_lote_records_the_skipped_exhorto_and_writes_the_rest, oficio_setup, oficio_teardown),
        cmocka_unit_test_setup_teardown(test_one_flagged_opl_is_named_in_the_singular, oficio_setup, oficio_teardown),
        cmocka_unit_test_setup_teardown(test_several_flagged_opl_in_the_plural, oficio_setup, oficio_teardown),
        cmocka_unit_test_setup_teardown(test_counter_numbers_each_letter_keeping_zero_padding, oficio_setup, oficio_teardown),
        cmocka_unit_test_setup_teardown(test_list_numbers_each_letter_in_order, oficio_setup, oficio_teardown),
        cmocka_unit_test_setup_teardown(test_bad_numbers_and_dates_exit_78_naming_the_keys, oficio_setup, oficio_teardown),
        cmocka_unit_test_setup_teardown(test_letter_made_before_its_corte_is_refused, oficio_setup, oficio_teardown),
        cmocka_unit_test_setup_teardown(test_dates_on_the_same_day_are_in_order, oficio_setup, oficio_teardown),
        cmocka_unit_test_setup_teardown(test_continuation_pages_carry_the_number_and_the_page, oficio_setup, oficio_teardown),
        cmocka_unit_test_setup_teardown(test_ccp_stays_with_the_signature, oficio_setup, oficio_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
