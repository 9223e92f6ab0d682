/* config.c - the IOS configuration parser and canonical writer of xced
 * (see config.h and README.md).
 *
 * A line is split into words (blanks separate them; no quoting, as in
 * IOS); its first words are matched against the command table of the
 * current mode, each word by an exact or unique prefix ("cry ips trans").
 * A line that does not fit the current mode is tried in the enclosing
 * modes up to the global one, as IOS does: a top-level command leaves a
 * sub-mode. When no mode takes it, the error that got furthest into the
 * line is reported. Handlers check all their arguments before they change
 * anything. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

enum mode {
    M_GLOBAL, M_IF, M_TSET, M_MAP, M_ISAKMP, M_PKC, M_PKKEY, M_KEYRING, M_PROFILE, M_KEYSTR, M_IGNORE, M_COUNT
};
/* E_UNKNOWN, E_AMBIG: a command word did not match; E_EXTRA: words left
 * over. With these the line is tried in the enclosing mode. E_ARG: the
 * command matched and an argument is wrong: reported at once. */
enum err_kind { E_NONE, E_UNKNOWN, E_AMBIG, E_EXTRA, E_ARG };

struct parser {
    struct config *c;
    enum mode mode;
    unsigned cur;               /* the object the mode edits (index) */
    int ended;                  /* after "end" */
    unsigned keystr_line;
    int nibble;                 /* key-string: -1, or a pending high nibble */
    /* this line */
    unsigned lineno;
    char raw[CFG_MAX_LINE_LEN + 2];   /* the line as read (descriptions) */
    int ntok;
    char *tok[CFG_MAX_WORDS];
    size_t col[CFG_MAX_WORDS];
    /* the outcome of one attempt */
    enum mode next;
    unsigned next_cur;
    int err_at;
    enum err_kind err_kind;
    char msg[256];
};

struct cmd {
    const char *name;
    const struct cmd *sub;                  /* the next keyword level */
    int (*run)(struct parser *, int);       /* takes the words from index i */
    unsigned flags;
};
#define C_IGNORE 1u   /* accepted and ignored, with any arguments (README) */
#define C_IGNORE0 2u  /* accepted and ignored, no arguments */

static int perr(struct parser *p, int at, enum err_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int perr(struct parser *p, int at, enum err_kind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->msg, sizeof p->msg, fmt, ap);
    va_end(ap);
    p->err_at = at;
    p->err_kind = kind;
    return -1;
}

/* --- arrays: grown by doubling; the old block is wiped (secrets) ---------- */
/* arrp is the address of the array pointer (any element type): it is read
 * and written with memcpy. */
static int reserve(void *arrp, unsigned n, size_t size)
{
    if (n && (n & (n - 1)))
        return 0;   /* capacity is the next power of two: room left */
    size_t cap = n ? 2 * (size_t)n : 1;
    unsigned char *a = malloc(cap * size), *old;
    if (!a)
        return -1;
    memcpy(&old, arrp, sizeof old);
    if (n) {
        memcpy(a, old, (size_t)n * size);
        OPENSSL_cleanse(old, (size_t)n * size);
    }
    memset(a + (size_t)n * size, 0, (cap - n) * size);
    free(old);
    memcpy(arrp, &a, sizeof a);
    return 0;
}

/* Inserts a zeroed element at pos; returns it, or NULL (limit, memory). */
static void *insert_at(struct parser *p, void *arrp, unsigned *n, unsigned pos, size_t size, unsigned max,
                       const char *what)
{
    if (*n >= max) {
        perr(p, 0, E_ARG, "too many %s (max %u)", what, max);
        return NULL;
    }
    if (reserve(arrp, *n, size) != 0) {
        perr(p, 0, E_ARG, "out of memory");
        return NULL;
    }
    unsigned char *a;
    memcpy(&a, arrp, sizeof a);
    memmove(a + (size_t)(pos + 1) * size, a + (size_t)pos * size, (size_t)(*n - pos) * size);
    memset(a + (size_t)pos * size, 0, size);
    (*n)++;
    return a + (size_t)pos * size;
}
#define APPEND(p, arr, n, max, what) insert_at(p, &(arr), &(n), (n), sizeof *(arr), max, what)

static void set_str(char *dst, size_t size, const char *src)
{
    memset(dst, 0, size);
    memcpy(dst, src, strnlen(src, size - 1));
}

/* --- word matching ------------------------------------------------------------ */
static int word_match(const char *name, const char *s)
{
    return strncasecmp(name, s, strlen(s)) == 0;
}

/* Index of s in names (NULL-terminated): exact, else the unique prefix.
 * -1 none, -2 ambiguous. */
static int kw_index(const char *const *names, const char *s)
{
    int found = -1, count = 0;
    for (int k = 0; names[k]; k++) {
        if (strcasecmp(names[k], s) == 0)
            return k;
        if (*s && word_match(names[k], s)) {
            found = k;
            count++;
        }
    }
    return count == 1 ? found : count ? -2 : -1;
}

static const struct cmd *match_cmd(struct parser *p, const struct cmd *level, int i)
{
    const char *s = p->tok[i];
    const struct cmd *found = NULL;
    int count = 0;
    char list[128] = "";
    for (const struct cmd *w = level; w->name; w++) {
        if (strcasecmp(w->name, s) == 0)
            return w;
        if (word_match(w->name, s)) {
            found = w;
            if (count++ < 4 && strlen(list) + strlen(w->name) + 3 < sizeof list) {
                if (list[0])
                    strcat(list, ", ");
                strcat(list, w->name);
            }
        }
    }
    if (count == 1)
        return found;
    if (count > 1)
        perr(p, i, E_AMBIG, "ambiguous abbreviation '%.40s' (%s%s)", s, list, count > 4 ? ", ..." : "");
    else if (i == 0)
        perr(p, i, E_UNKNOWN, "unknown command '%.40s'", s);
    else
        perr(p, i, E_UNKNOWN, "unknown command word '%.40s' after '%.40s'", s, p->tok[i - 1]);
    return NULL;
}

/* An argument keyword out of names; returns its index or -1. */
static int arg_kw(struct parser *p, int i, const char *const *names, const char *what)
{
    if (i >= p->ntok)
        return perr(p, i, E_ARG, "missing %s", what);
    int k = kw_index(names, p->tok[i]);
    if (k == -2)
        return perr(p, i, E_ARG, "ambiguous abbreviation '%.40s' for %s", p->tok[i], what);
    if (k < 0)
        return perr(p, i, E_ARG, "invalid %s '%.40s'", what, p->tok[i]);
    return k;
}

static int no_more(struct parser *p, int i)
{
    if (i < p->ntok)
        return perr(p, i, E_EXTRA, "unexpected argument '%.40s'", p->tok[i]);
    return 0;
}

/* --- argument types --------------------------------------------------------------- */
int cfg_parse_ip(const char *s, uint32_t *out)
{
    uint32_t v = 0;
    for (int part = 0; part < 4; part++) {
        if (part && *s++ != '.')
            return -1;
        if (*s < '0' || *s > '9')
            return -1;
        if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
            return -1;   /* no leading zeros (octal in some parsers) */
        unsigned n = 0;
        int d = 0;
        while (*s >= '0' && *s <= '9' && d < 4) {
            n = n * 10 + (unsigned)(*s++ - '0');
            d++;
        }
        if (n > 255)
            return -1;
        v = v << 8 | n;
    }
    if (*s)
        return -1;
    *out = v;
    return 0;
}

static int contiguous(uint32_t m)
{
    return (~m & (~m + 1)) == 0;   /* ones, then zeros */
}

static int arg_ip(struct parser *p, int i, uint32_t *out, const char *what)
{
    if (i >= p->ntok)
        return perr(p, i, E_ARG, "missing %s", what);
    if (cfg_parse_ip(p->tok[i], out) != 0)
        return perr(p, i, E_ARG, "invalid IP address '%.40s'", p->tok[i]);
    return 0;
}

static int arg_mask(struct parser *p, int i, uint32_t *out)
{
    if (i >= p->ntok)
        return perr(p, i, E_ARG, "missing mask");
    if (cfg_parse_ip(p->tok[i], out) != 0 || !contiguous(*out))
        return perr(p, i, E_ARG, "invalid mask '%.40s'", p->tok[i]);
    return 0;
}

static int parse_u32(const char *s, unsigned long long *out)
{
    unsigned long long v = 0;
    int d = 0;
    if (!*s)
        return -1;
    for (; *s; s++, d++) {
        if (*s < '0' || *s > '9' || d >= 10)
            return -1;
        v = v * 10 + (unsigned)(*s - '0');
    }
    *out = v;
    return 0;
}

static int arg_num(struct parser *p, int i, unsigned long long lo, unsigned long long hi, unsigned long long *out,
                   const char *what)
{
    if (i >= p->ntok)
        return perr(p, i, E_ARG, "missing %s", what);
    if (parse_u32(p->tok[i], out) != 0)
        return perr(p, i, E_ARG, "invalid %s '%.40s' (a number %llu-%llu)", what, p->tok[i], lo, hi);
    if (*out < lo || *out > hi)
        return perr(p, i, E_ARG, "%s %.40s out of range %llu-%llu", what, p->tok[i], lo, hi);
    return 0;
}

static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == ':' || c == '/' || c == '+' || c == '@';
}

/* Word i into dst (max characters at most) when ok() takes it; else
 * "invalid PRE WHAT 'word' POST" */
static int arg_checked(struct parser *p, int i, char *dst, size_t max, const char *what, int (*ok)(const char *, size_t),
                       const char *pre, const char *post)
{
    if (i >= p->ntok)
        return perr(p, i, E_ARG, "missing %s", what);
    const char *s = p->tok[i];
    size_t n = strlen(s);
    if (n > max)
        return perr(p, i, E_ARG, "%s too long (max %zu characters)", what, max);
    if (!ok(s, n))
        return perr(p, i, E_ARG, "invalid %s%s '%.40s'%s", pre, what, s, post);
    memcpy(dst, s, n + 1);
    return 0;
}

static int name_ok(const char *s, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (!name_char(s[k]))
            return 0;
    return 1;
}

/* A name: tags, transform sets, Linux interfaces (README: the characters) */
static int arg_name(struct parser *p, int i, char *dst, size_t max, const char *what)
{
    return arg_checked(p, i, dst, max, what, name_ok, "character in ", "");
}

/* A host or domain name: letters, digits, '-', '.', '_'; one letter at
 * least; not starting with '.' or '-' */
static int domain_ok(const char *s, size_t n)
{
    int letter = 0;
    for (size_t k = 0; k < n; k++) {
        char c = s[k];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            letter = 1;
        else if (!((c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'))
            return 0;
    }
    return letter && s[0] != '.' && s[0] != '-';
}

static int arg_domain(struct parser *p, int i, char *dst, size_t max, const char *what)
{
    return arg_checked(p, i, dst, max, what, domain_ok, "", "");
}

/* USER@DOMAIN: the user of name characters but '/' and ':' (and '@'),
 * the domain as above */
static int user_fqdn_ok(const char *s, size_t n)
{
    const char *at = memchr(s, '@', n);
    size_t u = at ? (size_t)(at - s) : 0;
    int ok = u > 0 && n > u + 1 && domain_ok(at + 1, n - u - 1);
    for (size_t k = 0; ok && k < u; k++)
        ok = name_char(s[k]) && s[k] != '/' && s[k] != ':';
    return ok;
}

static int arg_user_fqdn(struct parser *p, int i, char *dst, size_t max, const char *what)
{
    return arg_checked(p, i, dst, max, what, user_fqdn_ok, "", " (user@domain)");
}

/* The rest of the line from word i, as typed (descriptions) */
static int arg_text(struct parser *p, int i, char *dst, size_t max, const char *what)
{
    if (i >= p->ntok)
        return perr(p, i, E_ARG, "missing %s", what);
    const char *s = p->raw + p->col[i];
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n > max)
        return perr(p, i, E_ARG, "%s too long (max %zu characters)", what, max);
    memset(dst, 0, max + 1);
    memcpy(dst, s, n);
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A session key in hex; never echoed in messages */
static int arg_hexkey(struct parser *p, int i, uint8_t *out, size_t *len, const char *what)
{
    if (i >= p->ntok)
        return perr(p, i, E_ARG, "missing %s", what);
    const char *s = p->tok[i];
    size_t n = strlen(s);
    if (n % 2)
        return perr(p, i, E_ARG, "%s: odd number of hex digits", what);
    if (n / 2 > CFG_MAX_SESSION_KEY)
        return perr(p, i, E_ARG, "%s too long (max %u bytes)", what, CFG_MAX_SESSION_KEY);
    for (size_t k = 0; k < n; k += 2) {
        int hi = hexval(s[k]), lo = hexval(s[k + 1]);
        if (hi < 0 || lo < 0)
            return perr(p, i, E_ARG, "%s: hex digits expected", what);
        out[k / 2] = (uint8_t)(hi << 4 | lo);
    }
    *len = n / 2;
    return 0;
}

/* --- interface names -------------------------------------------------------------- */
static const char *const if_types[] = {
    "Async", "BRI", "Dialer", "Ethernet", "FastEthernet", "GigabitEthernet", "Loopback", "Serial", "Tunnel", "Vlan",
    NULL,
};

/* "e0", "Ethernet 0", "s0/1.2" -> "Ethernet0"...; *used: words taken */
static int arg_ifname(struct parser *p, int i, char *out, int *used)
{
    if (i >= p->ntok)
        return perr(p, i, E_ARG, "missing interface name");
    const char *s = p->tok[i];
    size_t t = 0;
    while ((s[t] >= 'a' && s[t] <= 'z') || (s[t] >= 'A' && s[t] <= 'Z') || s[t] == '-')
        t++;
    char type[32];
    if (t == 0 || t >= sizeof type)
        return perr(p, i, E_ARG, "invalid interface name '%.40s'", s);
    memcpy(type, s, t);
    type[t] = '\0';
    int k = kw_index(if_types, type);
    if (k == -2)
        return perr(p, i, E_ARG, "ambiguous interface type '%.40s'", type);
    if (k < 0)
        return perr(p, i, E_ARG, "unknown interface type '%.40s'", type);
    const char *unit = s + t;
    *used = 1;
    if (!*unit && i + 1 < p->ntok) {
        unit = p->tok[i + 1];
        *used = 2;
    }
    if (!*unit)
        return perr(p, i, E_ARG, "missing interface number");
    /* N[/N]...[.N]: each number 0-99999, written without leading zeros */
    char norm[CFG_IFNAME_MAX + 1];
    size_t o = (size_t)snprintf(norm, sizeof norm, "%s", if_types[k]);
    const char *u = unit;
    int dot = 0;
    for (;;) {
        unsigned long v = 0;
        int d = 0;
        while (*u >= '0' && *u <= '9' && d < 6) {
            v = v * 10 + (unsigned long)(*u++ - '0');
            d++;
        }
        if (!d || d > 5)
            return perr(p, i + *used - 1, E_ARG, "invalid interface number '%.40s'", unit);
        int w = snprintf(norm + o, sizeof norm - o, "%lu", v);
        if (w < 0 || (size_t)w >= sizeof norm - o - 1)
            return perr(p, i, E_ARG, "interface name too long");
        o += (size_t)w;
        if (!*u)
            break;
        if ((*u != '/' && *u != '.') || dot)
            return perr(p, i + *used - 1, E_ARG, "invalid interface number '%.40s'", unit);
        dot = *u == '.';
        norm[o++] = *u++;
        norm[o] = '\0';
    }
    memcpy(out, norm, o + 1);
    return 0;
}

/* --- lookups -------------------------------------------------------------------------- */
/* Interfaces, transform sets, keyrings and profiles start with their name */
#define NAME_FIRST(type, member) \
    _Static_assert(offsetof(type, member) == 0 && sizeof ((type *)0)->member == CFG_NAME_MAX + 1, #type)
NAME_FIRST(struct cfg_interface, name);
NAME_FIRST(struct cfg_transform_set, name);
NAME_FIRST(struct cfg_keyring, name);
NAME_FIRST(struct cfg_isakmp_profile, name);

/* the element named name of an array (n elements of size bytes) of those */
static void *find_named(const void *arr, unsigned n, size_t size, const char *name)
{
    const unsigned char *a = arr;
    for (unsigned k = 0; k < n; k++)
        if (strcmp((const char *)(a + (size_t)k * size), name) == 0)
            return (void *)(uintptr_t)(a + (size_t)k * size);
    return NULL;
}

const struct cfg_transform_set *config_find_tset(const struct config *c, const char *name)
{
    return find_named(c->tsets, c->ntsets, sizeof *c->tsets, name);
}

const struct cfg_interface *config_find_interface(const struct config *c, const char *name)
{
    return find_named(c->ifs, c->nifs, sizeof *c->ifs, name);
}

const struct cfg_keyring *config_find_keyring(const struct config *c, const char *name)
{
    return find_named(c->keyrings, c->nkeyrings, sizeof *c->keyrings, name);
}

const struct cfg_isakmp_profile *config_find_profile(const struct config *c, const char *name)
{
    return find_named(c->profiles, c->nprofiles, sizeof *c->profiles, name);
}

int config_acl_defined(const struct config *c, unsigned number)
{
    for (unsigned k = 0; k < c->naces; k++)
        if (c->aces[k].number == number)
            return 1;
    return 0;
}

static int map_defined(const struct config *c, const char *tag)
{
    for (unsigned k = 0; k < c->nmaps; k++)
        if (strcmp(c->maps[k].tag, tag) == 0)
            return 1;
    return 0;
}

size_t cfg_cipher_key_len(const struct cfg_transform_set *t)
{
    switch (t->cipher) {
    case CFG_ESP_DES: return 8;
    case CFG_ESP_3DES: return 24;
    case CFG_ESP_AES: return t->aes_bits / 8;
    default: return 0;
    }
}

size_t cfg_esp_auth_key_len(enum cfg_esp_auth a)
{
    return a == CFG_ESPA_MD5 ? 16 : a == CFG_ESPA_SHA ? 20 : a == CFG_ESPA_SHA256 ? 32 : 0;
}

size_t cfg_ah_key_len(enum cfg_ah a)
{
    return a == CFG_AH_MD5 ? 16 : a == CFG_AH_SHA ? 20 : 0;
}

const char *cfg_psk_text(const struct cfg_isakmp_key *k, char *buf, size_t size)
{
    if (!k->key6[0])
        return k->key;
    snprintf(buf, size, "6 %s", k->key6);
    return buf;
}

/* --- type 6 pre-shared keys (README: "Type 6 keys") ---------------------------------------
 * text = base64 (RFC 4648, '=' padded, canonical) of
 *   version (1) | salt (16) | IV (12) | AES-256-GCM(key) | tag (16)
 * The AES key is PBKDF2-HMAC-SHA-256(master key, salt, T6_ITER) and the
 * GCM additional data the first 29 bytes (version, salt, IV). One salt
 * per parse for the keys it encrypts, a fresh IV per key; the derived
 * keys are cached by salt, so a configuration costs one PBKDF2 per salt. */
#define T6_VERSION 1u
#define T6_SALT    16u
#define T6_IV      12u
#define T6_TAG     16u
#define T6_HEAD    (1u + T6_SALT + T6_IV)
#define T6_ITER    20000
#define T6_BLOB_MAX (CFG_TYPE6_MAX / 4u * 3u)
#define T6_CACHE   4u

struct t6 {
    const char *master;            /* the master key */
    struct {
        int used;
        uint8_t salt[T6_SALT], key[32];
    } cache[T6_CACHE];
    unsigned next;
    int have_salt;
    uint8_t salt[T6_SALT];         /* the salt of the keys this parse encrypts */
};

/* text -> blob; -1 unless canonical base64 of a blob of our version */
static int t6_decode(const char *text, uint8_t *blob, size_t *n)
{
    size_t len = strlen(text), pad = 0;
    char back[CFG_TYPE6_MAX + 1];
    if (len < 4 || len % 4 || len > CFG_TYPE6_MAX)
        return -1;
    for (size_t k = 0; k < len; k++) {
        char c = text[k];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
              (c == '=' && k + 2 >= len)))
            return -1;
        pad += c == '=';
    }
    int r = EVP_DecodeBlock(blob, (const unsigned char *)text, (int)len);
    if (r < (int)pad)
        return -1;
    *n = (size_t)r - pad;
    EVP_EncodeBlock((unsigned char *)back, blob, (int)*n);
    if (strcmp(back, text) != 0 || *n < T6_HEAD + 1 + T6_TAG || *n > T6_HEAD + CFG_ISAKMP_KEY_MAX + T6_TAG ||
        blob[0] != T6_VERSION)
        return -1;
    return 0;
}

static const uint8_t *t6_key(struct t6 *t, const uint8_t *salt)
{
    for (unsigned k = 0; k < T6_CACHE; k++)
        if (t->cache[k].used && memcmp(t->cache[k].salt, salt, T6_SALT) == 0)
            return t->cache[k].key;
    unsigned k = t->next++ % T6_CACHE;
    t->cache[k].used = 0;
    if (PKCS5_PBKDF2_HMAC(t->master, (int)strlen(t->master), salt, T6_SALT, T6_ITER, EVP_sha256(),
                          (int)sizeof t->cache[k].key, t->cache[k].key) != 1)
        return NULL;
    memcpy(t->cache[k].salt, salt, T6_SALT);
    t->cache[k].used = 1;
    return t->cache[k].key;
}

/* AES-256-GCM over in (n bytes) into out; the blob's header is the
 * additional data. Decrypting, tag is checked; encrypting, it is set. */
static int t6_gcm(const uint8_t *key, const uint8_t *head, const uint8_t *in, size_t n, uint8_t *out, uint8_t *tag,
                  int enc)
{
    EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
    int l = 0, ok = x && EVP_CipherInit_ex(x, EVP_aes_256_gcm(), NULL, key, head + 1 + T6_SALT, enc) == 1 &&
                    EVP_CipherUpdate(x, NULL, &l, head, (int)T6_HEAD) == 1 &&
                    EVP_CipherUpdate(x, out, &l, in, (int)n) == 1 &&
                    (enc || EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_SET_TAG, (int)T6_TAG, tag) == 1) &&
                    EVP_CipherFinal_ex(x, out + l, &l) == 1 &&
                    (!enc || EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_GET_TAG, (int)T6_TAG, tag) == 1);
    EVP_CIPHER_CTX_free(x);
    return ok ? 0 : -1;
}

