/* xlsx_zip.c - a workbook's ZIP container (libzip): its limits, its parts, each streamed into libxml2's SAX2 parser. */
#include "ingest/xlsx_reader_int.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* How much of [Content_Types].xml is looked at to tell a workbook (it is a few KiB). */
#define CONTENT_TYPES_LOOK (64 * 1024)

obs_status xlsxr_fail(workbook *w, const char *fmt, ...)
{
    if (w->status != OBS_OK)
        return w->status;
    char msg[OBS_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    g_vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    w->status = obs_error_set(&w->err, OBS_ERR_DATA, w->path, 0, 0, "%s", msg);
    return w->status;
}

/* ---- the container ------------------------------------------------------------------------------ */

static bool zip_signature(const char *path)
{
    char sig[4] = {0};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool zip = read(fd, sig, 4) == 4 && memcmp(sig, "PK\x03\x04", 4) == 0;
    close(fd);
    return zip;
}

/* Whether [Content_Types].xml declares a spreadsheet's main part (Excel's, with or without macros). */
static bool declares_spreadsheet(zip_t *z)
{
    zip_file_t *f = zip_fopen(z, "[Content_Types].xml", 0);
    if (!f)
        return false;
    char *buf = g_malloc(CONTENT_TYPES_LOOK + 1);
    zip_int64_t n = zip_fread(f, buf, CONTENT_TYPES_LOOK);
    zip_fclose(f);
    bool yes = false;
    if (n > 0) {
        buf[n] = '\0';
        yes = g_strstr_len(buf, n, "spreadsheetml.") || g_strstr_len(buf, n, "ms-excel.");
    }
    g_free(buf);
    return yes;
}

bool obs_xlsx_is_workbook(const char *path)
{
    if (!zip_signature(path))
        return false;
    int ze = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &ze);
    if (!z)
        return false; /* damaged: the CSV reader says what it is (and that it is no CSV) */
    bool book = zip_name_locate(z, "xl/workbook.xml", ZIP_FL_NOCASE) >= 0 || declares_spreadsheet(z);
    zip_discard(z);
    return book;
}

bool xlsxr_open(workbook *w)
{
    int ze = 0;
    /* Not ZIP_CHECKCONS: it refuses the ZIP64 archives minizip (libxlsxwriter) writes, which Excel reads. */
    w->zip = zip_open(w->path, ZIP_RDONLY, &ze);
    if (!w->zip) {
        zip_error_t zerr;
        zip_error_init_with_code(&zerr, ze);
        xlsxr_fail(w, "el libro .xlsx está dañado: su contenedor ZIP no se puede leer (%s); " XLSX_RESAVE,
                   zip_error_strerror(&zerr));
        zip_error_fini(&zerr);
        return false;
    }
    zip_int64_t n = zip_get_num_entries(w->zip, 0);
    if (n > XLSX_MAX_PARTS) {
        xlsxr_fail(w, "el libro tiene %" G_GINT64_FORMAT " partes (más de %d): no parece un libro real; " XLSX_RESAVE,
                   (gint64)n, XLSX_MAX_PARTS);
        return false;
    }
    return true;
}

bool xlsxr_has_part(const workbook *w, const char *name)
{
    return zip_name_locate(w->zip, name, ZIP_FL_NOCASE) >= 0;
}

/* ---- SAX plumbing --------------------------------------------------------------------------------- */

const char *xlsxr_attr(const xmlChar **attrs, int nattrs, const char *name, const char *ns, size_t *len)
{
    for (int i = 0; i < nattrs; i++) {
        const xmlChar **a = attrs + 5 * i;
        if (strcmp((const char *)a[0], name) == 0 && (!ns || (a[2] && strcmp((const char *)a[2], ns) == 0))) {
            *len = (size_t)(a[4] - a[3]);
            return (const char *)a[3];
        }
    }
    return NULL;
}

char *xlsxr_attr_dup(const xmlChar **attrs, int nattrs, const char *name, const char *ns)
{
    size_t len;
    const char *v = xlsxr_attr(attrs, nattrs, name, ns, &len);
    return v ? g_strndup(v, len) : NULL;
}

bool xlsxr_enter(sax_state *s)
{
    if (++s->depth > XLSX_MAX_DEPTH && !s->too_deep) {
        s->too_deep = true;
        xmlStopParser(s->parser);
    }
    return !s->too_deep;
}

void xlsxr_sax_end(void *ud, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    (void)local, (void)prefix, (void)uri;
    ((sax_state *)ud)->depth--;
}

/* No part of a workbook declares a DTD: one that does is refused before any of its entities is
 * declared (libxml2 would otherwise keep them, even in SAX mode). */
