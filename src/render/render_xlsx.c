/* render_xlsx.c - renders the report model as an XLSX workbook (libxlsxwriter 1.1.4): the workbook and its sheets. */

/* uselocale()/newlocale() are POSIX 2008; -std=c11 hides them otherwise. */
#define _POSIX_C_SOURCE 200809L

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "render/render_xlsx_int.h"

/* ------------------------------------------------------------- workbook */

static obs_status write_properties(xlsx_ctx *ctx)
{
    const obs_doc *doc = ctx->doc;
    char *comments = doc->creator ? g_strdup_printf("Generado con %s", doc->creator) : NULL;
    lxw_doc_properties props = {
        .title = doc->title,
        .subject = doc->subject,
        .author = doc->author,
        .company = "Instituto Nacional Electoral",
        .keywords = doc->keywords,
        .comments = comments,
        /* libxlsxwriter stamps "now" when created is 0: keep the epoch deterministic. */
        .created = doc->generated_at != 0 ? (time_t)doc->generated_at : (time_t)1,
    };
    lxw_error e = workbook_set_properties(ctx->wb, &props);
    g_free(comments);
    TRY(ctx, e, NULL, "las propiedades del documento");
    return OBS_OK;
}

static bool in_workbook(const obs_table *t)
{
    return t->sheet && (t->targets & OBS_TARGET_XLSX);
}

/* One sheet per table and chart, in document order, then the XLSX-only tables.
 * Tables and charts without a sheet name are PDF-only. */
static obs_status write_sheets(xlsx_ctx *ctx)
{
    const obs_doc *doc = ctx->doc;
    obs_status st = OBS_OK;
    size_t written = 0;
    for (size_t s = 0; s < doc->nsections && st == OBS_OK; s++) {
        const obs_section *sec = &doc->sections[s];
        for (size_t b = 0; b < sec->nblocks && st == OBS_OK; b++) {
            const obs_block *blk = &sec->blocks[b];
            if (blk->kind == OBS_BLOCK_TABLE && in_workbook(blk->table)) {
                st = xlsx_table_sheet(ctx, blk->table, blk->table->sheet);
                written++;
            } else if (blk->kind == OBS_BLOCK_CHART && blk->chart->sheet) {
                char *name = xlsx_unique_sheet_name(ctx, blk->chart->sheet, blk->chart->id);
                st = xlsx_write_chart(ctx, blk->chart, name);
                g_free(name);
                written++;
            } else if (xlsx_front_has_sheet(blk)) {
                st = xlsx_front_sheet(ctx, sec, blk);
                written++;
            }
        }
    }
    for (size_t i = 0; i < doc->nextra && st == OBS_OK; i++) {
        if (in_workbook(doc->extra[i])) {
            st = xlsx_table_sheet(ctx, doc->extra[i], doc->extra[i]->sheet);
            written++;
        }
    }
    if (st == OBS_OK && written == 0 && doc->nabout == 0) {
        /* A workbook needs a sheet; without one libxlsxwriter would add "Sheet1". */
        obs_table empty = {.id = "informe", .title = doc->title};
        st = xlsx_table_sheet(ctx, &empty, "Informe");
    }
    return st;
}

/* "Acerca de" first (when the document has about lines), then every sheet; the about sheet is
 * filled last, when the dictionary of the other sheets is known. */
static obs_status write_workbook(xlsx_ctx *ctx)
{
    lxw_worksheet *about = NULL;
    char *name = NULL;
    obs_status st = OBS_OK;
    if (ctx->doc->nabout > 0) {
        name = xlsx_unique_sheet_name(ctx, "Acerca de", "acerca");
        st = xlsx_add_sheet(ctx, name, &about);
    }
    if (st == OBS_OK)
        st = write_sheets(ctx);
    if (st == OBS_OK && about)
        st = xlsx_write_about(ctx, about, name);
    g_free(name);
    return st;
}

static obs_status close_error(xlsx_ctx *ctx, lxw_error e)
{
    obs_status code;
    switch (e) {
    case LXW_ERROR_CREATING_XLSX_FILE:
        code = OBS_ERR_CANTCREAT;
        break;
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_FILE_ADD:
    case LXW_ERROR_ZIP_CLOSE:
        code = OBS_ERR_IO;
        break;
    case LXW_ERROR_MEMORY_MALLOC_FAILED:
        code = OBS_ERR_NOMEM;
        break;
    default:
        code = OBS_ERR_INTERNAL;
        break;
    }
    return obs_error_set(ctx->err, code, ctx->path, 0, 0,
                         code == OBS_ERR_CANTCREAT
                             ? "no se puede crear el libro XLSX: %s"
                             : "no se pudo escribir el libro XLSX: %s",
                         lxw_strerror(e));
}

/* The render proper; the thread's decimal point is already ".". */
static obs_status render(const obs_doc *doc, const char *path, obs_error *err)
{
    xlsx_ctx ctx = {.doc = doc, .path = path, .err = err};
    /* No tmpdir: libxlsxwriter then uses tmpfile(3), anonymous files that vanish even when
     * the process is killed, so an interrupted run leaves nothing in the output directory. */
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL,
                                .use_zip64 = LXW_FALSE};
    ctx.wb = workbook_new_opt(path, &opt);
    if (!ctx.wb) {
        return obs_error_set(err, OBS_ERR_NOMEM, path, 0, 0,
                             "no se pudo iniciar el libro XLSX (memoria insuficiente)");
    }
    ctx.sheet_keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    ctx.dict = g_ptr_array_new_with_free_func(xlsx_dict_entry_free);
    char *head = xlsx_header_footer_text(doc->header ? doc->header : doc->title);
    ctx.header_text = g_strconcat("&L", head, "&R&A", NULL);
    g_free(head);

    obs_status st = xlsx_create_formats(&ctx);
    if (st == OBS_OK)
        st = write_properties(&ctx);
    if (st == OBS_OK)
        st = write_workbook(&ctx);
    if (st == OBS_OK) {
        lxw_error e = workbook_close(ctx.wb); /* frees the workbook, even on error */
        if (e != LXW_NO_ERROR)
            st = close_error(&ctx, e);
    } else {
        /* Do not leave a half-written file behind: free without writing. */
        lxw_workbook_free(ctx.wb);
    }
    g_hash_table_destroy(ctx.sheet_keys);
    g_ptr_array_free(ctx.dict, TRUE);
    g_free(ctx.header_text);
    return st;
}

obs_status obs_render_xlsx(const obs_doc *doc, const char *path, obs_error *err)
{
    if (!doc || !path || !path[0])
        return obs_error_set(err, OBS_ERR_USAGE, path, 0, 0,
                             "obs_render_xlsx: documento o ruta ausente");
    /* libxlsxwriter prints numbers with printf: a decimal comma from the
     * process locale would corrupt the file. When the thread's locale has one,
     * switch LC_NUMERIC to "C" for this thread only (setlocale would affect
     * every thread). */
    if (strcmp(nl_langinfo(RADIXCHAR), ".") == 0)
        return render(doc, path, err);
    locale_t cur = uselocale((locale_t)0);
    locale_t base = duplocale(cur);
    locale_t c_num = base ? newlocale(LC_NUMERIC_MASK, "C", base) : (locale_t)0;
    if (!c_num) {
        if (base)
            freelocale(base);
        return obs_error_set(err, OBS_ERR_NOMEM, path, 0, 0,
                             "no se pudo preparar la configuración regional \"C\"");
    }
    uselocale(c_num);
    obs_status st = render(doc, path, err);
    uselocale(cur);
    freelocale(c_num);
    return st;
}