/* type 6 text -> the key (CFG_ISAKMP_KEY_MAX + 1 bytes): 1-128 printable
 * characters, no blanks, as a key in clear must be */
static int t6_open(struct t6 *t, const char *text, char *key)
{
    uint8_t blob[T6_BLOB_MAX], plain[CFG_ISAKMP_KEY_MAX];
    size_t n;
    int st = -1;
    const uint8_t *k;
    if (t6_decode(text, blob, &n) == 0 && (k = t6_key(t, blob + 1)) != NULL) {
        size_t m = n - T6_HEAD - T6_TAG;
        st = t6_gcm(k, blob, blob + T6_HEAD, m, plain, blob + T6_HEAD + m, 0);
        for (size_t j = 0; st == 0 && j < m; j++)
            if (plain[j] <= ' ' || plain[j] >= 0x7f)
                st = -1;
        if (st == 0) {
            memcpy(key, plain, m);
            key[m] = '\0';
        }
    }
    OPENSSL_cleanse(blob, sizeof blob);
    OPENSSL_cleanse(plain, sizeof plain);
    return st;
}

/* the key -> type 6 text (CFG_TYPE6_MAX + 1 bytes) */
static int t6_seal(struct t6 *t, const char *key, char *text)
{
    uint8_t blob[T6_BLOB_MAX];
    size_t m = strlen(key);
    const uint8_t *k;
    if (!t->have_salt && RAND_bytes(t->salt, T6_SALT) != 1)
        return -1;
    t->have_salt = 1;
    blob[0] = T6_VERSION;
    memcpy(blob + 1, t->salt, T6_SALT);
    int st = RAND_bytes(blob + 1 + T6_SALT, T6_IV) == 1 && (k = t6_key(t, t->salt)) != NULL &&
                     t6_gcm(k, blob, (const uint8_t *)key, m, blob + T6_HEAD, blob + T6_HEAD + m, 1) == 0
                 ? 0
                 : -1;
    if (st == 0)
        EVP_EncodeBlock((unsigned char *)text, blob, (int)(T6_HEAD + m + T6_TAG));
    OPENSSL_cleanse(blob, sizeof blob);
    return st;
}

/* --- pre-shared keys, local addresses ----------------------------------------------------- */
static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A.B.C.D [MASK] (default 255.255.255.255), the address inside the mask;
 * returns the index after it, or -1 */
static int arg_addr_mask(struct parser *p, int i, uint32_t *a, uint32_t *m)
{
    if (arg_ip(p, i, a, "peer address") != 0)
        return -1;
    *m = 0xffffffffu;
    if (i + 1 >= p->ntok || !is_digit(p->tok[i + 1][0]))
        return i + 1;
    if (arg_mask(p, i + 1, m) != 0)
        return -1;
    if (*a & ~*m)
        return perr(p, i, E_ARG, "inconsistent address and mask");
    return i + 2;
}

/* address A.B.C.D [MASK] | hostname NAME; returns the index after it, or -1 */
static int arg_psk_peer(struct parser *p, int i, struct cfg_isakmp_key *k)
{
    static const char *const kw[] = { "address", "hostname", NULL };
    int w = arg_kw(p, i, kw, "peer (address or hostname)");
    if (w < 0)
        return -1;
    if (w == 0)
        return arg_addr_mask(p, i + 1, &k->addr, &k->mask);
    k->by_hostname = 1;
    return arg_domain(p, i + 1, k->hostname, CFG_DOMAIN_MAX, "peer host name") != 0 ? -1 : i + 2;
}

static int type_digit(const char *s)
{
    return (s[0] == '0' || s[0] == '6') && !s[1];
}

/* [0|6] KEY (typed: the first word is the type). A type 6 key is checked
 * here and decrypted after the last line. Keys are never echoed.
 * Returns the index after it, or -1. */
static int arg_psk_key(struct parser *p, int i, int typed, struct cfg_isakmp_key *k)
{
    int six = typed && p->tok[i][0] == '6';
    i += typed;
    if (i >= p->ntok)
        return perr(p, i, E_ARG, "missing key");
    const char *s = p->tok[i];
    if (six) {
        uint8_t blob[T6_BLOB_MAX];
        size_t n;
        int bad = t6_decode(s, blob, &n);
        OPENSSL_cleanse(blob, sizeof blob);
        if (bad)
            return perr(p, i, E_ARG, "invalid type 6 key");
        set_str(k->key6, sizeof k->key6, s);
    } else {
        if (strlen(s) > CFG_ISAKMP_KEY_MAX)
            return perr(p, i, E_ARG, "isakmp key too long (max %u characters)", CFG_ISAKMP_KEY_MAX);
        set_str(k->key, sizeof k->key, s);
    }
    return i + 1;
}

static int same_peer(const struct cfg_isakmp_key *a, const struct cfg_isakmp_key *b)
{
    return a->by_hostname == b->by_hostname &&
           (a->by_hostname ? strcasecmp(a->hostname, b->hostname) == 0 : a->addr == b->addr && a->mask == b->mask);
}

/* One key per peer: a second one replaces the first. */
static int put_key(struct parser *p, struct cfg_isakmp_key **arr, unsigned *n, unsigned max, const char *what,
                   const struct cfg_isakmp_key *k)
{
    struct cfg_isakmp_key *d = NULL;
    for (unsigned j = 0; j < *n && !d; j++)
        if (same_peer(&(*arr)[j], k))
            d = &(*arr)[j];
    if (!d && !(d = insert_at(p, arr, n, *n, sizeof **arr, max, what)))
        return -1;
    OPENSSL_cleanse(d, sizeof *d);
    *d = *k;
    d->line = p->lineno;
    return 0;
}

/* local-address A.B.C.D | INTERFACE (then nothing) */
static int arg_local(struct parser *p, int i, struct cfg_local_address *l)
{
    struct cfg_local_address v;
    int used = 1;
    memset(&v, 0, sizeof v);
    if (i < p->ntok && is_digit(p->tok[i][0]) ? arg_ip(p, i, &v.addr, "local address") != 0
                                               : arg_ifname(p, i, v.ifname, &used) != 0)
        return -1;
    if (no_more(p, i + used) != 0)
        return -1;
    v.set = 1;
    v.line = p->lineno;
    *l = v;
    return 0;
}

/* The element named name (a char array of CFG_NAME_MAX + 1 bytes, the
 * first member of each element of the array at arrp), added with this
 * line (the unsigned at line_off) when there is none: its index, or -1. */
static int find_or_add(struct parser *p, void *arrp, unsigned *n, size_t size, unsigned max, const char *what,
                       const char *name, size_t line_off)
{
    unsigned char *a, *e;
    memcpy(&a, arrp, sizeof a);
    if ((e = find_named(a, *n, size, name)) != NULL)
        return (int)((size_t)(e - a) / size);
    e = insert_at(p, arrp, n, *n, size, max, what);
    if (!e)
        return -1;
    set_str((char *)e, CFG_NAME_MAX + 1, name);
    memcpy(e + line_off, &p->lineno, sizeof p->lineno);
    return (int)(*n - 1);
}
/* an array of named elements whose mode a command enters */
struct named_kind {
    size_t size, line_off;
    unsigned max;
    const char *what, *plural;   /* "keyring name", "keyrings" */
    enum mode mode;
};

/* NAME: the element of that name of the array at arrp (found or added), its mode entered */
static int enter_named(struct parser *p, int i, void *arrp, unsigned *n, const struct named_kind *kind)
{
    char name[CFG_NAME_MAX + 1];
    int k;
    if (arg_name(p, i, name, CFG_NAME_MAX, kind->what) != 0 || no_more(p, i + 1) != 0 ||
        (k = find_or_add(p, arrp, n, kind->size, kind->max, kind->plural, name, kind->line_off)) < 0)
        return -1;
    p->next = kind->mode;
    p->next_cur = (unsigned)k;
    return 0;
}

/* --- global statements ------------------------------------------------------------------ */
static int h_hostname(struct parser *p, int i)
{
    char name[CFG_NAME_MAX + 1];
    if (arg_domain(p, i, name, CFG_NAME_MAX, "hostname") != 0 || no_more(p, i + 1) != 0)
        return -1;
    size_t n = strlen(name);
    if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z')) || strchr(name, '.') ||
        strchr(name, '_') || name[n - 1] == '-')
        return perr(p, i, E_ARG, "invalid hostname '%.40s' (letters, digits, '-'; a letter first)", name);
    set_str(p->c->hostname, sizeof p->c->hostname, name);
    return 0;
}

static int h_version(struct parser *p, int i)
{
    char v[CFG_VERSION_MAX + 1];
    if (arg_name(p, i, v, CFG_VERSION_MAX, "version") != 0 || no_more(p, i + 1) != 0)
        return -1;
    set_str(p->c->version, sizeof p->c->version, v);
    return 0;
}

static int h_domain_name(struct parser *p, int i)
{
    char d[CFG_DOMAIN_MAX + 1];
    if (arg_domain(p, i, d, CFG_DOMAIN_MAX, "domain name") != 0 || no_more(p, i + 1) != 0)
        return -1;
    set_str(p->c->domain, sizeof p->c->domain, d);
    return 0;
}

static int h_ip_host(struct parser *p, int i)
{
    char name[CFG_DOMAIN_MAX + 1];
    uint32_t a;
    if (arg_domain(p, i, name, CFG_DOMAIN_MAX, "host name") != 0 || arg_ip(p, i + 1, &a, "host address") != 0 ||
        no_more(p, i + 2) != 0)
        return -1;
    struct config *c = p->c;
    struct cfg_host *h = NULL;
    for (unsigned k = 0; k < c->nhosts && !h; k++)
        if (strcasecmp(c->hosts[k].name, name) == 0)
            h = &c->hosts[k];
    if (!h && !(h = APPEND(p, c->hosts, c->nhosts, CFG_MAX_HOSTS, "ip host entries")))
        return -1;
    set_str(h->name, sizeof h->name, name);
    h->addr = a;
    h->line = p->lineno;
    return 0;
}

static int h_default_gateway(struct parser *p, int i)
{
    uint32_t a;
    return arg_ip(p, i, &a, "gateway address") != 0 || no_more(p, i + 1) != 0 ? -1 : 0;   /* ignored (README) */
}

