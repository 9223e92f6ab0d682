/* pass.h - a password or passphrase from one of the sources openssl's
 * -pass and -passin take: pass:TEXT, env:VAR, or file:PATH (its first
 * line, without the line end). Nothing is printed here: each command
 * words its own errors. */
#ifndef XCE_PASS_H
#define XCE_PASS_H

enum pass_status {
    PASS_OK = 0,
    PASS_NOMEM,
    PASS_UNSET,         /* env:VAR, and VAR is not set */
    PASS_OPEN,          /* file:PATH cannot be opened; errno says why */
    PASS_EMPTY,         /* file:PATH holds no line */
    PASS_UNSUPPORTED,   /* none of the three (src may be the password itself: do not echo it) */
};

/* The password of src in a new buffer, *pass (NULL unless PASS_OK; free
 * it with pass_free); *what: the VAR or PATH src names, for messages. */
enum pass_status pass_read(const char *src, char **pass, const char **what);
/* Wipe and free a password (NULL is fine). */
void pass_free(char *pass);

#endif
