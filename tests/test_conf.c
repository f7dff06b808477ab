/*
 * libcwmp examples - tests of the config and policy files.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

#ifndef EXAMPLES_CONF_DIR
#error "EXAMPLES_CONF_DIR must point to examples/conf"
#endif

static struct conf_doc *load_file(const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", EXAMPLES_CONF_DIR, name);
    size_t len = 0;
    char *text = read_file(path, &len);
    assert_non_null(text);
    struct conf_doc *d = NULL;
    struct conf_error err;
    int rv = conf_parse(text, len, &test_allocator, &d, &err);
    if (rv)
        fprintf(stderr, "%s:%d: %s\n", name, err.line, err.msg);
    assert_int_equal(rv, 0);
    test_free(text);
    return d;
}

static void test_agent_samples(void **state)
{
    (void) state;
    struct conf_doc *d = load_file("hnb-agent.conf");
    struct conf_agent a;
    struct conf_error err;
    assert_int_equal(conf_agent_load(d, &a, &err), 0);
    assert_string_equal(a.initial_hms_url, "https://hms-initial.example.net:7548/cwmp");
    assert_string_equal(a.initial_segw, "segw-initial.example.net");
    assert_string_equal(a.root_ca, "pki/operator-root-ca.pem");
    assert_int_equal(a.cr_port, 7550);
    assert_int_equal(a.rat, CONF_RAT_UMTS);
    assert_int_equal(a.root, CONF_ROOT_IGD);
    assert_string_equal(a.oui, "00D09E");
    assert_string_equal(a.serial, "HNB-0001");
    assert_true(a.has_gps);
    assert_int_equal(a.gps_lat_udeg, 48856613);
    assert_int_equal(a.gps_lon_udeg, 2352222);
    assert_int_equal(a.nrem, 2);
    assert_string_equal(a.rem[1].plmn, "20801");
    assert_int_equal(a.rem[1].area, 1234);
    assert_int_equal(a.rem[1].cell_id, 268000002);
    conf_free(d);

    d = load_file("henb-agent.conf");
    assert_int_equal(conf_agent_load(d, &a, &err), 0);
    assert_int_equal(a.rat, CONF_RAT_LTE);
    assert_int_equal(a.root, CONF_ROOT_DEVICE);
    assert_null(a.initial_segw);
    assert_false(a.has_gps);
    assert_string_equal(a.manufacturer, "libcwmp example"); /* default */
    conf_free(d);
}

static void test_hms_sample_and_policy(void **state)
{
    (void) state;
    struct conf_doc *d = load_file("hms.conf");
    struct conf_hms *h = NULL;
    struct conf_error err;
    int rv = conf_hms_load(d, &h, &err);
    if (rv)
        fprintf(stderr, "hms.conf:%d: %s\n", err.line, err.msg);
    assert_int_equal(rv, 0);
    assert_int_equal(h->role, CONF_HMS_BOTH);
    assert_string_equal(h->listen_host, "127.0.0.1");
    assert_int_equal(h->listen_port, 7548);
    assert_int_equal(h->npolicies, 3);
    const struct conf_policy *p = &h->policies[0];
    assert_string_equal(p->name, "paris-umts");
    assert_int_equal(p->nset, 2);
    assert_string_equal(p->set[1].name,
                        "InternetGatewayDevice.Services.FAPService.1.CellConfig.UMTS.RAN.RNCID");
    assert_string_equal(p->set[1].type, "unsignedInt");
    assert_string_equal(p->set[1].value, "501");
    assert_string_equal(p->pm_password, "pm secret");
    assert_int_equal(p->pm_interval, 900);
    assert_int_equal(p->ipsec, 1);
    assert_int_equal(h->policies[1].cm, CONF_CM_FILE);
    assert_int_equal(h->policies[1].nalarm, 2);
    assert_int_equal(h->policies[1].alarm[1].mech, CONF_ALARM_EXPEDITED);
    assert_string_equal(h->policies[1].alarm[1].cause, "Temperature unacceptable");
    assert_string_equal(conf_alarm_mech_tr196(h->policies[1].alarm[0].mech), "1 Queued");

    /* Selection by identity and location. */
    struct conf_device_info hnb = {"00D09E", "FAP-UMTS", "HNB-0001", CONF_RAT_UMTS, 1, 48856613,
                                   2352222,  NULL,       0};
    assert_ptr_equal(conf_policy_select(h, &hnb), &h->policies[0]);
    hnb.lat_udeg = 45000000; /* outside Paris: falls through to default */
    assert_ptr_equal(conf_policy_select(h, &hnb), &h->policies[2]);
    hnb.has_gps = 0;
    assert_ptr_equal(conf_policy_select(h, &hnb), &h->policies[2]);
    const char *plmns[] = {"20810", "20801"};
    struct conf_device_info henb = {"00D09E", "FAP-LTE", "HENB-0001", CONF_RAT_LTE, 0, 0, 0,
                                    plmns,    2};
    assert_ptr_equal(conf_policy_select(h, &henb), &h->policies[1]);
    henb.nplmns = 1;
    assert_ptr_equal(conf_policy_select(h, &henb), &h->policies[2]);
    conf_hms_free(h);
    conf_free(d);
}

