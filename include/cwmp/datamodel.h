/*
 * libcwmp - CWMP (TR-069) library for CPE and ACS.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file datamodel.h
 * @brief The CPE data-model tree: schema, instances, values, handlers,
 * transactions, the TR-069 parameter RPCs, notifications and persistence.
 *
 * A tree (`struct cwmp_dm`) is created from a compiled schema (const tables
 * generated from Broadband Forum data-model XML, see doc/datamodel.md) and
 * an allocator. There is no global state: any number of trees may exist.
 * One tree is used by one thread at a time.
 *
 * Values are either held by the tree (a value store initialised from the
 * schema defaults) or provided by handlers bound by schema path with `{i}`
 * (e.g. "Device.Services.FAPService.{i}.CellConfig.LTE.RAN.RF.") — how a
 * vendor connects the tree to the radio stack.
 *
 * Return convention of every operation answering an ACS request: 0 on
 * success, a positive CWMP fault code (9000-9032) to be sent as the SOAP
 * fault, or a negative `enum cwmp_error` for library errors (e.g.
 * CWMP_ERR_NOMEM; the session engine answers those with 9002).
 *
 * Results (values, names, attributes, per-parameter faults) are written into
 * a caller-provided `struct cwmp_dm_result`; every string in it lives in an
 * arena owned by the result and released by cwmp_dm_result_free().
 */
#ifndef CWMP_DATAMODEL_H
#define CWMP_DATAMODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cwmp/common.h>
#include <cwmp/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- schema ---------------------------------------------------------------- */

/**
 * @brief A compiled data-model schema (const tables, opaque).
 *
 * Schemas are produced by the schema compiler (tools/) from data-model XML
 * at build time and never freed. Vendor extension XML (`X_<OUI>_` objects
 * and parameters) is merged into the built-in models by the compiler (meson
 * option `dm_xml`), so one schema describes the whole tree.
 * @since 0.1
 */
struct cwmp_dm_schema;

/** @brief The built-in models. @since 0.1 */
enum cwmp_dm_model {
    /** Device:2 (TR-181) root with FAPService:2 (TR-196 Issue 2), FaultMgmt,
     *  FAP.PerfMgmt, FAP.GPS, IPsec. */
    CWMP_DM_MODEL_DEVICE2 = 0,
    /** InternetGatewayDevice:1 (TR-098) root with FAPService:2, FaultMgmt,
     *  FAP.PerfMgmt, FAP.GPS, FAP.Tunnel. */
    CWMP_DM_MODEL_IGD = 1,
    /** InternetGatewayDevice:1 root with the TR-196 Issue 1 layout
     *  (FaultMgmt, PerfMgmt, GPS, Transport.Tunnel inside FAPService.{i}.). */
    CWMP_DM_MODEL_IGD_ISSUE1 = 2,
    /** Device:2 root with the TR-196 Issue 1 FAPService layout. */
    CWMP_DM_MODEL_DEVICE2_ISSUE1 = 3,
};

/**
 * @brief One of the built-in schemas (generated code).
 * @return a schema valid for the life of the program, or NULL when that
 * model was not compiled in.
 * @since 0.1
 */
CWMP_API const struct cwmp_dm_schema *cwmp_dm_schema_builtin(enum cwmp_dm_model model);

/** @brief Name of a schema, e.g. "Device:2 + FAPService:2"; never NULL. @since 0.1 */
CWMP_API const char *cwmp_dm_schema_name(const struct cwmp_dm_schema *schema);

/** @brief Number of parameter definitions (with `{i}`) of a schema. @since 0.1 */
CWMP_API size_t cwmp_dm_schema_param_count(const struct cwmp_dm_schema *schema);

/* ---- options ---------------------------------------------------------------- */

