/* ipsec_internal.h - the SA and the per-packet job, shared by the files of
 * the IPsec datapath; not for the library's users. */
#ifndef IPSEC_INTERNAL_H
#define IPSEC_INTERNAL_H

#include "ipsec.h"
#include "pktread.h"

#define IPV4_HDR 20
#define UDP_HDR 8
#define ESP_HDR 8          /* SPI, sequence number */
#define AH_FIXED 12        /* next header, payload len, reserved, SPI, sequence number */
#define IPPROTO_IPIP_ 4
#define IPPROTO_IPV6_ 41
#define IPPROTO_NONE_ 59
#define IPPROTO_UDP_ 17

/* One packet of a burst, between prepare and finish. */
struct ipsec_job {
    struct xce_op op;
    struct ipsec_pkt *pkt;
    int active;                /* op prepared and to be run */
    int done;                  /* op completed */
    uint32_t seq;
    size_t hl;                 /* IP header length (outer, or the kept one) */
    size_t base;               /* inbound: where the recovered packet's data starts in out */
    size_t body;               /* ESP: bytes between IV and ICV; AH in: bytes after AH */
    size_t total;              /* outbound: length of the result */
    const uint8_t *icv_in;     /* inbound, software compare: the received ICV */
    uint8_t hdr[60];           /* AH: the IP header with its real mutable fields */
    uint8_t hash_state[XCE_HASH_STATE_BYTES];
    uint8_t digest[64];
};

struct ipsec_sa {
    xce_dev *dev;
    struct ipsec_sa_params p;  /* key pointers cleared */
    uint8_t ckey[32], akey[32];
    xce_session *chain;        /* cipher and HMAC */
    xce_session *cipher;       /* cipher, no HMAC */
    xce_session *hmac;         /* HMAC, no cipher (esp-null, AH) */
    uint8_t hmac_states[128];  /* inner and outer chaining states (for hash requests) */
    size_t hblock;             /* HMAC block size */
    size_t block;              /* cipher block (1 for null) */
    size_t align;              /* ESP payload alignment: max(block, 4) */
    size_t iv_len, icv_len;
    /* outbound */
    uint64_t seq_out;          /* last sequence number used */
    uint16_t ip_id;
    /* inbound: anti-replay, bit (seq % 1024) of map for seq in (top - window, top] */
    unsigned window;
    uint32_t top;
    uint64_t map[IPSEC_REPLAY_MAX / 64];
    /* lifetimes */
    uint64_t born, bytes;
    uint64_t soft_bytes, hard_bytes, soft_s, hard_s;
    int soft_expired, hard_expired;
    struct ipsec_sa_stats st;  /* counters */
    struct ipsec_job jobs[IPSEC_BURST_MAX];
};

/* ipv4.c */
struct ip4 {
    size_t hl, tot;
    uint8_t tos, ttl, proto;
    uint16_t id, frag;         /* flags and fragment offset */
    uint32_t src, dst;
};
enum ipsec_drop ip4_parse(const uint8_t *p, size_t len, struct ip4 *h, int check_sum);
int ip4_is_fragment(const struct ip4 *h);
uint16_t ip4_checksum(const uint8_t *hdr, size_t hl);
/* set total length and protocol, recompute the checksum */
void ip4_fix(uint8_t *hdr, size_t hl, size_t tot, uint8_t proto);
/* AH: zero TOS, flags/offset, TTL, checksum and the mutable options */
enum ipsec_drop ip4_zero_mutable(uint8_t *hdr, size_t hl);

/* sa.c */
uint64_t ipsec_now(const struct ipsec_sa *sa);
/* IPSEC_OK, or EXPIRED (hard lifetime reached: marks the SA) */
enum ipsec_drop ipsec_life_check(struct ipsec_sa *sa);
void ipsec_life_add(struct ipsec_sa *sa, size_t bytes);
int ipsec_replay_check(const struct ipsec_sa *sa, uint32_t seq);   /* 1: acceptable */
void ipsec_replay_update(struct ipsec_sa *sa, uint32_t seq);
enum ipsec_drop ipsec_next_seq(struct ipsec_sa *sa, uint32_t *seq);
/* the HMAC request over data, digest to job->digest */
void ipsec_hmac_op(struct ipsec_sa *sa, struct ipsec_job *j, const uint8_t *data, size_t len);
/* Called once the ICV is verified: the window moves (a duplicate within one
 * burst is caught here, its twin having just been accepted). IPSEC_OK or REPLAY. */
enum ipsec_drop ipsec_replay_accept(struct ipsec_sa *sa, uint32_t seq);

/* Outbound, ESP and AH: parse the packet to protect into h; drops a fragment
 * in transport mode (it protects whole datagrams) and checks the lifetime. */
enum ipsec_drop ipsec_out_parse(struct ipsec_sa *sa, const struct ipsec_job *j, struct ip4 *h);
/* Outbound: write at o the IPv4 header in front of the protocol header: in
 * tunnel mode a new outer one (from the SA and the inner header h), in
 * transport mode the packet's own (in); total length tot, protocol proto. */
void ipsec_out_header(struct ipsec_sa *sa, uint8_t *o, const uint8_t *in, const struct ip4 *h, size_t tot,
                      uint8_t proto);
/* Inbound, ESP and AH, once verified: the recovered payload (dlen bytes at
 * data, inside j->pkt->out) with next header nh becomes the output packet. */
enum ipsec_drop ipsec_in_deliver(struct ipsec_sa *sa, struct ipsec_job *j, const uint8_t *data, size_t dlen,
                                 uint8_t nh);

/* esp.c, ah.c: prepare fills job->op (and active), finish after it ran */
enum ipsec_drop esp_out_prepare(struct ipsec_sa *sa, struct ipsec_job *j);
enum ipsec_drop esp_out_finish(struct ipsec_sa *sa, struct ipsec_job *j);
enum ipsec_drop esp_in_prepare(struct ipsec_sa *sa, struct ipsec_job *j);
enum ipsec_drop esp_in_finish(struct ipsec_sa *sa, struct ipsec_job *j);
enum ipsec_drop ah_out_prepare(struct ipsec_sa *sa, struct ipsec_job *j);
enum ipsec_drop ah_out_finish(struct ipsec_sa *sa, struct ipsec_job *j);
enum ipsec_drop ah_in_prepare(struct ipsec_sa *sa, struct ipsec_job *j);
enum ipsec_drop ah_in_finish(struct ipsec_sa *sa, struct ipsec_job *j);

/* burst.c: run the active jobs' requests, all in flight together */
void ipsec_run_jobs(struct ipsec_sa *sa, unsigned n);

#endif
