/*
 * libcwmp fuzz target - value types. The first byte picks the type, the
 * rest is the text. Every accepted value must survive parse → format →
 * parse unchanged, and cwmp_value_check() must agree with the parser.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cwmp/error.h>
#include <cwmp/types.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c))                                                                                  \
            abort();                                                                               \
    } while (0)

static void fuzz_int(const char *s, size_t n)
{
    char buf[CWMP_INT_BUFSIZE];
    int32_t a, b;
    int rv = cwmp_parse_int(s, n, &a);
    CHECK(rv == 0 || rv == CWMP_ERR_BAD_VALUE);
    CHECK(cwmp_value_check(CWMP_TYPE_INT, s, n) == rv);
    if (rv == 0) {
        int k = cwmp_format_long(a, buf, sizeof(buf));
        CHECK(k > 0 && cwmp_parse_int(buf, (size_t) k, &b) == 0 && a == b);
    }
    uint32_t ua, ub;
    rv = cwmp_parse_uint(s, n, &ua);
    CHECK(cwmp_value_check(CWMP_TYPE_UNSIGNED_INT, s, n) == rv);
    if (rv == 0) {
        int k = cwmp_format_ulong(ua, buf, sizeof(buf));
        CHECK(k > 0 && cwmp_parse_uint(buf, (size_t) k, &ub) == 0 && ua == ub);
    }
    int64_t la, lb;
    rv = cwmp_parse_long(s, n, &la);
    CHECK(cwmp_value_check(CWMP_TYPE_LONG, s, n) == rv);
    if (rv == 0) {
        int k = cwmp_format_long(la, buf, sizeof(buf));
        CHECK(k > 0 && cwmp_parse_long(buf, (size_t) k, &lb) == 0 && la == lb);
    }
    uint64_t ula, ulb;
    rv = cwmp_parse_ulong(s, n, &ula);
    CHECK(cwmp_value_check(CWMP_TYPE_UNSIGNED_LONG, s, n) == rv);
    if (rv == 0) {
        int k = cwmp_format_ulong(ula, buf, sizeof(buf));
        CHECK(k > 0 && cwmp_parse_ulong(buf, (size_t) k, &ulb) == 0 && ula == ulb);
    }
    bool ba, bb;
    rv = cwmp_parse_bool(s, n, &ba);
    CHECK(cwmp_value_check(CWMP_TYPE_BOOLEAN, s, n) == rv);
    if (rv == 0) {
        for (int numeric = 0; numeric < 2; numeric++) {
            int k = cwmp_format_bool(ba, numeric, buf, sizeof(buf));
            CHECK(k > 0 && cwmp_parse_bool(buf, (size_t) k, &bb) == 0 && ba == bb);
        }
    }
}

static void fuzz_datetime(const char *s, size_t n)
{
    struct cwmp_datetime a, b;
    char buf[CWMP_DATETIME_BUFSIZE];
    int rv = cwmp_datetime_parse(s, n, &a);
    CHECK(rv == 0 || rv == CWMP_ERR_BAD_VALUE);
    CHECK(cwmp_value_check(CWMP_TYPE_DATETIME, s, n) == rv);
    if (rv != 0)
        return;
    int k = cwmp_datetime_format(&a, buf, sizeof(buf));
    CHECK(k > 0 && (size_t) k < sizeof(buf));
    CHECK(cwmp_datetime_parse(buf, (size_t) k, &b) == 0);
    CHECK(memcmp(&a, &b, sizeof(a)) == 0);
    int64_t t = cwmp_datetime_to_unix(&a);
    struct cwmp_datetime c;
    if (cwmp_datetime_from_unix(t, a.microsecond, &c) == 0 && a.second < 60)
        CHECK(cwmp_datetime_to_unix(&c) == t);
    int64_t up;
    if (cwmp_datetime_is_relative(&a))
        CHECK(cwmp_datetime_uptime(&a, &up) == 0 && up >= 0);
    (void) cwmp_datetime_is_unknown(&a);
}

static void fuzz_binary(const char *s, size_t n)
{
    /* base64 text → bytes → canonical text → the same bytes. */
    size_t len = 0;
    int rv = cwmp_base64_decode(s, n, NULL, 0, &len);
    CHECK(rv == 0 || rv == CWMP_ERR_BAD_VALUE);
    CHECK(cwmp_value_check(CWMP_TYPE_BASE64, s, n) == rv);
    if (rv == 0) {
        CHECK(len <= n / 4 * 3);
        uint8_t *bytes = malloc(len + 1);
        size_t got = 0;
        CHECK(bytes && cwmp_base64_decode(s, n, bytes, len, &got) == 0 && got == len);
        if (len)
            CHECK(cwmp_base64_decode(s, n, bytes, len - 1, &got) == CWMP_ERR_BUFFER);
        size_t tsize = (len + 2) / 3 * 4 + 1;
        char *text = malloc(tsize);
        CHECK(text && cwmp_base64_encode(bytes, len, text, tsize) == (int) tsize - 1);
        uint8_t *again = malloc(len + 1);
        CHECK(again && cwmp_base64_decode(text, tsize - 1, again, len, &got) == 0);
        CHECK(got == len && memcmp(bytes, again, len) == 0);
        free(bytes);
        free(text);
        free(again);
    }
    /* hexBinary the same way. */
    rv = cwmp_hex_decode(s, n, NULL, 0, &len);
    CHECK(rv == 0 || rv == CWMP_ERR_BAD_VALUE);
    CHECK(cwmp_value_check(CWMP_TYPE_HEXBINARY, s, n) == rv);
    if (rv == 0) {
        uint8_t *bytes = malloc(len + 1);
        size_t got = 0;
        CHECK(bytes && cwmp_hex_decode(s, n, bytes, len, &got) == 0 && got == len);
        char *text = malloc(2 * len + 1);
        CHECK(text && cwmp_hex_encode(bytes, len, text, 2 * len + 1) == (int) (2 * len));
        uint8_t *again = malloc(len + 1);
        CHECK(again && cwmp_hex_decode(text, 2 * len, again, len, &got) == 0);
        CHECK(got == len && memcmp(bytes, again, len) == 0);
        free(bytes);
        free(text);
        free(again);
    }
    /* Any bytes → base64 → the same bytes. */
    size_t tsize = (n + 2) / 3 * 4 + 1;
    char *text = malloc(tsize);
    uint8_t *back = malloc(n + 1);
    size_t got = 0;
    CHECK(text && back);
    CHECK(cwmp_base64_encode((const uint8_t *) s, n, text, tsize) == (int) tsize - 1);
    CHECK(cwmp_base64_decode(text, tsize - 1, back, n, &got) == 0 && got == n);
    CHECK(memcmp(back, s, n) == 0);
    free(text);
    free(back);
}