/** @brief Limits and behaviour of a tree. Set with cwmp_dm_options_init(). @since 0.1 */
struct cwmp_dm_options {
    /** Maximum instances of one table (AddObject beyond: 9004). Default 1024. */
    uint32_t max_instances_per_table;
    /** Maximum instances in the whole tree. Default 65536. */
    uint32_t max_instances_total;
    /** Maximum length of a value in bytes (longer: 9007). Default 16384, minimum 64. */
    size_t max_value_len;
    /** Maximum length of a path (TR-069: 256). Default 256. */
    size_t max_path_len;
    /** Maximum names / structs in one request (beyond: 9004). Default 4096. */
    size_t max_request_items;
    /** Maximum entries produced by one request (e.g. GPV of the whole tree;
     *  beyond: 9004). Default 200000. */
    size_t max_result_items;
    /** CWMP version of the session; Notification 3-6 need CWMP_V1_4. Default
     *  CWMP_V1_4. */
    enum cwmp_version version;
    /** Accept `[alias]` instance references in paths. When the schema has
     *  `<Root>.ManagementServer.AliasBasedAddressing`, the tree uses that
     *  parameter's value instead. Default false. */
    bool alias_based_addressing;
    /** SetParameterValues accepts `xsd:string` for a parameter of any type
     *  (the value is still checked against the real type); some ACSs send
     *  every value as a string. Default false: such a mismatch is 9006. */
    bool accept_string_type;
};

/** @brief Fills @p opts with the defaults above. @since 0.1 */
CWMP_API void cwmp_dm_options_init(struct cwmp_dm_options *opts);

/* ---- the tree --------------------------------------------------------------- */

/** @brief A data-model tree (opaque). @since 0.1 */
struct cwmp_dm;

/**
 * @brief Creates a tree: every single-instance object exists, tables are
 * empty, held values are the schema defaults, attributes are the schema
 * defaults (Notification 2 where activeNotify is forceEnabled or
 * forceDefaultEnabled, else 0; empty AccessList).
 * @param out receives the tree.
 * @param alloc allocator (NULL = default), must outlive the tree.
 * @param schema compiled schema, must outlive the tree.
 * @param opts options or NULL for the defaults (copied).
 * @return 0, CWMP_ERR_NOMEM, CWMP_ERR_INVALID_ARG (NULL, inconsistent schema).
 * @since 0.1
 */
CWMP_API int cwmp_dm_new(struct cwmp_dm **out, const struct cwmp_allocator *alloc,
                         const struct cwmp_dm_schema *schema, const struct cwmp_dm_options *opts);

/** @brief Frees a tree and everything it holds (NULL is a no-op). @since 0.1 */
CWMP_API void cwmp_dm_free(struct cwmp_dm *dm);

/** @brief The root object name, "Device" or "InternetGatewayDevice". @since 0.1 */
CWMP_API const char *cwmp_dm_root_name(const struct cwmp_dm *dm);

/**
 * @brief Human-readable detail of the last failed operation on this tree
 * (e.g. "Device.X.Y: value out of range"); never NULL, "" when none. Valid
 * until the next call on the tree.
 * @since 0.1
 */
CWMP_API const char *cwmp_dm_error_detail(const struct cwmp_dm *dm);

/* ---- handlers ----------------------------------------------------------- */

/** @brief What a handler is asked to do. @since 0.1 */
enum cwmp_dm_op {
    CWMP_DM_OP_GET = 0,      /**< write the current value into buf */
    CWMP_DM_OP_VALIDATE = 1, /**< check value (syntax already checked) */
    CWMP_DM_OP_SET = 2,      /**< apply value (inside a transaction) */
    CWMP_DM_OP_ADD = 3,      /**< an instance is being created (instance = new number) */
    CWMP_DM_OP_DELETE = 4,   /**< an instance is being deleted */
};

/**
 * @brief The request passed to a handler. Valid only during the call.
 *
 * Re-entrancy: VALIDATE, SET, ADD and DELETE handlers may call
 * cwmp_dm_get(), cwmp_dm_set() and cwmp_dm_value_changed() on other
 * parameters (e.g. a status parameter that follows an AdminState). A GET
 * handler must not call into the tree (its `buf` is the tree's own value
 * buffer), except cwmp_dm_value_changed().
 * @since 0.1
 */
struct cwmp_dm_request {
    struct cwmp_dm *dm;        /**< the tree */
    enum cwmp_dm_op op;        /**< the operation */
    const char *path;          /**< instance path: "Device.Services.FAPService.1.Enable";
                                    for ADD/DELETE the instance: "….FAPService.2." */
    const char *schema_path;   /**< the same with {i}: "Device.Services.FAPService.{i}.Enable" */
    const uint32_t *instances; /**< instance numbers along the path, outermost first */
    size_t instance_count;     /**< entries in instances */
    enum cwmp_type type;       /**< the parameter's type (CWMP_TYPE_NONE for objects) */
    const char *value;         /**< VALIDATE/SET: new value, NUL-terminated */
    char *buf;                 /**< GET: write the NUL-terminated value here */
    size_t buf_size;           /**< GET: size of buf (max_value_len + 1) */
    void *user_data;           /**< as given to cwmp_dm_bind() */
};

