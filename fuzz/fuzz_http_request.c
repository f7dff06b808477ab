/*
 * libcwmp fuzz target - the HTTP request parser (server side), fed in two
 * pieces with pipelined messages, and the connection-request listener's
 * decision on every parsed request.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <string.h>

#include <cwmp/http.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fixed_rng(void *user, uint8_t *buf, size_t len)
{
    (void) user;
    memset(buf, 0x5a, len);
    return 0;
}

static int lookup(void *user, const char *username, char *buf, size_t size)
{
    (void) user;
    if (strcmp(username, "cpe") != 0 || size < 5)
        return -1;
    memcpy(buf, "pass", 5);
    return 0;
}

/* Parses everything fed in pieces of @p step bytes (0 = all at once);
 * summarises what came out so different chunkings can be compared. */
struct summary {
    int last;              /* final return value */
    int messages, headers; /* DONE and HEADERS events */
    uint32_t body_hash;    /* FNV-1a of all body bytes */
    size_t body_len;
};

static void run(const uint8_t *data, size_t size, size_t step, struct summary *sm)
{
    struct cwmp_http_limits lim = {
        .max_line = 1024, .max_headers = 16, .max_header_bytes = 4096, .max_body = 65536};
    struct cwmp_http_parser *p;
    memset(sm, 0, sizeof(*sm));
    sm->body_hash = 2166136261u;
    if (cwmp_http_parser_new(&p, NULL, CWMP_HTTP_PARSE_REQUEST, &lim) != 0) {
        sm->last = -1000;
        return;
    }
    size_t off = 0;
    for (int guard = 0; guard < 1000000; guard++) {
        size_t n = size - off;
        if (step && n > step)
            n = step;
        size_t used;
        const uint8_t *b;
        size_t bl;
        int ev = cwmp_http_parser_execute(p, data + off, n, &used, &b, &bl);
        off += used;
        sm->last = ev;
        if (ev < 0)
            break;
        if (ev == CWMP_HTTP_EV_HEADERS)
            sm->headers++;
        if (ev == CWMP_HTTP_EV_BODY) {
            for (size_t i = 0; i < bl; i++)
                sm->body_hash = (sm->body_hash ^ b[i]) * 16777619u;
            sm->body_len += bl;
        }
        if (ev == CWMP_HTTP_EV_DONE) {
            sm->messages++;
            cwmp_http_parser_reset(p);
        }
        if (ev == CWMP_HTTP_EV_NEED_MORE && off >= size) {
            sm->last = cwmp_http_parser_finish(p);
            break;
        }
    }
    cwmp_http_parser_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The result must not depend on how the bytes were split. */
    struct summary whole, bytewise;
    run(data, size, 0, &whole);
    run(data, size, 1, &bytewise);
    if (whole.last != bytewise.last || whole.messages != bytewise.messages ||
        whole.headers != bytewise.headers || whole.body_len != bytewise.body_len ||
        whole.body_hash != bytewise.body_hash)
        __builtin_trap();

    struct cwmp_http_limits lim = {
        .max_line = 1024, .max_headers = 16, .max_header_bytes = 4096, .max_body = 65536};
    struct cwmp_http_parser *p;
    struct cwmp_cr_listener *l;
    struct cwmp_cr_config cc = {
        .path = "/cr", .password = lookup, .rng = fixed_rng, .digest_sha256 = 1};
    if (cwmp_http_parser_new(&p, NULL, CWMP_HTTP_PARSE_REQUEST, &lim) != 0)
        return 0;
    if (cwmp_cr_listener_new(&l, &cc) != 0) {
        cwmp_http_parser_free(p);
        return 0;
    }
    size_t split = size ? data[0] % (size + 1) : 0;
    size_t off = 0;
    int messages = 0;
    cwmp_time_ms now = 1000;
    while (messages < 8) {
        size_t end = off < split ? split : size;
        size_t used;
        const uint8_t *b;
        size_t bl;
        int ev = cwmp_http_parser_execute(p, data + off, end - off, &used, &b, &bl);
        off += used;
        if (ev < 0)
            break;
        if (ev == CWMP_HTTP_EV_HEADERS) {
            const struct cwmp_http_message *m = cwmp_http_parser_message(p);
            struct cwmp_cr_result res;
            if (cwmp_cr_listener_handle(l, m, 0, messages & 1, now, &res) == 0 &&
                (res.status < 200 || res.status > 599))
                __builtin_trap();
            now += 100;
        } else if (ev == CWMP_HTTP_EV_BODY) {
            if (bl == 0 || b < data || b + bl > data + size)
                __builtin_trap();
        } else if (ev == CWMP_HTTP_EV_DONE) {
            messages++;
            cwmp_http_parser_reset(p);
        } else if (off >= size) {
            cwmp_http_parser_finish(p);
            break;
        }
    }
    cwmp_cr_listener_free(l);
    cwmp_http_parser_free(p);
    return 0;
}
