/* isakmp.h - the ISAKMP/IKEv1 message codec: RFC 2408 (ISAKMP), RFC 2407
 * (the IPsec DOI), RFC 2409 (IKE), RFC 3947 (NAT-T), RFC 3706 (DPD).
 *
 * No I/O, no crypto, no allocation. Parsing keeps pointers into the
 * caller's bytes (they must outlive the structures); every read is bounds
 * checked (sw/common/pktread.h). Writing goes into a caller's buffer with
 * a sticky error. sw/ike/README.md shows the layouts and the flows (plain
 * and encrypted messages, hashes over payloads).
 *
 * Status codes: every parse and decode function returns 0, or the RFC 2408
 * 3.14.1 notify message type that names the fault (ISAKMP_N_PAYLOAD_MALFORMED,
 * ISAKMP_N_INVALID_MAJOR_VERSION...), which is what a responder would
 * report to the peer; "why" (may be NULL) receives a sentence for the log:
 * "payload 3 (NONCE): length 2 below 4". */
#ifndef XCE_ISAKMP_H
#define XCE_ISAKMP_H

#include <stddef.h>
#include <stdint.h>

#define ISAKMP_MUST_CHECK __attribute__((warn_unused_result))

#define ISAKMP_PORT 500
#define ISAKMP_NATT_PORT 4500       /* RFC 3947: IKE behind NAT, with a 4-byte non-ESP marker */
#define ISAKMP_HDR_LEN 28
#define ISAKMP_GEN_HDR_LEN 4        /* next payload, reserved, payload length */
#define ISAKMP_COOKIE_LEN 8
#define ISAKMP_VERSION 0x10         /* major 1, minor 0: the only version accepted */

/* Limits of one parse (exceeding them is PAYLOAD-MALFORMED, with a reason) */
#define ISAKMP_MAX_PAYLOADS 32      /* payloads in one message or decrypted body */
#define ISAKMP_MAX_PROPOSALS 16     /* in one SA payload */
#define ISAKMP_MAX_TRANSFORMS 64    /* in one SA payload, all proposals together */
#define ISAKMP_MAX_ATTRS 512        /* in one SA payload, all transforms together */
#define ISAKMP_NONCE_MIN 8          /* RFC 2409 5: a nonce is 8 to 256 bytes */
#define ISAKMP_NONCE_MAX 256
#define ISAKMP_KE_MAX 1024          /* 8192-bit MODP (group 18), the largest group */
#define ISAKMP_HASH_MAX 64          /* HMAC-SHA2-512 output: HASH and NAT-D payloads */
#define ISAKMP_SPI_MAX 16           /* the ISAKMP SPI: both cookies */

/* Payload types (RFC 2408 3.1; RFC 3947; draft-ietf-ipsec-nat-t-ike-02/03) */
enum {
    ISAKMP_NP_NONE = 0,
    ISAKMP_NP_SA = 1,
    ISAKMP_NP_P = 2,                /* proposal: only inside an SA payload */
    ISAKMP_NP_T = 3,                /* transform: only inside a proposal */
    ISAKMP_NP_KE = 4,
    ISAKMP_NP_ID = 5,
    ISAKMP_NP_CERT = 6,
    ISAKMP_NP_CR = 7,
    ISAKMP_NP_HASH = 8,
    ISAKMP_NP_SIG = 9,
    ISAKMP_NP_NONCE = 10,
    ISAKMP_NP_N = 11,               /* notification */
    ISAKMP_NP_D = 12,               /* delete */
    ISAKMP_NP_VID = 13,
    ISAKMP_NP_ATTR = 14,            /* mode config (draft-ietf-ipsec-isakmp-mode-cfg) */
    ISAKMP_NP_NAT_D = 20,           /* RFC 3947 */
    ISAKMP_NP_NAT_OA = 21,
    ISAKMP_NP_NAT_D_DRAFT = 130,    /* the same payloads before RFC 3947 (IOS still sends them) */
    ISAKMP_NP_NAT_OA_DRAFT = 131,
};

