/* sa.c - security associations: parameters, sessions, keys, names,
 * counters, lifetimes, sequence numbers and the anti-replay window. */
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ipsec_internal.h"

struct cipher_info { const char *show, *config; enum xce_alg alg; size_t key, block; };
static const struct cipher_info ciphers[] = {
    [IPSEC_CIPHER_NULL] = { "esp-null", "esp-null", 0, 0, 1 },
    [IPSEC_CIPHER_DES] = { "esp-des", "esp-des", XCE_ALG_DES, 8, 8 },
    [IPSEC_CIPHER_3DES] = { "esp-3des", "esp-3des", XCE_ALG_3DES, 24, 8 },
    [IPSEC_CIPHER_AES128] = { "esp-aes", "esp-aes", XCE_ALG_AES, 16, 16 },
    [IPSEC_CIPHER_AES192] = { "esp-192-aes", "esp-aes 192", XCE_ALG_AES, 24, 16 },
    [IPSEC_CIPHER_AES256] = { "esp-256-aes", "esp-aes 256", XCE_ALG_AES, 32, 16 },
};
struct auth_info { const char *esp, *ah; enum xce_hash_alg alg; size_t key, icv; };
static const struct auth_info auths[] = {
    [IPSEC_AUTH_NONE] = { "", "", 0, 0, 0 },
    [IPSEC_AUTH_MD5_96] = { "esp-md5-hmac", "ah-md5-hmac", XCE_HASH_MD5, 16, 12 },
    [IPSEC_AUTH_SHA1_96] = { "esp-sha-hmac", "ah-sha-hmac", XCE_HASH_SHA1, 20, 12 },
    [IPSEC_AUTH_SHA256_128] = { "esp-sha256-hmac", "ah-sha256-hmac", XCE_HASH_SHA256, 32, 16 },
};

const char *ipsec_cipher_name(enum ipsec_cipher c, int config_form)
{
    if ((unsigned)c > IPSEC_CIPHER_AES256)
        return "";
    return config_form ? ciphers[c].config : ciphers[c].show;
}

const char *ipsec_auth_name(enum ipsec_proto proto, enum ipsec_auth a)
{
    if ((unsigned)a > IPSEC_AUTH_SHA256_128)
        return "";
    return proto == IPSEC_PROTO_AH ? auths[a].ah : auths[a].esp;
}

const char *ipsec_drop_name(enum ipsec_drop d)
{
    static const char *const names[IPSEC_DROP_COUNT] = {
        "ok", "malformed", "fragment", "not this protocol", "wrong SPI", "replay", "ICV mismatch",
        "bad padding", "bad next header", "dummy packet", "lifetime expired", "sequence number wrap",
        "no room", "engine error", "invalid argument",
    };
    return (unsigned)d < IPSEC_DROP_COUNT ? names[d] : "?";
}

static uint64_t monotonic(void *arg)
{
    (void)arg;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec;
}

uint64_t ipsec_now(const struct ipsec_sa *sa)
{
    return sa->p.clock(sa->p.clock_arg);
}

