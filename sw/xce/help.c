/* help.c - the manual of xce: "xce --help", "xce help", "xce enc -help",
 * "xce speed -help", and "xce --version". */
#include <string.h>

#include <openssl/crypto.h>

#include "ciphers.h"
#include "cli.h"

static const char main_help[] =
    "NAME\n"
    "    xce - use the xce crypto offload engine: openssl-compatible encryption,\n"
    "    IOS-style engine status, self-test and benchmarks\n"
    "\n"
    "SYNOPSIS\n"
    "    xce [--device SPEC] [--policy hardware|software|auto] [--trace FILE.vcd] [-v]\n"
    "        COMMAND [ARGS]\n"
    "    xce [GLOBAL OPTIONS] [exec] < COMMANDS\n"
    "    xce --help | --version\n"
    "\n"
    "DESCRIPTION\n"
    "    xce attaches to an xce engine through libxce - the cycle-accurate\n"
    "    simulated engine, an FPGA on PCI, or no engine at all - and runs one\n"
    "    command on it. Every encryption and decryption goes through libxce: it\n"
    "    runs on the engine when the policy, the engine's capabilities and its\n"
    "    health allow, otherwise in software (OpenSSL), and every software\n"
    "    completion is counted under its reason.\n"
    "\n"
    "    Without a COMMAND (or with \"exec\") xce reads commands from standard\n"
    "    input, one per line, all against the same attached device, so the\n"
    "    counters accumulate. Words may be quoted ('...' or \"...\") and a word\n"
    "    starting with '!' or '#' begins a comment. On a terminal each line is\n"
    "    prompted with \"xce# \". \"end\", \"exit\" or \"quit\" stops. A failing\n"
    "    command prints its error and the next line is read.\n"
    "\n"
    "    IOS commands may be abbreviated to any unique prefix of each word, as on\n"
    "    a router (\"sh cry eng conf\"); \"?\" lists the words that may follow. A\n"
    "    word that is unknown or ambiguous is marked with '^' and\n"
    "    \"% Invalid input detected at '^' marker.\"\n"
    "\n"
    "OPTIONS\n"
    "    --device SPEC, --device=SPEC\n"
    "        sim (the simulated engine), pci (the first xce PCI function),\n"
    "        pci:0000:03:00.0, sw (no engine: software only), or a pool of\n"
    "        devices used as one, e.g. pool:sim,sim. Default: $XCE_DEVICE,\n"
    "        else sim.\n"
    "    --policy hardware|software|auto\n"
    "        hardware: the engine only; a request it cannot serve fails.\n"
    "        software: OpenSSL only. auto (default): the engine when it is\n"
    "        capable, healthy and the request is above the crossover size.\n"
    "    --trace FILE.vcd\n"
    "        Write a VCD waveform of the simulated engine (sim only; slow).\n"
    "    -v, --verbose\n"
    "        After each command print to stderr how many requests the engine\n"
    "        and the software path served, and why software served them.\n"
    "    -h, --help\n"
    "        This manual.\n"
    "    --version\n"
    "        Versions of xce, libxce and OpenSSL.\n"
    "\n"
    "COMMANDS\n"
    "    enc -CIPHER [-e|-d] [-K HEX -iv HEX | -k PASS | -pass SRC] [OPTIONS]\n"
    "        Encrypt or decrypt like openssl enc, byte for byte (AES ECB/CBC/CTR,\n"
    "        DES and 3DES ECB/CBC): same options, same output, same Salted__\n"
    "        files. See \"xce enc -help\".\n"
    "    dgst [-md5|-sha1|-sha224|-sha256|-sha384|-sha512] [-hmac KEY] [FILE...]\n"
    "        Digest or HMAC like openssl dgst, same output. See \"xce dgst -help\".\n"
    "    speed [CIPHER...] [-seconds N] [-bytes N]\n"
    "        Throughput like openssl speed -evp. See \"xce speed -help\".\n"
    "    show crypto engine configuration\n"
    "        Engine identity, versions, capabilities, policy and input queue.\n"
    "    show crypto engine brief\n"
    "        One block per crypto engine (the xce engine, then software).\n"
    "    show crypto engine accelerator statistic\n"
    "        Per-core counters, requests served by the engine and in software,\n"
    "        fallbacks by reason, errors, timeouts, resets, self-tests.\n"
    "    test crypto self-test\n"
    "        Known-answer tests in software and on the engine.\n"
    "    crypto engine accelerator\n"
    "    no crypto engine accelerator\n"
    "        Serve requests on the engine again / only in software (useful in\n"
    "        exec mode, where the setting lasts for the following commands).\n"
    "    help\n"
    "        This manual.\n"
    "\n"
    "ENVIRONMENT\n"
    "    XCE_DEVICE\n"
    "        Device used when --device is not given.\n"
    "\n"
    "EXIT STATUS\n"
    "    0 on success; 1 when the command (in exec mode: any command) failed,\n"
    "    for a usage error, or when the device cannot be attached.\n"
    "\n"
    "EXAMPLES\n"
    "    xce --policy hardware enc -aes-128-cbc -K $(openssl rand -hex 16) \\\n"
    "        -iv $(openssl rand -hex 16) -in file -out file.enc\n"
    "    xce enc -aes-256-ctr -pbkdf2 -pass env:PW -a -in file > file.b64\n"
    "    xce sh cry eng accel stat\n"
    "    xce --device sw show crypto engine brief\n"
    "    printf 'test crypto self-test\\nshow crypto engine configuration\\n' | xce\n"
    "    xce -v speed aes-128-cbc -seconds 1\n";

