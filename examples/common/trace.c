/*
 * libcwmp examples - message-flow trace files.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "exalloc.h"

static const struct trace_lane default_lanes[] = {
    {"HNB", "HNB"},        {"SeGW", "SeGW"}, {"HMS-I", "HMS (initial)"}, {"HMS-S", "HMS (serving)"},
    {"FS", "File server"},
};

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int
fail(struct trace_error *err, int rv, int line, const char *fmt, ...)
{
    if (err) {
        err->line = line;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
    }
    return rv;
}

void trace_free(struct trace *t)
{
    if (!t)
        return;
    ex_free(t->alloc, t->storage_);
    ex_free(t->alloc, t->flows);
    ex_free(t->alloc, t->events);
    ex_free(t->alloc, t);
}

/* Unescapes a field in place; returns 0 or -1 on a bad escape. */
static int unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (*r != '\\') {
            *w++ = *r;
            continue;
        }
        r++;
        switch (*r) {
        case '\\': *w++ = '\\'; break;
        case 't': *w++ = '\t'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        default: return -1;
        }
    }
    *w = '\0';
    return 0;
}

static int parse_time(const char *s, int64_t *out)
{
    if (!*s || strlen(s) > 15)
        return -1;
    int64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
    }
    *out = v;
    return 0;
}

static int lane_index(struct trace *t, const char *id, size_t *idx)
{
    for (size_t i = 0; i < t->nlanes; i++) {
        if (!strcmp(t->lanes[i].id, id)) {
            *idx = i;
            return 0;
        }
    }
    if (t->nlanes >= TRACE_MAX_LANES)
        return CWMP_ERR_LIMIT;
    t->lanes[t->nlanes] = (struct trace_lane){id, id};
    *idx = t->nlanes++;
    return 0;
}

static int flow_index(struct trace *t, const char *id, size_t *idx)
{
    for (size_t i = 0; i < t->nflows; i++) {
        if (!strcmp(t->flows[i].id, id)) {
            *idx = i;
            return 0;
        }
    }
    if (t->nflows >= TRACE_MAX_FLOWS)
        return CWMP_ERR_LIMIT;
    if (t->nflows == t->cap_flows_) {
        size_t cap = t->cap_flows_ ? t->cap_flows_ * 2 : 16;
        void *p = ex_realloc(t->alloc, t->flows, cap * sizeof(*t->flows));
        if (!p)
            return CWMP_ERR_NOMEM;
        t->flows = p;
        t->cap_flows_ = cap;
    }
    t->flows[t->nflows] = (struct trace_flow){id, "", "", -1, "", -1, -1, 0};
    *idx = t->nflows++;
    return 0;
}

static int add_event(struct trace *t, const struct trace_event *e)
{
    if (t->nevents == t->cap_events_) {
        size_t cap = t->cap_events_ ? t->cap_events_ * 2 : 64;
        void *p = ex_realloc(t->alloc, t->events, cap * sizeof(*t->events));
        if (!p)
            return CWMP_ERR_NOMEM;
        t->events = p;
        t->cap_events_ = cap;
    }
    t->events[t->nevents++] = *e;
    return 0;
}

static void touch(struct trace_flow *f, int64_t time)
{
    if (f->t_first < 0 || time < f->t_first)
        f->t_first = time;
    if (time > f->t_last)
        f->t_last = time;
}

#define MAX_FIELDS 8

