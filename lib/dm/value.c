/*
 * libcwmp - data model: value checks against a parameter's schema syntax.
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Module-private parsers (the types module offers public ones; these stay
 * private so the data model does not depend on the order of merges).
 */
#include <limits.h>
#include <string.h>

#include <cwmp/error.h>

#include "dm.h"

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void trim(const char **s, size_t *len)
{
    while (*len && is_ws(**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len && is_ws((*s)[*len - 1]))
        (*len)--;
}

/* Decimal integer with optional sign; *neg set for '-'. Magnitude in *mag.
 * Returns 0 or -1 (syntax / overflow of uint64). */
static int parse_dec(const char *s, size_t len, int *neg, uint64_t *mag)
{
    size_t i = 0;
    uint64_t v = 0;
    *neg = 0;
    trim(&s, &len);
    if (len && (s[0] == '-' || s[0] == '+')) {
        *neg = s[0] == '-';
        i = 1;
    }
    if (i == len)
        return -1;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        if (v > (UINT64_MAX - (uint64_t) (s[i] - '0')) / 10)
            return -1;
        v = v * 10 + (uint64_t) (s[i] - '0');
    }
    *mag = v;
    return 0;
}

int cwmp__dm_parse_i64(const char *s, size_t len, int64_t lo, int64_t hi, int64_t *out)
{
    int neg;
    uint64_t mag;
    int64_t v;
    if (parse_dec(s, len, &neg, &mag) != 0)
        return -1;
    if (neg) {
        if (mag > (uint64_t) INT64_MAX + 1)
            return -1;
        v = mag == (uint64_t) INT64_MAX + 1 ? INT64_MIN : -(int64_t) mag;
    } else {
        if (mag > (uint64_t) INT64_MAX)
            return -1;
        v = (int64_t) mag;
    }
    if (v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int cwmp__dm_parse_u64(const char *s, size_t len, uint64_t hi, uint64_t *out)
{
    int neg;
    uint64_t mag;
    if (parse_dec(s, len, &neg, &mag) != 0)
        return -1;
    if (neg && mag != 0)
        return -1;
    if (mag > hi)
        return -1;
    *out = mag;
    return 0;
}

int cwmp__dm_parse_bool(const char *s, size_t len, bool *out)
{
    trim(&s, &len);
    if ((len == 1 && s[0] == '1') || (len == 4 && memcmp(s, "true", 4) == 0)) {
        *out = true;
        return 0;
    }
    if ((len == 1 && s[0] == '0') || (len == 5 && memcmp(s, "false", 5) == 0)) {
        *out = false;
        return 0;
    }
    return -1;
}

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* YYYY-MM-DDThh:mm:ss[.f+][Z|(+|-)hh:mm] → seconds since the Unix epoch
 * (offset applied). Returns 0 or -1. */
int cwmp__dm_parse_datetime(const char *s, size_t len, int64_t *unix_out)
{
    static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, mo, d, h, mi, se, tzh = 0, tzm = 0, sign = 0;
    size_t i = 19;
    trim(&s, &len);
    if (len < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        return -1;
    if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
        digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &se))
        return -1;
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 60)
        return -1;
    if (d > mdays[mo - 1] + (mo == 2 && is_leap(y)))
        return -1;
    if (i < len && s[i] == '.') {
        size_t st = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == st)
            return -1;
    }
    if (i < len && s[i] == 'Z') {
        i++;
    } else if (i < len && (s[i] == '+' || s[i] == '-')) {
        sign = s[i] == '-' ? -1 : 1;
        if (len - i != 6 || s[i + 3] != ':' || digits(s + i + 1, 2, &tzh) ||
            digits(s + i + 4, 2, &tzm) || tzh > 14 || tzm > 59)
            return -1;
        i += 6;
    }
    if (i != len)
        return -1;
    if (unix_out) {
        /* days from civil (Howard Hinnant's algorithm) */
        int64_t yy = y - (mo <= 2);
        int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
        int64_t yoe = yy - era * 400;
        int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        int64_t days = era * 146097 + doe - 719468;
        *unix_out = days * 86400 + h * 3600 + mi * 60 + se - sign * (tzh * 3600 + tzm * 60);
    }
    return 0;
}

