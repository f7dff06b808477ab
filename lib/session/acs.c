/*
 * libcwmp - the ACS session engine: one small object per CPE session
 * driven by the ACS transition table (fsm.c).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>

#include <cwmp/acs.h>

#include "fsm.h"
#include "session_internal.h"

struct cwmp_acs_session {
    const struct cwmp_acs_config *cfg;
    const struct cwmp_allocator *alloc;
    struct cwmp_encoder *enc; /* created at the first send */
    struct cwmp_envelope *in_env;
    struct cwmp_envelope resp;
    void *user;
    int64_t now, last_io;
    uint64_t req_tag;
    uint32_t id_counter, nreq, cpe_timeout;
    enum cwmp_method req_method;
    enum cwmp_version version;
    enum cwmp_session_result result;
    uint8_t phase, resp_input;
    bool hold, hold_sent, released, enc_borrowed;
    char req_id[24];
    char detail[96];
};

static const char *const acs_methods[] = {
    "Inform",          "GetRPCMethods", "TransferComplete",      "AutonomousTransferComplete",
    "RequestDownload", "Kicked",        "DUStateChangeComplete", "AutonomousDUStateChangeComplete",
};

static const struct cwmp_acs_callbacks *cbs(const struct cwmp_acs_session *s)
{
    return s->cfg->callbacks;
}

static void acs_log(struct cwmp_acs_session *s, const char *fmt, ...) CWMP_PRINTF(2, 3);
static void acs_log(struct cwmp_acs_session *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->detail, sizeof(s->detail), fmt, ap);
    va_end(ap);
    if (s->cfg->log)
        s->cfg->log(CWMP_LOG_INFO, s->detail, s->cfg->log_user_data);
}

int cwmp_acs_session_use_encoder(struct cwmp_acs_session *s, struct cwmp_encoder *enc)
{
    if (!s || !enc)
        return CWMP_ERR_INVALID_ARG;
    if (s->enc)
        return CWMP_ERR_STATE;
    s->enc = enc;
    s->enc_borrowed = true;
    return 0;
}

size_t cwmp_acs_session_size(void)
{
    return sizeof(struct cwmp_acs_session);
}

int cwmp_acs_session_new(struct cwmp_acs_session **out, const struct cwmp_acs_config *cfg,
                         int64_t now_ms)
{
    struct cwmp_acs_session *s;
    const struct cwmp_allocator *a;

    if (!out)
        return CWMP_ERR_INVALID_ARG;
    *out = NULL;
    if (!cfg)
        return CWMP_ERR_INVALID_ARG;
    a = cwmp__alloc_or_default(cfg->allocator);
    s = cwmp__calloc(a, 1, sizeof(*s));
    if (!s)
        return CWMP_ERR_NOMEM;
    s->cfg = cfg;
    s->alloc = a;
    s->now = s->last_io = now_ms;
    s->phase = ACS_WAIT_INFORM;
    s->version = CWMP_V1_0;
    *out = s;
    return 0;
}

static void clear_in(struct cwmp_acs_session *s)
{
    cwmp_envelope_free(s->in_env);
    s->in_env = NULL;
    memset(&s->resp, 0, sizeof(s->resp));
}

void cwmp_acs_session_free(struct cwmp_acs_session *s)
{
    if (!s)
        return;
    clear_in(s);
    if (!s->enc_borrowed)
        cwmp_encoder_free(s->enc);
    cwmp__free(s->alloc, s);
}

static int fsm(struct cwmp_acs_session *s, enum cwmp__acs_input in)
{
    const struct cwmp__trans *t = &cwmp__acs_fsm[s->phase][in];
    if (t->act == ACT_ILLEGAL) {
        acs_log(s, "acs: %s not allowed in phase %s", cwmp__acs_input_names[in],
                cwmp__acs_phase_names[s->phase]);
        return CWMP_ERR_STATE;
    }
    s->phase = t->next;
    return t->act;
}

