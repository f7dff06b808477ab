/*
 * libcwmp - session module internals. Not installed.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CWMP_SESSION_INTERNAL_H
#define CWMP_SESSION_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <cwmp/session.h>

#include "internal.h"

/* Event name of a standard code, NULL for M/X/unknown. */
const char *cwmp__event_std_name(enum cwmp_event_code code);

/* ---- persistence text helpers ------------------------------------------- */
/* Fields separated by one space, records by '\n'. Field text escapes '%',
 * space and control bytes as %XX; "-" stands for the empty string. */
void cwmp__esc_put(struct cwmp_buf *b, const char *s);

struct cwmp__field {
    const char *p;
    size_t len;
};

struct cwmp__lines {
    const char *p, *end;
};

void cwmp__lines_init(struct cwmp__lines *ln, const char *data, size_t len);
/* 0 when the first line equals hdr, else -1. */
int cwmp__lines_header(struct cwmp__lines *ln, const char *hdr);
/* Splits the next line into exactly n fields: 1 = got one, 0 = end,
 * CWMP_ERR_PARSE on a malformed line. */
int cwmp__lines_next(struct cwmp__lines *ln, struct cwmp__field *f, size_t n);
/* Decimal integer (optional '-'), at most 18 digits. */
int cwmp__field_int(const struct cwmp__field *f, int64_t *out);
/* Unescapes into out (NUL-terminated); CWMP_ERR_PARSE when malformed, a NUL
 * byte would result, or it does not fit. */
int cwmp__unesc(const struct cwmp__field *f, char *out, size_t size);
/* Same, allocated. */
int cwmp__unesc_dup(const struct cwmp_allocator *a, const struct cwmp__field *f, size_t max,
                    char **out);

#endif

/* ---- shared by the engines (common.c) ----------------------------------- */
#include <cwmp/envelope.h>

/* Calls the trace hook (if any) with a summary of @p env (NULL = empty body). */
void cwmp__trace(cwmp_trace_fn fn, void *user, enum cwmp_trace_dir dir,
                 const struct cwmp_envelope *env, size_t bytes);
/* "1.0".."1.4" -> version; -1 when not a version. */
int cwmp__parse_version(const char *s, size_t len);
/* Highest version in a comma-separated SupportedCWMPVersions list that is
 * <= max; -1 when none. */
int cwmp__best_version(const char *list, enum cwmp_version max);
/* The SupportedCWMPVersions text for versions 1.0..max. */
const char *cwmp__supported_versions(enum cwmp_version max);
/* xsd:dateTime of a wall-clock time in ms; <= 0 gives the Unknown Time. */
const char *cwmp__arena_datetime(struct cwmp_arena *ar, int64_t ms);
/* dateTime text -> ms since epoch; 0 for the Unknown Time or bad text. */
int64_t cwmp__datetime_ms(const char *s);
/* Formats a printf message into the detail buffer and logs it. */
CWMP_PRINTF(5, 6)
void cwmp__detail(char *buf, size_t size, cwmp_log_fn log, void *log_user, const char *fmt, ...);
