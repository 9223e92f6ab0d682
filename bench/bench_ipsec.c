/* bench_ipsec.c - the IPsec datapath (sw/ipsec) for xce-bench, per
 * transform T and inner packet size S (64, 512, 1400: the inner IPv4/UDP
 * packet's total length), tunnel mode:
 *   ipsec.T.S.sw.pps             packets through the tunnel per second on the
 *                                software device, protect + unprotect each
 *                                (bursts of IPSEC_BURST_MAX)
 *   ipsec.T.S.sw.mbps            the same in Mbit/s of inner packet bytes
 *   ipsec.T.S.sw.ratio           that against raw OpenSSL doing the same
 *                                cipher and MAC work per packet (ref_out and
 *                                ref_in below), same run, interleaved rounds
 *   ipsec.T.S.cycles_per_pkt     engine clock cycles per packet, protect +
 *                                unprotect, a burst in flight on one core of
 *                                the simulated engine (the note splits it)
 * T: esp-aes128-sha1, esp-aes256-sha256, esp-3des-sha1, esp-des-md5,
 * esp-null-sha1, ah-sha1. Only round trips that give back the packet that
 * went in are timed; anything else stops the bench. The reference is
 * checked too: it verifies and decrypts the library's own packets. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

#include "bench.h"
#include "ipsec.h"
#include "pktread.h"

#define NSIZES 3
#define MAXPKT 1400
#define WIRE 1600                  /* room for the largest protected packet */
#define OUTER 20                   /* tunnel mode: the outer IPv4 header */
#define AH_FIXED 12                /* AH: next header, length, reserved, SPI, sequence number */
#define TUNNEL_A 0xc0000201u       /* 192.0.2.1 -> 192.0.2.2 (TEST-NET-1) */
#define TUNNEL_B 0xc0000202u

static const size_t sizes[NSIZES] = { 64, 512, MAXPKT };

struct transform {
    const char *slug;              /* in the measure names */
    const char *ios;               /* the transform set, as configured */
    enum ipsec_proto proto;
    enum ipsec_cipher cipher;
    enum ipsec_auth auth;
    const char *evp_cipher;        /* CBC; NULL: esp-null, AH */
    const char *digest;            /* of the HMAC */
    size_t ckey, akey;
    size_t iv;                     /* IV and cipher block (0: none) */
    size_t icv;
};

static const struct transform transforms[] = {
    { "esp-aes128-sha1", "esp-aes esp-sha-hmac", IPSEC_PROTO_ESP, IPSEC_CIPHER_AES128, IPSEC_AUTH_SHA1_96,
      "AES-128-CBC", "SHA1", 16, 20, 16, 12 },
    { "esp-aes256-sha256", "esp-aes 256 esp-sha256-hmac", IPSEC_PROTO_ESP, IPSEC_CIPHER_AES256,
      IPSEC_AUTH_SHA256_128, "AES-256-CBC", "SHA256", 32, 32, 16, 16 },
    { "esp-3des-sha1", "esp-3des esp-sha-hmac", IPSEC_PROTO_ESP, IPSEC_CIPHER_3DES, IPSEC_AUTH_SHA1_96,
      "DES-EDE3-CBC", "SHA1", 24, 20, 8, 12 },
    { "esp-des-md5", "esp-des esp-md5-hmac", IPSEC_PROTO_ESP, IPSEC_CIPHER_DES, IPSEC_AUTH_MD5_96, "DES-CBC",
      "MD5", 8, 16, 8, 12 },
    { "esp-null-sha1", "esp-null esp-sha-hmac", IPSEC_PROTO_ESP, IPSEC_CIPHER_NULL, IPSEC_AUTH_SHA1_96, NULL,
      "SHA1", 0, 20, 0, 12 },
    { "ah-sha1", "ah-sha-hmac", IPSEC_PROTO_AH, IPSEC_CIPHER_NULL, IPSEC_AUTH_SHA1_96, NULL, "SHA1", 0, 20, 0,
      12 },
};
#define NTRANSFORMS (sizeof transforms / sizeof transforms[0])

/* One burst of packets of one size, what came out of each step, and what
 * came back. */
