/* xce.h - libxce, the host driver of the xce crypto offload engine.
 *
 * One API for every program: open a device by spec, make a session per
 * key, queue operations to it. Each operation is served by the engine when
 * the policy, the engine's capabilities and its health allow, otherwise by
 * OpenSSL in software; either way the result is the same and the reason
 * for every software completion is counted.
 *
 *   xce_dev *dev;
 *   if (xce_open("sim", NULL, &dev) != XCE_OK) ...
 *   struct xce_cipher_params p = { XCE_ALG_AES, XCE_MODE_CBC, key, 16, 0 };
 *   xce_session *s;
 *   xce_session_create(dev, &p, &s);
 *   xce_cipher(s, iv, in, out, len);          // synchronous helper
 *   ... or xce_enqueue_burst() / xce_dequeue_burst() for many in flight.
 *
 * Device specs: "sim" (the Verilator model, in-process), "pci" (first xce
 * PCI function) or "pci:0000:03:00.0", "sw" (no engine, software only),
 * or "pool:SPEC,SPEC..." (up to 8 devices used as one: each session lives
 * on one member, bursts and statistics span them all).
 * NULL means $XCE_DEVICE, else "sim".
 *
 * Threads: a device and its sessions may be used from several threads;
 * calls on one device are serialised internally.
 */
#ifndef XCE_H
#define XCE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define XCE_MUST_CHECK __attribute__((warn_unused_result))
#else
#define XCE_MUST_CHECK
#endif

#define XCE_LIB_VERSION "1.0.0"

/* Result codes: 0 is success, errors are negative. */
enum xce_result {
    XCE_OK = 0,
    XCE_ERR_INVAL = -1,        /* bad argument */
    XCE_ERR_NOMEM = -2,
    XCE_ERR_NODEV = -3,        /* no such device, or it does not identify as xce */
    XCE_ERR_UNSUPPORTED = -4,  /* the policy forbids every path that could serve this */
    XCE_ERR_BUSY = -5,         /* queue full (hardware policy only) */
    XCE_ERR_ENGINE = -6,       /* the engine failed the request (hardware policy only) */
    XCE_ERR_TIMEOUT = -7,      /* the engine did not answer (hardware policy only) */
    XCE_ERR_SOFTWARE = -8,     /* the software path failed */
    XCE_ERR_SELFTEST = -9,     /* a known-answer test failed */
    XCE_ERR_AUTH = -10,        /* the MAC did not match the ICV */
};
const char *xce_strerror(int result);

/* Where an operation may run. */
enum xce_policy {
    XCE_POLICY_AUTO = 0,   /* engine when capable, healthy and above the crossover */
    XCE_POLICY_HARDWARE,   /* engine only: fail clearly rather than fall back */
    XCE_POLICY_SOFTWARE,   /* OpenSSL only */
};
int xce_policy_parse(const char *name, enum xce_policy *out) XCE_MUST_CHECK;
const char *xce_policy_name(enum xce_policy p);

/* Why an operation was served in software. */
enum xce_fallback {
    XCE_FB_NO_DEVICE = 0,     /* "sw" device, or no engine attached */
    XCE_FB_ALG_UNSUPPORTED,   /* the engine's capability bits lack this algorithm/mode/key */
    XCE_FB_BELOW_CROSSOVER,   /* auto policy: too small to be worth the engine */
    XCE_FB_QUEUE_FULL,        /* ring or DMA memory exhausted */
    XCE_FB_ENGINE_ERROR,      /* error status or corrupted completion: re-run in software */
    XCE_FB_ENGINE_TIMEOUT,    /* no completion in time: engine reset, re-run in software */
    XCE_FB_FIRMWARE,          /* firmware not loaded (public-key operations) */
    XCE_FB_DISABLED,          /* "no crypto engine accelerator", or software policy */
    XCE_FB_SELFTEST,          /* engine failed its known-answer test at attach */
    XCE_FB_COUNT
};
const char *xce_fallback_name(enum xce_fallback r);

