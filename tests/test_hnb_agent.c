/*
 * libcwmp tests - the hnb-agent program end to end over loopback: a
 * minimal ACS (the library's ACS engine behind the HTTP server helpers)
 * and file server on 127.0.0.1, the agent started as a process with its
 * own config and state directory, driven through `hnb-agent ctl`.
 * Every wait is bounded.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cwmp/http.h>
#include <cwmp/tls.h>
#include <cwmp/transport.h>

#include "hnb_agent_acs.h"
#ifdef HNB_AGENT_TLS
#include "testpki.h"
#endif
#include "testutil.h"

#ifndef HNB_AGENT_EXE
#error "HNB_AGENT_EXE must name the hnb-agent program"
#endif

#define WAIT_MS    20000
#define MAX_BODIES 256

static const char cm_file[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                              "<cmFile version=\"1\">\n"
                              "  <param name=\"Device.ManagementServer.PeriodicInformInterval\" "
                              "type=\"unsignedInt\">600</param>\n"
                              "</cmFile>\n";

static const char cm_bad[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                             "<cmFile version=\"1\">\n"
                             "  <param name=\"Device.ManagementServer.PeriodicInformInterval\" "
                             "type=\"unsignedInt\">1200</param>\n"
                             "  <param name=\"Device.NoSuchObject.Param\">x</param>\n"
                             "</cmFile>\n";

/* Filled in setup() with the server's port. */
static char cm_pm[1024];

struct srv {
    int lfd;
    uint16_t port;
    pthread_t th;
    atomic_int stop;
    pthread_mutex_t mu;
    struct tacs *acs;
    char *bodies[MAX_BODIES]; /* every non-empty POST body, in order */
    int nbodies;
    int sessions_ok;
    int cm_gets;
    int pm_puts;
    int pm_ok;                   /* a PUT body was a measCollecFile */
    struct cwmp_tls_config *tls; /* NULL: plain HTTP */
    atomic_int refuse;           /* answer CWMP POSTs with 503 */
    int tls_failures;
};

static struct srv S;
static char g_dir[256], g_conf[300], g_log[300];
static pid_t g_pid;

struct acc {
    char *buf;
    size_t len, cap;
};

static int acc_sink(void *user, const uint8_t *data, size_t len)
{
    struct acc *a = user;
    if (a->len + len + 1 > a->cap) {
        size_t cap = (a->len + len + 1) * 2;
        char *p = realloc(a->buf, cap);
        if (!p)
            return -1;
        a->buf = p;
        a->cap = cap;
    }
    memcpy(a->buf + a->len, data, len);
    a->len += len;
    a->buf[a->len] = '\0';
    return 0;
}

