/*
 * libcwmp test PKI: generates a throw-away CA and certificates at test time
 * (no private key is ever committed). Used by the TLS tests, the transport
 * benchmark and the examples/demo (cwmp-testpki DIR).
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Files written into DIR (PEM; EC P-256 keys, mode 0600):
 *   ca.crt ca.key            root CA "libcwmp Test Root CA"
 *   ca.crl                   CRL of that CA revoking revoked.crt
 *   other-ca.crt             an unrelated CA (for "unknown CA" tests)
 *   server.crt server.key    localhost, 127.0.0.1, ::1 (SAN), valid to 2049
 *   wrongname.crt/.key       acs.example.net only
 *   expired.crt/.key         localhost + 127.0.0.1, valid 2000-2001
 *   revoked.crt/.key         localhost + 127.0.0.1, revoked by ca.crl
 *   untrusted.crt/.key       localhost + 127.0.0.1, issued by other-ca
 *   cnonly.crt/.key          no SAN, CN=localhost
 *   client.crt client.key    device certificate (clientAuth), CN=00D09E-HNB-0001
 *   wildcard.crt/.key        SAN *.example.net only (must match nothing)
 *   ipasdns.crt/.key         SAN dNSName "127.0.0.1" (must not vouch for the IP)
 */
#ifndef CWMP_TESTPKI_H
#define CWMP_TESTPKI_H

#include <stddef.h>

/** Writes every file into @p dir (which must exist). 0 or -1 (@p err says why). */
int testpki_generate(const char *dir, char *err, size_t err_size);

/** Removes the files testpki_generate() writes, then the directory. */
void testpki_remove(const char *dir);

/** Builds "dir/name" into @p buf (always NUL-terminated). */
const char *testpki_path(char *buf, size_t size, const char *dir, const char *name);

#endif
