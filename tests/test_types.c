/*
 * libcwmp tests - value types: versions, type names, integer/boolean/
 * dateTime/base64/hexBinary parse and format, cwmp_value_check.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "testutil.h"

#include <cwmp/error.h>
#include <cwmp/types.h>

#define S(lit) lit, sizeof(lit) - 1

/* ---- versions ----------------------------------------------------------- */

static void test_versions(void **state)
{
    (void) state;
    assert_string_equal(cwmp_version_string(CWMP_V1_0), "1.0");
    assert_string_equal(cwmp_version_string(CWMP_V1_4), "1.4");
    assert_string_equal(cwmp_version_string((enum cwmp_version) 5), "?");
    assert_string_equal(cwmp_version_string((enum cwmp_version) - 1), "?");
    assert_string_equal(cwmp_version_namespace(CWMP_V1_0), "urn:dslforum-org:cwmp-1-0");
    assert_string_equal(cwmp_version_namespace(CWMP_V1_1), "urn:dslforum-org:cwmp-1-1");
    assert_string_equal(cwmp_version_namespace(CWMP_V1_2), "urn:dslforum-org:cwmp-1-2");
    assert_string_equal(cwmp_version_namespace(CWMP_V1_3), "urn:dslforum-org:cwmp-1-2");
    assert_string_equal(cwmp_version_namespace(CWMP_V1_4), "urn:dslforum-org:cwmp-1-2");
    assert_string_equal(cwmp_version_namespace((enum cwmp_version) 99), "?");

    enum cwmp_version v = CWMP_V1_0;
    for (int i = 0; i <= 4; i++) {
        const char *t = cwmp_version_string((enum cwmp_version) i);
        assert_int_equal(cwmp_version_parse(t, strlen(t), &v), 0);
        assert_int_equal(v, i);
    }
    assert_int_equal(cwmp_version_parse(S(" 1.3\r\n"), &v), 0);
    assert_int_equal(v, CWMP_V1_3);
    v = CWMP_V1_1;
    assert_int_equal(cwmp_version_parse(S("1.5"), &v), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_version_parse(S("2.0"), &v), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_version_parse(S("1.0.0"), &v), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_version_parse(S("1"), &v), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_version_parse(S(""), &v), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_version_parse(NULL, 0, &v), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_version_parse(S("1.0"), NULL), CWMP_ERR_BAD_VALUE);
    assert_int_equal(v, CWMP_V1_1); /* untouched on error */

    assert_int_equal(cwmp_version_from_namespace(S("urn:dslforum-org:cwmp-1-0"), &v), 0);
    assert_int_equal(v, CWMP_V1_0);
    assert_int_equal(cwmp_version_from_namespace(S("urn:dslforum-org:cwmp-1-1"), &v), 0);
    assert_int_equal(v, CWMP_V1_1);
    assert_int_equal(cwmp_version_from_namespace(S("urn:dslforum-org:cwmp-1-2"), &v), 0);
    assert_int_equal(v, CWMP_V1_2);
    assert_int_equal(cwmp_version_from_namespace(S("urn:dslforum-org:cwmp-1-3"), &v),
                     CWMP_ERR_NAMESPACE);
    assert_int_equal(cwmp_version_from_namespace(S("urn:dslforum-org:cwmp-1-2 "), &v),
                     CWMP_ERR_NAMESPACE);
    assert_int_equal(cwmp_version_from_namespace(S("urn:dslforum-org:cwmp-1-"), &v),
                     CWMP_ERR_NAMESPACE);
    assert_int_equal(cwmp_version_from_namespace(S("URN:DSLFORUM-ORG:CWMP-1-0"), &v),
                     CWMP_ERR_NAMESPACE);
    assert_int_equal(cwmp_version_from_namespace(NULL, 0, &v), CWMP_ERR_NAMESPACE);
    assert_int_equal(v, CWMP_V1_2);
}

/* ---- type names --------------------------------------------------------- */

