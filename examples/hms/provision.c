/*
 * libcwmp examples - what the HMS sets on a device, from its policy.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "provision.h"

#include <stdio.h>
#include <string.h>

#include "exalloc.h"

#define FAP "Services.FAPService.1."

void prov_list_init(struct prov_list *l, const struct cwmp_allocator *alloc)
{
    memset(l, 0, sizeof(*l));
    l->alloc = alloc;
}

void prov_list_free(struct prov_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        ex_free(l->alloc, (void *) l->v[i].name); /* name and value: one block */
    ex_free(l->alloc, l->v);
    l->v = NULL;
    l->n = l->cap_ = 0;
}

int prov_list_add(struct prov_list *l, const char *name, const char *value, enum cmfile_type type)
{
    if (!cmfile_name_ok(name) || !value || !cmfile_value_ok(type, value))
        return CWMP_ERR_BAD_VALUE;
    if (l->n == l->cap_) {
        size_t cap = l->cap_ ? l->cap_ * 2 : 8;
        void *p = ex_realloc(l->alloc, l->v, cap * sizeof(*l->v));
        if (!p)
            return CWMP_ERR_NOMEM;
        l->v = p;
        l->cap_ = cap;
    }
    size_t nl = strlen(name), vl = strlen(value);
    char *blk = ex_malloc(l->alloc, nl + vl + 2);
    if (!blk)
        return CWMP_ERR_NOMEM;
    memcpy(blk, name, nl + 1);
    memcpy(blk + nl + 1, value, vl + 1);
    l->v[l->n++] = (struct cmfile_param){blk, blk + nl + 1, type, 0};
    return 0;
}

static const char *root_name(enum conf_root root)
{
    return root == CONF_ROOT_IGD ? "InternetGatewayDevice." : "Device.";
}

static const char *rat_name(enum conf_rat rat)
{
    return rat == CONF_RAT_LTE ? "LTE" : "UMTS";
}

/* Adds <root><suffix> = value. */
static int add(struct prov_list *l, enum conf_root root, const char *suffix, const char *value,
               enum cmfile_type type)
{
    char name[CMFILE_MAX_NAME + 1];
    int n = snprintf(name, sizeof(name), "%s%s", root_name(root), suffix);
    if (n < 0 || (size_t) n >= sizeof(name))
        return CWMP_ERR_BAD_VALUE;
    return prov_list_add(l, name, value, type);
}

/* Adds <root>Services.FAPService.1.FAPControl.<RAT>.<suffix> = value. */
static int add_fapc(struct prov_list *l, enum conf_root root, enum conf_rat rat, const char *suffix,
                    const char *value, enum cmfile_type type)
{
    char s[160];
    snprintf(s, sizeof(s), FAP "FAPControl.%s.%s", rat_name(rat), suffix);
    return add(l, root, s, value, type);
}

static int gateway(const struct conf_policy *p, enum conf_root root, enum conf_rat rat,
                   struct prov_list *out)
{
    if (rat == CONF_RAT_UMTS && p->hnb_gw)
        return add_fapc(out, root, rat, "Gateway.FAPGWServer1", p->hnb_gw, CMFILE_STRING);
    if (rat == CONF_RAT_LTE && p->s1_far_end)
        return add_fapc(out, root, rat, "Gateway.S1SigLinkServerList", p->s1_far_end,
                        CMFILE_STRING);
    return 0;
}

int prov_discovery(const struct conf_policy *p, enum conf_root root, enum conf_rat rat,
                   struct prov_list *out)
{
    if (!p || !out)
        return CWMP_ERR_INVALID_ARG;
    int rv = 0;
    if (p->serving_hms_url)
        rv = add(out, root, "ManagementServer.URL", p->serving_hms_url, CMFILE_STRING);
    if (!rv && p->serving_segw)
        rv = add_fapc(out, root, rat, "Gateway.SecGWServer1", p->serving_segw, CMFILE_STRING);
    if (!rv)
        rv = gateway(p, root, rat, out);
    return rv;
}

