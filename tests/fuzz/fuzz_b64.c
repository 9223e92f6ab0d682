/* fuzz_b64.c - libFuzzer target for the streaming base64 decoder of
 * `xce enc -d -a`. The input is split into two chunks at a point taken
 * from its first byte, so chunk boundaries are explored too. Properties
 * on success: the byte count matches the
 * alphabet characters read, the output never exceeds the documented
 * bound, and what decoded survives an encode/decode round trip. The
 * one-shot canonical decoder (the key store's) takes the whole input:
 * what it accepts is exactly what b64_encode writes for its output. */
#include <stdlib.h>
#include <string.h>

#include "b64.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t cut = data[0] % size;
    const char *in = (const char *)data + 1;
    size_t n = size - 1;
    if (cut > n)
        cut = n;
    uint8_t *out = malloc(3 * (n / 4 + 1) + 3 + 8);
    if (!out)
        return 0;
    struct b64_decoder d;
    memset(&d, 0, sizeof d);
    size_t total = 0, got = 0;
    enum b64_status st = b64_decode_update(&d, in, cut, out, &got);
    total += got;
    if (st == B64_OK) {
        st = b64_decode_update(&d, in + cut, n - cut, out + total, &got);
        total += got;
    }
    if (st == B64_OK) {
        st = b64_decode_final(&d, out + total, &got);
        total += got;
    }
    if (total > 3 * (n / 4 + 1))
        abort();
    if (st == B64_OK) {
        /* every 4 alphabet characters carry 3 bytes; a final 2 or 3 carry 1 or 2 */
        size_t alpha = 0;
        for (size_t i = 0; i < n; i++) {
            char c = in[i];
            alpha += (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
        }
        if (total != alpha * 6 / 8)
            abort();
        /* and what decoded re-encodes and decodes back to itself */
        char line[80];
        for (size_t off = 0; off < total; off += B64_LINE_BYTES) {
            size_t k = total - off < B64_LINE_BYTES ? total - off : B64_LINE_BYTES;
            size_t c = b64_encode(out + off, k, line);
            struct b64_decoder d2;
            memset(&d2, 0, sizeof d2);
            uint8_t back[B64_LINE_BYTES + 3];
            size_t g1 = 0, g2 = 0;
            if (b64_decode_update(&d2, line, c, back, &g1) != B64_OK ||
                b64_decode_final(&d2, back + g1, &g2) != B64_OK || g1 + g2 != k || memcmp(back, out + off, k))
                abort();
        }
    }
    size_t canon_len = 0;
    if (b64_decode_canonical(in, n, out, &canon_len) == B64_OK) {
        char *again = malloc(B64_ENCODED_LEN(canon_len) + 1);
        if (canon_len > n / 4 * 3 || (again && (b64_encode(out, canon_len, again) != n || memcmp(again, in, n))))
            abort();
        free(again);
    }
    free(out);
    return 0;
}
