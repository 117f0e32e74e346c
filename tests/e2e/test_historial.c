/* test_historial.c - the history through the CLI: three cortes followed up, publications, listing and export,
 * where runs are recorded, refusals, a read-only or full history, kill -9 and concurrent runs, and the
 * acceptance on the sample data. */
#include <glib.h>
#include <glib/gstdio.h>
#include <setjmp.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli_run.h"
#include "observa/history.h"
#include "scratch.h"

typedef struct fixture {
    char *tmp;
    char *hist; /* tmp/h.sqlite */
} fixture;

static int setup(void **state)
{
    fixture *f = g_new0(fixture, 1);
    f->tmp = scratch_dir("historial");
    f->hist = g_build_filename(f->tmp, "h.sqlite", NULL);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    g_free(f->hist);
    scratch_remove(f->tmp);
    g_free(f);
    return 0;
}

/* tests/e2e/historial/<name> (g_free). */
static char *fixture_file(const char *name)
{
    return g_build_filename(g_getenv("OBS_TEST_SOURCE_ROOT"), "tests", "e2e", "historial", name, NULL);
}

/* The configuration of a corte of the case (README.md): its exports, rule and letters; the letters
 * are numbered from `first` and dated two days after the corte. Returns its path (g_free). */
static char *write_ini(const fixture *f, const char *corte, const char *solicitudes, const char *first)
{
    char *sol = fixture_file(solicitudes), *dif = fixture_file("difusion.csv");
    char fecha[16];
    obs_day_iso(obs_day_parse_iso(corte) + 2, fecha, sizeof fecha);
    char *text = g_strdup_printf("[entrada]\nsolicitudes = %s\ndifusion = %s\n[corte]\ncorte = %s\n"
                                 "[salida]\ndirectorio = salida/{corte}\n"
                                 "documentos = informe, opl, oficio, oficio_opl, metricas\n"
                                 "[informe]\nfecha_generacion = %sT10:00:00-06:00\n"
                                 "[difusion]\numbral_minimo = 1\nfraccion_mediana = 0\n"
                                 "[oficio]\narea = Dirección Ejecutiva de Organización Electoral\n"
                                 "numero = INE/DEOE/{n}/2024\nnumero_inicial = %s\nfecha = %s\n"
                                 "destinatario = Titular de la Unidad Técnica de Vinculación\n"
                                 "opl_destinatario = Presidencia del Consejo General del\n"
                                 "firmante = Titular de la Dirección Ejecutiva\n"
                                 "firmante_cargo = El Director Ejecutivo de Organización Electoral\n"
                                 "comision = Comisión de Capacitación y Organización Electoral\n"
                                 "sesion_fecha = %s\nsesion_tipo = ordinaria\noficio_previo = INE/DEOE/0050/2023\n",
                                 sol, dif, corte, fecha, first, fecha, fecha);
    char *name = g_strdup_printf("%s.ini", corte);
    char *path = g_build_filename(f->tmp, name, NULL);
    write_file_text(path, text);
    g_free(name);
    g_free(text);
    g_free(sol);
    g_free(dif);
    return path;
}

/* observa lote on a corte of the case, in tmp (its set in tmp/salida/CORTE), recorded in f->hist. */
static result lote_at(const fixture *f, const char *corte, const char *solicitudes, const char *first,
                      const char *const *extra)
{
    char *ini = write_ini(f, corte, solicitudes, first);
    GPtrArray *args = g_ptr_array_new();
    const char *base[] = {"lote", "--config", ini, "-q"};
    for (size_t i = 0; i < G_N_ELEMENTS(base); i++)
        g_ptr_array_add(args, (char *)base[i]);
    bool own = true;
    for (size_t i = 0; extra && extra[i]; i++) {
        own &= strcmp(extra[i], "--sin-historial") != 0 && strcmp(extra[i], "--historial") != 0;
        g_ptr_array_add(args, (char *)extra[i]);
    }
    if (own) {
        g_ptr_array_add(args, "--historial");
        g_ptr_array_add(args, f->hist);
    }
    g_ptr_array_add(args, NULL);
    result r = observa_in(f->tmp, (const char *const *)args->pdata, NULL);
    g_ptr_array_free(args, TRUE);
    g_free(ini);
    return r;
}

/* observa historial ARGS… --historial f->hist. */
static result historial(const fixture *f, const char *const *args)
{
    GPtrArray *a = g_ptr_array_new();
    g_ptr_array_add(a, "historial");
    for (size_t i = 0; args[i]; i++)
        g_ptr_array_add(a, (char *)args[i]);
    g_ptr_array_add(a, "--historial");
    g_ptr_array_add(a, f->hist);
    g_ptr_array_add(a, NULL);
    result r = observa_in(f->tmp, (const char *const *)a->pdata, NULL);
    g_ptr_array_free(a, TRUE);
    return r;
}

static void must(result r, int status, const char *const *says)
{
    expect_run(&r, status, says);
    result_clear(&r);
}

/* pdftotext -layout, runs of spaces and line breaks collapsed: a table's row reads as one line. */
static char *layout_words(const char *pdf)
{
    char *argv[] = {"pdftotext", "-layout", (char *)pdf, "-", NULL};
    result t = run("/", argv, NULL);
    if (t.status != 0)
        fail_msg("pdftotext %s: %s", pdf, t.err);
    GString *o = g_string_new(NULL);
    for (const char *s = t.out; *s; s++) {
        char ch = (*s == '\n' || *s == '\f') ? '|' : *s;
        if (ch != ' ' || (o->len && o->str[o->len - 1] != ' ' && o->str[o->len - 1] != '|'))
            g_string_append_c(o, ch);
    }
    result_clear(&t);
    g_string_replace(o, " |", "|", 0);
    return g_string_free(o, FALSE);
}

/* Fails unless text holds every string of says. */
static void holds(const char *what, const char *text, const char *const *says)
{
    for (size_t i = 0; says[i]; i++)
        if (!strstr(text, says[i]))
            fail_msg("%s lacks «%s»", what, says[i]);
}

/* The PDF file of the set of corte `corte` (g_free). */
static char *set_file(const fixture *f, const char *corte, const char *rel)
{
    return g_build_filename(f->tmp, "salida", corte, rel, NULL);
}

static void pdf_holds(const fixture *f, const char *corte, const char *rel, bool layout, const char *const *says)
{
    char *path = set_file(f, corte, rel);
    char *text = layout ? layout_words(path) : pdf_words(path);
    holds(rel, text, says);
    g_free(text);
    g_free(path);
}

