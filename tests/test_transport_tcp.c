/*
 * libcwmp tests - plain TCP streams over 127.0.0.1.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "testutil.h"

#include <cwmp/transport.h>

struct pair {
    int lfd;
    struct cwmp_stream *client;
    struct cwmp_stream *server;
};

static void pair_open(struct pair *p)
{
    assert_int_equal(cwmp_tcp_listen("127.0.0.1", 0, 4, &p->lfd), 0);
    uint16_t port = cwmp_tcp_local_port(p->lfd);
    assert_true(port != 0);
    assert_int_equal(cwmp_tcp_connect(&test_allocator, "127.0.0.1", port, 2000, &p->client), 0);
    char peer[64];
    assert_int_equal(cwmp_tcp_accept(&test_allocator, p->lfd, 2000, peer, sizeof(peer), &p->server),
                     0);
    assert_true(strncmp(peer, "127.0.0.1:", 10) == 0);
    assert_int_equal(p->client->timeout_ms, 2000);
    assert_true(fcntl(p->client->fd, F_GETFD) & FD_CLOEXEC);
    assert_true(fcntl(p->server->fd, F_GETFD) & FD_CLOEXEC);
}

static void pair_close(struct pair *p)
{
    cwmp_stream_close(p->client);
    cwmp_stream_close(p->server);
    close(p->lfd);
}

static void test_roundtrip(void **state)
{
    (void) state;
    struct pair p;
    pair_open(&p);
    const uint8_t msg[] = "hello over tcp";
    assert_int_equal(cwmp_stream_write(p.client, msg, sizeof(msg)), (int) sizeof(msg));
    uint8_t buf[64];
    size_t got = 0;
    while (got < sizeof(msg)) {
        int n = cwmp_stream_read(p.server, buf + got, sizeof(buf) - got);
        assert_true(n > 0);
        got += (size_t) n;
    }
    assert_memory_equal(buf, msg, sizeof(msg));
    /* Orderly close gives 0 on the other side. */
    cwmp_stream_close(p.client);
    p.client = NULL;
    assert_int_equal(cwmp_stream_read(p.server, buf, sizeof(buf)), 0);
    pair_close(&p);
}

static void test_read_timeout(void **state)
{
    (void) state;
    struct pair p;
    pair_open(&p);
    p.server->timeout_ms = 30;
    uint8_t buf[8];
    assert_int_equal(cwmp_stream_read(p.server, buf, sizeof(buf)), CWMP_ERR_TIMEOUT);
    pair_close(&p);
}

static void test_nonblocking_again(void **state)
{
    (void) state;
    struct pair p;
    pair_open(&p);
    int fl = fcntl(p.server->fd, F_GETFL);
    assert_int_equal(fcntl(p.server->fd, F_SETFL, fl | O_NONBLOCK), 0);
    uint8_t buf[8];
    assert_int_equal(cwmp_stream_read(p.server, buf, sizeof(buf)), CWMP_ERR_AGAIN);
    /* Fill the send buffer of a non-blocking writer until it would block. */
    fl = fcntl(p.client->fd, F_GETFL);
    assert_int_equal(fcntl(p.client->fd, F_SETFL, fl | O_NONBLOCK), 0);
    static const uint8_t chunk[65536];
    int rv = 0;
    for (int i = 0; i < 4096 && rv >= 0; i++)
        rv = cwmp_stream_write(p.client, chunk, sizeof(chunk));
    assert_int_equal(rv, CWMP_ERR_AGAIN);
    pair_close(&p);
}

static void test_write_timeout(void **state)
{
    (void) state;
    struct pair p;
    pair_open(&p);
    p.client->timeout_ms = 30;
    static const uint8_t chunk[65536];
    int rv = 0;
    for (int i = 0; i < 4096 && rv >= 0; i++)
        rv = cwmp_stream_write(p.client, chunk, sizeof(chunk));
    assert_int_equal(rv, CWMP_ERR_TIMEOUT);
    pair_close(&p);
}

static void test_write_to_closed_peer_no_sigpipe(void **state)
{
    (void) state;
    /* Make sure SIGPIPE would kill us if it were raised. */
    signal(SIGPIPE, SIG_DFL);
    struct pair p;
    pair_open(&p);
    cwmp_stream_close(p.server);
    p.server = NULL;
    static const uint8_t chunk[4096];
    int rv = 0;
    for (int i = 0; i < 1000 && rv >= 0; i++)
        rv = cwmp_stream_write(p.client, chunk, sizeof(chunk));
    assert_true(rv == CWMP_ERR_CLOSED || rv == CWMP_ERR_IO);
    pair_close(&p);
}

