/* ipsec_tool.c - one packet through one SA, for the scapy cross-check
 * (tests/ipsec/test_scapy.sh): reads the packet (raw IPv4 bytes) from a
 * file, writes the result to another.
 *
 *   ipsec_tool out|in --proto esp|ah --mode tunnel|transport --spi N
 *              [--cipher null|des|3des|aes128|aes192|aes256 --ckey HEX]
 *              [--auth none|md5|sha1|sha256 --akey HEX] [--udp]
 *              [--local A.B.C.D --remote A.B.C.D] [--seq N] [--device SPEC]
 *              IN OUT
 *
 * Exit 0 and the packet written, or exit 1 with the drop reason on
 * stderr. Keys come on the command line: test keys only. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec.h"

static int unhex(const char *s, uint8_t *out, size_t cap, size_t *n)
{
    size_t l = strlen(s);
    if (l % 2 || l / 2 > cap)
        return 0;
    for (size_t i = 0; i < l / 2; i++) {
        unsigned v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1)
            return 0;
        out[i] = (uint8_t)v;
    }
    *n = l / 2;
    return 1;
}

static int pick(const char *v, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(v, names[i]))
            return i;
    return -1;
}

static int usage(void)
{
    fprintf(stderr, "usage: ipsec_tool out|in --proto esp|ah --mode tunnel|transport --spi N [--cipher C --ckey HEX]"
                    " [--auth A --akey HEX] [--udp] [--local IP --remote IP] [--seq N] [--device SPEC] IN OUT\n");
    return 2;
}

int main(int argc, char **argv)
{
    static const char *const ciphers[] = { "null", "des", "3des", "aes128", "aes192", "aes256" };
    static const char *const auths[] = { "none", "md5", "sha1", "sha256" };
    struct ipsec_sa_params p = { 0 };
    static uint8_t ckey[32], akey[32], in[70000], out[70000];
    const char *device = "sw", *files[2] = { NULL, NULL };
    unsigned long long seq = 0;
    int nfiles = 0;
    if (argc < 2)
        return usage();
    if (!strcmp(argv[1], "out"))
        p.dir = IPSEC_DIR_OUTBOUND;
    else if (!strcmp(argv[1], "in"))
        p.dir = IPSEC_DIR_INBOUND;
    else
        return usage();
    p.proto = IPSEC_PROTO_ESP;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        struct in_addr ia;
        int k;
        if (!strcmp(a, "--udp")) {
            p.udp_encap = 1;
            continue;
        }
        if (a[0] != '-') {
            if (nfiles == 2)
                return usage();
            files[nfiles++] = a;
            continue;
        }
        if (!v)
            return usage();
        i++;
        if (!strcmp(a, "--proto") && (!strcmp(v, "esp") || !strcmp(v, "ah")))
            p.proto = !strcmp(v, "esp") ? IPSEC_PROTO_ESP : IPSEC_PROTO_AH;
        else if (!strcmp(a, "--mode") && (!strcmp(v, "tunnel") || !strcmp(v, "transport")))
            p.mode = !strcmp(v, "tunnel") ? IPSEC_MODE_TUNNEL : IPSEC_MODE_TRANSPORT;
        else if (!strcmp(a, "--spi"))
            p.spi = (uint32_t)strtoul(v, NULL, 0);
        else if (!strcmp(a, "--cipher") && (k = pick(v, ciphers, 6)) >= 0)
            p.cipher = (enum ipsec_cipher)k;
        else if (!strcmp(a, "--auth") && (k = pick(v, auths, 4)) >= 0)
            p.auth = (enum ipsec_auth)k;
        else if (!strcmp(a, "--ckey") && unhex(v, ckey, sizeof ckey, &p.cipher_key_len))
            p.cipher_key = ckey;
        else if (!strcmp(a, "--akey") && unhex(v, akey, sizeof akey, &p.auth_key_len))
            p.auth_key = akey;
        else if (!strcmp(a, "--local") && inet_pton(AF_INET, v, &ia) == 1)
            p.local = ntohl(ia.s_addr);
        else if (!strcmp(a, "--remote") && inet_pton(AF_INET, v, &ia) == 1)
            p.remote = ntohl(ia.s_addr);
        else if (!strcmp(a, "--seq"))
            seq = strtoull(v, NULL, 0);
        else if (!strcmp(a, "--device"))
            device = v;
        else
            return usage();
    }
    if (nfiles != 2)
        return usage();
    FILE *f = fopen(files[0], "rb");
    if (!f) {
        perror(files[0]);
        return 2;
    }
    size_t len = fread(in, 1, sizeof in, f);
    fclose(f);
    xce_dev *dev;
    if (xce_open(device, NULL, &dev) != XCE_OK) {
        fprintf(stderr, "ipsec_tool: cannot open device %s\n", device);
        return 2;
    }
    struct ipsec_sa *sa;
    int r = ipsec_sa_create(dev, &p, &sa);
    if (r != XCE_OK) {
        fprintf(stderr, "ipsec_tool: SA: %s\n", xce_strerror(r));
        xce_close(dev);
        return 2;
    }
    if (seq)
        ipsec_sa_set_seq(sa, (uint32_t)seq);
    size_t olen = 0;
    enum ipsec_drop d = p.dir == IPSEC_DIR_OUTBOUND ? ipsec_output(sa, in, len, out, sizeof out, &olen)
                                                    : ipsec_input(sa, in, len, out, sizeof out, &olen, NULL);
    struct ipsec_sa_stats st;
    if (ipsec_sa_stats(sa, &st) == XCE_OK)
        fprintf(stderr, "ipsec_tool: %s %s spi 0x%x: %s\n", argv[1], st.transform, (unsigned)st.spi,
                ipsec_drop_name(d));
    ipsec_sa_destroy(sa);
    xce_close(dev);
    if (d != IPSEC_OK)
        return 1;
    f = fopen(files[1], "wb");
    if (!f || fwrite(out, 1, olen, f) != olen || fclose(f) != 0) {
        perror(files[1]);
        return 2;
    }
    return 0;
}
