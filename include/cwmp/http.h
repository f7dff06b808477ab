/*
 * libcwmp - CWMP (TR-069) library for CPE and ACS.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file http.h
 * @brief HTTP/1.1 for CWMP (libcwmp-transport): an incremental parser,
 * Basic and Digest authentication (RFC 7617, RFC 7616), a client with
 * cookies and redirects, connection requests over TCP (TR-069 §3.2.2) and
 * HTTP file transfers (Download, Upload).
 *
 * Layers, from the bottom:
 * - **Parser** (cwmp_http_parser_*): pure, bytes in, events out, no I/O,
 *   no clock. Usable from any event loop or with a vendor's own sockets.
 * - **Auth** (cwmp_http_auth_*, cwmp_http_digest_*): header parsing and
 *   response computation, and a server-side verifier with expiring,
 *   non-replayable nonces. Time is an argument.
 * - **Client / server helpers** on struct cwmp_stream (cwmp/transport.h),
 *   blocking with timeouts.
 * - **Connection requests** (cwmp_cr_*): the CPE's listener logic as a pure
 *   function of a parsed request and the time, plus a blocking helper; the
 *   ACS-side sender.
 * - **File transfers** (cwmp_http_download(), cwmp_http_upload()) returning
 *   CWMP fault codes 9010-9019 (mapping in doc/transport.md).
 *
 * Threading: every object is used by one thread at a time; configs are
 * copied at creation. Every string argument is NUL-terminated UTF-8/ASCII
 * unless a length is given.
 */
#ifndef CWMP_HTTP_H
#define CWMP_HTTP_H

#include <cwmp/common.h>
#include <cwmp/error.h>
#include <cwmp/transport.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief TLS configuration (defined in cwmp/tls.h). @since 0.1 */
struct cwmp_tls_config;

/* ======================================================================== */
/* Parser                                                                    */
/* ======================================================================== */

/**
 * @brief Limits of the HTTP parser. Zero fields take the default.
 * @since 0.1
 */
struct cwmp_http_limits {
    size_t max_line;         /**< start line and each header line (default 8192) */
    size_t max_headers;      /**< header fields per message (default 64) */
    size_t max_header_bytes; /**< all header bytes of a message (default 32768) */
    uint64_t max_body;       /**< decoded body bytes (default 16 MiB) */
};

/** @brief Default start/header line limit. @since 0.1 */
#define CWMP_HTTP_DEFAULT_MAX_LINE 8192u
/** @brief Default header count limit. @since 0.1 */
#define CWMP_HTTP_DEFAULT_MAX_HEADERS 64u
/** @brief Default total header bytes limit. @since 0.1 */
#define CWMP_HTTP_DEFAULT_MAX_HEADER_BYTES 32768u
/** @brief Default body limit (16 MiB). @since 0.1 */
#define CWMP_HTTP_DEFAULT_MAX_BODY (16u * 1024u * 1024u)

/** @brief One header field; both strings NUL-terminated. @since 0.1 */
struct cwmp_http_header {
    const char *name;  /**< as received (compare case-insensitively) */
    const char *value; /**< leading/trailing whitespace removed */
};

/**
 * @brief A parsed message head. Owned by the parser; valid until the next
 * cwmp_http_parser_reset() or cwmp_http_parser_free().
 * @since 0.1
 */
struct cwmp_http_message {
    int is_request;                         /**< 1 request, 0 response */
    const char *method;                     /**< request method (e.g. "POST"), else NULL */
    const char *target;                     /**< request target (e.g. "/cr"), else NULL */
    int status;                             /**< response status code, else 0 */
    const char *reason;                     /**< response reason phrase, else NULL */
    int version_minor;                      /**< 0 for HTTP/1.0, 1 for HTTP/1.1 */
    const struct cwmp_http_header *headers; /**< in order of arrival */
    size_t n_headers;                       /**< number of @ref headers */
    int64_t content_length;                 /**< Content-Length, or -1 when absent */
    int chunked;                            /**< Transfer-Encoding: chunked */
    int keep_alive;                         /**< the connection may be reused */
    int expect_continue;                    /**< request has Expect: 100-continue */
    int expect_unknown;                     /**< request has another Expect (answer 417) */
    int has_body;                           /**< a body follows (maybe of length 0) */
};

/** @brief What the parser is. @since 0.1 */
enum cwmp_http_parser_type {
    CWMP_HTTP_PARSE_REQUEST = 0,  /**< parses requests (server side) */
    CWMP_HTTP_PARSE_RESPONSE = 1, /**< parses responses (client side) */
};

/** @brief Events returned by cwmp_http_parser_execute(). @since 0.1 */
enum cwmp_http_event {
    CWMP_HTTP_EV_NEED_MORE = 0, /**< all input consumed; feed more */
    CWMP_HTTP_EV_HEADERS = 1,   /**< the message head is complete */
    CWMP_HTTP_EV_BODY = 2,      /**< a piece of body (pointer into the input) */
    CWMP_HTTP_EV_DONE = 3,      /**< the message is complete */
};

