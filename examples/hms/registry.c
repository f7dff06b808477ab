/*
 * libcwmp examples - HMS device registry (SQLite).
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Every statement is prepared once in hms_registry_open() and reset after
 * each use; device data only ever reaches SQLite as bound parameters.
 * Multi-statement updates run inside BEGIN IMMEDIATE ... COMMIT so that a
 * concurrent `hms ctl` never sees half an update; inside a caller's
 * transaction (hms_registry_begin()) they use a savepoint instead, so a
 * failed call still leaves nothing of itself behind and the caller decides
 * whether the rest commits.
 */
#include "registry.h"

#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "exalloc.h"

enum stmt_id {
    S_BEGIN,
    S_COMMIT,
    S_ROLLBACK,
    S_SAVEPOINT,
    S_RELEASE,
    S_ROLLBACK_TO,
    S_INFORM_UPSERT,
    S_FIND,
    S_GET,
    S_STATE,
    S_SET_STATE,
    S_ASSIGN,
    S_CONTACT,
    S_LIST,
    S_DELETE,
    S_ADD_ALARM,
    S_LIST_ALARMS,
    S_ADD_PM,
    S_LIST_PM,
    S_ADD_TASK,
    S_LIST_TASKS,
    S_SET_TASK,
    S_SET_ROOT,
    S_PENDING_KIND,
    S_SET_CRED,
    S_GET_CRED,
    S_COUNT
};

#define DEVICE_COLS                                                                                \
    "id, oui, product_class, serial, type, roles, state, first_seen, last_inform, last_events, "   \
    "cr_url, inner_ip, serving_segw, serving_hms_url, gateway, ipsec, root"

static const char *const stmt_sql[S_COUNT] = {
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
    [S_SAVEPOINT] = "SAVEPOINT hms_step",
    [S_RELEASE] = "RELEASE hms_step",
    [S_ROLLBACK_TO] = "ROLLBACK TO hms_step",
    [S_INFORM_UPSERT] =
        "INSERT INTO device(oui, product_class, serial, type, roles, state, first_seen, "
        "last_inform, last_events) VALUES(?1, ?2, ?3, ?4, ?5, 0, ?6, ?6, ?7) "
        "ON CONFLICT(oui, product_class, serial) DO UPDATE SET "
        "type = CASE WHEN excluded.type <> 0 THEN excluded.type ELSE device.type END, "
        "roles = device.roles | excluded.roles, last_inform = excluded.last_inform, "
        "last_events = excluded.last_events",
    [S_FIND] = "SELECT " DEVICE_COLS " FROM device WHERE oui = ?1 AND product_class = ?2 "
               "AND serial = ?3",
    [S_GET] = "SELECT " DEVICE_COLS " FROM device WHERE id = ?1",
    [S_STATE] = "SELECT state FROM device WHERE id = ?1",
    [S_SET_STATE] = "UPDATE device SET state = ?2 WHERE id = ?1",
    [S_ASSIGN] = "UPDATE device SET serving_segw = coalesce(?2, serving_segw), "
                 "serving_hms_url = coalesce(?3, serving_hms_url), "
                 "gateway = coalesce(?4, gateway), "
                 "ipsec = CASE WHEN ?5 < 0 THEN ipsec ELSE ?5 END WHERE id = ?1",
    [S_CONTACT] = "UPDATE device SET cr_url = coalesce(?2, cr_url), "
                  "inner_ip = coalesce(?3, inner_ip) WHERE id = ?1",
    [S_LIST] = "SELECT " DEVICE_COLS " FROM device ORDER BY id",
    [S_DELETE] = "DELETE FROM device WHERE id = ?1",
    [S_ADD_ALARM] = "INSERT INTO alarm(device, received, event_time, alarm_identifier, "
                    "notification_type, managed_object_instance, event_type, probable_cause, "
                    "specific_problem, perceived_severity, additional_text, "
                    "additional_information, mechanism) "
                    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    [S_LIST_ALARMS] = "SELECT id, received, event_time, alarm_identifier, notification_type, "
                      "managed_object_instance, event_type, probable_cause, specific_problem, "
                      "perceived_severity, additional_text, additional_information, mechanism "
                      "FROM alarm WHERE device = ?1 ORDER BY id",
    [S_ADD_PM] = "INSERT INTO pmfile(device, name, size, received, path) "
                 "VALUES(?1, ?2, ?3, ?4, ?5)",
    [S_LIST_PM] = "SELECT id, name, size, received, path FROM pmfile WHERE device = ?1 "
                  "ORDER BY id",
    [S_ADD_TASK] = "INSERT INTO task(device, created, kind, payload, status, result) "
                   "VALUES(?1, ?2, ?3, ?4, 0, '')",
    [S_LIST_TASKS] = "SELECT id, created, kind, payload, status, result, device FROM task "
                     "WHERE device = ?1 AND (?2 < 0 OR status = ?2) ORDER BY id",
    [S_SET_TASK] = "UPDATE task SET status = ?2, result = ?3 WHERE id = ?1",
    [S_SET_ROOT] = "UPDATE device SET root = ?2 WHERE id = ?1",
    [S_PENDING_KIND] = "SELECT id, created, kind, payload, status, result, device FROM task "
                       "WHERE status = 0 AND kind = ?1 ORDER BY id",
    [S_SET_CRED] = "UPDATE device SET cr_username = ?2, cr_password = ?3 WHERE id = ?1",
    [S_GET_CRED] = "SELECT cr_username, cr_password FROM device WHERE id = ?1",
};

