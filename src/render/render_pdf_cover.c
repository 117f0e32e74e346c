/* render_pdf_cover.c - the PDF's first page (cover, title block, letterhead, logo), running heads and footers. */
#include <glib.h>
#include <hpdf.h>
#include <math.h>
#include <string.h>

#include "render/render_pdf_int.h"
#include "util/image_int.h"

#define HEADER_BASELINE (23.0f * PT_PER_MM)
#define HEADER_RULE (24.6f * PT_PER_MM)
#define FOOTER_BASELINE (21.0f * PT_PER_MM)

/* ---- The logo: checked (util/image_int.h), then loaded ----------------------------- */

/* Loads the optional logo (PNG or JPEG, told by content) from memory, so the
 * bytes checked are the bytes loaded. Any problem is a configuration error
 * naming the file. */
obs_status pdf_load_logo(ctx *c)
{
    const char *path = c->doc->cover.logo_path;
    if (!path || !*path)
        return OBS_OK;
    gchar *data = NULL;
    gsize n = 0;
    GError *e = NULL;
    if (!g_file_get_contents(path, &data, &n, &e)) {
        obs_status s = obs_error_set(c->err, OBS_ERR_CONFIG, path, 0, 0,
                                     "no se puede leer el logotipo: %s", obs_gerror_str(e));
        g_error_free(e);
        return s;
    }
    const guchar *d = (const guchar *)data;
    obs_status s = OBS_OK;
    obs_image_kind kind = OBS_IMAGE_NONE;
    s = obs_image_check(d, n, path, &kind, c->err);
    if (s == OBS_OK && kind == OBS_IMAGE_PNG)
        c->logo = HPDF_LoadPngImageFromMem(c->pdf, d, (HPDF_UINT)n);
    else if (s == OBS_OK)
        c->logo = HPDF_LoadJpegImageFromMem(c->pdf, d, (HPDF_UINT)n);
    g_free(data);
    if (s == OBS_OK && (!c->logo || failed(c) || HPDF_Image_GetWidth(c->logo) == 0 ||
                        HPDF_Image_GetHeight(c->logo) == 0))
        s = obs_error_set(c->err, OBS_ERR_CONFIG, path, 0, 0,
                          "libharu no pudo cargar el logotipo (error 0x%04X); "
                          "use un PNG o JPEG válido",
                          (unsigned)c->hs.error_no);
    return s;
}

/* ---- First page: cover, title block, letterhead ---------------------------------- */

/* Draws the logo with its top at `top`, at most max_w × max_h; returns its size. */
static void draw_logo(ctx *c, float x, float top, float max_w, float max_h, halign al,
                      float *w_out, float *h_out)
{
    float iw = (float)HPDF_Image_GetWidth(c->logo), ih = (float)HPDF_Image_GetHeight(c->logo);
    float h = max_h, w = h * iw / ih;
    if (w > max_w) {
        w = max_w;
        h = w * ih / iw;
    }
    float lx = al == AL_CENTER ? x + (max_w - w) / 2.0f : x;
    HPDF_Page_DrawImage(c->page, c->logo, lx, top - h, w, h);
    *w_out = w;
    *h_out = h;
}

/* Centred, wrapped text in [x, x+w]; returns the y below it. */
static float centred_in(ctx *c, const char *utf8, bool bold, float size, float leading, rgb col,
                        float x, float w, float top)
{
    tstyle st = {bold, size, leading, col, AL_CENTER, 0.0f};
    return top - pdf_text_block(c, utf8, &st, x, w, top, true);
}

static float centred(ctx *c, const char *utf8, bool bold, float size, float leading, rgb col,
                     float top)
{
    return centred_in(c, utf8, bold, size, leading, col, c->x0, text_w(c), top);
}

