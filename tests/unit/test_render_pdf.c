/* test_render_pdf.c - PDF renderer: text, fonts, layout, metadata and errors, checked with poppler and qpdf. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fontconfig/fontconfig.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "images.h"
#include "scratch.h"
#include "observa/catalog.h"
#include "observa/render.h"
#include "observa/template.h"

/* Set OBS_TEST_KEEP=dir to keep the rendered PDFs there for inspection. */
typedef struct fixture {
    char *dir;
} fixture;

static const char *const ENTIDADES[32] = {
    "Aguascalientes", "Baja California", "Baja California Sur", "Campeche",
    "Coahuila", "Colima", "Chiapas", "Chihuahua", "Ciudad de México", "Durango",
    "Guanajuato", "Guerrero", "Hidalgo", "Jalisco", "México", "Michoacán",
    "Morelos", "Nayarit", "Nuevo León", "Oaxaca", "Puebla", "Querétaro",
    "Quintana Roo", "San Luis Potosí", "Sinaloa", "Sonora", "Tabasco",
    "Tamaulipas", "Tlaxcala", "Veracruz", "Yucatán", "Zacatecas"};

#define HEADER_TEXT "Informe de observación · corte 12/10/2023"
#define DOC_TITLE "Informe sobre el seguimiento al procedimiento de acreditación de las y los observadores electorales"
#define GENERATED_AT INT64_C(1698415200) /* 2023-10-27T14:00:00Z = 08:00 in Mexico City */
#define MARGIN_PT (20.0 * 72.0 / 25.4)

/* ---- Documents ------------------------------------------------------------- */

static void set_meta(obs_doc *d, obs_layout layout, obs_paper paper)
{
    d->layout = layout;
    d->paper = paper;
    obs_set_str(&d->title, DOC_TITLE);
    obs_set_str(&d->subject, "Difusión de la convocatoria y solicitudes de acreditación");
    obs_set_str(&d->author, "Dirección Ejecutiva de Organización Electoral");
    obs_set_str(&d->creator, "observa 0.1.0");
    obs_set_str(&d->keywords, "INE, observación electoral, acreditación, Organismos Públicos Locales");
    obs_set_str(&d->header, HEADER_TEXT);
    d->generated_at = GENERATED_AT;
    obs_set_str(&d->cover.institution, "Instituto Nacional Electoral");
    obs_set_str(&d->cover.area, "Dirección Ejecutiva de Organización Electoral");
    obs_set_str(&d->cover.title, DOC_TITLE);
    obs_set_str(&d->cover.subtitle, "Proceso Electoral Concurrente 2023-2024");
    obs_set_str(&d->cover.corte, "Con corte al 12 de octubre de 2023");
    obs_set_str(&d->cover.place_date, "Ciudad de México, 27 de octubre de 2023");
}

static int64_t opl_actions(size_t i)
{
    return 4 + (int64_t)((i * 11) % 41);
}

static void add_difusion(obs_doc *d)
{
    obs_section *sec = obs_doc_add_section(d, "Difusión de la convocatoria");
    obs_section_add_paragraph(sec, OBS_PAR_NORMAL,
        "Durante el periodo que se informa, las Juntas Locales y Distritales Ejecutivas y los "
        "Organismos Públicos Locales realizaron acciones de difusión de la convocatoria en las "
        "32 entidades. ¿Cómo se distribuyen? La tabla siguiente las resume; «–» indica que la "
        "base del porcentaje es cero. ¡Gracias a todas las áreas por su información!");
    obs_table *t = obs_section_add_table(sec, "difusion_entidad",
                                         "Acciones de difusión de la convocatoria por entidad",
                                         "Difusión por entidad", 8);
    const char *heads[8] = {"Entidad", "Acciones JLE", "Acciones JDE", "Acciones OPL",
                            "Total de acciones", "Alcance estimado",
                            "Cambio OPL desde el corte anterior", "% OPL del total"};
    for (size_t j = 0; j < 8; j++)
        obs_table_set_column(t, j, heads[j], j == 0 ? OBS_ALIGN_LEFT : OBS_ALIGN_RIGHT, 0);
    int64_t sum[6] = {0};
    for (size_t i = 0; i < 32; i++) {
        int64_t jle = 20 + (int64_t)((i * 7) % 31), jde = 60 + (int64_t)((i * 13) % 90);
        int64_t opl = opl_actions(i), tot = jle + jde + opl, alc = tot * 1234 + (int64_t)i * 17;
        obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
        obs_row_set_text(r, 0, ENTIDADES[i]);
        obs_row_set_int(r, 1, jle);
        obs_row_set_int(r, 2, jde);
        obs_row_set_int(r, 3, opl);
        obs_row_set_int(r, 4, tot);
        obs_row_set_int(r, 5, alc);
        obs_row_set_delta(r, 6, (int64_t)(i % 5) - 2);
        obs_row_set_pct(r, 7, opl, i == 5 ? 0 : tot);
        if (opl < 12) {
            r->marked = true;
            obs_row_flag(r, 3, OBS_CELL_MARK);
        }
        int64_t v[6] = {jle, jde, opl, tot, alc, 0};
        for (size_t k = 0; k < 5; k++)
            sum[k] += v[k];
    }
    obs_row *tr = obs_table_add_row(t, OBS_ROW_TOTAL);
    obs_row_set_text(tr, 0, "Total nacional");
    for (size_t k = 0; k < 5; k++)
        obs_row_set_int(tr, k + 1, sum[k]);
    obs_row_set_delta(tr, 6, 3);
    obs_row_set_pct(tr, 7, sum[2], sum[3]);
    obs_set_str(&t->note, "Se marcan los OPL con menos de 12 acciones (≥ 50% de la mediana nacional). "
                          "Porcentajes sobre el total de acciones de cada entidad.");

    /* Bar chart sorted by value, as the builder does. */
    size_t order[32];
    for (size_t i = 0; i < 32; i++)
        order[i] = i;
    for (size_t i = 0; i < 32; i++)
        for (size_t k = i + 1; k < 32; k++)
            if (opl_actions(order[k]) > opl_actions(order[i])) {
                size_t tmp = order[i];
                order[i] = order[k];
                order[k] = tmp;
            }
    obs_chart *ch = obs_section_add_chart(sec, "difusion_opl", "Acciones de difusión de los OPL por entidad",
                                          "Gráfica OPL", OBS_CHART_HBAR, 32, 1);
    obs_chart_set_series(ch, 0, "Acciones OPL");
    for (size_t i = 0; i < 32; i++) {
        obs_chart_set_cat(ch, i, ENTIDADES[order[i]]);
        ch->series[0].values[i] = (double)opl_actions(order[i]);
        ch->highlight[i] = opl_actions(order[i]) < 12;
    }
    obs_chart_set_threshold(ch, 12, "Umbral: 12 acciones (50% de la mediana)");
    obs_set_str(&ch->x_title, "Acciones de difusión del OPL (número)"); /* horizontal: the values */
    obs_set_str(&ch->y_title, "Entidad federativa");
    obs_set_str(&ch->note, "En color de alerta, los OPL por debajo del umbral.");

    obs_section_add_paragraph(sec, OBS_PAR_HEADING, "OPL con bajo número de acciones");
    obs_block *list = obs_section_add_list(sec, OBS_PAR_NORMAL);
    for (size_t i = 0; i < 32; i++)
        if (opl_actions(i) < 12)
            obs_list_add(list, "%s: %lld acciones de difusión registradas por el Organismo Público Local, "
                               "por debajo del umbral de 12.",
                         ENTIDADES[i], (long long)opl_actions(i));
}

