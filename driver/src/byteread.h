/* byteread.h - bounds-checked reader for the binary formats the driver
 * parses (firmware images and whatever comes after them).
 *
 * Every parser of untrusted bytes goes through these functions instead of
 * indexing the buffer itself, so there is exactly one place where a length
 * is compared with what is left:
 *   - no read ever goes past len, and the comparisons are written as
 *     "n > len - off" (off <= len always holds), so no sum can wrap;
 *   - the error is sticky: after the first short read every further read
 *     returns 0 (or NULL) and consumes nothing, so a parser may read a whole
 *     structure and test rd.err once at the end;
 *   - on error, xce_rd_bytes zero-fills its destination, so nothing
 *     uninitialised is ever handed on.
 * Multi-byte values are assembled byte by byte: no alignment assumption, the
 * same result on any host. */
#ifndef XCE_BYTEREAD_H
#define XCE_BYTEREAD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct xce_rd {
    const uint8_t *p;   /* the buffer */
    size_t len;         /* its length in bytes */
    size_t off;         /* bytes consumed so far, always <= len */
    int err;            /* set by the first read that did not fit; sticky */
};

/* A NULL buffer is only valid as an empty one. */
static inline void xce_rd_init(struct xce_rd *rd, const void *p, size_t len)
{
    rd->p = p;
    rd->len = p ? len : 0;
    rd->off = 0;
    rd->err = !p && len != 0;
}

/* Bytes not yet consumed (0 once the error is set). */
static inline size_t xce_rd_left(const struct xce_rd *rd)
{
    return rd->err ? 0 : rd->len - rd->off;
}

/* The next n bytes, consumed; NULL (and the error set) if fewer are left. */
static inline const uint8_t *xce_rd_ptr(struct xce_rd *rd, size_t n)
{
    if (rd->err || n > rd->len - rd->off) {
        rd->err = 1;
        return NULL;
    }
    /* p is NULL only for an empty buffer, where only n = 0 gets here: hand
     * back a valid pointer to zero bytes rather than NULL + 0 (undefined) */
    const uint8_t *q = rd->p ? rd->p + rd->off : (const uint8_t *)"";
    rd->off += n;
    return q;
}

/* Consume n bytes; 1 if they were there, else 0 (and the error set). */
static inline int xce_rd_skip(struct xce_rd *rd, size_t n)
{
    return xce_rd_ptr(rd, n) != NULL;
}

/* Copy the next n bytes to dst; 1 on success, else 0 with dst zeroed. */
static inline int xce_rd_bytes(struct xce_rd *rd, void *dst, size_t n)
{
    const uint8_t *q = xce_rd_ptr(rd, n);
    if (!q) {
        if (n)
            memset(dst, 0, n);
        return 0;
    }
    if (n)
        memcpy(dst, q, n);
    return 1;
}

static inline uint8_t xce_rd_u8(struct xce_rd *rd)
{
    const uint8_t *q = xce_rd_ptr(rd, 1);
    return q ? q[0] : 0;
}

static inline uint16_t xce_rd_u16le(struct xce_rd *rd)
{
    const uint8_t *q = xce_rd_ptr(rd, 2);
    return q ? (uint16_t)(q[0] | (unsigned)q[1] << 8) : 0;
}

static inline uint32_t xce_rd_u32le(struct xce_rd *rd)
{
    const uint8_t *q = xce_rd_ptr(rd, 4);
    return q ? (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24 : 0;
}

static inline uint32_t xce_rd_u32be(struct xce_rd *rd)
{
    const uint8_t *q = xce_rd_ptr(rd, 4);
    return q ? (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | (uint32_t)q[3] : 0;
}

#endif