static int check_params(const struct ipsec_sa_params *p)
{
    if (p->proto != IPSEC_PROTO_ESP && p->proto != IPSEC_PROTO_AH)
        return 0;
    if (p->mode != IPSEC_MODE_TUNNEL && p->mode != IPSEC_MODE_TRANSPORT)
        return 0;
    if (p->dir != IPSEC_DIR_INBOUND && p->dir != IPSEC_DIR_OUTBOUND)
        return 0;
    if ((unsigned)p->cipher > IPSEC_CIPHER_AES256 || (unsigned)p->auth > IPSEC_AUTH_SHA256_128)
        return 0;
    if (p->spi < 256)   /* 0 and 1..255 are reserved (RFC 4303 2.1) */
        return 0;
    if (p->proto == IPSEC_PROTO_AH && (p->cipher != IPSEC_CIPHER_NULL || p->auth == IPSEC_AUTH_NONE || p->udp_encap))
        return 0;
    if (p->proto == IPSEC_PROTO_ESP && p->cipher == IPSEC_CIPHER_NULL && p->auth == IPSEC_AUTH_NONE)
        return 0;   /* RFC 4303 3.2: not both null */
    if (p->cipher != IPSEC_CIPHER_NULL && (!p->cipher_key || p->cipher_key_len != ciphers[p->cipher].key))
        return 0;
    if (p->auth != IPSEC_AUTH_NONE && (!p->auth_key || p->auth_key_len != auths[p->auth].key))
        return 0;
    if (p->replay_window != 0 && p->replay_window != -1 &&
        (p->replay_window < 32 || p->replay_window > IPSEC_REPLAY_MAX))
        return 0;
    if ((p->soft_kbytes && p->hard_kbytes && p->soft_kbytes > p->hard_kbytes) ||
        (p->soft_seconds && p->hard_seconds && p->soft_seconds > p->hard_seconds))
        return 0;
    if (p->hard_kbytes > UINT64_MAX / 1024 || p->soft_kbytes > UINT64_MAX / 1024)
        return 0;
    return 1;
}

/* The HMAC's inner and outer chaining states (RFC 2104), so that each
 * packet's MAC is one hash request starting one block in. Computed with
 * requests of a plain hash session, in the same format the driver uses. */
static int hmac_states(struct ipsec_sa *sa, enum xce_hash_alg alg)
{
    struct xce_hash_params hp = { alg, NULL, 0 };
    xce_session *plain;
    int r = xce_hash_session_create(sa->dev, &hp, &plain);
    if (r != XCE_OK)
        return r;
    uint8_t blocks[2][64];
    for (int k = 0; k < 2; k++) {
        memset(blocks[k], k ? 0x5c : 0x36, sizeof blocks[k]);
        for (size_t i = 0; i < sa->p.auth_key_len; i++)
            blocks[k][i] ^= sa->akey[i];
        struct ipsec_job *j = &sa->jobs[k];
        memset(j, 0, sizeof *j);
        j->active = 1;
        j->op.session = plain;
        j->op.src = blocks[k];
        j->op.len = sa->hblock;
        j->op.hash_state = j->hash_state;
        j->op.hash_flags = XCE_HASH_INIT;
    }
    ipsec_run_jobs(sa, 2);
    for (int k = 0; k < 2; k++) {
        if (!sa->jobs[k].done || sa->jobs[k].op.status != XCE_OK)
            r = XCE_ERR_ENGINE;
        memcpy(sa->hmac_states + 64 * k, sa->jobs[k].hash_state, 64);
    }
    OPENSSL_cleanse(blocks, sizeof blocks);
    OPENSSL_cleanse(sa->jobs, 2 * sizeof sa->jobs[0]);
    xce_session_destroy(plain);
    return r;
}

