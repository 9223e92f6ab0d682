/* fuzz_xced_ctl.c - libFuzzer target for the daemon end of xced's control
 * protocol: the request framing and check of sw/xced/ctl.c (readable():
 * newline, length, one line; xced_ctl_line_ok of sw/common/xced_ctl.c)
 * and the word splitting and command matching of sw/xced/views.c
 * (views_run), served the way xced serves them.
 *
 * Set up once: a control socket (ctl_open) in a fresh directory under
 * $TMPDIR, a small fixed configuration (config_parse), the "sw" libxce
 * device (the engine views read it). Each input is one connection: the
 * bytes are sent as the request, the write side shut, and the server's
 * loop (ctl_poll_set, poll, ctl_service) runs until the answer has been
 * read to the daemon's close. The handler is views_run behind a wrapper
 * that records the call.
 *
 * Properties (any violation aborts):
 *   - no crash, leak or sanitizer report; the exchange ends (bounded loop),
 *     with EOF, or ECONNRESET only when the request was longer than the
 *     XCED_CTL_MAX_LINE + 2 bytes xced reads (the answer arrives first);
 *   - an empty request gets no answer and reaches nothing;
 *   - a malformed request - anything but one line of at most
 *     XCED_CTL_MAX_LINE bytes of printable ASCII or tabs, not blank, then
 *     "\n" - is answered REFUSED ("% xced: ..."), counted as refused, and
 *     never reaches the handler;
 *   - a well-formed one reaches the handler exactly once, with exactly the
 *     line (NUL-terminated, no newline), and is answered EXIT with the
 *     handler's status or UNKNOWN when it returned CTL_UNKNOWN; a line
 *     whose first word is not a prefix of "show", "clear", "debug", "no" or
 *     "undebug", or with more than 64
 *     words, is UNKNOWN;
 *   - every answer parses (xced_ctl_parse_answer, the client's parser),
 *     its header fits XCED_CTL_MAX_HEADER and its bodies
 *     XCED_CTL_MAX_ANSWER; the server's counters move by exactly one.
 * Build: see the Makefile (build/fuzz/fuzz_xced_ctl). */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "xce_internal.h"
#include "xced.h"

