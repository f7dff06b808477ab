/*
 * libcwmp tests - femto helpers: alarms, PM schedule, discovery parameters.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include <cwmp/datamodel.h>
#include <cwmp/error.h>
#include <cwmp/fap.h>

#include "dm_testschema.h"

#define FM "Device.FaultMgmt."
#define T0 1795000000 /* 2026-11-18T… */

static const char *getv(struct cwmp_dm *dm, const char *name)
{
    static char buf[600];
    int rv = cwmp_dm_get(dm, name, buf, sizeof(buf));
    if (rv < 0)
        snprintf(buf, sizeof(buf), "<%d>", rv);
    return buf;
}

static struct cwmp_dm *new_fap(struct cwmp_dm_schema **s)
{
    struct cwmp_dm *dm;
    *s = tschema_fap();
    assert_int_equal(cwmp_dm_new(&dm, &test_allocator, *s, NULL), 0);
    return dm;
}

static void supported(struct cwmp_dm *dm, const char *et, const char *pc, const char *sp,
                      const char *sev, const char *mech)
{
    uint32_t n;
    char p[128];
    assert_int_equal(cwmp_dm_add_instance(dm, FM "SupportedAlarm.", 0, &n), 0);
    snprintf(p, sizeof(p), FM "SupportedAlarm.%u.EventType", n);
    assert_int_equal(cwmp_dm_set(dm, p, et), 0);
    snprintf(p, sizeof(p), FM "SupportedAlarm.%u.ProbableCause", n);
    assert_int_equal(cwmp_dm_set(dm, p, pc), 0);
    snprintf(p, sizeof(p), FM "SupportedAlarm.%u.SpecificProblem", n);
    assert_int_equal(cwmp_dm_set(dm, p, sp), 0);
    snprintf(p, sizeof(p), FM "SupportedAlarm.%u.PerceivedSeverity", n);
    assert_int_equal(cwmp_dm_set(dm, p, sev), 0);
    snprintf(p, sizeof(p), FM "SupportedAlarm.%u.ReportingMechanism", n);
    assert_int_equal(cwmp_dm_set(dm, p, mech), 0);
}

static const struct cwmp_alarm tx_fail = {
    "Equipment Alarm", "Transmitter failure",          "PA",
    CWMP_ALARM_MAJOR,  "Device.Services.FAPService.1", "PA overheated",
    "temp=92C"};
static const struct cwmp_alarm sync_loss = {"Communications Alarm",
                                            "Loss of synchronization",
                                            NULL,
                                            CWMP_ALARM_MINOR,
                                            "Device.FAP.GPS",
                                            NULL,
                                            NULL};

static int find_value(const struct cwmp_dm_result *r, const char *name)
{
    for (size_t i = 0; i < r->value_count; i++)
        if (strcmp(r->values[i].name, name) == 0)
            return (int) i;
    return -1;
}

