/* fw_image.c - parse and validate a PKA firmware image (fw_image.h).
 *
 * An image is accepted only when every byte of it is accounted for: the
 * header fields are in range, the length is exactly what the header
 * announces, the SHA-512 trailer matches, every entry is a well-formed,
 * unique name pointing into the program, and every instruction is one the
 * sequencer executes without faulting, with its unused bits zero. The
 * engine faults on an illegal instruction anyway; refusing the image here
 * means a bad file is reported when it is loaded, with the reason, rather
 * than as a PKA fault in the middle of somebody's RSA operation.
 *
 * The order of the checks: the header first (its fields decide how long the
 * image must be), then the length, then the digest, and only then is the
 * content interpreted - a corrupted file is reported as "digest mismatch",
 * not as whatever its corruption happens to look like. (The digest is an
 * integrity check, not an authenticity check: anybody can recompute it.
 * The signed envelope that will wrap the image is checked before this.)
 *
 * Every byte is read through byteread.h; this file does no arithmetic on
 * the buffer pointer itself. */
#include "fw_image.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "byteread.h"

#define FIELD(w, f) (((w) >> XCE_PKA_INSN_##f##_SHIFT) & XCE_PKA_INSN_##f##_MASK)
#define BITS(f) ((uint32_t)XCE_PKA_INSN_##f##_MASK << XCE_PKA_INSN_##f##_SHIFT)

/* Reasons that carry a number are formatted here: per thread, so two
 * threads loading images at once do not overwrite each other's reason. */
static _Thread_local char why_buf[128];

static int fail(const char **why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(const char **why, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why_buf, sizeof why_buf, fmt, ap);
    va_end(ap);
    *why = why_buf;
    return -1;
}

/* NULL if the instruction is legal in a program of nwords words, else what
 * is wrong with it. "Unused" bits are every bit the opcode does not read;
 * they must be zero so that a later instruction set can give them a meaning
 * without old images changing behaviour. */
static const char *insn_problem(uint32_t w, uint32_t nwords)
{
    uint32_t used = BITS(OP);
    switch (FIELD(w, OP)) {
    case XCE_PKA_OP_HALT:
    case XCE_PKA_OP_LDCNT:
        break;
    case XCE_PKA_OP_MUL:
        if (FIELD(w, RD) == 0)
            return "MUL writes r0 (the modulus)";
        /* with ONE the second factor is the constant: RB must be zero */
        used |= BITS(RD) | BITS(RA) | BITS(ONE) | BITS(COND) | (FIELD(w, ONE) ? 0 : BITS(RB));
        break;
    case XCE_PKA_OP_LDBIT:
        used |= BITS(RA);
        break;
    case XCE_PKA_OP_JZ:
    case XCE_PKA_OP_DJNZ:
    case XCE_PKA_OP_JMP:
        if (FIELD(w, TARGET) >= nwords)
            return "jump target beyond the program";
        used |= BITS(TARGET);
        break;
    default:
        return "unknown opcode";
    }
    return (w & ~used) ? "unused bits set" : NULL;
}

/* A name is 1..12 characters of [a-z0-9_], then NULs to the end of the
 * field: exactly one spelling per name, so names compare as bytes. */
static int name_ok(const uint8_t *f)
{
    size_t i = 0;
    while (i < XCE_FW_NAME_LEN && f[i] &&
           ((f[i] >= 'a' && f[i] <= 'z') || (f[i] >= '0' && f[i] <= '9') || f[i] == '_'))
        i++;
    if (i == 0)
        return 0;
    for (; i < XCE_FW_NAME_LEN; i++)
        if (f[i])
            return 0;
    return 1;
}

