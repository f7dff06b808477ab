/*
 * libcwmp benchmark - the example HMS (examples/hms/server.c) under load.
 *
 * The HMS runs in a forked child process: the same hms_server_open() +
 * hms_server_step() loop as the `hms` program, so its CPU time, heap and
 * RSS are its own (and `perf record -p` can profile it alone). The parent
 * is the load generator: N simulated devices, each the library's CPE engine
 * (cwmp_cpe over a Device:2 data model with FAPService.1) with its own
 * DeviceId and its own libcwmp-transport HTTP client (which keeps the
 * device's TLS session for resumption), driven by W worker threads (device
 * i belongs to worker i % W; each worker has its own client TLS config, so
 * no random generator is shared between threads).
 *
 * Sessions, as a femtocell does them:
 *   register  0 BOOTSTRAP + 1 BOOT: Inform, SetParameterValues of the
 *             policy's serving elements, of the registration parameters,
 *             GetParameterValues of FaultMgmt.SupportedAlarm., empty POST
 *   periodic  2 PERIODIC (the device's clock jumps past
 *             PeriodicInformInterval): Inform, empty POST
 *   change    4 VALUE CHANGE of the IPsec inner address (active
 *             notification): Inform, empty POST (the HMS records it)
 *
 * The ceiling, measured in the same run: a second forked server on the
 * same transport, serving its connections together from one poll() loop
 * as the HMS does (non-blocking cwmp_tls_start_server/cwmp_tls_handshake,
 * cwmp_http_parser_execute, cwmp_http_write_response into a buffer),
 * replays the HMS's recorded replies to a client replaying the devices'
 * recorded requests: the same bytes, the same round trips, the same
 * connection and handshake pattern (a fresh client, hence a full
 * handshake, per registration; a kept client, hence a resumed one, for the
 * other sessions), no CWMP engine and no HMS logic. Each phase runs in
 * rounds alternating HMS and ceiling; the ratio is the median of the
 * rounds' ratios.
 *
 *   bench_hms_load [plain-devices [tls-devices [workers [sessions]]]]
 *       defaults 1000 1000 4 400: levels 1, 10, 100, 1000 registered
 *       devices (a level above the last power of ten: the given number),
 *       `workers` devices in a session at once, `sessions` periodic
 *       sessions per level (and a quarter as many value changes); 0 devices
 *       skips that transport. About 30 s on an idle 2-core machine.
 *   bench_hms_load smoke
 *       a few devices over plain and TLS, no timing: exits non-zero unless
 *       every session succeeded and the registry holds every device as
 *       registered with its last inner address (a test, also under ASan).
 *   HMS_LOAD_DEBUG=1 in the environment: the HMS logs its sessions, the
 *   load generator says why a session failed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include <cwmp/cpe.h>
#include <cwmp/datamodel.h>
#include <cwmp/http.h>
#include <cwmp/tls.h>
#include <cwmp/transport.h>

#include "registry.h"
#include "server.h"
#include "testpki.h"

#define MAX_WORKERS  16
#define MAX_EXCHANGE 16
#define ROUNDS       4
#define PERIODIC_S   300

enum kind { K_REGISTER = 0, K_PERIODIC = 1, K_CHANGE = 2, K_COUNT };
static const char *const kind_name[K_COUNT] = {"register", "periodic", "change"};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- a recorded exchange (the ceiling replays it) ----------------------- */

struct script {
    size_t n;
    char *req[MAX_EXCHANGE];
    size_t req_len[MAX_EXCHANGE];
    char *resp[MAX_EXCHANGE];
    size_t resp_len[MAX_EXCHANGE];
    size_t bytes; /* both ways */
};

static void script_free(struct script *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->req[i]);
        free(s->resp[i]);
    }
    memset(s, 0, sizeof(*s));
}

static char *dup_bytes(const void *p, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        if (n)
            memcpy(d, p, n);
        d[n] = '\0';
    }
    return d;
}

/* ---- the server processes ---------------------------------------------- */

/* A forked server and its control pipes: 'm' asks for its figures, 'q' (or
 * EOF) stops it. */
struct child {
    pid_t pid;
    int wr, rd;
};

struct child_stats {
    uint64_t heap;   /* bytes in use (mallinfo2: uordblks + hblkhd) */
    double cpu_s;    /* user + system */
    uint64_t rss_kb; /* VmRSS */
    uint64_t hwm_kb; /* VmHWM */
};

static void read_status(uint64_t *rss, uint64_t *hwm)
{
    char line[256];
    FILE *fp = fopen("/proc/self/status", "r");
    *rss = *hwm = 0;
    while (fp && fgets(line, sizeof(line), fp)) {
        if (!strncmp(line, "VmRSS:", 6))
            *rss = strtoull(line + 6, NULL, 10);
        else if (!strncmp(line, "VmHWM:", 6))
            *hwm = strtoull(line + 6, NULL, 10);
    }
    if (fp)
        fclose(fp);
}

static double cpu_of(int who)
{
    struct rusage ru;
    getrusage(who, &ru);
    return (double) ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double) ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

/* In the child: answers one command; 1 when told to stop. */
static int child_command(int rd, int wr)
{
    char cmd;
    if (read(rd, &cmd, 1) != 1 || cmd == 'q')
        return 1;
    struct child_stats st = {0};
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 mi = mallinfo2();
    st.heap = (uint64_t) mi.uordblks + (uint64_t) mi.hblkhd;
#endif
    st.cpu_s = cpu_of(RUSAGE_SELF);
    read_status(&st.rss_kb, &st.hwm_kb);
    return write(wr, &st, sizeof(st)) != sizeof(st);
}

/* Forks @p fn(arg, rd, wr); it writes a uint16_t port first. */
static int child_start(struct child *c, void (*fn)(void *, int, int), void *arg, uint16_t *port)
{
    int down[2], up[2];
    if (pipe(down) != 0)
        return -1;
    if (pipe(up) != 0) {
        close(down[0]);
        close(down[1]);
        return -1;
    }
    fflush(NULL);
    c->pid = fork();
    if (c->pid == 0) {
        close(down[1]);
        close(up[0]);
        fn(arg, down[0], up[1]);
        _exit(0);
    }
    close(down[0]);
    close(up[1]);
    c->wr = down[1];
    c->rd = up[0];
    if (c->pid < 0)
        return -1;
    *port = 0;
    return read(c->rd, port, sizeof(*port)) == sizeof(*port) && *port ? 0 : -1;
}

