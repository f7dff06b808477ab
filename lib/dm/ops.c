/*
 * libcwmp - data model: the TR-069 parameter RPCs (GetParameterValues,
 * GetParameterNames, SetParameterValues, Get/SetParameterAttributes,
 * AddObject, DeleteObject) and their result object.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <string.h>

#include "dm.h"

/* ---- result ----------------------------------------------------------------- */

struct cwmp_dm_result_priv {
    struct cwmp_arena ar;
    size_t value_cap, info_cap, attr_cap, fault_cap;
};

void cwmp_dm_result_free(struct cwmp_dm_result *r)
{
    if (!r)
        return;
    if (r->priv_) {
        const struct cwmp_allocator *a = r->priv_->ar.alloc;
        cwmp__arena_free(&r->priv_->ar);
        cwmp__free(a, r->priv_);
    }
    memset(r, 0, sizeof(*r));
}

static struct cwmp_dm_result_priv *res_priv(struct cwmp_dm *dm, struct cwmp_dm_result *r)
{
    if (!r->priv_) {
        r->priv_ = cwmp__calloc(dm->alloc, 1, sizeof(*r->priv_));
        if (!r->priv_)
            return NULL;
        cwmp__arena_init(&r->priv_->ar, dm->alloc, 4096, 0);
    }
    return r->priv_;
}

/* Grows an array kept in the arena (doubling; old blocks stay in the arena). */
static void *grow(struct cwmp_arena *ar, void *arr, size_t count, size_t *cap, size_t elem)
{
    size_t nc = *cap ? *cap * 2 : 16;
    void *n;
    if (nc > SIZE_MAX / elem)
        return NULL;
    n = cwmp__arena_alloc(ar, nc * elem);
    if (!n)
        return NULL;
    if (count)
        memcpy(n, arr, count * elem);
    *cap = nc;
    return n;
}

static struct cwmp_param_value *push_value(struct cwmp_dm *dm, struct cwmp_dm_result *r)
{
    struct cwmp_dm_result_priv *p = res_priv(dm, r);
    if (!p)
        return NULL;
    if (r->value_count == p->value_cap) {
        void *n = grow(&p->ar, r->values, r->value_count, &p->value_cap, sizeof(*r->values));
        if (!n)
            return NULL;
        r->values = n;
    }
    return &r->values[r->value_count++];
}

static struct cwmp_param_info *push_info(struct cwmp_dm *dm, struct cwmp_dm_result *r)
{
    struct cwmp_dm_result_priv *p = res_priv(dm, r);
    if (!p)
        return NULL;
    if (r->info_count == p->info_cap) {
        void *n = grow(&p->ar, r->infos, r->info_count, &p->info_cap, sizeof(*r->infos));
        if (!n)
            return NULL;
        r->infos = n;
    }
    return &r->infos[r->info_count++];
}

static struct cwmp_param_attribute *push_attr(struct cwmp_dm *dm, struct cwmp_dm_result *r)
{
    struct cwmp_dm_result_priv *p = res_priv(dm, r);
    if (!p)
        return NULL;
    if (r->attribute_count == p->attr_cap) {
        void *n =
            grow(&p->ar, r->attributes, r->attribute_count, &p->attr_cap, sizeof(*r->attributes));
        if (!n)
            return NULL;
        r->attributes = n;
    }
    return &r->attributes[r->attribute_count++];
}

static int push_fault(struct cwmp_dm *dm, struct cwmp_dm_result *r, const char *name, int code)
{
    struct cwmp_dm_result_priv *p = res_priv(dm, r);
    if (!p)
        return CWMP_ERR_NOMEM;
    if (r->fault_count == p->fault_cap) {
        void *n = grow(&p->ar, r->faults, r->fault_count, &p->fault_cap, sizeof(*r->faults));
        if (!n)
            return CWMP_ERR_NOMEM;
        r->faults = n;
    }
    struct cwmp_param_fault *f = &r->faults[r->fault_count];
    f->name = cwmp__arena_strdup(&p->ar, name ? name : "");
    if (!f->name)
        return CWMP_ERR_NOMEM;
    f->code = code;
    f->string = NULL;
    r->fault_count++;
    return 0;
}

/* ---- walking ----------------------------------------------------------------- */

int cwmp__dm_w_push(struct walk *w, const char *s, size_t n)
{
    if (w->len + n + 1 > sizeof(w->path))
        return CWMP_ERR_LIMIT;
    memcpy(w->path + w->len, s, n);
    w->len += n;
    w->path[w->len] = '\0';
    return 0;
}

int cwmp__dm_w_push_num(struct walk *w, uint32_t v)
{
    char num[12];
    int k = 0;
    do {
        num[k++] = (char) ('0' + v % 10);
        v /= 10;
    } while (v);
    if (w->len + (size_t) k + 2 > sizeof(w->path))
        return CWMP_ERR_LIMIT;
    while (k)
        w->path[w->len++] = num[--k];
    w->path[w->len++] = '.';
    w->path[w->len] = '\0';
    return 0;
}

int cwmp__dm_walk_table(struct walk *w, struct dm_obj *parent, uint32_t slot)
{
    struct dm_tab *t = parent->slots[slot].u.tab;
    uint32_t tnode = dm_slot_node(w->dm, parent, slot);
    int deletable = (dm_node(w->dm, tnode)->flags & CWMP__DM_DELETE) != 0;
    for (struct dm_obj *i = t->head; i; i = i->next) {
        size_t save = w->len;
        int rv = cwmp__dm_w_push_num(w, i->number);
        if (rv == 0 && w->object)
            rv = w->object(w, i, deletable);
        if (rv == 0)
            rv = cwmp__dm_walk_obj(w, i);
        w->len = save;
        w->path[save] = '\0';
        if (rv)
            return rv;
    }
    return 0;
}

