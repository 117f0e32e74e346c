/* csv_sniff.c - what a file's first bytes say: not text, BOM, line ends, sep=, title lines, header, delimiter. */
#include "ingest/csv_reader_int.h"

#include <string.h>

/* Lines looked at for the header: up to 10 title lines, then the header (data contract §1). */
#define HEADER_CANDIDATES 11
/* An OLE2 compound file: a workbook of Excel 97-2003 (.xls), or an encrypted .xlsx. */
#define OLE2_SIGNATURE "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
/* A first chunk with more NUL bytes than this share (1/n) is not text. */
#define NUL_SHARE 10

/* ---- the first chunk: what is not CSV text, BOM, line ends ------------------------------------- */

/* Whether needle[0..n) occurs in s[0..len) (bytes, NULs included). */
static bool contains_bytes_n(const char *s, size_t len, const char *needle, size_t n)
{
    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (memcmp(s + i, needle, n) == 0)
            return true;
    return false;
}

static bool contains_bytes(const char *s, size_t len, const char *needle)
{
    return contains_bytes_n(s, len, needle, strlen(needle));
}

/* Why the first bytes are not CSV text, or NULL (data contract §1: refused with what to do). */
static const char *not_text(const char *s, size_t len)
{
    static const char zip[] = "PK\x03\x04";
    if (len >= 2 && ((s[0] == '\xFF' && s[1] == '\xFE') || (s[0] == '\xFE' && s[1] == '\xFF')))
        return "el archivo está en UTF-16 (Unicode), no en UTF-8 ni Windows-1252; en Excel use "
               "«Guardar como» › «CSV UTF-8 (delimitado por comas)»";
    if (len >= 4 && memcmp(s, zip, 4) == 0) {
        if (contains_bytes(s, MIN(len, (size_t)128), "application/vnd.oasis.opendocument"))
            return "el archivo es una hoja de cálculo de OpenDocument (.ods), no un CSV; guárdelo "
                   "como .xlsx o como «CSV UTF-8 (delimitado por comas)»";
        /* A workbook that opens is read as one (obs_xlsx_is_workbook()): this ZIP is not. */
        return "el archivo es un ZIP que no es un libro .xlsx legible (está dañado, o no tiene la parte del "
               "libro) ni un CSV; si es un libro de Excel, ábralo y guárdelo de nuevo como .xlsx o como "
               "«CSV UTF-8 (delimitado por comas)»";
    }
    if (len >= 8 && memcmp(s, OLE2_SIGNATURE, 8) == 0)
        return "el archivo es un libro de Excel 97-2003 (.xls), no un CSV; guárdelo como .xlsx o como "
               "«CSV UTF-8 (delimitado por comas)»";
    size_t nul = 0, odd = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\0') {
            nul++;
            odd += i & 1;
        }
    if (nul * NUL_SHARE <= len)
        return NULL;
    if (nul * 3 >= len && (odd * 10 >= nul * 9 || odd * 10 <= nul))
        return "el archivo parece estar en UTF-16 (Unicode), no en UTF-8 ni Windows-1252; en Excel "
               "use «Guardar como» › «CSV UTF-8 (delimitado por comas)»";
    return "el archivo no es texto (la mayoría de sus primeros bytes son nulos); exporte de nuevo la "
           "tabla como CSV";
}

/* Whether an OLE2 compound file is an encrypted Office document: its first directory sector lists
 * an "EncryptionInfo" stream (MS-OFFCRYPTO; an .xlsx with a password is saved that way). */
static bool ole2_encrypted(reader *r, const char *s, size_t len)
{
    static const char name[] = "E\0n\0c\0r\0y\0p\0t\0i\0o\0n\0I\0n\0f\0o\0";
    if (len < 0x34)
        return false;
    unsigned shift = (unsigned char)s[0x1E] | (unsigned)(unsigned char)s[0x1F] << 8;
    uint32_t sect = (uint32_t)(unsigned char)s[0x30] | (uint32_t)(unsigned char)s[0x31] << 8 |
                    (uint32_t)(unsigned char)s[0x32] << 16 | (uint32_t)(unsigned char)s[0x33] << 24;
    if ((shift != 9 && shift != 12) || sect >= 0xFFFFFFFAu)
        return false;
    size_t size = (size_t)1 << shift;
    uint64_t off = ((uint64_t)sect + 1) << shift;
    if (off + size <= len)
        return contains_bytes_n(s + off, size, name, sizeof name - 1);
    if (!r->seekable)
        return false;
    char *dir = g_malloc(size);
    ssize_t got = read_at(r, dir, size, off);
    bool yes = got > 0 && contains_bytes_n(dir, (size_t)got, name, sizeof name - 1);
    g_free(dir);
    return yes;
}

/* The first chunk: refusals (not CSV text), a BOM, CR-only line ends; the lines before the header
 * are csvr_sniff_prelude()'s. Returns the bytes of s not to feed (a BOM), or -1 to stop. */
