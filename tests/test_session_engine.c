/*
 * libcwmp tests - the CPE and ACS session engines against each other, in
 * memory, with a simulated clock and store.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdlib.h>

#include "session_harness.h"

static void test_bootstrap_session(void **state)
{
    struct world w;
    (void) state;

    struct cwmp_codec_options o;
    world_init(&w, &test_allocator);
    cwmp_codec_options_init(&o);
    o.allocator = &test_allocator;
    assert_int_equal(cwmp_encoder_new(&w.acs_encoder, &o), 0); /* a per-thread encoder */
    assert_int_equal(world_new_cpe(&w, false, CWMP_CPE_START_BOOT), 0);
    assert_true(cwmp_cpe_want_session(w.cpe));
    w.script[0].method = CWMP_METHOD_GET_RPC_METHODS;
    w.script[0].kind = CWMP_RPC_REQUEST;
    w.nscript = 1;
    /* Inform, empty POST, GetRPCMethodsResponse, (empty reply ends) */
    assert_int_equal(world_session(&w), 3);
    assert_int_equal(w.informs, 1);
    assert_true(world_has_event(&w, "0 BOOTSTRAP"));
    assert_true(world_has_event(&w, "1 BOOT"));
    assert_int_equal(w.nresponses, 1);
    assert_int_equal(w.responses[0].kind, CWMP_RPC_RESPONSE);
    assert_int_equal(w.responses[0].method, CWMP_METHOD_GET_RPC_METHODS);
    assert_int_equal(w.responses[0].count, 17); /* no ChangeDUState callback */
    assert_int_equal(w.cpe_result, CWMP_SESSION_OK);
    assert_int_equal(w.acs_result, CWMP_SESSION_OK);
    assert_int_equal(w.cpe_ended, 1);
    assert_int_equal(w.acs_ended, 1);
    assert_false(cwmp_cpe_session_active(w.cpe));
    assert_int_equal(cwmp_event_queue_count(cwmp_cpe_events(w.cpe)), 0);
    assert_false(cwmp_cpe_want_session(w.cpe));
    assert_int_equal(cwmp_cpe_version(w.cpe), CWMP_V1_4);
    assert_true(w.traced >= 6);
    cwmp_encoder_free(w.acs_encoder);
    world_free(&w);
}

static void test_unknown_and_vendor_methods(void **state)
{
    struct world w;
    (void) state;

    world_init(&w, &test_allocator);
    assert_int_equal(world_new_cpe(&w, false, 0), 0);
    w.script[0].method = CWMP_METHOD_VENDOR;
    w.script[0].kind = CWMP_RPC_REQUEST;
    w.script[0].u.vendor.name = "X_00256D_Frob";
    w.script[0].u.vendor.xml = "";
    static const char *const vouchers[] = {"AAAA"};
    w.script[1].method = CWMP_METHOD_SET_VOUCHERS;
    w.script[1].kind = CWMP_RPC_REQUEST;
    w.script[1].u.set_vouchers.vouchers = vouchers;
    w.script[1].u.set_vouchers.voucher_count = 1;
    w.script[2].method = CWMP_METHOD_GET_PARAMETER_NAMES; /* no data model */
    w.script[2].kind = CWMP_RPC_REQUEST;
    w.script[2].u.get_parameter_names.parameter_path = "Device.";
    w.nscript = 3;
    world_session(&w);
    assert_int_equal(w.nresponses, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(w.responses[i].kind, CWMP_RPC_FAULT);
        assert_int_equal(w.responses[i].fault, CWMP_FAULT_METHOD_NOT_SUPPORTED);
    }
    assert_int_equal(w.cpe_result, CWMP_SESSION_OK);
    world_free(&w);
}

/* A request the codec cannot decode (unknown method in the CWMP namespace,
 * a bad argument) is answered with a fault carrying the request's cwmp:ID. */
