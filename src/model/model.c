/* model.c - construction of the report model: documents, sections, blocks, numbering and contents. */
#include "model/model_int.h"

#include <glib.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

/* Grows a (ptr, n, cap) array by one element and returns the new zeroed slot. */
#define GROW(ptr, n, cap)                                                     \
    (((n) == (cap) ? ((cap) = (cap) ? (cap) * 2 : 8,                          \
                      (ptr) = g_renew(__typeof__(*(ptr)), (ptr), (cap)))      \
                   : (ptr)),                                                  \
     memset(&(ptr)[(n)], 0, sizeof *(ptr)), &(ptr)[(n)++])

static void front_block_free(obs_block *b);

obs_doc *obs_doc_new(void)
{
    obs_doc *doc = g_new0(obs_doc, 1);
    doc->layout = OBS_LAYOUT_REPORT;
    doc->paper = OBS_PAPER_LETTER;
    doc->lang = g_strdup("es-MX");
    return doc;
}

void obs_set_str(char **field, const char *value)
{
    char *copy = value ? g_strdup(value) : NULL;
    g_free(*field);
    *field = copy;
}

static void table_free(obs_table *t)
{
    if (!t)
        return;
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++)
            g_free(t->rows[r].cells[c].text);
        g_free(t->rows[r].cells);
    }
    for (size_t c = 0; c < t->ncols; c++) {
        g_free(t->cols[c].header);
        g_free(t->cols[c].description);
    }
    g_free(t->rows);
    g_free(t->cols);
    g_free(t->id);
    g_free(t->title);
    g_free(t->sheet);
    g_free(t->note);
    g_free(t);
}

void obs_chart_free(obs_chart *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->ncats; i++) {
        g_free(c->cats[i]);
        g_free(c->through ? c->through[i] : NULL);
    }
    g_free(c->through);
    g_free(c->days);
    for (size_t s = 0; s < c->nseries; s++) {
        g_free(c->series[s].name);
        g_free(c->series[s].values);
    }
    g_free(c->cats);
    g_free(c->highlight);
    g_free(c->series);
    g_free(c->id);
    g_free(c->title);
    g_free(c->sheet);
    g_free(c->note);
    g_free(c->x_title);
    g_free(c->y_title);
    g_free(c->threshold_label);
    g_free(c->empty_text);
    g_free(c);
}

void obs_doc_free(obs_doc *doc)
{
    if (!doc)
        return;
    for (size_t s = 0; s < doc->nsections; s++) {
        obs_section *sec = &doc->sections[s];
        for (size_t b = 0; b < sec->nblocks; b++) {
            obs_block *blk = &sec->blocks[b];
            g_free(blk->text);
            for (size_t i = 0; i < blk->nitems; i++)
                g_free(blk->items[i]);
            g_free(blk->items);
            table_free(blk->table);
            obs_chart_free(blk->chart);
            front_block_free(blk);
        }
        g_free(sec->blocks);
        g_free(sec->title);
    }
    for (size_t i = 0; i < doc->nextra; i++)
        table_free(doc->extra[i]);
    g_free(doc->extra);
    for (size_t i = 0; i < doc->nabout; i++) {
        g_free(doc->about[i].label);
        g_free(doc->about[i].value);
    }
    g_free(doc->about);
    g_free(doc->sections);
    char **strs[] = {&doc->title, &doc->subject, &doc->author, &doc->creator,
                     &doc->keywords, &doc->header, &doc->lang, &doc->cover.institution,
                     &doc->cover.area, &doc->cover.title, &doc->cover.subtitle,
                     &doc->cover.corte, &doc->cover.place_date, &doc->cover.logo_path};
    for (size_t i = 0; i < G_N_ELEMENTS(strs); i++)
        g_free(*strs[i]);
    g_free(doc);
}

void obs_doc_add_about(obs_doc *doc, const char *label, const char *fmt, ...)
{
    obs_about *a = GROW(doc->about, doc->nabout, doc->cap_about);
    a->label = g_strdup(label ? label : "");
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        a->value = g_strdup_vprintf(fmt, ap);
        va_end(ap);
    }
}

