/* test_salida.c - what a run may publish: the rejected-share gate and the rules that keep a delivered set. */
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli_run.h"

#define CORTE "2023-10-12"

typedef basico_fixture fixture;

static char *in_tmp(const fixture *f, const char *rel)
{
    return basico_tmp(f, rel);
}

static result observa(const fixture *f, const char *const *args)
{
    return observa_in(f->tmp, args, NULL);
}

#define expect expect_run

static bool exists(const char *dir, const char *rel)
{
    char *p = g_build_filename(dir, rel, NULL);
    bool e = g_file_test(p, G_FILE_TEST_EXISTS);
    g_free(p);
    return e;
}

/* manifest.json's corte and estado. */
static void manifest_says(const char *dir, const char *corte, gint64 estado)
{
    char *path = g_build_filename(dir, "manifest.json", NULL);
    JsonParser *p = json_parser_new();
    assert_true(json_parser_load_from_file(p, path, NULL));
    JsonObject *root = json_node_get_object(json_parser_get_root(p));
    assert_string_equal(json_object_get_string_member(root, "corte"), corte);
    assert_int_equal(json_object_get_int_member(root, "estado"), estado);
    g_object_unref(p);
    g_free(path);
}

/* ---- publish only what the data supports ------------------------------------------------------ */

static void test_every_row_rejected_fails_65_before_any_document(void **state)
{
    fixture *f = *state;
    char *dif = in_tmp(f, "difusion-mala.csv");
    write_file_text(dif, "id,entidad,instancia,fecha,tipo\nD1,99,opl,2023-10-01,rs\nD2,40,opl,2023-10-01,rs\n"
                    "D3,77,jle,2023-10-02,rs\n");
    const char *limits[] = {"5", "100"}; /* not even --max-rechazadas 100 lets it through */
    for (size_t i = 0; i < G_N_ELEMENTS(limits); i++) {
        char *out = in_tmp(f, limits[i]);
        result r = observa(f, (const char *const[]){"informe", "-s", f->sol, "-d", dif, "-c", CORTE, "-o", out,
                                                    "--max-rechazadas", limits[i], "-q", NULL});
        expect(&r, 65, (const char *const[]){dif, "sus 3 filas fueron rechazadas (100%)",
                                             "no se generó ningún documento", "«entidad desconocida» (3 veces)",
                                             "rechazos.csv", NULL});
        /* Nothing of the informe; rechazos.csv and manifest.json say why. */
        assert_false(exists(out, "informe.pdf") || exists(out, "informe.xlsx") || exists(out, "metricas.csv"));
        assert_true(exists(out, "rechazos.csv"));
        manifest_says(out, CORTE, 65);
        result_clear(&r);
        g_free(out);
    }
    /* lote: no summary, no oficio flagging 32 OPL for 0 actions. */
    char *out = in_tmp(f, "lote-todo-rechazado");
    result r = observa(f, (const char *const[]){"lote", "--config", f->ini, "-d", dif, "-o", out, "-q", NULL});
    expect(&r, 65, (const char *const[]){"(100%)", NULL});
    assert_false(exists(out, "oficio.pdf") || exists(out, "opl") || exists(out, "oficio_opl"));
    result_clear(&r);
    g_free(out);
    g_free(dif);
}

