/*
 * libcwmp - CWMP (TR-069) library for CPE and ACS.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file cpe.h
 * @brief The CPE agent core: one `struct cwmp_cpe` per device, driving
 * every CWMP session with the ACS. Whole HTTP bodies in, whole HTTP bodies
 * out; time passed in; no sockets, threads or clock.
 *
 * Main loop (see doc/cpe-guide.md):
 * @code
 *   cwmp_cpe_start(cpe, now, CWMP_CPE_START_BOOT);
 *   for (;;) {
 *       cwmp_cpe_handle_timeout(cpe, now);
 *       if (cwmp_cpe_want_session(cpe)) {
 *           cwmp_cpe_session_begin(cpe, now);        // open HTTP(S) to the ACS
 *           while (cwmp_cpe_want_send(cpe)) {
 *               cwmp_cpe_send(cpe, &body, &len);     // len 0: empty POST
 *               ... POST it, read the reply (or call cwmp_cpe_session_abort())
 *               cwmp_cpe_recv(cpe, reply, reply_len); // 0: empty body / 204
 *           }
 *       }
 *       while (cwmp_cpe_next_action(cpe, &action) == 1) ... reboot, transfer, …
 *       sleep until cwmp_cpe_next_deadline(cpe) or a connection request
 *   }
 * @endcode
 *
 * The clock of the engine is the last `now_ms` given to
 * cwmp_cpe_start(), cwmp_cpe_handle_timeout() or cwmp_cpe_session_begin();
 * call cwmp_cpe_handle_timeout() after each blocking wait. Times are
 * wall-clock milliseconds since the Unix epoch (CurrentTime, transfer
 * windows and PeriodicInformTime need wall-clock time).
 */
#ifndef CWMP_CPE_H
#define CWMP_CPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cwmp/common.h>
#include <cwmp/envelope.h>
#include <cwmp/rpc.h>
#include <cwmp/session.h>

