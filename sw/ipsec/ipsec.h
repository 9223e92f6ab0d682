/* ipsec.h - the userspace IPsec datapath on libxce: ESP (RFC 4303), AH
 * (RFC 4302) and ESP in UDP (RFC 3948), IPv4, tunnel and transport mode.
 *
 * The library transforms packets and keeps the state of security
 * associations (sequence numbers, anti-replay windows, lifetimes,
 * counters); it owns no socket and looks nothing up. The caller (xced)
 * finds the SA for an inbound packet with ipsec_peek_spi() and applies
 * bundles (ESP then AH) as two SAs in order.
 *
 *   struct ipsec_sa_params p = { .proto = IPSEC_PROTO_ESP, .mode = IPSEC_MODE_TUNNEL,
 *       .dir = IPSEC_DIR_OUTBOUND, .spi = 0x1925112f, .cipher = IPSEC_CIPHER_AES128,
 *       .cipher_key = k, .auth = IPSEC_AUTH_SHA1_96, .auth_key = a,
 *       .local = 0x14141415, .remote = 0x14141414 };
 *   struct ipsec_sa *sa;
 *   ipsec_sa_create(dev, &p, &sa);
 *   ipsec_output(sa, pkt, len, out, sizeof out, &out_len);
 *
 * Cipher plus MAC runs as one chained request on the engine
 * (XCE_CHAIN_ENC_MAC out, XCE_CHAIN_MAC_DEC in: the engine compares the
 * ICV and writes nothing on a mismatch); esp-null and AH are HMAC
 * requests, their ICV compared here in constant time. The burst functions
 * keep a whole burst in flight on the engine; the per-packet functions are
 * bursts of one.
 *
 * Threads: an SA is used by one thread at a time. The burst functions
 * collect every completion of the device (xce_dequeue_burst), so no other
 * operation may be in flight on the same xce_dev handle meanwhile.
 * Nothing secret is ever logged; keys are wiped when the SA is destroyed. */
#ifndef IPSEC_H
#define IPSEC_H

#include <stddef.h>
#include <stdint.h>

#include "xce.h"

