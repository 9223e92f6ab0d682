/* cmd_speed.c - "xce speed": throughput of each cipher through libxce at
 * the current policy, as openssl speed -evp prints it (1000s of bytes per
 * second). With -v, how many requests of each size the engine and the
 * software path served. On the simulated engine also the engine cycles
 * per 16-byte block, from the cores' busy-cycle counters, and the
 * throughput that means at the engine's clock. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "ciphers.h"
#include "cli.h"

#define MAX_SIZES 6
#define MAX_CIPHERS 16

static const size_t default_sizes[MAX_SIZES] = { 16, 64, 256, 1024, 8192, 16384 };

struct speed_opts {
    double seconds;
    size_t sizes[MAX_SIZES];
    size_t nsizes;
    const struct cipher_desc *ciphers[MAX_CIPHERS];
    size_t nciphers;
};

struct result {
    double bytes_per_sec;
    uint64_t hw, sw;                  /* requests by path */
    uint64_t busy_cycles, core_bytes; /* engine cores, summed */
};

static int parse_number(const char *opt, const char *s, double min, double max, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= min && v <= max)) {
        fprintf(stderr, "xce speed: %s: '%s' is not a number from %g to %g\n", opt, s, min, max);
        return -1;
    }
    *out = v;
    return 0;
}

static int add_cipher(struct speed_opts *o, const char *name)
{
    const struct cipher_desc *c = cipher_find(name);
    if (!c) {
        fprintf(stderr, "xce speed: unknown cipher '%s'; supported: ", name);
        cipher_print_names(stderr);
        fputc('\n', stderr);
        return -1;
    }
    if (o->nciphers == MAX_CIPHERS) {
        fprintf(stderr, "xce speed: at most %d ciphers at a time\n", MAX_CIPHERS);
        return -1;
    }
    o->ciphers[o->nciphers++] = c;
    return 0;
}

/* Returns 0, 1 for -help, -1 on error. */
static int parse_args(int argc, char **argv, struct speed_opts *o)
{
    memset(o, 0, sizeof *o);
    o->seconds = 1;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-help") == 0 || strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
            return 1;
        if (strcmp(a, "-evp") == 0)
            continue;   /* openssl speed -evp NAME: every xce cipher is "evp" */
        if (strcmp(a, "-seconds") == 0 || strcmp(a, "-bytes") == 0) {
            double v;
            if (i + 1 >= argc) {
                fprintf(stderr, "xce speed: option '%s' needs an argument\n", a);
                return -1;
            }
            int secs = a[1] == 's';
            if (parse_number(a, argv[++i], secs ? 0.01 : 1, secs ? 3600 : XCE_MAX_REQUEST, &v) != 0)
                return -1;
            if (secs) {
                o->seconds = v;
            } else {
                o->sizes[0] = (size_t)v;
                o->nsizes = 1;
            }
            continue;
        }
        if (a[0] == '-') {
            fprintf(stderr, "xce speed: unknown option '%s' (see 'xce speed -help')\n", a);
            return -1;
        }
        if (add_cipher(o, a) != 0)
            return -1;
    }
    if (o->nsizes == 0) {
        memcpy(o->sizes, default_sizes, sizeof default_sizes);
        o->nsizes = MAX_SIZES;
    }
    if (o->nciphers == 0)   /* default: the nine AES ciphers */
        for (size_t i = 0; i < cipher_count(); i++)
            if (cipher_at(i)->alg == XCE_ALG_AES)
                o->ciphers[o->nciphers++] = cipher_at(i);
    return 0;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sum_cores(const struct xce_stats *st, uint64_t *busy, uint64_t *bytes)
{
    *busy = *bytes = 0;
    for (unsigned c = 0; c < st->cores && c < XCE_STATS_CORES; c++) {
        *busy += st->core[c].busy_cycles;
        *bytes += st->core[c].bytes;
    }
}

/* Encrypt size-byte requests for o->seconds; fills r. 0 or -1. */
static int measure(xce_dev *dev, xce_session *s, const struct cipher_desc *c, size_t size, double seconds,
                   uint8_t *buf, struct result *r)
{
    struct xce_stats a, b;
    uint8_t iv[16] = { 0 };
    uint64_t ops = 0;
    int rc = xce_get_stats(dev, &a);
    fprintf(stderr, "Doing %s ops for %gs on %zu size blocks: ", c->name, seconds, size);
    double t0 = now_seconds(), t = t0;
    while (rc == XCE_OK && t - t0 < seconds) {
        rc = xce_cipher(s, iv, buf, buf, size);
        ops++;
        t = now_seconds();
    }
    if (rc == XCE_OK)
        rc = xce_get_stats(dev, &b);
    if (rc != XCE_OK) {
        fprintf(stderr, "failed\nxce speed: %s on %zu bytes: %s\n", c->name, size, xce_strerror(rc));
        return -1;
    }
    fprintf(stderr, "%" PRIu64 " %s ops in %.2fs\n", ops, c->name, t - t0);
    uint64_t busy_a, bytes_a, busy_b, bytes_b;
    sum_cores(&a, &busy_a, &bytes_a);
    sum_cores(&b, &busy_b, &bytes_b);
    r->bytes_per_sec = (double)ops * (double)size / (t - t0);
    r->hw = b.hw_requests - a.hw_requests;
    r->sw = b.sw_requests - a.sw_requests;
    r->busy_cycles = busy_b - busy_a;
    r->core_bytes = bytes_b - bytes_a;
    return 0;
}

