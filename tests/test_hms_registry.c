/*
 * libcwmp examples - tests of the HMS device registry (SQLite).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "registry.h"

struct tmpdb {
    char dir[256];
    char path[300];
};

static void tmpdb_init(struct tmpdb *t)
{
    const char *base = getenv("TMPDIR");
    snprintf(t->dir, sizeof(t->dir), "%s/hmsreg-XXXXXX", base && *base ? base : "/tmp");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->path, sizeof(t->path), "%s/registry.db", t->dir);
}

static void tmpdb_cleanup(struct tmpdb *t)
{
    char p[400];
    const char *suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof(p), "%s%s", t->path, suffix[i]);
        unlink(p);
    }
    assert_int_equal(rmdir(t->dir), 0);
}

static struct hms_registry *open_reg(const char *path, int no_wal)
{
    struct hms_registry *r = NULL;
    struct hms_registry_options o = {.no_wal = no_wal};
    char err[256];
    int rv = hms_registry_open(&r, path, &o, &test_allocator, err, sizeof(err));
    if (rv)
        fprintf(stderr, "open: %s\n", err);
    assert_int_equal(rv, 0);
    assert_non_null(r);
    return r;
}

static const struct hms_device_id hnb1 = {"00D09E", "FAP-UMTS", "SN0001"};
static const struct hms_device_id henb1 = {"00D09E", "FAP-LTE", "SN0002"};

static int count_cb(const struct hms_device *d, void *ud)
{
    (void) d;
    (*(int *) ud)++;
    return 0;
}

struct alarm_seen {
    int n;
    char last_cause[64];
    char last_mech[16];
};

static int alarm_cb(const struct hms_alarm *a, void *ud)
{
    struct alarm_seen *s = ud;
    s->n++;
    snprintf(s->last_cause, sizeof(s->last_cause), "%s", a->probable_cause);
    snprintf(s->last_mech, sizeof(s->last_mech), "%s", a->mechanism);
    return 0;
}

static int pm_cb(const struct hms_pmfile *f, void *ud)
{
    assert_string_equal(f->name, "A20261122.1500+0000-1515+0000_HNB1.xml");
    assert_int_equal(f->size, 1234);
    (*(int *) ud)++;
    return 0;
}

struct task_seen {
    int n;
    int64_t first_id;
    char payload[64];
    size_t len;
    int status;
    char result[64];
};

static int task_cb(const struct hms_task *t, void *ud)
{
    struct task_seen *s = ud;
    if (s->n++ == 0) {
        s->first_id = t->id;
        s->len = t->payload_len;
        memcpy(s->payload, t->payload, t->payload_len < 63 ? t->payload_len : 63);
        s->status = (int) t->status;
        snprintf(s->result, sizeof(s->result), "%s", t->result);
    }
    return 0;
}

static void test_crud(void **state)
{
    (void) state;
    struct tmpdb t;
    tmpdb_init(&t);
    struct hms_registry *r = open_reg(t.path, 0);

    int64_t id = 0;
    enum hms_dev_state st = HMS_STATE_REGISTERED;
    assert_int_equal(hms_registry_inform(r, &hnb1, HMS_DEV_HNB, HMS_ROLE_INITIAL, 1000,
                                         "0 BOOTSTRAP,1 BOOT", &id, &st),
                     0);
    assert_true(id > 0);
    assert_int_equal(st, HMS_STATE_DISCOVERED);

    /* Second Inform at the serving HMS: same row, both roles, new events. */
    int64_t id2 = 0;
    assert_int_equal(hms_registry_inform(r, &hnb1, HMS_DEV_UNKNOWN, HMS_ROLE_SERVING, 2000,
                                         "0 BOOTSTRAP", &id2, NULL),
                     0);
    assert_int_equal(id2, id);
    assert_int_equal(hms_registry_register(r, id), 0);

    struct hms_assignment as = {"segw.example.net", "https://hms.example.net:7547/",
                                "hnbgw.example.net", 1};
    assert_int_equal(hms_registry_assign(r, id, &as), 0);
    struct hms_assignment as2 = {NULL, NULL, "10.0.0.9", -1}; /* only the gateway */
    assert_int_equal(hms_registry_assign(r, id, &as2), 0);
    assert_int_equal(hms_registry_set_contact(r, id, "http://10.1.1.2:7547/cr", "172.16.0.5"), 0);

    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_find(r, &hnb1, &d), 0);
    assert_int_equal(d->id, id);
    assert_string_equal(d->oui, "00D09E");
    assert_string_equal(d->product_class, "FAP-UMTS");
    assert_string_equal(d->serial, "SN0001");
    assert_int_equal(d->type, HMS_DEV_HNB); /* UNKNOWN did not overwrite it */
    assert_int_equal(d->roles_seen, HMS_ROLE_INITIAL | HMS_ROLE_SERVING);
    assert_int_equal(d->state, HMS_STATE_REGISTERED);
    assert_int_equal(d->first_seen_ms, 1000);
    assert_int_equal(d->last_inform_ms, 2000);
    assert_string_equal(d->last_events, "0 BOOTSTRAP");
    assert_string_equal(d->serving_segw, "segw.example.net");
    assert_string_equal(d->serving_hms_url, "https://hms.example.net:7547/");
    assert_string_equal(d->gateway, "10.0.0.9");
    assert_int_equal(d->ipsec, 1);
    assert_string_equal(d->cr_url, "http://10.1.1.2:7547/cr");
    assert_string_equal(d->inner_ip, "172.16.0.5");
    hms_device_free(r, d);

    assert_int_equal(
        hms_registry_inform(r, &henb1, HMS_DEV_HENB, HMS_ROLE_SERVING, 3000, "", &id2, NULL), 0);
    assert_int_not_equal(id2, id);
    assert_int_equal(hms_registry_get(r, id2, &d), 0);
    assert_int_equal(d->type, HMS_DEV_HENB);
    assert_int_equal(d->ipsec, -1);
    assert_string_equal(d->serving_segw, "");
    hms_device_free(r, d);
    int n = 0;
    assert_int_equal(hms_registry_list(r, count_cb, &n), 0);
    assert_int_equal(n, 2);

    /* Alarms. */
    struct hms_alarm al = {
        .received_ms = 5000,
        .event_time = "2026-11-22T15:00:00Z",
        .alarm_identifier = "42",
        .notification_type = "NewAlarm",
        .managed_object_instance = "HNBFunction=1",
        .event_type = "Equipment Alarm",
        .probable_cause = "Temperature unacceptable",
        .perceived_severity = "Major",
        .mechanism = "expedited",
    };
    assert_int_equal(hms_registry_add_alarm(r, id, &al), 0);
    al.notification_type = "ClearedAlarm";
    al.perceived_severity = "Cleared";
    al.mechanism = "queued";
    assert_int_equal(hms_registry_add_alarm(r, id, &al), 0);
    struct alarm_seen as_seen = {0};
    assert_int_equal(hms_registry_list_alarms(r, id, alarm_cb, &as_seen), 0);
    assert_int_equal(as_seen.n, 2);
    assert_string_equal(as_seen.last_cause, "Temperature unacceptable");
    assert_string_equal(as_seen.last_mech, "queued");
    assert_int_equal(hms_registry_add_alarm(r, 9999, &al), CWMP_ERR_NOT_FOUND);

    /* PM files. */
    struct hms_pmfile pf = {0, "A20261122.1500+0000-1515+0000_HNB1.xml", 1234, 6000,
                            "/var/hms/pm/x.xml"};
    assert_int_equal(hms_registry_add_pmfile(r, id, &pf), 0);
    n = 0;
    assert_int_equal(hms_registry_list_pmfiles(r, id, pm_cb, &n), 0);
    assert_int_equal(n, 1);
    pf.size = -1;
    assert_int_equal(hms_registry_add_pmfile(r, id, &pf), CWMP_ERR_BAD_VALUE);

    /* Tasks: binary payload round-trips, status changes filter the list. */
    const char payload[] = {'S', 'P', 'V', 0, 1, 2};
    int64_t tid = 0;
    assert_int_equal(
        hms_registry_add_task(r, id, 7000, "SetParameterValues", payload, sizeof(payload), &tid),
        0);
    assert_int_equal(hms_registry_add_task(r, id, 7001, "FactoryReset", NULL, 0, NULL), 0);
    struct task_seen ts = {0};
    assert_int_equal(hms_registry_list_tasks(r, id, HMS_TASK_PENDING, task_cb, &ts), 0);
    assert_int_equal(ts.n, 2);
    assert_int_equal(ts.first_id, tid);
    assert_int_equal(ts.len, sizeof(payload));
    assert_memory_equal(ts.payload, payload, sizeof(payload));
    assert_int_equal(hms_registry_set_task(r, tid, HMS_TASK_DONE, "Status 0"), 0);
    memset(&ts, 0, sizeof(ts));
    assert_int_equal(hms_registry_list_tasks(r, id, HMS_TASK_PENDING, task_cb, &ts), 0);
    assert_int_equal(ts.n, 1);
    memset(&ts, 0, sizeof(ts));
    assert_int_equal(hms_registry_list_tasks(r, id, -1, task_cb, &ts), 0);
    assert_int_equal(ts.n, 2);
    assert_int_equal(ts.status, HMS_TASK_DONE);
    assert_string_equal(ts.result, "Status 0");
    assert_int_equal(hms_registry_set_task(r, 424242, HMS_TASK_DONE, NULL), CWMP_ERR_NOT_FOUND);
    assert_int_equal(hms_registry_add_task(r, id, 0, "", NULL, 0, NULL), CWMP_ERR_BAD_VALUE);

    /* Delete cascades to alarms, PM files and tasks. */
    assert_int_equal(hms_registry_delete(r, id), 0);
    assert_int_equal(hms_registry_get(r, id, &d), CWMP_ERR_NOT_FOUND);
    assert_null(d);
    memset(&as_seen, 0, sizeof(as_seen));
    assert_int_equal(hms_registry_list_alarms(r, id, alarm_cb, &as_seen), 0);
    assert_int_equal(as_seen.n, 0);
    memset(&ts, 0, sizeof(ts));
    assert_int_equal(hms_registry_list_tasks(r, id, -1, task_cb, &ts), 0);
    assert_int_equal(ts.n, 0);
    assert_int_equal(hms_registry_delete(r, id), CWMP_ERR_NOT_FOUND);
    assert_int_equal(hms_registry_register(r, id), CWMP_ERR_NOT_FOUND);
    assert_non_null(strstr(hms_registry_errmsg(r), "no such"));

    hms_registry_close(r);
    tmpdb_cleanup(&t);
}

