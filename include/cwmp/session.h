/*
 * libcwmp - CWMP (TR-069) library for CPE and ACS.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file session.h
 * @brief Building blocks shared by the CPE and ACS session engines: Inform
 * event codes and the event queue (TR-069 Amendment 6 retention policy), the
 * session retry back-off (TR-069 §3.2.1.1), the periodic Inform schedule, the
 * CPE transfer queue and the ACS per-device task queue.
 *
 * Everything here is pure or works on an object owned by the caller: no
 * clock (time is an argument), no randomness (a random number is an
 * argument), no I/O. Persistence is a byte string the caller stores and
 * hands back after a restart.
 */
#ifndef CWMP_SESSION_H
#define CWMP_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cwmp/common.h>
#include <cwmp/error.h>
#include <cwmp/envelope.h>
#include <cwmp/rpc.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================== */
/* Events                                                                   */
/* ======================================================================== */

/**
 * @brief Inform event codes (TR-069 Table 7). The numeric values 0..14 are
 * the numbers of the standard codes; CWMP_EVENT_METHOD is "M <Method>" and
 * CWMP_EVENT_VENDOR is "X <OUI> <event>".
 * @since 0.1
 */
enum cwmp_event_code {
    CWMP_EVENT_BOOTSTRAP = 0,
    CWMP_EVENT_BOOT = 1,
    CWMP_EVENT_PERIODIC = 2,
    CWMP_EVENT_SCHEDULED = 3,
    CWMP_EVENT_VALUE_CHANGE = 4,
    CWMP_EVENT_KICKED = 5,
    CWMP_EVENT_CONNECTION_REQUEST = 6,
    CWMP_EVENT_TRANSFER_COMPLETE = 7,
    CWMP_EVENT_DIAGNOSTICS_COMPLETE = 8,
    CWMP_EVENT_REQUEST_DOWNLOAD = 9,
    CWMP_EVENT_AUTONOMOUS_TRANSFER_COMPLETE = 10,
    CWMP_EVENT_DU_STATE_CHANGE_COMPLETE = 11,
    CWMP_EVENT_AUTONOMOUS_DU_STATE_CHANGE_COMPLETE = 12,
    CWMP_EVENT_WAKEUP = 13,
    CWMP_EVENT_HEARTBEAT = 14,
    CWMP_EVENT_METHOD = 100, /**< "M <Method>", argument = method name */
    CWMP_EVENT_VENDOR = 101, /**< "X <OUI> <event>", argument = "<OUI> <event>" */
};

/**
 * @brief Which successful response completes the delivery of an event
 * (TR-069 §3.7.1.5). Until then the event stays queued.
 * @since 0.1
 */
enum cwmp_event_ack {
    CWMP_ACK_INFORM = 0,                       /**< InformResponse */
    CWMP_ACK_TRANSFER_COMPLETE = 1,            /**< TransferCompleteResponse */
    CWMP_ACK_KICKED = 2,                       /**< KickedResponse */
    CWMP_ACK_REQUEST_DOWNLOAD = 3,             /**< RequestDownloadResponse */
    CWMP_ACK_AUTONOMOUS_TRANSFER_COMPLETE = 4, /**< AutonomousTransferCompleteResponse */
    CWMP_ACK_DU_STATE_CHANGE_COMPLETE = 5,     /**< DUStateChangeCompleteResponse */
    CWMP_ACK_AUTONOMOUS_DU_STATE_CHANGE_COMPLETE =
        6, /**< AutonomousDUStateChangeCompleteResponse */
};

/**
 * @brief Delivery policy of one event code.
 * @since 0.1
 */
struct cwmp_event_policy {
    bool cumulative;         /**< several instances may be queued (one per CommandKey/argument) */
    bool keep_on_failure;    /**< survives a failed session and is redelivered */
    bool keep_on_reboot;     /**< survives a reboot (persisted) */
    enum cwmp_event_ack ack; /**< the response that completes delivery */
};