static int measure_cipher(xce_dev *dev, const struct speed_opts *o, const struct cipher_desc *c, uint8_t *buf,
                          struct result *row)
{
    uint8_t key[32];
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)(0x11 * i + 1);
    struct xce_cipher_params p = { c->alg, c->mode, key, c->key_len, 0 };
    xce_session *s;
    int r = xce_session_create(dev, &p, &s);
    OPENSSL_cleanse(key, sizeof key);
    if (r != XCE_OK) {
        fprintf(stderr, "xce speed: cannot set up %s: %s\n", c->name, xce_strerror(r));
        return -1;
    }
    for (size_t i = 0; i < o->nsizes && r == 0; i++) {
        if (c->mode != XCE_MODE_CTR && o->sizes[i] % c->block) {
            fprintf(stderr, "xce speed: %s needs whole %zu-byte blocks; -bytes %zu is not\n", c->name, c->block,
                    o->sizes[i]);
            r = -1;
        } else {
            r = measure(dev, s, c, o->sizes[i], o->seconds, buf, &row[i]);
        }
    }
    xce_session_destroy(s);
    return r;
}

static void print_header(const struct speed_opts *o)
{
    printf("%-13s", "type");
    for (size_t i = 0; i < o->nsizes; i++)
        printf(" %7zu bytes", o->sizes[i]);
    putchar('\n');
}

static void print_kbytes(double bytes_per_sec)
{
    printf(" %11.2fk", bytes_per_sec / 1e3);
}

static void print_throughput(const struct speed_opts *o, struct result (*res)[MAX_SIZES])
{
    printf("The 'numbers' are in 1000s of bytes per second processed.\n");
    print_header(o);
    for (size_t c = 0; c < o->nciphers; c++) {
        printf("%-13s", o->ciphers[c]->name);
        for (size_t i = 0; i < o->nsizes; i++)
            print_kbytes(res[c][i].bytes_per_sec);
        putchar('\n');
    }
}

static void print_split(const struct speed_opts *o, struct result (*res)[MAX_SIZES])
{
    printf("\nRequests served (engine/software):\n");
    print_header(o);
    for (size_t c = 0; c < o->nciphers; c++) {
        printf("%-13s", o->ciphers[c]->name);
        for (size_t i = 0; i < o->nsizes; i++) {
            char cell[48];
            snprintf(cell, sizeof cell, "%" PRIu64 "/%" PRIu64, res[c][i].hw, res[c][i].sw);
            printf(" %13s", cell);
        }
        putchar('\n');
    }
}

/* Cycles per block, and what that is at the engine's clock. */
static void print_cycles(const struct speed_opts *o, struct result (*res)[MAX_SIZES], uint32_t clock_hz)
{
    printf("\nEngine cycles per 16-byte block (core busy cycles / blocks; n/a: no request on the engine):\n");
    print_header(o);
    for (size_t c = 0; c < o->nciphers; c++) {
        printf("%-13s", o->ciphers[c]->name);
        for (size_t i = 0; i < o->nsizes; i++) {
            const struct result *r = &res[c][i];
            if (r->core_bytes >= 16 && r->busy_cycles)
                printf(" %12.2f", (double)r->busy_cycles / (double)(r->core_bytes / 16));
            else
                printf(" %12s", "n/a");
        }
        putchar('\n');
    }
    if (clock_hz == 0)
        return;
    printf("\nImplied engine throughput at %.3f MHz, in 1000s of bytes per second:\n", clock_hz / 1e6);
    print_header(o);
    for (size_t c = 0; c < o->nciphers; c++) {
        printf("%-13s", o->ciphers[c]->name);
        for (size_t i = 0; i < o->nsizes; i++) {
            const struct result *r = &res[c][i];
            if (r->core_bytes >= 16 && r->busy_cycles)
                print_kbytes((double)r->core_bytes * clock_hz / (double)r->busy_cycles);
            else
                printf(" %12s", "n/a");
        }
        putchar('\n');
    }
}

static int run_all(struct cli *cli, const struct speed_opts *o, struct result (*res)[MAX_SIZES])
{
    xce_dev *dev = cli_device(cli);
    if (!dev)
        return -1;
    struct xce_info info;
    int r = xce_get_info(dev, &info);
    if (r != XCE_OK) {
        fprintf(stderr, "xce speed: cannot read device '%s': %s\n", cli_device_name(cli), xce_strerror(r));
        return -1;
    }
    size_t max = 0;
    for (size_t i = 0; i < o->nsizes; i++)
        max = o->sizes[i] > max ? o->sizes[i] : max;
    uint8_t *buf = calloc(1, max);
    if (!buf) {
        fprintf(stderr, "xce speed: out of memory\n");
        return -1;
    }
    for (size_t c = 0; c < o->nciphers && r == 0; c++)
        r = measure_cipher(dev, o, o->ciphers[c], buf, res[c]);
    free(buf);
    if (r != 0)
        return -1;
    printf("xce speed on device '%s', policy %s\n", cli_device_name(cli), xce_policy_name(info.policy));
    print_throughput(o, res);
    if (cli->verbose)
        print_split(o, res);
    if (info.engine_present && strcmp(info.backend, "sim") == 0)
        print_cycles(o, res, info.clock_hz);
    return 0;
}

int cmd_speed(struct cli *cli, int argc, char **argv)
{
    struct speed_opts o;
    int p = parse_args(argc, argv, &o);
    if (p != 0) {
        if (p > 0)
            help_speed(stdout);
        return p > 0 ? 0 : 1;
    }
    struct result (*res)[MAX_SIZES] = calloc(o.nciphers, sizeof *res);
    if (!res) {
        fprintf(stderr, "xce speed: out of memory\n");
        return 1;
    }
    int r = run_all(cli, &o, res);
    free(res);
    return r == 0 ? 0 : 1;
}
