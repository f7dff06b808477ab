/*
 * libcwmp - CWMP versions and value types: pure parse/format helpers for
 * every xsi:type a TR-069 parameter value can carry.
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Nothing here allocates, keeps state or looks at a clock. Every parser
 * takes (text, len) without requiring a NUL and validates completely before
 * writing its result, so a failed parse leaves the output untouched.
 */
#include <limits.h>

#include <cwmp/types.h>

#include "internal.h"

/* ---- small helpers ------------------------------------------------------ */

static int is_xml_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Strips XML whitespace at both ends of (*s, *len). */
static void trim(const char **s, size_t *len)
{
    const char *p = *s;
    size_t n = *len;
    while (n && is_xml_space(p[0])) {
        p++;
        n--;
    }
    while (n && is_xml_space(p[n - 1]))
        n--;
    *s = p;
    *len = n;
}

/* Writes (src, n) plus a NUL into (buf, size); returns n or CWMP_ERR_BUFFER. */
static int put_out(const char *src, size_t n, char *buf, size_t size)
{
    if (n >= size || n > INT_MAX) {
        if (buf && size)
            buf[0] = '\0';
        return CWMP_ERR_BUFFER;
    }
    memcpy(buf, src, n);
    buf[n] = '\0';
    return (int) n;
}

/* ---- versions ----------------------------------------------------------- */

static const char *const version_strings[] = {"1.0", "1.1", "1.2", "1.3", "1.4"};
static const char *const version_namespaces[] = {
    "urn:dslforum-org:cwmp-1-0", "urn:dslforum-org:cwmp-1-1", "urn:dslforum-org:cwmp-1-2",
    "urn:dslforum-org:cwmp-1-2", "urn:dslforum-org:cwmp-1-2",
};

const char *cwmp_version_string(enum cwmp_version v)
{
    if ((unsigned) v < CWMP_ARRAY_SIZE(version_strings))
        return version_strings[v];
    return "?";
}

const char *cwmp_version_namespace(enum cwmp_version v)
{
    if ((unsigned) v < CWMP_ARRAY_SIZE(version_namespaces))
        return version_namespaces[v];
    return "?";
}

int cwmp_version_parse(const char *s, size_t len, enum cwmp_version *out)
{
    if (!s || !out)
        return CWMP_ERR_BAD_VALUE;
    trim(&s, &len);
    for (size_t i = 0; i < CWMP_ARRAY_SIZE(version_strings); i++) {
        if (len == 3 && memcmp(s, version_strings[i], 3) == 0) {
            *out = (enum cwmp_version) i;
            return 0;
        }
    }
    return CWMP_ERR_BAD_VALUE;
}

int cwmp_version_from_namespace(const char *uri, size_t len, enum cwmp_version *out)
{
    if (!uri || !out)
        return CWMP_ERR_NAMESPACE;
    for (size_t i = 0; i <= CWMP_V1_2; i++) {
        const char *ns = version_namespaces[i];
        if (len == strlen(ns) && memcmp(uri, ns, len) == 0) {
            *out = (enum cwmp_version) i;
            return 0;
        }
    }
    return CWMP_ERR_NAMESPACE;
}

/* ---- type names --------------------------------------------------------- */

struct type_name {
    const char *local; /* xsi:type local name accepted on input */
    enum cwmp_type type;
};

static const struct type_name type_names[] = {
    {"string", CWMP_TYPE_STRING},
    {"int", CWMP_TYPE_INT},
    {"unsignedInt", CWMP_TYPE_UNSIGNED_INT},
    {"long", CWMP_TYPE_LONG},
    {"unsignedLong", CWMP_TYPE_UNSIGNED_LONG},
    {"boolean", CWMP_TYPE_BOOLEAN},
    {"dateTime", CWMP_TYPE_DATETIME},
    {"base64Binary", CWMP_TYPE_BASE64},
    {"base64", CWMP_TYPE_BASE64}, /* soapenc:base64 */
    {"hexBinary", CWMP_TYPE_HEXBINARY},
};

const char *cwmp_type_name(enum cwmp_type t)
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

