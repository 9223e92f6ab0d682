// tb_pka.cpp - Verilator C++ testbench for rtl/pka_top.v (pka_seq, pka_mont,
// pka_ram)
//
// The testbench writes its own microcode through the host port, encoded
// with the generated instruction fields (xce_regs.h): the modexp program of
// firmware/pka.uasm at address 0, and a one-product program (MUL rd, ra, rb;
// HALT) at MONT_PC whose MUL word is rewritten for each slot layout.
//
// Checks, all against OpenSSL BN:
//   - Montgomery products R = A*B*2^(-64s) mod N (A*B*R^-1 computed with BN,
//     and BN_mod_mul_montgomery where OpenSSL's R is the same) on random odd
//     moduli of 192, 256, 512, 1000, 1024, 2048, 3072 and 4096 bits, random
//     A, B < N, the edge values 0, 1, N-1 for A and B, A or B >= N (the other
//     < N), and the result slot aliasing A, B or both (square in place);
//     input slots unchanged; exactly P(s)+4 cycles for MUL + HALT,
//     P(s) = s^2+3s+3.
//   - Modexp X^E mod N against BN_mod_exp for 512..4096-bit moduli (and a
//     1000-bit modulus in 16 words): random bases and exponents, E = 0 (with
//     exp_bits 0 and with leading zero bits), E = 1, E = 2, base 0, 1, N-1,
//     base >= N, e = 65537, full-length exponents; slots 0..3 unchanged;
//     the cycle count equals (2L+3)*P(s) + 7L + 10 exactly.
//   - Cycle targets: 2048-bit modexp with a 17-bit exponent <= 60,000,
//     4096-bit with a 17-bit exponent <= 250,000, 1024-bit with a 1024-bit
//     exponent <= 1,000,000 (RSA-2048 CRT projection = 2x that, <= 2,000,000).
//   - Constant time: exponents of the same length and very different Hamming
//     weight (0x8000..0001, 0xFFFF..FFFF, random) take exactly the same cycles.
//   - A real RSA-2048 key: public operation at 2048 bits and the private one
//     with CRT (two 1024-bit modexps on the hardware, recombined here).
//   - Host port writes/reads, microcode writes and start pulses while busy
//     are ignored.
//   - Faults: size outside 3..64, an unknown opcode, MUL into slot 0 stop
//     the sequencer with fault high; the corruption hook gives a wrong result.
// Each check prints PASS/FAIL; exit status is non-zero if anything fails.

#include "Vpka_top.h"
#include "tb_util.h"
#include "xce_regs.h"

#include <openssl/bn.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

static std::unique_ptr<VerilatedContext> g_ctx;
static std::unique_ptr<Vpka_top> g_top;
static uint64_t g_cycle = 0;
static BN_CTX* g_bn = nullptr;

enum { SLOT_N = 0, SLOT_R2 = 1, SLOT_BASE = 2, SLOT_EXP = 3, SLOT_RES = 4, SLOT_TMP = 5 };
static const int kSlotWords = 64;

// --------------------------------------------------------------- helpers
using tb::check;

static void settle() { g_top->eval(); }

static void tick() { tb::clock_tick(*g_top, g_cycle); }

static void idle_inputs() {
    g_top->mem_we = 0;
    g_top->mem_re = 0;
    g_top->mem_addr = 0;
    g_top->mem_wdata = 0;
    g_top->ic_we = 0;
    g_top->ic_addr = 0;
    g_top->ic_wdata = 0;
    g_top->start = 0;
    g_top->entry = 0;
    g_top->size = 0;
    g_top->exp_bits = 0;
    g_top->n0inv = 0;
}

// ------------------------------------------------------------- microcode
static uint32_t insn(uint32_t op, uint32_t rd = 0, uint32_t ra = 0, uint32_t rb = 0, bool one = false,
                     bool cond = false, uint32_t target = 0) {
    return op << XCE_PKA_INSN_OP_SHIFT | rd << XCE_PKA_INSN_RD_SHIFT | ra << XCE_PKA_INSN_RA_SHIFT |
           rb << XCE_PKA_INSN_RB_SHIFT | uint32_t(one) << XCE_PKA_INSN_ONE_SHIFT |
           uint32_t(cond) << XCE_PKA_INSN_COND_SHIFT | target << XCE_PKA_INSN_TARGET_SHIFT;
}

static void ic_write(int addr, uint32_t w) {
    g_top->ic_we = 1;
    g_top->ic_addr = static_cast<uint8_t>(addr);
    g_top->ic_wdata = w;
    g_top->eval();
    tb::clock_tick(*g_top, g_cycle);
    g_top->ic_we = 0;
}

enum { EXP_PC = 0, MONT_PC = 32, FAULT_PC = 40 };

