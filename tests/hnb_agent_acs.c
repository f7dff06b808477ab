/*
 * libcwmp tests - the ACS engine side of test_hnb_agent.c, in its own
 * translation unit.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "hnb_agent_acs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cwmp/acs.h>

struct tacs {
    struct cwmp_acs_config cfg;
    struct cwmp_acs_callbacks cb;
    struct cwmp_acs_session *s;
    char download_url[512];
    int download_pending;
    int factory_reset_pending;
    int reboot_pending;
};

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int next_request(struct cwmp_acs_session *s, struct cwmp_acs_request *req, void *u)
{
    struct tacs *t = u;
    (void) s;
    if (t->reboot_pending) {
        t->reboot_pending = 0;
        req->rpc.method = CWMP_METHOD_REBOOT;
        req->rpc.kind = CWMP_RPC_REQUEST;
        req->rpc.u.reboot.command_key = "rb1";
        return 1;
    }
    if (t->factory_reset_pending) {
        t->factory_reset_pending = 0;
        req->rpc.method = CWMP_METHOD_FACTORY_RESET;
        req->rpc.kind = CWMP_RPC_REQUEST;
        return 1;
    }
    if (!t->download_pending)
        return 0;
    t->download_pending = 0;
    req->rpc.method = CWMP_METHOD_DOWNLOAD;
    req->rpc.kind = CWMP_RPC_REQUEST;
    req->rpc.u.download.command_key = "cm1";
    req->rpc.u.download.file_type = "3 Vendor Configuration File";
    req->rpc.u.download.url = t->download_url;
    req->rpc.u.download.username = "";
    req->rpc.u.download.password = "";
    req->rpc.u.download.target_file_name = "";
    req->rpc.u.download.success_url = "";
    req->rpc.u.download.failure_url = "";
    return 1;
}

struct tacs *tacs_new(void)
{
    struct tacs *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->cb.next_request = next_request;
    t->cb.user_data = t;
    t->cfg.callbacks = &t->cb;
    return t;
}

void tacs_queue_download(struct tacs *t, const char *url)
{
    strncpy(t->download_url, url, sizeof(t->download_url) - 1);
    t->download_pending = 1;
}

void tacs_queue_reboot(struct tacs *t)
{
    t->reboot_pending = 1;
}

void tacs_queue_factory_reset(struct tacs *t)
{
    t->factory_reset_pending = 1;
}

int tacs_feed(struct tacs *t, const char *body, size_t len, char **reply, size_t *reply_len,
              int *done)
{
    const char *out = NULL;
    size_t olen = 0;
    *reply = NULL;
    *reply_len = 0;
    *done = 0;
    if (!t->s && cwmp_acs_session_new(&t->s, &t->cfg, wall_ms()) != 0)
        return -1;
    if (cwmp_acs_session_recv(t->s, body, len) != 0 ||
        (cwmp_acs_session_want_send(t->s) && cwmp_acs_session_send(t->s, &out, &olen) != 0)) {
        fprintf(stderr, "test ACS: %s\n", cwmp_acs_session_error_detail(t->s));
        return -1;
    }
    *reply = malloc(olen + 1);
    if (!*reply)
        return -1;
    if (olen)
        memcpy(*reply, out, olen);
    (*reply)[olen] = '\0';
    *reply_len = olen;
    if (cwmp_acs_session_done(t->s)) {
        *done = cwmp_acs_session_result(t->s) == CWMP_SESSION_OK ? 1 : -1;
        cwmp_acs_session_free(t->s);
        t->s = NULL;
    }
    return 0;
}

void tacs_end(struct tacs *t)
{
    if (t->s) {
        cwmp_acs_session_abort(t->s);
        cwmp_acs_session_free(t->s);
        t->s = NULL;
    }
}

void tacs_free(struct tacs *t)
{
    if (!t)
        return;
    tacs_end(t);
    free(t);
}
