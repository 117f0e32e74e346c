/* test_render_xlsx.c - renders model documents to XLSX and reads them back with openpyxl. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scratch.h"
#include "observa/model.h"
#include "observa/render.h"

/* Debian's interpreter: it has python3-openpyxl (the first python3 on PATH may not). */
#define PYTHON "/usr/bin/python3"

#define GENERATED_AT INT64_C(1697500800) /* 2023-10-17T00:00:00Z */
#define NENT 32

static const char *const entidades[NENT] = {
    "Aguascalientes", "Baja California", "Baja California Sur", "Campeche",
    "Coahuila", "Colima", "Chiapas", "Chihuahua", "Ciudad de México", "Durango",
    "Guanajuato", "Guerrero", "Hidalgo", "Jalisco", "México", "Michoacán",
    "Morelos", "Nayarit", "Nuevo León", "Oaxaca", "Puebla", "Querétaro",
    "Quintana Roo", "San Luis Potosí", "Sinaloa", "Sonora", "Tabasco",
    "Tamaulipas", "Tlaxcala", "Veracruz", "Yucatán", "Zacatecas",
};

/* The sheet-name cases: a name longer than 31 characters whose 31st is 'ó'
 * (a byte cut would split it), its duplicate, and names to clean. */
#define LONG_SHEET "Solicitudes por vía de recepción y categoría"
#define LONG_SHEET_CUT "Solicitudes por vía de recepció"
#define LONG_SHEET_DUP "Solicitudes por vía de rece (2)"

/*
 * Reads a workbook back and prints one fact per line, tab-separated:
 *   SHEETS  names joined by '|'
 *   SHEET   name, freeze=, filter=, repeat=, orient=, fit=fitToPage/width/height, paper=,
 *           merged= (merged ranges, space-separated), colbrk= (manual column breaks)
 *   WIDTH   sheet!COL, width
 *   CELL    sheet!REF, data_type, number_format, repr(value), repr(cached value),
 *           bold=, fill=, font=, wrap=
 *   RAWF    sheet!REF, formula text as stored in the sheet XML
 *   ZIP     entry name, timestamp
 *   CHART   part, bar=<barDir>, line=, ser=, dPt=, alert=, trend=, tname=, label=, legend=
 *   CHARTREF part, cat|val, range
 *   DRAWING part, width, height (pixels) of each object, counting its columns and rows as
 *           Excel's defaults
 *   PROP    core/app property, value
 * openpyxl drops charts, so they are read from the zip directly.
 */
static const char probe_py[] =
    "import sys, re, zipfile, openpyxl\n"
    "p = sys.argv[1]\n"
    "wf = openpyxl.load_workbook(p)\n"
    "wv = openpyxl.load_workbook(p, data_only=True)\n"
    "print('SHEETS\\t' + '|'.join(wf.sheetnames))\n"
    "for ws in wf.worksheets:\n"
    "    ps = ws.page_setup\n"
    "    fp = ws.sheet_properties.pageSetUpPr\n"
    "    # fitToWidth and fitToHeight default to 1 in OOXML when absent.\n"
    "    fw = 1 if ps.fitToWidth is None else ps.fitToWidth\n"
    "    fh = 1 if ps.fitToHeight is None else ps.fitToHeight\n"
    "    print('SHEET', ws.title, 'freeze=%s' % ws.freeze_panes,\n"
    "          'filter=%s' % ws.auto_filter.ref, 'repeat=%s' % ws.print_title_rows,\n"
    "          'orient=%s' % ps.orientation,\n"
    "          'fit=%s/%s/%s' % (fp.fitToPage if fp else None, fw, fh),\n"
    "          'paper=%s' % ps.paperSize,\n"
    "          'merged=' + ' '.join(sorted(str(r) for r in ws.merged_cells.ranges)),\n"
    "          'colbrk=' + ','.join(str(b.id) for b in ws.col_breaks.brk), sep='\\t')\n"
    "    for k, d in sorted(ws.column_dimensions.items()):\n"
    "        print('WIDTH\\t%s!%s\\t%.2f' % (ws.title, k, d.width))\n"
    "    for k, d in sorted(ws.row_dimensions.items()):\n"
    "        if d.height:\n"
    "            print('HEIGHT\\t%s!%d\\t%.1f' % (ws.title, k, d.height))\n"
    "    for row in ws.iter_rows():\n"
    "        for c in row:\n"
    "            if c.value is None and not c.has_style:\n"
    "                continue\n"
    "            fill = c.fill.fgColor.rgb if c.fill.fill_type == 'solid' else '-'\n"
    "            fc = c.font.color\n"
    "            font = fc.rgb if fc is not None and fc.type == 'rgb' else '-'\n"
    "            print('CELL', '%s!%s' % (ws.title, c.coordinate), c.data_type,\n"
    "                  c.number_format, repr(c.value),\n"
    "                  repr(wv[ws.title][c.coordinate].value), 'bold=%d' % bool(c.font.b),\n"
    "                  'fill=' + fill, 'font=' + font,\n"
    "                  'wrap=%d' % bool(c.alignment.wrap_text), sep='\\t')\n"
    "z = zipfile.ZipFile(p)\n"
    "for i in z.infolist():\n"
    "    print('ZIP\\t%s\\t%04d-%02d-%02d %02d:%02d:%02d' % ((i.filename,) + i.date_time))\n"
    "for n, ws in enumerate(wf.worksheets, 1):\n"
    "    x = z.read('xl/worksheets/sheet%d.xml' % n).decode()\n"
    "    for m in re.finditer(r'<c r=\"([A-Z]+[0-9]+)\"[^>]*><f>([^<]*)</f>', x):\n"
    "        print('RAWF\\t%s!%s\\t%s' % (ws.title, m.group(1), m.group(2)))\n"
    "for n in sorted(e for e in z.namelist() if e.startswith('xl/charts/chart')):\n"
    "    x = z.read(n).decode()\n"
    "    bd = re.search(r'<c:barDir val=\"(\\w+)\"', x)\n"
    "    tn = re.search(r'<c:trendline><c:name>([^<]*)</c:name>', x)\n"
    "    lb = re.search(r'<c:dLbl>(?:(?!</c:dLbl>).)*<a:t>([^<]*)</a:t>', x)\n"
    "    mu = re.search(r'<c:majorUnit val=\"([^\"]*)\"', x)\n"
    "    print('CHART', n, 'bar=' + (bd.group(1) if bd else '-'),\n"
    "          'line=%d' % ('<c:lineChart>' in x), 'ser=%d' % x.count('<c:ser>'),\n"
    "          'dPt=%d' % x.count('<c:dPt>'), 'alert=%d' % x.count('\"%s\"' % sys.argv[2]),\n"
    "          'trend=%d' % x.count('<c:trendline>'), 'tname=' + (tn.group(1) if tn else '-'),\n"
    "          'label=' + (lb.group(1) if lb else '-'), 'legend=%d' % ('<c:legend>' in x),\n"
    "          'major=' + (mu.group(1) if mu else '-'),\n"
    "          sep='\\t')\n"
    "    for m in re.finditer(r'<c:(cat|val)>.*?<c:f>([^<]*)</c:f>', x):\n"
    "        print('CHARTREF\\t%s\\t%s\\t%s' % (n, m.group(1), m.group(2)))\n"
    "for n in sorted(e for e in z.namelist() if e.startswith('xl/drawings/drawing')):\n"
    "    for a in re.findall(r'<xdr:twoCellAnchor>.*?</xdr:twoCellAnchor>', z.read(n).decode()):\n"
    "        v = [int(x) for x in re.findall(r'<xdr:(?:col|colOff|row|rowOff)>(\\d+)<', a)[:8]]\n"
    "        # default columns (64 px) and rows (20 px), as beside a table\n"
    "        print('DRAWING\\t%s\\t%d\\t%d' % (n, (v[4] - v[0]) * 64 + (v[5] - v[1]) // 9525,\n"
    "                                           (v[6] - v[2]) * 20 + (v[7] - v[3]) // 9525))\n"
    "core = z.read('docProps/core.xml').decode()\n"
    "app = z.read('docProps/app.xml').decode()\n"
    "for tag in ['dc:title', 'dc:subject', 'dc:creator', 'cp:keywords', 'dc:description',\n"
    "            'dcterms:created']:\n"
    "    m = re.search('<%s[^>]*>([^<]*)</%s>' % (tag, tag), core)\n"
    "    print('PROP\\t%s\\t%s' % (tag, m.group(1) if m else '-'))\n"
    "m = re.search('<Company>([^<]*)</Company>', app)\n"
    "print('PROP\\tCompany\\t%s' % (m.group(1) if m else '-'))\n";

