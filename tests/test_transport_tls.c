/*
 * libcwmp tests - TLS over 127.0.0.1 with a test PKI generated at start-up.
 * The server side runs in a thread with the default allocator (cmocka's
 * allocator is not thread-safe); the client side uses test_allocator.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#include <cwmp/tls.h>
#include <cwmp/transport.h>

#include "testpki.h"
#include "transport_internal.h"

#include <mbedtls/x509_crt.h>

static char pki_dir[64];

static const char *pki(const char *name)
{
    static char buf[4][256];
    static int i;
    i = (i + 1) % 4;
    return testpki_path(buf[i], sizeof(buf[i]), pki_dir, name);
}

static int group_setup(void **state)
{
    (void) state;
    snprintf(pki_dir, sizeof(pki_dir), "/tmp/cwmp-tls-test-XXXXXX");
    if (!mkdtemp(pki_dir))
        return -1;
    char err[256];
    if (testpki_generate(pki_dir, err, sizeof(err)) != 0) {
        print_error("test PKI: %s\n", err);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void) state;
    testpki_remove(pki_dir);
    return 0;
}

/* ---- server thread ----------------------------------------------------------- */

struct srv {
    const char *bind;
    const char *cert, *key;
    int client_cert;     /* 0 not asked, 1 required, 2 optional */
    int lifetime;        /* -1 = default */
    int plain_hold;      /* accept, never handshake */
    const char *garbage; /* with plain_hold: sent instead of a ServerHello */
    int nonblocking;     /* handshake with cwmp_tls_start_server() + poll() */
    int connections;
    int lfd;
    pthread_t th;
    /* results of the last connection */
    int rc;
    struct cwmp_tls_status st;
    int resumed;
    char subject[256];
    struct cwmp_tls_config *cfg;
};

/* A poll loop driving cwmp_tls_handshake() on a non-blocking socket; the
 * stream is made blocking again afterwards for the simple exchange. */
static int nb_handshake(struct cwmp_stream *tcp, const char *host, struct cwmp_tls_session *sess,
                        struct cwmp_tls_config *cfg, struct cwmp_tls_status *st,
                        struct cwmp_stream **out)
{
    int fd = tcp->fd;
    int fl = fcntl(fd, F_GETFL);
    if (fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0)
        return -100;
    int rc = host ? cwmp_tls_start_client(cfg, tcp, host, sess, out)
                  : cwmp_tls_start_server(cfg, tcp, out);
    if (rc != 0)
        return rc;
    uint8_t b;
    if (cwmp_stream_read(*out, &b, 1) != CWMP_ERR_STATE) /* not before the handshake */
        return -101;
    while ((rc = cwmp_tls_handshake(*out, st)) == CWMP_ERR_AGAIN) {
        struct pollfd p = {fd, (short) (cwmp_tls_want_write(*out) ? POLLOUT : POLLIN), 0};
        if (poll(&p, 1, 5000) != 1)
            return -102;
    }
    if (rc != 0) {
        if (cwmp_tls_handshake(*out, NULL) != CWMP_ERR_STATE)
            rc = -103;
        cwmp_stream_close(*out);
        *out = NULL;
        return rc;
    }
    (void) fcntl(fd, F_SETFL, fl);
    return 0;
}

static void *srv_main(void *p)
{
    struct srv *s = p;
    for (int i = 0; i < s->connections; i++) {
        struct cwmp_stream *tcp = NULL, *tls = NULL;
        s->rc = cwmp_tcp_accept(NULL, s->lfd, 5000, NULL, 0, &tcp);
        if (s->rc != 0)
            return NULL;
        if (s->plain_hold) {
            uint8_t b[256];
            tcp->timeout_ms = 5000;
            if (s->garbage) {
                /* Answer, then hang up: a truncated record must not hang the client. */
                (void) cwmp_stream_write(tcp, (const uint8_t *) s->garbage, strlen(s->garbage));
                (void) cwmp_stream_read(tcp, b, sizeof(b));
                cwmp_stream_close(tcp);
                continue;
            }
            while (cwmp_stream_read(tcp, b, sizeof(b)) > 0)
                ;
            cwmp_stream_close(tcp);
            continue;
        }
        s->subject[0] = '\0';
        if (s->nonblocking)
            s->rc = nb_handshake(tcp, NULL, NULL, s->cfg, &s->st, &tls);
        else
            s->rc = cwmp_tls_wrap_server_ex(s->cfg, tcp, 5000, &s->st, &tls);
        if (s->rc != 0)
            continue;
        s->resumed = cwmp_tls_resumed(tls);
        (void) cwmp_tls_peer_subject(tls, s->subject, sizeof(s->subject));
        uint8_t b[8];
        if (cwmp_stream_read(tls, b, sizeof(b)) > 0)
            (void) cwmp_stream_write(tls, (const uint8_t *) "pong", 4);
        /* Wait for the client's close so close_notify is seen both ways. */
        (void) cwmp_stream_read(tls, b, sizeof(b));
        cwmp_stream_close(tls);
    }
    return NULL;
}

