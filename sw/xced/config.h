/* config.h - the IOS-style configuration of the router daemon xced
 * (`xced -f router.cfg`): the parser and the canonical writer
 * ("show running-config"). See sw/xced/README.md for the statements, the
 * modes and our extensions.
 *
 * The parser reads the whole text, line by line, with per-mode command
 * tables and IOS unique-prefix abbreviation ("int e0", "cry ips trans").
 * The first bad line stops it: it returns NULL and says
 * "FILE:LINE: message"; nothing is half-applied. After the last line the
 * references are checked (transform sets, access lists, session keys...),
 * again with the line of the offending statement.
 *
 * Addresses and masks are IPv4, in host byte order. Everything is bounded
 * (CFG_MAX_*). Secrets (session keys, ISAKMP pre-shared keys, the master
 * key) are wiped by config_free(). */
#ifndef XCED_CONFIG_H
#define XCED_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* --- limits ------------------------------------------------------------- */
#define CFG_MAX_TEXT        (4u << 20)  /* bytes of configuration text */
#define CFG_MAX_LINES       100000u     /* lines, comments included */
#define CFG_MAX_LINE_LEN    1024u       /* bytes per line, without the newline */
#define CFG_MAX_WORDS       64u         /* words per line */
#define CFG_NAME_MAX        63u         /* names: hostname, tags, transform sets */
#define CFG_DOMAIN_MAX      253u        /* ip domain-name, ip host, named-key */
#define CFG_DESC_MAX        240u        /* description text (IOS: 240) */
#define CFG_IFNAME_MAX      63u         /* IOS interface name, "Serial0/1.2" */
#define CFG_LINUX_IFNAME_MAX 15u        /* IFNAMSIZ - 1 */
#define CFG_ISAKMP_KEY_MAX  128u        /* pre-shared key characters */
#define CFG_VERSION_MAX     31u
#define CFG_MAX_INTERFACES  256u
#define CFG_MAX_ACES        4096u       /* access-list entries, all lists */
#define CFG_MAX_ROUTES      1024u
#define CFG_MAX_HOSTS       256u
#define CFG_MAX_TSETS       128u
#define CFG_MAX_MAPS        256u        /* crypto map entries (tag, seq) */
#define CFG_MAX_MAP_TSETS   6u          /* transform sets per map entry (IOS) */
#define CFG_MAX_MAP_PEERS   8u
#define CFG_MAX_POLICIES    256u
#define CFG_MAX_ISAKMP_KEYS 256u
#define CFG_MAX_PUBKEYS     64u
#define CFG_MAX_PUBKEY_DER  2048u       /* bytes of one key-string */
#define CFG_MAX_SESSION_KEY 32u         /* bytes: AES-256, HMAC-SHA-256 */
#define CFG_MAX_KEYRINGS    64u
#define CFG_MAX_KEYRING_KEYS 1024u      /* pre-shared-key entries, all keyrings */
#define CFG_MAX_PROFILES    64u         /* crypto isakmp profile */
#define CFG_MAX_PROFILE_IDENTS 16u      /* match identity per profile */
#define CFG_MAX_PROFILE_KEYRINGS 8u     /* keyring per profile */
#define CFG_MAX_PROFILE_CERTMAPS 8u     /* match certificate per profile */
#define CFG_MASTER_KEY_MIN  8u          /* key config-key password-encryption TEXT */
#define CFG_MASTER_KEY_MAX  128u
/* a type 6 key: base64 of version, salt, IV, the key, GCM tag (README) */
#define CFG_TYPE6_MAX       (((1u + 16u + 12u + CFG_ISAKMP_KEY_MAX + 16u) + 2u) / 3u * 4u)

/* defaults (what IOS uses when nothing is configured; the writer leaves
 * them out) */
#define CFG_DEFAULT_SA_KB       4608000u
#define CFG_DEFAULT_SA_SECONDS  3600u
#define CFG_DEFAULT_REPLAY      64u
#define CFG_DEFAULT_IKE_LIFE    86400u
#define CFG_DEFAULT_DPD_RETRY   2u      /* crypto isakmp keepalive SECS [RETRY] */

/* --- interfaces ---------------------------------------------------------- */
struct cfg_interface {
    char name[CFG_IFNAME_MAX + 1];               /* canonical: "Ethernet0" */
    char description[CFG_DESC_MAX + 1];          /* "" when none */
    int has_address;
    uint32_t addr, mask;
    char crypto_map[CFG_NAME_MAX + 1];           /* "" when none */
    int shutdown;
    char linux_ifname[CFG_LINUX_IFNAME_MAX + 1]; /* xce linux-interface; "" when none */
    unsigned line, map_line, linux_line;         /* where they were configured */
};