static int h_ip_route(struct parser *p, int i)
{
    struct cfg_route r;
    memset(&r, 0, sizeof r);
    if (arg_ip(p, i, &r.prefix, "prefix") != 0 || arg_mask(p, i + 1, &r.mask) != 0)
        return -1;
    if (r.prefix & ~r.mask)
        return perr(p, i, E_ARG, "inconsistent address and mask");
    int used = 1;
    if (i + 2 < p->ntok && p->tok[i + 2][0] >= '0' && p->tok[i + 2][0] <= '9') {
        if (arg_ip(p, i + 2, &r.nexthop, "next hop") != 0)
            return -1;
    } else if (i + 2 >= p->ntok) {
        return perr(p, i + 2, E_ARG, "missing next hop or interface");
    } else if (arg_ifname(p, i + 2, r.ifname, &used) != 0) {
        return -1;
    }
    if (no_more(p, i + 2 + used) != 0)
        return -1;
    struct config *c = p->c;
    for (unsigned k = 0; k < c->nroutes; k++) {
        struct cfg_route *o = &c->routes[k];
        if (o->prefix == r.prefix && o->mask == r.mask && o->nexthop == r.nexthop && !strcmp(o->ifname, r.ifname))
            return 0;   /* the same route again: IOS keeps one */
    }
    struct cfg_route *n = APPEND(p, c->routes, c->nroutes, CFG_MAX_ROUTES, "ip routes");
    if (!n)
        return -1;
    *n = r;
    n->line = p->lineno;
    return 0;
}

static int h_interface(struct parser *p, int i)
{
    char name[CFG_IFNAME_MAX + 1];
    int used, k;
    struct config *c = p->c;
    if (arg_ifname(p, i, name, &used) != 0 || no_more(p, i + used) != 0 ||
        (k = find_or_add(p, &c->ifs, &c->nifs, sizeof *c->ifs, CFG_MAX_INTERFACES, "interfaces", name,
                         offsetof(struct cfg_interface, line))) < 0)
        return -1;
    p->next = M_IF;
    p->next_cur = (unsigned)k;
    return 0;
}

/* access lists ------------------------------------------------------------------------- */
static const char *const proto_names[] = { "ahp", "esp", "gre", "icmp", "igmp", "ip", "ospf", "tcp", "udp", NULL };
static const unsigned proto_nums[] = { 51, 50, 47, 1, 2, CFG_PROTO_IP, 89, 6, 17 };

struct port_name { unsigned proto, port; const char *name; };
static const struct port_name port_names[] = {
    { 6, 179, "bgp" }, { 6, 53, "domain" }, { 6, 21, "ftp" }, { 6, 20, "ftp-data" }, { 6, 110, "pop3" },
    { 6, 25, "smtp" }, { 6, 23, "telnet" }, { 6, 80, "www" },
    { 17, 68, "bootpc" }, { 17, 67, "bootps" }, { 17, 53, "domain" }, { 17, 500, "isakmp" },
    { 17, 4500, "non500-isakmp" }, { 17, 123, "ntp" }, { 17, 161, "snmp" }, { 17, 69, "tftp" },
    { 0, 0, NULL },
};

/* any | host A | A W (W optional in standard lists: a host) */
static int arg_addr(struct parser *p, int *i, uint32_t *a, uint32_t *w, int standard)
{
    static const char *const kw[] = { "any", "host", NULL };
    if (*i >= p->ntok)
        return perr(p, *i, E_ARG, "missing address (any, host A.B.C.D or A.B.C.D WILDCARD)");
    if (p->tok[*i][0] >= '0' && p->tok[*i][0] <= '9') {
        if (arg_ip(p, *i, a, "address") != 0)
            return -1;
        (*i)++;
        if (standard && *i >= p->ntok) {
            *w = 0;
            return 0;
        }
        if (*i >= p->ntok || cfg_parse_ip(p->tok[*i], w) != 0)
            return perr(p, *i, E_ARG, *i >= p->ntok ? "missing wildcard mask" : "invalid wildcard mask '%.40s'",
                        *i < p->ntok ? p->tok[*i] : "");
        (*i)++;
        *a &= ~*w;   /* as IOS: the wildcard bits of the address are cleared */
        return 0;
    }
    int k = arg_kw(p, *i, kw, "address (any, host A.B.C.D or A.B.C.D WILDCARD)");
    if (k < 0)
        return -1;
    (*i)++;
    if (k == 0) {
        *a = 0;
        *w = 0xffffffffu;
        return 0;
    }
    if (arg_ip(p, *i, a, "host address") != 0)
        return -1;
    (*i)++;
    *w = 0;
    return 0;
}

static int arg_port(struct parser *p, int *i, unsigned proto, int *port)
{
    static const char *const eq[] = { "eq", NULL };
    *port = -1;
    if (*i >= p->ntok || kw_index(eq, p->tok[*i]) != 0)
        return 0;
    if (proto != 6 && proto != 17)
        return perr(p, *i, E_ARG, "'eq' only with tcp or udp");
    (*i)++;
    if (*i >= p->ntok)
        return perr(p, *i, E_ARG, "missing port");
    unsigned long long v;
    if (p->tok[*i][0] >= '0' && p->tok[*i][0] <= '9') {
        if (arg_num(p, *i, 0, 65535, &v, "port") != 0)
            return -1;
        *port = (int)v;
    } else {
        const char *names[24];
        unsigned nums[24], n = 0;
        for (const struct port_name *q = port_names; q->name; q++)
            if (q->proto == proto) {
                names[n] = q->name;
                nums[n++] = q->port;
            }
        names[n] = NULL;
        int k = arg_kw(p, *i, names, "port");
        if (k < 0)
            return -1;
        *port = (int)nums[k];
    }
    (*i)++;
    return 0;
}

static int h_access_list(struct parser *p, int i)
{
    static const char *const act[] = { "permit", "deny", NULL };
    struct cfg_ace e;
    unsigned long long n;
    memset(&e, 0, sizeof e);
    if (arg_num(p, i, 1, 199, &n, "access list number") != 0)
        return -1;
    e.number = (unsigned)n;
    int k = arg_kw(p, i + 1, act, "action (permit or deny)");
    if (k < 0)
        return -1;
    e.deny = k;
    int j = i + 2;
    e.src_port = e.dst_port = -1;
    if (e.number < 100) {
        if (arg_addr(p, &j, &e.src, &e.src_wild, 1) != 0)
            return -1;
    } else {
        if (j >= p->ntok)
            return perr(p, j, E_ARG, "missing protocol");
        if (p->tok[j][0] >= '0' && p->tok[j][0] <= '9') {
            if (arg_num(p, j, 0, 255, &n, "protocol") != 0)
                return -1;
            e.proto = (unsigned)n;
        } else {
            int q = arg_kw(p, j, proto_names, "protocol");
            if (q < 0)
                return -1;
            e.proto = proto_nums[q];
        }
        j++;
        if (arg_addr(p, &j, &e.src, &e.src_wild, 0) != 0 || arg_port(p, &j, e.proto, &e.src_port) != 0 ||
            arg_addr(p, &j, &e.dst, &e.dst_wild, 0) != 0 || arg_port(p, &j, e.proto, &e.dst_port) != 0)
            return -1;
    }
    if (no_more(p, j) != 0)
        return -1;
    struct config *c = p->c;
    unsigned pos = c->naces;
    while (pos > 0 && c->aces[pos - 1].number > e.number)
        pos--;
    struct cfg_ace *a = insert_at(p, &c->aces, &c->naces, pos, sizeof *c->aces, CFG_MAX_ACES,
                                  "access-list entries");
    if (!a)
        return -1;
    *a = e;
    a->line = p->lineno;
    return 0;
}

/* crypto -------------------------------------------------------------------------------------- */
static int h_accel_on(struct parser *p, int i)
{
    if (no_more(p, i) != 0)
        return -1;
    p->c->accelerator = 1;
    return 0;
}

static int h_accel_off(struct parser *p, int i)
{
    if (no_more(p, i) != 0)
        return -1;
    p->c->accelerator = 0;
    return 0;
}

static int arg_lifetime(struct parser *p, int i, unsigned *kb, unsigned *sec)
{
    static const char *const kw[] = { "kilobytes", "seconds", NULL };
    unsigned long long v;
    int k = arg_kw(p, i, kw, "lifetime (kilobytes or seconds)");
    if (k < 0)
        return -1;
    if (k == 0 ? arg_num(p, i + 1, 2560, 536870912, &v, "kilobytes") : arg_num(p, i + 1, 120, 86400, &v, "seconds"))
        return -1;
    if (no_more(p, i + 2) != 0)
        return -1;
    if (k == 0)
        *kb = (unsigned)v;
    else
        *sec = (unsigned)v;
    return 0;
}

static int h_sa_lifetime(struct parser *p, int i)
{
    return arg_lifetime(p, i, &p->c->sa_life_kb, &p->c->sa_life_sec);
}

static int h_sa_replay(struct parser *p, int i)
{
    static const char *const kw[] = { "window-size", NULL };
    unsigned long long v;
    if (arg_kw(p, i, kw, "'window-size'") < 0 || arg_num(p, i + 1, 64, 1024, &v, "window size") != 0)
        return -1;
    if (v & (v - 1))
        return perr(p, i + 1, E_ARG, "window size must be 64, 128, 256, 512 or 1024");
    if (no_more(p, i + 2) != 0)
        return -1;
    p->c->replay_window = (unsigned)v;
    return 0;
}

static const char *const xform_names[] = {
    "ah-md5-hmac", "ah-sha-hmac", "esp-3des", "esp-aes", "esp-des", "esp-md5-hmac", "esp-null", "esp-sha-hmac",
    "esp-sha256-hmac", NULL,
};

static int h_transform_set(struct parser *p, int i)
{
    struct cfg_transform_set t;
    memset(&t, 0, sizeof t);
    if (arg_name(p, i, t.name, CFG_NAME_MAX, "transform set name") != 0)
        return -1;
    int j = i + 1;
    if (j >= p->ntok)
        return perr(p, j, E_ARG, "missing transform");
    for (; j < p->ntok; j++) {
        int k = kw_index(xform_names, p->tok[j]);
        if (k == -2)
            return perr(p, j, E_ARG, "ambiguous transform '%.40s'", p->tok[j]);
        if (k < 0)
            return perr(p, j, E_ARG, "unknown transform '%.40s'", p->tok[j]);
        const char *x = xform_names[k];
        if (!strncmp(x, "ah-", 3)) {
            if (t.ah)
                return perr(p, j, E_ARG, "more than one AH transform");
            t.ah = k == 0 ? CFG_AH_MD5 : CFG_AH_SHA;
        } else if (strstr(x, "-hmac")) {
            if (t.esp_auth)
                return perr(p, j, E_ARG, "more than one ESP authentication transform");
            t.esp_auth = !strcmp(x, "esp-md5-hmac") ? CFG_ESPA_MD5 : !strcmp(x, "esp-sha-hmac") ? CFG_ESPA_SHA
                                                                                                  : CFG_ESPA_SHA256;
        } else {
            if (t.cipher)
                return perr(p, j, E_ARG, "more than one ESP encryption transform");
            t.cipher = !strcmp(x, "esp-des") ? CFG_ESP_DES : !strcmp(x, "esp-3des") ? CFG_ESP_3DES
                     : !strcmp(x, "esp-aes") ? CFG_ESP_AES : CFG_ESP_NULL;
            if (t.cipher == CFG_ESP_AES) {
                t.aes_bits = 128;
                if (j + 1 < p->ntok && p->tok[j + 1][0] >= '0' && p->tok[j + 1][0] <= '9') {
                    unsigned long long v;
                    j++;
                    if (arg_num(p, j, 128, 256, &v, "AES key size") != 0)
                        return -1;
                    if (v != 128 && v != 192 && v != 256)
                        return perr(p, j, E_ARG, "AES key size must be 128, 192 or 256");
                    t.aes_bits = (unsigned)v;
                }
            }
        }
    }
    struct config *c = p->c;
    unsigned k;
    for (k = 0; k < c->ntsets; k++)
        if (strcmp(c->tsets[k].name, t.name) == 0)
            break;
    if (k == c->ntsets) {
        if (!APPEND(p, c->tsets, c->ntsets, CFG_MAX_TSETS, "transform sets"))
            return -1;
    } else {
        t.mode = c->tsets[k].mode;   /* redefined: the transforms are replaced */
    }
    t.line = p->lineno;
    c->tsets[k] = t;
    p->next = M_TSET;
    p->next_cur = k;
    return 0;
}

static int h_tset_mode(struct parser *p, int i)
{
    static const char *const kw[] = { "tunnel", "transport", NULL };
    int k = arg_kw(p, i, kw, "mode (tunnel or transport)");
    if (k < 0 || no_more(p, i + 1) != 0)
        return -1;
    p->c->tsets[p->cur].mode = k ? CFG_MODE_TRANSPORT : CFG_MODE_TUNNEL;
    return 0;
}

/* crypto map TAG local-address INTERFACE: one per tag (by tag) */
static int h_map_local(struct parser *p, int i)
{
    struct cfg_map_local m;
    int used;
    memset(&m, 0, sizeof m);
    if (arg_name(p, i, m.tag, CFG_NAME_MAX, "crypto map tag") != 0 || arg_ifname(p, i + 2, m.ifname, &used) != 0 ||
        no_more(p, i + 2 + used) != 0)
        return -1;
    struct config *c = p->c;
    unsigned pos = 0;
    while (pos < c->nmap_locals && strcmp(c->map_locals[pos].tag, m.tag) < 0)
        pos++;
    struct cfg_map_local *d = pos < c->nmap_locals && !strcmp(c->map_locals[pos].tag, m.tag)
                                  ? &c->map_locals[pos]
                                  : insert_at(p, &c->map_locals, &c->nmap_locals, pos, sizeof *c->map_locals,
                                              CFG_MAX_MAPS, "crypto map local addresses");
    if (!d)
        return -1;
    *d = m;
    d->line = p->lineno;
    return 0;
}

static int h_crypto_map(struct parser *p, int i)
{
    static const char *const kw[] = { "ipsec-isakmp", "ipsec-manual", NULL };
    static const char *const la[] = { "local-address", NULL };
    char tag[CFG_NAME_MAX + 1];
    unsigned long long seq;
    int type = CFG_MAP_ISAKMP;   /* IOS: the default */
    if (i + 1 < p->ntok && !is_digit(p->tok[i + 1][0]) && kw_index(la, p->tok[i + 1]) == 0)
        return h_map_local(p, i);
    if (arg_name(p, i, tag, CFG_NAME_MAX, "crypto map tag") != 0 || arg_num(p, i + 1, 1, 65535, &seq, "sequence number"))
        return -1;
    if (i + 2 < p->ntok && (type = arg_kw(p, i + 2, kw, "crypto map type (ipsec-isakmp or ipsec-manual)")) < 0)
        return -1;
    if (no_more(p, i + 3) != 0)
        return -1;
    struct config *c = p->c;
    unsigned pos = 0;
    for (; pos < c->nmaps; pos++) {
        int d = strcmp(c->maps[pos].tag, tag);
        if (d > 0 || (d == 0 && c->maps[pos].seq >= seq))
            break;
    }
    if (pos < c->nmaps && !strcmp(c->maps[pos].tag, tag) && c->maps[pos].seq == seq) {
        if ((int)c->maps[pos].type != type)
            return perr(p, i + 2, E_ARG, "crypto map %s %llu exists as %s", tag, seq,
                        c->maps[pos].type == CFG_MAP_MANUAL ? "ipsec-manual" : "ipsec-isakmp");
    } else {
        struct cfg_crypto_map *m = insert_at(p, &c->maps, &c->nmaps, pos, sizeof *c->maps, CFG_MAX_MAPS,
                                             "crypto map entries");
        if (!m)
            return -1;
        set_str(m->tag, sizeof m->tag, tag);
        m->seq = (unsigned)seq;
        m->type = (enum cfg_map_type)type;
        m->line = p->lineno;
    }
    p->next = M_MAP;
    p->next_cur = pos;
    return 0;
}

static int h_isakmp_policy(struct parser *p, int i)
{
    unsigned long long n;
    if (arg_num(p, i, 1, 10000, &n, "policy priority") != 0 || no_more(p, i + 1) != 0)
        return -1;
    struct config *c = p->c;
    unsigned pos = 0;
    while (pos < c->npolicies && c->policies[pos].priority < n)
        pos++;
    if (pos == c->npolicies || c->policies[pos].priority != n) {
        struct cfg_isakmp_policy *q = insert_at(p, &c->policies, &c->npolicies, pos, sizeof *c->policies,
                                                CFG_MAX_POLICIES, "isakmp policies");
        if (!q)
            return -1;
        q->priority = (unsigned)n;
        q->encr = CFG_IKE_DES;
        q->hash = CFG_IKE_SHA;
        q->auth = CFG_IKE_RSA_SIG;
        q->group = 1;
        q->lifetime = CFG_DEFAULT_IKE_LIFE;
        q->line = p->lineno;
    }
    p->next = M_ISAKMP;
    p->next_cur = pos;
    return 0;
}