static int child_stats(const struct child *c, struct child_stats *st)
{
    char m = 'm';
    if (c->pid <= 0 || write(c->wr, &m, 1) != 1 || read(c->rd, st, sizeof(*st)) != sizeof(*st))
        return -1;
    return 0;
}

static void child_stop(struct child *c)
{
    if (c->pid <= 0)
        return;
    char q = 'q';
    if (write(c->wr, &q, 1) != 1)
        kill(c->pid, SIGTERM);
    waitpid(c->pid, NULL, 0);
    close(c->wr);
    close(c->rd);
    c->pid = 0;
}

/* ---- the run ------------------------------------------------------------ */

struct dev {
    struct cwmp_dm *dm;
    struct cwmp_cpe *cpe;
    struct cwmp_http_client *http;
    char serial[32];
    char ip[20];
    int64_t clock;  /* the device's wall clock (jumps for periodic informs) */
    unsigned bumps; /* value changes made */
};

struct world;

struct worker {
    struct world *w;
    int idx;
    pthread_t th;
    struct cwmp_tls_config *tls;           /* this thread's client config */
    struct cwmp_http_client *ceiling_http; /* kept: resumed sessions */
    /* the job of the phase */
    int ceiling;
    enum kind kind;
    size_t first, count; /* register: devices [first, first+count) of this worker's */
    size_t nsess;        /* periodic/change: sessions to run */
    unsigned seed;
    /* results */
    double *lat;
    size_t nlat, cap;
    int fails;
};

struct world {
    int tls;
    int smoke;
    size_t nworkers;
    char dir[128];
    char pki[192];
    char ca[256], cert[256], key[256];
    char url[96], ceiling_url[96];
    struct child hms, ceiling;
    struct dev **devs; /* each its own allocation: the CPE engine keeps pointers into it */
    size_t ndevs, cap;
    size_t nregistered; /* devices [0, nregistered) are registered */
    struct script scr[K_COUNT];
    int recording; /* record the next session of each kind */
    struct worker wk[MAX_WORKERS];
};

static const char conf_fmt[] = "[hms]\n"
                               "role = both\n"
                               "listen = 127.0.0.1:7547\n"
                               "url = %s://127.0.0.1:7547/cwmp\n"
                               "database = %s/registry.db\n"
                               "%s"
                               "\n"
                               "[policy \"load\"]\n"
                               "match_oui = 00D09E\n"
                               "serving_segw = segw.load.example\n"
                               "hnb_gw = hnbgw.load.example\n"
                               "ipsec = true\n"
                               "cm = spv\n"
                               "alarm = expedited *\n";

/* ---- the HMS child ------------------------------------------------------ */

struct hms_child_arg {
    const char *conf;
    int verbose;
};

static void hms_child(void *arg, int rd, int wr)
{
    const struct hms_child_arg *a = arg;
    struct hms_server_opts o = {0};
    o.cwmp_port = 0;
    o.file_listen = ""; /* no file server: CWMP sessions only */
    o.verbose = a->verbose;
    struct hms_server *s = NULL;
    char err[256];
    uint16_t port = 0;
    if (hms_server_open(&s, a->conf, strlen(a->conf), &o, err, sizeof(err)) != 0)
        fprintf(stderr, "hms_server_open: %s\n", err);
    else
        port = hms_server_cwmp_port(s);
    if (write(wr, &port, sizeof(port)) != sizeof(port) || !s)
        _exit(1);
    for (;;) { /* the `hms` program's loop, plus the control pipe */
        hms_server_step(s, 20);
        struct pollfd pf = {rd, POLLIN, 0};
        if (poll(&pf, 1, 0) > 0 && child_command(rd, wr))
            break;
    }
    hms_server_close(s);
    _exit(0);
}

static int hms_start(struct world *w)
{
    char tlsconf[900] = "";
    if (w->tls)
        snprintf(tlsconf, sizeof(tlsconf), "cert = %s\nkey = %s\n", w->cert, w->key);
    char conf[2048];
    snprintf(conf, sizeof(conf), conf_fmt, w->tls ? "https" : "http", w->dir, tlsconf);
    struct hms_child_arg a = {conf, getenv("HMS_LOAD_DEBUG") != NULL};
    uint16_t port;
    if (child_start(&w->hms, hms_child, &a, &port) != 0)
        return -1;
    snprintf(w->url, sizeof(w->url), "%s://127.0.0.1:%u/cwmp", w->tls ? "https" : "http",
             (unsigned) port);
    return 0;
}

/* ---- the ceiling: replays the recorded replies -------------------------- */

/* One connection of the ceiling: non-blocking, like the HMS's (several
 * served at once from one poll() loop, the TLS handshake advanced as the
 * socket allows), with nothing between the parser and the canned replies. */
struct cconn {
    struct cconn *next;
    struct cwmp_stream *st;
    struct cwmp_http_parser *p;
    int handshaking;
    const struct script *sc;
    size_t i; /* requests answered */
    uint8_t in[16384];
    size_t inlen;
    uint8_t *out; /* the response being written */
    size_t olen, ooff, ocap;
    int last;
};

struct cap_stream { /* cwmp_http_write_response() into cconn.out */
    struct cwmp_stream base;
    struct cconn *c;
};

static int cap_write(struct cwmp_stream *st, const uint8_t *data, size_t len)
{
    struct cconn *c = ((struct cap_stream *) st)->c;
    if (c->olen + len > c->ocap) {
        size_t cap = (c->olen + len) * 2;
        uint8_t *p = realloc(c->out, cap);
        if (!p)
            return CWMP_ERR_NOMEM;
        c->out = p;
        c->ocap = cap;
    }
    memcpy(c->out + c->olen, data, len);
    c->olen += len;
    return (int) len;
}

