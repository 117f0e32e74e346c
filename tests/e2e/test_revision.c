/* test_revision.c - what a demanding reader found in the documents of issue 12: the threshold read as a rule, no
 * comparison before any action, the signatory, a failed run's leftovers, wording that follows the count. */
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
#include "scratch.h"

/* The rule as every document states it, for a median of 11 (threshold 5.5: fewer than 6). */
#define RULE_11 "menos de 6 acciones de difusión, es decir, menos que el mayor entre 5 acciones y el 50% de la " \
                "mediana nacional de acciones de los OPL, que es de 11"

/* Fails unless the output rel (a workbook's XML, or a PDF's words) holds every string of has and
 * none of lacks (NULL-terminated, may be NULL). */
static void expect_file(const oficio_fixture *f, const char *rel, const char *const *has, const char *const *lacks)
{
    char *p = out_path(f, rel);
    char *t = g_str_has_suffix(rel, ".xlsx") ? xlsx_text(p) : pdf_words(p);
    for (size_t i = 0; has && has[i]; i++)
        expect(t, has[i]);
    for (size_t i = 0; lacks && lacks[i]; i++)
        expect_not(t, lacks[i]);
    g_free(t);
    g_free(p);
}

#define ALL(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ---- 1. the threshold reads as a rule, in whole actions, wherever it appears ---------------------- */

static void test_threshold_reads_as_a_rule_in_every_document(void **state)
{
    oficio_fixture *f = *state;
    /* Median 11, threshold max(5, 5.5) = 5.5: Puebla (1) and Tlaxcala (0) are flagged. */
    g_free(run_ok(f, counts(11, 21, 1, 29, 0, 0), "informe, opl", NULL, "lote", false));
    /* The chart's data: the threshold column holds the whole number its header gives. */
    expect_file(f, "informe.xlsx",
                ALL("Un OPL se señala cuando registra " RULE_11 ". Al corte: 2 OPL señalados.",
                    "Umbral: se señala con menos de 6", "<v>6</v>"),
                ALL("<v>5.5</v>", "umbral 5.5"));
    expect_file(f, "opl/21_IEE_Puebla.xlsx",
                ALL("Un OPL se señala cuando registra " RULE_11 ". Al corte: 2 OPL señalados."), NULL);
    /* The informe states the rule in the same words everywhere, the executive summary included. */
    expect_file(f, "informe.pdf", ALL("Un OPL se señala cuando registra " RULE_11 "."),
                ALL("mínimo de 5", "que el umbral"));
}

/* ---- 2. before any OPL action, no comparison: nobody flagged, no letter -------------------------- */

/* Sum of a metric's rows in metricas.csv (every entidad and the national row). */
static int64_t metric_sum(const oficio_fixture *f, const char *metric)
{
    char *p = out_path(f, "metricas.csv");
    char *text = read_file(p);
    char **lines = g_strsplit(text, "\n", -1);
    int64_t sum = 0;
    int rows = 0;
    for (char **l = lines; *l; l++) {
        char **cols = g_strsplit(*l, ",", 4);
        if (g_strv_length(cols) == 4 && strcmp(cols[2], metric) == 0) {
            sum += g_ascii_strtoll(cols[3], NULL, 10);
            rows++;
        }
        g_strfreev(cols);
    }
    assert_int_equal(rows, 33);
    g_strfreev(lines);
    g_free(text);
    g_free(p);
    return sum;
}

static void test_corte_before_any_action_flags_no_opl(void **state)
{
    oficio_fixture *f = *state;
    outreach o = counts(3, 0); /* every OPL has 3 actions, all registered on 2023-10-02 */
    write_difusion(f, &o);
    write_ini(f, "informe, opl, oficio, oficio_opl, metricas", NULL);
    const char *args[] = {"lote", "--config", f->ini, "-o", f->out, "-c", "2023-09-30", NULL};
    result r = observa_in(f->tmp, args, NULL);
    expect_run(&r, 0, (const char *const[]){"ningún OPL ha registrado acciones de difusión",
                                            "no se escribió ningún oficio", NULL});
    result_clear(&r);
    assert_false(exists(f, "oficio.pdf"));
    assert_false(exists(f, "oficio_opl"));
    assert_int_equal(metric_sum(f, "difusion.bajo"), 0);
    JsonObject *root;
    JsonParser *m = manifest(f, &root);
    assert_true(listed(root, "omitidos", "oficio-pdf"));
    assert_true(listed(root, "omitidos", "oficio-opl-pdf"));
    JsonObject *skip = json_array_get_object_element(json_object_get_array_member(root, "omitidos"), 0);
    expect(json_object_get_string_member(skip, "motivo"), "ningún OPL ha registrado acciones de difusión");
    g_object_unref(m);
    /* The informe (its executive summary first) and each summary say why nobody is flagged. */
    expect_file(f, "informe.pdf",
                ALL("Al 30 de septiembre de 2023 ningún OPL ha registrado acciones de difusión en el Sistema, así "
                    "que no se señala a ninguno: el seguimiento de la regla empieza cuando se registran acciones."),
                ALL("todos registran al menos", "Se identifican 32 OPL"));
    expect_file(f, "opl/15_IEEM.pdf", ALL("ningún OPL del país ha registrado acciones de difusión"),
                ALL("igual o superior al umbral", "por debajo del umbral"));
    expect_file(f, "informe.xlsx",
                ALL("Al corte: ningún OPL ha registrado acciones de difusión, así que no se señala a ninguno"),
                ALL("Umbral: se señala"));
}

