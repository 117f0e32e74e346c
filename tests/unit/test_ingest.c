/* test_ingest.c - every row error and warning of the data contract, file-level errors, dialects. */
#include <glib.h>
#include <glib/gstdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ingest_harness.h"

#define GOOD_SOL "A1,09,2023-10-01,2023-10-02,individual,portal,mujer,30,2023-10-03,aprobada,2023-10-05,local\n"

static void test_ingest_accepts_a_good_row(void **state)
{
    harness *h = *state;
    assert_int_equal(ingest(h, OBS_FILE_SOLICITUDES, SOL_HEADER GOOD_SOL), OBS_OK);
    assert_int_equal(h->problems->len, 0);
    assert_int_equal(h->solicitudes->len, 1);
    obs_solicitud *s = &g_array_index(h->solicitudes, obs_solicitud, 0);
    assert_int_equal(s->entidad, 9);
    assert_int_equal(s->fecha_registro, obs_day_parse_iso("2023-10-02"));
    assert_int_equal(s->medio, OBS_MEDIO_PORTAL);
    assert_int_equal(s->sexo, OBS_SEXO_MUJER);
    assert_int_equal(s->edad, 30);
    assert_int_equal(s->resolucion, OBS_RES_APROBADA);
    assert_int_equal(s->consejo, OBS_CONSEJO_LOCAL);
}

static void test_ingest_rejects_missing_required_field(void **state)
{
    harness *h = *state;
    ingest(h, OBS_FILE_SOLICITUDES, SOL_HEADER GOOD_SOL "A2,09,2023-10-01,,individual,,mujer,30,,,,\n");
    expect_rejected(h, OBS_R_MISSING, 3, "medio");
}

static void test_ingest_rejects_unparseable_date(void **state)
{
    harness *h = *state;
    ingest(h, OBS_FILE_SOLICITUDES, SOL_HEADER "A2,09,31/02/2024,,individual,portal,mujer,30,,,,\n");
    expect_rejected(h, OBS_R_BAD_DATE, 2, "fecha_solicitud");
    seen_problem *p = &g_array_index(h->problems, seen_problem, 0);
    assert_int_equal(p->column, 3);
}

static void test_ingest_rejects_unknown_entidad(void **state)
{
    harness *h = *state;
    ingest(h, OBS_FILE_SOLICITUDES, SOL_HEADER "A2,Atlantis,2023-10-01,,individual,portal,mujer,30,,,,\n");
    expect_rejected(h, OBS_R_UNKNOWN_ENTIDAD, 2, "entidad");
    ingest(h, OBS_FILE_SOLICITUDES, SOL_HEADER "A2,33,2023-10-01,,individual,portal,mujer,30,,,,\n");
    expect_rejected(h, OBS_R_UNKNOWN_ENTIDAD, 2, "entidad");
}

static void test_ingest_resolves_entidad_names_and_aliases(void **state)
{
    harness *h = *state;
    const char *rows = SOL_HEADER
        "B1,CDMX,2023-10-01,,individual,portal,,,,,,\n"
        "B2,Distrito Federal,2023-10-01,,individual,portal,,,,,,\n"
        "B3,9,2023-10-01,,individual,portal,,,,,,\n"
        "B4,Estado de México,2023-10-01,,individual,portal,,,,,,\n"
        "B5,EDOMEX,2023-10-01,,individual,portal,,,,,,\n"
        "B6,Veracruz de Ignacio de la Llave,2023-10-01,,individual,portal,,,,,,\n"
        "B7,México,2023-10-01,,individual,portal,,,,,,\n"
        "B8,nuevo leon,2023-10-01,,individual,portal,,,,,,\n";
    assert_int_equal(ingest(h, OBS_FILE_SOLICITUDES, rows), OBS_OK);
    assert_int_equal(h->problems->len, 0);
    const int want[] = {9, 9, 9, 15, 15, 30, 15, 19};
    assert_int_equal(h->solicitudes->len, G_N_ELEMENTS(want));
    for (size_t i = 0; i < G_N_ELEMENTS(want); i++)
        assert_int_equal(g_array_index(h->solicitudes, obs_solicitud, i).entidad, want[i]);
}

