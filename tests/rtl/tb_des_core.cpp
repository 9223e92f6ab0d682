// tb_des_core.cpp - Verilator C++ testbench for rtl/des_core.v
//
// Checks: known answers (classic DES worked example, FIPS 81 Appendix B,
// NBS SP 500-20 / NIST SP 800-20 known-answer entries, NIST SP 800-67 Rev.2
// Appendix B three-key TDEA), each also confirmed against OpenSSL; key_ready
// one cycle after key_load; block latency (17 DES / 49 3DES); back-to-back
// throughput (must be <= 17 / 49 cycles per block, blk_in taken
// combinationally from blk_out in the start cycle); mixed encrypt/decrypt
// back-to-back; 3DES with K1 = K2 = K3 equals DES; key and mode changes
// between blocks; key_load and blk_start in one cycle; fault_stuck; weak,
// semi-weak and wrong-parity keys; random blocks and keys against OpenSSL
// (des-ecb, des-ede3, des-ede).
// Exit status is non-zero if anything fails.

#include "Vdes_core.h"
#define TB_UTIL_OPENSSL 1
#include "tb_util.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

using tb::check;
using tb::g_fail;
using tb::put_wide;

typedef std::array<uint8_t, 24> Key;  // K1 | K2 | K3, first key byte first

static std::unique_ptr<VerilatedContext> g_ctx;
static std::unique_ptr<Vdes_core> g_top;
static uint64_t g_cycle = 0;

// ------------------------------------------------------------------ helpers
// 64-bit block: first byte in bits [63:56], as on the DUT port
static uint64_t blk(const char* s) { return tb::hex_to_be64(s); }

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

static tb::Xorshift64 g_rng{0x243f6a8885a308d3ull};
static uint64_t rnd64() { return g_rng.next(); }

// ------------------------------------------------------- OpenSSL oracle
// DES lives in the "legacy" provider in OpenSSL 3, 3DES in "default".
enum { A_DES = 0, A_EDE3 = 1, A_EDE = 2 };
static const char* kOsslEcb[3] = {"DES-ECB", "DES-EDE3-ECB", "DES-EDE-ECB"};
static const int kKeyLen[3] = {8, 24, 16};
static EVP_CIPHER* g_ciph[3];

static bool ossl_init() {
    bool ok = tb::load_legacy_providers();
    for (int a = 0; a < 3; ++a) {
        g_ciph[a] = EVP_CIPHER_fetch(nullptr, kOsslEcb[a], nullptr);
        if (!g_ciph[a]) ok = false;
    }
    if (!ok) ERR_print_errors_fp(stdout);
    return ok;
}

// one ECB block with OpenSSL; alg selects how many bytes of k are used
static uint64_t ossl_block(int alg, const Key& k, bool dec, uint64_t in) {
    uint8_t ib[8], ob[16];
    tb::store_be64(in, ib);
    bool ok = g_ciph[alg] && EVP_CIPHER_get_key_length(g_ciph[alg]) == kKeyLen[alg] &&
              tb::cipher_oneshot(g_ciph[alg], k.data(), nullptr, dec, ib, 8, ob);
    if (!ok) {
        printf("FAIL openssl %s %s\n", kOsslEcb[alg], dec ? "decrypt" : "encrypt");
        ERR_print_errors_fp(stdout);
        ++g_fail;
        return ~in;
    }
    return tb::load_be64(ob);
}

// ------------------------------------------------------------ DUT driving
static void settle() { g_top->eval(); }

static void tick() { tb::clock_tick(*g_top, g_cycle); }

static void idle_inputs() {
    g_top->key_load = 0;
    g_top->blk_start = 0;
    g_top->blk_decrypt = 0;
    g_top->fault_stuck = 0;
}

// Load a key; returns the cycles from the key_load cycle to the first cycle
// with key_ready (must be 1), -1 on timeout.
static int load_key(const Key& k, bool tdes) {
    idle_inputs();
    put_wide(g_top->key, k.data());
    g_top->key_mode = tdes;
    g_top->key_load = 1;
    settle();
    tick();
    g_top->key_load = 0;
    for (int n = 1; n < 100; ++n) {
        settle();
        if (g_top->key_ready) return n;
        tick();
    }
    return -1;
}

