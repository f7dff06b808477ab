/*
 * libcwmp examples - what the example HMS does in one session.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file plan.h
 * @brief The HMS's decision, once an Inform has been recorded, of what to
 * do in the rest of the session: an ordered list of steps, each an RPC to
 * send (with its parameter list) or a registry action. Pure: the session
 * code (once the library's ACS session API lands) walks the steps, submits
 * each RPC and records the outcome, so the flow logic of TS 32.583 /
 * TS 32.593 is decided, and tested, here.
 *
 * Rules:
 * - a de-provisioned device gets only its queued de-provisioning tasks
 *   (FactoryReset, DeprovisionSPV) and nothing else: no discovery, no
 *   registration (TS 32.583 5.4);
 * - initial role, device not registered (or informing with BOOTSTRAP):
 *   SPV of the discovery parameters (serving HMS URL, serving
 *   SeGW, optionally HNB-GW / S1 far end) and record the assignment (F1,
 *   F2). When this process is also the serving HMS named by the policy (or
 *   the policy names none), registration follows in the same session
 *   (TS 32.583 5.1.1 step 7: "go to step 10");
 * - serving role, device not registered (or informing with BOOTSTRAP):
 *   register, then provision —
 *   SPV of the registration parameters (F3), or Download of a CM file made
 *   of them (F4, "5.3-bis"), then the alarm reporting mechanism (read the
 *   supported alarms, then SPV — F10), then the PM settings (F12);
 * - then every pending task, oldest first.
 */
#ifndef HMS_PLAN_H
#define HMS_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "provision.h"
#include "registry.h"

#ifdef __cplusplus
extern "C" {
#endif

enum hms_step_kind {
    HMS_STEP_ASSIGN,      /**< registry: store the assignment (no RPC) */
    HMS_STEP_REGISTER,    /**< registry: mark registered (no RPC) */
    HMS_STEP_SPV,         /**< SetParameterValues of `params` */
    HMS_STEP_DOWNLOAD_CM, /**< write `params` as CM file `file_name`, then Download it */
    HMS_STEP_READ_ALARMS, /**< GetParameterValues FaultMgmt.SupportedAlarm. then SPV
                               of prov_alarms() for the causes read */
    HMS_STEP_TASK,        /**< a queued task: `task_id`, `task_kind` */
};

#define HMS_PLAN_MAX_STEPS 64

struct hms_step {
    enum hms_step_kind kind;
    const char *why;         /**< short label for logs and traces */
    struct prov_list params; /**< SPV / DOWNLOAD_CM */
    char file_name[96];      /**< DOWNLOAD_CM */
    int64_t task_id;         /**< TASK */
    char task_kind[65];      /**< TASK */
    int cr_credentials;      /**< SPV of the per-device connection-request credentials */
};

struct hms_plan {
    struct hms_step steps[HMS_PLAN_MAX_STEPS];
    size_t n;
    int refused; /**< the device is de-provisioned: nothing but its tasks */
};

/** A pending task as the planner sees it. */
struct hms_plan_task {
    int64_t id;
    const char *kind;
};

/** Everything the planner looks at. */
struct hms_plan_input {
    enum conf_hms_role role;           /**< this process's role(s) */
    const char *own_url;               /**< this HMS's URL ([hms] url), may be NULL */
    const struct hms_device *dev;      /**< the device, after hms_registry_inform() */
    enum conf_root root;               /**< from the Inform's parameter names */
    const struct conf_policy *policy;  /**< conf_policy_select(); NULL = none matched */
    int bootstrap;                     /**< the Inform carried "0 BOOTSTRAP": the device lost
                                            its configuration, provision it again */
    const struct hms_plan_task *tasks; /**< pending tasks, oldest first */
    size_t ntasks;
    const char *cr_username; /**< new connection-request credentials to set at
                                  registration (both non-empty), else NULL: none */
    const char *cr_password;
};

/**
 * @brief Plans the session.
 * @param alloc allocator for the parameter lists
 * @return 0; CWMP_ERR_INVALID_ARG; CWMP_ERR_NOMEM; CWMP_ERR_LIMIT (too many
 *         steps); CWMP_ERR_BAD_VALUE (the policy yields an invalid parameter)
 */
int hms_plan_session(const struct hms_plan_input *in, const struct cwmp_allocator *alloc,
                     struct hms_plan *out);

/** @brief Frees the parameter lists of a plan. */
void hms_plan_free(struct hms_plan *p);

/** @brief "SPV", "Download", ... for logs; never NULL. */
const char *hms_step_name(enum hms_step_kind k);

#ifdef __cplusplus
}
#endif

#endif
