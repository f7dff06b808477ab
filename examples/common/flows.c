/*
 * libcwmp examples - the procedure flows the demo plays out.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "flows.h"

#include <stdio.h>
#include <string.h>

#include "trace.h"

static const struct ex_flow flows[] = {
    {"F1", "5.1.2", "5.1.2.3", "Discovery via the initial HMS on the public internet"},
    {"F2", "5.1.1", "5.1.2.2", "Discovery via the initial HMS inside the operator network"},
    {"F3", "5.2.1", "5.1.3", "Registration at the serving HMS (SPV)"},
    {"F4", "5.2.1", "5.1.3", "Registration with CM by file download (5.3-bis / 5.4-bis)"},
    {"F5", "5.2.2", "5.2.4", "IPsec inner IP address change"},
    {"F6", "5.3.1", "5.2.2", "CM by file download"},
    {"F7", "5.3.2", "5.2.3", "CM by SetParameterValues"},
    {"F8", "5.3.1-5.3.2", "5.2.2-5.2.3", "Connection request for subsequent CM"},
    {"F9", "5.4", "-", "De-provisioning; re-registration refused until allowed"},
    {"F10", "5.5.1", "5.3.1", "Alarm reporting mechanism configuration"},
    {"F11", "5.5.2", "5.3.2", "Alarm reporting: expedited and queued"},
    {"F12", "5.6.1", "5.4.1", "PM upload period set; disabling stops uploads"},
    {"F13", "5.6.2", "5.4.2", "Periodic PM file upload"},
};

size_t ex_flow_count(void)
{
    return sizeof(flows) / sizeof(flows[0]);
}

const struct ex_flow *ex_flow_at(size_t i)
{
    return i < ex_flow_count() ? &flows[i] : NULL;
}

const struct ex_flow *ex_flow_find(const char *id)
{
    for (size_t i = 0; id && i < ex_flow_count(); i++)
        if (!strcmp(flows[i].id, id))
            return &flows[i];
    return NULL;
}

void ex_flow_write_trace(struct ex_buf *b, const struct ex_flow *f)
{
    char clause[64];
    snprintf(clause, sizeof(clause), "%s / %s", f->clause_hnb, f->clause_henb);
    trace_write_flow(b, f->id, clause, f->title);
}
