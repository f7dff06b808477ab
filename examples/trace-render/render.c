/*
 * libcwmp examples - sequence diagrams from a message-flow trace.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "render.h"

#include <stdio.h>
#include <string.h>

#define TEXT_MARGIN   10 /* "  12345 ms" time column */
#define TEXT_MIN_COL  14 /* minimum distance between two lane bars */
#define TEXT_LINE_MAX 4096

int64_t render_flow_duration(const struct trace_flow *f)
{
    return f->t_first < 0 ? 0 : f->t_last - f->t_first;
}

/* Lanes a flow uses, in lane order. */
static size_t used_lanes(const struct trace *t, size_t flow, size_t *idx)
{
    int used[TRACE_MAX_LANES] = {0};
    for (size_t i = 0; i < t->nevents; i++) {
        if (t->events[i].flow != flow)
            continue;
        used[t->events[i].from] = 1;
        used[t->events[i].to] = 1;
    }
    size_t n = 0;
    for (size_t l = 0; l < t->nlanes; l++)
        if (used[l])
            idx[n++] = l;
    return n;
}

static size_t col_of(const size_t *lanes, size_t n, size_t lane)
{
    for (size_t k = 0; k < n; k++)
        if (lanes[k] == lane)
            return k;
    return 0;
}

/* ---- text ------------------------------------------------------------------ */

/* Copy of s for a terminal: control characters become spaces, long text is
 * cut. */
static const char *clean(const char *s, char *buf, size_t n)
{
    size_t i = 0;
    for (; s[i] && i + 1 < n; i++)
        buf[i] = (unsigned char) s[i] < 0x20 ? ' ' : s[i];
    buf[i] = '\0';
    return buf;
}

struct tline {
    char c[TEXT_LINE_MAX];
    size_t len;
};

static void tl_init(struct tline *l, const size_t *pos, size_t n)
{
    memset(l->c, ' ', sizeof(l->c));
    l->len = 0;
    for (size_t k = 0; k < n; k++) {
        l->c[pos[k]] = '|';
        l->len = pos[k] + 1;
    }
}

/* Writes s at column x (control characters become spaces). */
static void tl_put(struct tline *l, size_t x, const char *s)
{
    for (; *s && x < TEXT_LINE_MAX - 1; s++, x++) {
        unsigned char ch = (unsigned char) *s;
        l->c[x] = ch < 0x20 ? ' ' : (char) ch;
        if (x + 1 > l->len)
            l->len = x + 1;
    }
}

static void tl_emit(struct tline *l, struct ex_buf *out)
{
    size_t n = l->len;
    while (n && l->c[n - 1] == ' ')
        n--;
    ex_buf_add(out, l->c, n);
    ex_buf_puts(out, "\n");
}