void pdf_draw_cover(ctx *c)
{
    const obs_cover *cv = &c->doc->cover;
    float W = text_w(c), cx = (c->x0 + c->x1) / 2.0f;
    float y = c->ytop;
    if (c->logo) {
        float lw, lh;
        draw_logo(c, c->x0 + W * 0.25f, y, W * 0.5f, 40.0f * PT_PER_MM, AL_CENTER, &lw, &lh);
        y -= lh + 18.0f;
    }
    y = centred(c, cv->institution, true, 15.0f, 19.0f, COL_TEXT, y);
    y = centred(c, cv->area, false, 12.0f, 16.0f, COL_TEXT, y - 2.0f);
    y -= 12.0f;
    pdf_stroke_line(c->page, COL_PRIMARY, 1.5f, cx - W * 0.3f, y, cx + W * 0.3f, y);

    /* The title sits a little above the middle of the page, or below the top block. */
    float ty = fminf(y - 60.0f, c->ph * 0.64f);
    ty = centred(c, cv->title, true, 24.0f, 30.0f, COL_PRIMARY, ty);
    ty = centred(c, cv->subtitle, false, 14.0f, 18.0f, COL_TEXT, ty - 14.0f);
    centred(c, cv->corte, false, 12.0f, 16.0f, COL_MUTED, ty - 8.0f);

    if (cv->place_date && *cv->place_date) {
        float base_top = c->ybot + 16.0f;
        pdf_stroke_line(c->page, COL_PRIMARY, 0.8f, cx - W * 0.3f, base_top + 14.0f,
                        cx + W * 0.3f, base_top + 14.0f);
        centred(c, cv->place_date, false, 11.0f, 14.0f, COL_TEXT, base_top);
    }
    c->fresh = false;
}

/* BRIEF: institution, area, rule, title, subtitle, corte at the top of page 1. */
void pdf_draw_title_block(ctx *c)
{
    const obs_cover *cv = &c->doc->cover;
    float W = text_w(c), x = c->x0, y = c->y, logo_h = 0.0f;
    if (c->logo) {
        float lw;
        draw_logo(c, c->x0, y, W * 0.3f, 16.0f * PT_PER_MM, AL_LEFT, &lw, &logo_h);
        x += lw + 10.0f; /* the text starts beside the logo */
        W -= lw + 10.0f;
    }
    tstyle inst = {true, 10.5f, 13.5f, COL_TEXT, AL_LEFT, 0.0f};
    tstyle area = {false, 9.5f, 12.5f, COL_MUTED, AL_LEFT, 0.0f};
    float top = y;
    y -= pdf_text_block(c, cv->institution, &inst, x, W, y, true);
    y -= pdf_text_block(c, cv->area, &area, x, W, y, true);
    if (c->logo)
        y = fminf(y, top - logo_h);
    y -= 5.0f;
    pdf_stroke_line(c->page, COL_PRIMARY, 1.0f, c->x0, y, c->x1, y);
    y -= 12.0f;
    tstyle title = {true, 17.0f, 21.0f, COL_PRIMARY, AL_LEFT, 0.0f};
    tstyle sub = {false, 11.5f, 15.0f, COL_TEXT, AL_LEFT, 0.0f};
    tstyle corte = {false, 9.5f, 12.5f, COL_MUTED, AL_LEFT, 0.0f};
    y -= pdf_text_block(c, cv->title, &title, c->x0, text_w(c), y, true);
    y -= pdf_text_block(c, cv->subtitle, &sub, c->x0, text_w(c), y - 2.0f, true) + 2.0f;
    y -= pdf_text_block(c, cv->corte, &corte, c->x0, text_w(c), y - 2.0f, true) + 2.0f;
    c->y = y - 10.0f;
    c->fresh = false;
}

/* LETTER: centred institution and area over a rule, logo at the left. */
void pdf_draw_letterhead(ctx *c)
{
    const obs_cover *cv = &c->doc->cover;
    float top = c->y, y = top, logo_h = 0.0f, inset = 0.0f;
    if (c->logo) {
        float lw;
        draw_logo(c, c->x0, top, text_w(c) * 0.25f, 16.0f * PT_PER_MM, AL_LEFT, &lw, &logo_h);
        inset = lw + 8.0f; /* both sides, so the text stays centred on the page */
    }
    float x = c->x0 + inset, w = text_w(c) - 2.0f * inset;
    y = centred_in(c, cv->institution, true, 13.0f, 16.5f, COL_TEXT, x, w, y);
    y = centred_in(c, cv->area, false, 10.0f, 13.0f, COL_MUTED, x, w, y);
    y = fminf(y, top - logo_h) - 6.0f;
    pdf_stroke_line(c->page, COL_PRIMARY, 1.0f, c->x0, y, c->x1, y);
    c->y = y - 18.0f;
    c->fresh = false;
}

