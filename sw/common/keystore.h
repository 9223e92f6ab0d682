/* keystore.h - the persistent RSA key store of xce: the router's own key
 * pairs ("crypto key generate rsa") and the public keys of its peers
 * ("crypto key pubkey-chain rsa"), in one text file.
 *
 * Data and errors only: nothing here prints. Every function that can fail
 * returns 0 on success, or -1 with a one-line reason in err (never any key
 * material). Loading never crashes on any input; a damaged file is
 * rejected as a whole with "keystore PATH line N: REASON".
 *
 * File format (version 1), text, one record per line, fields separated by
 * one space, binary fields in base64 (RFC 4648, padded, no line breaks):
 *
 *   xce-keystore 1
 *   # comment lines start with '#'
 *   encrypt pbes2-aes-256-cbc
 *   rsa-keypair LABEL USAGE BITS EXPORT CREATED PUBLIC PRIVFORM PRIVATE
 *   rsa-pubkey KIND NAME USAGE SOURCE PUBLIC
 *   end
 *
 *   encrypt    present (before the key pairs) when "key config-key
 *              password-encrypt" is on: every private key is then an
 *              encrypted PKCS#8 (PBES2: PBKDF2 with HMAC-SHA256, 100000
 *              iterations, AES-256-CBC) under the config key, which comes
 *              from $XCE_CONFIG_KEY and is never written anywhere; without
 *              it every private key is in clear
 *   LABEL      key pair name (printable ASCII, no blanks, 1..KS_NAME_MAX)
 *   USAGE      general | signature | encryption
 *   BITS       modulus size, KS_MIN_BITS..KS_MAX_BITS
 *   EXPORT     exportable | non-exportable
 *   CREATED    generation time, seconds since 1970-01-01 UTC
 *   PUBLIC     DER SubjectPublicKeyInfo of an RSA key
 *   PRIVFORM   clear (PRIVATE is a PKCS#8 PrivateKeyInfo) | encrypted
 *              (PRIVATE is a PKCS#8 EncryptedPrivateKeyInfo)
 *   KIND       named | addressed (NAME is then a dotted IPv4 address)
 *   SOURCE     manual | certificate
 *   end        the last line: a file cut short anywhere is noticed
 *
 * The file is replaced as a whole (temporary file in the same directory,
 * fsync, rename, fsync of the directory), mode 0600 in a 0700 directory.
 * Writers take an exclusive lock (ks_lock) around load-modify-save. */
#ifndef XCE_KEYSTORE_H
#define XCE_KEYSTORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/types.h>

#define KS_VERSION 1
#define KS_NAME_MAX 128             /* labels and named-key names */
#define KS_MIN_BITS 360             /* key pairs: the IOS range */
#define KS_MAX_BITS 4096
#define KS_PEER_MIN_BITS 360        /* public keys of peers */
#define KS_PEER_MAX_BITS 16384
#define KS_FILE_MAX (16u << 20)     /* a larger file is refused */
#define KS_LINE_MAX 65536
#define KS_CONFIG_KEY_ENV "XCE_CONFIG_KEY"
#define KS_CONFIG_KEY_MIN 8         /* characters */

enum ks_usage { KS_GENERAL = 0, KS_SIGNATURE, KS_ENCRYPTION };
enum ks_kind { KS_NAMED = 0, KS_ADDRESSED };
enum ks_source { KS_MANUAL = 0, KS_CERTIFICATE };

/* One of the router's own key pairs. A label names either one general
 * purpose pair or a signature and an encryption pair (usage-keys). */
struct ks_keypair {
    char label[KS_NAME_MAX + 1];
    enum ks_usage usage;
    unsigned bits;
    int exportable;
    int64_t created;                /* UTC, seconds since the epoch */
    uint8_t *pub;                   /* DER SubjectPublicKeyInfo */
    size_t pub_len;
    uint8_t *priv;                  /* DER PKCS#8, clear or encrypted (secret) */
    size_t priv_len;
    int priv_encrypted;
};

/* A peer's public key ("named-key NAME" / "addressed-key A.B.C.D"). */
struct ks_peer {
    enum ks_kind kind;
    char name[KS_NAME_MAX + 1];     /* KS_ADDRESSED: canonical dotted quad */
    enum ks_usage usage;
    enum ks_source source;
    unsigned bits;
    uint8_t *pub;                   /* DER SubjectPublicKeyInfo */
    size_t pub_len;
};

struct keystore {
    int encrypt;                    /* private keys encrypted under the config key */
    struct ks_keypair *keys;
    size_t nkeys;
    struct ks_peer *peers;
    size_t npeers;
};

void ks_init(struct keystore *ks);
/* Wipes every private key and frees everything; ks is empty afterwards. */
void ks_free(struct keystore *ks);

/* Where the store lives: override (--keystore) if set, else
 * $XCE_KEYSTORE, else $XDG_DATA_HOME/xce/keystore, else
 * $HOME/.local/share/xce/keystore. */