static void test_ingest_rejects_unknown_tipo_and_medio(void **state)
{
    harness *h = *state;
    ingest(h, OBS_FILE_SOLICITUDES, SOL_HEADER "A2,09,2023-10-01,,colectiva,portal,,,,,,\n");
    expect_rejected(h, OBS_R_UNKNOWN_VALUE, 2, "tipo");
    ingest(h, OBS_FILE_SOLICITUDES, SOL_HEADER "A2,09,2023-10-01,,individual,fax,,,,,,\n");
    expect_rejected(h, OBS_R_UNKNOWN_VALUE, 2, "medio");
}

static void test_ingest_rejects_repeated_folio(void **state)
{
    harness *h = *state;
    ingest(h, OBS_FILE_SOLICITUDES, SOL_HEADER GOOD_SOL GOOD_SOL);
    expect_rejected(h, OBS_R_REPEATED_ID, 3, "folio");
    assert_int_equal(h->stats.aceptadas, 1);
}

static void test_ingest_repeated_folio_of_a_rejected_row_is_accepted(void **state)
{
    harness *h = *state;
    /* The first A1 is rejected (bad date), so the second is the first valid occurrence. */
    ingest(h, OBS_FILE_SOLICITUDES,
           SOL_HEADER "A1,09,2023-99-01,,individual,portal,,,,,,\n" GOOD_SOL);
    expect_rejected(h, OBS_R_BAD_DATE, 2, "fecha_solicitud");
    assert_int_equal(h->stats.aceptadas, 1);
}

/* A resolution that cannot be placed in time is an aviso: the request counts as pendiente. */
static void expect_pendiente(harness *h, uint64_t line, const char *field)
{
    expect_one(h, OBS_R_W_RESOLUTION, line, field);
    assert_int_equal(h->stats.aceptadas, 1);
    obs_solicitud *s = &g_array_index(h->solicitudes, obs_solicitud, 0);
    assert_int_equal(s->resolucion, OBS_ABSENT);
    assert_int_equal(s->fecha_resolucion, OBS_DAY_NONE);
}

static void test_ingest_resolution_without_date_and_reverse_is_pendiente(void **state)
{
    harness *h = *state;
    ingest(h, OBS_FILE_SOLICITUDES, SOL_HEADER "A2,09,2023-10-01,,individual,portal,,,2023-10-02,declinada,,\n");
    expect_pendiente(h, 2, "fecha_resolucion");
    /* The aviso is filed under the field whose value it quotes. */
    ingest(h, OBS_FILE_SOLICITUDES, SOL_HEADER "A2,09,2023-10-01,,individual,portal,,,,,2023-10-05,\n");
    expect_pendiente(h, 2, "fecha_resolucion");
    ingest(h, OBS_FILE_SOLICITUDES, SOL_HEADER "A2,09,2023-10-01,,individual,portal,,,2023-10-02,declinada,31/02/2023,\n");
    expect_pendiente(h, 2, "fecha_resolucion");
    ingest(h, OBS_FILE_SOLICITUDES, SOL_HEADER "A2,09,2023-10-01,,individual,portal,,,,en espera del consejo,2023-10-05,\n");
    expect_pendiente(h, 2, "resolucion");
}

static void test_ingest_rejects_registro_before_the_request(void **state)
{
    harness *h = *state;
    ingest(h, OBS_FILE_SOLICITUDES, SOL_HEADER "A2,09,2023-10-05,2023-10-04,individual,portal,,,,,,\n");
    expect_rejected(h, OBS_R_DATE_ORDER, 2, "fecha_registro");
    /* A resolution before the request cannot be placed: pendiente, with an aviso. */
    ingest(h, OBS_FILE_SOLICITUDES,
           SOL_HEADER "A2,09,2023-10-05,,individual,portal,,,2023-10-06,improcedente,2023-10-01,\n");
    expect_pendiente(h, 2, "fecha_resolucion");
}

static void test_ingest_rejects_wrong_number_of_fields(void **state)
{
    harness *h = *state;
    /* Short of a required column (tipo, medio). */
    ingest(h, OBS_FILE_SOLICITUDES, SOL_HEADER "A2,09,2023-10-05\n");
    expect_rejected(h, OBS_R_FIELD_COUNT, 2, "");
    /* More fields than the header, and the extra ones are not empty. */
    ingest(h, OBS_FILE_SOLICITUDES, SOL_HEADER "A2,09,2023-10-05,,individual,portal,,,,,,,x\n");
    expect_rejected(h, OBS_R_FIELD_COUNT, 2, "");
}

