/*
 * libcwmp examples - tests of the PM measurement file writer.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mxml.h>

#include "pm.h"

#define T_1500 1795359600LL /* 2026-11-22T15:00:00Z */
#define T_2345 1795391100LL /* 2026-11-22T23:45:00Z */

static void quiet_mxml(const char *msg)
{
    (void) msg;
}

static struct pm_file_params base_params(void)
{
    struct pm_file_params p = {0};
    p.rat = PM_RAT_UMTS;
    p.sender_name = "HNB-00D09E-SN0001";
    p.vendor_name = "libcwmp example";
    p.begin_s = T_1500;
    p.gran_s = 900;
    p.cells = 2;
    return p;
}

static void test_name(void **state)
{
    (void) state;
    struct pm_file_params p = base_params();
    char name[128];
    assert_int_equal(pm_file_name(&p, name, sizeof(name)), 0);
    assert_string_equal(name, "A20261122.1500+0000-1515+0000_HNB-00D09E-SN0001.xml");

    p.begin_s = T_2345; /* crosses midnight: the end date is written */
    p.sender_name = "X";
    assert_int_equal(pm_file_name(&p, name, sizeof(name)), 0);
    assert_string_equal(name, "A20261122.2345+0000-20261123.0000+0000_X.xml");

    p.begin_s = T_1500;
    p.tz_minutes = 330; /* +05:30 */
    assert_int_equal(pm_file_name(&p, name, sizeof(name)), 0);
    assert_string_equal(name, "A20261122.2030+0530-2045+0530_X.xml");
    p.tz_minutes = -300;
    assert_int_equal(pm_file_name(&p, name, sizeof(name)), 0);
    assert_string_equal(name, "A20261122.1000-0500-1015-0500_X.xml");

    /* A hostile sender name cannot leave the directory or hide the file. */
    p.tz_minutes = 0;
    p.sender_name = "../../etc/passwd <x>";
    assert_int_equal(pm_file_name(&p, name, sizeof(name)), 0);
    assert_string_equal(name, "A20261122.1500+0000-1515+0000__._.._etc_passwd__x_.xml");
    assert_null(strchr(name, '/'));

    assert_int_equal(pm_file_name(&p, name, 10), CWMP_ERR_BUFFER);
    p.gran_s = 0;
    assert_int_equal(pm_file_name(&p, name, sizeof(name)), CWMP_ERR_INVALID_ARG);
    p.gran_s = 900;
    p.sender_name = "";
    assert_int_equal(pm_file_name(&p, name, sizeof(name)), CWMP_ERR_INVALID_ARG);
    p.sender_name = "X";
    p.tz_minutes = 1440;
    assert_int_equal(pm_file_name(&p, name, sizeof(name)), CWMP_ERR_INVALID_ARG);

    char t[40];
    assert_int_equal(pm_format_time(T_1500, 60, t, sizeof(t)), 0);
    assert_string_equal(t, "2026-11-22T16:00:00+01:00");
    assert_int_equal(pm_format_time(0, 0, t, sizeof(t)), 0);
    assert_string_equal(t, "1970-01-01T00:00:00+00:00");
    assert_int_equal(pm_format_time(-86400 * 366, 0, t, sizeof(t)), 0);
    assert_string_equal(t, "1968-12-31T00:00:00+00:00");
}

static const char *attr(mxml_node_t *tree, const char *elem, const char *name)
{
    mxml_node_t *n = mxmlFindElement(tree, tree, elem, NULL, NULL, MXML_DESCEND);
    assert_non_null(n);
    const char *v = mxmlElementGetAttr(n, name);
    assert_non_null(v);
    return v;
}

static int count(mxml_node_t *tree, const char *elem)
{
    int n = 0;
    for (mxml_node_t *x = mxmlFindElement(tree, tree, elem, NULL, NULL, MXML_DESCEND); x;
         x = mxmlFindElement(x, tree, elem, NULL, NULL, MXML_DESCEND))
        n++;
    return n;
}