static void test_rejected_share_above_the_limit_fails_and_says_how_to_allow_it(void **state)
{
    fixture *f = *state;
    char *out = in_tmp(f, "limite");
    result r = observa(f, (const char *const[]){"informe", "-s", f->sol, "-d", f->dif, "-c", CORTE, "-o", out, "-q",
                                                NULL});
    expect(&r, 65,
           (const char *const[]){"solicitudes.csv: 8 de 17 filas rechazadas (47.1%), más que el máximo de 5%",
                                 "difusion.csv: 5 de 13 filas rechazadas (38.5%)", "El problema más frecuente: «",
                                 "--max-rechazadas 48", "«max_rechazadas = 48» en [entrada]", NULL});
    assert_false(exists(out, "informe.pdf"));
    result_clear(&r);
    /* 47 still fails (for solicitudes only); 48 lets both files through. */
    r = observa(f, (const char *const[]){"informe", "-s", f->sol, "-d", f->dif, "-c", CORTE, "-o", out,
                                         "--max-rechazadas", "47", "-q", NULL});
    expect(&r, 65, NULL);
    assert_null(strstr(r.err, "difusion.csv: 5 de 13"));
    result_clear(&r);
    r = observa(f, (const char *const[]){"informe", "-s", f->sol, "-d", f->dif, "-c", CORTE, "-o", out,
                                         "--max-rechazadas", "47.06", "-q", NULL});
    expect(&r, 0, NULL);
    assert_true(exists(out, "informe.pdf"));
    result_clear(&r);
    /* The configuration key does the same, and the option overrides it. */
    char *ini = in_tmp(f, "limite.ini");
    char *text = g_strdup_printf("[entrada]\nsolicitudes = %s\ndifusion = %s\nmax_rechazadas = 48\n"
                                 "[corte]\ncorte = " CORTE "\n[salida]\ndocumentos = metricas\n",
                                 f->sol, f->dif);
    write_file_text(ini, text);
    char *out2 = in_tmp(f, "limite-ini");
    r = observa(f, (const char *const[]){"lote", "--config", ini, "-o", out2, "-q", NULL});
    expect(&r, 0, NULL);
    result_clear(&r);
    r = observa(f, (const char *const[]){"lote", "--config", ini, "-o", out2, "--max-rechazadas", "10", "-q", NULL});
    expect(&r, 65, NULL);
    result_clear(&r);
    g_free(out2);
    g_free(text);
    g_free(ini);
    g_free(out);
}

/* metricas prints no figure the inputs do not support; validar reports the share and fails only with --estricto. */
static void test_metricas_and_validar_with_a_large_rejected_share(void **state)
{
    fixture *f = *state;
    result r = observa(f, (const char *const[]){"metricas", "-s", f->sol, "-d", f->dif, "-c", CORTE, "-q", NULL});
    expect(&r, 65, (const char *const[]){"más que el máximo de 5%", NULL});
    assert_string_equal(r.out, "");
    result_clear(&r);
    char *out = in_tmp(f, "validacion");
    r = observa(f, (const char *const[]){"validar", "-s", f->sol, "-d", f->dif, "-o", out, NULL});
    expect(&r, 0,
           (const char *const[]){"solicitudes.csv: 47.1% de las filas rechazadas, más que el máximo de 5%",
                                 "difusion.csv: 38.5% de las filas rechazadas", NULL});
    result_clear(&r);
    r = observa(f, (const char *const[]){"validar", "-s", f->sol, "-d", f->dif, "-o", out, "--max-rechazadas", "50",
                                         NULL});
    expect(&r, 0, (const char *const[]){"47.1% de las filas rechazadas (dentro del máximo de 50%)", NULL});
    result_clear(&r);
    r = observa(f, (const char *const[]){"validar", "-s", f->sol, "-d", f->dif, "-o", out, "--estricto", NULL});
    expect(&r, 65, NULL);
    result_clear(&r);
    g_free(out);
}

/* A file with no data rows is not "every row rejected": it is said, and the run goes on. */
static void test_header_only_file_is_said_not_refused(void **state)
{
    fixture *f = *state;
    char *dif = in_tmp(f, "difusion-vacia.csv"), *out = in_tmp(f, "vacia");
    write_file_text(dif, "id,entidad,instancia,fecha,tipo\n");
    result r = observa(f, (const char *const[]){"informe", "-s", f->sol, "-d", dif, "-c", CORTE, "-o", out,
                                                "--max-rechazadas", "100", "-q", "-f", "csv", NULL});
    expect(&r, 0, (const char *const[]){"no tiene filas de datos", "no hay registros de acciones de difusión", NULL});
    assert_null(strstr(r.err, "100%"));
    result_clear(&r);
    /* validar warns of it in the same words, and is not refused either (with -q too). */
    char *val = in_tmp(f, "vacia-validacion");
    r = observa(f, (const char *const[]){"validar", "-s", f->sol, "-d", dif, "-o", val, "-q", NULL});
    expect(&r, 0, (const char *const[]){"aviso: ", "difusion-vacia.csv no tiene filas de datos (sólo el encabezado)",
                                        "no hay registros de acciones de difusión", NULL});
    result_clear(&r);
    g_free(val);
    g_free(out);
    g_free(dif);
}

/* ---- never destroy a delivered set -------------------------------------------------------------- */