// Run one block; latency = cycles from the start cycle to the first cycle
// with blk_valid, -1 on timeout.
static uint64_t run_block(uint64_t in, bool decrypt, int* latency) {
    idle_inputs();
    *latency = -1;
    for (int n = 0; n < 100; ++n) {
        settle();
        if (g_top->blk_ready) break;
        tick();
    }
    g_top->blk_in = in;
    g_top->blk_decrypt = decrypt;
    g_top->blk_start = 1;
    settle();
    tick();
    g_top->blk_start = 0;
    g_top->blk_decrypt = 0;
    for (int n = 1; n < 200; ++n) {
        settle();
        if (g_top->blk_valid) {
            *latency = n;
            break;
        }
        tick();
    }
    return g_top->blk_out;
}

static int cycles_of(bool tdes) { return tdes ? 49 : 17; }

// ------------------------------------------------------------ known answers
struct Kat {
    const char* src;  // where the vector comes from
    const char* key;  // 8 bytes = DES, 24 bytes = 3DES
    const char* pt;
    const char* ct;
};

static const Kat kKat[] = {
    // Worked example of J. Orlin Grabbe, "The DES Algorithm Illustrated" (the
    // classic DES vector, traced round by round from the FIPS 46 tables).
    {"classic DES example", "133457799bbcdff1", "0123456789abcdef", "85e813540f0ab405"},
    // FIPS 81 (DES modes of operation) Appendix B, Table B1 ECB example,
    // "Now is the time for all " with key 0123456789abcdef, blocks 1..3.
    {"FIPS 81 B.1 ECB block 1", "0123456789abcdef", "4e6f772069732074", "3fa40e8a984d4815"},
    {"FIPS 81 B.1 ECB block 2", "0123456789abcdef", "68652074696d6520", "6a271787ab8883f9"},
    {"FIPS 81 B.1 ECB block 3", "0123456789abcdef", "666f7220616c6c20", "893d51ec4b563b53"},
    // NBS SP 500-20 / NIST SP 800-20 known-answer tests: variable plaintext
    // (round 1), variable key (round 1), permutation-operation and
    // substitution-table entries.
    {"SP 800-20 variable plaintext #1", "0101010101010101", "8000000000000000", "95f8a5e5dd31d900"},
    {"SP 800-20 variable key #1", "8001010101010101", "0000000000000000", "95a8d72813daa94d"},
    {"SP 800-20 permutation op #1", "1046913489980131", "0000000000000000", "88d55e54f54c97b4"},
    {"SP 800-20 substitution table #1", "7ca110454a1a6e57", "01a1d6d039776742", "690f5b0d9a26939b"},
    // NIST SP 800-67 Rev.2 Appendix B, TDEA ECB example (three keys),
    // "The qufck brown fox jump".
    {"SP 800-67 B.1 TDEA block 1", "0123456789abcdef23456789abcdef01456789abcdef0123",
     "5468652071756663", "a826fd8ce53b855f"},
    {"SP 800-67 B.1 TDEA block 2", "0123456789abcdef23456789abcdef01456789abcdef0123",
     "6b2062726f776e20", "cce21c8112256fe6"},
    {"SP 800-67 B.1 TDEA block 3", "0123456789abcdef23456789abcdef01456789abcdef0123",
     "666f78206a756d70", "68d5c05dd9b6b900"},
};

