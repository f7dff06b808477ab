/*
 * The HMS program's server (examples/hms/server.c) with an in-test CPE: the
 * library's CPE engine over a Device:2 data model, over loopback HTTP.
 * The server runs in a thread of the test; everything is asserted from the
 * HMS's SQLite registry and its file store.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cwmp/cpe.h>
#include <cwmp/datamodel.h>
#include <cwmp/http.h>
#include <cwmp/transport.h>

#include <sqlite3.h>

#include "ctl.h"
#include "hms_server_http.h"
#include "registry.h"
#include "server.h"
#include "testpki.h"
#include "trace.h"
#include "testutil.h"

#define HMS_TEST_CRASH_EXIT 86 /* examples/hms/server_int.h HMS_TEST_CRASH_STATUS */

struct world {
    char dir[256];
    struct hms_server *srv;
    pthread_t thread;
    _Atomic int stop; /* the server thread runs until set */
    char url[128];
    uint16_t file_port;
    int tls;
    char pki[300];
    char ca[400];
    char cr_url[128];
    const char *cpe_user, *cpe_password; /* what the test CPE authenticates with */
    char conf[4096];                     /* for world_restart() */
    size_t conf_len;
    struct hms_server_opts opts;
    char trace[300];
    int io_timeout_ms;  /* the HMS's per-connection I/O timeout (0: its default) */
    int cpe_timeout_ms; /* the test CPE's HTTP timeout (0: 10 s) */
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *serve(void *arg)
{
    struct world *w = arg;
    while (!w->stop)
        hms_server_step(w->srv, 50);
    return NULL;
}

static const char conf_fmt[] = "[hms]\n"
                               "role = %s\n"
                               "listen = 127.0.0.1:7548\n"
                               "url = http://127.0.0.1:7548/cwmp\n"
                               "database = %s/registry.db\n"
                               "file_dir = %s/files\n"
                               "file_url = http://127.0.0.1:7549/files\n"
                               "%s"
                               "\n"
                               "[policy \"file\"]\n"
                               "match_serial = F*\n"
                               "serving_segw = segw.file.example\n"
                               "hnb_gw = hnbgw.file.example\n"
                               "cm = file\n"
                               "cm_file = %s/extra-cm.xml\n"
                               "pm_username = pm\n"
                               "pm_password = pm-secret\n"
                               "\n"
                               "[policy \"test\"]\n"
                               "match_oui = 00D09E\n"
                               "serving_segw = segw.test.example\n"
                               "serving_hms_url = %s\n"
                               "hnb_gw = hnbgw.test.example\n"
                               "ipsec = true\n"
                               "cm = spv\n"
                               "alarm = expedited *\n"
                               "pm_username = pm\n"
                               "pm_password = pm-secret\n";

static void world_open(struct world *w)
{
    char err[256] = "";
    int rv = hms_server_open(&w->srv, w->conf, w->conf_len, &w->opts, err, sizeof(err));
    if (rv != 0)
        print_message("hms_server_open: %s\n", err);
    assert_int_equal(rv, 0);
    snprintf(w->url, sizeof(w->url), "%s://127.0.0.1:%u/cwmp", w->tls ? "https" : "http",
             hms_server_cwmp_port(w->srv));
    w->file_port = hms_server_file_port(w->srv);
    assert_int_not_equal(w->file_port, 0);
    w->stop = 0;
    assert_int_equal(pthread_create(&w->thread, NULL, serve, w), 0);
}

/* The HMS process restarts: everything it knows comes from its registry. */
static void world_restart(struct world *w)
{
    w->stop = 1;
    pthread_join(w->thread, NULL);
    hms_server_close(w->srv);
    world_open(w);
}

/* The server's connection limits (0: its defaults). */
struct limits {
    int io_timeout_ms, max_connections;
    long max_buffered_bytes;
    int file_timeout_ms;      /* hmsperf: the file server's per-request deadline (0: default) */
    int max_file_connections; /* hmsperf: file-server connections at once (0: default) */
};

static void world_start_role_ex(struct world *w, int tls, int auth, const char *role,
                                const char *serving_url, const struct limits *lim)
{
    memset(w, 0, sizeof(*w));
    w->tls = tls;
    w->io_timeout_ms = lim ? lim->io_timeout_ms : 0;
    snprintf(w->dir, sizeof(w->dir), "/tmp/hms-test-XXXXXX");
    assert_non_null(mkdtemp(w->dir));
    char files[300];
    snprintf(files, sizeof(files), "%s/files", w->dir);
    assert_int_equal(mkdir(files, 0700), 0);
    char tlsconf[1200] = "";
    if (tls) {
        char err[200], c[400], k[400];
        snprintf(w->pki, sizeof(w->pki), "%s/pki", w->dir);
        assert_int_equal(mkdir(w->pki, 0700), 0);
        if (testpki_generate(w->pki, err, sizeof(err)) != 0)
            fail_msg("testpki: %s", err);
        testpki_path(w->ca, sizeof(w->ca), w->pki, "ca.crt");
        snprintf(tlsconf, sizeof(tlsconf), "cert = %s\nkey = %s\nroot_ca = %s\n",
                 testpki_path(c, sizeof(c), w->pki, "server.crt"),
                 testpki_path(k, sizeof(k), w->pki, "server.key"), w->ca);
    }
    int n = snprintf(w->conf, sizeof(w->conf), conf_fmt, role, w->dir, w->dir, tlsconf, w->dir,
                     serving_url);
    assert_true(n > 0 && (size_t) n < sizeof(w->conf));
    w->conf_len = (size_t) n;
    /* the policy's cm_file: added to the generated CM file */
    char cmx[400];
    snprintf(cmx, sizeof(cmx), "%s/extra-cm.xml", w->dir);
    FILE *fp = fopen(cmx, "w");
    assert_non_null(fp);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cmFile version=\"1\">\n"
          "  <param name=\"Device.DeviceInfo.ProvisioningCode\" "
          "type=\"string\">from-cm-file</param>\n</cmFile>\n",
          fp);
    fclose(fp);
    struct hms_server_opts o = {0};
    o.cwmp_port = 0;
    o.file_listen = "127.0.0.1:0";
    o.verbose = getenv("HMS_TEST_VERBOSE") != NULL;
    o.cr_username = "cpe";
    o.cr_password = "cr-secret";
    if (auth) {
        o.cwmp_username = "hnb";
        o.cwmp_password = "hnb-secret";
    }
    snprintf(w->cr_url, sizeof(w->cr_url), "http://127.0.0.1:1/cr");
    snprintf(w->trace, sizeof(w->trace), "%s/hms.trace", w->dir);
    o.trace_path = w->trace;
    if (lim) {
        o.io_timeout_ms = lim->io_timeout_ms;
        o.max_connections = lim->max_connections;
        o.max_buffered_bytes = lim->max_buffered_bytes;
        o.file_timeout_ms = lim->file_timeout_ms;
        o.max_file_connections = lim->max_file_connections;
    }
    w->opts = o;
    world_open(w);
}

static void world_start_role(struct world *w, int tls, int auth, const char *role,
                             const char *serving_url)
{
    world_start_role_ex(w, tls, auth, role, serving_url, NULL);
}

static void world_start_auth(struct world *w, int tls, int auth)
{
    world_start_role(w, tls, auth, "both", "http://127.0.0.1:7548/cwmp");
}

static void world_start_ex(struct world *w, int tls)
{
    world_start_auth(w, tls, 0);
}

static void world_start(struct world *w)
{
    world_start_ex(w, 0);
}

static void rm_tree(const char *dir)
{
    /* the files the test creates: registry (+ WAL), trace, files/ */
    const char *names[] = {"registry.db", "registry.db-wal", "registry.db-shm", "hms.trace",
                           "extra-cm.xml"};
    char p[512];
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
        unlink(p);
    }
    snprintf(p, sizeof(p), "%s/files/A20260101.0000+0000-0015+0000_T1.xml", dir);
    unlink(p);
    for (int i = 1; i < 8; i++) { /* CM files of push-cm tasks */
        snprintf(p, sizeof(p), "%s/files/cm-task-%d.xml", dir, i);
        unlink(p);
    }
    snprintf(p, sizeof(p), "%s/files", dir);
    rmdir(p);
    rmdir(dir);
}

static void world_stop(struct world *w)
{
    w->stop = 1;
    pthread_join(w->thread, NULL);
    hms_server_close(w->srv);
    const char *keep = getenv("HMS_TEST_KEEP_TRACE"); /* a file to copy the trace to */
    if (keep) {
        char src[300], buf[4096];
        snprintf(src, sizeof(src), "%s/hms.trace", w->dir);
        FILE *in = fopen(src, "r"), *out = fopen(keep, "a");
        size_t n;
        while (in && out && (n = fread(buf, 1, sizeof(buf), in)) > 0)
            fwrite(buf, 1, n, out);
        if (in)
            fclose(in);
        if (out)
            fclose(out);
    }
    if (w->tls) {
        /* testpki_remove() misses these (tools/testpki's list is short) */
        const char *extra[] = {"wildcard.crt", "wildcard.key", "ipasdns.crt", "ipasdns.key"};
        char p[512];
        for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
            unlink(testpki_path(p, sizeof(p), w->pki, extra[i]));
        testpki_remove(w->pki);
    }
    rm_tree(w->dir);
}

/* A test CPE: the library's engine over a Device:2 data model. */
struct tcpe {
    struct cwmp_dm *dm;
    struct cwmp_cpe *cpe;
    int64_t skew; /* the CPE's clock runs ahead past its retry waits */
};

/* A fresh CPE (no stored state: 0 BOOTSTRAP + 1 BOOT); 0, or -2 when the
 * Device:2 schema is not compiled in. */
static int tcpe_new(struct tcpe *t, struct world *w, const char *serial, int with_fap)
{
    const struct cwmp_dm_schema *schema = cwmp_dm_schema_builtin(CWMP_DM_MODEL_DEVICE2);
    memset(t, 0, sizeof(*t));
    if (!schema)
        return -2;
    assert_int_equal(cwmp_dm_new(&t->dm, NULL, schema, NULL), 0);
    assert_int_equal(cwmp_dm_set(t->dm, "Device.ManagementServer.URL", w->url), 0);
    /* without FAPService.1 the HMS's SetParameterValues of the serving elements fail */
    if (with_fap)
        assert_int_equal(cwmp_dm_add_instance(t->dm, "Device.Services.FAPService.", 1, NULL), 0);
    assert_int_equal(cwmp_dm_set(t->dm, "Device.ManagementServer.ConnectionRequestURL", w->cr_url),
                     0);
    struct cwmp_cpe_config cfg = {0};
    cfg.dm = t->dm;
    cfg.device_id.manufacturer = "libcwmp test";
    cfg.device_id.oui = "00D09E";
    cfg.device_id.product_class = "HNB";
    cfg.device_id.serial_number = serial;
    assert_int_equal(cwmp_cpe_new(&t->cpe, &cfg), 0);
    assert_int_equal(cwmp_cpe_start(t->cpe, mono_ms(), CWMP_CPE_START_BOOT), 0);
    return 0;
}

static void tcpe_free(struct tcpe *t)
{
    cwmp_cpe_free(t->cpe);
    cwmp_dm_free(t->dm);
}