/** @brief Incremental HTTP/1.x parser (opaque). @since 0.1 */
struct cwmp_http_parser;

/**
 * @brief Creates a parser.
 * @param alloc  allocator (NULL = default), kept by the parser
 * @param type   requests or responses
 * @param limits limits (NULL or zero fields = defaults); copied
 * @return 0, CWMP_ERR_NOMEM, CWMP_ERR_INVALID_ARG
 * @since 0.1
 */
CWMP_API int cwmp_http_parser_new(struct cwmp_http_parser **out, const struct cwmp_allocator *alloc,
                                  enum cwmp_http_parser_type type,
                                  const struct cwmp_http_limits *limits);

/** @brief Frees a parser; NULL is ignored. @since 0.1 */
CWMP_API void cwmp_http_parser_free(struct cwmp_http_parser *p);

/**
 * @brief Prepares for the next message on the same connection (keep-alive).
 * Invalidates the previous message. Clears a sticky error.
 * @since 0.1
 */
CWMP_API void cwmp_http_parser_reset(struct cwmp_http_parser *p);

/**
 * @brief For a response parser: the request was HEAD, so the next response
 * has no body whatever its headers say. Call before feeding the response.
 * @since 0.1
 */
CWMP_API void cwmp_http_parser_expect_no_body(struct cwmp_http_parser *p);

/**
 * @brief Feeds bytes; stops at the first event.
 *
 * Interim 1xx responses (e.g. 100 Continue) are consumed silently.
 * Messages are checked strictly: CRLF line ends only, no obs-fold, no bare
 * CR, no NUL, no whitespace before a colon, a single Content-Length,
 * never Content-Length together with Transfer-Encoding, chunked as the only
 * transfer coding, Host required once in HTTP/1.1 requests.
 *
 * @param in       input bytes (may be NULL when @p len is 0)
 * @param consumed bytes of @p in used (always set)
 * @param body     for CWMP_HTTP_EV_BODY: the data, pointing into @p in
 * @param body_len for CWMP_HTTP_EV_BODY: its length (> 0)
 * @return an enum cwmp_http_event (>= 0), or CWMP_ERR_HTTP (malformed),
 * CWMP_ERR_LIMIT (a limit), CWMP_ERR_UNSUPPORTED (transfer coding, version),
 * CWMP_ERR_NOMEM. Errors are sticky until reset; see
 * cwmp_http_parser_error_status() for the status a server should answer.
 * @since 0.1
 */
CWMP_API int cwmp_http_parser_execute(struct cwmp_http_parser *p, const uint8_t *in, size_t len,
                                      size_t *consumed, const uint8_t **body, size_t *body_len);

/**
 * @brief Tells the parser the peer closed the connection. A response
 * delimited by the close becomes complete.
 * @return CWMP_HTTP_EV_DONE, or CWMP_ERR_CLOSED when a message was cut short
 * (0 when no message had started).
 * @since 0.1
 */
CWMP_API int cwmp_http_parser_finish(struct cwmp_http_parser *p);

/**
 * @brief The parsed message head, or NULL before CWMP_HTTP_EV_HEADERS.
 * @since 0.1
 */
CWMP_API const struct cwmp_http_message *cwmp_http_parser_message(const struct cwmp_http_parser *p);

/**
 * @brief The status a server should answer after a parse error: 400, 413
 * (body), 414 (target), 431 (headers), 501 (transfer coding), 505 (version).
 * 0 when there is no error.
 * @since 0.1
 */
CWMP_API int cwmp_http_parser_error_status(const struct cwmp_http_parser *p);

/** @brief True when no byte of a new message has been seen. @since 0.1 */
CWMP_API int cwmp_http_parser_idle(const struct cwmp_http_parser *p);

/**
 * @brief First header named @p name (case-insensitive), or NULL.
 * @since 0.1
 */
CWMP_API const char *cwmp_http_message_header(const struct cwmp_http_message *m, const char *name);

/** @brief Standard reason phrase for a status code, never NULL. @since 0.1 */
CWMP_API const char *cwmp_http_reason(int status);

/* ======================================================================== */
/* Authentication                                                            */
/* ======================================================================== */

/**
 * @brief Randomness source: fills @p buf with @p len random bytes.
 * @return 0 on success, non-zero on failure.
 * @since 0.1
 */
typedef int (*cwmp_rng_fn)(void *user_data, uint8_t *buf, size_t len);

/** @brief Authentication schemes. @since 0.1 */
enum cwmp_http_auth_scheme {
    CWMP_HTTP_AUTH_NONE = 0,   /**< none, or a scheme libcwmp does not support */
    CWMP_HTTP_AUTH_BASIC = 1,  /**< RFC 7617 */
    CWMP_HTTP_AUTH_DIGEST = 2, /**< RFC 7616 */
};

