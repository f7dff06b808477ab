/*
 * libcwmp examples - the agent's network side (see net.h).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "net.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cwmp/http.h>
#include <cwmp/tls.h>
#include <cwmp/transport.h>

struct net {
    struct cwmp_tls_config *tls; /* NULL: https refused */
    struct cwmp_http_client_config ccfg;
    struct cwmp_http_client *client; /* the session's client */
    char url[1024];
    char user[257], pass[257]; /* ManagementServer.Username / Password */
    char err[256];
    struct cwmp_cr_listener *cr;
    int cr_fd;
    net_cr_password_fn pw;
    void *pw_user;
};

int net_new(struct net **out, const char *root_ca, const char *cert, const char *key,
            int timeout_ms, char *err, size_t errlen)
{
    struct net *n = calloc(1, sizeof(*n));
    int rc;
    if (!n)
        return CWMP_ERR_NOMEM;
    n->cr_fd = -1;
    n->ccfg.timeout_ms = timeout_ms > 0 ? timeout_ms : 30000;
    if (root_ca) {
        if ((rc = cwmp_tls_config_new(&n->tls, CWMP_TLS_CLIENT, NULL)) != 0 ||
            (rc = cwmp_tls_config_add_ca_file(n->tls, root_ca)) != 0) {
            snprintf(err, errlen, "root CA %s: cannot be loaded (%d)", root_ca, rc);
            net_free(n);
            return rc;
        }
        if (cert && key && (rc = cwmp_tls_config_set_own_cert_file(n->tls, cert, key, NULL))) {
            snprintf(err, errlen, "device certificate %s / key %s: cannot be loaded (%d)", cert,
                     key, rc);
            net_free(n);
            return rc;
        }
        n->ccfg.tls = n->tls;
    }
    *out = n;
    return 0;
}

void net_free(struct net *n)
{
    if (!n)
        return;
    cwmp_http_client_free(n->client);
    cwmp_cr_listener_free(n->cr);
    if (n->cr_fd >= 0)
        close(n->cr_fd);
    cwmp_tls_config_free(n->tls);
    free(n);
}

int net_session_open(struct net *n, const char *url, const char *user, const char *pass)
{
    struct cwmp_http_client_config cc;
    int rc;
    user = user ? user : "";
    pass = pass ? pass : "";
    if (n->client && !strcmp(n->url, url) && !strcmp(n->user, user) && !strcmp(n->pass, pass))
        return 0;
    cwmp_http_client_free(n->client);
    n->client = NULL;
    snprintf(n->url, sizeof(n->url), "%s", url);
    snprintf(n->user, sizeof(n->user), "%s", user);
    snprintf(n->pass, sizeof(n->pass), "%s", pass);
    cc = n->ccfg;
    if (n->user[0]) { /* the client answers a 401 challenge with these */
        cc.username = n->user;
        cc.password = n->pass;
    }
    rc = cwmp_http_client_new(&n->client, &cc, url);
    if (rc)
        snprintf(n->err, sizeof(n->err), "%s: %s", url,
                 rc == CWMP_ERR_UNSUPPORTED ? "https without a root CA, or unknown scheme"
                                            : "bad URL");
    return rc;
}

int net_session_post(struct net *n, const char *body, size_t len, const char **reply,
                     size_t *reply_len, int *status)
{
    struct cwmp_http_response resp;
    int rc;
    *reply = NULL;
    *reply_len = 0;
    *status = 0;
    if (!n->client)
        return CWMP_ERR_STATE;
    rc = cwmp_http_client_request(n->client, "POST", len ? "text/xml; charset=\"utf-8\"" : NULL,
                                  len ? "" : NULL, (const uint8_t *) body, len, &resp);
    if (rc) {
        snprintf(n->err, sizeof(n->err), "%s", cwmp_http_client_error_detail(n->client));
        return rc;
    }
    *status = resp.status;
    if (resp.status != 200 && resp.status != 204) {
        snprintf(n->err, sizeof(n->err), "HTTP status %d", resp.status);
        return CWMP_ERR_HTTP;
    }
    *reply = (const char *) resp.body;
    *reply_len = resp.status == 204 ? 0 : resp.body_len;
    return 0;
}

