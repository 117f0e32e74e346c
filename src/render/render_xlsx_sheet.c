/* render_xlsx_sheet.c - the XLSX renderer's base: errors, safe text, sheet names, cell formats, page setup. */
#include <stdio.h>
#include <string.h>

#include "render/render_xlsx_int.h"

/* -------------------------------------------------------------- errors */

/* Records a libxlsxwriter failure; sheet may be NULL (workbook-level calls). */
obs_status xlsx_fail(xlsx_ctx *ctx, lxw_error e, const char *sheet, const char *what)
{
    obs_status code = e == LXW_ERROR_MEMORY_MALLOC_FAILED ? OBS_ERR_NOMEM : OBS_ERR_INTERNAL;
    if (!sheet)
        return obs_error_set(ctx->err, code, ctx->path, 0, 0,
                             "no se pudo escribir %s del libro XLSX: %s", what,
                             lxw_strerror(e));
    return obs_error_set(ctx->err, code, ctx->path, 0, 0,
                         "no se pudo escribir %s en la hoja «%s» del libro XLSX: %s", what,
                         sheet, lxw_strerror(e));
}

/* OBS_ERR_NOMEM while creating `what` (e.g. "los formatos"). */
obs_status xlsx_nomem(xlsx_ctx *ctx, const char *what)
{
    return obs_error_set(ctx->err, OBS_ERR_NOMEM, ctx->path, 0, 0,
                         "memoria insuficiente al crear %s del libro XLSX", what);
}

/* ---------------------------------------------------------------- text */

/* Pointer past the longest prefix of s with at most max UTF-16 units: never inside a character. */
static char *utf16_cut(char *s, size_t max)
{
    size_t n = 0;
    char *p = s;
    while (*p) {
        size_t w = g_utf8_get_char(p) > 0xFFFF ? 2 : 1;
        if (n + w > max)
            break;
        n += w;
        p = g_utf8_next_char(p);
    }
    return p;
}

/* Text that is safe to hand to libxlsxwriter: valid UTF-8 (it does not check, and
 * Excel rejects the file otherwise) and within Excel's cell limit. NULL → "". */
char *xlsx_cell_text(const char *s)
{
    if (!s)
        return g_strdup("");
    char *t = g_utf8_validate(s, -1, NULL) ? g_strdup(s) : g_utf8_make_valid(s, -1);
    if (strlen(t) > CELL_TEXT_MAX && g_utf8_strlen(t, -1) > CELL_TEXT_MAX)
        *g_utf8_offset_to_pointer(t, CELL_TEXT_MAX) = '\0';
    return t;
}

/* Chart titles and names starting with '=' are taken by libxlsxwriter as cell
 * references; a zero-width space keeps a literal title literal. */
char *xlsx_chart_text(const char *s)
{
    char *t = xlsx_cell_text(s);
    if (t[0] != '=')
        return t;
    char *u = g_strconcat("\u200B", t, NULL);
    g_free(t);
    return u;
}

static bool is_trim_char(char c)
{
    return c == ' ' || c == '\'' || c == '\t';
}

/* Removes spaces and apostrophes at both ends (Excel refuses a name that
 * starts or ends with an apostrophe). */
static void trim_name(char *s)
{
    size_t len = strlen(s);
    while (len > 0 && is_trim_char(s[len - 1]))
        s[--len] = '\0';
    size_t start = 0;
    while (s[start] && is_trim_char(s[start]))
        start++;
    memmove(s, s + start, len - start + 1);
}

/* A legal sheet name from raw text, or "" when nothing is left. */
static char *clean_sheet_name(const char *raw)
{
    char *valid = xlsx_cell_text(raw);
    GString *out = g_string_sized_new(strlen(valid));
    for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
        gunichar ch = g_utf8_get_char(p);
        if (ch < 0x20 || ch == 0x7F || (ch < 0x80 && strchr("[]:*?/\\", (int)ch)))
            continue;
        g_string_append_unichar(out, ch);
    }
    g_free(valid);
    char *name = g_string_free(out, FALSE);
    trim_name(name);
    *utf16_cut(name, SHEET_NAME_MAX) = '\0';
    trim_name(name);
    return name;
}

/* Excel compares sheet names without regard to case. */
static char *sheet_key(const char *name)
{
    return g_utf8_casefold(name, -1);
}