static void test_ingest_rejects_invalid_bytes(void **state)
{
    harness *h = *state;
    /* Valid UTF-8 first (decides the encoding), then a lone 0xFF byte. */
    ingest(h, OBS_FILE_SOLICITUDES,
           SOL_HEADER "A1,México,2023-10-01,,individual,portal,,,,,,\nA2,09,2023-10-01,,individual,port\xff,,,,,,\n");
    expect_rejected(h, OBS_R_BAD_BYTES, 3, "medio");
}

static void test_ingest_warns_and_keeps_row(void **state)
{
    harness *h = *state;
    ingest(h, OBS_FILE_SOLICITUDES, SOL_HEADER "A2,09,2023-10-01,,individual,portal,mujer,150,,,,\n");
    expect_one(h, OBS_R_W_AGE, 2, "edad");
    assert_int_equal(h->stats.aceptadas, 1);
    assert_int_equal(g_array_index(h->solicitudes, obs_solicitud, 0).edad, OBS_ABSENT);
    ingest(h, OBS_FILE_SOLICITUDES, SOL_HEADER "A2,09,2023-10-01,,individual,portal,otro,30,,,,\n");
    expect_one(h, OBS_R_W_IGNORED_VALUE, 2, "sexo");
    assert_int_equal(g_array_index(h->solicitudes, obs_solicitud, 0).sexo, OBS_SEXO_NO_ESPECIFICADO);
    ingest(h, OBS_FILE_SOLICITUDES, SOL_HEADER "A2,09,2023-10-01,,individual,portal,,,,aprobada,2023-10-04,\n");
    expect_one(h, OBS_R_W_NO_COURSE, 2, "fecha_curso");
    ingest(h, OBS_FILE_SOLICITUDES, SOL_HEADER "A2,09,2023-10-01,,individual,portal,,,,aprobada,2023-10-04,estatal\n");
    assert_int_equal(h->stats.aceptadas, 1);
    assert_int_equal(h->stats.con_avisos, 1);
}

static void test_ingest_counts_physical_lines_across_quoted_newlines(void **state)
{
    harness *h = *state;
    const char *data = "folio,entidad,fecha_solicitud,tipo,medio,causa\n"
        "A1,09,2023-10-01,individual,portal,\"dos\nlíneas\"\n"
        "\n"
        "A2,09,2023-10-01,individual,fax,\n";
    ingest(h, OBS_FILE_SOLICITUDES, data);
    expect_rejected(h, OBS_R_UNKNOWN_VALUE, 5, "medio");
    assert_int_equal(h->stats.leidas, 2);
}

static void test_ingest_reports_malformed_quotes_and_continues(void **state)
{
    harness *h = *state;
    const char *data = SOL_HEADER
        "A1,09,\"2023-10-01\"x,,individual,portal,,,,,,\n"
        "A2,09,2023-10-01,,individual,portal,,,,,,\n";
    assert_int_equal(ingest(h, OBS_FILE_SOLICITUDES, data), OBS_OK);
    /* Read as text, the line has its fields, but its date is not a date. */
    assert_int_equal(h->stats.rechazadas, 1);
    assert_int_equal(h->stats.aceptadas, 1);
    assert_int_equal(h->problems->len, 2);
    assert_int_equal(g_array_index(h->problems, seen_problem, 0).reason, OBS_R_W_QUOTE);
    assert_int_equal(g_array_index(h->problems, seen_problem, 1).reason, OBS_R_BAD_DATE);
    /* An unclosed quote on the last line: that line alone, too short even as text. */
    ingest(h, OBS_FILE_SOLICITUDES, SOL_HEADER GOOD_SOL "A2,\"09,2023-10-01\n");
    expect_rejected(h, OBS_R_MALFORMED, 3, "");
}

static void test_ingest_difusion_row_errors(void **state)
{
    harness *h = *state;
    ingest(h, OBS_FILE_DIFUSION, DIF_HEADER "D1,09,municipio,2023-10-01,,rs,\n");
    expect_rejected(h, OBS_R_UNKNOWN_VALUE, 2, "instancia");
    ingest(h, OBS_FILE_DIFUSION, DIF_HEADER "D1,09,opl,2023-10-01,,rs,\nD1,09,opl,2023-10-01,,rs,\n");
    expect_rejected(h, OBS_R_REPEATED_ID, 3, "id");
    ingest(h, OBS_FILE_DIFUSION, DIF_HEADER "D1,09,opl,2023-10-05,2023-10-04,rs,\n");
    expect_rejected(h, OBS_R_DATE_ORDER, 2, "fecha_registro");
    ingest(h, OBS_FILE_DIFUSION, DIF_HEADER "D1,09,opl,,,rs,\n");
    expect_rejected(h, OBS_R_MISSING, 2, "fecha");
}