static int cap_read(struct cwmp_stream *st, uint8_t *buf, size_t len)
{
    (void) st;
    (void) buf;
    (void) len;
    return CWMP_ERR_IO;
}

static void cap_close(struct cwmp_stream *st)
{
    (void) st;
}

/* Feeds buffered bytes; 1 when a reply is queued, 0 for more, -1 to close. */
static int cconn_parse(struct world *w, struct cconn *c)
{
    for (;;) {
        size_t used;
        const uint8_t *b;
        size_t bl;
        int ev = cwmp_http_parser_execute(c->p, c->in, c->inlen, &used, &b, &bl);
        memmove(c->in, c->in + used, c->inlen - used);
        c->inlen -= used;
        if (ev < 0)
            return -1;
        if (ev == CWMP_HTTP_EV_NEED_MORE)
            return 0;
        if (ev == CWMP_HTTP_EV_HEADERS && !c->sc) { /* the path names the script: /c/<kind> */
            const char *t = cwmp_http_parser_message(c->p)->target;
            int k = strlen(t) == 4 ? t[3] - '0' : -1;
            if (k < 0 || k >= K_COUNT)
                return -1;
            c->sc = &w->scr[k];
        }
        if (ev != CWMP_HTTP_EV_DONE)
            continue;
        if (c->i >= c->sc->n)
            return -1;
        struct cap_stream o = {{cap_read, cap_write, cap_close, -1, 0}, c};
        size_t i = c->i++;
        c->last = c->i == c->sc->n;
        if (c->sc->resp_len[i])
            cwmp_http_write_response(&o.base, 200, "Content-Type: text/xml; charset=\"utf-8\"\r\n",
                                     (const uint8_t *) c->sc->resp[i], c->sc->resp_len[i],
                                     !c->last);
        else
            cwmp_http_write_response(&o.base, 204, NULL, NULL, 0, 0);
        cwmp_http_parser_reset(c->p);
        return 1;
    }
}

static int cconn_io(struct world *w, struct cconn *c)
{
    if (c->handshaking) {
        struct cwmp_tls_status ts;
        int rv = cwmp_tls_handshake(c->st, &ts);
        if (rv == CWMP_ERR_AGAIN)
            return 0;
        if (rv != 0)
            return -1;
        c->handshaking = 0;
    }
    for (;;) {
        while (c->ooff < c->olen) {
            int n = cwmp_stream_write(c->st, c->out + c->ooff, c->olen - c->ooff);
            if (n == CWMP_ERR_AGAIN)
                return 0;
            if (n <= 0)
                return -1;
            c->ooff += (size_t) n;
        }
        if (c->olen) {
            c->olen = c->ooff = 0;
            if (c->last)
                return -1;
        }
        int rv = cconn_parse(w, c);
        if (rv < 0)
            return -1;
        if (rv == 1)
            continue;
        int n = cwmp_stream_read(c->st, c->in + c->inlen, sizeof(c->in) - c->inlen);
        if (n == CWMP_ERR_AGAIN)
            return 0;
        if (n <= 0)
            return -1;
        c->inlen += (size_t) n;
    }
}

static void cconn_free(struct cconn *c)
{
    cwmp_stream_close(c->st);
    cwmp_http_parser_free(c->p);
    free(c->out);
    free(c);
}

struct ceiling_arg {
    struct world *w;
    int lfd;
};

static void ceiling_child(void *arg, int rd, int wr)
{
    struct ceiling_arg *a = arg;
    struct world *w = a->w;
    struct cwmp_tls_config *tls = NULL;
    if (w->tls && (cwmp_tls_config_new(&tls, CWMP_TLS_SERVER, NULL) != 0 ||
                   cwmp_tls_config_set_own_cert_file(tls, w->cert, w->key, NULL) != 0))
        _exit(1);
    struct cwmp_http_limits lim = {0};
    lim.max_body = 4u * 1024u * 1024u; /* as the HMS */
    uint16_t port = cwmp_tcp_local_port(a->lfd);
    if (write(wr, &port, sizeof(port)) != sizeof(port))
        _exit(1);
    struct cconn *conns = NULL, *cs[66];
    struct pollfd pf[66];
    for (;;) {
        size_t n = 0;
        int wait = -1;
        pf[n++] = (struct pollfd){a->lfd, POLLIN, 0};
        pf[n++] = (struct pollfd){rd, POLLIN, 0};
        for (struct cconn *c = conns; c && n < 66; c = c->next) {
            short ev = (c->handshaking ? cwmp_tls_want_write(c->st) : c->ooff < c->olen) ? POLLOUT
                                                                                         : POLLIN;
            if (!c->handshaking && !c->olen && (c->inlen || cwmp_tls_pending(c->st)))
                wait = 0;
            cs[n] = c;
            pf[n++] = (struct pollfd){c->st->fd, ev, 0};
        }
        if (poll(pf, (nfds_t) n, wait) < 0)
            continue;
        if ((pf[1].revents & (POLLIN | POLLHUP)) && child_command(rd, wr))
            break;
        for (size_t i = 2; i < n; i++) {
            struct cconn *c = cs[i];
            if (!pf[i].revents && !c->inlen && (c->handshaking || !cwmp_tls_pending(c->st)))
                continue;
            if (cconn_io(w, c) < 0) {
                for (struct cconn **pp = &conns; *pp; pp = &(*pp)->next)
                    if (*pp == c) {
                        *pp = c->next;
                        break;
                    }
                cconn_free(c);
            }
        }
        if (!(pf[0].revents & POLLIN) || n >= 66)
            continue;
        struct cwmp_stream *tcp;
        if (cwmp_tcp_accept(NULL, a->lfd, 0, NULL, 0, &tcp) != 0)
            continue;
        struct cconn *c = calloc(1, sizeof(*c));
        int fl = fcntl(tcp->fd, F_GETFL);
        if (!c || fl < 0 || fcntl(tcp->fd, F_SETFL, fl | O_NONBLOCK) != 0 ||
            cwmp_http_parser_new(&c->p, NULL, CWMP_HTTP_PARSE_REQUEST, &lim) != 0) {
            cwmp_stream_close(tcp);
            free(c);
            continue;
        }
        c->st = tcp;
        if (tls) {
            c->handshaking = 1;
            if (cwmp_tls_start_server(tls, tcp, &c->st) != 0) {
                c->st = NULL;
                cconn_free(c);
                continue;
            }
        }
        c->next = conns;
        conns = c;
    }
    _exit(0);
}

