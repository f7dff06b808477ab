/*
 * libcwmp examples - fuzz target for the message-flow trace parser and the
 * text and HTML renderers (examples/common/trace.c,
 * examples/trace-render/render.c).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>

#include "render.h"
#include "trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct trace *t = NULL;
    struct trace_error err;
    if (trace_parse((const char *) data, size, NULL, &t, &err) != 0)
        return 0;
    struct ex_buf b;
    ex_buf_init(&b, NULL, 0);
    if (render_text(t, NULL, &b) != 0)
        abort(); /* a parsed trace always renders */
    ex_buf_free(&b);
    ex_buf_init(&b, NULL, 0);
    if (render_html(t, NULL, NULL, &b) != 0)
        abort();
    ex_buf_free(&b);
    trace_free(t);
    return 0;
}