static void test_undecodable_request_fault_keeps_id(void **state)
{
    static const char head[] =
        "<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        "xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\"><soap-env:Header>"
        "<cwmp:ID soap-env:mustUnderstand=\"1\">%s</cwmp:ID></soap-env:Header>"
        "<soap-env:Body>%s</soap-env:Body></soap-env:Envelope>";
    static const struct {
        const char *id, *body;
        uint32_t fault;
    } cases[] = {
        {"acs-77", "<cwmp:NoSuchMethod><X>1</X></cwmp:NoSuchMethod>",
         CWMP_FAULT_METHOD_NOT_SUPPORTED},
        {"acs-78",
         "<cwmp:GetParameterNames><ParameterPath>Device.</ParameterPath>"
         "<NextLevel>maybe</NextLevel></cwmp:GetParameterNames>",
         CWMP_FAULT_INVALID_ARGUMENTS},
    };
    struct world w;
    const char *out;
    size_t len;
    char body[1024];
    (void) state;

    world_init(&w, &test_allocator);
    assert_int_equal(world_new_cpe(&w, false, CWMP_CPE_START_BOOT), 0);
    assert_int_equal(cwmp_cpe_session_begin(w.cpe, w.now), 0);
    assert_int_equal(cwmp_cpe_send(w.cpe, &out, &len), 0);
    char inform_id[32], tiny[3];
    assert_int_equal(cwmp_envelope_peek_id(out, len, NULL, inform_id, sizeof(inform_id)), 0);
    assert_int_equal(cwmp_envelope_peek_id(out, len, NULL, tiny, sizeof(tiny)), CWMP_ERR_LIMIT);
    assert_string_equal(tiny, "");
    snprintf(body, sizeof(body), head, inform_id,
             "<cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse>");
    assert_int_equal(cwmp_cpe_recv(w.cpe, body, strlen(body)), 0);
    assert_int_equal(cwmp_cpe_send(w.cpe, &out, &len), 0); /* empty: nothing to ask */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(body, sizeof(body), head, cases[i].id, cases[i].body);
        assert_int_equal(cwmp_cpe_recv(w.cpe, body, strlen(body)), 0);
        assert_int_equal(cwmp_cpe_send(w.cpe, &out, &len), 0);
        struct cwmp_envelope *env = NULL;
        assert_int_equal(cwmp_envelope_decode(out, len, NULL, &env, NULL, 0), 0);
        assert_int_equal(env->rpc.kind, CWMP_RPC_FAULT);
        assert_int_equal(env->rpc.u.fault.code, cases[i].fault);
        assert_non_null(env->header.id);
        assert_string_equal(env->header.id, cases[i].id);
        cwmp_envelope_free(env);
    }
    assert_int_equal(cwmp_cpe_recv(w.cpe, "", 0), 0);
    assert_int_equal(w.cpe_result, CWMP_SESSION_OK);
    world_free(&w);
}

static void test_reboot_deferred_and_persisted(void **state)
{
    struct world w;
    struct cwmp_cpe_action act;
    (void) state;

    world_init(&w, &test_allocator);
    assert_int_equal(world_new_cpe(&w, false, CWMP_CPE_START_BOOT), 0);
    w.script[0].method = CWMP_METHOD_REBOOT;
    w.script[0].kind = CWMP_RPC_REQUEST;
    w.script[0].u.reboot.command_key = "rb-42";
    w.nscript = 1;
    world_session(&w);
    assert_int_equal(w.nresponses, 1);
    assert_int_equal(w.responses[0].kind, CWMP_RPC_RESPONSE);
    assert_int_equal(w.cpe_result, CWMP_SESSION_OK);
    /* the reboot comes only now, after the session */
    assert_int_equal(cwmp_cpe_next_action(w.cpe, &act), 1);
    assert_int_equal(act.kind, CWMP_CPE_ACTION_REBOOT);
    assert_string_equal(act.command_key, "rb-42");
    assert_false(cwmp_cpe_want_session(w.cpe));

    /* reboot: a new agent from the store */
    w.now += 60000;
    assert_int_equal(world_new_cpe(&w, true, CWMP_CPE_START_BOOT), 0);
    assert_int_equal(cwmp_cpe_next_action(w.cpe, &act), 0);
    w.nscript = 0;
    world_session(&w);
    assert_true(world_has_event(&w, "1 BOOT"));
    assert_true(world_has_event(&w, "M Reboot"));
    assert_false(world_has_event(&w, "0 BOOTSTRAP"));
    assert_string_equal(w.inform_events[1], "M Reboot|rb-42");
    world_free(&w);
}

static void test_factory_reset(void **state)
{
    struct world w;
    struct cwmp_cpe_action act;
    (void) state;

    world_init(&w, &test_allocator);
    assert_int_equal(world_new_cpe(&w, false, CWMP_CPE_START_BOOT), 0);
    w.script[0].method = CWMP_METHOD_FACTORY_RESET;
    w.script[0].kind = CWMP_RPC_REQUEST;
    w.nscript = 1;
    world_session(&w);
    assert_int_equal(cwmp_cpe_next_action(w.cpe, &act), 1);
    assert_int_equal(act.kind, CWMP_CPE_ACTION_FACTORY_RESET);
    /* factory reset: the store is wiped -> 0 BOOTSTRAP again */
    world_free(&w);
    world_init(&w, &test_allocator);
    assert_int_equal(world_new_cpe(&w, true, CWMP_CPE_START_BOOT), 0);
    world_session(&w);
    assert_true(world_has_event(&w, "0 BOOTSTRAP"));
    world_free(&w);
}

static void download(struct world *w, uint32_t fault)
{
    struct cwmp_cpe_action act;

    w->script[0].method = CWMP_METHOD_DOWNLOAD;
    w->script[0].kind = CWMP_RPC_REQUEST;
    w->script[0].u.download.command_key = "dl-7";
    w->script[0].u.download.file_type = "1 Firmware Upgrade Image";
    w->script[0].u.download.url = "http://files.example.net/fw.bin";
    w->script[0].u.download.username = "";
    w->script[0].u.download.password = "";
    w->script[0].u.download.target_file_name = "";
    w->script[0].u.download.success_url = "";
    w->script[0].u.download.failure_url = "";
    w->nscript = 1;
    world_session(w);
    assert_int_equal(w->responses[0].kind, CWMP_RPC_RESPONSE);
    assert_int_equal(w->responses[0].method, CWMP_METHOD_DOWNLOAD);
    assert_int_equal(cwmp_transfer_queue_count(cwmp_cpe_transfers(w->cpe)), 1);
    /* the app runs the transfer between sessions */
    assert_int_equal(cwmp_cpe_next_action(w->cpe, &act), 1);
    assert_int_equal(act.kind, CWMP_CPE_ACTION_TRANSFER);
    assert_string_equal(act.transfer.url, "http://files.example.net/fw.bin");
    struct cwmp_cpe_action none;
    assert_int_equal(cwmp_cpe_next_action(w->cpe, &none), 0);
    assert_int_equal(none.kind, CWMP_CPE_ACTION_NONE);
    w->now += 5000;
    assert_int_equal(
        cwmp_cpe_transfer_done(w->cpe, act.transfer.id, fault, NULL, w->now - 4000, w->now), 0);
    assert_true(cwmp_cpe_want_session(w->cpe));
    w->nscript = 0;
    w->nresponses = 0;
    world_session(w);
    assert_true(world_has_event(w, "7 TRANSFER COMPLETE"));
    assert_true(world_has_event(w, "M Download"));
}

