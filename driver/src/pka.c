/* pka.c - the public-key accelerator: firmware load at attach, and modular
 * exponentiation on the engine or, when it cannot serve, in software.
 *
 * The firmware comes as a signed image (doc/signed-images.md) of type
 * firmware whose payload is the PKA firmware image (firmware/README.md),
 * read from $XCE_FIRMWARE, else from XCE_FIRMWARE_PATH (set at build time
 * to the installed location). The signature is checked against the trust
 * store and the firmware validated completely before a word reaches the
 * engine; a missing, unsigned, tampered, wrongly typed or revoked-key
 * image, or a failed known-answer test, leaves the PKA disabled with the
 * reason kept for `show crypto engine` and counted per operation.
 *
 * Operands go through the PKA_MEM_* registers (firmware slots: r0 N, r1 R2,
 * r2 X, r3 E, r4 result); the host computes n0' = -N^-1 mod 2^64 and
 * R2 = 2^(128 s) mod N. The exponent length given to the engine is the
 * caller's fixed length, never the secret exponent's bit length. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>

#include "xce_internal.h"   /* first: xce.h's enums before xce_regs.h's macros */
#include "fw_image.h"
#include "pka.h"

#ifndef XCE_FIRMWARE_PATH
#define XCE_FIRMWARE_PATH "/usr/local/lib/xce/firmware/xce-pka.SSA.img"
#endif

#define FW_MAX_BYTES (64u * 1024u)   /* a signed firmware image is < 2 KiB */
#define SLOT_WORDS XCE_PKA_SLOT_WORDS
enum { SLOT_N = 0, SLOT_R2 = 1, SLOT_X = 2, SLOT_E = 3, SLOT_RES = 4, SLOT_TMP = 5 };

static void wr(xce_dev *dev, uint32_t off, uint32_t v) { dev->be.write32(dev->be.ctx, off, v); }
static uint32_t rd(xce_dev *dev, uint32_t off) { return dev->be.read32(dev->be.ctx, off); }

const char *xce_pka_firmware_path(void)
{
    const char *env = getenv("XCE_FIRMWARE");
    return env && *env ? env : XCE_FIRMWARE_PATH;
}

static int read_file(const char *path, uint8_t **buf, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    uint8_t *b = malloc(FW_MAX_BYTES + 1);
    size_t n = b ? fread(b, 1, FW_MAX_BYTES + 1, f) : 0;
    int bad = !b || ferror(f);
    fclose(f);
    if (bad) {
        free(b);
        return -1;
    }
    *buf = b;
    *len = n;   /* an oversized file keeps one byte too many: the parser refuses it */
    return 0;
}

static void pka_disable(xce_dev *dev, enum xce_fallback reason, const char *why)
{
    dev->pka_ok = 0;
    dev->pka_reason = reason;
    snprintf(dev->pka_why, sizeof dev->pka_why, "%s", why);
    if (dev->be.write32)
        wr(dev, XCE_REG_PKA_FW_VERSION, 0);
    dev->id_fw = 0;
    dev->fw_image_path[0] = 0;
}

/* Number of 64-bit words the engine uses for a modulus of `bits` bits. */
static unsigned words_for(unsigned bits)
{
    unsigned s = (bits + 63) / 64;
    return s < 3 ? 3 : s;
}

static int put_bn(xce_dev *dev, unsigned slot, const BIGNUM *a, unsigned words)
{
    uint8_t buf[SLOT_WORDS * 8];
    if (BN_bn2lebinpad(a, buf, (int)(words * 8)) < 0)
        return -1;
    wr(dev, XCE_REG_PKA_MEM_ADDR, slot * SLOT_WORDS);
    for (unsigned i = 0; i < words; i++) {
        const uint8_t *w = buf + 8 * i;
        wr(dev, XCE_REG_PKA_MEM_WLO, (uint32_t)w[0] | (uint32_t)w[1] << 8 | (uint32_t)w[2] << 16 | (uint32_t)w[3] << 24);
        wr(dev, XCE_REG_PKA_MEM_WHI, (uint32_t)w[4] | (uint32_t)w[5] << 8 | (uint32_t)w[6] << 16 | (uint32_t)w[7] << 24);
    }
    xce_wipe(buf, sizeof buf);
    return 0;
}

