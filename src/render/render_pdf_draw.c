/* render_pdf_draw.c - the PDF renderer's lowest layer over libharu: its error state and the drawing primitives. */
#include <glib.h>
#include <hpdf.h>
#include <math.h>

#include "render/render_pdf_int.h"

/* ---- libharu's errors: the first one wins, later ones are consequences ------ */

void pdf_on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    hpdf_state *st = user_data;
    if (st->error_no == HPDF_OK) {
        st->error_no = error_no;
        st->detail_no = detail_no;
    }
}

obs_status pdf_error(ctx *c, const char *what)
{
    obs_status code = c->hs.error_no == HPDF_FAILD_TO_ALLOC_MEM ? OBS_ERR_NOMEM : OBS_ERR_INTERNAL;
    return obs_error_set(c->err, code, c->path, 0, 0,
                         "libharu no pudo %s (error 0x%04X, detalle %u)", what,
                         (unsigned)c->hs.error_no, (unsigned)c->hs.detail_no);
}

obs_status pdf_check(ctx *c, const char *what)
{
    return failed(c) ? pdf_error(c, what) : OBS_OK;
}

/* ---- Drawing primitives (explicit page: footers are drawn after layout) --- */

void pdf_set_fill(HPDF_Page p, rgb c)
{
    HPDF_Page_SetRGBFill(p, c.r, c.g, c.b);
}

void pdf_set_stroke(HPDF_Page p, rgb c)
{
    HPDF_Page_SetRGBStroke(p, c.r, c.g, c.b);
}

void pdf_fill_rect(HPDF_Page p, rgb col, float x, float y, float w, float h)
{
    if (w <= 0.0f || h <= 0.0f)
        return;
    pdf_set_fill(p, col);
    HPDF_Page_Rectangle(p, x, y, w, h);
    HPDF_Page_Fill(p);
}

/* A bar or a legend key in a swatch's colour, hatched when its fill says so (grayscale print). */
void pdf_fill_swatch(HPDF_Page p, obs_swatch sw, float x, float y, float w, float h)
{
    pdf_fill_rect(p, rgb_of(sw.rgb), x, y, w, h);
    if (sw.fill != OBS_FILL_HATCH || w <= 0.0f || h <= 0.0f)
        return;
    HPDF_Page_GSave(p);
    HPDF_Page_Rectangle(p, x, y, w, h);
    HPDF_Page_Clip(p);
    HPDF_Page_EndPath(p);
    pdf_set_stroke(p, rgb_of(sw.ink));
    HPDF_Page_SetLineWidth(p, 0.7f);
    /* Lines rising at 45°, 3 points apart, across the whole box. */
    for (float d = -h; d < w; d += 3.0f) {
        HPDF_Page_MoveTo(p, x + d, y);
        HPDF_Page_LineTo(p, x + d + h, y + h);
    }
    HPDF_Page_Stroke(p);
    HPDF_Page_GRestore(p);
}

void pdf_stroke_line(HPDF_Page p, rgb col, float width, float xa, float ya, float xb, float yb)
{
    pdf_set_stroke(p, col);
    HPDF_Page_SetLineWidth(p, width);
    HPDF_Page_MoveTo(p, xa, ya);
    HPDF_Page_LineTo(p, xb, yb);
    HPDF_Page_Stroke(p);
}

void pdf_stroke_rect(HPDF_Page p, rgb col, float width, float x, float y, float w, float h)
{
    pdf_set_stroke(p, col);
    HPDF_Page_SetLineWidth(p, width);
    HPDF_Page_Rectangle(p, x, y, w, h);
    HPDF_Page_Stroke(p);
}

void pdf_show_text(HPDF_Page p, HPDF_Font f, float size, rgb col, float x, float y,
                   const char *s, float word_space)
{
    if (!*s)
        return;
    pdf_set_fill(p, col);
    HPDF_Page_BeginText(p);
    HPDF_Page_SetFontAndSize(p, f, size);
    /* Word spacing belongs to the graphics state, so it is reset after use. */
    if (word_space > 0.0f)
        HPDF_Page_SetWordSpace(p, word_space);
    HPDF_Page_TextOut(p, x, y, s);
    if (word_space > 0.0f)
        HPDF_Page_SetWordSpace(p, 0.0f);
    HPDF_Page_EndText(p);
}

void pdf_show_text_rotated(HPDF_Page p, HPDF_Font f, float size, rgb col, float x,
                           float y, float degrees, const char *s)
{
    if (!*s)
        return;
    float r = degrees * (float)G_PI / 180.0f;
    float cs = cosf(r), sn = sinf(r);
    pdf_set_fill(p, col);
    HPDF_Page_BeginText(p);
    HPDF_Page_SetFontAndSize(p, f, size);
    HPDF_Page_SetTextMatrix(p, cs, sn, -sn, cs, x, y);
    HPDF_Page_ShowText(p, s);
    HPDF_Page_EndText(p);
}

/* Text aligned within [x, x+w] at a baseline. */
void pdf_show_aligned(HPDF_Page p, HPDF_Font f, float size, rgb col, float x, float w,
                      float baseline, const char *s, halign al)
{
    float tw = pdf_str_width(f, size, s);
    float tx = x;
    if (al == AL_RIGHT)
        tx = x + w - tw;
    else if (al == AL_CENTER)
        tx = x + (w - tw) / 2.0f;
    pdf_show_text(p, f, size, col, tx, baseline, s, 0.0f);
}