static int ceiling_start(struct world *w)
{
    struct ceiling_arg a = {w, -1};
    if (cwmp_tcp_listen("127.0.0.1", 0, 64, &a.lfd) != 0)
        return -1;
    uint16_t port;
    int rv = child_start(&w->ceiling, ceiling_child, &a, &port);
    close(a.lfd);
    snprintf(w->ceiling_url, sizeof(w->ceiling_url), "%s://127.0.0.1:%u/c/",
             w->tls ? "https" : "http", (unsigned) port);
    return rv;
}

/* ---- devices ------------------------------------------------------------ */

static const char inner_ip_param[] = "Device.IPsec.IKEv2SA.1.LocalAddress";

static int dev_new(struct world *w, struct dev *d, size_t i, struct worker *wk)
{
    memset(d, 0, sizeof(*d));
    const struct cwmp_dm_schema *schema = cwmp_dm_schema_builtin(CWMP_DM_MODEL_DEVICE2);
    if (!schema)
        return -2;
    struct cwmp_dm_options o;
    cwmp_dm_options_init(&o);
    o.max_value_len = 1024;
    snprintf(d->serial, sizeof(d->serial), "LOAD%06zu", i);
    snprintf(d->ip, sizeof(d->ip), "10.%u.%u.1", (unsigned) (i / 250) % 250, (unsigned) (i % 250));
    struct cwmp_set_param_attribute at = {0};
    at.name = inner_ip_param;
    at.notification_change = true;
    at.notification = 2; /* active: a change starts a session (flow F5) */
    if (cwmp_dm_new(&d->dm, NULL, schema, &o) != 0 ||
        cwmp_dm_set(d->dm, "Device.ManagementServer.URL", w->url) != 0 ||
        cwmp_dm_set(d->dm, "Device.ManagementServer.ConnectionRequestURL",
                    "http://127.0.0.1:1/cr") != 0 ||
        cwmp_dm_set(d->dm, "Device.ManagementServer.PeriodicInformEnable", "true") != 0 ||
        cwmp_dm_set(d->dm, "Device.ManagementServer.PeriodicInformInterval", "300") != 0 ||
        cwmp_dm_add_instance(d->dm, "Device.Services.FAPService.", 1, NULL) != 0 ||
        cwmp_dm_add_instance(d->dm, "Device.IPsec.IKEv2SA.", 1, NULL) != 0 ||
        cwmp_dm_set(d->dm, inner_ip_param, d->ip) != 0 ||
        cwmp_dm_set_attributes(d->dm, &at, 1) != 0)
        return -1;
    /* factory values are the starting point, not changes: no 4 VALUE
     * CHANGE in the BOOTSTRAP Inform (as examples/hnb-agent does) */
    struct cwmp_dm_result r = CWMP_DM_RESULT_INIT;
    if (cwmp_dm_poll(d->dm) >= 0 && cwmp_dm_inform_params(d->dm, &r, NULL) == 0)
        cwmp_dm_inform_done(d->dm, true);
    cwmp_dm_result_free(&r);
    struct cwmp_cpe_config cfg = {0};
    cfg.dm = d->dm;
    cfg.device_id.manufacturer = "libcwmp load";
    cfg.device_id.oui = "00D09E";
    cfg.device_id.product_class = "HNB";
    cfg.device_id.serial_number = d->serial;
    d->clock = wall_ms();
    if (cwmp_cpe_new(&d->cpe, &cfg) != 0 ||
        cwmp_cpe_start(d->cpe, d->clock, CWMP_CPE_START_BOOT) != 0)
        return -1;
    struct cwmp_http_client_config hc = {0};
    hc.timeout_ms = 10000;
    hc.tls = wk->tls;
    return cwmp_http_client_new(&d->http, &hc, w->url) == 0 ? 0 : -1;
}

static void dev_free(struct dev *d)
{
    cwmp_http_client_free(d->http);
    cwmp_cpe_free(d->cpe);
    cwmp_dm_free(d->dm);
}

/* One session of @p d of kind @p k; 0 when it ended normally. */
static int dev_session(struct world *w, struct dev *d, enum kind k)
{
    if (k == K_PERIODIC) {
        d->clock += (PERIODIC_S + 1) * 1000;
        cwmp_cpe_handle_timeout(d->cpe, d->clock);
    } else if (k == K_CHANGE) {
        d->bumps++;
        snprintf(d->ip, sizeof(d->ip), "10.%u.%u.%u", 100 + d->bumps % 100,
                 (unsigned) (d->serial[8] - '0') * 10 + (unsigned) (d->serial[9] - '0'),
                 1 + d->bumps % 250);
        if (cwmp_dm_set(d->dm, inner_ip_param, d->ip) != 0 || cwmp_cpe_check_changes(d->cpe) < 0)
            return -1;
    }
    if (!cwmp_cpe_want_session(d->cpe) || cwmp_cpe_session_begin(d->cpe, d->clock) != 0) {
        if (getenv("HMS_LOAD_DEBUG"))
            fprintf(stderr, "%s: no session wanted (%s)\n", d->serial, kind_name[k]);
        return -1;
    }
    struct script rec = {0};
    int record = w->recording && w->scr[k].n == 0;
    int ok = -1;
    for (int round = 0; round < 50 && cwmp_cpe_want_send(d->cpe); round++) {
        const char *body;
        size_t len;
        struct cwmp_http_response r;
        if (cwmp_cpe_send(d->cpe, &body, &len) != 0)
            break;
        if (cwmp_http_client_request(d->http, "POST", len ? "text/xml; charset=\"utf-8\"" : NULL,
                                     len ? "" : NULL, (const uint8_t *) body, len, &r) != 0 ||
            (r.status != 200 && r.status != 204)) {
            cwmp_cpe_session_abort(d->cpe);
            break;
        }
        if (record && rec.n < MAX_EXCHANGE) {
            rec.req[rec.n] = dup_bytes(body, len);
            rec.req_len[rec.n] = len;
            rec.resp[rec.n] = dup_bytes(r.body, r.body_len);
            rec.resp_len[rec.n] = r.body_len;
            rec.bytes += len + r.body_len;
            rec.n++;
        }
        if (cwmp_cpe_recv(d->cpe, (const char *) r.body, r.body_len) != 0)
            break;
        if (!cwmp_cpe_want_send(d->cpe))
            ok = cwmp_cpe_session_active(d->cpe) || cwmp_cpe_last_result(d->cpe) != CWMP_SESSION_OK
                     ? -1
                     : 0;
    }
    cwmp_http_client_end_session(d->http);
    if (ok != 0 && getenv("HMS_LOAD_DEBUG"))
        fprintf(stderr, "%s: %s session failed: %s\n", d->serial, kind_name[k],
                cwmp_session_result_string(cwmp_cpe_last_result(d->cpe)));
    if (record && ok == 0 && rec.n < MAX_EXCHANGE)
        w->scr[k] = rec;
    else
        script_free(&rec);
    return ok;
}

