/* options.h - the command-line option helper xce and xced share. */
#ifndef XCE_OPTIONS_H
#define XCE_OPTIONS_H

#include <stdio.h>

/* "--name VALUE" or "--name=VALUE" at argv[*i]: stores VALUE and advances *i.
 * Returns 1 if argv[*i] is this option, 0 if not, -1 if VALUE is missing
 * (reported on err as "PROG: option '--name' needs an argument"). */
int option_value(int argc, char **argv, int *i, const char *name, const char **value, const char *prog, FILE *err);

#endif
