/*
 * libcwmp examples - the HMS program's server (see server.h).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include "server.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cwmp/http.h>
#include <cwmp/tls.h>
#include <cwmp/transport.h>

#include "filestore.h"
#include "server_int.h"
#include "trace.h"

#define logf_      hms_log
#define trace_note hms_trace_note
#define trace_out  hms_trace_out
#define wall_ms    hms_wall_ms
#define now_ms     hms_now_ms

int64_t hms_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t hms_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void hms_log(const struct hms_server *s, const char *fmt, ...)
{
    if (!s->opts.verbose)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("hms: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void hms_trace_out(struct hms_server *s, struct ex_buf *b)
{
    if (s->trace && b->len && !ex_buf_error(b)) {
        fwrite(b->data, 1, b->len, s->trace);
        fflush(s->trace);
    }
    ex_buf_free(b);
}

void hms_trace_note(struct hms_server *s, const char *lane, const char *text)
{
    if (!s->trace)
        return;
    struct ex_buf b;
    ex_buf_init(&b, NULL, 0);
    trace_write_note(&b, wall_ms(), "hms", lane, text);
    trace_out(s, &b);
}

/* ---- connections -------------------------------------------------------------- */

/* ---- CWMP and file-server connections: several at once, one poll() loop ------
 *
 * Each connection is non-blocking: the TLS handshake advances with
 * cwmp_tls_handshake(), request bytes go through the HTTP parser as they
 * arrive, a response is formatted into a buffer and written as the socket
 * takes it. A connection must finish its handshake, each request and each
 * response within the I/O timeout (a client sending one byte a second does
 * not hold its slot any longer), and waits at most that long idle between
 * requests. At most max_connections are open; further clients wait in the
 * listen backlog.
 *
 * The file server's connections (CM downloads, PM uploads) go through the
 * same machinery, at most max_file_connections of them. A file can be
 * megabytes over a slow link, so their deadlines differ: each read or write
 * that moves bytes gives the connection another I/O timeout (a client that
 * stops moving is closed one I/O timeout later), and each request with its
 * response must end within the file timeout (a client dripping one byte per
 * second is closed then). Request bodies (PM files) and file responses (CM
 * files) count against the same buffered-bytes budget as CWMP bodies. */

enum file_route { ROUTE_NONE, ROUTE_GET_CM, ROUTE_PUT_PM };

struct hms_cw {
    struct hms_cw *next;
    struct cwmp_stream *st;
    int file;              /* a file-server connection */
    enum file_route route; /* file: what the current request asks for */
    int64_t limit;         /* file: the current request's total deadline */
    size_t held;           /* file: bytes of `out` counted in the server's budget */
    struct cwmp_http_parser *p;
    struct hms_conn *c; /* the ACS session: one per connection */
    int handshaking;
    int64_t deadline;
    size_t inlen;
    struct ex_buf body;
    struct ex_buf out; /* response bytes not yet written */
    size_t ooff;
    int close_after; /* close once `out` is written */
    int authed, challenges;
    int reject;    /* the request failed authentication: 401 once it is read */
    int reject_ka; /* its keep-alive */
    char challenge[1024];
    uint8_t in[16384];
};

/* A stream that appends to a buffer: cwmp_http_write_response() formats
 * into it. */
struct out_stream {
    struct cwmp_stream base;
    struct ex_buf *b;
};

static int out_write(struct cwmp_stream *st, const uint8_t *data, size_t len)
{
    struct out_stream *o = (struct out_stream *) st;
    ex_buf_add(o->b, (const char *) data, len);
    return ex_buf_error(o->b) ? CWMP_ERR_NOMEM : (int) len;
}

static int out_read(struct cwmp_stream *st, uint8_t *buf, size_t len)
{
    (void) st;
    (void) buf;
    (void) len;
    return CWMP_ERR_IO;
}

static void out_close(struct cwmp_stream *st)
{
    (void) st;
}

static void cw_respond(struct hms_cw *cw, int status, const char *headers, const char *body,
                       size_t len, int keep_alive)
{
    struct out_stream o = {{out_read, out_write, out_close, -1, 0}, &cw->out};
    cwmp_http_write_response(&o.base, status, headers, (const uint8_t *) body, len, keep_alive);
    if (!keep_alive)
        cw->close_after = 1;
}

static void cw_free(struct hms_cw *cw)
{
    if (cw->c) {
        hms_conn_abort(cw->c); /* no-op when the session ended */
        hms_conn_free(cw->c);
    }
    cwmp_http_parser_free(cw->p);
    cwmp_stream_close(cw->st);
    ex_buf_free(&cw->body);
    ex_buf_free(&cw->out);
    free(cw);
}

static void cw_accept(struct hms_server *s, int file)
{
    struct cwmp_stream *tcp;
    if (cwmp_tcp_accept(NULL, file ? s->file_fd : s->cwmp_fd, 0, NULL, 0, &tcp) != 0)
        return;
    struct hms_cw *cw = calloc(1, sizeof(*cw));
    struct cwmp_http_limits lim = {0};
    lim.max_body = HMS_MAX_BODY;
    int fl = fcntl(tcp->fd, F_GETFL);
    if (!cw || fl < 0 || fcntl(tcp->fd, F_SETFL, fl | O_NONBLOCK) != 0 ||
        cwmp_http_parser_new(&cw->p, NULL, CWMP_HTTP_PARSE_REQUEST, &lim) != 0 ||
        (!file && hms_conn_new(s->acs, &cw->c) != 0)) {
        cwmp_stream_close(tcp);
        if (cw) {
            cwmp_http_parser_free(cw->p);
            free(cw);
        }
        return;
    }
    ex_buf_init(&cw->body, NULL, HMS_MAX_BODY);
    ex_buf_init(&cw->out, NULL, HMS_MAX_BODY + 4096);
    cw->file = file;
    cw->deadline = now_ms() + s->io_timeout_ms;
    cw->limit = now_ms() + s->file_timeout_ms;
    if (s->tls) {
        if (cwmp_tls_start_server(s->tls, tcp, &cw->st) != 0) {
            cw->st = NULL; /* tcp is closed */
            cw_free(cw);
            return;
        }
        cw->handshaking = 1;
    } else {
        cw->st = tcp;
    }
    cw->next = s->conns;
    s->conns = cw;
    if (file)
        s->nfiles++;
    else
        s->nconns++;
}

