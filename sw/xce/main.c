/* main.c - the xce program: global options, then one command from the
 * command line, or exec mode (commands from stdin) when there is none.
 *
 *   xce [--device SPEC] [--policy hardware|software|auto] [--trace FILE.vcd] [--keystore PATH]
 *       [--no-daemon] [-v] COMMAND [ARGS]
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "options.h"

enum { GLOBAL_OK = 0, GLOBAL_EXIT_OK, GLOBAL_ERROR };

static int set_policy(struct cli *cli, const char *name)
{
    if (xce_policy_parse(name, &cli->opts.policy) != XCE_OK) {
        fprintf(stderr, "xce: invalid policy '%s' for --policy; use hardware, software or auto\n", name);
        return -1;
    }
    return 0;
}

/* One global option at argv[*i]. */
static int global_option(struct cli *cli, int argc, char **argv, int *i)
{
    const char *a = argv[*i], *v = NULL;
    int r;
    if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
        cli->verbose = 1;
        return GLOBAL_OK;
    }
    if (strcmp(a, "--no-daemon") == 0) {
        cli->no_daemon = 1;
        return GLOBAL_OK;
    }
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
        help_main(stdout);
        return GLOBAL_EXIT_OK;
    }
    if (strcmp(a, "--version") == 0) {
        print_version(stdout);
        return GLOBAL_EXIT_OK;
    }
    if ((r = option_value(argc, argv, i, "--device", &v, "xce", stderr)) != 0) {
        if (r < 0)
            return GLOBAL_ERROR;
        if (!*v) {
            fprintf(stderr, "xce: --device needs a device spec (sim, sw, pci or pci:ADDRESS)\n");
            return GLOBAL_ERROR;
        }
        cli->device_spec = v;
        return GLOBAL_OK;
    }
    if ((r = option_value(argc, argv, i, "--policy", &v, "xce", stderr)) != 0)
        return r < 0 || set_policy(cli, v) != 0 ? GLOBAL_ERROR : GLOBAL_OK;
    if ((r = option_value(argc, argv, i, "--keystore", &v, "xce", stderr)) != 0) {
        if (r > 0 && !*v) {
            fprintf(stderr, "xce: --keystore needs a file name\n");
            return GLOBAL_ERROR;
        }
        cli->keystore_path = v;
        return r < 0 ? GLOBAL_ERROR : GLOBAL_OK;
    }
    if ((r = option_value(argc, argv, i, "--trace", &v, "xce", stderr)) != 0) {
        cli->opts.trace_path = v;
        return r < 0 ? GLOBAL_ERROR : GLOBAL_OK;
    }
    fprintf(stderr, "xce: unknown option '%s' (see 'xce --help')\n", a);
    return GLOBAL_ERROR;
}

int main(int argc, char **argv)
{
    struct cli cli;
    memset(&cli, 0, sizeof cli);
    cli.opts.policy = XCE_POLICY_AUTO;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        int g = global_option(&cli, argc, argv, &i);
        if (g != GLOBAL_OK)
            return g == GLOBAL_EXIT_OK ? 0 : 1;
    }
    int status;
    if (i == argc) {
        cli.exec_mode = 1;
        cli.interactive = isatty(STDIN_FILENO);
        status = cli_exec(&cli, stdin);
    } else {
        status = cli_dispatch_argv(&cli, argc - i, argv + i);
    }
    cli_detach(&cli);
    if (fflush(stdout) != 0 && status == 0) {
        perror("xce: writing standard output");
        status = 1;
    }
    return status;
}