struct xce_open_opts {
    enum xce_policy policy;
    const char *trace_path;       /* sim only: VCD file */
    uint64_t trace_start, trace_stop;  /* sim only: cycle window (stop 0: to the end) */
    uint32_t crossover_bytes;     /* auto policy: smaller requests go to software (0: default) */
    unsigned timeout_ms;          /* per request, pci backend (0: default 1000) */
    int skip_selftest;            /* for tests of the attach path itself */
    unsigned max_cores;           /* use at most this many engine cores/rings (0: all) */
};

typedef struct xce_dev xce_dev;
typedef struct xce_session xce_session;

int xce_open(const char *spec, const struct xce_open_opts *opts, xce_dev **out) XCE_MUST_CHECK;
void xce_close(xce_dev *dev);

/* Capability bits, as in the engine's ID block (ID_CAP_ALGOS/ID_CAP_MODES). */
#define XCE_CAP_AES128 (1u << 0)
#define XCE_CAP_AES192 (1u << 1)
#define XCE_CAP_AES256 (1u << 2)
#define XCE_CAP_DES (1u << 3)
#define XCE_CAP_TDES (1u << 4)
#define XCE_CAP_MD5 (1u << 8)      /* hash bits: 1u << (7 + enum xce_hash_alg) */
#define XCE_CAP_SHA1 (1u << 9)
#define XCE_CAP_SHA224 (1u << 10)
#define XCE_CAP_SHA256 (1u << 11)
#define XCE_CAP_SHA384 (1u << 12)
#define XCE_CAP_SHA512 (1u << 13)
#define XCE_CAP_HMAC (1u << 14)
#define XCE_CAP_PKA (1u << 16)     /* public-key accelerator (modular exponentiation) */
#define XCE_CAP_MODE_ECB (1u << 0)
#define XCE_CAP_MODE_CBC (1u << 1)
#define XCE_CAP_MODE_CTR (1u << 2)

struct xce_info {
    char backend[8];           /* "sim", "pci" or "sw" */
    char location[32];         /* PCI address, "verilator" or "-" */
    int engine_present;        /* an engine identified itself */
    int engine_enabled;        /* and is serving requests now */
    const char *disabled_reason;  /* why not, or NULL */
    enum xce_policy policy;
    uint32_t version;          /* ID_VERSION: major in bits 31:16, minor in 15:0 */
    uint32_t build;            /* ID_BUILD */
    uint32_t clock_hz;
    uint32_t serial;
    uint32_t fw_version;
    uint32_t cap_algos, cap_modes;
    unsigned cores, rings, windows;
    unsigned ring_size;        /* command ring entries (per ring) */
    unsigned rings_used;       /* rings the driver feeds (one per core) */
    unsigned ring_prod, ring_cons, ring_pending;
    uint32_t crossover_bytes;
    int pka_enabled;           /* public-key operations run on the engine */
    unsigned pka_max_bits;     /* largest modulus and exponent it takes */
    const char *pka_reason;    /* why not, or NULL ("firmware invalid: ...") */
};
int xce_get_info(xce_dev *dev, struct xce_info *info) XCE_MUST_CHECK;

#define XCE_STATS_CORES 4
struct xce_stats {
    uint64_t hw_requests, hw_bytes;      /* completed by the engine */
    uint64_t sw_requests, sw_bytes;      /* completed in software */
    uint64_t fallback[XCE_FB_COUNT];     /* software completions by reason */
    uint64_t engine_errors;              /* error statuses and corrupted completions */
    uint64_t timeouts;
    uint64_t resets;
    uint64_t selftests, selftest_failures;
    unsigned cores;                      /* valid entries below */
    struct {
        uint64_t requests, bytes, busy_cycles, errors;
    } core[XCE_STATS_CORES];
    uint64_t cycles;                     /* engine clock cycles so far (0 if unknown) */
    uint64_t pk_hw_ops, pk_sw_ops;       /* modular exponentiations, engine / software */
    uint64_t pk_faults;                  /* engine results that failed verification (redone in software) */
    uint64_t pk_cycles;                  /* engine cycles spent in public-key programs */
};
int xce_get_stats(xce_dev *dev, struct xce_stats *st) XCE_MUST_CHECK;

