/* fuzz_xced_answer.c - libFuzzer target for the client end of xced's
 * control protocol: xced_ctl_parse_answer (sw/common/xced_ctl.c), which
 * xce's client (xced_ctl_request) calls on everything the daemon sent
 * before closing. The input is that answer.
 *
 * The input is copied into a buffer of exactly its size, so ASan reports
 * any read past the answer. Properties (any violation aborts):
 *   - the kind is one of the four; the struct says nothing beyond it;
 *   - the header is a line within the first XCED_CTL_MAX_HEADER bytes
 *     that starts with "XCED1";
 *   - EXIT: 0 <= status < 256, out and err lie inside the answer, right
 *     after the header, back to back, and end exactly at its end: declared
 *     lengths that the data does not hold (absurd ones included) are
 *     refused, never trusted; a header carrying the same numbers in their
 *     canonical form (what xced writes) parses to the same answer;
 *   - REFUSED: err is exactly the rest of the answer;
 *   - the canonical answers built from the parse (and from the input as a
 *     body) parse back to what they were built from.
 * Build: clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE
 *        -Isw/common tests/fuzz/fuzz_xced_answer.c sw/common/xced_ctl.c */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xced_ctl.h"

#define CHECK(c)                                                              \
    do {                                                                      \
        if (!(c)) {                                                           \
            fprintf(stderr, "fuzz_xced_answer: property failed: %s\n", #c); \
            abort();                                                          \
        }                                                                     \
    } while (0)

static enum xced_ctl_answer_kind parse_exact(const char *b, size_t n, struct xced_ctl_answer *a)
{
    char *copy = malloc(n ? n : 1);   /* exactly n bytes: ASan sees any overread */
    CHECK(copy);
    if (n)
        memcpy(copy, b, n);
    enum xced_ctl_answer_kind k = xced_ctl_parse_answer(copy, n, a);
    /* make the pointers relative to b before freeing the copy */
    if (a->out)
        a->out = b + (a->out - copy);
    if (a->err)
        a->err = b + (a->err - copy);
    free(copy);
    return k;
}

/* Builds HEADER + b1 + b2 and checks that it parses as kind with these bodies. */
static void roundtrip(const char *hdr, int kind, int status, const char *b1, size_t l1, const char *b2, size_t l2)
{
    size_t hl = strlen(hdr);
    CHECK(hl <= XCED_CTL_MAX_HEADER);
    size_t n = hl + l1 + l2;
    char *buf = malloc(n);
    CHECK(buf);
    memcpy(buf, hdr, hl);
    if (l1)
        memcpy(buf + hl, b1, l1);
    if (l2)
        memcpy(buf + hl + l1, b2, l2);
    struct xced_ctl_answer a;
    CHECK((int)xced_ctl_parse_answer(buf, n, &a) == kind);
    if (kind == XCED_ANSWER_EXIT) {
        CHECK(a.status == status);
        CHECK(a.outlen == l1 && a.errlen == l2);
        CHECK(a.out == buf + hl && a.err == buf + hl + l1);
    } else if (kind == XCED_ANSWER_REFUSED) {
        CHECK(a.errlen == l1 + l2 && a.err == buf + hl);
    }
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *d = (const char *)data;
    struct xced_ctl_answer a;
    enum xced_ctl_answer_kind k = parse_exact(d, size, &a);
    CHECK(k == XCED_ANSWER_EXIT || k == XCED_ANSWER_UNKNOWN || k == XCED_ANSWER_REFUSED ||
          k == XCED_ANSWER_MALFORMED);

    if (k != XCED_ANSWER_MALFORMED) {
        const char *nl = memchr(d, '\n', size < XCED_CTL_MAX_HEADER ? size : XCED_CTL_MAX_HEADER);
        CHECK(nl);
        /* "XCED1" first; the parser (sscanf) is lenient about the blanks
         * between the words and the signs of the numbers: harmless, the
         * lengths must still add up exactly */
        CHECK(size >= 5 && memcmp(d, XCED_CTL_MAGIC, 5) == 0);
        size_t body = (size_t)(nl - d) + 1, blen = size - body;
        if (k == XCED_ANSWER_EXIT) {
            CHECK(a.status >= 0 && a.status < 256);
            CHECK(a.out == d + body);
            CHECK(a.outlen <= blen && a.errlen == blen - a.outlen);
            CHECK(a.err == a.out + a.outlen);
            /* the same answer with the header as xced writes it */
            char hdr[XCED_CTL_MAX_HEADER];
            int hl = snprintf(hdr, sizeof hdr, XCED_CTL_MAGIC " EXIT %d %zu %zu\n", a.status, a.outlen, a.errlen);
            CHECK(hl > 0 && (size_t)hl < sizeof hdr);
            roundtrip(hdr, XCED_ANSWER_EXIT, a.status, a.out, a.outlen, a.err, a.errlen);
        } else if (k == XCED_ANSWER_REFUSED) {
            CHECK(a.err == d + body && a.errlen == blen);
            CHECK(!a.out && a.outlen == 0 && a.status == 0);
        } else {
            CHECK(!a.out && !a.err && a.outlen == 0 && a.errlen == 0 && a.status == 0);
        }
    } else {
        CHECK(!a.out && !a.err && a.outlen == 0 && a.errlen == 0 && a.status == 0);
    }

    /* Declared lengths the data does not hold: one byte short, one too
     * many, absurd; each must be refused (MALFORMED), never trusted. */
    if (size <= XCED_CTL_MAX_ANSWER) {
        char hdr[XCED_CTL_MAX_HEADER];
        unsigned st = size ? data[0] : 0;
        size_t split = size ? data[size - 1] % (size + 1) : 0;
        snprintf(hdr, sizeof hdr, XCED_CTL_MAGIC " EXIT %u %zu %zu\n", st, split, size - split);
        roundtrip(hdr, XCED_ANSWER_EXIT, (int)st, d, split, d + split, size - split);
        snprintf(hdr, sizeof hdr, XCED_CTL_MAGIC " REFUSED %zu\n", size);
        roundtrip(hdr, XCED_ANSWER_REFUSED, 0, d, size, NULL, 0);
        static const char *const bad[] = {
            XCED_CTL_MAGIC " EXIT 0 %zu 0\n",  XCED_CTL_MAGIC " EXIT 0 0 %zu\n",
            XCED_CTL_MAGIC " REFUSED %zu\n",
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            size_t lens[] = { size + 1, size + 4096, (size_t)-1, (size_t)XCED_CTL_MAX_ANSWER + 1 };
            for (size_t j = 0; j < sizeof lens / sizeof lens[0]; j++) {
                snprintf(hdr, sizeof hdr, bad[i], lens[j]);
                roundtrip(hdr, XCED_ANSWER_MALFORMED, 0, d, size, NULL, 0);
            }
            if (size) {
                snprintf(hdr, sizeof hdr, bad[i], size - 1);
                roundtrip(hdr, XCED_ANSWER_MALFORMED, 0, d, size, NULL, 0);
            }
        }
        snprintf(hdr, sizeof hdr, XCED_CTL_MAGIC " EXIT 256 0 %zu\n", size);   /* status out of range */
        roundtrip(hdr, XCED_ANSWER_MALFORMED, 0, d, size, NULL, 0);
    }
    return 0;
}
