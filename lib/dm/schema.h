/*
 * libcwmp - compiled data-model schema: the const tables emitted by the
 * schema compiler (tools/, owner dmschema) and read by the tree (lib/dm).
 * Internal header, not installed. Publicly the schema is the opaque
 * `struct cwmp_dm_schema` of <cwmp/datamodel.h>.
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Layout
 * ------
 * A schema is a tree of nodes stored in one const array, node 0 being the
 * root object ("Device" or "InternetGatewayDevice"). A node is an object,
 * a multi-instance object (a "table") or a parameter. The `{i}` level of a
 * table is implicit: the node "FAPService" of kind CWMP__DM_TABLE stands for
 * "Device.Services.FAPService.{i}." and its children are the children of
 * each instance. So "Device.Services.FAPService.{i}.Enable" is the chain
 * Device (object) -> Services (object) -> FAPService (table) -> Enable
 * (parameter).
 *
 * The children of a node are the nodes [first_child, first_child +
 * child_count), contiguous (a breadth-first layout per parent). Within one
 * parent, children are emitted in the order of the XML (the order
 * GetParameterNames reports); parameters may be mixed with objects. Names
 * are unique within one parent.
 *
 * Strings (node names, defaults, enumeration values, patterns) are offsets
 * into one NUL-separated pool (`pool`), so a string is `pool + offset`.
 * Offset 0 is always the empty string (the pool starts with a NUL).
 * CWMP__DM_NOSTR means "absent" (e.g. no default).
 *
 * Everything is const and position independent: the compiler emits plain
 * `static const` arrays and one `const struct cwmp_dm_schema`.
 */
#ifndef CWMP_DM_SCHEMA_H
#define CWMP_DM_SCHEMA_H

#include <stdint.h>

#include <cwmp/datamodel.h>
#include <cwmp/types.h>

/** "no such node / no string" marker for uint32_t indices and offsets. */
#define CWMP__DM_NONE  UINT32_MAX
#define CWMP__DM_NOSTR UINT32_MAX

/** Table format version; the compiler writes it into `format`. */
#define CWMP__DM_SCHEMA_FORMAT 2u

/* ---- node kinds ---------------------------------------------------------- */
enum cwmp__dm_kind {
    CWMP__DM_OBJECT = 0, /* single-instance object: "A.B." */
    CWMP__DM_TABLE = 1,  /* multi-instance object: "A.B.{i}." */
    CWMP__DM_PARAM = 2,  /* parameter */
};

/* ---- node flags (uint16_t) ----------------------------------------------- */
/* Parameters: access in bits 0-1. */
#define CWMP__DM_ACCESS_MASK 0x0003u
#define CWMP__DM_READ_ONLY   0x0000u
#define CWMP__DM_READ_WRITE  0x0001u
#define CWMP__DM_WRITE_ONCE  0x0002u /* writeOnceReadOnly (e.g. Alias in Device:2) */
/* Tables: AddObject / DeleteObject allowed (XML access createDelete etc.). */
#define CWMP__DM_CREATE 0x0001u
#define CWMP__DM_DELETE 0x0002u
/* Parameters: activeNotify in bits 2-3 (TR-106 names). */
#define CWMP__DM_NOTIFY_SHIFT         2
#define CWMP__DM_NOTIFY_MASK          0x000cu
#define CWMP__DM_NOTIFY_NORMAL        0x0000u /* default off, ACS may set 0/1/2 */
#define CWMP__DM_NOTIFY_CAN_DENY      0x0004u /* CPE refuses active (2) -> 9009 */
#define CWMP__DM_NOTIFY_FORCE_DEFAULT 0x0008u /* default 2, ACS may change */
#define CWMP__DM_NOTIFY_FORCE         0x000cu /* always 2, cannot be changed */
/* Parameters: other attributes. */
#define CWMP__DM_FORCED_INFORM 0x0010u /* in every Inform ParameterList */
#define CWMP__DM_HIDDEN        0x0020u /* read back as "" (TR-106 hidden) */
#define CWMP__DM_SECURED       0x0040u /* read back as "" (TR-106 secured) */
#define CWMP__DM_LIST          0x0080u /* comma-separated list of `type` */
#define CWMP__DM_HAS_MIN       0x0100u /* syntax min is set */
#define CWMP__DM_HAS_MAX       0x0200u /* syntax max is set */
/* Any node. */
#define CWMP__DM_DEPRECATED 0x1000u
#define CWMP__DM_OBSOLETE   0x2000u

