/*
 * libcwmp benchmark - data-model tree: GetParameterValues of a whole tree
 * (built-in model, and the full official TR-196 / TR-181 models when
 * generated), a 100-parameter atomic SetParameterValues, and bytes of
 * memory per parameter for the schema tables and the tree. Every timing is
 * printed beside a baseline measured in the same run on the same number of
 * strings (copy of names + values into an arena-like buffer).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cwmp/datamodel.h>

#include "dm/schema.h"
#include "dm_testschema.h"

#ifdef CWMP_BENCH_DM_FULL
extern const struct cwmp_dm_schema cwmp_test_schema_tr196_full;
extern const struct cwmp_dm_schema cwmp_test_schema_tr181_full;
#endif

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* Counting allocator: bytes currently held by the tree. */
struct counter {
    size_t live, peak, calls;
};

static void *c_malloc(size_t n, void *ud)
{
    struct counter *c = ud;
    size_t *p = malloc(n + 16);
    if (!p)
        return NULL;
    p[0] = n;
    c->live += n;
    c->calls++;
    if (c->live > c->peak)
        c->peak = c->live;
    return (char *) p + 16;
}

static void *c_realloc(void *ptr, size_t n, void *ud)
{
    struct counter *c = ud;
    size_t *p = ptr ? (size_t *) ((char *) ptr - 16) : NULL;
    size_t old = p ? p[0] : 0;
    size_t *q = realloc(p, n + 16);
    if (!q)
        return NULL;
    q[0] = n;
    c->live += n - old;
    c->calls++;
    if (c->live > c->peak)
        c->peak = c->live;
    return (char *) q + 16;
}

static void c_free(void *ptr, void *ud)
{
    struct counter *c = ud;
    if (!ptr)
        return;
    size_t *p = (size_t *) ((char *) ptr - 16);
    c->live -= p[0];
    free(p);
}

static size_t schema_bytes(const struct cwmp_dm_schema *s)
{
    return s->node_count * sizeof(struct cwmp__dm_node) + s->pool_size +
           s->syntax_count * sizeof(struct cwmp__dm_syntax) + s->enum_count * sizeof(uint32_t) +
           s->table_count * sizeof(struct cwmp__dm_table) + sizeof(*s);
}

/* One instance of every table (device-side), three levels deep. */
static void populate(struct cwmp_dm *dm)
{
    for (int round = 0; round < 3; round++) {
        struct cwmp_dm_result r = CWMP_DM_RESULT_INIT;
        if (cwmp_dm_get_names(dm, "", false, &r) != 0)
            abort();
        for (size_t i = 0; i < r.info_count; i++) {
            const char *n = r.infos[i].name;
            size_t l = strlen(n);
            if (n[l - 1] != '.' || (n[l - 2] >= '0' && n[l - 2] <= '9'))
                continue;
            if (cwmp_dm_instance_count(dm, n) == 0)
                (void) cwmp_dm_add_instance(dm, n, 0, NULL);
        }
        cwmp_dm_result_free(&r);
    }
}

static volatile size_t sink;

/* Baseline: copy `count` name/value pairs of the same sizes into one buffer. */
static double baseline_copy(const struct cwmp_dm_result *r, int reps)
{
    size_t total = 0;
    for (size_t i = 0; i < r->value_count; i++)
        total += strlen(r->values[i].name) + strlen(r->values[i].value) + 2;
    char *buf = malloc(total);
    const char **ptrs = malloc(r->value_count * 2 * sizeof(*ptrs));
    double t0 = now_s();
    for (int k = 0; k < reps; k++) {
        char *w = buf;
        for (size_t i = 0; i < r->value_count; i++) {
            size_t a = strlen(r->values[i].name) + 1, b = strlen(r->values[i].value) + 1;
            memcpy(w, r->values[i].name, a);
            ptrs[2 * i] = w;
            w += a;
            memcpy(w, r->values[i].value, b);
            ptrs[2 * i + 1] = w;
            w += b;
        }
        sink += (size_t) (w - buf) + (size_t) ptrs[0][0];
    }
    double t = now_s() - t0;
    free(buf);
    free(ptrs);
    return t;
}

