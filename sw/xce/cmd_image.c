/* cmd_image.c - "xce image": the signer's side of signed images
 * (doc/signed-images.md) and the checks a user runs on them.
 *
 *   xce image keygen --type production|special|rollover --version A..Z
 *       [--bits 2048|3072|4096] --dir DIR
 *   xce image sign --key KEY.pem [--key-type T --key-version V]
 *       --type firmware|bitstream|software --cn NAME [--ou OU] [--org ORG]
 *       [--serial HEX] [--build-time UNIX] --in PAYLOAD --out NAME [--unsigned]
 *   xce image assemble --signed-part F --signature S --out NAME
 *   xce image revocation --key ROLLOVER.pem [--key-version V] --cn NAME [...]
 *       [--add production|special:V:PUB.pem]... [--revoke production|special:V]...
 *       --out NAME
 *   xce image verify PATH... [--key-store DIR]
 *   xce image extract PATH --signed-part F --signature S
 *   xce image trust install SRC_DIR [--key-store DIR]
 *
 * Every hash runs through a libxce SHA-512 session and every signature
 * through xce_rsa_sign (PKCS#1 v1.5, SHA-512), on the engine as the policy
 * allows; OpenSSL only generates keys and reads and writes PEM and DER.
 * Payloads are streamed in 64 KiB pieces (memory stays flat for any size),
 * and every output file is written under a temporary name in its directory
 * and renamed into place once complete, so a failed run leaves none. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "cli.h"

#define IM "xce image: "
#define CHUNK (64u * 1024)
#define HDR_LEN 256
#define TEXT_LEN 64
#define MAX_SIG 512
#define MAX_PAYLOAD (1ull << 40)
#define MAX_RECORDS 16
#define SPKI_MAX 2048
#define PEM_MAX (64u * 1024)

/* One line on stderr, "xce image: ..."; returns -1. */
__attribute__((format(printf, 1, 2))) static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs(IM, stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return -1;
}

/* --- names and values --------------------------------------------------- */

const char *image_key_type_name(char t)
{
    return t == 'P' ? "production" : t == 'S' ? "special" : t == 'R' ? "rollover" : "unknown";
}

const char *image_type_name(int type)
{
    switch (type) {
    case XCE_IMAGE_FIRMWARE:
        return "firmware";
    case XCE_IMAGE_BITSTREAM:
        return "bitstream";
    case XCE_IMAGE_SOFTWARE:
        return "software";
    case XCE_IMAGE_REVOCATION:
        return "revocation";
    }
    return "unknown";
}

/* production|special|rollover (or P, S, R) -> 'P', 'S', 'R'; 0 if not. */
static char parse_key_type(const char *s, int rollover_ok)
{
    static const char *const names[] = { "production", "special", "rollover" };
    static const char letters[] = "PSR";
    for (int i = 0; i < (rollover_ok ? 3 : 2); i++)
        if (strcasecmp(s, names[i]) == 0 || (s[0] == letters[i] && !s[1]))
            return letters[i];
    return 0;
}

static char parse_version(const char *s)
{
    if (!s[0] || s[1])
        return 0;
    char c = (char)toupper((unsigned char)s[0]);
    return c >= 'A' && c <= 'Z' ? c : 0;
}

/* A signer name for the header: at most 64 printable ASCII characters. */
static int check_text(const char *opt, const char *s, int need)
{
    size_t n = strlen(s);
    if (need && n == 0)
        return fail("%s: the name may not be empty", opt);
    if (n > TEXT_LEN)
        return fail("%s: %zu characters, at most %d fit the header", opt, n, TEXT_LEN);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
            return fail("%s: only printable ASCII characters (byte %zu is not)", opt, i + 1);
    return 0;
}

/* HEX, 1..32 digits (a leading 0x is allowed), right-aligned in 16 bytes. */
static int parse_serial(const char *s, uint8_t out[16])
{
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    size_t n = strlen(s);
    if (n == 0 || n > 32)
        return fail("--serial: 1 to 32 hex digits (16 bytes), not %zu", n);
    memset(out, 0, 16);
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[n - 1 - i];
        int v = isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a' + 10) : -1;
        if (v < 0)
            return fail("--serial: '%c' is not a hex digit", c);
        out[15 - i / 2] |= (uint8_t)(v << (4 * (i % 2)));
    }
    return 0;
}

static int parse_time(const char *opt, const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < 0)
        return fail("%s: '%s' is not a time in seconds since 1970 (a non-negative integer)", opt, s);
    *out = v;
    return 0;
}

/* --build-time, else $SOURCE_DATE_EPOCH (reproducible builds), else now. */
static int build_time(const char *opt, int64_t *out)
{
    if (opt)
        return parse_time("--build-time", opt, out);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde)
        return parse_time("$SOURCE_DATE_EPOCH", sde, out);
    *out = (int64_t)time(NULL);
    return 0;
}

/* --- the file name rule ------------------------------------------------- */

static int is_sign_component(const char *p, size_t n)
{
    return n == 3 && p[0] == 'S' && (p[1] == 'P' || p[1] == 'S' || p[1] == 'R') && p[2] >= 'A' && p[2] <= 'Z';
}

/* The name an image signed with key S<kt><kv> gets: name as given when its
 * last component carries .S<kt><kv>. components only, else with .S<kt><kv>
 * inserted before the last extension (appended when there is none).
 * malloc'ed; NULL after printing why (a component naming another key). */
static char *signed_name(const char *name, char kt, char kv)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    if (!*base) {
        fail("'%s' is a directory name, not a file name", name);
        return NULL;
    }
    int found = 0;
    for (const char *p = base;;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (is_sign_component(p, n)) {
            if (p[1] != kt || p[2] != kv) {
                fail("the name '%s' says %.3s, but the image is signed with %s key %c (S%c%c)", base, p,
                     image_key_type_name(kt), kv, kt, kv);
                return NULL;
            }
            found = 1;
        }
        if (!dot)
            break;
        p = dot + 1;
    }
    size_t len = strlen(name);
    char *out = malloc(len + 5);
    if (!out) {
        fail("out of memory");
        return NULL;
    }
    if (found) {
        memcpy(out, name, len + 1);
        return out;
    }
    const char *ext = strrchr(base, '.');
    if (!ext || ext == base)   /* no extension (".profile" is a name, not an extension) */
        ext = name + len;
    size_t at = (size_t)(ext - name);
    memcpy(out, name, at);
    snprintf(out + at, len + 5 - at, ".S%c%c%s", kt, kv, name + at);
    return out;
}

/* --- options ------------------------------------------------------------ */

/* -name or --name. */
static int is_opt(const char *a, const char *name)
{
    if (a[0] != '-')
        return 0;
    a += a[1] == '-' ? 2 : 1;
    return strcmp(a, name) == 0;
}

