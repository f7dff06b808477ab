/*
 * libcwmp examples - the HMS program's ACS side: what the HMS does in each
 * CWMP session (Inform -> registry -> policy -> plan -> RPCs).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <cwmp/acs.h>

#include "cmfile.h"
#include "ctl.h"
#include "filestore.h"
#include "inform.h"
#include "location.h"
#include "plan.h"
#include "provision.h"
#include "server_int.h"
#include "trace.h"

#define logf_      hms_log
#define trace_note hms_trace_note
#define trace_out  hms_trace_out
#define wall_ms    hms_wall_ms
#define now_ms     hms_now_ms

/* HMS_TEST_CRASH (a test aid, see hms_test_crash_parse()): the process
 * exits abruptly at one exact point of a session, as a crash would. */
struct crash {
    int when; /* 0 off, 1 on receiving the message, 2 once the peer has it */
    char msg[48];
    unsigned n, seen;
    int armed; /* when = 2: the message was just sent (moved to its hms_conn) */
};

struct hms_acs {
    struct hms_server *srv;
    struct cwmp_acs_callbacks cb;
    struct cwmp_acs_config cfg;
    struct crash crash;
};

struct hms_conn {
    struct cwmp_acs_session *as;
    struct hms_acs *acs;
    int crash_armed; /* HMS_TEST_CRASH sent:...: this session sent the message */
};

/* One CWMP session (one connection). */
struct sess {
    struct hms_server *srv;
    int64_t dev_id;
    enum conf_root root;
    enum conf_rat rat;
    const struct conf_policy *pol;
    struct hms_plan plan;
    int planned;
    size_t next;     /* next step */
    int prov_failed; /* an SPV or Download of the plan was refused */
    /* alarm configuration: GetParameterValues of SupportedAlarm, then SPV */
    uint64_t gpv_tag;             /* tag of the GPV in flight (0: none) */
    struct conf_policy alarm_pol; /* AlarmConfig task: its one alarm line */
    char *alarm_cause;            /* its payload (alarm_pol points into it) */
    const struct conf_policy *gpv_pol;
    struct prov_list follow; /* the SPV to send next */
    uint64_t follow_tag;     /* its tag (that of the step it belongs to) */
    const char *gpv_name[1];
    struct prov_list keep; /* storage of the follow SPV being sent */
    int has_keep;
    char dev_key[200]; /* for logs and the trace */
    /* storage of the request being encoded */
    struct cwmp_param_value *pv;
    struct cmfile *cm;
    char *text;
    char url[600];
    char dl_name[96];
    char ck[33]; /* CommandKey of a task's Download: "task-<id>" */
    /* tasks this session turned sent: re-queued when no answer came */
    int64_t sent_task[HMS_MAX_TASKS];
    size_t nsent_task;
    /* connection-request credentials planned for this device (stored once
     * the device accepted them) */
    char cr_user[HMS_REGISTRY_MAX_ID + 1];
    char cr_pass[HMS_REGISTRY_MAX_ID + 1];
    /* the pair stored before, put back when the device refuses the new one */
    char old_user[HMS_REGISTRY_MAX_ID + 1];
    char old_pass[HMS_REGISTRY_MAX_ID + 1];
};

static void task_sent(struct sess *x, int64_t task_id);

/* ---- test aid: HMS_TEST_CRASH ------------------------------------------------ */

static int crash_parse(const char *spec, struct crash *c, char *err, size_t errlen)
{
    struct crash tmp = {0};
    const char *p = spec, *colon;
    size_t ml;
    if (!strncmp(p, "recv:", 5))
        tmp.when = 1;
    else if (!strncmp(p, "sent:", 5))
        tmp.when = 2;
    else
        goto bad;
    p += 5;
    colon = strchr(p, ':');
    ml = colon ? (size_t) (colon - p) : strlen(p);
    if (ml == 0 || ml >= sizeof(tmp.msg))
        goto bad;
    for (size_t i = 0; i < ml; i++)
        if (!((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= 'a' && p[i] <= 'z') ||
              (p[i] >= '0' && p[i] <= '9') || p[i] == '_'))
            goto bad;
    memcpy(tmp.msg, p, ml);
    tmp.n = 1;
    if (colon) {
        char *end;
        unsigned long n = strtoul(colon + 1, &end, 10);
        if (end == colon + 1 || *end || n < 1 || n > 1000000)
            goto bad;
        tmp.n = (unsigned) n;
    }
    if (c)
        *c = tmp;
    return 0;
bad:
    snprintf(err, errlen,
             "HMS_TEST_CRASH=%s: expected recv:<Message>[:<n>] or sent:<Message>[:<n>]", spec);
    return -1;
}

int hms_test_crash_parse(const char *spec, char *err, size_t errlen)
{
    return crash_parse(spec, NULL, err, errlen);
}

static void crash_now(const struct crash *c)
{
    char line[160];
    int n = snprintf(line, sizeof(line), "hms: HMS_TEST_CRASH %s:%s:%u: exiting (status %d)\n",
                     c->when == 1 ? "recv" : "sent", c->msg, c->n, HMS_TEST_CRASH_STATUS);
    if (n > 0)
        (void) !write(2, line, (size_t) n < sizeof(line) ? (size_t) n : sizeof(line) - 1);
    _exit(HMS_TEST_CRASH_STATUS); /* no cleanup, no flush: as a crash */
}

/* The message's name as the knob spells it: method, + "Response" for a
 * response; "Fault"; "Empty" for an empty body. */
static void crash_check(struct crash *c, const struct cwmp_trace *t)
{
    char name[80];
    if (!c->when || c->seen >= c->n)
        return;
    if (t->empty)
        snprintf(name, sizeof(name), "Empty");
    else if (t->kind == CWMP_RPC_FAULT)
        snprintf(name, sizeof(name), "Fault");
    else
        snprintf(name, sizeof(name), "%s%s", t->method_name ? t->method_name : "",
                 t->kind == CWMP_RPC_RESPONSE ? "Response" : "");
    if ((c->when == 1) != (t->dir == CWMP_TRACE_RECEIVED) || strcmp(name, c->msg) != 0)
        return;
    if (++c->seen < c->n)
        return;
    if (c->when == 1)
        crash_now(c); /* before the HMS acts on the message */
    c->armed = 1;     /* at the next message of the session, or its end */
}