typedef struct fixture {
    char *dir;  /* where the workbooks go (scratch_dir(): OBS_TEST_KEEP keeps them) */
    char *path; /* the workbook of the test */
    char *facts;
} fixture;

/* ------------------------------------------------------------ documents */

static obs_doc *new_doc(void)
{
    obs_doc *doc = obs_doc_new();
    obs_set_str(&doc->title, "Informe de observación electoral");
    obs_set_str(&doc->subject, "Acreditación de observadores, corte 12/10/2023");
    obs_set_str(&doc->author, "Dirección Ejecutiva de Organización Electoral");
    obs_set_str(&doc->creator, "observa 0.1.0");
    obs_set_str(&doc->keywords, "INE, observación electoral, difusión");
    obs_set_str(&doc->header, "Informe de observación · corte 12/10/2023 · R&D");
    doc->generated_at = GENERATED_AT;
    return doc;
}

/* Actions of entidad i (clave i+1): Coahuila has none at all (a zero base). */
static int64_t jle_of(size_t i) { return i == 4 ? 0 : 100 + 7 * (int64_t)i; }
static int64_t opl_of(size_t i) { return i == 4 ? 0 : (int64_t)((i * 13) % 40); }

/* Columns: Entidad, Acciones JLE, Acciones OPL, % OPL, Cambio OPL, Alcance. */
static void add_difusion_table(obs_section *sec)
{
    obs_table *t = obs_section_add_table(sec, "difusion_entidad",
                                         "Acciones de difusión por entidad",
                                         "Difusión por entidad", 6);
    obs_table_set_column(t, 0, "Entidad", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(t, 1, "Acciones JLE", OBS_ALIGN_RIGHT, 0);
    obs_table_set_column(t, 2, "Acciones OPL", OBS_ALIGN_RIGHT, 0);
    obs_table_set_column(t, 3, "% OPL del total", OBS_ALIGN_RIGHT, 0);
    obs_table_set_column(t, 4, "Cambio OPL", OBS_ALIGN_RIGHT, 0);
    obs_table_set_column(t, 5, "Alcance promedio (miles de personas)", OBS_ALIGN_RIGHT, 0);
    int64_t sum_jle = 0, sum_opl = 0, sum_delta = 0;
    for (size_t i = 0; i < NENT; i++) {
        obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
        int64_t jle = jle_of(i), opl = opl_of(i), delta = (int64_t)(i % 5) - 2;
        obs_row_set_text(r, 0, entidades[i]);
        obs_row_set_int(r, 1, jle);
        obs_row_set_int(r, 2, opl);
        obs_row_set_pct(r, 3, opl, jle + opl);
        obs_row_set_delta(r, 4, delta);
        obs_row_set_dec(r, 5, 12.5 + 0.25 * (double)i, 2);
        if (opl < 10 && jle > 0) {
            r->marked = true;
            obs_row_flag(r, 2, OBS_CELL_MARK);
        }
        sum_jle += jle;
        sum_opl += opl;
        sum_delta += delta;
    }
    obs_row *tot = obs_table_add_row(t, OBS_ROW_TOTAL);
    obs_row_set_text(tot, 0, "Total nacional");
    obs_row_set_int(tot, 1, sum_jle);
    obs_row_set_int(tot, 2, sum_opl);
    obs_row_set_pct(tot, 3, sum_opl, sum_jle + sum_opl);
    obs_row_set_delta(tot, 4, sum_delta);
    /* column 5 stays EMPTY */
    obs_set_str(&t->note, "Porcentaje respecto del total de acciones (JLE + OPL) de la entidad.");
}

static void add_hbar_chart(obs_section *sec)
{
    obs_chart *c = obs_section_add_chart(sec, "acciones_opl", "Acciones de difusión de los OPL",
                                         "Gráfica acciones OPL", OBS_CHART_HBAR, NENT, 1);
    obs_set_str(&c->x_title, "Acciones");
    obs_set_str(&c->y_title, "Entidad");
    obs_chart_set_series(c, 0, "Acciones OPL");
    for (size_t i = 0; i < NENT; i++) {
        obs_chart_set_cat(c, i, entidades[i]);
        c->series[0].values[i] = (double)opl_of(i);
        c->highlight[i] = opl_of(i) < 10;
    }
    obs_chart_set_threshold(c, 10, "Umbral (10 acciones)");
}

/* Text from the input that looks like a formula, and subtotals. */
static void add_tipo_table(obs_section *sec)
{
    obs_table *t = obs_section_add_table(sec, "tipo_accion", "Acciones por tipo",
                                         "Tipo de acción", 3);
    obs_table_set_column(t, 0, "Tipo", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(t, 1, "Contacto", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(t, 2, "Acciones", OBS_ALIGN_RIGHT, 0);
    static const struct {
        obs_row_kind kind;
        const char *tipo, *contacto;
        int64_t n;
    } rows[] = {
        {OBS_ROW_DATA, "Perifoneo", "=HYPERLINK(\"x\")", 5},
        {OBS_ROW_DATA, "Redes sociales", "+52 55", 7},
        {OBS_ROW_TOTAL, "Subtotal INE", NULL, 12},
        {OBS_ROW_DATA, "Carteles", "@usuario", 3},
        {OBS_ROW_DATA, "Visitas", "-5 acciones", 4},
        {OBS_ROW_DATA, "Otras", "=1+1", 1},
        {OBS_ROW_TOTAL, "Subtotal OPL", NULL, 8},
        {OBS_ROW_TOTAL, "Total", NULL, 20},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
        obs_row *r = obs_table_add_row(t, rows[i].kind);
        obs_row_set_text(r, 0, rows[i].tipo);
        if (rows[i].contacto)
            obs_row_set_text(r, 1, rows[i].contacto);
        obs_row_set_int(r, 2, rows[i].n);
    }
}

static void add_small_table(obs_section *sec, const char *id, const char *sheet)
{
    obs_table *t = obs_section_add_table(sec, id, "Tabla auxiliar", sheet, 2);
    obs_table_set_column(t, 0, "Concepto", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(t, 1, "Valor", OBS_ALIGN_RIGHT, 0);
    obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
    obs_row_set_text(r, 0, "Solicitudes");
    obs_row_set_int(r, 1, 34462);
}

static void add_column_chart(obs_section *sec)
{
    obs_chart *c = obs_section_add_chart(sec, "medio", "Solicitudes por medio de recepción",
                                         "Solicitudes por medio", OBS_CHART_COLUMN, 3, 1);
    static const char *const medios[] = {"Portal público", "Juntas Locales y Distritales",
                                         "Organismos Públicos Locales"};
    static const double v[] = {120, 35, 80};
    obs_set_str(&c->x_title, "Medio de recepción");
    obs_set_str(&c->y_title, "Solicitudes");
    obs_chart_set_series(c, 0, "Solicitudes");
    for (size_t i = 0; i < 3; i++) {
        obs_chart_set_cat(c, i, medios[i]);
        c->series[0].values[i] = v[i];
    }
    c->highlight[1] = true;
    obs_chart_set_threshold(c, 50, "Umbral");
}

static void add_line_chart(obs_section *sec)
{
    obs_chart *c = obs_section_add_chart(sec, "semanal", "Solicitudes acumuladas por semana",
                                         "Solicitudes semanales", OBS_CHART_LINE, 8, 2);
    obs_set_str(&c->x_title, "Semana");
    obs_set_str(&c->y_title, "Solicitudes acumuladas");
    obs_chart_set_series(c, 0, "Recibidas");
    obs_chart_set_series(c, 1, "Aprobadas");
    for (size_t i = 0; i < 8; i++) {
        char label[16];
        snprintf(label, sizeof label, "Sem. %zu", i + 1);
        obs_chart_set_cat(c, i, label);
        c->series[0].values[i] = 10.5 * (double)(i + 1);
        c->series[1].values[i] = 6.25 * (double)(i + 1);
    }
    c->highlight[3] = true;
    obs_chart_set_threshold(c, 40, "Meta semanal");
}

static void add_extra_tables(obs_doc *doc)
{
    obs_table *m = obs_doc_add_extra_table(doc, "metricas", "Métricas (formato largo)",
                                           "Métricas", 3);
    obs_table_set_column(m, 0, "métrica", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(m, 1, "entidad", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(m, 2, "valor", OBS_ALIGN_RIGHT, 0);
    for (size_t i = 0; i < 3; i++) {
        obs_row *r = obs_table_add_row(m, OBS_ROW_DATA);
        obs_row_set_text(r, 0, "difusion.acciones_opl");
        obs_row_set_text(r, 1, entidades[i]);
        obs_row_set_int(r, 2, opl_of(i));
    }
    obs_table *c = obs_doc_add_extra_table(doc, "control", "Totales de control", "Control", 3);
    obs_table_set_column(c, 0, "Concepto", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(c, 1, "Filas", OBS_ALIGN_RIGHT, 0);
    obs_table_set_column(c, 2, "Ok", OBS_ALIGN_CENTER, 0);
    obs_row *r = obs_table_add_row(c, OBS_ROW_DATA);
    obs_row_set_text(r, 0, "Filas leídas");
    obs_row_set_int(r, 1, 1000);
    obs_row_set_text(r, 2, "sí");
    /* A long text: the column width is clamped at 60. */
    r = obs_table_add_row(c, OBS_ROW_DATA);
    obs_row_set_text(r, 0, "Filas rechazadas porque la fecha de solicitud es posterior a la "
                           "fecha de corte del informe");
    obs_row_set_int(r, 1, 3);
}

/* The document most tests read: every feature of the renderer once. */
static obs_doc *build_report(void)
{
    obs_doc *doc = new_doc();
    obs_section *s1 = obs_doc_add_section(doc, "Difusión de la convocatoria");
    obs_section_add_paragraph(s1, OBS_PAR_NORMAL, "Texto que solo va al PDF.");
    add_difusion_table(s1);
    add_hbar_chart(s1);
    obs_table *pdf_only = obs_section_add_table(s1, "solo_pdf", "Solo en el PDF", NULL, 1);
    obs_table_set_column(pdf_only, 0, "Dato", OBS_ALIGN_LEFT, 0);
    add_tipo_table(s1);

    obs_section *s2 = obs_doc_add_section(doc, "Solicitudes de acreditación");
    add_column_chart(s2);
    add_line_chart(s2);
    add_small_table(s2, "largo", LONG_SHEET);
    add_small_table(s2, "largo_bis", LONG_SHEET);
    add_small_table(s2, "estado", "Estado");
    add_small_table(s2, "estado_bis", "Estado");
    add_small_table(s2, "estado_mayus", "ESTADO");
    add_small_table(s2, "causas", "Causas: improcedencia [top 10]?");
    add_small_table(s2, "causas_extra", " ?*/ ");
    add_extra_tables(doc);
    return doc;
}

/* ------------------------------------------------------------- plumbing */

static int setup(void **state)
{
    fixture *fx = g_new0(fixture, 1);
    fx->dir = scratch_dir("xlsx");
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    scratch_remove(fx->dir);
    g_free(fx->path);
    g_free(fx->facts);
    g_free(fx);
    return 0;
}

/* Renders doc (and frees it) into the fixture's directory; asserts success. */
static const char *render(fixture *fx, const char *name, obs_doc *doc)
{
    g_free(fx->path);
    fx->path = g_build_filename(fx->dir, name, NULL);
    obs_error err;
    obs_error_clear(&err);
    obs_status st = obs_render_xlsx(doc, fx->path, &err);
    obs_doc_free(doc);
    if (st != OBS_OK)
        fail_msg("obs_render_xlsx: %s: %s", obs_status_str(st), err.message);
    return fx->path;
}

/* Runs the probe on the fixture's workbook; the facts start with '\n' so that
 * every line can be searched as "\nKIND\t…". */
static const char *read_back(fixture *fx)
{
    /* The flagged colour, as both renderers take it from the palette (render.h). */
    char alert[8];
    snprintf(alert, sizeof alert, "%06X", (unsigned)obs_palette_swatch(OBS_CAT_SENALADO, 0).rgb);
    char *argv[] = {PYTHON, "-c", (char *)probe_py, fx->path, alert, NULL};
    char **envp = g_environ_setenv(g_get_environ(), "PYTHONIOENCODING", "utf-8", TRUE);
    char *out = NULL, *errout = NULL;
    int status = 0;
    GError *gerr = NULL;
    gboolean ok = g_spawn_sync(NULL, argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, &errout,
                               &status, &gerr);
    g_strfreev(envp);
    if (!ok)
        fail_msg("cannot run %s: %s", PYTHON, gerr->message);
    if (!g_spawn_check_wait_status(status, NULL))
        fail_msg("openpyxl could not read %s:\n%s", fx->path, errout);
    g_free(errout);
    g_free(fx->facts);
    fx->facts = g_strconcat("\n", out, NULL);
    g_free(out);
    return fx->facts;
}

/* The line of facts that starts with "KIND\tKEY\t" (without the newline), or NULL. */
static char *fact(const char *facts, const char *kind, const char *key)
{
    char *needle = g_strdup_printf("\n%s\t%s\t", kind, key);
    const char *p = strstr(facts, needle);
    g_free(needle);
    if (!p)
        return NULL;
    p++;
    const char *end = strchr(p, '\n');
    return g_strndup(p, end ? (size_t)(end - p) : strlen(p));
}

/* Field i (0 = KIND) of a fact line; fails the test when the fact is missing. */
static char *field(const char *facts, const char *kind, const char *key, int i)
{
    char *line = fact(facts, kind, key);
    if (!line)
        fail_msg("no %s fact for %s", kind, key);
    char **parts = g_strsplit(line, "\t", -1);
    g_free(line);
    if ((int)g_strv_length(parts) <= i)
        fail_msg("%s fact for %s has no field %d", kind, key, i);
    char *f = g_strdup(parts[i]);
    g_strfreev(parts);
    return f;
}

#define assert_field(facts, kind, key, i, expected)                           \
    do {                                                                      \
        char *got_ = field((facts), (kind), (key), (i));                      \
        if (strcmp(got_, (expected)) != 0)                                    \
            fail_msg("%s %s field %d: expected <%s>, got <%s>", (kind), (key), \
                     (i), (expected), got_);                                  \
        g_free(got_);                                                         \
    } while (0)

/* CELL fields: 2 data_type, 3 number_format, 4 value, 5 cached value, 6 bold, 7 fill,
 * 8 font colour, 9 wrap. */
enum { F_TYPE = 2, F_FORMAT, F_VALUE, F_CACHED, F_BOLD, F_FILL, F_FONT, F_WRAP };

static void assert_sheets(const char *facts, const char *expected)
{
    char *line = g_strdup_printf("\nSHEETS\t%s\n", expected);
    if (!strstr(facts, line)) {
        const char *p = strstr(facts, "\nSHEETS\t");
        fail_msg("sheets: expected <%s>, got <%.*s>", expected,
                 p ? (int)strcspn(p + 8, "\n") : 0, p ? p + 8 : "");
    }
    g_free(line);
}

static double num_field(const char *facts, const char *ref, int i)
{
    char *s = field(facts, "CELL", ref, i);
    char *end;
    double v = g_ascii_strtod(s, &end);
    if (end == s || *end)
        fail_msg("%s field %d is not a number: %s", ref, i, s);
    g_free(s);
    return v;
}

static void assert_number_cell(const char *facts, const char *ref, const char *format,
                               double expected)
{
    assert_field(facts, "CELL", ref, F_TYPE, "n");
    assert_field(facts, "CELL", ref, F_FORMAT, format);
    double v = num_field(facts, ref, F_VALUE);
    if (fabs(v - expected) > 1e-12)
        fail_msg("%s: expected %.15g, got %.15g", ref, expected, v);
}

static void assert_string_cell(const char *facts, const char *ref, const char *expected)
{
    char *repr = g_strdup_printf("'%s'", expected);
    assert_field(facts, "CELL", ref, F_TYPE, "s");
    assert_field(facts, "CELL", ref, F_VALUE, repr);
    assert_field(facts, "CELL", ref, F_CACHED, repr);
    g_free(repr);
}

static int64_t sum_jle(void)
{
    int64_t s = 0;
    for (size_t i = 0; i < NENT; i++)
        s += jle_of(i);
    return s;
}

static int64_t sum_opl(void)
{
    int64_t s = 0;
    for (size_t i = 0; i < NENT; i++)
        s += opl_of(i);
    return s;
}

static gchar *read_file(const char *path, gsize *len)
{
    gchar *data = NULL;
    if (!g_file_get_contents(path, &data, len, NULL))
        fail_msg("cannot read %s", path);
    return data;
}

/* ---------------------------------------------------------------- tests */

static void test_xlsx_sheets_follow_document_order_with_clean_unique_names(void **state)
{
    fixture *fx = *state;
    render(fx, "informe.xlsx", build_report());
    const char *f = read_back(fx);
    /* PDF-only table skipped; charts in place; 31-character cut on a character
     * boundary; duplicates numbered case-insensitively; forbidden characters
     * removed; a blank name falls back to the id; extra tables last. */
    assert_sheets(f,
                  "Difusión por entidad|Gráfica acciones OPL|Tipo de acción|"
                  "Solicitudes por medio|Solicitudes semanales|" LONG_SHEET_CUT "|" LONG_SHEET_DUP
                  "|Estado|Estado (2)|ESTADO (3)|Causas improcedencia top 10|causas_extra|"
                  "Métricas|Control");
}

static void test_xlsx_numbers_are_numeric_cells_with_number_formats(void **state)
{
    fixture *fx = *state;
    render(fx, "numeros.xlsx", build_report());
    const char *f = read_back(fx);
    const char *s = "Difusión por entidad";
    char ref[64];
    /* Row 4 is Aguascalientes (i = 0), row 5 Baja California (i = 1). */
    snprintf(ref, sizeof ref, "%s!B4", s);
    assert_number_cell(f, ref, "#,##0", 100);
    snprintf(ref, sizeof ref, "%s!C5", s);
    assert_number_cell(f, ref, "#,##0", 13);
    snprintf(ref, sizeof ref, "%s!D5", s);
    assert_number_cell(f, ref, "0.0%", 13.0 / 120.0);
    snprintf(ref, sizeof ref, "%s!E4", s);
    assert_number_cell(f, ref, "+#,##0;-#,##0;0", -2);
    snprintf(ref, sizeof ref, "%s!E6", s);
    assert_number_cell(f, ref, "+#,##0;-#,##0;0", 0);
    snprintf(ref, sizeof ref, "%s!F5", s);
    assert_number_cell(f, ref, "#,##0.0#", 12.75);
    /* Coahuila (row 8) has no actions at all: the percentage has no base. */
    snprintf(ref, sizeof ref, "%s!D8", s);
    assert_string_cell(f, ref, "–");
    /* Text stays text. */
    snprintf(ref, sizeof ref, "%s!A12", s);
    assert_string_cell(f, ref, "Ciudad de México");
    /* A chart's data table is numeric too. */
    assert_number_cell(f, "Gráfica acciones OPL!B5", "#,##0", 13);
    assert_number_cell(f, "Solicitudes semanales!B4", "#,##0.0#", 10.5);
    /* Counts stay integers even beside a threshold with decimals, and the reverse. */
    assert_number_cell(f, "Solicitudes semanales!D4", "#,##0", 40);
}

static void test_xlsx_total_row_is_sum_formula_with_cached_value(void **state)
{
    fixture *fx = *state;
    render(fx, "totales.xlsx", build_report());
    const char *f = read_back(fx);
    const char *s = "Difusión por entidad";
    char ref[64], cached[32];

    /* 32 data rows (4..35), total in row 36. */
    snprintf(ref, sizeof ref, "%s!B36", s);
    assert_field(f, "CELL", ref, F_TYPE, "f");
    assert_field(f, "CELL", ref, F_VALUE, "'=SUM(B4:B35)'");
    snprintf(cached, sizeof cached, "%" PRId64, sum_jle());
    assert_field(f, "CELL", ref, F_CACHED, cached);
    assert_field(f, "CELL", ref, F_FORMAT, "#,##0");
    assert_field(f, "CELL", ref, F_BOLD, "bold=1");
    assert_field(f, "RAWF", ref, 2, "SUM(B4:B35)");

    snprintf(ref, sizeof ref, "%s!C36", s);
    assert_field(f, "CELL", ref, F_VALUE, "'=SUM(C4:C35)'");
    snprintf(cached, sizeof cached, "%" PRId64, sum_opl());
    assert_field(f, "CELL", ref, F_CACHED, cached);

    /* Other kinds in a total row are plain values, bold. */
    snprintf(ref, sizeof ref, "%s!D36", s);
    assert_number_cell(f, ref, "0.0%", (double)sum_opl() / (double)(sum_jle() + sum_opl()));
    assert_field(f, "CELL", ref, F_BOLD, "bold=1");
    snprintf(ref, sizeof ref, "%s!E36", s);
    int64_t sum_delta = 0;
    for (size_t i = 0; i < NENT; i++)
        sum_delta += (int64_t)(i % 5) - 2;
    assert_number_cell(f, ref, "+#,##0;-#,##0;0", (double)sum_delta);
    snprintf(ref, sizeof ref, "%s!A36", s);
    assert_string_cell(f, ref, "Total nacional");
    assert_field(f, "CELL", ref, F_BOLD, "bold=1");
    /* The EMPTY cell of the total row is a formatted blank. */
    snprintf(ref, sizeof ref, "%s!F36", s);
    assert_field(f, "CELL", ref, F_VALUE, "None");
    assert_field(f, "CELL", ref, F_BOLD, "bold=1");

    /* Subtotals sum only the data rows since the previous total; a total right
     * after a total has no rows to sum and stays a number. */
    assert_field(f, "CELL", "Tipo de acción!C6", F_VALUE, "'=SUM(C4:C5)'");
    assert_field(f, "CELL", "Tipo de acción!C6", F_CACHED, "12");
    assert_field(f, "CELL", "Tipo de acción!C10", F_VALUE, "'=SUM(C7:C9)'");
    assert_field(f, "CELL", "Tipo de acción!C10", F_CACHED, "8");
    assert_number_cell(f, "Tipo de acción!C11", "#,##0", 20);
    assert_null(fact(f, "RAWF", "Tipo de acción!C11"));
}

static void test_xlsx_text_from_data_is_never_a_formula(void **state)
{
    fixture *fx = *state;
    render(fx, "inyeccion.xlsx", build_report());
    const char *f = read_back(fx);
    assert_string_cell(f, "Tipo de acción!B4", "=HYPERLINK(\"x\")");
    assert_string_cell(f, "Tipo de acción!B5", "+52 55");
    assert_string_cell(f, "Tipo de acción!B7", "@usuario");
    assert_string_cell(f, "Tipo de acción!B8", "-5 acciones");
    assert_string_cell(f, "Tipo de acción!B9", "=1+1");
    /* In the sheet XML, the only formulas are the two SUMs. */
    assert_null(fact(f, "RAWF", "Tipo de acción!B4"));
    assert_null(fact(f, "RAWF", "Tipo de acción!B9"));
    assert_non_null(strstr(f, "\nRAWF\tTipo de acción!C6\tSUM(C4:C5)\n"));
    const char *p = f;
    int n = 0;
    while ((p = strstr(p, "\nRAWF\tTipo de acción!")))
        n++, p++;
    assert_int_equal(n, 2);
}

static void test_xlsx_marked_rows_and_cells_are_highlighted(void **state)
{
    fixture *fx = *state;
    render(fx, "marcas.xlsx", build_report());
    const char *f = read_back(fx);
    /* Aguascalientes (row 4) has 0 OPL actions: marked row, alert-coloured count, in the
     * palette's flagged swatch (the PDF's too). */
    obs_swatch flag = obs_palette_swatch(OBS_CAT_SENALADO, 0);
    char tint[32], alert[32];
    snprintf(tint, sizeof tint, "fill=FF%06X", (unsigned)flag.tint);
    snprintf(alert, sizeof alert, "font=FF%06X", (unsigned)flag.rgb);
    assert_field(f, "CELL", "Difusión por entidad!A4", F_FILL, tint);
    assert_field(f, "CELL", "Difusión por entidad!B4", F_FILL, tint);
    assert_field(f, "CELL", "Difusión por entidad!C4", F_FONT, alert);
    assert_field(f, "CELL", "Difusión por entidad!B4", F_FONT, "font=-");
    /* Baja California (row 5) has 13: not marked. */
    assert_field(f, "CELL", "Difusión por entidad!A5", F_FILL, "fill=-");
    assert_field(f, "CELL", "Difusión por entidad!C5", F_FONT, "font=-");
    /* Header row: bold, filled. */
    assert_field(f, "CELL", "Difusión por entidad!A3", F_BOLD, "bold=1");
    assert_field(f, "CELL", "Difusión por entidad!A3", F_FILL, "fill=FFD9E1F2");
    /* A highlighted chart category is marked in the chart's data table. */
    assert_field(f, "CELL", "Gráfica acciones OPL!A4", F_FILL, tint);
    assert_field(f, "CELL", "Gráfica acciones OPL!A5", F_FILL, "fill=-");
}

static void test_xlsx_header_frozen_autofilter_excludes_totals_and_print_setup(void **state)
{
    fixture *fx = *state;
    obs_doc *doc = build_report();
    doc->paper = OBS_PAPER_A4;
    render(fx, "hojas.xlsx", doc);
    const char *f = read_back(fx);
    assert_field(f, "CELL", "Difusión por entidad!A1", F_VALUE,
                 "'Acciones de difusión por entidad'");
    assert_field(f, "CELL", "Difusión por entidad!A1", F_BOLD, "bold=1");
    assert_string_cell(f, "Difusión por entidad!C3", "Acciones OPL");
    assert_field(f, "SHEET", "Difusión por entidad", 2, "freeze=A4");
    assert_field(f, "SHEET", "Difusión por entidad", 3, "filter=A3:F35");
    assert_field(f, "SHEET", "Difusión por entidad", 4, "repeat=$3:$3");
    assert_field(f, "SHEET", "Difusión por entidad", 5, "orient=landscape");
    assert_field(f, "SHEET", "Difusión por entidad", 6, "fit=True/1/0");
    assert_field(f, "SHEET", "Difusión por entidad", 7, "paper=9");
    /* The note sits below the table, after a blank row, outside the filter,
     * wrapped across the table's width. */
    assert_string_cell(f, "Difusión por entidad!A38",
                       "Porcentaje respecto del total de acciones (JLE + OPL) de la entidad.");
    assert_null(fact(f, "CELL", "Difusión por entidad!A37"));
    assert_field(f, "SHEET", "Difusión por entidad", 8, "merged=A38:F38");
    assert_field(f, "CELL", "Difusión por entidad!A38", F_WRAP, "wrap=1");
    /* Subtotals inside the data stay inside; the trailing totals do not. */
    assert_field(f, "SHEET", "Tipo de acción", 3, "filter=A3:C9");
    assert_field(f, "SHEET", "Solicitudes semanales", 2, "freeze=A4");
}

static void test_xlsx_paper_follows_document(void **state)
{
    fixture *fx = *state;
    render(fx, "carta.xlsx", build_report());
    const char *f = read_back(fx);
    assert_field(f, "SHEET", "Difusión por entidad", 7, "paper=1");
    assert_field(f, "SHEET", "Métricas", 7, "paper=1");
}

static void assert_width(const char *facts, const char *col_ref, double expected)
{
    char *s = field(facts, "WIDTH", col_ref, 2);
    double w = g_ascii_strtod(s, NULL);
    g_free(s);
    /* libxlsxwriter stores the width plus Excel's cell padding (< 1 character). */
    if (w < expected - 0.01 || w > expected + 1.0)
        fail_msg("%s: width %.2f, expected about %.2f", col_ref, w, expected);
}

static void test_xlsx_column_widths_fit_formatted_contents(void **state)
{
    fixture *fx = *state;
    render(fx, "anchos.xlsx", build_report());
    const char *f = read_back(fx);
    /* "Baja California Sur" (19 chars) is the longest entidad. */
    assert_width(f, "Difusión por entidad!A", 19 * 1.1 + 2);
    /* "Acciones JLE" wraps: its longest word is "Acciones" (8); the widest value
     * is the total "4,216" (5): 8 characters. */
    assert_width(f, "Difusión por entidad!B", 8 * 1.1 + 2);
    /* Long text is clamped at 60 and wraps instead of being cut off. */
    assert_width(f, "Control!A", 60);
    assert_field(f, "CELL", "Control!A5", F_WRAP, "wrap=1");
    assert_field(f, "CELL", "Control!B5", F_WRAP, "wrap=0");
    assert_field(f, "CELL", "Difusión por entidad!A4", F_WRAP, "wrap=0");
    /* Short contents get at least 6. */
    assert_width(f, "Control!C", 6);
    assert_width(f, "Tipo de acción!C", 8 * 1.1 + 2);
}

static void test_xlsx_charts_are_native_with_highlight_and_threshold(void **state)
{
    fixture *fx = *state;
    render(fx, "graficas.xlsx", build_report());
    const char *f = read_back(fx);
    int low = 0;
    for (size_t i = 0; i < NENT; i++)
        low += opl_of(i) < 10;
    char expect[128];

    /* HBAR: a bar chart, each of the 32 points coloured, the low ones in the
     * alert colour, plus the invisible carrier series of the threshold line. */
    assert_field(f, "CHART", "xl/charts/chart1.xml", 2, "bar=bar");
    assert_field(f, "CHART", "xl/charts/chart1.xml", 4, "ser=2");
    assert_field(f, "CHART", "xl/charts/chart1.xml", 5, "dPt=32");
    snprintf(expect, sizeof expect, "alert=%d", low);
    assert_field(f, "CHART", "xl/charts/chart1.xml", 6, expect);
    assert_field(f, "CHART", "xl/charts/chart1.xml", 7, "trend=1");
    assert_field(f, "CHART", "xl/charts/chart1.xml", 8, "tname=Umbral (10 acciones)");
    assert_field(f, "CHART", "xl/charts/chart1.xml", 9, "label=Umbral (10 acciones)");
    assert_field(f, "CHART", "xl/charts/chart1.xml", 10, "legend=0"); /* one series */
    assert_non_null(strstr(f, "\nCHARTREF\txl/charts/chart1.xml\tcat\t"
                              "'Gráfica acciones OPL'!$A$4:$A$35\n"));
    assert_non_null(strstr(f, "\nCHARTREF\txl/charts/chart1.xml\tval\t"
                              "'Gráfica acciones OPL'!$B$4:$B$35\n"));
    assert_non_null(strstr(f, "\nCHARTREF\txl/charts/chart1.xml\tval\t"
                              "'Gráfica acciones OPL'!$C$4:$C$35\n"));
    /* The threshold is a constant column of the data table. */
    assert_string_cell(f, "Gráfica acciones OPL!C3", "Umbral (10 acciones)");
    assert_number_cell(f, "Gráfica acciones OPL!C20", "#,##0", 10);

    /* COLUMN: vertical bars, one highlighted, threshold line. */
    assert_field(f, "CHART", "xl/charts/chart2.xml", 2, "bar=col");
    assert_field(f, "CHART", "xl/charts/chart2.xml", 5, "dPt=3");
    assert_field(f, "CHART", "xl/charts/chart2.xml", 6, "alert=1");
    assert_field(f, "CHART", "xl/charts/chart2.xml", 7, "trend=1");
    assert_field(f, "CHART", "xl/charts/chart2.xml", 9, "label=Umbral");

    /* LINE: a line chart; the threshold is a third, dashed line series. */
    assert_field(f, "CHART", "xl/charts/chart3.xml", 2, "bar=-");
    assert_field(f, "CHART", "xl/charts/chart3.xml", 3, "line=1");
    assert_field(f, "CHART", "xl/charts/chart3.xml", 4, "ser=3");
    assert_field(f, "CHART", "xl/charts/chart3.xml", 7, "trend=0");
    assert_field(f, "CHART", "xl/charts/chart3.xml", 9, "label=Meta semanal");
    assert_field(f, "CHART", "xl/charts/chart3.xml", 10, "legend=1"); /* two series */
    assert_non_null(strstr(f, "\nCHARTREF\txl/charts/chart3.xml\tval\t"
                              "'Solicitudes semanales'!$D$4:$D$11\n"));
    assert_null(fact(f, "CHART", "xl/charts/chart4.xml"));
}

static void test_xlsx_document_properties_are_set(void **state)
{
    fixture *fx = *state;
    render(fx, "propiedades.xlsx", build_report());
    const char *f = read_back(fx);
    assert_field(f, "PROP", "dc:title", 2, "Informe de observación electoral");
    assert_field(f, "PROP", "dc:subject", 2, "Acreditación de observadores, corte 12/10/2023");
    assert_field(f, "PROP", "dc:creator", 2, "Dirección Ejecutiva de Organización Electoral");
    assert_field(f, "PROP", "cp:keywords", 2, "INE, observación electoral, difusión");
    assert_field(f, "PROP", "dc:description", 2, "Generado con observa 0.1.0");
    assert_field(f, "PROP", "dcterms:created", 2, "2023-10-17T00:00:00Z");
    assert_field(f, "PROP", "Company", 2, "Instituto Nacional Electoral");
}

static void test_xlsx_two_renders_are_byte_identical(void **state)
{
    fixture *fx = *state;
    char *a = g_strdup(render(fx, "uno.xlsx", build_report()));
    const char *b = render(fx, "dos.xlsx", build_report());
    gsize la, lb;
    gchar *da = read_file(a, &la), *db = read_file(b, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(da, db, la);
    g_free(da);
    g_free(db);
    g_free(a);
    /* Nothing depends on the clock: zip entries carry libxlsxwriter's fixed
     * 1980-01-01 stamp and the creation date is the document's. */
    const char *f = read_back(fx);
    assert_field(f, "ZIP", "[Content_Types].xml", 2, "1980-01-01 00:00:00");
    assert_field(f, "ZIP", "xl/worksheets/sheet1.xml", 2, "1980-01-01 00:00:00");
    assert_field(f, "ZIP", "docProps/core.xml", 2, "1980-01-01 00:00:00");
    assert_field(f, "PROP", "dcterms:created", 2, "2023-10-17T00:00:00Z");
}

static void test_xlsx_epoch_generation_time_is_not_replaced_by_now(void **state)
{
    fixture *fx = *state;
    obs_doc *doc = new_doc();
    doc->generated_at = 0;
    add_small_table(obs_doc_add_section(doc, "S"), "t", "Tabla");
    render(fx, "epoca.xlsx", doc);
    const char *f = read_back(fx);
    assert_field(f, "PROP", "dcterms:created", 2, "1970-01-01T00:00:01Z");
}

static void test_xlsx_document_without_sheets_gets_one(void **state)
{
    fixture *fx = *state;
    obs_doc *doc = new_doc();
    obs_section_add_paragraph(obs_doc_add_section(doc, "S"), OBS_PAR_NORMAL, "Solo texto.");
    render(fx, "vacio.xlsx", doc);
    const char *f = read_back(fx);
    assert_sheets(f, "Informe");
    assert_string_cell(f, "Informe!A1", "Informe de observación electoral");
}

/* libxlsxwriter prints numbers with printf: under a decimal-comma locale the
 * cells would read "12,5" and the file would be corrupt. Skipped when the
 * system has no such locale (LOCPATH may point to one built with localedef). */
static void test_xlsx_numbers_survive_a_decimal_comma_locale(void **state)
{
    fixture *fx = *state;
    static const char *const locales[] = {"de_DE.UTF-8", "es_ES.UTF-8", "fr_FR.UTF-8",
                                          "pt_BR.UTF-8"};
    char *saved = g_strdup(setlocale(LC_NUMERIC, NULL));
    const char *found = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(locales) && !found; i++)
        if (setlocale(LC_NUMERIC, locales[i]) && localeconv()->decimal_point[0] == ',')
            found = locales[i];
    if (!found) {
        setlocale(LC_NUMERIC, saved);
        g_free(saved);
        skip();
    }
    render(fx, "coma.xlsx", build_report());
    bool comma_still = localeconv()->decimal_point[0] == ',';
    setlocale(LC_NUMERIC, saved);
    g_free(saved);
    assert_true(comma_still); /* the caller's locale is left alone */
    const char *f = read_back(fx);
    assert_number_cell(f, "Difusión por entidad!D5", "0.0%", 13.0 / 120.0);
    assert_number_cell(f, "Difusión por entidad!F5", "#,##0.0#", 12.75);
}

static void test_xlsx_unwritable_path_returns_error(void **state)
{
    fixture *fx = *state;
    char *path = g_build_filename(fx->dir, "no", "existe", "informe.xlsx", NULL);
    obs_doc *doc = build_report();
    obs_error err;
    obs_error_clear(&err);
    obs_status st = obs_render_xlsx(doc, path, &err);
    obs_doc_free(doc);
    assert_int_equal(st, OBS_ERR_CANTCREAT);
    assert_int_equal(err.code, OBS_ERR_CANTCREAT);
    assert_string_equal(err.path, path);
    assert_non_null(strstr(err.message, "no se puede crear el libro XLSX"));
    assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_free(path);
}


/* ------------------------------------------------- tables by entidad, weeks, about */

/* A table by entidad as report_blocks builds it: names without marks, clave and flag per row. */
static void add_entidad_table(obs_section *sec)
{
    obs_table *t = obs_section_add_table(sec, "dif_ent", "Difusión por entidad", "Por entidad", 2);
    t->entidad_cols = OBS_ENTIDAD_CLAVE | OBS_ENTIDAD_SENALADO;
    obs_table_set_column(t, 0, "Entidad", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(t, 1, "Acciones OPL", OBS_ALIGN_RIGHT, 0);
    int64_t sum = 0;
    for (size_t i = 0; i < NENT; i++) {
        obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
        r->clave = (int)i + 1;
        r->marked = opl_of(i) < 10;
        obs_row_set_text(r, 0, entidades[i]);
        obs_row_set_int(r, 1, opl_of(i));
        sum += opl_of(i);
    }
    obs_row *tot = obs_table_add_row(t, OBS_ROW_TOTAL);
    obs_row_set_text(tot, 0, "Total nacional");
    obs_row_set_int(tot, 1, sum);
}

/* Weekly counts whose categories are days; a threshold with decimals beside integer counts. */
static void add_weekly_chart(obs_section *sec)
{
    obs_chart *c = obs_section_add_chart(sec, "semanas", "Acciones por semana", "Semanas",
                                         OBS_CHART_COLUMN, 20, 2);
    obs_chart_set_series(c, 0, "OPL");
    obs_chart_set_series_category(c, 0, OBS_CAT_OPL);
    obs_chart_set_series(c, 1, "Junta Local");
    obs_chart_set_series_category(c, 1, OBS_CAT_JLE);
    obs_day first = obs_day_from_ymd(2023, 9, 6);
    for (size_t i = 0; i < 20; i++) {
        char label[16];
        snprintf(label, sizeof label, "sem %zu", i + 1);
        obs_chart_set_cat(c, i, label);
        obs_chart_set_cat_day(c, i, first + 7 * (obs_day)i);
        c->series[0].values[i] = (double)(i % 4);
        c->series[1].values[i] = (double)(i % 3);
    }
    obs_chart_set_threshold(c, 2.75, "Umbral: 2.75");
}

static obs_doc *build_about_report(void)
{
    obs_doc *doc = new_doc();
    obs_doc_add_about(doc, "Documento", NULL);
    obs_doc_add_about(doc, "Corte", "%s", "12 de octubre de 2023 (2023-10-12)");
    obs_doc_add_about(doc, "Fuentes", NULL);
    obs_doc_add_about(doc, "Solicitudes: solicitudes.csv", "SHA-256 %s",
                      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    obs_section *s = obs_doc_add_section(doc, "Difusión");
    add_entidad_table(s);
    add_weekly_chart(s);
    return doc;
}

/* Tables by entidad: a Clave column and a Señalado (Sí/No) column; the name carries no mark. */
static void test_xlsx_entidad_tables_get_clave_and_senalado_columns(void **state)
{
    fixture *fx = *state;
    render(fx, "claves.xlsx", build_about_report());
    const char *f = read_back(fx);
    assert_string_cell(f, "Por entidad!A3", "Clave");
    assert_string_cell(f, "Por entidad!B3", "Entidad");
    assert_string_cell(f, "Por entidad!C3", "Señalado");
    assert_string_cell(f, "Por entidad!D3", "Acciones OPL");
    assert_string_cell(f, "Por entidad!A4", "01");
    assert_string_cell(f, "Por entidad!B4", "Aguascalientes"); /* opl 0: flagged, no "*" */
    assert_string_cell(f, "Por entidad!C4", "Sí");
    assert_string_cell(f, "Por entidad!A5", "02");
    assert_string_cell(f, "Por entidad!C5", "No");               /* 13 actions */
    assert_string_cell(f, "Por entidad!A35", "32");
    assert_string_cell(f, "Por entidad!A36", "00");
    assert_string_cell(f, "Por entidad!B36", "Total nacional");
    assert_field(f, "CELL", "Por entidad!C36", F_VALUE, "None");
    assert_number_cell(f, "Por entidad!D4", "#,##0", 0);
    assert_field(f, "CELL", "Por entidad!D36", F_VALUE, "'=SUM(D4:D35)'");
    assert_field(f, "SHEET", "Por entidad", 3, "filter=A3:D35");
    assert_null(strstr(f, " *'"));
}

/* Weekly series: weeks are date cells; counts are integers even beside a decimal threshold. */
static void test_xlsx_weeks_are_dates_and_counts_integers(void **state)
{
    fixture *fx = *state;
    render(fx, "semanas.xlsx", build_about_report());
    const char *f = read_back(fx);
    assert_field(f, "CELL", "Semanas!A4", F_TYPE, "d");
    assert_field(f, "CELL", "Semanas!A4", F_FORMAT, "dd/mm/yyyy");
    assert_field(f, "CELL", "Semanas!A4", F_VALUE, "datetime.datetime(2023, 9, 6, 0, 0)");
    assert_field(f, "CELL", "Semanas!A23", F_VALUE, "datetime.datetime(2024, 1, 17, 0, 0)");
    assert_number_cell(f, "Semanas!B7", "#,##0", 3);
    assert_number_cell(f, "Semanas!C7", "#,##0", 0);
    assert_number_cell(f, "Semanas!D7", "#,##0.0#", 2.75);
    /* Counts from 0 to 3: the value axis steps by whole numbers (left alone, 0.5). */
    assert_field(f, "CHART", "xl/charts/chart1.xml", 11, "major=1");
}

/* "Acerca de" is the first sheet: the document's lines, then a dictionary of every sheet and
 * column, with the Clave and Señalado columns described. */
static void test_xlsx_about_sheet_comes_first_with_a_data_dictionary(void **state)
{
    fixture *fx = *state;
    render(fx, "acerca.xlsx", build_about_report());
    const char *f = read_back(fx);
    assert_sheets(f, "Acerca de|Por entidad|Semanas");
    assert_string_cell(f, "Acerca de!A1", "Informe de observación electoral");
    assert_string_cell(f, "Acerca de!A3", "Documento");
    assert_string_cell(f, "Acerca de!A4", "Corte");
    assert_string_cell(f, "Acerca de!B4", "12 de octubre de 2023 (2023-10-12)");
    assert_string_cell(f, "Acerca de!A7", "Solicitudes: solicitudes.csv");
    assert_non_null(strstr(f, "SHA-256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
    assert_string_cell(f, "Acerca de!A9", "Diccionario de datos");
    assert_string_cell(f, "Acerca de!D10", "Descripción");
    /* One line per sheet, then one per column, in workbook order. */
    assert_string_cell(f, "Acerca de!A11", "Por entidad");
    assert_string_cell(f, "Acerca de!B11", "(la hoja)");
    assert_string_cell(f, "Acerca de!D11", "Difusión por entidad");
    assert_string_cell(f, "Acerca de!B12", "Clave");
    assert_string_cell(f, "Acerca de!C12", "Texto");
    assert_non_null(strstr(f, "00 en las filas nacionales"));
    assert_string_cell(f, "Acerca de!B14", "Señalado");
    assert_string_cell(f, "Acerca de!B15", "Acciones OPL");
    assert_string_cell(f, "Acerca de!C15", "Número entero");
    assert_string_cell(f, "Acerca de!A16", "Semanas");
    assert_string_cell(f, "Acerca de!C17", "Fecha");
    /* Without about lines there is no such sheet. */
    render(fx, "sin_acerca.xlsx", build_report());
    assert_null(strstr(read_back(fx), "Acerca de"));
}

/* In "Acerca de" a row is as tall as its tallest wrapped cell: a long label beside a one-line value,
 * a long data type beside a short description. */
static void test_xlsx_about_rows_fit_their_longest_cell(void **state)
{
    fixture *fx = *state;
    obs_doc *doc = new_doc();
    obs_doc_add_about(doc, "Documento", NULL);
    obs_doc_add_about(doc, "Señalado por bajo número de acciones de difusión", "%s", "Sí");
    obs_doc_add_about(doc, "Corte", "%s", "12 de octubre de 2023");
    obs_section *s = obs_doc_add_section(doc, "Difusión");
    obs_table *t = obs_section_add_table(s, "t", "Tabla", "Tabla", 2);
    obs_table_set_column(t, 0, "Instancia", OBS_ALIGN_LEFT, 0);
    obs_table_set_column(t, 1, "Cambio", OBS_ALIGN_RIGHT, 0);
    obs_row *r = obs_table_add_row(t, OBS_ROW_DATA);
    obs_row_set_text(r, 0, "OPL");
    obs_row_set_delta(r, 1, 3);
    render(fx, "alturas.xlsx", doc);
    const char *f = read_back(fx);
    assert_string_cell(f, "Acerca de!A4", "Señalado por bajo número de acciones de difusión");
    /* at least two lines of the default 15 points */
    char *h = field(f, "HEIGHT", "Acerca de!4", 2);
    assert_true(atof(h) >= 30.0);
    g_free(h);
    /* The dictionary's line of the change column: "Número entero con signo (cambio)" wraps. */
    char *type = NULL;
    for (int row = 8; row < 20 && !type; row++) {
        char key[32];
        g_snprintf(key, sizeof key, "Acerca de!B%d", row);
        char *v = fact(f, "CELL", key);
        if (v && strstr(v, "'Cambio'")) {
            g_snprintf(key, sizeof key, "Acerca de!%d", row);
            type = field(f, "HEIGHT", key, 2);
        }
        g_free(v);
    }
    assert_non_null(type);
    assert_true(atof(type) >= 30.0);
    g_free(type);
}

/* A chart sheet prints like every table, landscape and fitted to one page wide, its chart beside
 * the table (no page break that LibreOffice would cut the chart or the title at); the chart is no
 * larger than a printed page. Bars over weeks read text categories ("sem 1"), never the date cells,
 * which both spreadsheets would draw as a time line with hair-thin bars. */
static void test_xlsx_charts_print_with_their_table_at_readable_size(void **state)
{
    fixture *fx = *state;
    render(fx, "impresion.xlsx", build_about_report());
    const char *f = read_back(fx);
    assert_field(f, "SHEET", "Semanas", 9, "colbrk=");
    assert_field(f, "SHEET", "Semanas", 6, "fit=True/1/0");
    assert_field(f, "SHEET", "Semanas", 5, "orient=landscape");
    assert_string_cell(f, "Semanas!E3", "Rótulo en la gráfica");
    assert_string_cell(f, "Semanas!E4", "sem 1");
    assert_field(f, "CELL", "Semanas!A4", F_TYPE, "d"); /* the weeks stay dates in the table */
    assert_non_null(strstr(f, "\nCHARTREF\txl/charts/chart1.xml\tcat\tSemanas!$E$4:$E$23\n"));
    assert_field(f, "SHEET", "Por entidad", 6, "fit=True/1/0");
    assert_field(f, "SHEET", "Por entidad", 5, "orient=landscape");
    assert_field(f, "SHEET", "Por entidad", 4, "repeat=$3:$3");
    char *w = field(f, "DRAWING", "xl/drawings/drawing1.xml", 2);
    char *h = field(f, "DRAWING", "xl/drawings/drawing1.xml", 3);
    assert_true(atoi(w) >= 520 && atoi(w) <= 680);
    assert_true(atoi(h) >= 320 && atoi(h) <= 500);
    g_free(w);
    g_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_xlsx_sheets_follow_document_order_with_clean_unique_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_numbers_are_numeric_cells_with_number_formats,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_total_row_is_sum_formula_with_cached_value,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_text_from_data_is_never_a_formula, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_marked_rows_and_cells_are_highlighted, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_xlsx_header_frozen_autofilter_excludes_totals_and_print_setup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_paper_follows_document, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_column_widths_fit_formatted_contents, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_charts_are_native_with_highlight_and_threshold,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_document_properties_are_set, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_two_renders_are_byte_identical, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_epoch_generation_time_is_not_replaced_by_now,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_document_without_sheets_gets_one, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_numbers_survive_a_decimal_comma_locale,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_unwritable_path_returns_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_entidad_tables_get_clave_and_senalado_columns,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_weeks_are_dates_and_counts_integers, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_about_sheet_comes_first_with_a_data_dictionary,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_about_rows_fit_their_longest_cell, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_charts_print_with_their_table_at_readable_size, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