static void test_deprovision_persists(void **state)
{
    (void) state;
    struct tmpdb t;
    tmpdb_init(&t);
    int64_t id = 0;
    for (int no_wal = 0; no_wal <= 1; no_wal++) {
        struct hms_registry *r = open_reg(t.path, no_wal);
        enum hms_dev_state st;
        assert_int_equal(
            hms_registry_inform(r, &hnb1, HMS_DEV_HNB, HMS_ROLE_SERVING, 1, "", &id, &st), 0);
        assert_int_equal(hms_registry_register(r, id), 0);
        assert_int_equal(hms_registry_deprovision(r, id), 0);
        assert_int_equal(hms_registry_register(r, id), CWMP_ERR_STATE);
        assert_non_null(strstr(hms_registry_errmsg(r), "de-provisioned"));
        hms_registry_close(r);

        /* "Restart": the refusal survives, and the Inform reports the state. */
        r = open_reg(t.path, no_wal);
        assert_int_equal(hms_registry_inform(r, &hnb1, HMS_DEV_HNB, HMS_ROLE_INITIAL, 2,
                                             "0 BOOTSTRAP", NULL, &st),
                         0);
        assert_int_equal(st, HMS_STATE_DEPROVISIONED);
        assert_int_equal(hms_registry_register(r, id), CWMP_ERR_STATE);
        /* allow() on a device that is not de-provisioned changes nothing. */
        assert_int_equal(hms_registry_allow(r, id), 0);
        hms_registry_close(r);

        r = open_reg(t.path, no_wal);
        struct hms_device *d = NULL;
        assert_int_equal(hms_registry_get(r, id, &d), 0);
        assert_int_equal(d->state, HMS_STATE_DISCOVERED);
        hms_device_free(r, d);
        assert_int_equal(hms_registry_register(r, id), 0);
        assert_int_equal(hms_registry_allow(r, id), 0); /* registered: unchanged */
        assert_int_equal(hms_registry_get(r, id, &d), 0);
        assert_int_equal(d->state, HMS_STATE_REGISTERED);
        hms_device_free(r, d);
        hms_registry_close(r);
    }
    tmpdb_cleanup(&t);
}

