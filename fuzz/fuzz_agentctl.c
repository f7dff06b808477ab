/*
 * libcwmp examples - fuzz target for the agent's control command parser
 * (examples/hnb-agent/agentctl.c): whatever parses formats back to a line
 * that parses to the same request.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agentctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char line[AGENT_CTL_MAX_LINE + 64];
    if (size >= sizeof(line))
        size = sizeof(line) - 1;
    memcpy(line, data, size);
    line[size] = '\0';
    struct agent_ctl_req a, b;
    char err[160];
    if (agent_ctl_parse(line, &a, err, sizeof(err)) != 0)
        return 0;
    struct ex_buf buf;
    ex_buf_init(&buf, NULL, 0);
    agent_ctl_format(&a, &buf);
    if (!buf.data || agent_ctl_parse(buf.data, &b, err, sizeof(err)) != 0 ||
        memcmp(&a, &b, sizeof(a)) != 0)
        abort();
    ex_buf_free(&buf);
    return 0;
}
