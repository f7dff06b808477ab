/*
 * libcwmp - data model: value-change engine (notifications, Inform
 * parameter list) and persistence through the application store.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <string.h>

#include "dm.h"

/* ---- notifications ------------------------------------------------------------ */

static int notif_class(uint8_t notif)
{
    switch (notif) {
    case 2: return CWMP_DM_CHANGE_ACTIVE;
    case 1:
    case 4:
    case 6: return CWMP_DM_CHANGE_PASSIVE;
    default: return 0; /* off, or lightweight only (not carried in Inform) */
    }
}

/* Compares the current value of a notified parameter with the baseline. */
static int check_slot(struct cwmp_dm *dm, struct dm_obj *o, uint32_t k)
{
    struct dm_slot *sl = &o->slots[k];
    const char *v;
    int rv;
    if (!sl->notif)
        return 0;
    rv = cwmp__dm_read(dm, o, k, &v);
    if (rv != 0)
        return rv < 0 ? rv : 0; /* a failing get handler is not a change */
    if (!sl->reported) {
        sl->reported = cwmp__strdup(dm->alloc, v);
        if (!sl->reported)
            return CWMP_ERR_NOMEM;
        if (sl->state & DM_ST_CHECK)
            sl->state |= DM_ST_CHANGED; /* pushed before any baseline existed */
    } else if (strcmp(sl->reported, v) != 0) {
        sl->state |= DM_ST_CHANGED;
    }
    sl->state &= (uint8_t) ~DM_ST_CHECK;
    return 0;
}

int cwmp_dm_value_changed(struct cwmp_dm *dm, const char *name)
{
    struct dm_ref ref;
    if (!dm || !name)
        return CWMP_ERR_INVALID_ARG;
    if (cwmp__dm_resolve(dm, name, &ref) != 0 || ref.kind != DM_REF_PARAM)
        return CWMP_ERR_NOT_FOUND;
    ref.obj->slots[ref.slot].state |= DM_ST_CHECK;
    return 0;
}

static int poll_obj(struct cwmp_dm *dm, struct dm_obj *o, int *flags)
{
    const struct cwmp__dm_node *n = dm_node(dm, o->node);
    for (uint32_t k = 0; k < n->child_count; k++) {
        const struct cwmp__dm_node *c = dm_node(dm, n->first_child + k);
        struct dm_slot *sl = &o->slots[k];
        int rv = 0;
        if (c->kind == CWMP__DM_PARAM) {
            rv = check_slot(dm, o, k);
            if (sl->state & DM_ST_CHANGED)
                *flags |= notif_class(sl->notif);
        } else if (c->kind == CWMP__DM_OBJECT) {
            rv = poll_obj(dm, sl->u.obj, flags);
        } else {
            for (struct dm_obj *i = sl->u.tab->head; i && rv == 0; i = i->next)
                rv = poll_obj(dm, i, flags);
        }
        if (rv)
            return rv;
    }
    return 0;
}

int cwmp_dm_poll(struct cwmp_dm *dm)
{
    int flags = 0, rv;
    if (!dm)
        return CWMP_ERR_INVALID_ARG;
    rv = poll_obj(dm, dm->root, &flags);
    return rv ? rv : flags;
}

int cwmp_dm_inform_params(struct cwmp_dm *dm, struct cwmp_dm_result *r, bool *value_change)
{
    size_t v0;
    int rv;
    if (value_change)
        *value_change = false;
    if (!dm || !r)
        return CWMP_ERR_INVALID_ARG;
    v0 = r->value_count;
    rv = cwmp__dm_walk_forced(dm, r, value_change);
    if (rv != 0) {
        r->value_count = v0;
        cwmp_dm_inform_done(dm, false);
        if (value_change)
            *value_change = false;
        return rv > 0 ? CWMP_ERR_CALLBACK : rv;
    }
    return 0;
}

static void done_obj(struct cwmp_dm *dm, struct dm_obj *o, bool delivered)
{
    const struct cwmp__dm_node *n = dm_node(dm, o->node);
    for (uint32_t k = 0; k < n->child_count; k++) {
        const struct cwmp__dm_node *c = dm_node(dm, n->first_child + k);
        struct dm_slot *sl = &o->slots[k];
        if (c->kind == CWMP__DM_PARAM) {
            if (sl->state & DM_ST_INFLIGHT) {
                sl->state &= (uint8_t) ~DM_ST_INFLIGHT;
                if (!delivered)
                    sl->state |= DM_ST_CHANGED;
            }
        } else if (c->kind == CWMP__DM_OBJECT) {
            done_obj(dm, sl->u.obj, delivered);
        } else {
            for (struct dm_obj *i = sl->u.tab->head; i; i = i->next)
                done_obj(dm, i, delivered);
        }
    }
}