static bool sheet_taken(xlsx_ctx *ctx, const char *name)
{
    char *key = sheet_key(name);
    /* Excel reserves "History" for its change-tracking sheet. */
    bool taken = strcmp(key, "history") == 0 || g_hash_table_contains(ctx->sheet_keys, key);
    g_free(key);
    return taken;
}

/* The sheet name for `wanted`: sanitized, never blank (falls back to the id),
 * unique in the workbook ("Nombre (2)" …, still within 31 units). */
char *xlsx_unique_sheet_name(xlsx_ctx *ctx, const char *wanted, const char *id)
{
    char *base = clean_sheet_name(wanted);
    if (!base[0]) {
        g_free(base);
        base = clean_sheet_name(id);
    }
    if (!base[0]) {
        g_free(base);
        base = g_strdup("Hoja");
    }
    char *name = g_strdup(base);
    for (unsigned n = 2; sheet_taken(ctx, name); n++) {
        char suffix[16];
        snprintf(suffix, sizeof suffix, " (%u)", n);
        char *stem = g_strdup(base);
        *utf16_cut(stem, SHEET_NAME_MAX - strlen(suffix)) = '\0';
        trim_name(stem);
        g_free(name);
        name = g_strconcat(stem, suffix, NULL);
        g_free(stem);
    }
    g_free(base);
    g_hash_table_add(ctx->sheet_keys, sheet_key(name));
    return name;
}

/* Escapes '&' (Excel's header/footer control character) and shortens the text (g_free). */
char *xlsx_header_footer_text(const char *s)
{
    char *t = xlsx_cell_text(s);
    if (g_utf8_strlen(t, -1) > HEADER_FOOTER_TEXT_MAX)
        *g_utf8_offset_to_pointer(t, HEADER_FOOTER_TEXT_MAX) = '\0';
    GString *out = g_string_new(NULL);
    for (const char *p = t; *p; p++) {
        if (*p == '&')
            g_string_append_c(out, '&');
        g_string_append_c(out, *p);
    }
    g_free(t);
    return g_string_free(out, FALSE);
}

/* ------------------------------------------------------------- formats */

static const char *slot_num_format(int slot, char *buf, size_t size)
{
    switch (slot) {
    case SLOT_INT:
        return "#,##0";
    case SLOT_PCT:
        return "0.0%";
    case SLOT_DELTA:
        return "+#,##0;-#,##0;0";
    case SLOT_DATE:
        return "dd/mm/yyyy";
    default:
        break;
    }
    if (slot < SLOT_DEC0)
        return NULL;
    /* "#,##0.0#" for 2 decimals: like obs_fmt_dec(), one decimal always shown
     * (so 6 reads "6.0", not "6."), further ones only when not zero. */
    int decimals = slot - SLOT_DEC0;
    if (decimals == 0)
        return "#,##0";
    snprintf(buf, size, "#,##0.0%.*s", decimals - 1, "#####");
    return buf;
}

/* LEFT is the model's zero default, so it maps to Excel's general alignment:
 * text reads left, numbers right, as a reader expects. */
static void apply_align(lxw_format *f, obs_align align)
{
    if (align == OBS_ALIGN_RIGHT)
        format_set_align(f, LXW_ALIGN_RIGHT);
    else if (align == OBS_ALIGN_CENTER)
        format_set_align(f, LXW_ALIGN_CENTER);
}

/* The shared format for a style: each combination is created once per workbook. */
lxw_format *xlsx_style_format(xlsx_ctx *ctx, cell_style st)
{
    size_t idx = (size_t)st.slot;
    idx = idx * ALIGN_COUNT + xlsx_align_index(st.align);
    idx = idx * 2 + st.bold;
    idx = idx * 2 + st.total;
    idx = idx * 2 + st.row_mark;
    idx = idx * 2 + st.cell_mark;
    idx = idx * 2 + st.wrap;
    if (ctx->cell_fmt[idx])
        return ctx->cell_fmt[idx];

    lxw_format *f = workbook_add_format(ctx->wb);
    if (!f)
        return NULL;
    char buf[32];
    const char *num = slot_num_format(st.slot, buf, sizeof buf);
    if (num)
        format_set_num_format(f, num);
    apply_align(f, st.align);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_border_color(f, COLOR_BORDER);
    if (st.bold || st.total || st.cell_mark)
        format_set_bold(f);
    if (st.total) {
        format_set_top(f, LXW_BORDER_MEDIUM);
        format_set_top_color(f, COLOR_TOTAL_BORDER);
    }
    if (st.row_mark || st.total) {
        format_set_pattern(f, LXW_PATTERN_SOLID);
        format_set_bg_color(f, st.row_mark ? flag_swatch().tint : COLOR_TOTAL_FILL);
    }
    if (st.cell_mark)
        format_set_font_color(f, flag_swatch().rgb);
    if (st.wrap) {
        format_set_text_wrap(f);
        format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    }
    ctx->cell_fmt[idx] = f;
    return f;
}

