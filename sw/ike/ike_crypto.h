/* ike_crypto.h - IKEv1's cryptography (RFC 2409) on libxce: the prf, the
 * phase 1 keys (SKEYID and its three children, the cipher key), HASH_I and
 * HASH_R, the CBC encryption of message bodies with IKE's IV chaining, the
 * quick mode and informational HASHes, KEYMAT, Diffie-Hellman and RSA
 * signatures. Every digest, HMAC, cipher and modular exponentiation is a
 * libxce request (the engine when the device's policy allows, OpenSSL
 * otherwise); nothing here calls a hash or cipher of its own.
 *
 * Algorithms are named by their ISAKMP attribute values (isakmp.h), as the
 * SA payload carries them: hash ISAKMP_HASH_MD5/_SHA/_SHA2_256 (also
 * _SHA2_384/_SHA2_512), the prf being HMAC with that hash (RFC 2409 says
 * so when no PRF attribute is negotiated; SHA-256 with its full 32-byte
 * output, RFC 4868's HMAC, as later IKEv1 peers use it); cipher
 * ISAKMP_ENC_DES_CBC, _3DES_CBC, _AES_CBC with 128, 192 or 256-bit keys.
 *
 * Results: XCE_OK (0) or a negative code: libxce's (XCE_ERR_INVAL for a
 * bad argument, XCE_ERR_AUTH for a received hash or signature that does
 * not match, XCE_ERR_UNSUPPORTED for an algorithm or group this module
 * does not do, device errors as libxce returns them) or IKE_CRYPTO_ERR_*
 * below. ike_crypto_strerror names them all; ike_crypto_notify gives the
 * RFC 2408 notify type a peer would be told. No message, error string or
 * log line of this module ever holds key material.
 *
 * Secrets (SKEYIDs, the cipher key, DH private values, HMAC states) live
 * in the context and are wiped with OPENSSL_cleanse when it is freed. */
#ifndef XCE_IKE_CRYPTO_H
#define XCE_IKE_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "xce.h"

#define IKE_CRYPTO_MUST_CHECK __attribute__((warn_unused_result))

#define IKE_PRF_MAX 64              /* HMAC-SHA-512 output: the longest SKEYID */
#define IKE_KEY_MAX 32              /* AES-256 */
#define IKE_BLOCK_MAX 16            /* AES */
#define IKE_DH_MAX 512              /* group 16: 4096 bits */
#define IKE_DH_PRIV_MAX 64          /* private exponent bytes (group 16: 60) */
#define IKE_KEYMAT_MAX 1024         /* quick mode KEYMAT per call */
#define IKE_CRYPTO_EXCHANGES 16     /* phase 2 IV chains kept (least recently used replaced) */

/* Codes of this module, beside libxce's */
enum {
    IKE_CRYPTO_ERR_WEAK_KEY = -40,  /* the derived DES/3DES key is weak or degenerate: renegotiate */
    IKE_CRYPTO_ERR_LENGTH = -41,    /* ciphertext empty or not whole blocks */
    IKE_CRYPTO_ERR_PEER_KEY = -42,  /* peer DH value: wrong length for the group, or 0, 1, p-1, >= p */
    IKE_CRYPTO_ERR_STATE = -43,     /* keys not derived yet, or no phase 1 IV for a phase 2 chain */
    IKE_CRYPTO_ERR_SPACE = -44,     /* the output buffer is too small */
};
const char *ike_crypto_strerror(int rc);
/* The notify type for a peer (ISAKMP_N_*), or 0 for a local fault the
 * peer is not told about (device error, bad argument). XCE_ERR_AUTH gives
 * INVALID-HASH-INFORMATION; for phase 1's HASH_I/HASH_R and signatures
 * the exchange says AUTHENTICATION-FAILED instead. */
int ike_crypto_notify(int rc);

/* One piece of a prf or hash input: inputs are lists of pieces, so callers
 * need not concatenate (a NULL p with len 0 is an empty piece). */
struct ike_buf {
    const void *p;
    size_t len;
};

/* Output length of an IKE hash (= its prf's), 0 if unknown. */
size_t ike_hash_len(int hash);

/* prf(key, in[0] | in[1] | ...): HMAC with the hash, through a one-off
 * libxce session. out receives ike_hash_len(hash) bytes. */
int ike_prf(xce_dev *dev, int hash, const uint8_t *key, size_t key_len, const struct ike_buf *in, size_t n,
            uint8_t *out) IKE_CRYPTO_MUST_CHECK;
