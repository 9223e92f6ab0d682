/* ike_crypto.c - IKEv1's key derivation, hashes, encryption and IV chains,
 * Diffie-Hellman and signatures (RFC 2409), each primitive a libxce
 * request. The prfs keyed with SKEYID, SKEYID_a and SKEYID_d are libxce
 * HMAC sessions made once per key, so each HASH or KEYMAT block is one
 * streamed message through them. */
#include <string.h>

#include <openssl/crypto.h>

#include "ike_crypto.h"
#include "isakmp.h"

struct ike_chain {
    uint32_t msgid;
    int used;
    int waiting;                    /* a decrypted message's last block is in next */
    uint64_t last_use;              /* for replacing the least recently used */
    uint8_t iv[IKE_BLOCK_MAX];
    uint8_t next[IKE_BLOCK_MAX];
};

struct ike_crypto {
    xce_dev *dev;
    int hash;                       /* ISAKMP_HASH_* */
    enum xce_hash_alg halg;
    size_t prf_len;
    enum xce_alg calg;
    size_t key_len, block;
    enum ike_pad pad;
    int keyed;
    uint8_t skeyid[IKE_PRF_MAX], skeyid_d[IKE_PRF_MAX], skeyid_a[IKE_PRF_MAX], skeyid_e[IKE_PRF_MAX];
    uint8_t enc_key[IKE_KEY_MAX];
    xce_session *plain;             /* the negotiated hash, for IVs and the RSA-encryption SKEYID */
    xce_session *prf_skeyid, *prf_a, *prf_d, *enc, *dec;
    struct ike_chain p1;
    struct ike_chain p2[IKE_CRYPTO_EXCHANGES];
    uint64_t tick;
};

const char *ike_crypto_strerror(int rc)
{
    switch (rc) {
    case IKE_CRYPTO_ERR_WEAK_KEY: return "derived DES/3DES key is weak or degenerate";
    case IKE_CRYPTO_ERR_LENGTH: return "ciphertext is not a whole number of cipher blocks";
    case IKE_CRYPTO_ERR_PEER_KEY: return "peer Diffie-Hellman value has the wrong length or is out of range";
    case IKE_CRYPTO_ERR_STATE: return "keys or IV not established yet";
    case IKE_CRYPTO_ERR_SPACE: return "output buffer too small";
    case XCE_ERR_AUTH: return "hash or signature mismatch";
    default: return xce_strerror(rc);
    }
}

int ike_crypto_notify(int rc)
{
    switch (rc) {
    case IKE_CRYPTO_ERR_LENGTH: return ISAKMP_N_PAYLOAD_MALFORMED;
    case IKE_CRYPTO_ERR_PEER_KEY: return ISAKMP_N_INVALID_KEY_INFORMATION;
    case XCE_ERR_AUTH: return ISAKMP_N_INVALID_HASH_INFORMATION;
    default: return 0;
    }
}

static enum xce_hash_alg hash_alg(int hash)
{
    switch (hash) {
    case ISAKMP_HASH_MD5: return XCE_HASH_MD5;
    case ISAKMP_HASH_SHA: return XCE_HASH_SHA1;
    case ISAKMP_HASH_SHA2_256: return XCE_HASH_SHA256;
    case ISAKMP_HASH_SHA2_384: return XCE_HASH_SHA384;
    case ISAKMP_HASH_SHA2_512: return XCE_HASH_SHA512;
    default: return 0;
    }
}

size_t ike_hash_len(int hash)
{
    static const size_t len[] = { [XCE_HASH_MD5] = 16, [XCE_HASH_SHA1] = 20, [XCE_HASH_SHA256] = 32,
                                  [XCE_HASH_SHA384] = 48, [XCE_HASH_SHA512] = 64 };
    enum xce_hash_alg a = hash_alg(hash);
    return a ? len[a] : 0;
}

/* M-ID as the prfs and IVs take it: network order */
static void put_msgid(uint32_t msgid, uint8_t b[4])
{
    b[0] = (uint8_t)(msgid >> 24), b[1] = (uint8_t)(msgid >> 16), b[2] = (uint8_t)(msgid >> 8), b[3] = (uint8_t)msgid;
}