obs_section *obs_doc_add_section(obs_doc *doc, const char *title)
{
    obs_section *sec = GROW(doc->sections, doc->nsections, doc->cap_sections);
    sec->title = g_strdup(title);
    return sec;
}

static obs_block *add_block(obs_section *sec, obs_block_kind kind)
{
    obs_block *b = GROW(sec->blocks, sec->nblocks, sec->cap_blocks);
    b->kind = kind;
    return b;
}

obs_block *obs_section_add_paragraph(obs_section *sec, obs_par_style style,
                                     const char *fmt, ...)
{
    obs_block *b = add_block(sec, OBS_BLOCK_PARAGRAPH);
    b->style = style;
    va_list ap;
    va_start(ap, fmt);
    b->text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return b;
}

obs_block *obs_section_add_list(obs_section *sec, obs_par_style style)
{
    obs_block *b = add_block(sec, OBS_BLOCK_LIST);
    b->style = style;
    return b;
}

void obs_list_add(obs_block *list, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *item = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    list->items = g_renew(char *, list->items, list->nitems + 1);
    list->items[list->nitems++] = item;
}

void obs_section_add_pagebreak(obs_section *sec)
{
    add_block(sec, OBS_BLOCK_PAGEBREAK);
}

static obs_table *table_new(const char *id, const char *title, const char *sheet,
                            size_t ncols)
{
    obs_table *t = g_new0(obs_table, 1);
    t->id = g_strdup(id);
    t->title = g_strdup(title);
    t->sheet = g_strdup(sheet);
    t->targets = sheet ? OBS_TARGET_ALL : OBS_TARGET_PDF;
    t->ncols = ncols;
    t->cols = g_new0(obs_column, ncols);
    return t;
}

obs_table *obs_section_add_table(obs_section *sec, const char *id,
                                 const char *title, const char *sheet,
                                 size_t ncols)
{
    obs_block *b = add_block(sec, OBS_BLOCK_TABLE);
    b->table = table_new(id, title, sheet, ncols);
    return b->table;
}

obs_table *obs_doc_add_extra_table(obs_doc *doc, const char *id,
                                   const char *title, const char *sheet,
                                   size_t ncols)
{
    obs_table **slot = GROW(doc->extra, doc->nextra, doc->cap_extra);
    *slot = table_new(id, title, sheet, ncols);
    (*slot)->targets = OBS_TARGET_XLSX;
    return *slot;
}

void obs_table_set_column(obs_table *t, size_t i, const char *header,
                          obs_align align, double weight)
{
    g_return_if_fail(i < t->ncols);
    obs_set_str(&t->cols[i].header, header);
    t->cols[i].align = align;
    t->cols[i].weight = weight;
}

void obs_table_set_column_description(obs_table *t, size_t i, const char *description)
{
    g_return_if_fail(i < t->ncols);
    obs_set_str(&t->cols[i].description, description);
}

obs_row *obs_table_add_row(obs_table *t, obs_row_kind kind)
{
    obs_row *r = GROW(t->rows, t->nrows, t->cap_rows);
    r->kind = kind;
    r->cells = g_new0(obs_cell, t->ncols);
    return r;
}

static obs_cell *reset_cell(obs_row *r, size_t col, obs_cell_kind kind)
{
    obs_cell *c = &r->cells[col];
    g_free(c->text);
    unsigned flags = c->flags;
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->flags = flags;
    return c;
}

void obs_row_set_text(obs_row *r, size_t col, const char *text)
{
    reset_cell(r, col, OBS_CELL_TEXT)->text = g_strdup(text ? text : "");
}

void obs_row_set_int(obs_row *r, size_t col, int64_t v)
{
    reset_cell(r, col, OBS_CELL_INT)->num = v;
}

void obs_row_set_pct(obs_row *r, size_t col, int64_t num, int64_t den)
{
    obs_cell *c = reset_cell(r, col, OBS_CELL_PCT);
    c->num = num;
    c->den = den;
}

void obs_row_set_delta(obs_row *r, size_t col, int64_t v)
{
    reset_cell(r, col, OBS_CELL_DELTA)->num = v;
}

