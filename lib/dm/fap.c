/*
 * libcwmp - femto access point helpers: alarms (FaultMgmt), PM upload
 * schedule (FAP.PerfMgmt) and discovery / registration parameters.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cwmp/fap.h>

#include "dm.h"

#define FAP_PATH 512

CWMP_PRINTF(3, 4) static int fmt(char *buf, size_t size, const char *f, ...)
{
    va_list ap;
    int n;
    va_start(ap, f);
    n = vsnprintf(buf, size, f, ap);
    va_end(ap);
    return n < 0 || (size_t) n >= size ? -1 : n;
}

static bool is_object(struct cwmp_dm *dm, const char *path)
{
    struct dm_ref ref;
    return cwmp__dm_resolve(dm, path, &ref) == 0 && ref.kind == DM_REF_OBJECT;
}

static bool is_table(struct cwmp_dm *dm, const char *path)
{
    struct dm_ref ref;
    return cwmp__dm_resolve(dm, path, &ref) == 0 && ref.kind == DM_REF_TABLE;
}

static bool is_param(struct cwmp_dm *dm, const char *path)
{
    struct dm_ref ref;
    return cwmp__dm_resolve(dm, path, &ref) == 0 && ref.kind == DM_REF_PARAM;
}

/* ---- alarms ------------------------------------------------------------------ */

static const char *const severity_names[] = {"Critical", "Major", "Minor", "Warning",
                                             "Indeterminate"};

const char *cwmp_alarm_severity_name(enum cwmp_alarm_severity s)
{
    return (unsigned) s < CWMP_ARRAY_SIZE(severity_names) ? severity_names[s] : "Indeterminate";
}

void cwmp_alarm_options_init(struct cwmp_alarm_options *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof(*o));
    o->max_history = 64;
    o->max_expedited = 16;
    o->max_queued = 16;
    o->unlisted = CWMP_ALARM_QUEUED;
}

struct fm {
    struct cwmp_dm *dm;
    char base[FAP_PATH]; /* "Device.FaultMgmt." */
    uint32_t max_history, max_expedited, max_queued;
    enum cwmp_alarm_reporting unlisted;
};

static int fm_init(struct fm *fm, struct cwmp_dm *dm, const struct cwmp_alarm_options *o)
{
    const char *root = cwmp_dm_root_name(dm);
    memset(fm, 0, sizeof(*fm));
    fm->dm = dm;
    fm->max_history = o && o->max_history ? o->max_history : 64;
    fm->max_expedited = o && o->max_expedited ? o->max_expedited : 16;
    fm->max_queued = o && o->max_queued ? o->max_queued : 16;
    fm->unlisted =
        o && (unsigned) o->unlisted <= CWMP_ALARM_DISABLED ? o->unlisted : CWMP_ALARM_QUEUED;
    if (o && o->fault_mgmt_path) {
        if (fmt(fm->base, sizeof(fm->base), "%s", o->fault_mgmt_path) < 0)
            return CWMP_ERR_INVALID_ARG;
    } else if (fmt(fm->base, sizeof(fm->base), "%s.FaultMgmt.", root) < 0 ||
               !is_object(dm, fm->base)) {
        if (fmt(fm->base, sizeof(fm->base), "%s.Services.FAPService.1.FaultMgmt.", root) < 0)
            return CWMP_ERR_INVALID_ARG;
    }
    return is_object(dm, fm->base) ? 0 : CWMP_ERR_NOT_FOUND;
}

/* Reads "<base><rest>" into buf ("" when absent). */
static void fm_get(struct fm *fm, const char *rest, uint32_t inst, const char *leaf, char *buf,
                   size_t size)
{
    char p[FAP_PATH];
    buf[0] = '\0';
    if (fmt(p, sizeof(p), "%s%s.%u.%s", fm->base, rest, (unsigned) inst, leaf) < 0 ||
        cwmp_dm_get(fm->dm, p, buf, size) < 0)
        buf[0] = '\0';
}

static int fm_set(struct fm *fm, const char *table, uint32_t inst, const char *leaf,
                  const char *value)
{
    char p[FAP_PATH];
    int rv;
    if (fmt(p, sizeof(p), "%s%s.%u.%s", fm->base, table, (unsigned) inst, leaf) < 0)
        return CWMP_ERR_LIMIT;
    rv = cwmp_dm_set(fm->dm, p, value ? value : "");
    return rv == CWMP_ERR_NOT_FOUND ? 0 : rv; /* a leaf the model leaves out */
}

