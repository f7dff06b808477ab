/*
 * libcwmp examples - HMS device registry (SQLite).
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file registry.h
 * @brief The example HMS's persistent device registry, stored in SQLite.
 *
 * One registry handle owns one SQLite connection and its prepared
 * statements; it has no global state, so two handles on two threads are
 * fine (one handle must not be used by two threads at once). Several
 * processes may open the same file (the HMS server and `hms ctl`): with
 * WAL on (the default) readers never block the writer; every write is one
 * short transaction and a busy timeout absorbs contention. A caller that
 * makes several writes for one event (the HMS: everything an Inform
 * records) groups them with hms_registry_begin() / hms_registry_commit():
 * one commit (one lock round, one WAL sync point) instead of one per call,
 * and all or nothing.
 *
 * What is stored per device (TS 32.583 / TS 32.593 terms):
 * - identity: OUI, ProductClass, SerialNumber (the CWMP DeviceId key) and
 *   whether it is an HNB (UMTS) or an HeNB (LTE);
 * - the HMS roles that have seen it (initial, serving);
 * - its state: discovered, registered or de-provisioned. A de-provisioned
 *   device is refused registration until the operator allows it again;
 *   the state is in the file, so this survives restarts;
 * - the last Inform (time and event codes), its ConnectionRequestURL and
 *   IPsec inner address;
 * - the elements assigned to it: serving SeGW, serving HMS URL, HNB-GW
 *   (UMTS) or S1 far end (LTE), IPsec usage;
 * - alarms received (X.733 fields as reported in FaultMgmt events);
 * - PM files received (name, size, time, path on disk);
 * - pending tasks: RPCs queued by the operator for the next session, as an
 *   opaque kind + payload, with a status and a result.
 *
 * Schema history: 1 = the tables above; 2 = the device's data-model root;
 * 3 = an index of pending tasks by kind; 4 = the device's connection-request
 * credentials (hms_registry_set_cr_credentials()).
 *
 * Errors: 0 on success, a negative `enum cwmp_error` otherwise
 * (CWMP_ERR_STORE for an SQLite failure, with details in
 * hms_registry_errmsg()). Device data is always bound as SQL parameters,
 * never pasted into SQL text.
 */
#ifndef HMS_REGISTRY_H
#define HMS_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include <cwmp/common.h>
#include <cwmp/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Schema version stored in SQLite's `user_version`. */
#define HMS_REGISTRY_SCHEMA_VERSION 4

/** Longest identity field accepted (TR-069 DeviceIdStruct: 64 characters). */
#define HMS_REGISTRY_MAX_ID 64
/** Longest other text field accepted (URLs, alarm texts, file names). */
#define HMS_REGISTRY_MAX_TEXT 1024
/** Largest task payload accepted, in bytes. */
#define HMS_REGISTRY_MAX_PAYLOAD (1024 * 1024)

/** Opaque registry handle. */
struct hms_registry;

/** Device kind. */
enum hms_dev_type {
    HMS_DEV_UNKNOWN = 0,
    HMS_DEV_HNB = 1,  /**< UMTS Home NodeB (TS 32.583) */
    HMS_DEV_HENB = 2, /**< LTE Home eNodeB (TS 32.593) */
};

/** Data-model root the device uses (learnt from its Informs). */
enum hms_dev_root {
    HMS_ROOT_UNKNOWN = 0,
    HMS_ROOT_DEVICE = 1, /**< Device:2 (TR-181) */
    HMS_ROOT_IGD = 2,    /**< InternetGatewayDevice:1 (TR-098) */
};

/** HMS roles, as bit flags (roles_seen is their OR). */
enum hms_role {
    HMS_ROLE_INITIAL = 1,
    HMS_ROLE_SERVING = 2,
};

/** Device state. */
enum hms_dev_state {
    HMS_STATE_DISCOVERED = 0,    /**< has informed, not (yet) registered */
    HMS_STATE_REGISTERED = 1,    /**< registered at the serving HMS */
    HMS_STATE_DEPROVISIONED = 2, /**< operator de-provisioned it; refused */
};

/** Status of a queued task. */
enum hms_task_status {
    HMS_TASK_PENDING = 0,
    HMS_TASK_SENT = 1, /**< handed to a session, no answer yet */
    HMS_TASK_DONE = 2,
    HMS_TASK_FAILED = 3,
};

