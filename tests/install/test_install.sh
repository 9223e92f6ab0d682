#!/bin/bash
# tests/install/test_install.sh - `make install` into a private prefix gives
# a library that works from its installed paths: a small program built only
# with `pkg-config --cflags --libs libxce` (shared, and --static) runs the
# FIPS-197 C.1 vector on the simulated engine; the soname is versioned and
# only the public API is exported; the installed xce runs; the man pages
# are mandoc-lint clean; `make uninstall` removes every file it installed.
# Prints TAP.
set -u
cd "$(dirname "$0")/../.."
. tests/tap.sh
prefix=$tmp/prefix

make --no-print-directory -s install PREFIX="$prefix" >"$tmp/install.log" 2>&1
check "make install PREFIX=$prefix" [ $? = 0 ]
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig

cat >"$tmp/fips.c" <<'C'
/* FIPS-197 Appendix C.1 through the installed libxce */
#include <stdio.h>
#include <string.h>
#include <xce.h>
int main(void)
{
    static const unsigned char key[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
    static const unsigned char pt[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                          0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
    static const unsigned char ct[16] = { 0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
                                          0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a };
    unsigned char out[16];
    xce_dev *dev;
    xce_session *s;
    struct xce_open_opts o = { .policy = XCE_POLICY_HARDWARE };
    struct xce_cipher_params p = { XCE_ALG_AES, XCE_MODE_ECB, key, 16, 0 };
    struct xce_stats st;
    if (xce_open("sim", &o, &dev) != XCE_OK || xce_session_create(dev, &p, &s) != XCE_OK)
        return 2;
    int r = xce_cipher(s, NULL, pt, out, 16);
    int ok = r == XCE_OK && memcmp(out, ct, 16) == 0 && xce_get_stats(dev, &st) == XCE_OK && st.hw_requests > 0;
    xce_session_destroy(s);
    xce_close(dev);
    puts(ok ? "FIPS-197 C.1 on the engine: ok" : "FIPS-197 C.1: WRONG");
    return ok ? 0 : 1;
}
C
# shellcheck disable=SC2046
gcc -std=c11 -Wall -Werror -o "$tmp/fips" "$tmp/fips.c" $(pkg-config --cflags --libs libxce) -Wl,-rpath,"$prefix/lib" 2>"$tmp/cc.err"
check "a program builds with pkg-config --cflags --libs libxce" [ $? = 0 ]
check "it runs against the installed shared library" "$tmp/fips"
check "it loads libxce.so.1 from $prefix/lib" grep -q "$prefix/lib/libxce.so.1" <(ldd "$tmp/fips")
# shellcheck disable=SC2046
gcc -std=c11 -o "$tmp/fips-static" "$tmp/fips.c" $(pkg-config --cflags libxce) "$prefix/lib/libxce.a" \
    $(pkg-config --static --libs-only-l libxce | sed 's/-lxce//') 2>>"$tmp/cc.err"
check "and links statically with pkg-config --static" "$tmp/fips-static"
check "soname is libxce.so.1" grep -q "SONAME.*libxce.so.1$" <(objdump -p "$prefix/lib/libxce.so.1.0.0")
exported=$(nm -D --defined-only "$prefix/lib/libxce.so.1.0.0" | awk '$2 == "T" {print $3}' | sed 's/@.*//' | sort)
public=$(grep -o '\bxce_[a-z0-9_]*(' driver/include/xce.h | tr -d '(' | sort -u)
check "exported functions are exactly those xce.h declares ($(echo "$public" | wc -l))" [ "$exported" = "$public" ]
check "the installed xce runs show crypto engine configuration" \
    grep -q "engine name: *xce" <("$prefix/bin/xce" --device sim show crypto engine configuration)
pages=$(ls man/*.[1-9] 2>/dev/null | wc -l)
check "man pages installed ($pages)" [ "$pages" -gt 0 ] && [ "$(find "$prefix/share/man" -type f | wc -l)" = "$pages" ]
if command -v mandoc >/dev/null; then
    check "man pages are mandoc -T lint clean" [ -z "$(mandoc -T lint -W warning man/*.[1-9] 2>&1)" ]
else
    not_ok "mandoc is not installed"
fi
make --no-print-directory -s uninstall PREFIX="$prefix" >>"$tmp/install.log" 2>&1
check "make uninstall leaves no file behind" [ -z "$(find "$prefix" -type f -o -type l)" ]
echo "1..$n"
[ "$failed" = 0 ]