/* --- access lists --------------------------------------------------------- */
#define CFG_PROTO_IP 256   /* "ip": any protocol; else the IP protocol number */
struct cfg_ace {
    unsigned number;        /* 1-99 standard, 100-199 extended */
    int deny;               /* 0 permit, 1 deny */
    unsigned proto;         /* extended only: CFG_PROTO_IP or 0-255 */
    uint32_t src, src_wild; /* any: 0.0.0.0 255.255.255.255; host: wildcard 0 */
    uint32_t dst, dst_wild; /* extended only */
    int src_port, dst_port; /* "eq PORT" (tcp/udp), -1 when none */
    unsigned line;
};

/* --- static routes --------------------------------------------------------- */
struct cfg_route {
    uint32_t prefix, mask;
    uint32_t nexthop;                   /* when ifname is "" */
    char ifname[CFG_IFNAME_MAX + 1];    /* an interface instead of a next hop */
    unsigned line;
};

struct cfg_host {
    char name[CFG_DOMAIN_MAX + 1];
    uint32_t addr;
    unsigned line;
};

/* --- IPsec transform sets --------------------------------------------------- */
enum cfg_ah { CFG_AH_NONE, CFG_AH_MD5, CFG_AH_SHA };
enum cfg_esp_cipher { CFG_ESP_NONE, CFG_ESP_DES, CFG_ESP_3DES, CFG_ESP_AES, CFG_ESP_NULL };
enum cfg_esp_auth { CFG_ESPA_NONE, CFG_ESPA_MD5, CFG_ESPA_SHA, CFG_ESPA_SHA256 };
enum cfg_ipsec_mode { CFG_MODE_TUNNEL, CFG_MODE_TRANSPORT };

struct cfg_transform_set {
    char name[CFG_NAME_MAX + 1];
    enum cfg_ah ah;
    enum cfg_esp_cipher cipher;
    unsigned aes_bits;              /* 128, 192, 256 for esp-aes; else 0 */
    enum cfg_esp_auth esp_auth;
    enum cfg_ipsec_mode mode;
    unsigned line;
};

/* Key sizes in bytes the transforms need: cipher key (0 for esp-null or
 * no cipher), ESP authenticator, AH key. */
size_t cfg_cipher_key_len(const struct cfg_transform_set *t);
size_t cfg_esp_auth_key_len(enum cfg_esp_auth a);
size_t cfg_ah_key_len(enum cfg_ah a);

/* --- crypto maps -------------------------------------------------------------- */
struct cfg_session_key {
    int present;
    uint32_t spi;                              /* >= 256 */
    uint8_t cipher[CFG_MAX_SESSION_KEY];       /* esp: the cipher key */
    size_t cipher_len;
    uint8_t auth[CFG_MAX_SESSION_KEY];         /* esp: the authenticator; ah: the key */
    size_t auth_len;
    unsigned line;
};

enum cfg_map_type { CFG_MAP_ISAKMP, CFG_MAP_MANUAL };
enum cfg_dir { CFG_IN, CFG_OUT };

struct cfg_crypto_map {
    char tag[CFG_NAME_MAX + 1];
    unsigned seq;                              /* 1-65535 */
    enum cfg_map_type type;
    char description[CFG_DESC_MAX + 1];
    uint32_t peers[CFG_MAX_MAP_PEERS];         /* manual maps: at most one */
    unsigned npeers;
    char tsets[CFG_MAX_MAP_TSETS][CFG_NAME_MAX + 1]; /* manual maps: at most one */
    unsigned ntsets;
    unsigned acl;                              /* match address; 0 when none */
    struct cfg_session_key esp[2], ah[2];      /* [CFG_IN], [CFG_OUT]; manual maps */
    unsigned life_kb, life_sec;                /* 0: the global lifetime (manual maps: none) */
    unsigned pfs;                              /* DH group; 0: no PFS */
    int udp_encap;                             /* xce udp-encapsulation (manual maps) */
    char isakmp_profile[CFG_NAME_MAX + 1];     /* set isakmp-profile; "" when none */
    unsigned line, peer_line, tset_line, acl_line, udp_line, profile_line;
};

/* --- ISAKMP (IKE) ---------------------------------------------------------- */
enum cfg_ike_encr { CFG_IKE_DES, CFG_IKE_3DES, CFG_IKE_AES };
enum cfg_ike_hash { CFG_IKE_SHA, CFG_IKE_MD5, CFG_IKE_SHA256 };
enum cfg_ike_auth { CFG_IKE_RSA_SIG, CFG_IKE_RSA_ENCR, CFG_IKE_PRE_SHARE };