/* One replayed session against the ceiling server. */
static int ceiling_session(struct world *w, struct worker *wk, enum kind k)
{
    const struct script *sc = &w->scr[k];
    struct cwmp_http_client *c = wk->ceiling_http;
    char url[128];
    snprintf(url, sizeof(url), "%s%d", w->ceiling_url, (int) k);
    if (k == K_REGISTER || !c) { /* a new device: a new client, a full handshake */
        struct cwmp_http_client_config hc = {0};
        hc.timeout_ms = 10000;
        hc.tls = wk->tls;
        if (cwmp_http_client_new(&c, &hc, url) != 0)
            return -1;
    }
    int ok = 0;
    for (size_t i = 0; i < sc->n && ok == 0; i++) {
        struct cwmp_http_response r;
        size_t len = sc->req_len[i];
        if (cwmp_http_client_request(c, "POST", len ? "text/xml; charset=\"utf-8\"" : NULL,
                                     len ? "" : NULL, (const uint8_t *) sc->req[i], len, &r) != 0 ||
            r.body_len != sc->resp_len[i])
            ok = -1;
    }
    cwmp_http_client_end_session(c);
    if (k == K_REGISTER)
        cwmp_http_client_free(c);
    else
        wk->ceiling_http = c;
    return ok;
}

/* ---- workers ------------------------------------------------------------ */

static void lat_add(struct worker *wk, double s)
{
    if (wk->nlat == wk->cap) {
        size_t cap = wk->cap ? wk->cap * 2 : 256;
        double *p = realloc(wk->lat, cap * sizeof(*p));
        if (!p)
            return;
        wk->lat = p;
        wk->cap = cap;
    }
    wk->lat[wk->nlat++] = s;
}

static void *worker_main(void *arg)
{
    struct worker *wk = arg;
    struct world *w = wk->w;
    size_t W = w->nworkers;
    if (wk->kind == K_REGISTER) {
        /* devices first, first+W, … of this worker: [first, first+count) overall */
        for (size_t i = wk->first; i < wk->first + wk->count; i++) {
            if (i % W != (size_t) wk->idx)
                continue;
            double t0 = now_s();
            int rv = wk->ceiling ? ceiling_session(w, wk, K_REGISTER)
                                 : dev_session(w, w->devs[i], K_REGISTER);
            lat_add(wk, now_s() - t0);
            wk->fails += rv != 0;
        }
        return NULL;
    }
    size_t mine = (w->nregistered + W - 1 - (size_t) wk->idx) / W; /* own registered devices */
    for (size_t j = 0; j < wk->nsess && mine; j++) {
        size_t pick = (size_t) rand_r(&wk->seed) % mine;
        size_t i = pick * W + (size_t) wk->idx;
        double t0 = now_s();
        int rv =
            wk->ceiling ? ceiling_session(w, wk, wk->kind) : dev_session(w, w->devs[i], wk->kind);
        lat_add(wk, now_s() - t0);
        wk->fails += rv != 0;
    }
    return NULL;
}

