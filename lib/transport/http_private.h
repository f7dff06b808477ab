/*
 * libcwmp-transport - private helpers of the HTTP module. Not installed.
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * libcwmp-transport links against the shared libcwmp, whose cwmp__*
 * helpers are hidden: only the static inline ones of internal.h are usable
 * here, so the few others the HTTP code needs live in this header.
 */
#ifndef CWMP_HTTP_PRIVATE_H
#define CWMP_HTTP_PRIVATE_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cwmp/http.h>

#include "internal.h"

static inline const struct cwmp_allocator *cwmp__http_alloc(const struct cwmp_allocator *a)
{
    return a ? a : cwmp_default_allocator();
}

static inline char cwmp__http_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char) (c - 'A' + 'a') : c;
}

/* ASCII case-insensitive comparison of n bytes; 0 when equal. */
static inline int cwmp__http_ncaseeq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cwmp__http_lower(a[i]) != cwmp__http_lower(b[i]))
            return 0;
    return 1;
}

static inline int cwmp__http_caseeq(const char *a, const char *b)
{
    size_t la = strlen(a);
    return la == strlen(b) && cwmp__http_ncaseeq(a, b, la);
}

static inline char *cwmp__http_strdup(const struct cwmp_allocator *a, const char *s)
{
    size_t n = strlen(s);
    char *p = cwmp__malloc(a, n + 1);
    if (p)
        memcpy(p, s, n + 1);
    return p;
}

/* Bounded copy; returns 0, or CWMP_ERR_LIMIT when src does not fit. */
static inline int cwmp__http_copy(char *dst, size_t size, const char *src, size_t n)
{
    if (n >= size)
        return CWMP_ERR_LIMIT;
    memcpy(dst, src, n);
    dst[n] = '\0';
    return 0;
}

/* snprintf that reports truncation as CWMP_ERR_BUFFER. */
CWMP_PRINTF(3, 4)
static inline int cwmp__http_fmt(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, size, fmt, ap);
    va_end(ap);
    return (n < 0 || (size_t) n >= size) ? CWMP_ERR_BUFFER : n;
}

/* tchar of RFC 9110 §5.6.2. */
static inline int cwmp__http_is_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Monotonic clock in ms (transport only: the core never reads a clock). */
cwmp_time_ms cwmp__http_now_ms(void);

/* Constant-time comparison; 0 when equal. Time depends only on lengths. */
int cwmp__http_ct_compare(const void *a, size_t alen, const void *b, size_t blen);

/* Per-object randomness: an mbedTLS CTR_DRBG seeded from mbedtls_entropy. */
struct cwmp__http_rng;
int cwmp__http_rng_new(struct cwmp__http_rng **out, const struct cwmp_allocator *a);
void cwmp__http_rng_free(struct cwmp__http_rng *r, const struct cwmp_allocator *a);
/* Matches cwmp_rng_fn with user_data = struct cwmp__http_rng *. */
int cwmp__http_rng_fill(void *rng, uint8_t *buf, size_t len);

void cwmp__http_hex(const uint8_t *in, size_t n, char *out);

/* Base64 (RFC 4648); out_size must hold 4*ceil(n/3)+1. */
int cwmp__http_b64_encode(const uint8_t *in, size_t n, char *out, size_t out_size);
/* Returns decoded length, or < 0 on malformed input / too small buffer. */
int cwmp__http_b64_decode(const char *in, size_t n, uint8_t *out, size_t out_size);

#endif
