/* options.c - the command-line option helper xce and xced share. */
#include <string.h>

#include "options.h"

int option_value(int argc, char **argv, int *i, const char *name, const char **value, const char *prog, FILE *err)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *value = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        fprintf(err, "%s: option '%s' needs an argument\n", prog, name);
        return -1;
    }
    *value = argv[++*i];
    return 1;
}
