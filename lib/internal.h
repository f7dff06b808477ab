/*
 * libcwmp - internal helpers shared by every module. Not installed.
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Internal symbols use the cwmp__ prefix (two underscores) and hidden
 * visibility; they are never part of the ABI.
 */
#ifndef CWMP_INTERNAL_H
#define CWMP_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cwmp/common.h>
#include <cwmp/error.h>

#define CWMP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define CWMP_UNUSED(x) ((void)(x))

#if defined(__GNUC__)
#define CWMP_LIKELY(x) __builtin_expect(!!(x), 1)
#define CWMP_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define CWMP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define CWMP_VPRINTF(f) __attribute__((format(printf, f, 0)))
#else
#define CWMP_VPRINTF(f)
#define CWMP_LIKELY(x) (x)
#define CWMP_UNLIKELY(x) (x)
#define CWMP_PRINTF(f, a)
#endif

/* ---- allocator ---------------------------------------------------------- */

/** Returns @p a, or the default allocator when @p a is NULL. */
const struct cwmp_allocator *cwmp__alloc_or_default(const struct cwmp_allocator *a);

static inline void *cwmp__malloc(const struct cwmp_allocator *a, size_t n)
{
    return a->malloc(n ? n : 1, a->user_data);
}

static inline void *cwmp__realloc(const struct cwmp_allocator *a, void *p, size_t n)
{
    return a->realloc(p, n ? n : 1, a->user_data);
}

static inline void cwmp__free(const struct cwmp_allocator *a, void *p)
{
    if (p)
        a->free(p, a->user_data);
}

/** calloc through an allocator; NULL on overflow or failure. */
void *cwmp__calloc(const struct cwmp_allocator *a, size_t n, size_t size);
/** strdup / strndup through an allocator. */
char *cwmp__strdup(const struct cwmp_allocator *a, const char *s);
char *cwmp__strndup(const struct cwmp_allocator *a, const char *s, size_t n);

/* ---- arena -------------------------------------------------------------- */

/*
 * A bump allocator over a list of chunks taken from a cwmp_allocator.
 * Everything allocated from it is released by cwmp__arena_free() in one go.
 * Allocations are aligned to CWMP_ARENA_ALIGN. An optional byte limit makes
 * allocation fail (return NULL, arena->limited = 1) beyond it.
 */
#define CWMP_ARENA_ALIGN 8u

struct cwmp__arena_chunk;

struct cwmp_arena {
    const struct cwmp_allocator *alloc;
    struct cwmp__arena_chunk *head;
    char *ptr;        /* next free byte in head */
    char *end;        /* end of head */
    size_t next_size; /* size of the next regular chunk */
    size_t total;     /* bytes obtained from the allocator */
    size_t limit;     /* 0 = unlimited */
    int limited;      /* set when the limit refused an allocation */
};

void cwmp__arena_init(struct cwmp_arena *ar, const struct cwmp_allocator *a,
                      size_t first_chunk, size_t limit);
void *cwmp__arena_alloc_slow(struct cwmp_arena *ar, size_t n);

static inline void *cwmp__arena_alloc(struct cwmp_arena *ar, size_t n)
{
    size_t need = (n + (CWMP_ARENA_ALIGN - 1)) & ~(size_t)(CWMP_ARENA_ALIGN - 1);
    if (CWMP_LIKELY(need >= n && (size_t)(ar->end - ar->ptr) >= need)) {
        void *p = ar->ptr;
        ar->ptr += need;
        return p;
    }
    return cwmp__arena_alloc_slow(ar, n);
}

void *cwmp__arena_calloc(struct cwmp_arena *ar, size_t n, size_t size);
/** Copies @p n bytes of @p s and adds a NUL. */
char *cwmp__arena_strndup(struct cwmp_arena *ar, const char *s, size_t n);
char *cwmp__arena_strdup(struct cwmp_arena *ar, const char *s);
CWMP_PRINTF(2, 3) char *cwmp__arena_printf(struct cwmp_arena *ar, const char *fmt, ...);
void cwmp__arena_free(struct cwmp_arena *ar);

/* ---- growable byte buffer ----------------------------------------------- */

/*
 * An append-only byte buffer with a sticky error: once an append fails
 * (allocation or limit), every later append is a no-op and `err` keeps the
 * first error. Writers check `err` once at the end. The content is always
 * NUL-terminated when err == 0 and cap > 0.
 */
struct cwmp_buf {
    const struct cwmp_allocator *alloc;
    char *data;
    size_t len;
    size_t cap;
    size_t limit; /* 0 = unlimited, else maximum len */
    int err;
};

void cwmp__buf_init(struct cwmp_buf *b, const struct cwmp_allocator *a, size_t limit);
int cwmp__buf_grow(struct cwmp_buf *b, size_t extra);
void cwmp__buf_free(struct cwmp_buf *b);
/** Hands the data to the caller (free with the buffer's allocator). */
char *cwmp__buf_detach(struct cwmp_buf *b, size_t *len);
CWMP_PRINTF(2, 3) void cwmp__buf_printf(struct cwmp_buf *b, const char *fmt, ...);
CWMP_VPRINTF(2) void cwmp__buf_vprintf(struct cwmp_buf *b, const char *fmt, va_list ap);
/** Appends text with XML escaping of & < > " ' and of CR/TAB/LF in
 *  attribute mode (attr != 0), so values survive a round trip. */
void cwmp__buf_append_xml(struct cwmp_buf *b, const char *s, size_t n, int attr);

static inline void cwmp__buf_append(struct cwmp_buf *b, const void *p, size_t n)
{
    if (CWMP_UNLIKELY(b->cap - b->len <= n)) {
        if (cwmp__buf_grow(b, n) != 0)
            return;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static inline void cwmp__buf_puts(struct cwmp_buf *b, const char *s)
{
    cwmp__buf_append(b, s, strlen(s));
}

static inline void cwmp__buf_putc(struct cwmp_buf *b, char c)
{
    cwmp__buf_append(b, &c, 1);
}

void cwmp__buf_put_u64(struct cwmp_buf *b, uint64_t v);
void cwmp__buf_put_i64(struct cwmp_buf *b, int64_t v);

/* ---- small string helpers ---------------------------------------------- */

/** Bounded copy that always NUL-terminates (when size > 0); returns the
 *  length of src, like strlcpy. */
size_t cwmp__strlcpy(char *dst, const char *src, size_t size);

/** Constant-time comparison of two byte strings of possibly different
 *  length; returns 0 when equal. Time depends only on the lengths. */
int cwmp__ct_memcmp(const void *a, size_t alen, const void *b, size_t blen);

#endif /* CWMP_INTERNAL_H */
