/*
 * libcwmp - CWMP (TR-069) library for CPE and ACS.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file fap.h
 * @brief Femto access point (HNB / HeNB, TS 32.582 / 32.592) helpers over
 * the data-model tree: alarms (FaultMgmt), the PM upload schedule
 * (FAP.PerfMgmt) and the discovery / registration parameters.
 *
 * They work on both roots (Device:2 and InternetGatewayDevice) and on the
 * TR-196 Issue 1 layout (FaultMgmt / PerfMgmt / Tunnel inside
 * FAPService.{i}.). Everything is a thin layer over the public tree API:
 * no clock (time is an argument), no I/O.
 */
#ifndef CWMP_FAP_H
#define CWMP_FAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cwmp/common.h>
#include <cwmp/datamodel.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- alarms --------------------------------------------------------------- */

/** @brief X.733 perceived severity. @since 0.1 */
enum cwmp_alarm_severity {
    CWMP_ALARM_CRITICAL = 0,      /**< "Critical" */
    CWMP_ALARM_MAJOR = 1,         /**< "Major" */
    CWMP_ALARM_MINOR = 2,         /**< "Minor" */
    CWMP_ALARM_WARNING = 3,       /**< "Warning" */
    CWMP_ALARM_INDETERMINATE = 4, /**< "Indeterminate" */
};

/** @brief SupportedAlarm.{i}.ReportingMechanism. @since 0.1 */
enum cwmp_alarm_reporting {
    CWMP_ALARM_EXPEDITED = 0, /**< "0 Expedited": active notification, session now */
    CWMP_ALARM_QUEUED = 1,    /**< "1 Queued": passive, with the next Inform */
    CWMP_ALARM_LOGGED = 2,    /**< "2 Logged": HistoryEvent only */
    CWMP_ALARM_DISABLED = 3,  /**< "3 Disabled": ignored */
};

/**
 * @brief One alarm (X.733 fields). The alarm's identity is the tuple
 * (managed_object_instance, event_type, probable_cause, specific_problem):
 * raising an alarm that is already current with another severity is a
 * change (NotificationType "ChangedAlarm").
 * @since 0.1
 */
struct cwmp_alarm {
    const char *event_type;              /**< e.g. "Equipment Alarm" (≤ 64) */
    const char *probable_cause;          /**< e.g. "Transmitter failure" (≤ 64) */
    const char *specific_problem;        /**< may be NULL (≤ 128) */
    enum cwmp_alarm_severity severity;   /**< perceived severity */
    const char *managed_object_instance; /**< e.g. "Device.Services.FAPService.1" (≤ 512) */
    const char *additional_text;         /**< may be NULL (≤ 256) */
    const char *additional_information;  /**< may be NULL (≤ 256) */
};

/** @brief Options of the alarm helper; fill with cwmp_alarm_options_init(). @since 0.1 */
struct cwmp_alarm_options {
    /** FaultMgmt object path ("Device.FaultMgmt."); NULL = `<Root>.FaultMgmt.`
     *  or, when absent, `<Root>.Services.FAPService.1.FaultMgmt.` (Issue 1). */
    const char *fault_mgmt_path;
    uint32_t max_history;   /**< HistoryEvent rolling size; default 64 (0 = default) */
    uint32_t max_expedited; /**< ExpeditedEvent rolling size; default 16 (0 = default) */
    uint32_t max_queued;    /**< QueuedEvent rolling size; default 16 (0 = default) */
    /** Mechanism of alarms not listed in SupportedAlarm; default Queued. */
    enum cwmp_alarm_reporting unlisted;
};

/** @brief Fills @p opts with the defaults above. @since 0.1 */
CWMP_API void cwmp_alarm_options_init(struct cwmp_alarm_options *opts);

/**
 * @brief Raises (or changes) an alarm at @p now (Unix seconds).
 *
 * Per the alarm type's SupportedAlarm.{i}.ReportingMechanism (matched on
 * EventType, ProbableCause, SpecificProblem and PerceivedSeverity, where
 * "" and "*" match anything): Disabled → nothing; otherwise CurrentAlarm
 * gets (or updates) the entry, HistoryEvent gets an event, and Expedited
 * also ExpeditedEvent (its parameters are marked for active notification
 * so cwmp_dm_poll() asks for a session now) or Queued also QueuedEvent
 * (passive: reported with the next Inform). Event tables are rolling: the
 * oldest row goes when full.
 * @param opts NULL for defaults.
 * @param alarm_id if not NULL, receives the AlarmIdentifier (≤ 64 bytes).
 * @return 0, CWMP_ERR_NOT_FOUND (no FaultMgmt in the model),
 * CWMP_ERR_LIMIT (MaxCurrentAlarmEntries reached), CWMP_ERR_BAD_VALUE,
 * CWMP_ERR_NOMEM, CWMP_ERR_INVALID_ARG.
 * @since 0.1
 */
CWMP_API int cwmp_alarm_raise(struct cwmp_dm *dm, const struct cwmp_alarm_options *opts,
                              const struct cwmp_alarm *alarm, int64_t now, char *alarm_id,
                              size_t alarm_id_size);