/**
 * @brief The policy of an event code. For CWMP_EVENT_METHOD the method
 * name decides the acknowledgement (Download/Upload/ScheduleDownload wait
 * for TransferCompleteResponse, ChangeDUState for
 * DUStateChangeCompleteResponse). Unknown codes get a conservative policy
 * (single, kept on failure, dropped on reboot, InformResponse).
 * @param code   the event code
 * @param method method name for CWMP_EVENT_METHOD, else ignored; may be NULL
 * @param out    receives the policy
 * @since 0.1
 */
CWMP_API void cwmp_event_get_policy(enum cwmp_event_code code, const char *method,
                                    struct cwmp_event_policy *out);

/**
 * @brief Writes the EventCode text ("0 BOOTSTRAP", "M Reboot",
 * "X 00256D MyEvent") into @p buf.
 * @param arg method name (M) or "OUI event" (X); ignored otherwise
 * @return the length written (without NUL), CWMP_ERR_BUFFER when it does not
 * fit, CWMP_ERR_INVALID_ARG for an unknown code or a missing argument.
 * @since 0.1
 */
CWMP_API int cwmp_event_format(enum cwmp_event_code code, const char *arg, char *buf, size_t size);

/**
 * @brief Parses an EventCode text. Standard codes must match exactly;
 * "M <Method>" needs a non-empty method name; "X <OUI> <event>" needs six
 * upper-case hex digits, a space and a non-empty event name.
 * @param s,len     the text (need not be NUL-terminated)
 * @param code      receives the code
 * @param arg       receives a pointer into @p s to the argument (M/X), or NULL
 * @param arg_len   receives the argument length (0 for standard codes)
 * @return 0 or CWMP_ERR_BAD_VALUE.
 * @since 0.1
 */
CWMP_API int cwmp_event_parse(const char *s, size_t len, enum cwmp_event_code *code,
                              const char **arg, size_t *arg_len);

/**
 * @brief One queued event as seen through cwmp_event_queue_get().
 * Strings belong to the queue and stay valid until the queue changes.
 * @since 0.1
 */
struct cwmp_queued_event {
    enum cwmp_event_code code;
    const char *arg;         /**< method (M) or "OUI event" (X); "" otherwise */
    const char *command_key; /**< CommandKey ("" when none) */
    bool in_flight;          /**< sent in the Inform of the current session */
};

/**
 * @brief The CPE's queue of undelivered events.
 *
 * Single events are merged (adding "4 VALUE CHANGE" twice keeps one);
 * cumulative ones (M, X) are kept once per (argument, CommandKey). At the
 * start of a session cwmp_event_queue_begin() marks every queued event as
 * in flight; cwmp_event_queue_ack() removes the in-flight events completed
 * by a response; cwmp_event_queue_failed() applies the failed-session policy
 * (in-flight events lose that mark and are kept or discarded).
 * @since 0.1
 */
struct cwmp_event_queue;

/**
 * @brief Creates an empty event queue.
 * @param out        receives the queue (free with cwmp_event_queue_free())
 * @param alloc      allocator; NULL = C library
 * @param max_events maximum number of queued events (0 = 64)
 * @return 0 or CWMP_ERR_NOMEM.
 * @since 0.1
 */
CWMP_API int cwmp_event_queue_new(struct cwmp_event_queue **out, const struct cwmp_allocator *alloc,
                                  size_t max_events);
/** @brief Frees the queue; NULL is accepted. @since 0.1 */
CWMP_API void cwmp_event_queue_free(struct cwmp_event_queue *q);

/**
 * @brief Queues an event (merging single events).
 * @param arg         method name (M) or "OUI event" (X); NULL otherwise
 * @param command_key CommandKey; NULL = ""
 * @return 0; CWMP_ERR_INVALID_ARG for an unknown code or a missing
 * argument; CWMP_ERR_LIMIT when the queue is full; CWMP_ERR_NOMEM.
 * @since 0.1
 */
CWMP_API int cwmp_event_queue_add(struct cwmp_event_queue *q, enum cwmp_event_code code,
                                  const char *arg, const char *command_key);
