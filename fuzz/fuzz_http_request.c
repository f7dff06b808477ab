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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
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
