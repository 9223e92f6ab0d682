/* isakmp_tool.c - the ISAKMP codec (sw/ike) from the command line, for the
 * scapy cross-check (tests/ike/test_isakmp_scapy.sh, scapy_check.py):
 *
 *   isakmp_tool parse IN [--body FIRST]
 *       parse a message (or, with --body, a decrypted payload chain whose
 *       first payload has type FIRST, padding allowed), decode every
 *       payload and print it as text, one element a line:
 *         hdr icookie=HEX rcookie=HEX exchange=N flags=N msgid=N
 *         payload 1 doi=N situation=N     (SA) then its
 *         prop num=N proto=N spi=HEX      proposals,
 *         xform num=N id=N                transforms and
 *         attr type=N tv=0|1 value=HEX    attributes
 *         payload 5 idtype=N proto=N port=N data=HEX
 *         payload 6|7 encoding=N data=HEX
 *         payload 11 doi=N proto=N spi=HEX ntype=N data=HEX
 *         payload 12 doi=N proto=N spisize=N spis=HEX,HEX...
 *         payload 21|131 idtype=N addr=HEX
 *         payload T data=HEX              (any other type)
 *         encrypted np=N data=HEX         (E flag: the ciphertext)
 *         pad N                           (--body: bytes after the chain)
 *       exit 1 with "rejected: NOTIFY-NAME: reason" if the codec refuses.
 *   isakmp_tool build TEXT OUT
 *       build the message that text describes with the writer (no hdr
 *       line: a bare chain; "pad" is ignored); "attr type=N auto=DEC" is an
 *       attribute in the form the writer chooses. Exit 1 on a writer error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isakmp.h"

#define MAXMSG 65536

static void hex(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("%02x", p[i]);
}

/* "key=" then the bytes in hex */
static void hexf(const char *key, const uint8_t *p, size_t n)
{
    printf(" %s=", key);
    hex(p, n);
}

static struct isakmp_sa sa;

static void dump_sa(void)
{
    printf(" doi=%lu situation=%lu\n", (unsigned long)sa.doi, (unsigned long)sa.situation);
    for (size_t i = 0; i < sa.nprops; i++) {
        const struct isakmp_prop *pr = &sa.prop[i];
        printf("prop num=%u proto=%u", pr->num, pr->proto);
        hexf("spi", pr->spi, pr->spi_size);
        printf("\n");
        for (unsigned j = 0; j < pr->nxforms; j++) {
            const struct isakmp_xform *x = &sa.xf[pr->first_xform + j];
            printf("xform num=%u id=%u\n", x->num, x->id);
            for (unsigned k = 0; k < x->nattrs; k++) {
                const struct isakmp_attr *a = &sa.attr[x->first_attr + k];
                printf("attr type=%u tv=%u", a->type, a->tv);
                hexf("value", a->val, a->len);
                printf("\n");
            }
        }
    }
}

static int dump_payload(const struct isakmp_payload *p, char *why, size_t whylen)
{
    union isakmp_decoded u;
    int rc = isakmp_decode(p, &sa, &u, why, whylen);
    if (rc)
        return rc;
    printf("payload %u", p->type);
    switch (p->type) {
    case ISAKMP_NP_SA: dump_sa(); return 0;
    case ISAKMP_NP_ID:
        printf(" idtype=%u proto=%u port=%u", u.id.type, u.id.proto, u.id.port);
        hexf("data", u.id.data, u.id.len);
        break;
    case ISAKMP_NP_CERT:
    case ISAKMP_NP_CR:
        printf(" encoding=%u", u.cert.encoding);
        hexf("data", u.cert.data, u.cert.len);
        break;
    case ISAKMP_NP_N:
        printf(" doi=%lu proto=%u", (unsigned long)u.notify.doi, u.notify.proto);
        hexf("spi", u.notify.spi, u.notify.spi_size);
        printf(" ntype=%u", u.notify.type);
        hexf("data", u.notify.data, u.notify.len);
        break;
    case ISAKMP_NP_D:
        printf(" doi=%lu proto=%u spisize=%u spis=", (unsigned long)u.del.doi, u.del.proto, u.del.spi_size);
        for (unsigned i = 0; i < u.del.nspis; i++) {
            printf(i ? "," : "");
            hex(u.del.spis + (size_t)i * u.del.spi_size, u.del.spi_size);
        }
        break;
    case ISAKMP_NP_NAT_OA:
    case ISAKMP_NP_NAT_OA_DRAFT:
        printf(" idtype=%u", u.nat_oa.id_type);
        hexf("addr", u.nat_oa.addr, u.nat_oa.len);
        break;
    default: hexf("data", p->body, p->len);
    }
    printf("\n");
    return 0;
}