/* A file-server connection moved bytes: another I/O timeout, within the
 * request's total deadline. */
static void cw_progress(struct hms_server *s, struct hms_cw *cw)
{
    if (!cw->file)
        return;
    int64_t d = now_ms() + s->io_timeout_ms;
    cw->deadline = d < cw->limit ? d : cw->limit;
}

/* Credentials of a request head, for either listener. */
enum { CW_AUTH_OK, CW_AUTH_REFUSED, CW_AUTH_AFTER_BODY };

static int cw_auth(struct hms_server *s, struct hms_cw *cw, struct cwmp_http_auth_server *auth,
                   const struct cwmp_http_message *m)
{
    int stale = 0;
    const char *az = cwmp_http_message_header(m, "Authorization");
    if (cwmp_http_auth_server_verify(auth, m->method, m->target, az, s->tls != NULL, now_ms(),
                                     &stale, NULL, 0) == 0)
        return CW_AUTH_OK;
    if (cwmp_http_auth_server_challenge(auth, now_ms(), stale, s->tls != NULL, cw->challenge,
                                        sizeof(cw->challenge)) != 0 ||
        (m->has_body && m->expect_continue) || ++cw->challenges > 3) {
        cw_respond(cw, 401, cw->challenge, NULL, 0, 0); /* and close */
        return CW_AUTH_REFUSED;
    }
    /* the body is read and dropped, then 401 on this connection */
    cw->reject = 1;
    cw->reject_ka = m->keep_alive;
    return CW_AUTH_AFTER_BODY;
}

/* The head of a file-server request: credentials (every request), then the
 * route. Returns 1 when the response is queued (stop reading). */
static int file_head(struct hms_server *s, struct hms_cw *cw)
{
    const struct cwmp_http_message *m = cwmp_http_parser_message(cw->p);
    cw->route = ROUTE_NONE;
    if (s->fauth) {
        int a = cw_auth(s, cw, s->fauth, m);
        if (a != CW_AUTH_OK)
            return a == CW_AUTH_REFUSED;
    }
    const char *t = m->target;
    if (!strcmp(m->method, "GET") && !strncmp(t, "/files/", 7)) {
        cw->route = ROUTE_GET_CM;
    } else if ((!strcmp(m->method, "PUT") || !strcmp(m->method, "POST")) &&
               !strncmp(t, "/pm/", 4)) {
        if (!s->conf->file_dir || !hms_pm_name_ok(t + 4)) {
            cw_respond(cw, 403, NULL, NULL, 0, 0);
            return 1;
        }
        cw->route = ROUTE_PUT_PM;
    } else {
        cw_respond(cw, 404, NULL, NULL, 0, 0);
        return 1;
    }
    if (m->has_body && m->expect_continue) {
        static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
        ex_buf_add(&cw->out, cont, sizeof(cont) - 1);
    }
    return 0;
}

/* The head of a request is complete: authentication, method, 100-continue.
 * Returns 1 when the response is queued (stop reading). */
static int cw_head(struct hms_server *s, struct hms_cw *cw)
{
    if (cw->file)
        return file_head(s, cw);
    const struct cwmp_http_message *m = cwmp_http_parser_message(cw->p);
    if (s->cauth && !cw->authed) {
        int a = cw_auth(s, cw, s->cauth, m);
        if (a != CW_AUTH_OK)
            return a == CW_AUTH_REFUSED;
        cw->authed = 1; /* once per connection, which is the CWMP session */
    }
    if (strcmp(m->method, "POST") != 0) {
        cw_respond(cw, 405, "Allow: POST\r\n", NULL, 0, 0);
        return 1;
    }
    if (m->has_body && m->expect_continue) {
        static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
        ex_buf_add(&cw->out, cont, sizeof(cont) - 1);
    }
    return 0;
}

static void file_request(struct hms_server *s, struct hms_cw *cw);

/* A whole request was read: the ACS engine (or the file server) answers it. */
static void cw_request(struct hms_server *s, struct hms_cw *cw)
{
    if (cw->reject) {
        cw->reject = 0;
        cw_respond(cw, 401, cw->challenge, NULL, 0, cw->reject_ka);
        return;
    }
    if (cw->file) {
        file_request(s, cw);
        return;
    }
    const char *out;
    size_t olen;
    int done = 0;
    if (hms_conn_recv(cw->c, cw->body.data ? cw->body.data : "", cw->body.len, &out, &olen,
                      &done) != 0)
        cw_respond(cw, 400, NULL, NULL, 0, 0);
    else if (olen)
        cw_respond(cw, 200, "Content-Type: text/xml; charset=\"utf-8\"\r\n", out, olen, !done);
    else
        cw_respond(cw, 204, NULL, NULL, 0, 0);
}

/* Feeds the buffered bytes to the parser. Returns 1 when a response was
 * queued (read nothing more until it is written), 0 to read more, -1 to
 * close. */
