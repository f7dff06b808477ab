/*
 * libcwmp tests - the in-memory CPE <-> ACS world.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdlib.h>

#include "session_harness.h"

static int store_save(enum cwmp_cpe_record kind, const char *data, size_t len, void *u)
{
    struct world *w = u;
    /* the app's store: plain malloc, not part of the leak accounting */
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, data, len);
    copy[len] = '\0';
    free(w->rec[kind]);
    w->rec[kind] = copy;
    w->rec_len[kind] = len;
    return 0;
}

static uint32_t rnd(void *u)
{
    (void) u;
    return 0x12345678u;
}

static void cpe_end(struct cwmp_cpe *cpe, enum cwmp_session_result r, int d, void *u)
{
    struct world *w = u;
    (void) cpe;
    (void) d;
    w->cpe_result = r;
    w->cpe_ended++;
}

static int acs_inform(struct cwmp_acs_session *s, const struct cwmp_envelope *env, void *u)
{
    struct world *w = u;
    const struct cwmp_inform *inf = &env->rpc.u.inform;
    w->informs++;
    w->ninform_events = 0;
    for (size_t i = 0; i < inf->event_count && i < MAX_LOG; i++) {
        snprintf(w->inform_events[i], sizeof(w->inform_events[i]), "%s|%s", inf->events[i].code,
                 inf->events[i].command_key);
        w->ninform_events++;
    }
    w->inform_retry_count = inf->retry_count;
    w->inform_params = inf->param_count;
    for (size_t i = 0; i < inf->param_count && i < MAX_LOG; i++)
        snprintf(w->inform_param_names[i], sizeof(w->inform_param_names[i]), "%s",
                 inf->params[i].name);
    cwmp_acs_session_set_hold_requests(s, w->acs_hold);
    return w->inform_fault;
}

static int acs_cpe_request(struct cwmp_acs_session *s, const struct cwmp_rpc *req,
                           struct cwmp_rpc *resp, void *u)
{
    struct world *w = u;
    size_t i = w->cpe_requests++;
    (void) s;
    (void) resp;
    if (i < MAX_LOG) {
        w->cpe_request_methods[i] = req->method;
        if (req->method == CWMP_METHOD_TRANSFER_COMPLETE)
            w->tc_fault_codes[i] = req->u.transfer_complete.fault.code;
    }
    return i < 4 ? w->cpe_request_faults[i] : 0;
}

static int acs_next(struct cwmp_acs_session *s, struct cwmp_acs_request *req, void *u)
{
    struct world *w = u;
    (void) s;
    if (w->next_script >= w->nscript)
        return 0;
    req->rpc = w->script[w->next_script];
    req->tag = w->next_script++;
    return 1;
}

static void acs_response(struct cwmp_acs_session *s, uint64_t tag, const struct cwmp_rpc *r,
                         void *u)
{
    struct world *w = u;
    (void) s;
    (void) tag;
    if (w->nresponses >= MAX_LOG)
        return;
    w->responses[w->nresponses].kind = r->kind;
    w->responses[w->nresponses].method = r->method;
    w->responses[w->nresponses].fault = r->kind == CWMP_RPC_FAULT ? r->u.fault.code : 0;
    w->responses[w->nresponses].count = 0;
    if (r->kind == CWMP_RPC_RESPONSE) {
        switch (r->method) {
        case CWMP_METHOD_GET_RPC_METHODS:
            w->responses[w->nresponses].count = r->u.get_rpc_methods_response.method_count;
            break;
        case CWMP_METHOD_GET_PARAMETER_VALUES:
            w->responses[w->nresponses].count = r->u.get_parameter_values_response.param_count;
            break;
        case CWMP_METHOD_GET_PARAMETER_NAMES:
            w->responses[w->nresponses].count = r->u.get_parameter_names_response.param_count;
            break;
        case CWMP_METHOD_GET_PARAMETER_ATTRIBUTES:
            w->responses[w->nresponses].count = r->u.get_parameter_attributes_response.param_count;
            break;
        case CWMP_METHOD_ADD_OBJECT:
            w->responses[w->nresponses].instance = r->u.add_object_response.instance_number;
            w->responses[w->nresponses].status = r->u.add_object_response.status;
            break;
        case CWMP_METHOD_SET_PARAMETER_VALUES:
            w->responses[w->nresponses].status = r->u.set_parameter_values_response.status;
            break;
        default: break;
        }
    }
    w->nresponses++;
}

static void acs_end(struct cwmp_acs_session *s, enum cwmp_session_result r, int d, void *u)
{
    struct world *w = u;
    (void) s;
    (void) d;
    w->acs_result = r;
    w->acs_ended++;
}