static uint16_t srv_start(struct srv *s)
{
    if (!s->bind)
        s->bind = "127.0.0.1";
    if (!s->connections)
        s->connections = 1;
    if (!s->plain_hold) {
        assert_int_equal(cwmp_tls_config_new(&s->cfg, CWMP_TLS_SERVER, NULL), 0);
        assert_int_equal(
            cwmp_tls_config_set_own_cert_file(s->cfg, pki(s->cert ? s->cert : "server.crt"),
                                              pki(s->key ? s->key : "server.key"), NULL),
            0);
        assert_int_equal(cwmp_tls_config_add_ca_file(s->cfg, pki("ca.crt")), 0);
        assert_int_equal(
            cwmp_tls_config_set_verify(s->cfg, s->client_cert == 1   ? CWMP_TLS_VERIFY_REQUIRED
                                               : s->client_cert == 2 ? CWMP_TLS_VERIFY_OPTIONAL
                                                                     : CWMP_TLS_VERIFY_NONE),
            0);
        if (s->lifetime >= 0)
            assert_int_equal(cwmp_tls_config_set_session_lifetime(s->cfg, s->lifetime), 0);
    }
    assert_int_equal(cwmp_tcp_listen(s->bind, 0, 4, &s->lfd), 0);
    uint16_t port = cwmp_tcp_local_port(s->lfd);
    assert_int_equal(pthread_create(&s->th, NULL, srv_main, s), 0);
    return port;
}

static void srv_stop(struct srv *s)
{
    pthread_join(s->th, NULL);
    close(s->lfd);
    cwmp_tls_config_free(s->cfg);
}

/* ---- client side -------------------------------------------------------------- */

static struct cwmp_tls_config *client_cfg(const char *ca)
{
    struct cwmp_tls_config *c;
    assert_int_equal(cwmp_tls_config_new(&c, CWMP_TLS_CLIENT, &test_allocator), 0);
    if (ca)
        assert_int_equal(cwmp_tls_config_add_ca_file(c, pki(ca)), 0);
    return c;
}

/* Connects, handshakes, exchanges one message; returns the wrap result. */
static int client_run(struct cwmp_tls_config *c, uint16_t port, const char *connect_to,
                      const char *host, struct cwmp_tls_session *sess, struct cwmp_tls_status *st,
                      int *resumed)
{
    struct cwmp_stream *tcp = NULL, *tls = NULL;
    assert_int_equal(cwmp_tcp_connect(&test_allocator, connect_to, port, 5000, &tcp), 0);
    int rc = cwmp_tls_wrap_client_ex(c, tcp, host, 5000, sess, st, &tls);
    if (rc != 0) {
        assert_null(tls);
        return rc;
    }
    assert_true(cwmp_tls_is_tls(tls));
    assert_string_not_equal(cwmp_tls_ciphersuite(tls), "");
    if (resumed)
        *resumed = cwmp_tls_resumed(tls);
    assert_int_equal(cwmp_stream_write(tls, (const uint8_t *) "ping", 4), 4);
    uint8_t b[8];
    int got = 0;
    while (got < 4) {
        int n = cwmp_stream_read(tls, b + got, sizeof(b) - (size_t) got);
        assert_true(n > 0);
        got += n;
    }
    assert_memory_equal(b, "pong", 4);
    cwmp_stream_close(tls);
    return 0;
}

/* One connection: server with @p cert, client trusting @p ca, verifying @p host. */
static int one(const char *cert, const char *key, const char *ca, const char *host,
               struct cwmp_tls_status *st)
{
    struct srv s = {.cert = cert, .key = key, .lifetime = -1};
    uint16_t port = srv_start(&s);
    struct cwmp_tls_config *c = client_cfg(ca);
    int rc = client_run(c, port, "127.0.0.1", host, NULL, st, NULL);
    srv_stop(&s);
    if (getenv("CWMP_TEST_VERBOSE") && (rc != 0 || s.rc != 0))
        print_message("  [%s as %s] client %d '%s' / server %d '%s'\n", cert ? cert : "server.crt",
                      host, rc, st->detail, s.rc, s.st.detail);
    cwmp_tls_config_free(c);
    return rc;
}

static void test_verify_ok_name_and_ip(void **state)
{
    (void) state;
    struct cwmp_tls_status st;
    assert_int_equal(one(NULL, NULL, "ca.crt", "localhost", &st), 0);
    assert_int_equal(st.failures, 0);
    assert_string_equal(st.detail, "");
    assert_int_equal(one(NULL, NULL, "ca.crt", "127.0.0.1", &st), 0);
    /* Case and a trailing dot do not change a DNS name. */
    assert_int_equal(one(NULL, NULL, "ca.crt", "LocalHost.", &st), 0);
    /* CN is used only without SAN. */
    assert_int_equal(one("cnonly.crt", "cnonly.key", "ca.crt", "localhost", &st), 0);
}

static void test_verify_ok_ipv6(void **state)
{
    (void) state;
    int lfd;
    if (cwmp_tcp_listen("::1", 0, 1, &lfd) != 0) {
        print_message("no IPv6 loopback; skipped\n");
        skip();
    }
    close(lfd);
    struct srv s = {.bind = "::1", .lifetime = -1};
    uint16_t port = srv_start(&s);
    struct cwmp_tls_config *c = client_cfg("ca.crt");
    struct cwmp_tls_status st;
    assert_int_equal(client_run(c, port, "::1", "[::1]", NULL, &st, NULL), 0);
    srv_stop(&s);
    cwmp_tls_config_free(c);
}