/* One whole session (the test's HTTP client always posts to the HMS under
 * test); 0 when it ended normally. */
static int tcpe_session_to(struct tcpe *t, struct world *w, const char *url)
{
    struct hms_test_http *h =
        hms_test_http_new_timeout(url, w->tls ? w->ca : NULL, w->cpe_user, w->cpe_password,
                                  w->cpe_timeout_ms ? w->cpe_timeout_ms : 10000);
    assert_non_null(h);
    int ok = -1;
    if (!cwmp_cpe_want_session(t->cpe)) {
        /* a retry after a failed session: skip the back-off wait */
        t->skew += 3600 * 1000;
        cwmp_cpe_handle_timeout(t->cpe, mono_ms() + t->skew);
    }
    assert_true(cwmp_cpe_want_session(t->cpe));
    assert_int_equal(cwmp_cpe_session_begin(t->cpe, mono_ms() + t->skew), 0);
    for (int round = 0; round < 50 && cwmp_cpe_want_send(t->cpe); round++) {
        const char *body;
        size_t len, rlen;
        char *reply = NULL;
        int status = 0;
        if (cwmp_cpe_send(t->cpe, &body, &len) != 0)
            break;
        if (hms_test_http_post(h, body, len, &reply, &rlen, &status) != 0) {
            cwmp_cpe_session_abort(t->cpe);
            break;
        }
        int rv = cwmp_cpe_recv(t->cpe, reply, rlen);
        free(reply);
        if (rv != 0)
            break;
        if (!cwmp_cpe_want_send(t->cpe))
            ok = 0;
    }
    hms_test_http_free(h);
    return ok;
}

static int tcpe_session(struct tcpe *t, struct world *w)
{
    return tcpe_session_to(t, w, w->url);
}

static int cpe_session_ex(struct world *w, const char *serial, int with_fap)
{
    struct tcpe t;
    if (tcpe_new(&t, w, serial, with_fap) != 0)
        return -2;
    int rv = tcpe_session(&t, w);
    tcpe_free(&t);
    return rv;
}

static int cpe_session(struct world *w, const char *serial)
{
    return cpe_session_ex(w, serial, 1);
}

static struct hms_registry *reg_open(const struct world *w)
{
    char path[300], err[200];
    struct hms_registry *r = NULL;
    snprintf(path, sizeof(path), "%s/registry.db", w->dir);
    assert_int_equal(hms_registry_open(&r, path, NULL, NULL, err, sizeof(err)), 0);
    return r;
}

static void test_bootstrap_registers(void **state)
{
    (void) state;
    struct world w;
    world_start(&w);
    int rv = cpe_session(&w, "T1");
    if (rv == -2) {
        world_stop(&w);
        print_message("Device:2 schema not compiled in: skipped\n");
        skip();
    }
    assert_int_equal(rv, 0);
    struct hms_registry *r = reg_open(&w);
    struct hms_device_id id = {"00D09E", "HNB", "T1"};
    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    assert_non_null(d);
    assert_int_equal(d->state, HMS_STATE_REGISTERED);
    assert_string_equal(d->serving_segw, "segw.test.example");
    assert_string_equal(d->gateway, "hnbgw.test.example");
    assert_int_equal(d->ipsec, 1);
    assert_non_null(strstr(d->last_events, "0 BOOTSTRAP"));
    assert_string_equal(d->cr_url, "http://127.0.0.1:1/cr");
    assert_int_equal(d->root, HMS_ROOT_DEVICE);
    hms_device_free(r, d);
    hms_registry_close(r);
    /* the trace file: the session's messages, readable by trace-render */
    char tpath[300], text[65536];
    snprintf(tpath, sizeof(tpath), "%s/hms.trace", w.dir);
    FILE *fp = fopen(tpath, "r");
    assert_non_null(fp);
    size_t tlen = fread(text, 1, sizeof(text) - 1, fp);
    fclose(fp);
    text[tlen] = '\0';
    struct trace *tr = NULL;
    struct trace_error te;
    assert_int_equal(trace_parse(text, tlen, NULL, &tr, &te), 0);
    size_t msgs = 0, informs = 0;
    for (size_t i = 0; i < tr->nevents; i++) {
        msgs += tr->events[i].kind == TRACE_MESSAGE;
        informs += !strncmp(tr->events[i].label, "Inform 0 BOOTSTRAP", 18);
    }
    assert_true(msgs >= 8);
    assert_int_equal(informs, 1);
    trace_free(tr);
    world_stop(&w);
}

/* One Inform = one registry transaction: a store failure in the middle of
 * recording it (injected by a trigger on the ConnectionRequestURL update,
 * after the device row was written) leaves nothing of the Inform; the
 * device's retry records it whole. */
