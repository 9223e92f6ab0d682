/* test_xced_config.c - the IOS configuration parser and writer of xced
 * (sw/xced/config.c): the router configurations of the IPSec tech report,
 * abbreviations, every error with its line, the canonical form against
 * the golden files in tests/xced/ (byte for byte), parse -> write ->
 * parse -> write round trips, and the limits; the IKE statements (keyrings,
 * isakmp profiles, keepalives, call admission, type 6 keys with the
 * master key). Runs from the tree's root. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "config.h"

static const char *const goldens[] = { "wan2511", "wan2516", "cl2513a", "cl2513b", "manual", "ike" };

static struct config *parse(const char *text, char *err, size_t errlen)
{
    err[0] = '\0';
    return config_parse(text, strlen(text), "t.cfg", err, errlen);
}

/* the canonical text of c (malloc'd) */
static char *write_str(const struct config *c, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f)
        return NULL;
    int st = config_write(c, f);
    fclose(f);
    if (st != 0) {
        free(buf);
        return NULL;
    }
    if (len)
        *len = n;
    return buf;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 20);
    size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

/* parse -> write -> parse -> write: the same config, the same text */
static int round_trip(const struct config *c, const char *what)
{
    char err[512];
    size_t n1, n2;
    char *w1 = write_str(c, &n1);
    struct config *c2 = w1 ? config_parse(w1, n1, "canonical", err, sizeof err) : NULL;
    if (!c2)
        printf("# %s: canonical form rejected: %s\n", what, w1 ? err : "write failed");
    char *w2 = c2 ? write_str(c2, &n2) : NULL;
    int ok = c2 && w2 && config_equal(c, c2) && n1 == n2 && memcmp(w1, w2, n1) == 0;
    free(w1);
    free(w2);
    config_free(c2);
    return ok;
}

static void test_goldens(void)
{
    for (size_t k = 0; k < sizeof goldens / sizeof *goldens; k++) {
        char in[128], exp[128], err[512];
        snprintf(in, sizeof in, "tests/xced/input/%s.cfg", goldens[k]);
        snprintf(exp, sizeof exp, "tests/xced/%s.cfg", goldens[k]);
        struct config *c = config_load(in, err, sizeof err);
        if (!CHECK(c != NULL, "%s parses", in)) {
            printf("# %s\n", err);
            continue;
        }
        size_t n, en;
        char *w = write_str(c, &n);
        char *e = read_file(exp, &en);
        CHECK(w && e && n == en && memcmp(w, e, n) == 0, "%s: canonical form equals %s byte for byte", in, exp);
        CHECK(round_trip(c, in), "%s: parse -> write -> parse -> write: same config, same text", in);
        /* the golden file itself is canonical: it writes itself */
        struct config *g = e ? config_parse(e, en, exp, err, sizeof err) : NULL;
        char *gw = g ? write_str(g, &n) : NULL;
        CHECK(gw && n == en && memcmp(gw, e, n) == 0 && config_equal(g, c), "%s parses and writes itself", exp);
        free(gw);
        config_free(g);
        free(w);
        free(e);
        config_free(c);
    }
}

static void test_seed_routers(void)
{
    char err[512];
    struct config *c = config_load("tests/xced/input/wan2511.cfg", err, sizeof err);
    if (!CHECK(c != NULL, "wan2511 (seed 003) parses"))
        return;
    CHECK(!strcmp(c->hostname, "wan2511") && !strcmp(c->version, "11.3") && !strcmp(c->domain, "cisco.com"),
          "wan2511: hostname, version, domain");
    CHECK(c->nhosts == 1 && c->hosts[0].addr == 0x14141414, "wan2511: ip host wan2516.cisco.com 20.20.20.20");
    CHECK(c->npolicies == 1 && c->policies[0].auth == CFG_IKE_RSA_ENCR && c->policies[0].group == 2 &&
              c->policies[0].lifetime == 240 && c->policies[0].encr == CFG_IKE_DES && c->policies[0].hash == CFG_IKE_SHA,
          "wan2511: isakmp policy 1 rsa-encr group 2 lifetime 240 (des, sha by default)");
    CHECK(c->identity == CFG_ID_HOSTNAME, "wan2511: isakmp identity hostname");
    const struct cfg_transform_set *t = config_find_tset(c, "auth2");
    CHECK(t && t->ah == CFG_AH_SHA && t->cipher == CFG_ESP_DES && t->esp_auth == CFG_ESPA_SHA &&
              t->mode == CFG_MODE_TUNNEL,
          "wan2511: transform-set auth2 ah-sha-hmac esp-des esp-sha-hmac, tunnel");
    CHECK(c->nmaps == 1 && c->maps[0].type == CFG_MAP_ISAKMP && c->maps[0].npeers == 1 &&
              c->maps[0].peers[0] == 0x14141414 && c->maps[0].acl == 133 && !strcmp(c->maps[0].tsets[0], "auth2"),
          "wan2511: crypto map test 10 ipsec-isakmp: peer, transform set, match address 133");
    CHECK(c->npubkeys == 1 && c->pubkeys[0].der_len == 94 && !strcmp(c->pubkeys[0].name, "wan2516.cisco.com") &&
              c->pubkeys[0].der[0] == 0x30 && c->pubkeys[0].der[93] == 0x01,
          "wan2511: named-key wan2516.cisco.com, a 94-byte key-string");
    const struct cfg_interface *s0 = config_find_interface(c, "Serial0");
    CHECK(c->nifs == 3 && s0 && s0->addr == 0x14141415 && s0->mask == 0xffffff00 && !strcmp(s0->crypto_map, "test") &&
              !strcmp(s0->linux_ifname, "eth1") && !s0->shutdown,
          "wan2511: Serial0 20.20.20.21/24, crypto map test, bound to eth1");
    const struct cfg_interface *s1 = config_find_interface(c, "Serial1");
    CHECK(s1 && s1->shutdown && !s1->has_address, "wan2511: Serial1 no ip address, shutdown");
    CHECK(c->nroutes == 2 && c->routes[1].prefix == 0x3c000000 && c->routes[1].mask == 0xff000000 &&
              c->routes[1].nexthop == 0x14141414,
          "wan2511: ip route 60.0.0.0 255.0.0.0 20.20.20.20");
    CHECK(c->naces == 1 && c->aces[0].number == 133 && c->aces[0].proto == CFG_PROTO_IP &&
              c->aces[0].src == 0x32323200 && c->aces[0].src_wild == 0xff && c->aces[0].dst == 0x3c3c3c00,
          "wan2511: access-list 133 permit ip 50.50.50.0 0.0.0.255 60.60.60.0 0.0.0.255");
    CHECK(c->accelerator == 1 && c->sa_life_kb == CFG_DEFAULT_SA_KB && c->replay_window == 64,
          "wan2511: defaults (accelerator on, 4608000 kB, window 64)");
    config_free(c);

    c = config_load("tests/xced/input/wan2516.cfg", err, sizeof err);
    if (!CHECK(c != NULL, "wan2516 (seed 003) parses (hub and line blocks, ip default-gateway ignored)"))
        return;
    CHECK(c->nifs == 5 && config_find_interface(c, "BRI0") && config_find_interface(c, "Loopback0") &&
              c->maps[0].acl == 144 && c->maps[0].peers[0] == 0x14141415,
          "wan2516: five interfaces, map to 20.20.20.21 with list 144");
    config_free(c);

    c = config_load("tests/xced/input/cl2513a.cfg", err, sizeof err);
    CHECK(c && c->nikeys == 1 && !strcmp(c->ikeys[0].key, "sharedkey") && c->ikeys[0].addr == 0x14141414 &&
              c->policies[0].auth == CFG_IKE_PRE_SHARE,
          "cl-2513-2A: crypto isakmp key sharedkey address 20.20.20.20, pre-share");
    config_free(c);
}

