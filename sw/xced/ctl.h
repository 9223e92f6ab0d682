/* ctl.h - the server end of xced's control socket (the protocol:
 * sw/common/xced_ctl.h). Single-threaded: the daemon's loop polls the
 * listening socket and the clients' sockets, and calls the handler for
 * each complete request line.
 *
 * Bounded: XCED_CTL_MAX_CLIENTS connections at once (more are closed at
 * once and counted as dropped), one request line of XCED_CTL_MAX_LINE
 * bytes, XCED_CTL_TIMEOUT_MS from the connection to the end of the
 * answer. A malformed request gets a REFUSED answer and is counted. */
#ifndef XCED_CTL_H
#define XCED_CTL_H

#include <poll.h>
#include <stdio.h>

#include "xced_ctl.h"

#define XCED_CTL_MAX_CLIENTS 32

/* What the handler returns when the line is not one of its commands. */
#define CTL_UNKNOWN (-1)

/* Runs one request line (NUL-terminated, no newline): the output into
 * out, errors into err; returns the exit status (0, 1) or CTL_UNKNOWN. */
typedef int (*ctl_handler)(void *arg, const char *line, FILE *out, FILE *err);

struct ctl_stats {
    unsigned long long accepted;   /* connections */
    unsigned long long answered;   /* requests answered (EXIT) */
    unsigned long long unknown;    /* requests for commands xced does not answer */
    unsigned long long refused;    /* malformed requests */
    unsigned long long timeouts;   /* clients too slow */
    unsigned long long dropped;    /* connections beyond XCED_CTL_MAX_CLIENTS */
};

struct ctl;

/* Creates the socket at path: mode 0660 (group from the process), a
 * stale socket file is replaced, a live one (another xced answers on it)
 * is an error. NULL with the reason in err. */
struct ctl *ctl_open(const char *path, char *err, size_t errlen);
/* Fills fds (room for XCED_CTL_MAX_CLIENTS + 1) with what to poll;
 * returns the count. *timeout_ms: until the first client deadline, or -1. */
int ctl_poll_set(struct ctl *c, struct pollfd *fds, int *timeout_ms);
/* After poll(): accepts, reads, answers, expires. */
void ctl_service(struct ctl *c, const struct pollfd *fds, int nfds, ctl_handler h, void *arg);
const struct ctl_stats *ctl_get_stats(const struct ctl *c);
const char *ctl_path(const struct ctl *c);
/* Closes every connection and the socket, and removes the socket file. */
void ctl_close(struct ctl *c);

#endif
