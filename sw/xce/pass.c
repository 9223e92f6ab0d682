/* pass.c - passwords from pass:, env: and file: sources, see pass.h. */
#include "pass.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <openssl/crypto.h>

static enum pass_status read_file(const char *path, char **pass)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return PASS_OPEN;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, f);
    fclose(f);
    if (n < 0) {
        if (line)
            OPENSSL_cleanse(line, cap);
        free(line);
        return PASS_EMPTY;
    }
    line[strcspn(line, "\r\n")] = '\0';
    if (cap > (size_t)n + 1)
        OPENSSL_cleanse(line + n + 1, cap - (size_t)n - 1);   /* pass_free wipes up to the NUL */
    *pass = line;
    return PASS_OK;
}

enum pass_status pass_read(const char *src, char **pass, const char **what)
{
    *pass = NULL;
    *what = NULL;
    if (strncmp(src, "pass:", 5) == 0) {
        *pass = strdup(src + 5);
    } else if (strncmp(src, "env:", 4) == 0) {
        *what = src + 4;
        const char *v = getenv(src + 4);
        if (!v)
            return PASS_UNSET;
        *pass = strdup(v);
    } else if (strncmp(src, "file:", 5) == 0) {
        *what = src + 5;
        return read_file(src + 5, pass);
    } else {
        return PASS_UNSUPPORTED;
    }
    return *pass ? PASS_OK : PASS_NOMEM;
}

void pass_free(char *pass)
{
    if (pass) {
        OPENSSL_cleanse(pass, strlen(pass));
        free(pass);
    }
}
