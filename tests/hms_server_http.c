/*
 * HTTP side of test_hms_server (its own translation unit).
 */
#include "hms_server_http.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cwmp/http.h>
#include <cwmp/tls.h>

struct hms_test_http {
    struct cwmp_http_client *c;
    struct cwmp_tls_config *tls;
};

static struct cwmp_tls_config *client_tls(const char *ca)
{
    struct cwmp_tls_config *t = NULL;
    if (!ca)
        return NULL;
    if (cwmp_tls_config_new(&t, CWMP_TLS_CLIENT, NULL) != 0)
        return NULL;
    if (cwmp_tls_config_add_ca_file(t, ca) != 0) {
        cwmp_tls_config_free(t);
        return NULL;
    }
    return t;
}

struct hms_test_http *hms_test_http_new(const char *url, const char *ca, const char *user,
                                        const char *password)
{
    return hms_test_http_new_timeout(url, ca, user, password, 10000);
}

struct hms_test_http *hms_test_http_new_timeout(const char *url, const char *ca, const char *user,
                                                const char *password, int timeout_ms)
{
    struct hms_test_http *h = calloc(1, sizeof(*h));
    struct cwmp_http_client_config cfg = {0};
    if (!h)
        return NULL;
    h->tls = client_tls(ca);
    cfg.timeout_ms = timeout_ms;
    cfg.tls = h->tls;
    cfg.username = user;
    cfg.password = password;
    if ((ca && !h->tls) || cwmp_http_client_new(&h->c, &cfg, url) != 0) {
        cwmp_tls_config_free(h->tls);
        free(h);
        return NULL;
    }
    return h;
}

int hms_test_http_post(struct hms_test_http *h, const char *body, size_t len, char **reply,
                       size_t *reply_len, int *status)
{
    struct cwmp_http_response r;
    int rv = cwmp_http_client_request(h->c, "POST", len ? "text/xml; charset=\"utf-8\"" : NULL,
                                      len ? "" : NULL, (const uint8_t *) body, len, &r);
    if (rv != 0)
        return rv;
    *status = r.status;
    *reply = malloc(r.body_len + 1);
    if (!*reply)
        return -1;
    memcpy(*reply, r.body ? (const char *) r.body : "", r.body_len);
    (*reply)[r.body_len] = '\0';
    *reply_len = r.body_len;
    return 0;
}

void hms_test_http_end(struct hms_test_http *h)
{
    cwmp_http_client_end_session(h->c);
}

void hms_test_http_free(struct hms_test_http *h)
{
    if (h) {
        cwmp_http_client_free(h->c);
        cwmp_tls_config_free(h->tls);
        free(h);
    }
}

int hms_test_upload(const char *url, const char *ca, const char *user, const char *password,
                    const char *data, size_t len)
{
    struct cwmp_http_client_config cfg = {0};
    struct cwmp_http_transfer t = {0};
    char detail[256];
    cfg.timeout_ms = 10000;
    cfg.tls = client_tls(ca);
    t.url = url;
    t.username = user;
    t.password = password;
    t.data = (const uint8_t *) data;
    t.data_len = len;
    t.content_type = "text/xml";
    int rv = cwmp_http_upload(&cfg, &t, detail, sizeof(detail));
    cwmp_tls_config_free((struct cwmp_tls_config *) cfg.tls);
    return rv;
}

/* ---- a CPE's connection-request listener (one connection, in a thread) ---- */

#include <unistd.h>

struct hms_test_cr {
    int fd;
    pthread_t th;
    struct cwmp_cr_listener *l;
    volatile int triggered;
    _Atomic int stop;
    uint16_t port;
    pthread_mutex_t mu;
    char user[80], pass[80]; /* the credentials it accepts */
};

static int cr_password(void *user, const char *username, char *buf, size_t size)
{
    struct hms_test_cr *c = user;
    pthread_mutex_lock(&c->mu);
    int ok = strcmp(username, c->user) == 0;
    if (ok)
        snprintf(buf, size, "%s", c->pass);
    pthread_mutex_unlock(&c->mu);
    return ok ? 0 : 1;
}

