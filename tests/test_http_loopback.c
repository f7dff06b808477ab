/*
 * libcwmp tests - HTTP over loopback TCP (127.0.0.1 only): a CWMP-shaped
 * session with digest auth, keep-alive and cookies; redirects; credential
 * rules; connection requests (correct, wrong password, wrong path, POST,
 * busy, flood, replayed nonce); downloads and uploads with their fault
 * codes; a slowloris head timeout. Every wait is bounded.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cwmp/http.h>

#include "testutil.h"

#define TIMEOUT 3000

/* ---- a scripted server ------------------------------------------------- */

struct reply {
    int chunked; /* send body with chunked transfer coding */
    int status;
    char headers[1024];
    const uint8_t *body;
    size_t body_len;
    int close;       /* Connection: close */
    const char *raw; /* send these bytes instead, then close */
    int trickle_ms;  /* send raw one byte every trickle_ms */
};

struct srv;
typedef void (*handler_fn)(struct srv *s, const struct cwmp_http_message *m, const uint8_t *body,
                           size_t len, struct reply *r);

struct srv {
    int lfd;
    uint16_t port;
    pthread_t th;
    atomic_int stop;
    atomic_int accepts;
    atomic_int requests;
    handler_fn handler;
    struct cwmp_http_auth_server *auth;
    struct cwmp_cr_listener *cr; /* serve connection requests instead */
    atomic_int cr_triggers;
    atomic_int busy;
    /* what the handler saw last */
    char last_target[256];
    char last_cookie[512];
    char last_authz[1024];
    size_t last_body_len;
    uint8_t upload[65536];
    void *user;
};

struct body_acc {
    uint8_t buf[65536];
    size_t len;
};

static int acc_sink(void *user, const uint8_t *d, size_t n)
{
    struct body_acc *a = user;
    if (a->len + n > sizeof(a->buf))
        return 1;
    memcpy(a->buf + a->len, d, n);
    a->len += n;
    return 0;
}

static int busy_cb(void *user)
{
    struct srv *s = user;
    return atomic_load(&s->busy);
}

static void serve_conn(struct srv *s, struct cwmp_stream *st)
{
    if (s->cr) {
        int rv = cwmp_cr_serve(s->cr, st, 0, busy_cb, s);
        if (rv == 1)
            atomic_fetch_add(&s->cr_triggers, 1);
        return;
    }
    struct cwmp_http_parser *p;
    /* No cmocka asserts on this thread (cmocka is single-threaded). */
    if (cwmp_http_parser_new(&p, NULL, CWMP_HTTP_PARSE_REQUEST, NULL) != 0)
        return;
    uint8_t buf[16384];
    size_t blen = 0;
    static struct body_acc acc; /* one server thread at a time */
    for (;;) {
        int rv = cwmp_http_read_head(st, p, buf, sizeof(buf), &blen, TIMEOUT);
        if (rv != CWMP_HTTP_EV_HEADERS)
            break;
        const struct cwmp_http_message *m = cwmp_http_parser_message(p);
        snprintf(s->last_target, sizeof(s->last_target), "%s", m->target);
        const char *ck = cwmp_http_message_header(m, "Cookie");
        snprintf(s->last_cookie, sizeof(s->last_cookie), "%s", ck ? ck : "");
        const char *az = cwmp_http_message_header(m, "Authorization");
        snprintf(s->last_authz, sizeof(s->last_authz), "%s", az ? az : "");
        acc.len = 0;
        if (cwmp_http_read_body(st, p, buf, sizeof(buf), &blen, acc_sink, &acc) != 0)
            break;
        s->last_body_len = acc.len;
        atomic_fetch_add(&s->requests, 1);
        struct reply r;
        memset(&r, 0, sizeof(r));
        r.status = 200;
        s->handler(s, m, acc.buf, acc.len, &r);
        if (r.raw && r.trickle_ms) {
            for (const char *q = r.raw; *q && !atomic_load(&s->stop); q++) {
                if (cwmp_stream_write_all(st, (const uint8_t *) q, 1) != 0)
                    break;
                usleep((useconds_t) r.trickle_ms * 1000);
            }
            break;
        }
        if (r.raw) {
            cwmp_stream_write_all(st, (const uint8_t *) r.raw, strlen(r.raw));
            break;
        }
        int keep = m->keep_alive && !r.close;
        if (r.chunked) {
            size_t half = r.body_len / 2;
            if (cwmp_http_write_head(st, r.status, r.headers, -1, keep) != 0 ||
                cwmp_http_write_chunk(st, r.body, half) != 0 ||
                cwmp_http_write_chunk(st, r.body + half, r.body_len - half) != 0 ||
                cwmp_http_write_chunk(st, NULL, 0) != 0 || !keep)
                break;
            continue;
        }
        if (cwmp_http_write_response(st, r.status, r.headers, r.body, r.body_len, keep) != 0 ||
            !keep)
            break;
    }
    cwmp_http_parser_free(p);
}

static void *srv_main(void *arg)
{
    struct srv *s = arg;
    while (!atomic_load(&s->stop)) {
        struct cwmp_stream *st = NULL;
        int rv = cwmp_tcp_accept(NULL, s->lfd, 50, NULL, 0, &st);
        if (rv != 0)
            continue;
        atomic_fetch_add(&s->accepts, 1);
        st->timeout_ms = TIMEOUT;
        serve_conn(s, st);
        cwmp_stream_close(st);
    }
    return NULL;
}

static void srv_start(struct srv *s, handler_fn h)
{
    memset(s, 0, sizeof(*s));
    s->handler = h;
    assert_int_equal(cwmp_tcp_listen("127.0.0.1", 0, 8, &s->lfd), 0);
    s->port = cwmp_tcp_local_port(s->lfd);
    assert_true(s->port != 0);
    assert_int_equal(pthread_create(&s->th, NULL, srv_main, s), 0);
}

