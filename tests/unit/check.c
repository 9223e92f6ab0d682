/* check.c - see check.h */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static unsigned n_checks, n_failed;
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

int check_(int ok, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    n_checks++;
    if (!ok)
        n_failed++;
    printf("%s %u - ", ok ? "ok" : "not ok", n_checks);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    if (!ok)
        printf("  (%s:%d)", file, line);
    printf("\n");
    fflush(stdout);
    return ok;
}

int check_done(void)
{
    printf("# %u checks, %u failed\n", n_checks, n_failed);
    return n_failed ? 1 : 0;
}

void check_seed(void)
{
    const char *s = getenv("XCE_TEST_SEED");
    if (s && *s)
        rng_state = strtoull(s, NULL, 0) | 1;
    printf("# seed 0x%llx (set XCE_TEST_SEED to replay)\n", (unsigned long long)rng_state);
}

uint32_t check_rand32(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

size_t check_unhex(const char *h, uint8_t *out)
{
    size_t n = 0;
    unsigned v;
    for (; h[0] && h[1] && sscanf(h, "%2x", &v) == 1; h += 2)
        out[n++] = (uint8_t)v;
    return n;
}

xce_dev *check_open(const char *spec, enum xce_policy policy)
{
    xce_dev *dev = NULL;
    struct xce_open_opts o = { .policy = policy };
    if (xce_open(spec, &o, &dev) != XCE_OK)
        return NULL;
    return dev;
}

void check_random(void *buf, size_t n)
{
    uint8_t *p = buf;
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)check_rand32();
}

static void default_path(const char *var, const char *rel)
{
    const char *v = getenv(var);
    if (v && *v)
        return;
    char cwd[2048], path[4096];
    if (getcwd(cwd, sizeof cwd))
        snprintf(path, sizeof path, "%s/%s", cwd, rel);
    else
        snprintf(path, sizeof path, "%s", rel);
    setenv(var, path, 1);
}

const char *check_firmware_env(void)
{
    default_path("XCE_FIRMWARE", "build/firmware/xce-pka.SSA.img");
    default_path("XCE_KEY_STORE", "build/keys/store");
    return getenv("XCE_FIRMWARE");
}