static void finish(struct cwmp_acs_session *s, enum cwmp_session_result r, int detail)
{
    clear_in(s);
    s->result = r;
    if (r != CWMP_SESSION_OK)
        acs_log(s, "acs: session failed (%s, %d)", cwmp_session_result_string(r), detail);
    if (cbs(s) && cbs(s)->session_end)
        cbs(s)->session_end(s, r, detail, cbs(s)->user_data);
}

static int fail(struct cwmp_acs_session *s, enum cwmp__acs_input in, enum cwmp_session_result r,
                int detail)
{
    int act = fsm(s, in);
    if (act == CWMP_ERR_STATE)
        return act;
    finish(s, r, detail);
    return r == CWMP_SESSION_TIMEOUT ? CWMP_ERR_TIMEOUT : CWMP_ERR_PROTOCOL;
}

void cwmp_acs_session_abort(struct cwmp_acs_session *s)
{
    if (!s || s->phase == ACS_DONE || s->phase == ACS_FAILED)
        return;
    if (s->released && s->phase == ACS_CPE_REQS) {
        /* after the empty body that lifted HoldRequests a CPE with nothing
         * to send closes the connection: a normal end */
        s->phase = ACS_DONE;
        finish(s, CWMP_SESSION_OK, 0);
        return;
    }
    (void) fail(s, ACS_IN_ABORT, CWMP_SESSION_ABORTED, 0);
}

bool cwmp_acs_session_want_send(const struct cwmp_acs_session *s)
{
    return s &&
           (s->phase == ACS_INFORM_RESP || s->phase == ACS_CPE_REQ_RESP || s->phase == ACS_TURN);
}

bool cwmp_acs_session_done(const struct cwmp_acs_session *s)
{
    return !s || s->phase == ACS_DONE || s->phase == ACS_FAILED;
}

enum cwmp_session_result cwmp_acs_session_result(const struct cwmp_acs_session *s)
{
    return s ? s->result : CWMP_SESSION_INTERNAL;
}

int64_t cwmp_acs_session_next_deadline(const struct cwmp_acs_session *s)
{
    uint32_t t;
    if (!s || cwmp_acs_session_done(s) || cwmp_acs_session_want_send(s))
        return -1;
    t = s->cfg->session_timeout_s ? s->cfg->session_timeout_s : 60;
    return s->last_io + (int64_t) t * 1000;
}

int cwmp_acs_session_handle_timeout(struct cwmp_acs_session *s, int64_t now_ms)
{
    int64_t dl;
    if (!s)
        return CWMP_ERR_INVALID_ARG;
    s->now = now_ms;
    dl = cwmp_acs_session_next_deadline(s);
    if (dl >= 0 && now_ms >= dl)
        return fail(s, ACS_IN_TIMEOUT, CWMP_SESSION_TIMEOUT, CWMP_ERR_TIMEOUT);
    return 0;
}

void cwmp_acs_session_set_hold_requests(struct cwmp_acs_session *s, bool hold)
{
    if (s)
        s->hold = hold;
}

void cwmp_acs_session_set_user(struct cwmp_acs_session *s, void *user)
{
    if (s)
        s->user = user;
}

void *cwmp_acs_session_get_user(const struct cwmp_acs_session *s)
{
    return s ? s->user : NULL;
}

enum cwmp_version cwmp_acs_session_version(const struct cwmp_acs_session *s)
{
    return s ? s->version : CWMP_V1_0;
}

uint32_t cwmp_acs_session_cpe_timeout(const struct cwmp_acs_session *s)
{
    return s ? s->cpe_timeout : 0;
}

const char *cwmp_acs_session_error_detail(const struct cwmp_acs_session *s)
{
    return s ? s->detail : "";
}

/* ---- receiving ------------------------------------------------------------- */

static void set_fault(struct cwmp_acs_session *s, uint32_t code)
{
    s->resp.rpc.kind = CWMP_RPC_FAULT;
    s->resp.rpc.method = CWMP_METHOD_UNKNOWN;
    memset(&s->resp.rpc.u, 0, sizeof(s->resp.rpc.u));
    s->resp.rpc.u.fault.code = code;
    s->resp_input = ACS_IN_SEND_FAULT;
}

