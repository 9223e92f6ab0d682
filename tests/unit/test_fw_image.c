/* test_fw_image.c - the driver's PKA firmware image parser (fw_image.c)
 * against the real image (build/firmware/xce-pka.fw, the assembler's output) and
 * every way of spoiling it: each header byte, each entry byte, instruction
 * words, the digest, every truncation, a byte too many, counts so large the
 * length would overflow, and each instruction rule.
 *
 * A change the digest alone would catch says nothing about the check of
 * the field itself, so the field-level cases recompute the SHA-512 after
 * tampering (reseal) and require the reason to name the field; the digest
 * has cases of its own without resealing. */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fw_image.h"

#define DEFAULT_IMAGE "build/firmware/xce-pka.fw"

static uint8_t orig[XCE_FW_MAX_LEN + 1];
static size_t orig_len;
static uint8_t buf[XCE_FW_MAX_LEN + 64];   /* the tampered copy, with room to grow */
static struct xce_fw fw;                   /* the original, parsed */
static size_t off_entries, off_words, off_digest;

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* start over from the real image */
static void fresh(void)
{
    memcpy(buf, orig, orig_len);
}

/* recompute the SHA-512 trailer of a len-byte image, so only the field
 * validation can reject what was changed */
static void reseal(size_t len)
{
    unsigned n = 0;
    if (len >= XCE_FW_DIGEST_LEN)
        EVP_Digest(buf, len - XCE_FW_DIGEST_LEN, buf + len - XCE_FW_DIGEST_LEN, &n, EVP_sha512(), NULL);
}

/* parse buf; the reason, or NULL if it was accepted */
static const char *why_rejected(size_t len)
{
    struct xce_fw out;
    const char *why = NULL;
    if (xce_fw_parse(buf, len, &out, &why) == 0)
        return NULL;
    return why ? why : "(no reason given)";
}

/* one TAP line: buf (len bytes) is rejected with a reason containing want */
static void expect_reject(size_t len, const char *want, const char *what)
{
    const char *why = why_rejected(len);
    CHECK(why && strstr(why, want), "%s: rejected, \"%s\"", what, why ? why : "ACCEPTED");
    if (why && !strstr(why, want))
        printf("#   expected the reason to contain \"%s\"\n", want);
}

static void expect_accept(size_t len, const char *what)
{
    const char *why = why_rejected(len);
    CHECK(!why, "%s: accepted%s%s", what, why ? ", but rejected: " : "", why ? why : "");
}

static int load(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    orig_len = fread(orig, 1, sizeof orig, f);
    int ok = !ferror(f) && orig_len < sizeof orig;   /* the whole file, and no bigger than an image can be */
    fclose(f);
    return ok;
}

static void real_image(const char *path)
{
    const char *why = NULL;
    CHECK(xce_fw_parse(orig, orig_len, &fw, &why) == 0, "%s (%zu bytes) parses%s%s", path, orig_len,
          why ? ": " : "", why ? why : "");
    CHECK(fw.version == (1u << 16 | 0), "firmware version 1.0 (0x%08x)", (unsigned)fw.version);
    int modexp = xce_fw_entry(&fw, "modexp"), modmul = xce_fw_entry(&fw, "modmul");
    CHECK(modexp == 0, "entry modexp at address 0 (%d)", modexp);
    CHECK(modmul > 0 && (uint32_t)modmul < fw.nwords, "entry modmul at %d, inside the %u-word program", modmul,
          (unsigned)fw.nwords);
    CHECK(fw.nentries == 2, "two entries (%u)", (unsigned)fw.nentries);
    CHECK(xce_fw_entry(&fw, "modexpx") == -1 && xce_fw_entry(&fw, "") == -1 && xce_fw_entry(&fw, "MODEXP") == -1 &&
              xce_fw_entry(&fw, NULL) == -1,
          "no entry for other names (modexpx, empty, MODEXP, NULL)");
    CHECK(orig_len == XCE_FW_IMAGE_LEN(fw.nentries, fw.nwords), "length is 32 + 16*%u + 4*%u + 64",
          (unsigned)fw.nentries, (unsigned)fw.nwords);
    off_entries = XCE_FW_HDR_LEN;
    off_words = off_entries + (size_t)XCE_FW_ENTRY_LEN * fw.nentries;
    off_digest = off_words + 4 * (size_t)fw.nwords;
    int same = 1;
    for (uint32_t i = 0; i < fw.nwords; i++)
        same &= fw.words[i] == get32(orig + off_words + 4 * i);
    CHECK(same, "the %u instruction words are the file's, in order", (unsigned)fw.nwords);
}