/** @brief Number of queued events. @since 0.1 */
CWMP_API size_t cwmp_event_queue_count(const struct cwmp_event_queue *q);
/**
 * @brief The event at @p index (0-based, in queue order).
 * @return 0 or CWMP_ERR_NOT_FOUND.
 * @since 0.1
 */
CWMP_API int cwmp_event_queue_get(const struct cwmp_event_queue *q, size_t index,
                                  struct cwmp_queued_event *out);
/** @brief True when an event with this code (and argument for M/X, NULL = any) is queued. @since
 * 0.1 */
CWMP_API bool cwmp_event_queue_has(const struct cwmp_event_queue *q, enum cwmp_event_code code,
                                   const char *arg);
/**
 * @brief Removes every queued event with this code (and argument for M/X;
 * NULL = any argument).
 * @return the number removed.
 * @since 0.1
 */
CWMP_API size_t cwmp_event_queue_remove(struct cwmp_event_queue *q, enum cwmp_event_code code,
                                        const char *arg);
/** @brief Marks every queued event as sent in this session's Inform. @since 0.1 */
CWMP_API void cwmp_event_queue_begin(struct cwmp_event_queue *q);
/**
 * @brief A response of kind @p ack was received: removes the in-flight
 * events it completes.
 * @return the number of events removed.
 * @since 0.1
 */
CWMP_API size_t cwmp_event_queue_ack(struct cwmp_event_queue *q, enum cwmp_event_ack ack);
/**
 * @brief The session failed: discards in-flight events that must not be
 * redelivered (6 CONNECTION REQUEST) and clears the in-flight marks.
 * @since 0.1
 */
CWMP_API void cwmp_event_queue_failed(struct cwmp_event_queue *q);
/** @brief The session ended: clears the in-flight marks of what is left. @since 0.1 */
CWMP_API void cwmp_event_queue_end(struct cwmp_event_queue *q);
/** @brief Applies the reboot policy: drops events not kept on reboot. @since 0.1 */
CWMP_API void cwmp_event_queue_reboot(struct cwmp_event_queue *q);
/**
 * @brief The ACS URL changed: every undelivered event is discarded and
 * 0 BOOTSTRAP is queued.
 * @return 0 or CWMP_ERR_NOMEM.
 * @since 0.1
 */
CWMP_API int cwmp_event_queue_new_acs(struct cwmp_event_queue *q);
/** @brief Removes every event. @since 0.1 */
CWMP_API void cwmp_event_queue_clear(struct cwmp_event_queue *q);

/**
 * @brief Serializes the queue for the app's store (a compact text, one
 * event per line). The buffer is allocated with the queue's allocator;
 * release it with cwmp_session_buffer_free().
 * @return 0 or CWMP_ERR_NOMEM.
 * @since 0.1
 */
CWMP_API int cwmp_event_queue_save(const struct cwmp_event_queue *q, char **data, size_t *len);
/**
 * @brief Adds the events of a saved queue (hostile input is refused
 * cleanly: CWMP_ERR_PARSE and the queue unchanged).
 * @return 0, CWMP_ERR_PARSE, CWMP_ERR_LIMIT or CWMP_ERR_NOMEM.
 * @since 0.1
 */
CWMP_API int cwmp_event_queue_load(struct cwmp_event_queue *q, const char *data, size_t len);

/**
 * @brief Frees a buffer handed out by a `_save` function.
 * @param alloc the allocator of the object that produced it (NULL = C library)
 * @since 0.1
 */
CWMP_API void cwmp_session_buffer_free(const struct cwmp_allocator *alloc, char *data);

/* ======================================================================== */
/* Timing                                                                   */
/* ======================================================================== */

/** @brief Default CWMPRetryMinimumWaitInterval, seconds. @since 0.1 */
#define CWMP_RETRY_MIN_WAIT_DEFAULT 5u
/** @brief Default CWMPRetryIntervalMultiplier (per mille: 2000 = 2.0). @since 0.1 */
#define CWMP_RETRY_MULTIPLIER_DEFAULT 2000u

