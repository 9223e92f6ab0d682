/* image.c - signed images (doc/signed-images.md): the header parser, the
 * name check, and the verifier, streamed from a file or from memory.
 *
 * The order of the checks is fixed, and cheap before expensive: the header
 * field by field (the fields decide everything else), then the length of
 * the file against what the header announces, then the name against the
 * envelope, then the key (in the store, active, as long as the signature),
 * and only then the SHA-512 of header and payload (on the engine when it
 * can) and the RSA check (on the PKA when it can). So a damaged or wrong
 * image is refused for its first problem, with a reason that names it, and
 * nothing is hashed for an image that could never verify.
 *
 * Every byte of a header is read through byteread.h. A file is read in
 * CHUNK-sized pieces into one buffer: memory stays flat for any size. */
#include "image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "byteread.h"
#include "xce_internal.h"

#define CHUNK (64u * 1024)
#define DIGEST_LEN 64

static void vwhy(char *why, size_t why_len, const char *fmt, va_list ap)
{
    if (why && why_len)
        vsnprintf(why, why_len, fmt, ap);
}

void xce_why(char *why, size_t why_len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwhy(why, why_len, fmt, ap);
    va_end(ap);
}

int xce_fail(char *why, size_t why_len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwhy(why, why_len, fmt, ap);
    va_end(ap);
    return -1;
}

static uint64_t rd_u64le(struct xce_rd *rd)
{
    uint64_t lo = xce_rd_u32le(rd);
    uint64_t hi = xce_rd_u32le(rd);
    return lo | hi << 32;
}

static int all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= p[i];
    return acc == 0;
}

/* A signer name field: printable ASCII, then NULs to the end (one spelling
 * per name). Copied to out (XCE_IMG_TEXT_LEN + 1 bytes), NUL-terminated. */
static int text_ok(const uint8_t *f, char *out, int need)
{
    size_t i = 0;
    while (i < XCE_IMG_TEXT_LEN && f[i] >= 0x20 && f[i] <= 0x7e) {
        out[i] = (char)f[i];
        i++;
    }
    out[i] = 0;
    if (need && i == 0)
        return 0;
    return all_zero(f + i, XCE_IMG_TEXT_LEN - i);
}

static int sig_len_ok(unsigned n) { return n == 256 || n == 384 || n == 512; }

