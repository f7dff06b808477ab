/*
 * libcwmp examples - the control commands of the example agent.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "agentctl.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cwmp/error.h>

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int
fail(char *err, size_t errlen, int rv, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return rv;
}

static const char *skip_blank(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* Reads a bare word [a-z-] into w. */
static const char *word(const char *p, char *w, size_t n)
{
    size_t i = 0;
    while (((*p >= 'a' && *p <= 'z') || *p == '-') && i + 1 < n)
        w[i++] = *p++;
    w[i] = '\0';
    return p;
}

/* Reads a value: "quoted" (with \" and \\) or bare up to a blank.
 * Returns NULL on error (message in err). */
static const char *value(const char *p, char *v, size_t n, char *err, size_t errlen)
{
    size_t i = 0;
    if (*p == '"') {
        p++;
        for (;;) {
            if (*p == '\0') {
                fail(err, errlen, 0, "unterminated quoted value");
                return NULL;
            }
            if (*p == '"') {
                p++;
                break;
            }
            if (*p == '\\') {
                if (p[1] != '"' && p[1] != '\\') {
                    fail(err, errlen, 0, "only \\\" and \\\\ escapes are allowed");
                    return NULL;
                }
                p++;
            }
            if (i + 1 >= n) {
                fail(err, errlen, 0, "value longer than %zu bytes", n - 1);
                return NULL;
            }
            v[i++] = *p++;
        }
        if (*p != '\0' && *p != ' ' && *p != '\t') {
            fail(err, errlen, 0, "text after a closing quote");
            return NULL;
        }
    } else {
        while (*p && *p != ' ' && *p != '\t') {
            if (*p == '"') {
                fail(err, errlen, 0, "quote inside a bare value");
                return NULL;
            }
            if (i + 1 >= n) {
                fail(err, errlen, 0, "value longer than %zu bytes", n - 1);
                return NULL;
            }
            v[i++] = *p++;
        }
    }
    v[i] = '\0';
    if (!ex_text_ok(v, i) || strpbrk(v, "\t\r\n")) {
        fail(err, errlen, 0, "value is not UTF-8 text");
        return NULL;
    }
    return p;
}

static int severity_ok(const char *s)
{
    static const char *const ok[] = {"Critical", "Major", "Minor", "Warning", "Indeterminate"};
    for (size_t i = 0; i < 5; i++)
        if (!strcmp(s, ok[i]))
            return 1;
    return 0;
}

