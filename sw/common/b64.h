/* b64.h - base64 (RFC 4648) as openssl enc -a writes and reads it:
 * 64-character lines (or one line with -A); the streaming decoder skips
 * whitespace and rejects any other character that is not part of the
 * alphabet. Also a one-shot decoder for canonical base64 in one piece,
 * as the key store writes its fields. */
#ifndef XCE_B64_H
#define XCE_B64_H

#include <stddef.h>
#include <stdint.h>

/* Bytes per encoded line of 64 characters. */
#define B64_LINE_BYTES 48

/* Characters that n bytes encode to ('=' padded). */
#define B64_ENCODED_LEN(n) (((n) + 2) / 3 * 4)

/* Encode n bytes (B64_LINE_BYTES for one 64-character line) into out
 * (B64_ENCODED_LEN(n) characters, '=' padded, no newline, NUL-terminated);
 * returns the number of characters. */
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

enum b64_status { B64_OK = 0, B64_BAD_CHAR, B64_TRAILING, B64_TRUNCATED, B64_NONCANONICAL };

/* Decode len characters; out must hold 3 * (len / 4 + 1) bytes. */
enum b64_status b64_decode_update(struct b64_decoder *d, const char *in, size_t len,
                                  uint8_t *out, size_t *outlen);
/* End of input: decode a final unpadded quantum of 2 or 3 characters. */
enum b64_status b64_decode_final(struct b64_decoder *d, uint8_t *out, size_t *outlen);

/* Decode all of in (len characters) as canonical base64: whole padded
 * quanta of 4 characters, no whitespace, and the bits that padding leaves
 * unused zero. out must hold len / 4 * 3 bytes. B64_TRUNCATED: len is not
 * a multiple of 4; B64_BAD_CHAR or B64_TRAILING: a character out of place
 * (whitespace included); B64_NONCANONICAL: unused bits set. */
enum b64_status b64_decode_canonical(const char *in, size_t len, uint8_t *out, size_t *outlen);

#endif