static void test_ingest_difusion_warnings(void **state)
{
    harness *h = *state;
    /* A bad alcance never drops the action from the count that decides the exhorto. */
    ingest(h, OBS_FILE_DIFUSION, DIF_HEADER "D1,09,opl,2023-10-01,,rs,-5\n");
    expect_one(h, OBS_R_W_NUMBER, 2, "alcance");
    assert_int_equal(g_array_index(h->acciones, obs_accion, 0).alcance, -1);
    ingest(h, OBS_FILE_DIFUSION, DIF_HEADER "D1,09,opl,2023-10-01,,rs,muchos\n");
    expect_one(h, OBS_R_W_NUMBER, 2, "alcance");
    assert_int_equal(h->stats.aceptadas, 1);
    ingest(h, OBS_FILE_DIFUSION, DIF_HEADER "D1,09,INE,2023-10-01,,rs,10\n");
    expect_one(h, OBS_R_W_ALIAS, 2, "instancia");
    assert_int_equal(g_array_index(h->acciones, obs_accion, 0).instancia, OBS_INSTANCIA_JLE);
    ingest(h, OBS_FILE_DIFUSION, DIF_HEADER "D1,09,opl,2023-10-01,,globos,10\n");
    expect_one(h, OBS_R_W_OTHER_TYPE, 2, "tipo");
    assert_int_equal(g_array_index(h->acciones, obs_accion, 0).tipo, obs_catalog_tipo_otro(h->cat));
    ingest(h, OBS_FILE_DIFUSION, DIF_HEADER "D1,09,jde,2023-10-01,,Redes sociales,\n");
    assert_int_equal(h->problems->len, 0);
    obs_accion *a = &g_array_index(h->acciones, obs_accion, 0);
    assert_string_equal(obs_catalog_tipo_codigo(h->cat, (size_t)a->tipo), "rs");
    assert_int_equal(a->alcance, -1);
    assert_int_equal(a->fecha_registro, obs_day_parse_iso("2023-10-01"));
}

static void test_ingest_missing_column_names_it_and_headers_found(void **state)
{
    harness *h = *state;
    obs_status st = ingest(h, OBS_FILE_SOLICITUDES, "folio,entidad,fecha_solicitud,tipo\nA,09,2023-10-01,individual\n");
    assert_int_equal(st, OBS_ERR_DATA);
    assert_non_null(strstr(h->err.message, "medio"));
    assert_non_null(strstr(h->err.message, "fecha_solicitud"));
}

static void test_ingest_file_level_errors(void **state)
{
    harness *h = *state;
    assert_int_equal(ingest_bytes(h, OBS_FILE_SOLICITUDES, "", 0, NULL), OBS_ERR_DATA);
    assert_non_null(strstr(h->err.message, "vacío"));
    /* A data row where the header should be. */
    assert_int_equal(ingest(h, OBS_FILE_SOLICITUDES, GOOD_SOL GOOD_SOL), OBS_ERR_DATA);
    assert_non_null(strstr(h->err.message, "encabezado"));
    assert_int_equal(ingest_bytes(h, OBS_FILE_SOLICITUDES, "folio\0\0\x01\x02", 9, NULL), OBS_ERR_DATA);
    obs_file_stats st = {0};
    obs_row_sink sink = {0};
    assert_int_equal(obs_ingest_file("/nonexistent/x.csv", OBS_FILE_SOLICITUDES, h->cat, NULL, &sink,
                                     NULL, NULL, &st, &h->err),
                     OBS_ERR_NOINPUT);
    obs_file_stats_clear(&st);
}

/* Ingests data and returns a copy of the accepted requests. */
static GArray *requests_of(harness *h, const char *data, size_t len)
{
    assert_int_equal(ingest_bytes(h, OBS_FILE_SOLICITUDES, data, len, NULL), OBS_OK);
    if (h->problems->len)
        fail_msg("unexpected problem at line %llu in %s",
                 (unsigned long long)g_array_index(h->problems, seen_problem, 0).line,
                 g_array_index(h->problems, seen_problem, 0).field);
    GArray *copy = g_array_copy(h->solicitudes);
    return copy;
}