/* One message, the pieces of a then those of b, through a hash or HMAC session */
static int run2(xce_session *s, const struct ike_buf *a, size_t na, const struct ike_buf *b, size_t nb, uint8_t *out)
{
    xce_hash_ctx *h = NULL;
    int r = xce_hash_init(s, &h);
    for (size_t i = 0; r == XCE_OK && i < na + nb; i++) {
        const struct ike_buf *p = i < na ? &a[i] : &b[i - na];
        if (p->len)
            r = p->p ? xce_hash_update(h, p->p, p->len) : XCE_ERR_INVAL;
    }
    if (r == XCE_OK)
        return xce_hash_final(h, out);
    if (h)
        xce_hash_free(h);
    return r;
}

static int run(xce_session *s, const struct ike_buf *in, size_t n, uint8_t *out)
{
    return run2(s, in, n, NULL, 0, out);
}

/* A hash session (key NULL) or an HMAC session with the key */
static int session(xce_dev *dev, enum xce_hash_alg alg, const uint8_t *key, size_t key_len, xce_session **s)
{
    static const uint8_t nokey;
    struct xce_hash_params p = { alg, key ? (key_len ? key : &nokey) : NULL, key_len };
    return xce_hash_session_create(dev, &p, s);
}

static int oneshot(xce_dev *dev, int hash, const uint8_t *key, size_t key_len, const struct ike_buf *in, size_t n,
                   uint8_t *out)
{
    enum xce_hash_alg a = hash_alg(hash);
    if (!dev || !out || (n && !in) || (key_len && !key))
        return XCE_ERR_INVAL;
    if (!a)
        return XCE_ERR_UNSUPPORTED;
    xce_session *s;
    int r = session(dev, a, key, key_len, &s);
    if (r == XCE_OK)
        r = run(s, in, n, out);
    xce_session_destroy(s);
    return r;
}

int ike_prf(xce_dev *dev, int hash, const uint8_t *key, size_t key_len, const struct ike_buf *in, size_t n,
            uint8_t *out)
{
    static const uint8_t nokey;
    return oneshot(dev, hash, key ? key : &nokey, key_len, in, n, out);
}

int ike_hash(xce_dev *dev, int hash, const struct ike_buf *in, size_t n, uint8_t *out)
{
    return oneshot(dev, hash, NULL, 0, in, n, out);
}

int ike_hash_check(const uint8_t *computed, size_t computed_len, const uint8_t *received, size_t received_len)
{
    if (!computed || !received || !computed_len || computed_len != received_len)
        return XCE_ERR_AUTH;
    return CRYPTO_memcmp(computed, received, computed_len) ? XCE_ERR_AUTH : XCE_OK;
}

/* ---- DES weak keys -------------------------------------------------------- */

/* FIPS 74 3.6: the 4 weak and 12 semi-weak keys, with odd parity */
static const uint8_t des_weak[16][8] = {
    { 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01 }, { 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe },
    { 0x1f, 0x1f, 0x1f, 0x1f, 0x0e, 0x0e, 0x0e, 0x0e }, { 0xe0, 0xe0, 0xe0, 0xe0, 0xf1, 0xf1, 0xf1, 0xf1 },
    { 0x01, 0xfe, 0x01, 0xfe, 0x01, 0xfe, 0x01, 0xfe }, { 0xfe, 0x01, 0xfe, 0x01, 0xfe, 0x01, 0xfe, 0x01 },
    { 0x1f, 0xe0, 0x1f, 0xe0, 0x0e, 0xf1, 0x0e, 0xf1 }, { 0xe0, 0x1f, 0xe0, 0x1f, 0xf1, 0x0e, 0xf1, 0x0e },
    { 0x01, 0xe0, 0x01, 0xe0, 0x01, 0xf1, 0x01, 0xf1 }, { 0xe0, 0x01, 0xe0, 0x01, 0xf1, 0x01, 0xf1, 0x01 },
    { 0x1f, 0xfe, 0x1f, 0xfe, 0x0e, 0xfe, 0x0e, 0xfe }, { 0xfe, 0x1f, 0xfe, 0x1f, 0xfe, 0x0e, 0xfe, 0x0e },
    { 0x01, 0x1f, 0x01, 0x1f, 0x01, 0x0e, 0x01, 0x0e }, { 0x1f, 0x01, 0x1f, 0x01, 0x0e, 0x01, 0x0e, 0x01 },
    { 0xe0, 0xfe, 0xe0, 0xfe, 0xf1, 0xfe, 0xf1, 0xfe }, { 0xfe, 0xe0, 0xfe, 0xe0, 0xfe, 0xf1, 0xfe, 0xf1 },
};

