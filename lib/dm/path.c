/*
 * libcwmp - data model: path parsing and resolution (instance paths with
 * numbers or [alias] references, schema paths with {i}).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <string.h>

#include "dm.h"

#define DM_MAX_DEPTH 64
#define DM_MAX_ALIAS 64

uint32_t cwmp__dm_child(const struct cwmp_dm_schema *s, uint32_t node, const char *name, size_t len)
{
    const struct cwmp__dm_node *n = &s->nodes[node];
    if (n->kind == CWMP__DM_PARAM)
        return CWMP__DM_NONE;
    for (uint32_t k = 0; k < n->child_count; k++) {
        uint32_t c = n->first_child + k;
        const char *cn = s->pool + s->nodes[c].name;
        if (cn[0] == name[0] && strncmp(cn, name, len) == 0 && cn[len] == '\0')
            return c;
    }
    return CWMP__DM_NONE;
}

bool cwmp__dm_alias_enabled(struct cwmp_dm *dm)
{
    if (dm->alias_node != CWMP__DM_NONE && dm->root) {
        /* ManagementServer is a child of the root object */
        const struct cwmp__dm_node *root = dm_node(dm, dm->root->node);
        uint32_t ms = dm->ms_node - root->first_child;
        struct dm_obj *mso = dm->root->slots[ms].u.obj;
        const char *v;
        bool b = false;
        uint32_t k = dm->alias_node - dm_node(dm, mso->node)->first_child;
        if (cwmp__dm_read(dm, mso, k, &v) == 0 && cwmp__dm_parse_bool(v, strlen(v), &b) == 0)
            return b;
        return false;
    }
    return dm->opts.alias_based_addressing;
}

static struct dm_obj *find_alias(struct cwmp_dm *dm, const struct dm_tab *t, uint32_t table_node,
                                 const char *alias, size_t len)
{
    uint32_t an = dm->schema->tables[dm_node(dm, table_node)->aux].alias;
    if (an == CWMP__DM_NONE)
        return NULL;
    for (struct dm_obj *o = t->head; o; o = o->next) {
        uint32_t k = an - dm_node(dm, o->node)->first_child;
        const char *v;
        if (cwmp__dm_read(dm, o, k, &v) != 0)
            continue;
        if (strlen(v) == len && memcmp(v, alias, len) == 0)
            return o;
    }
    return NULL;
}

static int parse_number(const char *p, size_t len, uint32_t *out)
{
    uint64_t v = 0;
    if (len == 0 || len > 10 || p[0] == '0')
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (uint64_t) (p[i] - '0');
    }
    if (v > UINT32_MAX)
        return -1;
    *out = (uint32_t) v;
    return 0;
}