static int cw_parse(struct hms_server *s, struct hms_cw *cw)
{
    for (;;) {
        size_t used;
        const uint8_t *b;
        size_t bl;
        int ev = cwmp_http_parser_execute(cw->p, cw->in, cw->inlen, &used, &b, &bl);
        if (ev == CWMP_HTTP_EV_BODY && !cw->reject) {
            if (s->buffered + bl > s->max_buffered) {
                /* every connection's bodies together: over budget */
                logf_(s, "request bodies over %zu bytes in all: 503", s->max_buffered);
                cw_respond(cw, 503, "Retry-After: 10\r\n", NULL, 0, 0);
                return 1;
            }
            size_t before = cw->body.len;
            ex_buf_add(&cw->body, (const char *) b, bl);
            s->buffered += cw->body.len - before;
            if (ex_buf_error(&cw->body))
                ev = CWMP_ERR_LIMIT;
        }
        memmove(cw->in, cw->in + used, cw->inlen - used);
        cw->inlen -= used;
        if (ev < 0) {
            int st = cwmp_http_parser_error_status(cw->p);
            cw_respond(cw, st ? st : 400, NULL, NULL, 0, 0);
            return 1;
        }
        if (ev == CWMP_HTTP_EV_HEADERS && cw_head(s, cw))
            return 1;
        if (ev == CWMP_HTTP_EV_DONE) {
            cw_request(s, cw);
            cwmp_http_parser_reset(cw->p);
            s->buffered -= cw->body.len;
            cw->body.len = 0;
            return 1;
        }
        if (ev == CWMP_HTTP_EV_NEED_MORE)
            return 0;
    }
}

/* Moves a connection on as far as its socket allows. Returns -1 when it is
 * finished (close it). */
static int cw_io(struct hms_server *s, struct hms_cw *cw)
{
    if (cw->handshaking) {
        struct cwmp_tls_status ts = {0};
        int rv = cwmp_tls_handshake(cw->st, &ts);
        if (rv == CWMP_ERR_AGAIN)
            return 0;
        if (rv != 0) {
            logf_(s, "TLS handshake failed: %s", ts.detail);
            return -1;
        }
        cw->handshaking = 0;
    }
    for (;;) {
        while (cw->ooff < cw->out.len) {
            int n = cwmp_stream_write(cw->st, (const uint8_t *) cw->out.data + cw->ooff,
                                      cw->out.len - cw->ooff);
            if (n == CWMP_ERR_AGAIN)
                return 0;
            if (n <= 0)
                return -1;
            cw->ooff += (size_t) n;
            cw_progress(s, cw);
        }
        if (cw->out.len) {
            cw->out.len = cw->ooff = 0;
            s->buffered -= cw->held;
            cw->held = 0;
            if (cw->close_after)
                return -1;
            if (cwmp_http_parser_idle(cw->p)) { /* not a 100 Continue: next request */
                cw->deadline = now_ms() + s->io_timeout_ms;
                cw->limit = now_ms() + s->file_timeout_ms;
            }
        }
        int rv = cw_parse(s, cw);
        if (rv < 0)
            return -1;
        if (rv == 1 || cw->ooff < cw->out.len)
            continue; /* write the response (or the 100 Continue) */
        int n = cwmp_stream_read(cw->st, cw->in + cw->inlen, sizeof(cw->in) - cw->inlen);
        if (n == CWMP_ERR_AGAIN)
            return 0;
        if (n <= 0)
            return -1; /* closed by the peer (a finished session ends so) or failed */
        cw->inlen += (size_t) n;
        cw_progress(s, cw);
    }
}

static void cw_close(struct hms_server *s, struct hms_cw *cw)
{
    for (struct hms_cw **pp = &s->conns; *pp; pp = &(*pp)->next)
        if (*pp == cw) {
            *pp = cw->next;
            break;
        }
    if (cw->file)
        s->nfiles--;
    else
        s->nconns--;
    s->buffered -= cw->body.len + cw->held;
    cw_free(cw);
}

/* A PM file name "A..._<sender>.xml": the device whose serial number (or
 * "OUI-Serial", or "OUI-ProductClass-Serial") is the sender name. */
struct pm_match {
    const char *sender;
    int64_t id;
};

static int pm_match_cb(const struct hms_device *d, void *ud)
{
    struct pm_match *m = ud;
    char k1[200], k2[200];
    snprintf(k1, sizeof(k1), "%s-%s", d->oui, d->serial);
    snprintf(k2, sizeof(k2), "%s-%s-%s", d->oui, d->product_class, d->serial);
    if (!strcmp(m->sender, d->serial) || !strcmp(m->sender, k1) || !strcmp(m->sender, k2)) {
        m->id = d->id;
        return 1;
    }
    return 0;
}

