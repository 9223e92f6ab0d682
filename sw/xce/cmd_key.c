/* cmd_key.c - IOS RSA key management on the persistent key store
 * (sw/common/keystore.c):
 *
 *   crypto key generate rsa [general-keys|usage-keys] [label NAME] [modulus N] [exportable]
 *   crypto key zeroize rsa [NAME]
 *   crypto key pubkey-chain rsa               (exec mode: configuration sub-modes)
 *     named-key NAME [encryption|signature]   -> (config-pubkey-key)
 *     addressed-key A.B.C.D [encryption|signature]
 *       key-string                            -> (config-pubkey): hex lines, then "quit"
 *     no named-key NAME | no addressed-key A.B.C.D
 *   show crypto key mypubkey rsa [NAME]
 *   show crypto key pubkey-chain rsa [name NAME | address A.B.C.D]
 *   [no] key config-key password-encrypt      (config key from $XCE_CONFIG_KEY)
 *
 * Every change is load - modify - save under the store's lock, so a
 * command either happens completely or not at all, and several xce
 * processes can share one store. Key generation is OpenSSL's (e = 65537);
 * below 512 bits, which OpenSSL 3 refuses to generate, the two primes come
 * from BN_generate_prime_ex2 and the key is assembled from them. Private
 * keys are never printed. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include "cli.h"
#include "keystore.h"
#include "words.h"

#define DEFAULT_MODULUS 2048u
#define KEY_STRING_MAX_DIGITS 65536u   /* 32 KiB of DER: far above any RSA key */
#define ERRLEN 4608                     /* a path and a reason */

enum mode { M_CHAIN = 1, M_KEY, M_STRING };

/* The configuration sub-modes of "crypto key pubkey-chain rsa". */
struct key_mode {
    enum mode mode;
    enum ks_kind kind;               /* the key being configured (M_KEY, M_STRING) */
    char name[KS_NAME_MAX + 1];
    enum ks_usage usage;
    char *digits;                    /* key-string: the hex digits so far */
    size_t ndigits;
    unsigned first_line, last_line;  /* key-string: lines that carried digits */
    unsigned bad_line;               /* key-string: first line in error, 0 if none */
};

const char *cli_prompt(const struct cli *cli)
{
    if (!cli->key_mode)
        return XCE_PROMPT;
    switch (cli->key_mode->mode) {
    case M_CHAIN:
        return "xce(config-pubkey-chain)# ";
    case M_KEY:
        return "xce(config-pubkey-key)# ";
    default:
        return "xce(config-pubkey)# ";
    }
}

static void leave_modes(struct cli *cli)
{
    if (cli->key_mode) {
        free(cli->key_mode->digits);
        free(cli->key_mode);
        cli->key_mode = NULL;
    }
}

/* --- argument helpers ---------------------------------------------------- */

/* The '^' marker under argv[i] (argv lies in the line being dispatched). */
static int mark(struct cli *cli, char **argv, int i)
{
    const struct cmdline *cl = cli->line;
    if (cl && argv >= cl->argv && argv + i < cl->argv + cl->argc)
        cli_invalid_at(cli, cl, (int)(argv - cl->argv) + i);
    else
        fprintf(stderr, "%% Invalid input detected at '%s'.\n", argv[i]);
    return 1;
}

static int incomplete(void)
{
    fprintf(stderr, "%% Incomplete command.\n");
    return 1;
}

/* The word s names among words: exact, else a unique prefix; -1 if none. */
static int pick(const char *s, const char *const *words, int n)
{
    size_t len = strlen(s);
    int found = -1, count = 0;
    for (int i = 0; i < n; i++) {
        if (strcasecmp(s, words[i]) == 0)
            return i;
        if (len && strncasecmp(s, words[i], len) == 0) {
            found = i;
            count++;
        }
    }
    return count == 1 ? found : -1;
}

struct choice {
    const char *word, *help;
};

static int list(const struct choice *c, int n, int cr)
{
    for (int i = 0; i < n; i++)
        printf("  %-16s%s\n", c[i].word, c[i].help);
    if (cr)
        printf("  <cr>\n");
    return 0;
}

static int is_help(const char *s)
{
    return strcmp(s, "?") == 0;
}

/* --- the store ----------------------------------------------------------- */

struct store {
    char path[4096];
    struct keystore ks;
    int lock;
};

/* Load the store; for a change (write), under its lock. Prints why not. */
static int store_open(struct cli *cli, struct store *s, int write)
{
    char err[ERRLEN];
    ks_init(&s->ks);
    s->lock = -1;
    if (ks_path(cli->keystore_path, s->path, sizeof s->path, err, sizeof err) != 0) {
        fprintf(stderr, "xce: %s\n", err);
        return -1;
    }
    if (write && (s->lock = ks_lock(s->path, err, sizeof err)) < 0) {
        fprintf(stderr, "xce: %s\n", err);
        return -1;
    }
    if (ks_load(&s->ks, s->path, err, sizeof err) != 0) {
        fprintf(stderr, "xce: %s\n", err);
        if (write)
            fprintf(stderr, "%% The key store was not changed.\n");
        ks_unlock(s->lock);
        s->lock = -1;
        return -1;
    }
    return 0;
}

