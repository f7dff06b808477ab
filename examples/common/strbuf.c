/*
 * libcwmp examples - growable text buffer with XML escaping.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "strbuf.h"

#include <stdio.h>
#include <string.h>

#include <cwmp/error.h>

#include "exalloc.h"

#define EX_BUF_DEFAULT_LIMIT ((size_t) 64 * 1024 * 1024)

void ex_buf_init(struct ex_buf *b, const struct cwmp_allocator *alloc, size_t limit)
{
    memset(b, 0, sizeof(*b));
    b->alloc = alloc;
    b->limit = limit ? limit : EX_BUF_DEFAULT_LIMIT;
}

void ex_buf_free(struct ex_buf *b)
{
    ex_free(b->alloc, b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *ex_buf_take(struct ex_buf *b, size_t *len)
{
    if (b->err) {
        ex_buf_free(b);
        return NULL;
    }
    if (!b->data)
        ex_buf_add(b, "", 0);
    if (b->err) {
        ex_buf_free(b);
        return NULL;
    }
    char *p = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

int ex_buf_error(const struct ex_buf *b)
{
    return b->err;
}

static int reserve(struct ex_buf *b, size_t extra)
{
    if (b->err)
        return -1;
    if (extra > b->limit || b->len > b->limit - extra) {
        b->err = CWMP_ERR_LIMIT;
        return -1;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > ((size_t) -1) / 2 ? need : cap * 2;
    char *p = ex_realloc(b->alloc, b->data, cap);
    if (!p) {
        b->err = CWMP_ERR_NOMEM;
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

void ex_buf_add(struct ex_buf *b, const char *s, size_t n)
{
    if (reserve(b, n))
        return;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void ex_buf_puts(struct ex_buf *b, const char *s)
{
    ex_buf_add(b, s, strlen(s));
}

void ex_buf_printf(struct ex_buf *b, const char *fmt, ...)
{
    if (b->err)
        return;
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->err = CWMP_ERR_INTERNAL;
        va_end(ap2);
        return;
    }
    if ((size_t) n < sizeof(small)) {
        ex_buf_add(b, small, (size_t) n);
    } else if (reserve(b, (size_t) n) == 0) {
        vsnprintf(b->data + b->len, (size_t) n + 1, fmt, ap2);
        b->len += (size_t) n;
    }
    va_end(ap2);
}

int ex_text_ok(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *) s;
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
                return 0;
            i++;
            continue;
        }
        size_t len;
        unsigned cp;
        if (c >= 0xc2 && c <= 0xdf) {
            len = 2;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (n - i < len)
            return 0;
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff)
            return 0;
        i += len;
    }
    return 1;
}

void ex_buf_xmln(struct ex_buf *b, const char *s, size_t n)
{
    if (b->err)
        return;
    if (!ex_text_ok(s, n)) {
        b->err = CWMP_ERR_ENCODING;
        return;
    }
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&apos;"; break;
        case '\t': rep = "&#9;"; break;
        case '\n': rep = "&#10;"; break;
        case '\r': rep = "&#13;"; break;
        default: break;
        }
        if (rep) {
            ex_buf_add(b, s + start, i - start);
            ex_buf_puts(b, rep);
            start = i + 1;
        }
    }
    ex_buf_add(b, s + start, n - start);
}

void ex_buf_xml(struct ex_buf *b, const char *s)
{
    ex_buf_xmln(b, s, strlen(s));
}