/** @brief Digest algorithms (RFC 7616). @since 0.1 */
enum cwmp_digest_alg {
    CWMP_DIGEST_MD5 = 0,    /**< "MD5" (also when absent) */
    CWMP_DIGEST_SHA256 = 1, /**< "SHA-256" */
};

/**
 * @brief Size of the fixed string fields of the auth structs: holds the
 * 256 characters of a CWMP string(256) (Username, Password) and its NUL.
 * @since 0.1
 */
#define CWMP_HTTP_AUTH_FIELD 264

/**
 * @brief One parsed challenge (WWW-Authenticate) or credentials
 * (Authorization) header. Fixed-size fields: no allocation.
 * @since 0.1
 */
struct cwmp_http_auth_params {
    enum cwmp_http_auth_scheme scheme; /**< Basic or Digest */
    enum cwmp_digest_alg alg;          /**< digest algorithm */
    int alg_unsupported;               /**< an algorithm we do not support */
    int qop_auth;                      /**< qop includes (challenge) or is (response) "auth" */
    int qop_present;                   /**< a qop parameter was given */
    int stale;                         /**< stale=true */
    int userhash;                      /**< userhash=true (not supported: refused) */
    uint32_t nc;                       /**< nonce count (Authorization) */
    char realm[CWMP_HTTP_AUTH_FIELD];
    char nonce[CWMP_HTTP_AUTH_FIELD];
    char opaque[CWMP_HTTP_AUTH_FIELD];
    char username[CWMP_HTTP_AUTH_FIELD]; /**< Authorization only (Basic: decoded) */
    char uri[CWMP_HTTP_AUTH_FIELD];      /**< Authorization only */
    char cnonce[CWMP_HTTP_AUTH_FIELD];   /**< Authorization only */
    char response[CWMP_HTTP_AUTH_FIELD]; /**< Authorization only (Basic: the password) */
};

/**
 * @brief Parses one WWW-Authenticate or Authorization header value.
 *
 * For WWW-Authenticate values holding several challenges, the strongest
 * supported one is returned (Digest SHA-256, Digest MD5, then Basic).
 * @return 0, CWMP_ERR_PARSE (malformed), CWMP_ERR_LIMIT (a field longer than
 * CWMP_HTTP_AUTH_FIELD - 1), CWMP_ERR_UNSUPPORTED (no supported scheme).
 * @since 0.1
 */
CWMP_API int cwmp_http_auth_parse(const char *value, size_t len, int is_challenge,
                                  struct cwmp_http_auth_params *out);

/**
 * @brief Computes a Digest response (RFC 7616 §3.4.1) as lowercase hex.
 * With qop "auth": KD(H(A1), nonce:nc:cnonce:qop:H(A2)); without qop
 * (RFC 2069 style): KD(H(A1), nonce:H(A2)).
 * @param out buffer of at least 65 bytes
 * @return 0, CWMP_ERR_UNSUPPORTED (algorithm not in this mbedTLS),
 * CWMP_ERR_INVALID_ARG
 * @since 0.1
 */
CWMP_API int cwmp_http_digest_compute(enum cwmp_digest_alg alg, const char *username,
                                      const char *realm, const char *password, const char *method,
                                      const char *uri, const char *nonce, uint32_t nc,
                                      const char *cnonce, int qop_auth, char out[65]);

/**
 * @brief Builds an Authorization header value answering @p challenge.
 * @param rng    randomness for the cnonce (NULL: the library's own DRBG)
 * @param out    receives the value (NUL-terminated)
 * @return 0, CWMP_ERR_BUFFER, CWMP_ERR_UNSUPPORTED, CWMP_ERR_INVALID_ARG
 * @since 0.1
 */
CWMP_API int cwmp_http_auth_authorization(const struct cwmp_http_auth_params *challenge,
                                          const char *username, const char *password,
                                          const char *method, const char *uri, uint32_t nc,
                                          cwmp_rng_fn rng, void *rng_user, char *out,
                                          size_t out_size);

/**
 * @brief Looks up the password of @p username for the server-side verifier.
 * @p buf holds CWMP_HTTP_AUTH_FIELD bytes (a 256-character password fits).
 * @return 0 and the password in @p buf; non-zero when the user is unknown.
 * @since 0.1
 */
typedef int (*cwmp_http_password_fn)(void *user_data, const char *username, char *buf,
                                     size_t buf_size);

/** @brief Server-side verifier configuration. @since 0.1 */
struct cwmp_http_auth_server_config {
    const struct cwmp_allocator *alloc; /**< NULL = default */
    const char *realm;                  /**< required; copied */
    int digest_md5;                     /**< offer MD5 (default on when both 0) */
    int digest_sha256;                  /**< offer SHA-256 */
    int allow_basic;                    /**< accept Basic (off by default) */
    int basic_without_tls;              /**< ... also over plain TCP (off) */
    int nonce_lifetime_ms;              /**< default 300000 (5 min) */
    unsigned max_nonces;                /**< replay table size (default 64) */
    cwmp_http_password_fn password;     /**< required */
    void *password_user;                /**< passed to @ref password */
    cwmp_rng_fn rng;                    /**< NULL: a CTR_DRBG of this object */
    void *rng_user;                     /**< passed to @ref rng */
};

