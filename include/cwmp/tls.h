/*
 * libcwmp - CWMP (TR-069) library for CPE and ACS.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file tls.h
 * @brief TLS streams on mbedTLS (libcwmp-transport).
 *
 * A `struct cwmp_tls_config` holds everything shared by many connections
 * (trust anchors, CRL, own certificate, verification mode, session ticket
 * keys, random generator). Build it once, then use it from any number of
 * connections and threads: it is immutable once shared (do not call the
 * setters after the first wrap). Its random generator is locked internally;
 * the server's ticket key and session cache rely on mbedTLS's own locking
 * (MBEDTLS_THREADING_C, on in Debian's build): with an mbedTLS built without
 * it, use a server configuration from one thread at a time.
 *
 * cwmp_tls_wrap_client() / cwmp_tls_wrap_server() run the handshake over a
 * connected stream (normally cwmp_tcp_connect() / cwmp_tcp_accept()) and
 * give back a `struct cwmp_stream` that HTTP runs over unchanged.
 *
 * Security defaults: TLS 1.2 minimum; a client verifies the server
 * certificate against the configured CAs (a client without a CA fails
 * closed) and checks that the certificate names the host exactly as given
 * (FQDN against SAN dNSName, IP address against SAN iPAddress, the subject
 * CN only when the certificate has no SAN; no wildcards), as TS 32.583 §5.1
 * and TS 32.593 §5.1.2 require.
 *
 * mbedTLS allocates its own internal buffers with its own allocator; the
 * cwmp_allocator passed here is used for libcwmp's objects.
 */
#ifndef CWMP_TLS_H
#define CWMP_TLS_H

#include <cwmp/common.h>
#include <cwmp/error.h>
#include <cwmp/transport.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Shared TLS configuration (opaque). @since 0.1 */
struct cwmp_tls_config;

/** @brief Client-side session-resumption state for one server (opaque). @since 0.1 */
struct cwmp_tls_session;

/** @brief Which side of the handshake a configuration is for. @since 0.1 */
enum cwmp_tls_role {
    CWMP_TLS_CLIENT = 0, /**< CPE towards the ACS, file transfers, ACS sending CRs */
    CWMP_TLS_SERVER = 1, /**< ACS, CPE connection-request listener, file server */
};

/** @brief Peer certificate verification. @since 0.1 */
enum cwmp_tls_verify {
    /** Verify the peer; fail when it has no valid certificate. Client default. */
    CWMP_TLS_VERIFY_REQUIRED = 0,
    /** Server only: ask for a client certificate, verify it when one is sent. */
    CWMP_TLS_VERIFY_OPTIONAL = 1,
    /** No verification (server default: no client certificate asked).
     *  On a client this disables all server authentication: tests only. */
    CWMP_TLS_VERIFY_NONE = 2,
};

/** @brief Why a handshake failed: bit flags in cwmp_tls_status.failures. @since 0.1 */
enum cwmp_tls_failure {
    CWMP_TLS_FAIL_UNTRUSTED = 0x01,     /**< chain does not lead to a configured CA */
    CWMP_TLS_FAIL_NAME = 0x02,          /**< certificate does not name the host / IP */
    CWMP_TLS_FAIL_EXPIRED = 0x04,       /**< a certificate (or the CRL) has expired */
    CWMP_TLS_FAIL_NOT_YET_VALID = 0x08, /**< a certificate is not valid yet */
    CWMP_TLS_FAIL_REVOKED = 0x10,       /**< revoked by the configured CRL */
    CWMP_TLS_FAIL_NO_CERT = 0x20,       /**< the peer sent no certificate */
    CWMP_TLS_FAIL_BAD_CERT = 0x40,      /**< other certificate problem (usage, algorithm) */
    CWMP_TLS_FAIL_HANDSHAKE = 0x100,    /**< protocol failure, alert, no common version */
    CWMP_TLS_FAIL_CONFIG = 0x200,       /**< local configuration unusable (no CA, no key) */
};