void cwmp__dm_format_datetime(int64_t t, char buf[32])
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t secs = t - days * 86400;
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp + (mp < 10 ? 3 : -9);
    int h = (int) (secs / 3600), mi = (int) (secs % 3600 / 60), s = (int) (secs % 60);
    y += m <= 2;
    if (y < 1 || y > 9999) {
        memcpy(buf, "0001-01-01T00:00:00Z", 21);
        return;
    }
    /* fixed-width formatting without printf */
    char *p = buf;
    int yi = (int) y;
    *p++ = (char) ('0' + yi / 1000);
    *p++ = (char) ('0' + yi / 100 % 10);
    *p++ = (char) ('0' + yi / 10 % 10);
    *p++ = (char) ('0' + yi % 10);
    *p++ = '-';
    *p++ = (char) ('0' + m / 10);
    *p++ = (char) ('0' + m % 10);
    *p++ = '-';
    *p++ = (char) ('0' + d / 10);
    *p++ = (char) ('0' + d % 10);
    *p++ = 'T';
    *p++ = (char) ('0' + h / 10);
    *p++ = (char) ('0' + h % 10);
    *p++ = ':';
    *p++ = (char) ('0' + mi / 10);
    *p++ = (char) ('0' + mi % 10);
    *p++ = ':';
    *p++ = (char) ('0' + s / 10);
    *p++ = (char) ('0' + s % 10);
    *p++ = 'Z';
    *p = '\0';
}

static int b64_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

/* Returns the decoded byte count or -1. */
static int64_t base64_len(const char *s, size_t len)
{
    size_t n = 0, pad = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (is_ws(c))
            continue;
        if (c == '=') {
            pad++;
            if (pad > 2)
                return -1;
        } else if (b64_char(c) && pad == 0) {
            /* ok */
        } else {
            return -1;
        }
        n++;
    }
    if (n % 4 != 0)
        return -1;
    return (int64_t) (n / 4 * 3 - pad);
}

static int64_t hex_len(const char *s, size_t len)
{
    trim(&s, &len);
    if (len % 2)
        return -1;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return -1;
    }
    return (int64_t) (len / 2);
}

/* Number of UTF-8 code points, or -1 for invalid UTF-8. */
static int64_t utf8_chars(const char *s, size_t len)
{
    int64_t n = 0;
    size_t i = 0;
    const unsigned char *u = (const unsigned char *) s;
    while (i < len) {
        unsigned c = u[i];
        size_t k;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            n++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            k = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            k = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            k = 3;
            cp = c & 0x07;
        } else {
            return -1;
        }
        if (len - i <= k)
            return -1;
        for (size_t j = 1; j <= k; j++) {
            if ((u[i + j] & 0xc0) != 0x80)
                return -1;
            cp = (cp << 6) | (u[i + j] & 0x3f);
        }
        if ((k == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (k == 3 && (cp < 0x10000 || cp > 0x10ffff)))
            return -1;
        i += k + 1;
        n++;
    }
    return n;
}

static int in_enum(const struct cwmp_dm_schema *s, const struct cwmp__dm_syntax *sx, const char *v,
                   size_t len)
{
    for (uint32_t k = 0; k < sx->enum_count; k++) {
        const char *e = s->pool + s->enums[sx->enum_first + k];
        if (strlen(e) == len && memcmp(e, v, len) == 0)
            return 1;
    }
    return 0;
}

/* Several ranges (format 2): the value must be inside one of them. */
static int in_ranges(const struct cwmp_dm_schema *s, const struct cwmp__dm_syntax *sx, int64_t v)
{
    for (uint32_t k = 0; k < sx->range_count; k++) {
        const struct cwmp__dm_range *r = &s->ranges[sx->range_first + k];
        if (v >= r->min && v <= r->max)
            return 1;
    }
    return 0;
}

