/*
 * libcwmp examples - tests of what the HMS takes from an Inform.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "inform.h"

#define EE "InternetGatewayDevice.FaultMgmt.ExpeditedEvent."
#define QE "InternetGatewayDevice.FaultMgmt.QueuedEvent."

static void test_igd_inform(void **state)
{
    (void) state;
    const char *names[] = {
        "InternetGatewayDevice.DeviceInfo.SerialNumber",
        "InternetGatewayDevice.ManagementServer.ConnectionRequestURL",
        "InternetGatewayDevice.FAP.Tunnel.IKESA.1.IPAddress",
        EE "1.EventTime",
        EE "1.AlarmIdentifier",
        EE "1.NotificationType",
        EE "1.ProbableCause",
        EE "1.PerceivedSeverity",
        EE "2.EventTime", /* unpopulated slot */
        EE "2.AlarmIdentifier",
        QE "3.EventTime",
        QE "3.ProbableCause",
        QE "3.PerceivedSeverity",
        QE "4.EventTime", /* neither identifier nor cause: dropped */
        EE "x.EventTime", /* not an instance */
        EE "1.Bogus.Deep",
        "InternetGatewayDevice.FAP.GPS.LockedLatitude",
        "InternetGatewayDevice.FAP.GPS.LockedLongitude",
    };
    const char *values[] = {
        "HNB-0001",
        "http://172.16.0.5:7550/cr",
        "172.16.0.5",
        "2026-11-22T15:00:00Z",
        "7",
        "NewAlarm",
        "Temperature unacceptable",
        "Major",
        "0001-01-01T00:00:00Z",
        "8",
        "2026-11-22T15:01:00Z",
        "Power problem",
        "Minor",
        "2026-11-22T15:02:00Z",
        "junk",
        "junk",
        "48856613",
        "2352222",
    };
    const char *events[] = {"4 VALUE CHANGE", "X 00D09E Custom", "2 PERIODIC"};
    struct inform_digest d;
    inform_digest(names, values, sizeof(names) / sizeof(names[0]), events, 3, &d);
    assert_int_equal(d.root, HMS_ROOT_IGD);
    assert_int_equal(d.events, INFORM_EV_VALUE_CHANGE | INFORM_EV_PERIODIC);
    assert_string_equal(d.cr_url, "http://172.16.0.5:7550/cr");
    assert_string_equal(d.inner_ip, "172.16.0.5");
    assert_int_equal(d.nalarms, 2);
    assert_string_equal(d.alarms[0].mechanism, "expedited");
    assert_string_equal(d.alarms[0].alarm_identifier, "7");
    assert_string_equal(d.alarms[0].probable_cause, "Temperature unacceptable");
    assert_string_equal(d.alarms[0].specific_problem, "");
    assert_string_equal(d.alarms[1].mechanism, "queued");
    assert_string_equal(d.alarms[1].probable_cause, "Power problem");
    assert_true(d.loc.has_gps);
    assert_int_equal(d.loc.lat_udeg, 48856613);

    char joined[64];
    assert_int_equal(inform_events_join(events, 3, joined, sizeof(joined)), 0);
    assert_string_equal(joined, "4 VALUE CHANGE,X 00D09E Custom,2 PERIODIC");
    assert_int_equal(inform_events_join(events, 3, joined, 10), CWMP_ERR_BUFFER);
    assert_int_equal(inform_events_join(NULL, 0, joined, sizeof(joined)), 0);
    assert_string_equal(joined, "");
}

static void test_device_inform_and_hostile(void **state)
{
    (void) state;
    const char *names[] = {
        "Device.ManagementServer.ConnectionRequestURL",
        "Device.IPsec.IKEv2SA.1.LocalAddress",
        "Device.IPsec.IKEv2SA.2.LocalAddress",
        NULL,
        "Device.FaultMgmt.ExpeditedEvent.0.AlarmIdentifier",
        "Device.FaultMgmt.ExpeditedEvent.1234567.AlarmIdentifier",
    };
    const char *values[] = {"javascript:alert(1)", "2001:db8::7", "not-an-ip", "x", "1", "2"};
    const char *events[] = {"0 BOOTSTRAP", "1 BOOT", NULL};
    struct inform_digest d;
    inform_digest(names, values, 6, events, 3, &d);
    assert_int_equal(d.root, HMS_ROOT_DEVICE);
    assert_int_equal(d.events, INFORM_EV_BOOTSTRAP | INFORM_EV_BOOT);
    assert_null(d.cr_url);                          /* not an http(s) URL */
    assert_string_equal(d.inner_ip, "2001:db8::7"); /* the invalid one is ignored */
    assert_int_equal(d.nalarms, 0);                 /* instance 0 and 7 digits refused */

    /* More alarm instances than the digest holds: the rest is dropped. */
    char nbuf[40][80];
    const char *nn[40], *vv[40];
    for (int i = 0; i < 40; i++) {
        snprintf(nbuf[i], sizeof(nbuf[i]), "Device.FaultMgmt.QueuedEvent.%d.AlarmIdentifier",
                 i + 1);
        nn[i] = nbuf[i];
        vv[i] = "9";
    }
    inform_digest(nn, vv, 40, NULL, 0, &d);
    assert_int_equal(d.nalarms, INFORM_MAX_ALARMS);
    inform_digest(NULL, NULL, 5, NULL, 2, &d);
    assert_int_equal(d.root, HMS_ROOT_UNKNOWN);
    assert_int_equal(d.nalarms, 0);
}

/* The digest feeds the registry directly. */
static void test_into_registry(void **state)
{
    (void) state;
    struct hms_registry *r = NULL;
    assert_int_equal(hms_registry_open(&r, ":memory:", NULL, &test_allocator, NULL, 0), 0);
    const char *names[] = {"Device.FaultMgmt.ExpeditedEvent.1.AlarmIdentifier",
                           "Device.FaultMgmt.ExpeditedEvent.1.ProbableCause"};
    const char *values[] = {"7", "Temperature unacceptable"};
    const char *events[] = {"4 VALUE CHANGE"};
    struct inform_digest d;
    inform_digest(names, values, 2, events, 1, &d);
    struct hms_device_id id = {"00D09E", "FAP-LTE", "HENB-0001"};
    char ev[128];
    assert_int_equal(inform_events_join(events, 1, ev, sizeof(ev)), 0);
    int64_t dev;
    assert_int_equal(hms_registry_inform(r, &id, HMS_DEV_HENB, HMS_ROLE_SERVING, 1, ev, &dev, NULL),
                     0);
    assert_int_equal(hms_registry_set_root(r, dev, d.root), 0);
    for (size_t i = 0; i < d.nalarms; i++)
        assert_int_equal(hms_registry_add_alarm(r, dev, &d.alarms[i]), 0);
    struct hms_device *row = NULL;
    assert_int_equal(hms_registry_get(r, dev, &row), 0);
    assert_int_equal(row->root, HMS_ROOT_DEVICE);
    assert_string_equal(row->last_events, "4 VALUE CHANGE");
    hms_device_free(r, row);
    hms_registry_close(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_igd_inform),
        cmocka_unit_test(test_device_inform_and_hostile),
        cmocka_unit_test(test_into_registry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
