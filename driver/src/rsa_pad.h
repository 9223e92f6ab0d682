/* rsa_pad.h - the RSA encoding methods of RFC 8017 (PKCS #1 v2.2), at the
 * byte level only: they make or check the k-byte block that the modular
 * exponentiation (engine or OpenSSL) then works on, and know nothing of
 * keys. Every encoded message is exactly k bytes, big-endian, k being the
 * modulus length in bytes, so the caller can raise it to d or e directly.
 *
 * Results: XCE_OK; XCE_ERR_INVAL for a bad argument or a length that
 * cannot work (message too long, modulus too short for the hash);
 * XCE_ERR_AUTH when a block to be checked or decoded is not a valid
 * encoding; XCE_ERR_NOMEM; XCE_ERR_SOFTWARE when OpenSSL's digest or
 * random generator failed.
 */
#ifndef XCE_RSA_PAD_H
#define XCE_RSA_PAD_H

#include <stddef.h>
#include <stdint.h>

#include "xce.h"

/* PSS salt lengths besides an explicit length >= 0. NOTE: the numbers are
 * not OpenSSL's (there RSA_PSS_SALTLEN_AUTO is -2 and _MAX is -3); always
 * use these names with these functions. */
#define XCE_PSS_SALT_DIGEST (-1)   /* the hash length */
#define XCE_PSS_SALT_MAX (-2)      /* the largest that fits: emLen - hLen - 2 */
#define XCE_PSS_SALT_AUTO (-3)     /* verify only: whatever the encoding holds */

/* Digest length of h: 16, 20, 28, 32, 48 or 64; 0 for an unknown value. */
size_t rsa_hash_len(enum xce_hash_alg h);

/* mask = MGF1(seed) truncated to mlen bytes (RFC 8017 B.2.1), hash h. */
int rsa_mgf1(enum xce_hash_alg h, const uint8_t *seed, size_t slen, uint8_t *mask, size_t mlen);

/* EMSA-PKCS1-v1_5 (RFC 8017 9.2) of a digest already computed with h:
 * 00 01 FF..FF 00 DigestInfo. dlen must be h's digest length. */
int rsa_emsa_pkcs1_encode(enum xce_hash_alg h, const uint8_t *digest, size_t dlen, uint8_t *em, size_t k);

/* EMSA-PSS (RFC 8017 9.1), MGF1 with h, trailer 0xBC. mod_bits is the
 * modulus length in bits (k must be its length in bytes); the encoding is
 * emBits = mod_bits - 1 bits long, so when mod_bits - 1 is a multiple of 8
 * em[0] is 0 and the encoding proper is em[1..k-1]. salt_len: >= 0, or
 * XCE_PSS_SALT_DIGEST / _MAX (and for verify also _AUTO). The salt comes
 * from RAND_bytes. */
int rsa_emsa_pss_encode(enum xce_hash_alg h, const uint8_t *mhash, size_t hlen, int salt_len, size_t mod_bits,
                        uint8_t *em, size_t k);
/* XCE_OK when em is a PSS encoding of mhash with that salt length,
 * XCE_ERR_AUTH when it is not. */
int rsa_emsa_pss_verify(enum xce_hash_alg h, const uint8_t *mhash, size_t hlen, int salt_len, size_t mod_bits,
                        const uint8_t *em, size_t k);

/* RSAES-PKCS1-v1_5 (RFC 8017 7.2): 00 02 PS 00 M, PS >= 8 random nonzero
 * bytes, so mlen <= k - 11. */
int rsa_eme_pkcs1_encode(const uint8_t *m, size_t mlen, uint8_t *em, size_t k);
/* RSAES-OAEP (RFC 8017 7.1) with hash h for the label and MGF1 with mgf1;
 * mlen <= k - 2 hLen - 2. label may be NULL when llen is 0. */
int rsa_eme_oaep_encode(enum xce_hash_alg h, enum xce_hash_alg mgf1, const uint8_t *label, size_t llen,
                        const uint8_t *m, size_t mlen, uint8_t *em, size_t k);

/* The decoders take the k-byte result of the private-key operation and
 * write the message to out[0..*outlen). They run in time independent of
 * the block's contents (the separator's position, whether and why it is
 * invalid): a padding-oracle attacker learns only valid/invalid, and only
 * from the result (RFC 8017 7.1.2 note, 7.2.2 note). Every invalid block,
 * including a message longer than outcap, gives XCE_ERR_AUTH with out
 * untouched; nothing is ever written at or beyond out[outcap]. *outlen is
 * 0 after any error.
 * out may be NULL when outcap is 0. */
int rsa_eme_pkcs1_decode(const uint8_t *em, size_t k, uint8_t *out, size_t outcap, size_t *outlen);
int rsa_eme_oaep_decode(enum xce_hash_alg h, enum xce_hash_alg mgf1, const uint8_t *label, size_t llen,
                        const uint8_t *em, size_t k, uint8_t *out, size_t outcap, size_t *outlen);

#endif
