/* trust.c - the trust store (doc/signed-images.md, "Key store"): the public
 * keys signed images are verified against, with their type (production,
 * special, rollover), version and state (active or revoked).
 *
 * On disk: a directory with two copies, `primary` and `backup`, of the same
 * bytes (format below). Loading takes the primary and falls back to the
 * backup when the primary is missing or damaged, and says so. Every change
 * writes the backup first, then the primary, each to a temporary file that
 * is fsynced, renamed over the old one, and the directory fsynced: a crash
 * at any point leaves at least one complete copy, old or new. A change is
 * computed in full and checked before anything is written, and the store
 * in memory changes only once both copies are on disk, so a refused or
 * failed change changes nothing.
 *
 * Format 1, all integers little-endian:
 *   0   8   magic "XCETRUST"
 *   8   2   format version, 1
 *   10  2   key count, 1..78
 *   12  4   file length in bytes, digest included
 *   16  8   generation: 1 at install, +1 with every change
 *   24  ..  keys, sorted by key type letter then version, no two alike:
 *           key type 'P'/'R'/'S' (1), version 'A'..'Z' (1), state (1:
 *           1 active, 2 revoked), reserved 0 (1), modulus bits (2: 2048,
 *           3072 or 4096), key length (2: 1..2048), the key as canonical
 *           DER SubjectPublicKeyInfo
 *   ..  64  SHA-512 of every preceding byte
 * There is exactly one spelling of a store, so a copy that loads writes
 * back byte for byte the same.
 *
 * Writers (install, apply) hold an exclusive flock on the directory, and a
 * change is refused if the store on disk is no longer the one this handle
 * loaded: two programs changing the store at once cannot lose a revoke. The digest catches damage, not forgery: the
 * store is protected by its directory's permissions (public keys: files
 * 0644, directory 0755, owned by whoever installed it).
 *
 * Every byte of a store file and of a revocation payload is read through
 * byteread.h. */
#include "image.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "byteread.h"
#include "xce_internal.h"

/* where the store lives when neither the caller nor $XCE_KEY_STORE says;
 * the Makefile sets it from the installation directories */
#ifndef XCE_KEY_STORE_DIR
#define XCE_KEY_STORE_DIR "/usr/local/lib/xce/keys"
#endif

#define STATE_ACTIVE 1
#define STATE_REVOKED 2
#define DIGEST_LEN 64
#define KEY_REC_LEN 8                    /* a key record before its DER */
#define PEM_MAX (64u * 1024)
/* the largest revocation image: 16 adds of the largest key, RSA-4096 */
#define REVK_IMAGE_MAX \
    (XCE_IMG_HDR_LEN + XCE_REVK_MAGIC_LEN + 4 + XCE_REVK_MAX_RECORDS * (6 + XCE_SPKI_MAX) + XCE_IMG_MAX_SIG)

struct tkey {
    char type, version;
    int revoked;
    unsigned bits;
    uint8_t *spki;           /* canonical DER SubjectPublicKeyInfo */
    size_t spki_len;
    uint8_t *mod;            /* the modulus: two entries with the same one are the same key */
    size_t mod_len;
    xce_rsa_key *rsa;
};

struct xce_trust {
    char *dir;               /* NULL: parsed from memory, cannot be changed */
    uint64_t generation;
    int used_backup;
    unsigned n;
    struct tkey *keys[XCE_TRUST_MAX_KEYS];   /* store order; never removed while open */
};

static const char *type_name(char t)
{
    return t == XCE_IMAGE_KEY_PRODUCTION ? "production"
           : t == XCE_IMAGE_KEY_SPECIAL  ? "special"
           : t == XCE_IMAGE_KEY_ROLLOVER ? "rollover"
                                         : "?";
}

/* store order: key type letter, then version */
static int key_cmp(char t1, char v1, char t2, char v2)
{
    if (t1 != t2)
        return (unsigned char)t1 < (unsigned char)t2 ? -1 : 1;
    return v1 == v2 ? 0 : (unsigned char)v1 < (unsigned char)v2 ? -1 : 1;
}

static const char *default_dir(void)
{
    /* secure_getenv: a set-uid program does not take its store from the caller */
    const char *e = secure_getenv("XCE_KEY_STORE");
    return e && *e ? e : XCE_KEY_STORE_DIR;
}

static void tkey_free(struct tkey *k)
{
    if (!k)
        return;
    free(k->spki);
    free(k->mod);
    xce_rsa_key_free(k->rsa);
    free(k);
}

/* --- public keys ------------------------------------------------------ */

/* A canonical DER SubjectPublicKeyInfo of an RSA key the store takes;
 * *bits and (mod non-NULL) a malloc'ed copy of the modulus. */
