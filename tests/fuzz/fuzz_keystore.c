/* fuzz_keystore.c - libFuzzer target for the key store parser
 * (sw/common/keystore.c), which reads a file that may have been damaged or
 * tampered with. Properties:
 *   - a rejected input leaves the store empty and says why, with
 *     "keystore NAME line N: ..." (or "keystore NAME: ...");
 *   - an accepted input formats to text that parses again, to the same
 *     store (formatting that again gives the same text);
 *   - the lookups and edits work on whatever was accepted;
 *   - the public-key parser of key-string data (SPKI or PKCS#1 DER) and
 *     the name/address checks take the raw bytes without a crash.
 * Build: clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE
 *        -Isw/common tests/fuzz/fuzz_keystore.c sw/common/keystore.c sw/common/b64.c -lcrypto */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "keystore.h"

static void check_empty(const struct keystore *ks)
{
    if (ks->nkeys || ks->npeers || ks->keys || ks->peers || ks->encrypt)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    struct keystore ks;

    /* the raw bytes as key-string data */
    uint8_t *spki;
    size_t spki_len;
    unsigned bits;
    err[0] = '\0';
    if (ks_rsa_public(data, size, &spki, &spki_len, &bits, err, sizeof err) == 0) {
        if (!spki || !spki_len || bits < KS_PEER_MIN_BITS || bits > KS_PEER_MAX_BITS)
            abort();
        OPENSSL_free(spki);
    } else if (!err[0]) {
        abort();
    }

    /* the raw bytes as a name and an address */
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    char ip[16];
    (void)ks_valid_name(s);
    if (ks_parse_ipv4(s, ip) == 0 && (strlen(ip) > 15 || ks_parse_ipv4(ip, ip) != 0))
        abort();
    free(s);

    /* the raw bytes as a store */
    err[0] = '\0';
    if (ks_parse(&ks, (const char *)data, size, "fuzz", err, sizeof err) != 0) {
        check_empty(&ks);
        if (strncmp(err, "keystore fuzz", 13) != 0)
            abort();
        return 0;
    }
    char *text1, *text2;
    size_t cap1, cap2;
    if (ks_format(&ks, &text1, &cap1) != 0)
        abort();
    struct keystore again;
    if (ks_parse(&again, text1, strlen(text1), "fuzz-again", err, sizeof err) != 0)
        abort();   /* what we write, we must read */
    if (again.nkeys != ks.nkeys || again.npeers != ks.npeers || again.encrypt != ks.encrypt)
        abort();
    if (ks_format(&again, &text2, &cap2) != 0 || strcmp(text1, text2) != 0)
        abort();
    ks_secret_free(text1, cap1);
    ks_secret_free(text2, cap2);
    ks_free(&again);

    /* lookups and edits on what was accepted */
    for (size_t i = 0; i < ks.nkeys; i++) {
        const struct ks_keypair *kp = &ks.keys[i];
        if (ks_find(&ks, kp->label, kp->usage) != kp || ks_count_label(&ks, kp->label) == 0)
            abort();
        if (!kp->priv_encrypted) {
            uint8_t *der;
            size_t len;
            if (ks_private_der(kp, NULL, &der, &len, err, sizeof err) != 0)
                abort();
            ks_secret_free(der, len);
        }
    }
    for (size_t i = 0; i < ks.npeers; i++) {
        const struct ks_peer *pe = &ks.peers[i];
        if (ks_find_peer(&ks, pe->kind, pe->name, pe->usage) != pe)
            abort();
    }
    if (ks.npeers) {
        char name[KS_NAME_MAX + 1];
        enum ks_kind kind = ks.peers[0].kind;
        memcpy(name, ks.peers[0].name, sizeof name);
        if (ks_remove_peer(&ks, kind, name, -1) == 0)
            abort();
    }
    if (ks.nkeys) {
        char label[KS_NAME_MAX + 1];
        memcpy(label, ks.keys[0].label, sizeof label);
        if (ks_remove_label(&ks, label) == 0 || ks_count_label(&ks, label) != 0)
            abort();
    }
    ks_free(&ks);
    check_empty(&ks);
    return 0;
}
