/*
 * libcwmp examples - tests of the policy -> parameter list mapping.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provision.h"

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
    struct conf_error err;
    assert_int_equal(conf_parse(text, len, &test_allocator, &f->doc, &err), 0);
    test_free(text);
    assert_int_equal(conf_hms_load(f->doc, &f->hms, &err), 0);
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

static void expect(const struct prov_list *l, size_t i, const char *name, const char *value,
                   enum cmfile_type type)
{
    assert_true(i < l->n);
    assert_string_equal(l->v[i].name, name);
    assert_string_equal(l->v[i].value, value);
    assert_int_equal(l->v[i].type, type);
}

#define IGD_FAPC "InternetGatewayDevice.Services.FAPService.1.FAPControl.UMTS."
#define DEV_FAPC "Device.Services.FAPService.1.FAPControl.LTE."

static void test_umts_igd(void **state)
{
    struct fixture *f = *state;
    const struct conf_policy *p = &f->hms->policies[0]; /* paris-umts */
    struct prov_list l;
    prov_list_init(&l, &test_allocator);
    assert_int_equal(prov_discovery(p, CONF_ROOT_IGD, CONF_RAT_UMTS, &l), 0);
    assert_int_equal(l.n, 3);
    expect(&l, 0, "InternetGatewayDevice.ManagementServer.URL", "https://127.0.0.1:7548/cwmp",
           CMFILE_STRING);
    expect(&l, 1, IGD_FAPC "Gateway.SecGWServer1", "segw-paris.example.net", CMFILE_STRING);
    expect(&l, 2, IGD_FAPC "Gateway.FAPGWServer1", "hnbgw-paris.example.net", CMFILE_STRING);
    prov_list_free(&l);

    prov_list_init(&l, &test_allocator);
    assert_int_equal(prov_registration(p, CONF_ROOT_IGD, CONF_RAT_UMTS, &l), 0);
    assert_int_equal(l.n, 4);
    expect(&l, 0, IGD_FAPC "Gateway.FAPGWServer1", "hnbgw-paris.example.net", CMFILE_STRING);
    expect(&l, 1, "InternetGatewayDevice.FAP.Tunnel.UseForCWMP", "true", CMFILE_BOOLEAN);
    expect(&l, 3, "InternetGatewayDevice.Services.FAPService.1.CellConfig.UMTS.RAN.RNCID", "501",
           CMFILE_UNSIGNED_INT);
    prov_list_free(&l);

    prov_list_init(&l, &test_allocator);
    assert_int_equal(prov_pm(p, CONF_ROOT_IGD, &l), 0);
    assert_int_equal(l.n, 6);
    expect(&l, 0, "InternetGatewayDevice.FAP.PerfMgmt.Config.1.URL", "https://127.0.0.1:7549/pm",
           CMFILE_STRING);
    expect(&l, 2, "InternetGatewayDevice.FAP.PerfMgmt.Config.1.Password", "pm secret",
           CMFILE_STRING);
    expect(&l, 3, "InternetGatewayDevice.FAP.PerfMgmt.Config.1.PeriodicUploadInterval", "900",
           CMFILE_UNSIGNED_INT);
    expect(&l, 5, "InternetGatewayDevice.FAP.PerfMgmt.Config.1.Enable", "true", CMFILE_BOOLEAN);
    prov_list_free(&l);
}

static void test_lte_device_and_cm_file(void **state)
{
    struct fixture *f = *state;
    const struct conf_policy *p = &f->hms->policies[1]; /* lte-20801 */
    struct prov_list l;
    prov_list_init(&l, &test_allocator);
    assert_int_equal(prov_discovery(p, CONF_ROOT_DEVICE, CONF_RAT_LTE, &l), 0);
    assert_int_equal(l.n, 3);
    expect(&l, 1, DEV_FAPC "Gateway.SecGWServer1", "127.0.0.1", CMFILE_STRING);
    expect(&l, 2, DEV_FAPC "Gateway.S1SigLinkServerList", "10.0.0.1,10.0.0.2", CMFILE_STRING);
    prov_list_free(&l);

    prov_list_init(&l, &test_allocator);
    assert_int_equal(prov_registration(p, CONF_ROOT_DEVICE, CONF_RAT_LTE, &l), 0);
    assert_int_equal(l.n, 3);
    expect(&l, 1, "Device.IPsec.Enable", "false", CMFILE_BOOLEAN);
    expect(&l, 2, "Device.Services.FAPService.1.CellConfig.LTE.Tunnel.1.Enable", "false",
           CMFILE_BOOLEAN);

    /* cm = file: the same list becomes the CM file pushed by Download. */
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(cmfile_write(l.v, l.n, &test_allocator, &text, &len, NULL), 0);
    struct cmfile *cf = NULL;
    assert_int_equal(cmfile_parse(text, len, NULL, &test_allocator, &cf, NULL), 0);
    assert_int_equal(cf->count, l.n);
    for (size_t i = 0; i < l.n; i++) {
        assert_string_equal(cf->params[i].name, l.v[i].name);
        assert_string_equal(cf->params[i].value, l.v[i].value);
    }
    cmfile_free(cf);
    test_free(text);
    prov_list_free(&l);

    /* No PM settings in this policy: nothing to send. */
    prov_list_init(&l, &test_allocator);
    assert_int_equal(prov_pm(p, CONF_ROOT_DEVICE, &l), 0);
    assert_int_equal(l.n, 0);
    prov_list_free(&l);
}