/* ---- trace ---------------------------------------------------------------- */

static void on_trace(const struct cwmp_trace *t, void *user)
{
    struct hms_server *s = user;
    if (s->acs)
        crash_check(&s->acs->crash, t);
    if (!s->trace)
        return;
    char label[160];
    if (t->empty)
        snprintf(label, sizeof(label), "(empty)");
    else if (t->kind == CWMP_RPC_FAULT)
        snprintf(label, sizeof(label), "Fault %u", (unsigned) t->fault_code);
    else if (t->event_count)
        snprintf(label, sizeof(label), "%s %s%s", t->method_name, t->events[0],
                 t->event_count > 1 ? ",..." : "");
    else if (t->param_count)
        snprintf(label, sizeof(label), "%s%s (%zu)", t->method_name,
                 t->kind == CWMP_RPC_RESPONSE ? "Response" : "", t->param_count);
    else
        snprintf(label, sizeof(label), "%s%s", t->method_name,
                 t->kind == CWMP_RPC_RESPONSE ? "Response" : "");
    struct ex_buf b;
    ex_buf_init(&b, NULL, 0);
    const char *hms = s->conf->role == CONF_HMS_INITIAL ? "hms-initial" : "hms-serving";
    if (t->dir == CWMP_TRACE_RECEIVED)
        trace_write_message(&b, wall_ms(), "hms", "device", hms, label, t->id ? t->id : "");
    else
        trace_write_message(&b, wall_ms(), "hms", hms, "device", label, t->id ? t->id : "");
    trace_out(s, &b);
}

/* ---- the session ------------------------------------------------------------ */

static void sess_clear_req(struct sess *x)
{
    x->ck[0] = '\0';
    if (x->has_keep) {
        prov_list_free(&x->keep);
        x->has_keep = 0;
    }
    free(x->pv);
    x->pv = NULL;
    cmfile_free(x->cm);
    x->cm = NULL;
    free(x->text);
    x->text = NULL;
}

static void wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
}

/* Per-device connection-request credentials (doc/examples.md, "Connection
 * requests"): username <OUI>-<serial> (the serial alone when that is too
 * long), password 16 bytes of getrandom(2) in hex. -1 when the kernel's
 * CSPRNG cannot be read: the device then gets none. */
static int gen_cr_credentials(struct sess *x, const struct hms_device_id *id)
{
    unsigned char rnd[16];
    size_t got = 0;
    while (got < sizeof(rnd)) {
        ssize_t r = getrandom(rnd + got, sizeof(rnd) - got, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        got += (size_t) r;
    }
    size_t lo = strlen(id->oui), ls = strlen(id->serial);
    if (ls > HMS_REGISTRY_MAX_ID)
        return -1; /* the registry refused such a serial already */
    if (lo + 1 + ls <= HMS_REGISTRY_MAX_ID) {
        memcpy(x->cr_user, id->oui, lo);
        x->cr_user[lo] = '-';
        memcpy(x->cr_user + lo + 1, id->serial, ls + 1);
    } else
        memcpy(x->cr_user, id->serial, ls + 1);
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof(rnd); i++) {
        x->cr_pass[2 * i] = hex[rnd[i] >> 4];
        x->cr_pass[2 * i + 1] = hex[rnd[i] & 15];
    }
    x->cr_pass[2 * sizeof(rnd)] = '\0';
    wipe(rnd, sizeof(rnd));
    return 0;
}

/* The device opened a session with "6 CONNECTION REQUEST": its pending
 * ConnectionRequest tasks (e.g. one waiting to be retried) are done. */
struct cr_done {
    int64_t id[HMS_MAX_TASKS];
    size_t n;
};

static int cr_done_cb(const struct hms_task *t, void *ud)
{
    struct cr_done *c = ud;
    if (!strcmp(t->kind, "ConnectionRequest") && c->n < HMS_MAX_TASKS)
        c->id[c->n++] = t->id;
    return 0;
}

/* A parameter whose value stays out of the logs (…Password). */
static int is_secret(const char *name)
{
    size_t n = strlen(name);
    return n >= 8 && !strcmp(name + n - 8, "Password");
}

static void sess_free(struct sess *x)
{
    sess_clear_req(x);
    if (x->follow_tag)
        prov_list_free(&x->follow);
    free(x->alarm_cause);
    if (x->planned)
        hms_plan_free(&x->plan);
    wipe(x->cr_pass, sizeof(x->cr_pass));
    wipe(x->old_pass, sizeof(x->old_pass));
    free(x);
}

static int params_to_spv(struct sess *x, const struct cmfile_param *p, size_t n,
                         struct cwmp_acs_request *req)
{
    x->pv = calloc(n ? n : 1, sizeof(*x->pv));
    if (!x->pv)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const char *tn = cmfile_type_name(p[i].type);
        x->pv[i].name = p[i].name;
        x->pv[i].value = p[i].value;
        x->pv[i].type = cwmp_type_from_name(tn, strlen(tn));
    }
    req->rpc.method = CWMP_METHOD_SET_PARAMETER_VALUES;
    req->rpc.kind = CWMP_RPC_REQUEST;
    req->rpc.u.set_parameter_values.params = x->pv;
    req->rpc.u.set_parameter_values.param_count = n;
    req->rpc.u.set_parameter_values.parameter_key = "hms";
    return 0;
}

static int write_file(const char *dir, const char *name, const char *data, size_t len)
{
    char path[1024];
    if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int) sizeof(path))
        return -1;
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return -1;
    int ok = fwrite(data, 1, len, fp) == len;
    return (fclose(fp) == 0 && ok) ? 0 : -1;
}