/* A whole file-server request was read (its route checked at the head). */
static void file_request(struct hms_server *s, struct hms_cw *cw)
{
    const struct cwmp_http_message *m = cwmp_http_parser_message(cw->p);
    if (cw->route == ROUTE_GET_CM) {
        const char *name = m->target + 7;
        char *data = NULL;
        size_t len = 0;
        if (!s->conf->file_dir || !hms_cm_name_ok(name) ||
            hms_filestore_get_cm(s->conf->file_dir, name, HMS_MAX_BODY, NULL, &data, &len) != 0) {
            cw_respond(cw, 404, NULL, NULL, 0, 0);
            return;
        }
        if (s->buffered + len > s->max_buffered) {
            free(data);
            logf_(s, "file server: buffered bytes over %zu in all: 503", s->max_buffered);
            cw_respond(cw, 503, "Retry-After: 10\r\n", NULL, 0, 0);
            return;
        }
        size_t before = cw->out.len;
        cw_respond(cw, 200, "Content-Type: text/xml\r\n", data, len, 0);
        free(data);
        cw->held = cw->out.len - before;
        s->buffered += cw->held;
        logf_(s, "file server: sent %s (%zu bytes)", name, len);
        return;
    }
    /* ROUTE_PUT_PM: the body is complete */
    const char *name = m->target + 4;
    const struct ex_buf *body = &cw->body;
    char path[1024], err[200];
    if (hms_filestore_put_pm(s->conf->file_dir, name, body->data ? body->data : "", body->len,
                             HMS_MAX_BODY, path, sizeof(path), err, sizeof(err)) != 0) {
        logf_(s, "file server: %s: %s", name, err);
        cw_respond(cw, 500, NULL, NULL, 0, 0);
        return;
    }
    /* A<date>.<time>-[<date>.]<time>_<sender>[_-_<RC>][.xml]: the
     * sender starts after the first '_' (the times have none) and
     * may itself hold '_'; TS 32.432's running count is not part
     * of it. */
    char sender[128] = "";
    const char *us = strchr(name, '_');
    if (us) {
        snprintf(sender, sizeof(sender), "%s", us + 1);
        size_t sl = strlen(sender);
        if (sl > 4 && !strcmp(sender + sl - 4, ".xml"))
            sender[sl -= 4] = '\0';
        size_t d = sl;
        while (d > 0 && sender[d - 1] >= '0' && sender[d - 1] <= '9')
            d--;
        if (d < sl && d > 3 && !strncmp(sender + d - 3, "_-_", 3))
            sender[d - 3] = '\0';
    }
    struct pm_match pm = {sender, 0};
    hms_registry_list(s->reg, pm_match_cb, &pm);
    if (pm.id) {
        struct hms_pmfile f = {0, name, (int64_t) body->len, wall_ms(), path};
        hms_registry_add_pmfile(s->reg, pm.id, &f);
    }
    logf_(s, "file server: PM file %s (%zu bytes) device %lld", name, body->len, (long long) pm.id);
    trace_note(s, "files", "PM file received");
    cw_respond(cw, 201, NULL, NULL, 0, 0);
}

/* ---- connection requests (tasks queued by `hms-ctl connreq`) ----------------- */

/* Connection requests go out from a helper thread: each waits for the
 * device's HTTP answer (up to cr_timeout_ms), which the loop serving CWMP
 * connections must not do. The loop fills free job slots (task id, URL and
 * credentials copied out of the registry), the thread sends queued jobs one
 * by one with cwmp_cr_send() and wakes the loop through a pipe after each;
 * the loop records each result as it comes (the registry and the trace
 * belong to it). A task is in at most one slot, so it is never sent twice
 * at once.
 *
 * Retries (doc/examples.md, "Connection requests"): an attempt that fails
 * for a reason that may pass (503: the device is in a session or rate
 * limits connection requests; a timeout; refused; another 5xx) leaves the
 * task pending with a due time in the loop's retry table: cr_retry_ms, then
 * doubled per attempt up to cr_retry_max_ms, at most cr_max_attempts
 * attempts in all. Waiting is a due time, not a sleep: other devices' jobs
 * go out meanwhile. A final 401/403 (cwmp_cr_send() has done the Digest
 * exchange already: the credentials are wrong) fails the task at once. A
 * task that the device's session with "6 CONNECTION REQUEST" marked done
 * meanwhile (session.c) is dropped from the table. The table is in memory:
 * after a restart a pending task starts again with attempt 1. */

#define CR_SLOTS        16
#define CR_RETRY_MAX    256 /* tasks followed between attempts */
#define CR_MAX_ATTEMPTS 16

enum { CR_FREE, CR_QUEUED, CR_SENDING, CR_DONE };

struct cr_job {
    int state; /* CR_*, under the mutex */
    int64_t task, dev;
    char url[600];
    char user[HMS_REGISTRY_MAX_ID + 1], pass[HMS_REGISTRY_MAX_ID + 1];
    int rv, status;
};

struct cr_retry {
    int64_t task; /* 0: free entry */
    int attempts; /* made so far */
    int64_t due_ms;
    int seen; /* still pending at the last scan */
};

struct hms_crq {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int wake[2]; /* the thread writes a byte when a job is done */
    struct cr_job job[CR_SLOTS];
    int stop;
    struct cwmp_http_client_config cfg;
    /* the loop thread's own: no lock */
    struct cr_retry retry[CR_RETRY_MAX];
    int max_attempts, retry_ms, retry_max_ms;
};

static void cr_wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
}

static void *cr_thread(void *arg)
{
    struct hms_crq *q = arg;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        struct cr_job *j = NULL;
        for (size_t i = 0; i < CR_SLOTS && !j; i++)
            if (q->job[i].state == CR_QUEUED)
                j = &q->job[i];
        if (q->stop)
            break; /* queued jobs stay pending for the next run */
        if (!j) {
            pthread_cond_wait(&q->cv, &q->mu);
            continue;
        }
        j->state = CR_SENDING;
        struct cwmp_http_client_config cfg = q->cfg;
        cfg.username = j->user[0] ? j->user : NULL;
        cfg.password = j->user[0] ? j->pass : NULL;
        pthread_mutex_unlock(&q->mu);
        j->status = 0;
        j->rv = cwmp_cr_send(&cfg, j->url, &j->status);
        pthread_mutex_lock(&q->mu);
        j->state = CR_DONE;
        char b = 1;
        ssize_t w = write(q->wake[1], &b, 1); /* full pipe: the loop looks at each scan */
        (void) w;
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

/* Stops the thread: a request being sent finishes (at most its timeout),
 * the queued ones are left pending. */
static void crq_stop(struct hms_crq *q)
{
    pthread_mutex_lock(&q->mu);
    q->stop = 1;
    pthread_cond_signal(&q->cv);
    pthread_mutex_unlock(&q->mu);
    pthread_join(q->th, NULL);
}

static void crq_free(struct hms_crq *q)
{
    if (!q)
        return;
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->cv);
    close(q->wake[0]);
    close(q->wake[1]);
    cr_wipe(q->job, sizeof(q->job));
    free(q);
}

