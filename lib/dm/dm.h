/*
 * libcwmp - data model: private runtime structures of the tree.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CWMP_DM_DM_H
#define CWMP_DM_DM_H

#include <stdbool.h>
#include <stdint.h>

#include <cwmp/datamodel.h>
#include <cwmp/error.h>

#include "internal.h"
#include "schema.h"

struct dm_obj;

/* Instances of one table (ascending numbers). */
struct dm_tab {
    struct dm_obj *head;
    struct dm_obj *tail;
    uint32_t count;
    uint32_t next; /* next instance number to hand out (never reused) */
};

/* Slot state bits. */
#define DM_ST_CHANGED  0x01u /* value changed since last reported */
#define DM_ST_INFLIGHT 0x02u /* reported in an Inform not yet acknowledged */
#define DM_ST_WRITTEN  0x04u /* writeOnceReadOnly already written */
#define DM_ST_CHECK    0x08u /* cwmp_dm_value_changed(): compare at next poll */

#define DM_ACL_SUBSCRIBER 0x01u

/* One child of an object instance: a parameter's value and attributes, a
 * single-instance child object, or a table. */
struct dm_slot {
    union {
        char *value; /* params: held value, NULL = schema default */
        struct dm_obj *obj;
        struct dm_tab *tab;
    } u;
    char *reported; /* params with notification: last reported value */
    uint8_t notif;  /* 0..6 */
    uint8_t acl;    /* DM_ACL_* */
    uint8_t state;  /* DM_ST_* */
};

/* An object instance (or the one instance of a single-instance object). */
struct dm_obj {
    uint32_t node;   /* schema node (OBJECT or TABLE) */
    uint32_t number; /* instance number, 0 for single-instance objects */
    struct dm_obj *parent;
    struct dm_obj *next; /* next instance of the same table */
    struct dm_slot slots[];
};

struct dm_binding {
    struct cwmp_dm_handlers h;
    void *user_data;
};

struct cwmp_dm {
    const struct cwmp_allocator *alloc;
    const struct cwmp_dm_schema *schema;
    struct cwmp_dm_options opts;
    struct dm_obj *root;
    uint32_t total_instances;
    char *parameter_key;
    /* bindings: per schema node, index+1 into `bindings` (0 = none) and
     * the depth of the bound path (most specific wins) */
    uint16_t *bind_of;
    uint8_t *bind_depth;
    struct dm_binding *bindings;
    size_t binding_count;
    struct cwmp_dm_transaction tx;
    bool has_tx;
    struct cwmp_dm_store store;
    bool has_store;
    uint32_t alias_node; /* ManagementServer.AliasBasedAddressing, or NONE */
    uint32_t ms_node;    /* ManagementServer object node, or NONE */
    uint32_t pkey_node;  /* ManagementServer.ParameterKey, or NONE */
    char *valbuf;        /* max_value_len + 1 bytes: handler GET buffer */
    char detail[160];
};

/* A resolved path. */
enum dm_ref_kind {
    DM_REF_PARAM = 0,  /* obj = containing instance, slot = index */
    DM_REF_OBJECT = 1, /* obj = the object or instance ("A.B." / "A.T.3.") */
    DM_REF_TABLE = 2,  /* obj = parent instance, slot = the table's slot ("A.T.") */
};

struct dm_ref {
    enum dm_ref_kind kind;
    struct dm_obj *obj;
    uint32_t slot;
};

/* value.c */
/* 0, CWMP_ERR_BAD_VALUE or CWMP_ERR_NOMEM (pattern program). */
int cwmp__dm_check_value(const struct cwmp_allocator *a, const struct cwmp_dm_schema *s,
                         uint32_t node, const char *v, size_t len);
/* 1 match (or pattern outside the checked subset), 0 no match, CWMP_ERR_NOMEM. */
int cwmp__dm_pattern_match(const struct cwmp_allocator *alloc, const char *pattern, const char *v,
                           size_t len);
const char *cwmp__dm_type_default(uint8_t type);
int cwmp__dm_parse_i64(const char *s, size_t len, int64_t lo, int64_t hi, int64_t *out);
int cwmp__dm_parse_u64(const char *s, size_t len, uint64_t hi, uint64_t *out);
int cwmp__dm_parse_bool(const char *s, size_t len, bool *out);
int cwmp__dm_parse_datetime(const char *s, size_t len, int64_t *unix_out);
void cwmp__dm_format_datetime(int64_t t, char buf[32]);

/* path.c */
/* Resolves an instance path (full parameter name or partial path ending in
 * '.'); "" is not accepted here. Returns 0 or CWMP_FAULT_INVALID_PARAMETER_NAME. */
