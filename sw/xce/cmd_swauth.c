/* cmd_swauth.c - IOS "digitally signed software" on xce's signed images
 * (doc/signed-images.md):
 *
 *   show software authenticity running          the PKA firmware image in use
 *   show software authenticity file PATH        an image's envelope and verdict
 *   show software authenticity keys             the key store
 *   show software authenticity upgrade-status   where a key replacement stands
 *   software authenticity key add production|special IMAGE
 *   software authenticity key revoke production|special IMAGE
 *   [no] debug software authenticity envelope|errors|key|revocation|show|verbose
 *   undebug all, show debugging
 *
 * The key store is libxce's ($XCE_KEY_STORE, else its installed default);
 * every verification is libxce's (xce_image_verify, xce_trust_apply). The
 * debug lines go to stderr, each starting "SOFTWARE-AUTHENTICITY:", and
 * say what was parsed, which key was used and what was changed: public
 * data only. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "cli.h"
#include "words.h"

/* where libxce keeps the store when $XCE_KEY_STORE is not set; only to
 * look at its two copies one by one (libxce's own default decides which
 * store is used) */
#ifndef XCE_KEY_STORE_DIR
#define XCE_KEY_STORE_DIR "/usr/local/lib/xce/keys"
#endif

#define HDR_LEN 256
#define REVK_IMAGE_MAX (64u * 1024)   /* above the largest: 16 RSA-4096 adds */
#define STORE_FILE_MAX (1u << 20)
#define LABEL_W 30                    /* the colons of the envelope views line up here */

/* --- debug -------------------------------------------------------------- */

