// tb_des_stream.cpp - Verilator C++ testbench for rtl/des_stream.v
//
// Checks: FIPS 81 Appendix B ECB and CBC examples (DES) and the NIST SP 800-67
// Rev.2 Appendix B TDEA example (each also confirmed against OpenSSL), at
// full rate (in_valid and out_ready held high; steady state must be <= 17 /
// 49 cycles per block, measured and printed) and under pseudo-random
// back-pressure; a randomised differential test against OpenSSL EVP
// des-ecb, des-cbc, des-ede3, des-ede3-cbc, des-ede, des-ede-cbc (random
// keys, IVs, 1..64 blocks, both directions, random in_valid/out_ready
// back-pressure, plus full-rate runs that measure the steady state); weak,
// semi-weak and wrong-parity keys against OpenSSL; output hold while
// out_ready is low; no lost or duplicated blocks; cfg_mode 2/3 acting as ECB;
// fault_stuck; cfg_start flushing a request in progress.
// Exit status is non-zero if anything fails.

#include "Vdes_stream.h"
#define TB_UTIL_OPENSSL 1
#include "tb_util.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

using tb::check;
using tb::g_fail;
using tb::put_wide;

typedef std::array<uint8_t, 24> Key;  // K1 | K2 | K3 as on the DUT key port
typedef std::vector<uint64_t> Blocks;  // first byte of a block in [63:56]

enum { ECB = 0, CBC = 1 };

static std::unique_ptr<VerilatedContext> g_ctx;
static std::unique_ptr<Vdes_stream> g_top;
static uint64_t g_cycle = 0;

// ------------------------------------------------------------------ helpers
static uint64_t blk(const char* s) { return tb::hex_to_be64(s); }

static Blocks blks(const char* s) {  // concatenated hex blocks
    Blocks r;
    for (size_t i = 0; i + 16 <= strlen(s); i += 16) r.push_back(blk(std::string(s + i, 16).c_str()));
    return r;
}

// "k1" (DES), "k1k2" (two-key: K3 = K1) or "k1k2k3"
static Key keyb(const char* s) {
    Key k{};
    std::vector<uint8_t> v = tb::hex_to_bytes(s);
    for (size_t i = 0; i < 24 && i < v.size(); ++i) k[i] = v[i];
    if (v.size() == 16)
        for (int i = 0; i < 8; ++i) k[16 + i] = k[i];
    return k;
}

static std::string hexs(uint64_t b) { return tb::be64_to_hex(b); }

static tb::Xorshift64 g_rng{0x9e3779b97f4a7c15ull};
static uint64_t rnd64() { return g_rng.next(); }
static uint32_t rnd() { return static_cast<uint32_t>(rnd64() >> 16); }

// ------------------------------------------------------- OpenSSL oracle
// Algorithms: the DUT key mode and how many key bytes OpenSSL takes.
enum { A_DES = 0, A_EDE3 = 1, A_EDE = 2 };
static const char* kAlgName[3] = {"des", "3des-3key", "3des-2key"};
static const char* kOsslName[3][2] = {{"DES-ECB", "DES-CBC"},
                                      {"DES-EDE3-ECB", "DES-EDE3-CBC"},
                                      {"DES-EDE-ECB", "DES-EDE-CBC"}};
static const int kKeyLen[3] = {8, 24, 16};
static EVP_CIPHER* g_ciph[3][2];

static bool ossl_init() {
    // DES is in the "legacy" provider in OpenSSL 3, 3DES in "default".
    bool ok = tb::load_legacy_providers();
    for (int a = 0; a < 3; ++a)
        for (int m = 0; m < 2; ++m) {
            g_ciph[a][m] = EVP_CIPHER_fetch(nullptr, kOsslName[a][m], nullptr);
            if (!g_ciph[a][m] || EVP_CIPHER_get_key_length(g_ciph[a][m]) != kKeyLen[a]) ok = false;
        }
    if (!ok) ERR_print_errors_fp(stdout);
    return ok;
}

