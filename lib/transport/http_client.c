/*
 * libcwmp-transport - HTTP client on struct cwmp_stream: keep-alive, digest
 * and basic authentication, session cookies, redirects with the TR-069
 * rules. Blocking; every step is bounded by the configured timeout.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <time.h>

#include "http_private.h"

#if defined(__has_include)
#if __has_include(<cwmp/tls.h>)
#include <cwmp/tls.h>
#define CWMP_HTTP_HAVE_TLS 1
#endif
#endif

#define CLIENT_RBUF   16384
#define MAX_REDIRECTS 5

/* Hooks used by file transfers to stream the final response. */
struct xfer_hooks {
    int (*on_headers)(void *user, const struct cwmp_http_message *m);
    int (*on_body)(void *user, const uint8_t *data, size_t len);
    void *user;
};

struct cwmp_http_client {
    const struct cwmp_allocator *alloc;
    struct cwmp_http_client_config cfg; /* strings point to our copies */
    char *orig_url;
    char *cur_url;
    struct cwmp_url url;
    struct cwmp_stream *stream;
    struct cwmp_http_parser *parser;
    struct cwmp_cookie_jar *jar;
    struct cwmp__http_rng *own_rng;
#ifdef CWMP_HTTP_HAVE_TLS
    struct cwmp_tls_session *tls_session; /* resumption across connections */
#endif
    /* authentication state for the current URL's host */
    struct cwmp_http_auth_params challenge;
    int have_challenge;
    uint32_t nc;
    int creds_disabled; /* redirected to another host */
    int connected_once; /* a connection was established (fault mapping) */
    /* the request in progress (pointers owned by the caller) */
    const char *rq_method, *rq_ctype, *rq_soap;
    const uint8_t *rq_body;
    size_t rq_blen;
    /* streamed request body (uploads): read from offset */
    int (*rq_read)(void *user, uint64_t offset, uint8_t *buf, size_t len);
    void *rq_read_user;
    int rq_head, in_request, redirects, auth_tries;
    const struct xfer_hooks *hooks;
    int to_hooks, got_any, stray;
    /* response */
    uint8_t *body;
    size_t body_len, body_cap;
    char *ctype;
    uint8_t *rbuf;
    uint8_t *sbuf;
    size_t sbuf_cap;
    char detail[256];
};

CWMP_PRINTF(2, 3)
static void set_detail(struct cwmp_http_client *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
    va_end(ap);
    if (c->cfg.log)
        c->cfg.log(CWMP_LOG_WARNING, c->detail, c->cfg.log_user);
}

static int64_t wall_s(void)
{
    return (int64_t) time(NULL);
}

static void drop_conn(struct cwmp_http_client *c)
{
    cwmp_stream_close(c->stream);
    c->stream = NULL;
}

void cwmp_http_client_free(struct cwmp_http_client *c)
{
    if (!c)
        return;
    const struct cwmp_allocator *a = c->alloc;
    drop_conn(c);
    cwmp_http_parser_free(c->parser);
    cwmp_cookie_jar_free(c->jar);
    cwmp__http_rng_free(c->own_rng, a);
#ifdef CWMP_HTTP_HAVE_TLS
    cwmp_tls_session_free(c->tls_session);
#endif
    if (c->cfg.password)
        memset((char *) c->cfg.password, 0, strlen(c->cfg.password));
    cwmp__free(a, (char *) c->cfg.username);
    cwmp__free(a, (char *) c->cfg.password);
    cwmp__free(a, (char *) c->cfg.user_agent);
    cwmp__free(a, c->orig_url);
    cwmp__free(a, c->cur_url);
    cwmp__free(a, c->body);
    cwmp__free(a, c->ctype);
    cwmp__free(a, c->rbuf);
    cwmp__free(a, c->sbuf);
    memset(&c->challenge, 0, sizeof(c->challenge));
    cwmp__free(a, c);
}

static int check_url(const struct cwmp_http_client_config *cfg, const char *url, struct cwmp_url *u)
{
    int rv = cwmp_url_parse(url, u);
    if (rv)
        return rv;
    if (u->tls && !cfg->tls && !cfg->connect)
        return CWMP_ERR_UNSUPPORTED; /* never fall back to plain */
    return 0;
}

