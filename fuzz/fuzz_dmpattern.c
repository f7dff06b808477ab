/*
 * libcwmp fuzz target: the TR-106 pattern subset (lib/dm/pattern.c) with
 * arbitrary patterns (vendor XML reaches the compiler) and values.
 * Input: pattern, a NUL byte, value.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dm/dm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t plen = nul ? (size_t) (nul - data) : size;
    char *pat;
    const char *val = nul ? (const char *) nul + 1 : "";
    size_t vlen = nul ? size - plen - 1 : 0;
    if (size > 4096)
        return 0;
    pat = malloc(plen + 1);
    if (!pat)
        abort();
    memcpy(pat, data, plen);
    pat[plen] = '\0';
    int m = cwmp__dm_pattern_match(cwmp_default_allocator(), pat, val, vlen);
    if (m != 0 && m != 1)
        abort();
    /* the empty pattern matches exactly the empty value */
    if (plen == 0 && m != (vlen == 0))
        abort();
    free(pat);
    return 0;
}
