/* xce_bench.c - the performance figures of the engine: the symmetric
 * paths here, the public-key engine in bench_pka.c.
 *
 * Hardware figures are clock cycles counted by the model, which do not
 * wander with machine load; software figures are ratios to raw OpenSSL EVP
 * measured in the same run, interleaved, because absolute times here do.
 *
 *   xce-bench [--quick] [--json FILE]
 *
 * Rows (measure names are stable, see DESIGN.md "make bench"):
 *   aes-N.cycles_per_block        steady state, (cycles(2n) - cycles(n)) / n blocks
 *   aes-N.1500B.cycles            one 1500-byte CTR request, doorbell to completion
 *   aes-N.1500B.overhead          that against core-only cycles (ceil(1500/16) * (Nr+1))
 *   aes-N.1500B.newkey.overhead   the same when the key changes (key schedule included)
 *   des.cycles_per_block, 3des.cycles_per_block, md5/sha1/sha224/sha256/sha384/sha512.cycles_per_block
 *   esp.1400B.chained.cycles      ESP packet as one chained request vs two requests
 *   pool.Ncores.cycles            a batch on 1, 2 and 4 cores of the quad model
 *   sim.cycles_per_second         simulator speed
 *   engine.aes-128-cbc.SIZE.mbps  projected at the engine's clock
 *   sw.aes-*.16k.ratio            software path / raw EVP throughput at 16 KiB
 *   pka.*                         RSA and DH on the PKA (bench_pka.c)
 *   ipsec.*                       the IPsec datapath per transform and size (bench_ipsec.c)
 *   image.verify.*                signed-image verification (bench_image.c)
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "xce.h"

struct row {
    char measure[64];
    double value;
    const char *unit;
    double reference;   /* NaN-free: has_ref says whether set */
    int has_ref;
    char note[160];
};

static struct row rows[160];
static unsigned nrows;

void bench_add(const char *measure, double value, const char *unit, int has_ref, double ref, const char *note)
{
    if (nrows >= sizeof rows / sizeof rows[0]) {
        fprintf(stderr, "xce-bench: table full, %s not recorded\n", measure);
        return;
    }
    struct row *r = &rows[nrows++];
    snprintf(r->measure, sizeof r->measure, "%s", measure);
    r->value = value;
    r->unit = unit;
    r->has_ref = has_ref;
    r->reference = ref;
    snprintf(r->note, sizeof r->note, "%s", note);
}

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t cycles(xce_dev *dev)
{
    struct xce_stats st;
    return xce_get_stats(dev, &st) == XCE_OK ? st.cycles : 0;
}

static int die(const char *what, int r)
{
    fprintf(stderr, "xce-bench: %s: %s\n", what, xce_strerror(r));
    exit(1);
}

static xce_session *session(xce_dev *dev, enum xce_mode mode, size_t klen, const uint8_t *key)
{
    struct xce_cipher_params p = { XCE_ALG_AES, mode, key, klen, 0 };
    xce_session *s;
    int r = xce_session_create(dev, &p, &s);
    if (r != XCE_OK)
        die("session", r);
    return s;
}

/* Engine cycles for one synchronous request of len bytes. */
static uint64_t request_cycles(xce_dev *dev, xce_session *s, uint8_t *buf, size_t len)
{
    uint8_t iv[16] = { 0 };
    uint64_t c0 = cycles(dev);
    int r = xce_cipher(s, iv, buf, buf, len);
    if (r != XCE_OK)
        die("engine request", r);
    return cycles(dev) - c0;
}

