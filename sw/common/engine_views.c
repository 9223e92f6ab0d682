/* engine_views.c - the IOS "show crypto engine" views, printed into a
 * FILE*: the xce CLI prints them on stdout (sw/xce/cmd_show.c), the
 * daemon xced into the answer of a control-socket request
 * (sw/xced/views.c, through open_memstream). */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include <openssl/crypto.h>

#include "engine_views.h"

#define LEFT_WIDTH 20    /* configuration: "crypto lib version: " */
#define RIGHT_WIDTH 27   /* brief: "     Maximum buffer length:" */

/* "        label:   value", values in a column (configuration). */
static void left_field(FILE *f, const char *indent, int width, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void left_field(FILE *f, const char *indent, int width, const char *label, const char *fmt, ...)
{
    va_list ap;
    fprintf(f, "%s%s:%*s", indent, label, width - (int)strlen(label) - 1, "");
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
}

/* "     Right-aligned label:  value" (brief). */
static void right_field(FILE *f, const char *label, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void right_field(FILE *f, const char *label, const char *fmt, ...)
{
    va_list ap;
    fprintf(f, "%*s:  ", RIGHT_WIDTH - 1, label);
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
}

static void platform(const struct xce_info *in, char *buf, size_t n)
{
    if (!in->engine_present)
        snprintf(buf, n, "software crypto engine");
    else if (strcmp(in->backend, "sim") == 0)
        snprintf(buf, n, "xce crypto engine (simulated, %s)", in->location);
    else
        snprintf(buf, n, "xce crypto engine (%s %s)", in->backend, in->location);
}

static void engine_state(const struct xce_info *in, char *buf, size_t n, int capital)
{
    if (in->engine_enabled)
        snprintf(buf, n, "%s", capital ? "Enabled" : "enabled");
    else
        snprintf(buf, n, "%s (%s)", capital ? "Disabled" : "disabled",
                 in->disabled_reason ? in->disabled_reason : "unknown reason");
}

static void capabilities(const struct xce_info *in, char *buf, size_t n)
{
    static const struct {
        uint32_t bit;
        int mode;
        const char *name;
    } caps[] = {
        { XCE_CAP_AES128, 0, "aes-128" }, { XCE_CAP_AES192, 0, "aes-192" }, { XCE_CAP_AES256, 0, "aes-256" },
        { XCE_CAP_DES, 0, "des" },        { XCE_CAP_TDES, 0, "3des" },      { XCE_CAP_MD5, 0, "md5" },
        { XCE_CAP_SHA1, 0, "sha1" },      { XCE_CAP_SHA224, 0, "sha224" },  { XCE_CAP_SHA256, 0, "sha256" },
        { XCE_CAP_SHA384, 0, "sha384" },  { XCE_CAP_SHA512, 0, "sha512" },  { XCE_CAP_HMAC, 0, "hmac" },
        { XCE_CAP_PKA, 0, "pka" },
        { XCE_CAP_MODE_ECB, 1, "ecb" },   { XCE_CAP_MODE_CBC, 1, "cbc" },   { XCE_CAP_MODE_CTR, 1, "ctr" },
    };
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof caps / sizeof caps[0] && at < n; i++)
        if ((caps[i].mode ? in->cap_modes : in->cap_algos) & caps[i].bit)
            at += (size_t)snprintf(buf + at, n - at, "%s%s", at ? " " : "", caps[i].name);
    if (at == 0)
        snprintf(buf, n, "none");
}

static void clock_text(uint32_t hz, char *buf, size_t n)
{
    if (hz == 0)
        snprintf(buf, n, "N/A");
    else if (hz % 1000000 == 0)
        snprintf(buf, n, "%" PRIu32 " MHz", hz / 1000000);
    else
        snprintf(buf, n, "%.3f MHz", hz / 1e6);
}

void engine_view_configuration(FILE *f, const struct xce_info *in)
{
    const char *ind = "        ";
    char buf[128];
    left_field(f, ind, LEFT_WIDTH, "slot", "0");
    left_field(f, ind, LEFT_WIDTH, "engine name", "%s", in->engine_present ? "xce" : "unknown");
    left_field(f, ind, LEFT_WIDTH, "engine type", "%s", in->engine_enabled ? "hardware" : "software");
    engine_state(in, buf, sizeof buf, 0);
    left_field(f, ind, LEFT_WIDTH, "engine state", "%s", buf);
    left_field(f, ind, LEFT_WIDTH, "serial number", "%08" PRIX32, in->serial);
    platform(in, buf, sizeof buf);
    left_field(f, ind, LEFT_WIDTH, "platform", "%s", buf);
    left_field(f, ind, LEFT_WIDTH, "crypto lib version", "libxce %s, OpenSSL %s", XCE_LIB_VERSION,
               OpenSSL_version(OPENSSL_VERSION_STRING));
    if (in->engine_present)
        left_field(f, ind, LEFT_WIDTH, "bitstream version", "%" PRIu32 ".%" PRIu32 " build 0x%08" PRIX32,
                   in->version >> 16, in->version & 0xffff, in->build);
    else
        left_field(f, ind, LEFT_WIDTH, "bitstream version", "none");
    if (in->fw_version)
        left_field(f, ind, LEFT_WIDTH, "firmware version", "%" PRIu32 ".%" PRIu32 " (PKA microcode)",
                   in->fw_version >> 16, in->fw_version & 0xffff);
    else
        left_field(f, ind, LEFT_WIDTH, "firmware version", "none");
    if (in->pka_enabled)
        left_field(f, ind, LEFT_WIDTH, "public key engine", "enabled, moduli up to %u bits", in->pka_max_bits);
    else
        left_field(f, ind, LEFT_WIDTH, "public key engine", "disabled (%s)",
                   in->pka_reason ? in->pka_reason : in->engine_enabled ? "unknown reason" : "engine disabled");
    clock_text(in->clock_hz, buf, sizeof buf);
    left_field(f, ind, LEFT_WIDTH, "clock", "%s", buf);
    left_field(f, ind, LEFT_WIDTH, "cores", "%u", in->cores);
    capabilities(in, buf, sizeof buf);
    left_field(f, ind, LEFT_WIDTH, "capabilities", "%s", buf);
    left_field(f, ind, LEFT_WIDTH, "policy", "%s", xce_policy_name(in->policy));
    fprintf(f, "\nEncryption Process Info:\n");
    left_field(f, "", 19, "input queue size", "%u", in->ring_size);
    left_field(f, "", 19, "input queue top", "%u", in->ring_prod);
    left_field(f, "", 19, "input queue bot", "%u", in->ring_cons);
    left_field(f, "", 19, "input queue count", "%u", in->ring_pending);
}

/* "Yes (128,192,256)" for the key sizes the engine has in this mode. */
static void aes_support(const struct xce_info *in, uint32_t mode_bit, char *buf, size_t n)
{
    static const struct {
        uint32_t bit;
        const char *bits;
    } sizes[] = { { XCE_CAP_AES128, "128" }, { XCE_CAP_AES192, "192" }, { XCE_CAP_AES256, "256" } };
    size_t at = 0;
    if (in->cap_modes & mode_bit)
        for (size_t i = 0; i < 3; i++)
            if (in->cap_algos & sizes[i].bit)
                at += (size_t)snprintf(buf + at, n - at, "%s%s", at ? "," : "Yes (", sizes[i].bits);
    snprintf(buf + at, n - at, "%s", at ? ")" : "No");
}

static const char *yes_no(uint32_t algos, uint32_t bit)
{
    return algos & bit ? "Yes" : "No";
}

/* "Yes (1,224,256)" for the SHA variants in algos. */
static void sha_support(uint32_t algos, char *buf, size_t n)
{
    static const struct {
        uint32_t bit;
        const char *bits;
    } sha[] = { { XCE_CAP_SHA1, "1" },     { XCE_CAP_SHA224, "224" }, { XCE_CAP_SHA256, "256" },
                { XCE_CAP_SHA384, "384" }, { XCE_CAP_SHA512, "512" } };
    size_t at = 0;
    for (size_t i = 0; i < sizeof sha / sizeof sha[0]; i++)
        if (algos & sha[i].bit)
            at += (size_t)snprintf(buf + at, n - at, "%s%s", at ? "," : "Yes (", sha[i].bits);
    snprintf(buf + at, n - at, "%s", at ? ")" : "No");
}

/* The algorithm lines of one engine: AES per mode, the rest from algos. */
/* pk: what the RSA and DH lines say */
static void brief_algorithms(FILE *f, const char *ecb, const char *cbc, const char *ctr, uint32_t algos, const char *pk)
{
    char sha[64];
    right_field(f, "AES ECB", "%s", ecb);
    right_field(f, "AES CBC", "%s", cbc);
    right_field(f, "AES CNTR", "%s", ctr);
    right_field(f, "DES", "%s", yes_no(algos, XCE_CAP_DES));
    right_field(f, "3DES", "%s", yes_no(algos, XCE_CAP_TDES));
    sha_support(algos, sha, sizeof sha);
    right_field(f, "SHA", "%s", sha);
    right_field(f, "MD5", "%s", yes_no(algos, XCE_CAP_MD5));
    right_field(f, "HMAC", "%s", yes_no(algos, XCE_CAP_HMAC));
    right_field(f, "RSA", "%s", pk);
    right_field(f, "DH", "%s", pk);
    right_field(f, "Maximum buffer length", "%u", XCE_MAX_REQUEST);
}

static void brief_engine(FILE *f, const struct xce_info *in)
{
    char buf[128], ecb[32], cbc[32], ctr[32];
    right_field(f, "crypto engine name", "xce crypto engine");
    right_field(f, "crypto engine type", "hardware");
    engine_state(in, buf, sizeof buf, 1);
    right_field(f, "State", "%s", buf);
    if (strcmp(in->backend, "sim") == 0)
        right_field(f, "Location", "simulated (%s)", in->location);
    else
        right_field(f, "Location", "%s %s", in->backend, in->location);
    right_field(f, "Product Name", "xce %" PRIu32 ".%" PRIu32 " build 0x%08" PRIX32 ", serial %08" PRIX32,
                in->version >> 16, in->version & 0xffff, in->build, in->serial);
    if (in->fw_version)
        right_field(f, "FW Version", "%" PRIu32 ".%" PRIu32, in->fw_version >> 16, in->fw_version & 0xffff);
    else
        right_field(f, "FW Version", "none");
    aes_support(in, XCE_CAP_MODE_ECB, ecb, sizeof ecb);
    aes_support(in, XCE_CAP_MODE_CBC, cbc, sizeof cbc);
    aes_support(in, XCE_CAP_MODE_CTR, ctr, sizeof ctr);
    char pk[64];
    if (in->pka_enabled)
        snprintf(pk, sizeof pk, "Yes (up to %u bits)", in->pka_max_bits);
    else
        snprintf(pk, sizeof pk, "%s", in->cap_algos & XCE_CAP_PKA ? "No (firmware not loaded)" : "No");
    brief_algorithms(f, ecb, cbc, ctr, in->cap_algos, pk);
}

static void brief_software(FILE *f, const struct xce_info *in)
{
    const char *all = "Yes (128,192,256)";
    right_field(f, "crypto engine name", "xce software implementation");
    right_field(f, "crypto engine type", "software");
    right_field(f, "State", "%s", in->policy == XCE_POLICY_HARDWARE ? "Disabled (hardware policy)" : "Enabled");
    right_field(f, "Location", "host CPU");
    right_field(f, "Product Name", "OpenSSL %s", OpenSSL_version(OPENSSL_VERSION_STRING));
    right_field(f, "FW Version", "N/A");
    /* what libxce's software path (OpenSSL) serves */
    brief_algorithms(f, all, all, all,
                     XCE_CAP_DES | XCE_CAP_TDES | XCE_CAP_MD5 | XCE_CAP_SHA1 | XCE_CAP_SHA224 | XCE_CAP_SHA256 |
                         XCE_CAP_SHA384 | XCE_CAP_SHA512 | XCE_CAP_HMAC,
                     "Yes");
}

static void stats_header(FILE *f, const struct xce_info *in)
{
    char buf[128];
    platform(in, buf, sizeof buf);
    fprintf(f, "Device:   %s\n", buf);
    engine_state(in, buf, sizeof buf, 1);
    fprintf(f, "State:    %s, policy %s, crossover %" PRIu32 " bytes\n\n", buf, xce_policy_name(in->policy),
           in->crossover_bytes);
}

static void stats_cores(FILE *f, const struct xce_stats *st)
{
    if (st->cores == 0) {
        fprintf(f, "Per-core statistics: none (no engine)\n\n");
        return;
    }
    fprintf(f, "Per-core statistics:\n");
    fprintf(f, "  %4s %12s %16s %16s %8s\n", "core", "requests", "bytes", "busy cycles", "errors");
    for (unsigned c = 0; c < st->cores && c < XCE_STATS_CORES; c++)
        fprintf(f, "  %4u %12" PRIu64 " %16" PRIu64 " %16" PRIu64 " %8" PRIu64 "\n", c, st->core[c].requests,
               st->core[c].bytes, st->core[c].busy_cycles, st->core[c].errors);
    fputc('\n', f);
}

static void stats_driver(FILE *f, const struct xce_stats *st)
{
    fprintf(f, "Driver totals:\n");
    fprintf(f, "  served by engine:   %12" PRIu64 " requests %16" PRIu64 " bytes\n", st->hw_requests, st->hw_bytes);
    fprintf(f, "  served in software: %12" PRIu64 " requests %16" PRIu64 " bytes\n\n", st->sw_requests, st->sw_bytes);
    fprintf(f, "Fallbacks by reason:\n");
    for (int i = 0; i < XCE_FB_COUNT; i++)
        left_field(f, "  ", 28, xce_fallback_name((enum xce_fallback)i), "%12" PRIu64, st->fallback[i]);
    fputc('\n', f);
    left_field(f, "", 16, "Engine errors", "%" PRIu64, st->engine_errors);
    left_field(f, "", 16, "Timeouts", "%" PRIu64, st->timeouts);
    left_field(f, "", 16, "Resets", "%" PRIu64, st->resets);
    left_field(f, "", 16, "Self-tests", "%" PRIu64 " (%" PRIu64 " failures)", st->selftests, st->selftest_failures);
    left_field(f, "", 16, "Engine cycles", "%" PRIu64, st->cycles);
    fprintf(f, "\nPublic-key operations (modular exponentiations):\n");
    left_field(f, "  ", 28, "on the PKA", "%12" PRIu64 " (%" PRIu64 " cycles)", st->pk_hw_ops, st->pk_cycles);
    left_field(f, "  ", 28, "in software", "%12" PRIu64, st->pk_sw_ops);
    left_field(f, "  ", 28, "engine results rejected", "%12" PRIu64 " (redone in software)", st->pk_faults);
}

void engine_view_brief(FILE *f, const struct xce_info *in)
{
    if (in->engine_present) {
        brief_engine(f, in);
        fputc('\n', f);
    }
    brief_software(f, in);
}

void engine_view_accel_stats(FILE *f, const struct xce_info *in, const struct xce_stats *st)
{
    stats_header(f, in);
    stats_cores(f, st);
    stats_driver(f, st);
}