static void check_file(const char *xml, enum pm_rat rat, unsigned cells)
{
    mxmlSetErrorCallback(quiet_mxml);
    mxml_node_t *tree = mxmlLoadString(NULL, xml, MXML_OPAQUE_CALLBACK);
    assert_non_null(tree);
    mxml_node_t *root = mxmlFindElement(tree, tree, "measCollecFile", NULL, NULL, MXML_DESCEND);
    assert_non_null(root);
    assert_string_equal(mxmlElementGetAttr(root, "xmlns"),
                        "http://www.3gpp.org/ftp/specs/archive/32_series/32.435#measCollec");
    assert_non_null(strstr(attr(root, "fileHeader", "fileFormatVersion"), "32.435"));
    assert_string_equal(attr(root, "fileSender", "elementType"),
                        rat == PM_RAT_LTE ? "HeNB" : "HNB");
    assert_string_equal(attr(root, "measCollec", "beginTime"), "2026-11-22T15:00:00+00:00");
    assert_string_equal(attr(root, "granPeriod", "duration"), "PT900S");
    assert_string_equal(attr(root, "granPeriod", "endTime"), "2026-11-22T15:15:00+00:00");
    assert_string_equal(attr(root, "repPeriod", "duration"), "PT900S");
    mxml_node_t *footer = mxmlFindElement(root, root, "fileFooter", NULL, NULL, MXML_DESCEND);
    assert_non_null(footer);
    assert_string_equal(attr(footer, "measCollec", "endTime"), "2026-11-22T15:15:00+00:00");
    assert_int_equal(count(root, "measType"), 8);
    assert_int_equal(count(root, "measValue"), (int) cells);
    assert_int_equal(count(root, "r"), (int) (8 * cells));

    /* Every r p= refers to a measType p=, and successes <= attempts. */
    for (mxml_node_t *mv = mxmlFindElement(root, root, "measValue", NULL, NULL, MXML_DESCEND); mv;
         mv = mxmlFindElement(mv, root, "measValue", NULL, NULL, MXML_DESCEND)) {
        unsigned long long v[9] = {0};
        for (mxml_node_t *r = mxmlFindElement(mv, mv, "r", NULL, NULL, MXML_DESCEND); r;
             r = mxmlFindElement(r, mv, "r", NULL, NULL, MXML_DESCEND)) {
            int p = atoi(mxmlElementGetAttr(r, "p"));
            assert_true(p >= 1 && p <= 8);
            v[p] = strtoull(mxmlGetOpaque(r), NULL, 10);
        }
        assert_true(v[2] <= v[1]);
        assert_true(v[4] <= v[3]);
        assert_true(v[6] <= v[5]);
    }
    const char *first = rat == PM_RAT_LTE ? "RRC.ConnEstabAtt.Sum" : "RRC.AttConnEstab.Sum";
    mxml_node_t *mt = mxmlFindElement(root, root, "measType", "p", "1", MXML_DESCEND);
    assert_non_null(mt);
    assert_string_equal(mxmlGetOpaque(mt), first);
    mxmlDelete(tree);
}

static void test_well_formed(void **state)
{
    (void) state;
    struct pm_file_params p = base_params();
    for (int rat = PM_RAT_UMTS; rat <= PM_RAT_LTE; rat++) {
        p.rat = (enum pm_rat) rat;
        struct pm_rng rng = {42};
        char *xml = NULL;
        size_t len = 0;
        assert_int_equal(pm_file_write(&p, &rng, &test_allocator, &xml, &len), 0);
        assert_int_equal(strlen(xml), len);
        check_file(xml, p.rat, 2);
        test_free(xml);
    }
}

static void test_deterministic(void **state)
{
    (void) state;
    struct pm_file_params p = base_params();
    struct pm_rng r1 = {7}, r2 = {7}, r3 = {8};
    char *a = NULL, *b = NULL, *c = NULL;
    assert_int_equal(pm_file_write(&p, &r1, &test_allocator, &a, NULL), 0);
    assert_int_equal(pm_file_write(&p, &r2, &test_allocator, &b, NULL), 0);
    assert_int_equal(pm_file_write(&p, &r3, &test_allocator, &c, NULL), 0);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_int_equal(r1.state, r2.state); /* the state advanced the same way */
    assert_int_not_equal(r1.state, 7);
    test_free(a);
    test_free(b);
    test_free(c);
}