/** Options for hms_registry_open(); zero-initialise, then set fields. */
struct hms_registry_options {
    /** How long a statement waits for a lock held by another connection;
     *  0 = 5000 ms. */
    int busy_timeout_ms;
    /** 0 = WAL journal (default: readers and one writer in parallel,
     *  `-wal`/`-shm` files beside the database); 1 = classic rollback
     *  journal (one file, readers blocked while a write commits). */
    int no_wal;
    /** Open read-only (for listing tools). The file must exist. */
    int read_only;
};

/** A device's identity (the CWMP DeviceId key). */
struct hms_device_id {
    const char *oui;           /**< ManufacturerOUI, 1..64 characters */
    const char *product_class; /**< ProductClass, 0..64 characters ("" allowed) */
    const char *serial;        /**< SerialNumber, 1..64 characters */
};

/** Elements assigned to a device by policy. NULL fields are left unchanged. */
struct hms_assignment {
    const char *serving_segw;
    const char *serving_hms_url;
    const char *gateway; /**< HNB-GW (UMTS) or S1 far end (LTE) */
    int ipsec;           /**< 1 used, 0 not used, -1 unchanged */
};

/**
 * A device row. From hms_registry_get()/hms_registry_find() it is one
 * allocation (free it with hms_device_free()); in hms_registry_list()
 * callbacks it points into SQLite's buffers, valid during the call only.
 * Text fields are never NULL ("" when unknown).
 */
struct hms_device {
    int64_t id; /**< registry row id, stable for the device's life */
    const char *oui;
    const char *product_class;
    const char *serial;
    enum hms_dev_type type;
    unsigned roles_seen; /**< OR of enum hms_role */
    enum hms_dev_state state;
    int64_t first_seen_ms;
    int64_t last_inform_ms;
    const char *last_events; /**< event codes of the last Inform, "," separated */
    const char *cr_url;      /**< ConnectionRequestURL last reported */
    const char *inner_ip;    /**< IPsec inner address last reported */
    const char *serving_segw;
    const char *serving_hms_url;
    const char *gateway;
    int ipsec;              /**< 1, 0, or -1 when never assigned */
    enum hms_dev_root root; /**< since schema 2 */
};

/** An alarm received in an Inform (X.733 / TR-196 FaultMgmt event fields). */
struct hms_alarm {
    int64_t id;             /**< row id (output only) */
    int64_t received_ms;    /**< when the HMS received it */
    const char *event_time; /**< EventTime, dateTime as reported */
    const char *alarm_identifier;
    const char *notification_type; /**< NewAlarm | ChangedAlarm | ClearedAlarm */
    const char *managed_object_instance;
    const char *event_type;
    const char *probable_cause;
    const char *specific_problem;
    const char *perceived_severity;
    const char *additional_text;
    const char *additional_information;
    const char *mechanism; /**< "expedited" | "queued" | "" */
};

/** A PM file received by the file server. */
struct hms_pmfile {
    int64_t id; /**< row id (output only) */
    const char *name;
    int64_t size;
    int64_t received_ms;
    const char *path; /**< where the HMS stored it */
};

/** A queued task (an RPC the operator wants sent in the next session). */
struct hms_task {
    int64_t id;
    int64_t created_ms;
    const char *kind;    /**< e.g. "SetParameterValues", "Download", "FactoryReset" */
    const void *payload; /**< opaque bytes (the HMS's own encoding) */
    size_t payload_len;
    enum hms_task_status status;
    const char *result; /**< "" until finished */
    int64_t device;     /**< the device's registry id */
};

/**
 * @brief Opens (creating if needed) the registry at @p path and migrates
 * its schema to HMS_REGISTRY_SCHEMA_VERSION.
 *
 * @param out   receives the handle; NULL on error
 * @param path  file name (":memory:" works for tests)
 * @param opt   options, NULL for the defaults
 * @param alloc allocator for the handle and returned rows; NULL = malloc
 * @return 0; CWMP_ERR_INVALID_ARG; CWMP_ERR_NOMEM; CWMP_ERR_STORE (cannot
 *         open, or a schema newer than this program: the message is
 *         written to @p errbuf when given).
 */
int hms_registry_open(struct hms_registry **out, const char *path,
                      const struct hms_registry_options *opt, const struct cwmp_allocator *alloc,
                      char *errbuf, size_t errlen);

/** @brief Closes the handle (NULL is fine). */
void hms_registry_close(struct hms_registry *r);

/** @brief Text of the last error on this handle; never NULL. */
const char *hms_registry_errmsg(const struct hms_registry *r);

