/* test_e2e.c - runs the observa CLI on the fixture cases of tests/e2e/cases and checks its outputs. */
#include <glib.h>
#include <glib/gstdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "cli_run.h"
#include "scratch.h"

/* The export of a case: its .csv, or its .xlsx (g_free). */
static char *case_export(const char *dir, const char *name)
{
    char *p = g_strdup_printf("%s/%s.csv", dir, name);
    if (!g_file_test(p, G_FILE_TEST_EXISTS)) {
        g_free(p);
        p = g_strdup_printf("%s/%s.xlsx", dir, name);
    }
    return p;
}

/* The same data in every dialect, as CSV or as a workbook saved by LibreOffice or openpyxl (issue
 * 14), gives the same metricas.csv, byte for byte. */
static void test_dialects_give_identical_metricas(void **state)
{
    (void)state;
    const char *cases[] = {"basico", "excel", "bomtab", "sucio", "libreoffice", "openpyxl"};
    char *first = NULL;
    gsize first_len = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *dir = case_dir(cases[i]);
        char *s = case_export(dir, "solicitudes"), *d = case_export(dir, "difusion");
        char *argv[] = {(char *)observa_bin(), "metricas", "-s", s, "-d", d, "-c", "2023-10-12", "-a", "2023-10-05",
                        "--max-rechazadas", "100", "-q", NULL};
        result r = run("/", argv, NULL);
        assert_int_equal(r.status, 0);
        if (!first) {
            first = g_strdup(r.out);
            first_len = strlen(first);
        } else if (strlen(r.out) != first_len || strcmp(first, r.out) != 0) {
            fail_msg("metricas of case %s differ from basico", cases[i]);
        }
        result_clear(&r);
        g_free(s);
        g_free(d);
        g_free(dir);
    }
    g_free(first);
}

/* ---- outputs as readers see them ---------------------------------------------------------- */

typedef struct fixture {
    char *out;
    result run;
} fixture;

static int setup_informe(void **state)
{
    fixture *f = g_new0(fixture, 1);
    char *dir = case_dir("basico");
    f->out = scratch_dir("e2e");
    char **argv = case_argv(dir, f->out);
    const char *env[] = {"SOURCE_DATE_EPOCH=1698300000", NULL};
    f->run = run(f->out, argv, env);
    g_strfreev(argv);
    g_free(dir);
    *state = f;
    return f->run.status == 0 ? 0 : -1;
}

static int teardown_informe(void **state)
{
    fixture *f = *state;
    remove_tree(f->out);
    result_clear(&f->run);
    g_free(f->out);
    g_free(f);
    return 0;
}

static void test_pdf_is_valid_text_with_accents(void **state)
{
    fixture *f = *state;
    char *pdf = g_build_filename(f->out, "informe.pdf", NULL);
    char *qpdf[] = {"qpdf", "--check", pdf, NULL};
    result q = run("/", qpdf, NULL);
    assert_int_equal(q.status, 0);
    char *text[] = {"pdftotext", pdf, "-", NULL};
    result t = run("/", text, NULL);
    assert_int_equal(t.status, 0);
    assert_string_equal(t.err, "");
    /* Prose wraps: compare with line breaks turned into spaces. */
    g_strdelimit(t.out, "\n", ' ');
    const char *words[] = {"Instituto Nacional Electoral", "Dirección Ejecutiva de Organización Electoral",
                           "Con corte al 12 de octubre de 2023", "Difusión de la convocatoria",
                           "Solicitudes de acreditación", "Estado de las solicitudes",
                           "Nota metodológica", "Total nacional", "Página 2 de", "Ciudad de México",
                           "Organismos Públicos Locales", "Documentación incompleta",
                           /* hand-computed figures in the prose */
                           "La suma del alcance declarado en cada acción es de 1,210", "se han recibido 8 solicitudes de",
                           "+2 respecto del corte anterior", "3 de mujeres (37.5% del total)",
                           "Del total de 8 solicitudes recibidas, 5 corresponden a personas que han tomado el curso"};
    for (size_t i = 0; i < G_N_ELEMENTS(words); i++)
        if (!strstr(t.out, words[i]))
            fail_msg("pdftotext lacks «%s»", words[i]);
    /* The sum of the reach declared per action is not a number of people. */
    assert_null(strstr(t.out, "alcance estimado"));
    char *fonts[] = {"pdffonts", pdf, NULL};
    result fo = run("/", fonts, NULL);
    assert_int_equal(fo.status, 0);
    assert_non_null(strstr(fo.out, "LiberationSans"));
    /* Every font line says emb yes. */
    char **lines = g_strsplit(fo.out, "\n", -1);
    for (char **l = lines + 2; *l; l++)
        if (**l)
            assert_non_null(strstr(*l, " yes "));
    g_strfreev(lines);
    result_clear(&fo);
    result_clear(&t);
    result_clear(&q);
    g_free(pdf);
}