static void engine_cycles(xce_dev *dev, uint8_t *buf)
{
    static const size_t klens[] = { 16, 24, 32 };
    for (int k = 0; k < 3; k++) {
        size_t klen = klens[k];
        unsigned nr = (unsigned)klen / 4 + 6;
        uint8_t key[32], key2[32];
        memset(key, 0x11 * (k + 1), sizeof key);
        memset(key2, 0x5a, sizeof key2);
        xce_session *s = session(dev, XCE_MODE_ECB, klen, key);
        request_cycles(dev, s, buf, 16);   /* key schedule out of the way */
        uint64_t c1 = request_cycles(dev, s, buf, 4096 * 16);
        uint64_t c2 = request_cycles(dev, s, buf, 8192 * 16);
        double cpb = (double)(c2 - c1) / 4096.0;
        char m[64], note[160];
        snprintf(m, sizeof m, "aes-%zu.cycles_per_block", klen * 8);
        snprintf(note, sizeof note, "steady state, target <= %u (one round per clock)", nr + 1);
        bench_add(m, cpb, "cycles", 1, nr + 1, note);
        xce_session_destroy(s);

        /* 1500 bytes (CTR: any length), key already in the engine */
        s = session(dev, XCE_MODE_CTR, klen, key);
        request_cycles(dev, s, buf, 1500);
        uint64_t req = request_cycles(dev, s, buf, 1500);
        uint64_t core = ((1500 + 15) / 16) * (uint64_t)(nr + 1);
        snprintf(m, sizeof m, "aes-%zu.1500B.cycles", klen * 8);
        snprintf(note, sizeof note, "doorbell to completion incl. descriptor, key, IV and payload DMA");
        bench_add(m, (double)req, "cycles", 1, (double)core, note);
        snprintf(m, sizeof m, "aes-%zu.1500B.overhead", klen * 8);
        snprintf(note, sizeof note, "%llu cycles vs %llu core-only; target <= 15%%",
                 (unsigned long long)req, (unsigned long long)core);
        bench_add(m, 100.0 * ((double)req / (double)core - 1.0), "percent", 1, 15, note);
        xce_session_destroy(s);

        /* alternate two keys: every request pays the key schedule */
        xce_session *a = session(dev, XCE_MODE_CTR, klen, key), *b = session(dev, XCE_MODE_CTR, klen, key2);
        request_cycles(dev, a, buf, 1500);
        uint64_t nk = request_cycles(dev, b, buf, 1500);
        snprintf(m, sizeof m, "aes-%zu.1500B.newkey.overhead", klen * 8);
        snprintf(note, sizeof note, "%llu cycles with a key change (schedule %u cycles)",
                 (unsigned long long)nk, 4 * (nr + 1));
        bench_add(m, 100.0 * ((double)nk / (double)core - 1.0), "percent", 0, 0, note);
        xce_session_destroy(a);
        xce_session_destroy(b);
    }
}

/* Steady-state cycles per block of the other algorithms, by the same
 * difference of two request sizes. */
static void other_cycles(xce_dev *dev, uint8_t *buf)
{
    static const struct { const char *name; enum xce_alg alg; size_t klen; unsigned target; } des[] = {
        { "des", XCE_ALG_DES, 8, 17 }, { "3des", XCE_ALG_3DES, 24, 49 },
    };
    uint8_t key[32] = { 7 };
    char m[64], note[160];
    for (int i = 0; i < 2; i++) {
        struct xce_cipher_params p = { des[i].alg, XCE_MODE_CBC, key, des[i].klen, 0 };
        xce_session *s;
        int r = xce_session_create(dev, &p, &s);
        if (r != XCE_OK)
            die("session", r);
        uint64_t c1 = request_cycles(dev, s, buf, 2048 * 8), c2 = request_cycles(dev, s, buf, 4096 * 8);
        snprintf(m, sizeof m, "%s.cycles_per_block", des[i].name);
        snprintf(note, sizeof note, "8-byte blocks, CBC, steady state; target <= %u (one round per clock)",
                 des[i].target);
        bench_add(m, (double)(c2 - c1) / 2048.0, "cycles", 1, des[i].target, note);
        xce_session_destroy(s);
    }
    static const struct { const char *name; enum xce_hash_alg alg; unsigned target; } hashes[] = {
        { "md5", XCE_HASH_MD5, 65 }, { "sha1", XCE_HASH_SHA1, 81 }, { "sha224", XCE_HASH_SHA224, 65 },
        { "sha256", XCE_HASH_SHA256, 65 }, { "sha384", XCE_HASH_SHA384, 81 }, { "sha512", XCE_HASH_SHA512, 81 },
    };
    for (int i = 0; i < 6; i++) {
        struct xce_hash_params p = { hashes[i].alg, NULL, 0 };
        xce_session *s;
        int r = xce_hash_session_create(dev, &p, &s);
        if (r != XCE_OK)
            die("hash session", r);
        size_t bs = hashes[i].alg >= XCE_HASH_SHA384 ? 128 : 64;
        uint8_t md[64];
        uint64_t c0 = cycles(dev);
        if (xce_hash(s, buf, 512 * bs, md) != XCE_OK)
            die("hash", XCE_ERR_ENGINE);
        uint64_t c1 = cycles(dev);
        if (xce_hash(s, buf, 1024 * bs, md) != XCE_OK)
            die("hash", XCE_ERR_ENGINE);
        uint64_t c2 = cycles(dev);
        snprintf(m, sizeof m, "%s.cycles_per_block", hashes[i].name);
        snprintf(note, sizeof note, "%zu-byte blocks, padding in hardware; target <= %u", bs, hashes[i].target);
        bench_add(m, (double)((c2 - c1) - (c1 - c0)) / 512.0, "cycles", 1, hashes[i].target, note);
        xce_session_destroy(s);
    }
}

