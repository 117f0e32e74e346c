/* xlsx_book.c - a workbook's relationships and workbook part: where its parts are, its sheets, its date system. */
#include "ingest/xlsx_reader_int.h"

#include <string.h>

#include "observa/text.h"

/* ---- relationships ------------------------------------------------------------------------------ */

typedef struct rels_state {
    sax_state sax;
    GHashTable *rels;        /* id -> target part of each worksheet, or NULL */
    const char *base;        /* folder the targets are relative to ("xl/") */
    char *office;            /* _rels/.rels: the officeDocument target */
    char *shared;            /* the workbook's sharedStrings and styles targets */
    char *styles;
} rels_state;

/* Whether a relationship type (a URI) ends with /name. */
static bool type_is(const char *type, size_t len, const char *name)
{
    size_t n = strlen(name);
    return type && len > n && type[len - n - 1] == '/' && memcmp(type + len - n, name, n) == 0;
}

/* A target relative to base, or absolute ("/xl/…"), as a part name in the ZIP. */
static char *part_name(const char *base, const char *target, size_t len)
{
    if (len > 0 && target[0] == '/')
        return g_strndup(target + 1, len - 1);
    return g_strdup_printf("%s%.*s", base, (int)len, target);
}

static void rels_start(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nns,
                       const xmlChar **ns, int nattrs, int ndef, const xmlChar **attrs)
{
    (void)prefix, (void)uri, (void)nns, (void)ns, (void)ndef;
    rels_state *s = ud;
    if (!xlsxr_enter(&s->sax) || strcmp((const char *)local, "Relationship") != 0)
        return;
    size_t ilen = 0, tlen = 0, ylen = 0;
    const char *id = xlsxr_attr(attrs, nattrs, "Id", NULL, &ilen);
    const char *target = xlsxr_attr(attrs, nattrs, "Target", NULL, &tlen);
    const char *type = xlsxr_attr(attrs, nattrs, "Type", NULL, &ylen);
    if (!id || !target)
        return;
    if (s->rels && type_is(type, ylen, "worksheet"))
        g_hash_table_replace(s->rels, g_strndup(id, ilen), part_name(s->base, target, tlen));
    char **slot = type_is(type, ylen, "officeDocument") ? &s->office
                  : type_is(type, ylen, "sharedStrings") ? &s->shared
                  : type_is(type, ylen, "styles")        ? &s->styles
                                                         : NULL;
    if (slot && !*slot)
        *slot = part_name(s->base, target, tlen);
}

/* Reads the relationships part `name` (targets relative to base) into rs; a missing one is empty. */
static bool read_rels(workbook *w, const char *name, const char *base, rels_state *rs)
{
    rs->base = base;
    if (!xlsxr_has_part(w, name))
        return true;
    xmlSAXHandler sax;
    xlsxr_sax_init(&sax, rels_start, xlsxr_sax_end, NULL);
    return xlsxr_parse_part(w, name, XLSX_MAX_META_BYTES, &sax, &rs->sax);
}

/* ---- the workbook part --------------------------------------------------------------------------- */

typedef struct book_state {
    sax_state sax;
    workbook *w;
} book_state;

static void book_start(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nns,
                       const xmlChar **ns, int nattrs, int ndef, const xmlChar **attrs)
{
    (void)prefix, (void)uri, (void)nns, (void)ns, (void)ndef;
    book_state *s = ud;
    if (!xlsxr_enter(&s->sax))
        return;
    if (strcmp((const char *)local, "workbookPr") == 0) {
        char *v = xlsxr_attr_dup(attrs, nattrs, "date1904", NULL);
        s->w->date1904 = v && (strcmp(v, "1") == 0 || g_ascii_strcasecmp(v, "true") == 0);
        g_free(v);
    } else if (strcmp((const char *)local, "sheet") == 0) {
        sheet_ref ref = {xlsxr_attr_dup(attrs, nattrs, "name", NULL), xlsxr_attr_dup(attrs, nattrs, "id", NULL)}; /* r:id */
        if (ref.name && ref.rid) {
            g_array_append_val(s->w->sheets, ref);
        } else {
            g_free(ref.name);
            g_free(ref.rid);
        }
    }
}

