/*
 * libcwmp tests - builds compiled data-model schemas (lib/dm/schema.h) at
 * run time from a short list of definitions, for the data-model tests,
 * fuzzers and benchmarks (the schema compiler's output has the same form).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CWMP_DM_TESTSCHEMA_H
#define CWMP_DM_TESTSCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "dm/schema.h"

/* One definition: objects end in "." ("A.B." or "A.T.{i}."), parameters
 * do not. Intermediate objects are created implicitly. */
struct tdef {
    const char *path;
    uint8_t type;         /* enum cwmp_type for parameters; 0 for objects */
    uint16_t flags;       /* CWMP__DM_* */
    const char *dflt;     /* default value or NULL */
    int64_t min, max;     /* used with CWMP__DM_HAS_MIN / HAS_MAX */
    const char *enums;    /* "|"-separated allowed values or NULL */
    uint32_t max_entries; /* tables: 0 = unbounded */
    uint32_t min_entries; /* tables */
    const char *pattern;  /* parameters: one pattern or NULL */
};

/* Returns a malloc'ed schema (free with tschema_free), NULL on error. */
struct cwmp_dm_schema *tschema_build(const struct tdef *defs, size_t n, const char *name);
void tschema_free(struct cwmp_dm_schema *s);

/* The FAP-like model used by the data-model tests, fuzzers and benchmarks
 * (Device:2 root with FAPService, FAP.PerfMgmt, FaultMgmt, …). */
struct cwmp_dm_schema *tschema_fap(void);
/* The same under InternetGatewayDevice (with FAP.Tunnel). */
struct cwmp_dm_schema *tschema_fap_igd(void);
/* A synthetic schema: Device.Bench.{i}. with `params` string parameters. */
struct cwmp_dm_schema *tschema_wide(unsigned params);

#endif