static const struct {
    unsigned flag;
    const char *word, *help;
} kinds[] = {
    { SWAUTH_DEBUG_ENVELOPE, "envelope", "the envelope fields of each image" },
    { SWAUTH_DEBUG_ERRORS, "errors", "why an image or a change was refused" },
    { SWAUTH_DEBUG_KEY, "key", "the key store and the key each image names" },
    { SWAUTH_DEBUG_REVOCATION, "revocation", "the records of revocation images and what they change" },
    { SWAUTH_DEBUG_SHOW, "show", "what the show commands read" },
    { SWAUTH_DEBUG_VERBOSE, "verbose", "all of the above, and more detail" },
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

void swauth_debug(const struct cli *cli, unsigned kind, const char *fmt, ...)
{
    if (!(cli->swauth_debug & (kind | SWAUTH_DEBUG_VERBOSE)))
        return;
    va_list ap;
    va_start(ap, fmt);
    fflush(stdout);
    fputs("SOFTWARE-AUTHENTICITY: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void format_time(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t < 0 || !gmtime_r(&tt, &tm) || strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
        snprintf(buf, size, "%" PRId64 " (seconds since 1970)", t);
}

/* The serial as hex, big-endian, without leading zero bytes ("00" if zero). */
static void format_serial(const uint8_t s[16], char *buf)
{
    int i = 0;
    while (i < 15 && s[i] == 0)
        i++;
    char *p = buf;
    for (; i < 16; i++)
        p += sprintf(p, "%02X", s[i]);
}

void swauth_debug_envelope(const struct cli *cli, const char *path, const struct xce_image_info *in)
{
    if (!(cli->swauth_debug & (SWAUTH_DEBUG_ENVELOPE | SWAUTH_DEBUG_VERBOSE)))
        return;
    char t[64], serial[33];
    format_time(in->build_time, t, sizeof t);
    format_serial(in->serial, serial);
    swauth_debug(cli, SWAUTH_DEBUG_ENVELOPE,
                 "envelope: %s: %s image, key S%c%c (%s key %c), %u-bit RSA signature (%u bytes), SHA512, "
                 "payload %" PRIu64 " bytes", path, image_type_name(in->type), in->key_type, in->key_version,
                 image_key_type_name(in->key_type), in->key_version, in->sig_bits, in->sig_bits / 8, in->payload_len);
    swauth_debug(cli, SWAUTH_DEBUG_ENVELOPE, "envelope: %s: signer CN=\"%s\" OU=\"%s\" O=\"%s\", serial %s, built %s",
                 path, in->common_name, in->org_unit, in->org_name, serial, t);
    swauth_debug(cli, SWAUTH_DEBUG_VERBOSE, "envelope: %s: the file must be %" PRIu64 " bytes (header 256, payload "
                 "%" PRIu64 ", signature %u)", path, 256 + in->payload_len + in->sig_bits / 8, in->payload_len,
                 in->sig_bits / 8);
}

/* The store's entry for a key, or -1. */
static int find_key(const xce_trust *t, char kt, char kv, struct xce_trust_key *out)
{
    for (unsigned i = 0; xce_trust_key(t, i, out) == XCE_OK; i++)
        if (out->key_type == kt && out->key_version == kv)
            return 0;
    return -1;
}

void swauth_debug_key(const struct cli *cli, const xce_trust *t, char kt, char kv)
{
    if (!(cli->swauth_debug & (SWAUTH_DEBUG_KEY | SWAUTH_DEBUG_VERBOSE)))
        return;
    struct xce_trust_key k;
    if (find_key(t, kt, kv, &k) != 0)
        swauth_debug(cli, SWAUTH_DEBUG_KEY, "key: S%c%c: no %s key %c in the key store", kt, kv,
                     image_key_type_name(kt), kv);
    else
        swauth_debug(cli, SWAUTH_DEBUG_KEY, "key: S%c%c: %s key %c, %u-bit RSA, %s, %zu bytes of DER", kt, kv,
                     image_key_type_name(kt), kv, k.bits, k.revoked ? "revoked" : "active", k.spki_len);
}

/* --- the key store ------------------------------------------------------- */

/* As swauth_trust_open; *from_backup (may be NULL): libxce says it took
 * the backup copy. */
static xce_trust *trust_open(const struct cli *cli, const char *dir, const char *prefix, int *from_backup)
{
    xce_trust *t = NULL;
    if (from_backup)
        *from_backup = 0;
    char why[1024];
    int r = xce_trust_open(dir, &t, why, sizeof why);
    if (r != XCE_OK) {
        fprintf(stderr, "%s%s\n", prefix, why[0] ? why : xce_strerror(r));
        swauth_debug(cli, SWAUTH_DEBUG_ERRORS | SWAUTH_DEBUG_KEY, "error: key store: %s",
                     why[0] ? why : xce_strerror(r));
        return NULL;
    }
    if (why[0]) {
        if (prefix[0] == '%')
            fprintf(stderr, "%% Warning: %s\n", why);
        else
            fprintf(stderr, "%swarning: %s\n", prefix, why);
        swauth_debug(cli, SWAUTH_DEBUG_ERRORS | SWAUTH_DEBUG_KEY, "key: store: %s", why);
        if (from_backup && strstr(why, "using the backup"))
            *from_backup = 1;
    }
    unsigned n = 0;
    struct xce_trust_key k;
    while (xce_trust_key(t, n, &k) == XCE_OK)
        n++;
    swauth_debug(cli, SWAUTH_DEBUG_KEY, "key: store %s: %u key%s", dir ? dir : "(libxce default)", n,
                 n == 1 ? "" : "s");
    return t;
}

xce_trust *swauth_trust_open(const struct cli *cli, const char *dir, const char *prefix)
{
    return trust_open(cli, dir, prefix, NULL);
}

/* The directory of the store xce_trust_open(NULL) opens. */
static const char *store_dir(void)
{
    const char *env = secure_getenv("XCE_KEY_STORE");
    return env && *env ? env : XCE_KEY_STORE_DIR;
}

/* One copy ("primary" or "backup") of the store on its own: copied alone
 * into a private directory and opened there by libxce, which checks it as
 * it checks any store. NULL with the reason when it does not load. */
static xce_trust *load_copy(const char *dir, const char *copy, char *why, size_t why_len)
{
    char src[PATH_MAX], tdir[PATH_MAX], dst[PATH_MAX + 16];
    const char *tmpdir = getenv("TMPDIR");
    snprintf(why, why_len, "cannot read it");
    if ((size_t)snprintf(src, sizeof src, "%s/%s", dir, copy) >= sizeof src ||
        (size_t)snprintf(tdir, sizeof tdir, "%s/xce-swauth-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp") >= sizeof tdir)
        return NULL;
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        snprintf(why, why_len, "%s", errno == ENOENT ? "missing" : strerror(errno));
        return NULL;
    }
    uint8_t *buf = malloc(STORE_FILE_MAX + 1);
    ssize_t n = 0;
    while (buf && (size_t)n <= STORE_FILE_MAX) {
        ssize_t r = read(in, buf + n, STORE_FILE_MAX + 1 - (size_t)n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (r < 0)
                n = -1;
            break;
        }
        n += r;
    }
    close(in);
    xce_trust *t = NULL;
    if (!buf || n < 0) {
        free(buf);
        return NULL;
    }
    if (!mkdtemp(tdir)) {
        snprintf(why, why_len, "cannot check it (no temporary directory: %s)", strerror(errno));
        free(buf);
        return NULL;
    }
    snprintf(dst, sizeof dst, "%s/primary", tdir);
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    int ok = out >= 0 && write(out, buf, (size_t)n) == n;
    if (out >= 0)
        ok = close(out) == 0 && ok;
    free(buf);
    if (ok) {
        char w[1024];
        if (xce_trust_open(tdir, &t, w, sizeof w) != XCE_OK) {
            /* "key store in TMP unusable: primary: REASON; backup: missing" */
            const char *p = strstr(w, "primary: ");
            const char *e = p ? strstr(p, "; backup:") : NULL;
            if (p && e)
                snprintf(why, why_len, "damaged (%.*s)", (int)(e - p - 9), p + 9);
            else
                snprintf(why, why_len, "damaged");
            t = NULL;
        }
    }
    unlink(dst);
    rmdir(tdir);
    return t;
}

/* Whether copy holds key k, active, with the same public key. */
static int copy_has(const xce_trust *copy, const struct xce_trust_key *k)
{
    struct xce_trust_key c;
    return copy && find_key(copy, k->key_type, k->key_version, &c) == 0 && !c.revoked && c.spki_len == k->spki_len &&
           memcmp(c.spki, k->spki, k->spki_len) == 0;
}

/* --- output helpers ------------------------------------------------------ */

/* "    Label          : value", the colon at LABEL_W. */
__attribute__((format(printf, 3, 4))) static void field(int indent, const char *label, const char *fmt, ...)
{
    char value[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(value, sizeof value, fmt, ap);
    va_end(ap);
    int pad = LABEL_W - indent - (int)strlen(label);
    printf("%*s%s%*s:%s%s\n", indent, "", label, pad > 0 ? pad : 1, "", value[0] ? " " : "", value);
}

static void rule(const char *title)
{
    printf("%s\n", title);
    for (size_t i = 0; i < strlen(title); i++)
        putchar('-');
    putchar('\n');
}

/* IOS names the images by their key: production images, development
 * (special) images; rollover keys sign revocation images. */
static const char *image_kind(char kt)
{
    return kt == 'P' ? "Production" : kt == 'S' ? "Development" : "Revocation";
}

static const char *key_kind(char kt)
{
    return kt == 'P' ? "Release" : kt == 'S' ? "Development" : "Rollover";
}

static void print_envelope(const char *path, const struct xce_image_info *in)
{
    char t[64], serial[33];
    format_time(in->build_time, t, sizeof t);
    format_serial(in->serial, serial);
    if (path)
        field(0, "File Name", "%s", path);
    field(0, "Image type", "%s", image_kind(in->key_type));
    printf("  Signer Information\n");
    field(4, "Common Name", "%s", in->common_name);
    field(4, "Organization Unit", "%s", in->org_unit);
    field(4, "Organization Name", "%s", in->org_name);
    field(4, "Certificate Serial Number", "%s", serial);
    field(4, "Hash Algorithm", "SHA512");
    field(4, "Signature Algorithm", "%u-bit RSA", in->sig_bits);
    field(4, "Key Version", "%c", in->key_version);
    printf("  Image Information\n");
    field(4, "Content", "%s", image_type_name(in->type));
    field(4, "Payload Size", "%" PRIu64 " bytes", in->payload_len);
    field(4, "Build Time", "%s", t);
}

static void print_verifier(void)
{
    printf("  Verifier Information\n");
    field(4, "Verifier Name", "libxce");
    field(4, "Verifier Version", "libxce %s", XCE_LIB_VERSION);
}

/* --- show software authenticity file PATH -------------------------------- */

static int run_show_file(struct cli *cli, int argc, char **argv)
{
    if (argc == 1 && strcmp(argv[0], "?") == 0) {
        printf("  %-16s%s\n", "WORD", "the image file");
        return 0;
    }
    if (argc != 1) {
        fprintf(stderr, argc ? "%% One file at a time: show software authenticity file PATH\n"
                             : "%% Incomplete command.\n");
        return 1;
    }
    const char *path = argv[0];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "%% Cannot open %s: %s\n", path, strerror(errno));
        return 1;
    }
    uint8_t h[HDR_LEN];
    ssize_t n = read(fd, h, sizeof h);
    close(fd);
    struct xce_image_info in;
    char why[512];
    if (n < 0 || image_parse_header(h, n < 0 ? 0 : (size_t)n, &in, why, sizeof why) != 0) {
        if (n < 0)
            snprintf(why, sizeof why, "%s", strerror(errno));
        fprintf(stderr, "%% %s is not a signed image: %s\n", path, why);
        swauth_debug(cli, SWAUTH_DEBUG_ERRORS, "error: %s: %s", path, why);
        return 1;
    }
    swauth_debug(cli, SWAUTH_DEBUG_SHOW, "show: file: %s: %" PRIu64 " bytes of payload to verify", path,
                 in.payload_len);
    swauth_debug_envelope(cli, path, &in);
    int st = 1;
    char verdict[600];
    xce_trust *t = swauth_trust_open(cli, NULL, "% ");
    xce_dev *dev = t ? cli_device(cli) : NULL;
    if (!t) {
        snprintf(verdict, sizeof verdict, "Not checked (no usable key store)");
    } else if (dev) {
        swauth_debug_key(cli, t, in.key_type, in.key_version);
        struct xce_image_info v;
        int r = xce_image_verify(dev, t, path, &v, why, sizeof why);
        if (r == XCE_OK) {
            snprintf(verdict, sizeof verdict, "Verified");
            st = 0;
        } else {
            snprintf(verdict, sizeof verdict, "Rejected: %s", why[0] ? why : xce_strerror(r));
            swauth_debug(cli, SWAUTH_DEBUG_ERRORS, "error: %s: rejected: %s", path, why[0] ? why : xce_strerror(r));
        }
    } else {
        snprintf(verdict, sizeof verdict, "Not checked (no device)");
    }
    print_envelope(path, &in);
    print_verifier();
    field(4, "Verification Result", "%s", verdict);
    xce_trust_close(t);
    return st;
}

