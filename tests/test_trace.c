/*
 * libcwmp examples - tests of the message-flow trace format and renderer.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mxml.h>

#include "render.h"
#include "trace.h"

#ifndef EXAMPLES_TRACE_SAMPLE
#error "EXAMPLES_TRACE_SAMPLE must name examples/trace-render/sample.trace"
#endif

static void quiet_mxml(const char *msg)
{
    (void) msg;
}

static struct trace *load_sample(void)
{
    size_t len = 0;
    char *text = read_file(EXAMPLES_TRACE_SAMPLE, &len);
    assert_non_null(text);
    struct trace *t = NULL;
    struct trace_error err;
    int rv = trace_parse(text, len, &test_allocator, &t, &err);
    if (rv)
        fprintf(stderr, "sample.trace:%d: %s\n", err.line, err.msg);
    assert_int_equal(rv, 0);
    test_free(text);
    return t;
}

static void test_parse_sample(void **state)
{
    (void) state;
    struct trace *t = load_sample();
    assert_int_equal(t->nlanes, 5);
    assert_string_equal(t->lanes[2].label, "HMS (initial)");
    assert_int_equal(t->nflows, 5);
    assert_string_equal(t->flows[0].id, "F1");
    assert_string_equal(t->flows[0].clause, "5.1.2 / 5.1.2.3");
    assert_int_equal(t->flows[0].result, 1);
    assert_int_equal(t->flows[0].nmessages, 7);
    assert_int_equal(render_flow_duration(&t->flows[0]), 90);
    assert_int_equal(t->flows[2].nmessages, 15);
    assert_int_equal(t->events[0].kind, TRACE_NOTE);
    assert_string_equal(t->events[2].cwmp_id, "1");
    trace_free(t);
}

static void test_text_golden(void **state)
{
    (void) state;
    struct trace *t = load_sample();
    struct ex_buf b;
    ex_buf_init(&b, &test_allocator, 0);
    assert_int_equal(render_text(t, NULL, &b), 0);
    char path[512];
    snprintf(path, sizeof(path), "%s/examples/trace-sample.txt", test_data_dir());
    char *golden = read_file(path, NULL);
    assert_non_null(golden);
    if (strcmp(golden, b.data) != 0) {
        fprintf(stderr, "text output differs from %s; got:\n%s\n", path, b.data);
        fail();
    }
    test_free(golden);
    ex_buf_free(&b);

    /* One flow only; unknown flow. */
    ex_buf_init(&b, &test_allocator, 0);
    assert_int_equal(render_text(t, "F11", &b), 0);
    assert_non_null(strstr(b.data, "== F11  Expedited alarm"));
    assert_null(strstr(b.data, "== F1  "));
    assert_int_equal(render_text(t, "F99", &b), CWMP_ERR_NOT_FOUND);
    ex_buf_free(&b);
    trace_free(t);
}

static int count(mxml_node_t *tree, const char *elem)
{
    int n = 0;
    for (mxml_node_t *x = mxmlFindElement(tree, tree, elem, NULL, NULL, MXML_DESCEND); x;
         x = mxmlFindElement(x, tree, elem, NULL, NULL, MXML_DESCEND))
        n++;
    return n;
}

static void test_html_well_formed(void **state)
{
    (void) state;
    struct trace *t = load_sample();
    struct ex_buf b;
    ex_buf_init(&b, &test_allocator, 0);
    assert_int_equal(render_html(t, NULL, "Sample <run> & co", &b), 0);
    assert_null(strstr(b.data, "<script"));
    assert_null(strstr(b.data, "href=\"http")); /* self-contained */
    assert_non_null(strstr(b.data, "Sample &lt;run&gt; &amp; co"));
    mxmlSetErrorCallback(quiet_mxml);
    mxml_node_t *top = mxmlNewElement(MXML_NO_PARENT, "top");
    assert_non_null(mxmlLoadString(top, b.data, MXML_OPAQUE_CALLBACK));
    assert_int_equal(count(top, "html"), 1);
    assert_int_equal(count(top, "svg"), 5);
    assert_int_equal(count(top, "section"), 5);
    assert_int_equal(count(top, "tr"), 6); /* header + 5 flows */
    /* One arrow per message, one box per note. */
    assert_int_equal(count(top, "line"), (7 + 6 + 15 + 13 + 4) + (2 + 3 + 3 + 3 + 2));
    mxml_node_t *svg = mxmlFindElement(top, top, "svg", NULL, NULL, MXML_DESCEND);
    assert_string_equal(mxmlElementGetAttr(svg, "xmlns"), "http://www.w3.org/2000/svg");
    mxmlDelete(top);
    ex_buf_free(&b);
    trace_free(t);
}