/**
 * @brief The wait interval range of session retry number @p retry_count
 * (TR-069 §3.2.1.1): [m·(k/1000)^(n−1), m·(k/1000)^n] seconds, with n
 * capped at 10 (later retries reuse the 10th range).
 * @param retry_count     1 for the first retry after a failed session; 0 gives [0, 0]
 * @param min_wait_s      CWMPRetryMinimumWaitInterval (1..65535; 0 = default)
 * @param multiplier      CWMPRetryIntervalMultiplier (1000..65535; 0 = default)
 * @param lo_ms,hi_ms     receive the bounds in milliseconds
 * @since 0.1
 */
CWMP_API void cwmp_retry_range(uint32_t retry_count, uint32_t min_wait_s, uint32_t multiplier,
                               int64_t *lo_ms, int64_t *hi_ms);
/**
 * @brief The wait before retry @p retry_count: a point of
 * cwmp_retry_range() chosen by the caller-supplied @p random number
 * (uniform when @p random is).
 * @return milliseconds.
 * @since 0.1
 */
CWMP_API int64_t cwmp_retry_wait_ms(uint32_t retry_count, uint32_t min_wait_s, uint32_t multiplier,
                                    uint32_t random);

/**
 * @brief Next periodic Inform time strictly after @p now_ms, aligned to
 * @p ref_ms (PeriodicInformTime) so that informs happen at ref + k·interval.
 * @param now_ms      current wall-clock time (ms since the Unix epoch)
 * @param interval_s  PeriodicInformInterval (≥ 1)
 * @param ref_ms      PeriodicInformTime in ms since the epoch
 * @param has_ref     false when PeriodicInformTime is the Unknown Time: the
 *                    schedule is then now + interval
 * @return the time in ms, or -1 when @p interval_s is 0.
 * @since 0.1
 */
CWMP_API int64_t cwmp_periodic_next(int64_t now_ms, uint32_t interval_s, int64_t ref_ms,
                                    bool has_ref);

/* ======================================================================== */
/* Transfer queue (CPE)                                                     */
/* ======================================================================== */

/** @brief Kind of a queued file transfer. @since 0.1 */
enum cwmp_transfer_kind {
    CWMP_TRANSFER_DOWNLOAD = 0,          /**< Download */
    CWMP_TRANSFER_UPLOAD = 1,            /**< Upload */
    CWMP_TRANSFER_SCHEDULE_DOWNLOAD = 2, /**< ScheduleDownload (time windows) */
};

/** @brief TransferState of Get(All)QueuedTransfers. @since 0.1 */
enum cwmp_transfer_state {
    CWMP_TRANSFER_NOT_STARTED = 1,
    CWMP_TRANSFER_IN_PROGRESS = 2,
    CWMP_TRANSFER_COMPLETED = 3, /**< done, TransferComplete not yet acknowledged */
};

/**
 * @brief A queued transfer as seen by the app. Strings belong to the queue
 * and stay valid until the transfer is removed or the queue changes shape
 * (add/remove/load); copy what you keep.
 * @since 0.1
 */
struct cwmp_transfer {
    uint32_t id; /**< queue-assigned, never reused in a queue's life */
    enum cwmp_transfer_kind kind;
    enum cwmp_transfer_state state;
    const char *command_key;
    const char *file_type;
    const char *url;
    const char *username;
    const char *password;
    const char *target_file_name;
    const char *success_url;
    const char *failure_url;
    uint32_t file_size;
    int64_t not_before_ms;    /**< wall clock: earliest start (delay or window start) */
    int64_t not_after_ms;     /**< wall clock: latest start (window end); 0 = none */
    int64_t window2_start_ms; /**< second window of a ScheduleDownload (0 = none) */
    int64_t window2_end_ms;
    uint32_t fault_code;      /**< result: 0 success, else 9xxx */
    const char *fault_string; /**< result text ("" on success) */
    int64_t start_time_ms;    /**< result: StartTime (0 = unknown) */
    int64_t complete_time_ms; /**< result: CompleteTime (0 = unknown) */
};

