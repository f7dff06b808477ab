/*
 * libcwmp examples - the procedure flows the demo plays out.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file flows.h
 * @brief F1-F13 of issue 6 with their clauses in TS 32.583 (HNB) and
 * TS 32.593 (HeNB): the demo driver and the integration tests name flows
 * through this table, and write its entries as the `F` records of the
 * message-flow trace, so the diagrams and the summary carry the clauses.
 * doc/examples.md shows the same table (a test keeps them in step).
 */
#ifndef EX_FLOWS_H
#define EX_FLOWS_H

#include <stddef.h>

#include "strbuf.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ex_flow {
    const char *id;          /**< "F1" .. "F13" */
    const char *clause_hnb;  /**< TS 32.583 clause(s) */
    const char *clause_henb; /**< TS 32.593 clause(s), "-" when none */
    const char *title;
};

/** @brief Number of flows (13). */
size_t ex_flow_count(void);
/** @brief Flow @p i (0-based), or NULL. */
const struct ex_flow *ex_flow_at(size_t i);
/** @brief Flow by id ("F7"), or NULL. */
const struct ex_flow *ex_flow_find(const char *id);
/** @brief Appends the flow's trace `F` record, clause "<32.583> / <32.593>". */
void ex_flow_write_trace(struct ex_buf *b, const struct ex_flow *f);

#ifdef __cplusplus
}
#endif

#endif
