// tb_aes_stream.cpp - Verilator C++ testbench for rtl/aes_stream.v
//
// Checks: NIST SP 800-38A F.1 (ECB), F.2 (CBC) and F.5 (CTR) vectors for
// AES-128/192/256, encrypt and decrypt, at full rate (in_valid and out_ready
// held high; steady state must be exactly Nr+1 cycles/block), the same
// vectors under pseudo-random back-pressure (in_valid/out_ready toggled),
// long random streams against a small software AES model (full rate and
// back-pressure), CTR counter wrap-around, output hold while out_ready is
// low, no lost or duplicated blocks, fault_stuck, and cfg_start flushing a
// request in progress.
// Exit status is non-zero if anything fails.

#include "Vaes_stream.h"
#include "tb_util.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

using tb::check;
using tb::get_wide;
using tb::put_wide;

typedef std::array<uint8_t, 16> Block;
typedef std::array<uint8_t, 32> Key;

enum { ECB = 0, CBC = 1, CTR = 2 };
static const char* kModeName[3] = {"ecb", "cbc", "ctr"};

static std::unique_ptr<VerilatedContext> g_ctx;
static std::unique_ptr<Vaes_stream> g_top;
static uint64_t g_cycle = 0;

// ------------------------------------------------------------------ helpers
static Block blk(const char* s) { return tb::hex_to_array<16>(s); }

static Key keyb(const char* s) { return tb::hex_to_array<32>(s); }

static std::string hexs(const Block& b) { return tb::bytes_to_hex(b); }

static int nr_of(int len) { return len == 0 ? 10 : (len == 1 ? 12 : 14); }
static int bits_of(int len) { return len == 0 ? 128 : (len == 1 ? 192 : 256); }

static tb::Xorshift64 g_rng{0x9e3779b97f4a7c15ull};
static uint32_t rnd() { return static_cast<uint32_t>(g_rng.next() >> 16); }

