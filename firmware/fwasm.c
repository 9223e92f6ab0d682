/* fwasm.c - xce-fwasm, the assembler of the PKA microcode: reads a .uasm
 * source (firmware/README.md has the language and the instruction set) and
 * writes the firmware image the driver loads (driver/src/fw_image.h has the
 * format). The --help text below is its manual.
 *
 * Two passes: the first tokenizes and parses every line, encodes what it
 * can and records labels, entries and forward references; the second
 * resolves the jump targets. Every problem is reported as "FILE:LINE:
 * message" and assembly goes on to the end of the file, so one run shows
 * all of them; with any error nothing is written. The image is built in
 * memory, checked with the driver's own parser (a program the driver would
 * refuse is never written), written to a temporary file beside the output
 * and renamed over it, so a failed run never leaves a partial image. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fw_image.h"

#define PROG "xce-fwasm"
#define MAX_LINE 255            /* characters, without the newline */
#define MAX_ERRORS 50           /* then stop: the rest is probably fallout */
#define ENTRY_NAME_MAX (XCE_FW_NAME_LEN - 1)   /* always room for a NUL */

static const char usage_text[] =
    "NAME\n"
    "    xce-fwasm - assemble xce PKA microcode into a firmware image\n"
    "\n"
    "SYNOPSIS\n"
    "    xce-fwasm [-o OUT] [-l] SOURCE\n"
    "    xce-fwasm --help\n"
    "\n"
    "DESCRIPTION\n"
    "    xce-fwasm reads the microcode program SOURCE (normally\n"
    "    firmware/pka.uasm) and writes the firmware image that libxce verifies\n"
    "    and loads into the PKA microcode memory: a header, the named entry\n"
    "    points, the instruction words and a SHA-512 trailer (the format is in\n"
    "    firmware/README.md). The image is built and checked with the driver's\n"
    "    own validator before it is written; nothing is written when SOURCE\n"
    "    has an error, and an existing OUT is only replaced on success.\n"
    "\n"
    "OPTIONS\n"
    "    -o OUT, --output OUT\n"
    "        Write the image to OUT. Default: SOURCE with its .uasm suffix\n"
    "        replaced by .fw (or .fw appended when it has none).\n"
    "    -l, --listing\n"
    "        Print a listing on standard output, one line per instruction:\n"
    "        decimal address, instruction word in hex, the source line.\n"
    "    -h, --help\n"
    "        This manual.\n"
    "\n"
    "SOURCE SYNTAX\n"
    "    One statement per line; ';' starts a comment that runs to the end of\n"
    "    the line. A line is at most 255 characters.\n"
    "    name:              a label (letters, digits, '_'; not starting with a\n"
    "                       digit; case-sensitive), optionally followed by an\n"
    "                       instruction on the same line\n"
    "    .version MAJ.MIN   the firmware version, exactly once; each part\n"
    "                       0..65535, not 0.0 (the engine reads 0 as \"no\n"
    "                       firmware\")\n"
    "    .entry NAME        NAME is the address of the next instruction; the\n"
    "                       driver starts programs by this name. NAME is 1..11\n"
    "                       characters of a-z, 0-9 and '_', unique; at most 16\n"
    "                       entries, at least one\n"
    "    MNEMONIC [OPERAND, ...]\n"
    "                       an instruction; mnemonics, registers and 'one' are\n"
    "                       case-insensitive, operands are separated by commas\n"
    "\n"
    "INSTRUCTIONS\n"
    "    Slots r0..r7 hold 64 words of 64 bits; r0 is always the modulus N.\n"
    "    s is the operand length in words (PKA_CMD.SIZE).\n"
    "    mul  rd, ra, rb    rd = ra * rb * 2^(-64s) mod N; rd is not r0\n"
    "    mul  rd, ra, one   rd = ra * 2^(-64s) mod N (second factor 1)\n"
    "    mulc rd, ra, rb    as mul, but rd is written only when the loaded\n"
    "    mulc rd, ra, one   exponent bit is 1 (same time either way)\n"
    "    ldbit ra           load bit CNT-1 of slot ra as the condition bit\n"
    "    ldcnt              CNT = PKA_CMD.EXP_BITS\n"
    "    jz LABEL           jump if CNT = 0\n"
    "    djnz LABEL         CNT = CNT - 1, jump if CNT != 0\n"
    "    jmp LABEL          jump\n"
    "    halt               stop; the driver reads the result\n"
    "    A program is at most 256 instructions.\n"
    "\n"
    "DIAGNOSTICS\n"
    "    Every error is printed on standard error as \"SOURCE:LINE: message\";\n"
    "    assembly continues to the end of the file so all errors are shown.\n"
    "    There are no warnings.\n"
    "\n"
    "EXIT STATUS\n"
    "    0 when the image was written; 1 on any error in SOURCE, on a usage\n"
    "    error, or when SOURCE cannot be read or OUT cannot be written.\n"
    "\n"
    "EXAMPLES\n"
    "    xce-fwasm -o build/firmware/xce-pka.fw firmware/pka.uasm\n"
    "    xce-fwasm -l firmware/pka.uasm -o /dev/null\n";