/* ---- header --------------------------------------------------------------- */

static const char *header_field(size_t i)
{
    return i < 8 ? "magic" : i < 10 ? "format version" : i < 12 ? "header length" : i < 16 ? "firmware version"
         : i < 20 ? "nwords" : i < 24 ? "nentries" : "reserved";
}

/* the reason a resealed image with this header must be refused for */
static const char *header_reason(size_t i)
{
    if (i < 8)
        return "bad magic";
    if (i < 10)
        return "format version";
    if (i < 12)
        return "header length";
    if (i >= 24)
        return "reserved";
    uint32_t v = get32(buf + (i < 20 ? 16 : 20)), max = i < 20 ? XCE_PKA_UCODE_WORDS : XCE_FW_MAX_ENTRIES;
    if (v < 1 || v > max)
        return i < 20 ? "bad word count" : "bad entry count";
    /* a count still in range: the image no longer has the announced length */
    size_t want = i < 20 ? XCE_FW_IMAGE_LEN(fw.nentries, v) : XCE_FW_IMAGE_LEN(v, fw.nwords);
    return want > orig_len ? "truncated" : "trailing bytes";
}

static void header_bytes(void)
{
    static const uint8_t flips[] = { 0x01, 0xff };
    for (size_t i = 0; i < XCE_FW_HDR_LEN; i++) {
        for (size_t f = 0; f < sizeof flips; f++) {
            fresh();
            buf[i] ^= flips[f];
            reseal(orig_len);
            char what[96];
            snprintf(what, sizeof what, "header byte %zu (%s) ^0x%02x, digest recomputed", i, header_field(i),
                     flips[f]);
            if (i >= 12 && i < 16 && get32(buf + 12) == 0) {
                expect_reject(orig_len, "firmware version 0", what);
            } else if (i >= 12 && i < 16) {
                /* any version but 0 is a valid version: the digest is what protects it */
                const char *why = why_rejected(orig_len);
                struct xce_fw out;
                CHECK(!why && xce_fw_parse(buf, orig_len, &out, NULL) == 0 && out.version == get32(buf + 12),
                      "%s: accepted as version 0x%08x (read from the right bytes)", what, (unsigned)get32(buf + 12));
                fresh();
                buf[i] ^= flips[f];
                snprintf(what, sizeof what, "header byte %zu (%s) ^0x%02x, digest not recomputed", i,
                         header_field(i), flips[f]);
                expect_reject(orig_len, "digest mismatch", what);
            } else {
                expect_reject(orig_len, header_reason(i), what);
            }
        }
    }
    fresh();
    put32(buf + 12, 0);
    reseal(orig_len);
    expect_reject(orig_len, "firmware version 0", "firmware version 0 (\"none loaded\"), digest recomputed");
}

/* counts so large that 16*k or 4*n would wrap a 32-bit (or, added up, any)
 * length: the range check must come before any arithmetic */
static void huge_counts(void)
{
    static const uint32_t words[] = { 0, 257, 0x40000000u, 0x40000001u, 0x80000000u, 0xfffffff0u, 0xffffffffu };
    static const uint32_t entries[] = { 0, 17, 0x10000000u, 0x10000001u, 0x80000000u, 0xffffffffu };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        fresh();
        put32(buf + 16, words[i]);
        reseal(orig_len);
        char what[64];
        snprintf(what, sizeof what, "nwords = 0x%08x", (unsigned)words[i]);
        expect_reject(orig_len, "bad word count", what);
    }
    for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++) {
        fresh();
        put32(buf + 20, entries[i]);
        reseal(orig_len);
        char what[64];
        snprintf(what, sizeof what, "nentries = 0x%08x", (unsigned)entries[i]);
        expect_reject(orig_len, "bad entry count", what);
    }
}

/* ---- length --------------------------------------------------------------- */