/* A Download of CM file @p name (already in file_dir) of @p size bytes. */
static int make_download(struct sess *x, const char *name, size_t size,
                         struct cwmp_acs_request *req)
{
    if (!x->srv->file_url)
        return -1;
    snprintf(x->url, sizeof(x->url), "%s/%s", x->srv->file_url, name);
    req->rpc.method = CWMP_METHOD_DOWNLOAD;
    req->rpc.kind = CWMP_RPC_REQUEST;
    struct cwmp_download *d = &req->rpc.u.download;
    d->command_key = x->ck[0] ? x->ck : "hms-cm";
    d->file_type = "3 Vendor Configuration File";
    d->url = x->url;
    /* the file server accepts the PM credentials of any policy: the
     * device's own policy's, else the first policy that has some */
    const struct conf_policy *cp =
        x->pol && x->pol->pm_username && x->pol->pm_password ? x->pol : NULL;
    for (size_t i = 0; !cp && i < x->srv->conf->npolicies; i++)
        if (x->srv->conf->policies[i].pm_username && x->srv->conf->policies[i].pm_password)
            cp = &x->srv->conf->policies[i];
    d->username = cp ? cp->pm_username : "";
    d->password = cp ? cp->pm_password : "";
    d->file_size = (uint32_t) size;
    d->target_file_name = name;
    d->success_url = "";
    d->failure_url = "";
    return 0;
}

/* Builds the RPC of a queued task; 1 = sent, 0 = nothing to send (done or
 * failed here), -1 = error. */
static int task_request(struct sess *x, const struct hms_step *st, struct cwmp_acs_request *req)
{
    struct hms_server *s = x->srv;
    if (!strcmp(st->task_kind, "FactoryReset")) {
        req->rpc.method = CWMP_METHOD_FACTORY_RESET;
        req->rpc.kind = CWMP_RPC_REQUEST;
        return 1;
    }
    if (!strcmp(st->task_kind, "DeprovisionSPV")) {
        struct prov_list l;
        prov_list_init(&l, NULL);
        if (prov_deprovision(x->root, x->rat, s->conf->url, &l) != 0) {
            prov_list_free(&l);
            return -1;
        }
        /* keep the list alive through x->cm-like storage: copy into a cmfile text */
        char *xml = NULL;
        size_t len = 0;
        struct cmfile_error ce;
        int rv = cmfile_write(l.v, l.n, NULL, &xml, &len, &ce);
        prov_list_free(&l);
        if (rv != 0)
            return -1;
        x->text = xml;
        if (cmfile_parse(xml, len, NULL, NULL, &x->cm, &ce) != 0)
            return -1;
        return params_to_spv(x, x->cm->params, x->cm->count, req) == 0 ? 1 : -1;
    }
    return 0;
}

/* Fetches a task's payload (a copy). */
struct task_find {
    int64_t id;
    char *data;
    size_t len;
};

static int task_find_cb(const struct hms_task *t, void *ud)
{
    struct task_find *f = ud;
    if (t->id != f->id)
        return 0;
    f->data = malloc(t->payload_len + 1);
    if (f->data) {
        if (t->payload_len)
            memcpy(f->data, t->payload, t->payload_len);
        f->data[t->payload_len] = '\0';
        f->len = t->payload_len;
    }
    return 1;
}

/* A task's status now (-1: not this device's), and whether its result
 * says it was re-queued after a cut-off session. */
struct task_peek {
    int64_t id;
    int status;
    int requeued;
};

static int task_peek_cb(const struct hms_task *t, void *ud)
{
    struct task_peek *p = ud;
    if (t->id != p->id)
        return 0;
    p->status = (int) t->status;
    p->requeued = t->result && !strncmp(t->result, "re-queued", 9);
    return 1;
}

static struct task_peek task_peek(struct hms_server *s, int64_t dev_id, int64_t id)
{
    struct task_peek p = {id, -1, 0};
    if (hms_registry_list_tasks(s->reg, dev_id, -1, task_peek_cb, &p) != 0)
        p.status = -1;
    return p;
}

static int task_payload_request(struct sess *x, const struct hms_step *st,
                                struct cwmp_acs_request *req)
{
    struct hms_server *s = x->srv;
    struct task_find f = {st->task_id, NULL, 0};
    hms_registry_list_tasks(s->reg, x->dev_id, -1, task_find_cb, &f);
    if (!f.data)
        return -1;
    struct cmfile_error ce;
    if (!strcmp(st->task_kind, "SetParameterValues")) {
        x->text = f.data;
        if (cmfile_parse(f.data, f.len, NULL, NULL, &x->cm, &ce) != 0)
            return -1;
        return params_to_spv(x, x->cm->params, x->cm->count, req) == 0 ? 1 : -1;
    }
    /* Download: the payload is the path of a CM file on the HMS host
     * (then, after a newline, the DelaySeconds, when not 0); copy it into
     * the file store under a CM file name and push it. */
    uint32_t delay = 0;
    char *nl = strchr(f.data, '\n');
    if (nl) {
        char *end;
        unsigned long v = strtoul(nl + 1, &end, 10);
        if (end == nl + 1 || *end || v > HMS_MAX_DOWNLOAD_DELAY_S) {
            free(f.data);
            return -1;
        }
        *nl = '\0';
        delay = (uint32_t) v;
    }
    FILE *fp = fopen(f.data, "rb");
    free(f.data);
    if (!fp || !s->conf->file_dir)
        goto fail;
    char *buf = malloc(HMS_MAX_BODY);
    if (!buf) {
        fclose(fp);
        return -1;
    }
    size_t n = fread(buf, 1, HMS_MAX_BODY, fp);
    int whole = feof(fp) && !ferror(fp);
    fclose(fp);
    x->text = buf;
    if (!whole) /* larger than the file server would serve, or unreadable */
        goto fail;
    char name[96];
    snprintf(name, sizeof(name), "cm-task-%lld.xml", (long long) st->task_id);
    if (write_file(s->conf->file_dir, name, buf, n) != 0)
        goto fail;
    snprintf(x->dl_name, sizeof(x->dl_name), "%s", name);
    snprintf(x->ck, sizeof(x->ck), "task-%lld", (long long) st->task_id);
    if (make_download(x, x->dl_name, n, req) != 0)
        return -1;
    req->rpc.u.download.delay_seconds = delay;
    return 1;
fail:
    return -1;
}