/* hash(in[0] | in[1] | ...) */
int ike_hash(xce_dev *dev, int hash, const struct ike_buf *in, size_t n, uint8_t *out) IKE_CRYPTO_MUST_CHECK;

/* Received hash against computed, in constant time: XCE_OK, or XCE_ERR_AUTH
 * (also for a length that differs). */
int ike_hash_check(const uint8_t *computed, size_t computed_len, const uint8_t *received, size_t received_len)
    IKE_CRYPTO_MUST_CHECK;

/* ---- the IKE SA's keys and encryption ----------------------------------- */

/* What phase 1 negotiated */
struct ike_suite {
    int hash;                       /* ISAKMP_HASH_* */
    int cipher;                     /* ISAKMP_ENC_DES_CBC, _3DES_CBC, _AES_CBC */
    unsigned key_bits;              /* AES: 128, 192, 256 (0: 128); DES/3DES: 0 or 64/192 */
};

/* Padding of encrypted bodies: both always pad (1 to a block's bytes),
 * with zero bytes; RFC2409 puts the count of the other padding bytes in
 * the last one (RFC 2409 5.3), ZERO leaves it zero (what strongSwan
 * sends). Neither is checked on receipt. */
enum ike_pad { IKE_PAD_RFC2409 = 0, IKE_PAD_ZERO = 1 };

typedef struct ike_crypto ike_crypto;

/* A context for one IKE SA with its suite (sessions for the hash and, once
 * keys exist, the prfs and the cipher). XCE_ERR_UNSUPPORTED for an
 * algorithm or key length not listed above. */
int ike_crypto_new(xce_dev *dev, const struct ike_suite *suite, ike_crypto **out) IKE_CRYPTO_MUST_CHECK;
void ike_crypto_free(ike_crypto *c);
void ike_crypto_set_padding(ike_crypto *c, enum ike_pad pad);
size_t ike_crypto_prf_len(const ike_crypto *c);     /* HASH payload length */
size_t ike_crypto_block_len(const ike_crypto *c);   /* 8 or 16 */
size_t ike_crypto_key_len(const ike_crypto *c);     /* cipher key bytes */

/* Phase 1 inputs of SKEYID and its children. Nonces are the NONCE
 * payloads' bodies (Ni_b, Nr_b); g^xy is the shared secret as long as
 * the prime (ike_dh_finish). */
struct ike_phase1 {
    int auth;                       /* ISAKMP_AUTH_PSK; _DSS, _RSA_SIG (signatures); _RSA_ENC, _RSA_ENC_REV */
    const uint8_t *psk;             /* pre-shared key (PSK only) */
    size_t psk_len;
    const uint8_t *ni, *nr;
    size_t ni_len, nr_len;
    const uint8_t *gxy;
    size_t gxy_len;
    const uint8_t *cky_i, *cky_r;   /* ISAKMP_COOKIE_LEN bytes each */
};

/* SKEYID (RFC 2409 5):
 *   signatures           prf(Ni_b | Nr_b, g^xy)
 *   public key encryption prf(hash(Ni_b | Nr_b), CKY-I | CKY-R)   (both modes)
 *   pre-shared key       prf(pre-shared-key, Ni_b | Nr_b)
 * SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0), SKEYID_a =
 * prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1), SKEYID_e likewise with
 * SKEYID_a and 2. The cipher key is the start of SKEYID_e or, when that is
 * shorter, of K1 | K2 | ... with K1 = prf(SKEYID_e, 0), Kn+1 =
 * prf(SKEYID_e, Kn) (appendix B). A DES key that is weak or semi-weak, a
 * 3DES key with K1 = K2 or K2 = K3: IKE_CRYPTO_ERR_WEAK_KEY and no keys
 * (see ike_des_key_check). May be called again (new keys). */
int ike_crypto_phase1_keys(ike_crypto *c, const struct ike_phase1 *in) IKE_CRYPTO_MUST_CHECK;

/* The keys, for tests and for a key log the operator asked for (never
 * printed by this module): *len receives the length. */
enum ike_key { IKE_KEY_SKEYID, IKE_KEY_SKEYID_D, IKE_KEY_SKEYID_A, IKE_KEY_SKEYID_E, IKE_KEY_ENC };
int ike_crypto_key(const ike_crypto *c, enum ike_key which, uint8_t *out, size_t cap, size_t *len)
    IKE_CRYPTO_MUST_CHECK;

