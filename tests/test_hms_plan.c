/*
 * libcwmp examples - tests of the HMS session planner.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

#ifndef EXAMPLES_CONF_DIR
#error "EXAMPLES_CONF_DIR must point to examples/conf"
#endif

struct fixture {
    struct conf_doc *doc;
    struct conf_hms *hms;
};

static int setup(void **state)
{
    struct fixture *f = test_calloc(1, sizeof(*f));
    char path[512];
    snprintf(path, sizeof(path), "%s/hms.conf", EXAMPLES_CONF_DIR);
    size_t len;
    char *text = read_file(path, &len);
    assert_non_null(text);
    assert_int_equal(conf_parse(text, len, &test_allocator, &f->doc, NULL), 0);
    test_free(text);
    assert_int_equal(conf_hms_load(f->doc, &f->hms, NULL), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    conf_hms_free(f->hms);
    conf_free(f->doc);
    test_free(f);
    return 0;
}

static struct hms_device hnb(enum hms_dev_state st)
{
    struct hms_device d = {0};
    d.id = 1;
    d.oui = "00D09E";
    d.product_class = "FAP-UMTS";
    d.serial = "HNB-0001";
    d.type = HMS_DEV_HNB;
    d.state = st;
    return d;
}

static void kinds(const struct hms_plan *p, const enum hms_step_kind *want, size_t n)
{
    if (p->n != n) {
        for (size_t i = 0; i < p->n; i++)
            fprintf(stderr, "step %zu: %s (%s)\n", i, hms_step_name(p->steps[i].kind),
                    p->steps[i].why);
    }
    assert_int_equal(p->n, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(p->steps[i].kind, want[i]);
}

static void test_initial_only(void **state)
{
    struct fixture *f = *state;
    struct hms_device d = hnb(HMS_STATE_DISCOVERED);
    struct hms_plan_input in = {CONF_HMS_INITIAL,
                                "https://hms-initial.example.net/cwmp",
                                &d,
                                CONF_ROOT_IGD,
                                &f->hms->policies[0],
                                1,
                                NULL,
                                0,
                                NULL,
                                NULL};
    struct hms_plan p;
    assert_int_equal(hms_plan_session(&in, &test_allocator, &p), 0);
    const enum hms_step_kind want[] = {HMS_STEP_SPV, HMS_STEP_ASSIGN};
    kinds(&p, want, 2);
    assert_int_equal(p.steps[0].params.n, 3);
    assert_string_equal(p.steps[0].params.v[0].name, "InternetGatewayDevice.ManagementServer.URL");
    assert_false(p.refused);
    hms_plan_free(&p);
}

static void test_both_roles_same_entity(void **state)
{
    struct fixture *f = *state;
    struct hms_device d = hnb(HMS_STATE_DISCOVERED);
    const struct hms_plan_task tasks[] = {{7, "ConnectionRequest"}};
    struct hms_plan_input in = {CONF_HMS_BOTH,
                                "https://127.0.0.1:7548/cwmp",
                                &d,
                                CONF_ROOT_IGD,
                                &f->hms->policies[0],
                                1,
                                tasks,
                                1,
                                NULL,
                                NULL};
    struct hms_plan p;
    assert_int_equal(hms_plan_session(&in, &test_allocator, &p), 0);
    const enum hms_step_kind want[] = {HMS_STEP_SPV, HMS_STEP_ASSIGN,      HMS_STEP_REGISTER,
                                       HMS_STEP_SPV, HMS_STEP_READ_ALARMS, HMS_STEP_SPV,
                                       HMS_STEP_TASK};
    kinds(&p, want, 7);
    assert_int_equal(p.steps[3].params.n, 4); /* gateway, IPsec, 2 set lines */
    assert_int_equal(p.steps[5].params.n, 6); /* PM */
    assert_int_equal(p.steps[6].task_id, 7);
    assert_string_equal(p.steps[6].task_kind, "ConnectionRequest");
    hms_plan_free(&p);

    /* Per-device connection-request credentials: one more SPV after the
     * registration's, marked, with both parameters under the device's root. */
    in.cr_username = "00D09E-SN1";
    in.cr_password = "0123456789abcdef0123456789abcdef";
    assert_int_equal(hms_plan_session(&in, &test_allocator, &p), 0);
    const enum hms_step_kind want_cr[] = {HMS_STEP_SPV, HMS_STEP_ASSIGN, HMS_STEP_REGISTER,
                                          HMS_STEP_SPV, HMS_STEP_SPV,    HMS_STEP_READ_ALARMS,
                                          HMS_STEP_SPV, HMS_STEP_TASK};
    kinds(&p, want_cr, 8);
    assert_false(p.steps[3].cr_credentials);
    assert_true(p.steps[4].cr_credentials);
    assert_int_equal(p.steps[4].params.n, 2);
    assert_string_equal(p.steps[4].params.v[0].name,
                        "InternetGatewayDevice.ManagementServer.ConnectionRequestUsername");
    assert_string_equal(p.steps[4].params.v[0].value, "00D09E-SN1");
    assert_string_equal(p.steps[4].params.v[1].name,
                        "InternetGatewayDevice.ManagementServer.ConnectionRequestPassword");
    hms_plan_free(&p);
    in.cr_username = in.cr_password = NULL;

    /* Another serving HMS named by the policy: discovery only. */
    in.own_url = "https://other.example.net/cwmp";
    assert_int_equal(hms_plan_session(&in, &test_allocator, &p), 0);
    const enum hms_step_kind want2[] = {HMS_STEP_SPV, HMS_STEP_ASSIGN, HMS_STEP_TASK};
    kinds(&p, want2, 3);
    hms_plan_free(&p);
}

