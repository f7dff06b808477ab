/*
 * libcwmp benchmark - CWMP-shaped HTTP sessions over loopback plain TCP,
 * one process each side: 8 KB Inform POST -> 200 reply, empty POST -> 204,
 * close. Measured through libcwmp-transport (client + server helpers) and,
 * in the same run, as a bare loop on raw sockets exchanging the same bytes
 * (the baseline). Prints sessions per second and the ratio; target >= 50 %.
 *
 * bench_http_plain [sessions]   (default 1000)
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

#include <cwmp/http.h>

#define INFORM_SIZE 8192
#define REPLY_SIZE  600

static uint8_t inform[INFORM_SIZE];
static uint8_t reply[REPLY_SIZE];

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* ---- libcwmp server (child) --------------------------------------------- */

static void serve_lib(int lfd)
{
    struct cwmp_http_parser *p;
    if (cwmp_http_parser_new(&p, NULL, CWMP_HTTP_PARSE_REQUEST, NULL) != 0)
        _exit(1);
    static uint8_t buf[16384];
    for (;;) {
        struct cwmp_stream *s;
        if (cwmp_tcp_accept(NULL, lfd, -1, NULL, 0, &s) != 0)
            continue;
        size_t blen = 0;
        for (;;) {
            if (cwmp_http_read_head(s, p, buf, sizeof(buf), &blen, 5000) != CWMP_HTTP_EV_HEADERS)
                break;
            const struct cwmp_http_message *m = cwmp_http_parser_message(p);
            int has = m->content_length > 0;
            if (cwmp_http_read_body(s, p, buf, sizeof(buf), &blen, NULL, NULL) != 0)
                break;
            int rv = has ? cwmp_http_write_response(s, 200,
                                                    "Content-Type: text/xml; charset=\"utf-8\"\r\n",
                                                    reply, sizeof(reply), 1)
                         : cwmp_http_write_response(s, 204, NULL, NULL, 0, 1);
            if (rv)
                break;
        }
        cwmp_stream_close(s);
    }
}

/* ---- bare server (child): raw sockets, minimal framing ------------------ */

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

/* Reads one request: head up to CRLFCRLF, then Content-Length bytes. */
static int bare_read_request(int fd, char *buf, size_t size, size_t *have, size_t *body)
{
    for (;;) {
        char *e = *have >= 4 ? find(buf, *have, "\r\n\r\n") : NULL;
        if (e) {
            size_t head = (size_t) (e - buf) + 4;
            char *cl = find(buf, head, "Content-Length: ");
            size_t len = cl ? strtoul(cl + 16, NULL, 10) : 0;
            while (*have < head + len) {
                ssize_t n = read(fd, buf + *have, size - *have);
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
        ssize_t n = read(fd, buf + *have, size - *have);
        if (n <= 0)
            return -1;
        *have += (size_t) n;
    }
}

static void serve_bare(int lfd)
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
        while (bare_read_request(fd, buf, sizeof(buf), &have, &body) == 0) {
            const char *o = body ? out : bare_204;
            size_t ol = body ? outlen : sizeof(bare_204) - 1;
            if (write(fd, o, ol) != (ssize_t) ol)
                break;
        }
        close(fd);
    }
}

/* ---- clients ------------------------------------------------------------ */

static int run_lib(uint16_t port, int sessions)
{
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%u/acs", (unsigned) port);
    struct cwmp_http_client_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.timeout_ms = 5000;
    struct cwmp_http_client *c;
    if (cwmp_http_client_new(&c, &cfg, url) != 0)
        return -1;
    struct cwmp_http_response r;
    for (int i = 0; i < sessions; i++) {
        if (cwmp_http_client_request(c, "POST", "text/xml; charset=\"utf-8\"", "", inform,
                                     sizeof(inform), &r) != 0 ||
            r.status != 200 || r.body_len != REPLY_SIZE)
            return -1;
        if (cwmp_http_client_request(c, "POST", NULL, NULL, NULL, 0, &r) != 0 || r.status != 204)
            return -1;
        cwmp_http_client_end_session(c);
    }
    cwmp_http_client_free(c);
    return 0;
}

static int bare_read_response(int fd, char *buf, size_t size, size_t want)
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

