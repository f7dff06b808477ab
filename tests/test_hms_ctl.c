/*
 * libcwmp examples - tests of the HMS operator commands (hms ctl).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmfile.h"
#include "ctl.h"

struct fx {
    char dir[256];
    char db[300];
    char cm[300];
    struct hms_registry *r;
    int64_t hnb, henb, twin;
    struct ex_buf out, err;
};

static int setup(void **state)
{
    struct fx *f = test_calloc(1, sizeof(*f));
    const char *base = getenv("TMPDIR");
    snprintf(f->dir, sizeof(f->dir), "%s/hmsctl-XXXXXX", base && *base ? base : "/tmp");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->db, sizeof(f->db), "%s/r.db", f->dir);
    snprintf(f->cm, sizeof(f->cm), "%s/cm.xml", f->dir);
    assert_int_equal(hms_registry_open(&f->r, f->db, NULL, &test_allocator, NULL, 0), 0);
    struct hms_device_id a = {"00D09E", "FAP-UMTS", "HNB-0001"};
    struct hms_device_id b = {"00D09E", "FAP-LTE", "HENB-0001"};
    struct hms_device_id c = {"001122", "FAP-LTE", "HENB-0001"}; /* same serial, other OUI */
    assert_int_equal(hms_registry_inform(f->r, &a, HMS_DEV_HNB, HMS_ROLE_INITIAL, 10, "0 BOOTSTRAP",
                                         &f->hnb, NULL),
                     0);
    assert_int_equal(
        hms_registry_inform(f->r, &b, HMS_DEV_HENB, HMS_ROLE_SERVING, 20, "", &f->henb, NULL), 0);
    assert_int_equal(
        hms_registry_inform(f->r, &c, HMS_DEV_HENB, HMS_ROLE_SERVING, 30, "", &f->twin, NULL), 0);
    ex_buf_init(&f->out, NULL, 0); /* harness buffers: plain malloc */
    ex_buf_init(&f->err, NULL, 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    ex_buf_free(&f->out);
    ex_buf_free(&f->err);
    hms_registry_close(f->r);
    char p[400];
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "%s%s", f->db, suffix[i]);
        unlink(p);
    }
    unlink(f->cm);
    assert_int_equal(rmdir(f->dir), 0);
    test_free(f);
    return 0;
}

/* Runs a command given as a space-separated string (no quoting needed here). */
static int run(struct fx *f, const char *line)
{
    char buf[512];
    snprintf(buf, sizeof(buf), "%s", line);
    char *argv[16];
    int argc = 0;
    for (char *t = strtok(buf, " "); t && argc < 16; t = strtok(NULL, " "))
        argv[argc++] = t;
    ex_buf_free(&f->out);
    ex_buf_free(&f->err);
    ex_buf_init(&f->out, NULL, 0); /* harness buffers: plain malloc */
    ex_buf_init(&f->err, NULL, 0);
    int rv = hms_ctl(f->r, argc, argv, 1000, &f->out, &f->err);
    ex_buf_puts(&f->out, ""); /* always a string */
    ex_buf_puts(&f->err, "");
    return rv;
}