static void srv_stop(struct srv *s)
{
    atomic_store(&s->stop, 1);
    pthread_join(s->th, NULL);
    close(s->lfd);
}

static int lookup(void *user, const char *username, char *buf, size_t size)
{
    (void) user;
    if (strcmp(username, "cpe") != 0)
        return -1;
    snprintf(buf, size, "pass");
    return 0;
}

static struct cwmp_http_client_config client_cfg(const char *user, const char *pw)
{
    struct cwmp_http_client_config c;
    memset(&c, 0, sizeof(c));
    c.alloc = &test_allocator;
    c.username = user;
    c.password = pw;
    c.timeout_ms = TIMEOUT;
    return c;
}

static void url_of(const struct srv *s, const char *host, const char *path, char *out, size_t size)
{
    snprintf(out, size, "http://%s:%u%s", host, (unsigned) s->port, path);
}

/* ---- a CWMP-shaped session -------------------------------------------- */

static void h_acs(struct srv *s, const struct cwmp_http_message *m, const uint8_t *body, size_t len,
                  struct reply *r)
{
    int stale = 0;
    const char *az = cwmp_http_message_header(m, "Authorization");
    if (cwmp_http_auth_server_verify(s->auth, m->method, m->target, az, 0, 0, &stale, NULL, 0)) {
        r->status = 401;
        cwmp_http_auth_server_challenge(s->auth, 0, stale, 0, r->headers, sizeof(r->headers));
        return;
    }
    (void) body;
    if (len > 0) {
        static const char resp[] = "<InformResponse/>";
        r->status = 200;
        snprintf(r->headers, sizeof(r->headers),
                 "Content-Type: text/xml; charset=\"utf-8\"\r\n"
                 "Set-Cookie: session=s1; Path=/\r\n");
        r->body = (const uint8_t *) resp;
        r->body_len = sizeof(resp) - 1;
    } else {
        r->status = 204;
    }
}

static void test_cwmp_session(void **state)
{
    (void) state;
    struct srv s;
    srv_start(&s, h_acs);
    struct cwmp_http_auth_server_config ac = {
        .realm = "acs", .digest_sha256 = 1, .password = lookup};
    assert_int_equal(cwmp_http_auth_server_new(&s.auth, &ac), 0);
    char url[128];
    url_of(&s, "127.0.0.1", "/acs", url, sizeof(url));
    struct cwmp_http_client_config cfg = client_cfg("cpe", "pass");
    struct cwmp_http_client *c;
    assert_int_equal(cwmp_http_client_new(&c, &cfg, url), 0);
    static uint8_t inform[8192];
    memset(inform, 'x', sizeof(inform));
    struct cwmp_http_response r;
    for (int session = 0; session < 2; session++) {
        assert_int_equal(cwmp_http_client_request(c, "POST", "text/xml; charset=\"utf-8\"", "",
                                                  inform, sizeof(inform), &r),
                         0);
        assert_int_equal(r.status, 200);
        assert_int_equal(r.body_len, 17);
        assert_memory_equal(r.body, "<InformResponse/>", 17);
        assert_string_equal(r.content_type, "text/xml; charset=\"utf-8\"");
        assert_int_equal(s.last_body_len, sizeof(inform));
        assert_int_equal(cwmp_cookie_jar_count(cwmp_http_client_cookies(c)), 1);
        /* Empty POST: cookie returned, digest answered without a new 401. */
        int before = atomic_load(&s.requests);
        assert_int_equal(cwmp_http_client_request(c, "POST", NULL, NULL, NULL, 0, &r), 0);
        assert_int_equal(r.status, 204);
        assert_int_equal(r.body_len, 0);
        assert_int_equal(atomic_load(&s.requests), before + 1);
        assert_string_equal(s.last_cookie, "session=s1");
        assert_non_null(strstr(s.last_authz, "algorithm=SHA-256"));
        cwmp_http_client_end_session(c);
        assert_int_equal(cwmp_cookie_jar_count(cwmp_http_client_cookies(c)), 0);
    }
    /* One connection per session, 401 + 2 requests each. */
    assert_int_equal(atomic_load(&s.accepts), 2);
    assert_int_equal(atomic_load(&s.requests), 6);
    cwmp_http_client_free(c);

    /* Wrong password: CWMP_ERR_AUTH after one retry. */
    cfg.password = "wrong";
    assert_int_equal(cwmp_http_client_new(&c, &cfg, url), 0);
    assert_int_equal(cwmp_http_client_request(c, "POST", NULL, NULL, NULL, 0, &r), CWMP_ERR_AUTH);
    assert_int_equal(r.status, 401);
    cwmp_http_client_free(c);
    srv_stop(&s);
    cwmp_http_auth_server_free(s.auth);
}

/* ---- redirects --------------------------------------------------------- */

static void h_redirect(struct srv *s, const struct cwmp_http_message *m, const uint8_t *body,
                       size_t len, struct reply *r)
{
    (void) body;
    (void) len;
    if (strcmp(m->target, "/old") == 0) {
        r->status = 307;
        snprintf(r->headers, sizeof(r->headers), "Location: /new\r\n");
    } else if (strcmp(m->target, "/loop") == 0) {
        r->status = 302;
        snprintf(r->headers, sizeof(r->headers), "Location: /loop\r\n");
    } else if (strcmp(m->target, "/away") == 0) {
        r->status = 302;
        snprintf(r->headers, sizeof(r->headers), "Location: http://localhost:%u/new\r\n",
                 (unsigned) s->port);
    } else if (strcmp(m->target, "/new") == 0) {
        if (!cwmp_http_message_header(m, "Authorization")) {
            r->status = 401;
            snprintf(r->headers, sizeof(r->headers),
                     "WWW-Authenticate: Digest realm=\"r\", nonce=\"n1\", qop=\"auth\"\r\n");
        } else {
            r->status = 204;
        }
    } else if (strcmp(m->target, "/basic") == 0) {
        r->status = 401;
        snprintf(r->headers, sizeof(r->headers), "WWW-Authenticate: Basic realm=\"r\"\r\n");
    } else {
        r->status = 404;
    }
}