/* ---- Running header and footer (after layout, when the page count is known) */

/* Header and footer follow each page's own size: a landscape page is wider. */
static void draw_header(ctx *c, HPDF_Page p)
{
    float x1 = HPDF_Page_GetWidth(p) - MARGIN_SIDE, ph = HPDF_Page_GetHeight(p);
    char *t = pdf_to_cp1252(c->doc->header);
    char *fit = pdf_fit_label(c->reg, SMALL_SIZE, t, x1 - MARGIN_SIDE);
    pdf_show_text(p, c->reg, SMALL_SIZE, COL_MUTED, MARGIN_SIDE, ph - HEADER_BASELINE, fit, 0.0f);
    pdf_stroke_line(p, COL_RULE, 0.5f, MARGIN_SIDE, ph - HEADER_RULE, x1, ph - HEADER_RULE);
    g_free(fit);
    g_free(t);
}

static void draw_footer(ctx *c, HPDF_Page p, unsigned n, unsigned total)
{
    char *s = g_strdup_printf("Página %u de %u", n, total);
    char *t = pdf_to_cp1252(s);
    pdf_show_aligned(p, c->reg, 8.0f, COL_MUTED, MARGIN_SIDE, HPDF_Page_GetWidth(p) - 2.0f * MARGIN_SIDE,
                     FOOTER_BASELINE, t, AL_RIGHT);
    g_free(t);
    g_free(s);
}

/* LETTER, page 2 onward: the oficio number (the template's `encabezado`) and "Página N de M" at
 * the top, so a loose sheet still says which letter it belongs to and where it goes. */
static void draw_letter_continuation(ctx *c, HPDF_Page p, unsigned n, unsigned total)
{
    char *s = g_strdup_printf("Página %u de %u", n, total);
    char *page = pdf_to_cp1252(s);
    float base = c->ph - HEADER_BASELINE, size = 8.5f;
    pdf_show_aligned(p, c->reg, size, COL_TEXT, c->x0, text_w(c), base, page, AL_RIGHT);
    if (c->doc->header && *c->doc->header) {
        char *t = pdf_to_cp1252(c->doc->header);
        char *fit = pdf_fit_label(c->bold, size, t, text_w(c) - pdf_str_width(c->reg, size, page) - 12.0f);
        pdf_show_text(p, c->bold, size, COL_TEXT, c->x0, base, fit, 0.0f);
        g_free(fit);
        g_free(t);
    }
    pdf_stroke_line(p, COL_RULE, 0.5f, c->x0, c->ph - HEADER_RULE, c->x1, c->ph - HEADER_RULE);
    g_free(page);
    g_free(s);
}

obs_status pdf_decorate_pages(ctx *c)
{
    obs_layout layout = c->doc->layout;
    unsigned total = c->pages->len;
    bool has_header = c->doc->header && *c->doc->header;
    for (unsigned i = 0; i < total; i++) {
        HPDF_Page p = g_ptr_array_index(c->pages, i);
        if (layout == OBS_LAYOUT_REPORT && i == 0)
            continue; /* the cover */
        if (layout == OBS_LAYOUT_LETTER && i > 0) {
            draw_letter_continuation(c, p, i + 1, total);
            continue;
        }
        bool header = layout == OBS_LAYOUT_REPORT || (layout == OBS_LAYOUT_BRIEF && i > 0);
        if (header && has_header)
            draw_header(c, p);
        draw_footer(c, p, i + 1, total);
    }
    return pdf_check(c, "dibujar encabezados y pies de página");
}