/* crypto isakmp key [0|6] KEY address A.B.C.D [MASK] | hostname NAME [no-xauth]
 * (a first word 0 or 6 is the type unless the next word is the peer's) */
static int h_isakmp_key(struct parser *p, int i)
{
    static const char *const peer_kw[] = { "address", "hostname", NULL };
    static const char *const nx[] = { "no-xauth", NULL };
    struct cfg_isakmp_key k;
    memset(&k, 0, sizeof k);
    int typed = i + 1 < p->ntok && type_digit(p->tok[i]) && kw_index(peer_kw, p->tok[i + 1]) < 0;
    int j = arg_psk_key(p, i, typed, &k);
    if (j >= 0)
        j = arg_psk_peer(p, j, &k);
    if (j >= 0 && j < p->ntok) {
        k.no_xauth = 1;
        j = arg_kw(p, j, nx, "'no-xauth'") < 0 ? -1 : j + 1;
    }
    int st = j < 0 || no_more(p, j) != 0 ? -1
                                         : put_key(p, &p->c->ikeys, &p->c->nikeys, CFG_MAX_ISAKMP_KEYS, "isakmp keys", &k);
    OPENSSL_cleanse(&k, sizeof k);
    return st;
}

/* crypto isakmp keepalive SECS [RETRY] [periodic|on-demand] */
static int h_isakmp_keepalive(struct parser *p, int i)
{
    static const char *const kw[] = { "periodic", "on-demand", NULL };
    unsigned long long secs, retry = CFG_DEFAULT_DPD_RETRY;
    int j = i + 1, periodic = 0;
    if (arg_num(p, i, 10, 3600, &secs, "keepalive seconds") != 0)
        return -1;
    if (j < p->ntok && is_digit(p->tok[j][0]) && arg_num(p, j++, 2, 60, &retry, "retry seconds") != 0)
        return -1;
    if (j < p->ntok) {
        int k = arg_kw(p, j++, kw, "'periodic' or 'on-demand'");
        if (k < 0)
            return -1;
        periodic = k == 0;
    }
    if (no_more(p, j) != 0)
        return -1;
    p->c->dpd_seconds = (unsigned)secs;
    p->c->dpd_retry = (unsigned)retry;
    p->c->dpd_periodic = periodic;
    return 0;
}

/* one number lo-hi, then nothing, into *dst */
static int arg_setting(struct parser *p, int i, unsigned long long lo, unsigned long long hi, unsigned *dst,
                       const char *what)
{
    unsigned long long v;
    if (arg_num(p, i, lo, hi, &v, what) != 0 || no_more(p, i + 1) != 0)
        return -1;
    *dst = (unsigned)v;
    return 0;
}

static int h_nat_keepalive(struct parser *p, int i)
{
    return arg_setting(p, i, 5, 3600, &p->c->nat_keepalive, "NAT keepalive seconds");
}

/* crypto call admission limit ike sa N (0: no limit, as IOS shows it) */
static int h_cac_sa(struct parser *p, int i)
{
    return arg_setting(p, i, 0, 99999, &p->c->cac_ike_sa, "IKE SA limit");
}

static int h_cac_in_nego(struct parser *p, int i)
{
    return arg_setting(p, i, 10, 99999, &p->c->cac_in_nego, "in-negotiation IKE SA limit");
}

/* key config-key password-encryption [TEXT]: without TEXT, the master key
 * is kept outside the configuration (config_parse_master); never echoed */
static int h_master_key(struct parser *p, int i)
{
    struct config *c = p->c;
    if (i + 1 < p->ntok)
        return perr(p, i + 1, E_ARG, "master key: one word expected");
    if (i < p->ntok) {
        size_t n = strlen(p->tok[i]);
        if (n < CFG_MASTER_KEY_MIN || n > CFG_MASTER_KEY_MAX)
            return perr(p, i, E_ARG, "master key must have %u-%u characters", CFG_MASTER_KEY_MIN, CFG_MASTER_KEY_MAX);
        OPENSSL_cleanse(c->master_key, sizeof c->master_key);
        memcpy(c->master_key, p->tok[i], n);
    }
    c->master_key_set = 1;
    return 0;
}

static int h_password_aes(struct parser *p, int i)
{
    if (no_more(p, i) != 0)
        return -1;
    p->c->password_encryption = 1;
    return 0;
}

/* crypto keyring NAME, crypto isakmp profile NAME: enter their modes */
static int h_keyring(struct parser *p, int i)
{
    static const struct named_kind kind = { sizeof(struct cfg_keyring), offsetof(struct cfg_keyring, line),
                                            CFG_MAX_KEYRINGS, "keyring name", "keyrings", M_KEYRING };
    return enter_named(p, i, &p->c->keyrings, &p->c->nkeyrings, &kind);
}

static int h_profile(struct parser *p, int i)
{
    static const struct named_kind kind = { sizeof(struct cfg_isakmp_profile),
                                            offsetof(struct cfg_isakmp_profile, line), CFG_MAX_PROFILES,
                                            "isakmp profile name", "isakmp profiles", M_PROFILE };
    return enter_named(p, i, &p->c->profiles, &p->c->nprofiles, &kind);
}

static int h_isakmp_identity(struct parser *p, int i)
{
    static const char *const kw[] = { "address", "hostname", NULL };
    int k = arg_kw(p, i, kw, "identity (address or hostname)");
    if (k < 0 || no_more(p, i + 1) != 0)
        return -1;
    p->c->identity = k ? CFG_ID_HOSTNAME : CFG_ID_ADDRESS;
    return 0;
}

static int h_pubkey_chain(struct parser *p, int i)
{
    if (no_more(p, i) != 0)
        return -1;
    p->next = M_PKC;
    return 0;
}

static int h_end(struct parser *p, int i)
{
    if (no_more(p, i) != 0)
        return -1;
    p->ended = 1;
    p->next = M_GLOBAL;
    return 0;
}

static int h_exit_global(struct parser *p, int i)
{
    return no_more(p, i);
}

static int h_exit(struct parser *p, int i)
{
    if (no_more(p, i) != 0)
        return -1;
    p->next = p->mode == M_PKKEY ? M_PKC : M_GLOBAL;
    return 0;
}

static int h_ignore_block(struct parser *p, int i)
{
    (void)i;
    p->next = M_IGNORE;
    return 0;
}

/* --- interface mode ---------------------------------------------------------------------- */
static struct cfg_interface *cur_if(struct parser *p)
{
    return &p->c->ifs[p->cur];
}

static int h_if_address(struct parser *p, int i)
{
    uint32_t a, m;
    if (arg_ip(p, i, &a, "address") != 0 || arg_mask(p, i + 1, &m) != 0 || no_more(p, i + 2) != 0)
        return -1;
    if (m == 0)
        return perr(p, i + 1, E_ARG, "invalid mask '%.40s'", p->tok[i + 1]);
    if (a == 0)
        return perr(p, i, E_ARG, "invalid IP address '%.40s'", p->tok[i]);
    struct cfg_interface *f = cur_if(p);
    f->has_address = 1;
    f->addr = a;
    f->mask = m;
    return 0;
}

static int h_if_no_address(struct parser *p, int i)
{
    if (no_more(p, i) != 0)
        return -1;
    struct cfg_interface *f = cur_if(p);
    f->has_address = 0;
    f->addr = f->mask = 0;
    return 0;
}

static int h_if_map(struct parser *p, int i)
{
    char tag[CFG_NAME_MAX + 1];
    if (arg_name(p, i, tag, CFG_NAME_MAX, "crypto map tag") != 0 || no_more(p, i + 1) != 0)
        return -1;
    set_str(cur_if(p)->crypto_map, sizeof cur_if(p)->crypto_map, tag);
    cur_if(p)->map_line = p->lineno;
    return 0;
}

static int h_if_no_map(struct parser *p, int i)
{
    if (no_more(p, i < p->ntok ? i + 1 : i) != 0)   /* "no crypto map [TAG]" */
        return -1;
    memset(cur_if(p)->crypto_map, 0, sizeof cur_if(p)->crypto_map);
    return 0;
}

static int h_if_shutdown(struct parser *p, int i)
{
    if (no_more(p, i) != 0)
        return -1;
    cur_if(p)->shutdown = 1;
    return 0;
}

static int h_if_no_shutdown(struct parser *p, int i)
{
    if (no_more(p, i) != 0)
        return -1;
    cur_if(p)->shutdown = 0;
    return 0;
}

static int h_if_linux(struct parser *p, int i)
{
    char n[CFG_LINUX_IFNAME_MAX + 1];
    if (arg_name(p, i, n, CFG_LINUX_IFNAME_MAX, "Linux interface name") != 0 || no_more(p, i + 1) != 0)
        return -1;
    if (strchr(n, '/') || strchr(n, ':') || !strcmp(n, ".") || !strcmp(n, ".."))
        return perr(p, i, E_ARG, "invalid Linux interface name '%.40s'", n);
    set_str(cur_if(p)->linux_ifname, sizeof cur_if(p)->linux_ifname, n);
    cur_if(p)->linux_line = p->lineno;
    return 0;
}

static int h_if_no_linux(struct parser *p, int i)
{
    if (no_more(p, i) != 0)
        return -1;
    memset(cur_if(p)->linux_ifname, 0, sizeof cur_if(p)->linux_ifname);
    return 0;
}

/* --- crypto map mode ------------------------------------------------------------------------ */
static struct cfg_crypto_map *cur_map(struct parser *p)
{
    return &p->c->maps[p->cur];
}

static int h_map_peer(struct parser *p, int i)
{
    uint32_t a;
    if (arg_ip(p, i, &a, "peer address") != 0 || no_more(p, i + 1) != 0)
        return -1;
    struct cfg_crypto_map *m = cur_map(p);
    if (m->type == CFG_MAP_MANUAL) {
        m->peers[0] = a;   /* one peer: the last one set */
        m->npeers = 1;
    } else {
        for (unsigned k = 0; k < m->npeers; k++)
            if (m->peers[k] == a)
                return 0;
        if (m->npeers >= CFG_MAX_MAP_PEERS)
            return perr(p, i, E_ARG, "too many peers (max %u)", CFG_MAX_MAP_PEERS);
        m->peers[m->npeers++] = a;
    }
    m->peer_line = p->lineno;
    return 0;
}

static int h_map_tsets(struct parser *p, int i)
{
    char names[CFG_MAX_MAP_TSETS][CFG_NAME_MAX + 1];
    unsigned n = 0;
    struct cfg_crypto_map *m = cur_map(p);
    if (i >= p->ntok)
        return perr(p, i, E_ARG, "missing transform set name");
    for (int j = i; j < p->ntok; j++) {
        if (n == (m->type == CFG_MAP_MANUAL ? 1u : CFG_MAX_MAP_TSETS))
            return perr(p, j, E_ARG, m->type == CFG_MAP_MANUAL ? "an ipsec-manual crypto map takes one transform set"
                                                                : "too many transform sets (max 6)");
        if (arg_name(p, j, names[n++], CFG_NAME_MAX, "transform set name") != 0)
            return -1;
    }
    memset(m->tsets, 0, sizeof m->tsets);
    memcpy(m->tsets, names, n * sizeof names[0]);
    m->ntsets = n;
    m->tset_line = p->lineno;
    return 0;
}

static int h_map_match(struct parser *p, int i)
{
    unsigned long long n;
    if (arg_num(p, i, 100, 199, &n, "access list number") != 0 || no_more(p, i + 1) != 0)
        return -1;
    cur_map(p)->acl = (unsigned)n;
    cur_map(p)->acl_line = p->lineno;
    return 0;
}

static int h_map_session_key(struct parser *p, int i)
{
    static const char *const dirs[] = { "inbound", "outbound", NULL };
    static const char *const protos[] = { "ah", "esp", NULL };
    static const char *const ckw[] = { "cipher", "authenticator", NULL };
    static const char *const akw[] = { "authenticator", NULL };
    struct cfg_crypto_map *m = cur_map(p);
    if (m->type != CFG_MAP_MANUAL)
        return perr(p, i - 1, E_ARG, "session keys only in ipsec-manual crypto maps");
    int d = arg_kw(p, i, dirs, "direction (inbound or outbound)");
    if (d < 0)
        return -1;
    int pr = arg_kw(p, i + 1, protos, "protocol (esp or ah)");
    if (pr < 0)
        return -1;
    unsigned long long spi;
    if (arg_num(p, i + 2, 256, 4294967295ull, &spi, "SPI") != 0)
        return -1;
    struct cfg_session_key k;
    memset(&k, 0, sizeof k);
    int j = i + 3, st = -1;
    if (pr == 0) {
        st = arg_hexkey(p, j, k.auth, &k.auth_len, "AH key") || no_more(p, j + 1) ? -1 : 0;
    } else {
        int w = arg_kw(p, j, ckw, "'cipher' or 'authenticator'");
        if (w == 0) {
            if (arg_hexkey(p, j + 1, k.cipher, &k.cipher_len, "cipher key") == 0) {
                j += 2;
                if (j < p->ntok) {
                    if (arg_kw(p, j, akw, "'authenticator'") >= 0 &&
                        arg_hexkey(p, j + 1, k.auth, &k.auth_len, "authenticator") == 0)
                        st = no_more(p, j + 2);
                } else {
                    st = 0;
                }
            }
        } else if (w == 1) {
            st = arg_hexkey(p, j + 1, k.auth, &k.auth_len, "authenticator") || no_more(p, j + 2) ? -1 : 0;
        }
    }
    if (st == 0) {
        k.present = 1;
        k.spi = (uint32_t)spi;
        k.line = p->lineno;
        struct cfg_session_key *dst = pr ? &m->esp[d] : &m->ah[d];
        *dst = k;
    }
    OPENSSL_cleanse(&k, sizeof k);
    return st;
}

static int h_map_lifetime(struct parser *p, int i)
{
    /* IOS's manual SAs never expire; in xced a lifetime set on an
     * ipsec-manual map makes them expire (our extension) */
    struct cfg_crypto_map *m = cur_map(p);
    return arg_lifetime(p, i, &m->life_kb, &m->life_sec);
}

/* xce udp-encapsulation: ESP in UDP port 4500 (RFC 3948) with manual keys;
 * ipsec-isakmp maps negotiate it (NAT traversal) */
static int h_map_udp(struct parser *p, int i)
{
    struct cfg_crypto_map *m = cur_map(p);
    if (no_more(p, i) != 0)
        return -1;
    if (m->type != CFG_MAP_MANUAL)
        return perr(p, i - 1, E_ARG, "udp-encapsulation is negotiated in ipsec-isakmp crypto maps");
    m->udp_encap = 1;
    m->udp_line = p->lineno;
    return 0;
}

static int h_map_pfs(struct parser *p, int i)
{
    static const char *const kw[] = { "group1", "group2", "group5", "group14", "group15", "group16", NULL };
    static const unsigned groups[] = { 1, 2, 5, 14, 15, 16 };
    struct cfg_crypto_map *m = cur_map(p);
    if (m->type == CFG_MAP_MANUAL)
        return perr(p, i - 1, E_ARG, "no pfs in ipsec-manual crypto maps");
    unsigned g = 1;   /* IOS: "set pfs" alone is group1 */
    if (i < p->ntok) {
        int k = arg_kw(p, i, kw, "DH group (group1, group2, group5, group14, group15, group16)");
        if (k < 0 || no_more(p, i + 1) != 0)
            return -1;
        g = groups[k];
    }
    m->pfs = g;
    return 0;
}

static int h_map_profile(struct parser *p, int i)
{
    struct cfg_crypto_map *m = cur_map(p);
    char name[CFG_NAME_MAX + 1];
    if (m->type == CFG_MAP_MANUAL)
        return perr(p, i - 1, E_ARG, "no isakmp-profile in ipsec-manual crypto maps");
    if (arg_name(p, i, name, CFG_NAME_MAX, "isakmp profile name") != 0 || no_more(p, i + 1) != 0)
        return -1;
    set_str(m->isakmp_profile, sizeof m->isakmp_profile, name);
    m->profile_line = p->lineno;
    return 0;
}

/* --- isakmp policy mode ------------------------------------------------------------------------ */
static struct cfg_isakmp_policy *cur_pol(struct parser *p)
{
    return &p->c->policies[p->cur];
}