int ipsec_sa_create(xce_dev *dev, const struct ipsec_sa_params *p, struct ipsec_sa **out)
{
    if (!out)
        return XCE_ERR_INVAL;
    *out = NULL;
    if (!dev || !p || !check_params(p))
        return XCE_ERR_INVAL;
    struct ipsec_sa *sa = calloc(1, sizeof *sa);
    if (!sa)
        return XCE_ERR_NOMEM;
    sa->dev = dev;
    sa->p = *p;
    sa->p.cipher_key = sa->p.auth_key = NULL;
    if (p->cipher_key_len)
        memcpy(sa->ckey, p->cipher_key, p->cipher_key_len);
    if (p->auth_key_len)
        memcpy(sa->akey, p->auth_key, p->auth_key_len);
    if (!sa->p.clock)
        sa->p.clock = monotonic;
    if (!sa->p.udp_sport)
        sa->p.udp_sport = IPSEC_NATT_PORT;
    if (!sa->p.udp_dport)
        sa->p.udp_dport = IPSEC_NATT_PORT;
    if (!sa->p.ttl)
        sa->p.ttl = 64;
    const struct cipher_info *ci = &ciphers[p->cipher];
    const struct auth_info *ai = &auths[p->auth];
    sa->block = ci->block;
    sa->align = ci->block > 4 ? ci->block : 4;
    sa->iv_len = p->cipher == IPSEC_CIPHER_NULL ? 0 : ci->block;
    sa->icv_len = ai->icv;
    sa->hblock = 64;
    /* anti-replay needs integrity (RFC 4303 3.4.3) */
    sa->window = p->dir == IPSEC_DIR_INBOUND && p->auth != IPSEC_AUTH_NONE && p->replay_window != -1
                     ? (p->replay_window ? (unsigned)p->replay_window : IPSEC_REPLAY_DEFAULT)
                     : 0;
    sa->hard_bytes = p->hard_kbytes * 1024;
    sa->soft_bytes = (p->soft_kbytes ? p->soft_kbytes * 1024 : sa->hard_bytes / 10 * 9);
    sa->hard_s = p->hard_seconds;
    sa->soft_s = p->soft_seconds ? p->soft_seconds : p->hard_seconds * 9 / 10;
    sa->born = ipsec_now(sa);
    uint16_t id;
    if (RAND_bytes((uint8_t *)&id, sizeof id) != 1)
        id = 1;
    sa->ip_id = id;

    int r = XCE_OK;
    struct xce_cipher_params cp = { ci->alg, XCE_MODE_CBC, sa->ckey, ci->key, p->dir == IPSEC_DIR_INBOUND };
    struct xce_hash_params hp = { ai->alg, sa->akey, ai->key };
    if (p->cipher != IPSEC_CIPHER_NULL && p->auth != IPSEC_AUTH_NONE) {
        struct xce_chain_params chp = { p->dir == IPSEC_DIR_OUTBOUND ? XCE_CHAIN_ENC_MAC : XCE_CHAIN_MAC_DEC, cp, hp,
                                        ai->icv };
        r = xce_chain_session_create(dev, &chp, &sa->chain);
    } else if (p->cipher != IPSEC_CIPHER_NULL) {
        r = xce_session_create(dev, &cp, &sa->cipher);
    } else {
        r = xce_hash_session_create(dev, &hp, &sa->hmac);
        if (r == XCE_OK)
            r = hmac_states(sa, ai->alg);
    }
    if (r != XCE_OK) {
        ipsec_sa_destroy(sa);
        return r;
    }
    snprintf(sa->st.transform, sizeof sa->st.transform, "%s%s%s",
             p->proto == IPSEC_PROTO_AH ? "" : ci->show,
             p->proto == IPSEC_PROTO_AH || p->auth == IPSEC_AUTH_NONE ? "" : " ",
             ipsec_auth_name(p->proto, p->auth));
    *out = sa;
    return XCE_OK;
}

void ipsec_sa_destroy(struct ipsec_sa *sa)
{
    if (!sa)
        return;
    xce_session_destroy(sa->chain);
    xce_session_destroy(sa->cipher);
    xce_session_destroy(sa->hmac);
    OPENSSL_cleanse(sa, sizeof *sa);   /* keys, HMAC states, packet scratch */
    free(sa);
}

size_t ipsec_overhead(const struct ipsec_sa *sa, size_t len)
{
    (void)len;
    size_t outer = sa->p.mode == IPSEC_MODE_TUNNEL ? IPV4_HDR : 0;
    if (sa->p.proto == IPSEC_PROTO_AH)
        return outer + AH_FIXED + sa->icv_len;
    return outer + (sa->p.udp_encap ? UDP_HDR : 0) + ESP_HDR + sa->iv_len + sa->align + 1 + sa->icv_len;
}

void ipsec_sa_set_seq(struct ipsec_sa *sa, uint32_t seq)
{
    if (sa)
        sa->seq_out = seq;
}

static void update_soft(struct ipsec_sa *sa, uint64_t now)
{
    uint64_t age = now - sa->born;
    if ((sa->soft_bytes && sa->bytes >= sa->soft_bytes) || (sa->soft_s && age >= sa->soft_s))
        sa->soft_expired = 1;
}

