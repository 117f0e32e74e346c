/* render_pdf.c - the PDF's document loop: sections and blocks, a brief tightened to its pages, metadata, the file. */
#include "observa/render.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <hpdf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render/render_pdf_int.h"

/* ---- Blocks ------------------------------------------------------------------ */

/* Turns to a landscape page before a table that needs one (and before its heading). */
static obs_status turn_for(ctx *c, const obs_block *b)
{
    if (!b || b->kind != OBS_BLOCK_TABLE || !b->table || !(b->table->targets & OBS_TARGET_PDF) ||
        !pdf_table_wants_landscape(c, b->table))
        return OBS_OK;
    return pdf_set_orientation(c, true);
}

static bool block_drawn(const obs_block *b)
{
    return !(b->kind == OBS_BLOCK_TABLE && (!b->table || !(b->table->targets & OBS_TARGET_PDF))) &&
           !(b->kind == OBS_BLOCK_CHART && !b->chart);
}

/* Height of the beginning of a block that must share a page with a heading above it. */
static float block_keep_height(ctx *c, const obs_block *b)
{
    if (!b)
        return 0.0f;
    switch (b->kind) {
    case OBS_BLOCK_PARAGRAPH:
    case OBS_BLOCK_LIST:
        return pdf_text_keep_height(c, b);
    case OBS_BLOCK_TABLE:
        return pdf_table_keep_height(c, b->table);
    case OBS_BLOCK_CHART: {
        obs_status ignored;
        return pdf_chart_block(c, b->chart, false, &ignored);
    }
    case OBS_BLOCK_PAGEBREAK:
        break;
    case OBS_BLOCK_SUMMARY:
    case OBS_BLOCK_TOC:
    case OBS_BLOCK_GLOSSARY:
    case OBS_BLOCK_TILEMAP:
        return pdf_front_keep_height(c, b);
    }
    return 0.0f;
}

static obs_status draw_section_heading(ctx *c, const obs_section *sec, const obs_block *next)
{
    obs_status s = turn_for(c, next); /* the heading goes where its table goes */
    if (s != OBS_OK)
        return s;
    return pdf_heading(c, sec->title, block_keep_height(c, next));
}

static obs_status draw_block(ctx *c, const obs_block *b, const obs_block *next)
{
    if (b->kind == OBS_BLOCK_PAGEBREAK) {
        c->want_break = true;
        return OBS_OK;
    }
    obs_status s = pdf_flush_break(c);
    if (s != OBS_OK)
        return s;
    switch (b->kind) {
    case OBS_BLOCK_PARAGRAPH:
        if (b->style == OBS_PAR_HEADING) {
            s = turn_for(c, next); /* a heading goes where its table goes */
            if (s != OBS_OK)
                return s;
            tstyle st = pdf_par_style(b->style);
            float h = pdf_text_block(c, b->text, &st, c->x0, text_w(c), 0.0f, false);
            s = pdf_need(c, 6.0f + h + block_keep_height(c, next));
        }
        return s != OBS_OK ? s : pdf_draw_paragraph(c, b);
    case OBS_BLOCK_LIST:
        return pdf_draw_list(c, b);
    case OBS_BLOCK_TABLE:
        s = turn_for(c, b);
        if (s == OBS_OK)
            s = pdf_draw_table(c, b->table);
        /* What follows a landscape table starts a portrait page. */
        return s != OBS_OK ? s : pdf_set_orientation(c, false);
    case OBS_BLOCK_CHART:
        pdf_chart_block(c, b->chart, true, &s);
        return s;
    case OBS_BLOCK_PAGEBREAK:
        break;
    case OBS_BLOCK_SUMMARY:
    case OBS_BLOCK_TOC:
    case OBS_BLOCK_GLOSSARY:
    case OBS_BLOCK_TILEMAP:
        return pdf_front_block(c, b);
    }
    return OBS_OK;
}

/* Bytes in a page's content stream so far: whether something was drawn on it. */
static HPDF_UINT page_ink(HPDF_Page p)
{
    return HPDF_Stream_Size(((HPDF_PageAttr)p->attr)->stream);
}

/*
 * Draws a block and records the page it starts on: the page it was on before, unless it left
 * that page untouched (it moved to a new page first) — whatever rule moved it.
 */
