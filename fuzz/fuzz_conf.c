/*
 * libcwmp examples - fuzz target for the config/policy file parser and the
 * agent and HMS loaders (examples/common/conf.c).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct conf_doc *d = NULL;
    struct conf_error err;
    if (conf_parse((const char *) data, size, NULL, &d, &err) != 0)
        return 0;
    struct conf_agent a;
    if (conf_agent_load(d, &a, &err) == 0 && (!a.initial_hms_url || !a.serial))
        abort(); /* a loaded agent always has its required settings */
    struct conf_hms *h = NULL;
    if (conf_hms_load(d, &h, &err) == 0) {
        if (!h->database || !h->listen_host)
            abort();
        const char *plmn = "20801";
        struct conf_device_info dev = {"00D09E", "FAP", "S1", CONF_RAT_LTE, 1, 0, 0, &plmn, 1};
        (void) conf_policy_select(h, &dev);
        conf_hms_free(h);
    }
    conf_free(d);
    return 0;
}
