/* xce_testing.h - a seam for the driver's own tests, not for programs:
 * the simulated model behind a device, so a test can inject faults
 * (xce_sim_inject) into the very engine the driver is using. */
#ifndef XCE_TESTING_H
#define XCE_TESTING_H

#include "xce.h"
#include "xce_sim.h"

/* The model behind dev, or NULL when dev is not the "sim" device. */
void *xce_testing_sim(xce_dev *dev);

#endif