struct collect {
    uint32_t items[256];
    size_t n;
};

static int collect_cb(uint32_t instance, void *ctx)
{
    struct collect *c = ctx;
    if (c->n < CWMP_ARRAY_SIZE(c->items))
        c->items[c->n++] = instance;
    return 0;
}

static void fm_instances(struct fm *fm, const char *table, struct collect *c)
{
    char p[FAP_PATH];
    c->n = 0;
    if (fmt(p, sizeof(p), "%s%s.", fm->base, table) >= 0)
        (void) cwmp_dm_foreach_instance(fm->dm, p, collect_cb, c);
}

static bool field_eq(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static enum cwmp_alarm_reporting fm_mechanism(struct fm *fm, const struct cwmp_alarm *a)
{
    struct collect c;
    char v[160];
    fm_instances(fm, "SupportedAlarm", &c);
    for (size_t i = 0; i < c.n; i++) {
        fm_get(fm, "SupportedAlarm", c.items[i], "EventType", v, sizeof(v));
        if (!field_eq(v, a->event_type))
            continue;
        fm_get(fm, "SupportedAlarm", c.items[i], "ProbableCause", v, sizeof(v));
        if (!field_eq(v, a->probable_cause))
            continue;
        fm_get(fm, "SupportedAlarm", c.items[i], "SpecificProblem", v, sizeof(v));
        if (v[0] && strcmp(v, "*") != 0 && !field_eq(v, a->specific_problem))
            continue;
        fm_get(fm, "SupportedAlarm", c.items[i], "PerceivedSeverity", v, sizeof(v));
        if (v[0] && strcmp(v, "*") != 0 && strcmp(v, cwmp_alarm_severity_name(a->severity)) != 0)
            continue;
        fm_get(fm, "SupportedAlarm", c.items[i], "ReportingMechanism", v, sizeof(v));
        if (v[0] >= '0' && v[0] <= '3')
            return (enum cwmp_alarm_reporting)(v[0] - '0');
        return fm->unlisted;
    }
    return fm->unlisted;
}

static uint32_t fm_find_current(struct fm *fm, const struct cwmp_alarm *a, char *sev,
                                size_t sev_size)
{
    struct collect c;
    char v[520];
    static const char *const keys[] = {"ManagedObjectInstance", "EventType", "ProbableCause",
                                       "SpecificProblem"};
    const char *want[4] = {a->managed_object_instance, a->event_type, a->probable_cause,
                           a->specific_problem};
    fm_instances(fm, "CurrentAlarm", &c);
    for (size_t i = 0; i < c.n; i++) {
        size_t k;
        for (k = 0; k < 4; k++) {
            fm_get(fm, "CurrentAlarm", c.items[i], keys[k], v, sizeof(v));
            if (!field_eq(v, want[k]))
                break;
        }
        if (k == 4) {
            fm_get(fm, "CurrentAlarm", c.items[i], "PerceivedSeverity", sev, sev_size);
            return c.items[i];
        }
    }
    return 0;
}

/* Marks every parameter of an event row for notification (2 active,
 * 1 passive) and as changed, so the next poll / Inform reports it. */
static void fm_notify_row(struct fm *fm, const char *table, uint32_t inst, uint8_t notif)
{
    char p[FAP_PATH];
    struct dm_ref ref;
    struct cwmp_dm *dm = fm->dm;
    if (fmt(p, sizeof(p), "%s%s.%u.", fm->base, table, (unsigned) inst) < 0 ||
        cwmp__dm_resolve(dm, p, &ref) != 0 || ref.kind != DM_REF_OBJECT)
        return;
    const struct cwmp__dm_node *n = dm_node(dm, ref.obj->node);
    for (uint32_t k = 0; k < n->child_count; k++) {
        struct dm_slot *sl = &ref.obj->slots[k];
        if (dm_node(dm, n->first_child + k)->kind != CWMP__DM_PARAM)
            continue;
        if (sl->notif != 2)
            sl->notif = notif;
        sl->state |= DM_ST_CHANGED;
    }
}

static int fm_event(struct fm *fm, const char *table, uint32_t max, const struct cwmp_alarm *a,
                    const char *id, const char *type, const char *severity, const char *when,
                    uint8_t notif)
{
    char p[FAP_PATH];
    struct collect c;
    uint32_t inst;
    int rv;
    if (fmt(p, sizeof(p), "%s%s.", fm->base, table) < 0 || !is_table(fm->dm, p))
        return 0; /* the model has no such table */
    fm_instances(fm, table, &c);
    for (size_t i = 0; c.n - i >= max && i < c.n; i++) {
        char ip[FAP_PATH];
        if (fmt(ip, sizeof(ip), "%s%u.", p, (unsigned) c.items[i]) >= 0)
            (void) cwmp_dm_delete_instance(fm->dm, ip);
    }
    rv = cwmp_dm_add_instance(fm->dm, p, 0, &inst);
    if (rv != 0)
        return rv;
    if ((rv = fm_set(fm, table, inst, "EventTime", when)) != 0 ||
        (rv = fm_set(fm, table, inst, "AlarmIdentifier", id)) != 0 ||
        (rv = fm_set(fm, table, inst, "NotificationType", type)) != 0 ||
        (rv = fm_set(fm, table, inst, "ManagedObjectInstance", a->managed_object_instance)) != 0 ||
        (rv = fm_set(fm, table, inst, "EventType", a->event_type)) != 0 ||
        (rv = fm_set(fm, table, inst, "ProbableCause", a->probable_cause)) != 0 ||
        (rv = fm_set(fm, table, inst, "SpecificProblem", a->specific_problem)) != 0 ||
        (rv = fm_set(fm, table, inst, "PerceivedSeverity", severity)) != 0 ||
        (rv = fm_set(fm, table, inst, "AdditionalText", a->additional_text)) != 0 ||
        (rv = fm_set(fm, table, inst, "AdditionalInformation", a->additional_information)) != 0)
        return rv;
    if (notif)
        fm_notify_row(fm, table, inst, notif);
    return 0;
}

static int fm_events(struct fm *fm, enum cwmp_alarm_reporting mech, const struct cwmp_alarm *a,
                     const char *id, const char *type, const char *severity, int64_t now)
{
    char when[32];
    int rv;
    cwmp__dm_format_datetime(now, when);
    rv = fm_event(fm, "HistoryEvent", fm->max_history, a, id, type, severity, when, 0);
    if (rv == 0 && mech == CWMP_ALARM_EXPEDITED)
        rv = fm_event(fm, "ExpeditedEvent", fm->max_expedited, a, id, type, severity, when, 2);
    if (rv == 0 && mech == CWMP_ALARM_QUEUED)
        rv = fm_event(fm, "QueuedEvent", fm->max_queued, a, id, type, severity, when, 1);
    return rv;
}

static int check_len(const char *s, size_t max)
{
    return s && strlen(s) > max ? CWMP_ERR_BAD_VALUE : 0;
}

static int alarm_check(const struct cwmp_alarm *a)
{
    if (!a->event_type || !a->probable_cause || !a->managed_object_instance ||
        (unsigned) a->severity > CWMP_ALARM_INDETERMINATE)
        return CWMP_ERR_INVALID_ARG;
    if (check_len(a->event_type, 64) || check_len(a->probable_cause, 64) ||
        check_len(a->specific_problem, 128) || check_len(a->managed_object_instance, 512) ||
        check_len(a->additional_text, 256) || check_len(a->additional_information, 256))
        return CWMP_ERR_BAD_VALUE;
    return 0;
}

int cwmp_alarm_raise(struct cwmp_dm *dm, const struct cwmp_alarm_options *opts,
                     const struct cwmp_alarm *a, int64_t now, char *alarm_id, size_t alarm_id_size)
{
    struct fm fm;
    enum cwmp_alarm_reporting mech;
    char sev[32], id[16], when[32], p[FAP_PATH];
    const char *sevname;
    const char *type = "NewAlarm";
    uint32_t cur;
    int rv;
    if (!dm || !a)
        return CWMP_ERR_INVALID_ARG;
    if ((rv = alarm_check(a)) != 0 || (rv = fm_init(&fm, dm, opts)) != 0)
        return rv;
    sevname = cwmp_alarm_severity_name(a->severity);
    mech = fm_mechanism(&fm, a);
    if (mech == CWMP_ALARM_DISABLED)
        return 0;
    cwmp__dm_format_datetime(now, when);
    cur = fm_find_current(&fm, a, sev, sizeof(sev));
    if (cur) {
        if (strcmp(sev, sevname) == 0)
            goto out; /* nothing new */
        type = "ChangedAlarm";
    } else {
        char maxv[16];
        uint64_t max = UINT32_MAX;
        if (fmt(p, sizeof(p), "%sMaxCurrentAlarmEntries", fm.base) >= 0 &&
            cwmp_dm_get(dm, p, maxv, sizeof(maxv)) > 0)
            (void) cwmp__dm_parse_u64(maxv, strlen(maxv), UINT32_MAX, &max);
        fmt(p, sizeof(p), "%sCurrentAlarm.", fm.base);
        if (max && cwmp_dm_instance_count(dm, p) >= max)
            return CWMP_ERR_LIMIT;
        if ((rv = cwmp_dm_add_instance(dm, p, 0, &cur)) != 0)
            return rv;
        fmt(id, sizeof(id), "%u", (unsigned) cur);
        if ((rv = fm_set(&fm, "CurrentAlarm", cur, "AlarmIdentifier", id)) != 0 ||
            (rv = fm_set(&fm, "CurrentAlarm", cur, "AlarmRaisedTime", when)) != 0 ||
            (rv = fm_set(&fm, "CurrentAlarm", cur, "ManagedObjectInstance",
                         a->managed_object_instance)) != 0 ||
            (rv = fm_set(&fm, "CurrentAlarm", cur, "EventType", a->event_type)) != 0 ||
            (rv = fm_set(&fm, "CurrentAlarm", cur, "ProbableCause", a->probable_cause)) != 0 ||
            (rv = fm_set(&fm, "CurrentAlarm", cur, "SpecificProblem", a->specific_problem)) != 0)
            return rv;
    }
    if ((rv = fm_set(&fm, "CurrentAlarm", cur, "AlarmChangedTime", when)) != 0 ||
        (rv = fm_set(&fm, "CurrentAlarm", cur, "PerceivedSeverity", sevname)) != 0 ||
        (rv = fm_set(&fm, "CurrentAlarm", cur, "AdditionalText", a->additional_text)) != 0 ||
        (rv = fm_set(&fm, "CurrentAlarm", cur, "AdditionalInformation",
                     a->additional_information)) != 0)
        return rv;
    fm_get(&fm, "CurrentAlarm", cur, "AlarmIdentifier", id, sizeof(id));
    if ((rv = fm_events(&fm, mech, a, id, type, sevname, now)) != 0)
        return rv;
out:
    if (alarm_id && alarm_id_size) {
        fm_get(&fm, "CurrentAlarm", cur, "AlarmIdentifier", id, sizeof(id));
        if (fmt(alarm_id, alarm_id_size, "%s", id) < 0)
            return CWMP_ERR_BUFFER;
    }
    return 0;
}

int cwmp_alarm_clear(struct cwmp_dm *dm, const struct cwmp_alarm_options *opts,
                     const struct cwmp_alarm *a, int64_t now)
{
    struct fm fm;
    struct cwmp_alarm copy;
    char sev[32], id[70], p[FAP_PATH];
    uint32_t cur;
    enum cwmp_alarm_reporting mech;
    int rv;
    if (!dm || !a)
        return CWMP_ERR_INVALID_ARG;
    if ((rv = alarm_check(a)) != 0 || (rv = fm_init(&fm, dm, opts)) != 0)
        return rv;
    cur = fm_find_current(&fm, a, sev, sizeof(sev));
    if (!cur)
        return CWMP_ERR_NOT_FOUND;
    copy = *a;
    /* the mechanism of the alarm as it was raised */
    for (int s = 0; s <= CWMP_ALARM_INDETERMINATE; s++)
        if (strcmp(sev, severity_names[s]) == 0)
            copy.severity = (enum cwmp_alarm_severity) s;
    mech = fm_mechanism(&fm, &copy);
    fm_get(&fm, "CurrentAlarm", cur, "AlarmIdentifier", id, sizeof(id));
    if (fmt(p, sizeof(p), "%sCurrentAlarm.%u.", fm.base, (unsigned) cur) < 0)
        return CWMP_ERR_LIMIT;
    if ((rv = cwmp_dm_delete_instance(dm, p)) != 0)
        return rv;
    if (mech == CWMP_ALARM_DISABLED)
        return 0;
    return fm_events(&fm, mech, a, id, "ClearedAlarm", "Cleared", now);
}

/* ---- PM schedule ---------------------------------------------------------------- */

int64_t cwmp_pm_next_upload(int64_t now, int64_t upload_time, uint32_t interval)
{
    int64_t iv = interval, d, k;
    if (interval == 0)
        return -1;
    /* floor((now - upload_time) / iv) + 1, without overflow for sane inputs */
    if (now >= upload_time) {
        d = now - upload_time;
        k = d / iv + 1;
    } else {
        d = upload_time - now;
        k = -(d / iv);
        if (d % iv == 0)
            k += 1;
    }
    return upload_time + k * iv;
}

static int read_str(struct cwmp_dm *dm, const char *base, const char *leaf, char *buf, size_t size)
{
    char p[FAP_PATH];
    int rv;
    buf[0] = '\0';
    if (fmt(p, sizeof(p), "%s%s", base, leaf) < 0)
        return CWMP_ERR_LIMIT;
    rv = cwmp_dm_get(dm, p, buf, size);
    return rv == CWMP_ERR_NOT_FOUND ? 0 : (rv < 0 ? rv : 0);
}

static int first_cb(uint32_t instance, void *ctx)
{
    *(uint32_t *) ctx = instance;
    return 1;
}

int cwmp_pm_config_get(struct cwmp_dm *dm, const char *config_path, int64_t now,
                       struct cwmp_pm_config *out)
{
    char base[FAP_PATH], v[64];
    const char *root;
    bool issue1 = false;
    uint64_t u = 0;
    int64_t t = 0;
    int rv;
    if (!dm || !out)
        return CWMP_ERR_INVALID_ARG;
    memset(out, 0, sizeof(*out));
    out->next_upload = -1;
    root = cwmp_dm_root_name(dm);
    if (config_path) {
        if (fmt(base, sizeof(base), "%s", config_path) < 0)
            return CWMP_ERR_INVALID_ARG;
    } else {
        uint32_t first = 0;
        char table[FAP_PATH];
        fmt(table, sizeof(table), "%s.FAP.PerfMgmt.Config.", root);
        if (cwmp_dm_foreach_instance(dm, table, first_cb, &first) == 1 && first) {
            fmt(base, sizeof(base), "%s%u.", table, (unsigned) first);
        } else {
            fmt(base, sizeof(base), "%s.Services.FAPService.1.PerfMgmt.FileMgmt.", root);
        }
    }
    if (!is_object(dm, base))
        return CWMP_ERR_NOT_FOUND;
    {
        char p[FAP_PATH];
        issue1 = fmt(p, sizeof(p), "%sPeriodicUploadEnable", base) >= 0 && is_param(dm, p);
    }
    if ((rv = read_str(dm, base, issue1 ? "PeriodicUploadEnable" : "Enable", v, sizeof(v))) != 0)
        return rv;
    {
        bool b = false;
        (void) cwmp__dm_parse_bool(v, strlen(v), &b);
        out->enable = b;
    }
    if ((rv = read_str(dm, base, "URL", out->url, sizeof(out->url))) != 0 ||
        (rv = read_str(dm, base, "Username", out->username, sizeof(out->username))) != 0 ||
        (rv = read_str(dm, base, "Password", out->password, sizeof(out->password))) != 0 ||
        (rv = read_str(dm, base, "PeriodicUploadInterval", v, sizeof(v))) != 0)
        return rv;
    if (cwmp__dm_parse_u64(v, strlen(v), UINT32_MAX, &u) == 0)
        out->interval = (uint32_t) u;
    if ((rv = read_str(dm, base, "PeriodicUploadTime", v, sizeof(v))) != 0)
        return rv;
    /* Unknown Time (0001-01-01) and boot-relative values (year < 1000) align on the epoch */
    if (strlen(v) >= 4 && v[0] >= '1' && cwmp__dm_parse_datetime(v, strlen(v), &t) == 0)
        out->upload_time = t;
    if (out->enable && out->interval)
        out->next_upload = cwmp_pm_next_upload(now, out->upload_time, out->interval);
    return 0;
}

/* ---- discovery / registration ---------------------------------------------------- */

int cwmp_fap_ipsec_param(struct cwmp_dm *dm, uint32_t fap_instance, char *buf, size_t size)
{
    const char *root;
    char p[FAP_PATH];
    int n;
    if (!dm || !buf)
        return CWMP_ERR_INVALID_ARG;
    root = cwmp_dm_root_name(dm);
    if ((n = fmt(p, sizeof(p), "%s.IPsec.Enable", root)) >= 0 && is_param(dm, p))
        goto found;
    if ((n = fmt(p, sizeof(p), "%s.FAP.Tunnel.UseForCWMP", root)) >= 0 && is_param(dm, p))
        goto found;
    if ((n = fmt(p, sizeof(p), "%s.Services.FAPService.%u.Transport.Tunnel.UseForCWMP", root,
                 (unsigned) fap_instance)) >= 0 &&
        is_param(dm, p))
        goto found;
    return CWMP_ERR_NOT_FOUND;
found:
    if ((size_t) n >= size)
        return CWMP_ERR_BUFFER;
    memcpy(buf, p, (size_t) n + 1);
    return n;
}

int cwmp_fap_gateways_get(struct cwmp_dm *dm, uint32_t fap_instance, enum cwmp_fap_rat rat,
                          struct cwmp_fap_gateways *out)
{
    char base[FAP_PATH], v[32], p[FAP_PATH];
    const char *root;
    uint64_t u;
    int rv;
    if (!dm || !out || (unsigned) rat > CWMP_FAP_LTE)
        return CWMP_ERR_INVALID_ARG;
    memset(out, 0, sizeof(*out));
    out->ipsec = -1;
    root = cwmp_dm_root_name(dm);
    if (fmt(base, sizeof(base), "%s.Services.FAPService.%u.FAPControl.%s.Gateway.", root,
            (unsigned) fap_instance, rat == CWMP_FAP_LTE ? "LTE" : "UMTS") < 0 ||
        !is_object(dm, base))
        return CWMP_ERR_NOT_FOUND;
    for (int i = 0; i < 3; i++) {
        char leaf[16];
        fmt(leaf, sizeof(leaf), "SecGWServer%d", i + 1);
        if ((rv = read_str(dm, base, leaf, out->secgw[i], sizeof(out->secgw[i]))) != 0)
            return rv;
        if (rat == CWMP_FAP_UMTS) {
            fmt(leaf, sizeof(leaf), "FAPGWServer%d", i + 1);
            if ((rv = read_str(dm, base, leaf, out->fapgw[i], sizeof(out->fapgw[i]))) != 0)
                return rv;
        }
    }
    if (rat == CWMP_FAP_UMTS) {
        if ((rv = read_str(dm, base, "FAPGWPort", v, sizeof(v))) != 0)
            return rv;
        if (cwmp__dm_parse_u64(v, strlen(v), UINT32_MAX, &u) == 0)
            out->fapgw_port = (uint32_t) u;
    } else {
        if ((rv = read_str(dm, base, "S1SigLinkServerList", out->s1_servers,
                           sizeof(out->s1_servers))) != 0 ||
            (rv = read_str(dm, base, "S1ConnectionMode", out->s1_mode, sizeof(out->s1_mode))) !=
                0 ||
            (rv = read_str(dm, base, "S1SigLinkPort", v, sizeof(v))) != 0)
            return rv;
        if (cwmp__dm_parse_u64(v, strlen(v), UINT32_MAX, &u) == 0)
            out->s1_port = (uint32_t) u;
    }
    fmt(p, sizeof(p), "%s.ManagementServer.", root);
    if ((rv = read_str(dm, p, "URL", out->hms_url, sizeof(out->hms_url))) != 0)
        return rv;
    if (cwmp_fap_ipsec_param(dm, fap_instance, p, sizeof(p)) > 0 &&
        cwmp_dm_get(dm, p, v, sizeof(v)) >= 0) {
        bool b;
        if (cwmp__dm_parse_bool(v, strlen(v), &b) == 0)
            out->ipsec = b ? 1 : 0;
    }
    return 0;
}