/* equal but for the parity bits, without branching on key bits */
static int des_same(const uint8_t *a, const uint8_t *b)
{
    uint8_t d = 0;
    for (int i = 0; i < 8; i++)
        d |= (uint8_t)((a[i] ^ b[i]) & 0xfe);
    return d == 0;
}

int ike_des_key_check(const uint8_t *key, size_t len)
{
    if (!key)
        return XCE_ERR_INVAL;
    int bad = 0;
    if (len == 8)
        for (size_t i = 0; i < 16; i++)
            bad |= des_same(key, des_weak[i]);
    else if (len == 16 || len == 24)
        /* EDE with equal neighbours collapses to single DES (RFC 2451 2.3) */
        bad = des_same(key, key + 8) | (len == 24 && des_same(key + 8, key + 16));
    return bad ? IKE_CRYPTO_ERR_WEAK_KEY : XCE_OK;
}

/* ---- the context ------------------------------------------------------------ */

int ike_crypto_new(xce_dev *dev, const struct ike_suite *suite, ike_crypto **out)
{
    if (!out)
        return XCE_ERR_INVAL;
    *out = NULL;
    if (!dev || !suite)
        return XCE_ERR_INVAL;
    enum xce_hash_alg ha = hash_alg(suite->hash);
    enum xce_alg ca;
    size_t key_len, block;
    switch (suite->cipher) {
    case ISAKMP_ENC_DES_CBC:
        ca = XCE_ALG_DES, block = 8, key_len = 8;
        break;
    case ISAKMP_ENC_3DES_CBC:
        ca = XCE_ALG_3DES, block = 8, key_len = 24;
        break;
    case ISAKMP_ENC_AES_CBC:
        /* RFC 3602 5.3: the key length attribute is required; 128 when a peer leaves it out */
        ca = XCE_ALG_AES, block = 16, key_len = suite->key_bits ? suite->key_bits / 8 : 16;
        if (suite->key_bits % 8 || (key_len != 16 && key_len != 24 && key_len != 32))
            return XCE_ERR_UNSUPPORTED;
        break;
    default:
        return XCE_ERR_UNSUPPORTED;
    }
    if (!ha || (ca != XCE_ALG_AES && suite->key_bits && suite->key_bits != 8 * key_len))
        return XCE_ERR_UNSUPPORTED;
    ike_crypto *c = OPENSSL_zalloc(sizeof *c);
    if (!c)
        return XCE_ERR_NOMEM;
    c->dev = dev;
    c->hash = suite->hash;
    c->halg = ha;
    c->prf_len = ike_hash_len(suite->hash);
    c->calg = ca;
    c->key_len = key_len;
    c->block = block;
    int r = session(dev, ha, NULL, 0, &c->plain);
    if (r != XCE_OK) {
        ike_crypto_free(c);
        return r;
    }
    *out = c;
    return XCE_OK;
}

static void drop_keys(ike_crypto *c)
{
    xce_session *s[] = { c->prf_skeyid, c->prf_a, c->prf_d, c->enc, c->dec };
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        xce_session_destroy(s[i]);   /* libxce wipes a session's keys and HMAC states */
    c->prf_skeyid = c->prf_a = c->prf_d = c->enc = c->dec = NULL;
    c->keyed = 0;
}

void ike_crypto_free(ike_crypto *c)
{
    if (!c)
        return;
    drop_keys(c);
    xce_session_destroy(c->plain);
    OPENSSL_clear_free(c, sizeof *c);   /* SKEYIDs, cipher key, IVs */
}

void ike_crypto_set_padding(ike_crypto *c, enum ike_pad pad)
{
    if (c)
        c->pad = pad;
}

size_t ike_crypto_prf_len(const ike_crypto *c)
{
    return c ? c->prf_len : 0;
}

size_t ike_crypto_block_len(const ike_crypto *c)
{
    return c ? c->block : 0;
}