static void zero_slot(xce_dev *dev, unsigned slot, unsigned words)
{
    wr(dev, XCE_REG_PKA_MEM_ADDR, slot * SLOT_WORDS);
    wr(dev, XCE_REG_PKA_MEM_WLO, 0);
    for (unsigned i = 0; i < words; i++)
        wr(dev, XCE_REG_PKA_MEM_WHI, 0);
}

static int get_bn(xce_dev *dev, unsigned slot, BIGNUM *r, unsigned words)
{
    uint8_t buf[SLOT_WORDS * 8];
    for (unsigned i = 0; i < words; i++) {
        wr(dev, XCE_REG_PKA_MEM_ADDR, slot * SLOT_WORDS + i);
        uint32_t lo = rd(dev, XCE_REG_PKA_MEM_RLO), hi = rd(dev, XCE_REG_PKA_MEM_RHI);
        for (unsigned k = 0; k < 4; k++) {
            buf[8 * i + k] = (uint8_t)(lo >> (8 * k));
            buf[8 * i + 4 + k] = (uint8_t)(hi >> (8 * k));
        }
    }
    int ok = BN_lebin2bn(buf, (int)(words * 8), r) != NULL;
    xce_wipe(buf, sizeof buf);
    return ok ? 0 : -1;
}

/* -N^-1 mod 2^64 from N's low word (N odd): Newton's iteration doubles
 * the correct low bits each step, 1 -> 64 in six steps. */
static uint64_t n0inv(const BIGNUM *n)
{
    uint8_t b[SLOT_WORDS * 8];
    if (BN_bn2lebinpad(n, b, sizeof b) < 0)
        return 0;
    uint64_t n0 = 0;
    for (int k = 7; k >= 0; k--)
        n0 = n0 << 8 | b[k];
    uint64_t x = 1;
    for (int k = 0; k < 6; k++)
        x *= 2 - n0 * x;
    return 0 - x;
}

/* Cycles the firmware's modexp takes (firmware/README.md), for the timeout. */
static uint64_t modexp_cycles(unsigned s, unsigned ebits)
{
    uint64_t p = (uint64_t)s * s + 3u * s + 3u;
    return (2ull * ebits + 3) * p + 7ull * ebits + 10;
}

static uint64_t cycles_to_ticks(xce_dev *dev, uint64_t cycles)
{
    if (strcmp(dev->be.name, "sim") == 0 || dev->id_clock_hz == 0)
        return cycles;
    return cycles * 1000000000ull / dev->id_clock_hz;   /* hardware ticks are ns */
}

/* Start the program at `entry` and wait for it to stop. */
static int run_program(xce_dev *dev, int entry, unsigned s, unsigned ebits, uint64_t expect_cycles)
{
    wr(dev, XCE_REG_PKA_CMD, (uint32_t)entry << XCE_PKA_CMD_ENTRY_SHIFT | s << XCE_PKA_CMD_SIZE_SHIFT |
                                 ebits << XCE_PKA_CMD_EXP_BITS_SHIFT);
    uint64_t t0 = dev->be.now(dev->be.ctx);
    uint64_t limit = 2 * cycles_to_ticks(dev, expect_cycles) + 100000;
    for (;;) {
        uint32_t st = rd(dev, XCE_REG_PKA_STATUS);
        if (!(st >> XCE_PKA_STATUS_BUSY_SHIFT & 1)) {
            if (st >> XCE_PKA_STATUS_DONE_SHIFT & 1)
                break;
            return XCE_ERR_ENGINE;   /* FAULT, or the start was refused */
        }
        if (dev->be.now(dev->be.ctx) - t0 > limit)
            return XCE_ERR_TIMEOUT;
        uint64_t left = expect_cycles > 64 ? cycles_to_ticks(dev, expect_cycles) : 64;
        if (dev->be.wait(dev->be.ctx, left < dev->be.wait_slice ? left : dev->be.wait_slice)) {
            /* an interrupt (PKA stop or ring completion): clear it so the
             * wait can sleep again, and let the rings harvest theirs */
            wr(dev, XCE_REG_INT_STATUS, rd(dev, XCE_REG_INT_STATUS));
            xce_ring_poll(dev, 0);
        }
    }
    dev->st.pk_cycles += rd(dev, XCE_REG_PKA_CYCLES);
    wr(dev, XCE_REG_INT_STATUS, 1u << XCE_INT_STATUS_PKA_SHIFT);
    return XCE_OK;
}