/* Visits the children of o; w->path is o's path with its trailing dot. */
int cwmp__dm_walk_obj(struct walk *w, struct dm_obj *o)
{
    const struct cwmp__dm_node *n = dm_node(w->dm, o->node);
    for (uint32_t k = 0; k < n->child_count; k++) {
        uint32_t cnode = n->first_child + k;
        const struct cwmp__dm_node *c = dm_node(w->dm, cnode);
        const char *name = dm_name(w->dm, cnode);
        size_t save = w->len;
        int rv = cwmp__dm_w_push(w, name, strlen(name));
        if (rv)
            return rv;
        if (c->kind == CWMP__DM_PARAM) {
            if (w->param)
                rv = w->param(w, o, k);
        } else {
            rv = cwmp__dm_w_push(w, ".", 1);
            if (rv == 0 && c->kind == CWMP__DM_OBJECT) {
                if (w->object)
                    rv = w->object(w, o->slots[k].u.obj, 0);
                if (rv == 0)
                    rv = cwmp__dm_walk_obj(w, o->slots[k].u.obj);
            } else if (rv == 0) {
                if (w->object)
                    rv = w->object(w, NULL, (c->flags & CWMP__DM_CREATE) != 0);
                if (rv == 0)
                    rv = cwmp__dm_walk_table(w, o, k);
            }
        }
        w->len = save;
        w->path[save] = '\0';
        if (rv)
            return rv;
    }
    return 0;
}

/* Walks what a resolved ref designates; the path buffer starts as `path`. */
static int walk_ref(struct walk *w, const char *path, const struct dm_ref *ref, int self)
{
    size_t pl = strlen(path);
    w->len = 0;
    if (cwmp__dm_w_push(w, path, pl))
        return CWMP_ERR_LIMIT;
    switch (ref->kind) {
    case DM_REF_PARAM: return w->param ? w->param(w, ref->obj, ref->slot) : 0;
    case DM_REF_OBJECT: {
        int rv = 0;
        if (self && w->object) {
            const struct cwmp__dm_node *n = dm_node(w->dm, ref->obj->node);
            rv = w->object(w, ref->obj,
                           n->kind == CWMP__DM_TABLE && (n->flags & CWMP__DM_DELETE) != 0);
        }
        return rv ? rv : cwmp__dm_walk_obj(w, ref->obj);
    }
    case DM_REF_TABLE: {
        int rv = 0;
        if (self && w->object) {
            const struct cwmp__dm_node *n =
                dm_node(w->dm, dm_slot_node(w->dm, ref->obj, ref->slot));
            rv = w->object(w, NULL, (n->flags & CWMP__DM_CREATE) != 0);
        }
        return rv ? rv : cwmp__dm_walk_table(w, ref->obj, ref->slot);
    }
    }
    return CWMP_ERR_INTERNAL;
}

/* ---- GetParameterValues ------------------------------------------------------ */

static int count_item(struct walk *w)
{
    if (++w->produced > w->dm->opts.max_result_items)
        return CWMP_FAULT_RESOURCES_EXCEEDED;
    return 0;
}

static int gpv_param(struct walk *w, struct dm_obj *o, uint32_t slot)
{
    struct cwmp_dm *dm = w->dm;
    uint32_t node = dm_slot_node(dm, o, slot);
    const struct cwmp__dm_node *n = dm_node(dm, node);
    const char *v = "";
    struct cwmp_param_value *pv;
    int rv = count_item(w);
    if (rv)
        return rv;
    if (!(n->flags & (CWMP__DM_HIDDEN | CWMP__DM_SECURED))) {
        rv = cwmp__dm_read(dm, o, slot, &v);
        if (rv != 0) {
            cwmp__dm_detail(dm, "get handler failed", w->path);
            return rv < 0 ? rv : CWMP_FAULT_INTERNAL_ERROR;
        }
    }
    pv = push_value(dm, w->r);
    if (!pv)
        return CWMP_ERR_NOMEM;
    pv->name = cwmp__arena_strndup(&w->r->priv_->ar, w->path, w->len);
    pv->value = cwmp__arena_strdup(&w->r->priv_->ar, v);
    pv->type = (n->flags & CWMP__DM_LIST) ? CWMP_TYPE_STRING : (enum cwmp_type) n->type;
    pv->type_name = NULL;
    if (!pv->name || !pv->value)
        return CWMP_ERR_NOMEM;
    return 0;
}

static void rollback_count(struct cwmp_dm_result *r, size_t values, size_t infos, size_t attrs)
{
    r->value_count = values;
    r->info_count = infos;
    r->attribute_count = attrs;
}

int cwmp_dm_get_values(struct cwmp_dm *dm, const char *const *names, size_t count,
                       struct cwmp_dm_result *r)
{
    struct walk w;
    size_t v0;
    if (!dm || !r || (!names && count))
        return CWMP_ERR_INVALID_ARG;
    if (count > dm->opts.max_request_items)
        return CWMP_FAULT_RESOURCES_EXCEEDED;
    v0 = r->value_count;
    memset(&w, 0, sizeof(w));
    w.dm = dm;
    w.r = r;
    w.param = gpv_param;
    for (size_t i = 0; i < count; i++) {
        struct dm_ref ref;
        int rv;
        if (!names[i])
            return CWMP_ERR_INVALID_ARG;
        if (names[i][0] == '\0') {
            ref.kind = DM_REF_OBJECT;
            ref.obj = dm->root;
            rv = 0;
            w.len = 0;
            rv = cwmp__dm_w_push(&w, dm_name(dm, 0), strlen(dm_name(dm, 0)));
            if (rv == 0)
                rv = cwmp__dm_w_push(&w, ".", 1);
            if (rv == 0)
                rv = cwmp__dm_walk_obj(&w, dm->root);
        } else {
            rv = cwmp__dm_resolve(dm, names[i], &ref);
            if (rv != 0)
                cwmp__dm_detail(dm, "invalid parameter name", names[i]);
            else
                rv = walk_ref(&w, names[i], &ref, 0);
        }
        if (rv != 0) {
            rollback_count(r, v0, r->info_count, r->attribute_count);
            return rv;
        }
    }
    return 0;
}

/* ---- GetParameterNames ------------------------------------------------------ */

static int gpn_add(struct walk *w, int writable)
{
    struct cwmp_param_info *pi;
    int rv = count_item(w);
    if (rv)
        return rv;
    pi = push_info(w->dm, w->r);
    if (!pi)
        return CWMP_ERR_NOMEM;
    pi->name = cwmp__arena_strndup(&w->r->priv_->ar, w->path, w->len);
    pi->writable = writable != 0;
    return pi->name ? 0 : CWMP_ERR_NOMEM;
}

