/* main.c - xced, the daemon that owns the engine: it reads the router
 * configuration, attaches to the engine, applies "[no] crypto engine
 * accelerator", and answers exec commands on its control socket
 * (ctl.c, views.c) and moves the packets of its crypto maps (datapath.c)
 * until SIGTERM or SIGINT; SIGHUP re-reads the configuration.
 *
 *   xced -f FILE [--device SPEC] [--policy P] [--socket PATH] [--foreground]
 *        [--pidfile FILE] [--debug] [-v]
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "options.h"
#include "xced.h"

static struct xced X;
static char master_key[CFG_MASTER_KEY_MAX + 1];   /* --master-key-file; "" when none */
static volatile sig_atomic_t got_hup, got_term;

static void on_signal(int sig)
{
    if (sig == SIGHUP)
        got_hup = 1;
    else
        got_term = sig;
}

void xlog(int prio, const char *fmt, ...)
{
    if (prio == LOG_DEBUG && !X.verbose)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (X.foreground) {
        fputs("xced: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
    } else {
        vsyslog(prio, fmt, ap);
    }
    va_end(ap);
}

const char *xced_device_name(const struct xced *x)
{
    if (x->device_spec && *x->device_spec)
        return x->device_spec;
    const char *env = getenv("XCE_DEVICE");
    return env && *env ? env : "sim";
}

static void usage(FILE *f)
{
    fputs("usage: xced -f FILE [--device SPEC] [--policy hardware|software|auto] [--socket PATH]\n"
          "            [--foreground] [--pidfile FILE] [--master-key-file FILE] [--debug] [-v]\n"
          "       xced --help | --version\n"
          "\n"
          "xced, the daemon that owns the xce crypto engine. It reads an IOS-style router\n"
          "configuration, attaches to the engine, applies \"[no] crypto engine accelerator\"\n"
          "from it, protects the traffic of its crypto maps with IPsec ESP and AH (manual\n"
          "keys), and answers exec commands on a UNIX control socket: `xce show ...'\n"
          "forwards the commands xced knows to it.\n"
          "\n"
          "Datapath: each interface with a crypto map and an `xce linux-interface' gets a\n"
          "TUN device (xce-IFNAME) and routes into it for the destinations its access lists\n"
          "permit; xced protects what the kernel routes there and sends it out of the Linux\n"
          "interface, and gives back to the kernel what it receives from the peers (raw\n"
          "sockets for ESP and AH, UDP 4500 for `xce udp-encapsulation'). Needs root (or\n"
          "CAP_NET_ADMIN and CAP_NET_RAW).\n"
          "\n"
          "Options:\n"
          "  -f, --config FILE   the configuration (xced.conf(5)); a bad one is reported as\n"
          "                      FILE:LINE: message and xced exits 1\n"
          "  --device SPEC       the engine: sim, sw, pci, pci:DOMAIN:BUS:DEVICE.FUNCTION,\n"
          "                      pool:SPEC,SPEC... (default $XCE_DEVICE, else sim)\n"
          "  --policy P          hardware, software or auto (default auto)\n"
          "  --socket PATH       the control socket (default $XCE_CONTROL_SOCKET, else\n"
          "                      " XCED_CTL_DEFAULT_PATH "); created mode 0660\n"
          "  --foreground        stay attached to the terminal and log on stderr (else\n"
          "                      xced detaches once it serves, and logs to syslog)\n"
          "  --pidfile FILE      write the process id to FILE (removed at exit)\n"
          "  --master-key-file FILE  the master key of type 6 pre-shared keys (its first\n"
          "                      line; mode 0600), for a configuration that says \"key\n"
          "                      config-key password-encryption\" without it, as show\n"
          "                      running-config writes it\n"
          "  --debug             start with `debug crypto ipsec' on (SA set-up and deletion)\n"
          "  -v, --verbose       also log each request and other debugging lines\n"
          "  -h, --help          this text;  --version  the version\n"
          "\n"
          "Commands answered on the socket:\n"
          "  show running-config                              the configuration, canonical form\n"
          "  show crypto map [tag TAG]                        crypto map entries\n"
          "  show crypto ipsec transform-set [tag NAME]       transform sets\n"
          "  show crypto ipsec security-association lifetime  the global SA lifetime\n"
          "  show crypto engine configuration|brief|accelerator statistic\n"
          "  show crypto ipsec sa                             SAs, their counters and lifetimes\n"
          "  show crypto engine connections active|dropped-packet\n"
          "  clear crypto sa [peer A.B.C.D | map TAG]         set the manual SAs up afresh\n"
          "  debug crypto ipsec, no debug crypto ipsec, undebug all, show debugging\n"
          "  show xced                                        the daemon, its socket and datapath\n"
          "\n"
          "Signals: SIGHUP re-reads FILE (a bad file is refused and logged; the running\n"
          "configuration stays); SIGTERM and SIGINT end xced (exit 0), removing the socket\n"
          "and the pid file.\n"
          "\n"
          "Exit status: 0 after SIGTERM/SIGINT (or --help), 1 on a bad configuration, a\n"
          "device that cannot be attached or a socket that cannot be created.\n"
          "\n"
          "Example:\n"
          "  xced -f /etc/xced/router.cfg --device pci\n"
          "  xce show crypto map\n"
          "See xced(8), xced.conf(5), xce(1).\n",
          f);
}

static int apply_accelerator(const struct config *c)
{
    int r = xce_set_accelerator(X.dev, c->accelerator);
    if (r != XCE_OK) {
        xlog(LOG_ERR, "%scrypto engine accelerator: %s", c->accelerator ? "" : "no ", xce_strerror(r));
        return -1;
    }
    return 0;
}

static void reload(void)
{
    char err[512];
    struct config *c = config_load_master(X.config_path, master_key[0] ? master_key : NULL, err, sizeof err);
    if (!c) {
        X.reload_failures++;
        xlog(LOG_ERR, "SIGHUP: configuration refused, the running one is kept: %s", err);
        return;
    }
    X.reloads++;
    if (config_equal(c, X.cfg)) {
        xlog(LOG_INFO, "SIGHUP: %s read again, unchanged", X.config_path);
        config_free(c);
        return;
    }
    /* the new datapath takes the TUN devices' names: the old one goes first */
    unsigned next_id = X.dp ? X.dp->next_conn_id : 1;
    dp_stop(X.dp);
    X.dp = dp_start(X.dev, c, next_id, X.debug_ipsec, err, sizeof err);
    if (!X.dp) {
        X.reload_failures++;
        xlog(LOG_ERR, "SIGHUP: the datapath of the new configuration cannot start (%s); the running one is kept",
             err);
        config_free(c);
        X.dp = dp_start(X.dev, X.cfg, next_id, X.debug_ipsec, err, sizeof err);
        if (!X.dp)
            xlog(LOG_ERR, "the datapath cannot start again: %s", err);
        return;
    }
    xlog(LOG_NOTICE, "SIGHUP: %s read again, the new configuration is running", X.config_path);
    if (c->accelerator != X.cfg->accelerator)
        apply_accelerator(c);
    config_free(X.cfg);
    X.cfg = c;
}

static double mono_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The handler around views_run: logs the request (with -v). */
static int handle(void *arg, const char *line, FILE *out, FILE *err)
{
    int st = views_run(arg, line, out, err);
    xlog(LOG_DEBUG, "request \"%s\": %s", line, st == CTL_UNKNOWN ? "not xced's" : st ? "failed" : "answered");
    return st;
}

static int serve(void)
{
    struct pollfd fds[XCED_CTL_MAX_CLIENTS + 1 + DP_MAX_FDS];
    double next_tick = mono_now() + 1;
    sigset_t block, during;
    sigemptyset(&block);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigprocmask(SIG_BLOCK, &block, &during);
    sigdelset(&during, SIGHUP);
    sigdelset(&during, SIGTERM);
    sigdelset(&during, SIGINT);
    while (!got_term) {
        if (got_hup) {
            got_hup = 0;
            reload();
            continue;
        }
        int timeout;
        int n = ctl_poll_set(X.ctl, fds, &timeout);
        int nd = dp_poll_set(X.dp, fds + n, DP_MAX_FDS);
        /* the datapath's lifetimes are looked at once a second */
        double now = mono_now();
        if (now >= next_tick) {
            dp_tick(X.dp);
            next_tick = now + 1;
        }
        int tick_ms = (int)((next_tick - now) * 1000) + 1;
        if (timeout < 0 || timeout > tick_ms)
            timeout = tick_ms;
        struct timespec ts = { timeout / 1000, (long)(timeout % 1000) * 1000000L };
        int r = ppoll(fds, (nfds_t)(n + nd), &ts, &during);
        if (r < 0 && errno != EINTR) {
            xlog(LOG_ERR, "poll: %s", strerror(errno));
            return 1;
        }
        if (r < 0)
            continue;
        dp_service(X.dp, fds + n, nd);
        ctl_service(X.ctl, fds, n, handle, &X);
    }
    xlog(LOG_NOTICE, "%s: exiting", strsignal(got_term));
    return 0;
}

/* The master key of type 6 pre-shared keys: the file's first line, kept
 * apart from the configuration as IOS keeps it in private NVRAM. The file
 * must not be readable by group or others. */
static int read_master_key(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        fprintf(stderr, "xced: master key file %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (st.st_mode & 077) {
        fprintf(stderr, "xced: master key file %s is readable by others (mode %03o): chmod 600 it\n", path,
                (unsigned)(st.st_mode & 0777));
        close(fd);
        return -1;
    }
    char buf[CFG_MASTER_KEY_MAX + 3];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n < 0)
        n = 0;
    buf[n] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    size_t len = strlen(buf);
    int ok = len >= 8 && len <= CFG_MASTER_KEY_MAX && !strpbrk(buf, " \t");
    if (ok)
        memcpy(master_key, buf, len + 1);
    else
        fprintf(stderr, "xced: master key file %s: the first line must be 8-%u characters, no blanks\n", path,
                CFG_MASTER_KEY_MAX);
    OPENSSL_cleanse(buf, sizeof buf);
    return ok ? 0 : -1;
}

