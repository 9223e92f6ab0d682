/* dispatch.c - the command words, matched the IOS way: each word may be
 * abbreviated to any prefix that is unique at its level ("sh cry eng
 * conf"); a word that matches nothing, or more than one thing, is marked
 * with '^' and "% Invalid input detected at '^' marker."; "?" lists what
 * may follow. enc, speed and help take the remaining words as arguments. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cli.h"
#include "words.h"   /* struct word, W_* */

static int run_exec(struct cli *cli, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli->exec_mode = 1;
    cli->interactive = isatty(STDIN_FILENO);
    return cli_exec(cli, stdin);
}

static const struct word accel_words[] = {
    { "statistic", "engine, per-core and fallback counters", NULL, cmd_show_accel_stats, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct word show_engine[] = {
    { "accelerator", "crypto accelerator information", accel_words, NULL, 0 },
    { "brief", "one block per crypto engine", NULL, cmd_show_brief, 0 },
    { "configuration", "engine identity, versions and input queue", NULL, cmd_show_configuration, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct word show_crypto[] = {
    { "engine", "crypto engine information", show_engine, NULL, 0 },
    { "key", "show long term public keys", key_show_words, NULL, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct word show_words[] = {
    { "crypto", "encryption module", show_crypto, NULL, 0 },
    { "debugging", "the debugging that is on", NULL, cmd_show_debugging, 0 },
    { "software", "software information", swauth_show_words, NULL, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct word test_crypto[] = {
    { "self-test", "run the known-answer tests in software and on the engine", NULL, cmd_self_test, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct word test_words[] = {
    { "crypto", "encryption module", test_crypto, NULL, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct word config_engine[] = {
    { "accelerator", "serve requests on the engine", NULL, cmd_accelerator_on, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct word config_crypto[] = {
    { "engine", "crypto engine configuration", config_engine, NULL, 0 },
    { "key", "long term key operations", key_crypto_words, NULL, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct word no_engine[] = {
    { "accelerator", "serve every request in software", NULL, cmd_accelerator_off, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct word no_crypto[] = {
    { "engine", "crypto engine configuration", no_engine, NULL, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct word no_words[] = {
    { "crypto", "encryption module", no_crypto, NULL, 0 },
    { "debug", "turn debugging off", swauth_no_debug_words, NULL, 0 },
    { "key", "key configuration", key_no_words, NULL, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
static const struct word top_words[] = {
    { "crypto", "configure the crypto engine", config_crypto, NULL, 0 },
    { "debug", "debugging functions", swauth_debug_words, NULL, 0 },
    { "dgst", "digest or HMAC, as openssl dgst", NULL, cmd_dgst, W_ARGS },
    { "enc", "encrypt or decrypt, as openssl enc", NULL, cmd_enc, W_ARGS },
    { "end", "leave exec mode", NULL, NULL, W_EXEC_ONLY | W_STOP },
    { "exec", "read commands from stdin", NULL, run_exec, W_ARGV_ONLY | W_NESTED },
    { "exit", "leave exec mode", NULL, NULL, W_EXEC_ONLY | W_STOP },
    { "help", "describe the program", NULL, cmd_help, W_ARGS | W_NESTED },
    { "image", "sign, verify and take apart signed images", NULL, cmd_image, W_ARGS },
    { "key", "key configuration (config key)", key_config_words, NULL, 0 },
    { "no", "negate a configuration command", no_words, NULL, 0 },
    { "pkeyutl", "RSA sign, verify, encrypt, decrypt, as openssl pkeyutl", NULL, cmd_pkeyutl, W_ARGS },
    { "quit", "leave exec mode", NULL, NULL, W_EXEC_ONLY | W_STOP },
    { "show", "show engine information", show_words, NULL, 0 },
    { "software", "software authenticity: the key storage", swauth_words, NULL, 0 },
    { "speed", "measure throughput, as openssl speed", NULL, cmd_speed, W_ARGS },
    { "test", "test subsystems", test_words, NULL, 0 },
    { "undebug", "turn debugging off", swauth_no_debug_words, NULL, 0 },
    { NULL, NULL, NULL, NULL, 0 },
};

static int visible(const struct cli *cli, const struct word *w)
{
    if (w->flags & W_EXEC_ONLY)
        return cli->exec_mode;
    if (w->flags & W_ARGV_ONLY)
        return !cli->exec_mode;
    return 1;
}

/* The word at this level that s names: an exact match, else the only
 * word s is a prefix of. NULL when none or ambiguous. */
static const struct word *match(const struct cli *cli, const struct word *level, const char *s)
{
    const struct word *found = NULL;
    size_t n = strlen(s), count = 0;
    for (const struct word *w = level; w->name; w++) {
        if (!visible(cli, w))
            continue;
        if (strcasecmp(w->name, s) == 0)
            return w;
        if (n && strncasecmp(w->name, s, n) == 0) {
            found = w;
            count++;
        }
    }
    return count == 1 ? found : NULL;
}

void cli_invalid_at(const struct cli *cli, const struct cmdline *cl, int i)
{
    size_t pad = cl->col[i];
    if (cli->interactive)
        pad += strlen(cli_prompt(cli));   /* the line is on the screen after the prompt */
    else
        fprintf(stderr, "%s\n", cl->text);
    fprintf(stderr, "%*s^\n", (int)pad, "");
    fprintf(stderr, "%% Invalid input detected at '^' marker.\n");
}

static void list_words(const struct cli *cli, const struct word *level, int complete)
{
    for (const struct word *w = level; w && w->name; w++)
        if (visible(cli, w))
            printf("  %-16s%s\n", w->name, w->help);
    if (complete)
        printf("  <cr>\n");
}

static int run_word(struct cli *cli, const struct word *w, int argc, char **argv)
{
    if (w->flags & W_STOP)
        return DISPATCH_STOP;
    if (w->flags & W_NESTED)
        return w->run(cli, argc, argv);
    cli_command_begin(cli);
    int st = w->run(cli, argc, argv);
    cli_command_end(cli);
    return st;
}

/* a unique prefix (any case) of one of the words xced may answer */
static int router_exec_word(const char *w)
{
    static const char *const words[] = { "clear", "debug", "no", "show", "undebug" };
    size_t n = strlen(w);
    unsigned hits = 0;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        hits += n > 0 && strncasecmp(words[i], w, n) == 0;
    return hits == 1;
}

int cli_dispatch(struct cli *cli, const struct cmdline *cl)
{
    /* the exec commands of a router - show, clear, debug, undebug, no
     * debug: xced answers those it knows when it runs (forward.c) */
    if (!cli->no_daemon && cl->argc > 1 && router_exec_word(cl->argv[0])) {
        int st = cli_forward(cli, cl);
        if (st != CLI_NOT_FORWARDED)
            return st;
    }
    return cli_dispatch_words(cli, cl, top_words);
}

int cli_dispatch_words(struct cli *cli, const struct cmdline *cl, const struct word *level)
{
    const struct word *w = NULL;
    cli->line = cl;   /* for the '^' marker of commands that parse their arguments */
    for (int i = 0; i < cl->argc; i++) {
        if (strcmp(cl->argv[i], "?") == 0) {
            list_words(cli, w ? w->next : level, w && (w->run || (w->flags & W_STOP)));
            return 0;
        }
        if (!level) {
            cli_invalid_at(cli, cl, i);   /* nothing may follow the command */
            return 1;
        }
        w = match(cli, level, cl->argv[i]);
        if (!w) {
            cli_invalid_at(cli, cl, i);
            return 1;
        }
        if (w->flags & W_ARGS)
            return run_word(cli, w, cl->argc - i - 1, cl->argv + i + 1);
        level = w->next;
    }
    if (!w)
        return 0;
    if (!w->run && !(w->flags & W_STOP)) {
        fprintf(stderr, "%% Incomplete command.\n");
        return 1;
    }
    return run_word(cli, w, 0, cl->argv + cl->argc);
}

int cli_dispatch_argv(struct cli *cli, int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *text = malloc(len);
    size_t *col = calloc((size_t)argc + 1, sizeof *col);
    if (!text || !col) {
        free(text);
        free(col);
        fprintf(stderr, "xce: out of memory\n");
        return 1;
    }
    size_t at = 0;
    for (int i = 0; i < argc; i++) {
        col[i] = at;
        at += (size_t)sprintf(text + at, "%s%s", argv[i], i + 1 < argc ? " " : "");
    }
    text[at] = '\0';
    struct cmdline cl = { argc, argv, col, text };
    int st = cli_dispatch(cli, &cl);
    OPENSSL_cleanse(text, len);   /* enc arguments may include a key */
    free(text);
    free(col);
    return st;
}