// -------------------------------------------- software AES reference model
// Plain byte-oriented FIPS-197 implementation, used only as a test oracle
// for long random streams (it is itself checked against the vectors below).
namespace ref {

static uint8_t sbox[256], isbox[256];

static uint8_t xt(uint8_t a) { return static_cast<uint8_t>((a << 1) ^ ((a & 0x80) ? 0x1b : 0)); }
static uint8_t mul(uint8_t a, uint8_t b) {
    uint8_t r = 0;
    while (b) {
        if (b & 1) r ^= a;
        a = xt(a);
        b >>= 1;
    }
    return r;
}

static void init() {
    for (int a = 0; a < 256; ++a) {
        uint8_t inv = 0;
        for (int x = 1; x < 256 && a; ++x)
            if (mul(static_cast<uint8_t>(a), static_cast<uint8_t>(x)) == 1) inv = static_cast<uint8_t>(x);
        uint8_t s = inv;
        for (int r = 1; r < 5; ++r) s ^= static_cast<uint8_t>((inv << r) | (inv >> (8 - r)));
        s ^= 0x63;
        sbox[a] = s;
        isbox[s] = static_cast<uint8_t>(a);
    }
}

struct Sched {
    int nr;
    uint8_t rk[15][16];
};

static Sched expand(const Key& key, int len) {
    Sched s;
    const int nk = len == 0 ? 4 : (len == 1 ? 6 : 8);
    s.nr = nk + 6;
    uint8_t w[60][4];
    for (int i = 0; i < nk; ++i)
        for (int j = 0; j < 4; ++j) w[i][j] = key[4 * i + j];
    uint8_t rcon = 1;
    for (int i = nk; i < 4 * (s.nr + 1); ++i) {
        uint8_t t[4] = {w[i - 1][0], w[i - 1][1], w[i - 1][2], w[i - 1][3]};
        if (i % nk == 0) {
            uint8_t t0 = t[0];
            t[0] = sbox[t[1]] ^ rcon;
            t[1] = sbox[t[2]];
            t[2] = sbox[t[3]];
            t[3] = sbox[t0];
            rcon = xt(rcon);
        } else if (nk == 8 && i % nk == 4) {
            for (int j = 0; j < 4; ++j) t[j] = sbox[t[j]];
        }
        for (int j = 0; j < 4; ++j) w[i][j] = w[i - nk][j] ^ t[j];
    }
    for (int r = 0; r <= s.nr; ++r)
        for (int c = 0; c < 4; ++c)
            for (int j = 0; j < 4; ++j) s.rk[r][4 * c + j] = w[4 * r + c][j];
    return s;
}

static void ark(Block& b, const uint8_t* k) {
    for (int i = 0; i < 16; ++i) b[i] ^= k[i];
}

static Block encrypt(const Sched& s, Block b) {
    ark(b, s.rk[0]);
    for (int r = 1; r <= s.nr; ++r) {
        Block t;
        for (int c = 0; c < 4; ++c)
            for (int row = 0; row < 4; ++row) t[4 * c + row] = sbox[b[4 * ((c + row) % 4) + row]];
        if (r != s.nr) {
            for (int c = 0; c < 4; ++c) {
                uint8_t* a = &t[4 * c];
                uint8_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
                a[0] = mul(a0, 2) ^ mul(a1, 3) ^ a2 ^ a3;
                a[1] = a0 ^ mul(a1, 2) ^ mul(a2, 3) ^ a3;
                a[2] = a0 ^ a1 ^ mul(a2, 2) ^ mul(a3, 3);
                a[3] = mul(a0, 3) ^ a1 ^ a2 ^ mul(a3, 2);
            }
        }
        ark(t, s.rk[r]);
        b = t;
    }
    return b;
}

static Block decrypt(const Sched& s, Block b) {
    ark(b, s.rk[s.nr]);
    for (int r = s.nr - 1; r >= 0; --r) {
        Block t;
        for (int c = 0; c < 4; ++c)
            for (int row = 0; row < 4; ++row) t[4 * ((c + row) % 4) + row] = isbox[b[4 * c + row]];
        ark(t, s.rk[r]);
        if (r != 0) {
            for (int c = 0; c < 4; ++c) {
                uint8_t* a = &t[4 * c];
                uint8_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
                a[0] = mul(a0, 14) ^ mul(a1, 11) ^ mul(a2, 13) ^ mul(a3, 9);
                a[1] = mul(a0, 9) ^ mul(a1, 14) ^ mul(a2, 11) ^ mul(a3, 13);
                a[2] = mul(a0, 13) ^ mul(a1, 9) ^ mul(a2, 14) ^ mul(a3, 11);
                a[3] = mul(a0, 11) ^ mul(a1, 13) ^ mul(a2, 9) ^ mul(a3, 14);
            }
        }
        b = t;
    }
    return b;
}

static Block xorb(const Block& a, const Block& b) {
    Block r;
    for (int i = 0; i < 16; ++i) r[i] = a[i] ^ b[i];
    return r;
}

static void inc(Block& c) {
    for (int i = 15; i >= 0; --i)
        if (++c[i] != 0) break;
}

// whole-request model of the stream semantics
static std::vector<Block> run(int mode, bool dec, const Key& key, int len, Block iv,
                              const std::vector<Block>& in) {
    Sched s = expand(key, len);
    std::vector<Block> out;
    for (const Block& x : in) {
        if (mode == CTR) {
            out.push_back(xorb(x, encrypt(s, iv)));
            inc(iv);
        } else if (mode == CBC && !dec) {
            iv = encrypt(s, xorb(x, iv));
            out.push_back(iv);
        } else if (mode == CBC) {
            out.push_back(xorb(decrypt(s, x), iv));
            iv = x;
        } else {
            out.push_back(dec ? decrypt(s, x) : encrypt(s, x));
        }
    }
    return out;
}

}  // namespace ref

// ------------------------------------------------------------ DUT driving
static void settle() { g_top->eval(); }

static void tick() { tb::clock_tick(*g_top, g_cycle); }