static int check_item(const struct cwmp_allocator *a, const struct cwmp_dm_schema *s,
                      const struct cwmp__dm_node *n, const struct cwmp__dm_syntax *sx,
                      const char *v, size_t len)
{
    int64_t lo = INT64_MIN, hi = INT64_MAX, iv;
    uint64_t uv;
    bool b;
    if (sx && (n->flags & CWMP__DM_HAS_MIN))
        lo = sx->min;
    if (sx && (n->flags & CWMP__DM_HAS_MAX))
        hi = sx->max;
    switch ((enum cwmp_type) n->type) {
    case CWMP_TYPE_INT:
        if (cwmp__dm_parse_i64(v, len, lo > INT32_MIN ? lo : INT32_MIN,
                               hi < INT32_MAX ? hi : INT32_MAX, &iv) != 0)
            return 1;
        return sx && sx->range_count && !in_ranges(s, sx, iv);
    case CWMP_TYPE_LONG:
        if (cwmp__dm_parse_i64(v, len, lo, hi, &iv) != 0)
            return 1;
        return sx && sx->range_count && !in_ranges(s, sx, iv);
    case CWMP_TYPE_UNSIGNED_INT:
    case CWMP_TYPE_UNSIGNED_LONG: {
        uint64_t max = n->type == CWMP_TYPE_UNSIGNED_INT ? UINT32_MAX : UINT64_MAX;
        if (hi != INT64_MAX && hi >= 0 && (uint64_t) hi < max)
            max = (uint64_t) hi;
        if (cwmp__dm_parse_u64(v, len, max, &uv) != 0)
            return 1;
        if (lo > 0 && uv < (uint64_t) lo)
            return 1;
        if (sx && sx->range_count) /* the compiler emits ranges only within int64 */
            return uv > (uint64_t) INT64_MAX || !in_ranges(s, sx, (int64_t) uv);
        return 0;
    }
    case CWMP_TYPE_BOOLEAN: return cwmp__dm_parse_bool(v, len, &b) != 0;
    case CWMP_TYPE_DATETIME: return cwmp__dm_parse_datetime(v, len, NULL) != 0;
    case CWMP_TYPE_BASE64:
    case CWMP_TYPE_HEXBINARY: {
        int64_t bytes = n->type == CWMP_TYPE_BASE64 ? base64_len(v, len) : hex_len(v, len);
        if (bytes < 0)
            return 1;
        if (lo != INT64_MIN && bytes < lo)
            return 1;
        if (hi != INT64_MAX && bytes > hi)
            return 1;
        return 0;
    }
    default: {
        int64_t chars = utf8_chars(v, len);
        if (chars < 0)
            return 1;
        if (lo != INT64_MIN && chars < lo)
            return 1;
        if (hi != INT64_MAX && chars > hi)
            return 1;
        if (sx && sx->enum_count && !in_enum(s, sx, v, len))
            return 1;
        if (sx && sx->pattern != CWMP__DM_NOSTR) {
            int m = cwmp__dm_pattern_match(a, s->pool + sx->pattern, v, len);
            if (m < 0)
                return m; /* CWMP_ERR_NOMEM */
            return m ? 0 : 1;
        }
        return 0;
    }
    }
}

static int check_list(const struct cwmp_allocator *a, const struct cwmp_dm_schema *s, uint32_t node,
                      const char *v, size_t len);

int cwmp__dm_check_value(const struct cwmp_allocator *a, const struct cwmp_dm_schema *s,
                         uint32_t node, const char *v, size_t len)
{
    int rv = check_list(a, s, node, v, len);
    if (rv == CWMP_ERR_NOMEM)
        return rv;
    return rv ? CWMP_ERR_BAD_VALUE : 0;
}

static int check_list(const struct cwmp_allocator *a, const struct cwmp_dm_schema *s, uint32_t node,
                      const char *v, size_t len)
{
    const struct cwmp__dm_node *n = &s->nodes[node];
    const struct cwmp__dm_syntax *sx = n->aux == CWMP__DM_NONE ? NULL : &s->syntaxes[n->aux];
    if (memchr(v, '\0', len))
        return 1;
    if (!(n->flags & CWMP__DM_LIST))
        return check_item(a, s, n, sx, v, len);
    if (sx && sx->list_max && len > sx->list_max)
        return 1;
    if (utf8_chars(v, len) < 0)
        return 1;
    size_t i = 0;
    const char *p = v;
    size_t rest = len;
    trim(&p, &rest);
    if (rest == 0)
        return 0; /* empty list */
    while (i <= rest) {
        size_t j = i;
        while (j < rest && p[j] != ',')
            j++;
        const char *item = p + i;
        size_t ilen = j - i;
        trim(&item, &ilen);
        int rv = check_item(a, s, n, sx, item, ilen);
        if (rv != 0)
            return rv;
        i = j + 1;
    }
    return 0;
}

const char *cwmp__dm_type_default(uint8_t type)
{
    switch ((enum cwmp_type) type) {
    case CWMP_TYPE_INT:
    case CWMP_TYPE_UNSIGNED_INT:
    case CWMP_TYPE_LONG:
    case CWMP_TYPE_UNSIGNED_LONG: return "0";
    case CWMP_TYPE_BOOLEAN: return "false";
    case CWMP_TYPE_DATETIME: return "0001-01-01T00:00:00Z";
    default: return "";
    }
}