static void test_xlsx_reads_back_with_numbers_and_formulas(void **state)
{
    fixture *f = *state;
    char *xlsx = g_build_filename(f->out, "informe.xlsx", NULL);
    const char *script =
        "import sys, openpyxl\n"
        "wf = openpyxl.load_workbook(sys.argv[1]); wv = openpyxl.load_workbook(sys.argv[1], data_only=True)\n"
        "names = wf.sheetnames\n"
        "assert 'Métricas' in names and 'Control' in names and 'Difusión por entidad' in names, names\n"
        "ws = wv['Solicitudes por entidad']\n"
        "rows = [[c.value for c in r] for r in ws.iter_rows()]\n"
        "assert rows[2][:2] == ['Clave', 'Entidad'], rows[2]\n"
        "tot = [r for r in rows if r and r[1] == 'Total nacional'][0]\n"
        "assert tot[0] == '00' and tot[2] == 8 and isinstance(tot[2], (int, float)), tot\n"
        "formulas = [c.value for r in wf['Solicitudes por entidad'].iter_rows() for c in r if isinstance(c.value, str) and c.value.startswith('=')]\n"
        "assert formulas and all(f.startswith('=SUM(') for f in formulas), formulas\n"
        "cdmx = [r for r in rows if r and r[1] == 'Ciudad de México'][0]\n"
        "assert cdmx[0] == '09' and cdmx[2] == 4, cdmx\n"
        "m = [[c.value for c in r] for r in wv['Métricas'].iter_rows()]\n"
        "assert ['2023-10-12', '00', 'solicitudes.total', 8, 'nacional'] in m, m[:3]\n"
        "assert m[2] == ['corte', 'entidad', 'metrica', 'valor', 'nivel'], m[2]\n"
        "assert all(r[4] == ('nacional' if r[1] == '00' else 'entidad') for r in m[3:]), 'nivel'\n"
        "assert names[0] == 'Acerca de', names\n"
        "print('ok')\n";
    char *argv[] = {"/usr/bin/python3", "-c", (char *)script, xlsx, NULL};
    result r = run("/", argv, NULL);
    if (r.status != 0)
        fail_msg("openpyxl check failed: %s%s", r.out, r.err);
    result_clear(&r);
    g_free(xlsx);
}

static void test_outputs_carry_no_personal_data(void **state)
{
    fixture *f = *state;
    const char *names[] = {"Pérez", "López", "Martínez", "Gómez", "Sofía"};
    char *pdf = g_build_filename(f->out, "informe.pdf", NULL);
    char *text[] = {"pdftotext", pdf, "-", NULL};
    result t = run("/", text, NULL);
    char *xlsx = g_build_filename(f->out, "informe.xlsx", NULL);
    char *unzip[] = {"/usr/bin/python3", "-c",
                     "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\n"
                     "sys.stdout.write(''.join(z.read(n).decode('utf-8', 'replace') for n in z.namelist()))\n",
                     xlsx, NULL};
    result x = run("/", unzip, NULL);
    assert_int_equal(x.status, 0);
    const char *files[] = {"metricas.csv", "rechazos.csv"};
    for (size_t k = 0; k < G_N_ELEMENTS(names); k++) {
        if (strstr(t.out, names[k]) || strstr(x.out, names[k]))
            fail_msg("«%s» leaked into the informe", names[k]);
        for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
            char *p = g_build_filename(f->out, files[i], NULL);
            char *content = read_file(p);
            if (strstr(content, names[k]))
                fail_msg("«%s» leaked into %s", names[k], files[i]);
            g_free(content);
            g_free(p);
        }
    }
    result_clear(&x);
    result_clear(&t);
    g_free(xlsx);
    g_free(pdf);
}