/**
 * @brief Result a SET handler returns when the change takes effect only
 * after a reboot or a later commit: SetParameterValuesResponse Status 1.
 * @since 0.1
 */
#define CWMP_DM_APPLIED_LATER 1

/**
 * @brief A handler: returns 0; for SET, CWMP_DM_APPLIED_LATER; a CWMP fault
 * code (e.g. 9007 from VALIDATE, 9001 to refuse an ADD) reported for that
 * parameter; or a negative enum cwmp_error (reported as 9002). Any failure
 * of SET/ADD/DELETE rolls the whole request back.
 * @since 0.1
 */
typedef int (*cwmp_dm_handler_fn)(struct cwmp_dm_request *req);

/**
 * @brief Handlers of a parameter or subtree. NULL entries fall back to the
 * tree's value store (get/set) or to no extra check (validate, add, delete).
 * @since 0.1
 */
struct cwmp_dm_handlers {
    cwmp_dm_handler_fn get;      /**< CWMP_DM_OP_GET */
    cwmp_dm_handler_fn validate; /**< CWMP_DM_OP_VALIDATE */
    cwmp_dm_handler_fn set;      /**< CWMP_DM_OP_SET */
    cwmp_dm_handler_fn add;      /**< CWMP_DM_OP_ADD (tables) */
    cwmp_dm_handler_fn del;      /**< CWMP_DM_OP_DELETE (tables) */
};

/**
 * @brief Binds handlers to a parameter ("A.{i}.B") or a subtree ("A.{i}.")
 * given by schema path. The most specific binding wins, whatever the order
 * of the calls. @p handlers is copied.
 * @return 0, CWMP_ERR_NOT_FOUND (no such schema path), CWMP_ERR_NOMEM,
 * CWMP_ERR_INVALID_ARG.
 * @since 0.1
 */
CWMP_API int cwmp_dm_bind(struct cwmp_dm *dm, const char *schema_path,
                          const struct cwmp_dm_handlers *handlers, void *user_data);

/**
 * @brief Transaction hooks around every modifying request
 * (SetParameterValues, AddObject, DeleteObject): `begin` before the first
 * SET/ADD/DELETE handler, then `commit` when all succeeded or `abort` after
 * the rollback. A failing begin or commit fails the request (9002 unless
 * they return a fault code) and rolls it back.
 * @since 0.1
 */
struct cwmp_dm_transaction {
    int (*begin)(void *user_data);  /**< may be NULL */
    int (*commit)(void *user_data); /**< may be NULL; CWMP_DM_APPLIED_LATER → Status 1 */
    void (*abort)(void *user_data); /**< may be NULL */
    void *user_data;                /**< passed back */
};

/** @brief Installs (copies) the transaction hooks; NULL removes them. @since 0.1 */
CWMP_API void cwmp_dm_set_transaction(struct cwmp_dm *dm, const struct cwmp_dm_transaction *tx);

/* ---- results ------------------------------------------------------------- */

/** @brief Internal part of a result (arena). @since 0.1 */
struct cwmp_dm_result_priv;

/**
 * @brief Output of an operation. Zero it (or use CWMP_DM_RESULT_INIT)
 * before the first use; free with cwmp_dm_result_free(), which also makes it
 * reusable. Each operation fills only its own arrays and appends nothing
 * when it fails (except `faults`).
 * @since 0.1
 */
struct cwmp_dm_result {
    struct cwmp_param_value *values;         /**< GetParameterValues, Inform list, changes */
    size_t value_count;                      /**< entries in values */
    struct cwmp_param_info *infos;           /**< GetParameterNames */
    size_t info_count;                       /**< entries in infos */
    struct cwmp_param_attribute *attributes; /**< GetParameterAttributes */
    size_t attribute_count;                  /**< entries in attributes */
    struct cwmp_param_fault *faults;         /**< SetParameterValuesFault list (with 9003) */
    size_t fault_count;                      /**< entries in faults */
    int status;                              /**< SPV / AddObject / DeleteObject Status (0/1) */
    uint32_t instance;                       /**< AddObject InstanceNumber */
    struct cwmp_dm_result_priv *priv_;       /**< arena; internal */
};