static void test_match_serial_prefix(void **state)
{
    (void) state;
    const char *t = "[hms]\nrole = serving\nlisten = [::1]:7547\ndatabase = x.db\n"
                    "[policy \"lab\"]\nmatch_serial = LAB-*\nmatch_oui = 00D09E\n"
                    "serving_hms_url = http://[::1]:7547/\n";
    struct conf_doc *d = NULL;
    struct conf_hms *h = NULL;
    struct conf_error err;
    assert_int_equal(conf_parse(t, strlen(t), &test_allocator, &d, &err), 0);
    assert_int_equal(conf_hms_load(d, &h, &err), 0);
    assert_string_equal(h->listen_host, "::1");
    struct conf_device_info dev = {"00D09E", "", "LAB-42", CONF_RAT_LTE, 0, 0, 0, NULL, 0};
    assert_ptr_equal(conf_policy_select(h, &dev), &h->policies[0]);
    dev.serial = "PROD-1";
    assert_null(conf_policy_select(h, &dev));
    dev.serial = "LAB-1";
    dev.oui = "00D09F";
    assert_null(conf_policy_select(h, &dev));
    conf_hms_free(h);
    conf_free(d);
}

struct bad {
    const char *text;
    int which; /* 0 = syntax, 1 = agent, 2 = hms */
    int rv;
    int line;
    const char *msg_part;
};

#define AGENT_OK                                                                                   \
    "[agent]\ninitial_hms_url = https://h.example/\nstate_dir = s\nrat = lte\n"                    \
    "[device]\noui = 00D09E\nserial = S1\n"
#define HMS_OK "[hms]\nrole = initial\nlisten = 127.0.0.1:7547\ndatabase = r.db\n"