struct result {
    size_t sessions;
    double secs;
    int fails;
    double p50, p99;
    double srv_cpu, cli_cpu; /* server process, load generator (all threads) */
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

/* Runs @p kind on workers [0, conc): register devices [first, first+count),
 * or @p nsess sessions in all. Latencies go into @p lat (appended). */
static int run(struct world *w, int ceiling, enum kind kind, size_t first, size_t count,
               size_t nsess, size_t conc, double **lat, size_t *nlat, struct result *res)
{
    struct child_stats s0, s1;
    const struct child *srv = ceiling ? &w->ceiling : &w->hms;
    if (child_stats(srv, &s0) != 0)
        return -1;
    double c0 = cpu_of(RUSAGE_SELF);
    double t0 = now_s();
    for (size_t i = 0; i < conc; i++) {
        struct worker *wk = &w->wk[i];
        wk->ceiling = ceiling;
        wk->kind = kind;
        wk->first = first;
        wk->count = count;
        wk->nsess = nsess / conc + (i < nsess % conc);
        wk->nlat = 0;
        wk->fails = 0;
        if (pthread_create(&wk->th, NULL, worker_main, wk) != 0)
            return -1;
    }
    for (size_t i = 0; i < conc; i++)
        pthread_join(w->wk[i].th, NULL);
    res->secs += now_s() - t0;
    res->cli_cpu += cpu_of(RUSAGE_SELF) - c0;
    if (child_stats(srv, &s1) != 0)
        return -1;
    res->srv_cpu += s1.cpu_s - s0.cpu_s;
    for (size_t i = 0; i < conc; i++) {
        struct worker *wk = &w->wk[i];
        res->sessions += wk->nlat;
        res->fails += wk->fails;
        double *p = realloc(*lat, (*nlat + wk->nlat + 1) * sizeof(**lat));
        if (!p)
            return -1;
        *lat = p;
        memcpy(*lat + *nlat, wk->lat, wk->nlat * sizeof(double));
        *nlat += wk->nlat;
    }
    return 0;
}

static void finish(struct result *r, double *lat, size_t n)
{
    if (!n)
        return;
    qsort(lat, n, sizeof(*lat), cmp_double);
    r->p50 = lat[(n - 1) / 2] * 1000;
    r->p99 = lat[(size_t) ((double) (n - 1) * 0.99)] * 1000;
}

static double median(double *v, size_t n)
{
    if (!n)
        return 0;
    qsort(v, n, sizeof(*v), cmp_double);
    return (v[(n - 1) / 2] + v[n / 2]) / 2;
}

/* One phase: HMS and ceiling in alternating rounds (each round the same
 * share of the work); prints a line. Register phases register devices
 * [w->nregistered, upto). */
static int phase(struct world *w, enum kind kind, size_t upto, size_t nsess, size_t conc)
{
    struct result hr = {0}, cr = {0};
    double *hl = NULL, *cl = NULL, ratios[ROUNDS];
    size_t nhl = 0, ncl = 0, nr = 0;
    size_t total = kind == K_REGISTER ? upto - w->nregistered : nsess;
    size_t rounds = w->smoke || total < ROUNDS * conc ? 1 : ROUNDS;
    size_t done = 0;
    int rv = 0;
    for (size_t r = 0; r < rounds && !rv; r++) {
        size_t part = total / rounds + (r < total % rounds);
        struct result h = {0}, c = {0};
        for (int side = 0; side < 2 && !rv; side++) {
            int ceil = (side ^ (int) (r & 1)) != 0; /* alternate who goes first */
            if (ceil)
                rv = run(w, 1, kind, w->nregistered + done, part, part, conc, &cl, &ncl, &c);
            else
                rv = run(w, 0, kind, w->nregistered + done, part, part, conc, &hl, &nhl, &h);
        }
        done += part;
        if (h.secs > 0 && c.secs > 0 && h.sessions && c.sessions)
            ratios[nr++] = ((double) h.sessions / h.secs) / ((double) c.sessions / c.secs);
        hr.sessions += h.sessions;
        hr.secs += h.secs;
        hr.fails += h.fails;
        hr.srv_cpu += h.srv_cpu;
        hr.cli_cpu += h.cli_cpu;
        cr.sessions += c.sessions;
        cr.secs += c.secs;
        cr.fails += c.fails;
        cr.srv_cpu += c.srv_cpu;
        cr.cli_cpu += c.cli_cpu;
    }
    if (kind == K_REGISTER)
        w->nregistered = upto;
    finish(&hr, hl, nhl);
    finish(&cr, cl, ncl);
    free(hl);
    free(cl);
    char what[40];
    if (kind == K_REGISTER)
        snprintf(what, sizeof(what), "register ->%zu", upto);
    else
        snprintf(what, sizeof(what), "%s @%zu", kind_name[kind], w->nregistered);
    double hn = hr.sessions ? (double) hr.sessions : 1, cn = cr.sessions ? (double) cr.sessions : 1;
    printf("  %-15s c=%-2zu %5zu %6.0f %6.2f %6.2f %6.0f %6.0f | %6.0f %6.2f %6.2f %6.0f %6.0f | "
           "%5.1f %%%s\n",
           what, conc, hr.sessions, hr.secs > 0 ? hr.sessions / hr.secs : 0, hr.p50, hr.p99,
           1e6 * hr.srv_cpu / hn, 1e6 * hr.cli_cpu / hn, cr.secs > 0 ? cr.sessions / cr.secs : 0,
           cr.p50, cr.p99, 1e6 * cr.srv_cpu / cn, 1e6 * cr.cli_cpu / cn, 100.0 * median(ratios, nr),
           hr.fails || cr.fails ? "  FAILED SESSIONS" : "");
    fflush(stdout);
    if (hr.fails || cr.fails) {
        fprintf(stderr, "%d HMS / %d ceiling sessions failed\n", hr.fails, cr.fails);
        return -1;
    }
    return rv;
}

/* ---- the registry, from outside ----------------------------------------- */

struct reg_count {
    size_t registered, with_ip;
    const struct world *w;
};

static int count_cb(const struct hms_device *d, void *ud)
{
    struct reg_count *c = ud;
    c->registered += d->state == HMS_STATE_REGISTERED;
    /* the last inner address the device reported (value change) */
    unsigned long n = strtoul(d->serial + 4, NULL, 10);
    if (n < c->w->ndevs && d->inner_ip && !strcmp(d->inner_ip, c->w->devs[n]->ip))
        c->with_ip++;
    return 0;
}

static int registry_check(struct world *w, size_t *registered, size_t *with_ip, int64_t *bytes)
{
    char path[256], err[200];
    snprintf(path, sizeof(path), "%s/registry.db", w->dir);
    struct hms_registry *r = NULL;
    if (hms_registry_open(&r, path, NULL, NULL, err, sizeof(err)) != 0) {
        fprintf(stderr, "registry: %s\n", err);
        return -1;
    }
    struct reg_count c = {0, 0, w};
    int rv = hms_registry_list(r, count_cb, &c);
    hms_registry_close(r);
    *registered = c.registered;
    *with_ip = c.with_ip;
    /* the database's size as SQLite sees it (main file + WAL frames) */
    sqlite3 *db = NULL;
    *bytes = 0;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db,
                               "SELECT page_count * page_size FROM pragma_page_count(), "
                               "pragma_page_size()",
                               -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            *bytes = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return rv;
}

/* ---- setup / teardown --------------------------------------------------- */

static int world_open(struct world *w, int tls, size_t nworkers, int smoke)
{
    memset(w, 0, sizeof(*w));
    w->tls = tls;
    w->smoke = smoke;
    w->nworkers = nworkers;
    snprintf(w->dir, sizeof(w->dir), "/tmp/hms-load-XXXXXX");
    if (!mkdtemp(w->dir))
        return -1;
    if (tls) {
        char err[200];
        snprintf(w->pki, sizeof(w->pki), "%s/pki", w->dir);
        if (mkdir(w->pki, 0700) != 0 || testpki_generate(w->pki, err, sizeof(err)) != 0) {
            fprintf(stderr, "testpki: %s\n", err);
            return -1;
        }
        testpki_path(w->ca, sizeof(w->ca), w->pki, "ca.crt");
        testpki_path(w->cert, sizeof(w->cert), w->pki, "server.crt");
        testpki_path(w->key, sizeof(w->key), w->pki, "server.key");
    }
    if (hms_start(w) != 0) {
        fprintf(stderr, "cannot start the HMS\n");
        return -1;
    }
    for (size_t i = 0; i < nworkers; i++) {
        struct worker *wk = &w->wk[i];
        wk->w = w;
        wk->idx = (int) i;
        wk->seed = 12345u + (unsigned) i;
        if (tls && (cwmp_tls_config_new(&wk->tls, CWMP_TLS_CLIENT, NULL) != 0 ||
                    cwmp_tls_config_add_ca_file(wk->tls, w->ca) != 0))
            return -1;
    }
    return 0;
}

static void world_close(struct world *w)
{
    child_stop(&w->hms);
    child_stop(&w->ceiling);
    for (size_t i = 0; i < w->ndevs; i++) {
        dev_free(w->devs[i]);
        free(w->devs[i]);
    }
    free(w->devs);
    for (size_t i = 0; i < MAX_WORKERS; i++) {
        cwmp_http_client_free(w->wk[i].ceiling_http);
        cwmp_tls_config_free(w->wk[i].tls);
        free(w->wk[i].lat);
    }
    for (int k = 0; k < K_COUNT; k++)
        script_free(&w->scr[k]);
    const char *names[] = {"registry.db", "registry.db-wal", "registry.db-shm"};
    char p[400];
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(p, sizeof(p), "%s/%s", w->dir, names[i]);
        unlink(p);
    }
    if (w->tls) {
        const char *extra[] = {"wildcard.crt", "wildcard.key", "ipasdns.crt", "ipasdns.key"};
        for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
            unlink(testpki_path(p, sizeof(p), w->pki, extra[i]));
        testpki_remove(w->pki);
    }
    rmdir(w->dir);
}