/**
 * @brief Outcome of a handshake, filled by the *_ex wrap functions.
 * @since 0.1
 */
struct cwmp_tls_status {
    unsigned int failures; /**< enum cwmp_tls_failure bits; 0 on success */
    int mbedtls_error;     /**< the raw mbedTLS error code, 0 if none */
    int resumed;           /**< non-zero when an earlier session was resumed */
    char detail[192];      /**< human-readable reason, "" on success */
};

/**
 * @brief Creates a configuration with the secure defaults.
 *
 * Seeds a private entropy source and CTR_DRBG (no global state). A server
 * configuration has session tickets and a session cache enabled.
 * @param out   the new configuration; free with cwmp_tls_config_free()
 * @param role  client or server
 * @param alloc allocator for libcwmp's objects (NULL = default)
 * @return 0, CWMP_ERR_NOMEM, CWMP_ERR_TLS (random generator could not be seeded)
 * @since 0.1
 */
CWMP_API int cwmp_tls_config_new(struct cwmp_tls_config **out, enum cwmp_tls_role role,
                                 const struct cwmp_allocator *alloc);

/** @brief Frees a configuration (NULL is ignored). No stream may still use it. @since 0.1 */
CWMP_API void cwmp_tls_config_free(struct cwmp_tls_config *cfg);

/**
 * @brief Adds trusted CA certificates from a PEM or DER file.
 * @return 0, CWMP_ERR_INVALID_ARG, CWMP_ERR_TLS (unreadable or not a certificate)
 * @since 0.1
 */
CWMP_API int cwmp_tls_config_add_ca_file(struct cwmp_tls_config *cfg, const char *path);

/**
 * @brief Adds every CA certificate found in a directory.
 * @return 0, CWMP_ERR_TLS when the directory cannot be read or holds no certificate
 * @since 0.1
 */
CWMP_API int cwmp_tls_config_add_ca_dir(struct cwmp_tls_config *cfg, const char *path);

/**
 * @brief Adds trusted CA certificates from memory (PEM or DER; copied).
 * @since 0.1
 */
CWMP_API int cwmp_tls_config_add_ca_mem(struct cwmp_tls_config *cfg, const uint8_t *data,
                                        size_t len);

/**
 * @brief Adds a CRL (PEM or DER file). Peers whose certificate it revokes
 * fail with CWMP_TLS_FAIL_REVOKED; an expired CRL fails verification too.
 * @since 0.1
 */
CWMP_API int cwmp_tls_config_add_crl_file(struct cwmp_tls_config *cfg, const char *path);

/**
 * @brief Sets the own certificate (chain) and private key from files: the
 * server certificate, or the client's device certificate (TS 33.320).
 * @param key_password NULL when the key is not encrypted
 * @return 0, CWMP_ERR_TLS (unreadable, or key and certificate do not match)
 * @since 0.1
 */
CWMP_API int cwmp_tls_config_set_own_cert_file(struct cwmp_tls_config *cfg, const char *cert_path,
                                               const char *key_path, const char *key_password);

/** @brief As cwmp_tls_config_set_own_cert_file() from memory (copied). @since 0.1 */
CWMP_API int cwmp_tls_config_set_own_cert_mem(struct cwmp_tls_config *cfg, const uint8_t *cert,
                                              size_t cert_len, const uint8_t *key, size_t key_len,
                                              const char *key_password);

/**
 * @brief Sets peer verification (see enum cwmp_tls_verify).
 * @return 0, CWMP_ERR_INVALID_ARG (OPTIONAL on a client)
 * @since 0.1
 */
CWMP_API int cwmp_tls_config_set_verify(struct cwmp_tls_config *cfg, enum cwmp_tls_verify mode);