static void test_inform_all_or_nothing(void **state)
{
    (void) state;
    struct world w;
    world_start(&w);
    struct tcpe t;
    if (tcpe_new(&t, &w, "TX1", 1) != 0) {
        world_stop(&w);
        skip();
    }
    char path[300];
    snprintf(path, sizeof(path), "%s/registry.db", w.dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TRIGGER inject BEFORE UPDATE OF cr_url ON device "
                                  "BEGIN SELECT RAISE(ABORT, 'injected'); END",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_not_equal(tcpe_session(&t, &w), 0); /* the Inform is answered with a fault */
    struct hms_registry *r = reg_open(&w);
    struct hms_device_id id = {"00D09E", "HNB", "TX1"};
    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_find(r, &id, &d), CWMP_ERR_NOT_FOUND);
    assert_int_equal(sqlite3_exec(db, "DROP TRIGGER inject", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(tcpe_session(&t, &w), 0);
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    assert_int_equal(d->state, HMS_STATE_REGISTERED);
    assert_string_equal(d->cr_url, "http://127.0.0.1:1/cr");
    hms_device_free(r, d);
    hms_registry_close(r);
    tcpe_free(&t);
    world_stop(&w);
}

static void test_deprovisioned_refused(void **state)
{
    (void) state;
    struct world w;
    world_start(&w);
    if (cpe_session(&w, "T2") == -2) {
        world_stop(&w);
        skip();
    }
    struct hms_registry *r = reg_open(&w);
    struct hms_device_id id = {"00D09E", "HNB", "T2"};
    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    int64_t dev = d->id;
    hms_device_free(r, d);
    assert_int_equal(hms_registry_deprovision(r, dev), 0);
    /* the device bootstraps again: the session runs (empty) but it stays refused */
    assert_int_equal(cpe_session(&w, "T2"), 0);
    assert_int_equal(hms_registry_get(r, dev, &d), 0);
    assert_int_equal(d->state, HMS_STATE_DEPROVISIONED);
    hms_device_free(r, d);
    /* the operator allows it again: the next bootstrap registers it */
    assert_int_equal(hms_registry_allow(r, dev), 0);
    assert_int_equal(cpe_session(&w, "T2"), 0);
    assert_int_equal(hms_registry_get(r, dev, &d), 0);
    assert_int_equal(d->state, HMS_STATE_REGISTERED);
    hms_device_free(r, d);
    hms_registry_close(r);
    world_stop(&w);
}

/* The device refuses the serving elements (SPV fault): not registered. */
static void test_provisioning_refused(void **state)
{
    (void) state;
    struct world w;
    world_start(&w);
    int rv = cpe_session_ex(&w, "T3", 0);
    if (rv == -2) {
        world_stop(&w);
        skip();
    }
    assert_int_equal(rv, 0);
    struct hms_registry *r = reg_open(&w);
    struct hms_device_id id = {"00D09E", "HNB", "T3"};
    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    assert_int_equal(d->state, HMS_STATE_DISCOVERED);
    hms_device_free(r, d);
    hms_registry_close(r);
    world_stop(&w);
}

/* F4: registration with CM by file download: the HMS writes the CM file
 * into its file store and sends a Download; the device fetches it from the
 * file server (digest credentials of the Download), reports TransferComplete
 * in its next session. */
static void test_cm_by_file(void **state)
{
    (void) state;
    struct world w;
    world_start(&w);
    struct tcpe t;
    if (tcpe_new(&t, &w, "F1", 1) != 0) {
        world_stop(&w);
        skip();
    }
    assert_int_equal(tcpe_session(&t, &w), 0);
    struct cwmp_cpe_action act;
    assert_int_equal(cwmp_cpe_next_action(t.cpe, &act), 1);
    assert_int_equal(act.kind, CWMP_CPE_ACTION_TRANSFER);
    assert_string_equal(act.transfer.file_type, "3 Vendor Configuration File");
    char *data = NULL;
    size_t len = 0;
    int64_t start = mono_ms();
    uint32_t fault = (uint32_t) hms_test_download(act.transfer.url, NULL, act.transfer.username,
                                                  act.transfer.password, &data, &len);
    assert_int_equal(fault, 0);
    assert_non_null(data);
    /* the generated part (serving elements) and the policy's cm_file */
    assert_non_null(strstr(data, "hnbgw.file.example"));
    assert_non_null(strstr(data, "from-cm-file"));
    assert_int_equal(act.transfer.file_size, len);
    free(data);
    assert_int_equal(cwmp_cpe_transfer_done(t.cpe, act.transfer.id, 0, NULL, start, mono_ms()), 0);
    assert_int_equal(tcpe_session(&t, &w), 0);

    struct hms_registry *r = reg_open(&w);
    struct hms_device_id id = {"00D09E", "HNB", "F1"};
    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    assert_int_equal(d->state, HMS_STATE_REGISTERED);
    assert_string_equal(d->gateway, "hnbgw.file.example");
    assert_non_null(strstr(d->last_events, "7 TRANSFER COMPLETE"));
    char path[512];
    snprintf(path, sizeof(path), "%s/files/cm-%lld-F1.xml", w.dir, (long long) d->id);
    assert_int_equal(unlink(path), 0); /* it was in the file store */
    hms_device_free(r, d);
    hms_registry_close(r);
    tcpe_free(&t);
    world_stop(&w);
}

static const char *dm_value(struct tcpe *t, const char *name, char *buf, size_t size)
{
    assert_true(cwmp_dm_get(t->dm, name, buf, size) >= 0);
    return buf;
}

static int all_done(const struct hms_task *t, void *ud)
{
    if (t->status != HMS_TASK_DONE) {
        print_message("task %lld %s: status %d %s\n", (long long) t->id, t->kind, t->status,
                      t->result);
        (*(int *) ud)++;
    }
    return 0;
}

static void run_ctl(struct hms_registry *r, int argc, char **argv)
{
    struct ex_buf out, err;
    ex_buf_init(&out, NULL, 0);
    ex_buf_init(&err, NULL, 0);
    int rv = hms_ctl(r, argc, argv, 0, &out, &err);
    if (rv != 0)
        print_message("hms ctl: %s\n", err.data ? err.data : "");
    ex_buf_free(&out);
    ex_buf_free(&err);
    assert_int_equal(rv, 0);
}

/* F10 (alarm reporting mechanism from the policy at registration: the HMS
 * reads SupportedAlarm, then sets ReportingMechanism) and operator tasks
 * (`hms ctl set`, `hms ctl alarm-config`) sent after a connection request. */
static void test_alarms_and_tasks(void **state)
{
    (void) state;
    struct world w;
    world_start(&w);
    struct tcpe t;
    if (tcpe_new(&t, &w, "A1", 1) != 0) {
        world_stop(&w);
        skip();
    }
    const char *causes[] = {"Temperature unacceptable", "Power problem"};
    char name[128], buf[256];
    for (unsigned i = 1; i <= 2; i++) {
        assert_int_equal(cwmp_dm_add_instance(t.dm, "Device.FaultMgmt.SupportedAlarm.", i, NULL),
                         0);
        snprintf(name, sizeof(name), "Device.FaultMgmt.SupportedAlarm.%u.ProbableCause", i);
        assert_int_equal(cwmp_dm_set(t.dm, name, causes[i - 1]), 0);
    }
    assert_int_equal(tcpe_session(&t, &w), 0);
    assert_string_equal(
        dm_value(&t, "Device.FaultMgmt.SupportedAlarm.1.ReportingMechanism", buf, sizeof(buf)),
        "0 Expedited");
    assert_string_equal(
        dm_value(&t, "Device.FaultMgmt.SupportedAlarm.2.ReportingMechanism", buf, sizeof(buf)),
        "0 Expedited");

    struct hms_registry *r = reg_open(&w);
    char *set[] = {"set", "A1", "Device.DeviceInfo.ProvisioningCode", "string", "op-set"};
    run_ctl(r, 5, set);
    char *al[] = {"alarm-config", "A1", "queued", "Power problem"};
    run_ctl(r, 4, al);
    /* the device answers a connection request with a session */
    assert_int_equal(cwmp_cpe_connection_request(t.cpe), 0);
    assert_int_equal(tcpe_session(&t, &w), 0);
    assert_string_equal(dm_value(&t, "Device.DeviceInfo.ProvisioningCode", buf, sizeof(buf)),
                        "op-set");
    assert_string_equal(
        dm_value(&t, "Device.FaultMgmt.SupportedAlarm.1.ReportingMechanism", buf, sizeof(buf)),
        "0 Expedited");
    assert_string_equal(
        dm_value(&t, "Device.FaultMgmt.SupportedAlarm.2.ReportingMechanism", buf, sizeof(buf)),
        "1 Queued");
    struct hms_device_id id = {"00D09E", "HNB", "A1"};
    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    int notdone = 0;
    assert_int_equal(hms_registry_list_tasks(r, d->id, -1, all_done, &notdone), 0);
    assert_int_equal(notdone, 0);
    hms_device_free(r, d);
    hms_registry_close(r);
    tcpe_free(&t);
    world_stop(&w);
}

static int task_result(const struct hms_task *t, void *ud)
{
    snprintf(ud, 128, "%d %s", (int) t->status, t->result);
    return 0;
}

/* F6: `hms ctl push-cm DEV FILE`: the Download task stays sent until the
 * TransferComplete with its CommandKey, which makes it done or failed. */
static void test_push_cm_task(void **state)
{
    (void) state;
    struct world w;
    world_start(&w);
    struct tcpe t;
    if (tcpe_new(&t, &w, "X1", 1) != 0) {
        world_stop(&w);
        skip();
    }
    assert_int_equal(tcpe_session(&t, &w), 0);
    char cm[400];
    snprintf(cm, sizeof(cm), "%s/extra-cm.xml", w.dir);
    struct hms_registry *r = reg_open(&w);
    struct hms_device_id id = {"00D09E", "HNB", "X1"};
    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    static const uint32_t faults[] = {9018, 0};
    /* the list callback keeps the last (newest) task's status and result */
    static const char *const want[] = {"3 TransferComplete 9018 not applied",
                                       "2 TransferComplete 0"};
    for (int k = 0; k < 2; k++) {
        char *push[] = {"push-cm", "X1", cm};
        run_ctl(r, 3, push);
        assert_int_equal(cwmp_cpe_connection_request(t.cpe), 0);
        assert_int_equal(tcpe_session(&t, &w), 0);
        char res[128] = "";
        assert_int_equal(hms_registry_list_tasks(r, d->id, -1, task_result, res), 0);
        assert_string_equal(res, "1 download in progress");
        struct cwmp_cpe_action act;
        assert_int_equal(cwmp_cpe_next_action(t.cpe, &act), 1);
        assert_int_equal(act.kind, CWMP_CPE_ACTION_TRANSFER);
        char *data = NULL;
        size_t len = 0;
        assert_int_equal(hms_test_download(act.transfer.url, NULL, act.transfer.username,
                                           act.transfer.password, &data, &len),
                         0);
        assert_non_null(strstr(data, "from-cm-file"));
        free(data);
        assert_int_equal(cwmp_cpe_transfer_done(t.cpe, act.transfer.id, faults[k],
                                                faults[k] ? "not applied" : NULL, mono_ms(),
                                                mono_ms()),
                         0);
        assert_int_equal(tcpe_session(&t, &w), 0);
        assert_int_equal(hms_registry_list_tasks(r, d->id, -1, task_result, res), 0);
        assert_string_equal(res, want[k]);
    }
    hms_device_free(r, d);
    hms_registry_close(r);
    tcpe_free(&t);
    world_stop(&w);
}

struct task_state {
    int64_t id;
    int status;
    char result[128];
};

static int task_state_cb(const struct hms_task *t, void *ud)
{
    struct task_state *ts = ud;
    if (t->id == ts->id) {
        ts->status = (int) t->status;
        snprintf(ts->result, sizeof(ts->result), "%s", t->result);
    }
    return 0;
}

static void task_state(struct hms_registry *r, int64_t dev, struct task_state *ts)
{
    ts->status = -1;
    assert_int_equal(hms_registry_list_tasks(r, dev, -1, task_state_cb, ts), 0);
}

/* `hms ctl push-cm DEV FILE DELAY`: the Download carries DelaySeconds; the
 * device holds the transfer until then (a task payload with a bad delay
 * fails the task instead). */
static void test_push_cm_delay(void **state)
{
    (void) state;
    struct world w;
    world_start(&w);
    struct tcpe t;
    if (tcpe_new(&t, &w, "X2", 1) != 0) {
        world_stop(&w);
        skip();
    }
    assert_int_equal(tcpe_session(&t, &w), 0);
    char cm[400], delay[] = "600";
    snprintf(cm, sizeof(cm), "%s/extra-cm.xml", w.dir);
    struct hms_registry *r = reg_open(&w);
    char *push[] = {"push-cm", "X2", cm, delay};
    run_ctl(r, 4, push);
    assert_int_equal(cwmp_cpe_connection_request(t.cpe), 0);
    int64_t before = mono_ms() + t.skew;
    assert_int_equal(tcpe_session(&t, &w), 0);
    const struct cwmp_transfer_queue *q = cwmp_cpe_transfers(t.cpe);
    assert_int_equal(cwmp_transfer_queue_count(q), 1);
    struct cwmp_transfer tr;
    assert_int_equal(cwmp_transfer_queue_get(q, 0, &tr), 0);
    assert_true(tr.not_before_ms >= before + 600 * 1000);
    assert_string_equal(tr.command_key, "task-1");
    struct cwmp_cpe_action act;
    assert_int_equal(cwmp_cpe_next_action(t.cpe, &act), 0); /* not due yet */
    /* a payload whose delay is not a number: the task fails, nothing sent */
    struct hms_device_id id = {"00D09E", "HNB", "X2"};
    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    struct task_state ts = {0, -1, ""};
    char payload[500];
    int n = snprintf(payload, sizeof(payload), "%s\nsoon", cm);
    assert_int_equal(hms_registry_add_task(r, d->id, 0, "Download", payload, (size_t) n, &ts.id),
                     0);
    assert_int_equal(cwmp_cpe_connection_request(t.cpe), 0);
    assert_int_equal(tcpe_session(&t, &w), 0);
    task_state(r, d->id, &ts);
    assert_int_equal(ts.status, HMS_TASK_FAILED);
    assert_int_equal(cwmp_transfer_queue_count(q), 1);
    hms_device_free(r, d);
    hms_registry_close(r);
    tcpe_free(&t);
    world_stop(&w);
}

/* F1/F3 with two processes' roles: the initial HMS assigns the serving HMS
 * (ManagementServer.URL) and does not register; the device then bootstraps
 * at the serving HMS, which registers it. Each HMS has its own registry. */
static void test_initial_then_serving(void **state)
{
    (void) state;
    struct world serving, initial;
    world_start_role(&serving, 0, 0, "serving", "http://127.0.0.1:7548/cwmp");
    world_start_role(&initial, 0, 0, "initial", serving.url);
    struct tcpe t;
    if (tcpe_new(&t, &initial, "S1", 1) != 0) {
        world_stop(&initial);
        world_stop(&serving);
        skip();
    }
    assert_int_equal(tcpe_session(&t, &initial), 0);
    char url[256];
    assert_string_equal(dm_value(&t, "Device.ManagementServer.URL", url, sizeof(url)), serving.url);
    /* the new ACS URL: the device bootstraps there */
    assert_int_equal(tcpe_session_to(&t, &serving, url), 0);

    struct hms_device_id id = {"00D09E", "HNB", "S1"};
    struct hms_device *d = NULL;
    struct hms_registry *r = reg_open(&initial);
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    assert_int_equal(d->state, HMS_STATE_DISCOVERED);
    assert_int_equal(d->roles_seen, HMS_ROLE_INITIAL);
    assert_string_equal(d->serving_hms_url, serving.url);
    assert_string_equal(d->serving_segw, "segw.test.example");
    hms_device_free(r, d);
    hms_registry_close(r);
    r = reg_open(&serving);
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    assert_int_equal(d->state, HMS_STATE_REGISTERED);
    assert_int_equal(d->roles_seen, HMS_ROLE_SERVING);
    assert_non_null(strstr(d->last_events, "0 BOOTSTRAP"));
    hms_device_free(r, d);
    hms_registry_close(r);
    tcpe_free(&t);
    world_stop(&initial);
    world_stop(&serving);
}

/* F9: `hms ctl deprovision DEV` (FactoryReset): the next session carries
 * the FactoryReset, the device resets after it; bootstrapping again, the
 * device gets nothing but an empty session. */
static void test_deprovision_factory_reset(void **state)
{
    (void) state;
    struct world w;
    world_start(&w);
    struct tcpe t;
    if (tcpe_new(&t, &w, "D1", 1) != 0) {
        world_stop(&w);
        skip();
    }
    assert_int_equal(tcpe_session(&t, &w), 0);
    struct hms_registry *r = reg_open(&w);
    char *dep[] = {"deprovision", "D1"};
    run_ctl(r, 2, dep);
    assert_int_equal(cwmp_cpe_connection_request(t.cpe), 0);
    assert_int_equal(tcpe_session(&t, &w), 0);
    struct cwmp_cpe_action act;
    assert_int_equal(cwmp_cpe_next_action(t.cpe, &act), 1);
    assert_int_equal(act.kind, CWMP_CPE_ACTION_FACTORY_RESET);
    tcpe_free(&t);
    struct hms_device_id id = {"00D09E", "HNB", "D1"};
    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    assert_int_equal(d->state, HMS_STATE_DEPROVISIONED);
    int notdone = 0;
    assert_int_equal(hms_registry_list_tasks(r, d->id, -1, all_done, &notdone), 0);
    assert_int_equal(notdone, 0);
    hms_device_free(r, d);
    /* the HMS restarts; factory defaults: a fresh CPE bootstraps and is
     * still refused */
    world_restart(&w);
    assert_int_equal(tcpe_new(&t, &w, "D1", 1), 0);
    assert_int_equal(tcpe_session(&t, &w), 0);
    char buf[256];
    assert_string_equal(dm_value(&t, "Device.ManagementServer.URL", buf, sizeof(buf)), w.url);
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    assert_int_equal(d->state, HMS_STATE_DEPROVISIONED);
    assert_non_null(strstr(d->last_events, "0 BOOTSTRAP"));
    hms_device_free(r, d);
    tcpe_free(&t);
    hms_registry_close(r);
    world_stop(&w);
}

/* Hostile or wrong requests on both listeners get an HTTP error; the HMS
 * keeps serving. */
static void test_bad_requests(void **state)
{
    (void) state;
    struct world w;
    world_start(&w);
    static const char *const bodies[] = {
        "<not-xml",
        "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"/>",
        "\x01\x02\x03",
    };
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        struct hms_test_http *h = hms_test_http_new(w.url, NULL, NULL, NULL);
        assert_non_null(h);
        char *reply = NULL;
        size_t rlen = 0;
        int status = 0;
        int rv = hms_test_http_post(h, bodies[i], strlen(bodies[i]), &reply, &rlen, &status);
        assert_true(rv != 0 || status >= 400);
        free(reply);
        hms_test_http_free(h);
    }
    /* the file server: wrong names, no traversal */
    char url[256];
    snprintf(url, sizeof(url), "http://127.0.0.1:%u/pm/..%%2f..%%2fetc%%2fpasswd", w.file_port);
    assert_int_not_equal(hms_test_upload(url, NULL, "pm", "pm-secret", "x", 1), 0);
    snprintf(url, sizeof(url), "http://127.0.0.1:%u/files/../registry.db", w.file_port);
    char *data = NULL;
    size_t len = 0;
    assert_int_not_equal(hms_test_download(url, NULL, "pm", "pm-secret", &data, &len), 0);
    free(data);
    /* still serving */
    assert_int_equal(cpe_session(&w, "B1"), 0);
    world_stop(&w);
}

/* The `hms` program itself: starts from a config, writes its ports, serves
 * a device, stops cleanly on SIGTERM. */
static void test_program(void **state)
{
    (void) state;
#ifndef HMS_EXE
    skip();
#else
    struct world w;
    memset(&w, 0, sizeof(w));
    snprintf(w.dir, sizeof(w.dir), "/tmp/hms-test-XXXXXX");
    assert_non_null(mkdtemp(w.dir));
    char path[400], ports[400], files[400], cmx[400];
    snprintf(files, sizeof(files), "%s/files", w.dir);
    assert_int_equal(mkdir(files, 0700), 0);
    snprintf(path, sizeof(path), "%s/hms.conf", w.dir);
    snprintf(ports, sizeof(ports), "%s/ports", w.dir);
    snprintf(cmx, sizeof(cmx), "%s/extra-cm.xml", w.dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, conf_fmt, "both", w.dir, w.dir, "", w.dir, "http://127.0.0.1:7548/cwmp");
    fclose(fp);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execl(HMS_EXE, "hms", "--port", "0", "--file-listen", "127.0.0.1:0", "--port-file", ports,
              path, (char *) NULL);
        _exit(127);
    }
    unsigned cport = 0, fport = 0;
    for (int i = 0; i < 200 && !cport; i++) { /* bounded: 10 s */
        usleep(50 * 1000);
        fp = fopen(ports, "r");
        if (fp) {
            if (fscanf(fp, "%u %u", &cport, &fport) != 2)
                cport = 0;
            fclose(fp);
        }
    }
    assert_int_not_equal(cport, 0);
    snprintf(w.url, sizeof(w.url), "http://127.0.0.1:%u/cwmp", cport);
    snprintf(w.cr_url, sizeof(w.cr_url), "http://127.0.0.1:1/cr");
    int rv = cpe_session(&w, "E1");
    kill(pid, SIGTERM);
    int status = -1;
    for (int i = 0; i < 200; i++) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            break;
        usleep(50 * 1000);
    }
    assert_true(rv == 0 || rv == -2);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    struct hms_registry *r = reg_open(&w);
    struct hms_device_id id = {"00D09E", "HNB", "E1"};
    struct hms_device *d = NULL;
    if (rv == 0) {
        assert_int_equal(hms_registry_find(r, &id, &d), 0);
        assert_int_equal(d->state, HMS_STATE_REGISTERED);
        hms_device_free(r, d);
    }
    hms_registry_close(r);
    unlink(path);
    unlink(ports);
    rm_tree(w.dir);