static obs_status draw_block_marked(ctx *c, const obs_block *b, const obs_block *next)
{
    unsigned before = c->pages->len;
    HPDF_UINT ink = page_ink(c->page);
    obs_status s = draw_block(c, b, next);
    bool here = c->pages->len == before || page_ink(g_ptr_array_index(c->pages, before - 1)) != ink;
    pdf_front_mark(c, b, here ? before : before + 1);
    return s;
}

static const obs_block *next_drawn(const obs_section *sec, size_t from)
{
    for (size_t i = from; i < sec->nblocks; i++)
        if (block_drawn(&sec->blocks[i]))
            return &sec->blocks[i];
    return NULL;
}

/* ---- Letters: the signature block stays whole ------------------------------------ */

/* Where a letter's signature block starts in a section: the first centred paragraph ("A T E N T A
 * M E N T E"), with the short closing paragraph before it ("Sin otro particular…"); or nblocks. */
static size_t letter_closing(ctx *c, const obs_section *sec)
{
    for (size_t i = 0; i < sec->nblocks; i++) {
        const obs_block *b = &sec->blocks[i];
        if (b->kind != OBS_BLOCK_PARAGRAPH || b->style != OBS_PAR_CENTER)
            continue;
        const obs_block *before = i > 0 ? &sec->blocks[i - 1] : NULL;
        bool closing_line =
            before && before->kind == OBS_BLOCK_PARAGRAPH && before->style == OBS_PAR_NORMAL &&
            pdf_text_height(c, before) <= 2.0f * BODY_LEADING + pdf_par_style(OBS_PAR_NORMAL).space_after;
        return closing_line ? i - 1 : i;
    }
    return sec->nblocks;
}

/* A letter's signature block and what follows it in its section (the validation note, the c.c.p.
 * list) up to a table, a chart or a page break, move to the next page together when they do not
 * fit below the cursor: a signature never ends a page without its c.c.p. One taller than a page
 * flows as usual. */
static obs_status keep_closing(ctx *c, const obs_section *sec, size_t from)
{
    float h = 0.0f;
    for (size_t i = from; i < sec->nblocks; i++) {
        const obs_block *b = &sec->blocks[i];
        float bh = block_drawn(b) ? pdf_text_height(c, b) : 0.0f;
        if (bh < 0.0f)
            break;
        h += bh;
    }
    obs_status s = pdf_flush_break(c);
    return s == OBS_OK && h <= c->ytop - c->ybot ? pdf_need(c, h) : s;
}

/* ---- Sections ------------------------------------------------------------------ */

static obs_status draw_section(ctx *c, const obs_section *sec)
{
    if (sec->new_page)
        c->want_break = true;
    obs_status s = OBS_OK;
    if (sec->title && *sec->title) {
        s = pdf_flush_break(c);
        if (s == OBS_OK)
            s = draw_section_heading(c, sec, next_drawn(sec, 0));
        pdf_front_mark(c, sec, c->pages->len);
    }
    size_t closing = c->doc->layout == OBS_LAYOUT_LETTER ? letter_closing(c, sec) : sec->nblocks;
    for (size_t i = 0; s == OBS_OK && i < sec->nblocks; i++) {
        const obs_block *b = &sec->blocks[i];
        if (i == closing)
            s = keep_closing(c, sec, i);
        if (s == OBS_OK && block_drawn(b))
            s = draw_block_marked(c, b, next_drawn(sec, i + 1));
    }
    return s;
}

/* ---- Document ---------------------------------------------------------------- */

static obs_status set_info(ctx *c, HPDF_InfoType type, const char *utf8)
{
    if (!utf8 || !*utf8)
        return OBS_OK;
    char *t = pdf_to_cp1252(utf8);
    HPDF_SetInfoAttr(c->pdf, type, t); /* written as UTF-16 through the current encoder */
    g_free(t);
    return pdf_check(c, "escribir los metadatos");
}