static void store_close(struct store *s)
{
    ks_free(&s->ks);   /* wipes the private keys */
    ks_unlock(s->lock);
    s->lock = -1;
}

/* Save and close. The old file is replaced by rename, so no key removed
 * from the store remains in the file; as with any file system, its old
 * blocks may stay on the disk until they are reused. */
static int store_commit(struct store *s)
{
    char err[ERRLEN];
    int st = ks_save(&s->ks, s->path, err, sizeof err);
    if (st != 0)
        fprintf(stderr, "xce: %s\n", err);
    store_close(s);
    return st == 0 ? 0 : 1;
}

/* --- output ------------------------------------------------------------- */

/* DER as IOS shows key data: upper-case hex, 8-digit groups, 8 a line. */
static void print_key_data(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i += 32) {
        fputs(" ", stdout);
        for (size_t j = i; j < n && j < i + 32; j += 4) {
            putchar(' ');
            for (size_t k = j; k < n && k < j + 4; k++)
                printf("%02X", p[k]);
        }
        putchar('\n');
    }
}

static void print_time(int64_t t)
{
    static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || tm.tm_mon < 0 || tm.tm_mon > 11) {
        printf("unknown");
        return;
    }
    printf("%02d:%02d:%02d UTC %s %d %d", tm.tm_hour, tm.tm_min, tm.tm_sec, months[tm.tm_mon], tm.tm_mday,
           tm.tm_year + 1900);
}

static void print_keypair(const struct ks_keypair *kp)
{
    static const char *const usage[] = { "General Purpose Key", "Signature Key", "Encryption Key" };
    printf("%% Key pair was generated at: ");
    print_time(kp->created);
    printf("\nKey name: %s\n", kp->label);
    printf(" Usage: %s\n", usage[kp->usage]);
    printf(" Key is %sexportable.\n", kp->exportable ? "" : "not ");
    printf(" Key Data:\n");
    print_key_data(kp->pub, kp->pub_len);
}

static void print_peer(const struct ks_peer *pe)
{
    static const char *const usage[] = { "general purpose", "signatures only", "encryption only" };
    printf("Key %s: %s\n", pe->kind == KS_ADDRESSED ? "address" : "name", pe->name);
    printf("Key usage: %s\n", usage[pe->usage]);
    printf("Key source: %s\n", pe->source == KS_CERTIFICATE ? "certificate" : "manually entered");
    printf("Key data:\n");
    print_key_data(pe->pub, pe->pub_len);
}

/* One line of the pubkey-chain table, without trailing blanks. */
static void table_row(const char *code, const char *usage, const char *addr, const char *ring, const char *name)
{
    char row[KS_NAME_MAX + 80];
    int n = snprintf(row, sizeof row, "%-4s  %-10s  %-15s  %-7s  %s", code, usage, addr, ring, name);
    if (n < 0)
        return;
    size_t len = strlen(row);
    while (len && row[len - 1] == ' ')
        row[--len] = '\0';
    printf("%s\n", row);
}

/* --- crypto key generate rsa ------------------------------------------------ */

struct progress {
    struct timespec last;
};

/* A dot for every second of a long generation. */
static void tick(struct progress *pr)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if ((now.tv_sec - pr->last.tv_sec) * 1000 + (now.tv_nsec - pr->last.tv_nsec) / 1000000 >= 1000) {
        putchar('.');
        fflush(stdout);
        pr->last = now;
    }
}

static int evp_tick(EVP_PKEY_CTX *ctx)
{
    tick(EVP_PKEY_CTX_get_app_data(ctx));
    return 1;
}

static int bn_tick(int a, int b, BN_GENCB *cb)
{
    (void)a;
    (void)b;
    tick(BN_GENCB_get_arg(cb));
    return 1;
}

/* Below 512 bits: two primes of half the size, e = 65537, the CRT values,
 * and the key assembled from them. */
