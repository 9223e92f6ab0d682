/* enc.h - the parts of "xce enc": options (enc_opts.c), key material and
 * its derivation (enc_key.c), input and output streams (enc_io.c); the
 * command itself and the streaming cipher loop are in cmd_enc.c. */
#ifndef XCE_ENC_H
#define XCE_ENC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "b64.h"
#include "ciphers.h"
#include "pass.h"

#define ENC_SALT_LEN 8
#define ENC_MAGIC "Salted__"
#define ENC_MAGIC_LEN 8

enum enc_print { PRINT_NONE = 0, PRINT_AND_RUN, PRINT_ONLY };   /* -p, -P */

/* The command line of "xce enc", as given (pointers into argv). */
struct enc_opts {
    const struct cipher_desc *cipher;
    int decrypt;
    char *hex_key;                             /* -K (wiped after use) */
    const char *hex_iv, *hex_salt;             /* -iv, -S */
    const char *in_path, *out_path;            /* NULL: stdin, stdout */
    int nopad;
    int base64, oneline;                       /* -a, -A */
    enum enc_print print;
    char *k_pass;                              /* -k PASS (wiped after use) */
    char *pass_arg;                            /* -pass pass:|env:|file: (wiped) */
    int pbkdf2;
    int iter;                                  /* -iter (0: not given) */
    const char *md;                            /* -md (NULL: sha256) */
    int nosalt;
    int help;
};

/* Parse argv; 0 or -1 after printing the error. */
int enc_parse_args(int argc, char **argv, struct enc_opts *o);
/* Overwrite the key and password arguments in place. */
void enc_wipe_args(struct enc_opts *o);

/* Key, IV and salt of one run. Wiped by enc_keys_wipe(). */
struct enc_keys {
    uint8_t key[32], iv[16], salt[ENC_SALT_LEN];
    uint8_t opt_key[32], opt_iv[16];   /* from -K, -iv */
    int have_opt_key, have_opt_iv, have_opt_salt;
    int salted;                         /* a salt takes part in the derivation */
};

/* -K, -iv, -S: strict hex of exactly the right length. 0 or -1. */
int enc_load_hex(const struct enc_opts *o, struct enc_keys *k);
/* -k / -pass: the password in a fresh buffer (free with pass_free).
 * Returns 0 (*pass NULL when none was given) or -1. */
int enc_password(const struct enc_opts *o, char **pass);
/* Derive key and IV from pass (EVP_BytesToKey or PBKDF2, like openssl
 * enc), then let -K / -iv override them. 0 or -1. */
int enc_derive(const struct enc_opts *o, const char *pass, struct enc_keys *k);
/* Only -K / -iv. */
void enc_apply_hex(const struct enc_opts *o, struct enc_keys *k);
/* The salt=, key=, iv = lines of -p / -P, on stdout. */
void enc_print_keys(const struct enc_opts *o, const struct enc_keys *k);
void enc_keys_wipe(struct enc_keys *k);

/* Input: a file or stdin, optionally base64-decoded on the way in. */
struct source {
    FILE *fp;
    const char *name;       /* for messages */
    int owned;              /* fclose at the end */
    int base64;
    struct b64_decoder dec;
    uint8_t dbuf[3 * 1024 + 3];   /* decoded, not yet returned */
    size_t dpos, dlen;
    int eof;
    uint64_t total;         /* bytes returned so far */
};
int source_open(struct source *s, const char *path, int base64);
/* Up to n bytes; fewer only at the end of the input. -1 after an error
 * (printed). */
long source_read(struct source *s, uint8_t *buf, size_t n);
/* Size of a plain regular file input, or -1 when unknown. */
long long source_size(const struct source *s);
void source_close(struct source *s);

/* Output: stdout or a file, optionally base64-encoded on the way out. A
 * file is written under a temporary name and renamed into place by
 * sink_commit(), so a failed run leaves no output file behind. */
struct sink {
    FILE *fp;
    const char *path;       /* NULL: stdout */
    char *tmp_path;         /* where a file is being written */
    int base64, oneline;
    uint8_t pend[B64_LINE_BYTES];
    size_t npend;
};
int sink_open(struct sink *s, const char *path, int base64, int oneline);
int sink_write(struct sink *s, const uint8_t *p, size_t n);
int sink_commit(struct sink *s);
void sink_abort(struct sink *s);

#endif