/* Exchange types (RFC 2408 3.1, RFC 2409 5) */
enum {
    ISAKMP_XCHG_BASE = 1,
    ISAKMP_XCHG_MAIN = 2,           /* identity protection */
    ISAKMP_XCHG_AUTH_ONLY = 3,
    ISAKMP_XCHG_AGGRESSIVE = 4,
    ISAKMP_XCHG_INFO = 5,
    ISAKMP_XCHG_TRANSACTION = 6,    /* mode config */
    ISAKMP_XCHG_QUICK = 32,
    ISAKMP_XCHG_NEW_GROUP = 33,
};

/* Header flags (RFC 2408 3.1); other bits are INVALID-FLAGS */
enum {
    ISAKMP_FLAG_E = 0x01,           /* the payloads after the header are encrypted */
    ISAKMP_FLAG_C = 0x02,           /* commit */
    ISAKMP_FLAG_A = 0x04,           /* authentication only */
};

/* DOI and situation (RFC 2407 4.2) */
#define ISAKMP_DOI_ISAKMP 0
#define ISAKMP_DOI_IPSEC 1
#define ISAKMP_SIT_IDENTITY_ONLY 1
#define ISAKMP_SIT_SECRECY 2
#define ISAKMP_SIT_INTEGRITY 4

/* Protocol identifiers (RFC 2407 4.4.1) */
enum {
    ISAKMP_PROTO_ISAKMP = 1,
    ISAKMP_PROTO_IPSEC_AH = 2,
    ISAKMP_PROTO_IPSEC_ESP = 3,
    ISAKMP_PROTO_IPCOMP = 4,
};

/* Transform identifiers (RFC 2407 4.4.2-4.4.5, RFC 3602, RFC 4868) */
enum {
    ISAKMP_KEY_IKE = 1,
    ISAKMP_AH_MD5 = 2, ISAKMP_AH_SHA = 3, ISAKMP_AH_DES = 4,
    ISAKMP_AH_SHA2_256 = 5, ISAKMP_AH_SHA2_384 = 6, ISAKMP_AH_SHA2_512 = 7,
    ISAKMP_ESP_DES_IV64 = 1, ISAKMP_ESP_DES = 2, ISAKMP_ESP_3DES = 3, ISAKMP_ESP_RC5 = 4,
    ISAKMP_ESP_IDEA = 5, ISAKMP_ESP_CAST = 6, ISAKMP_ESP_BLOWFISH = 7, ISAKMP_ESP_3IDEA = 8,
    ISAKMP_ESP_DES_IV32 = 9, ISAKMP_ESP_RC4 = 10, ISAKMP_ESP_NULL = 11, ISAKMP_ESP_AES = 12,
    ISAKMP_IPCOMP_OUI = 1, ISAKMP_IPCOMP_DEFLATE = 2, ISAKMP_IPCOMP_LZS = 3,
};

/* IKE (phase 1) attribute classes (RFC 2409 appendix A) and their values */
enum {
    ISAKMP_A_ENCRYPTION = 1,        /* B */
    ISAKMP_A_HASH = 2,              /* B */
    ISAKMP_A_AUTH = 3,              /* B */
    ISAKMP_A_GROUP_DESC = 4,        /* B */
    ISAKMP_A_GROUP_TYPE = 5,        /* B */
    ISAKMP_A_GROUP_PRIME = 6,       /* V */
    ISAKMP_A_GROUP_GEN_ONE = 7,     /* V */
    ISAKMP_A_GROUP_GEN_TWO = 8,     /* V */
    ISAKMP_A_GROUP_CURVE_A = 9,     /* V */
    ISAKMP_A_GROUP_CURVE_B = 10,    /* V */
    ISAKMP_A_LIFE_TYPE = 11,        /* B */
    ISAKMP_A_LIFE_DURATION = 12,    /* V */
    ISAKMP_A_PRF = 13,              /* B */
    ISAKMP_A_KEY_LENGTH = 14,       /* B */
    ISAKMP_A_FIELD_SIZE = 15,       /* B */
    ISAKMP_A_GROUP_ORDER = 16,      /* V */
};
enum {
    ISAKMP_ENC_DES_CBC = 1, ISAKMP_ENC_IDEA_CBC = 2, ISAKMP_ENC_BLOWFISH_CBC = 3, ISAKMP_ENC_RC5_CBC = 4,
    ISAKMP_ENC_3DES_CBC = 5, ISAKMP_ENC_CAST_CBC = 6, ISAKMP_ENC_AES_CBC = 7, ISAKMP_ENC_CAMELLIA_CBC = 8,
};
enum {
    ISAKMP_HASH_MD5 = 1, ISAKMP_HASH_SHA = 2, ISAKMP_HASH_TIGER = 3,
    ISAKMP_HASH_SHA2_256 = 4, ISAKMP_HASH_SHA2_384 = 5, ISAKMP_HASH_SHA2_512 = 6,
};
enum {
    ISAKMP_AUTH_PSK = 1, ISAKMP_AUTH_DSS = 2, ISAKMP_AUTH_RSA_SIG = 3,
    ISAKMP_AUTH_RSA_ENC = 4, ISAKMP_AUTH_RSA_ENC_REV = 5,
};
enum {
    ISAKMP_GROUP_MODP768 = 1, ISAKMP_GROUP_MODP1024 = 2, ISAKMP_GROUP_MODP1536 = 5,
    ISAKMP_GROUP_MODP2048 = 14, ISAKMP_GROUP_MODP3072 = 15, ISAKMP_GROUP_MODP4096 = 16,
    ISAKMP_GROUP_MODP6144 = 17, ISAKMP_GROUP_MODP8192 = 18,
    ISAKMP_GROUP_ECP256 = 19, ISAKMP_GROUP_ECP384 = 20, ISAKMP_GROUP_ECP521 = 21,
};
enum { ISAKMP_LIFE_SECONDS = 1, ISAKMP_LIFE_KILOBYTES = 2 };   /* both life type attributes */