static EVP_PKEY *generate_small(unsigned bits, struct progress *pr)
{
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *kctx = NULL;
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    BN_CTX *ctx = BN_CTX_secure_new();
    BN_GENCB *cb = BN_GENCB_new();
    BIGNUM *v[11];
    for (int i = 0; i < 11; i++)
        v[i] = BN_secure_new();
    BIGNUM *p = v[0], *q = v[1], *e = v[2], *n = v[3], *d = v[4], *p1 = v[5], *q1 = v[6], *l = v[7], *g = v[8],
           *dp = v[9], *dq = v[10];
    BIGNUM *qinv = BN_secure_new();
    int ok = ctx && cb && qinv && BN_set_word(e, RSA_F4);
    for (int i = 0; i < 11; i++)
        ok = ok && v[i];
    if (!ok)
        goto out;
    BN_GENCB_set(cb, bn_tick, pr);
    unsigned pbits = (bits + 1) / 2, qbits = bits - pbits;
    for (int tries = 0;; tries++) {
        if (tries == 100 || !BN_generate_prime_ex2(p, (int)pbits, 0, NULL, NULL, cb, ctx) ||
            !BN_generate_prime_ex2(q, (int)qbits, 0, NULL, NULL, cb, ctx))
            goto out;
        if (BN_cmp(p, q) == 0)
            continue;
        if (BN_cmp(p, q) < 0)
            BN_swap(p, q);   /* p > q: the coefficient is q^-1 mod p */
        if (!BN_mul(n, p, q, ctx) || !BN_sub(p1, p, BN_value_one()) || !BN_sub(q1, q, BN_value_one()))
            goto out;
        if ((unsigned)BN_num_bits(n) != bits)
            continue;
        /* d = e^-1 mod lcm(p-1, q-1); no inverse when e divides p-1 or q-1 */
        BN_set_flags(p1, BN_FLG_CONSTTIME);
        BN_set_flags(q1, BN_FLG_CONSTTIME);
        if (!BN_gcd(g, p1, q1, ctx) || !BN_mul(l, p1, q1, ctx) || !BN_div(l, NULL, l, g, ctx))
            goto out;
        BN_set_flags(l, BN_FLG_CONSTTIME);
        if (!BN_mod_inverse(d, e, l, ctx)) {
            ERR_clear_error();
            continue;
        }
        break;
    }
    BN_set_flags(d, BN_FLG_CONSTTIME);
    BN_set_flags(p, BN_FLG_CONSTTIME);
    if (!BN_mod(dp, d, p1, ctx) || !BN_mod(dq, d, q1, ctx) || !BN_mod_inverse(qinv, q, p, ctx))
        goto out;
    bld = OSSL_PARAM_BLD_new();
    if (!bld || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, d) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR1, p) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR2, q) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT1, dp) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT2, dq) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, qinv))
        goto out;
    params = OSSL_PARAM_BLD_to_param(bld);
    kctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    if (!params || !kctx || EVP_PKEY_fromdata_init(kctx) <= 0 ||
        EVP_PKEY_fromdata(kctx, &pkey, EVP_PKEY_KEYPAIR, params) <= 0) {
        EVP_PKEY_free(pkey);
        pkey = NULL;
    }
out:
    EVP_PKEY_CTX_free(kctx);
    OSSL_PARAM_free(params);   /* the secret numbers (BN_secure_new) sit in a block it clears */
    OSSL_PARAM_BLD_free(bld);
    for (int i = 0; i < 11; i++)
        BN_clear_free(v[i]);
    BN_clear_free(qinv);
    BN_GENCB_free(cb);
    BN_CTX_free(ctx);
    return pkey;
}

static EVP_PKEY *generate(unsigned bits)
{
    struct progress pr;
    clock_gettime(CLOCK_MONOTONIC, &pr.last);
    if (bits < 512)
        return generate_small(bits, &pr);
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    BIGNUM *e = BN_new();
    if (ctx && e && BN_set_word(e, RSA_F4) && EVP_PKEY_keygen_init(ctx) > 0 &&
        EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)bits) > 0 && EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, e) > 0) {
        EVP_PKEY_CTX_set_app_data(ctx, &pr);
        EVP_PKEY_CTX_set_cb(ctx, evp_tick);
        if (EVP_PKEY_generate(ctx, &pkey) <= 0)
            pkey = NULL;
    }
    BN_free(e);
    EVP_PKEY_CTX_free(ctx);
    return pkey;
}

/* modulus: decimal digits only; -1 if not a number. */
static long parse_modulus(const char *s)
{
    if (!*s || strlen(s) > 6 || strspn(s, "0123456789") != strlen(s))
        return -1;
    return strtol(s, NULL, 10);
}