static void test_same_epoch_gives_identical_bytes(void **state)
{
    fixture *f = *state;
    char *dir = case_dir("basico");
    char *out2 = scratch_dir("e2e");
    char **argv = case_argv(dir, out2);
    const char *env[] = {"SOURCE_DATE_EPOCH=1698300000", NULL};
    result r = run(out2, argv, env);
    assert_int_equal(r.status, 0);
    const char *files[] = {"informe.pdf", "informe.xlsx", "metricas.csv", "rechazos.csv"};
    for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
        char *a = g_build_filename(f->out, files[i], NULL), *b = g_build_filename(out2, files[i], NULL);
        gchar *ca, *cb;
        gsize la, lb;
        assert_true(g_file_get_contents(a, &ca, &la, NULL));
        assert_true(g_file_get_contents(b, &cb, &lb, NULL));
        if (la != lb || memcmp(ca, cb, la) != 0)
            fail_msg("%s differs between two runs with the same SOURCE_DATE_EPOCH", files[i]);
        g_free(ca);
        g_free(cb);
        g_free(a);
        g_free(b);
    }
    remove_tree(out2);
    result_clear(&r);
    g_strfreev(argv);
    g_free(out2);
    g_free(dir);
}

/* ---- INE's published figures --------------------------------------------------------------- */

/*
 * Writes exports shaped like INE's published figures of the 2023-2024 process:
 * 978 requests by 12 Oct 2023 (487 mujeres, 491 hombres); 2,366 by 19 Jan 2024
 * (portal 2,038, juntas 229, OPL 99); 34,462 by 8 May 2024 (18,300 mujeres,
 * 16,114 hombres, 48 no binarias; 30,270 individuales, 4,192 of organisations).
 */
static void write_ine_shaped(const char *dir)
{
    GString *s = g_string_new("folio,entidad,fecha_solicitud,tipo,medio,sexo\n");
    for (int i = 0; i < 34462; i++) {
        const char *date = i < 978 ? "2023-10-01" : i < 2366 ? "2024-01-10" : "2024-04-20";
        const char *sexo;
        if (i < 978)
            sexo = i < 487 ? "mujer" : "hombre";
        else
            sexo = i - 978 < 17813 ? "mujer" : i - 978 < 17813 + 15623 ? "hombre" : "no_binaria";
        const char *medio = i >= 2366 || i < 2038 ? "portal" : i < 2267 ? "junta" : "opl";
        g_string_append_printf(s, "F%05d,%d,%s,%s,%s,%s\n", i, 1 + i % 32, date,
                               i < 30270 ? "individual" : "organizacion", medio, sexo);
    }
    char *p = g_build_filename(dir, "solicitudes.csv", NULL);
    assert_true(g_file_set_contents(p, s->str, (gssize)s->len, NULL));
    g_free(p);
    g_string_free(s, TRUE);
    p = g_build_filename(dir, "difusion.csv", NULL);
    assert_true(g_file_set_contents(p, "id,entidad,instancia,fecha,tipo\nD1,15,opl,2023-09-20,rs\n", -1, NULL));
    g_free(p);
}

static char *pdf_text(const char *pdf)
{
    char *argv[] = {"pdftotext", "-layout", (char *)pdf, "-", NULL};
    result t = run("/", argv, NULL);
    assert_int_equal(t.status, 0);
    g_free(t.err);
    return t.out;
}

/* Collapses runs of spaces so table rows can be matched whatever the column widths. */
static char *squeeze(const char *s)
{
    GString *o = g_string_new(NULL);
    for (; *s; s++)
        if (*s != ' ' || (o->len && o->str[o->len - 1] != ' '))
            g_string_append_c(o, *s);
    return g_string_free(o, FALSE);
}

