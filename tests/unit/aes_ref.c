/* aes_ref.c - see aes_ref.h */
#include "aes_ref.h"

#include <openssl/evp.h>
#include <openssl/provider.h>

int cipher_ref(const char *evp_name, int decrypt, const uint8_t *key, const uint8_t *iv,
               const uint8_t *in, uint8_t *out, size_t len)
{
    static OSSL_PROVIDER *legacy, *dflt;   /* kept for the life of the test */
    if (!legacy || !dflt) {
        legacy = OSSL_PROVIDER_load(NULL, "legacy");
        dflt = OSSL_PROVIDER_load(NULL, "default");
    }
    EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, evp_name, NULL);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int outl = 0;
    int ok = c && ctx && EVP_CipherInit_ex2(ctx, c, key, iv, !decrypt, NULL) == 1 &&
             EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
             EVP_CipherUpdate(ctx, out, &outl, in, (int)len) == 1 && (size_t)outl == len;
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(c);
    return ok;
}

int aes_ref(int mode, size_t key_len, int decrypt, const uint8_t *key, const uint8_t *iv,
            const uint8_t *in, uint8_t *out, size_t len)
{
    static const char *names[3][3] = {
        { "AES-128-ECB", "AES-192-ECB", "AES-256-ECB" },
        { "AES-128-CBC", "AES-192-CBC", "AES-256-CBC" },
        { "AES-128-CTR", "AES-192-CTR", "AES-256-CTR" },
    };
    if (mode < 0 || mode > 2 || (key_len != 16 && key_len != 24 && key_len != 32))
        return 0;
    return cipher_ref(names[mode][key_len / 8 - 2], decrypt, key, mode ? iv : NULL, in, out, len);
}