static void text_flow(const struct trace *t, size_t fi, struct ex_buf *out)
{
    const struct trace_flow *f = &t->flows[fi];
    char b1[256], b2[256];
    ex_buf_printf(out, "== %s  %s\n", clean(f->id, b1, sizeof(b1)),
                  f->title[0] ? clean(f->title, b2, sizeof(b2)) : "(untitled)");
    if (f->clause[0])
        ex_buf_printf(out, "   clause (TS 32.583 / TS 32.593): %s\n",
                      clean(f->clause, b1, sizeof(b1)));
    ex_buf_puts(out, "\n");
    size_t lanes[TRACE_MAX_LANES];
    size_t n = used_lanes(t, fi, lanes);
    size_t colw = TEXT_MIN_COL;
    for (size_t k = 0; k < n; k++) {
        size_t l = strlen(t->lanes[lanes[k]].label) + 2;
        if (l > colw)
            colw = l;
    }
    size_t pos[TRACE_MAX_LANES];
    for (size_t k = 0; k < n; k++)
        pos[k] = TEXT_MARGIN + k * colw;
    struct tline line;
    /* Header: labels, then bars. */
    tl_init(&line, pos, 0);
    tl_put(&line, 0, " time ms");
    for (size_t k = 0; k < n; k++)
        tl_put(&line, pos[k], t->lanes[lanes[k]].label); /* tl_put cleans */
    tl_emit(&line, out);
    tl_init(&line, pos, n);
    tl_emit(&line, out);
    for (size_t i = 0; i < t->nevents; i++) {
        const struct trace_event *e = &t->events[i];
        if (e->flow != fi)
            continue;
        char time[16];
        snprintf(time, sizeof(time), "%8lld", (long long) (e->time_ms - f->t_first));
        size_t a = pos[col_of(lanes, n, e->from)], b = pos[col_of(lanes, n, e->to)];
        tl_init(&line, pos, n);
        tl_put(&line, 0, time);
        if (e->kind == TRACE_NOTE) {
            tl_put(&line, a + 2, "* ");
            tl_put(&line, a + 4, e->label);
            tl_emit(&line, out);
            continue;
        }
        size_t lo = a < b ? a : b, hi = a < b ? b : a;
        tl_put(&line, lo + 2, e->label);
        if (e->cwmp_id[0]) {
            size_t x = lo + 2 + strlen(e->label) + 1;
            tl_put(&line, x, "[ID ");
            tl_put(&line, x + 4, e->cwmp_id);
            tl_put(&line, x + 4 + strlen(e->cwmp_id), "]");
        }
        tl_emit(&line, out);
        tl_init(&line, pos, n);
        if (a == b) { /* to itself */
            tl_put(&line, a + 1, "--.");
            tl_emit(&line, out);
            tl_init(&line, pos, n);
            tl_put(&line, a + 1, "<-'");
        } else {
            for (size_t x = lo + 1; x < hi; x++)
                line.c[x] = '-';
            if (a < b)
                line.c[hi - 1] = '>';
            else
                line.c[lo + 1] = '<';
        }
        tl_emit(&line, out);
    }
    tl_init(&line, pos, n);
    tl_emit(&line, out);
    ex_buf_printf(out, "   result: %s", f->result == 1 ? "ok" : f->result == 0 ? "FAIL" : "none");
    if (f->detail[0]) {
        ex_buf_puts(out, " - ");
        for (const char *c = f->detail; *c; c++)
            ex_buf_add(out, (unsigned char) *c < 0x20 ? " " : c, 1);
    }
    ex_buf_printf(out, " (%lld ms, %zu messages)\n\n", (long long) render_flow_duration(f),
                  f->nmessages);
}

static int find_flow(const struct trace *t, const char *id, size_t *idx)
{
    for (size_t i = 0; i < t->nflows; i++) {
        if (!strcmp(t->flows[i].id, id)) {
            *idx = i;
            return 0;
        }
    }
    return CWMP_ERR_NOT_FOUND;
}

static void text_summary(const struct trace *t, struct ex_buf *out)
{
    size_t wid = 4, wcl = 24;
    for (size_t i = 0; i < t->nflows; i++) {
        if (strlen(t->flows[i].id) > wid)
            wid = strlen(t->flows[i].id);
        if (strlen(t->flows[i].clause) > wcl)
            wcl = strlen(t->flows[i].clause);
    }
    ex_buf_puts(out, "Summary\n");
    ex_buf_printf(out, "  %-*s  %-*s  %-6s  %10s  %8s  %s\n", (int) wid, "Flow", (int) wcl,
                  "Clause (32.583 / 32.593)", "Result", "Duration", "Messages", "Title");
    int all_ok = 1;
    for (size_t i = 0; i < t->nflows; i++) {
        const struct trace_flow *f = &t->flows[i];
        const char *res = f->result == 1 ? "ok" : f->result == 0 ? "FAIL" : "-";
        all_ok &= f->result == 1;
        char b1[256], b2[256], b3[256];
        ex_buf_printf(out, "  %-*s  %-*s  %-6s  %7lld ms  %8zu  %s\n", (int) wid,
                      clean(f->id, b1, sizeof(b1)), (int) wcl, clean(f->clause, b2, sizeof(b2)),
                      res, (long long) render_flow_duration(f), f->nmessages,
                      clean(f->title, b3, sizeof(b3)));
    }
    ex_buf_printf(out, "  %zu flow(s), %s\n", t->nflows,
                  all_ok && t->nflows ? "all ok" : "NOT all ok");
}