void hms_test_cr_expect(struct hms_test_cr *c, const char *user, const char *pass)
{
    pthread_mutex_lock(&c->mu);
    snprintf(c->user, sizeof(c->user), "%s", user);
    snprintf(c->pass, sizeof(c->pass), "%s", pass);
    pthread_mutex_unlock(&c->mu);
}

static void *cr_thread(void *arg)
{
    struct hms_test_cr *c = arg;
    /* a digest exchange may take two connections (challenge, then answer) */
    for (int i = 0; i < 3 && !c->triggered && !c->stop; i++) {
        struct cwmp_stream *s;
        if (cwmp_tcp_accept(NULL, c->fd, 10000, NULL, 0, &s) != 0)
            break;
        if (c->stop) { /* the wake-up connection of hms_test_cr_stop() */
            cwmp_stream_close(s);
            break;
        }
        if (cwmp_cr_serve(c->l, s, 0, NULL, NULL) == 1)
            c->triggered = 1;
        cwmp_stream_close(s);
    }
    return NULL;
}

struct hms_test_cr *hms_test_cr_start(uint16_t *port)
{
    struct hms_test_cr *c = calloc(1, sizeof(*c));
    struct cwmp_cr_config cfg = {0};
    cfg.path = "/cr";
    cfg.password = cr_password;
    if (!c)
        return NULL;
    cfg.password_user = c;
    pthread_mutex_init(&c->mu, NULL);
    hms_test_cr_expect(c, "cpe", "cr-secret");
    if (cwmp_cr_listener_new(&c->l, &cfg) != 0 || cwmp_tcp_listen("127.0.0.1", 0, 4, &c->fd) != 0) {
        cwmp_cr_listener_free(c->l);
        free(c);
        return NULL;
    }
    *port = c->port = cwmp_tcp_local_port(c->fd);
    if (pthread_create(&c->th, NULL, cr_thread, c) != 0) {
        close(c->fd);
        cwmp_cr_listener_free(c->l);
        free(c);
        return NULL;
    }
    return c;
}

int hms_test_cr_stop(struct hms_test_cr *c)
{
    /* a listener still waiting for a connection (nothing triggered it):
     * wake it up rather than wait for its accept timeout */
    c->stop = 1;
    struct cwmp_stream *w = NULL;
    if (cwmp_tcp_connect(NULL, "127.0.0.1", c->port, 1000, &w) == 0)
        cwmp_stream_close(w);
    pthread_join(c->th, NULL);
    int t = c->triggered;
    close(c->fd);
    cwmp_cr_listener_free(c->l);
    pthread_mutex_destroy(&c->mu);
    free(c);
    return t;
}

struct dl {
    char *data;
    size_t len;
};

static int dl_open(void *user, const char *target, uint64_t size)
{
    (void) user;
    (void) target;
    (void) size;
    return 0;
}

static int dl_write(void *user, const uint8_t *data, size_t len)
{
    struct dl *d = user;
    char *p = realloc(d->data, d->len + len + 1);
    if (!p)
        return 9010;
    memcpy(p + d->len, data, len);
    d->len += len;
    p[d->len] = '\0';
    d->data = p;
    return 0;
}

int hms_test_download(const char *url, const char *ca, const char *user, const char *password,
                      char **data, size_t *len)
{
    struct cwmp_http_client_config cfg = {0};
    struct cwmp_http_transfer t = {0};
    struct dl d = {NULL, 0};
    char detail[256];
    cfg.timeout_ms = 10000;
    cfg.tls = client_tls(ca);
    t.url = url;
    t.username = user;
    t.password = password;
    t.open = dl_open;
    t.write = dl_write;
    t.user = &d;
    int rv = cwmp_http_download(&cfg, &t, detail, sizeof(detail));
    cwmp_tls_config_free((struct cwmp_tls_config *) cfg.tls);
    *data = d.data;
    *len = d.len;
    return rv;
}
