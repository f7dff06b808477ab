/*
 * libcwmp examples - the operator commands of the example HMS (`hms ctl`).
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file ctl.h
 * @brief `hms ctl` works on the registry: it lists and shows devices and
 * what they reported, de-provisions and allows them again, and queues tasks
 * that the HMS sends in the device's next session (after a connection
 * request when one is queued too).
 *
 * | Command | Effect |
 * |---|---|
 * | `list` | one line per device |
 * | `show DEV` | everything the registry holds about a device |
 * | `alarms DEV`, `pmfiles DEV`, `tasks DEV` | what it reported / what is queued |
 * | `set DEV NAME TYPE VALUE` | queue SetParameterValues (payload: a one-param CM file) |
 * | `push-cm DEV FILE [DELAY]` | check FILE is a valid CM file, queue a Download of it
 * (DelaySeconds DELAY, default 0; payload: the path, then a newline and DELAY when not 0) |
 * | `connreq DEV` | queue a connection request |
 * | `pm DEV enable URL INTERVAL [USER [PASSWORD]]`, `pm DEV disable` | queue SetParameterValues of
 * FAP.PerfMgmt.Config.1 (needs the device's root) | | `alarm-config DEV MECHANISM CAUSE\|*` | queue
 * `AlarmConfig` (payload `<0..3>` TAB `<cause>`), resolved against SupportedAlarm in the session |
 * | `deprovision DEV [factory-reset\|spv]` | state de-provisioned + queue FactoryReset (default) or
 * the SPV reset | | `allow DEV` | a de-provisioned device may register again |
 *
 * DEV is a registry id or a serial number (which must then be unique).
 * Task kinds: `SetParameterValues`, `Download`, `ConnectionRequest`,
 * `FactoryReset`, `DeprovisionSPV`, `AlarmConfig`.
 */
#ifndef HMS_CTL_H
#define HMS_CTL_H

#include <stdint.h>

#include "registry.h"
#include "strbuf.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest DelaySeconds of `push-cm DEV FILE DELAY` (one day). */
#define HMS_MAX_DOWNLOAD_DELAY_S 86400u

/**
 * @brief Runs one command (argv[0] is the command name).
 * @param now_ms time stamp for queued tasks
 * @param out    receives the command's output
 * @param err    receives an error message (one line)
 * @return 0 success, 1 failure (message in @p err), 2 usage error
 */
int hms_ctl(struct hms_registry *r, int argc, char **argv, int64_t now_ms, struct ex_buf *out,
            struct ex_buf *err);

/** @brief Appends the usage text. */
void hms_ctl_usage(struct ex_buf *out);

#ifdef __cplusplus
}
#endif

#endif