static int product_class_is_henb(const char *pc)
{
    for (; pc && *pc; pc++)
        if ((pc[0] == 'H' || pc[0] == 'h') && (pc[1] == 'e' || pc[1] == 'E') &&
            (pc[2] == 'N' || pc[2] == 'n') && (pc[3] == 'B' || pc[3] == 'b'))
            return 1;
    return 0;
}

struct task_list {
    struct hms_plan_task *t;
    size_t *n;
    char kinds[HMS_MAX_TASKS][65];
};

static int task_list_cb(const struct hms_task *t, void *ud)
{
    struct task_list *tl = ud;
    if (*tl->n >= HMS_MAX_TASKS)
        return 1;
    if (!strcmp(t->kind, "ConnectionRequest"))
        return 0; /* sent by the HMS itself, not in a session */
    snprintf(tl->kinds[*tl->n], sizeof(tl->kinds[0]), "%s", t->kind);
    tl->t[*tl->n].id = t->id;
    tl->t[*tl->n].kind = tl->kinds[*tl->n];
    (*tl->n)++;
    return 0;
}

/* A step of recording an Inform that carries optional data: a value the
 * registry refuses (too long, control characters) is logged and left out;
 * a store failure fails the whole Inform. */
static int inform_step(struct hms_server *s, struct sess *x, const char *what, int rv)
{
    if (rv == CWMP_ERR_BAD_VALUE) {
        logf_(s, "%s: %s left out: %s", x->dev_key, what, hms_registry_errmsg(s->reg));
        return 0;
    }
    return rv;
}

static int on_inform(struct cwmp_acs_session *as, const struct cwmp_envelope *env, void *user)
{
    struct hms_server *s = user;
    const struct cwmp_inform *inf = &env->rpc.u.inform;
    struct sess *x = calloc(1, sizeof(*x));
    if (!x)
        return CWMP_FAULT_ACS_INTERNAL_ERROR;
    x->srv = s;
    cwmp_acs_session_set_user(as, x);
    size_t n = inf->param_count;
    const char **names = calloc(n + 1, sizeof(*names));
    const char **values = calloc(n + 1, sizeof(*values));
    const char **events = calloc(inf->event_count + 1, sizeof(*events));
    int fault = CWMP_FAULT_ACS_INTERNAL_ERROR;
    struct hms_device *dev = NULL;
    struct hms_plan_task tasks[HMS_MAX_TASKS];
    size_t ntasks = 0;
    struct task_list *tl = calloc(1, sizeof(*tl));
    if (!names || !values || !events || !tl)
        goto out;
    /* HNB or HeNB: the RAT of the REM cells reported, else a ProductClass
     * naming "HeNB", else HNB (both FAPControl.UMTS and .LTE are forced
     * Inform parameters, so they do not tell). */
    int lte = -1;
    for (size_t i = 0; i < n; i++) {
        names[i] = inf->params[i].name;
        values[i] = inf->params[i].value;
        if (getenv("HMS_DEBUG_INFORM"))
            logf_(s, "  inform %s = %s", names[i], values[i]);
        if (strstr(names[i], ".REM.LTE."))
            lte = 1;
        else if (strstr(names[i], ".REM.UMTS."))
            lte = 0;
    }
    if (lte < 0)
        lte = product_class_is_henb(inf->device_id.product_class);
    for (size_t i = 0; i < inf->event_count; i++)
        events[i] = inf->events[i].code;
    struct inform_digest d;
    inform_digest(names, values, n, events, inf->event_count, &d);
    char evs[512];
    inform_events_join(events, inf->event_count, evs, sizeof(evs));
    struct hms_device_id id = {inf->device_id.oui, inf->device_id.product_class,
                               inf->device_id.serial_number};
    snprintf(x->dev_key, 150, "%s-%s-%s", id.oui, id.product_class, id.serial);
    int bootstrap = (d.events & INFORM_EV_BOOTSTRAP) != 0;
    enum hms_role role = s->conf->role == CONF_HMS_INITIAL   ? HMS_ROLE_INITIAL
                         : s->conf->role == CONF_HMS_SERVING ? HMS_ROLE_SERVING
                         : bootstrap                         ? HMS_ROLE_INITIAL
                                                             : HMS_ROLE_SERVING;
    enum hms_dev_state state;
    /* Everything this Inform records is one transaction: one commit, and a
     * store failure leaves none of it (the device's next Inform retries). */
    if (hms_registry_begin(s->reg) != 0) {
        logf_(s, "%s: registry: %s", x->dev_key, hms_registry_errmsg(s->reg));
        goto out;
    }
    int rv = hms_registry_inform(s->reg, &id, lte ? HMS_DEV_HENB : HMS_DEV_HNB, role, wall_ms(),
                                 evs, &x->dev_id, &state);
    if (rv == 0 && d.root != HMS_ROOT_UNKNOWN)
        rv = hms_registry_set_root(s->reg, x->dev_id, d.root);
    if (rv == 0 && (d.cr_url || d.inner_ip))
        rv = inform_step(s, x, "contact",
                         hms_registry_set_contact(s->reg, x->dev_id, d.cr_url, d.inner_ip));
    for (size_t i = 0; rv == 0 && i < d.nalarms; i++) {
        d.alarms[i].received_ms = wall_ms();
        rv = inform_step(s, x, "alarm", hms_registry_add_alarm(s->reg, x->dev_id, &d.alarms[i]));
    }
    if (rv == 0 && bootstrap)
        /* the device lost its configuration (FactoryReset, first start):
         * it has its factory connection-request credentials again */
        rv = hms_registry_set_cr_credentials(s->reg, x->dev_id, NULL, NULL);
    if (rv == 0 && (d.events & INFORM_EV_CONNECTION_REQUEST)) {
        struct cr_done c = {{0}, 0};
        rv = hms_registry_list_tasks(s->reg, x->dev_id, HMS_TASK_PENDING, cr_done_cb, &c);
        for (size_t i = 0; rv == 0 && i < c.n; i++)
            rv = hms_registry_set_task(s->reg, c.id[i], HMS_TASK_DONE,
                                       "device opened a session (6 CONNECTION REQUEST)");
    }
    if (rv == 0)
        rv = hms_registry_get(s->reg, x->dev_id, &dev);
    /* pending tasks, oldest first */
    tl->t = tasks;
    tl->n = &ntasks;
    if (rv == 0)
        rv = hms_registry_list_tasks(s->reg, x->dev_id, HMS_TASK_PENDING, task_list_cb, tl);
    if (rv == 0)
        rv = hms_registry_commit(s->reg);
    else
        hms_registry_rollback(s->reg);
    if (rv != 0) {
        logf_(s, "%s: Inform not recorded: %s", x->dev_key, hms_registry_errmsg(s->reg));
        x->dev_id = 0; /* a new device's row is gone with the rollback */
        goto out;
    }
    x->root = dev->root == HMS_ROOT_IGD ? CONF_ROOT_IGD : CONF_ROOT_DEVICE;
    x->rat = lte ? CONF_RAT_LTE : CONF_RAT_UMTS;
    struct conf_device_info di = {id.oui, id.product_class, id.serial, x->rat, 0, 0, 0, NULL, 0};
    loc_fill_device_info(&d.loc, &di);
    x->pol = conf_policy_select(s->conf, &di);
    struct hms_plan_input in = {0};
    in.role = s->conf->role;
    in.own_url = s->conf->url;
    in.dev = dev;
    in.root = x->root;
    in.policy = x->pol;
    in.bootstrap = bootstrap;
    in.tasks = tasks;
    in.ntasks = ntasks;
    /* registration at the serving HMS: new credentials of its own, unless
     * the operator runs one fixed pair (--cr-fixed) */
    if ((s->conf->role & CONF_HMS_SERVING) && !s->opts.cr_fixed &&
        dev->state != HMS_STATE_DEPROVISIONED &&
        (dev->state != HMS_STATE_REGISTERED || bootstrap)) {
        if (gen_cr_credentials(x, &id) == 0) {
            in.cr_username = x->cr_user;
            in.cr_password = x->cr_pass;
        } else
            logf_(s, "%s: no CSPRNG: no connection-request credentials of its own", x->dev_key);
    }
    if (hms_plan_session(&in, NULL, &x->plan) != 0)
        goto out;
    x->planned = 1;
    logf_(s, "%s: Inform [%s] state %s policy %s, %zu steps%s", x->dev_key, evs,
          hms_dev_state_name(state), x->pol ? x->pol->name : "(none)", x->plan.n,
          x->plan.refused ? " (de-provisioned: refused)" : "");
    if (x->plan.refused)
        trace_note(s, "hms-serving", "device de-provisioned: registration refused");
    fault = 0;
out:
    hms_device_free(s->reg, dev);
    free(names);
    free(values);
    free(events);
    free(tl);
    return fault;
}