static result lote_into(const fixture *f, const char *out, const char *corte, bool replace)
{
    return observa(f, (const char *const[]){"lote", "--config", f->ini, "-o", out, "-c", corte, "-q",
                                            replace ? "--reemplazar" : NULL, NULL});
}

static void test_another_cortes_set_is_refused_73_unless_reemplazar(void **state)
{
    fixture *f = *state;
    char *out = in_tmp(f, "entregado");
    result r = lote_into(f, out, CORTE, false);
    expect(&r, 0, NULL);
    result_clear(&r);
    GHashTable *before = snapshot_dir(out, FALSE);
    /* Another corte into that folder: refused before anything is read; not a byte changes. */
    r = lote_into(f, out, "2023-10-11", false);
    expect(&r, 73, (const char *const[]){"tiene el conjunto entregado con corte al 2023-10-12",
                                         "con corte al 2023-10-11", "--reemplazar", NULL});
    assert_null(strstr(r.err, "filas leídas"));
    result_clear(&r);
    GHashTable *after = snapshot_dir(out, FALSE);
    assert_same_snapshot(before, after);
    g_hash_table_destroy(after);
    /* The same corte is a normal re-run. */
    r = lote_into(f, out, CORTE, false);
    expect(&r, 0, NULL);
    result_clear(&r);
    /* --reemplazar: the new set replaces the old one whole; no file of the old corte stays. */
    r = observa(f, (const char *const[]){"informe", "-s", f->sol, "-d", f->dif, "-c", "2023-10-11", "-o", out,
                                         "--max-rechazadas", "100", "--reemplazar", "-q", NULL});
    expect(&r, 0, NULL);
    result_clear(&r);
    manifest_says(out, "2023-10-11", 0);
    GHashTable *now = snapshot_dir(out, FALSE);
    const char *stay[] = {"informe.pdf", "informe.xlsx", "metricas.csv", "rechazos.csv", "manifest.json"};
    assert_int_equal(g_hash_table_size(now), G_N_ELEMENTS(stay));
    for (size_t i = 0; i < G_N_ELEMENTS(stay); i++)
        assert_true(g_hash_table_contains(now, stay[i]));
    g_hash_table_destroy(now);
    g_hash_table_destroy(before);
    g_free(out);
}

/* manifest.json's "comando" (g_free). */
static char *manifest_command(const char *dir)
{
    char *path = g_build_filename(dir, "manifest.json", NULL);
    JsonParser *p = json_parser_new();
    assert_true(json_parser_load_from_file(p, path, NULL));
    char *command = g_strdup(json_object_get_string_member(json_node_get_object(json_parser_get_root(p)), "comando"));
    g_object_unref(p);
    g_free(path);
    return command;
}

/* The corte of the bundled demonstration (sample-data/demo.ini), ISO (g_free). */
static char *demo_corte(void)
{
    char *ini = g_build_filename(g_getenv("OBS_TEST_SOURCE_ROOT"), "sample-data", "demo.ini", NULL);
    char *text = read_file(ini);
    char **lines = g_strsplit(text, "\n", -1);
    char *corte = NULL;
    for (char **l = lines; *l && !corte; l++) {
        char **kv = g_strsplit(*l, "=", 2);
        if (g_strv_length(kv) == 2 && strcmp(g_strstrip(kv[0]), "corte") == 0)
            corte = g_strdup(g_strstrip(kv[1]));
        g_strfreev(kv);
    }
    assert_non_null(corte);
    g_strfreev(lines);
    g_free(text);
    g_free(ini);
    return corte;
}

/* observa demo replaces only an earlier demonstration: another command's set is refused (73) and
 * left as it was whatever its corte (the demonstration's own too) and whether or not it was
 * delivered; a demonstration over a demonstration goes on. */
