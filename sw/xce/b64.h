/* b64.h - base64 as openssl enc -a writes and reads it: 64-character
 * lines (or one line with -A); decoding skips whitespace and rejects any
 * other character that is not part of the alphabet. */
#ifndef XCE_B64_H
#define XCE_B64_H

#include <stddef.h>
#include <stdint.h>

/* Bytes per encoded line of 64 characters. */
#define B64_LINE_BYTES 48

/* Encode n (at most B64_LINE_BYTES) bytes into out (4 * ceil(n / 3)
 * characters, '=' padded, no newline, NUL-terminated); returns the
 * number of characters. */
size_t b64_encode(const uint8_t *in, size_t n, char *out);

struct b64_decoder {
    uint32_t acc;        /* bits of the quantum being assembled */
    unsigned nchars;     /* characters in it (0-3) */
    unsigned npad;       /* '=' seen in it */
    int finished;        /* a padded quantum ended the data */
    uint64_t offset;     /* characters consumed, for error messages */
    uint64_t bad_offset; /* where the offending character was (0-based) */
    char bad_char;
};

enum b64_status { B64_OK = 0, B64_BAD_CHAR, B64_TRAILING, B64_TRUNCATED };

/* Decode len characters; out must hold 3 * (len / 4 + 1) bytes. */
enum b64_status b64_decode_update(struct b64_decoder *d, const char *in, size_t len,
                                  uint8_t *out, size_t *outlen);
/* End of input: decode a final unpadded quantum of 2 or 3 characters. */
enum b64_status b64_decode_final(struct b64_decoder *d, uint8_t *out, size_t *outlen);

#endif
