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

/* The rule as every document states it, for a median of 11 (threshold 5.5: fewer than 6). */
#define RULE_11 "menos de 6 acciones de difusión, es decir, menos que el mayor entre 5 acciones y el 50% de la " \
                "mediana nacional de acciones de los OPL, que es de 11"

static char *xlsx_of(const oficio_fixture *f, const char *rel)
{
    char *p = out_path(f, rel);
    char *t = xlsx_text(p);
    g_free(p);
    return t;
}

/* ---- 1. the threshold reads as a rule, in whole actions, wherever it appears ---------------------- */

static void test_threshold_reads_as_a_rule_in_every_document(void **state)
{
    oficio_fixture *f = *state;
    /* Median 11, threshold max(5, 5.5) = 5.5: Puebla (1) and Tlaxcala (0) are flagged. */
    g_free(run_ok(f, counts(11, 21, 1, 29, 0, 0), "informe, opl", NULL, "lote", false));
    char *about = xlsx_of(f, "informe.xlsx");
    expect(about, "Un OPL se señala cuando registra " RULE_11 ". Al corte: 2 OPL señalados.");
    /* The chart's data: the threshold column holds the whole number its header gives. */
    expect(about, "Umbral: se señala con menos de 6");
    expect(about, "<v>6</v>");
    expect_not(about, "<v>5.5</v>");
    expect_not(about, "umbral 5.5");
    g_free(about);
    char *opl = xlsx_of(f, "opl/21_IEE_Puebla.xlsx");
    expect(opl, "Un OPL se señala cuando registra " RULE_11 ". Al corte: 2 OPL señalados.");
    g_free(opl);
    /* The informe states the rule in the same words everywhere, the executive summary included. */
    char *pdf = letter_text(f, "informe.pdf");
    expect(pdf, "Un OPL se señala cuando registra " RULE_11 ".");
    expect_not(pdf, "mínimo de 5");
    expect_not(pdf, "que el umbral");
    g_free(pdf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_threshold_reads_as_a_rule_in_every_document, oficio_setup,
                                        oficio_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