static int h_pol_encryption(struct parser *p, int i)
{
    static const char *const kw[] = { "des", "3des", "aes", NULL };
    int k = arg_kw(p, i, kw, "encryption (des, 3des or aes)");
    unsigned bits = 0;
    int j = i + 1;
    if (k < 0)
        return -1;
    if (k == 2) {
        bits = 128;
        if (j < p->ntok) {
            unsigned long long v;
            if (arg_num(p, j, 128, 256, &v, "AES key size") != 0)
                return -1;
            if (v != 128 && v != 192 && v != 256)
                return perr(p, j, E_ARG, "AES key size must be 128, 192 or 256");
            bits = (unsigned)v;
            j++;
        }
    }
    if (no_more(p, j) != 0)
        return -1;
    cur_pol(p)->encr = (enum cfg_ike_encr)k;
    cur_pol(p)->aes_bits = bits;
    return 0;
}

static int h_pol_hash(struct parser *p, int i)
{
    static const char *const kw[] = { "sha", "md5", "sha256", NULL };
    int k = arg_kw(p, i, kw, "hash (md5, sha or sha256)");
    if (k < 0 || no_more(p, i + 1) != 0)
        return -1;
    cur_pol(p)->hash = (enum cfg_ike_hash)k;
    return 0;
}

static int h_pol_auth(struct parser *p, int i)
{
    static const char *const kw[] = { "rsa-sig", "rsa-encr", "pre-share", NULL };
    int k = arg_kw(p, i, kw, "authentication (pre-share, rsa-sig or rsa-encr)");
    if (k < 0 || no_more(p, i + 1) != 0)
        return -1;
    cur_pol(p)->auth = (enum cfg_ike_auth)k;
    return 0;
}

static int h_pol_group(struct parser *p, int i)
{
    static const char *const kw[] = { "1", "2", "5", "14", "15", "16", NULL };
    static const unsigned groups[] = { 1, 2, 5, 14, 15, 16 };
    if (i >= p->ntok)
        return perr(p, i, E_ARG, "missing DH group");
    int k = -1;
    for (int g = 0; kw[g]; g++)
        if (!strcmp(kw[g], p->tok[i]))
            k = g;
    if (k < 0)
        return perr(p, i, E_ARG, "invalid DH group '%.40s' (1, 2, 5, 14, 15 or 16)", p->tok[i]);
    if (no_more(p, i + 1) != 0)
        return -1;
    cur_pol(p)->group = groups[k];
    return 0;
}

static int h_pol_lifetime(struct parser *p, int i)
{
    unsigned long long v;
    if (arg_num(p, i, 60, 86400, &v, "lifetime") != 0 || no_more(p, i + 1) != 0)
        return -1;
    cur_pol(p)->lifetime = (unsigned)v;
    return 0;
}

/* --- keyring mode --------------------------------------------------------------------------------- */
static struct cfg_keyring *cur_kr(struct parser *p)
{
    return &p->c->keyrings[p->cur];
}

/* pre-shared-key address A.B.C.D [MASK] | hostname NAME key [0|6] KEY */
static int h_kr_psk(struct parser *p, int i)
{
    static const char *const kw[] = { "key", NULL };
    struct config *c = p->c;
    struct cfg_keyring *r = cur_kr(p);
    struct cfg_isakmp_key k;
    unsigned total = 0, others;
    memset(&k, 0, sizeof k);
    int j = arg_psk_peer(p, i, &k);
    if (j >= 0)
        j = arg_kw(p, j, kw, "'key'") < 0 ? -1 : arg_psk_key(p, j + 1, j + 2 < p->ntok && type_digit(p->tok[j + 1]), &k);
    for (unsigned n = 0; n < c->nkeyrings; n++)
        total += c->keyrings[n].nkeys;
    others = total - r->nkeys;   /* the limit is on all keyrings: what this one may hold */
    int st = j < 0 || no_more(p, j) != 0
                 ? -1
                 : put_key(p, &r->keys, &r->nkeys, CFG_MAX_KEYRING_KEYS - others, "keyring pre-shared keys", &k);
    if (st != 0 && p->err_kind == E_ARG && !strncmp(p->msg, "too many", 8))
        perr(p, 0, E_ARG, "too many keyring pre-shared keys (max %u in all keyrings)", CFG_MAX_KEYRING_KEYS);
    OPENSSL_cleanse(&k, sizeof k);
    return st;
}

/* --- isakmp profile mode ----------------------------------------------------------------------------- */
static struct cfg_isakmp_profile *cur_prof(struct parser *p)
{
    return &p->c->profiles[p->cur];
}

/* description TEXT: of the interface, crypto map, keyring or profile being edited */
static int h_description(struct parser *p, int i)
{
    char *d = p->mode == M_IF ? cur_if(p)->description : p->mode == M_MAP ? cur_map(p)->description
            : p->mode == M_KEYRING ? cur_kr(p)->description : cur_prof(p)->description;
    return arg_text(p, i, d, CFG_DESC_MAX, "description");
}

/* local-address A.B.C.D | INTERFACE: of the keyring or profile being edited */
static int h_local(struct parser *p, int i)
{
    return arg_local(p, i, p->mode == M_KEYRING ? &cur_kr(p)->local : &cur_prof(p)->local);
}

/* adds name to list (n of max names) unless it is there; at: the word for the message */
static int add_name(struct parser *p, int at, char (*list)[CFG_NAME_MAX + 1], unsigned *n, unsigned max,
                    const char *name, const char *what)
{
    for (unsigned k = 0; k < *n; k++)
        if (strcmp(list[k], name) == 0)
            return 0;
    if (*n >= max)
        return perr(p, at, E_ARG, "too many %s (max %u)", what, max);
    set_str(list[(*n)++], CFG_NAME_MAX + 1, name);
    return 0;
}

static int h_pr_keyring(struct parser *p, int i)
{
    struct cfg_isakmp_profile *f = cur_prof(p);
    char name[CFG_NAME_MAX + 1];
    unsigned n = f->nkeyrings;
    if (arg_name(p, i, name, CFG_NAME_MAX, "keyring name") != 0 || no_more(p, i + 1) != 0 ||
        add_name(p, i, f->keyrings, &f->nkeyrings, CFG_MAX_PROFILE_KEYRINGS, name, "keyrings") != 0)
        return -1;
    if (f->nkeyrings > n)
        f->keyring_line[n] = p->lineno;
    return 0;
}

static int h_pr_certificate(struct parser *p, int i)
{
    struct cfg_isakmp_profile *f = cur_prof(p);
    char name[CFG_NAME_MAX + 1];
    if (arg_name(p, i, name, CFG_NAME_MAX, "certificate map name") != 0 || no_more(p, i + 1) != 0)
        return -1;
    return add_name(p, i, f->certmaps, &f->ncertmaps, CFG_MAX_PROFILE_CERTMAPS, name, "certificate maps");
}

static int add_ident(struct parser *p, int at, const struct cfg_ident *id)
{
    struct cfg_isakmp_profile *f = cur_prof(p);
    for (unsigned k = 0; k < f->nidents; k++) {
        const struct cfg_ident *o = &f->idents[k];
        if (o->type == id->type && o->addr == id->addr && o->mask == id->mask && !strcasecmp(o->name, id->name))
            return 0;
    }
    if (f->nidents >= CFG_MAX_PROFILE_IDENTS)
        return perr(p, at, E_ARG, "too many match identity statements (max %u)", CFG_MAX_PROFILE_IDENTS);
    f->idents[f->nidents++] = *id;
    return 0;
}

/* match identity address A.B.C.D [MASK] */
static int h_id_address(struct parser *p, int i)
{
    struct cfg_ident id;
    memset(&id, 0, sizeof id);
    id.type = CFG_IDENT_ADDRESS;
    int j = arg_addr_mask(p, i, &id.addr, &id.mask);
    return j < 0 || no_more(p, j) != 0 ? -1 : add_ident(p, i, &id);
}

/* match identity host NAME | host domain NAME | user-fqdn USER@DOMAIN |
 * user-fqdn domain NAME ("domain" is the keyword when a name follows it) */
static int match_name(struct parser *p, int i, enum cfg_ident_type plain, enum cfg_ident_type domain)
{
    static const char *const kw[] = { "domain", NULL };
    struct cfg_ident id;
    memset(&id, 0, sizeof id);
    int d = i + 1 < p->ntok && kw_index(kw, p->tok[i]) == 0;
    id.type = d ? domain : plain;
    int st = d || plain == CFG_IDENT_HOST
                 ? arg_domain(p, i + d, id.name, CFG_DOMAIN_MAX, d ? "domain name" : "host name")
                 : arg_user_fqdn(p, i, id.name, CFG_DOMAIN_MAX, "user-fqdn");
    return st != 0 || no_more(p, i + d + 1) != 0 ? -1 : add_ident(p, i, &id);
}

static int h_id_host(struct parser *p, int i)
{
    return match_name(p, i, CFG_IDENT_HOST, CFG_IDENT_HOST_DOMAIN);
}

static int h_id_user(struct parser *p, int i)
{
    return match_name(p, i, CFG_IDENT_USER_FQDN, CFG_IDENT_USER_DOMAIN);
}

/* self-identity address | fqdn | user-fqdn USER@DOMAIN */
static int h_pr_self(struct parser *p, int i)
{
    static const char *const kw[] = { "address", "fqdn", "user-fqdn", NULL };
    char user[CFG_DOMAIN_MAX + 1] = "";
    int k = arg_kw(p, i, kw, "self-identity (address, fqdn or user-fqdn)");
    if (k < 0 || (k == 2 ? arg_user_fqdn(p, i + 1, user, CFG_DOMAIN_MAX, "user-fqdn") != 0 || no_more(p, i + 2) != 0
                         : no_more(p, i + 1) != 0))
        return -1;
    cur_prof(p)->self_id = (enum cfg_self_id)(k + 1);
    set_str(cur_prof(p)->self_user_fqdn, sizeof cur_prof(p)->self_user_fqdn, user);
    return 0;
}

/* keepalive SECS retry N */
static int h_pr_keepalive(struct parser *p, int i)
{
    static const char *const kw[] = { "retry", NULL };
    unsigned long long secs, retry;
    if (arg_num(p, i, 10, 3600, &secs, "keepalive seconds") != 0 || arg_kw(p, i + 1, kw, "'retry'") < 0 ||
        arg_num(p, i + 2, 2, 60, &retry, "retry seconds") != 0 || no_more(p, i + 3) != 0)
        return -1;
    cur_prof(p)->keepalive = (unsigned)secs;
    cur_prof(p)->keepalive_retry = (unsigned)retry;
    return 0;
}

/* --- pubkey chain -------------------------------------------------------------------------------- */
static int arg_usage(struct parser *p, int i, enum cfg_key_usage *u)
{
    static const char *const kw[] = { "encryption", "signature", NULL };
    *u = CFG_USAGE_GENERAL;
    if (i >= p->ntok)
        return 0;
    int k = arg_kw(p, i, kw, "key usage (encryption or signature)");
    if (k < 0 || no_more(p, i + 1) != 0)
        return -1;
    *u = k ? CFG_USAGE_SIGNATURE : CFG_USAGE_ENCRYPTION;
    return 0;
}

static int enter_pubkey(struct parser *p, int addressed, const char *name, uint32_t addr, enum cfg_key_usage u)
{
    struct config *c = p->c;
    unsigned k;
    for (k = 0; k < c->npubkeys; k++) {
        struct cfg_pubkey *q = &c->pubkeys[k];
        if (q->addressed == addressed && q->usage == u &&
            (addressed ? q->addr == addr : strcasecmp(q->name, name) == 0))
            break;
    }
    if (k == c->npubkeys) {
        struct cfg_pubkey *q = APPEND(p, c->pubkeys, c->npubkeys, CFG_MAX_PUBKEYS, "public keys");
        if (!q)
            return -1;
        q->addressed = addressed;
        set_str(q->name, sizeof q->name, name);
        q->has_addr = addressed;
        q->addr = addr;
        q->usage = u;
        q->line = p->lineno;
    }
    p->next = M_PKKEY;
    p->next_cur = k;
    return 0;
}

static int h_named_key(struct parser *p, int i)
{
    char name[CFG_DOMAIN_MAX + 1];
    enum cfg_key_usage u;
    if (arg_domain(p, i, name, CFG_DOMAIN_MAX, "key name") != 0 || arg_usage(p, i + 1, &u) != 0)
        return -1;
    return enter_pubkey(p, 0, name, 0, u);
}

static int h_addressed_key(struct parser *p, int i)
{
    uint32_t a;
    enum cfg_key_usage u;
    if (arg_ip(p, i, &a, "key address") != 0 || arg_usage(p, i + 1, &u) != 0)
        return -1;
    return enter_pubkey(p, 1, "", a, u);
}

static int h_key_address(struct parser *p, int i)
{
    uint32_t a;
    struct cfg_pubkey *q = &p->c->pubkeys[p->cur];
    if (q->addressed)
        return perr(p, i - 1, E_ARG, "'address' only under named-key");
    if (arg_ip(p, i, &a, "address") != 0 || no_more(p, i + 1) != 0)
        return -1;
    q->has_addr = 1;
    q->addr = a;
    return 0;
}

static int h_key_string(struct parser *p, int i)
{
    if (no_more(p, i) != 0)
        return -1;
    struct cfg_pubkey *q = &p->c->pubkeys[p->cur];
    uint8_t *b = malloc(CFG_MAX_PUBKEY_DER);
    if (!b)
        return perr(p, 0, E_ARG, "out of memory");
    free(q->der);
    q->der = b;
    q->der_len = 0;
    p->nibble = -1;
    p->keystr_line = p->lineno;
    p->next = M_KEYSTR;
    p->next_cur = p->cur;
    return 0;
}

/* An RSA public key: SubjectPublicKeyInfo, or PKCS#1 RSAPublicKey */
static int rsa_public_ok(const uint8_t *der, size_t len)
{
    const unsigned char *q = der;
    EVP_PKEY *k = d2i_PUBKEY(NULL, &q, (long)len);
    if (!k || q != der + len) {
        EVP_PKEY_free(k);
        q = der;
        k = d2i_PublicKey(EVP_PKEY_RSA, NULL, &q, (long)len);
        if (k && q != der + len) {
            EVP_PKEY_free(k);
            k = NULL;
        }
    }
    int ok = k && EVP_PKEY_get_base_id(k) == EVP_PKEY_RSA && EVP_PKEY_get_bits(k) >= 360 &&
             EVP_PKEY_get_bits(k) <= 16384;
    EVP_PKEY_free(k);
    return ok;
}

/* key-string data lines, up to "quit" */
static int keystring_line(struct parser *p)
{
    struct cfg_pubkey *q = &p->c->pubkeys[p->cur];
    if (p->ntok == 1 && strcasecmp(p->tok[0], "quit") == 0) {
        if (p->nibble >= 0)
            return perr(p, 0, E_ARG, "key-string: odd number of hex digits");
        if (!q->der_len)
            return perr(p, 0, E_ARG, "key-string: empty");
        if (!rsa_public_ok(q->der, q->der_len))
            return perr(p, 0, E_ARG, "key-string: not an RSA public key (DER SubjectPublicKeyInfo or RSAPublicKey)");
        p->mode = M_PKKEY;
        return 0;
    }
    for (int t = 0; t < p->ntok; t++)
        for (const char *s = p->tok[t]; *s; s++) {
            int v = hexval(*s);
            if (v < 0)
                return perr(p, t, E_ARG, "key-string: invalid hex digit '%c' (end the key with 'quit')", *s);
            if (p->nibble < 0) {
                p->nibble = v;
                continue;
            }
            if (q->der_len >= CFG_MAX_PUBKEY_DER)
                return perr(p, t, E_ARG, "key-string too long (max %u bytes)", CFG_MAX_PUBKEY_DER);
            q->der[q->der_len++] = (uint8_t)(p->nibble << 4 | v);
            p->nibble = -1;
        }
    return 0;
}

/* --- the command tables ------------------------------------------------------------------------------ */
#define END { NULL, NULL, NULL, 0 }
#define IGN(name) { name, NULL, NULL, C_IGNORE }
#define IGN0(name) { name, NULL, NULL, C_IGNORE0 }