static int run_generate(struct cli *cli, int argc, char **argv)
{
    static const char *const opts[] = { "exportable", "general-keys", "label", "modulus", "usage-keys" };
    static const struct choice help[] = {
        { "exportable", "allow the keys to be exported" },
        { "general-keys", "generate a general purpose RSA key pair" },
        { "label", "provide a label" },
        { "modulus", "provide the number of bits on the command line" },
        { "usage-keys", "generate separate signature and encryption key pairs" },
    };
    int usage_keys = -1, exportable = 0;
    const char *label = NULL;
    long modulus = 0;
    for (int i = 0; i < argc; i++) {
        if (is_help(argv[i]))
            return list(help, 5, 1);
        int o = pick(argv[i], opts, 5);
        if (o < 0)
            return mark(cli, argv, i);
        switch (o) {
        case 0:
            if (exportable)
                return mark(cli, argv, i);
            exportable = 1;
            break;
        case 1:
        case 4:
            if (usage_keys >= 0)
                return mark(cli, argv, i);
            usage_keys = o == 4;
            break;
        case 2:
            if (label)
                return mark(cli, argv, i);
            if (i + 1 >= argc)
                return incomplete();
            if (is_help(argv[i + 1]))
                return list(&(struct choice){ "WORD", "RSA key pair label" }, 1, 0);
            label = argv[++i];
            if (!ks_valid_name(label)) {
                fprintf(stderr, "%% Invalid key label: 1 to %d printable characters, no blanks.\n", KS_NAME_MAX);
                return 1;
            }
            break;
        case 3:
            if (modulus)
                return mark(cli, argv, i);
            if (i + 1 >= argc)
                return incomplete();
            if (is_help(argv[i + 1]))
                return list(&(struct choice){ "<360-4096>", "size of the key modulus in the range of 360 to 4096" },
                            1, 0);
            modulus = parse_modulus(argv[++i]);
            if (modulus < 0)
                return mark(cli, argv, i);
            if (modulus < KS_MIN_BITS || modulus > KS_MAX_BITS) {
                fprintf(stderr, "%% Invalid modulus size %ld: choose %d to %d bits.\n", modulus, KS_MIN_BITS,
                        KS_MAX_BITS);
                return 1;
            }
            break;
        }
    }
    char host[256];
    if (!label) {   /* IOS: the router's name */
        if (gethostname(host, sizeof host) != 0)
            host[0] = '\0';
        host[sizeof host - 1] = '\0';
        if (!ks_valid_name(host)) {
            fprintf(stderr, "%% The host name cannot name the keys: give one with \"label NAME\".\n");
            return 1;
        }
        label = host;
    }
    unsigned bits = modulus ? (unsigned)modulus : DEFAULT_MODULUS;

    struct store s;
    if (store_open(cli, &s, 1) != 0)
        return 1;
    char err[ERRLEN];
    const char *ck = ks_config_key();
    if (s.ks.encrypt) {   /* the new keys will be encrypted: the config key must fit the store */
        int bad = ks_check_config_key(&s.ks, ck, err, sizeof err) != 0;
        if (!bad && strlen(ck) < KS_CONFIG_KEY_MIN) {
            snprintf(err, sizeof err, "the config key must be at least %d characters", KS_CONFIG_KEY_MIN);
            bad = 1;
        }
        if (bad) {
            fprintf(stderr, "%% Cannot generate keys: %s.\n", err);
            store_close(&s);
            return 1;
        }
    }
    if (ks_count_label(&s.ks, label)) {
        printf("%% You already have RSA keys defined named %s.\n", label);
        if (!cli_confirm(cli, "% Do you really want to replace them?")) {
            fprintf(stderr, "%% Keys not replaced.\n");
            store_close(&s);
            return 1;
        }
    }
    printf("The name for the keys will be: %s\n", label);
    printf("%% The key modulus size is %u bits\n", bits);
    int npairs = usage_keys > 0 ? 2 : 1;
    EVP_PKEY *keys[2] = { NULL, NULL };
    int st = 1;
    for (int i = 0; i < npairs; i++) {
        printf("%% Generating %u bit RSA keys, keys will be %s...", bits, exportable ? "exportable" : "non-exportable");
        fflush(stdout);
        keys[i] = generate(bits);
        if (!keys[i]) {
            unsigned long e = ERR_get_error();
            printf("\n");
            fprintf(stderr, "%% Key generation failed: %s.\n", e ? ERR_reason_error_string(e) : "unknown error");
            ERR_clear_error();
            goto out;
        }
        printf("[OK]\n");
        fflush(stdout);
    }
    time_t now = time(NULL);
    ks_remove_label(&s.ks, label);   /* replaced: their private keys are wiped */
    for (int i = 0; i < npairs; i++) {
        enum ks_usage u = npairs == 1 ? KS_GENERAL : i == 0 ? KS_SIGNATURE : KS_ENCRYPTION;
        if (ks_add_pkey(&s.ks, label, u, exportable, now, keys[i], ck, err, sizeof err) != 0) {
            fprintf(stderr, "%% Cannot store the keys: %s.\n", err);
            goto out;
        }
    }
    st = store_commit(&s);
out:
    for (int i = 0; i < 2; i++)
        EVP_PKEY_free(keys[i]);   /* clears the private numbers */
    store_close(&s);
    return st;
}

