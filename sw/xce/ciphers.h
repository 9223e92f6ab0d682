/* ciphers.h - the cipher names xce understands (openssl spelling) and what
 * they mean for libxce. */
#ifndef XCE_CIPHERS_H
#define XCE_CIPHERS_H

#include <stddef.h>
#include <stdio.h>

#include "xce.h"

struct cipher_desc {
    const char *name;        /* "aes-128-cbc" */
    enum xce_alg alg;
    enum xce_mode mode;
    size_t key_len;          /* bytes */
    size_t block;            /* block size: 16 (AES), 8 (DES, 3DES) */
    size_t iv_len;           /* 0 for ECB, else the IV or counter block */
};

/* By name, case-insensitive; also openssl's aliases (aes128, des, des3,
 * des-ede3-ecb, ...). NULL if unknown. */
const struct cipher_desc *cipher_find(const char *name);
size_t cipher_count(void);
const struct cipher_desc *cipher_at(size_t i);
/* Print "aes-128-ecb aes-192-ecb ..." (for messages and help). */
void cipher_print_names(FILE *f);

#endif