/** @brief Server-side verifier (opaque). @since 0.1 */
struct cwmp_http_auth_server;

/**
 * @brief Creates a verifier (seeds its DRBG and a random nonce key).
 * @return 0, CWMP_ERR_NOMEM, CWMP_ERR_INVALID_ARG, CWMP_ERR_TLS (entropy)
 * @since 0.1
 */
CWMP_API int cwmp_http_auth_server_new(struct cwmp_http_auth_server **out,
                                       const struct cwmp_http_auth_server_config *cfg);

/** @brief Frees a verifier; NULL is ignored. @since 0.1 */
CWMP_API void cwmp_http_auth_server_free(struct cwmp_http_auth_server *s);

/**
 * @brief Writes the WWW-Authenticate header lines (each "WWW-Authenticate:
 * ...\r\n") for a 401, with a fresh nonce bound to @p now_ms.
 * @param stale  add stale=true (the client's nonce expired)
 * @param is_tls the connection is TLS (Basic is offered only then, unless
 *               basic_without_tls)
 * @param out    receives the header lines, NUL-terminated
 * @return 0, CWMP_ERR_BUFFER, CWMP_ERR_TLS (randomness), CWMP_ERR_INVALID_ARG
 * @since 0.1
 */
CWMP_API int cwmp_http_auth_server_challenge(struct cwmp_http_auth_server *s, cwmp_time_ms now_ms,
                                             int stale, int is_tls, char *out, size_t out_size);

/**
 * @brief Verifies an Authorization header value.
 * @param authorization the header value, or NULL when absent
 * @param stale set to 1 when the credentials were right but the nonce is
 *              expired or unknown: re-challenge with stale=true
 * @param user  optional: receives the authenticated user name
 * @return 0 authenticated; CWMP_ERR_AUTH (answer 401 with a challenge);
 * CWMP_ERR_NOMEM.
 * @since 0.1
 */
CWMP_API int cwmp_http_auth_server_verify(struct cwmp_http_auth_server *s, const char *method,
                                          const char *target, const char *authorization, int is_tls,
                                          cwmp_time_ms now_ms, int *stale, char *user,
                                          size_t user_size);

/* ======================================================================== */
/* URLs and cookies                                                          */
/* ======================================================================== */

/** @brief A split http(s) URL (fixed buffers). @since 0.1 */
struct cwmp_url {
    int tls;            /**< https */
    char scheme[16];    /**< lowercase */
    char host[256];     /**< without brackets for IPv6 literals */
    uint16_t port;      /**< explicit or the scheme's default */
    char path[2048];    /**< path and query, "/" when empty */
    char userinfo[256]; /**< "user:pass" part when present (percent-decoded) */
};

/**
 * @brief Splits an absolute URL.
 * @return 0; CWMP_ERR_UNSUPPORTED for a syntactically valid URL with a
 * scheme other than http/https (scheme is filled); CWMP_ERR_PARSE;
 * CWMP_ERR_LIMIT (a part too long).
 * @since 0.1
 */
CWMP_API int cwmp_url_parse(const char *url, struct cwmp_url *out);

/** @brief A session cookie jar (RFC 6265) (opaque). @since 0.1 */
struct cwmp_cookie_jar;

/** @brief Creates an empty jar holding at most @p max_cookies (0 = 32). @since 0.1 */
CWMP_API int cwmp_cookie_jar_new(struct cwmp_cookie_jar **out, const struct cwmp_allocator *alloc,
                                 unsigned max_cookies);
/** @brief Frees a jar; NULL is ignored. @since 0.1 */
CWMP_API void cwmp_cookie_jar_free(struct cwmp_cookie_jar *j);
/** @brief Forgets every cookie (end of a CWMP session). @since 0.1 */
CWMP_API void cwmp_cookie_jar_clear(struct cwmp_cookie_jar *j);
/** @brief Number of cookies held. @since 0.1 */
CWMP_API size_t cwmp_cookie_jar_count(const struct cwmp_cookie_jar *j);

/**
 * @brief Stores one Set-Cookie header received from @p url (RFC 6265 §5.3:
 * Domain must domain-match the host and never be a bare IP mismatch, default
 * path, Secure, Max-Age/Expires; a cookie expired on arrival deletes).
 * @param now_s current time, seconds since the epoch (for Expires/Max-Age)
 * @return 0 (stored or deleted), 1 (ignored as RFC 6265 requires),
 * CWMP_ERR_NOMEM, CWMP_ERR_LIMIT (jar full)
 * @since 0.1
 */