/* No cmocka asserts on this thread. */
static void serve_conn(struct cwmp_stream *st)
{
    struct cwmp_http_parser *p;
    uint8_t buf[16384];
    size_t blen = 0;
    if (cwmp_http_parser_new(&p, NULL, CWMP_HTTP_PARSE_REQUEST, NULL) != 0)
        return;
    for (;;) {
        struct acc body = {0};
        const struct cwmp_http_message *m;
        int keep;
        if (cwmp_http_read_head(st, p, buf, sizeof(buf), &blen, 5000) != CWMP_HTTP_EV_HEADERS)
            break;
        m = cwmp_http_parser_message(p);
        if (cwmp_http_read_body(st, p, buf, sizeof(buf), &blen, acc_sink, &body) != 0) {
            free(body.buf);
            break;
        }
        keep = m->keep_alive;
        if (!strcmp(m->method, "GET") && !strcmp(m->target, "/cm.xml")) {
            pthread_mutex_lock(&S.mu);
            S.cm_gets++;
            pthread_mutex_unlock(&S.mu);
            keep =
                cwmp_http_write_response(st, 200, "Content-Type: text/xml\r\n",
                                         (const uint8_t *) cm_file, strlen(cm_file), keep) == 0 &&
                keep;
        } else if (!strcmp(m->method, "GET") &&
                   (!strcmp(m->target, "/bad.xml") || !strcmp(m->target, "/pm.xml"))) {
            const char *f = m->target[1] == 'b' ? cm_bad : cm_pm;
            keep = cwmp_http_write_response(st, 200, "Content-Type: text/xml\r\n",
                                            (const uint8_t *) f, strlen(f), keep) == 0 &&
                   keep;
        } else if (!strcmp(m->method, "PUT") && !strncmp(m->target, "/pm/", 4)) {
            pthread_mutex_lock(&S.mu);
            S.pm_puts++;
            if (body.buf && strstr(body.buf, "measCollecFile"))
                S.pm_ok = 1;
            pthread_mutex_unlock(&S.mu);
            keep = cwmp_http_write_response(st, 201, NULL, NULL, 0, keep) == 0 && keep;
        } else if (!strcmp(m->method, "POST") && atomic_load(&S.refuse)) {
            cwmp_http_write_response(st, 503, NULL, NULL, 0, 0);
            keep = 0;
        } else if (!strcmp(m->method, "POST") && !strcmp(m->target, "/acs")) {
            char *reply = NULL;
            size_t rlen = 0;
            int done = 0;
            pthread_mutex_lock(&S.mu);
            if (tacs_feed(S.acs, body.buf ? body.buf : "", body.len, &reply, &rlen, &done) != 0) {
                tacs_end(S.acs);
                keep = 0;
            }
            if (body.len && S.nbodies < MAX_BODIES) {
                S.bodies[S.nbodies++] = body.buf;
                body.buf = NULL;
            }
            if (done == 1)
                S.sessions_ok++;
            pthread_mutex_unlock(&S.mu);
            if (reply)
                keep = cwmp_http_write_response(
                           st, rlen ? 200 : 204,
                           rlen ? "Content-Type: text/xml; charset=\"utf-8\"\r\n" : NULL,
                           (const uint8_t *) reply, rlen, keep) == 0 &&
                       keep;
            else
                cwmp_http_write_response(st, 500, NULL, NULL, 0, 0);
            free(reply);
        } else {
            cwmp_http_write_response(st, 404, NULL, NULL, 0, 0);
            keep = 0;
        }
        free(body.buf);
        if (!keep)
            break;
    }
    pthread_mutex_lock(&S.mu);
    tacs_end(S.acs);
    pthread_mutex_unlock(&S.mu);
    cwmp_http_parser_free(p);
}

