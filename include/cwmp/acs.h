/*
 * libcwmp - CWMP (TR-069) library for CPE and ACS.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file acs.h
 * @brief The ACS session engine: one small `struct cwmp_acs_session` per
 * incoming CPE session (one HTTP connection or cookie-tracked exchange),
 * all sharing one immutable `struct cwmp_acs_config`; and the per-device
 * task queue helper.
 *
 * The ACS is the HTTP server: every POST body from the CPE goes to
 * cwmp_acs_session_recv(), then cwmp_acs_session_send() gives the body of
 * the HTTP response (length 0: an empty body, e.g. 204 No Content). The
 * session ends after the ACS sends its final empty body
 * (cwmp_acs_session_done()).
 */
#ifndef CWMP_ACS_H
#define CWMP_ACS_H

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

/** @brief One CPE session on the ACS side (opaque). @since 0.1 */
struct cwmp_acs_session;

/**
 * @brief A request the app wants sent to the CPE, filled by the
 * `next_request` callback.
 * @since 0.1
 */
struct cwmp_acs_request {
    struct cwmp_rpc rpc; /**< kind CWMP_RPC_REQUEST; data must stay valid until the callback
                              returns (it is encoded right after) */
    uint64_t tag;        /**< app value handed back with the response (e.g. a task id) */
};

/**
 * @brief Callbacks of the ACS engine. Data passed in is valid during the
 * call only. Every member may be NULL.
 * @since 0.1
 */
struct cwmp_acs_callbacks {
    /**
     * The Inform arrived. Return 0 to accept (an InformResponse is sent),
     * or an ACS fault code (8000-8006, 8800-8899) to reject it: the fault
     * is sent and the session ends. The app may call
     * cwmp_acs_session_set_hold_requests() and cwmp_acs_session_set_user()
     * from here. NULL: every Inform is accepted.
     */
    int (*inform)(struct cwmp_acs_session *s, const struct cwmp_envelope *inform, void *user_data);
    /**
     * A CPE request (TransferComplete, AutonomousTransferComplete,
     * RequestDownload, Kicked, DUStateChangeComplete,
     * AutonomousDUStateChangeComplete, GetRPCMethods, vendor). Return 0
     * (the engine sends the response, with @p resp filled by the app where
     * the response has arguments: Kicked, vendor) or a fault code (e.g.
     * 8005 to have the CPE retry). NULL: every request is acknowledged
     * (GetRPCMethods gets the ACS method list).
     */
    int (*cpe_request)(struct cwmp_acs_session *s, const struct cwmp_rpc *req,
                       struct cwmp_rpc *resp, void *user_data);
    /**
     * The CPE is ready for requests. Fill @p req and return 1 to send it, or
     * return 0 to end the session (empty body). NULL: nothing to send.
     */
    int (*next_request)(struct cwmp_acs_session *s, struct cwmp_acs_request *req, void *user_data);
    /**
     * The response (or fault, kind CWMP_RPC_FAULT) to a request the app
     * sent, matched by cwmp:ID; @p tag as given in next_request.
     */
    void (*response)(struct cwmp_acs_session *s, uint64_t tag, const struct cwmp_rpc *resp,
                     void *user_data);
    /** The session ended; @p detail: a fault code or a negative error, else 0. */
    void (*session_end)(struct cwmp_acs_session *s, enum cwmp_session_result result, int detail,
                        void *user_data);
    void *user_data; /**< passed back to every callback */
};

/**
 * @brief ACS configuration, shared (not copied) by every session created
 * with it: it MUST stay valid and unchanged while any session lives.
 * Zero-initialise and set what you need.
 * @since 0.1
 */
struct cwmp_acs_config {
    const struct cwmp_allocator *allocator; /**< NULL = C library */
    cwmp_log_fn log;
    void *log_user_data;
    cwmp_trace_fn trace;
    void *trace_user_data;
    const struct cwmp_acs_callbacks *callbacks;
    /** Highest version the ACS speaks; used only when @ref limit_version is set (else 1.4). */
    enum cwmp_version max_version;
    bool limit_version;         /**< use @ref max_version */
    uint32_t session_timeout_s; /**< max silence of the CPE between messages; 0 = 60 */
    uint32_t max_requests;      /**< ACS requests per session (then the session ends); 0 = 1000 */
    /** Codec options for CPE bodies; NULL = defaults (with the allocator above). */
    const struct cwmp_codec_options *codec;
};

/**
 * @brief Creates a session for a new incoming CPE connection.
 * @param now_ms the current time (any monotonic origin)
 * @return 0, CWMP_ERR_NOMEM, CWMP_ERR_INVALID_ARG.
 * @since 0.1
 */