/* --- crypto key zeroize rsa [NAME] --------------------------------------- */

static int run_zeroize(struct cli *cli, int argc, char **argv)
{
    if (argc >= 1 && is_help(argv[0]))
        return list(&(struct choice){ "WORD", "RSA key pair label" }, 1, 1);
    if (argc >= 2)
        return mark(cli, argv, 1);
    const char *name = argc ? argv[0] : NULL;
    struct store s;
    if (store_open(cli, &s, 1) != 0)
        return 1;
    if (name && !ks_count_label(&s.ks, name)) {
        fprintf(stderr, "%% No RSA keys named %s.\n", name);
        store_close(&s);
        return 1;
    }
    if (!name && s.ks.nkeys == 0) {
        printf("%% No RSA keys found in configuration.\n");
        store_close(&s);
        return 0;
    }
    if (name)
        printf("%% Keys to be removed are named %s.\n", name);
    else
        printf("%% All RSA keys will be removed.\n");
    if (!cli_confirm(cli, "% Do you really want to remove these keys?")) {
        fprintf(stderr, "%% Keys not removed.\n");
        store_close(&s);
        return 1;
    }
    ks_remove_label(&s.ks, name);   /* wipes them in memory; the rewrite drops them from the file */
    return store_commit(&s);
}

/* --- show crypto key ... --------------------------------------------------- */

static int run_show_mypubkey(struct cli *cli, int argc, char **argv)
{
    if (argc >= 1 && is_help(argv[0]))
        return list(&(struct choice){ "WORD", "RSA key pair label" }, 1, 1);
    if (argc >= 2)
        return mark(cli, argv, 1);
    struct store s;
    if (store_open(cli, &s, 0) != 0)
        return 1;
    for (size_t i = 0; i < s.ks.nkeys; i++)
        if (!argc || strcmp(s.ks.keys[i].label, argv[0]) == 0)
            print_keypair(&s.ks.keys[i]);
    store_close(&s);
    return 0;
}

static int run_show_pubkey_chain(struct cli *cli, int argc, char **argv)
{
    static const char *const opts[] = { "address", "name" };
    static const struct choice help[] = {
        { "address", "a peer's key by IP address" },
        { "name", "a peer's key by name" },
    };
    int by = -1;
    char addr[16];
    const char *want = NULL;
    if (argc >= 1) {
        if (is_help(argv[0]))
            return list(help, 2, 1);
        if ((by = pick(argv[0], opts, 2)) < 0)
            return mark(cli, argv, 0);
        if (argc < 2)
            return incomplete();
        if (is_help(argv[1]))
            return list(&(struct choice){ by == 0 ? "A.B.C.D" : "WORD", by == 0 ? "IP address" : "key name" }, 1, 0);
        if (argc > 2)
            return mark(cli, argv, 2);
        want = argv[1];
        if (by == 0) {
            if (ks_parse_ipv4(want, addr) != 0)
                return mark(cli, argv, 1);
            want = addr;
        }
    }
    struct store s;
    if (store_open(cli, &s, 0) != 0)
        return 1;
    if (!want) {
        static const char *const usage[] = { "General", "Signature", "Encryption" };
        printf("Codes: M - Manually configured, C - Extracted from certificate\n\n");
        table_row("Code", "Usage", "IP-Address/VRF", "Keyring", "Name");
        for (size_t i = 0; i < s.ks.npeers; i++) {
            const struct ks_peer *pe = &s.ks.peers[i];
            table_row(pe->source == KS_CERTIFICATE ? "C" : "M", usage[pe->usage],
                      pe->kind == KS_ADDRESSED ? pe->name : "", "default", pe->kind == KS_NAMED ? pe->name : "");
        }
    } else {
        int shown = 0;
        for (size_t i = 0; i < s.ks.npeers; i++) {
            const struct ks_peer *pe = &s.ks.peers[i];
            if ((int)pe->kind != (by == 0 ? KS_ADDRESSED : KS_NAMED) || strcmp(pe->name, want) != 0)
                continue;
            if (shown++)
                putchar('\n');
            print_peer(pe);
        }
    }
    store_close(&s);
    return 0;
}

/* --- [no] key config-key password-encrypt ---------------------------------- */

static int run_config_key(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    const char *ck = ks_config_key();
    if (!ck) {
        fprintf(stderr, "%% No config key: set it in the environment variable %s (it is never stored).\n",
                KS_CONFIG_KEY_ENV);
        return 1;
    }
    struct store s;
    if (store_open(cli, &s, 1) != 0)
        return 1;
    const char *old = getenv("XCE_CONFIG_KEY_OLD");
    if (old && !*old)
        old = NULL;
    char err[ERRLEN];
    if (ks_encrypt_all(&s.ks, ck, s.ks.encrypt ? old : NULL, err, sizeof err) != 0) {
        fprintf(stderr, "%% Cannot encrypt the private keys: %s.\n", err);
        if (s.ks.encrypt && !old)
            fprintf(stderr, "%% To change the config key, set XCE_CONFIG_KEY_OLD to the current one.\n");
        store_close(&s);
        return 1;
    }
    return store_commit(&s);
}

