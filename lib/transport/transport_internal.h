/*
 * libcwmp transport - helpers shared by the transport sources. Not installed.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CWMP_TRANSPORT_INTERNAL_H
#define CWMP_TRANSPORT_INTERNAL_H

#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cwmp/common.h>

/*
 * libcwmp-transport links with libcwmp's public ABI only, so the core's
 * non-inline internal helpers (cwmp__alloc_or_default, cwmp__calloc) are out
 * of reach; these are the transport's own.
 */
static inline const struct cwmp_allocator *cwmp__t_alloc(const struct cwmp_allocator *a)
{
    return a ? a : cwmp_default_allocator();
}

static inline void *cwmp__t_calloc(const struct cwmp_allocator *a, size_t n)
{
    void *p = a->malloc(n ? n : 1, a->user_data);
    if (p)
        memset(p, 0, n);
    return p;
}

static inline void cwmp__t_free(const struct cwmp_allocator *a, void *p)
{
    if (p)
        a->free(p, a->user_data);
}

/* Per-call timeout a new stream starts with (see cwmp_stream.timeout_ms). */
#define CWMP_TCP_DEFAULT_TIMEOUT_MS 30000

/** Monotonic clock in milliseconds (the transport may read clocks). */
int64_t cwmp__monotonic_ms(void);

/** poll() one fd for @p events; timeout_ms <= 0 waits forever.
 *  @return 0 when ready (or in error), CWMP_ERR_TIMEOUT, CWMP_ERR_IO. */
int cwmp__fd_wait(int fd, short events, int timeout_ms);

/** Numeric "ip:port" / "[ip6]:port" text, empty when it does not fit. */
void cwmp__format_peer(const struct sockaddr *sa, socklen_t sl, char *peer, size_t peer_size);

/** For the identity fuzzer and tests: parses one DER certificate and says
 *  whether it names @p host under libcwmp's rules (1 yes, 0 no, < 0 error). */
int cwmp__tls_identity_check(const uint8_t *der, size_t len, const char *host);

#endif