/** @brief Initialiser of an empty result. @since 0.1 */
#define CWMP_DM_RESULT_INIT                                                                        \
    {                                                                                              \
        NULL, 0, NULL, 0, NULL, 0, NULL, 0, 0, 0, NULL                                             \
    }

/** @brief Frees everything in @p r and zeroes it. @since 0.1 */
CWMP_API void cwmp_dm_result_free(struct cwmp_dm_result *r);

/* ---- TR-069 RPCs ----------------------------------------------------------- */

/**
 * @brief GetParameterValues: full names and partial paths (ending in "."),
 * in request order, duplicates answered twice; hidden/secured parameters
 * read as "". Results in r->values (type = the parameter's type).
 * @return 0, 9005 (unknown name; nothing returned), 9004 (too many
 * results), 9002 (a get handler failed), negative error.
 * @since 0.1
 */
CWMP_API int cwmp_dm_get_values(struct cwmp_dm *dm, const char *const *names, size_t count,
                                struct cwmp_dm_result *r);

/**
 * @brief GetParameterNames (TR-069 A.3.2.3). @p path "" = the whole tree.
 * For a partial path with next_level false: the object itself and
 * everything below it; with next_level true: only its direct children
 * (objects as "X.", instances as "X.1."). For a full parameter name
 * next_level must be false (else 9003) and the answer is that parameter.
 * Writable: parameters readWrite (writeOnce until written), tables with
 * AddObject, instances with DeleteObject, other objects false.
 * @return 0, 9005, 9003, 9004, negative error.
 * @since 0.1
 */
CWMP_API int cwmp_dm_get_names(struct cwmp_dm *dm, const char *path, bool next_level,
                               struct cwmp_dm_result *r);

/**
 * @brief SetParameterValues, all-or-nothing. Every entry is checked first
 * (name exists 9005, writable 9008, xsi:type matches 9006 — CWMP_TYPE_NONE
 * is accepted for any type —, value syntax/range/enumeration/length 9007,
 * same name twice 9003, validate handlers); if any fails, r->faults lists
 * every failing entry and 9003 is returned, nothing changed. Then all are
 * applied in a transaction; a failing SET handler rolls back the ones
 * already applied (set again to the old value) and aborts (r->faults gets
 * that entry; 9003, or 9002 for a negative error). On success the
 * ParameterKey becomes @p parameter_key (NULL: unchanged), r->status is 0
 * or 1, and the store (if any) saves.
 * @since 0.1
 */
CWMP_API int cwmp_dm_set_values(struct cwmp_dm *dm, const struct cwmp_param_value *params,
                                size_t count, const char *parameter_key, struct cwmp_dm_result *r);

/**
 * @brief GetParameterAttributes: full names and partial paths; results in
 * r->attributes (access lists point into the result).
 * @return 0, 9005, 9004, negative error.
 * @since 0.1
 */
CWMP_API int cwmp_dm_get_attributes(struct cwmp_dm *dm, const char *const *names, size_t count,
                                    struct cwmp_dm_result *r);

/**
 * @brief SetParameterAttributes, all-or-nothing. Partial paths apply to
 * every parameter below. Notification 0-2 (3-6 with CWMP 1.4, else 9003);
 * 9009 when a full name is canDeny and active (2, 5, 6) is asked (partial
 * paths skip those parameters silently; passive is never refused); on a
 * forceEnabled parameter the Notification change is ignored (it stays 2);
 * AccessList entries other than "Subscriber": 9007.
 * @return 0, 9003, 9005, 9009, negative error.
 * @since 0.1
 */
CWMP_API int cwmp_dm_set_attributes(struct cwmp_dm *dm,
                                    const struct cwmp_set_param_attribute *attrs, size_t count);

/**
 * @brief AddObject on a table path ("Device.FAP.PerfMgmt.Config.").
 * The new instance number is larger than every number used by that table
 * since the tree was created (persisted counters included). Its parameters
 * get their defaults; its NumberOfEntries parameter follows. With
 * alias-based addressing, "T.[alias]." names the new instance (alias in use
 * or starting with "cpe-": 9005) and a plain "T." gets "cpe-<number>".
 * r->instance and r->status (0, or 1 when the add handler or commit said
 * CWMP_DM_APPLIED_LATER) are set; ParameterKey updated.
 * @return 0, 9005 (not a table, bad path), 9001 (table not creatable),
 * 9004 (maxEntries or a limit reached), handler fault, negative error.
 * @since 0.1
 */