/**
 * @brief Starts a transaction (BEGIN IMMEDIATE: takes the database's write
 * lock now, waiting up to the busy timeout for another process's writer).
 * Every registry call on this handle until hms_registry_commit() or
 * hms_registry_rollback() is part of it; readers in other processes (WAL)
 * see none of it until the commit. A registry call that fails inside the
 * transaction leaves nothing of itself behind (its own savepoint) and the
 * transaction stays open: the caller decides whether to commit the rest or
 * roll back. Not nestable. Keep transactions short: other writers (`hms
 * ctl`) wait for the lock meanwhile.
 * @return 0; CWMP_ERR_STATE when a transaction is open already;
 *         CWMP_ERR_STORE (e.g. the lock was not free within the busy timeout)
 */
int hms_registry_begin(struct hms_registry *r);
/**
 * @brief Commits the open transaction. On failure it is rolled back and
 * closed (nothing of it is stored).
 * @return 0; CWMP_ERR_STATE when none is open; CWMP_ERR_STORE
 */
int hms_registry_commit(struct hms_registry *r);
/** @brief Rolls the open transaction back and closes it.
 *  @return 0; CWMP_ERR_STATE when none is open */
int hms_registry_rollback(struct hms_registry *r);
/** @brief 1 while a transaction of hms_registry_begin() is open, else 0. */
int hms_registry_in_transaction(const struct hms_registry *r);

/** @brief Human-readable name of a state ("discovered", ...); never NULL. */
const char *hms_dev_state_name(enum hms_dev_state s);
/** @brief "HNB", "HeNB" or "unknown"; never NULL. */
const char *hms_dev_type_name(enum hms_dev_type t);

/**
 * @brief Records an Inform: creates the device (state discovered) on first
 * contact, otherwise updates type, last Inform time and events and adds
 * @p role to the roles seen. De-provisioned devices are recorded too (the
 * operator sees them knocking) but keep their state.
 *
 * @param events event codes of the Inform, "," separated (may be "")
 * @param id_out receives the device's row id (may be NULL)
 * @param state_out receives the device's state after the call (may be NULL):
 *        the caller refuses to provision when it is HMS_STATE_DEPROVISIONED
 * @return 0; CWMP_ERR_BAD_VALUE (identity empty or too long, bad enum);
 *         CWMP_ERR_STORE
 */
int hms_registry_inform(struct hms_registry *r, const struct hms_device_id *dev,
                        enum hms_dev_type type, enum hms_role role, int64_t now_ms,
                        const char *events, int64_t *id_out, enum hms_dev_state *state_out);

/**
 * @brief Marks the device registered (TS 32.583 5.2 / TS 32.593 5.1.3).
 * @return 0; CWMP_ERR_STATE when the device is de-provisioned (refused until
 *         hms_registry_allow()); CWMP_ERR_NOT_FOUND; CWMP_ERR_STORE
 */
int hms_registry_register(struct hms_registry *r, int64_t id);

/** @brief De-provisions the device (TS 32.583 5.4): registration is refused
 *  from now on, across restarts. @return 0, CWMP_ERR_NOT_FOUND, CWMP_ERR_STORE */
int hms_registry_deprovision(struct hms_registry *r, int64_t id);

/** @brief Operator allows a de-provisioned device again: its state returns to
 *  discovered. No-op for other states. @return 0, CWMP_ERR_NOT_FOUND, CWMP_ERR_STORE */
int hms_registry_allow(struct hms_registry *r, int64_t id);

/** @brief Records the device's data-model root.
 *  @return 0, CWMP_ERR_BAD_VALUE, CWMP_ERR_NOT_FOUND, CWMP_ERR_STORE */
int hms_registry_set_root(struct hms_registry *r, int64_t id, enum hms_dev_root root);
/** @brief "Device", "InternetGatewayDevice" or "unknown"; never NULL. */
const char *hms_dev_root_name(enum hms_dev_root root);

/** @brief Stores the assigned elements (NULL fields unchanged).
 *  @return 0, CWMP_ERR_BAD_VALUE, CWMP_ERR_NOT_FOUND, CWMP_ERR_STORE */
int hms_registry_assign(struct hms_registry *r, int64_t id, const struct hms_assignment *as);

/** @brief Stores the reported ConnectionRequestURL and IPsec inner address
 *  (NULL = unchanged). @return 0, CWMP_ERR_BAD_VALUE, CWMP_ERR_NOT_FOUND, CWMP_ERR_STORE */
int hms_registry_set_contact(struct hms_registry *r, int64_t id, const char *cr_url,
                             const char *inner_ip);