/* IPsec DOI (phase 2) attribute classes (RFC 2407 4.5) and their values */
enum {
    ISAKMP_IA_SA_LIFE_TYPE = 1,     /* B */
    ISAKMP_IA_SA_LIFE_DURATION = 2, /* V */
    ISAKMP_IA_GROUP_DESC = 3,       /* B (PFS) */
    ISAKMP_IA_ENCAP_MODE = 4,       /* B */
    ISAKMP_IA_AUTH_ALG = 5,         /* B */
    ISAKMP_IA_KEY_LENGTH = 6,       /* B */
    ISAKMP_IA_KEY_ROUNDS = 7,       /* B */
    ISAKMP_IA_COMP_DICT_SIZE = 8,   /* B */
    ISAKMP_IA_COMP_PRIV_ALG = 9,    /* V */
    ISAKMP_IA_ECN_TUNNEL = 10,      /* B (RFC 3168) */
    ISAKMP_IA_ESN = 11,             /* B (RFC 4304) */
};
enum {
    ISAKMP_ENCAP_TUNNEL = 1,
    ISAKMP_ENCAP_TRANSPORT = 2,
    ISAKMP_ENCAP_UDP_TUNNEL = 3,            /* RFC 3947 */
    ISAKMP_ENCAP_UDP_TRANSPORT = 4,
    ISAKMP_ENCAP_UDP_TUNNEL_DRAFT = 61443,  /* draft-ietf-ipsec-nat-t-ike-02/03 */
    ISAKMP_ENCAP_UDP_TRANSPORT_DRAFT = 61444,
};
enum {
    ISAKMP_AUTH_HMAC_MD5 = 1, ISAKMP_AUTH_HMAC_SHA = 2, ISAKMP_AUTH_DES_MAC = 3, ISAKMP_AUTH_KPDK = 4,
    ISAKMP_AUTH_HMAC_SHA2_256 = 5, ISAKMP_AUTH_HMAC_SHA2_384 = 6, ISAKMP_AUTH_HMAC_SHA2_512 = 7,
};

/* Identification types (RFC 2407 4.6.2.1) */
enum {
    ISAKMP_ID_IPV4_ADDR = 1,
    ISAKMP_ID_FQDN = 2,
    ISAKMP_ID_USER_FQDN = 3,
    ISAKMP_ID_IPV4_ADDR_SUBNET = 4,
    ISAKMP_ID_IPV6_ADDR = 5,
    ISAKMP_ID_IPV6_ADDR_SUBNET = 6,
    ISAKMP_ID_IPV4_ADDR_RANGE = 7,
    ISAKMP_ID_IPV6_ADDR_RANGE = 8,
    ISAKMP_ID_DER_ASN1_DN = 9,
    ISAKMP_ID_DER_ASN1_GN = 10,
    ISAKMP_ID_KEY_ID = 11,
};

