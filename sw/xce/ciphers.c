/* ciphers.c - the table of supported ciphers: every one libxce can run,
 * named as openssl names them. */
#include "ciphers.h"

#include <strings.h>

static const struct cipher_desc ciphers[] = {
    { "aes-128-ecb", XCE_ALG_AES, XCE_MODE_ECB, 16, 16, 0 },
    { "aes-192-ecb", XCE_ALG_AES, XCE_MODE_ECB, 24, 16, 0 },
    { "aes-256-ecb", XCE_ALG_AES, XCE_MODE_ECB, 32, 16, 0 },
    { "aes-128-cbc", XCE_ALG_AES, XCE_MODE_CBC, 16, 16, 16 },
    { "aes-192-cbc", XCE_ALG_AES, XCE_MODE_CBC, 24, 16, 16 },
    { "aes-256-cbc", XCE_ALG_AES, XCE_MODE_CBC, 32, 16, 16 },
    { "aes-128-ctr", XCE_ALG_AES, XCE_MODE_CTR, 16, 16, 16 },
    { "aes-192-ctr", XCE_ALG_AES, XCE_MODE_CTR, 24, 16, 16 },
    { "aes-256-ctr", XCE_ALG_AES, XCE_MODE_CTR, 32, 16, 16 },
    { "des-ecb", XCE_ALG_DES, XCE_MODE_ECB, 8, 8, 0 },
    { "des-cbc", XCE_ALG_DES, XCE_MODE_CBC, 8, 8, 8 },
    { "des-ede3", XCE_ALG_3DES, XCE_MODE_ECB, 24, 8, 0 },
    { "des-ede3-cbc", XCE_ALG_3DES, XCE_MODE_CBC, 24, 8, 8 },
    { "des-ede", XCE_ALG_3DES, XCE_MODE_ECB, 16, 8, 0 },
    { "des-ede-cbc", XCE_ALG_3DES, XCE_MODE_CBC, 16, 8, 8 },
};

static const struct {
    const char *alias, *name;
} aliases[] = {
    { "aes128", "aes-128-cbc" },    { "aes192", "aes-192-cbc" },  { "aes256", "aes-256-cbc" },
    { "des", "des-cbc" },           { "des3", "des-ede3-cbc" },   { "des-ede3-ecb", "des-ede3" },
    { "des-ede-ecb", "des-ede" },
};

size_t cipher_count(void)
{
    return sizeof ciphers / sizeof ciphers[0];
}

const struct cipher_desc *cipher_at(size_t i)
{
    return i < cipher_count() ? &ciphers[i] : NULL;
}

const struct cipher_desc *cipher_find(const char *name)
{
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcasecmp(name, aliases[i].alias) == 0)
            name = aliases[i].name;
    for (size_t i = 0; i < cipher_count(); i++)
        if (strcasecmp(name, ciphers[i].name) == 0)
            return &ciphers[i];
    return NULL;
}

void cipher_print_names(FILE *f)
{
    for (size_t i = 0; i < cipher_count(); i++)
        fprintf(f, "%s%s", i ? " " : "", ciphers[i].name);
}