/* --name VALUE, --name=VALUE (also with one dash). 1: taken (argv[*i] was
 * this option), 0: another option, -1: error printed. */
static int opt_value(int argc, char **argv, int *i, const char *name, const char **v)
{
    const char *a = argv[*i];
    if (a[0] != '-')
        return 0;
    const char *n = a + (a[1] == '-' ? 2 : 1);
    size_t len = strlen(name);
    if (strncmp(n, name, len) != 0 || (n[len] != '\0' && n[len] != '='))
        return 0;
    if (*v)
        return fail("--%s given twice", name);
    if (n[len] == '=') {
        *v = n + len + 1;
    } else {
        if (*i + 1 >= argc)
            return fail("--%s needs a value", name);
        *v = argv[++*i];
    }
    if (!**v)
        return fail("--%s: empty value", name);
    return 1;
}

static int is_help(const char *a)
{
    return is_opt(a, "help") || strcmp(a, "-h") == 0;
}

static int unknown(const char *sub, const char *a)
{
    if (a[0] == '-')
        return fail("%s: unknown option '%s' (see \"xce image -help\")", sub, a);
    return fail("%s: unexpected argument '%s' (see \"xce image -help\")", sub, a);
}

/* One option of a subcommand: --name VALUE (opt_value), into *v. */
struct opt {
    const char *name;
    const char **v;
};

/* The words of sub: -help, the options of opts (up to a NULL name) and, if
 * operand is not NULL, one word that is not an option, into *operand.
 * 0: all read, 1: -help (the manual printed), -1: error printed. */
static int read_opts(const char *sub, int argc, char **argv, const struct opt *opts, const char **operand)
{
    for (int i = 0; i < argc; i++) {
        if (is_help(argv[i])) {
            help_image(stdout);
            return 1;
        }
        int r = 0;
        for (const struct opt *o = opts; o->name && !r; o++)
            r = opt_value(argc, argv, &i, o->name, o->v);
        if (r < 0)
            return -1;
        if (r)
            continue;
        if (operand && argv[i][0] != '-' && !*operand) {
            *operand = argv[i];
            continue;
        }
        return unknown(sub, argv[i]);
    }
    return 0;
}

static int need(const char *sub, const char *v, const char *opt)
{
    if (v)
        return 0;
    return fail("%s: %s is required (see \"xce image -help\")", sub, opt);
}

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

/* --- progress on a terminal --------------------------------------------- */

/* A line on stderr, redrawn four times a second once an operation has
 * taken a second: what, how far (when known) and how long so far. */
struct progress {
    int on;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop, drawn;
    char what[160];
    uint64_t total;
    _Atomic uint64_t done;
    int track;               /* done is updated (else only the time is shown) */
    struct timespec t0;
};

static double since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static void *progress_main(void *arg)
{
    struct progress *p = arg;
    pthread_mutex_lock(&p->mu);
    while (!p->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 250000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&p->cv, &p->mu, &until);
        double t = since(&p->t0);
        if (p->stop || t < 1.0)
            continue;
        double mib = (double)p->total / (1024.0 * 1024.0);
        if (p->track && p->total)
            fprintf(stderr, "\r%s%s: %3u%% of %.1f MiB, %.0f s ", IM, p->what,
                    (unsigned)(100.0 * (double)atomic_load(&p->done) / (double)p->total), mib, t);
        else
            fprintf(stderr, "\r%s%s (%.1f MiB): %.0f s ", IM, p->what, mib, t);
        fflush(stderr);
        p->drawn = 1;
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void progress_start(struct progress *p, const char *what, uint64_t total, int track)
{
    memset(p, 0, sizeof *p);
    if (!isatty(STDERR_FILENO))
        return;
    snprintf(p->what, sizeof p->what, "%s", what);
    p->total = total;
    p->track = track;
    clock_gettime(CLOCK_MONOTONIC, &p->t0);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->on = pthread_create(&p->th, NULL, progress_main, p) == 0;
    if (!p->on) {
        pthread_mutex_destroy(&p->mu);
        pthread_cond_destroy(&p->cv);
    }
}

static void progress_add(struct progress *p, uint64_t n)
{
    if (p->on)
        atomic_fetch_add(&p->done, n);
}

static void progress_stop(struct progress *p)
{
    if (!p->on)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->th, NULL);
    if (p->drawn)
        fputs("\r\033[K", stderr);   /* the line goes; what follows is the result */
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    p->on = 0;
}

/* --- all-or-nothing output files ---------------------------------------- */

struct outfile {
    char *path, *tmp;
    int fd;
    int existed;
};

static int out_error(struct outfile *o)
{
    return fail("cannot write '%s': %s", o->path, strerror(errno));
}

/* A temporary file beside path, with the mode path will have: its old
 * mode when it exists, else mode as the umask allows. */
static int out_open(struct outfile *o, const char *path, mode_t mode)
{
    memset(o, 0, sizeof *o);
    o->fd = -1;
    struct stat st;
    o->existed = stat(path, &st) == 0;
    if (o->existed && !S_ISREG(st.st_mode))
        return fail("'%s' exists and is not a regular file", path);
    o->path = strdup(path);
    size_t tlen = strlen(path) + sizeof ".xce-XXXXXX";
    o->tmp = malloc(tlen);
    if (!o->path || !o->tmp)
        return fail("out of memory");
    snprintf(o->tmp, tlen, "%s.xce-XXXXXX", path);
    o->fd = mkostemp(o->tmp, O_CLOEXEC);
    if (o->fd < 0) {
        free(o->tmp);
        o->tmp = NULL;
        return fail("cannot create '%s': %s", path, strerror(errno));
    }
    if (o->existed) {
        mode = st.st_mode & 07777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode &= ~mask;
    }
    if (fchmod(o->fd, mode) != 0)
        return out_error(o);
    return 0;
}

