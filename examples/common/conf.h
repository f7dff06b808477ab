/*
 * libcwmp examples - config and policy files of the example agent and HMS.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file conf.h
 * @brief A small `key = value` format with sections, and the typed views
 * the example programs use: the agent's factory settings and the HMS's
 * settings and assignment policy.
 *
 * Syntax (doc/examples.md has examples):
 * - one item per line; blank lines and lines starting with `#` are ignored
 *   (there are no end-of-line comments: `#` is common in values);
 * - `[section]` or `[section "argument"]` starts a section; names are
 *   `[a-z0-9_]+`;
 * - `key = value`; the value is trimmed; a value in double quotes keeps its
 *   spaces and understands `\"` and `\\`;
 * - keys marked repeatable below may appear several times; any other key
 *   at most once per section; unknown sections and keys are errors;
 * - UTF-8 only, no control characters, lines of at most 4096 bytes.
 *
 * Every error names its line. All strings in the typed views point into the
 * parsed document, which must outlive them.
 */
#ifndef EX_CONF_H
#define EX_CONF_H

#include <stddef.h>
#include <stdint.h>

#include <cwmp/common.h>
#include <cwmp/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- generic document -------------------------------------------------- */

/** One `key = value` line. */
struct conf_entry {
    const char *key;
    const char *value;
    int line;
    size_t section; /**< index into conf_doc.sections */
};

/** One `[name "arg"]` header (index 0 is the implicit section before any
 *  header, named ""). */
struct conf_section {
    const char *name;
    const char *arg; /**< "" when absent */
    int line;
};

/** A parsed file; free with conf_free(). */
struct conf_doc {
    struct conf_section *sections;
    size_t nsections;
    struct conf_entry *entries;
    size_t nentries;
    char *storage;                      /**< private */
    size_t cap_sections, cap_entries;   /**< private */
    const struct cwmp_allocator *alloc; /**< private */
};

/** Error report: line (0 = not tied to a line) and message. */
struct conf_error {
    int line;
    char msg[200];
};

/** Largest file accepted. */
#define CONF_MAX_BYTES (1024 * 1024)
/** Longest line accepted. */
#define CONF_MAX_LINE 4096

/**
 * @brief Parses the syntax (not the meaning) of a config file.
 * @return 0; CWMP_ERR_PARSE; CWMP_ERR_ENCODING; CWMP_ERR_LIMIT;
 *         CWMP_ERR_NOMEM; CWMP_ERR_INVALID_ARG
 */
int conf_parse(const char *text, size_t len, const struct cwmp_allocator *alloc,
               struct conf_doc **out, struct conf_error *err);
/** @brief Frees a document (NULL is fine). */
void conf_free(struct conf_doc *d);

/* ---- agent factory settings: sections [agent] and [device] ------------- */

/** Radio technology. */
enum conf_rat { CONF_RAT_UMTS = 0, CONF_RAT_LTE = 1 };
/** Root data model. */
enum conf_root { CONF_ROOT_DEVICE = 0, CONF_ROOT_IGD = 1 };

/** A REM scan result to report as location: one neighbour cell. */
struct conf_rem_cell {
    char plmn[8];     /**< MCC+MNC, 5 or 6 digits */
    uint32_t area;    /**< LAC (UMTS) or TAC (LTE), 0..65535 */
    uint32_t cell_id; /**< 0..268435455 */
};

#define CONF_MAX_REM 16

/**
 * Agent settings.
 *
 * `[agent]`: `initial_hms_url` (required, http(s) URL with an FQDN or IP),
 * `initial_segw` (FQDN or IP), `root_ca`, `cert`, `key` (file paths),
 * `cr_port` (1..65535, default 7547), `state_dir` (required),
 * `rat` (`umts` | `lte`, required), `root` (`Device` | `InternetGatewayDevice`,
 * default `Device`).
 *
 * `[device]`: `manufacturer`, `oui` (6 hex digits, required),
 * `product_class`, `serial` (required), `gps` (`<lat>,<long>` in decimal
 * degrees, up to 6 decimals), `rem_cell` (repeatable,
 * `<plmn>,<lac-or-tac>,<cell-id>`).
 */
struct conf_agent {
    const char *initial_hms_url;
    const char *initial_segw;         /**< NULL when absent */
    const char *root_ca, *cert, *key; /**< NULL when absent */
    uint16_t cr_port;
    const char *state_dir;
    enum conf_rat rat;
    enum conf_root root;
    const char *manufacturer; /**< default "libcwmp example" */
    const char *oui;
    const char *product_class; /**< default "" */
    const char *serial;
    int has_gps;
    int32_t gps_lat_udeg, gps_lon_udeg; /**< micro-degrees, as TR-196 GPS.LockedLatitude */
    struct conf_rem_cell rem[CONF_MAX_REM];
    size_t nrem;
};

/** @brief Reads and checks the agent settings. @return 0 or CWMP_ERR_BAD_VALUE,
 *  CWMP_ERR_MISSING_ARG, CWMP_ERR_PARSE (unknown section/key, duplicate) */
int conf_agent_load(const struct conf_doc *d, struct conf_agent *a, struct conf_error *err);

/* ---- HMS settings and policy: sections [hms] and [policy "<name>"] ------ */