static int param_writable(struct cwmp_dm *dm, struct dm_obj *o, uint32_t slot)
{
    const struct cwmp__dm_node *n = dm_node(dm, dm_slot_node(dm, o, slot));
    unsigned acc = n->flags & CWMP__DM_ACCESS_MASK;
    if (acc == CWMP__DM_READ_WRITE)
        return 1;
    if (acc == CWMP__DM_WRITE_ONCE)
        return !(o->slots[slot].state & DM_ST_WRITTEN);
    return 0;
}

static int gpn_param(struct walk *w, struct dm_obj *o, uint32_t slot)
{
    return gpn_add(w, param_writable(w->dm, o, slot));
}

static int gpn_object(struct walk *w, struct dm_obj *o, int writable)
{
    (void) o;
    return gpn_add(w, writable);
}

/* One level below ref: "X.Param", "X.Child.", "T." for objects; "T.n." for tables. */
static int gpn_next_level(struct walk *w, const struct dm_ref *ref)
{
    struct cwmp_dm *dm = w->dm;
    size_t base = w->len;
    int rv = 0;
    if (ref->kind == DM_REF_TABLE) {
        struct dm_tab *t = ref->obj->slots[ref->slot].u.tab;
        int del =
            (dm_node(dm, dm_slot_node(dm, ref->obj, ref->slot))->flags & CWMP__DM_DELETE) != 0;
        for (struct dm_obj *i = t->head; i && rv == 0; i = i->next) {
            rv = cwmp__dm_w_push_num(w, i->number);
            if (rv == 0)
                rv = gpn_add(w, del);
            w->len = base;
            w->path[base] = '\0';
        }
        return rv;
    }
    {
        struct dm_obj *o = ref->obj;
        const struct cwmp__dm_node *n = dm_node(dm, o->node);
        for (uint32_t k = 0; k < n->child_count && rv == 0; k++) {
            uint32_t cnode = n->first_child + k;
            const struct cwmp__dm_node *c = dm_node(dm, cnode);
            const char *name = dm_name(dm, cnode);
            rv = cwmp__dm_w_push(w, name, strlen(name));
            if (rv == 0 && c->kind != CWMP__DM_PARAM)
                rv = cwmp__dm_w_push(w, ".", 1);
            if (rv == 0)
                rv = gpn_add(w, c->kind == CWMP__DM_PARAM
                                    ? param_writable(dm, o, k)
                                    : (c->kind == CWMP__DM_TABLE && (c->flags & CWMP__DM_CREATE)));
            w->len = base;
            w->path[base] = '\0';
        }
    }
    return rv;
}

int cwmp_dm_get_names(struct cwmp_dm *dm, const char *path, bool next_level,
                      struct cwmp_dm_result *r)
{
    struct walk w;
    struct dm_ref ref;
    size_t i0;
    int rv;
    if (!dm || !r || !path)
        return CWMP_ERR_INVALID_ARG;
    i0 = r->info_count;
    memset(&w, 0, sizeof(w));
    w.dm = dm;
    w.r = r;
    w.param = gpn_param;
    w.object = gpn_object;
    if (path[0] == '\0') {
        /* the top of the hierarchy: "Device." itself, then below */
        w.len = 0;
        rv = cwmp__dm_w_push(&w, dm_name(dm, 0), strlen(dm_name(dm, 0)));
        if (rv == 0)
            rv = cwmp__dm_w_push(&w, ".", 1);
        if (rv == 0)
            rv = gpn_add(&w, 0);
        if (rv == 0 && !next_level)
            rv = cwmp__dm_walk_obj(&w, dm->root);
        if (rv)
            r->info_count = i0;
        return rv;
    }
    rv = cwmp__dm_resolve(dm, path, &ref);
    if (rv != 0) {
        cwmp__dm_detail(dm, "invalid parameter name", path);
        return rv;
    }
    if (ref.kind == DM_REF_PARAM && next_level) {
        cwmp__dm_detail(dm, "NextLevel true with a parameter name", path);
        return CWMP_FAULT_INVALID_ARGUMENTS;
    }
    if (next_level) {
        w.len = 0;
        rv = cwmp__dm_w_push(&w, path, strlen(path));
        if (rv == 0)
            rv = gpn_next_level(&w, &ref);
    } else {
        rv = walk_ref(&w, path, &ref, 1);
    }
    if (rv)
        r->info_count = i0;
    return rv;
}

/* ---- aliases ------------------------------------------------------------------ */

/* The table whose Alias parameter is (o, slot), or NULL. */
static const struct cwmp__dm_table *alias_table(struct cwmp_dm *dm, struct dm_obj *o, uint32_t slot)
{
    const struct cwmp__dm_node *on = dm_node(dm, o->node);
    if (on->kind != CWMP__DM_TABLE)
        return NULL;
    const struct cwmp__dm_table *t = &dm->schema->tables[on->aux];
    return t->alias == dm_slot_node(dm, o, slot) ? t : NULL;
}

/* True when another instance of o's table already has alias (v, len). */
static bool alias_taken(struct cwmp_dm *dm, const struct dm_obj *self, const struct dm_tab *tab,
                        uint32_t alias_node, const char *v, size_t len)
{
    if (len == 0)
        return false; /* "" = no alias yet */
    for (struct dm_obj *i = tab->head; i; i = i->next) {
        const char *cur;
        if (i == self)
            continue;
        if (cwmp__dm_read(dm, i, alias_node - dm_node(dm, i->node)->first_child, &cur) == 0 &&
            strlen(cur) == len && memcmp(cur, v, len) == 0)
            return true;
    }
    return false;
}

static struct dm_tab *table_of(struct cwmp_dm *dm, struct dm_obj *inst)
{
    return inst->parent->slots[inst->node - dm_node(dm, inst->parent->node)->first_child].u.tab;
}

/* ---- SetParameterValues ---------------------------------------------------- */

struct spv_entry {
    struct dm_obj *obj;
    uint32_t slot;
    uint32_t node;
    const struct dm_binding *b;
    char *newval; /* held values: the new string (owned until swapped) */
    char *oldval; /* held: the previous pointer; handler: a copy of the old value */
    int applied;
};

