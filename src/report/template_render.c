/* template_render.c - renders a parsed template into a new document: the @documento keys, the nodes under their
 * @si conditions, and the blocks, through the block builders; numbers the items and resolves citations. */
#include <string.h>

#include "report/template_tree_int.h"
#include "report/tpl_int.h"

static bool eval_cond(const node *n, const obs_template_ctx *ctx)
{
    bool v = false;
    switch (n->cond) {
    case C_ANTERIOR:
        v = ctx_has_prev(ctx);
        break;
    case C_BAJO:
        v = ctx->entidad ? obs_snapshot_bajo(ctx->run->actual, ctx->entidad) : ctx->run->actual->nbajo > 0;
        break;
    case C_RECHAZOS:
        v = any_rechazos(ctx);
        break;
    case C_ACCIONES_OPL: /* in the country, also in a per-OPL template: whether the rule compares anything */
        v = !ctx->run->actual->sin_acciones;
        break;
    case C_METRIC:
        v = mexpr_metric_at((size_t)n->cond_metric, ctx, AT_NOW) != 0;
        break;
    case C_VAR: {
        const char *s = ctx->vars ? g_hash_table_lookup(ctx->vars, n->cond_var) : NULL;
        v = s && *s;
        break;
    }
    case C_HISTORIAL:
        v = history_has_cortes(ctx);
        break;
    case C_EXHORTOS:
        v = history_has_exhortos(ctx);
        break;
    }
    return n->negate ? !v : v;
}

typedef struct render_state {
    obs_doc *doc;
    obs_section *sec;
} render_state;

static obs_section *current_section(render_state *rs)
{
    /* Content before the first @seccion goes to an untitled section. */
    if (!rs->sec)
        rs->sec = obs_doc_add_section(rs->doc, NULL);
    return rs->sec;
}

static void render_nodes(const GPtrArray *nodes, const obs_template_ctx *ctx, render_state *rs)
{
    for (guint i = 0; i < nodes->len; i++) {
        const node *n = nodes->pdata[i];
        char *text = n->kind == N_IF ? NULL : tpl_render_text(n->text, ctx);
        char *note = tpl_render_text(n->note, ctx);
        switch (n->kind) {
        case N_SECTION:
            rs->sec = obs_doc_add_section(rs->doc, text);
            rs->sec->new_page = n->new_page;
            break;
        case N_PARAGRAPH:
            obs_section_add_paragraph(current_section(rs), n->style, "%s", text);
            break;
        case N_LIST: {
            obs_block *list = obs_section_add_list(current_section(rs), OBS_PAR_NORMAL);
            for (guint k = 0; k < n->items->len; k++) {
                char *item = tpl_render_text(n->items->pdata[k], ctx);
                obs_list_add(list, "%s", item);
                g_free(item);
            }
            break;
        }
        case N_LIST_BAJO:
            block_list_bajo(ctx, current_section(rs), OBS_PAR_NORMAL);
            break;
        case N_LIST_FUENTES:
            block_list_fuentes(ctx, current_section(rs), OBS_PAR_NORMAL);
            break;
        case N_LIST_VAR: {
            const char *v = ctx->vars ? g_hash_table_lookup(ctx->vars, n->cond_var) : NULL;
            char **items = g_strsplit(v ? v : "", ";", -1);
            obs_block *list = NULL;
            for (char **it = items; *it; it++) {
                char *item = g_strstrip(*it);
                if (!*item)
                    continue;
                if (!list)
                    list = obs_section_add_list(current_section(rs), OBS_PAR_NOTE);
                obs_list_add(list, "%s", item);
            }
            g_strfreev(items);
            break;
        }
        case N_TABLE:
            block_table(ctx, current_section(rs), n->table, text, note);
            break;
        case N_CHART:
            block_chart(ctx, current_section(rs), n->chart, text, note);
            break;
        case N_PAGEBREAK:
            obs_section_add_pagebreak(current_section(rs));
            break;
        case N_IF:
            render_nodes(eval_cond(n, ctx) ? n->then_nodes : n->else_nodes, ctx, rs);
            break;
        case N_SUMMARY:
            block_summary(ctx, current_section(rs), n->summary);
            break;
        case N_TOC:
            block_toc(ctx, current_section(rs), n->toc);
            break;
        case N_GLOSSARY:
            block_glossary(current_section(rs), n->glossary);
            break;
        case N_MAP:
            block_map(ctx, current_section(rs), n->map);
            break;
        }
        g_free(text);
        g_free(note);
    }
}