static const struct cmd g_engine[] = { { "accelerator", NULL, h_accel_on, 0 }, END };
static const struct cmd g_sa_sub[] = {
    { "lifetime", NULL, h_sa_lifetime, 0 }, { "replay", NULL, h_sa_replay, 0 }, END,
};
static const struct cmd g_ipsec[] = {
    { "security-association", g_sa_sub, NULL, 0 }, { "transform-set", NULL, h_transform_set, 0 }, END,
};
static const struct cmd g_nat[] = { { "keepalive", NULL, h_nat_keepalive, 0 }, END };
static const struct cmd g_isakmp[] = {
    { "identity", NULL, h_isakmp_identity, 0 }, { "keepalive", NULL, h_isakmp_keepalive, 0 },
    { "key", NULL, h_isakmp_key, 0 }, { "nat", g_nat, NULL, 0 }, { "policy", NULL, h_isakmp_policy, 0 },
    { "profile", NULL, h_profile, 0 }, END,
};
static const struct cmd g_pkc[] = { { "rsa", NULL, h_pubkey_chain, 0 }, END };
static const struct cmd g_key[] = { { "pubkey-chain", g_pkc, NULL, 0 }, END };
static const struct cmd g_cac_ike[] = {
    { "in-negotiation-sa", NULL, h_cac_in_nego, 0 }, { "sa", NULL, h_cac_sa, 0 }, END,
};
static const struct cmd g_cac_limit[] = { { "ike", g_cac_ike, NULL, 0 }, END };
static const struct cmd g_cac[] = { { "limit", g_cac_limit, NULL, 0 }, END };
static const struct cmd g_call[] = { { "admission", g_cac, NULL, 0 }, END };
static const struct cmd g_crypto[] = {
    { "call", g_call, NULL, 0 }, { "engine", g_engine, NULL, 0 }, { "ipsec", g_ipsec, NULL, 0 },
    { "isakmp", g_isakmp, NULL, 0 }, { "key", g_key, NULL, 0 }, { "keyring", NULL, h_keyring, 0 },
    { "map", NULL, h_crypto_map, 0 }, END,
};
static const struct cmd g_config_key[] = { { "password-encryption", NULL, h_master_key, 0 }, END };
static const struct cmd g_keycmd[] = { { "config-key", g_config_key, NULL, 0 }, END };
static const struct cmd g_pw_enc[] = { { "aes", NULL, h_password_aes, 0 }, END };
static const struct cmd g_password[] = { { "encryption", g_pw_enc, NULL, 0 }, END };
static const struct cmd g_ip[] = {
    IGN0("classless"), { "default-gateway", NULL, h_default_gateway, 0 }, IGN0("domain-lookup"),
    { "domain-name", NULL, h_domain_name, 0 }, { "host", NULL, h_ip_host, 0 }, { "route", NULL, h_ip_route, 0 },
    IGN0("subnet-zero"), END,
};
static const struct cmd g_no_ip[] = { IGN0("classless"), IGN0("domain-lookup"), IGN0("subnet-zero"), END };
static const struct cmd g_no_engine[] = { { "accelerator", NULL, h_accel_off, 0 }, END };
static const struct cmd g_no_crypto[] = { { "engine", g_no_engine, NULL, 0 }, END };
static const struct cmd g_no[] = {
    { "crypto", g_no_crypto, NULL, 0 }, { "ip", g_no_ip, NULL, 0 }, IGN("service"), END,
};
static const struct cmd t_global[] = {
    { "access-list", NULL, h_access_list, 0 },
    { "crypto", g_crypto, NULL, 0 },
    IGN("enable"),
    { "end", NULL, h_end, 0 },
    { "exit", NULL, h_exit_global, 0 },
    { "hostname", NULL, h_hostname, 0 },
    { "hub", NULL, h_ignore_block, 0 },
    { "interface", NULL, h_interface, 0 },
    { "ip", g_ip, NULL, 0 },
    { "key", g_keycmd, NULL, 0 },
    { "line", NULL, h_ignore_block, 0 },
    { "no", g_no, NULL, 0 },
    { "password", g_password, NULL, 0 },
    IGN("service"),
    { "version", NULL, h_version, 0 },
    END,
};

static const struct cmd i_ip[] = {
    { "address", NULL, h_if_address, 0 }, IGN0("directed-broadcast"), IGN0("mroute-cache"), IGN0("route-cache"), END,
};
static const struct cmd i_no_ip[] = {
    { "address", NULL, h_if_no_address, 0 }, IGN0("directed-broadcast"), IGN0("mroute-cache"), IGN0("route-cache"), END,
};
static const struct cmd i_crypto[] = { { "map", NULL, h_if_map, 0 }, END };
static const struct cmd i_no_crypto[] = { { "map", NULL, h_if_no_map, 0 }, END };
static const struct cmd i_xce[] = { { "linux-interface", NULL, h_if_linux, 0 }, END };
static const struct cmd i_no_xce[] = { { "linux-interface", NULL, h_if_no_linux, 0 }, END };
static const struct cmd i_no[] = {
    { "crypto", i_no_crypto, NULL, 0 }, { "ip", i_no_ip, NULL, 0 }, { "shutdown", NULL, h_if_no_shutdown, 0 },
    { "xce", i_no_xce, NULL, 0 }, END,
};
static const struct cmd t_if[] = {
    IGN("bandwidth"), IGN("clockrate"), { "crypto", i_crypto, NULL, 0 },
    { "description", NULL, h_description, 0 }, IGN("encapsulation"), { "exit", NULL, h_exit, 0 },
    { "ip", i_ip, NULL, 0 }, { "no", i_no, NULL, 0 }, { "shutdown", NULL, h_if_shutdown, 0 },
    { "xce", i_xce, NULL, 0 }, END,
};

static const struct cmd t_tset[] = { { "exit", NULL, h_exit, 0 }, { "mode", NULL, h_tset_mode, 0 }, END };

static const struct cmd m_sa[] = { { "lifetime", NULL, h_map_lifetime, 0 }, END };
static const struct cmd m_set[] = {
    { "isakmp-profile", NULL, h_map_profile, 0 }, { "peer", NULL, h_map_peer, 0 }, { "pfs", NULL, h_map_pfs, 0 },
    { "security-association", m_sa, NULL, 0 },
    { "session-key", NULL, h_map_session_key, 0 }, { "transform-set", NULL, h_map_tsets, 0 }, END,
};
static const struct cmd m_match[] = { { "address", NULL, h_map_match, 0 }, END };
static const struct cmd m_xce[] = { { "udp-encapsulation", NULL, h_map_udp, 0 }, END };
static const struct cmd t_map[] = {
    { "description", NULL, h_description, 0 }, { "exit", NULL, h_exit, 0 }, { "match", m_match, NULL, 0 },
    { "set", m_set, NULL, 0 }, { "xce", m_xce, NULL, 0 }, END,
};

static const struct cmd t_isakmp[] = {
    { "authentication", NULL, h_pol_auth, 0 }, { "encryption", NULL, h_pol_encryption, 0 },
    { "exit", NULL, h_exit, 0 }, { "group", NULL, h_pol_group, 0 }, { "hash", NULL, h_pol_hash, 0 },
    { "lifetime", NULL, h_pol_lifetime, 0 }, END,
};

static const struct cmd t_pkc[] = {
    { "addressed-key", NULL, h_addressed_key, 0 }, { "exit", NULL, h_exit, 0 },
    { "named-key", NULL, h_named_key, 0 }, END,
};
static const struct cmd t_pkkey[] = {
    { "address", NULL, h_key_address, 0 }, { "exit", NULL, h_exit, 0 }, { "key-string", NULL, h_key_string, 0 },
    END,
};

static const struct cmd t_keyring[] = {
    { "description", NULL, h_description, 0 }, { "exit", NULL, h_exit, 0 },
    { "local-address", NULL, h_local, 0 }, { "pre-shared-key", NULL, h_kr_psk, 0 }, END,
};

static const struct cmd p_identity[] = {
    { "address", NULL, h_id_address, 0 }, { "host", NULL, h_id_host, 0 }, { "user-fqdn", NULL, h_id_user, 0 }, END,
};
static const struct cmd p_match[] = {
    { "certificate", NULL, h_pr_certificate, 0 }, { "identity", p_identity, NULL, 0 }, END,
};
static const struct cmd t_profile[] = {
    { "description", NULL, h_description, 0 }, { "exit", NULL, h_exit, 0 },
    { "keepalive", NULL, h_pr_keepalive, 0 },     { "keyring", NULL, h_pr_keyring, 0 },
    { "local-address", NULL, h_local, 0 },     { "match", p_match, NULL, 0 },
    { "self-identity", NULL, h_pr_self, 0 },      END,
};

static const struct cmd *const tables[M_COUNT] = {
    [M_GLOBAL] = t_global, [M_IF] = t_if, [M_TSET] = t_tset, [M_MAP] = t_map, [M_ISAKMP] = t_isakmp,
    [M_PKC] = t_pkc, [M_PKKEY] = t_pkkey, [M_KEYRING] = t_keyring, [M_PROFILE] = t_profile,
};

static enum mode parent(enum mode m)
{
    return m == M_PKKEY ? M_PKC : M_GLOBAL;
}

/* --- the line loop ------------------------------------------------------------------------------------------ */
static int run_table(struct parser *p, const struct cmd *level)
{
    const struct cmd *w = NULL;
    int i = 0;
    for (;;) {
        if (w && !w->sub) {
            if (w->flags & C_IGNORE)
                return 0;
            if (w->flags & C_IGNORE0)
                return no_more(p, i);
            return w->run(p, i);
        }
        if (i == p->ntok) {
            if (w && w->run)
                return w->run(p, i);
            return perr(p, i, E_ARG, "incomplete command");
        }
        w = match_cmd(p, level, i);
        if (!w)
            return -1;
        level = w->sub;
        i++;
    }
}

static int dispatch_line(struct parser *p)
{
    if (p->mode == M_KEYSTR)
        return keystring_line(p);
    if (p->ended)
        return perr(p, 0, E_ARG, "statement after 'end'");
    static const char *const line_words[] = { "password", NULL };
    if (p->mode == M_IGNORE && kw_index(line_words, p->tok[0]) == 0)
        return 0;   /* "password ..." in a line block is the line's, as in IOS's line mode */
    char best[sizeof p->msg];
    int best_at = -1;
    enum err_kind best_kind = E_NONE;
    enum mode m = p->mode == M_IGNORE ? M_GLOBAL : p->mode;
    for (;;) {
        p->next = m;
        p->next_cur = p->cur;
        p->err_at = 0;
        p->err_kind = E_NONE;
        enum mode saved = p->mode;
        p->mode = m;   /* h_exit reads the mode it runs in */
        int st = run_table(p, tables[m]);
        p->mode = saved;
        if (st == 0) {
            p->mode = p->next;
            p->cur = p->next_cur;
            return 0;
        }
        if (p->err_kind == E_ARG)
            return -1;
        if (p->err_at > best_at) {
            best_at = p->err_at;
            best_kind = p->err_kind;
            memcpy(best, p->msg, sizeof best);
        }
        if (m == M_GLOBAL)
            break;
        m = parent(m);
    }
    if (p->mode == M_IGNORE && best_kind == E_UNKNOWN)
        return 0;   /* a line of an ignored block (line, hub) */
    memcpy(p->msg, best, sizeof best);
    return -1;
}

/* splits buf (NUL-terminated) into words; 1 when the line is blank or a comment */
static int split(struct parser *p, char *buf)
{
    size_t i = 0;
    p->ntok = 0;
    memcpy(p->raw, buf, strlen(buf) + 1);
    while (buf[i] == ' ' || buf[i] == '\t')
        i++;
    if (!buf[i] || buf[i] == '!')
        return 1;
    for (;;) {
        while (buf[i] == ' ' || buf[i] == '\t')
            i++;
        if (!buf[i])
            break;
        if (p->ntok == (int)CFG_MAX_WORDS)
            return perr(p, 0, E_ARG, "too many words (max %u)", CFG_MAX_WORDS);
        p->col[p->ntok] = i;
        p->tok[p->ntok++] = buf + i;
        while (buf[i] && buf[i] != ' ' && buf[i] != '\t')
            i++;
        if (buf[i])
            buf[i++] = '\0';
    }
    return 0;
}

/* --- semantic checks -------------------------------------------------------------------------------------------- */
struct sem {
    unsigned line;
    char msg[256];
};

static void sem_err(struct sem *s, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void sem_err(struct sem *s, unsigned line, const char *fmt, ...)
{
    if (s->line && s->line <= line)
        return;   /* the first offending line is reported */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->msg, sizeof s->msg, fmt, ap);
    va_end(ap);
    s->line = line;
}

static void check_keys(struct sem *s, const struct cfg_crypto_map *m, const struct cfg_transform_set *t)
{
    static const char *const dn[] = { "inbound", "outbound" };
    size_t ck = cfg_cipher_key_len(t), ak = cfg_esp_auth_key_len(t->esp_auth), hk = cfg_ah_key_len(t->ah);
    int esp = t->cipher != CFG_ESP_NONE || t->esp_auth != CFG_ESPA_NONE;
    for (int d = 0; d < 2; d++) {
        const struct cfg_session_key *e = &m->esp[d], *a = &m->ah[d];
        if (esp && !e->present)
            sem_err(s, m->line, "crypto map %s %u: no %s esp session key (transform set %s)", m->tag, m->seq, dn[d],
                    t->name);
        else if (!esp && e->present)
            sem_err(s, e->line, "crypto map %s %u: transform set %s has no ESP transform", m->tag, m->seq, t->name);
        else if (esp && e->cipher_len != ck)
            sem_err(s, e->line, "crypto map %s %u: %s esp cipher key is %zu bytes, transform set %s needs %zu", m->tag,
                    m->seq, dn[d], e->cipher_len, t->name, ck);
        else if (esp && e->auth_len != ak)
            sem_err(s, e->line, "crypto map %s %u: %s esp authenticator is %zu bytes, transform set %s needs %zu",
                    m->tag, m->seq, dn[d], e->auth_len, t->name, ak);
        if (hk && !a->present)
            sem_err(s, m->line, "crypto map %s %u: no %s ah session key (transform set %s)", m->tag, m->seq, dn[d],
                    t->name);
        else if (!hk && a->present)
            sem_err(s, a->line, "crypto map %s %u: transform set %s has no AH transform", m->tag, m->seq, t->name);
        else if (hk && a->auth_len != hk)
            sem_err(s, a->line, "crypto map %s %u: %s ah key is %zu bytes, transform set %s needs %zu", m->tag, m->seq,
                    dn[d], a->auth_len, t->name, hk);
    }
}

static void check_local(struct sem *s, const struct config *c, const struct cfg_local_address *l, const char *what,
                        const char *name)
{
    if (l->set && l->ifname[0] && !config_find_interface(c, l->ifname))
        sem_err(s, l->line, "%s %s: local-address: interface %s is not defined", what, name, l->ifname);
}

/* keyrings, isakmp profiles, their use by crypto maps */
static void check_isakmp_refs(const struct config *c, struct sem *s)
{
    for (unsigned k = 0; k < c->nkeyrings; k++)
        check_local(s, c, &c->keyrings[k].local, "keyring", c->keyrings[k].name);
    for (unsigned k = 0; k < c->nprofiles; k++) {
        const struct cfg_isakmp_profile *f = &c->profiles[k];
        check_local(s, c, &f->local, "isakmp profile", f->name);
        for (unsigned j = 0; j < f->nkeyrings; j++)
            if (!config_find_keyring(c, f->keyrings[j]))
                sem_err(s, f->keyring_line[j], "isakmp profile %s: keyring %s is not defined", f->name, f->keyrings[j]);
    }
    for (unsigned k = 0; k < c->nmaps; k++) {
        const struct cfg_crypto_map *m = &c->maps[k];
        if (m->isakmp_profile[0] && !config_find_profile(c, m->isakmp_profile))
            sem_err(s, m->profile_line, "crypto map %s %u: isakmp profile %s is not defined", m->tag, m->seq,
                    m->isakmp_profile);
    }
    for (unsigned k = 0; k < c->nmap_locals; k++) {
        const struct cfg_map_local *l = &c->map_locals[k];
        if (!map_defined(c, l->tag))
            sem_err(s, l->line, "crypto map %s local-address: crypto map %s is not defined", l->tag, l->tag);
        else if (!config_find_interface(c, l->ifname))
            sem_err(s, l->line, "crypto map %s local-address: interface %s is not defined", l->tag, l->ifname);
    }
}

static int by_line(const void *a, const void *b)
{
    const struct cfg_isakmp_key *x = *(struct cfg_isakmp_key *const *)a, *y = *(struct cfg_isakmp_key *const *)b;
    return (x->line > y->line) - (x->line < y->line);
}

/* After the last line, in line order: type 6 keys decrypted with the
 * master key (the file's, else the one given to config_parse_master),
 * or sealed when "key config-key password-encryption" has no TEXT and
 * none was given; an error without any master key, or when one does not
 * decrypt. Then, with a master key and "password encryption aes", the
 * keys in clear get their type 6 form. -1: out of memory. */