static void idle_inputs() {
    g_top->cfg_start = 0;
    g_top->key_load = 0;
    g_top->in_valid = 0;
    g_top->out_ready = 0;
    g_top->fault_stuck = 0;
}

static Key g_cur_key{};
static int g_cur_len = -1;

static bool load_key(const Key& k, int len) {
    if (g_cur_len == len && g_cur_key == k) return true;
    idle_inputs();
    put_wide(g_top->key, k.data());
    g_top->key_len = len;
    g_top->key_load = 1;
    settle();
    tick();
    g_top->key_load = 0;
    for (int n = 0; n < 200; ++n) {
        settle();
        if (g_top->key_ready) {
            g_cur_key = k;
            g_cur_len = len;
            return true;
        }
        tick();
    }
    return false;
}

static void cfg(int mode, bool dec, const Block& iv) {
    idle_inputs();
    g_top->cfg_start = 1;
    g_top->cfg_mode = mode;
    g_top->cfg_decrypt = dec;
    put_wide(g_top->cfg_iv, iv.data());
    settle();
    tick();
    g_top->cfg_start = 0;
}

struct RunResult {
    bool ok;           // outputs matched, count exact, no extra output
    bool hold_ok;      // out_data/out_valid stable while stalled
    double avg;        // cycles/block between first and last output
    uint64_t max_gap;  // largest gap between consecutive outputs
    std::string why;
};

// Stream `in` through the DUT; in_prob/out_prob are the percent chances of
// offering an input / accepting an output in a cycle (100 = held high).
static RunResult stream(const std::vector<Block>& in, const std::vector<Block>& want,
                        int in_prob, int out_prob) {
    RunResult r{true, true, 0.0, 0, ""};
    size_t ni = 0, no = 0;
    std::vector<uint64_t> t_out;
    bool stalled = false;
    Block stalled_data{};
    const uint64_t guard = g_cycle + 200 + in.size() * 200;
    while (no < want.size() && g_cycle < guard) {
        bool offer = ni < in.size() && static_cast<int>(rnd() % 100) < in_prob;
        g_top->in_valid = offer;
        if (ni < in.size()) put_wide(g_top->in_data, in[ni].data());
        g_top->out_ready = static_cast<int>(rnd() % 100) < out_prob;
        settle();
        Block od;
        get_wide(g_top->out_data, od.data());
        if (stalled && (!g_top->out_valid || od != stalled_data)) r.hold_ok = false;
        if (g_top->out_valid && g_top->out_ready) {
            if (od != want[no]) {
                r.ok = false;
                if (r.why.empty())
                    r.why = "block " + std::to_string(no) + " got " + hexs(od) + " want " +
                            hexs(want[no]);
            }
            ++no;
            t_out.push_back(g_cycle);
            stalled = false;
        } else {
            stalled = g_top->out_valid;
            stalled_data = od;
        }
        if (offer && g_top->in_ready) ++ni;
        tick();
    }
    if (no != want.size()) {
        r.ok = false;
        r.why += " timeout after " + std::to_string(no) + " outputs";
    }
    // nothing more may come out or be pending
    g_top->in_valid = 0;
    g_top->out_ready = 1;
    for (int n = 0; n < 40; ++n) {
        settle();
        if (g_top->out_valid) {
            r.ok = false;
            r.why += " extra output";
            break;
        }
        tick();
    }
    g_top->out_ready = 0;
    for (size_t k = 1; k < t_out.size(); ++k)
        if (t_out[k] - t_out[k - 1] > r.max_gap) r.max_gap = t_out[k] - t_out[k - 1];
    if (t_out.size() > 1)
        r.avg = double(t_out.back() - t_out.front()) / double(t_out.size() - 1);
    return r;
}

// ----------------------------------------------------- SP 800-38A vectors
// Plaintext shared by all F.1/F.2/F.5 examples.
static const char* kPt[4] = {
    "6bc1bee22e409f96e93d7e117393172a", "ae2d8a571e03ac9c9eb76fac45af8e51",
    "30c81c46a35ce411e5fbc1191a0a52ef", "f69f2445df4f9b17ad2b417be66c3710"};