/* Certificate encodings (RFC 2408 3.9): CERT and CR payloads */
enum {
    ISAKMP_CERT_PKCS7 = 1, ISAKMP_CERT_PGP = 2, ISAKMP_CERT_DNS_KEY = 3, ISAKMP_CERT_X509_SIG = 4,
    ISAKMP_CERT_X509_KE = 5, ISAKMP_CERT_KERBEROS = 6, ISAKMP_CERT_CRL = 7, ISAKMP_CERT_ARL = 8,
    ISAKMP_CERT_SPKI = 9, ISAKMP_CERT_X509_ATTR = 10,
};

/* Notify message types: errors (RFC 2408 3.14.1) - also the status codes
 * of this codec - then status types (RFC 2408, RFC 2407 4.6.3, RFC 3706) */
enum {
    ISAKMP_N_INVALID_PAYLOAD_TYPE = 1,
    ISAKMP_N_DOI_NOT_SUPPORTED = 2,
    ISAKMP_N_SITUATION_NOT_SUPPORTED = 3,
    ISAKMP_N_INVALID_COOKIE = 4,
    ISAKMP_N_INVALID_MAJOR_VERSION = 5,
    ISAKMP_N_INVALID_MINOR_VERSION = 6,
    ISAKMP_N_INVALID_EXCHANGE_TYPE = 7,
    ISAKMP_N_INVALID_FLAGS = 8,
    ISAKMP_N_INVALID_MESSAGE_ID = 9,
    ISAKMP_N_INVALID_PROTOCOL_ID = 10,
    ISAKMP_N_INVALID_SPI = 11,
    ISAKMP_N_INVALID_TRANSFORM_ID = 12,
    ISAKMP_N_ATTRIBUTES_NOT_SUPPORTED = 13,
    ISAKMP_N_NO_PROPOSAL_CHOSEN = 14,
    ISAKMP_N_BAD_PROPOSAL_SYNTAX = 15,
    ISAKMP_N_PAYLOAD_MALFORMED = 16,
    ISAKMP_N_INVALID_KEY_INFORMATION = 17,
    ISAKMP_N_INVALID_ID_INFORMATION = 18,
    ISAKMP_N_INVALID_CERT_ENCODING = 19,
    ISAKMP_N_INVALID_CERTIFICATE = 20,
    ISAKMP_N_CERT_TYPE_UNSUPPORTED = 21,
    ISAKMP_N_INVALID_CERT_AUTHORITY = 22,
    ISAKMP_N_INVALID_HASH_INFORMATION = 23,
    ISAKMP_N_AUTHENTICATION_FAILED = 24,
    ISAKMP_N_INVALID_SIGNATURE = 25,
    ISAKMP_N_ADDRESS_NOTIFICATION = 26,
    ISAKMP_N_NOTIFY_SA_LIFETIME = 27,
    ISAKMP_N_CERTIFICATE_UNAVAILABLE = 28,
    ISAKMP_N_UNSUPPORTED_EXCHANGE_TYPE = 29,
    ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS = 30,
    ISAKMP_N_CONNECTED = 16384,
    ISAKMP_N_RESPONDER_LIFETIME = 24576,
    ISAKMP_N_REPLAY_STATUS = 24577,
    ISAKMP_N_INITIAL_CONTACT = 24578,
    ISAKMP_N_R_U_THERE = 36136,
    ISAKMP_N_R_U_THERE_ACK = 36137,
};

/* ---- parsing ------------------------------------------------------------ */

struct isakmp_hdr {
    uint8_t icookie[ISAKMP_COOKIE_LEN];
    uint8_t rcookie[ISAKMP_COOKIE_LEN];
    uint8_t np;                     /* type of the first payload */
    uint8_t version;                /* ISAKMP_VERSION */
    uint8_t exchange;               /* ISAKMP_XCHG_* */
    uint8_t flags;                  /* ISAKMP_FLAG_* */
    uint32_t msgid;
    uint32_t length;                /* of the whole message, header included */
};