static int spki_decode(const uint8_t *der, size_t len, unsigned *bits, uint8_t **mod, size_t *mod_len, char *why,
                       size_t why_len)
{
    if (mod)
        *mod = NULL;
    if (len == 0 || len > XCE_SPKI_MAX)
        return xce_fail(why, why_len, "bad key: %zu bytes of DER (1..%d)", len, XCE_SPKI_MAX);
    const unsigned char *p = der;
    EVP_PKEY *pk = d2i_PUBKEY(NULL, &p, (long)len);
    unsigned char *re = NULL;
    BIGNUM *n = NULL, *e = NULL;
    int rc = -1;
    if (!pk || p != der + len) {
        xce_fail(why, why_len, "bad key: not a DER SubjectPublicKeyInfo");
        goto out;
    }
    if (EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA) {
        xce_fail(why, why_len, "bad key: not an RSA key");
        goto out;
    }
    int re_len = i2d_PUBKEY(pk, &re);
    if (re_len < 0 || (size_t)re_len != len || memcmp(re, der, len) != 0) {
        xce_fail(why, why_len, "bad key: not in canonical DER");
        goto out;
    }
    if (!EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &n) ||
        !EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e)) {
        xce_fail(why, why_len, "bad key: no RSA modulus and exponent");
        goto out;
    }
    unsigned b = (unsigned)BN_num_bits(n);
    if (b != 2048 && b != 3072 && b != 4096) {
        xce_fail(why, why_len, "bad key: RSA-%u (2048, 3072 or 4096 bits)", b);
        goto out;
    }
    if (!BN_is_odd(n) || !BN_is_odd(e) || BN_num_bits(e) < 2 || BN_num_bits(e) > 256) {
        xce_fail(why, why_len, "bad key: public exponent or modulus unusable (odd, exponent 3..2^256)");
        goto out;
    }
    if (mod) {
        *mod_len = (size_t)BN_num_bytes(n);
        *mod = malloc(*mod_len);
        if (!*mod || BN_bn2bin(n, *mod) != (int)*mod_len) {
            free(*mod);
            *mod = NULL;
            xce_fail(why, why_len, "out of memory");
            goto out;
        }
    }
    *bits = b;
    rc = 0;
out:
    if (rc != 0)
        ERR_clear_error();   /* the reason is ours; leave the thread's queue clean */
    OPENSSL_free(re);
    BN_free(n);
    BN_free(e);
    EVP_PKEY_free(pk);
    return rc;
}

int xce_spki_check(const uint8_t *der, size_t len, unsigned *bits, char *why, size_t why_len)
{
    unsigned b = 0;
    if (!der || spki_decode(der, len, &b, NULL, NULL, why, why_len) != 0)
        return der ? -1 : xce_fail(why, why_len, "bad key: none");
    if (bits)
        *bits = b;
    return 0;
}

/* A key entry from DER (already known canonical or checked here). */
static struct tkey *tkey_new(char type, char version, int revoked, const uint8_t *der, size_t len, char *why,
                             size_t why_len)
{
    struct tkey *k = calloc(1, sizeof *k);
    if (!k) {
        xce_fail(why, why_len, "out of memory");
        return NULL;
    }
    k->type = type;
    k->version = version;
    k->revoked = revoked;
    if (spki_decode(der, len, &k->bits, &k->mod, &k->mod_len, why, why_len) != 0) {
        tkey_free(k);
        return NULL;
    }
    k->spki = malloc(len);
    if (!k->spki) {
        xce_fail(why, why_len, "out of memory");
        tkey_free(k);
        return NULL;
    }
    memcpy(k->spki, der, len);
    k->spki_len = len;
    int rc = xce_rsa_key_parse(k->spki, len, NULL, &k->rsa);
    if (rc != XCE_OK || xce_rsa_key_bits(k->rsa) != k->bits) {
        xce_fail(why, why_len, "bad key: libxce cannot use it (%s)", xce_strerror(rc));
        tkey_free(k);
        return NULL;
    }
    return k;
}

static int same_key(const struct tkey *a, const struct tkey *b)
{
    return a->mod_len == b->mod_len && memcmp(a->mod, b->mod, a->mod_len) == 0;
}

/* --- the store's bytes -------------------------------------------------- */

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* keys[] in store order; the revoked flag is taken from each entry */
static int encode(uint64_t generation, struct tkey *const *keys, unsigned n, uint8_t **out, size_t *out_len)
{
    size_t len = XCE_TRUST_HDR_LEN + DIGEST_LEN;
    for (unsigned i = 0; i < n; i++)
        len += KEY_REC_LEN + keys[i]->spki_len;
    uint8_t *b = calloc(1, len);
    if (!b)
        return XCE_ERR_NOMEM;
    memcpy(b, XCE_TRUST_MAGIC, XCE_TRUST_MAGIC_LEN);
    put_le(b + 8, XCE_TRUST_FORMAT, 2);
    put_le(b + 10, n, 2);
    put_le(b + 12, len, 4);
    put_le(b + 16, generation, 8);
    size_t off = XCE_TRUST_HDR_LEN;
    for (unsigned i = 0; i < n; i++) {
        const struct tkey *k = keys[i];
        b[off] = (uint8_t)k->type;
        b[off + 1] = (uint8_t)k->version;
        b[off + 2] = k->revoked ? STATE_REVOKED : STATE_ACTIVE;
        put_le(b + off + 4, k->bits, 2);
        put_le(b + off + 6, k->spki_len, 2);
        memcpy(b + off + KEY_REC_LEN, k->spki, k->spki_len);
        off += KEY_REC_LEN + k->spki_len;
    }
    if (EVP_Digest(b, off, b + off, NULL, EVP_sha512(), NULL) != 1) {
        free(b);
        return XCE_ERR_SOFTWARE;
    }
    *out = b;
    *out_len = len;
    return XCE_OK;
}

static uint64_t rd_u64le(struct xce_rd *rd)
{
    uint64_t lo = xce_rd_u32le(rd);
    uint64_t hi = xce_rd_u32le(rd);
    return lo | hi << 32;
}

static void store_free(xce_trust *t)
{
    if (!t)
        return;
    for (unsigned i = 0; i < t->n; i++)
        tkey_free(t->keys[i]);
    free(t->dir);
    free(t);
}