// firmware/pka.uasm's modexp: r4 = r2^r3 mod r0 (r1 = R2, r5 scratch)
static void load_modexp_program() {
    const uint32_t prog[] = {
        insn(XCE_PKA_OP_MUL, 4, 1, 0, true),               // 0  r4 = 1 (Montgomery form)
        insn(XCE_PKA_OP_MUL, 5, 2, 1),                     // 1  r5 = X (Montgomery form)
        insn(XCE_PKA_OP_LDCNT),                            // 2
        insn(XCE_PKA_OP_JZ, 0, 0, 0, false, false, 8),     // 3  jz out
        insn(XCE_PKA_OP_LDBIT, 0, 3),                      // 4  loop: ldbit r3
        insn(XCE_PKA_OP_MUL, 4, 4, 4),                     // 5
        insn(XCE_PKA_OP_MUL, 4, 4, 5, false, true),        // 6  mulc
        insn(XCE_PKA_OP_DJNZ, 0, 0, 0, false, false, 4),   // 7  djnz loop
        insn(XCE_PKA_OP_MUL, 4, 4, 0, true),               // 8  out: leave Montgomery form
        insn(XCE_PKA_OP_HALT),                             // 9
    };
    for (size_t i = 0; i < sizeof prog / sizeof prog[0]; ++i) ic_write(EXP_PC + int(i), prog[i]);
}

static void load_mont_program(int a, int b, int r) {
    ic_write(MONT_PC, insn(XCE_PKA_OP_MUL, uint32_t(r), uint32_t(a), uint32_t(b)));
    ic_write(MONT_PC + 1, insn(XCE_PKA_OP_HALT));
}

static tb::Xorshift64 g_rng{0x243f6a8885a308d3ull};
static uint64_t rnd64() { return g_rng.next(); }

// RAII-less BIGNUM helpers (the test is short-lived; frees kept simple)
typedef BIGNUM* BN;

static BN bn_new() { return BN_new(); }
static BN bn_word(uint64_t w) {
    BN r = BN_new();
    BN_set_word(r, w);
    return r;
}
static BN bn_dup(const BIGNUM* a) { return BN_dup(a); }

// uniformly random value of `bits` bits (top bit not forced)
static BN bn_rand_bits(int bits) {
    std::vector<unsigned char> b((bits + 7) / 8);
    for (auto& x : b) x = static_cast<unsigned char>(rnd64() >> 32);
    if (bits % 8) b[0] &= static_cast<unsigned char>((1u << (bits % 8)) - 1);
    return BN_bin2bn(b.data(), static_cast<int>(b.size()), nullptr);
}

// random odd modulus of exactly `bits` bits
static BN bn_rand_modulus(int bits) {
    BN n = bn_rand_bits(bits);
    BN_set_bit(n, bits - 1);
    BN_set_bit(n, 0);
    return n;
}

// random value below n
static BN bn_rand_below(const BIGNUM* n) {
    BN r = bn_rand_bits(BN_num_bits(n) + 8);
    BN_nnmod(r, r, n, g_bn);
    return r;
}

static std::string bn_hex(const BIGNUM* a) {
    char* h = BN_bn2hex(a);
    std::string s(h);
    OPENSSL_free(h);
    if (s.size() > 48) s = s.substr(0, 24) + "..." + s.substr(s.size() - 24);
    return s;
}

static std::vector<uint64_t> bn_words(const BIGNUM* a, int s) {
    std::vector<unsigned char> b(8 * s);
    std::vector<uint64_t> w(s, 0);
    if (BN_bn2lebinpad(a, b.data(), 8 * s) < 0) {
        fprintf(stderr, "bn_words: value does not fit in %d words\n", s);
        exit(2);
    }
    for (int i = 0; i < s; ++i)
        for (int k = 0; k < 8; ++k) w[i] |= static_cast<uint64_t>(b[8 * i + k]) << (8 * k);
    return w;
}

static BN bn_from_words(const std::vector<uint64_t>& w) {
    std::vector<unsigned char> b(8 * w.size());
    for (size_t i = 0; i < w.size(); ++i)
        for (int k = 0; k < 8; ++k) b[8 * i + k] = static_cast<unsigned char>(w[i] >> (8 * k));
    return BN_lebin2bn(b.data(), static_cast<int>(b.size()), nullptr);
}

// -N^(-1) mod 2^64 from the low word of N (Newton iteration)
static uint64_t n0inv_of(const BIGNUM* n) {
    uint64_t n0 = bn_words(n, (BN_num_bits(n) + 63) / 64)[0];
    uint64_t x = 1;
    for (int k = 0; k < 7; ++k) x *= 2 - n0 * x;
    return ~x + 1;
}

// ------------------------------------------------------------ host port
static void mem_write(int slot, int word, uint64_t v) {
    g_top->mem_we = 1;
    g_top->mem_addr = static_cast<uint16_t>(slot * kSlotWords + word);
    g_top->mem_wdata = v;
    settle();
    tick();
    g_top->mem_we = 0;
}

