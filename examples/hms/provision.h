/*
 * libcwmp examples - what the HMS sets on a device, from its policy.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file provision.h
 * @brief Turns a policy (conf.h) into the parameter lists the HMS sends:
 * by SetParameterValues, or written as a CM file (cmfile.h) and pushed by
 * Download. Pure functions: the mapping from the seed flows to TR-196 /
 * TR-181 / TR-098 paths lives here, in one tested place.
 *
 * Paths use FAPService instance 1 and PerfMgmt.Config instance 1. The
 * "IPsec usage indicator" (no single TR-196 parameter) maps to
 * `InternetGatewayDevice.FAP.Tunnel.UseForCWMP` under the IGD root and to
 * `Device.IPsec.Enable` under Device:2, plus
 * `….CellConfig.LTE.Tunnel.1.Enable` for an HeNB.
 */
#ifndef HMS_PROVISION_H
#define HMS_PROVISION_H

#include <stddef.h>

#include <cwmp/common.h>
#include <cwmp/error.h>

#include "cmfile.h"
#include "conf.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A growing list of (name, value, type); free with prov_list_free(). */
struct prov_list {
    struct cmfile_param *v;
    size_t n;
    size_t cap_;                        /**< private */
    const struct cwmp_allocator *alloc; /**< private */
};

void prov_list_init(struct prov_list *l, const struct cwmp_allocator *alloc);
void prov_list_free(struct prov_list *l);
/** @brief Appends a copy of (name, value, type); the name is checked.
 *  @return 0, CWMP_ERR_BAD_VALUE, CWMP_ERR_NOMEM */
int prov_list_add(struct prov_list *l, const char *name, const char *value, enum cmfile_type type);

/**
 * @brief Discovery (F1/F2, TS 32.583 5.1 step 6, TS 32.593 5.1.2.2 step 3.1):
 * serving HMS URL, serving SeGW and, when the policy has it, the HNB-GW
 * (UMTS) or S1 far end (LTE).
 */
int prov_discovery(const struct conf_policy *p, enum conf_root root, enum conf_rat rat,
                   struct prov_list *out);

/**
 * @brief Registration (F3/F4, TS 32.583 5.2.1 step 5.3, TS 32.593 5.1.3
 * step 2.1): HNB-GW or S1 far end, IPsec usage, then the policy's `set`
 * lines.
 */
int prov_registration(const struct conf_policy *p, enum conf_root root, enum conf_rat rat,
                      struct prov_list *out);

/**
 * @brief PM upload settings (F12): PerfMgmt.Config.1 Enable, URL,
 * Username, Password, PeriodicUploadInterval, PeriodicUploadTime — or just
 * Enable = false when the policy disables PM. Nothing when unset.
 */
int prov_pm(const struct conf_policy *p, enum conf_root root, struct prov_list *out);

/**
 * @brief Alarm reporting mechanism (F10): for each supported alarm
 * (instance i + 1 has ProbableCause @p causes[i], as read from the device's
 * FaultMgmt.SupportedAlarm table), `ReportingMechanism` from the policy's
 * alarm line naming that cause, else from its `*` line; alarms matched by
 * neither are left alone.
 */
int prov_alarms(const struct conf_policy *p, enum conf_root root, const char *const *causes,
                size_t ncauses, struct prov_list *out);

/**
 * @brief De-provisioning by SetParameterValues (F9, TS 32.583 5.4): radio
 * off (`FAPControl.{UMTS|LTE}.AdminState` = false) and, when
 * @p initial_hms_url is given, `ManagementServer.URL` back to the initial
 * HMS.
 */
int prov_deprovision(enum conf_root root, enum conf_rat rat, const char *initial_hms_url,
                     struct prov_list *out);

#ifdef __cplusplus
}
#endif

#endif
