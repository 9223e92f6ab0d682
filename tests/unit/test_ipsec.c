/* test_ipsec.c - the IPsec datapath (sw/ipsec): ESP and AH, tunnel and
 * transport, ESP in UDP, bundles, bursts, drops and counters.
 *
 * Every packet we make is also taken apart here with OpenSSL directly
 * (EVP decryption with the known key and the IV from the wire, HMAC() over
 * the bytes RFC 4303/4302 say, padding and next header checked by hand),
 * and packets built here the same way are fed to our inbound side, so the
 * library is not only tested against itself. The bulk runs on the software
 * device; a representative subset runs on the simulated engine under the
 * hardware policy (the model is slow: a few hundred requests). */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aes_ref.h"
#include "check.h"
#include "ipsec.h"

#define MAXPKT 4096

struct xform { const char *name; enum ipsec_proto proto; enum ipsec_cipher c; enum ipsec_auth a; const char *show; };
static const struct xform xforms[] = {
    { "esp-des md5", IPSEC_PROTO_ESP, IPSEC_CIPHER_DES, IPSEC_AUTH_MD5_96, "esp-des esp-md5-hmac" },
    { "esp-des sha", IPSEC_PROTO_ESP, IPSEC_CIPHER_DES, IPSEC_AUTH_SHA1_96, "esp-des esp-sha-hmac" },
    { "esp-des sha256", IPSEC_PROTO_ESP, IPSEC_CIPHER_DES, IPSEC_AUTH_SHA256_128, "esp-des esp-sha256-hmac" },
    { "esp-3des md5", IPSEC_PROTO_ESP, IPSEC_CIPHER_3DES, IPSEC_AUTH_MD5_96, "esp-3des esp-md5-hmac" },
    { "esp-3des sha", IPSEC_PROTO_ESP, IPSEC_CIPHER_3DES, IPSEC_AUTH_SHA1_96, "esp-3des esp-sha-hmac" },
    { "esp-3des sha256", IPSEC_PROTO_ESP, IPSEC_CIPHER_3DES, IPSEC_AUTH_SHA256_128, "esp-3des esp-sha256-hmac" },
    { "esp-aes md5", IPSEC_PROTO_ESP, IPSEC_CIPHER_AES128, IPSEC_AUTH_MD5_96, "esp-aes esp-md5-hmac" },
    { "esp-aes sha", IPSEC_PROTO_ESP, IPSEC_CIPHER_AES128, IPSEC_AUTH_SHA1_96, "esp-aes esp-sha-hmac" },
    { "esp-aes sha256", IPSEC_PROTO_ESP, IPSEC_CIPHER_AES128, IPSEC_AUTH_SHA256_128, "esp-aes esp-sha256-hmac" },
    { "esp-aes192 md5", IPSEC_PROTO_ESP, IPSEC_CIPHER_AES192, IPSEC_AUTH_MD5_96, "esp-192-aes esp-md5-hmac" },
    { "esp-aes192 sha", IPSEC_PROTO_ESP, IPSEC_CIPHER_AES192, IPSEC_AUTH_SHA1_96, "esp-192-aes esp-sha-hmac" },
    { "esp-aes192 sha256", IPSEC_PROTO_ESP, IPSEC_CIPHER_AES192, IPSEC_AUTH_SHA256_128,
      "esp-192-aes esp-sha256-hmac" },
    { "esp-aes256 md5", IPSEC_PROTO_ESP, IPSEC_CIPHER_AES256, IPSEC_AUTH_MD5_96, "esp-256-aes esp-md5-hmac" },
    { "esp-aes256 sha", IPSEC_PROTO_ESP, IPSEC_CIPHER_AES256, IPSEC_AUTH_SHA1_96, "esp-256-aes esp-sha-hmac" },
    { "esp-aes256 sha256", IPSEC_PROTO_ESP, IPSEC_CIPHER_AES256, IPSEC_AUTH_SHA256_128,
      "esp-256-aes esp-sha256-hmac" },
    { "esp-null sha", IPSEC_PROTO_ESP, IPSEC_CIPHER_NULL, IPSEC_AUTH_SHA1_96, "esp-null esp-sha-hmac" },
    { "esp-aes (no auth)", IPSEC_PROTO_ESP, IPSEC_CIPHER_AES128, IPSEC_AUTH_NONE, "esp-aes" },
    { "ah-md5", IPSEC_PROTO_AH, IPSEC_CIPHER_NULL, IPSEC_AUTH_MD5_96, "ah-md5-hmac" },
    { "ah-sha", IPSEC_PROTO_AH, IPSEC_CIPHER_NULL, IPSEC_AUTH_SHA1_96, "ah-sha-hmac" },
    { "ah-sha256", IPSEC_PROTO_AH, IPSEC_CIPHER_NULL, IPSEC_AUTH_SHA256_128, "ah-sha256-hmac" },
};
#define NX (sizeof xforms / sizeof xforms[0])

static const size_t ckey_len[] = { 0, 8, 24, 16, 24, 32 };
static const char *const evp_name[] = { NULL, "DES-CBC", "DES-EDE3-CBC", "AES-128-CBC", "AES-192-CBC", "AES-256-CBC" };
static const size_t block_of[] = { 1, 8, 8, 16, 16, 16 };
static const size_t akey_len[] = { 0, 16, 20, 32 };
static const size_t icv_of[] = { 0, 12, 12, 16 };
static const char *const md_name[] = { NULL, "MD5", "SHA1", "SHA256" };

static uint8_t ckey[32], akey[32];
static uint64_t fake_now;
static uint64_t fake_clock(void *arg)
{
    (void)arg;
    return fake_now;
}

static struct ipsec_sa_params params(const struct xform *x, enum ipsec_mode mode, enum ipsec_dir dir, uint32_t spi)
{
    struct ipsec_sa_params p = { 0 };
    p.proto = x->proto;
    p.mode = mode;
    p.dir = dir;
    p.spi = spi;
    p.cipher = x->c;
    p.cipher_key = x->c ? ckey : NULL;
    p.cipher_key_len = ckey_len[x->c];
    p.auth = x->a;
    p.auth_key = x->a ? akey : NULL;
    p.auth_key_len = akey_len[x->a];
    p.local = 0xc0a80101;    /* 192.168.1.1 */
    p.remote = 0xc0a80202;   /* 192.168.2.2 */
    p.clock = fake_clock;
    return p;
}

static uint16_t csum(const uint8_t *p, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)p[i] << 8 | p[i + 1];
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}
static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static unsigned get16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

/* An IPv4 packet: 10.0.0.1 -> 10.0.1.1, protocol proto, payload random,
 * with opt_len bytes of options (a router alert and a timestamp). */
