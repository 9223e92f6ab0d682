/* exec.c - exec mode: commands from stdin, one per line, against the one
 * attached device. On a terminal each line is prompted with "xce# ";
 * otherwise only the commands' output appears. A failing command prints
 * its error and the line number, and the run goes on; the exit status is
 * 1 if any command failed. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cli.h"
#include "tokenize.h"

/* Run one line. Returns 0, 1 (failed) or DISPATCH_STOP. */
static int run_line(struct cli *cli, const char *line, unsigned lineno)
{
    struct tokens t;
    char err[128];
    if (tokenize(line, &t, err, sizeof err) != 0) {
        fprintf(stderr, "xce: line %u: %s\n", lineno, err);
        return 1;
    }
    int st = 0;
    if (t.argc > 0) {
        struct cmdline cl = { t.argc, t.argv, t.col, line };
        st = cli->key_mode ? cli_key_mode_line(cli, &cl) : cli_dispatch(cli, &cl);
        if (st != 0 && st != DISPATCH_STOP && !cli->interactive)
            fprintf(stderr, "xce: line %u: command failed\n", lineno);
    }
    tokens_free(&t);
    return st;
}

int cli_exec(struct cli *cli, FILE *in)
{
    char *line = NULL;
    size_t cap = 0;
    int status = 0, stopped = 0;
    cli->in = in;   /* [yes/no] answers are read from here too, and counted */
    cli->lineno = 0;
    while (!stopped) {
        if (cli->interactive) {
            fputs(cli_prompt(cli), stdout);
            fflush(stdout);
        }
        ssize_t n = getline(&line, &cap, in);
        if (n < 0)
            break;
        line[strcspn(line, "\r\n")] = '\0';
        int st = run_line(cli, line, ++cli->lineno);
        OPENSSL_cleanse(line, cap);   /* the line may hold a key or password */
        if (st == DISPATCH_STOP)
            stopped = 1;
        else if (st != 0)
            status = 1;
        fflush(stdout);
    }
    if (cli->interactive && !stopped)
        putchar('\n');
    if (cli_key_mode_finish(cli) != 0)
        status = 1;
    free(line);
    return status;
}

/* The [yes/no] questions of the commands (cli.h): the answer is read where
 * the commands come from, so a script answers on its next line. */
int cli_confirm(struct cli *cli, const char *question)
{
    printf("%s [yes/no]: ", question);
    fflush(stdout);
    FILE *in = cli->exec_mode && cli->in ? cli->in : stdin;
    char *ans = NULL;
    size_t cap = 0;
    ssize_t n = getline(&ans, &cap, in);
    int yes = 0;
    if (n >= 0) {
        if (in == cli->in)
            cli->lineno++;
        char *a = ans + strspn(ans, " \t");
        a[strcspn(a, " \t\r\n")] = '\0';
        size_t len = strlen(a);
        yes = len > 0 && len <= 3 && strncasecmp(a, "yes", len) == 0;
    }
    if (n < 0 || !isatty(fileno(in)))
        putchar('\n');   /* the answer was not echoed */
    free(ans);
    return yes;
}
