/*
 * libcwmp examples - PM measurement files of the example HNB/HeNB agent.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file pm.h
 * @brief Writes performance measurement files in the TS 32.435
 * `measCollecFile` XML layout, named per the TS 32.432 conventions.
 *
 * The agent produces one file per upload period while
 * `{Root}.FAP.PerfMgmt.Config.{i}.Enable` is true and uploads it to the
 * configured URL (TS 32.583 5.6.2 / TS 32.593 5.4.2). The output is fully
 * determined by the parameters and the PRNG state passed in (no clock, no
 * global random source), so tests compare files byte for byte.
 *
 * The counters are **illustrative**: names in the style of TS 32.405 (UMTS)
 * and TS 32.425 (E-UTRAN) with plausible, self-consistent values
 * (successes never exceed attempts). They are not a measurement job
 * definition; see doc/examples.md.
 */
#ifndef HNB_PM_H
#define HNB_PM_H

#include <stddef.h>
#include <stdint.h>

#include <cwmp/common.h>
#include <cwmp/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Radio technology: selects the counter set and object names. */
enum pm_rat {
    PM_RAT_UMTS = 0, /**< HNB, TS 32.583 */
    PM_RAT_LTE = 1,  /**< HeNB, TS 32.593 */
};

/** Deterministic PRNG (splitmix64); the caller owns and seeds the state. */
struct pm_rng {
    uint64_t state;
};

/** Next 64-bit value; advances @p r. */
uint64_t pm_rng_next(struct pm_rng *r);

/** Largest number of cells (measValue objects) in one file. */
#define PM_MAX_CELLS 16
/** Longest text parameter accepted, in bytes. */
#define PM_MAX_TEXT 256

/** What goes into one file. Zero-initialise, then fill. */
struct pm_file_params {
    enum pm_rat rat;
    /** Sender name: file name suffix (TS 32.432 unique id) and
     *  fileSender localDn. Required; 1..PM_MAX_TEXT bytes. Characters
     *  outside [A-Za-z0-9._=,+-] are replaced by '_' in the file name. */
    const char *sender_name;
    const char *vendor_name;     /**< fileHeader vendorName; NULL = omitted */
    const char *dn_prefix;       /**< fileHeader dnPrefix (FAPService.DNPrefix); NULL = omitted */
    const char *managed_element; /**< managedElement localDn; NULL = sender_name */
    const char *sw_version;      /**< managedElement swVersion; NULL = omitted */
    const char *job_id;          /**< measInfo job jobId; NULL = "1" */
    int64_t begin_s;             /**< start of the period, seconds since the Unix epoch (UTC) */
    uint32_t gran_s;             /**< granularity period, 1..86400 seconds */
    int tz_minutes;              /**< local offset used in times and the name, -1439..1439 */
    unsigned cells;              /**< number of cells, 1..PM_MAX_CELLS (0 = 1) */
};

/**
 * @brief Writes the TS 32.432 file name, e.g.
 * `A20261122.1500+0000-1515+0000_HNB-0001.xml` (the end date appears only
 * when it differs from the start date: `A20261122.2345+0000-20261123.0000+0000_X.xml`).
 * @return 0; CWMP_ERR_INVALID_ARG (bad parameters); CWMP_ERR_BUFFER (too small)
 */
int pm_file_name(const struct pm_file_params *p, char *buf, size_t len);

/**
 * @brief Produces the whole XML file.
 *
 * @param rng   PRNG state, advanced by the call
 * @param alloc allocator for the returned text; NULL = malloc
 * @param out   receives the NUL-terminated text (free with @p alloc)
 * @param out_len receives its length (may be NULL)
 * @return 0; CWMP_ERR_INVALID_ARG; CWMP_ERR_ENCODING (a text parameter is not
 *         valid UTF-8 or holds control characters); CWMP_ERR_NOMEM
 */
int pm_file_write(const struct pm_file_params *p, struct pm_rng *rng,
                  const struct cwmp_allocator *alloc, char **out, size_t *out_len);

/**
 * @brief Next upload time: the smallest t > @p now_s with
 * t = @p phase_s + k * @p interval_s (TR-196 PerfMgmt.Config.{i}
 * PeriodicUploadInterval phase-aligned on PeriodicUploadTime). Pass
 * phase_s = 0 when PeriodicUploadTime is the Unknown Time: uploads then
 * fall on multiples of the interval since the epoch (quarter hours for 900).
 * The file uploaded at t covers [t - interval_s, t).
 * @return the time in seconds since the epoch, or -1 when interval_s is 0
 */
int64_t pm_next_upload(int64_t now_s, uint32_t interval_s, int64_t phase_s);

/** Formats @p t (+ @p tz_minutes) as xs:dateTime with offset,
 *  "2026-11-22T15:00:00+00:00". @return 0 or CWMP_ERR_BUFFER */
int pm_format_time(int64_t t, int tz_minutes, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