#define CHECK(c)                                                           \
    do {                                                                   \
        if (!(c)) {                                                        \
            fprintf(stderr, "fuzz_xced_ctl: property failed: %s\n", #c);   \
            abort();                                                       \
        }                                                                  \
    } while (0)

/* the simulated backend is not linked into this target */
int xce_backend_sim_open(const char *arg, const struct xce_open_opts *o, struct xce_backend *be)
{
    (void)arg, (void)o, (void)be;
    return XCE_ERR_NODEV;
}

/* main.c is not linked: what views.c and datapath.c need of it (the
 * datapath itself is not started: its views answer for no datapath) */
const char *xced_device_name(const struct xced *x)
{
    return x->device_spec;
}

void xlog(int prio, const char *fmt, ...)
{
    (void)prio, (void)fmt;
}

/* the first words xced answers (views.c) */
static int exec_word(const char *w, size_t wl)
{
    static const char *const words[] = { "clear", "debug", "no", "show", "undebug" };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (wl <= strlen(words[i]) && strncasecmp(w, words[i], wl) == 0)
            return 1;
    return 0;
}

static const char CONFIG[] =
    "hostname fuzz-gw\n"
    "crypto ipsec security-association lifetime seconds 1800\n"
    "crypto ipsec transform-set aes256 esp-aes 256 esp-sha256-hmac\n"
    " mode transport\n"
    "crypto ipsec transform-set ah-only ah-md5-hmac\n"
    "crypto ipsec transform-set legacy esp-3des esp-md5-hmac\n"
    "crypto map vpn 10 ipsec-isakmp\n"
    " set peer 192.0.2.2\n"
    " set transform-set legacy aes256\n"
    " set pfs group14\n"
    " match address 102\n"
    "crypto map vpn 30 ipsec-manual\n"
    " set peer 192.0.2.2\n"
    " set session-key inbound ah 4096 00112233445566778899aabbccddeeff\n"
    " set session-key outbound ah 4097 ffeeddccbbaa99887766554433221100\n"
    " set transform-set ah-only\n"
    " match address 102\n"
    "interface Ethernet0\n"
    " ip address 192.0.2.1 255.255.255.0\n"
    " crypto map vpn\n"
    "access-list 102 permit ip 10.1.0.0 0.0.255.255 10.2.0.0 0.0.255.255\n"
    "access-list 102 permit udp host 10.1.0.1 eq 500 any\n"
    "end\n";

static struct xced X;
static char dir[256], sockpath[300];
static struct sockaddr_un sa;

static struct {
    int calls, ret;
    char line[XCED_CTL_MAX_LINE + 2];
} seen;

static int handler(void *arg, const char *line, FILE *out, FILE *err)
{
    seen.calls++;
    CHECK(strlen(line) <= XCED_CTL_MAX_LINE);
    memcpy(seen.line, line, strlen(line) + 1);
    seen.ret = views_run(arg, line, out, err);
    CHECK(seen.ret == CTL_UNKNOWN || seen.ret == 0 || seen.ret == 1);
    return seen.ret;
}

static void cleanup(void)
{
    ctl_close(X.ctl);
    X.ctl = NULL;
    rmdir(dir);
    xce_close(X.dev);
    config_free(X.cfg);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    char err[512];
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/fuzz_xced_ctl.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("fuzz_xced_ctl: mkdtemp");
        exit(1);
    }
    snprintf(sockpath, sizeof sockpath, "%s/s", dir);
    X.config_path = "fuzz.cfg";
    X.device_spec = "sw";
    X.started = time(NULL);
    X.cfg = config_parse(CONFIG, sizeof CONFIG - 1, "fuzz.cfg", err, sizeof err);
    if (!X.cfg) {
        fprintf(stderr, "fuzz_xced_ctl: the fixed configuration: %s\n", err);
        exit(1);
    }
    struct xce_open_opts opts;
    memset(&opts, 0, sizeof opts);
    opts.policy = XCE_POLICY_AUTO;
    int r = xce_open("sw", &opts, &X.dev);
    if (r != XCE_OK) {
        fprintf(stderr, "fuzz_xced_ctl: xce_open(sw): %s\n", xce_strerror(r));
        exit(1);
    }
    X.ctl = ctl_open(sockpath, err, sizeof err);
    if (!X.ctl) {
        fprintf(stderr, "fuzz_xced_ctl: ctl_open: %s\n", err);
        exit(1);
    }
    atexit(cleanup);
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, sockpath, strlen(sockpath) + 1);
    return 0;
}

/* The exchange: connect, send, shut the write side, serve until the
 * daemon has closed; the answer in *ans (malloc'd), its length returned.
 * *reset: the close came as ECONNRESET, not EOF (Linux does that when a
 * UNIX socket is closed with data still unread in it). */