static void test_unknown_ca(void **state)
{
    (void) state;
    struct cwmp_tls_status st;
    assert_int_equal(one(NULL, NULL, "other-ca.crt", "localhost", &st), CWMP_ERR_TLS);
    assert_true(st.failures & CWMP_TLS_FAIL_UNTRUSTED);
    assert_non_null(strstr(st.detail, "trusted CA"));
    assert_int_equal(one("untrusted.crt", "untrusted.key", "ca.crt", "localhost", &st),
                     CWMP_ERR_TLS);
    assert_true(st.failures & CWMP_TLS_FAIL_UNTRUSTED);
}

static void test_wrong_name(void **state)
{
    (void) state;
    struct cwmp_tls_status st;
    assert_int_equal(one("wrongname.crt", "wrongname.key", "ca.crt", "localhost", &st),
                     CWMP_ERR_TLS);
    assert_int_equal(st.failures, CWMP_TLS_FAIL_NAME);
    assert_non_null(strstr(st.detail, "localhost"));
    assert_int_equal(one(NULL, NULL, "ca.crt", "acs.example.net", &st), CWMP_ERR_TLS);
    assert_int_equal(st.failures, CWMP_TLS_FAIL_NAME);
    /* A suffix or prefix is not the name. */
    assert_int_equal(one(NULL, NULL, "ca.crt", "localhost.localdomain", &st), CWMP_ERR_TLS);
    assert_int_equal(one(NULL, NULL, "ca.crt", "host", &st), CWMP_ERR_TLS);
    /* With SAN present, a matching CN is not enough: wrongname has
     * SAN acs.example.net only. */
    assert_int_equal(one("wrongname.crt", "wrongname.key", "ca.crt", "acs.example.net", &st), 0);
}

static void test_wrong_ip(void **state)
{
    (void) state;
    struct cwmp_tls_status st;
    assert_int_equal(one(NULL, NULL, "ca.crt", "127.0.0.2", &st), CWMP_ERR_TLS);
    assert_int_equal(st.failures, CWMP_TLS_FAIL_NAME);
    assert_non_null(strstr(st.detail, "IP address"));
    /* No iPAddress SAN at all. */
    assert_int_equal(one("wrongname.crt", "wrongname.key", "ca.crt", "127.0.0.1", &st),
                     CWMP_ERR_TLS);
    assert_int_equal(st.failures, CWMP_TLS_FAIL_NAME);
    /* CN=localhost does not vouch for 127.0.0.1. */
    assert_int_equal(one("cnonly.crt", "cnonly.key", "ca.crt", "127.0.0.1", &st), CWMP_ERR_TLS);
    assert_int_equal(st.failures, CWMP_TLS_FAIL_NAME);
    /* ::1 is in the SAN, ::2 is not (checked without an IPv6 socket). */
    assert_int_equal(one(NULL, NULL, "ca.crt", "::2", &st), CWMP_ERR_TLS);
    assert_int_equal(one(NULL, NULL, "ca.crt", "[::1]", &st), 0);
}

static void test_expired(void **state)
{
    (void) state;
    struct cwmp_tls_status st;
    assert_int_equal(one("expired.crt", "expired.key", "ca.crt", "localhost", &st), CWMP_ERR_TLS);
    assert_int_equal(st.failures, CWMP_TLS_FAIL_EXPIRED);
    assert_non_null(strstr(st.detail, "expired"));
}

static void test_revoked(void **state)
{
    (void) state;
    struct cwmp_tls_status st;
    /* Without the CRL the certificate is fine ... */
    assert_int_equal(one("revoked.crt", "revoked.key", "ca.crt", "localhost", &st), 0);
    /* ... with it, revoked; server.crt is not on the list. */
    struct srv s = {.cert = "revoked.crt", .key = "revoked.key", .lifetime = -1};
    uint16_t port = srv_start(&s);
    struct cwmp_tls_config *c = client_cfg("ca.crt");
    assert_int_equal(cwmp_tls_config_add_crl_file(c, pki("ca.crl")), 0);
    assert_int_equal(client_run(c, port, "127.0.0.1", "localhost", NULL, &st, NULL), CWMP_ERR_TLS);
    assert_int_equal(st.failures, CWMP_TLS_FAIL_REVOKED);
    srv_stop(&s);
    struct srv s2 = {.lifetime = -1};
    port = srv_start(&s2);
    assert_int_equal(client_run(c, port, "127.0.0.1", "localhost", NULL, &st, NULL), 0);
    srv_stop(&s2);
    cwmp_tls_config_free(c);
}

static void test_client_certificate(void **state)
{
    (void) state;
    struct cwmp_tls_status st;
    /* Required and absent: both sides fail. */
    struct srv s = {.client_cert = 1, .lifetime = -1};
    uint16_t port = srv_start(&s);
    struct cwmp_tls_config *c = client_cfg("ca.crt");
    assert_int_equal(client_run(c, port, "127.0.0.1", "localhost", NULL, &st, NULL), CWMP_ERR_TLS);
    assert_int_equal(st.failures, CWMP_TLS_FAIL_HANDSHAKE);
    srv_stop(&s);
    assert_int_equal(s.rc, CWMP_ERR_TLS);
    assert_true(s.st.failures & CWMP_TLS_FAIL_NO_CERT);

    /* Required and present: the server sees the device identity. */
    assert_int_equal(
        cwmp_tls_config_set_own_cert_file(c, pki("client.crt"), pki("client.key"), NULL), 0);
    struct srv s2 = {.client_cert = 1, .lifetime = -1};
    port = srv_start(&s2);
    assert_int_equal(client_run(c, port, "127.0.0.1", "localhost", NULL, &st, NULL), 0);
    srv_stop(&s2);
    assert_int_equal(s2.rc, 0);
    assert_non_null(strstr(s2.subject, "CN=00D09E-HNB-0001"));
    cwmp_tls_config_free(c);

    /* Optional and absent: accepted, no peer subject. */
    struct srv s3 = {.client_cert = 2, .lifetime = -1};
    port = srv_start(&s3);
    c = client_cfg("ca.crt");
    assert_int_equal(client_run(c, port, "127.0.0.1", "localhost", NULL, &st, NULL), 0);
    srv_stop(&s3);
    assert_int_equal(s3.rc, 0);
    assert_string_equal(s3.subject, "");
    cwmp_tls_config_free(c);
}