static void same_request(const obs_solicitud *x, const obs_solicitud *y)
{
    assert_int_equal(x->entidad, y->entidad);
    assert_int_equal(x->fecha_solicitud, y->fecha_solicitud);
    assert_int_equal(x->fecha_registro, y->fecha_registro);
    assert_int_equal(x->tipo, y->tipo);
    assert_int_equal(x->medio, y->medio);
    assert_int_equal(x->sexo, y->sexo);
    assert_int_equal(x->edad, y->edad);
    assert_int_equal(x->discapacidad, y->discapacidad);
    assert_int_equal(x->indigena, y->indigena);
    assert_int_equal(x->modalidades, y->modalidades);
    assert_int_equal(x->fecha_curso, y->fecha_curso);
    assert_int_equal(x->curso_por, y->curso_por);
    assert_int_equal(x->curso_modalidad, y->curso_modalidad);
    assert_int_equal(x->resolucion, y->resolucion);
    assert_int_equal(x->fecha_resolucion, y->fecha_resolucion);
    assert_int_equal(x->consejo, y->consejo);
}

static void test_ingest_reads_excel_and_tab_dialects_alike(void **state)
{
    harness *h = *state;
    const char canonical[] =
        "folio,entidad,fecha_solicitud,fecha_registro,tipo,medio,sexo,edad,discapacidad,indigena,"
        "modalidades,fecha_curso,resolucion,fecha_resolucion,consejo\n"
        "A1,09,2023-10-01,2023-10-02,organizacion,junta,mujer,30,si,no,VA;VPPP,2023-10-03,aprobada,2023-10-05,local\n"
        "A2,15,2023-10-04,,individual,portal,hombre,,no,si,,,,,\n";
    /* Excel in es-MX: Windows-1252, ';', CRLF, Spanish headers, DD/MM/YYYY, names and labels. */
    const char excel[] =
        "Folio;Entidad Federativa;Fecha de Solicitud;Fecha de Registro;Tipo de Solicitud;"
        "Medio de Recepci\xf3n;Sexo;Edad;Discapacidad;Comunidad Ind\xedgena;Modalidades de Inter\xe9s;"
        "Fecha del Curso;Resoluci\xf3n;Fecha de Resoluci\xf3n;Consejo\r\n"
        "A1;Ciudad de M\xe9xico;01/10/2023;02/10/2023 09:15;Organizaci\xf3n;Junta distrital;Mujer;30;S\xed;No;"
        "\"VA, VPPP\";03/10/2023;Aprobada;05/10/2023;Consejo local\r\n"
        "A2;Estado de M\xe9xico;04/10/2023;;Individual;Portal p\xfa" "blico;Hombre;;No;S\xed;;;;;\r\n";
    /* BOM + TAB: upper-case headers in another order, D/M/YYYY, claves without zero, 1/0/x. */
    const char tab[] =
        "\xef\xbb\xbf" "ENTIDAD\tFOLIO\tMEDIO\tTIPO\tFECHA_SOLICITUD\tFECHA_REGISTRO\tSEXO\tEDAD\tDISCAPACIDAD\t"
        "INDIGENA\tMODALIDADES\tFECHA_CURSO\tRESOLUCION\tFECHA_RESOLUCION\tCONSEJO\n"
        "9\tA1\tJDE\tORGANIZACION\t1/10/2023\t2/10/2023\tM\t30\t1\t0\tVA VPPP\t3/10/2023\tacreditada\t5/10/2023\tlocal\n"
        "15\tA2\ten l\xc3\xadnea\tindividual\t4/10/2023\t\tH\t\t0\tx\t\t\t\t\t\n";
    GArray *a = requests_of(h, canonical, sizeof canonical - 1);
    GArray *b = requests_of(h, excel, sizeof excel - 1);
    GArray *c = requests_of(h, tab, sizeof tab - 1);
    assert_int_equal(a->len, 2);
    assert_int_equal(b->len, 2);
    assert_int_equal(c->len, 2);
    for (guint i = 0; i < a->len; i++) {
        same_request(&g_array_index(a, obs_solicitud, i), &g_array_index(b, obs_solicitud, i));
        same_request(&g_array_index(a, obs_solicitud, i), &g_array_index(c, obs_solicitud, i));
    }
    obs_solicitud *s = &g_array_index(a, obs_solicitud, 0);
    assert_true(s->discapacidad);
    assert_false(s->indigena);
    assert_int_equal(s->modalidades, (1u << OBS_MODALIDAD_VA) | (1u << OBS_MODALIDAD_VPPP));
    assert_int_equal(s->tipo, OBS_TIPO_ORGANIZACION);
    g_array_free(a, TRUE);
    g_array_free(b, TRUE);
    g_array_free(c, TRUE);
}