static void test_abbreviations(void)
{
    char err[512];
    struct config *c = parse("int e0\n"
                             " ip add 10.0.0.1 255.255.255.0\n"
                             " xce linux-i eth0\n"
                             "int s 0/1\n"
                             "int Fa01\n"
                             "cry ips trans t1 esp-3 esp-md\n"
                             " mo trans\n"
                             "cry ips trans t2 ah-s esp-a 192 esp-sha2\n"
                             "cry isa pol 7\n"
                             " enc aes 256\n"
                             " ha sha2\n"
                             " au pre\n"
                             " gr 5\n"
                             " li 600\n"
                             "cry map m 1 ipsec-m\n"
                             " set pe 10.9.9.9\n"
                             " set tr t1\n"
                             " mat add 150\n"
                             " set sess in esp 256 ci 000102030405060708091011121314151617181920212223 au 000102030405060708090a0b0c0d0e0f\n"
                             " set sess ou esp 257 ci 000102030405060708091011121314151617181920212223 au 000102030405060708090a0b0c0d0e0f\n"
                             "access-l 150 perm u h 10.0.0.1 eq isa a\n"
                             "ip ro 10.8.0.0 255.255.0.0 e0\n"
                             "ho r1\n",
                             err, sizeof err);
    if (!CHECK(c != NULL, "abbreviated words are accepted (int e0, cry ips trans, set sess in esp...)")) {
        printf("# %s\n", err);
        return;
    }
    CHECK(c->nifs == 3 && !strcmp(c->ifs[0].name, "Ethernet0") && !strcmp(c->ifs[1].name, "Serial0/1") &&
              !strcmp(c->ifs[2].name, "FastEthernet1"),
          "interface names are canonical: e0 -> Ethernet0, 's 0/1' -> Serial0/1, Fa01 -> FastEthernet1");
    const struct cfg_transform_set *t1 = config_find_tset(c, "t1"), *t2 = config_find_tset(c, "t2");
    CHECK(t1 && t1->cipher == CFG_ESP_3DES && t1->esp_auth == CFG_ESPA_MD5 && t1->mode == CFG_MODE_TRANSPORT,
          "esp-3 esp-md / mo trans");
    CHECK(t2 && t2->ah == CFG_AH_SHA && t2->cipher == CFG_ESP_AES && t2->aes_bits == 192 &&
              t2->esp_auth == CFG_ESPA_SHA256,
          "ah-s esp-a 192 esp-sha2");
    CHECK(c->npolicies == 1 && c->policies[0].encr == CFG_IKE_AES && c->policies[0].aes_bits == 256 &&
              c->policies[0].hash == CFG_IKE_SHA256 && c->policies[0].auth == CFG_IKE_PRE_SHARE &&
              c->policies[0].group == 5 && c->policies[0].lifetime == 600,
          "isakmp policy words abbreviated");
    CHECK(c->nmaps == 1 && c->maps[0].type == CFG_MAP_MANUAL && c->maps[0].esp[CFG_IN].spi == 256 &&
              c->maps[0].esp[CFG_IN].cipher_len == 24 && c->maps[0].esp[CFG_OUT].auth_len == 16,
          "manual map with abbreviated session keys");
    CHECK(c->naces == 1 && c->aces[0].proto == 17 && c->aces[0].src_wild == 0 && c->aces[0].src_port == 500 &&
              c->aces[0].dst_wild == 0xffffffff,
          "access-l 150 perm u h A eq isa a");
    CHECK(c->nroutes == 1 && !strcmp(c->routes[0].ifname, "Ethernet0"), "ip ro ... e0: a route to an interface");
    CHECK(!strcmp(c->hostname, "r1"), "ho r1");
    CHECK(round_trip(c, "abbreviations"), "abbreviated config: round trip");
    config_free(c);
}

struct bad {
    const char *text;
    const char *msg;   /* the whole message */
};

/* each text is refused with exactly its message */
static void check_bad(const struct bad *bad, size_t n)
{
    char err[512];
    for (size_t k = 0; k < n; k++) {
        struct config *c = parse(bad[k].text, err, sizeof err);
        if (!CHECK(c == NULL && !strcmp(err, bad[k].msg), "rejected: %s", bad[k].msg))
            printf("#   got: %s\n", c ? "(accepted)" : err);
        config_free(c);
    }
}

static const char MAP_OK[] = "crypto ipsec transform-set ts esp-aes esp-sha-hmac\n"   /* 1 */
                             "access-list 101 permit ip any any\n";                     /* 2 */