static void lengths(void)
{
    unsigned bad = 0;
    for (size_t len = 0; len < orig_len; len++) {
        fresh();
        const char *why = why_rejected(len);
        if (!why || !strstr(why, "truncated")) {
            bad++;
            CHECK(0, "image cut to %zu bytes: %s", len, why ? why : "ACCEPTED");
        }
    }
    CHECK(bad == 0, "image cut at every length 0..%zu: all rejected as truncated", orig_len - 1);

    /* cut, then resealed: still the header's length that decides */
    bad = 0;
    for (size_t len = XCE_FW_HDR_LEN + XCE_FW_DIGEST_LEN; len < orig_len; len++) {
        fresh();
        reseal(len);
        const char *why = why_rejected(len);
        if (!why || !strstr(why, "truncated")) {
            bad++;
            CHECK(0, "image cut to %zu bytes and resealed: %s", len, why ? why : "ACCEPTED");
        }
    }
    CHECK(bad == 0, "image cut at every length from %d and resealed: all rejected as truncated",
          XCE_FW_HDR_LEN + XCE_FW_DIGEST_LEN);

    fresh();
    buf[orig_len] = 0;
    expect_reject(orig_len + 1, "trailing bytes", "one byte too long");
    fresh();
    buf[orig_len] = 0;
    reseal(orig_len + 1);
    expect_reject(orig_len + 1, "trailing bytes", "one byte too long, digest over all but the last 64");

    const char *why = NULL;
    struct xce_fw out;
    int rc = xce_fw_parse(NULL, 0, &out, &why);
    CHECK(rc == -1 && why && strstr(why, "truncated"), "NULL buffer of length 0: rejected, \"%s\"",
          why ? why : "ACCEPTED");
}

/* ---- digest --------------------------------------------------------------- */

static void digest(void)
{
    unsigned bad = 0;
    for (size_t i = off_digest; i < orig_len; i++) {
        fresh();
        buf[i] ^= 0x01;
        const char *why = why_rejected(orig_len);
        if (!why || !strstr(why, "digest mismatch")) {
            bad++;
            CHECK(0, "digest byte %zu changed: %s", i - off_digest, why ? why : "ACCEPTED");
        }
    }
    CHECK(bad == 0, "each of the 64 digest bytes changed: digest mismatch");

    /* every byte the digest covers beyond the header, changed, not resealed */
    bad = 0;
    for (size_t i = off_entries; i < off_digest; i++) {
        for (unsigned bit = 0; bit < 8; bit++) {
            fresh();
            buf[i] ^= (uint8_t)(1u << bit);
            const char *why = why_rejected(orig_len);
            if (!why || !strstr(why, "digest mismatch")) {
                bad++;
                CHECK(0, "byte %zu bit %u flipped: %s", i, bit, why ? why : "ACCEPTED");
            }
        }
    }
    CHECK(bad == 0, "every bit of the entries and words (bytes %zu..%zu) flipped without resealing: digest mismatch",
          off_entries, off_digest - 1);

    fresh();
    memset(buf + off_digest, 0, XCE_FW_DIGEST_LEN);
    expect_reject(orig_len, "digest mismatch", "all-zero digest");
}

/* ---- entries -------------------------------------------------------------- */