/* ---- state ---------------------------------------------------------------- */

struct label {
    char *name;
    unsigned addr;
    unsigned line;
};

struct insn {
    uint32_t word;
    unsigned line;
    char *text;                 /* the source line, for the listing */
    char *target;               /* jumps: the label, resolved in pass 2 */
};

struct entry {
    char name[ENTRY_NAME_MAX + 1];
    unsigned addr;
    unsigned line;
};

struct as {
    const char *path;
    unsigned line;              /* being parsed */
    unsigned errors;
    int have_version;
    int version_seen, entry_seen;   /* the directive appeared, even if wrong */
    unsigned version_line;
    uint32_t version;
    struct insn insns[XCE_PKA_UCODE_WORDS];
    unsigned ninsns;
    int too_long;               /* "longer than 256 words" reported */
    struct entry entries[XCE_FW_MAX_ENTRIES];
    unsigned nentries;
    struct label *labels;
    unsigned nlabels, labels_cap;
};

static void error_at(struct as *as, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void error_at(struct as *as, unsigned line, const char *fmt, ...)
{
    va_list ap;
    as->errors++;
    if (as->errors > MAX_ERRORS)
        return;
    fprintf(stderr, "%s:%u: ", as->path, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (as->errors == MAX_ERRORS)
        fprintf(stderr, "%s:%u: too many errors, stopping\n", as->path, line);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, PROG ": out of memory\n");
        exit(1);
    }
    return p;
}

static char *xstrndup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

/* ---- tokenizer ------------------------------------------------------------ */

/* A word is a run of letters, digits, '_' and '.': mnemonics, registers,
 * labels, directives (".entry") and version numbers ("1.0") are all words;
 * the parser decides what a word may be where it stands. */
enum tok_kind { T_END, T_WORD, T_COLON, T_COMMA };

struct tok {
    enum tok_kind kind;
    const char *s;
    size_t len;
};

/* a line of 255 characters has at most 128 tokens, plus the end */
#define MAX_TOKS (MAX_LINE / 2 + 2)

static int word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

/* Split one line (NUL-terminated, no newline) into toks, ending with T_END;
 * 0 on success, -1 after reporting a character that has no place here. */
static int tokenize(struct as *as, const char *s, struct tok *toks)
{
    size_t n = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\f' || *s == '\v')
            s++;
        if (*s == 0 || *s == ';') {
            toks[n] = (struct tok){ T_END, s, 0 };
            return 0;
        }
        if (n == MAX_TOKS - 1) {   /* cannot happen within MAX_LINE; be safe */
            error_at(as, as->line, "too many tokens");
            return -1;
        }
        if (*s == ':' || *s == ',') {
            toks[n++] = (struct tok){ *s == ':' ? T_COLON : T_COMMA, s, 1 };
            s++;
        } else if (word_char(*s)) {
            const char *start = s;
            while (word_char(*s))
                s++;
            toks[n++] = (struct tok){ T_WORD, start, (size_t)(s - start) };
        } else {
            unsigned char c = (unsigned char)*s;
            if (c >= 0x21 && c < 0x7f)
                error_at(as, as->line, "unexpected character '%c'", c);
            else
                error_at(as, as->line, "unexpected byte 0x%02x", c);
            return -1;
        }
    }
}

