/*
 * libcwmp-transport - server-side HTTP helpers over struct cwmp_stream and
 * the CPE's connection-request listener (TR-069 §3.2.2).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "http_private.h"

int cwmp_stream_write_all(struct cwmp_stream *s, const uint8_t *buf, size_t len)
{
    if (!s)
        return CWMP_ERR_INVALID_ARG;
    while (len) {
        size_t n = len > INT32_MAX ? INT32_MAX : len;
        int w = cwmp_stream_write(s, buf, n);
        if (w < 0)
            return w;
        if (w == 0)
            return CWMP_ERR_CLOSED;
        buf += w;
        len -= (size_t) w;
    }
    return 0;
}

int cwmp_http_read_head(struct cwmp_stream *s, struct cwmp_http_parser *p, uint8_t *buf,
                        size_t buf_size, size_t *buf_len, int header_timeout_ms)
{
    if (!s || !p || !buf || !buf_size || !buf_len || *buf_len > buf_size)
        return CWMP_ERR_INVALID_ARG;
    cwmp_time_ms deadline = header_timeout_ms > 0 ? cwmp__http_now_ms() + header_timeout_ms : 0;
    cwmp_http_parser_reset(p);
    for (;;) {
        if (*buf_len) {
            size_t used;
            const uint8_t *b;
            size_t bl;
            int ev = cwmp_http_parser_execute(p, buf, *buf_len, &used, &b, &bl);
            memmove(buf, buf + used, *buf_len - used);
            *buf_len -= used;
            if (ev < 0 || ev == CWMP_HTTP_EV_HEADERS)
                return ev;
        }
        if (deadline && cwmp__http_now_ms() >= deadline)
            return CWMP_ERR_TIMEOUT;
        int r = cwmp_stream_read(s, buf, buf_size);
        if (r < 0)
            return r;
        if (r == 0) {
            int f = cwmp_http_parser_finish(p);
            return f == 0 ? 0 : CWMP_ERR_CLOSED;
        }
        *buf_len = (size_t) r;
    }
}

int cwmp_http_read_body(struct cwmp_stream *s, struct cwmp_http_parser *p, uint8_t *buf,
                        size_t buf_size, size_t *buf_len,
                        int (*sink)(void *user, const uint8_t *data, size_t len), void *user)
{
    return cwmp_http_read_body_timed(s, p, buf, buf_size, buf_len, sink, user, 0);
}

int cwmp_http_read_body_timed(struct cwmp_stream *s, struct cwmp_http_parser *p, uint8_t *buf,
                              size_t buf_size, size_t *buf_len,
                              int (*sink)(void *user, const uint8_t *data, size_t len), void *user,
                              int body_timeout_ms)
{
    if (!s || !p || !buf || !buf_size || !buf_len || *buf_len > buf_size)
        return CWMP_ERR_INVALID_ARG;
    cwmp_time_ms deadline = body_timeout_ms > 0 ? cwmp__http_now_ms() + body_timeout_ms : 0;
    const struct cwmp_http_message *m = cwmp_http_parser_message(p);
    if (m && m->is_request && m->expect_continue && m->has_body && *buf_len == 0) {
        /* RFC 9110 §10.1.1: the client waits for this before the body. */
        static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
        int rv = cwmp_stream_write_all(s, (const uint8_t *) cont, sizeof(cont) - 1);
        if (rv)
            return rv;
    }
    for (;;) {
        size_t used;
        const uint8_t *b;
        size_t bl;
        int ev = cwmp_http_parser_execute(p, buf, *buf_len, &used, &b, &bl);
        if (ev == CWMP_HTTP_EV_BODY && sink && sink(user, b, bl) != 0) {
            memmove(buf, buf + used, *buf_len - used);
            *buf_len -= used;
            return CWMP_ERR_CALLBACK;
        }
        memmove(buf, buf + used, *buf_len - used);
        *buf_len -= used;
        if (ev < 0)
            return ev;
        if (ev == CWMP_HTTP_EV_DONE)
            return 0;
        if (ev == CWMP_HTTP_EV_BODY || ev == CWMP_HTTP_EV_HEADERS)
            continue;
        /* NEED_MORE: everything buffered was consumed */
        if (deadline && cwmp__http_now_ms() >= deadline)
            return CWMP_ERR_TIMEOUT;
        int r = cwmp_stream_read(s, buf, buf_size);
        if (r < 0)
            return r;
        if (r == 0) {
            int f = cwmp_http_parser_finish(p);
            return f == CWMP_HTTP_EV_DONE ? 0 : CWMP_ERR_CLOSED;
        }
        *buf_len = (size_t) r;
    }
}

