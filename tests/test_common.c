/*
 * libcwmp tests - error strings, allocator, arena and buffer internals.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <limits.h>
#include <string.h>

#include "testutil.h"

#include <cwmp/cwmp.h>

#include "internal.h"

static void test_strerror_never_null(void **state)
{
    (void)state;
    for (int e = -200; e <= 10000; e++)
        assert_non_null(cwmp_strerror(e));
    assert_string_equal(cwmp_strerror(CWMP_ERR_NOMEM), "out of memory");
    assert_string_equal(cwmp_strerror(-9999), "unknown error");
    assert_string_equal(cwmp_strerror(INT_MIN), "unknown error");
    /* Positive values are fault codes. */
    assert_string_equal(cwmp_strerror(9005), "Invalid parameter name");
}

static void test_error_is_fatal(void **state)
{
    (void)state;
    assert_true(cwmp_error_is_fatal(CWMP_ERR_NOMEM));
    assert_true(cwmp_error_is_fatal(CWMP_ERR_INTERNAL));
    assert_false(cwmp_error_is_fatal(CWMP_ERR_PARSE));
    assert_false(cwmp_error_is_fatal(CWMP_ERR_LIMIT));
    assert_false(cwmp_error_is_fatal(CWMP_OK));
    assert_false(cwmp_error_is_fatal(9002));
}

static void test_fault_strings(void **state)
{
    (void)state;
    for (int c = 8000; c <= 8006; c++) {
        assert_string_not_equal(cwmp_fault_string(c), "Unknown fault");
        assert_true(cwmp_fault_is_valid(c, 1));
        assert_false(cwmp_fault_is_valid(c, 0));
    }
    for (int c = 9000; c <= 9032; c++) {
        assert_string_not_equal(cwmp_fault_string(c), "Unknown fault");
        assert_true(cwmp_fault_is_valid(c, 0));
        assert_false(cwmp_fault_is_valid(c, 1));
    }
    assert_string_equal(cwmp_fault_string(8007), "Unknown fault");
    assert_false(cwmp_fault_is_valid(8007, 1));
    assert_string_equal(cwmp_fault_string(8850), "Vendor defined fault");
    assert_true(cwmp_fault_is_valid(8850, 1));
    assert_string_equal(cwmp_fault_string(9850), "Vendor defined fault");
    assert_true(cwmp_fault_is_valid(9500, 0)); /* extension range */
    assert_false(cwmp_fault_is_valid(9900, 0));
    assert_string_equal(cwmp_fault_string(CWMP_FAULT_ACS_RETRY_REQUEST), "Retry request");
    assert_string_equal(cwmp_fault_string(0), "Unknown fault");
}

static void test_version(void **state)
{
    (void)state;
    assert_string_equal(cwmp_version(), "0.1.0");
    assert_true(CWMP_AT_LEAST_VERSION(0, 1, 0));
    assert_false(CWMP_AT_LEAST_VERSION(0, 2, 0));
    const struct cwmp_allocator *a = cwmp_default_allocator();
    assert_non_null(a);
    void *p = a->malloc(16, a->user_data);
    assert_non_null(p);
    a->free(p, a->user_data);
}

static void test_arena(void **state)
{
    (void)state;
    struct cwmp_arena ar;
    cwmp__arena_init(&ar, &test_allocator, 64, 0);
    char *prev = NULL;
    for (int i = 0; i < 1000; i++) {
        char *s = cwmp__arena_printf(&ar, "value-%d", i);
        assert_non_null(s);
        assert_int_equal((uintptr_t)s % CWMP_ARENA_ALIGN, 0);
        if (prev)
            assert_ptr_not_equal(s, prev);
        prev = s;
    }
    char *big = cwmp__arena_alloc(&ar, 100000);
    assert_non_null(big);
    memset(big, 'x', 100000);
    char *after = cwmp__arena_strdup(&ar, "after");
    assert_string_equal(after, "after");
    int *z = cwmp__arena_calloc(&ar, 10, sizeof(int));
    for (int i = 0; i < 10; i++)
        assert_int_equal(z[i], 0);
    assert_null(cwmp__arena_calloc(&ar, SIZE_MAX / 2, 4));
    cwmp__arena_free(&ar);
    cwmp__arena_free(&ar); /* idempotent */
}

