/*
 * libcwmp - CWMP (TR-069) library for CPE and ACS.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file udpcr.h
 * @brief UDP connection requests (TR-069 Annex G) and the STUN binding of
 * TR-111 Part 2, for devices behind NAT (libcwmp-transport).
 *
 * Everything here except cwmp_udp_open() and cwmp_udpcr_send() is a pure
 * function: bytes and time in, bytes and a verdict out. The application
 * owns the UDP socket bound to its connection-request port and feeds each
 * datagram either to the STUN client (cwmp_stun_is_stun()) or to the
 * UDP connection-request verifier.
 *
 * STUN here is the "classic" STUN of RFC 3489 that TR-111 uses (16-byte
 * transaction ID, MESSAGE-INTEGRITY = HMAC-SHA1 keyed with the STUN
 * password) plus the TR-111 attributes CONNECTION-REQUEST-BINDING (0xC001)
 * and BINDING-CHANGE (0xC002). Responses with an RFC 5389 magic cookie and
 * XOR-MAPPED-ADDRESS are understood too.
 */
#ifndef CWMP_UDPCR_H
#define CWMP_UDPCR_H

#include <cwmp/common.h>
#include <cwmp/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- UDP connection request: the CPE's verifier ------------------------------ */

/** @brief Replay-window size of cwmp_udpcr_replay (accepted ids remembered). @since 0.1 */
#define CWMP_UDPCR_ID_WINDOW 16
/** @brief Longest `id` value accepted (bytes). @since 0.1 */
#define CWMP_UDPCR_MAX_ID 32
/** @brief Longest datagram accepted by cwmp_udpcr_verify(). @since 0.1 */
#define CWMP_UDPCR_MAX_MESSAGE 1472
/** @brief Default allowed distance between `ts` and now, in seconds. @since 0.1 */
#define CWMP_UDPCR_DEFAULT_MAX_SKEW_S 300

/**
 * @brief Anti-replay state of one CPE: plain data, caller-allocated
 * (statically if you like). Zero it or call cwmp_udpcr_replay_init().
 * @since 0.1
 */
struct cwmp_udpcr_replay {
    int64_t last_ts;    /**< ts of the newest accepted request (seconds) */
    int max_skew_s;     /**< |ts - now| allowed; <= 0: CWMP_UDPCR_DEFAULT_MAX_SKEW_S */
    unsigned int next;  /**< ring position */
    unsigned int count; /**< ids in the ring */
    char ids[CWMP_UDPCR_ID_WINDOW][CWMP_UDPCR_MAX_ID + 1]; /**< recently accepted ids */
};

/** @brief Why a UDP connection request was refused. @since 0.1 */
enum cwmp_udpcr_verdict {
    CWMP_UDPCR_OK = 0,        /**< valid and new: start a session (6 CONNECTION REQUEST) */
    CWMP_UDPCR_MALFORMED,     /**< not a well-formed request (missing/duplicate/oversized field) */
    CWMP_UDPCR_BAD_USER,      /**< `un` is not the ConnectionRequestUsername */
    CWMP_UDPCR_BAD_SIGNATURE, /**< `sig` is not HMAC-SHA1(password, ts|id|un|cn) */
    CWMP_UDPCR_STALE,         /**< `ts` too far from now, or older than the last accepted */
    CWMP_UDPCR_REPLAYED,      /**< `id` already accepted (ACS retransmission or replay) */
};

/** @brief Initialises the replay state. @since 0.1 */
CWMP_API void cwmp_udpcr_replay_init(struct cwmp_udpcr_replay *r, int max_skew_s);