/* r = x^e mod n on the engine; x < n, n odd, ebits <= 4096, n <= 4096 bits. */
static int engine_modexp(xce_dev *dev, BIGNUM *r, const BIGNUM *x, const BIGNUM *e, unsigned ebits,
                         const BIGNUM *n, BN_CTX *ctx)
{
    unsigned s = words_for((unsigned)BN_num_bits(n));
    int rc = XCE_ERR_NOMEM;
    BN_CTX_start(ctx);
    BIGNUM *r2 = BN_CTX_get(ctx);
    if (!r2 || !BN_set_bit(r2, (int)(128 * s)) || !BN_nnmod(r2, r2, n, ctx))
        goto out;
    uint64_t n0 = n0inv(n);
    wr(dev, XCE_REG_PKA_N0INV_LO, (uint32_t)n0);
    wr(dev, XCE_REG_PKA_N0INV_HI, (uint32_t)(n0 >> 32));
    if (put_bn(dev, SLOT_N, n, s) || put_bn(dev, SLOT_R2, r2, s) || put_bn(dev, SLOT_X, x, s) ||
        put_bn(dev, SLOT_E, e, (ebits + 63) / 64 ? (ebits + 63) / 64 : 1))
        goto out;
    rc = run_program(dev, dev->pka_modexp, s, ebits, modexp_cycles(s, ebits));
    if (rc == XCE_OK)
        rc = get_bn(dev, SLOT_RES, r, s) ? XCE_ERR_NOMEM : XCE_OK;
    /* leave nothing behind in the operand memory: for an RSA private
     * operation the modulus is a prime of the key and the exponent d mod p-1 */
    if (!(rd(dev, XCE_REG_PKA_STATUS) >> XCE_PKA_STATUS_BUSY_SHIFT & 1))
        for (unsigned slot = SLOT_N; slot <= SLOT_TMP; slot++)
            zero_slot(dev, slot, s);
out:
    BN_CTX_end(ctx);
    return rc;
}

static int sw_modexp(BIGNUM *r, const BIGNUM *x, const BIGNUM *e, const BIGNUM *n, BN_CTX *ctx)
{
    BIGNUM *ec = BN_dup(e);
    if (!ec)
        return XCE_ERR_NOMEM;
    BN_set_flags(ec, BN_FLG_CONSTTIME);
    int ok = BN_mod_exp_mont_consttime(r, x, ec, n, ctx, NULL);
    BN_clear_free(ec);
    return ok ? XCE_OK : XCE_ERR_SOFTWARE;
}

/* Why the engine cannot serve this modexp now, or -1 if it can. */
static int pka_refusal(xce_dev *dev, unsigned nbits, unsigned ebits)
{
    if (!dev->engine_present)
        return XCE_FB_NO_DEVICE;
    if (dev->policy == XCE_POLICY_SOFTWARE || !dev->accel_enabled)
        return XCE_FB_DISABLED;
    if (!dev->engine_ok)
        return dev->unusable_reason;   /* e.g. its self-test failed */
    if (!dev->pka_ok)
        return (int)dev->pka_reason;
    if (nbits > dev->pka_max_bits || ebits > dev->pka_max_bits)
        return XCE_FB_ALG_UNSUPPORTED;
    return -1;
}

