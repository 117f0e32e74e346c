/* csvread.c - streaming CSV reader over libcsv: lines, encodings, delimiters, limits. */
#include "csvread.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define READ_CHUNK (256 * 1024)
#define DEFAULT_MAX_FIELD (64 * 1024)
#define DEFAULT_MAX_RECORD (1024 * 1024)
/* libcsv's state before any byte of a record has been seen. */
#define LIBCSV_ROW_NOT_BEGUN 0

typedef struct span {
    size_t off;
    size_t len;
} span;

typedef struct reader {
    struct csv_parser parser;
    unsigned char csv_opts;
    char delimiter;
    obs_encoding enc;       /* AUTO until the first non-ASCII field decides. */
    GIConv cp1252;          /* Opened lazily. */
    size_t max_field;
    size_t max_record;
    bool comments;

    GString *buf;           /* Bytes of the current record's fields (UTF-8). */
    GArray *spans;          /* span per field. */
    GArray *fields;         /* obs_csv_field, rebuilt at each record. */
    uint64_t line;          /* Physical line being fed (1-based). */
    uint64_t rec_line;      /* Line where the current record started. */
    size_t rec_bytes;
    obs_csv_defect defect;
    unsigned bad_column;

    obs_csv_record_fn on_record;
    void *ud;
    bool stop;
} reader;

static int space_only(unsigned char c)
{
    /* libcsv's default also treats TAB as space, which breaks TAB-delimited files. */
    return c == ' ';
}

static void parser_reset(reader *r)
{
    csv_free(&r->parser);
    csv_init(&r->parser, r->csv_opts);
    csv_set_delim(&r->parser, (unsigned char)r->delimiter);
    csv_set_space_func(&r->parser, space_only);
}

static void record_clear(reader *r)
{
    g_string_truncate(r->buf, 0);
    g_array_set_size(r->spans, 0);
    r->rec_bytes = 0;
    r->defect = OBS_CSV_OK;
    r->bad_column = 0;
}

static void set_defect(reader *r, obs_csv_defect d, unsigned column)
{
    if (r->defect == OBS_CSV_OK) {
        r->defect = d;
        r->bad_column = column;
    }
}

static void emit_record(reader *r)
{
    g_array_set_size(r->fields, r->spans->len);
    for (guint i = 0; i < r->spans->len; i++) {
        span s = g_array_index(r->spans, span, i);
        obs_csv_field *f = &g_array_index(r->fields, obs_csv_field, i);
        f->ptr = r->buf->str + s.off;
        f->len = s.len;
    }
    obs_csv_record rec = {
        .line = r->rec_line,
        .nfields = r->spans->len,
        .fields = (const obs_csv_field *)(void *)r->fields->data,
        .defect = r->defect,
        .bad_column = r->bad_column,
        .encoding = r->enc,
    };
    if (!r->stop && !r->on_record(r->ud, &rec))
        r->stop = true;
    record_clear(r);
}

static bool has_high_bit(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] & 0x80)
            return true;
    return false;
}

/* Appends CP1252 bytes converted to UTF-8; false if a byte is undefined in CP1252. */
static bool append_cp1252(reader *r, const char *s, size_t len)
{
    if (r->cp1252 == (GIConv)-1)
        return false;
    size_t start = r->buf->len;
    g_string_set_size(r->buf, start + len * 3 + 1);
    gchar *in = (gchar *)s;
    gsize inleft = len;
    gchar *out = r->buf->str + start;
    gsize outleft = len * 3 + 1;
    g_iconv(r->cp1252, NULL, NULL, NULL, NULL);
    gsize rc = g_iconv(r->cp1252, &in, &inleft, &out, &outleft);
    g_string_set_size(r->buf, (gsize)(out - r->buf->str));
    if (rc == (gsize)-1 || inleft != 0) {
        g_string_truncate(r->buf, start);
        return false;
    }
    return true;
}