static const char* kKey[3] = {
    "2b7e151628aed2a6abf7158809cf4f3c",
    "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
    "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4"};
static const char* kCbcIv = "000102030405060708090a0b0c0d0e0f";  // SP 800-38A F.2
static const char* kCtrIv = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";  // SP 800-38A F.5
// kCt[mode][len]
static const char* kCt[3][3][4] = {
    {// SP 800-38A F.1.1 / F.1.3 / F.1.5 (ECB-AES128/192/256 encrypt)
     {"3ad77bb40d7a3660a89ecaf32466ef97", "f5d3d58503b9699de785895a96fdbaaf",
      "43b1cd7f598ece23881b00e3ed030688", "7b0c785e27e8ad3f8223207104725dd4"},
     {"bd334f1d6e45f25ff712a214571fa5cc", "974104846d0ad3ad7734ecb3ecee4eef",
      "ef7afd2270e2e60adce0ba2face6444e", "9a4b41ba738d6c72fb16691603c18e0e"},
     {"f3eed1bdb5d2a03c064b5a7e3db181f8", "591ccb10d410ed26dc5ba74a31362870",
      "b6ed21b99ca6f4f9f153e7b1beafed1d", "23304b7a39f9f3ff067d8d8f9e24ecc7"}},
    {// SP 800-38A F.2.1 / F.2.3 / F.2.5 (CBC-AES128/192/256 encrypt)
     {"7649abac8119b246cee98e9b12e9197d", "5086cb9b507219ee95db113a917678b2",
      "73bed6b8e3c1743b7116e69e22229516", "3ff1caa1681fac09120eca307586e1a7"},
     {"4f021db243bc633d7178183a9fa071e8", "b4d9ada9ad7dedf4e5e738763f69145a",
      "571b242012fb7ae07fa9baac3df102e0", "08b0e27988598881d920a9e64f5615cd"},
     {"f58c4c04d6e5f1ba779eabfb5f7bfbd6", "9cfc4e967edb808d679f777bc6702c7d",
      "39f23369a9d9bacfa530e26304231461", "b2eb05e2c39be9fcda6c19078c6a9d1b"}},
    {// SP 800-38A F.5.1 / F.5.3 / F.5.5 (CTR-AES128/192/256 encrypt)
     {"874d6191b620e3261bef6864990db6ce", "9806f66b7970fdff8617187bb9fffdff",
      "5ae4df3edbd5d35e5b4f09020db03eab", "1e031dda2fbe03d1792170a0f3009cee"},
     {"1abc932417521ca24f2b0459fe7e6e0b", "090339ec0aa6faefd5ccc2c6f4ce8e94",
      "1e36b26bd1ebc670d1bd1d665620abf7", "4f78a7f6d29809585a97daec58c6b050"},
     {"601ec313775789a5b7a7f504bbf3d228", "f443e3ca4d62b59aca84e990cacaf5c5",
      "2b0930daa23de94ce87017ba2d84988d", "dfc9c58db67aada613c2dd08457941a6"}}};
// (the decrypt examples F.1.2/F.1.4/F.1.6, F.2.2/..., F.5.2/... use the same
// data with input and output swapped)

static std::string tag(int len, int mode, bool dec) {
    return "aes-" + std::to_string(bits_of(len)) + " " + kModeName[mode] + (dec ? " dec" : " enc");
}

// worst steady-state cycles/block seen per [len][mode][dec] at full rate
static uint64_t g_steady[3][3][2];

