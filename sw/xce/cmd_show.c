/* cmd_show.c - the IOS "show crypto engine" views:
 *   show crypto engine configuration        identity, versions, input queue
 *   show crypto engine brief                one block per crypto engine
 *   show crypto engine accelerator statistic   per-core, driver and fallback counters
 * Everything comes from xce_get_info() and xce_get_stats(); the printing
 * is shared with xced (sw/common/engine_views.c). */
#include <string.h>

#include "cli.h"
#include "engine_views.h"

static int read_device(struct cli *cli, xce_dev **dev, struct xce_info *info, struct xce_stats *st)
{
    *dev = cli_device(cli);
    if (!*dev)
        return -1;
    int r = xce_get_info(*dev, info);
    if (r == XCE_OK && st)
        r = xce_get_stats(*dev, st);
    if (r != XCE_OK) {
        fprintf(stderr, "xce: cannot read the state of device '%s': %s\n", cli_device_name(cli), xce_strerror(r));
        return -1;
    }
    return 0;
}

int cmd_show_configuration(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    xce_dev *dev;
    struct xce_info info;
    if (read_device(cli, &dev, &info, NULL) != 0)
        return 1;
    engine_view_configuration(stdout, &info);
    return 0;
}

int cmd_show_brief(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    xce_dev *dev;
    struct xce_info info;
    if (read_device(cli, &dev, &info, NULL) != 0)
        return 1;
    engine_view_brief(stdout, &info);
    return 0;
}

int cmd_show_accel_stats(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    xce_dev *dev;
    struct xce_info info;
    struct xce_stats st;
    if (read_device(cli, &dev, &info, &st) != 0)
        return 1;
    engine_view_accel_stats(stdout, &info, &st);
    return 0;
}
