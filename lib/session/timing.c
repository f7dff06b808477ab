/*
 * libcwmp - session retry back-off (TR-069 §3.2.1.1) and the periodic
 * Inform schedule. Pure functions: time and randomness are arguments.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <cwmp/session.h>

#include "internal.h"

#define RETRY_CAP 10u

void cwmp_retry_range(uint32_t retry_count, uint32_t min_wait_s, uint32_t multiplier,
                      int64_t *lo_ms, int64_t *hi_ms)
{
    /* Fixed point: values in ms, multiplier in per mille. With the inputs
     * bounded to 65535 and n ≤ 10 the intermediate values are capped so
     * nothing overflows (the cap is far beyond any sane wait). */
    const int64_t cap = INT64_C(1) << 50;
    int64_t lo, hi;
    uint32_t n;

    if (min_wait_s == 0)
        min_wait_s = CWMP_RETRY_MIN_WAIT_DEFAULT;
    if (min_wait_s > 65535)
        min_wait_s = 65535;
    if (multiplier == 0)
        multiplier = CWMP_RETRY_MULTIPLIER_DEFAULT;
    if (multiplier < 1000)
        multiplier = 1000;
    if (multiplier > 65535)
        multiplier = 65535;
    if (retry_count == 0) {
        *lo_ms = 0;
        *hi_ms = 0;
        return;
    }
    n = retry_count > RETRY_CAP ? RETRY_CAP : retry_count;
    lo = (int64_t) min_wait_s * 1000;
    for (uint32_t i = 1; i < n; i++)
        lo = lo > cap / multiplier ? cap : lo * multiplier / 1000;
    hi = lo > cap / multiplier ? cap : lo * multiplier / 1000;
    *lo_ms = lo;
    *hi_ms = hi;
}

int64_t cwmp_retry_wait_ms(uint32_t retry_count, uint32_t min_wait_s, uint32_t multiplier,
                           uint32_t random)
{
    int64_t lo, hi;

    cwmp_retry_range(retry_count, min_wait_s, multiplier, &lo, &hi);
    if (hi <= lo)
        return lo;
    /* Scale a 32-bit random number onto [lo, hi]. */
    return lo + (int64_t) (((uint64_t) (hi - lo) * (uint64_t) random) / UINT32_MAX);
}

int64_t cwmp_periodic_next(int64_t now_ms, uint32_t interval_s, int64_t ref_ms, bool has_ref)
{
    int64_t iv, d, k;

    if (interval_s == 0)
        return -1;
    iv = (int64_t) interval_s * 1000;
    if (!has_ref)
        return now_ms + iv;
    d = now_ms - ref_ms;
    /* floor division, valid for a reference in the past or the future */
    k = d / iv;
    if (d % iv != 0 && d < 0)
        k--;
    return ref_ms + (k + 1) * iv;
}