CWMP_API int cwmp_cookie_jar_set(struct cwmp_cookie_jar *j, const struct cwmp_url *url,
                                 const char *set_cookie, int64_t now_s);

/**
 * @brief Writes the Cookie header value for a request to @p url ("a=1; b=2",
 * longer paths first), empty when none applies.
 * @return 0, CWMP_ERR_BUFFER
 * @since 0.1
 */
CWMP_API int cwmp_cookie_jar_header(const struct cwmp_cookie_jar *j, const struct cwmp_url *url,
                                    int64_t now_s, char *out, size_t out_size);

/* ======================================================================== */
/* Client                                                                    */
/* ======================================================================== */

/**
 * @brief Opens a stream to host:port, plain or TLS. Replaces the built-in
 * connector (cwmp_tcp_connect() + cwmp_tls_wrap_client()), e.g. to use a
 * vendor's own sockets or for tests.
 * @since 0.1
 */
typedef int (*cwmp_http_connect_fn)(void *user_data, const char *host, uint16_t port, int tls,
                                    int timeout_ms, struct cwmp_stream **out);

/** @brief Client configuration; copied by cwmp_http_client_new(). @since 0.1 */
struct cwmp_http_client_config {
    const struct cwmp_allocator *alloc; /**< NULL = default */
    const struct cwmp_tls_config *tls;  /**< for https (NULL: https refused) */
    const char *username;               /**< credentials (NULL: none) */
    const char *password;               /**< credentials */
    int timeout_ms;                     /**< per connect/read/write (default 30000) */
    int allow_basic_without_tls;        /**< send Basic over http:// (off) */
    int allow_credentials_cross_host;   /**< keep credentials across hosts on redirect (off) */
    int max_redirects;                  /**< 0 = default 5; at most 5 */
    struct cwmp_http_limits limits;     /**< response parser limits */
    const char *user_agent;             /**< NULL = "libcwmp/<version>" */
    cwmp_rng_fn rng;                    /**< NULL: a CTR_DRBG of the client */
    void *rng_user;                     /**< passed to @ref rng */
    cwmp_http_connect_fn connect;       /**< NULL: built-in TCP/TLS connector */
    void *connect_user;                 /**< passed to @ref connect */
    cwmp_log_fn log;                    /**< optional */
    void *log_user;                     /**< passed to @ref log */
};

/** @brief A response returned by the client. @since 0.1 */
struct cwmp_http_response {
    int status;               /**< final status code */
    const uint8_t *body;      /**< body (NUL-terminated), valid until the next call */
    size_t body_len;          /**< its length (0: empty body) */
    const char *content_type; /**< Content-Type or NULL, same lifetime */
    int close;                /**< the connection cannot be reused after this response */
};

/** @brief cwmp_http_client_feed(): send the request again on this connection. @since 0.1 */
#define CWMP_HTTP_CLIENT_RESEND 1
/** @brief cwmp_http_client_feed(): close, connect to cwmp_http_client_target(), send again.
 *  @since 0.1 */
#define CWMP_HTTP_CLIENT_RECONNECT 2

/** @brief HTTP client bound to one URL (opaque). @since 0.1 */
struct cwmp_http_client;

/**
 * @brief Creates a client for @p url (copied). No connection yet.
 * @return 0, CWMP_ERR_NOMEM, CWMP_ERR_INVALID_ARG, CWMP_ERR_PARSE (URL),
 * CWMP_ERR_UNSUPPORTED (scheme, or https without a TLS config)
 * @since 0.1
 */
CWMP_API int cwmp_http_client_new(struct cwmp_http_client **out,
                                  const struct cwmp_http_client_config *cfg, const char *url);

/** @brief Closes the connection and frees the client; NULL ignored. @since 0.1 */
CWMP_API void cwmp_http_client_free(struct cwmp_http_client *c);

/**
 * @brief Sends a request and waits for the final response (blocking, each
 * step bounded by the timeout). Reuses the kept-alive connection, answers
 * 401 once with credentials (a stale=true re-challenge once more), follows
 * redirects (301/302/307/308 repeat the method and body, 303 becomes a GET
 * without body; at most max_redirects), sends and stores cookies. The body
 * must stay valid until the call returns.
 * After a redirect the client keeps to the new URL until
 * cwmp_http_client_end_session().
 *
 * @param method       "POST", "GET", "PUT"
 * @param content_type NULL: none (for CWMP use "text/xml; charset=\"utf-8\"")
 * @param soap_action  NULL: no SOAPAction header; "" sends `SOAPAction:`
 * @param body         may be NULL when @p body_len is 0 (an empty POST)
 * @return 0 (any final status, see @p resp), CWMP_ERR_AUTH (401 after
 * answering the challenge), CWMP_ERR_HTTP (malformed response, redirect
 * loop), CWMP_ERR_TIMEOUT, CWMP_ERR_IO, CWMP_ERR_TLS, CWMP_ERR_CLOSED,
 * CWMP_ERR_LIMIT, CWMP_ERR_NOMEM, CWMP_ERR_UNSUPPORTED
 * @since 0.1
 */