static void test_alarm_expedited(void **state)
{
    struct cwmp_dm_schema *s;
    struct cwmp_dm *dm = new_fap(&s);
    struct cwmp_dm_result r = CWMP_DM_RESULT_INIT;
    char id[70];
    bool vc;
    (void) state;
    supported(dm, "Equipment Alarm", "Transmitter failure", "", "*", "0 Expedited");
    assert_int_equal(cwmp_dm_poll(dm), 0);
    assert_int_equal(cwmp_alarm_raise(dm, NULL, &tx_fail, T0, id, sizeof(id)), 0);
    assert_string_equal(id, "1");
    assert_string_equal(getv(dm, FM "CurrentAlarmNumberOfEntries"), "1");
    assert_string_equal(getv(dm, FM "CurrentAlarm.1.PerceivedSeverity"), "Major");
    assert_string_equal(getv(dm, FM "CurrentAlarm.1.ManagedObjectInstance"),
                        "Device.Services.FAPService.1");
    assert_string_equal(getv(dm, FM "CurrentAlarm.1.AlarmRaisedTime"), "2026-11-18T11:06:40Z");
    assert_string_equal(getv(dm, FM "HistoryEvent.1.NotificationType"), "NewAlarm");
    assert_string_equal(getv(dm, FM "ExpeditedEvent.1.AlarmIdentifier"), "1");
    assert_string_equal(getv(dm, FM "ExpeditedEvent.1.AdditionalInformation"), "temp=92C");
    assert_int_equal(cwmp_dm_instance_count(dm, FM "QueuedEvent."), 0);
    /* active notification: a session now, with the event in the Inform */
    assert_int_equal(cwmp_dm_poll(dm) & CWMP_DM_CHANGE_ACTIVE, CWMP_DM_CHANGE_ACTIVE);
    assert_int_equal(cwmp_dm_inform_params(dm, &r, &vc), 0);
    assert_true(vc);
    assert_true(find_value(&r, FM "ExpeditedEvent.1.ProbableCause") >= 0);
    assert_true(find_value(&r, FM "HistoryEvent.1.ProbableCause") < 0);
    cwmp_dm_result_free(&r);
    cwmp_dm_inform_done(dm, true);
    assert_int_equal(cwmp_dm_poll(dm), 0);

    /* same severity again: nothing new */
    assert_int_equal(cwmp_alarm_raise(dm, NULL, &tx_fail, T0 + 5, NULL, 0), 0);
    assert_int_equal(cwmp_dm_instance_count(dm, FM "HistoryEvent."), 1);
    /* severity change */
    struct cwmp_alarm crit = tx_fail;
    crit.severity = CWMP_ALARM_CRITICAL;
    assert_int_equal(cwmp_alarm_raise(dm, NULL, &crit, T0 + 10, id, sizeof(id)), 0);
    assert_string_equal(id, "1");
    assert_string_equal(getv(dm, FM "CurrentAlarm.1.PerceivedSeverity"), "Critical");
    assert_string_equal(getv(dm, FM "CurrentAlarm.1.AlarmChangedTime"), "2026-11-18T11:06:50Z");
    assert_string_equal(getv(dm, FM "HistoryEvent.2.NotificationType"), "ChangedAlarm");
    assert_string_equal(getv(dm, FM "ExpeditedEvent.2.NotificationType"), "ChangedAlarm");
    /* clear */
    assert_int_equal(cwmp_alarm_clear(dm, NULL, &tx_fail, T0 + 20), 0);
    assert_string_equal(getv(dm, FM "CurrentAlarmNumberOfEntries"), "0");
    assert_string_equal(getv(dm, FM "HistoryEvent.3.NotificationType"), "ClearedAlarm");
    assert_string_equal(getv(dm, FM "HistoryEvent.3.PerceivedSeverity"), "Cleared");
    assert_string_equal(getv(dm, FM "ExpeditedEvent.3.AlarmIdentifier"), "1");
    assert_int_equal(cwmp_alarm_clear(dm, NULL, &tx_fail, T0 + 30), CWMP_ERR_NOT_FOUND);
    /* a new raise gets a new identifier */
    assert_int_equal(cwmp_alarm_raise(dm, NULL, &tx_fail, T0 + 40, id, sizeof(id)), 0);
    assert_string_equal(id, "2");
    cwmp_dm_free(dm);
    tschema_free(s);
}

