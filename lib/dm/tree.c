/*
 * libcwmp - data model: the tree (instances, held values, bindings,
 * handler calls) and the device-side API.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <string.h>

#include "dm.h"

/* ---- schema ---------------------------------------------------------------- */

int cwmp__dm_schema_check(const struct cwmp_dm_schema *s)
{
    if (!s || s->format != CWMP__DM_SCHEMA_FORMAT || !s->pool || s->pool_size == 0 ||
        s->pool[0] != '\0' || s->pool[s->pool_size - 1] != '\0' || !s->nodes ||
        s->node_count == 0 || s->node_count >= UINT16_MAX * 64u)
        return CWMP_ERR_INVALID_ARG;
    if (s->nodes[0].kind != CWMP__DM_OBJECT || s->nodes[0].parent != CWMP__DM_NONE)
        return CWMP_ERR_INVALID_ARG;
    for (uint32_t i = 0; i < s->enum_count; i++)
        if (s->enums[i] >= s->pool_size)
            return CWMP_ERR_INVALID_ARG;
    for (uint32_t i = 0; i < s->syntax_count; i++) {
        const struct cwmp__dm_syntax *x = &s->syntaxes[i];
        if ((uint64_t) x->enum_first + x->enum_count > s->enum_count ||
            (uint64_t) x->range_first + x->range_count > s->range_count ||
            (x->pattern != CWMP__DM_NOSTR && x->pattern >= s->pool_size))
            return CWMP_ERR_INVALID_ARG;
    }
    for (uint32_t i = 0; i < s->node_count; i++) {
        const struct cwmp__dm_node *n = &s->nodes[i];
        if (n->name >= s->pool_size || s->pool[n->name] == '\0' || strchr(s->pool + n->name, '.'))
            return CWMP_ERR_INVALID_ARG;
        if (n->dflt != CWMP__DM_NOSTR && n->dflt >= s->pool_size)
            return CWMP_ERR_INVALID_ARG;
        if (i && n->parent >= s->node_count)
            return CWMP_ERR_INVALID_ARG;
        if (n->kind == CWMP__DM_PARAM) {
            if (n->child_count || (n->aux != CWMP__DM_NONE && n->aux >= s->syntax_count) ||
                n->type == CWMP_TYPE_NONE || n->type > CWMP_TYPE_HEXBINARY)
                return CWMP_ERR_INVALID_ARG;
        } else if (n->kind == CWMP__DM_TABLE) {
            if (n->aux >= s->table_count || s->tables[n->aux].node != i)
                return CWMP_ERR_INVALID_ARG;
        } else if (n->kind != CWMP__DM_OBJECT) {
            return CWMP_ERR_INVALID_ARG;
        }
        if (n->child_count) {
            if ((uint64_t) n->first_child + n->child_count > s->node_count || n->first_child <= i)
                return CWMP_ERR_INVALID_ARG;
            for (uint32_t k = 0; k < n->child_count; k++) {
                const struct cwmp__dm_node *c = &s->nodes[n->first_child + k];
                if (c->parent != i || c->name >= s->pool_size)
                    return CWMP_ERR_INVALID_ARG;
                for (uint32_t j = 0; j < k; j++)
                    if (strcmp(s->pool + c->name, s->pool + s->nodes[n->first_child + j].name) == 0)
                        return CWMP_ERR_INVALID_ARG;
            }
        }
    }
    for (uint32_t i = 0; i < s->table_count; i++) {
        const struct cwmp__dm_table *t = &s->tables[i];
        if (t->node >= s->node_count || s->nodes[t->node].kind != CWMP__DM_TABLE)
            return CWMP_ERR_INVALID_ARG;
        if (t->num_entries != CWMP__DM_NONE &&
            (t->num_entries >= s->node_count || s->nodes[t->num_entries].kind != CWMP__DM_PARAM ||
             s->nodes[t->num_entries].parent != s->nodes[t->node].parent))
            return CWMP_ERR_INVALID_ARG;
        if (t->alias != CWMP__DM_NONE &&
            (t->alias >= s->node_count || s->nodes[t->alias].parent != t->node ||
             s->nodes[t->alias].kind != CWMP__DM_PARAM))
            return CWMP_ERR_INVALID_ARG;
    }
    /* every non-root node must be reachable exactly from its parent: the
     * checks above guarantee parent links match children ranges */
    return 0;
}

