/* tokenize.h - splitting an exec-mode line into words, shell-like:
 * blanks separate words; '...' is taken literally; "..." allows \" and \\;
 * a backslash outside quotes escapes the next character; an unquoted '!'
 * or '#' at the start of a word begins a comment that runs to the end of
 * the line. Each word remembers its column, for the IOS '^' marker. */
#ifndef XCE_TOKENIZE_H
#define XCE_TOKENIZE_H

#include <stddef.h>

struct tokens {
    int argc;
    char **argv;      /* argc words, then NULL */
    size_t *col;      /* where each word starts in the line (0-based) */
    char *text;       /* storage of the words */
    size_t text_size; /* bytes at text (wiped by tokens_free) */
};

/* Returns 0, or -1 with a message in err (e.g. an unterminated quote).
 * On success the caller frees t with tokens_free(). */
int tokenize(const char *line, struct tokens *t, char *err, size_t errlen);
void tokens_free(struct tokens *t);

#endif