static void test_ingest_limits_field_and_line_size(void **state)
{
    harness *h = *state;
    /* A 100 KiB field in an optional column: absent, with an aviso; the row counts. */
    GString *data = g_string_new("folio,entidad,fecha_solicitud,tipo,medio,causa\n");
    g_string_append(data, "A1,09,2023-10-01,individual,portal,");
    for (int i = 0; i < 100 * 1024; i++)
        g_string_append_c(data, 'x');
    g_string_append(data, "\nA2,09,2023-10-01,individual,portal,\n");
    assert_int_equal(ingest_bytes(h, OBS_FILE_SOLICITUDES, data->str, data->len, NULL), OBS_OK);
    expect_one(h, OBS_R_W_BYTES, 2, "causa");
    assert_int_equal(g_array_index(h->problems, seen_problem, 0).column, 6);
    assert_int_equal(h->stats.aceptadas, 2);
    /* In a required column, it rejects the row. */
    g_string_assign(data, "folio,entidad,fecha_solicitud,tipo,medio,causa\nA1,09,2023-10-01,individual,");
    for (int i = 0; i < 100 * 1024; i++)
        g_string_append_c(data, 'x');
    g_string_append(data, ",\nA2,09,2023-10-01,individual,portal,\n");
    assert_int_equal(ingest_bytes(h, OBS_FILE_SOLICITUDES, data->str, data->len, NULL), OBS_OK);
    expect_rejected(h, OBS_R_TOO_LONG, 2, "medio");
    /* A 1.5 MiB line (an unclosed quote would look like this): rejected, reading resumes after it. */
    g_string_assign(data, "folio,entidad,fecha_solicitud,tipo,medio,causa\n");
    g_string_append(data, "A1,09,2023-10-01,individual,portal,");
    for (int i = 0; i < 1536 * 1024; i++)
        g_string_append_c(data, (char)('a' + i % 26));
    g_string_append(data, "\nA2,09,2023-10-01,individual,portal,\nA3,09,2023-10-01,individual,portal,\n");
    assert_int_equal(ingest_bytes(h, OBS_FILE_SOLICITUDES, data->str, data->len, NULL), OBS_OK);
    expect_rejected(h, OBS_R_TOO_LONG, 2, "");
    assert_int_equal(h->stats.aceptadas, 2);
    assert_int_equal(h->stats.leidas, 3);
    g_string_free(data, TRUE);
}

/* An unclosed quote that runs past the size limit costs one row: every later line is read as the
 * row it is, with its own physical line. */
static void test_ingest_line_numbers_survive_a_cut_record(void **state)
{
    harness *h = *state;
    GString *data = g_string_new("folio,entidad,fecha_solicitud,tipo,medio\nA1,\"09,2023-10-01,individual,portal\n");
    /* Each later row names its own line in its (unknown) medio, which the problem echoes. */
    for (int line = 3; line < 3 + 60000; line++)
        g_string_append_printf(data, "F%d,09,2023-10-01,individual,m%d\n", line, line);
    assert_int_equal(ingest_bytes(h, OBS_FILE_SOLICITUDES, data->str, data->len, NULL), OBS_OK);
    /* Line 2 read with its quote as text: the fields are right, the entidad «"09» is not. */
    assert_int_equal(h->problems->len, 2 + 60000);
    assert_int_equal(g_array_index(h->problems, seen_problem, 0).reason, OBS_R_W_QUOTE);
    assert_int_equal(g_array_index(h->problems, seen_problem, 1).reason, OBS_R_UNKNOWN_ENTIDAD);
    assert_int_equal(g_array_index(h->problems, seen_problem, 1).line, 2);
    for (guint i = 2; i < h->problems->len; i++) {
        seen_problem *p = &g_array_index(h->problems, seen_problem, i);
        char *want = g_strdup_printf("m%" G_GUINT64_FORMAT, p->line);
        if (p->line != i + 1 || strcmp(p->value, want) != 0)
            fail_msg("problem %u at line %" G_GUINT64_FORMAT " is about «%s»", i, p->line, p->value);
        g_free(want);
    }
    assert_int_equal(h->stats.leidas, 60001);
    assert_int_equal(h->stats.rechazadas, 60001);
    assert_int_equal(h->stats.lines, 60002);
    g_string_free(data, TRUE);
}