/**
 * @brief Verifies one UDP connection-request datagram (TR-069 Annex G):
 * `GET http://host:port?ts=..&id=..&un=..&cn=..&sig=.. HTTP/1.1`.
 *
 * Checks, in order: syntax; `un` equals @p username; `sig` (hex, any case)
 * equals HMAC-SHA1 keyed with @p password over the concatenated values of
 * ts, id, un and cn (constant-time comparison); `ts` within max_skew_s of
 * @p now_s and not older than the last accepted request; `id` not in the
 * replay window. Only a request that passes everything updates @p replay.
 * No socket, clock or allocation.
 * @param now_s  the current time, seconds since the Unix epoch
 * @param verdict optional detail (enum cwmp_udpcr_verdict)
 * @return 0 (start a session); CWMP_ERR_PARSE (malformed); CWMP_ERR_AUTH
 *   (wrong user or signature, stale, replayed); CWMP_ERR_INVALID_ARG
 * @since 0.1
 */
CWMP_API int cwmp_udpcr_verify(struct cwmp_udpcr_replay *replay, const uint8_t *msg, size_t len,
                               const char *username, const char *password, int64_t now_s,
                               enum cwmp_udpcr_verdict *verdict);

/* ---- UDP connection request: the ACS side ------------------------------------ */

/**
 * @brief Builds a signed UDP connection request.
 * @param address the CPE's UDPConnectionRequestAddress ("host:port")
 * @param ts      seconds since the Unix epoch
 * @param id      a fresh value per request (unsigned decimal recommended)
 * @param cnonce  a random string (the `cn` field)
 * @param buf,size output buffer; the message is NUL-terminated too
 * @param out_len message length without the NUL
 * @return 0, CWMP_ERR_BUFFER, CWMP_ERR_INVALID_ARG
 * @since 0.1
 */
CWMP_API int cwmp_udpcr_build(const char *address, int64_t ts, const char *id, const char *username,
                              const char *cnonce, const char *password, char *buf, size_t size,
                              size_t *out_len);

/**
 * @brief Sends a message @p copies times (UDP is lossy; the CPE drops the
 * duplicates by `id`) to "host:port".
 * @return 0, CWMP_ERR_NOT_FOUND (name), CWMP_ERR_IO, CWMP_ERR_INVALID_ARG
 * @since 0.1
 */
CWMP_API int cwmp_udpcr_send(const char *address, const uint8_t *msg, size_t len, int copies);

/**
 * @brief Opens a UDP socket bound to host:port (NULL host = any; port 0 =
 * any; close-on-exec), e.g. the CPE's connection-request port.
 * @since 0.1
 */
CWMP_API int cwmp_udp_open(const char *host, uint16_t port, int *out_fd);

/* ---- STUN (RFC 3489 + TR-111 Part 2) ------------------------------------------ */

/** @brief STUN message types. @since 0.1 */
enum cwmp_stun_type {
    CWMP_STUN_BINDING_REQUEST = 0x0001,
    CWMP_STUN_BINDING_RESPONSE = 0x0101,
    CWMP_STUN_BINDING_ERROR = 0x0111,
};

/** @brief STUN attribute types used here. @since 0.1 */
enum cwmp_stun_attr {
    CWMP_STUN_ATTR_MAPPED_ADDRESS = 0x0001,
    CWMP_STUN_ATTR_RESPONSE_ADDRESS = 0x0002,
    CWMP_STUN_ATTR_CHANGE_REQUEST = 0x0003,
    CWMP_STUN_ATTR_SOURCE_ADDRESS = 0x0004,
    CWMP_STUN_ATTR_CHANGED_ADDRESS = 0x0005,
    CWMP_STUN_ATTR_USERNAME = 0x0006,
    CWMP_STUN_ATTR_MESSAGE_INTEGRITY = 0x0008,
    CWMP_STUN_ATTR_ERROR_CODE = 0x0009,
    CWMP_STUN_ATTR_UNKNOWN_ATTRIBUTES = 0x000A,
    CWMP_STUN_ATTR_REFLECTED_FROM = 0x000B,
    CWMP_STUN_ATTR_XOR_MAPPED_ADDRESS = 0x0020,
    /** TR-111: value "dslforum.org/TR-111 " (20 bytes) */
    CWMP_STUN_ATTR_CONNECTION_REQUEST_BINDING = 0xC001,
    /** TR-111: empty; the binding changed since the last request */
    CWMP_STUN_ATTR_BINDING_CHANGE = 0xC002,
};