CWMP_API int cwmp_http_client_request(struct cwmp_http_client *c, const char *method,
                                      const char *content_type, const char *soap_action,
                                      const uint8_t *body, size_t body_len,
                                      struct cwmp_http_response *resp);

/**
 * @brief Ends a CWMP session: closes the connection, forgets cookies and
 * returns to the configured URL (TR-069 §3.4.5).
 * @since 0.1
 */
CWMP_API void cwmp_http_client_end_session(struct cwmp_http_client *c);

/**
 * @brief Sans-I/O use of the client (poll/epoll loops, a vendor's sockets):
 * starts a request. The pointers must stay valid until the final response.
 * Then: connect to cwmp_http_client_target(), write what
 * cwmp_http_client_output() gives, feed what arrives to
 * cwmp_http_client_feed() until it returns 0 (final response),
 * CWMP_HTTP_CLIENT_RESEND / CWMP_HTTP_CLIENT_RECONNECT (401 answered or
 * redirect: output again, on a new connection for RECONNECT) or an error.
 * The blocking cwmp_http_client_request() is this loop over the built-in
 * connector.
 * @return 0, CWMP_ERR_INVALID_ARG
 * @since 0.1
 */
CWMP_API int cwmp_http_client_start(struct cwmp_http_client *c, const char *method,
                                    const char *content_type, const char *soap_action,
                                    const uint8_t *body, size_t body_len);

/**
 * @brief The bytes of the current attempt (head and body), valid until the
 * next call on @p c. Resets the response state: call once per attempt.
 * @return 0, CWMP_ERR_STATE (no request started), CWMP_ERR_NOMEM
 * @since 0.1
 */
CWMP_API int cwmp_http_client_output(struct cwmp_http_client *c, const uint8_t **out,
                                     size_t *out_len);

/**
 * @brief Feeds response bytes. @p len 0 means the peer closed the connection.
 * @param consumed bytes used (the rest belongs to no response: close)
 * @param resp filled when 0 (or CWMP_ERR_AUTH) is returned; valid until the
 *        next call on @p c
 * @return CWMP_ERR_AGAIN (feed more), 0 (final response), CWMP_HTTP_CLIENT_RESEND,
 * CWMP_HTTP_CLIENT_RECONNECT, or an error as cwmp_http_client_request()
 * @since 0.1
 */
CWMP_API int cwmp_http_client_feed(struct cwmp_http_client *c, const uint8_t *in, size_t len,
                                   size_t *consumed, struct cwmp_http_response *resp);

/** @brief Where the current attempt must connect (host without brackets). @since 0.1 */
CWMP_API int cwmp_http_client_target(const struct cwmp_http_client *c, const char **host,
                                     uint16_t *port, int *tls);

/** @brief The URL now in use (after redirects). Never NULL. @since 0.1 */
CWMP_API const char *cwmp_http_client_url(const struct cwmp_http_client *c);

/** @brief Text detail of the last error of this client; never NULL. @since 0.1 */
CWMP_API const char *cwmp_http_client_error_detail(const struct cwmp_http_client *c);

/** @brief The client's cookie jar (for inspection). @since 0.1 */
CWMP_API struct cwmp_cookie_jar *cwmp_http_client_cookies(struct cwmp_http_client *c);

/* ======================================================================== */
/* Server helpers                                                            */
/* ======================================================================== */

/**
 * @brief Reads one request head from @p s into @p p (reset first unless
 * bytes of a pipelined request are pending in @p buf).
 *
 * @param buf,buf_size,buf_len caller's read buffer and how much of it holds
 *        unparsed input (updated; pass 0 on a new connection)
 * @param header_timeout_ms total time allowed for the head (slowloris
 *        guard; <= 0: only the stream's per-read timeout)
 * @return CWMP_HTTP_EV_HEADERS, 0 (peer closed before a request), or a
 * negative error (parser or stream)
 * @since 0.1
 */
CWMP_API int cwmp_http_read_head(struct cwmp_stream *s, struct cwmp_http_parser *p, uint8_t *buf,
                                 size_t buf_size, size_t *buf_len, int header_timeout_ms);

/**
 * @brief Reads the rest of the message whose head cwmp_http_read_head()
 * returned, appending the body through @p sink (may be NULL to discard).
 * A request carrying `Expect: 100-continue` whose body has not started to
 * arrive is first answered with the interim `100 Continue`. To refuse the
 * body instead (e.g. 413, 401), answer with cwmp_http_write_response() and
 * `keep_alive = 0` without calling this function.
 * @param sink returns 0 to continue, non-zero to abort (CWMP_ERR_CALLBACK)
 * @return 0, or a negative error
 * @since 0.1
 */