// Whole request through OpenSSL EVP (no padding).  k is the DUT key layout;
// for two-key 3DES OpenSSL is given K1|K2 (16 bytes) and derives K3 = K1.
static Blocks ossl_run(int alg, int mode, const Key& k, uint64_t iv, bool dec, const Blocks& in) {
    std::vector<uint8_t> ib(8 * in.size()), ob(8 * in.size() + 16);
    for (size_t i = 0; i < in.size(); ++i) tb::store_be64(in[i], &ib[8 * i]);
    uint8_t ivb[8];
    tb::store_be64(iv, ivb);
    bool ok = tb::cipher_oneshot(g_ciph[alg][mode], k.data(), mode == CBC ? ivb : nullptr, dec,
                                 ib.data(), static_cast<int>(ib.size()), ob.data());
    Blocks out;
    if (!ok) {
        printf("FAIL openssl %s %s\n", kOsslName[alg][mode], dec ? "decrypt" : "encrypt");
        ERR_print_errors_fp(stdout);
        ++g_fail;
        return out;
    }
    for (size_t i = 0; i < in.size(); ++i) out.push_back(tb::load_be64(&ob[8 * i]));
    return out;
}

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

static bool load_key(const Key& k, bool tdes) {
    idle_inputs();
    put_wide(g_top->key, k.data());
    g_top->key_mode = tdes;
    g_top->key_load = 1;
    settle();
    tick();
    g_top->key_load = 0;
    for (int n = 0; n < 50; ++n) {
        settle();
        if (g_top->key_ready) return true;
        tick();
    }
    return false;
}

static void cfg(int mode, bool dec, uint64_t iv) {
    idle_inputs();
    g_top->cfg_start = 1;
    g_top->cfg_mode = mode;
    g_top->cfg_decrypt = dec;
    g_top->cfg_iv = iv;
    settle();
    tick();
    g_top->cfg_start = 0;
}

struct RunResult {
    bool ok;           // outputs matched, count exact, no extra output
    bool hold_ok;      // out_data/out_valid stable while stalled
    double avg;        // cycles/block between first and last output
    uint64_t max_gap;  // largest gap between consecutive outputs
    uint64_t latency;  // first input accepted -> first output valid
    std::string why;
};

