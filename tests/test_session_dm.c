/*
 * libcwmp tests - the CPE agent on a real data-model tree (built-in
 * Device:2 schema) against the ACS engine: every parameter RPC, the Inform
 * ParameterList (forcedInform, InformParameter.{i}, value changes), the
 * ManagementServer parameters read back after a session (periodic Inform,
 * retry settings, URL change -> 0 BOOTSTRAP).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdlib.h>

#include <cwmp/datamodel.h>

#include "session_harness.h"

struct fixture {
    struct world w;
    struct cwmp_dm *dm;
};

static struct fixture *fixture_new(void)
{
    struct fixture *f = test_calloc(1, sizeof(*f));
    const struct cwmp_dm_schema *schema = cwmp_dm_schema_builtin(CWMP_DM_MODEL_DEVICE2);
    if (!schema) {
        test_free(f);
        return NULL;
    }
    /* SESSION_PLAIN_ALLOC=1: the C library's allocator, so ASan sees every block */
    const struct cwmp_allocator *a = getenv("SESSION_PLAIN_ALLOC") ? NULL : &test_allocator;
    assert_int_equal(cwmp_dm_new(&f->dm, a, schema, NULL), 0);
    assert_int_equal(
        cwmp_dm_set(f->dm, "Device.ManagementServer.URL", "https://acs.example.net/cwmp"), 0);
    assert_int_equal(cwmp_dm_set(f->dm, "Device.DeviceInfo.SoftwareVersion", "1.0"), 0);
    world_init(&f->w, a);
    f->w.ccfg.allocator = a;
    f->w.acfg.allocator = a;
    f->w.ccfg.dm = f->dm;
    assert_int_equal(world_new_cpe(&f->w, false, CWMP_CPE_START_BOOT), 0);
    return f;
}

static void fixture_free(struct fixture *f)
{
    world_free(&f->w);
    cwmp_dm_free(f->dm);
    test_free(f);
}

/* Everything is created and freed inside each test so cmocka's leak check
 * (which runs right after the test function) sees a clean slate. */
#define FIXTURE()                                                                                  \
    struct fixture *f = fixture_new();                                                             \
    (void) state;                                                                                  \
    if (!f) {                                                                                      \
        print_message("Device:2 schema not compiled in: skipped\n");                               \
        skip();                                                                                    \
    }

static bool inform_has_param(const struct world *w, const char *name)
{
    for (size_t i = 0; i < w->inform_params && i < MAX_LOG; i++)
        if (strcmp(w->inform_param_names[i], name) == 0)
            return true;
    return false;
}

