/*
 * libcwmp fuzz target: a sequence of SetParameterValues / AddObject /
 * DeleteObject / SetParameterAttributes decoded from the input, run on the
 * FAP test model. Invariants checked after every step:
 *  - every NumberOfEntries parameter equals the number of instances;
 *  - a failed SetParameterValues leaves every value and the ParameterKey
 *    unchanged (atomicity);
 *  - instance numbers of a table only grow.
 * Input: a list of records; byte 0 = op, byte 1 = selector, then a
 * NUL-terminated value for SPV (up to 3 entries per SPV).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cwmp/datamodel.h>
#include <cwmp/error.h>

#include "dm_testschema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
    const uint8_t *p;
    size_t n;
};

static int next_byte(struct input *in)
{
    if (!in->n)
        return -1;
    in->n--;
    return *in->p++;
}

static const char *next_str(struct input *in, char *buf, size_t size)
{
    size_t k = 0;
    while (in->n && *in->p && k + 1 < size) {
        buf[k++] = (char) *in->p++;
        in->n--;
    }
    if (in->n) { /* the terminator */
        in->p++;
        in->n--;
    }
    buf[k] = '\0';
    return buf;
}

/* Snapshot of every value: names and values joined (for comparisons). */
static char *snapshot(struct cwmp_dm *dm)
{
    struct cwmp_dm_result r = CWMP_DM_RESULT_INIT;
    const char *all[] = {""};
    size_t len = 0;
    char *out;
    if (cwmp_dm_get_values(dm, all, 1, &r) != 0)
        abort();
    for (size_t i = 0; i < r.value_count; i++)
        len += strlen(r.values[i].name) + strlen(r.values[i].value) + 2;
    len += strlen(cwmp_dm_parameter_key(dm)) + 1;
    out = malloc(len + 1);
    if (!out)
        abort();
    out[0] = '\0';
    char *w = out;
    for (size_t i = 0; i < r.value_count; i++)
        w += sprintf(w, "%s=%s\n", r.values[i].name, r.values[i].value);
    sprintf(w, "%s", cwmp_dm_parameter_key(dm));
    cwmp_dm_result_free(&r);
    return out;
}

static void check_counts(struct cwmp_dm *dm)
{
    static const char *const tabs[][2] = {
        {"Device.Services.FAPService.", "Device.Services.FAPServiceNumberOfEntries"},
        {"Device.FAP.PerfMgmt.Config.", "Device.FAP.PerfMgmt.ConfigNumberOfEntries"},
        {"Device.FaultMgmt.CurrentAlarm.", "Device.FaultMgmt.CurrentAlarmNumberOfEntries"},
    };
    for (size_t i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++) {
        struct cwmp_dm_result r = CWMP_DM_RESULT_INIT;
        char v[16];
        if (cwmp_dm_get_names(dm, tabs[i][0], true, &r) != 0)
            abort();
        if (cwmp_dm_get(dm, tabs[i][1], v, sizeof(v)) < 0)
            abort();
        if ((size_t) strtoul(v, NULL, 10) != r.info_count)
            abort();
        cwmp_dm_result_free(&r);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cwmp_dm_schema *s = tschema_fap();
    struct cwmp_dm *dm;
    struct input in = {data, size};
    struct cwmp_dm_result names = CWMP_DM_RESULT_INIT;
    uint32_t last_fap = 0;
    int steps = 0;
    if (!s || cwmp_dm_new(&dm, NULL, s, NULL) != 0)
        abort();
    while (in.n && steps++ < 64) {
        int op = next_byte(&in), sel = next_byte(&in);
        struct cwmp_dm_result r = CWMP_DM_RESULT_INIT;
        if (sel < 0)
            break;
        cwmp_dm_result_free(&names);
        if (cwmp_dm_get_names(dm, "", false, &names) != 0)
            abort();
        const char *pick = names.infos[(size_t) sel % names.info_count].name;
        switch (op % 4) {
        case 0: { /* SPV of 1..3 entries */
            struct cwmp_param_value p[3];
            char vals[3][96], keys[3][300];
            int cnt = 1 + (sel % 3);
            for (int k = 0; k < cnt; k++) {
                int ix = next_byte(&in);
                snprintf(keys[k], sizeof(keys[k]), "%s",
                         names.infos[(size_t) (ix < 0 ? 0 : ix) % names.info_count].name);
                p[k].name = keys[k];
                p[k].value = next_str(&in, vals[k], sizeof(vals[k]));
                p[k].type = (enum cwmp_type)((ix < 0 ? 0 : ix) % 3 == 0 ? CWMP_TYPE_NONE
                                                                        : CWMP_TYPE_STRING);
                p[k].type_name = NULL;
            }
            char *before = snapshot(dm);
            int rv = cwmp_dm_set_values(dm, p, (size_t) cnt, "key", &r);
            char *after = snapshot(dm);
            if (rv != 0 && strcmp(before, after) != 0)
                abort(); /* not atomic */
            if (rv == CWMP_FAULT_INVALID_ARGUMENTS && r.fault_count == 0)
                abort();
            if (rv == 0 && strcmp(cwmp_dm_parameter_key(dm), "key") != 0)
                abort();
            free(before);
            free(after);
            break;
        }
        case 1: {
            const char *t = sel & 1 ? "Device.Services.FAPService." : "Device.FAP.PerfMgmt.Config.";
            int rv = cwmp_dm_add_object(dm, (sel & 2) ? pick : t, "add", &r);
            if (rv == 0 && !(sel & 2) && (sel & 1)) {
                if (r.instance <= last_fap)
                    abort(); /* numbers only grow */
                last_fap = r.instance;
            }
            if (!(sel & 2) && !(sel & 1) && sel & 4)
                (void) cwmp_dm_add_instance(dm, "Device.FaultMgmt.CurrentAlarm.", 0, NULL);
            break;
        }
        case 2: (void) cwmp_dm_delete_object(dm, pick, "del", &r); break;
        case 3: {
            struct cwmp_set_param_attribute a = {pick, true, sel % 8, (sel & 8) != 0, NULL, 0};
            (void) cwmp_dm_set_attributes(dm, &a, 1);
            (void) cwmp_dm_poll(dm);
            break;
        }
        }
        cwmp_dm_result_free(&r);
        check_counts(dm);
    }
    cwmp_dm_result_free(&names);
    cwmp_dm_free(dm);
    tschema_free(s);
    return 0;
}
