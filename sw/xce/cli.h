/* cli.h - what the parts of the xce program share: the run context (the
 * global options and the attached device), the commands, the dispatcher
 * and exec mode. */
#ifndef XCE_CLI_H
#define XCE_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "xce.h"

#define XCE_CLI_VERSION "1.0.0"
#define XCE_PROMPT "xce# "

/* One per run of the program; exec mode keeps it (and the device, so the
 * counters accumulate) across lines. */
struct cli {
    const char *device_spec;        /* --device; NULL: $XCE_DEVICE, else "sim" */
    struct xce_open_opts opts;      /* --policy, --trace */
    int verbose;                    /* -v */
    int exec_mode;                  /* commands come from stdin */
    int interactive;                /* exec mode on a terminal: prompt */
    xce_dev *dev;                   /* attached on first use, then kept */
    struct xce_stats baseline;      /* -v: counters when the command began */
    int have_baseline;
    const char *keystore_path;      /* --keystore; NULL: $XCE_KEYSTORE, else the XDG default */
    FILE *in;                       /* exec mode: the commands, and answers to [yes/no] */
    unsigned lineno;                /* exec mode: lines read from in so far */
    const struct cmdline *line;     /* the line being dispatched (valid while its command runs) */
    struct key_mode *key_mode;      /* crypto key pubkey-chain sub-modes (cmd_key.c); NULL: exec */
    unsigned swauth_debug;          /* debug software authenticity ...: SWAUTH_DEBUG_* bits */
    int no_daemon;                  /* --no-daemon; also set when xced is found absent (forward.c) */
};

/* device.c */
const char *cli_device_name(const struct cli *cli);
/* The device, attached on first use. Returns NULL after printing why. */
xce_dev *cli_device(struct cli *cli);
void cli_detach(struct cli *cli);
/* Bracket every command: with -v, the end prints what it cost. */
void cli_command_begin(struct cli *cli);
void cli_command_end(struct cli *cli);

/* Commands. argv holds the words after the command's own; each returns
 * the exit status (0 success, 1 failure) after printing any error. */
int cmd_enc(struct cli *cli, int argc, char **argv);
int cmd_speed(struct cli *cli, int argc, char **argv);
int cmd_dgst(struct cli *cli, int argc, char **argv);
int cmd_pkeyutl(struct cli *cli, int argc, char **argv);
int cmd_show_configuration(struct cli *cli, int argc, char **argv);
int cmd_show_brief(struct cli *cli, int argc, char **argv);
int cmd_show_accel_stats(struct cli *cli, int argc, char **argv);
int cmd_self_test(struct cli *cli, int argc, char **argv);
int cmd_accelerator_on(struct cli *cli, int argc, char **argv);
int cmd_accelerator_off(struct cli *cli, int argc, char **argv);
int cmd_help(struct cli *cli, int argc, char **argv);
int cmd_image(struct cli *cli, int argc, char **argv);          /* cmd_image.c */
int cmd_show_debugging(struct cli *cli, int argc, char **argv); /* cmd_swauth.c */
/* cmd_image.c: "production", "special", "rollover"; "firmware", ... */
const char *image_key_type_name(char key_type);
const char *image_type_name(int type);
/* The fields of a signed image's 256-byte header, checked as a verifier
 * does (the reasons start with doc/signed-images.md's phrases), without
 * a key store: 0, or -1 with why. */
int image_parse_header(const uint8_t *hdr, size_t len, struct xce_image_info *info, char *why, size_t why_len);

/* cmd_swauth.c: "debug software authenticity ..." flags, and the lines
 * they print on stderr ("SOFTWARE-AUTHENTICITY: ..."): a line is printed
 * when its kind is on, or verbose is. Never anything secret. */
#define SWAUTH_DEBUG_ENVELOPE 1u
#define SWAUTH_DEBUG_ERRORS 2u
#define SWAUTH_DEBUG_KEY 4u
#define SWAUTH_DEBUG_REVOCATION 8u
#define SWAUTH_DEBUG_SHOW 16u
#define SWAUTH_DEBUG_VERBOSE 32u
void swauth_debug(const struct cli *cli, unsigned kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The envelope of an image (kind ENVELOPE), and the store's key it names (KEY). */
void swauth_debug_envelope(const struct cli *cli, const char *path, const struct xce_image_info *in);
void swauth_debug_key(const struct cli *cli, const xce_trust *t, char key_type, char key_version);
/* Open the trust store in dir (NULL: $XCE_KEY_STORE, else libxce's
 * default); warnings (a damaged copy) on stderr. NULL after printing why,
 * prefixed with prefix ("xce image: ", "% "). */
xce_trust *swauth_trust_open(const struct cli *cli, const char *dir, const char *prefix);

/* dispatch.c: a command line as words, with the text they came from and
 * each word's column in it (for the IOS '^' marker). */
struct cmdline {
    int argc;
    char **argv;
    const size_t *col;
    const char *text;
};
#define DISPATCH_STOP (-1)          /* "end", "exit", "quit" in exec mode */
int cli_dispatch(struct cli *cli, const struct cmdline *cl);
/* Dispatch argv-style words (joined with blanks for the marker). */
int cli_dispatch_argv(struct cli *cli, int argc, char **argv);

/* exec.c: read commands from in until the end or "end"/"exit"/"quit". */
int cli_exec(struct cli *cli, FILE *in);
/* Ask question with " [yes/no]: "; the answer is the next line of the
 * exec-mode input (and counts as a line), or of standard input on the
 * command line. Only "yes" (or a prefix of it: "y", "ye", any case)
 * agrees: 1; anything else, or the end of the input, refuses: 0. */
int cli_confirm(struct cli *cli, const char *question);
/* The IOS '^' marker under word i of cl, and the message (dispatch.c). */
void cli_invalid_at(const struct cli *cli, const struct cmdline *cl, int i);

/* cmd_key.c: RSA key management and its configuration sub-modes. */
const char *cli_prompt(const struct cli *cli);   /* "xce# ", "xce(config-pubkey)# ", ... */
/* A line read in a sub-mode (cli->key_mode set): 0, 1 (failed). */
int cli_key_mode_line(struct cli *cli, const struct cmdline *cl);
/* End of the exec input: leave the sub-modes; 1 if a key-string was cut off. */
int cli_key_mode_finish(struct cli *cli);

/* forward.c: "show ..." lines xced answers go to its control socket
 * ($XCE_CONTROL_SOCKET or /run/xced/xced.sock) unless --no-daemon,
 * --device or --trace was given. Returns the command's exit status, or
 * CLI_NOT_FORWARDED: no daemon (nothing printed; not tried again in this
 * run), or not one of its commands. */
#define CLI_NOT_FORWARDED (-2)
int cli_forward(struct cli *cli, const struct cmdline *cl);

/* help.c */
void help_main(FILE *f);
void help_enc(FILE *f);
void help_speed(FILE *f);
void help_dgst(FILE *f);
void help_pkeyutl(FILE *f);
void help_image(FILE *f);
void print_version(FILE *f);

#endif
