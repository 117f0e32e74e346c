/* model_dump.c - the report model as text: a cell as the PDF prints it, and the plain-text dump of a document. */
#include "observa/model.h"

#include <glib.h>

const char *obs_cell_format(const obs_cell *c, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    buf[0] = '\0';
    switch (c->kind) {
    case OBS_CELL_EMPTY:
        break;
    case OBS_CELL_TEXT:
        g_strlcpy(buf, c->text ? c->text : "", size);
        break;
    case OBS_CELL_INT:
        obs_fmt_int(buf, size, c->num);
        break;
    case OBS_CELL_PCT:
        obs_fmt_pct(buf, size, c->num, c->den);
        break;
    case OBS_CELL_DELTA:
        obs_fmt_delta(buf, size, c->num);
        break;
    case OBS_CELL_DEC:
        obs_fmt_dec(buf, size, c->dec, c->decimals);
        break;
    case OBS_CELL_DATE:
        obs_fmt_fecha_corta(buf, size, (obs_day)c->num);
        break;
    }
    return buf;
}

static void dump_table(GString *out, const obs_table *t, const char *prefix)
{
    g_string_append_printf(out, "%sTABLA %s \"%s\" hoja=%s filas=%zu\n", prefix, t->id,
                           t->title ? t->title : "", t->sheet ? t->sheet : "-",
                           t->nrows);
    g_string_append_printf(out, "%s  |", prefix);
    for (size_t c = 0; c < t->ncols; c++)
        g_string_append_printf(out, " %s |", t->cols[c].header ? t->cols[c].header : "");
    g_string_append_c(out, '\n');
    char buf[512];
    for (size_t r = 0; r < t->nrows; r++) {
        const obs_row *row = &t->rows[r];
        g_string_append_printf(out, "%s %c%c|", prefix,
                               row->kind == OBS_ROW_TOTAL ? 'T' : ' ',
                               row->marked ? '*' : ' ');
        for (size_t c = 0; c < t->ncols; c++)
            g_string_append_printf(out, " %s |", obs_cell_format(&row->cells[c], buf, sizeof buf));
        g_string_append_c(out, '\n');
    }
    if (t->note)
        g_string_append_printf(out, "%s  nota: %s\n", prefix, t->note);
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static void dump_summary(GString *out, const obs_summary *s)
{
    char v[64], d[64];
    g_string_append_printf(out, "  RESUMEN EJECUTIVO \"%s\" hoja=%s\n", or_empty(s->title),
                           s->sheet ? s->sheet : "-");
    if (s->intro)
        g_string_append_printf(out, "    %s\n", s->intro);
    if (s->rejected)
        g_string_append_printf(out, "    RECHAZOS %s\n", s->rejected);
    for (size_t i = 0; i < s->nfigures; i++) {
        const obs_figure *f = &s->figures[i];
        g_string_append_printf(out, "    CIFRA %s: %s", f->label, obs_fmt_int(v, sizeof v, f->value));
        if (f->has_prev)
            g_string_append_printf(out, " (%s desde %s)", obs_fmt_delta(d, sizeof d, f->value - f->prev),
                                   or_empty(s->prev_date));
        g_string_append_printf(out, "%s%s\n", f->detail ? "; " : "", or_empty(f->detail));
    }
    g_string_append_printf(out, "    SENALADOS (%zu) %s\n", s->nflagged, or_empty(s->flag_title));
    for (size_t i = 0; i < s->nflagged; i++)
        g_string_append_printf(out, "    * %s: %s\n", s->flagged[i].name,
                               obs_fmt_int(v, sizeof v, s->flagged[i].actions));
    const char *after[] = {s->nflagged ? s->flag_rule : s->flag_none, s->closing};
    for (size_t i = 0; i < G_N_ELEMENTS(after); i++)
        if (after[i])
            g_string_append_printf(out, "    %s\n", after[i]);
}

static void dump_map(GString *out, const obs_tilemap *m)
{
    char v[64];
    g_string_append_printf(out, "  MAPA %s \"%s\" hoja=%s %dx%d\n", or_empty(m->id), or_empty(m->title),
                           m->sheet ? m->sheet : "-", m->nrows, m->ncols);
    for (size_t i = 0; i < m->ntiles; i++) {
        const obs_tile *t = &m->tiles[i];
        g_string_append_printf(out, "   %c %02d %s (%d,%d): %s\n", t->flagged ? '*' : ' ', t->clave,
                               or_empty(t->label), t->row, t->col, obs_fmt_int(v, sizeof v, t->value));
    }
    if (m->note)
        g_string_append_printf(out, "    nota: %s\n", m->note);
}

static void front_block_dump(GString *out, const obs_block *b)
{
    switch (b->kind) {
    case OBS_BLOCK_SUMMARY:
        dump_summary(out, b->summary);
        break;
    case OBS_BLOCK_TOC:
        g_string_append_printf(out, "  INDICE \"%s\"\n", or_empty(b->toc->title));
        for (size_t i = 0; i < b->toc->nentries; i++)
            g_string_append_printf(out, "   %*s%s\n", 2 * (b->toc->entries[i].level + 1), "",
                                   b->toc->entries[i].text);
        break;
    case OBS_BLOCK_GLOSSARY:
        for (size_t i = 0; i < b->glossary->n; i++)
            g_string_append_printf(out, "  SIGLA %s: %s\n", b->glossary->terms[i], b->glossary->meanings[i]);
        break;
    case OBS_BLOCK_TILEMAP:
        dump_map(out, b->map);
        break;
    default:
        break;
    }
}

char *obs_doc_dump(const obs_doc *doc)
{
    GString *out = g_string_new(NULL);
    g_string_append_printf(out, "DOCUMENTO \"%s\"\n", doc->title ? doc->title : "");
    const char *cover[] = {doc->cover.institution, doc->cover.area, doc->cover.title,
                           doc->cover.subtitle, doc->cover.corte, doc->cover.place_date};
    for (size_t i = 0; i < G_N_ELEMENTS(cover); i++)
        if (cover[i])
            g_string_append_printf(out, "  portada: %s\n", cover[i]);
    char buf[64];
    for (size_t s = 0; s < doc->nsections; s++) {
        const obs_section *sec = &doc->sections[s];
        g_string_append_printf(out, "SECCION \"%s\"\n", sec->title ? sec->title : "");
        for (size_t b = 0; b < sec->nblocks; b++) {
            const obs_block *blk = &sec->blocks[b];
            switch (blk->kind) {
            case OBS_BLOCK_PARAGRAPH:
                g_string_append_printf(out, "  PARRAFO %s\n", blk->text);
                break;
            case OBS_BLOCK_LIST:
                for (size_t i = 0; i < blk->nitems; i++)
                    g_string_append_printf(out, "  - %s\n", blk->items[i]);
                break;
            case OBS_BLOCK_TABLE:
                dump_table(out, blk->table, "  ");
                break;
            case OBS_BLOCK_CHART: {
                const obs_chart *c = blk->chart;
                g_string_append_printf(out, "  GRAFICA %s \"%s\" categorias=%zu series=%zu\n",
                                       c->id, c->title ? c->title : "", c->ncats, c->nseries);
                for (size_t i = 0; i < c->ncats; i++) {
                    g_string_append_printf(out, "   %c %s:", c->highlight[i] ? '*' : ' ',
                                           c->cats[i] ? c->cats[i] : "");
                    for (size_t k = 0; k < c->nseries; k++)
                        g_string_append_printf(out, " %s", obs_fmt_dec(buf, sizeof buf, c->series[k].values[i], 2));
                    g_string_append_c(out, '\n');
                }
                if (c->has_threshold)
                    g_string_append_printf(out, "    umbral %s (%s)\n",
                                           obs_fmt_dec(buf, sizeof buf, c->threshold, 2),
                                           c->threshold_label ? c->threshold_label : "");
                if (c->empty_text)
                    g_string_append_printf(out, "    sin datos: %s\n", c->empty_text);
                break;
            }
            case OBS_BLOCK_PAGEBREAK:
                g_string_append(out, "  SALTO DE PAGINA\n");
                break;
            case OBS_BLOCK_SUMMARY:
            case OBS_BLOCK_TOC:
            case OBS_BLOCK_GLOSSARY:
            case OBS_BLOCK_TILEMAP:
                front_block_dump(out, blk);
                break;
            }
        }
    }
    for (size_t i = 0; i < doc->nextra; i++)
        dump_table(out, doc->extra[i], "");
    return g_string_free(out, FALSE);
}
