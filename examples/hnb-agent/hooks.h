/*
 * libcwmp examples - the steps of the HNB/HeNB start-up that are outside
 * CWMP: the SeGW/IPsec tunnel and name resolution (outer or inner DNS).
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A real device replaces these functions with its IKEv2 client and its
 * resolver. The defaults log the step (when @p verbose) and succeed, so the
 * message flow matches the figures of TS 32.583 / TS 32.593 clause 5.
 */
#ifndef HNB_HOOKS_H
#define HNB_HOOKS_H

/** Host part of an http(s) URL (brackets of an IPv6 literal removed). */
struct hook_url {
    char host[256];
};

/** Splits @p url. @return 0, or -1 when it is not http(s)://host... */
int hook_split_url(const char *url, struct hook_url *out);

/** Establishes the IPsec tunnel to SeGW @p segw (FQDN or IP).
 *  Default: logs and succeeds. @return 0 or -1. */
int hook_establish_tunnel(const char *segw, int verbose);

/** Resolves @p host through the inner (operator) DNS when @p inner, else
 *  the outer one. Default: logs and succeeds; the transport then resolves
 *  the name itself. @return 0 or -1. */
int hook_resolve(const char *host, int inner, int verbose);

#endif