static void test_alarm_queued_logged_disabled(void **state)
{
    struct cwmp_dm_schema *s;
    struct cwmp_dm *dm = new_fap(&s);
    struct cwmp_alarm a = sync_loss;
    (void) state;
    supported(dm, "Communications Alarm", "Loss of synchronization", "", "Minor", "1 Queued");
    supported(dm, "Communications Alarm", "Loss of synchronization", "", "Major", "2 Logged");
    supported(dm, "Communications Alarm", "Loss of synchronization", "", "Critical", "3 Disabled");
    assert_int_equal(cwmp_dm_poll(dm), 0);
    assert_int_equal(cwmp_alarm_raise(dm, NULL, &a, T0, NULL, 0), 0);
    assert_int_equal(cwmp_dm_instance_count(dm, FM "QueuedEvent."), 1);
    assert_int_equal(cwmp_dm_instance_count(dm, FM "ExpeditedEvent."), 0);
    assert_string_equal(getv(dm, FM "QueuedEvent.1.SpecificProblem"), "");
    assert_int_equal(cwmp_dm_poll(dm), CWMP_DM_CHANGE_PASSIVE);
    a.severity = CWMP_ALARM_MAJOR; /* logged */
    assert_int_equal(cwmp_alarm_raise(dm, NULL, &a, T0 + 1, NULL, 0), 0);
    assert_int_equal(cwmp_dm_instance_count(dm, FM "QueuedEvent."), 1);
    assert_int_equal(cwmp_dm_instance_count(dm, FM "HistoryEvent."), 2);
    a.severity = CWMP_ALARM_CRITICAL; /* disabled */
    assert_int_equal(cwmp_alarm_raise(dm, NULL, &a, T0 + 2, NULL, 0), 0);
    assert_int_equal(cwmp_dm_instance_count(dm, FM "HistoryEvent."), 2);
    assert_string_equal(getv(dm, FM "CurrentAlarm.1.PerceivedSeverity"), "Major");
    /* unlisted alarm types use the option (default queued) */
    struct cwmp_alarm_options o;
    cwmp_alarm_options_init(&o);
    o.unlisted = CWMP_ALARM_LOGGED;
    assert_int_equal(cwmp_alarm_raise(dm, &o, &tx_fail, T0 + 3, NULL, 0), 0);
    assert_int_equal(cwmp_dm_instance_count(dm, FM "QueuedEvent."), 1);
    assert_int_equal(cwmp_dm_instance_count(dm, FM "CurrentAlarm."), 2);
    cwmp_dm_free(dm);
    tschema_free(s);
}

static void test_alarm_rolling_and_limits(void **state)
{
    struct cwmp_dm_schema *s;
    struct cwmp_dm *dm = new_fap(&s);
    struct cwmp_alarm_options o;
    struct cwmp_alarm a = tx_fail;
    char moi[32];
    (void) state;
    cwmp_alarm_options_init(&o);
    o.max_queued = 2;
    o.max_history = 3;
    for (int i = 0; i < 5; i++) {
        snprintf(moi, sizeof(moi), "Device.X.%d", i);
        a.managed_object_instance = moi;
        assert_int_equal(cwmp_alarm_raise(dm, &o, &a, T0 + i, NULL, 0), 0);
    }
    assert_int_equal(cwmp_dm_instance_count(dm, FM "QueuedEvent."), 2);
    assert_int_equal(cwmp_dm_instance_count(dm, FM "HistoryEvent."), 3);
    assert_string_equal(getv(dm, FM "QueuedEvent.5.ManagedObjectInstance"), "Device.X.4");
    assert_string_equal(getv(dm, FM "QueuedEvent.3.ManagedObjectInstance"), "<-10>");
    /* MaxCurrentAlarmEntries (32 in the test model) */
    for (int i = 5; i < 32; i++) {
        snprintf(moi, sizeof(moi), "Device.X.%d", i);
        a.managed_object_instance = moi;
        assert_int_equal(cwmp_alarm_raise(dm, &o, &a, T0 + i, NULL, 0), 0);
    }
    a.managed_object_instance = "Device.Y";
    assert_int_equal(cwmp_alarm_raise(dm, &o, &a, T0, NULL, 0), CWMP_ERR_LIMIT);
    /* bad input */
    char longs[300];
    memset(longs, 'x', sizeof(longs) - 1);
    longs[sizeof(longs) - 1] = '\0';
    a.additional_text = longs;
    assert_int_equal(cwmp_alarm_raise(dm, &o, &a, T0, NULL, 0), CWMP_ERR_BAD_VALUE);
    a.event_type = NULL;
    assert_int_equal(cwmp_alarm_raise(dm, &o, &a, T0, NULL, 0), CWMP_ERR_INVALID_ARG);
    o.fault_mgmt_path = "Device.Nope.";
    assert_int_equal(cwmp_alarm_raise(dm, &o, &tx_fail, T0, NULL, 0), CWMP_ERR_NOT_FOUND);
    assert_string_equal(cwmp_alarm_severity_name(CWMP_ALARM_WARNING), "Warning");
    assert_string_equal(cwmp_alarm_severity_name((enum cwmp_alarm_severity) 42), "Indeterminate");
    cwmp_dm_free(dm);
    tschema_free(s);
}

