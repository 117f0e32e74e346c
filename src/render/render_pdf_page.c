/* render_pdf_page.c - pages of the PDF layout: new pages, portrait or landscape, pending breaks, room left. */
#include <hpdf.h>

#include "render/render_pdf_int.h"

/* Sizes a page for the current orientation and sets the body's limits on it. */
static void page_geometry(ctx *c, HPDF_Page p)
{
    float w = c->land ? c->ph : c->pw, h = c->land ? c->pw : c->ph;
    HPDF_Page_SetWidth(p, w);
    HPDF_Page_SetHeight(p, h);
    c->x0 = MARGIN_SIDE;
    c->x1 = w - MARGIN_SIDE;
    c->ytop = h - MARGIN_TOP;
    c->ybot = MARGIN_BOTTOM;
}

obs_status pdf_page_new(ctx *c)
{
    HPDF_Page p = HPDF_AddPage(c->pdf);
    if (!p)
        return pdf_error(c, "crear una página");
    page_geometry(c, p);
    g_ptr_array_add(c->pages, p);
    c->page = p;
    c->y = c->ytop;
    c->fresh = true;
    c->want_break = false;
    return pdf_check(c, "crear una página");
}

/* Applies a pending page break (section->new_page, PAGEBREAK) before new content,
 * so a break at the end of the document never leaves a blank page. */
obs_status pdf_flush_break(ctx *c)
{
    if (c->want_break && !c->fresh)
        return pdf_page_new(c);
    c->want_break = false;
    return OBS_OK;
}

/* Turns the page: an empty current page is resized, else a new page starts. Back to portrait,
 * the turn waits for the next content (no blank page at the end). */
obs_status pdf_set_orientation(ctx *c, bool land)
{
    if (c->land == land)
        return OBS_OK;
    c->land = land;
    if (!land) {
        c->want_break = true;
        return OBS_OK;
    }
    if (c->fresh && c->page) {
        page_geometry(c, c->page);
        c->y = c->ytop;
        c->want_break = false;
        return pdf_check(c, "girar una página");
    }
    return pdf_page_new(c);
}

/* Starts a new page unless h points fit below the cursor (or the page is empty anyway). */
obs_status pdf_need(ctx *c, float h)
{
    if (!c->fresh && c->y - h < c->ybot)
        return pdf_page_new(c);
    return OBS_OK;
}

/* Vertical space between blocks; a tightened layout (c->dens < 1) gives less. */
void pdf_space(ctx *c, float h)
{
    if (!c->fresh)
        c->y -= h * c->dens;
}
