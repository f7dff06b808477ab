/*
 * libcwmp tests - HTTP/1.1 parser: CWMP-shaped messages, chunked and
 * length-delimited bodies, keep-alive, 100-continue, and hostile input
 * (smuggling patterns, bad chunk sizes, oversized heads, byte-by-byte
 * feeding), plus an allocation-failure sweep.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cwmp/http.h>

#include "testutil.h"

struct parsed {
    int rv;          /* last return: DONE, NEED_MORE or an error */
    int headers;     /* HEADERS events */
    char body[8192]; /* concatenated body */
    size_t body_len;
    size_t consumed;
};

/* Feeds @p in in pieces of @p step bytes (0 = all at once) until DONE. */
static void feed(struct cwmp_http_parser *p, const char *in, size_t len, size_t step,
                 struct parsed *r)
{
    memset(r, 0, sizeof(*r));
    size_t off = 0;
    for (;;) {
        size_t n = len - off;
        if (step && n > step)
            n = step;
        size_t used;
        const uint8_t *b;
        size_t bl;
        int ev = cwmp_http_parser_execute(p, (const uint8_t *) in + off, n, &used, &b, &bl);
        assert_true(used <= n);
        off += used;
        r->consumed = off;
        r->rv = ev;
        if (ev < 0 || ev == CWMP_HTTP_EV_DONE)
            return;
        if (ev == CWMP_HTTP_EV_HEADERS)
            r->headers++;
        if (ev == CWMP_HTTP_EV_BODY) {
            assert_true(bl > 0 && r->body_len + bl < sizeof(r->body));
            memcpy(r->body + r->body_len, b, bl);
            r->body_len += bl;
        }
        if (ev == CWMP_HTTP_EV_NEED_MORE && off >= len)
            return;
    }
}

static struct cwmp_http_parser *mk(enum cwmp_http_parser_type t, const struct cwmp_http_limits *l)
{
    struct cwmp_http_parser *p = NULL;
    assert_int_equal(cwmp_http_parser_new(&p, &test_allocator, t, l), 0);
    return p;
}

static const char inform_req[] = "POST /acs HTTP/1.1\r\n"
                                 "Host: acs.example.net:7547\r\n"
                                 "Content-Type: text/xml; charset=\"utf-8\"\r\n"
                                 "SOAPAction: \r\n"
                                 "Content-Length: 11\r\n"
                                 "\r\n"
                                 "<Envelope/>";

static void test_request_cwmp(void **state)
{
    (void) state;
    size_t steps[] = {0, 1, 2, 7};
    for (size_t k = 0; k < 4; k++) {
        struct cwmp_http_parser *p = mk(CWMP_HTTP_PARSE_REQUEST, NULL);
        struct parsed r;
        feed(p, inform_req, strlen(inform_req), steps[k], &r);
        assert_int_equal(r.rv, CWMP_HTTP_EV_DONE);
        assert_int_equal(r.headers, 1);
        assert_int_equal(r.consumed, strlen(inform_req));
        assert_int_equal(r.body_len, 11);
        assert_memory_equal(r.body, "<Envelope/>", 11);
        const struct cwmp_http_message *m = cwmp_http_parser_message(p);
        assert_non_null(m);
        assert_string_equal(m->method, "POST");
        assert_string_equal(m->target, "/acs");
        assert_int_equal(m->version_minor, 1);
        assert_true(m->keep_alive);
        assert_int_equal(m->content_length, 11);
        assert_string_equal(cwmp_http_message_header(m, "content-type"),
                            "text/xml; charset=\"utf-8\"");
        assert_string_equal(cwmp_http_message_header(m, "SOAPACTION"), "");
        assert_null(cwmp_http_message_header(m, "Cookie"));
        cwmp_http_parser_free(p);
    }
}

