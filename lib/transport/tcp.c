/*
 * libcwmp transport - plain TCP streams (POSIX sockets).
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Every socket is close-on-exec; writes never raise SIGPIPE (MSG_NOSIGNAL,
 * or SO_NOSIGPIPE where that is the mechanism). Blocking reads and writes
 * honour the stream's timeout_ms with poll(); a socket the application made
 * non-blocking gives CWMP_ERR_AGAIN instead of waiting.
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* accept4() */
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <cwmp/transport.h>

#include "transport_internal.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

struct tcp_stream {
    struct cwmp_stream base; /* first: the stream pointer is this pointer */
    const struct cwmp_allocator *alloc;
    int applied_timeout; /* timeout_ms last given to SO_RCVTIMEO/SO_SNDTIMEO */
};

int64_t cwmp__monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int remaining_ms(int64_t deadline)
{
    if (deadline < 0)
        return -1;
    int64_t left = deadline - cwmp__monotonic_ms();
    if (left <= 0)
        return 0;
    return left > INT_MAX ? INT_MAX : (int) left;
}

int cwmp__fd_wait(int fd, short events, int timeout_ms)
{
    int64_t deadline = timeout_ms > 0 ? cwmp__monotonic_ms() + timeout_ms : -1;
    for (;;) {
        struct pollfd p = {.fd = fd, .events = events, .revents = 0};
        int t = deadline < 0 ? -1 : remaining_ms(deadline);
        int n = poll(&p, 1, t);
        if (n > 0)
            return 0; /* readable, writable, or an error the next call reports */
        if (n == 0)
            return CWMP_ERR_TIMEOUT;
        if (errno != EINTR)
            return CWMP_ERR_IO;
    }
}

static int fd_is_nonblocking(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl >= 0 && (fl & O_NONBLOCK);
}

static int map_errno(int e)
{
    switch (e) {
    case EAGAIN:
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK:
#endif
        return CWMP_ERR_AGAIN;
    case EPIPE:
    case ECONNRESET:
    case ENOTCONN:
    case ESHUTDOWN: return CWMP_ERR_CLOSED;
    case ETIMEDOUT: return CWMP_ERR_TIMEOUT;
    default: return CWMP_ERR_IO;
    }
}

/*
 * The per-call timeout is the kernel's: SO_RCVTIMEO / SO_SNDTIMEO, set again
 * only when timeout_ms changes. A read or write is then one system call;
 * EAGAIN means "timed out" on a blocking socket and "would block" on one
 * the application made non-blocking (checked only on that path).
 */
static void apply_timeout(struct tcp_stream *t)
{
    int ms = t->base.timeout_ms > 0 ? t->base.timeout_ms : 0;
    if (ms == t->applied_timeout)
        return;
    struct timeval tv;
    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    (void) setsockopt(t->base.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    (void) setsockopt(t->base.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    t->applied_timeout = ms;
}

static int again_or_timeout(int fd)
{
    return fd_is_nonblocking(fd) ? CWMP_ERR_AGAIN : CWMP_ERR_TIMEOUT;
}

static int tcp_read(struct cwmp_stream *s, uint8_t *buf, size_t len)
{
    if (len > INT_MAX)
        len = INT_MAX;
    apply_timeout((struct tcp_stream *) s);
    for (;;) {
        ssize_t n = recv(s->fd, buf, len, 0);
        if (n >= 0)
            return (int) n;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return again_or_timeout(s->fd);
        return map_errno(errno);
    }
}

static int tcp_write(struct cwmp_stream *s, const uint8_t *buf, size_t len)
{
    if (len > INT_MAX)
        len = INT_MAX;
    apply_timeout((struct tcp_stream *) s);
    for (;;) {
        ssize_t n = send(s->fd, buf, len, MSG_NOSIGNAL);
        if (n > 0 || (n == 0 && len == 0))
            return (int) n;
        if (n == 0)
            return CWMP_ERR_IO;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return again_or_timeout(s->fd);
        return map_errno(errno);
    }
}

static void tcp_close(struct cwmp_stream *s)
{
    struct tcp_stream *t = (struct tcp_stream *) s;
    if (s->fd >= 0)
        close(s->fd);
    cwmp__t_free(t->alloc, t);
}

static void set_socket_options(int fd)
{
    int one = 1;
    /* Request/response traffic: do not let Nagle hold back the last segment. */
    (void) setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
#ifdef SO_NOSIGPIPE
    (void) setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof(one));
#endif
}

static int set_cloexec(int fd)
{
    int fl = fcntl(fd, F_GETFD);
    if (fl < 0 || fcntl(fd, F_SETFD, fl | FD_CLOEXEC) < 0)
        return -1;
    return 0;
}

static int set_nonblocking(int fd, int on)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0)
        return -1;
    fl = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
    return fcntl(fd, F_SETFL, fl);
}