static struct hms_crq *crq_new(struct hms_server *s)
{
    struct hms_crq *q = calloc(1, sizeof(*q));
    if (!q)
        return NULL;
    q->cfg.tls = s->tls_cli;
    q->cfg.timeout_ms = s->opts.cr_timeout_ms > 0 ? s->opts.cr_timeout_ms : 5000;
    q->max_attempts = s->opts.cr_max_attempts > 0 ? s->opts.cr_max_attempts : 6;
    if (q->max_attempts > CR_MAX_ATTEMPTS)
        q->max_attempts = CR_MAX_ATTEMPTS;
    q->retry_ms = s->opts.cr_retry_ms > 0 ? s->opts.cr_retry_ms : 1000;
    q->retry_max_ms = s->opts.cr_retry_max_ms > 0 ? s->opts.cr_retry_max_ms : 10000;
    if (pipe(q->wake) != 0) {
        free(q);
        return NULL;
    }
    for (int i = 0; i < 2; i++) {
        int fl = fcntl(q->wake[i], F_GETFL);
        (void) fcntl(q->wake[i], F_SETFL, fl | O_NONBLOCK);
        (void) fcntl(q->wake[i], F_SETFD, FD_CLOEXEC);
    }
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    if (pthread_create(&q->th, NULL, cr_thread, q) != 0) {
        pthread_mutex_destroy(&q->mu);
        pthread_cond_destroy(&q->cv);
        close(q->wake[0]);
        close(q->wake[1]);
        free(q);
        return NULL;
    }
    return q;
}

static struct cr_retry *cr_retry_find(struct hms_crq *q, int64_t task)
{
    for (size_t i = 0; i < CR_RETRY_MAX; i++)
        if (q->retry[i].task == task)
            return &q->retry[i];
    return NULL;
}

struct cr_status {
    int64_t id;
    int status;
};

static int cr_status_cb(const struct hms_task *t, void *ud)
{
    struct cr_status *c = ud;
    if (t->id != c->id)
        return 0;
    c->status = (int) t->status;
    return 1;
}

/* Whether the task is still pending (not done meanwhile by the device's
 * "6 CONNECTION REQUEST" session, nor removed). */
static int cr_task_pending(struct hms_server *s, int64_t dev, int64_t task)
{
    struct cr_status c = {task, -1};
    hms_registry_list_tasks(s->reg, dev, HMS_TASK_PENDING, cr_status_cb, &c);
    return c.status == HMS_TASK_PENDING;
}

/* An attempt's failure may pass (busy, rate limited, down, overloaded). */
static int cr_retryable(int rv, int status)
{
    if (rv == CWMP_ERR_AUTH)
        return 0;
    if (rv == CWMP_ERR_HTTP)
        return status == 503 || status >= 500;
    return rv == CWMP_ERR_TIMEOUT || rv == CWMP_ERR_IO || rv == CWMP_ERR_TLS ||
           rv == CWMP_ERR_CLOSED;
}

static int64_t cr_backoff(const struct hms_crq *q, int attempts)
{
    int64_t d = q->retry_ms;
    for (int i = 1; i < attempts && d < q->retry_max_ms; i++)
        d *= 2;
    return d < q->retry_max_ms ? d : q->retry_max_ms;
}

/* Records the results of the finished jobs. */
static void cr_collect(struct hms_server *s)
{
    struct hms_crq *q = s->crq;
    if (!q)
        return;
    char b[16];
    while (read(q->wake[0], b, sizeof(b)) > 0) {
    }
    for (size_t i = 0; i < CR_SLOTS; i++) {
        struct cr_job *j = &q->job[i];
        pthread_mutex_lock(&q->mu);
        int done = j->state == CR_DONE;
        pthread_mutex_unlock(&q->mu);
        if (!done)
            continue;
        struct cr_retry *e = cr_retry_find(q, j->task);
        int attempts = e ? e->attempts : 1;
        char res[160];
        trace_note(s, "hms-serving", "connection request sent");
        if (!cr_task_pending(s, j->dev, j->task)) {
            logf_(s, "connection request to %s: HTTP %d; the task was ended meanwhile", j->url,
                  j->status);
            if (e)
                e->task = 0;
        } else if (j->rv == 0) {
            snprintf(res, sizeof(res), "sent (HTTP %d), attempt %d", j->status, attempts);
            hms_registry_set_task(s->reg, j->task, HMS_TASK_DONE, res);
            logf_(s, "connection request to %s: %s", j->url, res);
            if (e)
                e->task = 0;
        } else if (cr_retryable(j->rv, j->status) && attempts < q->max_attempts && e) {
            int64_t wait = cr_backoff(q, attempts);
            e->due_ms = now_ms() + wait;
            snprintf(res, sizeof(res), "attempt %d failed (%s, HTTP %d), next in %lld ms", attempts,
                     cwmp_strerror(j->rv), j->status, (long long) wait);
            hms_registry_set_task(s->reg, j->task, HMS_TASK_PENDING, res);
            logf_(s, "connection request to %s: %s", j->url, res);
        } else {
            if (j->rv == CWMP_ERR_AUTH)
                snprintf(res, sizeof(res), "refused (HTTP %d): wrong credentials", j->status);
            else
                snprintf(res, sizeof(res), "failed (%s, HTTP %d) after %d attempt(s)",
                         cwmp_strerror(j->rv), j->status, attempts);
            hms_registry_set_task(s->reg, j->task, HMS_TASK_FAILED, res);
            logf_(s, "connection request to %s: %s", j->url, res);
            if (e)
                e->task = 0;
        }
        cr_wipe(j->pass, sizeof(j->pass));
        pthread_mutex_lock(&q->mu);
        j->state = CR_FREE;
        pthread_mutex_unlock(&q->mu);
    }
}

