/* test_multicore.c - the four-core model (CORES=4): sessions spread over
 * the four ring pairs, bursts across many sessions run on all cores at
 * once through the shared host bus, every result equals OpenSSL, each
 * session's operations complete in the order they were queued, the
 * per-core counters add up, and four cores finish a batch in fewer
 * cycles than one (a property of the hardware, counted in model cycles). */
#include <stdlib.h>
#include <string.h>

#include "aes_ref.h"
#include "check.h"
#include "xce.h"

#define SESSIONS 12
#define PER 8
#define LEN 2048

struct job {
    uint8_t key[32];
    xce_session *s;
    const char *evp;
    size_t klen;
};

static uint64_t batch(unsigned max_cores, int check_results)
{
    xce_dev *dev;
    struct xce_open_opts o = { .policy = XCE_POLICY_HARDWARE, .max_cores = max_cores };
    if (!CHECK(xce_open("sim", &o, &dev) == XCE_OK, "attach the quad model using %u core(s)", max_cores))
        return 0;
    struct xce_info info;
    if (xce_get_info(dev, &info) != XCE_OK)
        memset(&info, 0, sizeof info);
    CHECK(info.cores == 4 && info.rings_used == max_cores, "ID block: 4 cores; driver feeds %u ring(s)",
          info.rings_used);
    static struct job jobs[SESSIONS];
    static uint8_t in[SESSIONS * PER][LEN], out[SESSIONS * PER][LEN], ref[LEN];
    static struct xce_op ops[SESSIONS * PER];
    struct xce_op *ptrs[SESSIONS * PER], *done[SESSIONS * PER];
    for (int j = 0; j < SESSIONS; j++) {
        int tdes = j % 3 == 2;
        jobs[j].klen = tdes ? 24 : 16;
        jobs[j].evp = tdes ? "DES-EDE3-CBC" : "AES-128-CBC";
        check_random(jobs[j].key, sizeof jobs[j].key);
        struct xce_cipher_params p = { tdes ? XCE_ALG_3DES : XCE_ALG_AES, XCE_MODE_CBC, jobs[j].key, jobs[j].klen, 0 };
        if (xce_session_create(dev, &p, &jobs[j].s) != XCE_OK)
            CHECK(0, "session %d", j);
    }
    /* interleaved: op k belongs to session k % SESSIONS, the (k / SESSIONS)-th of it */
    for (int k = 0; k < SESSIONS * PER; k++) {
        memset(&ops[k], 0, sizeof ops[k]);
        ops[k] = (struct xce_op){ .session = jobs[k % SESSIONS].s, .src = in[k], .dst = out[k], .len = LEN };
        check_random(ops[k].iv, 16);
        check_random(in[k], LEN);
        ptrs[k] = &ops[k];
    }
    struct xce_stats a, b;
    if (xce_get_stats(dev, &a) != XCE_OK)
        memset(&a, 0, sizeof a);
    /* keep the rings full: queue what fits, collect, queue the rest */
    unsigned taken = 0;
    int last_seen[SESSIONS];
    for (int j = 0; j < SESSIONS; j++)
        last_seen[j] = -1;
    unsigned got = 0, good = 0, in_order = 1;
    for (int guard = 0; got < SESSIONS * PER && guard < 100000; guard++) {
        taken += xce_enqueue_burst(dev, ptrs + taken, SESSIONS * PER - taken);
        unsigned n = xce_dequeue_burst(dev, done, SESSIONS * PER);
        for (unsigned i = 0; i < n; i++) {
            int k = (int)(done[i] - ops), j = k % SESSIONS;
            if (k / SESSIONS <= last_seen[j])
                in_order = 0;
            last_seen[j] = k / SESSIONS;
            if (check_results) {
                cipher_ref(jobs[j].evp, 0, jobs[j].key, ops[k].iv, in[k], ref, LEN);
                good += done[i]->status == XCE_OK && done[i]->path == XCE_PATH_ENGINE && !memcmp(out[k], ref, LEN);
            }
        }
        got += n;
    }
    if (xce_get_stats(dev, &b) != XCE_OK)
        b = a;
    CHECK(got == taken && taken == SESSIONS * PER, "%u of %u came back", got, taken);
    if (check_results) {
        CHECK(good == taken, "%u results from the engine equal OpenSSL", good);
        CHECK(in_order, "each session's operations completed in the order queued");
        uint64_t sum = 0, busy_cores = 0;
        for (unsigned c = 0; c < b.cores; c++) {
            uint64_t d = b.core[c].requests - a.core[c].requests;
            sum += d;
            busy_cores += d > 0;
        }
        CHECK(sum == taken && busy_cores == max_cores, "per-core counters: %llu requests on %llu cores",
              (unsigned long long)sum, (unsigned long long)busy_cores);
    }
    for (int j = 0; j < SESSIONS; j++)
        xce_session_destroy(jobs[j].s);
    xce_close(dev);
    return b.cycles - a.cycles;
}

int main(void)
{
    check_seed();
    uint64_t one = batch(1, 1), four = batch(4, 1);
    batch(2, 1);
    CHECK(one && four && four * 2 < one, "four cores take %llu cycles for the batch, one core %llu",
          (unsigned long long)four, (unsigned long long)one);
    return check_done();
}
