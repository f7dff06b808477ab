/*
 * libcwmp tests - the session state machines: every (phase, input) pair of
 * both tables, and illegal calls on the engines (clear error, no crash).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session/fsm.h"
#include "session_harness.h"

static void test_cpe_table(void **state)
{
    size_t legal = 0;
    (void) state;
    for (int p = 0; p < CPE_PHASE_COUNT; p++) {
        assert_non_null(cwmp__cpe_phase_names[p]);
        for (int i = 0; i < CPE_INPUT_COUNT; i++) {
            const struct cwmp__trans *t = &cwmp__cpe_fsm[p][i];
            assert_non_null(cwmp__cpe_input_names[i]);
            assert_true(t->act <= ACT_END);
            if (t->act == ACT_ILLEGAL)
                continue;
            legal++;
            assert_true(t->next < CPE_PHASE_COUNT);
            /* failures and normal ends always lead back to idle */
            if (t->act == ACT_FAIL || t->act == ACT_END)
                assert_int_equal(t->next, CPE_IDLE);
            /* a timeout or an abort is legal exactly when a session runs */
            if (i == CPE_IN_TIMEOUT || i == CPE_IN_ABORT)
                assert_int_equal(t->act, ACT_FAIL);
        }
        assert_int_equal(cwmp__cpe_fsm[p][CPE_IN_ABORT].act == ACT_ILLEGAL, p == CPE_IDLE);
    }
    assert_true(legal > 20);
    /* the idle phase accepts nothing but BEGIN */
    for (int i = 0; i < CPE_INPUT_COUNT; i++)
        assert_int_equal(cwmp__cpe_fsm[CPE_IDLE][i].act != ACT_ILLEGAL, i == CPE_IN_BEGIN);
}

static void test_acs_table(void **state)
{
    (void) state;
    for (int p = 0; p < ACS_PHASE_COUNT; p++) {
        assert_non_null(cwmp__acs_phase_names[p]);
        for (int i = 0; i < ACS_INPUT_COUNT; i++) {
            const struct cwmp__trans *t = &cwmp__acs_fsm[p][i];
            assert_non_null(cwmp__acs_input_names[i]);
            assert_true(t->act <= ACT_END);
            if (t->act == ACT_ILLEGAL)
                continue;
            assert_true(t->next < ACS_PHASE_COUNT);
            if (t->act == ACT_FAIL)
                assert_int_equal(t->next, ACS_FAILED);
            if (t->act == ACT_END)
                assert_int_equal(t->next, ACS_DONE);
        }
        /* the final phases accept nothing */
        if (p == ACS_DONE || p == ACS_FAILED)
            for (int i = 0; i < ACS_INPUT_COUNT; i++)
                assert_int_equal(cwmp__acs_fsm[p][i].act, ACT_ILLEGAL);
    }
}