static void test_list_show(void **state)
{
    struct fx *f = *state;
    assert_int_equal(run(f, "list"), 0);
    assert_non_null(strstr(f->out.data, "SerialNumber"));
    assert_non_null(strstr(f->out.data, "HNB-0001"));
    assert_non_null(strstr(f->out.data, "initial"));
    assert_int_equal(run(f, "show HNB-0001"), 0);
    assert_non_null(strstr(f->out.data, "state           discovered"));
    assert_non_null(strstr(f->out.data, "HNB-GW"));
    assert_non_null(strstr(f->out.data, "last Inform     10 ms (0 BOOTSTRAP)"));
    assert_non_null(strstr(f->out.data, "CR credentials  none of its own"));
    /* per-device credentials: the username is shown, never the password */
    assert_int_equal(hms_registry_set_cr_credentials(f->r, f->hnb, "00D09E-HNB-0001", "s3cr3t-pw"),
                     0);
    assert_int_equal(run(f, "show HNB-0001"), 0);
    assert_non_null(strstr(f->out.data, "CR credentials  its own (username 00D09E-HNB-0001"));
    assert_null(strstr(f->out.data, "s3cr3t-pw"));
    char cmd[64];
    snprintf(cmd, sizeof(cmd), "show %lld", (long long) f->twin);
    assert_int_equal(run(f, cmd), 0);
    assert_non_null(strstr(f->out.data, "001122"));
    assert_non_null(strstr(f->out.data, "S1 far end"));

    assert_int_equal(run(f, "show HENB-0001"), 1);
    assert_non_null(strstr(f->err.data, "use the id"));
    assert_int_equal(run(f, "show NOPE"), 1);
    assert_non_null(strstr(f->err.data, "no device 'NOPE'"));
    assert_int_equal(run(f, "show 999"), 1);
}

struct task_seen {
    int n;
    char kind[32];
    char payload[1024];
};

static int task_cb(const struct hms_task *t, void *ud)
{
    struct task_seen *s = ud;
    s->n++;
    snprintf(s->kind, sizeof(s->kind), "%s", t->kind);
    size_t n = t->payload_len < sizeof(s->payload) - 1 ? t->payload_len : sizeof(s->payload) - 1;
    memcpy(s->payload, t->payload, n);
    s->payload[n] = '\0';
    return 0;
}

static void test_set_and_push(void **state)
{
    struct fx *f = *state;
    assert_int_equal(
        run(f, "set HNB-0001 Device.Services.FAPService.1.CellConfig.UMTS.RAN.RNCID unsignedInt 7"),
        0);
    assert_non_null(strstr(f->out.data, "queued task"));
    struct task_seen ts = {0};
    assert_int_equal(hms_registry_list_tasks(f->r, f->hnb, HMS_TASK_PENDING, task_cb, &ts), 0);
    assert_int_equal(ts.n, 1);
    assert_string_equal(ts.kind, "SetParameterValues");
    struct cmfile *cf = NULL;
    assert_int_equal(cmfile_parse(ts.payload, strlen(ts.payload), NULL, &test_allocator, &cf, NULL),
                     0);
    assert_int_equal(cf->count, 1);
    assert_string_equal(cf->params[0].value, "7");
    cmfile_free(cf);

    assert_int_equal(run(f, "set HNB-0001 Device.A unsignedInt minus"), 1);
    assert_non_null(strstr(f->err.data, "does not match"));
    assert_int_equal(run(f, "set HNB-0001 Device.A float 1"), 1);
    assert_int_equal(run(f, "set HNB-0001 Device.A"), 2);

    FILE *fp = fopen(f->cm, "w");
    assert_non_null(fp);
    fputs("<cmFile version=\"1\"><param name=\"Device.A\"/><param name=\"Device.B\" "
          "type=\"boolean\">true</param></cmFile>",
          fp);
    fclose(fp);
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "push-cm HNB-0001 %s", f->cm);
    assert_int_equal(run(f, cmd), 0);
    assert_non_null(strstr(f->out.data, "2 parameters"));
    fp = fopen(f->cm, "w");
    fputs("<cmFile version=\"1\">\n<param name=\"Device.B\" type=\"boolean\">yes</param>\n"
          "</cmFile>",
          fp);
    fclose(fp);
    assert_int_equal(run(f, cmd), 1);
    assert_non_null(strstr(f->err.data, ":2: Device.B: value does not match"));
    assert_int_equal(run(f, "connreq HNB-0001"), 0);
    assert_int_equal(run(f, "tasks HNB-0001"), 0);
    assert_non_null(strstr(f->out.data, "Download"));
    assert_non_null(strstr(f->out.data, "ConnectionRequest"));
    assert_non_null(strstr(f->out.data, "pending"));
}