int cwmp_http_client_new(struct cwmp_http_client **out, const struct cwmp_http_client_config *cfg,
                         const char *url)
{
    if (!out)
        return CWMP_ERR_INVALID_ARG;
    *out = NULL;
    if (!cfg || !url || (cfg->username && !cfg->password))
        return CWMP_ERR_INVALID_ARG;
    struct cwmp_url u;
    int rv = check_url(cfg, url, &u);
    if (rv)
        return rv;
    const struct cwmp_allocator *a = cwmp__http_alloc(cfg->alloc);
    struct cwmp_http_client *c = cwmp__malloc(a, sizeof(*c));
    if (!c)
        return CWMP_ERR_NOMEM;
    memset(c, 0, sizeof(*c));
    c->alloc = a;
    c->cfg = *cfg;
    c->cfg.alloc = a;
    c->cfg.username = c->cfg.password = c->cfg.user_agent = NULL;
    c->url = u;
    if (c->cfg.timeout_ms <= 0)
        c->cfg.timeout_ms = 30000;
    if (c->cfg.max_redirects <= 0 || c->cfg.max_redirects > MAX_REDIRECTS)
        c->cfg.max_redirects = MAX_REDIRECTS;
    rv = CWMP_ERR_NOMEM;
    if (cfg->username && (!(c->cfg.username = cwmp__http_strdup(a, cfg->username)) ||
                          !(c->cfg.password = cwmp__http_strdup(a, cfg->password))))
        goto fail;
    if (cfg->user_agent && !(c->cfg.user_agent = cwmp__http_strdup(a, cfg->user_agent)))
        goto fail;
    if (!(c->orig_url = cwmp__http_strdup(a, url)) || !(c->cur_url = cwmp__http_strdup(a, url)))
        goto fail;
    if (!(c->rbuf = cwmp__malloc(a, CLIENT_RBUF)))
        goto fail;
    rv = cwmp_http_parser_new(&c->parser, a, CWMP_HTTP_PARSE_RESPONSE, &cfg->limits);
    if (!rv)
        rv = cwmp_cookie_jar_new(&c->jar, a, 0);
    if (rv)
        goto fail;
    if (!cfg->rng && cfg->username) {
        rv = cwmp__http_rng_new(&c->own_rng, a);
        if (rv)
            goto fail;
        c->cfg.rng = cwmp__http_rng_fill;
        c->cfg.rng_user = c->own_rng;
    }
    *out = c;
    return 0;
fail:
    cwmp_http_client_free(c);
    return rv;
}

void cwmp_http_client_end_session(struct cwmp_http_client *c)
{
    if (!c)
        return;
    drop_conn(c);
    cwmp_cookie_jar_clear(c->jar);
    c->have_challenge = 0;
    c->creds_disabled = 0;
    c->nc = 0;
    if (strcmp(c->cur_url, c->orig_url) != 0) {
        char *n = cwmp__http_strdup(c->alloc, c->orig_url);
        if (n) {
            cwmp__free(c->alloc, c->cur_url);
            c->cur_url = n;
        }
        check_url(&c->cfg, c->cur_url, &c->url);
    }
}

const char *cwmp_http_client_url(const struct cwmp_http_client *c)
{
    return c ? c->cur_url : "";
}

const char *cwmp_http_client_error_detail(const struct cwmp_http_client *c)
{
    return c ? c->detail : "";
}

struct cwmp_cookie_jar *cwmp_http_client_cookies(struct cwmp_http_client *c)
{
    return c ? c->jar : NULL;
}

static int do_connect(struct cwmp_http_client *c)
{
    int rv;
    struct cwmp_stream *s = NULL;
    if (c->cfg.connect) {
        rv = c->cfg.connect(c->cfg.connect_user, c->url.host, c->url.port, c->url.tls,
                            c->cfg.timeout_ms, &s);
    } else {
        rv = cwmp_tcp_connect(c->alloc, c->url.host, c->url.port, c->cfg.timeout_ms, &s);
        if (!rv && c->url.tls) {
#ifdef CWMP_HTTP_HAVE_TLS
            struct cwmp_stream *t = NULL;
            struct cwmp_tls_status st;
            memset(&st, 0, sizeof(st));
            if (!c->tls_session && cwmp_tls_session_new(&c->tls_session, c->alloc) != 0)
                c->tls_session = NULL; /* no resumption, still secure */
            rv = cwmp_tls_wrap_client_ex(c->cfg.tls, s, c->url.host, c->cfg.timeout_ms,
                                         c->tls_session, &st, &t);
            s = rv ? NULL : t;
            if (rv && st.detail[0]) {
                set_detail(c, "TLS with %s:%u: %s", c->url.host, (unsigned) c->url.port, st.detail);
                return rv;
            }
#else
            cwmp_stream_close(s);
            s = NULL;
            rv = CWMP_ERR_UNSUPPORTED;
#endif
        }
    }
    if (rv) {
        set_detail(c, "cannot connect to %s:%u: %s", c->url.host, (unsigned) c->url.port,
                   cwmp_strerror(rv));
        return rv;
    }
    s->timeout_ms = c->cfg.timeout_ms;
    c->stream = s;
    c->connected_once = 1;
    return 0;
}

/* Host header value: IPv6 literals in brackets, default ports omitted. */
static void host_header(const struct cwmp_url *u, char *out, size_t size)
{
    int v6 = strchr(u->host, ':') != NULL;
    int def = u->port == (u->tls ? 443 : 80);
    if (def)
        snprintf(out, size, v6 ? "[%s]" : "%s", u->host);
    else
        snprintf(out, size, v6 ? "[%s]:%u" : "%s:%u", u->host, (unsigned) u->port);
}