static void test_vectors(bool backpressure) {
    for (int len = 0; len < 3; ++len) {
        for (int mode = 0; mode < 3; ++mode) {
            for (int dec = 0; dec < 2; ++dec) {
                std::vector<Block> pt, ct;
                for (int i = 0; i < 4; ++i) {
                    pt.push_back(blk(kPt[i]));
                    ct.push_back(blk(kCt[mode][len][i]));
                }
                Block iv = blk(mode == CTR ? kCtrIv : kCbcIv);
                bool ok = load_key(keyb(kKey[len]), len);
                cfg(mode, dec, iv);
                RunResult r = backpressure ? stream(dec ? ct : pt, dec ? pt : ct, 45, 40)
                                           : stream(dec ? ct : pt, dec ? pt : ct, 100, 100);
                std::string name = tag(len, mode, dec) + (backpressure ? " sp800-38a backpressure"
                                                                       : "");
                check(ok && r.ok && r.hold_ok, name, r.why + (r.hold_ok ? "" : " output not held"));
                if (!backpressure) {
                    const uint64_t target = nr_of(len) + 1;
                    check(r.max_gap == target,
                          tag(len, mode, dec) + " full rate " + std::to_string(r.max_gap) +
                              " cycles/block",
                          "(must be " + std::to_string(target) + ")");
                }
            }
        }
    }
}

// Long random requests against the software model.
static void test_random(bool backpressure, int nblocks) {
    for (int len = 0; len < 3; ++len) {
        Key k{};
        for (int i = 0; i < 32; ++i) k[i] = static_cast<uint8_t>(rnd());
        bool kok = load_key(k, len);
        for (int mode = 0; mode < 3; ++mode) {
            for (int dec = 0; dec < 2; ++dec) {
                Block iv;
                for (int i = 0; i < 16; ++i) iv[i] = static_cast<uint8_t>(rnd());
                std::vector<Block> in(nblocks);
                for (auto& b : in)
                    for (int i = 0; i < 16; ++i) b[i] = static_cast<uint8_t>(rnd());
                std::vector<Block> want = ref::run(mode, dec, k, len, iv, in);
                cfg(mode, dec, iv);
                RunResult r = backpressure ? stream(in, want, 60, 50) : stream(in, want, 100, 100);
                std::string name = tag(len, mode, dec) + " random " + std::to_string(nblocks) +
                                   " blocks" + (backpressure ? " backpressure" : " full rate");
                check(kok && r.ok && r.hold_ok, name, r.why);
                if (!backpressure) {
                    const uint64_t target = nr_of(len) + 1;
                    g_steady[len][mode][dec] = r.max_gap;
                    printf("INFO %s steady state %.2f cycles/block (max gap %llu, target %llu)\n",
                           tag(len, mode, dec).c_str(), r.avg, (unsigned long long)r.max_gap,
                           (unsigned long long)target);
                    check(r.max_gap == target && r.avg <= double(target),
                          tag(len, mode, dec) + " steady state " + std::to_string(r.max_gap) +
                              " cycles/block",
                          "(must be " + std::to_string(target) + ")");
                }
            }
        }
    }
}

// CTR counter wraps as a 128-bit integer.
static void test_ctr_wrap() {
    const int len = 0;
    Key k = keyb(kKey[0]);
    load_key(k, len);
    Block iv = blk("fffffffffffffffffffffffffffffffe");
    std::vector<Block> in;
    for (int i = 0; i < 4; ++i) in.push_back(blk(kPt[i]));
    std::vector<Block> want = ref::run(CTR, false, k, len, iv, in);
    cfg(CTR, false, iv);
    RunResult r = stream(in, want, 100, 100);
    // independent check of block 2 (counter 0...0): E(0) ^ pt[2]
    ref::Sched s = ref::expand(k, len);
    Block z{};
    bool ind = want[2] == ref::xorb(blk(kPt[2]), ref::encrypt(s, z));
    check(r.ok && ind, "aes-128 ctr counter wraps ff..ff -> 00..00", r.why);
}

