/* pka.h - the public-key accelerator inside libxce (pka.c): firmware load
 * at attach and modular exponentiation with the engine-or-software choice.
 * Not installed. */
#ifndef XCE_PKA_H
#define XCE_PKA_H

#include <openssl/bn.h>

#include "xce.h"

/* Load and check the firmware, run the known-answer test; on any failure
 * the PKA stays disabled with the reason in dev->pka_why. Lock not held. */
void xce_pka_attach(xce_dev *dev);
/* The firmware file the driver reads: $XCE_FIRMWARE or the built-in path. */
const char *xce_pka_firmware_path(void);
/* r = x^e mod n. n odd and > 1; e < 2^ebits, and ebits (not e's own bit
 * length) sets the engine's running time, so pass a fixed public length for
 * secret exponents. Served by the engine when it can, else by OpenSSL in
 * constant time; *on_engine (may be NULL) tells which. sw_reason >= 0 (an
 * enum xce_fallback) sends it to software, counted with that reason.
 * Takes the lock. */
int xce_pka_modexp(xce_dev *dev, BIGNUM *r, const BIGNUM *x, const BIGNUM *e, unsigned ebits,
                   const BIGNUM *n, BN_CTX *ctx, int *on_engine, int sw_reason);
/* A result from the engine failed its check (verify-after-sign). */
void xce_pka_count_fault(xce_dev *dev);

#endif