static void entries(void)
{
    for (uint32_t e = 0; e < fw.nentries; e++) {
        size_t base = off_entries + (size_t)XCE_FW_ENTRY_LEN * e;
        for (size_t j = 0; j < XCE_FW_ENTRY_LEN; j++) {
            fresh();
            char what[112];
            if (j < XCE_FW_NAME_LEN) {
                /* not in [a-z0-9_], whether it replaces a letter or a pad NUL */
                buf[base + j] = 'A';
                snprintf(what, sizeof what, "entry %u ('%s') name byte %zu set to 'A', digest recomputed", (unsigned)e,
                         fw.entries[e].name, j);
                reseal(orig_len);
                expect_reject(orig_len, "bad entry name", what);
            } else {
                buf[base + j] = 0xff;   /* the address becomes at least 255 */
                snprintf(what, sizeof what, "entry %u ('%s') address byte %zu set to 0xff, digest recomputed",
                         (unsigned)e, fw.entries[e].name, j - XCE_FW_NAME_LEN);
                reseal(orig_len);
                expect_reject(orig_len, "address", what);
            }
        }
    }

    size_t e1 = off_entries + XCE_FW_ENTRY_LEN;   /* the second entry */
    fresh();
    memset(buf + off_entries, 0, XCE_FW_NAME_LEN);
    reseal(orig_len);
    expect_reject(orig_len, "bad entry name", "empty entry name");

    fresh();
    memcpy(buf + off_entries, "mod\0xp\0\0\0\0\0\0", XCE_FW_NAME_LEN);
    reseal(orig_len);
    expect_reject(orig_len, "bad entry name", "entry name with a character after its NUL (\"mod\\0xp\")");

    fresh();
    memcpy(buf + off_entries, "mod exp\0\0\0\0\0", XCE_FW_NAME_LEN);
    reseal(orig_len);
    expect_reject(orig_len, "bad entry name", "entry name with a space");

    fresh();
    memcpy(buf + off_entries, "modexp\x80\0\0\0\0\0", XCE_FW_NAME_LEN);
    reseal(orig_len);
    expect_reject(orig_len, "bad entry name", "entry name with a byte >= 0x80");

    fresh();
    memcpy(buf + off_entries, "abcdefghij_9", XCE_FW_NAME_LEN);
    reseal(orig_len);
    {
        struct xce_fw out;
        const char *why = NULL;
        int rc = xce_fw_parse(buf, orig_len, &out, &why);
        CHECK(rc == 0 && strcmp(out.entries[0].name, "abcdefghij_9") == 0 &&
                  xce_fw_entry(&out, "abcdefghij_9") == (int)fw.entries[0].addr,
              "12-character entry name filling the field (no NUL): accepted, found by name%s%s", why ? ": " : "",
              why ? why : "");
    }

    fresh();
    memcpy(buf + e1, buf + off_entries, XCE_FW_NAME_LEN);
    reseal(orig_len);
    expect_reject(orig_len, "duplicate entry", "second entry renamed to the first's name");

    fresh();
    put32(buf + e1 + XCE_FW_NAME_LEN, fw.nwords);
    reseal(orig_len);
    expect_reject(orig_len, "address", "entry address = nwords (one past the end)");

    fresh();
    put32(buf + e1 + XCE_FW_NAME_LEN, 0xffffffffu);
    reseal(orig_len);
    expect_reject(orig_len, "address", "entry address 0xffffffff");

    fresh();
    put32(buf + e1 + XCE_FW_NAME_LEN, fw.nwords - 1);
    reseal(orig_len);
    expect_accept(orig_len, "entry address = nwords - 1 (the last word), digest recomputed");
}

/* ---- instructions --------------------------------------------------------- */

#define OP_OF(w) (((w) >> XCE_PKA_INSN_OP_SHIFT) & XCE_PKA_INSN_OP_MASK)
#define FIELD_BITS(f) ((uint32_t)XCE_PKA_INSN_##f##_MASK << XCE_PKA_INSN_##f##_SHIFT)

static size_t word_at(uint32_t i)
{
    return off_words + 4 * (size_t)i;
}

/* the first word of the original program with this opcode (and, for MUL,
 * with or without ONE), or -1 */
static long find_op(unsigned op, int one)
{
    for (uint32_t i = 0; i < fw.nwords; i++)
        if (OP_OF(fw.words[i]) == op &&
            (op != XCE_PKA_OP_MUL || one < 0 || !!(fw.words[i] & FIELD_BITS(ONE)) == one))
            return (long)i;
    return -1;
}

/* set word i to w, reseal, expect a rejection naming that instruction */
static void bad_word(uint32_t i, uint32_t w, const char *problem, const char *what)
{
    fresh();
    put32(buf + word_at(i), w);
    reseal(orig_len);
    char want[48], desc[160];
    snprintf(want, sizeof want, "illegal instruction at %u:", (unsigned)i);
    snprintf(desc, sizeof desc, "word %u = 0x%08x (%s)", (unsigned)i, (unsigned)w, what);
    const char *why = why_rejected(orig_len);
    CHECK(why && strstr(why, want) && strstr(why, problem), "%s: rejected, \"%s\"", desc, why ? why : "ACCEPTED");
    if (why && !(strstr(why, want) && strstr(why, problem)))
        printf("#   expected \"%s\" and \"%s\" in the reason\n", want, problem);
}

