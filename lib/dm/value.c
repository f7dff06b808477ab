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

/* Lexical rules come from the public, separately tested helpers of
 * <cwmp/types.h>; the data model adds its ranges on top. */

int cwmp__dm_parse_i64(const char *s, size_t len, int64_t lo, int64_t hi, int64_t *out)
{
    int64_t v;
    if (cwmp_parse_long(s, len, &v) != 0 || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int cwmp__dm_parse_u64(const char *s, size_t len, uint64_t hi, uint64_t *out)
{
    uint64_t v;
    if (cwmp_parse_ulong(s, len, &v) != 0 || v > hi)
        return -1;
    *out = v;
    return 0;
}

int cwmp__dm_parse_bool(const char *s, size_t len, bool *out)
{
    return cwmp_parse_bool(s, len, out) == 0 ? 0 : -1;
}

/* xsd:dateTime → seconds since the Unix epoch (offset applied). 0 or -1. */
int cwmp__dm_parse_datetime(const char *s, size_t len, int64_t *unix_out)
{
    struct cwmp_datetime dt;
    if (cwmp_datetime_parse(s, len, &dt) != 0)
        return -1;
    if (unix_out)
        *unix_out = cwmp_datetime_to_unix(&dt);
    return 0;
}

/* UTC "YYYY-MM-DDThh:mm:ssZ"; outside years 1..9999 the TR-106 Unknown Time. */
void cwmp__dm_format_datetime(int64_t t, char buf[32])
{
    struct cwmp_datetime dt;
    if (cwmp_datetime_from_unix(t, 0, &dt) != 0 || cwmp_datetime_format(&dt, buf, 32) < 0)
        memcpy(buf, "0001-01-01T00:00:00Z", 21);
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
