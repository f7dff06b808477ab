/*
 * libcwmp examples - what the example HMS does in one session.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "plan.h"

#include <stdio.h>
#include <string.h>

const char *hms_step_name(enum hms_step_kind k)
{
    switch (k) {
    case HMS_STEP_ASSIGN: return "assign";
    case HMS_STEP_REGISTER: return "register";
    case HMS_STEP_SPV: return "SetParameterValues";
    case HMS_STEP_DOWNLOAD_CM: return "Download";
    case HMS_STEP_READ_ALARMS: return "GetParameterValues(SupportedAlarm)";
    case HMS_STEP_TASK: return "task";
    }
    return "?";
}

void hms_plan_free(struct hms_plan *p)
{
    for (size_t i = 0; i < p->n; i++)
        prov_list_free(&p->steps[i].params);
    p->n = 0;
}

static struct hms_step *push(struct hms_plan *p, enum hms_step_kind kind, const char *why,
                             const struct cwmp_allocator *alloc)
{
    if (p->n >= HMS_PLAN_MAX_STEPS)
        return NULL;
    struct hms_step *s = &p->steps[p->n++];
    memset(s, 0, sizeof(*s));
    s->kind = kind;
    s->why = why;
    prov_list_init(&s->params, alloc);
    return s;
}

static int is_deprovision_task(const char *kind)
{
    return !strcmp(kind, "FactoryReset") || !strcmp(kind, "DeprovisionSPV");
}

static int add_tasks(const struct hms_plan_input *in, struct hms_plan *out, int only_deprov,
                     const struct cwmp_allocator *alloc)
{
    for (size_t i = 0; i < in->ntasks; i++) {
        const struct hms_plan_task *t = &in->tasks[i];
        if (!t->kind || (only_deprov && !is_deprovision_task(t->kind)))
            continue;
        struct hms_step *s = push(out, HMS_STEP_TASK, "queued by the operator", alloc);
        if (!s)
            return CWMP_ERR_LIMIT;
        s->task_id = t->id;
        snprintf(s->task_kind, sizeof(s->task_kind), "%s", t->kind);
    }
    return 0;
}

/* An SPV step, dropped again when the policy gives nothing to set. */
static int spv_step(struct hms_plan *out, const char *why, const struct cwmp_allocator *alloc,
                    int (*fill)(const struct hms_plan_input *, struct prov_list *),
                    const struct hms_plan_input *in)
{
    struct hms_step *s = push(out, HMS_STEP_SPV, why, alloc);
    if (!s)
        return CWMP_ERR_LIMIT;
    int rv = fill(in, &s->params);
    if (rv == 0 && s->params.n == 0) {
        prov_list_free(&s->params);
        out->n--;
    }
    return rv;
}

static enum conf_rat rat_of(const struct hms_device *d)
{
    return d->type == HMS_DEV_HENB ? CONF_RAT_LTE : CONF_RAT_UMTS;
}

static int fill_discovery(const struct hms_plan_input *in, struct prov_list *l)
{
    return prov_discovery(in->policy, in->root, rat_of(in->dev), l);
}

static int fill_registration(const struct hms_plan_input *in, struct prov_list *l)
{
    return prov_registration(in->policy, in->root, rat_of(in->dev), l);
}

static int fill_pm(const struct hms_plan_input *in, struct prov_list *l)
{
    return prov_pm(in->policy, in->root, l);
}

static int fill_cr(const struct hms_plan_input *in, struct prov_list *l)
{
    return prov_cr_credentials(in->cr_username, in->cr_password, in->root, l);
}

static int registration(const struct hms_plan_input *in, struct hms_plan *out,
                        const struct cwmp_allocator *alloc)
{
    const struct conf_policy *p = in->policy;
    if (!push(out, HMS_STEP_REGISTER, "registration at the serving HMS", alloc))
        return CWMP_ERR_LIMIT;
    if (!p)
        return 0;
    int rv;
    if (p->cm == CONF_CM_FILE) {
        struct hms_step *s =
            push(out, HMS_STEP_DOWNLOAD_CM, "CM by file download (5.3-bis)", alloc);
        if (!s)
            return CWMP_ERR_LIMIT;
        if ((rv = fill_registration(in, &s->params)))
            return rv;
        /* Unique per device: the serial, made safe for a file name. */
        char serial[65];
        size_t k = 0;
        for (const char *c = in->dev->serial; *c && k + 1 < sizeof(serial); c++) {
            int ok = (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
                     (*c >= '0' && *c <= '9') || *c == '-' || *c == '_';
            serial[k++] = ok ? *c : '_';
        }
        serial[k] = '\0';
        snprintf(s->file_name, sizeof(s->file_name), "cm-%lld-%s.xml", (long long) in->dev->id,
                 serial);
    } else if ((rv = spv_step(out, "provisioning by SPV", alloc, fill_registration, in))) {
        return rv;
    }
    /* After the policy's own lines (which may name a fixed pair): the
     * device's own credentials, always by SPV (never written into a CM
     * file on the file server's disk). */
    if (in->cr_username && in->cr_password && *in->cr_username && *in->cr_password) {
        if ((rv = spv_step(out, "connection-request credentials", alloc, fill_cr, in)))
            return rv;
        out->steps[out->n - 1].cr_credentials = 1;
    }
    if (p->nalarm && !push(out, HMS_STEP_READ_ALARMS, "alarm reporting mechanism", alloc))
        return CWMP_ERR_LIMIT;
    return spv_step(out, "PM upload settings", alloc, fill_pm, in);
}

static int url_is_own(const char *own, const char *url)
{
    return own && url && strcmp(own, url) == 0;
}

int hms_plan_session(const struct hms_plan_input *in, const struct cwmp_allocator *alloc,
                     struct hms_plan *out)
{
    if (!in || !in->dev || !out || (in->ntasks && !in->tasks))
        return CWMP_ERR_INVALID_ARG;
    memset(out, 0, sizeof(*out));
    int rv = 0;
    if (in->dev->state == HMS_STATE_DEPROVISIONED) {
        out->refused = 1;
        rv = add_tasks(in, out, 1, alloc);
        goto done;
    }
    int initial = (in->role & CONF_HMS_INITIAL) != 0;
    int serving = (in->role & CONF_HMS_SERVING) != 0;
    int registered = in->dev->state == HMS_STATE_REGISTERED;
    int provision = !registered || in->bootstrap;
    if (initial && provision) {
        if (in->policy) {
            if ((rv = spv_step(out, "discovery: serving elements", alloc, fill_discovery, in)))
                goto done;
            if (!push(out, HMS_STEP_ASSIGN, "record the assignment", alloc)) {
                rv = CWMP_ERR_LIMIT;
                goto done;
            }
        }
        /* Same entity as the serving HMS: register now (5.1.1 step 7). */
        int same = serving && (!in->policy || !in->policy->serving_hms_url ||
                               url_is_own(in->own_url, in->policy->serving_hms_url));
        if (same && (rv = registration(in, out, alloc)))
            goto done;
    } else if (serving && provision) {
        if ((rv = registration(in, out, alloc)))
            goto done;
    }
    if (serving || registered)
        rv = add_tasks(in, out, 0, alloc);
done:
    if (rv)
        hms_plan_free(out);
    return rv;
}