static uint64_t mem_read(int slot, int word) {
    g_top->mem_re = 1;
    g_top->mem_addr = static_cast<uint16_t>(slot * kSlotWords + word);
    settle();
    tick();
    g_top->mem_re = 0;
    settle();
    return g_top->mem_rdata;
}

static void load_words(int slot, const std::vector<uint64_t>& w) {
    for (size_t i = 0; i < w.size(); ++i) mem_write(slot, static_cast<int>(i), w[i]);
}

static void load_bn(int slot, const BIGNUM* a, int s) { load_words(slot, bn_words(a, s)); }

static std::vector<uint64_t> read_words(int slot, int s) {
    std::vector<uint64_t> w(s);
    for (int i = 0; i < s; ++i) w[i] = mem_read(slot, i);
    return w;
}

static BN read_bn(int slot, int s) { return bn_from_words(read_words(slot, s)); }

// fill a whole slot with garbage (so stale words above s would be noticed)
static void scribble(int slot) {
    for (int i = 0; i < kSlotWords; ++i) mem_write(slot, i, rnd64());
}

// ------------------------------------------------------------ operations
static uint64_t mont_cycles(int s) { return static_cast<uint64_t>(s) * s + 3u * s + 3u; }
// MUL (fetch + P(s)) and HALT (2) after the start cycle
static uint64_t prod_cycles(int s) { return mont_cycles(s) + 4; }
// the modexp program: 3 products, LDCNT, JZ, L x (LDBIT, 2 products, DJNZ), HALT
static uint64_t exp_cycles(int s, int L) {
    return (2ull * L + 3) * mont_cycles(s) + 7ull * L + 10;
}

// Run the program at `entry`: start in one cycle, count cycles until done.
// `disturb`: poke the host ports and start while busy (must be ignored).
static uint64_t run(int entry, int s, int L, uint64_t n0, uint64_t limit, bool* protocol_ok,
                    bool disturb = false) {
    g_top->start = 1;
    g_top->entry = static_cast<uint8_t>(entry);
    g_top->size = static_cast<uint8_t>(s);
    g_top->exp_bits = static_cast<uint16_t>(L);
    g_top->n0inv = n0;
    settle();
    bool ok = !g_top->busy;
    tick();
    idle_inputs();
    uint64_t n = 1;
    for (;;) {
        settle();
        if (g_top->done) break;
        if (!g_top->busy || g_top->fault || n > limit) {
            ok = false;
            break;
        }
        if (disturb) {
            // garbage writes to every slot, reads, and a conflicting start
            g_top->mem_we = (n % 3) == 0;
            g_top->mem_re = (n % 5) == 0;
            g_top->mem_addr = static_cast<uint16_t>(rnd64() % 512);
            g_top->mem_wdata = rnd64();
            g_top->ic_we = (n % 11) == 0;
            g_top->ic_addr = static_cast<uint8_t>(rnd64() % 16);
            g_top->ic_wdata = static_cast<uint32_t>(rnd64());
            g_top->start = (n % 7) == 0;
            g_top->entry = MONT_PC;
            g_top->size = 64;
            g_top->exp_bits = 100;
            g_top->n0inv = rnd64();
            settle();
        }
        tick();
        idle_inputs();
        ++n;
    }
    settle();
    if (g_top->busy) ok = false;
    tick();  // done is a one-cycle pulse
    settle();
    if (g_top->done || g_top->busy) ok = false;
    if (protocol_ok) *protocol_ok = ok;
    return n;
}

// reference: A*B*2^(-64s) mod N
static BN ref_mont(const BIGNUM* a, const BIGNUM* b, const BIGNUM* n, int s) {
    BN r = BN_new(), rinv = BN_new(), t = BN_new();
    BN_one(r);
    BN_lshift(r, r, 64 * s);
    BN_mod_inverse(rinv, r, n, g_bn);
    BN_mul(t, a, b, g_bn);
    BN_mod_mul(t, t, rinv, n, g_bn);
    BN_free(r);
    BN_free(rinv);
    return t;
}

struct MontCase {
    int a_slot, b_slot, r_slot;
};