size_t ike_crypto_key_len(const ike_crypto *c)
{
    return c ? c->key_len : 0;
}

/* SKEYID by authentication method */
static int skeyid(ike_crypto *c, const struct ike_phase1 *in, uint8_t *out)
{
    struct ike_buf nonces[] = { { in->ni, in->ni_len }, { in->nr, in->nr_len } };
    struct ike_buf gxy = { in->gxy, in->gxy_len };
    uint8_t key[2 * ISAKMP_NONCE_MAX];
    int r;
    switch (in->auth) {
    case ISAKMP_AUTH_PSK:
        if (!in->psk || !in->psk_len)
            return XCE_ERR_INVAL;
        return ike_prf(c->dev, c->hash, in->psk, in->psk_len, nonces, 2, out);
    case ISAKMP_AUTH_DSS:
    case ISAKMP_AUTH_RSA_SIG:
        memcpy(key, in->ni, in->ni_len);
        memcpy(key + in->ni_len, in->nr, in->nr_len);
        r = ike_prf(c->dev, c->hash, key, in->ni_len + in->nr_len, &gxy, 1, out);
        break;
    case ISAKMP_AUTH_RSA_ENC:
    case ISAKMP_AUTH_RSA_ENC_REV: {
        struct ike_buf cookies[] = { { in->cky_i, ISAKMP_COOKIE_LEN }, { in->cky_r, ISAKMP_COOKIE_LEN } };
        r = run(c->plain, nonces, 2, key);
        if (r == XCE_OK)
            r = ike_prf(c->dev, c->hash, key, c->prf_len, cookies, 2, out);
        break;
    }
    default:
        return XCE_ERR_UNSUPPORTED;
    }
    OPENSSL_cleanse(key, sizeof key);
    return r;
}

/* The cipher key: SKEYID_e, or appendix B's K1 | K2 ... when it is too short */
static int cipher_key(ike_crypto *c)
{
    if (c->prf_len >= c->key_len) {
        memcpy(c->enc_key, c->skeyid_e, c->key_len);
        return XCE_OK;
    }
    uint8_t k[IKE_KEY_MAX + IKE_PRF_MAX];
    static const uint8_t zero = 0;
    struct ike_buf in = { &zero, 1 };
    int r = XCE_OK;
    for (size_t have = 0; r == XCE_OK && have < c->key_len; have += c->prf_len) {
        r = ike_prf(c->dev, c->hash, c->skeyid_e, c->prf_len, &in, 1, k + have);
        in = (struct ike_buf){ k + have, c->prf_len };
    }
    memcpy(c->enc_key, k, c->key_len);
    OPENSSL_cleanse(k, sizeof k);
    return r;
}

static int make_sessions(ike_crypto *c)
{
    int r = session(c->dev, c->halg, c->skeyid, c->prf_len, &c->prf_skeyid);
    if (r == XCE_OK)
        r = session(c->dev, c->halg, c->skeyid_a, c->prf_len, &c->prf_a);
    if (r == XCE_OK)
        r = session(c->dev, c->halg, c->skeyid_d, c->prf_len, &c->prf_d);
    for (int dec = 0; r == XCE_OK && dec < 2; dec++) {
        struct xce_cipher_params p = { c->calg, XCE_MODE_CBC, c->enc_key, c->key_len, dec };
        r = xce_session_create(c->dev, &p, dec ? &c->dec : &c->enc);
    }
    return r;
}

