/*
 * libcwmp examples - what the HMS takes from an Inform.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file inform.h
 * @brief Reads, from an Inform's events and ParameterList, what the
 * example HMS records and decides on: the data-model root, the events
 * (BOOTSTRAP → provision again), the ConnectionRequestURL, the IPsec inner
 * address (F5), the alarms reported through `FaultMgmt.ExpeditedEvent` /
 * `QueuedEvent` (F11), and the location (location.h). Pure; values are
 * borrowed from the caller's arrays and checked, never trusted.
 */
#ifndef HMS_INFORM_H
#define HMS_INFORM_H

#include <stddef.h>

#include "location.h"
#include "registry.h"

#ifdef __cplusplus
extern "C" {
#endif

#define INFORM_MAX_ALARMS 16

/** Event flags. */
enum {
    INFORM_EV_BOOTSTRAP = 1 << 0,
    INFORM_EV_BOOT = 1 << 1,
    INFORM_EV_PERIODIC = 1 << 2,
    INFORM_EV_VALUE_CHANGE = 1 << 4,
    INFORM_EV_CONNECTION_REQUEST = 1 << 6,
    INFORM_EV_TRANSFER_COMPLETE = 1 << 7,
};

struct inform_digest {
    enum hms_dev_root root; /**< from the parameter names */
    unsigned events;        /**< INFORM_EV_* */
    const char *cr_url;     /**< ManagementServer.ConnectionRequestURL, or NULL */
    const char *inner_ip;   /**< IPsec inner address (valid IPv4/IPv6), or NULL */
    struct hms_alarm alarms[INFORM_MAX_ALARMS]; /**< fields borrowed; "" when absent */
    size_t nalarms;
    struct loc_info loc;
};

/**
 * @brief Digests an Inform.
 * @param names, values the ParameterList (@p n entries)
 * @param events        EventCode strings (@p nevents entries)
 *
 * Alarm entries are grouped by table and instance
 * (`…FaultMgmt.ExpeditedEvent.{i}.*` → mechanism "expedited",
 * `…QueuedEvent.{i}.*` → "queued", TR-196 Issue 1 paths inside
 * FAPService too); entries whose EventTime is the Unknown Time
 * (`0001-01-01T00:00:00Z`, an unpopulated slot) or that have neither an
 * AlarmIdentifier nor a ProbableCause are dropped.
 */
void inform_digest(const char *const *names, const char *const *values, size_t n,
                   const char *const *events, size_t nevents, struct inform_digest *d);

/** @brief Joins event codes with "," for hms_registry_inform(); truncates
 *  safely. @return 0, or CWMP_ERR_BUFFER when truncated */
int inform_events_join(const char *const *events, size_t nevents, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