static void test_download_success(void **state)
{
    struct world w;
    (void) state;
    world_init(&w, &test_allocator);
    assert_int_equal(world_new_cpe(&w, false, CWMP_CPE_START_BOOT), 0);
    download(&w, 0);
    assert_int_equal(w.cpe_requests, 1);
    assert_int_equal(w.cpe_request_methods[0], CWMP_METHOD_TRANSFER_COMPLETE);
    assert_int_equal(w.tc_fault_codes[0], 0);
    assert_int_equal(cwmp_transfer_queue_count(cwmp_cpe_transfers(w.cpe)), 0);
    assert_int_equal(cwmp_event_queue_count(cwmp_cpe_events(w.cpe)), 0);
    world_free(&w);
}

static void test_download_failure_and_8005(void **state)
{
    struct world w;
    (void) state;
    world_init(&w, &test_allocator);
    assert_int_equal(world_new_cpe(&w, false, CWMP_CPE_START_BOOT), 0);
    w.cpe_request_faults[0] = CWMP_FAULT_ACS_RETRY_REQUEST;
    download(&w, CWMP_FAULT_FILE_CORRUPTED);
    /* the first TransferComplete got 8005 and was sent again */
    assert_int_equal(w.cpe_requests, 2);
    assert_int_equal(w.tc_fault_codes[0], CWMP_FAULT_FILE_CORRUPTED);
    assert_int_equal(w.tc_fault_codes[1], CWMP_FAULT_FILE_CORRUPTED);
    assert_int_equal(cwmp_transfer_queue_count(cwmp_cpe_transfers(w.cpe)), 0);
    assert_int_equal(w.cpe_result, CWMP_SESSION_OK);
    world_free(&w);
}

static void test_hold_requests(void **state)
{
    struct world w;
    struct cwmp_cpe_action act;
    (void) state;
    world_init(&w, &test_allocator);
    assert_int_equal(world_new_cpe(&w, false, CWMP_CPE_START_BOOT), 0);
    download(&w, 0);
    /* second transfer, this time the ACS holds the CPE's requests */
    w.cpe_requests = 0;
    w.script[0].u.download.command_key = "dl-8";
    w.nscript = 1;
    world_session(&w);
    assert_int_equal(cwmp_cpe_next_action(w.cpe, &act), 1);
    assert_int_equal(cwmp_cpe_transfer_done(w.cpe, act.transfer.id, 0, NULL, w.now, w.now), 0);
    w.acs_hold = true;
    w.script[0].method = CWMP_METHOD_GET_RPC_METHODS;
    w.nscript = 1;
    w.nresponses = 0;
    world_session(&w);
    /* the ACS's request went first; the TransferComplete came after the hold was lifted */
    assert_int_equal(w.nresponses, 1);
    assert_int_equal(w.responses[0].method, CWMP_METHOD_GET_RPC_METHODS);
    assert_int_equal(w.cpe_requests, 1);
    assert_int_equal(cwmp_transfer_queue_count(cwmp_cpe_transfers(w.cpe)), 0);
    assert_int_equal(w.cpe_result, CWMP_SESSION_OK);
    assert_int_equal(w.acs_result, CWMP_SESSION_OK);
    world_free(&w);
}

static void test_failure_retry(void **state)
{
    struct world w;
    int64_t lo, hi, dl;
    (void) state;

    world_init(&w, &test_allocator);
    assert_int_equal(world_new_cpe(&w, false, CWMP_CPE_START_BOOT), 0);
    assert_int_equal(cwmp_cpe_connection_request(w.cpe), 0);
    w.script[0].method = CWMP_METHOD_GET_RPC_METHODS;
    w.script[0].kind = CWMP_RPC_REQUEST;
    w.nscript = 1;
    /* fail every session after the Inform, three times */
    for (uint32_t n = 1; n <= 3; n++) {
        w.cut_after = 1;
        world_session(&w);
        assert_int_equal(w.cpe_result, CWMP_SESSION_ABORTED);
        assert_int_equal(cwmp_cpe_retry_count(w.cpe), n);
        cwmp_retry_range(n, 0, 0, &lo, &hi);
        dl = cwmp_cpe_next_deadline(w.cpe);
        assert_true(dl - w.now >= lo && dl - w.now <= hi);
        assert_false(cwmp_cpe_want_session(w.cpe));
        w.now = dl;
        assert_int_equal(cwmp_cpe_handle_timeout(w.cpe, w.now), 0);
        assert_true(cwmp_cpe_want_session(w.cpe));
    }
    /* 6 CONNECTION REQUEST was discarded after the first failure */
    w.cut_after = 2; /* fails after InformResponse: events already acknowledged */
    world_session(&w);
    assert_int_equal(w.inform_retry_count, 3);
    assert_true(world_has_event(&w, "0 BOOTSTRAP"));
    assert_false(world_has_event(&w, "6 CONNECTION REQUEST"));
    assert_int_equal(cwmp_cpe_retry_count(w.cpe), 4);
    w.cut_after = 0;
    assert_int_equal(cwmp_event_queue_count(cwmp_cpe_events(w.cpe)), 0);
    world_free(&w);
}

