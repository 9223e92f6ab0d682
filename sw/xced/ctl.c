/* ctl.c - the server end of xced's control socket (ctl.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"

struct client {
    int fd;                              /* -1: free slot */
    long long deadline;                  /* ms, CLOCK_MONOTONIC */
    char in[XCED_CTL_MAX_LINE + 2];      /* the line, its newline, one byte more */
    size_t inlen;
    char *out;                           /* the answer being sent */
    size_t outlen, outoff;
};

struct ctl {
    int fd;
    char path[sizeof ((struct sockaddr_un *)0)->sun_path];
    struct client cl[XCED_CTL_MAX_CLIENTS];
    struct ctl_stats st;
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct ctl *ctl_open(const char *path, char *err, size_t errlen)
{
    struct sockaddr_un sa;
    if (!path || !*path || strlen(path) >= sizeof sa.sun_path) {
        snprintf(err, errlen, "control socket path '%s' is empty or longer than %zu bytes", path ? path : "",
                 sizeof sa.sun_path - 1);
        return NULL;
    }
    struct ctl *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    for (int i = 0; i < XCED_CTL_MAX_CLIENTS; i++)
        c->cl[i].fd = -1;
    memcpy(c->path, path, strlen(path) + 1);
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, path, strlen(path) + 1);

    /* an existing socket: another daemon if someone accepts on it, else stale */
    struct stat sb;
    if (lstat(path, &sb) == 0) {
        if (!S_ISSOCK(sb.st_mode)) {
            snprintf(err, errlen, "%s exists and is not a socket", path);
            free(c);
            return NULL;
        }
        int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (probe >= 0 && connect(probe, (struct sockaddr *)&sa, sizeof sa) == 0) {
            close(probe);
            snprintf(err, errlen, "another xced is serving %s", path);
            free(c);
            return NULL;
        }
        if (probe >= 0)
            close(probe);
        unlink(path);
    }
    c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (c->fd < 0) {
        snprintf(err, errlen, "socket: %s", strerror(errno));
        free(c);
        return NULL;
    }
    /* created 0660: the owner and the group may connect, nobody else */
    mode_t old = umask(0117);
    int r = bind(c->fd, (struct sockaddr *)&sa, sizeof sa);
    int e = errno;
    umask(old);
    if (r != 0 || chmod(path, 0660) != 0 || listen(c->fd, 16) != 0) {
        if (r == 0)
            e = errno;
        snprintf(err, errlen, "%s: %s", path, strerror(e));
        if (r == 0)
            unlink(path);
        close(c->fd);
        free(c);
        return NULL;
    }
    return c;
}

const struct ctl_stats *ctl_get_stats(const struct ctl *c)
{
    return &c->st;
}

const char *ctl_path(const struct ctl *c)
{
    return c->path;
}

static void drop(struct client *k)
{
    if (k->fd >= 0)
        close(k->fd);
    k->fd = -1;
    free(k->out);
    k->out = NULL;
    k->inlen = k->outlen = k->outoff = 0;
}

int ctl_poll_set(struct ctl *c, struct pollfd *fds, int *timeout_ms)
{
    int n = 0;
    long long now = now_ms(), first = -1;
    fds[n++] = (struct pollfd){ c->fd, POLLIN, 0 };
    for (int i = 0; i < XCED_CTL_MAX_CLIENTS; i++) {
        struct client *k = &c->cl[i];
        if (k->fd < 0)
            continue;
        fds[n++] = (struct pollfd){ k->fd, k->out ? POLLOUT : POLLIN, 0 };
        if (first < 0 || k->deadline < first)
            first = k->deadline;
    }
    *timeout_ms = first < 0 ? -1 : first <= now ? 0 : (int)(first - now);
    return n;
}

/* The answer: header, then the bodies. */
static void answer(struct client *k, const char *header, const char *b1, size_t l1, const char *b2, size_t l2)
{
    size_t hl = strlen(header);
    k->out = malloc(hl + l1 + l2 + 1);
    if (!k->out) {
        drop(k);
        return;
    }
    memcpy(k->out, header, hl);
    if (l1)
        memcpy(k->out + hl, b1, l1);
    if (l2)
        memcpy(k->out + hl + l1, b2, l2);
    k->outlen = hl + l1 + l2;
    k->outoff = 0;
    shutdown(k->fd, SHUT_RD);
}

static void refuse(struct ctl *c, struct client *k, const char *why)
{
    char hdr[XCED_CTL_MAX_HEADER], msg[128];
    int ml = snprintf(msg, sizeof msg, "%% xced: %s\n", why);
    snprintf(hdr, sizeof hdr, XCED_CTL_MAGIC " REFUSED %d\n", ml);
    c->st.refused++;
    answer(k, hdr, msg, (size_t)ml, NULL, 0);
}

