/*
 * libcwmp examples - the device's identity and location, both ways.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file location.h
 * @brief The agent turns its factory settings (conf.h) into data-model
 * values — DeviceInfo identity, GPS fix, REM scan results — that it reports
 * in its Inform (TS 32.583 5.1 step 4 / 5.2.1 step 5.1, TS 32.593 5.1.2.2
 * step 2.1 / 5.1.3 step 1.1); the HMS reads the location back from the
 * Inform's ParameterList to choose a policy (conf_policy_select()).
 *
 * Paths (`{Root}` = `Device` or `InternetGatewayDevice`, FAPService 1):
 * - `{Root}.DeviceInfo.Manufacturer`, `ManufacturerOUI`, `ProductClass`,
 *   `SerialNumber`;
 * - `{Root}.FAP.GPS.LockedLatitude` / `LockedLongitude` (int, micro-degrees);
 * - UMTS: `{Root}.Services.FAPService.1.REM.UMTS.WCDMA.Cell.{i}.BCCH.PLMNID`,
 *   `.LAC`, `.CellID`; LTE: `….REM.LTE.Cell.{i}.BCCH.PLMNList.1.PLMNID`,
 *   `.TAC`, `.CellID`.
 *
 * The reader also accepts the TR-196 Issue 1 GPS location
 * (`….FAPService.{i}.GPS.LockedLatitude`) and GSM REM cells
 * (`….REM.UMTS.GSM.Cell.{i}.PLMNID`), whatever the root.
 */
#ifndef EX_LOCATION_H
#define EX_LOCATION_H

#include <stddef.h>
#include <stdint.h>

#include "cmfile.h"
#include "conf.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Receives one value; returns 0 to go on, anything else to stop with it. */
typedef int (*loc_emit_fn)(void *ud, const char *name, const char *value, enum cmfile_type type);

/**
 * @brief Emits the identity and location values of @p a, in a fixed order.
 * @return 0, the first non-zero value @p emit returned, or CWMP_ERR_BAD_VALUE
 */
int loc_agent_values(const struct conf_agent *a, loc_emit_fn emit, void *ud);

/** Location read from an Inform. */
struct loc_info {
    int has_gps;
    int32_t lat_udeg, lon_udeg;
    char plmn[CONF_MAX_REM][8]; /**< distinct PLMNs of the reported cells */
    const char *plmn_ptr[CONF_MAX_REM];
    size_t nplmns;
};

/**
 * @brief Reads the location from an Inform's ParameterList (@p n name/value
 * pairs). Values out of range or malformed are ignored, not trusted.
 */
void loc_from_inform(const char *const *names, const char *const *values, size_t n,
                     struct loc_info *out);

/** @brief Copies the location into @p dev (pointers into @p l). */
void loc_fill_device_info(const struct loc_info *l, struct conf_device_info *dev);

#ifdef __cplusplus
}
#endif

#endif