static int parse(const uint8_t *buf, size_t len, int body, unsigned first)
{
    static struct isakmp_msg m;
    char why[256];
    int rc;
    const struct isakmp_chain *c = &m.chain;
    if (body) {
        rc = isakmp_parse_payloads((uint8_t)first, buf, len, ISAKMP_PARSE_PADDED, &m.chain, why, sizeof why);
    } else if (!(rc = isakmp_parse(buf, len, &m, why, sizeof why))) {
        printf("hdr");
        hexf("icookie", m.hdr.icookie, sizeof m.hdr.icookie);
        hexf("rcookie", m.hdr.rcookie, sizeof m.hdr.rcookie);
        printf(" exchange=%u flags=%u msgid=%lu\n", m.hdr.exchange, m.hdr.flags, (unsigned long)m.hdr.msgid);
        if (m.hdr.flags & ISAKMP_FLAG_E) {
            printf("encrypted np=%u", m.hdr.np);
            hexf("data", m.body, m.body_len);
            printf("\n");
        }
    }
    for (size_t i = 0; !rc && i < c->n; i++)
        rc = dump_payload(&c->pl[i], why, sizeof why);
    if (rc) {
        fflush(stdout);
        fprintf(stderr, "rejected: %s: %s\n", isakmp_notify_name((uint16_t)rc), why);
        return 1;
    }
    if (body)
        printf("pad %zu\n", c->pad);
    return 0;
}

/* ---- build ---------------------------------------------------------------- */

/* The value of " key=" in a line (up to the next space), or NULL. */
static const char *field(const char *line, const char *key, size_t *vlen)
{
    size_t k = strlen(key);
    for (const char *s = line; (s = strstr(s, key)); s += k) {
        if ((s == line || s[-1] == ' ') && s[k] == '=') {
            const char *v = s + k + 1;
            *vlen = strcspn(v, " \n");
            return v;
        }
    }
    return NULL;
}

static int bad;   /* a line that does not describe what it should */

static unsigned long num(const char *line, const char *key)
{
    size_t n;
    const char *v = field(line, key, &n);
    if (!v || !n) {
        bad = 1;
        return 0;
    }
    return strtoul(v, NULL, 0);
}

/* hex bytes into out (cap bytes); their count */
static size_t bytes(const char *line, const char *key, uint8_t *out, size_t cap)
{
    size_t n, k = 0;
    const char *v = field(line, key, &n);
    if (!v || n % 2) {
        bad = 1;
        return 0;
    }
    for (size_t i = 0; i + 1 < n && k < cap; i += 2) {
        unsigned b;
        if (sscanf(v + i, "%2x", &b) != 1)
            bad = 1;
        out[k++] = (uint8_t)b;
    }
    return k;
}