int cwmp_http_write_response(struct cwmp_stream *s, int status, const char *extra_headers,
                             const uint8_t *body, size_t body_len, int keep_alive)
{
    char head[1536];
    if (!s || status < 100 || status > 999 || (body_len && !body))
        return CWMP_ERR_INVALID_ARG;
    int no_body = status < 200 || status == 204 || status == 304;
    if (no_body)
        body_len = 0;
    int n;
    if (no_body)
        n = cwmp__http_fmt(head, sizeof(head), "HTTP/1.1 %d %s\r\n%s", status,
                           cwmp_http_reason(status), keep_alive ? "" : "Connection: close\r\n");
    else
        n = cwmp__http_fmt(head, sizeof(head), "HTTP/1.1 %d %s\r\nContent-Length: %zu\r\n%s",
                           status, cwmp_http_reason(status), body_len,
                           keep_alive ? "" : "Connection: close\r\n");
    if (n < 0)
        return n;
    size_t hl = (size_t) n;
    size_t el = extra_headers ? strlen(extra_headers) : 0;
    /* Small responses go out in one write. */
    if (hl + el + 2 + body_len <= sizeof(head)) {
        if (el)
            memcpy(head + hl, extra_headers, el);
        memcpy(head + hl + el, "\r\n", 2);
        if (body_len)
            memcpy(head + hl + el + 2, body, body_len);
        return cwmp_stream_write_all(s, (const uint8_t *) head, hl + el + 2 + body_len);
    }
    int rv;
    if (hl + el + 2 <= sizeof(head)) {
        /* The whole head in one write (one TLS record), then the body. */
        if (el)
            memcpy(head + hl, extra_headers, el);
        memcpy(head + hl + el, "\r\n", 2);
        rv = cwmp_stream_write_all(s, (const uint8_t *) head, hl + el + 2);
    } else {
        rv = cwmp_stream_write_all(s, (const uint8_t *) head, hl);
        if (!rv && el)
            rv = cwmp_stream_write_all(s, (const uint8_t *) extra_headers, el);
        if (!rv)
            rv = cwmp_stream_write_all(s, (const uint8_t *) "\r\n", 2);
    }
    if (!rv && body_len)
        rv = cwmp_stream_write_all(s, body, body_len);
    return rv;
}

int cwmp_http_write_head(struct cwmp_stream *s, int status, const char *extra_headers,
                         int64_t content_length, int keep_alive)
{
    char head[1024];
    if (!s || status < 200 || status > 999 || content_length < -1)
        return CWMP_ERR_INVALID_ARG;
    int n;
    if (content_length < 0)
        n = cwmp__http_fmt(head, sizeof(head), "HTTP/1.1 %d %s\r\nTransfer-Encoding: chunked\r\n%s",
                           status, cwmp_http_reason(status),
                           keep_alive ? "" : "Connection: close\r\n");
    else
        n = cwmp__http_fmt(head, sizeof(head), "HTTP/1.1 %d %s\r\nContent-Length: %lld\r\n%s",
                           status, cwmp_http_reason(status), (long long) content_length,
                           keep_alive ? "" : "Connection: close\r\n");
    if (n < 0)
        return CWMP_ERR_INTERNAL;
    size_t hl = (size_t) n, el = extra_headers ? strlen(extra_headers) : 0;
    if (hl + el + 2 <= sizeof(head)) {
        if (el)
            memcpy(head + hl, extra_headers, el);
        memcpy(head + hl + el, "\r\n", 2);
        return cwmp_stream_write_all(s, (const uint8_t *) head, hl + el + 2);
    }
    int rv = cwmp_stream_write_all(s, (const uint8_t *) head, hl);
    if (!rv && el)
        rv = cwmp_stream_write_all(s, (const uint8_t *) extra_headers, el);
    if (!rv)
        rv = cwmp_stream_write_all(s, (const uint8_t *) "\r\n", 2);
    return rv;
}