static void trace(const struct cwmp_trace *t, void *u)
{
    struct world *w = u;
    assert_non_null(t->method_name);
    w->traced++;
    if (getenv("SESSION_DEBUG"))
        fprintf(stderr, "  trace v%d %s %s%s id=%s fault=%u params=%zu\n",
                t->envelope ? (int) t->envelope->version : -1,
                t->dir == CWMP_TRACE_SENT ? "sent" : "recv", t->empty ? "(empty)" : t->method_name,
                t->kind == CWMP_RPC_RESPONSE ? "Response" : "", t->id ? t->id : "-",
                (unsigned) t->fault_code, t->param_count);
}

static void logfn(enum cwmp_log_level l, const char *m, void *u)
{
    (void) l;
    (void) u;
    if (getenv("SESSION_DEBUG"))
        fprintf(stderr, "  log: %s\n", m);
}

void world_init(struct world *w, const struct cwmp_allocator *a)
{
    memset(w, 0, sizeof(*w));
    w->alloc = a;
    w->now = 1700000000000LL;
    w->ccb.save = store_save;
    w->ccb.random = rnd;
    w->ccb.session_end = cpe_end;
    w->ccb.user_data = w;
    w->ccfg.allocator = a;
    w->ccfg.callbacks = &w->ccb;
    w->ccfg.trace = trace;
    w->ccfg.log = logfn;
    w->acfg.log = logfn;
    w->ccfg.trace_user_data = w;
    w->ccfg.device_id.manufacturer = "Acme";
    w->ccfg.device_id.oui = "00256D";
    w->ccfg.device_id.product_class = "FAP";
    w->ccfg.device_id.serial_number = "SN0001";
    w->acb.inform = acs_inform;
    w->acb.cpe_request = acs_cpe_request;
    w->acb.next_request = acs_next;
    w->acb.response = acs_response;
    w->acb.session_end = acs_end;
    w->acb.user_data = w;
    w->acfg.allocator = a;
    w->acfg.callbacks = &w->acb;
    w->acfg.trace = trace;
    w->acfg.trace_user_data = w;
}

int world_new_cpe(struct world *w, bool restore, unsigned start_flags)
{
    int rv;
    cwmp_cpe_free(w->cpe);
    w->cpe = NULL;
    rv = cwmp_cpe_new(&w->cpe, &w->ccfg);
    if (rv)
        return rv;
    if (restore) {
        for (int k = 0; k < 4; k++) {
            if (w->rec[k]) {
                rv = cwmp_cpe_restore(w->cpe, (enum cwmp_cpe_record) k, w->rec[k], w->rec_len[k]);
                if (rv)
                    return rv;
            }
        }
    }
    rv = cwmp_cpe_set_acs_url(w->cpe, "https://acs.example.net/cwmp");
    if (rv)
        return rv;
    return cwmp_cpe_start(w->cpe, w->now, start_flags);
}

void world_free(struct world *w)
{
    cwmp_cpe_free(w->cpe);
    w->cpe = NULL;
    for (int k = 0; k < 4; k++) {
        free(w->rec[k]);
        w->rec[k] = NULL;
    }
}

size_t world_session(struct world *w)
{
    struct cwmp_acs_session *s;
    size_t sent = 0;
    const char *out, *aout;
    size_t len, alen;
    int rv;

    w->acfg.max_version = w->acs_max;
    w->acfg.limit_version = w->acs_limit;
    w->next_script = 0;
    rv = cwmp_cpe_session_begin(w->cpe, w->now);
    if (rv)
        return 0;
    rv = cwmp_acs_session_new(&s, &w->acfg, w->now);
    if (rv) {
        cwmp_cpe_session_abort(w->cpe);
        return 0;
    }
    if (w->acs_encoder)
        assert_int_equal(cwmp_acs_session_use_encoder(s, w->acs_encoder), 0);
    while (cwmp_cpe_want_send(w->cpe)) {
        w->now += 10;
        cwmp_cpe_handle_timeout(w->cpe, w->now);
        if (cwmp_cpe_send(w->cpe, &out, &len) != 0)
            break;
        sent++;
        if (w->cut_after && sent >= w->cut_after) {
            cwmp_cpe_session_abort(w->cpe);
            cwmp_acs_session_abort(s);
            break;
        }
        rv = cwmp_acs_session_recv(s, out, len);
        if (rv < 0) {
            cwmp_cpe_session_abort(w->cpe);
            break;
        }
        if (cwmp_acs_session_send(s, &aout, &alen) != 0) {
            cwmp_cpe_session_abort(w->cpe);
            break;
        }
        if (cwmp_cpe_recv(w->cpe, aout, alen) < 0)
            break;
    }
    /* the CPE closed the connection */
    if (!cwmp_acs_session_done(s))
        cwmp_acs_session_abort(s);
    cwmp_acs_session_free(s);
    return sent;
}

bool world_has_event(const struct world *w, const char *code)
{
    size_t n = strlen(code);
    for (size_t i = 0; i < w->ninform_events; i++)
        if (strncmp(w->inform_events[i], code, n) == 0 && w->inform_events[i][n] == '|')
            return true;
    return false;
}
