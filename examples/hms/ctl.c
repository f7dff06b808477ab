/*
 * libcwmp examples - the operator commands of the example HMS (`hms ctl`).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "ctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmfile.h"
#include "provision.h"

void hms_ctl_usage(struct ex_buf *out)
{
    ex_buf_puts(out, "commands:\n"
                     "  list\n"
                     "  show DEV\n"
                     "  alarms DEV | pmfiles DEV | tasks DEV\n"
                     "  set DEV NAME TYPE VALUE\n"
                     "  push-cm DEV FILE [DELAY]\n"
                     "  connreq DEV\n"
                     "  pm DEV enable URL INTERVAL [USER [PASSWORD]] | pm DEV disable\n"
                     "  alarm-config DEV expedited|queued|logged|disabled CAUSE|*\n"
                     "  deprovision DEV [factory-reset|spv]\n"
                     "  allow DEV\n"
                     "DEV is a registry id or a unique serial number.\n");
}

static const char *roles_name(unsigned roles)
{
    switch (roles & 3u) {
    case HMS_ROLE_INITIAL: return "initial";
    case HMS_ROLE_SERVING: return "serving";
    case HMS_ROLE_INITIAL | HMS_ROLE_SERVING: return "initial+serving";
    default: return "-";
    }
}

static const char *task_status_name(enum hms_task_status s)
{
    switch (s) {
    case HMS_TASK_PENDING: return "pending";
    case HMS_TASK_SENT: return "sent";
    case HMS_TASK_DONE: return "done";
    case HMS_TASK_FAILED: return "failed";
    }
    return "?";
}

static int list_cb(const struct hms_device *d, void *ud)
{
    struct ex_buf *out = ud;
    ex_buf_printf(out, "%-4lld %-6s %-15s %-6s %-20s %-24s %s\n", (long long) d->id,
                  hms_dev_type_name(d->type), hms_dev_state_name(d->state), d->oui,
                  d->product_class, d->serial, roles_name(d->roles_seen));
    return 0;
}

struct find_ctx {
    const char *serial;
    int64_t id;
    int matches;
};

static int find_cb(const struct hms_device *d, void *ud)
{
    struct find_ctx *c = ud;
    if (!strcmp(d->serial, c->serial)) {
        c->id = d->id;
        c->matches++;
    }
    return 0;
}

/* DEV: a positive row id, or a serial number matching exactly one device. */
static int resolve(struct hms_registry *r, const char *dev, int64_t *id, struct ex_buf *err)
{
    char *end = NULL;
    long long v = strtoll(dev, &end, 10);
    if (end && *end == '\0' && end != dev && v > 0) {
        struct hms_device *d = NULL;
        if (hms_registry_get(r, v, &d) == 0) {
            hms_device_free(r, d);
            *id = v;
            return 0;
        }
    }
    struct find_ctx c = {dev, 0, 0};
    if (hms_registry_list(r, find_cb, &c) != 0) {
        ex_buf_printf(err, "registry: %s\n", hms_registry_errmsg(r));
        return 1;
    }
    if (c.matches == 1) {
        *id = c.id;
        return 0;
    }
    if (c.matches)
        ex_buf_printf(err, "%d devices have serial number '%s': use the id\n", c.matches, dev);
    else
        ex_buf_printf(err, "no device '%s'\n", dev);
    return 1;
}

