/*
 * libcwmp - the session state machines as data (phase x input -> phase +
 * action), one table per role. Not installed.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CWMP_SESSION_FSM_H
#define CWMP_SESSION_FSM_H

#include <stdint.h>

/* Actions attached to a transition. */
enum cwmp__act {
    ACT_ILLEGAL = 0, /* not allowed in this phase: CWMP_ERR_STATE, nothing changes */
    ACT_NONE,        /* just change phase */
    ACT_HANDLE,      /* process the message / produce the output */
    ACT_FAIL,        /* the session failed */
    ACT_END,         /* the session ended normally */
};

struct cwmp__trans {
    uint8_t next;
    uint8_t act;
};

/* ---- CPE -------------------------------------------------------------- */

enum cwmp__cpe_phase {
    CPE_IDLE = 0,    /* no session */
    CPE_INFORM,      /* session begun: the Inform is to be sent */
    CPE_INFORM_WAIT, /* Inform sent, waiting for InformResponse */
    CPE_TURN,        /* the CPE sends next: request, response or empty POST */
    CPE_REQ_WAIT,    /* a CPE request was sent, waiting for its response */
    CPE_ACS_WAIT,    /* a response or empty POST was sent, waiting for the ACS */
    CPE_PHASE_COUNT
};

enum cwmp__cpe_input {
    CPE_IN_BEGIN = 0,
    CPE_IN_SEND_INFORM,
    CPE_IN_SEND_REQUEST,
    CPE_IN_SEND_RESPONSE,
    CPE_IN_SEND_EMPTY,
    CPE_IN_RECV_INFORM_RESPONSE,
    CPE_IN_RECV_RESPONSE,
    CPE_IN_RECV_FAULT,
    CPE_IN_RECV_REQUEST,
    CPE_IN_RECV_EMPTY,
    CPE_IN_RECV_INVALID,
    CPE_IN_END,  /* nothing left to send after the ACS's empty body */
    CPE_IN_FAIL, /* a handler decided the session failed */
    CPE_IN_TIMEOUT,
    CPE_IN_ABORT,
    CPE_INPUT_COUNT
};

extern const struct cwmp__trans cwmp__cpe_fsm[CPE_PHASE_COUNT][CPE_INPUT_COUNT];
extern const char *const cwmp__cpe_phase_names[CPE_PHASE_COUNT];
extern const char *const cwmp__cpe_input_names[CPE_INPUT_COUNT];

/* ---- ACS -------------------------------------------------------------- */

enum cwmp__acs_phase {
    ACS_WAIT_INFORM = 0, /* new session: the Inform must come first */
    ACS_INFORM_RESP,     /* the InformResponse (or a rejecting fault) is to be sent */
    ACS_CPE_REQS,        /* waiting for CPE requests or its empty POST */
    ACS_CPE_REQ_RESP,    /* the answer to a CPE request is to be sent */
    ACS_TURN,            /* the ACS sends a request or the final empty body */
    ACS_RESP_WAIT,       /* waiting for the response to an ACS request */
    ACS_DONE,            /* ended normally */
    ACS_FAILED,          /* ended in failure */
    ACS_PHASE_COUNT
};

enum cwmp__acs_input {
    ACS_IN_RECV_INFORM = 0,
    ACS_IN_RECV_REQUEST,
    ACS_IN_RECV_EMPTY,
    ACS_IN_RECV_RESPONSE,
    ACS_IN_RECV_FAULT,
    ACS_IN_RECV_INVALID,
    ACS_IN_SEND_INFORM_RESPONSE,
    ACS_IN_SEND_RESPONSE,
    ACS_IN_SEND_FAULT,
    ACS_IN_SEND_REQUEST,
    ACS_IN_SEND_EMPTY,
    ACS_IN_SEND_RELEASE, /* empty body after HoldRequests: the CPE may now send requests */
    ACS_IN_FAIL,
    ACS_IN_TIMEOUT,
    ACS_IN_ABORT,
    ACS_INPUT_COUNT
};

extern const struct cwmp__trans cwmp__acs_fsm[ACS_PHASE_COUNT][ACS_INPUT_COUNT];
extern const char *const cwmp__acs_phase_names[ACS_PHASE_COUNT];
extern const char *const cwmp__acs_input_names[ACS_INPUT_COUNT];

#endif