static void test_informe_states_ine_published_figures(void **state)
{
    (void)state;
    char *tmp = scratch_dir("e2e");
    write_ine_shaped(tmp);
    char *s = g_build_filename(tmp, "solicitudes.csv", NULL), *d = g_build_filename(tmp, "difusion.csv", NULL);
    const char *env[] = {"SOURCE_DATE_EPOCH=1715364000", NULL}; /* 10 May 2024, after every corte */
    char *a1[] = {(char *)observa_bin(), "informe", "-s", s, "-d", d, "-c", "2024-01-19", "-a", "2023-10-12",
                  "-o", "enero", "-q", NULL};
    result r = run(tmp, a1, env);
    assert_int_equal(r.status, 0);
    result_clear(&r);
    char *pdf = g_build_filename(tmp, "enero", "informe.pdf", NULL);
    char *raw = pdf_text(pdf), *text = squeeze(raw);
    const char *jan[] = {"Portal público 2,038 86.1%", "Juntas Locales y Distritales Ejecutivas 229 9.7%",
                         "Organismos Públicos Locales 99 4.2%", "Total 2,366 100.0%",
                         "Solicitudes recibidas 2,366 978 +1,388", "Mujeres 1,875 487 +1,388", "Hombres 491 491 0",
                         "cuando sumaban 978"};
    for (size_t i = 0; i < G_N_ELEMENTS(jan); i++)
        if (!strstr(text, jan[i]))
            fail_msg("the January informe lacks «%s»", jan[i]);
    g_free(text);
    g_free(raw);
    char *a2[] = {(char *)observa_bin(), "informe", "-s", s, "-d", d, "-c", "2024-05-08", "-o", "mayo", "-q", NULL};
    r = run(tmp, a2, env);
    assert_int_equal(r.status, 0);
    result_clear(&r);
    char *pdf2 = g_build_filename(tmp, "mayo", "informe.pdf", NULL);
    raw = pdf_text(pdf2);
    text = squeeze(raw);
    const char *may[] = {"Solicitudes recibidas 34,462", "Mujeres 18,300", "Hombres 16,114",
                         "Personas no binarias 48", "Solicitudes individuales 30,270",
                         "Solicitudes de integrantes de organizaciones 4,192",
                         ("se han recibido 34,462 solicitudes de acreditación: 18,300 de mujeres (53.1% del total), "
                          "16,114 de hombres (46.8%) y 48 de personas no binarias")};
    for (size_t i = 0; i < G_N_ELEMENTS(may); i++) {
        char *flat = g_strdup(text);
        g_strdelimit(flat, "\n", ' ');
        char *sq = squeeze(flat);
        if (!strstr(text, may[i]) && !strstr(sq, may[i]))
            fail_msg("the May informe lacks «%s»", may[i]);
        g_free(sq);
        g_free(flat);
    }
    /* The workbook states the same national figures as numbers. */
    char *xlsx = g_build_filename(tmp, "mayo", "informe.xlsx", NULL);
    const char *script =
        "import sys, openpyxl\n"
        "wb = openpyxl.load_workbook(sys.argv[1], data_only=True)\n"
        "rows = [[c.value for c in r] for r in wb['Solicitudes por entidad'].iter_rows()]\n"
        "tot = [r for r in rows if r and r[1] == 'Total nacional'][0]\n"
        "assert tot[2:6] == [34462, 18300, 16114, 48], tot\n"
        "med = [[c.value for c in r] for r in wb['Medio de recepción'].iter_rows()]\n"
        "assert ['Total', 34462, 1] in med, med\n";
    char *py[] = {"/usr/bin/python3", "-c", (char *)script, xlsx, NULL};
    r = run("/", py, NULL);
    if (r.status != 0)
        fail_msg("workbook check failed: %s", r.err);
    result_clear(&r);
    g_free(xlsx);
    g_free(text);
    g_free(raw);
    g_free(pdf2);
    g_free(pdf);
    g_free(s);
    g_free(d);
    remove_tree(tmp);
    g_free(tmp);
}

/* A corte before any data: each chart is the sentence "Sin registros al corte del …" in the PDF
 * and in the workbook (no axes over nothing); the national count of organisations is written as
 * a number, not as a SUM of the entidades (an organisation in two entidades counts once). */