/*
 * One node. 28 bytes on LP64.
 *  name        pool offset of the node's own segment ("Enable", "FAPService").
 *  parent      node index of the parent; CWMP__DM_NONE for node 0.
 *  first_child index of the first child (children are contiguous); any value
 *              when child_count == 0.
 *  dflt        parameters: pool offset of the default value, CWMP__DM_NOSTR
 *              when none (the tree then uses "" / "0" / "false" /
 *              "0001-01-01T00:00:00Z" by type).
 *  aux         parameters: index into `syntaxes`, CWMP__DM_NONE when none;
 *              tables: index into `tables`; objects: CWMP__DM_NONE.
 *  child_count number of children.
 *  kind        enum cwmp__dm_kind.
 *  type        parameters: enum cwmp_type (<cwmp/types.h>) of the value or,
 *              for lists, of each item; TR-106 named data types
 *              (IPAddress, Alias, URL, …) are resolved by the compiler to
 *              their base type + syntax. Objects: CWMP_TYPE_NONE.
 *  flags       CWMP__DM_* flags above.
 */
struct cwmp__dm_node {
    uint32_t name;
    uint32_t parent;
    uint32_t first_child;
    uint32_t dflt;
    uint32_t aux;
    uint16_t child_count;
    uint8_t kind;
    uint8_t type;
    uint16_t flags;
    uint16_t reserved; /* 0 */
};

/*
 * Value restrictions of a parameter. Shared between parameters with the same
 * syntax (the compiler deduplicates).
 *  min, max    numeric types: inclusive range of the value (valid when the
 *              node has CWMP__DM_HAS_MIN / HAS_MAX; unsignedLong values
 *              above INT64_MAX cannot be expressed and are left unset);
 *              string / base64 / hexBinary: minimum / maximum length in
 *              characters (strings) or bytes (base64, hexBinary).
 *              For lists they apply to each item.
 *  list_max    lists: maximum length of the whole list string; 0 = none.
 *  enum_first, enum_count
 *              strings: allowed values are pool + enums[enum_first + k];
 *              enum_count == 0: no enumeration. For lists each item must be
 *              one of them.
 *  pattern     pool offset of one pattern (XML Schema regex subset), or
 *              CWMP__DM_NOSTR. The tree checks only a few cheap forms (see
 *              lib/dm/value.c); others are accepted without checking.
 */
struct cwmp__dm_syntax {
    int64_t min;
    int64_t max;
    uint32_t list_max;
    uint32_t enum_first;
    uint32_t enum_count;
    uint32_t pattern;
    uint32_t range_first; /* format 2: ranges[range_first + k], k < range_count */
    uint32_t range_count; /* 0: only min/max; else the value must be in one of them */
};

/*
 * One of several inclusive ranges of a numeric parameter (TR-106 allows
 * more than one <range>, e.g. [6..6],[15..15],… or [0..0],[60..]). Used
 * only when a syntax has more than one; min/max of the syntax stay their
 * hull, so a check of min/max alone is never stricter than the model.
 */
struct cwmp__dm_range {
    int64_t min;
    int64_t max;
};

/*
 * Extra information of a multi-instance object.
 *  node          the table's node index.
 *  num_entries   node index of the "<Name>NumberOfEntries" parameter that
 *                counts its instances (a sibling of the table in TR-106
 *                models), CWMP__DM_NONE when the model has none. The tree
 *                keeps that parameter in step and reads it itself.
 *  min_entries   minimum number of instances (XML minEntries, default 0).
 *  max_entries   maximum number of instances; CWMP__DM_NONE = unbounded.
 *  alias         node index of the table's "Alias" parameter (for alias
 *                based addressing), CWMP__DM_NONE when none.
 */
struct cwmp__dm_table {
    uint32_t node;
    uint32_t num_entries;
    uint32_t min_entries;
    uint32_t max_entries;
    uint32_t alias;
};

/*
 * A compiled schema (the public opaque type).
 *  format        CWMP__DM_SCHEMA_FORMAT.
 *  name          e.g. "Device:2.17 FAPService:2.1 (libcwmp built-in)".
 *  pool          string pool; pool[0] == '\0'.
 */
struct cwmp_dm_schema {
    uint32_t format;
    const char *name;
    const char *pool;
    uint32_t pool_size;
    const struct cwmp__dm_node *nodes;
    uint32_t node_count;
    const struct cwmp__dm_syntax *syntaxes;
    uint32_t syntax_count;
    const uint32_t *enums; /* pool offsets */
    uint32_t enum_count;
    const struct cwmp__dm_table *tables;
    uint32_t table_count;
    uint32_t param_count;                /* number of CWMP__DM_PARAM nodes */
    const struct cwmp__dm_range *ranges; /* format 2 */
    uint32_t range_count;
};

static inline const char *cwmp__dm_str(const struct cwmp_dm_schema *s, uint32_t off)
{
    return off == CWMP__DM_NOSTR ? NULL : s->pool + off;
}

/*
 * Checks the internal consistency of a schema (indices in range, children
 * contiguous and pointing back to their parent, pool offsets inside the
 * pool, names non-empty and unique per parent). Returns 0 or
 * CWMP_ERR_INVALID_ARG. cwmp_dm_new() calls it once per tree.
 */
int cwmp__dm_schema_check(const struct cwmp_dm_schema *s);

#endif /* CWMP_DM_SCHEMA_H */