static void test_errors(void)
{
    static const struct bad bad[] = {
        { "hostname a\n!\nfrobnicate now\n", "t.cfg:3: unknown command 'frobnicate'" },
        { "e\n", "t.cfg:1: ambiguous abbreviation 'e' (enable, end, exit)" },
        { "crypto ipsec bogus\n", "t.cfg:1: unknown command word 'bogus' after 'ipsec'" },
        { "crypto ipsec\n", "t.cfg:1: incomplete command" },
        { "hostname a b\n", "t.cfg:1: unexpected argument 'b'" },
        { "hostname 1abc\n", "t.cfg:1: invalid hostname '1abc' (letters, digits, '-'; a letter first)" },
        { "interface Ethernet0\n ip address 10.0.0.256 255.255.255.0\n", "t.cfg:2: invalid IP address '10.0.0.256'" },
        { "interface Ethernet0\n ip address 10.0.0.1 255.0.255.0\n", "t.cfg:2: invalid mask '255.0.255.0'" },
        { "interface Ethernet0\n ip address 10.0.0.1\n", "t.cfg:2: missing mask" },
        { "interface Ethernet0\n ip address 010.0.0.1 255.0.0.0\n", "t.cfg:2: invalid IP address '010.0.0.1'" },
        { "interface Bogus0\n", "t.cfg:1: unknown interface type 'Bogus'" },
        { "interface Ethernet\n", "t.cfg:1: missing interface number" },
        { "ip route 10.1.0.0 255.255.0.0 1.2.3\n", "t.cfg:1: invalid IP address '1.2.3'" },
        { "ip route 10.1.1.0 255.255.0.0 10.0.0.1\n", "t.cfg:1: inconsistent address and mask" },
        { "crypto isakmp policy 10001\n", "t.cfg:1: policy priority 10001 out of range 1-10000" },
        { "crypto isakmp policy 1\n group 3\n", "t.cfg:2: invalid DH group '3' (1, 2, 5, 14, 15 or 16)" },
        { "crypto isakmp policy 1\n lifetime 59\n", "t.cfg:2: lifetime 59 out of range 60-86400" },
        { "crypto isakmp policy 1\n encryption aes 512\n", "t.cfg:2: AES key size 512 out of range 128-256" },
        { "crypto isakmp policy 1\n hash sha512\n", "t.cfg:2: invalid hash (md5, sha or sha256) 'sha512'" },
        { "crypto ipsec transform-set t esp-foo\n", "t.cfg:1: unknown transform 'esp-foo'" },
        { "crypto ipsec transform-set t esp-sha esp-des\n", "t.cfg:1: ambiguous transform 'esp-sha'" },
        { "crypto ipsec transform-set t esp-des esp-3des\n", "t.cfg:1: more than one ESP encryption transform" },
        { "crypto ipsec transform-set t ah-md5-hmac ah-sha-hmac\n", "t.cfg:1: more than one AH transform" },
        { "crypto ipsec transform-set t esp-md5-hmac esp-sha-hmac\n",
          "t.cfg:1: more than one ESP authentication transform" },
        { "crypto ipsec transform-set t esp-aes 160\n", "t.cfg:1: AES key size must be 128, 192 or 256" },
        { "crypto ipsec transform-set t\n", "t.cfg:1: missing transform" },
        { "crypto ipsec transform-set t esp-des\n mode tunnle\n",
          "t.cfg:2: invalid mode (tunnel or transport) 'tunnle'" },
        { "crypto ipsec security-association lifetime seconds 119\n",
          "t.cfg:1: seconds 119 out of range 120-86400" },
        { "crypto ipsec security-association replay window-size 100\n",
          "t.cfg:1: window size must be 64, 128, 256, 512 or 1024" },
        { "crypto ipsec security-association replay window-size 2048\n",
          "t.cfg:1: window size 2048 out of range 64-1024" },
        { "access-list 200 permit ip any any\n", "t.cfg:1: access list number 200 out of range 1-199" },
        { "access-list 10 allow any\n", "t.cfg:1: invalid action (permit or deny) 'allow'" },
        { "access-list 101 permit ip any\n",
          "t.cfg:1: missing address (any, host A.B.C.D or A.B.C.D WILDCARD)" },
        { "access-list 101 permit icmp any eq 80 any\n", "t.cfg:1: 'eq' only with tcp or udp" },
        { "access-list 101 permit tcp any any eq 65536\n", "t.cfg:1: port 65536 out of range 0-65535" },
        { "access-list 101 permit 256 any any\n", "t.cfg:1: protocol 256 out of range 0-255" },
        { "access-list 101 permit ip 10.0.0.0 any\n", "t.cfg:1: invalid wildcard mask 'any'" },
        { "crypto map m 1 ipsec-manual\n set session-key inbound esp 255 cipher 0011223344556677\n",
          "t.cfg:2: SPI 255 out of range 256-4294967295" },
        { "crypto map m 1 ipsec-manual\n set session-key inbound esp 300 cipher 00112233445566\n"
          " set session-key outbound esp 300 cipher 0011223344556677x9\n",
          "t.cfg:3: cipher key: hex digits expected" },
        { "crypto map m 1 ipsec-manual\n set session-key inbound esp 300 cipher 001\n",
          "t.cfg:2: cipher key: odd number of hex digits" },
        { "crypto map m 1 ipsec-isakmp\n set session-key inbound ah 300 00112233\n",
          "t.cfg:2: session keys only in ipsec-manual crypto maps" },
        { "crypto map m 1 ipsec-manual\n set transform-set a b\n",
          "t.cfg:2: an ipsec-manual crypto map takes one transform set" },
        { "crypto map m 1 ipsec-manual\n set pfs group2\n", "t.cfg:2: no pfs in ipsec-manual crypto maps" },
        { "crypto map m 1 ipsec-isakmp\n xce udp-encapsulation\n",
          "t.cfg:2: udp-encapsulation is negotiated in ipsec-isakmp crypto maps" },
        { "crypto map m 1 ipsec-manual\n xce udp-encapsulation 4500\n", "t.cfg:2: unexpected argument '4500'" },
        { "crypto map m 1 ipsec-manual\n set security-association lifetime kilobytes 2559\n",
          "t.cfg:2: kilobytes 2559 out of range 2560-536870912" },
        { "crypto map m 1 ipsec-isakmp\n set pfs group3\n",
          "t.cfg:2: invalid DH group (group1, group2, group5, group14, group15, group16) 'group3'" },
        { "crypto map m 1 ipsec-isakmp\n match address 99\n", "t.cfg:2: access list number 99 out of range 100-199" },
        { "crypto map m 1 ipsec-isakmp\ncrypto map m 1 ipsec-manual\n",
          "t.cfg:2: crypto map m 1 exists as ipsec-isakmp" },
        { "crypto map m 0 ipsec-isakmp\n", "t.cfg:1: sequence number 0 out of range 1-65535" },
        { "crypto isakmp identity dn\n", "t.cfg:1: invalid identity (address or hostname) 'dn'" },
        { "crypto isakmp key abc adress 1.2.3.4\n", "t.cfg:1: invalid peer (address or hostname) 'adress'" },
        { "end\nhostname x\n", "t.cfg:2: statement after 'end'" },
        { "interface Ethernet0\n description\n", "t.cfg:2: missing description" },
        { "interface Ethernet0\n xce linux-interface eth0123456789abc\n",
          "t.cfg:2: Linux interface name too long (max 15 characters)" },
        { "crypto key pubkey-chain rsa\n named-key a.example\n key-string\n 30 5C zz\n quit\n",
          "t.cfg:4: key-string: invalid hex digit 'z' (end the key with 'quit')" },
        { "crypto key pubkey-chain rsa\n named-key a.example\n key-string\n 305C300D\n",
          "t.cfg:4: end of file in the key-string of line 3 (missing 'quit')" },
        { "crypto key pubkey-chain rsa\n named-key a.example\n key-string\n 305C300D 0\n quit\n",
          "t.cfg:5: key-string: odd number of hex digits" },
        { "crypto key pubkey-chain rsa\n named-key a.example\n key-string\n 305C300D\n quit\n",
          "t.cfg:5: key-string: not an RSA public key (DER SubjectPublicKeyInfo or RSAPublicKey)" },
        { "crypto key pubkey-chain rsa\n addressed-key 1.2.3.4\n address 1.2.3.5\n",
          "t.cfg:3: 'address' only under named-key" },
        { "hostname a\001b\n", "t.cfg:1: invalid character 0x01 at column 11" },
        /* semantic checks: the line of the offending statement */
        { "crypto map m 1 ipsec-isakmp\n set peer 1.1.1.1\n set transform-set nope\n match address 101\n"
          "access-list 101 permit ip any any\n",
          "t.cfg:3: crypto map m 1: transform set nope is not defined" },
        { "crypto ipsec transform-set ts esp-des\ncrypto map m 1 ipsec-isakmp\n set transform-set ts\n"
          " match address 150\naccess-list 101 permit ip any any\n",
          "t.cfg:4: crypto map m 1: access list 150 is not defined" },
        { "crypto ipsec transform-set ts esp-des\ncrypto map m 1 ipsec-isakmp\n set transform-set ts\n",
          "t.cfg:2: crypto map m 1: no match address" },
        { "crypto map m 1 ipsec-isakmp\n match address 101\naccess-list 101 permit ip any any\n",
          "t.cfg:1: crypto map m 1: no transform set" },
        { "crypto ipsec transform-set ts esp-aes esp-sha-hmac\naccess-list 101 permit ip any any\n"
          "crypto map m 1 ipsec-manual\n set transform-set ts\n match address 101\n"
          " set session-key inbound esp 300 cipher 000102030405060708090a0b0c0d0e0f authenticator "
          "000102030405060708090a0b0c0d0e0f10111213\n"
          " set session-key outbound esp 301 cipher 000102030405060708090a0b0c0d0e0f authenticator "
          "000102030405060708090a0b0c0d0e0f10111213\n",
          "t.cfg:3: crypto map m 1: an ipsec-manual map needs a peer" },
        { "crypto ipsec transform-set ts esp-aes esp-sha-hmac\naccess-list 101 permit ip any any\n"
          "crypto map m 1 ipsec-manual\n set peer 1.1.1.1\n set transform-set ts\n match address 101\n"
          " set session-key inbound esp 300 cipher 0001020304050607 authenticator "
          "000102030405060708090a0b0c0d0e0f10111213\n"
          " set session-key outbound esp 301 cipher 000102030405060708090a0b0c0d0e0f authenticator "
          "000102030405060708090a0b0c0d0e0f10111213\n",
          "t.cfg:7: crypto map m 1: inbound esp cipher key is 8 bytes, transform set ts needs 16" },
        { "crypto ipsec transform-set ts esp-aes esp-sha-hmac\naccess-list 101 permit ip any any\n"
          "crypto map m 1 ipsec-manual\n set peer 1.1.1.1\n set transform-set ts\n match address 101\n"
          " set session-key inbound esp 300 cipher 000102030405060708090a0b0c0d0e0f authenticator "
          "000102030405060708090a0b0c0d0e0f10111213\n"
          " set session-key outbound esp 301 cipher 000102030405060708090a0b0c0d0e0f authenticator "
          "000102030405060708090a0b0c0d0e0f\n",
          "t.cfg:8: crypto map m 1: outbound esp authenticator is 16 bytes, transform set ts needs 20" },
        { "crypto ipsec transform-set ts esp-aes esp-sha-hmac\naccess-list 101 permit ip any any\n"
          "crypto map m 1 ipsec-manual\n set peer 1.1.1.1\n set transform-set ts\n match address 101\n"
          " set session-key inbound esp 300 cipher 000102030405060708090a0b0c0d0e0f authenticator "
          "000102030405060708090a0b0c0d0e0f10111213\n",
          "t.cfg:3: crypto map m 1: no outbound esp session key (transform set ts)" },
        { "crypto ipsec transform-set ts esp-null esp-sha-hmac\naccess-list 101 permit ip any any\n"
          "crypto map m 1 ipsec-manual\n set peer 1.1.1.1\n set transform-set ts\n match address 101\n"
          " set session-key inbound esp 300 authenticator 000102030405060708090a0b0c0d0e0f10111213\n"
          " set session-key outbound esp 301 authenticator 000102030405060708090a0b0c0d0e0f10111213\n"
          " set session-key outbound ah 302 000102030405060708090a0b0c0d0e0f10111213\n",
          "t.cfg:9: crypto map m 1: transform set ts has no AH transform" },
        { "interface Serial0\n crypto map nope\n", "t.cfg:2: interface Serial0: crypto map nope is not defined" },
        { "interface e0\n xce linux-interface eth0\ninterface e1\n xce linux-interface eth0\n",
          "t.cfg:4: interface Ethernet1: Linux interface eth0 is already bound to Ethernet0" },
        { "ip route 10.0.0.0 255.0.0.0 Serial9\n", "t.cfg:1: ip route: interface Serial9 is not defined" },
        { "crypto key pubkey-chain rsa\n named-key a.example\n", "t.cfg:2: public key without key-string" },
    };
    char err[512];
    check_bad(bad, sizeof bad / sizeof *bad);
    /* the same map, complete, is accepted: the checks above are the only fault */
    char good[2048];
    snprintf(good, sizeof good,
             "%scrypto map m 1 ipsec-manual\n set peer 1.1.1.1\n set transform-set ts\n match address 101\n"
             " set session-key inbound esp 300 cipher 000102030405060708090a0b0c0d0e0f authenticator "
             "000102030405060708090a0b0c0d0e0f10111213\n"
             " set session-key outbound esp 301 cipher 000102030405060708090a0b0c0d0e0f authenticator "
             "000102030405060708090a0b0c0d0e0f10111213\n",
             MAP_OK);
    struct config *c = parse(good, err, sizeof err);
    CHECK(c != NULL, "a complete ipsec-manual map (esp-aes 16-byte key, esp-sha-hmac 20-byte authenticator)");
    if (c)
        CHECK(round_trip(c, "manual map"), "manual map: round trip keeps the session keys");
    config_free(c);
    /* our extensions on manual maps: ESP in UDP, a lifetime that ends the SAs */
    size_t used = strlen(good);
    snprintf(good + used, sizeof good - used, " xce udp\n set security-association lifetime kilobytes 2560\n");
    c = parse(good, err, sizeof err);
    CHECK(c && c->nmaps == 1 && c->maps[0].udp_encap == 1 && c->maps[0].life_kb == 2560,
          "a manual map takes xce udp-encapsulation and a lifetime (%s)", c ? "" : err);
    if (c)
        CHECK(round_trip(c, "manual map with extensions"), "manual map: round trip keeps udp-encapsulation and the lifetime");
    config_free(c);
    /* errors never echo key material */
    c = parse("crypto map m 1 ipsec-manual\n set session-key inbound esp 300 cipher 00112233SECRETxx\n", err,
              sizeof err);
    CHECK(!c && !strstr(err, "SECRET"), "a bad session key is not echoed (%s)", err);
    config_free(c);
    c = parse("crypto isakmp key SECRET-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-"
              "0123456789-0123456789-0123456789-0123456789-0123456789-0123456789 address 1.2.3.4\n",
              err, sizeof err);
    CHECK(!c && !strstr(err, "SECRET") && strstr(err, "isakmp key too long"), "a too long isakmp key is not echoed");
    config_free(c);
}