// One product on the hardware; checks result, cycles, untouched inputs.
static bool hw_mont_check(const BIGNUM* n, const BIGNUM* a, const BIGNUM* b, int s, MontCase c,
                          BN_MONT_CTX* mctx, uint64_t* cyc, std::string* why) {
    uint64_t n0 = n0inv_of(n);
    scribble(c.r_slot);
    load_bn(SLOT_N, n, s);
    load_bn(c.a_slot, a, s);
    if (c.b_slot != c.a_slot) load_bn(c.b_slot, b, s);
    load_mont_program(c.a_slot, c.b_slot, c.r_slot);
    bool proto = false;
    uint64_t cycles = run(MONT_PC, s, 0, n0, 2 * mont_cycles(s) + 100, &proto);
    if (cyc) *cyc = cycles;
    BN got = read_bn(c.r_slot, s);
    BN want = ref_mont(a, b, n, s);
    bool ok = proto && BN_cmp(got, want) == 0;
    if (!proto) *why = "protocol (busy/done) or timeout";
    else if (!ok) *why = "got " + bn_hex(got) + " want " + bn_hex(want);
    if (ok && cycles != prod_cycles(s)) {
        ok = false;
        *why = "cycles " + std::to_string(cycles) + " != " + std::to_string(prod_cycles(s));
    }
    // OpenSSL's own Montgomery product where its R equals ours
    if (ok && mctx && BN_num_bits(n) > 64 * (s - 1) && BN_cmp(a, n) < 0 && BN_cmp(b, n) < 0) {
        BN w2 = BN_new();
        BN_mod_mul_montgomery(w2, a, b, mctx, g_bn);
        if (BN_cmp(w2, got) != 0) {
            ok = false;
            *why = "differs from BN_mod_mul_montgomery";
        }
        BN_free(w2);
    }
    // inputs not overwritten (unless aliased with R)
    if (ok) {
        BN nn = read_bn(SLOT_N, s);
        bool in_ok = BN_cmp(nn, n) == 0;
        if (c.a_slot != c.r_slot) {
            BN aa = read_bn(c.a_slot, s);
            in_ok = in_ok && BN_cmp(aa, a) == 0;
            BN_free(aa);
        }
        if (c.b_slot != c.r_slot) {
            BN bb = read_bn(c.b_slot, s);
            in_ok = in_ok && BN_cmp(bb, b) == 0;
            BN_free(bb);
        }
        BN_free(nn);
        if (!in_ok) {
            ok = false;
            *why = "an input slot was modified";
        }
    }
    BN_free(got);
    BN_free(want);
    return ok;
}

static void test_mont() {
    const int sizes[] = {192, 256, 512, 1000, 1024, 2048, 3072, 4096};
    const MontCase plain = {2, 3, 4};
    const MontCase cases[] = {{2, 3, 4}, {6, 7, 6}, {6, 7, 7}, {3, 2, 5}, {7, 6, 1}};
    for (int bits : sizes) {
        const int s = (bits + 63) / 64;
        const std::string tag = "mont " + std::to_string(bits) + "-bit (s=" + std::to_string(s) + ")";
        BN n = bn_rand_modulus(bits);
        BN_MONT_CTX* mctx = BN_MONT_CTX_new();
        BN_MONT_CTX_set(mctx, n, g_bn);
        uint64_t cyc = 0;
        std::string why;

        // random operands, slot layouts incl. R aliasing A or B
        const int nrand = bits >= 3072 ? 6 : 12;
        int bad = 0;
        std::string first_why;
        for (int k = 0; k < nrand; ++k) {
            BN a = bn_rand_below(n), b = bn_rand_below(n);
            if (!hw_mont_check(n, a, b, s, cases[k % 5], mctx, &cyc, &why)) {
                if (!bad) first_why = why;
                ++bad;
            }
            BN_free(a);
            BN_free(b);
        }
        check(bad == 0, tag + " random A, B < N (" + std::to_string(nrand) + ", R aliasing A/B)",
              first_why);
        printf("INFO %s MUL+HALT: %llu cycles (start to done; P(s) = s^2+3s+3 = %llu)\n", tag.c_str(),
               (unsigned long long)cyc, (unsigned long long)mont_cycles(s));

        // square in place: A = B = R in one slot
        {
            BN a = bn_rand_below(n);
            bool ok = hw_mont_check(n, a, a, s, MontCase{6, 6, 6}, mctx, nullptr, &why);
            check(ok, tag + " square in place (A = B = R slot)", why);
            BN_free(a);
        }

        // edge values
        BN nm1 = bn_dup(n);
        BN_sub_word(nm1, 1);
        BN r1 = bn_rand_below(n);
        BN e0 = bn_word(0), e1 = bn_word(1);
        const BIGNUM* edges[] = {e0, e1, nm1, r1};
        bad = 0;
        first_why.clear();
        for (const BIGNUM* a : edges)
            for (const BIGNUM* b : edges) {
                if (!hw_mont_check(n, a, b, s, plain, mctx, nullptr, &why)) {
                    if (!bad) first_why = why;
                    ++bad;
                }
            }
        check(bad == 0, tag + " edge operands A, B in {0, 1, N-1, random}", first_why);

        // one operand >= N (< 2^(64s)), the other < N
        {
            BN big = bn_rand_bits(64 * s);
            BN_set_bit(big, 64 * s - 1);  // >= N whenever N has < 64s bits or by chance
            BN top = BN_new();
            BN_one(top);
            BN_lshift(top, top, 64 * s);
            BN_sub_word(top, 1);  // 2^(64s) - 1
            BN b = bn_rand_below(n);
            bool ok = hw_mont_check(n, big, b, s, plain, mctx, nullptr, &why);
            ok = ok && hw_mont_check(n, b, big, s, plain, mctx, nullptr, &why);
            ok = ok && hw_mont_check(n, top, nm1, s, plain, mctx, nullptr, &why);
            ok = ok && hw_mont_check(n, nm1, top, s, plain, mctx, nullptr, &why);
            check(ok, tag + " one operand up to 2^(64s)-1, the other < N", why);
            BN_free(big);
            BN_free(top);
            BN_free(b);
        }
        BN_free(nm1);
        BN_free(r1);
        BN_free(e0);
        BN_free(e1);
        BN_MONT_CTX_free(mctx);
        BN_free(n);
    }
}