static enum cwmp_version max_version(const struct cwmp_acs_session *s)
{
    enum cwmp_version m = s->cfg->limit_version ? s->cfg->max_version : CWMP_V1_4;
    return m > CWMP_V1_4 ? CWMP_V1_4 : m;
}

static void on_inform(struct cwmp_acs_session *s)
{
    const struct cwmp_envelope *env = s->in_env;
    enum cwmp_version max = max_version(s);
    int rv = 0;

    s->resp.header.id = env->header.id;
    s->resp.rpc.method = CWMP_METHOD_INFORM;
    s->resp.rpc.kind = CWMP_RPC_RESPONSE;
    s->resp.rpc.u.inform_response.max_envelopes = 1;
    s->resp_input = ACS_IN_SEND_INFORM_RESPONSE;
    if (env->header.has_session_timeout)
        s->cpe_timeout = env->header.session_timeout;
    if (env->header.supported_cwmp_versions) {
        int best = cwmp__best_version(env->header.supported_cwmp_versions, max);
        if (best < 0) {
            s->version = env->version < max ? env->version : max;
            s->resp.version = s->version;
            set_fault(s, CWMP_FAULT_ACS_VERSION_INCOMPATIBLE);
            return;
        }
        s->version = (enum cwmp_version) best;
        if (best >= CWMP_V1_2) {
            s->resp.version = CWMP_V1_4;
            s->resp.header.use_cwmp_version = cwmp_version_string(s->version);
        } else {
            s->resp.version = s->version;
        }
    } else {
        s->version = env->version < max ? env->version : max;
        s->resp.version = s->version;
    }
    if (cbs(s) && cbs(s)->inform)
        rv = cbs(s)->inform(s, env, cbs(s)->user_data);
    if (rv != 0) {
        set_fault(s, rv > 0 ? (uint32_t) rv : CWMP_FAULT_ACS_INTERNAL_ERROR);
        return;
    }
    if (s->hold) {
        s->resp.header.has_hold_requests = true;
        s->resp.header.hold_requests = true;
    }
}

static void on_cpe_request(struct cwmp_acs_session *s)
{
    const struct cwmp_envelope *env = s->in_env;
    int rv = 0;

    s->resp.version = s->version;
    s->resp.header.id = env->header.id;
    s->resp.rpc.method = env->rpc.method;
    s->resp.rpc.kind = CWMP_RPC_RESPONSE;
    s->resp_input = ACS_IN_SEND_RESPONSE;
    if (s->hold) {
        s->resp.header.has_hold_requests = true;
        s->resp.header.hold_requests = true;
    }
    if (env->rpc.method == CWMP_METHOD_INFORM) {
        set_fault(s, CWMP_FAULT_ACS_REQUEST_DENIED);
        return;
    }
    if (env->rpc.method == CWMP_METHOD_KICKED)
        s->resp.rpc.u.kicked_response.next_url = ""; /* unless the app gives one */
    if (env->rpc.method == CWMP_METHOD_GET_RPC_METHODS) {
        s->resp.rpc.u.get_rpc_methods_response.methods = acs_methods;
        s->resp.rpc.u.get_rpc_methods_response.method_count = CWMP_ARRAY_SIZE(acs_methods);
    } else if (env->rpc.method == CWMP_METHOD_VENDOR) {
        s->resp.rpc.u.vendor.name = env->rpc.u.vendor.name;
        s->resp.rpc.u.vendor.ns = env->rpc.u.vendor.ns;
        s->resp.rpc.u.vendor.xml = "";
        if (!cbs(s) || !cbs(s)->cpe_request) {
            set_fault(s, CWMP_FAULT_ACS_METHOD_NOT_SUPPORTED);
            return;
        }
    } else if (cwmp_method_is_cpe_method(env->rpc.method)) {
        /* a method the CPE implements sent to the ACS */
        set_fault(s, CWMP_FAULT_ACS_METHOD_NOT_SUPPORTED);
        return;
    }
    if (cbs(s) && cbs(s)->cpe_request)
        rv = cbs(s)->cpe_request(s, &env->rpc, &s->resp.rpc, cbs(s)->user_data);
    if (rv != 0)
        set_fault(s, rv > 0 ? (uint32_t) rv : CWMP_FAULT_ACS_INTERNAL_ERROR);
    else
        s->resp.rpc.kind = CWMP_RPC_RESPONSE;
}