/* "crypto engine accelerator" (1) / "no crypto engine accelerator" (0). */
int xce_set_accelerator(xce_dev *dev, int enabled) XCE_MUST_CHECK;
/* Run the known-answer tests on the engine and in software. On an engine
 * failure the engine is disabled and software serves from then on.
 * report (may be NULL) receives one line per test. */
int xce_self_test(xce_dev *dev, void (*report)(void *arg, const char *line), void *arg) XCE_MUST_CHECK;
/* Soft-reset the engine; pending requests are completed in software. */
int xce_reset(xce_dev *dev) XCE_MUST_CHECK;

/* --- sessions and operations */
enum xce_alg { XCE_ALG_AES = 1, XCE_ALG_DES = 2, XCE_ALG_3DES = 3 };
enum xce_mode { XCE_MODE_ECB = 0, XCE_MODE_CBC = 1, XCE_MODE_CTR = 2 };

struct xce_cipher_params {
    enum xce_alg alg;
    enum xce_mode mode;
    const uint8_t *key;
    size_t key_len;            /* AES: 16, 24 or 32; DES: 8; 3DES: 24 (K1 K2 K3) or 16 (K1 K2, K3 = K1) */
    int decrypt;
};
int xce_session_create(xce_dev *dev, const struct xce_cipher_params *p, xce_session **out) XCE_MUST_CHECK;
void xce_session_destroy(xce_session *s);

/* --- hash and HMAC sessions */
enum xce_hash_alg {
    XCE_HASH_MD5 = 1, XCE_HASH_SHA1, XCE_HASH_SHA224, XCE_HASH_SHA256, XCE_HASH_SHA384, XCE_HASH_SHA512
};
struct xce_hash_params {
    enum xce_hash_alg alg;
    const uint8_t *hmac_key;   /* NULL: plain hash; else HMAC (RFC 2104) with this key */
    size_t hmac_key_len;
};
int xce_hash_session_create(xce_dev *dev, const struct xce_hash_params *p, xce_session **out) XCE_MUST_CHECK;
size_t xce_digest_size(const xce_session *s);
/* Name as OpenSSL 3 prints it in `dgst` output: "MD5", "SHA1", "SHA2-256"... */
const char *xce_hash_name(enum xce_hash_alg alg);

/* Streaming: any number of updates of any length, then final (which also
 * frees the context; xce_hash_free discards one unfinished). */
typedef struct xce_hash_ctx xce_hash_ctx;
int xce_hash_init(xce_session *s, xce_hash_ctx **out) XCE_MUST_CHECK;
int xce_hash_update(xce_hash_ctx *c, const void *data, size_t len) XCE_MUST_CHECK;
int xce_hash_final(xce_hash_ctx *c, uint8_t *digest) XCE_MUST_CHECK;
void xce_hash_free(xce_hash_ctx *c);
/* One shot. */
int xce_hash(xce_session *s, const void *data, size_t len, uint8_t *digest) XCE_MUST_CHECK;

/* --- cipher and MAC in one request (ESP, SSH). The buffer holds AAD
 * (authenticated, not encrypted: ESP header and IV, SSH sequence number)
 * then the payload; len counts both. The ICV is written after the output
 * payload (dst + len) or, when verifying, read after the input (src + len).
 * When dst differs from src the AAD is copied to it. */