struct pktset {
    size_t len;
    uint8_t orig[IPSEC_BURST_MAX][MAXPKT];
    uint8_t wire[IPSEC_BURST_MAX][WIRE];
    size_t wire_len[IPSEC_BURST_MAX];
    uint8_t back[IPSEC_BURST_MAX][WIRE];
    size_t back_len[IPSEC_BURST_MAX];
    struct ipsec_pkt pkt[IPSEC_BURST_MAX];
};

struct tunnel {
    struct ipsec_sa *out, *in;     /* the two ends' SAs: same SPI and keys */
};

/* The raw OpenSSL reference of one transform: contexts keyed once. */
struct ref {
    const struct transform *t;
    EVP_CIPHER_CTX *enc, *dec;     /* NULL without a cipher */
    EVP_MAC_CTX *mac;              /* re-initialised per packet, keeping its key */
    uint32_t spi, seq;
};

static void broken(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "xce-bench: ipsec: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "; no IPsec figures from a broken datapath\n");
    va_end(ap);
    exit(1);
}

/* --- packets ------------------------------------------------------------ */

static uint32_t sum16(uint32_t acc, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i += 2)
        acc += (uint32_t)p[i] << 8 | (i + 1 < n ? p[i + 1] : 0);
    return acc;
}

static uint16_t fold(uint32_t acc)
{
    while (acc >> 16)
        acc = (acc & 0xffff) + (acc >> 16);
    return (uint16_t)~acc;
}

/* A valid IPv4/UDP packet of len bytes, 192.0.2.10:5000 -> 192.0.2.20:5001,
 * random payload, both checksums set. */
static void make_udp(uint8_t *p, size_t len, uint16_t id)
{
    memset(p, 0, 28);
    p[0] = 0x45;
    pkt_put16(p + 2, (uint16_t)len);
    pkt_put16(p + 4, id);
    p[6] = 0x40;   /* DF */
    p[8] = 64;
    p[9] = 17;
    pkt_put32(p + 12, 0xc000020au);
    pkt_put32(p + 16, 0xc0000214u);
    pkt_put16(p + 10, fold(sum16(0, p, 20)));
    pkt_put16(p + 20, 5000);
    pkt_put16(p + 22, 5001);
    pkt_put16(p + 24, (uint16_t)(len - 20));
    if (RAND_bytes(p + 28, (int)(len - 28)) != 1)
        broken("RAND_bytes failed");
    /* pseudo-header: addresses, protocol, UDP length */
    uint16_t c = fold(sum16(sum16(17 + (uint32_t)(len - 20), p + 12, 8), p + 20, len - 20));
    pkt_put16(p + 26, c ? c : 0xffff);
}

static void make_set(struct pktset *s, size_t len)
{
    s->len = len;
    for (unsigned i = 0; i < IPSEC_BURST_MAX; i++)
        make_udp(s->orig[i], len, (uint16_t)i);
}

/* Every one of the first n packets came back as it went in. */
static void check_back(const struct pktset *s, unsigned n, const char *who, const struct transform *t)
{
    for (unsigned i = 0; i < n; i++)
        if (s->back_len[i] != s->len || memcmp(s->back[i], s->orig[i], s->len) != 0)
            broken("%s, %s, %zu bytes: packet %u came back different (%zu bytes)", who, t->ios, s->len, i,
                   s->back_len[i]);
}

/* --- the library ---------------------------------------------------------- */

static int tunnel_open(xce_dev *dev, const struct transform *t, const uint8_t *ckey, const uint8_t *akey,
                       uint32_t spi, struct tunnel *tn)
{
    struct ipsec_sa_params p = {
        .proto = t->proto, .mode = IPSEC_MODE_TUNNEL, .dir = IPSEC_DIR_OUTBOUND, .spi = spi,
        .cipher = t->cipher, .cipher_key = t->ckey ? ckey : NULL, .cipher_key_len = t->ckey,
        .auth = t->auth, .auth_key = akey, .auth_key_len = t->akey, .local = TUNNEL_A, .remote = TUNNEL_B,
    };
    tn->out = tn->in = NULL;
    int r = ipsec_sa_create(dev, &p, &tn->out);
    p.dir = IPSEC_DIR_INBOUND;
    p.local = TUNNEL_B;
    p.remote = TUNNEL_A;
    if (r == XCE_OK)
        r = ipsec_sa_create(dev, &p, &tn->in);
    if (r != XCE_OK) {
        ipsec_sa_destroy(tn->out);
        tn->out = NULL;
    }
    return r;
}

