/*
 * libcwmp tests - shared helpers: cmocka-backed allocator (every test checks
 * for leaks), a failing allocator for allocation-failure sweeps, file
 * loading and the location of the shared reference data.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CWMP_TESTUTIL_H
#define CWMP_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cwmp/common.h>

/** An allocator on cmocka's test_malloc/test_free: leaks fail the test. */
extern const struct cwmp_allocator test_allocator;

/**
 * A counting allocator that fails allocation number @c fail_at (1-based;
 * 0 = never) and every one after it when @c sticky is set. It delegates to
 * cmocka's allocator so leaks are still detected.
 */
struct failing_alloc {
    struct cwmp_allocator a;
    unsigned long count;   /* allocations attempted */
    unsigned long fail_at; /* 1-based; 0 = never fail */
    int sticky;            /* fail every allocation after fail_at too */
    unsigned long failed;  /* how many were refused */
};

void failing_alloc_init(struct failing_alloc *f, unsigned long fail_at, int sticky);

/**
 * Allocation-failure sweep: calls @p fn with an allocator failing the Nth
 * allocation for N = 1, 2, ... until a run succeeds without any refused
 * allocation. Every failing run must return @p nomem_error (checked with
 * cmocka asserts); returns the number of allocations of the successful run.
 */
typedef int (*sweep_fn)(const struct cwmp_allocator *a, void *ctx);
unsigned long alloc_sweep(sweep_fn fn, void *ctx, int nomem_error, unsigned long max_n);

/** Reads a whole file into a test_malloc'ed, NUL-terminated buffer. */
char *read_file(const char *path, size_t *len);

/** Directory of tests/data in the source tree (set by meson). */
const char *test_data_dir(void);
/** ../shared/standards if present, else NULL. */
const char *shared_standards_dir(void);

#endif