static void build_line(struct isakmp_w *w, const char *line)
{
    static uint8_t a[MAXMSG], b[MAXMSG];
    size_t n;
    if (!strncmp(line, "prop ", 5)) {
        size_t spi = bytes(line, "spi", a, 255);
        isakmp_w_proposal(w, (uint8_t)num(line, "num"), (uint8_t)num(line, "proto"), a, (uint8_t)spi);
    } else if (!strncmp(line, "xform ", 6)) {
        isakmp_w_transform(w, (uint8_t)num(line, "num"), (uint8_t)num(line, "id"));
    } else if (!strncmp(line, "attr ", 5)) {
        uint16_t type = (uint16_t)num(line, "type");
        if (field(line, "auto", &n))
            isakmp_w_attr(w, type, strtoull(field(line, "auto", &n), NULL, 0));
        else if (num(line, "tv")) {
            if (bytes(line, "value", a, sizeof a) != 2)
                bad = 1;
            isakmp_w_attr(w, type, (uint16_t)(a[0] << 8 | a[1]));
        } else
            isakmp_w_attr_tlv(w, type, a, bytes(line, "value", a, sizeof a));
    } else if (!strncmp(line, "encrypted ", 10)) {
        isakmp_w_encrypted(w, (uint8_t)num(line, "np"), a, bytes(line, "data", a, sizeof a));
    } else if (!strncmp(line, "payload ", 8)) {
        uint8_t t = (uint8_t)strtoul(line + 8, NULL, 0);
        switch (t) {
        case ISAKMP_NP_SA: isakmp_w_sa(w, (uint32_t)num(line, "doi"), (uint32_t)num(line, "situation")); break;
        case ISAKMP_NP_ID: {
            struct isakmp_id id = { .type = (uint8_t)num(line, "idtype"), .proto = (uint8_t)num(line, "proto"),
                                    .port = (uint16_t)num(line, "port"), .data = a };
            id.len = bytes(line, "data", a, sizeof a);
            isakmp_w_id(w, &id);
            break;
        }
        case ISAKMP_NP_CERT:
        case ISAKMP_NP_CR: {
            struct isakmp_cert c = { .encoding = (uint8_t)num(line, "encoding"), .data = a };
            c.len = bytes(line, "data", a, sizeof a);
            isakmp_w_cert(w, t, &c);
            break;
        }
        case ISAKMP_NP_N: {
            struct isakmp_notify nt = { .doi = (uint32_t)num(line, "doi"), .proto = (uint8_t)num(line, "proto"),
                                        .type = (uint16_t)num(line, "ntype"), .spi = a, .data = b };
            nt.spi_size = (uint8_t)bytes(line, "spi", a, 255);
            nt.len = bytes(line, "data", b, sizeof b);
            isakmp_w_notify(w, &nt);
            break;
        }
        case ISAKMP_NP_D: {
            struct isakmp_delete d = { .doi = (uint32_t)num(line, "doi"), .proto = (uint8_t)num(line, "proto"),
                                       .spi_size = (uint8_t)num(line, "spisize"), .spis = a };
            const char *v = field(line, "spis", &n);
            size_t k = 0;
            for (size_t i = 0; v && i + 1 < n && k < sizeof a; i += 2) {
                unsigned x;
                if (v[i] == ',')
                    i++;
                if (sscanf(v + i, "%2x", &x) == 1)
                    a[k++] = (uint8_t)x;
            }
            d.nspis = (uint16_t)(d.spi_size ? k / d.spi_size : 0);
            isakmp_w_delete(w, &d);
            break;
        }
        case ISAKMP_NP_NAT_OA:
        case ISAKMP_NP_NAT_OA_DRAFT: {
            struct isakmp_nat_oa oa = { .id_type = (uint8_t)num(line, "idtype"), .addr = a };
            oa.len = bytes(line, "addr", a, sizeof a);
            isakmp_w_nat_oa(w, t, &oa);
            break;
        }
        default: isakmp_w_data(w, t, a, bytes(line, "data", a, sizeof a));
        }
    } else if (strncmp(line, "pad ", 4) && line[0] != '\n') {
        bad = 1;
    }
}

static int build(const char *in, const char *out)
{
    static uint8_t buf[MAXMSG];
    static char line[4 * MAXMSG];
    FILE *f = fopen(in, "r");
    if (!f) {
        perror(in);
        return 1;
    }
    struct isakmp_w w;
    int started = 0;
    while (fgets(line, sizeof line, f)) {
        if (!started++) {
            if (!strncmp(line, "hdr ", 4)) {
                struct isakmp_hdr h = { .exchange = (uint8_t)num(line, "exchange"),
                                        .flags = (uint8_t)num(line, "flags"), .msgid = (uint32_t)num(line, "msgid") };
                bytes(line, "icookie", h.icookie, sizeof h.icookie);
                bytes(line, "rcookie", h.rcookie, sizeof h.rcookie);
                isakmp_w_init(&w, buf, sizeof buf, &h);
                continue;
            }
            isakmp_w_init(&w, buf, sizeof buf, NULL);
        }
        build_line(&w, line);
        if (bad) {
            fprintf(stderr, "%s: cannot read: %s", in, line);
            fclose(f);
            return 1;
        }
    }
    fclose(f);
    size_t len;
    int err = isakmp_w_finish(&w, &len);
    if (err) {
        fprintf(stderr, "%s: writer: %s\n", in, isakmp_werr_name(err));
        return 1;
    }
    f = fopen(out, "wb");
    if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
        perror(out);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "parse")) {
        static uint8_t buf[MAXMSG + 1];
        int body = argc == 5 && !strcmp(argv[3], "--body");
        if (argc != 3 && !body)
            goto usage;
        FILE *f = fopen(argv[2], "rb");
        if (!f) {
            perror(argv[2]);
            return 2;
        }
        size_t len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        return parse(buf, len, body, body ? (unsigned)strtoul(argv[4], NULL, 0) : 0);
    }
    if (argc == 4 && !strcmp(argv[1], "build"))
        return build(argv[2], argv[3]);
usage:
    fprintf(stderr, "usage: isakmp_tool parse IN [--body FIRST] | isakmp_tool build TEXT OUT\n");
    return 2;
}