static void test_alarms(void **state)
{
    struct fixture *f = *state;
    const char *causes[] = {"Power problem", "Temperature unacceptable", NULL};
    struct prov_list l;
    prov_list_init(&l, &test_allocator);
    assert_int_equal(prov_alarms(&f->hms->policies[1], CONF_ROOT_DEVICE, causes, 3, &l), 0);
    assert_int_equal(l.n, 3);
    expect(&l, 0, "Device.FaultMgmt.SupportedAlarm.1.ReportingMechanism", "1 Queued",
           CMFILE_STRING);
    expect(&l, 1, "Device.FaultMgmt.SupportedAlarm.2.ReportingMechanism", "0 Expedited",
           CMFILE_STRING);
    expect(&l, 2, "Device.FaultMgmt.SupportedAlarm.3.ReportingMechanism", "1 Queued",
           CMFILE_STRING);
    prov_list_free(&l);

    /* A policy without a "*" line leaves unnamed alarms alone. */
    struct conf_policy only = {.nalarm = 1};
    only.alarm[0] = (struct conf_alarm){CONF_ALARM_DISABLED, "Power problem"};
    prov_list_init(&l, &test_allocator);
    assert_int_equal(prov_alarms(&only, CONF_ROOT_IGD, causes, 3, &l), 0);
    assert_int_equal(l.n, 1);
    expect(&l, 0, "InternetGatewayDevice.FaultMgmt.SupportedAlarm.1.ReportingMechanism",
           "3 Disabled", CMFILE_STRING);
    prov_list_free(&l);
}

static void test_deprovision_and_pm_off(void **state)
{
    (void) state;
    struct prov_list l;
    prov_list_init(&l, &test_allocator);
    assert_int_equal(
        prov_deprovision(CONF_ROOT_DEVICE, CONF_RAT_LTE, "https://hms-initial.example.net/", &l),
        0);
    assert_int_equal(l.n, 2);
    expect(&l, 0, DEV_FAPC "AdminState", "false", CMFILE_BOOLEAN);
    expect(&l, 1, "Device.ManagementServer.URL", "https://hms-initial.example.net/", CMFILE_STRING);
    prov_list_free(&l);

    struct conf_policy off = {.pm_enable = 0, .ipsec = -1};
    prov_list_init(&l, &test_allocator);
    assert_int_equal(prov_pm(&off, CONF_ROOT_DEVICE, &l), 0);
    assert_int_equal(l.n, 1);
    expect(&l, 0, "Device.FAP.PerfMgmt.Config.1.Enable", "false", CMFILE_BOOLEAN);
    assert_int_equal(prov_list_add(&l, "Nope.A", "x", CMFILE_STRING), CWMP_ERR_BAD_VALUE);
    assert_int_equal(prov_list_add(&l, "Device.A", "x", CMFILE_UNSIGNED_INT), CWMP_ERR_BAD_VALUE);
    prov_list_free(&l);
}

static int sweep(const struct cwmp_allocator *a, void *ctx)
{
    const struct conf_policy *p = ctx;
    struct prov_list l;
    prov_list_init(&l, a);
    int rv = prov_registration(p, CONF_ROOT_IGD, CONF_RAT_UMTS, &l);
    if (rv == 0)
        rv = prov_pm(p, CONF_ROOT_IGD, &l);
    if (rv == 0)
        assert_int_equal(l.n, 10);
    prov_list_free(&l);
    return rv;
}

static void test_alloc_sweep(void **state)
{
    struct fixture *f = *state;
    assert_true(alloc_sweep(sweep, &f->hms->policies[0], CWMP_ERR_NOMEM, 100) >= 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_umts_igd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lte_device_and_cm_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alarms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deprovision_and_pm_off, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_sweep, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
