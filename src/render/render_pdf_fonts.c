/* render_pdf_fonts.c - the PDF's fonts: Liberation Sans found once per run (obs_fonts), embedded with a ToUnicode map.
 *
 * The renderer keeps no process-wide state: the pipeline finds the fonts once (obs_fonts_find())
 * and hands them, read-only, to every render of the run and to the template width check.
 */
#include <fontconfig/fontconfig.h>
#include <glib.h>
#include <hpdf.h>

#include "render/render_pdf_int.h"

/* ---- Finding the files ---------------------------------------------------------- */

static bool pattern_has_family(FcPattern *p, const char *family)
{
    FcChar8 *fam = NULL;
    for (int i = 0; FcPatternGetString(p, FC_FAMILY, i, &fam) == FcResultMatch; i++)
        if (g_ascii_strcasecmp((const char *)fam, family) == 0)
            return true;
    return false;
}

/* Locates a Liberation Sans TrueType file; fontconfig silently substitutes
 * another family when it is missing, so the match is verified. */
static obs_status find_font(const char *pattern, bool bold, char **path, obs_error *err)
{
    *path = NULL;
    if (!FcInit())
        return obs_error_set(err, OBS_ERR_CONFIG, NULL, 0, 0,
                             "no se pudo inicializar fontconfig para buscar la fuente Liberation Sans");
    FcPattern *pat = FcNameParse((const FcChar8 *)pattern);
    if (!pat)
        return obs_error_set(err, OBS_ERR_NOMEM, NULL, 0, 0, "memoria insuficiente al buscar fuentes");
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res = FcResultNoMatch;
    FcPattern *m = FcFontMatch(NULL, pat, &res);
    FcPatternDestroy(pat);
    FcChar8 *file = NULL;
    int weight = 0;
    bool ok = m && pattern_has_family(m, "Liberation Sans") &&
              FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch;
    if (ok) {
        /* libharu loads TrueType outlines only. */
        char *lower = g_ascii_strdown((const char *)file, -1);
        ok = g_str_has_suffix(lower, ".ttf");
        g_free(lower);
    }
    if (ok && bold)
        ok = FcPatternGetInteger(m, FC_WEIGHT, 0, &weight) == FcResultMatch &&
             weight >= FC_WEIGHT_BOLD;
    if (ok)
        *path = g_strdup((const char *)file);
    if (m)
        FcPatternDestroy(m);
    if (!ok)
        return obs_error_set(err, OBS_ERR_CONFIG, NULL, 0, 0,
                             "no se encontró la fuente «%s» (TrueType) con fontconfig; "
                             "instale el paquete de Debian fonts-liberation "
                             "(apt install fonts-liberation)",
                             pattern);
    return OBS_OK;
}

/* The fonts of a run: the two files, and the same fonts loaded (not embedded) into a document of
 * their own to measure text when a template is loaded (obs_pdf_table_check()). */
struct obs_fonts {
    char *regular;
    char *bold;
    measurer m;
    GMutex lock; /* measuring may touch libharu's font state: one measurement at a time */
};

obs_status obs_fonts_find(obs_fonts **out, obs_error *err)
{
    *out = NULL;
    char *r = NULL, *b = NULL;
    obs_status s = find_font("Liberation Sans", false, &r, err);
    if (s == OBS_OK)
        s = find_font("Liberation Sans:bold", true, &b, err);
    if (s != OBS_OK) {
        g_free(r);
        g_free(b);
        return s;
    }
    obs_fonts *f = g_new0(obs_fonts, 1);
    f->regular = r;
    f->bold = b;
    g_mutex_init(&f->lock);
    *out = f;
    return OBS_OK;
}

void obs_fonts_free(obs_fonts *f)
{
    if (!f)
        return;
    if (f->m.pdf)
        HPDF_Free(f->m.pdf);
    g_mutex_clear(&f->lock);
    g_free(f->regular);
    g_free(f->bold);
    g_free(f);
}

const char *pdf_fonts_regular(const obs_fonts *f)
{
    return f->regular;
}

const char *pdf_fonts_bold(const obs_fonts *f)
{
    return f->bold;
}