static void test_empty_charts_and_distinct_totals(void **state)
{
    (void)state;
    char *tmp = scratch_dir("e2e");
    char *s = g_build_filename(g_getenv("OBS_TEST_SOURCE_ROOT"), "sample-data", "solicitudes.csv", NULL);
    char *d = g_build_filename(g_getenv("OBS_TEST_SOURCE_ROOT"), "sample-data", "difusion.csv", NULL);
    const char *env[] = {"SOURCE_DATE_EPOCH=1715364000", NULL}; /* 10 May 2024, after every corte */
    char *a1[] = {(char *)observa_bin(), "informe", "-s", s, "-d", d, "-c", "2023-01-01", "-o", "antes", "-q", NULL};
    char *a2[] = {(char *)observa_bin(), "informe", "-s", s, "-d", d, "-c", "2024-05-08", "-o", "mayo", "-q", NULL};
    result r = run(tmp, a1, env);
    assert_int_equal(r.status, 0);
    result_clear(&r);
    r = run(tmp, a2, env);
    assert_int_equal(r.status, 0);
    result_clear(&r);
    char *pdf = g_build_filename(tmp, "antes", "informe.pdf", NULL);
    char *words = pdf_words(pdf);
    /* Each chart's title is followed by the sentence, not by axes. */
    const char *charts[] = {"Acciones de difusión de los OPL por entidad", "acumuladas por semana",
                            "Solicitudes por grupo de edad y sexo"};
    for (size_t i = 0; i < G_N_ELEMENTS(charts); i++) {
        char *said = g_strconcat(charts[i], " Sin registros al corte del 1 de enero de 2023.", NULL);
        if (!strstr(words, said))
            fail_msg("the PDF lacks «%s»", said);
        g_free(said);
    }
    assert_null(strstr(words, " 0.2 "));
    g_free(words);
    g_free(pdf);
    char *before = g_build_filename(tmp, "antes", "informe.xlsx", NULL);
    char *may = g_build_filename(tmp, "mayo", "informe.xlsx", NULL);
    const char *script =
        "import sys, openpyxl\n"
        "wb = openpyxl.load_workbook(sys.argv[1])\n"
        "for name in ('Gráfica OPL', 'Gráfica semanal', 'Gráfica edad y sexo'):\n"
        "    ws = wb[name]\n"
        "    said = [c.value for r in ws.iter_rows() for c in r if c.value == 'Sin registros al corte del 1 de enero de 2023.']\n"
        "    assert said and not ws._charts, (name, said, ws._charts)\n"
        "wf = openpyxl.load_workbook(sys.argv[2]); wv = openpyxl.load_workbook(sys.argv[2], data_only=True)\n"
        "tot = [[c.value for c in r] for r in wf['Organizaciones'].iter_rows() if r[1].value == 'Total nacional'][0]\n"
        "assert tot[0] == '00' and isinstance(tot[2], int) and str(tot[3]).startswith('=SUM('), tot\n"
        "rows = [[c.value for c in r] for r in wv['Organizaciones'].iter_rows()]\n"
        "ents = [r[2] for r in rows[3:35]]\n"
        "assert max(ents) <= tot[2] < sum(ents), (tot, ents)\n"
        "m = [[c.value for c in r] for r in wv['Métricas'].iter_rows()]\n"
        "assert ['2024-05-08', '00', 'solicitudes.organizaciones', tot[2], 'nacional'] in m\n";
    char *py[] = {"/usr/bin/python3", "-c", (char *)script, before, may, NULL};
    r = run("/", py, NULL);
    if (r.status != 0)
        fail_msg("workbook check failed: %s", r.err);
    result_clear(&r);
    g_free(before);
    g_free(may);
    g_free(s);
    g_free(d);
    remove_tree(tmp);
    g_free(tmp);
}

/* ---- exit statuses ------------------------------------------------------------------------ */

static void test_missing_input_exits_66_naming_the_file(void **state)
{
    (void)state;
    char *out = scratch_dir("e2e");
    char *dir = case_dir("basico");
    char *dif = g_build_filename(dir, "difusion.csv", NULL);
    char *argv[] = {(char *)observa_bin(), "informe", "-s", "no-existe.csv", "-d", dif, "-c", "2023-10-12",
                    "-o", out, NULL};
    result r = run(out, argv, NULL);
    assert_int_equal(r.status, 66);
    assert_non_null(strstr(r.err, "no-existe.csv"));
    result_clear(&r);
    g_free(dif);
    g_free(dir);
    remove_tree(out);
    g_free(out);
}