enum ipsec_drop ipsec_life_check(struct ipsec_sa *sa)
{
    uint64_t now = ipsec_now(sa);
    if ((sa->hard_bytes && sa->bytes >= sa->hard_bytes) || (sa->hard_s && now - sa->born >= sa->hard_s))
        sa->hard_expired = 1;
    update_soft(sa, now);
    return sa->hard_expired ? IPSEC_DROP_EXPIRED : IPSEC_OK;
}

void ipsec_life_add(struct ipsec_sa *sa, size_t bytes)
{
    sa->bytes += bytes;
    update_soft(sa, ipsec_now(sa));
}

int ipsec_sa_soft_expired(const struct ipsec_sa *sa)
{
    return sa && (sa->soft_expired || sa->hard_expired);
}

enum ipsec_drop ipsec_next_seq(struct ipsec_sa *sa, uint32_t *seq)
{
    if (sa->seq_out >= UINT32_MAX) {
        /* no wrap without ESN (RFC 4303 3.3.3): the SA is done */
        sa->hard_expired = 1;
        return IPSEC_DROP_SEQ_WRAP;
    }
    *seq = (uint32_t)++sa->seq_out;
    return IPSEC_OK;
}

/* RFC 4303 3.4.3 / appendix A2 style: top is the highest sequence number
 * accepted; bit (s % 1024) of map says s was seen, for s in the window
 * (top - window, top]. */
static int bit(const struct ipsec_sa *sa, uint32_t s)
{
    unsigned i = s % IPSEC_REPLAY_MAX;
    return (int)(sa->map[i / 64] >> (i % 64) & 1);
}

int ipsec_replay_check(const struct ipsec_sa *sa, uint32_t seq)
{
    if (!sa->window)
        return 1;
    if (seq == 0)
        return 0;   /* never sent: the first packet carries 1 */
    if (seq > sa->top)
        return 1;
    if (sa->top - seq >= sa->window)
        return 0;   /* left of the window */
    return !bit(sa, seq);
}

void ipsec_replay_update(struct ipsec_sa *sa, uint32_t seq)
{
    if (!sa->window) {
        if (seq > sa->top)
            sa->top = seq;
        return;
    }
    if (seq > sa->top) {
        uint32_t adv = seq - sa->top;
        if (adv >= IPSEC_REPLAY_MAX) {
            memset(sa->map, 0, sizeof sa->map);
        } else {
            for (uint32_t s = sa->top + 1; s != seq + 1; s++) {
                unsigned i = s % IPSEC_REPLAY_MAX;
                sa->map[i / 64] &= ~(1ull << (i % 64));
            }
        }
        sa->top = seq;
    }
    unsigned i = seq % IPSEC_REPLAY_MAX;
    sa->map[i / 64] |= 1ull << (i % 64);
}

void ipsec_hmac_op(struct ipsec_sa *sa, struct ipsec_job *j, const uint8_t *data, size_t len)
{
    memcpy(j->hash_state, sa->hmac_states, 128);
    for (int i = 0; i < 8; i++)
        j->hash_state[128 + i] = (uint8_t)((uint64_t)sa->hblock >> (8 * i));
    j->op.session = sa->hmac;
    j->op.src = data;
    j->op.dst = j->digest;
    j->op.len = len;
    j->op.hash_state = j->hash_state;
    j->op.hash_flags = XCE_HASH_FINAL;
    j->active = 1;
}

enum ipsec_drop ipsec_replay_accept(struct ipsec_sa *sa, uint32_t seq)
{
    if (!ipsec_replay_check(sa, seq))
        return IPSEC_DROP_REPLAY;
    ipsec_replay_update(sa, seq);
    return IPSEC_OK;
}