static size_t make_ip(uint8_t *b, size_t payload, uint8_t proto, size_t opt_len)
{
    size_t hl = 20 + opt_len;
    memset(b, 0, hl);
    b[0] = (uint8_t)(0x40 | hl / 4);
    b[1] = 0x10;
    put16(b + 2, (unsigned)(hl + payload));
    put16(b + 4, check_rand32() & 0xffff);
    put16(b + 6, 0x4000);
    b[8] = 33;
    b[9] = proto;
    b[12] = 10, b[15] = 1;
    b[16] = 10, b[18] = 1, b[19] = 1;
    if (opt_len) {   /* 8 bytes: router alert (immutable), timestamp stub (mutable) */
        uint8_t o[8] = { 148, 4, 0, 0, 68, 4, 5, 0 };
        memcpy(b + 20, o, 8);
    }
    check_random(b + hl, payload);
    put16(b + 10, csum(b, hl));
    return hl + payload;
}

/* --- the independent reader of what we made ---------------------------- */

/* An ESP packet: outer header sane, SPI and sequence number, ICV = HMAC
 * over SPI .. end of ciphertext, decryption with the IV on the wire, pad
 * bytes 1, 2, 3..., next header, and the payload equal to the original. */
static int ref_esp(const struct xform *x, enum ipsec_mode mode, int udp, const uint8_t *w, size_t wl,
                   const uint8_t *orig, size_t ol, uint32_t spi, uint32_t seq, char *why, size_t whylen)
{
#define FAIL(...) do { snprintf(why, whylen, __VA_ARGS__); return 0; } while (0)
    if (wl < 20 || (w[0] >> 4) != 4)
        FAIL("not IPv4");
    size_t hl = (size_t)(w[0] & 15) * 4;
    if (get16(w + 2) != wl || csum(w, hl) != 0)
        FAIL("outer length/checksum");
    if (w[9] != (udp ? 17 : 50))
        FAIL("outer protocol %u", w[9]);
    if (mode == IPSEC_MODE_TUNNEL && (get32(w + 12) != 0xc0a80101 || get32(w + 16) != 0xc0a80202 || hl != 20))
        FAIL("tunnel endpoints");
    if (mode == IPSEC_MODE_TRANSPORT && (memcmp(w + 12, orig + 12, 8) || hl != (size_t)(orig[0] & 15) * 4))
        FAIL("transport header not kept");
    size_t e = hl;
    if (udp) {
        if (get16(w + hl) != 4500 || get16(w + hl + 2) != 4500 || get16(w + hl + 4) != wl - hl ||
            get16(w + hl + 6) != 0)
            FAIL("UDP header");
        e += 8;
    }
    size_t ivl = x->c ? block_of[x->c] : 0, icv = icv_of[x->a];
    if (get32(w + e) != spi || get32(w + e + 4) != seq)
        FAIL("SPI/seq %08x/%u", get32(w + e), get32(w + e + 4));
    if (wl < e + 8 + ivl + icv)
        FAIL("short");
    size_t body = wl - e - 8 - ivl - icv;
    size_t align = block_of[x->c] > 4 ? block_of[x->c] : 4;
    if (body % align || body < 2)
        FAIL("body %zu not aligned to %zu", body, align);
    if (icv) {
        uint8_t md[64];
        unsigned mdl;
        HMAC(EVP_get_digestbyname(md_name[x->a]), akey, (int)akey_len[x->a], w + e, 8 + ivl + body, md, &mdl);
        if (memcmp(md, w + wl - icv, icv))
            FAIL("ICV does not match HMAC-%s over SPI..ciphertext", md_name[x->a]);
    }
    static uint8_t pt[MAXPKT];
    if (x->c) {
        if (!cipher_ref(evp_name[x->c], 1, ckey, w + e + 8, w + e + 8 + ivl, pt, body))
            FAIL("EVP decrypt");
    } else {
        memcpy(pt, w + e + 8, body);
    }
    size_t pad = pt[body - 2];
    uint8_t nh = pt[body - 1];
    if (pad + 2 > body)
        FAIL("pad length");
    size_t dl = body - 2 - pad;
    for (size_t i = 0; i < pad; i++)
        if (pt[dl + i] != i + 1)
            FAIL("pad byte %zu", i);
    if ((dl + 2) % align == 0 && pad >= align)
        FAIL("more padding than needed");
    size_t ohl = (size_t)(orig[0] & 15) * 4;
    if (mode == IPSEC_MODE_TUNNEL) {
        if (nh != 4 || dl != ol || memcmp(pt, orig, ol))
            FAIL("tunnel payload (nh %u)", nh);
    } else {
        if (nh != orig[9] || dl != ol - ohl || memcmp(pt, orig + ohl, dl))
            FAIL("transport payload (nh %u)", nh);
    }
    return 1;
#undef FAIL
}

/* RFC 4302 3.3.3.1.1: zero TOS, flags/offset, TTL, checksum and the mutable
 * options (here: everything but router alert, the only immutable one the
 * tests send). */
static void zero_mutable(uint8_t *h, size_t hl)
{
    h[1] = 0, h[6] = h[7] = 0, h[8] = 0, h[10] = h[11] = 0;
    for (size_t i = 20; i < hl;) {
        if (h[i] == 0)
            break;
        if (h[i] == 1) {
            i++;
            continue;
        }
        size_t l = h[i + 1];
        if (h[i] != 148)
            memset(h + i, 0, l);
        i += l;
    }
}

static int ref_ah(const struct xform *x, enum ipsec_mode mode, const uint8_t *w, size_t wl, const uint8_t *orig,
                  size_t ol, uint32_t spi, uint32_t seq, char *why, size_t whylen)
{
#define FAIL(...) do { snprintf(why, whylen, __VA_ARGS__); return 0; } while (0)
    size_t hl = (size_t)(w[0] & 15) * 4, icv = icv_of[x->a], alen = 12 + icv;
    if (get16(w + 2) != wl || csum(w, hl) != 0 || w[9] != 51)
        FAIL("outer header");
    const uint8_t *ah = w + hl;
    if (ah[1] != alen / 4 - 2 || get32(ah + 4) != spi || get32(ah + 8) != seq || alen % 4)
        FAIL("AH header");
    static uint8_t tmp[MAXPKT];
    memcpy(tmp, w, wl);
    zero_mutable(tmp, hl);
    memset(tmp + hl + 12, 0, icv);
    uint8_t md[64];
    unsigned mdl;
    HMAC(EVP_get_digestbyname(md_name[x->a]), akey, (int)akey_len[x->a], tmp, wl, md, &mdl);
    if (memcmp(md, ah + 12, icv))
        FAIL("ICV");
    size_t ohl = (size_t)(orig[0] & 15) * 4;
    if (mode == IPSEC_MODE_TUNNEL) {
        if (ah[0] != 4 || wl - hl - alen != ol || memcmp(ah + alen, orig, ol))
            FAIL("tunnel payload");
    } else {
        if (ah[0] != orig[9] || wl - hl - alen != ol - ohl || memcmp(ah + alen, orig + ohl, ol - ohl) ||
            memcmp(w + 12, orig + 12, 8) || w[1] != orig[1] || w[8] != orig[8])
            FAIL("transport payload/header");
    }
    return 1;
#undef FAIL
}

/* --- the independent writer: an ESP packet for our inbound side -------- */

/* Tunnel-mode ESP to 192.168.2.2, built here with EVP and HMAC(): payload
 * data (dl bytes), then pad bytes as given (NULL: 1, 2, 3...), pad length
 * field padlen_field, next header nh. Returns the length. */