int xce_image_parse_header(const uint8_t *hdr, size_t len, struct xce_image_info *info, char *why, size_t why_len)
{
    struct xce_image_info in;
    memset(&in, 0, sizeof in);
    if (info)
        memset(info, 0, sizeof *info);

    struct xce_rd rd;
    xce_rd_init(&rd, hdr, len);
    const uint8_t *magic = xce_rd_ptr(&rd, XCE_IMG_MAGIC_LEN);
    unsigned format = xce_rd_u16le(&rd);
    unsigned hdr_len = xce_rd_u16le(&rd);
    unsigned type = xce_rd_u8(&rd);
    unsigned hash = xce_rd_u8(&rd);
    unsigned sig_alg = xce_rd_u8(&rd);
    unsigned key_type = xce_rd_u8(&rd);
    unsigned key_version = xce_rd_u8(&rd);
    unsigned reserved1 = xce_rd_u8(&rd);
    unsigned sig_len = xce_rd_u16le(&rd);
    uint32_t reserved2 = xce_rd_u32le(&rd);
    uint64_t payload_len = rd_u64le(&rd);
    uint64_t build_time = rd_u64le(&rd);
    const uint8_t *cn = xce_rd_ptr(&rd, XCE_IMG_TEXT_LEN);
    const uint8_t *ou = xce_rd_ptr(&rd, XCE_IMG_TEXT_LEN);
    const uint8_t *on = xce_rd_ptr(&rd, XCE_IMG_TEXT_LEN);
    const uint8_t *serial = xce_rd_ptr(&rd, XCE_IMG_SERIAL_LEN);
    const uint8_t *reserved3 = xce_rd_ptr(&rd, 8);
    if (rd.err)
        return xce_fail(why, why_len, "truncated: %zu bytes, the header alone is %d", len, XCE_IMG_HDR_LEN);

    if (memcmp(magic, XCE_IMG_MAGIC, XCE_IMG_MAGIC_LEN) != 0)
        return xce_fail(why, why_len, "bad magic (not a signed image)");
    if (format != XCE_IMG_FORMAT)
        return xce_fail(why, why_len, "unsupported format version %u (this driver reads %d)", format, XCE_IMG_FORMAT);
    if (hdr_len != XCE_IMG_HDR_LEN)
        return xce_fail(why, why_len, "bad header length %u (must be %d)", hdr_len, XCE_IMG_HDR_LEN);
    if (type < XCE_IMAGE_FIRMWARE || type > XCE_IMAGE_REVOCATION)
        return xce_fail(why, why_len, "bad image type %u (1..4)", type);
    if (hash != XCE_IMG_HASH)
        return xce_fail(why, why_len, "unsupported hash algorithm %u (only %d, SHA-512)", hash, XCE_IMG_HASH);
    if (sig_alg != XCE_IMG_SIG_PKCS1)
        return xce_fail(why, why_len, "unsupported signature algorithm %u (only %d, RSASSA-PKCS1-v1_5)", sig_alg,
                        XCE_IMG_SIG_PKCS1);
    if (!xce_image_key_type_ok(key_type))
        return xce_fail(why, why_len, "bad key type 0x%02x (P, S or R)", key_type);
    if (!xce_image_key_version_ok(key_version))
        return xce_fail(why, why_len, "bad key version 0x%02x (A..Z)", key_version);
    if (reserved1)
        return xce_fail(why, why_len, "reserved field not zero (offset 17)");
    if (!sig_len_ok(sig_len))
        return xce_fail(why, why_len, "bad signature length %u (256, 384 or 512)", sig_len);
    if (reserved2)
        return xce_fail(why, why_len, "reserved field not zero (offset 20)");
    if (payload_len > XCE_IMG_MAX_PAYLOAD)
        return xce_fail(why, why_len, "payload too long: %llu bytes (at most 2^40)", (unsigned long long)payload_len);
    if (!text_ok(cn, in.common_name, 1))
        return xce_fail(why, why_len, "bad signer name (common name): printable ASCII, not empty, NUL-padded");
    if (!text_ok(ou, in.org_unit, 0))
        return xce_fail(why, why_len, "bad signer name (organization unit): printable ASCII, NUL-padded");
    if (!text_ok(on, in.org_name, 0))
        return xce_fail(why, why_len, "bad signer name (organization name): printable ASCII, NUL-padded");
    if (!all_zero(reserved3, 8))
        return xce_fail(why, why_len, "reserved field not zero (offset 248)");
    /* the rollover key signs revocation images, and only those */
    if (type == XCE_IMAGE_REVOCATION && key_type != XCE_IMAGE_KEY_ROLLOVER)
        return xce_fail(why, why_len, "revocation image not signed with a rollover key (key type %c)", key_type);
    if (type != XCE_IMAGE_REVOCATION && key_type == XCE_IMAGE_KEY_ROLLOVER)
        return xce_fail(why, why_len, "rollover key signs only revocation images (image type %u)", type);

    in.type = (enum xce_image_type)type;
    in.key_type = (char)key_type;
    in.key_version = (char)key_version;
    in.sig_bits = 8 * sig_len;
    in.payload_len = payload_len;
    in.build_time = (int64_t)build_time;
    memcpy(in.serial, serial, XCE_IMG_SERIAL_LEN);
    if (info)
        *info = in;
    return 0;
}

int xce_image_check_name(const char *name, char key_type, char key_version, char *why, size_t why_len)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    int found = 0;
    for (const char *p = base;;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n == 3 && p[0] == 'S' && xce_image_key_type_ok((unsigned char)p[1]) &&
            xce_image_key_version_ok((unsigned char)p[2])) {
            if (p[1] != key_type || p[2] != key_version)
                return xce_fail(why, why_len, "name says %.3s, envelope says S%c%c", p, key_type, key_version);
            found = 1;
        }
        if (!dot)
            break;
        p = dot + 1;
    }
    if (!found)
        return xce_fail(why, why_len, "not a signed image name: '%s' has no .S%c%c. component", base, key_type,
                        key_version);
    return 0;
}