static int tok_is(const struct tok *t, const char *word)
{
    return t->kind == T_WORD && t->len == strlen(word) && strncasecmp(t->s, word, t->len) == 0;
}

/* how a token is shown in a message */
static const char *tok_show(const struct tok *t, char *buf, size_t size)
{
    switch (t->kind) {
    case T_END:
        return "end of line";
    case T_COLON:
        return "':'";
    case T_COMMA:
        return "','";
    default:
        snprintf(buf, size, "'%.*s'", (int)(t->len > 40 ? 40 : t->len), t->s);
        return buf;
    }
}

/* ---- names and numbers ---------------------------------------------------- */

static int is_label_name(const struct tok *t)
{
    if (t->kind != T_WORD || (t->s[0] >= '0' && t->s[0] <= '9'))
        return 0;
    for (size_t i = 0; i < t->len; i++)
        if (t->s[i] == '.')
            return 0;
    return 1;
}

static int is_entry_name(const struct tok *t)
{
    if (t->kind != T_WORD || t->len < 1 || t->len > ENTRY_NAME_MAX)
        return 0;
    for (size_t i = 0; i < t->len; i++) {
        char c = t->s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return 0;
    }
    return 1;
}

/* "r0".."r7", any case; -1 otherwise */
static int reg_number(const struct tok *t)
{
    if (t->kind != T_WORD || t->len != 2 || (t->s[0] != 'r' && t->s[0] != 'R') || t->s[1] < '0' || t->s[1] > '7')
        return -1;
    return t->s[1] - '0';
}

/* decimal 0..65535 from s[*i], advancing *i; -1 if there is none or it is too big */
static long parse_u16(const char *s, size_t len, size_t *i)
{
    long v = 0;
    size_t start = *i;
    for (; *i < len && s[*i] >= '0' && s[*i] <= '9'; (*i)++) {
        v = v * 10 + (s[*i] - '0');
        if (v > 65535)
            return -1;
    }
    return *i > start ? v : -1;
}

/* ---- labels --------------------------------------------------------------- */

static struct label *find_label(struct as *as, const char *s, size_t len)
{
    for (unsigned i = 0; i < as->nlabels; i++)
        if (strlen(as->labels[i].name) == len && memcmp(as->labels[i].name, s, len) == 0)
            return &as->labels[i];
    return NULL;
}

static void define_label(struct as *as, const struct tok *t)
{
    if (!is_label_name(t)) {
        char b[48];
        error_at(as, as->line, "bad label name %s (letters, digits and '_', not starting with a digit)",
                 tok_show(t, b, sizeof b));
        return;
    }
    const struct label *old = find_label(as, t->s, t->len);
    if (old) {
        error_at(as, as->line, "duplicate label '%s' (first defined at line %u)", old->name, old->line);
        return;
    }
    if (as->nlabels == as->labels_cap) {
        as->labels_cap = as->labels_cap ? 2 * as->labels_cap : 16;
        struct label *l = realloc(as->labels, as->labels_cap * sizeof *l);
        if (!l) {
            fprintf(stderr, PROG ": out of memory\n");
            exit(1);
        }
        as->labels = l;
    }
    as->labels[as->nlabels++] = (struct label){ xstrndup(t->s, t->len), as->ninsns, as->line };
}

/* ---- directives ----------------------------------------------------------- */

