/* test_isakmp.c - the ISAKMP/IKEv1 message codec (sw/ike): build -> parse
 * round trips of every payload type and attribute form, the writer's
 * errors, every malformed case the parser and the decoders refuse (with
 * the notify type and the reason they give), and messages made by scapy
 * (tests/ike/vectors/, written by tests/ike/make_vectors.py) decoded field
 * by field; every truncation of those is refused. Runs from the tree's
 * root. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "isakmp.h"

#define BUF 70000

static const uint8_t IC[8] = { 0x10, 0x17, 0x1e, 0x25, 0x2c, 0x33, 0x3a, 0x41 };   /* pat(8, 0x10) */
static const uint8_t RC[8] = { 0x90, 0x97, 0x9e, 0xa5, 0xac, 0xb3, 0xba, 0xc1 };   /* pat(8, 0x90) */

/* make_vectors.py's pat(n, seed): byte i is seed + 7 i */
static void pat(uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(seed + 7 * i);
}

static int is_pat(const uint8_t *p, size_t n, size_t want, uint8_t seed)
{
    if (n != want)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] != (uint8_t)(seed + 7 * i))
            return 0;
    return 1;
}

/* hex digits, spaces ignored */
static size_t hx(const char *s, uint8_t *out)
{
    size_t n = 0;
    for (; *s; s++) {
        if (*s == ' ')
            continue;
        unsigned v;
        if (!s[1] || sscanf(s, "%2x", &v) != 1)
            break;
        out[n++] = (uint8_t)v;
        s++;
    }
    return n;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static struct isakmp_hdr hdr(uint8_t exchange, uint8_t flags, uint32_t msgid)
{
    struct isakmp_hdr h = { .exchange = exchange, .flags = flags, .msgid = msgid };
    memcpy(h.icookie, IC, 8);
    memcpy(h.rcookie, RC, 8);
    return h;
}

/* a message: header (exchange 2, first payload np) + the body in hex */
static size_t mkmsg(uint8_t *out, uint8_t np, const char *body)
{
    size_t n = hx(body, out + ISAKMP_HDR_LEN) + ISAKMP_HDR_LEN;
    memcpy(out, IC, 8);
    memcpy(out + 8, RC, 8);
    const uint8_t rest[4] = { np, ISAKMP_VERSION, ISAKMP_XCHG_MAIN, 0 };
    memcpy(out + 16, rest, 4);
    memset(out + 20, 0, 4);
    for (int i = 0; i < 4; i++)
        out[24 + i] = (uint8_t)(n >> (24 - 8 * i));
    return n;
}

static struct isakmp_msg m;
static struct isakmp_sa sa;
static char why[256];
static uint8_t buf[BUF], buf2[BUF];

/* the payload of one type in a buffer of its body's bytes */
static struct isakmp_payload pl_of(uint8_t type, const uint8_t *body, size_t len)
{
    struct isakmp_payload p = { .type = type, .idx = 1, .raw = body - 4, .body = body, .len = len };
    return p;
}

static int why_has(const char *s)
{
    return strstr(why, s) != NULL;
}

/* ---- round trips ------------------------------------------------------------ */

static void test_phase1_sa(void)
{
    struct isakmp_w w;
    struct isakmp_hdr h = hdr(ISAKMP_XCHG_MAIN, 0, 0);
    memset(h.rcookie, 0, 8);
    uint8_t prime[128];
    pat(prime, sizeof prime, 0x55);
    size_t len;
    isakmp_w_init(&w, buf, sizeof buf, &h);
    isakmp_w_sa(&w, ISAKMP_DOI_IPSEC, ISAKMP_SIT_IDENTITY_ONLY);
    isakmp_w_proposal(&w, 1, ISAKMP_PROTO_ISAKMP, NULL, 0);
    isakmp_w_transform(&w, 1, ISAKMP_KEY_IKE);
    isakmp_w_attr(&w, ISAKMP_A_ENCRYPTION, ISAKMP_ENC_AES_CBC);
    isakmp_w_attr(&w, ISAKMP_A_KEY_LENGTH, 256);
    isakmp_w_attr(&w, ISAKMP_A_HASH, ISAKMP_HASH_SHA2_256);
    isakmp_w_attr(&w, ISAKMP_A_AUTH, ISAKMP_AUTH_PSK);
    isakmp_w_attr(&w, ISAKMP_A_GROUP_DESC, ISAKMP_GROUP_MODP2048);
    isakmp_w_attr(&w, ISAKMP_A_LIFE_TYPE, ISAKMP_LIFE_SECONDS);
    isakmp_w_attr(&w, ISAKMP_A_LIFE_DURATION, 86400);          /* > 0xffff: TLV, 4 bytes */
    isakmp_w_transform(&w, 2, ISAKMP_KEY_IKE);
    isakmp_w_attr(&w, ISAKMP_A_ENCRYPTION, ISAKMP_ENC_3DES_CBC);
    isakmp_w_attr(&w, ISAKMP_A_LIFE_TYPE, ISAKMP_LIFE_KILOBYTES);
    isakmp_w_attr(&w, ISAKMP_A_LIFE_DURATION, 0x123456789aull);   /* > 32 bits: TLV, 8 bytes */
    isakmp_w_attr(&w, ISAKMP_A_LIFE_DURATION, 0xffff);             /* the largest TV */
    isakmp_w_attr_tlv(&w, ISAKMP_A_GROUP_PRIME, prime, sizeof prime);
    isakmp_w_attr_tlv(&w, ISAKMP_A_GROUP_ORDER, NULL, 0);          /* an empty TLV */
    isakmp_w_proposal(&w, 2, ISAKMP_PROTO_ISAKMP, (const uint8_t *)"0123456789abcdef", 16);
    isakmp_w_transform(&w, 1, ISAKMP_KEY_IKE);
    isakmp_w_data(&w, ISAKMP_NP_VID, "\x09\x00\x26\x89\xdf\xd6\xb7\x12", 8);
    int err = isakmp_w_finish(&w, &len);
    CHECK(!err && len > ISAKMP_HDR_LEN && get32(buf + 24) == len, "phase 1 SA: built, %zu bytes, header length %lu",
          len, (unsigned long)get32(buf + 24));

    int rc = isakmp_parse(buf, len, &m, why, sizeof why);
    CHECK(!rc, "phase 1 SA: parses (%s)", rc ? why : "ok");
    CHECK(!memcmp(m.hdr.icookie, IC, 8) && !memcmp(m.hdr.rcookie, "\0\0\0\0\0\0\0\0", 8) &&
              m.hdr.np == ISAKMP_NP_SA && m.hdr.version == 0x10 && m.hdr.exchange == ISAKMP_XCHG_MAIN &&
              m.hdr.flags == 0 && m.hdr.msgid == 0 && m.hdr.length == len,
          "phase 1 SA: header fields");
    CHECK(m.chain.n == 2 && m.chain.pl[0].type == ISAKMP_NP_SA && m.chain.pl[1].type == ISAKMP_NP_VID &&
              m.chain.pl[0].idx == 1 && m.chain.pl[1].idx == 2 && m.chain.pl[0].raw == buf + ISAKMP_HDR_LEN &&
              m.chain.pl[0].body == m.chain.pl[0].raw + 4 &&
              m.chain.pl[1].raw == m.chain.pl[0].body + m.chain.pl[0].len,
          "phase 1 SA: SA, vendor id, in place, back to back");
    const struct isakmp_payload *vid = isakmp_find(&m.chain, ISAKMP_NP_VID, 0);
    CHECK(vid && !isakmp_check_data(vid, why, sizeof why) && !strcmp(isakmp_vid_name(vid->body, vid->len), "XAUTH") &&
              !isakmp_find(&m.chain, ISAKMP_NP_VID, 1) && !isakmp_find(&m.chain, ISAKMP_NP_KE, 0),
          "phase 1 SA: isakmp_find, the XAUTH vendor id");

    rc = isakmp_decode_sa(&m.chain.pl[0], &sa, why, sizeof why);
    CHECK(!rc, "phase 1 SA: decodes (%s)", rc ? why : "ok");
    CHECK(sa.doi == 1 && sa.situation == 1 && sa.nprops == 2 && sa.nxforms == 3 && sa.nattrs == 13,
          "phase 1 SA: 2 proposals, 3 transforms, 13 attributes");
    const struct isakmp_prop *p1 = &sa.prop[0], *p2 = &sa.prop[1];
    CHECK(p1->num == 1 && p1->proto == ISAKMP_PROTO_ISAKMP && p1->spi_size == 0 && p1->nxforms == 2 &&
              p1->first_xform == 0 && p2->num == 2 && p2->spi_size == 16 && !memcmp(p2->spi, "0123456789abcdef", 16) &&
              p2->nxforms == 1 && p2->first_xform == 2,
          "phase 1 SA: proposal fields (and a 16-byte ISAKMP SPI)");
    const struct isakmp_xform *x1 = &sa.xf[0], *x2 = &sa.xf[1];
    CHECK(x1->num == 1 && x1->id == ISAKMP_KEY_IKE && x1->nattrs == 7 && x2->num == 2 && x2->nattrs == 6 &&
              x2->first_attr == 7,
          "phase 1 SA: transform fields");
    static const struct { uint16_t type; uint8_t tv; uint16_t len; uint64_t v; } want[] = {
        { 1, 1, 2, 7 }, { 14, 1, 2, 256 }, { 2, 1, 2, 4 }, { 3, 1, 2, 1 }, { 4, 1, 2, 14 }, { 11, 1, 2, 1 },
        { 12, 0, 4, 86400 }, { 1, 1, 2, 5 }, { 11, 1, 2, 2 }, { 12, 0, 8, 0x123456789aull }, { 12, 1, 2, 0xffff },
    };
    int ok = 1;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        uint64_t v = 0;
        const struct isakmp_attr *a = &sa.attr[i];
        ok &= a->type == want[i].type && a->tv == want[i].tv && a->len == want[i].len && !isakmp_attr_uint(a, &v) &&
              v == want[i].v;
    }
    CHECK(ok, "phase 1 SA: attributes, TV and automatic TLV of 4 and 8 bytes, values");
    const struct isakmp_attr *a = &sa.attr[11], *e = &sa.attr[12];
    uint64_t v;
    CHECK(a->type == ISAKMP_A_GROUP_PRIME && !a->tv && is_pat(a->val, a->len, 128, 0x55) &&
              isakmp_attr_uint(a, &v) == ISAKMP_N_ATTRIBUTES_NOT_SUPPORTED && e->type == ISAKMP_A_GROUP_ORDER &&
              !e->tv && e->len == 0 && isakmp_attr_uint(e, &v) == ISAKMP_N_ATTRIBUTES_NOT_SUPPORTED,
          "phase 1 SA: a 128-byte TLV (no integer) and an empty one");
    const struct isakmp_attr *hash = isakmp_xform_attr(&sa, x1, ISAKMP_A_HASH);
    CHECK(hash && hash == &sa.attr[2] && isakmp_xform_attr(&sa, x2, ISAKMP_A_LIFE_DURATION) == &sa.attr[9] &&
              !isakmp_xform_attr(&sa, x2, ISAKMP_A_HASH),
          "phase 1 SA: isakmp_xform_attr finds the first of a class");

    /* a responder's answer: the chosen transform (2) as it came */
    struct isakmp_w r;
    isakmp_w_init(&r, buf2, sizeof buf2, &h);
    isakmp_w_sa(&r, sa.doi, sa.situation);
    isakmp_w_proposal(&r, p1->num, p1->proto, NULL, 0);
    isakmp_w_xform_copy(&r, &sa, x2);
    err = isakmp_w_finish(&r, &len);
    static struct isakmp_msg m2;
    static struct isakmp_sa sa2;
    rc = err ? -1 : isakmp_parse(buf2, len, &m2, why, sizeof why);
    rc = rc ? rc : isakmp_decode_sa(&m2.chain.pl[0], &sa2, why, sizeof why);
    ok = !rc && sa2.nprops == 1 && sa2.nxforms == 1 && sa2.xf[0].num == 2 && sa2.nattrs == 6;
    for (unsigned i = 0; ok && i < 6; i++)
        ok = sa2.attr[i].type == sa.attr[7 + i].type && sa2.attr[i].tv == sa.attr[7 + i].tv &&
             sa2.attr[i].len == sa.attr[7 + i].len && !memcmp(sa2.attr[i].val, sa.attr[7 + i].val, sa2.attr[i].len);
    CHECK(ok, "isakmp_w_xform_copy: the chosen transform echoed with its attributes as they came");
}