static void on_field(void *data, size_t len, void *ud)
{
    reader *r = ud;
    const char *s = data ? data : "";
    unsigned column = r->spans->len + 1;
    span sp = {r->buf->len, 0};
    if (len > r->max_field) {
        set_defect(r, OBS_CSV_FIELD_TOO_LONG, column);
        g_array_append_val(r->spans, sp);
        return;
    }
    if (memchr(s, '\0', len)) {
        set_defect(r, OBS_CSV_BAD_BYTES, column);
        g_array_append_val(r->spans, sp);
        return;
    }
    if (!has_high_bit((const unsigned char *)s, len)) {
        g_string_append_len(r->buf, s, (gssize)len);
    } else {
        if (r->enc == OBS_ENC_AUTO) {
            /* The first non-ASCII text decides the file's encoding (data contract §1). */
            r->enc = g_utf8_validate_len(s, len, NULL) ? OBS_ENC_UTF8 : OBS_ENC_CP1252;
            if (r->enc == OBS_ENC_CP1252 && r->cp1252 == NULL)
                r->cp1252 = g_iconv_open("UTF-8", "WINDOWS-1252");
        }
        if (r->enc == OBS_ENC_UTF8) {
            if (g_utf8_validate_len(s, len, NULL))
                g_string_append_len(r->buf, s, (gssize)len);
            else
                set_defect(r, OBS_CSV_BAD_BYTES, column);
        } else if (!append_cp1252(r, s, len)) {
            set_defect(r, OBS_CSV_BAD_BYTES, column);
        }
    }
    sp.len = r->buf->len - sp.off;
    g_array_append_val(r->spans, sp);
}

static void on_row(int c, void *ud)
{
    (void)c;
    emit_record(ud);
}

/* Picks the delimiter that occurs most often outside quotes in the first line. */
static char detect_delimiter(const char *s, size_t len)
{
    size_t comma = 0, semi = 0, tab = 0;
    bool quoted = false;
    for (size_t i = 0; i < len && (quoted || (s[i] != '\n' && s[i] != '\r')); i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted && s[i] == ',')
            comma++;
        else if (!quoted && s[i] == ';')
            semi++;
        else if (!quoted && s[i] == '\t')
            tab++;
    }
    if (semi > comma && semi >= tab)
        return ';';
    if (tab > comma && tab > semi)
        return '\t';
    return ',';
}

/* Feeds one piece of a physical line (ending with '\n' or not) to libcsv. */
static void feed(reader *r, const char *s, size_t len, bool *skip_to_eol)
{
    if (*skip_to_eol)
        return;
    r->rec_bytes += len;
    if (r->rec_bytes > r->max_record) {
        set_defect(r, OBS_CSV_TOO_LONG, 0);
        emit_record(r);
        parser_reset(r);
        *skip_to_eol = true;
        return;
    }
    size_t n = csv_parse(&r->parser, s, len, on_field, on_row, r);
    if (n != len) {
        set_defect(r, csv_error(&r->parser) == CSV_EPARSE ? OBS_CSV_MALFORMED : OBS_CSV_TOO_LONG, 0);
        emit_record(r);
        parser_reset(r);
        *skip_to_eol = true;
    }
}

static bool line_starts_record(const reader *r)
{
    return r->parser.pstate == LIBCSV_ROW_NOT_BEGUN && r->spans->len == 0;
}