// ---------------------------------------------------------------- modexp
struct ExpResult {
    bool ok;
    uint64_t cycles;
    std::string why;
};

static ExpResult hw_modexp(const BIGNUM* n, const BIGNUM* x, const BIGNUM* e, int L, int s,
                           bool disturb = false) {
    ExpResult res{false, 0, ""};
    BN r2 = BN_new();
    BN_one(r2);
    BN_lshift(r2, r2, 128 * s);
    BN_nnmod(r2, r2, n, g_bn);
    uint64_t n0 = n0inv_of(n);
    load_bn(SLOT_N, n, s);
    load_bn(SLOT_R2, r2, s);
    load_bn(SLOT_BASE, x, s);
    load_bn(SLOT_EXP, e, kSlotWords);
    scribble(SLOT_RES);
    scribble(SLOT_TMP);
    bool proto = false;
    res.cycles = run(EXP_PC, s, L, n0, 2 * exp_cycles(s, L) + 1000, &proto, disturb);
    BN got = read_bn(SLOT_RES, s);
    BN want = BN_new();
    BN_mod_exp(want, x, e, n, g_bn);
    res.ok = proto && BN_cmp(got, want) == 0;
    if (!proto) res.why = "protocol (busy/done) or timeout";
    else if (!res.ok) res.why = "got " + bn_hex(got) + " want " + bn_hex(want);
    if (res.ok && res.cycles != exp_cycles(s, L)) {
        res.ok = false;
        res.why = "cycles " + std::to_string(res.cycles) + " != formula " +
                  std::to_string(exp_cycles(s, L));
    }
    if (res.ok) {
        BN nn = read_bn(SLOT_N, s), rr = read_bn(SLOT_R2, s), xx = read_bn(SLOT_BASE, s),
           ee = read_bn(SLOT_EXP, kSlotWords);
        if (BN_cmp(nn, n) || BN_cmp(rr, r2) || BN_cmp(xx, x) || BN_cmp(ee, e)) {
            res.ok = false;
            res.why = "an input slot (N, R2, base, exponent) was modified";
        }
        BN_free(nn);
        BN_free(rr);
        BN_free(xx);
        BN_free(ee);
    }
    BN_free(r2);
    BN_free(got);
    BN_free(want);
    return res;
}

static BN bn_exp_full(int L) {  // random exponent of exactly L bits
    BN e = bn_rand_bits(L);
    BN_set_bit(e, L - 1);
    return e;
}

static uint64_t g_cyc_2048_17 = 0, g_cyc_4096_17 = 0, g_cyc_1024_1024 = 0;

