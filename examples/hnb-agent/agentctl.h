/*
 * libcwmp examples - the control commands of the example agent
 * (`hnb-agent ctl ...`), standing in for what the radio would do.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file agentctl.h
 * @brief One command per line on the agent's local control socket:
 *
 * | Line | Effect (flow) |
 * |---|---|
 * | `ip-change <IPv4 or IPv6>` | the IPsec inner address changed: Inform with the new address (F5)
 * | | `alarm raise cause="<ProbableCause>"
 * [severity=<Critical\|Major\|Minor\|Warning\|Indeterminate>] [type="<EventType>"]
 * [problem="<SpecificProblem>"] [text="<AdditionalText>"] [object="<ManagedObjectInstance>"]` |
 * raise an alarm (F11); severity defaults to Major | | `alarm clear cause="<ProbableCause>"` or
 * `alarm clear id=<AlarmIdentifier>` | clear it | | `reboot` | reboot (state is persisted; a
 * pending TransferComplete still arrives) | | `inform` | open a session now | | `status` | print
 * the agent's state |
 *
 * Values with spaces are double-quoted; inside quotes `\"` and `\\` are the
 * only escapes. Unknown keys, a repeated key and text XML cannot carry are
 * errors. agent_ctl_format() writes the line agent_ctl_parse() reads, so
 * `hnb-agent ctl` and the agent agree by construction.
 */
#ifndef HNB_AGENTCTL_H
#define HNB_AGENTCTL_H

#include <stddef.h>

#include <cwmp/error.h>

#include "strbuf.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AGENT_CTL_MAX_LINE 1024

enum agent_ctl_cmd {
    AGENT_CTL_IP_CHANGE = 1,
    AGENT_CTL_ALARM_RAISE,
    AGENT_CTL_ALARM_CLEAR,
    AGENT_CTL_REBOOT,
    AGENT_CTL_INFORM,
    AGENT_CTL_STATUS,
};

/** A parsed command; fields not given are "". */
struct agent_ctl_req {
    enum agent_ctl_cmd cmd;
    char address[46];  /**< ip-change */
    char cause[65];    /**< ProbableCause */
    char severity[16]; /**< PerceivedSeverity */
    char type[65];     /**< EventType */
    char problem[129]; /**< SpecificProblem */
    char text[257];    /**< AdditionalText */
    char object[513];  /**< ManagedObjectInstance */
    char id[65];       /**< AlarmIdentifier (clear) */
};

/**
 * @brief Parses one line (without or with its trailing newline).
 * @return 0; CWMP_ERR_PARSE or CWMP_ERR_BAD_VALUE with a message in @p err
 */
int agent_ctl_parse(const char *line, struct agent_ctl_req *req, char *err, size_t errlen);

/** @brief Appends the line for @p req (with a trailing newline). */
void agent_ctl_format(const struct agent_ctl_req *req, struct ex_buf *out);

#ifdef __cplusplus
}
#endif

#endif
