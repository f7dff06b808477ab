/*
 * libcwmp examples - default tunnel and DNS hooks (see hooks.h).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "hooks.h"

#include <stdio.h>
#include <string.h>

int hook_split_url(const char *url, struct hook_url *out)
{
    const char *p, *end;
    size_t n;
    if (!strncmp(url, "https://", 8))
        p = url + 8;
    else if (!strncmp(url, "http://", 7))
        p = url + 7;
    else
        return -1;
    if (*p == '[') {
        p++;
        end = strchr(p, ']');
        if (!end)
            return -1;
    } else {
        end = p + strcspn(p, ":/?#");
    }
    n = (size_t) (end - p);
    if (n == 0 || n >= sizeof(out->host))
        return -1;
    memcpy(out->host, p, n);
    out->host[n] = '\0';
    return 0;
}

int hook_establish_tunnel(const char *segw, int verbose)
{
    if (verbose)
        fprintf(stderr, "hnb-agent: hook: IPsec tunnel to SeGW %s established\n", segw);
    return 0;
}

int hook_resolve(const char *host, int inner, int verbose)
{
    if (verbose)
        fprintf(stderr, "hnb-agent: hook: %s DNS lookup of %s\n", inner ? "inner" : "outer", host);
    return 0;
}