/* --- show software authenticity running ---------------------------------- */

/* Why no signed firmware image is in use, for the views. */
static void no_image_reason(xce_dev *dev, char *buf, size_t size)
{
    struct xce_info info;
    if (xce_get_info(dev, &info) != XCE_OK)
        snprintf(buf, size, "the device does not answer");
    else if (!info.engine_present)
        snprintf(buf, size, "no engine (device %s): public-key operations run in software", info.backend);
    else if (!(info.cap_algos & XCE_CAP_PKA))
        snprintf(buf, size, "the engine has no public-key unit");
    else if (info.pka_reason)
        snprintf(buf, size, "%s", info.pka_reason);
    else
        snprintf(buf, size, "the PKA firmware was not loaded from a signed image");
}

static int run_show_running(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    xce_dev *dev = cli_device(cli);
    if (!dev)
        return 1;
    struct xce_image_info in;
    char path[PATH_MAX];
    int r = xce_get_firmware_image(dev, &in, path, sizeof path);
    rule("SYSTEM IMAGE");
    if (r == XCE_OK) {
        swauth_debug(cli, SWAUTH_DEBUG_SHOW, "show: running: the PKA firmware came from %s", path);
        swauth_debug_envelope(cli, path, &in);
        print_envelope(path, &in);
        putchar('\n');
    } else {
        char why[300];
        no_image_reason(dev, why, sizeof why);
        swauth_debug(cli, SWAUTH_DEBUG_SHOW, "show: running: no signed firmware image: %s", why);
        field(0, "File Name", "none");
        field(0, "Image type", "none (no signed PKA firmware image is loaded)");
        field(0, "Reason", "%s", why);
        putchar('\n');
    }
    print_verifier();
    return 0;
}