/* The workbook part named by the package's relationships (the usual one when they do not say). */
static char *book_part(workbook *w)
{
    rels_state pkg = {0};
    bool ok = read_rels(w, "_rels/.rels", "", &pkg);
    g_free(pkg.shared);
    g_free(pkg.styles);
    if (!ok) {
        g_free(pkg.office);
        return NULL;
    }
    char *book = pkg.office ? pkg.office : g_strdup("xl/workbook.xml");
    if (g_str_has_suffix(book, ".bin")) {
        xlsxr_fail(w, "el libro está en el formato binario de Excel (.xlsb), que observa no lee; guárdelo como .xlsx "
                      "o como «CSV UTF-8 (delimitado por comas)»");
    } else if (!xlsxr_has_part(w, book)) {
        xlsxr_fail(w, "el archivo ZIP no tiene la parte del libro (%s): no es un libro .xlsx legible; " XLSX_RESAVE,
                   book);
    }
    if (w->status != OBS_OK) {
        g_free(book);
        return NULL;
    }
    return book;
}

bool xlsxr_read_book(workbook *w)
{
    char *book = book_part(w);
    if (!book)
        return false;
    char *dir = g_path_get_dirname(book);
    char *base = strcmp(dir, ".") ? g_strconcat(dir, "/", NULL) : g_strdup("");
    char *base_name = g_path_get_basename(book);
    char *rels_name = g_strdup_printf("%s_rels/%s.rels", base, base_name);
    rels_state br = {.rels = w->rels};
    bool ok = read_rels(w, rels_name, base, &br);
    w->shared_part = br.shared ? br.shared : g_strconcat(base, "sharedStrings.xml", NULL);
    w->styles_part = br.styles ? br.styles : g_strconcat(base, "styles.xml", NULL);
    g_free(br.office);
    if (ok) {
        xmlSAXHandler sax;
        xlsxr_sax_init(&sax, book_start, xlsxr_sax_end, NULL);
        book_state bs = {.w = w};
        ok = xlsxr_parse_part(w, book, XLSX_MAX_META_BYTES, &sax, &bs.sax);
    }
    g_free(rels_name);
    g_free(base_name);
    g_free(base);
    g_free(dir);
    g_free(book);
    return ok;
}

/* ---- the sheet to read ------------------------------------------------------------------------------ */

/* The sheet named `wanted` (after folding), or NULL with the workbook's sheets in the refusal. */
static const sheet_ref *sheet_by_name(workbook *w, const char *wanted)
{
    char *key = obs_fold(wanted, strlen(wanted));
    const sheet_ref *found = NULL;
    GString *names = g_string_new(NULL);
    for (guint i = 0; i < w->sheets->len; i++) {
        const sheet_ref *r = &g_array_index(w->sheets, sheet_ref, i);
        char *f = obs_fold(r->name, strlen(r->name));
        if (!found && strcmp(f, key) == 0)
            found = r;
        g_free(f);
        if (i < 40)
            g_string_append_printf(names, "%s«%s»", i ? ", " : "", r->name);
    }
    if (!found)
        xlsxr_fail(w, "el libro no tiene una hoja «%s»; sus hojas son: %s (indique una con --hoja o con «hoja» en la "
                      "sección [entrada] de la configuración)", wanted, names->str);
    g_free(key);
    g_string_free(names, TRUE);
    return found;
}

/* The first sheet of data (a chart sheet is not one), or NULL with the refusal. */
static const sheet_ref *first_worksheet(workbook *w)
{
    for (guint i = 0; i < w->sheets->len; i++) {
        const sheet_ref *r = &g_array_index(w->sheets, sheet_ref, i);
        if (g_hash_table_contains(w->rels, r->rid))
            return r;
    }
    xlsxr_fail(w, "el libro no tiene hojas de datos; " XLSX_RESAVE);
    return NULL;
}

const char *xlsxr_sheet_part(workbook *w, const char *wanted, const char **name)
{
    const sheet_ref *ref = wanted ? sheet_by_name(w, wanted) : first_worksheet(w);
    if (!ref)
        return NULL;
    const char *part = g_hash_table_lookup(w->rels, ref->rid);
    if (!part) {
        xlsxr_fail(w, "la hoja «%s» del libro no es una hoja de datos (es una gráfica o un cuadro de diálogo); "
                      "indique otra con --hoja", ref->name);
        return NULL;
    }
    if (!xlsxr_has_part(w, part)) {
        xlsxr_fail(w, "la hoja «%s» del libro no tiene su parte (%s); " XLSX_RESAVE, ref->name, part);
        return NULL;
    }
    *name = ref->name;
    return part;
}