static int out_write(struct outfile *o, const void *data, size_t len)
{
    const uint8_t *p = data;
    while (len) {
        ssize_t w = write(o->fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return out_error(o);
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Complete and on disk, but still under its temporary name. */
static int out_finish(struct outfile *o)
{
    if (fsync(o->fd) != 0 && errno != EINVAL)
        return out_error(o);
    int r = close(o->fd);
    o->fd = -1;
    return r == 0 ? 0 : out_error(o);
}

static int out_rename(struct outfile *o)
{
    if (rename(o->tmp, o->path) != 0)
        return fail("cannot create '%s': %s", o->path, strerror(errno));
    free(o->tmp);
    o->tmp = NULL;
    return 0;
}

/* Drops the temporary file if it is still there. */
static void out_free(struct outfile *o)
{
    if (o->fd >= 0)
        close(o->fd);
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof *o);
    o->fd = -1;
}

/* --- input -------------------------------------------------------------- */

/* Exactly n bytes, unless the file ends first: the count read, or -1. */
static ssize_t read_full(int fd, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, (uint8_t *)buf + got, n - got);
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

/* A regular file, opened for reading, and its size. */
static int open_input(const char *what, const char *path, int *fd, uint64_t *size)
{
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0)
        return fail("cannot open %s '%s': %s", what, path, strerror(errno));
    struct stat st;
    if (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(*fd);
        *fd = -1;
        return fail("%s '%s' is not a regular file (its length must be known before it is read)", what, path);
    }
    *size = (uint64_t)st.st_size;
    return 0;
}

/* Copy len bytes of fd to o, in pieces; the file must hold them. */
static int copy_bytes(int fd, const char *path, uint64_t len, struct outfile *o, uint8_t *buf, struct progress *pr)
{
    while (len) {
        size_t want = len < CHUNK ? (size_t)len : CHUNK;
        ssize_t n = read_full(fd, buf, want);
        if (n < 0)
            return fail("cannot read '%s': %s", path, strerror(errno));
        if ((size_t)n < want)
            return fail("'%s' shrank while it was read", path);
        if (out_write(o, buf, want) != 0)
            return -1;
        progress_add(pr, want);
        len -= want;
    }
    return 0;
}

/* --- headers ------------------------------------------------------------ */

static uint64_t le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

static void copy_text(char *dst, const uint8_t *src)
{
    size_t n = strnlen((const char *)src, TEXT_LEN);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* The fields of a 256-byte header, checked: the reasons start with
 * doc/signed-images.md's phrases; a header must be exactly what
 * xce_image_header writes for its fields. 0, or -1 with why. */
int image_parse_header(const uint8_t *h, size_t len, struct xce_image_info *in, char *why, size_t why_len)
{
    memset(in, 0, sizeof *in);
#define WHY(...) (snprintf(why, why_len, __VA_ARGS__), -1)
    if (len < HDR_LEN)
        return WHY("truncated: %zu bytes, the header alone is %d", len, HDR_LEN);
    if (memcmp(h, "XCESIMG1", 8) != 0)
        return WHY("bad magic (not a signed image)");
    if (le(h + 8, 2) != 1)
        return WHY("unsupported format version %u", (unsigned)le(h + 8, 2));
    if (le(h + 10, 2) != HDR_LEN)
        return WHY("bad header length %u", (unsigned)le(h + 10, 2));
    if (h[12] < XCE_IMAGE_FIRMWARE || h[12] > XCE_IMAGE_REVOCATION)
        return WHY("bad image type %u", h[12]);
    if (h[13] != XCE_HASH_SHA512)
        return WHY("unsupported hash algorithm %u", h[13]);
    if (h[14] != 1)
        return WHY("unsupported signature algorithm %u", h[14]);
    if (h[15] != 'P' && h[15] != 'S' && h[15] != 'R')
        return WHY("bad key type 0x%02x", h[15]);
    if (h[16] < 'A' || h[16] > 'Z')
        return WHY("bad key version 0x%02x", h[16]);
    unsigned sig_len = (unsigned)le(h + 18, 2);
    if (sig_len != 256 && sig_len != 384 && sig_len != 512)
        return WHY("bad signature length %u", sig_len);
    uint64_t payload = le(h + 24, 8);
    if (payload > MAX_PAYLOAD)
        return WHY("payload too long: %" PRIu64 " bytes", payload);
    in->type = (enum xce_image_type)h[12];
    in->key_type = (char)h[15];
    in->key_version = (char)h[16];
    in->sig_bits = 8 * sig_len;
    in->payload_len = payload;
    in->build_time = (int64_t)le(h + 32, 8);
    copy_text(in->common_name, h + 40);
    copy_text(in->org_unit, h + 104);
    copy_text(in->org_name, h + 168);
    memcpy(in->serial, h + 232, 16);
    uint8_t again[HDR_LEN];
    if (h[17] || le(h + 20, 4) || le(h + 248, 8)) {
        memset(in, 0, sizeof *in);
        return WHY("reserved field not zero");
    }
    if (xce_image_header(in, again) != XCE_OK || memcmp(again, h, HDR_LEN) != 0) {
        int rollover = in->key_type == 'R', revocation = in->type == XCE_IMAGE_REVOCATION;
        memset(in, 0, sizeof *in);
        if (revocation && !rollover)
            return WHY("revocation image not signed with a rollover key");
        if (rollover && !revocation)
            return WHY("rollover key signs only revocation images");
        return WHY("bad signer name (printable ASCII, NUL-padded, a common name)");
    }
#undef WHY
    return 0;
}

/* Read and check the header of the image at path (fd stays open). */
static int read_header(const char *path, int *fd, uint64_t *size, struct xce_image_info *in)
{
    if (open_input("image", path, fd, size) != 0)
        return -1;
    uint8_t h[HDR_LEN];
    char why[200];
    ssize_t n = read_full(*fd, h, sizeof h);
    if (n < 0)
        return fail("cannot read '%s': %s", path, strerror(errno));
    if (image_parse_header(h, (size_t)n, in, why, sizeof why) != 0)
        return fail("%s: %s", path, why);
    return 0;
}

/* --- keys --------------------------------------------------------------- */

/* A private key to sign with, RSA of a size images take. */
static int load_signing_key(const char *path, int need_private, xce_rsa_key **key)
{
    int r = xce_rsa_key_load(path, NULL, key);
    if (r != XCE_OK) {
        *key = NULL;
        if (r == XCE_ERR_NOMEM)
            return fail("out of memory");
        if (access(path, R_OK) != 0)
            return fail("cannot open key file '%s': %s", path, strerror(errno));
        return fail("cannot read an RSA key from '%s' (PEM or DER; an encrypted key is not supported)", path);
    }
    if (need_private && !xce_rsa_key_is_private(*key))
        return fail("'%s' holds a public key: signing needs the private key", path);
    unsigned bits = xce_rsa_key_bits(*key);
    if (bits != 2048 && bits != 3072 && bits != 4096)
        return fail("'%s' is an RSA-%u key: images are signed with 2048-, 3072- or 4096-bit keys", path, bits);
    return 0;
}

/* production-B.pem, rollover-A.pub.pem ...: the key's type and version. */
static int key_from_file_name(const char *path, char *kt, char *kv)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    static const char *const names[] = { "production-", "special-", "rollover-" };
    static const char letters[] = "PSR";
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(names[i]);
        if (strncmp(base, names[i], n) == 0 && base[n] >= 'A' && base[n] <= 'Z' &&
            (strcmp(base + n + 1, ".pem") == 0 || strcmp(base + n + 1, ".pub.pem") == 0)) {
            *kt = letters[i];
            *kv = base[n];
            return 0;
        }
    }
    return -1;
}