enum cwmp_type cwmp_type_from_name(const char *local_name, size_t len)
{
    if (!local_name)
        return CWMP_TYPE_OTHER;
    for (size_t i = 0; i < CWMP_ARRAY_SIZE(type_names); i++) {
        const char *n = type_names[i].local;
        if (len == strlen(n) && memcmp(local_name, n, len) == 0)
            return type_names[i].type;
    }
    return CWMP_TYPE_OTHER;
}

/* ---- integers ----------------------------------------------------------- */

/*
 * XML Schema integer lexical form: [+-]?[0-9]+ after whitespace trimming.
 * Accumulates the magnitude, refusing it beyond @p max_pos (no sign or '+')
 * or @p max_neg ('-'). Gives the magnitude and whether it is negative.
 */
static int parse_integer(const char *s, size_t len, uint64_t max_pos, uint64_t max_neg,
                         uint64_t *mag, int *neg)
{
    if (!s)
        return CWMP_ERR_BAD_VALUE;
    trim(&s, &len);
    size_t i = 0;
    int negative = 0;
    if (i < len && (s[i] == '+' || s[i] == '-')) {
        negative = s[i] == '-';
        i++;
    }
    if (i == len)
        return CWMP_ERR_BAD_VALUE;
    uint64_t max = negative ? max_neg : max_pos;
    uint64_t v = 0;
    for (; i < len; i++) {
        if (!is_digit(s[i]))
            return CWMP_ERR_BAD_VALUE;
        unsigned d = (unsigned) (s[i] - '0');
        if (d > max || v > (max - d) / 10)
            return CWMP_ERR_BAD_VALUE;
        v = v * 10 + d;
    }
    *mag = v;
    *neg = negative;
    return 0;
}

int cwmp_parse_int(const char *s, size_t len, int32_t *out)
{
    uint64_t m;
    int neg;
    int rv = parse_integer(s, len, INT32_MAX, (uint64_t) INT32_MAX + 1, &m, &neg);
    if (rv || !out)
        return rv ? rv : CWMP_ERR_BAD_VALUE;
    *out = neg ? (int32_t) (-(int64_t) m) : (int32_t) m;
    return 0;
}

int cwmp_parse_uint(const char *s, size_t len, uint32_t *out)
{
    uint64_t m;
    int neg;
    /* '-' is allowed for zero only ("-0"), as XML Schema says. */
    int rv = parse_integer(s, len, UINT32_MAX, 0, &m, &neg);
    if (rv || !out)
        return rv ? rv : CWMP_ERR_BAD_VALUE;
    *out = (uint32_t) m;
    return 0;
}

int cwmp_parse_long(const char *s, size_t len, int64_t *out)
{
    uint64_t m;
    int neg;
    int rv = parse_integer(s, len, INT64_MAX, (uint64_t) INT64_MAX + 1, &m, &neg);
    if (rv || !out)
        return rv ? rv : CWMP_ERR_BAD_VALUE;
    if (neg)
        *out = m ? -(int64_t) (m - 1) - 1 : 0;
    else
        *out = (int64_t) m;
    return 0;
}

int cwmp_parse_ulong(const char *s, size_t len, uint64_t *out)
{
    uint64_t m;
    int neg;
    int rv = parse_integer(s, len, UINT64_MAX, 0, &m, &neg);
    if (rv || !out)
        return rv ? rv : CWMP_ERR_BAD_VALUE;
    *out = m;
    return 0;
}

int cwmp_parse_bool(const char *s, size_t len, bool *out)
{
    if (!s || !out)
        return CWMP_ERR_BAD_VALUE;
    trim(&s, &len);
    if ((len == 1 && s[0] == '1') || (len == 4 && memcmp(s, "true", 4) == 0)) {
        *out = true;
        return 0;
    }
    if ((len == 1 && s[0] == '0') || (len == 5 && memcmp(s, "false", 5) == 0)) {
        *out = false;
        return 0;
    }
    return CWMP_ERR_BAD_VALUE;
}

/* Writes the digits of v right-aligned ending at end; returns the start. */
static char *u64_digits(uint64_t v, char *end)
{
    char *p = end;
    do {
        *--p = (char) ('0' + v % 10);
        v /= 10;
    } while (v);
    return p;
}

int cwmp_format_ulong(uint64_t v, char *buf, size_t size)
{
    char tmp[CWMP_INT_BUFSIZE];
    char *end = tmp + sizeof(tmp);
    char *p = u64_digits(v, end);
    return put_out(p, (size_t) (end - p), buf, size);
}