static void test_schedule_inform_and_periodic(void **state)
{
    struct world w;
    int64_t t0;
    (void) state;
    world_init(&w, &test_allocator);
    assert_int_equal(world_new_cpe(&w, false, CWMP_CPE_START_BOOT), 0);
    w.script[0].method = CWMP_METHOD_SCHEDULE_INFORM;
    w.script[0].kind = CWMP_RPC_REQUEST;
    w.script[0].u.schedule_inform.delay_seconds = 60;
    w.script[0].u.schedule_inform.command_key = "si";
    w.nscript = 1;
    world_session(&w);
    assert_int_equal(w.responses[0].kind, CWMP_RPC_RESPONSE);
    t0 = w.now;
    assert_true(cwmp_cpe_next_deadline(w.cpe) > t0 + 59000);
    assert_true(cwmp_cpe_next_deadline(w.cpe) <= t0 + 60000);
    w.now = cwmp_cpe_next_deadline(w.cpe);
    cwmp_cpe_handle_timeout(w.cpe, w.now);
    assert_true(cwmp_cpe_want_session(w.cpe));
    w.nscript = 0;
    world_session(&w);
    assert_true(world_has_event(&w, "3 SCHEDULED"));
    assert_true(world_has_event(&w, "M ScheduleInform"));
    assert_string_equal(w.inform_events[1], "M ScheduleInform|si");

    /* periodic inform aligned to PeriodicInformTime */
    cwmp_cpe_set_periodic(w.cpe, true, 3600, 1000, true);
    int64_t next = cwmp_cpe_next_deadline(w.cpe);
    assert_int_equal((next - 1000) % 3600000, 0);
    assert_true(next > w.now && next <= w.now + 3600000);
    w.now = next;
    cwmp_cpe_handle_timeout(w.cpe, w.now);
    world_session(&w);
    assert_true(world_has_event(&w, "2 PERIODIC"));
    assert_int_equal(cwmp_cpe_next_deadline(w.cpe), next + 3600000);
    world_free(&w);
}

static void test_versions(void **state)
{
    struct world w;
    (void) state;
    world_init(&w, &test_allocator);
    assert_int_equal(world_new_cpe(&w, false, CWMP_CPE_START_BOOT), 0);
    w.acs_max = CWMP_V1_2;
    w.acs_limit = true;
    world_session(&w);
    assert_int_equal(cwmp_cpe_version(w.cpe), CWMP_V1_2);
    assert_int_equal(w.cpe_result, CWMP_SESSION_OK);
    /* an ACS that rejects the version */
    w.acs_limit = false;
    w.inform_fault = CWMP_FAULT_ACS_VERSION_INCOMPATIBLE;
    cwmp_cpe_request_session(w.cpe, CWMP_EVENT_WAKEUP, NULL, NULL);
    world_session(&w);
    assert_int_equal(w.cpe_result, CWMP_SESSION_FAULT);
    w.inform_fault = 0;
    w.now = cwmp_cpe_next_deadline(w.cpe);
    cwmp_cpe_handle_timeout(w.cpe, w.now);
    world_session(&w);
    assert_int_equal(w.cpe_result, CWMP_SESSION_OK);
    assert_int_equal(cwmp_cpe_version(w.cpe), CWMP_V1_2);
    /* a 1.0-only ACS */
    w.acs_max = CWMP_V1_0;
    w.acs_limit = true;
    cwmp_cpe_request_session(w.cpe, CWMP_EVENT_WAKEUP, NULL, NULL);
    world_session(&w);
    assert_int_equal(w.cpe_result, CWMP_SESSION_OK);
    assert_int_equal(cwmp_cpe_version(w.cpe), CWMP_V1_0);
    world_free(&w);
}

static void test_acs_url_change(void **state)
{
    struct world w;
    (void) state;
    world_init(&w, &test_allocator);
    assert_int_equal(world_new_cpe(&w, false, CWMP_CPE_START_BOOT), 0);
    world_session(&w);
    assert_int_equal(cwmp_cpe_request_session(w.cpe, CWMP_EVENT_VENDOR, "00256D Alarm", NULL), 0);
    assert_int_equal(cwmp_cpe_set_acs_url(w.cpe, "https://other.example.net/"), 0);
    world_session(&w);
    assert_int_equal(w.ninform_events, 1);
    assert_true(world_has_event(&w, "0 BOOTSTRAP"));
    world_free(&w);
}