/* --- signing ------------------------------------------------------------ */

/* What to sign: the payload is a file (fd) or memory (mem). */
struct payload {
    int fd;
    const char *path;
    const uint8_t *mem;
    uint64_t len;
};

/* header || payload [|| signature] to out, hashed on the way through
 * (unless unsigned_only), signed, renamed into place. */
static int write_image(struct cli *cli, const xce_rsa_key *key, const struct xce_image_info *info,
                       const struct payload *pl, const char *out, int unsigned_only)
{
    uint8_t hdr[HDR_LEN];
    if (xce_image_header(info, hdr) != XCE_OK)
        return fail("the header fields are not valid (xce_image_header refused them)");
    xce_dev *dev = NULL;
    xce_session *s = NULL;
    xce_hash_ctx *c = NULL;
    if (!unsigned_only) {
        if (!(dev = cli_device(cli)))
            return -1;
        struct xce_hash_params hp = { .alg = XCE_HASH_SHA512 };
        int r = xce_hash_session_create(dev, &hp, &s);
        if (r == XCE_OK && (r = xce_hash_init(s, &c)) != XCE_OK)
            c = NULL;
        if (r != XCE_OK) {
            xce_session_destroy(s);
            return fail("cannot start SHA-512: %s", xce_strerror(r));
        }
    }
    struct outfile o = { .fd = -1 };
    uint8_t *buf = malloc(CHUNK);
    int rc = -1, hr = XCE_OK;
    struct progress pr;
    char what[160];
    snprintf(what, sizeof what, "%s %s", unsigned_only ? "writing" : "signing", base_name(out));
    progress_start(&pr, what, pl->len, 1);
    if (!buf) {
        fail("out of memory");
        goto done;
    }
    if (out_open(&o, out, 0666) != 0 || out_write(&o, hdr, sizeof hdr) != 0)
        goto done;
    if (c)
        hr = xce_hash_update(c, hdr, sizeof hdr);
    for (uint64_t off = 0; hr == XCE_OK && off < pl->len;) {
        size_t want = pl->len - off < CHUNK ? (size_t)(pl->len - off) : CHUNK;
        const uint8_t *p = buf;
        if (pl->mem) {
            p = pl->mem + off;
        } else {
            ssize_t n = read_full(pl->fd, buf, want);
            if (n < 0) {
                fail("cannot read '%s': %s", pl->path, strerror(errno));
                goto done;
            }
            if ((size_t)n < want) {
                fail("'%s' shrank while it was read", pl->path);
                goto done;
            }
        }
        if (c)
            hr = xce_hash_update(c, p, want);
        if (out_write(&o, p, want) != 0)
            goto done;
        off += want;
        progress_add(&pr, want);
    }
    if (!pl->mem) {
        uint8_t extra;
        ssize_t n = read_full(pl->fd, &extra, 1);
        if (n < 0) {
            fail("cannot read '%s': %s", pl->path, strerror(errno));
            goto done;
        }
        if (n > 0) {
            fail("'%s' grew while it was read", pl->path);
            goto done;
        }
    }
    if (c) {
        uint8_t digest[64], sig[MAX_SIG];
        size_t sig_len = 0;
        if (hr == XCE_OK) {
            hr = xce_hash_final(c, digest);
            c = NULL;
        }
        if (hr != XCE_OK) {
            fail("SHA-512 failed: %s", xce_strerror(hr));
            goto done;
        }
        struct xce_rsa_params p = { .padding = XCE_RSA_PKCS1, .hash = XCE_HASH_SHA512 };
        int r = xce_rsa_sign(dev, key, &p, digest, sizeof digest, sig, &sig_len);
        if (r != XCE_OK) {
            fail("signing failed: %s", xce_strerror(r));
            goto done;
        }
        if (sig_len != info->sig_bits / 8) {
            fail("signing failed: a %zu-byte signature for a %u-bit key", sig_len, info->sig_bits);
            goto done;
        }
        if (out_write(&o, sig, sig_len) != 0)
            goto done;
    }
    if (out_finish(&o) == 0 && out_rename(&o) == 0)
        rc = 0;
done:
    progress_stop(&pr);
    xce_hash_free(c);
    xce_session_destroy(s);
    out_free(&o);
    free(buf);
    return rc;
}

/* --- keygen ------------------------------------------------------------- */

static EVP_PKEY *generate_rsa(unsigned bits)
{
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    BIGNUM *e = BN_new();
    if (ctx && e && BN_set_word(e, RSA_F4) && EVP_PKEY_keygen_init(ctx) > 0 &&
        EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)bits) > 0 && EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, e) > 0 &&
        EVP_PKEY_generate(ctx, &pkey) <= 0)
        pkey = NULL;
    BN_free(e);
    EVP_PKEY_CTX_free(ctx);
    return pkey;
}

/* PEM of the key (private, or its public part) into a new temporary file
 * in dir; its name in tmp. */
static int write_pem_temp(const char *dir, EVP_PKEY *pk, int private, char *tmp, size_t tmp_len)
{
    snprintf(tmp, tmp_len, "%s/.xce-key-XXXXXX", dir);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        tmp[0] = '\0';
        return fail("cannot create a file in '%s': %s", dir, strerror(errno));
    }
    mode_t mask = umask(0);
    umask(mask);
    FILE *f = fdopen(fd, "w");
    int ok = f && fchmod(fd, private ? 0600 : (0644 & ~mask)) == 0;
    ok = ok && (private ? PEM_write_PrivateKey(f, pk, NULL, NULL, 0, NULL, NULL) : PEM_write_PUBKEY(f, pk)) == 1;
    ok = ok && fflush(f) == 0 && fsync(fd) == 0;
    int e = errno;
    if (f)
        ok = fclose(f) == 0 && ok;
    else
        close(fd);
    if (!ok) {
        ERR_clear_error();
        return fail("cannot write the %s key in '%s': %s", private ? "private" : "public", dir,
                    e ? strerror(e) : "PEM encoding failed");
    }
    return 0;
}

