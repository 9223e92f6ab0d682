/* hex.h - strict hexadecimal parsing for keys, IVs and salts given on the
 * command line, with enough detail for an error message that points at
 * the offending character. */
#ifndef XCE_HEX_H
#define XCE_HEX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum hex_status {
    HEX_OK = 0,
    HEX_EMPTY,        /* no digits at all */
    HEX_BAD_DIGIT,    /* a character that is not 0-9, a-f, A-F */
    HEX_ODD_LENGTH,   /* a byte needs two digits */
};

struct hex_result {
    size_t bytes;     /* bytes the string encodes (even when more than fit) */
    size_t bad_pos;   /* HEX_BAD_DIGIT: 1-based position of the character */
    char bad_char;
};

/* Parse s, which must consist of hex digits only. Up to cap bytes are
 * stored in out; r->bytes tells how many the string holds, so the caller
 * can compare it with the length it needs. */
enum hex_status hex_parse(const char *s, uint8_t *out, size_t cap, struct hex_result *r);

/* Print n bytes as upper-case hex digits (the way openssl -p shows keys). */
void hex_print_upper(FILE *f, const uint8_t *p, size_t n);

#endif
