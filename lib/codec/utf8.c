/*
 * libcwmp - UTF-8 validation and repair (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), with a fast path for ASCII runs.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <cwmp/types.h>

#include "internal.h"

/* Length of the valid UTF-8 sequence starting at s[0] (1..4), or 0 when
 * s[0] does not start a valid, complete sequence within n bytes. */
static size_t seq_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2)
        return 0; /* continuation byte or overlong 2-byte lead */
    if (c < 0xE0) {
        if (n < 2 || (s[1] & 0xC0) != 0x80)
            return 0;
        return 2;
    }
    if (c < 0xF0) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && s[1] < 0xA0)
            return 0; /* overlong */
        if (c == 0xED && s[1] >= 0xA0)
            return 0; /* surrogate */
        return 3;
    }
    if (c < 0xF5) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90)
            return 0; /* overlong */
        if (c == 0xF4 && s[1] >= 0x90)
            return 0; /* above U+10FFFF */
        return 4;
    }
    return 0;
}

/* Skips ASCII bytes eight at a time. */
static size_t ascii_run(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & UINT64_C(0x8080808080808080))
            break;
        i += 8;
    }
    while (i < n && s[i] < 0x80)
        i++;
    return i;
}

size_t cwmp_utf8_valid_prefix(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *) str;
    size_t i = 0;
    while (i < len) {
        i += ascii_run(s + i, len - i);
        if (i >= len)
            break;
        size_t l = seq_len(s + i, len - i);
        if (!l)
            return i;
        i += l;
    }
    return len;
}

int cwmp_utf8_sanitize(const char *str, size_t len, char *out, size_t size, size_t *replaced)
{
    const unsigned char *s = (const unsigned char *) str;
    size_t o = 0, rep = 0, i = 0;
    while (i < len) {
        size_t run = ascii_run(s + i, len - i);
        size_t l = run ? run : seq_len(s + i, len - i);
        if (l) {
            if (size - o <= l || o >= size)
                return CWMP_ERR_BUFFER;
            memcpy(out + o, s + i, l);
            o += l;
            i += l;
        } else {
            if (o >= size || size - o <= 3)
                return CWMP_ERR_BUFFER;
            out[o++] = (char) 0xEF;
            out[o++] = (char) 0xBF;
            out[o++] = (char) 0xBD;
            rep++;
            i++;
        }
    }
    if (o >= size)
        return CWMP_ERR_BUFFER;
    out[o] = '\0';
    if (replaced)
        *replaced = rep;
    if (o > (size_t) INT32_MAX)
        return CWMP_ERR_BUFFER;
    return (int) o;
}