/* The checks between the header and the hash: the length of the file, its
 * name, the key. */
static int check_envelope(const xce_trust *t, const struct xce_image_info *in, uint64_t file_len, const char *name,
                          const xce_rsa_key **key, char *why, size_t why_len)
{
    /* payload_len <= 2^40 (checked): no overflow */
    uint64_t total = XCE_IMG_HDR_LEN + in->payload_len + in->sig_bits / 8;
    if (file_len < total)
        return xce_fail(why, why_len, "truncated: %llu bytes, the header announces %llu", (unsigned long long)file_len,
                        (unsigned long long)total);
    if (file_len > total)
        return xce_fail(why, why_len, "trailing data: %llu bytes, the header announces %llu",
                        (unsigned long long)file_len, (unsigned long long)total);
    if (name && xce_image_check_name(name, in->key_type, in->key_version, why, why_len) != 0)
        return -1;
    int revoked = 0;
    const xce_rsa_key *k = xce_trust_find(t, in->key_type, in->key_version, &revoked);
    if (!k)
        return xce_fail(why, why_len, "no such key: S%c%c", in->key_type, in->key_version);
    if (revoked)
        return xce_fail(why, why_len, "key revoked: S%c%c", in->key_type, in->key_version);
    if (xce_rsa_key_bits(k) != in->sig_bits)
        return xce_fail(why, why_len, "signature length does not match key S%c%c: %u-bit signature, RSA-%u key",
                        in->key_type, in->key_version, in->sig_bits, xce_rsa_key_bits(k));
    *key = k;
    return 0;
}

static int check_signature(xce_dev *dev, const xce_rsa_key *k, const uint8_t digest[DIGEST_LEN], const uint8_t *sig,
                           size_t sig_len, char *why, size_t why_len)
{
    struct xce_rsa_params p = { .padding = XCE_RSA_PKCS1, .hash = XCE_HASH_SHA512 };
    int rc = xce_rsa_verify(dev, k, &p, digest, DIGEST_LEN, sig, sig_len);
    if (rc == XCE_ERR_AUTH)
        xce_why(why, why_len, "signature does not match");
    else if (rc != XCE_OK)
        xce_why(why, why_len, "cannot check the signature: %s", xce_strerror(rc));
    return rc;
}

static int hash_start(xce_dev *dev, xce_session **s, xce_hash_ctx **c)
{
    struct xce_hash_params hp = { .alg = XCE_HASH_SHA512 };
    *c = NULL;
    int rc = xce_hash_session_create(dev, &hp, s);
    if (rc != XCE_OK)
        return rc;
    rc = xce_hash_init(*s, c);
    if (rc != XCE_OK) {
        xce_session_destroy(*s);
        *s = NULL;
    }
    return rc;
}

static void start_outputs(struct xce_image_info *info, char *why, size_t why_len)
{
    if (info)
        memset(info, 0, sizeof *info);
    if (why && why_len)
        why[0] = 0;
}