static const char enc_help_1[] =
    "NAME\n"
    "    xce enc - symmetric encryption and decryption on the xce engine,\n"
    "    compatible with openssl enc (AES ECB/CBC/CTR, DES and 3DES ECB/CBC)\n"
    "\n"
    "SYNOPSIS\n"
    "    xce [GLOBAL OPTIONS] enc -CIPHER [-e | -d] [-K HEX [-iv HEX]]\n"
    "        [-k PASS | -pass pass:PASS|env:VAR|file:PATH] [-pbkdf2] [-iter N]\n"
    "        [-md DIGEST] [-salt | -nosalt | -S HEX] [-nopad] [-a | -base64] [-A]\n"
    "        [-p | -P] [-in FILE] [-out FILE]\n"
    "\n"
    "DESCRIPTION\n"
    "    Reads the input in 64 KiB chunks, runs them through libxce (the engine\n"
    "    or the software path, as the policy decides) and writes the result.\n"
    "    Output is byte-identical to openssl enc with the same arguments,\n"
    "    including the \"Salted__\" header of password-based files, so either\n"
    "    program can read what the other wrote.\n"
    "\n"
    "    Where openssl only warns, xce stops with an error and writes no output\n"
    "    file: keys, IVs and salts must be hex of exactly the right length, CBC\n"
    "    and CTR need -iv with -K, -nopad needs whole blocks. An output file is\n"
    "    written under a temporary name and only appears, complete, on success.\n"
    "\n"
    "CIPHERS\n"
    "    ";

static const char enc_help_2[] =
    "(also -aes128, -aes192, -aes256, -des, -des3 for CBC and -des-ede3-ecb,\n"
    "    -des-ede-ecb; names are case-insensitive)\n"
    "\n"
    "OPTIONS\n"
    "    -e             Encrypt (default).\n"
    "    -d             Decrypt.\n"
    "    -K HEX         The key as hex: AES 16, 24 or 32 bytes, DES 8, 3DES 24\n"
    "                   (des-ede: 16), as the cipher needs.\n"
    "    -iv HEX        The IV (CBC) or initial counter block (CTR): the block\n"
    "                   size, 16 bytes for AES, 8 for DES and 3DES.\n"
    "    -k PASS        Derive key and IV from the password PASS.\n"
    "    -pass SRC      The password from pass:PASS, env:VAR or file:PATH (first\n"
    "                   line).\n"
    "    -pbkdf2        Derive with PBKDF2 (default 10000 iterations) instead of\n"
    "                   the deprecated EVP_BytesToKey.\n"
    "    -iter N        PBKDF2 with N iterations (implies -pbkdf2).\n"
    "    -md DIGEST     Digest of the key derivation: sha256 (default), sha1,\n"
    "                   md5, ...\n"
    "    -salt          Use a random salt, written after \"Salted__\" (default).\n"
    "    -nosalt        No salt and no header.\n"
    "    -S HEX         This 8-byte salt; no header is written or read.\n"
    "    -nopad         No PKCS#7 padding (ECB/CBC input must be whole blocks).\n"
    "    -a, -base64    Base64 output when encrypting (64-character lines), base64\n"
    "                   input when decrypting.\n"
    "    -A             Base64 on one line.\n"
    "    -p             Print salt, key and IV (salt=, key=, iv = lines) on stdout.\n"
    "                   Without a password the salt line shows zeros.\n"
    "    -P             Print them and exit without encrypting.\n"
    "    -in FILE       Input (default stdin; required in exec mode).\n"
    "    -out FILE      Output (default stdout).\n"
    "    -provider NAME Accepted and ignored (openssl needs -provider legacy for\n"
    "                   single DES; libxce does not).\n"
    "    -help          This text.\n"
    "\n"
    "EXIT STATUS\n"
    "    0 on success, 1 on any error: bad options or key material, unreadable\n"
    "    input, \"bad decrypt\" (wrong key or corrupt padding), \"bad magic\n"
    "    number\" (no Salted__ header), an engine failure under the hardware\n"
    "    policy.\n"
    "\n"
    "EXAMPLES\n"
    "    xce enc -aes-128-cbc -K 000102030405060708090a0b0c0d0e0f \\\n"
    "        -iv 0f0e0d0c0b0a09080706050403020100 -in msg -out msg.enc\n"
    "    xce enc -d -aes-256-ctr -pbkdf2 -pass file:pw.txt -a -in msg.b64\n"
    "    xce --policy hardware -v enc -aes-192-ecb -K $(openssl rand -hex 24) -in f -out f.enc\n";

