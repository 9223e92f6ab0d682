/* check.h - the assertions of the C tests. Each check prints a TAP line
 * ("ok N - what" / "not ok N - what"); tests/run.sh adds them up. A test
 * program exits non-zero when any check failed. */
#ifndef CHECK_H
#define CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "xce.h"

int check_(int ok, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define CHECK(cond, ...) check_(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
/* Summary line and exit status for main(). */
int check_done(void);

/* Deterministic random bytes (xorshift), seeded from $XCE_TEST_SEED or a
 * fixed value; the seed is printed so a failure can be replayed. */
void check_seed(void);
void check_random(void *buf, size_t n);
uint32_t check_rand32(void);

/* $XCE_FIRMWARE and $XCE_KEY_STORE, when unset, name this tree's signed PKA
 * firmware and its trust store (absolute paths; tests run from the root).
 * Returns the firmware path in effect. */
const char *check_firmware_env(void);

/* xce_open(spec) with that policy (the other options default); NULL if
 * it fails. */
xce_dev *check_open(const char *spec, enum xce_policy policy);

/* Hex digits (a vector from a standard) to bytes; returns the count. */
size_t check_unhex(const char *hex, uint8_t *out);

#endif
