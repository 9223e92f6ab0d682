/* burst.c - packets in groups: every packet of a group is prepared, all
 * their requests are queued on the device together (xce_enqueue_burst) and
 * collected (xce_dequeue_burst), then each is finished in order. The
 * per-packet functions are groups of one. Counters are kept here. */
#include <openssl/crypto.h>
#include <string.h>

#include "ipsec_internal.h"

void ipsec_run_jobs(struct ipsec_sa *sa, unsigned n)
{
    struct xce_op *ops[IPSEC_BURST_MAX];
    unsigned nops = 0;
    for (unsigned i = 0; i < n; i++) {
        struct ipsec_job *j = &sa->jobs[i];
        j->done = 0;
        if (!j->active)
            continue;
        j->op.user = j;
        j->op.status = XCE_OK;
        ops[nops++] = &j->op;
    }
    unsigned sent = 0, finished = 0, idle = 0;
    while (finished < nops) {
        int progress = 0;
        if (sent < nops) {
            unsigned k = xce_enqueue_burst(sa->dev, ops + sent, nops - sent);
            sent += k;
            progress |= k > 0;
            if (sent < nops && ops[sent]->status == XCE_ERR_INVAL) {
                /* refused: its status says so; done, with an error */
                ((struct ipsec_job *)ops[sent]->user)->done = 1;
                sent++;
                finished++;
                progress = 1;
            }
        }
        struct xce_op *got[IPSEC_BURST_MAX];
        unsigned m = xce_dequeue_burst(sa->dev, got, IPSEC_BURST_MAX);
        for (unsigned i = 0; i < m; i++) {
            struct ipsec_job *j = got[i]->user;
            if (j >= sa->jobs && j < sa->jobs + n && !j->done) {
                j->done = 1;
                finished++;
            }
        }
        progress |= m > 0;
        /* nothing moves and nothing is pending: what is left never completes
         * (its job stays not done and is dropped as an engine error) */
        idle = progress ? 0 : idle + 1;
        if (idle > 1000 && xce_pending(sa->dev) == 0)
            break;
    }
}

static void count(struct ipsec_sa *sa, struct ipsec_pkt *pkt, int out)
{
    struct ipsec_sa_stats *st = &sa->st;
    if (pkt->result != IPSEC_OK) {
        st->drops[pkt->result < IPSEC_DROP_COUNT ? pkt->result : IPSEC_DROP_INVAL]++;
        if (out)
            st->send_errors++;
        else
            st->recv_errors++;
        return;
    }
    int enc = sa->p.cipher != IPSEC_CIPHER_NULL, dig = sa->p.auth != IPSEC_AUTH_NONE;
    if (out) {
        st->pkts_encaps++;
        st->pkts_encrypt += enc;
        st->pkts_digest += dig;
        st->bytes_encaps += pkt->in_len;
    } else {
        st->pkts_decaps++;
        st->pkts_decrypt += enc;
        st->pkts_verify += dig;
        st->bytes_decaps += pkt->out_len;
    }
}

static unsigned burst(struct ipsec_sa *sa, struct ipsec_pkt *pkts, unsigned n, int out)
{
    if (!sa || (!pkts && n))
        return 0;
    int esp = sa->p.proto == IPSEC_PROTO_ESP;
    int wrong_dir = (sa->p.dir == IPSEC_DIR_OUTBOUND) != out;
    unsigned passed = 0;
    for (unsigned base = 0; base < n; base += IPSEC_BURST_MAX) {
        unsigned g = n - base < IPSEC_BURST_MAX ? n - base : IPSEC_BURST_MAX;
        for (unsigned i = 0; i < g; i++) {
            struct ipsec_job *j = &sa->jobs[i];
            struct ipsec_pkt *pkt = &pkts[base + i];
            j->pkt = pkt;
            j->active = 0;
            j->icv_in = NULL;
            pkt->out_len = 0;
            if (wrong_dir || (!pkt->in && pkt->in_len) || (!pkt->out && pkt->cap))
                pkt->result = IPSEC_DROP_INVAL;
            else if (out)
                pkt->result = esp ? esp_out_prepare(sa, j) : ah_out_prepare(sa, j);
            else
                pkt->result = esp ? esp_in_prepare(sa, j) : ah_in_prepare(sa, j);
            if (pkt->result != IPSEC_OK)
                j->active = 0;
        }
        ipsec_run_jobs(sa, g);
        for (unsigned i = 0; i < g; i++) {
            struct ipsec_job *j = &sa->jobs[i];
            struct ipsec_pkt *pkt = j->pkt;
            if (j->active) {
                if (out)
                    pkt->result = esp ? esp_out_finish(sa, j) : ah_out_finish(sa, j);
                else
                    pkt->result = esp ? esp_in_finish(sa, j) : ah_in_finish(sa, j);
                if (pkt->result != IPSEC_OK) {
                    pkt->out_len = 0;
                    /* no half-made packet or unverified plaintext is left
                     * behind (ESP's engine path wrote nothing on a mismatch) */
                    size_t w = out ? j->total : esp ? j->base + ESP_HDR + sa->iv_len + j->body : j->total;
                    if (!(esp && !out && pkt->result == IPSEC_DROP_AUTH))
                        OPENSSL_cleanse(pkt->out, w < pkt->cap ? w : pkt->cap);
                } else {
                    ipsec_life_add(sa, out ? pkt->in_len : pkt->out_len);
                }
            }
            if (pkt->result == IPSEC_OK)
                passed++;
            count(sa, pkt, out);
            OPENSSL_cleanse(j->digest, sizeof j->digest);
            OPENSSL_cleanse(j->hash_state, sizeof j->hash_state);
        }
    }
    return passed;
}

unsigned ipsec_output_burst(struct ipsec_sa *sa, struct ipsec_pkt *pkts, unsigned n)
{
    return burst(sa, pkts, n, 1);
}

unsigned ipsec_input_burst(struct ipsec_sa *sa, struct ipsec_pkt *pkts, unsigned n)
{
    return burst(sa, pkts, n, 0);
}

enum ipsec_drop ipsec_output(struct ipsec_sa *sa, const uint8_t *ip_pkt, size_t len, uint8_t *out, size_t cap,
                             size_t *out_len)
{
    struct ipsec_pkt pkt = { ip_pkt, len, out, cap, 0, IPSEC_DROP_INVAL };
    if (sa)
        burst(sa, &pkt, 1, 1);
    if (out_len)
        *out_len = pkt.out_len;
    return pkt.result;
}

enum ipsec_drop ipsec_input(struct ipsec_sa *sa, const uint8_t *pkt, size_t len, uint8_t *out, size_t cap,
                            size_t *out_len, enum ipsec_drop *why)
{
    struct ipsec_pkt p = { pkt, len, out, cap, 0, IPSEC_DROP_INVAL };
    if (sa)
        burst(sa, &p, 1, 0);
    if (out_len)
        *out_len = p.out_len;
    if (why)
        *why = p.result;
    return p.result;
}