void obs_row_set_dec(obs_row *r, size_t col, double v, int decimals)
{
    obs_cell *c = reset_cell(r, col, OBS_CELL_DEC);
    c->dec = v;
    c->decimals = decimals;
}

void obs_row_set_date(obs_row *r, size_t col, obs_day d)
{
    reset_cell(r, col, OBS_CELL_DATE)->num = d;
}

void obs_row_flag(obs_row *r, size_t col, unsigned flags)
{
    r->cells[col].flags |= flags;
}

static obs_chart *chart_new(const char *id, const char *title, const char *sheet,
                            obs_chart_kind kind, size_t ncats, size_t nseries)
{
    obs_chart *c = g_new0(obs_chart, 1);
    c->id = g_strdup(id);
    c->title = g_strdup(title);
    c->sheet = g_strdup(sheet);
    c->kind = kind;
    c->ncats = ncats;
    c->cats = g_new0(char *, ncats ? ncats : 1);
    c->highlight = g_new0(bool, ncats ? ncats : 1);
    c->nseries = nseries;
    c->series = g_new0(obs_series, nseries ? nseries : 1);
    for (size_t s = 0; s < nseries; s++)
        c->series[s].values = g_new0(double, ncats ? ncats : 1);
    return c;
}

obs_chart *obs_section_add_chart(obs_section *sec, const char *id,
                                 const char *title, const char *sheet,
                                 obs_chart_kind kind, size_t ncats,
                                 size_t nseries)
{
    obs_block *b = add_block(sec, OBS_BLOCK_CHART);
    b->chart = chart_new(id, title, sheet, kind, ncats, nseries);
    return b->chart;
}

void obs_chart_set_cat(obs_chart *c, size_t i, const char *label)
{
    g_return_if_fail(i < c->ncats);
    obs_set_str(&c->cats[i], label);
}

void obs_chart_set_series(obs_chart *c, size_t s, const char *name)
{
    g_return_if_fail(s < c->nseries);
    obs_set_str(&c->series[s].name, name);
}

void obs_chart_set_threshold(obs_chart *c, double value, const char *label)
{
    c->has_threshold = true;
    c->threshold = value;
    obs_set_str(&c->threshold_label, label);
}

void obs_chart_set_series_category(obs_chart *c, size_t s, obs_category category)
{
    g_return_if_fail(s < c->nseries);
    c->series[s].category = category;
}

void obs_chart_set_cat_day(obs_chart *c, size_t i, obs_day day)
{
    g_return_if_fail(i < c->ncats);
    if (!c->days)
        c->days = g_new0(obs_day, c->ncats);
    c->days[i] = day;
}

void obs_chart_set_fold(obs_chart *c, obs_chart_fold fold)
{
    c->fold = fold;
    if (fold != OBS_FOLD_NONE && !c->through)
        c->through = g_new0(char *, c->ncats ? c->ncats : 1);
}

void obs_chart_set_through(obs_chart *c, size_t i, const char *label)
{
    g_return_if_fail(c->through && i < c->ncats);
    obs_set_str(&c->through[i], label);
}

obs_chart *obs_chart_bounded(const obs_chart *c, size_t max)
{
    if (c->fold == OBS_FOLD_NONE || max == 0 || c->ncats <= max)
        return NULL;
    size_t merged = c->ncats - max + 1; /* categories 0 .. merged-1 become the first one */
    obs_chart *b = chart_new(c->id, c->title, c->sheet, c->kind, max, c->nseries);
    b->note = g_strdup(c->note);
    b->x_title = g_strdup(c->x_title);
    b->y_title = g_strdup(c->y_title);
    b->height = c->height;
    b->has_threshold = c->has_threshold;
    b->threshold = c->threshold;
    b->threshold_label = g_strdup(c->threshold_label);
    b->empty_text = g_strdup(c->empty_text);
    const char *through = c->through[merged - 1];
    b->cats[0] = g_strdup(through ? through : c->cats[merged - 1]);
    for (size_t i = 0; i < merged; i++)
        b->highlight[0] = b->highlight[0] || c->highlight[i];
    for (size_t i = 1; i < max; i++) {
        b->cats[i] = g_strdup(c->cats[merged - 1 + i]);
        b->highlight[i] = c->highlight[merged - 1 + i];
    }
    if (c->days) {
        b->days = g_new0(obs_day, max);
        memcpy(b->days, c->days + merged - 1, max * sizeof(obs_day));
    }
    for (size_t s = 0; s < c->nseries; s++) {
        const double *v = c->series[s].values;
        b->series[s].name = g_strdup(c->series[s].name);
        b->series[s].category = c->series[s].category;
        double head = v[merged - 1];
        if (c->fold == OBS_FOLD_SUM)
            for (size_t i = 0; i + 1 < merged; i++)
                head += v[i];
        b->series[s].values[0] = head;
        memcpy(b->series[s].values + 1, v + merged, (max - 1) * sizeof(double));
    }
    return b;
}