static void test_kat() {
    bool first = true;
    for (const Kat& v : kKat) {
        const bool tdes = strlen(v.key) == 48;
        const Key k = keyb(v.key);
        const uint64_t pt = blk(v.pt), ct = blk(v.ct);
        const std::string tag = std::string(tdes ? "3des " : "des ") + v.src;
        // the transcribed vector must agree with OpenSSL
        uint64_t o = ossl_block(tdes ? A_EDE3 : A_DES, k, false, pt);
        check(o == ct, tag + ": vector agrees with OpenSSL", "openssl " + hexs(o));
        int kc = load_key(k, tdes);
        if (first) check(kc == 1, "key_ready " + std::to_string(kc) + " cycle after key_load",
                         "(expected 1)");
        first = false;
        int lat = 0;
        uint64_t c = run_block(pt, false, &lat);
        check(c == ct && lat == cycles_of(tdes),
              tag + " enc (latency " + std::to_string(lat) + ")",
              "got " + hexs(c) + " want " + v.ct + " latency must be " +
                  std::to_string(cycles_of(tdes)));
        uint64_t p = run_block(ct, true, &lat);
        check(p == pt && lat == cycles_of(tdes),
              tag + " dec (latency " + std::to_string(lat) + ")",
              "got " + hexs(p) + " want " + v.pt);
    }
}

// ---------------------------------------------------------- throughput
// Back-to-back blocks: blk_start is asserted in every cycle where blk_ready
// is high; for encryption blk_in of block k+1 is blk_out of block k in that
// same cycle (the CBC-style combinational path).  Results against OpenSSL.
static uint64_t g_b2b[2][2];  // [tdes][dec] max gap

static void test_throughput(bool tdes) {
    const int nblk = 10;
    const int target = cycles_of(tdes);
    const char* tname = tdes ? "3des" : "des";
    Key k;
    for (int i = 0; i < 24; ++i) k[i] = static_cast<uint8_t>(rnd64());
    load_key(k, tdes);
    const int alg = tdes ? A_EDE3 : A_DES;

    for (int dir = 0; dir < 2; ++dir) {
        // expected chain: x0 random, x_{j+1} = E(x_j)
        std::vector<uint64_t> chain(1, rnd64());
        for (int j = 0; j < nblk; ++j) chain.push_back(ossl_block(alg, k, false, chain.back()));
        std::vector<uint64_t> outs, starts;
        int issued = 0;
        uint64_t guard = g_cycle + 100 * nblk;
        idle_inputs();
        while (static_cast<int>(outs.size()) < nblk && g_cycle < guard) {
            settle();
            if (g_top->blk_valid && issued > static_cast<int>(outs.size()))
                outs.push_back(g_top->blk_out);
            g_top->blk_start = 0;
            if (g_top->blk_ready && issued < nblk) {
                uint64_t in;
                if (dir == 0)
                    in = issued == 0 ? chain[0] : g_top->blk_out;  // combinational chaining
                else
                    in = chain[nblk - issued];
                g_top->blk_in = in;
                g_top->blk_decrypt = dir;
                g_top->blk_start = 1;
                starts.push_back(g_cycle);
                ++issued;
                settle();
            }
            tick();
        }
        idle_inputs();
        bool ok = static_cast<int>(outs.size()) == nblk;
        for (int j = 0; ok && j < nblk; ++j)
            ok = outs[j] == (dir == 0 ? chain[j + 1] : chain[nblk - 1 - j]);
        uint64_t maxgap = 0;
        for (size_t j = 1; j < starts.size(); ++j)
            if (starts[j] - starts[j - 1] > maxgap) maxgap = starts[j] - starts[j - 1];
        double avg = starts.size() > 1
                         ? double(starts.back() - starts.front()) / double(starts.size() - 1)
                         : 0.0;
        g_b2b[tdes][dir] = maxgap;
        printf("INFO %s back-to-back %s: %.2f cycles/block (max gap %llu, target %d)\n", tname,
               dir ? "dec" : "enc", avg, (unsigned long long)maxgap, target);
        check(ok, std::string(tname) + " back-to-back " + (dir ? "dec" : "enc") +
                      " results match OpenSSL");
        check(maxgap <= static_cast<uint64_t>(target) && maxgap > 0 &&
                  static_cast<int>(starts.size()) == nblk,
              std::string(tname) + " back-to-back " + (dir ? "dec " : "enc ") +
                  std::to_string(maxgap) + " cycles/block",
              "(must be <= " + std::to_string(target) + ")");
    }

    // mixed directions back-to-back: E(p), D(c), E(p), D(c) ...
    {
        idle_inputs();
        const uint64_t pt = rnd64(), ct = ossl_block(alg, k, false, pt);
        int issued = 0, got = 0;
        bool ok = true;
        uint64_t guard = g_cycle + 1000, first = 0, last = 0;
        while (got < 6 && g_cycle < guard) {
            settle();
            if (g_top->blk_valid && issued > got) {
                if (g_top->blk_out != ((got % 2) ? pt : ct)) ok = false;
                ++got;
            }
            g_top->blk_start = 0;
            if (g_top->blk_ready && issued < 6) {
                bool d = issued % 2;
                g_top->blk_in = d ? ct : pt;
                g_top->blk_decrypt = d;
                g_top->blk_start = 1;
                if (issued == 0) first = g_cycle;
                last = g_cycle;
                ++issued;
                settle();
            }
            tick();
        }
        idle_inputs();
        bool tim = (last - first) == static_cast<uint64_t>(5 * target);
        check(ok && got == 6 && tim, std::string(tname) + " back-to-back mixed enc/dec");
    }
}