struct tq_ctx {
    struct world *w;
    struct cwmp_task_queue *q;
    int conn_requests;
    int results;
    char *saved;
    size_t saved_len;
};

static int tq_save(const char *data, size_t len, void *u)
{
    struct tq_ctx *c = u;
    test_free(c->saved);
    c->saved = test_malloc(len + 1);
    memcpy(c->saved, data, len);
    c->saved_len = len;
    return 0;
}

static void tq_conn(const char *device, void *u)
{
    struct tq_ctx *c = u;
    assert_string_equal(device, "00256D-FAP-SN0001");
    c->conn_requests++;
    assert_int_equal(cwmp_cpe_connection_request(c->w->cpe), 0);
}

static void tq_result(const struct cwmp_task *t, const struct cwmp_rpc *r, void *u)
{
    struct tq_ctx *c = u;
    (void) r;
    assert_true(t->state == CWMP_TASK_DONE || t->state == CWMP_TASK_FAULT);
    c->results++;
}

static struct tq_ctx *g_tq; /* test-only: the harness callbacks have no room for it */

static int tq_next(struct cwmp_acs_session *s, struct cwmp_acs_request *req, void *u)
{
    (void) s;
    (void) u;
    return cwmp_task_queue_next(g_tq->q, "00256D-FAP-SN0001", req);
}

static void tq_response(struct cwmp_acs_session *s, uint64_t tag, const struct cwmp_rpc *r, void *u)
{
    (void) s;
    (void) u;
    assert_int_equal(cwmp_task_queue_result(g_tq->q, tag, r), 0);
}

static void test_acs_task_queue(void **state)
{
    struct world w;
    struct tq_ctx c;
    struct cwmp_task_hooks hooks;
    struct cwmp_rpc r;
    struct cwmp_task t;
    uint64_t id1, id2;
    (void) state;

    memset(&c, 0, sizeof(c));
    world_init(&w, &test_allocator);
    assert_int_equal(world_new_cpe(&w, false, CWMP_CPE_START_BOOT), 0);
    world_session(&w);
    c.w = &w;
    g_tq = &c;
    memset(&hooks, 0, sizeof(hooks));
    hooks.save = tq_save;
    hooks.connection_request = tq_conn;
    hooks.result = tq_result;
    hooks.user_data = &c;
    assert_int_equal(cwmp_task_queue_new(&c.q, &test_allocator, &hooks, 0), 0);
    memset(&r, 0, sizeof(r));
    r.method = CWMP_METHOD_GET_RPC_METHODS;
    assert_int_equal(cwmp_task_queue_add(c.q, "00256D-FAP-SN0001", &r, false, &id1), 0);
    assert_int_equal(c.conn_requests, 0);
    r.method = CWMP_METHOD_SCHEDULE_INFORM;
    r.u.schedule_inform.delay_seconds = 0; /* invalid: the CPE answers 9003 */
    r.u.schedule_inform.command_key = "k";
    assert_int_equal(cwmp_task_queue_add(c.q, "00256D-FAP-SN0001", &r, true, &id2), 0);
    assert_int_equal(c.conn_requests, 1);
    r.method = CWMP_METHOD_INFORM; /* not a CPE method */
    assert_int_equal(cwmp_task_queue_add(c.q, "x", &r, false, NULL), CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_task_queue_pending(c.q, "00256D-FAP-SN0001"), 2);

    /* an ACS restart: reload the saved queue */
    struct cwmp_task_queue *q2;
    assert_int_equal(cwmp_task_queue_new(&q2, &test_allocator, NULL, 0), 0);
    assert_int_equal(cwmp_task_queue_load(q2, c.saved, c.saved_len), 0);
    assert_int_equal(cwmp_task_queue_count(q2), 2);
    assert_int_equal(cwmp_task_queue_get(q2, id2, &t), 0);
    assert_int_equal(t.rpc->method, CWMP_METHOD_SCHEDULE_INFORM);
    assert_string_equal(t.rpc->u.schedule_inform.command_key, "k");
    assert_true(t.urgent);
    assert_int_equal(cwmp_task_queue_load(q2, "cwmp-tasks 1\n1 0 0 0 d -\n", 25), CWMP_ERR_PARSE);
    assert_int_equal(cwmp_task_queue_count(q2), 2);
    cwmp_task_queue_free(q2);

    /* the session fails after the first task was sent: it is sent again */
    w.acb.next_request = tq_next;
    w.acb.response = tq_response;
    w.cut_after = 3; /* Inform, empty POST, (GetRPCMethodsResponse is cut) */
    world_session(&w);
    cwmp_task_queue_session_failed(c.q, "00256D-FAP-SN0001");
    assert_int_equal(cwmp_task_queue_pending(c.q, "00256D-FAP-SN0001"), 2);
    w.cut_after = 0;
    w.now = cwmp_cpe_next_deadline(w.cpe);
    cwmp_cpe_handle_timeout(w.cpe, w.now);
    world_session(&w);
    assert_int_equal(w.cpe_result, CWMP_SESSION_OK);
    assert_int_equal(c.results, 2);
    assert_int_equal(cwmp_task_queue_get(c.q, id1, &t), 0);
    assert_int_equal(t.state, CWMP_TASK_DONE);
    assert_int_equal(cwmp_task_queue_get(c.q, id2, &t), 0);
    assert_int_equal(t.state, CWMP_TASK_FAULT);
    assert_int_equal(t.fault_code, CWMP_FAULT_INVALID_ARGUMENTS);
    assert_int_equal(cwmp_task_queue_purge(c.q), 2);
    assert_int_equal(cwmp_task_queue_count(c.q), 0);
    cwmp_task_queue_free(c.q);
    test_free(c.saved);
    world_free(&w);
}