static void tunnel_close(struct tunnel *tn)
{
    ipsec_sa_destroy(tn->out);
    ipsec_sa_destroy(tn->in);
}

/* One direction over the first n packets: protect orig into wire, or
 * unprotect wire into back. */
static void ours(struct tunnel *tn, struct pktset *s, unsigned n, const struct transform *t, int protect)
{
    struct ipsec_pkt *p = s->pkt;
    for (unsigned i = 0; i < n; i++)
        p[i] = protect ? (struct ipsec_pkt){ s->orig[i], s->len, s->wire[i], WIRE, 0, IPSEC_OK }
                       : (struct ipsec_pkt){ s->wire[i], s->wire_len[i], s->back[i], WIRE, 0, IPSEC_OK };
    unsigned passed = protect ? ipsec_output_burst(tn->out, p, n) : ipsec_input_burst(tn->in, p, n);
    for (unsigned i = 0; i < n; i++) {
        if (passed != n && p[i].result != IPSEC_OK)
            broken("%s, %zu bytes: %s packet %u: %s", t->ios, s->len, protect ? "protecting" : "unprotecting", i,
                   ipsec_drop_name(p[i].result));
        (protect ? s->wire_len : s->back_len)[i] = p[i].out_len;
    }
}

/* --- the raw OpenSSL reference -------------------------------------------- */

static int ref_open(struct ref *r, const struct transform *t, const uint8_t *ckey, const uint8_t *akey,
                    uint32_t spi)
{
    memset(r, 0, sizeof *r);
    r->t = t;
    r->spi = spi;
    EVP_MAC *m = EVP_MAC_fetch(NULL, "HMAC", NULL);
    OSSL_PARAM params[] = { OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)t->digest, 0),
                            OSSL_PARAM_construct_end() };
    r->mac = m ? EVP_MAC_CTX_new(m) : NULL;
    EVP_MAC_free(m);   /* the context keeps its own reference */
    int ok = r->mac && EVP_MAC_init(r->mac, akey, t->akey, params) == 1;
    if (ok && t->evp_cipher) {
        EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, t->evp_cipher, NULL);
        r->enc = EVP_CIPHER_CTX_new();
        r->dec = EVP_CIPHER_CTX_new();
        ok = c && r->enc && r->dec && EVP_CipherInit_ex2(r->enc, c, ckey, NULL, 1, NULL) == 1 &&
             EVP_CipherInit_ex2(r->dec, c, ckey, NULL, 0, NULL) == 1 && EVP_CIPHER_CTX_set_padding(r->enc, 0) == 1 &&
             EVP_CIPHER_CTX_set_padding(r->dec, 0) == 1;
        EVP_CIPHER_free(c);
    }
    return ok;
}

static void ref_close(struct ref *r)
{
    EVP_CIPHER_CTX_free(r->enc);
    EVP_CIPHER_CTX_free(r->dec);
    EVP_MAC_CTX_free(r->mac);
}

/* A fast caller's per-packet HMAC: the keyed context re-initialised
 * (EVP_MAC_init with no key restarts from the stored key: no allocation,
 * about half the cost of EVP_MAC_CTX_dup per packet). */
static int mac_start(struct ref *r)
{
    return EVP_MAC_init(r->mac, NULL, 0, NULL) == 1;
}

static int mac_icv(struct ref *r, uint8_t *icv)
{
    uint8_t md[EVP_MAX_MD_SIZE];
    size_t mdl = 0;
    if (EVP_MAC_final(r->mac, md, &mdl, sizeof md) != 1 || mdl < r->t->icv)
        return 0;
    memcpy(icv, md, r->t->icv);
    return 1;
}

/* CBC over len bytes with a fresh IV, as an ESP implementation on EVP does it */
static int cbc(EVP_CIPHER_CTX *c, const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len)
{
    int outl = 0;
    return EVP_CipherInit_ex2(c, NULL, NULL, iv, -1, NULL) == 1 && EVP_CipherUpdate(c, out, &outl, in, (int)len) == 1 &&
           (size_t)outl == len;
}