/**
 * @brief Clears a current alarm (same identity tuple; severity ignored):
 * removes the CurrentAlarm entry and records a "ClearedAlarm" event with
 * PerceivedSeverity "Cleared".
 * @return 0, CWMP_ERR_NOT_FOUND (not current), errors as cwmp_alarm_raise().
 * @since 0.1
 */
CWMP_API int cwmp_alarm_clear(struct cwmp_dm *dm, const struct cwmp_alarm_options *opts,
                              const struct cwmp_alarm *alarm, int64_t now);

/** @brief "Critical", …, "Indeterminate"; never NULL. @since 0.1 */
CWMP_API const char *cwmp_alarm_severity_name(enum cwmp_alarm_severity s);

/* ---- PM upload schedule ------------------------------------------------------ */

/**
 * @brief Next periodic upload instant: the smallest
 * `upload_time + k * interval` (k integer, possibly negative) strictly
 * after @p now. Pure function; all in Unix seconds.
 * @return that instant, or -1 when interval is 0.
 * @since 0.1
 */
CWMP_API int64_t cwmp_pm_next_upload(int64_t now, int64_t upload_time, uint32_t interval);

/** @brief One FAP.PerfMgmt.Config.{i} row, read from the tree. @since 0.1 */
struct cwmp_pm_config {
    bool enable;         /**< Enable */
    char url[257];       /**< URL (HTTP or HTTPS) */
    char username[257];  /**< Username */
    char password[257];  /**< Password (the device's own view) */
    uint32_t interval;   /**< PeriodicUploadInterval, seconds */
    int64_t upload_time; /**< PeriodicUploadTime (Unix s); 0 when Unknown Time */
    int64_t next_upload; /**< next upload (Unix s), -1 when disabled */
};

/**
 * @brief Reads a PM configuration row and computes its next upload after
 * @p now. @p config_path is the row ("Device.FAP.PerfMgmt.Config.1.") or
 * NULL for the first row of `<Root>.FAP.PerfMgmt.Config.`; with the Issue 1
 * layout, `….FAPService.1.PerfMgmt.FileMgmt.` is used (PeriodicUploadEnable).
 * An Unknown or boot-relative PeriodicUploadTime aligns on the Unix epoch.
 * @return 0, CWMP_ERR_NOT_FOUND, CWMP_ERR_BUFFER (a value too long).
 * @since 0.1
 */
CWMP_API int cwmp_pm_config_get(struct cwmp_dm *dm, const char *config_path, int64_t now,
                                struct cwmp_pm_config *out);

/* ---- discovery / registration ---------------------------------------------- */

/** @brief Radio access technology of a FAPService. @since 0.1 */
enum cwmp_fap_rat {
    CWMP_FAP_UMTS = 0, /**< HNB: FAPControl.UMTS.Gateway */
    CWMP_FAP_LTE = 1,  /**< HeNB: FAPControl.LTE.Gateway */
};

/** @brief Serving elements of one FAPService (read from the tree). @since 0.1 */
struct cwmp_fap_gateways {
    char secgw[3][65];    /**< SecGWServer1..3 (serving SeGW) */
    char fapgw[3][65];    /**< UMTS: FAPGWServer1..3 (serving HNB-GW) */
    uint32_t fapgw_port;  /**< UMTS: FAPGWPort (Iuh) */
    char s1_servers[257]; /**< LTE: S1SigLinkServerList (S1 far end: MME / HeNB-GW) */
    char s1_mode[8];      /**< LTE: S1ConnectionMode ("One" / "All") */
    uint32_t s1_port;     /**< LTE: S1SigLinkPort */
    char hms_url[257];    /**< `<Root>.ManagementServer.URL` (serving HMS / HeMS) */
    int ipsec;            /**< IPsec usage indicator: 1, 0, or -1 when the model has none */
};

/**
 * @brief Reads the serving SeGW / HMS / HNB-GW (UMTS) or S1 far end (LTE) of
 * FAPService @p fap_instance, plus the IPsec usage indicator.
 * @return 0, CWMP_ERR_NOT_FOUND (no such FAPService or RAT subtree).
 * @since 0.1
 */
CWMP_API int cwmp_fap_gateways_get(struct cwmp_dm *dm, uint32_t fap_instance, enum cwmp_fap_rat rat,
                                   struct cwmp_fap_gateways *out);

/**
 * @brief The parameter that carries the seeds' "IPsec usage indicator" in
 * this tree: `Device.IPsec.Enable` (Device:2), else
 * `InternetGatewayDevice.FAP.Tunnel.UseForCWMP` (IGD, TR-196 Issue 2 /
 * TR-262), else `<Root>.Services.FAPService.<n>.Transport.Tunnel.UseForCWMP`
 * (Issue 1). See doc/fap.md.
 * @return the path length, CWMP_ERR_NOT_FOUND, CWMP_ERR_BUFFER.
 * @since 0.1
 */
CWMP_API int cwmp_fap_ipsec_param(struct cwmp_dm *dm, uint32_t fap_instance, char *buf,
                                  size_t size);

#ifdef __cplusplus
}
#endif

#endif /* CWMP_FAP_H */