/* push-cm DEV FILE DELAY: the Download waits DELAY seconds on the device
 * (DelaySeconds); the payload carries it after the path. */
static void test_push_cm_delay(void **state)
{
    struct fx *f = *state;
    FILE *fp = fopen(f->cm, "w");
    assert_non_null(fp);
    fputs("<cmFile version=\"1\">\n<param name=\"Device.A\">x</param>\n</cmFile>\n", fp);
    fclose(fp);
    char cmd[400], want[400];
    snprintf(cmd, sizeof(cmd), "push-cm HNB-0001 %s 30", f->cm);
    assert_int_equal(run(f, cmd), 0);
    assert_non_null(strstr(f->out.data, "DelaySeconds 30"));
    struct task_seen ts = {0};
    assert_int_equal(hms_registry_list_tasks(f->r, f->hnb, HMS_TASK_PENDING, task_cb, &ts), 0);
    assert_int_equal(ts.n, 1);
    assert_string_equal(ts.kind, "Download");
    snprintf(want, sizeof(want), "%s\n30", f->cm);
    assert_string_equal(ts.payload, want);
    /* DELAY 0 (and none) is the plain path */
    snprintf(cmd, sizeof(cmd), "push-cm HNB-0001 %s 0", f->cm);
    assert_int_equal(run(f, cmd), 0);
    memset(&ts, 0, sizeof(ts));
    assert_int_equal(hms_registry_list_tasks(f->r, f->hnb, HMS_TASK_PENDING, task_cb, &ts), 0);
    assert_int_equal(ts.n, 2);
    assert_string_equal(ts.payload, f->cm);
    static const char *const bad[] = {"-1", "86401", "5s", "", "99999999999999999999"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(cmd, sizeof(cmd), "push-cm HNB-0001 %s %s", f->cm, bad[i]);
        int rv = run(f, cmd);
        if (bad[i][0]) { /* "" leaves no argument: a plain push */
            assert_int_equal(rv, 2);
            assert_non_null(strstr(f->err.data, "DELAY"));
        }
    }
    snprintf(cmd, sizeof(cmd), "push-cm HNB-0001 %s 1 2", f->cm);
    assert_int_equal(run(f, cmd), 2);
    memset(&ts, 0, sizeof(ts));
    assert_int_equal(hms_registry_list_tasks(f->r, f->hnb, HMS_TASK_PENDING, task_cb, &ts), 0);
    assert_int_equal(ts.n, 3); /* only the "" case queued another */
}

static void test_deprovision_allow(void **state)
{
    struct fx *f = *state;
    assert_int_equal(hms_registry_register(f->r, f->hnb), 0);
    assert_int_equal(run(f, "deprovision HNB-0001"), 0);
    assert_non_null(strstr(f->out.data, "de-provisioned"));
    assert_int_equal(hms_registry_register(f->r, f->hnb), CWMP_ERR_STATE);
    struct task_seen ts = {0};
    assert_int_equal(hms_registry_list_tasks(f->r, f->hnb, HMS_TASK_PENDING, task_cb, &ts), 0);
    assert_string_equal(ts.kind, "FactoryReset");
    assert_int_equal(run(f, "allow HNB-0001"), 0);
    assert_int_equal(hms_registry_register(f->r, f->hnb), 0);

    char cmd[64];
    snprintf(cmd, sizeof(cmd), "deprovision %lld spv", (long long) f->henb);
    assert_int_equal(run(f, cmd), 0);
    memset(&ts, 0, sizeof(ts));
    assert_int_equal(hms_registry_list_tasks(f->r, f->henb, HMS_TASK_PENDING, task_cb, &ts), 0);
    assert_string_equal(ts.kind, "DeprovisionSPV");
    snprintf(cmd, sizeof(cmd), "deprovision %lld politely", (long long) f->henb);
    assert_int_equal(run(f, cmd), 2);
}