#ifdef __cplusplus
extern "C" {
#endif

struct cwmp_dm;

/** @brief The CPE agent (opaque). @since 0.1 */
struct cwmp_cpe;

/** @brief Kinds of persisted records handed to the store. @since 0.1 */
enum cwmp_cpe_record {
    CWMP_CPE_REC_EVENTS = 0,    /**< undelivered events (cwmp_event_queue_save() format) */
    CWMP_CPE_REC_TRANSFERS = 1, /**< the transfer queue (cwmp_transfer_queue_save() format) */
    CWMP_CPE_REC_STATE = 2,     /**< ACS URL, pending reboot CommandKey, scheduled informs */
    CWMP_CPE_REC_REQUESTS = 3,  /**< requests given to cwmp_cpe_submit() not yet answered */
};

/**
 * @brief Application callbacks of a CPE agent. Every member may be NULL.
 * @since 0.1
 */
struct cwmp_cpe_callbacks {
    /**
     * A vendor method (`X_<OUI>_…`) from the ACS. Fill @p resp (kind and
     * method are preset to a response of the same method; set
     * resp->u.vendor) and return 0, or return a CPE fault code (9xxx).
     * Data put in @p resp must stay valid until the callback returns… and
     * until the response is encoded, which happens right after it returns.
     * NULL: answered with 9000.
     */
    int (*vendor_method)(struct cwmp_cpe *cpe, const struct cwmp_rpc *req, struct cwmp_rpc *resp,
                         void *user_data);
    /**
     * ChangeDUState: return 0 to accept (the app later reports with
     * cwmp_cpe_submit() of a DUStateChangeComplete carrying the same
     * CommandKey), or a fault code. NULL: answered with 9000.
     */
    int (*change_du_state)(struct cwmp_cpe *cpe, const struct cwmp_change_du_state *req,
                           void *user_data);
    /**
     * The response (or fault, kind CWMP_RPC_FAULT) to a request the app
     * submitted with cwmp_cpe_submit(). Valid during the call only.
     */
    void (*response)(struct cwmp_cpe *cpe, const struct cwmp_rpc *request,
                     const struct cwmp_rpc *response, void *user_data);
    /** A session ended. @p detail: a CWMP fault code or a negative error, else 0. */
    void (*session_end)(struct cwmp_cpe *cpe, enum cwmp_session_result result, int detail,
                        void *user_data);
    /**
     * Persist a record (replace the previous one of the same kind). Called
     * whenever it changes. Return 0, or non-zero on failure (logged; the
     * agent keeps running from memory).
     */
    int (*save)(enum cwmp_cpe_record kind, const char *data, size_t len, void *user_data);
    /** A random 32-bit number for the retry back-off. NULL: the middle of the range. */
    uint32_t (*random)(void *user_data);
    void *user_data; /**< passed back to every callback */
};

/**
 * @brief Configuration of a CPE agent, copied by cwmp_cpe_new() (the
 * strings and pointed-to objects are not copied: they must outlive the agent).
 * Zero-initialise and set what you need.
 * @since 0.1
 */
struct cwmp_cpe_config {
    const struct cwmp_allocator *allocator; /**< NULL = C library */
    cwmp_log_fn log;                        /**< optional */
    void *log_user_data;
    cwmp_trace_fn trace; /**< optional: every message sent and received */
    void *trace_user_data;
    const struct cwmp_cpe_callbacks *callbacks; /**< optional */
    /** The data model answering parameter RPCs and giving the Inform
     *  ParameterList; NULL: parameter RPCs are answered with 9000. */
    struct cwmp_dm *dm;
    struct cwmp_device_id device_id; /**< DeviceId of the Inform (mandatory) */
    /** Highest version to offer; used only when @ref limit_version is set (else 1.4). */
    enum cwmp_version max_version;
    bool limit_version;         /**< use @ref max_version */
    uint32_t session_timeout_s; /**< wait for the ACS per message; 0 = 30 */
    uint32_t retry_min_wait_s;  /**< CWMPRetryMinimumWaitInterval; 0 = 5 */
    uint32_t retry_multiplier;  /**< CWMPRetryIntervalMultiplier; 0 = 2000 */
    size_t max_events;          /**< event queue size; 0 = 64 */
    size_t max_transfers;       /**< transfer queue size; 0 = 16 */
    size_t max_submitted;       /**< queued CPE requests; 0 = 16 */
    /** Codec limits for ACS bodies; NULL = defaults (the allocator above is used). */
    const struct cwmp_codec_options *codec;
};

/**
 * @brief Creates an agent (idle, nothing queued). Follow with
 * cwmp_cpe_restore() for each stored record, then cwmp_cpe_start().
 * @return 0, CWMP_ERR_NOMEM, CWMP_ERR_INVALID_ARG (missing DeviceId).
 * @since 0.1
 */
CWMP_API int cwmp_cpe_new(struct cwmp_cpe **out, const struct cwmp_cpe_config *cfg);
/** @brief Frees the agent; NULL accepted. @since 0.1 */
CWMP_API void cwmp_cpe_free(struct cwmp_cpe *cpe);

/**
 * @brief Restores a record saved through the `save` callback.
 * @return 0, CWMP_ERR_PARSE (record ignored), CWMP_ERR_NOMEM.
 * @since 0.1
 */
CWMP_API int cwmp_cpe_restore(struct cwmp_cpe *cpe, enum cwmp_cpe_record kind, const char *data,
                              size_t len);

/** @brief Flags of cwmp_cpe_start(). @since 0.1 */
enum cwmp_cpe_start_flags {
    CWMP_CPE_START_BOOT = 1, /**< the device (re)booted: 1 BOOT, reboot retention policy */
};

/**
 * @brief Starts the agent at @p now_ms: applies the reboot policy to the
 * restored queues, queues 1 BOOT (and M Reboot when a Reboot RPC caused
 * the restart), 0 BOOTSTRAP when no ACS was ever contacted or the ACS URL
 * changed, and reads the ManagementServer parameters from the data model.
 * @return 0 or CWMP_ERR_NOMEM.
 * @since 0.1
 */
CWMP_API int cwmp_cpe_start(struct cwmp_cpe *cpe, int64_t now_ms, unsigned flags);

/**
 * @brief Sets the ACS URL (ManagementServer.URL). A different URL than the
 * last one contacted discards undelivered events and queues 0 BOOTSTRAP.
 * Read automatically from the data model at start and after each session
 * when a data model is configured.
 * @return 0, CWMP_ERR_NOMEM.
 * @since 0.1
 */
CWMP_API int cwmp_cpe_set_acs_url(struct cwmp_cpe *cpe, const char *url);

/**
 * @brief Periodic Inform settings (PeriodicInformEnable/Interval/Time).
 * Read from the data model at start and after each session when one is
 * configured.
 * @param time_ms PeriodicInformTime (ms since epoch); ignored unless @p has_time
 * @since 0.1
 */
CWMP_API void cwmp_cpe_set_periodic(struct cwmp_cpe *cpe, bool enable, uint32_t interval_s,
                                    int64_t time_ms, bool has_time);

/* ---- triggers ---------------------------------------------------------- */

/** @brief A valid connection request arrived: 6 CONNECTION REQUEST, session now. @since 0.1 */
CWMP_API int cwmp_cpe_connection_request(struct cwmp_cpe *cpe);
/**
 * @brief Checks the data model for value changes (cwmp_dm_poll()): an
 * active change wants a session now, passive ones ride on the next Inform.
 * @return the cwmp_dm_change_flags found (≥ 0) or a negative error.
 * @since 0.1
 */
CWMP_API int cwmp_cpe_check_changes(struct cwmp_cpe *cpe);
/**
 * @brief Queues an event and asks for a session now (app-requested
 * session: e.g. 8 DIAGNOSTICS COMPLETE, X <OUI> <event>, 13 WAKEUP).
 * @return as cwmp_event_queue_add().
 * @since 0.1
 */
CWMP_API int cwmp_cpe_request_session(struct cwmp_cpe *cpe, enum cwmp_event_code code,
                                      const char *arg, const char *command_key);
/**
 * @brief Queues a request of the CPE to the ACS (GetRPCMethods,
 * RequestDownload, Kicked, AutonomousTransferComplete,
 * DUStateChangeComplete, AutonomousDUStateChangeComplete) with the event
 * that announces it (9, 5, 10, 11 + M ChangeDUState, 12), and asks for a
 * session. @p req is copied. The answer comes to the `response` callback.
 * @return 0, CWMP_ERR_LIMIT (queue full), CWMP_ERR_INVALID_ARG (not a CPE
 * request), CWMP_ERR_NOMEM.
 * @since 0.1
 */
CWMP_API int cwmp_cpe_submit(struct cwmp_cpe *cpe, const struct cwmp_rpc *req);

/* ---- the session -------------------------------------------------------- */

/** @brief True when the agent wants a session now (idle, events queued, no retry wait). @since 0.1
 */
CWMP_API bool cwmp_cpe_want_session(const struct cwmp_cpe *cpe);
/**
 * @brief Starts a session (the app has a connection to the ACS).
 * @return 0, CWMP_ERR_STATE (a session is running), CWMP_ERR_NOMEM.
 * @since 0.1
 */
CWMP_API int cwmp_cpe_session_begin(struct cwmp_cpe *cpe, int64_t now_ms);
/** @brief True when the next step is cwmp_cpe_send(). @since 0.1 */
CWMP_API bool cwmp_cpe_want_send(const struct cwmp_cpe *cpe);
/**
 * @brief The next body to POST. @p *len 0 means an empty POST. The buffer
 * belongs to the agent and is valid until the next call on it.
 * @return 0, CWMP_ERR_STATE (not our turn), CWMP_ERR_NOMEM (fatal for the
 * session, which fails), other negative errors.
 * @since 0.1
 */
CWMP_API int cwmp_cpe_send(struct cwmp_cpe *cpe, const char **out, size_t *len);
/**
 * @brief The ACS's reply to the last POST (len 0: empty body / 204).
 * @return 0 (the session goes on or ended normally: see
 * cwmp_cpe_session_active()); CWMP_ERR_PROTOCOL (the session failed);
 * CWMP_ERR_STATE (nothing was sent); CWMP_ERR_NOMEM.
 * @since 0.1
 */
CWMP_API int cwmp_cpe_recv(struct cwmp_cpe *cpe, const char *body, size_t len);
/**
 * @brief The transport failed: the session fails (events kept per policy,
 * retry scheduled).
 * @since 0.1
 */
CWMP_API void cwmp_cpe_session_abort(struct cwmp_cpe *cpe);
/** @brief True while a session runs. @since 0.1 */
CWMP_API bool cwmp_cpe_session_active(const struct cwmp_cpe *cpe);
/** @brief Result of the last finished session. @since 0.1 */
CWMP_API enum cwmp_session_result cwmp_cpe_last_result(const struct cwmp_cpe *cpe);
/** @brief The CWMP version used by the current/last session. @since 0.1 */
CWMP_API enum cwmp_version cwmp_cpe_version(const struct cwmp_cpe *cpe);
/** @brief Retry count (RetryCount of the next Inform). @since 0.1 */
CWMP_API uint32_t cwmp_cpe_retry_count(const struct cwmp_cpe *cpe);

/* ---- time --------------------------------------------------------------- */

/** @brief Next time cwmp_cpe_handle_timeout() has work; -1 when none. @since 0.1 */
CWMP_API int64_t cwmp_cpe_next_deadline(const struct cwmp_cpe *cpe);
/**
 * @brief Advances the agent's clock: session timeout, retry wait, periodic
 * and scheduled informs, transfer windows.
 * @return 0, or CWMP_ERR_TIMEOUT when a running session timed out (it failed).
 * @since 0.1
 */
CWMP_API int cwmp_cpe_handle_timeout(struct cwmp_cpe *cpe, int64_t now_ms);

/* ---- actions -------------------------------------------------------------- */

/** @brief What the app must do outside a session. @since 0.1 */
enum cwmp_cpe_action_kind {
    CWMP_CPE_ACTION_NONE = 0,
    CWMP_CPE_ACTION_REBOOT = 1,        /**< reboot now (state already persisted) */
    CWMP_CPE_ACTION_FACTORY_RESET = 2, /**< reset to factory defaults, wipe the store, reboot */
    CWMP_CPE_ACTION_TRANSFER = 3,      /**< run the transfer, then cwmp_cpe_transfer_done() */
};

/** @brief An action. Strings are valid until the next call on the agent. @since 0.1 */
struct cwmp_cpe_action {
    enum cwmp_cpe_action_kind kind;
    const char *command_key;       /**< Reboot CommandKey */
    struct cwmp_transfer transfer; /**< CWMP_CPE_ACTION_TRANSFER */
};

/**
 * @brief The next action, only between sessions. Reboot and FactoryReset
 * come only after the session that asked for them ended. A transfer is
 * handed out once (it is then in progress).
 *
 * A Reboot or FactoryReset stays pending — every call returns it again —
 * until the device really restarts (a new agent restored from the store):
 * the application MUST act on it rather than loop on this function. Its
 * state is already persisted when it is handed out.
 * @return 1 with @p out filled, 0 when there is nothing to do.
 * @since 0.1
 */
CWMP_API int cwmp_cpe_next_action(struct cwmp_cpe *cpe, struct cwmp_cpe_action *out);
/**
 * @brief Result of a transfer: queues its TransferComplete with
 * 7 TRANSFER COMPLETE and M Download/Upload/ScheduleDownload.
 * @param fault_code 0 on success, else 9010-9020
 * @param fault_string NULL = standard text
 * @return 0, CWMP_ERR_NOT_FOUND, CWMP_ERR_NOMEM.
 * @since 0.1
 */
CWMP_API int cwmp_cpe_transfer_done(struct cwmp_cpe *cpe, uint32_t id, uint32_t fault_code,
                                    const char *fault_string, int64_t start_ms,
                                    int64_t complete_ms);

/** @brief The agent's event queue (read-only view). @since 0.1 */
CWMP_API const struct cwmp_event_queue *cwmp_cpe_events(const struct cwmp_cpe *cpe);
/** @brief The agent's transfer queue (read-only view). @since 0.1 */
CWMP_API const struct cwmp_transfer_queue *cwmp_cpe_transfers(const struct cwmp_cpe *cpe);
/** @brief Detail of the last error or failure; never NULL. @since 0.1 */
CWMP_API const char *cwmp_cpe_error_detail(const struct cwmp_cpe *cpe);

#ifdef __cplusplus
}
#endif

#endif /* CWMP_CPE_H */