int cwmp_format_long(int64_t v, char *buf, size_t size)
{
    char tmp[CWMP_INT_BUFSIZE];
    char *end = tmp + sizeof(tmp);
    uint64_t mag = v < 0 ? (uint64_t) 0 - (uint64_t) v : (uint64_t) v;
    char *p = u64_digits(mag, end);
    if (v < 0)
        *--p = '-';
    return put_out(p, (size_t) (end - p), buf, size);
}

int cwmp_format_bool(bool v, bool numeric, char *buf, size_t size)
{
    const char *t = numeric ? (v ? "1" : "0") : (v ? "true" : "false");
    return put_out(t, strlen(t), buf, size);
}

/* ---- dateTime ----------------------------------------------------------- */

static int is_leap(int32_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int32_t y, unsigned m)
{
    static const uint8_t dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && is_leap(y))
        return 29;
    return dim[m - 1];
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned) (y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t) doe - 719468;
}

static void civil_from_days(int64_t z, int32_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned) (z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int32_t) ((int64_t) yoe + era * 400 + (*m <= 2));
}

/* Reads exactly n digits at s[*i]; returns -1 when they are not digits. */
static int digits(const char *s, size_t len, size_t *i, unsigned n)
{
    if (len - *i < n)
        return -1;
    int v = 0;
    for (unsigned k = 0; k < n; k++) {
        char c = s[*i + k];
        if (!is_digit(c))
            return -1;
        v = v * 10 + (c - '0');
    }
    *i += n;
    return v;
}

static int expect(const char *s, size_t len, size_t *i, char c)
{
    if (*i >= len || s[*i] != c)
        return -1;
    (*i)++;
    return 0;
}

/* Field ranges shared by the parser and the formatter. */
static int datetime_valid(const struct cwmp_datetime *dt)
{
    if (dt->year < 1 || dt->year > 9999 || dt->month < 1 || dt->month > 12)
        return 0;
    if (dt->day < 1 || dt->day > days_in_month(dt->year, dt->month))
        return 0;
    if (dt->hour > 23 || dt->minute > 59 || dt->second > 60)
        return 0;
    if (dt->second == 60 && dt->minute != 59)
        return 0;
    if (dt->microsecond > 999999 || dt->frac_digits > 6 || dt->has_tz > 1)
        return 0;
    if (dt->tz_minutes < -840 || dt->tz_minutes > 840)
        return 0;
    if (!dt->has_tz && dt->tz_minutes != 0)
        return 0;
    return 1;
}

int cwmp_datetime_parse(const char *s, size_t len, struct cwmp_datetime *out)
{
    if (!s || !out)
        return CWMP_ERR_BAD_VALUE;
    trim(&s, &len);
    struct cwmp_datetime dt;
    memset(&dt, 0, sizeof(dt));
    size_t i = 0;
    int y = digits(s, len, &i, 4);
    if (y < 0 || expect(s, len, &i, '-'))
        return CWMP_ERR_BAD_VALUE;
    int mo = digits(s, len, &i, 2);
    if (mo < 0 || expect(s, len, &i, '-'))
        return CWMP_ERR_BAD_VALUE;
    int d = digits(s, len, &i, 2);
    if (d < 0 || expect(s, len, &i, 'T'))
        return CWMP_ERR_BAD_VALUE;
    int h = digits(s, len, &i, 2);
    if (h < 0 || expect(s, len, &i, ':'))
        return CWMP_ERR_BAD_VALUE;
    int mi = digits(s, len, &i, 2);
    if (mi < 0 || expect(s, len, &i, ':'))
        return CWMP_ERR_BAD_VALUE;
    int se = digits(s, len, &i, 2);
    if (se < 0)
        return CWMP_ERR_BAD_VALUE;
    if (i < len && s[i] == '.') {
        i++;
        size_t start = i;
        uint32_t us = 0;
        while (i < len && is_digit(s[i])) {
            if (i - start < 6)
                us = us * 10 + (uint32_t) (s[i] - '0');
            i++;
        }
        size_t n = i - start;
        if (n == 0)
            return CWMP_ERR_BAD_VALUE;
        dt.frac_digits = (uint8_t) (n < 6 ? n : 6);
        for (size_t k = dt.frac_digits; k < 6; k++)
            us *= 10;
        dt.microsecond = us;
    }
    if (i < len) {
        if (s[i] == 'Z') {
            i++;
            dt.has_tz = 1;
        } else if (s[i] == '+' || s[i] == '-') {
            int sign = s[i] == '-' ? -1 : 1;
            i++;
            int th = digits(s, len, &i, 2);
            if (th < 0 || expect(s, len, &i, ':'))
                return CWMP_ERR_BAD_VALUE;
            int tm = digits(s, len, &i, 2);
            if (tm < 0 || th > 14 || tm > 59 || (th == 14 && tm != 0))
                return CWMP_ERR_BAD_VALUE;
            dt.has_tz = 1;
            dt.tz_minutes = (int16_t) (sign * (th * 60 + tm));
        }
    }
    if (i != len)
        return CWMP_ERR_BAD_VALUE;
    dt.year = y;
    /* Out-of-range values are caught by datetime_valid() before use. */
    dt.month = (uint8_t) mo;
    dt.day = (uint8_t) d;
    dt.hour = (uint8_t) h;
    dt.minute = (uint8_t) mi;
    dt.second = (uint8_t) se;
    if (!datetime_valid(&dt))
        return CWMP_ERR_BAD_VALUE;
    *out = dt;
    return 0;
}

