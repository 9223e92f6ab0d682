/* swpath.c - the software path: OpenSSL EVP with one context per session,
 * re-keyed once and only re-IVed per operation, so small requests pay no
 * key schedule and the path stays close to raw EVP speed. */
#include <openssl/evp.h>

#include "xce_internal.h"

static const char *evp_name(enum xce_mode mode, size_t key_len)
{
    static const char *names[3][3] = {
        { "AES-128-ECB", "AES-192-ECB", "AES-256-ECB" },
        { "AES-128-CBC", "AES-192-CBC", "AES-256-CBC" },
        { "AES-128-CTR", "AES-192-CTR", "AES-256-CTR" },
    };
    int k = key_len == 16 ? 0 : key_len == 24 ? 1 : key_len == 32 ? 2 : -1;
    if (k < 0 || (unsigned)mode > XCE_MODE_CTR)
        return NULL;
    return names[mode][k];
}

int xce_sw_session_init(struct xce_session *s)
{
    const char *name = evp_name(s->mode, s->key_len);
    if (!name)
        return XCE_ERR_INVAL;
    EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, name, NULL);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int ok = c && ctx && EVP_CipherInit_ex2(ctx, c, s->key, NULL, !s->decrypt, NULL) == 1 &&
             EVP_CIPHER_CTX_set_padding(ctx, 0) == 1;
    EVP_CIPHER_free(c);   /* the context keeps its own reference */
    if (!ok) {
        EVP_CIPHER_CTX_free(ctx);
        return XCE_ERR_SOFTWARE;
    }
    s->sw = ctx;
    return XCE_OK;
}

int xce_sw_cipher(struct xce_session *s, const uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len)
{
    EVP_CIPHER_CTX *ctx = s->sw;
    static const uint8_t zero_iv[16];
    if (EVP_CipherInit_ex2(ctx, NULL, NULL, s->mode == XCE_MODE_ECB ? NULL : (iv ? iv : zero_iv), -1, NULL) != 1)
        return XCE_ERR_SOFTWARE;
    /* EVP lengths are int: feed very long inputs in pieces */
    while (len > 0) {
        int chunk = len > (1u << 30) ? (1 << 30) : (int)len;
        int outl = 0;
        if (EVP_CipherUpdate(ctx, out, &outl, in, chunk) != 1 || outl != chunk)
            return XCE_ERR_SOFTWARE;
        in += chunk;
        out += chunk;
        len -= (size_t)chunk;
    }
    return XCE_OK;
}

void xce_sw_session_free(struct xce_session *s)
{
    EVP_CIPHER_CTX_free(s->sw);   /* clears the key schedule */
    s->sw = NULL;
}