static void add_solicitudes(obs_doc *d)
{
    obs_section *sec = obs_doc_add_section(d, "Solicitudes de acreditación");
    sec->new_page = true;
    obs_table *t = obs_section_add_table(sec, "medio", "Solicitudes por medio de recepción",
                                         "Medio de recepción", 3);
    obs_table_set_column(t, 0, "Medio de recepción", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(t, 1, "Solicitudes", OBS_ALIGN_RIGHT, 0);
    obs_table_set_column(t, 2, "Porcentaje", OBS_ALIGN_RIGHT, 0);
    const char *medios[3] = {"Portal público", "Juntas Locales y Distritales Ejecutivas",
                             "Organismos Públicos Locales"};
    int64_t n[3] = {21456, 9876, 3130}, total = 34462;
    for (size_t i = 0; i < 3; i++) {
        obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
        obs_row_set_text(r, 0, medios[i]);
        obs_row_set_int(r, 1, n[i]);
        obs_row_set_pct(r, 2, n[i], total);
    }
    obs_row *r = obs_table_add_row(t, OBS_ROW_TOTAL);
    obs_row_set_text(r, 0, "Total");
    obs_row_set_int(r, 1, total);
    obs_row_set_pct(r, 2, total, total);

    obs_chart *ln = obs_section_add_chart(sec, "semanas", "Solicitudes acumuladas por semana",
                                          "Semanas", OBS_CHART_LINE, 40, 2);
    obs_chart_set_series(ln, 0, "Solicitudes recibidas");
    obs_chart_set_series(ln, 1, "Solicitudes aprobadas");
    double acc = 0, ok = 0;
    for (size_t i = 0; i < 40; i++) {
        char label[32];
        g_snprintf(label, sizeof label, "Semana %zu", i + 1);
        obs_chart_set_cat(ln, i, label);
        acc += 300 + (double)((i * 37) % 700);
        ok = acc * 0.62;
        ln->series[0].values[i] = acc;
        ln->series[1].values[i] = (double)(int64_t)ok;
    }
    obs_set_str(&ln->x_title, "Semana de recepción");
    obs_set_str(&ln->y_title, "Solicitudes");

    static const char *const bands[13] = {"18 a 19", "20 a 24", "25 a 29", "30 a 34", "35 a 39",
                                          "40 a 44", "45 a 49", "50 a 54", "55 a 59", "60 a 64",
                                          "65 a 69", "70 a 74", "75 y más"};
    obs_chart *col = obs_section_add_chart(sec, "edad_sexo", "Solicitudes por grupo de edad y sexo",
                                           "Edad y sexo", OBS_CHART_COLUMN, 13, 3);
    obs_chart_set_series(col, 0, "Mujeres");
    obs_chart_set_series(col, 1, "Hombres");
    obs_chart_set_series(col, 2, "No binarias");
    for (size_t i = 0; i < 13; i++) {
        obs_chart_set_cat(col, i, bands[i]);
        col->series[0].values[i] = 900 + (double)((i * 331) % 1500);
        col->series[1].values[i] = 700 + (double)((i * 257) % 1300);
        col->series[2].values[i] = (double)((i * 7) % 40);
    }
    obs_set_str(&col->x_title, "Grupo de edad (años)");
    obs_set_str(&col->y_title, "Solicitudes");
    obs_set_str(&col->note, "Edad cumplida a la fecha de la solicitud.");
}

static void add_demarcaciones(obs_doc *d, size_t nrows)
{
    obs_section *sec = obs_doc_add_section(d, "Solicitudes por demarcación territorial");
    sec->new_page = true;
    obs_section_add_paragraph(sec, OBS_PAR_NOTE,
        "Tabla de prueba con %zu filas: debe partirse en varias páginas y repetir su encabezado.", nrows);
    obs_table *t = obs_section_add_table(sec, "demarcaciones", "Solicitudes por demarcación",
                                         "Demarcaciones", 5);
    obs_table_set_column(t, 0, "Demarcación", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(t, 1, "Cabecera distrital", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(t, 2, "Solicitudes recibidas", OBS_ALIGN_RIGHT, 0);
    obs_table_set_column(t, 3, "Aprobadas", OBS_ALIGN_RIGHT, 0);
    obs_table_set_column(t, 4, "% aprobadas", OBS_ALIGN_RIGHT, 0);
    int64_t tr = 0, ta = 0;
    for (size_t i = 0; i < nrows; i++) {
        char name[32];
        g_snprintf(name, sizeof name, "Zona %03zu", i + 1);
        int64_t rec = 100 + (int64_t)((i * 53) % 900), apr = rec * 3 / 5 + (int64_t)(i % 7);
        obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
        obs_row_set_text(r, 0, name);
        obs_row_set_text(r, 1, ENTIDADES[i % 32]);
        obs_row_set_int(r, 2, rec);
        obs_row_set_int(r, 3, apr);
        obs_row_set_pct(r, 4, apr, rec);
        tr += rec;
        ta += apr;
    }
    obs_row *r = obs_table_add_row(t, OBS_ROW_TOTAL);
    obs_row_set_text(r, 0, "Total");
    obs_row_set_int(r, 2, tr);
    obs_row_set_int(r, 3, ta);
    obs_row_set_pct(r, 4, ta, tr);
}

static void add_nota(obs_doc *d)
{
    obs_section *sec = obs_doc_add_section(d, "Nota metodológica");
    obs_section_add_paragraph(sec, OBS_PAR_NORMAL,
        "Las cifras provienen de los archivos de solicitudes y de acciones de difusión exportados "
        "del sistema. Huella SHA-256 del archivo de solicitudes: "
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08ffe4c2. "
        "La lingüística de los catálogos se normaliza (año, señal, pingüino) antes de agrupar.");
    obs_block *list = obs_section_add_list(sec, OBS_PAR_NORMAL);
    obs_list_add(list, "solicitudes.csv: 34,470 filas leídas, 34,462 aceptadas y 8 rechazadas.");
    obs_list_add(list, "difusion.csv: 2,915 filas leídas, todas aceptadas.");
    obs_list_add(list, "Regla de difusión: se marca un OPL cuando sus acciones son menores que la mitad "
                       "de la mediana nacional de acciones de los OPL.");
    obs_table *t = obs_section_add_table(sec, "causas", "Causas de improcedencia más frecuentes", NULL, 2);
    obs_table_set_column(t, 0, "Causa de improcedencia", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(t, 1, "Solicitudes", OBS_ALIGN_RIGHT, 0);
    const char *causas[3] = {
        "No acreditó el curso de capacitación impartido por el Instituto o por el Organismo Público Local",
        "Es o ha sido integrante de la dirigencia de un partido político en los últimos tres años",
        "Documentación incompleta"};
    for (size_t i = 0; i < 3; i++) {
        obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
        obs_row_set_text(r, 0, causas[i]);
        obs_row_set_int(r, 1, 120 - 30 * (int64_t)i);
    }
    obs_section_add_pagebreak(sec); /* a trailing break must not add a blank page */
}

static obs_doc *build_informe(obs_paper paper)
{
    obs_doc *d = obs_doc_new();
    set_meta(d, OBS_LAYOUT_REPORT, paper);
    obs_section *p = obs_doc_add_section(d, "Presentación");
    obs_section_add_paragraph(p, OBS_PAR_NORMAL,
        "El Instituto Nacional Electoral presenta a la Comisión de Capacitación y Organización "
        "Electoral el informe sobre el seguimiento al procedimiento de acreditación de las y los "
        "observadores electorales, con corte al 12 de octubre de 2023. El documento reúne las cifras "
        "de la difusión de la convocatoria, de las solicitudes recibidas por el Portal público, por "
        "las Juntas Locales y Distritales Ejecutivas y por los Organismos Públicos Locales, así como "
        "del estado que guardan: con curso, sin curso, aprobadas, improcedentes y pendientes. "
        "Los porcentajes se calculan sobre la base que se indica en cada caso y se redondean a un "
        "decimal; cuando la base es cero se muestra un guion (–). Las entidades aparecen en el orden "
        "de su clave, salvo cuando la tabla indica otro criterio.");
    obs_section_add_paragraph(p, OBS_PAR_STRONG, "Cifras preliminares, sujetas a validación.");
    obs_section_add_paragraph(p, OBS_PAR_NOTE, "Nota: “solicitud” incluye las presentadas de forma individual o por organización.");
    add_difusion(d);
    add_solicitudes(d);
    add_demarcaciones(d, 80);
    add_nota(d);
    obs_table *x = obs_doc_add_extra_table(d, "metricas", "Tabla exclusiva de Excel", "Métricas", 1);
    obs_table_set_column(x, 0, "Métrica", OBS_ALIGN_LEFT, 0);
    obs_row_set_text(obs_table_add_row(x, OBS_ROW_DATA), 0, "solo_en_la_hoja");
    return d;
}

static obs_doc *build_small_report(void)
{
    obs_doc *d = obs_doc_new();
    set_meta(d, OBS_LAYOUT_REPORT, OBS_PAPER_LETTER);
    obs_section *s = obs_doc_add_section(d, "Presentación");
    obs_section_add_paragraph(s, OBS_PAR_NORMAL, "Un párrafo breve con acentos: Difusión de la convocatoria.");
    return d;
}

static obs_doc *build_letter(void)
{
    obs_doc *d = obs_doc_new();
    set_meta(d, OBS_LAYOUT_LETTER, OBS_PAPER_LETTER);
    obs_set_str(&d->header, NULL);
    obs_set_str(&d->title, "Oficio de exhorto a los Organismos Públicos Locales");
    obs_section *s = obs_doc_add_section(d, NULL);
    obs_section_add_paragraph(s, OBS_PAR_RIGHT, "Oficio núm. INE/DEOE/1104/2023");
    obs_section_add_paragraph(s, OBS_PAR_RIGHT, "Ciudad de México, 28 de octubre de 2023");
    obs_section_add_paragraph(s, OBS_PAR_STRONG, "Presidencias de los Organismos Públicos Locales\nP r e s e n t e s");
    obs_section_add_paragraph(s, OBS_PAR_NORMAL,
        "En la sesión de la Comisión de Capacitación y Organización Electoral del 27 de octubre de "
        "2023 se revisaron las cifras de difusión de la convocatoria con corte al 12 de octubre de "
        "2023. Con el fin de fortalecer la participación ciudadana, se exhorta a los Organismos "
        "Públicos Locales señalados en el anexo a reforzar sus acciones de difusión.");
    obs_table *t = obs_section_add_table(s, "anexo", "Anexo. OPL con bajo número de acciones", NULL, 3);
    obs_table_set_column(t, 0, "Organismo Público Local", OBS_ALIGN_LEFT, 3);
    obs_table_set_column(t, 1, "Entidad", OBS_ALIGN_LEFT, 2);
    obs_table_set_column(t, 2, "Acciones", OBS_ALIGN_RIGHT, 1);
    const char *opl[3][2] = {{"Instituto Electoral del Estado de México", "México"},
                             {"Instituto Electoral de Michoacán", "Michoacán"},
                             {"Instituto Estatal Electoral de Baja California Sur", "Baja California Sur"}};
    for (size_t i = 0; i < 3; i++) {
        obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
        r->marked = true;
        obs_row_set_text(r, 0, opl[i][0]);
        obs_row_set_text(r, 1, opl[i][1]);
        obs_row_set_int(r, 2, 5 + (int64_t)i);
        obs_row_flag(r, 2, OBS_CELL_MARK);
    }
    obs_section_add_paragraph(s, OBS_PAR_NORMAL, "Sin otro particular, reciban un cordial saludo.");
    obs_section_add_paragraph(s, OBS_PAR_CENTER, "A t e n t a m e n t e\n\n\nMtro. Nombre Apellido\nDirector Ejecutivo de Organización Electoral");
    obs_section_add_paragraph(s, OBS_PAR_NOTE, "C.c.p. Integrantes de la Comisión de Capacitación y Organización Electoral. Presentes.");
    return d;
}

static obs_doc *build_brief(void)
{
    obs_doc *d = obs_doc_new();
    set_meta(d, OBS_LAYOUT_BRIEF, OBS_PAPER_A4);
    obs_set_str(&d->cover.title, "Resumen para el Instituto Electoral del Estado de México (IEEM)");
    obs_set_str(&d->header, "Resumen IEEM · corte 12/10/2023");
    add_difusion(d);
    return d;
}

/* ---- Running tools ---------------------------------------------------------- */

typedef struct run_out {
    bool ok; /* exited with status 0 */
    char *out;
    char *err;
} run_out;

static run_out run(const char *const *argv)
{
    run_out r = {false, NULL, NULL};
    int status = 0;
    GError *e = NULL;
    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &r.out, &r.err,
                      &status, &e)) {
        fail_msg("no se pudo ejecutar %s: %s", argv[0], e->message);
    }
    r.ok = g_spawn_check_wait_status(status, NULL);
    return r;
}

static void run_free(run_out *r)
{
    g_free(r->out);
    g_free(r->err);
}

static char *pdf_path(const fixture *fx, const char *name)
{
    char *file = g_strdup_printf("%s.pdf", name);
    char *p = g_build_filename(fx->dir, file, NULL);
    g_free(file);
    return p;
}

static char *render(const fixture *fx, obs_doc *doc, const char *name)
{
    char *path = pdf_path(fx, name);
    obs_error err;
    obs_error_clear(&err);
    obs_status s = obs_render_pdf(doc, NULL, path, &err);
    if (s != OBS_OK)
        fail_msg("obs_render_pdf(%s): %s", name, err.message);
    return path;
}

static char *pdftotext(const char *path, const char *mode)
{
    const char *argv[] = {"pdftotext", mode, path, "-", NULL};
    run_out r = run(argv);
    assert_true(r.ok);
    assert_string_equal(r.err, ""); /* poppler prints no warning */
    g_free(r.err);
    return r.out;
}

/* pdftotext output split into pages (form feeds). */
static char **text_pages(const char *path, guint *n)
{
    char *txt = pdftotext(path, "-layout");
    char **pages = g_strsplit(txt, "\f", -1);
    g_free(txt);
    guint len = g_strv_length(pages);
    if (len > 0 && pages[len - 1][0] == '\0') { /* after the last form feed */
        g_free(pages[len - 1]);
        pages[len - 1] = NULL;
        len--;
    }
    *n = len;
    return pages;
}

static char *pdfinfo_field(const char *path, const char *field)
{
    const char *argv[] = {"pdfinfo", "-isodates", path, NULL};
    run_out r = run(argv);
    assert_true(r.ok);
    assert_string_equal(r.err, "");
    char *value = NULL;
    char **lines = g_strsplit(r.out, "\n", -1);
    size_t flen = strlen(field);
    for (char **l = lines; *l; l++)
        if (strncmp(*l, field, flen) == 0 && (*l)[flen] == ':')
            value = g_strstrip(g_strdup(*l + flen + 1));
    g_strfreev(lines);
    run_free(&r);
    if (!value)
        fail_msg("pdfinfo no muestra %s", field);
    return value;
}

static int pdf_pages(const char *path)
{
    char *v = pdfinfo_field(path, "Pages");
    int n = atoi(v);
    g_free(v);
    return n;
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("no aparece «%s» en el texto extraído", needle);
}

/* ---- Fixture ---------------------------------------------------------------- */

static int setup(void **state)
{
    fixture *fx = g_new0(fixture, 1);
    fx->dir = scratch_dir("pdf");
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    scratch_remove(fx->dir);
    g_free(fx);
    return 0;
}

/* ---- Tests ------------------------------------------------------------------ */

static void test_pdf_passes_qpdf_check_and_keeps_accents(void **state)
{
    obs_doc *d = build_informe(OBS_PAPER_LETTER);
    char *path = render(*state, d, "informe_carta");
    const char *qa[] = {"qpdf", "--check", path, NULL};
    run_out q = run(qa);
    assert_true(q.ok);
    run_free(&q);
    char *txt = pdftotext(path, "-layout");
    const char *words[] = {"Difusión de la convocatoria", "Organismos Públicos Locales", "Página",
                           "Presentación", "Querétaro", "Michoacán", "Nuevo León", "San Luis Potosí",
                           "¿Cómo", "¡Gracias", "(–)", "“solicitud”", "lingüística", "señal",
                           "Cifras preliminares", "Acciones de difusión de los OPL por entidad",
                           "Umbral: 12 acciones", "Solicitudes recibidas", "No binarias",
                           "34,462", "Total nacional", "Nota metodológica", "• "};
    for (size_t i = 0; i < G_N_ELEMENTS(words); i++)
        assert_contains(txt, words[i]);
    g_free(txt);
    g_free(path);
    obs_doc_free(d);
}

static void test_pdf_embeds_fonts_with_unicode_maps(void **state)
{
    obs_doc *d = build_informe(OBS_PAPER_LETTER);
    char *path = render(*state, d, "fuentes");
    const char *argv[] = {"pdffonts", path, NULL};
    run_out r = run(argv);
    assert_true(r.ok);
    assert_string_equal(r.err, "");
    char **lines = g_strsplit(r.out, "\n", -1);
    GRegex *all_yes = g_regex_new(" yes +yes +yes ", 0, 0, NULL);
    int fonts = 0;
    for (guint i = 2; lines[i]; i++) {
        if (!lines[i][0])
            continue;
        fonts++;
        assert_non_null(strstr(lines[i], "LiberationSans"));
        if (!g_regex_match(all_yes, lines[i], 0, NULL))
            fail_msg("fuente sin emb/sub/uni: %s", lines[i]);
    }
    assert_int_equal(fonts, 2); /* regular and bold, nothing else */
    g_regex_unref(all_yes);
    g_strfreev(lines);
    run_free(&r);
    g_free(path);
    obs_doc_free(d);
}

static void test_pdf_repeats_table_header_on_each_page(void **state)
{
    obs_doc *d = build_informe(OBS_PAPER_LETTER);
    char *path = render(*state, d, "encabezado_repetido");
    guint n;
    char **pages = text_pages(path, &n);
    guint first = n, last = n;
    for (guint i = 0; i < n; i++) {
        if (first == n && strstr(pages[i], "Zona 001"))
            first = i;
        if (strstr(pages[i], "Zona 080"))
            last = i;
    }
    assert_true(first < n && last < n);
    assert_true(last > first); /* 80 rows cannot fit on one page */
    for (guint i = first; i <= last; i++) {
        if (!strstr(pages[i], "Demarcación") || !strstr(pages[i], "Aprobadas"))
            fail_msg("la página %u no repite el encabezado de la tabla", i + 1);
        if (i > first)
            assert_non_null(strstr(pages[i], "Solicitudes por demarcación (continuación)"));
    }
    /* Every row is printed exactly once. */
    for (int z = 1; z <= 80; z++) {
        char name[16];
        g_snprintf(name, sizeof name, "Zona %03d", z);
        int seen = 0;
        for (guint i = 0; i < n; i++)
            for (const char *p = pages[i]; (p = strstr(p, name)); p++)
                seen++;
        assert_int_equal(seen, 1);
    }
    g_strfreev(pages);
    g_free(path);
    obs_doc_free(d);
}

static void test_pdf_numbers_pages_after_the_cover(void **state)
{
    obs_doc *d = build_informe(OBS_PAPER_LETTER);
    char *path = render(*state, d, "numeracion");
    guint n;
    char **pages = text_pages(path, &n);
    int total = pdf_pages(path);
    assert_int_equal((int)n, total);
    assert_true(total >= 6);
    assert_null(strstr(pages[0], "Página")); /* no footer on the cover */
    assert_null(strstr(pages[0], "Informe de observación"));
    assert_non_null(strstr(pages[0], "Instituto Nacional Electoral"));
    assert_non_null(strstr(pages[0], "Con corte al 12 de octubre de 2023"));
    for (int i = 2; i <= total; i++) {
        char want[64];
        g_snprintf(want, sizeof want, "Página %d de %d", i, total);
        if (!strstr(pages[i - 1], want))
            fail_msg("falta «%s»", want);
        assert_non_null(strstr(pages[i - 1], HEADER_TEXT));
    }
    g_strfreev(pages);
    g_free(path);
    obs_doc_free(d);
}

static void test_pdf_sets_metadata_and_expected_page_count(void **state)
{
    obs_doc *d = build_small_report();
    char *path = render(*state, d, "metadatos");
    char *title = pdfinfo_field(path, "Title");
    char *author = pdfinfo_field(path, "Author");
    char *subject = pdfinfo_field(path, "Subject");
    char *keywords = pdfinfo_field(path, "Keywords");
    char *creator = pdfinfo_field(path, "Creator");
    char *created = pdfinfo_field(path, "CreationDate");
    char *modified = pdfinfo_field(path, "ModDate");
    assert_string_equal(title, DOC_TITLE);
    assert_string_equal(author, "Dirección Ejecutiva de Organización Electoral");
    assert_string_equal(subject, "Difusión de la convocatoria y solicitudes de acreditación");
    assert_string_equal(keywords, "INE, observación electoral, acreditación, Organismos Públicos Locales");
    assert_string_equal(creator, "observa 0.1.0");
    assert_string_equal(created, "2023-10-27T08:00:00-06");
    assert_string_equal(modified, "2023-10-27T08:00:00-06");
    assert_int_equal(pdf_pages(path), 2); /* cover + one page */
    char *txt = pdftotext(path, "-layout");
    assert_contains(txt, "Página 2 de 2");
    g_free(txt);
    g_free(title);
    g_free(author);
    g_free(subject);
    g_free(keywords);
    g_free(creator);
    g_free(created);
    g_free(modified);
    g_free(path);
    obs_doc_free(d);
}

static bool same_bytes(const char *a, const char *b)
{
    char *da = NULL, *db = NULL;
    gsize la = 0, lb = 0;
    assert_true(g_file_get_contents(a, &da, &la, NULL));
    assert_true(g_file_get_contents(b, &db, &lb, NULL));
    bool same = la == lb && memcmp(da, db, la) == 0;
    g_free(da);
    g_free(db);
    return same;
}

static void test_pdf_is_byte_identical_across_renders(void **state)
{
    obs_doc *d = build_informe(OBS_PAPER_LETTER);
    char *a = render(*state, d, "determinista_a");
    char *b = render(*state, d, "determinista_b");
    assert_true(same_bytes(a, b));
    /* ...and the comparison can fail: another generation time changes the bytes. */
    d->generated_at += 60;
    char *c = render(*state, d, "determinista_c");
    assert_false(same_bytes(a, c));
    g_free(a);
    g_free(b);
    g_free(c);
    obs_doc_free(d);
}

typedef struct job {
    const obs_doc *doc;
    char *path;
    obs_status status;
} job;

static gpointer render_job(gpointer data)
{
    job *j = data;
    obs_error err;
    obs_error_clear(&err);
    j->status = obs_render_pdf(j->doc, NULL, j->path, &err);
    return NULL;
}

/* Documents render on several threads at once (no shared mutable state) with the same bytes. */
static void test_pdf_renders_concurrently_with_identical_bytes(void **state)
{
    fixture *fx = *state;
    obs_doc *docs[2] = {build_informe(OBS_PAPER_LETTER), build_letter()};
    char *serial[2] = {render(fx, docs[0], "serie_0"), render(fx, docs[1], "serie_1")};
    job jobs[6];
    GThread *threads[6];
    for (size_t i = 0; i < 6; i++) {
        char name[32];
        g_snprintf(name, sizeof name, "hilo_%zu", i);
        jobs[i] = (job){docs[i % 2], pdf_path(fx, name), OBS_ERR_INTERNAL};
        threads[i] = g_thread_new(name, render_job, &jobs[i]);
    }
    for (size_t i = 0; i < 6; i++) {
        g_thread_join(threads[i]);
        assert_int_equal(jobs[i].status, OBS_OK);
        assert_true(same_bytes(jobs[i].path, serial[i % 2]));
        g_free(jobs[i].path);
    }
    g_free(serial[0]);
    g_free(serial[1]);
    obs_doc_free(docs[0]);
    obs_doc_free(docs[1]);
}

static void test_pdf_uses_letter_or_a4_paper(void **state)
{
    obs_doc *d = build_small_report();
    char *letter = render(*state, d, "carta");
    d->paper = OBS_PAPER_A4;
    char *a4 = render(*state, d, "a4");
    char *ls = pdfinfo_field(letter, "Page size");
    char *as = pdfinfo_field(a4, "Page size");
    assert_non_null(strstr(ls, "612 x 792 pts"));
    assert_non_null(strstr(as, "595.28 x 841.89 pts"));
    assert_non_null(strstr(as, "(A4)"));
    g_free(ls);
    g_free(as);
    g_free(letter);
    g_free(a4);
    obs_doc_free(d);
}

static void test_pdf_letter_layout_has_letterhead_and_no_running_header(void **state)
{
    obs_doc *d = build_letter();
    obs_set_str(&d->cover.logo_path, NULL);
    char *path = render(*state, d, "oficio");
    const char *qa[] = {"qpdf", "--check", path, NULL};
    run_out q = run(qa);
    assert_true(q.ok);
    run_free(&q);
    guint n;
    char **pages = text_pages(path, &n);
    assert_int_equal(n, 1);
    assert_contains(pages[0], "Instituto Nacional Electoral");
    assert_contains(pages[0], "Oficio núm. INE/DEOE/1104/2023");
    assert_contains(pages[0], "Instituto Electoral de Michoacán");
    assert_contains(pages[0], "Atentamente"); /* pdftotext joins the spaced letters */
    assert_contains(pages[0], "Página 1 de 1");
    assert_null(strstr(pages[0], "Informe de observación"));
    /* Right-aligned lines end near the right margin: many leading spaces in -layout. */
    const char *ofi = strstr(pages[0], "Oficio núm.");
    const char *bol = ofi;
    while (bol > pages[0] && bol[-1] != '\n')
        bol--;
    assert_true(ofi - bol > 30);
    g_strfreev(pages);
    g_free(path);
    obs_doc_free(d);
}

static void test_pdf_brief_layout_has_title_block_and_footers(void **state)
{
    obs_doc *d = build_brief();
    char *path = render(*state, d, "resumen");
    guint n;
    char **pages = text_pages(path, &n);
    assert_true(n >= 2);
    assert_contains(pages[0], "Resumen para el Instituto Electoral del Estado de México");
    assert_contains(pages[0], "Con corte al 12 de octubre de 2023");
    assert_null(strstr(pages[0], "Resumen IEEM · corte")); /* no running header on page 1 */
    for (guint i = 0; i < n; i++) {
        char want[64];
        g_snprintf(want, sizeof want, "Página %u de %u", i + 1, n);
        assert_contains(pages[i], want);
        if (i > 0)
            assert_contains(pages[i], "Resumen IEEM · corte 12/10/2023");
    }
    char *size = pdfinfo_field(path, "Page size");
    assert_non_null(strstr(size, "(A4)"));
    g_free(size);
    g_strfreev(pages);
    g_free(path);
    obs_doc_free(d);
}

static void test_pdf_has_one_bookmark_per_section(void **state)
{
    obs_doc *d = build_informe(OBS_PAPER_LETTER);
    char *path = render(*state, d, "marcadores");
    const char *argv[] = {"qpdf", "--json", "--json-key=outlines", path, NULL};
    run_out r = run(argv);
    assert_true(r.ok);
    int titles = 0;
    for (const char *p = r.out; (p = strstr(p, "\"title\":")); p++)
        titles++;
    assert_int_equal(titles, (int)d->nsections);
    for (size_t i = 0; i < d->nsections; i++) {
        char *want = g_strdup_printf("\"title\": \"%s\"", d->sections[i].title);
        assert_contains(r.out, want);
        g_free(want);
    }
    /* "Solicitudes de acreditación" starts a new page, right after the cover and two pages at most. */
    assert_non_null(strstr(r.out, "\"destpageposfrom1\": 2"));
    run_free(&r);
    char *mode = NULL;
    const char *cat[] = {"qpdf", "--qdf", "--object-streams=disable", path, "-", NULL};
    run_out q = run(cat);
    assert_true(q.ok);
    mode = strstr(q.out, "/PageMode /UseOutlines");
    assert_non_null(mode);
    run_free(&q);
    g_free(path);
    obs_doc_free(d);
}

/* Every word pdftotext finds lies at least 2 cm from every edge; returns the word count. */
static int assert_words_inside_margins(const char *path)
{
    char *xml = pdftotext(path, "-bbox");
    GRegex *page = g_regex_new("<page width=\"([0-9.]+)\" height=\"([0-9.]+)\">", 0, 0, NULL);
    GRegex *word = g_regex_new("<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"([0-9.]+)\" yMax=\"([0-9.]+)\">([^<]*)</word>",
                               0, 0, NULL);
    char **parts = g_strsplit(xml, "<page ", -1);
    int words = 0;
    for (guint p = 1; parts[p]; p++) {
        char *chunk = g_strconcat("<page ", parts[p], NULL);
        GMatchInfo *m = NULL;
        assert_true(g_regex_match(page, chunk, 0, &m));
        char *ws = g_match_info_fetch(m, 1), *hs = g_match_info_fetch(m, 2);
        double pw = g_ascii_strtod(ws, NULL), ph = g_ascii_strtod(hs, NULL);
        g_free(ws);
        g_free(hs);
        g_match_info_free(m);
        g_regex_match(word, chunk, 0, &m);
        while (g_match_info_matches(m)) {
            double v[4];
            for (int k = 0; k < 4; k++) {
                char *s = g_match_info_fetch(m, k + 1);
                v[k] = g_ascii_strtod(s, NULL);
                g_free(s);
            }
            char *w = g_match_info_fetch(m, 5);
            if (v[0] < MARGIN_PT - 0.5 || v[2] > pw - MARGIN_PT + 0.5 || v[1] < MARGIN_PT - 0.5 ||
                v[3] > ph - MARGIN_PT + 0.5)
                fail_msg("«%s» en la página %u invade el margen (%.1f,%.1f)-(%.1f,%.1f)", w, p,
                         v[0], v[1], v[2], v[3]);
            g_free(w);
            words++;
            g_match_info_next(m, NULL);
        }
        g_match_info_free(m);
        g_free(chunk);
    }
    g_strfreev(parts);
    g_regex_unref(page);
    g_regex_unref(word);
    g_free(xml);
    return words;
}

static void test_pdf_text_stays_inside_two_centimetre_margins(void **state)
{
    obs_doc *d = build_informe(OBS_PAPER_A4);
    char *path = render(*state, d, "margenes_a4");
    assert_true(assert_words_inside_margins(path) > 1000);
    g_free(path);
    obs_doc_free(d);
}

/* Charts and tables at their limits: many categories, negative values, empty data. */
static obs_doc *build_edge_cases(void)
{
    obs_doc *d = obs_doc_new();
    set_meta(d, OBS_LAYOUT_REPORT, OBS_PAPER_LETTER);
    obs_set_str(&d->cover.title, "Un título de portada muy largo que ocupa varias líneas para comprobar que "
                                 "el bloque del título no choca con el lugar y la fecha del pie de la portada");
    obs_section *s = obs_doc_add_section(d, "Gráficas con muchas categorías");
    obs_chart *col = obs_section_add_chart(s, "col32", "Acciones OPL por entidad (columnas)", "c32",
                                           OBS_CHART_COLUMN, 32, 1);
    obs_chart_set_series(col, 0, "Acciones");
    for (size_t i = 0; i < 32; i++) {
        obs_chart_set_cat(col, i, ENTIDADES[i]);
        col->series[0].values[i] = (double)opl_actions(i);
        col->highlight[i] = opl_actions(i) < 12;
    }
    obs_chart_set_threshold(col, 12, "Umbral: 12");
    obs_chart *neg = obs_section_add_chart(s, "delta", "Cambio de acciones desde el corte anterior", "d",
                                           OBS_CHART_COLUMN, 8, 2);
    obs_chart_set_series(neg, 0, "JLE");
    obs_chart_set_series(neg, 1, "OPL");
    for (size_t i = 0; i < 8; i++) {
        obs_chart_set_cat(neg, i, ENTIDADES[i]);
        neg->series[0].values[i] = (double)((int)(i * 7 % 11) - 5);
        neg->series[1].values[i] = (double)((int)(i * 5 % 9) - 3) + 0.5;
    }
    obs_chart *days = obs_section_add_chart(s, "dias", "Solicitudes por día", "dias", OBS_CHART_LINE, 120, 3);
    for (size_t k = 0; k < 3; k++) {
        char name[48];
        g_snprintf(name, sizeof name, "Serie número %zu con nombre largo", k + 1);
        obs_chart_set_series(days, k, name);
    }
    for (size_t i = 0; i < 120; i++) {
        char label[16];
        g_snprintf(label, sizeof label, "%02zu/%02zu/2023", i % 28 + 1, i / 28 + 6);
        obs_chart_set_cat(days, i, label);
        for (size_t k = 0; k < 3; k++)
            days->series[k].values[i] = (double)((i * (k + 3)) % 50) * 0.37;
    }
    obs_chart *hb = obs_section_add_chart(s, "hb2", "Acciones por entidad y órgano", "hb2", OBS_CHART_HBAR, 32, 2);
    obs_chart_set_series(hb, 0, "JLE");
    obs_chart_set_series(hb, 1, "OPL");
    for (size_t i = 0; i < 32; i++) {
        obs_chart_set_cat(hb, i, ENTIDADES[i]);
        hb->series[0].values[i] = 1000.0 * (double)(i % 9);
        hb->series[1].values[i] = 250.0 * (double)(i % 5);
    }
    obs_chart *many = obs_section_add_chart(s, "hb100", "Cien categorías en barras horizontales", "hb100",
                                            OBS_CHART_HBAR, 100, 1);
    for (size_t i = 0; i < 100; i++) {
        char label[32];
        g_snprintf(label, sizeof label, "Distrito %03zu", i + 1);
        obs_chart_set_cat(many, i, label);
        many->series[0].values[i] = (double)(100 - i);
    }
    obs_section_add_chart(s, "vacia", "Gráfica sin categorías", "v", OBS_CHART_LINE, 0, 1);
    obs_chart *zeros = obs_section_add_chart(s, "ceros", "Todo en cero", "z", OBS_CHART_HBAR, 3, 1);
    for (size_t i = 0; i < 3; i++)
        obs_chart_set_cat(zeros, i, ENTIDADES[i]);

    obs_section *t = obs_doc_add_section(d, "Tablas extremas");
    obs_section_add_table(t, "sin_filas", "Tabla sin filas", NULL, 2);
    obs_section_add_table(t, "sin_columnas", "Tabla sin columnas", NULL, 0);
    obs_table *wide = obs_section_add_table(t, "ancha", "Tabla con doce columnas", NULL, 12);
    for (size_t j = 0; j < 12; j++) {
        char h[48];
        g_snprintf(h, sizeof h, "Columna numérica %zu con encabezado", j + 1);
        obs_table_set_column(wide, j, j == 0 ? "Entidad federativa" : h, j ? OBS_ALIGN_RIGHT : OBS_ALIGN_LEFT, 0);
    }
    for (size_t i = 0; i < 5; i++) {
        obs_row *r = obs_table_add_row(wide, OBS_ROW_DATA);
        obs_row_set_text(r, 0, ENTIDADES[i + 1]);
        for (size_t j = 1; j < 12; j++)
            obs_row_set_int(r, j, INT64_C(123456789) * (int64_t)(j + i));
    }
    obs_section_add_paragraph(t, OBS_PAR_NORMAL, "%s", "");
    obs_section_add_paragraph(t, OBS_PAR_HEADING, "Un subtítulo al final de la sección");
    obs_section *empty = obs_doc_add_section(d, "Sección sin bloques");
    (void)empty;
    obs_doc_add_section(d, "");
    return d;
}

static void test_pdf_renders_charts_and_tables_at_their_limits(void **state)
{
    obs_doc *d = build_edge_cases();
    char *path = render(*state, d, "limites");
    const char *qa[] = {"qpdf", "--check", path, NULL};
    run_out q = run(qa);
    assert_true(q.ok);
    run_free(&q);
    assert_true(assert_words_inside_margins(path) > 200);
    char *txt = pdftotext(path, "-layout");
    assert_contains(txt, "Distrito 100");
    assert_contains(txt, "Tabla sin filas");
    assert_contains(txt, "Entidad");
    g_free(txt);
    g_free(path);
    obs_doc_free(d);
}

/* Width and height of the first word `w` in pdftotext -bbox output. */
static void word_size(const char *xml, const char *w, double *width, double *height)
{
    char *pattern = g_strdup_printf("<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"([0-9.]+)\" "
                                    "yMax=\"([0-9.]+)\">%s</word>", w);
    GRegex *re = g_regex_new(pattern, 0, 0, NULL);
    GMatchInfo *m = NULL;
    if (!g_regex_match(re, xml, 0, &m))
        fail_msg("no aparece la palabra «%s»", w);
    double v[4];
    for (int k = 0; k < 4; k++) {
        char *s = g_match_info_fetch(m, k + 1);
        v[k] = g_ascii_strtod(s, NULL);
        g_free(s);
    }
    *width = v[2] - v[0];
    *height = v[3] - v[1];
    g_match_info_free(m);
    g_regex_unref(re);
    g_free(pattern);
}

/* model.h: x_title names the horizontal axis (an HBAR's values), y_title the vertical one. */
static void test_pdf_draws_axis_titles_as_model_h_says(void **state)
{
    obs_doc *d = build_informe(OBS_PAPER_LETTER);
    char *path = render(*state, d, "titulos_de_ejes");
    char *xml = pdftotext(path, "-bbox");
    double w, h;
    word_size(xml, "(número)", &w, &h); /* HBAR x_title: horizontal */
    assert_true(w > h);
    word_size(xml, "federativa", &w, &h); /* HBAR y_title: along the vertical axis */
    assert_true(h > w);
    word_size(xml, "(años)", &w, &h); /* COLUMN x_title: horizontal */
    assert_true(w > h);
    g_free(xml);
    g_free(path);
    obs_doc_free(d);
}

/* A weight never makes a column narrower than its longest word: nothing is cut with "…". */
static void test_pdf_weighted_column_keeps_its_longest_word(void **state)
{
    obs_doc *d = obs_doc_new();
    set_meta(d, OBS_LAYOUT_BRIEF, OBS_PAPER_LETTER);
    obs_section *s = obs_doc_add_section(d, "Celdas estrechas");
    obs_table *t = obs_section_add_table(s, "estrecha", "Columnas con pesos", NULL, 2);
    obs_table_set_column(t, 0, "Clave", OBS_ALIGN_LEFT, 1);
    obs_table_set_column(t, 1, "Descripción", OBS_ALIGN_LEFT, 12);
    obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
    obs_row_set_text(r, 0, "Desproporcionadamente");
    obs_row_set_text(r, 1, "Una descripción corta");
    char *path = render(*state, d, "celda_estrecha");
    char *txt = pdftotext(path, "-raw");
    assert_non_null(strstr(txt, "Desproporcionadamente"));
    assert_null(strstr(txt, "…"));
    g_free(txt);
    g_free(path);
    obs_doc_free(d);
}

/* A word wider than any column can be (a file hash in a narrow table) breaks across lines:
 * every character is printed, none is replaced by "…". */
static void test_pdf_breaks_a_word_wider_than_the_page_never_cuts_it(void **state)
{
    static const char hash[] = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
                               "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
                               "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    obs_doc *d = obs_doc_new();
    set_meta(d, OBS_LAYOUT_BRIEF, OBS_PAPER_LETTER);
    obs_section *s = obs_doc_add_section(d, "Huellas");
    obs_table *t = obs_section_add_table(s, "huellas", "Archivos leídos", NULL, 3);
    obs_table_set_column(t, 0, "Archivo", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(t, 1, "SHA-256", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(t, 2, "Filas", OBS_ALIGN_RIGHT, 0);
    obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
    obs_row_set_text(r, 0, "solicitudes.csv");
    obs_row_set_text(r, 1, hash);
    obs_row_set_int(r, 2, 1234567);
    char *path = render(*state, d, "palabra_larga");
    char *txt = pdftotext(path, "-raw");
    assert_null(strstr(txt, "…"));
    assert_contains(txt, "1,234,567");
    /* The hash's pieces are the words made of hex digits only, in reading order. */
    GString *joined = g_string_new(NULL);
    char **words = g_regex_split_simple("[\\s]+", txt, 0, 0);
    for (char **w = words; *w; w++)
        if (strlen(*w) > 1 && strspn(*w, "0123456789abcdef") == strlen(*w))
            g_string_append(joined, *w);
    g_strfreev(words);
    assert_non_null(strstr(joined->str, hash));
    assert_true(strstr(txt, hash) == NULL); /* it did not fit on one line: it was broken */
    g_string_free(joined, TRUE);
    g_free(txt);
    g_free(path);
    obs_doc_free(d);
}


/* ---- Layout: widths, one size per table, pagination ------------------------ */

/* A brief (no cover) with one section, for layout tests. */
static obs_doc *brief_doc(obs_section **sec)
{
    obs_doc *d = obs_doc_new();
    set_meta(d, OBS_LAYOUT_BRIEF, OBS_PAPER_LETTER);
    *sec = obs_doc_add_section(d, "Sección de prueba");
    return d;
}

/* n lines of small text: moves what follows down by n note leadings. */
static void add_filler(obs_section *s, int n)
{
    if (n <= 0)
        return;
    GString *t = g_string_new(NULL);
    for (int i = 0; i < n; i++)
        g_string_append_printf(t, "%sLínea de relleno %d", i ? "\n" : "", i + 1);
    obs_section_add_paragraph(s, OBS_PAR_NOTE, "%s", t->str);
    g_string_free(t, TRUE);
}

/* A table of `rows` data rows "Fila 01"… and, when total, a row "Suma general". */
static obs_table *add_rows_table(obs_section *s, const char *title, int rows, bool total)
{
    obs_table *t = obs_section_add_table(s, "filas", title, NULL, 3);
    obs_table_set_column(t, 0, "Concepto", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(t, 1, "Solicitudes", OBS_ALIGN_RIGHT, 0);
    obs_table_set_column(t, 2, "Aprobadas", OBS_ALIGN_RIGHT, 0);
    for (int i = 0; i < rows; i++) {
        char label[16];
        g_snprintf(label, sizeof label, "Fila %02d", i + 1);
        obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
        obs_row_set_text(r, 0, label);
        obs_row_set_int(r, 1, 100 + i);
        obs_row_set_int(r, 2, 50 + i);
    }
    if (total) {
        obs_row *r = obs_table_add_row(t, OBS_ROW_TOTAL);
        obs_row_set_text(r, 0, "Suma general");
        obs_row_set_int(r, 1, 1);
        obs_row_set_int(r, 2, 1);
    }
    return t;
}

/* The first page (0-based) whose text holds needle, or -1. */
static int page_of(char **pages, guint n, const char *needle)
{
    for (guint i = 0; i < n; i++)
        if (strstr(pages[i], needle))
            return (int)i;
    return -1;
}

static int count_in(const char *hay, const char *needle)
{
    int k = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        k++;
    return k;
}

/* Renders d (and frees it) and returns its pages' text (g_strfreev). */
static char **render_pages(void **state, obs_doc *d, const char *name, guint *n)
{
    char *path = render(*state, d, name);
    char **pages = text_pages(path, n);
    g_free(path);
    obs_doc_free(d);
    return pages;
}

/* A table wider than the page: every number printed whole (no "…"), the table shrunk instead. */
static void test_pdf_wide_table_prints_every_number_whole(void **state)
{
    obs_section *s;
    obs_doc *d = brief_doc(&s);
    d->paper = OBS_PAPER_A4;
    enum { NC = 10 };
    obs_table *t = obs_section_add_table(s, "ancha", "Tabla de diez columnas", NULL, NC);
    obs_table_set_column(t, 0, "Entidad", OBS_ALIGN_LEFT, 0);
    for (size_t j = 1; j < NC; j++) {
        char h[32];
        g_snprintf(h, sizeof h, "Alcance %zu", j);
        obs_table_set_column(t, j, h, OBS_ALIGN_RIGHT, 0);
    }
    for (size_t i = 0; i < 3; i++) {
        obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
        obs_row_set_text(r, 0, ENTIDADES[i]);
        for (size_t j = 1; j < NC; j++)
            obs_row_set_int(r, j, INT64_C(14753265) + (int64_t)(i * 10 + j));
    }
    obs_row *tot = obs_table_add_row(t, OBS_ROW_TOTAL);
    obs_row_set_text(tot, 0, "Total nacional");
    for (size_t j = 1; j < NC; j++)
        obs_row_set_delta(tot, j, -INT64_C(1475326512) - (int64_t)j);
    char *path = render(*state, d, "tabla_ancha");
    char *txt = pdftotext(path, "-layout");
    assert_null(strstr(txt, "…"));
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 1; j < NC; j++) {
            char want[OBS_FMT_MAX];
            obs_fmt_int(want, sizeof want, INT64_C(14753265) + (int64_t)(i * 10 + j));
            assert_contains(txt, want);
        }
    for (size_t j = 1; j < NC; j++) {
        char want[OBS_FMT_MAX];
        obs_fmt_delta(want, sizeof want, -INT64_C(1475326512) - (int64_t)j);
        assert_contains(txt, want);
    }
    assert_true(assert_words_inside_margins(path) > 30);
    g_free(txt);
    g_free(path);
    obs_doc_free(d);
}


/* "Page    N size: W x H pts" of pdfinfo -f N -l N. */
static char *page_size(const char *path, int page)
{
    char n[16];
    g_snprintf(n, sizeof n, "%d", page);
    const char *argv[] = {"pdfinfo", "-f", n, "-l", n, path, NULL};
    run_out r = run(argv);
    assert_true(r.ok);
    char *key = g_strdup_printf("Page %4d size:", page);
    const char *at = strstr(r.out, key);
    if (!at)
        fail_msg("pdfinfo no da el tamaño de la página %d", page);
    char *size = g_strndup(at + strlen(key), strcspn(at + strlen(key), "\n"));
    g_free(key);
    run_free(&r);
    return size;
}

/* A table too wide for a portrait page even at the smallest size goes, with its heading, on a
 * landscape page (with the running header and footer); what follows is portrait again. */
static void test_pdf_table_too_wide_for_portrait_goes_landscape(void **state)
{
    obs_doc *d = obs_doc_new();
    set_meta(d, OBS_LAYOUT_REPORT, OBS_PAPER_LETTER);
    obs_section *s = obs_doc_add_section(d, "Antes");
    obs_section_add_paragraph(s, OBS_PAR_NORMAL, "Texto en una página vertical.");
    s = obs_doc_add_section(d, "Tabla apaisada");
    enum { NC = 15 };
    obs_table *t = obs_section_add_table(s, "apaisada", "Catorce columnas de cifras", NULL, NC);
    obs_table_set_column(t, 0, "Entidad", OBS_ALIGN_LEFT, 0);
    for (size_t j = 1; j < NC; j++)
        obs_table_set_column(t, j, "Cifra", OBS_ALIGN_RIGHT, 0);
    for (size_t i = 0; i < 32; i++) {
        obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
        obs_row_set_text(r, 0, ENTIDADES[i]);
        for (size_t j = 1; j < NC; j++)
            obs_row_set_int(r, j, INT64_C(123456789) + (int64_t)(i * 100 + j));
    }
    obs_section_add_paragraph(s, OBS_PAR_NORMAL, "Texto después de la tabla.");
    char *path = render(*state, d, "apaisada");
    guint n;
    char **pages = text_pages(path, &n);
    int head = page_of(pages, n, "Tabla apaisada"), last = page_of(pages, n, "Zacatecas");
    int after = page_of(pages, n, "Texto después");
    assert_true(head > page_of(pages, n, "Texto en una página vertical"));
    assert_int_equal(head, page_of(pages, n, "Catorce columnas"));
    for (int p = head; p <= last; p++) {
        char *size = page_size(path, p + 1);
        if (!strstr(size, "792 x 612"))
            fail_msg("la página %d de la tabla no es apaisada: %s", p + 1, size);
        g_free(size);
        assert_contains(pages[p], HEADER_TEXT);
        assert_contains(pages[p], "Página");
    }
    assert_true(after > last);
    char *size = page_size(path, after + 1);
    assert_non_null(strstr(size, "612 x 792"));
    g_free(size);
    /* The table uses the landscape page's width: its last column ends past a portrait page's. */
    char *xml = pdftotext(path, "-bbox");
    char *re = g_strdup_printf("xMax=\"([0-9.]+)\"[^>]*>123,459,903<");
    GMatchInfo *mi = NULL;
    GRegex *rx = g_regex_new(re, 0, 0, NULL);
    assert_true(g_regex_match(rx, xml, 0, &mi));
    char *xmax = g_match_info_fetch(mi, 1);
    assert_true(g_ascii_strtod(xmax, NULL) > 612.0 - MARGIN_PT);
    g_free(xmax);
    g_match_info_free(mi);
    g_regex_unref(rx);
    g_free(re);
    g_free(xml);
    char *all = g_strjoinv("\f", pages);
    for (size_t i = 0; i < 32; i++)
        for (size_t j = 1; j < NC; j++) {
            char want[OBS_FMT_MAX];
            obs_fmt_int(want, sizeof want, INT64_C(123456789) + (int64_t)(i * 100 + j));
            assert_contains(all, want);
        }
    g_free(all);
    g_strfreev(pages);
    g_free(path);
    obs_doc_free(d);
}

/* Heights of the words of pdftotext -bbox output that match a regex. */
static GArray *word_heights(const char *xml, const char *word_re)
{
    char *pattern = g_strdup_printf("<word xMin=\"[0-9.]+\" yMin=\"([0-9.]+)\" xMax=\"[0-9.]+\" "
                                    "yMax=\"([0-9.]+)\">(%s)</word>", word_re);
    GRegex *re = g_regex_new(pattern, 0, 0, NULL);
    GArray *h = g_array_new(FALSE, FALSE, sizeof(double));
    GMatchInfo *m = NULL;
    for (g_regex_match(re, xml, 0, &m); g_match_info_matches(m); g_match_info_next(m, NULL)) {
        char *a = g_match_info_fetch(m, 1), *b = g_match_info_fetch(m, 2);
        double v = g_ascii_strtod(b, NULL) - g_ascii_strtod(a, NULL);
        g_array_append_val(h, v);
        g_free(a);
        g_free(b);
    }
    g_match_info_free(m);
    g_regex_unref(re);
    g_free(pattern);
    return h;
}

/* A table that must shrink does so as a whole: one size for every cell, none for a lone column. */
static void test_pdf_table_has_one_type_size(void **state)
{
    obs_section *s;
    obs_doc *d = brief_doc(&s);
    enum { NC = 9 };
    obs_table *t = obs_section_add_table(s, "apretada", "Tabla apretada", NULL, NC);
    obs_table_set_column(t, 0, "Organización", OBS_ALIGN_LEFT, 0);
    for (size_t j = 1; j < NC; j++)
        obs_table_set_column(t, j, j == 4 ? "Desproporcionadamente" : "Cifra", OBS_ALIGN_RIGHT, 0);
    for (size_t i = 0; i < 4; i++) {
        obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
        obs_row_set_text(r, 0, "Xy");
        for (size_t j = 1; j < NC; j++)
            obs_row_set_int(r, j, j == 4 ? 7 : INT64_C(12345678) + (int64_t)i);
    }
    char *path = render(*state, d, "una_talla");
    char *xml = pdftotext(path, "-bbox");
    GArray *cells = word_heights(xml, "12,345,6[0-9][0-9]|7|Xy");
    assert_int_equal(cells->len, 4 * (NC - 2) + 4 + 4);
    double first = g_array_index(cells, double, 0);
    for (guint i = 0; i < cells->len; i++)
        assert_true(fabs(g_array_index(cells, double, i) - first) < 0.01);
    /* The table was set smaller than its usual 8.5 points, but not below the minimum. */
    GArray *body = word_heights(xml, "Sección");
    assert_true(first < g_array_index(body, double, 0));
    g_array_free(body, TRUE);
    g_array_free(cells, TRUE);
    g_free(xml);
    g_free(path);
    obs_doc_free(d);
}

/* Wherever a table of ten rows falls, it is never split: it moves to the next page whole. */
static void test_pdf_short_table_never_splits(void **state)
{
    for (int k = 0; k <= 60; k += 3) {
        obs_section *s;
        obs_doc *d = brief_doc(&s);
        add_filler(s, k);
        add_rows_table(s, "Diez filas", 10, true);
        guint n;
        char **pages = render_pages(state, d, "tabla_corta", &n);
        int p = page_of(pages, n, "Fila 01");
        assert_true(p >= 0);
        if (page_of(pages, n, "Fila 10") != p || page_of(pages, n, "Suma general") != p ||
            page_of(pages, n, "Diez filas") != p)
            fail_msg("con %d líneas antes, la tabla de diez filas se partió", k);
        assert_null(strstr(pages[p], "(continuación)"));
        if (k == 0)
            assert_int_equal(p, 0);
        g_strfreev(pages);
    }
}

/* However a long table falls, the total row keeps two data rows with it on its page, the first
 * page holds rows under the header, and the continuation repeats the header. */
static void test_pdf_total_row_keeps_two_data_rows(void **state)
{
    for (int k = 0; k <= 24; k += 2) {
        obs_section *s;
        obs_doc *d = brief_doc(&s);
        add_filler(s, 30 + k);
        add_rows_table(s, "Cuarenta filas", 40, true);
        guint n;
        char **pages = render_pages(state, d, "total_con_filas", &n);
        int pt = page_of(pages, n, "Suma general");
        assert_true(pt >= 0);
        if (page_of(pages, n, "Fila 39") != pt || page_of(pages, n, "Fila 40") != pt)
            fail_msg("con %d líneas antes, el total quedó sin dos filas de datos", 30 + k);
        int first = page_of(pages, n, "Cuarenta filas");
        if (count_in(pages[first], "Fila ") < 3)
            fail_msg("con %d líneas antes, la tabla empezó con menos de tres filas", 30 + k);
        for (int pg = first + 1; pg <= pt; pg++)
            assert_contains(pages[pg], "Solicitudes"); /* the header, repeated */
        g_strfreev(pages);
    }
}

/* However a table falls, each page that holds part of it holds at least three of its rows (never a
 * stray row or two under a repeated header), and a table that fits in half a page is never split:
 * when it does not fit below the cursor it moves whole, leaving that page at least half full. */
static void test_pdf_split_table_keeps_three_rows_on_each_page(void **state)
{
    const int sizes[] = {16, 18, 41};
    for (size_t z = 0; z < G_N_ELEMENTS(sizes); z++) {
        for (int k = 0; k <= 64; k += 2) {
            obs_section *s;
            obs_doc *d = obs_doc_new();
            set_meta(d, OBS_LAYOUT_REPORT, OBS_PAPER_LETTER);
            s = obs_doc_add_section(d, "Sección de prueba");
            add_filler(s, k);
            add_rows_table(s, "Tabla de prueba", sizes[z], false);
            obs_section_add_paragraph(s, OBS_PAR_NORMAL, "Texto después de la tabla.");
            guint n;
            char **pages = render_pages(state, d, "tabla_partida", &n);
            char last_row[16];
            g_snprintf(last_row, sizeof last_row, "Fila %02d", sizes[z]);
            int first = page_of(pages, n, "Tabla de prueba"), last = page_of(pages, n, last_row);
            assert_true(first >= 0 && last >= first);
            for (int pg = first; pg <= last; pg++)
                if (count_in(pages[pg], "Fila ") < 3)
                    fail_msg("%d filas con %d líneas antes: la página %d tiene %d filas de la tabla", sizes[z],
                             k, pg + 1, count_in(pages[pg], "Fila "));
            if (sizes[z] <= 18 && first != last)
                fail_msg("%d filas con %d líneas antes: la tabla cabe en media página y se partió", sizes[z], k);
            g_strfreev(pages);
        }
    }
}

/* A subheading, a table's title and a chart's title are never the last thing on a page. */
static void test_pdf_titles_never_end_a_page(void **state)
{
    for (int k = 0; k <= 60; k += 3) {
        obs_section *s;
        obs_doc *d = brief_doc(&s);
        add_filler(s, k);
        obs_section_add_paragraph(s, OBS_PAR_HEADING, "Subtítulo de prueba");
        obs_section_add_paragraph(s, OBS_PAR_NORMAL, "Primer párrafo bajo el subtítulo.");
        add_filler(s, 20);
        add_rows_table(s, "Título de tabla", 20, false);
        obs_chart *c = obs_section_add_chart(s, "g", "Título de gráfica", NULL, OBS_CHART_COLUMN, 3, 1);
        obs_set_str(&c->x_title, "EjeHorizontal");
        for (size_t i = 0; i < 3; i++) {
            obs_chart_set_cat(c, i, ENTIDADES[i]);
            c->series[0].values[i] = (double)(i + 1) * 10.0;
        }
        guint n;
        char **pages = render_pages(state, d, "titulos", &n);
        if (page_of(pages, n, "Subtítulo de prueba") != page_of(pages, n, "Primer párrafo"))
            fail_msg("con %d líneas antes, el subtítulo terminó una página", k);
        if (page_of(pages, n, "Título de tabla") != page_of(pages, n, "Fila 01"))
            fail_msg("con %d líneas antes, el título de la tabla terminó una página", k);
        if (page_of(pages, n, "Título de gráfica") != page_of(pages, n, "EjeHorizontal"))
            fail_msg("con %d líneas antes, el título de la gráfica terminó una página", k);
        g_strfreev(pages);
    }
}

/* A brief whose content runs a little over two pages is set tighter to fit them (reports.md §3);
 * its type keeps its size. One far longer keeps all its pages. */
/* yMin of the first word `w` of a PDF, as pdftotext -bbox prints it (g_free). */
static char *first_word_ymin(const char *path, const char *w)
{
    char *xml = pdftotext(path, "-bbox");
    char *pattern = g_strdup_printf("yMin=\"([0-9.]+)\"[^>]*>%s<", w);
    GRegex *re = g_regex_new(pattern, 0, 0, NULL);
    GMatchInfo *m = NULL;
    if (!g_regex_match(re, xml, 0, &m))
        fail_msg("no aparece la palabra «%s»", w);
    char *y = g_match_info_fetch(m, 1);
    g_match_info_free(m);
    g_regex_unref(re);
    g_free(pattern);
    g_free(xml);
    return y;
}

static void add_small_chart(obs_section *s, const char *title)
{
    obs_chart *c = obs_section_add_chart(s, "g", title, NULL, OBS_CHART_COLUMN, 3, 1);
    for (size_t i = 0; i < 3; i++) {
        obs_chart_set_cat(c, i, ENTIDADES[i]);
        c->series[0].values[i] = (double)(i + 1);
    }
}

static void test_pdf_brief_fits_two_pages(void **state)
{
    obs_section *s;
    obs_doc *d = brief_doc(&s);
    add_filler(s, 44);
    for (int i = 0; i < 2; i++) {
        add_small_chart(s, "Gráfica");
        add_rows_table(s, "Tabla", 6, true);
    }
    char *path = render(*state, d, "resumen_dos_paginas");
    assert_int_equal(pdf_pages(path), OBS_PDF_BRIEF_MAX_PAGES);
    char *xml = pdftotext(path, "-bbox");
    GArray *h = word_heights(xml, "Fila");
    assert_int_equal(h->len, 12);
    for (guint i = 0; i < h->len; i++) /* the cells keep their size */
        assert_true(fabs(g_array_index(h, double, i) - g_array_index(h, double, 0)) < 0.01);
    g_array_free(h, TRUE);
    g_free(xml);
    g_free(path);
    /* Untightened (a report's pages, without the brief's title block), the same content takes
     * three pages: the test can fail. */
    d->layout = OBS_LAYOUT_REPORT;
    path = render(*state, d, "informe_tres_paginas");
    assert_int_equal(pdf_pages(path), 1 + 3);
    g_free(path);
    obs_doc_free(d);
    /* Content for many pages is not crushed: it keeps its pages with the usual spacing (its
     * first table ends where it does when it is alone). */
    d = brief_doc(&s);
    for (int i = 0; i < 8; i++)
        add_rows_table(s, "Muchas filas", 15, true);
    path = render(*state, d, "resumen_largo");
    assert_true(pdf_pages(path) > OBS_PDF_BRIEF_MAX_PAGES);
    char *first_end = first_word_ymin(path, "Suma");
    g_free(path);
    for (size_t i = 1; i < d->sections[0].nblocks; i++)
        d->sections[0].blocks[i].table->targets = OBS_TARGET_XLSX; /* the first table alone */
    path = render(*state, d, "resumen_corto");
    char *alone_end = first_word_ymin(path, "Suma");
    assert_string_equal(first_end, alone_end);
    g_free(first_end);
    g_free(alone_end);
    g_free(path);
    obs_doc_free(d);
}

/* A chart of nothing but zeros says so instead of drawing axes from 0 to 1; counts never get
 * fractional ticks. */
static void test_pdf_empty_chart_is_a_sentence_and_counts_have_whole_ticks(void **state)
{
    obs_section *s;
    obs_doc *d = brief_doc(&s);
    obs_chart *z = obs_section_add_chart(s, "ceros", "Gráfica vacía", NULL, OBS_CHART_COLUMN, 4, 2);
    obs_set_str(&z->note, "Nota de la gráfica vacía");
    for (size_t i = 0; i < 4; i++)
        obs_chart_set_cat(z, i, ENTIDADES[i]);
    obs_chart *few = obs_section_add_chart(s, "pocos", "Pocos casos", NULL, OBS_CHART_LINE, 4, 1);
    for (size_t i = 0; i < 4; i++) {
        obs_chart_set_cat(few, i, ENTIDADES[i + 4]);
        few->series[0].values[i] = (double)(i % 3);
    }
    /* Counts up to 12: a round step would be 2.5 (ticks at 2.5, 7.5, 12.5); counts get 2. */
    obs_chart *dozen = obs_section_add_chart(s, "docena", "Hasta doce", NULL, OBS_CHART_COLUMN, 4, 1);
    for (size_t i = 0; i < 4; i++) {
        obs_chart_set_cat(dozen, i, ENTIDADES[i + 8]);
        dozen->series[0].values[i] = (double)(3 * i + 3);
    }
    char *path = render(*state, d, "grafica_vacia");
    char *txt = pdftotext(path, "-layout");
    assert_contains(txt, "Sin registros al corte.");
    assert_null(strstr(txt, "Nota de la gráfica vacía"));
    assert_null(strstr(txt, "0.2"));
    assert_null(strstr(txt, "0.5"));
    assert_null(strstr(txt, "1.5"));
    assert_null(strstr(txt, "2.5"));
    assert_null(strstr(txt, "7.5"));
    assert_contains(txt, "10");
    assert_contains(txt, ENTIDADES[4]); /* the other chart is drawn */
    g_free(txt);
    g_free(path);
    obs_doc_free(d);
}

/* The step both renderers take for a value axis: round, and whole for counts. */
static void test_axis_steps_are_round_and_whole_for_counts(void **state)
{
    (void)state;
    static const struct {
        double lo, hi;
        bool integral;
        double step;
    } cases[] = {
        {0, 12, true, 2},     {0, 12, false, 2.5},  {0, 1, true, 1},      {0, 1, false, 0.2},
        {0, 3, true, 1},      {0, 120, true, 25},   {0, 13, true, 5},     {0, 6957, true, 2000},
        {-4, 4, true, 2},     {0, 0, true, 1},      {0, 0.9, false, 0.2}, {0, 37, true, 10},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        double got = obs_axis_step(cases[i].lo, cases[i].hi, OBS_CHART_AXIS_STEPS, cases[i].integral);
        if (fabs(got - cases[i].step) > 1e-9)
            fail_msg("%g..%g%s: step %g, expected %g", cases[i].lo, cases[i].hi,
                     cases[i].integral ? " (counts)" : "", got, cases[i].step);
    }
}

/* A table by entidad shows a flagged row its way: highlighted, "*" after the name (the model's
 * name has no mark; the XLSX has a Señalado column instead). */
static void test_pdf_marks_flagged_entidad_after_its_name(void **state)
{
    obs_section *s;
    obs_doc *d = brief_doc(&s);
    obs_table *t = obs_section_add_table(s, "ent", "Por entidad", NULL, 2);
    t->entidad_cols = OBS_ENTIDAD_CLAVE | OBS_ENTIDAD_SENALADO;
    obs_table_set_column(t, 0, "Entidad", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(t, 1, "OPL", OBS_ALIGN_RIGHT, 0);
    for (int e = 0; e < 3; e++) {
        obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
        r->clave = e + 1;
        r->marked = e == 1;
        obs_row_set_text(r, 0, ENTIDADES[e]);
        obs_row_set_int(r, 1, e == 1 ? 2 : 40);
    }
    char *path = render(*state, d, "marca");
    char *txt = pdftotext(path, "-raw");
    assert_contains(txt, "Baja California *");
    assert_null(strstr(txt, "Aguascalientes *"));
    g_free(txt);
    g_free(path);
    obs_doc_free(d);
}

/* Gray value of a colour as printers convert it. */
static double gray_of(uint32_t rgb)
{
    return (0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF)) / 255.0;
}

/* Within each group, categories stay apart in grayscale: by lightness, or by a hatch. */
static void test_palette_groups_differ_in_grayscale(void **state)
{
    (void)state;
    static const obs_category groups[][4] = {
        {OBS_CAT_MUJER, OBS_CAT_HOMBRE, OBS_CAT_NO_BINARIA, OBS_CAT_SEXO_NE},
        {OBS_CAT_JLE, OBS_CAT_JDE, OBS_CAT_OPL, OBS_CAT_NONE},
        {OBS_CAT_OPL, OBS_CAT_SENALADO, OBS_CAT_NONE, OBS_CAT_NONE},
    };
    for (size_t g = 0; g < G_N_ELEMENTS(groups); g++)
        for (size_t i = 0; i < 4 && groups[g][i]; i++)
            for (size_t j = i + 1; j < 4 && groups[g][j]; j++) {
                obs_swatch a = obs_palette_swatch(groups[g][i], 0), b = obs_palette_swatch(groups[g][j], 0);
                assert_true(a.rgb != b.rgb && a.marker != b.marker);
                assert_true(fabs(gray_of(a.rgb) - gray_of(b.rgb)) >= 0.15 || a.fill != b.fill);
            }
    /* A category keeps its swatch whatever its position. */
    assert_int_equal(obs_palette_swatch(OBS_CAT_HOMBRE, 0).rgb, obs_palette_swatch(OBS_CAT_HOMBRE, 5).rgb);
}

/* The same categories get the same colours in the PDF and in the XLSX chart. */
static void test_palette_is_the_same_in_pdf_and_xlsx(void **state)
{
    fixture *fx = *state;
    obs_section *s;
    obs_doc *d = brief_doc(&s);
    static const obs_category cats[] = {OBS_CAT_JDE, OBS_CAT_OPL, OBS_CAT_HOMBRE};
    obs_chart *c = obs_section_add_chart(s, "colores", "Colores", "Colores", OBS_CHART_COLUMN, 3, 3);
    for (size_t k = 0; k < 3; k++) {
        char name[16];
        g_snprintf(name, sizeof name, "Serie %zu", k);
        obs_chart_set_series(c, k, name);
        obs_chart_set_series_category(c, k, cats[k]);
        for (size_t i = 0; i < 3; i++)
            c->series[k].values[i] = 10.0 + (double)(i + k);
    }
    for (size_t i = 0; i < 3; i++)
        obs_chart_set_cat(c, i, ENTIDADES[i]);
    char *pdf = render(fx, d, "paleta");
    char *xlsx = g_build_filename(fx->dir, "paleta.xlsx", NULL);
    obs_error err;
    assert_int_equal(obs_render_xlsx(d, xlsx, &err), OBS_OK);
    char *png_base = g_build_filename(fx->dir, "paleta", NULL);
    const char *ppm[] = {"pdftoppm", "-png", "-r", "72", "-f", "1", "-l", "1", "-singlefile", pdf, png_base, NULL};
    run_out r = run(ppm);
    assert_true(r.ok);
    run_free(&r);
    /* Every series' colour, in series order, in the chart XML; and as pixels of the PDF. */
    static const char py[] =
        "import sys, re, zipfile\n"
        "from PIL import Image\n"
        "x = zipfile.ZipFile(sys.argv[1]).read('xl/charts/chart1.xml').decode()\n"
        "sers = re.findall(r'<c:ser>.*?</c:ser>', x, re.S)\n"
        "im = Image.open(sys.argv[2]).convert('RGB')\n"
        "px = set(im.getdata())\n"
        "for ser, want in zip(sers, sys.argv[3:]):\n"
        "    assert 'val=\"%s\"' % want in ser, (want, ser[:300])\n"
        "    rgb = tuple(int(want[i:i + 2], 16) for i in (0, 2, 4))\n"
        "    assert rgb in px, ('pdf', want)\n"
        "print('ok')\n";
    char hex[3][8];
    for (size_t k = 0; k < 3; k++)
        g_snprintf(hex[k], sizeof hex[k], "%06X", (unsigned)obs_palette_swatch(cats[k], k).rgb);
    char *png = g_strconcat(png_base, ".png", NULL);
    const char *argv[] = {"/usr/bin/python3", "-c", py, xlsx, png, hex[0], hex[1], hex[2], NULL};
    run_out p = run(argv);
    if (!p.ok)
        fail_msg("los colores no coinciden: %s", p.err);
    run_free(&p);
    g_remove(png);
    g_remove(xlsx);
    g_free(png);
    g_free(png_base);
    g_free(xlsx);
    g_free(pdf);
    obs_doc_free(d);
}

/* A template whose table cannot hold its numbers at the smallest size is refused when it is
 * loaded, with its file and the table's line; the default templates' tables are accepted. */
static void test_template_with_too_wide_table_is_refused_at_load(void **state)
{
    (void)state;
    obs_catalog *cat = NULL;
    obs_error err;
    obs_error_clear(&err);
    assert_int_equal(obs_catalog_load(g_getenv("OBSERVA_PLANTILLAS"), &cat, &err), OBS_OK);
    GString *tpl = g_string_new("@seccion Difusión\nTexto.\n\n@tabla entidades id=ancha titulo=\"Ancha\"\n");
    for (int i = 0; i < 14; i++)
        g_string_append_printf(tpl, "columna \"Alcance %d\" = difusion.alcance\n", i);
    obs_template *t = NULL;
    assert_int_equal(obs_template_parse("ancha.tpl", tpl->str, tpl->len, OBS_TPL_INFORME, cat, NULL, NULL, &t, &err),
                     OBS_ERR_CONFIG);
    assert_null(t);
    assert_int_equal(err.line, 4);
    assert_non_null(strstr(err.message, "demasiado ancha"));
    /* Nine columns of counts fit. */
    g_string_assign(tpl, "@seccion Difusión\n@tabla entidades id=media titulo=\"Media\"\n");
    for (int i = 0; i < 9; i++)
        g_string_append_printf(tpl, "columna \"Total %d\" = solicitudes.total\n", i);
    assert_int_equal(obs_template_parse("media.tpl", tpl->str, tpl->len, OBS_TPL_INFORME, cat, NULL, NULL, &t, &err),
                     OBS_OK);
    obs_template_free(t);
    const char *shipped[] = {"informe.tpl", "opl.tpl"};
    const obs_template_kind kinds[] = {OBS_TPL_INFORME, OBS_TPL_OPL};
    for (size_t i = 0; i < 2; i++) {
        char *path = g_build_filename(g_getenv("OBSERVA_PLANTILLAS"), shipped[i], NULL);
        if (obs_template_load(path, kinds[i], cat, NULL, NULL, &t, &err) != OBS_OK)
            fail_msg("%s: %s", shipped[i], err.message);
        obs_template_free(t);
        g_free(path);
    }
    /* The check itself: one count column fits, forty do not. */
    obs_pdf_column_bound cols[40];
    for (size_t j = 0; j < 40; j++)
        cols[j] = (obs_pdf_column_bound){.header = "Total", .widest = "99,999,999"};
    assert_int_equal(obs_pdf_table_check(NULL, cols, 1, &err), OBS_OK);
    assert_int_equal(obs_pdf_table_check(NULL, cols, 40, &err), OBS_ERR_CONFIG);
    g_string_free(tpl, TRUE);
    obs_catalog_free(cat);
}

static void test_pdf_skips_tables_meant_only_for_xlsx(void **state)
{
    obs_doc *d = build_small_report();
    obs_table *x = obs_doc_add_extra_table(d, "m", "Tabla exclusiva de Excel", "Métricas", 1);
    obs_table_set_column(x, 0, "Métrica", OBS_ALIGN_LEFT, 0);
    obs_table *t = obs_section_add_table(&d->sections[0], "solo_hoja", "Tabla solo para la hoja", "Hoja", 1);
    t->targets = OBS_TARGET_XLSX;
    obs_table_set_column(t, 0, "Columna", OBS_ALIGN_LEFT, 0);
    obs_row_set_text(obs_table_add_row(t, OBS_ROW_DATA), 0, "valor");
    char *path = render(*state, d, "solo_xlsx");
    char *txt = pdftotext(path, "-layout");
    assert_null(strstr(txt, "Tabla exclusiva de Excel"));
    assert_null(strstr(txt, "Tabla solo para la hoja"));
    assert_contains(txt, "Un párrafo breve");
    g_free(txt);
    g_free(path);
    obs_doc_free(d);
}

static void test_pdf_replaces_characters_outside_cp1252(void **state)
{
    obs_doc *d = build_small_report();
    obs_section_add_paragraph(&d->sections[0], OBS_PAR_NORMAL,
                              "Umbral ≥ 12 y ≤ 40; cambio −4 · 2 × 3 € 中");
    char *path = render(*state, d, "sustituciones");
    char *txt = pdftotext(path, "-raw");
    assert_contains(txt, "Umbral >= 12 y <= 40; cambio -4 · 2 × 3 € ?");
    g_free(txt);
    g_free(path);
    obs_doc_free(d);
}

static void test_pdf_draws_png_logo(void **state)
{
    fixture *fx = *state;
    char *logo = g_build_filename(fx->dir, "logo.png", NULL);
    assert_true(g_file_set_contents(logo, (const char *)LOGO_PNG, (gssize)LOGO_PNG_SIZE, NULL));
    obs_doc *docs[3] = {build_small_report(), build_letter(), build_brief()};
    const char *names[3] = {"logotipo", "logotipo_oficio", "logotipo_resumen"};
    for (size_t i = 0; i < 3; i++) {
        obs_set_str(&docs[i]->cover.logo_path, logo);
        char *path = render(fx, docs[i], names[i]);
        const char *argv[] = {"pdfimages", "-list", path, NULL};
        run_out r = run(argv);
        assert_true(r.ok);
        assert_non_null(strstr(r.out, "   96    48  rgb"));
        run_free(&r);
        assert_true(assert_words_inside_margins(path) > 10);
        g_free(path);
        obs_doc_free(docs[i]);
    }
    g_free(logo);
}

static void test_pdf_missing_logo_is_config_error(void **state)
{
    fixture *fx = *state;
    obs_doc *d = build_small_report();
    char *logo = g_build_filename(fx->dir, "no-existe.png", NULL);
    obs_set_str(&d->cover.logo_path, logo);
    char *path = pdf_path(fx, "sin_logotipo");
    obs_error err;
    obs_error_clear(&err);
    assert_int_equal(obs_render_pdf(d, NULL, path, &err), OBS_ERR_CONFIG);
    assert_int_equal(err.code, OBS_ERR_CONFIG);
    assert_string_equal(err.path, logo);
    assert_true(err.message[0] != '\0');
    assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_free(path);
    g_free(logo);
    obs_doc_free(d);
}

/* Renders with a logo made of `bytes` and expects a configuration error naming it. */
static void expect_bad_logo(fixture *fx, const char *name, const void *bytes, gssize len)
{
    char *file = g_strdup_printf("%s.png", name);
    char *logo = g_build_filename(fx->dir, file, NULL);
    assert_true(g_file_set_contents(logo, bytes, len, NULL));
    obs_doc *d = build_small_report();
    obs_set_str(&d->cover.logo_path, logo);
    char *path = pdf_path(fx, name);
    obs_error err;
    obs_error_clear(&err);
    assert_int_equal(obs_render_pdf(d, NULL, path, &err), OBS_ERR_CONFIG);
    assert_string_equal(err.path, logo);
    assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_free(path);
    g_free(logo);
    g_free(file);
    obs_doc_free(d);
}

/* libpng would abort() the process on these inside libharu: they must be refused first. */
static void test_pdf_corrupt_logo_is_config_error(void **state)
{
    fixture *fx = *state;
    expect_bad_logo(fx, "logo_basura", "\x89PNG\r\n\x1a\nno es una imagen", -1);
    expect_bad_logo(fx, "logo_truncado", LOGO_PNG, (gssize)(LOGO_PNG_SIZE / 2));
    unsigned char *flipped = g_memdup2(LOGO_PNG, LOGO_PNG_SIZE);
    flipped[60] ^= 0x40; /* inside IDAT: the CRC no longer matches */
    expect_bad_logo(fx, "logo_alterado", flipped, (gssize)LOGO_PNG_SIZE);
    g_free(flipped);
    expect_bad_logo(fx, "logo_jpeg_truncado", LOGO_JPEG, 100);
    expect_bad_logo(fx, "logo_texto", "GIF89a no es PNG ni JPEG", -1);
}

static void test_pdf_unwritable_path_is_io_error(void **state)
{
    fixture *fx = *state;
    obs_doc *d = build_small_report();
    char *path = g_build_filename(fx->dir, "no-existe", "informe.pdf", NULL);
    obs_error err;
    obs_error_clear(&err);
    assert_int_equal(obs_render_pdf(d, NULL, path, &err), OBS_ERR_IO);
    assert_string_equal(err.path, path);
    assert_true(err.message[0] != '\0');
    g_free(path);
    obs_doc_free(d);
}

/* This test binary, re-run as a helper process by the missing-font test. */
static const char *self_exe;

/* Helper mode: renders with whatever fonts FONTCONFIG_FILE offers and prints the outcome. */
static int render_without_fonts(const char *path)
{
    obs_doc *d = build_small_report();
    obs_error err;
    obs_error_clear(&err);
    obs_status s = obs_render_pdf(d, NULL, path, &err);
    printf("%s\n%s\n", obs_status_str(s), err.message);
    obs_doc_free(d);
    return s == OBS_ERR_CONFIG ? 0 : 1;
}

/* Runs the helper with FONTCONFIG_FILE=conf and expects a configuration error naming the package. */
static void expect_font_config_error(fixture *fx, const char *conf)
{
    char *path = pdf_path(fx, "sin_fuente");
    char **env = g_environ_setenv(g_get_environ(), "FONTCONFIG_FILE", conf, TRUE);
    const char *argv[] = {self_exe, "--sin-fuente", path, NULL};
    char *out = NULL;
    int status = 0;
    assert_true(g_spawn_sync(NULL, (char **)argv, env, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                             NULL, &status, NULL));
    if (!g_spawn_check_wait_status(status, NULL))
        fail_msg("se esperaba un error de configuración: %s", out);
    assert_non_null(strstr(out, "fonts-liberation"));
    assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_free(out);
    g_strfreev(env);
    g_free(path);
}

/*
 * Without Liberation Sans, fontconfig silently substitutes another family:
 * that must be refused. A fresh process reads its own FONTCONFIG_FILE, so no
 * other test is affected: first a configuration with no fonts at all, then one
 * whose only font is Liberation Mono (shipped by the same Debian package).
 */
static void test_pdf_missing_font_is_config_error_naming_the_package(void **state)
{
    fixture *fx = *state;
    char *empty = g_build_filename(fx->dir, "fonts-vacio.conf", NULL);
    assert_true(g_file_set_contents(empty, "<?xml version=\"1.0\"?>\n<fontconfig></fontconfig>\n", -1, NULL));
    expect_font_config_error(fx, empty);

    /* Regular and bold, so that only the family check can refuse them. */
    char *fonts = g_build_filename(fx->dir, "fuentes", NULL);
    assert_int_equal(g_mkdir_with_parents(fonts, 0755), 0);
    const char *faces[2] = {"Liberation Mono", "Liberation Mono:bold"};
    char *copies[2];
    for (size_t i = 0; i < 2; i++) {
        FcPattern *pat = FcNameParse((const FcChar8 *)faces[i]);
        FcConfigSubstitute(NULL, pat, FcMatchPattern);
        FcDefaultSubstitute(pat);
        FcResult res;
        FcPattern *m = FcFontMatch(NULL, pat, &res);
        FcChar8 *file = NULL;
        assert_non_null(m);
        assert_int_equal(FcPatternGetString(m, FC_FILE, 0, &file), FcResultMatch);
        char *data = NULL;
        gsize len = 0;
        assert_true(g_file_get_contents((const char *)file, &data, &len, NULL));
        char *name = g_strdup_printf("otra-%zu.ttf", i);
        copies[i] = g_build_filename(fonts, name, NULL);
        assert_true(g_file_set_contents(copies[i], data, (gssize)len, NULL));
        g_free(name);
        g_free(data);
        FcPatternDestroy(m);
        FcPatternDestroy(pat);
    }
    char *xml = g_strdup_printf("<?xml version=\"1.0\"?>\n<fontconfig><dir>%s</dir>"
                                "<cachedir>%s/cache</cachedir></fontconfig>\n", fonts, fx->dir);
    char *other = g_build_filename(fx->dir, "fonts-otra.conf", NULL);
    assert_true(g_file_set_contents(other, xml, -1, NULL));
    expect_font_config_error(fx, other);

    for (size_t i = 0; i < 2; i++) {
        g_remove(copies[i]);
        g_free(copies[i]);
    }
    g_rmdir(fonts);
    char *cache = g_build_filename(fx->dir, "cache", NULL);
    GDir *dir = g_dir_open(cache, 0, NULL);
    for (const char *name; dir && (name = g_dir_read_name(dir));) {
        char *p = g_build_filename(cache, name, NULL);
        g_remove(p);
        g_free(p);
    }
    if (dir)
        g_dir_close(dir);
    g_rmdir(cache);
    g_free(cache);
    g_free(other);
    g_free(xml);
    g_free(fonts);
    g_free(empty);
}

static void test_pdf_rejects_null_arguments(void **state)
{
    (void)state;
    obs_error err;
    obs_error_clear(&err);
    assert_int_equal(obs_render_pdf(NULL, NULL, "x.pdf", &err), OBS_ERR_USAGE);
    obs_doc *d = obs_doc_new();
    assert_int_equal(obs_render_pdf(d, NULL, NULL, NULL), OBS_ERR_USAGE);
    obs_doc_free(d);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--sin-fuente") == 0)
        return render_without_fonts(argv[2]);
    self_exe = argv[0];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pdf_passes_qpdf_check_and_keeps_accents),
        cmocka_unit_test(test_pdf_embeds_fonts_with_unicode_maps),
        cmocka_unit_test(test_pdf_repeats_table_header_on_each_page),
        cmocka_unit_test(test_pdf_numbers_pages_after_the_cover),
        cmocka_unit_test(test_pdf_sets_metadata_and_expected_page_count),
        cmocka_unit_test(test_pdf_is_byte_identical_across_renders),
        cmocka_unit_test(test_pdf_renders_concurrently_with_identical_bytes),
        cmocka_unit_test(test_pdf_uses_letter_or_a4_paper),
        cmocka_unit_test(test_pdf_letter_layout_has_letterhead_and_no_running_header),
        cmocka_unit_test(test_pdf_brief_layout_has_title_block_and_footers),
        cmocka_unit_test(test_pdf_has_one_bookmark_per_section),
        cmocka_unit_test(test_pdf_text_stays_inside_two_centimetre_margins),
        cmocka_unit_test(test_pdf_renders_charts_and_tables_at_their_limits),
        cmocka_unit_test(test_pdf_draws_axis_titles_as_model_h_says),
        cmocka_unit_test(test_pdf_weighted_column_keeps_its_longest_word),
        cmocka_unit_test(test_pdf_breaks_a_word_wider_than_the_page_never_cuts_it),
        cmocka_unit_test(test_pdf_wide_table_prints_every_number_whole),
        cmocka_unit_test(test_pdf_table_has_one_type_size),
        cmocka_unit_test(test_pdf_table_too_wide_for_portrait_goes_landscape),
        cmocka_unit_test(test_pdf_short_table_never_splits),
        cmocka_unit_test(test_pdf_total_row_keeps_two_data_rows),
        cmocka_unit_test(test_pdf_split_table_keeps_three_rows_on_each_page),
        cmocka_unit_test(test_pdf_titles_never_end_a_page),
        cmocka_unit_test(test_pdf_brief_fits_two_pages),
        cmocka_unit_test(test_pdf_empty_chart_is_a_sentence_and_counts_have_whole_ticks),
        cmocka_unit_test(test_pdf_marks_flagged_entidad_after_its_name),
        cmocka_unit_test(test_axis_steps_are_round_and_whole_for_counts),
        cmocka_unit_test(test_palette_groups_differ_in_grayscale),
        cmocka_unit_test(test_palette_is_the_same_in_pdf_and_xlsx),
        cmocka_unit_test(test_template_with_too_wide_table_is_refused_at_load),
        cmocka_unit_test(test_pdf_skips_tables_meant_only_for_xlsx),
        cmocka_unit_test(test_pdf_replaces_characters_outside_cp1252),
        cmocka_unit_test(test_pdf_draws_png_logo),
        cmocka_unit_test(test_pdf_missing_logo_is_config_error),
        cmocka_unit_test(test_pdf_corrupt_logo_is_config_error),
        cmocka_unit_test(test_pdf_unwritable_path_is_io_error),
        cmocka_unit_test(test_pdf_missing_font_is_config_error_naming_the_package),
        cmocka_unit_test(test_pdf_rejects_null_arguments),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