/* Schema version 1. Each later version adds one entry to `migrations`
 * (never edit a released one); hms_registry_open() applies the missing
 * ones in one transaction and bumps user_version. */
static const char schema_v1[] =
    "CREATE TABLE device("
    " id INTEGER PRIMARY KEY,"
    " oui TEXT NOT NULL, product_class TEXT NOT NULL, serial TEXT NOT NULL,"
    " type INTEGER NOT NULL DEFAULT 0,"
    " roles INTEGER NOT NULL DEFAULT 0,"
    " state INTEGER NOT NULL DEFAULT 0,"
    " first_seen INTEGER NOT NULL, last_inform INTEGER NOT NULL,"
    " last_events TEXT NOT NULL DEFAULT '',"
    " cr_url TEXT NOT NULL DEFAULT '', inner_ip TEXT NOT NULL DEFAULT '',"
    " serving_segw TEXT NOT NULL DEFAULT '', serving_hms_url TEXT NOT NULL DEFAULT '',"
    " gateway TEXT NOT NULL DEFAULT '', ipsec INTEGER NOT NULL DEFAULT -1,"
    " UNIQUE(oui, product_class, serial));"
    "CREATE TABLE alarm("
    " id INTEGER PRIMARY KEY,"
    " device INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,"
    " received INTEGER NOT NULL, event_time TEXT NOT NULL, alarm_identifier TEXT NOT NULL,"
    " notification_type TEXT NOT NULL, managed_object_instance TEXT NOT NULL,"
    " event_type TEXT NOT NULL, probable_cause TEXT NOT NULL, specific_problem TEXT NOT NULL,"
    " perceived_severity TEXT NOT NULL, additional_text TEXT NOT NULL,"
    " additional_information TEXT NOT NULL, mechanism TEXT NOT NULL);"
    "CREATE INDEX alarm_device ON alarm(device);"
    "CREATE TABLE pmfile("
    " id INTEGER PRIMARY KEY,"
    " device INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,"
    " name TEXT NOT NULL, size INTEGER NOT NULL, received INTEGER NOT NULL,"
    " path TEXT NOT NULL);"
    "CREATE INDEX pmfile_device ON pmfile(device);"
    "CREATE TABLE task("
    " id INTEGER PRIMARY KEY,"
    " device INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,"
    " created INTEGER NOT NULL, kind TEXT NOT NULL, payload BLOB NOT NULL,"
    " status INTEGER NOT NULL, result TEXT NOT NULL);"
    "CREATE INDEX task_device ON task(device, status);";

/* Version 2: the device's data-model root, learnt from its Informs, so
 * operator commands can name full parameter paths. */
static const char schema_v2[] = "ALTER TABLE device ADD COLUMN root INTEGER NOT NULL DEFAULT 0;";

/* Version 3: pending tasks of one kind across all devices (the running
 * HMS looks for connection requests twice a second) without reading every
 * device. */
static const char schema_v3[] = "CREATE INDEX IF NOT EXISTS task_pending ON task(status, kind);";

/* Version 4: the connection-request credentials the HMS gave the device
 * at registration. Not among DEVICE_COLS: only
 * hms_registry_get_cr_credentials() reads the password. */
static const char schema_v4[] =
    "ALTER TABLE device ADD COLUMN cr_username TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE device ADD COLUMN cr_password TEXT NOT NULL DEFAULT '';";

static const char *const migrations[] = {schema_v1, schema_v2, schema_v3, schema_v4};

struct hms_registry {
    sqlite3 *db;
    sqlite3_stmt *st[S_COUNT];
    const struct cwmp_allocator *alloc;
    int txn; /* inside hms_registry_begin() ... commit/rollback */
    char err[256];
};

static int set_err(struct hms_registry *r, int rv, const char *msg)
{
    snprintf(r->err, sizeof(r->err), "%s", msg);
    return rv;
}

static int db_err(struct hms_registry *r)
{
    snprintf(r->err, sizeof(r->err), "sqlite: %s", sqlite3_errmsg(r->db));
    return CWMP_ERR_STORE;
}

const char *hms_registry_errmsg(const struct hms_registry *r)
{
    return r ? r->err : "no registry";
}

const char *hms_dev_state_name(enum hms_dev_state s)
{
    switch (s) {
    case HMS_STATE_DISCOVERED: return "discovered";
    case HMS_STATE_REGISTERED: return "registered";
    case HMS_STATE_DEPROVISIONED: return "de-provisioned";
    }
    return "unknown";
}