/** @brief The CPE's queue of file transfers (opaque). @since 0.1 */
struct cwmp_transfer_queue;

/**
 * @brief Creates a queue.
 * @param max_transfers maximum queued transfers (0 = 16, the TR-069 minimum)
 * @return 0 or CWMP_ERR_NOMEM.
 * @since 0.1
 */
CWMP_API int cwmp_transfer_queue_new(struct cwmp_transfer_queue **out,
                                     const struct cwmp_allocator *alloc, size_t max_transfers);
/** @brief Frees the queue; NULL accepted. @since 0.1 */
CWMP_API void cwmp_transfer_queue_free(struct cwmp_transfer_queue *q);

/**
 * @brief Queues a Download received at @p now_ms (starts after DelaySeconds).
 * @return 0 (and *id), or a CWMP fault: 9004 when the queue is full, 9003
 * for missing/invalid arguments; CWMP_ERR_NOMEM.
 * @since 0.1
 */
CWMP_API int cwmp_transfer_queue_add_download(struct cwmp_transfer_queue *q,
                                              const struct cwmp_download *req, int64_t now_ms,
                                              uint32_t *id);
/** @brief Queues an Upload, as cwmp_transfer_queue_add_download(). @since 0.1 */
CWMP_API int cwmp_transfer_queue_add_upload(struct cwmp_transfer_queue *q,
                                            const struct cwmp_upload *req, int64_t now_ms,
                                            uint32_t *id);
/**
 * @brief Queues a ScheduleDownload: 1 or 2 time windows, each with start <
 * end, the second starting at or after the end of the first (else 9003).
 * @since 0.1
 */
CWMP_API int cwmp_transfer_queue_add_schedule_download(struct cwmp_transfer_queue *q,
                                                       const struct cwmp_schedule_download *req,
                                                       int64_t now_ms, uint32_t *id);
/**
 * @brief CancelTransfer: removes the not-yet-started transfers with this
 * CommandKey.
 * @return 0; 9021 when one is in progress or completed; 9003 when none has
 * that CommandKey.
 * @since 0.1
 */
CWMP_API int cwmp_transfer_queue_cancel(struct cwmp_transfer_queue *q, const char *command_key);
/** @brief Number of transfers (every state). @since 0.1 */
CWMP_API size_t cwmp_transfer_queue_count(const struct cwmp_transfer_queue *q);
/** @brief The transfer at @p index (queue order). @return 0 or CWMP_ERR_NOT_FOUND. @since 0.1 */
CWMP_API int cwmp_transfer_queue_get(const struct cwmp_transfer_queue *q, size_t index,
                                     struct cwmp_transfer *out);
/** @brief The transfer with this id. @return 0 or CWMP_ERR_NOT_FOUND. @since 0.1 */
CWMP_API int cwmp_transfer_queue_find(const struct cwmp_transfer_queue *q, uint32_t id,
                                      struct cwmp_transfer *out);
/**
 * @brief A transfer that may start now: not started and @p now_ms inside
 * its window. Windows that passed without a start complete the transfer
 * with fault 9020 (ScheduleDownload) first.
 * @return 0 with *out filled, or CWMP_ERR_NOT_FOUND when none is due.
 * @since 0.1
 */
CWMP_API int cwmp_transfer_queue_due(struct cwmp_transfer_queue *q, int64_t now_ms,
                                     struct cwmp_transfer *out);
/** @brief Earliest time a not-started transfer becomes due or expires; -1 when none. @since 0.1 */
CWMP_API int64_t cwmp_transfer_queue_next_deadline(const struct cwmp_transfer_queue *q);
/** @brief Marks a transfer as in progress (StartTime = @p now_ms). @since 0.1 */
CWMP_API int cwmp_transfer_queue_start(struct cwmp_transfer_queue *q, uint32_t id, int64_t now_ms);
/**
 * @brief Records the result of a transfer; it becomes COMPLETED and waits
 * for its TransferComplete to be acknowledged.
 * @param fault_code   0 on success, else a 9xxx fault
 * @param fault_string NULL = the standard text of the code ("" on success)
 * @return 0, CWMP_ERR_NOT_FOUND, CWMP_ERR_NOMEM.
 * @since 0.1
 */
