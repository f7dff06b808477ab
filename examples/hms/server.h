/*
 * libcwmp examples - the HMS program's server: CWMP listener, file server,
 * connection requests. Built only on libcwmp's public API.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file server.h
 * @brief One HMS process (initial, serving, or both roles): a CWMP
 * listener driving one ACS session per connection, a file server for CM
 * downloads and PM uploads, and connection requests for the
 * `ConnectionRequest` tasks that `hms-ctl connreq` queues.
 * hms_server_step() serves up to `max_connections` CWMP connections at once
 * from one poll() loop (non-blocking TLS handshakes and I/O), and up to
 * `max_file_connections` file-server connections from the same loop;
 * connection requests go out
 * from a helper thread (the registry stays with the caller's thread).
 */
#ifndef HMS_SERVER_H
#define HMS_SERVER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Command-line settings that the config file does not carry. */
struct hms_server_opts {
    const char *trace_path;  /**< trace file (examples/common/trace format); NULL: none */
    int cwmp_port;           /**< -1: the config's `listen` port; else this port (0: any) */
    const char *file_listen; /**< "<ip>:<port>" of the file server (port 0: any, and the
                                  Download URLs name the port picked); NULL: from `file_url`
                                  (port 0: any); "" : no file server */
    const char *cr_username; /**< connection-request credentials for devices that have
                                  none of their own in the registry (fallback); NULL: none */
    const char *cr_password;
    int cr_fixed;              /**< non-zero: generate no per-device credentials at
                                    registration; cr_username/cr_password for every device */
    int cr_max_attempts;       /**< attempts of one connection request (first one included)
                                    before its task fails; <= 0: 6 (waits of 1, 2, 4,
                                  8, 10 s: past the 20 s a device's rate limiter
                                  may need), at most 16 */
    int cr_retry_ms;           /**< wait before the 2nd attempt, doubled for each further
                                    one; <= 0: 1000 */
    int cr_retry_max_ms;       /**< bound of that wait; <= 0: 10000 */
    int cr_timeout_ms;         /**< connect / answer timeout of one attempt; <= 0: 5000 */
    const char *cwmp_username; /**< CPEs must authenticate (Digest; Basic over TLS only)
                                    with these; NULL: no authentication */
    const char *cwmp_password;
    int verbose;              /**< log every session to stderr */
    int max_connections;      /**< CWMP connections served at once (more wait in the listen
                                   backlog); <= 0: HMS_MAX_CONNS (64) */
    int io_timeout_ms;        /**< a connection's TLS handshake, each request, each response
                                   and each idle wait must end within this; <= 0: 10000 */
    long max_buffered_bytes;  /**< request bodies held by all connections together; a
                                   request that would pass it is answered 503;
                                   <= 0: 32 MiB; file-server request bodies and
                                   responses count too */
    int max_file_connections; /**< file-server connections served at once (more wait in
                                   the listen backlog); <= 0: HMS_MAX_FILE_CONNS (16) */
    int file_timeout_ms;      /**< a file-server request and its response must end within
                                   this, and each read or write that moves bytes gives
                                   another io_timeout_ms; <= 0: 60000 */
};

struct hms_server;

/**
 * @brief Reads the config text, opens the registry, listens.
 * @return 0, or non-zero with a message in @p err
 */
int hms_server_open(struct hms_server **out, const char *conf_text, size_t conf_len,
                    const struct hms_server_opts *opts, char *err, size_t errlen);
/** @brief Closes everything (NULL is fine). */
void hms_server_close(struct hms_server *s);
/** @brief The CWMP listener's port. */
uint16_t hms_server_cwmp_port(const struct hms_server *s);
/** @brief The file server's port (0: none). */
uint16_t hms_server_file_port(const struct hms_server *s);
/**
 * @brief Waits up to @p timeout_ms for activity on the listeners and the
 * open CWMP and file-server connections and moves each one on as far as
 * its socket allows; closes connections past
 * their I/O deadline; sends due connection requests.
 * @return 0, or a negative error of the listeners
 */
int hms_server_step(struct hms_server *s, int timeout_ms);

#ifdef __cplusplus
}
#endif

#endif
