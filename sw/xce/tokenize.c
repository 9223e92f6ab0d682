/* tokenize.c - the exec-mode line tokenizer (see tokenize.h). */
#include "tokenize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Copy a quoted section starting at line[*i] (the quote) to *out.
 * Returns 0, or -1 if the closing quote is missing. */
static int copy_quoted(const char *line, size_t *i, char **out)
{
    char q = line[(*i)++];
    while (line[*i] && line[*i] != q) {
        if (q == '"' && line[*i] == '\\' && (line[*i + 1] == '"' || line[*i + 1] == '\\'))
            (*i)++;
        *(*out)++ = line[(*i)++];
    }
    if (!line[*i])
        return -1;
    (*i)++;
    return 0;
}

/* Words may carry keys and passwords: clear them before freeing. */
static void wipe(char *p, size_t n)
{
    volatile char *v = p;
    while (v && n--)
        *v++ = '\0';
}

void tokens_free(struct tokens *t)
{
    wipe(t->text, t->text_size);
    free(t->argv);
    free(t->col);
    free(t->text);
    memset(t, 0, sizeof *t);
}

int tokenize(const char *line, struct tokens *t, char *err, size_t errlen)
{
    size_t len = strlen(line);
    memset(t, 0, sizeof *t);
    /* a word takes at least one character and one separator (or the end) */
    t->argv = calloc(len / 2 + 2, sizeof *t->argv);
    t->col = calloc(len / 2 + 2, sizeof *t->col);
    t->text = malloc(len + 2);
    t->text_size = t->text ? len + 2 : 0;
    if (!t->argv || !t->col || !t->text) {
        snprintf(err, errlen, "out of memory");
        tokens_free(t);
        return -1;
    }
    char *out = t->text;
    size_t i = 0;
    for (;;) {
        while (is_blank(line[i]))
            i++;
        if (!line[i] || line[i] == '!' || line[i] == '#')
            break;
        t->col[t->argc] = i;
        t->argv[t->argc] = out;
        while (line[i] && !is_blank(line[i])) {
            if (line[i] == '\'' || line[i] == '"') {
                size_t at = i;
                if (copy_quoted(line, &i, &out) != 0) {
                    snprintf(err, errlen, "unterminated %c quote at column %zu", line[at], at + 1);
                    tokens_free(t);
                    return -1;
                }
            } else if (line[i] == '\\' && line[i + 1]) {
                *out++ = line[i + 1];
                i += 2;
            } else {
                *out++ = line[i++];
            }
        }
        *out++ = '\0';
        t->argc++;
    }
    t->argv[t->argc] = NULL;
    return 0;
}