static int creds_usable(const struct cwmp_http_client *c, const struct cwmp_http_auth_params *ch)
{
    if (!c->cfg.username || c->creds_disabled)
        return 0;
    if (ch->scheme == CWMP_HTTP_AUTH_BASIC && !c->url.tls && !c->cfg.allow_basic_without_tls)
        return 0;
    return 1;
}

/*
 * Builds the request of the current attempt into c->sbuf: the head, and the
 * body too when @p copy_body or when it is at most 64 KiB (one write, no
 * Nagle stall). *body_rest is what the caller must still send after sbuf.
 */
static int build_request(struct cwmp_http_client *c, int copy_body, size_t *out_len,
                         size_t *body_rest)
{
    const char *method = c->rq_method, *ctype = c->rq_ctype, *soap = c->rq_soap;
    size_t blen = c->rq_blen;
    char host[300], cookie[2048], authz[5120];
    authz[0] = '\0';
    if (c->have_challenge && creds_usable(c, &c->challenge)) {
        int rv = cwmp_http_auth_authorization(&c->challenge, c->cfg.username, c->cfg.password,
                                              method, c->url.path, ++c->nc, c->cfg.rng,
                                              c->cfg.rng_user, authz, sizeof(authz));
        if (rv) {
            set_detail(c, "cannot answer the authentication challenge: %s", cwmp_strerror(rv));
            return rv;
        }
    }
    if (cwmp_cookie_jar_header(c->jar, &c->url, wall_s(), cookie, sizeof(cookie)) != 0)
        cookie[0] = '\0';
    host_header(&c->url, host, sizeof(host));
    char ua[64];
    snprintf(ua, sizeof(ua), "libcwmp/%s", cwmp_version());
    int has_len = blen > 0 || strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0;
    size_t need = strlen(method) + strlen(c->url.path) + strlen(host) + 512 + strlen(cookie) +
                  strlen(authz) + (ctype ? strlen(ctype) : 0) + (soap ? strlen(soap) : 0) +
                  strlen(c->cfg.user_agent ? c->cfg.user_agent : ua);
    if (need + blen < need)
        return CWMP_ERR_LIMIT;
    int inline_body = blen && c->rq_body && (copy_body || blen <= 65536);
    size_t want = need + (inline_body ? blen : 0);
    if (want > c->sbuf_cap) {
        uint8_t *n = cwmp__realloc(c->alloc, c->sbuf, want);
        if (!n)
            return CWMP_ERR_NOMEM;
        c->sbuf = n;
        c->sbuf_cap = want;
    }
    char *h = (char *) c->sbuf;
    int n = cwmp__http_fmt(h, need, "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\n", method,
                           c->url.path, host, c->cfg.user_agent ? c->cfg.user_agent : ua);
    if (n < 0)
        return CWMP_ERR_INTERNAL;
    size_t o = (size_t) n;
#define ADD(...)                                                                                   \
    do {                                                                                           \
        n = cwmp__http_fmt(h + o, need - o, __VA_ARGS__);                                          \
        if (n < 0)                                                                                 \
            return CWMP_ERR_INTERNAL;                                                              \
        o += (size_t) n;                                                                           \
    } while (0)
    if (ctype)
        ADD("Content-Type: %s\r\n", ctype);
    if (soap)
        ADD(soap[0] ? "SOAPAction: %s\r\n" : "SOAPAction:%s\r\n", soap);
    if (has_len)
        ADD("Content-Length: %zu\r\n", blen);
    if (cookie[0])
        ADD("Cookie: %s\r\n", cookie);
    if (authz[0])
        ADD("Authorization: %s\r\n", authz);
    ADD("\r\n");
#undef ADD
    if (inline_body) {
        memcpy(c->sbuf + o, c->rq_body, blen);
        o += blen;
        blen = 0;
    }
    *out_len = o;
    *body_rest = blen;
    return 0;
}

static int body_append(struct cwmp_http_client *c, const uint8_t *d, size_t n)
{
    if (c->body_len + n + 1 > c->body_cap) {
        size_t nc = c->body_cap ? c->body_cap : 4096;
        while (nc < c->body_len + n + 1)
            nc *= 2;
        uint8_t *b = cwmp__realloc(c->alloc, c->body, nc);
        if (!b)
            return CWMP_ERR_NOMEM;
        c->body = b;
        c->body_cap = nc;
    }
    memcpy(c->body + c->body_len, d, n);
    c->body_len += n;
    c->body[c->body_len] = 0;
    return 0;
}