int cwmp_http_write_chunk(struct cwmp_stream *s, const uint8_t *data, size_t len)
{
    char size[24];
    if (!s || (len && !data))
        return CWMP_ERR_INVALID_ARG;
    int n = snprintf(size, sizeof(size), len ? "%zx\r\n" : "0\r\n\r\n", len);
    int rv = cwmp_stream_write_all(s, (const uint8_t *) size, (size_t) n);
    if (!rv && len)
        rv = cwmp_stream_write_all(s, data, len);
    if (!rv && len)
        rv = cwmp_stream_write_all(s, (const uint8_t *) "\r\n", 2);
    return rv;
}

/* ---- connection-request listener -------------------------------------- */

struct cwmp_cr_listener {
    const struct cwmp_allocator *alloc;
    char *path;
    struct cwmp_http_auth_server *auth;
    unsigned burst;
    int refill_ms;
    int header_timeout_ms;
    unsigned tokens;
    cwmp_time_ms last_refill;
    int started;
};

int cwmp_cr_listener_new(struct cwmp_cr_listener **out, const struct cwmp_cr_config *cfg)
{
    if (!out)
        return CWMP_ERR_INVALID_ARG;
    *out = NULL;
    if (!cfg || !cfg->path || cfg->path[0] != '/' || !cfg->password)
        return CWMP_ERR_INVALID_ARG;
    const struct cwmp_allocator *a = cwmp__http_alloc(cfg->alloc);
    struct cwmp_cr_listener *l = cwmp__malloc(a, sizeof(*l));
    if (!l)
        return CWMP_ERR_NOMEM;
    memset(l, 0, sizeof(*l));
    l->alloc = a;
    l->burst = cfg->burst ? cfg->burst : 3;
    l->refill_ms = cfg->refill_ms > 0 ? cfg->refill_ms : 20000;
    l->header_timeout_ms = cfg->header_timeout_ms > 0 ? cfg->header_timeout_ms : 5000;
    l->tokens = l->burst;
    l->path = cwmp__http_strdup(a, cfg->path);
    if (!l->path) {
        cwmp_cr_listener_free(l);
        return CWMP_ERR_NOMEM;
    }
    struct cwmp_http_auth_server_config ac = {
        .alloc = a,
        .realm = cfg->realm ? cfg->realm : "libcwmp CPE",
        .digest_md5 = 1,
        .digest_sha256 = cfg->digest_sha256,
        .nonce_lifetime_ms = cfg->nonce_lifetime_ms > 0 ? cfg->nonce_lifetime_ms : 60000,
        .max_nonces = 16,
        .password = cfg->password,
        .password_user = cfg->password_user,
        .rng = cfg->rng,
        .rng_user = cfg->rng_user,
    };
    int rv = cwmp_http_auth_server_new(&l->auth, &ac);
    if (rv) {
        cwmp_cr_listener_free(l);
        return rv;
    }
    *out = l;
    return 0;
}

void cwmp_cr_listener_free(struct cwmp_cr_listener *l)
{
    if (!l)
        return;
    cwmp_http_auth_server_free(l->auth);
    cwmp__free(l->alloc, l->path);
    cwmp__free(l->alloc, l);
}

/* Token bucket: burst tokens, one more every refill_ms. */
static int take_token(struct cwmp_cr_listener *l, cwmp_time_ms now)
{
    if (!l->started) {
        l->started = 1;
        l->last_refill = now;
    }
    if (now > l->last_refill) {
        cwmp_time_ms el = now - l->last_refill;
        int64_t add = el / l->refill_ms;
        if (add > 0) {
            uint64_t t = (uint64_t) l->tokens + (uint64_t) add;
            l->tokens = t > l->burst ? l->burst : (unsigned) t;
            l->last_refill += add * l->refill_ms;
        }
    } else if (now < l->last_refill) {
        l->last_refill = now; /* clock went back: do not starve */
    }
    if (l->tokens == 0)
        return 0;
    l->tokens--;
    return 1;
}

/* The path of a request target: origin-form as is; absolute-form's path. */
static int target_matches(const char *target, const char *path)
{
    const char *t = target;
    if (t[0] != '/') {
        const char *p = strstr(t, "://");
        if (!p)
            return 0;
        p = strchr(p + 3, '/');
        if (!p)
            return 0;
        t = p;
    }
    return strcmp(t, path) == 0;
}