/* How many runs a history file holds (0 when there is no file). */
static int64_t runs_in(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    if (!g_file_test(path, G_FILE_TEST_EXISTS))
        return 0;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM corrida", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* ---- Three cortes ------------------------------------------------------------------------------- */

/* C1 and C2 published, C3 a draft on the corrected export (README.md). */
static void three_cortes(const fixture *f)
{
    must(lote_at(f, "2024-01-10", "solicitudes.csv", "0101", NULL), 0, NULL);
    must(historial(f, (const char *[]){"publicar", "1", NULL}), 0, (const char *[]){"quedó publicada", NULL});
    must(lote_at(f, "2024-02-10", "solicitudes.csv", "0201", NULL), 0, NULL);
    must(historial(f, (const char *[]){"publicar", "--corte", "2024-02-10", NULL}), 0,
         (const char *[]){"corrida 2", NULL});
    must(lote_at(f, "2024-03-10", "solicitudes-corregida.csv", "0301", NULL), 0, NULL);
}

static void test_three_cortes_letters_follow_the_previous_ones(void **state)
{
    fixture *f = *state;
    three_cortes(f);
    pdf_holds(f, "2024-02-10", "oficio_opl/02_IEEBC.pdf", false,
              (const char *[]){"En seguimiento al oficio INE/DEOE/0103/2024, del 12 de enero de 2024",
                               "con corte al 10 de enero de 2024, registraba 0 acciones, nuevamente le solicito", NULL});
    pdf_holds(f, "2024-02-10", "oficio.pdf", false, (const char *[]){"en seguimiento al oficio INE/DEOE/0101/2024", NULL});
    pdf_holds(f, "2024-01-10", "oficio.pdf", false, (const char *[]){"en seguimiento al oficio INE/DEOE/0050/2023", NULL});
    /* C2's informe: C1's published figures recomputed with C2's export are the same. */
    pdf_holds(f, "2024-02-10", "informe.pdf", false,
              (const char *[]){"Las cifras publicadas con corte al 10 de enero de 2024 no cambian", NULL});
    /* No OPL flagged at C3: no letter. */
    char *none = set_file(f, "2024-03-10", "oficio.pdf");
    assert_false(g_file_test(none, G_FILE_TEST_EXISTS));
    g_free(none);
}

/* reports.md §4: a number is used once. A configuration run again at a later corte with the same counter (a
 * cron job) would give the new letters the numbers of letters already sent, and cite one as its own
 * predecessor: refused (78) before anything is written. The same corte run again keeps its numbers. */
static void test_a_number_the_history_gave_is_not_given_again(void **state)
{
    fixture *f = *state;
    must(lote_at(f, "2024-01-10", "solicitudes.csv", "0101", NULL), 0, NULL);
    /* A corte not yet presented sent no letter: its drafts' numbers are not taken. */
    must(lote_at(f, "2024-02-10", "solicitudes.csv", "0102", NULL), 0, NULL);
    char *draft = g_build_filename(f->tmp, "salida", "2024-02-10", NULL);
    remove_tree(draft);
    g_free(draft);
    must(historial(f, (const char *[]){"publicar", "--corte", "2024-01-10", NULL}), 0, NULL);
    /* Once presented, its letters' numbers are (those of any of its runs). */
    must(lote_at(f, "2024-02-10", "solicitudes.csv", "0102", NULL), 78,
         (const char *[]){"llevaría el número INE/DEOE/0102/2024, que ya lleva un oficio de la corrida 1 del historial "
                          "(corte al 10 de enero de 2024)",
                          "cambie [oficio] numero_inicial", NULL});
    char *set = g_build_filename(f->tmp, "salida", "2024-02-10", NULL);
    assert_false(g_file_test(set, G_FILE_TEST_EXISTS));
    g_free(set);
    assert_int_equal(runs_in(f->hist), 2);
    /* The presented corte run again keeps its numbers (in another folder: its own holds the published set). */
    must(lote_at(f, "2024-01-10", "solicitudes.csv", "0101", (const char *[]){"-o", "rehecho", NULL}), 0, NULL);
    must(lote_at(f, "2024-02-10", "solicitudes.csv", "0201", NULL), 0, NULL);
    pdf_holds(f, "2024-02-10", "oficio.pdf", false,
              (const char *[]){"INE/DEOE/0201/2024", "en seguimiento al oficio INE/DEOE/0101/2024", NULL});
}

/* Two cortes' drafts may share numbers while neither is presented (runs made at once do too: each checks when
 * it starts); once one is published, the other cannot be. */
static void test_a_draft_sharing_a_published_number_is_not_published(void **state)
{
    fixture *f = *state;
    must(lote_at(f, "2024-01-10", "solicitudes.csv", "0101", NULL), 0, NULL);
    must(lote_at(f, "2024-02-10", "solicitudes.csv", "0101", NULL), 0, NULL);
    must(historial(f, (const char *[]){"publicar", "--corte", "2024-01-10", NULL}), 0, NULL);
    must(historial(f, (const char *[]){"publicar", "--corte", "2024-02-10", NULL}), 64,
         (const char *[]){"la corrida 2 no se puede publicar: uno de sus oficios lleva el número INE/DEOE/0101/2024, "
                          "que ya lleva un oficio de la corrida 1 (corte al 2024-01-10)",
                          NULL});
    result r = historial(f, (const char *[]){"mostrar", "2", NULL});
    expect_run(&r, 0, NULL);
    assert_non_null(strstr(r.out, "borrador"));
    result_clear(&r);
}

static void test_three_cortes_informe_follows_up(void **state)
{
    fixture *f = *state;
    three_cortes(f);
    pdf_holds(f, "2024-03-10", "informe.pdf", true,
              (const char *[]){"Seguimiento entre cortes|", "|10/01/2024 4 1 30 2|", "|10/02/2024 5 2 32 1|",
                               "|10/03/2024 6 4 33 0|", "10/01/2024 INE/DEOE/0102/2024 12/01/2024 0 2 +2 No|",
                               "|10/01/2024 IEEBC (Baja California) INE/DEOE/0103/2024 12/01/2024 0 1 +1 No|",
                               "|10/02/2024 IEEBC (Baja California) INE/DEOE/0202/2024 12/02/2024 0 1 +1 No|",
                               "|10/01/2024 Nacional Aprobadas 1 2 +1|", "|10/01/2024 Nacional Improcedentes 1 0 -1|",
                               "|10/01/2024 Nacional Aprobadas por un consejo local 1 2 +1|",
                               "|10/01/2024 Aguascalientes Aprobadas 1 2 +1|", "|10/02/2024 Nacional Aprobadas 2 3 +1|",
                               "|10/02/2024 Aguascalientes Improcedentes 1 0 -1|", NULL});
    char *xlsx = set_file(f, "2024-03-10", "informe.xlsx");
    char *text = xlsx_text(xlsx);
    holds("informe.xlsx", text, (const char *[]){"Cortes", "Exhortos", "Revisiones", "INE/DEOE/0202/2024", NULL});
    g_free(text);
    g_free(xlsx);
    /* An OPL's summary: its own trajectory and exhortos, no other OPL's; still two pages. */
    pdf_holds(f, "2024-03-10", "opl/02_IEEBC.pdf", true,
              (const char *[]){"|10/01/2024 0 1 0 Sí INE/DEOE/0103/2024 del 12/01/2024|",
                               "|10/02/2024 0 1 0 Sí INE/DEOE/0202/2024 del 12/02/2024|", "|10/03/2024 1 1 0 No –|",
                               "Página 2 de 2", NULL});
    char *own = set_file(f, "2024-03-10", "opl/02_IEEBC.pdf");
    char *words = pdf_words(own);
    assert_null(strstr(words, "INE/DEOE/0102/2024"));
    assert_null(strstr(words, "Aguascalientes"));
    g_free(words);
    g_free(own);
}

/* reports.md §3: an OPL's summary is at most two pages in every history state. A long season on the sample
 * data: 14 cortes two weeks apart, every OPL flagged and sent a letter at each (umbral_minimo above any
 * count), 13 of them published; at the last, all 32 summaries keep two pages, show the 4 most recent
 * published cortes with the letter of each, and say how many earlier ones they leave out. */
static void test_long_season_keeps_opl_summaries_to_two_pages(void **state)
{
    fixture *f = *state;
    char *sample = g_build_filename(g_getenv("OBS_TEST_SOURCE_ROOT"), "sample-data", NULL);
    enum { CORTES = 14 };
    char corte[16] = "", prev[16] = "";
    for (int k = 0; k < CORTES; k++) {
        obs_day d = obs_day_parse_iso("2023-09-08") + 14 * k;
        obs_day_iso(d, corte, sizeof corte);
        char sesion[16], fecha[16];
        obs_day_iso(d + 1, sesion, sizeof sesion);
        obs_day_iso(d + 2, fecha, sizeof fecha);
        char *anterior = *prev ? g_strdup_printf("corte_anterior = %s\n", prev) : g_strdup("");
        char *text = g_strdup_printf(
            "[entrada]\nsolicitudes = %s/solicitudes.csv\ndifusion = %s/difusion.csv\n"
            "[corte]\ncorte = %s\n%s[salida]\ndirectorio = salida/{corte}\n"
            "documentos = opl, oficio, oficio_opl\nformatos = pdf\n"
            "[informe]\nfecha_generacion = 2024-06-30T10:00:00-06:00\n"
            "[difusion]\numbral_minimo = 100000\nfraccion_mediana = 0\n"
            "[oficio]\narea = Dirección Ejecutiva de Organización Electoral\n"
            "numero = INE/DEOE/{n}/2024\nnumero_inicial = %02d00\nfecha = %s\n"
            "destinatario = Titular de la Unidad Técnica de Vinculación\n"
            "opl_destinatario = Presidencia del Consejo General del\n"
            "firmante = Titular de la Dirección Ejecutiva\n"
            "firmante_cargo = El Director Ejecutivo de Organización Electoral\n"
            "comision = Comisión de Capacitación y Organización Electoral\n"
            "sesion_fecha = %s\nsesion_tipo = ordinaria\n",
            sample, sample, corte, anterior, k + 1, fecha, sesion);
        char *ini = g_build_filename(f->tmp, "temporada.ini", NULL);
        write_file_text(ini, text);
        result r = observa_in(f->tmp, (const char *const[]){"lote", "--config", ini, "-q", "--historial", f->hist, NULL},
                              NULL);
        if (r.status != 0)
            fail_msg("corte %s: status %d: %s", corte, r.status, r.err);
        result_clear(&r);
        if (k + 1 < CORTES)
            must(historial(f, (const char *[]){"publicar", "--corte", corte, NULL}), 0, NULL);
        g_free(ini);
        g_free(text);
        g_free(anterior);
        memcpy(prev, corte, sizeof prev);
    }
    char *dir = set_file(f, corte, "opl");
    GDir *gd = g_dir_open(dir, 0, NULL);
    assert_non_null(gd);
    int n = 0;
    for (const char *name; (name = g_dir_read_name(gd));) {
        char *pdf = g_build_filename(dir, name, NULL);
        result i = run(f->tmp, (char *[]){"pdfinfo", pdf, NULL}, NULL);
        const char *pages = strstr(i.out, "Pages:");
        assert_non_null(pages);
        if (atoi(pages + 6) > 2)
            fail_msg("%s takes %d pages after %d published cortes", name, atoi(pages + 6), CORTES - 1);
        result_clear(&i);
        g_free(pdf);
        n++;
    }
    g_dir_close(gd);
    assert_int_equal(n, 32);
    /* Campeche (04): the 4 most recent published cortes with their letters (the 4th of each corte: the
     * general exhorto, then one per OPL by clave), this one in bold, and the 9 earlier ones counted. */
    pdf_holds(f, corte, "opl/04_IEEC.pdf", true,
              (const char *[]){"|12/01/2024 ", "INE/DEOE/1004/2024 del 14/01/2024|", "|23/02/2024 ",
                               "INE/DEOE/1304/2024 del 25/02/2024|",
                               "Cortes presentados anteriores que no se muestran: 9, del 08/09/2023 al 29/12/2023",
                               "Página 2 de 2", NULL});
    char *pdf = set_file(f, corte, "opl/04_IEEC.pdf");
    char *words = pdf_words(pdf);
    assert_null(strstr(words, "INE/DEOE/0904/2024")); /* the letter of the 5th most recent is left out */
    g_free(words);
    g_free(pdf);
    g_free(dir);
    g_free(sample);
}

/* The same run without the history: the section is left out (as with no published corte). */
static void test_without_history_documents_say_nothing_of_it(void **state)
{
    fixture *f = *state;
    three_cortes(f);
    must(lote_at(f, "2024-03-10", "solicitudes-corregida.csv", "0301", (const char *[]){"--sin-historial", NULL}), 0,
         NULL);
    char *pdf = set_file(f, "2024-03-10", "informe.pdf");
    char *text = pdf_words(pdf);
    assert_null(strstr(text, "Seguimiento entre cortes"));
    assert_null(strstr(text, "INE/DEOE/0103/2024"));
    g_free(text);
    g_free(pdf);
    assert_int_equal(runs_in(f->hist), 3);
}

/* ---- Publications, listing and export ------------------------------------------------------------ */

static void test_publications_one_per_corte_unless_replaced(void **state)
{
    fixture *f = *state;
    must(lote_at(f, "2024-01-10", "solicitudes.csv", "0101", NULL), 0, NULL);
    must(lote_at(f, "2024-01-10", "solicitudes.csv", "0101", NULL), 0, NULL);
    must(historial(f, (const char *[]){"publicar", "1", NULL}), 0, NULL);
    must(historial(f, (const char *[]){"publicar", "2", NULL}), 64, (const char *[]){"--reemplazar", "corrida 1", NULL});
    must(historial(f, (const char *[]){"publicar", "2", "--reemplazar", NULL}), 0,
         (const char *[]){"sustituye a la corrida 1", NULL});
    must(historial(f, (const char *[]){"publicar", "1", "--reemplazar", NULL}), 64, (const char *[]){"sustituida", NULL});
    must(historial(f, (const char *[]){"publicar", "99", NULL}), 64, (const char *[]){"no hay una corrida 99", NULL});
    must(historial(f, (const char *[]){"publicar", "--corte", "2030-01-01", NULL}), 64,
         (const char *[]){"ningún borrador", NULL});
    must(historial(f, (const char *[]){"publicar", NULL}), 64, NULL);
    must(historial(f, (const char *[]){"publicar", "1", "-o", "x.csv", NULL}), 64, NULL);
    must(historial(f, (const char *[]){"quitar", NULL}), 64, NULL);
    result r = historial(f, (const char *[]){NULL});
    expect_run(&r, 0, NULL);
    holds("historial", r.out, (const char *[]){"sustituida", "publicada", "2024-01-10", NULL});
    result_clear(&r);
    r = historial(f, (const char *[]){"mostrar", "2", NULL});
    expect_run(&r, 0, NULL);
    holds("mostrar 2", r.out,
          (const char *[]){"Estado: publicada", "sustituye a la corrida 1", "OPL señalados: 2",
                           "INE/DEOE/0102/2024, 12 de enero de 2024, 01 Aguascalientes", "exhorto general", NULL});
    result_clear(&r);
}

/* A replacement that lacks documents of the publication (here only the informe, in place of the whole
 * set) is refused with the usage status of every publication conflict, naming what it lacks. */
static void test_a_replacement_lacking_documents_is_refused(void **state)
{
    fixture *f = *state;
    must(lote_at(f, "2024-01-10", "solicitudes.csv", "0101", NULL), 0, NULL);
    must(historial(f, (const char *[]){"publicar", "1", NULL}), 0, NULL);
    char *ini = write_ini(f, "2024-01-10", "solicitudes.csv", "0101");
    must(observa_in(f->tmp, (const char *[]){"informe", "--config", ini, "-o", "solo-informe", "-q", "--historial",
                                             f->hist, NULL},
                    NULL),
         0, NULL);
    g_free(ini);
    must(historial(f, (const char *[]){"publicar", "2", "--reemplazar", NULL}), 64,
         (const char *[]){"no puede sustituir a la 1",
                          "(resúmenes por OPL, oficio de exhorto, oficios a cada OPL)", NULL});
    result r = historial(f, (const char *[]){NULL});
    expect_run(&r, 0, NULL);
    holds("historial", r.out, (const char *[]){"publicada", "borrador", NULL});
    result_clear(&r);
}

/* Every line of an export is corte,publicada,corrida,entidad,metrica,valor. */
static void check_export_line(const char *line, bool *saw)
{
    char **v = g_strsplit(line, ",", -1);
    assert_int_equal(g_strv_length(v), 6);
    assert_string_equal(v[0], "2024-01-10");
    assert_string_equal(v[2], "1");
    assert_int_equal(strlen(v[1]), 10);
    if (strcmp(v[3], "00") == 0 && strcmp(v[4], "solicitudes.aprobadas") == 0) {
        assert_string_equal(v[5], "1");
        *saw = true;
    }
    g_strfreev(v);
}

static void test_export_writes_the_published_metrics(void **state)
{
    fixture *f = *state;
    must(lote_at(f, "2024-01-10", "solicitudes.csv", "0101", NULL), 0, NULL);
    must(historial(f, (const char *[]){"publicar", "--corte", "2024-01-10", NULL}), 0, NULL);
    must(lote_at(f, "2024-02-10", "solicitudes.csv", "0201", NULL), 0, NULL); /* a draft: not exported */
    must(historial(f, (const char *[]){"exportar", "-o", "publicadas.csv", NULL}), 0, NULL);
    char *path = g_build_filename(f->tmp, "publicadas.csv", NULL);
    char *csv = read_file(path);
    assert_true(g_str_has_prefix(csv, "\xEF\xBB\xBF" OBS_HISTORY_EXPORT_HEADER "\n"));
    char **lines = g_strsplit(csv + 3, "\n", -1);
    char *metricas = set_file(f, "2024-01-10", "metricas.csv");
    char *mcsv = read_file(metricas);
    char **mlines = g_strsplit(mcsv, "\n", -1);
    /* as many values as the corte's metricas.csv (its header and final newline aside) */
    assert_int_equal(g_strv_length(lines), g_strv_length(mlines));
    bool saw = false;
    for (size_t i = 1; lines[i] && *lines[i]; i++)
        check_export_line(lines[i], &saw);
    assert_true(saw);
    result r = historial(f, (const char *[]){"exportar", NULL});
    expect_run(&r, 0, NULL);
    assert_true(g_str_has_prefix(r.out, OBS_HISTORY_EXPORT_HEADER "\n")); /* standard output: no BOM */
    assert_string_equal(r.out, csv + 3);
    result_clear(&r);
    g_strfreev(mlines);
    g_strfreev(lines);
    g_free(mcsv);
    g_free(metricas);
    g_free(csv);
    g_free(path);
}

/* ---- Where runs are recorded, and which are not ---------------------------------------------------- */

static void test_where_runs_are_recorded(void **state)
{
    fixture *f = *state;
    char *xdg = g_build_filename(f->tmp, "xdg", NULL), *env = g_strconcat("XDG_DATA_HOME=", xdg, NULL);
    char *dflt = g_build_filename(xdg, "observa", "historial.sqlite", NULL);
    char *ini = write_ini(f, "2024-01-10", "solicitudes.csv", "0101");
    const char *envs[] = {env, NULL};
    /* A run says how to publish it: the default history needs no --historial. */
    must(observa_in(f->tmp, (const char *[]){"lote", "--config", ini, NULL}, envs), 0,
         (const char *[]){"corrida 1 del historial", "«observa historial publicar 1»", NULL});
    assert_int_equal(runs_in(dflt), 1);
    must(observa_in(f->tmp, (const char *[]){"lote", "--config", ini, "-q", "--sin-historial", NULL}, envs), 0, NULL);
    assert_int_equal(runs_in(dflt), 1);
    /* [historial] archivo, relative to the configuration's folder. */
    char *text = read_file(ini), *with = g_strconcat(text, "[historial]\narchivo = propio.sqlite\n", NULL);
    write_file_text(ini, with);
    must(observa_in(f->tmp, (const char *[]){"lote", "--config", ini, NULL}, envs), 0,
         (const char *[]){"«observa historial publicar 1 --historial ", "propio.sqlite»", NULL});
    char *own = g_build_filename(f->tmp, "propio.sqlite", NULL);
    assert_int_equal(runs_in(own), 1);
    assert_int_equal(runs_in(dflt), 1);
    must(observa_in(f->tmp, (const char *[]){"historial", "--config", ini, NULL}, envs), 0, NULL);
    /* validar and metricas record nothing, and say so of the options. */
    char *sol = fixture_file("solicitudes.csv"), *dif = fixture_file("difusion.csv");
    must(observa_in(f->tmp, (const char *[]){"validar", "-s", sol, "-d", dif, "-q", NULL}, envs), 0, NULL);
    must(observa_in(f->tmp, (const char *[]){"validar", "-s", sol, "-d", dif, "--historial", own, NULL}, envs), 64,
         (const char *[]){"--historial", NULL});
    must(observa_in(f->tmp, (const char *[]){"metricas", "-s", sol, "-d", dif, "-c", "2024-01-10", "--sin-historial",
                                             NULL},
                    envs),
         64, NULL);
    must(observa_in(f->tmp, (const char *[]){"lote", "--config", ini, "--historial", own, "--sin-historial", NULL}, envs),
         64, (const char *[]){"no ambas", NULL});
    assert_int_equal(runs_in(dflt), 1);
    assert_int_equal(runs_in(own), 1);
    g_free(sol);
    g_free(dif);
    g_free(own);
    g_free(with);
    g_free(text);
    g_free(ini);
    g_free(dflt);
    g_free(env);
    g_free(xdg);
}

/* A history that does not exist is not created by reading it. */
static void test_reading_a_missing_history_creates_nothing(void **state)
{
    fixture *f = *state;
    result r = historial(f, (const char *[]){NULL});
    expect_run(&r, 0, NULL);
    assert_non_null(strstr(r.out, "no existe todavía"));
    result_clear(&r);
    must(historial(f, (const char *[]){"mostrar", "1", NULL}), 66, (const char *[]){"no existe el historial", NULL});
    must(historial(f, (const char *[]){"exportar", NULL}), 66, NULL);
    assert_false(g_file_test(f->hist, G_FILE_TEST_EXISTS));
}

/* historial mostrar shows the options one per line, in the user's words, with --max-rechazadas in
 * percent as it was given (2.5; the default 5), while the file keeps what it recorded (JSON, hundredths
 * of a percent). */
static void test_show_gives_options_readably_with_max_rechazadas_in_percent(void **state)
{
    fixture *f = *state;
    must(lote_at(f, "2024-01-10", "solicitudes.csv", "0101", (const char *[]){"--max-rechazadas", "2.5", NULL}), 0,
         NULL);
    must(lote_at(f, "2024-01-17", "solicitudes.csv", "0201", NULL), 0, NULL);
    const char *shown[] = {"\n  max_rechazadas = 2.5%\n", "\n  max_rechazadas = 5%\n"};
    const char *stored[] = {"\"max_rechazadas\":250,", "\"max_rechazadas\":500,"};
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(f->hist, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (int id = 1; id <= 2; id++) {
        char n[8];
        g_snprintf(n, sizeof n, "%d", id);
        result r = historial(f, (const char *[]){"mostrar", n, NULL});
        expect_run(&r, 0, NULL);
        holds("historial mostrar", r.out,
              (const char *[]){shown[id - 1], "\nOpciones:\n  corte = 2024-01-", "\n  corte_anterior = ninguno\n",
                               "\n  documentos = informe, opl, oficio, oficio_opl, metricas\n",
                               "\n  formatos = pdf, xlsx, csv\n", "\n  entidad = todas\n", "\n  estricto = no\n",
                               NULL});
        assert_null(strstr(r.out, "\"max_rechazadas\"")); /* not the raw JSON */
        assert_null(strstr(r.out, "{"));
        result_clear(&r);
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db, "SELECT opciones FROM corrida WHERE id = ?", -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_int(st, 1, id);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_non_null(strstr((const char *)sqlite3_column_text(st, 0), stored[id - 1]));
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
}

/* ---- A published set in the folder ------------------------------------------------------------------ */

/* The published set of corte 2024-01-10 (run 1), as its files are now. */
static GHashTable *published_set(const fixture *f)
{
    char *dir = g_build_filename(f->tmp, "salida", "2024-01-10", NULL);
    GHashTable *files = snapshot_dir(dir, FALSE);
    g_free(dir);
    return files;
}

/* A publication replaced by another (from another folder) was presented too: its folder is kept as well. */
static void test_a_superseded_publication_s_set_is_kept(void **state)
{
    fixture *f = *state;
    must(lote_at(f, "2024-01-10", "solicitudes.csv", "0101", NULL), 0, NULL);
    must(historial(f, (const char *[]){"publicar", "1", NULL}), 0, NULL);
    must(lote_at(f, "2024-01-10", "solicitudes-corregida.csv", "0101", (const char *[]){"-o", "corregida", NULL}), 0,
         NULL);
    must(historial(f, (const char *[]){"publicar", "2", "--reemplazar", NULL}), 0, NULL);
    must(lote_at(f, "2024-01-10", "solicitudes-corregida.csv", "0101", NULL), 73,
         (const char *[]){"tiene el conjunto de la corrida 1 del historial, una publicación", NULL});
}

/* observa never destroys a delivered set, and a published set is the delivered one: a run of the same
 * corte from another export into the folder of a published run is refused before anything is read
 * (73), naming the run and what to do; with --reemplazar it replaces it and says how to publish the new
 * run in its place; the history still records the publication, and mostrar says its files are gone. */
static void test_a_published_set_is_not_overwritten(void **state)
{
    fixture *f = *state;
    must(lote_at(f, "2024-01-10", "solicitudes.csv", "0101", NULL), 0, NULL);
    must(historial(f, (const char *[]){"publicar", "1", NULL}), 0, NULL);
    GHashTable *before = published_set(f);
    result r = lote_at(f, "2024-01-10", "solicitudes-corregida.csv", "0101", NULL);
    expect_run(&r, 73,
               (const char *[]){"tiene el conjunto de la corrida 1 del historial, una publicación",
                                "se presentó a la Comisión con corte al 2024-01-10", "otra carpeta con -o",
                                "--reemplazar: la publicación sigue registrada en el historial",
                                "«observa historial publicar N --reemplazar»", NULL});
    assert_null(strstr(r.err, "filas leídas")); /* refused before the exports are read */
    result_clear(&r);
    /* The same exports too: the documents would now follow up the corte itself. */
    must(lote_at(f, "2024-01-10", "solicitudes.csv", "0101", NULL), 73, (const char *[]){"corrida 1", NULL});
    GHashTable *after = published_set(f);
    assert_same_snapshot(before, after);
    g_hash_table_destroy(after);
    assert_int_equal(runs_in(f->hist), 1);
    /* Another folder; a draft's folder is written again as before. */
    must(lote_at(f, "2024-01-10", "solicitudes-corregida.csv", "0101", (const char *[]){"-o", "otra", NULL}), 0, NULL);
    must(lote_at(f, "2024-01-10", "solicitudes-corregida.csv", "0101", (const char *[]){"-o", "otra", NULL}), 0, NULL);
    after = published_set(f);
    assert_same_snapshot(before, after);
    g_hash_table_destroy(after);
    result s = historial(f, (const char *[]){"mostrar", "1", NULL});
    expect_run(&s, 0, NULL);
    assert_null(strstr(s.out, "ya no son"));
    result_clear(&s);
    /* --reemplazar: the set goes, the publication stays. */
    must(lote_at(f, "2024-01-10", "solicitudes-corregida.csv", "0101", (const char *[]){"--reemplazar", NULL}), 0,
         (const char *[]){"se sustituyó el conjunto de la corrida 1, una publicación",
                          "su publicación sigue registrada en el historial",
                          "«observa historial publicar 4 --reemplazar»", NULL});
    s = historial(f, (const char *[]){"mostrar", "1", NULL});
    expect_run(&s, 0, NULL);
    holds("mostrar 1", s.out,
          (const char *[]){"Estado: publicada", "/salida/2024-01-10 (",
                           "archivos); los archivos ya no son los de esta corrida: su manifest.json no es el que "
                           "registró",
                           NULL});
    result_clear(&s);
    must(historial(f, (const char *[]){"publicar", "4", "--reemplazar", NULL}), 0,
         (const char *[]){"sustituye a la corrida 1", NULL});
    /* Without a history nothing is known of publications: the folder rules as before. */
    must(lote_at(f, "2024-01-10", "solicitudes.csv", "0101", (const char *[]){"--sin-historial", NULL}), 0, NULL);
    g_hash_table_destroy(before);
}

/* mostrar says when a run's folder no longer holds its set, as publicar finds for a draft. */
static void test_show_says_when_the_files_are_gone(void **state)
{
    fixture *f = *state;
    must(lote_at(f, "2024-01-10", "solicitudes.csv", "0101", NULL), 0, NULL);
    char *manifest = set_file(f, "2024-01-10", "manifest.json");
    assert_int_equal(g_unlink(manifest), 0);
    g_free(manifest);
    result r = historial(f, (const char *[]){"mostrar", "1", NULL});
    expect_run(&r, 0, NULL);
    holds("mostrar 1", r.out,
          (const char *[]){"Estado: borrador", "archivos); los archivos ya no son los de esta corrida: la carpeta no "
                                               "tiene su manifest.json",
                           NULL});
    result_clear(&r);
    must(historial(f, (const char *[]){"publicar", "1", NULL}), 64, (const char *[]){"ya no están", NULL});
}

/* A message of the history names its file once, without a second prefix. */
static void test_history_messages_have_one_prefix(void **state)
{
    fixture *f = *state;
    must(lote_at(f, "2024-01-10", "solicitudes.csv", "0101", NULL), 0, NULL);
    must(lote_at(f, "2024-01-10", "solicitudes.csv", "0101", NULL), 0, NULL);
    must(historial(f, (const char *[]){"publicar", "1", NULL}), 0, NULL);
    const char *const cases[][3] = {{"publicar", "2", "el corte 2024-01-10 ya tiene publicada la corrida 1"},
                                    {"mostrar", "99", "no hay una corrida 99"}};
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        result r = historial(f, (const char *[]){cases[i][0], cases[i][1], NULL});
        expect_run(&r, 64, NULL);
        char *want = g_strdup_printf("observa: %s: %s", f->hist, cases[i][2]);
        if (!g_str_has_prefix(r.err, want))
            fail_msg("«%s» does not start with «%s»", r.err, want);
        g_free(want);
        assert_null(strstr(r.err, "historial: "));
        result_clear(&r);
    }
}

/* publicar --corte on a corte already published and without a draft says which run published it and
 * how another would replace it. */
static void test_publish_corte_already_published_names_the_run(void **state)
{
    fixture *f = *state;
    must(lote_at(f, "2024-01-10", "solicitudes.csv", "0101", NULL), 0, NULL);
    must(historial(f, (const char *[]){"publicar", "--corte", "2024-01-10", NULL}), 0, NULL);
    must(historial(f, (const char *[]){"publicar", "--corte", "2024-01-10", NULL}), 64,
         (const char *[]){"el corte 2024-01-10 no tiene ningún borrador que publicar: ya lo publicó la corrida 1",
                          "«observa historial publicar N --reemplazar»", NULL});
    must(historial(f, (const char *[]){"publicar", "--corte", "2024-02-10", NULL}), 64,
         (const char *[]){"ningún borrador con corte al 2024-02-10", NULL});
}

static result acceso(const fixture *f, const char *datos, const char *const *args)
{
    GPtrArray *a = g_ptr_array_new();
    g_ptr_array_add(a, "acceso");
    for (size_t i = 0; args[i]; i++)
        g_ptr_array_add(a, (char *)args[i]);
    g_ptr_array_add(a, "--datos");
    g_ptr_array_add(a, (char *)datos);
    g_ptr_array_add(a, NULL);
    result r = observa_in(f->tmp, (const char *const *)a->pdata, NULL);
    g_ptr_array_free(a, TRUE);
    return r;
}

/* A Unix time as the listings show it: central Mexico, UTC-6 (g_free). */
static char *mexico_time(int64_t t)
{
    GDateTime *dt = g_date_time_new_from_unix_utc(t - 6 * 3600);
    char *s = g_date_time_format(dt, "%Y-%m-%d %H:%M");
    g_date_time_unref(dt);
    return s;
}

/* acceso listar and revocar only read or change the tokens a data folder has: a missing folder or
 * history is 66 and nothing is created; only crear creates them. The listing has a header and
 * shows times as observa historial does (UTC-6). */
static void test_access_reading_creates_nothing_and_lists_like_historial(void **state)
{
    fixture *f = *state;
    char *missing = g_build_filename(f->tmp, "datos-no", NULL), *empty = g_build_filename(f->tmp, "datos-vacia", NULL);
    char *store = g_build_filename(empty, "historial.sqlite", NULL);
    must(acceso(f, missing, (const char *[]){"listar", NULL}), 66, (const char *[]){"no existe la carpeta de datos", NULL});
    must(acceso(f, missing, (const char *[]){"revocar", "1", NULL}), 66, (const char *[]){"no existe la carpeta", NULL});
    assert_false(g_file_test(missing, G_FILE_TEST_EXISTS));
    assert_int_equal(g_mkdir(empty, 0700), 0);
    must(acceso(f, empty, (const char *[]){"listar", NULL}), 66, (const char *[]){"no existe el historial", NULL});
    must(acceso(f, empty, (const char *[]){"revocar", "1", NULL}), 66, (const char *[]){"no existe el historial", NULL});
    assert_false(g_file_test(store, G_FILE_TEST_EXISTS));
    must(acceso(f, empty, (const char *[]){"crear", "--entidad", "15", NULL}), 0, NULL);
    must(acceso(f, empty, (const char *[]){"crear", "--entidad", "9", NULL}), 0, NULL);
    must(acceso(f, empty, (const char *[]){"revocar", "1", "-q", NULL}), 0, NULL);
    result r = acceso(f, empty, (const char *[]){"listar", NULL});
    expect_run(&r, 0, NULL);
    assert_null(strstr(r.out, "UTC"));
    char **lines = g_strsplit(r.out, "\n", -1);
    assert_int_equal(g_strv_length(lines), 4); /* header, two tokens, the final newline */
    assert_true(g_str_has_prefix(lines[0], "número  entidad  OPL"));
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(store, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (int id = 1; id <= 2; id++) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db, "SELECT creado, revocado FROM acceso WHERE id = ?", -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_int(st, 1, id);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        char *creado = mexico_time(sqlite3_column_int64(st, 0));
        char *revocado = id == 1 ? mexico_time(sqlite3_column_int64(st, 1)) : NULL;
        char *estado = revocado ? g_strconcat("revocado el ", revocado, NULL) : g_strdup("vigente");
        g_free(revocado);
        char *want = g_strdup_printf("%-6d  %s       %-18s  %s  %s", id, id == 1 ? "15" : "09", id == 1 ? "IEEM" : "IECM",
                                     creado, estado);
        assert_string_equal(lines[id], want);
        g_free(want);
        g_free(estado);
        g_free(creado);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    g_strfreev(lines);
    result_clear(&r);
    g_free(store);
    g_free(empty);
    g_free(missing);
}

/* The demonstration keeps its own history in its folder. */
static void test_demo_keeps_its_own_history(void **state)
{
    fixture *f = *state;
    char *xdg = g_build_filename(f->tmp, "xdg", NULL), *env = g_strconcat("XDG_DATA_HOME=", xdg, NULL);
    must(observa_in(f->tmp, (const char *[]){"demo", "-q", NULL}, (const char *[]){env, NULL}), 0, NULL);
    char *own = g_build_filename(f->tmp, "salida", "demo", "historial.sqlite", NULL);
    assert_int_equal(runs_in(own), 1);
    assert_false(g_file_test(xdg, G_FILE_TEST_EXISTS));
    must(observa_in(f->tmp, (const char *[]){"demo", "--sin-historial", NULL}, NULL), 64, NULL);
    g_free(own);
    g_free(env);
    g_free(xdg);
}

/* A run the gate refuses records nothing. */
static void test_refused_run_records_nothing(void **state)
{
    fixture *f = *state;
    char *dir = case_dir("basico");
    char *sol = g_build_filename(dir, "solicitudes.csv", NULL), *dif = g_build_filename(dir, "difusion.csv", NULL);
    must(observa_in(f->tmp, (const char *[]){"informe", "-s", sol, "-d", dif, "-c", "2023-10-12", "-o", "x", "--historial",
                                             f->hist, NULL},
                    NULL),
         65, NULL);
    assert_int_equal(runs_in(f->hist), 0);
    g_free(sol);
    g_free(dif);
    g_free(dir);
}

/* ---- A history that cannot take the run --------------------------------------------------------------- */

/* The documents of a set: every file under dir but hidden ones (the lock). */
static guint documents_in(const char *dir)
{
    GHashTable *files = snapshot_dir(dir, FALSE);
    guint n = g_hash_table_size(files);
    g_hash_table_destroy(files);
    return n;
}

/* Whether nobody (uid 65534) can run observa on the case: setpriv, the binary, the templates and the
 * exports (a clone under /root is out of its reach). */
static bool nobody_can_run(const char *ini)
{
    char *setpriv = g_find_program_in_path("setpriv");
    g_free(setpriv);
    if (!setpriv)
        return false;
    char *sol = fixture_file("solicitudes.csv");
    char *probe = g_strdup_printf("test -r '%s/informe.tpl' && test -r '%s' && test -r '%s' && '%s' --version",
                                  g_getenv("OBSERVA_PLANTILLAS"), sol, ini, observa_bin());
    char *argv[] = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sh", "-c", probe, NULL};
    result r = run("/", argv, NULL);
    bool ok = r.status == 0;
    result_clear(&r);
    g_free(probe);
    g_free(sol);
    return ok;
}

static void test_read_only_history_publishes_nothing(void **state)
{
    fixture *f = *state;
    must(lote_at(f, "2024-01-10", "solicitudes.csv", "0101", NULL), 0, NULL);
    assert_int_equal(g_chmod(f->tmp, 0777), 0);
    assert_int_equal(g_chmod(f->hist, 0444), 0);
    char *ini = write_ini(f, "2024-02-10", "solicitudes.csv", "0201");
    char *out = g_build_filename(f->tmp, "solo-lectura", NULL);
    /* root may write any file: the run is made as nobody, who may not write this one */
    const char *args[] = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", observa_bin(), "lote",
                          "--config", ini, "-o", out, "--historial", f->hist, NULL};
    if (geteuid() == 0 && !nobody_can_run(ini))
        skip(); /* setpriv missing, or the build or the sources not readable by nobody */
    result r = geteuid() == 0 ? run(f->tmp, (char **)args, NULL) : observa_in(f->tmp, args + 5, NULL);
    expect_run(&r, 73, (const char *[]){"sólo lectura", NULL});
    result_clear(&r);
    assert_int_equal(documents_in(out), 0);
    assert_int_equal(g_chmod(f->hist, 0644), 0);
    assert_int_equal(runs_in(f->hist), 1);
    g_free(out);
    g_free(ini);
}

/* A full disk while recording (ulimit -f with SIGXFSZ ignored: the history's write fails with EFBIG
 * once the documents are staged): 74 and no document published; the history as it was. */
static void test_full_history_publishes_nothing(void **state)
{
    fixture *f = *state;
    must(lote_at(f, "2024-01-10", "solicitudes.csv", "0101", NULL), 0, NULL);
    char *ini = write_ini(f, "2024-02-10", "solicitudes.csv", "0201");
    char *out = g_build_filename(f->tmp, "lleno", NULL);
    /* 100 KiB: the set's metricas.csv (80 KiB) and the history's shared memory (32 KiB) fit; the run's
     * record (some 130 KiB of its write-ahead log) does not. */
    char *script = g_strdup_printf("ulimit -f 200; trap '' XFSZ; exec '%s' informe --config '%s' -o '%s' -f csv "
                                   "--historial '%s'",
                                   observa_bin(), ini, out, f->hist);
    char *argv[] = {"sh", "-c", script, NULL};
    result r = run(f->tmp, argv, NULL);
    expect_run(&r, 74, (const char *[]){"no se publicó ningún documento", NULL});
    result_clear(&r);
    assert_int_equal(documents_in(out), 0);
    assert_int_equal(runs_in(f->hist), 1);
    obs_history *h;
    obs_error err;
    assert_int_equal(obs_history_open(f->hist, &h, &err), OBS_OK);
    assert_int_equal(obs_history_check(h, &err), OBS_OK);
    obs_history_close(h);
    g_free(script);
    g_free(out);
    g_free(ini);
}

/* ---- kill -9 and concurrent runs ------------------------------------------------------------------- */

/* After a killed run: a clean file, no run left en_curso, and each run a draft exactly when its
 * folder's manifest.json is the one it recorded. */
static void assert_consistent(const char *hist)
{
    obs_history *h;
    obs_error err;
    assert_int_equal(obs_history_open(hist, &h, &err), OBS_OK);
    assert_int_equal(obs_history_check(h, &err), OBS_OK);
    obs_history_close(h);
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(hist, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT c.estado, c.carpeta, s.sha256 FROM corrida c JOIN salida s ON"
                                        " s.corrida = c.id AND s.ruta = 'manifest.json' ORDER BY c.id DESC LIMIT 1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *estado = (const char *)sqlite3_column_text(st, 0);
        char *manifest = g_build_filename((const char *)sqlite3_column_text(st, 1), "manifest.json", NULL);
        char *sha = g_file_test(manifest, G_FILE_TEST_EXISTS) ? file_sha256(manifest) : g_strdup("");
        bool same = strcmp(sha, (const char *)sqlite3_column_text(st, 2)) == 0;
        if (strcmp(estado, same ? "borrador" : "fallida") != 0)
            fail_msg("the last run is %s, its folder's manifest %s the one it recorded", estado,
                     same ? "is" : "is not");
        g_free(sha);
        g_free(manifest);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_kill_9_leaves_a_consistent_history(void **state)
{
    fixture *f = *state;
    char *ini = write_ini(f, "2024-01-10", "solicitudes.csv", "0101");
    char *out = g_build_filename(f->tmp, "victima", NULL);
    char *argv[] = {(char *)observa_bin(), "lote", "--config", ini, "-o", out, "-q", "--historial", f->hist, NULL};
    result r = run(f->tmp, argv, NULL);
    assert_int_equal(r.status, 0);
    result_clear(&r);
    int killed = 0;
    for (int attempt = 0; attempt < 16; attempt++) {
        GPid pid;
        assert_true(g_spawn_async(f->tmp, argv, NULL,
                                  G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                  NULL, NULL, &pid, NULL));
        g_usleep((gulong)(attempt * 9000)); /* 0 to 135 ms into the run */
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        g_spawn_close_pid(pid);
        killed += WIFSIGNALED(status);
        assert_consistent(f->hist);
    }
    assert_true(killed > 0);
    g_free(out);
    g_free(ini);
}

static void test_concurrent_runs_share_a_history(void **state)
{
    fixture *f = *state;
    char *ini = write_ini(f, "2024-01-10", "solicitudes.csv", "0101");
    GPid pids[3];
    for (int k = 0; k < 3; k++) {
        char *out = g_strdup_printf("%s/paralelo-%d", f->tmp, k);
        char *argv[] = {(char *)observa_bin(), "lote", "--config", ini, "-o", out, "-q", "--historial", f->hist, NULL};
        assert_true(g_spawn_async(f->tmp, argv, NULL,
                                  G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                  NULL, NULL, &pids[k], NULL));
        g_free(out);
    }
    for (int k = 0; k < 3; k++) {
        int status;
        waitpid(pids[k], &status, 0);
        g_spawn_close_pid(pids[k]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    assert_int_equal(runs_in(f->hist), 3);
    result r = historial(f, (const char *[]){NULL});
    assert_null(strstr(r.out, "en_curso"));
    assert_null(strstr(r.out, "fallida"));
    result_clear(&r);
    g_free(ini);
}

/* ---- Acceptance on the sample data ------------------------------------------------------------------- */

/* sample-data/<name> (g_free). */
static char *sample_file(const char *name)
{
    return g_build_filename(g_getenv("OBS_TEST_SOURCE_ROOT"), "sample-data", name, NULL);
}

/* sample-data/<ini> with its exports named by absolute path and each line `from` replaced by `to`,
 * written to tmp (g_free). */
static char *sample_ini(const fixture *f, const char *ini, const char *const *from, const char *const *to)
{
    char *src = sample_file(ini), *text = read_file(src);
    GString *s = g_string_new(text);
    char *sol = sample_file("solicitudes.csv"), *dif = sample_file("difusion.csv");
    char *sol_line = g_strconcat("solicitudes = ", sol, "\n", NULL), *dif_line = g_strconcat("difusion = ", dif, "\n", NULL);
    g_string_replace(s, "solicitudes = solicitudes.csv\n", sol_line, 1);
    g_string_replace(s, "difusion = difusion.csv\n", dif_line, 1);
    for (size_t i = 0; from[i]; i++)
        if (!g_string_replace(s, from[i], to[i], 1))
            fail_msg("%s has no «%s»", ini, from[i]);
    char *path = g_build_filename(f->tmp, ini, NULL);
    write_file_text(path, s->str);
    g_string_free(s, TRUE);
    g_free(sol_line);
    g_free(dif_line);
    g_free(sol);
    g_free(dif);
    g_free(text);
    g_free(src);
    return path;
}

/* The later export: the sample's solicitudes with the first `n` requests registered and declared
 * improcedentes in 2023 corrected to aprobadas (their causa cleared). Returns its path (g_free). */
static char *corrected_export(const fixture *f, int n)
{
    char *src = sample_file("solicitudes.csv"), *text = read_file(src);
    char **lines = g_strsplit(text, "\n", -1);
    int changed = 0;
    for (size_t i = 1; lines[i] && changed < n; i++) {
        if (strchr(lines[i], '"'))
            continue;
        char **v = g_strsplit(lines[i], ",", -1);
        if (g_strv_length(v) == 23 && strcmp(v[17], "improcedente") == 0 && g_str_has_prefix(v[18], "2023") &&
            g_str_has_prefix(v[3], "2023")) {
            g_free(v[17]);
            v[17] = g_strdup("aprobada");
            v[20][0] = '\0';
            g_free(lines[i]);
            lines[i] = g_strjoinv(",", v);
            changed++;
        }
        g_strfreev(v);
    }
    assert_int_equal(changed, n);
    char *out = g_strjoinv("\n", lines), *path = g_build_filename(f->tmp, "solicitudes-corregida.csv", NULL);
    write_file_text(path, out);
    g_free(out);
    g_strfreev(lines);
    g_free(text);
    g_free(src);
    return path;
}

/* Corte 2024-01-19 with letters, published; then 2024-05-08 on an export in which five requests
 * resolved in 2023 were corrected: the informe names each exhorted OPL with its letter and its
 * actions then and now, and shows the published 19 January figures beside the recomputed ones. */
static void test_sample_data_acceptance(void **state)
{
    fixture *f = *state;
    char *jan = sample_ini(f, "lote.ini",
                           (const char *[]){"documentos = informe, opl, oficio, metricas\n", "numero = INE/DEOE/0000/2024\n",
                                            NULL},
                           (const char *[]){"documentos = informe, opl, oficio, oficio_opl, metricas\n",
                                            "numero = INE/DEOE/{n}/2024\nnumero_inicial = 0031\n", NULL});
    must(observa_in(f->tmp, (const char *[]){"lote", "--config", jan, "--historial", f->hist, "-q", NULL}, NULL), 0, NULL);
    must(historial(f, (const char *[]){"publicar", "--corte", "2024-01-19", NULL}), 0, NULL);
    char *later = corrected_export(f, 5);
    char *may = sample_ini(f, "demo.ini", (const char *[]){"[salida]\n", NULL},
                           (const char *[]){"[salida]\ndirectorio = salida/{corte}\n", NULL});
    must(observa_in(f->tmp, (const char *[]){"lote", "--config", may, "-s", later, "--historial", f->hist, "-q", NULL},
                    NULL),
         0, NULL);
    pdf_holds(f, "2024-05-08", "informe.pdf", true,
              (const char *[]){"|19/01/2024 2,402 1,652 1,338 6|", "|08/05/2024 34,979 11,821 2,606 6|",
                               "|19/01/2024 IEEC (Campeche) INE/DEOE/0032/2024 24/01/2024 2 2 0 Sí|",
                               "INE/DEOE/0033/2024 24/01/2024 17 31 +14 Sí|",
                               "|19/01/2024 IEPC Guerrero (Guerrero) INE/DEOE/0034/2024 24/01/2024 2 4 +2 Sí|",
                               "|19/01/2024 IEQROO (Quintana Roo) INE/DEOE/0035/2024 24/01/2024 0 2 +2 Sí|",
                               "|19/01/2024 IEES (Sinaloa) INE/DEOE/0036/2024 24/01/2024 15 29 +14 Sí|",
                               "|19/01/2024 ITE (Tlaxcala) INE/DEOE/0037/2024 24/01/2024 0 0 0 Sí|",
                               "|19/01/2024 Nacional Aprobadas 1,652 1,657 +5|", NULL});
    pdf_holds(f, "2024-05-08", "oficio.pdf", false, (const char *[]){"en seguimiento al oficio INE/DEOE/0031/2024", NULL});
    pdf_holds(f, "2024-05-08", "oficio_opl/04_IEEC.pdf", false,
              (const char *[]){"En seguimiento al oficio INE/DEOE/0032/2024, del 24 de enero de 2024", NULL});
    g_free(may);
    g_free(later);
    g_free(jan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_three_cortes_letters_follow_the_previous_ones, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_number_the_history_gave_is_not_given_again, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_draft_sharing_a_published_number_is_not_published, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_superseded_publication_s_set_is_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_three_cortes_informe_follows_up, setup, teardown),
        cmocka_unit_test_setup_teardown(test_without_history_documents_say_nothing_of_it, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_season_keeps_opl_summaries_to_two_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_publications_one_per_corte_unless_replaced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_replacement_lacking_documents_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_writes_the_published_metrics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_where_runs_are_recorded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reading_a_missing_history_creates_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_show_gives_options_readably_with_max_rechazadas_in_percent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_published_set_is_not_overwritten, setup, teardown),
        cmocka_unit_test_setup_teardown(test_show_says_when_the_files_are_gone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history_messages_have_one_prefix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_publish_corte_already_published_names_the_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access_reading_creates_nothing_and_lists_like_historial, setup, teardown),
        cmocka_unit_test_setup_teardown(test_demo_keeps_its_own_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_run_records_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_only_history_publishes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_history_publishes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kill_9_leaves_a_consistent_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_runs_share_a_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sample_data_acceptance, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