// fault_stuck: no output while stuck, correct output after release.
static void test_fault() {
    const int len = 2;
    load_key(keyb(kKey[len]), len);
    cfg(CBC, false, blk(kCbcIv));
    g_top->out_ready = 1;
    g_top->fault_stuck = 1;
    size_t ni = 0;
    bool ok = true;
    for (int n = 0; n < 300; ++n) {
        g_top->in_valid = ni < 4;
        if (ni < 4) put_wide(g_top->in_data, blk(kPt[ni]).data());
        settle();
        if (g_top->out_valid) ok = false;
        if (g_top->in_valid && g_top->in_ready) ++ni;
        tick();
    }
    check(ok && ni == 1, "fault_stuck=1: no output, one block buffered");
    g_top->fault_stuck = 0;
    std::vector<Block> in, want;
    for (size_t i = ni; i < 4; ++i) in.push_back(blk(kPt[i]));
    for (int i = 0; i < 4; ++i) want.push_back(blk(kCt[CBC][len][i]));
    // the buffered block is started after release; feed the remaining three
    RunResult r = stream(in, want, 100, 100);
    check(r.ok, "fault_stuck released: aes-256 cbc enc completes", r.why);
}

// cfg_start flushes a request in progress: nothing stale comes out and the
// new request is processed correctly.  Case 0: one result held (out_ready
// low) plus one block buffered.  Case 1: a block still inside the core.
static void test_cfg_flush() {
    const int len = 1;
    load_key(keyb(kKey[len]), len);
    for (int c = 0; c < 2; ++c) {
        cfg(ECB, false, blk(kCbcIv));
        size_t ni = 0;
        const int cycles = c == 0 ? 40 : 4;
        const size_t nfeed = c == 0 ? 2 : 1;
        for (int n = 0; n < cycles; ++n) {
            g_top->in_valid = ni < nfeed;
            put_wide(g_top->in_data, blk("00112233445566778899aabbccddeeff").data());
            g_top->out_ready = 0;
            settle();
            if (g_top->in_valid && g_top->in_ready) ++ni;
            tick();
        }
        g_top->in_valid = 0;
        cfg(CBC, false, blk(kCbcIv));
        std::vector<Block> in, want;
        for (int i = 0; i < 4; ++i) {
            in.push_back(blk(kPt[i]));
            want.push_back(blk(kCt[CBC][len][i]));
        }
        RunResult r = stream(in, want, 100, 100);
        check(ni == nfeed && r.ok,
              std::string("cfg_start flushes ") + (c == 0 ? "held result + buffer" : "busy core") +
                  ", then aes-192 cbc enc",
              r.why);
    }
}

int main(int argc, char** argv) {
    ref::init();
    g_top = tb::make_top<Vaes_stream>(g_ctx, argc, argv);

    // the software model must itself reproduce the vectors
    {
        bool ok = true;
        for (int len = 0; len < 3; ++len)
            for (int mode = 0; mode < 3; ++mode) {
                std::vector<Block> pt;
                for (int i = 0; i < 4; ++i) pt.push_back(blk(kPt[i]));
                Block iv = blk(mode == CTR ? kCtrIv : kCbcIv);
                std::vector<Block> c = ref::run(mode, false, keyb(kKey[len]), len, iv, pt);
                std::vector<Block> p = ref::run(mode, true, keyb(kKey[len]), len, iv, c);
                for (int i = 0; i < 4; ++i)
                    if (c[i] != blk(kCt[mode][len][i]) || p[i] != pt[i]) ok = false;
            }
        check(ok, "software reference model matches SP 800-38A");
    }

    idle_inputs();
    tb::reset(*g_top, g_cycle);

    test_vectors(false);
    test_vectors(true);
    test_random(false, 64);
    test_random(true, 64);
    test_ctr_wrap();
    test_fault();
    test_cfg_flush();

    printf("SUMMARY steady-state cycles/block (in_valid=out_ready=1):\n");
    for (int len = 0; len < 3; ++len) {
        printf("  aes-%d:", bits_of(len));
        for (int mode = 0; mode < 3; ++mode)
            printf("  %s enc %llu dec %llu", kModeName[mode],
                   (unsigned long long)g_steady[len][mode][0],
                   (unsigned long long)g_steady[len][mode][1]);
        printf("\n");
    }

    g_top->final();
    return tb::finish("tb_aes_stream");
}