static void test_alarm_builtin_models(void **state)
{
    (void) state;
    for (int m = CWMP_DM_MODEL_DEVICE2; m <= CWMP_DM_MODEL_DEVICE2_ISSUE1; m++) {
        struct cwmp_dm *dm;
        char p[160], id[16];
        const char *root;
        assert_int_equal(
            cwmp_dm_new(&dm, &test_allocator, cwmp_dm_schema_builtin((enum cwmp_dm_model) m), NULL),
            0);
        root = cwmp_dm_root_name(dm);
        snprintf(p, sizeof(p), "%s.Services.FAPService.", root);
        assert_int_equal(cwmp_dm_add_instance(dm, p, 0, NULL), 0);
        assert_int_equal(cwmp_alarm_raise(dm, NULL, &tx_fail, T0, id, sizeof(id)), 0);
        assert_string_equal(id, "1");
        if (m == CWMP_DM_MODEL_IGD_ISSUE1 || m == CWMP_DM_MODEL_DEVICE2_ISSUE1)
            snprintf(p, sizeof(p), "%s.Services.FAPService.1.FaultMgmt.QueuedEvent.", root);
        else
            snprintf(p, sizeof(p), "%s.FaultMgmt.QueuedEvent.", root);
        assert_int_equal(cwmp_dm_instance_count(dm, p), 1);
        assert_int_equal(cwmp_alarm_clear(dm, NULL, &tx_fail, T0 + 1), 0);
        assert_int_equal(cwmp_dm_instance_count(dm, p), 2);
        cwmp_dm_free(dm);
    }
}

/* ---- PM ----------------------------------------------------------------------- */

static void test_pm_next_upload(void **state)
{
    (void) state;
    assert_int_equal(cwmp_pm_next_upload(1000, 0, 900), 1800);
    assert_int_equal(cwmp_pm_next_upload(1800, 0, 900), 2700); /* strictly after */
    assert_int_equal(cwmp_pm_next_upload(1799, 0, 900), 1800);
    assert_int_equal(cwmp_pm_next_upload(100, 1000, 900), 1000);
    assert_int_equal(cwmp_pm_next_upload(99, 1000, 900), 100);
    assert_int_equal(cwmp_pm_next_upload(-5, 1000, 100), 0);
    assert_int_equal(cwmp_pm_next_upload(0, 1000, 100), 100);
    assert_int_equal(cwmp_pm_next_upload(5, 7, 0), -1);
    /* every result is aligned, after now, and within one interval */
    for (int64_t now = -2000; now < 2000; now += 37) {
        int64_t n = cwmp_pm_next_upload(now, 333, 250);
        assert_true(n > now && n - now <= 250 && (n - 333) % 250 == 0);
    }
}

