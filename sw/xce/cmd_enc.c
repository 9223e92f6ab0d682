/* cmd_enc.c - "xce enc": openssl enc on the engine (AES ECB/CBC/CTR, DES
 * and 3DES ECB/CBC). The options, the key
 * derivation, the "Salted__" header, PKCS#7 padding and base64 match
 * openssl 3.0 byte for byte; the cipher runs through libxce, so offload,
 * fallback and counters hold. Input is streamed in 64 KiB chunks, the
 * IV carried from one to the next with xce_iv_advance(); on decryption
 * the last block is held back until the end for the padding check. */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "cli.h"
#include "enc.h"

#define ENC_CHUNK (64u * 1024u)   /* a multiple of every block size */
#define MAX_BLOCK 16u

struct stream {
    xce_session *session;
    const struct cipher_desc *c;
    int decrypt, pad;
    uint8_t iv[16];
    uint8_t *in, *out;        /* ENC_CHUNK + MAX_BLOCK bytes each */
};

struct enc_job {
    struct enc_opts o;
    struct enc_keys k;
    char *pass;
    struct source src;
    struct sink snk;
    int src_open, snk_open;
    uint64_t header_len;      /* "Salted__" + salt read before the data */
    struct stream st;
};

static int block_mode(const struct cipher_desc *c)
{
    return c->mode != XCE_MODE_CTR;
}

/* What can be said about the options before anything is opened. */
static int check_opts(const struct cli *cli, const struct enc_opts *o)
{
    if (!o->cipher) {
        fprintf(stderr, "xce enc: no cipher given; supported: ");
        cipher_print_names(stderr);
        fputc('\n', stderr);
        return -1;
    }
    int reads_header = o->decrypt && (o->k_pass || o->pass_arg) && !o->nosalt && !o->hex_salt;
    if (cli->exec_mode && !o->in_path && (o->print != PRINT_ONLY || reads_header)) {
        fprintf(stderr, "xce enc: give the input with -in FILE in exec mode (stdin carries the commands)\n");
        return -1;
    }
    if (!o->hex_key && !o->k_pass && !o->pass_arg) {
        fprintf(stderr, "xce enc: no key: give -K HEX (and -iv HEX) or a password with -k or -pass\n");
        return -1;
    }
    if (o->hex_key && !o->k_pass && !o->pass_arg && o->cipher->mode != XCE_MODE_ECB && !o->hex_iv) {
        fprintf(stderr, "xce enc: -iv is required with -K for %s (%zu bytes, %zu hex digits)\n", o->cipher->name,
                o->cipher->iv_len, 2 * o->cipher->iv_len);
        return -1;
    }
    if (o->oneline && !o->base64) {
        fprintf(stderr, "xce enc: -A only applies to base64 (-a)\n");
        return -1;
    }
    return 0;
}

static void nopad_error(const struct enc_opts *o, unsigned long long len)
{
    fprintf(stderr, "xce enc: -nopad: the input is %llu bytes, not a multiple of the %zu-byte block of %s\n", len,
            o->cipher->block, o->cipher->name);
}

/* A regular input file of the wrong length fails before any output. */
static int nopad_precheck(struct enc_job *j)
{
    long long size = source_size(&j->src);
    if (!j->o.nopad || !block_mode(j->o.cipher) || size < 0)
        return 0;
    int header = j->o.decrypt && j->pass && !j->o.nosalt && !j->o.hex_salt;
    if (header && size >= (long long)(ENC_MAGIC_LEN + ENC_SALT_LEN))
        size -= ENC_MAGIC_LEN + ENC_SALT_LEN;
    if (size % (long long)j->o.cipher->block == 0)
        return 0;
    nopad_error(&j->o, (unsigned long long)size);
    return -1;
}

/* Decryption with a password: "Salted__" and the salt open the input. */
static int read_salt_header(struct enc_job *j)
{
    uint8_t hdr[ENC_MAGIC_LEN + ENC_SALT_LEN];
    long n = source_read(&j->src, hdr, sizeof hdr);
    if (n < 0)
        return -1;
    if ((size_t)n < sizeof hdr) {
        fprintf(stderr, "error reading input file\n");
        return -1;
    }
    if (memcmp(hdr, ENC_MAGIC, ENC_MAGIC_LEN) != 0) {
        fprintf(stderr, "bad magic number\n");
        return -1;
    }
    memcpy(j->k.salt, hdr + ENC_MAGIC_LEN, ENC_SALT_LEN);
    j->header_len = sizeof hdr;
    return 0;
}