static void test_redirects(void **state)
{
    (void) state;
    struct srv s;
    srv_start(&s, h_redirect);
    char url[128], newurl[128];
    struct cwmp_http_client_config cfg = client_cfg("cpe", "pass");
    struct cwmp_http_client *c;
    struct cwmp_http_response r;
    url_of(&s, "127.0.0.1", "/old", url, sizeof(url));
    url_of(&s, "127.0.0.1", "/new", newurl, sizeof(newurl));
    assert_int_equal(cwmp_http_client_new(&c, &cfg, url), 0);
    assert_int_equal(cwmp_http_client_request(c, "POST", NULL, NULL, (const uint8_t *) "ab", 2, &r),
                     0);
    assert_int_equal(r.status, 204);
    assert_int_equal(s.last_body_len, 2); /* 307 re-sends the body */
    assert_string_equal(cwmp_http_client_url(c), newurl);
    /* The rest of the session stays on the new URL. */
    assert_int_equal(cwmp_http_client_request(c, "POST", NULL, NULL, NULL, 0, &r), 0);
    assert_string_equal(s.last_target, "/new");
    cwmp_http_client_end_session(c);
    assert_string_equal(cwmp_http_client_url(c), url);
    cwmp_http_client_free(c);

    /* Loop: at most 5 redirects. */
    url_of(&s, "127.0.0.1", "/loop", url, sizeof(url));
    int before = atomic_load(&s.requests);
    assert_int_equal(cwmp_http_client_new(&c, &cfg, url), 0);
    assert_int_equal(cwmp_http_client_request(c, "GET", NULL, NULL, NULL, 0, &r), CWMP_ERR_HTTP);
    assert_int_equal(atomic_load(&s.requests) - before, 6);
    cwmp_http_client_free(c);

    /* Another host: credentials are not sent there. */
    url_of(&s, "127.0.0.1", "/away", url, sizeof(url));
    assert_int_equal(cwmp_http_client_new(&c, &cfg, url), 0);
    assert_int_equal(cwmp_http_client_request(c, "GET", NULL, NULL, NULL, 0, &r), CWMP_ERR_AUTH);
    assert_int_equal(r.status, 401);
    cwmp_http_client_free(c);
    /* ... unless allowed. */
    cfg.allow_credentials_cross_host = 1;
    assert_int_equal(cwmp_http_client_new(&c, &cfg, url), 0);
    assert_int_equal(cwmp_http_client_request(c, "GET", NULL, NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 204);
    cwmp_http_client_free(c);

    /* Basic over plain HTTP: refused unless allowed. */
    cfg.allow_credentials_cross_host = 0;
    url_of(&s, "127.0.0.1", "/basic", url, sizeof(url));
    assert_int_equal(cwmp_http_client_new(&c, &cfg, url), 0);
    assert_int_equal(cwmp_http_client_request(c, "GET", NULL, NULL, NULL, 0, &r), CWMP_ERR_AUTH);
    assert_string_equal(s.last_authz, "");
    cwmp_http_client_free(c);
    cfg.allow_basic_without_tls = 1;
    assert_int_equal(cwmp_http_client_new(&c, &cfg, url), 0);
    assert_int_equal(cwmp_http_client_request(c, "GET", NULL, NULL, NULL, 0, &r), CWMP_ERR_AUTH);
    assert_string_equal(s.last_authz, "Basic Y3BlOnBhc3M=");
    cwmp_http_client_free(c);

    /* https without a TLS config: refused, never plain. */
    assert_int_equal(cwmp_http_client_new(&c, &cfg, "https://127.0.0.1/"), CWMP_ERR_UNSUPPORTED);
    assert_int_equal(cwmp_http_client_new(&c, &cfg, "ftp://127.0.0.1/"), CWMP_ERR_UNSUPPORTED);
    srv_stop(&s);
}

/* ---- connection requests ---------------------------------------------- */

static void cr_start(struct srv *s, unsigned burst)
{
    memset(s, 0, sizeof(*s));
    struct cwmp_cr_config cc = {.alloc = NULL,
                                .path = "/cr",
                                .burst = burst,
                                .refill_ms = 600000,
                                .header_timeout_ms = TIMEOUT,
                                .password = lookup};
    assert_int_equal(cwmp_cr_listener_new(&s->cr, &cc), 0);
    assert_int_equal(cwmp_tcp_listen("127.0.0.1", 0, 8, &s->lfd), 0);
    s->port = cwmp_tcp_local_port(s->lfd);
    assert_int_equal(pthread_create(&s->th, NULL, srv_main, s), 0);
}

static void test_connection_request_tcp(void **state)
{
    (void) state;
    struct srv s;
    cr_start(&s, 3);
    char url[128];
    int st;
    struct cwmp_http_client_config cfg = client_cfg("cpe", "pass");
    url_of(&s, "127.0.0.1", "/cr", url, sizeof(url));
    /* correct credentials: a session is triggered */
    assert_int_equal(cwmp_cr_send(&cfg, url, &st), 0);
    assert_int_equal(st, 200);
    /* wrong password */
    cfg.password = "nope";
    assert_int_equal(cwmp_cr_send(&cfg, url, &st), CWMP_ERR_AUTH);
    assert_int_equal(st, 401);
    /* wrong path */
    cfg.password = "pass";
    url_of(&s, "127.0.0.1", "/other", url, sizeof(url));
    assert_int_equal(cwmp_cr_send(&cfg, url, &st), CWMP_ERR_HTTP);
    assert_int_equal(st, 404);
    /* POST */
    url_of(&s, "127.0.0.1", "/cr", url, sizeof(url));
    struct cwmp_http_client *c;
    struct cwmp_http_response r;
    assert_int_equal(cwmp_http_client_new(&c, &cfg, url), 0);
    assert_int_equal(cwmp_http_client_request(c, "POST", NULL, NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 405);
    cwmp_http_client_free(c);
    /* busy */
    atomic_store(&s.busy, 1);
    assert_int_equal(cwmp_cr_send(&cfg, url, &st), CWMP_ERR_HTTP);
    assert_int_equal(st, 503);
    atomic_store(&s.busy, 0);
    /* flood: burst 3, two used above (good + wrong password) */
    assert_int_equal(cwmp_cr_send(&cfg, url, &st), 0);
    assert_int_equal(cwmp_cr_send(&cfg, url, &st), CWMP_ERR_HTTP);
    assert_int_equal(st, 503);
    srv_stop(&s);
    assert_int_equal(atomic_load(&s.cr_triggers), 2);
    cwmp_cr_listener_free(s.cr);
}

/* The pure listener: replayed nonce, HEAD, body, stale. */
static const struct cwmp_http_message *parse_req(struct cwmp_http_parser *p, const char *text)
{
    size_t used;
    const uint8_t *b;
    size_t bl;
    cwmp_http_parser_reset(p);
    int ev = cwmp_http_parser_execute(p, (const uint8_t *) text, strlen(text), &used, &b, &bl);
    assert_int_equal(ev, CWMP_HTTP_EV_HEADERS);
    return cwmp_http_parser_message(p);
}

static void test_cr_listener_pure(void **state)
{
    (void) state;
    struct cwmp_cr_listener *l;
    struct cwmp_cr_config cc = {.alloc = &test_allocator,
                                .path = "/cr",
                                .realm = "cpe",
                                .nonce_lifetime_ms = 1000,
                                .burst = 10,
                                .refill_ms = 1000,
                                .password = lookup};
    assert_int_equal(cwmp_cr_listener_new(&l, &cc), 0);
    struct cwmp_http_parser *p;
    assert_int_equal(cwmp_http_parser_new(&p, &test_allocator, CWMP_HTTP_PARSE_REQUEST, NULL), 0);
    struct cwmp_cr_result res;
    cwmp_time_ms t = 50000;
    assert_int_equal(cwmp_cr_listener_handle(l, parse_req(p, "GET /cr HTTP/1.1\r\nHost: h\r\n\r\n"),
                                             0, 0, t, &res),
                     0);
    assert_int_equal(res.status, 401);
    assert_false(res.trigger);
    /* answer the challenge */
    struct cwmp_http_auth_params ch;
    const char *v = strstr(res.headers, "Digest");
    const char *e = strstr(v, "\r\n");
    assert_int_equal(cwmp_http_auth_parse(v, (size_t) (e - v), 1, &ch), 0);
    char authz[1024], req[1400];
    assert_int_equal(cwmp_http_auth_authorization(&ch, "cpe", "pass", "GET", "/cr", 1, NULL, NULL,
                                                  authz, sizeof(authz)),
                     0);
    snprintf(req, sizeof(req), "GET /cr HTTP/1.1\r\nHost: h\r\nAuthorization: %s\r\n\r\n", authz);
    assert_int_equal(cwmp_cr_listener_handle(l, parse_req(p, req), 0, 0, t + 1, &res), 0);
    assert_int_equal(res.status, 200);
    assert_true(res.trigger);
    /* replayed: refused */
    assert_int_equal(cwmp_cr_listener_handle(l, parse_req(p, req), 0, 0, t + 2, &res), 0);
    assert_int_equal(res.status, 401);
    assert_false(res.trigger);
    /* the same credentials after the nonce expired: stale challenge */
    assert_int_equal(cwmp_http_auth_authorization(&ch, "cpe", "pass", "GET", "/cr", 2, NULL, NULL,
                                                  authz, sizeof(authz)),
                     0);
    snprintf(req, sizeof(req), "GET /cr HTTP/1.1\r\nHost: h\r\nAuthorization: %s\r\n\r\n", authz);
    assert_int_equal(cwmp_cr_listener_handle(l, parse_req(p, req), 0, 0, t + 5000, &res), 0);
    assert_int_equal(res.status, 401);
    assert_non_null(strstr(res.headers, "stale=true"));
    /* HEAD, a body, absolute-form target */
    assert_int_equal(cwmp_cr_listener_handle(
                         l, parse_req(p, "HEAD /cr HTTP/1.1\r\nHost: h\r\n\r\n"), 0, 0, t, &res),
                     0);
    assert_int_equal(res.status, 405);
    assert_non_null(strstr(res.headers, "Allow: GET"));
    assert_int_equal(cwmp_cr_listener_handle(
                         l,
                         parse_req(p, "GET /cr HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n"),
                         0, 0, t, &res),
                     0);
    assert_int_equal(res.status, 413);
    assert_int_equal(cwmp_cr_listener_handle(
                         l, parse_req(p, "GET http://10.0.0.1:7547/cr HTTP/1.1\r\nHost: h\r\n\r\n"),
                         0, 0, t, &res),
                     0);
    assert_int_equal(res.status, 401);
    assert_int_equal(cwmp_cr_listener_handle(
                         l, parse_req(p, "GET /cr/ HTTP/1.1\r\nHost: h\r\n\r\n"), 0, 0, t, &res),
                     0);
    assert_int_equal(res.status, 404);
    cwmp_http_parser_free(p);
    cwmp_cr_listener_free(l);
}

/* The rate limiter as a pure function of time. */
static void test_cr_rate_limit(void **state)
{
    (void) state;
    struct cwmp_cr_listener *l;
    struct cwmp_cr_config cc = {
        .alloc = &test_allocator, .path = "/cr", .burst = 2, .refill_ms = 1000, .password = lookup};
    assert_int_equal(cwmp_cr_listener_new(&l, &cc), 0);
    struct cwmp_http_parser *p;
    assert_int_equal(cwmp_http_parser_new(&p, &test_allocator, CWMP_HTTP_PARSE_REQUEST, NULL), 0);
    const char *bad = "GET /cr HTTP/1.1\r\nHost: h\r\nAuthorization: Digest username=\"cpe\", "
                      "realm=\"r\", nonce=\"n\", uri=\"/cr\", response=\"0\"\r\n\r\n";
    static const struct {
        cwmp_time_ms t;
        int status;
    } steps[] = {
        {10000, 401}, {10001, 401}, {10002, 503}, /* burst of 2 used up */
        {10999, 503}, {11000, 401}, {11001, 503}, /* one more per second */
        {15000, 401}, {15001, 401}, {15002, 503}, /* refills only up to the burst */
        {9000, 503},                              /* clock went back: no refill... */
        {10000, 401},                             /* ...but no starvation either */
    };
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        struct cwmp_cr_result res;
        assert_int_equal(cwmp_cr_listener_handle(l, parse_req(p, bad), 0, 0, steps[i].t, &res), 0);
        if (res.status != steps[i].status)
            print_error("step %zu: %d\n", i, res.status);
        assert_int_equal(res.status, steps[i].status);
        assert_false(res.trigger);
        if (res.status == 503)
            assert_non_null(strstr(res.headers, "Retry-After: 1\r\n"));
    }
    /* Requests without credentials are not counted. */
    struct cwmp_cr_result res;
    assert_int_equal(cwmp_cr_listener_handle(l, parse_req(p, "GET /cr HTTP/1.1\r\nHost: h\r\n\r\n"),
                                             0, 0, 10000, &res),
                     0);
    assert_int_equal(res.status, 401);
    cwmp_http_parser_free(p);
    cwmp_cr_listener_free(l);
}

/* ---- file transfers ---------------------------------------------------- */

static uint8_t file_data[20000];

static void h_files(struct srv *s, const struct cwmp_http_message *m, const uint8_t *body,
                    size_t len, struct reply *r)
{
    if (strcmp(m->method, "PUT") == 0 || strcmp(m->method, "POST") == 0) {
        if (strcmp(m->target, "/fail") == 0) {
            r->status = 500;
            return;
        }
        const char *az = cwmp_http_message_header(m, "Authorization");
        if (strcmp(m->target, "/secret.bin") == 0 &&
            (!az || strcmp(az, "Basic Y3BlOnBhc3M=") != 0)) {
            r->status = 401;
            snprintf(r->headers, sizeof(r->headers), "WWW-Authenticate: Basic realm=\"f\"\r\n");
            return;
        }
        memcpy(s->upload, body, len < sizeof(s->upload) ? len : sizeof(s->upload));
        r->status = 201;
        return;
    }
    if (strcmp(m->target, "/fw.bin") == 0) {
        r->body = file_data;
        r->body_len = sizeof(file_data);
    } else if (strcmp(m->target, "/secret.bin") == 0) {
        const char *az = cwmp_http_message_header(m, "Authorization");
        if (!az || strcmp(az, "Basic Y3BlOnBhc3M=") != 0) {
            r->status = 401;
            snprintf(r->headers, sizeof(r->headers), "WWW-Authenticate: Basic realm=\"f\"\r\n");
            return;
        }
        r->body = file_data;
        r->body_len = 100;
    } else if (strcmp(m->target, "/chunked.bin") == 0) {
        r->body = file_data;
        r->body_len = sizeof(file_data);
        r->chunked = 1;
    } else if (strcmp(m->target, "/slow.bin") == 0) {
        /* a server dripping its head: the client gives up on its deadline */
        r->raw = "HTTP/1.1 200 OK\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        r->trickle_ms = 50;
    } else if (strcmp(m->target, "/short.bin") == 0) {
        r->raw = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789";
    } else {
        r->status = 404;
    }
}

struct sink {
    uint8_t data[sizeof(file_data)];
    size_t len;
    char name[64];
    uint64_t last_done, last_total;
    int progress_calls;
};

static int sink_open(void *user, const char *name, uint64_t size)
{
    struct sink *k = user;
    (void) size;
    snprintf(k->name, sizeof(k->name), "%s", name ? name : "");
    return 0;
}

static int sink_write(void *user, const uint8_t *d, size_t n)
{
    struct sink *k = user;
    if (k->len + n > sizeof(k->data))
        return CWMP_FAULT_DOWNLOAD_FAILURE;
    memcpy(k->data + k->len, d, n);
    k->len += n;
    return 0;
}

static void sink_progress(void *user, uint64_t done, uint64_t total)
{
    struct sink *k = user;
    k->last_done = done;
    k->last_total = total;
    k->progress_calls++;
}

static int read_file_data(void *user, uint64_t offset, uint8_t *buf, size_t len)
{
    (void) user;
    if (offset >= sizeof(file_data))
        return -1;
    size_t n = sizeof(file_data) - (size_t) offset;
    if (n > len)
        n = len;
    if (n > 7000)
        n = 7000; /* odd pieces */
    memcpy(buf, file_data + offset, n);
    return (int) n;
}

static int read_fail(void *user, uint64_t offset, uint8_t *buf, size_t len)
{
    (void) user;
    (void) offset;
    (void) buf;
    (void) len;
    return -1;
}

static void test_transfers(void **state)
{
    (void) state;
    for (size_t i = 0; i < sizeof(file_data); i++)
        file_data[i] = (uint8_t) (i * 7);
    struct srv s;
    srv_start(&s, h_files);
    struct cwmp_http_client_config cfg = client_cfg(NULL, NULL);
    static struct sink k;
    char url[128], detail[256];
    struct cwmp_http_transfer t;
    memset(&t, 0, sizeof(t));
    t.url = url;
    t.target_file_name = "fw.bin";
    t.open = sink_open;
    t.write = sink_write;
    t.progress = sink_progress;
    t.user = &k;

    url_of(&s, "127.0.0.1", "/fw.bin", url, sizeof(url));
    memset(&k, 0, sizeof(k));
    assert_int_equal(cwmp_http_download(&cfg, &t, detail, sizeof(detail)), 0);
    assert_int_equal(k.len, sizeof(file_data));
    assert_memory_equal(k.data, file_data, sizeof(file_data));
    assert_string_equal(k.name, "fw.bin");
    assert_int_equal(k.last_done, sizeof(file_data));
    assert_int_equal(k.last_total, sizeof(file_data));
    assert_true(k.progress_calls >= 1);
    /* chunked, size unknown in advance */
    url_of(&s, "127.0.0.1", "/chunked.bin", url, sizeof(url));
    memset(&k, 0, sizeof(k));
    assert_int_equal(cwmp_http_download(&cfg, &t, detail, sizeof(detail)), 0);
    assert_int_equal(k.len, sizeof(file_data));
    assert_memory_equal(k.data, file_data, sizeof(file_data));
    assert_int_equal(k.last_total, 0);
    t.file_size = sizeof(file_data) + 1;
    memset(&k, 0, sizeof(k));
    assert_int_equal(cwmp_http_download(&cfg, &t, detail, sizeof(detail)),
                     CWMP_FAULT_DOWNLOAD_INCOMPLETE);
    t.file_size = 0;
    url_of(&s, "127.0.0.1", "/fw.bin", url, sizeof(url));
    /* FileSize mismatch: 9018; size limit: 9010 */
    t.file_size = 100;
    assert_int_equal(cwmp_http_download(&cfg, &t, detail, sizeof(detail)),
                     CWMP_FAULT_FILE_CORRUPTED);
    t.file_size = 0;
    t.max_size = 1000;
    assert_int_equal(cwmp_http_download(&cfg, &t, detail, sizeof(detail)),
                     CWMP_FAULT_DOWNLOAD_FAILURE);
    t.max_size = 0;
    /* 404: 9016 */
    url_of(&s, "127.0.0.1", "/missing.bin", url, sizeof(url));
    assert_int_equal(cwmp_http_download(&cfg, &t, detail, sizeof(detail)),
                     CWMP_FAULT_FILE_ACCESS_FAILURE);
    assert_string_equal(detail, "HTTP status 404");
    /* auth: none or wrong → 9012; right → 0 */
    url_of(&s, "127.0.0.1", "/secret.bin", url, sizeof(url));
    assert_int_equal(cwmp_http_download(&cfg, &t, detail, sizeof(detail)),
                     CWMP_FAULT_FILE_SERVER_AUTH_FAILURE);
    cfg.allow_basic_without_tls = 1;
    t.username = "cpe";
    t.password = "bad";
    assert_int_equal(cwmp_http_download(&cfg, &t, detail, sizeof(detail)),
                     CWMP_FAULT_FILE_SERVER_AUTH_FAILURE);
    t.password = "pass";
    memset(&k, 0, sizeof(k));
    assert_int_equal(cwmp_http_download(&cfg, &t, detail, sizeof(detail)), 0);
    assert_int_equal(k.len, 100);
    /* truncated: 9017 */
    url_of(&s, "127.0.0.1", "/short.bin", url, sizeof(url));
    assert_int_equal(cwmp_http_download(&cfg, &t, detail, sizeof(detail)),
                     CWMP_FAULT_DOWNLOAD_INCOMPLETE);
    /* a server dripping bytes: the whole response has a deadline (4 x timeout) */
    url_of(&s, "127.0.0.1", "/slow.bin", url, sizeof(url));
    struct cwmp_http_client_config quick = cfg;
    quick.timeout_ms = 150;
    assert_int_equal(cwmp_http_download(&quick, &t, detail, sizeof(detail)),
                     CWMP_FAULT_DOWNLOAD_INCOMPLETE);
    assert_non_null(strstr(detail, "in time"));
    /* unsupported protocols: 9013 */
    t.url = "ftp://127.0.0.1/fw.bin";
    assert_int_equal(cwmp_http_download(&cfg, &t, detail, sizeof(detail)),
                     CWMP_FAULT_UNSUPPORTED_PROTOCOL);
    t.url = "sftp://127.0.0.1/fw.bin";
    assert_int_equal(cwmp_http_download(&cfg, &t, detail, sizeof(detail)),
                     CWMP_FAULT_UNSUPPORTED_PROTOCOL);
    t.url = "https://127.0.0.1/fw.bin";
    assert_int_equal(cwmp_http_download(&cfg, &t, detail, sizeof(detail)),
                     CWMP_FAULT_UNSUPPORTED_PROTOCOL);
    /* upload PUT and POST; a server error gives 9011 */
    t.url = url;
    static const uint8_t pm[] = "<measCollecFile/>";
    t.data = pm;
    t.data_len = sizeof(pm) - 1;
    t.content_type = "text/xml";
    url_of(&s, "127.0.0.1", "/pm/file.xml", url, sizeof(url));
    assert_int_equal(cwmp_http_upload(&cfg, &t, detail, sizeof(detail)), 0);
    assert_memory_equal(s.upload, pm, sizeof(pm) - 1);
    t.method = "POST";
    assert_int_equal(cwmp_http_upload(&cfg, &t, detail, sizeof(detail)), 0);
    url_of(&s, "127.0.0.1", "/fail", url, sizeof(url));
    assert_int_equal(cwmp_http_upload(&cfg, &t, detail, sizeof(detail)), CWMP_FAULT_UPLOAD_FAILURE);
    /* streamed from a callback, across a 401 (re-read from offset 0) */
    url_of(&s, "127.0.0.1", "/pm/big.xml", url, sizeof(url));
    t.data = NULL;
    t.data_len = sizeof(file_data);
    t.read = read_file_data;
    t.method = "PUT";
    memset(s.upload, 0, sizeof(s.upload));
    assert_int_equal(cwmp_http_upload(&cfg, &t, detail, sizeof(detail)), 0);
    assert_memory_equal(s.upload, file_data, sizeof(file_data));
    url_of(&s, "127.0.0.1", "/secret.bin", url, sizeof(url));
    t.username = "cpe";
    t.password = "pass";
    int before = atomic_load(&s.requests);
    memset(s.upload, 0, sizeof(s.upload));
    assert_int_equal(cwmp_http_upload(&cfg, &t, detail, sizeof(detail)), 0);
    assert_int_equal(atomic_load(&s.requests) - before, 2); /* 401, then the file again */
    assert_memory_equal(s.upload, file_data, sizeof(file_data));
    t.read = read_fail;
    assert_int_equal(cwmp_http_upload(&cfg, &t, detail, sizeof(detail)), CWMP_FAULT_UPLOAD_FAILURE);
    t.read = NULL;
    t.data = pm;
    t.data_len = sizeof(pm) - 1;
    t.method = "DELETE";
    assert_int_equal(cwmp_http_upload(&cfg, &t, detail, sizeof(detail)),
                     CWMP_FAULT_INVALID_ARGUMENTS);
    uint16_t dead = s.port;
    srv_stop(&s);
    /* nobody listening: 9015 */
    snprintf(url, sizeof(url), "http://127.0.0.1:%u/fw.bin", (unsigned) dead);
    t.method = NULL;
    assert_int_equal(cwmp_http_download(&cfg, &t, detail, sizeof(detail)),
                     CWMP_FAULT_FILE_SERVER_UNREACHABLE);
}

/* ---- slowloris on the server helper ------------------------------------ */

static void test_head_timeout(void **state)
{
    (void) state;
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    struct cwmp_stream *st;
    assert_int_equal(cwmp_tcp_stream_from_fd(&test_allocator, sv[0], &st), 0);
    st->timeout_ms = 100;
    static const char part[] = "GET /cr HTTP/1.1\r\nHost: a\r\nX-Slow: ";
    assert_int_equal(write(sv[1], part, sizeof(part) - 1), (ssize_t) sizeof(part) - 1);
    struct cwmp_http_parser *p;
    assert_int_equal(cwmp_http_parser_new(&p, &test_allocator, CWMP_HTTP_PARSE_REQUEST, NULL), 0);
    uint8_t buf[256];
    size_t blen = 0;
    int rv = cwmp_http_read_head(st, p, buf, sizeof(buf), &blen, 300);
    assert_int_equal(rv, CWMP_ERR_TIMEOUT);
    /* A peer closing mid-head is an error; on an idle connection it is 0. */
    close(sv[1]);
    blen = 0;
    assert_int_equal(cwmp_http_read_head(st, p, buf, sizeof(buf), &blen, 300), 0);
    cwmp_http_parser_free(p);
    cwmp_stream_close(st);
}

/* A body dribbled a byte at a time, each within the per-read timeout:
 * cwmp_http_read_body_timed() gives up at its deadline. */
struct dribble {
    int fd;
    atomic_int stop;
};

static void *dribble_main(void *arg)
{
    struct dribble *d = arg;
    for (int i = 0; i < 100 && !atomic_load(&d->stop); i++) {
        if (send(d->fd, "x", 1, MSG_NOSIGNAL) != 1)
            break;
        usleep(30 * 1000);
    }
    return NULL;
}

static void test_body_timeout(void **state)
{
    (void) state;
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    struct cwmp_stream *st;
    assert_int_equal(cwmp_tcp_stream_from_fd(&test_allocator, sv[0], &st), 0);
    st->timeout_ms = 2000; /* each byte comes well within this */
    static const char head[] = "POST /acs HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n";
    assert_int_equal(write(sv[1], head, sizeof(head) - 1), (ssize_t) sizeof(head) - 1);
    struct cwmp_http_parser *p;
    assert_int_equal(cwmp_http_parser_new(&p, &test_allocator, CWMP_HTTP_PARSE_REQUEST, NULL), 0);
    uint8_t buf[256];
    size_t blen = 0;
    assert_int_equal(cwmp_http_read_head(st, p, buf, sizeof(buf), &blen, TIMEOUT),
                     CWMP_HTTP_EV_HEADERS);
    struct dribble d = {sv[1], 0};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, dribble_main, &d), 0);
    struct body_acc *acc = test_malloc(sizeof(*acc));
    acc->len = 0;
    int rv = cwmp_http_read_body_timed(st, p, buf, sizeof(buf), &blen, acc_sink, acc, 300);
    atomic_store(&d.stop, 1);
    assert_int_equal(rv, CWMP_ERR_TIMEOUT);
    assert_true(acc->len < 100); /* the whole body would take 3 s */
    pthread_join(th, NULL);
    test_free(acc);
    cwmp_http_parser_free(p);
    cwmp_stream_close(st);
    close(sv[1]);
}

