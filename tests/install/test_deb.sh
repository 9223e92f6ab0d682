#!/bin/bash
# tests/install/test_deb.sh - `make deb` builds libxce1, libxce-dev and xce
# with dpkg-buildpackage, lintian reports no error, and the packages'
# contents work where they land: unpacked into an empty root (dpkg -x, so
# this machine's package database is left alone), the xce command answers
# "show crypto engine configuration", pkg-config finds libxce, and a program
# built against the packaged header and library runs FIPS-197 C.1 on the
# engine. Prints TAP.
set -u
cd "$(dirname "$0")/../.."
. tests/tap.sh

make --no-print-directory deb >"$tmp/deb.log" 2>&1
rc=$?
check "make deb (dpkg-buildpackage, then lintian --fail-on error)" [ $rc = 0 ]
[ $rc = 0 ] || tail -20 "$tmp/deb.log" | sed 's/^/# /'
for p in libxce1 libxce-dev xce; do
    check "package $p built" compgen -G "build/deb/${p}_*.deb"
done
errors=$(lintian build/deb/*.changes 2>/dev/null | grep -c '^E:')
check "lintian: no errors ($errors)" [ "$errors" = 0 ]
dpkg-deb -c build/deb/libxce1_*.deb >"$tmp/contents"
check "libxce1 carries the soname libxce.so.1" grep -q 'libxce.so.1' "$tmp/contents"
dpkg-deb -I build/deb/libxce-dev_*.deb >"$tmp/info"
check "libxce-dev depends on libxce1 of the same version" grep -q 'Depends:.*libxce1 (= ' "$tmp/info"

root=$tmp/root
for d in build/deb/libxce1_*.deb build/deb/libxce-dev_*.deb build/deb/xce_*.deb; do dpkg -x "$d" "$root"; done
check "xce from the package: show crypto engine configuration" \
    grep -q 'engine name: *xce' <("$root/usr/bin/xce" --device sim show crypto engine configuration)
check "man xce is packaged" compgen -G "$root/usr/share/man/man1/xce.1*"
pc=$(ls -d "$root"/usr/lib/*/pkgconfig)
export PKG_CONFIG_PATH=$pc PKG_CONFIG_SYSROOT_DIR=$root
libs=$(pkg-config --libs libxce)
check "pkg-config --libs libxce: $libs" grep -q -- '-lxce' <<<"$libs"
cat >"$tmp/fips.c" <<'C'
#include <string.h>
#include <xce.h>
int main(void)
{
    static const unsigned char key[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
    static const unsigned char pt[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                          0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
    unsigned char out[16];
    xce_dev *dev;
    xce_session *s;
    struct xce_open_opts o = { .policy = XCE_POLICY_HARDWARE };
    struct xce_cipher_params p = { XCE_ALG_AES, XCE_MODE_ECB, key, 16, 0 };
    if (xce_open("sim", &o, &dev) != XCE_OK || xce_session_create(dev, &p, &s) != XCE_OK)
        return 2;
    int r = xce_cipher(s, NULL, pt, out, 16);
    xce_session_destroy(s);
    xce_close(dev);
    return r == XCE_OK && out[0] == 0x69 && out[15] == 0x5a ? 0 : 1;   /* FIPS-197 C.1 */
}
C
libdir=$(dirname "$pc")
# shellcheck disable=SC2046
gcc -std=c11 -o "$tmp/fips" "$tmp/fips.c" $(pkg-config --cflags --libs libxce) 2>"$tmp/cc.err"
check "a program builds against the packaged header and library" [ $? = 0 ]
check "and runs FIPS-197 C.1 on the engine with the packaged libxce.so.1" env LD_LIBRARY_PATH="$libdir" "$tmp/fips"
echo "1..$n"
[ "$failed" = 0 ]