int ike_crypto_phase1_keys(ike_crypto *c, const struct ike_phase1 *in)
{
    if (!c || !in || !in->ni || !in->nr || !in->gxy || !in->gxy_len || !in->cky_i || !in->cky_r ||
        in->ni_len < ISAKMP_NONCE_MIN || in->ni_len > ISAKMP_NONCE_MAX || in->nr_len < ISAKMP_NONCE_MIN ||
        in->nr_len > ISAKMP_NONCE_MAX)
        return XCE_ERR_INVAL;
    drop_keys(c);
    int r = skeyid(c, in, c->skeyid);
    /* SKEYID_d, _a, _e: each chained on the one before (none before _d) */
    static const uint8_t idx[3] = { 0, 1, 2 };
    uint8_t *child[3] = { c->skeyid_d, c->skeyid_a, c->skeyid_e };
    for (int i = 0; r == XCE_OK && i < 3; i++) {
        struct ike_buf parts[] = { { i ? child[i - 1] : NULL, i ? c->prf_len : 0 },
                                   { in->gxy, in->gxy_len },
                                   { in->cky_i, ISAKMP_COOKIE_LEN },
                                   { in->cky_r, ISAKMP_COOKIE_LEN },
                                   { &idx[i], 1 } };
        r = ike_prf(c->dev, c->hash, c->skeyid, c->prf_len, parts, 5, child[i]);
    }
    if (r == XCE_OK)
        r = cipher_key(c);
    if (r == XCE_OK && c->calg != XCE_ALG_AES)
        r = ike_des_key_check(c->enc_key, c->key_len);
    if (r == XCE_OK)
        r = make_sessions(c);
    if (r != XCE_OK) {
        drop_keys(c);
        uint8_t *secret[] = { c->skeyid, c->skeyid_d, c->skeyid_a, c->skeyid_e, c->enc_key };
        for (size_t i = 0; i < sizeof secret / sizeof secret[0]; i++)
            OPENSSL_cleanse(secret[i], i < 4 ? IKE_PRF_MAX : IKE_KEY_MAX);
        return r;
    }
    c->keyed = 1;
    return XCE_OK;
}

int ike_crypto_key(const ike_crypto *c, enum ike_key which, uint8_t *out, size_t cap, size_t *len)
{
    if (!c || !out || !len)
        return XCE_ERR_INVAL;
    if (!c->keyed)
        return IKE_CRYPTO_ERR_STATE;
    const uint8_t *k;
    size_t n = c->prf_len;
    switch (which) {
    case IKE_KEY_SKEYID: k = c->skeyid; break;
    case IKE_KEY_SKEYID_D: k = c->skeyid_d; break;
    case IKE_KEY_SKEYID_A: k = c->skeyid_a; break;
    case IKE_KEY_SKEYID_E: k = c->skeyid_e; break;
    case IKE_KEY_ENC: k = c->enc_key, n = c->key_len; break;
    default: return XCE_ERR_INVAL;
    }
    if (cap < n)
        return IKE_CRYPTO_ERR_SPACE;
    memcpy(out, k, n);
    *len = n;
    return XCE_OK;
}

/* ---- hashes ------------------------------------------------------------------ */

int ike_crypto_hash_phase1(ike_crypto *c, int responder, const struct ike_auth *a, uint8_t *out)
{
    if (!c || !a || !out || !a->gxi || !a->gxr || !a->cky_i || !a->cky_r || !a->sai_b || !a->id_b)
        return XCE_ERR_INVAL;
    if (!c->keyed)
        return IKE_CRYPTO_ERR_STATE;
    struct ike_buf gi = { a->gxi, a->gxi_len }, gr = { a->gxr, a->gxr_len };
    struct ike_buf ci = { a->cky_i, ISAKMP_COOKIE_LEN }, cr = { a->cky_r, ISAKMP_COOKIE_LEN };
    struct ike_buf parts[] = { responder ? gr : gi, responder ? gi : gr, responder ? cr : ci, responder ? ci : cr,
                               { a->sai_b, a->sai_len }, { a->id_b, a->id_len } };
    return run(c->prf_skeyid, parts, 6, out);
}

/* prf(SKEYID_a, [0 |] M-ID | [Ni_b |] [Nr_b |] rest) */
static int hash_a(ike_crypto *c, int zero, uint32_t msgid, const uint8_t *ni, size_t ni_len, const uint8_t *nr,
                  size_t nr_len, const struct ike_buf *rest, size_t n, uint8_t *out)
{
    if (!c || !out || (n && !rest))
        return XCE_ERR_INVAL;
    if (!c->keyed)
        return IKE_CRYPTO_ERR_STATE;
    static const uint8_t nul = 0;
    uint8_t mid[4];
    put_msgid(msgid, mid);
    struct ike_buf head[] = { { &nul, zero ? 1 : 0 }, { mid, 4 }, { ni, ni_len }, { nr, nr_len } };
    return run2(c->prf_a, head, 4, rest, n, out);
}