const char *cwmp_dm_schema_name(const struct cwmp_dm_schema *schema)
{
    return schema && schema->name ? schema->name : "";
}

size_t cwmp_dm_schema_param_count(const struct cwmp_dm_schema *schema)
{
    return schema ? schema->param_count : 0;
}

/* ---- options ---------------------------------------------------------------- */

void cwmp_dm_options_init(struct cwmp_dm_options *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof(*o));
    o->max_instances_per_table = 1024;
    o->max_instances_total = 65536;
    o->max_value_len = 16384;
    o->max_path_len = 256;
    o->max_request_items = 4096;
    o->max_result_items = 200000;
    o->version = CWMP_V1_4;
    o->alias_based_addressing = false;
}

/* ---- objects -------------------------------------------------------------- */

int cwmp__dm_default_notif(const struct cwmp__dm_node *n)
{
    unsigned an = n->flags & CWMP__DM_NOTIFY_MASK;
    return an == CWMP__DM_NOTIFY_FORCE || an == CWMP__DM_NOTIFY_FORCE_DEFAULT ? 2 : 0;
}

void cwmp__dm_obj_free(struct cwmp_dm *dm, struct dm_obj *o)
{
    if (!o)
        return;
    const struct cwmp__dm_node *n = dm_node(dm, o->node);
    for (uint32_t k = 0; k < n->child_count; k++) {
        const struct cwmp__dm_node *c = dm_node(dm, n->first_child + k);
        struct dm_slot *sl = &o->slots[k];
        if (c->kind == CWMP__DM_PARAM) {
            cwmp__free(dm->alloc, sl->u.value);
            cwmp__free(dm->alloc, sl->reported);
        } else if (c->kind == CWMP__DM_OBJECT) {
            cwmp__dm_obj_free(dm, sl->u.obj);
        } else if (sl->u.tab) {
            struct dm_obj *i = sl->u.tab->head;
            while (i) {
                struct dm_obj *nx = i->next;
                cwmp__dm_obj_free(dm, i);
                dm->total_instances--;
                i = nx;
            }
            cwmp__free(dm->alloc, sl->u.tab);
        }
    }
    cwmp__free(dm->alloc, o);
}

struct dm_obj *cwmp__dm_obj_new(struct cwmp_dm *dm, uint32_t node, uint32_t number,
                                struct dm_obj *parent)
{
    const struct cwmp__dm_node *n = dm_node(dm, node);
    struct dm_obj *o =
        cwmp__calloc(dm->alloc, 1, sizeof(*o) + (size_t) n->child_count * sizeof(struct dm_slot));
    if (!o)
        return NULL;
    o->node = node;
    o->number = number;
    o->parent = parent;
    for (uint32_t k = 0; k < n->child_count; k++) {
        uint32_t cnode = n->first_child + k;
        const struct cwmp__dm_node *c = dm_node(dm, cnode);
        struct dm_slot *sl = &o->slots[k];
        if (c->kind == CWMP__DM_PARAM) {
            sl->notif = (uint8_t) cwmp__dm_default_notif(c);
        } else if (c->kind == CWMP__DM_OBJECT) {
            sl->u.obj = cwmp__dm_obj_new(dm, cnode, 0, o);
            if (!sl->u.obj)
                goto fail;
        } else {
            sl->u.tab = cwmp__calloc(dm->alloc, 1, sizeof(struct dm_tab));
            if (!sl->u.tab)
                goto fail;
            sl->u.tab->next = 1;
        }
    }
    return o;
fail:
    cwmp__dm_obj_free(dm, o);
    return NULL;
}

struct dm_obj *cwmp__dm_tab_find(const struct dm_tab *t, uint32_t number)
{
    for (struct dm_obj *o = t->head; o; o = o->next) {
        if (o->number == number)
            return o;
        if (o->number > number)
            break;
    }
    return NULL;
}

/* ---- the tree ---------------------------------------------------------------- */