/* --- shared by ESP and AH ---------------------------------------------------------------- */
enum ipsec_drop ipsec_out_parse(struct ipsec_sa *sa, const struct ipsec_job *j, struct ip4 *h)
{
    enum ipsec_drop r = ip4_parse(j->pkt->in, j->pkt->in_len, h, 0);
    if (r != IPSEC_OK)
        return r;
    if (sa->p.mode != IPSEC_MODE_TUNNEL && ip4_is_fragment(h))
        return IPSEC_DROP_FRAGMENT;   /* transport mode protects whole datagrams */
    return ipsec_life_check(sa);
}

void ipsec_out_header(struct ipsec_sa *sa, uint8_t *o, const uint8_t *in, const struct ip4 *h, size_t tot,
                      uint8_t proto)
{
    if (sa->p.mode != IPSEC_MODE_TUNNEL) {
        memcpy(o, in, h->hl);
        ip4_fix(o, h->hl, tot, proto);
        return;
    }
    memset(o, 0, IPV4_HDR);
    o[0] = 0x45;
    o[1] = h->tos;                       /* DSCP and ECN copied (RFC 4301 5.1.2.1) */
    pkt_put16(o + 4, sa->ip_id++);
    pkt_put16(o + 6, h->frag & 0x4000);  /* DF copied, as IOS's df-bit copy */
    o[8] = sa->p.ttl;
    pkt_put32(o + 12, sa->p.local);
    pkt_put32(o + 16, sa->p.remote);
    ip4_fix(o, IPV4_HDR, tot, proto);
}

enum ipsec_drop ipsec_in_deliver(struct ipsec_sa *sa, struct ipsec_job *j, const uint8_t *data, size_t dlen,
                                 uint8_t nh)
{
    uint8_t *o = j->pkt->out;
    if (nh == IPPROTO_NONE_)
        return IPSEC_DROP_DUMMY;
    if (sa->p.mode == IPSEC_MODE_TUNNEL) {
        if (nh != IPPROTO_IPIP_)
            return IPSEC_DROP_NEXT_HDR;
        struct ip4 inner;
        if (ip4_parse(data, dlen, &inner, 0) != IPSEC_OK)
            return IPSEC_DROP_MALFORMED;
        memmove(o, data, inner.tot);   /* ESP: TFC padding after it (RFC 4303 2.7) is dropped */
        j->pkt->out_len = inner.tot;
    } else {
        if (nh == IPPROTO_IPIP_ || nh == IPPROTO_IPV6_)
            return IPSEC_DROP_NEXT_HDR;
        if (j->hl + dlen > 0xffff)
            return IPSEC_DROP_MALFORMED;
        memmove(o + j->hl, data, dlen);
        memcpy(o, j->pkt->in, j->hl);
        ip4_fix(o, j->hl, j->hl + dlen, nh);
        j->pkt->out_len = j->hl + dlen;
    }
    return IPSEC_OK;
}

int ipsec_sa_stats(const struct ipsec_sa *sa, struct ipsec_sa_stats *st)
{
    if (!sa || !st)
        return XCE_ERR_INVAL;
    *st = sa->st;
    st->proto = sa->p.proto;
    st->mode = sa->p.mode;
    st->dir = sa->p.dir;
    st->spi = sa->p.spi;
    st->iv_size = (unsigned)sa->iv_len;
    st->udp_encap = sa->p.udp_encap;
    st->replay_window = sa->window;
    st->seq = sa->p.dir == IPSEC_DIR_OUTBOUND ? (uint32_t)sa->seq_out : sa->top;
    st->soft_expired = sa->soft_expired || sa->hard_expired;
    st->hard_expired = sa->hard_expired;
    st->kbytes_left = UINT64_MAX;
    st->seconds_left = UINT64_MAX;
    if (sa->hard_bytes)
        st->kbytes_left = sa->bytes >= sa->hard_bytes ? 0 : (sa->hard_bytes - sa->bytes) / 1024;
    if (sa->hard_s) {
        uint64_t age = ipsec_now(sa) - sa->born;
        st->seconds_left = age >= sa->hard_s ? 0 : sa->hard_s - age;
    }
    return XCE_OK;
}
