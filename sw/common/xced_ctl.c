/* xced_ctl.c - the control-socket protocol of xced (xced_ctl.h): the
 * request check both ends use, and the client of xce. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "xced_ctl.h"

const char *xced_ctl_path(void)
{
    const char *p = getenv(XCED_CTL_ENV);
    return p && *p ? p : XCED_CTL_DEFAULT_PATH;
}

int xced_ctl_line_ok(const char *line, size_t len, const char **why)
{
    int blank = 1;
    if (len > XCED_CTL_MAX_LINE) {
        *why = "request line too long";
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)line[i];
        if (c == '\n') {
            *why = "more than one line in the request";
            return 0;
        }
        if (c != '\t' && (c < 0x20 || c > 0x7e)) {
            *why = "control character or non-ASCII byte in the request";
            return 0;
        }
        if (c != ' ' && c != '\t')
            blank = 0;
    }
    if (blank) {
        *why = "empty request";
        return 0;
    }
    return 1;
}

enum xced_ctl_answer_kind xced_ctl_parse_answer(const char *ans, size_t len, struct xced_ctl_answer *a)
{
    memset(a, 0, sizeof *a);
    const char *nl = memchr(ans, '\n', len < XCED_CTL_MAX_HEADER ? len : XCED_CTL_MAX_HEADER);
    if (!nl)
        return XCED_ANSWER_MALFORMED;
    char hdr[XCED_CTL_MAX_HEADER];   /* the header line, NUL-terminated */
    size_t hl = (size_t)(nl - ans);
    memcpy(hdr, ans, hl);
    hdr[hl] = '\0';
    const char *body = nl + 1;
    size_t blen = len - hl - 1;
    int st, used = 0;
    unsigned long ol, el;
    if (strcmp(hdr, XCED_CTL_MAGIC " UNKNOWN") == 0)
        return XCED_ANSWER_UNKNOWN;
    if (sscanf(hdr, XCED_CTL_MAGIC " EXIT %d %lu %lu%n", &st, &ol, &el, &used) == 3 && hdr[used] == '\0' &&
        st >= 0 && st < 256 && ol <= blen && el == blen - ol) {
        a->status = st;
        a->out = body;
        a->outlen = ol;
        a->err = body + ol;
        a->errlen = el;
        return XCED_ANSWER_EXIT;
    }
    if (sscanf(hdr, XCED_CTL_MAGIC " REFUSED %lu%n", &el, &used) == 1 && hdr[used] == '\0' && el == blen) {
        a->err = body;
        a->errlen = el;
        return XCED_ANSWER_REFUSED;
    }
    return XCED_ANSWER_MALFORMED;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for fd to be ready for events until deadline: 0, or -1. */
static int wait_fd(int fd, short events, long long deadline)
{
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0)
            return -1;
        struct pollfd p = { fd, events, 0 };
        int r = poll(&p, 1, (int)left);
        if (r > 0)
            return 0;
        if (r < 0 && errno != EINTR)
            return -1;
    }
}

static int send_all(int fd, const char *b, size_t n, long long deadline)
{
    while (n) {
        if (wait_fd(fd, POLLOUT, deadline) != 0)
            return -1;
        ssize_t w = send(fd, b, n, MSG_NOSIGNAL);
        if (w < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (w <= 0)
            return -1;
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads until EOF, at most max bytes (more: -1). */
static int recv_all(int fd, char **buf, size_t *len, size_t max, long long deadline)
{
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    if (!b)
        return -1;
    for (;;) {
        if (n == cap) {
            if (cap >= max + 1) {
                free(b);
                return -1;
            }
            size_t nc = cap * 2 > max + 1 ? max + 1 : cap * 2;
            char *nb = realloc(b, nc);
            if (!nb) {
                free(b);
                return -1;
            }
            b = nb;
            cap = nc;
        }
        if (wait_fd(fd, POLLIN, deadline) != 0) {
            free(b);
            return -1;
        }
        ssize_t r = recv(fd, b + n, cap - n, 0);
        if (r < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (r < 0) {
            free(b);
            return -1;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > max) {
            free(b);
            return -1;
        }
    }
    *buf = b;
    *len = n;
    return 0;
}

enum xced_ctl_result xced_ctl_request(const char *path, const char *line, FILE *out, FILE *err, int *status,
                                      char *why, size_t whylen)
{
    struct sockaddr_un sa;
    const char *bad;
    *status = 1;
    if (strlen(path) >= sizeof sa.sun_path)
        return XCED_CTL_NO_DAEMON;
    if (!xced_ctl_line_ok(line, strlen(line), &bad))
        return XCED_CTL_UNKNOWN;   /* not something to send: the caller runs it */
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return XCED_CTL_NO_DAEMON;
    /* connect() waits while the daemon's backlog is full, this long at most */
    struct timeval tv = { XCED_CTL_CLIENT_TIMEOUT_MS / 1000, 0 };
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, path, strlen(path) + 1);
    long long deadline = now_ms() + XCED_CTL_CLIENT_TIMEOUT_MS;
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);   /* ENOENT, ECONNREFUSED (stale socket), EACCES: no daemon for us */
        return XCED_CTL_NO_DAEMON;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    enum xced_ctl_result res = XCED_CTL_FAILED;
    char *ans = NULL;
    size_t alen = 0;
    size_t llen = strlen(line);
    if (send_all(fd, line, llen, deadline) != 0 || send_all(fd, "\n", 1, deadline) != 0) {
        snprintf(why, whylen, "cannot send the request to %s", path);
        goto out;
    }
    shutdown(fd, SHUT_WR);
    if (recv_all(fd, &ans, &alen, XCED_CTL_MAX_ANSWER + XCED_CTL_MAX_HEADER, deadline) != 0) {
        snprintf(why, whylen, "no complete answer from %s", path);
        goto out;
    }
    struct xced_ctl_answer a;
    switch (xced_ctl_parse_answer(ans, alen, &a)) {
    case XCED_ANSWER_UNKNOWN:
        res = XCED_CTL_UNKNOWN;
        break;
    case XCED_ANSWER_EXIT:
        fwrite(a.out, 1, a.outlen, out);
        fwrite(a.err, 1, a.errlen, err);
        *status = a.status;
        res = XCED_CTL_ANSWERED;
        break;
    case XCED_ANSWER_REFUSED:
        snprintf(why, whylen, "request refused: %.*s", (int)(a.errlen > 200 ? 200 : a.errlen), a.err);
        why[strcspn(why, "\n")] = '\0';
        break;
    default:
        snprintf(why, whylen, "malformed answer from %s", path);
        break;
    }
out:
    free(ans);
    close(fd);
    return res;
}