int cwmp_dm_new(struct cwmp_dm **out, const struct cwmp_allocator *alloc,
                const struct cwmp_dm_schema *schema, const struct cwmp_dm_options *opts)
{
    struct cwmp_dm *dm;
    if (!out)
        return CWMP_ERR_INVALID_ARG;
    *out = NULL;
    if (cwmp__dm_schema_check(schema) != 0)
        return CWMP_ERR_INVALID_ARG;
    alloc = cwmp__alloc_or_default(alloc);
    dm = cwmp__calloc(alloc, 1, sizeof(*dm));
    if (!dm)
        return CWMP_ERR_NOMEM;
    dm->alloc = alloc;
    dm->schema = schema;
    if (opts)
        dm->opts = *opts;
    else
        cwmp_dm_options_init(&dm->opts);
    if (dm->opts.max_path_len == 0 || dm->opts.max_path_len > 4096)
        dm->opts.max_path_len = 256;
    if (dm->opts.max_value_len == 0 || dm->opts.max_value_len > (1u << 24))
        dm->opts.max_value_len = 16384;
    if (dm->opts.max_value_len < 64)
        dm->opts.max_value_len = 64; /* room for any number the tree formats itself */
    dm->bind_of = cwmp__calloc(alloc, schema->node_count, sizeof(uint16_t));
    dm->bind_depth = cwmp__calloc(alloc, schema->node_count, 1);
    dm->valbuf = cwmp__malloc(alloc, dm->opts.max_value_len + 1);
    dm->parameter_key = cwmp__strdup(alloc, "");
    if (!dm->bind_of || !dm->bind_depth || !dm->valbuf || !dm->parameter_key)
        goto nomem;
    dm->root = cwmp__dm_obj_new(dm, 0, 0, NULL);
    if (!dm->root)
        goto nomem;
    dm->ms_node = cwmp__dm_child(schema, 0, "ManagementServer", 16);
    dm->alias_node = dm->pkey_node = CWMP__DM_NONE;
    if (dm->ms_node != CWMP__DM_NONE && schema->nodes[dm->ms_node].kind == CWMP__DM_OBJECT) {
        dm->alias_node = cwmp__dm_child(schema, dm->ms_node, "AliasBasedAddressing", 20);
        dm->pkey_node = cwmp__dm_child(schema, dm->ms_node, "ParameterKey", 12);
    } else {
        dm->ms_node = CWMP__DM_NONE;
    }
    *out = dm;
    return 0;
nomem:
    cwmp_dm_free(dm);
    return CWMP_ERR_NOMEM;
}

void cwmp_dm_free(struct cwmp_dm *dm)
{
    if (!dm)
        return;
    cwmp__dm_obj_free(dm, dm->root);
    cwmp__free(dm->alloc, dm->bind_of);
    cwmp__free(dm->alloc, dm->bind_depth);
    cwmp__free(dm->alloc, dm->bindings);
    cwmp__free(dm->alloc, dm->valbuf);
    cwmp__free(dm->alloc, dm->parameter_key);
    cwmp__free(dm->alloc, dm);
}

const char *cwmp_dm_root_name(const struct cwmp_dm *dm)
{
    return dm ? dm_name(dm, 0) : "";
}

const char *cwmp_dm_error_detail(const struct cwmp_dm *dm)
{
    return dm ? dm->detail : "";
}

void cwmp__dm_detail(struct cwmp_dm *dm, const char *what, const char *name)
{
    snprintf(dm->detail, sizeof(dm->detail), "%.100s: %s", name ? name : "", what);
}

const char *cwmp_dm_parameter_key(const struct cwmp_dm *dm)
{
    return dm && dm->parameter_key ? dm->parameter_key : "";
}

void cwmp_dm_set_transaction(struct cwmp_dm *dm, const struct cwmp_dm_transaction *tx)
{
    if (!dm)
        return;
    dm->has_tx = tx != NULL;
    if (tx)
        dm->tx = *tx;
}

void cwmp_dm_set_store(struct cwmp_dm *dm, const struct cwmp_dm_store *store)
{
    if (!dm)
        return;
    dm->has_store = store != NULL;
    if (store)
        dm->store = *store;
}

/* ---- bindings ---------------------------------------------------------- */

