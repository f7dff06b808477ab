/*
 * libcwmp - helpers shared by the CPE and ACS session engines: trace
 * summaries, version negotiation text, dateTime conversion.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>

#include <cwmp/types.h>

#include "session_internal.h"

static const char *const result_names[] = {"ok",       "aborted", "timeout",
                                           "protocol", "fault",   "internal"};

const char *cwmp_session_result_string(enum cwmp_session_result r)
{
    if ((int) r < 0 || (size_t) r >= CWMP_ARRAY_SIZE(result_names))
        return "unknown";
    return result_names[r];
}

static size_t param_count(const struct cwmp_rpc *r)
{
    switch (r->method) {
    case CWMP_METHOD_INFORM: return r->kind == CWMP_RPC_REQUEST ? r->u.inform.param_count : 0;
    case CWMP_METHOD_GET_PARAMETER_VALUES:
        return r->kind == CWMP_RPC_REQUEST ? r->u.get_parameter_values.name_count
                                           : r->u.get_parameter_values_response.param_count;
    case CWMP_METHOD_SET_PARAMETER_VALUES:
        return r->kind == CWMP_RPC_REQUEST ? r->u.set_parameter_values.param_count : 0;
    case CWMP_METHOD_GET_PARAMETER_NAMES:
        return r->kind == CWMP_RPC_RESPONSE ? r->u.get_parameter_names_response.param_count : 0;
    case CWMP_METHOD_GET_PARAMETER_ATTRIBUTES:
        return r->kind == CWMP_RPC_REQUEST ? r->u.get_parameter_attributes.name_count
                                           : r->u.get_parameter_attributes_response.param_count;
    case CWMP_METHOD_SET_PARAMETER_ATTRIBUTES:
        return r->kind == CWMP_RPC_REQUEST ? r->u.set_parameter_attributes.param_count : 0;
    default: return 0;
    }
}

void cwmp__trace(cwmp_trace_fn fn, void *user, enum cwmp_trace_dir dir,
                 const struct cwmp_envelope *env, size_t bytes)
{
    struct cwmp_trace t;
    const char *ev[64];

    if (!fn)
        return;
    memset(&t, 0, sizeof(t));
    t.dir = dir;
    t.bytes = bytes;
    t.envelope = env;
    if (!env) {
        t.empty = true;
        t.method_name = "";
        fn(&t, user);
        return;
    }
    t.kind = env->rpc.kind;
    t.method = env->rpc.method;
    t.id = env->header.id;
    t.hold_requests = env->header.has_hold_requests && env->header.hold_requests;
    if (env->rpc.kind == CWMP_RPC_FAULT) {
        t.method_name = "Fault";
        t.fault_code = env->rpc.u.fault.code;
    } else if (env->rpc.method == CWMP_METHOD_VENDOR) {
        t.method_name = env->rpc.u.vendor.name ? env->rpc.u.vendor.name : "";
    } else {
        t.method_name = cwmp_method_name(env->rpc.method);
    }
    t.param_count = param_count(&env->rpc);
    if (env->rpc.kind == CWMP_RPC_REQUEST && env->rpc.method == CWMP_METHOD_INFORM) {
        size_t n = env->rpc.u.inform.event_count;
        if (n > CWMP_ARRAY_SIZE(ev))
            n = CWMP_ARRAY_SIZE(ev);
        for (size_t i = 0; i < n; i++)
            ev[i] = env->rpc.u.inform.events[i].code;
        t.events = ev;
        t.event_count = n;
    }
    if (env->rpc.kind == CWMP_RPC_REQUEST && env->rpc.method == CWMP_METHOD_TRANSFER_COMPLETE)
        t.fault_code = env->rpc.u.transfer_complete.fault.code;
    fn(&t, user);
}

int cwmp__parse_version(const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len != 3 || s[0] != '1' || s[1] != '.' || s[2] < '0' || s[2] > '4')
        return -1;
    return s[2] - '0';
}

int cwmp__best_version(const char *list, enum cwmp_version max)
{
    int best = -1;
    const char *p = list;

    if (!list)
        return -1;
    while (*p) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t) (c - p) : strlen(p);
        int v = cwmp__parse_version(p, n);
        if (v >= 0 && v <= (int) max && v > best)
            best = v;
        p += n;
        if (*p == ',')
            p++;
    }
    return best;
}

static const char *const supported_text[] = {"1.0", "1.0,1.1", "1.0,1.1,1.2", "1.0,1.1,1.2,1.3",
                                             "1.0,1.1,1.2,1.3,1.4"};

const char *cwmp__supported_versions(enum cwmp_version max)
{
    if ((int) max < 0 || (size_t) max >= CWMP_ARRAY_SIZE(supported_text))
        max = CWMP_V1_4;
    return supported_text[max];
}

const char *cwmp__arena_datetime(struct cwmp_arena *ar, int64_t ms)
{
    struct cwmp_datetime dt;
    char buf[48];

    if (ms <= 0)
        return "0001-01-01T00:00:00Z";
    cwmp_datetime_from_unix(ms / 1000, 0, &dt);
    if (cwmp_datetime_format(&dt, buf, sizeof(buf)) < 0)
        return "0001-01-01T00:00:00Z";
    return cwmp__arena_strdup(ar, buf);
}

int64_t cwmp__datetime_ms(const char *s)
{
    struct cwmp_datetime dt;

    if (!s || cwmp_datetime_parse(s, strlen(s), &dt) != 0 || cwmp_datetime_is_unknown(&dt) ||
        cwmp_datetime_is_relative(&dt))
        return 0;
    return cwmp_datetime_to_unix(&dt) * 1000 + dt.microsecond / 1000;
}

void cwmp__detail(char *buf, size_t size, cwmp_log_fn log, void *log_user, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    if (log)
        log(CWMP_LOG_INFO, buf, log_user);
}