/* --- show software authenticity keys ------------------------------------- */

static void print_modulus_and_exponent(const struct xce_trust_key *k)
{
    const unsigned char *p = k->spki;
    EVP_PKEY *pk = d2i_PUBKEY(NULL, &p, (long)k->spki_len);
    BIGNUM *n = NULL, *e = NULL;
    uint8_t *nb = NULL;
    int len = 0;
    if (pk && EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &n) == 1 &&
        EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e) == 1 && (len = BN_num_bytes(n)) > 0 &&
        (nb = malloc((size_t)len)) && BN_bn2bin(n, nb) == len) {
        printf("Modulus :\n");
        for (int i = 0; i < len; i += 16) {
            printf("    ");
            for (int j = i; j < len && j < i + 16; j++)
                printf("%02X%s", nb[j], j + 1 < len ? ":" : "");
            putchar('\n');
        }
        char *dec = BN_bn2dec(e);
        printf("Exponent             : %s\n", dec ? dec : "?");
        OPENSSL_free(dec);
    } else {
        printf("Modulus :\n    (cannot decode the key)\n");
        printf("Exponent             : ?\n");
    }
    ERR_clear_error();
    free(nb);
    BN_free(n);
    BN_free(e);
    EVP_PKEY_free(pk);
}

static int run_show_keys(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    int backup;
    xce_trust *t = trust_open(cli, NULL, "% ", &backup);
    if (!t)
        return 1;
    const char *copy = backup ? "Backup" : "Primary";
    swauth_debug(cli, SWAUTH_DEBUG_SHOW, "show: keys: read from the %s copy", backup ? "backup" : "primary");
    struct xce_trust_key k;
    for (unsigned i = 0; xce_trust_key(t, i, &k) == XCE_OK; i++) {
        char title[64];
        snprintf(title, sizeof title, "Public Key #%u Information", i + 1);
        rule(title);
        printf("Key Type             : %s (%s)\n", key_kind(k.key_type), copy);
        printf("Public Key Algorithm : RSA\n");
        print_modulus_and_exponent(&k);
        printf("Key Version          : %c\n", k.key_version);
        printf("Key State            : %s\n", k.revoked ? "Revoked" : "Active");
    }
    xce_trust_close(t);
    return 0;
}

