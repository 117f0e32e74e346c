/* render_pdf_paragraph.c - running text of the PDF: paragraphs and lists across pages, text blocks, headings. */
#include <glib.h>
#include <hpdf.h>
#include <math.h>

#include "render/render_pdf_int.h"

/* ---- Paragraphs and lists ---------------------------------------------------- */

/* The look of a paragraph style: bold, size, leading, colour, alignment, space after. */
tstyle pdf_par_style(obs_par_style s)
{
    const tstyle styles[] = {
        [OBS_PAR_NORMAL] = {false, BODY_SIZE, BODY_LEADING, COL_TEXT, AL_JUSTIFY, 6.0f},
        [OBS_PAR_NOTE] = {false, NOTE_SIZE, NOTE_LEADING, COL_MUTED, AL_LEFT, 5.0f},
        [OBS_PAR_STRONG] = {true, BODY_SIZE, BODY_LEADING, COL_TEXT, AL_LEFT, 6.0f},
        [OBS_PAR_RIGHT] = {false, BODY_SIZE, BODY_LEADING, COL_TEXT, AL_RIGHT, 6.0f},
        [OBS_PAR_CENTER] = {false, BODY_SIZE, BODY_LEADING, COL_TEXT, AL_CENTER, 6.0f},
        [OBS_PAR_HEADING] = {true, SUBHEAD_SIZE, SUBHEAD_LEADING, COL_PRIMARY, AL_LEFT, 3.0f},
    };
    return (unsigned)s < G_N_ELEMENTS(styles) ? styles[s] : styles[OBS_PAR_NORMAL];
}

void pdf_draw_line(ctx *c, const tstyle *st, const line *ln, float x, float w, float top)
{
    HPDF_Font f = font_of(c, st->bold);
    float base = top - pdf_baseline_drop(st->size, st->leading);
    float lx = x, ws = 0.0f;
    if (st->align == AL_RIGHT) {
        lx = x + w - ln->width;
    } else if (st->align == AL_CENTER) {
        lx = x + (w - ln->width) / 2.0f;
    } else if (st->align == AL_JUSTIFY && !ln->last) {
        unsigned gaps = 0;
        for (const char *p = ln->text; *p; p++)
            gaps += *p == ' ';
        /* A line with few, long words is left ragged rather than stretched apart. */
        if (gaps > 0 && w > ln->width) {
            ws = (w - ln->width) / (float)gaps;
            if (ws > st->size * 0.6f)
                ws = 0.0f;
        }
    }
    pdf_show_text(c->page, f, st->size, st->color, lx, base, ln->text, ws);
}

/*
 * Draws wrapped lines from the cursor, breaking pages between lines. Keeps at
 * least two lines of a paragraph together at the bottom and at the top of a
 * page (no orphans, no widows). The bullet, if any, goes with the first line.
 */
obs_status pdf_draw_lines(ctx *c, const GArray *lines, const tstyle *st, float x, float w,
                          const char *bullet, float bullet_x)
{
    size_t n = lines->len, i = 0;
    while (i < n) {
        float room = c->y - c->ybot;
        size_t fit = room > 0.0f ? (size_t)floorf(room / st->leading + 0.001f) : 0;
        size_t left = n - i;
        if (fit < left && !c->fresh) {
            if (fit == 0 || (fit < 2 && left >= 2)) {
                obs_status s = pdf_page_new(c);
                if (s != OBS_OK)
                    return s;
                continue;
            }
            if (left - fit == 1 && fit >= 3)
                fit--;
        }
        if (fit == 0)
            fit = 1; /* an empty page that cannot hold one line: draw anyway */
        size_t take = fit < left ? fit : left;
        for (size_t k = 0; k < take; k++) {
            if (bullet && i + k == 0)
                pdf_show_text(c->page, font_of(c, st->bold), st->size, st->color, bullet_x,
                              c->y - pdf_baseline_drop(st->size, st->leading), bullet, 0.0f);
            pdf_draw_line(c, st, &g_array_index(lines, line, i + k), x, w, c->y);
            c->y -= st->leading;
        }
        c->fresh = false;
        i += take;
        if (i < n) {
            obs_status s = pdf_page_new(c);
            if (s != OBS_OK)
                return s;
        }
    }
    return pdf_check(c, "dibujar un párrafo");
}

/* Draws text that must stay in one place (cover, titles, chart captions): no
 * page breaks. With draw false it only measures. Returns the height used. */
float pdf_text_block(ctx *c, const char *utf8, const tstyle *st, float x, float w,
                     float top, bool draw)
{
    if (!utf8 || !*utf8)
        return 0.0f;
    GArray *lines = pdf_wrap_utf8(c, st, utf8, w);
    float h = (float)lines->len * st->leading;
    if (draw)
        for (guint i = 0; i < lines->len; i++)
            pdf_draw_line(c, st, &g_array_index(lines, line, i), x, w, top - (float)i * st->leading);
    g_array_free(lines, TRUE);
    return h;
}

obs_status pdf_draw_paragraph(ctx *c, const obs_block *b)
{
    tstyle st = pdf_par_style(b->style);
    if (b->style == OBS_PAR_HEADING)
        pdf_space(c, 6.0f);
    GArray *lines = pdf_wrap_utf8(c, &st, b->text, text_w(c));
    obs_status s = pdf_draw_lines(c, lines, &st, c->x0, text_w(c), NULL, 0.0f);
    g_array_free(lines, TRUE);
    pdf_space(c, st.space_after);
    return s;
}