/* What HASH_I and HASH_R cover besides SKEYID: both DH public values as
 * sent (g^xi from the initiator's KE body, g^xr from the responder's), the
 * cookies, the initiator's SA payload body (SAi_b, in both hashes) and the
 * ID payload body of the side whose hash it is (IDii_b or IDir_b). */
struct ike_auth {
    const uint8_t *gxi, *gxr;
    size_t gxi_len, gxr_len;
    const uint8_t *cky_i, *cky_r;
    const uint8_t *sai_b;
    size_t sai_len;
    const uint8_t *id_b;
    size_t id_len;
};
/* HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b);
 * responder (1): HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b).
 * out: ike_crypto_prf_len bytes. */
int ike_crypto_hash_phase1(ike_crypto *c, int responder, const struct ike_auth *a, uint8_t *out)
    IKE_CRYPTO_MUST_CHECK;

/* Quick mode and informational HASHes with SKEYID_a, M-ID as 4 bytes in
 * network order; "rest" is every payload after the HASH payload, generic
 * headers included, as a list of pieces:
 *   HASH(1) = prf(SKEYID_a, M-ID | rest)          (also informational HASH(1))
 *   HASH(2) = prf(SKEYID_a, M-ID | Ni_b | rest)
 *   HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b) */
int ike_crypto_hash1(ike_crypto *c, uint32_t msgid, const struct ike_buf *rest, size_t n, uint8_t *out)
    IKE_CRYPTO_MUST_CHECK;
int ike_crypto_hash2(ike_crypto *c, uint32_t msgid, const uint8_t *ni, size_t ni_len, const struct ike_buf *rest,
                     size_t n, uint8_t *out) IKE_CRYPTO_MUST_CHECK;
int ike_crypto_hash3(ike_crypto *c, uint32_t msgid, const uint8_t *ni, size_t ni_len, const uint8_t *nr,
                     size_t nr_len, uint8_t *out) IKE_CRYPTO_MUST_CHECK;

/* Quick mode KEYMAT for one SA direction (RFC 2409 5.5): K1 | K2 | ... cut
 * to len bytes, K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b),
 * Kn+1 = prf(SKEYID_d, Kn | [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b).
 * gqm NULL: no PFS. spi is the SPI of the receiving end of this direction
 * (our own SPI for the inbound SA, the peer's for the outbound), as in
 * the proposal (4 bytes for ESP/AH). For ESP, the cipher key is the first
 * part of KEYMAT and the integrity key follows it. len 1..IKE_KEYMAT_MAX. */
struct ike_keymat {
    const uint8_t *gqm;
    size_t gqm_len;
    uint8_t protocol;               /* ISAKMP_PROTO_IPSEC_ESP, _AH, _IPCOMP */
    const uint8_t *spi;
    size_t spi_len;
    const uint8_t *ni, *nr;         /* the quick mode nonces' bodies */
    size_t ni_len, nr_len;
};
int ike_crypto_keymat(ike_crypto *c, const struct ike_keymat *in, uint8_t *out, size_t len) IKE_CRYPTO_MUST_CHECK;

/* ---- encryption and IV chains ------------------------------------------
 * Each exchange has its own CBC chain, known by its message ID: 0 is phase
 * 1's. Phase 1's starts at hash(g^xi | g^xr) cut to the block size; a
 * phase 2 or informational exchange's starts, when first used, at
 * hash(IV | M-ID) where IV is phase 1's chain at that moment (after its
 * last message: "the last phase 1 CBC output block", appendix B). After
 * each message the chain continues with its last ciphertext block.
 *
 * Encrypting moves the chain on at once (our messages are what the peer
 * will decrypt). Decrypting does not: it holds the new IV until
 * ike_crypto_iv_confirm, which the caller calls once the message has
 * proved genuine (its HASH checked); an encryption on the chain before
 * that drops it. A forged or garbled message then leaves the chain as it
 * was, and the next real one still decrypts. */
int ike_crypto_phase1_iv(ike_crypto *c, const uint8_t *gxi, size_t gxi_len, const uint8_t *gxr, size_t gxr_len)
    IKE_CRYPTO_MUST_CHECK;

/* The body after the ISAKMP header: padded (1 to block bytes, see enum
 * ike_pad) and encrypted into out (cap bytes, may be plain itself);
 * *out_len receives the ciphertext length, the header's length field
 * being 28 plus that. */
int ike_crypto_encrypt(ike_crypto *c, uint32_t msgid, const uint8_t *plain, size_t len, uint8_t *out, size_t cap,
                       size_t *out_len) IKE_CRYPTO_MUST_CHECK;