static void test_type_names(void **state)
{
    (void) state;
    static const struct {
        const char *local;
        enum cwmp_type t;
        const char *written;
    } cases[] = {
        {"string", CWMP_TYPE_STRING, "xsd:string"},
        {"int", CWMP_TYPE_INT, "xsd:int"},
        {"unsignedInt", CWMP_TYPE_UNSIGNED_INT, "xsd:unsignedInt"},
        {"long", CWMP_TYPE_LONG, "xsd:long"},
        {"unsignedLong", CWMP_TYPE_UNSIGNED_LONG, "xsd:unsignedLong"},
        {"boolean", CWMP_TYPE_BOOLEAN, "xsd:boolean"},
        {"dateTime", CWMP_TYPE_DATETIME, "xsd:dateTime"},
        {"base64Binary", CWMP_TYPE_BASE64, "xsd:base64Binary"},
        {"base64", CWMP_TYPE_BASE64, "xsd:base64Binary"},
        {"hexBinary", CWMP_TYPE_HEXBINARY, "xsd:hexBinary"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(cwmp_type_from_name(cases[i].local, strlen(cases[i].local)), cases[i].t);
        assert_string_equal(cwmp_type_name(cases[i].t), cases[i].written);
        /* The written name maps back (after the prefix). */
        const char *w = cases[i].written + 4;
        assert_int_equal(cwmp_type_from_name(w, strlen(w)), cases[i].t);
    }
    assert_int_equal(cwmp_type_from_name(S("Int")), CWMP_TYPE_OTHER);
    assert_int_equal(cwmp_type_from_name(S("xsd:int")), CWMP_TYPE_OTHER);
    assert_int_equal(cwmp_type_from_name(S("in")), CWMP_TYPE_OTHER);
    assert_int_equal(cwmp_type_from_name(S("integer")), CWMP_TYPE_OTHER);
    assert_int_equal(cwmp_type_from_name(S("")), CWMP_TYPE_OTHER);
    assert_int_equal(cwmp_type_from_name(NULL, 3), CWMP_TYPE_OTHER);
    /* Not NUL-terminated: only len counts. */
    assert_int_equal(cwmp_type_from_name("intXYZ", 3), CWMP_TYPE_INT);
    assert_string_equal(cwmp_type_name(CWMP_TYPE_NONE), "xsd:string");
    assert_string_equal(cwmp_type_name(CWMP_TYPE_OTHER), "xsd:string");
    assert_string_equal(cwmp_type_name((enum cwmp_type) 1000), "xsd:string");
    assert_string_equal(cwmp_type_name((enum cwmp_type) - 3), "xsd:string");
}

/* ---- integers ----------------------------------------------------------- */

static void test_parse_int(void **state)
{
    (void) state;
    int32_t v = 7;
    assert_int_equal(cwmp_parse_int(S("0"), &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(cwmp_parse_int(S("2147483647"), &v), 0);
    assert_int_equal(v, INT32_MAX);
    assert_int_equal(cwmp_parse_int(S("-2147483648"), &v), 0);
    assert_int_equal(v, INT32_MIN);
    assert_int_equal(cwmp_parse_int(S("+0042"), &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(cwmp_parse_int(S("-0"), &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(cwmp_parse_int(S("000000000000000000000000002147483647"), &v), 0);
    assert_int_equal(v, INT32_MAX);
    assert_int_equal(cwmp_parse_int(S(" \t\r\n-17 \n"), &v), 0);
    assert_int_equal(v, -17);
    /* Not NUL-terminated: len is what counts. */
    assert_int_equal(cwmp_parse_int("12345", 2, &v), 0);
    assert_int_equal(v, 12);

    v = 99;
    static const char *const bad[] = {
        "",
        " ",
        "+",
        "-",
        "2147483648",
        "-2147483649",
        "99999999999999999999999",
        "1 2",
        "1.0",
        "1e3",
        "0x10",
        "++1",
        "+-1",
        "- 1",
        "1-",
        "\v1",
        "1\f",
        "abc",
        "1a",
        "\xc2\xa0"
        "1",
        "\xef\xbc\x91",
        "4294967296",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(cwmp_parse_int(bad[i], strlen(bad[i]), &v), CWMP_ERR_BAD_VALUE);
        assert_int_equal(v, 99); /* unchanged */
    }
    assert_int_equal(cwmp_parse_int("1\0"
                                    "2",
                                    3, &v),
                     CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_parse_int(NULL, 0, &v), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_parse_int(S("1"), NULL), CWMP_ERR_BAD_VALUE);
}

static void test_parse_uint(void **state)
{
    (void) state;
    uint32_t v = 7;
    assert_int_equal(cwmp_parse_uint(S("4294967295"), &v), 0);
    assert_int_equal(v, UINT32_MAX);
    assert_int_equal(cwmp_parse_uint(S("+4294967295"), &v), 0);
    assert_int_equal(v, UINT32_MAX);
    assert_int_equal(cwmp_parse_uint(S("-0"), &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(cwmp_parse_uint(S("-000"), &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(cwmp_parse_uint(S("0000004294967295"), &v), 0);
    assert_int_equal(v, UINT32_MAX);
    v = 5;
    assert_int_equal(cwmp_parse_uint(S("4294967296"), &v), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_parse_uint(S("-1"), &v), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_parse_uint(S("-9"), &v), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_parse_uint(S("-01"), &v), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_parse_uint(S("42949672950"), &v), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_parse_uint(S(""), &v), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_parse_uint(S("1,000"), &v), CWMP_ERR_BAD_VALUE);
    assert_int_equal(v, 5);
    assert_int_equal(cwmp_parse_uint(S("1"), NULL), CWMP_ERR_BAD_VALUE);
}

static void test_parse_long(void **state)
{
    (void) state;
    int64_t v = 7;
    assert_int_equal(cwmp_parse_long(S("9223372036854775807"), &v), 0);
    assert_true(v == INT64_MAX);
    assert_int_equal(cwmp_parse_long(S("-9223372036854775808"), &v), 0);
    assert_true(v == INT64_MIN);
    assert_int_equal(cwmp_parse_long(S("-9223372036854775807"), &v), 0);
    assert_true(v == -INT64_MAX);
    assert_int_equal(cwmp_parse_long(S("-0"), &v), 0);
    assert_true(v == 0);
    assert_int_equal(cwmp_parse_long(S("+00"), &v), 0);
    assert_true(v == 0);
    v = 3;
    assert_int_equal(cwmp_parse_long(S("9223372036854775808"), &v), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_parse_long(S("-9223372036854775809"), &v), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_parse_long(S("18446744073709551616"), &v), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_parse_long(S("92233720368547758070"), &v), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_parse_long(S("1 "), &v), 0);
    assert_true(v == 1);
    assert_int_equal(cwmp_parse_long(S("1"), NULL), CWMP_ERR_BAD_VALUE);
}

static void test_parse_ulong(void **state)
{
    (void) state;
    uint64_t v = 7;
    assert_int_equal(cwmp_parse_ulong(S("18446744073709551615"), &v), 0);
    assert_true(v == UINT64_MAX);
    assert_int_equal(cwmp_parse_ulong(S("18446744073709551614"), &v), 0);
    assert_true(v == UINT64_MAX - 1);
    assert_int_equal(cwmp_parse_ulong(S("-0"), &v), 0);
    assert_true(v == 0);
    v = 3;
    assert_int_equal(cwmp_parse_ulong(S("18446744073709551616"), &v), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_parse_ulong(S("18446744073709551620"), &v), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_parse_ulong(S("99999999999999999999"), &v), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_parse_ulong(S("-1"), &v), CWMP_ERR_BAD_VALUE);
    assert_true(v == 3);
    assert_int_equal(cwmp_parse_ulong(S("1"), NULL), CWMP_ERR_BAD_VALUE);
}

static void test_format_integers(void **state)
{
    (void) state;
    char buf[CWMP_INT_BUFSIZE];
    assert_int_equal(cwmp_format_long(0, buf, sizeof(buf)), 1);
    assert_string_equal(buf, "0");
    assert_int_equal(cwmp_format_long(INT64_MIN, buf, sizeof(buf)), 20);
    assert_string_equal(buf, "-9223372036854775808");
    assert_int_equal(cwmp_format_long(INT64_MAX, buf, sizeof(buf)), 19);
    assert_string_equal(buf, "9223372036854775807");
    assert_int_equal(cwmp_format_long(-42, buf, sizeof(buf)), 3);
    assert_string_equal(buf, "-42");
    assert_int_equal(cwmp_format_ulong(UINT64_MAX, buf, sizeof(buf)), 20);
    assert_string_equal(buf, "18446744073709551615");
    assert_int_equal(cwmp_format_ulong(7, buf, sizeof(buf)), 1);
    assert_string_equal(buf, "7");

    /* Exact fit and one byte short. */
    char small[4];
    assert_int_equal(cwmp_format_long(-42, small, 4), 3);
    assert_string_equal(small, "-42");
    assert_int_equal(cwmp_format_long(-420, small, 4), CWMP_ERR_BUFFER);
    assert_string_equal(small, "");
    assert_int_equal(cwmp_format_ulong(1000, small, 4), CWMP_ERR_BUFFER);
    assert_string_equal(small, "");
    assert_int_equal(cwmp_format_ulong(1, NULL, 0), CWMP_ERR_BUFFER);
    assert_int_equal(cwmp_format_ulong(1, small, 0), CWMP_ERR_BUFFER);

    /* Round trips at the boundaries of every width. */
    static const int64_t longs[] = {INT64_MIN, INT64_MIN + 1, -1,        0,
                                    1,         INT32_MIN,     INT32_MAX, INT64_MAX};
    for (size_t i = 0; i < sizeof(longs) / sizeof(longs[0]); i++) {
        int n = cwmp_format_long(longs[i], buf, sizeof(buf));
        assert_true(n > 0);
        int64_t back;
        assert_int_equal(cwmp_parse_long(buf, (size_t) n, &back), 0);
        assert_true(back == longs[i]);
        if (longs[i] >= INT32_MIN && longs[i] <= INT32_MAX) {
            int32_t b32;
            assert_int_equal(cwmp_parse_int(buf, (size_t) n, &b32), 0);
            assert_int_equal(b32, longs[i]);
        }
    }
}

static void test_bool(void **state)
{
    (void) state;
    bool b = false;
    assert_int_equal(cwmp_parse_bool(S("true"), &b), 0);
    assert_true(b);
    assert_int_equal(cwmp_parse_bool(S("false"), &b), 0);
    assert_false(b);
    assert_int_equal(cwmp_parse_bool(S("1"), &b), 0);
    assert_true(b);
    assert_int_equal(cwmp_parse_bool(S("0"), &b), 0);
    assert_false(b);
    assert_int_equal(cwmp_parse_bool(S("\r\n true \t"), &b), 0);
    assert_true(b);
    b = true;
    static const char *const bad[] = {"",   "TRUE", "True", "yes", "on",    "2",         "00", "01",
                                      "-1", "+1",   "t",    "tru", "truee", "false ish", "f"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(cwmp_parse_bool(bad[i], strlen(bad[i]), &b), CWMP_ERR_BAD_VALUE);
    assert_true(b);
    assert_int_equal(cwmp_parse_bool(NULL, 0, &b), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_parse_bool(S("1"), NULL), CWMP_ERR_BAD_VALUE);

    char buf[6];
    assert_int_equal(cwmp_format_bool(true, false, buf, sizeof(buf)), 4);
    assert_string_equal(buf, "true");
    assert_int_equal(cwmp_format_bool(false, false, buf, sizeof(buf)), 5);
    assert_string_equal(buf, "false");
    assert_int_equal(cwmp_format_bool(true, true, buf, sizeof(buf)), 1);
    assert_string_equal(buf, "1");
    assert_int_equal(cwmp_format_bool(false, true, buf, sizeof(buf)), 1);
    assert_string_equal(buf, "0");
    assert_int_equal(cwmp_format_bool(false, false, buf, 5), CWMP_ERR_BUFFER);
    assert_string_equal(buf, "");
}

/* ---- dateTime ----------------------------------------------------------- */

static void dt_ok(const char *in, const char *canonical)
{
    struct cwmp_datetime dt;
    char buf[CWMP_DATETIME_BUFSIZE];
    int rv = cwmp_datetime_parse(in, strlen(in), &dt);
    if (rv != 0)
        fail_msg("\"%s\" refused (%d)", in, rv);
    int n = cwmp_datetime_format(&dt, buf, sizeof(buf));
    assert_true(n > 0);
    assert_int_equal((size_t) n, strlen(buf));
    if (strcmp(buf, canonical) != 0)
        fail_msg("\"%s\" formats as \"%s\", expected \"%s\"", in, buf, canonical);
    struct cwmp_datetime again;
    assert_int_equal(cwmp_datetime_parse(buf, (size_t) n, &again), 0);
    assert_memory_equal(&dt, &again, sizeof(dt));
}

static void dt_bad(const char *in)
{
    struct cwmp_datetime dt;
    memset(&dt, 0x5a, sizeof(dt));
    struct cwmp_datetime before = dt;
    int rv = cwmp_datetime_parse(in, strlen(in), &dt);
    if (rv != CWMP_ERR_BAD_VALUE)
        fail_msg("\"%s\" accepted (%d)", in, rv);
    assert_memory_equal(&dt, &before, sizeof(dt));
}

static void test_datetime_parse_format(void **state)
{
    (void) state;
    dt_ok("2026-11-22T15:40:35Z", "2026-11-22T15:40:35Z");
    dt_ok("2026-11-22T15:40:35+00:00", "2026-11-22T15:40:35Z");
    dt_ok("2026-11-22T15:40:35-00:00", "2026-11-22T15:40:35Z");
    dt_ok("2026-11-22T15:40:35+05:30", "2026-11-22T15:40:35+05:30");
    dt_ok("2026-11-22T15:40:35-14:00", "2026-11-22T15:40:35-14:00");
    dt_ok("2026-11-22T15:40:35+14:00", "2026-11-22T15:40:35+14:00");
    dt_ok("2026-11-22T15:40:35", "2026-11-22T15:40:35");
    dt_ok("  2026-11-22T15:40:35Z\r\n", "2026-11-22T15:40:35Z");
    /* Fractions: as many digits as written, up to six. */
    dt_ok("2026-11-22T15:40:35.5Z", "2026-11-22T15:40:35.5Z");
    dt_ok("2026-11-22T15:40:35.000Z", "2026-11-22T15:40:35.000Z");
    dt_ok("2026-11-22T15:40:35.123456Z", "2026-11-22T15:40:35.123456Z");
    dt_ok("2026-11-22T15:40:35.1234567891234Z", "2026-11-22T15:40:35.123456Z");
    dt_ok("2026-11-22T15:40:35.012", "2026-11-22T15:40:35.012");
    /* Calendar edges. */
    dt_ok("2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z"); /* leap year */
    dt_ok("2000-02-29T00:00:00Z", "2000-02-29T00:00:00Z"); /* divisible by 400 */
    dt_ok("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"); /* Unknown Time */
    dt_ok("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z");
    dt_ok("2016-12-31T23:59:60Z", "2016-12-31T23:59:60Z"); /* leap second */
    dt_ok("2026-04-30T00:00:00Z", "2026-04-30T00:00:00Z");
    dt_ok("0001-01-03T03:04:05", "0001-01-03T03:04:05"); /* relative */

    struct cwmp_datetime dt;
    assert_int_equal(cwmp_datetime_parse(S("2026-11-22T15:40:35.25-03:30"), &dt), 0);
    assert_int_equal(dt.year, 2026);
    assert_int_equal(dt.month, 11);
    assert_int_equal(dt.day, 22);
    assert_int_equal(dt.hour, 15);
    assert_int_equal(dt.minute, 40);
    assert_int_equal(dt.second, 35);
    assert_int_equal(dt.microsecond, 250000);
    assert_int_equal(dt.frac_digits, 2);
    assert_int_equal(dt.has_tz, 1);
    assert_int_equal(dt.tz_minutes, -210);
    /* Not NUL-terminated. */
    assert_int_equal(cwmp_datetime_parse("2026-11-22T15:40:35Zgarbage", 20, &dt), 0);
    assert_int_equal(dt.has_tz, 1);
}

static void test_datetime_bad(void **state)
{
    (void) state;
    static const char *const bad[] = {
        "",
        "   ",
        "2026-11-22",
        "2026-11-22T",
        "2026-11-22T15:40",
        "2026-11-22T15:40:3",
        "2026-11-22 15:40:35Z",
        "2026-11-22t15:40:35Z",
        "2026-11-22T15:40:35z",
        "26-11-22T15:40:35Z",
        "02026-11-22T15:40:35Z",
        "12026-11-22T15:40:35Z",
        "-2026-11-22T15:40:35Z",
        "+2026-11-22T15:40:35Z",
        "0000-01-01T00:00:00Z",
        "2026-1-22T15:40:35Z",
        "2026-00-22T15:40:35Z",
        "2026-13-22T15:40:35Z",
        "2026-11-00T15:40:35Z",
        "2026-11-31T15:40:35Z",
        "2026-04-31T00:00:00Z",
        "2026-06-31T00:00:00Z",
        "2026-09-31T00:00:00Z",
        "2026-01-32T00:00:00Z",
        "2026-02-29T00:00:00Z", /* not a leap year */
        "1900-02-29T00:00:00Z", /* divisible by 100, not 400 */
        "2026-02-30T00:00:00Z",
        "2026-11-22T24:00:00Z",
        "2026-11-22T25:00:00Z",
        "2026-11-22T15:60:00Z",
        "2026-11-22T15:40:61Z",
        "2026-11-22T15:40:60Z", /* leap second only at minute 59 */
        "2026-11-22T15:40:35.Z",
        "2026-11-22T15:40:35.",
        "2026-11-22T15:40:35,5Z",
        "2026-11-22T15:40:35.5.5Z",
        "2026-11-22T15:40:35ZZ",
        "2026-11-22T15:40:35+15:00",
        "2026-11-22T15:40:35+14:01",
        "2026-11-22T15:40:35+05:60",
        "2026-11-22T15:40:35+0530",
        "2026-11-22T15:40:35+05",
        "2026-11-22T15:40:35+5:30",
        "2026-11-22T15:40:35+05:3",
        "2026-11-22T15:40:35 +05:30",
        "2026-11-22T15:40:35UTC",
        "2026-11-22T15:40:35Z garbage",
        "2026-11-22T15:4a:35Z",
        "2026-11-22T15:40:35.-5Z",
        "2026\xef\xbc\x8d"
        "11-22T15:40:35Z",
        "Sun, 22 Nov 2026 15:40:35 GMT",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        dt_bad(bad[i]);
    /* Trailing whitespace is fine; an embedded NUL is not. */
    struct cwmp_datetime dt;
    assert_int_equal(cwmp_datetime_parse("2026-11-22T15:40:35Z\0", 21, &dt), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_datetime_parse(NULL, 0, &dt), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_datetime_parse(S("2026-11-22T15:40:35Z"), NULL), CWMP_ERR_BAD_VALUE);
}

static void test_datetime_format_errors(void **state)
{
    (void) state;
    struct cwmp_datetime dt;
    char buf[CWMP_DATETIME_BUFSIZE];
    assert_int_equal(cwmp_datetime_parse(S("2026-11-22T15:40:35.123456+05:30"), &dt), 0);
    int n = cwmp_datetime_format(&dt, buf, sizeof(buf));
    assert_int_equal(n, 32);
    /* Exact fit, then one byte short. */
    assert_int_equal(cwmp_datetime_format(&dt, buf, 33), 32);
    assert_int_equal(cwmp_datetime_format(&dt, buf, 32), CWMP_ERR_BUFFER);
    assert_string_equal(buf, "");
    assert_int_equal(cwmp_datetime_format(&dt, NULL, 0), CWMP_ERR_BUFFER);
    /* Invalid fields are refused, not formatted. */
    struct cwmp_datetime bad = dt;
    bad.month = 13;
    assert_int_equal(cwmp_datetime_format(&bad, buf, sizeof(buf)), CWMP_ERR_BAD_VALUE);
    bad = dt;
    bad.day = 31;
    bad.month = 11;
    assert_int_equal(cwmp_datetime_format(&bad, buf, sizeof(buf)), CWMP_ERR_BAD_VALUE);
    bad = dt;
    bad.year = 10000;
    assert_int_equal(cwmp_datetime_format(&bad, buf, sizeof(buf)), CWMP_ERR_BAD_VALUE);
    bad = dt;
    bad.year = 0;
    assert_int_equal(cwmp_datetime_format(&bad, buf, sizeof(buf)), CWMP_ERR_BAD_VALUE);
    bad = dt;
    bad.microsecond = 1000000;
    assert_int_equal(cwmp_datetime_format(&bad, buf, sizeof(buf)), CWMP_ERR_BAD_VALUE);
    bad = dt;
    bad.frac_digits = 7;
    assert_int_equal(cwmp_datetime_format(&bad, buf, sizeof(buf)), CWMP_ERR_BAD_VALUE);
    bad = dt;
    bad.tz_minutes = 841;
    assert_int_equal(cwmp_datetime_format(&bad, buf, sizeof(buf)), CWMP_ERR_BAD_VALUE);
    bad = dt;
    bad.has_tz = 0; /* an offset without a zone flag is inconsistent */
    assert_int_equal(cwmp_datetime_format(&bad, buf, sizeof(buf)), CWMP_ERR_BAD_VALUE);
    bad = dt;
    bad.hour = 24;
    assert_int_equal(cwmp_datetime_format(&bad, buf, sizeof(buf)), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_datetime_format(NULL, buf, sizeof(buf)), CWMP_ERR_BAD_VALUE);
    /* Fewer fraction digits than the microseconds hold: truncated. */
    bad = dt;
    bad.frac_digits = 2;
    assert_int_equal(cwmp_datetime_format(&bad, buf, sizeof(buf)), 28);
    assert_string_equal(buf, "2026-11-22T15:40:35.12+05:30");
}

static void test_datetime_unix(void **state)
{
    (void) state;
    struct cwmp_datetime dt;
    assert_int_equal(cwmp_datetime_parse(S("1970-01-01T00:00:00Z"), &dt), 0);
    assert_true(cwmp_datetime_to_unix(&dt) == 0);
    assert_true(cwmp_datetime_to_unix(NULL) == INT64_MIN);
    assert_int_equal(cwmp_datetime_parse(S("2026-11-22T15:40:35Z"), &dt), 0);
    assert_true(cwmp_datetime_to_unix(&dt) == INT64_C(1795362035));
    /* Offsets are applied: 17:10:35+01:30 is 15:40:35Z. */
    assert_int_equal(cwmp_datetime_parse(S("2026-11-22T17:10:35+01:30"), &dt), 0);
    assert_true(cwmp_datetime_to_unix(&dt) == INT64_C(1795362035));
    assert_int_equal(cwmp_datetime_parse(S("1969-12-31T23:59:59Z"), &dt), 0);
    assert_true(cwmp_datetime_to_unix(&dt) == -1);
    assert_int_equal(cwmp_datetime_parse(S("0001-01-01T00:00:00Z"), &dt), 0);
    assert_true(cwmp_datetime_to_unix(&dt) == INT64_C(-62135596800));
    assert_int_equal(cwmp_datetime_parse(S("9999-12-31T23:59:59Z"), &dt), 0);
    assert_true(cwmp_datetime_to_unix(&dt) == INT64_C(253402300799));
    assert_int_equal(cwmp_datetime_parse(S("2000-03-01T00:00:00Z"), &dt), 0);
    assert_true(cwmp_datetime_to_unix(&dt) == INT64_C(951868800));

    /* from_unix inverts to_unix over the whole range, day by day in steps. */
    char buf[CWMP_DATETIME_BUFSIZE];
    for (int64_t t = INT64_C(-62135596800); t <= INT64_C(253402300799);
         t += INT64_C(86400) * 37 + 3601) {
        struct cwmp_datetime x;
        assert_int_equal(cwmp_datetime_from_unix(t, 0, &x), 0);
        assert_true(cwmp_datetime_to_unix(&x) == t);
        int n = cwmp_datetime_format(&x, buf, sizeof(buf));
        assert_true(n == 20);
        struct cwmp_datetime y;
        assert_int_equal(cwmp_datetime_parse(buf, (size_t) n, &y), 0);
        assert_memory_equal(&x, &y, sizeof(x));
    }
    assert_int_equal(cwmp_datetime_from_unix(INT64_C(1795362035), 7, &dt), 0);
    assert_int_equal(cwmp_datetime_format(&dt, buf, sizeof(buf)), 27);
    assert_string_equal(buf, "2026-11-22T15:40:35.000007Z");
    assert_int_equal(cwmp_datetime_from_unix(-1, 0, &dt), 0);
    assert_int_equal(cwmp_datetime_format(&dt, buf, sizeof(buf)), 20);
    assert_string_equal(buf, "1969-12-31T23:59:59Z");

    struct cwmp_datetime keep = dt;
    assert_int_equal(cwmp_datetime_from_unix(INT64_C(-62135596801), 0, &dt), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_datetime_from_unix(INT64_C(253402300800), 0, &dt), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_datetime_from_unix(INT64_MIN, 0, &dt), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_datetime_from_unix(INT64_MAX, 0, &dt), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_datetime_from_unix(0, 1000000, &dt), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_datetime_from_unix(0, 0, NULL), CWMP_ERR_BAD_VALUE);
    assert_memory_equal(&dt, &keep, sizeof(dt));
}

static void test_datetime_tr106(void **state)
{
    (void) state;
    struct cwmp_datetime dt;
    int64_t up = -1;

    /* The Unknown Time. */
    assert_int_equal(cwmp_datetime_parse(S("0001-01-01T00:00:00Z"), &dt), 0);
    assert_true(cwmp_datetime_is_unknown(&dt));
    assert_false(cwmp_datetime_is_relative(&dt));
    assert_int_equal(cwmp_datetime_uptime(&dt, &up), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_datetime_parse(S("0001-01-01T00:00:00+00:00"), &dt), 0);
    assert_true(cwmp_datetime_is_unknown(&dt));

    /* Untimezoned boot time itself: relative, uptime 0, not unknown. */
    assert_int_equal(cwmp_datetime_parse(S("0001-01-01T00:00:00"), &dt), 0);
    assert_false(cwmp_datetime_is_unknown(&dt));
    assert_true(cwmp_datetime_is_relative(&dt));
    assert_int_equal(cwmp_datetime_uptime(&dt, &up), 0);
    assert_true(up == 0);

    /* TR-106's example: 2 days, 3 h, 4 min, 5 s after boot. */
    assert_int_equal(cwmp_datetime_parse(S("0001-01-03T03:04:05"), &dt), 0);
    assert_true(cwmp_datetime_is_relative(&dt));
    assert_int_equal(cwmp_datetime_uptime(&dt, &up), 0);
    assert_true(up == 2 * 86400 + 3 * 3600 + 4 * 60 + 5);

    /* Over a month and over a year since boot (year 1 is not a leap year). */
    assert_int_equal(cwmp_datetime_parse(S("0001-03-01T00:00:00"), &dt), 0);
    assert_int_equal(cwmp_datetime_uptime(&dt, &up), 0);
    assert_true(up == (31 + 28) * INT64_C(86400));
    assert_int_equal(cwmp_datetime_parse(S("0002-01-01T00:00:01Z"), &dt), 0);
    assert_true(cwmp_datetime_is_relative(&dt)); /* zone tolerated */
    assert_int_equal(cwmp_datetime_uptime(&dt, &up), 0);
    assert_true(up == 365 * INT64_C(86400) + 1);
    assert_int_equal(cwmp_datetime_parse(S("0999-12-31T23:59:59"), &dt), 0);
    assert_true(cwmp_datetime_is_relative(&dt));
    assert_int_equal(cwmp_datetime_parse(S("0001-02-29T00:00:00"), &dt), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_datetime_parse(S("0004-02-29T00:00:00"), &dt), 0);

    /* Year 1000 and later: absolute. */
    assert_int_equal(cwmp_datetime_parse(S("1000-01-01T00:00:00Z"), &dt), 0);
    assert_false(cwmp_datetime_is_relative(&dt));
    assert_false(cwmp_datetime_is_unknown(&dt));
    assert_int_equal(cwmp_datetime_uptime(&dt, &up), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_datetime_parse(S("0001-01-01T00:00:00.5Z"), &dt), 0);
    assert_false(cwmp_datetime_is_unknown(&dt));

    assert_false(cwmp_datetime_is_unknown(NULL));
    assert_false(cwmp_datetime_is_relative(NULL));
    assert_int_equal(cwmp_datetime_uptime(NULL, &up), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_datetime_uptime(&dt, NULL), CWMP_ERR_BAD_VALUE);
}

/* ---- cross-checks against independent references ------------------------ */

static uint64_t lcg(uint64_t *x)
{
    *x = *x * 6364136223846793005u + 1442695040888963407u;
    return *x >> 33;
}

/* Reference integer parser: __int128 accumulation, digits capped at 40. */
static int ref_parse(const char *s, size_t n, __int128 lo, __int128 hi, __int128 *out)
{
    while (n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    int neg = 0;
    if (n && (*s == '+' || *s == '-')) {
        neg = *s == '-';
        s++, n--;
    }
    if (n == 0 || n > 40)
        return -1;
    __int128 v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (neg)
        v = -v;
    if (v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static void test_integers_random(void **state)
{
    (void) state;
    static const char alphabet[] = "0123456789999900 +-\t\rx";
    uint64_t seed = 42;
    char buf[32];
    for (int iter = 0; iter < 200000; iter++) {
        size_t n = lcg(&seed) % 24;
        for (size_t i = 0; i < n; i++)
            buf[i] = alphabet[lcg(&seed) % (sizeof(alphabet) - 1)];
        __int128 ref;
        int32_t i32;
        uint32_t u32;
        int64_t i64;
        uint64_t u64;
        int ok = ref_parse(buf, n, INT32_MIN, INT32_MAX, &ref) == 0;
        assert_int_equal(cwmp_parse_int(buf, n, &i32) == 0, ok);
        if (ok)
            assert_true(i32 == ref);
        ok = ref_parse(buf, n, 0, UINT32_MAX, &ref) == 0;
        assert_int_equal(cwmp_parse_uint(buf, n, &u32) == 0, ok);
        if (ok)
            assert_true(u32 == ref);
        ok = ref_parse(buf, n, INT64_MIN, INT64_MAX, &ref) == 0;
        assert_int_equal(cwmp_parse_long(buf, n, &i64) == 0, ok);
        if (ok)
            assert_true(i64 == ref);
        ok = ref_parse(buf, n, 0, UINT64_MAX, &ref) == 0;
        assert_int_equal(cwmp_parse_ulong(buf, n, &u64) == 0, ok);
        if (ok)
            assert_true(u64 == ref);
    }
}

/* cwmp_datetime_from_unix + format against the C library's gmtime_r. */
static void test_datetime_vs_gmtime(void **state)
{
    (void) state;
    uint64_t seed = 7;
    for (int iter = 0; iter < 100000; iter++) {
        /* 1900-01-01 .. 9999-12-31, where glibc's gmtime_r is exact. */
        int64_t t = INT64_C(-2208988800) +
                    (int64_t) (((uint64_t) lcg(&seed) << 31 ^ lcg(&seed)) %
                               (uint64_t) (INT64_C(253402300799) + INT64_C(2208988800)));
        time_t tt = (time_t) t;
        struct tm tm;
        assert_non_null(gmtime_r(&tt, &tm));
        char want[64];
        snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        struct cwmp_datetime dt;
        assert_int_equal(cwmp_datetime_from_unix(t, 0, &dt), 0);
        char got[CWMP_DATETIME_BUFSIZE];
        assert_int_equal(cwmp_datetime_format(&dt, got, sizeof(got)), 20);
        if (strcmp(got, want) != 0)
            fail_msg("%lld: %s, gmtime_r says %s", (long long) t, got, want);
        assert_true(cwmp_datetime_to_unix(&dt) == t);
    }
}

/* ---- base64 ------------------------------------------------------------- */

static void b64_vector(const char *plain, const char *enc)
{
    char buf[64];
    size_t n = strlen(plain);
    assert_int_equal(cwmp_base64_encode((const uint8_t *) plain, n, buf, sizeof(buf)),
                     (int) strlen(enc));
    assert_string_equal(buf, enc);
    uint8_t out[64];
    size_t out_len = 99;
    assert_int_equal(cwmp_base64_decode(enc, strlen(enc), out, sizeof(out), &out_len), 0);
    assert_int_equal(out_len, n);
    assert_memory_equal(out, plain, n);
    /* Measure-only mode. */
    out_len = 99;
    assert_int_equal(cwmp_base64_decode(enc, strlen(enc), NULL, 0, &out_len), 0);
    assert_int_equal(out_len, n);
    /* Exactly sized output, then one byte short. */
    assert_int_equal(cwmp_base64_decode(enc, strlen(enc), out, n, NULL), 0);
    if (n)
        assert_int_equal(cwmp_base64_decode(enc, strlen(enc), out, n - 1, NULL), CWMP_ERR_BUFFER);
    assert_int_equal(cwmp_value_check(CWMP_TYPE_BASE64, enc, strlen(enc)), 0);
}

static void test_base64(void **state)
{
    (void) state;
    /* RFC 4648 section 10 test vectors. */
    b64_vector("", "");
    b64_vector("f", "Zg==");
    b64_vector("fo", "Zm8=");
    b64_vector("foo", "Zm9v");
    b64_vector("foob", "Zm9vYg==");
    b64_vector("fooba", "Zm9vYmE=");
    b64_vector("foobar", "Zm9vYmFy");

    /* All byte values and the whole alphabet. */
    uint8_t all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (uint8_t) i;
    char enc[400];
    int n = cwmp_base64_encode(all, sizeof(all), enc, sizeof(enc));
    assert_int_equal(n, 344);
    uint8_t back[256];
    size_t blen;
    assert_int_equal(cwmp_base64_decode(enc, (size_t) n, back, sizeof(back), &blen), 0);
    assert_int_equal(blen, 256);
    assert_memory_equal(all, back, 256);
    assert_non_null(strchr(enc, '+'));
    assert_non_null(strchr(enc, '/'));

    /* XML whitespace anywhere is ignored (line-wrapped base64). */
    uint8_t out[16];
    assert_int_equal(cwmp_base64_decode(S(" Zm9v\r\nYm\tFy \n"), out, sizeof(out), &blen), 0);
    assert_int_equal(blen, 6);
    assert_memory_equal(out, "foobar", 6);
    assert_int_equal(cwmp_base64_decode(S("Zg=\n="), out, sizeof(out), &blen), 0);
    assert_int_equal(blen, 1);
    assert_int_equal(cwmp_base64_decode(S("  \n"), out, sizeof(out), &blen), 0);
    assert_int_equal(blen, 0);

    /* Errors. */
    blen = 77;
    static const char *const bad[] = {
        "Zg",       /* missing padding */
        "Zg=",      /* incomplete padding */
        "Zm9",      /* incomplete group */
        "Z===",     /* too much padding */
        "====",     /* padding only */
        "=Zg=",     /* padding first */
        "Zg==Zg==", /* data after the padded group */
        "Zg==\n=",  /* extra padding */
        "Zm=v",     /* data after '=' in a group */
        "Zh==",     /* non-zero pad bits (one byte) */
        "Zm9=",     /* non-zero pad bits (two bytes) */
        "Zm9v!",    /* bad character */
        "Zm9v-_",   /* base64url alphabet */
        "Zm\x00v",  /* NUL (length given below) */
        "Zm9v\xc3\xa9", "Z",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        size_t len = i == 13 ? 4 : strlen(bad[i]);
        assert_int_equal(cwmp_base64_decode(bad[i], len, out, sizeof(out), &blen),
                         CWMP_ERR_BAD_VALUE);
        assert_int_equal(cwmp_value_check(CWMP_TYPE_BASE64, bad[i], len), CWMP_ERR_BAD_VALUE);
    }
    assert_int_equal(blen, 77);
    assert_int_equal(cwmp_base64_decode(NULL, 4, out, sizeof(out), &blen), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_base64_decode(NULL, 0, out, sizeof(out), &blen), 0);
    assert_int_equal(blen, 0);
    /* Buffer too small in the padded tail. */
    assert_int_equal(cwmp_base64_decode(S("Zm9vYmE="), out, 4, &blen), CWMP_ERR_BUFFER);
    assert_int_equal(cwmp_base64_decode(S("Zm9vYg=="), out, 3, &blen), CWMP_ERR_BUFFER);

    /* Encoder buffer handling. */
    char small[9];
    assert_int_equal(cwmp_base64_encode((const uint8_t *) "foobar", 6, small, 9), 8);
    assert_string_equal(small, "Zm9vYmFy");
    assert_int_equal(cwmp_base64_encode((const uint8_t *) "foobar", 6, small, 8), CWMP_ERR_BUFFER);
    assert_string_equal(small, "");
    assert_int_equal(cwmp_base64_encode((const uint8_t *) "f", 1, NULL, 0), CWMP_ERR_BUFFER);
    assert_int_equal(cwmp_base64_encode(NULL, 3, small, sizeof(small)), CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_base64_encode(NULL, 0, small, 1), 0);
    assert_string_equal(small, "");
    assert_int_equal(cwmp_base64_encode(all, (size_t) INT_MAX, small, sizeof(small)),
                     CWMP_ERR_LIMIT);
}

/* ---- hexBinary ---------------------------------------------------------- */

static void test_hex(void **state)
{
    (void) state;
    uint8_t out[8];
    size_t n = 99;
    assert_int_equal(cwmp_hex_decode(S("00ff7Fa0"), out, sizeof(out), &n), 0);
    assert_int_equal(n, 4);
    assert_memory_equal(out, "\x00\xff\x7f\xa0", 4);
    assert_int_equal(cwmp_hex_decode(S(" \r\n0aBc\t"), out, sizeof(out), &n), 0);
    assert_int_equal(n, 2);
    assert_memory_equal(out, "\x0a\xbc", 2);
    assert_int_equal(cwmp_hex_decode(S(""), out, sizeof(out), &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(cwmp_hex_decode(S("0102"), NULL, 0, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(cwmp_hex_decode(S("010203"), out, 3, &n), 0);
    n = 55;
    assert_int_equal(cwmp_hex_decode(S("010203"), out, 2, &n), CWMP_ERR_BUFFER);
    static const char *const bad[] = {"0", "abc", "0g", "0x00", "00 11", "-1", "ab\xc3\xa9"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(cwmp_hex_decode(bad[i], strlen(bad[i]), out, sizeof(out), &n),
                         CWMP_ERR_BAD_VALUE);
        assert_int_equal(cwmp_value_check(CWMP_TYPE_HEXBINARY, bad[i], strlen(bad[i])),
                         CWMP_ERR_BAD_VALUE);
    }
    assert_int_equal(cwmp_hex_decode("0\0", 2, out, sizeof(out), &n), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_hex_decode(NULL, 2, out, sizeof(out), &n), CWMP_ERR_BAD_VALUE);
    assert_int_equal(n, 55);

    char buf[9];
    assert_int_equal(cwmp_hex_encode((const uint8_t *) "\x00\xff\x7f\xa0", 4, buf, 9), 8);
    assert_string_equal(buf, "00FF7FA0");
    assert_int_equal(cwmp_hex_encode((const uint8_t *) "\x00\xff\x7f\xa0", 4, buf, 8),
                     CWMP_ERR_BUFFER);
    assert_string_equal(buf, "");
    assert_int_equal(cwmp_hex_encode(NULL, 0, buf, 1), 0);
    assert_string_equal(buf, "");
    assert_int_equal(cwmp_hex_encode(NULL, 1, buf, sizeof(buf)), CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_hex_encode(out, (size_t) INT_MAX, buf, sizeof(buf)), CWMP_ERR_LIMIT);
    assert_int_equal(cwmp_hex_encode(out, 1, NULL, 0), CWMP_ERR_BUFFER);
}

/* ---- value check -------------------------------------------------------- */

static void test_value_check(void **state)
{
    (void) state;
    static const struct {
        enum cwmp_type t;
        const char *good;
        const char *bad;
    } cases[] = {
        {CWMP_TYPE_INT, "-2147483648", "2147483648"},
        {CWMP_TYPE_UNSIGNED_INT, "4294967295", "-1"},
        {CWMP_TYPE_LONG, "-9223372036854775808", "9223372036854775808"},
        {CWMP_TYPE_UNSIGNED_LONG, "18446744073709551615", "18446744073709551616"},
        {CWMP_TYPE_BOOLEAN, "true", "yes"},
        {CWMP_TYPE_DATETIME, "0001-01-01T00:00:00Z", "2026-02-29T00:00:00Z"},
        {CWMP_TYPE_BASE64, "Zm9v", "Zm9"},
        {CWMP_TYPE_HEXBINARY, "0A", "0"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(cwmp_value_check(cases[i].t, cases[i].good, strlen(cases[i].good)), 0);
        assert_int_equal(cwmp_value_check(cases[i].t, cases[i].bad, strlen(cases[i].bad)),
                         CWMP_ERR_BAD_VALUE);
    }
    /* Strings accept anything, the empty string included. */
    assert_int_equal(cwmp_value_check(CWMP_TYPE_STRING, S("any \xff text")), 0);
    assert_int_equal(cwmp_value_check(CWMP_TYPE_NONE, S("")), 0);
    assert_int_equal(cwmp_value_check(CWMP_TYPE_OTHER, S("x")), 0);
    assert_int_equal(cwmp_value_check(CWMP_TYPE_STRING, NULL, 0), 0);
    /* Empty numeric values are invalid (a common device bug). */
    assert_int_equal(cwmp_value_check(CWMP_TYPE_UNSIGNED_INT, S("")), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_value_check(CWMP_TYPE_BOOLEAN, NULL, 0), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_value_check(CWMP_TYPE_STRING, NULL, 3), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_value_check((enum cwmp_type) 77, S("1")), CWMP_ERR_BAD_VALUE);
    /* Empty base64 / hexBinary are valid (zero bytes). */
    assert_int_equal(cwmp_value_check(CWMP_TYPE_BASE64, S("")), 0);
    assert_int_equal(cwmp_value_check(CWMP_TYPE_HEXBINARY, S("")), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_type_names),
        cmocka_unit_test(test_parse_int),
        cmocka_unit_test(test_parse_uint),
        cmocka_unit_test(test_parse_long),
        cmocka_unit_test(test_parse_ulong),
        cmocka_unit_test(test_format_integers),
        cmocka_unit_test(test_bool),
        cmocka_unit_test(test_datetime_parse_format),
        cmocka_unit_test(test_datetime_bad),
        cmocka_unit_test(test_datetime_format_errors),
        cmocka_unit_test(test_datetime_unix),
        cmocka_unit_test(test_datetime_tr106),
        cmocka_unit_test(test_integers_random),
        cmocka_unit_test(test_datetime_vs_gmtime),
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_hex),
        cmocka_unit_test(test_value_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