CWMP_API int cwmp_acs_session_new(struct cwmp_acs_session **out, const struct cwmp_acs_config *cfg,
                                  int64_t now_ms);
/** @brief Frees a session (NULL accepted). Calls nothing. @since 0.1 */
CWMP_API void cwmp_acs_session_free(struct cwmp_acs_session *s);
/**
 * @brief One HTTP POST body from the CPE (len 0: an empty POST).
 * @return 0 (see want_send / done); CWMP_ERR_PROTOCOL (the session failed,
 * answer with an HTTP error and close); CWMP_ERR_STATE (a response must be
 * sent first, or the session is over); CWMP_ERR_NOMEM.
 * @since 0.1
 */
CWMP_API int cwmp_acs_session_recv(struct cwmp_acs_session *s, const char *body, size_t len);
/** @brief True when cwmp_acs_session_send() has the HTTP response body. @since 0.1 */
CWMP_API bool cwmp_acs_session_want_send(const struct cwmp_acs_session *s);
/**
 * @brief The HTTP response body (len 0: empty). Valid until the next call on
 * the session.
 * @return 0, CWMP_ERR_STATE, CWMP_ERR_NOMEM (the session failed).
 * @since 0.1
 */
CWMP_API int cwmp_acs_session_send(struct cwmp_acs_session *s, const char **out, size_t *len);
/** @brief True once the session ended (normally or not). @since 0.1 */
CWMP_API bool cwmp_acs_session_done(const struct cwmp_acs_session *s);
/** @brief The result once done. @since 0.1 */
CWMP_API enum cwmp_session_result cwmp_acs_session_result(const struct cwmp_acs_session *s);
/** @brief The transport failed: the session fails (session_end is called). @since 0.1 */
CWMP_API void cwmp_acs_session_abort(struct cwmp_acs_session *s);
/** @brief Deadline of the current wait for the CPE; -1 when not waiting. @since 0.1 */
CWMP_API int64_t cwmp_acs_session_next_deadline(const struct cwmp_acs_session *s);
/**
 * @brief Advances the clock; a CPE silent past the deadline fails the session.
 * @return 0 or CWMP_ERR_TIMEOUT.
 * @since 0.1
 */
CWMP_API int cwmp_acs_session_handle_timeout(struct cwmp_acs_session *s, int64_t now_ms);
/**
 * @brief HoldRequests: when true, the ACS's messages carry HoldRequests so
 * the CPE sends no requests of its own (the ACS speaks first). Usually set
 * from the inform callback.
 * @since 0.1
 */
CWMP_API void cwmp_acs_session_set_hold_requests(struct cwmp_acs_session *s, bool hold);
/** @brief An app pointer for this session (e.g. the device record). @since 0.1 */
CWMP_API void cwmp_acs_session_set_user(struct cwmp_acs_session *s, void *user);
/** @brief The pointer given to cwmp_acs_session_set_user(). @since 0.1 */
CWMP_API void *cwmp_acs_session_get_user(const struct cwmp_acs_session *s);
/** @brief The CWMP version negotiated with the CPE. @since 0.1 */
CWMP_API enum cwmp_version cwmp_acs_session_version(const struct cwmp_acs_session *s);
/** @brief The CPE's SessionTimeout header (seconds; 0 when absent). @since 0.1 */
CWMP_API uint32_t cwmp_acs_session_cpe_timeout(const struct cwmp_acs_session *s);
/** @brief Detail of the last error; never NULL. @since 0.1 */
CWMP_API const char *cwmp_acs_session_error_detail(const struct cwmp_acs_session *s);
/**
 * @brief Lends the session an encoder owned by the caller, e.g. one per
 * server thread shared by every session that thread drives, instead of the
 * session creating its own at its first send (saves the encoder and its
 * buffer growth per session: the largest part of the engine's own cost).
 * The encoder MUST outlive the session's last send and MUST NOT be used by
 * two threads at once; the body returned by cwmp_acs_session_send() is then
 * valid until the next encode on that encoder. Call before the first send.
 * @return 0, or CWMP_ERR_STATE when the session already has an encoder.
 * @since 0.1
 */
CWMP_API int cwmp_acs_session_use_encoder(struct cwmp_acs_session *s, struct cwmp_encoder *enc);

/** @brief Bytes held by an idle session object (for capacity planning). @since 0.1 */
CWMP_API size_t cwmp_acs_session_size(void);

/* ======================================================================== */
/* Per-device task queue                                                    */
/* ======================================================================== */

