/* names.c - text for result codes, policies and fallback reasons, as the
 * CLI and show commands print them. */
#include <string.h>

#include "xce_internal.h"

const char *xce_strerror(int r)
{
    switch (r) {
    case XCE_OK: return "success";
    case XCE_ERR_INVAL: return "invalid argument";
    case XCE_ERR_NOMEM: return "out of memory";
    case XCE_ERR_NODEV: return "no xce engine found";
    case XCE_ERR_UNSUPPORTED: return "not supported by the engine under the hardware policy";
    case XCE_ERR_BUSY: return "engine queue full";
    case XCE_ERR_ENGINE: return "engine reported an error";
    case XCE_ERR_TIMEOUT: return "engine did not answer in time";
    case XCE_ERR_SOFTWARE: return "software crypto failed";
    case XCE_ERR_SELFTEST: return "known-answer self-test failed";
    case XCE_ERR_AUTH: return "authentication failed: MAC does not match";
    default: return "unknown error";
    }
}

static const char *const policy_names[] = { "auto", "hardware", "software" };

int xce_policy_parse(const char *name, enum xce_policy *out)
{
    for (unsigned i = 0; i < 3; i++) {
        if (name && strcmp(name, policy_names[i]) == 0) {
            *out = (enum xce_policy)i;
            return XCE_OK;
        }
    }
    return XCE_ERR_INVAL;
}

const char *xce_policy_name(enum xce_policy p)
{
    return (unsigned)p < 3 ? policy_names[p] : "?";
}

const char *xce_fallback_name(enum xce_fallback r)
{
    static const char *const names[XCE_FB_COUNT] = {
        [XCE_FB_NO_DEVICE] = "no device",
        [XCE_FB_ALG_UNSUPPORTED] = "algorithm not in hardware",
        [XCE_FB_BELOW_CROSSOVER] = "below crossover",
        [XCE_FB_QUEUE_FULL] = "queue full",
        [XCE_FB_ENGINE_ERROR] = "engine error",
        [XCE_FB_ENGINE_TIMEOUT] = "engine timeout",
        [XCE_FB_FIRMWARE] = "firmware not loaded",
        [XCE_FB_DISABLED] = "disabled by config",
        [XCE_FB_SELFTEST] = "self-test failed",
    };
    return (unsigned)r < XCE_FB_COUNT ? names[r] : "?";
}