#endif
}

/* ---- robustness: tasks cut off by a failed session or an HMS crash ---------- */

/* A session cut off when the HMS's reply holds @p marker: the connection
 * is dropped (the device died, the network failed). With @p deliver the
 * CPE got that reply (its answer is lost), else never. Returns 1 when the
 * marker was seen. */
static int tcpe_session_cut_ex(struct tcpe *t, struct world *w, const char *marker, int deliver)
{
    struct hms_test_http *h = hms_test_http_new(w->url, w->tls ? w->ca : NULL, NULL, NULL);
    assert_non_null(h);
    int seen = 0;
    if (!cwmp_cpe_want_session(t->cpe)) { /* skip a retry wait */
        t->skew += 3600 * 1000;
        cwmp_cpe_handle_timeout(t->cpe, mono_ms() + t->skew);
    }
    assert_true(cwmp_cpe_want_session(t->cpe));
    assert_int_equal(cwmp_cpe_session_begin(t->cpe, mono_ms() + t->skew), 0);
    for (int round = 0; round < 50 && cwmp_cpe_want_send(t->cpe); round++) {
        const char *body;
        size_t len, rlen;
        char *reply = NULL;
        int status = 0;
        if (cwmp_cpe_send(t->cpe, &body, &len) != 0 ||
            hms_test_http_post(h, body, len, &reply, &rlen, &status) != 0)
            break;
        seen = reply && strstr(reply, marker) != NULL;
        if ((seen && !deliver) || cwmp_cpe_recv(t->cpe, reply, rlen) != 0 || seen) {
            free(reply);
            break;
        }
        free(reply);
    }
    hms_test_http_free(h);
    cwmp_cpe_session_abort(t->cpe);
    return seen;
}

static int tcpe_session_cut(struct tcpe *t, struct world *w, const char *marker)
{
    return tcpe_session_cut_ex(t, w, marker, 0);
}

/* The HMS waits for each connection's end before the next one: a fresh
 * connection that completes a session proves the previous one is over. */
static void wait_for_status(struct hms_registry *r, int64_t dev, struct task_state *ts, int want)
{
    for (int i = 0; i < 200; i++) { /* bounded: 10 s */
        task_state(r, dev, ts);
        if (ts->status == want)
            return;
        usleep(50 * 1000);
    }
    fail_msg("task %lld: status %d (%s), want %d", (long long) ts->id, ts->status, ts->result,
             want);
}

/* A task sent in a session that ended before its answer goes back to
 * pending, and the next session delivers it. */
static void test_task_requeued_after_cut_session(void **state)
{
    (void) state;
    struct world w;
    world_start(&w);
    struct tcpe t;
    if (tcpe_new(&t, &w, "RQ1", 1) != 0) {
        world_stop(&w);
        skip();
    }
    assert_int_equal(tcpe_session(&t, &w), 0);
    struct hms_registry *r = reg_open(&w);
    char *set[] = {"set", "RQ1", "Device.DeviceInfo.ProvisioningCode", "string", "after-cut"};
    run_ctl(r, 5, set);
    struct hms_device_id id = {"00D09E", "HNB", "RQ1"};
    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    int64_t dev = d->id;
    hms_device_free(r, d);
    struct task_state ts = {1, -1, ""};
    /* the task is the only one: find its id */
    for (ts.id = 1; ts.id < 50; ts.id++) {
        task_state(r, dev, &ts);
        if (ts.status == HMS_TASK_PENDING)
            break;
    }
    assert_int_equal(ts.status, HMS_TASK_PENDING);
    /* the session carries the task's SPV; the device never gets it */
    assert_int_equal(cwmp_cpe_connection_request(t.cpe), 0);
    assert_int_equal(tcpe_session_cut(&t, &w, "after-cut"), 1);
    wait_for_status(r, dev, &ts, HMS_TASK_PENDING);
    if (!strstr(ts.result, "re-queued"))
        fail_msg("result: %s", ts.result);
    char buf[64];
    assert_string_not_equal(dm_value(&t, "Device.DeviceInfo.ProvisioningCode", buf, sizeof(buf)),
                            "after-cut");
    /* the next session (the Inform's events were delivered before the cut:
     * a connection request opens it) delivers it */
    assert_int_equal(cwmp_cpe_connection_request(t.cpe), 0);
    assert_int_equal(tcpe_session(&t, &w), 0);
    task_state(r, dev, &ts);
    assert_int_equal(ts.status, HMS_TASK_DONE);
    assert_string_equal(dm_value(&t, "Device.DeviceInfo.ProvisioningCode", buf, sizeof(buf)),
                        "after-cut");
    hms_registry_close(r);
    tcpe_free(&t);
    world_stop(&w);
}

/* The device accepted a Download task but its DownloadResponse was lost
 * (session cut): the task is re-queued; the TransferComplete with its
 * CommandKey then ends it, and the Download is not sent a second time. */
static void test_requeued_download_ended_by_transfer_complete(void **state)
{
    (void) state;
    struct world w;
    world_start(&w);
    struct tcpe t;
    if (tcpe_new(&t, &w, "RQ3", 1) != 0) {
        world_stop(&w);
        skip();
    }
    assert_int_equal(tcpe_session(&t, &w), 0);
    struct hms_registry *r = reg_open(&w);
    char cm[400];
    snprintf(cm, sizeof(cm), "%s/extra-cm.xml", w.dir);
    char *push[] = {"push-cm", "RQ3", cm};
    run_ctl(r, 3, push);
    struct hms_device_id id = {"00D09E", "HNB", "RQ3"};
    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    int64_t dev = d->id;
    hms_device_free(r, d);
    struct task_state ts = {1, -1, ""};
    task_state(r, dev, &ts);
    assert_int_equal(ts.status, HMS_TASK_PENDING);
    assert_int_equal(cwmp_cpe_connection_request(t.cpe), 0);
    assert_int_equal(tcpe_session_cut_ex(&t, &w, "task-1", 1), 1);
    wait_for_status(r, dev, &ts, HMS_TASK_PENDING); /* re-queued */
    /* the device runs the transfer and reports it */
    const struct cwmp_transfer_queue *q = cwmp_cpe_transfers(t.cpe);
    assert_int_equal(cwmp_transfer_queue_count(q), 1);
    struct cwmp_cpe_action act;
    assert_int_equal(cwmp_cpe_next_action(t.cpe, &act), 1);
    assert_int_equal(act.kind, CWMP_CPE_ACTION_TRANSFER);
    assert_string_equal(act.transfer.command_key, "task-1");
    assert_int_equal(cwmp_cpe_transfer_done(t.cpe, act.transfer.id, 0, NULL, mono_ms(), mono_ms()),
                     0);
    assert_int_equal(tcpe_session(&t, &w), 0);
    task_state(r, dev, &ts);
    assert_int_equal(ts.status, HMS_TASK_DONE);
    assert_string_equal(ts.result, "TransferComplete 0");
    /* acknowledged, and no second Download was queued on the device */
    assert_int_equal(cwmp_transfer_queue_count(q), 0);
    hms_registry_close(r);
    tcpe_free(&t);
    world_stop(&w);
}