static char *put2(char *p, unsigned v)
{
    p[0] = (char) ('0' + v / 10 % 10);
    p[1] = (char) ('0' + v % 10);
    return p + 2;
}

int cwmp_datetime_format(const struct cwmp_datetime *dt, char *buf, size_t size)
{
    if (!dt || !datetime_valid(dt)) {
        if (buf && size)
            buf[0] = '\0';
        return CWMP_ERR_BAD_VALUE;
    }
    char tmp[CWMP_DATETIME_BUFSIZE];
    char *p = tmp;
    p = put2(p, (unsigned) dt->year / 100);
    p = put2(p, (unsigned) dt->year % 100);
    *p++ = '-';
    p = put2(p, dt->month);
    *p++ = '-';
    p = put2(p, dt->day);
    *p++ = 'T';
    p = put2(p, dt->hour);
    *p++ = ':';
    p = put2(p, dt->minute);
    *p++ = ':';
    p = put2(p, dt->second);
    if (dt->frac_digits) {
        char f[6];
        uint32_t us = dt->microsecond;
        for (int k = 5; k >= 0; k--) {
            f[k] = (char) ('0' + us % 10);
            us /= 10;
        }
        *p++ = '.';
        memcpy(p, f, dt->frac_digits);
        p += dt->frac_digits;
    }
    if (dt->has_tz) {
        if (dt->tz_minutes == 0) {
            *p++ = 'Z';
        } else {
            unsigned m = (unsigned) (dt->tz_minutes < 0 ? -dt->tz_minutes : dt->tz_minutes);
            *p++ = dt->tz_minutes < 0 ? '-' : '+';
            p = put2(p, m / 60);
            *p++ = ':';
            p = put2(p, m % 60);
        }
    }
    return put_out(tmp, (size_t) (p - tmp), buf, size);
}

int64_t cwmp_datetime_to_unix(const struct cwmp_datetime *dt)
{
    if (!dt)
        return INT64_MIN;
    int64_t days = days_from_civil(dt->year, dt->month, dt->day);
    return days * 86400 + dt->hour * 3600 + dt->minute * 60 + dt->second -
           (int64_t) dt->tz_minutes * 60;
}

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z as Unix seconds. */
#define UNIX_MIN INT64_C(-62135596800)
#define UNIX_MAX INT64_C(253402300799)

int cwmp_datetime_from_unix(int64_t seconds, uint32_t usec, struct cwmp_datetime *out)
{
    if (!out || usec > 999999 || seconds < UNIX_MIN || seconds > UNIX_MAX)
        return CWMP_ERR_BAD_VALUE;
    int64_t days = seconds / 86400;
    int64_t rem = seconds % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    struct cwmp_datetime dt;
    memset(&dt, 0, sizeof(dt));
    unsigned m, d;
    civil_from_days(days, &dt.year, &m, &d);
    dt.month = (uint8_t) m;
    dt.day = (uint8_t) d;
    dt.hour = (uint8_t) (rem / 3600);
    dt.minute = (uint8_t) (rem / 60 % 60);
    dt.second = (uint8_t) (rem % 60);
    dt.microsecond = usec;
    dt.frac_digits = usec ? 6 : 0;
    dt.has_tz = 1;
    *out = dt;
    return 0;
}

