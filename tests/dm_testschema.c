/*
 * libcwmp tests - run-time builder of compiled data-model schemas.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm_testschema.h"

/* the definition tables below leave trailing fields (pattern) to zero */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct tnode {
    char *name;
    int kind;
    const struct tdef *def;
    struct tnode **kids;
    size_t nkids;
    uint32_t index;
};

static struct tnode *tn_new(const char *name, size_t len, int kind)
{
    struct tnode *t = calloc(1, sizeof(*t));
    if (!t)
        abort();
    t->name = malloc(len + 1);
    if (!t->name)
        abort();
    memcpy(t->name, name, len);
    t->name[len] = '\0';
    t->kind = kind;
    return t;
}

static struct tnode *tn_child(struct tnode *p, const char *name, size_t len, int kind)
{
    for (size_t i = 0; i < p->nkids; i++)
        if (strlen(p->kids[i]->name) == len && memcmp(p->kids[i]->name, name, len) == 0) {
            if (kind == CWMP__DM_TABLE)
                p->kids[i]->kind = CWMP__DM_TABLE;
            return p->kids[i];
        }
    struct tnode *c = tn_new(name, len, kind);
    p->kids = realloc(p->kids, (p->nkids + 1) * sizeof(*p->kids));
    if (!p->kids)
        abort();
    p->kids[p->nkids++] = c;
    return c;
}

static void tn_free(struct tnode *t)
{
    for (size_t i = 0; i < t->nkids; i++)
        tn_free(t->kids[i]);
    free(t->kids);
    free(t->name);
    free(t);
}

struct pool {
    char *data;
    size_t len, cap;
};

static uint32_t pool_add(struct pool *p, const char *s)
{
    size_t n = strlen(s) + 1;
    uint32_t off;
    if (n == 1)
        return 0;
    if (p->len + n > p->cap) {
        p->cap = (p->len + n) * 2;
        p->data = realloc(p->data, p->cap);
        if (!p->data)
            abort();
    }
    off = (uint32_t) p->len;
    memcpy(p->data + p->len, s, n);
    p->len += n;
    return off;
}

struct cwmp_dm_schema *tschema_build(const struct tdef *defs, size_t n, const char *name)
{
    struct tnode *root = NULL;
    struct cwmp_dm_schema *s;
    struct cwmp__dm_node *nodes;
    struct cwmp__dm_syntax *syn;
    struct cwmp__dm_table *tabs;
    uint32_t *enums;
    struct tnode **queue;
    size_t count = 0, qh = 0, qt = 0, nsyn = 0, ntab = 0, nenum = 0, nparam = 0;
    struct pool pool = {NULL, 0, 0};