ssize_t csvr_first_chunk(reader *r, const char *s, size_t len)
{
    obs_csv_result *res = r->result;
    const char *why = not_text(s, len);
    if (len >= 8 && memcmp(s, OLE2_SIGNATURE, 8) == 0 && ole2_encrypted(r, s, len))
        why = "el libro de Excel está cifrado con contraseña y observa no puede leerlo; ábralo en Excel, quítele la "
              "contraseña (Archivo › Información › Proteger libro › Cifrar con contraseña, y bórrela) y guárdelo "
              "como .xlsx o como «CSV UTF-8 (delimitado por comas)»";
    if (why) {
        res->binary = true;
        r->status = obs_error_set(&r->err, OBS_ERR_DATA, r->path, 0, 0, "%s", why);
        return -1;
    }
    size_t skip = 0;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        res->bom = true;
        skip = 3;
        if (r->enc == OBS_ENC_AUTO)
            r->enc = OBS_ENC_UTF8;
    }
    if (memchr(s, '\r', len) && !memchr(s, '\n', len)) {
        r->cr_only = res->cr_only = true;
        r->eol = '\r';
    }
    return (ssize_t)skip;
}

/* Picks the delimiter that occurs most often outside quotes in the first line. */
char csvr_detect_delimiter(const char *s, size_t len)
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

/* Length of the physical line at s (its line end included), or 0 if it does not end in s[0..len)
 * (at_eof: the rest of the file is this line). */
static size_t line_length(const char *s, size_t len, char eol, bool at_eof)
{
    const char *nl = memchr(s, eol, len);
    if (nl)
        return (size_t)(nl - s) + 1;
    return at_eof ? len : 0;
}

/* Excel's first line "sep=X" (optionally quoted): the delimiter, or 0 if the line is not one. */
static char sep_line_delimiter(const char *s, size_t len)
{
    if (len > 0 && s[0] == '"') {
        s++;
        len--;
    }
    if (len < 5 || g_ascii_strncasecmp(s, "sep=", 4) != 0 || !strchr(",;\t|", s[4]))
        return 0;
    for (size_t i = 5; i < len && s[i] != '\n' && s[i] != '\r'; i++)
        if (s[i] != '"' && s[i] != ' ' && s[i] != s[4])
            return 0;
    return s[4];
}

/*
 * How many columns of the contract a line names when split at delim (the caller's score).
 * Quotes are stripped, not interpreted across lines: enough for a header.
 */
static size_t score_line(reader *r, const char *s, size_t len, char delim)
{
    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    GArray *fields = g_array_new(FALSE, FALSE, sizeof(obs_csv_field));
    GPtrArray *owned = g_ptr_array_new_with_free_func(g_free);
    size_t i = 0;
    while (i <= len) {
        size_t start = i;
        bool quoted = false;
        while (i < len && (quoted || s[i] != delim)) {
            if (s[i] == '"')
                quoted = !quoted;
            i++;
        }
        const char *f = s + start;
        size_t flen = i - start;
        if (flen >= 2 && f[0] == '"' && f[flen - 1] == '"') {
            f++;
            flen -= 2;
        }
        char *utf8 = g_utf8_validate_len(f, flen, NULL)
                         ? g_strndup(f, flen)
                         : g_convert(f, (gssize)flen, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);
        if (utf8) {
            g_ptr_array_add(owned, utf8);
            obs_csv_field cf = {utf8, (uint32_t)strlen(utf8), 0};
            g_array_append_val(fields, cf);
        }
        i++;
    }
    size_t score = r->header_score(r->ud, (const obs_csv_field *)(void *)fields->data, fields->len);
    g_array_free(fields, TRUE);
    g_ptr_array_free(owned, TRUE);
    return score;
}

/*
 * Looks at the first lines of the file (s[0..len), after a BOM): a `sep=X` line sets the
 * delimiter; the header is the first of the next 11 lines that names the most columns of the
 * contract, with the delimiter that names the most. Returns the bytes before the header, and
 * sets the line count, the delimiter and the number of title lines.
 */
size_t csvr_sniff_prelude(reader *r, const char *s, size_t len, bool at_eof)
{
    size_t skip = 0;
    size_t l0 = line_length(s, len, '\n', at_eof);
    char sep = l0 ? sep_line_delimiter(s, l0) : 0;
    if (sep) {
        r->result->sep_line = true;
        if (!r->delimiter)
            r->delimiter = sep;
        skip = l0;
        r->line++;
    }
    if (!r->header_score) {
        if (!r->delimiter)
            r->delimiter = csvr_detect_delimiter(s + skip, len - skip);
        return skip;
    }
    static const char candidates[] = {',', ';', '\t'};
    size_t best = 0, best_line = 0, best_off = skip;
    char best_delim = 0;
    size_t off = skip;
    for (size_t i = 0; i < HEADER_CANDIDATES && off < len; i++) {
        size_t ll = line_length(s + off, len - off, '\n', at_eof);
        if (ll == 0)
            break;
        for (size_t d = 0; d < G_N_ELEMENTS(candidates); d++) {
            char delim = r->delimiter ? r->delimiter : candidates[d];
            if (r->delimiter && d > 0)
                break;
            size_t score = score_line(r, s + off, ll, delim);
            if (score > best) {
                best = score;
                best_line = i;
                best_off = off;
                best_delim = delim;
            }
        }
        off += ll;
    }
    if (best == 0) {
        if (!r->delimiter)
            r->delimiter = csvr_detect_delimiter(s + skip, len - skip);
        return skip;
    }
    r->delimiter = best_delim;
    r->title_lines = (unsigned)best_line;
    r->line += best_line;
    return best_off;
}