static void test_expect_continue(void **state)
{
    (void) state;
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    struct cwmp_stream *st;
    assert_int_equal(cwmp_tcp_stream_from_fd(&test_allocator, sv[0], &st), 0);
    st->timeout_ms = TIMEOUT;
    static const char head[] = "POST /acs HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n"
                               "Content-Length: 3\r\n\r\n";
    assert_int_equal(write(sv[1], head, sizeof(head) - 1), (ssize_t) sizeof(head) - 1);
    struct cwmp_http_parser *p;
    assert_int_equal(cwmp_http_parser_new(&p, &test_allocator, CWMP_HTTP_PARSE_REQUEST, NULL), 0);
    uint8_t buf[256];
    size_t blen = 0;
    assert_int_equal(cwmp_http_read_head(st, p, buf, sizeof(buf), &blen, TIMEOUT),
                     CWMP_HTTP_EV_HEADERS);
    assert_true(cwmp_http_parser_message(p)->expect_continue);
    assert_int_equal(write(sv[1], "abc", 3), 3);
    struct body_acc *acc = test_malloc(sizeof(*acc));
    acc->len = 0;
    assert_int_equal(cwmp_http_read_body(st, p, buf, sizeof(buf), &blen, acc_sink, acc), 0);
    assert_int_equal(acc->len, 3);
    char got[256];
    ssize_t n = read(sv[1], got, sizeof(got) - 1);
    assert_true(n > 0);
    got[n] = 0;
    assert_string_equal(got, "HTTP/1.1 100 Continue\r\n\r\n");
    /* A response with a body; then the stream is closed by the peer. */
    assert_int_equal(cwmp_http_write_response(st, 200, "X-A: 1\r\n", (const uint8_t *) "ok", 2, 0),
                     0);
    n = read(sv[1], got, sizeof(got) - 1);
    got[n > 0 ? n : 0] = 0;
    assert_string_equal(got, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n"
                             "X-A: 1\r\n\r\nok");
    test_free(acc);
    close(sv[1]);
    cwmp_http_parser_free(p);
    cwmp_stream_close(st);
}