static int run_keygen(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    const char *type = NULL, *version = NULL, *bits_s = NULL, *dir = NULL;
    const struct opt opts[] = {
        { "type", &type }, { "version", &version }, { "bits", &bits_s }, { "dir", &dir }, { NULL, NULL },
    };
    int r = read_opts("keygen", argc, argv, opts, NULL);
    if (r != 0)
        return r > 0 ? 0 : 1;   /* -help, or an error printed */
    if (need("keygen", type, "--type production|special|rollover") || need("keygen", version, "--version A..Z") ||
        need("keygen", dir, "--dir DIR"))
        return 1;
    char kt = parse_key_type(type, 1), kv = parse_version(version);
    if (!kt)
        return fail("keygen: --type '%s': production, special or rollover", type), 1;
    if (!kv)
        return fail("keygen: --version '%s': one letter, A to Z", version), 1;
    unsigned bits = 2048;
    if (bits_s) {
        if (strcmp(bits_s, "2048") && strcmp(bits_s, "3072") && strcmp(bits_s, "4096"))
            return fail("keygen: --bits '%s': 2048, 3072 or 4096 (the signature lengths an image can have)", bits_s),
                   1;
        bits = (unsigned)atoi(bits_s);
    }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return fail("keygen: cannot create '%s': %s", dir, strerror(errno)), 1;
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return fail("keygen: '%s' is not a directory", dir), 1;
    char priv[PATH_MAX], pub[PATH_MAX];
    const char *tn = image_key_type_name(kt);
    if ((size_t)snprintf(priv, sizeof priv, "%s/%s-%c.pem", dir, tn, kv) >= sizeof priv ||
        (size_t)snprintf(pub, sizeof pub, "%s/%s-%c.pub.pem", dir, tn, kv) >= sizeof pub)
        return fail("keygen: '%s': path too long", dir), 1;
    for (const char *p = priv; p; p = p == priv ? pub : NULL)
        if (access(p, F_OK) == 0)
            return fail("keygen: '%s' exists: not overwritten (a key that signed images must not be lost)", p), 1;

    EVP_PKEY *pk = generate_rsa(bits);
    if (!pk) {
        unsigned long e = ERR_get_error();
        ERR_clear_error();
        return fail("keygen: key generation failed: %s", e ? ERR_reason_error_string(e) : "unknown error"), 1;
    }
    char tpriv[PATH_MAX + 32] = "", tpub[PATH_MAX + 32] = "";
    int rc = 1;
    if (write_pem_temp(dir, pk, 1, tpriv, sizeof tpriv) != 0 || write_pem_temp(dir, pk, 0, tpub, sizeof tpub) != 0)
        goto out;
    /* link() refuses to replace a file that appeared meanwhile */
    if (link(tpriv, priv) != 0) {
        fail("keygen: cannot create '%s': %s", priv, strerror(errno));
        goto out;
    }
    if (link(tpub, pub) != 0) {
        fail("keygen: cannot create '%s': %s", pub, strerror(errno));
        unlink(priv);
        goto out;
    }
    printf("Generated %s key %c (%u-bit RSA)\n", tn, kv, bits);
    printf("  private key: %s (mode 0600: keep it off the devices)\n", priv);
    printf("  public key:  %s\n", pub);
    rc = 0;
out:
    if (tpriv[0])
        unlink(tpriv);
    if (tpub[0])
        unlink(tpub);
    EVP_PKEY_free(pk);
    return rc;
}

/* --- sign --------------------------------------------------------------- */

struct signer_opts {
    const char *key, *key_type, *key_version, *cn, *ou, *org, *serial, *build_time, *out;
};

/* The signer options shared by sign and revocation (one of argv[*i]). */
static int signer_opt(int argc, char **argv, int *i, struct signer_opts *o)
{
    int r;
    if ((r = opt_value(argc, argv, i, "key", &o->key)) || (r = opt_value(argc, argv, i, "key-type", &o->key_type)) ||
        (r = opt_value(argc, argv, i, "key-version", &o->key_version)) ||
        (r = opt_value(argc, argv, i, "cn", &o->cn)) ||
        (r = opt_value(argc, argv, i, "ou", &o->ou)) || (r = opt_value(argc, argv, i, "org", &o->org)) ||
        (r = opt_value(argc, argv, i, "serial", &o->serial)) ||
        (r = opt_value(argc, argv, i, "build-time", &o->build_time)) || (r = opt_value(argc, argv, i, "out", &o->out)))
        return r;
    return 0;
}

/* The header fields of the signer options (type and payload_len are the
 * caller's); the key loaded. */
static int signer_setup(const char *sub, const struct signer_opts *o, int need_private, int rollover,
                        struct xce_image_info *info, xce_rsa_key **key)
{
    if (need(sub, o->key, "--key KEY.pem") || need(sub, o->cn, "--cn NAME") || need(sub, o->out, "--out NAME"))
        return -1;
    char kt = 0, kv = 0, fkt = 0, fkv = 0;
    int from_name = key_from_file_name(o->key, &fkt, &fkv) == 0;
    if (rollover) {
        if (o->key_type && parse_key_type(o->key_type, 1) != 'R')
            return fail("%s: revocation images are signed with a rollover key, not --key-type %s", sub, o->key_type);
        kt = 'R';
    } else if (o->key_type) {
        if (!(kt = parse_key_type(o->key_type, 1)))
            return fail("%s: --key-type '%s': production, special or rollover", sub, o->key_type);
        if (kt == 'R')
            return fail("%s: a rollover key signs only revocation images (xce image revocation)", sub);
    } else if (from_name) {
        kt = fkt;
        if (kt == 'R')
            return fail("%s: '%s' is a rollover key: it signs only revocation images (xce image revocation)", sub,
                        o->key);
    } else {
        return fail("%s: --key-type is required ('%s' is not named TYPE-V.pem)", sub, o->key);
    }
    if (o->key_version) {
        if (!(kv = parse_version(o->key_version)))
            return fail("%s: --key-version '%s': one letter, A to Z", sub, o->key_version);
    } else if (from_name && fkt == kt) {
        kv = fkv;
    } else {
        return fail("%s: --key-version is required ('%s' is not named %s-V.pem)", sub, o->key,
                    image_key_type_name(kt));
    }
    if (check_text("--cn", o->cn, 1) || (o->ou && check_text("--ou", o->ou, 0)) ||
        (o->org && check_text("--org", o->org, 0)))
        return -1;
    memset(info, 0, sizeof *info);
    if (o->serial && parse_serial(o->serial, info->serial) != 0)
        return -1;
    if (build_time(o->build_time, &info->build_time) != 0)
        return -1;
    info->key_type = kt;
    info->key_version = kv;
    snprintf(info->common_name, sizeof info->common_name, "%s", o->cn);
    snprintf(info->org_unit, sizeof info->org_unit, "%s", o->ou ? o->ou : "");
    snprintf(info->org_name, sizeof info->org_name, "%s", o->org ? o->org : "");
    if (load_signing_key(o->key, need_private, key) != 0)
        return -1;
    info->sig_bits = xce_rsa_key_bits(*key);
    return 0;
}

