/*
 * libcwmp fuzz target: loading a persisted snapshot (cwmp_dm_load) from
 * hostile records — a corrupted or tampered store must never crash the
 * tree or break its invariants. Input: lines "<kind>\t<name>\t<value>".
 * After loading, the whole tree is read, saved again, and every table's
 * NumberOfEntries must equal its instance count.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cwmp/datamodel.h>
#include <cwmp/error.h>

#include "dm_testschema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct src {
    const uint8_t *p;
    size_t n;
};

static int rd(void *ud,
              int (*record)(void *ctx, enum cwmp_dm_record kind, const char *name,
                            const char *value),
              void *ctx)
{
    struct src *s = ud;
    char line[1024];
    size_t i = 0;
    while (i < s->n) {
        size_t k = 0;
        while (i < s->n && s->p[i] != '\n' && k + 1 < sizeof(line))
            line[k++] = (char) s->p[i++];
        i++;
        line[k] = '\0';
        char *t1 = strchr(line, '\t');
        char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t2)
            continue;
        *t1 = *t2 = '\0';
        int rv = record(ctx, (enum cwmp_dm_record)(line[0] - '0'), t1 + 1, t2 + 1);
        if (rv)
            return rv;
    }
    return 0;
}

static int wr(void *ud, enum cwmp_dm_record kind, const char *name, const char *value)
{
    (void) ud;
    (void) kind;
    return name && value ? 0 : -1;
}

static int nop_begin(void *ud)
{
    (void) ud;
    return 0;
}

static int nop_end(void *ud, bool ok)
{
    (void) ud;
    (void) ok;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cwmp_dm_schema *s = tschema_fap();
    struct cwmp_dm *dm;
    struct src src = {data, size};
    struct cwmp_dm_store st = {nop_begin, wr, nop_end, rd, &src};
    struct cwmp_dm_result r = CWMP_DM_RESULT_INIT;
    const char *all[] = {""};
    if (!s || cwmp_dm_new(&dm, NULL, s, NULL) != 0)
        abort();
    cwmp_dm_set_store(dm, &st);
    int rv = cwmp_dm_load(dm);
    if (rv != 0 && rv != CWMP_ERR_STORE)
        abort();
    if (cwmp_dm_get_values(dm, all, 1, &r) != 0)
        abort();
    cwmp_dm_result_free(&r);
    if (cwmp_dm_save(dm) != 0)
        abort();
    static const char *const tabs[][2] = {
        {"Device.Services.FAPService.", "Device.Services.FAPServiceNumberOfEntries"},
        {"Device.FAP.PerfMgmt.Config.", "Device.FAP.PerfMgmt.ConfigNumberOfEntries"},
    };
    for (size_t i = 0; i < 2; i++) {
        char v[16];
        if (cwmp_dm_get(dm, tabs[i][1], v, sizeof(v)) < 0 ||
            strtoul(v, NULL, 10) != cwmp_dm_instance_count(dm, tabs[i][0]))
            abort();
    }
    /* numbers are never reused: a new instance gets a fresh one */
    uint32_t before = cwmp_dm_instance_count(dm, "Device.FAP.PerfMgmt.Config."), n;
    if (cwmp_dm_add_instance(dm, "Device.FAP.PerfMgmt.Config.", 0, &n) == 0 &&
        cwmp_dm_instance_count(dm, "Device.FAP.PerfMgmt.Config.") != before + 1)
        abort();
    cwmp_dm_free(dm);
    tschema_free(s);
    return 0;
}
