/* bench_image.c - signed-image verification for xce-bench:
 *   image.verify.256M.ratio   xce_image_verify on a 256 MiB image (64 MiB
 *                             with --quick) through libxce's software path,
 *                             against `openssl dgst -sha512 -verify` on the
 *                             same bytes, in the same run, interleaved;
 *                             target >= 0.9.
 * The image is built here: a production key made by OpenSSL, a trust store
 * holding its public half, the header from xce_image_header, and the
 * signature from OpenSSL over header || payload. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "bench.h"

#define CHUNK (1u << 20)

static int write_pem(const char *path, EVP_PKEY *pk, int pub)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int ok = pub ? PEM_write_PUBKEY(f, pk) : PEM_write_PrivateKey(f, pk, NULL, NULL, 0, NULL, NULL);
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* header || payload into signed_path, the whole image into image_path */
static int build_image(EVP_PKEY *pk, uint64_t len, const char *signed_path, const char *sig_path,
                       const char *image_path)
{
    struct xce_image_info in;
    memset(&in, 0, sizeof in);
    in.type = XCE_IMAGE_SOFTWARE;
    in.key_type = XCE_IMAGE_KEY_PRODUCTION;
    in.key_version = 'A';
    in.sig_bits = 2048;
    in.payload_len = len;
    in.build_time = 1700000000;
    snprintf(in.common_name, sizeof in.common_name, "xce bench");
    uint8_t hdr[256], sig[256];
    size_t siglen = sizeof sig;
    uint8_t *buf = malloc(CHUNK);
    FILE *fs = fopen(signed_path, "wb"), *fi = fopen(image_path, "wb");
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = buf && fs && fi && md && xce_image_header(&in, hdr) == XCE_OK &&
             EVP_DigestSignInit(md, NULL, EVP_sha512(), NULL, pk) == 1 && EVP_DigestSignUpdate(md, hdr, 256) == 1 &&
             fwrite(hdr, 1, 256, fs) == 256 && fwrite(hdr, 1, 256, fi) == 256;
    for (uint64_t done = 0; ok && done < len; done += CHUNK) {
        size_t n = len - done < CHUNK ? (size_t)(len - done) : CHUNK;
        for (size_t i = 0; i < n; i++)
            buf[i] = (uint8_t)((done + i) * 2654435761u >> 13);
        ok = EVP_DigestSignUpdate(md, buf, n) == 1 && fwrite(buf, 1, n, fs) == n && fwrite(buf, 1, n, fi) == n;
    }
    ok = ok && EVP_DigestSignFinal(md, sig, &siglen) == 1 && siglen == 256 && fwrite(sig, 1, 256, fi) == 256;
    if (fs && fclose(fs) != 0)
        ok = 0;
    if (fi && fclose(fi) != 0)
        ok = 0;
    FILE *f = fopen(sig_path, "wb");
    ok = ok && f && fwrite(sig, 1, siglen, f) == siglen;
    if (f && fclose(f) != 0)
        ok = 0;
    EVP_MD_CTX_free(md);
    free(buf);
    return ok ? 0 : -1;
}

void bench_image(int quick)
{
    const uint64_t len = (quick ? 64ull : 256ull) << 20;
    char dir[] = "/tmp/xce-bench-image.XXXXXX";
    if (!mkdtemp(dir)) {
        perror("xce-bench: mkdtemp");
        return;
    }
    char keys[300], store[300], pem[320], pub[320], signed_part[320], sig[320], image[320], cmd[1400];
    snprintf(keys, sizeof keys, "%s/keys", dir);
    snprintf(store, sizeof store, "%s/store", dir);
    snprintf(pem, sizeof pem, "%s/production-A.key", dir);
    snprintf(pub, sizeof pub, "%s/production-A.pem", keys);
    snprintf(signed_part, sizeof signed_part, "%s/image.signed", dir);
    snprintf(sig, sizeof sig, "%s/image.sig", dir);
    snprintf(image, sizeof image, "%s/bench.SPA.img", dir);
    EVP_PKEY *pk = EVP_RSA_gen(2048);
    xce_dev *dev = NULL;
    xce_trust *t = NULL;
    char why[256] = "";
    int ok = pk && mkdir(keys, 0700) == 0 && write_pem(pem, pk, 0) == 0 && write_pem(pub, pk, 1) == 0 &&
             xce_trust_install(store, keys, why, sizeof why) == XCE_OK &&
             xce_trust_open(store, &t, why, sizeof why) == XCE_OK && xce_open("sw", NULL, &dev) == XCE_OK &&
             build_image(pk, len, signed_part, sig, image) == 0;
    if (!ok) {
        fprintf(stderr, "xce-bench: image setup failed %s\n", why);
        goto out;
    }
    snprintf(cmd, sizeof cmd, "openssl dgst -sha512 -verify '%s' -signature '%s' '%s' >/dev/null", pub, sig,
             signed_part);
    double t_xce = 0, t_ossl = 0;
    const int rounds = 3;
    for (int r = 0; r < rounds && ok; r++) {
        double t0 = bench_now();
        int v = xce_image_verify(dev, t, image, NULL, why, sizeof why);
        double t1 = bench_now();
        int o = system(cmd);
        double t2 = bench_now();
        ok = v == XCE_OK && o == 0;
        t_xce += t1 - t0;
        t_ossl += t2 - t1;
    }
    if (!ok) {
        fprintf(stderr, "xce-bench: image verification failed: %s\n", why);
        goto out;
    }
    char m[64], note[200];
    snprintf(m, sizeof m, "image.verify.%lluM.ratio", (unsigned long long)(len >> 20));
    snprintf(note, sizeof note,
             "xce_image_verify (software path) %.0f MB/s vs openssl dgst -sha512 -verify %.0f MB/s; target >= 0.9",
             rounds * (double)len / t_xce / 1e6, rounds * (double)len / t_ossl / 1e6);
    bench_add(m, t_ossl / t_xce, "ratio", 1, 0.9, note);
out:
    xce_close(dev);
    xce_trust_close(t);
    EVP_PKEY_free(pk);
    unlink(pem);
    unlink(pub);
    unlink(signed_part);
    unlink(sig);
    unlink(image);
    rmdir(keys);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "xce-bench: could not remove %s\n", dir);
}
