/* enc_io.c - where "xce enc" reads and writes: files or stdin/stdout,
 * base64 on the way in (-d -a) or out (-e -a), and output files that only
 * appear, complete, when the run succeeds. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "enc.h"

int source_open(struct source *s, const char *path, int base64)
{
    memset(s, 0, sizeof *s);
    s->base64 = base64;
    if (!path) {
        s->fp = stdin;
        s->name = "standard input";
        return 0;
    }
    s->name = path;
    s->fp = fopen(path, "rb");
    if (!s->fp) {
        fprintf(stderr, "xce enc: cannot open input file '%s': %s\n", path, strerror(errno));
        return -1;
    }
    s->owned = 1;
    struct stat st;
    if (fstat(fileno(s->fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "xce enc: cannot read input file '%s': %s\n", path, strerror(EISDIR));
        source_close(s);
        return -1;
    }
    return 0;
}

long long source_size(const struct source *s)
{
    struct stat st;
    if (s->base64 || !s->owned || fstat(fileno(s->fp), &st) != 0 || !S_ISREG(st.st_mode))
        return -1;
    return (long long)st.st_size;
}

void source_close(struct source *s)
{
    if (s->owned && s->fp)
        fclose(s->fp);
    s->fp = NULL;
}

static int read_error(struct source *s)
{
    if (s->owned)
        fprintf(stderr, "xce enc: error reading '%s': %s\n", s->name, strerror(errno));
    else
        fprintf(stderr, "xce enc: error reading %s: %s\n", s->name, strerror(errno));
    return -1;
}

static int base64_error(struct source *s, enum b64_status st)
{
    const struct b64_decoder *d = &s->dec;
    if (st == B64_TRUNCATED)
        fprintf(stderr, "xce enc: invalid base64 input: it ends in the middle of a group of 4 characters\n");
    else if (st == B64_TRAILING)
        fprintf(stderr, "xce enc: invalid base64 input: data after the final '=' padding (offset %llu)\n",
                (unsigned long long)d->bad_offset);
    else
        fprintf(stderr, "xce enc: invalid base64 input: unexpected character 0x%02x at offset %llu\n",
                (unsigned)(unsigned char)d->bad_char, (unsigned long long)d->bad_offset);
    return -1;
}

/* Decode the next piece of base64 text into dbuf. */
static int refill_base64(struct source *s)
{
    char text[4096];
    size_t n = fread(text, 1, sizeof text, s->fp);
    enum b64_status st;
    s->dpos = 0;
    if (n == 0) {
        if (ferror(s->fp))
            return read_error(s);
        s->eof = 1;
        st = b64_decode_final(&s->dec, s->dbuf, &s->dlen);
    } else {
        st = b64_decode_update(&s->dec, text, n, s->dbuf, &s->dlen);
    }
    return st == B64_OK ? 0 : base64_error(s, st);
}

static long read_base64(struct source *s, uint8_t *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        if (s->dpos == s->dlen) {
            if (s->eof)
                break;
            if (refill_base64(s) != 0)
                return -1;
            continue;
        }
        size_t k = s->dlen - s->dpos < n - got ? s->dlen - s->dpos : n - got;
        memcpy(buf + got, s->dbuf + s->dpos, k);
        s->dpos += k;
        got += k;
    }
    return (long)got;
}

long source_read(struct source *s, uint8_t *buf, size_t n)
{
    long got;
    if (s->base64) {
        got = read_base64(s, buf, n);
    } else {
        size_t k = 0;
        while (k < n && !s->eof) {
            size_t r = fread(buf + k, 1, n - k, s->fp);
            if (r == 0) {
                if (ferror(s->fp))
                    return read_error(s);
                s->eof = 1;
            }
            k += r;
        }
        got = (long)k;
    }
    if (got > 0)
        s->total += (uint64_t)got;
    return got;
}

/* --- output */

static int write_error(struct sink *s)
{
    if (s->path)
        fprintf(stderr, "xce enc: cannot write '%s': %s\n", s->path, strerror(errno));
    else
        fprintf(stderr, "xce enc: cannot write standard output: %s\n", strerror(errno));
    return -1;
}