// 3DES with K1 = K2 = K3 is single DES (EDE collapses): DUT vs DUT vs OpenSSL.
static void test_tdes_degenerate() {
    bool ok = true;
    for (int t = 0; t < 4; ++t) {
        Key k;
        for (int i = 0; i < 8; ++i) k[i] = k[8 + i] = k[16 + i] = static_cast<uint8_t>(rnd64());
        uint64_t p = rnd64();
        int lat;
        load_key(k, false);
        uint64_t c1 = run_block(p, false, &lat);
        load_key(k, true);
        uint64_t c3 = run_block(p, false, &lat);
        uint64_t d3 = run_block(c3, true, &lat);
        ok = ok && c1 == c3 && d3 == p && c1 == ossl_block(A_DES, k, false, p);
    }
    check(ok, "3des with K1=K2=K3 equals des");
}

// Key and mode changes between blocks; result held across key_load;
// key_load and blk_start in one cycle.
static void test_key_change() {
    const Kat& d = kKat[0];
    const Kat& t = kKat[8];
    int lat;
    load_key(keyb(d.key), false);
    uint64_t c = run_block(blk(d.pt), false, &lat);
    check(c == blk(d.ct), "key change: des enc before change");
    int kc = load_key(keyb(t.key), true);
    settle();
    check(kc == 1 && g_top->blk_valid && g_top->blk_out == blk(d.ct),
          "key change: result held across key_load");
    c = run_block(blk(t.pt), false, &lat);
    check(c == blk(t.ct) && lat == 49, "key change: des -> 3des enc");
    load_key(keyb(d.key), false);
    uint64_t p = run_block(blk(d.ct), true, &lat);
    check(p == blk(d.pt) && lat == 17, "key change: 3des -> des dec");
    // key_load in the same cycle as blk_start: the start is ignored
    idle_inputs();
    settle();
    put_wide(g_top->key, keyb(t.key).data());
    g_top->key_mode = 1;
    g_top->key_load = 1;
    g_top->blk_in = blk(t.pt);
    g_top->blk_start = 1;
    settle();
    bool rdy_low = !g_top->blk_ready;
    tick();
    idle_inputs();
    settle();
    bool not_started = g_top->blk_valid && g_top->blk_out == blk(d.pt);
    c = run_block(blk(t.pt), false, &lat);
    check(rdy_low && not_started && c == blk(t.ct),
          "key_load and blk_start in one cycle: start ignored");
}