enum xce_chain {
    XCE_CHAIN_ENC_MAC = 3,     /* encrypt, MAC over AAD || ciphertext (ESP out, SSH etm out) */
    XCE_CHAIN_MAC_DEC,         /* verify over AAD || ciphertext, then decrypt; nothing written on mismatch */
    XCE_CHAIN_MAC_ENC,         /* MAC over AAD || plaintext, encrypt (SSH encrypt-and-MAC out) */
    XCE_CHAIN_DEC_MAC,         /* decrypt, verify over AAD || plaintext (SSH encrypt-and-MAC in) */
};
struct xce_chain_params {
    enum xce_chain order;
    struct xce_cipher_params cipher;   /* its decrypt field is ignored: the order says */
    struct xce_hash_params mac;        /* HMAC key, or none for a plain hash */
    size_t icv_len;                    /* 1..digest size, e.g. 12 for hmac-sha1-96 */
};
int xce_chain_session_create(xce_dev *dev, const struct xce_chain_params *p, xce_session **out) XCE_MUST_CHECK;
/* Synchronous helper: XCE_OK, XCE_ERR_AUTH on a MAC mismatch, or an error. */
int xce_chain(xce_session *s, const uint8_t iv[16], const uint8_t *src, uint8_t *dst, size_t len,
              size_t aad_len) XCE_MUST_CHECK;

enum xce_path { XCE_PATH_NONE = 0, XCE_PATH_ENGINE, XCE_PATH_SOFTWARE };

/* A hash operation carries its message's state (what xce_hash_ctx keeps):
 * chaining state [0,64), HMAC outer state [64,128), bytes already hashed
 * [128,136) little-endian. INIT starts a plain hash from the standard
 * initial value; without FINAL, len must be whole blocks and the chaining
 * state is written back; with FINAL the digest goes to dst. */
#define XCE_HASH_STATE_BYTES 136
#define XCE_HASH_INIT 1u
#define XCE_HASH_FINAL 2u
#define XCE_HASH_HMAC 4u           /* set by the library from the session */

#define XCE_MAX_REQUEST (1u << 20)   /* bytes per operation */

struct xce_op {
    xce_session *session;
    const uint8_t *src;
    uint8_t *dst;              /* may equal src; hash: the digest (on FINAL) */
    size_t len;                /* ECB/CBC: multiple of the block size (AES 16, DES 8); at most XCE_MAX_REQUEST */
    uint8_t iv[16];            /* CBC IV or CTR counter block (DES: the first 8 bytes); unused for ECB */
    uint8_t *hash_state;       /* hash sessions: XCE_HASH_STATE_BYTES, see above */
    unsigned hash_flags;       /* hash sessions: XCE_HASH_INIT, XCE_HASH_FINAL */
    size_t aad_len;            /* chained sessions: bytes of AAD at the start of src */
    void *user;                /* the caller's, untouched */
    /* set by the library when the operation is dequeued */
    int status;                /* XCE_OK or an error */
    enum xce_path path;
    /* library-private */
    struct xce_op *priv_next;
};

/* Queue up to n operations. Returns how many were taken, from the front;
 * the rest were not touched (queue full under the hardware policy, or an
 * invalid operation, whose status is then set). */
unsigned xce_enqueue_burst(xce_dev *dev, struct xce_op **ops, unsigned n);
/* Collect up to max finished operations, waiting for the engine briefly if
 * none is ready yet. Returns how many were stored in ops. */
unsigned xce_dequeue_burst(xce_dev *dev, struct xce_op **ops, unsigned max);
/* Operations queued and not yet dequeued. */
unsigned xce_pending(xce_dev *dev);

/* Synchronous helper: one operation of any length (split as needed, the
 * IV chained across pieces). iv may be NULL for ECB. */
int xce_cipher(xce_session *s, const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len) XCE_MUST_CHECK;

/* The IV/counter that continues a stream after len bytes (len a multiple
 * of the block size): for streaming a long message through several calls. */
void xce_iv_advance(const xce_session *s, uint8_t iv[16], const uint8_t *in, const uint8_t *out, size_t len);
/* Block size of the session's cipher in bytes (16 for AES, 8 for DES/3DES). */
size_t xce_block_size(const xce_session *s);