static void test_arena_limit(void **state)
{
    (void)state;
    struct cwmp_arena ar;
    cwmp__arena_init(&ar, &test_allocator, 256, 4096);
    int n = 0;
    while (cwmp__arena_alloc(&ar, 100))
        n++;
    assert_true(ar.limited);
    assert_true(ar.total <= 4096);
    assert_true(n > 10);
    cwmp__arena_free(&ar);
}

static void test_arena_nomem(void **state)
{
    (void)state;
    struct failing_alloc f;
    failing_alloc_init(&f, 2, 1);
    struct cwmp_arena ar;
    cwmp__arena_init(&ar, &f.a, 64, 0);
    assert_non_null(cwmp__arena_alloc(&ar, 8));
    void *p = NULL;
    for (int i = 0; i < 100 && (p = cwmp__arena_alloc(&ar, 32)) != NULL; i++)
        ;
    assert_null(p);
    assert_false(ar.limited);
    cwmp__arena_free(&ar);
}

static void test_buf(void **state)
{
    (void)state;
    struct cwmp_buf b;
    cwmp__buf_init(&b, &test_allocator, 0);
    cwmp__buf_puts(&b, "a<b");
    cwmp__buf_append_xml(&b, "x&y<z>\"'\r\n\t", 11, 0);
    cwmp__buf_putc(&b, '|');
    cwmp__buf_append_xml(&b, "\n\t\"", 3, 1);
    cwmp__buf_putc(&b, '|');
    cwmp__buf_put_i64(&b, INT64_MIN);
    cwmp__buf_putc(&b, ' ');
    cwmp__buf_put_u64(&b, UINT64_MAX);
    cwmp__buf_printf(&b, " %d-%s", 42, "ok");
    assert_int_equal(b.err, 0);
    assert_string_equal(b.data, "a<bx&amp;y&lt;z&gt;&quot;&apos;&#13;\n\t|&#10;&#9;&quot;|"
                                "-9223372036854775808 18446744073709551615 42-ok");
    assert_int_equal(b.len, strlen(b.data));
    size_t len;
    char *d = cwmp__buf_detach(&b, &len);
    assert_int_equal(len, strlen(d));
    test_free(d);
    cwmp__buf_free(&b);
}

static void test_buf_limit_sticky(void **state)
{
    (void)state;
    struct cwmp_buf b;
    cwmp__buf_init(&b, &test_allocator, 10);
    cwmp__buf_puts(&b, "0123456789");
    assert_int_equal(b.err, 0);
    cwmp__buf_puts(&b, "x");
    assert_int_equal(b.err, CWMP_ERR_LIMIT);
    cwmp__buf_puts(&b, "");
    cwmp__buf_printf(&b, "%s", "more");
    assert_int_equal(b.len, 10);
    assert_int_equal(b.err, CWMP_ERR_LIMIT);
    cwmp__buf_free(&b);

    struct failing_alloc f;
    failing_alloc_init(&f, 1, 1);
    cwmp__buf_init(&b, &f.a, 0);
    cwmp__buf_puts(&b, "abc");
    assert_int_equal(b.err, CWMP_ERR_NOMEM);
    cwmp__buf_free(&b);
}

static void test_ct_memcmp(void **state)
{
    (void)state;
    assert_int_equal(cwmp__ct_memcmp("abc", 3, "abc", 3), 0);
    assert_int_not_equal(cwmp__ct_memcmp("abc", 3, "abd", 3), 0);
    assert_int_not_equal(cwmp__ct_memcmp("abc", 3, "abc\0", 4), 0);
    assert_int_not_equal(cwmp__ct_memcmp("", 0, "a", 1), 0);
    assert_int_equal(cwmp__ct_memcmp("", 0, "", 0), 0);
    char dst[4];
    assert_int_equal(cwmp__strlcpy(dst, "abcdef", sizeof(dst)), 6);
    assert_string_equal(dst, "abc");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror_never_null),
        cmocka_unit_test(test_error_is_fatal),
        cmocka_unit_test(test_fault_strings),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_arena),
        cmocka_unit_test(test_arena_limit),
        cmocka_unit_test(test_arena_nomem),
        cmocka_unit_test(test_buf),
        cmocka_unit_test(test_buf_limit_sticky),
        cmocka_unit_test(test_ct_memcmp),
    };
    return cmocka_run_group_tests_name("common", tests, NULL, NULL);
}
