/* bench.h - what the parts of xce-bench share: the result table. */
#ifndef XCE_BENCH_H
#define XCE_BENCH_H

#include "xce.h"

/* One row of the table (and of results.json); ref is what the value is
 * compared with (a target, or OpenSSL's figure), when has_ref. */
void bench_add(const char *measure, double value, const char *unit, int has_ref, double ref, const char *note);
/* Monotonic wall time in seconds. */
double bench_now(void);
/* RSA and DH on the PKA (bench_pka.c), dev opened under the hardware policy. */
void bench_pka(xce_dev *dev, int quick);
/* The IPsec datapath per transform and packet size (bench_ipsec.c): the
 * software device against raw OpenSSL, and engine cycles on sim_dev. */
void bench_ipsec(xce_dev *sim_dev, int quick);
/* Signed-image verification against openssl dgst (bench_image.c). */
void bench_image(int quick);

#endif
