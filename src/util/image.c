/* image.c - whether the bytes of a logo are a sound PNG or JPEG, before libharu (which aborts on some damaged files) reads them. */
#include "util/image_int.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* CRC-32 of PNG chunks (ISO 3309, reflected polynomial 0xEDB88320). */
static uint32_t png_crc(const guchar *p, size_t n)
{
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return crc ^ 0xffffffffu;
}

static uint32_t be32(const guchar *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool png_ihdr_ok(const guchar *d)
{
    uint32_t w = be32(d), h = be32(d + 4);
    unsigned depth = d[8], type = d[9];
    bool depth_ok = (type == 0 && (depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16)) ||
                    (type == 3 && (depth == 1 || depth == 2 || depth == 4 || depth == 8)) ||
                    ((type == 2 || type == 4 || type == 6) && (depth == 8 || depth == 16));
    return w > 0 && h > 0 && w <= 20000 && h <= 20000 && depth_ok && d[10] == 0 && d[11] == 0 &&
           d[12] <= 1;
}

/*
 * libharu 2.3.0 hands PNGs to libpng with an error callback that returns
 * instead of longjmp-ing, so libpng abort()s the whole process on a malformed
 * file. The structure is therefore checked first: signature, chunk lengths and
 * CRCs, IHDR values, chunk order, PLTE for palette images, IDAT, IEND. This
 * rejects truncated, corrupted and mislabelled files; only a PNG whose CRCs
 * are right around a broken zlib stream would still reach libpng's abort().
 */
static bool png_is_sound(const guchar *d, size_t n)
{
    static const guchar sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (n < 8 || memcmp(d, sig, 8) != 0)
        return false;
    size_t pos = 8;
    bool ihdr = false, plte = false, idat = false, idat_ended = false;
    unsigned type = 0;
    while (pos + 12 <= n) {
        uint32_t len = be32(d + pos);
        if (len > 0x7fffffffu || len > n - pos - 12)
            return false;
        const guchar *tag = d + pos + 4, *data = tag + 4;
        if (png_crc(tag, (size_t)len + 4) != be32(data + len))
            return false;
        for (int k = 0; k < 4; k++)
            if (!g_ascii_isalpha(tag[k]))
                return false;
        bool is_idat = memcmp(tag, "IDAT", 4) == 0;
        if (!ihdr) {
            if (memcmp(tag, "IHDR", 4) != 0 || len != 13 || !png_ihdr_ok(data))
                return false;
            ihdr = true;
            type = data[9];
        } else if (memcmp(tag, "IEND", 4) == 0) {
            return len == 0 && idat && (type != 3 || plte);
        } else if (memcmp(tag, "PLTE", 4) == 0) {
            if (idat || plte || len == 0 || len % 3 != 0 || len > 768 || type == 0 || type == 4)
                return false;
            plte = true;
        } else if (is_idat) {
            if (idat_ended)
                return false; /* IDAT chunks must be consecutive */
            idat = true;
        } else if (g_ascii_isupper(tag[0])) {
            return false; /* an unknown critical chunk */
        }
        if (idat && !is_idat)
            idat_ended = true;
        pos += 12 + (size_t)len;
    }
    return false; /* no IEND */
}

/* Big-endian 16 bits. */
static unsigned be16(const guchar *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

/* A JPEG's markers from SOI on: each segment's length within the file, a frame header (SOFn)
 * with a non-zero size before the first scan (SOS). */
static bool jpeg_is_sound(const guchar *d, size_t n)
{
    if (n < 4 || d[0] != 0xff || d[1] != 0xd8)
        return false;
    size_t pos = 2;
    bool frame = false;
    while (pos + 4 <= n) {
        if (d[pos] != 0xff)
            return false;
        unsigned marker = d[pos + 1];
        if (marker == 0xff) { /* fill byte */
            pos++;
            continue;
        }
        if (marker == 0xd8 || marker == 0xd9 || (marker >= 0xd0 && marker <= 0xd7) || marker == 0x01)
            return false; /* SOI again, EOI or RST before any scan */
        size_t len = be16(d + pos + 2);
        if (len < 2 || len > n - pos - 2)
            return false;
        bool sof = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
        if (sof) {
            if (len < 8 || be16(d + pos + 5) == 0 || be16(d + pos + 7) == 0)
                return false;
            frame = true;
        }
        if (marker == 0xda)
            return frame;
        pos += 2 + len;
    }
    return false;
}

obs_status obs_image_check(const unsigned char *data, size_t n, const char *path, obs_image_kind *kind,
                           obs_error *err)
{
    *kind = OBS_IMAGE_NONE;
    if (n >= 8 && data[0] == 0x89 && memcmp(data + 1, "PNG", 3) == 0) {
        if (!png_is_sound(data, n))
            return obs_error_set(err, OBS_ERR_CONFIG, path, 0, 0,
                                 "el logotipo no es un PNG válido (archivo truncado o dañado)");
        *kind = OBS_IMAGE_PNG;
        return OBS_OK;
    }
    if (n >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff) {
        if (!jpeg_is_sound(data, n))
            return obs_error_set(err, OBS_ERR_CONFIG, path, 0, 0,
                                 "el logotipo no es un JPEG válido (archivo truncado o dañado)");
        *kind = OBS_IMAGE_JPEG;
        return OBS_OK;
    }
    return obs_error_set(err, OBS_ERR_CONFIG, path, 0, 0, "el logotipo no es una imagen PNG ni JPEG");
}
