#!/bin/bash
# tests/firmware/test_fwasm.sh - xce-fwasm, the PKA microcode assembler.
#
# firmware/pka.uasm assembles to exactly the image the build made
# (build/firmware/xce-pka.fw), with -o and with the default output name;
# the -l listing shows every word of the image at its address; the
# permitted spellings (any case, no spaces, labels alone or stacked, CRLF)
# give the same words; every kind of error exits 1 with "FILE:LINE:" at the
# right line and a message naming the problem, and leaves no output file
# (nor replaces an existing one); --help exits 0.
#
# FWASM_BIN selects the assembler (default build/bin/xce-fwasm; when unset
# and build/asan/bin/xce-fwasm exists, every check runs on it as well).
# Prints TAP.
set -u
cd "$(dirname "$0")/../.."
. tests/tap.sh

IMAGE=build/firmware/xce-pka.fw   # the assembler's output (not the signed image)
bins=("${FWASM_BIN:-build/bin/xce-fwasm}")
[ -z "${FWASM_BIN:-}" ] && [ -x build/asan/bin/xce-fwasm ] && bins+=(build/asan/bin/xce-fwasm)

# the instruction words of an image, one lowercase hex word per line
image_words() {
    local f=$1 k n
    k=$(od -An -tu4 -j20 -N4 "$f" | tr -d ' ')
    n=$(od -An -tu4 -j16 -N4 "$f" | tr -d ' ')
    od -An -v -tx4 -w4 -j$((32 + 16 * k)) -N$((4 * n)) "$f" | tr -d ' '
}

# src LINE...: the test source $tmp/case.uasm, one argument per line
src() { printf '%s\n' "$@" >"$tmp/case.uasm"; }

# expect_error WHAT LINE PHRASE: assembling $tmp/case.uasm fails with
# status 1, the first message is "$tmp/case.uasm:LINE: ..." and contains
# PHRASE, and no output (nor temporary) file is left.
expect_error() {
    local what=$1 line=$2 phrase=$3 s="$tmp/case.uasm" out="$tmp/case.fw" why="" first
    rm -f "$out" "$out".*
    "$X" "$s" >"$tmp/stdout" 2>"$tmp/stderr"
    local rc=$?
    first=$(head -1 "$tmp/stderr")
    [ $rc = 1 ] || why="exit status $rc, not 1"
    [[ "$first" == "$s:$line: "* ]] || why="${why:+$why; }first message not at line $line"
    grep -qF -- "$phrase" "$tmp/stderr" || why="${why:+$why; }no \"$phrase\" on stderr"
    ! grep -q -e Sanitizer -e 'runtime error:' "$tmp/stderr" || why="${why:+$why; }sanitizer report"
    if [ -e "$out" ] || compgen -G "$out.*" >/dev/null; then why="${why:+$why; }output file left behind"; fi
    if [ -z "$why" ]; then
        ok "$tag$what: ${first#"$tmp"/}"
    else
        not_ok "$tag$what: $why"
        sed 's/^/# /' "$tmp/stderr" | head -8
    fi
}

H=(".version 1.0" ".entry a")   # a valid start; the case's line follows as line 3