/* Drives a CPE engine into each phase and tries every public call there. */
static void test_cpe_illegal_calls(void **state)
{
    struct world w;
    const char *out;
    size_t len;
    (void) state;

    world_init(&w, &test_allocator);
    assert_int_equal(world_new_cpe(&w, false, CWMP_CPE_START_BOOT), 0);
    /* idle */
    assert_int_equal(cwmp_cpe_send(w.cpe, &out, &len), CWMP_ERR_STATE);
    assert_int_equal(cwmp_cpe_recv(w.cpe, "", 0), CWMP_ERR_STATE);
    assert_int_equal(cwmp_cpe_recv(w.cpe, "<x/>", 4), CWMP_ERR_STATE);
    cwmp_cpe_session_abort(w.cpe); /* nothing to abort: no effect */
    assert_int_equal(w.cpe_ended, 0);
    assert_int_equal(cwmp_cpe_start(w.cpe, w.now, 0), CWMP_ERR_STATE);
    /* inform phase: recv is illegal, begin again is illegal */
    assert_int_equal(cwmp_cpe_session_begin(w.cpe, w.now), 0);
    assert_int_equal(cwmp_cpe_session_begin(w.cpe, w.now), CWMP_ERR_STATE);
    assert_int_equal(cwmp_cpe_recv(w.cpe, "", 0), CWMP_ERR_STATE);
    assert_int_equal(cwmp_cpe_restore(w.cpe, CWMP_CPE_REC_STATE, "", 0), CWMP_ERR_STATE);
    assert_true(cwmp_cpe_want_send(w.cpe));
    assert_int_equal(cwmp_cpe_send(w.cpe, &out, &len), 0);
    assert_true(len > 0);
    /* inform-wait: send is illegal; garbage fails the session */
    assert_int_equal(cwmp_cpe_send(w.cpe, &out, &len), CWMP_ERR_STATE);
    assert_int_equal(cwmp_cpe_recv(w.cpe, "garbage", 7), CWMP_ERR_PROTOCOL);
    assert_false(cwmp_cpe_session_active(w.cpe));
    assert_int_equal(w.cpe_result, CWMP_SESSION_PROTOCOL);
    /* an empty body instead of the InformResponse */
    w.now = cwmp_cpe_next_deadline(w.cpe);
    cwmp_cpe_handle_timeout(w.cpe, w.now);
    assert_int_equal(cwmp_cpe_session_begin(w.cpe, w.now), 0);
    assert_int_equal(cwmp_cpe_send(w.cpe, &out, &len), 0);
    assert_int_equal(cwmp_cpe_recv(w.cpe, "", 0), CWMP_ERR_PROTOCOL);
    /* the session times out */
    w.now = cwmp_cpe_next_deadline(w.cpe);
    cwmp_cpe_handle_timeout(w.cpe, w.now);
    assert_int_equal(cwmp_cpe_session_begin(w.cpe, w.now), 0);
    assert_int_equal(cwmp_cpe_send(w.cpe, &out, &len), 0);
    w.now = cwmp_cpe_next_deadline(w.cpe);
    assert_int_equal(cwmp_cpe_handle_timeout(w.cpe, w.now), CWMP_ERR_TIMEOUT);
    assert_int_equal(w.cpe_result, CWMP_SESSION_TIMEOUT);
    assert_int_equal(cwmp_cpe_retry_count(w.cpe), 3);
    /* NULL arguments */
    assert_int_equal(cwmp_cpe_send(NULL, &out, &len), CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_cpe_recv(NULL, "", 0), CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_cpe_new(NULL, &w.ccfg), CWMP_ERR_INVALID_ARG);
    world_free(&w);
}

static void test_acs_illegal_calls(void **state)
{
    struct world w;
    struct cwmp_acs_session *s;
    const char *out;
    size_t len;
    (void) state;

    world_init(&w, &test_allocator);
    assert_int_equal(cwmp_acs_session_new(&s, &w.acfg, 0), 0);
    assert_false(cwmp_acs_session_want_send(s));
    assert_int_equal(cwmp_acs_session_send(s, &out, &len), CWMP_ERR_STATE);
    /* anything but an Inform first fails the session */
    assert_int_equal(cwmp_acs_session_recv(s, "", 0), CWMP_ERR_PROTOCOL);
    assert_true(cwmp_acs_session_done(s));
    assert_int_equal(cwmp_acs_session_result(s), CWMP_SESSION_PROTOCOL);
    assert_int_equal(cwmp_acs_session_recv(s, "", 0), CWMP_ERR_STATE);
    assert_int_equal(cwmp_acs_session_send(s, &out, &len), CWMP_ERR_STATE);
    cwmp_acs_session_abort(s); /* already over */
    assert_int_equal(w.acs_ended, 1);
    cwmp_acs_session_free(s);

    /* timeout while waiting for the Inform */
    assert_int_equal(cwmp_acs_session_new(&s, &w.acfg, 1000), 0);
    assert_int_equal(cwmp_acs_session_next_deadline(s), 61000);
    assert_int_equal(cwmp_acs_session_handle_timeout(s, 60999), 0);
    assert_int_equal(cwmp_acs_session_handle_timeout(s, 61000), CWMP_ERR_TIMEOUT);
    assert_int_equal(cwmp_acs_session_result(s), CWMP_SESSION_TIMEOUT);
    cwmp_acs_session_free(s);

    /* garbage */
    assert_int_equal(cwmp_acs_session_new(&s, &w.acfg, 0), 0);
    assert_int_equal(cwmp_acs_session_recv(s, "<a>", 3), CWMP_ERR_PROTOCOL);
    cwmp_acs_session_free(s);
    cwmp_acs_session_free(NULL);
    assert_true(cwmp_acs_session_size() < 512);
}