// Stream `in` through the DUT; in_prob/out_prob are the percent chances of
// offering an input / accepting an output in a cycle (100 = held high).
static RunResult stream(const Blocks& in, const Blocks& want, int in_prob, int out_prob) {
    RunResult r{true, true, 0.0, 0, 0, ""};
    size_t ni = 0, no = 0;
    std::vector<uint64_t> t_out;
    uint64_t t_in0 = 0, t_valid0 = 0;
    bool seen_valid = false;
    bool stalled = false;
    uint64_t stalled_data = 0;
    const uint64_t guard = g_cycle + 300 + in.size() * 400;
    while (no < want.size() && g_cycle < guard) {
        bool offer = ni < in.size() && static_cast<int>(rnd() % 100) < in_prob;
        g_top->in_valid = offer;
        if (ni < in.size()) g_top->in_data = in[ni];
        g_top->out_ready = static_cast<int>(rnd() % 100) < out_prob;
        settle();
        const uint64_t od = g_top->out_data;
        if (g_top->out_valid && !seen_valid) {
            seen_valid = true;
            t_valid0 = g_cycle;
        }
        if (stalled && (!g_top->out_valid || od != stalled_data)) r.hold_ok = false;
        if (g_top->out_valid && g_top->out_ready) {
            if (no >= want.size() || od != want[no]) {
                r.ok = false;
                if (r.why.empty())
                    r.why = "block " + std::to_string(no) + " got " + hexs(od) + " want " +
                            (no < want.size() ? hexs(want[no]) : std::string("nothing"));
            }
            ++no;
            t_out.push_back(g_cycle);
            stalled = false;
        } else {
            stalled = g_top->out_valid;
            stalled_data = od;
        }
        if (offer && g_top->in_ready) {
            if (ni == 0) t_in0 = g_cycle;
            ++ni;
        }
        tick();
    }
    if (no != want.size()) {
        r.ok = false;
        r.why += " timeout after " + std::to_string(no) + " outputs";
    }
    // nothing more may come out or be pending
    g_top->in_valid = 0;
    g_top->out_ready = 1;
    for (int n = 0; n < 120; ++n) {
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
    r.latency = seen_valid ? t_valid0 - t_in0 : 0;
    return r;
}

static int cycles_of(int alg) { return alg == A_DES ? 17 : 49; }

static std::string tag(int alg, int mode, bool dec) {
    return std::string(kAlgName[alg]) + (mode == CBC ? " cbc" : " ecb") + (dec ? " dec" : " enc");
}

// -------------------------------------------------------- known answers
struct Kat {
    const char* src;
    int alg;
    int mode;
    const char* key;
    const char* iv;
    const char* pt;  // concatenated blocks
    const char* ct;
};

static const Kat kKat[] = {
    // FIPS 81 Appendix B, Table B1 (ECB) and B2 (CBC): "Now is the time for
    // all ", key 0123456789abcdef, CBC IV 1234567890abcdef.
    {"FIPS 81 B.1", A_DES, ECB, "0123456789abcdef", "0000000000000000",
     "4e6f772069732074" "68652074696d6520" "666f7220616c6c20",
     "3fa40e8a984d4815" "6a271787ab8883f9" "893d51ec4b563b53"},
    {"FIPS 81 B.2", A_DES, CBC, "0123456789abcdef", "1234567890abcdef",
     "4e6f772069732074" "68652074696d6520" "666f7220616c6c20",
     "e5c7cdde872bf27c" "43e934008c389c0f" "683788499a7c05f6"},
    // NIST SP 800-67 Rev.2 Appendix B TDEA example (ECB, three keys):
    // "The qufck brown fox jump".
    {"SP 800-67 B.1", A_EDE3, ECB, "0123456789abcdef23456789abcdef01456789abcdef0123",
     "0000000000000000", "5468652071756663" "6b2062726f776e20" "666f78206a756d70",
     "a826fd8ce53b855f" "cce21c8112256fe6" "68d5c05dd9b6b900"},
};

static void test_kat(bool backpressure) {
    for (const Kat& v : kKat) {
        const Key k = keyb(v.key);
        const uint64_t iv = blk(v.iv);
        const Blocks pt = blks(v.pt), ct = blks(v.ct);
        if (!backpressure) {
            Blocks o = ossl_run(v.alg, v.mode, k, iv, false, pt);
            check(o == ct, std::string(v.src) + " vector agrees with OpenSSL");
        }
        for (int dec = 0; dec < 2; ++dec) {
            bool kok = load_key(k, v.alg != A_DES);
            cfg(v.mode, dec, iv);
            RunResult r = backpressure ? stream(dec ? ct : pt, dec ? pt : ct, 45, 40)
                                       : stream(dec ? ct : pt, dec ? pt : ct, 100, 100);
            const std::string name = tag(v.alg, v.mode, dec) + " " + v.src +
                                     (backpressure ? " backpressure" : " full rate");
            check(kok && r.ok && r.hold_ok, name, r.why + (r.hold_ok ? "" : " output not held"));
            if (!backpressure) {
                const uint64_t target = cycles_of(v.alg);
                check(r.max_gap > 0 && r.max_gap <= target && r.latency == target + 1,
                      name + ": " + std::to_string(r.max_gap) + " cycles/block, latency " +
                          std::to_string(r.latency),
                      "(must be <= " + std::to_string(target) + ", latency " +
                          std::to_string(target + 1) + ")");
            }
        }
    }
}

// ------------------------------------------- random differential test
static Key random_key(int alg) {
    Key k;
    for (int i = 0; i < 24; ++i) k[i] = static_cast<uint8_t>(rnd());
    if (alg == A_EDE)
        for (int i = 0; i < 8; ++i) k[16 + i] = k[i];  // DUT gets K1|K2|K1
    return k;
}

static uint64_t g_steady[3][2][2];  // [alg][mode][dec] max gap at full rate

// Full rate, 64 blocks: measures the steady state.
static void test_steady() {
    for (int alg = 0; alg < 3; ++alg)
        for (int mode = 0; mode < 2; ++mode)
            for (int dec = 0; dec < 2; ++dec) {
                const Key k = random_key(alg);
                const uint64_t iv = rnd64();
                Blocks in(64);
                for (auto& b : in) b = rnd64();
                Blocks want = ossl_run(alg, mode, k, iv, dec, in);
                bool kok = load_key(k, alg != A_DES);
                cfg(mode, dec, iv);
                RunResult r = stream(in, want, 100, 100);
                const uint64_t target = cycles_of(alg);
                g_steady[alg][mode][dec] = r.max_gap;
                printf("INFO %s steady state %.2f cycles/block (max gap %llu, target <= %llu)\n",
                       tag(alg, mode, dec).c_str(), r.avg, (unsigned long long)r.max_gap,
                       (unsigned long long)target);
                check(kok && r.ok && r.hold_ok,
                      tag(alg, mode, dec) + " vs OpenSSL " + kOsslName[alg][mode] +
                          ", 64 blocks full rate",
                      r.why);
                check(r.max_gap > 0 && r.max_gap <= target && r.avg <= double(target),
                      tag(alg, mode, dec) + " steady state " + std::to_string(r.max_gap) +
                          " cycles/block",
                      "(must be <= " + std::to_string(target) + ")");
            }
}

// Random keys, IVs, 1..64 blocks, random back-pressure.
static void test_random(int requests) {
    for (int alg = 0; alg < 3; ++alg)
        for (int mode = 0; mode < 2; ++mode)
            for (int dec = 0; dec < 2; ++dec) {
                bool ok = true;
                int nblocks = 0;
                std::string why;
                for (int q = 0; q < requests; ++q) {
                    const Key k = random_key(alg);
                    const uint64_t iv = rnd64();
                    Blocks in(1 + rnd() % 64);
                    for (auto& b : in) b = rnd64();
                    Blocks want = ossl_run(alg, mode, k, iv, dec, in);
                    const int in_prob = 10 + rnd() % 91, out_prob = 10 + rnd() % 91;
                    bool kok = load_key(k, alg != A_DES);
                    cfg(mode, dec, iv);
                    RunResult r = stream(in, want, in_prob, out_prob);
                    if (!(kok && r.ok && r.hold_ok) && ok) {
                        ok = false;
                        why = "request " + std::to_string(q) + " (" + std::to_string(in.size()) +
                              " blocks, in " + std::to_string(in_prob) + "% out " +
                              std::to_string(out_prob) + "%): " + r.why +
                              (r.hold_ok ? "" : " output not held");
                    }
                    nblocks += static_cast<int>(in.size());
                }
                check(ok,
                      tag(alg, mode, dec) + " vs OpenSSL " + kOsslName[alg][mode] + ", " +
                          std::to_string(requests) + " random requests (" +
                          std::to_string(nblocks) + " blocks) with back-pressure",
                      why);
            }
}

// ------------------------------------------- weak, semi-weak, bad parity
// FIPS 74 / SP 800-67 Sec. 3.3.2 weak keys and semi-weak pairs: accepted by
// OpenSSL EVP (parity and weakness unchecked), so results must match it.
static const char* kWeak[4] = {"0101010101010101", "fefefefefefefefe", "e0e0e0e0f1f1f1f1",
                               "1f1f1f1f0e0e0e0e"};
static const char* kSemiWeak[12] = {"01fe01fe01fe01fe", "fe01fe01fe01fe01", "1fe01fe00ef10ef1",
                                    "e01fe01ff10ef10e", "01e001e001f101f1", "e001e001f101f101",
                                    "1ffe1ffe0efe0efe", "fe1ffe1ffe0efe0e", "011f011f010e010e",
                                    "1f011f010e010e01", "e0fee0fef1fef1fe", "fee0fee0fef1fef1"};

static bool run_vs_ossl(int alg, int mode, bool dec, const Key& k, int nblk, int in_prob,
                        int out_prob, std::string* why) {
    const uint64_t iv = rnd64();
    Blocks in(nblk);
    for (auto& b : in) b = rnd64();
    Blocks want = ossl_run(alg, mode, k, iv, dec, in);
    bool kok = load_key(k, alg != A_DES);
    cfg(mode, dec, iv);
    RunResult r = stream(in, want, in_prob, out_prob);
    if (!(kok && r.ok && r.hold_ok)) *why = r.why;
    return kok && r.ok && r.hold_ok;
}

static void test_weak_keys() {
    for (int w = 0; w < 4; ++w) {
        bool ok = true;
        std::string why;
        for (int mode = 0; mode < 2; ++mode)
            for (int dec = 0; dec < 2; ++dec)
                ok = run_vs_ossl(A_DES, mode, dec, keyb(kWeak[w]), 8, 70, 70, &why) && ok;
        check(ok, std::string("des weak key ") + kWeak[w] + " ecb/cbc enc/dec vs OpenSSL", why);
    }
    {
        bool ok = true;
        std::string why;
        for (int s = 0; s < 12; ++s)
            for (int dec = 0; dec < 2; ++dec)
                ok = run_vs_ossl(A_DES, CBC, dec, keyb(kSemiWeak[s]), 6, 70, 70, &why) && ok;
        check(ok, "des 12 semi-weak keys cbc enc/dec vs OpenSSL", why);
    }
    {
        // 3DES of weak keys: three different ones, and K1 = K2 (OpenSSL's
        // default provider does not reject degenerate 3DES keys either)
        bool ok = true;
        std::string why;
        Key k3 = keyb("0101010101010101fefefefefefefefe1f1f1f1f0e0e0e0e");
        Key k2 = keyb("e0e0e0e0f1f1f1f1e0e0e0e0f1f1f1f1");
        for (int dec = 0; dec < 2; ++dec) {
            ok = run_vs_ossl(A_EDE3, CBC, dec, k3, 6, 70, 70, &why) && ok;
            ok = run_vs_ossl(A_EDE, ECB, dec, k2, 6, 70, 70, &why) && ok;
        }
        check(ok, "3des with weak / repeated keys vs OpenSSL", why);
    }
    {
        // wrong parity bits: OpenSSL ignores them, and so must we
        bool ok = true;
        std::string why;
        for (int alg = 0; alg < 3; ++alg) {
            Key k = random_key(alg);
            for (int i = 0; i < 24; ++i) k[i] ^= static_cast<uint8_t>(rnd() & 1);
            k[0] ^= 1;
            if (alg == A_EDE)
                for (int i = 0; i < 8; ++i) k[16 + i] = k[i];
            for (int dec = 0; dec < 2; ++dec)
                ok = run_vs_ossl(alg, CBC, dec, k, 5, 80, 80, &why) && ok;
        }
        check(ok, "keys with wrong parity vs OpenSSL (parity ignored)", why);
    }
}

// cfg_mode 2 and 3 are not DES modes: they must behave as ECB.
static void test_other_modes() {
    bool ok = true;
    for (int mode = 2; mode < 4; ++mode) {
        const Key k = random_key(A_DES);
        Blocks in(5);
        for (auto& b : in) b = rnd64();
        Blocks want = ossl_run(A_DES, ECB, k, 0, false, in);
        load_key(k, false);
        cfg(mode, false, rnd64());
        RunResult r = stream(in, want, 100, 100);
        ok = ok && r.ok;
    }
    check(ok, "cfg_mode 2 and 3 behave as ECB");
}

// fault_stuck: no output while stuck, correct output after release.
static void test_fault(int alg) {
    const Kat& v = alg == A_DES ? kKat[1] : kKat[2];
    const Blocks pt = blks(v.pt), ct = blks(v.ct);
    load_key(keyb(v.key), alg != A_DES);
    cfg(v.mode, false, blk(v.iv));
    g_top->out_ready = 1;
    g_top->fault_stuck = 1;
    size_t ni = 0;
    bool ok = true;
    for (int n = 0; n < 300; ++n) {
        g_top->in_valid = ni < pt.size();
        if (ni < pt.size()) g_top->in_data = pt[ni];
        settle();
        if (g_top->out_valid) ok = false;
        if (g_top->in_valid && g_top->in_ready) ++ni;
        tick();
    }
    check(ok && ni == 1, tag(alg, v.mode, false) + " fault_stuck=1: no output, one block buffered");
    g_top->fault_stuck = 0;
    Blocks in(pt.begin() + ni, pt.end());
    RunResult r = stream(in, ct, 100, 100);
    check(r.ok, tag(alg, v.mode, false) + " fault_stuck released: " + v.src + " completes", r.why);

    // stuck mid-block with the core running: the held result never appears
    cfg(v.mode, false, blk(v.iv));
    g_top->out_ready = 1;
    g_top->in_valid = 1;
    g_top->in_data = pt[0];
    settle();
    tick();
    g_top->in_valid = 0;
    for (int n = 0; n < 5; ++n) {
        settle();
        tick();
    }
    g_top->fault_stuck = 1;
    ok = true;
    for (int n = 0; n < 200; ++n) {
        settle();
        if (g_top->out_valid) ok = false;
        tick();
    }
    g_top->fault_stuck = 0;
    r = stream(Blocks(pt.begin() + 1, pt.end()), ct, 100, 100);
    check(ok && r.ok, tag(alg, v.mode, false) + " fault_stuck mid-block: stops, then resumes",
          r.why);
}

// cfg_start flushes a request in progress.  Case 0: one result held
// (out_ready low) plus one block buffered.  Case 1: a block inside the core.
static void test_cfg_flush() {
    const Kat& v = kKat[1];  // FIPS 81 CBC
    load_key(keyb(v.key), false);
    for (int c = 0; c < 2; ++c) {
        cfg(ECB, false, 0);
        size_t ni = 0;
        const int cycles = c == 0 ? 60 : 4;
        const size_t nfeed = c == 0 ? 2 : 1;
        for (int n = 0; n < cycles; ++n) {
            g_top->in_valid = ni < nfeed;
            g_top->in_data = 0x0011223344556677ull;
            g_top->out_ready = 0;
            settle();
            if (g_top->in_valid && g_top->in_ready) ++ni;
            tick();
        }
        g_top->in_valid = 0;
        cfg(CBC, false, blk(v.iv));
        RunResult r = stream(blks(v.pt), blks(v.ct), 100, 100);
        check(ni == nfeed && r.ok,
              std::string("cfg_start flushes ") + (c == 0 ? "held result + buffer" : "busy core") +
                  ", then des cbc enc FIPS 81 B.2",
              r.why);
    }
}

int main(int argc, char** argv) {
    g_top = tb::make_top<Vdes_stream>(g_ctx, argc, argv);

    check(ossl_init(), "OpenSSL legacy+default providers loaded, 6 DES/3DES ciphers fetched");

    idle_inputs();
    tb::reset(*g_top, g_cycle);

    test_kat(false);
    test_kat(true);
    test_steady();
    test_random(40);
    test_weak_keys();
    test_other_modes();
    test_fault(A_DES);
    test_fault(A_EDE3);
    test_cfg_flush();

    printf("SUMMARY steady-state cycles/block (in_valid=out_ready=1):\n");
    for (int alg = 0; alg < 3; ++alg)
        printf("  %-9s  ecb enc %llu dec %llu  cbc enc %llu dec %llu\n", kAlgName[alg],
               (unsigned long long)g_steady[alg][ECB][0], (unsigned long long)g_steady[alg][ECB][1],
               (unsigned long long)g_steady[alg][CBC][0], (unsigned long long)g_steady[alg][CBC][1]);

    g_top->final();
    for (int a = 0; a < 3; ++a)
        for (int m = 0; m < 2; ++m) EVP_CIPHER_free(g_ciph[a][m]);
    return tb::finish("tb_des_stream");
}