/* Two pipelined requests arriving in one packet, the second chunked. */
static void test_pipelined_server(void **state)
{
    (void) state;
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    struct cwmp_stream *st;
    assert_int_equal(cwmp_tcp_stream_from_fd(&test_allocator, sv[0], &st), 0);
    st->timeout_ms = TIMEOUT;
    static const char two[] = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
                              "POST /b HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "2\r\nde\r\n0\r\n\r\n";
    assert_int_equal(write(sv[1], two, sizeof(two) - 1), (ssize_t) sizeof(two) - 1);
    close(sv[1]);
    struct cwmp_http_parser *p;
    assert_int_equal(cwmp_http_parser_new(&p, &test_allocator, CWMP_HTTP_PARSE_REQUEST, NULL), 0);
    uint8_t buf[512];
    size_t blen = 0;
    struct body_acc *acc = test_malloc(sizeof(*acc));
    static const char *const targets[] = {"/a", "/b"};
    static const char *const bodies[] = {"abc", "de"};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(cwmp_http_read_head(st, p, buf, sizeof(buf), &blen, TIMEOUT),
                         CWMP_HTTP_EV_HEADERS);
        assert_string_equal(cwmp_http_parser_message(p)->target, targets[i]);
        acc->len = 0;
        assert_int_equal(cwmp_http_read_body(st, p, buf, sizeof(buf), &blen, acc_sink, acc), 0);
        assert_int_equal(acc->len, strlen(bodies[i]));
        assert_memory_equal(acc->buf, bodies[i], acc->len);
    }
    /* then the peer's close: no more requests */
    assert_int_equal(cwmp_http_read_head(st, p, buf, sizeof(buf), &blen, TIMEOUT), 0);
    test_free(acc);
    cwmp_http_parser_free(p);
    cwmp_stream_close(st);
}