obs_status pdf_draw_list(ctx *c, const obs_block *b)
{
    tstyle st = pdf_par_style(b->style);
    if (st.align == AL_JUSTIFY)
        st.align = AL_LEFT; /* stretched bullet items read badly */
    float x = c->x0 + LIST_INDENT, w = text_w(c) - LIST_INDENT;
    for (size_t i = 0; i < b->nitems; i++) {
        GArray *lines = pdf_wrap_utf8(c, &st, b->items[i], w);
        obs_status s = pdf_draw_lines(c, lines, &st, x, w, CP_BULLET, c->x0 + 3.0f);
        g_array_free(lines, TRUE);
        if (s != OBS_OK)
            return s;
        pdf_space(c, 2.5f);
    }
    pdf_space(c, st.space_after);
    return OBS_OK;
}

/* ---- Styles of captions and notes (tables, charts, maps) ------------------------- */

tstyle pdf_caption_style(void)
{
    tstyle st = {true, CAPTION_SIZE, CAPTION_LEADING, COL_TEXT, AL_LEFT, 0.0f};
    return st;
}

tstyle pdf_small_note_style(void)
{
    tstyle st = {false, SMALL_SIZE, SMALL_LEADING, COL_MUTED, AL_LEFT, 0.0f};
    return st;
}

/* ---- Section headings ---------------------------------------------------------- */

static obs_status add_outline(ctx *c, const char *title_cp, float top)
{
    HPDF_Outline o = HPDF_CreateOutline(c->pdf, NULL, title_cp, c->enc);
    if (!o)
        return pdf_error(c, "crear un marcador");
    HPDF_Destination d = HPDF_Page_CreateDestination(c->page);
    if (!d)
        return pdf_error(c, "crear el destino de un marcador");
    HPDF_Destination_SetFitH(d, fminf(top, c->ph));
    HPDF_Outline_SetDestination(o, d);
    c->outlines = true;
    return pdf_check(c, "crear un marcador");
}

/* A section's heading at the cursor, with a rule under it and a bookmark; it moves to a new page
 * unless keep points of what follows it (render_pdf.c) fit below it too. */
obs_status pdf_heading(ctx *c, const char *title, float keep)
{
    tstyle st = {true, SECTION_SIZE, SECTION_LEADING, COL_PRIMARY, AL_LEFT, 0.0f};
    char *t = pdf_to_cp1252(title);
    GArray *lines = pdf_wrap_text(c->bold, st.size, t, text_w(c), true);
    float h = (float)lines->len * st.leading + 8.0f;
    obs_status s = pdf_need(c, 16.0f * c->dens + h + keep);
    if (s == OBS_OK) {
        pdf_space(c, 16.0f);
        float top = c->y;
        for (guint i = 0; i < lines->len; i++) {
            pdf_draw_line(c, &st, &g_array_index(lines, line, i), c->x0, text_w(c), c->y);
            c->y -= st.leading;
        }
        pdf_stroke_line(c->page, COL_PRIMARY_TINT, 1.0f, c->x0, c->y - 1.5f, c->x1, c->y - 1.5f);
        c->y -= 8.0f;
        c->fresh = false;
        s = add_outline(c, t, top + 6.0f);
    }
    g_array_free(lines, TRUE);
    g_free(t);
    return s;
}

/* ---- Heights, for the rules that keep text together (render_pdf.c) -------------- */

/* Height of a paragraph or a list as pdf_draw_paragraph() and pdf_draw_list() lay it out, with the
 * space after it; -1 for any other block. */
float pdf_text_height(ctx *c, const obs_block *b)
{
    tstyle st = pdf_par_style(b->style);
    if (b->kind == OBS_BLOCK_PARAGRAPH) {
        GArray *lines = pdf_wrap_utf8(c, &st, b->text, text_w(c));
        float h = (float)lines->len * st.leading + st.space_after + (b->style == OBS_PAR_HEADING ? 6.0f : 0.0f);
        g_array_free(lines, TRUE);
        return h;
    }
    if (b->kind != OBS_BLOCK_LIST)
        return -1.0f;
    float h = st.space_after;
    for (size_t i = 0; i < b->nitems; i++) {
        GArray *lines = pdf_wrap_utf8(c, &st, b->items[i], text_w(c) - LIST_INDENT);
        h += (float)lines->len * st.leading + 2.5f;
        g_array_free(lines, TRUE);
    }
    return h;
}

/* Height of the beginning of a paragraph or a list that must share a page with a heading above it:
 * two lines (a subheading, with the first lines of what follows it); 0 for any other block. */
float pdf_text_keep_height(ctx *c, const obs_block *b)
{
    if (b->kind == OBS_BLOCK_PARAGRAPH) {
        tstyle st = pdf_par_style(b->style);
        GArray *lines = pdf_wrap_utf8(c, &st, b->text, text_w(c));
        float h = (float)(lines->len < 2 ? lines->len : 2) * st.leading;
        g_array_free(lines, TRUE);
        /* A subheading itself needs the first lines of what follows. */
        return b->style == OBS_PAR_HEADING ? h + 6.0f + 2.0f * BODY_LEADING : h;
    }
    if (b->kind != OBS_BLOCK_LIST || b->nitems == 0)
        return 0.0f;
    tstyle st = pdf_par_style(b->style);
    GArray *lines = pdf_wrap_utf8(c, &st, b->items[0], text_w(c) - LIST_INDENT);
    float h = (float)(lines->len < 2 ? lines->len : 2) * st.leading;
    g_array_free(lines, TRUE);
    return h;
}