static const struct bad bad_cases[] = {
    {"[agent\n", 0, CWMP_ERR_PARSE, 1, "']'"},
    {"[Agent]\n", 0, CWMP_ERR_PARSE, 1, "section name"},
    {"\n[agent] x\n", 0, CWMP_ERR_PARSE, 2, "after the section"},
    {"[agent]\nkey value\n", 0, CWMP_ERR_PARSE, 2, "'='"},
    {"[agent]\nKey = v\n", 0, CWMP_ERR_PARSE, 2, "key = value"},
    {"[agent]\nk = \"unterminated\n", 0, CWMP_ERR_PARSE, 2, "quoted"},
    {"[agent]\nk = \"a\\nb\"\n", 0, CWMP_ERR_PARSE, 2, "quoted"},
    {"[agent]\nk = \"a\" junk\n", 0, CWMP_ERR_PARSE, 2, "closing quote"},
    {"[agent]\nk = \x01\n", 0, CWMP_ERR_ENCODING, 2, "control"},
    {"[agent]\nk = \xc3\x28\n", 0, CWMP_ERR_ENCODING, 2, "UTF-8"},
    {"[agent]\nk = a\rb\n", 0, CWMP_ERR_ENCODING, 2, "control"},
    {AGENT_OK "[agents]\n", 1, CWMP_ERR_PARSE, 8, "unknown section"},
    {"x = 1\n" AGENT_OK, 1, CWMP_ERR_PARSE, 1, "outside any section"},
    {AGENT_OK "colour = blue\n", 1, CWMP_ERR_PARSE, 8, "unknown key 'colour' in [device]"},
    {AGENT_OK "serial = S2\n", 1, CWMP_ERR_PARSE, 8, "twice"},
    {AGENT_OK "oui = 00d09e\n", 1, CWMP_ERR_PARSE, 8, "twice"},
    {"[agent]\ninitial_hms_url = ftp://h/\n", 1, CWMP_ERR_BAD_VALUE, 2, "initial_hms_url"},
    {"[agent]\ninitial_hms_url = https://h:99999/\n", 1, CWMP_ERR_BAD_VALUE, 2, "initial_hms"},
    {"[agent]\ninitial_hms_url = https://h x/\n", 1, CWMP_ERR_BAD_VALUE, 2, "initial_hms"},
    {"[agent]\ncr_port = 0\n", 1, CWMP_ERR_BAD_VALUE, 2, "cr_port"},
    {"[agent]\nrat = gsm\n", 1, CWMP_ERR_BAD_VALUE, 2, "rat"},
    {"[device]\noui = 00d09e\n", 1, CWMP_ERR_BAD_VALUE, 2, "oui"},
    {"[device]\ngps = 91.0,2.0\n", 1, CWMP_ERR_BAD_VALUE, 2, "gps"},
    {"[device]\ngps = 48.1234567,2.0\n", 1, CWMP_ERR_BAD_VALUE, 2, "gps"},
    {"[device]\ngps = 48.1\n", 1, CWMP_ERR_BAD_VALUE, 2, "gps"},
    {"[device]\nrem_cell = 2080,1,1\n", 1, CWMP_ERR_BAD_VALUE, 2, "rem_cell"},
    {"[device]\nrem_cell = 20801,70000,1\n", 1, CWMP_ERR_BAD_VALUE, 2, "rem_cell"},
    {"[agent]\nstate_dir = s\nrat = lte\n", 1, CWMP_ERR_MISSING_ARG, 0, "initial_hms_url"},
    {"[agent]\ninitial_hms_url = http://10.0.0.1/\nstate_dir = s\n[device]\noui = 00D09E\n"
     "serial = S\n",
     1, CWMP_ERR_MISSING_ARG, 0, "rat"},
    {HMS_OK "[policy]\n", 2, CWMP_ERR_PARSE, 5, "needs a name"},
    {HMS_OK "[hms \"x\"]\n", 2, CWMP_ERR_PARSE, 5, "no argument"},
    {HMS_OK "[policy \"a\"]\n[policy \"a\"]\n", 2, CWMP_ERR_PARSE, 6, "twice"},
    {HMS_OK "role = serving\n", 2, CWMP_ERR_PARSE, 5, "twice"},
    {HMS_OK "[policy \"a\"]\nset = Device.A unsignedInt -1\n", 2, CWMP_ERR_BAD_VALUE, 6,
     "does not match"},
    {HMS_OK "[policy \"a\"]\nset = Device.A float 1\n", 2, CWMP_ERR_BAD_VALUE, 6, "unknown type"},
    {HMS_OK "[policy \"a\"]\nset = A.B string x\n", 2, CWMP_ERR_BAD_VALUE, 6, "parameter path"},
    {HMS_OK "[policy \"a\"]\nalarm = loud *\n", 2, CWMP_ERR_BAD_VALUE, 6, "alarm"},
    {HMS_OK "[policy \"a\"]\nalarm = queued\n", 2, CWMP_ERR_BAD_VALUE, 6, "alarm"},
    {HMS_OK "[policy \"a\"]\nmatch_area = 1,0,0,1\n", 2, CWMP_ERR_BAD_VALUE, 6, "match_area"},
    {HMS_OK "[policy \"a\"]\ns1_far_end = 10.0.0.1,,10.0.0.2\n", 2, CWMP_ERR_BAD_VALUE, 6,
     "s1_far_end"},
    {HMS_OK "[policy \"a\"]\ncm = file\n", 2, CWMP_ERR_MISSING_ARG, 5, "cm_file"},
    {HMS_OK "[policy \"a\"]\npm_enable = true\n", 2, CWMP_ERR_MISSING_ARG, 5, "pm_url"},
    {HMS_OK "[policy \"a\"]\npm_interval = 0\n", 2, CWMP_ERR_BAD_VALUE, 6, "pm_interval"},
    {HMS_OK "[policy \"a\"]\nipsec = yes\n", 2, CWMP_ERR_BAD_VALUE, 6, "ipsec"},
    {"[hms]\nrole = both\nlisten = 127.0.0.1\n", 2, CWMP_ERR_BAD_VALUE, 3, "listen"},
    {"[hms]\nrole = both\nlisten = 127.0.0.1:1\n", 2, CWMP_ERR_MISSING_ARG, 0, "database"},
};

