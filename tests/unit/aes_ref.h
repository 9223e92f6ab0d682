/* aes_ref.h - OpenSSL EVP as the reference model in the C tests. */
#ifndef AES_REF_H
#define AES_REF_H

#include <stddef.h>
#include <stdint.h>

/* Any OpenSSL cipher by name (legacy provider loaded for DES), no padding.
 * Returns 1 on success. */
int cipher_ref(const char *evp_name, int decrypt, const uint8_t *key, const uint8_t *iv,
               const uint8_t *in, uint8_t *out, size_t len);

/* mode: 0 ECB, 1 CBC, 2 CTR; key_len 16/24/32; no padding. Returns 1 on success. */
int aes_ref(int mode, size_t key_len, int decrypt, const uint8_t *key, const uint8_t *iv,
            const uint8_t *in, uint8_t *out, size_t len);

#endif