static int decode(const uint8_t *buf, size_t len, xce_trust **out, char *why, size_t why_len)
{
    *out = NULL;
    struct xce_rd rd;
    xce_rd_init(&rd, buf, len);
    const uint8_t *magic = xce_rd_ptr(&rd, XCE_TRUST_MAGIC_LEN);
    unsigned format = xce_rd_u16le(&rd);
    unsigned n = xce_rd_u16le(&rd);
    uint32_t file_len = xce_rd_u32le(&rd);
    uint64_t generation = rd_u64le(&rd);
    if (rd.err)
        return xce_fail(why, why_len, "truncated: %zu bytes", len);
    if (memcmp(magic, XCE_TRUST_MAGIC, XCE_TRUST_MAGIC_LEN) != 0)
        return xce_fail(why, why_len, "bad magic (not a key store)");
    if (format != XCE_TRUST_FORMAT)
        return xce_fail(why, why_len, "unsupported format version %u (this driver reads %d)", format, XCE_TRUST_FORMAT);
    if (n < 1 || n > XCE_TRUST_MAX_KEYS)
        return xce_fail(why, why_len, "bad key count %u (1..%d)", n, XCE_TRUST_MAX_KEYS);
    if (file_len < XCE_TRUST_HDR_LEN + DIGEST_LEN || file_len > XCE_TRUST_MAX_FILE)
        return xce_fail(why, why_len, "bad file length %u", file_len);
    if (len < file_len)
        return xce_fail(why, why_len, "truncated: %zu bytes, the header announces %u", len, file_len);
    if (len > file_len)
        return xce_fail(why, why_len, "trailing data: %zu bytes, the header announces %u", len, file_len);

    /* the digest before anything else is interpreted */
    struct xce_rd whole;
    xce_rd_init(&whole, buf, len);
    const uint8_t *body = xce_rd_ptr(&whole, len - DIGEST_LEN);
    const uint8_t *stored = xce_rd_ptr(&whole, DIGEST_LEN);
    uint8_t md[DIGEST_LEN];
    if (whole.err)
        return xce_fail(why, why_len, "truncated");   /* not reached: the length was checked */
    if (EVP_Digest(body, len - DIGEST_LEN, md, NULL, EVP_sha512(), NULL) != 1)
        return xce_fail(why, why_len, "cannot compute SHA-512");
    if (CRYPTO_memcmp(md, stored, DIGEST_LEN) != 0)
        return xce_fail(why, why_len, "digest mismatch");

    xce_trust *t = calloc(1, sizeof *t);
    if (!t)
        return xce_fail(why, why_len, "out of memory");
    t->generation = generation;
    struct xce_rd kr;                 /* the keys: what lies between header and digest */
    xce_rd_init(&kr, body, len - DIGEST_LEN);
    xce_rd_skip(&kr, XCE_TRUST_HDR_LEN);
    char ewhy[160];
    for (unsigned i = 0; i < n; i++) {
        unsigned type = xce_rd_u8(&kr), version = xce_rd_u8(&kr), state = xce_rd_u8(&kr), res = xce_rd_u8(&kr);
        unsigned bits = xce_rd_u16le(&kr), klen = xce_rd_u16le(&kr);
        const uint8_t *der = xce_rd_ptr(&kr, klen);
        if (kr.err) {
            xce_fail(why, why_len, "truncated: key %u of %u", i + 1, n);
            goto bad;
        }
        if (!xce_image_key_type_ok(type) || !xce_image_key_version_ok(version)) {
            xce_fail(why, why_len, "key %u: bad key type or version 0x%02x 0x%02x", i + 1, type, version);
            goto bad;
        }
        if (state != STATE_ACTIVE && state != STATE_REVOKED) {
            xce_fail(why, why_len, "key S%c%c: bad state %u", type, version, state);
            goto bad;
        }
        if (res) {
            xce_fail(why, why_len, "key S%c%c: reserved field not zero", type, version);
            goto bad;
        }
        if (i && key_cmp(t->keys[i - 1]->type, t->keys[i - 1]->version, (char)type, (char)version) >= 0) {
            xce_fail(why, why_len, "key S%c%c: keys out of order or repeated", type, version);
            goto bad;
        }
        struct tkey *k = tkey_new((char)type, (char)version, state == STATE_REVOKED, der, klen, ewhy, sizeof ewhy);
        if (!k) {
            xce_fail(why, why_len, "key S%c%c: %s", type, version, ewhy);
            goto bad;
        }
        t->keys[t->n++] = k;
        if (k->bits != bits) {
            xce_fail(why, why_len, "key S%c%c: %u bits recorded, the key has %u", type, version, bits, k->bits);
            goto bad;
        }
        for (unsigned j = 0; j < i; j++)
            if (same_key(t->keys[j], k)) {
                xce_fail(why, why_len, "key S%c%c: the same key as S%c%c", type, version, t->keys[j]->type,
                         t->keys[j]->version);
                goto bad;
            }
    }
    if (xce_rd_left(&kr)) {
        xce_fail(why, why_len, "trailing data: %zu bytes after the last key", xce_rd_left(&kr));
        goto bad;
    }
    *out = t;
    return 0;
bad:
    store_free(t);
    return -1;
}

int xce_trust_parse(const uint8_t *buf, size_t len, xce_trust **out, char *why, size_t why_len)
{
    if (!out)
        return -1;
    *out = NULL;
    if (!buf && len)
        return xce_fail(why, why_len, "no data");
    return decode(buf, len, out, why, why_len);
}

int xce_trust_serialize(const xce_trust *t, uint8_t **buf, size_t *len)
{
    if (!t || !buf || !len)
        return XCE_ERR_INVAL;
    return encode(t->generation, t->keys, t->n, buf, len);
}

int xce_trust_used_backup(const xce_trust *t) { return t ? t->used_backup : 0; }

/* --- files -------------------------------------------------------------- */

