/*
 * libcwmp examples - hnb-agent: the HNB / HeNB device program.
 * SPDX-License-Identifier: BSD-2-Clause
 *
 *   hnb-agent [-v] <config>                 run the agent
 *   hnb-agent ctl <config> <command ...>    send a control command
 *
 * Built on libcwmp's public API only: the CPE engine (<cwmp/cpe.h>), the
 * data model (<cwmp/datamodel.h>, <cwmp/fap.h>) and, in net.c, the
 * transport. See doc/examples.md §9 "Running the agent by hand".
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cwmp/cpe.h>
#include <cwmp/datamodel.h>
#include <cwmp/fap.h>

#include "agentctl.h"
#include "cmfile.h"
#include "conf.h"
#include "ctlsock.h"
#include "dm_filestore.h"
#include "hooks.h"
#include "location.h"
#include "net.h"
#include "pm.h"
#include "strbuf.h"
#include "trace.h"

/* Address of the connection-request listener and host of
 * ConnectionRequestURL. A device uses its WAN (or IPsec inner) address. */
#define CR_HOST "127.0.0.1"

/* The only process-wide state: set by the signal handler. */
static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void) sig;
    g_stop = 1;
}

struct agent {
    struct conf_doc *doc;
    struct conf_agent conf;
    const char *root; /* "Device" / "InternetGatewayDevice" */
    char dir[512];
    struct cwmp_dm *dm;
    struct filestore fs;
    struct cwmp_cpe *cpe;
    struct cwmp_cpe_callbacks cb;
    struct net *net;
    int cr_fd, ctl_fd;
    int verbose;
    int in_session;
    int reboot_requested;
    unsigned sessions_ok, sessions_failed;
    char trace_path[600];
    const char *peer_lane; /* HMS-I / HMS-S: lane of the current session's HMS */
    char tunnel_segw[257]; /* SeGW of the IPsec tunnel up now ("" none) */
    char cr_user[65], cr_pass[65];
    /* PM */
    int64_t pm_next_ms;
    char pm_last_name[300]; /* last file name before any running count */
    unsigned pm_rc;         /* files uploaded under that name */
    unsigned pm_uploads;
    char **argv;
};

/* ---- small helpers ----------------------------------------------------------- */

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void logf_(const struct agent *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void logf_(const struct agent *a, const char *fmt, ...)
{
    va_list ap;
    (void) a;
    fprintf(stderr, "hnb-agent: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static int path_join(char *out, size_t size, const char *dir, const char *name)
{
    int n = snprintf(out, size, "%s/%s", dir, name);
    return n < 0 || (size_t) n >= size ? -1 : 0;
}

static int mkdir_p(const char *path)
{
    char buf[512];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof(buf))
        return -1;
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0700) != 0 && errno != EEXIST)
                return -1;
            buf[i] = c;
        }
    }
    return 0;
}

/* Writes a whole file atomically (tmp + rename). */
static int write_file_atomic(const char *path, const char *data, size_t len)
{
    char tmp[640];
    FILE *f;
    int ok;
    if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int) sizeof(tmp))
        return -1;
    f = fopen(tmp, "wb");
    if (!f)
        return -1;
    ok = fwrite(data, 1, len, f) == len;
    ok = (fflush(f) == 0) && ok;
    ok = (fsync(fileno(f)) == 0) && ok;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

static char *read_whole(const char *path, size_t *len, size_t max)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (!f)
        return NULL;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            char *p;
            cap = cap ? cap * 2 : 8192;
            if (cap > max + 4097 || !(p = realloc(buf, cap))) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = p;
        }
        size_t r = fread(buf + n, 1, 4096, f);
        n += r;
        if (r < 4096)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* ---- trace: one record per message, in <state_dir>/trace.log --------------------- */

static void trace_append(struct agent *a, struct ex_buf *b)
{
    FILE *f;
    if (ex_buf_error(b) || !b->len)
        return;
    f = fopen(a->trace_path, "ab");
    if (!f)
        return;
    fwrite(b->data, 1, b->len, f);
    fclose(f);
}

/* Lanes of the demo's merged trace (doc/examples.md §6): this device, the
 * SeGW, the initial and serving HMS, the file server. */
static const char *own_lane(const struct agent *a)
{
    return a->conf.rat == CONF_RAT_LTE ? "HeNB" : "HNB";
}

static void trace_msg(struct agent *a, const char *from, const char *to, const char *label,
                      const char *id)
{
    struct ex_buf b;
    if (a->verbose)
        logf_(a, "%s -> %s: %s", from, to, label);
    ex_buf_init(&b, NULL, 0);
    trace_write_message(&b, now_ms(), "agent", from, to, label, id ? id : "");
    trace_append(a, &b);
    ex_buf_free(&b);
}