bool obs_chart_integral(const obs_chart *c)
{
    for (size_t s = 0; s < c->nseries; s++)
        for (size_t i = 0; i < c->ncats; i++) {
            double v = c->series[s].values[i];
            if (isfinite(v) && (v != floor(v) || fabs(v) > 1e15))
                return false;
        }
    return true;
}

void obs_chart_value_range(const obs_chart *c, double *lo, double *hi)
{
    *lo = 0.0;
    *hi = 0.0;
    for (size_t s = 0; s < c->nseries; s++)
        for (size_t i = 0; i < c->ncats; i++) {
            double v = c->series[s].values[i];
            if (isfinite(v)) {
                *lo = fmin(*lo, v);
                *hi = fmax(*hi, v);
            }
        }
    if (c->has_threshold && isfinite(c->threshold)) {
        *lo = fmin(*lo, c->threshold);
        *hi = fmax(*hi, c->threshold);
    }
}

double obs_axis_step(double lo, double hi, int target, bool integral)
{
    if (!(hi - lo > 1e-12))
        hi = lo + 1.0;
    double raw = (hi - lo) / (target > 0 ? target : 1);
    double mag = pow(10.0, floor(log10(raw)));
    double f = raw / mag;
    double step = (f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 2.5 ? 2.5 : f <= 5.0 ? 5.0 : 10.0) * mag;
    /* Counts: 2.5 becomes 2 (a few more ticks), anything below 1 becomes 1. */
    if (integral && step != floor(step))
        step = step < 1.0 ? 1.0 : floor(step);
    return step;
}

bool obs_chart_empty(const obs_chart *c)
{
    for (size_t s = 0; s < c->nseries; s++)
        for (size_t i = 0; i < c->ncats; i++)
            if (isfinite(c->series[s].values[i]) && c->series[s].values[i] != 0.0)
                return false;
    return true;
}

/* ---- Front matter and apparatus: executive summary, contents, acronyms, cartogram -------- */

obs_summary *obs_section_add_summary(obs_section *sec, const char *title, const char *sheet)
{
    obs_block *b = add_block(sec, OBS_BLOCK_SUMMARY);
    b->summary = g_new0(obs_summary, 1);
    b->summary->title = g_strdup(title);
    b->summary->sheet = g_strdup(sheet);
    return b->summary;
}

void obs_summary_add_figure(obs_summary *s, const char *label, int64_t value, bool has_prev,
                            int64_t prev, const char *detail)
{
    s->figures = g_renew(obs_figure, s->figures, s->nfigures + 1);
    s->figures[s->nfigures++] = (obs_figure){g_strdup(label), value, has_prev, has_prev ? prev : 0,
                                             detail && *detail ? g_strdup(detail) : NULL};
}

void obs_summary_add_flagged(obs_summary *s, int clave, const char *name, int64_t actions)
{
    s->flagged = g_renew(obs_flagged, s->flagged, s->nflagged + 1);
    s->flagged[s->nflagged++] = (obs_flagged){clave, g_strdup(name), actions};
}

obs_toc *obs_section_add_toc(obs_section *sec, const char *title, bool items)
{
    obs_block *b = add_block(sec, OBS_BLOCK_TOC);
    b->toc = g_new0(obs_toc, 1);
    b->toc->title = g_strdup(title);
    b->toc->items = items;
    return b->toc;
}