/* Salt and key derivation as openssl enc does them; -K/-iv win. */
static int setup_keys(struct enc_job *j)
{
    if (!j->pass) {
        enc_apply_hex(&j->o, &j->k);
        return 0;
    }
    if (!j->o.nosalt) {
        j->k.salted = 1;
        if (!j->k.have_opt_salt) {
            if (j->o.decrypt && read_salt_header(j) != 0)
                return -1;
            if (!j->o.decrypt && RAND_bytes(j->k.salt, ENC_SALT_LEN) != 1) {
                fprintf(stderr, "xce enc: cannot generate a random salt\n");
                return -1;
            }
        }
    }
    return enc_derive(&j->o, j->pass, &j->k);
}

/* Output, the salt header (unless -S gave the salt) and the -p lines, in
 * the order openssl writes them. */
static int open_output(struct enc_job *j)
{
    const struct enc_opts *o = &j->o;
    if (sink_open(&j->snk, o->out_path, o->base64 && !o->decrypt, o->oneline) != 0)
        return -1;
    j->snk_open = 1;
    if (!o->decrypt && j->k.salted && !j->k.have_opt_salt &&
        (sink_write(&j->snk, (const uint8_t *)ENC_MAGIC, ENC_MAGIC_LEN) != 0 ||
         sink_write(&j->snk, j->k.salt, ENC_SALT_LEN) != 0))
        return -1;
    if (o->print == PRINT_AND_RUN)
        enc_print_keys(o, &j->k);
    return 0;
}

/* Run len bytes of st->in through the engine into st->out and carry the
 * IV forward for the next chunk. */
static int cipher_chunk(struct stream *st, size_t len)
{
    int r = xce_cipher(st->session, st->iv, st->in, st->out, len);
    if (r != XCE_OK) {
        fprintf(stderr, "xce enc: %s %s failed: %s\n", st->c->name, st->decrypt ? "decryption" : "encryption",
                xce_strerror(r));
        return -1;
    }
    xce_iv_advance(st->session, st->iv, st->in, st->out, len);
    return 0;
}

/* Append PKCS#7 padding after n bytes; returns the padded length. */
static size_t add_padding(uint8_t *buf, size_t n, size_t block)
{
    size_t padlen = block - n % block;
    memset(buf + n, (int)padlen, padlen);
    return n + padlen;
}

/* Length of the PKCS#7 padding ending the len bytes at p, or 0 if it is
 * malformed (checked without branching on the plaintext). */
static size_t padding_length(const uint8_t *p, size_t len, size_t block)
{
    unsigned pad = p[len - 1], bad = (pad == 0) | (pad > block);
    for (unsigned i = 0; i < block; i++) {
        unsigned in_pad = i < pad;
        bad |= in_pad & (p[len - 1 - i] != pad);
    }
    return bad ? 0 : pad;
}

/* Encryption in any mode, and decryption without padding: every chunk
 * goes out as it comes; the last one is padded (encryption, ECB/CBC). */
static int stream_through(struct enc_job *j)
{
    struct stream *st = &j->st;
    for (;;) {
        long n = source_read(&j->src, st->in, ENC_CHUNK);
        if (n < 0)
            return -1;
        size_t len = (size_t)n;
        int last = len < ENC_CHUNK;
        if (last && block_mode(st->c)) {
            if (st->pad)
                len = add_padding(st->in, len, st->c->block);
            else if (len % st->c->block) {
                nopad_error(&j->o, (unsigned long long)(j->src.total - j->header_len));
                return -1;
            }
        }
        if (len && (cipher_chunk(st, len) != 0 || sink_write(&j->snk, st->out, len) != 0))
            return -1;
        if (last)
            return 0;
    }
}

/* Decryption with padding (ECB/CBC): the final block stays in the buffer
 * until the input ends, then its padding is checked and removed. */