    for (size_t i = 0; i < n; i++) {
        const char *p = defs[i].path, *q;
        size_t len = strlen(p);
        struct tnode *cur;
        q = strchr(p, '.');
        if (!q)
            return NULL;
        if (!root)
            root = tn_new(p, (size_t) (q - p), CWMP__DM_OBJECT);
        cur = root;
        p = q + 1;
        while (p < defs[i].path + len) {
            q = strchr(p, '.');
            if (!q) { /* parameter */
                cur = tn_child(cur, p, strlen(p), CWMP__DM_PARAM);
                cur->def = &defs[i];
                break;
            }
            int table = strncmp(q + 1, "{i}.", 4) == 0;
            cur = tn_child(cur, p, (size_t) (q - p), table ? CWMP__DM_TABLE : CWMP__DM_OBJECT);
            p = q + 1 + (table ? 4 : 0);
            if (p >= defs[i].path + len)
                cur->def = &defs[i];
        }
    }
    if (!root)
        return NULL;
    /* breadth-first numbering */
    queue = malloc(sizeof(*queue) * 65536);
    queue[qt++] = root;
    while (qh < qt) {
        struct tnode *t = queue[qh++];
        t->index = (uint32_t) count++;
        for (size_t k = 0; k < t->nkids; k++)
            queue[qt++] = t->kids[k];
    }
    nodes = calloc(count, sizeof(*nodes));
    syn = calloc(count, sizeof(*syn));
    tabs = calloc(count, sizeof(*tabs));
    enums = calloc(count * 8 + 1, sizeof(*enums));
    pool_add(&pool, "x"); /* make room, then reset to a leading NUL */
    pool.len = 0;
    pool.data[pool.len++] = '\0';
    for (size_t qi = 0; qi < qt; qi++) {
        struct tnode *t = queue[qi];
        struct cwmp__dm_node *nd = &nodes[t->index];
        nd->name = pool_add(&pool, t->name);
        nd->kind = (uint8_t) t->kind;
        nd->dflt = CWMP__DM_NOSTR;
        nd->aux = CWMP__DM_NONE;
        nd->child_count = (uint16_t) t->nkids;
        nd->first_child = t->nkids ? t->kids[0]->index : 0;
        if (qi == 0)
            nd->parent = CWMP__DM_NONE;
        for (size_t k = 0; k < t->nkids; k++)
            nodes[t->kids[k]->index].parent = t->index;
        if (t->def)
            nd->flags = t->def->flags;
        if (t->kind == CWMP__DM_PARAM) {
            const struct tdef *d = t->def;
            nparam++;
            nd->type = d->type;
            if (d->dflt)
                nd->dflt = pool_add(&pool, d->dflt);
            if ((d->flags & (CWMP__DM_HAS_MIN | CWMP__DM_HAS_MAX)) || d->enums || d->pattern) {
                struct cwmp__dm_syntax *x = &syn[nsyn];
                x->min = d->min;
                x->max = d->max;
                x->pattern = d->pattern ? pool_add(&pool, d->pattern) : CWMP__DM_NOSTR;
                if (d->pattern && !d->pattern[0])
                    x->pattern = 0;
                x->enum_first = (uint32_t) nenum;
                if (d->enums) {
                    char buf[512];
                    snprintf(buf, sizeof(buf), "%s", d->enums);
                    for (char *tok = strtok(buf, "|"); tok; tok = strtok(NULL, "|")) {
                        enums[nenum++] = pool_add(&pool, tok);
                        x->enum_count++;
                    }
                    /* an empty alternative "" at the start: "|A|B" */
                    if (d->enums[0] == '|') {
                        enums[nenum++] = 0;
                        x->enum_count++;
                    }
                }
                nd->aux = (uint32_t) nsyn++;
            }
        } else if (t->kind == CWMP__DM_TABLE) {
            struct cwmp__dm_table *tb = &tabs[ntab];
            tb->node = t->index;
            tb->num_entries = CWMP__DM_NONE;
            tb->alias = CWMP__DM_NONE;
            tb->max_entries = t->def && t->def->max_entries ? t->def->max_entries : CWMP__DM_NONE;
            tb->min_entries = t->def ? t->def->min_entries : 0;
            for (size_t k = 0; k < t->nkids; k++)
                if (strcmp(t->kids[k]->name, "Alias") == 0)
                    tb->alias = t->kids[k]->index;
            nd->aux = (uint32_t) ntab++;
        }
    }
    /* NumberOfEntries links: sibling "<Name>NumberOfEntries" */
    for (size_t ti = 0; ti < ntab; ti++) {
        uint32_t tnode = tabs[ti].node;
        const struct cwmp__dm_node *nd = &nodes[tnode];
        const struct cwmp__dm_node *par = &nodes[nd->parent];
        char want[256];
        snprintf(want, sizeof(want), "%sNumberOfEntries", pool.data + nd->name);
        for (uint32_t k = 0; k < par->child_count; k++)
            if (strcmp(pool.data + nodes[par->first_child + k].name, want) == 0)
                tabs[ti].num_entries = par->first_child + k;
    }
    s = calloc(1, sizeof(*s));
    s->format = CWMP__DM_SCHEMA_FORMAT;
    s->name = name;
    s->pool = pool.data;
    s->pool_size = (uint32_t) pool.len;
    s->nodes = nodes;
    s->node_count = (uint32_t) count;
    s->syntaxes = syn;
    s->syntax_count = (uint32_t) nsyn;
    s->enums = enums;
    s->enum_count = (uint32_t) nenum;
    s->tables = tabs;
    s->table_count = (uint32_t) ntab;
    s->param_count = (uint32_t) nparam;
    free(queue);
    tn_free(root);
    return s;
}