/* The fixed formats of a workbook: title, note, header cells by alignment. */
obs_status xlsx_create_formats(xlsx_ctx *ctx)
{
    ctx->title_fmt = workbook_add_format(ctx->wb);
    if (!ctx->title_fmt)
        return xlsx_nomem(ctx, "los formatos");
    format_set_bold(ctx->title_fmt);
    format_set_font_size(ctx->title_fmt, 14);

    ctx->note_fmt = workbook_add_format(ctx->wb);
    if (!ctx->note_fmt)
        return xlsx_nomem(ctx, "los formatos");
    format_set_text_wrap(ctx->note_fmt);
    format_set_align(ctx->note_fmt, LXW_ALIGN_VERTICAL_TOP);

    for (unsigned a = 0; a < ALIGN_COUNT; a++) {
        lxw_format *f = workbook_add_format(ctx->wb);
        if (!f)
            return xlsx_nomem(ctx, "los formatos");
        format_set_bold(f);
        format_set_text_wrap(f);
        format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
        apply_align(f, (obs_align)a);
        format_set_pattern(f, LXW_PATTERN_SOLID);
        format_set_bg_color(f, COLOR_HEADER_FILL);
        format_set_border(f, LXW_BORDER_THIN);
        format_set_border_color(f, COLOR_TOTAL_BORDER);
        ctx->header_fmt[a] = f;
    }
    return OBS_OK;
}

/* ---------------------------------------------------------- page setup */

/* Landscape, one page wide, header row repeated, paper of the document, page
 * header with the sheet name and footer with page numbers; header row frozen. */
obs_status xlsx_page_setup(xlsx_ctx *ctx, lxw_worksheet *ws, const char *sheet,
                             bool has_header)
{
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, ctx->doc->paper == OBS_PAPER_A4 ? 9 : 1);
    worksheet_fit_to_pages(ws, 1, 0);
    /* ≈2 cm, like the PDF. */
    worksheet_set_margins(ws, 0.79, 0.79, 0.79, 0.79);
    TRY(ctx, worksheet_set_header(ws, ctx->header_text), sheet, "el encabezado de página");
    TRY(ctx, worksheet_set_footer(ws, "&LInstituto Nacional Electoral&RPágina &P de &N"),
        sheet, "el pie de página");
    if (has_header) {
        TRY(ctx, worksheet_repeat_rows(ws, ROW_HEADER, ROW_HEADER), sheet,
            "las filas repetidas");
        worksheet_freeze_panes(ws, ROW_HEADER + 1, 0);
    }
    return OBS_OK;
}

/* ---------------------------------------------------------- sheets */

/* Adds a worksheet named `sheet` (already legal and unique); an error names the sheet. */
obs_status xlsx_add_sheet(xlsx_ctx *ctx, const char *sheet, lxw_worksheet **ws)
{
    *ws = workbook_add_worksheet(ctx->wb, sheet);
    if (!*ws)
        return obs_error_set(ctx->err, OBS_ERR_INTERNAL, ctx->path, 0, 0,
                             "no se pudo crear la hoja «%s» del libro XLSX", sheet);
    return OBS_OK;
}

/* ---------------------------------------------------- data dictionary */

void xlsx_dict_add(xlsx_ctx *ctx, const char *sheet, const char *column, const char *type,
                   const char *description)
{
    dict_entry *d = g_new0(dict_entry, 1);
    d->sheet = g_strdup(sheet);
    d->column = g_strdup(column);
    d->type = g_strdup(type);
    d->description = g_strdup(description);
    g_ptr_array_add(ctx->dict, d);
}

void xlsx_dict_entry_free(gpointer p)
{
    dict_entry *d = p;
    g_free(d->sheet);
    g_free(d->column);
    g_free(d->type);
    g_free(d->description);
    g_free(d);
}