/* Read a regular file of at most cap bytes. 0; -1 (missing: *missing set)
 * or -1 with the reason. With too_big, a longer file is not an error: its
 * first cap + 1 bytes are returned and *too_big set. */
static int read_file(const char *path, size_t cap, uint8_t **out, size_t *out_len, int *missing, int *too_big,
                     char *why, size_t why_len)
{
    *out = NULL;
    *out_len = 0;
    if (missing)
        *missing = 0;
    if (too_big)
        *too_big = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (missing)
            *missing = errno == ENOENT;
        return xce_fail(why, why_len, "cannot open: %s", strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return xce_fail(why, why_len, "not a regular file");
    }
    uint8_t *b = malloc(cap + 1);
    if (!b) {
        close(fd);
        return xce_fail(why, why_len, "out of memory");
    }
    size_t got = 0;
    while (got < cap + 1) {
        ssize_t r = read(fd, b + got, cap + 1 - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(b);
            close(fd);
            return xce_fail(why, why_len, "cannot read: %s", strerror(e));
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (got > cap) {
        if (!too_big) {
            free(b);
            return xce_fail(why, why_len, "too large (more than %zu bytes)", cap);
        }
        *too_big = 1;
    }
    *out = b;
    *out_len = got;
    return 0;
}

static int path_join(char *out, size_t cap, const char *dir, const char *name)
{
    int n = snprintf(out, cap, "%s/%s", dir, name);
    return n >= 0 && (size_t)n < cap;
}

static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* An exclusive lock on the store's directory for a writer: the fd to
 * close when done, or -1 with the reason. */
static int lock_dir(const char *dir, char *why, size_t why_len)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return xce_fail(why, why_len, "cannot open %s: %s", dir, strerror(errno));
    while (flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            int e = errno;
            close(fd);
            return xce_fail(why, why_len, "cannot lock %s: %s", dir, strerror(e));
        }
    }
    return fd;
}

/* dir/name := buf, atomically: temporary file, fsync, rename, fsync(dir). */
static int write_copy(const char *dir, const char *name, const uint8_t *buf, size_t len, char *why, size_t why_len)
{
    char tmp[PATH_MAX], final[PATH_MAX], tname[64];
    snprintf(tname, sizeof tname, ".%s.XXXXXX", name);
    if (!path_join(tmp, sizeof tmp, dir, tname) || !path_join(final, sizeof final, dir, name))
        return xce_fail(why, why_len, "key store path too long");
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        return xce_fail(why, why_len, "cannot write the %s copy in %s: %s", name, dir, strerror(errno));
    int ok = fchmod(fd, 0644) == 0;
    for (size_t off = 0; ok && off < len;) {
        ssize_t w = write(fd, buf + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        ok = w > 0;
        if (ok)
            off += (size_t)w;
    }
    ok = ok && fsync(fd) == 0;
    int e = errno;
    ok = close(fd) == 0 && ok;
    if (ok && rename(tmp, final) != 0)
        ok = 0, e = errno;
    if (!ok) {
        unlink(tmp);
        return xce_fail(why, why_len, "cannot write the %s copy in %s: %s", name, dir, strerror(e ? e : EIO));
    }
    if (fsync_dir(dir) != 0)
        return xce_fail(why, why_len, "cannot sync %s: %s", dir, strerror(errno));
    return 0;
}

/* --- open, close, enumerate -------------------------------------------- */

int xce_trust_open(const char *dir, xce_trust **out, char *why, size_t why_len)
{
    if (why && why_len)
        why[0] = 0;
    if (!out)
        return XCE_ERR_INVAL;
    *out = NULL;
    if (!dir)
        dir = default_dir();
    char ppath[PATH_MAX], bpath[PATH_MAX];
    if (!path_join(ppath, sizeof ppath, dir, "primary") || !path_join(bpath, sizeof bpath, dir, "backup")) {
        xce_fail(why, why_len, "key store path too long");
        return XCE_ERR_INVAL;
    }
    char pwhy[200] = "", bwhy[200] = "";
    uint8_t *pbuf = NULL, *bbuf = NULL;
    size_t plen = 0, blen = 0;
    int pmissing = 0, bmissing = 0;
    xce_trust *pt = NULL, *bt = NULL;
    int pok = read_file(ppath, XCE_TRUST_MAX_FILE, &pbuf, &plen, &pmissing, NULL, pwhy, sizeof pwhy) == 0 &&
              decode(pbuf, plen, &pt, pwhy, sizeof pwhy) == 0;
    int bok = read_file(bpath, XCE_TRUST_MAX_FILE, &bbuf, &blen, &bmissing, NULL, bwhy, sizeof bwhy) == 0 &&
              decode(bbuf, blen, &bt, bwhy, sizeof bwhy) == 0;
    int rc = XCE_OK;
    if (pok) {
        if (!bok && bmissing)
            xce_fail(why, why_len, "backup copy of the key store in %s missing: the next change rewrites it", dir);
        else if (!bok)
            xce_fail(why, why_len, "backup copy of the key store in %s damaged (%s): the next change rewrites it", dir,
                     bwhy);
        else if (plen != blen || memcmp(pbuf, bbuf, plen) != 0)
            xce_fail(why, why_len, "backup copy of the key store in %s differs from the primary (an interrupted "
                     "change?): using the primary", dir);
        *out = pt;
        pt = NULL;
    } else if (bok) {
        if (pmissing)
            xce_fail(why, why_len, "primary copy of the key store in %s missing: using the backup", dir);
        else
            xce_fail(why, why_len, "primary copy of the key store in %s damaged (%s): using the backup", dir, pwhy);
        bt->used_backup = 1;
        *out = bt;
        bt = NULL;
    } else if (pmissing && bmissing) {
        xce_fail(why, why_len, "no key store in %s (create one with xce image trust install)", dir);
        rc = XCE_ERR_INVAL;
    } else {
        xce_fail(why, why_len, "key store in %s unusable: primary: %s; backup: %s", dir, pmissing ? "missing" : pwhy,
                 bmissing ? "missing" : bwhy);
        rc = XCE_ERR_INVAL;
    }
    if (*out && !((*out)->dir = strdup(dir))) {
        store_free(*out);
        *out = NULL;
        rc = XCE_ERR_NOMEM;
    }
    store_free(pt);
    store_free(bt);
    free(pbuf);
    free(bbuf);
    return rc;
}

void xce_trust_close(xce_trust *t) { store_free(t); }

int xce_trust_key(const xce_trust *t, unsigned index, struct xce_trust_key *out)
{
    if (!t || !out || index >= t->n)
        return XCE_ERR_INVAL;
    const struct tkey *k = t->keys[index];
    out->key_type = k->type;
    out->key_version = k->version;
    out->revoked = k->revoked;
    out->bits = k->bits;
    out->spki = k->spki;
    out->spki_len = k->spki_len;
    return XCE_OK;
}

const xce_rsa_key *xce_trust_find(const xce_trust *t, char key_type, char key_version, int *revoked)
{
    for (unsigned i = 0; t && i < t->n; i++)
        if (t->keys[i]->type == key_type && t->keys[i]->version == key_version) {
            if (revoked)
                *revoked = t->keys[i]->revoked;
            return t->keys[i]->rsa;
        }
    return NULL;
}

/* --- install ------------------------------------------------------------ */

static int no_passphrase(char *pass, size_t size, size_t *len, const OSSL_PARAM params[], void *arg)
{
    (void)pass, (void)size, (void)params, (void)arg;
    *len = 0;
    return 0;   /* an encrypted file is not a public key: never prompt */
}

/* A PEM RSA public key (SPKI or PKCS#1) to canonical DER SPKI. */
static int pem_to_spki(const uint8_t *pem, size_t len, uint8_t **der, size_t *der_len, char *why, size_t why_len)
{
    EVP_PKEY *pk = NULL;
    OSSL_DECODER_CTX *dctx = OSSL_DECODER_CTX_new_for_pkey(&pk, "PEM", NULL, "RSA", 0, NULL, NULL);
    if (!dctx)
        return xce_fail(why, why_len, "out of memory");
    OSSL_DECODER_CTX_set_passphrase_cb(dctx, no_passphrase, NULL);
    const unsigned char *p = pem;
    size_t left = len;
    int ok = OSSL_DECODER_from_data(dctx, &p, &left) == 1 && pk;
    OSSL_DECODER_CTX_free(dctx);
    int rc = -1;
    BIGNUM *d = NULL;
    unsigned char *out = NULL;
    if (!ok) {
        xce_fail(why, why_len, "not a PEM RSA public key");
    } else if (EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_D, &d)) {
        xce_fail(why, why_len, "holds a private key: install public keys only");
    } else {
        int n = i2d_PUBKEY(pk, &out);
        if (n <= 0)
            xce_fail(why, why_len, "cannot encode the key");
        else {
            *der = out;
            *der_len = (size_t)n;
            out = NULL;
            rc = 0;
        }
    }
    OPENSSL_free(out);
    BN_clear_free(d);
    EVP_PKEY_free(pk);
    ERR_clear_error();
    return rc;
}