int render_text(const struct trace *t, const char *only_flow, struct ex_buf *out)
{
    if (only_flow) {
        size_t fi;
        if (find_flow(t, only_flow, &fi))
            return CWMP_ERR_NOT_FOUND;
        text_flow(t, fi, out);
        return ex_buf_error(out);
    }
    for (size_t i = 0; i < t->nflows; i++)
        text_flow(t, i, out);
    text_summary(t, out);
    return ex_buf_error(out);
}

/* ---- HTML + SVG ------------------------------------------------------------- */

#define SVG_LEFT 80  /* time column */
#define SVG_COL  190 /* distance between lanes */
#define SVG_TOP  12
#define SVG_HEAD 30 /* lane header box height */
#define SVG_ROW  38 /* one message */
#define SVG_NOTE 30 /* one note */
#define SVG_CHAR 7  /* estimated width of one character at 12px */

static const char css[] =
    "body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:24px;"
    "color:#1b1f23;background:#fff}"
    "h1{font-size:22px}h2{font-size:17px;margin:28px 0 4px}"
    "p.clause{margin:0 0 8px;color:#57606a;font-size:13px}"
    "table.summary{border-collapse:collapse;font-size:13px}"
    "table.summary td,table.summary th{border:1px solid #d0d7de;padding:4px 10px;text-align:left}"
    "table.summary th{background:#f6f8fa}"
    "td.num{text-align:right}"
    ".ok{color:#1a7f37;font-weight:600}.fail{color:#cf222e;font-weight:600}"
    ".none{color:#57606a}"
    "svg{display:block;margin:6px 0 4px}"
    "svg text{font-family:Menlo,Consolas,'DejaVu Sans Mono',monospace;font-size:12px}"
    "svg .lane{fill:#ddf4ff;stroke:#54aeff}"
    "svg .lanelabel{font-weight:600;fill:#0a3069}"
    "svg .life{stroke:#8c959f;stroke-dasharray:4 4}"
    "svg .msg{stroke:#0969da;stroke-width:1.5;fill:none}"
    "svg .label{fill:#1b1f23;paint-order:stroke;stroke:#fff;stroke-width:4px}"
    "svg .id{fill:#8250df}"
    "svg .time{fill:#57606a;text-anchor:end}"
    "svg .note{fill:#fff8c5;stroke:#d4a72c}"
    "p.result{margin:0 0 18px;font-size:13px}";

static void attr_text(struct ex_buf *out, const char *s)
{
    ex_buf_xml(out, s);
}

static void html_summary(const struct trace *t, const size_t *flows, size_t nf, struct ex_buf *out)
{
    ex_buf_puts(out, "<table class=\"summary\">\n<tr><th>Flow</th><th>Clause (32.583 / 32.593)"
                     "</th><th>Title</th><th>Result</th><th>Duration</th><th>Messages</th></tr>\n");
    for (size_t k = 0; k < nf; k++) {
        const struct trace_flow *f = &t->flows[flows[k]];
        const char *cls = f->result == 1 ? "ok" : f->result == 0 ? "fail" : "none";
        const char *res = f->result == 1 ? "ok" : f->result == 0 ? "FAIL" : "-";
        ex_buf_puts(out, "<tr><td><a href=\"#flow-");
        ex_buf_printf(out, "%zu\">", flows[k]);
        attr_text(out, f->id);
        ex_buf_puts(out, "</a></td><td>");
        attr_text(out, f->clause);
        ex_buf_puts(out, "</td><td>");
        attr_text(out, f->title);
        ex_buf_printf(out,
                      "</td><td class=\"%s\">%s</td><td class=\"num\">%lld ms</td>"
                      "<td class=\"num\">%zu</td></tr>\n",
                      cls, res, (long long) render_flow_duration(f), f->nmessages);
    }
    ex_buf_puts(out, "</table>\n");
}