// fault_stuck: no progress while 1, resumes where it stopped.
static void test_fault(bool tdes) {
    const Kat& v = tdes ? kKat[8] : kKat[0];
    const int rounds = tdes ? 48 : 16;
    const int before = tdes ? 20 : 3;  // rounds run before the freeze
    const std::string tname = tdes ? "3des" : "des";
    load_key(keyb(v.key), tdes);
    idle_inputs();
    settle();
    g_top->blk_in = blk(v.pt);
    g_top->blk_start = 1;
    settle();
    tick();
    g_top->blk_start = 0;
    for (int n = 0; n < before; ++n) {
        settle();
        tick();
    }
    bool ok = true;
    g_top->fault_stuck = 1;
    g_top->blk_in = blk(v.ct);
    for (int n = 0; n < 300; ++n) {
        g_top->blk_start = (n % 7) == 0;
        settle();
        if (g_top->blk_valid || g_top->blk_ready) ok = false;
        tick();
    }
    g_top->blk_start = 0;
    check(ok, tname + " fault_stuck=1 holds blk_valid and blk_ready low for 300 cycles");
    g_top->fault_stuck = 0;
    int rem = -1;
    for (int n = 0; n < 200; ++n) {
        settle();
        if (g_top->blk_valid) {
            rem = n;
            break;
        }
        tick();
    }
    check(rem == rounds - before && g_top->blk_out == blk(v.ct),
          tname + " fault_stuck released: block resumes and completes correctly",
          "remaining=" + std::to_string(rem) + " got " + hexs(g_top->blk_out));
    // stuck while idle: starts are ignored, the old result stays
    g_top->fault_stuck = 1;
    g_top->blk_in = blk(v.pt);
    g_top->blk_start = 1;
    ok = true;
    for (int n = 0; n < 80; ++n) {
        settle();
        if (g_top->blk_ready) ok = false;
        tick();
    }
    idle_inputs();
    settle();
    ok = ok && g_top->blk_valid && g_top->blk_out == blk(v.ct);
    check(ok, tname + " fault_stuck=1 while idle: blk_start ignored");
}

// ------------------------------------------- weak, semi-weak, bad parity
// FIPS 74 / SP 800-67 Sec. 3.3.2: the four weak keys and six semi-weak
// pairs.  OpenSSL's EVP accepts them (DES_set_key_unchecked), so must we.
static const char* kWeak[4] = {"0101010101010101", "fefefefefefefefe", "e0e0e0e0f1f1f1f1",
                               "1f1f1f1f0e0e0e0e"};
static const char* kSemiWeak[6][2] = {
    {"01fe01fe01fe01fe", "fe01fe01fe01fe01"}, {"1fe01fe00ef10ef1", "e01fe01ff10ef10e"},
    {"01e001e001f101f1", "e001e001f101f101"}, {"1ffe1ffe0efe0efe", "fe1ffe1ffe0efe0e"},
    {"011f011f010e010e", "1f011f010e010e01"}, {"e0fee0fef1fef1fe", "fee0fee0fef1fef1"}};

static void test_weak_keys() {
    int lat;
    for (int w = 0; w < 4; ++w) {
        Key k = keyb(kWeak[w]);
        load_key(k, false);
        bool ok = true;
        for (int t = 0; t < 4; ++t) {
            uint64_t p = rnd64();
            uint64_t c = run_block(p, false, &lat);
            uint64_t cc = run_block(c, false, &lat);   // weak: E_K(E_K(p)) = p
            uint64_t d = run_block(c, true, &lat);
            ok = ok && c == ossl_block(A_DES, k, false, p) && cc == p && d == p;
        }
        check(ok, std::string("des weak key ") + kWeak[w] + " matches OpenSSL, E(E(p)) = p");
    }
    for (int s = 0; s < 6; ++s) {
        Key k1 = keyb(kSemiWeak[s][0]), k2 = keyb(kSemiWeak[s][1]);
        bool ok = true;
        for (int t = 0; t < 2; ++t) {
            uint64_t p = rnd64();
            load_key(k1, false);
            uint64_t c = run_block(p, false, &lat);
            ok = ok && c == ossl_block(A_DES, k1, false, p);
            load_key(k2, false);
            uint64_t c2 = run_block(c, false, &lat);   // semi-weak pair: E_K2(E_K1(p)) = p
            ok = ok && c2 == p && run_block(p, true, &lat) == ossl_block(A_DES, k2, true, p);
        }
        check(ok, std::string("des semi-weak pair ") + kSemiWeak[s][0] + "/" + kSemiWeak[s][1] +
                      " matches OpenSSL, E_K2(E_K1(p)) = p");
    }
    // 3DES whose three keys are three different weak keys
    {
        Key k = keyb("0101010101010101fefefefefefefefee0e0e0e0f1f1f1f1");
        load_key(k, true);
        bool ok = true;
        for (int t = 0; t < 4; ++t) {
            uint64_t p = rnd64();
            uint64_t c = run_block(p, false, &lat);
            ok = ok && c == ossl_block(A_EDE3, k, false, p) && run_block(c, true, &lat) == p;
        }
        check(ok, "3des with K1, K2, K3 = three different weak keys matches OpenSSL");
    }
    // wrong parity: flipping parity bits (LSB of each byte) changes nothing
    {
        bool ok = true;
        for (int t = 0; t < 6; ++t) {
            const bool tdes = t & 1;
            Key k, kb;
            for (int i = 0; i < 24; ++i) {
                k[i] = static_cast<uint8_t>(rnd64());
                kb[i] = k[i] ^ static_cast<uint8_t>(rnd64() & 1);  // random parity errors
            }
            kb[0] = k[0] ^ 1;  // at least one
            uint64_t p = rnd64();
            load_key(k, tdes);
            uint64_t c = run_block(p, false, &lat);
            load_key(kb, tdes);
            uint64_t cb = run_block(p, false, &lat);
            const int alg = tdes ? A_EDE3 : A_DES;
            ok = ok && c == cb && cb == ossl_block(alg, kb, false, p) &&
                 run_block(c, true, &lat) == p;
        }
        check(ok, "keys with wrong parity: parity ignored, as OpenSSL");
    }
}

