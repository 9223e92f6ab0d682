/* pktread.h - bounds-checked reading of packet bytes, shared by the
 * IPsec datapath (sw/ipsec) and the ISAKMP/IKEv1 codec (sw/ike). sw/ may
 * not include the driver's private byteread.h; this is the same design,
 * big-endian as the network is.
 *
 *   - no read goes past len; comparisons are "n > len - off" (off <= len
 *     always holds), so no sum can wrap;
 *   - the error is sticky: after the first short read every read returns 0
 *     or NULL and consumes nothing, so a parser reads a whole header and
 *     tests rd.err once;
 *   - values are assembled byte by byte (no alignment assumption). */
#ifndef XCE_PKTREAD_H
#define XCE_PKTREAD_H

#include <stddef.h>
#include <stdint.h>

struct pkt_rd {
    const uint8_t *p;
    size_t len;
    size_t off;     /* <= len */
    int err;
};

static inline void pkt_rd_init(struct pkt_rd *rd, const uint8_t *p, size_t len)
{
    rd->p = p;
    rd->len = p ? len : 0;
    rd->off = 0;
    rd->err = !p && len != 0;
}

static inline size_t pkt_rd_left(const struct pkt_rd *rd)
{
    return rd->err ? 0 : rd->len - rd->off;
}

/* The next n bytes, consumed; NULL (error set) if fewer are left. */
static inline const uint8_t *pkt_rd_ptr(struct pkt_rd *rd, size_t n)
{
    if (rd->err || n > rd->len - rd->off) {
        rd->err = 1;
        return NULL;
    }
    const uint8_t *q = rd->p ? rd->p + rd->off : (const uint8_t *)"";
    rd->off += n;
    return q;
}

static inline int pkt_rd_skip(struct pkt_rd *rd, size_t n)
{
    return pkt_rd_ptr(rd, n) != NULL;
}

static inline uint8_t pkt_rd_u8(struct pkt_rd *rd)
{
    const uint8_t *q = pkt_rd_ptr(rd, 1);
    return q ? q[0] : 0;
}

static inline uint16_t pkt_rd_u16(struct pkt_rd *rd)
{
    const uint8_t *q = pkt_rd_ptr(rd, 2);
    return q ? (uint16_t)((unsigned)q[0] << 8 | q[1]) : 0;
}

static inline uint32_t pkt_rd_u32(struct pkt_rd *rd)
{
    const uint8_t *q = pkt_rd_ptr(rd, 4);
    return q ? (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | (uint32_t)q[3] : 0;
}

/* Writing into buffers whose size the caller has already checked. */
static inline void pkt_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void pkt_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline uint16_t pkt_get16(const uint8_t *p)
{
    return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

#endif