static uint8_t node_depth(const struct cwmp_dm_schema *s, uint32_t node)
{
    uint8_t d = 1;
    while (s->nodes[node].parent != CWMP__DM_NONE && d < 255) {
        node = s->nodes[node].parent;
        d++;
    }
    return d;
}

static void bind_subtree(struct cwmp_dm *dm, uint32_t node, uint16_t idx, uint8_t depth)
{
    const struct cwmp__dm_node *n = dm_node(dm, node);
    if (dm->bind_depth[node] <= depth) {
        dm->bind_of[node] = idx;
        dm->bind_depth[node] = depth;
    }
    for (uint32_t k = 0; k < n->child_count; k++)
        bind_subtree(dm, n->first_child + k, idx, depth);
}

int cwmp_dm_bind(struct cwmp_dm *dm, const char *schema_path,
                 const struct cwmp_dm_handlers *handlers, void *user_data)
{
    uint32_t node;
    struct dm_binding *nb;
    if (!dm || !schema_path || !handlers)
        return CWMP_ERR_INVALID_ARG;
    node = cwmp__dm_schema_lookup(dm->schema, schema_path);
    if (node == CWMP__DM_NONE) {
        cwmp__dm_detail(dm, "no such schema path", schema_path);
        return CWMP_ERR_NOT_FOUND;
    }
    if (dm->binding_count >= UINT16_MAX - 1)
        return CWMP_ERR_LIMIT;
    nb = cwmp__realloc(dm->alloc, dm->bindings, (dm->binding_count + 1) * sizeof(*nb));
    if (!nb)
        return CWMP_ERR_NOMEM;
    dm->bindings = nb;
    nb[dm->binding_count].h = *handlers;
    nb[dm->binding_count].user_data = user_data;
    dm->binding_count++;
    bind_subtree(dm, node, (uint16_t) dm->binding_count, node_depth(dm->schema, node));
    return 0;
}

const struct dm_binding *cwmp__dm_binding(const struct cwmp_dm *dm, uint32_t node)
{
    uint16_t b = dm->bind_of[node];
    return b ? &dm->bindings[b - 1] : NULL;
}

/* ---- handler calls ------------------------------------------------------ */

#define DM_PATH_BUF 1024

static int schema_path_of(const struct cwmp_dm *dm, uint32_t node, char *buf, size_t size)
{
    uint32_t chain[64];
    size_t n = 0, len = 0;
    for (uint32_t x = node; x != CWMP__DM_NONE; x = dm_node(dm, x)->parent) {
        if (n == 64)
            return -1;
        chain[n++] = x;
    }
    while (n--) {
        const struct cwmp__dm_node *nd = dm_node(dm, chain[n]);
        const char *name = dm_name(dm, chain[n]);
        size_t nl = strlen(name);
        if (len + nl + 5 >= size)
            return -1;
        memcpy(buf + len, name, nl);
        len += nl;
        if (nd->kind != CWMP__DM_PARAM)
            buf[len++] = '.';
        if (nd->kind == CWMP__DM_TABLE) {
            memcpy(buf + len, "{i}.", 4);
            len += 4;
        }
    }
    buf[len] = '\0';
    return (int) len;
}