/* The CM file of a DOWNLOAD_CM step: the plan's parameters (serving
 * elements, IPsec, `set` lines), then those of the policy's `cm_file` when
 * it can be read (a parameter named in both: the cm_file's value). Into
 * x->text. */
static int cm_file_text(struct sess *x, const struct hms_step *st, size_t *len)
{
    struct cmfile *extra = NULL;
    struct cmfile_error ce;
    const char *path = x->pol ? x->pol->cm_file : NULL;
    FILE *fp = path ? fopen(path, "rb") : NULL;
    if (fp) {
        char *buf = malloc(HMS_MAX_BODY);
        size_t n = buf ? fread(buf, 1, HMS_MAX_BODY, fp) : 0;
        fclose(fp);
        if (buf && cmfile_parse(buf, n, NULL, NULL, &extra, &ce) != 0) {
            logf_(x->srv, "%s: line %d: %s (ignored)", path, ce.line, ce.msg);
            extra = NULL;
        }
        free(buf);
    }
    size_t n = st->params.n + (extra ? extra->count : 0);
    struct cmfile_param *all = calloc(n ? n : 1, sizeof(*all));
    int rv = -1;
    if (all) {
        size_t k = 0;
        for (size_t i = 0; i < st->params.n; i++) {
            int dup = 0;
            for (size_t j = 0; extra && j < extra->count && !dup; j++)
                dup = !strcmp(st->params.v[i].name, extra->params[j].name);
            if (!dup)
                all[k++] = st->params.v[i];
        }
        for (size_t j = 0; extra && j < extra->count; j++)
            all[k++] = extra->params[j];
        rv = cmfile_write(all, k, NULL, &x->text, len, &ce);
    }
    free(all);
    cmfile_free(extra);
    return rv;
}

/* GetParameterValues of the SupportedAlarm table, resolved in on_response
 * against @p pol's alarm lines. */
static int alarm_gpv(struct sess *x, const struct conf_policy *pol, uint64_t tag,
                     struct cwmp_acs_request *req)
{
    x->gpv_name[0] = x->root == CONF_ROOT_IGD ? "InternetGatewayDevice.FaultMgmt.SupportedAlarm."
                                              : "Device.FaultMgmt.SupportedAlarm.";
    x->gpv_pol = pol;
    x->gpv_tag = tag;
    req->tag = tag;
    req->rpc.method = CWMP_METHOD_GET_PARAMETER_VALUES;
    req->rpc.kind = CWMP_RPC_REQUEST;
    req->rpc.u.get_parameter_values.names = x->gpv_name;
    req->rpc.u.get_parameter_values.name_count = 1;
    return 1;
}

/* The GPV answer: ProbableCause of instance i+1 -> causes[i] -> the SPV of
 * prov_alarms() in x->follow. Returns the number of parameters to set. */