int xce_pka_modexp(xce_dev *dev, BIGNUM *r, const BIGNUM *x, const BIGNUM *e, unsigned ebits,
                   const BIGNUM *n, BN_CTX *ctx, int *on_engine, int sw_reason)
{
    if (BN_is_negative(n) || !BN_is_odd(n) || BN_is_one(n) || BN_is_negative(e) || BN_is_negative(x) ||
        (unsigned)BN_num_bits(e) > ebits)
        return XCE_ERR_INVAL;
    if (on_engine)
        *on_engine = 0;
    BN_CTX_start(ctx);
    BIGNUM *xr = BN_CTX_get(ctx);
    int rc = XCE_ERR_NOMEM;
    if (!xr || !BN_nnmod(xr, x, n, ctx))
        goto out;
    if (dev->nmembers)
        dev = xce_pool_pick(dev);   /* a pool: one member serves it */
    pthread_mutex_lock(&dev->lock);
    int why = sw_reason >= 0 ? sw_reason : pka_refusal(dev, (unsigned)BN_num_bits(n), ebits);
    if (why < 0) {
        rc = engine_modexp(dev, r, xr, e, ebits, n, ctx);
        if (rc == XCE_OK) {
            dev->st.pk_hw_ops++;
            if (on_engine)
                *on_engine = 1;
            pthread_mutex_unlock(&dev->lock);
            goto out;
        }
        dev->st.engine_errors += rc == XCE_ERR_ENGINE;
        dev->st.timeouts += rc == XCE_ERR_TIMEOUT;
        why = rc == XCE_ERR_TIMEOUT ? XCE_FB_ENGINE_TIMEOUT : XCE_FB_ENGINE_ERROR;
        /* the PKA has no reset of its own: one that faulted or hangs is
         * not used again on this attach */
        if (rc == XCE_ERR_TIMEOUT || rc == XCE_ERR_ENGINE)
            pka_disable(dev, (enum xce_fallback)why,
                        rc == XCE_ERR_TIMEOUT ? "PKA did not finish in time" : "PKA program faulted");
        if (dev->policy == XCE_POLICY_HARDWARE) {
            pthread_mutex_unlock(&dev->lock);
            goto out;
        }
    } else if (dev->policy == XCE_POLICY_HARDWARE && sw_reason < 0) {
        pthread_mutex_unlock(&dev->lock);
        rc = XCE_ERR_UNSUPPORTED;
        goto out;
    }
    dev->st.pk_sw_ops++;
    dev->st.fallback[why]++;
    pthread_mutex_unlock(&dev->lock);
    rc = sw_modexp(r, xr, e, n, ctx);
out:
    BN_CTX_end(ctx);
    return rc;
}

void xce_pka_count_fault(xce_dev *dev)
{
    pthread_mutex_lock(&dev->lock);
    dev->st.pk_faults++;
    pthread_mutex_unlock(&dev->lock);
}

/* Known-answer check of the loaded firmware: a 512-bit modexp with fixed
 * operands against OpenSSL's result. */
static int pka_selftest(xce_dev *dev)
{
    static const char mod_hex[] =
        "c0ffee0123456789abcdef0123456789abcdef0123456789abcdef0123456789"
        "abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678b";
    BN_CTX *ctx = BN_CTX_new();
    BIGNUM *n = NULL, *x = BN_new(), *e = BN_new(), *hw = BN_new(), *sw = BN_new();
    int ok = ctx && x && e && hw && sw && BN_hex2bn(&n, mod_hex) && BN_set_word(x, 0x1234567) &&
             BN_lshift(x, x, 300) && BN_add_word(x, 0x55) && BN_set_word(e, 65537) && BN_lshift(e, e, 40) &&
             BN_add_word(e, 0x1f3);
    ok = ok && engine_modexp(dev, hw, x, e, 64, n, ctx) == XCE_OK && BN_mod_exp(sw, x, e, n, ctx) &&
         BN_cmp(hw, sw) == 0;
    dev->st.pk_hw_ops++;   /* its cycles are counted too */
    BN_free(n);
    BN_free(x);
    BN_free(e);
    BN_free(hw);
    BN_free(sw);
    BN_CTX_free(ctx);
    return ok ? 0 : -1;
}

/* The signature of a firmware image, checked in software: the PKA is not
 * loaded yet, and this device's counters belong to its users. */