int cwmp__dm_call(struct cwmp_dm *dm, cwmp_dm_handler_fn fn, void *ud, enum cwmp_dm_op op,
                  struct dm_obj *o, uint32_t slot, const char *value)
{
    char path[DM_PATH_BUF], spath[DM_PATH_BUF];
    uint32_t inst[64];
    size_t ni = 0;
    uint32_t node = slot == CWMP__DM_NONE ? o->node : dm_slot_node(dm, o, slot);
    struct cwmp_dm_request rq;
    int len = cwmp__dm_obj_path(dm, o, path, sizeof(path));
    if (len < 0 || schema_path_of(dm, node, spath, sizeof(spath)) < 0)
        return CWMP_ERR_LIMIT;
    if (slot != CWMP__DM_NONE) {
        const char *nm = dm_name(dm, node);
        size_t nl = strlen(nm);
        if ((size_t) len + nl + 1 > sizeof(path))
            return CWMP_ERR_LIMIT;
        memcpy(path + len, nm, nl + 1);
    }
    {
        const struct dm_obj *chain[64];
        size_t n = 0;
        for (const struct dm_obj *x = o; x && n < 64; x = x->parent)
            chain[n++] = x;
        while (n--)
            if (dm_node(dm, chain[n]->node)->kind == CWMP__DM_TABLE)
                inst[ni++] = chain[n]->number;
    }
    memset(&rq, 0, sizeof(rq));
    rq.dm = dm;
    rq.op = op;
    rq.path = path;
    rq.schema_path = spath;
    rq.instances = inst;
    rq.instance_count = ni;
    rq.type = slot == CWMP__DM_NONE ? CWMP_TYPE_NONE : (enum cwmp_type) dm_node(dm, node)->type;
    rq.value = value;
    rq.user_data = ud;
    if (op == CWMP_DM_OP_GET) {
        rq.buf = dm->valbuf;
        rq.buf_size = dm->opts.max_value_len + 1;
        dm->valbuf[0] = '\0';
    }
    int rv = fn(&rq);
    if (op == CWMP_DM_OP_GET)
        dm->valbuf[dm->opts.max_value_len] = '\0';
    return rv;
}

static const struct dm_tab *find_counted_table(const struct cwmp_dm *dm, const struct dm_obj *o,
                                               uint32_t pnode)
{
    const struct cwmp_dm_schema *s = dm->schema;
    /* NumberOfEntries parameters are few; the check is by name suffix first */
    const char *nm = dm_name(dm, pnode);
    size_t nl = strlen(nm);
    if (nl < 15 || memcmp(nm + nl - 15, "NumberOfEntries", 15) != 0)
        return NULL;
    const struct cwmp__dm_node *pn = dm_node(dm, o->node);
    for (uint32_t k = 0; k < pn->child_count; k++) {
        const struct cwmp__dm_node *c = &s->nodes[pn->first_child + k];
        if (c->kind == CWMP__DM_TABLE && s->tables[c->aux].num_entries == pnode)
            return o->slots[k].u.tab;
    }
    return NULL;
}

