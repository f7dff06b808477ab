/*
 * libcwmp examples - benchmarks of the example modules, each beside a
 * baseline measured in the same run (compare the ratios, not the numbers):
 *   - HMS registry: Informs recorded per second (upsert + lookup in one
 *     transaction), WAL and rollback journal, against a bare prepared
 *     INSERT per transaction on the same kind of file;
 *   - CM file parser: a 1000-parameter file, against mxml alone loading
 *     the same text (the cost of the pre-scan and the checks);
 *   - PM file writer and trace renderer: outputs per second.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mxml.h>
#include <sqlite3.h>

#include "cmfile.h"
#include "pm.h"
#include "registry.h"
#include "render.h"
#include "trace.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void quiet(const char *m)
{
    (void) m;
}

static void cleanup_db(const char *path)
{
    char p[600];
    const char *suffix[] = {"", "-wal", "-shm", "-journal"};
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof(p), "%s%s", path, suffix[i]);
        unlink(p);
    }
}

static double bench_registry(const char *path, int no_wal, int n)
{
    cleanup_db(path);
    struct hms_registry *r = NULL;
    struct hms_registry_options o = {.no_wal = no_wal};
    if (hms_registry_open(&r, path, &o, NULL, NULL, 0) != 0)
        return -1;
    double t0 = now_s();
    for (int i = 0; i < n; i++) {
        char serial[32];
        snprintf(serial, sizeof(serial), "SN%06d", i % (n / 2)); /* half new, half updates */
        struct hms_device_id id = {"00D09E", "FAP", serial};
        if (hms_registry_inform(r, &id, HMS_DEV_HNB, HMS_ROLE_SERVING, i, "2 PERIODIC", NULL,
                                NULL) != 0)
            return -1;
    }
    double dt = now_s() - t0;
    hms_registry_close(r);
    cleanup_db(path);
    return n / dt;
}

static double bench_sqlite_baseline(const char *path, int no_wal, int n)
{
    cleanup_db(path);
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return -1;
    sqlite3_exec(db, no_wal ? "PRAGMA journal_mode=DELETE" : "PRAGMA journal_mode=WAL", NULL, NULL,
                 NULL);
    sqlite3_exec(db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
    sqlite3_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, s TEXT, v INTEGER)", NULL, NULL, NULL);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "INSERT INTO t(s, v) VALUES(?1, ?2)", -1, &st, NULL);
    double t0 = now_s();
    for (int i = 0; i < n; i++) {
        sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        sqlite3_bind_text(st, 1, "SN", -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, i);
        sqlite3_step(st);
        sqlite3_reset(st);
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    }
    double dt = now_s() - t0;
    sqlite3_finalize(st);
    sqlite3_close(db);
    cleanup_db(path);
    return n / dt;
}

static char *make_cmfile(int nparams, size_t *len)
{
    struct cmfile_param *p = calloc((size_t) nparams, sizeof(*p));
    char(*names)[64] = calloc((size_t) nparams, sizeof(*names));
    for (int i = 0; i < nparams; i++) {
        snprintf(names[i], sizeof(names[i]), "Device.Services.FAPService.1.X_000000_P%d", i);
        p[i] = (struct cmfile_param){names[i], i % 2 ? "12345" : "value &amp; text",
                                     i % 2 ? CMFILE_UNSIGNED_INT : CMFILE_STRING, 0};
    }
    char *text = NULL;
    cmfile_write(p, (size_t) nparams, NULL, &text, len, NULL);
    free(p);
    free(names);
    return text;
}

int main(int argc, char **argv)
{
    const char *tmp = getenv("TMPDIR");
    char dir[256];
    snprintf(dir, sizeof(dir), "%s/bench-examples-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char path[300];
    snprintf(path, sizeof(path), "%s/r.db", dir);
    int n = argc > 1 ? atoi(argv[1]) : 2000;

    printf("== HMS registry: Informs recorded (%d, half of them updates)\n", n);
    for (int no_wal = 0; no_wal <= 1; no_wal++) {
        /* The rollback journal syncs on every commit: fewer rounds. */
        int rounds = no_wal ? (n / 20 > 10 ? n / 20 : 10) : n;
        double reg = bench_registry(path, no_wal, rounds);
        double base = bench_sqlite_baseline(path, no_wal, rounds);
        printf("  %-9s registry %9.0f /s   bare INSERT %9.0f /s   ratio %.2f\n",
               no_wal ? "rollback" : "WAL", reg, base, base > 0 ? reg / base : 0);
    }
    rmdir(dir);

    size_t len = 0;
    char *text = make_cmfile(1000, &len);
    int iters = 200;
    mxmlSetErrorCallback(quiet);
    double t0 = now_s();
    for (int i = 0; i < iters; i++) {
        struct cmfile *f = NULL;
        if (cmfile_parse(text, len, NULL, NULL, &f, NULL) != 0)
            return 1;
        cmfile_free(f);
    }
    double parse = iters / (now_s() - t0);
    t0 = now_s();
    for (int i = 0; i < iters; i++) {
        mxml_node_t *top = mxmlNewElement(MXML_NO_PARENT, "top");
        mxmlLoadString(top, text, MXML_OPAQUE_CALLBACK);
        mxmlDelete(top);
    }
    double base = iters / (now_s() - t0);
    printf("== CM file, 1000 params (%zu bytes)\n  cmfile_parse %8.0f files/s   mxml alone %8.0f "
           "files/s   ratio %.2f   (%.0f MB/s)\n",
           len, parse, base, parse / base, parse * (double) len / 1e6);
    free(text);

    struct pm_file_params pp = {0};
    pp.sender_name = "HNB-0001";
    pp.begin_s = 1795359600;
    pp.gran_s = 900;
    pp.cells = 4;
    struct pm_rng rng = {1};
    iters = 20000;
    t0 = now_s();
    size_t total = 0;
    for (int i = 0; i < iters; i++) {
        char *x = NULL;
        size_t xl = 0;
        if (pm_file_write(&pp, &rng, NULL, &x, &xl) != 0)
            return 1;
        total += xl;
        free(x);
    }
    double dt = now_s() - t0;
    printf("== PM file (4 cells)\n  pm_file_write %8.0f files/s (%.0f MB/s)\n", iters / dt,
           (double) total / dt / 1e6);

    /* Trace: 13 flows x 20 messages, rendered as text and HTML. */
    struct ex_buf b;
    ex_buf_init(&b, NULL, 0);
    trace_write_header(&b);
    for (int f = 1; f <= 13; f++) {
        char id[8];
        snprintf(id, sizeof(id), "F%d", f);
        trace_write_flow(&b, id, "5.x / 5.y", "flow");
        for (int m = 0; m < 20; m++)
            trace_write_message(&b, f * 1000 + m, id, m % 2 ? "HMS-S" : "HNB",
                                m % 2 ? "HNB" : "HMS-S", "SetParameterValues(A.B.C, D.E.F)", "1");
        trace_write_result(&b, f * 1000 + 30, id, 1, "");
    }
    iters = 500;
    t0 = now_s();
    for (int i = 0; i < iters; i++) {
        struct trace *t = NULL;
        if (trace_parse(b.data, b.len, NULL, &t, NULL) != 0)
            return 1;
        struct ex_buf o;
        ex_buf_init(&o, NULL, 0);
        render_text(t, NULL, &o);
        render_html(t, NULL, NULL, &o);
        ex_buf_free(&o);
        trace_free(t);
    }
    dt = now_s() - t0;
    printf("== trace, 13 flows x 20 messages\n  parse + text + HTML %8.0f traces/s\n", iters / dt);
    ex_buf_free(&b);
    return 0;
}