int cwmp_acs_session_recv(struct cwmp_acs_session *s, const char *body, size_t len)
{
    struct cwmp_envelope *env = NULL;
    enum cwmp__acs_input in;
    char detail[128];
    int rv = 0, act;

    if (!s || (!body && len))
        return CWMP_ERR_INVALID_ARG;
    if (s->phase != ACS_WAIT_INFORM && s->phase != ACS_CPE_REQS && s->phase != ACS_RESP_WAIT) {
        acs_log(s, "acs: recv in phase %s", cwmp__acs_phase_names[s->phase]);
        return CWMP_ERR_STATE;
    }
    clear_in(s);
    s->last_io = s->now;
    if (len == 0) {
        in = ACS_IN_RECV_EMPTY;
        cwmp__trace(s->cfg->trace, s->cfg->trace_user_data, CWMP_TRACE_RECEIVED, NULL, 0);
    } else {
        struct cwmp_codec_options o;
        if (s->cfg->codec)
            o = *s->cfg->codec;
        else
            cwmp_codec_options_init(&o);
        o.allocator = s->alloc;
        detail[0] = '\0';
        rv = cwmp_envelope_decode(body, len, &o, &env, detail, sizeof(detail));
        if (rv) {
            acs_log(s, "acs: undecodable CPE message: %s", cwmp_strerror(rv));
            in = ACS_IN_RECV_INVALID;
        } else {
            s->in_env = env;
            cwmp__trace(s->cfg->trace, s->cfg->trace_user_data, CWMP_TRACE_RECEIVED, env, len);
            if (env->rpc.kind == CWMP_RPC_FAULT)
                in = ACS_IN_RECV_FAULT;
            else if (env->rpc.kind == CWMP_RPC_RESPONSE)
                in = ACS_IN_RECV_RESPONSE;
            else if (env->rpc.method == CWMP_METHOD_INFORM && s->phase == ACS_WAIT_INFORM)
                in = ACS_IN_RECV_INFORM;
            else
                in = ACS_IN_RECV_REQUEST;
            if ((in == ACS_IN_RECV_RESPONSE || in == ACS_IN_RECV_FAULT) &&
                s->phase == ACS_RESP_WAIT) {
                if (env->header.id && strcmp(env->header.id, s->req_id) != 0) {
                    acs_log(s, "acs: response ID does not match the request");
                    in = ACS_IN_RECV_INVALID;
                } else if (in == ACS_IN_RECV_RESPONSE && env->rpc.method != s->req_method) {
                    acs_log(s, "acs: %sResponse to a %s request", cwmp_method_name(env->rpc.method),
                            cwmp_method_name(s->req_method));
                    in = ACS_IN_RECV_INVALID;
                }
            }
        }
    }
    act = fsm(s, in);
    if (act == CWMP_ERR_STATE)
        return act;
    if (act == ACT_FAIL) {
        finish(s, CWMP_SESSION_PROTOCOL, rv);
        return CWMP_ERR_PROTOCOL;
    }
    switch (in) {
    case ACS_IN_RECV_INFORM: on_inform(s); break;
    case ACS_IN_RECV_REQUEST: on_cpe_request(s); break;
    case ACS_IN_RECV_RESPONSE:
    case ACS_IN_RECV_FAULT:
        if (cbs(s) && cbs(s)->response)
            cbs(s)->response(s, s->req_tag, &env->rpc, cbs(s)->user_data);
        break;
    default: break;
    }
    return 0;
}

