/* dh_groups.h - the Diffie-Hellman MODP groups of IKE, by the group numbers
 * IKE and router configurations use: 1 (768-bit) and 2 (1024-bit) from
 * RFC 2409 6.1-6.2, 5 (1536-bit), 14 (2048), 15 (3072) and 16 (4096)
 * from RFC 3526. All have generator 2. */
#ifndef XCE_DH_GROUPS_H
#define XCE_DH_GROUPS_H

#include <stddef.h>
#include <stdint.h>

#include "xce.h"

struct xce_dh_group {
    int id;                  /* IKE group number */
    unsigned bits;           /* length of the prime */
    const char *name;        /* "modp2048" ... */
    const char *prime_hex;   /* as printed in the RFC: hex words, spaces between */
    unsigned generator;
};

/* The group with that number, or NULL. */
const struct xce_dh_group *xce_dh_group_find(int id);

/* The prime as bits / 8 big-endian bytes; XCE_ERR_INVAL when cap is too
 * small (*len is then the size needed). */
int xce_dh_prime_bytes(const struct xce_dh_group *g, uint8_t *out, size_t cap, size_t *len);

/* A peer's public value y must satisfy 1 < y < p - 1 (RFC 2631 2.1.5, NIST
 * SP 800-56A 5.6.2.3.1): 0, 1 and p - 1 give a shared secret the attacker
 * knows. Both big-endian; y may have leading zero bytes and be longer or
 * shorter than p. XCE_OK or XCE_ERR_INVAL. */
int xce_dh_check_public(const uint8_t *y, size_t ylen, const uint8_t *p, size_t plen);

#endif
