/*
 * libcwmp examples - allocation helpers shared by the example modules.
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The reusable example modules (registry, PM writer, CM file, config, trace)
 * allocate through a struct cwmp_allocator like the library does, so their
 * tests run on cmocka's leak-checking allocator and allocation-failure
 * sweeps. A NULL allocator means the C library's malloc/realloc/free; these
 * helpers implement that without linking libcwmp.
 */
#ifndef EX_ALLOC_H
#define EX_ALLOC_H

#include <stdlib.h>
#include <string.h>

#include <cwmp/common.h>

static inline void *ex_malloc(const struct cwmp_allocator *a, size_t n)
{
    if (n == 0)
        n = 1;
    return a ? a->malloc(n, a->user_data) : malloc(n);
}

static inline void *ex_realloc(const struct cwmp_allocator *a, void *p, size_t n)
{
    if (n == 0)
        n = 1;
    return a ? a->realloc(p, n, a->user_data) : realloc(p, n);
}

static inline void ex_free(const struct cwmp_allocator *a, void *p)
{
    if (!p)
        return;
    if (a)
        a->free(p, a->user_data);
    else
        free(p);
}

static inline void *ex_calloc(const struct cwmp_allocator *a, size_t nmemb, size_t size)
{
    if (size && nmemb > (size_t) -1 / size)
        return NULL;
    size_t n = nmemb * size;
    void *p = ex_malloc(a, n);
    if (p && n)
        memset(p, 0, n);
    return p;
}

static inline char *ex_strndup(const struct cwmp_allocator *a, const char *s, size_t n)
{
    char *p = (char *) ex_malloc(a, n + 1);
    if (p) {
        if (n)
            memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static inline char *ex_strdup(const struct cwmp_allocator *a, const char *s)
{
    return ex_strndup(a, s, strlen(s));
}

#endif