int ike_crypto_hash1(ike_crypto *c, uint32_t msgid, const struct ike_buf *rest, size_t n, uint8_t *out)
{
    return hash_a(c, 0, msgid, NULL, 0, NULL, 0, rest, n, out);
}

int ike_crypto_hash2(ike_crypto *c, uint32_t msgid, const uint8_t *ni, size_t ni_len, const struct ike_buf *rest,
                     size_t n, uint8_t *out)
{
    if (!ni || !ni_len)
        return XCE_ERR_INVAL;
    return hash_a(c, 0, msgid, ni, ni_len, NULL, 0, rest, n, out);
}

int ike_crypto_hash3(ike_crypto *c, uint32_t msgid, const uint8_t *ni, size_t ni_len, const uint8_t *nr,
                     size_t nr_len, uint8_t *out)
{
    if (!ni || !ni_len || !nr || !nr_len)
        return XCE_ERR_INVAL;
    return hash_a(c, 1, msgid, ni, ni_len, nr, nr_len, NULL, 0, out);
}

int ike_crypto_keymat(ike_crypto *c, const struct ike_keymat *in, uint8_t *out, size_t len)
{
    if (!c || !in || !out || !len || len > IKE_KEYMAT_MAX || !in->spi || !in->spi_len || !in->ni ||
        !in->ni_len || !in->nr || !in->nr_len || (in->gqm_len && !in->gqm))
        return XCE_ERR_INVAL;
    if (!c->keyed)
        return IKE_CRYPTO_ERR_STATE;
    uint8_t k[IKE_PRF_MAX];
    struct ike_buf parts[] = { { NULL, 0 },   /* Kn-1 from K2 on */
                               { in->gqm, in->gqm ? in->gqm_len : 0 },
                               { &in->protocol, 1 },
                               { in->spi, in->spi_len },
                               { in->ni, in->ni_len },
                               { in->nr, in->nr_len } };
    int r = XCE_OK;
    for (size_t have = 0; r == XCE_OK && have < len; have += c->prf_len) {
        r = run(c->prf_d, parts, 6, k);
        size_t take = len - have < c->prf_len ? len - have : c->prf_len;
        memcpy(out + have, k, take);
        parts[0] = (struct ike_buf){ out + have, c->prf_len };   /* only read while whole */
        if (take < c->prf_len)
            break;
    }
    OPENSSL_cleanse(k, sizeof k);
    if (r != XCE_OK)
        OPENSSL_cleanse(out, len);
    return r;
}

/* ---- IV chains and encryption --------------------------------------------- */

static struct ike_chain *chain_find(const ike_crypto *c, uint32_t msgid)
{
    if (msgid == 0)
        return c->p1.used ? (struct ike_chain *)&c->p1 : NULL;
    for (size_t i = 0; i < IKE_CRYPTO_EXCHANGES; i++)
        if (c->p2[i].used && c->p2[i].msgid == msgid)
            return (struct ike_chain *)&c->p2[i];
    return NULL;
}

/* The exchange's chain, a phase 2 one made from phase 1's IV on first use */
static int chain_get(ike_crypto *c, uint32_t msgid, struct ike_chain **out)
{
    struct ike_chain *ch = chain_find(c, msgid);
    if (!ch && msgid) {
        if (!c->p1.used)
            return IKE_CRYPTO_ERR_STATE;
        ch = &c->p2[0];
        for (size_t i = 0; i < IKE_CRYPTO_EXCHANGES && ch->used; i++)
            if (!c->p2[i].used || c->p2[i].last_use < ch->last_use)
                ch = &c->p2[i];
        uint8_t mid[4];
    put_msgid(msgid, mid);
        struct ike_buf parts[] = { { c->p1.iv, c->block }, { mid, 4 } };
        uint8_t h[IKE_PRF_MAX];
        int r = run(c->plain, parts, 2, h);
        if (r != XCE_OK)
            return r;
        memset(ch, 0, sizeof *ch);
        memcpy(ch->iv, h, c->block);
        ch->msgid = msgid;
        ch->used = 1;
    }
    if (!ch)
        return IKE_CRYPTO_ERR_STATE;
    ch->last_use = ++c->tick;
    *out = ch;
    return XCE_OK;
}

