/*
 * libcwmp examples - local control sockets.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "ctlsock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int say(char *err, size_t errlen, int rv, const char *what, const char *path)
{
    if (err && errlen)
        snprintf(err, errlen, "%s %s: %s", what, path, strerror(errno));
    return rv;
}

static int fill_addr(struct sockaddr_un *a, const char *path)
{
    memset(a, 0, sizeof(*a));
    a->sun_family = AF_UNIX;
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof(a->sun_path))
        return -1;
    memcpy(a->sun_path, path, n + 1);
    return 0;
}

static int nonblock_cloexec(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) != 0
               ? -1
               : 0;
}

/* A non-blocking, close-on-exec Unix stream socket. */
static int unix_socket(void)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd >= 0 && nonblock_cloexec(fd) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for @p events on fd until the absolute deadline. */
static int wait_fd(int fd, short events, long long deadline)
{
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0)
            return CWMP_ERR_TIMEOUT;
        struct pollfd p = {fd, events, 0};
        int r = poll(&p, 1, left > 60000 ? 60000 : (int) left);
        if (r > 0)
            return 0;
        if (r < 0 && errno != EINTR)
            return CWMP_ERR_IO;
    }
}

int ctlsock_listen(const char *path, char *err, size_t errlen)
{
    struct sockaddr_un a;
    if (!path || fill_addr(&a, path)) {
        if (err && errlen)
            snprintf(err, errlen, "socket path empty or longer than %zu bytes",
                     sizeof(a.sun_path) - 1);
        return CWMP_ERR_INVALID_ARG;
    }
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            if (err && errlen)
                snprintf(err, errlen, "%s exists and is not a socket", path);
            return CWMP_ERR_STATE;
        }
        unlink(path); /* stale socket from an earlier run */
    }
    int fd = unix_socket();
    if (fd < 0)
        return say(err, errlen, CWMP_ERR_IO, "socket", path);
    mode_t old = umask(0177); /* the socket file gets mode 0600 */
    int rc = bind(fd, (struct sockaddr *) &a, sizeof(a));
    umask(old);
    if (rc != 0 || listen(fd, 8) != 0) {
        int rv = say(err, errlen, CWMP_ERR_IO, rc ? "bind" : "listen", path);
        close(fd);
        return rv;
    }
    return fd;
}

int ctlsock_accept(int lfd)
{
    int fd = accept(lfd, NULL, NULL);
    if (fd >= 0 && nonblock_cloexec(fd) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

int ctlsock_read_line(int fd, char *buf, size_t cap, int timeout_ms)
{
    if (!buf || cap < 2)
        return CWMP_ERR_INVALID_ARG;
    long long deadline = now_ms() + timeout_ms;
    size_t n = 0;
    for (;;) {
        /* Byte by byte: never consume more than the line. */
        char c;
        ssize_t r = read(fd, &c, 1);
        if (r == 1) {
            if (c == '\n') {
                buf[n] = '\0';
                return (int) n;
            }
            if (n + 1 >= cap)
                return CWMP_ERR_LIMIT;
            buf[n++] = c;
            continue;
        }
        if (r == 0)
            return CWMP_ERR_CLOSED;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return CWMP_ERR_IO;
        int w = wait_fd(fd, POLLIN, deadline);
        if (w)
            return w;
    }
}

int ctlsock_write_all(int fd, const char *data, size_t len, int timeout_ms)
{
    long long deadline = now_ms() + timeout_ms;
    while (len) {
        ssize_t w = send(fd, data, len, MSG_NOSIGNAL);
        if (w > 0) {
            data += w;
            len -= (size_t) w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int r = wait_fd(fd, POLLOUT, deadline);
            if (r)
                return r;
            continue;
        }
        return CWMP_ERR_IO;
    }
    return 0;
}

int ctlsock_request(const char *path, const char *line, struct ex_buf *reply, int timeout_ms,
                    char *err, size_t errlen)
{
    struct sockaddr_un a;
    if (!path || !line || !reply || fill_addr(&a, path) || strchr(line, '\n') ||
        strlen(line) >= CTLSOCK_MAX_LINE) {
        if (err && errlen)
            snprintf(err, errlen, "bad socket path or command line");
        return CWMP_ERR_INVALID_ARG;
    }
    long long deadline = now_ms() + timeout_ms;
    int fd = unix_socket();
    if (fd < 0)
        return say(err, errlen, CWMP_ERR_IO, "socket", path);
    int rv;
    if (connect(fd, (struct sockaddr *) &a, sizeof(a)) != 0 && errno != EINPROGRESS &&
        errno != EAGAIN) {
        rv = say(err, errlen, CWMP_ERR_IO, "connect", path);
        goto out;
    }
    if ((rv = ctlsock_write_all(fd, line, strlen(line), timeout_ms)) ||
        (rv = ctlsock_write_all(fd, "\n", 1, timeout_ms))) {
        if (err && errlen)
            snprintf(err, errlen, "%s: cannot send the command", path);
        goto out;
    }
    shutdown(fd, SHUT_WR);
    for (;;) {
        char buf[4096];
        ssize_t r = read(fd, buf, sizeof(buf));
        if (r > 0) {
            if (reply->len + (size_t) r > CTLSOCK_MAX_REPLY) {
                rv = CWMP_ERR_LIMIT;
                if (err && errlen)
                    snprintf(err, errlen, "answer longer than %d bytes", CTLSOCK_MAX_REPLY);
                goto out;
            }
            ex_buf_add(reply, buf, (size_t) r);
            continue;
        }
        if (r == 0)
            break;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            rv = say(err, errlen, CWMP_ERR_IO, "read", path);
            goto out;
        }
        if ((rv = wait_fd(fd, POLLIN, deadline))) {
            if (err && errlen)
                snprintf(err, errlen, "%s: no answer within %d ms", path, timeout_ms);
            goto out;
        }
    }
    if ((rv = ex_buf_error(reply))) {
        if (err && errlen)
            snprintf(err, errlen, "out of memory");
        goto out;
    }
    if (reply->len >= 2 && !strncmp(reply->data, "ok", 2) &&
        (reply->len == 2 || reply->data[2] == '\n'))
        rv = 0;
    else if (reply->len >= 6 && !strncmp(reply->data, "error:", 6))
        rv = 1;
    else {
        rv = CWMP_ERR_PROTOCOL;
        if (err && errlen)
            snprintf(err, errlen, "%s: answer does not start with ok or error:", path);
    }
out:
    close(fd);
    return rv;
}
