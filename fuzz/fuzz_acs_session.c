/*
 * libcwmp fuzz target: an ACS session fed CPE bodies from the input (pieces
 * separated by the line "%%"; an empty piece is an empty POST). The ACS has
 * two requests queued so every phase is reachable.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <string.h>

#include <cwmp/acs.h>

struct ctx {
    int sent;
};

static int next_request(struct cwmp_acs_session *s, struct cwmp_acs_request *req, void *u)
{
    static const char *const names[] = {"Device."};
    struct ctx *c = cwmp_acs_session_get_user(s);
    (void) u;
    if (!c || c->sent >= 2)
        return 0;
    req->rpc.method = c->sent++ ? CWMP_METHOD_GET_RPC_METHODS : CWMP_METHOD_GET_PARAMETER_VALUES;
    req->rpc.u.get_parameter_values.names = names;
    req->rpc.u.get_parameter_values.name_count = 1;
    return 1;
}

static int inform(struct cwmp_acs_session *s, const struct cwmp_envelope *env, void *u)
{
    (void) u;
    cwmp_acs_session_set_hold_requests(s, env->rpc.u.inform.event_count > 1);
    return env->rpc.u.inform.retry_count == 7 ? 8002 : 0;
}

static int cpe_request(struct cwmp_acs_session *s, const struct cwmp_rpc *req,
                       struct cwmp_rpc *resp, void *u)
{
    (void) s;
    (void) u;
    if (req->method == CWMP_METHOD_KICKED)
        resp->u.kicked_response.next_url = "http://x/";
    return req->method == CWMP_METHOD_REQUEST_DOWNLOAD ? 8005 : 0;
}

static const char *next_piece(const char **p, const char *end, size_t *len)
{
    const char *s = *p, *q = s;
    while (q + 4 <= end && memcmp(q, "\n%%\n", 4) != 0)
        q++;
    if (q + 4 > end)
        q = end;
    *len = (size_t) (q - s);
    *p = q == end ? end : q + 4;
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cwmp_acs_callbacks cb;
    struct cwmp_acs_config cfg;
    struct cwmp_acs_session *s;
    struct ctx c = {0};
    const char *p = (const char *) data, *end = p + size;
    int64_t now = 0;

    memset(&cb, 0, sizeof(cb));
    cb.inform = inform;
    cb.next_request = next_request;
    cb.cpe_request = cpe_request;
    memset(&cfg, 0, sizeof(cfg));
    cfg.callbacks = &cb;
    if (cwmp_acs_session_new(&s, &cfg, now) != 0)
        return 0;
    cwmp_acs_session_set_user(s, &c);
    while (p < end && !cwmp_acs_session_done(s)) {
        size_t len;
        const char *out, *body = next_piece(&p, end, &len);
        now += 10;
        cwmp_acs_session_handle_timeout(s, now);
        if (cwmp_acs_session_recv(s, body, len) < 0)
            break;
        if (cwmp_acs_session_want_send(s) && cwmp_acs_session_send(s, &out, &len) != 0)
            break;
    }
    cwmp_acs_session_abort(s);
    cwmp_acs_session_free(s);
    return 0;
}
