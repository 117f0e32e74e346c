/* produce_plan.c - what a run writes: its templates, the letters' variables and numbers, the list of documents. */
#include <string.h>

#include "observa/oficio.h"
#include "observa/report.h"
#include "observa/text.h"
#include "history/history_view_int.h"
#include "output/produce_int.h"

static const struct {
    const char *file;
    obs_template_kind kind;
    unsigned doc;
} templates[PRODUCE_KINDS] = {
    [PRODUCE_INFORME] = {"informe.tpl", OBS_TPL_INFORME, OBS_DOC_INFORME},
    [PRODUCE_OPL] = {"opl.tpl", OBS_TPL_OPL, OBS_DOC_OPL},
    [PRODUCE_OFICIO] = {"oficio_exhorto.tpl", OBS_TPL_OFICIO, OBS_DOC_OFICIO},
    [PRODUCE_OFICIO_OPL] = {"oficio_opl.tpl", OBS_TPL_OPL, OBS_DOC_OFICIO_OPL},
};

/* [oficio] keys the letters cannot do without (numero or numeros: obs_oficio_check()): no letter
 * goes out without its addressee or its signatory. */
static const char *const oficio_required[] = {"area", "destinatario", "firmante", "firmante_cargo", "comision",
                                              "sesion_fecha", "sesion_tipo", NULL};

/* "15_IEEM", "21_IEE_Puebla": the clave and the OPL label, safe as a file name anywhere. */
static char *file_label(const obs_entidad *e)
{
    char *ascii = g_str_to_ascii(e->opl_etiqueta, "C");
    GString *s = g_string_new(NULL);
    g_string_printf(s, "%02d_", e->clave);
    bool sep = false;
    for (const char *p = ascii; *p; p++) {
        if (g_ascii_isalnum(*p)) {
            if (sep && s->str[s->len - 1] != '_')
                g_string_append_c(s, '_');
            g_string_append_c(s, *p);
            sep = false;
        } else {
            sep = true;
        }
    }
    g_free(ascii);
    return g_string_free(s, FALSE);
}

/* The letters' variables: [oficio] keys and those computed per letter. A letter to one OPL gets
 * none that name other OPLs, so its template cannot use them (a template error at load). */
static GPtrArray *extra_var_names(bool to_one_opl)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    for (size_t i = 0; obs_oficio_keys[i]; i++)
        g_ptr_array_add(names, g_strconcat("oficio.", obs_oficio_keys[i], NULL));
    for (size_t i = 0; obs_oficio_vars[i]; i++)
        if (!to_one_opl || (strcmp(obs_oficio_vars[i], "oficio.senalados") != 0 &&
                            strcmp(obs_oficio_vars[i], "oficio.un_opl") != 0))
            g_ptr_array_add(names, g_strdup(obs_oficio_vars[i]));
    g_ptr_array_add(names, NULL);
    return names;
}

obs_status produce_load_templates(obs_produce *p, obs_error *err)
{
    const obs_produce_request *r = p->req;
    if (!(r->cfg->formatos & (OBS_FMT_PDF | OBS_FMT_XLSX)))
        return OBS_OK;
    /* The fonts are found once, for the templates' width checks and every render of the run; a run
     * without PDF needs none (the width check then passes, as it always did without fonts). */
    obs_status st = (r->cfg->formatos & OBS_FMT_PDF) ? obs_fonts_find(&p->fonts, err) : OBS_OK;
    if (st != OBS_OK)
        return st;
    GPtrArray *names[2] = {extra_var_names(false), extra_var_names(true)};
    for (int k = 0; k < PRODUCE_KINDS && st == OBS_OK; k++) {
        if (!(r->documentos & templates[k].doc))
            continue;
        char *path = g_build_filename(obs_catalog_dir(r->cat), templates[k].file, NULL);
        bool letter = k == PRODUCE_OFICIO || k == PRODUCE_OFICIO_OPL;
        const char *const *vars =
            letter ? (const char *const *)names[k == PRODUCE_OFICIO_OPL]->pdata : NULL;
        st = obs_template_load(path, templates[k].kind, r->cat, vars, p->fonts, &p->tpl[k], err);
        g_free(path);
    }
    g_ptr_array_free(names[0], TRUE);
    g_ptr_array_free(names[1], TRUE);
    return st;
}

static char *long_date(obs_day d)
{
    char buf[64];
    return g_strdup(obs_fmt_fecha_larga(buf, sizeof buf, d));
}