/* --- Public-key operations on the PKA -----------------------------------
 * Numbers are unsigned big-endian byte strings. Each modular
 * exponentiation runs on the engine when the policy allows, the engine has
 * a PKA with valid firmware and the operands fit (ID_PKA_MAX_BITS);
 * otherwise OpenSSL serves it (constant-time) and the reason is counted.
 * The engine's running time depends only on the lengths of the modulus and
 * of the exponent as passed (exp_len bytes), never on the exponent's bits. */

/* out = base^exp mod mod, written as exactly mod_len bytes. mod must be odd
 * and greater than 1 (even or zero moduli: XCE_ERR_INVAL); base of any
 * length (reduced first). */
int xce_modexp(xce_dev *dev, const uint8_t *base, size_t base_len, const uint8_t *exp, size_t exp_len,
               const uint8_t *mod, size_t mod_len, uint8_t *out) XCE_MUST_CHECK;

/* RSA keys are parsed by OpenSSL (PEM or DER: PKCS#1, PKCS#8, SPKI; key
 * generation stays with OpenSSL). A private key is kept with its CRT
 * parameters; private operations use CRT with base blinding, and every
 * signature is verified before it is returned (a wrong engine result is
 * counted in pk_faults and the operation redone in software). */
typedef struct xce_rsa_key xce_rsa_key;
/* pass: passphrase of an encrypted private key, or NULL */
int xce_rsa_key_load(const char *path, const char *pass, xce_rsa_key **out) XCE_MUST_CHECK;
int xce_rsa_key_parse(const uint8_t *data, size_t len, const char *pass, xce_rsa_key **out) XCE_MUST_CHECK;
void xce_rsa_key_free(xce_rsa_key *k);
unsigned xce_rsa_key_bits(const xce_rsa_key *k);
int xce_rsa_key_is_private(const xce_rsa_key *k);

enum xce_rsa_padding {
    XCE_RSA_PKCS1 = 1,     /* signatures: EMSA-PKCS1-v1_5; encryption: RSAES-PKCS1-v1_5 */
    XCE_RSA_PSS,           /* signatures only (RFC 8017 8.1) */
    XCE_RSA_OAEP,          /* encryption only (RFC 8017 7.1) */
    XCE_RSA_NONE,          /* raw: input exactly the modulus length, below the modulus */
};
#define XCE_RSA_SALT_DIGEST (-1)   /* PSS salt as long as the digest */
#define XCE_RSA_SALT_MAX (-2)      /* as long as fits (signing) */
#define XCE_RSA_SALT_AUTO (-3)     /* any (verifying) */
struct xce_rsa_params {
    enum xce_rsa_padding padding;
    enum xce_hash_alg hash;        /* signature digest, OAEP label hash; PKCS1 signatures with
                                      hash 0 sign the input as given (no DigestInfo), as
                                      `openssl pkeyutl -sign` does without a digest */
    enum xce_hash_alg mgf1_hash;   /* PSS/OAEP mask hash; 0: same as hash */
    int salt_len;                  /* PSS: bytes, or XCE_RSA_SALT_* */
    const uint8_t *label;          /* OAEP label, may be NULL */
    size_t label_len;
};
/* sig must hold the modulus length; *sig_len receives it. */
int xce_rsa_sign(xce_dev *dev, const xce_rsa_key *k, const struct xce_rsa_params *p, const uint8_t *digest,
                 size_t digest_len, uint8_t *sig, size_t *sig_len) XCE_MUST_CHECK;
/* XCE_OK if the signature is valid, XCE_ERR_AUTH if not. */
int xce_rsa_verify(xce_dev *dev, const xce_rsa_key *k, const struct xce_rsa_params *p, const uint8_t *digest,
                   size_t digest_len, const uint8_t *sig, size_t sig_len) XCE_MUST_CHECK;