int agent_ctl_parse(const char *line, struct agent_ctl_req *req, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!line || !req)
        return fail(err, errlen, CWMP_ERR_INVALID_ARG, "invalid argument");
    memset(req, 0, sizeof(*req));
    size_t len = strlen(line);
    if (len && line[len - 1] == '\n')
        len--;
    if (len && line[len - 1] == '\r')
        len--;
    if (len > AGENT_CTL_MAX_LINE)
        return fail(err, errlen, CWMP_ERR_LIMIT, "line longer than %d bytes", AGENT_CTL_MAX_LINE);
    char buf[AGENT_CTL_MAX_LINE + 1];
    memcpy(buf, line, len);
    buf[len] = '\0';
    if (memchr(buf, '\n', len) || memchr(buf, '\r', len))
        return fail(err, errlen, CWMP_ERR_PARSE, "one command per line");
    char cmd[16], sub[16];
    const char *p = word(skip_blank(buf), cmd, sizeof(cmd));
    p = skip_blank(p);
    if (!strcmp(cmd, "reboot") || !strcmp(cmd, "inform") || !strcmp(cmd, "status")) {
        req->cmd = cmd[0] == 'r'   ? AGENT_CTL_REBOOT
                   : cmd[0] == 'i' ? AGENT_CTL_INFORM
                                   : AGENT_CTL_STATUS;
        return *p ? fail(err, errlen, CWMP_ERR_PARSE, "'%s' takes no argument", cmd) : 0;
    }
    if (!strcmp(cmd, "ip-change")) {
        req->cmd = AGENT_CTL_IP_CHANGE;
        p = value(p, req->address, sizeof(req->address), err, errlen);
        if (!p)
            return CWMP_ERR_BAD_VALUE;
        unsigned char bin[16];
        if (inet_pton(AF_INET, req->address, bin) != 1 &&
            inet_pton(AF_INET6, req->address, bin) != 1)
            return fail(err, errlen, CWMP_ERR_BAD_VALUE, "'%s' is not an IP address", req->address);
        return *skip_blank(p) ? fail(err, errlen, CWMP_ERR_PARSE, "text after the address") : 0;
    }
    if (strcmp(cmd, "alarm") != 0)
        return fail(err, errlen, CWMP_ERR_PARSE,
                    "unknown command (ip-change, alarm, reboot, inform, status)");
    p = skip_blank(word(p, sub, sizeof(sub)));
    if (!strcmp(sub, "raise"))
        req->cmd = AGENT_CTL_ALARM_RAISE;
    else if (!strcmp(sub, "clear"))
        req->cmd = AGENT_CTL_ALARM_CLEAR;
    else
        return fail(err, errlen, CWMP_ERR_PARSE, "expected 'alarm raise' or 'alarm clear'");
    unsigned seen = 0;
    while (*p) {
        char key[16];
        p = word(p, key, sizeof(key));
        if (*p != '=')
            return fail(err, errlen, CWMP_ERR_PARSE, "expected key=value");
        p++;
        static const char *const keys[] = {"cause", "severity", "type", "problem",
                                           "text",  "object",   "id"};
        int k = -1;
        for (int i = 0; i < 7; i++)
            if (!strcmp(key, keys[i]))
                k = i;
        int raise = req->cmd == AGENT_CTL_ALARM_RAISE;
        if (k < 0 || (raise && k == 6) || (!raise && k != 0 && k != 6))
            return fail(err, errlen, CWMP_ERR_PARSE, "unknown key '%s' for alarm %s", key,
                        raise ? "raise" : "clear");
        if (seen & (1u << k))
            return fail(err, errlen, CWMP_ERR_PARSE, "'%s' given twice", key);
        seen |= 1u << k;
        char *dst[] = {req->cause, req->severity, req->type, req->problem,
                       req->text,  req->object,   req->id};
        size_t cap[] = {sizeof(req->cause),   sizeof(req->severity), sizeof(req->type),
                        sizeof(req->problem), sizeof(req->text),     sizeof(req->object),
                        sizeof(req->id)};
        p = value(p, dst[k], cap[k], err, errlen);
        if (!p)
            return CWMP_ERR_BAD_VALUE;
        p = skip_blank(p);
    }
    if (req->cmd == AGENT_CTL_ALARM_RAISE) {
        if (!req->cause[0])
            return fail(err, errlen, CWMP_ERR_PARSE, "alarm raise needs cause=\"...\"");
        if (!req->severity[0])
            snprintf(req->severity, sizeof(req->severity), "Major");
        if (!severity_ok(req->severity))
            return fail(err, errlen, CWMP_ERR_BAD_VALUE,
                        "severity: Critical, Major, Minor, Warning or Indeterminate");
    } else if (!req->cause[0] == !req->id[0]) {
        return fail(err, errlen, CWMP_ERR_PARSE, "alarm clear needs cause=\"...\" or id=...");
    }
    return 0;
}

static void put_value(struct ex_buf *out, const char *key, const char *v)
{
    if (!v[0])
        return;
    ex_buf_printf(out, " %s=\"", key);
    for (const char *c = v; *c; c++) {
        if (*c == '"' || *c == '\\')
            ex_buf_add(out, "\\", 1);
        ex_buf_add(out, c, 1);
    }
    ex_buf_add(out, "\"", 1);
}

void agent_ctl_format(const struct agent_ctl_req *req, struct ex_buf *out)
{
    switch (req->cmd) {
    case AGENT_CTL_IP_CHANGE: ex_buf_printf(out, "ip-change %s\n", req->address); return;
    case AGENT_CTL_REBOOT: ex_buf_puts(out, "reboot\n"); return;
    case AGENT_CTL_INFORM: ex_buf_puts(out, "inform\n"); return;
    case AGENT_CTL_STATUS: ex_buf_puts(out, "status\n"); return;
    case AGENT_CTL_ALARM_RAISE:
    case AGENT_CTL_ALARM_CLEAR:
        if (req->cmd == AGENT_CTL_ALARM_RAISE) {
            ex_buf_puts(out, "alarm raise");
            put_value(out, "cause", req->cause);
            put_value(out, "severity", req->severity);
            put_value(out, "type", req->type);
            put_value(out, "problem", req->problem);
            put_value(out, "text", req->text);
            put_value(out, "object", req->object);
        } else {
            ex_buf_puts(out, "alarm clear");
            put_value(out, "cause", req->cause);
            put_value(out, "id", req->id);
        }
        ex_buf_puts(out, "\n");
        return;
    }
}
