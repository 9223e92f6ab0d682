/* test_faults.c - every fault the model can inject, with one request and
 * with a burst in flight: each must still give OpenSSL's result (through
 * software under the auto policy), be counted as an engine error or
 * timeout, reset the engine, and leave the engine serving again after.
 * Under the hardware policy the same faults must surface as errors. */
#include <stdlib.h>
#include <string.h>

#include <openssl/hmac.h>

#include "aes_ref.h"
#include "check.h"
#include "xce.h"
#include "xce_testing.h"

struct fault_case {
    const char *name;
    enum xce_sim_fault fault;
    enum xce_fallback reason;   /* expected software reason */
    int hw_error;               /* expected op status under the hardware policy */
};

static const struct fault_case cases[] = {
    { "stuck core", XCE_SIM_FAULT_STUCK_CORE, XCE_FB_ENGINE_TIMEOUT, XCE_ERR_TIMEOUT },
    { "DMA error", XCE_SIM_FAULT_DMA_ERROR, XCE_FB_ENGINE_ERROR, XCE_ERR_ENGINE },
    { "corrupted completion", XCE_SIM_FAULT_CORRUPT_CPL, XCE_FB_ENGINE_ERROR, XCE_ERR_ENGINE },
    { "no completion", XCE_SIM_FAULT_DROP_CPL, XCE_FB_ENGINE_TIMEOUT, XCE_ERR_TIMEOUT },
};

#define BURST 24
#define LEN 4096

static xce_dev *open_dev(enum xce_policy policy)
{
    xce_dev *dev = NULL;
    struct xce_open_opts o = { .policy = policy, .crossover_bytes = 16 };
    if (xce_open("sim", &o, &dev) != XCE_OK)
        return NULL;
    return dev;
}

static void one_request(const struct fault_case *fc)
{
    xce_dev *dev = open_dev(XCE_POLICY_AUTO);
    if (!CHECK(dev, "%s: attach", fc->name))
        return;
    uint8_t key[32], iv[16], in[LEN], out[LEN], ref[LEN];
    check_random(key, sizeof key);
    check_random(iv, sizeof iv);
    check_random(in, sizeof in);
    struct xce_cipher_params p = { XCE_ALG_AES, XCE_MODE_CBC, key, 32, 0 };
    xce_session *s;
    if (!CHECK(xce_session_create(dev, &p, &s) == XCE_OK, "%s: session", fc->name)) {
        xce_close(dev);
        return;
    }
    struct xce_stats before, after;
    CHECK(xce_get_stats(dev, &before) == XCE_OK, "%s: statistics", fc->name);
    xce_sim_inject(xce_testing_sim(dev), fc->fault, 1);
    int r = xce_cipher(s, iv, in, out, LEN);
    aes_ref(1, 32, 0, key, iv, in, ref, LEN);
    CHECK(r == XCE_OK && memcmp(out, ref, LEN) == 0, "%s: result equals OpenSSL", fc->name);
    CHECK(xce_get_stats(dev, &after) == XCE_OK, "%s: statistics after", fc->name);
    CHECK(after.fallback[fc->reason] == before.fallback[fc->reason] + 1,
          "%s: one software completion counted as '%s'", fc->name, xce_fallback_name(fc->reason));
    uint64_t errs = (after.engine_errors - before.engine_errors) + (after.timeouts - before.timeouts);
    CHECK(errs == 1, "%s: one engine error or timeout counted", fc->name);
    CHECK(after.resets == before.resets + 1, "%s: engine reset once", fc->name);

    /* the engine serves again after the reset */
    r = xce_cipher(s, iv, in, out, LEN);
    struct xce_stats again;
    if (xce_get_stats(dev, &again) != XCE_OK)
        memset(&again, 0, sizeof again);
    CHECK(r == XCE_OK && memcmp(out, ref, LEN) == 0 && again.hw_requests == after.hw_requests + 1,
          "%s: next request served by the engine again", fc->name);
    xce_session_destroy(s);
    xce_close(dev);
}