/* A 1400-byte ESP packet (AES-128-CBC + HMAC-SHA1-96, 8-byte header and
 * 16-byte IV as AAD) as one chained request, against the same work as a
 * cipher request followed by a MAC request. */
static void esp_chain(xce_dev *dev, uint8_t *buf)
{
    uint8_t key[16] = { 9 }, mkey[20] = { 10 }, iv[16] = { 11 }, md[64];
    size_t aad = 24, payload = 1376, len = aad + payload;   /* 1400 bytes authenticated */
    struct xce_chain_params cp = { XCE_CHAIN_ENC_MAC, { XCE_ALG_AES, XCE_MODE_CBC, key, 16, 0 },
                                   { XCE_HASH_SHA1, mkey, sizeof mkey }, 12 };
    struct xce_cipher_params pp = { XCE_ALG_AES, XCE_MODE_CBC, key, 16, 0 };
    struct xce_hash_params hp = { XCE_HASH_SHA1, mkey, sizeof mkey };
    xce_session *cs, *ps, *hs;
    int r = xce_chain_session_create(dev, &cp, &cs);
    if (r == XCE_OK)
        r = xce_session_create(dev, &pp, &ps);
    if (r == XCE_OK)
        r = xce_hash_session_create(dev, &hp, &hs);
    if (r != XCE_OK)
        die("esp sessions", r);
    if (xce_chain(cs, iv, buf, buf, len, aad) != XCE_OK)   /* warms the key cache */
        die("chained request", XCE_ERR_ENGINE);
    uint64_t c0 = cycles(dev);
    if (xce_chain(cs, iv, buf, buf, len, aad) != XCE_OK)
        die("chained request", XCE_ERR_ENGINE);
    uint64_t chained = cycles(dev) - c0;
    c0 = cycles(dev);
    if (xce_cipher(ps, iv, buf + aad, buf + aad, payload) != XCE_OK || xce_hash(hs, buf, len, md) != XCE_OK)
        die("two requests", XCE_ERR_ENGINE);
    uint64_t two = cycles(dev) - c0;
    char note[160];
    snprintf(note, sizeof note, "ESP AES-128-CBC + HMAC-SHA1-96, 1400 bytes: one chained request vs "
             "cipher then MAC as two requests (%llu cycles)", (unsigned long long)two);
    bench_add("esp.1400B.chained.cycles", (double)chained, "cycles", 1, (double)two, note);
    xce_session_destroy(cs);
    xce_session_destroy(ps);
    xce_session_destroy(hs);
}

/* The same batch of requests (16 sessions x 8 AES-128-CBC requests of
 * 4 KiB, queued as one burst) on 1, 2 and 4 cores of the quad model. */