/* ---- Loading into a document ------------------------------------------------- */

/* Windows-1252 code points 0x80..0x9F (0 = unassigned); 0x20..0x7E and 0xA0..0xFF are Latin-1. */
static const uint16_t CP1252_HIGH[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/*
 * libharu 2.3.0 writes simple TrueType fonts with a /Differences encoding but
 * no /ToUnicode map, so pdffonts reports "uni no" and extraction relies on
 * glyph names. This attaches a ToUnicode CMap for Windows-1252 through
 * libharu's object layer (hpdf_objects.h, installed and exported by the
 * Debian package): the font is a dictionary, and the stream is registered in
 * the document's cross-reference table so HPDF_Free() releases it.
 */
static obs_status add_tounicode(ctx *c, HPDF_Font font)
{
    GString *cm = g_string_new(
        "/CIDInit /ProcSet findresource begin\n"
        "12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
        "2 beginbfrange\n<20> <7E> <0020>\n<A0> <FF> <00A0>\nendbfrange\n");
    unsigned n = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(CP1252_HIGH); i++)
        n += CP1252_HIGH[i] != 0;
    g_string_append_printf(cm, "%u beginbfchar\n", n);
    for (size_t i = 0; i < G_N_ELEMENTS(CP1252_HIGH); i++)
        if (CP1252_HIGH[i])
            g_string_append_printf(cm, "<%02X> <%04X>\n", (unsigned)(0x80 + i),
                                   (unsigned)CP1252_HIGH[i]);
    g_string_append(cm, "endbfchar\nendcmap\n"
                        "CMapName currentdict /CMap defineresource pop\nend\nend\n");

    HPDF_Dict stream = HPDF_DictStream_New(c->pdf->mmgr, c->pdf->xref);
    HPDF_STATUS st = HPDF_FAILD_TO_ALLOC_MEM;
    if (stream) {
        stream->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
        st = HPDF_Stream_Write(stream->stream, (const HPDF_BYTE *)cm->str, (HPDF_UINT)cm->len);
        if (st == HPDF_OK)
            st = HPDF_Dict_Add(font, "ToUnicode", stream);
    }
    g_string_free(cm, TRUE);
    if (st != HPDF_OK) {
        if (!failed(c)) {
            c->hs.error_no = st;
            c->hs.detail_no = 0;
        }
        return pdf_error(c, "añadir el mapa ToUnicode de la fuente");
    }
    return OBS_OK;
}

obs_status pdf_load_font(ctx *c, const char *file, HPDF_Font *out)
{
    const char *name = HPDF_LoadTTFontFromFile(c->pdf, file, HPDF_TRUE);
    if (!name)
        return obs_error_set(c->err, OBS_ERR_CONFIG, file, 0, 0,
                             "libharu no pudo cargar la fuente TrueType (error 0x%04X); "
                             "reinstale el paquete fonts-liberation",
                             (unsigned)c->hs.error_no);
    *out = HPDF_GetFont(c->pdf, name, "CP1252");
    if (!*out)
        return pdf_error(c, "preparar la fuente con la codificación CP1252");
    return add_tounicode(c, *out);
}

/* ---- Measuring fonts for the load-time table check -------------------------------- */

measurer *pdf_measure_begin(obs_fonts *f)
{
    g_mutex_lock(&f->lock);
    if (!f->m.pdf && (f->m.pdf = HPDF_New(pdf_on_error, &f->m.hs))) {
        const char *r = HPDF_LoadTTFontFromFile(f->m.pdf, f->regular, HPDF_FALSE);
        const char *b = r ? HPDF_LoadTTFontFromFile(f->m.pdf, f->bold, HPDF_FALSE) : NULL;
        f->m.reg = r ? HPDF_GetFont(f->m.pdf, r, "CP1252") : NULL;
        f->m.bold = b ? HPDF_GetFont(f->m.pdf, b, "CP1252") : NULL;
    }
    return f->m.reg && f->m.bold ? &f->m : NULL;
}

void pdf_measure_end(obs_fonts *f)
{
    g_mutex_unlock(&f->lock);
}
