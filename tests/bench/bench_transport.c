/*
 * libcwmp benchmark - CWMP-shaped sessions over loopback, plain and TLS,
 * one process each side (the servers are forked children):
 *   8 KB Inform POST -> 200 + 600-byte reply, empty POST -> 204, close.
 *
 * Measured in the same run, alternating in rounds to share the noise:
 *   bare plain HTTP      raw sockets exchanging the same bytes (baseline 1)
 *   libcwmp plain        cwmp_http_client + server helpers over cwmp_tcp
 *   bare TLS full        mbedTLS handshake loop, nothing else (baseline 2)
 *   libcwmp TLS full     the session above over cwmp_tls (full handshake)
 *   bare TLS resumed     mbedTLS handshake loop with resumption (baseline 3)
 *   libcwmp TLS resumed  the session over cwmp_tls with a resumption holder
 *   bare TLS same bytes  the resumed handshake plus the same HTTP bytes over
 *                        bare mbedTLS (the like-for-like baseline)
 * Targets: libcwmp plain >= 50 % of bare plain; libcwmp TLS resumed >= 80 %
 * of the bare resumed handshake.
 *
 * bench_transport [plain [full [resumed]]]   sessions per mode (default 1000 60 400;
 * full = 0 skips the full-handshake modes, e.g. to profile the resumed ones)
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tls_compat.h"

#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl_cache.h>
#include <mbedtls/ssl_ticket.h>

#include <cwmp/http.h>
#include <cwmp/tls.h>
#include <cwmp/transport.h>

#include "testpki.h"

#define INFORM_SIZE 8192
#define REPLY_SIZE  600

static uint8_t inform[INFORM_SIZE];
static uint8_t reply[REPLY_SIZE];
static char pki_dir[64];

static const char *pki(const char *name)
{
    static char buf[3][256];
    static int i;
    i = (i + 1) % 3;
    return testpki_path(buf[i], sizeof(buf[i]), pki_dir, name);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* ---- servers (children) ------------------------------------------------------- */

static void serve_http(struct cwmp_stream *s, struct cwmp_http_parser *p)
{
    static uint8_t buf[16384];
    size_t blen = 0;
    for (;;) {
        if (cwmp_http_read_head(s, p, buf, sizeof(buf), &blen, 5000) != CWMP_HTTP_EV_HEADERS)
            break;
        int has = cwmp_http_parser_message(p)->content_length > 0;
        if (cwmp_http_read_body(s, p, buf, sizeof(buf), &blen, NULL, NULL) != 0)
            break;
        int rv =
            has ? cwmp_http_write_response(s, 200, "Content-Type: text/xml; charset=\"utf-8\"\r\n",
                                           reply, sizeof(reply), 1)
                : cwmp_http_write_response(s, 204, NULL, NULL, 0, 1);
        if (rv)
            break;
    }
    cwmp_stream_close(s);
}

static void serve_lib(int lfd, int tls)
{
    struct cwmp_http_parser *p;
    if (cwmp_http_parser_new(&p, NULL, CWMP_HTTP_PARSE_REQUEST, NULL) != 0)
        _exit(1);
    struct cwmp_tls_config *cfg = NULL;
    if (tls &&
        (cwmp_tls_config_new(&cfg, CWMP_TLS_SERVER, NULL) != 0 ||
         cwmp_tls_config_set_own_cert_file(cfg, pki("server.crt"), pki("server.key"), NULL) != 0))
        _exit(1);
    for (;;) {
        struct cwmp_stream *s, *t;
        if (cwmp_tcp_accept(NULL, lfd, -1, NULL, 0, &s) != 0)
            continue;
        if (tls) {
            if (cwmp_tls_wrap_server(cfg, s, 5000, &t) != 0)
                continue;
            s = t;
        }
        serve_http(s, p);
    }
}

static void serve_lib_plain(int lfd)
{
    serve_lib(lfd, 0);
}

static void serve_lib_tls(int lfd)
{
    serve_lib(lfd, 1);
}

static const char bare_200_head[] = "HTTP/1.1 200 OK\r\nContent-Length: 600\r\n"
                                    "Content-Type: text/xml; charset=\"utf-8\"\r\n\r\n";
static const char bare_204[] = "HTTP/1.1 204 No Content\r\n\r\n";

static char *find(char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return hay + i;
    return NULL;
}

