/*
 * libcwmp tests - the main loop of doc/cpe-guide.md: the snippet in the
 * guide must be exactly tests/cpe_guide_snippet.c, which is compiled here
 * and run against the ACS engine through a fake platform (in-memory HTTP,
 * store, clock).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cwmp/acs.h>
#include <cwmp/cpe.h>

#include "testutil.h"

int agent_main(struct cwmp_dm *dm, const struct cwmp_device_id *id, const char *acs_url,
               int rounds);

/* ---- the fake platform ------------------------------------------------------ */

static struct {
    int64_t now;
    struct cwmp_acs_config acfg;
    struct cwmp_acs_callbacks acb;
    struct cwmp_acs_session *s;
    char *store[4];
    size_t store_len[4];
    int sessions, posts, reboots, conn_requests_left;
    bool reboot_requested;
} P;

static int next_request(struct cwmp_acs_session *s, struct cwmp_acs_request *req, void *u)
{
    (void) s;
    (void) u;
    if (!P.reboot_requested || P.sessions != 2)
        return 0;
    P.reboot_requested = false;
    req->rpc.method = CWMP_METHOD_REBOOT;
    req->rpc.u.reboot.command_key = "guide";
    return 1;
}

int64_t platform_now_ms(void);
int platform_http_post(const char *url, const char *body, size_t len, char **reply,
                       size_t *reply_len);
void platform_http_close(void);
int platform_wait(int64_t deadline_ms);
int platform_store_save(enum cwmp_cpe_record kind, const char *data, size_t len);
int platform_store_load(enum cwmp_cpe_record kind, char **data, size_t *len);
void platform_reboot(void);
void platform_factory_reset(void);
uint32_t platform_transfer(const struct cwmp_transfer *t);

int64_t platform_now_ms(void)
{
    return P.now;
}

int platform_http_post(const char *url, const char *body, size_t len, char **reply,
                       size_t *reply_len)
{
    const char *out;
    size_t olen;
    (void) url;
    if (!P.s) {
        assert_int_equal(cwmp_acs_session_new(&P.s, &P.acfg, P.now), 0);
        P.sessions++;
    }
    P.posts++;
    P.now += 20;
    if (cwmp_acs_session_recv(P.s, body, len) != 0 || cwmp_acs_session_send(P.s, &out, &olen))
        return -1;
    *reply = malloc(olen + 1);
    if (!*reply)
        return -1;
    if (olen) /* an empty body may come as a NULL pointer */
        memcpy(*reply, out, olen);
    *reply_len = olen;
    return 0;
}

void platform_http_close(void)
{
    if (P.s && !cwmp_acs_session_done(P.s))
        cwmp_acs_session_abort(P.s);
    cwmp_acs_session_free(P.s);
    P.s = NULL;
}

int platform_wait(int64_t deadline_ms)
{
    if (P.conn_requests_left > 0) {
        P.conn_requests_left--;
        P.now += 1000;
        return 1;
    }
    if (deadline_ms > P.now)
        P.now = deadline_ms;
    return 0;
}

int platform_store_save(enum cwmp_cpe_record kind, const char *data, size_t len)
{
    free(P.store[kind]);
    P.store[kind] = malloc(len + 1);
    memcpy(P.store[kind], data, len);
    P.store[kind][len] = '\0';
    P.store_len[kind] = len;
    return 0;
}

int platform_store_load(enum cwmp_cpe_record kind, char **data, size_t *len)
{
    if (!P.store[kind])
        return -1;
    *data = malloc(P.store_len[kind] + 1);
    memcpy(*data, P.store[kind], P.store_len[kind]);
    *len = P.store_len[kind];
    return 0;
}

void platform_reboot(void)
{
    P.reboots++;
}

void platform_factory_reset(void)
{
}

uint32_t platform_transfer(const struct cwmp_transfer *t)
{
    (void) t;
    return 0;
}

/* ---- tests -------------------------------------------------------------------- */

static void test_guide_matches_snippet(void **state)
{
    char path[1024];
    size_t dlen, slen;
    char *doc, *snip;
    (void) state;

    snprintf(path, sizeof(path), "%s/../../doc/cpe-guide.md", test_data_dir());
    doc = read_file(path, &dlen);
    assert_non_null(doc);
    snprintf(path, sizeof(path), "%s/../cpe_guide_snippet.c", test_data_dir());
    snip = read_file(path, &slen);
    assert_non_null(snip);
    if (!strstr(doc, snip))
        fail_msg("doc/cpe-guide.md does not contain tests/cpe_guide_snippet.c verbatim");
    test_free(doc);
    test_free(snip);
}

static void test_guide_main_loop_runs(void **state)
{
    struct cwmp_device_id id = {"Acme", "00256D", "FAP", "SN0001"};
    (void) state;

    memset(&P, 0, sizeof(P));
    P.now = 1767225600000LL;
    P.acb.next_request = next_request;
    P.acfg.callbacks = &P.acb;
    P.conn_requests_left = 1;
    P.reboot_requested = true;
    /* boot session; a connection request; its session asks for a Reboot */
    assert_int_equal(agent_main(NULL, &id, "https://acs.example.net/", 10), 0);
    assert_int_equal(P.reboots, 1);
    assert_int_equal(P.sessions, 2);
    assert_int_equal(P.posts, 5); /* Inform, empty; Inform, empty, RebootResponse */
    /* after the reboot: the store carries the Reboot CommandKey (M Reboot) */
    assert_non_null(P.store[CWMP_CPE_REC_STATE]);
    assert_non_null(strstr(P.store[CWMP_CPE_REC_STATE], "reboot guide"));
    assert_int_equal(agent_main(NULL, &id, "https://acs.example.net/", 2), 0);
    assert_int_equal(P.sessions, 3);
    assert_null(strstr(P.store[CWMP_CPE_REC_STATE], "reboot"));
    for (int k = 0; k < 4; k++)
        free(P.store[k]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_guide_matches_snippet),
        cmocka_unit_test(test_guide_main_loop_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