static void test_demo_never_replaces_another_commands_set(void **state)
{
    fixture *f = *state;
    char *corte = demo_corte();
    const char *const cases[][2] = {{corte, "100"}, {"2023-10-12", "100"}, {corte, "5"}};
    const int status[] = {0, 0, 65}; /* the last: refused by the gate, a set with "estado": 65 */
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *out = in_tmp(f, "de-informe");
        result r = observa(f, (const char *const[]){"informe", "-s", f->sol, "-d", f->dif, "-c", cases[i][0], "-o",
                                                    out, "--max-rechazadas", cases[i][1], "--sin-historial", "-f",
                                                    "csv", "-q", NULL});
        expect(&r, status[i], NULL);
        result_clear(&r);
        GHashTable *before = snapshot_dir(out, TRUE);
        r = observa(f, (const char *const[]){"demo", "-o", out, "-q", NULL});
        expect(&r, 73, (const char *const[]){"«observa informe»", "observa demo sólo sustituye una demostración anterior",
                                             "«observa demo -o CARPETA»", NULL});
        assert_null(strstr(r.err, "filas leídas"));
        result_clear(&r);
        GHashTable *after = snapshot_dir(out, TRUE);
        assert_same_snapshot(before, after);
        char *command = manifest_command(out);
        assert_string_equal(command, "informe");
        g_free(command);
        g_hash_table_destroy(after);
        g_hash_table_destroy(before);
        remove_tree(out);
        g_free(out);
    }
    char *out = in_tmp(f, "demostracion");
    for (int i = 0; i < 2; i++) {
        result r = observa(f, (const char *const[]){"demo", "-o", out, "-q", NULL});
        expect(&r, 0, NULL);
        result_clear(&r);
    }
    char *command = manifest_command(out);
    assert_string_equal(command, "demo");
    g_free(command);
    g_free(out);
    g_free(corte);
}

/* The outputs manifest.json lists (relative paths). */
static GHashTable *manifest_outputs(const char *dir)
{
    char *path = g_build_filename(dir, "manifest.json", NULL);
    JsonParser *p = json_parser_new();
    assert_true(json_parser_load_from_file(p, path, NULL));
    JsonArray *a = json_object_get_array_member(json_node_get_object(json_parser_get_root(p)), "salidas");
    GHashTable *set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < json_array_get_length(a); i++)
        g_hash_table_add(set, g_strdup(json_object_get_string_member(json_array_get_object_element(a, i), "ruta")));
    g_object_unref(p);
    g_free(path);
    return set;
}

/*
 * A re-run of the same corte from the same exports that writes only part of the set replaces those
 * files and keeps the others, and the manifest still lists every file of the folder; from other
 * exports it would mix two versions: refused (73) unless --reemplazar, which retires the old set.
 */
static void test_same_corte_partial_rerun(void **state)
{
    fixture *f = *state;
    char *out = in_tmp(f, "mismo-corte");
    result r = lote_into(f, out, CORTE, false);
    expect(&r, 0, NULL);
    result_clear(&r);
    GHashTable *delivered = snapshot_dir(out, FALSE);
    r = observa(f, (const char *const[]){"opl", "-s", f->sol, "-d", f->dif, "-c", CORTE, "-o", out, "--entidad", "15",
                                         "--max-rechazadas", "100", "-q", NULL});
    expect(&r, 0, NULL);
    result_clear(&r);
    assert_true(exists(out, "opl/09_IECM.pdf"));
    assert_true(exists(out, "oficio.pdf"));
    assert_true(exists(out, "informe.pdf"));
    GHashTable *listed = manifest_outputs(out), *now = snapshot_dir(out, FALSE);
    GHashTableIter it;
    gpointer rel;
    g_hash_table_iter_init(&it, now);
    while (g_hash_table_iter_next(&it, &rel, NULL))
        if (strcmp(rel, "manifest.json") != 0 && !g_hash_table_contains(listed, rel))
            fail_msg("%s is in the folder but not in its manifest", (const char *)rel);
    g_hash_table_destroy(listed);
    g_hash_table_destroy(now);
    /* Other exports: the informe alone would sit beside summaries made from the old ones. */
    char *dif = in_tmp(f, "difusion-corregida.csv");
    char *text = read_file(f->dif);
    GString *changed = g_string_new(text);
    g_string_append(changed, "D99,15,opl,2023-10-02,,rs,5,Corrección tardía\n");
    write_file_text(dif, changed->str);
    GHashTable *before = snapshot_dir(out, FALSE);
    r = observa(f, (const char *const[]){"informe", "-s", f->sol, "-d", dif, "-c", CORTE, "-o", out,
                                         "--max-rechazadas", "100", "-q", NULL});
    expect(&r, 73, (const char *const[]){"otras exportaciones", "--reemplazar", NULL});
    result_clear(&r);
    GHashTable *after = snapshot_dir(out, FALSE);
    assert_same_snapshot(before, after);
    g_hash_table_destroy(after);
    /* --reemplazar: the old set goes; only this run's files are left. */
    r = observa(f, (const char *const[]){"informe", "-s", f->sol, "-d", dif, "-c", CORTE, "-o", out,
                                         "--max-rechazadas", "100", "--reemplazar", "-q", NULL});
    expect(&r, 0, NULL);
    result_clear(&r);
    assert_false(exists(out, "opl/09_IECM.pdf"));
    assert_false(exists(out, "oficio.pdf"));
    assert_true(exists(out, "informe.pdf"));
    g_hash_table_destroy(before);
    g_hash_table_destroy(delivered);
    g_string_free(changed, TRUE);
    g_free(text);
    g_free(dif);
    g_free(out);
}

