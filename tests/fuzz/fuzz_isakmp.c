/* fuzz_isakmp.c - libFuzzer target for the ISAKMP/IKEv1 codec (sw/ike).
 * Each input is tried as a whole message (isakmp_parse), as the plaintext
 * of an encrypted one (isakmp_parse_payloads with padding allowed: the
 * first byte is the first payload's type, the rest the chain), and as a
 * message again with the header's length field set to the input's size.
 * Every payload found goes through its decoder (isakmp_decode: SA with
 * proposals, transforms and attributes; ID, CERT/CR, notification with
 * DPD and RESPONDER-LIFETIME data, delete, NAT-OA, the data payloads).
 *
 * Properties (any violation aborts; ASan/UBSan catch any read out of the
 * input, which libFuzzer hands over in a buffer of exactly its size):
 *   - a refusal is an RFC 2408 notify error type (1..30) with a reason;
 *   - what parses: the header's length is the input's; the payloads lie
 *     inside the input, back to back from the first byte after the header
 *     to the end (or the padding), their lengths and next-payload fields
 *     as on the wire; a decoded SA's proposals, transforms and attributes
 *     lie inside its payload and add up to it;
 *   - rebuilt with the writer from the decoded structures (payloads that
 *     fail to decode: from their bytes), the message is as long as the
 *     input, differs from it only in bytes the writer sets to zero
 *     (RESERVED fields, ignored when parsing), and parses and decodes to
 *     the same structures; an encrypted message rebuilds byte for byte;
 *   - the writer's own choice of attribute form keeps every value that is
 *     an integer, basic (TV) exactly when it fits 16 bits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isakmp.h"

#define CHECK(c)                                                          \
    do {                                                                  \
        if (!(c)) {                                                       \
            fprintf(stderr, "fuzz_isakmp: property failed: %s\n", #c);   \
            abort();                                                      \
        }                                                                 \
    } while (0)

#define MAXLEN (1u << 17)

static struct isakmp_sa sa_a, sa_b;
static char why[256];

static int within(const uint8_t *p, size_t n, const uint8_t *base, size_t len)
{
    return p >= base && n <= len && (size_t)(p - base) <= len - n;
}

static void check_refusal(int rc)
{
    CHECK(rc >= ISAKMP_N_INVALID_PAYLOAD_TYPE && rc <= ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS);
    CHECK(why[0] && memchr(why, '\0', sizeof why));
}

static void check_chain(const struct isakmp_chain *c, const uint8_t *base, size_t len)
{
    const uint8_t *at = base;
    CHECK(c->n <= ISAKMP_MAX_PAYLOADS);
    for (size_t i = 0; i < c->n; i++) {
        const struct isakmp_payload *p = &c->pl[i];
        CHECK(p->idx == i + 1 && p->raw == at && p->body == p->raw + ISAKMP_GEN_HDR_LEN);
        CHECK(within(p->raw, p->len + ISAKMP_GEN_HDR_LEN, base, len));
        CHECK((size_t)(p->raw[2] << 8 | p->raw[3]) == p->len + ISAKMP_GEN_HDR_LEN);
        CHECK(p->raw[0] == (i + 1 < c->n ? c->pl[i + 1].type : ISAKMP_NP_NONE));
        CHECK(p->type != ISAKMP_NP_P && p->type != ISAKMP_NP_T && p->type != ISAKMP_NP_NONE);
        at = p->body + p->len;
    }
    CHECK((size_t)(at - base) + c->pad == len);
}

/* a decoded SA lies inside its payload and adds up */
static void check_sa(const struct isakmp_sa *sa, const struct isakmp_payload *p)
{
    CHECK(sa->nprops >= 1 && sa->nprops <= ISAKMP_MAX_PROPOSALS && sa->nxforms <= ISAKMP_MAX_TRANSFORMS &&
          sa->nattrs <= ISAKMP_MAX_ATTRS);
    size_t xf = 0, at = 0, bytes = 8;
    for (size_t i = 0; i < sa->nprops; i++) {
        const struct isakmp_prop *pr = &sa->prop[i];
        CHECK(pr->first_xform == xf && pr->nxforms >= 1 && within(pr->spi, pr->spi_size, p->body, p->len));
        CHECK(i == 0 || pr->num >= sa->prop[i - 1].num);
        bytes += 8 + pr->spi_size;
        for (unsigned j = 0; j < pr->nxforms; j++, xf++) {
            const struct isakmp_xform *x = &sa->xf[xf];
            CHECK(x->first_attr == at);
            bytes += 8;
            for (unsigned k = 0; k < x->nattrs; k++, at++) {
                const struct isakmp_attr *a = &sa->attr[at];
                CHECK(within(a->val, a->len, p->body, p->len) && a->type <= 0x7fff && (!a->tv || a->len == 2));
                bytes += 4 + (a->tv ? 0 : a->len);
            }
        }
    }
    CHECK(xf == sa->nxforms && at == sa->nattrs && bytes == p->len);
}

