/*
 * libcwmp examples - fuzz target for reading a device's location from an
 * Inform ParameterList (examples/common/location.c). The input is lines,
 * alternately a parameter name and its value.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "location.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PAIRS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const char *names[MAX_PAIRS], *values[MAX_PAIRS];
    size_t n = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line && n < MAX_PAIRS;
         line = strtok_r(NULL, "\n", &save)) {
        char *value = strtok_r(NULL, "\n", &save);
        names[n] = line;
        values[n] = value ? value : "";
        n++;
        if (!value)
            break;
    }
    struct loc_info li;
    loc_from_inform(names, values, n, &li);
    if (li.nplmns > CONF_MAX_REM ||
        (li.has_gps && (li.lat_udeg < -90000000 || li.lat_udeg > 90000000)))
        abort();
    for (size_t i = 0; i < li.nplmns; i++)
        if (strlen(li.plmn[i]) < 5 || strlen(li.plmn[i]) > 6)
            abort();
    free(text);
    return 0;
}