static int show(struct hms_registry *r, int64_t id, struct ex_buf *out, struct ex_buf *err)
{
    struct hms_device *d = NULL;
    if (hms_registry_get(r, id, &d) != 0) {
        ex_buf_printf(err, "%s\n", hms_registry_errmsg(r));
        return 1;
    }
    /* the username only: the password never leaves the registry here */
    char cu[HMS_REGISTRY_MAX_ID + 1], cp[HMS_REGISTRY_MAX_ID + 1];
    if (hms_registry_get_cr_credentials(r, id, cu, sizeof(cu), cp, sizeof(cp)) != 0)
        cu[0] = '\0';
    memset(cp, 0, sizeof(cp));
    ex_buf_printf(out,
                  "id              %lld\n"
                  "type            %s\n"
                  "state           %s\n"
                  "DeviceId        %s / %s / %s\n"
                  "roles seen      %s\n"
                  "first seen      %lld ms\n"
                  "last Inform     %lld ms (%s)\n"
                  "CR URL          %s\n"
                  "IPsec inner IP  %s\n"
                  "serving SeGW    %s\n"
                  "serving HMS     %s\n"
                  "%-15s %s\n"
                  "IPsec           %s\n"
                  "data model      %s\n"
                  "CR credentials  %s%s%s\n",
                  (long long) d->id, hms_dev_type_name(d->type), hms_dev_state_name(d->state),
                  d->oui, d->product_class, d->serial, roles_name(d->roles_seen),
                  (long long) d->first_seen_ms, (long long) d->last_inform_ms, d->last_events,
                  d->cr_url, d->inner_ip, d->serving_segw, d->serving_hms_url,
                  d->type == HMS_DEV_HENB ? "S1 far end" : "HNB-GW", d->gateway,
                  d->ipsec < 0 ? "-"
                  : d->ipsec   ? "used"
                               : "not used",
                  hms_dev_root_name(d->root), cu[0] ? "its own (username " : "",
                  cu[0] ? cu : "none of its own: hms --cr-user/--cr-password",
                  cu[0] ? "; password not shown)" : "");
    hms_device_free(r, d);
    return 0;
}

static int alarm_cb(const struct hms_alarm *a, void *ud)
{
    ex_buf_printf(ud, "%-4lld %-24s %-12s %-13s %-10s %-9s %s / %s\n", (long long) a->id,
                  a->event_time, a->notification_type, a->perceived_severity, a->mechanism,
                  a->alarm_identifier, a->probable_cause, a->specific_problem);
    return 0;
}

static int pm_cb(const struct hms_pmfile *f, void *ud)
{
    ex_buf_printf(ud, "%-4lld %-48s %10lld bytes  %s\n", (long long) f->id, f->name,
                  (long long) f->size, f->path);
    return 0;
}

static int task_cb(const struct hms_task *t, void *ud)
{
    ex_buf_printf(ud, "%-4lld %-20s %-8s %6zu bytes  %s\n", (long long) t->id, t->kind,
                  task_status_name(t->status), t->payload_len, t->result);
    return 0;
}

static int queue(struct hms_registry *r, int64_t id, int64_t now, const char *kind,
                 const void *payload, size_t len, struct ex_buf *out, struct ex_buf *err)
{
    int64_t tid = 0;
    if (hms_registry_add_task(r, id, now, kind, payload, len, &tid) != 0) {
        ex_buf_printf(err, "%s\n", hms_registry_errmsg(r));
        return 1;
    }
    ex_buf_printf(out, "queued task %lld: %s\n", (long long) tid, kind);
    return 0;
}

static int cmd_set(struct hms_registry *r, int64_t id, char **argv, int64_t now, struct ex_buf *out,
                   struct ex_buf *err)
{
    enum cmfile_type t;
    if (cmfile_type_from_name(argv[1], &t) != 0) {
        ex_buf_printf(err, "unknown type '%s'\n", argv[1]);
        return 1;
    }
    struct cmfile_param p = {argv[0], argv[2], t, 0};
    struct cmfile_error ce;
    char *xml = NULL;
    size_t len = 0;
    if (cmfile_write(&p, 1, NULL, &xml, &len, &ce) != 0) {
        ex_buf_printf(err, "%s: %s\n", argv[0], ce.msg);
        return 1;
    }
    int rv = queue(r, id, now, "SetParameterValues", xml, len, out, err);
    free(xml);
    return rv;
}

/* push-cm DEV FILE [DELAY]: the payload is FILE, then "\n" DELAY when the
 * Download is to wait DELAY seconds (DelaySeconds) before the transfer. */