static void test_submitted_requests_survive_reboot(void **state)
{
    struct world w;
    struct cwmp_rpc r;
    static const struct cwmp_arg args[] = {{"Version", "2.0"}};
    static const struct cwmp_du_result dur[] = {{"6ba7b810-9dad-11d1-80b4-00c04fd430c8",
                                                 "",
                                                 "1.0",
                                                 "Installed",
                                                 true,
                                                 "",
                                                 "2026-01-01T00:00:00Z",
                                                 "2026-01-01T00:00:01Z",
                                                 {0, NULL},
                                                 NULL}};
    (void) state;

    world_init(&w, &test_allocator);
    assert_int_equal(world_new_cpe(&w, false, CWMP_CPE_START_BOOT), 0);
    world_session(&w);
    memset(&r, 0, sizeof(r));
    r.kind = CWMP_RPC_REQUEST;
    r.method = CWMP_METHOD_REQUEST_DOWNLOAD;
    r.u.request_download.file_type = "1 Firmware Upgrade Image";
    r.u.request_download.args = args;
    r.u.request_download.arg_count = 1;
    assert_int_equal(cwmp_cpe_submit(w.cpe, &r), 0);
    memset(&r.u, 0, sizeof(r.u));
    r.method = CWMP_METHOD_DU_STATE_CHANGE_COMPLETE;
    r.u.du_state_change_complete.results = dur;
    r.u.du_state_change_complete.result_count = 1;
    r.u.du_state_change_complete.command_key = "du-1";
    assert_int_equal(cwmp_cpe_submit(w.cpe, &r), 0);
    r.method = CWMP_METHOD_INFORM; /* not a CPE request */
    assert_int_equal(cwmp_cpe_submit(w.cpe, &r), CWMP_ERR_INVALID_ARG);
    assert_true(cwmp_cpe_want_session(w.cpe));
    /* the session dies after the Inform, then the device reboots */
    w.cut_after = 1;
    world_session(&w);
    w.cut_after = 0;
    w.now += 1000000;
    assert_int_equal(world_new_cpe(&w, true, CWMP_CPE_START_BOOT), 0);
    w.cpe_requests = 0;
    w.cpe_request_faults[0] = CWMP_FAULT_ACS_RETRY_REQUEST; /* RequestDownload retried */
    world_session(&w);
    assert_true(world_has_event(&w, "9 REQUEST DOWNLOAD"));
    assert_true(world_has_event(&w, "11 DU STATE CHANGE COMPLETE"));
    assert_true(world_has_event(&w, "M ChangeDUState"));
    assert_true(world_has_event(&w, "1 BOOT"));
    assert_int_equal(w.cpe_requests, 3);
    assert_int_equal(w.cpe_request_methods[0], CWMP_METHOD_REQUEST_DOWNLOAD);
    assert_int_equal(w.cpe_request_methods[1], CWMP_METHOD_REQUEST_DOWNLOAD);
    assert_int_equal(w.cpe_request_methods[2], CWMP_METHOD_DU_STATE_CHANGE_COMPLETE);
    assert_int_equal(w.cpe_result, CWMP_SESSION_OK);
    assert_int_equal(cwmp_event_queue_count(cwmp_cpe_events(w.cpe)), 0);
    /* a store without the requests record: their events are dropped at start */
    free(w.rec[CWMP_CPE_REC_REQUESTS]);
    w.rec[CWMP_CPE_REC_REQUESTS] = NULL;
    r.method = CWMP_METHOD_KICKED;
    memset(&r.u, 0, sizeof(r.u));
    r.u.kicked.command = "c";
    r.u.kicked.referer = "r";
    r.u.kicked.arg = "a";
    r.u.kicked.next = "http://n/";
    assert_int_equal(cwmp_cpe_submit(w.cpe, &r), 0);
    free(w.rec[CWMP_CPE_REC_REQUESTS]);
    w.rec[CWMP_CPE_REC_REQUESTS] = NULL;
    assert_int_equal(world_new_cpe(&w, true, 0), 0);
    assert_false(cwmp_event_queue_has(cwmp_cpe_events(w.cpe), CWMP_EVENT_KICKED, NULL));
    world_free(&w);
}

/* A session cut at every step in turn: each failure keeps the right events,
 * waits inside the TR-069 range, and the next Inform carries RetryCount. */