static void instructions(void)
{
    /* every word with an unknown opcode (7), every word with bit 16 (unused
     * by every opcode) set */
    for (uint32_t i = 0; i < fw.nwords; i++) {
        uint32_t w = (fw.words[i] & ~FIELD_BITS(OP)) | 7u << XCE_PKA_INSN_OP_SHIFT;
        bad_word(i, w, "unknown opcode", "opcode 7");
        bad_word(i, fw.words[i] | 1u << 16, "unused bits", "unused bit 16 set");
    }
    for (uint32_t op = 8; op <= 15; op++)
        bad_word(0, op << XCE_PKA_INSN_OP_SHIFT, "unknown opcode", "opcode 8..15");

    long mul = find_op(XCE_PKA_OP_MUL, 0), mul_one = find_op(XCE_PKA_OP_MUL, 1);
    long ldbit = find_op(XCE_PKA_OP_LDBIT, -1), ldcnt = find_op(XCE_PKA_OP_LDCNT, -1);
    long halt = find_op(XCE_PKA_OP_HALT, -1);
    long jumps[] = { find_op(XCE_PKA_OP_JZ, -1), find_op(XCE_PKA_OP_DJNZ, -1) };
    CHECK(mul >= 0 && mul_one >= 0 && ldbit >= 0 && ldcnt >= 0 && halt >= 0 && jumps[0] >= 0 && jumps[1] >= 0,
          "the image has MUL (with and without ONE), LDBIT, LDCNT, HALT, JZ and DJNZ to tamper with");
    if (mul < 0 || mul_one < 0 || ldbit < 0 || ldcnt < 0 || halt < 0 || jumps[0] < 0 || jumps[1] < 0)
        return;

    uint32_t w = fw.words[mul];
    bad_word((uint32_t)mul, w & ~FIELD_BITS(RD), "r0", "MUL with RD = r0");
    bad_word((uint32_t)mul_one, fw.words[mul_one] & ~FIELD_BITS(RD), "r0", "MUL rd, ra, one with RD = r0");
    bad_word((uint32_t)mul_one, fw.words[mul_one] | 3u << XCE_PKA_INSN_RB_SHIFT, "unused bits",
             "MUL with ONE and RB = 3");
    bad_word((uint32_t)mul, w | 0x80, "unused bits", "MUL with a TARGET bit set");
    bad_word((uint32_t)ldbit, fw.words[ldbit] | FIELD_BITS(RD), "unused bits", "LDBIT with RD bits set");
    bad_word((uint32_t)ldbit, fw.words[ldbit] | FIELD_BITS(COND), "unused bits", "LDBIT with COND set");
    bad_word((uint32_t)ldcnt, fw.words[ldcnt] | FIELD_BITS(RA), "unused bits", "LDCNT with RA bits set");
    bad_word((uint32_t)halt, fw.words[halt] | 1, "unused bits", "HALT with a TARGET bit set");
    bad_word((uint32_t)halt, fw.words[halt] | 1u << 27, "unused bits", "HALT with bit 27 set");

    for (int j = 0; j < 2; j++) {
        uint32_t i = (uint32_t)jumps[j], base = fw.words[i] & ~FIELD_BITS(TARGET);
        bad_word(i, base | fw.nwords, "jump target", "jump target = nwords");
        bad_word(i, base | 0xff, "jump target", "jump target 255");
        bad_word(i, fw.words[i] | 1u << 8, "unused bits", "jump with bit 8 set");
        bad_word(i, fw.words[i] | FIELD_BITS(RA), "unused bits", "jump with RA bits set");
        fresh();
        put32(buf + word_at(i), base | (fw.nwords - 1));
        reseal(orig_len);
        expect_accept(orig_len, "jump target = nwords - 1 (the last word), digest recomputed");
    }
    fresh();
    put32(buf + word_at((uint32_t)jumps[0]), XCE_PKA_OP_JMP << XCE_PKA_INSN_OP_SHIFT | fw.nwords);
    reseal(orig_len);
    expect_reject(orig_len, "jump target", "JMP to nwords");

    /* a legal change, resealed, is accepted as the new program: the test's
     * resealing really is what the parser checks */
    fresh();
    uint32_t other = (w & ~FIELD_BITS(RB)) | 7u << XCE_PKA_INSN_RB_SHIFT;
    put32(buf + word_at((uint32_t)mul), other);
    reseal(orig_len);
    struct xce_fw out;
    CHECK(xce_fw_parse(buf, orig_len, &out, NULL) == 0 && out.words[mul] == other,
          "word %ld changed to another legal MUL (RB = r7), digest recomputed: accepted as 0x%08x", mul,
          (unsigned)other);
}

int main(void)
{
    /* the assembler's output itself, not the signed image around it */
    const char *path = DEFAULT_IMAGE;
    if (!CHECK(load(path), "read the firmware image %s (make builds it)", path))
        return check_done();
    real_image(path);
    if (fw.nwords == 0)
        return check_done();
    header_bytes();
    huge_counts();
    lengths();
    digest();
    entries();
    instructions();
    return check_done();
}