static int cmd_push_cm(struct hms_registry *r, int64_t id, const char *path, const char *delay,
                       int64_t now, struct ex_buf *out, struct ex_buf *err)
{
    unsigned long dl = 0;
    if (delay) {
        char *end = NULL;
        dl = strtoul(delay, &end, 10);
        if (!end || *end || end == delay || delay[0] == '-' || dl > HMS_MAX_DOWNLOAD_DELAY_S) {
            ex_buf_printf(err, "DELAY: 0..%u seconds\n", HMS_MAX_DOWNLOAD_DELAY_S);
            return 2;
        }
    }
    if (strchr(path, '\n')) {
        ex_buf_puts(err, "FILE: a path with a newline\n");
        return 1;
    }
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        ex_buf_printf(err, "%s: cannot open\n", path);
        return 1;
    }
    size_t cap = 1024 * 1024 + 1, len;
    char *buf = malloc(cap);
    len = buf ? fread(buf, 1, cap, fp) : 0;
    fclose(fp);
    if (!buf) {
        ex_buf_puts(err, "out of memory\n");
        return 1;
    }
    struct cmfile *f = NULL;
    struct cmfile_error ce;
    int rv = cmfile_parse(buf, len, NULL, NULL, &f, &ce);
    free(buf);
    if (rv) {
        ex_buf_printf(err, "%s:%d: %s%s%s\n", path, ce.line, ce.name, ce.name[0] ? ": " : "",
                      ce.msg);
        return 1;
    }
    size_t n = f->count;
    cmfile_free(f);
    struct ex_buf payload;
    ex_buf_init(&payload, NULL, 0);
    ex_buf_puts(&payload, path);
    if (dl)
        ex_buf_printf(&payload, "\n%lu", dl);
    if (ex_buf_error(&payload)) {
        ex_buf_free(&payload);
        ex_buf_puts(err, "out of memory\n");
        return 1;
    }
    rv = queue(r, id, now, "Download", payload.data, payload.len, out, err);
    ex_buf_free(&payload);
    if (rv == 0)
        ex_buf_printf(out, "CM file %s: %zu parameters, DelaySeconds %lu\n", path, n, dl);
    return rv;
}

/* pm DEV enable URL INTERVAL [USER [PASSWORD]] | pm DEV disable: a
 * SetParameterValues of FAP.PerfMgmt.Config.1 (F12), paths per the
 * device's root. */
static int cmd_pm(struct hms_registry *r, int64_t id, int argc, char **argv, int64_t now,
                  struct ex_buf *out, struct ex_buf *err)
{
    struct hms_device *d = NULL;
    if (hms_registry_get(r, id, &d) != 0) {
        ex_buf_printf(err, "%s\n", hms_registry_errmsg(r));
        return 1;
    }
    enum hms_dev_root root = d->root;
    hms_device_free(r, d);
    struct conf_policy p = {.ipsec = -1, .match_rat = -1};
    if (!strcmp(argv[0], "enable") && argc >= 3) {
        char *end = NULL;
        unsigned long iv = strtoul(argv[2], &end, 10);
        if (!end || *end || iv < 1 || iv > 86400) {
            ex_buf_puts(err, "INTERVAL: 1..86400 seconds\n");
            return 1;
        }
        p.pm_enable = 1;
        p.pm_url = argv[1];
        p.pm_interval = (uint32_t) iv;
        p.pm_username = argc > 3 ? argv[3] : NULL;
        p.pm_password = argc > 4 ? argv[4] : NULL;
    } else if (!strcmp(argv[0], "disable") && argc == 1) {
        p.pm_enable = 0;
    } else {
        ex_buf_puts(err, "pm DEV enable URL INTERVAL [USER [PASSWORD]] | pm DEV disable\n");
        return 2;
    }
    if (root == HMS_ROOT_UNKNOWN) {
        ex_buf_puts(err, "the device's data-model root is not known yet (no Inform recorded)\n");
        return 1;
    }
    struct prov_list l;
    prov_list_init(&l, NULL);
    int rv = prov_pm(&p, root == HMS_ROOT_IGD ? CONF_ROOT_IGD : CONF_ROOT_DEVICE, &l);
    char *xml = NULL;
    size_t len = 0;
    if (rv == 0)
        rv = cmfile_write(l.v, l.n, NULL, &xml, &len, NULL);
    prov_list_free(&l);
    if (rv) {
        ex_buf_puts(err, "invalid PM settings\n");
        return 1;
    }
    rv = queue(r, id, now, "SetParameterValues", xml, len, out, err);
    free(xml);
    return rv;
}

/* alarm-config DEV MECHANISM CAUSE|*: resolved against the device's
 * SupportedAlarm table in the session (F10). Payload: "<0..3>\t<cause>". */