struct cr_scan {
    struct hms_crq *q;
    int64_t now;
    int64_t task[CR_SLOTS], dev[CR_SLOTS];
    size_t n, room, examined;
};

static int cr_busy(struct hms_crq *q, int64_t task)
{
    int busy = 0;
    pthread_mutex_lock(&q->mu);
    for (size_t i = 0; i < CR_SLOTS && !busy; i++)
        busy = q->job[i].state != CR_FREE && q->job[i].task == task;
    pthread_mutex_unlock(&q->mu);
    return busy;
}

static int cr_pending_cb(const struct hms_task *t, void *ud)
{
    struct cr_scan *c = ud;
    c->examined++;
    struct cr_retry *e = c->q ? cr_retry_find(c->q, t->id) : NULL;
    if (e)
        e->seen = 1;
    if (c->n < c->room && (!e || (e->due_ms <= c->now && !cr_busy(c->q, t->id)))) {
        c->task[c->n] = t->id;
        c->dev[c->n] = t->device;
        c->n++;
    }
    return c->examined >= CR_RETRY_MAX; /* the rest at the next scans */
}

/* The pending connection requests that are due (an index lookup, whatever
 * the number of devices), handed to the sending thread's free slots. */
static void cr_scan(struct hms_server *s)
{
    cr_collect(s);
    struct hms_crq *q = s->crq;
    size_t room = CR_SLOTS;
    if (q) {
        room = 0;
        pthread_mutex_lock(&q->mu);
        for (size_t i = 0; i < CR_SLOTS; i++)
            room += q->job[i].state == CR_FREE;
        pthread_mutex_unlock(&q->mu);
        for (size_t i = 0; i < CR_RETRY_MAX; i++)
            q->retry[i].seen = 0;
    }
    struct cr_scan c = {q, now_ms(), {0}, {0}, 0, room, 0};
    hms_registry_list_pending(s->reg, "ConnectionRequest", cr_pending_cb, &c);
    if (q && c.examined < CR_RETRY_MAX)
        /* a complete scan: forget the tasks no longer pending */
        for (size_t i = 0; i < CR_RETRY_MAX; i++)
            if (q->retry[i].task && !q->retry[i].seen && !cr_busy(q, q->retry[i].task))
                q->retry[i].task = 0;
    if (!c.n)
        return;
    if (!q && !(q = s->crq = crq_new(s)))
        return;
    size_t slot = 0;
    for (size_t i = 0; i < c.n; i++) {
        struct hms_device *d = NULL;
        if (hms_registry_get(s->reg, c.dev[i], &d) != 0 || !d) {
            hms_device_free(s->reg, d);
            continue;
        }
        if (!d->cr_url || !*d->cr_url)
            hms_registry_set_task(s->reg, c.task[i], HMS_TASK_FAILED,
                                  "no ConnectionRequestURL known");
        else if (strlen(d->cr_url) >= sizeof(q->job[0].url))
            hms_registry_set_task(s->reg, c.task[i], HMS_TASK_FAILED,
                                  "ConnectionRequestURL too long");
        else {
            struct cr_retry *e = cr_retry_find(q, c.task[i]);
            if (!e && (e = cr_retry_find(q, 0)) != NULL)
                *e = (struct cr_retry){c.task[i], 0, 0, 1};
            while (slot < CR_SLOTS && q->job[slot].state != CR_FREE) /* only we free slots */
                slot++;
            if (!e || slot == CR_SLOTS) {
                hms_device_free(s->reg, d);
                continue; /* table full: at a later scan */
            }
            struct cr_job *j = &q->job[slot];
            j->task = c.task[i];
            j->dev = c.dev[i];
            snprintf(j->url, sizeof(j->url), "%s", d->cr_url);
            /* the device's own credentials; else (none given, or --cr-fixed)
             * the command line's pair */
            j->user[0] = j->pass[0] = '\0';
            if (s->opts.cr_fixed ||
                hms_registry_get_cr_credentials(s->reg, d->id, j->user, sizeof(j->user), j->pass,
                                                sizeof(j->pass)) != 0 ||
                !j->user[0]) {
                snprintf(j->user, sizeof(j->user), "%s",
                         s->opts.cr_username ? s->opts.cr_username : "");
                snprintf(j->pass, sizeof(j->pass), "%s",
                         s->opts.cr_password ? s->opts.cr_password : "");
            }
            e->attempts++;
            pthread_mutex_lock(&q->mu);
            j->state = CR_QUEUED;
            pthread_cond_signal(&q->cv);
            pthread_mutex_unlock(&q->mu);
        }
        hms_device_free(s->reg, d);
    }
}

/* ---- open / step / close ------------------------------------------------------ */

static int file_password(void *user, const char *username, char *buf, size_t size)
{
    const struct hms_server *s = user;
    for (size_t i = 0; i < s->conf->npolicies; i++) {
        const struct conf_policy *p = &s->conf->policies[i];
        if (p->pm_username && p->pm_password && !strcmp(p->pm_username, username)) {
            snprintf(buf, size, "%s", p->pm_password);
            return 0;
        }
    }
    return 1;
}