/** @brief State of a task. @since 0.1 */
enum cwmp_task_state {
    CWMP_TASK_PENDING = 0, /**< waiting for the device's next session */
    CWMP_TASK_SENT = 1,    /**< sent in the current session */
    CWMP_TASK_DONE = 2,    /**< answered with a response */
    CWMP_TASK_FAULT = 3,   /**< answered with a fault (fault_code) */
};

/** @brief A task as seen by the app (valid until the queue changes). @since 0.1 */
struct cwmp_task {
    uint64_t id;
    const char *device;         /**< the app's device key (e.g. "OUI-ProductClass-Serial") */
    const struct cwmp_rpc *rpc; /**< the request */
    bool urgent;
    enum cwmp_task_state state;
    uint32_t fault_code;
};

/** @brief Persistence and notification hooks of a task queue. @since 0.1 */
struct cwmp_task_hooks {
    /** Store the whole queue (cwmp_task_queue_save() format); 0 = ok. */
    int (*save)(const char *data, size_t len, void *user_data);
    /** An urgent task was queued for @p device: send it a connection request. */
    void (*connection_request)(const char *device, void *user_data);
    /** A task got its answer (@p resp: response or fault). */
    void (*result)(const struct cwmp_task *task, const struct cwmp_rpc *resp, void *user_data);
    void *user_data;
};

/** @brief Queue of RPCs for devices (opaque). @since 0.1 */
struct cwmp_task_queue;

/**
 * @brief Creates a task queue.
 * @param hooks optional (copied)
 * @param max_tasks 0 = 10000
 * @return 0 or CWMP_ERR_NOMEM.
 * @since 0.1
 */
CWMP_API int cwmp_task_queue_new(struct cwmp_task_queue **out, const struct cwmp_allocator *alloc,
                                 const struct cwmp_task_hooks *hooks, size_t max_tasks);
/** @brief Frees the queue (NULL accepted). @since 0.1 */
CWMP_API void cwmp_task_queue_free(struct cwmp_task_queue *q);
/**
 * @brief Queues a request (copied) for a device. An urgent task calls the
 * connection_request hook.
 * @return 0, CWMP_ERR_LIMIT, CWMP_ERR_INVALID_ARG, CWMP_ERR_NOMEM.
 * @since 0.1
 */
CWMP_API int cwmp_task_queue_add(struct cwmp_task_queue *q, const char *device,
                                 const struct cwmp_rpc *rpc, bool urgent, uint64_t *id);
/** @brief Number of tasks (every state). @since 0.1 */
CWMP_API size_t cwmp_task_queue_count(const struct cwmp_task_queue *q);
/** @brief Pending tasks of a device. @since 0.1 */
CWMP_API size_t cwmp_task_queue_pending(const struct cwmp_task_queue *q, const char *device);
/** @brief The task with this id. @return 0 or CWMP_ERR_NOT_FOUND. @since 0.1 */
CWMP_API int cwmp_task_queue_get(const struct cwmp_task_queue *q, uint64_t id,
                                 struct cwmp_task *out);
/**
 * @brief For a `next_request` callback: the device's first pending task
 * becomes SENT and is copied into @p req (tag = task id).
 * @return 1 when a task was given, 0 when none is pending.
 * @since 0.1
 */
CWMP_API int cwmp_task_queue_next(struct cwmp_task_queue *q, const char *device,
                                  struct cwmp_acs_request *req);
/**
 * @brief For a `response` callback: records the answer of task @p tag
 * (DONE or FAULT; a fault 8005-like retry is not special here).
 * @return 0 or CWMP_ERR_NOT_FOUND.
 * @since 0.1
 */
CWMP_API int cwmp_task_queue_result(struct cwmp_task_queue *q, uint64_t tag,
                                    const struct cwmp_rpc *resp);
/** @brief The session of @p device failed: its SENT tasks become PENDING again. @since 0.1 */
CWMP_API void cwmp_task_queue_session_failed(struct cwmp_task_queue *q, const char *device);
/** @brief Removes finished (DONE/FAULT) tasks. @return how many. @since 0.1 */
CWMP_API size_t cwmp_task_queue_purge(struct cwmp_task_queue *q);
/**
 * @brief Serializes the queue: each task as a SOAP envelope (the codec's
 * output), so it survives an ACS restart.
 * @return 0, CWMP_ERR_NOMEM, or an encoding error.
 * @since 0.1
 */
CWMP_API int cwmp_task_queue_save(const struct cwmp_task_queue *q, char **data, size_t *len);
/** @brief Loads a saved queue (appending); CWMP_ERR_PARSE leaves it unchanged. @since 0.1 */
CWMP_API int cwmp_task_queue_load(struct cwmp_task_queue *q, const char *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* CWMP_ACS_H */