struct spv_entry;
static bool alias_dup_in_request(struct cwmp_dm *dm, const struct spv_entry *e,
                                 const struct cwmp_param_value *params, size_t i);

static int type_ok(const struct cwmp__dm_node *n, enum cwmp_type given)
{
    if (given == CWMP_TYPE_NONE)
        return 1;
    if (n->flags & CWMP__DM_LIST)
        return given == CWMP_TYPE_STRING;
    return (int) given == (int) n->type;
}

/* Two entries of one request giving the same Alias to two instances of a table. */
static bool alias_dup_in_request(struct cwmp_dm *dm, const struct spv_entry *e,
                                 const struct cwmp_param_value *params, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (e[j].obj && e[j].node == e[i].node && e[j].obj != e[i].obj &&
            table_of(dm, e[j].obj) == table_of(dm, e[i].obj) && params[i].value[0] &&
            strcmp(params[j].value, params[i].value) == 0)
            return true;
    return false;
}

static void spv_release(struct cwmp_dm *dm, struct spv_entry *e, size_t count, int committed)
{
    for (size_t i = 0; i < count; i++) {
        if (e[i].b && e[i].b->h.set) {
            cwmp__free(dm->alloc, e[i].oldval);
        } else if (committed) {
            cwmp__free(dm->alloc, e[i].oldval); /* the replaced value */
        } else {
            cwmp__free(dm->alloc, e[i].newval);
        }
    }
    cwmp__free(dm->alloc, e);
}

static int handler_fault(int rv)
{
    if (rv < 0)
        return CWMP_FAULT_INTERNAL_ERROR;
    if (rv >= 9000 && rv <= 9899)
        return rv;
    return CWMP_FAULT_INTERNAL_ERROR;
}

static void spv_rollback(struct cwmp_dm *dm, struct spv_entry *e, size_t upto)
{
    while (upto--) {
        if (!e[upto].applied)
            continue;
        if (e[upto].b && e[upto].b->h.set) {
            /* best effort: the handler is asked to restore the old value */
            (void) cwmp__dm_call(dm, e[upto].b->h.set, e[upto].b->user_data, CWMP_DM_OP_SET,
                                 e[upto].obj, e[upto].slot, e[upto].oldval);
        } else {
            struct dm_slot *sl = &e[upto].obj->slots[e[upto].slot];
            sl->u.value = e[upto].oldval;
        }
        e[upto].applied = 0;
    }
}

void cwmp__dm_note_value(struct cwmp_dm *dm, struct dm_slot *sl, const char *newval, bool from_acs)
{
    /* Changes made by the ACS are not notified back (TR-069 3.2.1): the new
     * value becomes the reported baseline. */
    if (!sl->notif || !from_acs)
        return;
    char *c = cwmp__strdup(dm->alloc, newval);
    if (c) {
        cwmp__free(dm->alloc, sl->reported);
        sl->reported = c;
        sl->state &= (uint8_t) ~DM_ST_CHANGED;
    }
}