static void test_pm_config(void **state)
{
    struct cwmp_dm_schema *s;
    struct cwmp_dm *dm = new_fap(&s);
    struct cwmp_pm_config c;
    struct cwmp_dm_result r = CWMP_DM_RESULT_INIT;
    (void) state;
    assert_int_equal(cwmp_pm_config_get(dm, NULL, T0, &c), CWMP_ERR_NOT_FOUND);
    assert_int_equal(cwmp_dm_add_object(dm, "Device.FAP.PerfMgmt.Config.", NULL, &r), 0);
    struct cwmp_param_value p[] = {
        {"Device.FAP.PerfMgmt.Config.1.URL", "https://pm.example/upload", CWMP_TYPE_STRING, NULL},
        {"Device.FAP.PerfMgmt.Config.1.Username", "henb", CWMP_TYPE_STRING, NULL},
        {"Device.FAP.PerfMgmt.Config.1.Password", "pw", CWMP_TYPE_STRING, NULL},
        {"Device.FAP.PerfMgmt.Config.1.PeriodicUploadInterval", "900", CWMP_TYPE_UNSIGNED_INT,
         NULL},
        {"Device.FAP.PerfMgmt.Config.1.PeriodicUploadTime", "2026-01-01T00:05:00Z",
         CWMP_TYPE_DATETIME, NULL},
    };
    assert_int_equal(cwmp_dm_set_values(dm, p, 5, "pm", &r), 0);
    assert_int_equal(cwmp_pm_config_get(dm, NULL, T0, &c), 0);
    assert_false(c.enable);
    assert_int_equal(c.next_upload, -1);
    assert_string_equal(c.url, "https://pm.example/upload");
    assert_string_equal(c.password, "pw");
    assert_int_equal(c.interval, 900);
    struct cwmp_param_value e = {"Device.FAP.PerfMgmt.Config.1.Enable", "true", CWMP_TYPE_BOOLEAN,
                                 NULL};
    assert_int_equal(cwmp_dm_set_values(dm, &e, 1, "pm2", &r), 0);
    assert_int_equal(cwmp_pm_config_get(dm, "Device.FAP.PerfMgmt.Config.1.", T0, &c), 0);
    assert_true(c.enable);
    assert_int_equal(c.upload_time, 1767225900);
    assert_true(c.next_upload > T0 && c.next_upload - T0 <= 900);
    assert_int_equal((c.next_upload - 1767225900) % 900, 0);
    /* Unknown Time aligns on the epoch */
    struct cwmp_param_value u = {"Device.FAP.PerfMgmt.Config.1.PeriodicUploadTime",
                                 "0001-01-01T00:00:00Z", CWMP_TYPE_DATETIME, NULL};
    assert_int_equal(cwmp_dm_set_values(dm, &u, 1, "pm3", &r), 0);
    assert_int_equal(cwmp_pm_config_get(dm, NULL, T0, &c), 0);
    assert_int_equal(c.next_upload % 900, 0);
    assert_int_equal(cwmp_pm_config_get(dm, "Device.FAP.PerfMgmt.Config.9.", T0, &c),
                     CWMP_ERR_NOT_FOUND);
    cwmp_dm_result_free(&r);
    cwmp_dm_free(dm);
    tschema_free(s);
}

static void test_pm_issue1(void **state)
{
    struct cwmp_dm *dm;
    struct cwmp_pm_config c;
    (void) state;
    assert_int_equal(
        cwmp_dm_new(&dm, &test_allocator, cwmp_dm_schema_builtin(CWMP_DM_MODEL_IGD_ISSUE1), NULL),
        0);
    assert_int_equal(
        cwmp_dm_add_instance(dm, "InternetGatewayDevice.Services.FAPService.", 0, NULL), 0);
    const char *b = "InternetGatewayDevice.Services.FAPService.1.PerfMgmt.FileMgmt.";
    char p[160];
    snprintf(p, sizeof(p), "%sPeriodicUploadEnable", b);
    assert_int_equal(cwmp_dm_set(dm, p, "1"), 0);
    snprintf(p, sizeof(p), "%sPeriodicUploadInterval", b);
    assert_int_equal(cwmp_dm_set(dm, p, "3600"), 0);
    assert_int_equal(cwmp_pm_config_get(dm, NULL, 7200, &c), 0);
    assert_true(c.enable);
    assert_int_equal(c.next_upload, 10800);
    cwmp_dm_free(dm);
}

/* ---- discovery ---------------------------------------------------------------- */