/* One payload of a chain: where it lies, never a copy. */
struct isakmp_payload {
    uint8_t type;                   /* ISAKMP_NP_*: what the previous next-payload field named */
    unsigned idx;                   /* 1-based position in its chain, for messages */
    const uint8_t *raw;             /* the generic header (hashes cover whole payloads) */
    const uint8_t *body;            /* raw + ISAKMP_GEN_HDR_LEN */
    size_t len;                     /* body bytes: payload length - 4 */
};

struct isakmp_chain {
    size_t n;
    size_t pad;                     /* bytes after the last payload (ISAKMP_PARSE_PADDED only) */
    struct isakmp_payload pl[ISAKMP_MAX_PAYLOADS];
};

struct isakmp_msg {
    struct isakmp_hdr hdr;
    const uint8_t *body;            /* after the header: the chain, or the ciphertext if E */
    size_t body_len;
    struct isakmp_chain chain;      /* empty when hdr.flags has ISAKMP_FLAG_E */
};

/* The 28-byte header alone (cookies for the SA lookup before decrypting):
 * version 1.0, a known exchange type, no unknown flag, a non-zero initiator
 * cookie, and a length field equal to len (UNEQUAL-PAYLOAD-LENGTHS if not). */
int isakmp_parse_header(const uint8_t *msg, size_t len, struct isakmp_hdr *h, char *why, size_t whylen)
    ISAKMP_MUST_CHECK;

/* A whole datagram: the header, then, unless E is set, the payload chain,
 * which must fill the message exactly. With E set, out->body is the
 * ciphertext: decrypt it and call isakmp_parse_payloads(hdr.np, plain,
 * plain_len, ISAKMP_PARSE_PADDED, ...). */
int isakmp_parse(const uint8_t *msg, size_t len, struct isakmp_msg *out, char *why, size_t whylen)
    ISAKMP_MUST_CHECK;

#define ISAKMP_PARSE_PADDED 1       /* bytes may follow the last payload (block padding) */

/* A chain of generic payloads starting with type first: each at least 4
 * bytes, inside the buffer, at most ISAKMP_MAX_PAYLOADS; a type that is
 * not a top-level payload of the IPsec DOI (proposal, transform, GDOI's
 * 15-19, unassigned 22-127) is INVALID-PAYLOAD-TYPE; mode config's 14 and
 * the private types 128-255 are kept for the caller. */
int isakmp_parse_payloads(uint8_t first, const uint8_t *p, size_t len, unsigned flags, struct isakmp_chain *out,
                          char *why, size_t whylen) ISAKMP_MUST_CHECK;

/* The nth (0-based) payload of a type, or NULL. */
const struct isakmp_payload *isakmp_find(const struct isakmp_chain *c, uint8_t type, size_t nth);

/* ---- payload decoders: each checks p->type and every length ------------- */

/* A data attribute (RFC 2408 3.3): basic (TV, AF bit set: a 2-byte value
 * in place of the length) or variable (TLV). val points into the message. */
struct isakmp_attr {
    uint16_t type;                  /* class, AF bit removed */
    uint8_t tv;                     /* 1: basic (TV) form */
    uint16_t len;                   /* value bytes (2 for TV) */
    const uint8_t *val;
};

/* An attribute list filling exactly len bytes (transforms; also the data
 * of RESPONDER-LIFETIME notifications), at most max attributes. */
int isakmp_attrs_decode(const uint8_t *p, size_t len, struct isakmp_attr *out, size_t max, size_t *n, char *why,
                        size_t whylen) ISAKMP_MUST_CHECK;

/* The value as an unsigned integer (big-endian, 1-8 significant bytes;
 * leading zero bytes allowed): 0, or ATTRIBUTES-NOT-SUPPORTED. */
int isakmp_attr_uint(const struct isakmp_attr *a, uint64_t *v) ISAKMP_MUST_CHECK;

struct isakmp_xform {
    uint8_t num;                    /* transform # */
    uint8_t id;                     /* transform id (KEY_IKE, ESP_AES...) */
    uint16_t first_attr;            /* its attributes: sa->attr[first_attr .. first_attr + nattrs) */
    uint16_t nattrs;
};

struct isakmp_prop {
    uint8_t num;                    /* proposal #: equal numbers are one bundle (AH and ESP) */
    uint8_t proto;                  /* ISAKMP_PROTO_* */
    uint8_t spi_size;
    uint8_t nxforms;                /* = the number of transforms found */
    const uint8_t *spi;
    uint16_t first_xform;           /* sa->xf[first_xform .. first_xform + nxforms) */
};