/* The ciphertext body (whole blocks, else IKE_CRYPTO_ERR_LENGTH) into out
 * (cap bytes, may be ct itself); *plain_len receives len: the payloads and
 * the padding, which isakmp_parse_payloads(..., ISAKMP_PARSE_PADDED, ...)
 * tells apart. */
int ike_crypto_decrypt(ike_crypto *c, uint32_t msgid, const uint8_t *ct, size_t len, uint8_t *out, size_t cap,
                       size_t *plain_len) IKE_CRYPTO_MUST_CHECK;
/* Move the exchange's chain on past the last message decrypted:
 * IKE_CRYPTO_ERR_STATE if none is waiting. */
int ike_crypto_iv_confirm(ike_crypto *c, uint32_t msgid) IKE_CRYPTO_MUST_CHECK;
/* The IV the exchange's next message will use (block size bytes; for
 * debug lines: IVs come from public values); IKE_CRYPTO_ERR_STATE if the
 * chain does not exist yet (phase 2 chains are made on first use). */
int ike_crypto_iv(const ike_crypto *c, uint32_t msgid, uint8_t *iv) IKE_CRYPTO_MUST_CHECK;
/* The exchange is over: its chain is dropped (not phase 1's). */
void ike_crypto_iv_forget(ike_crypto *c, uint32_t msgid);

/* DES weak and semi-weak keys (FIPS 74; parity bits ignored) and
 * degenerate 3DES (K1 = K2 or K2 = K3): XCE_OK or IKE_CRYPTO_ERR_WEAK_KEY.
 * len 8 (DES), 16 or 24 (3DES); others XCE_OK. For KEYMAT too: RFC 2405
 * and RFC 2451 tell ESP to refuse such keys. */
int ike_des_key_check(const uint8_t *key, size_t len) IKE_CRYPTO_MUST_CHECK;

/* ---- Diffie-Hellman (RFC 2409 6, RFC 3526) -------------------------------
 * MODP groups 1, 2, 5, 14, 15, 16: the ones libxce has (ISAKMP_GROUP_*;
 * 17, 18 and the elliptic curves: XCE_ERR_UNSUPPORTED). Values are as long
 * as the prime, big-endian, left-padded with zeros: what the KE payload
 * carries and what g^xy is in every prf above. */
struct ike_dh {
    xce_dev *dev;
    int group;
    size_t len;                     /* bytes of the prime and of every value */
    unsigned generator;
    uint8_t prime[IKE_DH_MAX];
    uint8_t pub[IKE_DH_MAX];        /* g^x: the KE payload's body */
    uint8_t priv[IKE_DH_PRIV_MAX];  /* x: secret */
    size_t priv_len;
};
/* The prime's length for a group: a received KE body must have it. */
int ike_dh_group_len(int group, size_t *len) IKE_CRYPTO_MUST_CHECK;
/* A fresh key pair in the group (dh->pub, dh->len bytes). */
int ike_dh_start(struct ike_dh *dh, xce_dev *dev, int group) IKE_CRYPTO_MUST_CHECK;
/* g^xy from the peer's value, which must be dh->len bytes and inside
 * 1 < y < p-1 (else IKE_CRYPTO_ERR_PEER_KEY); gxy receives dh->len bytes. */
int ike_dh_finish(const struct ike_dh *dh, const uint8_t *peer, size_t peer_len, uint8_t *gxy, size_t cap)
    IKE_CRYPTO_MUST_CHECK;
/* Wipe the private value (and everything else). */
void ike_dh_clear(struct ike_dh *dh);

/* ---- RSA signatures (RFC 2409 5.1) ----------------------------------------
 * SIG_I/SIG_R: HASH_I/HASH_R signed with PKCS#1 v1.5 type 1 padding and no
 * DigestInfo (IKEv1 signs the prf output itself: strongSwan's
 * SIGN_RSA_EMSA_PKCS1_NULL), on libxce's PKA. */
int ike_sig_sign(xce_dev *dev, const xce_rsa_key *key, const uint8_t *hash, size_t hash_len, uint8_t *sig,
                 size_t cap, size_t *sig_len) IKE_CRYPTO_MUST_CHECK;
/* XCE_OK, or XCE_ERR_AUTH for a signature that does not verify. */
int ike_sig_verify(xce_dev *dev, const xce_rsa_key *key, const uint8_t *hash, size_t hash_len, const uint8_t *sig,
                   size_t sig_len) IKE_CRYPTO_MUST_CHECK;

#endif