static void test_gateways(void **state)
{
    struct cwmp_dm_schema *s;
    struct cwmp_dm *dm = new_fap(&s);
    struct cwmp_fap_gateways g;
    struct cwmp_dm_result r = CWMP_DM_RESULT_INIT;
    char p[160];
    (void) state;
    assert_int_equal(cwmp_fap_gateways_get(dm, 1, CWMP_FAP_LTE, &g), CWMP_ERR_NOT_FOUND);
    assert_int_equal(cwmp_dm_add_instance(dm, "Device.Services.FAPService.", 0, NULL), 0);
    /* the initial HeMS provisions the serving elements in one SPV */
    struct cwmp_param_value sp[] = {
        {"Device.ManagementServer.URL", "https://hems.op/acs", CWMP_TYPE_STRING, NULL},
        {"Device.Services.FAPService.1.FAPControl.LTE.Gateway.SecGWServer1", "segw1.op",
         CWMP_TYPE_STRING, NULL},
        {"Device.Services.FAPService.1.FAPControl.LTE.Gateway.S1SigLinkServerList",
         "10.1.1.1,10.1.1.2", CWMP_TYPE_STRING, NULL},
        {"Device.Services.FAPService.1.FAPControl.LTE.Gateway.S1ConnectionMode", "All",
         CWMP_TYPE_STRING, NULL},
        {"Device.IPsec.Enable", "true", CWMP_TYPE_BOOLEAN, NULL},
    };
    assert_int_equal(cwmp_dm_set_values(dm, sp, 5, "disc", &r), 0);
    assert_int_equal(cwmp_fap_gateways_get(dm, 1, CWMP_FAP_LTE, &g), 0);
    assert_string_equal(g.secgw[0], "segw1.op");
    assert_string_equal(g.secgw[1], "");
    assert_string_equal(g.s1_servers, "10.1.1.1,10.1.1.2");
    assert_string_equal(g.s1_mode, "All");
    assert_int_equal(g.s1_port, 36412);
    assert_string_equal(g.hms_url, "https://hems.op/acs");
    assert_int_equal(g.ipsec, 1);
    assert_int_equal(cwmp_fap_gateways_get(dm, 1, CWMP_FAP_UMTS, &g), 0);
    assert_int_equal(g.fapgw_port, 29169);
    assert_int_equal(cwmp_fap_ipsec_param(dm, 1, p, sizeof(p)),
                     (int) strlen("Device.IPsec.Enable"));
    assert_string_equal(p, "Device.IPsec.Enable");
    assert_int_equal(cwmp_fap_ipsec_param(dm, 1, p, 5), CWMP_ERR_BUFFER);
    cwmp_dm_result_free(&r);
    cwmp_dm_free(dm);
    tschema_free(s);

    /* IGD: FAP.Tunnel.UseForCWMP; Issue 1: FAPService.{i}.Transport.Tunnel.UseForCWMP */
    s = tschema_fap_igd();
    assert_int_equal(cwmp_dm_new(&dm, &test_allocator, s, NULL), 0);
    assert_int_equal(cwmp_fap_ipsec_param(dm, 1, p, sizeof(p)), 43);
    assert_string_equal(p, "InternetGatewayDevice.FAP.Tunnel.UseForCWMP");
    cwmp_dm_free(dm);
    tschema_free(s);
    assert_int_equal(
        cwmp_dm_new(&dm, &test_allocator, cwmp_dm_schema_builtin(CWMP_DM_MODEL_IGD_ISSUE1), NULL),
        0);
    assert_int_equal(
        cwmp_dm_add_instance(dm, "InternetGatewayDevice.Services.FAPService.", 0, NULL), 0);
    assert_true(cwmp_fap_ipsec_param(dm, 1, p, sizeof(p)) > 0);
    assert_string_equal(p,
                        "InternetGatewayDevice.Services.FAPService.1.Transport.Tunnel.UseForCWMP");
    assert_int_equal(cwmp_fap_gateways_get(dm, 1, CWMP_FAP_UMTS, &g), 0);
    assert_int_equal(g.ipsec, 0);
    assert_int_equal(cwmp_fap_gateways_get(dm, 1, CWMP_FAP_LTE, &g), CWMP_ERR_NOT_FOUND);
    cwmp_dm_free(dm);
}

