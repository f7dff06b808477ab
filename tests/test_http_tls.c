/*
 * libcwmp tests - HTTP over real TLS on loopback (127.0.0.1 only), with a
 * test PKI generated at run time: a CWMP session over https (digest,
 * keep-alive, Secure cookies, resumption on the next session), Basic over
 * TLS, https downloads, a server with the wrong name (9015), and a
 * connection request over TLS.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cwmp/http.h>
#include <cwmp/tls.h>

#include "testpki.h"
#include "testutil.h"

#define TIMEOUT 5000

static char pki_dir[64];

static const char *pki(char *buf, size_t size, const char *name)
{
    return testpki_path(buf, size, pki_dir, name);
}

struct srv {
    int lfd;
    uint16_t port;
    pthread_t th;
    atomic_int stop;
    atomic_int accepts;
    atomic_int resumed;
    atomic_int triggers;
    struct cwmp_tls_config *tls;
    struct cwmp_cr_listener *cr;
    char last_cookie[256];
};

static uint8_t file_data[30000];

static int lookup(void *user, const char *username, char *buf, size_t size)
{
    (void) user;
    if (strcmp(username, "cpe") != 0)
        return -1;
    snprintf(buf, size, "pass");
    return 0;
}

/* Serves one TLS connection: /acs needs Basic (allowed over TLS), sets a
 * Secure cookie; /fw.bin is a file. No cmocka asserts on this thread. */
static void serve(struct srv *s, struct cwmp_stream *st)
{
    struct cwmp_http_parser *p;
    if (cwmp_http_parser_new(&p, NULL, CWMP_HTTP_PARSE_REQUEST, NULL) != 0)
        return;
    uint8_t buf[16384];
    size_t blen = 0;
    for (;;) {
        if (cwmp_http_read_head(st, p, buf, sizeof(buf), &blen, TIMEOUT) != CWMP_HTTP_EV_HEADERS)
            break;
        const struct cwmp_http_message *m = cwmp_http_parser_message(p);
        char target[64];
        snprintf(target, sizeof(target), "%s", m->target);
        const char *az = cwmp_http_message_header(m, "Authorization");
        int authed = az && strcmp(az, "Basic Y3BlOnBhc3M=") == 0;
        const char *ck = cwmp_http_message_header(m, "Cookie");
        snprintf(s->last_cookie, sizeof(s->last_cookie), "%s", ck ? ck : "");
        int keep = m->keep_alive;
        if (cwmp_http_read_body(st, p, buf, sizeof(buf), &blen, NULL, NULL) != 0)
            break;
        int rv;
        if (strcmp(target, "/fw.bin") == 0)
            rv = cwmp_http_write_response(st, 200, NULL, file_data, sizeof(file_data), keep);
        else if (!authed)
            rv = cwmp_http_write_response(st, 401, "WWW-Authenticate: Basic realm=\"acs\"\r\n",
                                          NULL, 0, keep);
        else
            rv = cwmp_http_write_response(st, 200, "Set-Cookie: sid=42; Secure; HttpOnly\r\n",
                                          (const uint8_t *) "<R/>", 4, keep);
        if (rv || !keep)
            break;
    }
    cwmp_http_parser_free(p);
}

static void *srv_main(void *arg)
{
    struct srv *s = arg;
    while (!atomic_load(&s->stop)) {
        struct cwmp_stream *tcp = NULL, *st = NULL;
        if (cwmp_tcp_accept(NULL, s->lfd, 50, NULL, 0, &tcp) != 0)
            continue;
        atomic_fetch_add(&s->accepts, 1);
        tcp->timeout_ms = TIMEOUT;
        if (cwmp_tls_wrap_server(s->tls, tcp, TIMEOUT, &st) != 0)
            continue;
        if (cwmp_tls_resumed(st))
            atomic_fetch_add(&s->resumed, 1);
        if (s->cr) {
            if (cwmp_cr_serve(s->cr, st, 1, NULL, NULL) == 1)
                atomic_fetch_add(&s->triggers, 1);
        } else {
            serve(s, st);
        }
        cwmp_stream_close(st);
    }
    return NULL;
}

static void srv_start(struct srv *s, const char *cert, const char *key, struct cwmp_cr_listener *cr)
{
    char a[256], b[256];
    memset(s, 0, sizeof(*s));
    s->cr = cr;
    assert_int_equal(cwmp_tls_config_new(&s->tls, CWMP_TLS_SERVER, NULL), 0);
    assert_int_equal(cwmp_tls_config_set_own_cert_file(s->tls, pki(a, sizeof(a), cert),
                                                       pki(b, sizeof(b), key), NULL),
                     0);
    assert_int_equal(cwmp_tcp_listen("127.0.0.1", 0, 8, &s->lfd), 0);
    s->port = cwmp_tcp_local_port(s->lfd);
    assert_int_equal(pthread_create(&s->th, NULL, srv_main, s), 0);
}

static void srv_stop(struct srv *s)
{
    atomic_store(&s->stop, 1);
    pthread_join(s->th, NULL);
    close(s->lfd);
    cwmp_tls_config_free(s->tls);
    cwmp_cr_listener_free(s->cr);
}