static void test_failure_at_every_step(void **state)
{
    struct world w;
    struct cwmp_cpe_action act;
    int64_t lo, hi;
    size_t full;
    (void) state;

    world_init(&w, &test_allocator);
    assert_int_equal(world_new_cpe(&w, false, CWMP_CPE_START_BOOT), 0);
    download(&w, 0); /* leaves nothing pending; now queue another transfer result */
    w.script[0].u.download.command_key = "dl-9";
    w.nscript = 1;
    world_session(&w);
    assert_int_equal(cwmp_cpe_next_action(w.cpe, &act), 1);
    assert_int_equal(cwmp_cpe_transfer_done(w.cpe, act.transfer.id, 0, NULL, w.now, w.now), 0);
    /* the session to break: Inform, TransferComplete, empty POST, 2 responses */
    memset(w.script, 0, sizeof(w.script));
    w.script[0].method = CWMP_METHOD_GET_RPC_METHODS;
    w.script[1].method = CWMP_METHOD_GET_QUEUED_TRANSFERS;
    w.script[0].kind = w.script[1].kind = CWMP_RPC_REQUEST;
    w.nscript = 2;
    full = 4; /* later sessions have no TransferComplete: 4 bodies */
    for (size_t k = 1; k <= full; k++) {
        uint32_t before = cwmp_cpe_retry_count(w.cpe);
        w.cut_after = k;
        world_session(&w);
        assert_int_equal(w.cpe_result, CWMP_SESSION_ABORTED);
        assert_int_equal(cwmp_cpe_retry_count(w.cpe), before + 1);
        if (k > 1)
            assert_int_equal(w.inform_retry_count, before);
        if (k > 2) /* nothing is left to retry: ask for a session so the next cut has one */
            assert_int_equal(cwmp_cpe_request_session(w.cpe, CWMP_EVENT_WAKEUP, NULL, NULL), 0);
        cwmp_retry_range(before + 1, 0, 0, &lo, &hi);
        int64_t dl = cwmp_cpe_next_deadline(w.cpe);
        if (!(dl - w.now >= lo && dl - w.now <= hi))
            fail_msg("step %zu: wait %lld not in [%lld, %lld]", k, (long long) (dl - w.now),
                     (long long) lo, (long long) hi);
        /* the TransferComplete is acknowledged only from step 3 on */
        assert_int_equal(cwmp_transfer_queue_count(cwmp_cpe_transfers(w.cpe)), k <= 2 ? 1 : 0);
        assert_int_equal(
            cwmp_event_queue_has(cwmp_cpe_events(w.cpe), CWMP_EVENT_TRANSFER_COMPLETE, NULL),
            k <= 2);
        w.now = dl;
        cwmp_cpe_handle_timeout(w.cpe, w.now);
        assert_true(cwmp_cpe_want_session(w.cpe));
    }
    w.cut_after = 0;
    world_session(&w);
    assert_int_equal(w.cpe_result, CWMP_SESSION_OK);
    assert_int_equal(w.inform_retry_count, full);
    assert_int_equal(cwmp_cpe_retry_count(w.cpe), 0);
    assert_int_equal(cwmp_event_queue_count(cwmp_cpe_events(w.cpe)), 0);
    world_free(&w);
}

static void test_schedule_download_windows(void **state)
{
    struct world w;
    struct cwmp_cpe_action act;
    struct cwmp_time_window win[1] = {{10, 100, "1 At Any Time", "", -1}};
    int64_t t0;
    (void) state;

    world_init(&w, &test_allocator);
    assert_int_equal(world_new_cpe(&w, false, CWMP_CPE_START_BOOT), 0);
    memset(w.script, 0, sizeof(w.script));
    w.script[0].method = CWMP_METHOD_SCHEDULE_DOWNLOAD;
    w.script[0].kind = CWMP_RPC_REQUEST;
    w.script[0].u.schedule_download.command_key = "sd-1";
    w.script[0].u.schedule_download.file_type = "1 Firmware Upgrade Image";
    w.script[0].u.schedule_download.url = "http://files.example.net/fw";
    w.script[0].u.schedule_download.username = "";
    w.script[0].u.schedule_download.password = "";
    w.script[0].u.schedule_download.target_file_name = "";
    w.script[0].u.schedule_download.windows = win;
    w.script[0].u.schedule_download.window_count = 1;
    w.script[1].method = CWMP_METHOD_GET_ALL_QUEUED_TRANSFERS;
    w.script[1].kind = CWMP_RPC_REQUEST;
    w.script[2].method = CWMP_METHOD_CANCEL_TRANSFER;
    w.script[2].kind = CWMP_RPC_REQUEST;
    w.script[2].u.cancel_transfer.command_key = "unknown";
    w.nscript = 3;
    world_session(&w);
    assert_int_equal(w.responses[0].kind, CWMP_RPC_RESPONSE);
    assert_int_equal(w.responses[1].kind, CWMP_RPC_RESPONSE);
    assert_int_equal(w.responses[2].kind, CWMP_RPC_FAULT);
    assert_int_equal(w.responses[2].fault, CWMP_FAULT_INVALID_ARGUMENTS);
    t0 = w.now;
    /* not before the window */
    assert_int_equal(cwmp_cpe_next_action(w.cpe, &act), 0);
    int64_t dl = cwmp_cpe_next_deadline(w.cpe);
    assert_true(dl > t0 + 9000 && dl <= t0 + 10000);
    /* the window passes unused: 9020 reported with TransferComplete */
    w.now = t0 + 200000;
    cwmp_cpe_handle_timeout(w.cpe, w.now);
    assert_int_equal(cwmp_cpe_next_action(w.cpe, &act), 0);
    assert_true(cwmp_cpe_want_session(w.cpe));
    w.nscript = 0;
    w.cpe_requests = 0;
    world_session(&w);
    assert_true(world_has_event(&w, "7 TRANSFER COMPLETE"));
    assert_true(world_has_event(&w, "M ScheduleDownload"));
    assert_int_equal(w.cpe_requests, 1);
    assert_int_equal(w.tc_fault_codes[0], CWMP_FAULT_DOWNLOAD_WINDOW_MISSED);
    assert_int_equal(cwmp_transfer_queue_count(cwmp_cpe_transfers(w.cpe)), 0);
    world_free(&w);
}

