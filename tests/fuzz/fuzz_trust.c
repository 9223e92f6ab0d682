/* fuzz_trust.c - libFuzzer target for the trust store loader: the bytes of
 * a store copy (xce_trust_parse), and xce_trust_open choosing between a
 * primary and a backup copy on disk.
 *
 * Input: a flags byte, the primary's length (2 bytes, little-endian), the
 * primary's bytes, then the backup's bytes (the rest). Flags: bit 0 no
 * primary file, bit 1 no backup file, bits 2 and 3 "reseal" the primary or
 * the backup - set its file length field and recompute its SHA-512 trailer -
 * so mutations get past the integrity check to the keys themselves.
 *
 * Properties: a copy that loads writes back byte for byte the same (one
 * spelling per store); its keys are sorted, unique, of a known type and
 * version, 2048/3072/4096 bits, found by xce_trust_find and listed by
 * xce_trust_key; xce_trust_open takes the primary when it loads, else the
 * backup (and says so), else fails with a reason; a refusal always gives
 * a reason. Any violation aborts. */
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image.h"
#include "xce_internal.h"

/* the simulated backend is not linked into this target */
int xce_backend_sim_open(const char *arg, const struct xce_open_opts *o, struct xce_backend *be)
{
    (void)arg, (void)o, (void)be;
    return XCE_ERR_NODEV;
}

static char dir[512], ppath[600], bpath[600];

static void cleanup(void)
{
    unlink(ppath);
    unlink(bpath);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *td = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/xce-fuzz-trust-XXXXXX", td && *td ? td : "/tmp");
    if (!mkdtemp(dir)) {
        fprintf(stderr, "fuzz_trust: mkdtemp failed\n");
        exit(1);
    }
    snprintf(ppath, sizeof ppath, "%s/primary", dir);
    snprintf(bpath, sizeof bpath, "%s/backup", dir);
    atexit(cleanup);
    return 0;
}

static void reseal(uint8_t *b, size_t len)
{
    if (len < XCE_TRUST_HDR_LEN + 64)
        return;
    for (int i = 0; i < 4; i++)
        b[12 + i] = (uint8_t)(len >> (8 * i));
    EVP_Digest(b, len - 64, b + len - 64, NULL, EVP_sha512(), NULL);
}

/* 1 if the copy loads; checks what it loaded */
static int check_copy(const uint8_t *b, size_t len)
{
    xce_trust *t = NULL;
    char why[256] = "";
    if (xce_trust_parse(b, len, &t, why, sizeof why) != 0) {
        if (t || !why[0])
            abort();
        return 0;
    }
    uint8_t *out = NULL;
    size_t out_len = 0;
    if (!t || xce_trust_serialize(t, &out, &out_len) != XCE_OK || out_len != len || memcmp(out, b, len) != 0)
        abort();
    free(out);
    struct xce_trust_key k, prev;
    unsigned n = 0;
    for (; xce_trust_key(t, n, &k) == XCE_OK; n++) {
        if ((k.key_type != 'P' && k.key_type != 'S' && k.key_type != 'R') || k.key_version < 'A' ||
            k.key_version > 'Z' || (k.bits != 2048 && k.bits != 3072 && k.bits != 4096) || !k.spki || !k.spki_len)
            abort();
        if (n && (prev.key_type > k.key_type || (prev.key_type == k.key_type && prev.key_version >= k.key_version)))
            abort();
        int revoked = -1;
        const xce_rsa_key *rk = xce_trust_find(t, k.key_type, k.key_version, &revoked);
        unsigned bits = 0;
        if (!rk || revoked != k.revoked || xce_rsa_key_bits(rk) != k.bits ||
            xce_spki_check(k.spki, k.spki_len, &bits, why, sizeof why) != 0 || bits != k.bits)
            abort();
        prev = k;
    }
    if (n < 1 || n > XCE_TRUST_MAX_KEYS || xce_trust_used_backup(t))
        abort();
    xce_trust_close(t);
    return 1;
}

static int put(const char *path, const uint8_t *b, size_t len, int absent)
{
    unlink(path);
    if (absent)
        return 0;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    int ok = len == 0 || write(fd, b, len) == (ssize_t)len;
    return close(fd) == 0 && ok ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    unsigned flags = data[0];
    size_t plen = (size_t)data[1] | (size_t)data[2] << 8;
    if (plen > size - 3)
        plen = size - 3;
    size_t blen = size - 3 - plen;
    /* each copy in its own allocation: ASan sees any overread */
    uint8_t *p = malloc(plen ? plen : 1), *b = malloc(blen ? blen : 1);
    if (!p || !b) {
        free(p);
        free(b);
        return 0;
    }
    memcpy(p, data + 3, plen);
    memcpy(b, data + 3 + plen, blen);
    if (flags & 4)
        reseal(p, plen);
    if (flags & 8)
        reseal(b, blen);
    int pok = check_copy(p, plen) && !(flags & 1);
    int bok = check_copy(b, blen) && !(flags & 2);

    if (put(ppath, p, plen, flags & 1) != 0 || put(bpath, b, blen, flags & 2) != 0)
        abort();
    xce_trust *t = NULL;
    char why[512] = "";
    int rc = xce_trust_open(dir, &t, why, sizeof why);
    if (pok || bok) {
        uint8_t *out = NULL;
        size_t out_len = 0;
        const uint8_t *want = pok ? p : b;
        size_t want_len = pok ? plen : blen;
        if (rc != XCE_OK || !t || xce_trust_used_backup(t) != !pok ||
            xce_trust_serialize(t, &out, &out_len) != XCE_OK || out_len != want_len || memcmp(out, want, want_len) != 0)
            abort();
        if (!pok && strncmp(why, "primary copy", 12) != 0)
            abort();
        if (pok && !bok && strncmp(why, "backup copy", 11) != 0)
            abort();
        free(out);
    } else if (rc != XCE_ERR_INVAL || t || !why[0]) {
        abort();
    }
    xce_trust_close(t);
    free(p);
    free(b);
    return 0;
}