static void html_flow(const struct trace *t, size_t fi, struct ex_buf *out)
{
    const struct trace_flow *f = &t->flows[fi];
    size_t lanes[TRACE_MAX_LANES];
    size_t n = used_lanes(t, fi, lanes);
    /* Geometry: height from the events, width from lanes and labels. */
    long height = SVG_TOP + SVG_HEAD + 20, width = SVG_LEFT + (long) (n ? n : 1) * SVG_COL;
    for (size_t i = 0; i < t->nevents; i++) {
        const struct trace_event *e = &t->events[i];
        if (e->flow != fi)
            continue;
        height += e->kind == TRACE_NOTE ? SVG_NOTE : SVG_ROW;
        size_t a = col_of(lanes, n, e->from), b = col_of(lanes, n, e->to);
        long x0 = SVG_LEFT + (long) (a < b ? a : b) * SVG_COL + SVG_COL / 2 + 8;
        long w = (long) (strlen(e->label) + strlen(e->cwmp_id) + 8) * SVG_CHAR + 24;
        if (x0 + w > width)
            width = x0 + w;
    }
    height += 16;

    ex_buf_printf(out, "<section id=\"flow-%zu\">\n<h2>", fi);
    attr_text(out, f->id);
    ex_buf_puts(out, " \xe2\x80\x94 ");
    attr_text(out, f->title[0] ? f->title : "(untitled)");
    ex_buf_puts(out, "</h2>\n");
    if (f->clause[0]) {
        ex_buf_puts(out, "<p class=\"clause\">TS 32.583 / TS 32.593 clause: ");
        attr_text(out, f->clause);
        ex_buf_puts(out, "</p>\n");
    }
    ex_buf_printf(out,
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%ld\" height=\"%ld\" "
                  "viewBox=\"0 0 %ld %ld\" role=\"img\">\n",
                  width, height, width, height);
    ex_buf_printf(out,
                  "<defs><marker id=\"ah%zu\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
                  "markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\">"
                  "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#0969da\"/></marker></defs>\n",
                  fi);
    long bottom = height - 8;
    for (size_t k = 0; k < n; k++) {
        long cx = SVG_LEFT + (long) k * SVG_COL + SVG_COL / 2;
        ex_buf_printf(out,
                      "<rect class=\"lane\" x=\"%ld\" y=\"%d\" width=\"%d\" height=\"%d\" "
                      "rx=\"4\"/>\n<line class=\"life\" x1=\"%ld\" y1=\"%d\" x2=\"%ld\" "
                      "y2=\"%ld\"/>\n<text class=\"lanelabel\" x=\"%ld\" y=\"%d\" "
                      "text-anchor=\"middle\">",
                      cx - (SVG_COL - 30) / 2, SVG_TOP, SVG_COL - 30, SVG_HEAD, cx,
                      SVG_TOP + SVG_HEAD, cx, bottom, cx, SVG_TOP + SVG_HEAD / 2 + 4);
        attr_text(out, t->lanes[lanes[k]].label);
        ex_buf_puts(out, "</text>\n");
    }
    long y = SVG_TOP + SVG_HEAD + 20;
    for (size_t i = 0; i < t->nevents; i++) {
        const struct trace_event *e = &t->events[i];
        if (e->flow != fi)
            continue;
        size_t a = col_of(lanes, n, e->from), b = col_of(lanes, n, e->to);
        long xa = SVG_LEFT + (long) a * SVG_COL + SVG_COL / 2;
        long xb = SVG_LEFT + (long) b * SVG_COL + SVG_COL / 2;
        if (e->kind == TRACE_NOTE) {
            long w = (long) strlen(e->label) * SVG_CHAR + 24;
            ex_buf_printf(out,
                          "<text class=\"time\" x=\"%d\" y=\"%ld\">+%lld ms</text>\n"
                          "<rect class=\"note\" x=\"%ld\" y=\"%ld\" width=\"%ld\" height=\"20\" "
                          "rx=\"3\"/>\n<text x=\"%ld\" y=\"%ld\">",
                          SVG_LEFT - 10, y + 14, (long long) (e->time_ms - f->t_first), xa + 8, y,
                          w, xa + 16, y + 14);
            attr_text(out, e->label);
            ex_buf_puts(out, "</text>\n");
            y += SVG_NOTE;
            continue;
        }
        long ly = y + 18; /* arrow line */
        ex_buf_printf(out, "<g>\n<title>");
        attr_text(out, e->label);
        if (e->cwmp_id[0]) {
            ex_buf_puts(out, " [cwmp:ID ");
            attr_text(out, e->cwmp_id);
            ex_buf_puts(out, "]");
        }
        ex_buf_printf(out, "</title>\n<text class=\"time\" x=\"%d\" y=\"%ld\">+%lld ms</text>\n",
                      SVG_LEFT - 10, ly + 4, (long long) (e->time_ms - f->t_first));
        if (a == b) {
            ex_buf_printf(out,
                          "<path class=\"msg\" d=\"M%ld,%ld h40 v12 h-38\" "
                          "marker-end=\"url(#ah%zu)\"/>\n",
                          xa, ly - 6, fi);
        } else {
            ex_buf_printf(out,
                          "<line class=\"msg\" x1=\"%ld\" y1=\"%ld\" x2=\"%ld\" y2=\"%ld\" "
                          "marker-end=\"url(#ah%zu)\"/>\n",
                          xa, ly, xb, ly, fi);
        }
        ex_buf_printf(out, "<text class=\"label\" x=\"%ld\" y=\"%ld\">", (xa < xb ? xa : xb) + 8,
                      ly - 6);
        attr_text(out, e->label);
        if (e->cwmp_id[0]) {
            ex_buf_puts(out, " <tspan class=\"id\">[ID ");
            attr_text(out, e->cwmp_id);
            ex_buf_puts(out, "]</tspan>");
        }
        ex_buf_puts(out, "</text>\n</g>\n");
        y += SVG_ROW;
    }
    ex_buf_puts(out, "</svg>\n");
    const char *cls = f->result == 1 ? "ok" : f->result == 0 ? "fail" : "none";
    ex_buf_printf(out, "<p class=\"result\">Result: <span class=\"%s\">%s</span>", cls,
                  f->result == 1   ? "ok"
                  : f->result == 0 ? "FAIL"
                                   : "not recorded");
    if (f->detail[0]) {
        ex_buf_puts(out, " \xe2\x80\x94 ");
        attr_text(out, f->detail);
    }
    ex_buf_printf(out, " (%lld ms, %zu messages)</p>\n</section>\n",
                  (long long) render_flow_duration(f), f->nmessages);
}

int render_html(const struct trace *t, const char *only_flow, const char *title, struct ex_buf *out)
{
    size_t *flows = NULL, nf = 0, one;
    if (only_flow) {
        if (find_flow(t, only_flow, &one))
            return CWMP_ERR_NOT_FOUND;
        flows = &one;
        nf = 1;
    }
    if (!title)
        title = "CWMP message flows";
    ex_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                     "<title>");
    attr_text(out, title);
    ex_buf_puts(out, "</title>\n<style>");
    ex_buf_puts(out, css);
    ex_buf_puts(out, "</style>\n</head>\n<body>\n<h1>");
    attr_text(out, title);
    ex_buf_puts(out, "</h1>\n");
    if (flows) {
        html_summary(t, flows, nf, out);
        html_flow(t, one, out);
    } else {
        /* Summary over every flow, in file order. */
        size_t idx[TRACE_MAX_FLOWS];
        for (size_t i = 0; i < t->nflows; i++)
            idx[i] = i;
        html_summary(t, idx, t->nflows, out);
        for (size_t i = 0; i < t->nflows; i++)
            html_flow(t, i, out);
    }
    ex_buf_puts(out, "</body>\n</html>\n");
    return ex_buf_error(out);
}