/* IOS behaviours: modes left by exit, by a top-level command, by end */
static void test_modes(void)
{
    char err[512];
    struct config *c = parse("interface Ethernet0\n"
                             " ip address 10.0.0.1 255.0.0.0\n"
                             "ip route 0.0.0.0 0.0.0.0 10.0.0.254\n" /* in interface mode: a global command */
                             " shutdown\n"                            /* ...which left interface mode */
                             , err, sizeof err);
    CHECK(!c && !strcmp(err, "t.cfg:4: unknown command 'shutdown'"), "a top-level command leaves the mode");
    config_free(c);
    c = parse("interface Ethernet0\n ip address 10.0.0.1 255.0.0.0\n ip route 0.0.0.0 0.0.0.0 10.0.0.254\n", err,
              sizeof err);
    CHECK(c && c->nroutes == 1 && c->ifs[0].has_address, "'ip route' in interface mode is the global ip route");
    config_free(c);
    c = parse("crypto ipsec transform-set t esp-des\n exit\n mode transport\n", err, sizeof err);
    CHECK(!c && !strcmp(err, "t.cfg:3: unknown command 'mode'"), "exit leaves the transform-set mode");
    config_free(c);
    c = parse("crypto key pubkey-chain rsa\n named-key a.example\n exit\n key-string\n", err, sizeof err);
    CHECK(!c && !strcmp(err, "t.cfg:4: unknown command 'key-string'"), "exit leaves named-key for pubkey-chain");
    config_free(c);
    c = parse("interface Serial0\n crypto map m\n crypto map m 10 ipsec-isakmp\n set transform-set t\n"
              "  match address 101\ncrypto ipsec transform-set t esp-des\naccess-list 101 permit ip any any\n",
              err, sizeof err);
    CHECK(c && c->nmaps == 1 && !strcmp(c->ifs[0].crypto_map, "m"),
          "'crypto map TAG SEQ' in interface mode is the global command");
    config_free(c);
    c = parse("line vty 0 4\n password ww\n no exec\n login\ninterface Ethernet0\n shutdown\n", err, sizeof err);
    CHECK(c && c->nifs == 1 && c->ifs[0].shutdown, "line blocks are skipped up to the next global command");
    config_free(c);
    c = parse("line vty 0 4\n login\n hostname x y\n", err, sizeof err);
    CHECK(!c && !strcmp(err, "t.cfg:3: unexpected argument 'y'"), "a global command in a line block is checked");
    config_free(c);
    c = parse("hostname a\r\n\r\n   \n! comment\n\t!indented comment\nend\n\n! after end\n", err, sizeof err);
    CHECK(c && !strcmp(c->hostname, "a"), "CRLF, blank lines, comments, comments after end");
    config_free(c);
    c = parse("interface Ethernet0\n shutdown\ninterface Ethernet0\n no shutdown\n description again\n", err,
              sizeof err);
    CHECK(c && c->nifs == 1 && !c->ifs[0].shutdown && !strcmp(c->ifs[0].description, "again"),
          "re-entering an interface edits it");
    config_free(c);
    c = parse("", err, sizeof err);
    CHECK(c && round_trip(c, "empty"), "an empty file is an empty config (and round-trips)");
    char *w = c ? write_str(c, NULL) : NULL;
    CHECK(w && !strcmp(w, "!\nend\n"), "the empty config is written '!' 'end'");
    free(w);
    config_free(c);
    c = config_load("tests/xced/input/no-such-file.cfg", err, sizeof err);
    CHECK(!c && strstr(err, "no-such-file.cfg: No such file"), "a missing file: %s", err);
    config_free(NULL);
}

static char *repeat(const char *fmt, unsigned n, size_t *len)
{
    size_t cap = (size_t)n * 80 + 64, o = 0;
    char *s = malloc(cap);
    for (unsigned k = 0; s && k < n; k++)
        o += (size_t)snprintf(s + o, cap - o, fmt, (k >> 8) & 255, k & 255, k);
    if (s)
        s[o] = '\0';
    *len = o;
    return s;
}