int xce_image_verify_buffer(xce_dev *dev, const xce_trust *t, const uint8_t *buf, size_t len, const char *name,
                            struct xce_image_info *info, const uint8_t **payload, size_t *payload_len,
                            char *why, size_t why_len)
{
    start_outputs(info, why, why_len);
    if (payload)
        *payload = NULL;
    if (payload_len)
        *payload_len = 0;
    if (!dev || !t || (!buf && len))
        return XCE_ERR_INVAL;

    struct xce_image_info in;
    if (xce_image_parse_header(buf, len, &in, why, why_len) != 0)
        return XCE_ERR_AUTH;
    if (info)
        *info = in;
    const xce_rsa_key *k = NULL;
    if (check_envelope(t, &in, len, name, &k, why, why_len) != 0)
        return XCE_ERR_AUTH;

    /* the length is exact now, and payload_len <= len fits a size_t */
    struct xce_rd rd;
    xce_rd_init(&rd, buf, len);
    const uint8_t *hdr = xce_rd_ptr(&rd, XCE_IMG_HDR_LEN);
    const uint8_t *body = xce_rd_ptr(&rd, (size_t)in.payload_len);
    const uint8_t *sig = xce_rd_ptr(&rd, in.sig_bits / 8);
    if (rd.err || xce_rd_left(&rd)) {
        xce_why(why, why_len, "truncated");   /* not reached: the length was checked */
        return XCE_ERR_AUTH;
    }

    uint8_t digest[DIGEST_LEN];
    xce_session *s = NULL;
    xce_hash_ctx *c = NULL;
    int rc = hash_start(dev, &s, &c);
    if (rc == XCE_OK)
        rc = xce_hash_update(c, hdr, XCE_IMG_HDR_LEN);
    if (rc == XCE_OK)
        rc = xce_hash_update(c, body, (size_t)in.payload_len);
    if (rc == XCE_OK) {
        rc = xce_hash_final(c, digest);
        c = NULL;
    }
    xce_hash_free(c);
    xce_session_destroy(s);
    if (rc != XCE_OK) {
        xce_why(why, why_len, "cannot hash the image: %s", xce_strerror(rc));
        return rc;
    }
    rc = check_signature(dev, k, digest, sig, in.sig_bits / 8, why, why_len);
    if (rc == XCE_OK) {
        if (payload)
            *payload = body;
        if (payload_len)
            *payload_len = (size_t)in.payload_len;
    }
    return rc;
}

/* Read up to n bytes (fewer only at the end of the file); -1 on error. */
static ssize_t read_full(int fd, uint8_t *p, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, p + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

int xce_image_verify(xce_dev *dev, const xce_trust *t, const char *path, struct xce_image_info *info, char *why,
                     size_t why_len)
{
    start_outputs(info, why, why_len);
    if (!dev || !t || !path)
        return XCE_ERR_INVAL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        xce_why(why, why_len, "cannot open %s: %s", path, strerror(errno));
        return XCE_ERR_INVAL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        xce_why(why, why_len, "%s: not a regular file", path);
        close(fd);
        return XCE_ERR_INVAL;
    }
    uint8_t *buf = malloc(CHUNK);
    if (!buf) {
        close(fd);
        return XCE_ERR_NOMEM;
    }
    xce_session *s = NULL;
    xce_hash_ctx *c = NULL;
    const xce_rsa_key *k = NULL;
    struct xce_image_info in;
    uint8_t sig[XCE_IMG_MAX_SIG], digest[DIGEST_LEN], extra;
    int rc = XCE_ERR_AUTH;

    ssize_t n = read_full(fd, buf, XCE_IMG_HDR_LEN);
    if (n < 0)
        goto io_error;
    if (xce_image_parse_header(buf, (size_t)n, &in, why, why_len) != 0)
        goto out;
    if (info)
        *info = in;
    if (check_envelope(t, &in, (uint64_t)st.st_size, path, &k, why, why_len) != 0)
        goto out;

    rc = hash_start(dev, &s, &c);
    if (rc == XCE_OK)
        rc = xce_hash_update(c, buf, XCE_IMG_HDR_LEN);
    for (uint64_t left = in.payload_len; rc == XCE_OK && left;) {
        size_t want = left < CHUNK ? (size_t)left : CHUNK;
        n = read_full(fd, buf, want);
        if (n < 0)
            goto io_error;
        if ((size_t)n < want) {
            /* the length was right a moment ago: somebody is writing it */
            rc = XCE_ERR_AUTH;
            xce_why(why, why_len, "truncated: the file shrank while it was read");
            goto out;
        }
        rc = xce_hash_update(c, buf, want);
        left -= want;
    }
    if (rc == XCE_OK) {
        rc = xce_hash_final(c, digest);
        c = NULL;
    }
    if (rc != XCE_OK) {
        xce_why(why, why_len, "cannot hash the image: %s", xce_strerror(rc));
        goto out;
    }
    size_t sig_len = in.sig_bits / 8;
    n = read_full(fd, sig, sig_len);
    if (n < 0)
        goto io_error;
    rc = XCE_ERR_AUTH;
    if ((size_t)n < sig_len) {
        xce_why(why, why_len, "truncated: the file shrank while it was read");
        goto out;
    }
    n = read_full(fd, &extra, 1);
    if (n < 0)
        goto io_error;
    if (n > 0) {
        xce_why(why, why_len, "trailing data: the file grew while it was read");
        goto out;
    }
    rc = check_signature(dev, k, digest, sig, sig_len, why, why_len);
    goto out;

io_error:
    xce_why(why, why_len, "cannot read %s: %s", path, strerror(errno));
    rc = XCE_ERR_INVAL;
out:
    xce_hash_free(c);
    xce_session_destroy(s);
    free(buf);
    close(fd);
    return rc;
}

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* A name for the header: at most 64 printable characters (need: at least 1). */
static int text_put(uint8_t *f, const char *s, int need)
{
    size_t n = strnlen(s, XCE_IMG_TEXT_LEN + 1);
    if (n > XCE_IMG_TEXT_LEN || (need && n == 0))
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
            return 0;
    memset(f, 0, XCE_IMG_TEXT_LEN);
    memcpy(f, s, n);
    return 1;
}

