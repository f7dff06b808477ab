/*
 * libcwmp examples - message-flow trace files.
 * SPDX-License-Identifier: BSD-2-Clause
 */
/**
 * @file trace.h
 * @brief The message-flow trace file written by the example agent and HMS
 * and rendered as sequence diagrams by `trace-render`.
 *
 * Text, UTF-8, one record per line, fields separated by one TAB. The first
 * line is `#cwmp-trace 1`; other lines starting with `#` and empty lines
 * are ignored. In text fields, `\\`, `\t`, `\n` and `\r` stand for a
 * backslash, TAB, LF and CR (no other escapes).
 *
 * | Record | Fields (after the type) |
 * |---|---|
 * | `L` lane    | id, label (column order = declaration order) |
 * | `F` flow    | id, clause, title |
 * | `M` message | time_ms, flow, from lane, to lane, label, cwmp:ID ("" if none) |
 * | `N` note    | time_ms, flow, lane, text |
 * | `R` result  | time_ms, flow, `ok` or `fail`, detail |
 *
 * Without `L` records the lanes are HNB, SeGW, HMS-I, HMS-S, FS
 * ("HMS (initial)", "HMS (serving)", "File server"); an unknown lane id or
 * flow id used by a record is added on the fly (label = id). A message
 * label is the method plus its key arguments and result, e.g.
 * `SetParameterValues(ManagementServer.URL, SecGWServer1) -> Status 0`.
 */
#ifndef EX_TRACE_H
#define EX_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include <cwmp/common.h>
#include <cwmp/error.h>

#include "strbuf.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TRACE_MAX_LANES 16
#define TRACE_MAX_FLOWS 256
#define TRACE_MAX_BYTES (16 * 1024 * 1024)

struct trace_lane {
    const char *id;
    const char *label;
};

struct trace_flow {
    const char *id;
    const char *clause;      /**< "" when not declared */
    const char *title;       /**< "" when not declared */
    int result;              /**< -1 none recorded, 0 fail, 1 ok */
    const char *detail;      /**< result detail, "" when none */
    int64_t t_first, t_last; /**< times of its first and last record */
    size_t nmessages;
};

enum trace_event_kind { TRACE_MESSAGE = 0, TRACE_NOTE = 1 };

struct trace_event {
    enum trace_event_kind kind;
    int64_t time_ms;
    size_t flow;
    size_t from, to; /**< lane indexes (to == from for a note) */
    const char *label;
    const char *cwmp_id; /**< "" when none (notes: always "") */
    int line;
};

/** A parsed trace; free with trace_free(). */
struct trace {
    struct trace_lane lanes[TRACE_MAX_LANES];
    size_t nlanes;
    struct trace_flow *flows;
    size_t nflows;
    struct trace_event *events;
    size_t nevents;
    char *storage_;                     /**< private */
    size_t cap_flows_, cap_events_;     /**< private */
    int explicit_lanes_;                /**< private */
    const struct cwmp_allocator *alloc; /**< private */
};

/** Parse error: line and reason. */
struct trace_error {
    int line;
    char msg[160];
};

/**
 * @brief Parses a trace file.
 * @return 0; CWMP_ERR_PARSE (bad header, record or field); CWMP_ERR_ENCODING;
 *         CWMP_ERR_LIMIT; CWMP_ERR_NOMEM; CWMP_ERR_INVALID_ARG
 */
int trace_parse(const char *text, size_t len, const struct cwmp_allocator *alloc,
                struct trace **out, struct trace_error *err);
void trace_free(struct trace *t);

/* ---- writing (used by the agent and HMS through the library trace hook) -- */

/** Appends the `#cwmp-trace 1` header line. */
void trace_write_header(struct ex_buf *b);
/** Appends an `L` record. */
void trace_write_lane(struct ex_buf *b, const char *id, const char *label);
/** Appends an `F` record. */
void trace_write_flow(struct ex_buf *b, const char *id, const char *clause, const char *title);
/** Appends an `M` record (cwmp_id may be NULL). */
void trace_write_message(struct ex_buf *b, int64_t time_ms, const char *flow, const char *from,
                         const char *to, const char *label, const char *cwmp_id);
/** Appends an `N` record. */
void trace_write_note(struct ex_buf *b, int64_t time_ms, const char *flow, const char *lane,
                      const char *text);
/** Appends an `R` record. */
void trace_write_result(struct ex_buf *b, int64_t time_ms, const char *flow, int ok,
                        const char *detail);

#ifdef __cplusplus
}
#endif

#endif