/* --- show software authenticity upgrade-status ---------------------------- */

static int run_show_upgrade(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    xce_trust *t = swauth_trust_open(cli, NULL, "% ");
    if (!t)
        return 1;
    xce_dev *dev = cli_device(cli);
    if (!dev) {
        xce_trust_close(t);
        return 1;
    }
    char pwhy[300], bwhy[300], nowhy[300], path[PATH_MAX];
    const char *dir = store_dir();
    xce_trust *pc = load_copy(dir, "primary", pwhy, sizeof pwhy);
    xce_trust *bc = load_copy(dir, "backup", bwhy, sizeof bwhy);
    struct xce_image_info run;
    int running = xce_get_firmware_image(dev, &run, path, sizeof path) == XCE_OK;
    if (!running)
        no_image_reason(dev, nowhy, sizeof nowhy);
    swauth_debug(cli, SWAUTH_DEBUG_SHOW, "show: upgrade-status: primary copy %s, backup copy %s, running image %s",
                 pc ? "loads" : pwhy, bc ? "loads" : bwhy, running ? path : "none");
    static const char types[] = "PSR";
    for (int ti = 0; ti < 3; ti++) {
        char kt = types[ti];
        const char *tn = image_key_type_name(kt);
        struct xce_trust_key k, newest = { 0 };
        char older[27] = "", revoked[27] = "";
        size_t no = 0, nr = 0;
        for (unsigned i = 0; xce_trust_key(t, i, &k) == XCE_OK; i++) {
            if (k.key_type != kt)
                continue;
            if (k.revoked) {
                revoked[nr++] = k.key_version;
            } else {
                if (newest.key_type)
                    older[no++] = newest.key_version;
                newest = k;   /* store order: versions ascending */
            }
        }
        char title[64];
        snprintf(title, sizeof title, "%s keys",
                 kt == 'P' ? "Production (Release)" : kt == 'S' ? "Special (Development)" : "Rollover");
        if (ti)
            putchar('\n');
        rule(title);
        if (!newest.key_type) {
            field(0, "Newest Active Key Version", "none");
            field(0, "Revoked Key Versions", "%s", nr ? revoked : "none");
            field(0, "Upgrade Status", "No active %s key%s", tn,
                  kt == 'R' ? ": revocation images cannot be applied" : "");
            continue;
        }
        int inp = copy_has(pc, &newest), inb = copy_has(bc, &newest);
        field(0, "Newest Active Key Version", "%c (%u-bit RSA)", newest.key_version, newest.bits);
        field(0, "In Primary Key Storage", "%s%s%s%s", inp ? "Yes" : "No", inp || pc ? "" : " (primary copy ",
              inp || pc ? "" : pwhy, inp || pc ? "" : ")");
        field(0, "In Backup Key Storage", "%s%s%s%s", inb ? "Yes" : "No", inb || bc ? "" : " (backup copy ",
              inb || bc ? "" : bwhy, inb || bc ? "" : ")");
        int pending = 0;
        if (kt == 'R')
            field(0, "Running Image Signed With It", "n/a (rollover keys sign only revocation images)");
        else if (!running)
            field(0, "Running Image Signed With It", "No (no signed firmware image is running: %s)", nowhy);
        else if (run.key_type == kt && run.key_version == newest.key_version)
            field(0, "Running Image Signed With It", "Yes (%s)", path);
        else {
            field(0, "Running Image Signed With It", "No (%s is signed with %s key %c)", path,
                  image_key_type_name(run.key_type), run.key_version);
            pending = run.key_type == kt;
        }
        field(0, "Older Active Key Versions", "%s", no ? older : "none");
        field(0, "Revoked Key Versions", "%s", nr ? revoked : "none");
        if (!inp || !inb)
            field(0, "Upgrade Status", "Incomplete: S%c%c is missing from the %s key storage: repeat \"software "
                  "authenticity key add %s\" with its revocation image", kt, newest.key_version,
                  !inp && !inb ? "primary and backup" : !inp ? "primary" : "backup", tn);
        else if (pending)
            field(0, "Upgrade Status", "Pending: load a firmware image signed with S%c%c before revoking S%c%c", kt,
                  newest.key_version, kt, run.key_version);
        else if (no && kt != 'R')
            field(0, "Upgrade Status", "Complete: %s may now be revoked (software authenticity key revoke %s)", older,
                  tn);
        else
            field(0, "Upgrade Status", "Complete");
    }
    xce_trust_close(pc);
    xce_trust_close(bc);
    xce_trust_close(t);
    return 0;
}

