/*
 * libcwmp - the transition tables of the CPE and ACS session engines.
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Pairs left out of the initialisers are zero, i.e. ACT_ILLEGAL: the
 * engines answer those with CWMP_ERR_STATE and stay in their phase (they
 * never read `next` of an illegal entry).
 */
#include "fsm.h"

#define T(n, a)                                                                                    \
    {                                                                                              \
        (uint8_t)(n), (uint8_t) (a)                                                                \
    }
#define FAIL_ON(idle) T(idle, ACT_FAIL)

/* CPE: after a failure or a normal end the agent is idle again. */
const struct cwmp__trans cwmp__cpe_fsm[CPE_PHASE_COUNT][CPE_INPUT_COUNT] =
    {
        [CPE_IDLE] =
            {
                [CPE_IN_BEGIN] = T(CPE_INFORM, ACT_HANDLE),
            },
        [CPE_INFORM] =
            {
                [CPE_IN_SEND_INFORM] = T(CPE_INFORM_WAIT, ACT_HANDLE),
                [CPE_IN_FAIL] = FAIL_ON(CPE_IDLE),
                [CPE_IN_TIMEOUT] = FAIL_ON(CPE_IDLE),
                [CPE_IN_ABORT] = FAIL_ON(CPE_IDLE),
            },
        [CPE_INFORM_WAIT] =
            {
                [CPE_IN_RECV_INFORM_RESPONSE] = T(CPE_TURN, ACT_HANDLE),
                [CPE_IN_RECV_FAULT] = FAIL_ON(CPE_IDLE),
                [CPE_IN_RECV_RESPONSE] = FAIL_ON(CPE_IDLE),
                [CPE_IN_RECV_REQUEST] = FAIL_ON(CPE_IDLE),
                [CPE_IN_RECV_EMPTY] = FAIL_ON(CPE_IDLE),
                [CPE_IN_RECV_INVALID] = FAIL_ON(CPE_IDLE),
                [CPE_IN_FAIL] = FAIL_ON(CPE_IDLE),
                [CPE_IN_TIMEOUT] = FAIL_ON(CPE_IDLE),
                [CPE_IN_ABORT] = FAIL_ON(CPE_IDLE),
            },
        [CPE_TURN] =
            {
                [CPE_IN_SEND_REQUEST] = T(CPE_REQ_WAIT, ACT_HANDLE),
                [CPE_IN_SEND_RESPONSE] = T(CPE_ACS_WAIT, ACT_HANDLE),
                [CPE_IN_SEND_EMPTY] = T(CPE_ACS_WAIT, ACT_HANDLE),
                [CPE_IN_END] = T(CPE_IDLE, ACT_END),
                [CPE_IN_FAIL] = FAIL_ON(CPE_IDLE),
                [CPE_IN_TIMEOUT] = FAIL_ON(CPE_IDLE),
                [CPE_IN_ABORT] = FAIL_ON(CPE_IDLE),
            },
        [CPE_REQ_WAIT] =
            {
                [CPE_IN_RECV_RESPONSE] = T(CPE_TURN, ACT_HANDLE),
                [CPE_IN_RECV_FAULT] = T(CPE_TURN, ACT_HANDLE),
                [CPE_IN_RECV_INFORM_RESPONSE] = FAIL_ON(CPE_IDLE),
                [CPE_IN_RECV_REQUEST] = FAIL_ON(CPE_IDLE),
                [CPE_IN_RECV_EMPTY] = FAIL_ON(CPE_IDLE),
                [CPE_IN_RECV_INVALID] = FAIL_ON(CPE_IDLE),
                [CPE_IN_FAIL] = FAIL_ON(CPE_IDLE),
                [CPE_IN_TIMEOUT] = FAIL_ON(CPE_IDLE),
                [CPE_IN_ABORT] = FAIL_ON(CPE_IDLE),
            },
        [CPE_ACS_WAIT] =
            {
                [CPE_IN_RECV_REQUEST] = T(CPE_TURN, ACT_HANDLE),
                [CPE_IN_RECV_EMPTY] = T(CPE_TURN, ACT_HANDLE),
                /* an undecodable request is answered with a fault when possible */
                [CPE_IN_RECV_INVALID] = T(CPE_TURN, ACT_HANDLE),
                [CPE_IN_RECV_INFORM_RESPONSE] = FAIL_ON(CPE_IDLE),
                [CPE_IN_RECV_RESPONSE] = FAIL_ON(CPE_IDLE),
                [CPE_IN_RECV_FAULT] = FAIL_ON(CPE_IDLE),
                [CPE_IN_FAIL] = FAIL_ON(CPE_IDLE),
                [CPE_IN_TIMEOUT] = FAIL_ON(CPE_IDLE),
                [CPE_IN_ABORT] = FAIL_ON(CPE_IDLE),
            },
};

const char *const cwmp__cpe_phase_names[CPE_PHASE_COUNT] = {
    "idle", "inform", "inform-wait", "cpe-turn", "request-wait", "acs-wait",
};