static int devs_grow(struct world *w, size_t n)
{
    if (n > w->cap) {
        struct dev **p = realloc(w->devs, n * sizeof(*p));
        if (!p)
            return -1;
        w->devs = p;
        w->cap = n;
    }
    while (w->ndevs < n) {
        size_t i = w->ndevs;
        w->devs[i] = calloc(1, sizeof(struct dev));
        if (!w->devs[i])
            return -1;
        w->ndevs++; /* freed by world_close() even when half made */
        int rv = dev_new(w, w->devs[i], i, &w->wk[i % w->nworkers]);
        if (rv != 0)
            return rv;
    }
    return 0;
}

/* The first device registers, sends a periodic and a value-change Inform:
 * those sessions are recorded for the ceiling, which starts then. */
static int warm_up(struct world *w)
{
    int rv = devs_grow(w, 1);
    if (rv)
        return rv;
    w->recording = 1;
    for (int k = 0; k < K_COUNT && !rv; k++)
        rv = dev_session(w, w->devs[0], (enum kind) k) != 0 || w->scr[k].n == 0;
    w->recording = 0;
    w->nregistered = 1;
    if (rv) {
        fprintf(stderr, "warm-up session failed\n");
        return -1;
    }
    if (ceiling_start(w) != 0)
        return -1;
    /* each worker's kept ceiling client makes its first (full) handshake
     * now, as each device did in its registration */
    for (size_t i = 0; i < w->nworkers; i++)
        if (ceiling_session(w, &w->wk[i], K_PERIODIC) != 0) {
            fprintf(stderr, "ceiling warm-up session failed\n");
            return -1;
        }
    return 0;
}

static void print_scripts(const struct world *w)
{
    for (int k = 0; k < K_COUNT; k++)
        printf("  %-8s session: %zu HTTP exchanges, %zu bytes of CWMP bodies\n", kind_name[k],
               w->scr[k].n, w->scr[k].bytes);
}

/* ---- modes -------------------------------------------------------------- */

static int smoke(int tls)
{
    struct world w;
    const size_t ndev = tls ? 4 : 8;
    int rv = world_open(&w, tls, 2, 1);
    if (rv == 0)
        rv = warm_up(&w);
    if (rv == 0)
        rv = devs_grow(&w, ndev);
    printf("smoke, %s: %zu devices, 2 workers\n", tls ? "TLS" : "plain HTTP", ndev);
    if (rv == 0)
        rv = phase(&w, K_REGISTER, ndev, 0, 2);
    if (rv == 0)
        rv = phase(&w, K_PERIODIC, 0, 2 * ndev, 2);
    if (rv == 0)
        rv = phase(&w, K_CHANGE, 0, ndev, 2);
    /* every device once more, so each one's last address is known to it */
    for (size_t i = 0; rv == 0 && i < ndev; i++)
        rv = dev_session(&w, w.devs[i], K_CHANGE);
    child_stop(&w.hms); /* the registry, as the HMS left it */
    size_t reg = 0, ip = 0;
    int64_t bytes = 0;
    if (rv == 0 && registry_check(&w, &reg, &ip, &bytes) != 0)
        rv = -1;
    if (rv == 0 && (reg != ndev || ip != ndev)) {
        fprintf(stderr, "registry: %zu registered, %zu with their last address (want %zu)\n", reg,
                ip, ndev);
        rv = -1;
    }
    if (rv == 0)
        printf("  registry: %zu devices registered, each with its last inner address\n", reg);
    world_close(&w);
    return rv;
}