static void test_hostile_identity(void **state)
{
    (void) state;
    struct tmpdb t;
    tmpdb_init(&t);
    struct hms_registry *r = open_reg(t.path, 0);
    const char *hostile[] = {
        "'); DROP TABLE device;--",
        "\" OR 1=1 --",
        "%s%s%s%n",
        "x' UNION SELECT * FROM sqlite_master --",
        "\xc3\xa9t\xc3\xa9 \xe2\x9c\x93",
        "*",
        "%",
        "_",
    };
    size_t nh = sizeof(hostile) / sizeof(hostile[0]);
    for (size_t i = 0; i < nh; i++) {
        struct hms_device_id dev = {"ABCDEF", hostile[i], hostile[i]};
        int64_t id;
        assert_int_equal(
            hms_registry_inform(r, &dev, HMS_DEV_HENB, HMS_ROLE_SERVING, 1, hostile[i], &id, NULL),
            0);
        struct hms_device *d = NULL;
        assert_int_equal(hms_registry_find(r, &dev, &d), 0);
        assert_int_equal(d->id, id);
        assert_string_equal(d->serial, hostile[i]);
        assert_string_equal(d->last_events, hostile[i]);
        hms_device_free(r, d);
    }
    int n = 0;
    assert_int_equal(hms_registry_list(r, count_cb, &n), 0);
    assert_int_equal(n, (int) nh); /* the table survived and nothing was merged */

    /* A LIKE-style wildcard does not match another serial. */
    struct hms_device_id wild = {"ABCDEF", "%", "%"};
    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_find(r, &wild, &d), 0);
    assert_string_equal(d->serial, "%");
    hms_device_free(r, d);

    /* Limits and control characters. */
    char long_serial[HMS_REGISTRY_MAX_ID + 2];
    memset(long_serial, 'S', sizeof(long_serial) - 1);
    long_serial[sizeof(long_serial) - 1] = '\0';
    struct hms_device_id bad[] = {
        {"ABCDEF", "PC", long_serial},
        {"ABCDEF", "PC", ""},
        {"", "PC", "S"},
        {NULL, "PC", "S"},
        {"ABCDEF", "PC", "line\nbreak"},
        {"ABCDEF", "PC\x1b[31m", "S"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(
            hms_registry_inform(r, &bad[i], HMS_DEV_HNB, HMS_ROLE_SERVING, 1, "", NULL, NULL),
            CWMP_ERR_BAD_VALUE);
        assert_int_equal(hms_registry_find(r, &bad[i], &d), CWMP_ERR_BAD_VALUE);
    }
    long_serial[HMS_REGISTRY_MAX_ID] = '\0'; /* exactly 64: accepted */
    struct hms_device_id ok64 = {"ABCDEF", NULL, long_serial};
    assert_int_equal(
        hms_registry_inform(r, &ok64, HMS_DEV_HNB, HMS_ROLE_SERVING, 1, "", NULL, NULL), 0);
    assert_int_equal(
        hms_registry_inform(r, &hnb1, (enum hms_dev_type) 7, HMS_ROLE_SERVING, 1, "", NULL, NULL),
        CWMP_ERR_BAD_VALUE);
    hms_registry_close(r);
    tmpdb_cleanup(&t);
}