static size_t alarm_follow(struct sess *x, const struct cwmp_rpc *resp, uint64_t tag)
{
    const char *causes[64] = {0};
    size_t n = 0;
    const struct cwmp_get_parameter_values_response *r = &resp->u.get_parameter_values_response;
    for (size_t i = 0; i < r->param_count; i++) {
        const char *p = strstr(r->params[i].name, "SupportedAlarm.");
        if (!p)
            continue;
        char *end;
        unsigned long k = strtoul(p + 15, &end, 10);
        if (k == 0 || k > 64 || strcmp(end, ".ProbableCause") != 0)
            continue;
        causes[k - 1] = r->params[i].value;
        if (k > n)
            n = k;
    }
    prov_list_init(&x->follow, NULL);
    x->follow_tag = tag;
    if (prov_alarms(x->gpv_pol, x->root, causes, n, &x->follow) != 0)
        x->follow.n = 0;
    return x->follow.n;
}

/* AlarmConfig task (payload "<0..3>\t<cause or *>"): the GPV, then the SPV
 * of the one alarm line. */
static int alarm_task_request(struct sess *x, const struct hms_step *st, uint64_t tag,
                              struct cwmp_acs_request *req)
{
    struct task_find f = {st->task_id, NULL, 0};
    hms_registry_list_tasks(x->srv->reg, x->dev_id, -1, task_find_cb, &f);
    if (!f.data)
        return -1;
    char *tab = strchr(f.data, '\t');
    int m = f.data[0] - '0';
    if (!tab || m < 0 || m > 3 || !tab[1]) {
        free(f.data);
        return -1;
    }
    free(x->alarm_cause);
    x->alarm_cause = f.data; /* holds the cause until the session ends */
    memset(&x->alarm_pol, 0, sizeof(x->alarm_pol));
    x->alarm_pol.alarm[0].mech = (enum conf_alarm_mech) m;
    x->alarm_pol.alarm[0].cause = tab + 1;
    x->alarm_pol.nalarm = 1;
    return alarm_gpv(x, &x->alarm_pol, tag, req);
}

static int on_next_request(struct cwmp_acs_session *as, struct cwmp_acs_request *req, void *user)
{
    struct hms_server *s = user;
    struct sess *x = cwmp_acs_session_get_user(as);
    if (!x || !x->planned)
        return 0;
    sess_clear_req(x);
    if (x->follow_tag) { /* the SPV that follows an alarm GPV */
        uint64_t tag = x->follow_tag;
        x->follow_tag = 0;
        /* x->pv points into the list: it is kept until the next request */
        x->keep = x->follow;
        x->has_keep = 1;
        if (params_to_spv(x, x->keep.v, x->keep.n, req) == 0) {
            req->tag = tag;
            logf_(s, "%s: SetParameterValues (alarm reporting, %zu)", x->dev_key, x->keep.n);
            return 1;
        }
        sess_clear_req(x);
    }
    while (x->next < x->plan.n) {
        size_t i = x->next++;
        const struct hms_step *st = &x->plan.steps[i];
        req->tag = i + 1;
        switch (st->kind) {
        case HMS_STEP_ASSIGN: {
            struct hms_assignment a = {NULL, NULL, NULL, -1};
            if (x->pol) {
                a.serving_segw = x->pol->serving_segw;
                a.serving_hms_url = x->pol->serving_hms_url;
                a.gateway = x->rat == CONF_RAT_LTE ? x->pol->s1_far_end : x->pol->hnb_gw;
                a.ipsec = x->pol->ipsec;
            }
            if (hms_registry_assign(s->reg, x->dev_id, &a) != 0) {
                logf_(s, "%s: assign: %s", x->dev_key, hms_registry_errmsg(s->reg));
            } else {
                char note[400];
                snprintf(note, sizeof(note), "assigned: SeGW %s, serving HMS %s",
                         a.serving_segw ? a.serving_segw : "-",
                         a.serving_hms_url ? a.serving_hms_url : "-");
                trace_note(s, "hms-initial", note);
            }
            continue;
        }
        case HMS_STEP_REGISTER:
            if (x->prov_failed) {
                /* the device refused its configuration: it stays discovered
                 * and is provisioned again at its next Inform */
                logf_(s, "%s: not registered: provisioning failed", x->dev_key);
                trace_note(s, "hms-serving", "registration failed: provisioning refused");
            } else if (hms_registry_register(s->reg, x->dev_id) != 0)
                logf_(s, "%s: register: %s", x->dev_key, hms_registry_errmsg(s->reg));
            else
                trace_note(s, "hms-serving", "device registered");
            continue;
        case HMS_STEP_SPV:
            if (params_to_spv(x, st->params.v, st->params.n, req) != 0)
                return 0;
            if (st->cr_credentials) {
                /* Stored as the SPV goes out: a device applies an SPV as it
                 * receives it, so if the session is cut before the
                 * response (or the HMS dies), the registry still has what
                 * the device most likely has. A fault puts the old pair back. */
                if (hms_registry_get_cr_credentials(s->reg, x->dev_id, x->old_user,
                                                    sizeof(x->old_user), x->old_pass,
                                                    sizeof(x->old_pass)) != 0)
                    x->old_user[0] = x->old_pass[0] = '\0';
                if (hms_registry_set_cr_credentials(s->reg, x->dev_id, x->cr_user, x->cr_pass) != 0)
                    logf_(s, "%s: cannot store its connection-request credentials: %s", x->dev_key,
                          hms_registry_errmsg(s->reg));
            }
            logf_(s, "%s: SetParameterValues (%s, %zu)", x->dev_key, st->why, st->params.n);
            for (size_t k = 0; k < st->params.n; k++)
                logf_(s, "  %s = %s", st->params.v[k].name,
                      is_secret(st->params.v[k].name) ? "(hidden)" : st->params.v[k].value);
            return 1;
        case HMS_STEP_DOWNLOAD_CM: {
            size_t len = 0;
            if (!s->conf->file_dir || cm_file_text(x, st, &len) != 0 ||
                write_file(s->conf->file_dir, st->file_name, x->text, len) != 0 ||
                make_download(x, st->file_name, len, req) != 0) {
                logf_(s, "%s: cannot prepare CM file %s", x->dev_key, st->file_name);
                continue;
            }
            logf_(s, "%s: Download %s", x->dev_key, x->url);
            return 1;
        }
        case HMS_STEP_READ_ALARMS:
            if (!x->pol || !x->pol->nalarm)
                continue;
            logf_(s, "%s: GetParameterValues SupportedAlarm (%s)", x->dev_key, st->why);
            return alarm_gpv(x, x->pol, i + 1, req);
        case HMS_STEP_TASK: {
            int rv;
            /* planned at the Inform; since then a TransferComplete (of a
             * Download re-queued after a cut-off session) may have ended it */
            if (task_peek(s, x->dev_id, st->task_id).status != HMS_TASK_PENDING) {
                logf_(s, "%s: task %lld no longer pending", x->dev_key, (long long) st->task_id);
                continue;
            }
            if (!strcmp(st->task_kind, "SetParameterValues") || !strcmp(st->task_kind, "Download"))
                rv = task_payload_request(x, st, req);
            else if (!strcmp(st->task_kind, "AlarmConfig"))
                rv = alarm_task_request(x, st, i + 1, req);
            else
                rv = task_request(x, st, req);
            if (rv == 1) {
                task_sent(x, st->task_id);
                logf_(s, "%s: task %lld %s", x->dev_key, (long long) st->task_id, st->task_kind);
                return 1;
            }
            sess_clear_req(x);
            hms_registry_set_task(s->reg, st->task_id, HMS_TASK_FAILED,
                                  "not supported by this HMS or bad payload");
            continue;
        }
        }
    }
    return 0;
}

