/*
 * libcwmp examples - local control sockets (`hnb-agent ctl`, `hms ctl`).
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file ctlsock.h
 * @brief A Unix-domain stream socket in the program's state directory:
 * the client sends one command line, the server answers with text and
 * closes the connection. The first line of the answer is `ok` or
 * `error: <reason>`; the rest is the command's output.
 *
 * The socket file is created with mode 0600 (owner only). A stale socket
 * file left by a previous run is replaced; any other kind of file at that
 * path is left alone and reported. Every wait has a timeout.
 */
#ifndef EX_CTLSOCK_H
#define EX_CTLSOCK_H

#include <stddef.h>

#include <cwmp/error.h>

#include "strbuf.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest command line, and longest answer read by the client. */
#define CTLSOCK_MAX_LINE  1024
#define CTLSOCK_MAX_REPLY (256 * 1024)

/**
 * @brief Creates the listening socket at @p path (non-blocking, close-on-exec).
 * @return the descriptor (>= 0), or a negative enum cwmp_error with a
 *         message in @p err: CWMP_ERR_INVALID_ARG (path too long),
 *         CWMP_ERR_STATE (a non-socket file is in the way), CWMP_ERR_IO
 */
int ctlsock_listen(const char *path, char *err, size_t errlen);

/** @brief Accepts one client if one is waiting: descriptor, or -1 when none
 *  (poll the listening descriptor for readability first). */
int ctlsock_accept(int lfd);

/**
 * @brief Reads one line (without its newline) from a client, waiting at
 * most @p timeout_ms in total.
 * @return its length; CWMP_ERR_TIMEOUT; CWMP_ERR_LIMIT (line longer than
 *         @p cap - 1); CWMP_ERR_CLOSED (no newline before end of stream);
 *         CWMP_ERR_IO
 */
int ctlsock_read_line(int fd, char *buf, size_t cap, int timeout_ms);

/** @brief Writes all of @p data within @p timeout_ms. @return 0,
 *  CWMP_ERR_TIMEOUT, CWMP_ERR_IO */
int ctlsock_write_all(int fd, const char *data, size_t len, int timeout_ms);

/**
 * @brief Client: connects to @p path, sends @p line (a newline is added),
 * and reads the whole answer into @p reply.
 * @return 0 when the answer starts with "ok"; 1 when it starts with
 *         "error:"; a negative enum cwmp_error on a transport problem
 *         (message in @p err)
 */
int ctlsock_request(const char *path, const char *line, struct ex_buf *reply, int timeout_ms,
                    char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