/** @brief Largest STUN message built or parsed here. @since 0.1 */
#define CWMP_STUN_MAX_MESSAGE 548

/** @brief An IPv4/IPv6 address and port from a STUN message. @since 0.1 */
struct cwmp_stun_addr {
    int family;       /**< 4, 6, or 0 when absent */
    uint16_t port;    /**< host order */
    uint8_t addr[16]; /**< network order; 4 bytes used for IPv4 */
};

/**
 * @brief A parsed STUN message. Pointers point into the parsed buffer.
 * @since 0.1
 */
struct cwmp_stun_message {
    uint16_t type;                  /**< enum cwmp_stun_type (or other) */
    uint8_t txid[16];               /**< transaction ID (RFC 5389: cookie + 12) */
    struct cwmp_stun_addr mapped;   /**< MAPPED-ADDRESS or XOR-MAPPED-ADDRESS */
    int error_code;                 /**< ERROR-CODE (e.g. 401), 0 if absent */
    const uint8_t *username;        /**< USERNAME value or NULL */
    size_t username_len;            /**< its length */
    int has_integrity;              /**< MESSAGE-INTEGRITY present */
    size_t integrity_offset;        /**< offset of that attribute's header */
    int connection_request_binding; /**< CONNECTION-REQUEST-BINDING present and correct */
    int binding_change;             /**< BINDING-CHANGE present */
    int unknown_required;           /**< comprehension-required attributes not understood */
};

/** @brief Non-zero when a datagram looks like STUN, not an HTTP-over-UDP request. @since 0.1 */
CWMP_API int cwmp_stun_is_stun(const uint8_t *msg, size_t len);

/**
 * @brief Parses (and bounds-checks) one STUN message.
 * @return 0, CWMP_ERR_PARSE
 * @since 0.1
 */
CWMP_API int cwmp_stun_parse(const uint8_t *msg, size_t len, struct cwmp_stun_message *out);

/**
 * @brief Checks MESSAGE-INTEGRITY of a parsed message with @p password.
 * @return 0 valid, CWMP_ERR_AUTH wrong, CWMP_ERR_NOT_FOUND absent
 * @since 0.1
 */
CWMP_API int cwmp_stun_check_integrity(const uint8_t *msg, size_t len,
                                       const struct cwmp_stun_message *parsed,
                                       const char *password);

/** @brief Flags for cwmp_stun_build_binding_request(). @since 0.1 */
enum cwmp_stun_build_flags {
    CWMP_STUN_WITH_CR_BINDING = 1,     /**< add CONNECTION-REQUEST-BINDING */
    CWMP_STUN_WITH_BINDING_CHANGE = 2, /**< add BINDING-CHANGE */
};

/**
 * @brief Builds a Binding Request: USERNAME (if given), the TR-111
 * attributes per @p flags, and MESSAGE-INTEGRITY last when @p password is
 * given (HMAC-SHA1 over the message before it, header length covering it,
 * zero-padded to a multiple of 64 bytes as RFC 3489 §11.2.8 specifies).
 * @param txid 16 random bytes from the caller
 * @return 0, CWMP_ERR_BUFFER, CWMP_ERR_INVALID_ARG
 * @since 0.1
 */
CWMP_API int cwmp_stun_build_binding_request(const uint8_t txid[16], const char *username,
                                             const char *password, unsigned int flags, uint8_t *buf,
                                             size_t size, size_t *out_len);

/**
 * @brief The CPE's STUN state (TR-111 Part 2): plain data owned by the
 * caller; initialise with cwmp_stun_client_init().
 * @since 0.1
 */