static void on_response(struct cwmp_acs_session *as, uint64_t tag, const struct cwmp_rpc *resp,
                        void *user)
{
    struct hms_server *s = user;
    struct sess *x = cwmp_acs_session_get_user(as);
    if (!x || tag == 0 || tag > x->plan.n)
        return;
    const struct hms_step *st = &x->plan.steps[tag - 1];
    char result[300];
    int ok = resp->kind != CWMP_RPC_FAULT;
    if (x->gpv_tag == tag && x->gpv_tag) {
        x->gpv_tag = 0;
        size_t n =
            ok && resp->method == CWMP_METHOD_GET_PARAMETER_VALUES ? alarm_follow(x, resp, tag) : 0;
        logf_(s, "%s: SupportedAlarm read: %zu alarm(s) to configure", x->dev_key, n);
        if (n)
            return; /* the SPV follows; its answer completes the step */
        if (x->follow_tag) {
            prov_list_free(&x->follow);
            x->follow_tag = 0;
        }
        if (st->kind == HMS_STEP_TASK)
            hms_registry_set_task(s->reg, st->task_id, ok ? HMS_TASK_DONE : HMS_TASK_FAILED,
                                  ok ? "no matching alarm" : "GetParameterValues refused");
        return;
    }
    if (ok)
        snprintf(result, sizeof(result), "ok");
    else
        snprintf(result, sizeof(result), "fault %u %s", (unsigned) resp->u.fault.code,
                 resp->u.fault.string ? resp->u.fault.string : "");
    logf_(s, "%s: %s -> %s", x->dev_key, hms_step_name(st->kind), result);
    if (!ok)
        for (size_t k = 0; k < resp->u.fault.param_fault_count; k++)
            logf_(s, "  %s: %u %s", resp->u.fault.param_faults[k].name,
                  (unsigned) resp->u.fault.param_faults[k].code,
                  resp->u.fault.param_faults[k].string ? resp->u.fault.param_faults[k].string : "");
    if (!ok && (st->kind == HMS_STEP_SPV || st->kind == HMS_STEP_DOWNLOAD_CM))
        x->prov_failed = 1;
    if (st->cr_credentials) {
        if (ok)
            logf_(s, "%s: connection-request credentials set (username %s)", x->dev_key,
                  x->cr_user);
        else /* the device keeps its old pair */
            hms_registry_set_cr_credentials(s->reg, x->dev_id, x->old_user, x->old_pass);
        wipe(x->cr_pass, sizeof(x->cr_pass));
        wipe(x->old_pass, sizeof(x->old_pass));
    }
    if (ok && st->kind == HMS_STEP_TASK && !strcmp(st->task_kind, "FactoryReset"))
        /* back to its factory credentials; new ones at re-registration */
        hms_registry_set_cr_credentials(s->reg, x->dev_id, NULL, NULL);
    if (st->kind == HMS_STEP_TASK && ok && resp->method == CWMP_METHOD_DOWNLOAD &&
        resp->u.download_response.status == 1)
        /* accepted, done later: the TransferComplete with CommandKey
         * task-<id> finishes the task */
        hms_registry_set_task(s->reg, st->task_id, HMS_TASK_SENT, "download in progress");
    else if (st->kind == HMS_STEP_TASK)
        hms_registry_set_task(s->reg, st->task_id, ok ? HMS_TASK_DONE : HMS_TASK_FAILED, result);
}

static int on_cpe_request(struct cwmp_acs_session *as, const struct cwmp_rpc *req,
                          struct cwmp_rpc *resp, void *user)
{
    struct hms_server *s = user;
    struct sess *x = cwmp_acs_session_get_user(as);
    (void) resp;
    if (req->method == CWMP_METHOD_TRANSFER_COMPLETE && x) {
        const struct cwmp_transfer_complete *tc = &req->u.transfer_complete;
        char note[200];
        snprintf(note, sizeof(note), "TransferComplete %s: %u", tc->command_key,
                 (unsigned) tc->fault.code);
        logf_(s, "%s: %s", x->dev_key, note);
        trace_note(s, "hms-serving", note);
        /* a Download task (CommandKey task-<id>) of this device ends here:
         * one waiting for it, or one re-queued because the session that
         * sent it was cut off after the device had accepted it */
        if (tc->command_key && !strncmp(tc->command_key, "task-", 5)) {
            char *end;
            long long id = strtoll(tc->command_key + 5, &end, 10);
            struct task_peek p = {0, -1, 0};
            if (*end == '\0' && id > 0)
                p = task_peek(s, x->dev_id, id);
            if (p.status == HMS_TASK_SENT || (p.status == HMS_TASK_PENDING && p.requeued)) {
                char res[300];
                snprintf(res, sizeof(res), "TransferComplete %u%s%s", (unsigned) tc->fault.code,
                         tc->fault.code ? " " : "",
                         tc->fault.code && tc->fault.string ? tc->fault.string : "");
                hms_registry_set_task(s->reg, id, tc->fault.code ? HMS_TASK_FAILED : HMS_TASK_DONE,
                                      res);
            }
        }
    }
    return 0;
}