/* The SA payload with its proposals, transforms and attributes, flat:
 * about 10 KB, meant for a session's state or a static, not a deep stack.
 * DOI must be IPsec (DOI-NOT-SUPPORTED), situation SIT_IDENTITY_ONLY
 * (SITUATION-NOT-SUPPORTED); proposals: protocol ISAKMP/AH/ESP/IPCOMP
 * (INVALID-PROTOCOL-ID), SPI size 0 or 16 for ISAKMP, 4 for AH and ESP,
 * 2 or 4 for IPCOMP (INVALID-SPI), numbers not decreasing, the transform
 * count equal to the transforms present and not 0, next-payload fields 2/3
 * except on the last (BAD-PROPOSAL-SYNTAX); every length consistent
 * (PAYLOAD-MALFORMED). */
struct isakmp_sa {
    uint32_t doi;
    uint32_t situation;
    size_t nprops, nxforms, nattrs;
    struct isakmp_prop prop[ISAKMP_MAX_PROPOSALS];
    struct isakmp_xform xf[ISAKMP_MAX_TRANSFORMS];
    struct isakmp_attr attr[ISAKMP_MAX_ATTRS];
};
int isakmp_decode_sa(const struct isakmp_payload *p, struct isakmp_sa *sa, char *why, size_t whylen)
    ISAKMP_MUST_CHECK;

/* The first attribute of a class in a transform, or NULL. */
const struct isakmp_attr *isakmp_xform_attr(const struct isakmp_sa *sa, const struct isakmp_xform *x, uint16_t type);

/* KE, HASH, SIG, NONCE, VID, NAT-D (and its draft type): the data is the
 * body; checked: KE 1..ISAKMP_KE_MAX bytes (INVALID-KEY-INFORMATION), HASH
 * and NAT-D 1..ISAKMP_HASH_MAX (INVALID-HASH-INFORMATION), SIG not empty
 * (INVALID-SIGNATURE), NONCE 8..256 (PAYLOAD-MALFORMED), VID not empty. */
int isakmp_check_data(const struct isakmp_payload *p, char *why, size_t whylen) ISAKMP_MUST_CHECK;

/* ID (RFC 2407 4.6.2): the data length must suit the type (4 for an IPv4
 * address, 8 for a subnet or range, 16/32 for IPv6, at least 1 otherwise);
 * else, or an unknown type, INVALID-ID-INFORMATION. */
struct isakmp_id {
    uint8_t type;                   /* ISAKMP_ID_* */
    uint8_t proto;                  /* IP protocol, 0: any */
    uint16_t port;                  /* 0: any */
    const uint8_t *data;
    size_t len;
    uint32_t v4[2];                 /* IPv4 types, host order: address; address and mask; first and last */
};
int isakmp_decode_id(const struct isakmp_payload *p, struct isakmp_id *id, char *why, size_t whylen)
    ISAKMP_MUST_CHECK;

/* CERT (RFC 2408 3.9: encoding 1..10, data not empty) and CR (3.10: the
 * certificate type, then a certificate authority, which may be empty). */
struct isakmp_cert {
    uint8_t encoding;               /* ISAKMP_CERT_* */
    const uint8_t *data;
    size_t len;
};
int isakmp_decode_cert(const struct isakmp_payload *p, struct isakmp_cert *c, char *why, size_t whylen)
    ISAKMP_MUST_CHECK;

/* NOTIFICATION (RFC 2408 3.14): DOI 0 or 1, SPI size at most 16. */
struct isakmp_notify {
    uint32_t doi;
    uint8_t proto;
    uint8_t spi_size;
    uint16_t type;                  /* ISAKMP_N_* */
    const uint8_t *spi;
    const uint8_t *data;
    size_t len;
};
int isakmp_decode_notify(const struct isakmp_payload *p, struct isakmp_notify *n, char *why, size_t whylen)
    ISAKMP_MUST_CHECK;

/* R-U-THERE / R-U-THERE-ACK (RFC 3706 5): protocol ISAKMP, the cookies as
 * the 16-byte SPI, a 4-byte sequence number; anything else (another type
 * included) is PAYLOAD-MALFORMED. */