const char *const cwmp__cpe_input_names[CPE_INPUT_COUNT] = {
    "begin",         "send-inform",  "send-request",
    "send-response", "send-empty",   "recv-inform-response",
    "recv-response", "recv-fault",   "recv-request",
    "recv-empty",    "recv-invalid", "end",
    "fail",          "timeout",      "abort",
};

#define AFAIL T(ACS_FAILED, ACT_FAIL)

const struct cwmp__trans cwmp__acs_fsm[ACS_PHASE_COUNT][ACS_INPUT_COUNT] = {
    [ACS_WAIT_INFORM] =
        {
            [ACS_IN_RECV_INFORM] = T(ACS_INFORM_RESP, ACT_HANDLE),
            [ACS_IN_RECV_REQUEST] = AFAIL,
            [ACS_IN_RECV_EMPTY] = AFAIL,
            [ACS_IN_RECV_RESPONSE] = AFAIL,
            [ACS_IN_RECV_FAULT] = AFAIL,
            [ACS_IN_RECV_INVALID] = AFAIL,
            [ACS_IN_FAIL] = AFAIL,
            [ACS_IN_TIMEOUT] = AFAIL,
            [ACS_IN_ABORT] = AFAIL,
        },
    [ACS_INFORM_RESP] =
        {
            [ACS_IN_SEND_INFORM_RESPONSE] = T(ACS_CPE_REQS, ACT_HANDLE),
            /* a rejected Inform: the fault ends the session */
            [ACS_IN_SEND_FAULT] = AFAIL,
            [ACS_IN_FAIL] = AFAIL,
            [ACS_IN_TIMEOUT] = AFAIL,
            [ACS_IN_ABORT] = AFAIL,
        },
    [ACS_CPE_REQS] =
        {
            [ACS_IN_RECV_REQUEST] = T(ACS_CPE_REQ_RESP, ACT_HANDLE),
            [ACS_IN_RECV_EMPTY] = T(ACS_TURN, ACT_HANDLE),
            [ACS_IN_RECV_INFORM] = AFAIL,
            [ACS_IN_RECV_RESPONSE] = AFAIL,
            [ACS_IN_RECV_FAULT] = AFAIL,
            [ACS_IN_RECV_INVALID] = AFAIL,
            [ACS_IN_FAIL] = AFAIL,
            [ACS_IN_TIMEOUT] = AFAIL,
            [ACS_IN_ABORT] = AFAIL,
        },
    [ACS_CPE_REQ_RESP] =
        {
            [ACS_IN_SEND_RESPONSE] = T(ACS_CPE_REQS, ACT_HANDLE),
            [ACS_IN_SEND_FAULT] = T(ACS_CPE_REQS, ACT_HANDLE),
            [ACS_IN_FAIL] = AFAIL,
            [ACS_IN_TIMEOUT] = AFAIL,
            [ACS_IN_ABORT] = AFAIL,
        },
    [ACS_TURN] =
        {
            [ACS_IN_SEND_REQUEST] = T(ACS_RESP_WAIT, ACT_HANDLE),
            [ACS_IN_SEND_EMPTY] = T(ACS_DONE, ACT_END),
            [ACS_IN_SEND_RELEASE] = T(ACS_CPE_REQS, ACT_HANDLE),
            [ACS_IN_FAIL] = AFAIL,
            [ACS_IN_TIMEOUT] = AFAIL,
            [ACS_IN_ABORT] = AFAIL,
        },
    [ACS_RESP_WAIT] =
        {
            [ACS_IN_RECV_RESPONSE] = T(ACS_TURN, ACT_HANDLE),
            [ACS_IN_RECV_FAULT] = T(ACS_TURN, ACT_HANDLE),
            [ACS_IN_RECV_INFORM] = AFAIL,
            [ACS_IN_RECV_REQUEST] = AFAIL,
            [ACS_IN_RECV_EMPTY] = AFAIL,
            [ACS_IN_RECV_INVALID] = AFAIL,
            [ACS_IN_FAIL] = AFAIL,
            [ACS_IN_TIMEOUT] = AFAIL,
            [ACS_IN_ABORT] = AFAIL,
        },
    [ACS_DONE] = {{0, 0}},
    [ACS_FAILED] = {{0, 0}},
};

const char *const cwmp__acs_phase_names[ACS_PHASE_COUNT] = {
    "wait-inform", "inform-response", "cpe-requests", "cpe-request-response",
    "acs-turn",    "response-wait",   "done",         "failed",
};

const char *const cwmp__acs_input_names[ACS_INPUT_COUNT] = {
    "recv-inform",  "recv-request",         "recv-empty",    "recv-response", "recv-fault",
    "recv-invalid", "send-inform-response", "send-response", "send-fault",    "send-request",
    "send-empty",   "send-release",         "fail",          "timeout",       "abort",
};