CWMP_API int cwmp_http_read_body(struct cwmp_stream *s, struct cwmp_http_parser *p, uint8_t *buf,
                                 size_t buf_size, size_t *buf_len,
                                 int (*sink)(void *user, const uint8_t *data, size_t len),
                                 void *user);

/**
 * @brief cwmp_http_read_body() with a bound on the whole body: a peer that
 * sends a byte now and then, each within the stream's per-read timeout,
 * cannot hold the connection for longer than @p body_timeout_ms (checked
 * before each read, so the bound is body_timeout_ms plus at most one
 * per-read timeout).
 * @param body_timeout_ms total time allowed; <= 0: only the per-read timeout
 * @return 0, CWMP_ERR_TIMEOUT when the deadline passed, or the errors of
 *         cwmp_http_read_body()
 * @since 0.1
 */
CWMP_API int cwmp_http_read_body_timed(struct cwmp_stream *s, struct cwmp_http_parser *p,
                                       uint8_t *buf, size_t buf_size, size_t *buf_len,
                                       int (*sink)(void *user, const uint8_t *data, size_t len),
                                       void *user, int body_timeout_ms);

/**
 * @brief Writes a whole response: status line, Content-Length (omitted for
 * 1xx/204/304), `Connection: close` unless @p keep_alive, the extra header
 * lines (each ending in CRLF, may be NULL), then the body.
 * @return 0, or a negative stream error
 * @since 0.1
 */
CWMP_API int cwmp_http_write_response(struct cwmp_stream *s, int status, const char *extra_headers,
                                      const uint8_t *body, size_t body_len, int keep_alive);

/**
 * @brief Writes a response head only, for bodies produced piece by piece.
 * @param content_length the body length, or -1 for `Transfer-Encoding:
 *        chunked` (then send the body with cwmp_http_write_chunk())
 * @return 0, CWMP_ERR_INVALID_ARG, or a negative stream error
 * @since 0.1
 */
CWMP_API int cwmp_http_write_head(struct cwmp_stream *s, int status, const char *extra_headers,
                                  int64_t content_length, int keep_alive);

/**
 * @brief Writes one chunk of a chunked body; @p len 0 writes the last
 * chunk (`0` CRLF CRLF) that ends the message.
 * @return 0, or a negative stream error
 * @since 0.1
 */
CWMP_API int cwmp_http_write_chunk(struct cwmp_stream *s, const uint8_t *data, size_t len);

/**
 * @brief Writes all @p len bytes (retrying short writes).
 *
 * The stream helpers of this header (cwmp_stream_write_all(),
 * cwmp_http_read_head(), cwmp_http_read_body(), the client) expect blocking
 * streams bounded by their timeout_ms; on a non-blocking stream they return
 * CWMP_ERR_AGAIN and the exchange must be restarted. Poll loops drive the
 * parser (cwmp_http_parser_execute()) directly instead.
 * @return 0, CWMP_ERR_CLOSED, or the stream's error
 * @since 0.1
 */
CWMP_API int cwmp_stream_write_all(struct cwmp_stream *s, const uint8_t *buf, size_t len);

/* ======================================================================== */
/* Connection requests over TCP (TR-069 §3.2.2)                              */
/* ======================================================================== */

/** @brief CPE connection-request listener configuration. @since 0.1 */
struct cwmp_cr_config {
    const struct cwmp_allocator *alloc; /**< NULL = default */
    const char *path;                   /**< path of ConnectionRequestURL, e.g. "/cr" */
    const char *realm;                  /**< digest realm (NULL: "libcwmp CPE") */
    int digest_sha256;                  /**< offer SHA-256 besides MD5 */
    int nonce_lifetime_ms;              /**< default 60000 */
    unsigned burst;                     /**< authenticated attempts in a burst (default 3) */
    int refill_ms;                      /**< one more attempt every refill_ms (default 20000) */
    int header_timeout_ms;              /**< cwmp_cr_serve(): head deadline (default 5000) */
    /** ConnectionRequestUsername/Password lookup. Required. */
    cwmp_http_password_fn password;
    void *password_user; /**< passed to @ref password */
    cwmp_rng_fn rng;     /**< NULL: DRBG of the listener */
    void *rng_user;      /**< passed to @ref rng */
};

/** @brief Outcome of one connection request. @since 0.1 */
struct cwmp_cr_result {
    int status;         /**< HTTP status to answer (200, 401, 404, 405, 503, ...) */
    int trigger;        /**< 1: start a session with event "6 CONNECTION REQUEST" */
    char headers[1024]; /**< extra response header lines (challenge, Retry-After, Allow) */
};

/** @brief CPE connection-request listener logic (opaque). @since 0.1 */
struct cwmp_cr_listener;

/** @brief Creates the listener logic. @since 0.1 */
CWMP_API int cwmp_cr_listener_new(struct cwmp_cr_listener **out, const struct cwmp_cr_config *cfg);
/** @brief Frees it; NULL ignored. @since 0.1 */
CWMP_API void cwmp_cr_listener_free(struct cwmp_cr_listener *l);