/* t points at the directive word; the rest of the line follows it */
static void directive(struct as *as, const struct tok *t)
{
    char b[48];
    if (tok_is(t, ".version")) {
        as->version_seen = 1;
        const struct tok *v = t + 1;
        size_t i = 0;
        long major = -1, minor = -1;
        if (v->kind == T_WORD) {
            major = parse_u16(v->s, v->len, &i);
            if (major >= 0 && i < v->len && v->s[i] == '.') {
                i++;
                minor = parse_u16(v->s, v->len, &i);
            }
        }
        if (major < 0 || minor < 0 || i != v->len) {
            error_at(as, as->line, ".version needs MAJOR.MINOR, each 0..65535; found %s", tok_show(v, b, sizeof b));
            return;
        }
        if (v[1].kind != T_END) {
            error_at(as, as->line, "trailing garbage %s after .version", tok_show(&v[1], b, sizeof b));
            return;
        }
        if (major == 0 && minor == 0) {
            error_at(as, as->line, ".version 0.0 is reserved (the engine reads it as \"no firmware\")");
            return;
        }
        if (as->have_version) {
            error_at(as, as->line, "duplicate .version (first at line %u)", as->version_line);
            return;
        }
        as->have_version = 1;
        as->version_line = as->line;
        as->version = (uint32_t)major << 16 | (uint32_t)minor;
    } else if (tok_is(t, ".entry")) {
        as->entry_seen = 1;
        const struct tok *n = t + 1;
        if (!is_entry_name(n)) {
            error_at(as, as->line, ".entry needs a name of 1..%d characters a-z, 0-9, '_'; found %s",
                     ENTRY_NAME_MAX, tok_show(n, b, sizeof b));
            return;
        }
        if (n[1].kind != T_END) {
            error_at(as, as->line, "trailing garbage %s after .entry", tok_show(&n[1], b, sizeof b));
            return;
        }
        for (unsigned i = 0; i < as->nentries; i++)
            if (strlen(as->entries[i].name) == n->len && memcmp(as->entries[i].name, n->s, n->len) == 0) {
                error_at(as, as->line, "duplicate entry '%s' (first at line %u)", as->entries[i].name,
                         as->entries[i].line);
                return;
            }
        if (as->nentries == XCE_FW_MAX_ENTRIES) {
            error_at(as, as->line, "more than %d entries", XCE_FW_MAX_ENTRIES);
            return;
        }
        struct entry *e = &as->entries[as->nentries++];
        memcpy(e->name, n->s, n->len);
        e->name[n->len] = 0;
        e->addr = as->ninsns;
        e->line = as->line;
    } else {
        error_at(as, as->line, "unknown directive %s (.version, .entry)", tok_show(t, b, sizeof b));
    }
}

/* ---- instructions --------------------------------------------------------- */

enum form { F_NONE, F_MUL, F_REG, F_LABEL };

static const struct mnemonic {
    const char *name;
    unsigned op;
    enum form form;
    int cond;
} mnemonics[] = {
    { "mul", XCE_PKA_OP_MUL, F_MUL, 0 },       { "mulc", XCE_PKA_OP_MUL, F_MUL, 1 },
    { "ldbit", XCE_PKA_OP_LDBIT, F_REG, 0 },   { "ldcnt", XCE_PKA_OP_LDCNT, F_NONE, 0 },
    { "jz", XCE_PKA_OP_JZ, F_LABEL, 0 },       { "djnz", XCE_PKA_OP_DJNZ, F_LABEL, 0 },
    { "jmp", XCE_PKA_OP_JMP, F_LABEL, 0 },     { "halt", XCE_PKA_OP_HALT, F_NONE, 0 },
};

static const unsigned form_operands[] = { [F_NONE] = 0, [F_MUL] = 3, [F_REG] = 1, [F_LABEL] = 1 };
static const char *const form_syntax[] = {
    [F_NONE] = "", [F_MUL] = "rd, ra, rb|one", [F_REG] = "ra", [F_LABEL] = "a label"
};

#define PUT(f, v) (((uint32_t)(v) & XCE_PKA_INSN_##f##_MASK) << XCE_PKA_INSN_##f##_SHIFT)

/* Encode the instruction whose mnemonic is t into *word; a jump's label goes
 * to *target for pass 2. -1 after reporting what is wrong. */