static void test_builtin_flows(void **state)
{
    (void) state;
    for (int m = CWMP_DM_MODEL_DEVICE2; m <= CWMP_DM_MODEL_IGD; m++) {
        struct cwmp_dm *dm;
        struct cwmp_dm_result r = CWMP_DM_RESULT_INIT;
        struct cwmp_fap_gateways g;
        struct cwmp_pm_config c;
        char p[5][160], ip[160];
        const char *root;
        assert_int_equal(
            cwmp_dm_new(&dm, &test_allocator, cwmp_dm_schema_builtin((enum cwmp_dm_model) m), NULL),
            0);
        root = cwmp_dm_root_name(dm);
        snprintf(p[0], sizeof(p[0]), "%s.Services.FAPService.", root);
        assert_int_equal(cwmp_dm_add_instance(dm, p[0], 0, NULL), 0);
        /* discovery: one SPV from the initial HeMS, then the agent reads the result */
        assert_true(cwmp_fap_ipsec_param(dm, 1, ip, sizeof(ip)) > 0);
        snprintf(p[0], sizeof(p[0]), "%s.ManagementServer.URL", root);
        snprintf(p[1], sizeof(p[1]), "%s.Services.FAPService.1.FAPControl.LTE.Gateway.SecGWServer1",
                 root);
        snprintf(p[2], sizeof(p[2]),
                 "%s.Services.FAPService.1.FAPControl.LTE.Gateway.S1SigLinkServerList", root);
        snprintf(p[3], sizeof(p[3]),
                 "%s.Services.FAPService.1.FAPControl.UMTS.Gateway.FAPGWServer1", root);
        struct cwmp_param_value sp[] = {
            {p[0], "https://hems.op/acs", CWMP_TYPE_STRING, NULL},
            {p[1], "segw.op", CWMP_TYPE_STRING, NULL},
            {p[2], "10.9.9.9", CWMP_TYPE_STRING, NULL},
            {p[3], "hnbgw.op", CWMP_TYPE_STRING, NULL},
            {ip, "1", CWMP_TYPE_BOOLEAN, NULL},
        };
        assert_int_equal(cwmp_dm_set_values(dm, sp, 5, "disc-1", &r), 0);
        assert_int_equal(r.status, 0);
        assert_int_equal(cwmp_fap_gateways_get(dm, 1, CWMP_FAP_LTE, &g), 0);
        assert_string_equal(g.secgw[0], "segw.op");
        assert_string_equal(g.s1_servers, "10.9.9.9");
        assert_string_equal(g.hms_url, "https://hems.op/acs");
        assert_int_equal(g.ipsec, 1);
        assert_int_equal(cwmp_fap_gateways_get(dm, 1, CWMP_FAP_UMTS, &g), 0);
        assert_string_equal(g.fapgw[0], "hnbgw.op");
        /* PM: AddObject + SPV from the HeMS */
        snprintf(p[4], sizeof(p[4]), "%s.FAP.PerfMgmt.Config.", root);
        cwmp_dm_result_free(&r);
        assert_int_equal(cwmp_dm_add_object(dm, p[4], "pm-1", &r), 0);
        snprintf(p[0], sizeof(p[0]), "%s.FAP.PerfMgmt.Config.%u.Enable", root, r.instance);
        snprintf(p[1], sizeof(p[1]), "%s.FAP.PerfMgmt.Config.%u.PeriodicUploadInterval", root,
                 r.instance);
        snprintf(p[2], sizeof(p[2]), "%s.FAP.PerfMgmt.Config.%u.URL", root, r.instance);
        struct cwmp_param_value pm[] = {
            {p[0], "true", CWMP_TYPE_BOOLEAN, NULL},
            {p[1], "900", CWMP_TYPE_UNSIGNED_INT, NULL},
            {p[2], "https://pm.op/", CWMP_TYPE_STRING, NULL},
        };
        assert_int_equal(cwmp_dm_set_values(dm, pm, 3, "pm-2", &r), 0);
        assert_int_equal(cwmp_pm_config_get(dm, NULL, T0, &c), 0);
        assert_true(c.enable);
        assert_int_equal(c.next_upload % 900, 0);
        assert_true(c.next_upload > T0);
        /* forcedInform list of the registration Inform */
        bool vc;
        cwmp_dm_result_free(&r);
        assert_int_equal(cwmp_dm_inform_params(dm, &r, &vc), 0);
        assert_true(r.value_count >= 8);
        snprintf(p[0], sizeof(p[0]), "%s.Services.FAPService.1.FAPControl.LTE.OpState", root);
        bool found = false;
        for (size_t i = 0; i < r.value_count; i++)
            found = found || strcmp(r.values[i].name, p[0]) == 0;
        assert_true(found);
        cwmp_dm_result_free(&r);
        cwmp_dm_free(dm);
    }
}