static void trace_note(struct agent *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void trace_note(struct agent *a, const char *fmt, ...)
{
    char text[512];
    struct ex_buf b;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    if (a->verbose)
        logf_(a, "%s", text);
    ex_buf_init(&b, NULL, 0);
    trace_write_note(&b, now_ms(), "agent", own_lane(a), text);
    trace_append(a, &b);
    ex_buf_free(&b);
}

/* A parameter path shortened for a label: its last two segments
 * ("…Gateway.SecGWServer1"), three when the middle one is an instance
 * number ("SupportedAlarm.1.ReportingMechanism"); a partial path keeps its
 * trailing dot. */
static const char *short_name(const char *name)
{
    size_t n = strlen(name);
    int dots = 0, want = 2;
    if (n && name[n - 1] == '.')
        n--;
    while (n > 0) {
        if (name[n - 1] == '.' && ++dots == want) {
            if (name[n] >= '0' && name[n] <= '9' && want == 2)
                want = 3;
            else
                return name + n;
        }
        n--;
    }
    return name;
}

struct label {
    char s[480];
    size_t n;
};

static void lab_add(struct label *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lab_add(struct label *l, const char *fmt, ...)
{
    va_list ap;
    int w;
    if (l->n >= sizeof(l->s) - 1)
        return;
    va_start(ap, fmt);
    w = vsnprintf(l->s + l->n, sizeof(l->s) - l->n, fmt, ap);
    va_end(ap);
    if (w > 0)
        l->n += (size_t) w < sizeof(l->s) - l->n ? (size_t) w : sizeof(l->s) - 1 - l->n;
}

/* "(a, b, c +2)": at most three names. */
static void lab_names(struct label *l, const char *const *names, const struct cwmp_param_value *pv,
                      size_t count)
{
    lab_add(l, "(");
    for (size_t i = 0; i < count && i < 3; i++)
        lab_add(l, "%s%s", i ? ", " : "", short_name(names ? names[i] : pv[i].name));
    if (count > 3)
        lab_add(l, " +%zu", count - 3);
    lab_add(l, ")");
}

/* What an Inform reports beyond its events: alarms (F11) and a new IPsec
 * inner address (F5). */
static void inform_extras(struct label *l, const struct cwmp_inform *in)
{
    /* At (re)discovery and registration, the location the HMS selects its
     * policy by: GPS fix and REM cells (values in micro-degrees). */
    int boot = 0;
    for (size_t i = 0; i < in->event_count; i++)
        if (in->events[i].code &&
            (!strcmp(in->events[i].code, "0 BOOTSTRAP") || !strcmp(in->events[i].code, "1 BOOT")))
            boot = 1;
    if (boot) {
        const char *lat = NULL, *lon = NULL;
        unsigned cells = 0;
        for (size_t i = 0; i < in->param_count; i++) {
            const char *n = in->params[i].name;
            size_t nl = strlen(n);
            if (strstr(n, ".GPS.LockedLatitude"))
                lat = in->params[i].value;
            else if (strstr(n, ".GPS.LockedLongitude"))
                lon = in->params[i].value;
            else if (strstr(n, ".REM.") && nl > 7 && !strcmp(n + nl - 7, ".CellID"))
                cells++;
        }
        if (lat && lon && *lat && *lon) {
            long la = strtol(lat, NULL, 10), lo = strtol(lon, NULL, 10);
            lab_add(l, "; GPS %s%ld.%06ld,%s%ld.%06ld", la < 0 ? "-" : "", labs(la) / 1000000,
                    labs(la) % 1000000, lo < 0 ? "-" : "", labs(lo) / 1000000, labs(lo) % 1000000);
        }
        if (cells)
            lab_add(l, "; REM %u cell%s", cells, cells > 1 ? "s" : "");
    }
    for (size_t i = 0; i < in->param_count; i++) {
        const char *n = in->params[i].name, *v = in->params[i].value;
        size_t nl = strlen(n);
        if (!v)
            continue;
        if (nl > 14 && !strcmp(n + nl - 14, ".ProbableCause") &&
            (strstr(n, ".ExpeditedEvent.") || strstr(n, ".QueuedEvent.")))
            lab_add(l, "; %s %s", strstr(n, ".ExpeditedEvent.") ? "ExpeditedEvent" : "QueuedEvent",
                    v);
        else if ((strstr(n, ".IKESA.1.IPAddress") || strstr(n, ".IKEv2SA.1.LocalAddress")) &&
                 strcmp(v, "0.0.0.0") != 0)
            lab_add(l, "; inner IP %s", v);
    }
}

/* The message's method, key arguments and result (doc/examples.md §6). */
static void message_label(const struct cwmp_trace *t, struct label *l)
{
    const struct cwmp_rpc *r = t->envelope ? &t->envelope->rpc : NULL;
    const int sent = t->dir == CWMP_TRACE_SENT;
    if (t->empty) {
        lab_add(l, "%s", sent ? "(empty POST)" : "204 No Content");
        return;
    }
    if (t->kind == CWMP_RPC_FAULT) {
        lab_add(l, "Fault(%u", (unsigned) t->fault_code);
        if (r && r->kind == CWMP_RPC_FAULT) {
            if (r->u.fault.string)
                lab_add(l, " %s", r->u.fault.string);
            for (size_t i = 0; i < r->u.fault.param_fault_count && i < 2; i++)
                lab_add(l, "; %s %u", short_name(r->u.fault.param_faults[i].name),
                        (unsigned) r->u.fault.param_faults[i].code);
        }
        lab_add(l, ")");
        return;
    }
    lab_add(l, "%s%s", t->method_name, t->kind == CWMP_RPC_RESPONSE ? "Response" : "");
    if (!r)
        return;
    if (t->kind == CWMP_RPC_REQUEST) {
        switch (t->method) {
        case CWMP_METHOD_INFORM:
            lab_add(l, "(");
            for (size_t i = 0; i < t->event_count; i++)
                lab_add(l, "%s%s", i ? ", " : "", t->events[i]);
            inform_extras(l, &r->u.inform);
            lab_add(l, ")");
            break;
        case CWMP_METHOD_SET_PARAMETER_VALUES:
            lab_names(l, NULL, r->u.set_parameter_values.params,
                      r->u.set_parameter_values.param_count);
            break;
        case CWMP_METHOD_GET_PARAMETER_VALUES:
            lab_names(l, r->u.get_parameter_values.names, NULL,
                      r->u.get_parameter_values.name_count);
            break;
        case CWMP_METHOD_DOWNLOAD: {
            const char *u = r->u.download.url ? r->u.download.url : "";
            const char *base = strrchr(u, '/');
            lab_add(l, "(%s, %s)", r->u.download.file_type ? r->u.download.file_type : "",
                    base ? base + 1 : u);
            break;
        }
        case CWMP_METHOD_TRANSFER_COMPLETE:
            lab_add(l, "(FaultCode %u%s%s)", (unsigned) r->u.transfer_complete.fault.code,
                    r->u.transfer_complete.fault.code && r->u.transfer_complete.fault.string ? " "
                                                                                             : "",
                    r->u.transfer_complete.fault.code && r->u.transfer_complete.fault.string
                        ? r->u.transfer_complete.fault.string
                        : "");
            break;
        default: break;
        }
    } else if (t->method == CWMP_METHOD_SET_PARAMETER_VALUES) {
        lab_add(l, "(Status %d)", r->u.set_parameter_values_response.status);
    } else if (t->param_count) {
        lab_add(l, "(%zu)", t->param_count);
    }
}

static void trace_hook(const struct cwmp_trace *t, void *user)
{
    struct agent *a = user;
    struct label l = {"", 0};
    const int sent = t->dir == CWMP_TRACE_SENT;
    const char *peer = a->peer_lane ? a->peer_lane : "HMS-S";

    message_label(t, &l);
    trace_msg(a, sent ? own_lane(a) : peer, sent ? peer : own_lane(a), l.s, t->id);
}

/* ---- CPE engine records: <state_dir>/cpe-<kind>.rec ----------------------------- */

static const char *const rec_names[] = {"cpe-events.rec", "cpe-transfers.rec", "cpe-state.rec",
                                        "cpe-requests.rec"};

static int save_cb(enum cwmp_cpe_record kind, const char *data, size_t len, void *user)
{
    struct agent *a = user;
    char path[600];
    if ((unsigned) kind > 3 || path_join(path, sizeof(path), a->dir, rec_names[kind]))
        return -1;
    return write_file_atomic(path, data, len);
}

static uint32_t random_cb(void *user)
{
    uint32_t v = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    (void) user;
    if (fd >= 0) {
        if (read(fd, &v, sizeof(v)) != (ssize_t) sizeof(v))
            v = (uint32_t) now_ms();
        close(fd);
    }
    return v;
}

static void session_end_cb(struct cwmp_cpe *cpe, enum cwmp_session_result result, int detail,
                           void *user)
{
    struct agent *a = user;
    (void) cpe;
    if (result == CWMP_SESSION_OK)
        a->sessions_ok++;
    else
        a->sessions_failed++;
    trace_note(a, "session ended: %s (%d)", result == CWMP_SESSION_OK ? "ok" : "failed", detail);
}

/* ---- the data model ------------------------------------------------------------- */

static void dm_path(const struct agent *a, char *out, size_t size, const char *rel)
{
    snprintf(out, size, "%s.%s", a->root, rel);
}

/* Creates every numbered instance along @p name ("A.B.3.C.1.D"). */
static void ensure_instances(struct agent *a, const char *name)
{
    char table[300];
    const char *p = name;
    while ((p = strchr(p, '.')) != NULL) {
        const char *seg = p + 1;
        char *end;
        unsigned long inst = strtoul(seg, &end, 10);
        if (end != seg && (*end == '.' || *end == '\0') && inst > 0 && inst < 1000000) {
            size_t n = (size_t) (seg - name);
            if (n >= sizeof(table))
                return;
            memcpy(table, name, n);
            table[n] = '\0';
            /* fails harmlessly when the instance already exists */
            (void) cwmp_dm_add_instance(a->dm, table, (uint32_t) inst, NULL);
        }
        p = seg;
    }
}

static int set_value(struct agent *a, const char *name, const char *value)
{
    int rc = cwmp_dm_set(a->dm, name, value);
    if (rc == CWMP_ERR_NOT_FOUND) {
        ensure_instances(a, name);
        rc = cwmp_dm_set(a->dm, name, value);
    }
    if (rc && a->verbose)
        logf_(a, "set %s = %s: %d (%s)", name, value, rc, cwmp_dm_error_detail(a->dm));
    return rc;
}

static int emit_value(void *ud, const char *name, const char *value, enum cmfile_type type)
{
    (void) type;
    set_value(ud, name, value);
    return 0;
}

static const char *inner_ip_param(const struct agent *a, char *buf, size_t size)
{
    if (a->conf.root == CONF_ROOT_IGD)
        dm_path(a, buf, size, "FAP.Tunnel.IKESA.1.IPAddress");
    else
        dm_path(a, buf, size, "IPsec.IKEv2SA.1.LocalAddress");
    return buf;
}

/* The alarm types this device can raise (vendor-defined): the HMS reads
 * FaultMgmt.SupportedAlarm and sets each one's ReportingMechanism (F10). */
static const struct {
    const char *event_type, *cause;
} supported_alarms[] = {
    {"Environmental Alarm", "Temperature unacceptable"},
    {"Equipment Alarm", "Transmitter failure"},
    {"Communications Alarm", "Loss of signal"},
};

static void dm_supported_alarms(struct agent *a)
{
    char table[200], name[300];
    dm_path(a, table, sizeof(table), "FaultMgmt.SupportedAlarm.");
    if (cwmp_dm_instance_count(a->dm, table) > 0)
        return; /* kept as the HMS configured them */
    for (size_t i = 0; i < sizeof(supported_alarms) / sizeof(supported_alarms[0]); i++) {
        static const char *const fields[] = {"EventType", "ProbableCause", "SpecificProblem",
                                             "PerceivedSeverity", "ReportingMechanism"};
        const char *values[] = {supported_alarms[i].event_type, supported_alarms[i].cause, "", "",
                                "1 Queued"};
        for (size_t k = 0; k < 5; k++) {
            snprintf(name, sizeof(name), "%s%zu.%s", table, i + 1, fields[k]);
            set_value(a, name, values[k]);
        }
    }
}

/* The location (GPS fix, REM scan results) goes into every Inform through
 * ManagementServer.InformParameter.{i}: the HMS chooses the policy, and
 * tells an HNB from an HeNB, by it (TS 32.583 5.1 / TS 32.593 5.1.2). */
struct inform_params {
    struct agent *a;
    uint32_t next;
};

static int emit_inform_param(void *ud, const char *name, const char *value, enum cmfile_type type)
{
    struct inform_params *ip = ud;
    char table[200], path[300];
    (void) value;
    (void) type;
    if (!strstr(name, ".FAP.GPS.") && !strstr(name, ".REM."))
        return 0;
    dm_path(ip->a, table, sizeof(table), "ManagementServer.InformParameter.");
    ip->next++;
    snprintf(path, sizeof(path), "%s%u.Enable", table, (unsigned) ip->next);
    set_value(ip->a, path, "true");
    snprintf(path, sizeof(path), "%s%u.ParameterName", table, (unsigned) ip->next);
    set_value(ip->a, path, name);
    snprintf(path, sizeof(path), "%s%u.EventList", table, (unsigned) ip->next);
    set_value(ip->a, path, ""); /* every Inform */
    return 0;
}

/* Factory values: identity, location, ACS URL, connection request. */
static void dm_factory(struct agent *a)
{
    char name[300], val[300];

    loc_agent_values(&a->conf, emit_value, a);
    dm_path(a, name, sizeof(name), "ManagementServer.InformParameter.");
    if (cwmp_dm_instance_count(a->dm, name) == 0) {
        struct inform_params ip = {a, 0};
        loc_agent_values(&a->conf, emit_inform_param, &ip);
    }
    dm_path(a, name, sizeof(name), "ManagementServer.URL");
    if (cwmp_dm_get(a->dm, name, val, sizeof(val)) <= 0)
        set_value(a, name, a->conf.initial_hms_url);
    snprintf(val, sizeof(val), "http://%s:%u/cr", CR_HOST, (unsigned) net_cr_port(a->net));
    dm_path(a, name, sizeof(name), "ManagementServer.ConnectionRequestURL");
    set_value(a, name, val);
    dm_path(a, name, sizeof(name), "ManagementServer.ConnectionRequestUsername");
    if (cwmp_dm_get(a->dm, name, val, sizeof(val)) <= 0)
        set_value(a, name, a->conf.serial);
    dm_path(a, name, sizeof(name), "ManagementServer.ConnectionRequestPassword");
    if (cwmp_dm_get(a->dm, name, val, sizeof(val)) <= 0) {
        snprintf(val, sizeof(val), "cr-%s", a->conf.serial);
        set_value(a, name, val);
    }
    dm_path(a, name, sizeof(name), "DeviceInfo.SoftwareVersion");
    set_value(a, name, "0.1");
    /* One PM configuration row (FAP.PerfMgmt.Config.1), disabled until the
     * HMS enables it. */
    dm_path(a, name, sizeof(name), "FAP.PerfMgmt.Config.");
    if (cwmp_dm_instance_count(a->dm, name) == 0)
        (void) cwmp_dm_add_instance(a->dm, name, 1, NULL);
    dm_supported_alarms(a);
    /* An HeNB's tunnel association (CellConfig.LTE.Tunnel.1): the HMS
     * enables it with the IPsec usage indicator (doc/examples.md §2). */
    if (a->conf.rat == CONF_RAT_LTE) {
        dm_path(a, name, sizeof(name), "Services.FAPService.1.CellConfig.LTE.Tunnel.");
        if (cwmp_dm_instance_count(a->dm, name) == 0)
            (void) cwmp_dm_add_instance(a->dm, name, 1, NULL);
    }
    /* The IPsec inner address: reported with active notification (F5). */
    inner_ip_param(a, name, sizeof(name));
    if (cwmp_dm_get(a->dm, name, val, sizeof(val)) < 0)
        set_value(a, name, "0.0.0.0");
    {
        struct cwmp_set_param_attribute at = {0};
        at.name = name;
        at.notification_change = true;
        at.notification = 2;
        if (cwmp_dm_set_attributes(a->dm, &at, 1) != 0 && a->verbose)
            logf_(a, "notification on %s: %s", name, cwmp_dm_error_detail(a->dm));
    }
    if (cwmp_dm_save(a->dm) != 0)
        logf_(a, "cannot save the data model: %s", cwmp_dm_error_detail(a->dm));
}

static int cr_password(void *user, const char *username, char *buf, size_t size)
{
    struct agent *a = user;
    char name[300], val[300];
    dm_path(a, name, sizeof(name), "ManagementServer.ConnectionRequestUsername");
    if (cwmp_dm_get(a->dm, name, val, sizeof(val)) < 0 || strcmp(val, username) != 0)
        return -1;
    dm_path(a, name, sizeof(name), "ManagementServer.ConnectionRequestPassword");
    if (cwmp_dm_get(a->dm, name, buf, size) < 0)
        return -1;
    return 0;
}

/* ---- transfers ---------------------------------------------------------------- */

static int apply_cm_file(struct agent *a, const char *data, size_t len, const char *url,
                         char *detail, size_t dlen)
{
    struct cmfile *f = NULL;
    struct cmfile_error err;
    struct cwmp_param_value *pv;
    struct cwmp_dm_result r = CWMP_DM_RESULT_INIT;
    int rc;

    if (cmfile_parse(data, len, NULL, NULL, &f, &err) != 0) {
        snprintf(detail, dlen, "CM file: line %d: %s", err.line, err.msg);
        return 9018; /* file corrupted */
    }
    pv = calloc(f->count ? f->count : 1, sizeof(*pv));
    if (!pv) {
        cmfile_free(f);
        return 9002;
    }
    for (size_t i = 0; i < f->count; i++) {
        pv[i].name = f->params[i].name;
        pv[i].value = f->params[i].value;
        pv[i].type = (enum cwmp_type)((int) f->params[i].type + 1);
    }
    /* All or nothing: one SetParameterValues transaction of the tree. */
    rc = cwmp_dm_set_values(a->dm, pv, f->count, cwmp_dm_parameter_key(a->dm), &r);
    if (rc != 0) {
        if (r.fault_count)
            snprintf(detail, dlen, "CM file not applied: %s: fault %d", r.faults[0].name,
                     r.faults[0].code);
        else
            snprintf(detail, dlen, "CM file not applied: %s", cwmp_dm_error_detail(a->dm));
        cwmp_dm_result_free(&r);
        free(pv);
        cmfile_free(f);
        return 9018;
    }
    cwmp_dm_result_free(&r);
    free(pv);
    {
        char table[200], name[300], val[64];
        uint32_t inst = 0;
        const char *base = strrchr(url, '/');
        time_t t = time(NULL);
        struct tm tm;
        dm_path(a, table, sizeof(table), "DeviceInfo.VendorConfigFile.");
        if (cwmp_dm_add_instance(a->dm, table, 0, &inst) == 0) {
            snprintf(name, sizeof(name), "%s%u.Name", table, (unsigned) inst);
            set_value(a, name, base && base[1] ? base + 1 : url);
            gmtime_r(&t, &tm);
            strftime(val, sizeof(val), "%Y-%m-%dT%H:%M:%SZ", &tm);
            snprintf(name, sizeof(name), "%s%u.Date", table, (unsigned) inst);
            set_value(a, name, val);
            snprintf(name, sizeof(name), "%s%u.Description", table, (unsigned) inst);
            snprintf(val, sizeof(val), "CM file, %zu parameters", f->count);
            set_value(a, name, val);
        }
    }
    cwmp_dm_save(a->dm);
    trace_note(a, "CM file applied: %zu parameters", f->count);
    cmfile_free(f);
    return 0;
}

/* Test aid (doc/examples.md, "Robustness"): HNB_AGENT_TEST_CRASH=transfer
 * makes the agent exit at once (status 86, no cleanup: as a power loss
 * would) when a transfer starts, after the engine stored it as running. */
#define TEST_CRASH_STATUS 86

static void test_crash_point(const char *point)
{
    const char *k = getenv("HNB_AGENT_TEST_CRASH");
    if (k && !strcmp(k, point)) {
        static const char msg[] = "hnb-agent: HNB_AGENT_TEST_CRASH: exiting (status 86)\n";
        (void) !write(2, msg, sizeof(msg) - 1);
        _exit(TEST_CRASH_STATUS);
    }
}

static uint32_t run_transfer(struct agent *a, const struct cwmp_transfer *t, char *detail,
                             size_t dlen)
{
    char *data = NULL;
    size_t len = 0;
    int rc;
    detail[0] = '\0';
    if (t->kind == CWMP_TRANSFER_UPLOAD) {
        snprintf(detail, dlen, "Upload of %s not supported", t->file_type ? t->file_type : "?");
        return 9011;
    }
    if (!t->file_type || strcmp(t->file_type, "3 Vendor Configuration File") != 0) {
        snprintf(detail, dlen, "FileType %s not supported", t->file_type ? t->file_type : "?");
        return 9010;
    }
    {
        const char *base = strrchr(t->url, '/');
        char label[400];
        snprintf(label, sizeof(label), "GET %s", base && base[1] ? base + 1 : t->url);
        trace_msg(a, own_lane(a), "FS", label, NULL);
        rc = net_download(a->net, t->url, t->username, t->password, 1024 * 1024, &data, &len,
                          detail, dlen);
        if (rc)
            snprintf(label, sizeof(label), "GET failed: fault %d %s", rc, detail);
        else
            snprintf(label, sizeof(label), "200 OK (%zu bytes)", len);
        trace_msg(a, "FS", own_lane(a), label, NULL);
    }
    if (rc)
        return (uint32_t) rc;
    rc = apply_cm_file(a, data, len, t->url, detail, dlen);
    free(data);
    return (uint32_t) rc;
}

/* ---- PM: FAP.PerfMgmt.Config.1 ---------------------------------------------------- */

static void pm_tick(struct agent *a, int64_t now)
{
    char path[200];
    struct cwmp_pm_config pc;
    int64_t now_s = now / 1000;

    dm_path(a, path, sizeof(path), "FAP.PerfMgmt.Config.1.");
    if (cwmp_pm_config_get(a->dm, path, now_s, &pc) != 0 || !pc.enable) {
        a->pm_next_ms = 0;
        return;
    }
    if (a->pm_next_ms == 0) {
        a->pm_next_ms = pc.next_upload * 1000;
        trace_note(a, "PM enabled: next upload at %lld", (long long) pc.next_upload);
        return;
    }
    if (now < a->pm_next_ms)
        return;
    {
        struct pm_file_params pp = {0};
        struct pm_rng rng = {(uint64_t) now};
        char *body = NULL, fname[300], url[600], detail[256];
        size_t blen = 0;
        int rc;
        pp.rat = a->conf.rat == CONF_RAT_LTE ? PM_RAT_LTE : PM_RAT_UMTS;
        pp.sender_name = a->conf.serial;
        pp.vendor_name = a->conf.manufacturer;
        pp.begin_s = now_s - (int64_t) pc.interval;
        pp.gran_s = pc.interval > 0 && pc.interval <= 86400 ? pc.interval : 900;
        pp.cells = 1;
        if (pm_file_name(&pp, fname, sizeof(fname)) == 0 &&
            pm_file_write(&pp, &rng, NULL, &body, &blen) == 0) {
            /* The name has minutes only: with an interval under a minute,
             * later files of the same minutes get TS 32.432's running count
             * "_-_<RC>" so that no name repeats. */
            if (strcmp(fname, a->pm_last_name) == 0) {
                size_t fl = strlen(fname);
                a->pm_rc++;
                if (fl > 4 && fl + 16 < sizeof(fname))
                    snprintf(fname + fl - 4, sizeof(fname) - (fl - 4), "_-_%u.xml", a->pm_rc + 1);
            } else {
                snprintf(a->pm_last_name, sizeof(a->pm_last_name), "%s", fname);
                a->pm_rc = 0;
            }
            size_t ul = strlen(pc.url);
            snprintf(url, sizeof(url), "%s%s%s", pc.url, ul && pc.url[ul - 1] == '/' ? "" : "/",
                     fname);
            {
                char label[400];
                snprintf(label, sizeof(label), "PUT %s", fname);
                trace_msg(a, own_lane(a), "FS", label, NULL);
                rc = net_upload(a->net, url, pc.username, pc.password, "text/xml", body, blen,
                                detail, sizeof(detail));
                if (rc)
                    snprintf(label, sizeof(label), "PUT failed: fault %d %s", rc, detail);
                else
                    snprintf(label, sizeof(label), "2xx stored (%zu bytes)", blen);
                trace_msg(a, "FS", own_lane(a), label, NULL);
            }
            if (!rc)
                a->pm_uploads++;
        }
        free(body);
    }
    a->pm_next_ms = cwmp_pm_next_upload(now_s, pc.upload_time, pc.interval) * 1000;
}

/* ---- control commands ------------------------------------------------------------- */

static enum cwmp_alarm_severity severity_of(const char *s)
{
    static const char *const names[] = {"Critical", "Major", "Minor", "Warning", "Indeterminate"};
    for (int i = 0; i < 5; i++)
        if (!strcmp(s, names[i]))
            return (enum cwmp_alarm_severity) i;
    return CWMP_ALARM_MAJOR;
}

static void ctl_execute(struct agent *a, const struct agent_ctl_req *req, struct ex_buf *out)
{
    char name[300], id[80];
    struct cwmp_alarm al = {0};
    struct cwmp_alarm_options ao;
    int rc;

    switch (req->cmd) {
    case AGENT_CTL_IP_CHANGE:
        inner_ip_param(a, name, sizeof(name));
        trace_note(a, "IPsec inner address now %s (hook)", req->address);
        rc = set_value(a, name, req->address);
        cwmp_dm_save(a->dm);
        if (rc)
            ex_buf_printf(out, "error: %s: %s\n", name, cwmp_dm_error_detail(a->dm));
        else
            ex_buf_printf(out, "ok\n%s = %s\n", name, req->address);
        return;
    case AGENT_CTL_ALARM_RAISE:
    case AGENT_CTL_ALARM_CLEAR:
        cwmp_alarm_options_init(&ao);
        al.event_type = req->type[0] ? req->type : "Equipment Alarm";
        al.probable_cause = req->cause;
        al.specific_problem = req->problem[0] ? req->problem : NULL;
        al.severity = severity_of(req->severity);
        snprintf(name, sizeof(name), "%s.Services.FAPService.1", a->root);
        al.managed_object_instance = req->object[0] ? req->object : name;
        al.additional_text = req->text[0] ? req->text : NULL;
        if (req->cmd == AGENT_CTL_ALARM_RAISE) {
            rc = cwmp_alarm_raise(a->dm, &ao, &al, now_ms() / 1000, id, sizeof(id));
            if (rc == 0)
                trace_note(a, "alarm raised: %s (%s)", al.probable_cause, id);
        } else {
            rc = cwmp_alarm_clear(a->dm, &ao, &al, now_ms() / 1000);
            id[0] = '\0';
        }
        cwmp_dm_save(a->dm);
        if (rc < 0)
            ex_buf_printf(out, "error: alarm: %s\n", cwmp_dm_error_detail(a->dm));
        else
            ex_buf_printf(out, "ok\n%s\n", id);
        return;
    case AGENT_CTL_REBOOT:
        a->reboot_requested = 1;
        ex_buf_puts(out, "ok\nrebooting\n");
        return;
    case AGENT_CTL_INFORM:
        /* An app-requested session: an Inform now, with what is queued. */
        rc = cwmp_cpe_connection_request(a->cpe);
        ex_buf_puts(out, rc ? "error: cannot start a session\n" : "ok\n");
        return;
    case AGENT_CTL_STATUS: {
        char url[300];
        dm_path(a, name, sizeof(name), "ManagementServer.URL");
        if (cwmp_dm_get(a->dm, name, url, sizeof(url)) < 0)
            url[0] = '\0';
        ex_buf_printf(out,
                      "ok\nroot %s\nacs_url %s\ncr_port %u\nsessions_ok %u\n"
                      "sessions_failed %u\nretry_count %u\nin_session %d\npm_uploads %u\n",
                      a->root, url, (unsigned) net_cr_port(a->net), a->sessions_ok,
                      a->sessions_failed, (unsigned) cwmp_cpe_retry_count(a->cpe), a->in_session,
                      a->pm_uploads);
        return;
    }
    }
    ex_buf_puts(out, "error: unknown command\n");
}

static void ctl_serve(struct agent *a)
{
    char line[CTLSOCK_MAX_LINE], err[200];
    struct agent_ctl_req req;
    struct ex_buf out;
    int fd = ctlsock_accept(a->ctl_fd);
    if (fd < 0)
        return;
    ex_buf_init(&out, NULL, CTLSOCK_MAX_REPLY);
    if (ctlsock_read_line(fd, line, sizeof(line), 2000) < 0)
        ex_buf_puts(&out, "error: no command line\n");
    else if (agent_ctl_parse(line, &req, err, sizeof(err)) != 0)
        ex_buf_printf(&out, "error: %s\n", err);
    else
        ctl_execute(a, &req, &out);
    if (!ex_buf_error(&out) && out.len)
        ctlsock_write_all(fd, out.data, out.len, 2000);
    ex_buf_free(&out);
    close(fd);
}

/* ---- the session ------------------------------------------------------------------ */

/* Between two messages of a session: answer connection requests (503, busy)
 * and control commands without waiting. */
static void serve_while_busy(struct agent *a)
{
    struct pollfd p[2] = {{a->cr_fd, POLLIN, 0}, {a->ctl_fd, POLLIN, 0}};
    if (poll(p, 2, 0) <= 0)
        return;
    if (p[0].revents & POLLIN)
        net_cr_serve(a->net, 1);
    if (p[1].revents & POLLIN)
        ctl_serve(a);
}

/* The tunnel hook, drawn as the IKE exchange with the SeGW. */
static int tunnel_up(struct agent *a, const char *segw)
{
    char label[400];
    snprintf(label, sizeof(label), "IKEv2 tunnel setup to %s (hook)", segw);
    trace_msg(a, own_lane(a), "SeGW", label, NULL);
    if (hook_establish_tunnel(segw, a->verbose) != 0) {
        trace_msg(a, "SeGW", own_lane(a), "tunnel refused (hook)", NULL);
        logf_(a, "tunnel to %s failed", segw);
        return -1;
    }
    trace_msg(a, "SeGW", own_lane(a), "IPsec tunnel up (hook)", NULL);
    snprintf(a->tunnel_segw, sizeof(a->tunnel_segw), "%s", segw);
    return 0;
}

static void run_session(struct agent *a)
{
    char name[300], url[1024];
    int rc;
    struct hook_url hu;

    dm_path(a, name, sizeof(name), "ManagementServer.URL");
    if (cwmp_dm_get(a->dm, name, url, sizeof(url)) <= 0)
        snprintf(url, sizeof(url), "%s", a->conf.initial_hms_url);
    a->peer_lane = strcmp(url, a->conf.initial_hms_url) == 0 ? "HMS-I" : "HMS-S";
    if (a->peer_lane[4] == 'S') {
        /* TS 32.583 5.2.1 / TS 32.593 5.1.3: the IPsec tunnel to the
         * serving SeGW the initial HMS assigned, before the serving HMS. */
        char segw[257];
        dm_path(a, name, sizeof(name),
                a->conf.rat == CONF_RAT_LTE
                    ? "Services.FAPService.1.FAPControl.LTE.Gateway.SecGWServer1"
                    : "Services.FAPService.1.FAPControl.UMTS.Gateway.SecGWServer1");
        if (cwmp_dm_get(a->dm, name, segw, sizeof(segw)) > 0 && strcmp(segw, a->tunnel_segw) != 0 &&
            tunnel_up(a, segw) != 0)
            return;
    }
    if (hook_split_url(url, &hu) == 0) {
        int inner = a->tunnel_segw[0] != '\0';
        if (hook_resolve(hu.host, inner, a->verbose) != 0) {
            trace_note(a, "cannot resolve %s", hu.host);
            return;
        }
        trace_note(a, "%s DNS: %s (hook)", inner ? "inner" : "outer", hu.host);
    }
    {
        char user[257] = "", pass[257] = "";
        dm_path(a, name, sizeof(name), "ManagementServer.Username");
        if (cwmp_dm_get(a->dm, name, user, sizeof(user)) < 0)
            user[0] = '\0';
        dm_path(a, name, sizeof(name), "ManagementServer.Password");
        if (cwmp_dm_get(a->dm, name, pass, sizeof(pass)) < 0)
            pass[0] = '\0';
        rc = net_session_open(a->net, url, user, pass);
    }
    if (rc != 0) {
        trace_note(a, "session to %s: %s", url, net_session_error(a->net));
        cwmp_cpe_session_begin(a->cpe, now_ms());
        cwmp_cpe_session_abort(a->cpe);
        return;
    }
    a->in_session = 1;
    cwmp_cpe_session_begin(a->cpe, now_ms());
    while (cwmp_cpe_want_send(a->cpe) && !g_stop) {
        const char *body, *reply;
        size_t len, reply_len;
        int status;
        if (cwmp_cpe_send(a->cpe, &body, &len) != 0)
            break; /* the session failed; a retry is scheduled */
        if (net_session_post(a->net, body, len, &reply, &reply_len, &status) != 0) {
            trace_note(a, "session to %s failed: %s", url, net_session_error(a->net));
            cwmp_cpe_session_abort(a->cpe);
            break;
        }
        cwmp_cpe_handle_timeout(a->cpe, now_ms());
        if (cwmp_cpe_session_active(a->cpe))
            cwmp_cpe_recv(a->cpe, reply, reply_len);
        serve_while_busy(a);
    }
    if (cwmp_cpe_session_active(a->cpe))
        cwmp_cpe_session_abort(a->cpe);
    net_session_close(a->net);
    a->in_session = 0;
}

/* ---- reboot / factory reset: re-exec the program ------------------------------------ */

static void remove_state(struct agent *a)
{
    char path[600];
    for (int k = 0; k < 4; k++)
        if (path_join(path, sizeof(path), a->dir, rec_names[k]) == 0)
            unlink(path);
    if (path_join(path, sizeof(path), a->dir, "dm.db") == 0)
        unlink(path);
}

/* ---- main ------------------------------------------------------------------------- */

static int usage(void)
{
    fprintf(stderr, "usage: hnb-agent [-v] <config>\n"
                    "       hnb-agent ctl <config> <command ...>\n"
                    "commands: ip-change <address> | alarm raise cause=\"...\" [severity=...]\n"
                    "          | alarm clear cause=\"...\" | reboot | inform | status\n"
                    "test aid: HNB_AGENT_TEST_CRASH=transfer exits (status 86) when a transfer\n"
                    "          starts (doc/examples.md, Robustness)\n");
    return 2;
}

static int load_conf(struct agent *a, const char *path)
{
    size_t len;
    char *text = read_whole(path, &len, CONF_MAX_BYTES);
    struct conf_error err = {0};
    if (!text) {
        fprintf(stderr, "hnb-agent: %s: cannot read\n", path);
        return -1;
    }
    if (conf_parse(text, len, NULL, &a->doc, &err) != 0 ||
        conf_agent_load(a->doc, &a->conf, &err) != 0) {
        fprintf(stderr, "hnb-agent: %s:%d: %s\n", path, err.line, err.msg);
        free(text);
        return -1;
    }
    free(text);
    snprintf(a->dir, sizeof(a->dir), "%s", a->conf.state_dir);
    a->root = a->conf.root == CONF_ROOT_IGD ? "InternetGatewayDevice" : "Device";
    return 0;
}

/* `hnb-agent ctl <config> words...`: words joined into one command line,
 * values with spaces re-quoted, checked and normalised by agentctl. */
static int ctl_main(int argc, char **argv)
{
    struct agent a;
    struct ex_buf line, reply, norm;
    struct agent_ctl_req req;
    char err[200], sock[600];
    int rc;

    if (argc < 2)
        return usage();
    memset(&a, 0, sizeof(a));
    if (load_conf(&a, argv[0]) != 0)
        return 2;
    ex_buf_init(&line, NULL, AGENT_CTL_MAX_LINE);
    for (int i = 1; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        if (i > 1)
            ex_buf_puts(&line, " ");
        if (eq && eq[1] != '"' && strpbrk(eq + 1, " \t\"\\")) {
            ex_buf_add(&line, argv[i], (size_t) (eq - argv[i]) + 1);
            ex_buf_puts(&line, "\"");
            for (const char *p = eq + 1; *p; p++) {
                if (*p == '"' || *p == '\\')
                    ex_buf_puts(&line, "\\");
                ex_buf_add(&line, p, 1);
            }
            ex_buf_puts(&line, "\"");
        } else {
            ex_buf_puts(&line, argv[i]);
        }
    }
    if (ex_buf_error(&line) || agent_ctl_parse(line.data, &req, err, sizeof(err)) != 0) {
        fprintf(stderr, "hnb-agent ctl: %s\n", ex_buf_error(&line) ? "command too long" : err);
        ex_buf_free(&line);
        conf_free(a.doc);
        return 2;
    }
    ex_buf_free(&line);
    ex_buf_init(&norm, NULL, AGENT_CTL_MAX_LINE);
    agent_ctl_format(&req, &norm);
    if (norm.data && norm.len && norm.data[norm.len - 1] == '\n')
        norm.data[--norm.len] = '\0'; /* ctlsock_request() adds the newline */
    ex_buf_init(&reply, NULL, CTLSOCK_MAX_REPLY);
    path_join(sock, sizeof(sock), a.dir, "ctl.sock");
    rc = ctlsock_request(sock, norm.data ? norm.data : "", &reply, 10000, err, sizeof(err));
    if (rc != 0) {
        fprintf(stderr, "hnb-agent ctl: %s: %s\n", sock, err);
        rc = 1;
    } else {
        fwrite(reply.data ? reply.data : "", 1, reply.len, stdout);
        rc = reply.data && !strncmp(reply.data, "ok", 2) ? 0 : 1;
    }
    ex_buf_free(&norm);
    ex_buf_free(&reply);
    conf_free(a.doc);
    return rc;
}

static int agent_run(struct agent *a)
{
    struct cwmp_cpe_config cfg = {0};
    struct cwmp_dm_store st;
    struct cwmp_cpe_action act;
    char path[600], err[256];
    int exit_code = 0;
    int reexec = 0;

    if (mkdir_p(a->dir) != 0) {
        logf_(a, "%s: cannot create the state directory", a->dir);
        return 1;
    }
    path_join(a->trace_path, sizeof(a->trace_path), a->dir, "trace.log");
    {
        struct stat sb;
        if (stat(a->trace_path, &sb) != 0) {
            struct ex_buf b;
            ex_buf_init(&b, NULL, 0);
            trace_write_header(&b);
            trace_write_lane(&b, own_lane(a), own_lane(a));
            trace_write_lane(&b, "SeGW", "SeGW");
            trace_write_lane(&b, "HMS-I", "HMS (initial)");
            trace_write_lane(&b, "HMS-S", "HMS (serving)");
            trace_write_lane(&b, "FS", "File server");
            trace_write_flow(&b, "agent", "", "agent sessions");
            trace_append(a, &b);
            ex_buf_free(&b);
        }
    }

    /* The data model, restored from <state_dir>/dm.db. */
    if (cwmp_dm_new(&a->dm, NULL,
                    cwmp_dm_schema_builtin(a->conf.root == CONF_ROOT_IGD ? CWMP_DM_MODEL_IGD
                                                                         : CWMP_DM_MODEL_DEVICE2),
                    NULL) != 0) {
        logf_(a, "cannot create the data model");
        return 1;
    }
    path_join(path, sizeof(path), a->dir, "dm.db");
    filestore_init(&a->fs, path);
    filestore_bind(&a->fs, &st);
    cwmp_dm_set_store(a->dm, &st);
    int fresh = access(path, F_OK) != 0; /* first start, or after a FactoryReset */
    if (!fresh && cwmp_dm_load(a->dm) != 0)
        logf_(a, "%s: not loaded: %s", path, cwmp_dm_error_detail(a->dm));

    /* Network: HTTPS client towards the HMS, the connection-request listener. */
    if (net_new(&a->net, a->conf.root_ca, a->conf.cert, a->conf.key, 30000, err, sizeof(err))) {
        logf_(a, "%s", err);
        return 1;
    }
    /* The example runs on loopback: listen where ConnectionRequestURL points. */
    a->cr_fd = net_cr_listen(a->net, CR_HOST, a->conf.cr_port, "/cr", cr_password, a);
    if (a->cr_fd < 0) {
        logf_(a, "connection-request listener on port %u: error %d", (unsigned) a->conf.cr_port,
              a->cr_fd);
        return 1;
    }
    path_join(path, sizeof(path), a->dir, "ctl.sock");
    a->ctl_fd = ctlsock_listen(path, err, sizeof(err));
    if (a->ctl_fd < 0) {
        logf_(a, "%s: %s", path, err);
        return 1;
    }
    dm_factory(a);
    if (fresh) {
        /* The factory values are the device's starting point, not changes:
         * the BOOTSTRAP Inform carries them as forced parameters, without a
         * "4 VALUE CHANGE" (TR-069 3.2.1 reports changes since the last
         * Inform; there was none). Mark them as reported. */
        struct cwmp_dm_result r = CWMP_DM_RESULT_INIT;
        if (cwmp_dm_poll(a->dm) >= 0 && cwmp_dm_inform_params(a->dm, &r, NULL) == 0)
            cwmp_dm_inform_done(a->dm, true);
        cwmp_dm_result_free(&r);
        if (cwmp_dm_save(a->dm) != 0)
            logf_(a, "cannot save the data model: %s", cwmp_dm_error_detail(a->dm));
    }

    /* The CPE engine, its records restored from <state_dir>/cpe-*.rec. */
    a->cb.save = save_cb;
    a->cb.random = random_cb;
    a->cb.session_end = session_end_cb;
    a->cb.user_data = a;
    cfg.callbacks = &a->cb;
    cfg.dm = a->dm;
    cfg.trace = trace_hook;
    cfg.trace_user_data = a;
    cfg.device_id.manufacturer = a->conf.manufacturer;
    cfg.device_id.oui = a->conf.oui;
    cfg.device_id.product_class = a->conf.product_class;
    cfg.device_id.serial_number = a->conf.serial;
    if (cwmp_cpe_new(&a->cpe, &cfg) != 0) {
        logf_(a, "cannot create the CPE agent");
        return 1;
    }
    for (int k = CWMP_CPE_REC_EVENTS; k <= CWMP_CPE_REC_REQUESTS; k++) {
        size_t len;
        char *data;
        path_join(path, sizeof(path), a->dir, rec_names[k]);
        if ((data = read_whole(path, &len, 16 * 1024 * 1024)) != NULL) {
            if (cwmp_cpe_restore(a->cpe, (enum cwmp_cpe_record) k, data, len) != 0)
                logf_(a, "%s: not restored: %s", path, cwmp_cpe_error_detail(a->cpe));
            free(data);
        }
    }
    cwmp_cpe_start(a->cpe, now_ms(), CWMP_CPE_START_BOOT);

    /* The SeGW tunnel first when the factory settings name one (F2). */
    if (a->conf.initial_segw && tunnel_up(a, a->conf.initial_segw) != 0)
        return 1;
    if (a->verbose)
        logf_(a, "running: root %s, CR port %u, state %s", a->root, (unsigned) net_cr_port(a->net),
              a->dir);
    printf("hnb-agent: ready, connection requests on port %u\n", (unsigned) net_cr_port(a->net));
    fflush(stdout);

    while (!g_stop) {
        int64_t now = now_ms(), deadline, wait_ms;
        struct pollfd p[2];

        cwmp_cpe_handle_timeout(a->cpe, now);
        cwmp_cpe_check_changes(a->cpe); /* active notifications start a session */
        if (cwmp_cpe_want_session(a->cpe))
            run_session(a);

        /* Reboot and FactoryReset stay pending in the engine until the
         * program restarts: leave the loop on them. */
        while (!reexec && cwmp_cpe_next_action(a->cpe, &act) == 1) {
            if (act.kind == CWMP_CPE_ACTION_REBOOT) {
                trace_note(a, "Reboot (CommandKey %s)", act.command_key ? act.command_key : "");
                reexec = 1;
            } else if (act.kind == CWMP_CPE_ACTION_FACTORY_RESET) {
                trace_note(a, "FactoryReset");
                reexec = 2;
            } else if (act.kind == CWMP_CPE_ACTION_TRANSFER) {
                char detail[256];
                int64_t start = now_ms();
                test_crash_point("transfer");
                uint32_t fault = run_transfer(a, &act.transfer, detail, sizeof(detail));
                if (fault)
                    trace_note(a, "transfer failed: %u %s", (unsigned) fault, detail);
                cwmp_cpe_transfer_done(a->cpe, act.transfer.id, fault, fault ? detail : NULL, start,
                                       now_ms());
            }
        }
        if (reexec)
            break;
        if (a->reboot_requested) {
            trace_note(a, "reboot (local)");
            reexec = 1;
            break;
        }
        pm_tick(a, now_ms());

        deadline = cwmp_cpe_next_deadline(a->cpe);
        if (a->pm_next_ms && (deadline < 0 || a->pm_next_ms < deadline))
            deadline = a->pm_next_ms;
        now = now_ms();
        wait_ms = deadline < 0 ? 1000 : deadline - now;
        if (wait_ms > 1000) /* re-check PM settings and changes every second */
            wait_ms = 1000;
        if (wait_ms < 0)
            wait_ms = 0;
        if (cwmp_cpe_want_session(a->cpe))
            wait_ms = 0;
        p[0].fd = a->cr_fd;
        p[0].events = POLLIN;
        p[1].fd = a->ctl_fd;
        p[1].events = POLLIN;
        p[0].revents = p[1].revents = 0;
        if (poll(p, 2, (int) wait_ms) > 0) {
            if ((p[0].revents & POLLIN) && net_cr_serve(a->net, 0) == 1) {
                trace_msg(a, "HMS-S", own_lane(a), "Connection request (HTTP GET /cr, 200 OK)",
                          NULL);
                cwmp_cpe_connection_request(a->cpe);
            }
            if (p[1].revents & POLLIN)
                ctl_serve(a);
        }
    }

    cwmp_cpe_free(a->cpe);
    a->cpe = NULL;
    cwmp_dm_save(a->dm);
    cwmp_dm_free(a->dm);
    a->dm = NULL;
    net_free(a->net);
    a->net = NULL;
    close(a->ctl_fd);
    path_join(path, sizeof(path), a->dir, "ctl.sock");
    unlink(path);
    if (reexec == 2)
        remove_state(a);
    if (reexec) {
        fflush(NULL);
        execv("/proc/self/exe", a->argv);
        logf_(a, "re-exec failed: %s", strerror(errno));
        exit_code = 1;
    }
    return exit_code;
}

int main(int argc, char **argv)
{
    struct agent a;
    struct sigaction sa;
    int argi = 1, rc;

    if (argc >= 2 && !strcmp(argv[1], "ctl"))
        return ctl_main(argc - 2, argv + 2);
    memset(&a, 0, sizeof(a));
    a.argv = argv;
    a.cr_fd = a.ctl_fd = -1;
    if (argi < argc && !strcmp(argv[argi], "-v")) {
        a.verbose = 1;
        argi++;
    }
    if (argi + 1 != argc)
        return usage();
    if (load_conf(&a, argv[argi]) != 0)
        return 2;
    if (getenv("HNB_AGENT_TEST_CRASH") && strcmp(getenv("HNB_AGENT_TEST_CRASH"), "transfer")) {
        fprintf(stderr, "hnb-agent: HNB_AGENT_TEST_CRASH: only \"transfer\" is known\n");
        conf_free(a.doc);
        return 2;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    rc = agent_run(&a);
    if (a.cpe)
        cwmp_cpe_free(a.cpe);
    if (a.dm)
        cwmp_dm_free(a.dm);
    net_free(a.net);
    conf_free(a.doc);
    return rc;
}