static int write_pidfile(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0) {
        fprintf(stderr, "xced: cannot write the pid file %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *socket_path = NULL, *pidfile = NULL, *v = NULL;
    struct xce_open_opts opts;
    memset(&opts, 0, sizeof opts);
    opts.policy = XCE_POLICY_AUTO;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int r;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("xced %s (libxce %s)\n", XCED_VERSION, XCE_LIB_VERSION);
            return 0;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            X.verbose = 1;
        } else if (!strcmp(a, "--debug")) {
            X.debug_ipsec = 1;
        } else if (!strcmp(a, "--foreground")) {
            X.foreground = 1;
        } else if (!strcmp(a, "-f")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "xced: option '-f' needs an argument\n");
                return 1;
            }
            X.config_path = argv[++i];
        } else if ((r = option_value(argc, argv, &i, "--config", &v, "xced", stderr)) != 0) {
            if (r < 0)
                return 1;
            X.config_path = v;
        } else if ((r = option_value(argc, argv, &i, "--device", &v, "xced", stderr)) != 0) {
            if (r < 0)
                return 1;
            X.device_spec = v;
        } else if ((r = option_value(argc, argv, &i, "--policy", &v, "xced", stderr)) != 0) {
            if (r < 0)
                return 1;
            if (xce_policy_parse(v, &opts.policy) != XCE_OK) {
                fprintf(stderr, "xced: invalid policy '%s' for --policy; use hardware, software or auto\n", v);
                return 1;
            }
        } else if ((r = option_value(argc, argv, &i, "--socket", &v, "xced", stderr)) != 0) {
            if (r < 0)
                return 1;
            socket_path = v;
        } else if ((r = option_value(argc, argv, &i, "--master-key-file", &v, "xced", stderr)) != 0) {
            if (r < 0 || read_master_key(v) != 0)
                return 1;
        } else if ((r = option_value(argc, argv, &i, "--pidfile", &v, "xced", stderr)) != 0) {
            if (r < 0)
                return 1;
            pidfile = v;
        } else {
            fprintf(stderr, "xced: unknown %s '%s' (see 'xced --help')\n", a[0] == '-' ? "option" : "argument", a);
            return 1;
        }
    }
    if (!X.config_path || !*X.config_path) {
        fprintf(stderr, "xced: no configuration: xced -f FILE (see 'xced --help')\n");
        return 1;
    }
    if (!socket_path)
        socket_path = xced_ctl_path();

    char err[512];
    X.cfg = config_load_master(X.config_path, master_key[0] ? master_key : NULL, err, sizeof err);
    if (!X.cfg) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }

    /* Detach before attaching to the engine (the model runs threads that
     * would not survive a fork); the parent waits for the child to say
     * it serves, so every start-up error still reaches the terminal and
     * the exit status. */
    int ready[2] = { -1, -1 };
    if (!X.foreground) {
        if (pipe2(ready, O_CLOEXEC) != 0) {
            perror("xced: pipe");
            return 1;
        }
        pid_t pid = fork();
        if (pid < 0) {
            perror("xced: fork");
            return 1;
        }
        if (pid > 0) {
            char b = 1;
            close(ready[1]);
            ssize_t n;
            while ((n = read(ready[0], &b, 1)) < 0 && errno == EINTR)
                ;
            return n == 1 && b == 0 ? 0 : 1;
        }
        close(ready[0]);
        setsid();
        openlog("xced", LOG_PID, LOG_DAEMON);
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    int r = xce_open(X.device_spec, &opts, &X.dev);
    if (r != XCE_OK) {
        fprintf(stderr, "xced: cannot attach to device '%s': %s\n", xced_device_name(&X), xce_strerror(r));
        config_free(X.cfg);
        return 1;
    }
    int status = 1;
    if (X.cfg->accelerator == 0 && xce_set_accelerator(X.dev, 0) != XCE_OK) {
        fprintf(stderr, "xced: no crypto engine accelerator: cannot apply it\n");
        goto out;
    }
    /* the default directory, for the daemon's group only */
    if (strcmp(socket_path, XCED_CTL_DEFAULT_PATH) == 0 && mkdir("/run/xced", 0750) != 0 && errno != EEXIST)
        fprintf(stderr, "xced: cannot create /run/xced: %s\n", strerror(errno));
    X.ctl = ctl_open(socket_path, err, sizeof err);
    if (!X.ctl) {
        fprintf(stderr, "xced: control socket: %s\n", err);
        goto out;
    }
    X.dp = dp_start(X.dev, X.cfg, 1, X.debug_ipsec, err, sizeof err);
    if (!X.dp) {
        fprintf(stderr, "xced: datapath: %s\n", err);
        goto out;
    }
    if (pidfile && write_pidfile(pidfile) != 0)
        goto out;
    X.started = time(NULL);
    xlog(LOG_NOTICE, "serving %s on %s (device %s, %s)", X.config_path, ctl_path(X.ctl), xced_device_name(&X),
         X.cfg->accelerator ? "crypto engine accelerator" : "no crypto engine accelerator");
    if (!X.foreground) {
        char ok = 0;
        int fd = open("/dev/null", O_RDWR);
        if (fd >= 0) {
            dup2(fd, STDIN_FILENO);
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
            if (fd > STDERR_FILENO)
                close(fd);
        }
        if (write(ready[1], &ok, 1) != 1)
            xlog(LOG_WARNING, "cannot tell the parent that xced serves");
        close(ready[1]);
    }
    status = serve();
out:
    dp_stop(X.dp);
    if (X.ctl)
        ctl_close(X.ctl);
    if (pidfile && X.ctl)
        unlink(pidfile);
    xce_close(X.dev);
    config_free(X.cfg);
    OPENSSL_cleanse(master_key, sizeof master_key);
    if (!X.foreground)
        closelog();
    return status;
}