/* ---- allocation failures -------------------------------------------------------- */

static int sweep_alarms(const struct cwmp_allocator *a, void *ctx)
{
    const struct cwmp_dm_schema *s = ctx;
    struct cwmp_dm *dm;
    struct cwmp_pm_config c;
    struct cwmp_fap_gateways g;
    int rv = cwmp_dm_new(&dm, a, s, NULL);
    if (rv)
        return rv;
    rv = cwmp_dm_add_instance(dm, "Device.Services.FAPService.", 0, NULL);
    if (rv == 0)
        rv = cwmp_dm_add_instance(dm, FM "SupportedAlarm.", 0, NULL);
    if (rv == 0)
        rv = cwmp_dm_set(dm, FM "SupportedAlarm.1.EventType", "Equipment Alarm");
    if (rv == 0)
        rv = cwmp_dm_set(dm, FM "SupportedAlarm.1.ProbableCause", "Transmitter failure");
    if (rv == 0)
        rv = cwmp_dm_set(dm, FM "SupportedAlarm.1.ReportingMechanism", "0 Expedited");
    if (rv == 0)
        rv = cwmp_alarm_raise(dm, NULL, &tx_fail, T0, NULL, 0);
    if (rv == 0)
        rv = cwmp_alarm_raise(dm, NULL, &sync_loss, T0, NULL, 0);
    if (rv == 0)
        rv = cwmp_alarm_clear(dm, NULL, &tx_fail, T0 + 1);
    if (rv == 0)
        rv = cwmp_dm_add_instance(dm, "Device.FAP.PerfMgmt.Config.", 0, NULL);
    if (rv == 0)
        rv = cwmp_pm_config_get(dm, NULL, T0, &c);
    if (rv == 0)
        rv = cwmp_fap_gateways_get(dm, 1, CWMP_FAP_LTE, &g);
    cwmp_dm_free(dm);
    return rv;
}

static void test_alloc_sweep(void **state)
{
    struct cwmp_dm_schema *s = tschema_fap();
    (void) state;
    assert_true(alloc_sweep(sweep_alarms, s, CWMP_ERR_NOMEM, 20000) > 20);
    tschema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alarm_expedited),
        cmocka_unit_test(test_alarm_queued_logged_disabled),
        cmocka_unit_test(test_alarm_rolling_and_limits),
        cmocka_unit_test(test_alarm_builtin_models),
        cmocka_unit_test(test_pm_next_upload),
        cmocka_unit_test(test_pm_config),
        cmocka_unit_test(test_pm_issue1),
        cmocka_unit_test(test_gateways),
        cmocka_unit_test(test_builtin_flows),
        cmocka_unit_test(test_alloc_sweep),
    };
    return cmocka_run_group_tests_name("fap", tests, NULL, NULL);
}