static int run_no_config_key(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct store s;
    if (store_open(cli, &s, 1) != 0)
        return 1;
    if (!s.ks.encrypt) {
        store_close(&s);
        return 0;   /* nothing is encrypted */
    }
    char err[ERRLEN];
    if (ks_decrypt_all(&s.ks, ks_config_key(), err, sizeof err) != 0) {
        fprintf(stderr, "%% Cannot decrypt the private keys: %s.\n", err);
        store_close(&s);
        return 1;
    }
    return store_commit(&s);
}

/* --- crypto key pubkey-chain rsa: the sub-modes ------------------------------ */

static int run_pubkey_chain(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (!cli->exec_mode) {
        fprintf(stderr, "%% crypto key pubkey-chain rsa opens a configuration mode: use it in exec mode "
                        "(xce exec, or the commands on standard input).\n");
        return 1;
    }
    leave_modes(cli);
    cli->key_mode = calloc(1, sizeof *cli->key_mode);
    if (!cli->key_mode) {
        fprintf(stderr, "xce: out of memory\n");
        return 1;
    }
    cli->key_mode->mode = M_CHAIN;
    return 0;
}

static const char *const usage_opts[] = { "encryption", "signature" };
static const struct choice usage_help[] = {
    { "encryption", "the key is used for encryption" },
    { "signature", "the key is used for signatures" },
};

/* NAME [encryption|signature] of named-key / addressed-key and their no
 * forms. Returns 0 with name (canonical) and *usage (-1: none given). */
static int key_args(struct cli *cli, int argc, char **argv, enum ks_kind kind, char *name, int *usage, int *done)
{
    *done = 0;
    *usage = -1;
    if (argc < 1)
        return incomplete();
    if (is_help(argv[0])) {
        *done = 1;
        return list(&(struct choice){ kind == KS_ADDRESSED ? "A.B.C.D" : "WORD",
                                      kind == KS_ADDRESSED ? "IP address of the peer" : "name of the peer's key" },
                    1, 0);
    }
    if (kind == KS_ADDRESSED) {
        if (ks_parse_ipv4(argv[0], name) != 0)
            return mark(cli, argv, 0);
    } else {
        if (!ks_valid_name(argv[0])) {
            fprintf(stderr, "%% Invalid key name: 1 to %d printable characters, no blanks.\n", KS_NAME_MAX);
            return 1;
        }
        snprintf(name, KS_NAME_MAX + 1, "%s", argv[0]);
    }
    if (argc >= 2) {
        if (is_help(argv[1])) {
            *done = 1;
            return list(usage_help, 2, 1);
        }
        int u = pick(argv[1], usage_opts, 2);
        if (u < 0)
            return mark(cli, argv, 1);
        *usage = u == 0 ? KS_ENCRYPTION : KS_SIGNATURE;
    }
    if (argc >= 3)
        return mark(cli, argv, 2);
    return 0;
}

static int enter_key(struct cli *cli, int argc, char **argv, enum ks_kind kind)
{
    char name[KS_NAME_MAX + 1];
    int usage, done;
    int st = key_args(cli, argc, argv, kind, name, &usage, &done);
    if (st != 0 || done)
        return st;
    struct key_mode *km = cli->key_mode;
    km->mode = M_KEY;
    km->kind = kind;
    snprintf(km->name, sizeof km->name, "%s", name);
    km->usage = usage < 0 ? KS_GENERAL : (enum ks_usage)usage;
    return 0;
}

static int run_named_key(struct cli *cli, int argc, char **argv)
{
    return enter_key(cli, argc, argv, KS_NAMED);
}

static int run_addressed_key(struct cli *cli, int argc, char **argv)
{
    return enter_key(cli, argc, argv, KS_ADDRESSED);
}

static int remove_key(struct cli *cli, int argc, char **argv, enum ks_kind kind)
{
    char name[KS_NAME_MAX + 1];
    int usage, done;
    int st = key_args(cli, argc, argv, kind, name, &usage, &done);
    if (st != 0 || done)
        return st;
    struct store s;
    if (store_open(cli, &s, 1) != 0)
        return 1;
    if (ks_remove_peer(&s.ks, kind, name, usage) == 0) {
        fprintf(stderr, "%% No public key %s %s.\n", kind == KS_ADDRESSED ? "for address" : "named", name);
        store_close(&s);
        return 1;
    }
    return store_commit(&s);
}