/* lote with directorio = salida/2023-10-12 and -c 2023-10-11 must not write into the 12 October folder. */
static void test_folder_named_after_another_corte_is_refused(void **state)
{
    fixture *f = *state;
    char *ini = in_tmp(f, "fijo.ini");
    char *text = g_strdup_printf("[entrada]\nsolicitudes = %s\ndifusion = %s\nmax_rechazadas = 100\n"
                                 "[corte]\ncorte = " CORTE "\n[salida]\ndirectorio = salida/" CORTE "\n"
                                 "documentos = informe, metricas\n",
                                 f->sol, f->dif);
    write_file_text(ini, text);
    result r = observa(f, (const char *const[]){"lote", "--config", ini, "-c", "2023-10-11", "-q", NULL});
    char *wrong = in_tmp(f, "salida/" CORTE);
    expect(&r, 73, (const char *const[]){"lleva la fecha 2023-10-12", "el corte de esta ejecución es 2023-10-11",
                                         "salida/2023-10-11)", "directorio = salida/{corte}", NULL});
    assert_false(g_file_test(wrong, G_FILE_TEST_EXISTS));
    result_clear(&r);
    /* With {corte} the folder follows the corte. */
    g_free(text);
    text = g_strdup_printf("[entrada]\nsolicitudes = %s\ndifusion = %s\nmax_rechazadas = 100\n"
                           "[corte]\ncorte = " CORTE "\n[salida]\ndirectorio = salida/{corte}\n"
                           "documentos = informe, metricas\n",
                           f->sol, f->dif);
    write_file_text(ini, text);
    r = observa(f, (const char *const[]){"lote", "--config", ini, "-c", "2023-10-11", "-q", NULL});
    expect(&r, 0, NULL);
    char *right = in_tmp(f, "salida/2023-10-11");
    manifest_says(right, "2023-10-11", 0);
    result_clear(&r);
    g_free(right);
    g_free(wrong);
    g_free(text);
    g_free(ini);
}

static void test_validar_never_writes_into_a_delivered_set(void **state)
{
    fixture *f = *state;
    char *cwd = in_tmp(f, "trabajo");
    g_mkdir(cwd, 0755);
    const char *informe[] = {observa_bin(), "informe", "-s", f->sol, "-d", f->dif, "-c", CORTE,
                             "--max-rechazadas", "100", "-q", NULL};
    result r = run(cwd, (char **)informe, NULL);
    expect(&r, 0, NULL);
    result_clear(&r);
    char *set = g_build_filename(cwd, "salida", CORTE, NULL);
    GHashTable *before = snapshot_dir(set, FALSE);
    /* The case: validar -c D after informe -c D, both with their default folders. */
    const char *validar[] = {observa_bin(), "validar", "-s", f->sol, "-d", f->dif, "-c", CORTE, "-q", NULL};
    r = run(cwd, (char **)validar, NULL);
    expect(&r, 0, NULL);
    result_clear(&r);
    char *v = g_build_filename(cwd, "salida", "validacion", CORTE, "rechazos.csv", NULL);
    assert_true(g_file_test(v, G_FILE_TEST_EXISTS));
    /* Pointed at the delivered folder: refused, and the set is as it was. */
    const char *into[] = {observa_bin(), "validar", "-s", f->sol, "-d", f->dif, "-o", set, NULL};
    r = run(cwd, (char **)into, NULL);
    expect(&r, 73, (const char *const[]){"validar no escribe ahí", NULL});
    result_clear(&r);
    GHashTable *after = snapshot_dir(set, FALSE);
    assert_same_snapshot(before, after);
    g_hash_table_destroy(after);
    g_hash_table_destroy(before);
    g_free(v);
    g_free(set);
    g_free(cwd);
}

