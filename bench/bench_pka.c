/* bench_pka.c - the public-key engine's figures for xce-bench:
 *   pka.rsa2048.private.cycles    one RSA-2048 signature: CRT (two 1024-bit
 *                                 exponentiations) plus the blinding one
 *   pka.rsa2048.public.cycles     one verification, e = 65537
 *   pka.rsa4096.public.cycles     the same at 4096 bits
 *   pka.rsa4096.private.cycles    (full run only: ~20 s of simulation)
 *   pka.dh14.2048bit.cycles       group 14, a 2048-bit private exponent
 *   pka.rsa2048.sign.ops_per_s    at the engine's clock, against OpenSSL
 *   pka.rsa2048.verify.ops_per_s  signatures/verifications per second here
 * Cycles are the PKA programs' (PKA_CYCLES, summed by the driver); the
 * note adds the whole call including operand transfer over BAR0. */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "bench.h"

struct pk_cost {
    uint64_t pka;     /* PKA program cycles */
    uint64_t total;   /* model cycles of the whole call */
};

static struct pk_cost snapshot(xce_dev *dev)
{
    struct xce_stats st;
    struct pk_cost c = { 0, 0 };
    if (xce_get_stats(dev, &st) == XCE_OK) {
        c.pka = st.pk_cycles;
        c.total = st.cycles;
    }
    return c;
}

static struct pk_cost since(xce_dev *dev, struct pk_cost a)
{
    struct pk_cost b = snapshot(dev);
    b.pka -= a.pka;
    b.total -= a.total;
    return b;
}

static EVP_PKEY *gen_key(unsigned bits)
{
    return EVP_RSA_gen(bits);
}

/* the same key as libxce's and OpenSSL's object */
static xce_rsa_key *to_xce(EVP_PKEY *pk)
{
    BIO *b = BIO_new(BIO_s_mem());
    xce_rsa_key *k = NULL;
    char *data;
    if (b && PEM_write_bio_PrivateKey(b, pk, NULL, NULL, 0, NULL, NULL) == 1) {
        long n = BIO_get_mem_data(b, &data);
        if (xce_rsa_key_parse((const uint8_t *)data, (size_t)n, NULL, &k) != XCE_OK)
            k = NULL;
    }
    BIO_free(b);
    return k;
}

/* OpenSSL RSA-PKCS1 SHA-256 operations per second on this machine */
static double openssl_rate(EVP_PKEY *pk, int sign, const uint8_t *digest, uint8_t *sig, size_t siglen)
{
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(pk, NULL);
    if (!c || (sign ? EVP_PKEY_sign_init(c) : EVP_PKEY_verify_init(c)) <= 0 ||
        EVP_PKEY_CTX_set_signature_md(c, EVP_sha256()) <= 0) {
        EVP_PKEY_CTX_free(c);
        return 0;
    }
    unsigned n = 0;
    double t0 = bench_now(), t;
    do {
        size_t l = siglen;
        int r = sign ? EVP_PKEY_sign(c, sig, &l, digest, 32) : EVP_PKEY_verify(c, sig, siglen, digest, 32);
        if (r <= 0)
            break;
        n++;
        t = bench_now() - t0;
    } while (t < 0.5);
    EVP_PKEY_CTX_free(c);
    return n / (bench_now() - t0);
}

static void note_of(char *note, size_t n, const char *what, struct pk_cost c, double target)
{
    if (target > 0)
        snprintf(note, n, "%s; %llu cycles with operand transfer; target <= %.0f", what,
                 (unsigned long long)c.total, target);
    else
        snprintf(note, n, "%s; %llu cycles with operand transfer", what, (unsigned long long)c.total);
}

