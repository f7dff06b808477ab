/*
 * libcwmp fuzz target: the server-identity check of the TLS client on
 * hostile certificates (our own walk of the subjectAltName extension and
 * the CN fallback). Input: one byte choosing the host, then a DER
 * certificate.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stddef.h>
#include <stdint.h>

/* lib/transport/transport_internal.h */
int cwmp__tls_identity_check(const uint8_t *der, size_t len, const char *host);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const hosts[] = {
        "localhost", "127.0.0.1",       "::1", "acs.example.net", "LOCALHOST.",
        "10.0.0.1",  "*.example.net",   "a",   "2001:db8::1",     "00D09E-HNB-0001",
    };
    if (size < 1)
        return 0;
    const char *host = hosts[data[0] % (sizeof(hosts) / sizeof(hosts[0]))];
    int rc = cwmp__tls_identity_check(data + 1, size - 1, host);
    if (rc != 0 && rc != 1 && rc != -3 /* CWMP_ERR_PARSE */)
        __builtin_trap();
    return 0;
}
