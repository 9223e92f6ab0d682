/* hex.c - strict hexadecimal parsing: every character must be a digit,
 * the count must be even; nothing is padded or silently dropped. */
#include "hex.h"

#include <string.h>

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

enum hex_status hex_parse(const char *s, uint8_t *out, size_t cap, struct hex_result *r)
{
    memset(r, 0, sizeof *r);
    size_t digits = strlen(s);
    for (size_t i = 0; i < digits; i++) {
        if (hex_value(s[i]) < 0) {
            r->bad_pos = i + 1;
            r->bad_char = s[i];
            return HEX_BAD_DIGIT;
        }
    }
    if (digits == 0)
        return HEX_EMPTY;
    if (digits % 2)
        return HEX_ODD_LENGTH;
    r->bytes = digits / 2;
    for (size_t i = 0; i < r->bytes && i < cap; i++)
        out[i] = (uint8_t)(hex_value(s[2 * i]) << 4 | hex_value(s[2 * i + 1]));
    return HEX_OK;
}

void hex_print_upper(FILE *f, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02X", p[i]);
}