static int run_sign(struct cli *cli, int argc, char **argv)
{
    struct signer_opts o = { 0 };
    const char *type = NULL, *in = NULL;
    int unsigned_only = 0;
    for (int i = 0; i < argc; i++) {
        int r;
        if (is_help(argv[i])) {
            help_image(stdout);
            return 0;
        }
        if (is_opt(argv[i], "unsigned")) {
            unsigned_only = 1;
            continue;
        }
        if ((r = signer_opt(argc, argv, &i, &o)) || (r = opt_value(argc, argv, &i, "type", &type)) ||
            (r = opt_value(argc, argv, &i, "in", &in))) {
            if (r < 0)
                return 1;
            continue;
        }
        return unknown("sign", argv[i]), 1;
    }
    if (need("sign", type, "--type firmware|bitstream|software") || need("sign", in, "--in PAYLOAD"))
        return 1;
    struct xce_image_info info;
    if (strcasecmp(type, "firmware") == 0)
        info.type = XCE_IMAGE_FIRMWARE;
    else if (strcasecmp(type, "bitstream") == 0)
        info.type = XCE_IMAGE_BITSTREAM;
    else if (strcasecmp(type, "software") == 0)
        info.type = XCE_IMAGE_SOFTWARE;
    else if (strcasecmp(type, "revocation") == 0)
        return fail("sign: revocation images are made by \"xce image revocation\""), 1;
    else
        return fail("sign: --type '%s': firmware, bitstream or software", type), 1;
    enum xce_image_type itype = info.type;
    xce_rsa_key *key = NULL;
    if (signer_setup("sign", &o, !unsigned_only, 0, &info, &key) != 0) {
        xce_rsa_key_free(key);
        return 1;
    }
    info.type = itype;
    int fd = -1, rc = 1;
    char *name = NULL;
    struct payload pl = { .path = in };
    if (open_input("payload", in, &fd, &pl.len) != 0)
        goto out;
    pl.fd = fd;
    if (pl.len > MAX_PAYLOAD) {
        fail("sign: '%s' is %" PRIu64 " bytes; a payload is at most 2^40", in, pl.len);
        goto out;
    }
    info.payload_len = pl.len;
    name = unsigned_only ? strdup(o.out) : signed_name(o.out, info.key_type, info.key_version);
    if (!name)
        goto out;
    swauth_debug(cli, SWAUTH_DEBUG_ENVELOPE, "sign: %s image, %s key %c, %u-bit RSA, SHA512, payload %" PRIu64
                 " bytes, signer CN=%s", image_type_name(info.type), image_key_type_name(info.key_type),
                 info.key_version, info.sig_bits, info.payload_len, info.common_name);
    if (write_image(cli, key, &info, &pl, name, unsigned_only) != 0)
        goto out;
    printf("%s\n", name);
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    free(name);
    xce_rsa_key_free(key);
    return rc;
}

/* --- assemble ----------------------------------------------------------- */

static int run_assemble(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    const char *part = NULL, *sigf = NULL, *out = NULL;
    const struct opt opts[] = { { "signed-part", &part }, { "signature", &sigf }, { "out", &out }, { NULL, NULL } };
    int r = read_opts("assemble", argc, argv, opts, NULL);
    if (r != 0)
        return r > 0 ? 0 : 1;   /* -help, or an error printed */
    if (need("assemble", part, "--signed-part FILE") || need("assemble", sigf, "--signature FILE") ||
        need("assemble", out, "--out NAME"))
        return 1;
    int pfd = -1, sfd = -1, rc = 1;
    uint64_t psize, ssize;
    struct xce_image_info in;
    struct outfile o = { .fd = -1 };
    char *name = NULL;
    uint8_t *buf = NULL;
    struct progress pr = { 0 };
    if (read_header(part, &pfd, &psize, &in) != 0 || open_input("signature", sigf, &sfd, &ssize) != 0)
        goto out;
    if (psize != HDR_LEN + in.payload_len) {
        fail("assemble: '%s' is %" PRIu64 " bytes, its header announces %" PRIu64 " (header and payload)", part,
             psize, HDR_LEN + in.payload_len);
        goto out;
    }
    if (ssize != in.sig_bits / 8) {
        fail("assemble: '%s' is %" PRIu64 " bytes, the header announces a %u-byte signature (%u-bit RSA)", sigf,
             ssize, in.sig_bits / 8, in.sig_bits);
        goto out;
    }
    if (!(name = signed_name(out, in.key_type, in.key_version)) || !(buf = malloc(CHUNK)))
        goto out;
    if (lseek(pfd, 0, SEEK_SET) != 0) {
        fail("cannot read '%s': %s", part, strerror(errno));
        goto out;
    }
    progress_start(&pr, "assembling", psize + ssize, 1);
    if (out_open(&o, name, 0666) != 0 || copy_bytes(pfd, part, psize, &o, buf, &pr) != 0 ||
        copy_bytes(sfd, sigf, ssize, &o, buf, &pr) != 0 || out_finish(&o) != 0 || out_rename(&o) != 0)
        goto out;
    printf("%s\n", name);
    rc = 0;
out:
    progress_stop(&pr);
    out_free(&o);
    if (pfd >= 0)
        close(pfd);
    if (sfd >= 0)
        close(sfd);
    free(buf);
    free(name);
    return rc;
}

/* --- extract ------------------------------------------------------------ */

static int run_extract(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    const char *path = NULL, *part = NULL, *sigf = NULL;
    const struct opt opts[] = { { "signed-part", &part }, { "signature", &sigf }, { NULL, NULL } };
    int r = read_opts("extract", argc, argv, opts, &path);
    if (r != 0)
        return r > 0 ? 0 : 1;   /* -help, or an error printed */
    if (need("extract", path, "the image (PATH)") || need("extract", part, "--signed-part FILE") ||
        need("extract", sigf, "--signature FILE"))
        return 1;
    int fd = -1, rc = 1;
    uint64_t size;
    struct xce_image_info in;
    struct outfile op = { .fd = -1 }, os = { .fd = -1 };
    uint8_t *buf = NULL;
    struct progress pr = { 0 };
    if (read_header(path, &fd, &size, &in) != 0)
        goto out;
    uint64_t signed_len = HDR_LEN + in.payload_len, want = signed_len + in.sig_bits / 8;
    if (size != want) {
        fail("extract: %s: %s: %" PRIu64 " bytes, the header announces %" PRIu64, path,
             size < want ? "truncated" : "trailing data", size, want);
        goto out;
    }
    if (!(buf = malloc(CHUNK))) {
        fail("out of memory");
        goto out;
    }
    if (lseek(fd, 0, SEEK_SET) != 0) {
        fail("cannot read '%s': %s", path, strerror(errno));
        goto out;
    }
    progress_start(&pr, "extracting", size, 1);
    if (out_open(&op, part, 0666) != 0 || out_open(&os, sigf, 0666) != 0 ||
        copy_bytes(fd, path, signed_len, &op, buf, &pr) != 0 || copy_bytes(fd, path, in.sig_bits / 8, &os, buf, &pr) ||
        out_finish(&op) != 0 || out_finish(&os) != 0)
        goto out;
    if (out_rename(&os) != 0)
        goto out;
    if (out_rename(&op) != 0) {
        if (!os.existed)
            unlink(sigf);   /* both or neither */
        goto out;
    }
    rc = 0;
out:
    progress_stop(&pr);
    out_free(&op);
    out_free(&os);
    if (fd >= 0)
        close(fd);
    free(buf);
    return rc;
}