int cwmp_dm_set_values(struct cwmp_dm *dm, const struct cwmp_param_value *params, size_t count,
                       const char *parameter_key, struct cwmp_dm_result *r)
{
    struct spv_entry *e;
    int rv = 0, status = 0, nfault = 0;
    size_t f0;
    if (!dm || !r || (!params && count))
        return CWMP_ERR_INVALID_ARG;
    if (count > dm->opts.max_request_items)
        return CWMP_FAULT_RESOURCES_EXCEEDED;
    f0 = r->fault_count;
    r->status = 0;
    e = cwmp__calloc(dm->alloc, count ? count : 1, sizeof(*e));
    if (!e)
        return CWMP_ERR_NOMEM;
    /* 1. check everything */
    for (size_t i = 0; i < count; i++) {
        const struct cwmp_param_value *p = &params[i];
        struct dm_ref ref;
        int f = 0;
        size_t vlen;
        if (!p->name || !p->value) {
            spv_release(dm, e, count, 0);
            return CWMP_ERR_INVALID_ARG;
        }
        vlen = strlen(p->value);
        if (cwmp__dm_resolve(dm, p->name, &ref) != 0 || ref.kind != DM_REF_PARAM) {
            f = CWMP_FAULT_INVALID_PARAMETER_NAME;
        } else {
            e[i].obj = ref.obj;
            e[i].slot = ref.slot;
            e[i].node = dm_slot_node(dm, ref.obj, ref.slot);
            e[i].b = cwmp__dm_binding(dm, e[i].node);
            const struct cwmp__dm_node *n = dm_node(dm, e[i].node);
            for (size_t j = 0; j < i && !f; j++)
                if (e[j].obj == ref.obj && e[j].slot == ref.slot)
                    f = CWMP_FAULT_INVALID_ARGUMENTS; /* same parameter twice */
            if (f) {
            } else if (!param_writable(dm, ref.obj, ref.slot)) {
                f = CWMP_FAULT_NON_WRITABLE_PARAMETER;
            } else if (!type_ok(n, p->type) &&
                       !(dm->opts.accept_string_type && p->type == CWMP_TYPE_STRING)) {
                f = CWMP_FAULT_INVALID_PARAMETER_TYPE;
            } else if (vlen > dm->opts.max_value_len ||
                       (f = cwmp__dm_check_value(dm->alloc, dm->schema, e[i].node, p->value,
                                                 vlen)) != 0) {
                if (f == CWMP_ERR_NOMEM) {
                    rv = f;
                    goto fail;
                }
                f = CWMP_FAULT_INVALID_PARAMETER_VALUE;
            } else if (alias_table(dm, ref.obj, ref.slot) &&
                       ((vlen >= 4 && memcmp(p->value, "cpe-", 4) == 0) ||
                        alias_taken(dm, ref.obj, table_of(dm, ref.obj), e[i].node, p->value,
                                    vlen) ||
                        alias_dup_in_request(dm, e, params, i))) {
                /* Alias: unique in its table; "cpe-" is the CPE's own prefix */
                f = CWMP_FAULT_INVALID_PARAMETER_VALUE;
            } else if (e[i].b && e[i].b->h.validate) {
                int hv = cwmp__dm_call(dm, e[i].b->h.validate, e[i].b->user_data,
                                       CWMP_DM_OP_VALIDATE, ref.obj, ref.slot, p->value);
                if (hv != 0)
                    f = hv < 0 ? CWMP_FAULT_INTERNAL_ERROR : handler_fault(hv);
            }
        }
        if (f) {
            nfault++;
            cwmp__dm_detail(dm, cwmp_fault_string(f), p->name);
            if ((rv = push_fault(dm, r, p->name, f)) != 0)
                goto fail;
        }
    }
    if (nfault) {
        spv_release(dm, e, count, 0);
        return CWMP_FAULT_INVALID_ARGUMENTS;
    }
    /* 2. prepare every allocation so applying held values cannot fail */
    for (size_t i = 0; i < count; i++) {
        if (e[i].b && e[i].b->h.set) {
            const char *old;
            int hv = cwmp__dm_read(dm, e[i].obj, e[i].slot, &old);
            if (hv != 0) {
                rv = hv < 0 ? hv : CWMP_FAULT_INTERNAL_ERROR;
                goto fail;
            }
            e[i].oldval = cwmp__strdup(dm->alloc, old);
            if (!e[i].oldval) {
                rv = CWMP_ERR_NOMEM;
                goto fail;
            }
        } else {
            e[i].newval = cwmp__strdup(dm->alloc, params[i].value);
            if (!e[i].newval) {
                rv = CWMP_ERR_NOMEM;
                goto fail;
            }
        }
    }
    {
        char *nk = NULL;
        if (parameter_key && !(nk = cwmp__strdup(dm->alloc, parameter_key))) {
            rv = CWMP_ERR_NOMEM;
            goto fail;
        }
        /* 3. apply in a transaction */
        if (dm->has_tx && dm->tx.begin) {
            int hv = dm->tx.begin(dm->tx.user_data);
            if (hv != 0) {
                cwmp__free(dm->alloc, nk);
                rv = hv < 0 ? CWMP_FAULT_INTERNAL_ERROR : handler_fault(hv);
                goto fail;
            }
        }
        for (size_t i = 0; i < count; i++) {
            if (e[i].b && e[i].b->h.set) {
                int hv = cwmp__dm_call(dm, e[i].b->h.set, e[i].b->user_data, CWMP_DM_OP_SET,
                                       e[i].obj, e[i].slot, params[i].value);
                if (hv == CWMP_DM_APPLIED_LATER) {
                    status = 1;
                } else if (hv != 0) {
                    spv_rollback(dm, e, i);
                    if (dm->has_tx && dm->tx.abort)
                        dm->tx.abort(dm->tx.user_data);
                    cwmp__free(dm->alloc, nk);
                    cwmp__dm_detail(dm, "set handler failed", params[i].name);
                    rv = push_fault(dm, r, params[i].name, handler_fault(hv));
                    if (rv == 0)
                        rv = CWMP_FAULT_INVALID_ARGUMENTS;
                    goto fail;
                }
            } else {
                struct dm_slot *sl = &e[i].obj->slots[e[i].slot];
                e[i].oldval = sl->u.value;
                sl->u.value = e[i].newval;
            }
            e[i].applied = 1;
        }
        if (dm->has_tx && dm->tx.commit) {
            int hv = dm->tx.commit(dm->tx.user_data);
            if (hv == CWMP_DM_APPLIED_LATER) {
                status = 1;
            } else if (hv != 0) {
                spv_rollback(dm, e, count);
                if (dm->has_tx && dm->tx.abort)
                    dm->tx.abort(dm->tx.user_data);
                cwmp__free(dm->alloc, nk);
                rv = hv < 0 ? CWMP_FAULT_INTERNAL_ERROR : handler_fault(hv);
                goto fail;
            }
        }
        /* committed */
        for (size_t i = 0; i < count; i++) {
            struct dm_slot *sl = &e[i].obj->slots[e[i].slot];
            if ((dm_node(dm, e[i].node)->flags & CWMP__DM_ACCESS_MASK) == CWMP__DM_WRITE_ONCE)
                sl->state |= DM_ST_WRITTEN;
            cwmp__dm_note_value(dm, sl, params[i].value, true);
            if (!(e[i].b && e[i].b->h.set))
                e[i].newval = NULL;
        }
        if (nk) {
            cwmp__free(dm->alloc, dm->parameter_key);
            dm->parameter_key = nk;
        }
    }
    spv_release(dm, e, count, 1);
    r->status = status;
    (void) cwmp__dm_autosave(dm);
    return 0;
fail:
    if (rv < 0)
        r->fault_count = f0;
    spv_release(dm, e, count, 0);
    return rv;
}

/* ---- GetParameterAttributes ------------------------------------------------ */

static const char *const subscriber_acl[] = {"Subscriber"};

static int gpa_param(struct walk *w, struct dm_obj *o, uint32_t slot)
{
    struct cwmp_param_attribute *pa;
    struct dm_slot *sl = &o->slots[slot];
    int rv = count_item(w);
    if (rv)
        return rv;
    pa = push_attr(w->dm, w->r);
    if (!pa)
        return CWMP_ERR_NOMEM;
    pa->name = cwmp__arena_strndup(&w->r->priv_->ar, w->path, w->len);
    pa->notification = sl->notif;
    pa->access_list = (sl->acl & DM_ACL_SUBSCRIBER) ? subscriber_acl : NULL;
    pa->access_list_count = (sl->acl & DM_ACL_SUBSCRIBER) ? 1 : 0;
    return pa->name ? 0 : CWMP_ERR_NOMEM;
}

