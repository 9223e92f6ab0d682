/* test_fallback.c - the policy and every fallback reason that AES can
 * trigger on the full-featured model: each software completion is counted
 * under its reason, the result still equals OpenSSL, and the hardware
 * policy fails clearly instead of falling back. (Algorithm-not-in-hardware
 * is covered by test_reduced_engine, which runs a reduced RTL build.) */
#include <stdlib.h>
#include <string.h>

#include "aes_ref.h"
#include "check.h"
#include "xce.h"
#include "xce_testing.h"

static uint8_t key[16], iv[16];

static xce_session *session(xce_dev *dev)
{
    struct xce_cipher_params p = { XCE_ALG_AES, XCE_MODE_CBC, key, 16, 0 };
    xce_session *s = NULL;
    return xce_session_create(dev, &p, &s) == XCE_OK ? s : NULL;
}

/* One request of len bytes; checks the result and returns the stats delta
 * of the given reason (and of engine completions through *hw). */
static uint64_t run(xce_dev *dev, size_t len, enum xce_fallback reason, uint64_t *hw, const char *what)
{
    static uint8_t in[65536], out[65536], ref[65536];
    struct xce_stats a, b;
    xce_session *s = session(dev);
    check_random(in, len);
    if (!s || xce_get_stats(dev, &a) != XCE_OK) {
        CHECK(0, "%s: session and statistics", what);
        xce_session_destroy(s);
        return 0;
    }
    int r = xce_cipher(s, iv, in, out, len);
    aes_ref(1, 16, 0, key, iv, in, ref, len);
    CHECK(r == XCE_OK && memcmp(out, ref, len) == 0, "%s: result equals OpenSSL", what);
    if (xce_get_stats(dev, &b) != XCE_OK)
        b = a;
    xce_session_destroy(s);
    if (hw)
        *hw = b.hw_requests - a.hw_requests;
    return b.fallback[reason] - a.fallback[reason];
}

static void no_device(void)
{
    xce_dev *dev;
    struct xce_info info;
    if (!CHECK(xce_open("sw", NULL, &dev) == XCE_OK, "open the software-only device"))
        return;
    CHECK(xce_get_info(dev, &info) == XCE_OK && !info.engine_present && strcmp(info.backend, "sw") == 0,
          "sw device reports no engine");
    CHECK(run(dev, 4096, XCE_FB_NO_DEVICE, NULL, "sw device") == 1, "counted as 'no device'");
    xce_close(dev);
    struct xce_open_opts o = { .policy = XCE_POLICY_HARDWARE };
    CHECK(xce_open("sw", &o, &dev) == XCE_ERR_NODEV && dev == NULL,
          "hardware policy on the sw device fails to open: %s", xce_strerror(XCE_ERR_NODEV));
}

static void disabled_and_crossover(void)
{
    xce_dev *dev;
    struct xce_open_opts o = { .policy = XCE_POLICY_AUTO, .crossover_bytes = 512 };
    if (!CHECK(xce_open("sim", &o, &dev) == XCE_OK, "open sim, auto policy, crossover 512"))
        return;
    uint64_t hw;
    CHECK(run(dev, 256, XCE_FB_BELOW_CROSSOVER, &hw, "256 bytes") == 1 && hw == 0,
          "below the crossover: software, counted as 'below crossover'");
    CHECK(run(dev, 512, XCE_FB_BELOW_CROSSOVER, &hw, "512 bytes") == 0 && hw == 1,
          "at the crossover: engine");
    CHECK(xce_set_accelerator(dev, 0) == XCE_OK, "no crypto engine accelerator");
    CHECK(run(dev, 4096, XCE_FB_DISABLED, &hw, "accelerator off") == 1 && hw == 0,
          "accelerator off: software, counted as 'disabled by config'");
    CHECK(xce_set_accelerator(dev, 1) == XCE_OK, "crypto engine accelerator");
    CHECK(run(dev, 4096, XCE_FB_DISABLED, &hw, "accelerator on") == 0 && hw == 1,
          "accelerator on again: engine");
    xce_close(dev);

    o.policy = XCE_POLICY_SOFTWARE;
    if (!CHECK(xce_open("sim", &o, &dev) == XCE_OK, "open sim, software policy"))
        return;
    CHECK(run(dev, 4096, XCE_FB_DISABLED, &hw, "software policy") == 1 && hw == 0,
          "software policy: counted as 'disabled by config'");
    xce_close(dev);
}

