/*
 * libcwmp examples - fuzz target for what the HMS takes from an Inform
 * (examples/hms/inform.c). Input lines: "E<event code>" or "<name>\t<value>".
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX 128

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const char *names[MAX], *values[MAX], *events[MAX];
    size_t n = 0, ne = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == 'E' && ne < MAX) {
            events[ne++] = line + 1;
        } else if (n < MAX) {
            char *tab = strchr(line, '\t');
            if (tab)
                *tab = '\0';
            names[n] = line;
            values[n] = tab ? tab + 1 : "";
            n++;
        }
    }
    struct inform_digest d;
    inform_digest(names, values, n, events, ne, &d);
    if (d.nalarms > INFORM_MAX_ALARMS)
        abort();
    for (size_t i = 0; i < d.nalarms; i++)
        if (!d.alarms[i].mechanism || !d.alarms[i].event_time || !d.alarms[i].probable_cause)
            abort();
    char joined[256];
    (void) inform_events_join(events, ne, joined, sizeof(joined));
    if (strlen(joined) >= sizeof(joined))
        abort();
    free(text);
    return 0;
}