static int encode(struct as *as, const struct tok *t, uint32_t *word, char **target)
{
    char b[48], b2[48];
    const struct mnemonic *m = NULL;
    for (size_t i = 0; i < sizeof mnemonics / sizeof mnemonics[0]; i++)
        if (tok_is(t, mnemonics[i].name))
            m = &mnemonics[i];
    if (!m) {
        error_at(as, as->line, "unknown mnemonic %s", tok_show(t, b, sizeof b));
        return -1;
    }

    /* operands: WORD {',' WORD} */
    const struct tok *ops[MAX_TOKS];
    unsigned nops = 0;
    const struct tok *p = t + 1;
    if (p->kind != T_END) {
        for (;;) {
            if (p->kind != T_WORD) {
                error_at(as, as->line, "expected an operand, found %s", tok_show(p, b, sizeof b));
                return -1;
            }
            ops[nops++] = p++;
            if (p->kind == T_END)
                break;
            if (p->kind != T_COMMA) {
                error_at(as, as->line, "trailing garbage %s after operand %s", tok_show(p, b, sizeof b),
                         tok_show(p - 1, b2, sizeof b2));
                return -1;
            }
            p++;
        }
    }
    if (nops != form_operands[m->form] && m->form == F_NONE) {
        error_at(as, as->line, "'%s' takes no operands, %u given", m->name, nops);
        return -1;
    }
    if (nops != form_operands[m->form]) {
        error_at(as, as->line, "'%s' takes %u operand%s (%s), %u given", m->name, form_operands[m->form],
                 form_operands[m->form] == 1 ? "" : "s", form_syntax[m->form], nops);
        return -1;
    }

    uint32_t w = PUT(OP, m->op);
    switch (m->form) {
    case F_NONE:
        break;
    case F_MUL: {
        int rd = reg_number(ops[0]), ra = reg_number(ops[1]), rb = reg_number(ops[2]);
        int one = tok_is(ops[2], "one");
        if (rd < 0 || ra < 0 || (rb < 0 && !one)) {
            const struct tok *bad = rd < 0 ? ops[0] : ra < 0 ? ops[1] : ops[2];
            error_at(as, as->line, "bad register %s (r0..r7%s)", tok_show(bad, b, sizeof b),
                     bad == ops[2] ? " or one" : "");
            return -1;
        }
        if (rd == 0) {
            error_at(as, as->line, "'%s' cannot write r0: it holds the modulus N", m->name);
            return -1;
        }
        w |= PUT(RD, rd) | PUT(RA, ra) | (one ? PUT(ONE, 1) : PUT(RB, rb)) | PUT(COND, m->cond);
        break;
    }
    case F_REG: {
        int ra = reg_number(ops[0]);
        if (ra < 0) {
            error_at(as, as->line, "bad register %s (r0..r7)", tok_show(ops[0], b, sizeof b));
            return -1;
        }
        w |= PUT(RA, ra);
        break;
    }
    case F_LABEL:
        if (!is_label_name(ops[0])) {
            error_at(as, as->line, "bad label name %s", tok_show(ops[0], b, sizeof b));
            return -1;
        }
        *target = xstrndup(ops[0]->s, ops[0]->len);
        break;
    }

    *word = w;
    return 0;
}

/* t points at the mnemonic; src is the whole source line (for the listing).
 * A line that fails to encode still takes its address (as a zero word that
 * is never written), so the labels and entries after it keep their places
 * and one mistake is not followed by a train of errors about others. */
static void instruction(struct as *as, const struct tok *t, const char *src)
{
    uint32_t w = 0;
    char *target = NULL;
    if (encode(as, t, &w, &target) < 0) {
        w = 0;
        free(target);
        target = NULL;
    }
    if (as->ninsns == XCE_PKA_UCODE_WORDS) {
        if (!as->too_long)
            error_at(as, as->line, "program longer than %u words (the microcode memory)", XCE_PKA_UCODE_WORDS);
        as->too_long = 1;
        free(target);
        return;
    }
    as->insns[as->ninsns++] = (struct insn){ w, as->line, xstrndup(src, strlen(src)), target };
}

/* ---- pass 1: one line ----------------------------------------------------- */

static void parse_line(struct as *as, const char *src)
{
    struct tok toks[MAX_TOKS];
    if (tokenize(as, src, toks) < 0)
        return;
    const struct tok *t = toks;
    int labelled = 0;
    while (t[0].kind == T_WORD && t[1].kind == T_COLON) {   /* "a: b:" names one address twice */
        define_label(as, t);
        labelled = 1;
        t += 2;
    }
    char b[48];
    if (t->kind == T_END)
        return;
    if (t->kind != T_WORD) {
        error_at(as, as->line, "expected a label, directive or instruction, found %s", tok_show(t, b, sizeof b));
    } else if (t->s[0] == '.') {
        if (labelled)
            error_at(as, as->line, "a label must be followed by an instruction, not a directive");
        else
            directive(as, t);
    } else {
        instruction(as, t, src);
    }
}