int cwmp__dm_resolve(struct cwmp_dm *dm, const char *path, struct dm_ref *ref)
{
    const struct cwmp_dm_schema *s = dm->schema;
    size_t len = strnlen(path, dm->opts.max_path_len + 1);
    const char *p = path, *end;
    const char *root = dm_name(dm, 0);
    size_t rl = strlen(root);
    struct dm_obj *obj = dm->root;
    if (len > dm->opts.max_path_len)
        return CWMP_FAULT_INVALID_PARAMETER_NAME;
    end = path + len;
    if (len < rl + 1 || memcmp(path, root, rl) != 0 || path[rl] != '.')
        return CWMP_FAULT_INVALID_PARAMETER_NAME;
    p = path + rl + 1;
    for (;;) {
        const char *q;
        uint32_t c, k;
        const struct cwmp__dm_node *cn;
        if (p == end) {
            ref->kind = DM_REF_OBJECT;
            ref->obj = obj;
            ref->slot = CWMP__DM_NONE;
            return 0;
        }
        q = memchr(p, '.', (size_t) (end - p));
        if (!q)
            q = end;
        if (q == p)
            return CWMP_FAULT_INVALID_PARAMETER_NAME;
        c = cwmp__dm_child(s, obj->node, p, (size_t) (q - p));
        if (c == CWMP__DM_NONE)
            return CWMP_FAULT_INVALID_PARAMETER_NAME;
        cn = &s->nodes[c];
        k = c - s->nodes[obj->node].first_child;
        if (cn->kind == CWMP__DM_PARAM) {
            if (q != end)
                return CWMP_FAULT_INVALID_PARAMETER_NAME;
            ref->kind = DM_REF_PARAM;
            ref->obj = obj;
            ref->slot = k;
            return 0;
        }
        if (q == end)
            return CWMP_FAULT_INVALID_PARAMETER_NAME; /* object without its dot */
        p = q + 1;
        if (cn->kind == CWMP__DM_OBJECT) {
            obj = obj->slots[k].u.obj;
            continue;
        }
        /* table */
        if (p == end) {
            ref->kind = DM_REF_TABLE;
            ref->obj = obj;
            ref->slot = k;
            return 0;
        }
        q = memchr(p, '.', (size_t) (end - p));
        if (!q)
            return CWMP_FAULT_INVALID_PARAMETER_NAME;
        {
            const struct dm_tab *t = obj->slots[k].u.tab;
            struct dm_obj *inst;
            size_t sl = (size_t) (q - p);
            if (sl >= 2 && p[0] == '[') {
                if (p[sl - 1] != ']' || sl - 2 == 0 || sl - 2 > DM_MAX_ALIAS ||
                    memchr(p + 1, '[', sl - 2) || memchr(p + 1, ']', sl - 2) ||
                    !cwmp__dm_alias_enabled(dm))
                    return CWMP_FAULT_INVALID_PARAMETER_NAME;
                inst = find_alias(dm, t, c, p + 1, sl - 2);
            } else {
                uint32_t num;
                if (parse_number(p, sl, &num) != 0)
                    return CWMP_FAULT_INVALID_PARAMETER_NAME;
                inst = cwmp__dm_tab_find(t, num);
            }
            if (!inst)
                return CWMP_FAULT_INVALID_PARAMETER_NAME;
            obj = inst;
            p = q + 1;
        }
    }
}

uint32_t cwmp__dm_schema_lookup(const struct cwmp_dm_schema *s, const char *path)
{
    size_t len = strlen(path);
    const char *p = path, *end = path + len;
    uint32_t node;
    const char *q = memchr(p, '.', len);
    size_t rl = q ? (size_t) (q - p) : len;
    const char *root = s->pool + s->nodes[0].name;
    if (strlen(root) != rl || memcmp(root, p, rl) != 0 || !q)
        return CWMP__DM_NONE;
    node = 0;
    p = q + 1;
    while (p < end) {
        q = memchr(p, '.', (size_t) (end - p));
        if (!q)
            q = end;
        if (q - p == 3 && memcmp(p, "{i}", 3) == 0) {
            if (s->nodes[node].kind != CWMP__DM_TABLE)
                return CWMP__DM_NONE;
        } else {
            uint32_t c = cwmp__dm_child(s, node, p, (size_t) (q - p));
            if (c == CWMP__DM_NONE)
                return CWMP__DM_NONE;
            if (s->nodes[c].kind == CWMP__DM_PARAM && q != end)
                return CWMP__DM_NONE;
            if (s->nodes[c].kind != CWMP__DM_PARAM && q == end)
                return CWMP__DM_NONE;
            node = c;
        }
        p = q == end ? end : q + 1;
    }
    return node;
}

int cwmp__dm_obj_path(const struct cwmp_dm *dm, const struct dm_obj *obj, char *buf, size_t size)
{
    const struct dm_obj *chain[DM_MAX_DEPTH];
    size_t n = 0, len = 0;
    for (const struct dm_obj *o = obj; o; o = o->parent) {
        if (n == DM_MAX_DEPTH)
            return -1;
        chain[n++] = o;
    }
    while (n--) {
        const struct dm_obj *o = chain[n];
        const char *name = dm_name(dm, o->node);
        size_t nl = strlen(name);
        if (len + nl + 1 >= size)
            return -1;
        memcpy(buf + len, name, nl);
        len += nl;
        buf[len++] = '.';
        if (dm_node(dm, o->node)->kind == CWMP__DM_TABLE) {
            char num[12];
            int k = 0;
            uint32_t v = o->number;
            do {
                num[k++] = (char) ('0' + v % 10);
                v /= 10;
            } while (v);
            if (len + (size_t) k + 1 >= size)
                return -1;
            while (k)
                buf[len++] = num[--k];
            buf[len++] = '.';
        }
    }
    buf[len] = '\0';
    return (int) len;
}