static int cwmp_password_cb(void *user, const char *username, char *buf, size_t size)
{
    const struct hms_server *s = user;
    if (strcmp(username, s->opts.cwmp_username) != 0)
        return 1;
    snprintf(buf, size, "%s", s->opts.cwmp_password);
    return 0;
}

/* Digest (MD5, SHA-256) credentials for a listener; Basic is accepted over
 * TLS only. */
static int auth_new(struct hms_server *s, struct cwmp_http_auth_server **out, const char *realm,
                    int (*password)(void *, const char *, char *, size_t))
{
    struct cwmp_http_auth_server_config ac = {0};
    ac.realm = realm;
    ac.digest_md5 = 1;
    ac.digest_sha256 = 1;
    ac.allow_basic = 1; /* over TLS only */
    ac.password = password;
    ac.password_user = s;
    return cwmp_http_auth_server_new(out, &ac);
}

static int listen_on(const char *hostport, uint16_t port_default, int *fd)
{
    char host[128];
    snprintf(host, sizeof(host), "%s", hostport);
    char *colon = strrchr(host, ':');
    long port = port_default;
    if (colon) {
        *colon = '\0';
        port = strtol(colon + 1, NULL, 10);
    }
    if (port < 0 || port > 65535)
        return -1;
    return cwmp_tcp_listen(host, (uint16_t) port, 16, fd);
}

int hms_server_open(struct hms_server **out, const char *conf_text, size_t conf_len,
                    const struct hms_server_opts *opts, char *err, size_t errlen)
{
    struct hms_server *s = calloc(1, sizeof(*s));
    struct conf_error ce;
    *out = NULL;
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    s->opts = *opts;
    s->cwmp_fd = s->file_fd = -1;
    s->max_conns = opts->max_connections > 0 ? (size_t) opts->max_connections : HMS_MAX_CONNS;
    s->io_timeout_ms = opts->io_timeout_ms > 0 ? opts->io_timeout_ms : HMS_IO_TIMEOUT_MS;
    s->max_files =
        opts->max_file_connections > 0 ? (size_t) opts->max_file_connections : HMS_MAX_FILE_CONNS;
    s->file_timeout_ms = opts->file_timeout_ms > 0 ? opts->file_timeout_ms : HMS_FILE_TIMEOUT_MS;
    s->max_buffered =
        opts->max_buffered_bytes > 0 ? (size_t) opts->max_buffered_bytes : HMS_MAX_BUFFERED;
    if (conf_parse(conf_text, conf_len, NULL, &s->doc, &ce) != 0 ||
        conf_hms_load(s->doc, &s->conf, &ce) != 0) {
        snprintf(err, errlen, "config line %d: %s", ce.line, ce.msg);
        goto fail;
    }
    if (hms_registry_open(&s->reg, s->conf->database, NULL, NULL, err, errlen) != 0)
        goto fail;
    if (s->conf->cert && s->conf->key) {
        if (cwmp_tls_config_new(&s->tls, CWMP_TLS_SERVER, NULL) != 0 ||
            cwmp_tls_config_set_own_cert_file(s->tls, s->conf->cert, s->conf->key, NULL) != 0) {
            snprintf(err, errlen, "TLS: cannot load %s / %s", s->conf->cert, s->conf->key);
            goto fail;
        }
    }
    if (s->conf->root_ca) {
        if (cwmp_tls_config_new(&s->tls_cli, CWMP_TLS_CLIENT, NULL) != 0 ||
            cwmp_tls_config_add_ca_file(s->tls_cli, s->conf->root_ca) != 0) {
            snprintf(err, errlen, "TLS: cannot load %s", s->conf->root_ca);
            goto fail;
        }
    }
    uint16_t port = opts->cwmp_port >= 0 ? (uint16_t) opts->cwmp_port : s->conf->listen_port;
    if (cwmp_tcp_listen(s->conf->listen_host, port, 128, &s->cwmp_fd) != 0) {
        snprintf(err, errlen, "cannot listen on %s:%u", s->conf->listen_host, port);
        goto fail;
    }
    if (!(opts->file_listen && !*opts->file_listen) && (opts->file_listen || s->conf->file_url)) {
        int rv;
        if (opts->file_listen) {
            rv = listen_on(opts->file_listen, 0, &s->file_fd);
            size_t fl = strlen(opts->file_listen);
            if (rv == 0 && fl > 2 && !strcmp(opts->file_listen + fl - 2, ":0")) {
                /* port picked now: the Download URLs name it */
                snprintf(s->file_url_buf, sizeof(s->file_url_buf), "%s://%.*s:%u/files",
                         s->tls ? "https" : "http", (int) (fl - 2), opts->file_listen,
                         cwmp_tcp_local_port(s->file_fd));
                s->file_url = s->file_url_buf;
            }
        } else {
            struct cwmp_url u;
            rv = cwmp_url_parse(s->conf->file_url, &u);
            if (rv == 0)
                rv = cwmp_tcp_listen(u.host, u.port, 16, &s->file_fd);
        }
        if (rv != 0) {
            snprintf(err, errlen, "file server: cannot listen");
            goto fail;
        }
    }
    for (size_t i = 0; i < s->conf->npolicies; i++) {
        if (s->conf->policies[i].pm_username && s->conf->policies[i].pm_password) {
            if (auth_new(s, &s->fauth, "libcwmp HMS files", file_password) != 0) {
                snprintf(err, errlen, "file server: auth setup failed");
                goto fail;
            }
            break;
        }
    }
    if (opts->cwmp_username && opts->cwmp_password) {
        if (auth_new(s, &s->cauth, "libcwmp HMS", cwmp_password_cb) != 0) {
            snprintf(err, errlen, "CWMP listener: auth setup failed");
            goto fail;
        }
    }
    if (opts->trace_path) {
        s->trace = fopen(opts->trace_path, "a");
        if (!s->trace) {
            snprintf(err, errlen, "%s: cannot open", opts->trace_path);
            goto fail;
        }
        struct ex_buf b;
        ex_buf_init(&b, NULL, 0);
        trace_write_header(&b);
        trace_write_lane(&b, "device", "Device");
        trace_write_lane(&b, "hms-initial", "HMS (initial)");
        trace_write_lane(&b, "hms-serving", "HMS (serving)");
        trace_write_lane(&b, "files", "File server");
        trace_write_flow(&b, "hms", "", "HMS sessions");
        trace_out(s, &b);
    }
    if (!s->file_url)
        s->file_url = s->conf->file_url;
    if (hms_acs_new(s, &s->acs) != 0) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    *out = s;
    return 0;
fail:
    hms_server_close(s);
    return -1;
}