/* ---- 3. no letter without its signatory ---------------------------------------------------------- */

/* firmante empty or absent is a configuration error (78) that names the key and the file (its
 * line when it is written), before any data is read: nothing is written. */
static void test_letter_needs_its_signatory(void **state)
{
    oficio_fixture *f = *state;
    outreach o = counts(10, 21, 1, 0);
    write_difusion(f, &o);
    const struct {
        const char *override;
        const char *said;
    } cases[] = {
        {"firmante=", "para el oficio faltan en la sección [oficio] de la configuración: firmante"},
        {"firmante= \t", "«firmante» en [oficio] no tiene valor"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        /* "firmante=" leaves the key out; "firmante= \t" writes it with blanks only. */
        write_ini(f, NULL, (const char *const[]){cases[i].override, NULL});
        result r = observa(f, "oficio", true);
        expect_run(&r, 78, (const char *const[]){cases[i].said, f->ini, NULL});
        result_clear(&r);
        assert_false(g_file_test(f->out, G_FILE_TEST_EXISTS));
    }
}

/* ---- 4. a run that fails after reading leaves nothing, and points to no file it did not publish ------ */

/* Configuration errors that only the count of flagged OPLs reveals, so they stop the run after the
 * data is read: the letters' numbers. The run names the key and its line; it says nothing of a
 * rechazos.csv it never published; the folder it made is gone, lock included; in a folder that was
 * there, it leaves no subfolder. A successful run then says where the problems are. */
static void test_failure_after_reading_leaves_no_trace(void **state)
{
    oficio_fixture *f = *state;
    outreach o = counts(10, 4, 2, 21, 1, 29, 0, 0); /* 4 letters with --por-opl */
    write_difusion(f, &o);
    const char *const cases[][4] = {
        /* the third letter would carry the previous letter's number */
        {"numero=INE/DEOE/{n}/2023", "numero_inicial=0994", "oficio_previo=INE/DEOE/0996/2023", NULL},
        {"numero=", "numeros=INE/DEOE/0150/2023, INE/DEOE/0151/2023", NULL},
        {"numero=INE/DEOE/1104/2023", NULL},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        write_ini(f, "informe, opl, oficio, oficio_opl, metricas", cases[i]);
        for (int existed = 0; existed <= 1; existed++) {
            if (existed)
                assert_int_equal(g_mkdir(f->out, 0755), 0);
            result r = observa(f, "lote", false);
            expect_run(&r, 78, (const char *const[]){f->ini, "[oficio] numero", NULL});
            expect_not(r.err, "rechazos.csv");
            result_clear(&r);
            if (!existed) {
                assert_false(g_file_test(f->out, G_FILE_TEST_EXISTS));
                continue;
            }
            GHashTable *left = snapshot_dir(f->out, TRUE);
            assert_int_equal(g_hash_table_size(left), 1);
            assert_true(g_hash_table_contains(left, ".observa.lock"));
            assert_false(exists(f, "opl"));
            g_hash_table_destroy(left);
            remove_tree(f->out);
        }
    }
    char *err = run_ok(f, o, "informe, metricas", NULL, "lote", false);
    expect(err, "problemas más; el detalle completo está en");
    g_free(err);
}

/* ---- 7. wording follows the count ----------------------------------------------------------------- */

/* One flagged OPL: the exhorto asks to remind that OPL, not "los OPL"; several: those OPL. */
static void test_exhorto_reminds_the_flagged_opl_in_its_number(void **state)
{
    oficio_fixture *f = *state;
    g_free(run_ok(f, counts(10, 21, 1, 0), NULL, NULL, "oficio", false));
    expect_file(f, "oficio.pdf", ALL("se recuerde al Organismo Público Local señalado la relevancia"),
                ALL("a los OPL", "Organismos Públicos Locales señalados"));
    g_free(run_ok(f, counts(10, 21, 1, 29, 0, 0), NULL, NULL, "oficio", false));
    expect_file(f, "oficio.pdf", ALL("se recuerde a los Organismos Públicos Locales señalados la relevancia"), NULL);
}

typedef struct says_case {
    const char *sol;     /* the solicitudes export */
    const char *dif;     /* the difusion export */
    const char *command; /* validar or informe */
    int status;
    const char *said[3];
} says_case;

/* The CLI's counts agree with their nouns and carry thousands separators. */
static void test_cli_counts_agree_with_their_words(void **state)
{
    oficio_fixture *f = *state;
    GString *many = g_string_new("id,entidad,instancia,fecha,tipo\nD0,09,opl,2023-10-01,rs\n");
    for (int i = 1; i <= 1100; i++)
        g_string_append_printf(many, "D%d,99,opl,2023-10-01,rs\n", i);
    const char *one_sol = "folio,entidad,fecha_solicitud,tipo,medio\nF1,09,2023-10-01,individual,portal\n";
    const says_case cases[] = {
        {one_sol, "id,entidad,instancia,fecha,tipo\nD1,09,opl,2023-10-01,rs\n", "validar", 0,
         {"1 fila leída = 1 aceptada + 0 rechazadas; aceptadas = 1 en el corte + 0 posteriores al corte"}},
        {one_sol, "id,entidad,instancia,fecha,tipo\nD1,99,opl,2023-10-01,rs\n", "informe", 65,
         {"su única fila fue rechazada (100%)", "1 fila leída = 0 aceptadas + 1 rechazada"}},
        {one_sol, "id,entidad,instancia,fecha,tipo\nD1,99,opl,2023-10-01,rs\nD2,98,opl,2023-10-01,rs\n", "informe", 65,
         {"sus 2 filas fueron rechazadas (100%)"}},
        {one_sol, "id,entidad,instancia,fecha,tipo\nD1\nD2,09,opl,2023-10-01,rs\n", "validar", 0,
         {"la fila tiene 1 campo y el encabezado 5"}},
        {one_sol, many->str, "validar", 0, {"1,101 filas leídas = 1 aceptada + 1,100 rechazadas", "problemas más"}},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *sol = scratch_write(f->tmp, "sol.csv", cases[i].sol);
        write_file_text(f->dif, cases[i].dif);
        const char *args[] = {cases[i].command, "-s", sol, "-d", f->dif, "-c", CORTE, "-o", f->out,
                              "--max-rechazadas", "100", NULL};
        result r = observa_in(f->tmp, args, NULL);
        expect_run(&r, cases[i].status, cases[i].said);
        /* every count of 1,000 or more is written with its separator */
        GRegex *bare = g_regex_new("[^0-9,.:/-][0-9]{4,} ", 0, 0, NULL);
        if (g_regex_match(bare, r.err, 0, NULL))
            fail_msg("a count without thousands separator: %s", r.err);
        g_regex_unref(bare);
        if (i + 1 == G_N_ELEMENTS(cases))
            expect(r.err, "observa: 1,090 problemas más; el detalle completo está en");
        result_clear(&r);
        remove_tree(f->out);
        g_free(sol);
    }
    g_string_free(many, TRUE);
}

/* ---- 8. smaller ones ------------------------------------------------------------------------------- */

/* The per-OPL workbook says on its first sheet whether its OPL is flagged. */
static void test_opl_workbook_says_whether_flagged(void **state)
{
    oficio_fixture *f = *state;
    g_free(run_ok(f, counts(10, 21, 1, 0), "opl", NULL, "lote", false));
    expect_file(f, "opl/21_IEE_Puebla.xlsx",
                ALL("Señalado por bajo número de acciones de difusión",
                    "Sí: el IEE Puebla registra 1 acción de difusión, menos de 5 acciones"),
                NULL);
    expect_file(f, "opl/15_IEEM.xlsx",
                ALL("No: el IEEM registra 10 acciones de difusión; se señala a un OPL con menos de 5 acciones"),
                ALL("Puebla"));
}

/* A letter to an OPL: its validation note, like the general one's; a total row that is what its
 * columns say; the contact once, whether or not its cargo is a part of it. */
static void test_opl_letter_has_validation_total_and_contact_once(void **state)
{
    oficio_fixture *f = *state;
    /* Two letters (the exhorto and Puebla's), each with its number. */
    const char *const cases[][8] = {
        {"numero=INE/DEOE/{n}/2023", "numero_inicial=0100", "valida=Titular de la Dirección de Operación Regional",
         "valida_cargo=Director de Operación Regional",
         "contacto=la persona titular de la Subdirección de Circunscripción Plurinominal",
         "contacto_cargo=Subdirección de Circunscripción Plurinominal", "contacto_correo=a@ine.mx", NULL},
        {"numero=INE/DEOE/{n}/2023", "numero_inicial=0100", "valida=Titular de la Dirección de Operación Regional",
         "contacto=el Lic. Luis Pérez", "contacto_cargo=Subdirector de Circunscripción Plurinominal", NULL},
    };
    const char *contact[] = {"con la persona titular de la Subdirección de Circunscripción Plurinominal, al correo "
                             "electrónico a@ine.mx.",
                             "con el Lic. Luis Pérez, Subdirector de Circunscripción Plurinominal. Sin otro"};
    const char *valida[] = {"información: Titular de la Dirección de Operación Regional, Director de Operación "
                            "Regional.",
                            "información: Titular de la Dirección de Operación Regional. C.c.p."};
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_free(run_ok(f, counts(10, 21, 1, 0), NULL, cases[i], "oficio", true));
        const char *letters[] = {"oficio_opl/21_IEE_Puebla.pdf", "oficio.pdf"};
        for (size_t k = 0; k < G_N_ELEMENTS(letters); k++)
            expect_file(f, letters[k],
                        ALL("Firma como responsable de la validación y revisión de la", valida[i], contact[i]),
                        ALL("Plurinominal, Subdirección", ", ,"));
        expect_file(f, "oficio_opl/21_IEE_Puebla.pdf", ALL("Instancia En Puebla Nacional", "Total 1 311"),
                    ALL("Total en la entidad"));
        remove_tree(f->out);
    }
}