/* At start the HMS has no session open: tasks a previous process left sent
 * without an answer go back to pending; a Download the device accepted
 * ("download in progress") keeps waiting for its TransferComplete. */
static void test_sent_tasks_requeued_at_start(void **state)
{
    (void) state;
    struct world w;
    world_start(&w);
    if (cpe_session(&w, "RQ2") == -2) {
        world_stop(&w);
        skip();
    }
    struct hms_registry *r = reg_open(&w);
    struct hms_device_id id = {"00D09E", "HNB", "RQ2"};
    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    int64_t dev = d->id;
    hms_device_free(r, d);
    struct task_state a = {0, -1, ""}, b = {0, -1, ""}, c = {0, -1, ""};
    assert_int_equal(hms_registry_add_task(r, dev, 0, "FactoryReset", NULL, 0, &a.id), 0);
    assert_int_equal(hms_registry_add_task(r, dev, 0, "Download", "/x.xml", 6, &b.id), 0);
    assert_int_equal(hms_registry_add_task(r, dev, 0, "FactoryReset", NULL, 0, &c.id), 0);
    assert_int_equal(hms_registry_set_task(r, a.id, HMS_TASK_SENT, ""), 0);
    assert_int_equal(hms_registry_set_task(r, b.id, HMS_TASK_SENT, "download in progress"), 0);
    assert_int_equal(hms_registry_set_task(r, c.id, HMS_TASK_DONE, "ok"), 0);
    world_restart(&w);
    task_state(r, dev, &a);
    task_state(r, dev, &b);
    task_state(r, dev, &c);
    assert_int_equal(a.status, HMS_TASK_PENDING);
    assert_non_null(strstr(a.result, "restarted"));
    assert_int_equal(b.status, HMS_TASK_SENT);
    assert_string_equal(b.result, "download in progress");
    assert_int_equal(c.status, HMS_TASK_DONE);
    hms_registry_close(r);
    world_stop(&w);
}

#ifdef HMS_EXE
/* The hms program with HMS_TEST_CRASH=@p crash (NULL: none); its ports in
 * *cport. */
static pid_t spawn_hms(struct world *w, const char *conf, const char *ports, const char *crash,
                       unsigned *cport)
{
    unlink(ports);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (crash)
            setenv("HMS_TEST_CRASH", crash, 1);
        else
            unsetenv("HMS_TEST_CRASH");
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0 && !getenv("HMS_TEST_VERBOSE"))
            dup2(null, 2);
        execl(HMS_EXE, "hms", "--port", "0", "--file-listen", "127.0.0.1:0", "--port-file", ports,
              conf, (char *) NULL);
        _exit(127);
    }
    unsigned fport = 0;
    *cport = 0;
    for (int i = 0; i < 200 && !*cport; i++) { /* bounded: 10 s */
        usleep(50 * 1000);
        FILE *fp = fopen(ports, "r");
        if (fp) {
            if (fscanf(fp, "%u %u", cport, &fport) != 2)
                *cport = 0;
            fclose(fp);
        }
    }
    snprintf(w->url, sizeof(w->url), "http://127.0.0.1:%u/cwmp", *cport);
    return pid;
}

static int wait_exit(pid_t pid)
{
    int status = -1;
    for (int i = 0; i < 200; i++) { /* bounded: 10 s */
        if (waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        usleep(50 * 1000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
}
#endif

/* HMS_TEST_CRASH: the hms program exits (86) at exactly the message named:
 * recv:Inform:2 before recording the second Inform (the device's session
 * fails and its events stay queued); sent:InformResponse after the device
 * got its InformResponse; an unknown spec is a usage error. */
static void test_crash_knob(void **state)
{
    (void) state;
#ifndef HMS_EXE
    skip();
#else
    struct world w;
    memset(&w, 0, sizeof(w));
    snprintf(w.dir, sizeof(w.dir), "/tmp/hms-test-XXXXXX");
    assert_non_null(mkdtemp(w.dir));
    char path[400], ports[400], files[400];
    snprintf(files, sizeof(files), "%s/files", w.dir);
    assert_int_equal(mkdir(files, 0700), 0);
    snprintf(path, sizeof(path), "%s/hms.conf", w.dir);
    snprintf(ports, sizeof(ports), "%s/ports", w.dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, conf_fmt, "both", w.dir, w.dir, "", w.dir, "http://127.0.0.1:7548/cwmp");
    fclose(fp);
    snprintf(w.cr_url, sizeof(w.cr_url), "http://127.0.0.1:1/cr");

    unsigned cport;
    pid_t pid = spawn_hms(&w, path, ports, "bogus:Inform", &cport);
    assert_int_equal(wait_exit(pid), 2);
    /* the server limits' options: out of range is a usage error (2) */
    static const char *const bad[][2] = {
        {"--max-connections", "0"}, {"--io-timeout", "5s"}, {"--max-buffered", "-1"}};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            int null = open("/dev/null", O_WRONLY);
            if (null >= 0)
                dup2(null, 2);
            execl(HMS_EXE, "hms", "--port", "0", bad[i][0], bad[i][1], path, (char *) NULL);
            _exit(127);
        }
        assert_int_equal(wait_exit(pid), 2);
    }

    pid = spawn_hms(&w, path, ports, "recv:Inform:2", &cport);
    assert_int_not_equal(cport, 0);
    struct tcpe t;
    if (tcpe_new(&t, &w, "K1", 1) != 0) {
        kill(pid, SIGTERM);
        wait_exit(pid);
        unlink(path);
        unlink(ports);
        rm_tree(w.dir);
        skip();
    }
    assert_int_equal(tcpe_session(&t, &w), 0); /* Inform 1: registered */
    assert_int_equal(cwmp_cpe_connection_request(t.cpe), 0);
    assert_int_equal(cwmp_cpe_request_session(t.cpe, CWMP_EVENT_METHOD, "X_00D09E_Test", "k"), 0);
    assert_int_not_equal(tcpe_session(&t, &w), 0); /* Inform 2: the HMS died */
    assert_int_equal(wait_exit(pid), HMS_TEST_CRASH_EXIT);
    assert_int_equal(cwmp_cpe_retry_count(t.cpe), 1);
    struct hms_registry *r = reg_open(&w);
    struct hms_device_id id = {"00D09E", "HNB", "K1"};
    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    assert_int_equal(d->state, HMS_STATE_REGISTERED);
    assert_null(strstr(d->last_events, "X_00D09E_Test")); /* never recorded */
    hms_device_free(r, d);

    /* back without the knob: the retry delivers what was queued (not the
     * connection request: that event is not retried) */
    pid = spawn_hms(&w, path, ports, "sent:InformResponse:2", &cport);
    assert_int_equal(tcpe_session(&t, &w), 0);
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    assert_non_null(strstr(d->last_events, "M X_00D09E_Test"));
    assert_null(strstr(d->last_events, "6 CONNECTION REQUEST"));
    hms_device_free(r, d);
    /* sent:InformResponse:2: the device has its InformResponse (the events
     * are delivered), then the HMS is gone */
    assert_int_equal(cwmp_cpe_connection_request(t.cpe), 0);
    assert_int_not_equal(tcpe_session(&t, &w), 0);
    assert_int_equal(wait_exit(pid), HMS_TEST_CRASH_EXIT);
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    assert_non_null(strstr(d->last_events, "6 CONNECTION REQUEST"));
    hms_device_free(r, d);
    hms_registry_close(r);
    tcpe_free(&t);
    unlink(path);
    unlink(ports);
    rm_tree(w.dir);
#endif
}

/* --cwmp-user/--cwmp-password: a CPE without the right credentials gets
 * no session and is not in the registry; with them it registers. Over TLS
 * (where Basic would be allowed too) and plain HTTP (Digest only). */
static void cpe_auth(int tls)
{
    struct world w;
    world_start_auth(&w, tls, 1);
    struct tcpe t;
    if (tcpe_new(&t, &w, "P1", 1) != 0) {
        world_stop(&w);
        skip();
    }
    assert_int_not_equal(tcpe_session(&t, &w), 0);
    w.cpe_user = "hnb";
    w.cpe_password = "wrong";
    assert_int_not_equal(tcpe_session(&t, &w), 0);
    struct hms_registry *r = reg_open(&w);
    struct hms_device_id id = {"00D09E", "HNB", "P1"};
    struct hms_device *d = NULL;
    assert_int_not_equal(hms_registry_find(r, &id, &d), 0);
    w.cpe_password = "hnb-secret";
    assert_int_equal(tcpe_session(&t, &w), 0);
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    assert_int_equal(d->state, HMS_STATE_REGISTERED);
    hms_device_free(r, d);
    hms_registry_close(r);
    tcpe_free(&t);
    world_stop(&w);
}

static void test_cpe_auth(void **state)
{
    (void) state;
    cpe_auth(0);
}

static void test_cpe_auth_tls(void **state)
{
    (void) state;
    cpe_auth(1);
}

struct task_status {
    int64_t id;
    int status;
};

static int task_status_cb(const struct hms_task *t, void *ud)
{
    struct task_status *ts = ud;
    if (t->id == ts->id)
        ts->status = (int) t->status;
    return 0;
}

/* `hms-ctl connreq` queues a ConnectionRequest task: the running HMS sends
 * it to the device's ConnectionRequestURL with its credentials. */
static void test_connection_request(void **state)
{
    (void) state;
    struct world w;
    world_start(&w);
    uint16_t port = 0;
    struct hms_test_cr *cr = hms_test_cr_start(&port);
    assert_non_null(cr);
    snprintf(w.cr_url, sizeof(w.cr_url), "http://127.0.0.1:%u/cr", port);
    if (cpe_session(&w, "T4") == -2) {
        hms_test_cr_stop(cr);
        world_stop(&w);
        skip();
    }
    struct hms_registry *r = reg_open(&w);
    struct hms_device_id id = {"00D09E", "HNB", "T4"};
    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    /* registration gave the device a pair of its own (16 random bytes in
     * hex); connection requests use it, not the command line's pair */
    char u[HMS_REGISTRY_MAX_ID + 1], p[HMS_REGISTRY_MAX_ID + 1];
    assert_int_equal(hms_registry_get_cr_credentials(r, d->id, u, sizeof(u), p, sizeof(p)), 0);
    assert_string_equal(u, "00D09E-T4");
    assert_int_equal(strlen(p), 32);
    assert_int_equal(strspn(p, "0123456789abcdef"), 32);
    /* never in the trace (nor in the logs: masked) */
    FILE *tf = fopen(w.trace, "r");
    assert_non_null(tf);
    char line[4096];
    while (fgets(line, sizeof(line), tf))
        assert_null(strstr(line, p));
    fclose(tf);
    hms_test_cr_expect(cr, u, p);
    struct task_status ts = {0, -1};
    assert_int_equal(hms_registry_add_task(r, d->id, 0, "ConnectionRequest", NULL, 0, &ts.id), 0);
    /* bounded wait: the HMS scans for such tasks every 0.5 s */
    for (int i = 0; i < 100 && ts.status != HMS_TASK_DONE && ts.status != HMS_TASK_FAILED; i++) {
        usleep(50 * 1000);
        assert_int_equal(hms_registry_list_tasks(r, d->id, -1, task_status_cb, &ts), 0);
    }
    assert_int_equal(ts.status, HMS_TASK_DONE);
    assert_int_equal(hms_test_cr_stop(cr), 1);
    hms_device_free(r, d);
    hms_registry_close(r);
    world_stop(&w);
}

static int count_pm(const struct hms_pmfile *f, void *ud)
{
    (void) f;
    (*(int *) ud)++;
    return 0;
}

static void pm_upload(int tls)
{
    struct world w;
    world_start_ex(&w, tls);
    if (cpe_session(&w, "T1") == -2) {
        world_stop(&w);
        skip();
    }
    static const char name[] = "A20260101.0000+0000-0015+0000_T1.xml";
    static const char pm[] = "<?xml version=\"1.0\"?>\n<measCollecFile/>\n";
    char url[256];
    snprintf(url, sizeof(url), "%s://127.0.0.1:%u/pm/%s", tls ? "https" : "http", w.file_port,
             name);
    /* wrong password: refused, nothing stored */
    const char *ca = w.tls ? w.ca : NULL;
    char path[512];
    snprintf(path, sizeof(path), "%s/files/%s", w.dir, name);
    struct stat st;
    assert_int_not_equal(hms_test_upload(url, ca, "pm", "wrong", pm, sizeof(pm) - 1), 0);
    assert_int_not_equal(stat(path, &st), 0);
    assert_int_equal(hms_test_upload(url, ca, "pm", "pm-secret", pm, sizeof(pm) - 1), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, (off_t) (sizeof(pm) - 1));
    struct hms_registry *r = reg_open(&w);
    struct hms_device_id id = {"00D09E", "HNB", "T1"};
    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    assert_int_equal(d->state, HMS_STATE_REGISTERED);
    int n = 0;
    assert_int_equal(hms_registry_list_pmfiles(r, d->id, count_pm, &n), 0);
    assert_int_equal(n, 1);
    hms_device_free(r, d);
    hms_registry_close(r);
    world_stop(&w);
}

static void test_pm_upload(void **state)
{
    (void) state;
    pm_upload(0);
}

/* The same over TLS (test PKI): CWMP session, registration and PM upload. */
static void test_tls(void **state)
{
    (void) state;
    pm_upload(1);
}

/* A client that stalls (half a request over HTTP; over TLS, a connection
 * that never starts its handshake) does not keep a device from being
 * served: the HMS would wait 30 s for the stalled one, the device gives up
 * after 3 s. */
static void stalled_client(int tls)
{
    struct world w;
    struct limits lim = {30000, 0, 0, 0, 0};
    world_start_role_ex(&w, tls, 0, "both", "http://127.0.0.1:7548/cwmp", &lim);
    w.cpe_timeout_ms = 3000;
    uint16_t port = 0;
    sscanf(strrchr(w.url, ':') + 1, "%hu", &port);
    struct cwmp_stream *stalled[2] = {NULL, NULL};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(cwmp_tcp_connect(NULL, "127.0.0.1", port, 3000, &stalled[i]), 0);
        if (!tls) {
            static const char half[] = "POST /cwmp HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                       "Content-Length: 1000\r\n\r\n<soap";
            assert_int_equal(
                cwmp_stream_write(stalled[i], (const uint8_t *) half, sizeof(half) - 1),
                (int) sizeof(half) - 1);
        }
    }
    usleep(100 * 1000); /* the HMS has accepted them */
    int rv = cpe_session(&w, tls ? "S2" : "S1");
    if (rv == -2) {
        cwmp_stream_close(stalled[0]);
        cwmp_stream_close(stalled[1]);
        world_stop(&w);
        skip();
    }
    assert_int_equal(rv, 0);
    struct hms_registry *r = reg_open(&w);
    struct hms_device_id id = {"00D09E", "HNB", tls ? "S2" : "S1"};
    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    assert_non_null(d);
    assert_int_equal(d->state, HMS_STATE_REGISTERED);
    hms_device_free(r, d);
    hms_registry_close(r);
    cwmp_stream_close(stalled[0]);
    cwmp_stream_close(stalled[1]);
    world_stop(&w);
}