/* ---- pass 2 and checks of the whole program ------------------------------- */

static void finish(struct as *as)
{
    for (unsigned i = 0; i < as->ninsns; i++) {
        struct insn *in = &as->insns[i];
        if (!in->target)
            continue;
        const struct label *l = find_label(as, in->target, strlen(in->target));
        if (!l)
            error_at(as, in->line, "undefined label '%s'", in->target);
        else if (l->addr >= as->ninsns)
            error_at(as, in->line, "label '%s' (line %u) is past the last instruction", l->name, l->line);
        else
            in->word |= PUT(TARGET, l->addr);
    }
    for (unsigned i = 0; i < as->nentries; i++)
        if (as->entries[i].addr >= as->ninsns && !as->too_long)
            error_at(as, as->entries[i].line, "entry '%s' is not followed by an instruction", as->entries[i].name);
    /* whole-file problems belong where the fix goes: the top */
    if (!as->version_seen)
        error_at(as, 1, "missing .version directive");
    if (!as->entry_seen)
        error_at(as, 1, "no .entry: the driver could not start any program");
}

/* ---- output --------------------------------------------------------------- */

static void put_le(uint8_t *p, uint32_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* the image of an assembled program; NULL (reported) if it cannot be made */
static uint8_t *build_image(const struct as *as, size_t *len)
{
    size_t total = XCE_FW_IMAGE_LEN(as->nentries, as->ninsns);
    uint8_t *img = xmalloc(total);
    memset(img, 0, total);
    memcpy(img, XCE_FW_MAGIC, XCE_FW_MAGIC_LEN);
    put_le(img + 8, XCE_FW_FORMAT, 2);
    put_le(img + 10, XCE_FW_HDR_LEN, 2);
    put_le(img + 12, as->version, 4);
    put_le(img + 16, as->ninsns, 4);
    put_le(img + 20, as->nentries, 4);
    uint8_t *p = img + XCE_FW_HDR_LEN;
    for (unsigned i = 0; i < as->nentries; i++, p += XCE_FW_ENTRY_LEN) {
        memcpy(p, as->entries[i].name, strlen(as->entries[i].name));   /* the rest stays NUL */
        put_le(p + XCE_FW_NAME_LEN, as->entries[i].addr, 4);
    }
    for (unsigned i = 0; i < as->ninsns; i++, p += 4)
        put_le(p, as->insns[i].word, 4);
    if (EVP_Digest(img, total - XCE_FW_DIGEST_LEN, p, NULL, EVP_sha512(), NULL) != 1) {
        fprintf(stderr, PROG ": cannot compute SHA-512\n");
        free(img);
        return NULL;
    }
    *len = total;
    return img;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
    for (size_t off = 0; off < len;) {
        ssize_t w = write(fd, p + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        off += (size_t)w;
    }
    return 0;
}

/* Write to a temporary file beside out, then rename: out is either the old
 * file or the complete new one, never a partial image. Something that is
 * not a regular file (/dev/null, a pipe) cannot be renamed over and is
 * written directly. */
static int write_output(const char *out, const uint8_t *img, size_t len)
{
    struct stat st;
    if (stat(out, &st) == 0 && !S_ISREG(st.st_mode)) {
        int fd = open(out, O_WRONLY | O_TRUNC);
        int ok = fd >= 0 && write_all(fd, img, len) == 0;
        int saved = errno;
        if (fd >= 0 && close(fd) != 0 && ok) {
            ok = 0;
            saved = errno;
        }
        if (!ok)
            fprintf(stderr, PROG ": cannot write %s: %s\n", out, strerror(saved));
        return ok ? 0 : -1;
    }
    size_t n = strlen(out);
    char *tmp = xmalloc(n + 8);
    memcpy(tmp, out, n);
    memcpy(tmp + n, ".XXXXXX", 8);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        fprintf(stderr, PROG ": cannot create a temporary file for %s: %s\n", out, strerror(errno));
        free(tmp);
        return -1;
    }
    mode_t mask = umask(0);   /* mkstemp makes 0600; give the usual 0666 & ~umask */
    umask(mask);
    int ok = fchmod(fd, 0666 & ~mask) == 0 && write_all(fd, img, len) == 0;
    int saved = errno;
    if (close(fd) != 0 && ok) {
        ok = 0;
        saved = errno;
    }
    if (ok && rename(tmp, out) != 0) {
        ok = 0;
        saved = errno;
    }
    if (!ok) {
        fprintf(stderr, PROG ": cannot write %s: %s\n", out, strerror(saved));
        unlink(tmp);
    }
    free(tmp);
    return ok ? 0 : -1;
}

static void print_listing(const struct as *as)
{
    for (unsigned i = 0; i < as->ninsns; i++)
        printf("%3u  %08x  %s\n", i, (unsigned)as->insns[i].word, as->insns[i].text);
}

static void free_as(struct as *as)
{
    for (unsigned i = 0; i < as->ninsns; i++) {
        free(as->insns[i].text);
        free(as->insns[i].target);
    }
    for (unsigned i = 0; i < as->nlabels; i++)
        free(as->labels[i].name);
    free(as->labels);
}

/* ---- main ----------------------------------------------------------------- */

static char *default_output(const char *src)
{
    size_t n = strlen(src);
    if (n > 5 && strcmp(src + n - 5, ".uasm") == 0)
        n -= 5;
    char *out = xmalloc(n + 4);
    memcpy(out, src, n);
    memcpy(out + n, ".fw", 4);
    return out;
}

/* read and parse every line of f */
static void assemble(struct as *as, FILE *f)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, f)) >= 0 && as->errors < MAX_ERRORS) {
        size_t len = (size_t)got;
        as->line++;
        if (len && line[len - 1] == '\n')
            line[--len] = 0;
        if (len && line[len - 1] == '\r')   /* a CRLF file reads like any other */
            line[--len] = 0;
        if (len > MAX_LINE) {
            error_at(as, as->line, "line longer than %d characters", MAX_LINE);
            continue;
        }
        if (strlen(line) != len) {
            error_at(as, as->line, "NUL byte in line");
            continue;
        }
        parse_line(as, line);
    }
    free(line);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "output", required_argument, NULL, 'o' },
        { "listing", no_argument, NULL, 'l' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *out_opt = NULL;
    int listing = 0, c;
    while ((c = getopt_long(argc, argv, "o:lh", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out_opt = optarg;
            break;
        case 'l':
            listing = 1;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            fprintf(stderr, "Try '" PROG " --help'.\n");
            return 1;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, PROG ": %s\nUsage: " PROG " [-o OUT] [-l] SOURCE\nTry '" PROG " --help'.\n",
                optind >= argc ? "no SOURCE given" : "only one SOURCE, please");
        return 1;
    }
    const char *src = argv[optind];
    FILE *f = fopen(src, "r");
    if (!f) {
        fprintf(stderr, PROG ": %s: %s\n", src, strerror(errno));
        return 1;
    }

    static struct as as;   /* 256 instructions: keep it off the stack */
    as.path = src;
    assemble(&as, f);
    int read_error = ferror(f);
    fclose(f);
    if (read_error) {
        fprintf(stderr, PROG ": %s: read error\n", src);
        free_as(&as);
        return 1;
    }
    if (as.errors < MAX_ERRORS)
        finish(&as);
    if (as.errors) {
        free_as(&as);
        return 1;
    }

    size_t len = 0;
    uint8_t *img = build_image(&as, &len);
    int rc = 1;
    if (img) {
        /* the driver's validator has the last word */
        struct xce_fw *fw = xmalloc(sizeof *fw);
        const char *why = NULL;
        if (xce_fw_parse(img, len, fw, &why) != 0) {
            fprintf(stderr, PROG ": internal error: the image fails validation: %s\n", why);
        } else {
            char *out = out_opt ? NULL : default_output(src);
            if (write_output(out_opt ? out_opt : out, img, len) == 0) {
                rc = 0;
                if (listing)
                    print_listing(&as);
            }
            free(out);
        }
        free(fw);
        free(img);
    }
    free_as(&as);
    return rc;
}
