/* xced_ctl.h - the control socket of the daemon xced: the protocol both
 * ends speak, and the client that xce uses to forward exec commands.
 * The server is sw/xced/ctl.c.
 *
 * A UNIX stream socket, $XCE_CONTROL_SOCKET or /run/xced/xced.sock. One
 * request per connection:
 *
 *   client -> xced   the command line, at most XCED_CTL_MAX_LINE bytes of
 *                    printable ASCII (and tabs), then "\n"
 *   xced -> client   one header line, then its bodies, then xced closes:
 *     "XCED1 EXIT STATUS OUTLEN ERRLEN\n" OUTLEN bytes of output, then
 *                    ERRLEN bytes of error output; STATUS is the command's
 *                    exit status (0 success, 1 failure)
 *     "XCED1 UNKNOWN\n"  not a command xced answers (xce runs it itself)
 *     "XCED1 REFUSED ERRLEN\n" ERRLEN bytes saying why: a malformed
 *                    request (too long, a control character, no newline,
 *                    more than one line); xced counts these
 *
 * Everything is bounded: the request line, the header (XCED_CTL_MAX_HEADER)
 * and the answer (XCED_CTL_MAX_ANSWER); a client that has not been
 * answered XCED_CTL_TIMEOUT_MS after it connected is disconnected. */
#ifndef XCE_XCED_CTL_H
#define XCE_XCED_CTL_H

#include <stddef.h>
#include <stdio.h>

#define XCED_CTL_ENV "XCE_CONTROL_SOCKET"
#define XCED_CTL_DEFAULT_PATH "/run/xced/xced.sock"
#define XCED_CTL_MAGIC "XCED1"
#define XCED_CTL_MAX_LINE 1024u              /* request bytes, the newline excluded */
#define XCED_CTL_MAX_HEADER 64u              /* answer header line, newline included */
#define XCED_CTL_MAX_ANSWER (16u << 20)      /* output + error output */
#define XCED_CTL_TIMEOUT_MS 5000             /* the daemon's limit per connection */
#define XCED_CTL_CLIENT_TIMEOUT_MS 30000     /* the client's limit for the answer */

/* The socket path: $XCE_CONTROL_SOCKET when set and not empty, else the
 * default. */
const char *xced_ctl_path(void);

/* 1 when line is a well-formed request (without its newline): at most
 * XCED_CTL_MAX_LINE bytes, printable ASCII or tabs, not blank. Else 0
 * with the reason in *why (a static string). */
int xced_ctl_line_ok(const char *line, size_t len, const char **why);

/* An answer, parsed by xced_ctl_parse_answer. */
enum xced_ctl_answer_kind {
    XCED_ANSWER_EXIT = 0,   /* "XCED1 EXIT ...": status, out and err set */
    XCED_ANSWER_UNKNOWN,    /* "XCED1 UNKNOWN" (bytes after it are ignored) */
    XCED_ANSWER_REFUSED,    /* "XCED1 REFUSED ...": err is the reason */
    XCED_ANSWER_MALFORMED,  /* anything else */
};

struct xced_ctl_answer {
    int status;             /* EXIT: 0..255 */
    const char *out, *err;  /* point into the buffer parsed */
    size_t outlen, errlen;
};

/* Parses a whole answer as received (ans[0..len), up to the daemon's
 * close): the header line, within its first XCED_CTL_MAX_HEADER bytes,
 * then the bodies, whose declared lengths must add up to exactly the
 * bytes after the header. Reads nothing outside ans[0..len), writes only
 * *a (zeroed, then filled as the kind says). */
enum xced_ctl_answer_kind xced_ctl_parse_answer(const char *ans, size_t len, struct xced_ctl_answer *a);

enum xced_ctl_result {
    XCED_CTL_ANSWERED = 0,  /* *status set, the output written to out and err */
    XCED_CTL_NO_DAEMON,     /* no socket, or nobody accepts on it: nothing written */
    XCED_CTL_UNKNOWN,       /* the daemon does not answer this command */
    XCED_CTL_FAILED,        /* the exchange failed: the reason in why */
};

/* Sends line (one command, no newline) to the daemon at path and copies
 * its answer to out and err. A missing socket costs one failed connect(). */
enum xced_ctl_result xced_ctl_request(const char *path, const char *line, FILE *out, FILE *err, int *status,
                                      char *why, size_t whylen);

#endif