static void test_pipelined_keepalive(void **state)
{
    (void) state;
    char two[1024];
    snprintf(two, sizeof(two), "%s%s", inform_req,
             "POST /acs HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    struct cwmp_http_parser *p = mk(CWMP_HTTP_PARSE_REQUEST, NULL);
    struct parsed r;
    feed(p, two, strlen(two), 0, &r);
    assert_int_equal(r.rv, CWMP_HTTP_EV_DONE);
    size_t first = r.consumed;
    assert_int_equal(first, strlen(inform_req));
    cwmp_http_parser_reset(p);
    assert_true(cwmp_http_parser_idle(p));
    feed(p, two + first, strlen(two) - first, 0, &r);
    assert_int_equal(r.rv, CWMP_HTTP_EV_DONE);
    assert_int_equal(r.body_len, 0);
    const struct cwmp_http_message *m = cwmp_http_parser_message(p);
    assert_false(m->keep_alive);
    assert_true(m->has_body);
    cwmp_http_parser_free(p);
}

static void test_chunked_request(void **state)
{
    (void) state;
    static const char req[] = "POST /acs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                              "Expect: 100-continue\r\n\r\n"
                              "5\r\nhello\r\n"
                              "6;ext=1\r\n world\r\n"
                              "0\r\nX-Trailer: y\r\n\r\n";
    for (size_t step = 0; step < 4; step++) {
        struct cwmp_http_parser *p = mk(CWMP_HTTP_PARSE_REQUEST, NULL);
        struct parsed r;
        feed(p, req, strlen(req), step, &r);
        assert_int_equal(r.rv, CWMP_HTTP_EV_DONE);
        assert_int_equal(r.body_len, 11);
        assert_memory_equal(r.body, "hello world", 11);
        const struct cwmp_http_message *m = cwmp_http_parser_message(p);
        assert_true(m->chunked);
        assert_true(m->expect_continue);
        assert_false(m->expect_unknown);
        cwmp_http_parser_free(p);
    }
}

static void test_responses(void **state)
{
    (void) state;
    struct parsed r;
    /* 204: no body even with a (wrong) length; keep-alive. */
    struct cwmp_http_parser *p = mk(CWMP_HTTP_PARSE_RESPONSE, NULL);
    static const char r204[] = "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n";
    feed(p, r204, strlen(r204), 0, &r);
    assert_int_equal(r.rv, CWMP_HTTP_EV_DONE);
    assert_int_equal(r.body_len, 0);
    assert_int_equal(cwmp_http_parser_message(p)->status, 204);
    assert_true(cwmp_http_parser_message(p)->keep_alive);
    /* 200 with an empty body. */
    cwmp_http_parser_reset(p);
    static const char r200[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    feed(p, r200, strlen(r200), 0, &r);
    assert_int_equal(r.rv, CWMP_HTTP_EV_DONE);
    assert_int_equal(cwmp_http_parser_message(p)->status, 200);
    assert_true(cwmp_http_parser_message(p)->has_body);
    /* 100 Continue is skipped; the final response is reported. */
    cwmp_http_parser_reset(p);
    static const char r100[] = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"
                               "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
    feed(p, r100, strlen(r100), 1, &r);
    assert_int_equal(r.rv, CWMP_HTTP_EV_DONE);
    assert_int_equal(r.headers, 1);
    assert_int_equal(r.body_len, 3);
    /* Body delimited by close, HTTP/1.0. */
    cwmp_http_parser_reset(p);
    static const char r10[] = "HTTP/1.0 200 OK\r\n\r\nuntil close";
    feed(p, r10, strlen(r10), 0, &r);
    assert_int_equal(r.rv, CWMP_HTTP_EV_NEED_MORE);
    assert_int_equal(r.body_len, 11);
    assert_int_equal(cwmp_http_parser_finish(p), CWMP_HTTP_EV_DONE);
    assert_false(cwmp_http_parser_message(p)->keep_alive);
    /* A response cut short. */
    cwmp_http_parser_reset(p);
    static const char cut[] = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc";
    feed(p, cut, strlen(cut), 0, &r);
    assert_int_equal(r.rv, CWMP_HTTP_EV_NEED_MORE);
    assert_int_equal(cwmp_http_parser_finish(p), CWMP_ERR_CLOSED);
    /* HEAD response: no body. */
    cwmp_http_parser_reset(p);
    cwmp_http_parser_expect_no_body(p);
    feed(p, cut, strlen(cut) - 3, 0, &r);
    assert_int_equal(r.rv, CWMP_HTTP_EV_DONE);
    cwmp_http_parser_free(p);
}

struct bad {
    const char *text;
    int err;
    int status;
};

static void test_hostile_requests(void **state)
{
    (void) state;
    static const struct bad cases[] = {
        /* smuggling */
        {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
         CWMP_ERR_HTTP, 400},
        {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
         CWMP_ERR_HTTP, 400},
        {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
         CWMP_ERR_HTTP, 400},
        {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\n", CWMP_ERR_HTTP, 400},
        {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +3\r\n\r\n", CWMP_ERR_HTTP, 400},
        {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n",
         CWMP_ERR_HTTP, 400},
        {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
         CWMP_ERR_UNSUPPORTED, 501},
        {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: "
         "chunked\r\n\r\n",
         CWMP_ERR_HTTP, 400},
        {"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", CWMP_ERR_HTTP, 400},
        {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length : 3\r\n\r\n", CWMP_ERR_HTTP, 400},
        {"POST / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n", CWMP_ERR_HTTP, 400}, /* obs-fold */
        {"POST / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n", CWMP_ERR_HTTP, 400},         /* bare CR */
        {"POST / HTTP/1.1\nHost: a\n\n", CWMP_ERR_HTTP, 400},                     /* bare LF */
        {"GET / HTTP/1.1\r\n\r\n", CWMP_ERR_HTTP, 400},                           /* no Host */
        {"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", CWMP_ERR_HTTP, 400},
        {"GET / HTTP/2.0\r\nHost: a\r\n\r\n", CWMP_ERR_UNSUPPORTED, 505},
        {"GET /  HTTP/1.1\r\nHost: a\r\n\r\n", CWMP_ERR_HTTP, 400},
        {"G@T / HTTP/1.1\r\nHost: a\r\n\r\n", CWMP_ERR_HTTP, 400},
        {"GET / HTTP/1.1\r\nHost: a\r\nX: \x01\r\n\r\n", CWMP_ERR_HTTP, 400},
        /* bad chunk sizes */
        {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", CWMP_ERR_HTTP,
         400},
        {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", CWMP_ERR_HTTP,
         400},
        {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
         "10000000000000000\r\n",
         CWMP_ERR_HTTP, 400},
        {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5 6\r\n", CWMP_ERR_HTTP,
         400},
        {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n",
         CWMP_ERR_HTTP, 400},
        {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", CWMP_ERR_HTTP,
         400},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (size_t step = 0; step < 2; step++) {
            struct cwmp_http_parser *p = mk(CWMP_HTTP_PARSE_REQUEST, NULL);
            struct parsed r;
            feed(p, cases[i].text, strlen(cases[i].text), step, &r);
            if (r.rv != cases[i].err)
                fprintf(stderr, "case %zu: got %d\n", i, r.rv);
            assert_int_equal(r.rv, cases[i].err);
            assert_int_equal(cwmp_http_parser_error_status(p), cases[i].status);
            /* Sticky until reset. */
            size_t used;
            const uint8_t *b;
            size_t bl;
            assert_int_equal(cwmp_http_parser_execute(p, (const uint8_t *) "x", 1, &used, &b, &bl),
                             cases[i].err);
            cwmp_http_parser_free(p);
        }
    }
}

static void test_limits(void **state)
{
    (void) state;
    struct cwmp_http_limits lim = {
        .max_line = 64, .max_headers = 4, .max_header_bytes = 256, .max_body = 16};
    char buf[4096];
    struct parsed r;
    struct cwmp_http_parser *p = mk(CWMP_HTTP_PARSE_REQUEST, &lim);
    /* long target: 414 */
    snprintf(buf, sizeof(buf), "GET /%0100d HTTP/1.1\r\nHost: a\r\n\r\n", 0);
    feed(p, buf, strlen(buf), 0, &r);
    assert_int_equal(r.rv, CWMP_ERR_LIMIT);
    assert_int_equal(cwmp_http_parser_error_status(p), 414);
    /* too many headers: 431 */
    cwmp_http_parser_reset(p);
    snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n");
    feed(p, buf, strlen(buf), 0, &r);
    assert_int_equal(r.rv, CWMP_ERR_LIMIT);
    assert_int_equal(cwmp_http_parser_error_status(p), 431);
    /* long header line: 431 */
    cwmp_http_parser_reset(p);
    snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nHost: a\r\nX: %0100d\r\n\r\n", 0);
    feed(p, buf, strlen(buf), 0, &r);
    assert_int_equal(r.rv, CWMP_ERR_LIMIT);
    assert_int_equal(cwmp_http_parser_error_status(p), 431);
    /* total header bytes: 431 */
    cwmp_http_parser_reset(p);
    snprintf(buf, sizeof(buf),
             "GET / HTTP/1.1\r\nHost: a\r\nA: %050d\r\nB: %050d\r\nC: %050d\r\n"
             "D: %050d\r\n\r\n",
             0, 0, 0, 0);
    feed(p, buf, strlen(buf), 0, &r);
    assert_int_equal(r.rv, CWMP_ERR_LIMIT);
    /* body too large: 413, from the length alone */
    cwmp_http_parser_reset(p);
    snprintf(buf, sizeof(buf), "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 17\r\n\r\n");
    feed(p, buf, strlen(buf), 0, &r);
    assert_int_equal(r.rv, CWMP_ERR_LIMIT);
    assert_int_equal(cwmp_http_parser_error_status(p), 413);
    /* chunked body too large */
    cwmp_http_parser_reset(p);
    snprintf(buf, sizeof(buf),
             "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
             "8\r\n12345678\r\n9\r\n");
    feed(p, buf, strlen(buf), 0, &r);
    assert_int_equal(r.rv, CWMP_ERR_LIMIT);
    /* endless empty lines before a request */
    cwmp_http_parser_reset(p);
    feed(p, "\r\n\r\n\r\n\r\n\r\n\r\n", 12, 0, &r);
    assert_int_equal(r.rv, CWMP_ERR_HTTP);
    cwmp_http_parser_free(p);

    /* Slowloris-style: a head that never ends stays bounded and pending. */
    p = mk(CWMP_HTTP_PARSE_REQUEST, NULL);
    feed(p, "GET / HTTP/1.1\r\nHost: a\r\nX-A: b", 31, 1, &r);
    assert_int_equal(r.rv, CWMP_HTTP_EV_NEED_MORE);
    assert_null(cwmp_http_parser_message(p));
    assert_false(cwmp_http_parser_idle(p));
    assert_int_equal(cwmp_http_parser_finish(p), CWMP_ERR_CLOSED);
    cwmp_http_parser_free(p);
}

static void test_bad_responses(void **state)
{
    (void) state;
    static const char *cases[] = {
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 200OK\r\n\r\n",
        "HTTX/1.1 200 OK\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cwmp_http_parser *p = mk(CWMP_HTTP_PARSE_RESPONSE, NULL);
        struct parsed r;
        feed(p, cases[i], strlen(cases[i]), 0, &r);
        assert_true(r.rv < 0);
        cwmp_http_parser_free(p);
    }
}

static int sweep_parse(const struct cwmp_allocator *a, void *ctx)
{
    (void) ctx;
    struct cwmp_http_parser *p = NULL;
    int rv = cwmp_http_parser_new(&p, a, CWMP_HTTP_PARSE_REQUEST, NULL);
    if (rv)
        return rv;
    /* Enough headers to grow both tables. */
    char req[4096] = "POST /acs HTTP/1.1\r\nHost: h\r\n";
    for (int i = 0; i < 20; i++) {
        char line[160];
        snprintf(line, sizeof(line), "X-%d: %0100d\r\n", i, i);
        strcat(req, line);
    }
    strcat(req, "Content-Length: 2\r\n\r\nok");
    size_t off = 0, len = strlen(req);
    for (;;) {
        size_t used;
        const uint8_t *b;
        size_t bl;
        rv = cwmp_http_parser_execute(p, (const uint8_t *) req + off, len - off, &used, &b, &bl);
        off += used;
        if (rv < 0 || rv == CWMP_HTTP_EV_DONE)
            break;
    }
    cwmp_http_parser_free(p);
    return rv < 0 ? rv : 0;
}

static void test_alloc_sweep(void **state)
{
    (void) state;
    unsigned long n = alloc_sweep(sweep_parse, NULL, CWMP_ERR_NOMEM, 100);
    assert_true(n >= 3);
}

static void test_args(void **state)
{
    (void) state;
    struct cwmp_http_parser *p = NULL;
    assert_int_equal(cwmp_http_parser_new(NULL, NULL, CWMP_HTTP_PARSE_REQUEST, NULL),
                     CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_http_parser_new(&p, NULL, (enum cwmp_http_parser_type) 7, NULL),
                     CWMP_ERR_INVALID_ARG);
    assert_null(p);
    cwmp_http_parser_free(NULL);
    assert_null(cwmp_http_message_header(NULL, "x"));
    assert_string_equal(cwmp_http_reason(404), "Not Found");
    assert_string_equal(cwmp_http_reason(999), "Unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_cwmp),
        cmocka_unit_test(test_pipelined_keepalive),
        cmocka_unit_test(test_chunked_request),
        cmocka_unit_test(test_responses),
        cmocka_unit_test(test_hostile_requests),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_bad_responses),
        cmocka_unit_test(test_alloc_sweep),
        cmocka_unit_test(test_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