static void test_parameter_rpcs(void **state)
{
    FIXTURE();
    struct world *w = &f->w;
    static const char *const gpv[] = {"Device.DeviceInfo.SoftwareVersion",
                                      "Device.ManagementServer."};
    static const char *const bad[] = {"Device.NoSuchThing"};
    static const struct cwmp_param_value spv[] = {
        {"Device.ManagementServer.PeriodicInformEnable", "1", CWMP_TYPE_BOOLEAN, NULL},
        {"Device.ManagementServer.PeriodicInformInterval", "600", CWMP_TYPE_UNSIGNED_INT, NULL},
        {"Device.ManagementServer.PeriodicInformTime", "2026-01-01T00:00:10Z", CWMP_TYPE_DATETIME,
         NULL},
    };
    static const struct cwmp_param_value spv_bad[] = {
        {"Device.ManagementServer.PeriodicInformInterval", "abc", CWMP_TYPE_NONE, NULL},
    };
    static const struct cwmp_set_param_attribute spa[] = {
        {"Device.DeviceInfo.ProvisioningCode", true, 2, false, NULL, 0},
    };
    static const char *const gpa[] = {"Device.DeviceInfo.ProvisioningCode"};

    memset(w->script, 0, sizeof(w->script));
    w->script[0].method = CWMP_METHOD_GET_PARAMETER_VALUES;
    w->script[0].u.get_parameter_values.names = gpv;
    w->script[0].u.get_parameter_values.name_count = 2;
    w->script[1].method = CWMP_METHOD_SET_PARAMETER_VALUES;
    w->script[1].u.set_parameter_values.params = spv;
    w->script[1].u.set_parameter_values.param_count = 3;
    w->script[1].u.set_parameter_values.parameter_key = "pk1";
    w->script[2].method = CWMP_METHOD_GET_PARAMETER_NAMES;
    w->script[2].u.get_parameter_names.parameter_path = "Device.ManagementServer.";
    w->script[2].u.get_parameter_names.next_level = true;
    w->script[3].method = CWMP_METHOD_SET_PARAMETER_ATTRIBUTES;
    w->script[3].u.set_parameter_attributes.params = spa;
    w->script[3].u.set_parameter_attributes.param_count = 1;
    w->script[4].method = CWMP_METHOD_GET_PARAMETER_ATTRIBUTES;
    w->script[4].u.get_parameter_attributes.names = gpa;
    w->script[4].u.get_parameter_attributes.name_count = 1;
    w->script[5].method = CWMP_METHOD_ADD_OBJECT;
    w->script[5].u.add_object.object_name = "Device.ManagementServer.InformParameter.";
    w->script[5].u.add_object.parameter_key = "pk2";
    w->script[6].method = CWMP_METHOD_GET_PARAMETER_VALUES;
    w->script[6].u.get_parameter_values.names = bad;
    w->script[6].u.get_parameter_values.name_count = 1;
    w->script[7].method = CWMP_METHOD_SET_PARAMETER_VALUES;
    w->script[7].u.set_parameter_values.params = spv_bad;
    w->script[7].u.set_parameter_values.param_count = 1;
    w->script[7].u.set_parameter_values.parameter_key = "pk3";
    w->script[8].method = CWMP_METHOD_DELETE_OBJECT;
    w->script[8].u.delete_object.object_name = "Device.ManagementServer.InformParameter.1.";
    w->script[8].u.delete_object.parameter_key = "pk4";
    for (int i = 0; i < 9; i++)
        w->script[i].kind = CWMP_RPC_REQUEST;
    w->nscript = 9;
    world_session(w);
    assert_int_equal(w->cpe_result, CWMP_SESSION_OK);
    assert_int_equal(w->nresponses, 9);
    /* the Inform carried the forcedInform parameters */
    assert_true(inform_has_param(w, "Device.DeviceInfo.SoftwareVersion"));
    assert_true(inform_has_param(w, "Device.ManagementServer.ParameterKey"));
    assert_int_equal(w->responses[0].kind, CWMP_RPC_RESPONSE);
    assert_true(w->responses[0].count > 10);
    assert_int_equal(w->responses[1].kind, CWMP_RPC_RESPONSE);
    assert_true(w->responses[1].status == 0 || w->responses[1].status == 1);
    assert_int_equal(w->responses[2].kind, CWMP_RPC_RESPONSE);
    assert_true(w->responses[2].count > 10);
    assert_int_equal(w->responses[3].kind, CWMP_RPC_RESPONSE);
    assert_int_equal(w->responses[4].kind, CWMP_RPC_RESPONSE);
    assert_int_equal(w->responses[4].count, 1);
    assert_int_equal(w->responses[5].kind, CWMP_RPC_RESPONSE);
    assert_int_equal(w->responses[5].instance, 1);
    assert_int_equal(w->responses[6].kind, CWMP_RPC_FAULT);
    assert_int_equal(w->responses[6].fault, CWMP_FAULT_INVALID_PARAMETER_NAME);
    assert_int_equal(w->responses[7].kind, CWMP_RPC_FAULT);
    assert_int_equal(w->responses[7].fault, CWMP_FAULT_INVALID_ARGUMENTS);
    assert_int_equal(w->responses[8].kind, CWMP_RPC_RESPONSE);
    assert_string_equal(cwmp_dm_parameter_key(f->dm), "pk4");

    /* the periodic settings written by the ACS are in force: aligned to
     * 2026-01-01T00:00:10Z + k * 600 s */
    int64_t next = cwmp_cpe_next_deadline(w->cpe);
    assert_true(next > w->now && next <= w->now + 600000);
    assert_int_equal((next - 1767225610000LL) % 600000, 0);
    fixture_free(f);
}

