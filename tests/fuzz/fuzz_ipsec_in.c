/* fuzz_ipsec_in.c - libFuzzer target for the inbound IPsec datapath
 * (ipsec_input, ipsec_peek_spi) on the "sw" device.
 *
 * The first input byte picks one of four inbound SAs (fixed keys, fresh
 * state per input): esp-aes esp-sha-hmac tunnel, esp-3des esp-md5-hmac
 * transport in UDP, esp-null esp-sha-hmac transport, ah-sha-hmac tunnel;
 * the rest is the packet. Each packet is tried twice: as it is, and
 * "resealed" - its ICV recomputed with the SA's key over the bytes the ICV
 * covers - so mutations get past the ICV and reach decryption, padding,
 * next header and the inner packet's checks.
 *
 * Properties (any violation aborts): the result is a known reason;
 * accepted, the output fits its buffer and is an IPv4 packet whose total
 * length is the output's; dropped, nothing is reported as output; the SA's
 * counters add up to the packets given. ASan/UBSan catch the rest. */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec.h"
#include "xce_internal.h"

/* the simulated backend is not linked into this target */
int xce_backend_sim_open(const char *arg, const struct xce_open_opts *o, struct xce_backend *be)
{
    (void)arg, (void)o, (void)be;
    return XCE_ERR_NODEV;
}

static const uint8_t CKEY[24] = "0123456789abcdefghijklmn";
static const uint8_t AKEY[20] = "ABCDEFGHIJKLMNOPQRST";

struct cfg { enum ipsec_proto proto; enum ipsec_mode mode; enum ipsec_cipher c; enum ipsec_auth a; int udp; };
static const struct cfg cfgs[4] = {
    { IPSEC_PROTO_ESP, IPSEC_MODE_TUNNEL, IPSEC_CIPHER_AES128, IPSEC_AUTH_SHA1_96, 0 },
    { IPSEC_PROTO_ESP, IPSEC_MODE_TRANSPORT, IPSEC_CIPHER_3DES, IPSEC_AUTH_MD5_96, 1 },
    { IPSEC_PROTO_ESP, IPSEC_MODE_TRANSPORT, IPSEC_CIPHER_NULL, IPSEC_AUTH_SHA1_96, 0 },
    { IPSEC_PROTO_AH, IPSEC_MODE_TUNNEL, IPSEC_CIPHER_NULL, IPSEC_AUTH_SHA1_96, 0 },
};
#define SPI 0x1000u

static xce_dev *dev;

/* Recompute the ICV in place, if the packet is long enough to hold one
 * where the SA expects it; the parse here is deliberately naive (it only
 * has to be in bounds, not right). */
static void reseal(const struct cfg *c, uint8_t *p, size_t len)
{
    if (len < 20)
        return;
    size_t hl = (size_t)(p[0] & 15) * 4;
    const EVP_MD *md = c->a == IPSEC_AUTH_MD5_96 ? EVP_md5() : EVP_sha1();
    size_t klen = c->a == IPSEC_AUTH_MD5_96 ? 16 : 20;
    uint8_t d[64];
    unsigned dl;
    if (c->proto == IPSEC_PROTO_ESP) {
        size_t e = hl + (c->udp ? 8 : 0);
        if (e + 12 > len)
            return;
        HMAC(md, AKEY, (int)klen, p + e, len - e - 12, d, &dl);
        memcpy(p + len - 12, d, 12);
    } else {
        if (hl < 20 || hl + 24 > len)
            return;
        uint8_t *t = malloc(len);
        if (!t)
            return;
        memcpy(t, p, len);
        t[1] = 0, t[6] = t[7] = 0, t[8] = 0, t[10] = t[11] = 0;
        for (size_t i = 20; i < hl;) {   /* as RFC 4302 A.1: keep 130, 133, 134, 148, 149 */
            uint8_t ty = t[i];
            if (ty == 0)
                break;
            if (ty == 1) {
                i++;
                continue;
            }
            if (i + 1 >= hl || t[i + 1] < 2 || t[i + 1] > hl - i)
                break;
            size_t ol = t[i + 1];
            if (ty != 130 && ty != 133 && ty != 134 && ty != 148 && ty != 149)
                memset(t + i, 0, ol);
            i += ol;
        }
        memset(t + hl + 12, 0, 12);
        HMAC(md, AKEY, (int)klen, t, len, d, &dl);
        memcpy(p + hl + 12, d, 12);
        free(t);
    }
}

static void one(const struct cfg *c, const uint8_t *pkt, size_t len)
{
    struct ipsec_sa_params p = { 0 };
    p.proto = c->proto;
    p.mode = c->mode;
    p.dir = IPSEC_DIR_INBOUND;
    p.spi = SPI;
    p.cipher = c->c;
    if (c->c) {
        p.cipher_key = CKEY;
        p.cipher_key_len = c->c == IPSEC_CIPHER_AES128 ? 16 : 24;
    }
    p.auth = c->a;
    p.auth_key = AKEY;
    p.auth_key_len = c->a == IPSEC_AUTH_MD5_96 ? 16 : 20;
    p.udp_encap = c->udp;
    struct ipsec_sa *sa;
    if (ipsec_sa_create(dev, &p, &sa) != XCE_OK)
        abort();
    size_t cap = len;   /* exactly what the API asks for */
    uint8_t *out = malloc(cap ? cap : 1);
    if (!out)
        abort();
    for (int k = 0; k < 2; k++) {
        size_t ol = 12345;
        enum ipsec_drop why = IPSEC_DROP_COUNT;
        enum ipsec_drop r = ipsec_input(sa, pkt, len, out, cap, &ol, &why);
        if ((unsigned)r >= IPSEC_DROP_COUNT || why != r || r == IPSEC_DROP_INVAL || r == IPSEC_DROP_NO_ROOM)
            abort();
        if (r == IPSEC_OK) {
            if (ol < 20 || ol > cap || (out[0] >> 4) != 4 || ((size_t)out[2] << 8 | out[3]) != ol)
                abort();
        } else if (ol != 0) {
            abort();
        }
    }
    struct ipsec_sa_stats st;
    if (ipsec_sa_stats(sa, &st) != XCE_OK)
        abort();
    uint64_t sum = st.pkts_decaps;
    for (int d = 1; d < IPSEC_DROP_COUNT; d++)
        sum += st.drops[d];
    if (sum != 2 || st.recv_errors != 2 - st.pkts_decaps)
        abort();
    ipsec_sa_destroy(sa);
    free(out);
    enum ipsec_proto pr;
    uint32_t spi;
    int udp;
    enum ipsec_drop r = ipsec_peek_spi(pkt, len, 1, &pr, &spi, &udp);
    if ((unsigned)r >= IPSEC_DROP_COUNT)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dev && xce_open("sw", NULL, &dev) != XCE_OK)
        abort();
    if (size < 1)
        return 0;
    const struct cfg *c = &cfgs[data[0] % 4];
    size_t len = size - 1;
    /* copies of exactly the packet's size, so ASan sees any overread */
    uint8_t *pkt = malloc(len ? len : 1);
    if (!pkt)
        abort();
    memcpy(pkt, data + 1, len);
    one(c, pkt, len);
    reseal(c, pkt, len);
    one(c, pkt, len);
    free(pkt);
    return 0;
}
