/*
 * libcwmp - small lexical checks used by the codec (integers, booleans,
 * dateTime, base64, hexBinary) and the xsi:type name table. Inputs are
 * already trimmed by the decoder.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "codec_internal.h"

int cwmp__lex_u64(const char *s, size_t n, uint64_t *out)
{
    size_t i = 0;
    if (n && s[0] == '+')
        i++;
    if (i >= n)
        return CWMP_ERR_BAD_VALUE;
    uint64_t v = 0;
    for (; i < n; i++) {
        unsigned d = (unsigned char) s[i] - '0';
        if (d > 9 || v > (UINT64_MAX - d) / 10)
            return CWMP_ERR_BAD_VALUE;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int cwmp__lex_i64(const char *s, size_t n, int64_t *out)
{
    int neg = n && s[0] == '-';
    uint64_t v;
    if (n && (s[0] == '-' || s[0] == '+')) {
        s++;
        n--;
        if (n && (s[0] == '+' || s[0] == '-'))
            return CWMP_ERR_BAD_VALUE;
    }
    if (cwmp__lex_u64(s, n, &v))
        return CWMP_ERR_BAD_VALUE;
    if (neg) {
        if (v > (uint64_t) INT64_MAX + 1)
            return CWMP_ERR_BAD_VALUE;
        *out = v == (uint64_t) INT64_MAX + 1 ? INT64_MIN : -(int64_t) v;
    } else {
        if (v > (uint64_t) INT64_MAX)
            return CWMP_ERR_BAD_VALUE;
        *out = (int64_t) v;
    }
    return 0;
}

int cwmp__lex_u32(const char *s, size_t n, uint32_t *out)
{
    uint64_t v;
    if (cwmp__lex_u64(s, n, &v) || v > UINT32_MAX)
        return CWMP_ERR_BAD_VALUE;
    *out = (uint32_t) v;
    return 0;
}

int cwmp__lex_i32(const char *s, size_t n, int32_t *out)
{
    int64_t v;
    if (cwmp__lex_i64(s, n, &v) || v < INT32_MIN || v > INT32_MAX)
        return CWMP_ERR_BAD_VALUE;
    *out = (int32_t) v;
    return 0;
}

int cwmp__lex_bool(const char *s, size_t n, bool *out)
{
    if (n == 1 && (s[0] == '0' || s[0] == '1')) {
        *out = s[0] == '1';
        return 0;
    }
    if (n == 4 && memcmp(s, "true", 4) == 0) {
        *out = true;
        return 0;
    }
    if (n == 5 && memcmp(s, "false", 5) == 0) {
        *out = false;
        return 0;
    }
    return CWMP_ERR_BAD_VALUE;
}

static int digits(const char *s, size_t n, unsigned *v)
{
    unsigned x = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned char) s[i] - '0';
        if (d > 9)
            return -1;
        x = x * 10 + d;
    }
    *v = x;
    return 0;
}

/* xsd:dateTime: YYYY-MM-DDThh:mm:ss[.f+][Z|(+|-)hh:mm] */
int cwmp__lex_datetime(const char *s, size_t n)
{
    static const unsigned char mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    unsigned y, mo, d, h, mi, se;
    if (n < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        return CWMP_ERR_BAD_VALUE;
    if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
        digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &se))
        return CWMP_ERR_BAD_VALUE;
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || se > 60)
        return CWMP_ERR_BAD_VALUE;
    if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return CWMP_ERR_BAD_VALUE;
    size_t i = 19;
    if (i < n && s[i] == '.') {
        size_t st = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == st)
            return CWMP_ERR_BAD_VALUE;
    }
    if (i == n)
        return 0;
    if (s[i] == 'Z')
        return i + 1 == n ? 0 : CWMP_ERR_BAD_VALUE;
    if ((s[i] == '+' || s[i] == '-') && n - i == 6 && s[i + 3] == ':') {
        unsigned th, tm;
        if (digits(s + i + 1, 2, &th) || digits(s + i + 4, 2, &tm) || th > 14 || tm > 59)
            return CWMP_ERR_BAD_VALUE;
        return 0;
    }
    return CWMP_ERR_BAD_VALUE;
}