static void test_schema_version(void **state)
{
    (void) state;
    struct tmpdb t;
    tmpdb_init(&t);
    hms_registry_close(open_reg(t.path, 1));

    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), HMS_REGISTRY_SCHEMA_VERSION);
    sqlite3_finalize(s);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    struct hms_registry *r = NULL;
    char err[256];
    assert_int_equal(hms_registry_open(&r, t.path, NULL, &test_allocator, err, sizeof(err)),
                     CWMP_ERR_STORE);
    assert_null(r);
    assert_non_null(strstr(err, "newer"));

    /* A file that is not a database gives a clear error, not a crash. */
    FILE *fp = fopen(t.path, "wb");
    assert_non_null(fp);
    fputs("this is not an SQLite database, just text long enough to be read...........", fp);
    fclose(fp);
    assert_int_equal(hms_registry_open(&r, t.path, NULL, &test_allocator, err, sizeof(err)),
                     CWMP_ERR_STORE);
    assert_non_null(strstr(err, "sqlite"));
    assert_int_equal(hms_registry_open(NULL, t.path, NULL, NULL, NULL, 0), CWMP_ERR_INVALID_ARG);
    tmpdb_cleanup(&t);
}

static void test_migration_v1_to_v2(void **state)
{
    (void) state;
    struct tmpdb t;
    tmpdb_init(&t);
    struct hms_registry *r = open_reg(t.path, 1);
    int64_t id;
    assert_int_equal(hms_registry_inform(r, &hnb1, HMS_DEV_HNB, HMS_ROLE_SERVING, 5, "", &id, NULL),
                     0);
    hms_registry_close(r);
    /* Turn the file back into a version 1 registry. */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "ALTER TABLE device DROP COLUMN root; "
                                  "ALTER TABLE device DROP COLUMN cr_username; "
                                  "ALTER TABLE device DROP COLUMN cr_password; "
                                  "PRAGMA user_version = 1;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);

    r = open_reg(t.path, 1); /* migrates to version 2, then 3 and 4 */
    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_get(r, id, &d), 0);
    assert_string_equal(d->serial, "SN0001");
    assert_int_equal(d->root, HMS_ROOT_UNKNOWN);
    hms_device_free(r, d);
    assert_int_equal(hms_registry_set_root(r, id, HMS_ROOT_IGD), 0);
    assert_int_equal(hms_registry_set_root(r, id, (enum hms_dev_root) 9), CWMP_ERR_BAD_VALUE);
    assert_int_equal(hms_registry_set_root(r, 999, HMS_ROOT_IGD), CWMP_ERR_NOT_FOUND);
    assert_int_equal(hms_registry_get(r, id, &d), 0);
    assert_int_equal(d->root, HMS_ROOT_IGD);
    assert_string_equal(hms_dev_root_name(d->root), "InternetGatewayDevice");
    hms_device_free(r, d);
    hms_registry_close(r);

    assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), HMS_REGISTRY_SCHEMA_VERSION);
    sqlite3_finalize(s);
    sqlite3_close(db);
    tmpdb_cleanup(&t);
}

