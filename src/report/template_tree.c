/* template_tree.c - a parsed template's tree: creating the tables and charts, freeing nodes and properties,
 * reading a @documento key. */
#include <string.h>

#include "report/template_tree_int.h"

static void column_free(gpointer p)
{
    tpl_column *c = p;
    g_free(c->header);
    tpl_text_free(c->header_text);
    g_free(c);
}

static void row_free(gpointer p)
{
    tpl_row *r = p;
    g_free(r->label);
    tpl_text_free(r->label_text);
    g_free(r);
}

static void series_free(gpointer p)
{
    tpl_series *s = p;
    g_free(s->name);
    g_free(s);
}

static void table_free(tpl_table *t)
{
    if (!t)
        return;
    g_free(t->id);
    g_free(t->title);
    g_free(t->sheet);
    g_free(t->note);
    g_ptr_array_free(t->columns, TRUE);
    g_ptr_array_free(t->rows, TRUE);
    g_free(t);
}

tpl_table *tpl_table_new(void)
{
    tpl_table *t = g_new0(tpl_table, 1);
    t->columns = g_ptr_array_new_with_free_func(column_free);
    t->rows = g_ptr_array_new_with_free_func(row_free);
    return t;
}

tpl_chart *tpl_chart_new(void)
{
    tpl_chart *c = g_new0(tpl_chart, 1);
    c->series = g_ptr_array_new_with_free_func(series_free);
    return c;
}

static void chart_free(tpl_chart *c)
{
    if (!c)
        return;
    g_free(c->id);
    g_free(c->title);
    g_free(c->sheet);
    g_free(c->note);
    g_free(c->x_title);
    g_free(c->y_title);
    g_ptr_array_free(c->series, TRUE);
    g_free(c);
}

void tpl_node_free(gpointer p)
{
    node *n = p;
    tpl_text_free(n->text);
    tpl_text_free(n->note);
    if (n->items)
        g_ptr_array_free(n->items, TRUE);
    table_free(n->table);
    chart_free(n->chart);
    g_free(n->cond_var);
    if (n->then_nodes)
        g_ptr_array_free(n->then_nodes, TRUE);
    if (n->else_nodes)
        g_ptr_array_free(n->else_nodes, TRUE);
    tpl_summary_free(n->summary);
    tpl_toc_free(n->toc);
    tpl_glossary_free(n->glossary);
    tpl_map_free(n->map);
    g_free(n);
}

void tpl_text_destroy(gpointer text)
{
    tpl_text_free(text);
}

void tpl_prop_free(gpointer p)
{
    prop *pr = p;
    g_free(pr->key);
    tpl_text_free(pr->value);
    g_free(pr);
}

void obs_template_free(obs_template *t)
{
    if (!t)
        return;
    g_ptr_array_free(t->props, TRUE);
    g_ptr_array_free(t->nodes, TRUE);
    g_free(t);
}

static const tpl_doc_key doc_keys[] = {
    {"formato", -1},
    {"titulo", G_STRUCT_OFFSET(obs_doc, title)},
    {"asunto", G_STRUCT_OFFSET(obs_doc, subject)},
    {"autor", G_STRUCT_OFFSET(obs_doc, author)},
    {"palabras_clave", G_STRUCT_OFFSET(obs_doc, keywords)},
    {"encabezado", G_STRUCT_OFFSET(obs_doc, header)},
    {"portada.institucion", G_STRUCT_OFFSET(obs_doc, cover.institution)},
    {"portada.area", G_STRUCT_OFFSET(obs_doc, cover.area)},
    {"portada.titulo", G_STRUCT_OFFSET(obs_doc, cover.title)},
    {"portada.subtitulo", G_STRUCT_OFFSET(obs_doc, cover.subtitle)},
    {"portada.corte", G_STRUCT_OFFSET(obs_doc, cover.corte)},
    {"portada.lugar_fecha", G_STRUCT_OFFSET(obs_doc, cover.place_date)},
    {"numerar", -1},
    {"fuente", -1},
};

const tpl_doc_key *tpl_doc_key_find(const char *key)
{
    for (size_t i = 0; i < G_N_ELEMENTS(doc_keys); i++)
        if (strcmp(doc_keys[i].key, key) == 0)
            return &doc_keys[i];
    return NULL;
}

const tpl_text *tpl_prop_value(const obs_template *t, const char *key)
{
    for (guint i = 0; i < t->props->len; i++) {
        const prop *pr = t->props->pdata[i];
        if (strcmp(pr->key, key) == 0)
            return pr->value;
    }
    return NULL;
}