static int is_xml_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int cwmp__lex_base64(const char *s, size_t n)
{
    size_t count = 0, pad = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (is_xml_ws(c))
            continue;
        if (c == '=') {
            pad++;
        } else if (pad || !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '+' || c == '/')) {
            return CWMP_ERR_BAD_VALUE;
        }
        count++;
    }
    return (count % 4 == 0 && pad <= 2) ? 0 : CWMP_ERR_BAD_VALUE;
}

int cwmp__lex_hex(const char *s, size_t n)
{
    if (n % 2)
        return CWMP_ERR_BAD_VALUE;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return CWMP_ERR_BAD_VALUE;
    }
    return 0;
}

static const struct {
    const char *name;
    enum cwmp_type type;
} type_names[] = {
    {"string", CWMP_TYPE_STRING},
    {"int", CWMP_TYPE_INT},
    {"unsignedInt", CWMP_TYPE_UNSIGNED_INT},
    {"long", CWMP_TYPE_LONG},
    {"unsignedLong", CWMP_TYPE_UNSIGNED_LONG},
    {"boolean", CWMP_TYPE_BOOLEAN},
    {"dateTime", CWMP_TYPE_DATETIME},
    {"base64Binary", CWMP_TYPE_BASE64},
    {"base64", CWMP_TYPE_BASE64},
    {"hexBinary", CWMP_TYPE_HEXBINARY},
};

enum cwmp_type cwmp__type_from_local(const char *s, size_t n)
{
    for (size_t i = 0; i < CWMP_ARRAY_SIZE(type_names); i++)
        if (strlen(type_names[i].name) == n && memcmp(type_names[i].name, s, n) == 0)
            return type_names[i].type;
    return CWMP_TYPE_OTHER;
}

const char *cwmp__type_xsd_name(enum cwmp_type t)
{
    switch (t) {
    case CWMP_TYPE_INT: return "xsd:int";
    case CWMP_TYPE_UNSIGNED_INT: return "xsd:unsignedInt";
    case CWMP_TYPE_LONG: return "xsd:long";
    case CWMP_TYPE_UNSIGNED_LONG: return "xsd:unsignedLong";
    case CWMP_TYPE_BOOLEAN: return "xsd:boolean";
    case CWMP_TYPE_DATETIME: return "xsd:dateTime";
    case CWMP_TYPE_BASE64: return "xsd:base64Binary";
    case CWMP_TYPE_HEXBINARY: return "xsd:hexBinary";
    case CWMP_TYPE_NONE:
    case CWMP_TYPE_STRING:
    case CWMP_TYPE_OTHER:
    default: return "xsd:string";
    }
}

int cwmp__value_check(enum cwmp_type t, const char *s, size_t n)
{
    union {
        uint32_t u32;
        int32_t i32;
        uint64_t u64;
        int64_t i64;
        bool b;
    } v;
    switch (t) {
    case CWMP_TYPE_INT: return cwmp__lex_i32(s, n, &v.i32);
    case CWMP_TYPE_UNSIGNED_INT: return cwmp__lex_u32(s, n, &v.u32);
    case CWMP_TYPE_LONG: return cwmp__lex_i64(s, n, &v.i64);
    case CWMP_TYPE_UNSIGNED_LONG: return cwmp__lex_u64(s, n, &v.u64);
    case CWMP_TYPE_BOOLEAN: return cwmp__lex_bool(s, n, &v.b);
    case CWMP_TYPE_DATETIME: return cwmp__lex_datetime(s, n);
    case CWMP_TYPE_BASE64: return cwmp__lex_base64(s, n);
    case CWMP_TYPE_HEXBINARY: return cwmp__lex_hex(s, n);
    default: return 0;
    }
}