int cwmp_dm_get_attributes(struct cwmp_dm *dm, const char *const *names, size_t count,
                           struct cwmp_dm_result *r)
{
    struct walk w;
    size_t a0;
    if (!dm || !r || (!names && count))
        return CWMP_ERR_INVALID_ARG;
    if (count > dm->opts.max_request_items)
        return CWMP_FAULT_RESOURCES_EXCEEDED;
    a0 = r->attribute_count;
    memset(&w, 0, sizeof(w));
    w.dm = dm;
    w.r = r;
    w.param = gpa_param;
    for (size_t i = 0; i < count; i++) {
        struct dm_ref ref;
        int rv;
        if (!names[i])
            return CWMP_ERR_INVALID_ARG;
        if (names[i][0] == '\0') {
            w.len = 0;
            rv = cwmp__dm_w_push(&w, dm_name(dm, 0), strlen(dm_name(dm, 0)));
            if (rv == 0)
                rv = cwmp__dm_w_push(&w, ".", 1);
            if (rv == 0)
                rv = cwmp__dm_walk_obj(&w, dm->root);
        } else {
            rv = cwmp__dm_resolve(dm, names[i], &ref);
            if (rv != 0)
                cwmp__dm_detail(dm, "invalid parameter name", names[i]);
            else
                rv = walk_ref(&w, names[i], &ref, 0);
        }
        if (rv) {
            r->attribute_count = a0;
            return rv;
        }
    }
    return 0;
}

/* ---- SetParameterAttributes ------------------------------------------------ */

struct spa_ctx {
    const struct cwmp_set_param_attribute *a;
    uint8_t acl;
    int apply;   /* 0 = check pass, 1 = apply pass */
    int partial; /* the name was a partial path */
};

static int notif_allowed(const struct cwmp__dm_node *n, int notification)
{
    unsigned an = n->flags & CWMP__DM_NOTIFY_MASK;
    int active = notification == 2 || notification == 5 || notification == 6;
    /* Only active notification can be refused (canDeny); passive never. */
    return !(an == CWMP__DM_NOTIFY_CAN_DENY && active);
}

static int spa_param(struct walk *w, struct dm_obj *o, uint32_t slot)
{
    const struct spa_ctx *c = w->arg;
    struct cwmp_dm *dm = w->dm;
    struct dm_slot *sl = &o->slots[slot];
    const struct cwmp__dm_node *n = dm_node(dm, dm_slot_node(dm, o, slot));
    if (c->a->notification_change && !notif_allowed(n, c->a->notification)) {
        if (c->partial)
            goto acl; /* partial paths skip parameters that refuse */
        if (!c->apply)
            cwmp__dm_detail(dm, "notification request rejected", w->path);
        return c->apply ? 0 : CWMP_FAULT_NOTIFICATION_REJECTED;
    }
    /* forceEnabled: active notification stays on; other values are ignored */
    if (c->apply && c->a->notification_change && sl->notif != (uint8_t) c->a->notification &&
        (n->flags & CWMP__DM_NOTIFY_MASK) != CWMP__DM_NOTIFY_FORCE) {
        sl->notif = (uint8_t) c->a->notification;
        sl->state &= (uint8_t) ~(DM_ST_CHANGED | DM_ST_INFLIGHT);
        cwmp__free(dm->alloc, sl->reported);
        sl->reported = NULL;
        if (sl->notif) {
            const char *v;
            if (cwmp__dm_read(dm, o, slot, &v) == 0)
                sl->reported = cwmp__strdup(dm->alloc, v); /* NULL: baseline at next poll */
        }
    }
acl:
    if (c->apply && c->a->access_list_change)
        sl->acl = c->acl;
    return 0;
}

int cwmp_dm_set_attributes(struct cwmp_dm *dm, const struct cwmp_set_param_attribute *attrs,
                           size_t count)
{
    struct walk w;
    struct dm_ref *refs;
    int rv = 0;
    if (!dm || (!attrs && count))
        return CWMP_ERR_INVALID_ARG;
    if (count > dm->opts.max_request_items)
        return CWMP_FAULT_RESOURCES_EXCEEDED;
    refs = cwmp__calloc(dm->alloc, count ? count : 1, sizeof(*refs));
    if (!refs)
        return CWMP_ERR_NOMEM;
    memset(&w, 0, sizeof(w));
    w.dm = dm;
    w.param = spa_param;
    for (int pass = 0; pass < 2 && rv == 0; pass++) {
        for (size_t i = 0; i < count && rv == 0; i++) {
            const struct cwmp_set_param_attribute *a = &attrs[i];
            struct spa_ctx c;
            const char *name = a->name ? a->name : "";
            memset(&c, 0, sizeof(c));
            c.a = a;
            c.apply = pass;
            if (pass == 0) {
                if (a->notification_change &&
                    (a->notification < 0 || a->notification > 6 ||
                     (a->notification > 2 && dm->opts.version < CWMP_V1_4))) {
                    cwmp__dm_detail(dm, "invalid notification value", name);
                    rv = CWMP_FAULT_INVALID_ARGUMENTS;
                    break;
                }
                if (a->access_list_change) {
                    if (a->access_list_count && !a->access_list) {
                        rv = CWMP_ERR_INVALID_ARG;
                        break;
                    }
                    for (size_t k = 0; k < a->access_list_count; k++) {
                        if (!a->access_list[k] || strcmp(a->access_list[k], "Subscriber") != 0) {
                            cwmp__dm_detail(dm, "unknown AccessList entry", name);
                            rv = CWMP_FAULT_INVALID_PARAMETER_VALUE;
                            break;
                        }
                    }
                    if (rv)
                        break;
                }
                if (name[0] == '\0') {
                    refs[i].kind = DM_REF_OBJECT;
                    refs[i].obj = dm->root;
                } else if ((rv = cwmp__dm_resolve(dm, name, &refs[i])) != 0) {
                    cwmp__dm_detail(dm, "invalid parameter name", name);
                    break;
                }
            }
            c.acl = a->access_list_count ? DM_ACL_SUBSCRIBER : 0;
            c.partial = refs[i].kind != DM_REF_PARAM;
            w.arg = &c;
            if (name[0] == '\0') {
                w.len = 0;
                rv = cwmp__dm_w_push(&w, dm_name(dm, 0), strlen(dm_name(dm, 0)));
                if (rv == 0)
                    rv = cwmp__dm_w_push(&w, ".", 1);
                if (rv == 0)
                    rv = cwmp__dm_walk_obj(&w, dm->root);
            } else {
                rv = walk_ref(&w, name, &refs[i], 0);
            }
        }
    }
    cwmp__free(dm->alloc, refs);
    if (rv == 0)
        (void) cwmp__dm_autosave(dm);
    return rv;
}