static void test_serving_cm_file(void **state)
{
    struct fixture *f = *state;
    struct hms_device d = hnb(HMS_STATE_DISCOVERED);
    d.type = HMS_DEV_HENB;
    d.id = 12;
    d.serial = "HENB/0001";
    struct hms_plan_input in = {
        CONF_HMS_SERVING, NULL, &d, CONF_ROOT_DEVICE, &f->hms->policies[1], 1, NULL, 0, NULL, NULL};
    struct hms_plan p;
    assert_int_equal(hms_plan_session(&in, &test_allocator, &p), 0);
    const enum hms_step_kind want[] = {HMS_STEP_REGISTER, HMS_STEP_DOWNLOAD_CM,
                                       HMS_STEP_READ_ALARMS};
    kinds(&p, want, 3);
    assert_string_equal(p.steps[1].file_name, "cm-12-HENB_0001.xml");
    assert_int_equal(p.steps[1].params.n, 3);
    assert_string_equal(p.steps[1].params.v[0].name,
                        "Device.Services.FAPService.1.FAPControl.LTE.Gateway.S1SigLinkServerList");
    hms_plan_free(&p);

    /* No policy matched: register, nothing to provision. */
    in.policy = NULL;
    assert_int_equal(hms_plan_session(&in, &test_allocator, &p), 0);
    const enum hms_step_kind want2[] = {HMS_STEP_REGISTER};
    kinds(&p, want2, 1);
    hms_plan_free(&p);
}

static void test_registered_and_deprovisioned(void **state)
{
    struct fixture *f = *state;
    struct hms_device d = hnb(HMS_STATE_REGISTERED);
    const struct hms_plan_task tasks[] = {
        {3, "SetParameterValues"}, {4, "FactoryReset"}, {5, "Download"}};
    struct hms_plan_input in = {
        CONF_HMS_SERVING, NULL, &d, CONF_ROOT_IGD, &f->hms->policies[0], 0, tasks, 3, NULL, NULL};
    struct hms_plan p;
    assert_int_equal(hms_plan_session(&in, &test_allocator, &p), 0);
    const enum hms_step_kind want[] = {HMS_STEP_TASK, HMS_STEP_TASK, HMS_STEP_TASK};
    kinds(&p, want, 3);
    hms_plan_free(&p);

    /* BOOTSTRAP from a registered device: provision again, then tasks. */
    in.bootstrap = 1;
    assert_int_equal(hms_plan_session(&in, &test_allocator, &p), 0);
    assert_int_equal(p.n, 4 + 3);
    assert_int_equal(p.steps[0].kind, HMS_STEP_REGISTER);
    hms_plan_free(&p);

    /* De-provisioned: only the de-provisioning task, nothing else. */
    d.state = HMS_STATE_DEPROVISIONED;
    in.role = CONF_HMS_BOTH;
    assert_int_equal(hms_plan_session(&in, &test_allocator, &p), 0);
    assert_true(p.refused);
    const enum hms_step_kind want2[] = {HMS_STEP_TASK};
    kinds(&p, want2, 1);
    assert_string_equal(p.steps[0].task_kind, "FactoryReset");
    hms_plan_free(&p);

    assert_int_equal(hms_plan_session(NULL, &test_allocator, &p), CWMP_ERR_INVALID_ARG);
}

static int sweep(const struct cwmp_allocator *a, void *ctx)
{
    struct fixture *f = ctx;
    struct hms_device d = hnb(HMS_STATE_DISCOVERED);
    struct hms_plan_input in = {CONF_HMS_BOTH,
                                "https://127.0.0.1:7548/cwmp",
                                &d,
                                CONF_ROOT_IGD,
                                &f->hms->policies[0],
                                1,
                                NULL,
                                0,
                                NULL,
                                NULL};
    struct hms_plan p;
    int rv = hms_plan_session(&in, a, &p);
    if (rv == 0) {
        assert_int_equal(p.n, 6);
        hms_plan_free(&p);
    }
    return rv;
}

static void test_alloc_sweep(void **state)
{
    assert_true(alloc_sweep(sweep, *state, CWMP_ERR_NOMEM, 100) >= 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_initial_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_both_roles_same_entity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_serving_cm_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registered_and_deprovisioned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_sweep, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