/* decode p, check what came out, write it again */
static void rebuild_payload(struct isakmp_w *w, const struct isakmp_payload *p)
{
    union isakmp_decoded u;
    int rc = isakmp_decode(p, &sa_a, &u, why, sizeof why);
    if (rc > 0)
        check_refusal(rc);
    if (rc) {   /* as it came */
        isakmp_w_data(w, p->type, p->body, p->len);
        return;
    }
    switch (p->type) {
    case ISAKMP_NP_SA:
        check_sa(&sa_a, p);
        isakmp_w_sa(w, sa_a.doi, sa_a.situation);
        for (size_t i = 0; i < sa_a.nprops; i++) {
            const struct isakmp_prop *pr = &sa_a.prop[i];
            isakmp_w_proposal(w, pr->num, pr->proto, pr->spi, pr->spi_size);
            for (unsigned j = 0; j < pr->nxforms; j++)
                isakmp_w_xform_copy(w, &sa_a, &sa_a.xf[pr->first_xform + j]);
        }
        break;
    case ISAKMP_NP_ID:
        CHECK(within(u.id.data, u.id.len, p->body, p->len) && u.id.len == p->len - 4);
        isakmp_w_id(w, &u.id);
        break;
    case ISAKMP_NP_CERT:
    case ISAKMP_NP_CR:
        CHECK(within(u.cert.data, u.cert.len, p->body, p->len) && u.cert.len == p->len - 1);
        isakmp_w_cert(w, p->type, &u.cert);
        break;
    case ISAKMP_NP_N: {
        CHECK(within(u.notify.spi, u.notify.spi_size, p->body, p->len) &&
              within(u.notify.data, u.notify.len, p->body, p->len) &&
              8u + u.notify.spi_size + u.notify.len == p->len);
        uint32_t seq;
        int d = isakmp_notify_dpd(&u.notify, &seq, why, sizeof why);
        CHECK(d == 0 || d == ISAKMP_N_PAYLOAD_MALFORMED);
        struct isakmp_attr attrs[64];
        size_t na;
        if (!isakmp_attrs_decode(u.notify.data, u.notify.len, attrs, 64, &na, why, sizeof why))
            for (size_t i = 0; i < na; i++)
                CHECK(within(attrs[i].val, attrs[i].len, u.notify.data, u.notify.len));
        isakmp_w_notify(w, &u.notify);
        break;
    }
    case ISAKMP_NP_D:
        CHECK(u.del.nspis && within(u.del.spis, (size_t)u.del.nspis * u.del.spi_size, p->body, p->len) &&
              8u + (size_t)u.del.nspis * u.del.spi_size == p->len);
        isakmp_w_delete(w, &u.del);
        break;
    case ISAKMP_NP_NAT_OA:
    case ISAKMP_NP_NAT_OA_DRAFT:
        CHECK(within(u.nat_oa.addr, u.nat_oa.len, p->body, p->len) && u.nat_oa.len == p->len - 4);
        isakmp_w_nat_oa(w, p->type, &u.nat_oa);
        break;
    default: isakmp_w_data(w, p->type, p->body, p->len);
    }
}

static int same_bytes(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
    return na == nb && (!na || !memcmp(a, b, na));
}

static int same_sa(const struct isakmp_sa *a, const struct isakmp_sa *b)
{
    if (a->doi != b->doi || a->situation != b->situation || a->nprops != b->nprops || a->nxforms != b->nxforms ||
        a->nattrs != b->nattrs)
        return 0;
    for (size_t i = 0; i < a->nprops; i++) {
        const struct isakmp_prop *p = &a->prop[i], *q = &b->prop[i];
        if (p->num != q->num || p->proto != q->proto || p->nxforms != q->nxforms ||
            p->first_xform != q->first_xform || !same_bytes(p->spi, p->spi_size, q->spi, q->spi_size))
            return 0;
    }
    for (size_t i = 0; i < a->nxforms; i++)
        if (a->xf[i].num != b->xf[i].num || a->xf[i].id != b->xf[i].id || a->xf[i].nattrs != b->xf[i].nattrs ||
            a->xf[i].first_attr != b->xf[i].first_attr)
            return 0;
    for (size_t i = 0; i < a->nattrs; i++)
        if (a->attr[i].type != b->attr[i].type || a->attr[i].tv != b->attr[i].tv ||
            !same_bytes(a->attr[i].val, a->attr[i].len, b->attr[i].val, b->attr[i].len))
            return 0;
    return 1;
}