static int new_socket(int family, int type, int proto)
{
#ifdef SOCK_CLOEXEC
    int fd = socket(family, type | SOCK_CLOEXEC, proto);
    if (fd >= 0 || errno != EINVAL)
        return fd;
#endif
    fd = socket(family, type, proto);
    if (fd >= 0 && set_cloexec(fd) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int cwmp_tcp_stream_from_fd(const struct cwmp_allocator *alloc, int fd, struct cwmp_stream **out)
{
    if (!out || fd < 0) {
        if (fd >= 0)
            close(fd);
        return CWMP_ERR_INVALID_ARG;
    }
    *out = NULL;
    alloc = cwmp__t_alloc(alloc);
    struct tcp_stream *t = cwmp__t_calloc(alloc, sizeof(*t));
    if (!t) {
        close(fd);
        return CWMP_ERR_NOMEM;
    }
    t->alloc = alloc;
    t->base.read = tcp_read;
    t->base.write = tcp_write;
    t->base.close = tcp_close;
    t->base.fd = fd;
    t->base.timeout_ms = CWMP_TCP_DEFAULT_TIMEOUT_MS;
    t->applied_timeout = -1; /* unknown: set on first use */
    set_socket_options(fd);
    *out = &t->base;
    return 0;
}

static int map_gai(int rc)
{
    switch (rc) {
    case EAI_NONAME:
#ifdef EAI_NODATA
    case EAI_NODATA:
#endif
    case EAI_FAMILY: return CWMP_ERR_NOT_FOUND;
    case EAI_MEMORY: return CWMP_ERR_NOMEM;
    case EAI_AGAIN: return CWMP_ERR_TIMEOUT;
    default: return CWMP_ERR_IO;
    }
}

/* Connects one address within the deadline; returns the socket or < 0. */
static int connect_one(const struct addrinfo *ai, int64_t deadline, int *err)
{
#ifdef SOCK_NONBLOCK
    int fd = new_socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK, ai->ai_protocol);
#else
    int fd = new_socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
#endif
    if (fd < 0) {
        *err = CWMP_ERR_IO;
        return -1;
    }
#ifndef SOCK_NONBLOCK
    if (set_nonblocking(fd, 1) != 0)
        goto io;
#endif
    /* EINTR: the connection goes on asynchronously, as with EINPROGRESS. */
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        if (errno != EINPROGRESS && errno != EINTR)
            goto io;
        int t = remaining_ms(deadline);
        if (t == 0) {
            *err = CWMP_ERR_TIMEOUT;
            close(fd);
            return -1;
        }
        int w = cwmp__fd_wait(fd, POLLOUT, t < 0 ? 0 : t);
        if (w != 0) {
            *err = w;
            close(fd);
            return -1;
        }
        int soerr = 0;
        socklen_t sl = sizeof(soerr);
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0 || soerr != 0) {
            *err = soerr == ETIMEDOUT ? CWMP_ERR_TIMEOUT : CWMP_ERR_IO;
            close(fd);
            return -1;
        }
    }
    if (set_nonblocking(fd, 0) != 0)
        goto io;
    return fd;
io:
    *err = CWMP_ERR_IO;
    close(fd);
    return -1;
}

int cwmp_tcp_connect(const struct cwmp_allocator *alloc, const char *host, uint16_t port,
                     int timeout_ms, struct cwmp_stream **out)
{
    if (!out)
        return CWMP_ERR_INVALID_ARG;
    *out = NULL;
    if (!host || !*host || port == 0)
        return CWMP_ERR_INVALID_ARG;
    /* "[::1]" as written in URLs: accept and strip the brackets. */
    char hbuf[256];
    size_t hl = strlen(host);
    if (hl >= sizeof(hbuf))
        return CWMP_ERR_INVALID_ARG;
    if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
        memcpy(hbuf, host + 1, hl - 2);
        hbuf[hl - 2] = '\0';
    } else {
        memcpy(hbuf, host, hl + 1);
    }
    char pbuf[8];
    snprintf(pbuf, sizeof(pbuf), "%u", (unsigned) port);
    struct addrinfo hints;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | AI_NUMERICHOST;
    struct addrinfo *res = NULL;
    int64_t deadline = timeout_ms > 0 ? cwmp__monotonic_ms() + timeout_ms : -1;
    /* An address literal never needs the resolver. */
    int rc = getaddrinfo(hbuf, pbuf, &hints, &res);
    if (rc == EAI_NONAME) {
        hints.ai_flags = AI_NUMERICSERV;
        rc = getaddrinfo(hbuf, pbuf, &hints, &res);
    }
    if (rc != 0)
        return map_gai(rc);
    int err = CWMP_ERR_NOT_FOUND, fd = -1;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = connect_one(ai, deadline, &err);
        if (fd >= 0 || err == CWMP_ERR_TIMEOUT)
            break;
    }
    freeaddrinfo(res);
    if (fd < 0)
        return err;
    rc = cwmp_tcp_stream_from_fd(alloc, fd, out);
    if (rc == 0 && timeout_ms > 0)
        (*out)->timeout_ms = timeout_ms;
    return rc;
}