CWMP_API int cwmp_dm_add_object(struct cwmp_dm *dm, const char *path, const char *parameter_key,
                                struct cwmp_dm_result *r);

/**
 * @brief DeleteObject on an instance path ("Device.FAP.PerfMgmt.Config.2.").
 * Deletes the instance and everything below it; r->status set; ParameterKey
 * updated.
 * @return 0, 9005 (bad path / no such instance), 9001 (not deletable or
 * minEntries reached), handler fault, negative error.
 * @since 0.1
 */
CWMP_API int cwmp_dm_delete_object(struct cwmp_dm *dm, const char *path, const char *parameter_key,
                                   struct cwmp_dm_result *r);

/** @brief The current ParameterKey (held by the tree); never NULL. @since 0.1 */
CWMP_API const char *cwmp_dm_parameter_key(const struct cwmp_dm *dm);

/* ---- device-side (local) access -------------------------------------------- */

/**
 * @brief Reads one parameter's value into @p buf (hidden/secured values are
 * returned as they are: this is the device's own view).
 * @return length, CWMP_ERR_NOT_FOUND, CWMP_ERR_BUFFER, handler error.
 * @since 0.1
 */
CWMP_API int cwmp_dm_get(struct cwmp_dm *dm, const char *name, char *buf, size_t size);

/**
 * @brief Sets a value as the device: no writability check (readOnly status
 * parameters are set this way), syntax still checked, no ParameterKey
 * change, no handler SET call for held values (for handler-backed
 * parameters the set handler is called). A value that differs from the
 * last reported one is noted for notification.
 * A `<Name>NumberOfEntries` parameter cannot be set (it always reads the
 * count of its table): CWMP_ERR_INVALID_ARG.
 * @return 0, CWMP_ERR_NOT_FOUND, CWMP_ERR_BAD_VALUE, CWMP_ERR_INVALID_ARG,
 * CWMP_ERR_NOMEM, handler error.
 * @since 0.1
 */
CWMP_API int cwmp_dm_set(struct cwmp_dm *dm, const char *name, const char *value);

/**
 * @brief Creates an instance as the device (no access check, no
 * ParameterKey change, add handler called). @p instance 0 = next number,
 * otherwise that number (must be unused: CWMP_ERR_INVALID_ARG).
 * @param out_instance receives the number (may be NULL).
 * @return 0, CWMP_ERR_NOT_FOUND, CWMP_ERR_LIMIT, CWMP_ERR_NOMEM, handler error.
 * @since 0.1
 */
CWMP_API int cwmp_dm_add_instance(struct cwmp_dm *dm, const char *table_path, uint32_t instance,
                                  uint32_t *out_instance);

/** @brief Deletes an instance as the device. @return 0, CWMP_ERR_NOT_FOUND, handler error. @since
 * 0.1 */
CWMP_API int cwmp_dm_delete_instance(struct cwmp_dm *dm, const char *instance_path);

/**
 * @brief Calls @p fn for each instance number of a table, ascending.
 * @return 0, CWMP_ERR_NOT_FOUND, or the first non-zero value of @p fn.
 * @since 0.1
 */
CWMP_API int cwmp_dm_foreach_instance(struct cwmp_dm *dm, const char *table_path,
                                      int (*fn)(uint32_t instance, void *ctx), void *ctx);

/** @brief Number of instances of a table; 0 when not found. @since 0.1 */
CWMP_API uint32_t cwmp_dm_instance_count(struct cwmp_dm *dm, const char *table_path);

/* ---- notifications ---------------------------------------------------------- */

/** @brief Bits of cwmp_dm_poll(). @since 0.1 */
enum cwmp_dm_change_flags {
    CWMP_DM_CHANGE_PASSIVE = 1, /**< a change to report in the next Inform */
    CWMP_DM_CHANGE_ACTIVE = 2,  /**< a change that must start a session now */
};

/**
 * @brief A handler (or the device) tells the tree that the value of
 * parameter @p name (full name) may have changed; the next cwmp_dm_poll()
 * compares it with the last reported value.
 * @return 0, CWMP_ERR_NOT_FOUND.
 * @since 0.1
 */