static size_t exchange(const uint8_t *data, size_t size, char **ans, int *reset)
{
    *reset = 0;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(fd >= 0);
    CHECK(connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
    size_t off = 0;
    while (off < size) {   /* at most 2048 bytes: the socket buffer holds them */
        ssize_t w = send(fd, data + off, size - off, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        CHECK(w > 0);
        off += (size_t)w;
    }
    shutdown(fd, SHUT_WR);
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    CHECK(b);
    int done = 0;
    for (int iter = 0; !done; iter++) {
        CHECK(iter < 10000);   /* the exchange ends */
        struct pollfd fds[XCED_CTL_MAX_CLIENTS + 1];
        int tmo;
        int nfds = ctl_poll_set(X.ctl, fds, &tmo);
        int pr = poll(fds, (nfds_t)nfds, 1000);
        CHECK(pr >= 0 || errno == EINTR);
        if (pr < 0)
            continue;
        ctl_service(X.ctl, fds, nfds, handler, &X);
        for (;;) {
            if (n == cap) {
                CHECK(cap < (size_t)XCED_CTL_MAX_HEADER + XCED_CTL_MAX_ANSWER + 4096);
                cap *= 2;
                b = realloc(b, cap);
                CHECK(b);
            }
            ssize_t r = recv(fd, b + n, cap - n, MSG_DONTWAIT);
            if (r > 0) {
                n += (size_t)r;
                continue;
            }
            if (r == 0)
                done = 1;
            else if (errno == ECONNRESET)
                done = *reset = 1;   /* xced closed with bytes of ours unread */
            else
                CHECK(errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR);
            break;
        }
    }
    close(fd);
    *ans = b;
    return n;
}

static int count_words(const char *s, const char **first, size_t *firstlen)
{
    int n = 0;
    *first = NULL;
    *firstlen = 0;
    while (*s) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        const char *w = s;
        while (*s && *s != ' ' && *s != '\t')
            s++;
        if (!n++) {
            *first = w;
            *firstlen = (size_t)(s - w);
        }
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *d = (const char *)data;
    const char *why;
    int one_line = size > 0 && d[size - 1] == '\n' && !memchr(d, '\n', size - 1);
    int well_formed = one_line && xced_ctl_line_ok(d, size - 1, &why);
    struct ctl_stats before = *ctl_get_stats(X.ctl);
    memset(&seen, 0, sizeof seen);

    char *ans;
    int reset;
    size_t n = exchange(data, size, &ans, &reset);
    /* xced reads at most XCED_CTL_MAX_LINE + 2 bytes: only beyond that can
     * some be left unread when it closes (the answer still arrives first) */
    CHECK(!reset || size > XCED_CTL_MAX_LINE + 2);
    const struct ctl_stats *after = ctl_get_stats(X.ctl);
    CHECK(after->accepted == before.accepted + 1);
    CHECK(after->dropped == before.dropped && after->timeouts == before.timeouts);
    CHECK(n <= (size_t)XCED_CTL_MAX_HEADER + XCED_CTL_MAX_ANSWER);

    if (size == 0) {
        CHECK(n == 0 && seen.calls == 0);
        CHECK(after->answered == before.answered && after->unknown == before.unknown &&
              after->refused == before.refused);
        free(ans);
        return 0;
    }

    struct xced_ctl_answer a;
    enum xced_ctl_answer_kind k = xced_ctl_parse_answer(ans, n, &a);
    const char *nl = memchr(ans, '\n', n);
    CHECK(nl && (size_t)(nl - ans) < XCED_CTL_MAX_HEADER);
    if (!well_formed) {
        /* refused: never dispatched */
        CHECK(seen.calls == 0);
        CHECK(k == XCED_ANSWER_REFUSED);
        CHECK(a.errlen > 8 && a.errlen < 128 && memcmp(a.err, "% xced: ", 8) == 0 && a.err[a.errlen - 1] == '\n');
        CHECK(after->refused == before.refused + 1);
        CHECK(after->answered == before.answered && after->unknown == before.unknown);
    } else {
        CHECK(seen.calls == 1);
        CHECK(strlen(seen.line) == size - 1 && memcmp(seen.line, d, size - 1) == 0);
        CHECK(after->refused == before.refused);
        if (seen.ret == CTL_UNKNOWN) {
            CHECK(k == XCED_ANSWER_UNKNOWN && n == sizeof XCED_CTL_MAGIC " UNKNOWN\n" - 1);
            CHECK(after->unknown == before.unknown + 1 && after->answered == before.answered);
        } else {
            CHECK(k == XCED_ANSWER_EXIT && a.status == seen.ret);
            CHECK(a.outlen + a.errlen <= XCED_CTL_MAX_ANSWER);
            CHECK(after->answered == before.answered + 1 && after->unknown == before.unknown);
            if (a.status != 0)
                CHECK(a.errlen > 0);   /* a failure says why */
        }
        const char *w;
        size_t wl;
        int words = count_words(seen.line, &w, &wl);
        CHECK(words > 0);
        if (words > 64 || !exec_word(w, wl))
            CHECK(seen.ret == CTL_UNKNOWN);
    }
    free(ans);
    return 0;
}