/* Stalled file-server clients (half a request head, half a PM file, a TCP
 * connection that never starts its TLS handshake) hold none of the others:
 * another device's CM download and PM upload and a CWMP session are served
 * meanwhile, well within the clients' 10 s timeouts although the HMS's I/O
 * timeout is 30 s. (With a file server serving one connection at a time,
 * each of them waited for the first stalled client's timeout.) */
static void stalled_file_client(int tls)
{
    struct world w;
    struct limits lim = {30000, 0, 0, 0, 0};
    world_start_role_ex(&w, tls, 0, "both", "http://127.0.0.1:7548/cwmp", &lim);
    w.cpe_timeout_ms = 3000;
    static const char cm[] = "<?xml version=\"1.0\"?>\n<cmFile version=\"1\"/>\n";
    char path[512];
    snprintf(path, sizeof(path), "%s/files/cm-other.xml", w.dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(cm, fp);
    fclose(fp);
    static const char *const half[] = {
        "GET /files/cm-other.xml HTTP/1.1\r\nHost: 127.0.0.1\r\n",
        "PUT /pm/A20260101.0000+0000-0015+0000_X1.xml HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Length: 100000\r\n\r\n<measCollecFile>",
    };
    struct cwmp_stream *stalled[2] = {NULL, NULL};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(cwmp_tcp_connect(NULL, "127.0.0.1", w.file_port, 3000, &stalled[i]), 0);
        if (!tls)
            assert_int_equal(
                cwmp_stream_write(stalled[i], (const uint8_t *) half[i], strlen(half[i])),
                (int) strlen(half[i]));
    }
    usleep(100 * 1000); /* the HMS has accepted them */
    const char *ca = tls ? w.ca : NULL;
    const char *scheme = tls ? "https" : "http";
    char url[256];
    snprintf(url, sizeof(url), "%s://127.0.0.1:%u/files/cm-other.xml", scheme, w.file_port);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(hms_test_download(url, ca, "pm", "pm-secret", &data, &len), 0);
    assert_int_equal(len, sizeof(cm) - 1);
    assert_memory_equal(data, cm, len);
    free(data);
    static const char name[] = "A20260101.0000+0000-0015+0000_Y1.xml";
    static const char pm[] = "<?xml version=\"1.0\"?>\n<measCollecFile/>\n";
    snprintf(url, sizeof(url), "%s://127.0.0.1:%u/pm/%s", scheme, w.file_port, name);
    assert_int_equal(hms_test_upload(url, ca, "pm", "pm-secret", pm, sizeof(pm) - 1), 0);
    snprintf(path, sizeof(path), "%s/files/%s", w.dir, name);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, (off_t) (sizeof(pm) - 1));
    int rv = cpe_session(&w, tls ? "FS2" : "FS1");
    assert_true(rv == 0 || rv == -2); /* -2: no Device:2 schema, no session */
    cwmp_stream_close(stalled[0]);
    cwmp_stream_close(stalled[1]);
    world_stop(&w);
}

static void test_stalled_file_client(void **state)
{
    (void) state;
    stalled_file_client(0);
}

static void test_stalled_file_client_tls(void **state)
{
    (void) state;
    stalled_file_client(1);
}

/* A raw file-server client: a plain TCP connection that answers the
 * server's Digest challenge (from a GET without credentials) and starts
 * `PUT /pm/<name>` with a body of @p body_len bytes, then sends the body
 * itself, as slowly as the caller likes. */
static struct cwmp_stream *raw_pm_put(struct world *w, const char *name, size_t body_len)
{
    struct cwmp_stream *st = NULL;
    assert_int_equal(cwmp_tcp_connect(NULL, "127.0.0.1", w->file_port, 3000, &st), 0);
    st->timeout_ms = 5000;
    static const char get[] = "GET /files/none.xml HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    assert_int_equal(cwmp_stream_write_all(st, (const uint8_t *) get, sizeof(get) - 1), 0);
    struct cwmp_http_parser *p = NULL;
    assert_int_equal(cwmp_http_parser_new(&p, NULL, CWMP_HTTP_PARSE_RESPONSE, NULL), 0);
    uint8_t buf[4096];
    size_t blen = 0;
    assert_int_equal(cwmp_http_read_head(st, p, buf, sizeof(buf), &blen, 5000),
                     CWMP_HTTP_EV_HEADERS);
    const struct cwmp_http_message *m = cwmp_http_parser_message(p);
    assert_int_equal(m->status, 401);
    const char *wa = cwmp_http_message_header(m, "WWW-Authenticate");
    assert_non_null(wa);
    struct cwmp_http_auth_params ch;
    assert_int_equal(cwmp_http_auth_parse(wa, strlen(wa), 1, &ch), 0);
    assert_int_equal(cwmp_http_read_body(st, p, buf, sizeof(buf), &blen, NULL, NULL), 0);
    cwmp_http_parser_free(p);
    char uri[200], az[1024], head[1600];
    snprintf(uri, sizeof(uri), "/pm/%s", name);
    assert_int_equal(cwmp_http_auth_authorization(&ch, "pm", "pm-secret", "PUT", uri, 1, NULL, NULL,
                                                  az, sizeof(az)),
                     0);
    int n = snprintf(head, sizeof(head),
                     "PUT %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: %s\r\n"
                     "Content-Length: %zu\r\n\r\n",
                     uri, az, body_len);
    assert_int_equal(cwmp_stream_write_all(st, (const uint8_t *) head, (size_t) n), 0);
    return st;
}

/* 1 once the server closed the connection (EOF or reset), 0 while open. */
static int peer_closed(struct cwmp_stream *st)
{
    struct pollfd pf = {st->fd, POLLIN, 0};
    if (poll(&pf, 1, 0) <= 0)
        return 0;
    uint8_t b[512];
    return recv(st->fd, b, sizeof(b), MSG_DONTWAIT) <= 0;
}

/* The file server's deadlines: each read that moves bytes gives another
 * I/O timeout (a PM file sent in pieces over longer than the I/O timeout
 * is stored), but a request must end within the file timeout (a client
 * dripping its body is closed then, long before its body is complete). */