void hms_server_close(struct hms_server *s)
{
    if (!s)
        return;
    if (s->crq) {
        crq_stop(s->crq);
        cr_collect(s); /* what went out is recorded */
        crq_free(s->crq);
    }
    while (s->conns)
        cw_close(s, s->conns);
    free(s->pfd);
    free(s->pcw);
    if (s->cwmp_fd >= 0)
        close(s->cwmp_fd);
    if (s->file_fd >= 0)
        close(s->file_fd);
    if (s->trace)
        fclose(s->trace);
    hms_acs_free(s->acs);
    cwmp_http_auth_server_free(s->fauth);
    cwmp_http_auth_server_free(s->cauth);
    cwmp_tls_config_free(s->tls);
    cwmp_tls_config_free(s->tls_cli);
    hms_registry_close(s->reg);
    conf_hms_free(s->conf);
    conf_free(s->doc);
    free(s);
}

uint16_t hms_server_cwmp_port(const struct hms_server *s)
{
    return cwmp_tcp_local_port(s->cwmp_fd);
}

uint16_t hms_server_file_port(const struct hms_server *s)
{
    return s->file_fd >= 0 ? cwmp_tcp_local_port(s->file_fd) : 0;
}

int hms_server_step(struct hms_server *s, int timeout_ms)
{
    if (now_ms() - s->last_cr_scan >= HMS_CR_SCAN_MS) {
        s->last_cr_scan = now_ms();
        cr_scan(s);
    }
    size_t cap = s->nconns + s->nfiles + 3;
    if (cap > s->npfd) {
        struct pollfd *pf = realloc(s->pfd, cap * sizeof(*pf));
        struct hms_cw **pc = realloc(s->pcw, cap * sizeof(*pc));
        if (pf)
            s->pfd = pf;
        if (pc)
            s->pcw = pc;
        if (!pf || !pc)
            return -1;
        s->npfd = cap;
    }
    /* the listeners (each only while one of its connection slots is free) */
    size_t n = 0;
    int64_t now = now_ms();
    int wait = timeout_ms;
    s->pfd[n++] = (struct pollfd){s->nconns < s->max_conns ? s->cwmp_fd : -1, POLLIN, 0};
    s->pfd[n++] = (struct pollfd){s->nfiles < s->max_files ? s->file_fd : -1, POLLIN, 0};
    s->pfd[n++] = (struct pollfd){s->crq ? s->crq->wake[0] : -1, POLLIN, 0};
    for (struct hms_cw *cw = s->conns; cw; cw = cw->next) {
        short ev = POLLIN;
        if (cw->handshaking ? cwmp_tls_want_write(cw->st) : cw->ooff < cw->out.len)
            ev = POLLOUT;
        /* bytes already buffered (ours or TLS's) need no wait */
        if (!cw->handshaking && cw->ooff >= cw->out.len && (cw->inlen || cwmp_tls_pending(cw->st)))
            wait = 0;
        int64_t left = cw->deadline - now;
        if (left < wait || wait < 0)
            wait = left < 0 ? 0 : (int) left;
        s->pcw[n] = cw;
        s->pfd[n++] = (struct pollfd){cw->st->fd, ev, 0};
    }
    int rv = poll(s->pfd, (nfds_t) n, wait);
    if (rv < 0)
        return 0;
    now = now_ms();
    if (s->pfd[2].revents & POLLIN)
        cr_collect(s); /* a batch of connection requests went out */
    for (size_t i = 3; i < n; i++) {
        struct hms_cw *cw = s->pcw[i];
        int ready =
            s->pfd[i].revents != 0 || cw->inlen || (!cw->handshaking && cwmp_tls_pending(cw->st));
        if (ready && cw_io(s, cw) < 0)
            cw_close(s, cw);
        else if (now >= cw->deadline) {
            logf_(s, "%sconnection closed: its I/O deadline passed",
                  cw->file ? "file server: " : "");
            cw_close(s, cw);
        }
    }
    /* new connections: as many as are waiting and fit */
    if (s->pfd[0].revents & POLLIN)
        for (int k = 0; k < 16 && s->nconns < s->max_conns; k++) {
            size_t before = s->nconns;
            cw_accept(s, 0);
            if (s->nconns == before)
                break;
            if (!s->tls) /* plain: the request may be there already */
                if (cw_io(s, s->conns) < 0)
                    cw_close(s, s->conns);
        }
    if (s->pfd[1].revents & POLLIN)
        for (int k = 0; k < 16 && s->nfiles < s->max_files; k++) {
            size_t before = s->nfiles;
            cw_accept(s, 1);
            if (s->nfiles == before)
                break;
            if (!s->tls)
                if (cw_io(s, s->conns) < 0)
                    cw_close(s, s->conns);
        }
    return 0;
}