static void test_value_change_and_inform_parameter(void **state)
{
    FIXTURE();
    struct world *w = &f->w;
    static const struct cwmp_set_param_attribute spa[] = {
        {"Device.DeviceInfo.ProvisioningCode", true, 2, false, NULL, 0},
        {"Device.ManagementServer.PeriodicInformInterval", true, 1, false, NULL, 0},
    };
    struct cwmp_dm_result r = CWMP_DM_RESULT_INIT;

    memset(w->script, 0, sizeof(w->script));
    w->script[0].method = CWMP_METHOD_SET_PARAMETER_ATTRIBUTES;
    w->script[0].kind = CWMP_RPC_REQUEST;
    w->script[0].u.set_parameter_attributes.params = spa;
    w->script[0].u.set_parameter_attributes.param_count = 2;
    w->nscript = 1;
    world_session(w);
    assert_int_equal(w->responses[0].kind, CWMP_RPC_RESPONSE);

    /* an InformParameter entry, for periodic informs only */
    assert_int_equal(
        cwmp_dm_add_object(f->dm, "Device.ManagementServer.InformParameter.", NULL, &r), 0);
    cwmp_dm_result_free(&r);
    assert_int_equal(cwmp_dm_set(f->dm, "Device.ManagementServer.InformParameter.1.Enable", "1"),
                     0);
    assert_int_equal(cwmp_dm_set(f->dm, "Device.ManagementServer.InformParameter.1.ParameterName",
                                 "Device.DeviceInfo.UpTime"),
                     0);
    assert_int_equal(
        cwmp_dm_set(f->dm, "Device.ManagementServer.InformParameter.1.EventList", "2 PERIODIC"), 0);

    /* a passive change rides on the next Inform; an active one starts a session */
    assert_int_equal(cwmp_dm_set(f->dm, "Device.ManagementServer.PeriodicInformInterval", "900"),
                     0);
    int rv = cwmp_cpe_check_changes(w->cpe);
    assert_int_equal(rv, CWMP_DM_CHANGE_PASSIVE);
    assert_false(cwmp_cpe_want_session(w->cpe));
    assert_int_equal(cwmp_dm_set(f->dm, "Device.DeviceInfo.ProvisioningCode", "ABC"), 0);
    rv = cwmp_cpe_check_changes(w->cpe);
    assert_true(rv & CWMP_DM_CHANGE_ACTIVE);
    assert_true(cwmp_cpe_want_session(w->cpe));
    w->nscript = 0;
    world_session(w);
    assert_true(world_has_event(w, "4 VALUE CHANGE"));
    assert_true(inform_has_param(w, "Device.DeviceInfo.ProvisioningCode"));
    assert_true(inform_has_param(w, "Device.ManagementServer.PeriodicInformInterval"));
    assert_false(inform_has_param(w, "Device.DeviceInfo.UpTime")); /* not a periodic inform */
    assert_int_equal(cwmp_cpe_check_changes(w->cpe), 0);           /* delivered */

    /* a periodic inform carries the InformParameter entry */
    cwmp_cpe_set_periodic(w->cpe, true, 60, 0, false);
    w->now = cwmp_cpe_next_deadline(w->cpe);
    cwmp_cpe_handle_timeout(w->cpe, w->now);
    world_session(w);
    assert_true(world_has_event(w, "2 PERIODIC"));
    assert_true(inform_has_param(w, "Device.DeviceInfo.UpTime"));
    fixture_free(f);
}

static void test_url_change_bootstraps(void **state)
{
    FIXTURE();
    struct world *w = &f->w;
    static const struct cwmp_param_value spv[] = {
        {"Device.ManagementServer.URL", "https://new-acs.example.net/", CWMP_TYPE_STRING, NULL},
    };
    world_session(w); /* the boot session */
    memset(w->script, 0, sizeof(w->script));
    w->script[0].method = CWMP_METHOD_SET_PARAMETER_VALUES;
    w->script[0].kind = CWMP_RPC_REQUEST;
    w->script[0].u.set_parameter_values.params = spv;
    w->script[0].u.set_parameter_values.param_count = 1;
    w->script[0].u.set_parameter_values.parameter_key = "";
    w->nscript = 1;
    assert_int_equal(cwmp_cpe_connection_request(w->cpe), 0);
    world_session(w);
    assert_int_equal(w->responses[0].kind, CWMP_RPC_RESPONSE);
    /* after the session the agent noticed the new URL */
    assert_true(cwmp_cpe_want_session(w->cpe));
    w->nscript = 0;
    world_session(w);
    assert_int_equal(w->ninform_events, 1);
    assert_true(world_has_event(w, "0 BOOTSTRAP"));
    fixture_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parameter_rpcs),
        cmocka_unit_test(test_value_change_and_inform_parameter),
        cmocka_unit_test(test_url_change_bootstraps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