/* The bare loops read through a plain fd or a bare mbedTLS context. */
typedef long (*rd_fn)(void *ctx, char *buf, size_t n);

static long rd_fd(void *ctx, char *buf, size_t n)
{
    return (long) read(*(int *) ctx, buf, n);
}

static long rd_ssl(void *ctx, char *buf, size_t n)
{
    int r = mbedtls_ssl_read(ctx, (unsigned char *) buf, n);
    return r > 0 ? r : -1;
}

static int wr_ssl_all(mbedtls_ssl_context *ssl, const char *buf, size_t n)
{
    while (n > 0) {
        int r = mbedtls_ssl_write(ssl, (const unsigned char *) buf, n);
        if (r <= 0)
            return -1;
        buf += r;
        n -= (size_t) r;
    }
    return 0;
}

static int bare_read_request(rd_fn rd, void *ctx, char *buf, size_t size, size_t *have,
                             size_t *body)
{
    for (;;) {
        char *e = *have >= 4 ? find(buf, *have, "\r\n\r\n") : NULL;
        if (e) {
            size_t head = (size_t) (e - buf) + 4;
            char *cl = find(buf, head, "Content-Length: ");
            size_t len = cl ? strtoul(cl + 16, NULL, 10) : 0;
            while (*have < head + len) {
                long n = rd(ctx, buf + *have, size - *have);
                if (n <= 0)
                    return -1;
                *have += (size_t) n;
            }
            *body = len;
            memmove(buf, buf + head + len, *have - head - len);
            *have -= head + len;
            return 0;
        }
        if (*have == size)
            return -1;
        long n = rd(ctx, buf + *have, size - *have);
        if (n <= 0)
            return -1;
        *have += (size_t) n;
    }
}

static void serve_bare_plain(int lfd)
{
    static char buf[32768], out[2048];
    memcpy(out, bare_200_head, sizeof(bare_200_head) - 1);
    memcpy(out + sizeof(bare_200_head) - 1, reply, sizeof(reply));
    size_t outlen = sizeof(bare_200_head) - 1 + sizeof(reply);
    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0)
            continue;
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        size_t have = 0, body;
        while (bare_read_request(rd_fd, &fd, buf, sizeof(buf), &have, &body) == 0) {
            const char *o = body ? out : bare_204;
            size_t ol = body ? outlen : sizeof(bare_204) - 1;
            if (write(fd, o, ol) != (ssize_t) ol)
                break;
        }
        close(fd);
    }
}

/* Bare mbedTLS: one config, tickets + cache, handshake then wait for close. */
struct bare_tls {
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_ssl_config conf;
    mbedtls_x509_crt crt;
    mbedtls_pk_context key;
    mbedtls_ssl_ticket_context ticket;
    mbedtls_ssl_cache_context cache;
    mbedtls_ssl_session saved; /* client: kept across rounds, like libcwmp's holder */
    int have;
};