/* ---- sending --------------------------------------------------------------- */

static int encode(struct cwmp_acs_session *s, const struct cwmp_envelope *env, const char **out,
                  size_t *len)
{
    int rv;
    if (!s->enc) {
        struct cwmp_codec_options o;
        if (s->cfg->codec)
            o = *s->cfg->codec;
        else
            cwmp_codec_options_init(&o);
        o.allocator = s->alloc;
        rv = cwmp_encoder_new(&s->enc, &o);
        if (rv)
            return rv;
    }
    rv = cwmp_encoder_encode(s->enc, env, out, len);
    if (rv) {
        acs_log(s, "acs: encoding failed: %s", cwmp_strerror(rv));
        return rv;
    }
    s->hold_sent = env->header.has_hold_requests && env->header.hold_requests;
    cwmp__trace(s->cfg->trace, s->cfg->trace_user_data, CWMP_TRACE_SENT, env, *len);
    s->last_io = s->now;
    return 0;
}

int cwmp_acs_session_send(struct cwmp_acs_session *s, const char **out, size_t *len)
{
    int rv, act;

    if (!s || !out || !len)
        return CWMP_ERR_INVALID_ARG;
    *out = NULL;
    *len = 0;
    if (s->phase == ACS_INFORM_RESP || s->phase == ACS_CPE_REQ_RESP) {
        enum cwmp__acs_input in = (enum cwmp__acs_input) s->resp_input;
        rv = encode(s, &s->resp, out, len);
        if (rv) {
            (void) fail(s, ACS_IN_FAIL, CWMP_SESSION_INTERNAL, rv);
            return rv;
        }
        act = fsm(s, in);
        if (act == ACT_FAIL) /* a rejected Inform */
            finish(s, CWMP_SESSION_FAULT, (int) s->resp.rpc.u.fault.code);
        return act < 0 ? act : 0;
    }
    if (s->phase != ACS_TURN) {
        acs_log(s, "acs: send in phase %s", cwmp__acs_phase_names[s->phase]);
        return CWMP_ERR_STATE;
    }
    clear_in(s);
    if (s->nreq < (s->cfg->max_requests ? s->cfg->max_requests : 1000) && cbs(s) &&
        cbs(s)->next_request) {
        struct cwmp_acs_request req;
        memset(&req, 0, sizeof(req));
        if (cbs(s)->next_request(s, &req, cbs(s)->user_data) == 1) {
            struct cwmp_envelope env;
            memset(&env, 0, sizeof(env));
            env.version = s->version;
            snprintf(s->req_id, sizeof(s->req_id), "acs-%lu", (unsigned long) ++s->id_counter);
            env.header.id = s->req_id;
            if (s->hold) {
                env.header.has_hold_requests = true;
                env.header.hold_requests = true;
            }
            env.rpc = req.rpc;
            env.rpc.kind = CWMP_RPC_REQUEST;
            rv = encode(s, &env, out, len);
            if (rv) {
                (void) fail(s, ACS_IN_FAIL, CWMP_SESSION_INTERNAL, rv);
                return rv;
            }
            s->req_tag = req.tag;
            s->req_method = req.rpc.method;
            s->nreq++;
            act = fsm(s, ACS_IN_SEND_REQUEST);
            return act < 0 ? act : 0;
        }
    }
    cwmp__trace(s->cfg->trace, s->cfg->trace_user_data, CWMP_TRACE_SENT, NULL, 0);
    s->last_io = s->now;
    if (s->hold_sent) {
        /* our last message held the CPE's requests: this empty body lifts
         * the hold, the CPE may still send its requests */
        s->hold = s->hold_sent = false;
        s->released = true;
        act = fsm(s, ACS_IN_SEND_RELEASE);
        return act < 0 ? act : 0;
    }
    act = fsm(s, ACS_IN_SEND_EMPTY);
    if (act == ACT_END)
        finish(s, CWMP_SESSION_OK, 0);
    return act < 0 ? act : 0;
}