obs_glossary *obs_section_add_glossary(obs_section *sec, const char *sheet)
{
    obs_block *b = add_block(sec, OBS_BLOCK_GLOSSARY);
    b->glossary = g_new0(obs_glossary, 1);
    b->glossary->sheet = g_strdup(sheet);
    return b->glossary;
}

void obs_glossary_add(obs_glossary *g, const char *term, const char *meaning)
{
    g->terms = g_renew(char *, g->terms, g->n + 1);
    g->meanings = g_renew(char *, g->meanings, g->n + 1);
    g->terms[g->n] = g_strdup(term);
    g->meanings[g->n++] = g_strdup(meaning);
}

obs_tilemap *obs_section_add_tilemap(obs_section *sec, const char *id, const char *title,
                                     const char *sheet, int nrows, int ncols, size_t ntiles)
{
    obs_block *b = add_block(sec, OBS_BLOCK_TILEMAP);
    obs_tilemap *m = b->map = g_new0(obs_tilemap, 1);
    m->id = g_strdup(id);
    m->title = g_strdup(title);
    m->sheet = g_strdup(sheet);
    m->nrows = nrows;
    m->ncols = ncols;
    m->ntiles = ntiles;
    m->tiles = g_new0(obs_tile, ntiles ? ntiles : 1);
    return m;
}

void obs_tilemap_set_tile(obs_tilemap *m, size_t i, int clave, int row, int col,
                          const char *label, const char *name, int64_t value, bool flagged)
{
    g_return_if_fail(i < m->ntiles);
    obs_tile *t = &m->tiles[i];
    g_free(t->label);
    g_free(t->name);
    *t = (obs_tile){clave, row, col, g_strdup(label), g_strdup(name), value, flagged};
}

static void toc_clear(obs_toc *toc)
{
    for (size_t i = 0; i < toc->nentries; i++)
        g_free(toc->entries[i].text);
    g_free(toc->entries);
    toc->entries = NULL;
    toc->nentries = 0;
}

static void front_block_free(obs_block *b)
{
    if (b->summary) {
        obs_summary *s = b->summary;
        for (size_t i = 0; i < s->nfigures; i++) {
            g_free(s->figures[i].label);
            g_free(s->figures[i].detail);
        }
        for (size_t i = 0; i < s->nflagged; i++)
            g_free(s->flagged[i].name);
        char *strs[] = {s->title, s->sheet, s->intro, s->rejected, s->prev_date, s->flag_title,
                        s->flag_rule, s->flag_none, s->closing};
        for (size_t i = 0; i < G_N_ELEMENTS(strs); i++)
            g_free(strs[i]);
        g_free(s->figures);
        g_free(s->flagged);
        g_free(s);
    }
    if (b->toc) {
        toc_clear(b->toc);
        g_free(b->toc->title);
        g_free(b->toc);
    }
    if (b->glossary) {
        for (size_t i = 0; i < b->glossary->n; i++) {
            g_free(b->glossary->terms[i]);
            g_free(b->glossary->meanings[i]);
        }
        g_free(b->glossary->terms);
        g_free(b->glossary->meanings);
        g_free(b->glossary->sheet);
        g_free(b->glossary);
    }
    if (b->map) {
        obs_tilemap *m = b->map;
        for (size_t i = 0; i < m->ntiles; i++) {
            g_free(m->tiles[i].label);
            g_free(m->tiles[i].name);
        }
        char *strs[] = {m->id, m->title, m->sheet, m->note, m->value_label, m->flag_label,
                        m->other_label};
        for (size_t i = 0; i < G_N_ELEMENTS(strs); i++)
            g_free(strs[i]);
        g_free(m->tiles);
        g_free(m);
    }
}

/* The kinds of numbered items, in the order their groups appear in a table of contents. */
typedef enum item_kind { ITEM_NONE = -1, ITEM_TABLE = 0, ITEM_CHART, ITEM_MAP, ITEM_KINDS } item_kind;

static const struct {
    const char *word;  /* in titles and citations */
    const char *key;   /* in citation placeholders: {{tabla:ID}} */
    const char *group; /* heading in a table of contents */
} item_names[ITEM_KINDS] = {
    [ITEM_TABLE] = {"Tabla", "tabla", "Tablas"},
    [ITEM_CHART] = {"Gráfica", "grafica", "Gráficas"},
    [ITEM_MAP] = {"Mapa", "mapa", "Mapas"},
};

