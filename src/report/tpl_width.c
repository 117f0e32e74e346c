/* tpl_width.c - whether a template's table can be printed with its numbers whole, before any data is read. */
#include <string.h>

#include "observa/catalog.h"
#include "observa/render.h"
#include "report/tpl_int.h"

/*
 * The widest values a column can hold, as printed. Counts are of requests and actions: below a
 * hundred million (Mexico's whole nominal list). The declared reach summed over actions: below a
 * hundred thousand million (a million people for each of a hundred thousand actions; the sample's
 * national total is 14,753,265). A share: below a thousand percent. Data beyond these bounds is
 * still printed whole, in a smaller size (render_pdf.c).
 */
#define COUNT_WIDEST "99,999,999"
#define REACH_WIDEST "99,999,999,999"
#define PCT_WIDEST "999.9%"

/* A placeholder in a header or a label becomes a stand-in as wide as a long word or a date. */
#define PLACEHOLDER_STANDIN "00000000000000"

static char *standin(const char *raw)
{
    GString *s = g_string_new(NULL);
    for (const char *p = raw ? raw : ""; *p;) {
        const char *open = strstr(p, "{{"), *close = open ? strstr(open, "}}") : NULL;
        if (!close) {
            g_string_append(s, p);
            break;
        }
        g_string_append_len(s, p, open - p);
        g_string_append(s, PLACEHOLDER_STANDIN);
        p = close + 2;
    }
    return g_string_free(s, FALSE);
}

static bool uses_reach(const mexpr *e)
{
    for (int i = 0; i < e->nterms; i++)
        if (e->metric[i] == OBS_M_DIF_ALCANCE)
            return true;
    return false;
}

/* The widest number of a value kind: a count, a change (signed) or a share. */
static const char *widest_number(bool pct, bool change, bool reach)
{
    if (pct)
        return PCT_WIDEST;
    if (change)
        return reach ? "+" REACH_WIDEST : "+" COUNT_WIDEST;
    return reach ? REACH_WIDEST : COUNT_WIDEST;
}

/* The names of the 32 entidades: the first column of a table by entidad. */
static char *entidad_names(const obs_catalog *cat)
{
    GString *s = g_string_new("Total nacional");
    for (int e = 1; cat && e <= OBS_ENTIDADES; e++) {
        const obs_entidad *en = obs_catalog_entidad(cat, e);
        if (en)
            g_string_append_printf(s, " %s *", en->nombre);
    }
    return g_string_free(s, FALSE);
}

/* The row labels of @tabla indicadores, and whether any row sums declared reach. */
static char *row_labels(const tpl_table *t, bool *reach)
{
    GString *s = g_string_new(NULL);
    *reach = false;
    for (guint r = 0; r < t->rows->len; r++) {
        const tpl_row *row = t->rows->pdata[r];
        char *label = standin(row->label);
        g_string_append_printf(s, "%s ", label);
        g_free(label);
        *reach = *reach || uses_reach(&row->e);
    }
    return g_string_free(s, FALSE);
}

bool tpl_table_fits(const tpl_table *t, const obs_catalog *cat, const obs_fonts *fonts, obs_error *err)
{
    if (t->type != TT_ENTIDADES && t->type != TT_INDICADORES)
        return true; /* the fixed tables' columns are known to fit */
    bool entidades = t->type == TT_ENTIDADES, reach = false;
    size_t n = t->columns->len + (entidades ? 1 : 0);
    obs_pdf_column_bound *cols = g_new0(obs_pdf_column_bound, n);
    GPtrArray *owned = g_ptr_array_new_with_free_func(g_free);
    char *labels = entidades ? entidad_names(cat) : row_labels(t, &reach);
    g_ptr_array_add(owned, labels);
    if (entidades)
        cols[0] = (obs_pdf_column_bound){.header = "Entidad", .widest = labels, .text = true};
    for (guint i = 0; i < t->columns->len; i++) {
        const tpl_column *c = t->columns->pdata[i];
        obs_pdf_column_bound *b = &cols[i + (entidades ? 1 : 0)];
        char *head = standin(c->header);
        g_ptr_array_add(owned, head);
        b->header = head;
        if (entidades) {
            b->widest = widest_number(c->kind == COLX_PCT, c->kind == COLX_CHANGE, uses_reach(&c->a));
        } else if (c->kind == COLI_LABEL) {
            b->widest = labels;
            b->text = true;
        } else {
            b->widest = widest_number(c->kind == COLI_PCT || c->kind == COLI_PCT_NATIONAL,
                                      c->kind == COLI_CHANGE, reach);
        }
    }
    bool ok = obs_pdf_table_check(fonts, cols, n, err) == OBS_OK;
    g_ptr_array_free(owned, TRUE);
    g_free(cols);
    return ok;
}
