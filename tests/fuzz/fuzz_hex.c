/* fuzz_hex.c - libFuzzer target for hex_parse (keys, IVs, salts from the
 * command line). Property: on success the bytes re-encode to the input
 * (case-folded); on failure the reported position points at a character
 * that really is not a hex digit. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "hex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = 0;
    uint8_t out[64];
    struct hex_result r;
    enum hex_status st = hex_parse(s, out, sizeof out, &r);
    size_t len = strlen(s);
    if (st == HEX_OK) {
        if (r.bytes * 2 != len)
            abort();
        for (size_t i = 0; i < r.bytes && i < sizeof out; i++) {
            char two[3] = { s[2 * i], s[2 * i + 1], 0 };
            if (strtoul(two, NULL, 16) != out[i])
                abort();
        }
    } else if (st == HEX_BAD_DIGIT) {
        if (r.bad_pos == 0 || r.bad_pos > len || isxdigit((unsigned char)s[r.bad_pos - 1]) ||
            s[r.bad_pos - 1] != r.bad_char)
            abort();
    }
    free(s);
    return 0;
}