/* Which numbered kind a block is; its title and note fields. */
static item_kind item_of(obs_block *b, char ***title, char ***note, const char **id)
{
    switch (b->kind) {
    case OBS_BLOCK_TABLE:
        if (!b->table || !(b->table->targets & OBS_TARGET_PDF))
            return ITEM_NONE;
        *title = &b->table->title, *note = &b->table->note, *id = b->table->id;
        return ITEM_TABLE;
    case OBS_BLOCK_CHART:
        if (!b->chart)
            return ITEM_NONE;
        *title = &b->chart->title, *note = &b->chart->note, *id = b->chart->id;
        return ITEM_CHART;
    case OBS_BLOCK_TILEMAP:
        *title = &b->map->title, *note = &b->map->note, *id = b->map->id;
        return ITEM_MAP;
    default:
        return ITEM_NONE;
    }
}

void obs_doc_number(obs_doc *doc, const char *source, GHashTable *labels)
{
    int count[ITEM_KINDS] = {0};
    for (size_t s = 0; s < doc->nsections; s++) {
        for (size_t i = 0; i < doc->sections[s].nblocks; i++) {
            char **title = NULL, **note = NULL;
            const char *id = NULL;
            item_kind k = item_of(&doc->sections[s].blocks[i], &title, &note, &id);
            if (k == ITEM_NONE)
                continue;
            char *label = g_strdup_printf("%s %d", item_names[k].word, ++count[k]);
            char *numbered = *title && **title ? g_strdup_printf("%s. %s", label, *title)
                                               : g_strdup_printf("%s.", label);
            g_free(*title);
            *title = numbered;
            if (source && *source) {
                char *n = *note && **note ? g_strdup_printf("%s\n%s", *note, source) : g_strdup(source);
                g_free(*note);
                *note = n;
            }
            char *key = g_strdup_printf("%s:%s", item_names[k].key, id ? id : "");
            if (labels && id && !g_hash_table_contains(labels, key))
                g_hash_table_insert(labels, key, label);
            else
                g_free(key), g_free(label);
        }
    }
}

static void toc_add(obs_toc *toc, int level, const char *text, size_t section, size_t block)
{
    toc->entries = g_renew(obs_toc_entry, toc->entries, toc->nentries + 1);
    toc->entries[toc->nentries++] = (obs_toc_entry){level, g_strdup(text), section, block};
}

static void toc_fill(obs_toc *toc, obs_doc *doc)
{
    toc_clear(toc);
    for (size_t s = 0; s < doc->nsections; s++) {
        obs_section *sec = &doc->sections[s];
        if (sec->title && *sec->title)
            toc_add(toc, 0, sec->title, s, OBS_TOC_HEADING);
        for (size_t i = 0; i < sec->nblocks; i++)
            if (sec->blocks[i].kind == OBS_BLOCK_SUMMARY && sec->blocks[i].summary->title)
                toc_add(toc, 0, sec->blocks[i].summary->title, s, i);
    }
    for (int k = 0; toc->items && k < ITEM_KINDS; k++) {
        bool group = false;
        for (size_t s = 0; s < doc->nsections; s++) {
            for (size_t i = 0; i < doc->sections[s].nblocks; i++) {
                char **title = NULL, **note = NULL;
                const char *id = NULL;
                if (item_of(&doc->sections[s].blocks[i], &title, &note, &id) != (item_kind)k)
                    continue;
                if (!group)
                    toc_add(toc, -1, item_names[k].group, OBS_TOC_HEADING, OBS_TOC_HEADING);
                group = true;
                toc_add(toc, 1, *title ? *title : item_names[k].word, s, i);
            }
        }
    }
}

void obs_doc_build_toc(obs_doc *doc)
{
    for (size_t s = 0; s < doc->nsections; s++)
        for (size_t i = 0; i < doc->sections[s].nblocks; i++)
            if (doc->sections[s].blocks[i].kind == OBS_BLOCK_TOC)
                toc_fill(doc->sections[s].blocks[i].toc, doc);
}
