// tb_util.h - helpers shared by the Verilator C++ testbenches in tests/rtl/
//
// Header-only; every testbench is a single translation unit, so the globals
// below (pass/fail counters) are C++17 inline variables in namespace tb.
//
//   hex strings      hex_to_bytes, hex_to_array<N>, bytes_to_hex
//   64-bit blocks    load_be64 / store_be64 / hex_to_be64: first byte in [63:56]
//   wide ports       put_wide / get_wide / get_wide_bytes: byte 0 of a buffer
//                    is the most significant byte of a VlWide<> signal
//   simulation       make_top, clock_tick, reset
//   results          check (prints "PASS name" / "FAIL name detail"),
//                    finish (summary line and exit status); tests/run.sh
//                    reads the PASS / FAIL lines
//   random numbers   Xorshift64 (deterministic; each testbench keeps its seed)
//   OpenSSL          only when TB_UTIL_OPENSSL is defined before the include
//                    (the testbench must then link -lcrypto):
//                    load_legacy_providers, cipher_oneshot, digest
#ifndef TB_UTIL_H
#define TB_UTIL_H

#include "verilated.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#ifdef TB_UTIL_OPENSSL
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#endif

namespace tb {

typedef std::vector<uint8_t> Bytes;

// ------------------------------------------------------------ hex strings
// "00a1ff" -> {0x00, 0xa1, 0xff}; a trailing odd nibble is ignored.
inline Bytes hex_to_bytes(const char* s) {
    Bytes v;
    size_t n = strlen(s);
    for (size_t i = 0; i + 1 < n; i += 2) {
        unsigned b = 0;
        sscanf(s + i, "%2x", &b);
        v.push_back(static_cast<uint8_t>(b));
    }
    return v;
}

// First N bytes of a hex string; shorter strings are zero-padded on the right
// (e.g. a 128-bit key left-aligned in a 256-bit key port).
template <std::size_t N>
inline std::array<uint8_t, N> hex_to_array(const char* s) {
    std::array<uint8_t, N> a{};
    Bytes v = hex_to_bytes(s);
    for (size_t i = 0; i < N && i < v.size(); ++i) a[i] = v[i];
    return a;
}

// Lower-case hex, two digits per byte.
inline std::string bytes_to_hex(const uint8_t* p, size_t n) {
    std::string s;
    char buf[3];
    for (size_t i = 0; i < n; ++i) {
        snprintf(buf, sizeof buf, "%02x", p[i]);
        s += buf;
    }
    return s;
}
inline std::string bytes_to_hex(const Bytes& b) { return bytes_to_hex(b.data(), b.size()); }
template <std::size_t N>
inline std::string bytes_to_hex(const std::array<uint8_t, N>& a) {
    return bytes_to_hex(a.data(), N);
}

// ------------------------------------------------- 64-bit big-endian blocks
// A 64-bit block as on the DES ports: first byte in bits [63:56].
inline void store_be64(uint64_t b, uint8_t* p) {
    for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(b >> (56 - 8 * i));
}

inline uint64_t load_be64(const uint8_t* p) {
    uint64_t b = 0;
    for (int i = 0; i < 8; ++i) b = (b << 8) | p[i];
    return b;
}

// First 8 bytes of a hex string (zero-padded) as a big-endian block.
inline uint64_t hex_to_be64(const char* s) {
    Bytes v = hex_to_bytes(s);
    uint64_t b = 0;
    for (size_t i = 0; i < 8; ++i) b = (b << 8) | (i < v.size() ? v[i] : 0);
    return b;
}

// 16 hex digits as "%016llx".
inline std::string be64_to_hex(uint64_t b) {
    char buf[20];
    snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(b));
    return std::string(buf);
}

// ------------------------------------------------------ Verilator wide ports
// The project's byte order: byte k of the buffer goes to the k-th most
// significant byte of the signal (byte 0 in the top 8 bits).  put_wide
// clears the whole signal, then writes the first n bytes (default: all
// 4*W); bytes past n stay zero.
template <std::size_t W>
inline void put_wide(VlWide<W>& w, const uint8_t* bytes, int n = static_cast<int>(W) * 4) {
    const int total = static_cast<int>(W) * 4;
    for (std::size_t i = 0; i < W; ++i) w[i] = 0;
    for (int k = 0; k < n && k < total; ++k) {
        int bit = 8 * (total - 1 - k);
        w[bit / 32] |= static_cast<uint32_t>(bytes[k]) << (bit % 32);
    }
}

// Reads the n most significant bytes (default: all 4*W) into bytes[0..n).
template <std::size_t W>
inline void get_wide(const VlWide<W>& w, uint8_t* bytes, int n = static_cast<int>(W) * 4) {
    const int total = static_cast<int>(W) * 4;
    for (int k = 0; k < n && k < total; ++k) {
        int bit = 8 * (total - 1 - k);
        bytes[k] = static_cast<uint8_t>(w[bit / 32] >> (bit % 32));
    }
}

