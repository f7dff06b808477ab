/*
 * libcwmp tests - an in-memory CPE <-> ACS world: both engines of this
 * library, a simulated clock, a persistence store and scripted ACS requests.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef SESSION_HARNESS_H
#define SESSION_HARNESS_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <cwmp/acs.h>
#include <cwmp/cpe.h>

#include "testutil.h"

#define MAX_SCRIPT 16
#define MAX_LOG    64

struct world {
    const struct cwmp_allocator *alloc;
    struct cwmp_cpe_config ccfg;
    struct cwmp_cpe_callbacks ccb;
    struct cwmp_acs_config acfg;
    struct cwmp_acs_callbacks acb;
    struct cwmp_cpe *cpe;
    int64_t now;
    /* the store */
    char *rec[4];
    size_t rec_len[4];
    /* ACS script */
    struct cwmp_rpc script[MAX_SCRIPT];
    size_t nscript, next_script;
    bool acs_hold;
    int inform_fault;          /* returned by the inform callback */
    int cpe_request_faults[4]; /* faults returned to the first CPE requests (0 = accept) */
    size_t cpe_requests;
    enum cwmp_method cpe_request_methods[MAX_LOG];
    uint32_t tc_fault_codes[MAX_LOG];
    /* observations */
    char inform_events[MAX_LOG][72];
    size_t ninform_events;
    uint32_t inform_retry_count;
    size_t inform_params;
    char inform_param_names[MAX_LOG][128];
    size_t informs;
    struct {
        enum cwmp_rpc_kind kind;
        enum cwmp_method method;
        uint32_t fault;
        size_t count;      /* method list length, parameters, names, attributes */
        uint32_t instance; /* AddObject */
        int status;
    } responses[MAX_LOG];
    size_t nresponses;
    enum cwmp_session_result acs_result, cpe_result;
    int cpe_ended, acs_ended;
    size_t traced;
    enum cwmp_version acs_max;
    bool acs_limit;
    /* cut the connection after this many CPE bodies (0 = never) */
    size_t cut_after;
    /* lent to every ACS session when set (cwmp_acs_session_use_encoder) */
    struct cwmp_encoder *acs_encoder;
};

void world_init(struct world *w, const struct cwmp_allocator *a);
int world_new_cpe(struct world *w, bool restore, unsigned start_flags);
void world_free(struct world *w);
/* Runs one session; returns the number of CPE bodies sent. */
size_t world_session(struct world *w);
bool world_has_event(const struct world *w, const char *code);

#endif