int ike_crypto_phase1_iv(ike_crypto *c, const uint8_t *gxi, size_t gxi_len, const uint8_t *gxr, size_t gxr_len)
{
    if (!c || !gxi || !gxi_len || !gxr || !gxr_len)
        return XCE_ERR_INVAL;
    struct ike_buf parts[] = { { gxi, gxi_len }, { gxr, gxr_len } };
    uint8_t h[IKE_PRF_MAX];
    int r = run(c->plain, parts, 2, h);
    if (r != XCE_OK)
        return r;
    memset(&c->p1, 0, sizeof c->p1);
    memcpy(c->p1.iv, h, c->block);
    c->p1.used = 1;
    /* phase 2 chains made from an earlier phase 1 chain are stale */
    memset(c->p2, 0, sizeof c->p2);
    return XCE_OK;
}

/* CBC over whole blocks from the exchange's current IV (the chain is moved on by the callers) */
static int cbc(ike_crypto *c, xce_session *s, uint32_t msgid, const uint8_t *in, uint8_t *out, size_t len,
               struct ike_chain **ch)
{
    int r = chain_get(c, msgid, ch);
    if (r != XCE_OK)
        return r;
    uint8_t iv[16] = { 0 };
    memcpy(iv, (*ch)->iv, c->block);
    r = xce_cipher(s, iv, in, out, len);
    if (r != XCE_OK)
        OPENSSL_cleanse(out, len);
    return r;
}

int ike_crypto_encrypt(ike_crypto *c, uint32_t msgid, const uint8_t *plain, size_t len, uint8_t *out, size_t cap,
                       size_t *out_len)
{
    if (!c || (len && !plain) || !out || !out_len)
        return XCE_ERR_INVAL;
    if (!c->keyed)
        return IKE_CRYPTO_ERR_STATE;
    size_t pad = c->block - len % c->block, total = len + pad;
    if (total < len || cap < total)
        return IKE_CRYPTO_ERR_SPACE;
    if (len)
        memmove(out, plain, len);
    memset(out + len, 0, pad);
    if (c->pad == IKE_PAD_RFC2409)
        out[total - 1] = (uint8_t)(pad - 1);
    struct ike_chain *ch;
    int r = cbc(c, c->enc, msgid, out, out, total, &ch);
    if (r != XCE_OK)
        return r;
    memcpy(ch->iv, out + total - c->block, c->block);
    ch->waiting = 0;
    *out_len = total;
    return XCE_OK;
}

int ike_crypto_decrypt(ike_crypto *c, uint32_t msgid, const uint8_t *ct, size_t len, uint8_t *out, size_t cap,
                       size_t *plain_len)
{
    if (!c || !ct || !out || !plain_len)
        return XCE_ERR_INVAL;
    if (!c->keyed)
        return IKE_CRYPTO_ERR_STATE;
    if (!len || len % c->block)
        return IKE_CRYPTO_ERR_LENGTH;
    if (cap < len)
        return IKE_CRYPTO_ERR_SPACE;
    uint8_t last[IKE_BLOCK_MAX];
    memcpy(last, ct + len - c->block, c->block);   /* before an in-place decryption overwrites it */
    struct ike_chain *ch;
    int r = cbc(c, c->dec, msgid, ct, out, len, &ch);
    if (r != XCE_OK)
        return r;
    memcpy(ch->next, last, c->block);
    ch->waiting = 1;
    *plain_len = len;
    return XCE_OK;
}

int ike_crypto_iv_confirm(ike_crypto *c, uint32_t msgid)
{
    struct ike_chain *ch = c ? chain_find(c, msgid) : NULL;
    if (!ch || !ch->waiting)
        return c ? IKE_CRYPTO_ERR_STATE : XCE_ERR_INVAL;
    memcpy(ch->iv, ch->next, sizeof ch->iv);
    ch->waiting = 0;
    return XCE_OK;
}

int ike_crypto_iv(const ike_crypto *c, uint32_t msgid, uint8_t *iv)
{
    if (!c || !iv)
        return XCE_ERR_INVAL;
    const struct ike_chain *ch = chain_find(c, msgid);
    if (!ch)
        return IKE_CRYPTO_ERR_STATE;
    memcpy(iv, ch->iv, c->block);
    return XCE_OK;
}