/* out must hold the modulus length. */
int xce_rsa_encrypt(xce_dev *dev, const xce_rsa_key *k, const struct xce_rsa_params *p, const uint8_t *in,
                    size_t in_len, uint8_t *out, size_t *out_len) XCE_MUST_CHECK;
/* A padding error is XCE_ERR_AUTH, whatever its kind. */
int xce_rsa_decrypt(xce_dev *dev, const xce_rsa_key *k, const struct xce_rsa_params *p, const uint8_t *in,
                    size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len) XCE_MUST_CHECK;

/* Diffie-Hellman over a MODP group: the IKE/IOS groups 1, 2 (RFC 2409),
 * 5, 14, 15, 16 (RFC 3526), all with generator 2, or any odd prime of 512
 * to 8192 bits (SSH group exchange). Values are p_len bytes, big-endian.
 * xce_dh_group copies group's prime (prime NULL: only its length). */
int xce_dh_group(int group, uint8_t *prime, size_t cap, size_t *prime_len, unsigned *generator) XCE_MUST_CHECK;
/* priv (priv_len random bytes, 16..1024; the engine's time depends on this
 * length only) and pub = g^priv mod p. */
int xce_dh_generate(xce_dev *dev, const uint8_t *p, size_t p_len, unsigned g, uint8_t *priv, size_t priv_len,
                    uint8_t *pub) XCE_MUST_CHECK;
/* secret = peer^priv mod p, after checking 1 < peer < p-1 (else XCE_ERR_INVAL). */
int xce_dh_compute(xce_dev *dev, const uint8_t *p, size_t p_len, const uint8_t *priv, size_t priv_len,
                   const uint8_t *peer, size_t peer_len, uint8_t *secret) XCE_MUST_CHECK;

/* --- Signed images (doc/signed-images.md) ---------------------------------
 * Images carry a 256-byte header (type, signer, key type and version), the
 * payload and an RSA signature over SHA-512 of both. They verify against a
 * trust store of public keys (production, special, rollover; primary and
 * backup copies; revocation). The hash runs on the engine's SHA-512 and the
 * signature check on its PKA, each falling back to software as usual. */
enum xce_image_type {
    XCE_IMAGE_FIRMWARE = 1,    /* a PKA firmware image (firmware/README.md) */
    XCE_IMAGE_BITSTREAM = 2,
    XCE_IMAGE_SOFTWARE = 3,
    XCE_IMAGE_REVOCATION = 4,  /* key adds and revokes, signed by a rollover key */
};
#define XCE_IMAGE_KEY_PRODUCTION 'P'
#define XCE_IMAGE_KEY_SPECIAL 'S'
#define XCE_IMAGE_KEY_ROLLOVER 'R'
struct xce_image_info {
    enum xce_image_type type;
    char key_type;             /* XCE_IMAGE_KEY_* */
    char key_version;          /* 'A'..'Z' */
    unsigned sig_bits;         /* 2048, 3072, 4096 */
    uint64_t payload_len;
    int64_t build_time;        /* Unix seconds, UTC */
    char common_name[65], org_unit[65], org_name[65];
    uint8_t serial[16];        /* certificate serial number */
};
typedef struct xce_trust xce_trust;
struct xce_trust_key {
    char key_type, key_version;
    int revoked;
    unsigned bits;             /* 2048, 3072 or 4096 */
    const uint8_t *spki;       /* DER SubjectPublicKeyInfo, valid while the store is open (also
                                  across xce_trust_apply: keys are never removed) */
    size_t spki_len;
};
/* Open the trust store in dir (NULL: $XCE_KEY_STORE, else the installed
 * default; set-uid programs ignore the variable). XCE_OK, possibly with a
 * warning in why (may be NULL): the primary copy missing or damaged and
 * the backup used, or the backup damaged. XCE_ERR_INVAL when there is no
 * store or neither copy loads (why says what is wrong with each). */
