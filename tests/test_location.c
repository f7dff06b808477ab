/*
 * libcwmp examples - tests of identity/location values, agent to HMS.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "location.h"

#ifndef EXAMPLES_CONF_DIR
#error "EXAMPLES_CONF_DIR must point to examples/conf"
#endif

struct pairs {
    char name[40][CMFILE_MAX_NAME + 1];
    char value[40][64];
    enum cmfile_type type[40];
    const char *np[40], *vp[40];
    size_t n;
};

static int collect(void *ud, const char *name, const char *value, enum cmfile_type type)
{
    struct pairs *p = ud;
    if (p->n >= 40)
        return -1;
    assert_true(cmfile_name_ok(name));
    assert_true(cmfile_value_ok(type, value));
    snprintf(p->name[p->n], sizeof(p->name[0]), "%s", name);
    snprintf(p->value[p->n], sizeof(p->value[0]), "%s", value);
    p->type[p->n] = type;
    p->np[p->n] = p->name[p->n];
    p->vp[p->n] = p->value[p->n];
    p->n++;
    return 0;
}

static struct conf_doc *load(const char *file)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", EXAMPLES_CONF_DIR, file);
    size_t len;
    char *text = read_file(path, &len);
    assert_non_null(text);
    struct conf_doc *d = NULL;
    assert_int_equal(conf_parse(text, len, &test_allocator, &d, NULL), 0);
    test_free(text);
    return d;
}

/* Agent config -> Inform values -> HMS policy: returns the policy's name. */
static const char *select_for(const char *agent_file, struct pairs *p)
{
    struct conf_doc *ad = load(agent_file);
    struct conf_agent a;
    assert_int_equal(conf_agent_load(ad, &a, NULL), 0);
    memset(p, 0, sizeof(*p));
    assert_int_equal(loc_agent_values(&a, collect, p), 0);
    struct loc_info li;
    loc_from_inform(p->np, p->vp, p->n, &li);
    struct conf_device_info dev = {a.oui, a.product_class, a.serial, a.rat, 0, 0, 0, NULL, 0};
    loc_fill_device_info(&li, &dev);
    assert_int_equal(dev.has_gps, a.has_gps);
    if (a.has_gps) {
        assert_int_equal(dev.lat_udeg, a.gps_lat_udeg);
        assert_int_equal(dev.lon_udeg, a.gps_lon_udeg);
    }
    struct conf_doc *hd = load("hms.conf");
    struct conf_hms *h = NULL;
    assert_int_equal(conf_hms_load(hd, &h, NULL), 0);
    const struct conf_policy *pol = conf_policy_select(h, &dev);
    static char name[64];
    snprintf(name, sizeof(name), "%s", pol ? pol->name : "(none)");
    conf_hms_free(h);
    conf_free(hd);
    conf_free(ad);
    return name;
}

static void test_agent_to_policy(void **state)
{
    (void) state;
    struct pairs *p = test_malloc(sizeof(*p));
    const char *name = select_for("hnb-agent.conf", p);
    assert_string_equal(name, "paris-umts");
    assert_string_equal(p->name[0], "InternetGatewayDevice.DeviceInfo.Manufacturer");
    assert_string_equal(p->name[4], "InternetGatewayDevice.FAP.GPS.LockedLatitude");
    assert_string_equal(p->value[4], "48856613");
    assert_int_equal(p->type[4], CMFILE_INT);
    assert_string_equal(
        p->name[6],
        "InternetGatewayDevice.Services.FAPService.1.REM.UMTS.WCDMA.Cell.1.BCCH.PLMNID");
    assert_int_equal(p->n, 4 + 2 + 2 * 3);

    name = select_for("henb-agent.conf", p);
    assert_string_equal(name, "lte-20801");
    assert_string_equal(p->name[4],
                        "Device.Services.FAPService.1.REM.LTE.Cell.1.BCCH.PLMNList.1.PLMNID");
    assert_string_equal(p->name[5], "Device.Services.FAPService.1.REM.LTE.Cell.1.BCCH.TAC");
    test_free(p);
}

static void test_hostile_inform(void **state)
{
    (void) state;
    const char *names[] = {
        "Device.FAP.GPS.LockedLatitude",
        "Device.FAP.GPS.LockedLongitude",
        "Device.Services.FAPService.1.REM.LTE.Cell.1.BCCH.PLMNList.1.PLMNID",
        "Device.Services.FAPService.1.REM.LTE.Cell.2.BCCH.PLMNList.1.PLMNID",
        "Device.Services.FAPService.1.REM.LTE.Cell.3.BCCH.PLMNList.1.PLMNID",
        "Device.Services.FAPService.1.REM.LTE.Cell.4.BCCH.PLMNList.1.PLMNID",
        "Device.DeviceInfo.X_PLMNID",
        NULL,
    };
    const char *values[] = {"90000001", "2000000", "20801", "20801",
                            "2080'",    "1234567", "20810", "x"};
    struct loc_info li;
    loc_from_inform(names, values, 8, &li);
    assert_false(li.has_gps); /* latitude out of range: no location */
    assert_int_equal(li.nplmns, 1);
    assert_string_equal(li.plmn[0], "20801");

    /* TR-196 Issue 1 GPS inside FAPService, GSM neighbours. */
    const char *n1[] = {"InternetGatewayDevice.Services.FAPService.1.GPS.LockedLatitude",
                        "InternetGatewayDevice.Services.FAPService.1.GPS.LockedLongitude",
                        "InternetGatewayDevice.Services.FAPService.1.REM.UMTS.GSM.Cell.1.PLMNID"};
    const char *v1[] = {"-33868800", "151209300", "50501"};
    loc_from_inform(n1, v1, 3, &li);
    assert_true(li.has_gps);
    assert_int_equal(li.lat_udeg, -33868800);
    assert_int_equal(li.lon_udeg, 151209300);
    assert_int_equal(li.nplmns, 1);
    const char *v2[] = {"-33868800", "+151209300", "50501"};
    loc_from_inform(n1, v2, 3, &li);
    assert_false(li.has_gps);

    /* More PLMNs than the table holds: the rest is dropped. */
    const char *many_n[20];
    char many_v[20][8];
    const char *many_vp[20];
    for (int i = 0; i < 20; i++) {
        many_n[i] = "Device.Services.FAPService.1.REM.LTE.Cell.1.BCCH.PLMNList.1.PLMNID";
        snprintf(many_v[i], sizeof(many_v[i]), "%05d", 10000 + i);
        many_vp[i] = many_v[i];
    }
    loc_from_inform(many_n, many_vp, 20, &li);
    assert_int_equal(li.nplmns, CONF_MAX_REM);
}

static int stop_at_third(void *ud, const char *name, const char *value, enum cmfile_type type)
{
    (void) name;
    (void) value;
    (void) type;
    return ++*(int *) ud == 3 ? 42 : 0;
}

static void test_emit_stops(void **state)
{
    (void) state;
    struct conf_agent a = {0};
    a.manufacturer = "M";
    a.oui = "00D09E";
    a.product_class = "";
    a.serial = "S";
    int calls = 0;
    assert_int_equal(loc_agent_values(&a, stop_at_third, &calls), 42);
    assert_int_equal(calls, 3);
    assert_int_equal(loc_agent_values(NULL, stop_at_third, &calls), CWMP_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_agent_to_policy),
        cmocka_unit_test(test_hostile_inform),
        cmocka_unit_test(test_emit_stops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