static void test_file_deadlines(void **state)
{
    (void) state;
    struct world w;
    struct limits lim = {1000, 0, 0, 2500, 0};
    world_start_role_ex(&w, 0, 0, "both", "http://127.0.0.1:7548/cwmp", &lim);
    static const char name[] = "A20260101.0000+0000-0015+0000_Z1.xml";
    static const char pm[] = "<?xml version=\"1.0\"?>\n<measCollecFile>   </measCollecFile>\n";
    size_t len = sizeof(pm) - 1, chunk = (len + 4) / 5;
    struct cwmp_stream *st = raw_pm_put(&w, name, len);
    for (size_t off = 0; off < len; off += chunk) {
        usleep(400 * 1000); /* 5 × 0.4 s: past the 1 s I/O timeout in all */
        size_t k = len - off < chunk ? len - off : chunk;
        assert_int_equal(cwmp_stream_write_all(st, (const uint8_t *) pm + off, k), 0);
    }
    struct cwmp_http_parser *p = NULL;
    assert_int_equal(cwmp_http_parser_new(&p, NULL, CWMP_HTTP_PARSE_RESPONSE, NULL), 0);
    uint8_t buf[4096];
    size_t blen = 0;
    assert_int_equal(cwmp_http_read_head(st, p, buf, sizeof(buf), &blen, 5000),
                     CWMP_HTTP_EV_HEADERS);
    assert_int_equal(cwmp_http_parser_message(p)->status, 201);
    cwmp_http_parser_free(p);
    cwmp_stream_close(st);
    char path[512];
    snprintf(path, sizeof(path), "%s/files/%s", w.dir, name);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_size, (off_t) len);

    /* one byte every 0.2 s of a 200-byte body: 40 s to send it all */
    static const char name2[] = "A20260101.0000+0000-0015+0000_Z2.xml";
    st = raw_pm_put(&w, name2, 200);
    int closed = 0;
    for (int i = 0; i < 200 && !closed; i++) {
        usleep(200 * 1000);
        if (cwmp_stream_write(st, (const uint8_t *) "x", 1) != 1 || peer_closed(st))
            closed = 1;
    }
    assert_true(closed);
    cwmp_stream_close(st);
    snprintf(path, sizeof(path), "%s/files/%s", w.dir, name2);
    assert_int_not_equal(stat(path, &sb), 0);
    world_stop(&w);
}

struct bg_download {
    pthread_t th;
    const char *url, *ca;
    _Atomic int done;
    int fault;
    size_t len;
};

static void *bg_download_main(void *arg)
{
    struct bg_download *d = arg;
    char *data = NULL;
    d->fault = hms_test_download(d->url, d->ca, "pm", "pm-secret", &data, &d->len);
    free(data);
    d->done = 1;
    return NULL;
}

/* The file server's limits: with max_file_connections 1 a second client
 * waits (in the listen backlog) while a stalled one holds the slot, and is
 * served once it is gone; a CM file that would pass max_buffered_bytes is
 * answered 503. */
static void test_file_limits(void **state)
{
    (void) state;
    struct world w;
    struct limits lim = {30000, 0, 8192, 0, 1};
    world_start_role_ex(&w, 0, 0, "both", "http://127.0.0.1:7548/cwmp", &lim);
    char path[512], url[256];
    snprintf(path, sizeof(path), "%s/files/cm-big.xml", w.dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    for (int i = 0; i < 200; i++)
        fputs("<!-- padding padding padding padding padding padding -->\n", fp);
    fclose(fp);
    snprintf(url, sizeof(url), "http://127.0.0.1:%u/files/cm-big.xml", w.file_port);
    char *data = NULL;
    size_t len = 0;
    assert_int_not_equal(hms_test_download(url, NULL, "pm", "pm-secret", &data, &len), 0);
    free(data);

    snprintf(path, sizeof(path), "%s/files/cm-small.xml", w.dir);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("<cmFile version=\"1\"/>\n", fp);
    fclose(fp);
    struct cwmp_stream *stalled = NULL;
    assert_int_equal(cwmp_tcp_connect(NULL, "127.0.0.1", w.file_port, 3000, &stalled), 0);
    static const char half[] = "GET /files/cm-small.xml HTTP/1.1\r\n";
    assert_int_equal(cwmp_stream_write(stalled, (const uint8_t *) half, sizeof(half) - 1),
                     (int) sizeof(half) - 1);
    usleep(100 * 1000); /* the HMS has accepted it: its one slot is taken */
    snprintf(url, sizeof(url), "http://127.0.0.1:%u/files/cm-small.xml", w.file_port);
    struct bg_download d = {0};
    d.url = url;
    assert_int_equal(pthread_create(&d.th, NULL, bg_download_main, &d), 0);
    usleep(500 * 1000);
    assert_int_equal(d.done, 0); /* not served while the slot is held */
    cwmp_stream_close(stalled);
    assert_int_equal(pthread_join(d.th, NULL), 0);
    assert_int_equal(d.fault, 0);
    assert_int_equal(d.len, 22);
    world_stop(&w);
}

static void test_stalled_client(void **state)
{
    (void) state;
    stalled_client(0);
}

static void test_stalled_client_tls(void **state)
{
    (void) state;
    stalled_client(1);
}

/* A device that accepts the connection request's TCP connection and never
 * answers: the HMS keeps serving CWMP sessions meanwhile (the request goes
 * out from its own thread), and the task fails once the device hangs up. */
struct silent_cr {
    int fd;
    pthread_t th;
    _Atomic int accepted, release; /* between the test and its thread */
};

static void *silent_cr_main(void *arg)
{
    struct silent_cr *sl = arg;
    struct cwmp_stream *st = NULL;
    if (cwmp_tcp_accept(NULL, sl->fd, 5000, NULL, 0, &st) != 0)
        return NULL;
    sl->accepted = 1;
    for (int i = 0; i < 200 && !sl->release; i++)
        usleep(25 * 1000);
    cwmp_stream_close(st);
    return NULL;
}

static void test_cr_does_not_block(void **state)
{
    (void) state;
    struct world w;
    world_start(&w);
    w.opts.cr_max_attempts = 1; /* the device hanging up is not retried here */
    world_restart(&w);
    struct silent_cr sl = {-1, 0, 0, 0};
    assert_int_equal(cwmp_tcp_listen("127.0.0.1", 0, 4, &sl.fd), 0);
    snprintf(w.cr_url, sizeof(w.cr_url), "http://127.0.0.1:%u/cr", cwmp_tcp_local_port(sl.fd));
    int rv = cpe_session(&w, "C1");
    if (rv == -2) {
        close(sl.fd);
        world_stop(&w);
        skip();
    }
    assert_int_equal(rv, 0);
    assert_int_equal(pthread_create(&sl.th, NULL, silent_cr_main, &sl), 0);
    struct hms_registry *r = reg_open(&w);
    struct hms_device_id id = {"00D09E", "HNB", "C1"};
    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    struct task_status ts = {0, -1};
    assert_int_equal(hms_registry_add_task(r, d->id, 0, "ConnectionRequest", NULL, 0, &ts.id), 0);
    for (int i = 0; i < 200 && !sl.accepted; i++) /* the HMS scans every 0.5 s */
        usleep(25 * 1000);
    assert_true(sl.accepted);
    /* the connection request waits for an answer; a device is served (its
     * HTTP client gives up after 2 s, the silent device holds up to 5 s) */
    w.cpe_timeout_ms = 2000;
    assert_int_equal(cpe_session(&w, "C2"), 0);
    sl.release = 1;
    pthread_join(sl.th, NULL);
    close(sl.fd);
    for (int i = 0; i < 200 && ts.status != HMS_TASK_DONE && ts.status != HMS_TASK_FAILED; i++) {
        usleep(25 * 1000);
        assert_int_equal(hms_registry_list_tasks(r, d->id, -1, task_status_cb, &ts), 0);
    }
    assert_int_equal(ts.status, HMS_TASK_FAILED);
    hms_device_free(r, d);
    hms_registry_close(r);
    world_stop(&w);
}

/* max_connections 1: a client dripping one byte of its request head every
 * 100 ms holds the only slot until its I/O timeout (1 s, not extended by
 * the drip) closes it; the device waiting in the backlog (3 s timeout) is
 * served then. */
struct drip {
    struct cwmp_stream *st;
    pthread_t th;
    _Atomic int closed; /* the HMS closed the connection */
};

static void *drip_main(void *arg)
{
    struct drip *d = arg;
    for (int i = 0; i < 80; i++) {
        if (cwmp_stream_write(d->st, (const uint8_t *) "a", 1) != 1) {
            d->closed = 1;
            break;
        }
        usleep(100 * 1000);
    }
    return NULL;
}

static void test_connection_limit(void **state)
{
    (void) state;
    struct world w;
    struct limits lim = {1000, 1, 0, 0, 0};
    world_start_role_ex(&w, 0, 0, "both", "http://127.0.0.1:7548/cwmp", &lim);
    w.cpe_timeout_ms = 3000;
    uint16_t port = 0;
    sscanf(strrchr(w.url, ':') + 1, "%hu", &port);
    struct drip d = {NULL, 0, 0};
    assert_int_equal(cwmp_tcp_connect(NULL, "127.0.0.1", port, 3000, &d.st), 0);
    static const char half[] = "POST /cwmp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Drip: ";
    assert_int_equal(cwmp_stream_write(d.st, (const uint8_t *) half, sizeof(half) - 1),
                     (int) sizeof(half) - 1);
    assert_int_equal(pthread_create(&d.th, NULL, drip_main, &d), 0);
    usleep(100 * 1000);
    int rv = cpe_session(&w, "L1");
    pthread_join(d.th, NULL);
    cwmp_stream_close(d.st);
    if (rv == -2) {
        world_stop(&w);
        skip();
    }
    assert_int_equal(rv, 0);
    assert_true(d.closed); /* the HMS closed the dripping connection */
    world_stop(&w);
}

/* max_buffered_bytes: request bodies over the budget are answered 503, and
 * the HMS goes on serving smaller ones. */
static void test_body_budget(void **state)
{
    (void) state;
    struct world w;
    struct limits lim = {0, 0, 8192, 0, 0};
    world_start_role_ex(&w, 0, 0, "both", "http://127.0.0.1:7548/cwmp", &lim);
    char *big = malloc(16384);
    assert_non_null(big);
    memset(big, ' ', 16384);
    struct hms_test_http *h = hms_test_http_new(w.url, NULL, NULL, NULL);
    assert_non_null(h);
    char *reply = NULL;
    size_t rlen = 0;
    int status = 0;
    int rv = hms_test_http_post(h, big, 16384, &reply, &rlen, &status);
    assert_true(rv != 0 || status == 503);
    free(reply);
    hms_test_http_free(h);
    free(big);
    rv = cpe_session(&w, "L2"); /* a 3-4 KB Inform fits */
    if (rv == -2) {
        world_stop(&w);
        skip();
    }
    assert_int_equal(rv, 0);
    world_stop(&w);
}

/* ---- connection-request retries ------------------------------------------------ */

/* A scripted device listener (plain HTTP, no authentication): mode
 * CR_503_503_200 answers 503 to the first two requests and 200 to the
 * third; CR_SILENT accepts and never answers (holds the connection until
 * the HMS gives up); CR_ALWAYS_503 answers 503. Counts the requests. */
enum { CR_503_503_200, CR_SILENT, CR_ALWAYS_503 };

struct script_cr {
    int fd, mode;
    pthread_t th;
    _Atomic int requests, stop; /* between the test and its thread */
};

static void script_serve(struct script_cr *c, int fd)
{
    char head[2048];
    size_t got = 0;
    while (got + 1 < sizeof(head) && !c->stop) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 100) <= 0)
            continue;
        ssize_t r = read(fd, head + got, sizeof(head) - 1 - got);
        if (r <= 0)
            return;
        got += (size_t) r;
        head[got] = '\0';
        if (strstr(head, "\r\n\r\n"))
            break;
    }
    int n = ++c->requests;
    if (c->mode == CR_SILENT) {
        char b[64];
        while (!c->stop) { /* until the HMS hangs up */
            struct pollfd p = {fd, POLLIN, 0};
            if (poll(&p, 1, 100) > 0 && read(fd, b, sizeof(b)) <= 0)
                break;
        }
        return;
    }
    static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n"
                               "Content-Length: 0\r\nConnection: close\r\n\r\n";
    static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    const char *a = c->mode == CR_503_503_200 && n >= 3 ? ok : busy;
    ssize_t w = write(fd, a, strlen(a));
    (void) w;
}