static int verify_signed(const char *path, const uint8_t *buf, size_t len, struct xce_image_info *info,
                         const uint8_t **payload, size_t *payload_len, char *why, size_t why_len)
{
    xce_trust *t = NULL;
    xce_dev *sw = NULL;
    char twhy[128] = "";
    if (xce_trust_open(NULL, &t, twhy, sizeof twhy) != XCE_OK) {
        snprintf(why, why_len, "trust store: %s", twhy);
        return -1;
    }
    int rc = xce_open("sw", NULL, &sw);
    if (rc == XCE_OK) {
        const char *name = strrchr(path, '/');
        rc = xce_image_verify_buffer(sw, t, buf, len, name ? name + 1 : path, info, payload, payload_len, why,
                                     why_len);
        if (rc == XCE_OK && info->type != XCE_IMAGE_FIRMWARE) {
            snprintf(why, why_len, "image type %d is not firmware", (int)info->type);
            rc = XCE_ERR_AUTH;
        }
    } else {
        snprintf(why, why_len, "%s", xce_strerror(rc));
    }
    xce_close(sw);
    xce_trust_close(t);
    return rc == XCE_OK ? 0 : -1;
}

void xce_pka_attach(xce_dev *dev)
{
    dev->pka_ok = 0;
    dev->pka_max_bits = dev->id_pka_bits;
    if (!(dev->cap_algos >> XCE_ID_CAP_ALGOS_PKA_SHIFT & 1) || dev->id_pka_bits == 0) {
        pka_disable(dev, XCE_FB_ALG_UNSUPPORTED, "no PKA in this engine build");
        return;
    }
    const char *path = xce_pka_firmware_path();
    uint8_t *buf = NULL;
    size_t len = 0;
    if (read_file(path, &buf, &len)) {
        char why[sizeof dev->pka_why];
        snprintf(why, sizeof why, "firmware missing: %s: %s", path, strerror(errno));
        pka_disable(dev, XCE_FB_FIRMWARE, why);
        return;
    }
    const uint8_t *payload = NULL;
    size_t payload_len = 0;
    struct xce_image_info info;
    char bad[128] = "out of memory";
    struct xce_fw *fw = calloc(1, sizeof *fw);
    int rc = fw ? verify_signed(path, buf, len, &info, &payload, &payload_len, bad, sizeof bad) : -1;
    if (rc == 0) {
        const char *fbad = NULL;
        if (xce_fw_parse(payload, payload_len, fw, &fbad) != 0) {
            snprintf(bad, sizeof bad, "%s", fbad);
            rc = -1;
        }
    }
    free(buf);
    if (rc != 0) {
        char why[sizeof dev->pka_why];
        snprintf(why, sizeof why, "firmware invalid: %s", bad);
        pka_disable(dev, XCE_FB_FIRMWARE, why);
        free(fw);
        return;
    }
    dev->fw_image = info;
    snprintf(dev->fw_image_path, sizeof dev->fw_image_path, "%s", path);
    dev->pka_modexp = xce_fw_entry(fw, "modexp");
    dev->pka_modmul = xce_fw_entry(fw, "modmul");
    if (dev->pka_modexp < 0) {
        pka_disable(dev, XCE_FB_FIRMWARE, "firmware invalid: no modexp entry");
        free(fw);
        return;
    }
    wr(dev, XCE_REG_PKA_FW_VERSION, 0);
    wr(dev, XCE_REG_PKA_UCODE_ADDR, 0);
    for (uint32_t i = 0; i < fw->nwords; i++)
        wr(dev, XCE_REG_PKA_UCODE_DATA, fw->words[i]);
    wr(dev, XCE_REG_PKA_FW_VERSION, fw->version);
    dev->pka_fw_version = fw->version;
    dev->id_fw = rd(dev, XCE_REG_ID_FW_VERSION);
    free(fw);
    wr(dev, XCE_REG_INT_MASK, rd(dev, XCE_REG_INT_MASK) | 1u << XCE_INT_MASK_PKA_SHIFT);
    if (pka_selftest(dev)) {
        pka_disable(dev, XCE_FB_SELFTEST, "PKA self-test failed");
        dev->id_fw = 0;
        return;
    }
    dev->pka_ok = 1;
    dev->pka_why[0] = 0;
}