/* Pending tasks of one kind across devices (schema 3: an index). */
struct pending_seen {
    int n;
    int64_t task[8], dev[8];
};

static int pending_cb(const struct hms_task *t, void *ud)
{
    struct pending_seen *p = ud;
    assert_string_equal(t->kind, "ConnectionRequest");
    assert_int_equal(t->status, HMS_TASK_PENDING);
    if (p->n < 8) {
        p->task[p->n] = t->id;
        p->dev[p->n] = t->device;
    }
    p->n++;
    return 0;
}

static void test_list_pending(void **state)
{
    (void) state;
    struct tmpdb t;
    tmpdb_init(&t);
    struct hms_registry *r = open_reg(t.path, 1);
    int64_t a, b, t1, t2, t3;
    struct hms_device_id other = {"00D09E", "HNB", "SN0002"};
    assert_int_equal(hms_registry_inform(r, &hnb1, HMS_DEV_HNB, HMS_ROLE_SERVING, 5, "", &a, NULL),
                     0);
    assert_int_equal(hms_registry_inform(r, &other, HMS_DEV_HNB, HMS_ROLE_SERVING, 5, "", &b, NULL),
                     0);
    assert_int_equal(hms_registry_add_task(r, a, 1, "ConnectionRequest", NULL, 0, &t1), 0);
    assert_int_equal(hms_registry_add_task(r, b, 2, "FactoryReset", NULL, 0, NULL), 0);
    assert_int_equal(hms_registry_add_task(r, b, 3, "ConnectionRequest", NULL, 0, &t2), 0);
    assert_int_equal(hms_registry_add_task(r, a, 4, "ConnectionRequest", NULL, 0, &t3), 0);
    assert_int_equal(hms_registry_set_task(r, t3, HMS_TASK_DONE, "sent"), 0);
    struct pending_seen p = {0};
    assert_int_equal(hms_registry_list_pending(r, "ConnectionRequest", pending_cb, &p), 0);
    assert_int_equal(p.n, 2); /* oldest first, each with its device */
    assert_int_equal(p.task[0], t1);
    assert_int_equal(p.dev[0], a);
    assert_int_equal(p.task[1], t2);
    assert_int_equal(p.dev[1], b);
    memset(&p, 0, sizeof(p));
    assert_int_equal(hms_registry_list_pending(r, "Nothing", pending_cb, &p), 0);
    assert_int_equal(p.n, 0);
    assert_int_equal(hms_registry_list_pending(r, NULL, pending_cb, &p), CWMP_ERR_INVALID_ARG);
    /* the device of a task in the per-device list too */
    struct task_seen ts = {0};
    assert_int_equal(hms_registry_list_tasks(r, b, -1, task_cb, &ts), 0);
    assert_int_equal(ts.n, 2);
    hms_registry_close(r);

    /* A version 2 file gets the index when opened. */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "DROP INDEX task_pending; ALTER TABLE device DROP COLUMN cr_username; "
                     "ALTER TABLE device DROP COLUMN cr_password; PRAGMA user_version = 2;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    r = open_reg(t.path, 1);
    hms_registry_close(r);
    assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
                                        "AND name = 'task_pending'",
                                        -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 1);
    sqlite3_finalize(s);
    sqlite3_close(db);
    tmpdb_cleanup(&t);
}