static void pool_scaling(void)
{
    enum { SESS = 16, PER = 8, LEN = 4096 };
    static uint8_t data[SESS * PER][LEN];
    uint64_t base = 0;
    for (unsigned cores = 1; cores <= 4; cores *= 2) {
        xce_dev *dev;
        struct xce_open_opts o = { .policy = XCE_POLICY_HARDWARE, .max_cores = cores };
        int r = xce_open("sim", &o, &dev);
        if (r != XCE_OK)
            die("open sim", r);
        struct xce_info info;
        if (xce_get_info(dev, &info) != XCE_OK || info.rings_used != cores)
            return;   /* a model with fewer cores: no row */
        xce_session *s[SESS];
        struct xce_op ops[SESS * PER], *ptrs[SESS * PER], *done[SESS * PER];
        uint8_t key[16] = { 5 };
        for (int j = 0; j < SESS; j++)
            s[j] = session(dev, XCE_MODE_CBC, 16, key);
        for (int k = 0; k < SESS * PER; k++) {
            ops[k] = (struct xce_op){ .session = s[k % SESS], .src = data[k], .dst = data[k], .len = LEN };
            ptrs[k] = &ops[k];
        }
        uint64_t c0 = cycles(dev);
        unsigned taken = 0, got = 0;
        while (got < SESS * PER) {
            taken += xce_enqueue_burst(dev, ptrs + taken, SESS * PER - taken);
            got += xce_dequeue_burst(dev, done, SESS * PER);
        }
        uint64_t c = cycles(dev) - c0;
        if (cores == 1)
            base = c;
        char m[64], note[160];
        snprintf(m, sizeof m, "pool.%ucores.cycles", cores);
        snprintf(note, sizeof note, "%d x %d-byte AES-128-CBC requests over %d sessions; speed-up %.2f over one core",
                 SESS * PER, LEN, SESS, (double)base / (double)c);
        bench_add(m, (double)c, "cycles", cores > 1, (double)base, note);
        for (int j = 0; j < SESS; j++)
            xce_session_destroy(s[j]);
        xce_close(dev);
    }
}

static void sim_speed(xce_dev *dev, uint8_t *buf, int quick)
{
    uint8_t key[16] = { 1 };
    xce_session *s = session(dev, XCE_MODE_CBC, 16, key);
    uint64_t total = 0;
    double t0 = bench_now();
    int reps = quick ? 4 : 16;
    for (int i = 0; i < reps; i++)
        total += request_cycles(dev, s, buf, 64 * 1024);
    double dt = bench_now() - t0;
    bench_add("sim.cycles_per_second", (double)total / dt, "cycles/s", 0, 0,
        "Verilator model, single thread, wall time of 64 KiB CBC requests");
    xce_session_destroy(s);
}

static void engine_projection(xce_dev *dev, uint8_t *buf)
{
    struct xce_info info;
    if (xce_get_info(dev, &info) != XCE_OK || !info.clock_hz)
        return;
    uint8_t key[16] = { 2 };
    xce_session *s = session(dev, XCE_MODE_CBC, 16, key);
    static const size_t sizes[] = { 64, 256, 1024, 16384 };
    for (int i = 0; i < 4; i++) {
        uint64_t c = request_cycles(dev, s, buf, sizes[i]);
        char m[64], note[160];
        snprintf(m, sizeof m, "engine.aes-128-cbc.%zu.mbps", sizes[i]);
        snprintf(note, sizeof note, "%llu cycles per request at %u MHz (one core, one request in flight)",
                 (unsigned long long)c, info.clock_hz / 1000000);
        bench_add(m, (double)sizes[i] * info.clock_hz / (double)c / 1e6, "MB/s", 0, 0, note);
    }
    xce_session_destroy(s);
}