static void bench_gpv(const char *label, const struct cwmp_dm_schema *s)
{
    struct counter cnt = {0, 0, 0};
    struct cwmp_allocator a = {c_malloc, c_realloc, c_free, &cnt};
    struct cwmp_dm *dm;
    struct cwmp_dm_result r = CWMP_DM_RESULT_INIT;
    const char *all[] = {""};
    int reps = 0;
    double t0, t, tb;
    if (cwmp_dm_new(&dm, &a, s, NULL) != 0)
        abort();
    populate(dm);
    size_t tree_bytes = cnt.live;
    if (cwmp_dm_get_values(dm, all, 1, &r) != 0)
        abort();
    size_t params = r.value_count;
    cwmp_dm_result_free(&r);
    t0 = now_s();
    do {
        if (cwmp_dm_get_values(dm, all, 1, &r) != 0)
            abort();
        cwmp_dm_result_free(&r);
        reps++;
    } while ((t = now_s() - t0) < 0.3);
    if (cwmp_dm_get_values(dm, all, 1, &r) != 0)
        abort();
    tb = baseline_copy(&r, reps);
    cwmp_dm_result_free(&r);
    printf("GPV whole tree  %-34s %6zu params  %7.3f us/param  baseline copy %7.3f us/param  "
           "ratio %5.1fx\n",
           label, params, t / reps / (double) params * 1e6, tb / reps / (double) params * 1e6,
           t / tb);
    printf("memory          %-34s schema %6.1f B/param (%zu defs)  tree %6.1f B/param "
           "instantiated (%zu B)\n",
           label, (double) schema_bytes(s) / s->param_count, (size_t) s->param_count,
           (double) tree_bytes / (double) params, tree_bytes);
    cwmp_dm_free(dm);
}

static void bench_spv100(void)
{
    struct cwmp_dm_schema *s = tschema_wide(100);
    struct cwmp_dm *dm;
    struct cwmp_param_value p[100];
    char names[100][48], vals[2][100][16];
    int reps = 0;
    double t0, t, tb;
    if (cwmp_dm_new(&dm, NULL, s, NULL) != 0 ||
        cwmp_dm_add_instance(dm, "Device.Bench.", 0, NULL) != 0)
        abort();
    for (int i = 0; i < 100; i++) {
        snprintf(names[i], sizeof(names[i]), "Device.Bench.1.Param%d", i);
        snprintf(vals[0][i], sizeof(vals[0][i]), "a%d", i);
        snprintf(vals[1][i], sizeof(vals[1][i]), "b%d", i);
        p[i].name = names[i];
        p[i].type = CWMP_TYPE_STRING;
        p[i].type_name = NULL;
    }
    t0 = now_s();
    do {
        struct cwmp_dm_result r = CWMP_DM_RESULT_INIT;
        for (int i = 0; i < 100; i++)
            p[i].value = vals[reps & 1][i];
        if (cwmp_dm_set_values(dm, p, 100, "k", &r) != 0)
            abort();
        cwmp_dm_result_free(&r);
        reps++;
    } while ((t = now_s() - t0) < 0.3);
    /* baseline: 100 strdup + free of the same values (the unavoidable copies) */
    t0 = now_s();
    for (int k = 0; k < reps; k++) {
        char *c[100];
        for (int i = 0; i < 100; i++)
            c[i] = strdup(vals[k & 1][i]);
        for (int i = 0; i < 100; i++) {
            sink += (size_t) c[i][0];
            free(c[i]);
        }
    }
    tb = now_s() - t0;
    printf("SPV 100 params (atomic)                            %7.2f us/SPV  %6.3f us/param  "
           "baseline 100 strdup+free %6.2f us  ratio %5.1fx\n",
           t / reps * 1e6, t / reps / 100 * 1e6, tb / reps * 1e6, t / tb);
    cwmp_dm_free(dm);
    tschema_free(s);
}

int main(void)
{
    static const char *const labels[] = {"built-in device2", "built-in igd", "built-in igd_issue1",
                                         "built-in device2_issue1"};
    for (int m = 0; m < 4; m++) {
        const struct cwmp_dm_schema *s = cwmp_dm_schema_builtin((enum cwmp_dm_model) m);
        if (s)
            bench_gpv(labels[m], s);
    }
#ifdef CWMP_BENCH_DM_FULL
    bench_gpv("full TR-196 2.1 (+Device:2 core)", &cwmp_test_schema_tr196_full);
    bench_gpv("full TR-181 2.17 + TR-196 2.1", &cwmp_test_schema_tr181_full);
#else
    printf("full official models: not generated (../shared/standards absent)\n");
#endif
    bench_spv100();
    return 0;
}