static int cmd_alarm_config(struct hms_registry *r, int64_t id, char **argv, int64_t now,
                            struct ex_buf *out, struct ex_buf *err)
{
    static const char *const mech[] = {"expedited", "queued", "logged", "disabled"};
    int m = -1;
    for (int i = 0; i < 4; i++)
        if (!strcmp(argv[0], mech[i]))
            m = i;
    size_t cl = strlen(argv[1]);
    if (m < 0 || cl == 0 || cl > 64 || !ex_text_ok(argv[1], cl) || strchr(argv[1], '\t')) {
        ex_buf_puts(err, "alarm-config DEV expedited|queued|logged|disabled CAUSE|*\n");
        return 2;
    }
    char payload[80];
    int n = snprintf(payload, sizeof(payload), "%d\t%s", m, argv[1]);
    return queue(r, id, now, "AlarmConfig", payload, (size_t) n, out, err);
}

int hms_ctl(struct hms_registry *r, int argc, char **argv, int64_t now_ms, struct ex_buf *out,
            struct ex_buf *err)
{
    if (!r || argc < 1) {
        hms_ctl_usage(err);
        return 2;
    }
    const char *cmd = argv[0];
    if (!strcmp(cmd, "list")) {
        if (argc != 1)
            goto usage;
        ex_buf_printf(out, "%-4s %-6s %-15s %-6s %-20s %-24s %s\n", "id", "type", "state", "OUI",
                      "ProductClass", "SerialNumber", "roles");
        if (hms_registry_list(r, list_cb, out) != 0) {
            ex_buf_printf(err, "%s\n", hms_registry_errmsg(r));
            return 1;
        }
        return 0;
    }
    static const struct {
        const char *name;
        int min, max; /* argument counts after DEV */
    } cmds[] = {
        {"show", 0, 0},  {"alarms", 0, 0},  {"pmfiles", 0, 0},      {"tasks", 0, 0},
        {"set", 3, 3},   {"push-cm", 1, 2}, {"connreq", 0, 0},      {"deprovision", 0, 1},
        {"allow", 0, 0}, {"pm", 1, 5},      {"alarm-config", 2, 2},
    };
    int known = -1;
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (!strcmp(cmd, cmds[i].name))
            known = (int) i;
    if (known < 0 || argc < 2 || argc - 2 < cmds[known].min || argc - 2 > cmds[known].max)
        goto usage;
    int64_t id;
    if (resolve(r, argv[1], &id, err))
        return 1;
    if (!strcmp(cmd, "show"))
        return show(r, id, out, err);
    int rv = 0;
    if (!strcmp(cmd, "alarms"))
        rv = hms_registry_list_alarms(r, id, alarm_cb, out);
    else if (!strcmp(cmd, "pmfiles"))
        rv = hms_registry_list_pmfiles(r, id, pm_cb, out);
    else if (!strcmp(cmd, "tasks"))
        rv = hms_registry_list_tasks(r, id, -1, task_cb, out);
    else if (!strcmp(cmd, "set"))
        return cmd_set(r, id, argv + 2, now_ms, out, err);
    else if (!strcmp(cmd, "push-cm"))
        return cmd_push_cm(r, id, argv[2], argc > 3 ? argv[3] : NULL, now_ms, out, err);
    else if (!strcmp(cmd, "pm"))
        return cmd_pm(r, id, argc - 2, argv + 2, now_ms, out, err);
    else if (!strcmp(cmd, "alarm-config"))
        return cmd_alarm_config(r, id, argv + 2, now_ms, out, err);
    else if (!strcmp(cmd, "connreq"))
        return queue(r, id, now_ms, "ConnectionRequest", NULL, 0, out, err);
    else if (!strcmp(cmd, "allow")) {
        rv = hms_registry_allow(r, id);
        if (rv == 0)
            ex_buf_printf(out, "device %lld may register again\n", (long long) id);
    } else { /* deprovision */
        const char *how = argc > 2 ? argv[2] : "factory-reset";
        const char *kind = !strcmp(how, "factory-reset") ? "FactoryReset"
                           : !strcmp(how, "spv")         ? "DeprovisionSPV"
                                                         : NULL;
        if (!kind)
            goto usage;
        rv = hms_registry_deprovision(r, id);
        if (rv == 0) {
            ex_buf_printf(out, "device %lld de-provisioned\n", (long long) id);
            return queue(r, id, now_ms, kind, NULL, 0, out, err);
        }
    }
    if (rv) {
        ex_buf_printf(err, "%s\n", hms_registry_errmsg(r));
        return 1;
    }
    return 0;
usage:
    ex_buf_printf(err, "hms ctl: bad command line for '%s'\n", cmd);
    hms_ctl_usage(err);
    return 2;
}