// Same as get_wide, returned as a vector of n bytes.
template <std::size_t W>
inline Bytes get_wide_bytes(const VlWide<W>& w, int n) {
    Bytes b(n);
    get_wide(w, b.data(), n);
    return b;
}

// --------------------------------------------------------------- simulation
// Creates the context (with the command line, e.g. +verilator+ options) and
// the model.  `ctx` must outlive the model.
template <class Top>
inline std::unique_ptr<Top> make_top(std::unique_ptr<VerilatedContext>& ctx, int argc,
                                     char** argv) {
    ctx.reset(new VerilatedContext);
    ctx->commandArgs(argc, argv);
    return std::unique_ptr<Top>(new Top(ctx.get()));
}

// One rising edge of `clk`: inputs are held during the edge, clk returns low
// and `cycle` advances by one.
template <class Top>
inline void clock_tick(Top& top, uint64_t& cycle) {
    top.clk = 1;
    top.eval();
    top.clk = 0;
    top.eval();
    ++cycle;
}

// Active-low reset: clk low, rst_n low for 4 cycles, then released and one
// more cycle.  Set the other inputs to their idle values first.
template <class Top>
inline void reset(Top& top, uint64_t& cycle) {
    top.clk = 0;
    top.rst_n = 0;
    top.eval();
    for (int i = 0; i < 4; ++i) clock_tick(top, cycle);
    top.rst_n = 1;
    top.eval();
    clock_tick(top, cycle);
}

// ------------------------------------------------------------------ results
inline int g_pass = 0;
inline int g_fail = 0;

// One check: prints "PASS name" or "FAIL name detail" and counts it.
inline void check(bool ok, const std::string& name, const std::string& detail = "") {
    if (ok) {
        ++g_pass;
        printf("PASS %s\n", name.c_str());
    } else {
        ++g_fail;
        printf("FAIL %s %s\n", name.c_str(), detail.c_str());
    }
    fflush(stdout);
}

// Final summary line "PASS|FAIL <tb>: N passed, M failed"; returns the exit
// status for main (non-zero if anything failed).
inline int finish(const char* tb_name) {
    printf("%s %s: %d passed, %d failed\n", g_fail ? "FAIL" : "PASS", tb_name, g_pass, g_fail);
    fflush(stdout);
    return g_fail ? 1 : 0;
}

// ----------------------------------------------------------- random numbers
// xorshift64 (13, 7, 17).  next() returns the whole new state; callers take
// the bits they want (e.g. next() >> 16 for 32 bits).
struct Xorshift64 {
    uint64_t state;
    uint64_t next() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    }
};

// ------------------------------------------------------------------ OpenSSL
#ifdef TB_UTIL_OPENSSL
// OpenSSL 3: single DES lives in the "legacy" provider, 3DES and the hashes
// in "default".  Loads both; true if both loaded.
inline bool load_legacy_providers() {
    OSSL_PROVIDER* leg = OSSL_PROVIDER_load(nullptr, "legacy");
    OSSL_PROVIDER* def = OSSL_PROVIDER_load(nullptr, "default");
    return leg && def;
}

// One-shot EVP cipher without padding: len bytes of `in` to `out` (out needs
// room for len + one cipher block).  iv may be null (ECB).  True if OpenSSL
// accepted everything and produced exactly len bytes.
inline bool cipher_oneshot(const EVP_CIPHER* ciph, const uint8_t* key, const uint8_t* iv,
                           bool decrypt, const uint8_t* in, int len, uint8_t* out) {
    int n = 0, m = 0;
    EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
    bool ok = c && ciph && EVP_CipherInit_ex2(c, ciph, key, iv, decrypt ? 0 : 1, nullptr) == 1 &&
              EVP_CIPHER_CTX_set_padding(c, 0) == 1 &&
              EVP_CipherUpdate(c, out, &n, in, len) == 1 &&
              EVP_CipherFinal_ex(c, out + n, &m) == 1 && n + m == len;
    EVP_CIPHER_CTX_free(c);
    return ok;
}

// Reference digest with EVP_Digest; exits with status 2 if OpenSSL fails
// (the comparison would be meaningless).
inline Bytes digest(const EVP_MD* md, const Bytes& msg) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(msg.data(), msg.size(), out, &n, md, nullptr) != 1) {
        fprintf(stderr, "EVP_Digest failed\n");
        exit(2);
    }
    return Bytes(out, out + n);
}
#endif  // TB_UTIL_OPENSSL

}  // namespace tb

#endif  // TB_UTIL_H