struct cwmp_stun_client {
    int min_keepalive_s;           /**< STUNMinimumKeepAlivePeriod */
    int max_keepalive_s;           /**< STUNMaximumKeepAlivePeriod; -1 = no maximum */
    cwmp_time_ms last_sent;        /**< when the outstanding/last request was sent, -1 never */
    int attempt;                   /**< retransmissions of the outstanding request */
    int outstanding;               /**< a request awaits its response */
    uint8_t txid[16];              /**< of the outstanding request */
    int need_integrity;            /**< the server answered 401: add MESSAGE-INTEGRITY */
    int change_pending;            /**< send BINDING-CHANGE until a response acknowledges it */
    int change_sent;               /**< the outstanding request carries BINDING-CHANGE */
    int integrity_sent;            /**< ... and MESSAGE-INTEGRITY: so must the response */
    struct cwmp_stun_addr binding; /**< current public address of the CR port */
};

/** @brief Initialises the client with the two keep-alive periods (seconds). @since 0.1 */
CWMP_API void cwmp_stun_client_init(struct cwmp_stun_client *c, int min_keepalive_s,
                                    int max_keepalive_s);

/**
 * @brief Builds the next Binding Request (CONNECTION-REQUEST-BINDING always,
 * BINDING-CHANGE while a change is pending, MESSAGE-INTEGRITY after a 401)
 * and records it as outstanding at @p now.
 * @since 0.1
 */
CWMP_API int cwmp_stun_client_request(struct cwmp_stun_client *c, const uint8_t txid[16],
                                      const char *username, const char *password, cwmp_time_ms now,
                                      uint8_t *buf, size_t size, size_t *out_len);

/**
 * @brief Feeds a STUN datagram received on the CR socket.
 * @param changed set to 1 when the public binding changed (the caller
 *   updates UDPConnectionRequestAddress and sends a request at once: it
 *   carries BINDING-CHANGE)
 * @return 0 (binding known); CWMP_ERR_AGAIN (401: send again now, with
 *   integrity); CWMP_ERR_AUTH (integrity of the response is wrong, or
 *   missing although the request carried it, RFC 3489 §8.2);
 *   CWMP_ERR_NOT_FOUND (not our transaction); CWMP_ERR_PROTOCOL (other
 *   error response); CWMP_ERR_PARSE
 * @since 0.1
 */
CWMP_API int cwmp_stun_client_response(struct cwmp_stun_client *c, const uint8_t *msg, size_t len,
                                       const char *password, int *changed);

/**
 * @brief When the next datagram is due: a retransmission of the
 * outstanding request (RFC 3489: 100 ms doubling to 1.6 s, 9 retransmits)
 * or the next keep-alive, STUNMinimumKeepAlivePeriod after the last
 * request plus a jitter from @p random, never past the maximum period.
 * Pure: time and randomness come in.
 * @return the time to send at; `now`-or-earlier means send now
 * @since 0.1
 */
CWMP_API cwmp_time_ms cwmp_stun_client_next(const struct cwmp_stun_client *c, uint32_t random);

/**
 * @brief Call when cwmp_stun_client_next() time is reached with the request
 * still unanswered: counts the retransmission.
 * @return 0 retransmit the same request; CWMP_ERR_TIMEOUT gave up (the next
 *   request is a fresh keep-alive)
 * @since 0.1
 */
CWMP_API int cwmp_stun_client_timeout(struct cwmp_stun_client *c, cwmp_time_ms now);

/**
 * @brief NATDetected: whether the public binding learnt over STUN differs
 * from the CR socket's own address (the local IP the CPE uses towards the
 * STUN server, and the CR port).
 * @param local_ip numeric IPv4/IPv6 text
 * @return 1 behind NAT, 0 not, CWMP_ERR_NOT_FOUND (no binding yet),
 *   CWMP_ERR_INVALID_ARG (not a numeric address)
 * @since 0.1
 */
CWMP_API int cwmp_stun_nat_detected(const struct cwmp_stun_client *c, const char *local_ip,
                                    uint16_t local_port);

/**
 * @brief Formats an address as "ip:port" ("[ip6]:port"), e.g. for
 * UDPConnectionRequestAddress.
 * @return 0, CWMP_ERR_BUFFER, CWMP_ERR_NOT_FOUND (no address)
 * @since 0.1
 */
CWMP_API int cwmp_stun_addr_format(const struct cwmp_stun_addr *a, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* CWMP_UDPCR_H */