static void test_resumption(void **state)
{
    (void) state;
    struct srv s = {.connections = 4, .lifetime = -1};
    uint16_t port = srv_start(&s);
    struct cwmp_tls_config *c = client_cfg("ca.crt");
    struct cwmp_tls_session *sess;
    assert_int_equal(cwmp_tls_session_new(&sess, &test_allocator), 0);
    struct cwmp_tls_status st;
    int resumed = -1;
    assert_int_equal(client_run(c, port, "127.0.0.1", "localhost", sess, &st, &resumed), 0);
    assert_int_equal(resumed, 0);
    assert_int_equal(st.resumed, 0);
    assert_int_equal(client_run(c, port, "127.0.0.1", "localhost", sess, &st, &resumed), 0);
    assert_int_equal(resumed, 1);
    assert_int_equal(st.resumed, 1);
    /* A session is never offered to another host: full handshake again. */
    assert_int_equal(client_run(c, port, "127.0.0.1", "127.0.0.1", sess, &st, &resumed), 0);
    assert_int_equal(resumed, 0);
    /* Cleared: full handshake. */
    cwmp_tls_session_clear(sess);
    assert_int_equal(client_run(c, port, "127.0.0.1", "127.0.0.1", sess, &st, &resumed), 0);
    assert_int_equal(resumed, 0);
    srv_stop(&s);
    cwmp_tls_session_free(sess);
    cwmp_tls_config_free(c);
}

static void test_resumption_seen_by_server(void **state)
{
    (void) state;
    struct srv s = {.connections = 2, .lifetime = -1};
    uint16_t port = srv_start(&s);
    struct cwmp_tls_config *c = client_cfg("ca.crt");
    struct cwmp_tls_session *sess;
    assert_int_equal(cwmp_tls_session_new(&sess, &test_allocator), 0);
    struct cwmp_tls_status st;
    int resumed;
    assert_int_equal(client_run(c, port, "127.0.0.1", "localhost", sess, &st, &resumed), 0);
    assert_int_equal(client_run(c, port, "127.0.0.1", "localhost", sess, &st, &resumed), 0);
    srv_stop(&s);
    assert_int_equal(resumed, 1);
    assert_int_equal(s.resumed, 1);
    assert_int_equal(s.st.resumed, 1);

    /* Server with resumption disabled: never resumed. */
    struct srv s2 = {.connections = 2, .lifetime = 0};
    port = srv_start(&s2);
    cwmp_tls_session_clear(sess);
    assert_int_equal(client_run(c, port, "127.0.0.1", "localhost", sess, &st, &resumed), 0);
    assert_int_equal(client_run(c, port, "127.0.0.1", "localhost", sess, &st, &resumed), 0);
    assert_int_equal(resumed, 0);
    srv_stop(&s2);
    cwmp_tls_session_free(sess);
    cwmp_tls_config_free(c);
}

static void test_no_ca_fails_closed(void **state)
{
    (void) state;
    struct cwmp_tls_config *c = client_cfg(NULL);
    int sv = -1;
    assert_int_equal(cwmp_tcp_listen("127.0.0.1", 0, 1, &sv), 0);
    struct cwmp_stream *tcp = NULL, *tls = (struct cwmp_stream *) 1;
    assert_int_equal(
        cwmp_tcp_connect(&test_allocator, "127.0.0.1", cwmp_tcp_local_port(sv), 2000, &tcp), 0);
    struct cwmp_tls_status st;
    /* tcp is consumed (test_allocator would report the leak otherwise). */
    assert_int_equal(cwmp_tls_wrap_client_ex(c, tcp, "localhost", 1000, NULL, &st, &tls),
                     CWMP_ERR_TLS);
    assert_null(tls);
    assert_int_equal(st.failures, CWMP_TLS_FAIL_CONFIG);
    /* Invalid host: consumed too. */
    assert_int_equal(
        cwmp_tcp_connect(&test_allocator, "127.0.0.1", cwmp_tcp_local_port(sv), 2000, &tcp), 0);
    assert_int_equal(cwmp_tls_wrap_client(c, tcp, "", 1000, &tls), CWMP_ERR_INVALID_ARG);
    close(sv);
    cwmp_tls_config_free(c);
}

static void test_verify_none_is_explicit(void **state)
{
    (void) state;
    struct srv s = {.cert = "wrongname.crt", .key = "wrongname.key", .lifetime = -1};
    uint16_t port = srv_start(&s);
    struct cwmp_tls_config *c = client_cfg(NULL);
    assert_int_equal(cwmp_tls_config_set_verify(c, CWMP_TLS_VERIFY_NONE), 0);
    struct cwmp_tls_status st;
    assert_int_equal(client_run(c, port, "127.0.0.1", "localhost", NULL, &st, NULL), 0);
    srv_stop(&s);
    cwmp_tls_config_free(c);
}

