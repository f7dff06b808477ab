/*
 * libcwmp fuzz target - the HTTP client end to end without I/O: a CWMP
 * request, then the input as the server's byte stream, answered through
 * 401 retries, redirects and cookies until the input ends (the client's
 * sans-I/O API is the same code the blocking client runs).
 * Byte 0: options (bit 0 Basic without TLS, bit 1 cross-host credentials,
 * bits 2-4 read size class).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <string.h>

#include <cwmp/http.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fixed_rng(void *user, uint8_t *buf, size_t len)
{
    (void) user;
    memset(buf, 0x3c, len);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t opt = data[0];
    data++;
    size--;
    struct cwmp_http_client_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.username = "cpe";
    cfg.password = "pw";
    cfg.rng = fixed_rng;
    cfg.allow_basic_without_tls = opt & 1;
    cfg.allow_credentials_cross_host = (opt >> 1) & 1;
    cfg.limits.max_body = 1 << 16;
    size_t piece = (size_t) 1 << ((opt >> 2) & 7); /* 1 .. 128 bytes per read */
    struct cwmp_http_client *c;
    if (cwmp_http_client_new(&c, &cfg, "http://acs.example.net:7547/acs") != 0)
        return 0;
    static const uint8_t body[] = "<Envelope/>";
    size_t off = 0;
    int steps = 0;
    while (off <= size && steps++ < 64) {
        if (cwmp_http_client_start(c, "POST", "text/xml", "", body, sizeof(body) - 1) != 0)
            break;
        const uint8_t *out;
        size_t out_len;
        if (cwmp_http_client_output(c, &out, &out_len) != 0)
            break;
        int rv = CWMP_ERR_AGAIN;
        struct cwmp_http_response r;
        while (rv == CWMP_ERR_AGAIN || rv == CWMP_HTTP_CLIENT_RESEND ||
               rv == CWMP_HTTP_CLIENT_RECONNECT) {
            if (rv != CWMP_ERR_AGAIN && cwmp_http_client_output(c, &out, &out_len) != 0)
                break;
            size_t n = size - off < piece ? size - off : piece;
            size_t used = 0;
            rv = cwmp_http_client_feed(c, data + off, n, &used, &r);
            if (used > n)
                __builtin_trap();
            off += used;
            if (n == 0)
                break; /* EOF handled */
            if (steps++ > 4096)
                break;
        }
        if (rv == 0 && r.body_len && !r.body)
            __builtin_trap();
        if (off >= size)
            break;
    }
    cwmp_http_client_end_session(c);
    cwmp_http_client_free(c);
    return 0;
}
