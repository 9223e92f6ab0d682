/* test_dh.c - Diffie-Hellman through libxce on the simulated engine:
 * agreement with OpenSSL's own DH over the RFC 3526 group 14 (both
 * directions), every IKE group's key pair against BN_mod_exp, a
 * group-exchange prime, the public-value checks (0, 1, p-1, p and above are
 * refused), and that the exponentiations ran on the engine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/dh.h>
#include <openssl/evp.h>

#include "check.h"
#include "xce.h"

static uint64_t hw_ops(xce_dev *dev)
{
    struct xce_stats st;
    return xce_get_stats(dev, &st) == XCE_OK ? st.pk_hw_ops : 0;
}

/* pub == g^priv mod p, computed by OpenSSL */
static int pub_matches(const uint8_t *p, size_t plen, unsigned g, const uint8_t *priv, size_t priv_len,
                       const uint8_t *pub)
{
    BN_CTX *ctx = BN_CTX_new();
    BIGNUM *bp = BN_bin2bn(p, (int)plen, NULL), *bx = BN_bin2bn(priv, (int)priv_len, NULL);
    BIGNUM *bg = BN_new(), *r = BN_new();
    uint8_t *want = malloc(plen);
    int ok = ctx && bp && bx && bg && r && want && BN_set_word(bg, g) && BN_mod_exp(r, bg, bx, bp, ctx) &&
             BN_bn2binpad(r, want, (int)plen) == (int)plen && memcmp(want, pub, plen) == 0;
    BN_free(bp);
    BN_free(bx);
    BN_free(bg);
    BN_free(r);
    BN_CTX_free(ctx);
    free(want);
    return ok;
}

static void test_groups(xce_dev *dev)
{
    static const struct {
        int id;
        unsigned bits;
    } groups[] = { { 1, 768 }, { 2, 1024 }, { 5, 1536 }, { 14, 2048 }, { 15, 3072 }, { 16, 4096 } };
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        uint8_t p[512], priv[32], pub[512];
        size_t plen = 0;
        unsigned g = 0;
        int rc = xce_dh_group(groups[i].id, p, sizeof p, &plen, &g);
        CHECK(rc == XCE_OK && plen * 8 == groups[i].bits && g == 2, "group %d: %u-bit prime, generator 2",
              groups[i].id, groups[i].bits);
        uint64_t before = hw_ops(dev);
        rc = xce_dh_generate(dev, p, plen, g, priv, sizeof priv, pub);
        CHECK(rc == XCE_OK && pub_matches(p, plen, g, priv, sizeof priv, pub) && hw_ops(dev) == before + 1,
              "group %d: key pair (256-bit exponent) on the engine equals 2^x mod p from OpenSSL", groups[i].id);
    }
    size_t len = 0;
    CHECK(xce_dh_group(3, NULL, 0, &len, NULL) == XCE_ERR_INVAL, "group 3 (EC2N) is not a MODP group: refused");
    uint8_t small[8];
    CHECK(xce_dh_group(14, small, sizeof small, &len, NULL) == XCE_ERR_INVAL && len == 256,
          "group 14 into an 8-byte buffer: refused, needed length reported");
}

/* OpenSSL's DH key over the same named group (RFC 3526 2048-bit MODP) */
static EVP_PKEY *openssl_dh_key(void)
{
    EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
    EVP_PKEY *k = NULL;
    char group[] = "modp_2048";
    OSSL_PARAM params[] = { OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
                            OSSL_PARAM_construct_end() };
    if (!pc || EVP_PKEY_keygen_init(pc) <= 0 || EVP_PKEY_CTX_set_params(pc, params) <= 0 ||
        EVP_PKEY_generate(pc, &k) <= 0)
        k = NULL;
    EVP_PKEY_CTX_free(pc);
    return k;
}

/* OpenSSL's key with our public value as the peer: the shared secret */
static int openssl_derive(EVP_PKEY *mine, const uint8_t *peer_pub, size_t plen, uint8_t *out, size_t *outlen)
{
    EVP_PKEY *peer = EVP_PKEY_dup(mine);
    int ok = peer && EVP_PKEY_set1_encoded_public_key(peer, peer_pub, plen) == 1;
    EVP_PKEY_CTX *dc = ok ? EVP_PKEY_CTX_new(mine, NULL) : NULL;
    ok = dc && EVP_PKEY_derive_init(dc) > 0 && EVP_PKEY_CTX_set_dh_pad(dc, 1) > 0 &&
         EVP_PKEY_derive_set_peer(dc, peer) > 0 && EVP_PKEY_derive(dc, out, outlen) > 0;
    EVP_PKEY_CTX_free(dc);
    EVP_PKEY_free(peer);
    return ok;
}

