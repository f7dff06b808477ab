/*
 * libcwmp fuzz target: STUN message parser, integrity check and the CPE's
 * STUN client state (TR-111 Part 2).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <string.h>

#include <cwmp/udpcr.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cwmp_stun_message m;
    (void) cwmp_stun_is_stun(data, size);
    if (cwmp_stun_parse(data, size, &m) == 0) {
        if (m.username && m.username_len > size)
            __builtin_trap();
        if (m.has_integrity && m.integrity_offset + 24 > size)
            __builtin_trap();
        (void) cwmp_stun_check_integrity(data, size, &m, "password");
        char text[64];
        (void) cwmp_stun_addr_format(&m.mapped, text, sizeof(text));
    }
    /* As the answer to our outstanding request. */
    struct cwmp_stun_client c;
    cwmp_stun_client_init(&c, 30, 60);
    uint8_t req[CWMP_STUN_MAX_MESSAGE];
    size_t len;
    uint8_t txid[16] = {0};
    if (size >= 20)
        memcpy(txid, data + 4, 16);
    if (cwmp_stun_client_request(&c, txid, "user", "password", 1000, req, sizeof(req), &len) != 0)
        __builtin_trap();
    int changed;
    int rc = cwmp_stun_client_response(&c, data, size, "password", &changed);
    if (rc == 0 && c.binding.family != 4 && c.binding.family != 6)
        __builtin_trap();
    (void) cwmp_stun_client_next(&c, 7);
    return 0;
}