void ike_crypto_iv_forget(ike_crypto *c, uint32_t msgid)
{
    struct ike_chain *ch = c && msgid ? chain_find(c, msgid) : NULL;
    if (ch)
        memset(ch, 0, sizeof *ch);
}

/* ---- Diffie-Hellman ----------------------------------------------------------- */

/* Private exponent bytes per group: at least 256 bits, about the upper end
 * of RFC 3526 8's exponent sizes (1536: 240 bits, 2048: 320, 3072: 420,
 * 4096: 480); the engine's time depends on this length only */
static size_t dh_priv_len(int group)
{
    switch (group) {
    case ISAKMP_GROUP_MODP768:
    case ISAKMP_GROUP_MODP1024:
    case ISAKMP_GROUP_MODP1536: return 32;
    case ISAKMP_GROUP_MODP2048: return 40;
    case ISAKMP_GROUP_MODP3072: return 52;
    case ISAKMP_GROUP_MODP4096: return 60;
    default: return 0;
    }
}

int ike_dh_group_len(int group, size_t *len)
{
    if (!len)
        return XCE_ERR_INVAL;
    if (!dh_priv_len(group))
        return XCE_ERR_UNSUPPORTED;
    return xce_dh_group(group, NULL, 0, len, NULL);
}

int ike_dh_start(struct ike_dh *dh, xce_dev *dev, int group)
{
    if (!dh || !dev)
        return XCE_ERR_INVAL;
    memset(dh, 0, sizeof *dh);
    size_t priv_len = dh_priv_len(group);
    if (!priv_len)
        return XCE_ERR_UNSUPPORTED;
    int r = xce_dh_group(group, dh->prime, sizeof dh->prime, &dh->len, &dh->generator);
    if (r == XCE_OK)
        r = xce_dh_generate(dev, dh->prime, dh->len, dh->generator, dh->priv, priv_len, dh->pub);
    if (r != XCE_OK) {
        ike_dh_clear(dh);
        return r;
    }
    dh->dev = dev;
    dh->group = group;
    dh->priv_len = priv_len;
    return XCE_OK;
}

int ike_dh_finish(const struct ike_dh *dh, const uint8_t *peer, size_t peer_len, uint8_t *gxy, size_t cap)
{
    if (!dh || !dh->dev || !peer || !gxy)
        return XCE_ERR_INVAL;
    if (cap < dh->len)
        return IKE_CRYPTO_ERR_SPACE;
    /* RFC 2409 5: the KE value is exactly the group's length, zero-padded */
    if (peer_len != dh->len)
        return IKE_CRYPTO_ERR_PEER_KEY;
    int r = xce_dh_compute(dh->dev, dh->prime, dh->len, dh->priv, dh->priv_len, peer, peer_len, gxy);
    return r == XCE_ERR_INVAL ? IKE_CRYPTO_ERR_PEER_KEY : r;
}

void ike_dh_clear(struct ike_dh *dh)
{
    if (dh)
        OPENSSL_cleanse(dh, sizeof *dh);
}

/* ---- RSA signatures ------------------------------------------------------------- */

/* PKCS#1 v1.5 over the hash as given: no DigestInfo (hash algorithm 0) */
static const struct xce_rsa_params sig_params = { XCE_RSA_PKCS1, 0, 0, 0, NULL, 0 };

int ike_sig_sign(xce_dev *dev, const xce_rsa_key *key, const uint8_t *hash, size_t hash_len, uint8_t *sig,
                 size_t cap, size_t *sig_len)
{
    if (!dev || !key || !hash || !hash_len || !sig || !sig_len)
        return XCE_ERR_INVAL;
    if (cap < (xce_rsa_key_bits(key) + 7) / 8)
        return IKE_CRYPTO_ERR_SPACE;
    return xce_rsa_sign(dev, key, &sig_params, hash, hash_len, sig, sig_len);
}

int ike_sig_verify(xce_dev *dev, const xce_rsa_key *key, const uint8_t *hash, size_t hash_len, const uint8_t *sig,
                   size_t sig_len)
{
    if (!dev || !key || !hash || !hash_len || !sig)
        return XCE_ERR_INVAL;
    return xce_rsa_verify(dev, key, &sig_params, hash, hash_len, sig, sig_len);
}