int xce_trust_open(const char *dir, xce_trust **out, char *why, size_t why_len) XCE_MUST_CHECK;
void xce_trust_close(xce_trust *t);
/* Create a store in dir (NULL: as for xce_trust_open; created with mode
 * 0755 if missing, refused if it already holds a store) from the PEM RSA
 * public keys in src_dir named production-A.pem, special-B.pem,
 * rollover-A.pub.pem ... (any versions A..Z; 2048, 3072 or 4096 bits).
 * Refused, writing nothing: a misnamed .pem file, two files for one key,
 * one key under two names, a private key. XCE_OK with a summary in why
 * ("installed 5 keys in DIR"), else XCE_ERR_INVAL with the reason. */
int xce_trust_install(const char *dir, const char *src_dir, char *why, size_t why_len) XCE_MUST_CHECK;
/* The keys, in store order (key type letter, then version): index
 * 0..n-1; XCE_ERR_INVAL past the end. */
int xce_trust_key(const xce_trust *t, unsigned index, struct xce_trust_key *out) XCE_MUST_CHECK;
#define XCE_TRUST_ADD 1
#define XCE_TRUST_REVOKE 2
/* Apply the adds (XCE_TRUST_ADD) or the revokes (XCE_TRUST_REVOKE) of the
 * key type ('P' or 'S') from a revocation image, after verifying it with
 * an active rollover key; persisted crash-safely (both copies) before
 * returning. XCE_OK with a summary in why ("added SPB", "revoked SPA");
 * XCE_ERR_AUTH when the image does not verify; XCE_ERR_INVAL when the
 * change is refused (nothing of that type in the image, a key already
 * present or revoked, a revoke with no newer active key of its type left)
 * or cannot be written. On any error nothing changed, on disk or in t.
 * Not to be called while another thread verifies with t. */
int xce_trust_apply(xce_dev *dev, xce_trust *t, const char *revocation_image, int action, char key_type,
                    char *why, size_t why_len) XCE_MUST_CHECK;

/* Verify the image at path (streamed: memory stays flat for any size).
 * XCE_OK when valid; XCE_ERR_AUTH when not, with the reason in why ("bad
 * magic", "truncated: ...", "name says SPA, envelope says SSA", "no such
 * key: SPB", "key revoked: SPA", "signature does not match"...: each
 * reason starts with a fixed phrase, doc/signed-images.md lists them);
 * XCE_ERR_INVAL for arguments or a file that cannot be opened or read (or
 * is not a regular file); other errors from the hash or the PKA. info (may
 * be NULL) gets the header even when the image is refused later, once the
 * header's fields are valid (else it is zeroed). The file's name must
 * agree with the header's key type and version (doc/signed-images.md). */
int xce_image_verify(xce_dev *dev, const xce_trust *t, const char *path, struct xce_image_info *info,
                     char *why, size_t why_len) XCE_MUST_CHECK;
/* The same for an image in memory (name: the file name it came under, or
 * NULL to skip the name check); *payload and *payload_len (either may be NULL)
 * point into buf on success. */
int xce_image_verify_buffer(xce_dev *dev, const xce_trust *t, const uint8_t *buf, size_t len, const char *name,
                            struct xce_image_info *info, const uint8_t **payload, size_t *payload_len,
                            char *why, size_t why_len) XCE_MUST_CHECK;
/* The 256-byte header for a signer: info's fields (payload_len, sig_bits
 * and the rest) checked and laid out as doc/signed-images.md says;
 * XCE_ERR_INVAL for anything a verifier would refuse (a rollover key on
 * anything but a revocation image and the reverse, names too long or not
 * printable, an empty common name...). The signer then appends the payload
 * and the RSASSA-PKCS1-v1_5 SHA-512 signature over header and payload. */
int xce_image_header(const struct xce_image_info *info, uint8_t hdr[256]) XCE_MUST_CHECK;
/* The signed image the driver loaded its PKA firmware from at attach
 * (XCE_ERR_INVAL if none), and its file name. */
int xce_get_firmware_image(xce_dev *dev, struct xce_image_info *info, char *path, size_t path_len) XCE_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif
