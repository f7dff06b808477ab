/* libcwmp tests - a minimal ACS for test_hnb_agent.c (see hnb_agent_acs.c).
 * SPDX-License-Identifier: BSD-2-Clause */
#ifndef HNB_AGENT_ACS_H
#define HNB_AGENT_ACS_H
#include <stddef.h>
struct tacs;
struct tacs *tacs_new(void);
void tacs_free(struct tacs *t);
/** The next session asks for a Download of a CM file at @p url. */
void tacs_queue_download(struct tacs *t, const char *url);
/** The next session asks for a Reboot (CommandKey "rb1"). */
void tacs_queue_reboot(struct tacs *t);
/** The next session asks for a FactoryReset. */
void tacs_queue_factory_reset(struct tacs *t);
/** One POST body in, the reply body out (malloc'ed; "" = 204).
 *  @p done: 1 session ended ok, -1 failed, 0 goes on. @return 0 or -1. */
int tacs_feed(struct tacs *t, const char *body, size_t len, char **reply, size_t *reply_len,
              int *done);
/** The connection closed: drop the session in progress. */
void tacs_end(struct tacs *t);
#endif