#ifdef __cplusplus
extern "C" {
#endif

enum ipsec_proto { IPSEC_PROTO_ESP = 50, IPSEC_PROTO_AH = 51 };
enum ipsec_mode { IPSEC_MODE_TUNNEL = 0, IPSEC_MODE_TRANSPORT };
enum ipsec_dir { IPSEC_DIR_INBOUND = 0, IPSEC_DIR_OUTBOUND };

/* CBC ciphers, as IOS's esp-null, esp-des, esp-3des, esp-aes [128|192|256] */
enum ipsec_cipher {
    IPSEC_CIPHER_NULL = 0,
    IPSEC_CIPHER_DES,       /* key 8 bytes */
    IPSEC_CIPHER_3DES,      /* key 24 bytes */
    IPSEC_CIPHER_AES128,    /* key 16 */
    IPSEC_CIPHER_AES192,    /* key 24 */
    IPSEC_CIPHER_AES256,    /* key 32 */
};
/* HMACs truncated: esp-/ah-md5-hmac, esp-/ah-sha-hmac, esp-sha256-hmac */
enum ipsec_auth {
    IPSEC_AUTH_NONE = 0,
    IPSEC_AUTH_MD5_96,      /* key 16 bytes, ICV 12 */
    IPSEC_AUTH_SHA1_96,     /* key 20, ICV 12 */
    IPSEC_AUTH_SHA256_128,  /* key 32, ICV 16 */
};

#define IPSEC_REPLAY_DEFAULT 64
#define IPSEC_REPLAY_MAX 1024
#define IPSEC_NATT_PORT 4500

struct ipsec_sa_params {
    enum ipsec_proto proto;
    enum ipsec_mode mode;
    enum ipsec_dir dir;
    uint32_t spi;                  /* host order; 1..255 are reserved (refused), 0 too */
    enum ipsec_cipher cipher;      /* ESP only (AH: must be NULL) */
    const uint8_t *cipher_key;
    size_t cipher_key_len;         /* exactly the cipher's key size */
    enum ipsec_auth auth;          /* AH: required; ESP: none only with a real cipher */
    const uint8_t *auth_key;
    size_t auth_key_len;           /* exactly the HMAC's key size (16, 20, 32) */
    uint32_t local, remote;        /* IPv4 tunnel endpoints, host order (tunnel mode, and the
                                      outer addresses ESP-in-UDP is checked against: 0 = any) */
    int replay_window;             /* inbound: 0 = default (64), -1 = off, else 32..1024 */
    /* lifetimes: 0 = none; soft 0 = 90% of hard */
    uint64_t soft_kbytes, hard_kbytes;
    uint64_t soft_seconds, hard_seconds;
    int udp_encap;                 /* ESP in UDP (RFC 3948) */
    uint16_t udp_sport, udp_dport; /* 0: 4500 */
    uint8_t ttl;                   /* outer TTL in tunnel mode; 0: 64 */
    /* seconds since some origin; NULL: CLOCK_MONOTONIC (tests set a fake) */
    uint64_t (*clock)(void *arg);
    void *clock_arg;
};

/* Why a packet was dropped (0: it was not). */
enum ipsec_drop {
    IPSEC_OK = 0,
    IPSEC_DROP_MALFORMED,    /* truncated or malformed: IP header, lengths, UDP, alignment */
    IPSEC_DROP_FRAGMENT,     /* an IP fragment (reassemble first) */
    IPSEC_DROP_PROTO,        /* not this SA's protocol (or IKE / a NAT-T keepalive on 4500) */
    IPSEC_DROP_SPI,          /* not this SA's SPI */
    IPSEC_DROP_REPLAY,       /* sequence number seen already, or left of the window */
    IPSEC_DROP_AUTH,         /* ICV mismatch */
    IPSEC_DROP_PAD,          /* padding not 1, 2, 3..., or pad length too long */
    IPSEC_DROP_NEXT_HDR,     /* next header not valid for the mode */
    IPSEC_DROP_DUMMY,        /* next header 59: a dummy packet (RFC 4303 2.6), discarded */
    IPSEC_DROP_EXPIRED,      /* hard lifetime reached (or sequence numbers used up) */
    IPSEC_DROP_SEQ_WRAP,     /* outbound: the 32-bit sequence number would wrap */
    IPSEC_DROP_NO_ROOM,      /* output buffer too small, or the result over 65535 bytes */
    IPSEC_DROP_ENGINE,       /* the crypto request failed */
    IPSEC_DROP_INVAL,        /* bad arguments (wrong direction for the SA...) */
    IPSEC_DROP_COUNT
};
const char *ipsec_drop_name(enum ipsec_drop d);

struct ipsec_sa;

/* XCE_OK, XCE_ERR_INVAL (parameters), XCE_ERR_NOMEM, or a session error. */
int ipsec_sa_create(xce_dev *dev, const struct ipsec_sa_params *p, struct ipsec_sa **out) XCE_MUST_CHECK;
void ipsec_sa_destroy(struct ipsec_sa *sa);

/* Extra bytes an outbound SA adds to a packet of len bytes (at most). */
size_t ipsec_overhead(const struct ipsec_sa *sa, size_t len);

/* Outbound: ip_pkt is an IPv4 packet (its total length counts; trailing
 * bytes are ignored). out receives the protected packet; it must not
 * overlap ip_pkt. Returns IPSEC_OK or why it was dropped (counted). */
enum ipsec_drop ipsec_output(struct ipsec_sa *sa, const uint8_t *ip_pkt, size_t len, uint8_t *out, size_t cap,
                             size_t *out_len);
/* Inbound: pkt is the IPv4 packet as received (ESP, AH, or UDP 4500 with
 * ESP). out (not overlapping pkt) receives the inner packet (tunnel) or
 * the packet with the protection removed (transport); cap must be at least
 * len. Returns IPSEC_OK or why it was dropped (counted); why (may be NULL)
 * gets the same. */
enum ipsec_drop ipsec_input(struct ipsec_sa *sa, const uint8_t *pkt, size_t len, uint8_t *out, size_t cap,
                            size_t *out_len, enum ipsec_drop *why);

/* One packet of a burst. */
struct ipsec_pkt {
    const uint8_t *in;
    size_t in_len;
    uint8_t *out;
    size_t cap;
    size_t out_len;            /* set */
    enum ipsec_drop result;    /* set */
};
/* All n packets in flight on the engine together (in groups of
 * IPSEC_BURST_MAX); results in each pkt. Returns how many passed. */
#define IPSEC_BURST_MAX 32
unsigned ipsec_output_burst(struct ipsec_sa *sa, struct ipsec_pkt *pkts, unsigned n);
unsigned ipsec_input_burst(struct ipsec_sa *sa, struct ipsec_pkt *pkts, unsigned n);

/* Protocol and SPI of a received IPv4 packet, for the SA lookup: ESP, AH,
 * or ESP in UDP (to port 4500, or any port when udp_any). Returns IPSEC_OK
 * or MALFORMED / FRAGMENT / PROTO (not IPsec, IKE, keepalive). */
enum ipsec_drop ipsec_peek_spi(const uint8_t *pkt, size_t len, int udp_any, enum ipsec_proto *proto,
                               uint32_t *spi, int *udp_encap);

/* Counters and state, as `show crypto ipsec sa` shows them. */
struct ipsec_sa_stats {
    enum ipsec_proto proto;
    enum ipsec_mode mode;
    enum ipsec_dir dir;
    uint32_t spi;
    char transform[48];            /* IOS spelling: "esp-aes esp-sha-hmac", "ah-sha-hmac" */
    unsigned iv_size;              /* bytes (ESP) */
    int udp_encap;
    /* outbound */
    uint64_t pkts_encaps, pkts_encrypt, pkts_digest;
    uint64_t bytes_encaps;         /* bytes of packets protected (before) */
    uint64_t send_errors;
    /* inbound */
    uint64_t pkts_decaps, pkts_decrypt, pkts_verify;
    uint64_t bytes_decaps;         /* bytes of packets recovered (after) */
    uint64_t recv_errors;
    uint64_t drops[IPSEC_DROP_COUNT];
    unsigned replay_window;        /* 0: off */
    uint32_t seq;                  /* outbound: last sent; inbound: highest accepted */
    int soft_expired, hard_expired;
    /* remaining lifetime; UINT64_MAX when there is none */
    uint64_t kbytes_left, seconds_left;
};
int ipsec_sa_stats(const struct ipsec_sa *sa, struct ipsec_sa_stats *st) XCE_MUST_CHECK;
/* IOS names of a transform part: as `show crypto ipsec sa` prints them
 * ("esp-256-aes", "esp-sha-hmac"), or as configured (config_form:
 * "esp-aes 256"); "" for none. */
const char *ipsec_cipher_name(enum ipsec_cipher c, int config_form);
const char *ipsec_auth_name(enum ipsec_proto proto, enum ipsec_auth a);
/* 1 once the soft lifetime is reached (time to rekey), else 0. */
int ipsec_sa_soft_expired(const struct ipsec_sa *sa);

/* Testing: start the outbound sequence number at seq (the next packet
 * carries seq + 1). */
void ipsec_sa_set_seq(struct ipsec_sa *sa, uint32_t seq);

#ifdef __cplusplus
}
#endif

#endif
