/*
 * libcwmp fuzz target: UDP connection-request verifier (TR-069 Annex G).
 * Invariant: a datagram accepted once is never accepted a second time.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <string.h>

#include <cwmp/udpcr.h>

#define NOW 1700000000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cwmp_udpcr_replay r;
    cwmp_udpcr_replay_init(&r, 0);
    enum cwmp_udpcr_verdict v;
    int rc = cwmp_udpcr_verify(&r, data, size, "cpe-0001", "s3cret", NOW, &v);
    if ((rc == 0) != (v == CWMP_UDPCR_OK))
        __builtin_trap();
    if (rc == 0 && cwmp_udpcr_verify(&r, data, size, "cpe-0001", "s3cret", NOW, &v) == 0)
        __builtin_trap();
    /* Empty credentials must not make anything acceptable that is not signed so. */
    (void) cwmp_udpcr_verify(&r, data, size, "", "", NOW, &v);
    return 0;
}