/* An input that is an output of the run would be overwritten: 64 before anything is read. */
static void test_input_that_is_an_output_is_refused_64(void **state)
{
    fixture *f = *state;
    char *out = in_tmp(f, "entrada-salida");
    result r = observa(f, (const char *const[]){"informe", "-s", f->sol, "-d", f->dif, "-c", CORTE, "-o", out,
                                                "--max-rechazadas", "100", "-q", NULL});
    expect(&r, 0, NULL);
    result_clear(&r);
    GHashTable *before = snapshot_dir(out, TRUE);
    char *metricas = g_build_filename(out, "metricas.csv", NULL);
    char *spelled = g_build_filename(out, "..", "entrada-salida", "rechazos.csv", NULL);
    char *opl = g_build_filename(out, "opl", NULL);
    g_mkdir(opl, 0755);
    char *in_opl = g_build_filename(opl, "mis-solicitudes.csv", NULL);
    char *copy = read_file(f->sol);
    write_file_text(in_opl, copy);
    const char *const *cases[] = {
        (const char *const[]){"informe", "-s", metricas, "-d", f->dif, "-c", CORTE, "-o", out, NULL},
        (const char *const[]){"informe", "-s", f->sol, "-d", spelled, "-c", CORTE, "-o", out, NULL},
        /* a directory that holds the outputs: its .csv files are metricas.csv and rechazos.csv */
        (const char *const[]){"informe", "-s", out, "-d", f->dif, "-c", CORTE, "-o", out, NULL},
        (const char *const[]){"opl", "-s", in_opl, "-d", f->dif, "-c", CORTE, "-o", out, NULL},
        (const char *const[]){"validar", "-s", f->sol, "-d", spelled, "-o", out, NULL},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        r = observa(f, cases[i]);
        expect(&r, 64, (const char *const[]){"esta entrada es una salida de la ejecución", NULL});
        assert_null(strstr(r.err, "filas leídas"));
        result_clear(&r);
    }
    g_unlink(in_opl);
    g_rmdir(opl);
    GHashTable *after = snapshot_dir(out, TRUE);
    assert_same_snapshot(before, after);
    g_hash_table_destroy(after);
    g_hash_table_destroy(before);
    g_free(copy);
    g_free(in_opl);
    g_free(opl);
    g_free(spelled);
    g_free(metricas);
    g_free(out);
}

/* A run refused for its data over a delivered set of its corte publishes nothing there. */
static void test_refused_run_leaves_the_delivered_set_untouched(void **state)
{
    fixture *f = *state;
    char *out = in_tmp(f, "intacto");
    result r = lote_into(f, out, CORTE, false);
    expect(&r, 0, NULL);
    result_clear(&r);
    GHashTable *before = snapshot_dir(out, TRUE);
    r = observa(f, (const char *const[]){"lote", "--config", f->ini, "-o", out, "--max-rechazadas", "5", NULL});
    expect(&r, 65, (const char *const[]){"no se modificó", "observa validar", NULL});
    char *ledger = g_build_filename(out, "rechazos.csv", NULL);
    assert_null(strstr(r.err, ledger)); /* it is not there: the set's own rechazos.csv is */
    g_free(ledger);
    result_clear(&r);
    GHashTable *after = snapshot_dir(out, TRUE);
    assert_same_snapshot(before, after);
    g_hash_table_destroy(after);
    g_hash_table_destroy(before);
    g_free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_row_rejected_fails_65_before_any_document),
        cmocka_unit_test(test_rejected_share_above_the_limit_fails_and_says_how_to_allow_it),
        cmocka_unit_test(test_metricas_and_validar_with_a_large_rejected_share),
        cmocka_unit_test(test_header_only_file_is_said_not_refused),
        cmocka_unit_test(test_another_cortes_set_is_refused_73_unless_reemplazar),
        cmocka_unit_test(test_same_corte_partial_rerun),
        cmocka_unit_test(test_demo_never_replaces_another_commands_set),
        cmocka_unit_test(test_folder_named_after_another_corte_is_refused),
        cmocka_unit_test(test_validar_never_writes_into_a_delivered_set),
        cmocka_unit_test(test_input_that_is_an_output_is_refused_64),
        cmocka_unit_test(test_refused_run_leaves_the_delivered_set_untouched),
    };
    return cmocka_run_group_tests(tests, basico_setup, basico_teardown);
}