struct cfg_isakmp_policy {
    unsigned priority;                 /* 1-10000 */
    enum cfg_ike_encr encr;            /* default des */
    unsigned aes_bits;                 /* with aes: 128, 192, 256 */
    enum cfg_ike_hash hash;            /* default sha */
    enum cfg_ike_auth auth;            /* default rsa-sig */
    unsigned group;                    /* 1, 2, 5, 14, 15, 16; default 1 */
    unsigned lifetime;                 /* 60-86400 seconds; default 86400 */
    unsigned line;
};

/* A pre-shared key: "crypto isakmp key" (global), or "pre-shared-key" in
 * a keyring. The peer is an address with a mask (255.255.255.255: one
 * host; 0.0.0.0 0.0.0.0: any) or a host name. The key is known in clear
 * (key), or sealed: read as type 6 while the master key was not known
 * ("key config-key password-encryption" without its TEXT, as the
 * canonical form writes it): then key is "" and only key6 is there. */
struct cfg_isakmp_key {
    char key[CFG_ISAKMP_KEY_MAX + 1];  /* secret; "" when sealed */
    char key6[CFG_TYPE6_MAX + 1];      /* the type 6 form written; "" when written in clear */
    int sealed;
    int by_hostname;                   /* hostname NAME, else address addr/mask */
    char hostname[CFG_DOMAIN_MAX + 1];
    uint32_t addr, mask;
    int no_xauth;                      /* crypto isakmp key ... no-xauth */
    unsigned line;
};

/* local-address A.B.C.D | INTERFACE (keyrings, profiles) */
struct cfg_local_address {
    int set;
    uint32_t addr;                     /* when ifname is "" */
    char ifname[CFG_IFNAME_MAX + 1];
    unsigned line;
};

struct cfg_keyring {
    char name[CFG_NAME_MAX + 1];
    char description[CFG_DESC_MAX + 1];
    struct cfg_local_address local;
    struct cfg_isakmp_key *keys;       unsigned nkeys;   /* in order of appearance */
    unsigned line;
};

enum cfg_ident_type {
    CFG_IDENT_ADDRESS,      /* match identity address A.B.C.D [MASK] */
    CFG_IDENT_HOST,         /* match identity host NAME */
    CFG_IDENT_HOST_DOMAIN,  /* match identity host domain NAME */
    CFG_IDENT_USER_FQDN,    /* match identity user-fqdn USER@DOMAIN */
    CFG_IDENT_USER_DOMAIN,  /* match identity user-fqdn domain NAME */
};
struct cfg_ident {
    enum cfg_ident_type type;
    uint32_t addr, mask;
    char name[CFG_DOMAIN_MAX + 1];
};

enum cfg_self_id { CFG_SELF_NONE, CFG_SELF_ADDRESS, CFG_SELF_FQDN, CFG_SELF_USER_FQDN };

struct cfg_isakmp_profile {
    char name[CFG_NAME_MAX + 1];
    char description[CFG_DESC_MAX + 1];
    struct cfg_ident idents[CFG_MAX_PROFILE_IDENTS];
    unsigned nidents;
    char keyrings[CFG_MAX_PROFILE_KEYRINGS][CFG_NAME_MAX + 1];
    unsigned nkeyrings;
    char certmaps[CFG_MAX_PROFILE_CERTMAPS][CFG_NAME_MAX + 1];
    unsigned ncertmaps;
    enum cfg_self_id self_id;
    char self_user_fqdn[CFG_DOMAIN_MAX + 1];   /* self-identity user-fqdn */
    unsigned keepalive, keepalive_retry;        /* keepalive SECS retry N; 0: none */
    struct cfg_local_address local;
    unsigned line, keyring_line[CFG_MAX_PROFILE_KEYRINGS];
};

/* crypto map TAG local-address INTERFACE */
struct cfg_map_local {
    char tag[CFG_NAME_MAX + 1];
    char ifname[CFG_IFNAME_MAX + 1];
    unsigned line;
};

enum cfg_identity { CFG_ID_ADDRESS, CFG_ID_HOSTNAME };

/* --- crypto key pubkey-chain rsa ------------------------------------------------ */
enum cfg_key_usage { CFG_USAGE_GENERAL, CFG_USAGE_ENCRYPTION, CFG_USAGE_SIGNATURE };
struct cfg_pubkey {
    int addressed;                      /* addressed-key A.B.C.D, else named-key NAME */
    char name[CFG_DOMAIN_MAX + 1];      /* named-key */
    int has_addr;                       /* addressed-key, or "address" under named-key */
    uint32_t addr;
    enum cfg_key_usage usage;
    uint8_t *der;                       /* key-string: SubjectPublicKeyInfo DER (RSA) */
    size_t der_len;
    unsigned line;
};

