/* fuzz_fw_image.c - libFuzzer target for xce_fw_parse, the driver's reader
 * of PKA firmware images (a file anybody may hand to the driver).
 *
 * Each input is parsed twice: as it is, and with its last 64 bytes replaced
 * by the SHA-512 of the rest ("resealed"). A mutated input almost never
 * carries a matching digest, so without the second parse the fuzzer would
 * only ever reach the digest check; resealed, every mutation reaches the
 * entry and instruction validation.
 *
 * Properties, checked independently of the parser whenever it accepts:
 * the length is exactly what the header announces, the counts are in
 * range, every entry is a unique [a-z0-9_] name inside the program and
 * found by xce_fw_entry, every word is the file's word and an instruction
 * the sequencer runs without faulting (known opcode, MUL not writing r0,
 * jump targets inside the program, unused bits zero), and the digest
 * matches. On refusal a reason must be given. Any violation aborts. */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "fw_image.h"

#define OP(w) (((w) >> XCE_PKA_INSN_OP_SHIFT) & XCE_PKA_INSN_OP_MASK)
#define RD(w) (((w) >> XCE_PKA_INSN_RD_SHIFT) & XCE_PKA_INSN_RD_MASK)
#define TARGET(w) (((w) >> XCE_PKA_INSN_TARGET_SHIFT) & XCE_PKA_INSN_TARGET_MASK)
#define ONE(w) (((w) >> XCE_PKA_INSN_ONE_SHIFT) & XCE_PKA_INSN_ONE_MASK)

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#define BITS(f) ((uint32_t)XCE_PKA_INSN_##f##_MASK << XCE_PKA_INSN_##f##_SHIFT)

/* bits each opcode may have set: its own fields (from the register
 * description, not from the parser) */
static uint32_t allowed_bits(uint32_t w)
{
    switch (OP(w)) {
    case XCE_PKA_OP_MUL:
        return BITS(OP) | BITS(RD) | BITS(RA) | BITS(ONE) | BITS(COND) | (ONE(w) ? 0 : BITS(RB));
    case XCE_PKA_OP_LDBIT:
        return BITS(OP) | BITS(RA);
    case XCE_PKA_OP_JZ:
    case XCE_PKA_OP_DJNZ:
    case XCE_PKA_OP_JMP:
        return BITS(OP) | BITS(TARGET);
    default:
        return BITS(OP);
    }
}

static void check_accepted(const uint8_t *data, size_t size, const struct xce_fw *fw)
{
    if (fw->version == 0 || fw->nwords < 1 || fw->nwords > XCE_PKA_UCODE_WORDS || fw->nentries < 1 ||
        fw->nentries > XCE_FW_MAX_ENTRIES)
        abort();
    if (size != 32 + 16 * (size_t)fw->nentries + 4 * (size_t)fw->nwords + 64)
        abort();
    if (memcmp(data, "XCEPKAFW\x01\x00\x20\x00", 12) != 0 || le32(data + 12) != fw->version ||
        le32(data + 16) != fw->nwords || le32(data + 20) != fw->nentries)
        abort();
    for (size_t i = 24; i < 32; i++)
        if (data[i])
            abort();

    for (uint32_t e = 0; e < fw->nentries; e++) {
        const struct xce_fw_entry *en = &fw->entries[e];
        size_t n = strnlen(en->name, sizeof en->name);
        if (n < 1 || n > XCE_FW_NAME_LEN || en->addr >= fw->nwords)
            abort();
        for (size_t i = 0; i < n; i++) {
            char c = en->name[i];
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
                abort();
        }
        /* unique, so the lookup finds this one */
        if (xce_fw_entry(fw, en->name) != (int)en->addr)
            abort();
        for (uint32_t f = 0; f < e; f++)
            if (strcmp(fw->entries[f].name, en->name) == 0)
                abort();
        const uint8_t *raw = data + 32 + 16 * (size_t)e;
        if (memcmp(raw, en->name, n) != 0 || le32(raw + 12) != en->addr)
            abort();
        for (size_t i = n; i < XCE_FW_NAME_LEN; i++)
            if (raw[i])
                abort();
    }

    const uint8_t *words = data + 32 + 16 * (size_t)fw->nentries;
    for (uint32_t i = 0; i < fw->nwords; i++) {
        uint32_t w = fw->words[i];
        if (w != le32(words + 4 * (size_t)i) || OP(w) > XCE_PKA_OP_JMP || (w & ~allowed_bits(w)) != 0)
            abort();
        if (OP(w) == XCE_PKA_OP_MUL && RD(w) == 0)
            abort();
        if ((OP(w) == XCE_PKA_OP_JZ || OP(w) == XCE_PKA_OP_DJNZ || OP(w) == XCE_PKA_OP_JMP) && TARGET(w) >= fw->nwords)
            abort();
    }

    uint8_t md[64];
    if (EVP_Digest(data, size - 64, md, NULL, EVP_sha512(), NULL) != 1 || memcmp(md, data + size - 64, 64) != 0)
        abort();
}

static void parse(const uint8_t *data, size_t size)
{
    static struct xce_fw fw;
    const char *why = NULL;
    int rc = xce_fw_parse(data, size, &fw, &why);
    if (rc == 0)
        check_accepted(data, size, &fw);
    else if (rc != -1 || !why || !*why)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    parse(data, size);
    if (size < 64)
        return 0;
    uint8_t *copy = malloc(size);   /* its own allocation: ASan sees any overread */
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    if (EVP_Digest(copy, size - 64, copy + size - 64, NULL, EVP_sha512(), NULL) == 1)
        parse(copy, size);
    free(copy);
    return 0;
}