/**
 * @brief Sets the TLS 1.2 ciphersuites, by IANA number, in preference order.
 *
 * The default offers only AEAD suites with forward secrecy (ECDHE/DHE with
 * AES-GCM or ChaCha20-Poly1305; AES first where this mbedTLS build runs AES
 * in hardware). Pass a wider list (e.g. with CBC suites) only for a peer that
 * needs it.
 * @param ids 0-terminated list that must outlive the configuration; NULL
 *            restores the default
 * @return 0, CWMP_ERR_INVALID_ARG (empty list), CWMP_ERR_UNSUPPORTED (a
 *   suite this mbedTLS build does not know)
 * @since 0.1
 */
CWMP_API int cwmp_tls_config_set_ciphersuites(struct cwmp_tls_config *cfg, const int *ids);

/**
 * @brief Server: lifetime of resumable sessions (tickets and cache) in
 * seconds; 0 disables resumption. Default 3600. No effect on a client.
 * @since 0.1
 */
CWMP_API int cwmp_tls_config_set_session_lifetime(struct cwmp_tls_config *cfg, int seconds);

/**
 * @brief Routes log lines (handshake failures, and mbedTLS debug output up
 * to @p mbedtls_debug_level, 0-4) to a libcwmp log hook.
 *
 * mbedTLS keeps its debug threshold process-wide; a level > 0 raises it
 * for every mbedTLS user in the process, and each configuration filters
 * back to its own level.
 * @since 0.1
 */
CWMP_API int cwmp_tls_config_set_log(struct cwmp_tls_config *cfg, cwmp_log_fn fn, void *user_data,
                                     int mbedtls_debug_level);

/**
 * @brief Creates an empty resumption holder for the connections to one
 * server. A holder remembers the host it was filled for and is only
 * offered to that host. One thread at a time.
 * @since 0.1
 */
CWMP_API int cwmp_tls_session_new(struct cwmp_tls_session **out,
                                  const struct cwmp_allocator *alloc);

/** @brief Forgets the stored session. @since 0.1 */
CWMP_API void cwmp_tls_session_clear(struct cwmp_tls_session *session);

/** @brief Frees a holder (NULL is ignored). @since 0.1 */
CWMP_API void cwmp_tls_session_free(struct cwmp_tls_session *session);

/**
 * @brief Runs a client handshake over @p tcp.
 *
 * Sends SNI for a DNS name (never for an IP address), verifies the server
 * per the configuration and the exact identity rules above, within
 * @p timeout_ms (<= 0: none) for the whole handshake.
 * Takes ownership of @p tcp in every case: on failure it is closed.
 * @param host the ACS host exactly as configured (FQDN, IPv4, IPv6 with or
 *             without brackets)
 * @param out  the TLS stream; its timeout_ms starts as the one of @p tcp
 * @return 0, CWMP_ERR_TLS (handshake or verification failed),
 *   CWMP_ERR_TIMEOUT, CWMP_ERR_CLOSED, CWMP_ERR_IO, CWMP_ERR_NOMEM,
 *   CWMP_ERR_INVALID_ARG
 * @since 0.1
 */
CWMP_API int cwmp_tls_wrap_client(const struct cwmp_tls_config *cfg, struct cwmp_stream *tcp,
                                  const char *host, int timeout_ms, struct cwmp_stream **out);

/**
 * @brief As cwmp_tls_wrap_client(), with session resumption and a status.
 * @param session resumption holder (NULL = none): offered when it holds a
 *                session for @p host, refilled after a successful handshake
 * @param status  optional outcome (failure reasons, detail text, resumed)
 * @since 0.1
 */
CWMP_API int cwmp_tls_wrap_client_ex(const struct cwmp_tls_config *cfg, struct cwmp_stream *tcp,
                                     const char *host, int timeout_ms,
                                     struct cwmp_tls_session *session,
                                     struct cwmp_tls_status *status, struct cwmp_stream **out);

/**
 * @brief Runs a server handshake over @p tcp (takes ownership in every case).
 * @return as cwmp_tls_wrap_client(); CWMP_ERR_TLS when the configuration
 *   has no own certificate.
 * @since 0.1
 */