/* the same payload, decoded the same way */
static int same_payload(const struct isakmp_payload *p, const struct isakmp_payload *q)
{
    if (p->type != q->type || p->len != q->len)
        return 0;
    union isakmp_decoded u, v;
    int rp = isakmp_decode(p, &sa_a, &u, why, sizeof why), rq = isakmp_decode(q, &sa_b, &v, why, sizeof why);
    if (rp != rq)
        return 0;
    if (rp)
        return same_bytes(p->body, p->len, q->body, q->len);
    switch (p->type) {
    case ISAKMP_NP_SA: return same_sa(&sa_a, &sa_b);
    case ISAKMP_NP_ID:
        return u.id.type == v.id.type && u.id.proto == v.id.proto && u.id.port == v.id.port &&
               u.id.v4[0] == v.id.v4[0] && u.id.v4[1] == v.id.v4[1] && same_bytes(u.id.data, u.id.len, v.id.data, v.id.len);
    case ISAKMP_NP_CERT:
    case ISAKMP_NP_CR: return u.cert.encoding == v.cert.encoding && same_bytes(u.cert.data, u.cert.len, v.cert.data, v.cert.len);
    case ISAKMP_NP_N:
        return u.notify.doi == v.notify.doi && u.notify.proto == v.notify.proto && u.notify.type == v.notify.type &&
               same_bytes(u.notify.spi, u.notify.spi_size, v.notify.spi, v.notify.spi_size) && same_bytes(u.notify.data, u.notify.len, v.notify.data, v.notify.len);
    case ISAKMP_NP_D:
        return u.del.doi == v.del.doi && u.del.proto == v.del.proto && u.del.spi_size == v.del.spi_size &&
               same_bytes(u.del.spis, (size_t)u.del.nspis * u.del.spi_size, v.del.spis, (size_t)v.del.nspis * v.del.spi_size);
    case ISAKMP_NP_NAT_OA:
    case ISAKMP_NP_NAT_OA_DRAFT:
        return u.nat_oa.id_type == v.nat_oa.id_type && u.nat_oa.v4 == v.nat_oa.v4 && same_bytes(u.nat_oa.addr, u.nat_oa.len, v.nat_oa.addr, v.nat_oa.len);
    }
    return same_bytes(p->body, p->len, q->body, q->len);
}

/* The writer's automatic attribute form on every integer attribute of an
 * SA: rebuilt that way, the values stay, TV exactly when they fit 16 bits. */
static void auto_attrs(const struct isakmp_payload *p)
{
    static uint8_t buf[MAXLEN];
    static struct isakmp_chain c;
    if (p->type != ISAKMP_NP_SA || isakmp_decode_sa(p, &sa_a, why, sizeof why))
        return;
    struct isakmp_w w;
    isakmp_w_init(&w, buf, sizeof buf, NULL);
    isakmp_w_sa(&w, sa_a.doi, sa_a.situation);
    for (size_t i = 0; i < sa_a.nprops; i++) {
        const struct isakmp_prop *pr = &sa_a.prop[i];
        isakmp_w_proposal(&w, pr->num, pr->proto, pr->spi, pr->spi_size);
        for (unsigned j = 0; j < pr->nxforms; j++) {
            const struct isakmp_xform *x = &sa_a.xf[pr->first_xform + j];
            isakmp_w_transform(&w, x->num, x->id);
            for (unsigned k = 0; k < x->nattrs; k++) {
                const struct isakmp_attr *a = &sa_a.attr[x->first_attr + k];
                uint64_t v;
                if (isakmp_attr_uint(a, &v))
                    isakmp_w_attr_copy(&w, a);
                else
                    isakmp_w_attr(&w, a->type, v);
            }
        }
    }
    size_t len;
    int err = isakmp_w_finish(&w, &len);
    if (err) {   /* only a length that no longer fits its field (8-byte values from 1-byte TLVs) */
        CHECK(err == ISAKMP_WERR_RANGE);
        return;
    }
    CHECK(!isakmp_parse_payloads(ISAKMP_NP_SA, buf, len, 0, &c, why, sizeof why) && c.n == 1);
    CHECK(!isakmp_decode_sa(&c.pl[0], &sa_b, why, sizeof why) && sa_b.nattrs == sa_a.nattrs);
    for (size_t i = 0; i < sa_a.nattrs; i++) {
        uint64_t v, u;
        if (isakmp_attr_uint(&sa_a.attr[i], &v))
            continue;
        CHECK(!isakmp_attr_uint(&sa_b.attr[i], &u) && u == v && sa_b.attr[i].tv == (v <= 0xffff));
    }
}

