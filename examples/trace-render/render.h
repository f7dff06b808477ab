/*
 * libcwmp examples - sequence diagrams from a message-flow trace.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file render.h
 * @brief Renders a parsed trace (trace.h) as sequence diagrams, one per
 * flow, with lanes like the figures of TS 32.583 / TS 32.593, plus a
 * summary table (flow, clause, result, duration): as plain ASCII text for
 * a terminal, and as one self-contained HTML page with inline SVG (no
 * scripts, no external resources). Output is deterministic.
 */
#ifndef EX_RENDER_H
#define EX_RENDER_H

#include "strbuf.h"
#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Duration of a flow in ms (last record - first record; 0 when empty). */
int64_t render_flow_duration(const struct trace_flow *f);

/**
 * @brief Appends the text diagrams and the summary table to @p out.
 * @param only_flow render just this flow id (NULL = all)
 * @return 0, CWMP_ERR_NOT_FOUND (no such flow) or the buffer's error
 */
int render_text(const struct trace *t, const char *only_flow, struct ex_buf *out);

/**
 * @brief Appends a complete HTML document (XHTML-compatible markup with
 * inline SVG) to @p out.
 * @param title page title (NULL = "CWMP message flows")
 */
int render_html(const struct trace *t, const char *only_flow, const char *title,
                struct ex_buf *out);

#ifdef __cplusplus
}
#endif

#endif
