/*
 * libcwmp examples - tests of the agent's control commands.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "agentctl.h"

static void test_parse_ok(void **state)
{
    (void) state;
    struct agent_ctl_req r;
    char err[160];
    assert_int_equal(agent_ctl_parse("ip-change 172.16.0.9\n", &r, err, sizeof(err)), 0);
    assert_int_equal(r.cmd, AGENT_CTL_IP_CHANGE);
    assert_string_equal(r.address, "172.16.0.9");
    assert_int_equal(agent_ctl_parse("  ip-change  2001:db8::5\r\n", &r, err, sizeof(err)), 0);
    assert_string_equal(r.address, "2001:db8::5");
    assert_int_equal(agent_ctl_parse("reboot", &r, err, sizeof(err)), 0);
    assert_int_equal(r.cmd, AGENT_CTL_REBOOT);
    assert_int_equal(agent_ctl_parse("inform", &r, err, sizeof(err)), 0);
    assert_int_equal(r.cmd, AGENT_CTL_INFORM);
    assert_int_equal(agent_ctl_parse("status", &r, err, sizeof(err)), 0);
    assert_int_equal(r.cmd, AGENT_CTL_STATUS);

    assert_int_equal(agent_ctl_parse("alarm raise cause=\"Temperature unacceptable\" "
                                     "type=\"Environmental Alarm\" severity=Critical "
                                     "text=\"sensor \\\"A\\\" at 85\\\\90 C\"",
                                     &r, err, sizeof(err)),
                     0);
    assert_int_equal(r.cmd, AGENT_CTL_ALARM_RAISE);
    assert_string_equal(r.cause, "Temperature unacceptable");
    assert_string_equal(r.type, "Environmental Alarm");
    assert_string_equal(r.severity, "Critical");
    assert_string_equal(r.text, "sensor \"A\" at 85\\90 C");
    assert_int_equal(agent_ctl_parse("alarm raise cause=PowerProblem", &r, err, sizeof(err)), 0);
    assert_string_equal(r.severity, "Major"); /* default */
    assert_int_equal(agent_ctl_parse("alarm clear id=42", &r, err, sizeof(err)), 0);
    assert_int_equal(r.cmd, AGENT_CTL_ALARM_CLEAR);
    assert_string_equal(r.id, "42");
}

static void test_parse_errors(void **state)
{
    (void) state;
    const char *bad[] = {
        "",
        "explode",
        "reboot now",
        "ip-change",
        "ip-change 300.1.1.1",
        "ip-change 10.0.0.1 extra",
        "alarm",
        "alarm ring cause=x",
        "alarm raise",
        "alarm raise severity=Major",
        "alarm raise cause=x severity=Loud",
        "alarm raise cause=x cause=y",
        "alarm raise cause=x colour=red",
        "alarm raise cause=x id=3",
        "alarm raise cause=\"unterminated",
        "alarm raise cause=\"x\"y",
        "alarm raise cause=a\"b",
        "alarm raise cause=\"bad \\n escape\"",
        "alarm raise cause=\"ctl \x01\"",
        "alarm clear",
        "alarm clear cause=x id=1",
        "alarm clear cause=x type=y",
        "alarm raise cause",
        "reboot\nreboot",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct agent_ctl_req r;
        char err[160];
        int rv = agent_ctl_parse(bad[i], &r, err, sizeof(err));
        if (rv == 0)
            fprintf(stderr, "accepted: %s\n", bad[i]);
        assert_true(rv < 0);
        assert_true(err[0] != '\0');
    }
    char longline[AGENT_CTL_MAX_LINE + 20];
    memset(longline, 'a', sizeof(longline) - 1);
    longline[sizeof(longline) - 1] = '\0';
    struct agent_ctl_req r;
    assert_int_equal(agent_ctl_parse(longline, &r, NULL, 0), CWMP_ERR_LIMIT);
    char longcause[400];
    snprintf(longcause, sizeof(longcause), "alarm raise cause=%0100d", 0);
    assert_int_equal(agent_ctl_parse(longcause, &r, NULL, 0), CWMP_ERR_BAD_VALUE);
}

static void test_format_roundtrip(void **state)
{
    (void) state;
    struct agent_ctl_req in = {.cmd = AGENT_CTL_ALARM_RAISE};
    snprintf(in.cause, sizeof(in.cause), "Temperature \"very\" unacceptable");
    snprintf(in.severity, sizeof(in.severity), "Minor");
    snprintf(in.text, sizeof(in.text), "back\\slash and spaces");
    snprintf(in.object, sizeof(in.object), "HNBFunction=1");
    struct agent_ctl_req reqs[4] = {in};
    reqs[1] = (struct agent_ctl_req){.cmd = AGENT_CTL_ALARM_CLEAR};
    snprintf(reqs[1].cause, sizeof(reqs[1].cause), "Temperature \"very\" unacceptable");
    reqs[2] = (struct agent_ctl_req){.cmd = AGENT_CTL_IP_CHANGE};
    snprintf(reqs[2].address, sizeof(reqs[2].address), "fe80::1");
    reqs[3] = (struct agent_ctl_req){.cmd = AGENT_CTL_STATUS};
    for (int i = 0; i < 4; i++) {
        struct ex_buf b;
        ex_buf_init(&b, &test_allocator, 0);
        agent_ctl_format(&reqs[i], &b);
        assert_int_equal(ex_buf_error(&b), 0);
        struct agent_ctl_req out;
        char err[160];
        int rv = agent_ctl_parse(b.data, &out, err, sizeof(err));
        if (rv)
            fprintf(stderr, "%s -> %s\n", b.data, err);
        assert_int_equal(rv, 0);
        assert_memory_equal(&out, &reqs[i], sizeof(out));
        ex_buf_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_ok),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_format_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