static size_t ref_build_esp(const struct xform *x, uint32_t spi, uint32_t seq, const uint8_t *data, size_t dl,
                            const uint8_t *pad, size_t npad, unsigned padlen_field, uint8_t nh, uint8_t *w)
{
    size_t ivl = x->c ? block_of[x->c] : 0, icv = icv_of[x->a];
    size_t body = dl + npad + 2;
    size_t tot = 20 + 8 + ivl + body + icv;
    memset(w, 0, 20);
    w[0] = 0x45, w[8] = 64, w[9] = 50;
    put16(w + 2, (unsigned)tot);
    w[12] = 192, w[13] = 168, w[14] = 2, w[15] = 2;
    w[16] = 192, w[17] = 168, w[18] = 1, w[19] = 1;
    put16(w + 10, csum(w, 20));
    uint8_t *e = w + 20;
    e[0] = (uint8_t)(spi >> 24), e[1] = (uint8_t)(spi >> 16), e[2] = (uint8_t)(spi >> 8), e[3] = (uint8_t)spi;
    e[4] = (uint8_t)(seq >> 24), e[5] = (uint8_t)(seq >> 16), e[6] = (uint8_t)(seq >> 8), e[7] = (uint8_t)seq;
    check_random(e + 8, ivl);
    static uint8_t pt[MAXPKT];
    memcpy(pt, data, dl);
    for (size_t i = 0; i < npad; i++)
        pt[dl + i] = pad ? pad[i] : (uint8_t)(i + 1);
    pt[body - 2] = (uint8_t)padlen_field;
    pt[body - 1] = nh;
    if (x->c)
        cipher_ref(evp_name[x->c], 0, ckey, e + 8, pt, e + 8 + ivl, body);
    else
        memcpy(e + 8, pt, body);
    uint8_t md[64];
    unsigned mdl;
    HMAC(EVP_get_digestbyname(md_name[x->a]), akey, (int)akey_len[x->a], e, 8 + ivl + body, md, &mdl);
    memcpy(e + 8 + ivl + body, md, icv);
    return tot;
}

/* --- round trips --------------------------------------------------------- */

static int make_pair(xce_dev *dev, const struct xform *x, enum ipsec_mode mode, int udp, uint32_t spi,
                     struct ipsec_sa **o, struct ipsec_sa **i)
{
    struct ipsec_sa_params po = params(x, mode, IPSEC_DIR_OUTBOUND, spi);
    struct ipsec_sa_params pi = params(x, mode, IPSEC_DIR_INBOUND, spi);
    po.udp_encap = pi.udp_encap = udp;
    *o = *i = NULL;
    if (ipsec_sa_create(dev, &po, o) != XCE_OK || ipsec_sa_create(dev, &pi, i) != XCE_OK) {
        ipsec_sa_destroy(*o);
        ipsec_sa_destroy(*i);
        return 0;
    }
    return 1;
}

static const char *mode_name(enum ipsec_mode m)
{
    return m == IPSEC_MODE_TUNNEL ? "tunnel" : "transport";
}

/* npkts packets of random sizes through a pair, each checked on the wire
 * and recovered; returns the number of failures (each reported). */
static unsigned round_trips(xce_dev *dev, const char *devname, const struct xform *x, enum ipsec_mode mode, int udp,
                            unsigned npkts)
{
    struct ipsec_sa *o, *in;
    uint32_t spi = 0x1000 + (check_rand32() & 0xffffff);
    if (!make_pair(dev, x, mode, udp, spi, &o, &in)) {
        CHECK(0, "%s: %s %s: SA pair", devname, x->name, mode_name(mode));
        return 1;
    }
    static uint8_t pkt[MAXPKT], wire[MAXPKT], back[MAXPKT];
    unsigned bad = 0;
    for (unsigned k = 0; k < npkts && !bad; k++) {
        size_t payload = k == 0 ? 0 : k == 1 ? 1 : k == 2 ? 1480 : check_rand32() % 1400;
        size_t opts = mode == IPSEC_MODE_TRANSPORT && k == 3 ? 8 : 0;
        size_t len = make_ip(pkt, payload, (uint8_t)(k % 2 ? 17 : 6), opts);
        size_t wl, bl;
        char why[128] = "";
        enum ipsec_drop r = ipsec_output(o, pkt, len, wire, sizeof wire, &wl);
        if (r != IPSEC_OK) {
            bad++;
            CHECK(0, "%s: %s %s%s: output of %zu bytes: %s", devname, x->name, mode_name(mode), udp ? " udp" : "",
                  len, ipsec_drop_name(r));
            break;
        }
        int ok = x->proto == IPSEC_PROTO_ESP
                     ? ref_esp(x, mode, udp, wire, wl, pkt, len, spi, k + 1, why, sizeof why)
                     : ref_ah(x, mode, wire, wl, pkt, len, spi, k + 1, why, sizeof why);
        if (!ok) {
            bad++;
            CHECK(0, "%s: %s %s%s: wire format of %zu bytes: %s", devname, x->name, mode_name(mode),
                  udp ? " udp" : "", len, why);
            break;
        }
        r = ipsec_input(in, wire, wl, back, sizeof back, &bl, NULL);
        if (r != IPSEC_OK || bl != len || memcmp(back, pkt, len)) {
            bad++;
            CHECK(0, "%s: %s %s%s: input recovers the %zu-byte packet: %s (got %zu)", devname, x->name,
                  mode_name(mode), udp ? " udp" : "", len, ipsec_drop_name(r), bl);
        }
    }
    struct ipsec_sa_stats so, si;
    if (!bad && ipsec_sa_stats(o, &so) == XCE_OK && ipsec_sa_stats(in, &si) == XCE_OK) {
        int enc = x->c != IPSEC_CIPHER_NULL, dig = x->a != IPSEC_AUTH_NONE;
        if (so.pkts_encaps != npkts || so.pkts_encrypt != (enc ? npkts : 0) || so.pkts_digest != (dig ? npkts : 0) ||
            si.pkts_decaps != npkts || si.pkts_decrypt != (enc ? npkts : 0) || si.pkts_verify != (dig ? npkts : 0) ||
            so.seq != npkts || si.seq != npkts || so.send_errors || si.recv_errors ||
            strcmp(so.transform, x->show) || so.iv_size != (x->c ? block_of[x->c] : 0) ||
            so.bytes_encaps != si.bytes_decaps) {
            bad++;
            CHECK(0, "%s: %s %s: counters (encaps %llu decaps %llu, transform '%s')", devname, x->name,
                  mode_name(mode), (unsigned long long)so.pkts_encaps, (unsigned long long)si.pkts_decaps,
                  so.transform);
        }
    }
    ipsec_sa_destroy(o);
    ipsec_sa_destroy(in);
    return bad;
}