static void test_pm_and_alarm_config(void **state)
{
    struct fx *f = *state;
    assert_int_equal(run(f, "pm HNB-0001 disable"), 1);
    assert_non_null(strstr(f->err.data, "root is not known"));
    assert_int_equal(hms_registry_set_root(f->r, f->hnb, HMS_ROOT_IGD), 0);
    assert_int_equal(run(f, "pm HNB-0001 enable https://127.0.0.1:7549/pm 900 pm secret"), 0);
    struct task_seen ts = {0};
    assert_int_equal(hms_registry_list_tasks(f->r, f->hnb, HMS_TASK_PENDING, task_cb, &ts), 0);
    assert_int_equal(ts.n, 1);
    assert_string_equal(ts.kind, "SetParameterValues");
    struct cmfile *cf = NULL;
    assert_int_equal(cmfile_parse(ts.payload, strlen(ts.payload), NULL, &test_allocator, &cf, NULL),
                     0);
    assert_int_equal(cf->count, 5);
    assert_string_equal(cf->params[0].name, "InternetGatewayDevice.FAP.PerfMgmt.Config.1.URL");
    assert_string_equal(cf->params[4].name, "InternetGatewayDevice.FAP.PerfMgmt.Config.1.Enable");
    cmfile_free(cf);
    assert_int_equal(run(f, "pm HNB-0001 enable https://127.0.0.1:7549/pm 0"), 1);
    assert_int_equal(run(f, "pm HNB-0001 pause"), 2);
    assert_int_equal(run(f, "show HNB-0001"), 0);
    assert_non_null(strstr(f->out.data, "data model      InternetGatewayDevice"));

    assert_int_equal(run(f, "alarm-config HNB-0001 queued *"), 0);
    memset(&ts, 0, sizeof(ts));
    assert_int_equal(hms_registry_list_tasks(f->r, f->hnb, HMS_TASK_PENDING, task_cb, &ts), 0);
    assert_int_equal(ts.n, 2);
    assert_string_equal(ts.kind, "AlarmConfig"); /* task_cb keeps the last one */
    assert_string_equal(ts.payload, "1\t*");
    assert_int_equal(run(f, "tasks HNB-0001"), 0);
    assert_non_null(strstr(f->out.data, "AlarmConfig"));
    assert_int_equal(run(f, "alarm-config HNB-0001 loud *"), 2);
}

static void test_reports_and_usage(void **state)
{
    struct fx *f = *state;
    struct hms_alarm al = {.received_ms = 5,
                           .event_time = "2026-11-22T15:00:00Z",
                           .alarm_identifier = "7",
                           .notification_type = "NewAlarm",
                           .probable_cause = "Temperature unacceptable",
                           .perceived_severity = "Major",
                           .mechanism = "expedited"};
    assert_int_equal(hms_registry_add_alarm(f->r, f->hnb, &al), 0);
    struct hms_pmfile pf = {0, "A20261122.1500+0000-1515+0000_HNB-0001.xml", 2048, 6, "/pm/x"};
    assert_int_equal(hms_registry_add_pmfile(f->r, f->hnb, &pf), 0);
    assert_int_equal(run(f, "alarms HNB-0001"), 0);
    assert_non_null(strstr(f->out.data, "Temperature unacceptable"));
    assert_non_null(strstr(f->out.data, "expedited"));
    assert_int_equal(run(f, "pmfiles HNB-0001"), 0);
    assert_non_null(strstr(f->out.data, "2048 bytes"));

    assert_int_equal(run(f, "frobnicate HNB-0001"), 2);
    assert_non_null(strstr(f->err.data, "commands:"));
    assert_int_equal(run(f, "list extra"), 2);
    assert_int_equal(run(f, "show"), 2);
    assert_int_equal(hms_ctl(f->r, 0, NULL, 0, &f->out, &f->err), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_list_show, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_and_push, setup, teardown),
        cmocka_unit_test_setup_teardown(test_push_cm_delay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deprovision_allow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pm_and_alarm_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reports_and_usage, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