/* ---- AddObject / DeleteObject ------------------------------------------------ */

static int tx_begin(struct cwmp_dm *dm)
{
    if (dm->has_tx && dm->tx.begin) {
        int hv = dm->tx.begin(dm->tx.user_data);
        if (hv != 0)
            return hv < 0 ? CWMP_FAULT_INTERNAL_ERROR : handler_fault(hv);
    }
    return 0;
}

static int tx_commit(struct cwmp_dm *dm, int *status)
{
    if (dm->has_tx && dm->tx.commit) {
        int hv = dm->tx.commit(dm->tx.user_data);
        if (hv == CWMP_DM_APPLIED_LATER) {
            *status = 1;
        } else if (hv != 0) {
            if (dm->tx.abort)
                dm->tx.abort(dm->tx.user_data);
            return hv < 0 ? CWMP_FAULT_INTERNAL_ERROR : handler_fault(hv);
        }
    }
    return 0;
}

static void tx_abort(struct cwmp_dm *dm)
{
    if (dm->has_tx && dm->tx.abort)
        dm->tx.abort(dm->tx.user_data);
}

int cwmp_dm_add_object(struct cwmp_dm *dm, const char *path, const char *parameter_key,
                       struct cwmp_dm_result *r)
{
    struct dm_ref ref;
    struct dm_obj *inst;
    const struct cwmp__dm_node *tn;
    const struct dm_binding *b;
    int rv, status = 0;
    char *nk = NULL;
    char *alias = NULL; /* the new instance's Alias, when alias-based addressing is on */
    uint32_t alias_node = CWMP__DM_NONE;
    if (!dm || !path || !r)
        return CWMP_ERR_INVALID_ARG;
    {
        /* "A.T.[alias]." names the new instance's alias (TR-069 3.6.1) */
        size_t len = strnlen(path, dm->opts.max_path_len + 1);
        const char *open = NULL;
        if (len >= 4 && len <= dm->opts.max_path_len && path[len - 1] == '.' &&
            path[len - 2] == ']') {
            open = path + len - 2;
            while (open > path && *open != '[')
                open--;
            if (*open != '[' || open == path || open[-1] != '.')
                open = NULL;
        }
        if (open) {
            char prefix[1024];
            size_t pl = (size_t) (open - path), al = len - 2 - pl - 1;
            if (!cwmp__dm_alias_enabled(dm) || pl >= sizeof(prefix) || al == 0 || al > 64 ||
                memchr(open + 1, '[', al) || memchr(open + 1, '.', al) ||
                (al >= 4 && memcmp(open + 1, "cpe-", 4) == 0)) {
                cwmp__dm_detail(dm, "invalid alias", path);
                return CWMP_FAULT_INVALID_PARAMETER_NAME;
            }
            memcpy(prefix, path, pl);
            prefix[pl] = '\0';
            rv = cwmp__dm_resolve(dm, prefix, &ref);
            if (rv == 0 && ref.kind == DM_REF_TABLE) {
                uint32_t tnode = dm_slot_node(dm, ref.obj, ref.slot);
                alias_node = dm->schema->tables[dm_node(dm, tnode)->aux].alias;
                if (alias_node == CWMP__DM_NONE ||
                    alias_taken(dm, NULL, ref.obj->slots[ref.slot].u.tab, alias_node, open + 1,
                                al) ||
                    cwmp__dm_check_value(dm->alloc, dm->schema, alias_node, open + 1, al) != 0)
                    rv = CWMP_FAULT_INVALID_PARAMETER_NAME;
            }
            if (rv == 0 && ref.kind == DM_REF_TABLE &&
                !(alias = cwmp__strndup(dm->alloc, open + 1, al)))
                return CWMP_ERR_NOMEM;
        } else {
            rv = cwmp__dm_resolve(dm, path, &ref);
        }
    }
    if (rv != 0 || ref.kind != DM_REF_TABLE) {
        cwmp__dm_detail(dm, "not a multi-instance object path", path);
        cwmp__free(dm->alloc, alias);
        return CWMP_FAULT_INVALID_PARAMETER_NAME;
    }
    tn = dm_node(dm, dm_slot_node(dm, ref.obj, ref.slot));
    if (!(tn->flags & CWMP__DM_CREATE)) {
        cwmp__dm_detail(dm, "object cannot be created by the ACS", path);
        cwmp__free(dm->alloc, alias);
        return CWMP_FAULT_REQUEST_DENIED;
    }
    if (!alias && cwmp__dm_alias_enabled(dm)) {
        /* the CPE names the instance: "cpe-<number>" (the ACS may not use "cpe-") */
        alias_node = dm->schema->tables[tn->aux].alias;
        if (alias_node != CWMP__DM_NONE) {
            char a[24];
            snprintf(a, sizeof(a), "cpe-%u", (unsigned) ref.obj->slots[ref.slot].u.tab->next);
            if (!(alias = cwmp__strdup(dm->alloc, a)))
                return CWMP_ERR_NOMEM;
        }
    }
    if (parameter_key && !(nk = cwmp__strdup(dm->alloc, parameter_key))) {
        cwmp__free(dm->alloc, alias);
        return CWMP_ERR_NOMEM;
    }
    rv = tx_begin(dm);
    if (rv) {
        cwmp__free(dm->alloc, nk);
        cwmp__free(dm->alloc, alias);
        return rv;
    }
    b = cwmp__dm_binding(dm, dm_slot_node(dm, ref.obj, ref.slot));
    rv = cwmp__dm_insert_instance(dm, ref.obj, ref.slot, 0, false, &inst);
    if (rv == 0 && alias) {
        /* held by the tree whatever the bindings: the instance is named before handlers run */
        struct dm_slot *sl = &inst->slots[alias_node - dm_node(dm, inst->node)->first_child];
        sl->u.value = alias;
        sl->state |= DM_ST_WRITTEN;
        alias = NULL;
    }
    if (b && b->h.add) {
        /* the add handler may answer APPLIED_LATER: call it ourselves */
        if (rv == 0) {
            int hv = cwmp__dm_call(dm, b->h.add, b->user_data, CWMP_DM_OP_ADD, inst, CWMP__DM_NONE,
                                   NULL);
            if (hv == CWMP_DM_APPLIED_LATER) {
                status = 1;
            } else if (hv != 0) {
                uint32_t next = ref.obj->slots[ref.slot].u.tab->next;
                (void) cwmp__dm_remove_instance(dm, inst, false);
                ref.obj->slots[ref.slot].u.tab->next = next; /* the number stays used */
                rv = hv < 0 ? CWMP_FAULT_INTERNAL_ERROR : handler_fault(hv);
            }
        }
    }
    cwmp__free(dm->alloc, alias);
    if (rv == CWMP_ERR_LIMIT) {
        cwmp__dm_detail(dm, "maximum number of instances reached", path);
        rv = CWMP_FAULT_RESOURCES_EXCEEDED;
    }
    if (rv == 0) {
        rv = tx_commit(dm, &status);
        if (rv != 0) {
            uint32_t next = ref.obj->slots[ref.slot].u.tab->next;
            (void) cwmp__dm_remove_instance(dm, inst, false);
            ref.obj->slots[ref.slot].u.tab->next = next;
        }
    } else {
        tx_abort(dm);
    }
    if (rv != 0) {
        cwmp__free(dm->alloc, nk);
        return rv;
    }
    if (nk) {
        cwmp__free(dm->alloc, dm->parameter_key);
        dm->parameter_key = nk;
    }
    r->instance = inst->number;
    r->status = status;
    (void) cwmp__dm_autosave(dm);
    return 0;
}