/**
 * @brief Looks a device up by identity.
 * @param out receives one allocation to free with hms_device_free()
 * @return 0, CWMP_ERR_NOT_FOUND, CWMP_ERR_NOMEM, CWMP_ERR_BAD_VALUE, CWMP_ERR_STORE
 */
int hms_registry_find(struct hms_registry *r, const struct hms_device_id *dev,
                      struct hms_device **out);

/** @brief Looks a device up by row id; as hms_registry_find(). */
int hms_registry_get(struct hms_registry *r, int64_t id, struct hms_device **out);

/** @brief Frees a device returned by find/get (NULL is fine). */
void hms_device_free(struct hms_registry *r, struct hms_device *d);

/** Callback for the list functions: return non-zero to stop early. */
typedef int (*hms_device_cb)(const struct hms_device *d, void *ud);
typedef int (*hms_alarm_cb)(const struct hms_alarm *a, void *ud);
typedef int (*hms_pmfile_cb)(const struct hms_pmfile *f, void *ud);
typedef int (*hms_task_cb)(const struct hms_task *t, void *ud);

/** @brief Calls @p cb for every device, by row id. @return 0 or CWMP_ERR_STORE */
int hms_registry_list(struct hms_registry *r, hms_device_cb cb, void *ud);

/** @brief Deletes a device and everything attached to it. */
int hms_registry_delete(struct hms_registry *r, int64_t id);

/** @brief Stores an alarm (NULL text fields are stored as "").
 *  @return 0, CWMP_ERR_BAD_VALUE, CWMP_ERR_NOT_FOUND, CWMP_ERR_STORE */
int hms_registry_add_alarm(struct hms_registry *r, int64_t dev_id, const struct hms_alarm *al);
/** @brief Alarms of a device, oldest first. */
int hms_registry_list_alarms(struct hms_registry *r, int64_t dev_id, hms_alarm_cb cb, void *ud);

/** @brief Stores a received PM file's record. */
int hms_registry_add_pmfile(struct hms_registry *r, int64_t dev_id, const struct hms_pmfile *f);
/** @brief PM files of a device, oldest first. */
int hms_registry_list_pmfiles(struct hms_registry *r, int64_t dev_id, hms_pmfile_cb cb, void *ud);

/**
 * @brief Queues a task for the device.
 * @param kind     short text, 1..64 characters
 * @param payload  opaque bytes copied into the registry (may be NULL if len 0)
 * @param task_id  receives the task id (may be NULL)
 */
int hms_registry_add_task(struct hms_registry *r, int64_t dev_id, int64_t now_ms, const char *kind,
                          const void *payload, size_t len, int64_t *task_id);
/** @brief Tasks of a device with the given status (or all when @p status < 0),
 *  oldest first. */
int hms_registry_list_tasks(struct hms_registry *r, int64_t dev_id, int status, hms_task_cb cb,
                            void *ud);
/** @brief Pending tasks of @p kind of every device, oldest first (an
 *  index: the cost follows the number of such tasks, not of devices).
 *  Do not change tasks from @p cb: collect them, then act. */
int hms_registry_list_pending(struct hms_registry *r, const char *kind, hms_task_cb cb, void *ud);
/** @brief Sets a task's status and result text (NULL result = ""). */
int hms_registry_set_task(struct hms_registry *r, int64_t task_id, enum hms_task_status status,
                          const char *result);

/**
 * @brief Stores the connection-request credentials the HMS set on the
 * device (schema 4). Both "" (or NULL): none stored (the device has its
 * factory credentials). The password is readable only through
 * hms_registry_get_cr_credentials(), never through a device row.
 * @return 0, CWMP_ERR_BAD_VALUE (longer than HMS_REGISTRY_MAX_ID, or only
 *         one of the two), CWMP_ERR_NOT_FOUND, CWMP_ERR_STORE
 */
int hms_registry_set_cr_credentials(struct hms_registry *r, int64_t id, const char *username,
                                    const char *password);
/**
 * @brief Reads them back ("" and "" when none are stored).
 * @param ulen, plen sizes of the buffers, each > HMS_REGISTRY_MAX_ID
 * @return 0, CWMP_ERR_INVALID_ARG, CWMP_ERR_NOT_FOUND, CWMP_ERR_STORE
 */
int hms_registry_get_cr_credentials(struct hms_registry *r, int64_t id, char *username, size_t ulen,
                                    char *password, size_t plen);

#ifdef __cplusplus
}
#endif

#endif