static const char speed_help[] =
    "NAME\n"
    "    xce speed - throughput of the ciphers through libxce\n"
    "\n"
    "SYNOPSIS\n"
    "    xce [GLOBAL OPTIONS] speed [-evp] [CIPHER...] [-seconds N] [-bytes N]\n"
    "\n"
    "DESCRIPTION\n"
    "    Encrypts requests of 16, 64, 256, 1024, 8192 and 16384 bytes (or\n"
    "    -bytes N) for N seconds each (default 1) with every named cipher\n"
    "    (default the nine AES ciphers; DES and 3DES when named) at the\n"
    "    current policy, and prints the table openssl speed -evp prints: 1000s\n"
    "    of bytes per second. With -v, also how many requests of each size the\n"
    "    engine and the software path served. On the simulated engine, also the\n"
    "    engine cycles per 16-byte block (core busy cycles over blocks) and the\n"
    "    throughput that gives at the engine's clock. Progress lines go to\n"
    "    stderr.\n"
    "\n"
    "EXAMPLES\n"
    "    xce --policy hardware speed aes-128-cbc aes-256-ctr\n"
    "    xce -v --policy auto speed -bytes 4096 -seconds 2\n";

static const char dgst_help[] =
    "NAME\n"
    "    xce dgst - message digests and HMACs, as openssl dgst\n"
    "\n"
    "SYNOPSIS\n"
    "    xce [GLOBAL OPTIONS] dgst [-md5|-sha1|-sha224|-sha256|-sha384|-sha512]\n"
    "        [-hmac KEY] [-hex|-binary] [-c] [-r] [-out FILE] [FILE...]\n"
    "\n"
    "DESCRIPTION\n"
    "    Hashes each FILE (or standard input) through libxce: on the engine the\n"
    "    padding is done in hardware and the state carried between requests,\n"
    "    and with -hmac the outer hash is finished on the engine too. Output is\n"
    "    openssl's, byte for byte: \"SHA2-256(FILE)= HEX\". The default digest\n"
    "    is SHA-256.\n"
    "\n"
    "OPTIONS\n"
    "    -md5 -sha1 -sha224 -sha256 -sha384 -sha512   the digest\n"
    "    -hmac KEY   HMAC (RFC 2104) with KEY as given (its bytes, not hex)\n"
    "    -hex        hex output (the default); -c puts colons between bytes\n"
    "    -binary     the raw digest bytes\n"
    "    -r          coreutils format: \"HEX *FILE\"\n"
    "    -out FILE   write the output to FILE\n"
    "\n"
    "EXIT STATUS\n"
    "    0 when every file was read and hashed, 1 otherwise.\n"
    "\n"
    "EXAMPLES\n"
    "    xce --policy hardware dgst -sha512 image.bin\n"
    "    xce dgst -sha1 -hmac secret -r packet.bin\n";

void help_dgst(FILE *f)
{
    fputs(dgst_help, f);
}

void help_main(FILE *f)
{
    fputs(main_help, f);
}

void help_enc(FILE *f)
{
    fputs(enc_help_1, f);
    for (size_t i = 0; i < cipher_count(); i++)
        fprintf(f, "-%s%s", cipher_at(i)->name, i % 3 == 2 ? "\n    " : "  ");
    fputs(enc_help_2, f);
}

void help_speed(FILE *f)
{
    fputs(speed_help, f);
}

void print_version(FILE *f)
{
    fprintf(f, "xce %s (libxce %s, %s)\n", XCE_CLI_VERSION, XCE_LIB_VERSION, OpenSSL_version(OPENSSL_VERSION));
}

int cmd_help(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    if (argc > 0 && strcmp(argv[0], "enc") == 0)
        help_enc(stdout);
    else if (argc > 0 && strcmp(argv[0], "speed") == 0)
        help_speed(stdout);
    else
        help_main(stdout);
    return 0;
}