static int type6_pass(struct config *c, const char *master, struct sem *s)
{
    unsigned total = c->nikeys, n = 0;
    for (unsigned r = 0; r < c->nkeyrings; r++)
        total += c->keyrings[r].nkeys;
    if (!total)
        return 0;
    struct cfg_isakmp_key **v = malloc(total * sizeof *v);
    if (!v)
        return -1;
    for (unsigned k = 0; k < c->nikeys; k++)
        v[n++] = &c->ikeys[k];
    for (unsigned r = 0; r < c->nkeyrings; r++)
        for (unsigned k = 0; k < c->keyrings[r].nkeys; k++)
            v[n++] = &c->keyrings[r].keys[k];
    qsort(v, n, sizeof *v, by_line);
    struct t6 t;
    memset(&t, 0, sizeof t);
    t.master = c->master_key[0] ? c->master_key : c->master_key_set && master && *master ? master : NULL;
    int bad = 0;
    for (unsigned k = 0; k < n && !bad; k++) {
        struct cfg_isakmp_key *e = v[k];
        if (!e->key6[0])
            continue;   /* in clear */
        if (!c->master_key_set) {
            sem_err(s, e->line, "type 6 key without a master key (key config-key password-encryption)");
            bad = 1;
        } else if (!t.master) {
            e->sealed = 1;
        } else if (t6_open(&t, e->key6, e->key) != 0) {
            sem_err(s, e->line, "type 6 key does not decrypt with the master key");
            bad = 1;
        }
    }
    for (unsigned k = 0; k < n && !bad && t.master && c->password_encryption; k++)
        if (!v[k]->key6[0] && t6_seal(&t, v[k]->key, v[k]->key6) != 0) {
            sem_err(s, v[k]->line, "type 6 encryption failed");
            bad = 1;
        }
    OPENSSL_cleanse(&t, sizeof t);
    free(v);
    return 0;
}

static void check_refs(const struct config *c, struct sem *s)
{
    for (unsigned k = 0; k < c->nmaps; k++) {
        const struct cfg_crypto_map *m = &c->maps[k];
        if (!m->ntsets)
            sem_err(s, m->line, "crypto map %s %u: no transform set", m->tag, m->seq);
        for (unsigned j = 0; j < m->ntsets; j++)
            if (!config_find_tset(c, m->tsets[j]))
                sem_err(s, m->tset_line, "crypto map %s %u: transform set %s is not defined", m->tag, m->seq,
                        m->tsets[j]);
        if (!m->acl)
            sem_err(s, m->line, "crypto map %s %u: no match address", m->tag, m->seq);
        else if (!config_acl_defined(c, m->acl))
            sem_err(s, m->acl_line, "crypto map %s %u: access list %u is not defined", m->tag, m->seq, m->acl);
        if (m->type == CFG_MAP_MANUAL) {
            if (!m->npeers)
                sem_err(s, m->line, "crypto map %s %u: an ipsec-manual map needs a peer", m->tag, m->seq);
            const struct cfg_transform_set *t = m->ntsets ? config_find_tset(c, m->tsets[0]) : NULL;
            if (t)
                check_keys(s, m, t);
        }
    }
    for (unsigned k = 0; k < c->nifs; k++) {
        const struct cfg_interface *f = &c->ifs[k];
        if (f->crypto_map[0] && !map_defined(c, f->crypto_map))
            sem_err(s, f->map_line, "interface %s: crypto map %s is not defined", f->name, f->crypto_map);
        for (unsigned j = 0; j < k && f->linux_ifname[0]; j++)
            if (!strcmp(c->ifs[j].linux_ifname, f->linux_ifname))
                sem_err(s, f->linux_line, "interface %s: Linux interface %s is already bound to %s", f->name,
                        f->linux_ifname, c->ifs[j].name);
    }
    for (unsigned k = 0; k < c->nroutes; k++)
        if (c->routes[k].ifname[0] && !config_find_interface(c, c->routes[k].ifname))
            sem_err(s, c->routes[k].line, "ip route: interface %s is not defined", c->routes[k].ifname);
    for (unsigned k = 0; k < c->npubkeys; k++)
        if (!c->pubkeys[k].der_len)
            sem_err(s, c->pubkeys[k].line, "public key without key-string");
    check_isakmp_refs(c, s);
}

/* --- parse -------------------------------------------------------------------------------------------------------- */
static struct config *config_new(void)
{
    struct config *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->accelerator = 1;
    c->identity = CFG_ID_ADDRESS;
    c->sa_life_kb = CFG_DEFAULT_SA_KB;
    c->sa_life_sec = CFG_DEFAULT_SA_SECONDS;
    c->replay_window = CFG_DEFAULT_REPLAY;
    return c;
}

void config_free(struct config *c)
{
    if (!c)
        return;
    for (unsigned k = 0; k < c->npubkeys; k++)
        free(c->pubkeys[k].der);
    if (c->ikeys)
        OPENSSL_cleanse(c->ikeys, c->nikeys * sizeof *c->ikeys);
    for (unsigned k = 0; k < c->nkeyrings; k++) {
        if (c->keyrings[k].keys)
            OPENSSL_cleanse(c->keyrings[k].keys, c->keyrings[k].nkeys * sizeof *c->keyrings[k].keys);
        free(c->keyrings[k].keys);
    }
    free(c->keyrings);
    free(c->profiles);
    free(c->map_locals);
    if (c->maps)
        OPENSSL_cleanse(c->maps, c->nmaps * sizeof *c->maps);
    free(c->hosts);
    free(c->policies);
    free(c->ikeys);
    free(c->tsets);
    free(c->maps);
    free(c->pubkeys);
    free(c->ifs);
    free(c->routes);
    free(c->aces);
    OPENSSL_cleanse(c, sizeof *c);
    free(c);
}

struct config *config_parse(const char *text, size_t len, const char *file, char *err, size_t errlen)
{
    return config_parse_master(text, len, file, NULL, err, errlen);
}

struct config *config_parse_master(const char *text, size_t len, const char *file, const char *master_key,
                                   char *err, size_t errlen)
{
    struct parser p;
    char buf[CFG_MAX_LINE_LEN + 2];
    memset(&p, 0, sizeof p);
    if (!file)
        file = "config";
    if (len > CFG_MAX_TEXT) {
        snprintf(err, errlen, "%s: too large (more than %u bytes)", file, CFG_MAX_TEXT);
        return NULL;
    }
    p.c = config_new();
    if (!p.c) {
        snprintf(err, errlen, "%s: out of memory", file);
        return NULL;
    }
    size_t pos = 0;
    int failed = 0;
    while (pos < len && !failed) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        const char *line = text + pos;
        pos += n + (nl ? 1 : 0);
        p.lineno++;
        if (n && line[n - 1] == '\r')
            n--;
        if (p.lineno > CFG_MAX_LINES) {
            perr(&p, 0, E_ARG, "too many lines (max %u)", CFG_MAX_LINES);
            failed = 1;
            break;
        }
        if (n > CFG_MAX_LINE_LEN) {
            perr(&p, 0, E_ARG, "line too long (max %u characters)", CFG_MAX_LINE_LEN);
            failed = 1;
            break;
        }
        memcpy(buf, line, n);
        buf[n] = '\0';
        for (size_t k = 0; k < n && !failed; k++) {
            unsigned char ch = (unsigned char)buf[k];
            if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
                perr(&p, 0, E_ARG, "invalid character 0x%02x at column %zu", ch, k + 1);
                failed = 1;
            }
        }
        if (!failed) {
            int st = split(&p, buf);
            if (st < 0 || (st == 0 && dispatch_line(&p) != 0))
                failed = 1;
        }
        OPENSSL_cleanse(buf, n + 1);   /* lines carry keys */
        OPENSSL_cleanse(p.raw, n + 1);
    }
    if (!failed && p.mode == M_KEYSTR) {
        perr(&p, 0, E_ARG, "end of file in the key-string of line %u (missing 'quit')", p.keystr_line);
        failed = 1;
    }
    if (failed) {
        snprintf(err, errlen, "%s:%u: %s", file, p.lineno, p.msg);
        config_free(p.c);
        return NULL;
    }
    struct sem s;
    memset(&s, 0, sizeof s);
    check_refs(p.c, &s);
    if (type6_pass(p.c, master_key, &s) != 0) {
        snprintf(err, errlen, "%s: out of memory", file);
        config_free(p.c);
        return NULL;
    }
    if (s.line) {
        snprintf(err, errlen, "%s:%u: %s", file, s.line, s.msg);
        config_free(p.c);
        return NULL;
    }
    return p.c;
}

struct config *config_load(const char *path, char *err, size_t errlen)
{
    return config_load_master(path, NULL, err, errlen);
}

struct config *config_load_master(const char *path, const char *master_key, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 65536, len = 0;
    char *text = malloc(cap);
    struct config *c = NULL;
    while (text) {
        if (len == cap) {
            if (cap > CFG_MAX_TEXT)
                break;
            char *t = malloc(cap * 2);
            if (t)
                memcpy(t, text, len);
            OPENSSL_cleanse(text, len);
            free(text);
            text = t;
            cap *= 2;
            continue;
        }
        size_t r = fread(text + len, 1, cap - len, f);
        len += r;
        if (r == 0)
            break;
    }
    if (!text)
        snprintf(err, errlen, "%s: out of memory", path);
    else if (ferror(f))
        snprintf(err, errlen, "%s: read error", path);
    else if (len > CFG_MAX_TEXT)
        snprintf(err, errlen, "%s: too large (more than %u bytes)", path, CFG_MAX_TEXT);
    else
        c = config_parse_master(text, len, path, master_key, err, errlen);
    if (text) {
        OPENSSL_cleanse(text, len);
        free(text);
    }
    fclose(f);
    return c;
}