/* rebuilt bytes may differ from the input only where the writer put a zero */
static void check_rebuilt(const uint8_t *in, const uint8_t *out, size_t len)
{
    for (size_t i = 0; i < len; i++)
        CHECK(in[i] == out[i] || out[i] == 0);
}

static void whole_message(const uint8_t *data, size_t size)
{
    static struct isakmp_msg m, m2;
    static uint8_t buf[MAXLEN];
    why[0] = '\0';
    int rc = isakmp_parse(data, size, &m, why, sizeof why);
    if (rc) {
        check_refusal(rc);
        return;
    }
    CHECK(m.hdr.length == size && m.hdr.version == ISAKMP_VERSION && m.body == data + ISAKMP_HDR_LEN &&
          m.body_len == size - ISAKMP_HDR_LEN);
    struct isakmp_w w;
    isakmp_w_init(&w, buf, sizeof buf, &m.hdr);
    if (m.hdr.flags & ISAKMP_FLAG_E) {
        CHECK(m.chain.n == 0 && m.body_len > 0);
        isakmp_w_encrypted(&w, m.hdr.np, m.body, m.body_len);
    } else {
        check_chain(&m.chain, m.body, m.body_len);
        CHECK(m.chain.pad == 0 && (m.chain.n ? m.chain.pl[0].type : ISAKMP_NP_NONE) == m.hdr.np);
        for (size_t i = 0; i < m.chain.n; i++) {
            rebuild_payload(&w, &m.chain.pl[i]);
            auto_attrs(&m.chain.pl[i]);
        }
    }
    size_t len;
    CHECK(!isakmp_w_finish(&w, &len) && len == size);
    if (m.hdr.flags & ISAKMP_FLAG_E)
        CHECK(!memcmp(buf, data, size));
    check_rebuilt(data, buf, size);
    CHECK(!isakmp_parse(buf, len, &m2, why, sizeof why) && m2.chain.n == m.chain.n);
    CHECK(!memcmp(&m2.hdr, &m.hdr, sizeof m.hdr));
    for (size_t i = 0; i < m.chain.n; i++)
        CHECK(same_payload(&m.chain.pl[i], &m2.chain.pl[i]));
}

static void decrypted_body(const uint8_t *data, size_t size)
{
    static struct isakmp_chain c, c2;
    static uint8_t buf[MAXLEN];
    if (!size)
        return;
    why[0] = '\0';
    int rc = isakmp_parse_payloads(data[0], data + 1, size - 1, ISAKMP_PARSE_PADDED, &c, why, sizeof why);
    if (rc) {
        check_refusal(rc);
        return;
    }
    check_chain(&c, data + 1, size - 1);
    struct isakmp_w w;
    isakmp_w_init(&w, buf, sizeof buf, NULL);
    for (size_t i = 0; i < c.n; i++)
        rebuild_payload(&w, &c.pl[i]);
    size_t len;
    CHECK(!isakmp_w_finish(&w, &len) && len + c.pad == size - 1 && isakmp_w_first(&w) == (c.n ? data[0] : 0));
    check_rebuilt(data + 1, buf, len);
    CHECK(!isakmp_parse_payloads(isakmp_w_first(&w), buf, len, 0, &c2, why, sizeof why) && c2.n == c.n);
    for (size_t i = 0; i < c.n; i++)
        CHECK(same_payload(&c.pl[i], &c2.pl[i]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAXLEN)
        return 0;
    whole_message(data, size);
    decrypted_body(data, size);
    /* once more with the header's length field made right, so that
     * mutations which add or remove bytes reach the payloads (a copy of
     * exactly the input's size: ASan still sees any overread) */
    if (size >= ISAKMP_HDR_LEN) {
        uint8_t *copy = malloc(size);
        CHECK(copy);
        memcpy(copy, data, size);
        for (int i = 0; i < 4; i++)
            copy[24 + i] = (uint8_t)(size >> (24 - 8 * i));
        whole_message(copy, size);
        free(copy);
    }
    return 0;
}