/* --- software authenticity key add|revoke production|special IMAGE -------- */

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The records of a verified revocation payload of this action and key
 * type, listed ("  add production key B (3072-bit RSA)"); their number. */
static unsigned list_records(const struct cli *cli, const uint8_t *p, size_t len, int action, char kt, int print)
{
    if (len < 12 || memcmp(p, "XCEREVK1", 8) != 0)
        return 0;
    uint32_t count = le32(p + 8);
    size_t at = 12;
    unsigned found = 0;
    for (uint32_t i = 0; i < count && at + 6 <= len; i++) {
        const uint8_t *r = p + at;
        size_t klen = (size_t)r[4] | (size_t)r[5] << 8;
        if (at + 6 + klen > len)
            break;
        int bits = 0;
        if (klen) {
            const unsigned char *d = r + 6;
            EVP_PKEY *pk = d2i_PUBKEY(NULL, &d, (long)klen);
            bits = pk ? EVP_PKEY_get_bits(pk) : 0;
            EVP_PKEY_free(pk);
            ERR_clear_error();
        }
        const char *what = r[0] == XCE_TRUST_ADD ? "add" : r[0] == XCE_TRUST_REVOKE ? "revoke" : "?";
        int mine = r[0] == action && r[1] == (uint8_t)kt;
        char size[32] = "";
        if (bits)
            snprintf(size, sizeof size, " (%d-bit RSA)", bits);
        swauth_debug(cli, SWAUTH_DEBUG_REVOCATION, "revocation: record %u: %s %s key %c%s%s", i + 1, what,
                     image_key_type_name((char)r[1]), r[2], size, mine ? "" : " (not applied by this command)");
        if (mine) {
            found++;
            if (print) {
                if (bits)
                    printf("%%   %s %s key %c (%d-bit RSA)\n", what, image_key_type_name(kt), r[2], bits);
                else
                    printf("%%   %s %s key %c\n", what, image_key_type_name(kt), r[2]);
            }
        }
        at += 6 + klen;
    }
    return found;
}