int cwmp_cr_listener_handle(struct cwmp_cr_listener *l, const struct cwmp_http_message *req,
                            int busy, int is_tls, cwmp_time_ms now_ms, struct cwmp_cr_result *res)
{
    if (!l || !req || !res || !req->is_request)
        return CWMP_ERR_INVALID_ARG;
    memset(res, 0, sizeof(*res));
    if (!target_matches(req->target, l->path)) {
        res->status = 404;
        return 0;
    }
    if (strcmp(req->method, "GET") != 0) {
        res->status = 405;
        snprintf(res->headers, sizeof(res->headers), "Allow: GET\r\n");
        return 0;
    }
    if (req->content_length > 0 || req->chunked) {
        res->status = 413;
        return 0;
    }
    if (busy) {
        res->status = 503;
        snprintf(res->headers, sizeof(res->headers), "Retry-After: 10\r\n");
        return 0;
    }
    const char *authz = cwmp_http_message_header(req, "Authorization");
    if (authz) {
        if (!take_token(l, now_ms)) {
            int wait = (l->refill_ms + 999) / 1000;
            res->status = 503;
            snprintf(res->headers, sizeof(res->headers), "Retry-After: %d\r\n", wait);
            return 0;
        }
        int stale = 0;
        int rv = cwmp_http_auth_server_verify(l->auth, req->method, req->target, authz, is_tls,
                                              now_ms, &stale, NULL, 0);
        if (rv == 0) {
            res->status = 200;
            res->trigger = 1;
            return 0;
        }
        if (rv != CWMP_ERR_AUTH)
            return rv;
        if (stale) {
            /* A valid answer to an old nonce: give the token back. */
            if (l->tokens < l->burst)
                l->tokens++;
        }
        int crv = cwmp_http_auth_server_challenge(l->auth, now_ms, stale, is_tls, res->headers,
                                                  sizeof(res->headers));
        if (crv)
            return crv == CWMP_ERR_BUFFER ? CWMP_ERR_INTERNAL : crv;
        res->status = 401;
        return 0;
    }
    int crv = cwmp_http_auth_server_challenge(l->auth, now_ms, 0, is_tls, res->headers,
                                              sizeof(res->headers));
    if (crv)
        return crv == CWMP_ERR_BUFFER ? CWMP_ERR_INTERNAL : crv;
    res->status = 401;
    return 0;
}

int cwmp_cr_serve(struct cwmp_cr_listener *l, struct cwmp_stream *s, int is_tls,
                  int (*busy_fn)(void *user), void *busy_user)
{
    if (!l || !s)
        return CWMP_ERR_INVALID_ARG;
    struct cwmp_http_limits lim = {
        .max_line = 2048, .max_headers = 32, .max_header_bytes = 8192, .max_body = 1};
    struct cwmp_http_parser *p;
    int rv = cwmp_http_parser_new(&p, l->alloc, CWMP_HTTP_PARSE_REQUEST, &lim);
    if (rv)
        return rv;
    uint8_t buf[2048];
    size_t blen = 0;
    int trigger = 0;
    for (int n = 0; n < 4; n++) {
        rv = cwmp_http_read_head(s, p, buf, sizeof(buf), &blen, l->header_timeout_ms);
        if (rv <= 0) {
            int st = cwmp_http_parser_error_status(p);
            if (rv < 0 && st)
                cwmp_http_write_response(s, st, NULL, NULL, 0, 0);
            if (rv == 0 || rv == CWMP_ERR_CLOSED)
                rv = 0;
            break;
        }
        const struct cwmp_http_message *m = cwmp_http_parser_message(p);
        struct cwmp_cr_result res;
        int busy = busy_fn ? busy_fn(busy_user) : 0;
        rv = cwmp_cr_listener_handle(l, m, busy, is_tls, cwmp__http_now_ms(), &res);
        if (rv) {
            cwmp_http_write_response(s, 500, NULL, NULL, 0, 0);
            break;
        }
        int keep = m->keep_alive && res.status == 401 && !m->has_body;
        rv = cwmp_http_write_response(s, res.status, res.headers, NULL, 0, keep);
        if (res.trigger)
            trigger = 1;
        if (rv || !keep)
            break;
    }
    cwmp_http_parser_free(p);
    if (rv < 0 && !trigger)
        return rv;
    return trigger;
}