static void test_handshake_timeout(void **state)
{
    (void) state;
    struct srv s = {.plain_hold = 1};
    uint16_t port = srv_start(&s);
    struct cwmp_tls_config *c = client_cfg("ca.crt");
    struct cwmp_stream *tcp = NULL, *tls = NULL;
    assert_int_equal(cwmp_tcp_connect(&test_allocator, "127.0.0.1", port, 2000, &tcp), 0);
    struct cwmp_tls_status st;
    assert_int_equal(cwmp_tls_wrap_client_ex(c, tcp, "localhost", 100, NULL, &st, &tls),
                     CWMP_ERR_TIMEOUT);
    assert_null(tls);
    assert_non_null(strstr(st.detail, "timed out"));
    srv_stop(&s);
    cwmp_tls_config_free(c);
}

/* A plain-HTTP server (or anything else) answering a ClientHello. */
static void test_not_tls_peer(void **state)
{
    (void) state;
    static const char *const answers[] = {
        "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n",
        "\x16\x03\x03\xff\xff",         /* a handshake record claiming 64 KiB */
        "\x15\x03\x03\x00\x02\x02\x28", /* a fatal alert */
    };
    for (size_t i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
        struct srv s = {.plain_hold = 1, .garbage = answers[i]};
        uint16_t port = srv_start(&s);
        struct cwmp_tls_config *c = client_cfg("ca.crt");
        struct cwmp_stream *tcp = NULL, *tls = NULL;
        assert_int_equal(cwmp_tcp_connect(&test_allocator, "127.0.0.1", port, 2000, &tcp), 0);
        struct cwmp_tls_status st;
        int rc = cwmp_tls_wrap_client_ex(c, tcp, "localhost", 2000, NULL, &st, &tls);
        if (rc != CWMP_ERR_TLS)
            print_error("answer %zu: %d (%s)\n", i, rc, st.detail);
        assert_int_equal(rc, CWMP_ERR_TLS);
        assert_null(tls);
        assert_true(st.failures & CWMP_TLS_FAIL_HANDSHAKE);
        assert_string_not_equal(st.detail, "");
        srv_stop(&s);
        cwmp_tls_config_free(c);
    }
}

struct logcount {
    int lines;
    int warnings;
};

static void count_log(enum cwmp_log_level level, const char *msg, void *ud)
{
    struct logcount *lc = ud;
    assert_non_null(msg);
    assert_null(strchr(msg, '\n'));
    lc->lines++;
    if (level == CWMP_LOG_WARNING)
        lc->warnings++;
}

static void test_log_routing(void **state)
{
    (void) state;
    struct logcount lc = {0, 0};
    struct srv s = {.cert = "expired.crt", .key = "expired.key", .lifetime = -1};
    uint16_t port = srv_start(&s);
    struct cwmp_tls_config *c = client_cfg("ca.crt");
    assert_int_equal(cwmp_tls_config_set_log(c, count_log, &lc, 1), 0);
    struct cwmp_tls_status st;
    assert_int_equal(client_run(c, port, "127.0.0.1", "localhost", NULL, &st, NULL), CWMP_ERR_TLS);
    srv_stop(&s);
    assert_true(lc.lines > 1); /* mbedTLS debug lines and our warning */
    assert_int_equal(lc.warnings, 1);
    assert_int_equal(cwmp_tls_config_set_log(c, NULL, NULL, 0), 0);
    cwmp_tls_config_free(c);
}

static void test_config_errors(void **state)
{
    (void) state;
    struct cwmp_tls_config *c = client_cfg(NULL);
    assert_int_equal(cwmp_tls_config_add_ca_file(c, "/nonexistent/ca.crt"), CWMP_ERR_TLS);
    assert_int_equal(cwmp_tls_config_add_ca_file(c, pki("ca.key")), CWMP_ERR_TLS);
    assert_int_equal(cwmp_tls_config_add_ca_dir(c, "/nonexistent"), CWMP_ERR_TLS);
    /* A directory with certificates (and keys, which are skipped). */
    assert_int_equal(cwmp_tls_config_add_ca_dir(c, pki_dir), 0);
    assert_int_equal(cwmp_tls_config_add_crl_file(c, pki("ca.crt")), CWMP_ERR_TLS);
    assert_int_equal(cwmp_tls_config_set_verify(c, CWMP_TLS_VERIFY_OPTIONAL), CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_tls_config_set_log(c, count_log, NULL, 7), CWMP_ERR_INVALID_ARG);
    /* Key of another certificate. */
    assert_int_equal(
        cwmp_tls_config_set_own_cert_file(c, pki("server.crt"), pki("client.key"), NULL),
        CWMP_ERR_TLS);
    assert_int_equal(
        cwmp_tls_config_set_own_cert_file(c, pki("client.crt"), pki("client.key"), NULL), 0);
    assert_int_equal(
        cwmp_tls_config_set_own_cert_file(c, pki("client.crt"), pki("client.key"), NULL),
        CWMP_ERR_STATE);
    /* In-memory CA (PEM without NUL) and the directory loader. */
    size_t len;
    char *pem = read_file(pki("ca.crt"), &len);
    assert_non_null(pem);
    assert_int_equal(cwmp_tls_config_add_ca_mem(c, (const uint8_t *) pem, len), 0);
    assert_int_equal(cwmp_tls_config_add_ca_mem(c, (const uint8_t *) "junk", 4), CWMP_ERR_TLS);
    test_free(pem);
    cwmp_tls_config_free(c);
    assert_int_equal(cwmp_tls_config_new(NULL, CWMP_TLS_CLIENT, NULL), CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_tls_config_new(&c, (enum cwmp_tls_role) 5, NULL), CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_tls_resumed(NULL), CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_tls_pending(NULL), 0);
    assert_string_equal(cwmp_tls_ciphersuite(NULL), "");
    cwmp_tls_config_free(NULL);
    cwmp_tls_session_free(NULL);
}