CWMP_API int cwmp_tls_wrap_server(const struct cwmp_tls_config *cfg, struct cwmp_stream *tcp,
                                  int timeout_ms, struct cwmp_stream **out);

/** @brief As cwmp_tls_wrap_server() with an optional status. @since 0.1 */
CWMP_API int cwmp_tls_wrap_server_ex(const struct cwmp_tls_config *cfg, struct cwmp_stream *tcp,
                                     int timeout_ms, struct cwmp_tls_status *status,
                                     struct cwmp_stream **out);

/**
 * @brief Starts a client handshake without doing any I/O, for poll/epoll
 * loops: set O_NONBLOCK on the socket, then call cwmp_tls_handshake() each
 * time it is ready. Takes ownership of @p tcp in every case.
 * @param session as for cwmp_tls_wrap_client_ex(); must outlive the handshake
 * @param out a TLS stream that reads and writes only once the handshake is
 *   done (CWMP_ERR_STATE before); close it with cwmp_stream_close()
 * @return 0, CWMP_ERR_TLS (configuration unusable), CWMP_ERR_NOMEM,
 *   CWMP_ERR_INVALID_ARG
 * @since 0.1
 */
CWMP_API int cwmp_tls_start_client(const struct cwmp_tls_config *cfg, struct cwmp_stream *tcp,
                                   const char *host, struct cwmp_tls_session *session,
                                   struct cwmp_stream **out);

/** @brief As cwmp_tls_start_client() for the server side (an ACS serving many CPEs). @since 0.1 */
CWMP_API int cwmp_tls_start_server(const struct cwmp_tls_config *cfg, struct cwmp_stream *tcp,
                                   struct cwmp_stream **out);

/**
 * @brief Advances a handshake begun with cwmp_tls_start_*() as far as the
 * socket allows. The caller bounds the total time (e.g. closes the stream
 * when its own deadline passes).
 * @return 0 done (status->resumed says how); CWMP_ERR_AGAIN: wait for the
 *   fd to become writable (cwmp_tls_want_write()) or readable, then call
 *   again; CWMP_ERR_TLS / CWMP_ERR_CLOSED / CWMP_ERR_IO: failed (status
 *   says why), close the stream; CWMP_ERR_STATE after a failure
 * @since 0.1
 */
CWMP_API int cwmp_tls_handshake(struct cwmp_stream *s, struct cwmp_tls_status *status);

/** @brief After CWMP_ERR_AGAIN from cwmp_tls_handshake(): non-zero to poll for POLLOUT. @since 0.1
 */
CWMP_API int cwmp_tls_want_write(const struct cwmp_stream *s);

/** @brief Non-zero when @p s is a TLS stream made by this module. @since 0.1 */
CWMP_API int cwmp_tls_is_tls(const struct cwmp_stream *s);

/**
 * @brief Whether the handshake of a TLS stream resumed a session.
 * @return 1 resumed, 0 full handshake, CWMP_ERR_INVALID_ARG not a TLS stream
 * @since 0.1
 */
CWMP_API int cwmp_tls_resumed(const struct cwmp_stream *s);

/**
 * @brief Decrypted bytes already buffered in a TLS stream: read them
 * before waiting in poll() on the fd. 0 for other streams.
 * @since 0.1
 */
CWMP_API size_t cwmp_tls_pending(const struct cwmp_stream *s);

/**
 * @brief The subject DN of the peer certificate ("CN=..., O=...").
 * @return 0; CWMP_ERR_NOT_FOUND (no peer certificate), CWMP_ERR_BUFFER,
 *   CWMP_ERR_INVALID_ARG (not a TLS stream)
 * @since 0.1
 */
CWMP_API int cwmp_tls_peer_subject(const struct cwmp_stream *s, char *buf, size_t size);

/** @brief Negotiated ciphersuite name, or "" for non-TLS streams; never NULL. @since 0.1 */
CWMP_API const char *cwmp_tls_ciphersuite(const struct cwmp_stream *s);

#ifdef __cplusplus
}
#endif

#endif /* CWMP_TLS_H */