static void test_every_payload(void)
{
    static uint8_t ke[256], nonce[32], sig[128], cert[300], dn[40], natd[20], spis[8];
    pat(ke, sizeof ke, 1);
    pat(nonce, sizeof nonce, 2);
    pat(sig, sizeof sig, 3);
    pat(cert, sizeof cert, 4);
    pat(dn, sizeof dn, 5);
    pat(natd, sizeof natd, 6);
    pat(spis, sizeof spis, 7);
    uint8_t cookies[16], v6[16];
    memcpy(cookies, IC, 8);
    memcpy(cookies + 8, RC, 8);
    pat(v6, sizeof v6, 8);
    const uint8_t v4[4] = { 192, 168, 1, 10 }, subnet[8] = { 10, 1, 0, 0, 255, 255, 0, 0 };
    const uint8_t seq[4] = { 0, 0, 0, 42 };
    struct isakmp_w w;
    struct isakmp_hdr h = hdr(ISAKMP_XCHG_AGGRESSIVE, ISAKMP_FLAG_C, 0x01020304);
    isakmp_w_init(&w, buf, sizeof buf, &h);
    isakmp_w_data(&w, ISAKMP_NP_KE, ke, sizeof ke);
    isakmp_w_data(&w, ISAKMP_NP_NONCE, nonce, sizeof nonce);
    struct isakmp_id id1 = { .type = ISAKMP_ID_IPV4_ADDR, .proto = 17, .port = 500, .data = v4, .len = 4 };
    struct isakmp_id id2 = { .type = ISAKMP_ID_IPV4_ADDR_SUBNET, .data = subnet, .len = 8 };
    struct isakmp_id id3 = { .type = ISAKMP_ID_FQDN, .data = (const uint8_t *)"router.example.com", .len = 18 };
    struct isakmp_id id4 = { .type = ISAKMP_ID_DER_ASN1_DN, .data = dn, .len = sizeof dn };
    struct isakmp_id id5 = { .type = ISAKMP_ID_IPV6_ADDR, .data = v6, .len = 16 };
    isakmp_w_id(&w, &id1);
    isakmp_w_id(&w, &id2);
    isakmp_w_id(&w, &id3);
    isakmp_w_id(&w, &id4);
    isakmp_w_id(&w, &id5);
    struct isakmp_cert c1 = { .encoding = ISAKMP_CERT_X509_SIG, .data = cert, .len = sizeof cert };
    struct isakmp_cert c2 = { .encoding = ISAKMP_CERT_X509_SIG };
    isakmp_w_cert(&w, ISAKMP_NP_CERT, &c1);
    isakmp_w_cert(&w, ISAKMP_NP_CR, &c2);
    isakmp_w_begin(&w, ISAKMP_NP_HASH);
    uint8_t *hash = isakmp_w_reserve(&w, 20);
    isakmp_w_data(&w, ISAKMP_NP_SIG, sig, sizeof sig);
    struct isakmp_notify n1 = { .doi = ISAKMP_DOI_IPSEC, .proto = ISAKMP_PROTO_ISAKMP, .spi_size = 16,
                                .type = ISAKMP_N_R_U_THERE, .spi = cookies, .data = seq, .len = 4 };
    struct isakmp_notify n2 = { .doi = ISAKMP_DOI_IPSEC, .proto = ISAKMP_PROTO_IPSEC_ESP, .spi_size = 4,
                                .type = ISAKMP_N_RESPONDER_LIFETIME, .spi = spis };
    isakmp_w_notify(&w, &n1);
    isakmp_w_notify(&w, &n2);
    isakmp_w_attr(&w, ISAKMP_IA_SA_LIFE_TYPE, ISAKMP_LIFE_SECONDS);   /* RESPONDER-LIFETIME's data */
    isakmp_w_attr(&w, ISAKMP_IA_SA_LIFE_DURATION, 28800);
    struct isakmp_delete d = { .doi = ISAKMP_DOI_IPSEC, .proto = ISAKMP_PROTO_IPSEC_ESP, .spi_size = 4, .nspis = 2,
                               .spis = spis };
    isakmp_w_delete(&w, &d);
    isakmp_w_data(&w, ISAKMP_NP_NAT_D, natd, sizeof natd);
    isakmp_w_data(&w, ISAKMP_NP_NAT_D_DRAFT, natd, 16);
    struct isakmp_nat_oa oa1 = { .id_type = ISAKMP_ID_IPV4_ADDR, .addr = v4, .len = 4 };
    struct isakmp_nat_oa oa2 = { .id_type = ISAKMP_ID_IPV6_ADDR, .addr = v6, .len = 16 };
    isakmp_w_nat_oa(&w, ISAKMP_NP_NAT_OA, &oa1);
    isakmp_w_nat_oa(&w, ISAKMP_NP_NAT_OA_DRAFT, &oa2);
    isakmp_w_data(&w, 200, "private", 7);
    isakmp_w_begin(&w, ISAKMP_NP_ATTR);   /* an empty payload */
    size_t len;
    int err = isakmp_w_finish(&w, &len);
    CHECK(!err && hash, "every payload: built (%s), %zu bytes", isakmp_werr_name(err), len);
    if (err || !hash)
        return;
    pat(hash, 20, 9);   /* the HASH filled in after the message was built */

    int rc = isakmp_parse(buf, len, &m, why, sizeof why);
    CHECK(!rc && m.chain.n == 20, "every payload: parses, 20 payloads (%s)", rc ? why : "ok");
    if (rc || m.chain.n != 20)
        return;
    CHECK(m.hdr.exchange == ISAKMP_XCHG_AGGRESSIVE && m.hdr.flags == ISAKMP_FLAG_C && m.hdr.msgid == 0x01020304 &&
              !memcmp(m.hdr.rcookie, RC, 8),
          "every payload: header exchange, flags, message id, responder cookie");
    const struct isakmp_payload *p = m.chain.pl;
    int ok = 1;
    for (size_t i = 0; i < m.chain.n; i++)
        ok &= p[i].idx == i + 1 && p[i].body >= buf + ISAKMP_HDR_LEN && p[i].body + p[i].len <= buf + len;
    CHECK(ok, "every payload: numbered 1..20, inside the message");
    CHECK(!isakmp_check_data(&p[0], why, sizeof why) && is_pat(p[0].body, p[0].len, 256, 1) &&
              !isakmp_check_data(&p[1], why, sizeof why) && is_pat(p[1].body, p[1].len, 32, 2),
          "KE (256 bytes), NONCE (32)");

    struct isakmp_id id;
    rc = isakmp_decode_id(&p[2], &id, why, sizeof why);
    CHECK(!rc && id.type == ISAKMP_ID_IPV4_ADDR && id.proto == 17 && id.port == 500 && id.len == 4 &&
              id.v4[0] == 0xc0a8010a,
          "ID_IPV4_ADDR 192.168.1.10 udp/500");
    rc = isakmp_decode_id(&p[3], &id, why, sizeof why);
    CHECK(!rc && id.type == ISAKMP_ID_IPV4_ADDR_SUBNET && id.proto == 0 && id.port == 0 && id.v4[0] == 0x0a010000 &&
              id.v4[1] == 0xffff0000,
          "ID_IPV4_ADDR_SUBNET 10.1.0.0/255.255.0.0");
    rc = isakmp_decode_id(&p[4], &id, why, sizeof why);
    CHECK(!rc && id.type == ISAKMP_ID_FQDN && id.len == 18 && !memcmp(id.data, "router.example.com", 18),
          "ID_FQDN router.example.com");
    rc = isakmp_decode_id(&p[5], &id, why, sizeof why);
    CHECK(!rc && id.type == ISAKMP_ID_DER_ASN1_DN && is_pat(id.data, id.len, 40, 5), "ID_DER_ASN1_DN (40 bytes)");
    rc = isakmp_decode_id(&p[6], &id, why, sizeof why);
    CHECK(!rc && id.type == ISAKMP_ID_IPV6_ADDR && is_pat(id.data, id.len, 16, 8), "ID_IPV6_ADDR");

    struct isakmp_cert c;
    rc = isakmp_decode_cert(&p[7], &c, why, sizeof why);
    CHECK(!rc && p[7].type == ISAKMP_NP_CERT && c.encoding == ISAKMP_CERT_X509_SIG && is_pat(c.data, c.len, 300, 4),
          "CERT X.509 signature (300 bytes)");
    rc = isakmp_decode_cert(&p[8], &c, why, sizeof why);
    CHECK(!rc && p[8].type == ISAKMP_NP_CR && c.encoding == ISAKMP_CERT_X509_SIG && c.len == 0,
          "CERT_REQ X.509 signature, any authority (empty)");
    CHECK(p[9].type == ISAKMP_NP_HASH && !isakmp_check_data(&p[9], why, sizeof why) &&
              is_pat(p[9].body, p[9].len, 20, 9),
          "HASH: reserved, filled in after finish, parsed");
    CHECK(p[10].type == ISAKMP_NP_SIG && !isakmp_check_data(&p[10], why, sizeof why) &&
              is_pat(p[10].body, p[10].len, 128, 3),
          "SIG (128 bytes)");

    struct isakmp_notify n;
    uint32_t s = 0;
    rc = isakmp_decode_notify(&p[11], &n, why, sizeof why);
    CHECK(!rc && n.doi == 1 && n.proto == ISAKMP_PROTO_ISAKMP && n.spi_size == 16 && !memcmp(n.spi, cookies, 16) &&
              n.type == ISAKMP_N_R_U_THERE && n.len == 4 && !isakmp_notify_dpd(&n, &s, why, sizeof why) && s == 42,
          "NOTIFY R-U-THERE: the cookies as SPI, sequence 42");
    rc = isakmp_decode_notify(&p[12], &n, why, sizeof why);
    struct isakmp_attr la[4];
    size_t nla = 0;
    uint64_t life = 0;
    CHECK(!rc && n.type == ISAKMP_N_RESPONDER_LIFETIME && n.proto == ISAKMP_PROTO_IPSEC_ESP && n.spi_size == 4 &&
              !memcmp(n.spi, spis, 4) && !isakmp_attrs_decode(n.data, n.len, la, 4, &nla, why, sizeof why) &&
              nla == 2 && la[1].type == ISAKMP_IA_SA_LIFE_DURATION && !isakmp_attr_uint(&la[1], &life) && life == 28800,
          "NOTIFY RESPONDER-LIFETIME: ESP SPI, attributes in the data (28800 s)");
    CHECK(isakmp_notify_dpd(&n, &s, why, sizeof why) == ISAKMP_N_PAYLOAD_MALFORMED && why_has("not a DPD"),
          "isakmp_notify_dpd refuses another notification (%s)", why);

    struct isakmp_delete dd;
    rc = isakmp_decode_delete(&p[13], &dd, why, sizeof why);
    CHECK(!rc && dd.doi == 1 && dd.proto == ISAKMP_PROTO_IPSEC_ESP && dd.spi_size == 4 && dd.nspis == 2 &&
              !memcmp(dd.spis, spis, 8),
          "DELETE: two ESP SPIs");
    CHECK(p[14].type == ISAKMP_NP_NAT_D && !isakmp_check_data(&p[14], why, sizeof why) && p[14].len == 20 &&
              p[15].type == ISAKMP_NP_NAT_D_DRAFT && !isakmp_check_data(&p[15], why, sizeof why) && p[15].len == 16,
          "NAT-D (RFC 3947, 20 bytes) and the draft's (130)");
    struct isakmp_nat_oa oa;
    rc = isakmp_decode_nat_oa(&p[16], &oa, why, sizeof why);
    CHECK(!rc && oa.id_type == ISAKMP_ID_IPV4_ADDR && oa.len == 4 && oa.v4 == 0xc0a8010a, "NAT-OA 192.168.1.10");
    rc = isakmp_decode_nat_oa(&p[17], &oa, why, sizeof why);
    CHECK(!rc && p[17].type == ISAKMP_NP_NAT_OA_DRAFT && oa.id_type == ISAKMP_ID_IPV6_ADDR &&
              is_pat(oa.addr, oa.len, 16, 8),
          "NAT-OA (draft, 131) IPv6");
    CHECK(p[18].type == 200 && p[18].len == 7 && !memcmp(p[18].body, "private", 7) &&
              isakmp_check_data(&p[18], why, sizeof why) == ISAKMP_N_INVALID_PAYLOAD_TYPE,
          "a private payload type (200) kept as it is; not a data payload to the decoders");
    CHECK(p[19].type == ISAKMP_NP_ATTR && p[19].len == 0, "an empty payload (mode config ATTR)");
}