/* Resolves a Location value against the current URL. */
static int resolve_location(struct cwmp_http_client *c, const char *loc, char *out, size_t size)
{
    if (strstr(loc, "://"))
        return cwmp__http_copy(out, size, loc, strlen(loc));
    if (loc[0] == '/' && loc[1] != '/') {
        char host[300];
        host_header(&c->url, host, sizeof(host));
        return cwmp__http_fmt(out, size, "%s://%s%s", c->url.scheme, host, loc) < 0 ? CWMP_ERR_LIMIT
                                                                                    : 0;
    }
    return CWMP_ERR_PARSE;
}

static int pick_challenge(const struct cwmp_http_message *m, struct cwmp_http_auth_params *best)
{
    int found = 0, best_rank = 0;
    struct cwmp_http_auth_params cand;
    for (size_t i = 0; i < m->n_headers; i++) {
        if (!cwmp__http_caseeq(m->headers[i].name, "WWW-Authenticate"))
            continue;
        const char *v = m->headers[i].value;
        if (cwmp_http_auth_parse(v, strlen(v), 1, &cand) != 0)
            continue;
        int r = cand.scheme == CWMP_HTTP_AUTH_BASIC ? 1 : cand.alg == CWMP_DIGEST_SHA256 ? 3 : 2;
        if (r > best_rank) {
            best_rank = r;
            *best = cand;
            found = 1;
        }
    }
    return found;
}

/* ---- the sans-I/O core -------------------------------------------------- */

static int start_request(struct cwmp_http_client *c, const char *method, const char *ctype,
                         const char *soap, const uint8_t *body, size_t blen,
                         const struct xfer_hooks *hooks)
{
    if (!method || (blen && !body && !c->rq_read))
        return CWMP_ERR_INVALID_ARG;
    for (const char *m = method; *m; m++)
        if (!cwmp__http_is_tchar((unsigned char) *m))
            return CWMP_ERR_INVALID_ARG;
    if (!method[0] || (ctype && strpbrk(ctype, "\r\n")) || (soap && strpbrk(soap, "\r\n")))
        return CWMP_ERR_INVALID_ARG;
    c->rq_method = method;
    c->rq_ctype = ctype;
    c->rq_soap = soap;
    c->rq_body = body;
    c->rq_blen = blen;
    c->rq_head = strcmp(method, "HEAD") == 0;
    c->hooks = hooks;
    c->redirects = 0;
    c->auth_tries = 0;
    c->in_request = 1;
    c->detail[0] = '\0';
    return 0;
}

/* Prepares the parser and the buffers for the response of an attempt. */
static void begin_attempt(struct cwmp_http_client *c)
{
    cwmp_http_parser_reset(c->parser);
    if (c->rq_head)
        cwmp_http_parser_expect_no_body(c->parser);
    c->body_len = 0;
    if (c->body)
        c->body[0] = 0;
    c->to_hooks = 0;
    c->got_any = 0;
    c->stray = 0;
}

/* The response is complete: cookies, 401, redirects or the final answer. */
static int finish_response(struct cwmp_http_client *c, struct cwmp_http_response *resp)
{
    const struct cwmp_http_message *m = cwmp_http_parser_message(c->parser);
    int must_close = c->stray || !m->keep_alive;
    char next[2300];
    for (size_t i = 0; i < m->n_headers; i++)
        if (cwmp__http_caseeq(m->headers[i].name, "Set-Cookie"))
            cwmp_cookie_jar_set(c->jar, &c->url, m->headers[i].value, wall_s());
    int st = m->status, rv = 0;
    if (st == 401 && !c->to_hooks) {
        struct cwmp_http_auth_params ch;
        if (!pick_challenge(m, &ch)) {
            set_detail(c, "401 without a usable challenge");
            rv = CWMP_ERR_AUTH;
        } else if (!creds_usable(c, &ch)) {
            set_detail(c, c->cfg.username && !c->creds_disabled
                              ? "Basic authentication refused without TLS"
                              : "authentication required and no credentials to send");
            rv = CWMP_ERR_AUTH;
        } else if (c->auth_tries >= 2 || (c->auth_tries == 1 && !ch.stale)) {
            set_detail(c, "credentials refused by the server");
            rv = CWMP_ERR_AUTH;
        } else {
            c->auth_tries++;
            c->challenge = ch;
            c->have_challenge = 1;
            c->nc = 0;
            return must_close ? CWMP_HTTP_CLIENT_RECONNECT : CWMP_HTTP_CLIENT_RESEND;
        }
    } else if ((st == 301 || st == 302 || st == 303 || st == 307 || st == 308) && !c->to_hooks) {
        const char *loc = cwmp_http_message_header(m, "Location");
        struct cwmp_url nu;
        if (++c->redirects > c->cfg.max_redirects) {
            set_detail(c, "more than %d redirects", c->cfg.max_redirects);
            return CWMP_ERR_HTTP;
        }
        if (!loc || resolve_location(c, loc, next, sizeof(next)) != 0 ||
            check_url(&c->cfg, next, &nu) != 0) {
            set_detail(c, "unusable redirect target");
            return CWMP_ERR_HTTP;
        }
        if (c->url.tls && !nu.tls) {
            set_detail(c, "redirect from https to http refused");
            return CWMP_ERR_HTTP;
        }
        char *n = cwmp__http_strdup(c->alloc, next);
        if (!n)
            return CWMP_ERR_NOMEM;
        int same =
            strcmp(nu.host, c->url.host) == 0 && nu.port == c->url.port && nu.tls == c->url.tls;
        if (!same) {
            must_close = 1;
            c->have_challenge = 0;
            if (!c->cfg.allow_credentials_cross_host)
                c->creds_disabled = 1;
        }
        cwmp__free(c->alloc, c->cur_url);
        c->cur_url = n;
        c->url = nu;
        if (c->cfg.log)
            c->cfg.log(CWMP_LOG_INFO, c->cur_url, c->cfg.log_user);
        c->auth_tries = 0;
        if (st == 303) {
            c->rq_method = c->rq_head ? "HEAD" : "GET";
            c->rq_body = NULL;
            c->rq_blen = 0;
            c->rq_read = NULL;
            c->rq_ctype = NULL;
            c->rq_soap = NULL;
        }
        return must_close ? CWMP_HTTP_CLIENT_RECONNECT : CWMP_HTTP_CLIENT_RESEND;
    }
    if (resp) {
        cwmp__free(c->alloc, c->ctype);
        c->ctype = NULL;
        const char *ct = cwmp_http_message_header(m, "Content-Type");
        if (ct && !(c->ctype = cwmp__http_strdup(c->alloc, ct)))
            return CWMP_ERR_NOMEM;
        resp->status = st;
        resp->body = c->body_len ? c->body : (const uint8_t *) "";
        resp->body_len = c->body_len;
        resp->content_type = c->ctype;
        resp->close = must_close;
    }
    c->in_request = 0;
    return rv;
}