/* --- the writer ------------------------------------------------------------------------------------------------------ */
const char *cfg_ip_str(uint32_t a, char *b)
{
    sprintf(b, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
    return b;
}

static void put_hex(FILE *f, const uint8_t *b, size_t n)
{
    for (size_t k = 0; k < n; k++)
        fprintf(f, "%02x", b[k]);
}

static void put_addr(FILE *f, uint32_t a, uint32_t w, int standard)
{
    char b1[16], b2[16];
    if (a == 0 && w == 0xffffffffu)
        fputs(" any", f);
    else if (w == 0)
        fprintf(f, standard ? " %s" : " host %s", cfg_ip_str(a, b1));
    else
        fprintf(f, " %s %s", cfg_ip_str(a, b1), cfg_ip_str(w, b2));
}

static void put_port(FILE *f, unsigned proto, int port)
{
    if (port < 0)
        return;
    for (const struct port_name *q = port_names; q->name; q++)
        if (q->proto == proto && (int)q->port == port) {
            fprintf(f, " eq %s", q->name);
            return;
        }
    fprintf(f, " eq %d", port);
}

static const char *xf_cipher(const struct cfg_transform_set *t)
{
    static const char *const n[] = { "", "esp-des", "esp-3des", "esp-aes", "esp-null" };
    return n[t->cipher];
}

/* address A.B.C.D [MASK] | hostname NAME */
static void put_psk_peer(FILE *f, const struct cfg_isakmp_key *k)
{
    char b1[16], b2[16];
    if (k->by_hostname)
        fprintf(f, "hostname %s", k->hostname);
    else if (k->mask == 0xffffffffu)
        fprintf(f, "address %s", cfg_ip_str(k->addr, b1));
    else
        fprintf(f, "address %s %s", cfg_ip_str(k->addr, b1), cfg_ip_str(k->mask, b2));
}

static void put_local(FILE *f, const struct cfg_local_address *l)
{
    char b[16];
    if (l->set)
        fprintf(f, " local-address %s\n", l->ifname[0] ? l->ifname : cfg_ip_str(l->addr, b));
}

/* key config-key, password encryption, keyrings */
static void write_keyrings(const struct config *c, FILE *f)
{
    char t[CFG_TYPE6_MAX + 3];
    if (c->master_key_set)
        fputs("key config-key password-encryption\n", f);   /* never the key itself */
    if (c->password_encryption)
        fputs("password encryption aes\n", f);
    if (c->master_key_set || c->password_encryption)
        fputs("!\n", f);
    for (unsigned k = 0; k < c->nkeyrings; k++) {
        const struct cfg_keyring *r = &c->keyrings[k];
        fprintf(f, "crypto keyring %s\n", r->name);
        if (r->description[0])
            fprintf(f, " description %s\n", r->description);
        put_local(f, &r->local);
        for (unsigned j = 0; j < r->nkeys; j++) {
            fputs(" pre-shared-key ", f);
            put_psk_peer(f, &r->keys[j]);
            fprintf(f, " key %s\n", cfg_psk_text(&r->keys[j], t, sizeof t));
        }
        fputs("!\n", f);
    }
    OPENSSL_cleanse(t, sizeof t);
}

/* isakmp policies, keys, identity, keepalives; call admission */
static void write_isakmp(const struct config *c, FILE *f)
{
    static const char *const ike_encr[] = { "des", "3des", "aes" };
    static const char *const ike_hash[] = { "sha", "md5", "sha256" };
    static const char *const ike_auth[] = { "rsa-sig", "rsa-encr", "pre-share" };
    char t[CFG_TYPE6_MAX + 3];
    for (unsigned k = 0; k < c->npolicies; k++) {
        const struct cfg_isakmp_policy *q = &c->policies[k];
        fprintf(f, "crypto isakmp policy %u\n", q->priority);
        if (q->encr != CFG_IKE_DES) {
            fprintf(f, " encryption %s", ike_encr[q->encr]);
            if (q->encr == CFG_IKE_AES && q->aes_bits != 128)
                fprintf(f, " %u", q->aes_bits);
            fputc('\n', f);
        }
        if (q->hash != CFG_IKE_SHA)
            fprintf(f, " hash %s\n", ike_hash[q->hash]);
        if (q->auth != CFG_IKE_RSA_SIG)
            fprintf(f, " authentication %s\n", ike_auth[q->auth]);
        if (q->group != 1)
            fprintf(f, " group %u\n", q->group);
        if (q->lifetime != CFG_DEFAULT_IKE_LIFE)
            fprintf(f, " lifetime %u\n", q->lifetime);
    }
    for (unsigned k = 0; k < c->nikeys; k++) {
        fprintf(f, "crypto isakmp key %s ", cfg_psk_text(&c->ikeys[k], t, sizeof t));
        put_psk_peer(f, &c->ikeys[k]);
        fputs(c->ikeys[k].no_xauth ? " no-xauth\n" : "\n", f);
    }
    OPENSSL_cleanse(t, sizeof t);
    if (c->identity == CFG_ID_HOSTNAME)
        fputs("crypto isakmp identity hostname\n", f);
    if (c->dpd_seconds) {
        fprintf(f, "crypto isakmp keepalive %u", c->dpd_seconds);
        if (c->dpd_retry != CFG_DEFAULT_DPD_RETRY)
            fprintf(f, " %u", c->dpd_retry);
        fputs(c->dpd_periodic ? " periodic\n" : "\n", f);
    }
    if (c->nat_keepalive)
        fprintf(f, "crypto isakmp nat keepalive %u\n", c->nat_keepalive);
    if (c->npolicies || c->nikeys || c->identity == CFG_ID_HOSTNAME || c->dpd_seconds || c->nat_keepalive)
        fputs("!\n", f);
    if (c->cac_ike_sa)
        fprintf(f, "crypto call admission limit ike sa %u\n", c->cac_ike_sa);
    if (c->cac_in_nego)
        fprintf(f, "crypto call admission limit ike in-negotiation-sa %u\n", c->cac_in_nego);
    if (c->cac_ike_sa || c->cac_in_nego)
        fputs("!\n", f);
}

static void write_profiles(const struct config *c, FILE *f)
{
    static const char *const self[] = { "", "address", "fqdn", "user-fqdn" };
    char b1[16], b2[16];
    for (unsigned k = 0; k < c->nprofiles; k++) {
        const struct cfg_isakmp_profile *q = &c->profiles[k];
        fprintf(f, "crypto isakmp profile %s\n", q->name);
        if (q->description[0])
            fprintf(f, " description %s\n", q->description);
        for (unsigned j = 0; j < q->nkeyrings; j++)
            fprintf(f, " keyring %s\n", q->keyrings[j]);
        for (unsigned j = 0; j < q->nidents; j++) {
            const struct cfg_ident *d = &q->idents[j];
            if (d->type == CFG_IDENT_ADDRESS)
                fprintf(f, " match identity address %s %s\n", cfg_ip_str(d->addr, b1), cfg_ip_str(d->mask, b2));
            else
                fprintf(f, " match identity %s%s\n",
                        d->type == CFG_IDENT_HOST          ? "host "
                        : d->type == CFG_IDENT_HOST_DOMAIN ? "host domain "
                        : d->type == CFG_IDENT_USER_FQDN   ? "user-fqdn "
                                                           : "user-fqdn domain ",
                        d->name);
        }
        for (unsigned j = 0; j < q->ncertmaps; j++)
            fprintf(f, " match certificate %s\n", q->certmaps[j]);
        if (q->self_id)
            fprintf(f, " self-identity %s%s%s\n", self[q->self_id], q->self_user_fqdn[0] ? " " : "",
                    q->self_user_fqdn);
        if (q->keepalive)
            fprintf(f, " keepalive %u retry %u\n", q->keepalive, q->keepalive_retry);
        put_local(f, &q->local);
        fputs("!\n", f);
    }
}

int config_write(const struct config *c, FILE *f)
{
    char b1[16], b2[16], b3[16];
    static const char *const esp_auth[] = { "", "esp-md5-hmac", "esp-sha-hmac", "esp-sha256-hmac" };
    static const char *const ah[] = { "", "ah-md5-hmac", "ah-sha-hmac" };
    static const char *const dn[] = { "inbound", "outbound" };
    static const char *const usage[] = { "", " encryption", " signature" };

    fputs("!\n", f);
    if (c->version[0])
        fprintf(f, "version %s\n!\n", c->version);
    if (c->hostname[0])
        fprintf(f, "hostname %s\n!\n", c->hostname);
    for (unsigned k = 0; k < c->nhosts; k++)
        fprintf(f, "ip host %s %s\n", c->hosts[k].name, cfg_ip_str(c->hosts[k].addr, b1));
    if (c->domain[0])
        fprintf(f, "ip domain-name %s\n", c->domain);
    if (c->nhosts || c->domain[0])
        fputs("!\n", f);
    if (!c->accelerator)
        fputs("no crypto engine accelerator\n!\n", f);
    write_keyrings(c, f);
    write_isakmp(c, f);
    write_profiles(c, f);

    int sa = 0;
    if (c->sa_life_kb != CFG_DEFAULT_SA_KB && ++sa)
        fprintf(f, "crypto ipsec security-association lifetime kilobytes %u\n", c->sa_life_kb);
    if (c->sa_life_sec != CFG_DEFAULT_SA_SECONDS && ++sa)
        fprintf(f, "crypto ipsec security-association lifetime seconds %u\n", c->sa_life_sec);
    if (c->replay_window != CFG_DEFAULT_REPLAY && ++sa)
        fprintf(f, "crypto ipsec security-association replay window-size %u\n", c->replay_window);
    if (sa)
        fputs("!\n", f);

    for (unsigned k = 0; k < c->ntsets; k++) {
        const struct cfg_transform_set *t = &c->tsets[k];
        fprintf(f, "crypto ipsec transform-set %s", t->name);
        if (t->ah)
            fprintf(f, " %s", ah[t->ah]);
        if (t->cipher)
            fprintf(f, " %s", xf_cipher(t));
        if (t->cipher == CFG_ESP_AES && t->aes_bits != 128)
            fprintf(f, " %u", t->aes_bits);
        if (t->esp_auth)
            fprintf(f, " %s", esp_auth[t->esp_auth]);
        fputc('\n', f);
        if (t->mode == CFG_MODE_TRANSPORT)
            fputs(" mode transport\n", f);
    }
    if (c->ntsets)
        fputs("!\n", f);

    for (unsigned k = 0, l = 0; k < c->nmaps; k++) {
        const struct cfg_crypto_map *m = &c->maps[k];
        while (l < c->nmap_locals && strcmp(c->map_locals[l].tag, m->tag) < 0)
            l++;   /* both by tag; a local-address of no map is refused by the parser */
        if (l < c->nmap_locals && !strcmp(c->map_locals[l].tag, m->tag) && (!k || strcmp(c->maps[k - 1].tag, m->tag)))
            fprintf(f, "crypto map %s local-address %s\n", m->tag, c->map_locals[l].ifname);
        fprintf(f, "crypto map %s %u %s\n", m->tag, m->seq, m->type == CFG_MAP_MANUAL ? "ipsec-manual" : "ipsec-isakmp");
        if (m->description[0])
            fprintf(f, " description %s\n", m->description);
        for (unsigned j = 0; j < m->npeers; j++)
            fprintf(f, " set peer %s\n", cfg_ip_str(m->peers[j], b1));
        for (int d = 0; d < 2; d++) {
            const struct cfg_session_key *e = &m->ah[d];
            if (e->present) {
                fprintf(f, " set session-key %s ah %u ", dn[d], e->spi);
                put_hex(f, e->auth, e->auth_len);
                fputc('\n', f);
            }
        }
        for (int d = 0; d < 2; d++) {
            const struct cfg_session_key *e = &m->esp[d];
            if (!e->present)
                continue;
            fprintf(f, " set session-key %s esp %u", dn[d], e->spi);
            if (e->cipher_len) {
                fputs(" cipher ", f);
                put_hex(f, e->cipher, e->cipher_len);
            }
            if (e->auth_len) {
                fputs(" authenticator ", f);
                put_hex(f, e->auth, e->auth_len);
            }
            fputc('\n', f);
        }
        if (m->life_kb)
            fprintf(f, " set security-association lifetime kilobytes %u\n", m->life_kb);
        if (m->life_sec)
            fprintf(f, " set security-association lifetime seconds %u\n", m->life_sec);
        if (m->ntsets) {
            fputs(" set transform-set", f);
            for (unsigned j = 0; j < m->ntsets; j++)
                fprintf(f, " %s", m->tsets[j]);
            fputc('\n', f);
        }
        if (m->pfs)
            fprintf(f, " set pfs group%u\n", m->pfs);
        if (m->isakmp_profile[0])
            fprintf(f, " set isakmp-profile %s\n", m->isakmp_profile);
        if (m->acl)
            fprintf(f, " match address %u\n", m->acl);
        if (m->udp_encap)
            fputs(" xce udp-encapsulation\n", f);
        fputs("!\n", f);
    }

    if (c->npubkeys) {
        fputs("crypto key pubkey-chain rsa\n", f);
        for (unsigned k = 0; k < c->npubkeys; k++) {
            const struct cfg_pubkey *q = &c->pubkeys[k];
            if (q->addressed)
                fprintf(f, " addressed-key %s%s\n", cfg_ip_str(q->addr, b1), usage[q->usage]);
            else
                fprintf(f, " named-key %s%s\n", q->name, usage[q->usage]);
            if (!q->addressed && q->has_addr)
                fprintf(f, "  address %s\n", cfg_ip_str(q->addr, b1));
            fputs("  key-string\n", f);
            for (size_t o = 0; o < q->der_len; o += 32) {
                fputs("  ", f);
                for (size_t j = o; j < q->der_len && j < o + 32; j++)
                    fprintf(f, "%s%02X", j > o && (j - o) % 4 == 0 ? " " : j == o ? " " : "", q->der[j]);
                fputc('\n', f);
            }
            fputs("  quit\n", f);
        }
        fputs("!\n", f);
    }

    for (unsigned k = 0; k < c->nifs; k++) {
        const struct cfg_interface *i = &c->ifs[k];
        fprintf(f, "interface %s\n", i->name);
        if (i->description[0])
            fprintf(f, " description %s\n", i->description);
        if (i->has_address)
            fprintf(f, " ip address %s %s\n", cfg_ip_str(i->addr, b1), cfg_ip_str(i->mask, b2));
        else
            fputs(" no ip address\n", f);
        if (i->linux_ifname[0])
            fprintf(f, " xce linux-interface %s\n", i->linux_ifname);
        if (i->crypto_map[0])
            fprintf(f, " crypto map %s\n", i->crypto_map);
        if (i->shutdown)
            fputs(" shutdown\n", f);
        fputs("!\n", f);
    }

    for (unsigned k = 0; k < c->nroutes; k++) {
        const struct cfg_route *r = &c->routes[k];
        fprintf(f, "ip route %s %s %s\n", cfg_ip_str(r->prefix, b1), cfg_ip_str(r->mask, b2),
                r->ifname[0] ? r->ifname : cfg_ip_str(r->nexthop, b3));
    }
    if (c->nroutes)
        fputs("!\n", f);

    for (unsigned k = 0; k < c->naces; k++) {
        const struct cfg_ace *e = &c->aces[k];
        fprintf(f, "access-list %u %s", e->number, e->deny ? "deny" : "permit");
        if (e->number < 100) {
            put_addr(f, e->src, e->src_wild, 1);
        } else {
            const char *pn = NULL;
            for (int j = 0; proto_names[j]; j++)
                if (proto_nums[j] == e->proto)
                    pn = proto_names[j];
            if (pn)
                fprintf(f, " %s", pn);
            else
                fprintf(f, " %u", e->proto);
            put_addr(f, e->src, e->src_wild, 0);
            put_port(f, e->proto, e->src_port);
            put_addr(f, e->dst, e->dst_wild, 0);
            put_port(f, e->proto, e->dst_port);
        }
        fputc('\n', f);
    }
    if (c->naces)
        fputs("!\n", f);
    fputs("end\n", f);
    return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}

/* --- equality ----------------------------------------------------------------------------------------------------------- */
#define SAME(x) (a->x == b->x)
#define SAMES(x) (strcmp(a->x, b->x) == 0)

static int key_eq(const struct cfg_session_key *a, const struct cfg_session_key *b)
{
    return SAME(present) && SAME(spi) && SAME(cipher_len) && SAME(auth_len) &&
           !CRYPTO_memcmp(a->cipher, b->cipher, a->cipher_len) && !CRYPTO_memcmp(a->auth, b->auth, a->auth_len);
}

/* by the clear text where both know it, else by the type 6 text */
static int psk_eq(const struct cfg_isakmp_key *a, const struct cfg_isakmp_key *b)
{
    if (!(SAME(by_hostname) && SAMES(hostname) && SAME(addr) && SAME(mask) && SAME(no_xauth) &&
          !a->key6[0] == !b->key6[0]))
        return 0;
    return a->sealed || b->sealed ? SAMES(key6) : SAMES(key);
}

static int local_eq(const struct cfg_local_address *a, const struct cfg_local_address *b)
{
    return SAME(set) && SAME(addr) && SAMES(ifname);
}

static int keyring_eq(const struct cfg_keyring *a, const struct cfg_keyring *b)
{
    if (!(SAMES(name) && SAMES(description) && local_eq(&a->local, &b->local) && SAME(nkeys)))
        return 0;
    for (unsigned k = 0; k < a->nkeys; k++)
        if (!psk_eq(&a->keys[k], &b->keys[k]))
            return 0;
    return 1;
}

static int profile_eq(const struct cfg_isakmp_profile *a, const struct cfg_isakmp_profile *b)
{
    if (!(SAMES(name) && SAMES(description) && SAME(nidents) && SAME(nkeyrings) && SAME(ncertmaps) &&
          SAME(self_id) && SAMES(self_user_fqdn) && SAME(keepalive) && SAME(keepalive_retry) &&
          local_eq(&a->local, &b->local)))
        return 0;
    for (unsigned k = 0; k < a->nidents; k++) {
        const struct cfg_ident *x = &a->idents[k], *y = &b->idents[k];
        if (x->type != y->type || x->addr != y->addr || x->mask != y->mask || strcmp(x->name, y->name))
            return 0;
    }
    for (unsigned k = 0; k < a->nkeyrings; k++)
        if (strcmp(a->keyrings[k], b->keyrings[k]))
            return 0;
    for (unsigned k = 0; k < a->ncertmaps; k++)
        if (strcmp(a->certmaps[k], b->certmaps[k]))
            return 0;
    return 1;
}

static int map_eq(const struct cfg_crypto_map *a, const struct cfg_crypto_map *b)
{
    if (!(SAMES(tag) && SAME(seq) && SAME(type) && SAMES(description) && SAME(npeers) && SAME(ntsets) && SAME(acl) &&
          SAME(life_kb) && SAME(life_sec) && SAME(pfs) && SAME(udp_encap) && SAMES(isakmp_profile)))
        return 0;
    for (unsigned k = 0; k < a->npeers; k++)
        if (a->peers[k] != b->peers[k])
            return 0;
    for (unsigned k = 0; k < a->ntsets; k++)
        if (strcmp(a->tsets[k], b->tsets[k]))
            return 0;
    for (int d = 0; d < 2; d++)
        if (!key_eq(&a->esp[d], &b->esp[d]) || !key_eq(&a->ah[d], &b->ah[d]))
            return 0;
    return 1;
}

int config_equal(const struct config *x, const struct config *y)
{
    const struct config *a = x, *b = y;
    if (!(SAMES(version) && SAMES(hostname) && SAMES(domain) && SAME(nhosts) && SAME(accelerator) && SAME(npolicies) &&
          SAME(nikeys) && SAME(identity) && SAME(sa_life_kb) && SAME(sa_life_sec) && SAME(replay_window) &&
          SAME(ntsets) && SAME(nmaps) && SAME(npubkeys) && SAME(nifs) && SAME(nroutes) && SAME(naces) &&
          SAME(dpd_seconds) && SAME(dpd_retry) && SAME(dpd_periodic) && SAME(nat_keepalive) && SAME(cac_ike_sa) &&
          SAME(cac_in_nego) && SAME(nkeyrings) && SAME(nprofiles) && SAME(nmap_locals) && SAME(master_key_set) &&
          SAME(password_encryption)))
        return 0;
    for (unsigned k = 0; k < x->nkeyrings; k++)
        if (!keyring_eq(&x->keyrings[k], &y->keyrings[k]))
            return 0;
    for (unsigned k = 0; k < x->nprofiles; k++)
        if (!profile_eq(&x->profiles[k], &y->profiles[k]))
            return 0;
    for (unsigned k = 0; k < x->nmap_locals; k++) {
        const struct cfg_map_local *a = &x->map_locals[k], *b = &y->map_locals[k];
        if (!(SAMES(tag) && SAMES(ifname)))
            return 0;
    }
    for (unsigned k = 0; k < x->nhosts; k++) {
        const struct cfg_host *a = &x->hosts[k], *b = &y->hosts[k];
        if (!(SAMES(name) && SAME(addr)))
            return 0;
    }
    for (unsigned k = 0; k < x->npolicies; k++) {
        const struct cfg_isakmp_policy *a = &x->policies[k], *b = &y->policies[k];
        if (!(SAME(priority) && SAME(encr) && SAME(aes_bits) && SAME(hash) && SAME(auth) && SAME(group) &&
              SAME(lifetime)))
            return 0;
    }
    for (unsigned k = 0; k < x->nikeys; k++)
        if (!psk_eq(&x->ikeys[k], &y->ikeys[k]))
            return 0;
    for (unsigned k = 0; k < x->ntsets; k++) {
        const struct cfg_transform_set *a = &x->tsets[k], *b = &y->tsets[k];
        if (!(SAMES(name) && SAME(ah) && SAME(cipher) && SAME(aes_bits) && SAME(esp_auth) && SAME(mode)))
            return 0;
    }
    for (unsigned k = 0; k < x->nmaps; k++)
        if (!map_eq(&x->maps[k], &y->maps[k]))
            return 0;
    for (unsigned k = 0; k < x->npubkeys; k++) {
        const struct cfg_pubkey *a = &x->pubkeys[k], *b = &y->pubkeys[k];
        if (!(SAME(addressed) && SAMES(name) && SAME(has_addr) && SAME(addr) && SAME(usage) && SAME(der_len) &&
              (!a->der_len || !memcmp(a->der, b->der, a->der_len))))
            return 0;
    }
    for (unsigned k = 0; k < x->nifs; k++) {
        const struct cfg_interface *a = &x->ifs[k], *b = &y->ifs[k];
        if (!(SAMES(name) && SAMES(description) && SAME(has_address) && SAME(addr) && SAME(mask) &&
              SAMES(crypto_map) && SAME(shutdown) && SAMES(linux_ifname)))
            return 0;
    }
    for (unsigned k = 0; k < x->nroutes; k++) {
        const struct cfg_route *a = &x->routes[k], *b = &y->routes[k];
        if (!(SAME(prefix) && SAME(mask) && SAME(nexthop) && SAMES(ifname)))
            return 0;
    }
    for (unsigned k = 0; k < x->naces; k++) {
        const struct cfg_ace *a = &x->aces[k], *b = &y->aces[k];
        if (!(SAME(number) && SAME(deny) && SAME(proto) && SAME(src) && SAME(src_wild) && SAME(dst) &&
              SAME(dst_wild) && SAME(src_port) && SAME(dst_port)))
            return 0;
    }
    return 1;
}