/* the plaintext of an encrypted message: a bare chain, padded; the
 * message with the ciphertext in place of the payloads */
static void test_encrypted(void)
{
    struct isakmp_w w;
    uint8_t h20[20], nonce[16];
    pat(h20, sizeof h20, 1);
    pat(nonce, sizeof nonce, 2);
    isakmp_w_init(&w, buf2, sizeof buf2, NULL);
    isakmp_w_data(&w, ISAKMP_NP_HASH, h20, sizeof h20);
    isakmp_w_data(&w, ISAKMP_NP_NONCE, nonce, sizeof nonce);
    size_t len;
    int err = isakmp_w_finish(&w, &len);
    CHECK(!err && len == 44 && isakmp_w_first(&w) == ISAKMP_NP_HASH && buf2[0] == ISAKMP_NP_NONCE && buf2[24] == 0,
          "bare chain: 44 bytes, first payload HASH, next-payload fields chained");
    memcpy(buf2 + len, "\0\0\0\3", 4);   /* RFC 2409 appendix B padding */
    static struct isakmp_chain c;
    int rc = isakmp_parse_payloads(ISAKMP_NP_HASH, buf2, len + 4, ISAKMP_PARSE_PADDED, &c, why, sizeof why);
    CHECK(!rc && c.n == 2 && c.pad == 4 && c.pl[1].type == ISAKMP_NP_NONCE && is_pat(c.pl[1].body, c.pl[1].len, 16, 2),
          "decrypted chain: 2 payloads and 4 bytes of padding");
    rc = isakmp_parse_payloads(ISAKMP_NP_HASH, buf2, len + 4, 0, &c, why, sizeof why);
    CHECK(rc == ISAKMP_N_PAYLOAD_MALFORMED && !strcmp(why, "4 bytes after the last payload"),
          "without ISAKMP_PARSE_PADDED the padding is refused: %s", why);

    struct isakmp_hdr h = hdr(ISAKMP_XCHG_QUICK, ISAKMP_FLAG_E, 0xa1b2c3d4);
    isakmp_w_init(&w, buf, sizeof buf, &h);
    isakmp_w_encrypted(&w, ISAKMP_NP_HASH, buf2, 48);
    isakmp_w_data(&w, ISAKMP_NP_KE, "x", 1);   /* nothing may follow the ciphertext */
    err = isakmp_w_finish(&w, &len);
    CHECK(err == ISAKMP_WERR_ORDER && len == 0, "a payload after the ciphertext: %s", isakmp_werr_name(err));
    isakmp_w_init(&w, buf, sizeof buf, &h);
    isakmp_w_encrypted(&w, ISAKMP_NP_HASH, buf2, 48);
    err = isakmp_w_finish(&w, &len);
    rc = err ? -1 : isakmp_parse(buf, len, &m, why, sizeof why);
    CHECK(!rc && len == 76 && m.hdr.flags == ISAKMP_FLAG_E && m.hdr.np == ISAKMP_NP_HASH &&
              m.hdr.msgid == 0xa1b2c3d4 && m.body == buf + 28 && m.body_len == 48 && !memcmp(m.body, buf2, 48) &&
              m.chain.n == 0,
          "encrypted message: header, first payload type, the ciphertext opaque, no chain");
}

/* ---- the writer's errors ------------------------------------------------------ */

static size_t build_sample(uint8_t *out, size_t cap, int *err)
{
    struct isakmp_w w;
    struct isakmp_hdr h = hdr(ISAKMP_XCHG_QUICK, 0, 7);
    isakmp_w_init(&w, out, cap, &h);
    isakmp_w_begin(&w, ISAKMP_NP_HASH);
    isakmp_w_reserve(&w, 20);
    isakmp_w_sa(&w, ISAKMP_DOI_IPSEC, ISAKMP_SIT_IDENTITY_ONLY);
    isakmp_w_proposal(&w, 1, ISAKMP_PROTO_IPSEC_ESP, (const uint8_t *)"\1\2\3\4", 4);
    isakmp_w_transform(&w, 1, ISAKMP_ESP_AES);
    isakmp_w_attr(&w, ISAKMP_IA_ENCAP_MODE, ISAKMP_ENCAP_UDP_TUNNEL);
    isakmp_w_attr(&w, ISAKMP_IA_SA_LIFE_DURATION, 4608000);
    isakmp_w_data(&w, ISAKMP_NP_NONCE, "0123456789abcdef", 16);
    size_t len;
    *err = isakmp_w_finish(&w, &len);
    return len;
}