/** HMS role(s) served by one process. */
enum conf_hms_role { CONF_HMS_INITIAL = 1, CONF_HMS_SERVING = 2, CONF_HMS_BOTH = 3 };

/** How configuration is provisioned at registration. */
enum conf_cm_mode { CONF_CM_SPV = 0, CONF_CM_FILE = 1 };

/** Alarm reporting mechanism (TR-196 SupportedAlarm.{i}.ReportingMechanism). */
enum conf_alarm_mech {
    CONF_ALARM_EXPEDITED = 0,
    CONF_ALARM_QUEUED = 1,
    CONF_ALARM_LOGGED = 2,
    CONF_ALARM_DISABLED = 3,
};

/** One `set = <name> <type> <value>` line of a policy (the value is the
 *  rest of the line, possibly empty). */
struct conf_set {
    const char *name;
    const char *type; /**< TR-069 type name (see cmfile.h) */
    const char *value;
    char *copy_; /**< private: holds the three strings */
};

/** One `alarm = <mechanism> <probable cause or *>` line. */
struct conf_alarm {
    enum conf_alarm_mech mech;
    const char *cause; /**< "*" = every alarm type */
};

#define CONF_MAX_SET      64
#define CONF_MAX_ALARM    16
#define CONF_MAX_POLICIES 32

/**
 * A policy: which devices it applies to (every given match_* must hold;
 * none = every device), what to assign, what CM to provision, how alarms
 * are reported and PM uploaded.
 *
 * Keys: `match_oui`, `match_product_class`, `match_serial` (exact, or a
 * prefix ending in `*`), `match_rat` (`umts`|`lte`), `match_plmn` (a REM
 * cell with this PLMN was reported), `match_area`
 * (`<lat-min>,<lat-max>,<long-min>,<long-max>`, decimal degrees; needs GPS);
 * `serving_segw`, `serving_hms_url`, `hnb_gw` (UMTS), `s1_far_end` (LTE,
 * comma-separated addresses), `ipsec` (`true`|`false`); `cm` (`spv`|`file`),
 * `cm_file` (path, needed when cm = file), `set` (repeatable);
 * `alarm` (repeatable); `pm_enable`, `pm_url`, `pm_username`, `pm_password`,
 * `pm_interval` (seconds, 1..86400), `pm_time` (dateTime phase reference).
 */
struct conf_policy {
    const char *name;
    int line;
    const char *match_oui, *match_product_class, *match_serial, *match_plmn;
    int match_rat; /**< -1 any, else enum conf_rat */
    int has_area;
    int32_t lat_min, lat_max, lon_min, lon_max; /**< micro-degrees */
    const char *serving_segw, *serving_hms_url, *hnb_gw, *s1_far_end;
    int ipsec; /**< -1 unset, 0, 1 */
    enum conf_cm_mode cm;
    const char *cm_file;
    struct conf_set set[CONF_MAX_SET];
    size_t nset;
    struct conf_alarm alarm[CONF_MAX_ALARM];
    size_t nalarm;
    int pm_enable; /**< -1 unset, 0, 1 */
    const char *pm_url, *pm_username, *pm_password, *pm_time;
    uint32_t pm_interval; /**< 0 = unset */
};

/**
 * HMS settings. `[hms]`: `role` (`initial`|`serving`|`both`, required),
 * `listen` (`<ip>:<port>`, required), `url` (the URL devices use to reach
 * this HMS), `database` (SQLite file, required), `file_dir` (directory of
 * the file server), `file_url` (its base URL), `cert`, `key`, `root_ca`.
 */
struct conf_hms {
    enum conf_hms_role role;
    const char *listen_host;
    uint16_t listen_port;
    const char *url, *database, *file_dir, *file_url, *cert, *key, *root_ca;
    struct conf_policy *policies;
    size_t npolicies;
    char listen_buf[64];                /**< private: holds listen_host */
    const struct cwmp_allocator *alloc; /**< private */
};

/**
 * @brief Reads and checks the HMS settings and policies.
 * @param out receives an object to free with conf_hms_free() (it allocates
 *        with the document's allocator and points into the document)
 */
int conf_hms_load(const struct conf_doc *d, struct conf_hms **out, struct conf_error *err);
/** @brief Frees what conf_hms_load() returned (NULL is fine). */
void conf_hms_free(struct conf_hms *h);

/** What the HMS knows about a device when it chooses a policy. */
struct conf_device_info {
    const char *oui, *product_class, *serial;
    enum conf_rat rat;
    int has_gps;
    int32_t lat_udeg, lon_udeg;
    const char *const *plmns; /**< PLMNs of reported REM cells */
    size_t nplmns;
};

/** @brief First policy (in file order) matching @p dev, or NULL. */
const struct conf_policy *conf_policy_select(const struct conf_hms *h,
                                             const struct conf_device_info *dev);

/** @brief "expedited" etc. / TR-196 "0 Expedited" etc.; never NULL. */
const char *conf_alarm_mech_name(enum conf_alarm_mech m);
const char *conf_alarm_mech_tr196(enum conf_alarm_mech m);

/** @brief Parses decimal degrees ("-12.345678") to micro-degrees within
 *  ±@p max_deg. @return 0 or CWMP_ERR_BAD_VALUE */
int conf_parse_degrees(const char *s, int max_deg, int32_t *out);

#ifdef __cplusplus
}
#endif

#endif