static void test_write_roundtrip_and_escaping(void **state)
{
    (void) state;
    struct ex_buf b;
    ex_buf_init(&b, &test_allocator, 0);
    trace_write_header(&b);
    trace_write_flow(&b, "F7", "5.3.2 / 5.2.3", "CM by SPV\twith\\tabs");
    trace_write_message(&b, 5, "F7", "HMS-S", "HNB", "SPV(<script>alert(1)</script> & \"x\")\n2",
                        "id\t1");
    trace_write_note(&b, 6, "F7", "X-Lane", "new lane, added on the fly");
    trace_write_message(&b, 7, "F7", "HNB", "HNB", "self", NULL);
    trace_write_result(&b, 9, "F7", 0, "rejected: 9007");
    assert_int_equal(ex_buf_error(&b), 0);
    struct trace *t = NULL;
    struct trace_error err;
    assert_int_equal(trace_parse(b.data, b.len, &test_allocator, &t, &err), 0);
    ex_buf_free(&b);
    assert_int_equal(t->nflows, 1);
    assert_string_equal(t->flows[0].title, "CM by SPV\twith\\tabs");
    assert_int_equal(t->flows[0].result, 0);
    assert_string_equal(t->events[0].label, "SPV(<script>alert(1)</script> & \"x\")\n2");
    assert_string_equal(t->events[0].cwmp_id, "id\t1");
    assert_int_equal(t->nlanes, 6); /* the 5 default lanes + X-Lane */
    assert_string_equal(t->lanes[5].label, "X-Lane");
    assert_int_equal(t->events[2].from, t->events[2].to);

    ex_buf_init(&b, &test_allocator, 0);
    assert_int_equal(render_html(t, NULL, NULL, &b), 0);
    assert_null(strstr(b.data, "<script>"));
    assert_non_null(strstr(b.data, "&lt;script&gt;"));
    assert_non_null(strstr(b.data, "class=\"fail\""));
    ex_buf_free(&b);
    ex_buf_init(&b, &test_allocator, 0);
    assert_int_equal(render_text(t, NULL, &b), 0);
    assert_non_null(strstr(b.data, "result: FAIL - rejected: 9007"));
    assert_non_null(strstr(b.data, "NOT all ok"));
    assert_null(strchr(strstr(b.data, "SPV("), '\t')); /* control chars become spaces */
    ex_buf_free(&b);
    trace_free(t);
}

struct bad {
    const char *text;
    int rv;
    int line;
};

static const struct bad bad_cases[] = {
    {"", CWMP_ERR_PARSE, 1},
    {"#cwmp-trace 2\n", CWMP_ERR_PARSE, 1},
    {"#cwmp-trace 1\nX\ta\n", CWMP_ERR_PARSE, 2},
    {"#cwmp-trace 1\n\nM\t1\tF1\tHNB\tHMS-S\tInform\n", CWMP_ERR_PARSE, 3},
    {"#cwmp-trace 1\nM\t-1\tF1\tHNB\tHMS-S\tInform\t\n", CWMP_ERR_PARSE, 2},
    {"#cwmp-trace 1\nM\t1x\tF1\tHNB\tHMS-S\tInform\t\n", CWMP_ERR_PARSE, 2},
    {"#cwmp-trace 1\nM\t1\tF1\t\tHMS-S\tInform\t\n", CWMP_ERR_PARSE, 2},
    {"#cwmp-trace 1\nM\t1\t\tHNB\tHMS-S\tInform\t\n", CWMP_ERR_PARSE, 2},
    {"#cwmp-trace 1\nN\t1\tF1\tHNB\tbad \\q escape\n", CWMP_ERR_PARSE, 2},
    {"#cwmp-trace 1\nR\t1\tF1\tmaybe\t\n", CWMP_ERR_PARSE, 2},
    {"#cwmp-trace 1\nL\tA\ta\nL\tA\tb\n", CWMP_ERR_PARSE, 3},
    {"#cwmp-trace 1\nF\t\tc\tt\n", CWMP_ERR_PARSE, 2},
    {"#cwmp-trace 1\nN\t1\tF1\tHNB\tbell\x07\n", CWMP_ERR_ENCODING, 2},
    {"#cwmp-trace 1\nN\t1\tF1\tHNB\t\xc0\xaf\n", CWMP_ERR_ENCODING, 2},
    {"#cwmp-trace 1\nM\t1\tF\ta\tb\tc\td\te\tf\tg\n", CWMP_ERR_PARSE, 2},
};

static void test_errors(void **state)
{
    (void) state;
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const struct bad *c = &bad_cases[i];
        struct trace *t = (struct trace *) 1;
        struct trace_error err;
        int rv = trace_parse(c->text, strlen(c->text), &test_allocator, &t, &err);
        if (rv != c->rv || err.line != c->line)
            fprintf(stderr, "case %zu: rv %d line %d: %s\n", i, rv, err.line, err.msg);
        assert_int_equal(rv, c->rv);
        assert_int_equal(err.line, c->line);
        assert_null(t);
        assert_true(err.msg[0] != '\0');
    }
    /* More lanes than the limit. */
    struct ex_buf b;
    ex_buf_init(&b, &test_allocator, 0);
    trace_write_header(&b);
    for (int i = 0; i <= TRACE_MAX_LANES; i++) {
        char lane[16];
        snprintf(lane, sizeof(lane), "L%d", i);
        trace_write_note(&b, 1, "F1", lane, "x");
    }
    struct trace *t = NULL;
    struct trace_error err;
    assert_int_equal(trace_parse(b.data, b.len, &test_allocator, &t, &err), CWMP_ERR_LIMIT);
    assert_int_equal(err.line, 13); /* 5 default lanes + 11 new ones fill the table */
    ex_buf_free(&b);
}

static int sweep_parse_render(const struct cwmp_allocator *a, void *ctx)
{
    const char *text = ctx;
    struct trace *t = NULL;
    int rv = trace_parse(text, strlen(text), a, &t, NULL);
    if (rv)
        return rv;
    struct ex_buf b;
    ex_buf_init(&b, a, 0);
    rv = render_html(t, NULL, NULL, &b);
    if (rv == 0)
        rv = render_text(t, NULL, &b);
    ex_buf_free(&b);
    trace_free(t);
    return rv;
}

static void test_alloc_sweep(void **state)
{
    (void) state;
    char *text = read_file(EXAMPLES_TRACE_SAMPLE, NULL);
    assert_non_null(text);
    assert_true(alloc_sweep(sweep_parse_render, text, CWMP_ERR_NOMEM, 200) >= 4);
    test_free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_sample),
        cmocka_unit_test(test_text_golden),
        cmocka_unit_test(test_html_well_formed),
        cmocka_unit_test(test_write_roundtrip_and_escaping),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_alloc_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
