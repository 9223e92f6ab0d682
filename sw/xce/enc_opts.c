/* enc_opts.c - the options of "xce enc", spelled as openssl enc spells
 * them (a leading "--" is accepted too). Only syntax is checked here;
 * what the values mean is checked in cmd_enc.c and enc_key.c. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "enc.h"

enum opt_id {
    O_ENCRYPT, O_DECRYPT, O_KEY, O_IV, O_SALT_HEX, O_NOPAD, O_IN, O_OUT, O_BASE64, O_ONELINE,
    O_PRINT, O_PRINT_ONLY, O_K, O_PASS, O_PBKDF2, O_ITER, O_MD, O_SALT, O_NOSALT, O_HELP, O_PROVIDER,
};

struct opt_def {
    const char *name;
    int has_arg;
    enum opt_id id;
};

static const struct opt_def opt_defs[] = {
    { "e", 0, O_ENCRYPT }, { "d", 0, O_DECRYPT }, { "K", 1, O_KEY }, { "iv", 1, O_IV },
    { "S", 1, O_SALT_HEX }, { "nopad", 0, O_NOPAD }, { "in", 1, O_IN }, { "out", 1, O_OUT },
    { "a", 0, O_BASE64 }, { "base64", 0, O_BASE64 }, { "A", 0, O_ONELINE }, { "p", 0, O_PRINT },
    { "P", 0, O_PRINT_ONLY }, { "k", 1, O_K }, { "pass", 1, O_PASS }, { "pbkdf2", 0, O_PBKDF2 },
    { "iter", 1, O_ITER }, { "md", 1, O_MD }, { "salt", 0, O_SALT }, { "nosalt", 0, O_NOSALT },
    { "help", 0, O_HELP }, { "h", 0, O_HELP }, { "provider", 1, O_PROVIDER },
};

static const struct opt_def *find_opt(const char *name)
{
    for (size_t i = 0; i < sizeof opt_defs / sizeof opt_defs[0]; i++)
        if (strcmp(opt_defs[i].name, name) == 0)
            return &opt_defs[i];
    return NULL;
}

static int parse_iter(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 1 || v > INT_MAX) {
        fprintf(stderr, "xce enc: -iter: '%s' is not a positive number\n", s);
        return -1;
    }
    *out = (int)v;
    return 0;
}

static void set_flag(struct enc_opts *o, enum opt_id id)
{
    switch (id) {
    case O_ENCRYPT: o->decrypt = 0; break;
    case O_DECRYPT: o->decrypt = 1; break;
    case O_NOPAD: o->nopad = 1; break;
    case O_BASE64: o->base64 = 1; break;
    case O_ONELINE: o->oneline = 1; break;
    case O_PRINT: o->print = PRINT_AND_RUN; break;
    case O_PRINT_ONLY: o->print = PRINT_ONLY; break;
    case O_PBKDF2: o->pbkdf2 = 1; break;
    case O_SALT: o->nosalt = 0; break;
    case O_NOSALT: o->nosalt = 1; break;
    case O_HELP: o->help = 1; break;
    default: break;
    }
}

static int set_value(struct enc_opts *o, enum opt_id id, char *v)
{
    switch (id) {
    case O_KEY: o->hex_key = v; break;
    case O_IV: o->hex_iv = v; break;
    case O_SALT_HEX: o->hex_salt = v; break;
    case O_IN: o->in_path = v; break;
    case O_OUT: o->out_path = v; break;
    case O_K: o->k_pass = v; break;
    case O_PASS: o->pass_arg = v; break;
    case O_MD: o->md = v; break;
    case O_PROVIDER: break;   /* openssl's -provider legacy etc.: libxce needs none */
    case O_ITER:
        o->pbkdf2 = 1;   /* as in openssl: -iter implies -pbkdf2 */
        return parse_iter(v, &o->iter);
    default: break;
    }
    return 0;
}

/* Something like a cipher name that xce does not support? */
static int looks_like_cipher(const char *name)
{
    return strncasecmp(name, "aes", 3) == 0 || strncasecmp(name, "des", 3) == 0 || EVP_get_cipherbyname(name) != NULL;
}

static int unknown(const char *arg, const char *name)
{
    if (looks_like_cipher(name)) {
        fprintf(stderr, "xce enc: unknown cipher '%s'; supported: ", name);
        cipher_print_names(stderr);
        fputc('\n', stderr);
    } else {
        fprintf(stderr, "xce enc: unknown option '%s' (see 'xce enc -help')\n", arg);
    }
    return -1;
}

int enc_parse_args(int argc, char **argv, struct enc_opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (arg[0] != '-' || arg[1] == '\0') {
            fprintf(stderr, "xce enc: unexpected argument '%s' (options start with '-')\n", arg);
            return -1;
        }
        const char *name = arg + (arg[1] == '-' ? 2 : 1);
        const struct opt_def *d = find_opt(name);
        if (!d) {
            const struct cipher_desc *c = cipher_find(name);
            if (!c)
                return unknown(arg, name);
            o->cipher = c;
            continue;
        }
        if (!d->has_arg) {
            set_flag(o, d->id);
            continue;
        }
        /* hex and numbers never start with '-': "-K -in f" lacks the key */
        int strict = d->id == O_KEY || d->id == O_IV || d->id == O_SALT_HEX || d->id == O_ITER || d->id == O_MD;
        if (i + 1 >= argc || (strict && argv[i + 1][0] == '-')) {
            fprintf(stderr, "xce enc: option '%s' needs an argument\n", arg);
            return -1;
        }
        if (set_value(o, d->id, argv[++i]) != 0)
            return -1;
    }
    if (o->pbkdf2 && o->iter == 0)
        o->iter = 10000;
    return 0;
}

static void wipe_string(char *s)
{
    if (s)
        OPENSSL_cleanse(s, strlen(s));
}

void enc_wipe_args(struct enc_opts *o)
{
    wipe_string(o->hex_key);
    wipe_string(o->k_pass);
    wipe_string(o->pass_arg);
}