static int sweep_client(const struct cwmp_allocator *a, void *ctx)
{
    (void) ctx;
    struct cwmp_http_client_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.alloc = a;
    cfg.username = "u";
    cfg.password = "p";
    struct cwmp_http_client *c;
    int rv = cwmp_http_client_new(&c, &cfg, "http://127.0.0.1:9/acs");
    if (rv)
        return rv;
    struct cwmp_url u;
    cwmp_url_parse("http://127.0.0.1:9/acs", &u);
    rv = cwmp_cookie_jar_set(cwmp_http_client_cookies(c), &u, "a=b", 0);
    cwmp_http_client_end_session(c);
    cwmp_http_client_free(c);
    return rv;
}

static int sweep_cr(const struct cwmp_allocator *a, void *ctx)
{
    struct cwmp_http_parser *p = ctx;
    struct cwmp_cr_listener *l;
    struct cwmp_cr_config cc = {.alloc = a, .path = "/cr", .password = lookup};
    int rv = cwmp_cr_listener_new(&l, &cc);
    if (rv)
        return rv;
    struct cwmp_cr_result res;
    rv = cwmp_cr_listener_handle(l, cwmp_http_parser_message(p), 0, 0, 0, &res);
    cwmp_cr_listener_free(l);
    return rv;
}

static void test_sweeps(void **state)
{
    (void) state;
    assert_true(alloc_sweep(sweep_client, NULL, CWMP_ERR_NOMEM, 50) >= 5);
    struct cwmp_http_parser *p;
    assert_int_equal(cwmp_http_parser_new(&p, &test_allocator, CWMP_HTTP_PARSE_REQUEST, NULL), 0);
    parse_req(p, "GET /cr HTTP/1.1\r\nHost: h\r\n\r\n");
    assert_true(alloc_sweep(sweep_cr, p, CWMP_ERR_NOMEM, 50) >= 3);
    cwmp_http_parser_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cwmp_session),
        cmocka_unit_test(test_redirects),
        cmocka_unit_test(test_connection_request_tcp),
        cmocka_unit_test(test_cr_listener_pure),
        cmocka_unit_test(test_transfers),
        cmocka_unit_test(test_head_timeout),
        cmocka_unit_test(test_body_timeout),
        cmocka_unit_test(test_expect_continue),
        cmocka_unit_test(test_pipelined_server),
        cmocka_unit_test(test_cr_rate_limit),
        cmocka_unit_test(test_sweeps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