static void test_escaping(void **state)
{
    (void) state;
    struct pm_file_params p = base_params();
    p.vendor_name = "A&B <\"quoted\"> 'co'\tLtd \xc3\xa9";
    p.dn_prefix = "SubNetwork=1,MeContext=<x>&";
    p.sender_name = "HNB\"/><evil/>";
    struct pm_rng rng = {1};
    char *xml = NULL;
    assert_int_equal(pm_file_write(&p, &rng, &test_allocator, &xml, NULL), 0);
    assert_null(strstr(xml, "<evil/>"));
    mxmlSetErrorCallback(quiet_mxml);
    mxml_node_t *tree = mxmlLoadString(NULL, xml, MXML_OPAQUE_CALLBACK);
    assert_non_null(tree);
    assert_string_equal(attr(tree, "fileHeader", "vendorName"), p.vendor_name);
    assert_string_equal(attr(tree, "fileHeader", "dnPrefix"), p.dn_prefix);
    assert_string_equal(attr(tree, "fileSender", "localDn"), p.sender_name);
    assert_null(mxmlFindElement(tree, tree, "evil", NULL, NULL, MXML_DESCEND));
    mxmlDelete(tree);
    test_free(xml);

    /* Text XML cannot carry is refused, not written. */
    const char *bad[] = {"ctl\x01", "bad utf8 \xc3", "\xed\xa0\x80 surrogate", "del\x7f"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        p.vendor_name = bad[i];
        xml = (char *) 1;
        assert_int_equal(pm_file_write(&p, &rng, &test_allocator, &xml, NULL), CWMP_ERR_ENCODING);
        assert_null(xml);
    }
    p.vendor_name = NULL;
    assert_int_equal(pm_file_write(NULL, &rng, &test_allocator, &xml, NULL), CWMP_ERR_INVALID_ARG);
    p.cells = PM_MAX_CELLS + 1;
    assert_int_equal(pm_file_write(&p, &rng, &test_allocator, &xml, NULL), CWMP_ERR_INVALID_ARG);
}

static void test_next_upload(void **state)
{
    (void) state;
    /* Aligned on the epoch: quarter hours. */
    assert_int_equal(pm_next_upload(T_1500, 900, 0), T_1500 + 900);
    assert_int_equal(pm_next_upload(T_1500 + 1, 900, 0), T_1500 + 900);
    assert_int_equal(pm_next_upload(T_1500 - 1, 900, 0), T_1500);
    /* Phase 5 minutes past the hour, phase in the future or the past. */
    assert_int_equal(pm_next_upload(T_1500, 900, T_1500 + 300), T_1500 + 300);
    assert_int_equal(pm_next_upload(T_1500, 900, T_1500 + 300 + 9000), T_1500 + 300);
    assert_int_equal(pm_next_upload(T_1500 + 300, 900, T_1500 - 600), T_1500 + 1200);
    assert_int_equal(pm_next_upload(T_1500, 0, 0), -1);
}

static int sweep_write(const struct cwmp_allocator *a, void *ctx)
{
    (void) ctx;
    struct pm_file_params p = base_params();
    p.cells = PM_MAX_CELLS;
    struct pm_rng rng = {3};
    char *xml = NULL;
    int rv = pm_file_write(&p, &rng, a, &xml, NULL);
    if (rv == 0) {
        assert_non_null(strstr(xml, "</measCollecFile>"));
        a->free(xml, a->user_data);
    } else {
        assert_null(xml);
    }
    return rv;
}

static void test_alloc_sweep(void **state)
{
    (void) state;
    assert_true(alloc_sweep(sweep_write, NULL, CWMP_ERR_NOMEM, 64) >= 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name),          cmocka_unit_test(test_well_formed),
        cmocka_unit_test(test_deterministic), cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_next_upload),   cmocka_unit_test(test_alloc_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