run_checks() {
    local X=$1 tag=$2
    rm -f "$tmp"/*.fw

    # --- the real firmware -------------------------------------------------
    "$X" -o "$tmp/pka.fw" firmware/pka.uasm >"$tmp/stdout" 2>"$tmp/stderr"
    local rc=$?
    if [ $rc = 0 ] && [ ! -s "$tmp/stderr" ] && [ ! -s "$tmp/stdout" ] && cmp -s "$tmp/pka.fw" "$IMAGE"; then
        ok "${tag}firmware/pka.uasm assembles to $IMAGE byte for byte ($(image_words "$IMAGE" | wc -l) words), silently"
    else
        not_ok "${tag}firmware/pka.uasm: status $rc, output differs from $IMAGE or something printed"
        sed 's/^/# /' "$tmp/stderr" | head -5
    fi

    cp firmware/pka.uasm "$tmp/copy.uasm"
    "$X" "$tmp/copy.uasm" 2>"$tmp/stderr"
    check "${tag}default output: SOURCE.uasm -> SOURCE.fw" cmp -s "$tmp/copy.fw" "$IMAGE"
    cp firmware/pka.uasm "$tmp/noext"
    "$X" "$tmp/noext" 2>"$tmp/stderr"
    check "${tag}default output without .uasm: .fw appended" cmp -s "$tmp/noext.fw" "$IMAGE"

    # --- the listing ----------------------------------------------------------
    "$X" -l -o "$tmp/l.fw" firmware/pka.uasm >"$tmp/listing" 2>"$tmp/stderr"
    image_words "$IMAGE" >"$tmp/words.image"
    awk '{ print $2 }' "$tmp/listing" >"$tmp/words.listing"
    if cmp -s "$tmp/words.image" "$tmp/words.listing" &&
        awk '{ if ($1 != NR - 1 || length($2) != 8 || $2 !~ /^[0-9a-f]+$/) exit 1 }' "$tmp/listing"; then
        ok "${tag}-l lists every word of the image at its address, in order ($(wc -l <"$tmp/listing") lines)"
    else
        not_ok "${tag}-l listing does not match the image"
        diff "$tmp/words.image" "$tmp/words.listing" | head -5 | sed 's/^/# /'
    fi
    check "${tag}-l listing carries the source line (\"  8  19040000  out:    mul   r4, r4, one\")" \
        grep -q '^  8  19040000  out: *mul *r4, r4, one' "$tmp/listing"

    # --- spellings that mean the same -------------------------------------------
    printf '%s\r\n' ".VERSION 1.0" ".Entry a" "  MUL R4,R1,ONE" "x:" "y: z:  mulc r4 ,r4, r5 ; c" \
        "Ldbit  R3" "DjNz y" "jmp X" "X: jz x" "Halt" >"$tmp/spell.uasm"
    "$X" -l -o "$tmp/spell.fw" "$tmp/spell.uasm" >"$tmp/listing" 2>"$tmp/stderr"
    local got
    got=$(awk '{ printf "%s ", $2 }' "$tmp/listing")
    if [ "$got" = "18440000 192a0000 20c00000 50000001 60000005 40000001 00000000 " ]; then
        ok "${tag}case-insensitive mnemonics/registers, no spaces, stacked and lone labels, case-sensitive labels, CRLF: the expected words"
    else
        not_ok "${tag}spellings: got words '$got'"
        sed 's/^/# /' "$tmp/stderr" | head -5
    fi
    printf '.version 1.0\n.entry a\nhalt' >"$tmp/nonl.uasm"
    check "${tag}last line without a newline" "$X" -o "$tmp/nonl.fw" "$tmp/nonl.uasm"

    # --- errors ------------------------------------------------------------------
    src "${H[@]}" "foo r1, r2" "halt";                  expect_error "unknown mnemonic" 3 "unknown mnemonic 'foo'"
    src "${H[@]}" "mul r1, r2" "halt";                  expect_error "mul with 2 operands" 3 "'mul' takes 3 operands"
    src "${H[@]}" "mul r1, r2, r3, r4";                 expect_error "mul with 4 operands" 3 "'mul' takes 3 operands"
    src "${H[@]}" "halt r1";                            expect_error "halt with an operand" 3 "'halt' takes no operands"
    src "${H[@]}" "ldbit";                              expect_error "ldbit without operand" 3 "'ldbit' takes 1 operand"
    src "${H[@]}" "jmp";                                expect_error "jmp without a label" 3 "'jmp' takes 1 operand"
    src "${H[@]}" "mul r1, r8, r2";                     expect_error "register r8" 3 "bad register 'r8'"
    src "${H[@]}" "mul r1, r2, x1";                     expect_error "register x1" 3 "bad register 'x1'"
    src "${H[@]}" "ldbit r10";                          expect_error "register r10" 3 "bad register 'r10'"
    src "${H[@]}" "mul r1, one, r2";                    expect_error "one as first factor" 3 "bad register 'one'"
    src "${H[@]}" "mul r0, r1, r2";                     expect_error "mul writing r0" 3 "cannot write r0"
    src "${H[@]}" "mulc R0, r1, one";                   expect_error "mulc writing r0" 3 "cannot write r0"
    src "${H[@]}" "halt" "jz nowhere" "halt";           expect_error "undefined label" 4 "undefined label 'nowhere'"
    src "${H[@]}" "x: halt" "halt" "x: halt";           expect_error "duplicate label" 5 "duplicate label 'x' (first defined at line 3)"
    src "${H[@]}" "halt" ".entry a" "halt";             expect_error "duplicate entry" 4 "duplicate entry 'a' (first at line 2)"
    src "${H[@]}" "halt" ".entry b" "; nothing";        expect_error "entry at the end" 4 "entry 'b' is not followed by an instruction"
    src "${H[@]}" "jmp end" "end:";                     expect_error "label past the last instruction" 3 "past the last instruction"
    src ".entry a" "halt";                              expect_error "missing .version" 1 "missing .version"
    src "${H[@]}" "halt" ".version 1.1";                expect_error "second .version" 4 "duplicate .version (first at line 1)"
    src ".version 0.0" ".entry a" "halt";               expect_error ".version 0.0" 1 "0.0 is reserved"
    src ".version 1" ".entry a" "halt";                 expect_error ".version without minor" 1 ".version needs MAJOR.MINOR"
    src ".version 65536.0" ".entry a" "halt";           expect_error ".version 65536.0" 1 ".version needs MAJOR.MINOR"
    src ".version 1.0" "halt";                          expect_error "no .entry" 1 "no .entry"
    src ".version 1.0" ".entry Modexp" "halt";          expect_error "upper-case entry name" 2 ".entry needs a name"
    src ".version 1.0" ".entry abcdefghijkl" "halt";    expect_error "12-character entry name" 2 ".entry needs a name"
    src ".version 1.0" ".entry" "halt";                 expect_error ".entry without a name" 2 ".entry needs a name"
    # 17 entries, each followed by a halt: the 17th .entry is line 34
    { echo ".version 1.0"; for i in $(seq 0 16); do echo ".entry e$i"; echo "halt"; done; } >"$tmp/case.uasm"
    expect_error "17 entries" 34 "more than 16 entries"
    { printf '%s\n' "${H[@]}"; for _ in $(seq 257); do echo halt; done; } >"$tmp/case.uasm"
    expect_error "257 instructions" 259 "program longer than 256 words"
    src "${H[@]}" "halt ; $(printf 'x%.0s' $(seq 250))"; expect_error "line of 257 characters" 3 "line longer than 255 characters"
    src "${H[@]}" "mul r1, r2, r3 r4";                  expect_error "trailing garbage after the operands" 3 "trailing garbage 'r4'"
    src ".version 1.0 beta" ".entry a" "halt";          expect_error "trailing garbage after .version" 1 "trailing garbage 'beta'"
    src ".version 1.0" ".entry a b" "halt";             expect_error "trailing garbage after .entry" 2 "trailing garbage 'b'"
    src "${H[@]}" "jz out, r1" "out: halt";             expect_error "jz with two operands" 3 "'jz' takes 1 operand"
    src "${H[@]}" "mul r1,, r2";                        expect_error "empty operand" 3 "expected an operand, found ','"
    src "${H[@]}" "halt # comment";                     expect_error "stray character" 3 "unexpected character '#'"
    src "${H[@]}" ".align 4" "halt";                    expect_error "unknown directive" 3 "unknown directive '.align'"
    src "${H[@]}" "1x: halt";                           expect_error "label starting with a digit" 3 "bad label name '1x'"
    src "${H[@]}" "l: .entry b" "halt";                 expect_error "label on a directive" 3 "followed by an instruction, not a directive"
    printf '.version 1.0\n.entry a\nhalt\nha\0lt\n' >"$tmp/case.uasm"
    expect_error "NUL byte" 4 "NUL byte"
    src "${H[@]}" "bogus" "halt" "mul r0, r1, r2";      expect_error "several errors: the first is reported first" 3 "unknown mnemonic 'bogus'"
    check "${tag}several errors: every one reported (line 5 too), no cascade from the bad line" \
        test "$(wc -l <"$tmp/stderr")" = 2 -a -n "$(grep "case.uasm:5: 'mul' cannot write r0" "$tmp/stderr")"

    # an existing image is not replaced by a failed run
    echo old >"$tmp/keep.fw"
    src "${H[@]}" "bogus"
    "$X" -o "$tmp/keep.fw" "$tmp/case.uasm" 2>/dev/null
    local rc2=$?
    check "${tag}failed run leaves an existing output untouched (status $rc2)" \
        test $rc2 = 1 -a "$(cat "$tmp/keep.fw")" = old

    # --- usage ---------------------------------------------------------------------
    "$X" --help >"$tmp/help" 2>&1
    rc=$?
    check "${tag}--help exits 0 and shows the synopsis and the instruction set" \
        test $rc = 0 -a -n "$(grep -e 'SYNOPSIS' "$tmp/help")" -a -n "$(grep -e 'mulc rd, ra, rb' "$tmp/help")"
    "$X" >/dev/null 2>"$tmp/stderr"
    rc=$?
    check "${tag}no SOURCE: exit 1 with a usage message" test $rc = 1 -a -n "$(grep 'Usage' "$tmp/stderr")"
    "$X" "$tmp/does-not-exist.uasm" >/dev/null 2>"$tmp/stderr"
    rc=$?
    check "${tag}unreadable SOURCE: exit 1, named on stderr" \
        test $rc = 1 -a -n "$(grep 'does-not-exist.uasm' "$tmp/stderr")"
    "$X" -o "$tmp/no/such/dir/x.fw" firmware/pka.uasm >/dev/null 2>"$tmp/stderr"
    rc=$?
    check "${tag}unwritable output: exit 1" test $rc = 1
}

for b in "${bins[@]}"; do
    if [ ! -x "$b" ]; then
        not_ok "$b: not built (make)"
        continue
    fi
    if [ ! -f "$IMAGE" ]; then
        not_ok "$IMAGE: not built (make)"
        continue
    fi
    case $b in build/asan/*) run_checks "$b" "asan: " ;; *) run_checks "$b" "" ;; esac
done
clean "$tmp"/sanitizer* 2>/dev/null || not_ok "sanitizer report"
[ "$failed" = 0 ]