/* production-A.pem, special-B.pub.pem, ...: type and version, or 0 */
static int key_file_name(const char *name, char *type, char *version)
{
    static const struct {
        const char *word;
        char type;
    } words[] = { { "production-", 'P' }, { "special-", 'S' }, { "rollover-", 'R' } };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        size_t wl = strlen(words[i].word);
        if (strncmp(name, words[i].word, wl) != 0)
            continue;
        const char *v = name + wl;
        if (!xce_image_key_version_ok((unsigned char)v[0]) ||
            (strcmp(v + 1, ".pem") != 0 && strcmp(v + 1, ".pub.pem") != 0))
            return 0;
        *type = words[i].type;
        *version = v[0];
        return 1;
    }
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

int xce_trust_install(const char *dir, const char *src_dir, char *why, size_t why_len)
{
    if (why && why_len)
        why[0] = 0;
    if (!src_dir)
        return XCE_ERR_INVAL;
    if (!dir)
        dir = default_dir();
    struct tkey *keys[XCE_TRUST_MAX_KEYS];
    char *files[XCE_TRUST_MAX_KEYS];
    unsigned n = 0;
    int rc = XCE_ERR_INVAL, lock = -1;
    uint8_t *store = NULL;
    size_t store_len = 0;
    char path[PATH_MAX], kwhy[160];

    DIR *d = opendir(src_dir);
    if (!d) {
        xce_fail(why, why_len, "cannot read %s: %s", src_dir, strerror(errno));
        return XCE_ERR_INVAL;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *name = de->d_name;
        if (name[0] == '.' || !ends_with(name, ".pem"))
            continue;   /* only PEM files are keys; anything else (a README) is left alone */
        char type, version;
        if (!key_file_name(name, &type, &version)) {
            xce_fail(why, why_len, "%s/%s: unexpected name: public keys are named production|special|rollover-A..Z.pem "
                     "(or .pub.pem)", src_dir, name);
            goto out;
        }
        for (unsigned i = 0; i < n; i++)
            if (keys[i]->type == type && keys[i]->version == version) {
                xce_fail(why, why_len, "%s and %s in %s are both %s key %c", files[i], name, src_dir, type_name(type),
                         version);
                goto out;
            }
        uint8_t *pem = NULL, *der = NULL;
        size_t pem_len = 0, der_len = 0;
        if (!path_join(path, sizeof path, src_dir, name) ||
            read_file(path, PEM_MAX, &pem, &pem_len, NULL, NULL, kwhy, sizeof kwhy) != 0) {
            xce_fail(why, why_len, "%s/%s: %s", src_dir, name, kwhy);
            goto out;
        }
        int ok = pem_to_spki(pem, pem_len, &der, &der_len, kwhy, sizeof kwhy) == 0;
        free(pem);
        struct tkey *k = ok ? tkey_new(type, version, 0, der, der_len, kwhy, sizeof kwhy) : NULL;
        OPENSSL_free(der);
        char *fname = k ? strdup(name) : NULL;
        if (!k || !fname) {
            xce_fail(why, why_len, "%s/%s: %s", src_dir, name, k ? "out of memory" : kwhy);
            tkey_free(k);
            goto out;
        }
        /* insert in store order */
        unsigned at = n;
        while (at > 0 && key_cmp(keys[at - 1]->type, keys[at - 1]->version, type, version) > 0) {
            keys[at] = keys[at - 1];
            files[at] = files[at - 1];
            at--;
        }
        keys[at] = k;
        files[at] = fname;
        n++;
    }
    if (n == 0) {
        xce_fail(why, why_len, "no public keys in %s (production-A.pem, special-A.pem, rollover-A.pem, ...)", src_dir);
        goto out;
    }
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = 0; j < i; j++)
            if (same_key(keys[i], keys[j])) {
                xce_fail(why, why_len, "%s and %s in %s hold the same key", files[j], files[i], src_dir);
                goto out;
            }

    /* the directory: new, or one without a store */
    if (mkdir(dir, 0755) == 0) {
        if (chmod(dir, 0755) != 0) {
            xce_fail(why, why_len, "cannot set the mode of %s: %s", dir, strerror(errno));
            goto out;
        }
    } else if (errno != EEXIST) {
        xce_fail(why, why_len, "cannot create %s: %s", dir, strerror(errno));
        goto out;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        xce_fail(why, why_len, "%s is not a directory", dir);
        goto out;
    }
    if ((lock = lock_dir(dir, why, why_len)) < 0)
        goto out;
    static const char *const copies[] = { "primary", "backup" };
    for (int i = 0; i < 2; i++)
        if (path_join(path, sizeof path, dir, copies[i]) && lstat(path, &st) == 0) {
            xce_fail(why, why_len, "a key store already exists in %s", dir);
            goto out;
        }
    rc = encode(1, keys, n, &store, &store_len);
    if (rc != XCE_OK) {
        xce_fail(why, why_len, "cannot encode the key store: %s", xce_strerror(rc));
        goto out;
    }
    rc = XCE_ERR_INVAL;
    if (write_copy(dir, "backup", store, store_len, why, why_len) != 0 ||
        write_copy(dir, "primary", store, store_len, why, why_len) != 0)
        goto out;
    rc = XCE_OK;
    xce_fail(why, why_len, "installed %u key%s in %s", n, n == 1 ? "" : "s", dir);