static void fuzz_names(const char *s, size_t n)
{
    enum cwmp_type t = cwmp_type_from_name(s, n);
    CHECK(cwmp_type_name(t) != NULL);
    if (t != CWMP_TYPE_OTHER) {
        /* Known names map back from what we write (minus "xsd:"). */
        const char *w = cwmp_type_name(t) + 4;
        CHECK(cwmp_type_from_name(w, strlen(w)) == t);
    }
    enum cwmp_version v;
    if (cwmp_version_parse(s, n, &v) == 0)
        CHECK(strlen(cwmp_version_string(v)) == 3);
    if (cwmp_version_from_namespace(s, n, &v) == 0)
        CHECK(strlen(cwmp_version_namespace(v)) == n);
    for (int k = 0; k <= CWMP_TYPE_OTHER; k++) {
        int rv = cwmp_value_check((enum cwmp_type) k, s, n);
        CHECK(rv == 0 || rv == CWMP_ERR_BAD_VALUE);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *s = (const char *) data + 1;
    size_t n = size - 1;
    switch (data[0] % 4) {
    case 0: fuzz_int(s, n); break;
    case 1: fuzz_datetime(s, n); break;
    case 2: fuzz_binary(s, n); break;
    default: fuzz_names(s, n); break;
    }
    return 0;
}