/* Decimal text of v into buf (at least 21 bytes; valbuf always is). */
static void fmt_i64(char *buf, int64_t v)
{
    char tmp[24];
    int n = 0;
    uint64_t u = v < 0 ? (uint64_t) 0 - (uint64_t) v : (uint64_t) v;
    do {
        tmp[n++] = (char) ('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *buf++ = '-';
    while (n)
        *buf++ = tmp[--n];
    *buf = '\0';
}

/* The value of a held parameter without a schema default: the type's zero,
 * moved into the allowed range, or the first allowed enumeration value, so
 * that what is read back is always valid for SetParameterValues. */
static const char *placeholder(struct cwmp_dm *dm, const struct cwmp__dm_node *n)
{
    const struct cwmp_dm_schema *s = dm->schema;
    const struct cwmp__dm_syntax *sx = n->aux == CWMP__DM_NONE ? NULL : &s->syntaxes[n->aux];
    if (n->flags & CWMP__DM_LIST)
        return ""; /* the empty list */
    if (!sx)
        return cwmp__dm_type_default(n->type);
    switch ((enum cwmp_type) n->type) {
    case CWMP_TYPE_INT:
    case CWMP_TYPE_LONG:
    case CWMP_TYPE_UNSIGNED_INT:
    case CWMP_TYPE_UNSIGNED_LONG: {
        int64_t v = 0;
        if ((n->flags & CWMP__DM_HAS_MIN) && sx->min > 0)
            v = sx->min;
        else if ((n->flags & CWMP__DM_HAS_MAX) && sx->max < 0)
            v = sx->max;
        if (sx->range_count) { /* several ranges: 0 may fall between them */
            uint32_t k;
            for (k = 0; k < sx->range_count; k++)
                if (v >= s->ranges[sx->range_first + k].min &&
                    v <= s->ranges[sx->range_first + k].max)
                    break;
            if (k == sx->range_count)
                v = s->ranges[sx->range_first].min;
        }
        if (v == 0)
            return "0";
        fmt_i64(dm->valbuf, v);
        return dm->valbuf;
    }
    case CWMP_TYPE_HEXBINARY:
    case CWMP_TYPE_BASE64:
    case CWMP_TYPE_STRING:
        if ((n->flags & CWMP__DM_HAS_MIN) && sx->min > 0 && !sx->enum_count) {
            /* shortest valid value: zero bytes ("00…", "AAA…=") or '0' characters */
            size_t cnt = (size_t) sx->min, len;
            size_t cap = dm->opts.max_value_len / 2;
            if (cnt > cap / 2)
                cnt = cap / 2;
            if (n->type == CWMP_TYPE_HEXBINARY) {
                len = cnt * 2;
                memset(dm->valbuf, '0', len);
            } else if (n->type == CWMP_TYPE_BASE64) {
                len = (cnt + 2) / 3 * 4;
                memset(dm->valbuf, 'A', len);
                if (cnt % 3 == 1)
                    dm->valbuf[len - 1] = dm->valbuf[len - 2] = '=';
                else if (cnt % 3 == 2)
                    dm->valbuf[len - 1] = '=';
            } else {
                len = cnt;
                memset(dm->valbuf, '0', len);
            }
            dm->valbuf[len] = '\0';
            return dm->valbuf;
        }
        if (n->type != CWMP_TYPE_STRING)
            return "";
        if (sx->enum_count) {
            for (uint32_t k = 0; k < sx->enum_count; k++)
                if (s->pool[s->enums[sx->enum_first + k]] == '\0')
                    return "";
            return s->pool + s->enums[sx->enum_first];
        }
        return "";
    default: return cwmp__dm_type_default(n->type);
    }
}

bool cwmp__dm_is_counter(const struct cwmp_dm *dm, const struct dm_obj *o, uint32_t node)
{
    return dm_node(dm, node)->type == CWMP_TYPE_UNSIGNED_INT &&
           find_counted_table(dm, o, node) != NULL;
}

int cwmp__dm_read(struct cwmp_dm *dm, struct dm_obj *o, uint32_t slot, const char **out)
{
    uint32_t node = dm_slot_node(dm, o, slot);
    const struct cwmp__dm_node *n = dm_node(dm, node);
    const struct dm_binding *b = cwmp__dm_binding(dm, node);
    const struct dm_tab *t;
    if (b && b->h.get) {
        int rv = cwmp__dm_call(dm, b->h.get, b->user_data, CWMP_DM_OP_GET, o, slot, NULL);
        if (rv != 0)
            return rv < 0 ? rv : rv;
        *out = dm->valbuf;
        return 0;
    }
    if (n->type == CWMP_TYPE_UNSIGNED_INT && (t = find_counted_table(dm, o, node)) != NULL) {
        fmt_i64(dm->valbuf, t->count);
        *out = dm->valbuf;
        return 0;
    }
    if (o->slots[slot].u.value) {
        *out = o->slots[slot].u.value;
        return 0;
    }
    if (node == dm->pkey_node) {
        *out = dm->parameter_key;
        return 0;
    }
    *out = n->dflt != CWMP__DM_NOSTR ? dm->schema->pool + n->dflt : placeholder(dm, n);
    return 0;
}

/* ---- instances ---------------------------------------------------------------- */

int cwmp__dm_insert_instance(struct cwmp_dm *dm, struct dm_obj *parent, uint32_t slot,
                             uint32_t number, bool call_handler, struct dm_obj **out)
{
    uint32_t tnode = dm_slot_node(dm, parent, slot);
    const struct cwmp__dm_table *ti = &dm->schema->tables[dm_node(dm, tnode)->aux];
    struct dm_tab *t = parent->slots[slot].u.tab;
    struct dm_obj *inst, **pp;
    if (t->count >= dm->opts.max_instances_per_table ||
        dm->total_instances >= dm->opts.max_instances_total ||
        (ti->max_entries != CWMP__DM_NONE && t->count >= ti->max_entries))
        return CWMP_ERR_LIMIT;
    if (number == 0) {
        if (t->next == 0) /* wrapped: every number was used */
            return CWMP_ERR_LIMIT;
        number = t->next;
    } else if (cwmp__dm_tab_find(t, number)) {
        return CWMP_ERR_INVALID_ARG;
    }
    inst = cwmp__dm_obj_new(dm, tnode, number, parent);
    if (!inst)
        return CWMP_ERR_NOMEM;
    if (call_handler) {
        const struct dm_binding *b = cwmp__dm_binding(dm, tnode);
        if (b && b->h.add) {
            int rv = cwmp__dm_call(dm, b->h.add, b->user_data, CWMP_DM_OP_ADD, inst, CWMP__DM_NONE,
                                   NULL);
            if (rv != 0 && rv != CWMP_DM_APPLIED_LATER) {
                cwmp__dm_obj_free(dm, inst);
                return rv;
            }
        }
    }
    /* keep ascending order */
    pp = &t->head;
    while (*pp && (*pp)->number < number)
        pp = &(*pp)->next;
    inst->next = *pp;
    *pp = inst;
    if (!inst->next)
        t->tail = inst;
    t->count++;
    dm->total_instances++;
    if (number >= t->next)
        t->next = number + 1; /* 0 after UINT32_MAX: table exhausted */
    if (out)
        *out = inst;
    return 0;
}

int cwmp__dm_remove_instance(struct cwmp_dm *dm, struct dm_obj *inst, bool call_handler)
{
    struct dm_obj *parent = inst->parent;
    uint32_t slot = inst->node - dm_node(dm, parent->node)->first_child;
    struct dm_tab *t = parent->slots[slot].u.tab;
    struct dm_obj **pp, *prev = NULL;
    if (call_handler) {
        const struct dm_binding *b = cwmp__dm_binding(dm, inst->node);
        if (b && b->h.del) {
            int rv = cwmp__dm_call(dm, b->h.del, b->user_data, CWMP_DM_OP_DELETE, inst,
                                   CWMP__DM_NONE, NULL);
            if (rv != 0 && rv != CWMP_DM_APPLIED_LATER)
                return rv;
        }
    }
    for (pp = &t->head; *pp && *pp != inst; pp = &(*pp)->next)
        prev = *pp;
    if (!*pp)
        return CWMP_ERR_INTERNAL;
    *pp = inst->next;
    if (t->tail == inst)
        t->tail = prev;
    t->count--;
    dm->total_instances--;
    inst->next = NULL;
    cwmp__dm_obj_free(dm, inst);
    return 0;
}

/* ---- device-side API ------------------------------------------------------- */

int cwmp_dm_get(struct cwmp_dm *dm, const char *name, char *buf, size_t size)
{
    struct dm_ref ref;
    const char *v;
    int rv;
    size_t len;
    if (!dm || !name || (!buf && size))
        return CWMP_ERR_INVALID_ARG;
    if (cwmp__dm_resolve(dm, name, &ref) != 0 || ref.kind != DM_REF_PARAM)
        return CWMP_ERR_NOT_FOUND;
    rv = cwmp__dm_read(dm, ref.obj, ref.slot, &v);
    if (rv != 0)
        return rv > 0 ? CWMP_ERR_CALLBACK : rv;
    len = strlen(v);
    if (len >= size || len > INT32_MAX)
        return CWMP_ERR_BUFFER;
    memcpy(buf, v, len + 1);
    return (int) len;
}

int cwmp_dm_set(struct cwmp_dm *dm, const char *name, const char *value)
{
    struct dm_ref ref;
    uint32_t node;
    const struct dm_binding *b;
    size_t len;
    if (!dm || !name || !value)
        return CWMP_ERR_INVALID_ARG;
    if (cwmp__dm_resolve(dm, name, &ref) != 0 || ref.kind != DM_REF_PARAM)
        return CWMP_ERR_NOT_FOUND;
    node = dm_slot_node(dm, ref.obj, ref.slot);
    len = strlen(value);
    if (len > dm->opts.max_value_len) {
        cwmp__dm_detail(dm, "value too long", name);
        return CWMP_ERR_BAD_VALUE;
    }
    {
        int cv = cwmp__dm_check_value(dm->alloc, dm->schema, node, value, len);
        if (cv != 0) {
            cwmp__dm_detail(dm, "invalid value", name);
            return cv;
        }
    }
    if (cwmp__dm_is_counter(dm, ref.obj, node)) {
        cwmp__dm_detail(dm, "NumberOfEntries follows its table", name);
        return CWMP_ERR_INVALID_ARG;
    }
    b = cwmp__dm_binding(dm, node);
    if (b && b->h.set) {
        int rv =
            cwmp__dm_call(dm, b->h.set, b->user_data, CWMP_DM_OP_SET, ref.obj, ref.slot, value);
        if (rv != 0 && rv != CWMP_DM_APPLIED_LATER)
            return rv > 0 ? CWMP_ERR_CALLBACK : rv;
        return 0;
    }
    if (node == dm->pkey_node) {
        char *k = cwmp__strdup(dm->alloc, value);
        if (!k)
            return CWMP_ERR_NOMEM;
        cwmp__free(dm->alloc, dm->parameter_key);
        dm->parameter_key = k;
        return 0;
    }
    char *nv = cwmp__strdup(dm->alloc, value);
    if (!nv)
        return CWMP_ERR_NOMEM;
    struct dm_slot *sl = &ref.obj->slots[ref.slot];
    if (sl->notif && !sl->reported) {
        /* keep the value before the change as the baseline */
        const char *old;
        if (cwmp__dm_read(dm, ref.obj, ref.slot, &old) == 0) {
            sl->reported = cwmp__strdup(dm->alloc, old);
            if (!sl->reported) {
                cwmp__free(dm->alloc, nv);
                return CWMP_ERR_NOMEM;
            }
        }
    }
    cwmp__free(dm->alloc, sl->u.value);
    sl->u.value = nv;
    if (sl->notif && sl->reported && strcmp(sl->reported, nv) != 0)
        sl->state |= DM_ST_CHANGED;
    return 0;
}

int cwmp_dm_add_instance(struct cwmp_dm *dm, const char *table_path, uint32_t instance,
                         uint32_t *out_instance)
{
    struct dm_ref ref;
    struct dm_obj *inst;
    int rv;
    if (!dm || !table_path)
        return CWMP_ERR_INVALID_ARG;
    if (cwmp__dm_resolve(dm, table_path, &ref) != 0 || ref.kind != DM_REF_TABLE)
        return CWMP_ERR_NOT_FOUND;
    rv = cwmp__dm_insert_instance(dm, ref.obj, ref.slot, instance, true, &inst);
    if (rv != 0)
        return rv > 0 ? CWMP_ERR_CALLBACK : rv;
    if (out_instance)
        *out_instance = inst->number;
    return 0;
}

int cwmp_dm_delete_instance(struct cwmp_dm *dm, const char *instance_path)
{
    struct dm_ref ref;
    int rv;
    if (!dm || !instance_path)
        return CWMP_ERR_INVALID_ARG;
    if (cwmp__dm_resolve(dm, instance_path, &ref) != 0 || ref.kind != DM_REF_OBJECT ||
        dm_node(dm, ref.obj->node)->kind != CWMP__DM_TABLE)
        return CWMP_ERR_NOT_FOUND;
    rv = cwmp__dm_remove_instance(dm, ref.obj, true);
    return rv > 0 ? CWMP_ERR_CALLBACK : rv;
}

int cwmp_dm_foreach_instance(struct cwmp_dm *dm, const char *table_path,
                             int (*fn)(uint32_t instance, void *ctx), void *ctx)
{
    struct dm_ref ref;
    if (!dm || !table_path || !fn)
        return CWMP_ERR_INVALID_ARG;
    if (cwmp__dm_resolve(dm, table_path, &ref) != 0 || ref.kind != DM_REF_TABLE)
        return CWMP_ERR_NOT_FOUND;
    for (struct dm_obj *o = ref.obj->slots[ref.slot].u.tab->head; o;) {
        struct dm_obj *nx = o->next; /* fn may not delete, but be safe for reads */
        int rv = fn(o->number, ctx);
        if (rv)
            return rv;
        o = nx;
    }
    return 0;
}

uint32_t cwmp_dm_instance_count(struct cwmp_dm *dm, const char *table_path)
{
    struct dm_ref ref;
    if (!dm || !table_path || cwmp__dm_resolve(dm, table_path, &ref) != 0 ||
        ref.kind != DM_REF_TABLE)
        return 0;
    return ref.obj->slots[ref.slot].u.tab->count;
}
