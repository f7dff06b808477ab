/*
 * libcwmp - default allocator, arena, growable buffer, string helpers.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

static void *default_malloc(size_t n, void *ud)
{
    CWMP_UNUSED(ud);
    return malloc(n);
}

static void *default_realloc(void *p, size_t n, void *ud)
{
    CWMP_UNUSED(ud);
    return realloc(p, n);
}

static void default_free(void *p, void *ud)
{
    CWMP_UNUSED(ud);
    free(p);
}

static const struct cwmp_allocator default_allocator = {
    default_malloc, default_realloc, default_free, NULL,
};

const struct cwmp_allocator *cwmp_default_allocator(void)
{
    return &default_allocator;
}

const char *cwmp_version(void)
{
    return CWMP_VERSION_STRING;
}

const struct cwmp_allocator *cwmp__alloc_or_default(const struct cwmp_allocator *a)
{
    return a ? a : &default_allocator;
}

void *cwmp__calloc(const struct cwmp_allocator *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *p = cwmp__malloc(a, n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

char *cwmp__strndup(const struct cwmp_allocator *a, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *p = cwmp__malloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *cwmp__strdup(const struct cwmp_allocator *a, const char *s)
{
    return cwmp__strndup(a, s, strlen(s));
}

/* ---- arena -------------------------------------------------------------- */

struct cwmp__arena_chunk {
    struct cwmp__arena_chunk *next;
    size_t size; /* bytes of payload that follow */
    /* payload follows, aligned by the union below */
};

#define CHUNK_HDR                                                             \
    ((sizeof(struct cwmp__arena_chunk) + CWMP_ARENA_ALIGN - 1) &              \
     ~(size_t)(CWMP_ARENA_ALIGN - 1))
#define ARENA_MAX_CHUNK ((size_t)1 << 20)

void cwmp__arena_init(struct cwmp_arena *ar, const struct cwmp_allocator *a,
                      size_t first_chunk, size_t limit)
{
    memset(ar, 0, sizeof(*ar));
    ar->alloc = cwmp__alloc_or_default(a);
    ar->next_size = first_chunk ? first_chunk : 1024;
    ar->limit = limit;
}

static struct cwmp__arena_chunk *arena_new_chunk(struct cwmp_arena *ar, size_t payload)
{
    if (payload > SIZE_MAX - CHUNK_HDR)
        return NULL;
    size_t total = CHUNK_HDR + payload;
    if (ar->limit && (total > ar->limit || ar->total > ar->limit - total)) {
        ar->limited = 1;
        return NULL;
    }
    struct cwmp__arena_chunk *c = cwmp__malloc(ar->alloc, total);
    if (!c)
        return NULL;
    c->size = payload;
    ar->total += total;
    return c;
}

void *cwmp__arena_alloc_slow(struct cwmp_arena *ar, size_t n)
{
    size_t need = (n + (CWMP_ARENA_ALIGN - 1)) & ~(size_t)(CWMP_ARENA_ALIGN - 1);
    if (need < n)
        return NULL;
    if (need > ar->next_size / 4) {
        /* Large block: a dedicated chunk linked behind the head, so the
         * free space of the current chunk stays usable. */
        struct cwmp__arena_chunk *c = arena_new_chunk(ar, need);
        if (!c)
            return NULL;
        if (ar->head) {
            c->next = ar->head->next;
            ar->head->next = c;
        } else {
            c->next = NULL;
            ar->head = c;
            ar->ptr = ar->end = (char *)c + CHUNK_HDR + need;
        }
        return (char *)c + CHUNK_HDR;
    }
    struct cwmp__arena_chunk *c = arena_new_chunk(ar, ar->next_size);
    if (!c)
        return NULL;
    c->next = ar->head;
    ar->head = c;
    ar->ptr = (char *)c + CHUNK_HDR;
    ar->end = ar->ptr + c->size;
    if (ar->next_size < ARENA_MAX_CHUNK)
        ar->next_size *= 2;
    void *p = ar->ptr;
    ar->ptr += need;
    return p;
}