static void all_transforms(xce_dev *dev, const char *devname, unsigned npkts)
{
    for (int m = 0; m < 2; m++) {
        unsigned bad = 0, runs = 0;
        for (size_t i = 0; i < NX; i++) {
            bad += round_trips(dev, devname, &xforms[i], (enum ipsec_mode)m, 0, npkts);
            runs++;
        }
        CHECK(bad == 0, "%s: %s mode, %u transforms x %u packets: wire format checked with EVP/HMAC, recovered, "
              "counters exact", devname, mode_name((enum ipsec_mode)m), runs, npkts);
    }
    unsigned bad = 0;
    for (int m = 0; m < 2; m++) {
        bad += round_trips(dev, devname, &xforms[7], (enum ipsec_mode)m, 1, npkts);    /* esp-aes esp-sha-hmac */
        bad += round_trips(dev, devname, &xforms[5], (enum ipsec_mode)m, 1, npkts);    /* esp-3des sha256 */
    }
    CHECK(bad == 0, "%s: ESP in UDP 4500 (RFC 3948), tunnel and transport", devname);
}

/* ESP then AH (AH in transport mode over the ESP packet), and back. */
static void bundle(xce_dev *dev, const char *devname, enum ipsec_mode esp_mode)
{
    const struct xform *ex = &xforms[7], *ax = &xforms[18];
    struct ipsec_sa *eo, *ei, *ao, *ai;
    if (!make_pair(dev, ex, esp_mode, 0, 0x5001, &eo, &ei)) {
        CHECK(0, "%s: bundle SAs", devname);
        return;
    }
    if (!make_pair(dev, ax, IPSEC_MODE_TRANSPORT, 0, 0x5002, &ao, &ai)) {
        CHECK(0, "%s: bundle SAs", devname);
        ipsec_sa_destroy(eo), ipsec_sa_destroy(ei);
        return;
    }
    static uint8_t pkt[MAXPKT], w1[MAXPKT], w2[MAXPKT], b1[MAXPKT], b2[MAXPKT];
    unsigned bad = 0;
    for (unsigned k = 0; k < 6; k++) {
        size_t len = make_ip(pkt, 40 + 97 * k, 17, 0), l1, l2, m1, m2;
        char why[128] = "";
        if (ipsec_output(eo, pkt, len, w1, sizeof w1, &l1) != IPSEC_OK ||
            ipsec_output(ao, w1, l1, w2, sizeof w2, &l2) != IPSEC_OK) {
            bad++;
            continue;
        }
        /* the outer packet is AH over ESP, each checked independently */
        if (!ref_ah(ax, IPSEC_MODE_TRANSPORT, w2, l2, w1, l1, 0x5002, k + 1, why, sizeof why) ||
            !ref_esp(ex, esp_mode, 0, w1, l1, pkt, len, 0x5001, k + 1, why, sizeof why) || w2[20] != 50) {
            bad++;
            CHECK(0, "%s: bundle wire format: %s", devname, why);
            continue;
        }
        if (ipsec_input(ai, w2, l2, b1, sizeof b1, &m1, NULL) != IPSEC_OK || m1 != l1 || memcmp(b1, w1, l1) ||
            ipsec_input(ei, b1, m1, b2, sizeof b2, &m2, NULL) != IPSEC_OK || m2 != len || memcmp(b2, pkt, len))
            bad++;
    }
    CHECK(bad == 0, "%s: ESP %s then AH transport: wire format checked, undone in reverse order", devname,
          mode_name(esp_mode));
    ipsec_sa_destroy(eo), ipsec_sa_destroy(ei), ipsec_sa_destroy(ao), ipsec_sa_destroy(ai);
}

/* --- drops ----------------------------------------------------------------- */