static void test_writer_errors(void)
{
    int err;
    size_t full = build_sample(buf, sizeof buf, &err);
    CHECK(!err && full == 28 + 24 + 8 + 12 + 8 + 4 + 12 + 20, "writer sample: %zu bytes", full);
    int ok = 1;
    for (size_t cap = 0; cap < full; cap++) {
        memset(buf2, 0xee, sizeof buf2);
        size_t len = build_sample(buf2, cap, &err);
        ok &= err == ISAKMP_WERR_SPACE && len == 0;
        for (size_t i = cap; i < full + 8; i++)
            ok &= buf2[i] == 0xee;
    }
    CHECK(ok, "every buffer shorter than the message: ISAKMP_WERR_SPACE, nothing written past it");
    struct isakmp_w w;
    size_t len;
    isakmp_w_init(&w, NULL, 100, NULL);
    isakmp_w_data(&w, ISAKMP_NP_KE, "x", 1);
    CHECK(isakmp_w_finish(&w, &len) == ISAKMP_WERR_SPACE, "no buffer: no space");

    struct { const char *what; int order; } cases[] = {
        { "a proposal outside an SA payload", 1 }, { "a transform outside a proposal", 2 },
        { "bytes before any payload", 3 }, { "an attribute outside a transform's payload", 4 },
        { "ciphertext without a header", 5 }, { "ciphertext after a payload", 6 }, { "CERT writer given NONCE", 7 },
        { "NAT-OA writer given NAT-D", 8 }, { "an attribute in an SA before any transform", 9 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct isakmp_hdr h = hdr(ISAKMP_XCHG_MAIN, 0, 0);
        isakmp_w_init(&w, buf, sizeof buf, cases[i].order == 5 ? NULL : &h);
        struct isakmp_cert c = { .encoding = 4, .data = (const uint8_t *)"x", .len = 1 };
        struct isakmp_nat_oa oa = { .id_type = 1, .addr = (const uint8_t *)"abcd", .len = 4 };
        switch (cases[i].order) {
        case 1: isakmp_w_data(&w, ISAKMP_NP_KE, "x", 1); isakmp_w_proposal(&w, 1, 1, NULL, 0); break;
        case 2: isakmp_w_sa(&w, 1, 1); isakmp_w_transform(&w, 1, 1); break;
        case 3: isakmp_w_u32(&w, 1); break;
        case 4: isakmp_w_attr(&w, 1, 1); break;
        case 5: isakmp_w_encrypted(&w, ISAKMP_NP_HASH, "x", 1); break;
        case 6: isakmp_w_data(&w, ISAKMP_NP_KE, "x", 1); isakmp_w_encrypted(&w, ISAKMP_NP_HASH, "x", 1); break;
        case 7: isakmp_w_cert(&w, ISAKMP_NP_NONCE, &c); break;
        case 8: isakmp_w_nat_oa(&w, ISAKMP_NP_NAT_D, &oa); break;
        case 9: isakmp_w_sa(&w, 1, 1); isakmp_w_proposal(&w, 1, 1, NULL, 0); isakmp_w_attr(&w, 1, 7); break;
        }
        err = isakmp_w_finish(&w, &len);
        CHECK(err == ISAKMP_WERR_ORDER && len == 0, "writer: %s: %s", cases[i].what, isakmp_werr_name(err));
    }

    static uint8_t big[70000];
    struct isakmp_hdr h = hdr(ISAKMP_XCHG_MAIN, 0, 0);
    isakmp_w_init(&w, buf, sizeof buf, &h);
    isakmp_w_data(&w, ISAKMP_NP_CERT, big, 65532);   /* 65536 with its header */
    CHECK(isakmp_w_finish(&w, &len) == ISAKMP_WERR_RANGE, "writer: a payload of 65536 bytes: %s",
          isakmp_werr_name(w.err));
    isakmp_w_init(&w, buf, sizeof buf, &h);
    isakmp_w_data(&w, ISAKMP_NP_CERT, big, 65531);
    CHECK(!isakmp_w_finish(&w, &len) && len == 28 + 65535, "writer: a payload of 65535 bytes fits");
    isakmp_w_init(&w, buf, sizeof buf, &h);
    isakmp_w_sa(&w, 1, 1);
    isakmp_w_proposal(&w, 1, 1, NULL, 0);
    isakmp_w_transform(&w, 1, 1);
    isakmp_w_attr_tlv(&w, ISAKMP_A_GROUP_PRIME, big, 65536);
    CHECK(isakmp_w_finish(&w, &len) == ISAKMP_WERR_RANGE, "writer: a TLV attribute of 65536 bytes: range");
    isakmp_w_init(&w, buf, sizeof buf, &h);
    isakmp_w_sa(&w, 1, 1);
    isakmp_w_proposal(&w, 1, 1, NULL, 0);
    isakmp_w_transform(&w, 1, 1);
    isakmp_w_attr(&w, 0x8001, 1);
    CHECK(isakmp_w_finish(&w, &len) == ISAKMP_WERR_RANGE, "writer: an attribute class above 0x7fff: range");
    isakmp_w_init(&w, buf, sizeof buf, &h);
    isakmp_w_sa(&w, 1, 1);
    isakmp_w_proposal(&w, 1, 1, NULL, 0);
    for (int i = 0; i < 256; i++)
        isakmp_w_transform(&w, 1, 1);
    CHECK(isakmp_w_finish(&w, &len) == ISAKMP_WERR_RANGE, "writer: 256 transforms in a proposal: range");
    CHECK(!strcmp(isakmp_werr_name(ISAKMP_WERR_SPACE), "buffer too small") && !strcmp(isakmp_werr_name(0), "no error"),
          "writer error names");
}

/* ---- what the parser refuses ------------------------------------------------ */

/* one malformed (or borderline) input and what the codec must say */
struct bad {
    const char *what;
    uint8_t type;          /* the first payload's type (a chain), or the payload's (a decoder) */
    const char *hex;
    int code;              /* 0: accepted */
    const char *reason;    /* NULL: any */
};

static void run(const struct bad *b, size_t n, void (*expect)(const char *, uint8_t, const char *, int, const char *))
{
    for (size_t i = 0; i < n; i++)
        expect(b[i].what, b[i].type, b[i].hex, b[i].code, b[i].reason);
}
#define RUN(table, expect) run(table, sizeof table / sizeof table[0], expect)

static void expect_msg(const char *what, const uint8_t *msg, size_t len, int code, const char *reason)
{
    why[0] = '\0';
    int rc = isakmp_parse(msg, len, &m, why, sizeof why);
    CHECK(rc == code && (!reason || !strcmp(why, reason)), "%s: %s \"%s\"", what,
          rc ? isakmp_notify_name((uint16_t)rc) : "accepted", why);
}

static void expect_body(const char *what, uint8_t np, const char *body, int code, const char *reason)
{
    size_t len = mkmsg(buf, np, body);
    expect_msg(what, buf, len, code, reason);
}

static void expect_pl(const char *what, uint8_t type, const char *body, int code, const char *reason)
{
    size_t n = hx(body, buf + 4);
    struct isakmp_payload p = pl_of(type, buf + 4, n);
    union isakmp_decoded u;
    why[0] = '\0';
    int rc = type == ISAKMP_NP_SA || type == ISAKMP_NP_ID || type == ISAKMP_NP_CERT || type == ISAKMP_NP_CR ||
                     type == ISAKMP_NP_N || type == ISAKMP_NP_D || type == ISAKMP_NP_NAT_OA
                 ? isakmp_decode(&p, &sa, &u, why, sizeof why)
                 : isakmp_check_data(&p, why, sizeof why);
    CHECK(rc == code && (!reason || !strcmp(why, reason)), "%s: %s: %s \"%s\"", isakmp_payload_name(type), what,
          rc ? isakmp_notify_name((uint16_t)rc) : "accepted", why);
}

static void test_header(void)
{
    size_t len = mkmsg(buf, ISAKMP_NP_NONE, "");
    expect_msg("header alone, no payload", buf, len, 0, NULL);
    int ok = 1;
    for (size_t n = 0; n < ISAKMP_HDR_LEN; n++)
        ok &= isakmp_parse(buf, n, &m, why, sizeof why) == ISAKMP_N_PAYLOAD_MALFORMED;
    CHECK(ok, "every header shorter than 28 bytes: PAYLOAD-MALFORMED");
    expect_msg("truncated header", buf, 27, ISAKMP_N_PAYLOAD_MALFORMED, "truncated header: 27 bytes, 28 needed");
    CHECK(isakmp_parse(NULL, 0, &m, why, sizeof why) == ISAKMP_N_PAYLOAD_MALFORMED, "no message at all");
    buf[17] = 0x20;
    expect_msg("IKEv2", buf, len, ISAKMP_N_INVALID_MAJOR_VERSION, "version 2.0: only 1.0 (IKEv1)");
    buf[17] = 0x11;
    expect_msg("version 1.1", buf, len, ISAKMP_N_INVALID_MINOR_VERSION, "version 1.1: only 1.0");
    buf[17] = 0x10;
    static const uint8_t bad_x[] = { 0, 7, 31, 34, 240, 255 }, good_x[] = { 1, 2, 3, 4, 5, 6, 32, 33 };
    ok = 1;
    for (size_t i = 0; i < sizeof bad_x; i++) {
        buf[18] = bad_x[i];
        ok &= isakmp_parse(buf, len, &m, why, sizeof why) == ISAKMP_N_INVALID_EXCHANGE_TYPE;
    }
    for (size_t i = 0; i < sizeof good_x; i++) {
        buf[18] = good_x[i];
        ok &= isakmp_parse(buf, len, &m, why, sizeof why) == 0;
    }
    CHECK(ok, "exchange types 1-6, 32, 33 known; 0, 7, 31, 34, 240, 255 INVALID-EXCHANGE-TYPE");
    buf[18] = 2;
    buf[19] = 0x08;
    expect_msg("flag 0x08", buf, len, ISAKMP_N_INVALID_FLAGS, "flags 0x08: undefined bits 0x08 set");
    buf[19] = 0x06;
    expect_msg("flags C and A", buf, len, 0, NULL);
    buf[19] = 0x01;
    expect_msg("E without ciphertext", buf, len, ISAKMP_N_PAYLOAD_MALFORMED, "encrypted message without ciphertext");
    len = mkmsg(buf, ISAKMP_NP_NONE, "00112233");
    buf[19] = 0x01;
    expect_msg("E without a first payload type", buf, len, ISAKMP_N_PAYLOAD_MALFORMED,
               "encrypted message without a first payload type");
    buf[19] = 0;
    memset(buf, 0, 8);
    expect_msg("zero initiator cookie", buf, len, ISAKMP_N_INVALID_COOKIE, "initiator cookie is zero");
    len = mkmsg(buf, ISAKMP_NP_NONE, "");
    memset(buf + 8, 0, 8);
    expect_msg("zero responder cookie (a first message)", buf, len, 0, NULL);
    buf[27] = 29;
    expect_msg("length field 29, datagram 28", buf, len, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS,
               "header length 29, datagram 28 bytes");
    buf[27] = 28;
    buf[28] = 0;
    expect_msg("datagram longer than its length field", buf, len + 1, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS,
               "header length 28, datagram 29 bytes");
}

static const struct bad chain_cases[] = {
    { "the brief's example", ISAKMP_NP_KE, "08000005aa 0a000005bb 00000002", ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 3 (NONCE): length 2 below 4" },
    { "length 0", ISAKMP_NP_KE, "00000000", ISAKMP_N_PAYLOAD_MALFORMED, "payload 1 (KE): length 0 below 4" },
    { "length 4: an empty payload", ISAKMP_NP_VID, "00000004", 0, NULL },
    { "length past the end", ISAKMP_NP_KE, "00000009 aabbccdd", ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 1 (KE): length 9 runs past the end (8 bytes left)" },
    { "length 65535, 8 bytes", ISAKMP_NP_HASH, "0000ffff aabbccdd", ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 1 (HASH): length 65535 runs past the end (8 bytes left)" },
    { "header names a payload, none follows", ISAKMP_NP_SA, "", ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 1 (SA): truncated generic header: 0 of 4 bytes" },
    { "chain runs past the end", ISAKMP_NP_KE, "0a000005aa", ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 2 (NONCE): truncated generic header: 0 of 4 bytes" },
    { "truncated generic header", ISAKMP_NP_KE, "0a000005aa 0000", ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 2 (NONCE): truncated generic header: 2 of 4 bytes" },
    { "bytes after the last payload", ISAKMP_NP_KE, "00000005aa 00", ISAKMP_N_PAYLOAD_MALFORMED,
      "1 bytes after the last payload" },
    { "bytes, no payload", ISAKMP_NP_NONE, "0000", ISAKMP_N_PAYLOAD_MALFORMED,
      "2 bytes after the last payload (the first is NONE)" },
    { "a proposal in the chain", ISAKMP_NP_P, "00000004", ISAKMP_N_INVALID_PAYLOAD_TYPE,
      "payload 1: type 2 is not allowed outside an SA payload" },
    { "a transform after a KE", ISAKMP_NP_KE, "03000005aa 00000004", ISAKMP_N_INVALID_PAYLOAD_TYPE,
      "payload 2: type 3 is not allowed outside an SA payload" },
    { "unassigned type 99", ISAKMP_NP_KE, "63000005aa", ISAKMP_N_INVALID_PAYLOAD_TYPE,
      "payload 2: type 99 is not an ISAKMP payload" },
    { "GDOI's type 15", 15, "00000004", ISAKMP_N_INVALID_PAYLOAD_TYPE, "payload 1: type 15 is not an ISAKMP payload" },
    { "reserved byte not zero: ignored", ISAKMP_NP_KE, "00ff0005aa", 0, NULL },
};

static void test_chain(void)
{
    RUN(chain_cases, expect_body);
    char body[3 * 33 * 9 + 1] = "";
    for (int i = 0; i < 32; i++)
        strcat(body, i < 31 ? "0d000004 " : "00000004 ");
    expect_body("32 payloads", ISAKMP_NP_VID, body, 0, NULL);
    body[strlen(body) - 9] = '0', body[strlen(body) - 8] = 'd';
    strcat(body, "00000004");
    expect_body("33 payloads", ISAKMP_NP_VID, body, ISAKMP_N_PAYLOAD_MALFORMED, "more than 32 payloads");
}

/* DOI, situation; a proposal of 20 bytes (ISAKMP, no SPI, one transform);
 * its transform of 12 bytes with one attribute */
#define DS "00000001 00000001 "
#define PROP "00000014 01010001 "
#define XF "0000000c 01010000 80010007"

static const struct bad sa_cases[] = {
    { "4 bytes", ISAKMP_NP_SA, "00000001", ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 1 (SA): 4 bytes, 8 needed for DOI and situation" },
    { "DOI 2", ISAKMP_NP_SA, "00000002 00000001 " PROP XF, ISAKMP_N_DOI_NOT_SUPPORTED,
      "payload 1 (SA): DOI 2, only IPsec (1)" },
    { "DOI 0", ISAKMP_NP_SA, "00000000 00000001 " PROP XF, ISAKMP_N_DOI_NOT_SUPPORTED, NULL },
    { "secrecy", ISAKMP_NP_SA, "00000001 00000002 " PROP XF, ISAKMP_N_SITUATION_NOT_SUPPORTED,
      "payload 1 (SA): situation 0x2, only SIT_IDENTITY_ONLY" },
    { "no proposal", ISAKMP_NP_SA, DS, ISAKMP_N_BAD_PROPOSAL_SYNTAX, "payload 1 (SA): no proposal" },
    { "truncated proposal", ISAKMP_NP_SA, DS "00000014 01", ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 1 (SA): proposal 1: 5 bytes, 8 needed" },
    { "proposal's next payload 5", ISAKMP_NP_SA, DS "05000014 01010001 " XF, ISAKMP_N_BAD_PROPOSAL_SYNTAX,
      "payload 1 (SA): proposal 1: next payload 5, not PROPOSAL or NONE" },
    { "proposal announces another, SA ends", ISAKMP_NP_SA, DS "02000014 01010001 " XF, ISAKMP_N_BAD_PROPOSAL_SYNTAX,
      "payload 1 (SA): proposal 1 announces another, the SA ends" },
    { "bytes after the last proposal", ISAKMP_NP_SA, DS PROP XF " 00", ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 1 (SA): 1 bytes after the last proposal" },
    { "proposal length 7", ISAKMP_NP_SA, DS "00000007 01010001 " XF, ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 1 (SA): proposal 1: length 7 below 8 (8 + SPI size)" },
    { "proposal length below 8 + SPI", ISAKMP_NP_SA, DS "0000000b 01030401 deadbeef " XF, ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 1 (SA): proposal 1: length 11 below 12 (8 + SPI size)" },
    { "proposal past the SA", ISAKMP_NP_SA, DS "00000015 01010001 " XF, ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 1 (SA): proposal 1: length 21 runs past the SA (20 bytes left)" },
    { "protocol 5", ISAKMP_NP_SA, DS "00000014 01050001 " XF, ISAKMP_N_INVALID_PROTOCOL_ID,
      "payload 1 (SA): proposal 1: protocol 5" },
    { "ESP with a 3-byte SPI", ISAKMP_NP_SA, DS "00000017 01030301 aabbcc " XF, ISAKMP_N_INVALID_SPI,
      "payload 1 (SA): proposal 1: SPI size 3 for PROTO_IPSEC_ESP" },
    { "ISAKMP with a 4-byte SPI", ISAKMP_NP_SA, DS "00000018 01010401 aabbccdd " XF, ISAKMP_N_INVALID_SPI, NULL },
    { "AH with a 4-byte SPI", ISAKMP_NP_SA, DS "00000018 01020401 aabbccdd " XF, 0, NULL },
    { "IPCOMP with a 2-byte CPI", ISAKMP_NP_SA, DS "00000016 01040201 aabb " XF, 0, NULL },
    { "proposal numbers decreasing", ISAKMP_NP_SA, DS "02000014 02010001 " XF " 00000014 01010001 " XF,
      ISAKMP_N_BAD_PROPOSAL_SYNTAX,
      "payload 1 (SA): proposal 2: number 1 after 2" },
    { "two transforms announced, one present", ISAKMP_NP_SA, DS "00000014 01010002 " XF, ISAKMP_N_BAD_PROPOSAL_SYNTAX,
      "payload 1 (SA): proposal 1: 2 transforms announced, 1 present" },
    { "none announced, one present", ISAKMP_NP_SA, DS "00000014 01010000 " XF, ISAKMP_N_BAD_PROPOSAL_SYNTAX,
      "payload 1 (SA): proposal 1: 0 transforms announced, 1 present" },
    { "no transform", ISAKMP_NP_SA, DS "00000008 01010000", ISAKMP_N_BAD_PROPOSAL_SYNTAX,
      "payload 1 (SA): proposal 1: no transform" },
    { "truncated transform", ISAKMP_NP_SA, DS "0000000c 01010001 00000008", ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 1 (SA): proposal 1 transform 1: 4 bytes, 8 needed" },
    { "transform's next payload 5", ISAKMP_NP_SA, DS PROP "0500000c 01010000 80010007", ISAKMP_N_BAD_PROPOSAL_SYNTAX,
      "payload 1 (SA): proposal 1 transform 1: next payload 5, not TRANSFORM or NONE" },
    { "transform length 7", ISAKMP_NP_SA, DS PROP "00000007 01010000 80010007", ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 1 (SA): proposal 1 transform 1: length 7 below 8" },
    { "transform past the proposal", ISAKMP_NP_SA, DS PROP "0000000d 01010000 80010007", ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 1 (SA): proposal 1 transform 1: length 13 runs past the proposal (12 bytes left)" },
    { "transform announces another, proposal ends", ISAKMP_NP_SA, DS PROP "0300000c 01010000 80010007",
      ISAKMP_N_BAD_PROPOSAL_SYNTAX,
      "payload 1 (SA): proposal 1: transform 1 announces another, the proposal ends" },
    { "bytes after the last transform", ISAKMP_NP_SA, DS "00000018 01010001 " XF " 00000000",
      ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 1 (SA): proposal 1: 4 bytes after the last transform" },
    { "attribute TLV past the transform", ISAKMP_NP_SA, DS "00000014 01010001 0000000c 01010000 000c0004",
      ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 1 (SA): proposal 1 transform 1: attribute 1 (class 12): TLV length 4 runs past the end by 4" },
    { "attribute TLV 2 bytes short", ISAKMP_NP_SA, DS "00000016 01010001 0000000e 01010000 000c0004 0001",
      ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 1 (SA): proposal 1 transform 1: attribute 1 (class 12): TLV length 4 runs past the end by 2" },
    { "2 bytes after an attribute", ISAKMP_NP_SA, DS "00000016 01010001 0000000e 01010000 80010007 8001",
      ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 1 (SA): proposal 1 transform 1: attribute 2: 2 bytes, 4 needed" },
};

static void test_sa(void)
{
    RUN(sa_cases, expect_pl);
    expect_pl("well formed", ISAKMP_NP_SA, DS PROP XF, 0, NULL);
    CHECK(sa.nprops == 1 && sa.nxforms == 1 && sa.nattrs == 1 && sa.attr[0].type == 1 && sa.attr[0].tv,
          "SA: the smallest: one proposal, one transform, one attribute");
    expect_pl("AH + ESP bundle (same number)", ISAKMP_NP_SA,
              DS "02000018 01020401 aabbccdd " XF " 00000018 01030401 11223344 " XF, 0, NULL);
    CHECK(sa.nprops == 2 && sa.prop[1].first_xform == 1 && !memcmp(sa.prop[1].spi, "\x11\x22\x33\x44", 4),
          "SA: a bundle: two proposals, their SPIs and transforms");

    /* the limits: 16 proposals, 64 transforms, 512 attributes */
    struct isakmp_w w;
    size_t len;
    for (int k = 0; k < 3; k++) {
        struct isakmp_hdr h = hdr(ISAKMP_XCHG_MAIN, 0, 0);
        isakmp_w_init(&w, buf, sizeof buf, &h);
        isakmp_w_sa(&w, 1, 1);
        int props = k == 0 ? 17 : 1, xfs = k == 1 ? 65 : k == 2 ? 9 : 1, attrs = k == 2 ? 57 : 0;
        for (int i = 0; i < props; i++) {
            isakmp_w_proposal(&w, (uint8_t)(i + 1), 1, NULL, 0);
            for (int j = 0; j < xfs; j++) {
                isakmp_w_transform(&w, (uint8_t)(j + 1), 1);
                for (int a = 0; a < attrs; a++)
                    isakmp_w_attr(&w, 1, 7);
            }
        }
        int err = isakmp_w_finish(&w, &len);
        int rc = err ? -1 : isakmp_parse(buf, len, &m, why, sizeof why);
        rc = rc ? rc : isakmp_decode_sa(&m.chain.pl[0], &sa, why, sizeof why);
        static const char *const reason[] = { "payload 1 (SA): more than 16 proposals",
                                              "payload 1 (SA): more than 64 transforms",
                                              "payload 1 (SA): proposal 1 transform 9: more than 512 attributes" };
        CHECK(rc == ISAKMP_N_PAYLOAD_MALFORMED && !strcmp(why, reason[k]), "SA: limit: %s", why);
    }
    isakmp_w_init(&w, buf, sizeof buf, NULL);
    isakmp_w_sa(&w, 1, 1);
    for (int i = 0; i < 16; i++) {
        isakmp_w_proposal(&w, (uint8_t)(i + 1), 1, NULL, 0);
        for (int j = 0; j < 4; j++) {
            isakmp_w_transform(&w, (uint8_t)(j + 1), 1);
            for (int a = 0; a < 8; a++)
                isakmp_w_attr(&w, 1, 7);
        }
    }
    int err = isakmp_w_finish(&w, &len);
    static struct isakmp_chain c;
    int rc = err ? -1 : isakmp_parse_payloads(ISAKMP_NP_SA, buf, len, 0, &c, why, sizeof why);
    rc = rc ? rc : isakmp_decode_sa(&c.pl[0], &sa, why, sizeof why);
    CHECK(!rc && sa.nprops == 16 && sa.nxforms == 64 && sa.nattrs == 512, "SA: at the limits: 16, 64, 512 (%s)",
          rc ? why : "ok");
}

static void data_bounds(uint8_t type, size_t min, size_t max, int code)
{
    static uint8_t d[2000];
    struct isakmp_payload p = pl_of(type, d + 4, 0);
    int ok = 1;
    for (size_t n = 0; n < sizeof d - 4; n = n < 300 ? n + 1 : n + 97) {
        p.len = n;
        int rc = isakmp_check_data(&p, why, sizeof why);
        ok &= n >= min && n <= max ? rc == 0 : rc == code;
    }
    CHECK(ok, "%s: data of %zu to %zu bytes accepted, else %s", isakmp_payload_name(type), min,
          max > 2000 ? sizeof d - 4 : max, isakmp_notify_name((uint16_t)code));
}

static const struct bad payload_cases[] = {
    { "7 bytes", ISAKMP_NP_NONCE, "00010203040506", ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 1 (NONCE): 7 bytes of data, 8 to 256 allowed" },
    { "empty", ISAKMP_NP_SIG, "", ISAKMP_N_INVALID_SIGNATURE, "payload 1 (SIG): empty" },
    { "3 bytes", ISAKMP_NP_ID, "011100", ISAKMP_N_PAYLOAD_MALFORMED, "payload 1 (ID): 3 bytes, 4 needed" },
    { "type 12", ISAKMP_NP_ID, "0c000000 aa", ISAKMP_N_INVALID_ID_INFORMATION, "payload 1 (ID): ID type 12 unknown" },
    { "IPv4 with 3 bytes", ISAKMP_NP_ID, "01000000 c0a801", ISAKMP_N_INVALID_ID_INFORMATION,
      "payload 1 (ID): ID_IPV4_ADDR with 3 bytes of data" },
    { "empty FQDN", ISAKMP_NP_ID, "02000000", ISAKMP_N_INVALID_ID_INFORMATION,
      "payload 1 (ID): ID_FQDN with 0 bytes of data (empty)" },
    { "empty", ISAKMP_NP_CERT, "", ISAKMP_N_PAYLOAD_MALFORMED, "payload 1 (CERT): empty" },
    { "encoding 0", ISAKMP_NP_CERT, "00aa", ISAKMP_N_INVALID_CERT_ENCODING,
      "payload 1 (CERT): certificate encoding 0 unknown" },
    { "encoding 11", ISAKMP_NP_CERT, "0baa", ISAKMP_N_INVALID_CERT_ENCODING, NULL },
    { "no data", ISAKMP_NP_CERT, "04", ISAKMP_N_INVALID_CERTIFICATE,
      "payload 1 (CERT): CT_X509_SIGNATURE without data" },
    { "encoding 11", ISAKMP_NP_CR, "0b", ISAKMP_N_CERT_TYPE_UNSUPPORTED,
      "payload 1 (CERT_REQ): certificate encoding 11 unknown" },
    { "a CA's name", ISAKMP_NP_CR, "04 3003", 0, NULL },
    { "7 bytes", ISAKMP_NP_N, "00000001 010000", ISAKMP_N_PAYLOAD_MALFORMED, "payload 1 (NOTIFY): 7 bytes, 8 needed" },
    { "DOI 2", ISAKMP_NP_N, "00000002 01006002", ISAKMP_N_DOI_NOT_SUPPORTED, "payload 1 (NOTIFY): DOI 2" },
    { "DOI 0, no SPI, no data", ISAKMP_NP_N, "00000000 01000010", 0, NULL },
    { "SPI size 17", ISAKMP_NP_N, "00000001 01116002", ISAKMP_N_INVALID_SPI,
      "payload 1 (NOTIFY): SPI size 17 above 16" },
    { "SPI past the payload", ISAKMP_NP_N, "00000001 03046002 aabbcc", ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 1 (NOTIFY): SPI of 4 bytes runs past the payload (11 bytes)" },
    { "7 bytes", ISAKMP_NP_D, "00000001 030400", ISAKMP_N_PAYLOAD_MALFORMED, "payload 1 (DELETE): 7 bytes, 8 needed" },
    { "DOI 3", ISAKMP_NP_D, "00000003 03040001 aabbccdd", ISAKMP_N_DOI_NOT_SUPPORTED, NULL },
    { "protocol 5", ISAKMP_NP_D, "00000001 05040001 aabbccdd", ISAKMP_N_INVALID_PROTOCOL_ID,
      "payload 1 (DELETE): protocol 5" },
    { "ESP with 16-byte SPIs", ISAKMP_NP_D, "00000001 03100001 00112233445566778899aabbccddeeff", ISAKMP_N_INVALID_SPI,
      "payload 1 (DELETE): SPI size 16 for PROTO_IPSEC_ESP (4 expected)" },
    { "no SPI", ISAKMP_NP_D, "00000001 03040000", ISAKMP_N_PAYLOAD_MALFORMED, "payload 1 (DELETE): no SPI" },
    { "two announced, one present", ISAKMP_NP_D, "00000001 03040002 aabbccdd", ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 1 (DELETE): 2 SPIs of 4 bytes need 8 bytes, 4 present" },
    { "one announced, bytes left over", ISAKMP_NP_D, "00000001 03040001 aabbccdd 00", ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 1 (DELETE): 1 SPIs of 4 bytes need 4 bytes, 5 present" },
    { "the IKE SA", ISAKMP_NP_D, "00000001 01100001 00112233445566778899aabbccddeeff", 0, NULL },
    { "IPCOMP CPIs", ISAKMP_NP_D, "00000001 04020002 aabb ccdd", 0, NULL },
    { "3 bytes", ISAKMP_NP_NAT_OA, "010000", ISAKMP_N_PAYLOAD_MALFORMED, "payload 1 (NAT-OA): 3 bytes, 4 needed" },
    { "ID type FQDN", ISAKMP_NP_NAT_OA, "02000000 61", ISAKMP_N_INVALID_ID_INFORMATION,
      "payload 1 (NAT-OA): ID type 2, only ID_IPV4_ADDR or ID_IPV6_ADDR" },
    { "IPv4 with 5 bytes", ISAKMP_NP_NAT_OA, "01000000 c0a8010a00", ISAKMP_N_PAYLOAD_MALFORMED,
      "payload 1 (NAT-OA): ID_IPV4_ADDR with 5 bytes" },
    { "reserved bytes set: ignored", ISAKMP_NP_NAT_OA, "01ffffff c0a8010a", 0, NULL },
};

static void test_payloads(void)
{
    RUN(payload_cases, expect_pl);
    data_bounds(ISAKMP_NP_NONCE, 8, 256, ISAKMP_N_PAYLOAD_MALFORMED);
    data_bounds(ISAKMP_NP_KE, 1, 1024, ISAKMP_N_INVALID_KEY_INFORMATION);
    data_bounds(ISAKMP_NP_HASH, 1, 64, ISAKMP_N_INVALID_HASH_INFORMATION);
    data_bounds(ISAKMP_NP_NAT_D, 1, 64, ISAKMP_N_INVALID_HASH_INFORMATION);
    data_bounds(ISAKMP_NP_NAT_D_DRAFT, 1, 64, ISAKMP_N_INVALID_HASH_INFORMATION);
    data_bounds(ISAKMP_NP_SIG, 1, SIZE_MAX, ISAKMP_N_INVALID_SIGNATURE);
    data_bounds(ISAKMP_NP_VID, 1, SIZE_MAX, ISAKMP_N_PAYLOAD_MALFORMED);

    static const struct { uint8_t type; size_t good; size_t bad; } ids[] = {
        { ISAKMP_ID_IPV4_ADDR, 4, 5 }, { ISAKMP_ID_IPV4_ADDR_SUBNET, 8, 4 }, { ISAKMP_ID_IPV4_ADDR_RANGE, 8, 7 },
        { ISAKMP_ID_IPV6_ADDR, 16, 4 }, { ISAKMP_ID_IPV6_ADDR_SUBNET, 32, 16 }, { ISAKMP_ID_IPV6_ADDR_RANGE, 32, 31 },
        { ISAKMP_ID_FQDN, 1, 0 }, { ISAKMP_ID_USER_FQDN, 3, 0 }, { ISAKMP_ID_DER_ASN1_DN, 80, 0 },
        { ISAKMP_ID_DER_ASN1_GN, 9, 0 }, { ISAKMP_ID_KEY_ID, 2, 0 },
    };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        static uint8_t d[64];
        d[4] = ids[i].type;
        struct isakmp_payload p = pl_of(ISAKMP_NP_ID, d + 4, 4 + ids[i].good);
        struct isakmp_id id;
        int good = isakmp_decode_id(&p, &id, why, sizeof why);
        p.len = 4 + ids[i].bad;
        int bad = isakmp_decode_id(&p, &id, why, sizeof why);
        CHECK(!good && bad == ISAKMP_N_INVALID_ID_INFORMATION, "ID: %s with %zu bytes accepted, %zu refused (%s)",
              isakmp_id_name(ids[i].type), ids[i].good, ids[i].bad, why);
    }

    size_t n = hx("00000001 01108d28 00112233445566778899aabbccddeeff 000000", buf + 4);
    struct isakmp_payload p = pl_of(ISAKMP_NP_N, buf + 4, n);
    struct isakmp_notify nt;
    uint32_t seq;
    int rc = isakmp_decode_notify(&p, &nt, why, sizeof why);
    CHECK(!rc && isakmp_notify_dpd(&nt, &seq, why, sizeof why) == ISAKMP_N_PAYLOAD_MALFORMED &&
              !strcmp(why, "R-U-THERE: protocol 1, SPI size 16, 3 data bytes (RFC 3706: 1, 16, 4)"),
          "R-U-THERE with a 3-byte sequence: %s", why);


    /* a decoder given another type */
    struct isakmp_payload sp = pl_of(ISAKMP_NP_SA, buf + 4, 1);
    CHECK(isakmp_check_data(&sp, why, sizeof why) == ISAKMP_N_INVALID_PAYLOAD_TYPE &&
              !strcmp(why, "payload 1 (SA): not a data payload"),
          "an SA given to isakmp_check_data: %s", why);
    p = pl_of(ISAKMP_NP_KE, buf + 4, 8);
    struct isakmp_id id;
    rc = isakmp_decode_id(&p, &id, why, sizeof why);
    CHECK(rc == ISAKMP_N_INVALID_PAYLOAD_TYPE && !strcmp(why, "payload 1 (KE): given to the ID decoder"),
          "a KE given to the ID decoder: %s", why);
    rc = isakmp_decode_sa(&p, &sa, why, sizeof why);
    CHECK(rc == ISAKMP_N_INVALID_PAYLOAD_TYPE, "a KE given to the SA decoder: %s", why);
}

static void test_attrs(void)
{
    struct isakmp_attr a[4];
    size_t n = 9, len = hx("8001 0007 000c 0003 015180 800b 0001", buf);
    int rc = isakmp_attrs_decode(buf, len, a, 4, &n, why, sizeof why);
    uint64_t v = 0;
    CHECK(!rc && n == 3 && a[0].tv && a[0].type == 1 && !a[1].tv && a[1].len == 3 && !isakmp_attr_uint(&a[1], &v) &&
              v == 86400 && a[2].type == 11,
          "attribute list: TV, a 3-byte TLV, TV");
    rc = isakmp_attrs_decode(buf, len, a, 2, &n, why, sizeof why);
    CHECK(rc == ISAKMP_N_PAYLOAD_MALFORMED && !strcmp(why, "more than 2 attributes") && n == 0,
          "attribute list over its bound: %s", why);
    rc = isakmp_attrs_decode(buf, 0, a, 4, &n, why, sizeof why);
    CHECK(!rc && n == 0, "an empty attribute list");
    len = hx("000c ffff 00", buf);
    rc = isakmp_attrs_decode(buf, len, a, 4, &n, why, sizeof why);
    CHECK(rc == ISAKMP_N_PAYLOAD_MALFORMED &&
              !strcmp(why, "attribute 1 (class 12): TLV length 65535 runs past the end by 65534"),
          "a TLV claiming 65535 bytes: %s", why);
    struct isakmp_attr big = { .type = 12, .len = 9, .val = (const uint8_t *)"\0\1\2\3\4\5\6\7\x08" };
    CHECK(!isakmp_attr_uint(&big, &v) && v == 0x0102030405060708ull, "9 bytes with a leading zero: an integer");
    big.val = (const uint8_t *)"\1\1\2\3\4\5\6\7\x08";
    CHECK(isakmp_attr_uint(&big, &v) == ISAKMP_N_ATTRIBUTES_NOT_SUPPORTED, "9 significant bytes: not an integer");
}

/* ---- scapy's messages ------------------------------------------------------- */

static size_t load(const char *name, uint8_t *out, size_t cap)
{
    char path[128];
    snprintf(path, sizeof path, "tests/ike/vectors/%s.bin", name);
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(out, 1, cap, f) : 0;
    if (f)
        fclose(f);
    CHECK(n > 0, "vector %s: %zu bytes", path, n);
    return n;
}

struct want_attr {
    uint16_t type;
    uint8_t tv;
    uint64_t v;
};

static int attrs_are(const struct isakmp_xform *x, const struct want_attr *w, size_t n)
{
    if (x->nattrs != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const struct isakmp_attr *a = &sa.attr[x->first_attr + i];
        uint64_t v;
        if (a->type != w[i].type || a->tv != w[i].tv || isakmp_attr_uint(a, &v) || v != w[i].v)
            return 0;
    }
    return 1;
}

#define ATTRS_ARE(x, ...) \
    attrs_are((x), (const struct want_attr[]){ __VA_ARGS__ }, \
              sizeof((const struct want_attr[]){ __VA_ARGS__ }) / sizeof(struct want_attr))

/* every shorter copy, with the length field fixed up: refused */
static void truncations(const char *name, const uint8_t *msg, size_t len)
{
    int ok = 1;
    for (size_t k = 0; k < len; k++) {
        memcpy(buf2, msg, k);
        if (k >= 28)
            for (int i = 0; i < 4; i++)
                buf2[24 + i] = (uint8_t)(k >> (24 - 8 * i));
        int rc = isakmp_parse(buf2, k, &m, why, sizeof why);
        ok &= rc != 0 || ((msg[19] & ISAKMP_FLAG_E) && k > 28);
    }
    CHECK(ok, "%s: all %zu shorter copies refused", name, len);
}

static void test_vectors(void)
{
    static uint8_t v[4096];
    size_t len = load("mm1", v, sizeof v);
    int rc = isakmp_parse(v, len, &m, why, sizeof why);
    CHECK(!rc && !memcmp(m.hdr.icookie, IC, 8) && !memcmp(m.hdr.rcookie, "\0\0\0\0\0\0\0\0", 8) &&
              m.hdr.np == ISAKMP_NP_SA && m.hdr.exchange == ISAKMP_XCHG_MAIN && m.hdr.flags == 0 && m.hdr.msgid == 0 &&
              m.hdr.length == 179 && m.chain.n == 4,
          "mm1 (scapy): main mode 1, 179 bytes, SA and three vendor ids (%s)", rc ? why : "ok");
    rc = rc ? rc : isakmp_decode_sa(&m.chain.pl[0], &sa, why, sizeof why);
    CHECK(!rc && sa.nprops == 1 && sa.prop[0].num == 1 && sa.prop[0].proto == ISAKMP_PROTO_ISAKMP &&
              sa.prop[0].spi_size == 0 && sa.prop[0].nxforms == 2 && sa.xf[0].num == 1 &&
              sa.xf[0].id == ISAKMP_KEY_IKE &&
              sa.xf[1].num == 2,
          "mm1: one ISAKMP proposal, two KEY_IKE transforms");
    CHECK(ATTRS_ARE(&sa.xf[0], { 1, 1, 7 }, { 14, 1, 256 }, { 2, 1, 2 }, { 3, 1, 1 }, { 4, 1, 14 }, { 11, 1, 1 },
                    { 12, 0, 86400 }) &&
              sa.attr[6].len == 3,
          "mm1 transform 1: AES-CBC 256, SHA, pre-share, group 14, 86400 s (3-byte TLV)");
    CHECK(ATTRS_ARE(&sa.xf[1], { 1, 1, 5 }, { 2, 1, 2 }, { 3, 1, 1 }, { 4, 1, 2 }, { 11, 1, 1 }, { 12, 1, 28800 }),
          "mm1 transform 2: 3DES-CBC, SHA, pre-share, group 2, 28800 s (TV)");
    CHECK(m.chain.n == 4 && !strcmp(isakmp_vid_name(m.chain.pl[1].body, m.chain.pl[1].len), "NAT-T RFC 3947") &&
              !strcmp(isakmp_vid_name(m.chain.pl[2].body, m.chain.pl[2].len), "NAT-T draft-02n") &&
              !strcmp(isakmp_vid_name(m.chain.pl[3].body, m.chain.pl[3].len), "DPD"),
          "mm1: vendor ids RFC 3947, draft-02n, DPD");
    truncations("mm1", v, len);

    len = load("mm3", v, sizeof v);
    rc = isakmp_parse(v, len, &m, why, sizeof why);
    const struct isakmp_payload *p = m.chain.pl;
    struct isakmp_cert c;
    CHECK(!rc && m.chain.n == 5 && !memcmp(m.hdr.rcookie, RC, 8) && p[0].type == ISAKMP_NP_KE &&
              is_pat(p[0].body, p[0].len, 128, 1) && p[1].type == ISAKMP_NP_NONCE &&
              is_pat(p[1].body, p[1].len, 20, 2) &&
              !isakmp_check_data(&p[0], why, sizeof why) && !isakmp_check_data(&p[1], why, sizeof why),
          "mm3 (scapy): KE (128 bytes), NONCE (20)");
    CHECK(!rc && m.chain.n == 5 && !isakmp_decode_cert(&p[2], &c, why, sizeof why) && p[2].type == ISAKMP_NP_CR &&
              c.encoding == ISAKMP_CERT_X509_SIG && is_pat(c.data, c.len, 50, 14),
          "mm3: CERT_REQ for X.509 signatures, a 50-byte CA");
    CHECK(!rc && m.chain.n == 5 && p[3].type == ISAKMP_NP_NAT_D && is_pat(p[3].body, p[3].len, 20, 3) &&
              p[4].type == ISAKMP_NP_NAT_D && is_pat(p[4].body, p[4].len, 20, 4) &&
              !isakmp_check_data(&p[4], why, sizeof why),
          "mm3: two NAT-D payloads (RFC 3947 type 20)");
    truncations("mm3", v, len);

    len = load("am1", v, sizeof v);
    rc = isakmp_parse(v, len, &m, why, sizeof why);
    struct isakmp_id id;
    CHECK(!rc && m.hdr.exchange == ISAKMP_XCHG_AGGRESSIVE && m.chain.n == 6 &&
              !isakmp_decode_sa(&m.chain.pl[0], &sa, why, sizeof why) &&
              ATTRS_ARE(&sa.xf[0], { 1, 1, 7 }, { 14, 1, 128 }, { 2, 1, 4 }, { 3, 1, 1 }, { 4, 1, 14 }, { 11, 1, 1 },
                        { 12, 1, 3600 }),
          "am1 (scapy): aggressive mode, AES-CBC 128, SHA2-256, pre-share, group 14, 3600 s");
    p = m.chain.pl;
    CHECK(!rc && m.chain.n == 6 && is_pat(p[1].body, p[1].len, 256, 5) && is_pat(p[2].body, p[2].len, 32, 6) &&
              !isakmp_decode_id(&p[3], &id, why, sizeof why) && id.type == ISAKMP_ID_USER_FQDN && id.proto == 17 &&
              id.port == 500 && id.len == 15 && !memcmp(id.data, "vpn@example.com", 15),
          "am1: KE (256), NONCE (32), ID_USER_FQDN vpn@example.com udp/500");
    CHECK(!rc && m.chain.n == 6 && !strcmp(isakmp_vid_name(p[4].body, p[4].len), "XAUTH") &&
              !strcmp(isakmp_vid_name(p[5].body, p[5].len), "DPD"),
          "am1: vendor ids XAUTH, DPD");
    truncations("am1", v, len);

    len = load("enc", v, sizeof v);
    rc = isakmp_parse(v, len, &m, why, sizeof why);
    CHECK(!rc && m.hdr.exchange == ISAKMP_XCHG_QUICK && m.hdr.flags == ISAKMP_FLAG_E && m.hdr.np == ISAKMP_NP_HASH &&
              m.hdr.msgid == 0x12345678 && is_pat(m.hdr.icookie, 8, 8, 0x30) && is_pat(m.hdr.rcookie, 8, 8, 0x40) &&
              is_pat(m.body, m.body_len, 64, 7) && m.chain.n == 0,
          "enc (scapy): quick mode, E flag, first payload HASH, 64 bytes of ciphertext");
    truncations("enc", v, len);

    len = load("qm1_body", v, sizeof v);
    static struct isakmp_chain ch;
    rc = isakmp_parse_payloads(ISAKMP_NP_HASH, v, len, ISAKMP_PARSE_PADDED, &ch, why, sizeof why);
    p = ch.pl;
    CHECK(!rc && ch.n == 8 && ch.pad == 4 && p[0].type == ISAKMP_NP_HASH && is_pat(p[0].body, p[0].len, 20, 8),
          "qm1_body (scapy): 8 payloads, 4 bytes of padding, HASH(1) first (%s)", rc ? why : "ok");
    rc = rc ? rc : isakmp_decode_sa(&p[1], &sa, why, sizeof why);
    CHECK(!rc && sa.nprops == 1 && sa.prop[0].proto == ISAKMP_PROTO_IPSEC_ESP && sa.prop[0].spi_size == 4 &&
              !memcmp(sa.prop[0].spi, "\xde\xad\xbe\xef", 4) && sa.nxforms == 2 && sa.xf[0].id == ISAKMP_ESP_AES &&
              sa.xf[1].id == ISAKMP_ESP_3DES,
          "qm1_body: an ESP proposal, SPI deadbeef, ESP_AES and ESP_3DES");
    CHECK(!rc && ATTRS_ARE(&sa.xf[0], { 4, 1, 3 }, { 5, 1, 2 }, { 6, 1, 256 }, { 1, 1, 1 }, { 2, 1, 3600 }, { 1, 1, 2 },
                           { 2, 0, 4608000 }, { 3, 1, 14 }),
          "qm1_body transform 1: UDP tunnel, HMAC-SHA, 256 bits, 3600 s and 4608000 KB, PFS group 14");
    CHECK(!rc && ATTRS_ARE(&sa.xf[1], { 4, 1, 61443 }, { 5, 1, 1 }, { 1, 1, 1 }, { 2, 1, 28800 }) &&
              !strcmp(isakmp_attr_value_name(ISAKMP_PROTO_IPSEC_ESP, ISAKMP_IA_ENCAP_MODE, 61443),
                      "UDP-Encapsulated-Tunnel (draft)"),
          "qm1_body transform 2: the draft's UDP tunnel (61443), HMAC-MD5, 28800 s");
    CHECK(ch.n == 8 && is_pat(p[2].body, p[2].len, 16, 9) && is_pat(p[3].body, p[3].len, 256, 10) &&
              p[3].type == ISAKMP_NP_KE,
          "qm1_body: NONCE (16), KE for PFS (256)");
    int id_ok = ch.n == 8 && !isakmp_decode_id(&p[4], &id, why, sizeof why) && id.type == ISAKMP_ID_IPV4_ADDR_SUBNET &&
                id.v4[0] == 0x0a010000 && id.v4[1] == 0xffff0000;
    id_ok = id_ok && !isakmp_decode_id(&p[5], &id, why, sizeof why) && id.type == ISAKMP_ID_IPV4_ADDR_RANGE &&
            id.proto == 6 && id.port == 80 && id.v4[0] == 0x0a020001 && id.v4[1] == 0x0a020063;
    CHECK(id_ok, "qm1_body: IDci 10.1.0.0/255.255.0.0, IDcr 10.2.0.1-10.2.0.99 tcp/80");
    struct isakmp_nat_oa oa1, oa2;
    CHECK(ch.n == 8 && !isakmp_decode_nat_oa(&p[6], &oa1, why, sizeof why) && oa1.v4 == 0xc0a8010a &&
              !isakmp_decode_nat_oa(&p[7], &oa2, why, sizeof why) && oa2.v4 == 0xcb007105,
          "qm1_body: NAT-OAi 192.168.1.10, NAT-OAr 203.0.113.5");
    rc = isakmp_parse_payloads(ISAKMP_NP_HASH, v, len, 0, &ch, why, sizeof why);
    CHECK(rc == ISAKMP_N_PAYLOAD_MALFORMED, "qm1_body: its padding refused without ISAKMP_PARSE_PADDED (%s)", why);
    int ok = 1;
    for (size_t k = 0; k < len - 4; k++)
        ok &= isakmp_parse_payloads(ISAKMP_NP_HASH, v, k, ISAKMP_PARSE_PADDED, &ch, why, sizeof why) != 0;
    CHECK(ok, "qm1_body: all %zu copies cut inside the chain refused", len - 4);

    len = load("mm5_body", v, sizeof v);
    rc = isakmp_parse_payloads(ISAKMP_NP_ID, v, len, ISAKMP_PARSE_PADDED, &ch, why, sizeof why);
    p = ch.pl;
    struct isakmp_notify n;
    uint8_t cookies[16];
    memcpy(cookies, IC, 8);
    memcpy(cookies + 8, RC, 8);
    CHECK(!rc && ch.n == 4 && ch.pad == 7 && !isakmp_decode_id(&p[0], &id, why, sizeof why) &&
              id.type == ISAKMP_ID_DER_ASN1_DN && id.proto == 17 && id.port == 500 && is_pat(id.data, id.len, 40, 11),
          "mm5_body (scapy): ID_DER_ASN1_DN udp/500, 7 bytes of padding");
    CHECK(ch.n == 4 && !isakmp_decode_cert(&p[1], &c, why, sizeof why) && c.encoding == ISAKMP_CERT_X509_SIG &&
              is_pat(c.data, c.len, 300, 12) && p[2].type == ISAKMP_NP_SIG && is_pat(p[2].body, p[2].len, 128, 13),
          "mm5_body: CERT (X.509 signature, 300 bytes), SIG (128)");
    CHECK(ch.n == 4 && !isakmp_decode_notify(&p[3], &n, why, sizeof why) && n.doi == 1 &&
              n.proto == ISAKMP_PROTO_ISAKMP && n.spi_size == 16 && !memcmp(n.spi, cookies, 16) &&
              n.type == ISAKMP_N_INITIAL_CONTACT && n.len == 0,
          "mm5_body: INITIAL-CONTACT with the cookies as SPI");

    len = load("info_body", v, sizeof v);
    rc = isakmp_parse_payloads(ISAKMP_NP_HASH, v, len, ISAKMP_PARSE_PADDED, &ch, why, sizeof why);
    p = ch.pl;
    uint32_t seq = 0;
    struct isakmp_delete d1, d2;
    CHECK(!rc && ch.n == 4 && ch.pad == 8 && !isakmp_decode_notify(&p[1], &n, why, sizeof why) &&
              n.type == ISAKMP_N_R_U_THERE && !isakmp_notify_dpd(&n, &seq, why, sizeof why) && seq == 0x01020304 &&
              !memcmp(n.spi, cookies, 16),
          "info_body (scapy): R-U-THERE, sequence 0x01020304");
    CHECK(ch.n == 4 && !isakmp_decode_delete(&p[2], &d1, why, sizeof why) && d1.proto == ISAKMP_PROTO_IPSEC_ESP &&
              d1.nspis == 2 && !memcmp(d1.spis, "\xde\xad\xbe\xef\x01\x02\x03\x04", 8) &&
              !isakmp_decode_delete(&p[3], &d2, why, sizeof why) && d2.proto == ISAKMP_PROTO_ISAKMP &&
              d2.spi_size == 16 && d2.nspis == 1 && !memcmp(d2.spis, cookies, 16),
          "info_body: DELETE of two ESP SPIs, DELETE of the IKE SA (the cookies)");
}

static void test_names(void)
{
    CHECK(!strcmp(isakmp_payload_name(ISAKMP_NP_SA), "SA") &&
              !strcmp(isakmp_payload_name(ISAKMP_NP_VID), "vendor id") &&
              !strcmp(isakmp_payload_name(ISAKMP_NP_CR), "CERT_REQ") && !strcmp(isakmp_payload_name(99), "UNKNOWN"),
          "payload names as IOS prints them");
    CHECK(!strcmp(isakmp_exchange_name(ISAKMP_XCHG_MAIN), "Main Mode") &&
              !strcmp(isakmp_exchange_name(ISAKMP_XCHG_QUICK), "Quick Mode") &&
              !strcmp(isakmp_exchange_name(ISAKMP_XCHG_INFO), "Informational"),
          "exchange names");
    CHECK(!strcmp(isakmp_notify_name(ISAKMP_N_PAYLOAD_MALFORMED), "PAYLOAD-MALFORMED") &&
              !strcmp(isakmp_notify_name(ISAKMP_N_INITIAL_CONTACT), "INITIAL-CONTACT") &&
              !strcmp(isakmp_notify_name(ISAKMP_N_R_U_THERE_ACK), "R-U-THERE-ACK") &&
              !strcmp(isakmp_notify_name(ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS), "UNEQUAL-PAYLOAD-LENGTHS"),
          "notify names");
    CHECK(!strcmp(isakmp_attr_name(ISAKMP_PROTO_ISAKMP, ISAKMP_A_ENCRYPTION), "encryption") &&
              !strcmp(isakmp_attr_value_name(ISAKMP_PROTO_ISAKMP, ISAKMP_A_ENCRYPTION, 7), "AES-CBC") &&
              !strcmp(isakmp_attr_value_name(ISAKMP_PROTO_ISAKMP, ISAKMP_A_AUTH, 1), "pre-share") &&
              !strcmp(isakmp_attr_value_name(ISAKMP_PROTO_ISAKMP, ISAKMP_A_HASH, 2), "SHA") &&
              !strcmp(isakmp_attr_name(ISAKMP_PROTO_IPSEC_ESP, ISAKMP_IA_ENCAP_MODE), "encaps") &&
              !strcmp(isakmp_attr_value_name(ISAKMP_PROTO_IPSEC_ESP, ISAKMP_IA_ENCAP_MODE, 3),
                      "UDP-Encapsulated-Tunnel") &&
              !strcmp(isakmp_attr_value_name(ISAKMP_PROTO_IPSEC_AH, ISAKMP_IA_AUTH_ALG, 2), "HMAC-SHA") &&
              !strcmp(isakmp_attr_value_name(ISAKMP_PROTO_IPSEC_ESP, ISAKMP_IA_SA_LIFE_DURATION, 3600), "UNKNOWN"),
          "attribute names and values, phase 1 and the IPsec DOI");
    CHECK(!strcmp(isakmp_transform_name(ISAKMP_PROTO_IPSEC_ESP, ISAKMP_ESP_AES), "ESP_AES") &&
              !strcmp(isakmp_transform_name(ISAKMP_PROTO_IPSEC_AH, ISAKMP_AH_SHA), "AH_SHA_HMAC") &&
              !strcmp(isakmp_transform_name(ISAKMP_PROTO_ISAKMP, ISAKMP_KEY_IKE), "KEY_IKE") &&
              !strcmp(isakmp_proto_name(ISAKMP_PROTO_IPSEC_ESP), "PROTO_IPSEC_ESP") &&
              !strcmp(isakmp_id_name(ISAKMP_ID_USER_FQDN), "ID_USER_FQDN") &&
              !strcmp(isakmp_cert_name(ISAKMP_CERT_X509_SIG), "CT_X509_SIGNATURE"),
          "transform, protocol, ID and certificate names");
}

int main(void)
{
    check_seed();
    test_phase1_sa();
    test_every_payload();
    test_encrypted();
    test_writer_errors();
    test_header();
    test_chain();
    test_sa();
    test_payloads();
    test_attrs();
    test_vectors();
    test_names();
    return check_done();
}