int cwmp_dm_delete_object(struct cwmp_dm *dm, const char *path, const char *parameter_key,
                          struct cwmp_dm_result *r)
{
    struct dm_ref ref;
    const struct cwmp__dm_node *tn;
    const struct cwmp__dm_table *ti;
    int rv, status = 0;
    char *nk = NULL;
    if (!dm || !path || !r)
        return CWMP_ERR_INVALID_ARG;
    rv = cwmp__dm_resolve(dm, path, &ref);
    if (rv != 0 || ref.kind != DM_REF_OBJECT ||
        dm_node(dm, ref.obj->node)->kind != CWMP__DM_TABLE) {
        cwmp__dm_detail(dm, "not an object instance path", path);
        return CWMP_FAULT_INVALID_PARAMETER_NAME;
    }
    tn = dm_node(dm, ref.obj->node);
    ti = &dm->schema->tables[tn->aux];
    if (!(tn->flags & CWMP__DM_DELETE)) {
        cwmp__dm_detail(dm, "object cannot be deleted by the ACS", path);
        return CWMP_FAULT_REQUEST_DENIED;
    }
    {
        uint32_t slot = ref.obj->node - dm_node(dm, ref.obj->parent->node)->first_child;
        if (ref.obj->parent->slots[slot].u.tab->count <= ti->min_entries) {
            cwmp__dm_detail(dm, "minimum number of instances reached", path);
            return CWMP_FAULT_REQUEST_DENIED;
        }
    }
    if (parameter_key && !(nk = cwmp__strdup(dm->alloc, parameter_key)))
        return CWMP_ERR_NOMEM;
    rv = tx_begin(dm);
    if (rv == 0) {
        const struct dm_binding *b = cwmp__dm_binding(dm, ref.obj->node);
        if (b && b->h.del) {
            int hv = cwmp__dm_call(dm, b->h.del, b->user_data, CWMP_DM_OP_DELETE, ref.obj,
                                   CWMP__DM_NONE, NULL);
            if (hv == CWMP_DM_APPLIED_LATER)
                status = 1;
            else if (hv != 0)
                rv = hv < 0 ? CWMP_FAULT_INTERNAL_ERROR : handler_fault(hv);
        }
        if (rv == 0)
            rv = tx_commit(dm, &status);
        else
            tx_abort(dm);
    }
    if (rv != 0) {
        cwmp__free(dm->alloc, nk);
        return rv;
    }
    (void) cwmp__dm_remove_instance(dm, ref.obj, false);
    if (nk) {
        cwmp__free(dm->alloc, dm->parameter_key);
        dm->parameter_key = nk;
    }
    r->status = status;
    (void) cwmp__dm_autosave(dm);
    return 0;
}

static int inform_param(struct walk *w, struct dm_obj *o, uint32_t slot)
{
    struct cwmp_dm *dm = w->dm;
    const struct cwmp__dm_node *n = dm_node(dm, dm_slot_node(dm, o, slot));
    struct dm_slot *sl = &o->slots[slot];
    int pass = *(const int *) w->arg;
    int forced = (n->flags & CWMP__DM_FORCED_INFORM) != 0;
    int notif = sl->notif == 1 || sl->notif == 2 || sl->notif == 4 || sl->notif == 6;
    if (pass == 0 && !forced)
        return 0;
    if (pass == 1 && (forced || !notif || !(sl->state & DM_ST_CHANGED)))
        return 0;
    {
        int rv = gpv_param(w, o, slot);
        if (rv)
            return rv;
    }
    if (notif && (sl->state & DM_ST_CHANGED)) {
        const char *v = w->r->values[w->r->value_count - 1].value;
        char *c = cwmp__strdup(dm->alloc, v);
        if (!c)
            return CWMP_ERR_NOMEM;
        cwmp__free(dm->alloc, sl->reported);
        sl->reported = c;
        sl->state = (uint8_t) ((sl->state & ~DM_ST_CHANGED) | DM_ST_INFLIGHT);
        w->flag = 1;
    }
    return 0;
}

int cwmp__dm_walk_forced(struct cwmp_dm *dm, struct cwmp_dm_result *r, bool *value_change)
{
    struct walk w;
    int rv = 0;
    memset(&w, 0, sizeof(w));
    w.dm = dm;
    w.r = r;
    w.param = inform_param;
    for (int pass = 0; pass < 2 && rv == 0; pass++) {
        w.arg = &pass;
        w.len = 0;
        rv = cwmp__dm_w_push(&w, dm_name(dm, 0), strlen(dm_name(dm, 0)));
        if (rv == 0)
            rv = cwmp__dm_w_push(&w, ".", 1);
        if (rv == 0)
            rv = cwmp__dm_walk_obj(&w, dm->root);
    }
    if (value_change)
        *value_change = w.flag != 0;
    return rv;
}