static void drops(xce_dev *dev, const char *devname)
{
    const struct xform *x = &xforms[7];   /* esp-aes esp-sha-hmac */
    struct ipsec_sa *o, *in;
    if (!make_pair(dev, x, IPSEC_MODE_TUNNEL, 0, 0x4242, &o, &in)) {
        CHECK(0, "%s: drops: SA pair", devname);
        return;
    }
    static uint8_t pkt[MAXPKT], wires[110][256], out[MAXPKT];
    size_t wl[110], bl, len = make_ip(pkt, 100, 17, 0);
    for (int k = 0; k < 110; k++)
        if (ipsec_output(o, pkt, len, wires[k], sizeof wires[k], &wl[k]) != IPSEC_OK)
            CHECK(0, "%s: output %d", devname, k);
    uint64_t expect[IPSEC_DROP_COUNT] = { 0 };
    unsigned passed = 0;
    enum ipsec_drop r, why;

    /* flipped ICV bit: dropped, counted, nothing written; the packet
     * itself is still accepted after (the window did not move) */
    static uint8_t bent[256];
    memcpy(bent, wires[0], wl[0]);
    bent[wl[0] - 1] ^= 0x80;
    memset(out, 0xa5, sizeof out);
    r = ipsec_input(in, bent, wl[0], out, sizeof out, &bl, &why);
    int untouched = 1;
    for (size_t i = 0; i < sizeof out; i++)
        untouched &= out[i] == 0xa5;
    CHECK(r == IPSEC_DROP_AUTH && why == r && bl == 0 && untouched, "%s: flipped ICV bit: %s, nothing written",
          devname, ipsec_drop_name(r));
    expect[IPSEC_DROP_AUTH]++;
    memcpy(bent, wires[0], wl[0]);
    bent[20 + 8 + 16 + 3] ^= 1;   /* a ciphertext bit */
    r = ipsec_input(in, bent, wl[0], out, sizeof out, &bl, NULL);
    CHECK(r == IPSEC_DROP_AUTH, "%s: flipped ciphertext bit: %s", devname, ipsec_drop_name(r));
    expect[IPSEC_DROP_AUTH]++;

    /* replay window (64): in order, a duplicate, out of order within the
     * window, left of it */
    r = ipsec_input(in, wires[0], wl[0], out, sizeof out, &bl, NULL);
    CHECK(r == IPSEC_OK && bl == len && !memcmp(out, pkt, len), "%s: the packet itself still accepted after the "
          "bad ICVs (window unmoved)", devname);
    passed++;
    r = ipsec_input(in, wires[0], wl[0], out, sizeof out, &bl, NULL);
    CHECK(r == IPSEC_DROP_REPLAY, "%s: replayed packet: %s", devname, ipsec_drop_name(r));
    expect[IPSEC_DROP_REPLAY]++;
    r = ipsec_input(in, wires[99], wl[99], out, sizeof out, &bl, NULL);   /* seq 100 */
    passed += r == IPSEC_OK;
    int ok = r == IPSEC_OK;
    r = ipsec_input(in, wires[39], wl[39], out, sizeof out, &bl, NULL);   /* seq 40: 60 behind, inside */
    passed += r == IPSEC_OK;
    ok &= r == IPSEC_OK;
    r = ipsec_input(in, wires[36], wl[36], out, sizeof out, &bl, NULL);   /* seq 37: 63 behind, inside */
    passed += r == IPSEC_OK;
    ok &= r == IPSEC_OK;
    r = ipsec_input(in, wires[35], wl[35], out, sizeof out, &bl, NULL);   /* seq 36: 64 behind, outside */
    ok &= r == IPSEC_DROP_REPLAY;
    expect[IPSEC_DROP_REPLAY]++;
    r = ipsec_input(in, wires[39], wl[39], out, sizeof out, &bl, NULL);   /* seq 40 again */
    ok &= r == IPSEC_DROP_REPLAY;
    expect[IPSEC_DROP_REPLAY]++;
    r = ipsec_input(in, wires[100], wl[100], out, sizeof out, &bl, NULL); /* 101 */
    passed += r == IPSEC_OK;
    ok &= r == IPSEC_OK;
    r = ipsec_input(in, wires[98], wl[98], out, sizeof out, &bl, NULL);   /* 99 */
    passed += r == IPSEC_OK;
    ok &= r == IPSEC_OK;
    CHECK(ok, "%s: window 64: out of order inside accepted once, at and left of the edge refused", devname);

    /* truncated at every length: malformed */
    unsigned badtrunc = 0;
    for (size_t l = 0; l < wl[1]; l++) {
        r = ipsec_input(in, wires[1], l, out, sizeof out, &bl, NULL);
        badtrunc += r != IPSEC_DROP_MALFORMED;
        expect[r]++;
    }
    CHECK(badtrunc == 0, "%s: truncated at each of %zu lengths: dropped as malformed", devname, wl[1]);
    /* and cut short with the IP length made consistent: never accepted */
    badtrunc = 0;
    for (size_t l = 20; l < wl[106]; l++) {
        memcpy(bent, wires[106], l);
        put16(bent + 2, (unsigned)l);
        bent[10] = bent[11] = 0;
        put16(bent + 10, csum(bent, 20));
        r = ipsec_input(in, bent, l, out, sizeof out, &bl, NULL);
        if (r == IPSEC_OK || (r != IPSEC_DROP_MALFORMED && r != IPSEC_DROP_AUTH)) {
            badtrunc++;
            printf("# cut to %zu: %s\n", l, ipsec_drop_name(r));
        }
        expect[r]++;
    }
    CHECK(badtrunc == 0, "%s: cut short with a consistent IP header: malformed or ICV mismatch", devname);

    /* wrong SPI, wrong protocol, a fragment, bad checksum */
    memcpy(bent, wires[2], wl[2]);
    bent[23] ^= 1;
    r = ipsec_input(in, bent, wl[2], out, sizeof out, &bl, NULL);
    CHECK(r == IPSEC_DROP_SPI, "%s: wrong SPI: %s", devname, ipsec_drop_name(r));
    expect[r]++;
    r = ipsec_input(in, pkt, len, out, sizeof out, &bl, NULL);
    CHECK(r == IPSEC_DROP_PROTO, "%s: a UDP packet to an ESP SA: %s", devname, ipsec_drop_name(r));
    expect[r]++;
    memcpy(bent, wires[2], wl[2]);
    bent[6] |= 0x20;   /* more fragments */
    bent[10] = bent[11] = 0;
    put16(bent + 10, csum(bent, 20));
    r = ipsec_input(in, bent, wl[2], out, sizeof out, &bl, NULL);
    CHECK(r == IPSEC_DROP_FRAGMENT, "%s: fragment: %s", devname, ipsec_drop_name(r));
    expect[r]++;
    memcpy(bent, wires[2], wl[2]);
    bent[8]--;   /* TTL changed, checksum not */
    r = ipsec_input(in, bent, wl[2], out, sizeof out, &bl, NULL);
    CHECK(r == IPSEC_DROP_MALFORMED, "%s: bad header checksum: %s", devname, ipsec_drop_name(r));
    expect[r]++;
    r = ipsec_input(in, wires[105], wl[105], out, wl[105] - 40, &bl, NULL);
    CHECK(r == IPSEC_DROP_NO_ROOM, "%s: output buffer too small: %s", devname, ipsec_drop_name(r));
    expect[r]++;

    /* packets built here: bad padding, long pad length, wrong next header, dummy */
    static uint8_t w[MAXPKT];
    uint8_t badpad[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
    size_t inner = make_ip(pkt, 60, 17, 0);   /* 80 bytes: 14 pad bytes to 96 */
    uint32_t seq = 200;
    size_t n = ref_build_esp(x, 0x4242, seq++, pkt, inner, NULL, 14, 14, 4, w);
    r = ipsec_input(in, w, n, out, sizeof out, &bl, NULL);
    CHECK(r == IPSEC_OK && bl == inner && !memcmp(out, pkt, inner), "%s: a packet built with EVP/HMAC accepted: %s",
          devname, ipsec_drop_name(r));
    passed += r == IPSEC_OK;
    badpad[5] = 0;
    n = ref_build_esp(x, 0x4242, seq++, pkt, inner, badpad, 14, 14, 4, w);
    memset(out, 0x5a, 200);
    r = ipsec_input(in, w, n, out, sizeof out, &bl, NULL);
    int wiped = 1;
    for (size_t i = 0; i < 8 + 16 + 96; i++)
        wiped &= out[i] == 0;
    CHECK(r == IPSEC_DROP_PAD && wiped, "%s: pad bytes not 1, 2, 3...: %s, plaintext wiped", devname,
          ipsec_drop_name(r));
    expect[r]++;
    n = ref_build_esp(x, 0x4242, seq++, pkt, 0, NULL, 14, 15, 4, w);
    r = ipsec_input(in, w, n, out, sizeof out, &bl, NULL);
    CHECK(r == IPSEC_DROP_PAD, "%s: pad length past the payload: %s", devname, ipsec_drop_name(r));
    expect[r]++;
    n = ref_build_esp(x, 0x4242, seq++, pkt, inner, NULL, 14, 14, 6, w);
    r = ipsec_input(in, w, n, out, sizeof out, &bl, NULL);
    CHECK(r == IPSEC_DROP_NEXT_HDR, "%s: next header 6 in tunnel mode: %s", devname, ipsec_drop_name(r));
    expect[r]++;
    n = ref_build_esp(x, 0x4242, seq++, pkt, inner, NULL, 14, 14, 59, w);
    r = ipsec_input(in, w, n, out, sizeof out, &bl, NULL);
    CHECK(r == IPSEC_DROP_DUMMY, "%s: next header 59: %s", devname, ipsec_drop_name(r));
    expect[r]++;
    pkt[0] = 0x65;   /* inner "IPv6" */
    n = ref_build_esp(x, 0x4242, seq++, pkt, inner, NULL, 14, 14, 4, w);
    r = ipsec_input(in, w, n, out, sizeof out, &bl, NULL);
    CHECK(r == IPSEC_DROP_MALFORMED, "%s: inner packet not IPv4: %s", devname, ipsec_drop_name(r));
    expect[r]++;

    struct ipsec_sa_stats st;
    if (ipsec_sa_stats(in, &st) == XCE_OK) {
        int same = 1;
        uint64_t errs = 0;
        for (int d = 1; d < IPSEC_DROP_COUNT; d++) {
            same &= st.drops[d] == expect[d];
            errs += expect[d];
            if (st.drops[d] != expect[d])
                printf("# drops[%s] = %llu, expected %llu\n", ipsec_drop_name((enum ipsec_drop)d),
                       (unsigned long long)st.drops[d], (unsigned long long)expect[d]);
        }
        CHECK(same && st.recv_errors == errs && st.pkts_decaps == passed && st.pkts_verify == passed &&
                  st.seq == 205 && st.replay_window == 64,
              "%s: inbound counters exact: %u decaps, %llu drops by reason, window 64, highest seq %u", devname,
              passed, (unsigned long long)errs, st.seq);
    }
    ipsec_sa_destroy(o);
    ipsec_sa_destroy(in);

    /* the same drops for esp-null and AH, where the ICV is compared here */
    for (int k = 0; k < 2; k++) {
        const struct xform *y = &xforms[k ? 18 : 15];
        if (!make_pair(dev, y, IPSEC_MODE_TRANSPORT, 0, 0x4343, &o, &in))
            continue;
        len = make_ip(pkt, 77, 6, 0);
        size_t l0;
        ok = ipsec_output(o, pkt, len, wires[0], sizeof wires[0], &l0) == IPSEC_OK;
        memcpy(bent, wires[0], l0);
        bent[l0 - 1] ^= 1;   /* payload (AH) or ICV (ESP) */
        r = ipsec_input(in, bent, l0, out, sizeof out, &bl, NULL);
        ok &= r == IPSEC_DROP_AUTH;
        r = ipsec_input(in, wires[0], l0, out, sizeof out, &bl, NULL);
        ok &= r == IPSEC_OK && bl == len && !memcmp(out, pkt, len);
        r = ipsec_input(in, wires[0], l0, out, sizeof out, &bl, NULL);
        ok &= r == IPSEC_DROP_REPLAY;
        unsigned tbad = 0;
        for (size_t l = 0; l < l0; l++)
            tbad += ipsec_input(in, wires[0], l, out, sizeof out, &bl, NULL) != IPSEC_DROP_MALFORMED;
        if (ipsec_sa_stats(in, &st) == XCE_OK)
            ok &= st.drops[IPSEC_DROP_AUTH] == 1 && st.drops[IPSEC_DROP_REPLAY] == 1 &&
                  st.drops[IPSEC_DROP_MALFORMED] == l0 && st.pkts_decaps == 1;
        CHECK(ok && tbad == 0, "%s: %s: flipped bit, replay, every truncation dropped and counted", devname,
              y->name);
        ipsec_sa_destroy(o);
        ipsec_sa_destroy(in);
    }
}

/* --- sequence numbers and lifetimes --------------------------------------- */

static void lifetimes(xce_dev *dev, const char *devname)
{
    const struct xform *x = &xforms[7];
    struct ipsec_sa *o, *in;
    static uint8_t pkt[MAXPKT], w[MAXPKT], out[MAXPKT];
    size_t len = make_ip(pkt, 80, 17, 0), wl, bl;
    enum ipsec_drop r1, r2, r3;

    if (make_pair(dev, x, IPSEC_MODE_TUNNEL, 0, 0x7777, &o, &in)) {
        ipsec_sa_set_seq(o, UINT32_MAX - 1);
        r1 = ipsec_output(o, pkt, len, w, sizeof w, &wl);
        int last = r1 == IPSEC_OK && get32(w + 24) == UINT32_MAX;
        r2 = ipsec_output(o, pkt, len, w, sizeof w, &wl);
        r3 = ipsec_output(o, pkt, len, w, sizeof w, &wl);
        struct ipsec_sa_stats st;
        int cnt = ipsec_sa_stats(o, &st) == XCE_OK && st.drops[IPSEC_DROP_SEQ_WRAP] == 1 &&
                  st.drops[IPSEC_DROP_EXPIRED] == 1 && st.hard_expired && st.pkts_encaps == 1;
        CHECK(last && r2 == IPSEC_DROP_SEQ_WRAP && r3 == IPSEC_DROP_EXPIRED && cnt,
              "%s: sequence number 2^32-1 sent, then no wrap (%s), SA expired (%s), counted", devname,
              ipsec_drop_name(r2), ipsec_drop_name(r3));
        ipsec_sa_destroy(o), ipsec_sa_destroy(in);
    }

    /* hard 2 kB: soft at 90% (1843 bytes); packets of 100 bytes */
    struct ipsec_sa_params po = params(x, IPSEC_MODE_TUNNEL, IPSEC_DIR_OUTBOUND, 0x8888);
    struct ipsec_sa_params pi = params(x, IPSEC_MODE_TUNNEL, IPSEC_DIR_INBOUND, 0x8888);
    po.hard_kbytes = pi.hard_kbytes = 2;
    fake_now = 1000;
    if (ipsec_sa_create(dev, &po, &o) == XCE_OK) {
        if (ipsec_sa_create(dev, &pi, &in) == XCE_OK) {
            unsigned sent = 0, got = 0, soft_at = 0, soft_in_at = 0;
            enum ipsec_drop last = IPSEC_OK, last_in = IPSEC_OK;
            for (int k = 0; k < 30; k++) {
                last = ipsec_output(o, pkt, len, w, sizeof w, &wl);
                if (last != IPSEC_OK)
                    break;
                sent++;
                if (!soft_at && ipsec_sa_soft_expired(o))
                    soft_at = sent;
                last_in = ipsec_input(in, w, wl, out, sizeof out, &bl, NULL);
                if (last_in == IPSEC_OK)
                    got++;
                if (!soft_in_at && ipsec_sa_soft_expired(in))
                    soft_in_at = got;
            }
            struct ipsec_sa_stats st;
            int left = ipsec_sa_stats(o, &st) == XCE_OK && st.kbytes_left == 0 && st.hard_expired &&
                       st.drops[IPSEC_DROP_EXPIRED] == 1;
            /* 21 packets reach 2100 >= 2048; the 19th reaches 1900 >= 1843 */
            CHECK(sent == 21 && last == IPSEC_DROP_EXPIRED && soft_at == 19 && got == 21 && soft_in_at == 19 && left,
                  "%s: hard lifetime 2 kB: %u packets out, then %s; soft at packet %u; inbound the same", devname,
                  sent, ipsec_drop_name(last), soft_at);
            /* inbound stops too once its count is reached */
            ipsec_sa_set_seq(o, 100);
            ipsec_sa_destroy(o);
            o = NULL;
            if (ipsec_sa_create(dev, &po, &o) == XCE_OK) {
                ipsec_sa_set_seq(o, 100);
                if (ipsec_output(o, pkt, len, w, sizeof w, &wl) == IPSEC_OK) {
                    r1 = ipsec_input(in, w, wl, out, sizeof out, &bl, NULL);
                    CHECK(r1 == IPSEC_DROP_EXPIRED, "%s: inbound past its hard lifetime: %s", devname,
                          ipsec_drop_name(r1));
                }
            }
            ipsec_sa_destroy(in);
        }
        ipsec_sa_destroy(o);
    }

    /* seconds: hard 100, soft 90 */
    po.hard_kbytes = 0;
    po.hard_seconds = 100;
    fake_now = 5000;
    if (ipsec_sa_create(dev, &po, &o) == XCE_OK) {
        struct ipsec_sa_stats st;
        fake_now = 5089;
        r1 = ipsec_output(o, pkt, len, w, sizeof w, &wl);
        int s1 = ipsec_sa_soft_expired(o);
        fake_now = 5090;
        r2 = ipsec_output(o, pkt, len, w, sizeof w, &wl);
        int s2 = ipsec_sa_soft_expired(o);
        int left = ipsec_sa_stats(o, &st) == XCE_OK && st.seconds_left == 10 && st.kbytes_left == UINT64_MAX;
        fake_now = 5100;
        r3 = ipsec_output(o, pkt, len, w, sizeof w, &wl);
        CHECK(r1 == IPSEC_OK && !s1 && r2 == IPSEC_OK && s2 && left && r3 == IPSEC_DROP_EXPIRED,
              "%s: hard lifetime 100 s: soft at 90 s (rekey flag), 10 s left shown, dropped at 100 s", devname);
        ipsec_sa_destroy(o);
    }
}

/* --- bursts ------------------------------------------------------------------ */

static void bursts(xce_dev *dev, const char *devname, const struct xform *x, enum ipsec_mode mode, unsigned n)
{
    struct ipsec_sa *o, *in;
    if (!make_pair(dev, x, mode, 0, 0x9999, &o, &in)) {
        CHECK(0, "%s: burst SAs", devname);
        return;
    }
    enum { MAXN = 70 };
    static uint8_t pkts[MAXN][1600], wires[MAXN][1700], backs[MAXN][1700];
    struct ipsec_pkt po[MAXN], pi[MAXN];
    size_t lens[MAXN];
    if (n > MAXN)
        n = MAXN;
    for (unsigned k = 0; k < n; k++) {
        lens[k] = make_ip(pkts[k], check_rand32() % 1400, 17, 0);
        po[k] = (struct ipsec_pkt){ pkts[k], lens[k], wires[k], sizeof wires[k], 0, 0 };
    }
    po[3].cap = 30;   /* one without room */
    unsigned passed = ipsec_output_burst(o, po, n);
    int ok = passed == n - 1 && po[3].result == IPSEC_DROP_NO_ROOM;
    unsigned wirebad = 0;
    for (unsigned k = 0, seq = 1; k < n; k++) {
        char why[128];
        if (k == 3)
            continue;
        if (po[k].result != IPSEC_OK || !(x->proto == IPSEC_PROTO_ESP
                                              ? ref_esp(x, mode, 0, wires[k], po[k].out_len, pkts[k], lens[k],
                                                        0x9999, seq, why, sizeof why)
                                              : ref_ah(x, mode, wires[k], po[k].out_len, pkts[k], lens[k], 0x9999,
                                                       seq, why, sizeof why)))
            wirebad++;
        seq++;
    }
    /* inbound: each 16 in reverse order, one bent, one twice in the same burst */
    unsigned m = 0;
    for (unsigned b = 0; b < n; b += 16) {
        for (unsigned k = b + 16 < n ? b + 16 : n; k-- > b;) {
            if (k == 3)
                continue;
            pi[m++] = (struct ipsec_pkt){ wires[k], po[k].out_len, backs[k], sizeof backs[k], 0, 0 };
        }
    }
    pi[m++] = (struct ipsec_pkt){ wires[5], po[5].out_len, backs[3], sizeof backs[3], 0, 0 };   /* replay */
    wires[6][po[6].out_len - 1] ^= 1;
    unsigned got = ipsec_input_burst(in, pi, m);
    unsigned recovered = 0;
    for (unsigned k = 0; k < n; k++) {
        if (k == 3 || k == 6)
            continue;
        recovered += !memcmp(backs[k], pkts[k], lens[k]);
    }
    ok &= got == m - 2 && pi[m - 1].result == IPSEC_DROP_REPLAY && recovered == n - 2;
    for (unsigned k = 0; k < m - 1; k++)
        if (pi[k].in == wires[6])
            ok &= pi[k].result == IPSEC_DROP_AUTH;
    struct ipsec_sa_stats st;
    ok &= ipsec_sa_stats(in, &st) == XCE_OK && st.pkts_decaps == m - 2 && st.drops[IPSEC_DROP_AUTH] == 1 &&
          st.drops[IPSEC_DROP_REPLAY] == 1 && st.seq == n - 1;
    CHECK(ok && wirebad == 0, "%s: %s %s bursts of %u: out in one go (one without room), wire format checked; in "
          "reverse order with one bent and one replayed in the same burst", devname, x->name, mode_name(mode), n);
    ipsec_sa_destroy(o);
    ipsec_sa_destroy(in);
}

/* --- API ------------------------------------------------------------------------ */

static void api(xce_dev *dev)
{
    struct ipsec_sa *sa;
    struct ipsec_sa_params p = params(&xforms[7], IPSEC_MODE_TUNNEL, IPSEC_DIR_OUTBOUND, 0x1234);
    int ok = 1;
    p.cipher_key_len = 24;
    ok &= ipsec_sa_create(dev, &p, &sa) == XCE_ERR_INVAL;
    p = params(&xforms[7], IPSEC_MODE_TUNNEL, IPSEC_DIR_OUTBOUND, 200);
    ok &= ipsec_sa_create(dev, &p, &sa) == XCE_ERR_INVAL;   /* reserved SPI */
    p = params(&xforms[18], IPSEC_MODE_TUNNEL, IPSEC_DIR_OUTBOUND, 0x1234);
    p.cipher = IPSEC_CIPHER_AES128, p.cipher_key = ckey, p.cipher_key_len = 16;
    ok &= ipsec_sa_create(dev, &p, &sa) == XCE_ERR_INVAL;   /* AH with a cipher */
    p = params(&xforms[15], IPSEC_MODE_TUNNEL, IPSEC_DIR_OUTBOUND, 0x1234);
    p.auth = IPSEC_AUTH_NONE, p.auth_key = NULL, p.auth_key_len = 0;
    ok &= ipsec_sa_create(dev, &p, &sa) == XCE_ERR_INVAL;   /* esp-null without auth */
    p = params(&xforms[7], IPSEC_MODE_TUNNEL, IPSEC_DIR_INBOUND, 0x1234);
    p.replay_window = 2048;
    ok &= ipsec_sa_create(dev, &p, &sa) == XCE_ERR_INVAL;
    CHECK(ok, "parameters refused: key length, reserved SPI, AH with a cipher, esp-null without auth, window > 1024");

    p.replay_window = 1024;
    if (CHECK(ipsec_sa_create(dev, &p, &sa) == XCE_OK, "inbound SA, window 1024")) {
        static uint8_t pkt[MAXPKT], out[MAXPKT];
        size_t len = make_ip(pkt, 50, 17, 0), ol;
        enum ipsec_drop why;
        CHECK(ipsec_output(sa, pkt, len, out, sizeof out, &ol) == IPSEC_DROP_INVAL,
              "ipsec_output on an inbound SA refused");
        (void)why;
        struct ipsec_sa *o;
        struct ipsec_sa_params q = params(&xforms[7], IPSEC_MODE_TUNNEL, IPSEC_DIR_OUTBOUND, 0x1234);
        if (ipsec_sa_create(dev, &q, &o) == XCE_OK) {
            static uint8_t w[1100][200];
            size_t wl[1100];
            for (int k = 0; k < 1100; k++)
                if (ipsec_output(o, pkt, len, w[k], sizeof w[k], &wl[k]) != IPSEC_OK)
                    ok = 0;
            size_t bl;
            int r1 = ipsec_input(sa, w[1099], wl[1099], out, sizeof out, &bl, NULL);        /* 1100 */
            int r2 = ipsec_input(sa, w[76], wl[76], out, sizeof out, &bl, NULL);            /* 77: inside */
            int r3 = ipsec_input(sa, w[75], wl[75], out, sizeof out, &bl, NULL);            /* 76: 1024 behind */
            CHECK(r1 == IPSEC_OK && r2 == IPSEC_OK && r3 == IPSEC_DROP_REPLAY,
                  "window 1024: 1023 behind accepted, 1024 behind refused");
            ipsec_sa_destroy(o);
        }
        ipsec_sa_destroy(sa);
    }

    /* peek: ESP, AH, UDP 4500, IKE on 4500, keepalive, other */
    static uint8_t b[256];
    size_t l = make_ip(b, 40, 50, 0);
    b[20] = 0x12, b[21] = 0x34, b[22] = 0x56, b[23] = 0x78;
    enum ipsec_proto pr;
    uint32_t spi;
    int udp;
    ok = ipsec_peek_spi(b, l, 0, &pr, &spi, &udp) == IPSEC_OK && pr == IPSEC_PROTO_ESP && spi == 0x12345678 && !udp;
    l = make_ip(b, 40, 51, 0);
    b[24] = 0xab, b[25] = 0, b[26] = 0, b[27] = 0x01;
    ok &= ipsec_peek_spi(b, l, 0, &pr, &spi, &udp) == IPSEC_OK && pr == IPSEC_PROTO_AH && spi == 0xab000001;
    l = make_ip(b, 40, 17, 0);
    put16(b + 20, 4500), put16(b + 22, 4500), put16(b + 24, 40), put16(b + 26, 0);
    b[28] = 0, b[29] = 0, b[30] = 0x10, b[31] = 0x01;
    ok &= ipsec_peek_spi(b, l, 0, &pr, &spi, &udp) == IPSEC_OK && pr == IPSEC_PROTO_ESP && spi == 0x1001 && udp;
    b[30] = b[31] = 0;
    ok &= ipsec_peek_spi(b, l, 0, &pr, &spi, &udp) == IPSEC_DROP_PROTO;   /* IKE: non-ESP marker */
    l = make_ip(b, 9, 17, 0);
    put16(b + 20, 4500), put16(b + 22, 4500), put16(b + 24, 9), put16(b + 26, 0);
    b[28] = 0xff;
    ok &= ipsec_peek_spi(b, l, 0, &pr, &spi, &udp) == IPSEC_DROP_PROTO;   /* keepalive */
    l = make_ip(b, 40, 6, 0);
    ok &= ipsec_peek_spi(b, l, 0, &pr, &spi, &udp) == IPSEC_DROP_PROTO;
    l = make_ip(b, 40, 50, 0);
    unsigned tb = 0;
    for (size_t k = 0; k < 24; k++)
        tb += ipsec_peek_spi(b, k, 0, &pr, &spi, &udp) != IPSEC_DROP_MALFORMED;
    CHECK(ok && tb == 0, "ipsec_peek_spi: ESP, AH, ESP in UDP; IKE, keepalive, TCP refused; truncations malformed");

    ok = !strcmp(ipsec_cipher_name(IPSEC_CIPHER_AES256, 1), "esp-aes 256") &&
         !strcmp(ipsec_cipher_name(IPSEC_CIPHER_AES256, 0), "esp-256-aes") &&
         !strcmp(ipsec_auth_name(IPSEC_PROTO_AH, IPSEC_AUTH_SHA1_96), "ah-sha-hmac") &&
         !strcmp(ipsec_drop_name(IPSEC_DROP_REPLAY), "replay");
    CHECK(ok, "names in IOS spelling");
}

/* --- on the engine ------------------------------------------------------------- */

static void engine(void)
{
    xce_dev *dev = check_open("sim", XCE_POLICY_HARDWARE);
    if (!CHECK(dev != NULL, "sim: attach, hardware policy"))
        return;
    unsigned bad = 0;
    for (size_t i = 0; i < NX; i++)
        bad += round_trips(dev, "engine", &xforms[i], i % 2 ? IPSEC_MODE_TRANSPORT : IPSEC_MODE_TUNNEL, 0, 2);
    bad += round_trips(dev, "engine", &xforms[7], IPSEC_MODE_TUNNEL, 1, 2);
    CHECK(bad == 0, "engine: every transform (tunnel or transport) and ESP in UDP: wire format checked, recovered");
    bundle(dev, "engine", IPSEC_MODE_TUNNEL);
    bursts(dev, "engine", &xforms[14], IPSEC_MODE_TUNNEL, 20);
    bursts(dev, "engine", &xforms[19], IPSEC_MODE_TRANSPORT, 8);
    /* a flipped ICV on the engine: the engine's compare */
    struct ipsec_sa *o, *in;
    if (make_pair(dev, &xforms[4], IPSEC_MODE_TUNNEL, 0, 0x3333, &o, &in)) {
        static uint8_t pkt[MAXPKT], w[MAXPKT], out[MAXPKT];
        size_t len = make_ip(pkt, 300, 17, 0), wl, bl;
        if (ipsec_output(o, pkt, len, w, sizeof w, &wl) == IPSEC_OK) {
            w[wl - 5] ^= 4;
            memset(out, 0xa5, sizeof out);
            enum ipsec_drop r = ipsec_input(in, w, wl, out, sizeof out, &bl, NULL);
            int untouched = 1;
            for (size_t i = 0; i < sizeof out; i++)
                untouched &= out[i] == 0xa5;
            CHECK(r == IPSEC_DROP_AUTH && untouched, "engine: flipped ICV bit: %s, nothing written",
                  ipsec_drop_name(r));
        }
        ipsec_sa_destroy(o), ipsec_sa_destroy(in);
    }
    struct xce_stats st;
    if (xce_get_stats(dev, &st) == XCE_OK)
        CHECK(st.sw_requests == 0 && st.hw_requests > 0 && st.engine_errors == 0,
              "engine: %llu requests all on the engine, none in software, no errors",
              (unsigned long long)st.hw_requests);
    xce_close(dev);
}

int main(void)
{
    check_seed();
    check_firmware_env();
    check_random(ckey, sizeof ckey);
    check_random(akey, sizeof akey);
    xce_dev *dev = check_open("sw", XCE_POLICY_AUTO);
    if (CHECK(dev != NULL, "sw: open")) {
        all_transforms(dev, "sw", 12);
        bundle(dev, "sw", IPSEC_MODE_TUNNEL);
        bundle(dev, "sw", IPSEC_MODE_TRANSPORT);
        drops(dev, "sw");
        lifetimes(dev, "sw");
        for (size_t i = 0; i < NX; i += 3)
            bursts(dev, "sw", &xforms[i], i % 2 ? IPSEC_MODE_TRANSPORT : IPSEC_MODE_TUNNEL, 70);
        api(dev);
        xce_close(dev);
    }
    engine();
    return check_done();
}