static int run_no_named_key(struct cli *cli, int argc, char **argv)
{
    return remove_key(cli, argc, argv, KS_NAMED);
}

static int run_no_addressed_key(struct cli *cli, int argc, char **argv)
{
    return remove_key(cli, argc, argv, KS_ADDRESSED);
}

static int run_key_string(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct key_mode *km = cli->key_mode;
    km->mode = M_STRING;
    km->ndigits = 0;
    km->first_line = km->last_line = km->bad_line = 0;
    if (cli->interactive)
        printf("Enter a public key as a hexidecimal number ....\n");
    return 0;
}

/* exit: up one sub-mode; end: back to exec mode. */
static int run_exit(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (cli->key_mode->mode == M_KEY)
        cli->key_mode->mode = M_CHAIN;
    else
        leave_modes(cli);
    return 0;
}

static int run_end(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    leave_modes(cli);
    return 0;
}

/* do COMMAND: an exec-level command from a sub-mode. */
static int run_do(struct cli *cli, int argc, char **argv)
{
    const struct cmdline *cl = cli->line;
    if (argc < 1)
        return incomplete();
    if (!cl || argv < cl->argv || argv + argc > cl->argv + cl->argc)
        return 1;
    struct cmdline sub = { argc, argv, cl->col + (argv - cl->argv), cl->text };
    int st = cli_dispatch(cli, &sub);
    if (st == DISPATCH_STOP) {
        fprintf(stderr, "%% Use \"end\" to leave the configuration sub-modes.\n");
        return 1;
    }
    return st;
}

/* A line of the key-string: hex digits in groups of any size. */
static int key_string_data(struct cli *cli, const struct cmdline *cl)
{
    struct key_mode *km = cli->key_mode;
    if (!km->digits) {
        km->digits = malloc(KEY_STRING_MAX_DIGITS);
        if (!km->digits) {
            fprintf(stderr, "xce: out of memory\n");
            return 1;
        }
    }
    if (!km->first_line)
        km->first_line = cli->lineno;
    km->last_line = cli->lineno;
    for (int i = 0; i < cl->argc; i++) {
        for (const char *p = cl->argv[i]; *p; p++) {
            char c = *p;
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                if (!km->bad_line)
                    km->bad_line = cli->lineno;
                cli_invalid_at(cli, cl, i);
                fprintf(stderr, "%% Invalid character '%c' in the key data (only hex digits; \"quit\" ends it).\n",
                        c >= 0x20 && c < 0x7f ? c : '?');
                return 1;
            }
            if (km->ndigits == KEY_STRING_MAX_DIGITS) {
                if (!km->bad_line)
                    km->bad_line = cli->lineno;
                fprintf(stderr, "%% Key data longer than %u hex digits.\n", KEY_STRING_MAX_DIGITS);
                return 1;
            }
            km->digits[km->ndigits++] = c;
        }
    }
    return 0;
}

