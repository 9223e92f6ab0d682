/* device.c - the attached device of a run: opened on first use with the
 * global options, kept for every later command (exec mode), and the -v
 * summary of what each command cost on it. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char *cli_device_name(const struct cli *cli)
{
    if (cli->device_spec && *cli->device_spec)
        return cli->device_spec;
    const char *env = getenv("XCE_DEVICE");
    return env && *env ? env : "sim";
}

static void take_baseline(struct cli *cli)
{
    cli->have_baseline = cli->verbose && cli->dev && xce_get_stats(cli->dev, &cli->baseline) == XCE_OK;
}

xce_dev *cli_device(struct cli *cli)
{
    if (cli->dev)
        return cli->dev;
    const char *name = cli_device_name(cli);
    if (cli->opts.trace_path && strcmp(name, "sim") != 0) {
        fprintf(stderr, "xce: --trace needs the simulated engine (--device sim), not '%s'\n", name);
        return NULL;
    }
    int r = xce_open(cli->device_spec, &cli->opts, &cli->dev);
    if (r != XCE_OK) {
        cli->dev = NULL;
        fprintf(stderr, "xce: cannot attach to device '%s': %s\n", name, xce_strerror(r));
        if (r == XCE_ERR_INVAL && cli->opts.trace_path)
            fprintf(stderr, "xce: (is the trace file '%s' writable?)\n", cli->opts.trace_path);
        else if (r == XCE_ERR_INVAL)
            fprintf(stderr, "xce: (device specs: sim, sw, pci, pci:DOMAIN:BUS:DEVICE.FUNCTION, pool:SPEC,SPEC...)\n");
        return NULL;
    }
    if (!cli->have_baseline)
        take_baseline(cli);   /* the attach self-test is not the command's work */
    return cli->dev;
}

void cli_detach(struct cli *cli)
{
    xce_close(cli->dev);
    cli->dev = NULL;
}

void cli_command_begin(struct cli *cli)
{
    cli->have_baseline = 0;
    take_baseline(cli);
}

static void print_summary(const struct xce_stats *a, const struct xce_stats *b)
{
    uint64_t sw = b->sw_requests - a->sw_requests;
    fprintf(stderr, "xce: %" PRIu64 " requests on engine, %" PRIu64 " in software",
            b->hw_requests - a->hw_requests, sw);
    const char *sep = " (";
    for (int i = 0; i < XCE_FB_COUNT; i++) {
        uint64_t n = b->fallback[i] - a->fallback[i];
        if (n) {
            fprintf(stderr, "%s%s: %" PRIu64, sep, xce_fallback_name((enum xce_fallback)i), n);
            sep = ", ";
        }
    }
    fprintf(stderr, "%s\n", sep[0] == ',' ? ")" : "");
}

void cli_command_end(struct cli *cli)
{
    struct xce_stats now;
    fflush(stdout);
    if (cli->verbose && cli->have_baseline && cli->dev && xce_get_stats(cli->dev, &now) == XCE_OK)
        print_summary(&cli->baseline, &now);
    cli->have_baseline = 0;
}