static void test_limits(void)
{
    char err[512];
    size_t n;
    /* a very long line */
    char *s = malloc(200000);
    memset(s, 'a', 199999);
    s[199999] = '\0';
    memcpy(s, "hostname ", 9);
    struct config *c = parse(s, err, sizeof err);
    CHECK(!c && !strcmp(err, "t.cfg:1: line too long (max 1024 characters)"), "a 200000-character line: %s", err);
    /* 1024 is fine, 1025 not */
    memset(s, ' ', 1025);
    memcpy(s, "hostname abc", 12);
    s[1024] = '\0';
    c = parse(s, err, sizeof err);
    CHECK(c != NULL, "a line of 1024 characters (trailing blanks) is read");
    config_free(c);
    s[1024] = ' ';
    s[1025] = '\0';
    c = parse(s, err, sizeof err);
    CHECK(!c, "a line of 1025 characters is not");
    free(s);

    clock_t t0 = clock();
    /* 10000 statements: within the limits, and over them */
    s = repeat("access-list 101 permit ip host 10.%u.%u.1 any\n", 10000, &n);
    c = config_parse(s, n, "t.cfg", err, sizeof err);
    CHECK(!c && !strcmp(err, "t.cfg:4097: too many access-list entries (max 4096)"), "10000 access-list lines: %s",
          err);
    free(s);
    s = repeat("interface Loopback%u/%u\n description %u\n", 10000, &n);
    c = config_parse(s, n, "t.cfg", err, sizeof err);
    CHECK(!c && !strcmp(err, "t.cfg:513: too many interfaces (max 256)"), "10000 interfaces: %s", err);
    free(s);
    s = repeat("ip route 10.%u.%u.0 255.255.255.0 10.0.0.1\n", 10000, &n);
    c = config_parse(s, n, "t.cfg", err, sizeof err);
    CHECK(!c && !strcmp(err, "t.cfg:1025: too many ip routes (max 1024)"), "10000 routes: %s", err);
    free(s);
    s = repeat("hostname h%u-%u\n", 10000, &n);
    c = config_parse(s, n, "t.cfg", err, sizeof err);
    CHECK(c && !strcmp(c->hostname, "h39-15"), "10000 hostname statements: the last one holds");
    config_free(c);
    free(s);
    s = repeat("access-list %u permit any\n", 4096, &n);   /* numbers 0..4095: 0 is refused */
    c = config_parse(s, n, "t.cfg", err, sizeof err);
    CHECK(!c && !strcmp(err, "t.cfg:1: access list number 0 out of range 1-199"), "access list 0");
    free(s);
    s = repeat("access-list 99 deny host 10.%u.%u.1\n", 4096, &n);
    c = config_parse(s, n, "t.cfg", err, sizeof err);
    CHECK(c && c->naces == 4096 && round_trip(c, "4096 entries"), "4096 access-list entries: accepted, round trip");
    config_free(c);
    free(s);
    s = repeat("!%u %u %u\n", CFG_MAX_LINES + 1, &n);
    c = config_parse(s, n, "t.cfg", err, sizeof err);
    CHECK(!c && !strcmp(err, "t.cfg:100001: too many lines (max 100000)"), "100001 lines: %s", err);
    free(s);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(secs < 20, "the limit tests take %.2f s", secs);

    /* too many words; a key-string over the limit; NUL bytes; too much text */
    s = repeat("x%u ", 100, &n);
    char *line = malloc(n + 32);
    snprintf(line, n + 32, "access-list 1 permit %s\n", s);
    c = parse(line, err, sizeof err);
    CHECK(!c && !strcmp(err, "t.cfg:1: too many words (max 64)"), "100 words on a line: %s", err);
    free(line);
    free(s);
    s = repeat("  0123456789ABCDEF 0123456789ABCDEF 0123456789ABCDEF 0123456789ABCDEF %u\n", 200, &n);
    line = malloc(n + 128);
    snprintf(line, n + 128, "crypto key pubkey-chain rsa\n named-key k.example\n key-string\n%s quit\n", s);
    c = parse(line, err, sizeof err);
    CHECK(!c && strstr(err, "key-string too long (max 2048 bytes)"), "a key-string over 2048 bytes: %s", err);
    free(line);
    free(s);
    c = config_parse("hostname a\n\0hostname b\n", 23, "t.cfg", err, sizeof err);
    CHECK(!c && !strcmp(err, "t.cfg:2: invalid character 0x00 at column 1"), "a NUL byte: %s", err);
    c = config_parse("", CFG_MAX_TEXT + 1, "t.cfg", err, sizeof err);
    CHECK(!c && !strcmp(err, "t.cfg: too large (more than 4194304 bytes)"), "more than 4 MiB of text");

    /* deep garbage: random bytes, random words, and nested modes that never end */
    static const char *const words[] = {
        "crypto", "map", "isakmp", "ipsec", "transform-set", "interface", "e0", "ip", "address", "set", "peer",
        "session-key", "inbound", "esp", "ah", "256", "1.2.3.4", "255.255.255.0", "key-string", "quit", "exit",
        "no", "key", "pubkey-chain", "rsa", "named-key", "access-list", "101", "permit", "any", "host", "end",
        "\n", "\n ", "!", "esp-aes", "cipher", "00112233", "line", "policy", "1", "group",
    };
    char *buf = malloc(65536);
    unsigned rejected = 0, accepted = 0, well_formed = 1;
    for (int round = 0; round < 2000; round++) {
        size_t o = 0, len = 1 + check_rand32() % 60000;
        if (round % 2) {
            check_random(buf, len);
            o = len;
        } else {
            while (o + 32 < len) {
                const char *w = words[check_rand32() % (sizeof words / sizeof *words)];
                o += (size_t)snprintf(buf + o, 65536 - o, "%s ", w);
            }
        }
        err[0] = '\0';
        c = config_parse(buf, o, "g.cfg", err, sizeof err);
        if (c) {
            accepted++;
            if (!round_trip(c, "garbage"))
                well_formed = 0;
        } else {
            rejected++;
            if (strncmp(err, "g.cfg:", 6) != 0)
                well_formed = 0;
        }
        config_free(c);
    }
    CHECK(well_formed, "2000 garbage inputs: %u rejected with FILE:LINE, %u accepted and round-trip", rejected,
          accepted);
    free(buf);
}

/* --- IKE configuration (issue 9) ------------------------------------------------------ */
static const char MASTER[] = "xce-master-key-1";   /* the master key of tests/xced/input/ike.cfg */

static const struct cfg_isakmp_key *find_psk(const struct cfg_isakmp_key *k, unsigned n, const char *host,
                                             uint32_t addr, uint32_t mask)
{
    for (unsigned j = 0; j < n; j++)
        if (host ? k[j].by_hostname && !strcmp(k[j].hostname, host)
                 : !k[j].by_hostname && k[j].addr == addr && k[j].mask == mask)
            return &k[j];
    return NULL;
}