int cwmp_tcp_listen(const char *host, uint16_t port, int backlog, int *out_fd)
{
    if (!out_fd)
        return CWMP_ERR_INVALID_ARG;
    *out_fd = -1;
    char pbuf[8];
    snprintf(pbuf, sizeof(pbuf), "%u", (unsigned) port);
    struct addrinfo hints;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(host && *host ? host : NULL, pbuf, &hints, &res);
    if (rc != 0)
        return map_gai(rc);
    int err = CWMP_ERR_IO;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        int fd = new_socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0)
            continue;
        int one = 1;
        (void) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
            listen(fd, backlog > 0 ? backlog : SOMAXCONN) == 0) {
            *out_fd = fd;
            err = 0;
            break;
        }
        close(fd);
    }
    freeaddrinfo(res);
    return err;
}

uint16_t cwmp_tcp_local_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    if (fd < 0 || getsockname(fd, (struct sockaddr *) &ss, &sl) != 0)
        return 0;
    if (ss.ss_family == AF_INET)
        return ntohs(((struct sockaddr_in *) &ss)->sin_port);
    if (ss.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *) &ss)->sin6_port);
    return 0;
}

void cwmp__format_peer(const struct sockaddr *sa, socklen_t sl, char *peer, size_t peer_size)
{
    if (!peer || peer_size == 0)
        return;
    peer[0] = '\0';
    char h[NI_MAXHOST], p[NI_MAXSERV];
    if (getnameinfo(sa, sl, h, sizeof(h), p, sizeof(p), NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return;
    int n = snprintf(peer, peer_size, sa->sa_family == AF_INET6 ? "[%s]:%s" : "%s:%s", h, p);
    if (n < 0 || (size_t) n >= peer_size)
        peer[0] = '\0'; /* never a truncated address */
}

int cwmp_tcp_accept(const struct cwmp_allocator *alloc, int listen_fd, int timeout_ms, char *peer,
                    size_t peer_size, struct cwmp_stream **out)
{
    if (!out)
        return CWMP_ERR_INVALID_ARG;
    *out = NULL;
    if (listen_fd < 0)
        return CWMP_ERR_INVALID_ARG;
    if (peer && peer_size)
        peer[0] = '\0';
    int64_t deadline = timeout_ms > 0 ? cwmp__monotonic_ms() + timeout_ms : -1;
    for (;;) {
        int t = timeout_ms < 0 ? -1 : timeout_ms == 0 ? 0 : remaining_ms(deadline);
        struct pollfd p = {.fd = listen_fd, .events = POLLIN, .revents = 0};
        int n = poll(&p, 1, t);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return CWMP_ERR_IO;
        if (n == 0)
            return timeout_ms == 0 ? CWMP_ERR_AGAIN : CWMP_ERR_TIMEOUT;
        struct sockaddr_storage ss;
        socklen_t sl = sizeof(ss);
#if defined(SOCK_CLOEXEC) && defined(__linux__)
        int fd = accept4(listen_fd, (struct sockaddr *) &ss, &sl, SOCK_CLOEXEC);
#else
        int fd = accept(listen_fd, (struct sockaddr *) &ss, &sl);
        if (fd >= 0 && set_cloexec(fd) != 0) {
            close(fd);
            return CWMP_ERR_IO;
        }
#endif
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                /* The peer went away between poll() and accept(). */
                if (timeout_ms == 0)
                    return CWMP_ERR_AGAIN;
                continue;
            }
            return CWMP_ERR_IO;
        }
        /* Accepted sockets start blocking whatever the listener is. */
        (void) set_nonblocking(fd, 0);
        cwmp__format_peer((struct sockaddr *) &ss, sl, peer, peer_size);
        return cwmp_tcp_stream_from_fd(alloc, fd, out);
    }
}
