/*
 * cwmp-testpki DIR: writes a throw-away test PKI (see testpki.h) for the
 * examples and the demo. Never use these certificates in production.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "testpki.h"

int main(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr,
                "usage: %s DIR\n"
                "Writes a throw-away CA, server/client certificates and a CRL into DIR.\n",
                argv[0]);
        return 2;
    }
    if (mkdir(argv[1], 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "%s: cannot create %s: %s\n", argv[0], argv[1], strerror(errno));
        return 1;
    }
    char err[256];
    if (testpki_generate(argv[1], err, sizeof(err)) != 0) {
        fprintf(stderr, "%s: %s\n", argv[0], err);
        return 1;
    }
    printf(
        "test PKI written to %s (ca.crt, server.crt/.key for localhost, client.crt/.key, ca.crl)\n",
        argv[1]);
    return 0;
}