/* ---- tasks left sent by a session that ended without their answer ---------- */

/* A task turned sent in this session (kept to check at the session's end). */
static void task_sent(struct sess *x, int64_t task_id)
{
    hms_registry_set_task(x->srv->reg, task_id, HMS_TASK_SENT, "");
    if (x->nsent_task < HMS_MAX_TASKS)
        x->sent_task[x->nsent_task++] = task_id;
}

struct requeue {
    int64_t id[HMS_MAX_TASKS];
    size_t n;
};

/* A task still sent with no result got no answer (a Download the device
 * accepted says "download in progress": its TransferComplete comes later). */
static int requeue_cb(const struct hms_task *t, void *ud)
{
    struct requeue *q = ud;
    if (t->status == HMS_TASK_SENT && (!t->result || !t->result[0]) && q->n < HMS_MAX_TASKS)
        q->id[q->n++] = t->id;
    return 0;
}

static void requeue(struct hms_server *s, int64_t dev_id, const char *why)
{
    struct requeue q = {{0}, 0};
    if (hms_registry_list_tasks(s->reg, dev_id, HMS_TASK_SENT, requeue_cb, &q) != 0)
        return;
    for (size_t i = 0; i < q.n; i++) {
        hms_registry_set_task(s->reg, q.id[i], HMS_TASK_PENDING, why);
        hms_log(s, "task %lld pending again: %s", (long long) q.id[i], why);
    }
}

/* Session end: the tasks this session sent and got no answer for go back
 * to pending, so the device's next session carries them again. */
static void sess_requeue(struct sess *x)
{
    struct requeue q = {{0}, 0};
    if (!x->nsent_task ||
        hms_registry_list_tasks(x->srv->reg, x->dev_id, HMS_TASK_SENT, requeue_cb, &q) != 0)
        return;
    for (size_t k = 0; k < q.n; k++)
        for (size_t i = 0; i < x->nsent_task; i++)
            if (q.id[k] == x->sent_task[i]) {
                hms_registry_set_task(x->srv->reg, q.id[k], HMS_TASK_PENDING,
                                      "re-queued: the session ended before the answer");
                hms_log(x->srv, "%s: task %lld pending again (no answer)", x->dev_key,
                        (long long) q.id[k]);
            }
}

static int requeue_dev_cb(const struct hms_device *d, void *ud)
{
    requeue(ud, d->id, "re-queued: the HMS restarted before the answer");
    return 0;
}

int hms_acs_new(struct hms_server *s, struct hms_acs **out)
{
    struct hms_acs *a = calloc(1, sizeof(*a));
    if (!a)
        return -1;
    const char *spec = getenv("HMS_TEST_CRASH");
    char err[160];
    if (spec && *spec && crash_parse(spec, &a->crash, err, sizeof(err)) != 0) {
        free(a);
        return -1;
    }
    /* No session is open at start: a task left sent without an answer was
     * cut off by the end of the previous process (a crash, a kill). */
    hms_registry_list(s->reg, requeue_dev_cb, s);
    a->srv = s;
    a->cb.inform = on_inform;
    a->cb.next_request = on_next_request;
    a->cb.response = on_response;
    a->cb.cpe_request = on_cpe_request;
    a->cb.user_data = s;
    a->cfg.callbacks = &a->cb;
    a->cfg.trace = on_trace;
    a->cfg.trace_user_data = s;
    a->cfg.session_timeout_s = 30;
    *out = a;
    return 0;
}

void hms_acs_free(struct hms_acs *a)
{
    free(a);
}

int hms_conn_new(struct hms_acs *a, struct hms_conn **out)
{
    struct hms_conn *c = calloc(1, sizeof(*c));
    if (!c || cwmp_acs_session_new(&c->as, &a->cfg, now_ms()) != 0) {
        free(c);
        return -1;
    }
    c->acs = a;
    *out = c;
    return 0;
}

int hms_conn_recv(struct hms_conn *c, const char *body, size_t len, const char **out, size_t *olen,
                  int *done)
{
    if (c->crash_armed) /* the peer answered what the knob names: it has it */
        crash_now(&c->acs->crash);
    cwmp_acs_session_handle_timeout(c->as, now_ms());
    if (cwmp_acs_session_recv(c->as, body, len) != 0 || !cwmp_acs_session_want_send(c->as))
        return -1;
    if (cwmp_acs_session_send(c->as, out, olen) != 0)
        return -1;
    if (c->acs->crash.armed) { /* sent just now, by this session */
        c->acs->crash.armed = 0;
        c->crash_armed = 1;
    }
    *done = cwmp_acs_session_done(c->as);
    return 0;
}

void hms_conn_abort(struct hms_conn *c)
{
    if (!cwmp_acs_session_done(c->as))
        cwmp_acs_session_abort(c->as);
}

void hms_conn_free(struct hms_conn *c)
{
    if (!c)
        return;
    if (c->crash_armed) /* the session ended with the knob's message */
        crash_now(&c->acs->crash);
    struct sess *x = cwmp_acs_session_get_user(c->as);
    if (x) {
        hms_log(x->srv, "%s: session %s", x->dev_key,
                cwmp_session_result_string(cwmp_acs_session_result(c->as)));
        sess_requeue(x);
        sess_free(x);
    }
    cwmp_acs_session_free(c->as);
    free(c);
}