static int bare_tls_init(struct bare_tls *b, int server)
{
    mbedtls_entropy_init(&b->entropy);
    mbedtls_ctr_drbg_init(&b->drbg);
    mbedtls_ssl_config_init(&b->conf);
    mbedtls_x509_crt_init(&b->crt);
    mbedtls_pk_init(&b->key);
    mbedtls_ssl_ticket_init(&b->ticket);
    mbedtls_ssl_cache_init(&b->cache);
    mbedtls_ssl_session_init(&b->saved);
    b->have = 0;
    if (cwmp__mbed_crypto_init() != 0 ||
        mbedtls_ctr_drbg_seed(&b->drbg, mbedtls_entropy_func, &b->entropy, NULL, 0) != 0 ||
        mbedtls_ssl_config_defaults(&b->conf,
                                    server ? MBEDTLS_SSL_IS_SERVER : MBEDTLS_SSL_IS_CLIENT,
                                    MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT) != 0)
        return -1;
    mbedtls_ssl_conf_rng(&b->conf, mbedtls_ctr_drbg_random, &b->drbg);
    cwmp__mbed_tls12_only(&b->conf);
    if (server) {
        if (mbedtls_x509_crt_parse_file(&b->crt, pki("server.crt")) != 0 ||
            cwmp__mbed_pk_parse_keyfile(&b->key, pki("server.key"), NULL, mbedtls_ctr_drbg_random,
                                        &b->drbg) != 0 ||
            mbedtls_ssl_conf_own_cert(&b->conf, &b->crt, &b->key) != 0 ||
            mbedtls_ssl_ticket_setup(&b->ticket, mbedtls_ctr_drbg_random, &b->drbg,
                                     MBEDTLS_CIPHER_AES_256_GCM, 3600) != 0)
            return -1;
        mbedtls_ssl_conf_session_tickets_cb(&b->conf, mbedtls_ssl_ticket_write,
                                            mbedtls_ssl_ticket_parse, &b->ticket);
        mbedtls_ssl_conf_session_cache(&b->conf, &b->cache, mbedtls_ssl_cache_get,
                                       mbedtls_ssl_cache_set);
    } else {
        if (mbedtls_x509_crt_parse_file(&b->crt, pki("ca.crt")) != 0)
            return -1;
        mbedtls_ssl_conf_ca_chain(&b->conf, &b->crt, NULL);
        mbedtls_ssl_conf_authmode(&b->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    }
    return 0;
}

static void serve_bare_tls(int lfd)
{
    static struct bare_tls b;
    if (bare_tls_init(&b, 1) != 0)
        _exit(1);
    for (;;) {
        mbedtls_net_context net;
        net.fd = accept(lfd, NULL, NULL);
        if (net.fd < 0)
            continue;
        int one = 1; /* as fair as libcwmp's sockets: no Nagle stalls */
        setsockopt(net.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        mbedtls_ssl_context ssl;
        mbedtls_ssl_init(&ssl);
        if (mbedtls_ssl_setup(&ssl, &b.conf) == 0) {
            mbedtls_ssl_set_bio(&ssl, &net, mbedtls_net_send, mbedtls_net_recv, NULL);
            if (mbedtls_ssl_handshake(&ssl) == 0) {
                /* Handshake-only clients send close_notify at once (the read
                 * fails); exchange clients get the bare HTTP answers. */
                static char buf[32768], out[2048];
                memcpy(out, bare_200_head, sizeof(bare_200_head) - 1);
                memcpy(out + sizeof(bare_200_head) - 1, reply, sizeof(reply));
                size_t outlen = sizeof(bare_200_head) - 1 + sizeof(reply);
                size_t have = 0, body;
                while (bare_read_request(rd_ssl, &ssl, buf, sizeof(buf), &have, &body) == 0) {
                    if (wr_ssl_all(&ssl, body ? out : bare_204,
                                   body ? outlen : sizeof(bare_204) - 1) != 0)
                        break;
                }
            }
        }
        mbedtls_ssl_free(&ssl);
        close(net.fd);
    }
}

/* ---- clients -------------------------------------------------------------------- */

struct tls_client {
    struct cwmp_tls_config *cfg;
    struct cwmp_tls_session *session; /* NULL: full handshakes */
    int handshakes, resumed;
};

/* The HTTP client's connect hook: TCP to 127.0.0.1, TLS verifying "localhost". */
static int tls_connect(void *user, const char *host, uint16_t port, int tls, int timeout_ms,
                       struct cwmp_stream **out)
{
    struct tls_client *tc = user;
    struct cwmp_stream *tcp;
    (void) host;
    int rv = cwmp_tcp_connect(NULL, "127.0.0.1", port, timeout_ms, &tcp);
    if (rv != 0 || !tls) {
        *out = tcp;
        return rv;
    }
    rv = cwmp_tls_wrap_client_ex(tc->cfg, tcp, "localhost", timeout_ms, tc->session, NULL, out);
    if (rv == 0) {
        tc->handshakes++;
        tc->resumed += cwmp_tls_resumed(*out) == 1;
    }
    return rv;
}

static int run_lib(uint16_t port, int sessions, struct tls_client *tc)
{
    char url[64];
    snprintf(url, sizeof(url), "%s://localhost:%u/acs", tc ? "https" : "http", (unsigned) port);
    struct cwmp_http_client_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.timeout_ms = 5000;
    if (tc) {
        cfg.tls = tc->cfg;
        cfg.connect = tls_connect;
        cfg.connect_user = tc;
    }
    struct cwmp_http_client *c;
    if (cwmp_http_client_new(&c, &cfg, url) != 0)
        return -1;
    struct cwmp_http_response r;
    int rv = 0;
    for (int i = 0; i < sessions && !rv; i++) {
        if (cwmp_http_client_request(c, "POST", "text/xml; charset=\"utf-8\"", "", inform,
                                     sizeof(inform), &r) != 0 ||
            r.status != 200 || r.body_len != REPLY_SIZE)
            rv = -1;
        else if (cwmp_http_client_request(c, "POST", NULL, NULL, NULL, 0, &r) != 0 ||
                 r.status != 204)
            rv = -1;
        cwmp_http_client_end_session(c);
    }
    if (rv)
        fprintf(stderr, "libcwmp session failed: %s\n", cwmp_http_client_error_detail(c));
    cwmp_http_client_free(c);
    return rv;
}

static int connect_raw(uint16_t port)
{
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (connect(fd, (struct sockaddr *) &sa, sizeof(sa)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int read_n_rd(rd_fn rd, void *ctx, char *buf, size_t size, size_t want)
{
    size_t have = 0;
    while (have < want) {
        long n = rd(ctx, buf + have, size - have);
        if (n <= 0)
            return -1;
        have += (size_t) n;
    }
    return 0;
}

static int read_n(int fd, char *buf, size_t size, size_t want)
{
    size_t have = 0;
    while (have < want) {
        ssize_t n = read(fd, buf + have, size - have);
        if (n <= 0)
            return -1;
        have += (size_t) n;
    }
    return 0;
}

/* The two requests of a session, byte for byte what a minimal client sends. */
static char req[INFORM_SIZE + 512], empty[256];
static size_t reqlen, emptylen;

static void build_requests(uint16_t port)
{
    int hl = snprintf(req, sizeof(req),
                      "POST /acs HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nUser-Agent: bare\r\n"
                      "Content-Type: text/xml; charset=\"utf-8\"\r\nSOAPAction: \r\n"
                      "Content-Length: %d\r\n\r\n",
                      (unsigned) port, INFORM_SIZE);
    memcpy(req + hl, inform, INFORM_SIZE);
    reqlen = (size_t) hl + INFORM_SIZE;
    emptylen = (size_t) snprintf(empty, sizeof(empty),
                                 "POST /acs HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                                 "Content-Length: 0\r\n\r\n",
                                 (unsigned) port);
}

static int run_bare_plain(uint16_t port, int sessions)
{
    static char buf[4096];
    build_requests(port);
    int el = (int) emptylen;
    size_t resp200 = sizeof(bare_200_head) - 1 + REPLY_SIZE;
    for (int i = 0; i < sessions; i++) {
        int fd = connect_raw(port);
        if (fd < 0)
            return -1;
        int bad = write(fd, req, reqlen) != (ssize_t) reqlen ||
                  read_n(fd, buf, sizeof(buf), resp200) != 0 ||
                  write(fd, empty, (size_t) el) != el ||
                  read_n(fd, buf, sizeof(buf), sizeof(bare_204) - 1) != 0;
        close(fd);
        if (bad)
            return -1;
    }
    return 0;
}

__attribute__((noinline)) static int run_bare_tls(struct bare_tls *b, uint16_t port, int sessions,
                                                  int resume, int exchange)
{
    int rv = 0;
    for (int i = 0; i < sessions && !rv; i++) {
        mbedtls_net_context net;
        net.fd = connect_raw(port);
        if (net.fd < 0)
            return -1;
        mbedtls_ssl_context ssl;
        mbedtls_ssl_init(&ssl);
        if (mbedtls_ssl_setup(&ssl, &b->conf) != 0 ||
            mbedtls_ssl_set_hostname(&ssl, "localhost") != 0)
            rv = -1;
        mbedtls_ssl_set_bio(&ssl, &net, mbedtls_net_send, mbedtls_net_recv, NULL);
        if (!rv && resume && b->have)
            (void) mbedtls_ssl_set_session(&ssl, &b->saved);
        if (!rv && mbedtls_ssl_handshake(&ssl) != 0)
            rv = -1;
        if (!rv && resume && !b->have && mbedtls_ssl_get_session(&ssl, &b->saved) == 0)
            b->have = 1;
        if (!rv && exchange) {
            static char buf[4096];
            size_t resp200 = sizeof(bare_200_head) - 1 + REPLY_SIZE;
            if (wr_ssl_all(&ssl, req, reqlen) != 0 ||
                read_n_rd(rd_ssl, &ssl, buf, sizeof(buf), resp200) != 0 ||
                wr_ssl_all(&ssl, empty, emptylen) != 0 ||
                read_n_rd(rd_ssl, &ssl, buf, sizeof(buf), sizeof(bare_204) - 1) != 0)
                rv = -1;
        }
        if (!rv)
            (void) mbedtls_ssl_close_notify(&ssl);
        mbedtls_ssl_free(&ssl);
        close(net.fd);
    }
    return rv;
}

static pid_t spawn(void (*fn)(int), uint16_t *port)
{
    int lfd;
    if (cwmp_tcp_listen("127.0.0.1", 0, 128, &lfd) != 0)
        return -1;
    *port = cwmp_tcp_local_port(lfd);
    pid_t pid = fork();
    if (pid == 0) {
        fn(lfd);
        _exit(0);
    }
    close(lfd);
    return pid;
}

enum {
    BARE_PLAIN,
    LIB_PLAIN,
    BARE_FULL,
    LIB_FULL,
    BARE_RESUMED,
    LIB_RESUMED,
    BARE_RESUMED_X,
    NMODES
};
static const char *const mode_names[NMODES] = {
    "bare plain HTTP (raw sockets)",     "libcwmp plain HTTP session",
    "bare mbedTLS full handshake",       "libcwmp TLS session, full handshake",
    "bare mbedTLS resumed handshake",    "libcwmp TLS session, resumed",
    "bare mbedTLS resumed + same bytes",
};
/* Ratios reported: libcwmp mode / its bare baseline. */
static const struct {
    int lib, bare;
    const char *name, *target;
} pairs[] = {
    {LIB_PLAIN, BARE_PLAIN, "libcwmp plain / bare plain HTTP        ", " (target >= 50 %)"},
    {LIB_FULL, BARE_FULL, "libcwmp TLS full / bare full handshake ", ""},
    {LIB_RESUMED, BARE_RESUMED, "libcwmp TLS resumed / bare resumed hs  ", " (target >= 80 %)"},
    {LIB_RESUMED, BARE_RESUMED_X, "libcwmp TLS resumed / bare same bytes  ", ""},
};
#define NPAIRS (sizeof(pairs) / sizeof(pairs[0]))

int main(int argc, char **argv)
{
    int plain_n = argc > 1 ? atoi(argv[1]) : 1000;
    int full_n = argc > 2 ? atoi(argv[2]) : 60;
    int res_n = argc > 3 ? atoi(argv[3]) : 400;
    if (plain_n < 4)
        plain_n = 1000;
    if (full_n < 0 || (full_n > 0 && full_n < 8))
        full_n = 60; /* 0: skip the full-handshake modes (for profiling) */
    if (res_n < 4)
        res_n = 400;
    for (size_t i = 0; i < sizeof(inform); i++)
        inform[i] = (uint8_t) ('a' + i % 26);
    memset(reply, 'r', sizeof(reply));
    snprintf(pki_dir, sizeof(pki_dir), "/tmp/cwmp-bench-XXXXXX");
    char err[256];
    if (!mkdtemp(pki_dir) || testpki_generate(pki_dir, err, sizeof(err)) != 0) {
        fprintf(stderr, "test PKI: %s\n", err);
        return 1;
    }
    uint16_t port[4];
    pid_t pid[4] = {spawn(serve_bare_plain, &port[0]), spawn(serve_lib_plain, &port[1]),
                    spawn(serve_bare_tls, &port[2]), spawn(serve_lib_tls, &port[3])};
    int rv = 0;
    for (int i = 0; i < 4; i++)
        rv |= pid[i] < 0;

    build_requests(port[2]);
    static struct bare_tls bare;
    struct tls_client full = {0}, res = {0};
    rv |= bare_tls_init(&bare, 0);
    rv |= cwmp_tls_config_new(&full.cfg, CWMP_TLS_CLIENT, NULL);
    rv |= cwmp_tls_config_add_ca_file(full.cfg, pki("ca.crt"));
    res.cfg = full.cfg;
    rv |= cwmp_tls_session_new(&res.session, NULL);

    /* Warm-up (also primes the resumption holders), then rounds. */
    if (!rv)
        rv |= run_bare_plain(port[0], 20) | run_lib(port[1], 20, NULL) |
              run_bare_tls(&bare, port[2], full_n ? 5 : 0, 0, 0) |
              run_lib(port[3], full_n ? 5 : 0, &full) | run_bare_tls(&bare, port[2], 5, 1, 1) |
              run_lib(port[3], 5, &res);
    enum { ROUNDS = 8 };
    double t[NMODES] = {0}, ratio[NPAIRS][ROUNDS];
    int n[NMODES] = {0};
    full.handshakes = full.resumed = res.handshakes = res.resumed = 0;
    for (int round = 0; round < ROUNDS && !rv; round++) {
        int pn = plain_n / ROUNDS, fn = full_n / ROUNDS, rn = res_n / ROUNDS;
        double d[NMODES];
        /* Every other round runs the modes backwards, so no mode always
         * follows the same one (order effects: caches, the scheduler). */
        for (int i = 0; i < NMODES && !rv; i++) {
            int m = round % 2 ? NMODES - 1 - i : i;
            double t0 = now_s();
            switch (m) {
            case BARE_PLAIN: rv |= run_bare_plain(port[0], pn); break;
            case LIB_PLAIN: rv |= run_lib(port[1], pn, NULL); break;
            case BARE_FULL: rv |= run_bare_tls(&bare, port[2], fn, 0, 0); break;
            case LIB_FULL: rv |= run_lib(port[3], fn, &full); break;
            case BARE_RESUMED: rv |= run_bare_tls(&bare, port[2], rn, 1, 0); break;
            case LIB_RESUMED: rv |= run_lib(port[3], rn, &res); break;
            default: rv |= run_bare_tls(&bare, port[2], rn, 1, 1); break;
            }
            d[m] = now_s() - t0;
        }
        if (rv)
            break;
        for (int m = 0; m < NMODES; m++) {
            t[m] += d[m];
            n[m] += m < BARE_FULL ? pn : m < BARE_RESUMED ? fn : rn;
        }
        /* Per-round ratios (same count on both sides: a time ratio). */
        for (size_t k = 0; k < NPAIRS; k++)
            ratio[k][round] = d[pairs[k].bare] / d[pairs[k].lib];
    }
    for (int i = 0; i < 4; i++) {
        if (pid[i] > 0) {
            kill(pid[i], SIGTERM);
            waitpid(pid[i], NULL, 0);
        }
    }
    testpki_remove(pki_dir);
    if (rv) {
        fprintf(stderr, "a session failed\n");
        return 1;
    }
    double rate[NMODES];
    printf("CWMP-shaped sessions over loopback (8 KB Inform -> 200, empty POST -> 204, close);\n"
           "client and server in separate processes; %s\n",
           MBEDTLS_VERSION_STRING_FULL);
    for (int m = 0; m < NMODES; m++) {
        if (n[m] == 0) {
            rate[m] = 0;
            printf("  %-38s skipped\n", mode_names[m]);
            continue;
        }
        rate[m] = n[m] / t[m];
        printf("  %-38s %6d in %6.3f s : %8.0f /s\n", mode_names[m], n[m], t[m], rate[m]);
    }
    printf("  libcwmp TLS resumed: %d of %d handshakes resumed\n", res.resumed, res.handshakes);
    printf("  libcwmp TLS full   : %d of %d handshakes resumed\n", full.resumed, full.handshakes);
    printf("ratios (median of %d rounds; totals in brackets):\n", ROUNDS);
    for (size_t k = 0; k < NPAIRS; k++) {
        double *r = ratio[k];
        if (rate[pairs[k].lib] == 0 || rate[pairs[k].bare] == 0)
            continue;
        for (int i = 1; i < ROUNDS; i++) /* insertion sort, 8 values */
            for (int j = i; j > 0 && r[j] < r[j - 1]; j--) {
                double x = r[j];
                r[j] = r[j - 1];
                r[j - 1] = x;
            }
        double med = (r[ROUNDS / 2 - 1] + r[ROUNDS / 2]) / 2;
        printf("  %s : %5.1f %% [%5.1f %%]%s\n", pairs[k].name, 100.0 * med,
               100.0 * rate[pairs[k].lib] / rate[pairs[k].bare], pairs[k].target);
    }
    cwmp_tls_session_free(res.session);
    cwmp_tls_config_free(full.cfg);
    return res.resumed == res.handshakes ? 0 : 1;
}
