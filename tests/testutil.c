/*
 * libcwmp tests - shared helpers.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void *t_malloc(size_t n, void *ud)
{
    (void)ud;
    return test_malloc(n);
}

static void *t_realloc(void *p, size_t n, void *ud)
{
    (void)ud;
    return test_realloc(p, n);
}

static void t_free(void *p, void *ud)
{
    (void)ud;
    test_free(p);
}

const struct cwmp_allocator test_allocator = {t_malloc, t_realloc, t_free, NULL};

static int fa_should_fail(struct failing_alloc *f)
{
    f->count++;
    if (f->fail_at && (f->count == f->fail_at || (f->sticky && f->count > f->fail_at))) {
        f->failed++;
        return 1;
    }
    return 0;
}

static void *fa_malloc(size_t n, void *ud)
{
    struct failing_alloc *f = ud;
    return fa_should_fail(f) ? NULL : test_malloc(n);
}

static void *fa_realloc(void *p, size_t n, void *ud)
{
    struct failing_alloc *f = ud;
    return fa_should_fail(f) ? NULL : test_realloc(p, n);
}

static void fa_free(void *p, void *ud)
{
    (void)ud;
    test_free(p);
}

void failing_alloc_init(struct failing_alloc *f, unsigned long fail_at, int sticky)
{
    memset(f, 0, sizeof(*f));
    f->a.malloc = fa_malloc;
    f->a.realloc = fa_realloc;
    f->a.free = fa_free;
    f->a.user_data = f;
    f->fail_at = fail_at;
    f->sticky = sticky;
}

unsigned long alloc_sweep(sweep_fn fn, void *ctx, int nomem_error, unsigned long max_n)
{
    for (unsigned long n = 1; n <= max_n; n++) {
        struct failing_alloc f;
        failing_alloc_init(&f, n, 0);
        int rv = fn(&f.a, ctx);
        if (f.failed == 0) {
            assert_int_equal(rv, 0);
            return f.count;
        }
        if (rv != nomem_error)
            fail_msg("allocation %lu failed but the call returned %d, not %d", n, rv,
                     nomem_error);
    }
    fail_msg("allocation sweep did not finish within %lu allocations", max_n);
    return 0;
}

char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    struct stat st;
    if (fstat(fileno(fp), &st) != 0) {
        fclose(fp);
        return NULL;
    }
    size_t n = (size_t)st.st_size;
    char *buf = test_malloc(n + 1);
    if (fread(buf, 1, n, fp) != n) {
        fclose(fp);
        test_free(buf);
        return NULL;
    }
    fclose(fp);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

const char *test_data_dir(void)
{
    const char *d = getenv("CWMP_TEST_DATA");
    return d ? d : CWMP_TEST_DATA_DIR;
}

const char *shared_standards_dir(void)
{
    const char *d = getenv("CWMP_SHARED_STANDARDS");
    if (!d)
        d = CWMP_SHARED_STANDARDS_DIR;
    struct stat st;
    if (stat(d, &st) == 0 && S_ISDIR(st.st_mode))
        return d;
    return NULL;
}