/* --- the whole configuration ------------------------------------------------------ */
struct config {
    char version[CFG_VERSION_MAX + 1];         /* "" when none */
    char hostname[CFG_NAME_MAX + 1];           /* "" when none (IOS: "Router") */
    char domain[CFG_DOMAIN_MAX + 1];
    struct cfg_host *hosts;            unsigned nhosts;
    int accelerator;                           /* crypto engine accelerator: default 1 */
    struct cfg_isakmp_policy *policies; unsigned npolicies;  /* by priority */
    struct cfg_isakmp_key *ikeys;      unsigned nikeys;      /* in order of appearance */
    enum cfg_identity identity;
    unsigned dpd_seconds, dpd_retry;           /* crypto isakmp keepalive; 0: none */
    int dpd_periodic;                          /* periodic, else on-demand */
    unsigned nat_keepalive;                    /* crypto isakmp nat keepalive; 0: none */
    unsigned cac_ike_sa, cac_in_nego;          /* crypto call admission limit ike ...; 0: none */
    struct cfg_keyring *keyrings;      unsigned nkeyrings;   /* in order of appearance */
    struct cfg_isakmp_profile *profiles; unsigned nprofiles; /* in order of appearance */
    struct cfg_map_local *map_locals;  unsigned nmap_locals; /* by tag */
    /* key config-key password-encryption [TEXT]: master_key_set; the
     * master key when known ("" otherwise; a secret, never written).
     * password encryption aes: with a master key, pre-shared keys are
     * written as type 6. */
    int master_key_set;
    char master_key[CFG_MASTER_KEY_MAX + 1];
    int password_encryption;
    unsigned sa_life_kb, sa_life_sec, replay_window;
    struct cfg_transform_set *tsets;   unsigned ntsets;
    struct cfg_crypto_map *maps;       unsigned nmaps;       /* by tag, then seq */
    struct cfg_pubkey *pubkeys;        unsigned npubkeys;
    struct cfg_interface *ifs;         unsigned nifs;
    struct cfg_route *routes;          unsigned nroutes;
    struct cfg_ace *aces;              unsigned naces;       /* by list number, then order */
};

/* Parses len bytes of text (need not be NUL-terminated); file names the
 * source in the messages. Returns the configuration, or NULL with
 * "FILE:LINE: message" (or "FILE: message") in err. */
struct config *config_parse(const char *text, size_t len, const char *file, char *err, size_t errlen);
/* The same, with the master key kept outside the configuration (IOS's
 * private NVRAM): it applies when the text says "key config-key
 * password-encryption" without TEXT, as the canonical form does; the
 * type 6 keys are then decrypted instead of sealed. NULL: none. */
struct config *config_parse_master(const char *text, size_t len, const char *file, const char *master_key,
                                   char *err, size_t errlen);
/* Reads and parses a file (at most CFG_MAX_TEXT bytes); the second with
 * a master key as config_parse_master. */
struct config *config_load(const char *path, char *err, size_t errlen);
struct config *config_load_master(const char *path, const char *master_key, char *err, size_t errlen);
/* Wipes the secrets and frees; NULL is fine. */
void config_free(struct config *c);

/* Writes the canonical form (show running-config): full keywords, a fixed
 * order, "!" separators, secrets in clear as IOS writes them, pre-shared
 * keys as type 6 under "password encryption aes" with a master key; the
 * master key itself never. Returns 0, or -1 on a write error. */
int config_write(const struct config *c, FILE *f);

/* 1 when a and b hold the same configuration (line numbers aside; the
 * master key's value aside, as it is not written; pre-shared keys by
 * their clear text where both know it, else by their type 6 text). */
int config_equal(const struct config *a, const struct config *b);

/* Dotted quads: "192.0.2.1" into b (16 bytes), and back (0, or -1 when
 * s is not exactly four numbers 0-255). */
const char *cfg_ip_str(uint32_t a, char *b);
int cfg_parse_ip(const char *s, uint32_t *out);

/* Lookups */
const struct cfg_transform_set *config_find_tset(const struct config *c, const char *name);
const struct cfg_interface *config_find_interface(const struct config *c, const char *name);
int config_acl_defined(const struct config *c, unsigned number);
const struct cfg_keyring *config_find_keyring(const struct config *c, const char *name);
const struct cfg_isakmp_profile *config_find_profile(const struct config *c, const char *name);
/* How a pre-shared key is written and shown: "6 TEXT" or the key */
const char *cfg_psk_text(const struct cfg_isakmp_key *k, char *buf, size_t size);

#endif