static int stream_unpad(struct enc_job *j)
{
    struct stream *st = &j->st;
    size_t have = 0, block = st->c->block;
    for (;;) {
        long n = source_read(&j->src, st->in + have, ENC_CHUNK - have);
        if (n < 0)
            return -1;
        int last = (size_t)n < ENC_CHUNK - have;
        have += (size_t)n;
        if (last)
            break;
        size_t len = ENC_CHUNK - block;
        if (cipher_chunk(st, len) != 0 || sink_write(&j->snk, st->out, len) != 0)
            return -1;
        memmove(st->in, st->in + len, block);
        have = block;
    }
    if (have == 0 || have % block) {
        fprintf(stderr, "bad decrypt\n");
        return -1;
    }
    if (cipher_chunk(st, have) != 0)
        return -1;
    size_t pad = padding_length(st->out, have, block);
    if (!pad) {
        fprintf(stderr, "bad decrypt\n");
        return -1;
    }
    return sink_write(&j->snk, st->out, have - pad);
}

static int start_stream(struct cli *cli, struct enc_job *j)
{
    xce_dev *dev = cli_device(cli);
    if (!dev)
        return -1;
    struct stream *st = &j->st;
    st->c = j->o.cipher;
    st->decrypt = j->o.decrypt;
    st->pad = !j->o.nopad && block_mode(st->c);
    memcpy(st->iv, j->k.iv, sizeof st->iv);
    struct xce_cipher_params p = { st->c->alg, st->c->mode, j->k.key, st->c->key_len, st->decrypt };
    int r = xce_session_create(dev, &p, &st->session);
    if (r != XCE_OK) {
        fprintf(stderr, "xce enc: cannot set up %s on device '%s': %s\n", st->c->name, cli_device_name(cli),
                xce_strerror(r));
        return -1;
    }
    st->in = malloc(ENC_CHUNK + MAX_BLOCK);
    st->out = malloc(ENC_CHUNK + MAX_BLOCK);
    if (!st->in || !st->out) {
        fprintf(stderr, "xce enc: out of memory\n");
        return -1;
    }
    return 0;
}

static int run(struct cli *cli, struct enc_job *j)
{
    if (check_opts(cli, &j->o) != 0 || enc_load_hex(&j->o, &j->k) != 0 || enc_password(&j->o, &j->pass) != 0)
        return -1;
    if (source_open(&j->src, j->o.in_path, j->o.base64 && j->o.decrypt) != 0)
        return -1;
    j->src_open = 1;
    if (nopad_precheck(j) != 0 || setup_keys(j) != 0)
        return -1;
    if (j->o.print == PRINT_ONLY) {
        enc_print_keys(&j->o, &j->k);
        return 0;
    }
    if (start_stream(cli, j) != 0 || open_output(j) != 0)
        return -1;
    int r = j->st.pad && j->st.decrypt ? stream_unpad(j) : stream_through(j);
    if (r != 0)
        return -1;
    j->snk_open = 0;
    return sink_commit(&j->snk);
}

static void job_free(struct enc_job *j)
{
    if (j->snk_open)
        sink_abort(&j->snk);
    if (j->src_open)
        source_close(&j->src);
    xce_session_destroy(j->st.session);
    if (j->st.in)
        OPENSSL_cleanse(j->st.in, ENC_CHUNK + MAX_BLOCK);
    if (j->st.out)
        OPENSSL_cleanse(j->st.out, ENC_CHUNK + MAX_BLOCK);
    free(j->st.in);
    free(j->st.out);
    OPENSSL_cleanse(j->st.iv, sizeof j->st.iv);
    pass_free(j->pass);
    enc_keys_wipe(&j->k);
}

int cmd_enc(struct cli *cli, int argc, char **argv)
{
    struct enc_job j;
    memset(&j, 0, sizeof j);
    if (enc_parse_args(argc, argv, &j.o) != 0) {
        enc_wipe_args(&j.o);
        return 1;
    }
    if (j.o.help) {
        help_enc(stdout);
        return 0;
    }
    int r = run(cli, &j);
    job_free(&j);
    enc_wipe_args(&j.o);
    return r == 0 ? 0 : 1;
}
