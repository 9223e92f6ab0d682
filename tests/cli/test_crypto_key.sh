#!/bin/bash
# tests/cli/test_crypto_key.sh - IOS RSA key management and the persistent
# key store (sw/common/keystore.c, sw/xce/cmd_key.c):
#   crypto key generate rsa (general-keys, usage-keys, label, modulus,
#   exportable, the host name as default label, the replace question on
#   the command line and in exec mode), show crypto key mypubkey rsa (the
#   Key Data is the DER SubjectPublicKeyInfo of the stored pair, which
#   openssl reads), crypto key zeroize rsa (the private key material is
#   gone from the file), crypto key pubkey-chain rsa with the seed's own
#   512-bit key (named-key, addressed-key, key-string, bad key-strings
#   refused with their line numbers, no named-key), show crypto key
#   pubkey-chain rsa (table, name, address), key config-key
#   password-encrypt (standard encrypted PKCS#8 that openssl decrypts with
#   the same password, a wrong or missing key refused), damaged store files
#   (line N, exit 1, file untouched), file mode 0600, --keystore, the XDG
#   and HOME defaults.
#
# XCE_BIN selects the binary (default build/bin/xce; when unset and
# build/asan/bin/xce exists, every check runs on it as well). Prints TAP.
set -u
cd "$(dirname "$0")/../.."
. tests/tap.sh

unset XCE_CONFIG_KEY XCE_CONFIG_KEY_OLD

# the 512-bit key of the seed's "crypto key pubkey-chain rsa" example
SEED_KEY="305C300D 06092A86 4886F70D 01010105 00034B00 30480241 00DC3DDC 59885F14
1AB30DCB 794AB5C7 82D918DE FC7ADB76 B0B9DD1A ABAF4884 009E758C 4064C699
3BC9D17E C47581DC 50220CB9 31E267F8 0259C640 F8DE4169 1F020301 0001"

# xce_run WHAT RC ARGS...: run xce (stdin from $STDIN, default /dev/null;
# env(1) arguments from $XENV, e.g. "-u XCE_CONFIG_KEY"), output in
# $tmp/out and $tmp/err; ok when the exit status is RC.
xce_run() {
    local what=$1 want=$2
    shift 2
    # shellcheck disable=SC2086  # XENV: several env(1) arguments
    env ${XENV:-} "$X" --device sim "$@" <"${STDIN:-/dev/null}" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ "$rc" = "$want" ]; then
        ok "$tag$what"
    else
        not_ok "$tag$what: exit status $rc, not $want"
        sed 's/^/# /' "$tmp/err" | head -8
    fi
}
has_out() { grep -qF -- "$1" "$tmp/out"; }
has_err() { grep -qF -- "$1" "$tmp/err"; }
# the hex of every Key Data / Key data block of $tmp/out, blanks removed
keydata() { awk '/^ Key Data:$|^Key data:$/ { f = 1; next } f && /^  [0-9A-F]/ { gsub(/ /, ""); printf "%s", $0; next } { f = 0 }' "$tmp/out"; }
# field N of the rsa-keypair record LABEL USAGE in the store
field() { awk -v l="$1" -v u="$2" -v k="$3" '$1 == "rsa-keypair" && $2 == l && $3 == u { print $k }' "$XCE_KEYSTORE"; }
sum() { md5sum <"$XCE_KEYSTORE"; }

