/* test_providers.c - the software path's OpenSSL providers outlive the
 * devices: a process whose first OpenSSL use is a DES session (which loads
 * the legacy and default providers explicitly) closes its last device and
 * opens again; AES sessions must still work and a simulated engine must
 * still pass its AES self-test under the hardware policy. (libxce used to
 * unload the providers with the last device, leaving none at all.)
 * Nothing touches OpenSSL before the first DES session. */
#include <string.h>

#include "aes_ref.h"
#include "check.h"
#include "xce.h"

static int des_session_then_close(void)
{
    static const uint8_t k[8] = { 0x13, 0x34, 0x57, 0x79, 0x9b, 0xbc, 0xdf, 0xf1 };
    xce_dev *dev = NULL;
    xce_session *s = NULL;
    struct xce_cipher_params p = { XCE_ALG_DES, XCE_MODE_CBC, k, 8, 0 };
    int ok = xce_open("sw", NULL, &dev) == XCE_OK && xce_session_create(dev, &p, &s) == XCE_OK;
    xce_session_destroy(s);
    xce_close(dev);
    return ok;
}

int main(void)
{
    CHECK(des_session_then_close(), "a DES session on the software device, then the device closed");
    CHECK(des_session_then_close(), "the same again (the providers are still there)");

    uint8_t key[16], iv[16], in[64], out[64], ref[64];
    xce_dev *dev = NULL;
    xce_session *s = NULL;
    struct xce_cipher_params p = { XCE_ALG_AES, XCE_MODE_CBC, key, 16, 0 };
    if (CHECK(xce_open("sw", NULL, &dev) == XCE_OK, "the software device opens again")) {
        int r = xce_session_create(dev, &p, &s);
        CHECK(r == XCE_OK, "an AES-128-CBC session after the last device closed (%s)", xce_strerror(r));
        check_seed();
        check_random(key, sizeof key);
        check_random(iv, sizeof iv);
        check_random(in, sizeof in);
        if (s) {
            xce_session_destroy(s);
            s = NULL;
            CHECK(xce_session_create(dev, &p, &s) == XCE_OK && xce_cipher(s, iv, in, out, sizeof in) == XCE_OK,
                  "it encrypts");
            aes_ref(1, 16, 0, key, iv, in, ref, sizeof in);
            CHECK(memcmp(out, ref, sizeof in) == 0, "the result equals OpenSSL's");
        }
        xce_session_destroy(s);
        xce_close(dev);
    }
    struct xce_open_opts o;
    memset(&o, 0, sizeof o);
    o.policy = XCE_POLICY_HARDWARE;
    int r = xce_open("sim", &o, &dev);
    CHECK(r == XCE_OK, "the simulated engine passes its self-test under the hardware policy (%s)", xce_strerror(r));
    if (r == XCE_OK)
        xce_close(dev);
    return check_done();
}