int xce_image_header(const struct xce_image_info *info, uint8_t hdr[256])
{
    if (!info || !hdr)
        return XCE_ERR_INVAL;
    unsigned kt = (unsigned char)info->key_type, kv = (unsigned char)info->key_version;
    if (info->type < XCE_IMAGE_FIRMWARE || info->type > XCE_IMAGE_REVOCATION || !xce_image_key_type_ok(kt) ||
        !xce_image_key_version_ok(kv) || (info->type == XCE_IMAGE_REVOCATION) != (kt == XCE_IMAGE_KEY_ROLLOVER) ||
        (info->sig_bits != 2048 && info->sig_bits != 3072 && info->sig_bits != 4096) ||
        info->payload_len > XCE_IMG_MAX_PAYLOAD)
        return XCE_ERR_INVAL;
    uint8_t h[XCE_IMG_HDR_LEN];
    memset(h, 0, sizeof h);
    if (!text_put(h + 40, info->common_name, 1) || !text_put(h + 104, info->org_unit, 0) ||
        !text_put(h + 168, info->org_name, 0))
        return XCE_ERR_INVAL;
    memcpy(h, XCE_IMG_MAGIC, XCE_IMG_MAGIC_LEN);
    put_le(h + 8, XCE_IMG_FORMAT, 2);
    put_le(h + 10, XCE_IMG_HDR_LEN, 2);
    h[12] = (uint8_t)info->type;
    h[13] = XCE_IMG_HASH;
    h[14] = XCE_IMG_SIG_PKCS1;
    h[15] = (uint8_t)kt;
    h[16] = (uint8_t)kv;
    put_le(h + 18, info->sig_bits / 8, 2);
    put_le(h + 24, info->payload_len, 8);
    put_le(h + 32, (uint64_t)info->build_time, 8);
    memcpy(h + 232, info->serial, XCE_IMG_SERIAL_LEN);
    memcpy(hdr, h, sizeof h);
    return XCE_OK;
}

/* The signed image the PKA firmware was loaded from at attach (pka.c). */
int xce_get_firmware_image(xce_dev *dev, struct xce_image_info *info, char *path, size_t path_len)
{
    if (info)
        memset(info, 0, sizeof *info);
    if (path && path_len)
        path[0] = 0;
    if (!dev)
        return XCE_ERR_INVAL;
    if (dev->nmembers)
        dev = dev->members[0];   /* a pool: as its info, the first member's */
    pthread_mutex_lock(&dev->lock);
    int have = dev->fw_image_path[0] != 0;
    if (have && info)
        *info = dev->fw_image;
    if (have && path && path_len)
        snprintf(path, path_len, "%s", dev->fw_image_path);
    pthread_mutex_unlock(&dev->lock);
    return have ? XCE_OK : XCE_ERR_INVAL;
}