out:
    if (lock >= 0)
        close(lock);   /* releases the lock */
    closedir(d);
    for (unsigned i = 0; i < n; i++) {
        tkey_free(keys[i]);
        free(files[i]);
    }
    free(store);
    return rc;
}

/* --- revocation images -------------------------------------------------- */

int xce_revocation_parse(const uint8_t *p, size_t len, struct xce_revk *out, char *why, size_t why_len)
{
    memset(out, 0, sizeof *out);
    struct xce_rd rd;
    xce_rd_init(&rd, p, len);
    const uint8_t *magic = xce_rd_ptr(&rd, XCE_REVK_MAGIC_LEN);
    uint32_t count = xce_rd_u32le(&rd);
    if (rd.err)
        return xce_fail(why, why_len, "bad revocation payload: truncated (%zu bytes)", len);
    if (memcmp(magic, XCE_REVK_MAGIC, XCE_REVK_MAGIC_LEN) != 0)
        return xce_fail(why, why_len, "bad revocation payload: bad magic");
    if (count < 1 || count > XCE_REVK_MAX_RECORDS)
        return xce_fail(why, why_len, "bad revocation payload: record count %u (1..%d)", count, XCE_REVK_MAX_RECORDS);
    char kwhy[160];
    for (unsigned i = 0; i < count; i++) {
        struct xce_revk_record *r = &out->rec[i];
        unsigned action = xce_rd_u8(&rd), type = xce_rd_u8(&rd), version = xce_rd_u8(&rd), res = xce_rd_u8(&rd);
        unsigned klen = xce_rd_u16le(&rd);
        const uint8_t *der = xce_rd_ptr(&rd, klen);
        if (rd.err)
            return xce_fail(why, why_len, "bad revocation payload: truncated (record %u)", i + 1);
        if (action != XCE_REVK_ADD && action != XCE_REVK_REVOKE)
            return xce_fail(why, why_len, "bad revocation payload: record %u: bad action %u", i + 1, action);
        if (type != XCE_IMAGE_KEY_PRODUCTION && type != XCE_IMAGE_KEY_SPECIAL)
            return xce_fail(why, why_len, "bad revocation payload: record %u: bad key type 0x%02x (P or S)", i + 1,
                            type);
        if (!xce_image_key_version_ok(version))
            return xce_fail(why, why_len, "bad revocation payload: record %u: bad key version 0x%02x", i + 1, version);
        if (res)
            return xce_fail(why, why_len, "bad revocation payload: record %u: reserved field not zero", i + 1);
        r->action = (int)action;
        r->key_type = (char)type;
        r->key_version = (char)version;
        if (action == XCE_REVK_ADD) {
            if (spki_decode(der, klen, &r->bits, NULL, NULL, kwhy, sizeof kwhy) != 0)
                return xce_fail(why, why_len, "bad revocation payload: record %u: %s", i + 1, kwhy);
            r->spki = der;
            r->spki_len = klen;
        } else if (klen) {
            return xce_fail(why, why_len, "bad revocation payload: record %u: a revoke carries no key", i + 1);
        }
        for (unsigned j = 0; j < i; j++)
            if (out->rec[j].action == r->action && out->rec[j].key_type == r->key_type &&
                out->rec[j].key_version == r->key_version)
                return xce_fail(why, why_len, "bad revocation payload: record %u repeats record %u", i + 1, j + 1);
        out->n = i + 1;
    }
    if (xce_rd_left(&rd))
        return xce_fail(why, why_len, "bad revocation payload: trailing data (%zu bytes)", xce_rd_left(&rd));
    return 0;
}

