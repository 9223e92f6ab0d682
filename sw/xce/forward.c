/* forward.c - exec commands answered by the daemon xced: when its control
 * socket ($XCE_CONTROL_SOCKET, else /run/xced/xced.sock) accepts a
 * connection, a "show ..." line is sent to it (sw/common/xced_ctl.h) and
 * its answer printed, with its exit status. xced says which commands are
 * its own; the others, and every command when nothing listens on the
 * socket, run here as before. --no-daemon, --device and --trace (an
 * engine of this process) keep everything here. */
#include <string.h>

#include "cli.h"
#include "xced_ctl.h"

int cli_forward(struct cli *cli, const struct cmdline *cl)
{
    if (cli->no_daemon || cli->device_spec || cli->opts.trace_path)
        return CLI_NOT_FORWARDED;
    for (int i = 0; i < cl->argc; i++)
        if (strcmp(cl->argv[i], "?") == 0)
            return CLI_NOT_FORWARDED;   /* help lists this program's words */
    const char *path = xced_ctl_path();
    char why[256];
    int status;
    fflush(stdout);
    switch (xced_ctl_request(path, cl->text, stdout, stderr, &status, why, sizeof why)) {
    case XCED_CTL_ANSWERED:
        fflush(stdout);
        if (cli->verbose)
            fprintf(stderr, "xce: answered by xced on %s\n", path);
        return status;
    case XCED_CTL_NO_DAEMON:
        cli->no_daemon = 1;   /* not tried again in this run */
        return CLI_NOT_FORWARDED;
    case XCED_CTL_UNKNOWN:
        return CLI_NOT_FORWARDED;
    case XCED_CTL_FAILED:
    default:
        fprintf(stderr, "xce: xced on %s: %s\n", path, why);
        return 1;
    }
}
