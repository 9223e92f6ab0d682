/* fuzz_xced_config.c - libFuzzer target for the IOS configuration parser
 * of xced (sw/xced/config.c), which reads the router's configuration file.
 * Properties:
 *   - no crash, no leak, no sanitizer report on any input;
 *   - a rejected input says where: "fuzz.cfg:LINE: ..." (or "fuzz.cfg: ...");
 *   - an accepted input writes a canonical form that parses again, to the
 *     same configuration, and writes the same text again.
 * Build: clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE
 *        -Isw/xced tests/fuzz/fuzz_xced_config.c sw/xced/config.c -lcrypto */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static char *write_str(const struct config *c, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        abort();
    if (config_write(c, f) != 0)
        abort();
    fclose(f);
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    err[0] = '\0';
    struct config *c = config_parse((const char *)data, size, "fuzz.cfg", err, sizeof err);
    if (!c) {
        if (strncmp(err, "fuzz.cfg:", 9) != 0)
            abort();
        return 0;
    }
    size_t n1, n2;
    char *w1 = write_str(c, &n1);
    struct config *c2 = config_parse(w1, n1, "canonical", err, sizeof err);
    if (!c2) {
        fprintf(stderr, "canonical form rejected: %s\n%s", err, w1);
        abort();
    }
    if (!config_equal(c, c2)) {
        fprintf(stderr, "canonical form parses to another config:\n%s", w1);
        abort();
    }
    char *w2 = write_str(c2, &n2);
    if (n1 != n2 || memcmp(w1, w2, n1) != 0) {
        fprintf(stderr, "not idempotent:\n%s\n---\n%s", w1, w2);
        abort();
    }
    free(w1);
    free(w2);
    config_free(c2);
    config_free(c);
    return 0;
}
