/*
 * libcwmp fuzz target - the HTTP response parser (client side) byte by
 * byte for the head, then the header consumers of the client: Set-Cookie
 * into a cookie jar and WWW-Authenticate into the challenge parser.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <string.h>

#include <cwmp/http.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cwmp_http_limits lim = {
        .max_line = 2048, .max_headers = 32, .max_header_bytes = 8192, .max_body = 65536};
    struct cwmp_http_parser *p;
    struct cwmp_cookie_jar *j;
    struct cwmp_url url;
    if (cwmp_http_parser_new(&p, NULL, CWMP_HTTP_PARSE_RESPONSE, &lim) != 0)
        return 0;
    if (cwmp_cookie_jar_new(&j, NULL, 8) != 0) {
        cwmp_http_parser_free(p);
        return 0;
    }
    cwmp_url_parse("https://acs.example.net:7547/cwmp/acs", &url);
    if (size && (data[0] & 1))
        cwmp_http_parser_expect_no_body(p);
    size_t off = 0;
    for (int guard = 0; guard < 100000; guard++) {
        size_t step = cwmp_http_parser_message(p) ? size - off : (off < size ? 1 : 0);
        size_t used;
        const uint8_t *b;
        size_t bl;
        int ev = cwmp_http_parser_execute(p, data + off, step, &used, &b, &bl);
        off += used;
        if (ev < 0 || ev == CWMP_HTTP_EV_DONE)
            break;
        if (ev == CWMP_HTTP_EV_HEADERS) {
            const struct cwmp_http_message *m = cwmp_http_parser_message(p);
            for (size_t i = 0; i < m->n_headers; i++) {
                const char *v = m->headers[i].value;
                if (strcmp(m->headers[i].name, "Set-Cookie") == 0) {
                    cwmp_cookie_jar_set(j, &url, v, 1700000000);
                } else if (strcmp(m->headers[i].name, "WWW-Authenticate") == 0) {
                    struct cwmp_http_auth_params a;
                    cwmp_http_auth_parse(v, strlen(v), 1, &a);
                } else if (strcmp(m->headers[i].name, "Location") == 0) {
                    struct cwmp_url u;
                    cwmp_url_parse(v, &u);
                }
            }
            char hdr[1024];
            cwmp_cookie_jar_header(j, &url, 1700000000, hdr, sizeof(hdr));
        }
        if (ev == CWMP_HTTP_EV_NEED_MORE && off >= size) {
            cwmp_http_parser_finish(p);
            break;
        }
    }
    cwmp_cookie_jar_free(j);
    cwmp_http_parser_free(p);
    return 0;
}