static void refuse_doctype(void *ud, const xmlChar *name, const xmlChar *external, const xmlChar *system)
{
    (void)name, (void)external, (void)system;
    sax_state *s = ud;
    s->doctype = true;
    xmlStopParser(s->parser);
}

/* libxml2's messages are English and go to stderr by default: the part's outcome says it instead. */
static void quiet(void *ud, xmlErrorPtr error)
{
    (void)ud, (void)error;
}

void xlsxr_sax_init(xmlSAXHandler *sax, startElementNsSAX2Func start, endElementNsSAX2Func end,
                    charactersSAXFunc chars)
{
    memset(sax, 0, sizeof *sax);
    sax->initialized = XML_SAX2_MAGIC;
    sax->internalSubset = refuse_doctype;
    sax->serror = quiet;
    sax->startElementNs = start;
    sax->endElementNs = end;
    sax->characters = chars;
}

/* ---- a part, inflated into the parser -------------------------------------------------------------- */

/* Parts at least this big (compressed) are inflated on a thread of their own when w->inflate_ahead. */
#define AHEAD_MIN_BYTES (1u << 20)
/* Chunks of inflated bytes in flight from that thread to the parser: bounds memory. */
#define AHEAD_CHUNKS 4

typedef struct chunk {
    char *data;
    zip_int64_t len;         /* 0 at the end of the part, < 0 when it is damaged */
} chunk;

typedef struct part_input {
    workbook *w;
    const char *name;
    zip_file_t *file;
    uint64_t comp;           /* compressed size (0: unknown) */
    uint64_t max;            /* inflated bytes allowed */
    uint64_t total;          /* inflated so far */
    chunk *cur;              /* inflated bytes being handed to the parser */
    size_t off;
    chunk chunks[AHEAD_CHUNKS];
    /* Inflating ahead: a thread fills chunks while the parser reads the one before. */
    GThread *thread;
    GAsyncQueue *full, *free_q;
    gint stop;               /* the parser wants no more */
    bool done;               /* the parser took the last chunk */
    char *zip_error;         /* why the thread could not inflate (g_free) */
} part_input;

static gpointer inflate_ahead(gpointer data)
{
    part_input *in = data;
    for (;;) {
        chunk *c = g_async_queue_pop(in->free_q);
        c->len = g_atomic_int_get(&in->stop) ? 0 : zip_fread(in->file, c->data, XLSX_CHUNK);
        if (c->len < 0)
            in->zip_error = g_strdup(zip_file_strerror(in->file));
        bool last = c->len <= 0;
        g_async_queue_push(in->full, c);
        if (last)
            return NULL;
    }
}

/* The next chunk of the part: from the inflating thread, or inflated here. */
static chunk *next_chunk(part_input *in)
{
    if (!in->thread) {
        in->cur->len = zip_fread(in->file, in->cur->data, XLSX_CHUNK);
        return in->cur;
    }
    if (in->cur)
        g_async_queue_push(in->free_q, in->cur);
    in->cur = g_async_queue_pop(in->full);
    in->done = in->cur->len <= 0;
    return in->cur;
}

/* libxml2 asks for a few KiB at a time: the part is inflated XLSX_CHUNK bytes at a time instead,
 * under its limits; -1 stops the parse (w->status says why). */
static int part_read(void *ctx, char *out, int want)
{
    part_input *in = ctx;
    if (!in->cur || in->off == (size_t)in->cur->len) {
        chunk *c = next_chunk(in);
        if (c->len < 0) {
            xlsxr_fail(in->w, "la parte %s del libro está dañada (%s); " XLSX_RESAVE, in->name,
                       in->zip_error ? in->zip_error : zip_file_strerror(in->file));
            return -1;
        }
        in->total += (uint64_t)c->len;
        if (in->total > in->max || (in->total > XLSX_BOMB_FLOOR && in->total > in->comp * XLSX_BOMB_RATIO)) {
            xlsxr_fail(in->w, "la parte %s del libro se descomprime a un tamaño desmesurado (más de %" G_GUINT64_FORMAT
                       " MiB, %" G_GUINT64_FORMAT " veces su tamaño comprimido): no parece un libro real, no se lee",
                       in->name, in->total >> 20, in->comp ? in->total / in->comp : in->total);
            return -1;
        }
        in->off = 0;
    }
    size_t n = MIN((size_t)want, (size_t)in->cur->len - in->off);
    memcpy(out, in->cur->data + in->off, n);
    in->off += n;
    return (int)n;
}