void *cwmp__arena_calloc(struct cwmp_arena *ar, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *p = cwmp__arena_alloc(ar, n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

char *cwmp__arena_strndup(struct cwmp_arena *ar, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *p = cwmp__arena_alloc(ar, n + 1);
    if (p) {
        if (n)
            memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *cwmp__arena_strdup(struct cwmp_arena *ar, const char *s)
{
    return cwmp__arena_strndup(ar, s, strlen(s));
}

char *cwmp__arena_printf(struct cwmp_arena *ar, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = cwmp__arena_alloc(ar, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void cwmp__arena_free(struct cwmp_arena *ar)
{
    struct cwmp__arena_chunk *c = ar->head;
    while (c) {
        struct cwmp__arena_chunk *next = c->next;
        cwmp__free(ar->alloc, c);
        c = next;
    }
    ar->head = NULL;
    ar->ptr = ar->end = NULL;
    ar->total = 0;
}

/* ---- buffer ------------------------------------------------------------- */

void cwmp__buf_init(struct cwmp_buf *b, const struct cwmp_allocator *a, size_t limit)
{
    memset(b, 0, sizeof(*b));
    b->alloc = cwmp__alloc_or_default(a);
    b->limit = limit;
}

int cwmp__buf_grow(struct cwmp_buf *b, size_t extra)
{
    if (b->err)
        return b->err;
    if (extra > SIZE_MAX - b->len - 1 || (b->limit && b->len + extra > b->limit)) {
        b->err = CWMP_ERR_LIMIT;
        return b->err;
    }
    size_t want = b->len + extra + 1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < want)
        cap = cap > SIZE_MAX / 2 ? want : cap * 2;
    /* Never hold more than limit + 1 bytes, so that the inline fast path
     * (which only checks the capacity) cannot pass the limit. */
    if (b->limit && cap > b->limit + 1)
        cap = b->limit + 1;
    char *p = cwmp__realloc(b->alloc, b->data, cap);
    if (!p) {
        b->err = CWMP_ERR_NOMEM;
        return b->err;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

void cwmp__buf_free(struct cwmp_buf *b)
{
    cwmp__free(b->alloc, b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *cwmp__buf_detach(struct cwmp_buf *b, size_t *len)
{
    char *p = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void cwmp__buf_vprintf(struct cwmp_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        if (!b->err)
            b->err = CWMP_ERR_INVALID_ARG;
        return;
    }
    if (b->cap - b->len <= (size_t)n && cwmp__buf_grow(b, (size_t)n) != 0)
        return;
    if (b->err)
        return;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void cwmp__buf_printf(struct cwmp_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cwmp__buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void cwmp__buf_append_xml(struct cwmp_buf *b, const char *s, size_t n, int attr)
{
    const char *run = s;
    const char *end = s + n;
    for (const char *p = s; p < end; p++) {
        const char *rep;
        size_t rlen;
        switch (*p) {
        case '&': rep = "&amp;"; rlen = 5; break;
        case '<': rep = "&lt;"; rlen = 4; break;
        case '>': rep = "&gt;"; rlen = 4; break;
        case '"': rep = "&quot;"; rlen = 6; break;
        case '\'': rep = "&apos;"; rlen = 6; break;
        case '\r': rep = "&#13;"; rlen = 5; break;
        case '\t':
            if (!attr)
                continue;
            rep = "&#9;"; rlen = 4; break;
        case '\n':
            if (!attr)
                continue;
            rep = "&#10;"; rlen = 5; break;
        default: continue;
        }
        if (p > run)
            cwmp__buf_append(b, run, (size_t)(p - run));
        cwmp__buf_append(b, rep, rlen);
        run = p + 1;
    }
    if (end > run)
        cwmp__buf_append(b, run, (size_t)(end - run));
}

void cwmp__buf_put_u64(struct cwmp_buf *b, uint64_t v)
{
    char tmp[24];
    size_t i = sizeof(tmp);
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    cwmp__buf_append(b, tmp + i, sizeof(tmp) - i);
}

void cwmp__buf_put_i64(struct cwmp_buf *b, int64_t v)
{
    if (v < 0) {
        cwmp__buf_putc(b, '-');
        cwmp__buf_put_u64(b, (uint64_t)0 - (uint64_t)v);
    } else {
        cwmp__buf_put_u64(b, (uint64_t)v);
    }
}

/* ---- strings ------------------------------------------------------------ */

size_t cwmp__strlcpy(char *dst, const char *src, size_t size)
{
    size_t n = strlen(src);
    if (size) {
        size_t c = n < size - 1 ? n : size - 1;
        memcpy(dst, src, c);
        dst[c] = '\0';
    }
    return n;
}

int cwmp__ct_memcmp(const void *a, size_t alen, const void *b, size_t blen)
{
    const unsigned char *x = a, *y = b;
    size_t n = alen > blen ? alen : blen;
    unsigned diff = (unsigned)(alen != blen);
    for (size_t i = 0; i < n; i++) {
        unsigned char cx = i < alen ? x[i] : 0;
        unsigned char cy = i < blen ? y[i] : 0;
        diff |= (unsigned)(cx ^ cy);
    }
    return diff != 0;
}