static struct cwmp_tls_config *client_tls(void)
{
    struct cwmp_tls_config *t;
    char a[256];
    assert_int_equal(cwmp_tls_config_new(&t, CWMP_TLS_CLIENT, &test_allocator), 0);
    assert_int_equal(cwmp_tls_config_add_ca_file(t, pki(a, sizeof(a), "ca.crt")), 0);
    return t;
}

static void test_https_session(void **state)
{
    (void) state;
    struct srv s;
    srv_start(&s, "server.crt", "server.key", NULL);
    struct cwmp_tls_config *t = client_tls();
    struct cwmp_http_client_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.alloc = &test_allocator;
    cfg.tls = t;
    cfg.username = "cpe";
    cfg.password = "pass";
    cfg.timeout_ms = TIMEOUT;
    char url[96];
    snprintf(url, sizeof(url), "https://127.0.0.1:%u/acs", (unsigned) s.port);
    struct cwmp_http_client *c;
    struct cwmp_http_response r;
    assert_int_equal(cwmp_http_client_new(&c, &cfg, url), 0);
    for (int session = 0; session < 2; session++) {
        assert_int_equal(cwmp_http_client_request(c, "POST", "text/xml; charset=\"utf-8\"", "",
                                                  (const uint8_t *) "<Inform/>", 9, &r),
                         0);
        assert_int_equal(r.status, 200);
        assert_memory_equal(r.body, "<R/>", 4);
        /* Basic was sent (TLS), the Secure cookie is returned over https */
        assert_int_equal(cwmp_http_client_request(c, "POST", NULL, NULL, NULL, 0, &r), 0);
        assert_string_equal(s.last_cookie, "sid=42");
        cwmp_http_client_end_session(c);
    }
    cwmp_http_client_free(c);
    assert_int_equal(atomic_load(&s.accepts), 2);
    assert_int_equal(atomic_load(&s.resumed), 1); /* the second session resumed */

    /* https download, and the same server reached under a name its
     * certificate does not carry: refused, 9015 */
    struct cwmp_http_transfer tr;
    memset(&tr, 0, sizeof(tr));
    char detail[256];
    snprintf(url, sizeof(url), "https://127.0.0.1:%u/fw.bin", (unsigned) s.port);
    tr.url = url;
    tr.file_size = sizeof(file_data);
    assert_int_equal(cwmp_http_download(&cfg, &tr, detail, sizeof(detail)), 0);
    srv_stop(&s);

    srv_start(&s, "wrongname.crt", "wrongname.key", NULL);
    snprintf(url, sizeof(url), "https://127.0.0.1:%u/fw.bin", (unsigned) s.port);
    assert_int_equal(cwmp_http_download(&cfg, &tr, detail, sizeof(detail)),
                     CWMP_FAULT_FILE_SERVER_UNREACHABLE);
    assert_true(strlen(detail) > 0);
    /* and the ACS client fails closed too */
    snprintf(url, sizeof(url), "https://127.0.0.1:%u/acs", (unsigned) s.port);
    assert_int_equal(cwmp_http_client_new(&c, &cfg, url), 0);
    assert_int_equal(cwmp_http_client_request(c, "POST", NULL, NULL, NULL, 0, &r), CWMP_ERR_TLS);
    assert_non_null(strstr(cwmp_http_client_error_detail(c), "TLS"));
    cwmp_http_client_free(c);
    srv_stop(&s);
    cwmp_tls_config_free(t);
}

static void test_cr_over_tls(void **state)
{
    (void) state;
    struct srv s;
    struct cwmp_cr_listener *l;
    struct cwmp_cr_config cc = {.path = "/cr", .password = lookup};
    assert_int_equal(cwmp_cr_listener_new(&l, &cc), 0);
    srv_start(&s, "server.crt", "server.key", l);
    struct cwmp_tls_config *t = client_tls();
    struct cwmp_http_client_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.alloc = &test_allocator;
    cfg.tls = t;
    cfg.username = "cpe";
    cfg.password = "pass";
    cfg.timeout_ms = TIMEOUT;
    char url[96];
    int st;
    snprintf(url, sizeof(url), "https://127.0.0.1:%u/cr", (unsigned) s.port);
    assert_int_equal(cwmp_cr_send(&cfg, url, &st), 0);
    assert_int_equal(st, 200);
    cfg.password = "bad";
    assert_int_equal(cwmp_cr_send(&cfg, url, &st), CWMP_ERR_AUTH);
    srv_stop(&s);
    assert_int_equal(atomic_load(&s.triggers), 1);
    cwmp_tls_config_free(t);
}

static int group_setup(void **state)
{
    (void) state;
    for (size_t i = 0; i < sizeof(file_data); i++)
        file_data[i] = (uint8_t) (i * 13);
    snprintf(pki_dir, sizeof(pki_dir), "/tmp/cwmp-http-tls-XXXXXX");
    if (!mkdtemp(pki_dir))
        return -1;
    char err[256];
    if (testpki_generate(pki_dir, err, sizeof(err)) != 0) {
        print_error("test PKI: %s\n", err);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void) state;
    testpki_remove(pki_dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_https_session),
        cmocka_unit_test(test_cr_over_tls),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
