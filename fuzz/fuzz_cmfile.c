/*
 * libcwmp examples - fuzz target for the CM file parser
 * (examples/common/cmfile.c). Whatever parses must write back and parse
 * again to the same list: the writer and the parser agree.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cmfile *f = NULL;
    struct cmfile_error err;
    if (cmfile_parse((const char *) data, size, NULL, NULL, &f, &err) != 0)
        return 0;
    char *text = NULL;
    size_t len = 0;
    if (cmfile_write(f->params, f->count, NULL, &text, &len, &err) != 0)
        abort(); /* everything the parser accepts, the writer must accept */
    struct cmfile *g = NULL;
    if (cmfile_parse(text, len, NULL, NULL, &g, &err) != 0 || g->count != f->count)
        abort();
    for (size_t i = 0; i < f->count; i++) {
        if (strcmp(f->params[i].name, g->params[i].name) != 0 ||
            strcmp(f->params[i].value, g->params[i].value) != 0 ||
            f->params[i].type != g->params[i].type)
            abort();
    }
    cmfile_free(g);
    free(text);
    cmfile_free(f);
    return 0;
}