static void test_ike_golden(void)
{
    char err[512];
    struct config *c = config_load("tests/xced/input/ike.cfg", err, sizeof err);
    if (!CHECK(c != NULL, "ike.cfg parses (%s)", c ? "" : err))
        return;
    CHECK(c->master_key_set && !strcmp(c->master_key, MASTER) && c->password_encryption,
          "ike.cfg: master key (key config-key password-encrypt, abbreviated) and password encryption aes");
    const struct cfg_isakmp_key *k1 = find_psk(c->ikeys, c->nikeys, NULL, 0x38000001, 0xffffffff),
                                *k2 = find_psk(c->ikeys, c->nikeys, NULL, 0x38010000, 0xffff0000),
                                *k3 = find_psk(c->ikeys, c->nikeys, "peer.example.net", 0, 0);
    CHECK(c->nikeys == 3 && k1 && k2 && k3 && !strcmp(k1->key, "1234") && !strcmp(k2->key, "wide-net-key") &&
              !strcmp(k3->key, "peer-host-key") && !k1->sealed && k1->key6[0] && k2->no_xauth && !k1->no_xauth,
          "ike.cfg: three isakmp keys decrypted (address, address/mask no-xauth, hostname)");
    const struct cfg_keyring *r = config_find_keyring(c, "branches"), *v = config_find_keyring(c, "vpn-clients");
    CHECK(c->nkeyrings == 2 && r && v && r->nkeys == 3 && !strcmp(r->description, "branch offices") &&
              r->local.set && !strcmp(r->local.ifname, "Serial0") && v->local.set && v->local.addr == 0x14141415 &&
              !v->local.ifname[0],
          "ike.cfg: keyrings branches (local-address Serial0) and vpn-clients (local-address 20.20.20.21)");
    const struct cfg_isakmp_key *r1 = r ? find_psk(r->keys, r->nkeys, NULL, 0x0b000002, 0xffffffff) : NULL,
                                *r3 = r ? find_psk(r->keys, r->nkeys, "branch3.example.net", 0, 0) : NULL,
                                *v1 = v ? find_psk(v->keys, v->nkeys, NULL, 0, 0) : NULL;
    CHECK(r1 && r3 && v1 && !strcmp(r1->key, "12345") && !strcmp(r3->key, "branch3-secret") &&
              !strcmp(v1->key, "vpn-client-psk"),
          "ike.cfg: keyring keys decrypted (two salts: one PBKDF2 each)");
    CHECK(c->dpd_seconds == 60 && c->dpd_retry == 5 && c->dpd_periodic && c->nat_keepalive == 20 &&
              c->cac_ike_sa == 25 && c->cac_in_nego == 1000,
          "ike.cfg: keepalive 60 5 periodic, nat keepalive 20, call admission 25 / 1000");
    const struct cfg_isakmp_profile *p1 = config_find_profile(c, "prof1"), *p2 = config_find_profile(c, "clients");
    CHECK(p1 && p1->nidents == 3 && p1->idents[0].type == CFG_IDENT_ADDRESS && p1->idents[0].addr == 0x0b000002 &&
              p1->idents[1].mask == 0xffff0000 && p1->idents[2].type == CFG_IDENT_HOST &&
              p1->self_id == CFG_SELF_ADDRESS && p1->keepalive == 10 && p1->keepalive_retry == 2 &&
              !strcmp(p1->local.ifname, "Serial0") && p1->nkeyrings == 1,
          "ike.cfg: profile prof1: identities, self-identity address, keepalive, local-address serial0");
    CHECK(p2 && p2->nidents == 3 && p2->idents[0].type == CFG_IDENT_HOST_DOMAIN &&
              p2->idents[1].type == CFG_IDENT_USER_FQDN && !strcmp(p2->idents[1].name, "a@vrf2.com") &&
              p2->idents[2].type == CFG_IDENT_USER_DOMAIN && p2->ncertmaps == 1 && p2->nkeyrings == 2 &&
              p2->self_id == CFG_SELF_USER_FQDN && !strcmp(p2->self_user_fqdn, "hub@example.net"),
          "ike.cfg: profile clients: host domain, user-fqdn, user-fqdn domain, certificate map, two keyrings");
    CHECK(c->nmaps == 2 && !strcmp(c->maps[0].isakmp_profile, "prof1") && !strcmp(c->maps[1].isakmp_profile, "clients") &&
              c->nmap_locals == 1 && !strcmp(c->map_locals[0].ifname, "Serial0"),
          "ike.cfg: set isakmp-profile, crypto map test2 local-address Serial0");
    char *w = write_str(c, NULL);
    CHECK(w && !strstr(w, MASTER) && !strstr(w, "1234 ") && !strstr(w, "wide-net-key") &&
              strstr(w, "\nkey config-key password-encryption\n"),
          "ike.cfg: the canonical form has neither the master key nor a key in clear");
    free(w);
    config_free(c);

    /* the canonical form without the master key: the keys sealed; with it: decrypted */
    size_t n;
    char *t = read_file("tests/xced/ike.cfg", &n);
    c = t ? config_parse(t, n, "ike.cfg", err, sizeof err) : NULL;
    CHECK(c && c->nikeys == 3 && c->ikeys[0].sealed && !c->ikeys[0].key[0] && c->keyrings[0].keys[0].sealed,
          "canonical ike.cfg without its master key: accepted, keys sealed");
    config_free(c);
    c = t ? config_parse_master(t, n, "ike.cfg", MASTER, err, sizeof err) : NULL;
    CHECK(c && !c->ikeys[0].sealed && !strcmp(c->ikeys[0].key, "1234") && !strcmp(c->keyrings[1].keys[0].key, "vpn-client-psk"),
          "canonical ike.cfg with its master key given apart (config_parse_master): keys decrypted");
    config_free(c);
    c = t ? config_parse_master(t, n, "ike.cfg", "another-master", err, sizeof err) : NULL;
    CHECK(!c && !strcmp(err, "ike.cfg:12: type 6 key does not decrypt with the master key"),
          "canonical ike.cfg with a wrong master key: refused at the first key (%s)", err);
    config_free(c);
    free(t);
}

static void test_ike_statements(void)
{
    char err[512];
    struct config *c = parse("cry isa key 0 zero-typed add 1.1.1.1\n"
                             "crypto isakmp key 6 address 1.1.1.2\n"          /* the key "6" */
                             "crypto isakmp key 0 address 1.1.1.3 no-x\n"     /* the key "0" */
                             "crypto isakmp key k4 hostname H4.example no-xauth\n"
                             "crypto isakmp key k5 address 0.0.0.0 0.0.0.0\n"
                             "crypto isakmp key k6 address 1.1.1.1\n"         /* replaces the first */
                             "cry isa keep 10\n"
                             "cry isa nat keep 3600\n"
                             "cry call adm lim ike sa 0\n"
                             "cry keyr r1\n"
                             " pre-sh host h.example key 6\n"
                             " pre-sh add 10.0.0.0 255.0.0.0 k 0 clear0\n"
                             " local-a e0\n"
                             " desc the ring\n"
                             " exit\n"
                             "cry isa prof p1\n"
                             " key r1\n"
                             " mat id add 10.1.0.0 255.255.0.0\n"
                             " mat id host domain\n"                          /* the host "domain" */
                             " mat id user-fqdn u@example.com\n"
                             " mat id user-fqdn u@example.com\n"              /* once */
                             " mat cert m1\n"
                             " self fqdn\n"
                             " keep 3600 ret 60\n"
                             " local-a 10.0.0.1\n"
                             "int e0\n",
                             err, sizeof err);
    if (!CHECK(c != NULL, "IKE statements abbreviated (%s)", c ? "" : err))
        return;
    CHECK(c->nikeys == 5 && !strcmp(c->ikeys[0].key, "k6") && !strcmp(c->ikeys[1].key, "6") &&
              !strcmp(c->ikeys[2].key, "0") && c->ikeys[2].no_xauth && c->ikeys[3].by_hostname &&
              c->ikeys[4].mask == 0 && !c->ikeys[0].key6[0],
          "isakmp keys: type 0, the keys '6' and '0', hostname, a wildcard, a second key for a peer replaces it");
    CHECK(c->dpd_seconds == 10 && c->dpd_retry == 2 && !c->dpd_periodic && c->nat_keepalive == 3600 &&
              c->cac_ike_sa == 0,
          "keepalive 10 (retry 2, on-demand by default), nat keepalive 3600, ike sa 0 (no limit)");
    CHECK(c->nkeyrings == 1 && c->keyrings[0].nkeys == 2 && !strcmp(c->keyrings[0].keys[0].key, "6") &&
              !strcmp(c->keyrings[0].keys[1].key, "clear0") && !strcmp(c->keyrings[0].local.ifname, "Ethernet0") &&
              !strcmp(c->keyrings[0].description, "the ring"),
          "keyring: key 6 (the key '6'), key 0 KEY, local-address e0 -> Ethernet0");
    const struct cfg_isakmp_profile *f = c->nprofiles == 1 ? &c->profiles[0] : NULL;
    CHECK(f && f->nidents == 3 && f->idents[1].type == CFG_IDENT_HOST && !strcmp(f->idents[1].name, "domain") &&
              f->ncertmaps == 1 && f->self_id == CFG_SELF_FQDN && f->keepalive == 3600 && f->keepalive_retry == 60 &&
              f->local.addr == 0x0a000001,
          "profile: identities (a repeated one kept once), certificate map, self-identity fqdn, keepalive");
    CHECK(round_trip(c, "IKE statements"), "IKE statements: round trip");
    char *w = write_str(c, NULL);
    CHECK(w && strstr(w, "crypto isakmp key 6 address 1.1.1.2\n") && strstr(w, "crypto isakmp key 0 address 1.1.1.3 no-xauth\n") &&
              strstr(w, "crypto isakmp keepalive 10\n") && strstr(w, " pre-shared-key hostname h.example key 6\n") &&
              strstr(w, " match identity host domain\n") && !strstr(w, "call admission"),
          "the canonical form of the keys '6' and '0' reads back as those keys");
    free(w);
    config_free(c);
    c = parse("line vty 0 4\n password enc\n password encryption aes\n", err, sizeof err);
    CHECK(c && !c->password_encryption, "'password ...' in a line block is the line's password (IOS's line mode)");
    config_free(c);
    c = parse("line vty 0 4\n login\nhostname h\npassword encryption aes\n", err, sizeof err);
    CHECK(c && c->password_encryption, "'password encryption aes' after the line block is global");
    config_free(c);
}

