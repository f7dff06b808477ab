/*
 * libcwmp examples - the agent's network side: HTTPS to the HMS, the
 * connection-request listener, file transfers (libcwmp-transport).
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Kept in its own translation unit so the agent's main loop sees only the
 * session side of the library. This header uses neither.
 */
#ifndef HNB_NET_H
#define HNB_NET_H

#include <stddef.h>
#include <stdint.h>

struct net;

/** Password lookup of the connection-request listener: copy the password
 *  of @p username into @p buf; 0 on success, non-zero when unknown. */
typedef int (*net_cr_password_fn)(void *user, const char *username, char *buf, size_t size);

/**
 * Creates the network side. @p root_ca, @p cert, @p key may be NULL (then
 * https URLs are refused / no client certificate is sent).
 * @return 0, or a negative enum cwmp_error with a message in @p err.
 */
int net_new(struct net **out, const char *root_ca, const char *cert, const char *key,
            int timeout_ms, char *err, size_t errlen);
void net_free(struct net *n);

/** Opens (lazily) a session towards @p url with the ACS credentials
 *  @p user / @p pass (NULL or "": none); the connection itself is made by
 *  the first post. @return 0 or a negative enum cwmp_error. */
int net_session_open(struct net *n, const char *url, const char *user, const char *pass);
/** POSTs one body (len 0: empty POST) and returns the reply body, valid
 *  until the next call. @return 0, or a negative error (session failed). */
int net_session_post(struct net *n, const char *body, size_t len, const char **reply,
                     size_t *reply_len, int *status);
/** Ends the session: closes the connection, forgets cookies. */
void net_session_close(struct net *n);
/** Detail of the last session error. */
const char *net_session_error(const struct net *n);

/** Listens for connection requests on @p host:@p port (0: any; see
 *  net_cr_port()), path @p path. @return the listening fd or < 0. */
int net_cr_listen(struct net *n, const char *host, uint16_t port, const char *path,
                  net_cr_password_fn pw, void *pw_user);
uint16_t net_cr_port(const struct net *n);
/** Serves one pending connection (call when the listening fd is readable).
 *  @return 1 when a session must start (6 CONNECTION REQUEST), 0 when not,
 *  < 0 on error. @p busy: a session is in progress (answered 503). */
int net_cr_serve(struct net *n, int busy);

/** Downloads @p url into memory (at most @p max_size bytes). @p *data is
 *  malloc'ed. @return 0 or a CWMP fault code (9xxx) with @p detail. */
int net_download(struct net *n, const char *url, const char *user, const char *pass,
                 uint64_t max_size, char **data, size_t *len, char *detail, size_t dlen);
/** Uploads @p data with PUT. @return 0 or a CWMP fault code (9xxx). */
int net_upload(struct net *n, const char *url, const char *user, const char *pass,
               const char *content_type, const void *data, size_t len, char *detail, size_t dlen);

#endif