/* Read a revocation image; a file too large to be one is refused with its
 * header's reason when that is more telling. */
static int read_revocation(const char *path, uint8_t **buf, size_t *len, char *why, size_t why_len)
{
    int too_big = 0;
    char rwhy[160];
    if (read_file(path, REVK_IMAGE_MAX, buf, len, NULL, &too_big, rwhy, sizeof rwhy) != 0) {
        xce_fail(why, why_len, "%s: %s", path, rwhy);
        return XCE_ERR_INVAL;
    }
    if (!too_big)
        return XCE_OK;
    struct xce_image_info info;
    int rc = XCE_ERR_AUTH;
    if (xce_image_parse_header(*buf, *len, &info, why, why_len) == 0) {
        if (info.type != XCE_IMAGE_REVOCATION)
            xce_fail(why, why_len, "not a revocation image (image type %u)", info.type);
        else
            xce_fail(why, why_len, "revocation image too large (more than %d bytes)", REVK_IMAGE_MAX);
        rc = XCE_ERR_INVAL;
    }
    free(*buf);
    *buf = NULL;
    return rc;
}

/* the entry of a store (or candidate list) for type and version */
static struct tkey *find_in(struct tkey *const *keys, unsigned n, char type, char version)
{
    for (unsigned i = 0; i < n; i++)
        if (keys[i]->type == type && keys[i]->version == version)
            return keys[i];
    return NULL;
}

/* 1 (with the reason) if the store on disk is not the one t holds: another
 * program changed it since t was opened. A store that no longer loads at
 * all is not "changed": writing t repairs it. Lock held. */
static int store_changed(const xce_trust *t, char *why, size_t why_len)
{
    xce_trust *now = NULL;
    if (xce_trust_open(t->dir, &now, NULL, 0) != XCE_OK)
        return 0;
    uint8_t *a = NULL, *b = NULL;
    size_t al = 0, bl = 0;
    int changed = encode(t->generation, t->keys, t->n, &a, &al) != XCE_OK ||
                  encode(now->generation, now->keys, now->n, &b, &bl) != XCE_OK || al != bl || memcmp(a, b, al) != 0;
    if (changed)
        xce_fail(why, why_len, "the key store in %s changed since it was opened (generation %llu, now %llu): reopen it",
                 t->dir, (unsigned long long)t->generation, (unsigned long long)now->generation);
    free(a);
    free(b);
    xce_trust_close(now);
    return changed;
}