void tschema_free(struct cwmp_dm_schema *s)
{
    if (!s)
        return;
    free((void *) s->pool);
    free((void *) s->nodes);
    free((void *) s->syntaxes);
    free((void *) s->enums);
    free((void *) s->tables);
    free(s);
}

/* ---- the FAP test model --------------------------------------------------- */

#define RO        CWMP__DM_READ_ONLY
#define RW        CWMP__DM_READ_WRITE
#define WO        CWMP__DM_WRITE_ONCE
#define FI        CWMP__DM_FORCED_INFORM
#define CAN_DENY  CWMP__DM_NOTIFY_CAN_DENY
#define FORCE_DEF CWMP__DM_NOTIFY_FORCE_DEFAULT
#define FORCE     CWMP__DM_NOTIFY_FORCE
#define MINMAX    (CWMP__DM_HAS_MIN | CWMP__DM_HAS_MAX)
#define TAB       (CWMP__DM_CREATE | CWMP__DM_DELETE)
#define S         CWMP_TYPE_STRING
#define U         CWMP_TYPE_UNSIGNED_INT
#define I         CWMP_TYPE_INT
#define B         CWMP_TYPE_BOOLEAN
#define D         CWMP_TYPE_DATETIME

#define FM_EVENT(root, tab)                                                                          \
    {root "FaultMgmt." tab "NumberOfEntries", U, RO, NULL, 0, 0, NULL, 0, 0},                        \
        {root "FaultMgmt." tab ".{i}.", 0, 0, NULL, 0, 0, NULL, 0, 0},                               \
        {root "FaultMgmt." tab ".{i}.EventTime", D, RO, NULL, 0, 0, NULL, 0, 0},                     \
        {root "FaultMgmt." tab ".{i}.AlarmIdentifier",                                               \
         S,                                                                                          \
         RO | CWMP__DM_HAS_MAX,                                                                      \
         NULL,                                                                                       \
         0,                                                                                          \
         64,                                                                                         \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {root "FaultMgmt." tab ".{i}.NotificationType", S, RO, NULL, 0, 0,                           \
         "NewAlarm|ChangedAlarm|ClearedAlarm",          0, 0},                                       \
        {root "FaultMgmt." tab ".{i}.ManagedObjectInstance",                                         \
         S,                                                                                          \
         RO | CWMP__DM_HAS_MAX,                                                                      \
         NULL,                                                                                       \
         0,                                                                                          \
         512,                                                                                        \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {root "FaultMgmt." tab ".{i}.EventType", S, RO | CWMP__DM_HAS_MAX, NULL, 0, 64, NULL, 0, 0}, \
        {root "FaultMgmt." tab ".{i}.ProbableCause",                                                 \
         S,                                                                                          \
         RO | CWMP__DM_HAS_MAX,                                                                      \
         NULL,                                                                                       \
         0,                                                                                          \
         64,                                                                                         \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {root "FaultMgmt." tab ".{i}.SpecificProblem",                                               \
         S,                                                                                          \
         RO | CWMP__DM_HAS_MAX,                                                                      \
         NULL,                                                                                       \
         0,                                                                                          \
         128,                                                                                        \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {root "FaultMgmt." tab ".{i}.PerceivedSeverity",       S, RO, NULL, 0, 0,                    \
         "Cleared|Critical|Major|Minor|Warning|Indeterminate", 0, 0},                                \
        {root "FaultMgmt." tab ".{i}.AdditionalText",                                                \
         S,                                                                                          \
         RO | CWMP__DM_HAS_MAX,                                                                      \
         NULL,                                                                                       \
         0,                                                                                          \
         256,                                                                                        \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
    {                                                                                                \
        root "FaultMgmt." tab ".{i}.AdditionalInformation", S, RO | CWMP__DM_HAS_MAX, NULL, 0,       \
            256, NULL, 0, 0                                                                          \
    }

#define FAP_MODEL(R)                                                                                 \
    {R "ManagementServer.URL", S, RW | CWMP__DM_HAS_MAX, NULL, 0, 256, NULL, 0, 0},                  \
        {R "ManagementServer.Username", S, RW, NULL, 0, 0, NULL, 0, 0},                              \
        {R "ManagementServer.Password", S, RW | CWMP__DM_HIDDEN, NULL, 0, 0, NULL, 0, 0},            \
        {R "ManagementServer.PeriodicInformEnable", B, RW, "true", 0, 0, NULL, 0, 0},                \
        {R "ManagementServer.PeriodicInformInterval",                                                \
         U,                                                                                          \
         RW | CWMP__DM_HAS_MIN,                                                                      \
         "86400",                                                                                    \
         1,                                                                                          \
         0,                                                                                          \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "ManagementServer.PeriodicInformTime", D, RW, NULL, 0, 0, NULL, 0, 0},                    \
        {R "ManagementServer.ParameterKey",                                                          \
         S,                                                                                          \
         RO | FI | CAN_DENY | CWMP__DM_HAS_MAX,                                                      \
         NULL,                                                                                       \
         0,                                                                                          \
         32,                                                                                         \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "ManagementServer.ConnectionRequestURL", S, RO | FI | FORCE_DEF, NULL, 0, 0, NULL, 0, 0}, \
        {R "ManagementServer.AliasBasedAddressing", B, RO | FI, "false", 0, 0, NULL, 0, 0},          \
        {R "DeviceInfo.Manufacturer", S, RO, "ACME", 0, 0, NULL, 0, 0},                              \
        {R "DeviceInfo.ManufacturerOUI", S, RO, "00D0CA", 0, 0, NULL, 0, 0},                         \
        {R "DeviceInfo.ProductClass", S, RO, "HeNB", 0, 0, NULL, 0, 0},                              \
        {R "DeviceInfo.SerialNumber", S, RO, "0001", 0, 0, NULL, 0, 0},                              \
        {R "DeviceInfo.HardwareVersion", S, RO | FI, "hw1", 0, 0, NULL, 0, 0},                       \
        {R "DeviceInfo.SoftwareVersion", S, RO | FI | FORCE, "sw1", 0, 0, NULL, 0, 0},               \
        {R "DeviceInfo.ProvisioningCode",                                                            \
         S,                                                                                          \
         RW | FI | FORCE | CWMP__DM_HAS_MAX,                                                         \
         NULL,                                                                                       \
         0,                                                                                          \
         64,                                                                                         \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "DeviceInfo.UpTime", U, RO, NULL, 0, 0, NULL, 0, 0},                                      \
        {R "Services.FAPServiceNumberOfEntries", U, RO, NULL, 0, 0, NULL, 0, 0},                     \
        {R "Services.FAPService.{i}.", 0, TAB, NULL, 0, 0, NULL, 2, 0},                              \
        {R "Services.FAPService.{i}.Alias", S, WO | CWMP__DM_HAS_MAX, NULL, 0, 64, NULL, 0, 0},      \
        {R "Services.FAPService.{i}.DNPrefix", S, RW | CWMP__DM_HAS_MAX, NULL, 0, 256, NULL, 0, 0},  \
        {R "Services.FAPService.{i}.FAPControl.LTE.AdminState", B, RW, "false", 0, 0, NULL, 0, 0},   \
        {R "Services.FAPService.{i}.FAPControl.LTE.OpState",                                         \
         B,                                                                                          \
         RO | FI | FORCE_DEF,                                                                        \
         "false",                                                                                    \
         0,                                                                                          \
         0,                                                                                          \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "Services.FAPService.{i}.FAPControl.LTE.RFTxStatus",                                      \
         B,                                                                                          \
         RO | FI | FORCE_DEF,                                                                        \
         "false",                                                                                    \
         0,                                                                                          \
         0,                                                                                          \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "Services.FAPService.{i}.FAPControl.LTE.PMConfig", S, RW, NULL, 0, 0, NULL, 0, 0},        \
        {R "Services.FAPService.{i}.FAPControl.LTE.Gateway.SecGWServer1",                            \
         S,                                                                                          \
         RW | CWMP__DM_HAS_MAX,                                                                      \
         NULL,                                                                                       \
         0,                                                                                          \
         64,                                                                                         \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "Services.FAPService.{i}.FAPControl.LTE.Gateway.SecGWServer2",                            \
         S,                                                                                          \
         RW | CWMP__DM_HAS_MAX,                                                                      \
         NULL,                                                                                       \
         0,                                                                                          \
         64,                                                                                         \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "Services.FAPService.{i}.FAPControl.LTE.Gateway.SecGWServer3",                            \
         S,                                                                                          \
         RW | CWMP__DM_HAS_MAX,                                                                      \
         NULL,                                                                                       \
         0,                                                                                          \
         64,                                                                                         \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "Services.FAPService.{i}.FAPControl.LTE.Gateway.S1SigLinkServerList",                     \
         S,                                                                                          \
         RW | CWMP__DM_LIST,                                                                         \
         NULL,                                                                                       \
         0,                                                                                          \
         0,                                                                                          \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "Services.FAPService.{i}.FAPControl.LTE.Gateway.S1ConnectionMode",                        \
         S,                                                                                          \
         RW,                                                                                         \
         "One",                                                                                      \
         0,                                                                                          \
         0,                                                                                          \
         "One|All",                                                                                  \
         0,                                                                                          \
         0},                                                                                         \
        {R "Services.FAPService.{i}.FAPControl.LTE.Gateway.S1SigLinkPort",                           \
         U,                                                                                          \
         RW | CWMP__DM_HAS_MAX,                                                                      \
         "36412",                                                                                    \
         0,                                                                                          \
         65535,                                                                                      \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "Services.FAPService.{i}.FAPControl.UMTS.Gateway.SecGWServer1",                           \
         S,                                                                                          \
         RW | CWMP__DM_HAS_MAX,                                                                      \
         NULL,                                                                                       \
         0,                                                                                          \
         64,                                                                                         \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "Services.FAPService.{i}.FAPControl.UMTS.Gateway.SecGWServer2",                           \
         S,                                                                                          \
         RW | CWMP__DM_HAS_MAX,                                                                      \
         NULL,                                                                                       \
         0,                                                                                          \
         64,                                                                                         \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "Services.FAPService.{i}.FAPControl.UMTS.Gateway.SecGWServer3",                           \
         S,                                                                                          \
         RW | CWMP__DM_HAS_MAX,                                                                      \
         NULL,                                                                                       \
         0,                                                                                          \
         64,                                                                                         \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "Services.FAPService.{i}.FAPControl.UMTS.Gateway.FAPGWServer1",                           \
         S,                                                                                          \
         RW | CWMP__DM_HAS_MAX,                                                                      \
         NULL,                                                                                       \
         0,                                                                                          \
         64,                                                                                         \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "Services.FAPService.{i}.FAPControl.UMTS.Gateway.FAPGWServer2",                           \
         S,                                                                                          \
         RW | CWMP__DM_HAS_MAX,                                                                      \
         NULL,                                                                                       \
         0,                                                                                          \
         64,                                                                                         \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "Services.FAPService.{i}.FAPControl.UMTS.Gateway.FAPGWServer3",                           \
         S,                                                                                          \
         RW | CWMP__DM_HAS_MAX,                                                                      \
         NULL,                                                                                       \
         0,                                                                                          \
         64,                                                                                         \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "Services.FAPService.{i}.FAPControl.UMTS.Gateway.FAPGWPort",                              \
         U,                                                                                          \
         RW | CWMP__DM_HAS_MAX,                                                                      \
         "29169",                                                                                    \
         0,                                                                                          \
         65535,                                                                                      \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "Services.FAPService.{i}.CellConfig.LTE.RAN.RF.EARFCNDL",                                 \
         S,                                                                                          \
         RW | CWMP__DM_LIST,                                                                         \
         NULL,                                                                                       \
         0,                                                                                          \
         0,                                                                                          \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "Services.FAPService.{i}.CellConfig.LTE.RAN.RF.PhyCellID",                                \
         S,                                                                                          \
         RW | CWMP__DM_LIST,                                                                         \
         NULL,                                                                                       \
         0,                                                                                          \
         0,                                                                                          \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "Services.FAPService.{i}.CellConfig.LTE.EPC.TAC",                                         \
         U,                                                                                          \
         RW | MINMAX,                                                                                \
         "1",                                                                                        \
         0,                                                                                          \
         65535,                                                                                      \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "FAP.GPS.LockedLatitude",                                                                 \
         I,                                                                                          \
         RO | CAN_DENY | MINMAX,                                                                     \
         NULL,                                                                                       \
         -90000000,                                                                                  \
         90000000,                                                                                   \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "FAP.GPS.LockedLongitude",                                                                \
         I,                                                                                          \
         RO | CAN_DENY | MINMAX,                                                                     \
         NULL,                                                                                       \
         -180000000,                                                                                 \
         180000000,                                                                                  \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "FAP.PerfMgmt.ConfigNumberOfEntries", U, RO, NULL, 0, 0, NULL, 0, 0},                     \
        {R "FAP.PerfMgmt.Config.{i}.", 0, TAB, NULL, 0, 0, NULL, 0, 0},                              \
        {R "FAP.PerfMgmt.Config.{i}.Enable", B, RW, "false", 0, 0, NULL, 0, 0},                      \
        {R "FAP.PerfMgmt.Config.{i}.Alias", S, WO | CWMP__DM_HAS_MAX, NULL, 0, 64, NULL, 0, 0},      \
        {R "FAP.PerfMgmt.Config.{i}.URL", S, RW | CWMP__DM_HAS_MAX, NULL, 0, 256, NULL, 0, 0},       \
        {R "FAP.PerfMgmt.Config.{i}.Username", S, RW | CWMP__DM_HAS_MAX, NULL, 0, 256, NULL, 0, 0},  \
        {R "FAP.PerfMgmt.Config.{i}.Password",                                                       \
         S,                                                                                          \
         RW | CWMP__DM_SECURED | CWMP__DM_HAS_MAX,                                                   \
         NULL,                                                                                       \
         0,                                                                                          \
         256,                                                                                        \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "FAP.PerfMgmt.Config.{i}.PeriodicUploadInterval",                                         \
         U,                                                                                          \
         RW | CWMP__DM_HAS_MIN,                                                                      \
         "900",                                                                                      \
         1,                                                                                          \
         0,                                                                                          \
         NULL,                                                                                       \
         0,                                                                                          \
         0},                                                                                         \
        {R "FAP.PerfMgmt.Config.{i}.PeriodicUploadTime", D, RW, NULL, 0, 0, NULL, 0, 0},             \
        {R "FaultMgmt.SupportedAlarmNumberOfEntries", U, RO, NULL, 0, 0, NULL, 0, 0},                \
        {R "FaultMgmt.MaxCurrentAlarmEntries", U, RO, "32", 0, 0, NULL, 0, 0},                       \
        {R "FaultMgmt.CurrentAlarmNumberOfEntries", U, RO, NULL, 0, 0, NULL, 0, 0},                  \
        {R "FaultMgmt.SupportedAlarm.{i}.", 0, 0, NULL, 0, 0, NULL, 0, 0},                           \
        {R "FaultMgmt.SupportedAlarm.{i}.EventType", S, RO, NULL, 0, 0, NULL, 0, 0},                 \
        {R "FaultMgmt.SupportedAlarm.{i}.ProbableCause", S, RO, NULL, 0, 0, NULL, 0, 0},             \
        {R "FaultMgmt.SupportedAlarm.{i}.SpecificProblem", S, RO, NULL, 0, 0, NULL, 0, 0},           \
        {R "FaultMgmt.SupportedAlarm.{i}.PerceivedSeverity",      S, RO, NULL, 0, 0,                 \
         "|*|Cleared|Critical|Major|Minor|Warning|Indeterminate", 0, 0},                             \
        {R "FaultMgmt.SupportedAlarm.{i}.ReportingMechanism", S, RW, "1 Queued", 0, 0,               \
         "0 Expedited|1 Queued|2 Logged|3 Disabled",          0, 0},                                 \
        {R "FaultMgmt.CurrentAlarm.{i}.", 0, 0, NULL, 0, 0, NULL, 0, 0},                             \
        {R "FaultMgmt.CurrentAlarm.{i}.AlarmIdentifier", S, RO, NULL, 0, 0, NULL, 0, 0},             \
        {R "FaultMgmt.CurrentAlarm.{i}.AlarmRaisedTime", D, RO, NULL, 0, 0, NULL, 0, 0},             \
        {R "FaultMgmt.CurrentAlarm.{i}.AlarmChangedTime", D, RO, NULL, 0, 0, NULL, 0, 0},            \
        {R "FaultMgmt.CurrentAlarm.{i}.ManagedObjectInstance", S, RO, NULL, 0, 0, NULL, 0, 0},       \
        {R "FaultMgmt.CurrentAlarm.{i}.EventType", S, RO, NULL, 0, 0, NULL, 0, 0},                   \
        {R "FaultMgmt.CurrentAlarm.{i}.ProbableCause", S, RO, NULL, 0, 0, NULL, 0, 0},               \
        {R "FaultMgmt.CurrentAlarm.{i}.SpecificProblem", S, RO, NULL, 0, 0, NULL, 0, 0},             \
        {R "FaultMgmt.CurrentAlarm.{i}.PerceivedSeverity", S, RO, NULL, 0, 0,                        \
         "Critical|Major|Minor|Warning|Indeterminate",     0, 0},                                    \
        {R "FaultMgmt.CurrentAlarm.{i}.AdditionalText", S, RO, NULL, 0, 0, NULL, 0, 0},              \
        {R "FaultMgmt.CurrentAlarm.{i}.AdditionalInformation", S, RO, NULL, 0, 0, NULL, 0, 0},       \
        FM_EVENT(R, "HistoryEvent"), FM_EVENT(R, "ExpeditedEvent"), FM_EVENT(R, "QueuedEvent")

static const struct tdef fap_defs[] = {
    FAP_MODEL("Device."),
    {"Device.RootDataModelVersion", S, RO | FI, "2.17", 0, 0, NULL, 0, 0},
    {"Device.IPsec.Enable", B, RW, "false", 0, 0, NULL, 0, 0},
    {"Device.X_TEST_Patterns.OUI", S, RW, "00D0CA", 0, 0, NULL, 0, 0, "[0-9A-F]{6}"},
    {"Device.X_TEST_Patterns.IPv4", S, RW, "", 0, 0, NULL, 0, 0,
     "()|(((25[0-5]|2[0-4][0-9]|[01]?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|[01]?[0-9]?[0-9]))"},
};

static const struct tdef fap_igd_defs[] = {
    FAP_MODEL("InternetGatewayDevice."),
    {"InternetGatewayDevice.DeviceSummary", S, RO | FI, "InternetGatewayDevice:1.14", 0, 0, NULL, 0,
     0},
    {"InternetGatewayDevice.FAP.Tunnel.UseForCWMP", B, RW, "false", 0, 0, NULL, 0, 0},
};

struct cwmp_dm_schema *tschema_fap(void)
{
    return tschema_build(fap_defs, sizeof(fap_defs) / sizeof(fap_defs[0]), "test FAP Device:2");
}

struct cwmp_dm_schema *tschema_fap_igd(void)
{
    return tschema_build(fap_igd_defs, sizeof(fap_igd_defs) / sizeof(fap_igd_defs[0]),
                         "test FAP IGD");
}

struct cwmp_dm_schema *tschema_wide(unsigned params)
{
    struct tdef *d = calloc(params + 2, sizeof(*d));
    char **names = calloc(params + 2, sizeof(*names));
    struct cwmp_dm_schema *s;
    d[0].path = "Device.BenchNumberOfEntries";
    d[0].type = U;
    d[0].flags = RO;
    d[1].path = "Device.Bench.{i}.";
    d[1].flags = TAB;
    for (unsigned i = 0; i < params; i++) {
        names[i] = malloc(48);
        snprintf(names[i], 48, "Device.Bench.{i}.Param%u", i);
        d[i + 2].path = names[i];
        d[i + 2].type = S;
        d[i + 2].flags = RW | CWMP__DM_HAS_MAX;
        d[i + 2].max = 64;
        d[i + 2].dflt = "value";
    }
    s = tschema_build(d, params + 2, "wide");
    for (unsigned i = 0; i < params; i++)
        free(names[i]);
    free(names);
    free(d);
    return s;
}