static void burst(const struct fault_case *fc, enum xce_policy policy)
{
    xce_dev *dev = open_dev(policy);
    if (!CHECK(dev, "%s: attach (%s policy)", fc->name, xce_policy_name(policy)))
        return;
    uint8_t key[16];
    check_random(key, sizeof key);
    struct xce_cipher_params p = { XCE_ALG_AES, XCE_MODE_CTR, key, 16, 0 };
    xce_session *s;
    if (xce_session_create(dev, &p, &s) != XCE_OK) {
        CHECK(0, "%s: session", fc->name);
        xce_close(dev);
        return;
    }
    static uint8_t in[BURST][LEN], out[BURST][LEN], ref[BURST][LEN];
    struct xce_op ops[BURST], *ptrs[BURST], *done[BURST];
    for (int i = 0; i < BURST; i++) {
        memset(&ops[i], 0, sizeof ops[i]);
        ops[i].session = s;
        ops[i].src = in[i];
        ops[i].dst = out[i];
        ops[i].len = LEN - (size_t)i;   /* partial last blocks too */
        check_random(ops[i].iv, 16);
        check_random(in[i], LEN);
        aes_ref(2, 16, 0, key, ops[i].iv, in[i], ref[i], ops[i].len);
        ptrs[i] = &ops[i];
    }
    xce_sim_inject(xce_testing_sim(dev), fc->fault, 1);
    unsigned taken = xce_enqueue_burst(dev, ptrs, BURST);
    CHECK(taken == BURST, "%s: burst of %d taken (%u)", fc->name, BURST, taken);
    unsigned got = 0, good = 0, errors = 0;
    for (int guard = 0; got < taken && guard < 10000; guard++) {
        unsigned n = xce_dequeue_burst(dev, done, BURST);
        for (unsigned k = 0; k < n; k++) {
            struct xce_op *op = done[k];
            int i = (int)(op - ops);
            if (op->status == XCE_OK && memcmp(out[i], ref[i], op->len) == 0)
                good++;
            else if (op->status == fc->hw_error)
                errors++;
        }
        got += n;
    }
    CHECK(got == taken, "%s: every operation came back (%u of %u)", fc->name, got, taken);
    if (policy == XCE_POLICY_HARDWARE)
        CHECK(errors >= 1 && good + errors == taken,
              "%s, hardware policy: %u failed with '%s', the other %u correct", fc->name, errors,
              xce_strerror(fc->hw_error), good);
    else
        CHECK(good == taken, "%s, auto policy: all %u results equal OpenSSL", fc->name, good);
    xce_session_destroy(s);
    xce_close(dev);
}

/* A fault in the middle of a streamed HMAC-SHA-256: the request that met
 * it is re-run in software from the same chaining state, the rest of the
 * message continues on the engine, and the MAC still equals OpenSSL's. */
static void hash_stream(const struct fault_case *fc)
{
    xce_dev *dev = open_dev(XCE_POLICY_AUTO);
    if (!CHECK(dev, "%s: attach for the hash stream", fc->name))
        return;
    static uint8_t msg[3 * 65536 + 50];   /* a final request of 50 bytes, above the crossover */
    uint8_t key[40], mac[32], ref[32];
    unsigned n = 0;
    check_random(msg, sizeof msg);
    check_random(key, sizeof key);
    struct xce_hash_params p = { XCE_HASH_SHA256, key, sizeof key };
    xce_session *s;
    xce_hash_ctx *c;
    struct xce_stats a, b;
    int ok = xce_hash_session_create(dev, &p, &s) == XCE_OK;
    ok = ok && xce_hash_init(s, &c) == XCE_OK;
    ok = ok && xce_hash_update(c, msg, 65536) == XCE_OK && xce_get_stats(dev, &a) == XCE_OK;
    if (ok) {
        xce_sim_inject(xce_testing_sim(dev), fc->fault, 1);
        ok = xce_hash_update(c, msg + 65536, sizeof msg - 65536) == XCE_OK && xce_hash_final(c, mac) == XCE_OK;
    }
    ok = ok && xce_get_stats(dev, &b) == XCE_OK;
    HMAC(EVP_sha256(), key, sizeof key, msg, sizeof msg, ref, &n);
    CHECK(ok && memcmp(mac, ref, 32) == 0, "%s mid-message: HMAC-SHA-256 equals OpenSSL", fc->name);
    CHECK(ok && b.fallback[fc->reason] == a.fallback[fc->reason] + 1 && b.resets == a.resets + 1 &&
              b.hw_requests > a.hw_requests,
          "%s mid-message: one request re-run in software, engine reset, the rest on the engine "
          "(fallbacks %llu, resets %llu, engine %llu)", fc->name,
          (unsigned long long)(b.fallback[fc->reason] - a.fallback[fc->reason]),
          (unsigned long long)(b.resets - a.resets), (unsigned long long)(b.hw_requests - a.hw_requests));
    xce_session_destroy(s);
    xce_close(dev);
}

int main(void)
{
    check_seed();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        one_request(&cases[i]);
        hash_stream(&cases[i]);
        burst(&cases[i], XCE_POLICY_AUTO);
        burst(&cases[i], XCE_POLICY_HARDWARE);
    }
    return check_done();
}
