/*
 * libcwmp fuzz target - the WWW-Authenticate / Authorization parser, the
 * Authorization builder on whatever challenge parses, and the server-side
 * verifier on the input taken as an Authorization header.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cwmp/http.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fixed_rng(void *user, uint8_t *buf, size_t len)
{
    (void) user;
    memset(buf, 0xa5, len);
    return 0;
}

static int lookup(void *user, const char *username, char *buf, size_t size)
{
    (void) user;
    (void) username;
    if (size < 7)
        return -1;
    memcpy(buf, "secret", 7);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cwmp_http_auth_params a;
    const char *s = (const char *) data;
    if (cwmp_http_auth_parse(s, size, 1, &a) == 0) {
        char out[2048];
        cwmp_http_auth_authorization(&a, "cpe", "pass", "POST", "/acs", 1, fixed_rng, NULL, out,
                                     sizeof(out));
    }
    cwmp_http_auth_parse(s, size, 0, &a);

    /* As a NUL-terminated Authorization header for the verifier. */
    char *z = malloc(size + 1);
    if (!z)
        return 0;
    memcpy(z, data, size);
    z[size] = '\0';
    struct cwmp_http_auth_server_config cfg = {.realm = "cwmp",
                                               .digest_sha256 = 1,
                                               .allow_basic = 1,
                                               .password = lookup,
                                               .rng = fixed_rng};
    struct cwmp_http_auth_server *srv;
    if (cwmp_http_auth_server_new(&srv, &cfg) == 0) {
        int stale;
        char user[64];
        cwmp_http_auth_server_verify(srv, "GET", "/cr", z, 1, 1000, &stale, user, sizeof(user));
        cwmp_http_auth_server_free(srv);
    }
    free(z);
    return 0;
}