// ------------------------------------------------ random vs OpenSSL
static void test_random() {
    for (int alg = 0; alg < 3; ++alg) {
        bool ok = true;
        int nb = 0;
        std::string why;
        for (int t = 0; t < 8; ++t) {
            Key k;
            for (int i = 0; i < 24; ++i) k[i] = static_cast<uint8_t>(rnd64());
            if (alg == A_EDE)
                for (int i = 0; i < 8; ++i) k[16 + i] = k[i];  // two-key: K3 = K1
            load_key(k, alg != A_DES);
            for (int b = 0; b < 16; ++b) {
                const bool dec = rnd64() & 1;
                const uint64_t in = rnd64();
                int lat;
                uint64_t got = run_block(in, dec, &lat);
                uint64_t want = ossl_block(alg, k, dec, in);
                if (got != want || lat != cycles_of(alg != A_DES)) {
                    if (ok)
                        why = std::string(dec ? "dec " : "enc ") + hexs(in) + " got " + hexs(got) +
                              " want " + hexs(want) + " latency " + std::to_string(lat);
                    ok = false;
                }
                ++nb;
            }
        }
        check(ok, std::string("random keys/blocks vs OpenSSL ") + kOsslEcb[alg] + " (" +
                      std::to_string(nb) + " blocks)",
              why);
    }
}

int main(int argc, char** argv) {
    g_top = tb::make_top<Vdes_core>(g_ctx, argc, argv);

    check(ossl_init(), "OpenSSL legacy+default providers loaded, DES/3DES ciphers fetched");

    idle_inputs();
    g_top->key_mode = 0;
    tb::reset(*g_top, g_cycle);
    settle();
    check(!g_top->key_ready && !g_top->blk_ready && !g_top->blk_valid,
          "reset: key_ready, blk_ready, blk_valid low");

    test_kat();
    test_throughput(false);
    test_throughput(true);
    test_tdes_degenerate();
    test_key_change();
    test_fault(false);
    test_fault(true);
    test_weak_keys();
    test_random();

    printf("SUMMARY back-to-back cycles/block: des enc %llu dec %llu, 3des enc %llu dec %llu\n",
           (unsigned long long)g_b2b[0][0], (unsigned long long)g_b2b[0][1],
           (unsigned long long)g_b2b[1][0], (unsigned long long)g_b2b[1][1]);

    g_top->final();
    for (int a = 0; a < 3; ++a) EVP_CIPHER_free(g_ciph[a]);
    return tb::finish("tb_des_core");
}