static int run_bare(uint16_t port, int sessions)
{
    static char req[INFORM_SIZE + 512], buf[4096];
    int hl = snprintf(req, sizeof(req),
                      "POST /acs HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nUser-Agent: bare\r\n"
                      "Content-Type: text/xml; charset=\"utf-8\"\r\nSOAPAction: \r\n"
                      "Content-Length: %d\r\n\r\n",
                      (unsigned) port, INFORM_SIZE);
    memcpy(req + hl, inform, INFORM_SIZE);
    size_t reqlen = (size_t) hl + INFORM_SIZE;
    char empty[256];
    int el = snprintf(empty, sizeof(empty),
                      "POST /acs HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nContent-Length: 0\r\n\r\n",
                      (unsigned) port);
    size_t resp200 = sizeof(bare_200_head) - 1 + REPLY_SIZE;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int i = 0; i < sessions; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        if (fd < 0 || connect(fd, (struct sockaddr *) &sa, sizeof(sa)) != 0)
            return -1;
        if (write(fd, req, reqlen) != (ssize_t) reqlen ||
            bare_read_response(fd, buf, sizeof(buf), resp200) != 0 ||
            write(fd, empty, (size_t) el) != el ||
            bare_read_response(fd, buf, sizeof(buf), sizeof(bare_204) - 1) != 0) {
            close(fd);
            return -1;
        }
        close(fd);
    }
    return 0;
}

static pid_t spawn(void (*fn)(int), uint16_t *port)
{
    int lfd;
    if (cwmp_tcp_listen("127.0.0.1", 0, 64, &lfd) != 0)
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

int main(int argc, char **argv)
{
    int sessions = argc > 1 ? atoi(argv[1]) : 1000;
    if (sessions <= 0)
        sessions = 1000;
    for (size_t i = 0; i < sizeof(inform); i++)
        inform[i] = (uint8_t) ('a' + i % 26);
    memset(reply, 'r', sizeof(reply));
    uint16_t lport, bport;
    pid_t lp = spawn(serve_lib, &lport), bp = spawn(serve_bare, &bport);
    if (lp < 0 || bp < 0) {
        fprintf(stderr, "cannot start the servers\n");
        return 1;
    }
    /* warm-up, then alternate to share the machine's noise fairly */
    int rv = run_lib(lport, 50) | run_bare(bport, 50);
    double tl = 0, tb = 0, ratios[8];
    int rounds = 0;
    for (int round = 0; round < 8 && !rv; round++) {
        /* alternate which side goes first so order effects cancel */
        double t0 = now_s(), t1, t2;
        if (round & 1) {
            rv |= run_lib(lport, sessions / 8);
            t1 = now_s();
            rv |= run_bare(bport, sessions / 8);
            t2 = now_s();
            tl += t1 - t0;
            tb += t2 - t1;
            ratios[rounds++] = (t2 - t1) / (t1 - t0);
        } else {
            rv |= run_bare(bport, sessions / 8);
            t1 = now_s();
            rv |= run_lib(lport, sessions / 8);
            t2 = now_s();
            tb += t1 - t0;
            tl += t2 - t1;
            ratios[rounds++] = (t1 - t0) / (t2 - t1);
        }
    }
    for (int i = 1; i < rounds; i++) /* insertion sort for the median */
        for (int k = i; k > 0 && ratios[k - 1] > ratios[k]; k--) {
            double x = ratios[k];
            ratios[k] = ratios[k - 1];
            ratios[k - 1] = x;
        }
    double median = rounds ? (ratios[(rounds - 1) / 2] + ratios[rounds / 2]) / 2 : 0;
    kill(lp, SIGTERM);
    kill(bp, SIGTERM);
    waitpid(lp, NULL, 0);
    waitpid(bp, NULL, 0);
    if (rv) {
        fprintf(stderr, "a session failed\n");
        return 1;
    }
    int n = sessions / 8 * 8;
    double rl = n / tl, rb = n / tb;
    printf("CWMP-shaped sessions over loopback plain HTTP (8 KB Inform -> 200, empty POST -> "
           "204, close), %d sessions each\n",
           n);
    printf("  bare raw-socket loop : %9.0f sessions/s\n", rb);
    printf("  libcwmp-transport    : %9.0f sessions/s\n", rl);
    printf("  ratio (median of 8 rounds) : %6.1f %% of bare [totals %.1f %%] (target >= 50 %%)\n",
           100.0 * median, 100.0 * rl / rb);
    return 0;
}
