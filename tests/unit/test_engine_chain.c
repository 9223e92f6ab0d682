/* test_engine_chain.c - cipher and MAC in one request, all four orders
 * (ESP out/in, SSH encrypt-and-MAC out/in), several ciphers and HMACs,
 * AAD of 0/8/24 bytes, in place and to another buffer, on the engine under
 * the hardware policy and on the software device; each against the same
 * composition done directly with OpenSSL EVP and HMAC(). A flipped ICV bit
 * must give XCE_ERR_AUTH, and for verify-then-decrypt leave dst untouched. */
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>

#include "aes_ref.h"
#include "check.h"
#include "xce.h"

struct cipher_case { const char *name, *evp; enum xce_alg alg; enum xce_mode mode; size_t klen, block; };
static const struct cipher_case ciphers[] = {
    { "aes-128-cbc", "AES-128-CBC", XCE_ALG_AES, XCE_MODE_CBC, 16, 16 },
    { "aes-256-ctr", "AES-256-CTR", XCE_ALG_AES, XCE_MODE_CTR, 32, 16 },
    { "des-ede3-cbc", "DES-EDE3-CBC", XCE_ALG_3DES, XCE_MODE_CBC, 24, 8 },
    { "des-cbc", "DES-CBC", XCE_ALG_DES, XCE_MODE_CBC, 8, 8 },
};
struct mac_case { const char *name; enum xce_hash_alg alg; const char *md; size_t icv; };
static const struct mac_case macs[] = {
    { "hmac-sha1-96", XCE_HASH_SHA1, "SHA1", 12 },
    { "hmac-md5-96", XCE_HASH_MD5, "MD5", 12 },
    { "hmac-sha2-256", XCE_HASH_SHA256, "SHA256", 32 },
    { "hmac-sha2-512-256", XCE_HASH_SHA512, "SHA512", 32 },
};
static const char *orders[] = { "", "", "", "enc-then-mac", "verify-then-dec", "mac-then-enc", "dec-then-verify" };

/* The reference: what the request must produce, from OpenSSL directly. */
static int reference(int order, const struct cipher_case *c, const struct mac_case *m, const uint8_t *key,
                     const uint8_t *mkey, const uint8_t *iv, const uint8_t *in, size_t len, size_t aad,
                     uint8_t *out)
{
    int dec = order == XCE_CHAIN_MAC_DEC || order == XCE_CHAIN_DEC_MAC;
    int mac_first = order == XCE_CHAIN_MAC_DEC || order == XCE_CHAIN_MAC_ENC;
    unsigned n;
    uint8_t md[64];
    memcpy(out, in, aad);
    if (!cipher_ref(c->evp, dec, key, iv, in + aad, out + aad, len - aad))
        return 0;
    HMAC(EVP_get_digestbyname(m->md), mkey, 20, mac_first ? in : out, len, md, &n);
    memcpy(out + len, md, m->icv);   /* for verify orders: the ICV the input must carry */
    return 1;
}