static void test_errors(void **state)
{
    (void) state;
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const struct bad *c = &bad_cases[i];
        struct conf_doc *d = NULL;
        struct conf_error err;
        int rv = conf_parse(c->text, strlen(c->text), &test_allocator, &d, &err);
        if (rv == 0 && c->which == 1) {
            struct conf_agent a;
            rv = conf_agent_load(d, &a, &err);
        } else if (rv == 0 && c->which == 2) {
            struct conf_hms *h = (struct conf_hms *) 1;
            rv = conf_hms_load(d, &h, &err);
            if (rv)
                assert_null(h);
            conf_hms_free(rv ? NULL : h);
        }
        conf_free(d);
        if (rv != c->rv || err.line != c->line || !strstr(err.msg, c->msg_part))
            fprintf(stderr, "case %zu: rv %d line %d: %s\n", i, rv, err.line, err.msg);
        assert_int_equal(rv, c->rv);
        assert_int_equal(err.line, c->line);
        assert_non_null(strstr(err.msg, c->msg_part));
    }
}

static void test_syntax_details(void **state)
{
    (void) state;
    const char *t = "# comment\r\n\r\n  [agent]  \r\n"
                    "  k1=v1\r\n"
                    "k2 =   spaced value   \r\n"
                    "k3 = \"  quoted \\\"x\\\" \\\\ \"\r\n"
                    "k4 =\n"
                    "k5 = value # not a comment\n"
                    "[policy \"a \\\"b\\\"\"]";
    struct conf_doc *d = NULL;
    struct conf_error err;
    assert_int_equal(conf_parse(t, strlen(t), &test_allocator, &d, &err), 0);
    assert_int_equal(d->nentries, 5);
    assert_string_equal(d->entries[0].key, "k1");
    assert_string_equal(d->entries[0].value, "v1");
    assert_int_equal(d->entries[0].line, 4);
    assert_string_equal(d->entries[1].value, "spaced value");
    assert_string_equal(d->entries[2].value, "  quoted \"x\" \\ ");
    assert_string_equal(d->entries[3].value, "");
    assert_string_equal(d->entries[4].value, "value # not a comment");
    assert_int_equal(d->nsections, 3);
    assert_string_equal(d->sections[2].arg, "a \"b\"");
    conf_free(d);

    /* Limits. */
    char *big = test_malloc(CONF_MAX_LINE + 16);
    memcpy(big, "[agent]\nk = ", 12);
    memset(big + 12, 'x', CONF_MAX_LINE);
    assert_int_equal(conf_parse(big, CONF_MAX_LINE + 12, &test_allocator, &d, &err),
                     CWMP_ERR_LIMIT);
    assert_int_equal(err.line, 2);
    test_free(big);
    assert_int_equal(conf_parse("x", CONF_MAX_BYTES + 1, &test_allocator, &d, &err),
                     CWMP_ERR_LIMIT);
    assert_int_equal(conf_parse("a\0b", 3, &test_allocator, &d, &err), CWMP_ERR_ENCODING);
    assert_int_equal(conf_parse("", 0, &test_allocator, &d, &err), 0);
    assert_int_equal(d->nentries, 0);
    conf_free(d);

    int32_t v;
    assert_int_equal(conf_parse_degrees("-180", 180, &v), 0);
    assert_int_equal(v, -180000000);
    assert_int_equal(conf_parse_degrees("0.5", 90, &v), 0);
    assert_int_equal(v, 500000);
    assert_int_equal(conf_parse_degrees("180.000001", 180, &v), CWMP_ERR_BAD_VALUE);
    assert_int_equal(conf_parse_degrees("1.", 90, &v), CWMP_ERR_BAD_VALUE);
    assert_int_equal(conf_parse_degrees("+1", 90, &v), CWMP_ERR_BAD_VALUE);
}

static int sweep_hms(const struct cwmp_allocator *a, void *ctx)
{
    const char *text = ctx;
    struct conf_doc *d = NULL;
    struct conf_hms *h = NULL;
    int rv = conf_parse(text, strlen(text), a, &d, NULL);
    if (rv == 0)
        rv = conf_hms_load(d, &h, NULL);
    if (rv == 0)
        assert_int_equal(h->npolicies, 3);
    conf_hms_free(h);
    conf_free(d);
    return rv;
}

static void test_alloc_sweep(void **state)
{
    (void) state;
    char path[512];
    snprintf(path, sizeof(path), "%s/hms.conf", EXAMPLES_CONF_DIR);
    char *text = read_file(path, NULL);
    assert_non_null(text);
    assert_true(alloc_sweep(sweep_hms, text, CWMP_ERR_NOMEM, 200) >= 5);
    test_free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_agent_samples),       cmocka_unit_test(test_hms_sample_and_policy),
        cmocka_unit_test(test_match_serial_prefix), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_syntax_details),      cmocka_unit_test(test_alloc_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