static int record(struct trace *t, char **f, int nf, int line, struct trace_error *err)
{
    static const struct {
        char type;
        int nfields;
    } shapes[] = {{'L', 3}, {'F', 4}, {'M', 7}, {'N', 5}, {'R', 5}};
    int want = -1;
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
        if (f[0][0] == shapes[i].type && f[0][1] == '\0')
            want = shapes[i].nfields;
    if (want < 0)
        return fail(err, CWMP_ERR_PARSE, line, "unknown record type '%.8s'", f[0]);
    if (nf != want)
        return fail(err, CWMP_ERR_PARSE, line, "record %c needs %d fields, found %d", f[0][0],
                    want - 1, nf - 1);
    for (int i = 1; i < nf; i++)
        if (unescape(f[i]))
            return fail(err, CWMP_ERR_PARSE, line, "bad escape in field %d", i);
    int rv = CWMP_ERR_INTERNAL;
    size_t flow = 0, a = 0, b = 0;
    int64_t time = 0;
    switch (f[0][0]) {
    case 'L':
        if (!f[1][0])
            return fail(err, CWMP_ERR_PARSE, line, "empty lane id");
        if (!t->explicit_lanes_) { /* the first L replaces the default lanes */
            t->explicit_lanes_ = 1;
            t->nlanes = 0;
        }
        for (size_t i = 0; i < t->nlanes; i++)
            if (!strcmp(t->lanes[i].id, f[1]))
                return fail(err, CWMP_ERR_PARSE, line, "lane '%s' declared twice", f[1]);
        if (t->nlanes >= TRACE_MAX_LANES)
            return fail(err, CWMP_ERR_LIMIT, line, "more than %d lanes", TRACE_MAX_LANES);
        t->lanes[t->nlanes++] = (struct trace_lane){f[1], f[2][0] ? f[2] : f[1]};
        return 0;
    case 'F':
        if (!f[1][0])
            return fail(err, CWMP_ERR_PARSE, line, "empty flow id");
        if ((rv = flow_index(t, f[1], &flow)))
            break;
        t->flows[flow].clause = f[2];
        t->flows[flow].title = f[3];
        return 0;
    default: break;
    }
    if (f[0][0] != 'F') {
        if (parse_time(f[1], &time))
            return fail(err, CWMP_ERR_PARSE, line, "time must be milliseconds (digits)");
        if (!f[2][0])
            return fail(err, CWMP_ERR_PARSE, line, "empty flow id");
        if ((rv = flow_index(t, f[2], &flow)))
            return fail(err, rv, line, rv == CWMP_ERR_LIMIT ? "too many flows" : "out of memory");
        struct trace_flow *fl = &t->flows[flow];
        touch(fl, time);
        struct trace_event e = {TRACE_MESSAGE, time, flow, 0, 0, "", "", line};
        switch (f[0][0]) {
        case 'M':
            if (!f[3][0] || !f[4][0])
                return fail(err, CWMP_ERR_PARSE, line, "empty lane id");
            if ((rv = lane_index(t, f[3], &a)) || (rv = lane_index(t, f[4], &b)))
                return fail(err, rv, line, "more than %d lanes", TRACE_MAX_LANES);
            e.from = a;
            e.to = b;
            e.label = f[5];
            e.cwmp_id = f[6];
            fl->nmessages++;
            break;
        case 'N':
            if (!f[3][0])
                return fail(err, CWMP_ERR_PARSE, line, "empty lane id");
            if ((rv = lane_index(t, f[3], &a)))
                return fail(err, rv, line, "more than %d lanes", TRACE_MAX_LANES);
            e.kind = TRACE_NOTE;
            e.from = e.to = a;
            e.label = f[4];
            break;
        case 'R':
            if (!strcmp(f[3], "ok"))
                fl->result = 1;
            else if (!strcmp(f[3], "fail"))
                fl->result = 0;
            else
                return fail(err, CWMP_ERR_PARSE, line, "result must be ok or fail");
            fl->detail = f[4];
            return 0;
        }
        if (add_event(t, &e))
            return fail(err, CWMP_ERR_NOMEM, line, "out of memory");
        return 0;
    }
    return fail(err, rv, line, rv == CWMP_ERR_LIMIT ? "too many flows" : "out of memory");
}