int ks_path(const char *override, char *buf, size_t len, char *err, size_t errlen);

/* Parse a store's text (len bytes, need not be NUL-terminated); path only
 * names it in errors. On failure ks is left empty. */
int ks_parse(struct keystore *ks, const char *text, size_t len, const char *path, char *err, size_t errlen);
/* Read and parse the file at path; a file that does not exist is an empty
 * store. */
int ks_load(struct keystore *ks, const char *path, char *err, size_t errlen);
/* The text of ks, NUL-terminated; *size is the size of the buffer, for
 * ks_secret_free(*text, *size) (the text holds the private keys). */
int ks_format(const struct keystore *ks, char **text, size_t *size);
/* Replace the file at path with ks, crash-safe. The old file is replaced by
 * rename: its contents are gone from the directory, but as with any file
 * system its blocks may persist on the disk until they are reused. */
int ks_save(const struct keystore *ks, const char *path, char *err, size_t errlen);
/* Exclusive advisory lock on PATH.lock (creates the directory, 0700).
 * Returns the descriptor to pass to ks_unlock, or -1. */
int ks_lock(const char *path, char *err, size_t errlen);
void ks_unlock(int fd);

/* Wipe n bytes at p, then free p. */
void ks_secret_free(void *p, size_t n);

/* 1 if s may be a label or a named-key name. */
int ks_valid_name(const char *s);
/* Strict dotted-quad IPv4 (no leading zeros); writes the canonical form
 * (at most 16 bytes with the NUL) to out. 0 or -1. */
int ks_parse_ipv4(const char *s, char out[16]);
/* "general", "signature", "encryption" */
const char *ks_usage_word(enum ks_usage u);

/* --- the router's key pairs --- */
struct ks_keypair *ks_find(const struct keystore *ks, const char *label, enum ks_usage usage);
/* How many pairs carry label. */
size_t ks_count_label(const struct keystore *ks, const char *label);
/* Remove (and wipe) the pairs named label, or every pair when label is
 * NULL. Returns how many were removed. */
size_t ks_remove_label(struct keystore *ks, const char *label);
/* Add pkey (an RSA private key) as label/usage. The private key is stored
 * as PKCS#8, encrypted under config_key when ks->encrypt is on (then
 * config_key is required). Fails if label/usage exists. */
int ks_add_pkey(struct keystore *ks, const char *label, enum ks_usage usage, int exportable, time_t created,
                const EVP_PKEY *pkey, const char *config_key, char *err, size_t errlen);
/* The private key of kp as a clear DER PKCS#8 PrivateKeyInfo, decrypted
 * with config_key when it is stored encrypted - what libxce's
 * xce_rsa_key_parse(*der, *len, NULL, &key) takes. Release *der with
 * ks_secret_free(*der, *len). */
int ks_private_der(const struct ks_keypair *kp, const char *config_key, uint8_t **der, size_t *len, char *err,
                   size_t errlen);

/* --- the config key (private keys encrypted at rest) --- */
/* $XCE_CONFIG_KEY, or NULL when unset or empty. */
const char *ks_config_key(void);
/* 0 if config_key decrypts the store's encrypted private keys (or there
 * are none); -1 with the reason (missing, or wrong) otherwise. */
int ks_check_config_key(const struct keystore *ks, const char *config_key, char *err, size_t errlen);
/* Encrypt every private key under new_key and turn ks->encrypt on. Keys
 * already encrypted are decrypted with old_key (NULL: new_key) first, so
 * this also changes the config key. All or nothing: on failure ks is
 * unchanged. */
int ks_encrypt_all(struct keystore *ks, const char *new_key, const char *old_key, char *err, size_t errlen);
/* Decrypt every private key with key and turn ks->encrypt off. All or
 * nothing. */
int ks_decrypt_all(struct keystore *ks, const char *key, char *err, size_t errlen);

/* --- the peers' public keys --- */
/* der is an RSA public key as DER SubjectPublicKeyInfo or PKCS#1
 * RSAPublicKey (nothing may follow it); gives its SubjectPublicKeyInfo
 * (free with OPENSSL_free) and its size, which must lie in
 * KS_PEER_MIN_BITS..KS_PEER_MAX_BITS. */
int ks_rsa_public(const uint8_t *der, size_t len, uint8_t **spki, size_t *spki_len, unsigned *bits, char *err,
                  size_t errlen);
struct ks_peer *ks_find_peer(const struct keystore *ks, enum ks_kind kind, const char *name, enum ks_usage usage);
/* Add or replace kind/name/usage with the public key der (as ks_rsa_public
 * takes it). */
int ks_set_peer(struct keystore *ks, enum ks_kind kind, const char *name, enum ks_usage usage, enum ks_source source,
                const uint8_t *der, size_t len, char *err, size_t errlen);
/* Remove kind/name with this usage, or with any usage when usage < 0.
 * Returns how many were removed. */
size_t ks_remove_peer(struct keystore *ks, enum ks_kind kind, const char *name, int usage);

#endif