/* Protect: the packet laid out as on the wire (for ESP the outer header is
 * left unwritten), the same bytes encrypted and MACed as the library's.
 * Returns the wire length, 0 on failure. */
static size_t ref_out(struct ref *r, const uint8_t *in, size_t len, uint8_t *w)
{
    const struct transform *t = r->t;
    uint32_t seq = ++r->seq;
    if (t->proto == IPSEC_PROTO_AH) {
        size_t ah = AH_FIXED + t->icv, tot = OUTER + ah + len;
        memset(w, 0, OUTER + ah);   /* mutable fields and ICV zero while MACed */
        w[0] = 0x45;
        pkt_put16(w + 2, (uint16_t)tot);
        w[9] = IPSEC_PROTO_AH;
        pkt_put32(w + 12, TUNNEL_A);
        pkt_put32(w + 16, TUNNEL_B);
        w[OUTER] = 4;
        w[OUTER + 1] = (uint8_t)(ah / 4 - 2);
        pkt_put32(w + OUTER + 4, r->spi);
        pkt_put32(w + OUTER + 8, seq);
        memcpy(w + OUTER + ah, in, len);
        if (!mac_start(r) || EVP_MAC_update(r->mac, w, tot) != 1 || !mac_icv(r, w + OUTER + AH_FIXED))
            return 0;
        return tot;
    }
    size_t align = t->iv > 4 ? t->iv : 4;
    size_t pad = (align - (len + 2) % align) % align, body = len + pad + 2;
    uint8_t *esp = w + OUTER, *iv = esp + 8, *pt = iv + t->iv;
    pkt_put32(esp, r->spi);
    pkt_put32(esp + 4, seq);
    if (t->iv && RAND_bytes(iv, (int)t->iv) != 1)
        return 0;
    memcpy(pt, in, len);
    for (size_t i = 0; i < pad; i++)
        pt[len + i] = (uint8_t)(i + 1);
    pt[body - 2] = (uint8_t)pad;
    pt[body - 1] = 4;   /* IPIP */
    if (r->enc && !cbc(r->enc, iv, pt, pt, body))
        return 0;
    if (!mac_start(r) || EVP_MAC_update(r->mac, esp, 8 + t->iv + body) != 1 || !mac_icv(r, pt + body))
        return 0;
    return OUTER + 8 + t->iv + body + t->icv;
}

/* Unprotect a tunnel-mode packet with a 20-byte outer header (the
 * reference's or the library's): ICV checked (CRYPTO_memcmp), then
 * decrypted into out. Returns the inner packet's length, 0 on failure. */
static size_t ref_in(struct ref *r, const uint8_t *w, size_t wlen, uint8_t *out)
{
    const struct transform *t = r->t;
    uint8_t icv[32];
    if (t->proto == IPSEC_PROTO_AH) {
        static const uint8_t zero[32];
        size_t ah = AH_FIXED + t->icv;
        if (wlen < OUTER + ah)
            return 0;
        uint8_t hdr[OUTER];
        memcpy(hdr, w, OUTER);
        hdr[1] = hdr[6] = hdr[7] = hdr[8] = hdr[10] = hdr[11] = 0;   /* TOS, flags/offset, TTL, checksum */
        if (!mac_start(r) || EVP_MAC_update(r->mac, hdr, OUTER) != 1 ||
            EVP_MAC_update(r->mac, w + OUTER, AH_FIXED) != 1 || EVP_MAC_update(r->mac, zero, t->icv) != 1 ||
            EVP_MAC_update(r->mac, w + OUTER + ah, wlen - OUTER - ah) != 1 || !mac_icv(r, icv) ||
            CRYPTO_memcmp(icv, w + OUTER + AH_FIXED, t->icv) != 0)
            return 0;
        memcpy(out, w + OUTER + ah, wlen - OUTER - ah);
        return wlen - OUTER - ah;
    }
    if (wlen < OUTER + 8 + t->iv + 2 + t->icv)
        return 0;
    const uint8_t *esp = w + OUTER, *iv = esp + 8, *ct = iv + t->iv;
    size_t body = wlen - OUTER - 8 - t->iv - t->icv;
    if (!mac_start(r) || EVP_MAC_update(r->mac, esp, 8 + t->iv + body) != 1 || !mac_icv(r, icv) ||
        CRYPTO_memcmp(icv, ct + body, t->icv) != 0)
        return 0;
    if (!r->dec)
        memcpy(out, ct, body);   /* esp-null */
    else if (!cbc(r->dec, iv, ct, out, body))
        return 0;
    size_t pad = out[body - 2];
    return pad + 2 <= body ? body - 2 - pad : 0;
}