static void queue_full(void)
{
    enum { N = 100, LEN = 2048 };
    static uint8_t in[N][LEN], out[N][LEN], ref[LEN];
    for (int pol = 0; pol < 2; pol++) {
        enum xce_policy policy = pol ? XCE_POLICY_HARDWARE : XCE_POLICY_AUTO;
        xce_dev *dev;
        struct xce_open_opts o = { .policy = policy };
        if (!CHECK(xce_open("sim", &o, &dev) == XCE_OK, "open sim (%s)", xce_policy_name(policy)))
            return;
        xce_session *s = session(dev);
        struct xce_op ops[N], *ptrs[N], *done[N];
        for (int i = 0; i < N; i++) {
            memset(&ops[i], 0, sizeof ops[i]);
            ops[i] = (struct xce_op){ .session = s, .src = in[i], .dst = out[i], .len = LEN };
            memcpy(ops[i].iv, iv, 16);
            check_random(in[i], LEN);
            ptrs[i] = &ops[i];
        }
        struct xce_stats a, b;
        CHECK(xce_get_stats(dev, &a) == XCE_OK, "statistics");
        unsigned taken = xce_enqueue_burst(dev, ptrs, N);
        if (policy == XCE_POLICY_AUTO)
            CHECK(taken == N, "auto: all %d taken, the overflow served in software", N);
        else
            CHECK(taken > 0 && taken < N, "hardware: partial acceptance, %u of %d taken", taken, N);
        unsigned got = 0, good = 0;
        for (int guard = 0; got < taken && guard < 1000; guard++) {
            unsigned n = xce_dequeue_burst(dev, done, N);
            for (unsigned k = 0; k < n; k++) {
                int i = (int)(done[k] - ops);
                aes_ref(1, 16, 0, key, iv, in[i], ref, LEN);
                good += done[k]->status == XCE_OK && memcmp(out[i], ref, LEN) == 0;
            }
            got += n;
        }
        CHECK(got == taken && good == taken, "%u of %u completed and equal OpenSSL", good, taken);
        CHECK(xce_get_stats(dev, &b) == XCE_OK, "statistics after");
        uint64_t fb = b.fallback[XCE_FB_QUEUE_FULL] - a.fallback[XCE_FB_QUEUE_FULL];
        if (policy == XCE_POLICY_AUTO)
            CHECK(fb > 0 && fb + (b.hw_requests - a.hw_requests) == N,
                  "auto: %llu counted as 'queue full', the rest on the engine", (unsigned long long)fb);
        else
            CHECK(fb == 0 && b.hw_requests - a.hw_requests == taken, "hardware: no fallback");
        xce_session_destroy(s);
        xce_close(dev);
    }
}

static void selftest_failure(void)
{
    xce_dev *dev;
    struct xce_open_opts o = { .policy = XCE_POLICY_AUTO, .crossover_bytes = 16 };
    if (!CHECK(xce_open("sim", &o, &dev) == XCE_OK, "open sim for the self-test failure"))
        return;
    xce_sim_inject(xce_testing_sim(dev), XCE_SIM_FAULT_STUCK_CORE, 1);
    CHECK(xce_self_test(dev, NULL, NULL) == XCE_ERR_SELFTEST, "self-test fails on a hung core");
    struct xce_info info;
    CHECK(xce_get_info(dev, &info) == XCE_OK && info.engine_present && !info.engine_enabled &&
              info.disabled_reason && strcmp(info.disabled_reason, "self-test failed") == 0,
          "engine disabled: %s", info.disabled_reason ? info.disabled_reason : "(none)");
    uint64_t hw;
    CHECK(run(dev, 4096, XCE_FB_SELFTEST, &hw, "after failed self-test") == 1 && hw == 0,
          "software serves, counted as 'self-test failed'");
    CHECK(xce_self_test(dev, NULL, NULL) == XCE_OK, "self-test passes again after the reset");
    CHECK(run(dev, 4096, XCE_FB_SELFTEST, &hw, "after passing self-test") == 0 && hw == 1,
          "engine serves again");
    xce_close(dev);
}

static void bad_arguments(void)
{
    xce_dev *dev;
    CHECK(xce_open("bogus", NULL, &dev) == XCE_ERR_INVAL, "unknown device spec rejected");
    CHECK(xce_open("sim", NULL, NULL) == XCE_ERR_INVAL, "NULL result pointer rejected");
    if (!CHECK(xce_open("sim", NULL, &dev) == XCE_OK, "open sim"))
        return;
    xce_session *s;
    struct xce_cipher_params p = { XCE_ALG_AES, XCE_MODE_CBC, key, 20, 0 };
    CHECK(xce_session_create(dev, &p, &s) == XCE_ERR_INVAL, "20-byte AES key rejected");
    p.key_len = 16;
    p.mode = 7;
    CHECK(xce_session_create(dev, &p, &s) == XCE_ERR_INVAL, "unknown mode rejected");
    s = session(dev);
    uint8_t buf[32] = { 0 };
    CHECK(xce_cipher(s, iv, buf, buf, 17) == XCE_ERR_INVAL, "CBC length not a multiple of 16 rejected");
    CHECK(xce_cipher(s, NULL, buf, buf, 16) == XCE_ERR_INVAL, "CBC without IV rejected");
    struct xce_op op = { .session = s, .src = buf, .dst = buf, .len = XCE_MAX_REQUEST + 16 };
    struct xce_op *pp = &op;
    CHECK(xce_enqueue_burst(dev, &pp, 1) == 0 && op.status == XCE_ERR_INVAL, "oversized operation refused");
    xce_session_destroy(s);
    xce_close(dev);
}

int main(void)
{
    check_seed();
    check_random(key, sizeof key);
    check_random(iv, sizeof iv);
    no_device();
    disabled_and_crossover();
    queue_full();
    selftest_failure();
    bad_arguments();
    return check_done();
}
