/*
 * libcwmp - the small line format used to persist session state
 * (event queue, transfer queue, ACS task queue).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "session_internal.h"

static const char hexd[] = "0123456789ABCDEF";

void cwmp__esc_put(struct cwmp_buf *b, const char *s)
{
    if (!s || !*s) {
        cwmp__buf_putc(b, '-');
        return;
    }
    if (s[0] == '-' && s[1] == '\0') {
        cwmp__buf_puts(b, "%2D");
        return;
    }
    for (; *s; s++) {
        unsigned char c = (unsigned char) *s;
        if (c <= ' ' || c == '%' || c == 0x7f) {
            char t[3] = {'%', hexd[c >> 4], hexd[c & 15]};
            cwmp__buf_append(b, t, 3);
        } else {
            cwmp__buf_putc(b, (char) c);
        }
    }
}

void cwmp__lines_init(struct cwmp__lines *ln, const char *data, size_t len)
{
    ln->p = data ? data : "";
    ln->end = ln->p + (data ? len : 0);
}

int cwmp__lines_header(struct cwmp__lines *ln, const char *hdr)
{
    size_t n = strlen(hdr);

    if ((size_t) (ln->end - ln->p) < n + 1 || memcmp(ln->p, hdr, n) != 0 || ln->p[n] != '\n')
        return -1;
    ln->p += n + 1;
    return 0;
}

int cwmp__lines_next(struct cwmp__lines *ln, struct cwmp__field *f, size_t n)
{
    const char *nl, *p;
    size_t k = 0;

    if (ln->p == ln->end)
        return 0;
    nl = memchr(ln->p, '\n', (size_t) (ln->end - ln->p));
    if (!nl)
        return CWMP_ERR_PARSE;
    p = ln->p;
    while (p <= nl) {
        const char *sp = p;
        while (sp < nl && *sp != ' ')
            sp++;
        if (k == n || sp == p)
            return CWMP_ERR_PARSE;
        f[k].p = p;
        f[k].len = (size_t) (sp - p);
        k++;
        p = sp + 1;
    }
    if (k != n)
        return CWMP_ERR_PARSE;
    ln->p = nl + 1;
    return 1;
}

int cwmp__field_int(const struct cwmp__field *f, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    int64_t v = 0;

    if (f->len && f->p[0] == '-') {
        neg = 1;
        i = 1;
    }
    if (i == f->len || f->len - i > 18)
        return CWMP_ERR_PARSE;
    for (; i < f->len; i++) {
        if (f->p[i] < '0' || f->p[i] > '9')
            return CWMP_ERR_PARSE;
        v = v * 10 + (f->p[i] - '0');
    }
    *out = neg ? -v : v;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int cwmp__unesc(const struct cwmp__field *f, char *out, size_t size)
{
    size_t o = 0;

    if (f->len == 1 && f->p[0] == '-') {
        if (size == 0)
            return CWMP_ERR_PARSE;
        out[0] = '\0';
        return 0;
    }
    for (size_t i = 0; i < f->len; i++) {
        int c = (unsigned char) f->p[i];
        if (c == '%') {
            int h, l;
            if (i + 2 >= f->len)
                return CWMP_ERR_PARSE;
            h = hexval(f->p[i + 1]);
            l = hexval(f->p[i + 2]);
            if (h < 0 || l < 0)
                return CWMP_ERR_PARSE;
            c = h * 16 + l;
            if (c == 0)
                return CWMP_ERR_PARSE;
            i += 2;
        }
        if (o + 1 >= size)
            return CWMP_ERR_PARSE;
        out[o++] = (char) c;
    }
    if (size == 0)
        return CWMP_ERR_PARSE;
    out[o] = '\0';
    return 0;
}

int cwmp__unesc_dup(const struct cwmp_allocator *a, const struct cwmp__field *f, size_t max,
                    char **out)
{
    char *s;
    size_t cap = f->len + 1;
    int rv;

    *out = NULL;
    if (f->len > max * 3 + 3)
        return CWMP_ERR_PARSE;
    s = cwmp__malloc(a, cap);
    if (!s)
        return CWMP_ERR_NOMEM;
    rv = cwmp__unesc(f, s, cap);
    if (rv == 0 && strlen(s) > max)
        rv = CWMP_ERR_PARSE;
    if (rv != 0) {
        cwmp__free(a, s);
        return rv;
    }
    *out = s;
    return 0;
}