CWMP_API int cwmp_dm_value_changed(struct cwmp_dm *dm, const char *name);

/**
 * @brief Value-change pass: reads every parameter with Notification != 0
 * (handler-backed ones through their get handler) and compares with the
 * last reported value. Changes made by the ACS itself (SetParameterValues)
 * are not reported back (TR-069 3.2.1).
 * @return a combination of enum cwmp_dm_change_flags (>= 0) or a negative error.
 * @since 0.1
 */
CWMP_API int cwmp_dm_poll(struct cwmp_dm *dm);

/**
 * @brief The Inform ParameterList: every forcedInform parameter, then every
 * changed parameter with Notification != 0 not already listed, appended to
 * r->values. The changed ones become "in flight"; @p value_change (may be
 * NULL) is set when there is at least one (→ event "4 VALUE CHANGE").
 * @return 0 or a negative error.
 * @since 0.1
 */
CWMP_API int cwmp_dm_inform_params(struct cwmp_dm *dm, struct cwmp_dm_result *r,
                                   bool *value_change);

/**
 * @brief After an Inform: @p delivered true (InformResponse received) forgets
 * the in-flight changes; false (session failed) keeps them for the next Inform.
 * @since 0.1
 */
CWMP_API void cwmp_dm_inform_done(struct cwmp_dm *dm, bool delivered);

/* ---- persistence -------------------------------------------------------- */

/** @brief Kinds of records saved and loaded. @since 0.1 */
enum cwmp_dm_record {
    CWMP_DM_REC_PARAMETER_KEY = 0, /**< name "", value = the key */
    CWMP_DM_REC_INSTANCE = 1,      /**< name = instance path "A.3.", value "" */
    CWMP_DM_REC_NEXT_INSTANCE = 2, /**< name = table path "A.", value = next number */
    CWMP_DM_REC_VALUE = 3,         /**< name = parameter, value = held value */
    CWMP_DM_REC_ATTRIBUTE = 4,     /**< name = parameter, value = "<notification>[,Subscriber]" */
};

/**
 * @brief An application store. The tree never touches files: it hands
 * records to `write` between `begin` and `end` (a whole snapshot each time),
 * and reads them back through `read`, which calls @p record for each.
 * @since 0.1
 */
struct cwmp_dm_store {
    /** Starts a snapshot. */
    int (*begin)(void *user_data);
    /** One record; name and value are NUL-terminated, valid during the call. */
    int (*write)(void *user_data, enum cwmp_dm_record kind, const char *name, const char *value);
    /** Ends the snapshot: @p ok false means discard it (keep the previous). */
    int (*end)(void *user_data, bool ok);
    /** Reads the last snapshot, calling @p record for each record; a non-zero
     *  return of @p record must stop reading and be returned. */
    int (*read)(void *user_data,
                int (*record)(void *ctx, enum cwmp_dm_record kind, const char *name,
                              const char *value),
                void *ctx);
    void *user_data; /**< passed back */
};

/**
 * @brief Installs (copies) a store: after every successful modifying RPC
 * (SetParameterValues, SetParameterAttributes, AddObject, DeleteObject) the
 * tree saves a snapshot. NULL removes it.
 * @since 0.1
 */
CWMP_API void cwmp_dm_set_store(struct cwmp_dm *dm, const struct cwmp_dm_store *store);

/**
 * @brief Saves a snapshot now: ParameterKey, next-instance counters,
 * instances, held values that differ from the default, non-default
 * attributes.
 * @return 0, CWMP_ERR_STORE (a callback failed), CWMP_ERR_INVALID_ARG (no store).
 * @since 0.1
 */
CWMP_API int cwmp_dm_save(struct cwmp_dm *dm);

/**
 * @brief Loads the snapshot into a fresh tree (call before binding
 * handlers that create instances). Unknown names are skipped (the schema
 * may have changed with a firmware upgrade); bad values are skipped.
 * @return 0, CWMP_ERR_STORE, CWMP_ERR_NOMEM, CWMP_ERR_INVALID_ARG.
 * @since 0.1
 */
CWMP_API int cwmp_dm_load(struct cwmp_dm *dm);

#ifdef __cplusplus
}
#endif

#endif /* CWMP_DATAMODEL_H */