/* Feeds response bytes; see cwmp_http_client_feed(). */
static int feed(struct cwmp_http_client *c, const uint8_t *in, size_t len, size_t *consumed,
                struct cwmp_http_response *resp)
{
    size_t off = 0;
    if (len)
        c->got_any = 1;
    for (;;) {
        size_t used;
        const uint8_t *b;
        size_t bl;
        int ev = cwmp_http_parser_execute(c->parser, in + off, len - off, &used, &b, &bl);
        off += used;
        *consumed = off;
        if (ev < 0) {
            set_detail(c, "malformed response: %s", cwmp_strerror(ev));
            return ev;
        }
        if (ev == CWMP_HTTP_EV_NEED_MORE)
            return CWMP_ERR_AGAIN;
        if (ev == CWMP_HTTP_EV_HEADERS) {
            const struct cwmp_http_message *m = cwmp_http_parser_message(c->parser);
            const struct xfer_hooks *hk = c->hooks;
            if (hk && m->status >= 200 && m->status < 300) {
                c->to_hooks = 1;
                if (hk->on_headers && hk->on_headers(hk->user, m) != 0)
                    return CWMP_ERR_CALLBACK;
            }
        } else if (ev == CWMP_HTTP_EV_BODY) {
            int rv;
            if (c->to_hooks)
                rv = c->hooks->on_body ? c->hooks->on_body(c->hooks->user, b, bl) : 0;
            else if (c->hooks && c->body_len + bl > 65536)
                rv = 0; /* an error page during a transfer: keep only its start */
            else
                rv = body_append(c, b, bl);
            if (rv)
                return rv == CWMP_ERR_NOMEM ? rv : CWMP_ERR_CALLBACK;
        } else if (ev == CWMP_HTTP_EV_DONE) {
            c->stray = off < len; /* the server sent more than one response */
            return finish_response(c, resp);
        }
    }
}

static int peer_closed(struct cwmp_http_client *c, struct cwmp_http_response *resp)
{
    int f = cwmp_http_parser_finish(c->parser);
    if (f == CWMP_HTTP_EV_DONE)
        return finish_response(c, resp);
    set_detail(c, "connection closed before the response was complete");
    return CWMP_ERR_CLOSED;
}

/* ---- public sans-I/O API ------------------------------------------------ */

int cwmp_http_client_start(struct cwmp_http_client *c, const char *method, const char *content_type,
                           const char *soap_action, const uint8_t *body, size_t body_len)
{
    if (!c)
        return CWMP_ERR_INVALID_ARG;
    c->rq_read = NULL;
    return start_request(c, method, content_type, soap_action, body, body_len, NULL);
}

int cwmp_http_client_output(struct cwmp_http_client *c, const uint8_t **out, size_t *out_len)
{
    if (!c || !out || !out_len || !c->in_request)
        return c && out && out_len ? CWMP_ERR_STATE : CWMP_ERR_INVALID_ARG;
    size_t len, rest;
    int rv = build_request(c, 1, &len, &rest);
    if (rv)
        return rv;
    begin_attempt(c);
    *out = c->sbuf;
    *out_len = len;
    return 0;
}