int prov_registration(const struct conf_policy *p, enum conf_root root, enum conf_rat rat,
                      struct prov_list *out)
{
    if (!p || !out)
        return CWMP_ERR_INVALID_ARG;
    int rv = gateway(p, root, rat, out);
    if (!rv && p->ipsec >= 0) {
        const char *b = p->ipsec ? "true" : "false";
        rv = root == CONF_ROOT_IGD ? add(out, root, "FAP.Tunnel.UseForCWMP", b, CMFILE_BOOLEAN)
                                   : add(out, root, "IPsec.Enable", b, CMFILE_BOOLEAN);
        if (!rv && rat == CONF_RAT_LTE)
            rv = add(out, root, FAP "CellConfig.LTE.Tunnel.1.Enable", b, CMFILE_BOOLEAN);
    }
    for (size_t i = 0; !rv && i < p->nset; i++) {
        enum cmfile_type t;
        if (cmfile_type_from_name(p->set[i].type, &t))
            return CWMP_ERR_BAD_VALUE;
        rv = prov_list_add(out, p->set[i].name, p->set[i].value, t);
    }
    return rv;
}

/* Adds <root>FAP.PerfMgmt.Config.1.<field> = value when value is set. */
static int pm_add(struct prov_list *out, enum conf_root root, const char *field, const char *value,
                  enum cmfile_type type)
{
    if (!value)
        return 0;
    char s[96];
    snprintf(s, sizeof(s), "FAP.PerfMgmt.Config.1.%s", field);
    return add(out, root, s, value, type);
}

int prov_pm(const struct conf_policy *p, enum conf_root root, struct prov_list *out)
{
    if (!p || !out)
        return CWMP_ERR_INVALID_ARG;
    if (p->pm_enable < 0)
        return 0;
    int rv = 0;
    if (p->pm_enable == 1) {
        char interval[16];
        snprintf(interval, sizeof(interval), "%u", (unsigned) p->pm_interval);
        if ((rv = pm_add(out, root, "URL", p->pm_url, CMFILE_STRING)) ||
            (rv = pm_add(out, root, "Username", p->pm_username, CMFILE_STRING)) ||
            (rv = pm_add(out, root, "Password", p->pm_password, CMFILE_STRING)) ||
            (rv = pm_add(out, root, "PeriodicUploadInterval", interval, CMFILE_UNSIGNED_INT)) ||
            (rv = pm_add(out, root, "PeriodicUploadTime", p->pm_time, CMFILE_DATETIME)))
            return rv;
    }
    /* Enable last: the device starts uploading with complete settings. */
    return pm_add(out, root, "Enable", p->pm_enable == 1 ? "true" : "false", CMFILE_BOOLEAN);
}

int prov_alarms(const struct conf_policy *p, enum conf_root root, const char *const *causes,
                size_t ncauses, struct prov_list *out)
{
    if (!p || !out || (!causes && ncauses))
        return CWMP_ERR_INVALID_ARG;
    int rv = 0;
    for (size_t i = 0; !rv && i < ncauses; i++) {
        const struct conf_alarm *hit = NULL, *any = NULL;
        for (size_t k = 0; k < p->nalarm; k++) {
            if (!strcmp(p->alarm[k].cause, "*"))
                any = any ? any : &p->alarm[k];
            else if (causes[i] && !strcmp(p->alarm[k].cause, causes[i]))
                hit = hit ? hit : &p->alarm[k];
        }
        if (!hit)
            hit = any;
        if (!hit)
            continue;
        char s[96];
        snprintf(s, sizeof(s), "FaultMgmt.SupportedAlarm.%zu.ReportingMechanism", i + 1);
        rv = add(out, root, s, conf_alarm_mech_tr196(hit->mech), CMFILE_STRING);
    }
    return rv;
}

int prov_deprovision(enum conf_root root, enum conf_rat rat, const char *initial_hms_url,
                     struct prov_list *out)
{
    if (!out)
        return CWMP_ERR_INVALID_ARG;
    int rv = add_fapc(out, root, rat, "AdminState", "false", CMFILE_BOOLEAN);
    if (!rv && initial_hms_url)
        rv = add(out, root, "ManagementServer.URL", initial_hms_url, CMFILE_STRING);
    return rv;
}

int prov_cr_credentials(const char *username, const char *password, enum conf_root root,
                        struct prov_list *out)
{
    if (!username || !password || !*username || !*password)
        return CWMP_ERR_INVALID_ARG;
    int rv = add(out, root, "ManagementServer.ConnectionRequestUsername", username, CMFILE_STRING);
    if (rv == 0)
        rv = add(out, root, "ManagementServer.ConnectionRequestPassword", password, CMFILE_STRING);
    return rv;
}
