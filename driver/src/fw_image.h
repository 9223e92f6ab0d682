/* fw_image.h - the PKA firmware image: its format (firmware/README.md has
 * it byte by byte) and the parser that validates an image before the driver
 * writes a single word of it to the engine. The assembler (xce-fwasm) takes
 * the constants from here, so writer and reader cannot drift apart.
 *
 * Layout, all little-endian:
 *   0   8     magic "XCEPKAFW"
 *   8   2     format version (1)
 *   10  2     header length (32)
 *   12  4     firmware version, major << 16 | minor, not 0
 *   16  4     nwords, 1..XCE_PKA_UCODE_WORDS
 *   20  4     nentries, 1..XCE_FW_MAX_ENTRIES
 *   24  8     reserved, zero
 *   32  16*k  entries: name[12] NUL-padded, address u32
 *   ..  4*n   instruction words
 *   ..  64    SHA-512 of every preceding byte */
#ifndef XCE_FW_IMAGE_H
#define XCE_FW_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "xce_regs.h"

#define XCE_FW_MAGIC "XCEPKAFW"
#define XCE_FW_MAGIC_LEN 8
#define XCE_FW_FORMAT 1
#define XCE_FW_HDR_LEN 32
#define XCE_FW_MAX_ENTRIES 16
#define XCE_FW_NAME_LEN 12            /* bytes in the file, NUL-padded */
#define XCE_FW_ENTRY_LEN (XCE_FW_NAME_LEN + 4)
#define XCE_FW_DIGEST_LEN 64          /* SHA-512 */
/* exact length of an image with k entries and n words */
#define XCE_FW_IMAGE_LEN(k, n) \
    ((size_t)XCE_FW_HDR_LEN + (size_t)XCE_FW_ENTRY_LEN * (k) + 4 * (size_t)(n) + XCE_FW_DIGEST_LEN)
#define XCE_FW_MAX_LEN XCE_FW_IMAGE_LEN(XCE_FW_MAX_ENTRIES, XCE_PKA_UCODE_WORDS)

struct xce_fw_entry {
    char name[XCE_FW_NAME_LEN + 1];   /* NUL-terminated */
    uint32_t addr;                    /* < nwords */
};

struct xce_fw {
    uint32_t version;                 /* major << 16 | minor */
    uint32_t nwords;                  /* 1..XCE_PKA_UCODE_WORDS */
    uint32_t nentries;
    struct xce_fw_entry entries[XCE_FW_MAX_ENTRIES];
    uint32_t words[XCE_PKA_UCODE_WORDS];
};

/* Parse and validate a complete image; on failure return -1 and set *why to
 * a human-readable reason ("bad magic", "truncated", "digest mismatch",
 * "illegal instruction at 12: ...", ...). The reason is a constant string or
 * a thread-local buffer that stays valid until this thread's next call.
 * Nothing in *out is meaningful after a failure. 0 on success. */
int xce_fw_parse(const uint8_t *buf, size_t len, struct xce_fw *out, const char **why);

/* address of the named entry, or -1 */
int xce_fw_entry(const struct xce_fw *fw, const char *name);

#endif
