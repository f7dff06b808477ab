/*
 * libcwmp examples - trace-render: prints the sequence diagrams of a saved
 * message-flow trace and optionally writes them as one HTML file.
 *
 *   trace-render [-f FLOW] [-o out.html] [-t TITLE] [-q] TRACE
 *
 * Exit status: 0 when every flow recorded an ok result, 1 when one did not,
 * 2 on a usage, input or output error.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render.h"
#include "trace.h"

static void usage(FILE *fp)
{
    fputs("usage: trace-render [-f FLOW] [-o OUT.html] [-t TITLE] [-q] TRACE\n"
          "  -f FLOW   render only this flow\n"
          "  -o FILE   also write the diagrams as one self-contained HTML file\n"
          "  -t TITLE  title of the HTML page\n"
          "  -q        do not print the text diagrams\n",
          fp);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!fp)
        return NULL;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            if (cap > TRACE_MAX_BYTES) {
                errno = EFBIG;
                free(buf);
                buf = NULL;
                break;
            }
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
            cap *= 2;
        }
        size_t r = fread(buf + n, 1, cap - n, fp);
        n += r;
        if (r == 0)
            break;
    }
    if (buf && ferror(fp)) {
        free(buf);
        buf = NULL;
    }
    if (fp != stdin)
        fclose(fp);
    *len = n;
    return buf;
}

static int write_file(const char *path, const char *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return -1;
    int rv = fwrite(data, 1, len, fp) == len ? 0 : -1;
    if (fclose(fp) != 0)
        rv = -1;
    return rv;
}

int main(int argc, char **argv)
{
    const char *flow = NULL, *html = NULL, *title = NULL;
    int quiet = 0, c;
    while ((c = getopt(argc, argv, "f:o:t:qh")) != -1) {
        switch (c) {
        case 'f': flow = optarg; break;
        case 'o': html = optarg; break;
        case 't': title = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc - 1) {
        usage(stderr);
        return 2;
    }
    const char *path = argv[optind];
    size_t len = 0;
    char *text = slurp(path, &len);
    if (!text) {
        fprintf(stderr, "trace-render: %s: %s\n", path, strerror(errno));
        return 2;
    }
    struct trace *t = NULL;
    struct trace_error err;
    int rv = trace_parse(text, len, NULL, &t, &err);
    free(text);
    if (rv) {
        fprintf(stderr, "trace-render: %s:%d: %s\n", path, err.line, err.msg);
        return 2;
    }
    int status = 0, found = !flow;
    for (size_t i = 0; flow && i < t->nflows; i++)
        found |= !strcmp(flow, t->flows[i].id);
    if (!found) {
        fprintf(stderr, "trace-render: no flow '%s' in %s\n", flow, path);
        trace_free(t);
        return 2;
    }
    for (size_t i = 0; i < t->nflows; i++)
        if ((!flow || !strcmp(flow, t->flows[i].id)) && t->flows[i].result != 1)
            status = 1;
    struct ex_buf b;
    if (!quiet) {
        ex_buf_init(&b, NULL, 0);
        rv = render_text(t, flow, &b);
        if (rv == 0)
            fwrite(b.data, 1, b.len, stdout);
        ex_buf_free(&b);
    }
    if (rv == 0 && html) {
        ex_buf_init(&b, NULL, 0);
        rv = render_html(t, flow, title, &b);
        if (rv == 0 && write_file(html, b.data, b.len) != 0) {
            fprintf(stderr, "trace-render: %s: %s\n", html, strerror(errno));
            status = 2;
        } else if (rv == 0 && !quiet) {
            printf("HTML written to %s\n", html);
        }
        ex_buf_free(&b);
    }
    if (rv == CWMP_ERR_NOT_FOUND) {
        fprintf(stderr, "trace-render: no flow '%s' in %s\n", flow, path);
        status = 2;
    } else if (rv) {
        fprintf(stderr, "trace-render: rendering failed (%d)\n", rv);
        status = 2;
    }
    trace_free(t);
    return status;
}