static void test_own_cert_mem(void **state)
{
    (void) state;
    struct cwmp_tls_config *c;
    assert_int_equal(cwmp_tls_config_new(&c, CWMP_TLS_SERVER, &test_allocator), 0);
    size_t cl, kl;
    char *crt = read_file(pki("server.crt"), &cl);
    char *key = read_file(pki("server.key"), &kl);
    assert_int_equal(cwmp_tls_config_set_own_cert_mem(c, (const uint8_t *) crt, cl,
                                                      (const uint8_t *) key, kl, NULL),
                     0);
    test_free(crt);
    test_free(key);
    cwmp_tls_config_free(c);
}

/* After the handshake: non-blocking reads, read timeouts, queries. */
static void test_stream_behaviour(void **state)
{
    (void) state;
    struct srv s = {.lifetime = -1, .client_cert = 0};
    uint16_t port = srv_start(&s);
    struct cwmp_tls_config *c = client_cfg("ca.crt");
    struct cwmp_stream *tcp = NULL, *tls = NULL;
    assert_int_equal(cwmp_tcp_connect(&test_allocator, "127.0.0.1", port, 5000, &tcp), 0);
    assert_int_equal(cwmp_tls_wrap_client(c, tcp, "localhost", 5000, &tls), 0);
    assert_int_equal(tls->timeout_ms, 5000);
    assert_int_equal(cwmp_tls_resumed(tls), 0);
    assert_int_equal(cwmp_tls_pending(tls), 0);
    char small[8];
    assert_int_equal(cwmp_tls_peer_subject(tls, small, sizeof(small)), CWMP_ERR_BUFFER);
    assert_string_equal(small, "");
    char subj[256];
    assert_int_equal(cwmp_tls_peer_subject(tls, subj, sizeof(subj)), 0);
    assert_non_null(strstr(subj, "CN=localhost"));
    /* The server waits for "ping": nothing to read yet. */
    tls->timeout_ms = 30;
    uint8_t b[8];
    assert_int_equal(cwmp_stream_read(tls, b, sizeof(b)), CWMP_ERR_TIMEOUT);
    int fl = fcntl(tls->fd, F_GETFL);
    assert_int_equal(fcntl(tls->fd, F_SETFL, fl | O_NONBLOCK), 0);
    assert_int_equal(cwmp_stream_read(tls, b, sizeof(b)), CWMP_ERR_AGAIN);
    assert_int_equal(fcntl(tls->fd, F_SETFL, fl), 0);
    tls->timeout_ms = 5000;
    assert_int_equal(cwmp_stream_write(tls, (const uint8_t *) "ping", 4), 4);
    int got = 0;
    while (got < 4) {
        int n = cwmp_stream_read(tls, b + got, sizeof(b) - (size_t) got);
        assert_true(n > 0);
        got += n;
    }
    assert_memory_equal(b, "pong", 4);
    assert_true(cwmp_tls_is_tls(tls));
    cwmp_stream_close(tls);
    srv_stop(&s);
    cwmp_tls_config_free(c);
}

/* The wrap's own allocation fails: NOMEM, and the TCP stream is still freed. */
static void test_wrap_nomem(void **state)
{
    (void) state;
    struct failing_alloc fa;
    failing_alloc_init(&fa, 2, 1); /* 1: the configuration, 2: the TLS stream */
    struct cwmp_tls_config *c;
    assert_int_equal(cwmp_tls_config_new(&c, CWMP_TLS_CLIENT, &fa.a), 0);
    assert_int_equal(cwmp_tls_config_add_ca_file(c, pki("ca.crt")), 0);
    int lfd;
    assert_int_equal(cwmp_tcp_listen("127.0.0.1", 0, 1, &lfd), 0);
    struct cwmp_stream *tcp = NULL, *tls = (struct cwmp_stream *) 1;
    assert_int_equal(
        cwmp_tcp_connect(&test_allocator, "127.0.0.1", cwmp_tcp_local_port(lfd), 2000, &tcp), 0);
    assert_int_equal(cwmp_tls_wrap_client(c, tcp, "localhost", 1000, &tls), CWMP_ERR_NOMEM);
    assert_null(tls);
    assert_true(fa.failed >= 1);
    close(lfd);
    cwmp_tls_config_free(c);
}

/* The identity rules on their own, certificate by certificate. */
static int names(const char *file, const char *host)
{
    mbedtls_x509_crt crt;
    mbedtls_x509_crt_init(&crt);
    assert_int_equal(mbedtls_x509_crt_parse_file(&crt, pki(file)), 0);
    int rc = cwmp__tls_identity_check(crt.raw.p, crt.raw.len, host);
    mbedtls_x509_crt_free(&crt);
    return rc;
}