static void *srv_main(void *arg)
{
    (void) arg;
    while (!atomic_load(&S.stop)) {
        struct cwmp_stream *st = NULL;
        if (cwmp_tcp_accept(NULL, S.lfd, 50, NULL, 0, &st) != 0)
            continue;
        st->timeout_ms = 5000;
        if (S.tls) {
            struct cwmp_stream *ts = NULL;
            if (cwmp_tls_wrap_server(S.tls, st, 5000, &ts) != 0) {
                pthread_mutex_lock(&S.mu);
                S.tls_failures++;
                pthread_mutex_unlock(&S.mu);
                continue; /* the wrapper closed the stream */
            }
            st = ts;
        }
        serve_conn(st);
        cwmp_stream_close(st);
    }
    return NULL;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long) (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Index of the first body at or after @p from containing all of @p a and
 * @p b (b may be NULL), waiting at most WAIT_MS; -1 when none came. */
static int wait_body(int from, const char *a, const char *b)
{
    for (int waited = 0; waited < WAIT_MS; waited += 20) {
        pthread_mutex_lock(&S.mu);
        for (int i = from; i < S.nbodies; i++) {
            if (strstr(S.bodies[i], a) && (!b || strstr(S.bodies[i], b))) {
                pthread_mutex_unlock(&S.mu);
                return i;
            }
        }
        pthread_mutex_unlock(&S.mu);
        sleep_ms(20);
    }
    return -1;
}

static int wait_sessions(int n)
{
    for (int waited = 0; waited < WAIT_MS; waited += 20) {
        int k;
        pthread_mutex_lock(&S.mu);
        k = S.sessions_ok;
        pthread_mutex_unlock(&S.mu);
        if (k >= n)
            return k;
        sleep_ms(20);
    }
    return -1;
}

static int nbodies(void)
{
    int n;
    pthread_mutex_lock(&S.mu);
    n = S.nbodies;
    pthread_mutex_unlock(&S.mu);
    return n;
}

/* Runs `hnb-agent ctl <conf> args...`; its stdout into @p out. Exit status. */
static int run_ctl(char *out, size_t size, const char *const *args)
{
    int pipefd[2];
    pid_t pid;
    size_t n = 0;
    int status = -1;
    const char *argv[16] = {HNB_AGENT_EXE, "ctl", g_conf};
    int k = 3;
    for (int i = 0; args[i] && k < 15; i++)
        argv[k++] = args[i];
    argv[k] = NULL;
    if (pipe(pipefd) != 0)
        return -1;
    pid = fork();
    if (pid == 0) {
        dup2(pipefd[1], 1);
        close(pipefd[0]);
        close(pipefd[1]);
        execv(HNB_AGENT_EXE, (char *const *) argv);
        _exit(127);
    }
    close(pipefd[1]);
    for (;;) {
        ssize_t r = read(pipefd[0], out + n, size - 1 - n);
        if (r <= 0)
            break;
        n += (size_t) r;
        if (n + 1 >= size)
            break;
    }
    out[n] = '\0';
    close(pipefd[0]);
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A port for the agent's connection-request listener, free a moment ago.
 * Taken below Linux's ephemeral range (32768-60999): a port bind(0) hands
 * out can be reused by any process's outgoing connection before the agent
 * binds it, which under parallel tests made the agent fail to start. */
static uint16_t free_port(void)
{
    int fd;
    uint16_t port;
    unsigned seed = (unsigned) getpid() ^ (unsigned) time(NULL);
    for (int i = 0; i < 64; i++) {
        seed = seed * 1103515245u + 12345u;
        port = (uint16_t) (20000 + (seed >> 8) % 12000);
        if (cwmp_tcp_listen("127.0.0.1", port, 1, &fd) == 0) {
            close(fd);
            return port;
        }
    }
    if (cwmp_tcp_listen("127.0.0.1", 0, 1, &fd) != 0)
        return 0;
    port = cwmp_tcp_local_port(fd);
    close(fd);
    return port;
}

static uint16_t g_cr_port;
static const char *g_crash; /* HNB_AGENT_TEST_CRASH of the next start (NULL: none) */

static void start_agent(void)
{
    g_pid = fork();
    if (g_pid == 0) {
        FILE *lf = freopen(g_log, "a", stderr);
        if (g_crash)
            setenv("HNB_AGENT_TEST_CRASH", g_crash, 1);
        else
            unsetenv("HNB_AGENT_TEST_CRASH");
        (void) lf;
        dup2(2, 1);
        execl(HNB_AGENT_EXE, HNB_AGENT_EXE, "-v", g_conf, (char *) NULL);
        _exit(127);
    }
}

#ifdef HNB_AGENT_TLS
static char g_pki[256];
#endif

/* mode 0: plain HTTP; 1: HTTPS with the device certificate required;
 * 2: HTTPS whose server certificate names another host; 3: plain HTTP,
 * UMTS HNB with the InternetGatewayDevice root; 4: plain HTTP, the HMS
 * answers 503 until the test lets it in. */
static int setup_mode(int mode)
{
    FILE *f;
    char ca[300] = "", crt[300] = "", key[300] = "";
    memset(&S, 0, sizeof(S));
    pthread_mutex_init(&S.mu, NULL);
    S.acs = tacs_new();
    if (!S.acs || cwmp_tcp_listen("127.0.0.1", 0, 8, &S.lfd) != 0)
        return -1;
    S.port = cwmp_tcp_local_port(S.lfd);
    atomic_store(&S.refuse, mode == 4); /* mode 4: the HMS is down at first */
#ifdef HNB_AGENT_TLS
    if (mode == 1 || mode == 2) {
        char err[200], a[300], b[300];
        snprintf(g_pki, sizeof(g_pki), "/tmp/hnb-agent-pki.XXXXXX");
        if (!mkdtemp(g_pki) || testpki_generate(g_pki, err, sizeof(err)) != 0)
            return -1;
        if (cwmp_tls_config_new(&S.tls, CWMP_TLS_SERVER, NULL) != 0 ||
            cwmp_tls_config_set_own_cert_file(
                S.tls,
                testpki_path(a, sizeof(a), g_pki, mode == 1 ? "server.crt" : "wrongname.crt"),
                testpki_path(b, sizeof(b), g_pki, mode == 1 ? "server.key" : "wrongname.key"),
                NULL) != 0 ||
            cwmp_tls_config_add_ca_file(S.tls, testpki_path(a, sizeof(a), g_pki, "ca.crt")) != 0 ||
            cwmp_tls_config_set_verify(S.tls, CWMP_TLS_VERIFY_REQUIRED) != 0)
            return -1;
        testpki_path(ca, sizeof(ca), g_pki, "ca.crt");
        testpki_path(crt, sizeof(crt), g_pki, "client.crt");
        testpki_path(key, sizeof(key), g_pki, "client.key");
    }
#else
    (void) mode;
#endif
    if (pthread_create(&S.th, NULL, srv_main, NULL) != 0)
        return -1;
    snprintf(g_dir, sizeof(g_dir), "/tmp/hnb-agent-test.XXXXXX");
    if (!mkdtemp(g_dir))
        return -1;
    snprintf(g_conf, sizeof(g_conf), "%s/agent.conf", g_dir);
    snprintf(g_log, sizeof(g_log), "%s/agent.log", g_dir);
    g_cr_port = free_port();
    snprintf(cm_pm, sizeof(cm_pm),
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cmFile version=\"1\">\n"
             "<param name=\"Device.FAP.PerfMgmt.Config.1.URL\">http://127.0.0.1:%u/pm/</param>\n"
             "<param name=\"Device.FAP.PerfMgmt.Config.1.PeriodicUploadInterval\" "
             "type=\"unsignedInt\">1</param>\n"
             "<param name=\"Device.FAP.PerfMgmt.Config.1.Enable\" type=\"boolean\">true</param>\n"
             "</cmFile>\n",
             (unsigned) S.port);
    f = fopen(g_conf, "w");
    if (!f)
        return -1;
    fprintf(f,
            "[agent]\ninitial_hms_url = %s://127.0.0.1:%u/acs\ncr_port = %u\n"
            "state_dir = %s/state\nrat = %s\nroot = %s\n"
            "[device]\noui = 00D09E\nproduct_class = FAP-LTE\nserial = HENB-T1\n"
            "gps = 48.856613,2.352222\nrem_cell = 20801,1234,268000001\n",
            ca[0] ? "https" : "http", (unsigned) S.port, (unsigned) g_cr_port, g_dir,
            mode == 3 ? "umts" : "lte", mode == 3 ? "InternetGatewayDevice" : "Device");
    if (ca[0])
        fprintf(f, "[agent]\nroot_ca = %s\ncert = %s\nkey = %s\n", ca, crt, key);
    fclose(f);
    start_agent();
    return g_pid > 0 ? 0 : -1;
}

static int setup(void **state)
{
    (void) state;
    return setup_mode(0);
}

static int setup_refusing(void **state)
{
    (void) state;
    return setup_mode(4);
}

static void dump_log(void)
{
    size_t len;
    char *text = read_file(g_log, &len);
    if (text) {
        fprintf(stderr, "---- agent log ----\n%s---- end ----\n", text);
        test_free(text);
    }
}

static int teardown(void **state)
{
    int status, rc = 0;
    char cmd[300];
    (void) state;
    g_crash = NULL;
    if (g_pid > 0) {
        kill(g_pid, SIGTERM);
        for (int i = 0; i < 250 && waitpid(g_pid, &status, WNOHANG) == 0; i++)
            sleep_ms(20);
        if (waitpid(g_pid, &status, WNOHANG) == 0) {
            kill(g_pid, SIGKILL);
            waitpid(g_pid, &status, 0);
        }
    }
    /* The agent ran under the same sanitizers as the test (ASan build):
     * a report in its log fails the test. */
    {
        size_t len;
        char *text = read_file(g_log, &len);
        int bad = text && (strstr(text, "Sanitizer") || strstr(text, "runtime error:"));
        if (bad)
            fprintf(stderr, "---- agent log ----\n%s---- end ----\n", text);
        if (text)
            test_free(text);
        if (bad)
            rc = -1;
    }
    atomic_store(&S.stop, 1);
    pthread_join(S.th, NULL);
    close(S.lfd);
    for (int i = 0; i < S.nbodies; i++)
        free(S.bodies[i]);
    tacs_free(S.acs);
    cwmp_tls_config_free(S.tls);
#ifdef HNB_AGENT_TLS
    if (g_pki[0]) {
        /* testpki_remove() leaves some of the files it writes: empty the
         * directory (it holds only what testpki_generate() wrote). */
        DIR *dp;
        testpki_remove(g_pki);
        if ((dp = opendir(g_pki)) != NULL) {
            struct dirent *de;
            char f[600];
            while ((de = readdir(dp)) != NULL) {
                if (de->d_name[0] == '.')
                    continue;
                snprintf(f, sizeof(f), "%s/%s", g_pki, de->d_name);
                unlink(f);
            }
            closedir(dp);
        }
        rmdir(g_pki);
    }
    g_pki[0] = '\0';
#endif
    pthread_mutex_destroy(&S.mu);
    /* the test's own temporary directory */
    snprintf(cmd, sizeof(cmd), "%s/state", g_dir);
    {
        const char *names[] = {"dm.db",         "cpe-events.rec",   "cpe-transfers.rec",
                               "cpe-state.rec", "cpe-requests.rec", "trace.log",
                               "ctl.sock"};
        char p[360];
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
            snprintf(p, sizeof(p), "%s/%s", cmd, names[i]);
            unlink(p);
        }
        rmdir(cmd);
        unlink(g_conf);
        unlink(g_log);
        rmdir(g_dir);
    }
    return rc;
}

/* The whole scenario in order: each step depends on the agent's state. */
static void test_agent_scenario(void **state)
{
    char out[4096];
    int i, from;
    (void) state;

    /* 1. Boot: BOOTSTRAP + BOOT Inform, session completes. */
    i = wait_body(0, "0 BOOTSTRAP", "1 BOOT");
    if (i < 0)
        dump_log();
    assert_true(i >= 0);
    assert_non_null(strstr(S.bodies[i], "HENB-T1"));
    assert_non_null(strstr(S.bodies[i], "Device.ManagementServer.ConnectionRequestURL"));
    /* factory values are the starting point, not changes */
    assert_null(strstr(S.bodies[i], "4 VALUE CHANGE"));
    /* the location, through ManagementServer.InformParameter: the HMS tells
     * an HeNB from an HNB and picks its policy by it */
    assert_non_null(strstr(S.bodies[i], "Device.FAP.GPS.LockedLatitude"));
    assert_non_null(strstr(S.bodies[i], ".REM.LTE.Cell.1.BCCH.PLMNList.1.PLMNID"));
    assert_true(wait_sessions(1) >= 1);
    /* the trace names the lanes of the demo: HeNB -> HMS (initial) */
    {
        char path[400];
        size_t len = 0;
        char *text;
        snprintf(path, sizeof(path), "%s/state/trace.log", g_dir);
        text = read_file(path, &len);
        assert_non_null(text);
        assert_non_null(strstr(text, "\tHeNB\tHMS-I\tInform(0 BOOTSTRAP"));
        assert_non_null(strstr(text, "\tHMS-I\tHeNB\tInformResponse"));
        test_free(text);
    }

    /* 2. ctl status. */
    {
        const char *args[] = {"status", NULL};
        assert_int_equal(run_ctl(out, sizeof(out), args), 0);
        assert_non_null(strstr(out, "ok\n"));
        assert_non_null(strstr(out, "root Device\n"));
    }
    /* a bad command is refused by the client itself */
    {
        const char *args[] = {"frobnicate", NULL};
        assert_int_not_equal(run_ctl(out, sizeof(out), args), 0);
    }

    /* 3. ip-change: 4 VALUE CHANGE Inform carrying the new address (F5). */
    from = nbodies();
    {
        const char *args[] = {"ip-change", "10.1.2.3", NULL};
        assert_int_equal(run_ctl(out, sizeof(out), args), 0);
    }
    i = wait_body(from, "4 VALUE CHANGE", "10.1.2.3");
    if (i < 0)
        dump_log();
    assert_true(i >= 0);
    assert_true(wait_sessions(2) >= 2);

    /* 4. Connection request with the data model's credentials (F8). */
    from = nbodies();
    {
        struct cwmp_http_client_config cc = {0};
        char url[128];
        int http_status = 0;
        cc.username = "HENB-T1";
        cc.password = "cr-HENB-T1";
        cc.timeout_ms = 5000;
        snprintf(url, sizeof(url), "http://127.0.0.1:%u/cr", (unsigned) g_cr_port);
        /* 503 while the agent finishes the previous session: retry */
        int rc = -1;
        for (int k = 0; k < 100; k++) {
            rc = cwmp_cr_send(&cc, url, &http_status);
            if (rc == 0 || http_status != 503)
                break;
            sleep_ms(50);
        }
        assert_int_equal(rc, 0);
        /* wrong password: refused */
        cc.password = "wrong";
        assert_int_not_equal(cwmp_cr_send(&cc, url, &http_status), 0);
    }
    i = wait_body(from, "6 CONNECTION REQUEST", NULL);
    assert_true(i >= 0);
    assert_true(wait_sessions(3) >= 3);

    /* 5. CM by file: Download in a session, TransferComplete success (F6). */
    {
        char url[128];
        snprintf(url, sizeof(url), "http://127.0.0.1:%u/cm.xml", (unsigned) S.port);
        pthread_mutex_lock(&S.mu);
        tacs_queue_download(S.acs, url);
        pthread_mutex_unlock(&S.mu);
    }
    from = nbodies();
    {
        const char *args[] = {"inform", NULL};
        assert_int_equal(run_ctl(out, sizeof(out), args), 0);
    }
    i = wait_body(from, "TransferComplete>", "cm1");
    if (i < 0)
        dump_log();
    assert_true(i >= 0);
    assert_non_null(strstr(S.bodies[i], "<FaultCode>0</FaultCode>"));
    assert_int_equal(S.cm_gets, 1);

    /* 5b. A CM file with one bad entry: TransferComplete 9018, nothing applied. */
    {
        char url[128], path[400];
        size_t len;
        char *db;
        snprintf(url, sizeof(url), "http://127.0.0.1:%u/bad.xml", (unsigned) S.port);
        pthread_mutex_lock(&S.mu);
        tacs_queue_download(S.acs, url);
        pthread_mutex_unlock(&S.mu);
        from = nbodies();
        {
            const char *args[] = {"inform", NULL};
            assert_int_equal(run_ctl(out, sizeof(out), args), 0);
        }
        i = wait_body(from, "TransferComplete>", "<FaultCode>9018</FaultCode>");
        if (i < 0)
            dump_log();
        assert_true(i >= 0);
        /* the agent's stored data model has the good file's value, not 1200 */
        snprintf(path, sizeof(path), "%s/state/dm.db", g_dir);
        db = read_file(path, &len);
        assert_non_null(db);
        assert_non_null(strstr(db, "PeriodicInformInterval\t600"));
        assert_null(strstr(db, "PeriodicInformInterval\t1200"));
        test_free(db);
    }

    /* 5c. PM enabled by a CM file: measCollecFile uploads arrive (F12/F13). */
    {
        char url[128];
        snprintf(url, sizeof(url), "http://127.0.0.1:%u/pm.xml", (unsigned) S.port);
        pthread_mutex_lock(&S.mu);
        tacs_queue_download(S.acs, url);
        pthread_mutex_unlock(&S.mu);
        {
            const char *args[] = {"inform", NULL};
            assert_int_equal(run_ctl(out, sizeof(out), args), 0);
        }
        int puts_seen = 0;
        for (int w = 0; w < WAIT_MS / 20 && !puts_seen; w++) {
            pthread_mutex_lock(&S.mu);
            puts_seen = S.pm_puts > 0 && S.pm_ok;
            pthread_mutex_unlock(&S.mu);
            if (!puts_seen)
                sleep_ms(20);
        }
        if (!puts_seen)
            dump_log();
        assert_true(puts_seen);
    }

    /* 6. Alarm raise and clear through the ctl socket. */
    {
        const char *raise[] = {"alarm", "raise", "cause=Transmitter failure", "severity=Major",
                               NULL};
        const char *clear[] = {"alarm", "clear", "cause=Transmitter failure", NULL};
        assert_int_equal(run_ctl(out, sizeof(out), raise), 0);
        assert_int_equal(run_ctl(out, sizeof(out), clear), 0);
    }

    /* 7. Reboot: the agent re-executes; BOOT without BOOTSTRAP follows. */
    from = nbodies();
    {
        const char *args[] = {"reboot", NULL};
        assert_int_equal(run_ctl(out, sizeof(out), args), 0);
    }
    i = wait_body(from, "1 BOOT", NULL);
    if (i < 0)
        dump_log();
    assert_true(i >= 0);
    assert_null(strstr(S.bodies[i], "0 BOOTSTRAP"));
    /* 7b. Reboot RPC: after the session; then 1 BOOT + M Reboot. */
    pthread_mutex_lock(&S.mu);
    tacs_queue_reboot(S.acs);
    pthread_mutex_unlock(&S.mu);
    from = nbodies();
    for (int w = 0; w < 250; w++) {
        const char *args[] = {"inform", NULL};
        if (run_ctl(out, sizeof(out), args) == 0)
            break;
        sleep_ms(20);
    }
    i = wait_body(from, "M Reboot", "1 BOOT");
    if (i < 0)
        dump_log();
    assert_true(i >= 0);
    assert_non_null(strstr(S.bodies[i], "rb1"));
    assert_null(strstr(S.bodies[i], "0 BOOTSTRAP"));

    /* 8. FactoryReset (after the session): state wiped, 0 BOOTSTRAP again. */
    pthread_mutex_lock(&S.mu);
    tacs_queue_factory_reset(S.acs);
    pthread_mutex_unlock(&S.mu);
    from = nbodies();
    for (int w = 0; w < 250; w++) {
        const char *args[] = {"inform", NULL};
        if (run_ctl(out, sizeof(out), args) == 0)
            break;
        sleep_ms(20);
    }
    i = wait_body(from, "0 BOOTSTRAP", "1 BOOT");
    if (i < 0)
        dump_log();
    assert_true(i >= 0);
    assert_null(strstr(S.bodies[i], "4 VALUE CHANGE"));
    /* the agent answers again after its restart */
    for (int w = 0; w < 250; w++) {
        const char *args[] = {"status", NULL};
        if (run_ctl(out, sizeof(out), args) == 0)
            break;
        sleep_ms(20);
    }
    assert_non_null(strstr(out, "ok\n"));
}

static int setup_igd(void **state)
{
    (void) state;
    return setup_mode(3);
}

/* The UMTS HNB with the InternetGatewayDevice root: BOOTSTRAP, then the
 * IPsec inner address change on FAP.Tunnel.IKESA (F5). */
static void test_agent_igd(void **state)
{
    char out[4096];
    int i, from;
    (void) state;
    i = wait_body(0, "0 BOOTSTRAP", "InternetGatewayDevice.ManagementServer.ConnectionRequestURL");
    if (i < 0)
        dump_log();
    assert_true(i >= 0);
    assert_true(wait_sessions(1) >= 1);
    from = nbodies();
    {
        const char *args[] = {"ip-change", "172.16.0.9", NULL};
        assert_int_equal(run_ctl(out, sizeof(out), args), 0);
    }
    i = wait_body(from, "InternetGatewayDevice.FAP.Tunnel.IKESA.1.IPAddress", "172.16.0.9");
    if (i < 0)
        dump_log();
    assert_true(i >= 0);
    assert_non_null(strstr(S.bodies[i], "4 VALUE CHANGE"));
}

/* The HMS refuses the boot session; the agent stops (SIGTERM) and starts
 * again: the undelivered BOOTSTRAP comes back from its state directory. */
static void test_agent_restart_resumes(void **state)
{
    char out[4096];
    int failed = 0, status, i;
    (void) state;
    for (int w = 0; w < WAIT_MS / 50 && !failed; w++) {
        const char *args[] = {"status", NULL};
        if (run_ctl(out, sizeof(out), args) == 0 && !strstr(out, "sessions_failed 0\n"))
            failed = 1;
        else
            sleep_ms(50);
    }
    assert_true(failed);
    assert_int_equal(nbodies(), 0);
    kill(g_pid, SIGTERM);
    assert_int_equal(waitpid(g_pid, &status, 0), g_pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    atomic_store(&S.refuse, 0);
    start_agent();
    i = wait_body(0, "0 BOOTSTRAP", "1 BOOT");
    if (i < 0)
        dump_log();
    assert_true(i >= 0);
    assert_true(wait_sessions(1) >= 1);
}

/* The agent dies (HNB_AGENT_TEST_CRASH=transfer: as a power loss would)
 * when a Download starts; after its restart the transfer, stored as
 * running, is reported failed: TransferComplete 9010 with M Download. */
static int setup_crash(void **state)
{
    (void) state;
    g_crash = "transfer";
    return setup_mode(0);
}

static int rec_has(const char *name, const char *text)
{
    char path[400];
    size_t len;
    snprintf(path, sizeof(path), "%s/state/%s", g_dir, name);
    char *data = read_file(path, &len);
    int found = data && strstr(data, text) != NULL;
    if (data)
        test_free(data);
    return found;
}

static void test_agent_crash_in_transfer(void **state)
{
    char out[4096], url[128];
    int status, i, from;
    (void) state;
    assert_true(wait_sessions(1) >= 1);
    snprintf(url, sizeof(url), "http://127.0.0.1:%u/cm.xml", (unsigned) S.port);
    pthread_mutex_lock(&S.mu);
    tacs_queue_download(S.acs, url);
    pthread_mutex_unlock(&S.mu);
    {
        const char *args[] = {"inform", NULL};
        assert_int_equal(run_ctl(out, sizeof(out), args), 0);
    }
    assert_int_equal(waitpid(g_pid, &status, 0), g_pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 86)
        dump_log();
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 86);
    /* the transfer record: id kind state(2 = in progress) ... CommandKey cm1 */
    assert_true(rec_has("cpe-transfers.rec", " 0 2 "));
    assert_true(rec_has("cpe-transfers.rec", " cm1 "));
    assert_int_equal(S.cm_gets, 0);
    g_crash = NULL;
    from = nbodies();
    start_agent();
    i = wait_body(from, "TransferComplete>", "<FaultCode>9010</FaultCode>");
    if (i < 0)
        dump_log();
    assert_true(i >= 0);
    assert_non_null(strstr(S.bodies[i], "cm1"));
    i = wait_body(from, "7 TRANSFER COMPLETE", "M Download");
    assert_true(i >= 0);
    assert_non_null(strstr(S.bodies[i], "1 BOOT"));
    assert_int_equal(S.cm_gets, 0); /* never fetched, nothing applied */
}

#ifdef HNB_AGENT_TLS
static int setup_tls(void **state)
{
    (void) state;
    return setup_mode(1);
}

static int setup_tls_wrongname(void **state)
{
    (void) state;
    return setup_mode(2);
}

/* HTTPS with the operator root CA and the device certificate (F1). */
static void test_agent_tls(void **state)
{
    char out[4096];
    int i;
    (void) state;
    i = wait_body(0, "0 BOOTSTRAP", "1 BOOT");
    if (i < 0)
        dump_log();
    assert_true(i >= 0);
    assert_true(wait_sessions(1) >= 1);
    {
        const char *args[] = {"status", NULL};
        assert_int_equal(run_ctl(out, sizeof(out), args), 0);
        assert_non_null(strstr(out, "sessions_ok 1\n"));
    }
}

/* A server certificate that does not name the URL host: no Inform is
 * delivered, the session fails (and a retry is scheduled). */
static void test_agent_tls_wrong_name(void **state)
{
    char out[4096];
    int failed = 0;
    (void) state;
    for (int w = 0; w < WAIT_MS / 50 && !failed; w++) {
        const char *args[] = {"status", NULL};
        if (run_ctl(out, sizeof(out), args) == 0 && !strstr(out, "sessions_failed 0\n"))
            failed = 1;
        else
            sleep_ms(50);
    }
    if (!failed)
        dump_log();
    assert_true(failed);
    assert_int_equal(nbodies(), 0);
    assert_non_null(strstr(out, "sessions_ok 0\n"));
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_agent_scenario, setup, teardown),
        cmocka_unit_test_setup_teardown(test_agent_igd, setup_igd, teardown),
        cmocka_unit_test_setup_teardown(test_agent_restart_resumes, setup_refusing, teardown),
        cmocka_unit_test_setup_teardown(test_agent_crash_in_transfer, setup_crash, teardown),
#ifdef HNB_AGENT_TLS
        cmocka_unit_test_setup_teardown(test_agent_tls, setup_tls, teardown),
        cmocka_unit_test_setup_teardown(test_agent_tls_wrong_name, setup_tls_wrongname, teardown),
#endif
    };
    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