/* --- revocation --------------------------------------------------------- */

struct record {
    int action;              /* XCE_TRUST_ADD or XCE_TRUST_REVOKE */
    char kt, kv;
    uint8_t *spki;
    size_t spki_len;
};

/* The public key in a PEM or DER file (SubjectPublicKeyInfo or PKCS#1), as
 * canonical DER SubjectPublicKeyInfo. */
static int read_public_key(const char *opt, const char *path, uint8_t **der, size_t *der_len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail("%s: cannot open '%s': %s", opt, path, strerror(errno));
    uint8_t *buf = malloc(PEM_MAX + 1);
    size_t n = buf ? fread(buf, 1, PEM_MAX + 1, f) : 0;
    fclose(f);
    if (!buf)
        return fail("out of memory");
    int rc = -1;
    EVP_PKEY *pk = NULL;
    BIGNUM *d = NULL;
    if (n > PEM_MAX) {
        fail("%s: '%s' is too large for a public key", opt, path);
        goto out;
    }
    OSSL_DECODER_CTX *dc = OSSL_DECODER_CTX_new_for_pkey(&pk, NULL, NULL, "RSA", 0, NULL, NULL);
    const unsigned char *p = buf;
    size_t left = n;
    if (!dc || !OSSL_DECODER_from_data(dc, &p, &left)) {
        EVP_PKEY_free(pk);
        pk = NULL;
    }
    OSSL_DECODER_CTX_free(dc);
    if (!pk) {
        fail("%s: '%s' does not hold an RSA public key (PEM or DER)", opt, path);
        goto out;
    }
    if (EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_D, &d) == 1) {
        fail("%s: '%s' holds a private key: give the public key (TYPE-V.pub.pem)", opt, path);
        goto out;
    }
    int bits = EVP_PKEY_get_bits(pk);
    if (bits != 2048 && bits != 3072 && bits != 4096) {
        fail("%s: '%s' is an RSA-%d key: the key store takes 2048, 3072 or 4096 bits", opt, path, bits);
        goto out;
    }
    int len = i2d_PUBKEY(pk, NULL);
    if (len <= 0 || len > SPKI_MAX || !(*der = malloc((size_t)len))) {
        fail("%s: cannot encode the key in '%s'", opt, path);
        goto out;
    }
    uint8_t *w = *der;
    i2d_PUBKEY(pk, &w);
    *der_len = (size_t)len;
    rc = 0;
out:
    ERR_clear_error();
    BN_clear_free(d);
    EVP_PKEY_free(pk);
    OPENSSL_cleanse(buf, n);
    free(buf);
    return rc;
}

/* --add TYPE:V:PUB.pem or --revoke TYPE:V. */
static int parse_record(const char *v, int action, struct record *r)
{
    const char *opt = action == XCE_TRUST_ADD ? "--add" : "--revoke";
    const char *form =
        action == XCE_TRUST_ADD ? "production|special:VERSION:PUBLIC-KEY.pem" : "production|special:VERSION";
    memset(r, 0, sizeof *r);
    r->action = action;
    const char *c1 = strchr(v, ':');
    if (!c1)
        return fail("%s '%s': expected %s", opt, v, form);
    char type[16];
    size_t tl = (size_t)(c1 - v);
    if (tl >= sizeof type)
        tl = sizeof type - 1;
    memcpy(type, v, tl);
    type[tl] = '\0';
    if (!(r->kt = parse_key_type(type, 0)))
        return fail("%s '%s': key type '%s' is not production or special (rollover keys are replaced by a new "
                    "key store)", opt, v, type);
    const char *ver = c1 + 1, *c2 = strchr(ver, ':');
    char vs[4] = "";
    size_t vl = c2 ? (size_t)(c2 - ver) : strlen(ver);
    if (vl < sizeof vs) {
        memcpy(vs, ver, vl);
        vs[vl] = '\0';
    }
    if (!(r->kv = parse_version(vs)))
        return fail("%s '%s': the version is one letter, A to Z", opt, v);
    if (action == XCE_TRUST_REVOKE) {
        if (c2)
            return fail("%s '%s': a revoke names no key file (%s)", opt, v, form);
        return 0;
    }
    if (!c2 || !c2[1])
        return fail("%s '%s': expected %s", opt, v, form);
    return read_public_key(opt, c2 + 1, &r->spki, &r->spki_len);
}

