/* b64.c - base64 encoding, a streaming decoder and a one-shot canonical
 * decoder on top of it. */
#include "b64.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t b64_encode(const uint8_t *in, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        size_t left = n - i;
        uint32_t v = (uint32_t)in[i] << 16;
        if (left > 1)
            v |= (uint32_t)in[i + 1] << 8;
        if (left > 2)
            v |= in[i + 2];
        out[o++] = alphabet[v >> 18 & 63];
        out[o++] = alphabet[v >> 12 & 63];
        out[o++] = left > 1 ? alphabet[v >> 6 & 63] : '=';
        out[o++] = left > 2 ? alphabet[v & 63] : '=';
    }
    out[o] = '\0';
    return o;
}

static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Emit the bytes of a complete (4-character) quantum. */
static size_t flush_quantum(struct b64_decoder *d, uint8_t *out)
{
    size_t n = 3 - d->npad;
    out[0] = (uint8_t)(d->acc >> 16);
    if (n > 1)
        out[1] = (uint8_t)(d->acc >> 8);
    if (n > 2)
        out[2] = (uint8_t)d->acc;
    if (d->npad)
        d->finished = 1;
    d->acc = 0;
    d->nchars = 0;
    d->npad = 0;
    return n;
}

static enum b64_status fail(struct b64_decoder *d, enum b64_status st, char c)
{
    d->bad_offset = d->offset;
    d->bad_char = c;
    return st;
}

enum b64_status b64_decode_update(struct b64_decoder *d, const char *in, size_t len,
                                  uint8_t *out, size_t *outlen)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++, d->offset++) {
        char c = in[i];
        if (is_space(c))
            continue;
        if (d->finished)
            return *outlen = o, fail(d, B64_TRAILING, c);
        if (c == '=') {
            /* padding may only fill the third and fourth character */
            if (d->nchars + d->npad < 2)
                return *outlen = o, fail(d, B64_BAD_CHAR, c);
            d->npad++;
        } else {
            int v = b64_value(c);
            if (v < 0 || d->npad)
                return *outlen = o, fail(d, B64_BAD_CHAR, c);
            d->acc |= (uint32_t)v << (18 - 6 * d->nchars);
            d->nchars++;
        }
        if (d->nchars + d->npad == 4)
            o += flush_quantum(d, out + o);
    }
    *outlen = o;
    return B64_OK;
}

enum b64_status b64_decode_final(struct b64_decoder *d, uint8_t *out, size_t *outlen)
{
    *outlen = 0;
    if (d->nchars + d->npad == 0)
        return B64_OK;
    if (d->nchars < 2)
        return fail(d, B64_TRUNCATED, '\0');
    d->npad = 4 - d->nchars;   /* 2 characters give 1 byte, 3 give 2 */
    *outlen = flush_quantum(d, out);
    return B64_OK;
}

enum b64_status b64_decode_canonical(const char *in, size_t len, uint8_t *out, size_t *outlen)
{
    *outlen = 0;
    if (len % 4)
        return B64_TRUNCATED;
    for (size_t i = 0; i < len; i++)
        if (is_space(in[i]))
            return B64_BAD_CHAR;   /* the streaming decoder would skip it */
    struct b64_decoder d = { 0 };
    enum b64_status st = b64_decode_update(&d, in, len, out, outlen);
    if (st != B64_OK)
        return st;
    /* whole quanta: any padding ends the data; the bits it leaves unused
     * (the low 2 of the last character before "=", 4 before "==") must be zero */
    size_t pad = len && in[len - 1] == '=' ? (in[len - 2] == '=' ? 2 : 1) : 0;
    if (pad && (b64_value(in[len - 1 - pad]) & (pad == 1 ? 0x3 : 0xf)))
        return B64_NONCANONICAL;
    return B64_OK;
}