/* The required [oficio] keys that are missing, listed for a message; NULL when none is. */
static char *missing_keys(const obs_produce_request *r)
{
    GHashTable *oficio = r->cfg->oficio;
    GString *missing = g_string_new(NULL);
    for (size_t i = 0; oficio_required[i]; i++) {
        const char *v = g_hash_table_lookup(oficio, oficio_required[i]);
        if (!v || !*v)
            g_string_append_printf(missing, "%s%s", missing->len ? ", " : "", oficio_required[i]);
    }
    const char *numero = g_hash_table_lookup(oficio, "numero"), *numeros = g_hash_table_lookup(oficio, "numeros");
    if ((!numero || !*numero) && (!numeros || !*numeros))
        g_string_append_printf(missing, "%snumero (o la lista numeros)", missing->len ? ", " : "");
    if ((r->documentos & OBS_DOC_OFICIO_OPL) && !g_hash_table_lookup(oficio, "opl_destinatario"))
        g_string_append_printf(missing, "%sopl_destinatario", missing->len ? ", " : "");
    if (missing->len)
        return g_string_free(missing, FALSE);
    g_string_free(missing, TRUE);
    return NULL;
}

/* The letters' variables from [oficio]; dates become long dates. Required keys, numbering and
 * the order of the dates (corte ≤ session ≤ letter) are checked before any data is read. */
obs_status produce_oficio_vars(obs_produce *p, obs_error *err)
{
    const obs_produce_request *r = p->req;
    if (!(r->documentos & (OBS_DOC_OFICIO | OBS_DOC_OFICIO_OPL)))
        return OBS_OK;
    char *missing = missing_keys(r);
    if (missing) {
        obs_error_set(err, OBS_ERR_CONFIG, r->config_path ? r->config_path : "", 0, 0,
                      "para el oficio faltan en la sección [oficio] de la configuración: %s "
                      "(vea sample-data/lote.ini)",
                      missing);
        g_free(missing);
        return OBS_ERR_CONFIG;
    }
    obs_day generado = obs_day_from_unix(r->generated_at);
    if (obs_oficio_check(r->cfg->oficio, r->cfg->corte, generado, r->config_path, err) != OBS_OK)
        return err->code;
    p->vars = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, r->cfg->oficio);
    while (g_hash_table_iter_next(&it, &k, &v))
        g_hash_table_insert(p->vars, g_strconcat("oficio.", k, NULL), g_strdup(v));
    const char *fecha = g_hash_table_lookup(r->cfg->oficio, "fecha");
    obs_day d = p->letter_date = fecha && *fecha ? obs_day_parse_iso(fecha) : generado;
    g_hash_table_insert(p->vars, g_strdup("oficio.fecha"), long_date(d));
    const char *sesion = g_hash_table_lookup(r->cfg->oficio, "sesion_fecha");
    g_hash_table_insert(p->vars, g_strdup("oficio.sesion_fecha"), long_date(obs_day_parse_iso(sesion)));
    if (!g_hash_table_lookup(r->cfg->oficio, "lugar"))
        g_hash_table_insert(p->vars, g_strdup("oficio.lugar"), g_strdup(r->cfg->lugar));
    return OBS_OK;
}

static produce_task *task_new(int kind, int entidad, char *base, bool pdf, bool xlsx)
{
    produce_task *t = g_new0(produce_task, 1);
    *t = (produce_task){kind, entidad, base, pdf, xlsx, NULL};
    return t;
}

static void task_free(gpointer data)
{
    produce_task *t = data;
    if (t->vars)
        g_hash_table_destroy(t->vars);
    g_free(t->base);
    g_free(t);
}

static const char *const no_flagged = "ningún OPL con bajo número de acciones de difusión al corte";
static const char *const no_actions = "ningún OPL ha registrado acciones de difusión al corte: aún no hay con qué "
                                      "comparar";

/* No OPL flagged: no letter (reports.md §4). Says so, and why, and records it for the manifest. */
static void skip_letters(obs_produce *p, bool general, bool per_opl)
{
    const obs_snapshot *now = p->run->actual;
    const char *why = now->sin_acciones ? no_actions : no_flagged;
    if (general)
        p->skipped[p->nskipped++] = (obs_manifest_skip){"oficio-pdf", "oficio.pdf", why};
    if (per_opl)
        p->skipped[p->nskipped++] = (obs_manifest_skip){"oficio-opl-pdf", "oficio_opl/", why};
    char corte[64];
    obs_fmt_fecha_larga(corte, sizeof corte, p->run->corte);
    if (now->sin_acciones) {
        produce_notice(p,
                       "con corte al %s ningún OPL ha registrado acciones de difusión en el Sistema: el "
                       "seguimiento de la regla empieza cuando se registran, así que no se señala a ningún OPL "
                       "y no se escribió ningún oficio de exhorto.",
                       corte);
        return;
    }
    char *regla = obs_oficio_regla(now);
    produce_notice(p,
                   "con corte al %s ningún OPL tiene un número bajo de acciones de difusión (un OPL se "
                   "señala cuando registra %s): no se escribió ningún oficio de exhorto.",
                   corte, regla);
    g_free(regla);
}