static void test_modexp() {
    const int sizes[] = {512, 1024, 2048, 3072, 4096};
    BN f4 = bn_word(65537);
    for (int bits : sizes) {
        const int s = bits / 64;
        const std::string tag = "modexp " + std::to_string(bits) + "-bit";
        BN n = bn_rand_modulus(bits);
        BN x = bn_rand_below(n);
        ExpResult r = hw_modexp(n, x, f4, 17, s);
        check(r.ok, tag + " e = 65537 (17-bit exponent), random base", r.why);
        printf("INFO %s e=65537: %llu cycles\n", tag.c_str(), (unsigned long long)r.cycles);
        if (bits == 2048) g_cyc_2048_17 = r.cycles;
        if (bits == 4096) g_cyc_4096_17 = r.cycles;

        BN nm1 = bn_dup(n);
        BN_sub_word(nm1, 1);
        r = hw_modexp(n, nm1, f4, 17, s);
        check(r.ok, tag + " e = 65537, base N-1", r.why);

        BN e64 = bn_exp_full(64);
        r = hw_modexp(n, x, e64, 64, s);
        check(r.ok, tag + " random 64-bit exponent, random base", r.why);

        // full-length exponent: all sizes up to 2048, one each at 3072/4096
        BN ef = bn_exp_full(bits);
        r = hw_modexp(n, x, ef, bits, s);
        check(r.ok, tag + " full-length " + std::to_string(bits) + "-bit exponent", r.why);
        printf("INFO %s %d-bit exponent: %llu cycles\n", tag.c_str(), bits,
               (unsigned long long)r.cycles);
        if (bits == 1024) g_cyc_1024_1024 = r.cycles;

        BN_free(n);
        BN_free(x);
        BN_free(nm1);
        BN_free(e64);
        BN_free(ef);
    }

    // edge cases at 512 and 1024 bits, and a 1000-bit modulus in 16 words
    const int ebits[] = {512, 1024, 1000};
    for (int bits : ebits) {
        const int s = (bits + 63) / 64;
        const std::string tag = "modexp " + std::to_string(bits) + "-bit";
        BN n = bn_rand_modulus(bits);
        BN x = bn_rand_below(n);
        BN nm1 = bn_dup(n);
        BN_sub_word(nm1, 1);
        BN zero = bn_word(0), one = bn_word(1), two = bn_word(2);
        BN e = bn_exp_full(200);
        auto t = [&](const BIGNUM* xb, const BIGNUM* eb, int L, const char* what) {
            ExpResult r = hw_modexp(n, xb, eb, L, s);
            check(r.ok, tag + " " + what, r.why);
        };
        t(x, zero, 0, "exponent 0 (exp_bits 0) -> 1");
        t(x, zero, 7, "exponent 0 with exp_bits 7 (leading zeros) -> 1");
        t(x, one, 1, "exponent 1");
        t(x, one, 130, "exponent 1 with exp_bits 130");
        t(x, two, 2, "exponent 2");
        t(zero, e, 200, "base 0");
        t(one, e, 200, "base 1");
        BN e2 = bn_dup(e);
        BN_set_bit(e2, 0);
        t(nm1, e2, 200, "base N-1, odd exponent");
        BN_clear_bit(e2, 0);
        t(nm1, e2, 200, "base N-1, even exponent");
        // base in [N, 2^(64s)-1]: reduced by the conversion product
        BN top = BN_new();
        BN_one(top);
        BN_lshift(top, top, 64 * s);
        BN gap = BN_new();
        BN_sub(gap, top, n);  // 2^(64s) - N >= 1
        BN off = bn_rand_below(gap);
        BN big = BN_new();
        BN_sub(big, top, off);
        BN_sub_word(big, 1);  // 2^(64s) - 1 - off >= N
        t(big, e, 200, "base >= N (random in [N, 2^(64s)-1])");
        BN_copy(big, top);
        BN_sub_word(big, 1);
        t(big, e, 200, "base 2^(64s)-1");
        BN_free(top);
        BN_free(gap);
        BN_free(off);
        BN_free(n);
        BN_free(x);
        BN_free(nm1);
        BN_free(zero);
        BN_free(one);
        BN_free(two);
        BN_free(e);
        BN_free(e2);
        BN_free(big);
    }
    BN_free(f4);
}

// A real RSA-2048 key (primes found from the test's own random stream): the
// public operation on the hardware at 2048 bits, the private one with CRT as
// two 1024-bit hardware modexps (full 1024-bit exponent length, whatever
// dP/dQ's actual length) plus the recombination in software.
static BN next_prime(int bits) {
    BN p = bn_rand_bits(bits);
    BN_set_bit(p, bits - 1);
    BN_set_bit(p, bits - 2);
    BN_set_bit(p, 0);
    while (BN_check_prime(p, g_bn, nullptr) != 1) BN_add_word(p, 2);
    return p;
}