static void rsa_figures(xce_dev *dev, unsigned bits, int do_private, double pub_target, double priv_target,
                        uint32_t clock_hz)
{
    EVP_PKEY *pk = gen_key(bits);
    xce_rsa_key *k = pk ? to_xce(pk) : NULL;
    if (!k) {
        fprintf(stderr, "xce-bench: RSA-%u key generation failed\n", bits);
        EVP_PKEY_free(pk);
        return;
    }
    uint8_t digest[32], sig[512];
    memset(digest, 0x5c, sizeof digest);
    size_t siglen = sizeof sig;
    struct xce_rsa_params p = { XCE_RSA_PKCS1, XCE_HASH_SHA256, 0, 0, NULL, 0 };
    char m[64], note[160];
    struct pk_cost c0 = snapshot(dev);
    int r = xce_rsa_sign(dev, k, &p, digest, sizeof digest, sig, &siglen);
    struct pk_cost priv = since(dev, c0);
    if (r != XCE_OK) {
        fprintf(stderr, "xce-bench: RSA-%u sign: %s\n", bits, xce_strerror(r));
        goto out;
    }
    if (do_private) {
        snprintf(m, sizeof m, "pka.rsa%u.private.cycles", bits);
        note_of(note, sizeof note, "PKCS#1 v1.5 signature: CRT + blinding", priv, priv_target);
        bench_add(m, (double)priv.pka, "cycles", priv_target > 0, priv_target, note);
    }
    c0 = snapshot(dev);
    r = xce_rsa_verify(dev, k, &p, digest, sizeof digest, sig, siglen);
    struct pk_cost pub = since(dev, c0);
    if (r != XCE_OK) {
        fprintf(stderr, "xce-bench: RSA-%u verify: %s\n", bits, xce_strerror(r));
        goto out;
    }
    snprintf(m, sizeof m, "pka.rsa%u.public.cycles", bits);
    note_of(note, sizeof note, "verification, e = 65537", pub, pub_target);
    bench_add(m, (double)pub.pka, "cycles", 1, pub_target, note);
    if (bits == 2048 && clock_hz) {
        double ossl_sign = openssl_rate(pk, 1, digest, sig, siglen);
        double ossl_verify = openssl_rate(pk, 0, digest, sig, siglen);
        snprintf(note, sizeof note, "at %u MHz, one PKA; reference: OpenSSL on this machine (one core)",
                 clock_hz / 1000000);
        bench_add("pka.rsa2048.sign.ops_per_s", clock_hz / (double)priv.total, "ops/s", 1, ossl_sign, note);
        bench_add("pka.rsa2048.verify.ops_per_s", clock_hz / (double)pub.total, "ops/s", 1, ossl_verify, note);
    }
out:
    xce_rsa_key_free(k);
    EVP_PKEY_free(pk);
}

static void dh_figure(xce_dev *dev)
{
    uint8_t p[256], priv[256], pub[256];
    size_t plen = 0;
    unsigned g = 0;
    if (xce_dh_group(14, p, sizeof p, &plen, &g) != XCE_OK)
        return;
    struct pk_cost c0 = snapshot(dev);
    int r = xce_dh_generate(dev, p, plen, g, priv, sizeof priv, pub);
    struct pk_cost c = since(dev, c0);
    if (r != XCE_OK) {
        fprintf(stderr, "xce-bench: DH group 14: %s\n", xce_strerror(r));
        return;
    }
    char note[160];
    note_of(note, sizeof note, "2^x mod p, RFC 3526 group 14, 2048-bit exponent", c, 0);
    bench_add("pka.dh14.2048bit.cycles", (double)c.pka, "cycles", 0, 0, note);
}

void bench_pka(xce_dev *dev, int quick)
{
    struct xce_info info;
    if (xce_get_info(dev, &info) != XCE_OK || !info.pka_enabled) {
        fprintf(stderr, "xce-bench: no PKA (%s): public-key figures skipped\n",
                info.pka_reason ? info.pka_reason : "?");
        return;
    }
    rsa_figures(dev, 2048, 1, 60000, 2000000, info.clock_hz);
    rsa_figures(dev, 4096, !quick, 250000, 0, info.clock_hz);
    dh_figure(dev);
}