static void test_ingest_forced_encoding_and_delimiter(void **state)
{
    harness *h = *state;
    /* "Méx." in Windows-1252 is not UTF-8: forced UTF-8 rejects it, auto and forced 1252 read it. */
    const char data[] = "folio;entidad;fecha_solicitud;tipo;medio\nA1;M\xe9x.;2023-10-01;individual;portal\n";
    obs_ingest_options utf8 = {.encoding = OBS_ENC_UTF8};
    ingest_bytes(h, OBS_FILE_SOLICITUDES, data, sizeof data - 1, &utf8);
    expect_rejected(h, OBS_R_BAD_BYTES, 2, "entidad");
    obs_ingest_options cp = {.encoding = OBS_ENC_CP1252};
    assert_int_equal(ingest_bytes(h, OBS_FILE_SOLICITUDES, data, sizeof data - 1, &cp), OBS_OK);
    assert_int_equal(h->problems->len, 0);
    assert_int_equal(g_array_index(h->solicitudes, obs_solicitud, 0).entidad, 15);
    assert_int_equal(h->stats.encoding, OBS_ENC_CP1252);
    assert_int_equal(ingest_bytes(h, OBS_FILE_SOLICITUDES, data, sizeof data - 1, NULL), OBS_OK);
    assert_int_equal(h->stats.encoding, OBS_ENC_CP1252);
    assert_int_equal(h->stats.delimiter, ';');
    /* Forcing ',' on a ';' file leaves one unknown column: the header lacks the required ones. */
    obs_ingest_options comma = {.delimiter = ','};
    assert_int_equal(ingest_bytes(h, OBS_FILE_SOLICITUDES, data, sizeof data - 1, &comma), OBS_ERR_DATA);
}

static void test_ingest_directory_is_unreadable_input(void **state)
{
    harness *h = *state;
    obs_file_stats st = {0};
    obs_row_sink sink = {0};
    assert_int_equal(obs_ingest_file(h->dir, OBS_FILE_SOLICITUDES, h->cat, NULL, &sink, NULL, NULL, &st, &h->err),
                     OBS_ERR_NOINPUT);
    obs_file_stats_clear(&st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ingest_accepts_a_good_row),
        cmocka_unit_test(test_ingest_rejects_missing_required_field),
        cmocka_unit_test(test_ingest_rejects_unparseable_date),
        cmocka_unit_test(test_ingest_rejects_unknown_entidad),
        cmocka_unit_test(test_ingest_resolves_entidad_names_and_aliases),
        cmocka_unit_test(test_ingest_rejects_unknown_tipo_and_medio),
        cmocka_unit_test(test_ingest_rejects_repeated_folio),
        cmocka_unit_test(test_ingest_repeated_folio_of_a_rejected_row_is_accepted),
        cmocka_unit_test(test_ingest_resolution_without_date_and_reverse_is_pendiente),
        cmocka_unit_test(test_ingest_rejects_registro_before_the_request),
        cmocka_unit_test(test_ingest_rejects_wrong_number_of_fields),
        cmocka_unit_test(test_ingest_rejects_invalid_bytes),
        cmocka_unit_test(test_ingest_warns_and_keeps_row),
        cmocka_unit_test(test_ingest_counts_physical_lines_across_quoted_newlines),
        cmocka_unit_test(test_ingest_reports_malformed_quotes_and_continues),
        cmocka_unit_test(test_ingest_difusion_row_errors),
        cmocka_unit_test(test_ingest_difusion_warnings),
        cmocka_unit_test(test_ingest_missing_column_names_it_and_headers_found),
        cmocka_unit_test(test_ingest_file_level_errors),
        cmocka_unit_test(test_ingest_reads_excel_and_tab_dialects_alike),
        cmocka_unit_test(test_ingest_limits_field_and_line_size),
        cmocka_unit_test(test_ingest_line_numbers_survive_a_cut_record),
        cmocka_unit_test(test_ingest_forced_encoding_and_delimiter),
        cmocka_unit_test(test_ingest_directory_is_unreadable_input),
    };
    return cmocka_run_group_tests(tests, harness_setup, harness_teardown);
}
