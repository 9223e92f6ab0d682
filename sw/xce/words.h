/* words.h - the IOS command words: each level of a command is a
 * NULL-terminated table of words, each leading to the next level or to the
 * function that runs the command. dispatch.c holds the exec-level tables
 * and matches a line against them; cmd_key.c adds the "crypto key" words
 * and the tables of its configuration sub-modes. */
#ifndef XCE_WORDS_H
#define XCE_WORDS_H

#include "cli.h"

enum {
    W_ARGS = 1u,       /* the rest of the line are the command's arguments */
    W_EXEC_ONLY = 2u,  /* only inside exec mode */
    W_ARGV_ONLY = 4u,  /* only on the command line */
    W_STOP = 8u,       /* leaves exec mode */
    W_NESTED = 16u,    /* runs commands of its own: no -v summary around it */
};

struct word {
    const char *name;
    const char *help;
    const struct word *next;   /* words that may follow, NULL-terminated */
    int (*run)(struct cli *cli, int argc, char **argv);
    unsigned flags;
};

/* Match and run a line against the words of level (dispatch.c). */
int cli_dispatch_words(struct cli *cli, const struct cmdline *cl, const struct word *level);

/* cmd_key.c: what follows "crypto key", "show crypto key", "key" and
 * "no key" at exec level. */
extern const struct word key_crypto_words[];
extern const struct word key_show_words[];
extern const struct word key_config_words[];
extern const struct word key_no_words[];

/* cmd_swauth.c: what follows "show software", "software", "debug", and
 * "no debug" or "undebug". */
extern const struct word swauth_show_words[];
extern const struct word swauth_words[];
extern const struct word swauth_debug_words[];
extern const struct word swauth_no_debug_words[];

#endif