static int apply(struct cli *cli, int argc, char **argv, int action, char kt)
{
    const char *verb = action == XCE_TRUST_ADD ? "add" : "revoke";
    if (argc == 1 && strcmp(argv[0], "?") == 0) {
        printf("  %-16s%s\n", "WORD", "the revocation image (signed with a rollover key)");
        return 0;
    }
    if (argc == 0) {
        fprintf(stderr, "%% Incomplete command.\n");
        return 1;
    }
    if (argc > 1) {
        fprintf(stderr, "%% One revocation image: software authenticity key %s %s PATH\n", verb,
                image_key_type_name(kt));
        return 1;
    }
    const char *path = argv[0];
    xce_trust *t = swauth_trust_open(cli, NULL, "% ");
    xce_dev *dev = t ? cli_device(cli) : NULL;
    uint8_t *buf = NULL;
    int st = 1;
    if (!dev)
        goto out;
    /* read and verify it here first, to say what it will change */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fprintf(stderr, "%% Cannot open %s: %s\n", path, fd < 0 ? strerror(errno) : "not a regular file");
        if (fd >= 0)
            close(fd);
        goto out;
    }
    if ((uint64_t)sb.st_size > REVK_IMAGE_MAX) {
        fprintf(stderr, "%% %s is %lld bytes: too large for a revocation image\n", path, (long long)sb.st_size);
        close(fd);
        goto out;
    }
    size_t len = (size_t)sb.st_size;
    buf = malloc(len ? len : 1);
    ssize_t got = 0;
    while (buf && (size_t)got < len) {
        ssize_t r = read(fd, buf + got, len - (size_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += r;
    }
    close(fd);
    if (!buf || (size_t)got != len) {
        fprintf(stderr, "%% Cannot read %s\n", path);
        goto out;
    }
    struct xce_image_info in;
    const uint8_t *payload;
    size_t plen;
    char why[1024];
    int r = xce_image_verify_buffer(dev, t, buf, len, path, &in, &payload, &plen, why, sizeof why);
    if (in.key_type) {
        swauth_debug_envelope(cli, path, &in);
        swauth_debug_key(cli, t, in.key_type, in.key_version);
    }
    if (r != XCE_OK) {
        fprintf(stderr, "%% Revocation image %s rejected: %s\n", path, why[0] ? why : xce_strerror(r));
        swauth_debug(cli, SWAUTH_DEBUG_ERRORS, "error: %s: rejected: %s", path, why[0] ? why : xce_strerror(r));
        goto out;
    }
    if (in.type != XCE_IMAGE_REVOCATION) {
        fprintf(stderr, "%% %s is a %s image, not a revocation image\n", path, image_type_name(in.type));
        swauth_debug(cli, SWAUTH_DEBUG_ERRORS, "error: %s: not a revocation image", path);
        goto out;
    }
    unsigned n = list_records(cli, payload, plen, action, kt, 0);
    if (n) {
        printf("%% Revocation image %s, signed with rollover key %c, will %s:\n", path, in.key_version, verb);
        list_records(cli, payload, plen, action, kt, 1);
        char q[128];
        snprintf(q, sizeof q, "%% Do you want to %s %s %s key%s %s the primary and backup key storage?", verb,
                 n == 1 ? "this" : "these", image_key_type_name(kt), n == 1 ? "" : "s",
                 action == XCE_TRUST_ADD ? "to" : "in");
        if (!cli_confirm(cli, q)) {
            fprintf(stderr, "%% Key storage not changed.\n");
            goto out;
        }
    }
    /* libxce verifies it again, applies what it carries of this action and
     * type, and writes both copies, or changes nothing */
    r = xce_trust_apply(dev, t, path, action, kt, why, sizeof why);
    if (r != XCE_OK) {
        fprintf(stderr, "%% Key storage not changed: %s\n", why[0] ? why : xce_strerror(r));
        swauth_debug(cli, SWAUTH_DEBUG_ERRORS | SWAUTH_DEBUG_REVOCATION, "error: %s: %s refused: %s", path, verb,
                     why[0] ? why : xce_strerror(r));
        goto out;
    }
    printf("%% Key storage updated (primary and backup): %s\n", why[0] ? why : "done");
    swauth_debug(cli, SWAUTH_DEBUG_REVOCATION, "revocation: %s: %s", path, why[0] ? why : "applied");
    st = 0;
out:
    free(buf);
    xce_trust_close(t);
    return st;
}

static int run_add_production(struct cli *cli, int argc, char **argv)
{
    return apply(cli, argc, argv, XCE_TRUST_ADD, 'P');
}
static int run_add_special(struct cli *cli, int argc, char **argv)
{
    return apply(cli, argc, argv, XCE_TRUST_ADD, 'S');
}
static int run_revoke_production(struct cli *cli, int argc, char **argv)
{
    return apply(cli, argc, argv, XCE_TRUST_REVOKE, 'P');
}
static int run_revoke_special(struct cli *cli, int argc, char **argv)
{
    return apply(cli, argc, argv, XCE_TRUST_REVOKE, 'S');
}

/* --- debug ----------------------------------------------------------------- */

static void debug_state(unsigned flag, int on)
{
    for (size_t i = 0; i < NKINDS; i++)
        if (kinds[i].flag == flag)
            printf("Software authenticity %s debugging is %s\n", kinds[i].word, on ? "on" : "off");
}

static int set_debug(struct cli *cli, unsigned flag, int on)
{
    if (on)
        cli->swauth_debug |= flag;
    else
        cli->swauth_debug &= ~flag;
    debug_state(flag, on);
    return 0;
}

#define DEBUG_RUNS(name, flag)                                                                                   \
    static int run_debug_##name(struct cli *cli, int argc, char **argv)                                          \
    {                                                                                                            \
        (void)argc, (void)argv;                                                                                  \
        return set_debug(cli, flag, 1);                                                                          \
    }                                                                                                            \
    static int run_nodebug_##name(struct cli *cli, int argc, char **argv)                                        \
    {                                                                                                            \
        (void)argc, (void)argv;                                                                                  \
        return set_debug(cli, flag, 0);                                                                          \
    }
DEBUG_RUNS(envelope, SWAUTH_DEBUG_ENVELOPE)
DEBUG_RUNS(errors, SWAUTH_DEBUG_ERRORS)
DEBUG_RUNS(key, SWAUTH_DEBUG_KEY)
DEBUG_RUNS(revocation, SWAUTH_DEBUG_REVOCATION)
DEBUG_RUNS(show, SWAUTH_DEBUG_SHOW)
DEBUG_RUNS(verbose, SWAUTH_DEBUG_VERBOSE)

static int run_undebug_all(struct cli *cli, int argc, char **argv)
{
    (void)argc, (void)argv;
    cli->swauth_debug = 0;
    printf("All possible debugging has been turned off\n");
    return 0;
}

int cmd_show_debugging(struct cli *cli, int argc, char **argv)
{
    (void)argc, (void)argv;
    if (!cli->swauth_debug)
        return 0;
    printf("Software authenticity:\n");
    for (size_t i = 0; i < NKINDS; i++)
        if (cli->swauth_debug & kinds[i].flag)
            printf("  Software authenticity %s debugging is on\n", kinds[i].word);
    return 0;
}

/* --- the words ------------------------------------------------------------- */

static const struct word show_auth[] = {
    { "file", "the signature envelope of an image file, and its verification", NULL, run_show_file, W_ARGS },
    { "keys", "the public keys in the key storage", NULL, run_show_keys, 0 },
    { "running", "the signed image the running PKA firmware came from", NULL, run_show_running, 0 },
    { "upgrade-status", "where a key replacement stands", NULL, run_show_upgrade, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
const struct word swauth_show_words[] = {
    { "authenticity", "digitally signed software", show_auth, NULL, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};

static const struct word add_types[] = {
    { "production", "add production keys from a revocation image", NULL, run_add_production, W_ARGS },
    { "special", "add special (development) keys from a revocation image", NULL, run_add_special, W_ARGS },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct word revoke_types[] = {
    { "production", "revoke production keys as a revocation image says", NULL, run_revoke_production, W_ARGS },
    { "special", "revoke special (development) keys as a revocation image says", NULL, run_revoke_special, W_ARGS },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct word key_words[] = {
    { "add", "add keys to the key storage", add_types, NULL, 0 },
    { "revoke", "revoke keys in the key storage", revoke_types, NULL, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct word auth_words[] = {
    { "key", "key storage operations", key_words, NULL, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
const struct word swauth_words[] = {
    { "authenticity", "digitally signed software", auth_words, NULL, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};

static const struct word debug_kinds[] = {
    { "envelope", "the envelope fields of each image", NULL, run_debug_envelope, 0 },
    { "errors", "why an image or a change was refused", NULL, run_debug_errors, 0 },
    { "key", "the key store and the key each image names", NULL, run_debug_key, 0 },
    { "revocation", "revocation image records and what they change", NULL, run_debug_revocation, 0 },
    { "show", "what the show commands read", NULL, run_debug_show, 0 },
    { "verbose", "all of them, with more detail", NULL, run_debug_verbose, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct word nodebug_kinds[] = {
    { "envelope", "the envelope fields of each image", NULL, run_nodebug_envelope, 0 },
    { "errors", "why an image or a change was refused", NULL, run_nodebug_errors, 0 },
    { "key", "the key store and the key each image names", NULL, run_nodebug_key, 0 },
    { "revocation", "revocation image records and what they change", NULL, run_nodebug_revocation, 0 },
    { "show", "what the show commands read", NULL, run_nodebug_show, 0 },
    { "verbose", "all of them, with more detail", NULL, run_nodebug_verbose, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct word debug_auth[] = {
    { "authenticity", "digitally signed software", debug_kinds, NULL, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct word nodebug_auth[] = {
    { "authenticity", "digitally signed software", nodebug_kinds, NULL, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
const struct word swauth_debug_words[] = {
    { "software", "software authenticity", debug_auth, NULL, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
const struct word swauth_no_debug_words[] = {
    { "all", "turn off all debugging", NULL, run_undebug_all, 0 },
    { "software", "software authenticity", nodebug_auth, NULL, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