static void apply_props(const obs_template *t, const obs_template_ctx *ctx, obs_doc *doc)
{
    for (guint i = 0; i < t->props->len; i++) {
        const prop *pr = t->props->pdata[i];
        char *v = tpl_render_text(pr->value, ctx);
        const tpl_doc_key *key = tpl_doc_key_find(pr->key);
        if (strcmp(pr->key, "formato") == 0)
            doc->layout = strcmp(v, "resumen") == 0  ? OBS_LAYOUT_BRIEF
                          : strcmp(v, "oficio") == 0 ? OBS_LAYOUT_LETTER
                                                     : OBS_LAYOUT_REPORT;
        else if (key && key->field >= 0)
            obs_set_str(&G_STRUCT_MEMBER(char *, doc, key->field), v);
        g_free(v);
    }
    if (!doc->cover.title)
        obs_set_str(&doc->cover.title, doc->title);
}

static obs_doc *render_once(const obs_template *t, const obs_template_ctx *ctx)
{
    obs_doc *doc = obs_doc_new();
    doc->paper = ctx->info->paper;
    doc->generated_at = ctx->info->generated_at;
    char *creator = g_strdup_printf("observa %s", ctx->info->version);
    obs_set_str(&doc->creator, creator);
    g_free(creator);
    obs_set_str(&doc->cover.logo_path, ctx->info->logo);
    apply_props(t, ctx, doc);
    render_state rs = {doc, NULL};
    render_nodes(t->nodes, ctx, &rs);
    return doc;
}

/* ctx's variables plus the labels of the numbered items, for the citations. */
static GHashTable *vars_with_labels(const GHashTable *vars, GHashTable *labels)
{
    GHashTable *all = g_hash_table_new(g_str_hash, g_str_equal);
    GHashTableIter it;
    gpointer k, v;
    if (vars) {
        g_hash_table_iter_init(&it, (GHashTable *)vars);
        while (g_hash_table_iter_next(&it, &k, &v))
            g_hash_table_insert(all, k, v);
    }
    g_hash_table_iter_init(&it, labels);
    while (g_hash_table_iter_next(&it, &k, &v))
        g_hash_table_insert(all, k, v);
    return all;
}

/*
 * The numbers of tables, charts and maps depend on what this run shows (@si, omitted tables),
 * so they are taken from the rendered document; a template that cites them is rendered a
 * second time with the numbers known.
 */
obs_doc *obs_template_render(const obs_template *t, const obs_template_ctx *ctx)
{
    obs_doc *doc = render_once(t, ctx);
    if (t->numbered) {
        const tpl_text *fuente = tpl_prop_value(t, "fuente");
        char *source = fuente ? tpl_render_text(fuente, ctx) : NULL;
        GHashTable *labels = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        obs_doc_number(doc, source, labels);
        if (t->cites) {
            obs_template_ctx cited = *ctx;
            cited.vars = vars_with_labels(ctx->vars, labels);
            obs_doc_free(doc);
            doc = render_once(t, &cited);
            obs_doc_number(doc, source, NULL);
            g_hash_table_destroy(cited.vars);
        }
        g_hash_table_destroy(labels);
        g_free(source);
    }
    obs_doc_build_toc(doc);
    return doc;
}