int cwmp_http_client_feed(struct cwmp_http_client *c, const uint8_t *in, size_t len,
                          size_t *consumed, struct cwmp_http_response *resp)
{
    if (consumed)
        *consumed = 0;
    if (!c || !consumed || !resp || (len && !in))
        return CWMP_ERR_INVALID_ARG;
    if (!c->in_request)
        return CWMP_ERR_STATE;
    memset(resp, 0, sizeof(*resp));
    if (len == 0)
        return peer_closed(c, resp);
    return feed(c, in, len, consumed, resp);
}

int cwmp_http_client_target(const struct cwmp_http_client *c, const char **host, uint16_t *port,
                            int *tls)
{
    if (!c)
        return CWMP_ERR_INVALID_ARG;
    if (host)
        *host = c->url.host;
    if (port)
        *port = c->url.port;
    if (tls)
        *tls = c->url.tls;
    return 0;
}

/* ---- the blocking driver ------------------------------------------------ */

static int client_exchange(struct cwmp_http_client *c, const char *method, const char *ctype,
                           const char *soap, const uint8_t *body, size_t blen,
                           const struct xfer_hooks *hooks, struct cwmp_http_response *resp)
{
    struct cwmp_http_response scratch;
    if (!resp)
        resp = &scratch;
    memset(resp, 0, sizeof(*resp));
    int rv = start_request(c, method, ctype, soap, body, blen, hooks);
    if (rv)
        return rv;
    for (;;) {
        int reused = c->stream != NULL;
        if (!c->stream && (rv = do_connect(c)) != 0)
            break;
        size_t len, rest;
        rv = build_request(c, 0, &len, &rest);
        if (rv)
            break;
        begin_attempt(c);
        rv = cwmp_stream_write_all(c->stream, c->sbuf, len);
        if (!rv && rest && c->rq_body) {
            rv = cwmp_stream_write_all(c->stream, c->rq_body, rest);
        } else if (!rv && rest) {
            /* streamed body: through the read buffer, idle while sending */
            for (uint64_t done = 0; !rv && done < rest;) {
                size_t want = rest - done < CLIENT_RBUF ? (size_t) (rest - done) : CLIENT_RBUF;
                int n = c->rq_read(c->rq_read_user, done, c->rbuf, want);
                if (n <= 0 || (size_t) n > want) {
                    set_detail(c, "the application could not read the file to send");
                    rv = CWMP_ERR_CALLBACK;
                    break;
                }
                rv = cwmp_stream_write_all(c->stream, c->rbuf, (size_t) n);
                done += (uint64_t) n;
            }
        }
        cwmp_time_ms deadline = cwmp__http_now_ms() + 4 * (cwmp_time_ms) c->cfg.timeout_ms;
        while (!rv) {
            if (cwmp__http_now_ms() > deadline) {
                set_detail(c, "response not complete in time");
                rv = CWMP_ERR_TIMEOUT;
                break;
            }
            int r = cwmp_stream_read(c->stream, c->rbuf, CLIENT_RBUF);
            if (r < 0) {
                set_detail(c, "reading the response: %s", cwmp_strerror(r));
                rv = r;
                break;
            }
            if (r == 0) {
                rv = peer_closed(c, resp);
                break;
            }
            size_t used;
            rv = feed(c, c->rbuf, (size_t) r, &used, resp);
            if (rv != CWMP_ERR_AGAIN)
                break;
            rv = 0;
        }
        if (rv < 0 && reused && !c->got_any && (rv == CWMP_ERR_CLOSED || rv == CWMP_ERR_IO)) {
            /* The server closed an idle kept-alive connection: once more on
             * a new one (no byte of a response was seen). */
            drop_conn(c);
            continue;
        }
        if (rv == CWMP_HTTP_CLIENT_RESEND)
            continue;
        if (rv == CWMP_HTTP_CLIENT_RECONNECT) {
            drop_conn(c);
            continue;
        }
        if (rv < 0 && rv != CWMP_ERR_AUTH)
            drop_conn(c);
        else if (resp->close)
            drop_conn(c);
        break;
    }
    c->in_request = 0;
    return rv;
}

int cwmp_http_client_request(struct cwmp_http_client *c, const char *method,
                             const char *content_type, const char *soap_action, const uint8_t *body,
                             size_t body_len, struct cwmp_http_response *resp)
{
    if (!c || !resp)
        return CWMP_ERR_INVALID_ARG;
    c->rq_read = NULL;
    return client_exchange(c, method, content_type, soap_action, body, body_len, NULL, resp);
}

/* ---- ACS-side connection request --------------------------------------- */