void net_session_close(struct net *n)
{
    if (n->client)
        cwmp_http_client_end_session(n->client);
}

const char *net_session_error(const struct net *n)
{
    return n->err;
}

static int cr_password(void *user, const char *username, char *buf, size_t size)
{
    struct net *n = user;
    return n->pw(n->pw_user, username, buf, size);
}

int net_cr_listen(struct net *n, const char *host, uint16_t port, const char *path,
                  net_cr_password_fn pw, void *pw_user)
{
    struct cwmp_cr_config cc = {0};
    int rc;
    n->pw = pw;
    n->pw_user = pw_user;
    cc.path = path;
    cc.password = cr_password;
    cc.password_user = n;
    cc.header_timeout_ms = 2000;
    if ((rc = cwmp_cr_listener_new(&n->cr, &cc)) != 0)
        return rc;
    if ((rc = cwmp_tcp_listen(host, port, 8, &n->cr_fd)) != 0)
        return rc;
    return n->cr_fd;
}

uint16_t net_cr_port(const struct net *n)
{
    return n->cr_fd >= 0 ? cwmp_tcp_local_port(n->cr_fd) : 0;
}

static int busy_yes(void *u)
{
    (void) u;
    return 1;
}

int net_cr_serve(struct net *n, int busy)
{
    struct cwmp_stream *s = NULL;
    char peer[64];
    int rc = cwmp_tcp_accept(NULL, n->cr_fd, 0, peer, sizeof(peer), &s);
    if (rc)
        return rc == CWMP_ERR_AGAIN || rc == CWMP_ERR_TIMEOUT ? 0 : rc;
    s->timeout_ms = 2000;
    rc = cwmp_cr_serve(n->cr, s, 0, busy ? busy_yes : NULL, NULL);
    cwmp_stream_close(s);
    return rc;
}

struct membuf {
    char *data;
    size_t len, cap, max;
};

static int mem_open(void *user, const char *target, uint64_t expected)
{
    (void) user;
    (void) target;
    (void) expected;
    return 0;
}

static int mem_write(void *user, const uint8_t *data, size_t len)
{
    struct membuf *m = user;
    if (m->len + len + 1 > m->cap) {
        size_t cap = (m->len + len + 1) * 2;
        char *p;
        if (m->max && m->len + len > m->max)
            return 9010;
        p = realloc(m->data, cap);
        if (!p)
            return 9010;
        m->data = p;
        m->cap = cap;
    }
    memcpy(m->data + m->len, data, len);
    m->len += len;
    m->data[m->len] = '\0';
    return 0;
}

int net_download(struct net *n, const char *url, const char *user, const char *pass,
                 uint64_t max_size, char **data, size_t *len, char *detail, size_t dlen)
{
    struct membuf m = {0};
    struct cwmp_http_transfer t = {0};
    int rc;
    m.max = max_size;
    t.url = url;
    t.username = user;
    t.password = pass;
    t.max_size = max_size;
    t.open = mem_open;
    t.write = mem_write;
    t.user = &m;
    rc = cwmp_http_download(&n->ccfg, &t, detail, dlen);
    if (rc) {
        free(m.data);
        return rc;
    }
    if (!m.data)
        m.data = calloc(1, 1);
    if (!m.data)
        return 9010;
    *data = m.data;
    *len = m.len;
    return 0;
}

int net_upload(struct net *n, const char *url, const char *user, const char *pass,
               const char *content_type, const void *data, size_t len, char *detail, size_t dlen)
{
    struct cwmp_http_transfer t = {0};
    t.url = url;
    t.username = user;
    t.password = pass;
    t.content_type = content_type;
    t.data = data;
    t.data_len = len;
    return cwmp_http_upload(&n->ccfg, &t, detail, dlen);
}