bool cwmp_datetime_is_unknown(const struct cwmp_datetime *dt)
{
    return dt && dt->year == 1 && dt->month == 1 && dt->day == 1 && dt->hour == 0 &&
           dt->minute == 0 && dt->second == 0 && dt->microsecond == 0 && dt->has_tz &&
           dt->tz_minutes == 0;
}

bool cwmp_datetime_is_relative(const struct cwmp_datetime *dt)
{
    return dt && dt->year >= 1 && dt->year < 1000 && !cwmp_datetime_is_unknown(dt);
}

int cwmp_datetime_uptime(const struct cwmp_datetime *dt, int64_t *seconds)
{
    if (!seconds || !cwmp_datetime_is_relative(dt) || !datetime_valid(dt))
        return CWMP_ERR_BAD_VALUE;
    int64_t days = days_from_civil(dt->year, dt->month, dt->day) - days_from_civil(1, 1, 1);
    *seconds = days * 86400 + dt->hour * 3600 + dt->minute * 60 + dt->second;
    return 0;
}

/* ---- base64 ------------------------------------------------------------- */

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* 0..63 for alphabet characters, -1 for everything else. */
static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

static int emit(uint8_t *out, size_t out_size, size_t *o, uint8_t byte)
{
    if (out) {
        if (*o >= out_size)
            return CWMP_ERR_BUFFER;
        out[*o] = byte;
    }
    (*o)++;
    return 0;
}

int cwmp_base64_decode(const char *s, size_t len, uint8_t *out, size_t out_size, size_t *out_len)
{
    if (!s && len)
        return CWMP_ERR_BAD_VALUE;
    size_t o = 0;
    uint32_t acc = 0;
    unsigned q = 0;   /* characters in the current group of four */
    unsigned pad = 0; /* '=' seen in the current group */
    int done = 0;     /* a padded group ended the data */
    int rv;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char) s[i];
        if (is_xml_space((char) c))
            continue;
        if (done)
            return CWMP_ERR_BAD_VALUE;
        if (c == '=') {
            if (q < 2)
                return CWMP_ERR_BAD_VALUE;
            pad++;
            q++;
            if (q == 4) {
                if (pad == 1) { /* 18 bits: two bytes, 2 bits must be zero */
                    if (acc & 0x3)
                        return CWMP_ERR_BAD_VALUE;
                    if ((rv = emit(out, out_size, &o, (uint8_t) (acc >> 10))) ||
                        (rv = emit(out, out_size, &o, (uint8_t) (acc >> 2))))
                        return rv;
                } else { /* 12 bits: one byte, 4 bits must be zero */
                    if (acc & 0xf)
                        return CWMP_ERR_BAD_VALUE;
                    if ((rv = emit(out, out_size, &o, (uint8_t) (acc >> 4))))
                        return rv;
                }
                done = 1;
            }
            continue;
        }
        int v = b64_value(c);
        if (v < 0 || pad)
            return CWMP_ERR_BAD_VALUE;
        acc = acc << 6 | (uint32_t) v;
        if (++q == 4) {
            if ((rv = emit(out, out_size, &o, (uint8_t) (acc >> 16))) ||
                (rv = emit(out, out_size, &o, (uint8_t) (acc >> 8))) ||
                (rv = emit(out, out_size, &o, (uint8_t) acc)))
                return rv;
            q = 0;
            acc = 0;
        }
    }
    if (q != 0 && !done)
        return CWMP_ERR_BAD_VALUE;
    if (out_len)
        *out_len = o;
    return 0;
}