static int bench(struct world *w, size_t maxdev, size_t nsess)
{
    int tls = w->tls;
    size_t nworkers = w->nworkers;
    int rv = warm_up(w);
    if (rv != 0)
        return rv;
    printf("\n%s, %zu workers (concurrent devices), HMS in child process %d, ceiling in %d\n",
           tls ? "TLS (EC P-256 test PKI)" : "plain HTTP", nworkers, (int) w->hms.pid,
           (int) w->ceiling.pid);
    print_scripts(w);
    printf("  %-15s %-4s %5s %6s %6s %6s %6s %6s | %6s %6s %6s %6s %6s | %s\n", "", "", "", "HMS",
           "", "", "server", "client", "ceil", "", "", "server", "client", "sessions/s");
    printf("  %-15s %-4s %5s %6s %6s %6s %6s %6s | %6s %6s %6s %6s %6s | %s\n", "phase", "conc",
           "n", "sess/s", "p50 ms", "p99 ms", "CPU us", "CPU us", "sess/s", "p50 ms", "p99 ms",
           "CPU us", "CPU us", "HMS/ceiling");
    struct child_stats st0, st;
    size_t reg = 0, ip = 0;
    int64_t b0 = 0, bytes = 0;
    if (child_stats(&w->hms, &st0) != 0 || registry_check(w, &reg, &ip, &b0) != 0)
        return -1;
    size_t prev = 1;
    struct child_stats sprev = st0;
    int64_t bprev = b0;
    char mem[8][200], idle[8][64];
    size_t nmem = 0, nidle = 0;
    for (size_t level = 1; rv == 0;) {
        size_t conc = level < nworkers ? level : nworkers;
        if (level > 1) {
            rv = devs_grow(w, level);
            if (rv == 0)
                rv = phase(w, K_REGISTER, level, 0, conc);
        }
        if (rv == 0)
            rv = phase(w, K_PERIODIC, 0, nsess, conc);
        if (rv == 0)
            rv = phase(w, K_CHANGE, 0, nsess / 4, conc);
        if (rv == 0 && level == maxdev && conc > 1) /* latency without queueing */
            rv = phase(w, K_PERIODIC, 0, nsess / 2, 1);
        if (rv == 0 &&
            (child_stats(&w->hms, &st) != 0 || registry_check(w, &reg, &ip, &bytes) != 0))
            rv = -1;
        if (rv == 0 && reg != level) {
            fprintf(stderr, "registry: %zu registered, want %zu\n", reg, level);
            rv = -1;
        }
        /* idle: the HMS scans the registry for connection-request tasks
         * every 0.5 s (one query per device) */
        struct child_stats i0, i1;
        double t0 = now_s();
        if (rv == 0 && child_stats(&w->hms, &i0) == 0) {
            usleep(1100 * 1000);
            if (child_stats(&w->hms, &i1) == 0 && nidle < 8)
                snprintf(idle[nidle++], sizeof(idle[0]), "%zu devices %.2f %%", level,
                         100.0 * (i1.cpu_s - i0.cpu_s) / (now_s() - t0));
        }
        if (rv == 0 && level > 1 && nmem < 8) {
            double dn = (double) (level - prev);
            snprintf(mem[nmem++], sizeof(mem[0]),
                     "  %5zu -> %-5zu %10.0f %10.0f %10.0f   (registry %lld B, heap %llu B, "
                     "RSS %llu kB)",
                     prev, level, (double) (bytes - bprev) / dn,
                     ((double) st.heap - (double) sprev.heap) / dn,
                     ((double) st.rss_kb - (double) sprev.rss_kb) * 1024 / dn, (long long) bytes,
                     (unsigned long long) st.heap, (unsigned long long) st.rss_kb);
            prev = level;
            sprev = st;
            bprev = bytes;
        }
        if (level >= maxdev)
            break;
        level = level * 10 < maxdev ? level * 10 : maxdev;
    }
    if (rv == 0) {
        printf("  memory per registered device (HMS process; growth between levels / devices "
               "added):\n");
        printf("  %-14s %10s %10s %10s\n", "devices", "registry", "heap", "RSS");
        for (size_t i = 0; i < nmem; i++)
            printf("%s\n", mem[i]);
        printf("  idle HMS CPU (no sessions, 1.1 s):");
        for (size_t i = 0; i < nidle; i++)
            printf("%s %s", i ? "," : "", idle[i]);
        printf("\n");
        uint64_t rss, hwm;
        read_status(&rss, &hwm);
        printf("  HMS process: CPU over the run %.2f s, peak RSS %llu kB; load generator: peak "
               "RSS %llu kB for %zu simulated devices\n",
               st.cpu_s - st0.cpu_s, (unsigned long long) st.hwm_kb, (unsigned long long) hwm,
               w->ndevs);
    }
    return rv;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!cwmp_dm_schema_builtin(CWMP_DM_MODEL_DEVICE2)) {
        printf("Device:2 schema not compiled in: skipped\n");
        return 77;
    }
    if (argc > 1 && !strcmp(argv[1], "smoke")) {
        int rv = smoke(0);
        if (rv == 0)
            rv = smoke(1);
        printf("%s\n", rv == 0 ? "ok" : "FAILED");
        return rv == 0 ? 0 : 1;
    }
    size_t plain = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000;
    size_t tls = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000;
    size_t nw = argc > 3 ? strtoul(argv[3], NULL, 10) : 4;
    size_t nsess = argc > 4 ? strtoul(argv[4], NULL, 10) : 400;
    if (nw < 1 || nw > MAX_WORKERS || nsess < 8) {
        fprintf(stderr,
                "usage: bench_hms_load [plain-devices [tls-devices [workers(1-%d) "
                "[sessions>=8]]]] | smoke\n",
                MAX_WORKERS);
        return 2;
    }
    printf("The example HMS under load: N registered devices (CPE engine + libcwmp-transport "
           "each),\nbeside the same exchanges replayed against a bare server on the same "
           "transport (ceiling).\nRatios: median of %d alternating rounds.\n",
           ROUNDS);
    /* both HMS processes are forked now, before the load generator holds
     * any device: their RSS is their own */
    struct world wp, wt;
    memset(&wp, 0, sizeof(wp));
    memset(&wt, 0, sizeof(wt));
    int rv = world_open(&wp, 0, nw, 0);
    if (rv == 0)
        rv = world_open(&wt, 1, nw, 0);
    if (rv == 0 && plain)
        rv = bench(&wp, plain, nsess);
    world_close(&wp);
    if (rv == 0 && tls)
        rv = bench(&wt, tls, nsess);
    world_close(&wt);
    return rv == 0 ? 0 : 1;
}
