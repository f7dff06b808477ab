/*
 * libcwmp tests - allocation-failure sweeps over the codec: every golden
 * envelope (every .xml file in tests/data/envelopes that decodes, i.e. has
 * no .error file) is decoded, encoded (one-shot and with a reusable
 * encoder) and duplicated (envelope and RPC) with an allocator that fails
 * the Nth allocation, for every N until the operation succeeds. Each
 * failing run must return CWMP_ERR_NOMEM, leave nothing allocated (cmocka
 * checks leaks) and never crash.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include <cwmp/envelope.h>
#include <cwmp/error.h>

#define MAX_FILES 256
#define SWEEP_MAX 100000

struct golden {
    char *names[MAX_FILES];
    size_t count;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Cases with a .error file are refused by decoding: nothing to sweep. */
static int refused(const char *dir, const char *xml_name)
{
    char path[1200];
    snprintf(path, sizeof(path), "%s/%.*s.error", dir, (int) (strlen(xml_name) - 4), xml_name);
    FILE *fp = fopen(path, "r");
    if (fp)
        fclose(fp);
    return fp != NULL;
}

static void list_golden(struct golden *g)
{
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s/envelopes", test_data_dir());
    g->count = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL && g->count < MAX_FILES) {
        size_t n = strlen(e->d_name);
        if (n > 4 && strcmp(e->d_name + n - 4, ".xml") == 0 && !refused(dir, e->d_name)) {
            size_t sz = strlen(dir) + n + 2;
            char *p = test_malloc(sz);
            snprintf(p, sz, "%s/%s", dir, e->d_name);
            g->names[g->count++] = p;
        }
    }
    closedir(d);
    qsort(g->names, g->count, sizeof(g->names[0]), cmp_str);
}

static void free_golden(struct golden *g)
{
    for (size_t i = 0; i < g->count; i++)
        test_free(g->names[i]);
}

struct sweep_ctx {
    const char *data;
    size_t len;
    bool strict;
    bool in_place;                   /* input_nul_terminated: no input copy */
    const struct cwmp_envelope *env; /* for the encode sweeps */
};

static int sweep_decode(const struct cwmp_allocator *a, void *user)
{
    struct sweep_ctx *c = user;
    struct cwmp_codec_options opts;
    cwmp_codec_options_init(&opts);
    opts.allocator = a;
    opts.strict = c->strict;
    opts.input_nul_terminated = c->in_place;
    struct cwmp_envelope *env = (struct cwmp_envelope *) &opts; /* must be reset */
    int rv = cwmp_envelope_decode(c->data, c->len, &opts, &env, NULL, 0);
    if (rv == 0) {
        assert_non_null(env);
        cwmp_envelope_free(env);
    } else {
        assert_null(env);
    }
    return rv;
}

static int sweep_encode(const struct cwmp_allocator *a, void *user)
{
    struct sweep_ctx *c = user;
    struct cwmp_codec_options opts;
    cwmp_codec_options_init(&opts);
    opts.allocator = a;
    char *out = NULL;
    size_t len = 0;
    int rv = cwmp_envelope_encode(c->env, &opts, &out, &len, NULL, 0);
    if (rv == 0) {
        assert_non_null(out);
        assert_int_equal(strlen(out), len);
        cwmp_encoded_free(&opts, out);
    }
    return rv;
}

static int sweep_encoder(const struct cwmp_allocator *a, void *user)
{
    struct sweep_ctx *c = user;
    struct cwmp_codec_options opts;
    cwmp_codec_options_init(&opts);
    opts.allocator = a;
    struct cwmp_encoder *enc = NULL;
    int rv = cwmp_encoder_new(&enc, &opts);
    if (rv != 0)
        return rv;
    const char *out;
    size_t len;
    /* Twice: the second run reuses the buffer. */
    rv = cwmp_encoder_encode(enc, c->env, &out, &len);
    if (rv == 0)
        rv = cwmp_encoder_encode(enc, c->env, &out, &len);
    cwmp_encoder_free(enc);
    return rv;
}

static int sweep_dup(const struct cwmp_allocator *a, void *user)
{
    struct sweep_ctx *c = user;
    struct cwmp_envelope *copy = NULL;
    int rv = cwmp_envelope_dup(c->env, a, &copy);
    if (rv == 0)
        cwmp_envelope_free(copy);
    return rv;
}

static int sweep_rpc_dup(const struct cwmp_allocator *a, void *user)
{
    struct sweep_ctx *c = user;
    struct cwmp_rpc *copy = NULL;
    int rv = cwmp_rpc_dup(&c->env->rpc, a, &copy);
    if (rv == 0)
        cwmp_rpc_free(copy);
    else
        assert_null(copy);
    return rv;
}

static void test_sweep_golden(void **state)
{
    (void) state;
    struct golden g;
    list_golden(&g);
    if (g.count == 0) {
        free_golden(&g);
        fail_msg("no golden envelopes in %s/envelopes", test_data_dir());
    }
    unsigned long total = 0;
    for (size_t i = 0; i < g.count; i++) {
        size_t len;
        char *data = read_file(g.names[i], &len);
        assert_non_null(data);
        struct sweep_ctx c = {data, len, false, false, NULL};

        /* Decode, lenient (copying the input or parsing it in place: read_file
         * NUL-terminates) and strict (strict may refuse a quirky file). */
        total += alloc_sweep(sweep_decode, &c, CWMP_ERR_NOMEM, SWEEP_MAX);
        c.in_place = true;
        total += alloc_sweep(sweep_decode, &c, CWMP_ERR_NOMEM, SWEEP_MAX);
        c.in_place = false;
        struct cwmp_codec_options opts;
        cwmp_codec_options_init(&opts);
        opts.allocator = &test_allocator;
        opts.strict = true;
        struct cwmp_envelope *env = NULL;
        if (cwmp_envelope_decode(data, len, &opts, &env, NULL, 0) == 0) {
            cwmp_envelope_free(env);
            c.strict = true;
            total += alloc_sweep(sweep_decode, &c, CWMP_ERR_NOMEM, SWEEP_MAX);
        }

        /* Encode (one-shot and reusable encoder) and dup of the message. */
        opts.strict = false;
        env = NULL;
        assert_int_equal(cwmp_envelope_decode(data, len, &opts, &env, NULL, 0), 0);
        c.env = env;
        char *out = NULL;
        size_t out_len;
        if (cwmp_envelope_encode(env, &opts, &out, &out_len, NULL, 0) == 0) {
            cwmp_encoded_free(&opts, out);
            total += alloc_sweep(sweep_encode, &c, CWMP_ERR_NOMEM, SWEEP_MAX);
            total += alloc_sweep(sweep_encoder, &c, CWMP_ERR_NOMEM, SWEEP_MAX);
        }
        total += alloc_sweep(sweep_dup, &c, CWMP_ERR_NOMEM, SWEEP_MAX);
        total += alloc_sweep(sweep_rpc_dup, &c, CWMP_ERR_NOMEM, SWEEP_MAX);
        cwmp_envelope_free(env);
        test_free(data);
    }
    printf("# swept %zu golden envelopes, %lu allocations in the successful runs\n", g.count,
           total);
    free_golden(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sweep_golden),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
