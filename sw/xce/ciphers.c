/* ciphers.c - the table of supported ciphers. */
#include "ciphers.h"

#include <strings.h>

static const struct cipher_desc ciphers[] = {
    { "aes-128-ecb", XCE_MODE_ECB, 16 }, { "aes-192-ecb", XCE_MODE_ECB, 24 },
    { "aes-256-ecb", XCE_MODE_ECB, 32 }, { "aes-128-cbc", XCE_MODE_CBC, 16 },
    { "aes-192-cbc", XCE_MODE_CBC, 24 }, { "aes-256-cbc", XCE_MODE_CBC, 32 },
    { "aes-128-ctr", XCE_MODE_CTR, 16 }, { "aes-192-ctr", XCE_MODE_CTR, 24 },
    { "aes-256-ctr", XCE_MODE_CTR, 32 },
};

static const struct {
    const char *alias, *name;
} aliases[] = {
    { "aes128", "aes-128-cbc" }, { "aes192", "aes-192-cbc" }, { "aes256", "aes-256-cbc" },
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
