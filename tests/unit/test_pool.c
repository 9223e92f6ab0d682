/* test_pool.c - two simulated engines as one device ("pool:sim,sim"):
 * sessions spread over the members, a burst over many sessions completes
 * correctly and in order per session, both engines served requests, the
 * statistics add up, hash and chained sessions work through the pool, and
 * malformed pool specs are refused. */
#include <string.h>

#include "aes_ref.h"
#include "check.h"
#include "xce.h"

#define SESSIONS 6
#define PER 10
#define LEN 1024

int main(void)
{
    check_seed();
    xce_dev *dev;
    CHECK(xce_open("pool:", NULL, &dev) == XCE_ERR_INVAL, "empty pool refused");
    CHECK(xce_open("pool:sim", NULL, &dev) == XCE_ERR_INVAL, "pool of one refused");
    CHECK(xce_open("pool:sim,pool:sim,sim", NULL, &dev) == XCE_ERR_INVAL, "nested pool refused");
    CHECK(xce_open("pool:sim,bogus", NULL, &dev) == XCE_ERR_INVAL, "pool with an unknown member refused");
    struct xce_open_opts o = { .policy = XCE_POLICY_HARDWARE };
    if (!CHECK(xce_open("pool:sim,sim", &o, &dev) == XCE_OK, "pool:sim,sim opens under the hardware policy"))
        return check_done();
    struct xce_info info;
    if (xce_get_info(dev, &info) != XCE_OK)
        memset(&info, 0, sizeof info);
    CHECK(strcmp(info.backend, "pool") == 0 && info.cores == 2 && info.engine_enabled,
          "info: backend %s, %u cores over the members, enabled", info.backend, info.cores);

    static uint8_t key[SESSIONS][16], in[SESSIONS * PER][LEN], out[SESSIONS * PER][LEN], ref[LEN];
    xce_session *s[SESSIONS];
    for (int j = 0; j < SESSIONS; j++) {
        check_random(key[j], 16);
        struct xce_cipher_params p = { XCE_ALG_AES, XCE_MODE_CTR, key[j], 16, 0 };
        if (xce_session_create(dev, &p, &s[j]) != XCE_OK)
            CHECK(0, "session %d", j);
    }
    static struct xce_op ops[SESSIONS * PER];
    struct xce_op *ptrs[SESSIONS * PER], *done[SESSIONS * PER];
    for (int k = 0; k < SESSIONS * PER; k++) {
        ops[k] = (struct xce_op){ .session = s[k % SESSIONS], .src = in[k], .dst = out[k], .len = LEN - k };
        check_random(ops[k].iv, 16);
        check_random(in[k], LEN);
        ptrs[k] = &ops[k];
    }
    unsigned taken = 0, got = 0, good = 0, in_order = 1;
    int last[SESSIONS];
    for (int j = 0; j < SESSIONS; j++)
        last[j] = -1;
    for (int guard = 0; got < SESSIONS * PER && guard < 10000; guard++) {
        taken += xce_enqueue_burst(dev, ptrs + taken, SESSIONS * PER - taken);
        unsigned n = xce_dequeue_burst(dev, done, SESSIONS * PER);
        for (unsigned i = 0; i < n; i++) {
            int k = (int)(done[i] - ops), j = k % SESSIONS;
            in_order &= k / SESSIONS > last[j];
            last[j] = k / SESSIONS;
            aes_ref(2, 16, 0, key[j], ops[k].iv, in[k], ref, ops[k].len);
            good += done[i]->status == XCE_OK && done[i]->path == XCE_PATH_ENGINE && !memcmp(out[k], ref, ops[k].len);
        }
        got += n;
    }
    CHECK(got == SESSIONS * PER && good == got, "%u of %d through the pool equal OpenSSL", good, SESSIONS * PER);
    CHECK(in_order, "each session's operations completed in order");
    struct xce_stats st;
    if (xce_get_stats(dev, &st) != XCE_OK)
        memset(&st, 0, sizeof st);
    CHECK(st.cores == 2 && st.core[0].requests > 0 && st.core[1].requests > 0 &&
              st.core[0].requests + st.core[1].requests == st.hw_requests,
          "both engines served (%llu + %llu = %llu)", (unsigned long long)st.core[0].requests,
          (unsigned long long)st.core[1].requests, (unsigned long long)st.hw_requests);
    CHECK(xce_pending(dev) == 0, "nothing left pending");

    /* a hash and a chained session through the pool */
    struct xce_hash_params hp = { XCE_HASH_SHA256, NULL, 0 };
    xce_session *h;
    uint8_t md[32];
    CHECK(xce_hash_session_create(dev, &hp, &h) == XCE_OK && xce_hash(h, "abc", 3, md) == XCE_OK &&
              md[0] == 0xba && md[31] == 0xad, "SHA-256 of \"abc\" through the pool (FIPS 180-4)");
    xce_session_destroy(h);
    CHECK(xce_self_test(dev, NULL, NULL) == XCE_OK, "self-test on every member");
    for (int j = 0; j < SESSIONS; j++)
        xce_session_destroy(s[j]);
    xce_close(dev);
    return check_done();
}