static void test_openssl_agreement(xce_dev *dev)
{
    uint8_t p[256], priv[32], pub[256], secret[256], theirs[256], their_pub[256];
    size_t plen = 0, tlen = sizeof theirs;
    unsigned g = 0;
    int ok = xce_dh_group(14, p, sizeof p, &plen, &g) == XCE_OK;
    EVP_PKEY *k = openssl_dh_key();
    CHECK(k != NULL, "OpenSSL made a modp_2048 key pair");
    if (!k || !ok)
        return;
    BIGNUM *bpub = NULL;
    ok = EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_PUB_KEY, &bpub) && BN_bn2binpad(bpub, their_pub, 256) == 256;
    BN_free(bpub);
    ok = ok && xce_dh_generate(dev, p, plen, g, priv, sizeof priv, pub) == XCE_OK;
    ok = ok && openssl_derive(k, pub, plen, theirs, &tlen) && tlen == 256;
    int rc = xce_dh_compute(dev, p, plen, priv, sizeof priv, their_pub, sizeof their_pub, secret);
    CHECK(ok && rc == XCE_OK && memcmp(secret, theirs, 256) == 0,
          "group 14: xce and OpenSSL derive the same 256-byte shared secret");
    EVP_PKEY_free(k);
}

static void test_public_checks(xce_dev *dev)
{
    uint8_t p[128], priv[32], secret[128], y[129];
    size_t plen = 0;
    unsigned g = 0;
    int ok = xce_dh_group(2, p, sizeof p, &plen, &g) == XCE_OK;
    check_random(priv, sizeof priv);
    struct {
        const char *what;
        int delta;   /* y = p + delta, or small values below */
        int small;
    } cases[] = { { "0", 0, 1 }, { "1", 1, 1 }, { "p-1", -1, 0 }, { "p", 0, 0 }, { "p+1", 1, 0 } };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        BIGNUM *b = BN_bin2bn(p, (int)plen, NULL);
        if (cases[i].small)
            BN_set_word(b, (unsigned long)cases[i].delta);
        else if (cases[i].delta < 0)
            BN_sub_word(b, 1);
        else if (cases[i].delta > 0)
            BN_add_word(b, 1);
        int n = BN_bn2binpad(b, y, (int)sizeof y);
        BN_free(b);
        memset(secret, 0xa5, sizeof secret);
        int rc = xce_dh_compute(dev, p, plen, priv, sizeof priv, y, (size_t)n, secret);
        CHECK(ok && rc == XCE_ERR_INVAL && secret[0] == 0xa5 && secret[127] == 0xa5,
              "group 2: peer value %s refused, nothing written", cases[i].what);
    }
    /* 2 and p-2 are the edges that pass */
    BIGNUM *b = BN_bin2bn(p, (int)plen, NULL);
    BN_sub_word(b, 2);
    BN_bn2binpad(b, y, (int)plen);
    BN_free(b);
    CHECK(xce_dh_compute(dev, p, plen, priv, sizeof priv, y, plen, secret) == XCE_OK, "group 2: peer value p-2 accepted");
    uint8_t two[200] = { 0 };
    two[199] = 2;
    CHECK(xce_dh_compute(dev, p, plen, priv, sizeof priv, two, sizeof two, secret) == XCE_OK,
          "group 2: peer value 2 with 72 leading zero bytes accepted");
    uint8_t even[128];
    memcpy(even, p, sizeof even);
    even[127] ^= 1;
    CHECK(xce_dh_generate(dev, even, sizeof even, 2, priv, sizeof priv, secret) == XCE_ERR_INVAL,
          "an even modulus is refused");
    CHECK(xce_dh_generate(dev, p, plen, 1, priv, sizeof priv, secret) == XCE_ERR_INVAL, "generator 1 is refused");
    CHECK(xce_dh_generate(dev, p, plen, 2, priv, 8, secret) == XCE_ERR_INVAL, "an 8-byte private exponent is refused");
}

/* a group-exchange prime as an SSH server would offer: OpenSSL makes a safe prime */
static void test_gex_prime(xce_dev *dev)
{
    BIGNUM *bp = BN_new();
    uint8_t p[128], priv[24], pub[128];
    int ok = bp && BN_generate_prime_ex(bp, 1024, 1, NULL, NULL, NULL) && BN_bn2binpad(bp, p, 128) == 128;
    BN_free(bp);
    ok = ok && xce_dh_generate(dev, p, sizeof p, 5, priv, sizeof priv, pub) == XCE_OK &&
         pub_matches(p, sizeof p, 5, priv, sizeof priv, pub);
    CHECK(ok, "1024-bit group-exchange safe prime, generator 5: key pair equals OpenSSL's g^x mod p");
}

int main(void)
{
    check_seed();
    check_firmware_env();
    xce_dev *dev = NULL;
    int rc = xce_open("sim", NULL, &dev);
    struct xce_info info;
    CHECK(rc == XCE_OK && xce_get_info(dev, &info) == XCE_OK && info.pka_enabled,
          "sim device attached with its PKA enabled");
    if (rc != XCE_OK)
        return check_done();
    test_groups(dev);
    test_openssl_agreement(dev);
    test_public_checks(dev);
    test_gex_prime(dev);
    struct xce_stats st;
    CHECK(xce_get_stats(dev, &st) == XCE_OK && st.pk_sw_ops == 0, "nothing fell back to software");
    xce_close(dev);
    return check_done();
}
