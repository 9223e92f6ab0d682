/* cmd_crypto.c - the IOS words that act on the engine:
 *   test crypto self-test                known-answer tests, software and engine
 *   [no] crypto engine accelerator       serve requests on the engine, or not */
#include <stdio.h>

#include "cli.h"

static void print_line(void *arg, const char *line)
{
    (void)arg;
    printf("%s\n", line);
}

int cmd_self_test(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    xce_dev *dev = cli_device(cli);
    if (!dev)
        return 1;
    int r = xce_self_test(dev, print_line, NULL);
    if (r == XCE_OK) {
        printf("Self-test passed\n");
        return 0;
    }
    printf("Self-test FAILED\n");
    if (r != XCE_ERR_SELFTEST)
        fprintf(stderr, "xce: self-test on device '%s': %s\n", cli_device_name(cli), xce_strerror(r));
    return 1;
}

static int set_accelerator(struct cli *cli, int on)
{
    xce_dev *dev = cli_device(cli);
    if (!dev)
        return 1;
    int r = xce_set_accelerator(dev, on);
    if (r != XCE_OK) {
        fprintf(stderr, "xce: %scrypto engine accelerator: %s\n", on ? "" : "no ", xce_strerror(r));
        return 1;
    }
    return 0;
}

int cmd_accelerator_on(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return set_accelerator(cli, 1);
}

int cmd_accelerator_off(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return set_accelerator(cli, 0);
}