void cwmp_dm_inform_done(struct cwmp_dm *dm, bool delivered)
{
    if (dm)
        done_obj(dm, dm->root, delivered);
}

/* ---- persistence -------------------------------------------------------------- */

struct save_ctx {
    struct cwmp_dm *dm;
    struct walk w;
};

static int put(struct save_ctx *c, enum cwmp_dm_record kind, const char *name, const char *value)
{
    int rv = c->dm->store.write(c->dm->store.user_data, kind, name, value);
    return rv ? CWMP_ERR_STORE : 0;
}

static int save_obj(struct save_ctx *c, struct dm_obj *o)
{
    struct cwmp_dm *dm = c->dm;
    struct walk *w = &c->w;
    const struct cwmp__dm_node *n = dm_node(dm, o->node);
    for (uint32_t k = 0; k < n->child_count; k++) {
        uint32_t cnode = n->first_child + k;
        const struct cwmp__dm_node *cn = dm_node(dm, cnode);
        const char *name = dm_name(dm, cnode);
        struct dm_slot *sl = &o->slots[k];
        size_t save = w->len;
        int rv = cwmp__dm_w_push(w, name, strlen(name));
        if (rv == 0 && cn->kind == CWMP__DM_PARAM) {
            const struct dm_binding *b = cwmp__dm_binding(dm, cnode);
            if (sl->u.value && !(b && b->h.get))
                rv = put(c, CWMP_DM_REC_VALUE, w->path, sl->u.value);
            if (rv == 0 && (sl->notif != cwmp__dm_default_notif(cn) || sl->acl)) {
                char a[32];
                snprintf(a, sizeof(a), "%u%s", (unsigned) sl->notif,
                         (sl->acl & DM_ACL_SUBSCRIBER) ? ",Subscriber" : "");
                rv = put(c, CWMP_DM_REC_ATTRIBUTE, w->path, a);
            }
        } else if (rv == 0) {
            rv = cwmp__dm_w_push(w, ".", 1);
            if (rv == 0 && cn->kind == CWMP__DM_OBJECT) {
                rv = save_obj(c, sl->u.obj);
            } else if (rv == 0) {
                char num[16];
                size_t tl = w->len;
                snprintf(num, sizeof(num), "%u", (unsigned) sl->u.tab->next);
                rv = put(c, CWMP_DM_REC_NEXT_INSTANCE, w->path, num);
                for (struct dm_obj *i = sl->u.tab->head; i && rv == 0; i = i->next) {
                    rv = cwmp__dm_w_push_num(w, i->number);
                    if (rv == 0)
                        rv = put(c, CWMP_DM_REC_INSTANCE, w->path, "");
                    if (rv == 0)
                        rv = save_obj(c, i);
                    w->len = tl;
                    w->path[tl] = '\0';
                }
            }
        }
        w->len = save;
        w->path[save] = '\0';
        if (rv)
            return rv;
    }
    return 0;
}

int cwmp_dm_save(struct cwmp_dm *dm)
{
    struct save_ctx *c;
    int rv;
    if (!dm || !dm->has_store || !dm->store.write)
        return CWMP_ERR_INVALID_ARG;
    c = cwmp__calloc(dm->alloc, 1, sizeof(*c));
    if (!c)
        return CWMP_ERR_NOMEM;
    c->dm = dm;
    c->w.dm = dm;
    if (dm->store.begin && dm->store.begin(dm->store.user_data) != 0) {
        cwmp__free(dm->alloc, c);
        return CWMP_ERR_STORE;
    }
    rv = put(c, CWMP_DM_REC_PARAMETER_KEY, "", dm->parameter_key);
    if (rv == 0)
        rv = cwmp__dm_w_push(&c->w, dm_name(dm, 0), strlen(dm_name(dm, 0)));
    if (rv == 0)
        rv = cwmp__dm_w_push(&c->w, ".", 1);
    if (rv == 0)
        rv = save_obj(c, dm->root);
    if (dm->store.end && dm->store.end(dm->store.user_data, rv == 0) != 0 && rv == 0)
        rv = CWMP_ERR_STORE;
    cwmp__free(dm->alloc, c);
    return rv;
}

