/*
 * libcwmp examples - the flow table matches doc/examples.md and the trace.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "flows.h"
#include "trace.h"

#ifndef EXAMPLES_DOC
#error "EXAMPLES_DOC must name doc/examples.md"
#endif

static void test_table(void **state)
{
    (void) state;
    assert_int_equal(ex_flow_count(), 13);
    for (size_t i = 0; i < ex_flow_count(); i++) {
        char id[24];
        snprintf(id, sizeof(id), "F%zu", i + 1);
        const struct ex_flow *f = ex_flow_at(i);
        assert_string_equal(f->id, id);
        assert_ptr_equal(ex_flow_find(id), f);
        assert_true(f->clause_hnb[0] && f->clause_henb[0] && f->title[0]);
    }
    assert_null(ex_flow_at(13));
    assert_null(ex_flow_find("F14"));
    assert_null(ex_flow_find(NULL));
}

/* "5.3.1-5.3.2" in code is written "5.3.1–5.3.2" (en dash) in the doc. */
static void doc_form(const char *in, char *out, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; in[i] && k + 4 < n; i++) {
        if (in[i] == '-' && i > 0) {
            memcpy(out + k, "\xe2\x80\x93", 3);
            k += 3;
        } else {
            out[k++] = in[i];
        }
    }
    out[k] = '\0';
}

/* Every row of the doc's flow table names the same clauses. */
static void test_doc_agrees(void **state)
{
    (void) state;
    char *doc = read_file(EXAMPLES_DOC, NULL);
    assert_non_null(doc);
    for (size_t i = 0; i < ex_flow_count(); i++) {
        const struct ex_flow *f = ex_flow_at(i);
        char row[16];
        snprintf(row, sizeof(row), "\n| %s |", f->id);
        const char *r = strstr(doc, row);
        if (!r)
            fprintf(stderr, "doc/examples.md has no row for %s\n", f->id);
        assert_non_null(r);
        size_t start = (size_t) (r - doc) + 1; /* after the newline */
        size_t len = strcspn(doc + start, "\n");
        char line[1024];
        size_t n = len < sizeof(line) - 1 ? len : sizeof(line) - 1;
        memcpy(line, doc + start, n);
        line[n] = '\0';
        char hnb[64], henb[64];
        doc_form(f->clause_hnb, hnb, sizeof(hnb));
        doc_form(f->clause_henb, henb, sizeof(henb));
        if (!strstr(line, hnb) || (strcmp(f->clause_henb, "-") && !strstr(line, henb)))
            fprintf(stderr, "%s: doc row does not name %s / %s:\n%s\n", f->id, hnb, henb, line);
        assert_non_null(strstr(line, hnb));
        if (strcmp(f->clause_henb, "-"))
            assert_non_null(strstr(line, henb));
    }
    test_free(doc);
}

static void test_trace_record(void **state)
{
    (void) state;
    struct ex_buf b;
    ex_buf_init(&b, &test_allocator, 0);
    trace_write_header(&b);
    ex_flow_write_trace(&b, ex_flow_find("F9"));
    struct trace *t = NULL;
    assert_int_equal(trace_parse(b.data, b.len, &test_allocator, &t, NULL), 0);
    assert_int_equal(t->nflows, 1);
    assert_string_equal(t->flows[0].clause, "5.4 / -");
    trace_free(t);
    ex_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_doc_agrees),
        cmocka_unit_test(test_trace_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