int trace_parse(const char *text, size_t len, const struct cwmp_allocator *alloc,
                struct trace **out, struct trace_error *err)
{
    if (err)
        memset(err, 0, sizeof(*err));
    if (out)
        *out = NULL;
    if (!out || (!text && len))
        return fail(err, CWMP_ERR_INVALID_ARG, 0, "invalid argument");
    if (len > TRACE_MAX_BYTES)
        return fail(err, CWMP_ERR_LIMIT, 0, "trace larger than %d bytes", TRACE_MAX_BYTES);
    struct trace *t = ex_calloc(alloc, 1, sizeof(*t));
    if (!t)
        return fail(err, CWMP_ERR_NOMEM, 0, "out of memory");
    t->alloc = alloc;
    int rv = 0;
    t->storage_ = ex_strndup(alloc, text ? text : "", len);
    if (!t->storage_) {
        rv = fail(err, CWMP_ERR_NOMEM, 0, "out of memory");
        goto done;
    }
    memcpy(t->lanes, default_lanes, sizeof(default_lanes));
    t->nlanes = sizeof(default_lanes) / sizeof(default_lanes[0]);
    char *s = t->storage_;
    size_t pos = 0;
    int line = 1;
    int header = 0;
    while (pos < len) {
        char *nl = memchr(s + pos, '\n', len - pos);
        size_t end = nl ? (size_t) (nl - s) : len;
        size_t n = end - pos;
        if (n && s[pos + n - 1] == '\r')
            n--;
        if (!ex_text_ok(s + pos, n) || memchr(s + pos, '\r', n) || memchr(s + pos, '\n', n)) {
            rv = fail(err, CWMP_ERR_ENCODING, line, "not UTF-8, or a control character");
            goto done;
        }
        s[pos + n] = '\0';
        char *l = s + pos;
        if (!header) {
            if (strcmp(l, "#cwmp-trace 1") != 0) {
                rv = fail(err, CWMP_ERR_PARSE, line, "first line must be '#cwmp-trace 1'");
                goto done;
            }
            header = 1;
        } else if (l[0] != '\0' && l[0] != '#') {
            char *f[MAX_FIELDS];
            int nf = 0;
            f[nf++] = l;
            for (char *c = l; *c; c++) {
                if (*c == '\t') {
                    *c = '\0';
                    if (nf == MAX_FIELDS) {
                        rv = fail(err, CWMP_ERR_PARSE, line, "too many fields");
                        goto done;
                    }
                    f[nf++] = c + 1;
                }
            }
            if ((rv = record(t, f, nf, line, err)))
                goto done;
        }
        pos = end + 1;
        line++;
    }
    if (!header)
        rv = fail(err, CWMP_ERR_PARSE, 1, "first line must be '#cwmp-trace 1'");
done:
    if (rv) {
        trace_free(t);
        return rv;
    }
    *out = t;
    return 0;
}

/* ---- writing ------------------------------------------------------------- */

static void field(struct ex_buf *b, const char *s)
{
    ex_buf_add(b, "\t", 1);
    if (!s)
        return;
    size_t start = 0, i = 0;
    for (; s[i]; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '\\': rep = "\\\\"; break;
        case '\t': rep = "\\t"; break;
        case '\n': rep = "\\n"; break;
        case '\r': rep = "\\r"; break;
        default: break;
        }
        if (rep) {
            ex_buf_add(b, s + start, i - start);
            ex_buf_puts(b, rep);
            start = i + 1;
        }
    }
    ex_buf_add(b, s + start, i - start);
}

void trace_write_header(struct ex_buf *b)
{
    ex_buf_puts(b, "#cwmp-trace 1\n");
}

void trace_write_lane(struct ex_buf *b, const char *id, const char *label)
{
    ex_buf_puts(b, "L");
    field(b, id);
    field(b, label);
    ex_buf_puts(b, "\n");
}

void trace_write_flow(struct ex_buf *b, const char *id, const char *clause, const char *title)
{
    ex_buf_puts(b, "F");
    field(b, id);
    field(b, clause);
    field(b, title);
    ex_buf_puts(b, "\n");
}

void trace_write_message(struct ex_buf *b, int64_t time_ms, const char *flow, const char *from,
                         const char *to, const char *label, const char *cwmp_id)
{
    ex_buf_printf(b, "M\t%lld", (long long) (time_ms < 0 ? 0 : time_ms));
    field(b, flow);
    field(b, from);
    field(b, to);
    field(b, label);
    field(b, cwmp_id);
    ex_buf_puts(b, "\n");
}

void trace_write_note(struct ex_buf *b, int64_t time_ms, const char *flow, const char *lane,
                      const char *text)
{
    ex_buf_printf(b, "N\t%lld", (long long) (time_ms < 0 ? 0 : time_ms));
    field(b, flow);
    field(b, lane);
    field(b, text);
    ex_buf_puts(b, "\n");
}

void trace_write_result(struct ex_buf *b, int64_t time_ms, const char *flow, int ok,
                        const char *detail)
{
    ex_buf_printf(b, "R\t%lld", (long long) (time_ms < 0 ? 0 : time_ms));
    field(b, flow);
    field(b, ok ? "ok" : "fail");
    field(b, detail);
    ex_buf_puts(b, "\n");
}