/* The transition tables as markdown (doc/session.md holds exactly this). */
static char *table_md(void)
{
    char *buf = test_malloc(65536);
    size_t n = 0;
#define P(...) n += (size_t) snprintf(buf + n, 65536 - n, __VA_ARGS__)
    P("#### CPE\n\n| phase \\ input |");
    for (int i = 0; i < CPE_INPUT_COUNT; i++)
        P(" %s |", cwmp__cpe_input_names[i]);
    P("\n|---|");
    for (int i = 0; i < CPE_INPUT_COUNT; i++)
        P("---|");
    P("\n");
    for (int p = 0; p < CPE_PHASE_COUNT; p++) {
        P("| **%s** |", cwmp__cpe_phase_names[p]);
        for (int i = 0; i < CPE_INPUT_COUNT; i++) {
            const struct cwmp__trans *t = &cwmp__cpe_fsm[p][i];
            static const char *const act[] = {"", "", "", " (fail)", " (end)"};
            if (t->act == ACT_ILLEGAL)
                P(" · |");
            else
                P(" %s%s |", cwmp__cpe_phase_names[t->next], act[t->act]);
        }
        P("\n");
    }
    P("\n#### ACS\n\n| phase \\ input |");
    for (int i = 0; i < ACS_INPUT_COUNT; i++)
        P(" %s |", cwmp__acs_input_names[i]);
    P("\n|---|");
    for (int i = 0; i < ACS_INPUT_COUNT; i++)
        P("---|");
    P("\n");
    for (int p = 0; p < ACS_PHASE_COUNT; p++) {
        P("| **%s** |", cwmp__acs_phase_names[p]);
        for (int i = 0; i < ACS_INPUT_COUNT; i++) {
            const struct cwmp__trans *t = &cwmp__acs_fsm[p][i];
            static const char *const act[] = {"", "", "", " (fail)", " (end)"};
            if (t->act == ACT_ILLEGAL)
                P(" · |");
            else
                P(" %s%s |", cwmp__acs_phase_names[t->next], act[t->act]);
        }
        P("\n");
    }
#undef P
    return buf;
}

static void test_doc_tables(void **state)
{
    char path[1024];
    size_t len;
    char *doc, *md = table_md();
    (void) state;

    snprintf(path, sizeof(path), "%s/../../doc/session.md", test_data_dir());
    doc = read_file(path, &len);
    assert_non_null(doc);
    if (getenv("SESSION_DOC_TABLES")) { /* write the tables for the doc */
        FILE *f = fopen(getenv("SESSION_DOC_TABLES"), "w");
        assert_non_null(f);
        fputs(md, f);
        fclose(f);
    }
    if (!strstr(doc, md)) {
        fail_msg("doc/session.md is out of date with lib/session/fsm.c");
    }
    test_free(doc);
    test_free(md);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpe_table),         cmocka_unit_test(test_acs_table),
        cmocka_unit_test(test_cpe_illegal_calls), cmocka_unit_test(test_acs_illegal_calls),
        cmocka_unit_test(test_doc_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