int cwmp_base64_encode(const uint8_t *data, size_t n, char *buf, size_t size)
{
    if (n > (size_t) (INT_MAX - 4) / 4 * 3)
        return CWMP_ERR_LIMIT;
    size_t need = (n + 2) / 3 * 4;
    if (!buf || need >= size) {
        if (buf && size)
            buf[0] = '\0';
        return CWMP_ERR_BUFFER;
    }
    if (n && !data)
        return CWMP_ERR_INVALID_ARG;
    char *p = buf;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t) data[i] << 16 | (uint32_t) data[i + 1] << 8 | data[i + 2];
        *p++ = b64_alphabet[v >> 18];
        *p++ = b64_alphabet[v >> 12 & 63];
        *p++ = b64_alphabet[v >> 6 & 63];
        *p++ = b64_alphabet[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t) data[i] << 16;
        *p++ = b64_alphabet[v >> 18];
        *p++ = b64_alphabet[v >> 12 & 63];
        *p++ = '=';
        *p++ = '=';
    } else if (n - i == 2) {
        uint32_t v = (uint32_t) data[i] << 16 | (uint32_t) data[i + 1] << 8;
        *p++ = b64_alphabet[v >> 18];
        *p++ = b64_alphabet[v >> 12 & 63];
        *p++ = b64_alphabet[v >> 6 & 63];
        *p++ = '=';
    }
    *p = '\0';
    return (int) need;
}

/* ---- hexBinary ---------------------------------------------------------- */

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int cwmp_hex_decode(const char *s, size_t len, uint8_t *out, size_t out_size, size_t *out_len)
{
    if (!s && len)
        return CWMP_ERR_BAD_VALUE;
    if (s)
        trim(&s, &len);
    if (len % 2)
        return CWMP_ERR_BAD_VALUE;
    for (size_t i = 0; i < len; i++) {
        if (hex_value(s[i]) < 0)
            return CWMP_ERR_BAD_VALUE;
    }
    if (out) {
        if (len / 2 > out_size)
            return CWMP_ERR_BUFFER;
        for (size_t i = 0; i < len; i += 2)
            out[i / 2] = (uint8_t) (hex_value(s[i]) << 4 | hex_value(s[i + 1]));
    }
    if (out_len)
        *out_len = len / 2;
    return 0;
}

int cwmp_hex_encode(const uint8_t *data, size_t n, char *buf, size_t size)
{
    static const char hex[] = "0123456789ABCDEF";
    if (n > (size_t) (INT_MAX - 1) / 2)
        return CWMP_ERR_LIMIT;
    if (!buf || n * 2 >= size) {
        if (buf && size)
            buf[0] = '\0';
        return CWMP_ERR_BUFFER;
    }
    if (n && !data)
        return CWMP_ERR_INVALID_ARG;
    for (size_t i = 0; i < n; i++) {
        buf[2 * i] = hex[data[i] >> 4];
        buf[2 * i + 1] = hex[data[i] & 15];
    }
    buf[2 * n] = '\0';
    return (int) (2 * n);
}

/* ---- value check -------------------------------------------------------- */

int cwmp_value_check(enum cwmp_type t, const char *s, size_t len)
{
    if (!s && len)
        return CWMP_ERR_BAD_VALUE;
    if (!s)
        s = "";
    union {
        int32_t i;
        uint32_t u;
        int64_t l;
        uint64_t ul;
        bool b;
        struct cwmp_datetime dt;
    } v;
    switch (t) {
    case CWMP_TYPE_INT: return cwmp_parse_int(s, len, &v.i);
    case CWMP_TYPE_UNSIGNED_INT: return cwmp_parse_uint(s, len, &v.u);
    case CWMP_TYPE_LONG: return cwmp_parse_long(s, len, &v.l);
    case CWMP_TYPE_UNSIGNED_LONG: return cwmp_parse_ulong(s, len, &v.ul);
    case CWMP_TYPE_BOOLEAN: return cwmp_parse_bool(s, len, &v.b);
    case CWMP_TYPE_DATETIME: return cwmp_datetime_parse(s, len, &v.dt);
    case CWMP_TYPE_BASE64: return cwmp_base64_decode(s, len, NULL, 0, NULL);
    case CWMP_TYPE_HEXBINARY: return cwmp_hex_decode(s, len, NULL, 0, NULL);
    case CWMP_TYPE_NONE:
    case CWMP_TYPE_STRING:
    case CWMP_TYPE_OTHER: return 0;
    default: return CWMP_ERR_BAD_VALUE;
    }
}