const char *hms_dev_type_name(enum hms_dev_type t)
{
    switch (t) {
    case HMS_DEV_HNB: return "HNB";
    case HMS_DEV_HENB: return "HeNB";
    case HMS_DEV_UNKNOWN: break;
    }
    return "unknown";
}

/* Text accepted from a device: bounded, no control characters. */
static int check_text(const char *s, size_t min, size_t max)
{
    if (!s)
        return min == 0 ? 0 : -1;
    size_t n = strlen(s);
    if (n < min || n > max)
        return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char) s[i];
        if (c < 0x20 || c == 0x7f)
            return -1;
    }
    return 0;
}

static int check_id(struct hms_registry *r, const struct hms_device_id *dev)
{
    if (!dev || check_text(dev->oui, 1, HMS_REGISTRY_MAX_ID) ||
        check_text(dev->product_class ? dev->product_class : "", 0, HMS_REGISTRY_MAX_ID) ||
        check_text(dev->serial, 1, HMS_REGISTRY_MAX_ID))
        return set_err(r, CWMP_ERR_BAD_VALUE,
                       "device identity: OUI and SerialNumber need 1..64 characters, "
                       "ProductClass 0..64, no control characters");
    return 0;
}

static int check_opt_text(struct hms_registry *r, const char *s, const char *what)
{
    if (s && check_text(s, 0, HMS_REGISTRY_MAX_TEXT)) {
        snprintf(r->err, sizeof(r->err), "%s: at most %d characters, no control characters", what,
                 HMS_REGISTRY_MAX_TEXT);
        return CWMP_ERR_BAD_VALUE;
    }
    return 0;
}

static sqlite3_stmt *stmt(struct hms_registry *r, enum stmt_id id)
{
    sqlite3_stmt *s = r->st[id];
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return s;
}

static int bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (!v)
        return sqlite3_bind_null(s, i);
    return sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

/* Runs a statement that returns no rows. */
static int exec_done(struct hms_registry *r, sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : db_err(r);
}

/* One registry call's own transaction: BEGIN IMMEDIATE (takes the write
 * lock at once, waiting up to the busy timeout, so two writers never
 * deadlock upgrading a read lock), or a savepoint inside the caller's. */
static int begin(struct hms_registry *r)
{
    return exec_done(r, stmt(r, r->txn ? S_SAVEPOINT : S_BEGIN));
}

static int commit(struct hms_registry *r)
{
    return exec_done(r, stmt(r, r->txn ? S_RELEASE : S_COMMIT));
}

static void rollback(struct hms_registry *r)
{
    if (sqlite3_get_autocommit(r->db))
        return; /* SQLite rolled back already (e.g. after SQLITE_FULL) */
    sqlite3_stmt *s = stmt(r, r->txn ? S_ROLLBACK_TO : S_ROLLBACK);
    sqlite3_step(s);
    sqlite3_reset(s);
    if (r->txn) { /* ROLLBACK TO keeps the savepoint open */
        s = stmt(r, S_RELEASE);
        sqlite3_step(s);
        sqlite3_reset(s);
    }
}

int hms_registry_begin(struct hms_registry *r)
{
    if (!r)
        return CWMP_ERR_INVALID_ARG;
    if (r->txn)
        return set_err(r, CWMP_ERR_STATE, "a transaction is open already (not nestable)");
    int rv = exec_done(r, stmt(r, S_BEGIN));
    if (rv == 0)
        r->txn = 1;
    return rv;
}

int hms_registry_commit(struct hms_registry *r)
{
    if (!r)
        return CWMP_ERR_INVALID_ARG;
    if (!r->txn)
        return set_err(r, CWMP_ERR_STATE, "no transaction is open");
    r->txn = 0;
    if (sqlite3_get_autocommit(r->db)) /* SQLite rolled it back on an error */
        return set_err(r, CWMP_ERR_STORE, "the transaction was rolled back by SQLite");
    int rv = exec_done(r, stmt(r, S_COMMIT));
    if (rv)
        rollback(r); /* keep the message of the failed COMMIT */
    return rv;
}

int hms_registry_rollback(struct hms_registry *r)
{
    if (!r)
        return CWMP_ERR_INVALID_ARG;
    if (!r->txn)
        return set_err(r, CWMP_ERR_STATE, "no transaction is open");
    r->txn = 0;
    rollback(r);
    return 0;
}

int hms_registry_in_transaction(const struct hms_registry *r)
{
    return r && r->txn;
}

