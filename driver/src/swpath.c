/* swpath.c - the software path: OpenSSL EVP with one context per session,
 * re-keyed once and only re-IVed per operation, so small requests pay no
 * key schedule and the path stays close to raw EVP speed. */
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <stdlib.h>
#include <pthread.h>

#include "xce_internal.h"

static const char *evp_name(const struct xce_session *s)
{
    static const char *aes[3][3] = {
        { "AES-128-ECB", "AES-192-ECB", "AES-256-ECB" },
        { "AES-128-CBC", "AES-192-CBC", "AES-256-CBC" },
        { "AES-128-CTR", "AES-192-CTR", "AES-256-CTR" },
    };
    int cbc = s->mode == XCE_MODE_CBC;
    switch (s->alg) {
    case XCE_ALG_AES: {
        int k = s->key_len == 16 ? 0 : s->key_len == 24 ? 1 : s->key_len == 32 ? 2 : -1;
        return k < 0 || (unsigned)s->mode > XCE_MODE_CTR ? NULL : aes[s->mode][k];
    }
    case XCE_ALG_DES:
        return cbc ? "DES-CBC" : "DES-ECB";
    case XCE_ALG_3DES:
        if (s->key_len == 16)
            return cbc ? "DES-EDE-CBC" : "DES-EDE-ECB";
        return cbc ? "DES-EDE3-CBC" : "DES-EDE3-ECB";
    }
    return NULL;
}

/* Single DES lives in OpenSSL 3's legacy provider; loading a provider
 * explicitly stops the default one loading by itself, so load both, once,
 * for the life of the process. Unloading them when the last device closed
 * left the process with no provider at all: a later AES session or engine
 * self-test failed. They are unloaded at exit by a handler registered
 * after OpenSSL's own (the first OpenSSL call registers that), so it runs
 * before OpenSSL tears itself down. */
static pthread_once_t prov_once = PTHREAD_ONCE_INIT;
static OSSL_PROVIDER *legacy_prov, *default_prov;

static void unload_providers(void)
{
    if (legacy_prov)
        OSSL_PROVIDER_unload(legacy_prov);
    if (default_prov)
        OSSL_PROVIDER_unload(default_prov);
    legacy_prov = default_prov = NULL;
}

static void load_providers_once(void)
{
    legacy_prov = OSSL_PROVIDER_load(NULL, "legacy");
    default_prov = OSSL_PROVIDER_load(NULL, "default");
    atexit(unload_providers);
}

static void load_providers(void)
{
    pthread_once(&prov_once, load_providers_once);
}

int xce_sw_session_init(struct xce_session *s)
{
    const char *name = evp_name(s);
    if (!name)
        return XCE_ERR_INVAL;
    if (s->alg != XCE_ALG_AES)
        load_providers();
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