int cwmp_cr_send(const struct cwmp_http_client_config *cfg, const char *url, int *http_status)
{
    struct cwmp_http_client *c;
    struct cwmp_http_response r;
    if (http_status)
        *http_status = 0;
    int rv = cwmp_http_client_new(&c, cfg, url);
    if (rv)
        return rv;
    rv = cwmp_http_client_request(c, "GET", NULL, NULL, NULL, 0, &r);
    if (http_status)
        *http_status = r.status;
    if (rv == 0 && r.status != 200 && r.status != 204)
        rv = (r.status == 401 || r.status == 403) ? CWMP_ERR_AUTH : CWMP_ERR_HTTP;
    if (rv == CWMP_ERR_AUTH && http_status && !*http_status)
        *http_status = 401;
    cwmp_http_client_free(c);
    return rv;
}

/* ---- file transfers ----------------------------------------------------- */

struct dl_state {
    const struct cwmp_http_transfer *t;
    uint64_t max, done, expected;
    int fault;
    char *detail;
    size_t detail_size;
};

static int dl_headers(void *user, const struct cwmp_http_message *m)
{
    struct dl_state *d = user;
    uint64_t expected = m->content_length >= 0 ? (uint64_t) m->content_length : 0;
    if (expected && expected > d->max) {
        d->fault = CWMP_FAULT_DOWNLOAD_FAILURE;
        snprintf(d->detail, d->detail_size, "file of %llu bytes exceeds the limit",
                 (unsigned long long) expected);
        return 1;
    }
    if (expected && d->t->file_size && expected != d->t->file_size) {
        d->fault = CWMP_FAULT_FILE_CORRUPTED;
        snprintf(d->detail, d->detail_size, "server announces %llu bytes, FileSize is %llu",
                 (unsigned long long) expected, (unsigned long long) d->t->file_size);
        return 1;
    }
    d->expected = expected ? expected : d->t->file_size;
    if (d->t->open) {
        int f = d->t->open(d->t->user, d->t->target_file_name, d->expected);
        if (f) {
            d->fault = f > 0 ? f : CWMP_FAULT_DOWNLOAD_FAILURE;
            snprintf(d->detail, d->detail_size, "the application refused the file");
            return 1;
        }
    }
    return 0;
}

static int dl_body(void *user, const uint8_t *data, size_t len)
{
    struct dl_state *d = user;
    if (d->done + len > d->max || (d->t->file_size && d->done + len > d->t->file_size)) {
        d->fault = d->done + len > d->max ? CWMP_FAULT_DOWNLOAD_FAILURE : CWMP_FAULT_FILE_CORRUPTED;
        snprintf(d->detail, d->detail_size, "file larger than %s",
                 d->done + len > d->max ? "the limit" : "FileSize");
        return 1;
    }
    if (d->t->write) {
        int f = d->t->write(d->t->user, data, len);
        if (f) {
            d->fault = f > 0 ? f : CWMP_FAULT_DOWNLOAD_FAILURE;
            snprintf(d->detail, d->detail_size, "the application could not store the file");
            return 1;
        }
    }
    d->done += len;
    if (d->t->progress)
        d->t->progress(d->t->user, d->done, d->expected);
    return 0;
}

/* Maps a transport error to a fault code. */
static int fault_of(int rv, int connected, int upload)
{
    switch (rv) {
    case CWMP_ERR_NOMEM:
    case CWMP_ERR_INTERNAL: return CWMP_FAULT_INTERNAL_ERROR;
    case CWMP_ERR_UNSUPPORTED: return CWMP_FAULT_UNSUPPORTED_PROTOCOL;
    case CWMP_ERR_AUTH: return CWMP_FAULT_FILE_SERVER_AUTH_FAILURE;
    default: break;
    }
    if (upload)
        return CWMP_FAULT_UPLOAD_FAILURE;
    if (!connected)
        return CWMP_FAULT_FILE_SERVER_UNREACHABLE;
    if (rv == CWMP_ERR_CLOSED || rv == CWMP_ERR_TIMEOUT || rv == CWMP_ERR_IO)
        return CWMP_FAULT_DOWNLOAD_INCOMPLETE;
    return CWMP_FAULT_DOWNLOAD_FAILURE;
}

static int fault_of_status(int st, int upload)
{
    if (st == 401 || st == 407)
        return CWMP_FAULT_FILE_SERVER_AUTH_FAILURE;
    if (st == 403 || st == 404 || st == 410)
        return upload ? CWMP_FAULT_UPLOAD_FAILURE : CWMP_FAULT_FILE_ACCESS_FAILURE;
    return upload ? CWMP_FAULT_UPLOAD_FAILURE : CWMP_FAULT_DOWNLOAD_FAILURE;
}