static unsigned run_dev(xce_dev *dev, const char *devname)
{
    unsigned bad = 0, runs = 0;
    static uint8_t in[2048], out[2048], ref[2048], tmp[2048];
    for (int order = XCE_CHAIN_ENC_MAC; order <= XCE_CHAIN_DEC_MAC; order++) {
        int verify = order == XCE_CHAIN_MAC_DEC || order == XCE_CHAIN_DEC_MAC;
        for (size_t ci = 0; ci < 4; ci++) {
            for (size_t mi = 0; mi < 4; mi++) {
                const struct cipher_case *c = &ciphers[ci];
                const struct mac_case *m = &macs[mi];
                uint8_t key[32], mkey[20], iv[16];
                check_random(key, sizeof key);
                check_random(mkey, sizeof mkey);
                check_random(iv, sizeof iv);
                struct xce_chain_params p = { (enum xce_chain)order,
                                              { c->alg, c->mode, key, c->klen, 0 },
                                              { m->alg, mkey, sizeof mkey }, m->icv };
                xce_session *s;
                if (xce_chain_session_create(dev, &p, &s) != XCE_OK) {
                    CHECK(0, "%s: %s %s %s session", devname, orders[order], c->name, m->name);
                    continue;
                }
                for (int k = 0; k < 4; k++) {
                    size_t aad = (size_t[]){ 0, 8, 24, 8 }[k];
                    size_t plen = (size_t[]){ 16, 1400, 64, 0 }[k];
                    if (plen % c->block)
                        plen -= plen % c->block;
                    size_t len = aad + plen;
                    int in_place = k % 2;
                    check_random(in, len);
                    if (verify) {
                        /* a valid record: what the sending side would have produced */
                        int sender = order == XCE_CHAIN_MAC_DEC ? XCE_CHAIN_ENC_MAC : XCE_CHAIN_MAC_ENC;
                        reference(sender, c, m, key, mkey, iv, in, len, aad, tmp);
                        memcpy(in, tmp, len + m->icv);
                    }
                    reference(order, c, m, key, mkey, iv, in, len, aad, ref);
                    memcpy(out, in, len + m->icv);
                    uint8_t *dst = in_place ? out : tmp;
                    memset(tmp, 0xee, sizeof tmp);
                    int r = xce_chain(s, iv, out, dst, len, aad);
                    runs++;
                    if (r != XCE_OK || memcmp(dst, ref, len + (verify ? 0 : m->icv))) {
                        bad++;
                        CHECK(0, "%s: %s %s %s aad %zu payload %zu %s: %s", devname, orders[order], c->name,
                              m->name, aad, plen, in_place ? "in place" : "to another buffer", xce_strerror(r));
                    }
                    if (verify && k == 1) {
                        /* one flipped bit in the ICV */
                        memcpy(out, in, len + m->icv);
                        out[len + m->icv - 1] ^= 0x01;
                        memset(tmp, 0xee, sizeof tmp);
                        r = xce_chain(s, iv, out, tmp, len, aad);
                        int untouched = 1;
                        for (size_t i = 0; i < len; i++)
                            untouched &= tmp[i] == 0xee;
                        if (r != XCE_ERR_AUTH || !untouched) {
                            bad++;
                            CHECK(0, "%s: %s %s %s: flipped ICV bit gave %s%s", devname, orders[order], c->name,
                                  m->name, xce_strerror(r), untouched ? "" : " and wrote plaintext");
                        }
                    }
                }
                xce_session_destroy(s);
            }
        }
    }
    CHECK(bad == 0, "%s: %u chained requests equal OpenSSL's composition; flipped ICVs rejected, nothing written",
          devname, runs);
    /* lengths the request cannot have are refused before anything runs */
    uint8_t key[16] = { 0 }, mkey[20] = { 0 }, iv[16] = { 0 };
    struct xce_chain_params p = { XCE_CHAIN_ENC_MAC, { XCE_ALG_AES, XCE_MODE_CBC, key, 16, 0 },
                                  { XCE_HASH_SHA1, mkey, sizeof mkey }, 12 };
    xce_session *s;
    if (xce_chain_session_create(dev, &p, &s) == XCE_OK) {
        CHECK(xce_chain(s, iv, in, out, 16, 24) == XCE_ERR_INVAL, "%s: AAD longer than the request refused", devname);
        CHECK(xce_chain(s, iv, in, out, 8 + 20, 8) == XCE_ERR_INVAL, "%s: payload not whole blocks refused", devname);
        xce_session_destroy(s);
    }
    return runs;
}

int main(void)
{
    check_seed();
    xce_dev *dev;
    struct xce_open_opts o = { .policy = XCE_POLICY_HARDWARE };
    if (CHECK(xce_open("sim", &o, &dev) == XCE_OK, "attach, hardware policy")) {
        unsigned runs = run_dev(dev, "engine");
        struct xce_stats st;
        if (xce_get_stats(dev, &st) != XCE_OK)
            memset(&st, 0, sizeof st);
        CHECK(st.sw_requests == 0 && st.hw_requests >= runs && st.engine_errors == 0,
              "engine: all on the engine, no engine errors (%llu requests)", (unsigned long long)st.hw_requests);
        xce_close(dev);
    }
    if (CHECK(xce_open("sw", NULL, &dev) == XCE_OK, "software device")) {
        run_dev(dev, "software");
        xce_close(dev);
    }
    return check_done();
}