struct sweep_ctx {
    const char *path;
};

static int sweep_open_get(const struct cwmp_allocator *a, void *ctx)
{
    struct sweep_ctx *c = ctx;
    struct hms_registry *r = NULL;
    int rv = hms_registry_open(&r, c->path, NULL, a, NULL, 0);
    if (rv)
        return rv;
    struct hms_device *d = NULL;
    rv = hms_registry_find(r, &hnb1, &d);
    if (rv == 0)
        assert_string_equal(d->serial, "SN0001");
    hms_device_free(r, d);
    hms_registry_close(r);
    return rv;
}

/* One raw SQLite connection beside the registry's (another process, e.g.
 * `hms ctl`). */
static sqlite3 *raw_open(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 2000);
    return db;
}

static int raw_count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void test_transaction(void **state)
{
    (void) state;
    struct tmpdb t;
    tmpdb_init(&t);
    struct hms_registry *r = open_reg(t.path, 0);
    sqlite3 *other = raw_open(t.path);
    int64_t id = 0;
    enum hms_dev_state st;
    struct hms_alarm al = {0};
    al.alarm_identifier = "A1";
    al.notification_type = "NewAlarm";
    al.perceived_severity = "Major";

    /* not nestable; commit/rollback need one open */
    assert_int_equal(hms_registry_commit(r), CWMP_ERR_STATE);
    assert_int_equal(hms_registry_rollback(r), CWMP_ERR_STATE);
    assert_int_equal(hms_registry_begin(r), 0);
    assert_int_equal(hms_registry_in_transaction(r), 1);
    assert_int_equal(hms_registry_begin(r), CWMP_ERR_STATE);

    /* an Inform's writes: invisible to another connection until the commit */
    assert_int_equal(
        hms_registry_inform(r, &hnb1, HMS_DEV_HNB, HMS_ROLE_SERVING, 1000, "0 BOOTSTRAP", &id, &st),
        0);
    assert_int_equal(hms_registry_set_contact(r, id, "http://10.0.0.1:7547/", "10.1.0.1"), 0);
    assert_int_equal(hms_registry_add_alarm(r, id, &al), 0);
    assert_int_equal(hms_registry_register(r, id), 0); /* its own savepoint inside */
    assert_int_equal(raw_count(other, "SELECT count(*) FROM device"), 0);
    assert_int_equal(hms_registry_commit(r), 0);
    assert_int_equal(hms_registry_in_transaction(r), 0);
    assert_int_equal(raw_count(other, "SELECT count(*) FROM device WHERE state = 1 AND "
                                      "cr_url = 'http://10.0.0.1:7547/'"),
                     1);
    assert_int_equal(raw_count(other, "SELECT count(*) FROM alarm"), 1);

    /* rolled back: nothing of it stays */
    assert_int_equal(hms_registry_begin(r), 0);
    assert_int_equal(
        hms_registry_inform(r, &henb1, HMS_DEV_HENB, HMS_ROLE_SERVING, 2000, "", NULL, NULL), 0);
    assert_int_equal(hms_registry_rollback(r), 0);
    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_find(r, &henb1, &d), CWMP_ERR_NOT_FOUND);

    /* a failing call inside the transaction (a store failure injected by a
     * trigger) leaves nothing of itself, the transaction stays open, and
     * rolling back leaves none of the Inform's earlier writes */
    assert_int_equal(sqlite3_exec(other,
                                  "CREATE TRIGGER inject BEFORE INSERT ON alarm "
                                  "BEGIN SELECT RAISE(ABORT, 'injected'); END",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(hms_registry_begin(r), 0);
    assert_int_equal(
        hms_registry_inform(r, &hnb1, HMS_DEV_HNB, HMS_ROLE_SERVING, 3000, "2 PERIODIC", &id, &st),
        0);
    assert_int_equal(hms_registry_set_contact(r, id, "http://10.0.0.2:7547/", NULL), 0);
    assert_int_equal(hms_registry_add_alarm(r, id, &al), CWMP_ERR_STORE);
    assert_non_null(strstr(hms_registry_errmsg(r), "injected"));
    assert_int_equal(hms_registry_in_transaction(r), 1);
    /* a refused multi-statement call: its savepoint is undone, not the rest */
    assert_int_equal(hms_registry_deprovision(r, id), 0);
    assert_int_equal(hms_registry_register(r, id), CWMP_ERR_STATE);
    assert_int_equal(hms_registry_rollback(r), 0);
    assert_int_equal(hms_registry_get(r, id, &d), 0);
    assert_string_equal(d->last_events, "0 BOOTSTRAP");
    assert_string_equal(d->cr_url, "http://10.0.0.1:7547/");
    assert_int_equal(d->state, HMS_STATE_REGISTERED);
    assert_int_equal((int) d->last_inform_ms, 1000);
    hms_device_free(r, d);
    assert_int_equal(raw_count(other, "SELECT count(*) FROM alarm"), 1);
    assert_int_equal(sqlite3_exec(other, "DROP TRIGGER inject", NULL, NULL, NULL), SQLITE_OK);

    /* another writer holds the lock: begin waits the busy timeout, then fails */
    hms_registry_close(r);
    struct hms_registry_options o = {.busy_timeout_ms = 50};
    char err[256];
    assert_int_equal(hms_registry_open(&r, t.path, &o, &test_allocator, err, sizeof(err)), 0);
    assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(hms_registry_begin(r), CWMP_ERR_STORE);
    assert_int_equal(hms_registry_in_transaction(r), 0);
    assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    /* and the other way round: while ours is open, the other reads (WAL) */
    assert_int_equal(hms_registry_begin(r), 0);
    assert_int_equal(hms_registry_set_contact(r, id, "http://10.0.0.3:7547/", NULL), 0);
    assert_int_equal(raw_count(other, "SELECT count(*) FROM device"), 1);
    assert_int_equal(hms_registry_commit(r), 0);
    assert_int_equal(raw_count(other, "SELECT count(*) FROM device WHERE "
                                      "cr_url = 'http://10.0.0.3:7547/'"),
                     1);
    /* closing with a transaction open rolls it back */
    assert_int_equal(hms_registry_begin(r), 0);
    assert_int_equal(hms_registry_delete(r, id), 0);
    hms_registry_close(r);
    assert_int_equal(raw_count(other, "SELECT count(*) FROM device"), 1);
    sqlite3_close(other);
    tmpdb_cleanup(&t);
}

static void test_alloc_sweep(void **state)
{
    (void) state;
    struct tmpdb t;
    tmpdb_init(&t);
    struct hms_registry *r = open_reg(t.path, 0);
    assert_int_equal(
        hms_registry_inform(r, &hnb1, HMS_DEV_HNB, HMS_ROLE_SERVING, 1, "", NULL, NULL), 0);
    hms_registry_close(r);
    struct sweep_ctx c = {t.path};
    assert_true(alloc_sweep(sweep_open_get, &c, CWMP_ERR_NOMEM, 10) >= 2);
    tmpdb_cleanup(&t);
}

/* Schema 4: connection-request credentials, stored per device; a version 3
 * file migrates (no credentials: ""), and a device row never carries the
 * password. */
static void test_migration_v3_to_v4_cr_credentials(void **state)
{
    (void) state;
    struct tmpdb t;
    tmpdb_init(&t);
    struct hms_registry *r = open_reg(t.path, 1);
    int64_t id;
    assert_int_equal(hms_registry_inform(r, &hnb1, HMS_DEV_HNB, HMS_ROLE_SERVING, 5, "", &id, NULL),
                     0);
    hms_registry_close(r);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "ALTER TABLE device DROP COLUMN cr_username; "
                                  "ALTER TABLE device DROP COLUMN cr_password; "
                                  "PRAGMA user_version = 3;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);

    r = open_reg(t.path, 1); /* migrates to version 4 */
    char u[HMS_REGISTRY_MAX_ID + 1], p[HMS_REGISTRY_MAX_ID + 1];
    assert_int_equal(hms_registry_get_cr_credentials(r, id, u, sizeof(u), p, sizeof(p)), 0);
    assert_string_equal(u, "");
    assert_string_equal(p, "");
    assert_int_equal(hms_registry_set_cr_credentials(r, id, "00A0B1-SN0001", "c2VjcmV0c2VjcmV0"),
                     0);
    assert_int_equal(hms_registry_get_cr_credentials(r, id, u, sizeof(u), p, sizeof(p)), 0);
    assert_string_equal(u, "00A0B1-SN0001");
    assert_string_equal(p, "c2VjcmV0c2VjcmV0");
    /* refused: one without the other, too long, unknown device, small buffers */
    assert_int_equal(hms_registry_set_cr_credentials(r, id, "u", ""), CWMP_ERR_BAD_VALUE);
    char big[HMS_REGISTRY_MAX_ID + 2];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(hms_registry_set_cr_credentials(r, id, "u", big), CWMP_ERR_BAD_VALUE);
    assert_int_equal(hms_registry_set_cr_credentials(r, 999, "u", "p"), CWMP_ERR_NOT_FOUND);
    assert_int_equal(hms_registry_get_cr_credentials(r, 999, u, sizeof(u), p, sizeof(p)),
                     CWMP_ERR_NOT_FOUND);
    assert_int_equal(hms_registry_get_cr_credentials(r, id, u, 8, p, sizeof(p)),
                     CWMP_ERR_INVALID_ARG);
    hms_registry_close(r);

    /* they survive a reopen; clearing them (FactoryReset) leaves "" */
    r = open_reg(t.path, 1);
    assert_int_equal(hms_registry_get_cr_credentials(r, id, u, sizeof(u), p, sizeof(p)), 0);
    assert_string_equal(p, "c2VjcmV0c2VjcmV0");
    assert_int_equal(hms_registry_set_cr_credentials(r, id, NULL, NULL), 0);
    assert_int_equal(hms_registry_get_cr_credentials(r, id, u, sizeof(u), p, sizeof(p)), 0);
    assert_string_equal(u, "");
    assert_string_equal(p, "");
    hms_registry_close(r);

    assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 4);
    sqlite3_finalize(s);
    sqlite3_close(db);
    tmpdb_cleanup(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crud),
        cmocka_unit_test(test_deprovision_persists),
        cmocka_unit_test(test_hostile_identity),
        cmocka_unit_test(test_schema_version),
        cmocka_unit_test(test_migration_v1_to_v2),
        cmocka_unit_test(test_list_pending),
        cmocka_unit_test(test_transaction),
        cmocka_unit_test(test_migration_v3_to_v4_cr_credentials),
        cmocka_unit_test(test_alloc_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