int isakmp_notify_dpd(const struct isakmp_notify *n, uint32_t *seq, char *why, size_t whylen) ISAKMP_MUST_CHECK;

/* DELETE (RFC 2408 3.15): at least one SPI, the SPI size that of the
 * protocol (16 ISAKMP, 4 AH/ESP, 2 IPCOMP: else INVALID-SPI), the body
 * exactly 8 + count * size bytes. SPI i is at spis + i * spi_size. */
struct isakmp_delete {
    uint32_t doi;
    uint8_t proto;
    uint8_t spi_size;
    uint16_t nspis;
    const uint8_t *spis;
};
int isakmp_decode_delete(const struct isakmp_payload *p, struct isakmp_delete *d, char *why, size_t whylen)
    ISAKMP_MUST_CHECK;

/* NAT-OA (RFC 3947 5.2; also the draft type): ID_IPV4_ADDR with 4 bytes
 * or ID_IPV6_ADDR with 16. */
struct isakmp_nat_oa {
    uint8_t id_type;
    const uint8_t *addr;
    size_t len;
    uint32_t v4;                    /* host order, IPv4 only */
};
int isakmp_decode_nat_oa(const struct isakmp_payload *p, struct isakmp_nat_oa *oa, char *why, size_t whylen)
    ISAKMP_MUST_CHECK;

/* Any payload through the decoder of its type: an SA into sa, the others
 * into the union's member of their type (id, cert, notify, del, nat_oa);
 * the data payloads are checked (isakmp_check_data). 0 also for the types
 * without a decoder (mode config, private types): their body is all there
 * is. */
union isakmp_decoded {
    struct isakmp_id id;
    struct isakmp_cert cert;
    struct isakmp_notify notify;
    struct isakmp_delete del;
    struct isakmp_nat_oa nat_oa;
};
int isakmp_decode(const struct isakmp_payload *p, struct isakmp_sa *sa, union isakmp_decoded *out, char *why,
                  size_t whylen) ISAKMP_MUST_CHECK;

/* ---- writing ------------------------------------------------------------ */

/* Writer errors (sticky: the first one stays; later calls do nothing) */
enum {
    ISAKMP_WERR_SPACE = 1,          /* the buffer is too small */
    ISAKMP_WERR_RANGE,              /* a length or count does not fit its field */
    ISAKMP_WERR_ORDER,              /* a proposal outside an SA, a transform outside a proposal... */
};

/* Offsets of the fields patched later; SIZE_MAX: none open. */
struct isakmp_w {
    uint8_t *buf;
    size_t cap, len;
    int err;
    uint8_t first;                  /* type of the first payload */
    int has_hdr, sealed;
    unsigned n;                     /* payloads begun */
    uint8_t open_type;              /* type of the open payload */
    size_t np_at;                   /* next-payload field of the last payload (or of the header) */
    size_t pl_at, prop_at, xf_at;   /* open payload, proposal, transform */
    unsigned nxf;                   /* transforms in the open proposal */
};

/* Start a message: the header from h (cookies, exchange, flags, message
 * id; the writer fills in np, version 1.0 and the length), or, h NULL, a
 * bare payload chain (the plaintext of an encrypted message:
 * isakmp_w_first() then names its first payload). */
void isakmp_w_init(struct isakmp_w *w, uint8_t *buf, size_t cap, const struct isakmp_hdr *h);

/* Open a payload of any type (the previous one is closed and its
 * next-payload field set); its body is what is written until the next. */
void isakmp_w_begin(struct isakmp_w *w, uint8_t type);
void isakmp_w_bytes(struct isakmp_w *w, const void *p, size_t n);
void isakmp_w_u8(struct isakmp_w *w, uint8_t v);
void isakmp_w_u16(struct isakmp_w *w, uint16_t v);
void isakmp_w_u32(struct isakmp_w *w, uint32_t v);
/* n bytes to fill in later (a HASH over what follows it); NULL on error. */
uint8_t *isakmp_w_reserve(struct isakmp_w *w, size_t n);

/* KE, HASH, SIG, NONCE, VID, NAT-D... : the body is the data. */
void isakmp_w_data(struct isakmp_w *w, uint8_t type, const void *p, size_t n);