/* Permissions for a new output file: those of the file it replaces, else
 * what the umask allows. */
static mode_t new_file_mode(const struct stat *old, int exists)
{
    if (exists)
        return old->st_mode & 07777;
    mode_t mask = umask(0);
    umask(mask);
    return 0666 & ~mask;
}

/* Write to a temporary file next to path; renamed into place on commit. */
static int open_temporary(struct sink *s, const struct stat *old, int exists)
{
    size_t len = strlen(s->path) + sizeof ".xce-XXXXXX";
    s->tmp_path = malloc(len);
    if (!s->tmp_path)
        return -1;
    snprintf(s->tmp_path, len, "%s.xce-XXXXXX", s->path);
    int fd = mkstemp(s->tmp_path);
    if (fd < 0) {
        free(s->tmp_path);
        s->tmp_path = NULL;
        return -1;
    }
    if (fchmod(fd, new_file_mode(old, exists)) != 0 || !(s->fp = fdopen(fd, "wb"))) {
        close(fd);
        unlink(s->tmp_path);
        free(s->tmp_path);
        s->tmp_path = NULL;
        return -1;
    }
    return 0;
}

int sink_open(struct sink *s, const char *path, int base64, int oneline)
{
    memset(s, 0, sizeof *s);
    s->path = path;
    s->base64 = base64;
    s->oneline = oneline;
    if (!path) {
        s->fp = stdout;
        return 0;
    }
    struct stat st;
    int exists = stat(path, &st) == 0;
    /* devices, pipes and the like are written directly */
    if ((exists && !S_ISREG(st.st_mode)) || open_temporary(s, &st, exists) != 0)
        s->fp = fopen(path, "wb");
    if (!s->fp) {
        fprintf(stderr, "xce enc: cannot open output file '%s': %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static int put(struct sink *s, const void *p, size_t n)
{
    return fwrite(p, 1, n, s->fp) == n ? 0 : write_error(s);
}

/* One line of base64 (at most B64_LINE_BYTES bytes of data). */
static int put_base64(struct sink *s, const uint8_t *p, size_t n)
{
    char text[B64_LINE_BYTES / 3 * 4 + 2];
    size_t len = b64_encode(p, n, text);
    if (!s->oneline)
        text[len++] = '\n';
    return put(s, text, len);
}

int sink_write(struct sink *s, const uint8_t *p, size_t n)
{
    if (!s->base64)
        return n ? put(s, p, n) : 0;
    while (n > 0) {
        size_t k = B64_LINE_BYTES - s->npend < n ? B64_LINE_BYTES - s->npend : n;
        memcpy(s->pend + s->npend, p, k);
        s->npend += k;
        p += k;
        n -= k;
        if (s->npend == B64_LINE_BYTES) {
            s->npend = 0;
            if (put_base64(s, s->pend, B64_LINE_BYTES) != 0)
                return -1;
        }
    }
    return 0;
}

int sink_commit(struct sink *s)
{
    int r = 0;
    if (s->base64 && s->npend)
        r = put_base64(s, s->pend, s->npend);
    s->npend = 0;
    if (r == 0 && fflush(s->fp) != 0)
        r = write_error(s);
    if (!s->path)
        return r;
    if (fclose(s->fp) != 0 && r == 0)
        r = write_error(s);
    s->fp = NULL;
    if (r == 0 && s->tmp_path && rename(s->tmp_path, s->path) != 0) {
        fprintf(stderr, "xce enc: cannot create output file '%s': %s\n", s->path, strerror(errno));
        r = -1;
    }
    if (r != 0 && s->tmp_path)
        unlink(s->tmp_path);
    free(s->tmp_path);
    s->tmp_path = NULL;
    return r;
}

void sink_abort(struct sink *s)
{
    if (s->path && s->fp)
        fclose(s->fp);
    else if (s->fp)
        fflush(s->fp);
    s->fp = NULL;
    if (s->tmp_path)
        unlink(s->tmp_path);
    free(s->tmp_path);
    s->tmp_path = NULL;
}
