/* dh_groups.c - the MODP groups of RFC 2409 and RFC 3526, see dh_groups.h.
 * The primes are written as the RFCs print them (32-bit words in hex) so
 * they can be compared by eye; tests/unit/test_rsa_pad.c compares them
 * with OpenSSL's copies. */
#include "dh_groups.h"

#include <string.h>

/* RFC 2409 6.1, First Oakley Group: 2^768 - 2^704 - 1 + 2^64 * { [2^638 pi] + 149686 } */
static const char modp768[] =
    "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 "
    "29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD "
    "EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245 "
    "E485B576 625E7EC6 F44C42E9 A63A3620 FFFFFFFF FFFFFFFF";

/* RFC 2409 6.2, Second Oakley Group: 2^1024 - 2^960 - 1 + 2^64 * { [2^894 pi] + 129093 } */
static const char modp1024[] =
    "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 "
    "29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD "
    "EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245 "
    "E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED "
    "EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE65381 "
    "FFFFFFFF FFFFFFFF";

/* RFC 3526 2: 2^1536 - 2^1472 - 1 + 2^64 * { [2^1406 pi] + 741804 } */
static const char modp1536[] =
    "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 "
    "29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD "
    "EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245 "
    "E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED "
    "EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D "
    "C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F "
    "83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D "
    "670C354E 4ABC9804 F1746C08 CA237327 FFFFFFFF FFFFFFFF";

/* RFC 3526 3: 2^2048 - 2^1984 - 1 + 2^64 * { [2^1918 pi] + 124476 } */
static const char modp2048[] =
    "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 "
    "29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD "
    "EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245 "
    "E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED "
    "EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D "
    "C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F "
    "83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D "
    "670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B "
    "E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9 "
    "DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510 "
    "15728E5A 8AACAA68 FFFFFFFF FFFFFFFF";

/* RFC 3526 4: 2^3072 - 2^3008 - 1 + 2^64 * { [2^2942 pi] + 1690314 } */
static const char modp3072[] =
    "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 "
    "29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD "
    "EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245 "
    "E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED "
    "EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D "
    "C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F "
    "83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D "
    "670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B "
    "E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9 "
    "DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510 "
    "15728E5A 8AAAC42D AD33170D 04507A33 A85521AB DF1CBA64 "
    "ECFB8504 58DBEF0A 8AEA7157 5D060C7D B3970F85 A6E1E4C7 "
    "ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B "
    "F12FFA06 D98A0864 D8760273 3EC86A64 521F2B18 177B200C "
    "BBE11757 7A615D6C 770988C0 BAD946E2 08E24FA0 74E5AB31 "
    "43DB5BFC E0FD108E 4B82D120 A93AD2CA FFFFFFFF FFFFFFFF";

/* RFC 3526 5: 2^4096 - 2^4032 - 1 + 2^64 * { [2^3966 pi] + 240904 } */
static const char modp4096[] =
    "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 "
    "29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD "
    "EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245 "
    "E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED "
    "EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D "
    "C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F "
    "83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D "
    "670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B "
    "E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9 "
    "DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510 "
    "15728E5A 8AAAC42D AD33170D 04507A33 A85521AB DF1CBA64 "
    "ECFB8504 58DBEF0A 8AEA7157 5D060C7D B3970F85 A6E1E4C7 "
    "ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B "
    "F12FFA06 D98A0864 D8760273 3EC86A64 521F2B18 177B200C "
    "BBE11757 7A615D6C 770988C0 BAD946E2 08E24FA0 74E5AB31 "
    "43DB5BFC E0FD108E 4B82D120 A9210801 1A723C12 A787E6D7 "
    "88719A10 BDBA5B26 99C32718 6AF4E23C 1A946834 B6150BDA "
    "2583E9CA 2AD44CE8 DBBBC2DB 04DE8EF9 2E8EFC14 1FBECAA6 "
    "287C5947 4E6BC05D 99B2964F A090C3A2 233BA186 515BE7ED "
    "1F612970 CEE2D7AF B81BDD76 2170481C D0069127 D5B05AA9 "
    "93B4EA98 8D8FDDC1 86FFB7DC 90A6C08F 4DF435C9 34063199 "
    "FFFFFFFF FFFFFFFF";

static const struct xce_dh_group groups[] = {
    { 1, 768, "modp768", modp768, 2 },
    { 2, 1024, "modp1024", modp1024, 2 },
    { 5, 1536, "modp1536", modp1536, 2 },
    { 14, 2048, "modp2048", modp2048, 2 },
    { 15, 3072, "modp3072", modp3072, 2 },
    { 16, 4096, "modp4096", modp4096, 2 },
};

const struct xce_dh_group *xce_dh_group_find(int id)
{
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
        if (groups[i].id == id)
            return &groups[i];
    return NULL;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int xce_dh_prime_bytes(const struct xce_dh_group *g, uint8_t *out, size_t cap, size_t *len)
{
    if (!g || !len || !g->prime_hex || g->bits % 8)
        return XCE_ERR_INVAL;
    size_t need = g->bits / 8;
    *len = need;
    if (!out || cap < need)
        return XCE_ERR_INVAL;
    size_t n = 0;
    int hi = -1;
    for (const char *s = g->prime_hex; *s; s++) {
        if (*s == ' ')
            continue;
        int v = hexval(*s);
        if (v < 0 || n == need)
            return XCE_ERR_SOFTWARE;   /* a corrupt table, not the caller's fault */
        if (hi < 0) {
            hi = v;
        } else {
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    return n == need && hi < 0 ? XCE_OK : XCE_ERR_SOFTWARE;
}

int xce_dh_check_public(const uint8_t *y, size_t ylen, const uint8_t *p, size_t plen)
{
    if ((!y && ylen) || !p || plen == 0)
        return XCE_ERR_INVAL;
    /* Two subtractions over the longer length, from the last byte, with the
     * shorter number padded with zeros in front: y - 2 must not borrow
     * (y >= 2), and (p - y) - 2 must not borrow in either step (y <= p - 2).
     * Every byte is visited whatever the values; only the lengths, which
     * are public, decide which bytes are padding. */
    size_t n = ylen > plen ? ylen : plen;
    unsigned b_y2 = 0, b_py = 0, b_py2 = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned yi = i < ylen ? y[ylen - 1 - i] : 0;
        unsigned pi = i < plen ? p[plen - 1 - i] : 0;
        unsigned two = i == 0 ? 2 : 0;
        unsigned d;
        d = yi - two - b_y2;           /* y - 2 */
        b_y2 = (d >> 8) & 1;
        d = pi - yi - b_py;            /* t = p - y */
        b_py = (d >> 8) & 1;
        d = (d & 0xff) - two - b_py2;  /* t - 2 */
        b_py2 = (d >> 8) & 1;
    }
    return (b_y2 | b_py | b_py2) ? XCE_ERR_INVAL : XCE_OK;
}
