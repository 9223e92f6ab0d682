/* enc_key.c - key material of "xce enc": strict -K/-iv/-S, passwords from
 * -k/-pass, and openssl enc's key derivation (EVP_BytesToKey with one
 * iteration, or PBKDF2), so files interoperate with openssl both ways.
 * The cipher itself never runs here; only libxce encrypts. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "enc.h"
#include "hex.h"

/* Parse option opt's hex value into exactly want bytes; need says what
 * for the error message ("aes-256-cbc needs a 32-byte key"). */
static int load_hex(const char *opt, const char *need, const char *hex, uint8_t *out, size_t want)
{
    struct hex_result r;
    switch (hex_parse(hex, out, want, &r)) {
    case HEX_EMPTY:
        fprintf(stderr, "xce enc: %s: empty value; %s (%zu hex digits)\n", opt, need, 2 * want);
        return -1;
    case HEX_BAD_DIGIT:
        fprintf(stderr, "xce enc: %s: invalid hex digit '%c' at position %zu\n", opt, r.bad_char, r.bad_pos);
        return -1;
    case HEX_ODD_LENGTH:
        fprintf(stderr, "xce enc: %s: odd number of hex digits (%zu); each byte takes two\n", opt, strlen(hex));
        return -1;
    case HEX_OK:
        break;
    }
    if (r.bytes != want) {
        fprintf(stderr, "xce enc: %s: %s (%zu hex digits); %zu bytes given\n", opt, need, 2 * want, r.bytes);
        OPENSSL_cleanse(out, want);
        return -1;
    }
    return 0;
}

int enc_load_hex(const struct enc_opts *o, struct enc_keys *k)
{
    if (o->hex_key) {
        char need[64];
        snprintf(need, sizeof need, "%s needs a %zu-byte key", o->cipher->name, o->cipher->key_len);
        if (load_hex("-K", need, o->hex_key, k->opt_key, o->cipher->key_len) != 0)
            return -1;
        k->have_opt_key = 1;
    }
    if (o->hex_iv && o->cipher->iv_len) {
        char need[64];
        snprintf(need, sizeof need, "the IV of %s must be %zu bytes", o->cipher->name, o->cipher->iv_len);
        if (load_hex("-iv", need, o->hex_iv, k->opt_iv, o->cipher->iv_len) != 0)
            return -1;
        k->have_opt_iv = 1;
    } else if (o->hex_iv) {
        fprintf(stderr, "warning: iv not used by this cipher\n");   /* ECB, as openssl says */
    }
    if (o->hex_salt) {
        if (load_hex("-S", "the salt must be 8 bytes", o->hex_salt, k->salt, ENC_SALT_LEN) != 0)
            return -1;
        k->have_opt_salt = 1;
    }
    return 0;
}

int enc_password(const struct enc_opts *o, char **pass)
{
    *pass = NULL;
    if (o->k_pass && o->pass_arg) {
        fprintf(stderr, "xce enc: give the password with -k or with -pass, not both\n");
        return -1;
    }
    const char *what = NULL;
    enum pass_status st;
    if (o->k_pass) {
        *pass = strdup(o->k_pass);
        st = *pass ? PASS_OK : PASS_NOMEM;
    } else if (o->pass_arg) {
        st = pass_read(o->pass_arg, pass, &what);
    } else {
        return 0;
    }
    switch (st) {
    case PASS_OK:
        return 0;
    case PASS_NOMEM:
        fprintf(stderr, "xce enc: out of memory\n");
        break;
    case PASS_UNSET:
        fprintf(stderr, "xce enc: -pass: environment variable '%s' is not set\n", what);
        break;
    case PASS_OPEN:
        fprintf(stderr, "xce enc: -pass: cannot open password file '%s': %s\n", what, strerror(errno));
        break;
    case PASS_EMPTY:
        fprintf(stderr, "xce enc: -pass: no password in file '%s' (it is empty)\n", what);
        break;
    case PASS_UNSUPPORTED:
        fprintf(stderr, "xce enc: -pass: unsupported source '%s'; use pass:PASSWORD, env:VAR or file:PATH\n",
                o->pass_arg);
        break;
    }
    return -1;
}

/* openssl enc without -pbkdf2: EVP_BytesToKey, one iteration. It needs
 * the cipher's key and IV lengths, so look the cipher up by name - for
 * its sizes only. */
static int derive_bytestokey(const struct enc_opts *o, const EVP_MD *md, const char *pass, struct enc_keys *k)
{
    const EVP_CIPHER *c = EVP_get_cipherbyname(o->cipher->name);
    if (!c || EVP_BytesToKey(c, md, k->salted ? k->salt : NULL, (const unsigned char *)pass,
                             (int)strlen(pass), 1, k->key, k->iv) <= 0) {
        fprintf(stderr, "xce enc: EVP_BytesToKey failed\n");
        return -1;
    }
    return 0;
}

static int derive_pbkdf2(const struct enc_opts *o, const EVP_MD *md, const char *pass, struct enc_keys *k)
{
    uint8_t tmp[32 + 16];
    size_t klen = o->cipher->key_len, ilen = o->cipher->iv_len;
    int ok = PKCS5_PBKDF2_HMAC(pass, (int)strlen(pass), k->salted ? k->salt : NULL,
                               k->salted ? ENC_SALT_LEN : 0, o->iter, md, (int)(klen + ilen), tmp) == 1;
    if (ok) {
        memcpy(k->key, tmp, klen);
        memcpy(k->iv, tmp + klen, ilen);
    } else {
        fprintf(stderr, "xce enc: PKCS5_PBKDF2_HMAC failed\n");
    }
    OPENSSL_cleanse(tmp, sizeof tmp);
    return ok ? 0 : -1;
}

int enc_derive(const struct enc_opts *o, const char *pass, struct enc_keys *k)
{
    const char *md_name = o->md ? o->md : "sha256";
    EVP_MD *md = EVP_MD_fetch(NULL, md_name, NULL);
    if (!md) {
        fprintf(stderr, "xce enc: -md: unknown message digest '%s'\n", md_name);
        return -1;
    }
    int r;
    if (o->pbkdf2) {
        r = derive_pbkdf2(o, md, pass, k);
    } else {
        fprintf(stderr, "*** WARNING : deprecated key derivation used.\n"
                        "Using -iter or -pbkdf2 would be better.\n");
        r = derive_bytestokey(o, md, pass, k);
    }
    EVP_MD_free(md);
    if (r == 0)
        enc_apply_hex(o, k);
    return r;
}

void enc_apply_hex(const struct enc_opts *o, struct enc_keys *k)
{
    if (k->have_opt_key)
        memcpy(k->key, k->opt_key, o->cipher->key_len);
    if (k->have_opt_iv)
        memcpy(k->iv, k->opt_iv, o->cipher->iv_len);
}

void enc_print_keys(const struct enc_opts *o, const struct enc_keys *k)
{
    if (!o->nosalt) {
        fputs("salt=", stdout);
        hex_print_upper(stdout, k->salt, ENC_SALT_LEN);
        fputc('\n', stdout);
    }
    fputs("key=", stdout);
    hex_print_upper(stdout, k->key, o->cipher->key_len);
    fputc('\n', stdout);
    if (o->cipher->iv_len) {
        fputs("iv =", stdout);
        hex_print_upper(stdout, k->iv, o->cipher->iv_len);
        fputc('\n', stdout);
    }
    fflush(stdout);
}

void enc_keys_wipe(struct enc_keys *k)
{
    OPENSSL_cleanse(k, sizeof *k);
}