run_all() {
    X=$1 tag=$2
    echo "# binary: $X"
    if [ ! -x "$X" ]; then not_ok "$tag$X is not built (make)"; return; fi
    local d="$tmp/${tag:-plain}" before
    d=${d% }
    mkdir -p "$d"
    echo yes >"$d/yes"
    echo no >"$d/no"
    export XCE_KEYSTORE="$d/store/keystore"

    # --- generate, show, the store file -------------------------------------
    xce_run "generate rsa general-keys label modulus 1024" 0 \
        crypto key generate rsa general-keys label r1.example.com modulus 1024
    check "${tag}IOS messages of generation" eval 'has_out "The name for the keys will be: r1.example.com" &&
        has_out "% The key modulus size is 1024 bits" &&
        grep -qE "^% Generating 1024 bit RSA keys, keys will be non-exportable\.\.\.\.*\[OK\]$" "$tmp/out"'
    check "${tag}store file mode 0600, directory 0700" \
        eval '[ "$(stat -c %a "$XCE_KEYSTORE")" = 600 ] && [ "$(stat -c %a "$(dirname "$XCE_KEYSTORE")")" = 700 ]'
    check "${tag}store: version header, one record, end line" eval '[ "$(head -1 "$XCE_KEYSTORE")" = "xce-keystore 1" ] &&
        [ "$(grep -c "^rsa-keypair r1.example.com general 1024 non-exportable " "$XCE_KEYSTORE")" = 1 ] &&
        [ "$(tail -1 "$XCE_KEYSTORE")" = end ] && [ "$(field r1.example.com general 8)" = clear ]'

    xce_run "a second process shows the key (show crypto key mypubkey rsa NAME)" 0 \
        show crypto key mypubkey rsa r1.example.com
    check "${tag}mypubkey: IOS layout" eval 'grep -qE "^% Key pair was generated at: [0-2][0-9]:[0-5][0-9]:[0-5][0-9] UTC [A-Z][a-z]{2} [1-9][0-9]? $(date -u +%Y)$" "$tmp/out" &&
        [ "$(sed -n 2,5p "$tmp/out")" = "$(printf "Key name: r1.example.com\n Usage: General Purpose Key\n Key is not exportable.\n Key Data:")" ]'
    check "${tag}Key Data: 8-digit upper-case groups, 8 a line" eval '[ "$(awk "NR > 5" "$tmp/out" | grep -cvE "^  [0-9A-F]{8}( [0-9A-F]{8}){7}$")" = 1 ] &&
        tail -1 "$tmp/out" | grep -qE "^  [0-9A-F]{2,8}( [0-9A-F]{2,8}){0,7}$"'
    keydata | xxd -r -p >"$d/shown.der"
    check "${tag}Key Data is DER SubjectPublicKeyInfo openssl reads (1024 bits)" \
        eval 'openssl pkey -pubin -inform DER -in "$d/shown.der" -noout -text 2>/dev/null | grep -q "Public-Key: (1024 bit)"'
    field r1.example.com general 9 | base64 -d >"$d/priv.der"
    openssl pkey -inform DER -in "$d/priv.der" -pubout -outform DER -out "$d/frompriv.der" 2>/dev/null
    check "${tag}Key Data is the public key of the stored private key" cmp -s "$d/shown.der" "$d/frompriv.der"
    check "${tag}no private key material on the output" eval '! grep -qF "$(field r1.example.com general 9 | cut -c1-40)" "$tmp/out"'

    xce_run "abbreviated: cry k gen rsa mod 512 lab abbr" 0 cry k gen rsa mod 512 lab abbr
    check "${tag}abbreviated words generate the same" has_out "% Generating 512 bit RSA keys"
    xce_run "generate rsa with the host name as label" 0 crypto key generate rsa modulus 512
    check "${tag}default label is the host name" has_out "The name for the keys will be: $(uname -n)"

    # --- usage-keys, modulus limits -------------------------------------------
    xce_run "generate rsa usage-keys exportable" 0 crypto key generate rsa usage-keys label u1 modulus 512 exportable
    check "${tag}usage-keys: two pairs generated" eval '[ "$(grep -c "^% Generating 512 bit RSA keys, keys will be exportable\.\.\." "$tmp/out")" = 2 ]'
    xce_run "show the usage keys" 0 show crypto key mypubkey rsa u1
    check "${tag}usage keys: Signature and Encryption, same name, exportable" eval '[ "$(grep -c "^Key name: u1$" "$tmp/out")" = 2 ] &&
        has_out " Usage: Signature Key" && has_out " Usage: Encryption Key" && [ "$(grep -c "^ Key is exportable\.$" "$tmp/out")" = 2 ]'
    check "${tag}usage keys: two records in the store" eval '[ -n "$(field u1 signature 9)" ] && [ -n "$(field u1 encryption 9)" ]'
    xce_run "modulus 360 (the IOS minimum) is generated" 0 crypto key generate rsa label tiny modulus 360
    xce_run "show the 360-bit key" 0 show crypto key mypubkey rsa tiny
    keydata | xxd -r -p >"$d/tiny.der"
    check "${tag}360-bit key readable by openssl" \
        eval 'openssl pkey -pubin -inform DER -in "$d/tiny.der" -noout -text 2>/dev/null | grep -q "Public-Key: (360 bit)"'
    before=$(sum)
    xce_run "modulus 359 refused" 1 crypto key generate rsa label m359 modulus 359
    check "${tag}modulus 359: message, nothing changed" eval 'has_err "% Invalid modulus size 359" && [ "$(sum)" = "$before" ]'
    xce_run "modulus 4097 refused" 1 crypto key generate rsa label m4097 modulus 4097
    check "${tag}modulus 4097: message, nothing changed" eval 'has_err "% Invalid modulus size 4097" && [ "$(sum)" = "$before" ]'
    xce_run "modulus that is not a number: '^' marker" 1 crypto key generate rsa modulus 1k
    check "${tag}marker under the bad modulus" eval '[ "$(sed -n 2,3p "$tmp/err")" = "$(printf "%32s^\n%s" "" "% Invalid input detected at '"'^'"' marker.")" ]'
    xce_run "generate rsa ? lists the options" 0 crypto key generate rsa ?
    check "${tag}? lists label, modulus, usage-keys" eval 'has_out "label" && has_out "modulus" && has_out "usage-keys"'

    # --- replacing a label ----------------------------------------------------
    local old_pub
    old_pub=$(field r1.example.com general 7)
    before=$(sum)
    STDIN="$d/no" xce_run "replace answered no: refused" 1 crypto key generate rsa label r1.example.com modulus 512
    check "${tag}replace: the IOS question" eval 'has_out "% You already have RSA keys defined named r1.example.com." &&
        has_out "% Do you really want to replace them? [yes/no]:"'
    check "${tag}replace refused: store unchanged" eval '[ "$(sum)" = "$before" ]'
    xce_run "replace with no answer (end of input): refused" 1 crypto key generate rsa label r1.example.com modulus 512
    check "${tag}no answer: store unchanged" eval '[ "$(sum)" = "$before" ]'
    STDIN="$d/yes" xce_run "replace answered yes: done" 0 crypto key generate rsa label r1.example.com modulus 512
    check "${tag}replaced: one new 512-bit pair" eval '[ "$(grep -c "^rsa-keypair r1.example.com " "$XCE_KEYSTORE")" = 1 ] &&
        [ "$(field r1.example.com general 4)" = 512 ] && [ "$(field r1.example.com general 7)" != "$old_pub" ]'
    printf 'crypto key generate rsa label r1.example.com modulus 768\nyes\nshow crypto key mypubkey rsa r1.example.com\n' >"$d/cmds"
    STDIN="$d/cmds" xce_run "exec mode: the answer is the next line" 0
    check "${tag}exec mode: replaced, the answer not run as a command" eval '[ "$(field r1.example.com general 4)" = 768 ] &&
        ! has_err "Invalid input" && has_out "Key name: r1.example.com"'
    printf 'crypto key generate rsa label r1.example.com modulus 512\nno\nshow crypto key mypubkey rsa r1.example.com\n' >"$d/cmds"
    STDIN="$d/cmds" xce_run "exec mode: answered no, exit status 1" 1
    check "${tag}exec mode: refused with its line number, next command ran" eval 'has_err "xce: line 1: command failed" &&
        [ "$(field r1.example.com general 4)" = 768 ] && has_out "Key name: r1.example.com"'

    # --- zeroize ---------------------------------------------------------------
    local u1_sig u1_enc r1_priv
    u1_sig=$(field u1 signature 9)
    u1_enc=$(field u1 encryption 9)
    before=$(sum)
    STDIN="$d/no" xce_run "zeroize answered no: refused" 1 crypto key zeroize rsa u1
    check "${tag}zeroize: the IOS question, store unchanged" eval 'has_out "% Keys to be removed are named u1." &&
        has_out "% Do you really want to remove these keys? [yes/no]:" && [ "$(sum)" = "$before" ]'
    STDIN="$d/yes" xce_run "zeroize rsa u1" 0 crypto key zeroize rsa u1
    xce_run "show after zeroize" 0 show crypto key mypubkey rsa u1
    check "${tag}zeroized name: show prints nothing" test ! -s "$tmp/out"
    check "${tag}zeroized name: its private keys are gone from the file" \
        eval '! grep -qF "$u1_sig" "$XCE_KEYSTORE" && ! grep -qF "$u1_enc" "$XCE_KEYSTORE" && [ -z "$(field u1 signature 1)" ]'
    check "${tag}zeroize left the other keys" eval '[ -n "$(field r1.example.com general 9)" ]'
    xce_run "zeroize of an unknown name fails" 1 crypto key zeroize rsa nosuch
    r1_priv=$(field r1.example.com general 9)
    STDIN="$d/yes" xce_run "zeroize rsa (all keys)" 0 crypto key zeroize rsa
    check "${tag}zeroize all: the IOS message" has_out "% All RSA keys will be removed."
    xce_run "show after zeroize all" 0 show crypto key mypubkey rsa
    check "${tag}zeroize all: show prints nothing, no key pair in the file" \
        eval '[ ! -s "$tmp/out" ] && ! grep -q "^rsa-keypair" "$XCE_KEYSTORE" && ! grep -qF "$r1_priv" "$XCE_KEYSTORE"'
    check "${tag}store still mode 0600 after rewrites" eval '[ "$(stat -c %a "$XCE_KEYSTORE")" = 600 ]'

    # --- pubkey-chain ------------------------------------------------------------
    {
        echo "crypto key pubkey-chain rsa"
        echo "named-key wan2516.cisco.com"
        echo "key-string"
        echo "$SEED_KEY"
        echo "quit"
        echo "exit"
        echo "addressed-key 192.0.2.1"
        echo "key-string"
        echo "$SEED_KEY" | tr -d ' \n' | fold -w 20   # any spacing
        echo
        echo "quit"
        echo "end"
    } >"$d/chain"
    STDIN="$d/chain" xce_run "pubkey-chain: named-key and addressed-key with the seed's key" 0
    check "${tag}pubkey-chain: nothing printed" eval '[ ! -s "$tmp/out" ] && [ ! -s "$tmp/err" ]'
    xce_run "show crypto key pubkey-chain rsa" 0 show crypto key pubkey-chain rsa
    check "${tag}pubkey-chain table" eval '[ "$(sed -n 1,3p "$tmp/out")" = "$(printf "Codes: M - Manually configured, C - Extracted from certificate\n\nCode  Usage       IP-Address/VRF   Keyring  Name")" ] &&
        grep -qE "^M +General +default +wan2516\.cisco\.com$" "$tmp/out" && grep -qE "^M +General +192\.0\.2\.1 +default$" "$tmp/out"'
    xce_run "show crypto key pubkey-chain rsa name NAME" 0 show crypto key pubkey-chain rsa name wan2516.cisco.com
    { printf 'Key name: wan2516.cisco.com\nKey usage: general purpose\nKey source: manually entered\nKey data:\n'
      echo "$SEED_KEY" | sed 's/^/  /'; } >"$d/expect.name"
    check "${tag}name form: the seed's output" cmp -s "$tmp/out" "$d/expect.name"
    xce_run "show crypto key pubkey-chain rsa address A.B.C.D" 0 sh cry key pubkey-chain rsa addr 192.0.2.1
    { printf 'Key address: 192.0.2.1\nKey usage: general purpose\nKey source: manually entered\nKey data:\n'
      echo "$SEED_KEY" | sed 's/^/  /'; } >"$d/expect.addr"
    check "${tag}address form" cmp -s "$tmp/out" "$d/expect.addr"
    echo "$SEED_KEY" | tr -d ' \n' | xxd -r -p >"$d/seed.der"
    openssl rsa -pubin -inform DER -in "$d/seed.der" -RSAPublicKey_out -outform DER -out "$d/seed.pkcs1" 2>/dev/null
    printf 'crypto key pubkey-chain rsa\nnamed-key pkcs1.example signature\nkey-string\n%s\nquit\nend\nshow crypto key pubkey-chain rsa name pkcs1.example\n' \
        "$(xxd -p -u "$d/seed.pkcs1" | tr -d '\n')" >"$d/cmds"
    STDIN="$d/cmds" xce_run "key-string as PKCS#1 RSAPublicKey" 0
    check "${tag}PKCS#1 key stored as its SubjectPublicKeyInfo, signature usage" eval 'has_out "Key usage: signatures only" &&
        [ "$(keydata)" = "$(echo "$SEED_KEY" | tr -d " \n")" ]'

    before=$(sum)
    printf 'crypto key pubkey-chain rsa\nnamed-key bad.example\nkey-string\n305C300D 06092A86\n4886F70\nquit\nend\n' >"$d/cmds"
    STDIN="$d/cmds" xce_run "key-string with an odd number of hex digits refused" 1
    check "${tag}odd hex: lines named, nothing stored" eval 'has_err "% Invalid key-string (lines 4-5): odd number of hex digits (23)" &&
        has_err "xce: line 6: command failed" && [ "$(sum)" = "$before" ]'
    printf 'crypto key pubkey-chain rsa\nnamed-key bad.example\nkey-string\n30820102 0A0B0C0D\n01020304\nquit\nend\n' >"$d/cmds"
    STDIN="$d/cmds" xce_run "key-string that is not DER refused" 1
    check "${tag}garbage DER: lines named, nothing stored" eval 'has_err "% Invalid key-string (lines 4-5): not an RSA public key" &&
        [ "$(sum)" = "$before" ]'
    printf 'crypto key pubkey-chain rsa\nnamed-key bad.example\nkey-string\n305C300D 06092A8G\n%s\nquit\nend\n' "$SEED_KEY" >"$d/cmds"
    STDIN="$d/cmds" xce_run "key-string with a non-hex character refused" 1
    check "${tag}bad character: its line, nothing stored" eval 'has_err "xce: line 4: command failed" &&
        has_err "Invalid key-string (error at line 4)" && [ "$(sum)" = "$before" ]'
    printf 'crypto key pubkey-chain rsa\nnamed-key bad.example\nkey-string\n%s\n' "$SEED_KEY" >"$d/cmds"
    STDIN="$d/cmds" xce_run "input ending inside key-string refused" 1
    check "${tag}no quit: nothing stored" eval 'has_err "ended inside key-string" && [ "$(sum)" = "$before" ]'
    printf 'crypto key pubkey-chain rsa\naddressed-key 192.0.2.01\nend\n' >"$d/cmds"
    STDIN="$d/cmds" xce_run "addressed-key with a bad address refused" 1
    check "${tag}bad address: '^' marker" has_err "% Invalid input detected at '^' marker."
    xce_run "pubkey-chain on the command line refused" 1 crypto key pubkey-chain rsa
    check "${tag}pubkey-chain needs exec mode: says so" has_err "use it in exec mode"

    printf 'crypto key pubkey-chain rsa\nno named-key wan2516.cisco.com\nno addressed-key 192.0.2.1\nend\n' >"$d/cmds"
    STDIN="$d/cmds" xce_run "no named-key / no addressed-key" 0
    xce_run "show the removed named key" 0 show crypto key pubkey-chain rsa name wan2516.cisco.com
    check "${tag}no named-key: show prints nothing" test ! -s "$tmp/out"
    xce_run "pubkey-chain table after no ..." 0 show crypto key pubkey-chain rsa
    check "${tag}removed from the table, the other key stays" eval '! grep -q wan2516 "$tmp/out" && ! grep -q 192.0.2.1 "$tmp/out" &&
        grep -q pkcs1.example "$tmp/out"'

    # --- config key ------------------------------------------------------------
    xce_run "key pair for the config key checks" 0 crypto key generate rsa label c1 modulus 512
    before=$(sum)
    xce_run "password-encrypt without XCE_CONFIG_KEY refused" 1 key config-key password-encrypt
    check "${tag}no config key: says where it comes from, store unchanged" eval 'has_err "XCE_CONFIG_KEY" && [ "$(sum)" = "$before" ]'
    export XCE_CONFIG_KEY="correct horse battery"
    xce_run "key config-key password-encrypt" 0 key config-key password-encrypt
    check "${tag}encrypted: flag line, every private key encrypted" eval 'grep -qx "encrypt pbes2-aes-256-cbc" "$XCE_KEYSTORE" &&
        [ "$(field c1 general 8)" = encrypted ] && ! grep -q " clear " "$XCE_KEYSTORE"'
    check "${tag}the config key is not in the store" eval '! grep -qF "$XCE_CONFIG_KEY" "$XCE_KEYSTORE"'
    field c1 general 9 | base64 -d >"$d/enc.der"
    check "${tag}not a clear PKCS#8 (openssl pkcs8 -nocrypt fails)" \
        eval '! openssl pkcs8 -inform DER -nocrypt -in "$d/enc.der" -out /dev/null 2>/dev/null'
    check "${tag}standard encrypted PKCS#8: openssl decrypts it with the config key" \
        eval 'openssl pkcs8 -inform DER -in "$d/enc.der" -passin env:XCE_CONFIG_KEY -outform DER -out "$d/dec.der" 2>/dev/null &&
              openssl pkey -inform DER -in "$d/dec.der" -pubout -outform DER 2>/dev/null | cmp -s - <(field c1 general 7 | base64 -d)'
    XENV="-u XCE_CONFIG_KEY" xce_run "show works without the config key" 0 show crypto key mypubkey rsa c1
    check "${tag}show without the key prints the key" has_out "Key name: c1"
    before=$(sum)
    XCE_CONFIG_KEY="wrong horse battery" xce_run "wrong config key: decrypting refused" 1 no key config-key password-encrypt
    check "${tag}wrong key: clear message, store unchanged" eval 'has_err "does not decrypt the private key of c1" && [ "$(sum)" = "$before" ]'
    XCE_CONFIG_KEY="wrong horse battery" xce_run "wrong config key: generation refused" 1 crypto key generate rsa label c2 modulus 512
    check "${tag}wrong key: no key generated" eval 'has_err "does not decrypt" && [ "$(sum)" = "$before" ]'
    XENV="-u XCE_CONFIG_KEY" xce_run "missing config key: generation refused" 1 crypto key generate rsa label c2 modulus 512
    check "${tag}missing key: clear message, store unchanged" eval 'has_err "no config key is set" && [ "$(sum)" = "$before" ]'
    xce_run "generation with the right config key" 0 crypto key generate rsa label c2 modulus 512
    check "${tag}the new key is encrypted too" eval '[ "$(field c2 general 8)" = encrypted ] &&
        field c2 general 9 | base64 -d | openssl pkcs8 -inform DER -passin env:XCE_CONFIG_KEY -out /dev/null 2>/dev/null'
    local current=$XCE_CONFIG_KEY
    XCE_CONFIG_KEY="new battery staple" XCE_CONFIG_KEY_OLD="$current" xce_run "change the config key (XCE_CONFIG_KEY_OLD)" 0 \
        key config-key password-encrypt
    check "${tag}re-encrypted under the new key" eval 'field c1 general 9 | base64 -d |
        XCE_CONFIG_KEY="new battery staple" openssl pkcs8 -inform DER -passin env:XCE_CONFIG_KEY -out /dev/null 2>/dev/null'
    XCE_CONFIG_KEY="new battery staple" xce_run "no key config-key password-encrypt" 0 no key config-key password-encrypt
    check "${tag}decrypted: clear PKCS#8 again, no flag" eval '! grep -q "^encrypt" "$XCE_KEYSTORE" && [ "$(field c2 general 8)" = clear ] &&
        field c2 general 9 | base64 -d | openssl pkcs8 -inform DER -nocrypt -out /dev/null 2>/dev/null'
    unset XCE_CONFIG_KEY

    # --- damaged store files ------------------------------------------------------
    cp "$XCE_KEYSTORE" "$d/good"
    head -c $(($(stat -c %s "$d/good") - 30)) "$d/good" >"$XCE_KEYSTORE"
    before=$(sum)
    xce_run "truncated store: show fails" 1 show crypto key mypubkey rsa
    check "${tag}truncated: 'keystore PATH line N' error" eval 'grep -qE "^xce: keystore .*/keystore line [0-9]+: " "$tmp/err"'
    STDIN="$d/yes" xce_run "truncated store: generate fails" 1 crypto key generate rsa label c1 modulus 512
    check "${tag}truncated: file not rewritten" eval '[ "$(sum)" = "$before" ] && has_err "The key store was not changed"'
    sed '3a this is not a record' "$d/good" >"$XCE_KEYSTORE"
    before=$(sum)
    xce_run "garbage line: show fails" 1 show crypto key pubkey-chain rsa
    check "${tag}garbage line: its line number" has_err "keystore $XCE_KEYSTORE line 4: unknown record 'this'"
    STDIN="$d/yes" xce_run "garbage line: zeroize fails" 1 crypto key zeroize rsa
    check "${tag}garbage line: file not rewritten" eval '[ "$(sum)" = "$before" ]'
    sed 's/^\(rsa-keypair c1 general\) 512 /\1 1024 /' "$d/good" >"$XCE_KEYSTORE"
    local at
    at=$(grep -n "^rsa-keypair c1 " "$d/good" | cut -d: -f1)
    xce_run "record that contradicts its key: refused" 1 show crypto key mypubkey rsa
    check "${tag}bits mismatch: its line ($at)" has_err "line $at: the public key has 512 bits, not 1024"
    cp "$d/good" "$XCE_KEYSTORE"

    # --- where the store lives ------------------------------------------------------
    xce_run "--keystore PATH" 0 --keystore "$d/other/ks" crypto key generate rsa label o1 modulus 512
    check "${tag}--keystore overrides XCE_KEYSTORE" eval '[ -f "$d/other/ks" ] && [ -z "$(field o1 general 1)" ]'
    XENV="-u XCE_KEYSTORE XDG_DATA_HOME=$d/xdg" xce_run "XDG_DATA_HOME default" 0 crypto key generate rsa label x1 modulus 512
    check "${tag}\$XDG_DATA_HOME/xce/keystore, directory 0700" \
        eval '[ -f "$d/xdg/xce/keystore" ] && [ "$(stat -c %a "$d/xdg/xce")" = 700 ]'
    XENV="-u XCE_KEYSTORE -u XDG_DATA_HOME HOME=$d/home" xce_run "HOME default" 0 crypto key generate rsa label h1 modulus 512
    check "${tag}\$HOME/.local/share/xce/keystore" test -f "$d/home/.local/share/xce/keystore"
}

start=$SECONDS
each_xce run_all
no_sanitizer_reports
echo "# $n checks, $failed failed, $((SECONDS - start)) s"
[ "$failed" = 0 ]