/* Starts inflating on a thread of its own (a big part, when the workbook is read threaded). */
static void input_start(part_input *in)
{
    int nchunks = in->w->inflate_ahead && in->comp >= AHEAD_MIN_BYTES ? AHEAD_CHUNKS : 1;
    for (int i = 0; i < nchunks; i++)
        in->chunks[i].data = g_malloc(XLSX_CHUNK);
    if (nchunks == 1) {
        in->cur = &in->chunks[0];
        in->cur->len = 0;
        in->off = 0;
        return;
    }
    in->full = g_async_queue_new();
    in->free_q = g_async_queue_new();
    for (int i = 0; i < nchunks; i++)
        g_async_queue_push(in->free_q, &in->chunks[i]);
    in->thread = g_thread_new("observa-inflar", inflate_ahead, in);
}

/* Stops the inflating thread (the parser may have stopped before the end) and frees the chunks. */
static void input_finish(part_input *in)
{
    if (in->thread) {
        g_atomic_int_set(&in->stop, 1);
        if (in->cur)
            g_async_queue_push(in->free_q, in->cur);
        while (!in->done) {
            chunk *c = g_async_queue_pop(in->full);
            in->done = c->len <= 0;
            g_async_queue_push(in->free_q, c);
        }
        g_thread_join(in->thread);
        g_async_queue_unref(in->full);
        g_async_queue_unref(in->free_q);
    }
    for (int i = 0; i < AHEAD_CHUNKS; i++)
        g_free(in->chunks[i].data);
    g_free(in->zip_error);
}

/* Opens part idx for reading; NULL (w->status set) when it cannot be, a password among the reasons. */
static zip_file_t *open_part(workbook *w, const char *name, zip_int64_t idx)
{
    zip_file_t *f = zip_fopen_index(w->zip, (zip_uint64_t)idx, 0);
    if (f)
        return f;
    int ze = zip_error_code_zip(zip_get_error(w->zip));
    if (ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD || ze == ZIP_ER_ENCRNOTSUPP)
        xlsxr_fail(w, "el libro está protegido con contraseña; ábralo, quítele la contraseña y guárdelo como .xlsx "
                      "o como «CSV UTF-8 (delimitado por comas)»");
    else
        xlsxr_fail(w, "no se puede leer la parte %s del libro (%s); " XLSX_RESAVE, name, zip_strerror(w->zip));
    return NULL;
}

/* After the parse: why the part failed, if it did. */
static bool part_outcome(workbook *w, const char *name, const sax_state *s, int parsed)
{
    if (w->status != OBS_OK)
        return false;
    if (s->too_deep)
        xlsxr_fail(w, "la parte %s del libro anida sus elementos más de %d niveles: no parece un libro real, no "
                      "se lee", name, XLSX_MAX_DEPTH);
    else if (s->doctype)
        xlsxr_fail(w, "la parte %s del libro declara un DOCTYPE (con entidades XML), que ningún libro .xlsx tiene: "
                      "no se lee", name);
    else if (!s->stopped && (parsed != 0 || !s->parser->wellFormed))
        xlsxr_fail(w, "la parte %s del libro no es XML bien formado (línea %d); " XLSX_RESAVE, name,
                   xmlSAX2GetLineNumber(s->parser));
    return w->status == OBS_OK;
}

bool xlsxr_parse_part(workbook *w, const char *name, uint64_t max, xmlSAXHandler *sax, sax_state *state)
{
    zip_int64_t idx = zip_name_locate(w->zip, name, ZIP_FL_NOCASE);
    if (idx < 0) {
        xlsxr_fail(w, "el libro no tiene la parte %s; " XLSX_RESAVE, name);
        return false;
    }
    zip_stat_t zs;
    zip_stat_init(&zs);
    part_input in = {.w = w, .name = name, .max = max};
    if (zip_stat_index(w->zip, (zip_uint64_t)idx, 0, &zs) == 0 && (zs.valid & ZIP_STAT_COMP_SIZE))
        in.comp = zs.comp_size;
    in.file = open_part(w, name, idx);
    if (!in.file)
        return false;
    input_start(&in);
    state->depth = 0;
    state->parser = xmlCreateIOParserCtxt(sax, state, part_read, NULL, &in, XML_CHAR_ENCODING_NONE);
    bool ok = false;
    if (!state->parser) {
        xlsxr_fail(w, "no se pudo preparar la lectura de la parte %s del libro", name);
    } else {
        /* No network, no entity substitution, no DTD loading: nothing from outside the part. */
        xmlCtxtUseOptions(state->parser, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        int parsed = xmlParseDocument(state->parser);
        ok = part_outcome(w, name, state, parsed);
        if (state->parser->myDoc)
            xmlFreeDoc(state->parser->myDoc);
        xmlFreeParserCtxt(state->parser);
    }
    state->parser = NULL;
    input_finish(&in);
    zip_fclose(in.file);
    return ok;
}