/* Empty, header-less and binary inputs exit 65, a missing one 66, each naming the file. */
static void test_bad_input_files_exit_with_their_status(void **state)
{
    (void)state;
    char *out = scratch_dir("e2e");
    char *dir = case_dir("basico");
    char *good = g_build_filename(dir, "solicitudes.csv", NULL);
    const struct {
        const char *name;
        const char *data;
        gssize len;
        int status;
        const char *says;
    } cases[] = {
        {"vacio.csv", "", 0, 65, "vacío"},
        {"sin-encabezado.csv", "D01,09,opl,2023-10-01,,rs,100\nD02,09,opl,2023-10-01,,rs,100\n", -1, 65,
         "encabezado"},
        {"binario.csv", "PK\003\004\000\000\010\000binary\000data", 20, 65, "CSV"},
        {"falta-columna.csv", "id,entidad,fecha,tipo\nD1,09,2023-10-01,rs\n", -1, 65, "instancia"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *path = g_build_filename(out, cases[i].name, NULL);
        assert_true(g_file_set_contents(path, cases[i].data, cases[i].len, NULL));
        char *argv[] = {(char *)observa_bin(), "validar", "-s", good, "-d", path, "-o", out, NULL};
        result r = run(out, argv, NULL);
        if (r.status != cases[i].status || !strstr(r.err, cases[i].name) || !strstr(r.err, cases[i].says))
            fail_msg("%s: exit %d, stderr: %s", cases[i].name, r.status, r.err);
        result_clear(&r);
        g_free(path);
    }
    char *argv[] = {(char *)observa_bin(), "validar", "-s", good, "-d", "no-existe.csv", "-o", out, NULL};
    result r = run(out, argv, NULL);
    assert_int_equal(r.status, 66);
    assert_non_null(strstr(r.err, "no-existe.csv"));
    result_clear(&r);
    g_free(good);
    g_free(dir);
    remove_tree(out);
    g_free(out);
}

/* A broken template stops the run with 78, names file:line, and writes nothing. */
static void test_template_error_exits_78_and_writes_nothing(void **state)
{
    (void)state;
    char *tmp = scratch_dir("e2e");
    char *tpl = g_build_filename(tmp, "plantillas", NULL);
    char *src = g_build_filename(g_getenv("OBS_TEST_SOURCE_ROOT"), "templates", NULL);
    char *cp[] = {"cp", "-r", src, tpl, NULL};
    result c = run("/", cp, NULL);
    assert_int_equal(c.status, 0);
    result_clear(&c);
    char *path = g_build_filename(tpl, "informe.tpl", NULL);
    char *text = read_file(path);
    char *broken = g_strconcat(text, "\n@seccion Extra\nTotal: {{solicitudes.totl}}\n", NULL);
    guint line = 0;
    for (const char *q = broken; *q; q++)
        line += *q == '\n';
    assert_true(g_file_set_contents(path, broken, -1, NULL));
    char *dir = case_dir("basico");
    char *out = g_build_filename(tmp, "salida", NULL);
    char *s = g_build_filename(dir, "solicitudes.csv", NULL), *d = g_build_filename(dir, "difusion.csv", NULL);
    char *argv[] = {(char *)observa_bin(), "informe", "-s", s, "-d", d, "-c", "2023-10-12", "-t", tpl, "-o", out, NULL};
    result r = run(tmp, argv, NULL);
    assert_int_equal(r.status, 78);
    char *where = g_strdup_printf("informe.tpl:%u:", line);
    if (!strstr(r.err, where) || !strstr(r.err, "solicitudes.totl"))
        fail_msg("stderr lacks %s: %s", where, r.err);
    assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
    g_free(where);
    result_clear(&r);
    g_free(s);
    g_free(d);
    g_free(out);
    g_free(dir);
    g_free(broken);
    g_free(text);
    g_free(path);
    g_free(src);
    g_free(tpl);
    remove_tree(tmp);
    g_free(tmp);
}

static void test_usage_errors_exit_64_in_spanish(void **state)
{
    (void)state;
    char *a1[] = {(char *)observa_bin(), "informe", "--desconocida", NULL};
    result r = run("/", a1, NULL);
    assert_int_equal(r.status, 64);
    assert_non_null(strstr(r.err, "opción desconocida"));
    result_clear(&r);
    char *a2[] = {(char *)observa_bin(), "informe", "-s", "a.csv", "-d", "b.csv", "-c", "12/10/2023", NULL};
    r = run("/", a2, NULL);
    assert_int_equal(r.status, 64);
    assert_non_null(strstr(r.err, "AAAA-MM-DD"));
    result_clear(&r);
    char *a3[] = {(char *)observa_bin(), "informe", "-s", "a.csv", "-d", "b.csv", NULL};
    r = run("/", a3, NULL);
    assert_int_equal(r.status, 64);
    assert_non_null(strstr(r.err, "falta la fecha de corte"));
    result_clear(&r);
    char *a4[] = {(char *)observa_bin(), "--version", NULL};
    r = run("/", a4, NULL);
    assert_int_equal(r.status, 0);
    assert_true(g_str_has_prefix(r.out, "observa "));
    result_clear(&r);
    char *a5[] = {(char *)observa_bin(), "informe", "--help", NULL};
    r = run("/", a5, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Uso: observa informe"));
    result_clear(&r);
}

static void test_estricto_exits_65_and_keeps_ledger(void **state)
{
    (void)state;
    char *dir = case_dir("basico");
    char *out = scratch_dir("e2e");
    char **argv = case_argv(dir, out);
    guint n = g_strv_length(argv);
    argv = g_renew(char *, argv, n + 2);
    argv[n] = g_strdup("--estricto");
    argv[n + 1] = NULL;
    result r = run(out, argv, NULL);
    assert_int_equal(r.status, 65);
    char *ledger = g_build_filename(out, "rechazos.csv", NULL);
    char *pdf = g_build_filename(out, "informe.pdf", NULL);
    assert_true(g_file_test(ledger, G_FILE_TEST_EXISTS));
    assert_false(g_file_test(pdf, G_FILE_TEST_EXISTS));
    /* The counts still account for every row. */
    assert_non_null(strstr(r.err, "17 filas leídas = 9 aceptadas + 8 rechazadas"));
    g_free(ledger);
    g_free(pdf);
    result_clear(&r);
    g_strfreev(argv);
    remove_tree(out);
    g_free(out);
    g_free(dir);
}

static void test_metricas_command_writes_stdout_only(void **state)
{
    (void)state;
    char *dir = case_dir("basico");
    char *out = scratch_dir("e2e");
    char *s = g_build_filename(dir, "solicitudes.csv", NULL), *d = g_build_filename(dir, "difusion.csv", NULL);
    char *argv[] = {(char *)observa_bin(), "metricas", "-s", s, "-d", d, "-c", "2023-10-12", "--max-rechazadas", "100",
                    "-q", NULL};
    result r = run(out, argv, NULL);
    assert_int_equal(r.status, 0);
    /* Piped into other programs: no BOM on standard output. */
    assert_true(g_str_has_prefix(r.out, "corte,entidad,metrica,valor\n"));
    assert_non_null(strstr(r.out, "2023-10-12,00,solicitudes.total,8\n"));
    assert_null(strstr(r.out, "2023-10-05"));
    GDir *gd = g_dir_open(out, 0, NULL);
    assert_null(g_dir_read_name(gd)); /* nothing written */
    g_dir_close(gd);
    result_clear(&r);
    g_free(s);
    g_free(d);
    g_rmdir(out);
    g_free(out);
    g_free(dir);
}

/*
 * Issue 11, examples 1, 2 and 6 on the whole sample: difusion.csv as a spreadsheet saves it with
 * alcance formatted #,##0 ("21,000", quoted in a comma file), a trailing delimiter on every row and
 * a no-break space pasted after the entidad. Every action still counts: the same metricas.csv.
 */
static void test_sample_saved_by_a_spreadsheet_gives_the_same_figures(void **state)
{
    (void)state;
    char *sample = g_build_filename(g_getenv("OBS_TEST_SOURCE_ROOT"), "sample-data", NULL);
    char *s = g_build_filename(sample, "solicitudes.csv", NULL), *d = g_build_filename(sample, "difusion.csv", NULL);
    char *text = read_file(d);
    char **lines = g_strsplit(text, "\n", -1);
    GString *messy = g_string_new(NULL);
    unsigned formatted = 0;
    for (char **l = lines; *l; l++) {
        if (l == lines || !**l) {
            g_string_append_printf(messy, "%s%s", *l, **l ? "\n" : "");
            continue;
        }
        /* id,entidad,instancia,fecha,fecha_registro,tipo,alcance,… : the first seven have no quotes. */
        char **f = g_strsplit(*l, ",", 8);
        assert_non_null(f[7]);
        long alcance = f[6][0] ? strtol(f[6], NULL, 10) : -1;
        g_string_append_printf(messy, "%s,%s\u00a0,%s,%s,%s,%s,", f[0], f[1], f[2], f[3], f[4], f[5]);
        if (alcance >= 1000) {
            g_string_append_printf(messy, "\"%ld,%03ld\"", alcance / 1000, alcance % 1000);
            formatted++;
        } else {
            g_string_append(messy, f[6]);
        }
        g_string_append_printf(messy, ",%s,\n", f[7]);
        g_strfreev(f);
    }
    assert_true(formatted > 1000);
    char *out = scratch_dir("e2e");
    char *md = g_build_filename(out, "difusion-excel.csv", NULL);
    assert_true(g_file_set_contents(md, messy->str, (gssize)messy->len, NULL));
    char *a1[] = {(char *)observa_bin(), "metricas", "-s", s, "-d", d, "-c", "2024-01-19", "-q", NULL};
    char *a2[] = {(char *)observa_bin(), "metricas", "-s", s, "-d", md, "-c", "2024-01-19", "-q", NULL};
    result r1 = run(out, a1, NULL), r2 = run(out, a2, NULL);
    assert_int_equal(r1.status, 0);
    assert_int_equal(r2.status, 0);
    if (strcmp(r1.out, r2.out) != 0)
        fail_msg("metricas differ when difusion.csv is saved by a spreadsheet");
    result_clear(&r1);
    result_clear(&r2);
    remove_tree(out);
    g_free(out);
    g_free(md);
    g_string_free(messy, TRUE);
    g_strfreev(lines);
    g_free(text);
    g_free(s);
    g_free(d);
    g_free(sample);
}


/* reports.md §3: each per-OPL summary fits two pages (the sample's 32, at its last corte with a
 * corte anterior and before any data), and its short table by tipo is never split. */
static void test_opl_summaries_fit_two_pages(void **state)
{
    (void)state;
    char *sample = g_build_filename(g_getenv("OBS_TEST_SOURCE_ROOT"), "sample-data", NULL);
    char *s = g_build_filename(sample, "solicitudes.csv", NULL), *d = g_build_filename(sample, "difusion.csv", NULL);
    char *out = scratch_dir("e2e");
    const char *cortes[][2] = {{"2024-05-08", "2024-01-19"}, {"2023-01-01", NULL}};
    for (size_t k = 0; k < G_N_ELEMENTS(cortes); k++) {
        char *dir = g_build_filename(out, cortes[k][0], NULL);
        char *argv[] = {(char *)observa_bin(), "opl", "-s", s, "-d", d, "-c", (char *)cortes[k][0], "-o", dir,
                        "-f", "pdf", "-q", cortes[k][1] ? "-a" : NULL, (char *)cortes[k][1], NULL};
        result r = run(out, argv, NULL);
        assert_int_equal(r.status, 0);
        result_clear(&r);
        char *opl = g_build_filename(dir, "opl", NULL);
        GDir *gd = g_dir_open(opl, 0, NULL);
        assert_non_null(gd);
        int n = 0;
        for (const char *name; (name = g_dir_read_name(gd));) {
            char *pdf = g_build_filename(opl, name, NULL);
            char *info[] = {"pdfinfo", pdf, NULL};
            result i = run(out, info, NULL);
            const char *pages = strstr(i.out, "Pages:");
            assert_non_null(pages);
            if (atoi(pages + 6) > 2)
                fail_msg("%s takes %d pages", name, atoi(pages + 6));
            char *words = pdf_words(pdf);
            if (strstr(words, "por tipo (continuación)"))
                fail_msg("%s splits its table by tipo", name);
            g_free(words);
            result_clear(&i);
            g_free(pdf);
            n++;
        }
        assert_int_equal(n, 32);
        g_dir_close(gd);
        g_free(opl);
        g_free(dir);
    }
    remove_tree(out);
    g_free(out);
    g_free(s);
    g_free(d);
    g_free(sample);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_saved_by_a_spreadsheet_gives_the_same_figures),
        cmocka_unit_test(test_opl_summaries_fit_two_pages),
        cmocka_unit_test(test_dialects_give_identical_metricas),
        cmocka_unit_test_setup_teardown(test_pdf_is_valid_text_with_accents, setup_informe, teardown_informe),
        cmocka_unit_test_setup_teardown(test_xlsx_reads_back_with_numbers_and_formulas, setup_informe,
                                        teardown_informe),
        cmocka_unit_test_setup_teardown(test_outputs_carry_no_personal_data, setup_informe, teardown_informe),
        cmocka_unit_test_setup_teardown(test_same_epoch_gives_identical_bytes, setup_informe, teardown_informe),
        cmocka_unit_test(test_informe_states_ine_published_figures),
        cmocka_unit_test(test_empty_charts_and_distinct_totals),
        cmocka_unit_test(test_missing_input_exits_66_naming_the_file),
        cmocka_unit_test(test_bad_input_files_exit_with_their_status),
        cmocka_unit_test(test_template_error_exits_78_and_writes_nothing),
        cmocka_unit_test(test_usage_errors_exit_64_in_spanish),
        cmocka_unit_test(test_estricto_exits_65_and_keeps_ledger),
        cmocka_unit_test(test_metricas_command_writes_stdout_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