static void test_connect_refused(void **state)
{
    (void) state;
    int lfd;
    assert_int_equal(cwmp_tcp_listen("127.0.0.1", 0, 1, &lfd), 0);
    uint16_t port = cwmp_tcp_local_port(lfd);
    close(lfd); /* nothing listens there now */
    struct cwmp_stream *s = (struct cwmp_stream *) 1;
    assert_int_equal(cwmp_tcp_connect(&test_allocator, "127.0.0.1", port, 2000, &s), CWMP_ERR_IO);
    assert_null(s);
}

static void test_accept_timeout_and_again(void **state)
{
    (void) state;
    int lfd;
    assert_int_equal(cwmp_tcp_listen("127.0.0.1", 0, 1, &lfd), 0);
    struct cwmp_stream *s = NULL;
    assert_int_equal(cwmp_tcp_accept(&test_allocator, lfd, 20, NULL, 0, &s), CWMP_ERR_TIMEOUT);
    assert_int_equal(cwmp_tcp_accept(&test_allocator, lfd, 0, NULL, 0, &s), CWMP_ERR_AGAIN);
    assert_null(s);
    close(lfd);
}

static void test_invalid_args(void **state)
{
    (void) state;
    struct cwmp_stream *s;
    assert_int_equal(cwmp_tcp_connect(NULL, NULL, 80, 10, &s), CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_tcp_connect(NULL, "127.0.0.1", 0, 10, &s), CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_tcp_connect(NULL, "127.0.0.1", 80, 10, NULL), CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_tcp_listen("127.0.0.1", 0, 1, NULL), CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_tcp_accept(NULL, -1, 0, NULL, 0, &s), CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_tcp_stream_from_fd(NULL, -1, &s), CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_tcp_local_port(-1), 0);
    cwmp_stream_close(NULL);
}

static void test_from_fd_and_nomem(void **state)
{
    (void) state;
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    struct failing_alloc fa;
    failing_alloc_init(&fa, 1, 1);
    struct cwmp_stream *s = (struct cwmp_stream *) 1;
    assert_int_equal(cwmp_tcp_stream_from_fd(&fa.a, sv[0], &s), CWMP_ERR_NOMEM);
    assert_null(s);
    /* sv[0] was closed (ownership taken): the other end sees EOF. */
    char c;
    assert_int_equal(read(sv[1], &c, 1), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv + 0), 0);
    assert_int_equal(cwmp_tcp_stream_from_fd(&test_allocator, sv[0], &s), 0);
    assert_int_equal(write(sv[1], "x", 1), 1);
    uint8_t b;
    assert_int_equal(cwmp_stream_read(s, &b, 1), 1);
    assert_int_equal(b, 'x');
    cwmp_stream_close(s);
    close(sv[1]);
}

/* A name goes through the resolver (/etc/hosts for localhost: no DNS); a
 * too-small peer buffer gives an empty string, never a truncated address. */
static void test_connect_by_name(void **state)
{
    (void) state;
    int lfd;
    assert_int_equal(cwmp_tcp_listen("127.0.0.1", 0, 4, &lfd), 0);
    uint16_t port = cwmp_tcp_local_port(lfd);
    struct cwmp_stream *c = NULL, *s = NULL;
    int rc = cwmp_tcp_connect(&test_allocator, "localhost", port, 2000, &c);
    if (rc != 0) {
        close(lfd);
        print_message("localhost does not resolve to 127.0.0.1 here (%d); skipped\n", rc);
        skip();
    }
    char peer[4] = "xyz";
    assert_int_equal(cwmp_tcp_accept(&test_allocator, lfd, 2000, peer, sizeof(peer), &s), 0);
    assert_string_equal(peer, "");
    cwmp_stream_close(c);
    cwmp_stream_close(s);
    close(lfd);
}

static void test_ipv6_brackets(void **state)
{
    (void) state;
    int lfd;
    if (cwmp_tcp_listen("::1", 0, 1, &lfd) != 0) {
        print_message("no IPv6 loopback here; skipped\n");
        skip();
    }
    uint16_t port = cwmp_tcp_local_port(lfd);
    struct cwmp_stream *c = NULL, *s = NULL;
    assert_int_equal(cwmp_tcp_connect(&test_allocator, "[::1]", port, 2000, &c), 0);
    char peer[64];
    assert_int_equal(cwmp_tcp_accept(&test_allocator, lfd, 2000, peer, sizeof(peer), &s), 0);
    assert_true(strncmp(peer, "[::1]:", 6) == 0);
    cwmp_stream_close(c);
    cwmp_stream_close(s);
    close(lfd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_read_timeout),
        cmocka_unit_test(test_nonblocking_again),
        cmocka_unit_test(test_write_timeout),
        cmocka_unit_test(test_write_to_closed_peer_no_sigpipe),
        cmocka_unit_test(test_connect_refused),
        cmocka_unit_test(test_accept_timeout_and_again),
        cmocka_unit_test(test_invalid_args),
        cmocka_unit_test(test_from_fd_and_nomem),
        cmocka_unit_test(test_connect_by_name),
        cmocka_unit_test(test_ipv6_brackets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