static int migrate(struct hms_registry *r, char *errbuf, size_t errlen)
{
    sqlite3_stmt *s = NULL;
    int version = -1;
    if (sqlite3_prepare_v2(r->db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    if (version < 0)
        return db_err(r);
    int latest = (int) (sizeof(migrations) / sizeof(migrations[0]));
    if (version > latest) {
        snprintf(r->err, sizeof(r->err),
                 "registry schema version %d is newer than this program's (%d)", version, latest);
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "%s", r->err);
        return CWMP_ERR_STORE;
    }
    if (version == latest)
        return 0;
    if (sqlite3_exec(r->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_err(r);
    for (int v = version; v < latest; v++) {
        if (sqlite3_exec(r->db, migrations[v], NULL, NULL, NULL) != SQLITE_OK)
            goto fail;
    }
    /* PRAGMA takes no bound parameters; `latest` is our own integer. */
    char pragma[64];
    snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", latest);
    if (sqlite3_exec(r->db, pragma, NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    if (sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    return 0;
fail:;
    int rv = db_err(r);
    sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
    return rv;
}

int hms_registry_open(struct hms_registry **out, const char *path,
                      const struct hms_registry_options *opt, const struct cwmp_allocator *alloc,
                      char *errbuf, size_t errlen)
{
    if (errbuf && errlen)
        errbuf[0] = '\0';
    if (!out || !path)
        return CWMP_ERR_INVALID_ARG;
    *out = NULL;
    struct hms_registry_options defaults = {0};
    if (!opt)
        opt = &defaults;
    struct hms_registry *r = ex_calloc(alloc, 1, sizeof(*r));
    if (!r)
        return CWMP_ERR_NOMEM;
    r->alloc = alloc;
    int flags =
        opt->read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    flags |= SQLITE_OPEN_NOMUTEX; /* one handle, one thread at a time */
    int rv;
    if (sqlite3_open_v2(path, &r->db, flags, NULL) != SQLITE_OK) {
        rv = r->db ? db_err(r) : set_err(r, CWMP_ERR_NOMEM, "out of memory");
        goto fail;
    }
    sqlite3_extended_result_codes(r->db, 1);
    sqlite3_busy_timeout(r->db, opt->busy_timeout_ms > 0 ? opt->busy_timeout_ms : 5000);
    /* Refuse any SQL that could load code or touch other files. */
    sqlite3_db_config(r->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *) NULL);
    sqlite3_db_config(r->db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *) NULL);
    if (sqlite3_exec(r->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK) {
        rv = db_err(r);
        goto fail;
    }
    if (!opt->read_only) {
        const char *jm = opt->no_wal ? "PRAGMA journal_mode = DELETE" : "PRAGMA journal_mode = WAL";
        if (sqlite3_exec(r->db, jm, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(r->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) != SQLITE_OK) {
            rv = db_err(r);
            goto fail;
        }
        rv = migrate(r, errbuf, errlen);
        if (rv)
            goto fail;
    }
    for (int i = 0; i < S_COUNT; i++) {
        if (sqlite3_prepare_v3(r->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &r->st[i],
                               NULL) != SQLITE_OK) {
            rv = db_err(r);
            goto fail;
        }
    }
    *out = r;
    return 0;
fail:
    if (errbuf && errlen && !errbuf[0])
        snprintf(errbuf, errlen, "%s: %s", path, r->err);
    hms_registry_close(r);
    return rv;
}

void hms_registry_close(struct hms_registry *r)
{
    if (!r)
        return;
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(r->st[i]);
    sqlite3_close(r->db);
    ex_free(r->alloc, r);
}

static const char *col_text(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? (const char *) t : "";
}

static void row_device(sqlite3_stmt *s, struct hms_device *d)
{
    d->id = sqlite3_column_int64(s, 0);
    d->oui = col_text(s, 1);
    d->product_class = col_text(s, 2);
    d->serial = col_text(s, 3);
    d->type = (enum hms_dev_type) sqlite3_column_int(s, 4);
    d->roles_seen = (unsigned) sqlite3_column_int(s, 5);
    d->state = (enum hms_dev_state) sqlite3_column_int(s, 6);
    d->first_seen_ms = sqlite3_column_int64(s, 7);
    d->last_inform_ms = sqlite3_column_int64(s, 8);
    d->last_events = col_text(s, 9);
    d->cr_url = col_text(s, 10);
    d->inner_ip = col_text(s, 11);
    d->serving_segw = col_text(s, 12);
    d->serving_hms_url = col_text(s, 13);
    d->gateway = col_text(s, 14);
    d->ipsec = sqlite3_column_int(s, 15);
    d->root = (enum hms_dev_root) sqlite3_column_int(s, 16);
}

static int exists(struct hms_registry *r, int64_t id, int *state)
{
    sqlite3_stmt *s = stmt(r, S_STATE);
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        if (state)
            *state = sqlite3_column_int(s, 0);
        sqlite3_reset(s);
        return 0;
    }
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return set_err(r, CWMP_ERR_NOT_FOUND, "no such device");
    return db_err(r);
}

int hms_registry_inform(struct hms_registry *r, const struct hms_device_id *dev,
                        enum hms_dev_type type, enum hms_role role, int64_t now_ms,
                        const char *events, int64_t *id_out, enum hms_dev_state *state_out)
{
    if (!r)
        return CWMP_ERR_INVALID_ARG;
    int rv = check_id(r, dev);
    if (rv)
        return rv;
    if ((type != HMS_DEV_UNKNOWN && type != HMS_DEV_HNB && type != HMS_DEV_HENB) ||
        (role != HMS_ROLE_INITIAL && role != HMS_ROLE_SERVING))
        return set_err(r, CWMP_ERR_BAD_VALUE, "bad device type or role");
    if ((rv = check_opt_text(r, events, "event list")))
        return rv;
    const char *pc = dev->product_class ? dev->product_class : "";
    if ((rv = begin(r)))
        return rv;
    sqlite3_stmt *s = stmt(r, S_INFORM_UPSERT);
    bind_text(s, 1, dev->oui);
    bind_text(s, 2, pc);
    bind_text(s, 3, dev->serial);
    sqlite3_bind_int(s, 4, (int) type);
    sqlite3_bind_int(s, 5, (int) role);
    sqlite3_bind_int64(s, 6, now_ms);
    bind_text(s, 7, events ? events : "");
    if ((rv = exec_done(r, s)))
        goto fail;
    s = stmt(r, S_FIND);
    bind_text(s, 1, dev->oui);
    bind_text(s, 2, pc);
    bind_text(s, 3, dev->serial);
    if (sqlite3_step(s) != SQLITE_ROW) {
        rv = db_err(r);
        sqlite3_reset(s);
        goto fail;
    }
    int64_t id = sqlite3_column_int64(s, 0);
    int state = sqlite3_column_int(s, 6);
    sqlite3_reset(s);
    if ((rv = commit(r)))
        goto fail;
    if (id_out)
        *id_out = id;
    if (state_out)
        *state_out = (enum hms_dev_state) state;
    return 0;
fail:
    rollback(r);
    return rv;
}

static int set_state(struct hms_registry *r, int64_t id, int from_refused, int new_state,
                     int only_from)
{
    int rv = begin(r);
    if (rv)
        return rv;
    int state = 0;
    if ((rv = exists(r, id, &state)))
        goto fail;
    if (from_refused >= 0 && state == from_refused) {
        rv = set_err(r, CWMP_ERR_STATE,
                     "device is de-provisioned: registration refused until the operator "
                     "allows it");
        goto fail;
    }
    if (only_from < 0 || state == only_from) {
        sqlite3_stmt *s = stmt(r, S_SET_STATE);
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_int(s, 2, new_state);
        if ((rv = exec_done(r, s)))
            goto fail;
    }
    if ((rv = commit(r)))
        goto fail;
    return 0;
fail:
    rollback(r);
    return rv;
}

int hms_registry_register(struct hms_registry *r, int64_t id)
{
    if (!r)
        return CWMP_ERR_INVALID_ARG;
    return set_state(r, id, HMS_STATE_DEPROVISIONED, HMS_STATE_REGISTERED, -1);
}

int hms_registry_deprovision(struct hms_registry *r, int64_t id)
{
    if (!r)
        return CWMP_ERR_INVALID_ARG;
    return set_state(r, id, -1, HMS_STATE_DEPROVISIONED, -1);
}

int hms_registry_allow(struct hms_registry *r, int64_t id)
{
    if (!r)
        return CWMP_ERR_INVALID_ARG;
    return set_state(r, id, -1, HMS_STATE_DISCOVERED, HMS_STATE_DEPROVISIONED);
}

/* Runs an UPDATE/DELETE on one device row; NOT_FOUND when nothing matched. */
static int exec_one(struct hms_registry *r, sqlite3_stmt *s)
{
    int rv = exec_done(r, s);
    if (rv)
        return rv;
    if (sqlite3_changes(r->db) == 0)
        return set_err(r, CWMP_ERR_NOT_FOUND, "no such row");
    return 0;
}

int hms_registry_assign(struct hms_registry *r, int64_t id, const struct hms_assignment *as)
{
    if (!r || !as)
        return CWMP_ERR_INVALID_ARG;
    int rv;
    if ((rv = check_opt_text(r, as->serving_segw, "serving SeGW")) ||
        (rv = check_opt_text(r, as->serving_hms_url, "serving HMS URL")) ||
        (rv = check_opt_text(r, as->gateway, "gateway")))
        return rv;
    if (as->ipsec < -1 || as->ipsec > 1)
        return set_err(r, CWMP_ERR_BAD_VALUE, "ipsec must be -1, 0 or 1");
    sqlite3_stmt *s = stmt(r, S_ASSIGN);
    sqlite3_bind_int64(s, 1, id);
    bind_text(s, 2, as->serving_segw);
    bind_text(s, 3, as->serving_hms_url);
    bind_text(s, 4, as->gateway);
    sqlite3_bind_int(s, 5, as->ipsec);
    return exec_one(r, s);
}

int hms_registry_set_contact(struct hms_registry *r, int64_t id, const char *cr_url,
                             const char *inner_ip)
{
    if (!r)
        return CWMP_ERR_INVALID_ARG;
    int rv;
    if ((rv = check_opt_text(r, cr_url, "ConnectionRequestURL")) ||
        (rv = check_opt_text(r, inner_ip, "inner IP address")))
        return rv;
    sqlite3_stmt *s = stmt(r, S_CONTACT);
    sqlite3_bind_int64(s, 1, id);
    bind_text(s, 2, cr_url);
    bind_text(s, 3, inner_ip);
    return exec_one(r, s);
}

/* Copies the current row into one allocation. */
static int copy_device(struct hms_registry *r, sqlite3_stmt *s, struct hms_device **out)
{
    struct hms_device tmp;
    row_device(s, &tmp);
    const char **fields[] = {&tmp.oui,          &tmp.product_class,   &tmp.serial,
                             &tmp.last_events,  &tmp.cr_url,          &tmp.inner_ip,
                             &tmp.serving_segw, &tmp.serving_hms_url, &tmp.gateway};
    size_t nf = sizeof(fields) / sizeof(fields[0]);
    size_t total = sizeof(tmp);
    for (size_t i = 0; i < nf; i++)
        total += strlen(*fields[i]) + 1;
    struct hms_device *d = ex_malloc(r->alloc, total);
    if (!d)
        return set_err(r, CWMP_ERR_NOMEM, "out of memory");
    *d = tmp;
    char *p = (char *) (d + 1);
    const char **dst[] = {&d->oui,          &d->product_class,   &d->serial,
                          &d->last_events,  &d->cr_url,          &d->inner_ip,
                          &d->serving_segw, &d->serving_hms_url, &d->gateway};
    for (size_t i = 0; i < nf; i++) {
        size_t n = strlen(*fields[i]) + 1;
        memcpy(p, *fields[i], n);
        *dst[i] = p;
        p += n;
    }
    *out = d;
    return 0;
}

static int fetch_one(struct hms_registry *r, sqlite3_stmt *s, struct hms_device **out)
{
    int rc = sqlite3_step(s);
    int rv;
    if (rc == SQLITE_ROW)
        rv = copy_device(r, s, out);
    else if (rc == SQLITE_DONE)
        rv = set_err(r, CWMP_ERR_NOT_FOUND, "no such device");
    else
        rv = db_err(r);
    sqlite3_reset(s);
    return rv;
}

int hms_registry_find(struct hms_registry *r, const struct hms_device_id *dev,
                      struct hms_device **out)
{
    if (!r || !out)
        return CWMP_ERR_INVALID_ARG;
    *out = NULL;
    int rv = check_id(r, dev);
    if (rv)
        return rv;
    sqlite3_stmt *s = stmt(r, S_FIND);
    bind_text(s, 1, dev->oui);
    bind_text(s, 2, dev->product_class ? dev->product_class : "");
    bind_text(s, 3, dev->serial);
    return fetch_one(r, s, out);
}

int hms_registry_get(struct hms_registry *r, int64_t id, struct hms_device **out)
{
    if (!r || !out)
        return CWMP_ERR_INVALID_ARG;
    *out = NULL;
    sqlite3_stmt *s = stmt(r, S_GET);
    sqlite3_bind_int64(s, 1, id);
    return fetch_one(r, s, out);
}

void hms_device_free(struct hms_registry *r, struct hms_device *d)
{
    if (r && d)
        ex_free(r->alloc, d);
}

/* Steps through rows calling fn(row) until it returns non-zero. */
static int each_row(struct hms_registry *r, sqlite3_stmt *s, int (*fn)(sqlite3_stmt *, void *),
                    void *ctx)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (fn(s, ctx)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : db_err(r);
}

struct cb_ctx {
    hms_device_cb dev;
    hms_alarm_cb alarm;
    hms_pmfile_cb pm;
    hms_task_cb task;
    void *ud;
};

static int device_row(sqlite3_stmt *s, void *ctx)
{
    struct cb_ctx *c = ctx;
    struct hms_device d;
    row_device(s, &d);
    return c->dev(&d, c->ud);
}

int hms_registry_list(struct hms_registry *r, hms_device_cb cb, void *ud)
{
    if (!r || !cb)
        return CWMP_ERR_INVALID_ARG;
    struct cb_ctx c = {.dev = cb, .ud = ud};
    return each_row(r, stmt(r, S_LIST), device_row, &c);
}

int hms_registry_delete(struct hms_registry *r, int64_t id)
{
    if (!r)
        return CWMP_ERR_INVALID_ARG;
    sqlite3_stmt *s = stmt(r, S_DELETE);
    sqlite3_bind_int64(s, 1, id);
    return exec_one(r, s);
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

int hms_registry_add_alarm(struct hms_registry *r, int64_t dev_id, const struct hms_alarm *al)
{
    if (!r || !al)
        return CWMP_ERR_INVALID_ARG;
    const char *txt[] = {al->event_time,        al->alarm_identifier,
                         al->notification_type, al->managed_object_instance,
                         al->event_type,        al->probable_cause,
                         al->specific_problem,  al->perceived_severity,
                         al->additional_text,   al->additional_information,
                         al->mechanism};
    int rv;
    for (size_t i = 0; i < sizeof(txt) / sizeof(txt[0]); i++)
        if ((rv = check_opt_text(r, txt[i], "alarm field")))
            return rv;
    if ((rv = exists(r, dev_id, NULL)))
        return rv;
    sqlite3_stmt *s = stmt(r, S_ADD_ALARM);
    sqlite3_bind_int64(s, 1, dev_id);
    sqlite3_bind_int64(s, 2, al->received_ms);
    for (int i = 0; i < (int) (sizeof(txt) / sizeof(txt[0])); i++)
        bind_text(s, 3 + i, nz(txt[i]));
    return exec_done(r, s);
}

static int alarm_row(sqlite3_stmt *s, void *ctx)
{
    struct cb_ctx *c = ctx;
    struct hms_alarm a = {
        .id = sqlite3_column_int64(s, 0),
        .received_ms = sqlite3_column_int64(s, 1),
        .event_time = col_text(s, 2),
        .alarm_identifier = col_text(s, 3),
        .notification_type = col_text(s, 4),
        .managed_object_instance = col_text(s, 5),
        .event_type = col_text(s, 6),
        .probable_cause = col_text(s, 7),
        .specific_problem = col_text(s, 8),
        .perceived_severity = col_text(s, 9),
        .additional_text = col_text(s, 10),
        .additional_information = col_text(s, 11),
        .mechanism = col_text(s, 12),
    };
    return c->alarm(&a, c->ud);
}

int hms_registry_list_alarms(struct hms_registry *r, int64_t dev_id, hms_alarm_cb cb, void *ud)
{
    if (!r || !cb)
        return CWMP_ERR_INVALID_ARG;
    struct cb_ctx c = {.alarm = cb, .ud = ud};
    sqlite3_stmt *s = stmt(r, S_LIST_ALARMS);
    sqlite3_bind_int64(s, 1, dev_id);
    return each_row(r, s, alarm_row, &c);
}

int hms_registry_add_pmfile(struct hms_registry *r, int64_t dev_id, const struct hms_pmfile *f)
{
    if (!r || !f)
        return CWMP_ERR_INVALID_ARG;
    int rv;
    if (check_text(f->name, 1, 255))
        return set_err(r, CWMP_ERR_BAD_VALUE, "PM file name: 1..255 characters");
    if ((rv = check_opt_text(r, f->path, "PM file path")))
        return rv;
    if (f->size < 0)
        return set_err(r, CWMP_ERR_BAD_VALUE, "PM file size is negative");
    if ((rv = exists(r, dev_id, NULL)))
        return rv;
    sqlite3_stmt *s = stmt(r, S_ADD_PM);
    sqlite3_bind_int64(s, 1, dev_id);
    bind_text(s, 2, f->name);
    sqlite3_bind_int64(s, 3, f->size);
    sqlite3_bind_int64(s, 4, f->received_ms);
    bind_text(s, 5, nz(f->path));
    return exec_done(r, s);
}

static int pm_row(sqlite3_stmt *s, void *ctx)
{
    struct cb_ctx *c = ctx;
    struct hms_pmfile f = {
        .id = sqlite3_column_int64(s, 0),
        .name = col_text(s, 1),
        .size = sqlite3_column_int64(s, 2),
        .received_ms = sqlite3_column_int64(s, 3),
        .path = col_text(s, 4),
    };
    return c->pm(&f, c->ud);
}

int hms_registry_list_pmfiles(struct hms_registry *r, int64_t dev_id, hms_pmfile_cb cb, void *ud)
{
    if (!r || !cb)
        return CWMP_ERR_INVALID_ARG;
    struct cb_ctx c = {.pm = cb, .ud = ud};
    sqlite3_stmt *s = stmt(r, S_LIST_PM);
    sqlite3_bind_int64(s, 1, dev_id);
    return each_row(r, s, pm_row, &c);
}

int hms_registry_add_task(struct hms_registry *r, int64_t dev_id, int64_t now_ms, const char *kind,
                          const void *payload, size_t len, int64_t *task_id)
{
    if (!r || (!payload && len))
        return CWMP_ERR_INVALID_ARG;
    if (check_text(kind, 1, 64))
        return set_err(r, CWMP_ERR_BAD_VALUE, "task kind: 1..64 characters");
    if (len > HMS_REGISTRY_MAX_PAYLOAD)
        return set_err(r, CWMP_ERR_LIMIT, "task payload too large");
    int rv = exists(r, dev_id, NULL);
    if (rv)
        return rv;
    sqlite3_stmt *s = stmt(r, S_ADD_TASK);
    sqlite3_bind_int64(s, 1, dev_id);
    sqlite3_bind_int64(s, 2, now_ms);
    bind_text(s, 3, kind);
    /* A zero-length blob must still be non-NULL (NOT NULL column). */
    sqlite3_bind_blob(s, 4, len ? payload : "", (int) len, SQLITE_STATIC);
    if ((rv = exec_done(r, s)))
        return rv;
    if (task_id)
        *task_id = sqlite3_last_insert_rowid(r->db);
    return 0;
}

static int task_row(sqlite3_stmt *s, void *ctx)
{
    struct cb_ctx *c = ctx;
    struct hms_task t = {
        .id = sqlite3_column_int64(s, 0),
        .created_ms = sqlite3_column_int64(s, 1),
        .kind = col_text(s, 2),
        .payload = sqlite3_column_blob(s, 3),
        .payload_len = (size_t) sqlite3_column_bytes(s, 3),
        .status = (enum hms_task_status) sqlite3_column_int(s, 4),
        .result = col_text(s, 5),
        .device = sqlite3_column_int64(s, 6),
    };
    if (!t.payload)
        t.payload = "";
    return c->task(&t, c->ud);
}

int hms_registry_list_tasks(struct hms_registry *r, int64_t dev_id, int status, hms_task_cb cb,
                            void *ud)
{
    if (!r || !cb)
        return CWMP_ERR_INVALID_ARG;
    struct cb_ctx c = {.task = cb, .ud = ud};
    sqlite3_stmt *s = stmt(r, S_LIST_TASKS);
    sqlite3_bind_int64(s, 1, dev_id);
    sqlite3_bind_int(s, 2, status);
    return each_row(r, s, task_row, &c);
}

int hms_registry_list_pending(struct hms_registry *r, const char *kind, hms_task_cb cb, void *ud)
{
    if (!r || !kind || !cb)
        return CWMP_ERR_INVALID_ARG;
    struct cb_ctx c = {.task = cb, .ud = ud};
    sqlite3_stmt *s = stmt(r, S_PENDING_KIND);
    bind_text(s, 1, kind);
    return each_row(r, s, task_row, &c);
}

int hms_registry_set_task(struct hms_registry *r, int64_t task_id, enum hms_task_status status,
                          const char *result)
{
    if (!r)
        return CWMP_ERR_INVALID_ARG;
    if (status < HMS_TASK_PENDING || status > HMS_TASK_FAILED)
        return set_err(r, CWMP_ERR_BAD_VALUE, "bad task status");
    int rv = check_opt_text(r, result, "task result");
    if (rv)
        return rv;
    sqlite3_stmt *s = stmt(r, S_SET_TASK);
    sqlite3_bind_int64(s, 1, task_id);
    sqlite3_bind_int(s, 2, (int) status);
    bind_text(s, 3, nz(result));
    return exec_one(r, s);
}

int hms_registry_set_root(struct hms_registry *r, int64_t id, enum hms_dev_root root)
{
    if (!r)
        return CWMP_ERR_INVALID_ARG;
    if (root != HMS_ROOT_UNKNOWN && root != HMS_ROOT_DEVICE && root != HMS_ROOT_IGD)
        return set_err(r, CWMP_ERR_BAD_VALUE, "bad data-model root");
    sqlite3_stmt *s = stmt(r, S_SET_ROOT);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, (int) root);
    return exec_one(r, s);
}

const char *hms_dev_root_name(enum hms_dev_root root)
{
    switch (root) {
    case HMS_ROOT_DEVICE: return "Device";
    case HMS_ROOT_IGD: return "InternetGatewayDevice";
    case HMS_ROOT_UNKNOWN: break;
    }
    return "unknown";
}

int hms_registry_set_cr_credentials(struct hms_registry *r, int64_t id, const char *username,
                                    const char *password)
{
    if (!r)
        return CWMP_ERR_INVALID_ARG;
    if (strlen(nz(username)) > HMS_REGISTRY_MAX_ID || strlen(nz(password)) > HMS_REGISTRY_MAX_ID)
        return set_err(r, CWMP_ERR_BAD_VALUE, "connection-request credential too long");
    if (!*nz(username) != !*nz(password))
        return set_err(r, CWMP_ERR_BAD_VALUE,
                       "connection-request username and password go together");
    sqlite3_stmt *s = stmt(r, S_SET_CRED);
    sqlite3_bind_int64(s, 1, id);
    bind_text(s, 2, nz(username));
    bind_text(s, 3, nz(password));
    return exec_one(r, s);
}

int hms_registry_get_cr_credentials(struct hms_registry *r, int64_t id, char *username, size_t ulen,
                                    char *password, size_t plen)
{
    if (!r || !username || !password || ulen <= HMS_REGISTRY_MAX_ID || plen <= HMS_REGISTRY_MAX_ID)
        return CWMP_ERR_INVALID_ARG;
    username[0] = password[0] = '\0';
    sqlite3_stmt *s = stmt(r, S_GET_CRED);
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    int rv = 0;
    if (rc == SQLITE_ROW) {
        snprintf(username, ulen, "%s", col_text(s, 0));
        snprintf(password, plen, "%s", col_text(s, 1));
    } else if (rc == SQLITE_DONE)
        rv = set_err(r, CWMP_ERR_NOT_FOUND, "no such device");
    else
        rv = set_err(r, CWMP_ERR_STORE, sqlite3_errmsg(r->db));
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rv;
}