/**
 * @brief Decides the answer to one parsed request (pure: no I/O; time is an
 * argument). Order: path (404), method GET (405, HEAD too), body refused
 * (413), busy (503 + Retry-After), authentication (401 challenge; a request
 * carrying credentials uses one token of the rate limiter, 503 when none is
 * left), then 200 with trigger = 1.
 * @param busy non-zero while a session is in progress
 * @return 0 (see @p res), CWMP_ERR_NOMEM, CWMP_ERR_INVALID_ARG
 * @since 0.1
 */
CWMP_API int cwmp_cr_listener_handle(struct cwmp_cr_listener *l,
                                     const struct cwmp_http_message *req, int busy, int is_tls,
                                     cwmp_time_ms now_ms, struct cwmp_cr_result *res);

/**
 * @brief Serves one accepted connection: reads requests (up to 4 on a
 * kept-alive connection, head deadline header_timeout_ms), answers each and
 * closes. Does not take ownership of @p s.
 * @param busy_fn optional: returns non-zero while a session is in progress
 * @param now_fn  optional: current time in ms (default: CLOCK_MONOTONIC)
 * @return 1 when a session must be triggered, 0 when not, < 0 on error
 * @since 0.1
 */
CWMP_API int cwmp_cr_serve(struct cwmp_cr_listener *l, struct cwmp_stream *s, int is_tls,
                           int (*busy_fn)(void *user), void *busy_user);

/**
 * @brief ACS side: sends a connection request (HTTP GET with Digest or Basic
 * per the challenge) to @p url and waits for the answer.
 * @param http_status optional: the final HTTP status
 * @return 0 (200 or 204), CWMP_ERR_AUTH (401/403), CWMP_ERR_HTTP (another
 * status; 503 = CPE busy), CWMP_ERR_TIMEOUT, CWMP_ERR_IO, CWMP_ERR_TLS, ...
 * @since 0.1
 */
CWMP_API int cwmp_cr_send(const struct cwmp_http_client_config *cfg, const char *url,
                          int *http_status);

/* ======================================================================== */
/* File transfers (Download / Upload)                                        */
/* ======================================================================== */

/** @brief A file transfer (URL and credentials as in the Download/Upload RPC). @since 0.1 */
struct cwmp_http_transfer {
    const char *url;              /**< http:// or https:// */
    const char *username;         /**< NULL/empty: none */
    const char *password;         /**< NULL/empty: none */
    const char *target_file_name; /**< Download TargetFileName, passed to @ref open */
    uint64_t file_size;           /**< Download FileSize; 0 = unknown */
    uint64_t max_size;            /**< refuse larger downloads (0 = 64 MiB) */
    const char *content_type;     /**< Upload (NULL: application/octet-stream) */
    const char *method;           /**< Upload method "PUT" (default) or "POST" */
    /** Download: called once before the body; returns 0 or a fault code. */
    int (*open)(void *user, const char *target_file_name, uint64_t expected_size);
    /** Download: body data; returns 0 or a fault code (e.g. 9010 disk full). */
    int (*write)(void *user, const uint8_t *data, size_t len);
    /** Upload: the content to send (or NULL and @ref read). */
    const uint8_t *data;
    size_t data_len; /**< its length (also when streamed through @ref read) */
    /**
     * Upload without holding the file in memory: fills @p buf with up to
     * @p len bytes of the file starting at @p offset (a retry after a 401
     * or a redirect starts again at 0). Returns the bytes written (> 0) or a
     * negative value on failure (the upload fails with 9011).
     */
    int (*read)(void *user, uint64_t offset, uint8_t *buf, size_t len);
    /** Optional progress: bytes done, total (0 unknown). */
    void (*progress)(void *user, uint64_t done, uint64_t total);
    void *user; /**< passed to the callbacks */
};

/**
 * @brief Downloads @p t->url through @p cfg (its TLS config, timeout and
 * connector; credentials come from @p t).
 * @return 0, or the CWMP fault code for TransferComplete: 9002, 9003, 9010,
 * 9012, 9013, 9015, 9016, 9017, 9018 or whatever open/write returned
 * (mapping in doc/transport.md)
 * @since 0.1
 */
CWMP_API int cwmp_http_download(const struct cwmp_http_client_config *cfg,
                                const struct cwmp_http_transfer *t, char *detail,
                                size_t detail_size);

/**
 * @brief Uploads @p t->data with PUT (or POST) to @p t->url.
 * @return 0, or a fault code: 9002, 9003, 9011 (also when the server is
 * unreachable), 9012, 9013 (mapping in doc/transport.md)
 * @since 0.1
 */
CWMP_API int cwmp_http_upload(const struct cwmp_http_client_config *cfg,
                              const struct cwmp_http_transfer *t, char *detail, size_t detail_size);

#ifdef __cplusplus
}
#endif

#endif /* CWMP_HTTP_H */