/* SA, its proposals and transforms: an SA payload, then for each proposal
 * isakmp_w_proposal (the transform count is counted), for each transform
 * isakmp_w_transform followed by its attributes. */
void isakmp_w_sa(struct isakmp_w *w, uint32_t doi, uint32_t situation);
void isakmp_w_proposal(struct isakmp_w *w, uint8_t num, uint8_t proto, const uint8_t *spi, uint8_t spi_size);
void isakmp_w_transform(struct isakmp_w *w, uint8_t num, uint8_t id);
/* An attribute (in an SA: after isakmp_w_transform; also in any other
 * payload, e.g. RESPONDER-LIFETIME's data): basic (TV) if v fits 16 bits,
 * else variable with a 4-byte (or, above 32 bits, 8-byte) value. */
void isakmp_w_attr(struct isakmp_w *w, uint16_t type, uint64_t v);
/* A variable (TLV) attribute with these value bytes. */
void isakmp_w_attr_tlv(struct isakmp_w *w, uint16_t type, const void *val, size_t n);
/* A decoded attribute as it came (form and value bytes kept). */
void isakmp_w_attr_copy(struct isakmp_w *w, const struct isakmp_attr *a);
/* A decoded transform with its attributes as they came: a responder's
 * answer is the chosen transform, in a proposal of its own (quick mode:
 * with the responder's SPI). */
void isakmp_w_xform_copy(struct isakmp_w *w, const struct isakmp_sa *sa, const struct isakmp_xform *x);

void isakmp_w_id(struct isakmp_w *w, const struct isakmp_id *id);              /* type, proto, port, data */
void isakmp_w_cert(struct isakmp_w *w, uint8_t type, const struct isakmp_cert *c);  /* CERT or CR */
void isakmp_w_notify(struct isakmp_w *w, const struct isakmp_notify *n);
void isakmp_w_delete(struct isakmp_w *w, const struct isakmp_delete *d);
void isakmp_w_nat_oa(struct isakmp_w *w, uint8_t type, const struct isakmp_nat_oa *oa);

/* After the header: the ciphertext of the payloads, the first of type np.
 * Nothing may follow. */
void isakmp_w_encrypted(struct isakmp_w *w, uint8_t np, const void *ct, size_t n);

/* Close everything, set the lengths (and the header's length); *len the
 * bytes written. Returns 0 or an ISAKMP_WERR_*. */
int isakmp_w_finish(struct isakmp_w *w, size_t *len) ISAKMP_MUST_CHECK;
/* The first payload's type (for the header of an encrypted message). */
uint8_t isakmp_w_first(const struct isakmp_w *w);
const char *isakmp_werr_name(int err);

/* ---- names, for debug lines and errors ("UNKNOWN" when unknown) --------- */

const char *isakmp_payload_name(uint8_t type);          /* "SA", "KE", "vendor id", "NAT-D"... as IOS prints them */
const char *isakmp_exchange_name(uint8_t exchange);     /* "Main Mode", "Quick Mode"... */
const char *isakmp_notify_name(uint16_t type);          /* "PAYLOAD-MALFORMED", "R-U-THERE"... */
const char *isakmp_proto_name(uint8_t proto);           /* "PROTO_ISAKMP", "PROTO_IPSEC_ESP"... */
const char *isakmp_transform_name(uint8_t proto, uint8_t id);   /* "KEY_IKE", "ESP_AES", "AH_SHA"... */
const char *isakmp_id_name(uint8_t type);               /* "ID_IPV4_ADDR"... */
const char *isakmp_cert_name(uint8_t encoding);         /* "CT_X509_SIGNATURE"... */
/* Attribute classes: the IKE ones for proto ISAKMP_PROTO_ISAKMP, else the
 * IPsec DOI ones ("encryption", "SA life type"...); values of the
 * enumerated classes ("AES-CBC", "pre-share", "UDP-Encapsulated-Tunnel"). */
const char *isakmp_attr_name(uint8_t proto, uint16_t type);
const char *isakmp_attr_value_name(uint8_t proto, uint16_t type, uint64_t v);
/* Well-known vendor IDs (NAT-T RFC 3947 and drafts, DPD, XAUTH, Cisco Unity). */
const char *isakmp_vid_name(const uint8_t *vid, size_t len);

#endif