static void test_identity_rules(void **state)
{
    (void) state;
    assert_int_equal(names("server.crt", "localhost"), 1);
    assert_int_equal(names("server.crt", "LOCALHOST"), 1);
    assert_int_equal(names("server.crt", "localhost."), 1);
    assert_int_equal(names("server.crt", "127.0.0.1"), 1);
    assert_int_equal(names("server.crt", "::1"), 1);
    assert_int_equal(names("server.crt", "0:0::1"), 1); /* same address, other spelling */
    assert_int_equal(names("server.crt", "127.0.0.2"), 0);
    assert_int_equal(names("server.crt", "localhost.localdomain"), 0);
    assert_int_equal(names("server.crt", "ocalhost"), 0);
    /* No wildcards: *.example.net names nothing. */
    assert_int_equal(names("wildcard.crt", "acs.example.net"), 0);
    assert_int_equal(names("wildcard.crt", "*.example.net"), 1); /* only itself, literally */
    /* An address written into a dNSName does not vouch for the address. */
    assert_int_equal(names("ipasdns.crt", "127.0.0.1"), 0);
    /* CN only without SAN; CN=localhost does not vouch for an address. */
    assert_int_equal(names("cnonly.crt", "localhost"), 1);
    assert_int_equal(names("cnonly.crt", "127.0.0.1"), 0);
    /* SAN present: the CN is ignored (wrongname: CN and SAN acs.example.net). */
    assert_int_equal(names("wrongname.crt", "acs.example.net"), 1);
    assert_int_equal(names("client.crt", "00D09E-HNB-0001"), 1);
    const uint8_t junk[] = {0x30, 0x03, 0x02, 0x01, 0x01};
    assert_int_equal(cwmp__tls_identity_check(junk, sizeof(junk), "localhost"), CWMP_ERR_PARSE);
    assert_int_equal(cwmp__tls_identity_check(junk, sizeof(junk), ""), CWMP_ERR_INVALID_ARG);
}

static void test_nonblocking_handshakes(void **state)
{
    (void) state;
    /* Client in a poll loop, blocking server; resumption works the same. */
    struct srv s = {.connections = 3, .lifetime = -1};
    uint16_t port = srv_start(&s);
    struct cwmp_tls_config *c = client_cfg("ca.crt");
    struct cwmp_tls_session *sess;
    assert_int_equal(cwmp_tls_session_new(&sess, &test_allocator), 0);
    for (int i = 0; i < 3; i++) {
        struct cwmp_stream *tcp = NULL, *tls = NULL;
        struct cwmp_tls_status st;
        assert_int_equal(cwmp_tcp_connect(&test_allocator, "127.0.0.1", port, 2000, &tcp), 0);
        int rc = nb_handshake(tcp, i < 2 ? "localhost" : "acs.example.net", sess, c, &st, &tls);
        if (i == 2) { /* wrong name: fails, and stays failed */
            assert_int_equal(rc, CWMP_ERR_TLS);
            assert_int_equal(st.failures, CWMP_TLS_FAIL_NAME);
            continue;
        }
        assert_int_equal(rc, 0);
        assert_int_equal(st.resumed, i == 1);
        assert_int_equal(cwmp_tls_handshake(tls, &st), 0); /* idempotent once done */
        assert_int_equal(cwmp_stream_write(tls, (const uint8_t *) "ping", 4), 4);
        uint8_t b[8];
        int got = 0;
        while (got < 4) {
            int n = cwmp_stream_read(tls, b + got, sizeof(b) - (size_t) got);
            assert_true(n > 0);
            got += n;
        }
        assert_memory_equal(b, "pong", 4);
        cwmp_stream_close(tls);
    }
    srv_stop(&s);
    cwmp_tls_session_free(sess);

    /* Server in a poll loop (an ACS), blocking client. */
    struct srv s2 = {.connections = 2, .lifetime = -1, .nonblocking = 1};
    port = srv_start(&s2);
    assert_int_equal(cwmp_tls_session_new(&sess, &test_allocator), 0);
    struct cwmp_tls_status st;
    int resumed;
    assert_int_equal(client_run(c, port, "127.0.0.1", "localhost", sess, &st, &resumed), 0);
    assert_int_equal(client_run(c, port, "127.0.0.1", "localhost", sess, &st, &resumed), 0);
    srv_stop(&s2);
    assert_int_equal(s2.rc, 0);
    assert_int_equal(resumed, 1);
    assert_int_equal(s2.resumed, 1);
    cwmp_tls_session_free(sess);
    cwmp_tls_config_free(c);
    /* Wrong role, no stream. */
    struct cwmp_stream *out = (struct cwmp_stream *) 1;
    assert_int_equal(cwmp_tls_start_server(NULL, NULL, &out), CWMP_ERR_INVALID_ARG);
    assert_null(out);
    assert_int_equal(cwmp_tls_handshake(NULL, NULL), CWMP_ERR_INVALID_ARG);
    assert_false(cwmp_tls_want_write(NULL));
}

/* One configuration shared by concurrent handshakes (its DRBG is locked). */
struct hammer {
    struct cwmp_tls_config *cfg;
    uint16_t port;
    int ok;
};