static int run_revocation(struct cli *cli, int argc, char **argv)
{
    struct signer_opts o = { 0 };
    struct record rec[MAX_RECORDS];
    unsigned n = 0;
    int rc = 1;
    xce_rsa_key *key = NULL;
    uint8_t *payload = NULL;
    char *name = NULL;
    for (int i = 0; i < argc; i++) {
        int r;
        const char *v = NULL;
        if (is_help(argv[i])) {
            help_image(stdout);
            rc = 0;
            goto out;
        }
        if ((r = signer_opt(argc, argv, &i, &o))) {
            if (r < 0)
                goto out;
            continue;
        }
        int action = 0;
        if ((r = opt_value(argc, argv, &i, "add", &v)))
            action = XCE_TRUST_ADD;
        else if ((r = opt_value(argc, argv, &i, "revoke", &v)))
            action = XCE_TRUST_REVOKE;
        if (r < 0)
            goto out;
        if (!action) {
            unknown("revocation", argv[i]);
            goto out;
        }
        if (n == MAX_RECORDS) {
            fail("revocation: at most %d --add and --revoke in one image", MAX_RECORDS);
            goto out;
        }
        if (parse_record(v, action, &rec[n]) != 0)
            goto out;
        n++;
        for (unsigned j = 0; j + 1 < n; j++)
            if (rec[j].action == action && rec[j].kt == rec[n - 1].kt && rec[j].kv == rec[n - 1].kv) {
                fail("revocation: %s %s:%c given twice", action == XCE_TRUST_ADD ? "--add" : "--revoke",
                     image_key_type_name(rec[j].kt), rec[j].kv);
                goto out;
            }
    }
    if (n == 0) {
        fail("revocation: nothing to do: give --add TYPE:V:PUB.pem and/or --revoke TYPE:V");
        goto out;
    }
    struct xce_image_info info;
    if (signer_setup("revocation", &o, 1, 1, &info, &key) != 0)
        goto out;
    info.type = XCE_IMAGE_REVOCATION;
    /* the payload: magic, record count, records */
    size_t len = 12;
    for (unsigned i = 0; i < n; i++)
        len += 6 + rec[i].spki_len;
    if (!(payload = malloc(len))) {
        fail("out of memory");
        goto out;
    }
    memcpy(payload, "XCEREVK1", 8);
    payload[8] = (uint8_t)n;
    payload[9] = payload[10] = payload[11] = 0;
    size_t at = 12;
    for (unsigned i = 0; i < n; i++) {
        uint8_t *p = payload + at;
        p[0] = (uint8_t)rec[i].action;
        p[1] = (uint8_t)rec[i].kt;
        p[2] = (uint8_t)rec[i].kv;
        p[3] = 0;
        p[4] = (uint8_t)rec[i].spki_len;
        p[5] = (uint8_t)(rec[i].spki_len >> 8);
        if (rec[i].spki_len)
            memcpy(p + 6, rec[i].spki, rec[i].spki_len);
        at += 6 + rec[i].spki_len;
        swauth_debug(cli, SWAUTH_DEBUG_REVOCATION, "revocation: record %u: %s %s key %c", i + 1,
                     rec[i].action == XCE_TRUST_ADD ? "add" : "revoke", image_key_type_name(rec[i].kt), rec[i].kv);
    }
    info.payload_len = len;
    if (!(name = signed_name(o.out, 'R', info.key_version)))
        goto out;
    struct payload pl = { .fd = -1, .mem = payload, .len = len };
    if (write_image(cli, key, &info, &pl, name, 0) != 0)
        goto out;
    printf("%s\n", name);
    rc = 0;
out:
    for (unsigned i = 0; i < n; i++)
        free(rec[i].spki);
    free(payload);
    free(name);
    xce_rsa_key_free(key);
    return rc;
}

/* --- verify ------------------------------------------------------------- */

static int run_verify(struct cli *cli, int argc, char **argv)
{
    const char *store = NULL;
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    int npaths = 0, st = 1;
    xce_trust *t = NULL;
    if (!paths)
        return fail("out of memory"), 1;
    for (int i = 0; i < argc; i++) {
        int r;
        if (is_help(argv[i])) {
            help_image(stdout);
            st = 0;
            goto out;
        }
        if ((r = opt_value(argc, argv, &i, "key-store", &store))) {
            if (r < 0)
                goto out;
            continue;
        }
        if (argv[i][0] == '-') {
            unknown("verify", argv[i]);
            goto out;
        }
        paths[npaths++] = argv[i];
    }
    if (npaths == 0) {
        fail("verify: no image given (xce image verify PATH...)");
        goto out;
    }
    xce_dev *dev;
    if (!(t = swauth_trust_open(cli, store, IM)) || !(dev = cli_device(cli)))
        goto out;
    st = 0;
    for (int i = 0; i < npaths; i++) {
        const char *path = paths[i];
        struct xce_image_info in;
        char why[512];
        struct stat sb;
        struct progress pr = { 0 };
        char what[160];
        snprintf(what, sizeof what, "verifying %s", base_name(path));
        if (stat(path, &sb) == 0)
            progress_start(&pr, what, (uint64_t)sb.st_size, 0);
        int r = xce_image_verify(dev, t, path, &in, why, sizeof why);
        progress_stop(&pr);
        if (in.key_type) {
            swauth_debug_envelope(cli, path, &in);
            swauth_debug_key(cli, t, in.key_type, in.key_version);
        }
        if (r == XCE_OK) {
            printf("%s: verified (%s key %c, %u-bit RSA, SHA512)\n", path, image_key_type_name(in.key_type),
                   in.key_version, in.sig_bits);
            swauth_debug(cli, SWAUTH_DEBUG_VERBOSE, "verify: %s: the signature matches", path);
        } else if (r == XCE_ERR_AUTH) {
            printf("%s: rejected: %s\n", path, why);
            swauth_debug(cli, SWAUTH_DEBUG_ERRORS, "error: %s: rejected: %s", path, why);
            st = 1;
        } else {
            fail("verify: %s", why[0] ? why : xce_strerror(r));
            swauth_debug(cli, SWAUTH_DEBUG_ERRORS, "error: %s: %s", path, why[0] ? why : xce_strerror(r));
            st = 1;
        }
        fflush(stdout);
    }
out:
    xce_trust_close(t);
    free(paths);
    return st;
}

/* --- trust -------------------------------------------------------------- */

static int run_trust(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    if (argc == 0 || is_help(argv[0])) {
        if (argc)
            help_image(stdout);
        return argc ? 0 : (fail("trust: expected \"trust install SRC_DIR [--key-store DIR]\""), 1);
    }
    if (strcmp(argv[0], "install") != 0)
        return fail("trust: unknown action '%s' (install)", argv[0]), 1;
    const char *store = NULL, *src = NULL;
    const struct opt opts[] = { { "key-store", &store }, { NULL, NULL } };
    int r = read_opts("trust install", argc - 1, argv + 1, opts, &src);
    if (r != 0)
        return r > 0 ? 0 : 1;   /* -help, or an error printed */
    if (!src)
        return fail("trust install: give the directory of public keys (SRC_DIR)"), 1;
    char why[1024];
    r = xce_trust_install(store, src, why, sizeof why);
    if (r != XCE_OK)
        return fail("trust install: %s", why[0] ? why : xce_strerror(r)), 1;
    printf("%s\n", why[0] ? why : "key store installed");
    return 0;
}

/* --- the command -------------------------------------------------------- */

int cmd_image(struct cli *cli, int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(struct cli *, int, char **);
    } subs[] = {
        { "keygen", run_keygen },     { "sign", run_sign },     { "assemble", run_assemble },
        { "revocation", run_revocation }, { "verify", run_verify }, { "extract", run_extract },
        { "trust", run_trust },
    };
    if (argc == 0) {
        fail("expected a subcommand: keygen, sign, assemble, revocation, verify, extract, trust install "
             "(see \"xce image -help\")");
        return 1;
    }
    if (is_help(argv[0]) || strcmp(argv[0], "help") == 0) {
        help_image(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (strcmp(argv[0], subs[i].name) == 0) {
            int st = subs[i].run(cli, argc - 1, argv + 1);
            return st == 0 ? 0 : 1;
        }
    fail("unknown subcommand '%s': keygen, sign, assemble, revocation, verify, extract, trust install", argv[0]);
    return 1;
}