static void test_rsa_crt() {
    BN e = bn_word(65537);
    BN p, q;
    BN one = bn_word(1), pm1 = BN_new(), qm1 = BN_new(), g = BN_new();
    for (;;) {
        p = next_prime(1024);
        q = next_prime(1024);
        BN_sub(pm1, p, one);
        BN_sub(qm1, q, one);
        bool ok = BN_cmp(p, q) != 0;
        BN_gcd(g, pm1, e, g_bn);
        ok = ok && BN_is_one(g);
        BN_gcd(g, qm1, e, g_bn);
        ok = ok && BN_is_one(g);
        if (ok) break;
        BN_free(p);
        BN_free(q);
    }
    BN n = BN_new(), phi = BN_new(), d = BN_new(), dp = BN_new(), dq = BN_new(), qinv = BN_new();
    BN_mul(n, p, q, g_bn);
    BN_mul(phi, pm1, qm1, g_bn);
    BN_mod_inverse(d, e, phi, g_bn);
    BN_nnmod(dp, d, pm1, g_bn);
    BN_nnmod(dq, d, qm1, g_bn);
    BN_mod_inverse(qinv, q, p, g_bn);

    BN m = bn_rand_below(n);
    // public: c = m^e mod n on the hardware
    ExpResult pub = hw_modexp(n, m, e, 17, 32);
    BN c = read_bn(SLOT_RES, 32);
    check(pub.ok, "RSA-2048 public operation (real key, e = 65537) on the hardware", pub.why);
    // private with CRT: m1 = (c mod p)^dP mod p, m2 = (c mod q)^dQ mod q
    BN cp = BN_new(), cq = BN_new();
    BN_nnmod(cp, c, p, g_bn);
    BN_nnmod(cq, c, q, g_bn);
    ExpResult r1 = hw_modexp(p, cp, dp, 1024, 16);
    BN m1 = read_bn(SLOT_RES, 16);
    ExpResult rr2 = hw_modexp(q, cq, dq, 1024, 16);
    BN m2 = read_bn(SLOT_RES, 16);
    // h = qInv * (m1 - m2) mod p, m' = m2 + h * q
    BN h = BN_new(), mm = BN_new();
    BN_mod_sub(h, m1, m2, p, g_bn);
    BN_mod_mul(h, h, qinv, p, g_bn);
    BN_mul(mm, h, q, g_bn);
    BN_add(mm, mm, m2);
    const uint64_t total = r1.cycles + rr2.cycles;
    printf("INFO RSA-2048 CRT private (2 x 1024-bit modexp, 1024-bit exponents): %llu + %llu = "
           "%llu cycles\n",
           (unsigned long long)r1.cycles, (unsigned long long)rr2.cycles,
           (unsigned long long)total);
    check(r1.ok && rr2.ok && BN_cmp(mm, m) == 0,
          "RSA-2048 private operation with CRT (two 1024-bit hardware modexps) recovers m",
          r1.why + rr2.why);
    check(total <= 2000000, "RSA-2048 CRT modexps " + std::to_string(total) + " <= 2000000 cycles");
    BN_free(e);
    BN_free(p);
    BN_free(q);
    BN_free(one);
    BN_free(pm1);
    BN_free(qm1);
    BN_free(g);
    BN_free(n);
    BN_free(phi);
    BN_free(d);
    BN_free(dp);
    BN_free(dq);
    BN_free(qinv);
    BN_free(m);
    BN_free(c);
    BN_free(cp);
    BN_free(cq);
    BN_free(m1);
    BN_free(m2);
    BN_free(h);
    BN_free(mm);
}

// host port / start pokes while busy must not disturb the run
static void test_busy_port() {
    const int s = 8;
    BN n = bn_rand_modulus(512);
    BN x = bn_rand_below(n);
    BN e = bn_exp_full(40);
    ExpResult r = hw_modexp(n, x, e, 40, s, true);
    check(r.ok, "modexp 512-bit: host writes/reads, microcode writes and start pulses while busy are ignored",
          r.why);
    BN_free(n);
    BN_free(x);
    BN_free(e);
}

static void test_targets() {
    const uint64_t crt = 2 * g_cyc_1024_1024;
    printf("INFO RSA-2048 public (2048-bit, e=65537): %llu cycles (target <= 60,000)\n",
           (unsigned long long)g_cyc_2048_17);
    printf("INFO RSA-4096 public (4096-bit, e=65537): %llu cycles (target <= 250,000)\n",
           (unsigned long long)g_cyc_4096_17);
    printf("INFO 1024-bit modexp, 1024-bit exponent: %llu cycles (target <= 1,000,000)\n",
           (unsigned long long)g_cyc_1024_1024);
    printf("INFO RSA-2048 CRT private projection (2 x 1024-bit modexp): %llu cycles "
           "(target <= 2,000,000 incl. recombination)\n",
           (unsigned long long)crt);
    check(g_cyc_2048_17 > 0 && g_cyc_2048_17 <= 60000,
          "cycle target: 2048-bit modexp, 17-bit exponent " + std::to_string(g_cyc_2048_17) +
              " <= 60000");
    check(g_cyc_4096_17 > 0 && g_cyc_4096_17 <= 250000,
          "cycle target: 4096-bit modexp, 17-bit exponent " + std::to_string(g_cyc_4096_17) +
              " <= 250000");
    check(g_cyc_1024_1024 > 0 && g_cyc_1024_1024 <= 1000000,
          "cycle target: 1024-bit modexp, 1024-bit exponent " + std::to_string(g_cyc_1024_1024) +
              " <= 1000000");
    check(crt > 0 && crt <= 2000000,
          "cycle target: RSA-2048 CRT projection " + std::to_string(crt) + " <= 2000000");
}