static void *hammer_main(void *p)
{
    struct hammer *h = p;
    for (int i = 0; i < 3; i++) {
        struct cwmp_stream *tcp, *tls;
        if (cwmp_tcp_connect(NULL, "127.0.0.1", h->port, 5000, &tcp) != 0)
            continue;
        if (cwmp_tls_wrap_client(h->cfg, tcp, "localhost", 5000, &tls) != 0)
            continue;
        if (cwmp_stream_write(tls, (const uint8_t *) "ping", 4) == 4) {
            uint8_t b[4];
            int got = 0, n = 1;
            while (got < 4 && n > 0) {
                n = cwmp_stream_read(tls, b + got, sizeof(b) - (size_t) got);
                got += n > 0 ? n : 0;
            }
            h->ok += got == 4 && memcmp(b, "pong", 4) == 0;
        }
        cwmp_stream_close(tls);
    }
    return NULL;
}

static void test_shared_config_threads(void **state)
{
    (void) state;
    struct srv s = {.connections = 6, .lifetime = -1};
    uint16_t port = srv_start(&s);
    struct cwmp_tls_config *c; /* default allocator: cmocka's is not thread-safe */
    assert_int_equal(cwmp_tls_config_new(&c, CWMP_TLS_CLIENT, NULL), 0);
    assert_int_equal(cwmp_tls_config_add_ca_file(c, pki("ca.crt")), 0);
    struct hammer h[2] = {{c, port, 0}, {c, port, 0}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, hammer_main, &h[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    srv_stop(&s);
    cwmp_tls_config_free(c);
    assert_int_equal(h[0].ok + h[1].ok, 6);
}

static void test_ciphersuites(void **state)
{
    (void) state;
    struct cwmp_tls_config *c = client_cfg("ca.crt");
    static const int empty[] = {0};
    static const int unknown[] = {0x7777, 0};
    static const int gcm_only[] = {0xC02B /* ECDHE-ECDSA-AES128-GCM-SHA256 */, 0};
    static const int rsa_only[] = {0xC02F /* ECDHE-RSA-AES128-GCM-SHA256 */, 0};
    assert_int_equal(cwmp_tls_config_set_ciphersuites(c, empty), CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_tls_config_set_ciphersuites(c, unknown), CWMP_ERR_UNSUPPORTED);
    assert_int_equal(cwmp_tls_config_set_ciphersuites(c, gcm_only), 0);
    struct srv s = {.lifetime = -1};
    uint16_t port = srv_start(&s);
    struct cwmp_tls_status st;
    assert_int_equal(client_run(c, port, "127.0.0.1", "localhost", NULL, &st, NULL), 0);
    srv_stop(&s);
    /* An RSA suite against an ECDSA certificate: no common suite. */
    assert_int_equal(cwmp_tls_config_set_ciphersuites(c, rsa_only), 0);
    struct srv s2 = {.lifetime = -1};
    port = srv_start(&s2);
    assert_int_equal(client_run(c, port, "127.0.0.1", "localhost", NULL, &st, NULL), CWMP_ERR_TLS);
    assert_int_equal(st.failures, CWMP_TLS_FAIL_HANDSHAKE);
    srv_stop(&s2);
    assert_int_equal(cwmp_tls_config_set_ciphersuites(c, NULL), 0); /* back to the default */
    struct srv s3 = {.lifetime = -1};
    port = srv_start(&s3);
    assert_int_equal(client_run(c, port, "127.0.0.1", "localhost", NULL, &st, NULL), 0);
    srv_stop(&s3);
    cwmp_tls_config_free(c);
}

static int sweep_config(const struct cwmp_allocator *a, void *ctx)
{
    (void) ctx;
    struct cwmp_tls_config *c;
    int rc = cwmp_tls_config_new(&c, CWMP_TLS_SERVER, a);
    if (rc == 0) {
        struct cwmp_tls_session *s;
        rc = cwmp_tls_session_new(&s, a);
        cwmp_tls_session_free(s);
        cwmp_tls_config_free(c);
    }
    return rc;
}

static void test_alloc_sweep(void **state)
{
    (void) state;
    assert_true(alloc_sweep(sweep_config, NULL, CWMP_ERR_NOMEM, 50) >= 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verify_ok_name_and_ip),
        cmocka_unit_test(test_verify_ok_ipv6),
        cmocka_unit_test(test_unknown_ca),
        cmocka_unit_test(test_wrong_name),
        cmocka_unit_test(test_wrong_ip),
        cmocka_unit_test(test_expired),
        cmocka_unit_test(test_revoked),
        cmocka_unit_test(test_client_certificate),
        cmocka_unit_test(test_resumption),
        cmocka_unit_test(test_resumption_seen_by_server),
        cmocka_unit_test(test_no_ca_fails_closed),
        cmocka_unit_test(test_verify_none_is_explicit),
        cmocka_unit_test(test_handshake_timeout),
        cmocka_unit_test(test_not_tls_peer),
        cmocka_unit_test(test_log_routing),
        cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_own_cert_mem),
        cmocka_unit_test(test_alloc_sweep),
        cmocka_unit_test(test_identity_rules),
        cmocka_unit_test(test_nonblocking_handshakes),
        cmocka_unit_test(test_shared_config_threads),
        cmocka_unit_test(test_ciphersuites),
        cmocka_unit_test(test_stream_behaviour),
        cmocka_unit_test(test_wrap_nomem),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