static int transfer_client(const struct cwmp_http_client_config *cfg, const struct cwmp_http_transfer *t,
                           struct cwmp_http_client **c, char *detail, size_t ds, int upload)
{
    struct cwmp_http_client_config cc = *cfg;
    cc.username = (t->username && t->username[0]) ? t->username : NULL;
    cc.password = cc.username ? (t->password ? t->password : "") : NULL;
    cc.limits.max_body = UINT64_MAX; /* streamed; dl_body enforces max_size */
    struct cwmp_url u;
    int rv = cwmp_url_parse(t->url, &u);
    if (rv == CWMP_ERR_UNSUPPORTED) {
        snprintf(detail, ds, "unsupported protocol \"%s\"", u.scheme);
        return CWMP_FAULT_UNSUPPORTED_PROTOCOL;
    }
    if (rv) {
        snprintf(detail, ds, "malformed URL");
        return upload ? CWMP_FAULT_UPLOAD_FAILURE : CWMP_FAULT_DOWNLOAD_FAILURE;
    }
    rv = cwmp_http_client_new(c, &cc, t->url);
    if (rv) {
        snprintf(detail, ds, "%s",
                 rv == CWMP_ERR_UNSUPPORTED ? "https without a TLS configuration"
                                            : cwmp_strerror(rv));
        return fault_of(rv, 0, upload);
    }
    return 0;
}

int cwmp_http_download(const struct cwmp_http_client_config *cfg, const struct cwmp_http_transfer *t,
                       char *detail, size_t detail_size)
{
    char dummy[8];
    if (!detail || !detail_size) {
        detail = dummy;
        detail_size = sizeof(dummy);
    }
    detail[0] = '\0';
    if (!cfg || !t || !t->url)
        return CWMP_FAULT_INVALID_ARGUMENTS;
    struct cwmp_http_client *c;
    int f = transfer_client(cfg, t, &c, detail, detail_size, 0);
    if (f)
        return f;
    struct dl_state d = {.t = t,
                         .max = t->max_size ? t->max_size : 64u * 1024 * 1024,
                         .detail = detail,
                         .detail_size = detail_size};
    struct xfer_hooks hooks = {dl_headers, dl_body, &d};
    struct cwmp_http_response r;
    int rv = client_exchange(c, "GET", NULL, NULL, NULL, 0, &hooks, &r);
    if (rv == CWMP_ERR_CALLBACK && d.fault) {
        f = d.fault;
    } else if (rv < 0) {
        if (!detail[0])
            snprintf(detail, detail_size, "%s", c->detail[0] ? c->detail : cwmp_strerror(rv));
        f = fault_of(rv, c->connected_once, 0);
    } else if (r.status < 200 || r.status >= 300) {
        snprintf(detail, detail_size, "HTTP status %d", r.status);
        f = fault_of_status(r.status, 0);
    } else if (d.expected && d.done != d.expected) {
        snprintf(detail, detail_size, "got %llu of %llu bytes", (unsigned long long) d.done,
                 (unsigned long long) d.expected);
        f = d.done < d.expected ? CWMP_FAULT_DOWNLOAD_INCOMPLETE : CWMP_FAULT_FILE_CORRUPTED;
    } else {
        f = 0;
    }
    cwmp_http_client_free(c);
    return f;
}

int cwmp_http_upload(const struct cwmp_http_client_config *cfg, const struct cwmp_http_transfer *t,
                     char *detail, size_t detail_size)
{
    char dummy[8];
    if (!detail || !detail_size) {
        detail = dummy;
        detail_size = sizeof(dummy);
    }
    detail[0] = '\0';
    if (!cfg || !t || !t->url || (t->data_len && !t->data && !t->read))
        return CWMP_FAULT_INVALID_ARGUMENTS;
    const char *method = t->method ? t->method : "PUT";
    if (strcmp(method, "PUT") != 0 && strcmp(method, "POST") != 0)
        return CWMP_FAULT_INVALID_ARGUMENTS;
    struct cwmp_http_client *c;
    int f = transfer_client(cfg, t, &c, detail, detail_size, 1);
    if (f)
        return f;
    struct xfer_hooks hooks = {NULL, NULL, NULL};
    struct cwmp_http_response r;
    const char *ct = t->content_type ? t->content_type : "application/octet-stream";
    if (strpbrk(ct, "\r\n")) {
        cwmp_http_client_free(c);
        return CWMP_FAULT_INVALID_ARGUMENTS;
    }
    if (!t->data) {
        c->rq_read = t->read;
        c->rq_read_user = t->user;
    }
    int rv = client_exchange(c, method, ct, NULL, t->data, t->data_len, &hooks, &r);
    if (rv < 0) {
        snprintf(detail, detail_size, "%s", c->detail[0] ? c->detail : cwmp_strerror(rv));
        f = fault_of(rv, 1, 1);
    } else if (r.status < 200 || r.status >= 300) {
        snprintf(detail, detail_size, "HTTP status %d", r.status);
        f = fault_of_status(r.status, 1);
    } else {
        f = 0;
        if (t->progress)
            t->progress(t->user, t->data_len, t->data_len);
    }
    cwmp_http_client_free(c);
    return f;
}