static void test_type6(void)
{
    char err[512];
    const char *clear = "key config-key password-encryption master-key-2\n"
                        "password encryption aes\n"
                        "crypto isakmp key clear-one address 192.0.2.1\n"
                        "crypto keyring r\n"
                        " pre-shared-key hostname peer.example key clear-two\n";
    struct config *c = parse(clear, err, sizeof err);
    if (!CHECK(c != NULL, "clear keys with a master key and password encryption aes (%s)", c ? "" : err))
        return;
    size_t n1, n2;
    char *w1 = write_str(c, &n1);
    CHECK(w1 && !strstr(w1, "clear-one") && !strstr(w1, "clear-two") && !strstr(w1, "master-key-2") &&
              strstr(w1, "crypto isakmp key 6 ") && strstr(w1, " key 6 "),
          "written as type 6; neither the keys nor the master key in clear");
    /* the canonical form, with the master key given apart: the same keys, the same text */
    struct config *c2 = w1 ? config_parse_master(w1, n1, "w", "master-key-2", err, sizeof err) : NULL;
    char *w2 = c2 ? write_str(c2, &n2) : NULL;
    CHECK(c2 && !strcmp(c2->ikeys[0].key, "clear-one") && !strcmp(c2->keyrings[0].keys[0].key, "clear-two") &&
              config_equal(c, c2) && w2 && n1 == n2 && !memcmp(w1, w2, n1),
          "type 6 round trip with the master key: the same keys in clear, the same text");
    config_free(c2);
    free(w2);
    /* without it: sealed, equal by their type 6 text, the same text */
    c2 = w1 ? config_parse(w1, n1, "w", err, sizeof err) : NULL;
    w2 = c2 ? write_str(c2, &n2) : NULL;
    CHECK(c2 && c2->ikeys[0].sealed && config_equal(c, c2) && w2 && n1 == n2 && !memcmp(w1, w2, n1),
          "without the master key: sealed, equal, written the same");
    config_free(c2);
    free(w2);
    CHECK(round_trip(c, "type 6"), "type 6: round trip");
    /* the same text again: fresh salts, another type 6 text, the same configuration */
    c2 = parse(clear, err, sizeof err);
    w2 = c2 ? write_str(c2, &n2) : NULL;
    CHECK(c2 && config_equal(c, c2) && w2 && strcmp(w1, w2) != 0,
          "parsed twice: other type 6 texts (random salt and IV), equal configurations (the keys compare in clear)");
    config_free(c2);
    free(w2);
    /* master key without password encryption: keys stay as they were given */
    char buf[2048];
    const char *k6 = strstr(w1, "crypto isakmp key 6 ") + strlen("crypto isakmp key 6 ");
    int l6 = (int)strcspn(k6, " ");
    snprintf(buf, sizeof buf, "key config-key password-encryption master-key-2\ncrypto isakmp key in-clear address 1.1.1.1\n"
             "crypto isakmp key 6 %.*s address 2.2.2.2\n", l6, k6);
    c2 = parse(buf, err, sizeof err);
    w2 = c2 ? write_str(c2, NULL) : NULL;
    CHECK(c2 && !strcmp(c2->ikeys[1].key, "clear-one") && w2 && strstr(w2, "crypto isakmp key in-clear address 1.1.1.1\n") &&
              strstr(w2, "crypto isakmp key 6 "),
          "a master key without password encryption aes: a clear key stays clear, a type 6 one type 6");
    config_free(c2);
    free(w2);
    /* type 6 without any master key; with a wrong one; a tampered one */
    snprintf(buf, sizeof buf, "hostname a\ncrypto isakmp key 6 %.*s address 2.2.2.2\n", l6, k6);
    c2 = parse(buf, err, sizeof err);
    CHECK(!c2 && !strcmp(err, "t.cfg:2: type 6 key without a master key (key config-key password-encryption)"),
          "type 6 without a master key: refused with its line (%s)", err);
    snprintf(buf, sizeof buf, "key config-key password-encryption master-key-3\n!\ncrypto isakmp key 6 %.*s address 2.2.2.2\n",
             l6, k6);
    c2 = parse(buf, err, sizeof err);
    CHECK(!c2 && !strcmp(err, "t.cfg:3: type 6 key does not decrypt with the master key"),
          "type 6 under another master key: refused with its line (%s)", err);
    snprintf(buf, sizeof buf, "key config-key password-encryption master-key-2\ncrypto keyring r\n pre-shared-key address 1.1.1.1 key 6 %.*s\n",
             l6, k6);
    char *flip = strstr(buf, " key 6 ") + 7 + 40;
    *flip = *flip == 'A' ? 'B' : 'A';
    c2 = parse(buf, err, sizeof err);
    CHECK(!c2 && !strcmp(err, "t.cfg:3: type 6 key does not decrypt with the master key"), "a tampered type 6 key: refused (%s)",
          err);
    c2 = parse("crypto isakmp key 6 QUJD address 1.1.1.1\n", err, sizeof err);
    CHECK(!c2 && !strcmp(err, "t.cfg:1: invalid type 6 key"), "a type 6 key that is not one of ours");
    c2 = parse("crypto isakmp key 6 AXngoY3IPBwfYRtGNbIKnXfIArsGwdKniGvZjr8tyuQSC8soRwPh3NRdmu0C/XOOgw= address 1.1.1.1\n",
               err, sizeof err);
    CHECK(!c2 && !strcmp(err, "t.cfg:1: invalid type 6 key"), "type 6 text that is not canonical base64");
    /* the master key after the keys: the keys are decrypted after the last line */
    snprintf(buf, sizeof buf, "crypto isakmp key 6 %.*s address 2.2.2.2\nkey config-key password-encryption master-key-2\n",
             l6, k6);
    c2 = parse(buf, err, sizeof err);
    CHECK(c2 && !strcmp(c2->ikeys[0].key, "clear-one"), "the master key may follow the type 6 keys");
    config_free(c2);
    free(w1);
    config_free(c);
}