int xce_fw_parse(const uint8_t *buf, size_t len, struct xce_fw *out, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    memset(out, 0, sizeof *out);

    /* header */
    struct xce_rd rd;
    xce_rd_init(&rd, buf, len);
    const uint8_t *magic = xce_rd_ptr(&rd, XCE_FW_MAGIC_LEN);
    uint16_t format = xce_rd_u16le(&rd);
    uint16_t hdr_len = xce_rd_u16le(&rd);
    out->version = xce_rd_u32le(&rd);
    out->nwords = xce_rd_u32le(&rd);
    out->nentries = xce_rd_u32le(&rd);
    const uint8_t *reserved = xce_rd_ptr(&rd, 8);
    if (rd.err)
        return fail(why, "truncated: %zu bytes, the header alone is %d", len, XCE_FW_HDR_LEN);
    if (memcmp(magic, XCE_FW_MAGIC, XCE_FW_MAGIC_LEN) != 0)
        return fail(why, "bad magic (not a PKA firmware image)");
    if (format != XCE_FW_FORMAT)
        return fail(why, "unsupported format version %u (this driver reads %d)", format, XCE_FW_FORMAT);
    if (hdr_len != XCE_FW_HDR_LEN)
        return fail(why, "bad header length %u (must be %d)", hdr_len, XCE_FW_HDR_LEN);
    if (out->version == 0)
        return fail(why, "firmware version 0 (reserved for \"none loaded\")");
    if (out->nwords < 1 || out->nwords > XCE_PKA_UCODE_WORDS)
        return fail(why, "bad word count %u (1..%u)", out->nwords, XCE_PKA_UCODE_WORDS);
    if (out->nentries < 1 || out->nentries > XCE_FW_MAX_ENTRIES)
        return fail(why, "bad entry count %u (1..%d)", out->nentries, XCE_FW_MAX_ENTRIES);
    static const uint8_t zero[8];
    if (memcmp(reserved, zero, sizeof zero) != 0)
        return fail(why, "reserved header bytes not zero");

    /* length: both counts are in range now, so this cannot overflow */
    size_t total = XCE_FW_IMAGE_LEN(out->nentries, out->nwords);
    if (len < total)
        return fail(why, "truncated: %zu bytes, the header announces %zu", len, total);
    if (len > total)
        return fail(why, "trailing bytes after the digest: %zu bytes, the header announces %zu", len, total);

    /* digest of everything before the trailer */
    struct xce_rd whole;
    xce_rd_init(&whole, buf, len);
    const uint8_t *body = xce_rd_ptr(&whole, total - XCE_FW_DIGEST_LEN);
    const uint8_t *stored = xce_rd_ptr(&whole, XCE_FW_DIGEST_LEN);
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned md_len = 0;
    if (whole.err)
        return fail(why, "truncated");   /* not reached: the length was checked */
    if (EVP_Digest(body, total - XCE_FW_DIGEST_LEN, md, &md_len, EVP_sha512(), NULL) != 1 ||
        md_len != XCE_FW_DIGEST_LEN)
        return fail(why, "cannot compute SHA-512");
    if (CRYPTO_memcmp(md, stored, XCE_FW_DIGEST_LEN) != 0)
        return fail(why, "digest mismatch (image corrupted)");

    /* entries */
    for (uint32_t i = 0; i < out->nentries; i++) {
        struct xce_fw_entry *e = &out->entries[i];
        const uint8_t *name = xce_rd_ptr(&rd, XCE_FW_NAME_LEN);
        e->addr = xce_rd_u32le(&rd);
        if (rd.err)
            return fail(why, "truncated");   /* not reached: the length was checked */
        if (!name_ok(name))
            return fail(why, "bad entry name (entry %u): [a-z0-9_], 1..%d characters, NUL-padded", i,
                        XCE_FW_NAME_LEN);
        memcpy(e->name, name, XCE_FW_NAME_LEN);
        e->name[XCE_FW_NAME_LEN] = 0;
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(out->entries[j].name, e->name) == 0)
                return fail(why, "duplicate entry '%s'", e->name);
        if (e->addr >= out->nwords)
            return fail(why, "entry '%s' address %u beyond the %u-word program", e->name, e->addr,
                        out->nwords);
    }

    /* instructions */
    for (uint32_t i = 0; i < out->nwords; i++) {
        uint32_t w = xce_rd_u32le(&rd);
        if (rd.err)
            return fail(why, "truncated");   /* not reached: the length was checked */
        const char *problem = insn_problem(w, out->nwords);
        if (problem)
            return fail(why, "illegal instruction at %u: 0x%08x, %s", i, w, problem);
        out->words[i] = w;
    }
    return 0;
}

int xce_fw_entry(const struct xce_fw *fw, const char *name)
{
    if (!fw || !name)
        return -1;
    for (uint32_t i = 0; i < fw->nentries && i < XCE_FW_MAX_ENTRIES; i++)
        if (strcmp(fw->entries[i].name, name) == 0)
            return (int)fw->entries[i].addr;
    return -1;
}