int cwmp__dm_autosave(struct cwmp_dm *dm)
{
    if (!dm->has_store || !dm->store.write)
        return 0;
    return cwmp_dm_save(dm);
}

static int load_record(void *ctx, enum cwmp_dm_record kind, const char *name, const char *value)
{
    struct cwmp_dm *dm = ctx;
    struct dm_ref ref;
    if (!name || !value)
        return 0;
    switch (kind) {
    case CWMP_DM_REC_PARAMETER_KEY: {
        char *k = cwmp__strdup(dm->alloc, value);
        if (!k)
            return CWMP_ERR_NOMEM;
        cwmp__free(dm->alloc, dm->parameter_key);
        dm->parameter_key = k;
        return 0;
    }
    case CWMP_DM_REC_NEXT_INSTANCE: {
        uint64_t v;
        if (cwmp__dm_resolve(dm, name, &ref) != 0 || ref.kind != DM_REF_TABLE ||
            cwmp__dm_parse_u64(value, strlen(value), UINT32_MAX, &v) != 0)
            return 0;
        struct dm_tab *t = ref.obj->slots[ref.slot].u.tab;
        /* counters only grow; 0 ("exhausted") is not taken from a store: it
         * comes back by itself when instance 4294967295 is loaded */
        if (t->next != 0 && v > t->next)
            t->next = (uint32_t) v;
        return 0;
    }
    case CWMP_DM_REC_INSTANCE: {
        /* "A.T.3." → table "A.T." + number 3 */
        size_t len = strlen(name);
        char buf[1024];
        uint64_t num;
        size_t i;
        if (len < 3 || len >= sizeof(buf) || name[len - 1] != '.')
            return 0;
        i = len - 1;
        while (i > 0 && name[i - 1] != '.')
            i--;
        if (i == 0 || cwmp__dm_parse_u64(name + i, len - 1 - i, UINT32_MAX, &num) != 0 || num == 0)
            return 0;
        memcpy(buf, name, i);
        buf[i] = '\0';
        if (cwmp__dm_resolve(dm, buf, &ref) != 0 || ref.kind != DM_REF_TABLE)
            return 0;
        int rv = cwmp__dm_insert_instance(dm, ref.obj, ref.slot, (uint32_t) num, false, NULL);
        return rv == CWMP_ERR_NOMEM ? rv : 0;
    }
    case CWMP_DM_REC_VALUE: {
        uint32_t node;
        size_t vl = strlen(value);
        if (cwmp__dm_resolve(dm, name, &ref) != 0 || ref.kind != DM_REF_PARAM)
            return 0;
        node = dm_slot_node(dm, ref.obj, ref.slot);
        if (vl > dm->opts.max_value_len || cwmp__dm_is_counter(dm, ref.obj, node))
            return 0;
        int cv = cwmp__dm_check_value(dm->alloc, dm->schema, node, value, vl);
        if (cv == CWMP_ERR_NOMEM)
            return cv;
        if (cv != 0)
            return 0;
        char *v = cwmp__strdup(dm->alloc, value);
        if (!v)
            return CWMP_ERR_NOMEM;
        struct dm_slot *sl = &ref.obj->slots[ref.slot];
        cwmp__free(dm->alloc, sl->u.value);
        sl->u.value = v;
        if ((dm_node(dm, node)->flags & CWMP__DM_ACCESS_MASK) == CWMP__DM_WRITE_ONCE)
            sl->state |= DM_ST_WRITTEN;
        return 0;
    }
    case CWMP_DM_REC_ATTRIBUTE: {
        uint64_t n;
        const char *comma = strchr(value, ',');
        size_t nl = comma ? (size_t) (comma - value) : strlen(value);
        if (cwmp__dm_resolve(dm, name, &ref) != 0 || ref.kind != DM_REF_PARAM ||
            cwmp__dm_parse_u64(value, nl, 6, &n) != 0)
            return 0;
        struct dm_slot *sl = &ref.obj->slots[ref.slot];
        sl->notif = (uint8_t) n;
        sl->acl = comma && strcmp(comma + 1, "Subscriber") == 0 ? DM_ACL_SUBSCRIBER : 0;
        return 0;
    }
    }
    return 0;
}

int cwmp_dm_load(struct cwmp_dm *dm)
{
    int rv;
    if (!dm || !dm->has_store || !dm->store.read)
        return CWMP_ERR_INVALID_ARG;
    rv = dm->store.read(dm->store.user_data, load_record, dm);
    if (rv == CWMP_ERR_NOMEM)
        return rv;
    return rv ? CWMP_ERR_STORE : 0;
}
