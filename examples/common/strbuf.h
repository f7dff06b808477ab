/*
 * libcwmp examples - growable text buffer with XML escaping.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef EX_STRBUF_H
#define EX_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include <cwmp/common.h>

/**
 * A growable, always NUL-terminated text buffer. Errors are sticky: after
 * the first failure (allocation, limit, text that XML cannot carry) every
 * append is a no-op and ex_buf_error() reports the first error, so writers
 * check once at the end.
 */
struct ex_buf {
    char *data; /**< NUL-terminated once anything was appended */
    size_t len;
    size_t cap;
    size_t limit; /**< maximum length; 0 = 64 MiB */
    int err;      /**< 0, or the first negative enum cwmp_error */
    const struct cwmp_allocator *alloc;
};

/** Initialises an empty buffer (no allocation yet). */
void ex_buf_init(struct ex_buf *b, const struct cwmp_allocator *alloc, size_t limit);
/** Frees the contents; the buffer can be reused after ex_buf_init(). */
void ex_buf_free(struct ex_buf *b);
/** Hands the text over to the caller (free with the same allocator) and
 *  resets the buffer. Returns NULL when the buffer is in error. */
char *ex_buf_take(struct ex_buf *b, size_t *len);
int ex_buf_error(const struct ex_buf *b);

void ex_buf_add(struct ex_buf *b, const char *s, size_t n);
void ex_buf_puts(struct ex_buf *b, const char *s);
void ex_buf_printf(struct ex_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/** Appends @p s escaped for XML text and attribute values (& < > " ' and
 *  tab/CR/LF as character references inside attributes). Text that XML 1.0
 *  cannot carry (control characters, invalid UTF-8) sets CWMP_ERR_ENCODING. */
void ex_buf_xml(struct ex_buf *b, const char *s);
/** Same for @p n bytes. */
void ex_buf_xmln(struct ex_buf *b, const char *s, size_t n);

/** True when @p s (length @p n) is valid UTF-8 without C0 controls other
 *  than tab, CR and LF, and without DEL. */
int ex_text_ok(const char *s, size_t n);

#endif