obs_status obs_csv_read(const char *path, const obs_csv_options *opts,
                        obs_csv_record_fn on_record, void *ud,
                        obs_csv_result *result, obs_error *err)
{
    memset(result, 0, sizeof *result);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return obs_error_set(err, OBS_ERR_NOINPUT, path, 0, 0,
                             "no se puede abrir el archivo: %s; revise la ruta y los permisos",
                             g_strerror(errno));

    reader r = {0};
    r.csv_opts = CSV_STRICT | CSV_STRICT_FINI;
    r.enc = opts->encoding;
    r.max_field = opts->max_field ? opts->max_field : DEFAULT_MAX_FIELD;
    r.max_record = opts->max_record ? opts->max_record : DEFAULT_MAX_RECORD;
    r.comments = opts->comments;
    r.buf = g_string_sized_new(1024);
    r.spans = g_array_new(FALSE, FALSE, sizeof(span));
    r.fields = g_array_new(FALSE, FALSE, sizeof(obs_csv_field));
    r.on_record = on_record;
    r.ud = ud;
    r.line = 1;
    if (r.enc == OBS_ENC_CP1252)
        r.cp1252 = g_iconv_open("UTF-8", "WINDOWS-1252");

    GChecksum *sha = g_checksum_new(G_CHECKSUM_SHA256);
    char *chunk = g_malloc(READ_CHUNK);
    obs_status status = OBS_OK;
    bool first = true, at_line_start = true, skip_to_eol = false, skip_comment = false;
    bool parser_ready = false;

    for (;;) {
        ssize_t got = read(fd, chunk, READ_CHUNK);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            status = obs_error_set(err, OBS_ERR_NOINPUT, path, 0, 0,
                                   "error al leer el archivo: %s", g_strerror(errno));
            break;
        }
        if (got == 0)
            break;
        g_checksum_update(sha, (const guchar *)chunk, (gssize)got);
        result->bytes += (uint64_t)got;
        const char *p = chunk;
        size_t left = (size_t)got;
        if (first) {
            first = false;
            if (memchr(chunk, '\0', left)) {
                result->binary = true;
                status = obs_error_set(err, OBS_ERR_DATA, path, 0, 0,
                                       "el archivo contiene bytes nulos: no parece un archivo CSV de texto; "
                                       "expórtelo de nuevo como CSV");
                break;
            }
            if (left >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
                result->bom = true;
                p += 3;
                left -= 3;
                if (r.enc == OBS_ENC_AUTO)
                    r.enc = OBS_ENC_UTF8;
            }
            r.delimiter = opts->delimiter ? opts->delimiter : detect_delimiter(p, left);
            csv_init(&r.parser, r.csv_opts);
            parser_ready = true;
            parser_reset(&r);
        }
        while (left > 0 && !r.stop) {
            const char *nl = memchr(p, '\n', left);
            size_t seg = nl ? (size_t)(nl - p) + 1 : left;
            if (at_line_start) {
                if (line_starts_record(&r)) {
                    r.rec_line = r.line;
                    skip_comment = r.comments && p[0] == '#';
                }
            }
            if (!skip_comment)
                feed(&r, p, seg, &skip_to_eol);
            p += seg;
            left -= seg;
            at_line_start = nl != NULL;
            if (nl) {
                r.line++;
                skip_to_eol = false;
                skip_comment = false;
            }
        }
        if (r.stop)
            break;
    }
    if (status == OBS_OK && parser_ready && !r.stop) {
        if (csv_fini(&r.parser, on_field, on_row, &r) != 0) {
            set_defect(&r, OBS_CSV_UNTERMINATED, 0);
            emit_record(&r);
        } else if (r.spans->len > 0) {
            emit_record(&r);
        }
    }
    result->lines = at_line_start ? r.line - 1 : r.line;
    result->encoding = r.enc;
    result->delimiter = r.delimiter ? r.delimiter : ',';
    g_strlcpy(result->sha256, g_checksum_get_string(sha), sizeof result->sha256);

    if (parser_ready)
        csv_free(&r.parser);
    if (r.cp1252 && r.cp1252 != (GIConv)-1)
        g_iconv_close(r.cp1252);
    g_checksum_free(sha);
    g_free(chunk);
    g_string_free(r.buf, TRUE);
    g_array_free(r.spans, TRUE);
    g_array_free(r.fields, TRUE);
    close(fd);
    return status;
}