static void ref_round_trip(struct ref *r, struct pktset *s, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (!(s->wire_len[i] = ref_out(r, s->orig[i], s->len, s->wire[i])))
            broken("OpenSSL reference, %s, %zu bytes: protecting packet %u failed", r->t->ios, s->len, i);
    for (unsigned i = 0; i < n; i++)
        if (!(s->back_len[i] = ref_in(r, s->wire[i], s->wire_len[i], s->back[i])))
            broken("OpenSSL reference, %s, %zu bytes: packet %u failed its ICV or padding", r->t->ios, s->len, i);
}

/* --- the figures -------------------------------------------------------- */

/* Software device against the reference, one transform and size: best of
 * rounds, ours and OpenSSL alternating. */
static void sw_figures(struct tunnel *tn, struct ref *r, struct pktset *s, int quick)
{
    const struct transform *t = r->t;
    const unsigned n = IPSEC_BURST_MAX;
    /* first round trips, checked: ours, the reference on our packets, the reference alone */
    ours(tn, s, n, t, 1);
    for (unsigned i = 0; i < n; i++)
        s->back_len[i] = ref_in(r, s->wire[i], s->wire_len[i], s->back[i]);
    check_back(s, n, "OpenSSL reference reading libxce's packets", t);
    ours(tn, s, n, t, 0);
    check_back(s, n, "libxce", t);
    ref_round_trip(r, s, n);
    check_back(s, n, "OpenSSL reference", t);

    /* bursts per round: about 25 ms (quick) or 60 ms of ours */
    double t0 = bench_now();
    ours(tn, s, n, t, 1);
    ours(tn, s, n, t, 0);
    double one = bench_now() - t0;
    unsigned per = (unsigned)((quick ? 0.025 : 0.06) / (one > 1e-7 ? one : 1e-7)) + 1;
    int rounds = quick ? 5 : 15;
    double best_ours = 1e30, best_ref = 1e30;
    for (int round = 0; round < rounds; round++) {
        t0 = bench_now();
        for (unsigned k = 0; k < per; k++) {
            ours(tn, s, n, t, 1);
            ours(tn, s, n, t, 0);
        }
        double d = bench_now() - t0;
        best_ours = d < best_ours ? d : best_ours;
        check_back(s, n, "libxce", t);
        t0 = bench_now();
        for (unsigned k = 0; k < per; k++)
            ref_round_trip(r, s, n);
        d = bench_now() - t0;
        best_ref = d < best_ref ? d : best_ref;
        check_back(s, n, "OpenSSL reference", t);
    }
    double pps = per * n / best_ours, ref_pps = per * n / best_ref;
    char m[64], note[160];
    snprintf(m, sizeof m, "ipsec.%s.%zu.sw.pps", t->slug, s->len);
    snprintf(note, sizeof note, "%s, tunnel, software device: protect + unprotect, bursts of %u, best of %d",
             t->ios, n, rounds);
    bench_add(m, pps, "pkts/s", 0, 0, note);
    snprintf(m, sizeof m, "ipsec.%s.%zu.sw.mbps", t->slug, s->len);
    snprintf(note, sizeof note, "inner packet bytes through the tunnel (one direction)");
    bench_add(m, pps * (double)s->len * 8 / 1e6, "Mbit/s", 0, 0, note);
    snprintf(m, sizeof m, "ipsec.%s.%zu.sw.ratio", t->slug, s->len);
    snprintf(note, sizeof note, "libxce %.0f pkts/s vs raw OpenSSL EVP %.0f pkts/s doing the same cipher + HMAC work",
             pps, ref_pps);
    bench_add(m, pps / ref_pps, "ratio", 1, 1.0, note);
}