static int hexval(char c)
{
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* quit: the key data must be an RSA public key; then it is stored. */
static int key_string_quit(struct cli *cli)
{
    struct key_mode *km = cli->key_mode;
    km->mode = M_KEY;
    char where[64];
    if (km->first_line == km->last_line)
        snprintf(where, sizeof where, "line %u", km->first_line);
    else
        snprintf(where, sizeof where, "lines %u-%u", km->first_line, km->last_line);
    if (km->bad_line) {
        fprintf(stderr, "%% Invalid key-string (error at line %u): nothing stored for %s.\n", km->bad_line, km->name);
        return 1;
    }
    if (km->ndigits == 0) {
        fprintf(stderr, "%% No key data before quit: nothing stored for %s.\n", km->name);
        return 1;
    }
    if (km->ndigits % 2) {
        fprintf(stderr, "%% Invalid key-string (%s): odd number of hex digits (%zu); nothing stored for %s.\n", where,
                km->ndigits, km->name);
        return 1;
    }
    size_t len = km->ndigits / 2;
    uint8_t *der = malloc(len);
    if (!der) {
        fprintf(stderr, "xce: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < len; i++)
        der[i] = (uint8_t)(hexval(km->digits[2 * i]) << 4 | hexval(km->digits[2 * i + 1]));
    km->ndigits = 0;
    char err[ERRLEN];
    uint8_t *spki;
    size_t spki_len;
    unsigned bits;
    if (ks_rsa_public(der, len, &spki, &spki_len, &bits, err, sizeof err) != 0) {
        fprintf(stderr, "%% Invalid key-string (%s): %s; nothing stored for %s.\n", where, err, km->name);
        free(der);
        return 1;
    }
    OPENSSL_free(spki);
    struct store s;
    int st = 1;
    if (store_open(cli, &s, 1) == 0) {
        if (ks_set_peer(&s.ks, km->kind, km->name, km->usage, KS_MANUAL, der, len, err, sizeof err) != 0) {
            fprintf(stderr, "%% Cannot store the key of %s: %s.\n", km->name, err);
            store_close(&s);
        } else {
            st = store_commit(&s);
        }
    }
    free(der);
    return st;
}

static const struct word chain_no_words[] = {
    { "addressed-key", "remove a peer's public key by address", NULL, run_no_addressed_key, W_ARGS },
    { "named-key", "remove a peer's public key by name", NULL, run_no_named_key, W_ARGS },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct word chain_words[] = {
    { "addressed-key", "a peer's public key by IP address", NULL, run_addressed_key, W_ARGS },
    { "do", "run an exec command", NULL, run_do, W_ARGS | W_NESTED },
    { "end", "leave the configuration sub-modes", NULL, run_end, 0 },
    { "exit", "leave pubkey-chain mode", NULL, run_exit, 0 },
    { "named-key", "a peer's public key by name", NULL, run_named_key, W_ARGS },
    { "no", "remove a peer's public key", chain_no_words, NULL, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct word pubkey_key_words[] = {
    { "do", "run an exec command", NULL, run_do, W_ARGS | W_NESTED },
    { "end", "leave the configuration sub-modes", NULL, run_end, 0 },
    { "exit", "back to pubkey-chain mode", NULL, run_exit, 0 },
    { "key-string", "enter the public key as hex, then \"quit\"", NULL, run_key_string, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};

/* Whether s is a word of level (exactly, or as a unique prefix). */
static int names_word(const struct word *level, const char *s)
{
    size_t len = strlen(s);
    int count = 0;
    for (const struct word *w = level; w->name; w++) {
        if (strcasecmp(w->name, s) == 0)
            return 1;
        count += len && strncasecmp(w->name, s, len) == 0;
    }
    return count == 1;
}

int cli_key_mode_line(struct cli *cli, const struct cmdline *cl)
{
    struct key_mode *km = cli->key_mode;
    if (km->mode == M_STRING) {
        if (cl->argc == 1 && strcasecmp(cl->argv[0], "quit") == 0)
            return key_string_quit(cli);
        return key_string_data(cli, cl);
    }
    if (km->mode == M_KEY && !names_word(pubkey_key_words, cl->argv[0]) && names_word(chain_words, cl->argv[0]))
        km->mode = M_CHAIN;   /* as IOS: a command of the parent mode goes back to it */
    return cli_dispatch_words(cli, cl, km->mode == M_CHAIN ? chain_words : pubkey_key_words);
}

int cli_key_mode_finish(struct cli *cli)
{
    int st = 0;
    if (cli->key_mode && cli->key_mode->mode == M_STRING) {
        fprintf(stderr, "%% The input ended inside key-string (no \"quit\"): nothing stored for %s.\n",
                cli->key_mode->name);
        st = 1;
    }
    leave_modes(cli);
    return st;
}

/* --- the exec-level words ------------------------------------------------------ */

static const struct word generate_words[] = {
    { "rsa", "generate RSA keys", NULL, run_generate, W_ARGS },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct word zeroize_words[] = {
    { "rsa", "remove RSA keys", NULL, run_zeroize, W_ARGS },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct word chain_rsa_words[] = {
    { "rsa", "peers' RSA public keys", NULL, run_pubkey_chain, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
const struct word key_crypto_words[] = {
    { "generate", "generate new keys", generate_words, NULL, 0 },
    { "pubkey-chain", "peers' public key chain", chain_rsa_words, NULL, 0 },
    { "zeroize", "remove keys", zeroize_words, NULL, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};

static const struct word show_mypubkey_words[] = {
    { "rsa", "RSA public keys of this device", NULL, run_show_mypubkey, W_ARGS },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct word show_chain_words[] = {
    { "rsa", "peers' RSA public keys", NULL, run_show_pubkey_chain, W_ARGS },
    { NULL, NULL, NULL, NULL, 0 },
};
const struct word key_show_words[] = {
    { "mypubkey", "public keys of this device", show_mypubkey_words, NULL, 0 },
    { "pubkey-chain", "peers' public keys", show_chain_words, NULL, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};

static const struct word config_key_words[] = {
    { "password-encrypt", "encrypt the private keys under the config key ($XCE_CONFIG_KEY)", NULL, run_config_key,
      0 },
    { NULL, NULL, NULL, NULL, 0 },
};
const struct word key_config_words[] = {
    { "config-key", "the key that encrypts private keys at rest", config_key_words, NULL, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct word no_config_key_words[] = {
    { "password-encrypt", "decrypt the private keys (needs $XCE_CONFIG_KEY)", NULL, run_no_config_key, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
const struct word key_no_words[] = {
    { "config-key", "the key that encrypts private keys at rest", no_config_key_words, NULL, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