int xce_trust_apply(xce_dev *dev, xce_trust *t, const char *revocation_image, int action, char key_type, char *why,
                    size_t why_len)
{
    if (why && why_len)
        why[0] = 0;
    if (!dev || !t || !revocation_image || (action != XCE_REVK_ADD && action != XCE_REVK_REVOKE) ||
        (key_type != XCE_IMAGE_KEY_PRODUCTION && key_type != XCE_IMAGE_KEY_SPECIAL))
        return XCE_ERR_INVAL;
    if (!t->dir) {
        xce_fail(why, why_len, "the key store was not opened from a directory");
        return XCE_ERR_INVAL;
    }
    uint8_t *buf = NULL, *store = NULL;
    size_t len = 0, store_len = 0;
    int lock = -1;
    int rc = read_revocation(revocation_image, &buf, &len, why, why_len);
    if (rc != XCE_OK)
        return rc;

    /* the candidate store: copies of the entries (sharing their keys), so
     * the real one is untouched until both copies are written */
    struct tkey cand[XCE_TRUST_MAX_KEYS], *next[XCE_TRUST_MAX_KEYS], *added[XCE_REVK_MAX_RECORDS];
    int src[XCE_TRUST_MAX_KEYS];     /* next[i] is a copy of t->keys[src[i]], or new (-1) */
    unsigned n = t->n, nadded = 0;
    char done[200] = "", kwhy[160];
    for (unsigned i = 0; i < n; i++) {
        cand[i] = *t->keys[i];
        next[i] = &cand[i];
        src[i] = (int)i;
    }

    struct xce_image_info info;
    const uint8_t *payload = NULL;
    size_t payload_len = 0;
    rc = xce_image_verify_buffer(dev, t, buf, len, revocation_image, &info, &payload, &payload_len, why, why_len);
    if (rc != XCE_OK)
        goto out;
    rc = XCE_ERR_INVAL;
    if (info.type != XCE_IMAGE_REVOCATION) {
        xce_fail(why, why_len, "not a revocation image (image type %u)", info.type);
        goto out;
    }
    struct xce_revk rv;
    if (xce_revocation_parse(payload, payload_len, &rv, why, why_len) != 0)
        goto out;

    const char *verb = action == XCE_REVK_ADD ? "added" : "revoked";
    unsigned todo = 0;
    for (unsigned r = 0; r < rv.n; r++) {
        const struct xce_revk_record *rec = &rv.rec[r];
        if (rec->action != action || rec->key_type != key_type)
            continue;
        todo++;
        char kt = rec->key_type, kv = rec->key_version;
        struct tkey *have = find_in(next, n, kt, kv);
        if (action == XCE_REVK_ADD) {
            if (have && have->revoked) {
                xce_fail(why, why_len, "key S%c%c was revoked: a revoked key can never verify again", kt, kv);
                goto out;
            }
            if (have) {
                xce_fail(why, why_len, "key S%c%c already in the store", kt, kv);
                goto out;
            }
            struct tkey *k = tkey_new(kt, kv, 0, rec->spki, rec->spki_len, kwhy, sizeof kwhy);
            if (!k) {
                xce_fail(why, why_len, "key S%c%c: %s", kt, kv, kwhy);
                goto out;
            }
            added[nadded++] = k;
            for (unsigned i = 0; i < n; i++)
                if (same_key(next[i], k)) {
                    if (next[i]->revoked)
                        xce_fail(why, why_len, "key S%c%c is revoked key S%c%c: a revoked key can never verify again",
                                 kt, kv, next[i]->type, next[i]->version);
                    else
                        xce_fail(why, why_len, "key S%c%c is the same key as S%c%c", kt, kv, next[i]->type,
                                 next[i]->version);
                    goto out;
                }
            if (n == XCE_TRUST_MAX_KEYS) {
                xce_fail(why, why_len, "key store full");   /* not reached: versions are unique */
                goto out;
            }
            unsigned at = n;
            while (at > 0 && key_cmp(next[at - 1]->type, next[at - 1]->version, kt, kv) > 0) {
                next[at] = next[at - 1];
                src[at] = src[at - 1];
                at--;
            }
            next[at] = k;
            src[at] = -1;
            n++;
        } else {
            if (!have) {
                xce_fail(why, why_len, "no such key: S%c%c", kt, kv);
                goto out;
            }
            if (have->revoked) {
                xce_fail(why, why_len, "key revoked already: S%c%c", kt, kv);
                goto out;
            }
            have->revoked = 1;   /* the candidate's copy */
        }
        size_t dl = strlen(done);
        snprintf(done + dl, sizeof done - dl, "%s S%c%c", dl ? "," : verb, kt, kv);
    }
    if (!todo) {
        xce_fail(why, why_len, "nothing to apply: the image has no %s of a %s key",
                 action == XCE_REVK_ADD ? "add" : "revoke", type_name(key_type));
        goto out;
    }
    if (action == XCE_REVK_REVOKE) {
        /* IOS: a key is revoked only once its replacement is in place */
        for (unsigned r = 0; r < rv.n; r++) {
            const struct xce_revk_record *rec = &rv.rec[r];
            if (rec->action != action || rec->key_type != key_type)
                continue;
            int active = 0, newer = 0;
            for (unsigned i = 0; i < n; i++)
                if (next[i]->type == key_type && !next[i]->revoked) {
                    active = 1;
                    newer |= next[i]->version > rec->key_version;
                }
            if (!active) {
                xce_fail(why, why_len, "refused: revoking S%c%c would leave no active %s key (add its replacement "
                         "first)", key_type, rec->key_version, type_name(key_type));
                goto out;
            }
            if (!newer) {
                xce_fail(why, why_len, "refused: no newer active %s key than S%c%c (add its replacement first)",
                         type_name(key_type), key_type, rec->key_version);
                goto out;
            }
        }
    }

    rc = encode(t->generation + 1, next, n, &store, &store_len);
    if (rc != XCE_OK) {
        xce_fail(why, why_len, "cannot encode the key store: %s", xce_strerror(rc));
        goto out;
    }
    rc = XCE_ERR_INVAL;
    if ((lock = lock_dir(t->dir, why, why_len)) < 0 || store_changed(t, why, why_len))
        goto out;
    if (write_copy(t->dir, "backup", store, store_len, why, why_len) != 0)
        goto out;
    if (write_copy(t->dir, "primary", store, store_len, why, why_len) != 0) {
        /* put the backup back as it was, so nothing changed (best effort:
         * the primary, old, is complete either way) */
        uint8_t *old = NULL;
        size_t old_len = 0;
        if (encode(t->generation, t->keys, t->n, &old, &old_len) == XCE_OK)
            (void)write_copy(t->dir, "backup", old, old_len, kwhy, sizeof kwhy);
        free(old);
        goto out;
    }

    /* on disk: now the store in memory follows */
    struct tkey *merged[XCE_TRUST_MAX_KEYS];
    for (unsigned i = 0; i < n; i++) {
        merged[i] = src[i] < 0 ? next[i] : t->keys[src[i]];
        merged[i]->revoked = next[i]->revoked;
    }
    memcpy(t->keys, merged, n * sizeof *merged);
    t->n = n;
    t->generation++;
    nadded = 0;   /* owned by the store now */
    xce_fail(why, why_len, "%s", done);
    rc = XCE_OK;
out:
    if (lock >= 0)
        close(lock);   /* releases the lock */
    for (unsigned i = 0; i < nadded; i++)
        tkey_free(added[i]);
    free(store);
    free(buf);
    return rc;
}
