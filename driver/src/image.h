/* image.h - what the signed-image code (image.c) and the trust store
 * (trust.c) share, and the seams their fuzz targets use. Not installed.
 * The formats are in doc/signed-images.md; the constants here are the
 * single source for them in the driver. */
#ifndef XCE_IMAGE_H
#define XCE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "xce.h"

/* --- signed image, format 1 */
#define XCE_IMG_MAGIC "XCESIMG1"
#define XCE_IMG_MAGIC_LEN 8
#define XCE_IMG_FORMAT 1
#define XCE_IMG_HDR_LEN 256
#define XCE_IMG_HASH XCE_HASH_SHA512          /* the only hash accepted */
#define XCE_IMG_SIG_PKCS1 1                   /* RSASSA-PKCS1-v1_5 */
#define XCE_IMG_MAX_PAYLOAD (1ull << 40)
#define XCE_IMG_TEXT_LEN 64                   /* signer name fields */
#define XCE_IMG_SERIAL_LEN 16
#define XCE_IMG_MAX_SIG 512

/* A key type letter (production, special, rollover), a key version. */
static inline int xce_image_key_type_ok(unsigned c)
{
    return c == XCE_IMAGE_KEY_PRODUCTION || c == XCE_IMAGE_KEY_SPECIAL || c == XCE_IMAGE_KEY_ROLLOVER;
}
static inline int xce_image_key_version_ok(unsigned c) { return c >= 'A' && c <= 'Z'; }

/* Check a 256-byte header (hdr points to at least XCE_IMG_HDR_LEN bytes,
 * len says how many there are) field by field; on success fill info (the
 * strings NUL-terminated) and return 0. On failure -1 with the reason in
 * why, info zeroed. Nothing about the file's length, name or key. */
int xce_image_parse_header(const uint8_t *hdr, size_t len, struct xce_image_info *info, char *why, size_t why_len);

/* 0 if the file name (a path: its last component counts) carries the
 * signing component S<key_type><key_version>, else -1 with the reason. */
int xce_image_check_name(const char *name, char key_type, char key_version, char *why, size_t why_len);

/* --- revocation payload (image type 4) */
#define XCE_REVK_MAGIC "XCEREVK1"
#define XCE_REVK_MAGIC_LEN 8
#define XCE_REVK_MAX_RECORDS 16
#define XCE_REVK_ADD XCE_TRUST_ADD          /* record actions: the values xce_trust_apply takes */
#define XCE_REVK_REVOKE XCE_TRUST_REVOKE

/* public keys: canonical DER SubjectPublicKeyInfo of an RSA key of one of
 * these sizes, public exponent odd, at least 3, at most 256 bits */
#define XCE_SPKI_MAX 2048

struct xce_revk_record {
    int action;                /* XCE_REVK_ADD or XCE_REVK_REVOKE */
    char key_type;             /* 'P' or 'S' */
    char key_version;          /* 'A'..'Z' */
    const uint8_t *spki;       /* add: the key, pointing into the payload; revoke: NULL */
    size_t spki_len;
    unsigned bits;             /* add: the key's modulus length */
};
struct xce_revk {
    unsigned n;
    struct xce_revk_record rec[XCE_REVK_MAX_RECORDS];
};
/* Parse and check a revocation payload (every key decoded and checked);
 * 0, or -1 with the reason. out's pointers point into p. */
int xce_revocation_parse(const uint8_t *p, size_t len, struct xce_revk *out, char *why, size_t why_len);

/* 0 if der is a canonical RSA SubjectPublicKeyInfo the store accepts, with
 * the modulus length in *bits; else -1 with the reason. */
int xce_spki_check(const uint8_t *der, size_t len, unsigned *bits, char *why, size_t why_len);

/* --- the trust store (trust.c) */
#define XCE_TRUST_MAGIC "XCETRUST"
#define XCE_TRUST_MAGIC_LEN 8
#define XCE_TRUST_FORMAT 1
#define XCE_TRUST_HDR_LEN 24
#define XCE_TRUST_MAX_KEYS 78            /* 3 types x 26 versions */
#define XCE_TRUST_MAX_FILE (1u << 20)

/* The key of that type and version, or NULL; *revoked says its state. */
const xce_rsa_key *xce_trust_find(const xce_trust *t, char key_type, char key_version, int *revoked);

/* A store from the bytes of one copy (primary or backup), not tied to a
 * directory (xce_trust_apply on it fails). 0, or -1 with the reason. */
int xce_trust_parse(const uint8_t *buf, size_t len, xce_trust **out, char *why, size_t why_len);
/* The bytes of the store as it would be written (malloc'ed). */
int xce_trust_serialize(const xce_trust *t, uint8_t **buf, size_t *len);
/* 1 if xce_trust_open took the backup copy, else 0. */
int xce_trust_used_backup(const xce_trust *t);

/* why: formatted into the caller's buffer (either may be NULL/0) */
void xce_why(char *why, size_t why_len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The same, then -1: return xce_fail(why, why_len, "...", ...); */
int xce_fail(char *why, size_t why_len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