int cwmp__dm_resolve(struct cwmp_dm *dm, const char *path, struct dm_ref *ref);
/* Resolves a schema path ("A.{i}.B", "A.{i}.", "A.T.") to a node index, or NONE. */
uint32_t cwmp__dm_schema_lookup(const struct cwmp_dm_schema *s, const char *path);
/* Finds a child of node by name (len bytes); NONE when absent. */
uint32_t cwmp__dm_child(const struct cwmp_dm_schema *s, uint32_t node, const char *name,
                        size_t len);
/* Writes the instance path of obj ("Device.A.3.") into buf; returns length or -1. */
int cwmp__dm_obj_path(const struct cwmp_dm *dm, const struct dm_obj *obj, char *buf, size_t size);
bool cwmp__dm_alias_enabled(struct cwmp_dm *dm);

/* tree.c */
static inline const struct cwmp__dm_node *dm_node(const struct cwmp_dm *dm, uint32_t i)
{
    return &dm->schema->nodes[i];
}
static inline uint32_t dm_slot_node(const struct cwmp_dm *dm, const struct dm_obj *o, uint32_t k)
{
    return dm->schema->nodes[o->node].first_child + k;
}
static inline const char *dm_name(const struct cwmp_dm *dm, uint32_t node)
{
    return dm->schema->pool + dm->schema->nodes[node].name;
}
struct dm_obj *cwmp__dm_obj_new(struct cwmp_dm *dm, uint32_t node, uint32_t number,
                                struct dm_obj *parent);
void cwmp__dm_obj_free(struct cwmp_dm *dm, struct dm_obj *o);
struct dm_obj *cwmp__dm_tab_find(const struct dm_tab *t, uint32_t number);
const struct dm_binding *cwmp__dm_binding(const struct cwmp_dm *dm, uint32_t node);
/* Reads a parameter's value (handler or store). *out points to dm->valbuf,
 * the held string or a schema string; valid until the next read. Returns 0,
 * a fault or a negative error. */
/* True for a <Name>NumberOfEntries parameter linked to a table of o. */
bool cwmp__dm_is_counter(const struct cwmp_dm *dm, const struct dm_obj *o, uint32_t node);
int cwmp__dm_read(struct cwmp_dm *dm, struct dm_obj *o, uint32_t slot, const char **out);
/* Calls a handler with a request built for (o, slot) or (instance o). */
int cwmp__dm_call(struct cwmp_dm *dm, cwmp_dm_handler_fn fn, void *ud, enum cwmp_dm_op op,
                  struct dm_obj *o, uint32_t slot, const char *value);
int cwmp__dm_insert_instance(struct cwmp_dm *dm, struct dm_obj *parent, uint32_t slot,
                             uint32_t number, bool call_handler, struct dm_obj **out);
int cwmp__dm_remove_instance(struct cwmp_dm *dm, struct dm_obj *inst, bool call_handler);
void cwmp__dm_sync_count(struct cwmp_dm *dm, struct dm_obj *parent, uint32_t table_node);
int cwmp__dm_default_notif(const struct cwmp__dm_node *n);
void cwmp__dm_detail(struct cwmp_dm *dm, const char *what, const char *name);
void cwmp__dm_note_value(struct cwmp_dm *dm, struct dm_slot *sl, const char *newval, bool from_acs);
int cwmp__dm_autosave(struct cwmp_dm *dm);

/* ops.c: walking the instance tree with the path in a buffer */
#define DM_WALK_BUF 1024

struct walk {
    struct cwmp_dm *dm;
    struct cwmp_dm_result *r;
    char path[DM_WALK_BUF];
    size_t len;
    size_t produced;
    /* callbacks; 0 to continue, else stop with that value */
    int (*param)(struct walk *w, struct dm_obj *o, uint32_t slot);
    int (*object)(struct walk *w, struct dm_obj *o, int writable); /* "X." / "T." / "T.n." */
    const void *arg;
    int flag;
};

int cwmp__dm_w_push(struct walk *w, const char *s, size_t n);
int cwmp__dm_w_push_num(struct walk *w, uint32_t v);
/* Visits the children of o; w->path holds o's path with its trailing dot. */
int cwmp__dm_walk_obj(struct walk *w, struct dm_obj *o);
int cwmp__dm_walk_table(struct walk *w, struct dm_obj *parent, uint32_t slot);
/* Forced-inform parameters then changed notified ones (marks them in flight). */
int cwmp__dm_walk_forced(struct cwmp_dm *dm, struct cwmp_dm_result *r, bool *value_change);

#endif /* CWMP_DM_DM_H */