// same exponent length, very different Hamming weight -> identical cycles
static void test_constant_time() {
    struct Cfg {
        int bits, L;
    };
    const Cfg cfgs[] = {{1024, 1024}, {2048, 17}, {512, 512}};
    for (const Cfg& c : cfgs) {
        const int s = c.bits / 64;
        BN n = bn_rand_modulus(c.bits);
        BN x = bn_rand_below(n);
        BN sparse = BN_new();  // 0x8000...0001
        BN_set_bit(sparse, c.L - 1);
        BN_set_bit(sparse, 0);
        BN dense = BN_new();  // 0xFFFF...FFFF
        BN_one(dense);
        BN_lshift(dense, dense, c.L);
        BN_sub_word(dense, 1);
        BN rnd = bn_exp_full(c.L);
        ExpResult a = hw_modexp(n, x, sparse, c.L, s);
        ExpResult b = hw_modexp(n, x, dense, c.L, s);
        ExpResult d = hw_modexp(n, x, rnd, c.L, s);
        const std::string tag = "constant time " + std::to_string(c.bits) + "-bit, " +
                                std::to_string(c.L) + "-bit exponents";
        printf("INFO %s: weight 2 -> %llu, weight %d -> %llu, random -> %llu cycles\n",
               tag.c_str(), (unsigned long long)a.cycles, c.L, (unsigned long long)b.cycles,
               (unsigned long long)d.cycles);
        check(a.ok && b.ok && d.ok, tag + ": results correct, cycles = formula",
              a.why + " " + b.why + " " + d.why);
        check(a.cycles == b.cycles && b.cycles == d.cycles,
              tag + ": 0x80..01, 0xFF..FF and random take identical cycles");
        BN_free(n);
        BN_free(x);
        BN_free(sparse);
        BN_free(dense);
        BN_free(rnd);
    }
}

// start, then wait for the stop; true if it stopped with fault (and not done)
static bool runs_into_fault(int entry, int s, uint64_t limit) {
    g_top->start = 1;
    g_top->entry = static_cast<uint8_t>(entry);
    g_top->size = static_cast<uint8_t>(s);
    g_top->exp_bits = 5;
    settle();
    tick();
    idle_inputs();
    for (uint64_t n = 0; n < limit; ++n) {
        settle();
        if (g_top->fault || g_top->done) {
            bool f = g_top->fault && !g_top->done && !g_top->busy;
            tick();
            return f;
        }
        tick();
    }
    return false;
}

static void test_faults() {
    check(runs_into_fault(EXP_PC, 2, 10), "fault: size 2 words (< 3) refused at start");
    check(runs_into_fault(EXP_PC, 65, 10), "fault: size 65 words (> 64) refused at start");
    ic_write(FAULT_PC, insn(XCE_PKA_OP_LDCNT));
    ic_write(FAULT_PC + 1, 0xf0000000u);
    check(runs_into_fault(FAULT_PC, 8, 20), "fault: unknown opcode 15 stops the sequencer");
    ic_write(FAULT_PC + 1, insn(XCE_PKA_OP_MUL, 0, 2, 3));
    check(runs_into_fault(FAULT_PC, 8, 20), "fault: MUL into slot 0 (the modulus) stops the sequencer");
    // a program after a fault runs normally, and the corruption hook is seen
    BN n = bn_rand_modulus(512);
    BN x = bn_rand_below(n);
    BN e = bn_exp_full(30);
    ExpResult r = hw_modexp(n, x, e, 30, 8);
    check(r.ok, "modexp after faults runs normally", r.why);
    g_top->fault_corrupt = 1;
    r = hw_modexp(n, x, e, 30, 8);
    g_top->fault_corrupt = 0;
    check(!r.ok && r.why.rfind("got ", 0) == 0, "fault_corrupt hook: modexp result is wrong",
          r.why);
    BN_free(n);
    BN_free(x);
    BN_free(e);
}

int main(int argc, char** argv) {
    g_top = tb::make_top<Vpka_top>(g_ctx, argc, argv);
    g_bn = BN_CTX_new();

    idle_inputs();
    tb::reset(*g_top, g_cycle);
    settle();
    check(!g_top->busy && !g_top->done, "reset: busy and done low");

    // host port round trip
    {
        bool ok = true;
        std::vector<uint64_t> v(512);
        for (int i = 0; i < 512; ++i) {
            v[i] = rnd64();
            mem_write(i / 64, i % 64, v[i]);
        }
        for (int i = 0; i < 512; ++i) ok = ok && mem_read(i / 64, i % 64) == v[i];
        check(ok, "operand memory: 512 words written and read back through the host port");
    }

    load_modexp_program();
    test_faults();
    test_mont();
    test_modexp();
    test_busy_port();
    test_constant_time();
    test_rsa_crt();
    test_targets();

    g_top->final();
    BN_CTX_free(g_bn);
    printf("INFO %llu cycles simulated\n", (unsigned long long)g_cycle);
    return tb::finish("tb_pka");
}