static void run(struct ctl *c, struct client *k, size_t linelen, ctl_handler h, void *arg)
{
    char *obuf = NULL, *ebuf = NULL;
    size_t olen = 0, elen = 0;
    FILE *out = open_memstream(&obuf, &olen), *err = open_memstream(&ebuf, &elen);
    if (!out || !err) {
        if (out)
            fclose(out);
        if (err)
            fclose(err);
        free(obuf);
        free(ebuf);
        drop(k);
        return;
    }
    k->in[linelen] = '\0';
    int st = h(arg, k->in, out, err);
    fclose(out);
    fclose(err);
    if (st == CTL_UNKNOWN) {
        c->st.unknown++;
        answer(k, XCED_CTL_MAGIC " UNKNOWN\n", NULL, 0, NULL, 0);
    } else if (olen + elen > XCED_CTL_MAX_ANSWER) {
        static const char big[] = "% xced: the answer is too long\n";
        c->st.answered++;
        answer(k, XCED_CTL_MAGIC " EXIT 1 0 31\n", NULL, 0, big, sizeof big - 1);
    } else {
        char hdr[XCED_CTL_MAX_HEADER];
        snprintf(hdr, sizeof hdr, XCED_CTL_MAGIC " EXIT %d %zu %zu\n", st & 255, olen, elen);
        c->st.answered++;
        answer(k, hdr, obuf, olen, ebuf, elen);
    }
    free(obuf);
    free(ebuf);
}

static void readable(struct ctl *c, struct client *k, ctl_handler h, void *arg)
{
    ssize_t r = recv(k->fd, k->in + k->inlen, sizeof k->in - k->inlen, 0);
    if (r < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (r < 0) {
        drop(k);
        return;
    }
    if (r == 0) {
        if (k->inlen == 0)
            drop(k);   /* connected and left: nothing asked */
        else
            refuse(c, k, "request without a newline");
        return;
    }
    k->inlen += (size_t)r;
    char *nl = memchr(k->in, '\n', k->inlen);
    const char *why;
    if (!nl) {
        if (k->inlen > XCED_CTL_MAX_LINE)
            refuse(c, k, "request line too long");
        return;
    }
    size_t len = (size_t)(nl - k->in);
    if (len + 1 < k->inlen)
        refuse(c, k, "more than one line in the request");
    else if (!xced_ctl_line_ok(k->in, len, &why))
        refuse(c, k, why);
    else
        run(c, k, len, h, arg);
}

static void writable(struct client *k)
{
    ssize_t w = send(k->fd, k->out + k->outoff, k->outlen - k->outoff, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (w <= 0) {
        drop(k);
        return;
    }
    k->outoff += (size_t)w;
    if (k->outoff == k->outlen)
        drop(k);   /* done: closing is the end of the answer */
}

static void accept_all(struct ctl *c)
{
    for (;;) {
        int fd = accept4(c->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0)
            return;   /* EAGAIN: no more; anything else: try at the next poll */
        c->st.accepted++;
        struct client *k = NULL;
        for (int i = 0; i < XCED_CTL_MAX_CLIENTS && !k; i++)
            if (c->cl[i].fd < 0)
                k = &c->cl[i];
        if (!k) {
            c->st.dropped++;
            close(fd);
            continue;
        }
        k->fd = fd;
        k->inlen = 0;
        k->deadline = now_ms() + XCED_CTL_TIMEOUT_MS;
    }
}

void ctl_service(struct ctl *c, const struct pollfd *fds, int nfds, ctl_handler h, void *arg)
{
    for (int j = 1; j < nfds; j++) {
        if (!fds[j].revents)
            continue;
        struct client *k = NULL;
        for (int i = 0; i < XCED_CTL_MAX_CLIENTS && !k; i++)
            if (c->cl[i].fd == fds[j].fd)
                k = &c->cl[i];
        if (!k)
            continue;
        if (k->out)
            writable(k);
        else if (fds[j].revents & (POLLIN | POLLHUP | POLLERR))
            readable(c, k, h, arg);
    }
    long long now = now_ms();
    for (int i = 0; i < XCED_CTL_MAX_CLIENTS; i++)
        if (c->cl[i].fd >= 0 && c->cl[i].deadline <= now) {
            c->st.timeouts++;
            drop(&c->cl[i]);
        }
    if (nfds > 0 && (fds[0].revents & POLLIN))
        accept_all(c);
}

void ctl_close(struct ctl *c)
{
    if (!c)
        return;
    for (int i = 0; i < XCED_CTL_MAX_CLIENTS; i++)
        drop(&c->cl[i]);
    close(c->fd);
    unlink(c->path);
    free(c);
}
