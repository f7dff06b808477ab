/*
 * libcwmp - CWMP (TR-069) library for CPE and ACS.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file transport.h
 * @brief The byte-stream abstraction of the transport module
 * (libcwmp-transport) and plain TCP streams.
 *
 * A `struct cwmp_stream` is what HTTP runs over: a plain TCP socket
 * (cwmp_tcp_*), a TLS connection (cwmp/tls.h) or anything an application
 * provides. Streams are blocking with per-call timeouts, or non-blocking
 * (CWMP_ERR_AGAIN) for use from a poll/epoll loop on `fd`.
 */
#ifndef CWMP_TRANSPORT_H
#define CWMP_TRANSPORT_H

#include <cwmp/common.h>
#include <cwmp/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief A bidirectional byte stream.
 *
 * Implementations embed this struct first in their own state.
 * @since 0.1
 */
struct cwmp_stream {
    /**
     * Reads up to @p len bytes (callers never pass more than INT_MAX).
     * @return > 0 bytes read; 0 at orderly end of stream; < 0 an
     * enum cwmp_error: CWMP_ERR_AGAIN (non-blocking, nothing available),
     * CWMP_ERR_TIMEOUT, CWMP_ERR_IO, CWMP_ERR_TLS, CWMP_ERR_CLOSED.
     */
    int (*read)(struct cwmp_stream *s, uint8_t *buf, size_t len);
    /** Writes up to @p len bytes. @return > 0 bytes written, or < 0 as read. */
    int (*write)(struct cwmp_stream *s, const uint8_t *buf, size_t len);
    /** Closes the stream and frees it. */
    void (*close)(struct cwmp_stream *s);
    /** The socket underneath, for poll(); -1 when there is none. */
    int fd;
    /** Timeout of each blocking read/write in milliseconds; <= 0: none. */
    int timeout_ms;
};

/** @brief Reads through the stream's function. @since 0.1 */
static inline int cwmp_stream_read(struct cwmp_stream *s, uint8_t *buf, size_t len)
{
    return s->read(s, buf, len);
}

/** @brief Writes through the stream's function. @since 0.1 */
static inline int cwmp_stream_write(struct cwmp_stream *s, const uint8_t *buf, size_t len)
{
    return s->write(s, buf, len);
}

/** @brief Closes and frees; NULL is ignored. @since 0.1 */
static inline void cwmp_stream_close(struct cwmp_stream *s)
{
    if (s)
        s->close(s);
}

/**
 * @brief Connects a TCP stream to host:port (name resolution with
 * getaddrinfo, every address tried in turn) within @p timeout_ms.
 * @param alloc allocator for the stream object (NULL = default)
 * @param host  name or numeric address ("[v6]" brackets are accepted)
 * @param timeout_ms overall connect deadline, also the stream's initial
 *              timeout_ms; <= 0: none for the connect, 30000 for the stream
 * @param out   the new stream (blocking, TCP_NODELAY, close-on-exec);
 *              close with cwmp_stream_close()
 * @return 0, CWMP_ERR_TIMEOUT, CWMP_ERR_IO, CWMP_ERR_NOT_FOUND (name), CWMP_ERR_NOMEM
 * @since 0.1
 */
CWMP_API int cwmp_tcp_connect(const struct cwmp_allocator *alloc, const char *host, uint16_t port,
                              int timeout_ms, struct cwmp_stream **out);

/**
 * @brief Opens a listening TCP socket (SO_REUSEADDR, close-on-exec).
 * @param host address to bind ("127.0.0.1", "::", NULL = any)
 * @param port port; 0 picks a free one (see cwmp_tcp_local_port())
 * @param backlog listen() backlog; <= 0: SOMAXCONN
 * @param out_fd the listening socket (the caller closes it)
 * @return 0, CWMP_ERR_IO (bind/listen failed), CWMP_ERR_NOT_FOUND (host)
 * @since 0.1
 */
CWMP_API int cwmp_tcp_listen(const char *host, uint16_t port, int backlog, int *out_fd);

/** @brief The local port a socket is bound to, or 0 on error. @since 0.1 */
CWMP_API uint16_t cwmp_tcp_local_port(int fd);

/**
 * @brief Accepts one connection on @p listen_fd (waits up to @p timeout_ms;
 * < 0 waits forever) and wraps it in a stream.
 * A timeout of 0 polls once and gives CWMP_ERR_AGAIN when no connection
 * is pending. The new stream is blocking with timeout_ms = 30000.
 * @param peer optional buffer for the peer address text ("ip:port",
 *             "[ip6]:port"; empty when it does not fit)
 * @return 0, CWMP_ERR_TIMEOUT, CWMP_ERR_AGAIN, CWMP_ERR_IO, CWMP_ERR_NOMEM
 * @since 0.1
 */
CWMP_API int cwmp_tcp_accept(const struct cwmp_allocator *alloc, int listen_fd, int timeout_ms,
                             char *peer, size_t peer_size, struct cwmp_stream **out);

/**
 * @brief Wraps an already connected socket.
 *
 * Takes ownership of @p fd in every case (it is closed on error). The
 * stream starts with timeout_ms = 30000; set O_NONBLOCK on the fd to get
 * CWMP_ERR_AGAIN instead of waiting.
 * @return 0, CWMP_ERR_INVALID_ARG, CWMP_ERR_NOMEM
 * @since 0.1
 */
CWMP_API int cwmp_tcp_stream_from_fd(const struct cwmp_allocator *alloc, int fd,
                                     struct cwmp_stream **out);

#ifdef __cplusplus
}
#endif

#endif /* CWMP_TRANSPORT_H */