/* Creation and modification dates in Mexico City time (UTC-06:00, no DST since 2022). */
static obs_status set_dates(ctx *c)
{
    GDateTime *dt = g_date_time_new_from_unix_utc(c->doc->generated_at - 6 * 3600);
    if (!dt)
        return obs_error_set(c->err, OBS_ERR_INTERNAL, c->path, 0, 0,
                             "fecha de generación fuera de rango: %lld",
                             (long long)c->doc->generated_at);
    HPDF_Date d = {g_date_time_get_year(dt), g_date_time_get_month(dt),
                   g_date_time_get_day_of_month(dt), g_date_time_get_hour(dt),
                   g_date_time_get_minute(dt), g_date_time_get_second(dt), '-', 6, 0};
    g_date_time_unref(dt);
    HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_CREATION_DATE, d);
    HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_MOD_DATE, d);
    return pdf_check(c, "escribir las fechas del documento");
}

static obs_status set_metadata(ctx *c)
{
    const obs_doc *d = c->doc;
    obs_status s = set_info(c, HPDF_INFO_TITLE, d->title);
    if (s == OBS_OK)
        s = set_info(c, HPDF_INFO_SUBJECT, d->subject);
    if (s == OBS_OK)
        s = set_info(c, HPDF_INFO_AUTHOR, d->author);
    if (s == OBS_OK)
        s = set_info(c, HPDF_INFO_CREATOR, d->creator);
    if (s == OBS_OK)
        s = set_info(c, HPDF_INFO_KEYWORDS, d->keywords);
    if (s == OBS_OK)
        s = set_dates(c);
    if (s == OBS_OK && c->outlines)
        HPDF_SetPageMode(c->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    return s == OBS_OK ? pdf_check(c, "escribir los metadatos") : s;
}

static obs_status setup(ctx *c, const char *regular, const char *bold)
{
    /* Page content and images are compressed; the embedded font subsets are not: deflating
     * them took a quarter of the rendering time for about 50 KB less per file. */
    HPDF_SetCompressionMode(c->pdf, HPDF_COMP_TEXT | HPDF_COMP_IMAGE);
    HPDF_SetCurrentEncoder(c->pdf, "CP1252");
    obs_status s = pdf_check(c, "preparar el documento");
    if (s == OBS_OK)
        s = pdf_load_font(c, regular, &c->reg);
    if (s == OBS_OK)
        s = pdf_load_font(c, bold, &c->bold);
    if (s != OBS_OK)
        return s;
    c->enc = HPDF_GetEncoder(c->pdf, "CP1252");
    if (!c->enc)
        return pdf_error(c, "preparar la codificación CP1252");
    if (c->doc->paper == OBS_PAPER_A4) {
        c->pw = 595.28f;
        c->ph = 841.89f;
    } else {
        c->pw = 612.0f;
        c->ph = 792.0f;
    }
    c->x0 = MARGIN_SIDE;
    c->x1 = c->pw - MARGIN_SIDE;
    c->ytop = c->ph - MARGIN_TOP;
    c->ybot = MARGIN_BOTTOM;
    return OBS_OK;
}

static obs_status layout_document(ctx *c)
{
    const obs_doc *d = c->doc;
    obs_status s = pdf_page_new(c);
    if (s != OBS_OK)
        return s;
    switch (d->layout) {
    case OBS_LAYOUT_REPORT:
        pdf_draw_cover(c);
        if (d->nsections > 0)
            s = pdf_page_new(c);
        break;
    case OBS_LAYOUT_BRIEF:
        pdf_draw_title_block(c);
        break;
    case OBS_LAYOUT_LETTER:
        pdf_draw_letterhead(c);
        break;
    }
    for (size_t i = 0; s == OBS_OK && i < d->nsections; i++)
        s = draw_section(c, &d->sections[i]);
    if (s == OBS_OK)
        s = pdf_front_finish(c);
    return s == OBS_OK ? pdf_check(c, "componer el documento") : s;
}

static obs_status write_file(ctx *c, const HPDF_BYTE *buf, size_t size)
{
    FILE *f = g_fopen(c->path, "wb");
    if (!f)
        return obs_error_set(c->err, OBS_ERR_IO, c->path, 0, 0,
                             "no se puede crear el PDF: %s", obs_strerror(errno));
    int e = 0;
    if (fwrite(buf, 1, size, f) != size)
        e = errno ? errno : EIO;
    if (fclose(f) != 0 && !e)
        e = errno ? errno : EIO;
    if (e) {
        g_remove(c->path); /* we created it: never leave a truncated PDF behind */
        return obs_error_set(c->err, OBS_ERR_IO, c->path, 0, 0,
                             "no se pudo escribir el PDF: %s", obs_strerror(e));
    }
    return OBS_OK;
}

/* Serialises in memory first, so a libharu failure never touches the file. */
static obs_status save(ctx *c)
{
    if (HPDF_SaveToStream(c->pdf) != HPDF_OK)
        return pdf_error(c, "generar el PDF");
    HPDF_UINT32 size = HPDF_GetStreamSize(c->pdf), got = size;
    HPDF_BYTE *buf = g_malloc(size ? size : 1);
    HPDF_STATUS rs = HPDF_ReadFromStream(c->pdf, buf, &got);
    obs_status s;
    if ((rs != HPDF_OK && rs != HPDF_STREAM_EOF) || got != size || size == 0)
        s = pdf_error(c, "leer el PDF generado");
    else
        s = write_file(c, buf, size);
    g_free(buf);
    return s;
}

/* Densities a brief is tried at, loosest first, until it fits OBS_PDF_BRIEF_MAX_PAGES (reports.md
 * §3); a short table is never split to make it fit, and a chart keeps at least CHART_MIN_DENS
 * (render_pdf_chart.c) of its height. */
static const float BRIEF_DENSITIES[] = {1.0f, 0.85f, 0.7f, 0.55f, 0.4f};

/* One layout of the whole document at a density; c->pdf is new and laid out on success. */
static obs_status lay_out(ctx *c, const char *regular, const char *bold, float dens)
{
    c->dens = dens;
    c->pdf = HPDF_New(pdf_on_error, &c->hs);
    if (!c->pdf)
        return obs_error_set(c->err, OBS_ERR_NOMEM, c->path, 0, 0,
                             "memoria insuficiente para crear el PDF");
    obs_status s = setup(c, regular, bold);
    if (s == OBS_OK)
        s = pdf_load_logo(c);
    if (s == OBS_OK)
        s = layout_document(c);
    return s;
}

/* Forgets a layout so that the document can be laid out again. */
static void discard(ctx *c)
{
    if (c->pdf)
        HPDF_Free(c->pdf);
    c->pdf = NULL;
    c->page = NULL;
    c->logo = NULL;
    c->outlines = false;
    c->land = false;
    c->hs = (hpdf_state){0};
    g_ptr_array_set_size(c->pages, 0);
}

obs_status obs_render_pdf(const obs_doc *doc, const obs_fonts *fonts, const char *path, obs_error *err)
{
    if (!doc || !path || !*path)
        return obs_error_set(err, OBS_ERR_USAGE, path, 0, 0,
                             "obs_render_pdf: falta el documento o la ruta del PDF");
    ctx c;
    memset(&c, 0, sizeof c);
    c.doc = doc;
    c.path = path;
    c.err = err;
    obs_fonts *own = NULL;
    obs_status s = fonts ? OBS_OK : obs_fonts_find(&own, err);
    const char *regular = s == OBS_OK ? pdf_fonts_regular(fonts ? fonts : own) : NULL;
    const char *bold = s == OBS_OK ? pdf_fonts_bold(fonts ? fonts : own) : NULL;
    c.pages = g_ptr_array_new();
    /* A brief (a per-OPL summary) is at most two pages (reports.md §3): when its content runs
     * over, it is laid out again with tighter vertical spacing. */
    size_t tries = doc->layout == OBS_LAYOUT_BRIEF ? G_N_ELEMENTS(BRIEF_DENSITIES) : 1;
    for (size_t i = 0; s == OBS_OK && i < tries; i++) {
        if (i > 0)
            discard(&c);
        s = lay_out(&c, regular, bold, BRIEF_DENSITIES[i]);
        if (s != OBS_OK || c.pages->len <= OBS_PDF_BRIEF_MAX_PAGES)
            break;
        if (i + 1 == tries) { /* it cannot fit: it keeps its pages, as designed */
            discard(&c);
            s = lay_out(&c, regular, bold, BRIEF_DENSITIES[0]);
        }
    }
    if (s == OBS_OK)
        s = pdf_decorate_pages(&c);
    if (s == OBS_OK)
        s = set_metadata(&c);
    if (s == OBS_OK)
        s = save(&c);
    if (c.pdf)
        HPDF_Free(c.pdf);
    g_ptr_array_free(c.pages, TRUE);
    pdf_front_free(&c);
    obs_fonts_free(own);
    return s;
}