/* observa demo refused over another command's set advises its own -o, not --reemplazar (which it
 * does not take); an option's value that is another option is a usage error naming the option. */
static void test_usage_advice_fits_the_command(void **state)
{
    oficio_fixture *f = *state;
    g_free(run_ok(f, counts(10, 0), "informe", NULL, "lote", false));
    const char *demo[] = {"demo", "-o", f->out, "-q", NULL};
    result r = observa_in(f->tmp, demo, NULL);
    expect_run(&r, 73, (const char *const[]){"observa demo sólo sustituye una demostración anterior",
                                             "«observa demo -o CARPETA»", NULL});
    expect_not(r.err, "--reemplazar");
    result_clear(&r);
    const char *const usage[][6] = {
        {"informe", "-c", "-o", "z", NULL},
        {"informe", "--corte", "--salida", "z", NULL},
        {"lote", "--config", f->ini, "-o", "-q", NULL},
    };
    const char *said[] = {"falta el valor de la opción «-c»: lo que sigue, «-o», es otra opción",
                          "falta el valor de la opción «--corte»: lo que sigue, «--salida», es otra opción",
                          "falta el valor de la opción «-o»: lo que sigue, «-q», es otra opción"};
    for (size_t i = 0; i < G_N_ELEMENTS(usage); i++) {
        r = observa_in(f->tmp, (const char *const *)usage[i], NULL);
        expect_run(&r, 64, (const char *const[]){said[i], NULL});
        expect_not(r.err, "argumento inesperado");
        result_clear(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_threshold_reads_as_a_rule_in_every_document, oficio_setup,
                                        oficio_teardown),
        cmocka_unit_test_setup_teardown(test_corte_before_any_action_flags_no_opl, oficio_setup, oficio_teardown),
        cmocka_unit_test_setup_teardown(test_letter_needs_its_signatory, oficio_setup, oficio_teardown),
        cmocka_unit_test_setup_teardown(test_failure_after_reading_leaves_no_trace, oficio_setup, oficio_teardown),
        cmocka_unit_test_setup_teardown(test_exhorto_reminds_the_flagged_opl_in_its_number, oficio_setup,
                                        oficio_teardown),
        cmocka_unit_test_setup_teardown(test_cli_counts_agree_with_their_words, oficio_setup, oficio_teardown),
        cmocka_unit_test_setup_teardown(test_opl_workbook_says_whether_flagged, oficio_setup, oficio_teardown),
        cmocka_unit_test_setup_teardown(test_opl_letter_has_validation_total_and_contact_once, oficio_setup,
                                        oficio_teardown),
        cmocka_unit_test_setup_teardown(test_usage_advice_fits_the_command, oficio_setup, oficio_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