/* Software path vs raw EVP, same cipher, same buffer, interleaved rounds. */
static void software_ratio(const char *evp_name, enum xce_mode mode, size_t klen, const char *measure, int quick)
{
    enum { LEN = 16384 };
    static uint8_t buf[LEN];
    uint8_t key[32] = { 3 }, iv[16] = { 4 };
    xce_dev *dev;
    int r = xce_open("sw", NULL, &dev);
    if (r != XCE_OK)
        die("open sw", r);
    xce_session *s = session(dev, mode, klen, key);
    EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, evp_name, NULL);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (!c || !ctx || EVP_EncryptInit_ex2(ctx, c, key, iv, NULL) != 1)
        die("EVP", XCE_ERR_SOFTWARE);
    double t_xce = 0, t_evp = 0;
    int rounds = quick ? 6 : 20, per = quick ? 3000 : 6000;
    for (int round = 0; round < rounds; round++) {
        double t0 = bench_now();
        for (int i = 0; i < per; i++)
            if (xce_cipher(s, iv, buf, buf, LEN) != XCE_OK)
                die("software path", XCE_ERR_SOFTWARE);
        double t1 = bench_now();
        for (int i = 0; i < per; i++) {
            int outl;
            /* what a careful caller of EVP does per message: new IV, one update */
            if (EVP_EncryptInit_ex2(ctx, NULL, NULL, iv, NULL) != 1 ||
                EVP_EncryptUpdate(ctx, buf, &outl, buf, LEN) != 1)
                die("EVP", XCE_ERR_SOFTWARE);
        }
        double t2 = bench_now();
        t_xce += t1 - t0;
        t_evp += t2 - t1;
    }
    double bytes = (double)rounds * per * LEN;
    char note[160];
    snprintf(note, sizeof note, "libxce software path %.0f MB/s vs raw EVP %.0f MB/s, 16 KiB, target >= 0.95",
             bytes / t_xce / 1e6, bytes / t_evp / 1e6);
    bench_add(measure, (bytes / t_xce) / (bytes / t_evp), "ratio", 1, 1.0, note);
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(c);
    xce_session_destroy(s);
    xce_close(dev);
}

/* Throughput against request size, AES-128-CBC encrypt: the engine at its
 * clock (model cycles per request), the libxce software path and raw EVP
 * (wall time, same run), for the plot; and the crossover where the engine
 * would start to win, if it does. */
static void throughput_curve(xce_dev *dev, uint8_t *buf, const char *csv_path, int quick)
{
    static const size_t sizes[] = { 16, 64, 256, 1024, 4096, 16384, 65536 };
    struct xce_info info;
    if (xce_get_info(dev, &info) != XCE_OK || !info.clock_hz)
        return;
    FILE *csv = csv_path ? fopen(csv_path, "w") : NULL;
    if (csv)
        fprintf(csv, "# bytes engine_MBps software_MBps evp_MBps\n");
    uint8_t key[16] = { 6 }, iv[16] = { 0 };
    xce_session *hw = session(dev, XCE_MODE_CBC, 16, key);
    xce_dev *swd;
    if (xce_open("sw", NULL, &swd) != XCE_OK)
        die("open sw", XCE_ERR_NODEV);
    xce_session *sw = session(swd, XCE_MODE_CBC, 16, key);
    EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, "AES-128-CBC", NULL);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (!c || !ctx || EVP_EncryptInit_ex2(ctx, c, key, iv, NULL) != 1)
        die("EVP", XCE_ERR_SOFTWARE);
    size_t crossover = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t len = sizes[i];
        double eng = (double)len * info.clock_hz / (double)request_cycles(dev, hw, buf, len) / 1e6;
        size_t reps = (quick ? (1u << 22) : (1u << 25)) / len + 16;
        double t0 = bench_now();
        for (size_t k = 0; k < reps; k++)
            if (xce_cipher(sw, iv, buf, buf, len) != XCE_OK)
                die("software path", XCE_ERR_SOFTWARE);
        double t1 = bench_now();
        for (size_t k = 0; k < reps; k++) {
            int outl;
            if (EVP_EncryptInit_ex2(ctx, NULL, NULL, iv, NULL) != 1 ||
                EVP_EncryptUpdate(ctx, buf, &outl, buf, (int)len) != 1)
                die("EVP", XCE_ERR_SOFTWARE);
        }
        double t2 = bench_now();
        double swr = (double)len * reps / (t1 - t0) / 1e6, evp = (double)len * reps / (t2 - t1) / 1e6;
        if (!crossover && eng >= swr)
            crossover = len;
        if (csv)
            fprintf(csv, "%zu %.2f %.2f %.2f\n", len, eng, swr, evp);
    }
    char note[160];
    snprintf(note, sizeof note, crossover ? "smallest AES-128-CBC request the engine at %u MHz serves faster than software"
                                          : "none: at %u MHz the engine never beats software (AES-NI) on this machine",
             info.clock_hz / 1000000);
    bench_add("crossover.aes-128-cbc.bytes", (double)crossover, "bytes", 0, 0, note);
    if (csv)
        fprintf(csv, "# crossover %zu\n", crossover);
    if (csv)
        fclose(csv);
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(c);
    xce_session_destroy(hw);
    xce_session_destroy(sw);
    xce_close(swd);
}