static uint64_t cycles_now(xce_dev *dev)
{
    struct xce_stats st;
    return xce_get_stats(dev, &st) == XCE_OK ? st.cycles : 0;
}

/* Engine cycles per packet: n packets protected as one burst, then
 * unprotected as one; each SA's requests go to one core. */
static void engine_figure(xce_dev *dev, struct tunnel *tn, const struct transform *t, struct pktset *s, unsigned n)
{
    ours(tn, s, 1, t, 1);   /* the keys into the engine */
    ours(tn, s, 1, t, 0);
    uint64_t c0 = cycles_now(dev);
    ours(tn, s, n, t, 1);
    uint64_t c1 = cycles_now(dev);
    ours(tn, s, n, t, 0);
    uint64_t c2 = cycles_now(dev);
    check_back(s, n, "engine", t);
    if (c2 <= c0)
        return;   /* no cycle counter */
    double out = (double)(c1 - c0) / n, in = (double)(c2 - c1) / n;
    char m[64], note[160];
    snprintf(m, sizeof m, "ipsec.%s.%zu.cycles_per_pkt", t->slug, s->len);
    snprintf(note, sizeof note, "%s: protect %.0f + unprotect %.0f cycles per packet, bursts of %u on one core",
             t->ios, out, in, n);
    bench_add(m, out + in, "cycles", 0, 0, note);
}

void bench_ipsec(xce_dev *sim_dev, int quick)
{
    static struct pktset s;
    xce_dev *sw;
    struct xce_open_opts o = { .policy = XCE_POLICY_SOFTWARE };
    int r = xce_open("sw", &o, &sw);
    if (r != XCE_OK)
        broken("open sw: %s", xce_strerror(r));
    /* DES and 3DES live in the legacy provider; loading it explicitly
     * needs the default one named too */
    OSSL_PROVIDER *legacy = OSSL_PROVIDER_load(NULL, "legacy"), *deflt = OSSL_PROVIDER_load(NULL, "default");
    /* the model runs at ~250k cycles/s: smaller engine bursts with --quick */
    unsigned engine_burst = quick ? 8 : IPSEC_BURST_MAX;
    for (size_t k = 0; k < NTRANSFORMS; k++) {
        const struct transform *t = &transforms[k];
        uint8_t ckey[32], akey[32], spi_bytes[4];
        if (RAND_bytes(ckey, sizeof ckey) != 1 || RAND_bytes(akey, sizeof akey) != 1 ||
            RAND_bytes(spi_bytes, sizeof spi_bytes) != 1)
            broken("RAND_bytes failed");
        uint32_t spi = (uint32_t)pkt_get16(spi_bytes) << 16 | pkt_get16(spi_bytes + 2) | 0x1000;
        struct tunnel swt, hwt = { NULL, NULL };
        struct ref ref;
        if ((r = tunnel_open(sw, t, ckey, akey, spi, &swt)) != XCE_OK)
            broken("%s: SAs on the software device: %s", t->ios, xce_strerror(r));
        if (!ref_open(&ref, t, ckey, akey, spi))
            broken("%s: OpenSSL reference contexts (%s, HMAC-%s)", t->ios, t->evp_cipher ? t->evp_cipher : "-",
                   t->digest);
        if (sim_dev && (r = tunnel_open(sim_dev, t, ckey, akey, spi, &hwt)) != XCE_OK)
            fprintf(stderr, "xce-bench: %s: SAs on the engine: %s; its cycle figures skipped\n", t->ios,
                    xce_strerror(r));
        OPENSSL_cleanse(ckey, sizeof ckey);
        OPENSSL_cleanse(akey, sizeof akey);
        for (int i = 0; i < NSIZES; i++) {
            make_set(&s, sizes[i]);
            sw_figures(&swt, &ref, &s, quick);
            if (hwt.out)
                engine_figure(sim_dev, &hwt, t, &s, engine_burst);
        }
        if (hwt.out)
            tunnel_close(&hwt);
        tunnel_close(&swt);
        ref_close(&ref);
    }
    if (legacy)
        OSSL_PROVIDER_unload(legacy);
    if (deflt)
        OSSL_PROVIDER_unload(deflt);
    xce_close(sw);
}
