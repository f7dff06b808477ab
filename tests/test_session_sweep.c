/*
 * libcwmp tests - allocation-failure sweeps over a complete CPE session and
 * a complete ACS session: every allocation fails once in turn; the engines
 * must fail cleanly (no crash, no leak) and succeed when nothing fails.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "session_harness.h"

static void script(struct world *w)
{
    memset(w->script, 0, sizeof(w->script));
    w->script[0].method = CWMP_METHOD_GET_RPC_METHODS;
    w->script[1].method = CWMP_METHOD_DOWNLOAD;
    w->script[1].u.download.command_key = "dl";
    w->script[1].u.download.file_type = "1 Firmware Upgrade Image";
    w->script[1].u.download.url = "http://files.example.net/fw";
    w->script[1].u.download.username = "";
    w->script[1].u.download.password = "";
    w->script[1].u.download.target_file_name = "";
    w->script[1].u.download.success_url = "";
    w->script[1].u.download.failure_url = "";
    w->script[2].method = CWMP_METHOD_SCHEDULE_INFORM;
    w->script[2].u.schedule_inform.delay_seconds = 5;
    w->script[2].u.schedule_inform.command_key = "si";
    w->script[3].method = CWMP_METHOD_GET_ALL_QUEUED_TRANSFERS;
    w->script[4].method = CWMP_METHOD_CANCEL_TRANSFER;
    w->script[4].u.cancel_transfer.command_key = "none"; /* 9003 */
    for (int i = 0; i < 5; i++)
        w->script[i].kind = CWMP_RPC_REQUEST;
    w->nscript = 5;
}

/* Two sessions: the one above, then a TransferComplete session. */
static int run(struct world *w)
{
    struct cwmp_cpe_action act;
    int rv;

    rv = world_new_cpe(w, false, CWMP_CPE_START_BOOT);
    if (rv)
        return rv;
    script(w);
    world_session(w);
    if (w->cpe_result != CWMP_SESSION_OK || w->acs_result != CWMP_SESSION_OK)
        return CWMP_ERR_NOMEM;
    while (cwmp_cpe_next_action(w->cpe, &act) == 1 && act.kind == CWMP_CPE_ACTION_TRANSFER)
        if ((rv = cwmp_cpe_transfer_done(w->cpe, act.transfer.id, 0, NULL, w->now, w->now)) != 0)
            return rv;
    w->nscript = 0;
    world_session(w);
    if (w->cpe_result != CWMP_SESSION_OK || w->acs_result != CWMP_SESSION_OK)
        return CWMP_ERR_NOMEM;
    if (cwmp_transfer_queue_count(cwmp_cpe_transfers(w->cpe)) != 0)
        return CWMP_ERR_NOMEM; /* the TransferComplete did not get through */
    return 0;
}

static int sweep_cpe(const struct cwmp_allocator *a, void *ctx)
{
    struct world w;
    int rv;
    (void) ctx;
    world_init(&w, &test_allocator);
    w.ccfg.allocator = a;
    rv = run(&w);
    world_free(&w);
    if (((const struct failing_alloc *) a)->failed)
        return CWMP_ERR_NOMEM;
    return rv;
}

static int sweep_acs(const struct cwmp_allocator *a, void *ctx)
{
    struct world w;
    int rv;
    (void) ctx;
    world_init(&w, &test_allocator);
    w.acfg.allocator = a;
    rv = run(&w);
    world_free(&w);
    if (((const struct failing_alloc *) a)->failed)
        return CWMP_ERR_NOMEM;
    return rv;
}

static void test_sweep_cpe(void **state)
{
    (void) state;
    unsigned long n = alloc_sweep(sweep_cpe, NULL, CWMP_ERR_NOMEM, 5000);
    assert_true(n > 20);
    print_message("CPE: %lu allocations for two complete sessions\n", n);
}

static void test_sweep_acs(void **state)
{
    (void) state;
    unsigned long n = alloc_sweep(sweep_acs, NULL, CWMP_ERR_NOMEM, 5000);
    assert_true(n > 10);
    print_message("ACS: %lu allocations for two complete sessions\n", n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sweep_cpe),
        cmocka_unit_test(test_sweep_acs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
