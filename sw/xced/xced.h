/* xced.h - what the parts of the daemon xced share: its state (the
 * configuration, the engine, the control socket) and the log. */
#ifndef XCED_XCED_H
#define XCED_XCED_H

#include <syslog.h>
#include <time.h>

#include "config.h"
#include "datapath.h"
#include "ctl.h"
#include "xce.h"

#define XCED_VERSION "1.0.0"

struct xced {
    const char *config_path;     /* -f */
    struct config *cfg;          /* the running configuration */
    const char *device_spec;     /* --device; NULL: $XCE_DEVICE, else "sim" */
    xce_dev *dev;                /* the engine, owned by the daemon */
    struct ctl *ctl;             /* the control socket */
    int foreground, verbose;
    time_t started;
    unsigned reloads, reload_failures;
    struct datapath *dp;         /* the IPsec datapath of cfg (datapath.h) */
    int debug_ipsec;             /* debug crypto ipsec */
};

/* main.c: the log, on stderr in the foreground, else syslog (daemon
 * facility). LOG_DEBUG lines only with -v. Never anything secret. */
void xlog(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *xced_device_name(const struct xced *x);

/* views.c: the exec commands xced answers; a ctl_handler (ctl.h) with
 * arg the struct xced. */
int views_run(void *arg, const char *line, FILE *out, FILE *err);

#endif