/* Whether the history has given none of these numbers to a letter of another corte (false: err set). */
static bool numbers_unused(const obs_produce *p, char *const *numbers, obs_error *err)
{
    const obs_history_view *v = p->view;
    if (!v || v->nnumeros == 0)
        return true;
    obs_oficio_emitido *e = g_new(obs_oficio_emitido, v->nnumeros);
    for (size_t i = 0; i < v->nnumeros; i++)
        e[i] = (obs_oficio_emitido){v->numeros[i].numero, v->numeros[i].corrida, v->numeros[i].corte};
    obs_status st = obs_oficio_check_emitidos(p->req->cfg->oficio, numbers, e, v->nnumeros, p->req->config_path, err);
    g_free(e);
    return st == OBS_OK;
}

/* Gives each letter from `first` on its own copy of the variables and its own number. */
static bool number_letters(obs_produce *p, GPtrArray *tasks, guint first, obs_error *err)
{
    size_t n = tasks->len - first;
    if (n == 0)
        return true;
    char **numbers = obs_oficio_numbers(p->req->cfg->oficio, n, p->req->config_path, err);
    if (!numbers || !numbers_unused(p, numbers, err)) {
        g_strfreev(numbers);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        produce_task *t = tasks->pdata[first + i];
        t->vars = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        GHashTableIter it;
        gpointer k, v;
        g_hash_table_iter_init(&it, p->vars);
        while (g_hash_table_iter_next(&it, &k, &v))
            g_hash_table_insert(t->vars, g_strdup(k), g_strdup(v));
        obs_oficio_add_vars(t->vars, p->run, t->entidad, numbers[i]);
        produce_history_letter_vars(p, t->vars, t->entidad);
    }
    g_strfreev(numbers);
    return true;
}

/* The letters, each with its own number: the general exhorto first, then one per flagged OPL by
 * clave. Returns false (err set) when the configured numbers cannot serve them all. */
static bool plan_letters(obs_produce *p, GPtrArray *tasks, obs_error *err)
{
    const obs_produce_request *r = p->req;
    bool pdf = (r->cfg->formatos & OBS_FMT_PDF) != 0;
    bool general = (r->documentos & OBS_DOC_OFICIO) && pdf, per_opl = (r->documentos & OBS_DOC_OFICIO_OPL) && pdf;
    if (!general && !per_opl)
        return true;
    if (p->run->actual->nbajo == 0) {
        skip_letters(p, general, per_opl);
        return true;
    }
    guint first = tasks->len;
    if (general)
        g_ptr_array_add(tasks, task_new(PRODUCE_OFICIO, 0, g_strdup("oficio"), true, false));
    for (int e = 1; per_opl && e <= OBS_ENTIDADES; e++) {
        if (!obs_snapshot_bajo(p->run->actual, e) || (r->entidad && e != r->entidad))
            continue;
        char *label = file_label(obs_catalog_entidad(r->cat, e));
        g_ptr_array_add(tasks,
                        task_new(PRODUCE_OFICIO_OPL, e, g_build_filename("oficio_opl", label, NULL), true, false));
        g_free(label);
    }
    return number_letters(p, tasks, first, err);
}

GPtrArray *produce_plan(obs_produce *p, obs_error *err)
{
    const obs_produce_request *r = p->req;
    GPtrArray *tasks = g_ptr_array_new_with_free_func(task_free);
    bool pdf = (r->cfg->formatos & OBS_FMT_PDF) != 0, xlsx = (r->cfg->formatos & OBS_FMT_XLSX) != 0;
    if ((r->documentos & OBS_DOC_INFORME) && (pdf || xlsx))
        g_ptr_array_add(tasks, task_new(PRODUCE_INFORME, 0, g_strdup("informe"), pdf, xlsx));
    for (int e = 1; (r->documentos & OBS_DOC_OPL) && (pdf || xlsx) && e <= OBS_ENTIDADES; e++) {
        if (r->entidad && e != r->entidad)
            continue;
        char *label = file_label(obs_catalog_entidad(r->cat, e));
        g_ptr_array_add(tasks, task_new(PRODUCE_OPL, e, g_build_filename("opl", label, NULL), pdf, xlsx));
        g_free(label);
    }
    if (!plan_letters(p, tasks, err)) {
        g_ptr_array_free(tasks, TRUE);
        return NULL;
    }
    return tasks;
}