static void *script_main(void *arg)
{
    struct script_cr *c = arg;
    while (!c->stop) {
        struct pollfd p = {c->fd, POLLIN, 0};
        if (poll(&p, 1, 100) <= 0)
            continue;
        int fd = accept(c->fd, NULL, NULL);
        if (fd < 0)
            continue;
        script_serve(c, fd);
        close(fd);
    }
    return NULL;
}

static void script_start(struct script_cr *c, int mode, struct world *w)
{
    c->mode = mode;
    c->requests = 0;
    c->stop = 0;
    assert_int_equal(cwmp_tcp_listen("127.0.0.1", 0, 8, &c->fd), 0);
    snprintf(w->cr_url, sizeof(w->cr_url), "http://127.0.0.1:%u/cr", cwmp_tcp_local_port(c->fd));
    assert_int_equal(pthread_create(&c->th, NULL, script_main, c), 0);
}

static void script_stop(struct script_cr *c)
{
    c->stop = 1;
    pthread_join(c->th, NULL);
    close(c->fd);
}

struct task_row {
    int64_t id;
    int status;
    char result[200];
};

static int task_row_cb(const struct hms_task *t, void *ud)
{
    struct task_row *tr = ud;
    if (t->id == tr->id) {
        tr->status = (int) t->status;
        snprintf(tr->result, sizeof(tr->result), "%s", t->result);
    }
    return 0;
}

/* Waits (bounded) until the task is done or failed. */
static void wait_task_end(struct hms_registry *r, int64_t dev, struct task_row *tr, int max_ms)
{
    for (int i = 0; i < max_ms / 25; i++) {
        assert_int_equal(hms_registry_list_tasks(r, dev, -1, task_row_cb, tr), 0);
        if (tr->status == HMS_TASK_DONE || tr->status == HMS_TASK_FAILED)
            return;
        usleep(25 * 1000);
    }
}

/* A registered device whose connection requests the script answers; the
 * HMS retries after 100 ms, doubling up to 400 ms. */
static int cr_world(struct world *w, struct script_cr *c, int mode, int attempts,
                    struct hms_registry **r, int64_t *dev, struct task_row *tr)
{
    world_start(w);
    w->opts.cr_max_attempts = attempts;
    w->opts.cr_retry_ms = 100;
    w->opts.cr_retry_max_ms = 400;
    w->opts.cr_timeout_ms = 300;
    world_restart(w);
    script_start(c, mode, w);
    if (cpe_session(w, "R1") == -2) {
        script_stop(c);
        world_stop(w);
        return -2;
    }
    *r = reg_open(w);
    struct hms_device_id id = {"00D09E", "HNB", "R1"};
    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_find(*r, &id, &d), 0);
    *dev = d->id;
    hms_device_free(*r, d);
    memset(tr, 0, sizeof(*tr));
    tr->status = -1;
    assert_int_equal(hms_registry_add_task(*r, *dev, 0, "ConnectionRequest", NULL, 0, &tr->id), 0);
    return 0;
}

/* 503 (busy in a session, rate limited), 503, then 200: the task is done
 * after the third attempt. */
static void test_cr_retry_until_accepted(void **state)
{
    (void) state;
    struct world w;
    struct script_cr c;
    struct hms_registry *r;
    int64_t dev;
    struct task_row tr;
    if (cr_world(&w, &c, CR_503_503_200, 4, &r, &dev, &tr) == -2)
        skip();
    wait_task_end(r, dev, &tr, 8000);
    assert_int_equal(tr.status, HMS_TASK_DONE);
    assert_int_equal(c.requests, 3);
    assert_non_null(strstr(tr.result, "attempt 3"));
    hms_registry_close(r);
    script_stop(&c);
    world_stop(&w);
}

/* A device that never answers: each attempt times out; the task fails
 * after exactly cr_max_attempts attempts. */
static void test_cr_retry_gives_up(void **state)
{
    (void) state;
    struct world w;
    struct script_cr c;
    struct hms_registry *r;
    int64_t dev;
    struct task_row tr;
    if (cr_world(&w, &c, CR_SILENT, 3, &r, &dev, &tr) == -2)
        skip();
    wait_task_end(r, dev, &tr, 10000);
    assert_int_equal(tr.status, HMS_TASK_FAILED);
    assert_non_null(strstr(tr.result, "after 3 attempt"));
    usleep(700 * 1000); /* no fourth attempt comes */
    assert_int_equal(c.requests, 3);
    hms_registry_close(r);
    script_stop(&c);
    world_stop(&w);
}

/* The device opens a session with "6 CONNECTION REQUEST" while its task
 * waits for the next attempt: the task is done, no more attempts. */
static void test_cr_done_by_session(void **state)
{
    (void) state;
    struct world w;
    struct script_cr c;
    struct hms_registry *r;
    int64_t dev;
    struct task_row tr;
    world_start(&w);
    w.opts.cr_retry_ms = 60000; /* the second attempt would come in a minute */
    world_restart(&w);
    script_start(&c, CR_ALWAYS_503, &w);
    struct tcpe t;
    if (tcpe_new(&t, &w, "R2", 1) != 0) {
        script_stop(&c);
        world_stop(&w);
        skip();
    }
    assert_int_equal(tcpe_session(&t, &w), 0);
    r = reg_open(&w);
    struct hms_device_id id = {"00D09E", "HNB", "R2"};
    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    dev = d->id;
    hms_device_free(r, d);
    memset(&tr, 0, sizeof(tr));
    assert_int_equal(hms_registry_add_task(r, dev, 0, "ConnectionRequest", NULL, 0, &tr.id), 0);
    for (int i = 0; i < 200 && !strstr(tr.result, "attempt 1 failed"); i++) {
        usleep(25 * 1000);
        assert_int_equal(hms_registry_list_tasks(r, dev, -1, task_row_cb, &tr), 0);
    }
    assert_int_equal(tr.status, HMS_TASK_PENDING);
    assert_non_null(strstr(tr.result, "HTTP 503"));
    assert_int_equal(cwmp_cpe_connection_request(t.cpe), 0);
    assert_int_equal(tcpe_session(&t, &w), 0);
    assert_int_equal(hms_registry_list_tasks(r, dev, -1, task_row_cb, &tr), 0);
    assert_int_equal(tr.status, HMS_TASK_DONE);
    assert_non_null(strstr(tr.result, "6 CONNECTION REQUEST"));
    assert_int_equal(c.requests, 1);
    tcpe_free(&t);
    hms_registry_close(r);
    script_stop(&c);
    world_stop(&w);
}

/* Credentials: with --cr-fixed the device gets no pair of its own and the
 * command line's pair is used (accepted); without it, a device whose
 * listener knows only that old pair answers 401 to its own pair: failed at
 * once, not retried. */
static void cr_credentials(int fixed)
{
    struct world w;
    world_start(&w);
    w.opts.cr_fixed = fixed;
    w.opts.cr_retry_ms = 100;
    world_restart(&w);
    uint16_t port = 0;
    struct hms_test_cr *cr = hms_test_cr_start(&port); /* knows cpe / cr-secret */
    assert_non_null(cr);
    snprintf(w.cr_url, sizeof(w.cr_url), "http://127.0.0.1:%u/cr", port);
    if (cpe_session(&w, "R3") == -2) {
        hms_test_cr_expect(cr, "", ""); /* lets its thread end at its accept timeout */
        hms_test_cr_stop(cr);
        world_stop(&w);
        skip();
    }
    struct hms_registry *r = reg_open(&w);
    struct hms_device_id id = {"00D09E", "HNB", "R3"};
    struct hms_device *d = NULL;
    assert_int_equal(hms_registry_find(r, &id, &d), 0);
    char u[HMS_REGISTRY_MAX_ID + 1], p[HMS_REGISTRY_MAX_ID + 1];
    assert_int_equal(hms_registry_get_cr_credentials(r, d->id, u, sizeof(u), p, sizeof(p)), 0);
    assert_string_equal(u, fixed ? "" : "00D09E-R3");
    struct task_row tr = {0, -1, ""};
    assert_int_equal(hms_registry_add_task(r, d->id, 0, "ConnectionRequest", NULL, 0, &tr.id), 0);
    wait_task_end(r, d->id, &tr, 8000);
    if (fixed) {
        assert_int_equal(tr.status, HMS_TASK_DONE);
        assert_int_equal(hms_test_cr_stop(cr), 1);
    } else {
        assert_int_equal(tr.status, HMS_TASK_FAILED);
        assert_non_null(strstr(tr.result, "wrong credentials"));
        usleep(400 * 1000); /* a retry would have come by now (100 ms) */
        assert_int_equal(hms_registry_list_tasks(r, d->id, -1, task_row_cb, &tr), 0);
        assert_int_equal(tr.status, HMS_TASK_FAILED);
        assert_int_equal(hms_test_cr_stop(cr), 0);
    }
    hms_device_free(r, d);
    hms_registry_close(r);
    world_stop(&w);
}

static void test_cr_fixed_credentials(void **state)
{
    (void) state;
    cr_credentials(1);
}

static void test_cr_wrong_credentials_not_retried(void **state)
{
    (void) state;
    cr_credentials(0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bootstrap_registers),
        cmocka_unit_test(test_deprovisioned_refused),
        cmocka_unit_test(test_inform_all_or_nothing),
        cmocka_unit_test(test_provisioning_refused),
        cmocka_unit_test(test_connection_request),
        cmocka_unit_test(test_cm_by_file),
        cmocka_unit_test(test_alarms_and_tasks),
        cmocka_unit_test(test_initial_then_serving),
        cmocka_unit_test(test_push_cm_task),
        cmocka_unit_test(test_push_cm_delay),
        cmocka_unit_test(test_deprovision_factory_reset),
        cmocka_unit_test(test_bad_requests),
        cmocka_unit_test(test_program),
        cmocka_unit_test(test_task_requeued_after_cut_session),
        cmocka_unit_test(test_sent_tasks_requeued_at_start),
        cmocka_unit_test(test_requeued_download_ended_by_transfer_complete),
        cmocka_unit_test(test_crash_knob),
        cmocka_unit_test(test_cpe_auth),
        cmocka_unit_test(test_cpe_auth_tls),
        cmocka_unit_test(test_pm_upload),
        cmocka_unit_test(test_tls),
        cmocka_unit_test(test_stalled_client),
        cmocka_unit_test(test_stalled_client_tls),
        cmocka_unit_test(test_stalled_file_client),
        cmocka_unit_test(test_stalled_file_client_tls),
        cmocka_unit_test(test_file_deadlines),
        cmocka_unit_test(test_file_limits),
        cmocka_unit_test(test_connection_limit),
        cmocka_unit_test(test_cr_does_not_block),
        cmocka_unit_test(test_cr_retry_until_accepted),
        cmocka_unit_test(test_cr_retry_gives_up),
        cmocka_unit_test(test_cr_done_by_session),
        cmocka_unit_test(test_cr_fixed_credentials),
        cmocka_unit_test(test_cr_wrong_credentials_not_retried),
        cmocka_unit_test(test_body_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