/* cycles per block of every algorithm, for the bar plot */
static void write_cycles_csv(const char *path)
{
    FILE *f = path ? fopen(path, "w") : NULL;
    if (!f)
        return;
    fprintf(f, "# algorithm cycles_per_block target\n");
    for (unsigned i = 0; i < nrows; i++) {
        const char *dot = strstr(rows[i].measure, ".cycles_per_block");
        if (dot)
            fprintf(f, "%.*s %.2f %.0f\n", (int)(dot - rows[i].measure), rows[i].measure, rows[i].value,
                    rows[i].reference);
    }
    fclose(f);
}

static int write_json(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return 1;
    }
    fprintf(f, "[\n");
    for (unsigned i = 0; i < nrows; i++) {
        const struct row *r = &rows[i];
        fprintf(f, "  {\"measure\": \"%s\", \"value\": %.6g, \"unit\": \"%s\", ", r->measure, r->value, r->unit);
        if (r->has_ref && r->reference != 0)
            fprintf(f, "\"reference\": %.6g, \"ratio\": %.6g, ", r->reference, r->value / r->reference);
        else if (r->has_ref)
            fprintf(f, "\"reference\": %.6g, \"ratio\": null, ", r->reference);
        else
            fprintf(f, "\"reference\": null, \"ratio\": null, ");
        fprintf(f, "\"note\": \"%s\"}%s\n", r->note, i + 1 < nrows ? "," : "");
    }
    fprintf(f, "]\n");
    return fclose(f) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    int quick = 0;
    const char *json = NULL, *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            quick = 1;
        else if (strcmp(argv[i], "--json") == 0 && i + 1 < argc)
            json = argv[++i];
        else if (strcmp(argv[i], "--csv-dir") == 0 && i + 1 < argc)
            dir = argv[++i];
        else {
            fprintf(stderr, "usage: xce-bench [--quick] [--json FILE] [--csv-dir DIR]\n");
            return 2;
        }
    }
    char tput_csv[512], cyc_csv[512];
    snprintf(tput_csv, sizeof tput_csv, "%s/throughput.csv", dir ? dir : ".");
    snprintf(cyc_csv, sizeof cyc_csv, "%s/cycles.csv", dir ? dir : ".");
    uint8_t *buf = calloc(1, 1024 * 128);   /* the largest request below: 128 KiB */
    xce_dev *dev;
    struct xce_open_opts o = { .policy = XCE_POLICY_HARDWARE };
    int r = xce_open("sim", &o, &dev);
    if (!buf || r != XCE_OK)
        die("open sim", r);
    engine_cycles(dev, buf);
    other_cycles(dev, buf);
    esp_chain(dev, buf);
    engine_projection(dev, buf);
    throughput_curve(dev, buf, dir ? tput_csv : NULL, quick);
    sim_speed(dev, buf, quick);
    bench_pka(dev, quick);
    bench_ipsec(dev, quick);
    xce_close(dev);
    free(buf);
    pool_scaling();
    software_ratio("AES-128-CTR", XCE_MODE_CTR, 16, "sw.aes-128-ctr.16k.ratio", quick);
    software_ratio("AES-256-CBC", XCE_MODE_CBC, 32, "sw.aes-256-cbc.16k.ratio", quick);
    bench_image(quick);

    int w = 32;
    for (unsigned i = 0; i < nrows; i++)
        w = (int)strlen(rows[i].measure) > w ? (int)strlen(rows[i].measure) : w;
    printf("%-*s %14s %-9s %12s  %s\n", w, "measure", "value", "unit", "reference", "note");
    for (unsigned i = 0; i < nrows; i++) {
        char ref[32] = "-";
        if (rows[i].has_ref)
            snprintf(ref, sizeof ref, "%.4g", rows[i].reference);
        printf("%-*s %14.4g %-9s %12s  %s\n", w, rows[i].measure, rows[i].value, rows[i].unit, ref, rows[i].note);
    }
    if (dir)
        write_cycles_csv(cyc_csv);
    return json ? write_json(json) : 0;
}