struct resp_log {
    int calls;
    enum cwmp_rpc_kind kind;
    uint32_t fault;
    enum cwmp_method method;
};

static void cpe_response(struct cwmp_cpe *cpe, const struct cwmp_rpc *req,
                         const struct cwmp_rpc *resp, void *u)
{
    struct world *w = u;
    struct resp_log *l = (struct resp_log *) w->script[MAX_SCRIPT - 1].u.vendor.xml;
    (void) cpe;
    l->calls++;
    l->kind = resp->kind;
    l->fault = resp->kind == CWMP_RPC_FAULT ? resp->u.fault.code : 0;
    l->method = req->method;
}

/* ACS faults to the CPE's own requests: 8005 retries, others reach the app. */
static void test_acs_faults_to_cpe_requests(void **state)
{
    struct world w;
    struct cwmp_rpc r;
    struct resp_log log = {0, CWMP_RPC_REQUEST, 0, CWMP_METHOD_UNKNOWN};
    (void) state;

    world_init(&w, &test_allocator);
    w.ccb.response = cpe_response;
    w.script[MAX_SCRIPT - 1].u.vendor.xml = (const char *) &log; /* a slot for the log */
    assert_int_equal(world_new_cpe(&w, false, CWMP_CPE_START_BOOT), 0);
    world_session(&w);
    memset(&r, 0, sizeof(r));
    r.kind = CWMP_RPC_REQUEST;
    r.method = CWMP_METHOD_KICKED;
    r.u.kicked.command = "cmd";
    r.u.kicked.referer = "ref";
    r.u.kicked.arg = "arg";
    r.u.kicked.next = "http://next/";
    assert_int_equal(cwmp_cpe_submit(w.cpe, &r), 0);
    w.cpe_requests = 0;
    w.cpe_request_faults[0] = CWMP_FAULT_ACS_RETRY_REQUEST;
    w.cpe_request_faults[1] = CWMP_FAULT_ACS_RETRY_REQUEST;
    w.cpe_request_faults[2] = CWMP_FAULT_ACS_REQUEST_DENIED;
    world_session(&w);
    assert_true(world_has_event(&w, "5 KICKED"));
    assert_int_equal(w.cpe_requests, 3);
    assert_int_equal(log.calls, 1);
    assert_int_equal(log.kind, CWMP_RPC_FAULT);
    assert_int_equal(log.fault, CWMP_FAULT_ACS_REQUEST_DENIED);
    assert_int_equal(log.method, CWMP_METHOD_KICKED);
    assert_int_equal(w.cpe_result, CWMP_SESSION_OK);
    assert_int_equal(cwmp_event_queue_count(cwmp_cpe_events(w.cpe)), 0);

    /* three 8005 in a row: the CPE gives up for this session, keeps it queued */
    assert_int_equal(cwmp_cpe_submit(w.cpe, &r), 0);
    w.cpe_requests = 0;
    w.cpe_request_faults[2] = CWMP_FAULT_ACS_RETRY_REQUEST;
    world_session(&w);
    assert_int_equal(w.cpe_requests, 3);
    assert_int_equal(w.cpe_result, CWMP_SESSION_OK);
    assert_true(cwmp_event_queue_has(cwmp_cpe_events(w.cpe), CWMP_EVENT_KICKED, NULL));
    memset(w.cpe_request_faults, 0, sizeof(w.cpe_request_faults));
    w.cpe_requests = 0;
    world_session(&w);
    assert_int_equal(w.cpe_requests, 1);
    assert_int_equal(log.calls, 2);
    assert_int_equal(log.kind, CWMP_RPC_RESPONSE);
    assert_false(cwmp_event_queue_has(cwmp_cpe_events(w.cpe), CWMP_EVENT_KICKED, NULL));
    world_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bootstrap_session),
        cmocka_unit_test(test_unknown_and_vendor_methods),
        cmocka_unit_test(test_undecodable_request_fault_keeps_id),
        cmocka_unit_test(test_reboot_deferred_and_persisted),
        cmocka_unit_test(test_factory_reset),
        cmocka_unit_test(test_download_success),
        cmocka_unit_test(test_download_failure_and_8005),
        cmocka_unit_test(test_hold_requests),
        cmocka_unit_test(test_schedule_download_windows),
        cmocka_unit_test(test_failure_retry),
        cmocka_unit_test(test_failure_at_every_step),
        cmocka_unit_test(test_schedule_inform_and_periodic),
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_acs_url_change),
        cmocka_unit_test(test_acs_task_queue),
        cmocka_unit_test(test_submitted_requests_survive_reboot),
        cmocka_unit_test(test_acs_faults_to_cpe_requests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