static void test_ike_errors(void)
{
    static const struct bad bad[] = {
        { "crypto isakmp key k address 10.1.2.3 255.255.0.0\n", "t.cfg:1: inconsistent address and mask" },
        { "crypto isakmp key k address 10.0.0.0 255.0.255.0\n", "t.cfg:1: invalid mask '255.0.255.0'" },
        { "crypto isakmp key k address 1.2.3.4 xauth\n", "t.cfg:1: invalid 'no-xauth' 'xauth'" },
        { "crypto isakmp key k hostname -bad\n", "t.cfg:1: invalid peer host name '-bad'" },
        { "crypto isakmp key k\n", "t.cfg:1: missing peer (address or hostname)" },
        { "crypto isakmp key 6 not-base64! address 1.2.3.4\n", "t.cfg:1: invalid type 6 key" },
        { "key config-key password-encryption short\n", "t.cfg:1: master key must have 8-128 characters" },
        { "key config-key password-encryption two words\n", "t.cfg:1: master key: one word expected" },
        { "password encryption des\n", "t.cfg:1: unknown command word 'des' after 'encryption'" },
        { "crypto isakmp keepalive 5\n", "t.cfg:1: keepalive seconds 5 out of range 10-3600" },
        { "crypto isakmp keepalive 10 61\n", "t.cfg:1: retry seconds 61 out of range 2-60" },
        { "crypto isakmp keepalive 10 2 always\n", "t.cfg:1: invalid 'periodic' or 'on-demand' 'always'" },
        { "crypto isakmp keepalive 10 periodic 2\n", "t.cfg:1: unexpected argument '2'" },
        { "crypto isakmp nat keepalive 4\n", "t.cfg:1: NAT keepalive seconds 4 out of range 5-3600" },
        { "crypto call admission limit ike sa 100000\n", "t.cfg:1: IKE SA limit 100000 out of range 0-99999" },
        { "crypto call admission limit ike in-negotiation-sa 9\n",
          "t.cfg:1: in-negotiation IKE SA limit 9 out of range 10-99999" },
        { "crypto call admission limit ike\n", "t.cfg:1: incomplete command" },
        { "crypto keyring r\n pre-shared-key address 1.2.3.4 secret\n", "t.cfg:2: invalid 'key' 'secret'" },
        { "crypto keyring r\n pre-shared-key address 1.2.3.4 key\n", "t.cfg:2: missing key" },
        { "crypto keyring r\n local-address Bogus0\n", "t.cfg:2: unknown interface type 'Bogus'" },
        { "crypto keyring r\n local-address 10.0.0.1 vrf1\n", "t.cfg:2: unexpected argument 'vrf1'" },
        { "crypto keyring r$1\n", "t.cfg:1: invalid character in keyring name 'r$1'" },
        { "crypto isakmp profile p\n match identity user-fqdn nobody\n",
          "t.cfg:2: invalid user-fqdn 'nobody' (user@domain)" },
        { "crypto isakmp profile p\n match identity user-fqdn a@b@c.example\n",
          "t.cfg:2: invalid user-fqdn 'a@b@c.example' (user@domain)" },
        { "crypto isakmp profile p\n match identity address 10.0.0.1 255.0.0.0\n",
          "t.cfg:2: inconsistent address and mask" },
        { "crypto isakmp profile p\n match identity host\n", "t.cfg:2: missing host name" },
        { "crypto isakmp profile p\n match identity\n", "t.cfg:2: incomplete command" },
        { "crypto isakmp profile p\n self-identity dn\n",
          "t.cfg:2: invalid self-identity (address, fqdn or user-fqdn) 'dn'" },
        { "crypto isakmp profile p\n self-identity fqdn x\n", "t.cfg:2: unexpected argument 'x'" },
        { "crypto isakmp profile p\n keepalive 10\n", "t.cfg:2: missing 'retry'" },
        { "crypto isakmp profile p\n keepalive 10 retry 1\n", "t.cfg:2: retry seconds 1 out of range 2-60" },
        { "crypto isakmp profile p\n exit\n keyring r\n", "t.cfg:3: unknown command 'keyring'" },
        { "crypto map m 1 ipsec-manual\n set isakmp-profile p\n",
          "t.cfg:2: no isakmp-profile in ipsec-manual crypto maps" },
        { "crypto map m local-address\n", "t.cfg:1: missing interface name" },
        /* references: the line of the offending statement */
        { "crypto keyring r\n local-address Serial0\n",
          "t.cfg:2: keyring r: local-address: interface Serial0 is not defined" },
        { "crypto isakmp profile p\n keyring r\n keyring nope\ncrypto keyring r\n",
          "t.cfg:3: isakmp profile p: keyring nope is not defined" },
        { "crypto isakmp profile p\n description x\n local-address s0\n",
          "t.cfg:3: isakmp profile p: local-address: interface Serial0 is not defined" },
        { "crypto ipsec transform-set ts esp-aes esp-sha-hmac\naccess-list 101 permit ip any any\n"
          "crypto map m 1\n set transform-set ts\n match address 101\n set isakmp-profile nope\n",
          "t.cfg:6: crypto map m 1: isakmp profile nope is not defined" },
        { "crypto ipsec transform-set ts esp-aes esp-sha-hmac\naccess-list 101 permit ip any any\n"
          "crypto map m 1\n set transform-set ts\n match address 101\ncrypto map m local-address Serial0\n",
          "t.cfg:6: crypto map m local-address: interface Serial0 is not defined" },
        { "interface Serial0\ncrypto map m local-address Serial0\n",
          "t.cfg:2: crypto map m local-address: crypto map m is not defined" },
    };
    char err[512];
    check_bad(bad, sizeof bad / sizeof *bad);
    /* secrets are not echoed */
    struct config *c = parse("key config-key password-encryption SECRET1\n", err, sizeof err);
    CHECK(!c && !strstr(err, "SECRET"), "a short master key is not echoed (%s)", err);
    c = parse("key config-key password-encryption SECRET-one SECRET-two\n", err, sizeof err);
    CHECK(!c && !strstr(err, "SECRET"), "a master key of two words is not echoed (%s)", err);
    c = parse("crypto keyring r\n pre-shared-key address 1.1.1.1 key SECRET-0123456789-0123456789-0123456789-0123456789-"
              "0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789\n",
              err, sizeof err);
    CHECK(!c && !strstr(err, "SECRET") && strstr(err, "t.cfg:2: isakmp key too long"), "a too long keyring key is not echoed");
    c = parse("crypto isakmp key 6 SECRET-not-base64 address 1.1.1.1\n", err, sizeof err);
    CHECK(!c && !strstr(err, "SECRET"), "a bad type 6 key is not echoed");
    /* limits */
    char *s = malloc(200000);
    size_t o = (size_t)sprintf(s, "crypto isakmp profile p\n");
    for (unsigned k = 0; k < CFG_MAX_PROFILE_IDENTS + 1; k++)
        o += (size_t)sprintf(s + o, " match identity address 10.0.%u.0 255.255.255.0\n", k);
    c = config_parse(s, o, "t.cfg", err, sizeof err);
    CHECK(!c && !strcmp(err, "t.cfg:18: too many match identity statements (max 16)"), "17 match identity: %s", err);
    o = (size_t)sprintf(s, "crypto isakmp profile p\n");
    for (unsigned k = 0; k < CFG_MAX_PROFILE_KEYRINGS + 1; k++)
        o += (size_t)sprintf(s + o, " keyring r%u\n", k);
    c = config_parse(s, o, "t.cfg", err, sizeof err);
    CHECK(!c && !strcmp(err, "t.cfg:10: too many keyrings (max 8)"), "9 keyrings in a profile: %s", err);
    o = 0;
    for (unsigned k = 0; k < CFG_MAX_KEYRINGS + 1; k++)
        o += (size_t)sprintf(s + o, "crypto keyring r%u\n", k);
    c = config_parse(s, o, "t.cfg", err, sizeof err);
    CHECK(!c && !strcmp(err, "t.cfg:65: too many keyrings (max 64)"), "65 keyrings: %s", err);
    o = 0;
    for (unsigned k = 0; k < CFG_MAX_KEYRING_KEYS + 1; k++) {
        if (k % 256 == 0)
            o += (size_t)sprintf(s + o, "crypto keyring r%u\n", k / 256);
        o += (size_t)sprintf(s + o, " pre-shared-key address 10.%u.%u.1 key k%u\n", k >> 8, k & 255, k);
    }
    o += (size_t)sprintf(s + o, "crypto keyring r0\n pre-shared-key address 10.0.0.1 key again\n");
    c = config_parse(s, o, "t.cfg", err, sizeof err);
    CHECK(!c && !strcmp(err, "t.cfg:1030: too many keyring pre-shared keys (max 1024 in all keyrings)"),
          "1025 keyring keys in 5 keyrings: %s", err);
    o = (size_t)(strstr(s, "crypto keyring r4\n") - s);   /* 1024 keys, then one replaced */
    o += (size_t)sprintf(s + o, "crypto keyring r0\n pre-shared-key address 10.0.0.1 key again\n");
    c = config_parse(s, o, "t.cfg", err, sizeof err);
    CHECK(c && c->nkeyrings == 4 && !strcmp(c->keyrings[0].keys[0].key, "again"),
          "1024 keyring keys: a key replaced at the limit (%s)", c ? "" : err);
    config_free(c);
    o = 0;
    for (unsigned k = 0; k < CFG_MAX_ISAKMP_KEYS + 1; k++)
        o += (size_t)sprintf(s + o, "crypto isakmp key k%u hostname h%u.example\n", k, k);
    c = config_parse(s, o, "t.cfg", err, sizeof err);
    CHECK(!c && !strcmp(err, "t.cfg:257: too many isakmp keys (max 256)"), "257 isakmp keys: %s", err);
    free(s);
}

int main(void)
{
    check_seed();
    test_goldens();
    test_seed_routers();
    test_abbreviations();
    test_errors();
    test_modes();
    test_limits();
    test_ike_golden();
    test_ike_statements();
    test_type6();
    test_ike_errors();
    return check_done();
}