CWMP_API int cwmp_transfer_queue_complete(struct cwmp_transfer_queue *q, uint32_t id,
                                          uint32_t fault_code, const char *fault_string,
                                          int64_t start_ms, int64_t complete_ms);
/** @brief First completed transfer awaiting TransferComplete. @return 0 or CWMP_ERR_NOT_FOUND.
 * @since 0.1 */
CWMP_API int cwmp_transfer_queue_next_completed(const struct cwmp_transfer_queue *q,
                                                struct cwmp_transfer *out);
/** @brief Removes a transfer (its TransferComplete was acknowledged). @since 0.1 */
CWMP_API int cwmp_transfer_queue_remove(struct cwmp_transfer_queue *q, uint32_t id);
/** @brief After a reboot: transfers in progress are completed with 9010/9011 (interrupted). @since
 * 0.1 */
CWMP_API void cwmp_transfer_queue_reboot(struct cwmp_transfer_queue *q, int64_t now_ms);
/** @brief Serializes the queue (see cwmp_event_queue_save()). @since 0.1 */
CWMP_API int cwmp_transfer_queue_save(const struct cwmp_transfer_queue *q, char **data,
                                      size_t *len);
/** @brief Adds the transfers of a saved queue; CWMP_ERR_PARSE leaves it unchanged. @since 0.1 */
CWMP_API int cwmp_transfer_queue_load(struct cwmp_transfer_queue *q, const char *data, size_t len);

/* ======================================================================== */
/* Shared by both engines: session outcome and the trace hook               */
/* ======================================================================== */

/** @brief How a session ended. @since 0.1 */
enum cwmp_session_result {
    CWMP_SESSION_OK = 0,       /**< ended normally (empty bodies both ways) */
    CWMP_SESSION_ABORTED = 1,  /**< the app aborted it (e.g. HTTP/TLS failure) */
    CWMP_SESSION_TIMEOUT = 2,  /**< the peer was silent longer than the session timeout */
    CWMP_SESSION_PROTOCOL = 3, /**< the peer broke the protocol (bad body, wrong message) */
    CWMP_SESSION_FAULT = 4,    /**< Inform answered (or rejected) with a fault */
    CWMP_SESSION_INTERNAL = 5, /**< out of memory or another library error */
};

/** @brief Text of a session result ("ok", "timeout", …); never NULL. @since 0.1 */
CWMP_API const char *cwmp_session_result_string(enum cwmp_session_result r);

/** @brief Direction of a traced message. @since 0.1 */
enum cwmp_trace_dir {
    CWMP_TRACE_SENT = 0,
    CWMP_TRACE_RECEIVED = 1,
};

/**
 * @brief One message as seen by the trace hook. Everything is valid only
 * during the call.
 * @since 0.1
 */
struct cwmp_trace {
    enum cwmp_trace_dir dir;
    bool empty;                /**< an empty body (empty POST / 204) */
    enum cwmp_rpc_kind kind;   /**< request, response or fault (when !empty) */
    enum cwmp_method method;   /**< the method (CWMP_METHOD_UNKNOWN for faults) */
    const char *method_name;   /**< wire name ("Inform", "X_…", "Fault", "") */
    const char *id;            /**< cwmp:ID or NULL */
    const char *const *events; /**< Inform: the EventCodes */
    size_t event_count;
    size_t param_count;  /**< parameters / names carried, when the method has any */
    uint32_t fault_code; /**< fault messages and TransferComplete FaultCode */
    bool hold_requests;  /**< the HoldRequests header was true */
    size_t bytes;        /**< size of the body */
    const struct cwmp_envelope *envelope; /**< the full message, NULL when empty */
};

/** @brief Trace hook of both engines. @since 0.1 */
typedef void (*cwmp_trace_fn)(const struct cwmp_trace *t, void *user_data);

#ifdef __cplusplus
}
#endif

#endif /* CWMP_SESSION_H */
