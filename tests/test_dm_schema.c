/*
 * libcwmp - tests of the compiled data-model schemas (tools/dmc.py output):
 * the four built-in models and, when ../shared/standards is present, the
 * full official TR-181 2.17 / TR-098 1.14 / TR-196 2.1 models.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dm/schema.h"
#include "testutil.h"

#ifdef CWMP_TEST_DM_FULL
extern const struct cwmp_dm_schema cwmp_test_schema_tr181_full;
extern const struct cwmp_dm_schema cwmp_test_schema_tr196_full;
extern const struct cwmp_dm_schema cwmp_test_schema_tr098_full;
#endif

/* ---- helpers -------------------------------------------------------------- */

static const char *node_name(const struct cwmp_dm_schema *s, uint32_t i)
{
    return s->pool + s->nodes[i].name;
}

/* Walks "Device.Services.FAPService.{i}.FAPControl.LTE.OpState" (a trailing
 * '.' names an object); returns the node index or CWMP__DM_NONE. */
static uint32_t find(const struct cwmp_dm_schema *s, const char *path)
{
    const char *p = path;
    const char *dot = strchr(p, '.');
    size_t len = dot ? (size_t) (dot - p) : strlen(p);
    if (strlen(node_name(s, 0)) != len || memcmp(node_name(s, 0), p, len) != 0)
        return CWMP__DM_NONE;
    uint32_t cur = 0;
    p += len;
    while (*p == '.') {
        p++;
        if (*p == '\0')
            break;
        if (strncmp(p, "{i}", 3) == 0) {
            if (s->nodes[cur].kind != CWMP__DM_TABLE)
                return CWMP__DM_NONE;
            p += 3;
            continue;
        }
        dot = strchr(p, '.');
        len = dot ? (size_t) (dot - p) : strlen(p);
        const struct cwmp__dm_node *n = &s->nodes[cur];
        uint32_t next = CWMP__DM_NONE;
        for (uint32_t k = 0; k < n->child_count; k++) {
            const char *nm = node_name(s, n->first_child + k);
            if (strlen(nm) == len && memcmp(nm, p, len) == 0) {
                next = n->first_child + k;
                break;
            }
        }
        if (next == CWMP__DM_NONE)
            return CWMP__DM_NONE;
        cur = next;
        p += len;
    }
    return cur;
}

static const struct cwmp__dm_node *param(const struct cwmp_dm_schema *s, const char *path)
{
    uint32_t i = find(s, path);
    if (i == CWMP__DM_NONE) {
        print_error("missing: %s\n", path);
        fail();
    }
    assert_int_equal(s->nodes[i].kind, CWMP__DM_PARAM);
    return &s->nodes[i];
}

static const struct cwmp__dm_syntax *syntax(const struct cwmp_dm_schema *s,
                                            const struct cwmp__dm_node *n)
{
    assert_int_not_equal(n->aux, CWMP__DM_NONE);
    assert_true(n->aux < s->syntax_count);
    return &s->syntaxes[n->aux];
}

static int has_enum(const struct cwmp_dm_schema *s, const struct cwmp__dm_syntax *sy,
                    const char *value)
{
    for (uint32_t k = 0; k < sy->enum_count; k++)
        if (strcmp(s->pool + s->enums[sy->enum_first + k], value) == 0)
            return 1;
    return 0;
}

/* The invariants lib/dm relies on (the same ones cwmp__dm_schema_check()
 * verifies at cwmp_dm_new), checked independently here. */
static void check_structure(const struct cwmp_dm_schema *s)
{
    assert_non_null(s);
    assert_int_equal(s->format, CWMP__DM_SCHEMA_FORMAT);
    assert_non_null(s->name);
    assert_true(s->pool_size > 0);
    assert_int_equal(s->pool[0], '\0');
    assert_int_equal(s->pool[s->pool_size - 1], '\0');
    assert_true(s->node_count > 1);
    assert_int_equal(s->nodes[0].parent, CWMP__DM_NONE);
    assert_int_equal(s->nodes[0].kind, CWMP__DM_OBJECT);
    uint32_t params = 0;
    uint32_t tables = 0;
    for (uint32_t i = 0; i < s->node_count; i++) {
        const struct cwmp__dm_node *n = &s->nodes[i];
        assert_true(n->name > 0 && n->name < s->pool_size);
        assert_true(n->kind <= CWMP__DM_PARAM);
        assert_int_equal(n->reserved, 0);
        if (i > 0) {
            assert_true(n->parent < i); /* breadth-first: parents come first */
            const struct cwmp__dm_node *p = &s->nodes[n->parent];
            assert_true(i >= p->first_child && i < p->first_child + p->child_count);
        }
        if (n->child_count) {
            assert_true(n->kind != CWMP__DM_PARAM);
            assert_true(n->first_child > i);
            assert_true((uint64_t) n->first_child + n->child_count <= s->node_count);
            for (uint32_t a = 0; a < n->child_count; a++) {
                assert_int_equal(s->nodes[n->first_child + a].parent, i);
                for (uint32_t b = a + 1; b < n->child_count; b++)
                    assert_string_not_equal(node_name(s, n->first_child + a),
                                            node_name(s, n->first_child + b));
            }
        }
        if (n->kind == CWMP__DM_PARAM) {
            params++;
            assert_true(n->type >= CWMP_TYPE_STRING && n->type <= CWMP_TYPE_HEXBINARY);
            assert_true((n->flags & CWMP__DM_ACCESS_MASK) != 3);
            if (n->aux != CWMP__DM_NONE) {
                assert_true(n->aux < s->syntax_count);
                const struct cwmp__dm_syntax *sy = &s->syntaxes[n->aux];
                assert_true((uint64_t) sy->enum_first + sy->enum_count <= s->enum_count);
                assert_true(sy->pattern == CWMP__DM_NOSTR || sy->pattern < s->pool_size);
                if ((n->flags & CWMP__DM_HAS_MIN) && (n->flags & CWMP__DM_HAS_MAX))
                    assert_true(sy->min <= sy->max);
            } else {
                assert_int_equal(n->flags & (CWMP__DM_HAS_MIN | CWMP__DM_HAS_MAX), 0);
            }
            assert_true(n->dflt == CWMP__DM_NOSTR || n->dflt < s->pool_size);
        } else if (n->kind == CWMP__DM_TABLE) {
            tables++;
            assert_true(n->aux < s->table_count);
            assert_int_equal(s->tables[n->aux].node, i);
        } else {
            assert_int_equal(n->aux, CWMP__DM_NONE);
            assert_int_equal(n->type, CWMP_TYPE_NONE);
        }
    }
    assert_int_equal(params, s->param_count);
    assert_int_equal(tables, s->table_count);
    for (uint32_t k = 0; k < s->enum_count; k++)
        assert_true(s->enums[k] < s->pool_size);
    for (uint32_t t = 0; t < s->table_count; t++) {
        const struct cwmp__dm_table *tb = &s->tables[t];
        const struct cwmp__dm_node *n = &s->nodes[tb->node];
        assert_true(tb->max_entries == CWMP__DM_NONE || tb->min_entries <= tb->max_entries);
        if (tb->num_entries != CWMP__DM_NONE) {
            /* a sibling unsignedInt parameter, read-only */
            const struct cwmp__dm_node *c = &s->nodes[tb->num_entries];
            assert_int_equal(c->kind, CWMP__DM_PARAM);
            assert_int_equal(c->parent, n->parent);
            assert_int_equal(c->type, CWMP_TYPE_UNSIGNED_INT);
        }
        if (tb->alias != CWMP__DM_NONE) {
            assert_int_equal(s->nodes[tb->alias].parent, tb->node);
            assert_string_equal(node_name(s, tb->alias), "Alias");
        }
    }
}

/* Facts every FAPService:2 schema has, whatever its root. */
static void check_fap2(const struct cwmp_dm_schema *s, const char *root)
{
    char p[256];
    const struct cwmp__dm_node *n;
#define P(suffix) (snprintf(p, sizeof(p), "%s.Services.FAPService.{i}.%s", root, suffix), p)
    n = param(s, P("FAPControl.LTE.OpState"));
    assert_int_equal(n->type, CWMP_TYPE_BOOLEAN);
    assert_int_equal(n->flags & CWMP__DM_ACCESS_MASK, CWMP__DM_READ_ONLY);
    assert_true(n->flags & CWMP__DM_FORCED_INFORM);
    assert_int_equal(n->flags & CWMP__DM_NOTIFY_MASK, CWMP__DM_NOTIFY_FORCE_DEFAULT);
    n = param(s, P("FAPControl.UMTS.RFTxStatus"));
    assert_true(n->flags & CWMP__DM_FORCED_INFORM);
    n = param(s, P("FAPControl.UMTS.AdminState"));
    assert_int_equal(n->flags & CWMP__DM_ACCESS_MASK, CWMP__DM_READ_WRITE);
    n = param(s, P("FAPControl.UMTS.Gateway.FAPGWPort"));
    assert_int_equal(n->type, CWMP_TYPE_UNSIGNED_INT);
    assert_true(n->flags & CWMP__DM_HAS_MAX);
    assert_int_equal(syntax(s, n)->max, 65535);
    n = param(s, P("FAPControl.LTE.Gateway.S1ConnectionMode"));
    assert_int_equal(syntax(s, n)->enum_count, 2);
    assert_true(has_enum(s, syntax(s, n), "One"));
    assert_true(has_enum(s, syntax(s, n), "All"));
    n = param(s, P("FAPControl.LTE.Gateway.S1SigLinkServerList"));
    assert_true(n->flags & CWMP__DM_LIST);
    assert_int_equal(syntax(s, n)->list_max, 256);
    n = param(s, P("CellConfig.LTE.RAN.RF.DLBandwidth"));
    assert_true(n->flags & CWMP__DM_LIST);
    n = param(s, P("CellConfig.LTE.EPC.PLMNList.{i}.PLMNID"));
    assert_int_equal(syntax(s, n)->max, 6);
    n = param(s, P("REM.LTE.Cell.{i}.RF.RSRP"));
    assert_int_equal(n->type, CWMP_TYPE_INT);
    assert_int_equal(syntax(s, n)->min, -140);
    assert_int_equal(syntax(s, n)->max, -44);
    n = param(s, P("CellConfig.LTE.Tunnel.{i}.Alias"));
    assert_int_equal(syntax(s, n)->max, 64);
    /* FAPService is a table counted by Services.FAPServiceNumberOfEntries. */
    snprintf(p, sizeof(p), "%s.Services.FAPService", root);
    uint32_t t = find(s, p);
    assert_int_not_equal(t, CWMP__DM_NONE);
    assert_int_equal(s->nodes[t].kind, CWMP__DM_TABLE);
    const struct cwmp__dm_table *tb = &s->tables[s->nodes[t].aux];
    assert_int_not_equal(tb->num_entries, CWMP__DM_NONE);
    assert_string_equal(node_name(s, tb->num_entries), "FAPServiceNumberOfEntries");
    assert_int_not_equal(tb->alias, CWMP__DM_NONE);
    /* PLMNList: 1..6 entries, created/deleted by the ACS. */
    t = find(s, P("CellConfig.LTE.EPC.PLMNList"));
    assert_int_not_equal(t, CWMP__DM_NONE);
    tb = &s->tables[s->nodes[t].aux];
    assert_int_equal(tb->min_entries, 1);
    assert_int_equal(tb->max_entries, 6);
    assert_true(s->nodes[t].flags & CWMP__DM_CREATE);
    assert_true(s->nodes[t].flags & CWMP__DM_DELETE);
    /* Issue 2 layout: no FaultMgmt inside FAPService. */
    assert_int_equal(find(s, P("FaultMgmt.")), CWMP__DM_NONE);
#undef P
}

/* Root facts shared by Device:2 and IGD, with the Femto components. */
static void check_root_femto(const struct cwmp_dm_schema *s, const char *root)
{
    char p[256];
    const struct cwmp__dm_node *n;
#define R(suffix) (snprintf(p, sizeof(p), "%s.%s", root, suffix), p)
    n = param(s, R("ManagementServer.ParameterKey"));
    assert_true(n->flags & CWMP__DM_FORCED_INFORM);
    assert_int_equal(n->flags & CWMP__DM_NOTIFY_MASK, CWMP__DM_NOTIFY_CAN_DENY);
    n = param(s, R("ManagementServer.ConnectionRequestURL"));
    assert_int_equal(n->flags & CWMP__DM_NOTIFY_MASK, CWMP__DM_NOTIFY_FORCE_DEFAULT);
    n = param(s, R("ManagementServer.Password"));
    assert_true(n->flags & CWMP__DM_HIDDEN);
    n = param(s, R("ManagementServer.PeriodicInformInterval"));
    assert_int_equal(syntax(s, n)->min, 1);
    n = param(s, R("DeviceInfo.SoftwareVersion"));
    assert_int_equal(n->flags & CWMP__DM_NOTIFY_MASK, CWMP__DM_NOTIFY_FORCE);
    n = param(s, R("DeviceInfo.ManufacturerOUI"));
    assert_int_equal(syntax(s, n)->min, 6);
    assert_int_equal(syntax(s, n)->max, 6);
    assert_string_equal(s->pool + syntax(s, n)->pattern, "[0-9A-F]{6}");
    n = param(s, R("DeviceInfo.VendorConfigFile.{i}.Date"));
    assert_int_equal(n->type, CWMP_TYPE_DATETIME);
    n = param(s, R("ManagementServer.InformParameter.{i}.EventList"));
    assert_true(n->flags & CWMP__DM_LIST);
    n = param(s, R("FaultMgmt.SupportedAlarm.{i}.ReportingMechanism"));
    assert_int_equal(n->flags & CWMP__DM_ACCESS_MASK, CWMP__DM_READ_WRITE);
    assert_int_equal(syntax(s, n)->enum_count, 4);
    assert_true(has_enum(s, syntax(s, n), "0 Expedited"));
    assert_true(has_enum(s, syntax(s, n), "3 Disabled"));
    n = param(s, R("FaultMgmt.ExpeditedEvent.{i}.NotificationType"));
    assert_true(has_enum(s, syntax(s, n), "ClearedAlarm"));
    n = param(s, R("FAP.PerfMgmt.Config.{i}.PeriodicUploadInterval"));
    assert_int_equal(syntax(s, n)->min, 1);
    n = param(s, R("FAP.GPS.LockedLatitude"));
    assert_int_equal(syntax(s, n)->min, -90000000);
    assert_int_equal(syntax(s, n)->max, 90000000);
#undef R
}

static size_t ranges_bytes(const struct cwmp_dm_schema *s)
{
#if CWMP__DM_SCHEMA_FORMAT >= 2
    return s->range_count * sizeof(struct cwmp__dm_range);
#else
    (void) s;
    return 0;
#endif
}

/* ---- tests ---------------------------------------------------------------- */

static void test_builtin_all_present(void **state)
{
    (void) state;
    static const enum cwmp_dm_model models[] = {CWMP_DM_MODEL_DEVICE2, CWMP_DM_MODEL_IGD,
                                                CWMP_DM_MODEL_IGD_ISSUE1,
                                                CWMP_DM_MODEL_DEVICE2_ISSUE1};
    for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
        const struct cwmp_dm_schema *s = cwmp_dm_schema_builtin(models[i]);
        check_structure(s);
        assert_true(s->param_count > 300);
        for (size_t j = 0; j < i; j++)
            assert_ptr_not_equal(s, cwmp_dm_schema_builtin(models[j]));
    }
    assert_null(cwmp_dm_schema_builtin((enum cwmp_dm_model) 99));
    assert_null(cwmp_dm_schema_builtin((enum cwmp_dm_model) - 1));
}

static void test_builtin_device2(void **state)
{
    (void) state;
    const struct cwmp_dm_schema *s = cwmp_dm_schema_builtin(CWMP_DM_MODEL_DEVICE2);
    assert_string_equal(node_name(s, 0), "Device");
    check_fap2(s, "Device");
    check_root_femto(s, "Device");
    const struct cwmp__dm_node *n = param(s, "Device.RootDataModelVersion");
    assert_true(n->flags & CWMP__DM_FORCED_INFORM);
    n = param(s, "Device.FAP.PerfMgmt.Config.{i}.Password");
    assert_true(n->flags & CWMP__DM_SECURED);
    n = param(s, "Device.ManagementServer.InformParameter.{i}.Alias");
    assert_int_equal(n->flags & CWMP__DM_ACCESS_MASK, CWMP__DM_WRITE_ONCE);
    n = param(s, "Device.ManagementServer.URL");
    assert_int_equal(syntax(s, n)->max, 2048); /* dataType URL resolved */
    n = param(s, "Device.IPsec.Enable");
    assert_int_equal(n->type, CWMP_TYPE_BOOLEAN);
    n = param(s, "Device.IPsec.IKEv2SA.{i}.LocalAddress");
    assert_int_equal(syntax(s, n)->max, 45); /* dataType IPAddress */
    param(s, "Device.IP.Interface.{i}.IPv4Address.{i}.IPAddress");
    assert_int_equal(find(s, "Device.FAP.Tunnel."), CWMP__DM_NONE);
}

static void test_builtin_igd(void **state)
{
    (void) state;
    const struct cwmp_dm_schema *s = cwmp_dm_schema_builtin(CWMP_DM_MODEL_IGD);
    assert_string_equal(node_name(s, 0), "InternetGatewayDevice");
    check_fap2(s, "InternetGatewayDevice");
    check_root_femto(s, "InternetGatewayDevice");
    const struct cwmp__dm_node *n = param(s, "InternetGatewayDevice.DeviceSummary");
    assert_true(n->flags & CWMP__DM_FORCED_INFORM);
    assert_true(n->flags & CWMP__DM_DEPRECATED);
    n = param(s, "InternetGatewayDevice.DeviceInfo.SpecVersion");
    assert_true(n->flags & CWMP__DM_FORCED_INFORM);
    n = param(s, "InternetGatewayDevice.FAP.Tunnel.IKESA.{i}.IPAddress");
    assert_int_equal(n->flags & CWMP__DM_NOTIFY_MASK, CWMP__DM_NOTIFY_FORCE_DEFAULT);
    n = param(s, "InternetGatewayDevice.FAP.Tunnel.UseForCWMP");
    assert_int_equal(n->flags & CWMP__DM_ACCESS_MASK, CWMP__DM_READ_WRITE);
    n = param(s, "InternetGatewayDevice.FAP.PerfMgmt.Config.{i}.Password");
    assert_true(n->flags & CWMP__DM_HIDDEN);
    n = param(s, "InternetGatewayDevice.ManagementServer.InformParameter.{i}.Alias");
    assert_int_equal(n->flags & CWMP__DM_ACCESS_MASK, CWMP__DM_READ_WRITE);
    n = param(s, "InternetGatewayDevice.WANDevice.{i}.WANConnectionDevice.{i}."
                 "WANIPConnection.{i}.ExternalIPAddress");
    assert_true(n->flags & CWMP__DM_FORCED_INFORM);
    assert_int_equal(find(s, "InternetGatewayDevice.IPsec."), CWMP__DM_NONE);
}

static void test_builtin_issue1(void **state)
{
    (void) state;
    static const char *const roots[] = {"InternetGatewayDevice", "Device"};
    const struct cwmp_dm_schema *sch[] = {cwmp_dm_schema_builtin(CWMP_DM_MODEL_IGD_ISSUE1),
                                          cwmp_dm_schema_builtin(CWMP_DM_MODEL_DEVICE2_ISSUE1)};
    char p[256];
    for (int i = 0; i < 2; i++) {
        const struct cwmp_dm_schema *s = sch[i];
        const struct cwmp__dm_node *n;
        assert_string_equal(node_name(s, 0), roots[i]);
#define F(suffix) (snprintf(p, sizeof(p), "%s.Services.FAPService.{i}.%s", roots[i], suffix), p)
        n = param(s, F("FAPControl.OpState"));
        assert_true(n->flags & CWMP__DM_FORCED_INFORM);
        assert_int_equal(n->flags & CWMP__DM_NOTIFY_MASK, CWMP__DM_NOTIFY_FORCE_DEFAULT);
        n = param(s, F("FaultMgmt.SupportedAlarm.{i}.ReportingMechanism"));
        assert_int_equal(syntax(s, n)->enum_count, 4);
        param(s, F("FaultMgmt.ExpeditedEvent.{i}.EventTime"));
        n = param(s, F("Transport.Tunnel.IKESA.{i}.IPAddress"));
        assert_int_equal(n->flags & CWMP__DM_NOTIFY_MASK, CWMP__DM_NOTIFY_FORCE_DEFAULT);
        n = param(s, F("PerfMgmt.FileMgmt.Password"));
        assert_true(n->flags & CWMP__DM_HIDDEN);
        param(s, F("GPS.LockedLongitude"));
        /* Issue 1 devices have no root FaultMgmt / FAP components. */
        snprintf(p, sizeof(p), "%s.FaultMgmt.", roots[i]);
        assert_int_equal(find(s, p), CWMP__DM_NONE);
        snprintf(p, sizeof(p), "%s.FAP.", roots[i]);
        assert_int_equal(find(s, p), CWMP__DM_NONE);
#undef F
    }
}

static void test_memory_figures(void **state)
{
    (void) state;
    /* Printed for doc/performance.md; asserts keep the tables compact. */
    static const char *const names[] = {"device2", "igd", "igd_issue1", "device2_issue1"};
    for (int m = 0; m < 4; m++) {
        const struct cwmp_dm_schema *s = cwmp_dm_schema_builtin((enum cwmp_dm_model) m);
        size_t tables = sizeof(*s) + s->node_count * sizeof(struct cwmp__dm_node) +
                        s->syntax_count * sizeof(struct cwmp__dm_syntax) +
                        s->enum_count * sizeof(uint32_t) +
                        s->table_count * sizeof(struct cwmp__dm_table) + ranges_bytes(s);
        double per = (double) tables / s->param_count;
        printf("schema %-15s %5u params %4u nodes: %6zu B tables (%.1f B/param)"
               " + %u B shared string pool\n",
               names[m], (unsigned) s->param_count, (unsigned) s->node_count, tables, per,
               (unsigned) s->pool_size);
        assert_true(per < 64.0);
    }
}

/* ---- loading with the tree (lib/dm) ------------------------------------------- */

/* Whether the schema has a default for an instance path ("A.1.B"): the path
 * is turned into the schema path by dropping the instance numbers. */
static int schema_default_of(const struct cwmp_dm_schema *s, const char *name)
{
    char sp[512];
    size_t o = 0;
    for (const char *c = name; *c && o + 4 < sizeof(sp);) {
        if (*c >= '0' && *c <= '9' && (c == name || c[-1] == '.')) {
            memcpy(sp + o, "{i}", 3);
            o += 3;
            while (*c >= '0' && *c <= '9')
                c++;
        } else {
            sp[o++] = *c++;
        }
    }
    sp[o] = '\0';
    uint32_t i = find(s, sp);
    return i != CWMP__DM_NONE && s->nodes[i].dflt != CWMP__DM_NOSTR;
}

static int spv1(struct cwmp_dm *dm, const char *name, const char *value, int *fault)
{
    struct cwmp_dm_result r = CWMP_DM_RESULT_INIT;
    struct cwmp_param_value pv = {name, value, CWMP_TYPE_NONE, NULL};
    int rv = cwmp_dm_set_values(dm, &pv, 1, NULL, &r);
    *fault = r.fault_count ? r.faults[0].code : 0;
    cwmp_dm_result_free(&r);
    return rv;
}

/* Creates a tree, adds a FAPService and PLMNList instance, checks the
 * compiled syntax through SetParameterValues, and that every writable
 * parameter accepts its own default back (the compiler's range/size hulls
 * and joined patterns must never refuse a value the model allows). */
static void load_and_exercise(const struct cwmp_dm_schema *s, const char *root, int femto)
{
    struct cwmp_dm *dm;
    struct cwmp_dm_result r = CWMP_DM_RESULT_INIT, v = CWMP_DM_RESULT_INIT;
    char p[256];
    int fault;
    assert_int_equal(cwmp_dm_new(&dm, &test_allocator, s, NULL), 0);
    assert_string_equal(cwmp_dm_root_name(dm), root);
    /* FAPService.{i}. is readOnly (the device creates it): 9001 for the ACS. */
    snprintf(p, sizeof(p), "%s.Services.FAPService.", root);
    assert_int_equal(cwmp_dm_add_object(dm, p, "k1", &r), 9001);
    cwmp_dm_result_free(&r);
    uint32_t inst = 0;
    assert_int_equal(cwmp_dm_add_instance(dm, p, 0, &inst), 0);
    assert_int_equal(inst, 1);
    snprintf(p, sizeof(p), "%s.Services.FAPServiceNumberOfEntries", root);
    char buf[64];
    assert_true(cwmp_dm_get(dm, p, buf, sizeof(buf)) > 0);
    assert_string_equal(buf, "1");
    if (femto) {
        snprintf(p, sizeof(p), "%s.Services.FAPService.1.FAPControl.UMTS.Gateway.FAPGWPort", root);
        assert_int_equal(spv1(dm, p, "70000", &fault), 9003);
        assert_int_equal(fault, 9007);
        assert_int_equal(spv1(dm, p, "29169", &fault), 0);
        snprintf(p, sizeof(p), "%s.Services.FAPService.1.FAPControl.LTE.Gateway.S1ConnectionMode",
                 root);
        assert_int_equal(spv1(dm, p, "Some", &fault), 9003);
        assert_int_equal(fault, 9007);
        assert_int_equal(spv1(dm, p, "All", &fault), 0);
        snprintf(p, sizeof(p), "%s.Services.FAPService.1.CellConfig.LTE.EPC.PLMNList.", root);
        for (int i = 0; i < 6; i++) {
            assert_int_equal(cwmp_dm_add_object(dm, p, NULL, &r), 0);
            cwmp_dm_result_free(&r);
        }
        assert_int_equal(cwmp_dm_add_object(dm, p, NULL, &r), 9004); /* maxEntries 6 */
        cwmp_dm_result_free(&r);
        snprintf(p, sizeof(p), "%s.Services.FAPService.1.CellConfig.LTE.EPC.PLMNList.1.PLMNID",
                 root);
        assert_int_equal(spv1(dm, p, "0010011", &fault), 9003); /* maxLength 6 */
        assert_int_equal(fault, 9007);
        assert_int_equal(spv1(dm, p, "00101", &fault), 0);
        snprintf(p, sizeof(p), "%s.Services.FAPService.1.CellConfig.LTE.RAN.RF.DLBandwidth", root);
        assert_int_equal(spv1(dm, p, "6,15,100", &fault), 0);
        assert_int_equal(spv1(dm, p, "101", &fault), 9003); /* outside the hull */
        assert_int_equal(fault, 9007);
#if CWMP__DM_SCHEMA_FORMAT >= 2
        /* inside the hull 6..100 but not one of 6, 15, 25, 50, 75, 100 */
        assert_int_equal(spv1(dm, p, "6,7", &fault), 9003);
        assert_int_equal(fault, 9007);
#endif
    }
    snprintf(p, sizeof(p), "%s.ManagementServer.PeriodicInformInterval", root);
    assert_int_equal(spv1(dm, p, "0", &fault), 9003);
    assert_int_equal(fault, 9007);
    snprintf(p, sizeof(p), "%s.ManagementServer.ParameterKey", root);
    assert_int_equal(spv1(dm, p, "x", &fault), 9003);
    assert_int_equal(fault, 9008);

    const char *all[] = {""};
    assert_int_equal(cwmp_dm_get_names(dm, "", false, &r), 0);
    assert_int_equal(cwmp_dm_get_values(dm, all, 1, &v), 0);
    assert_true(v.value_count > 100);
    size_t refused = 0, writable = 0, placeholders = 0;
    for (size_t i = 0, k = 0; i < v.value_count; i++) {
        while (k < r.info_count && strcmp(r.infos[k].name, v.values[i].name) != 0)
            k++;
        assert_true(k < r.info_count);
        if (!r.infos[k].writable)
            continue;
        writable++;
        if (spv1(dm, v.values[i].name, v.values[i].value, &fault) != 0) {
            /* A value the model gives (its default) must be accepted, and
             * so must the tree's placeholder for a parameter without one
             * (counted apart: a refusal there is the tree's, not the
             * compiler's). */
            int has_default = schema_default_of(s, v.values[i].name);
            printf("# %s: %s \"%s\" refused (%d)\n", v.values[i].name,
                   has_default ? "default" : "placeholder", v.values[i].value, fault);
            if (has_default)
                refused++;
            else
                placeholders++;
        }
    }
    printf("# %s: %zu values read, %zu writable, %zu defaults refused, %zu placeholders refused\n",
           cwmp_dm_schema_name(s), v.value_count, writable, refused, placeholders);
    assert_int_equal(refused, 0);
    assert_int_equal(placeholders, 0);
    cwmp_dm_result_free(&r);
    cwmp_dm_result_free(&v);
    cwmp_dm_free(dm);
}

static void test_load_builtin(void **state)
{
    (void) state;
    load_and_exercise(cwmp_dm_schema_builtin(CWMP_DM_MODEL_DEVICE2), "Device", 1);
    load_and_exercise(cwmp_dm_schema_builtin(CWMP_DM_MODEL_IGD), "InternetGatewayDevice", 1);
    load_and_exercise(cwmp_dm_schema_builtin(CWMP_DM_MODEL_IGD_ISSUE1), "InternetGatewayDevice", 0);
    load_and_exercise(cwmp_dm_schema_builtin(CWMP_DM_MODEL_DEVICE2_ISSUE1), "Device", 0);
}

#ifdef CWMP_TEST_DM_FULL
static void report_full(const char *what, const struct cwmp_dm_schema *s)
{
    size_t tables = sizeof(*s) + s->node_count * sizeof(struct cwmp__dm_node) +
                    s->syntax_count * sizeof(struct cwmp__dm_syntax) +
                    s->enum_count * sizeof(uint32_t) +
                    s->table_count * sizeof(struct cwmp__dm_table) + ranges_bytes(s);
    printf("full %-12s %5u params %5u nodes: %7zu B tables + %u B strings = %.1f B/param\n", what,
           (unsigned) s->param_count, (unsigned) s->node_count, tables, (unsigned) s->pool_size,
           (double) (tables + s->pool_size) / s->param_count);
}
#endif

static void test_full_official(void **state)
{
    (void) state;
#ifndef CWMP_TEST_DM_FULL
    printf("SKIP: ../shared/standards absent: full official models not compiled\n");
    skip();
#else
    const struct cwmp_dm_schema *s = &cwmp_test_schema_tr181_full;
    check_structure(s);
    assert_true(s->param_count > 8000);
    check_fap2(s, "Device");
    check_root_femto(s, "Device");
    param(s, "Device.WiFi.Radio.{i}.Channel");
    report_full("tr181+tr196", s);
    load_and_exercise(s, "Device", 1);

    s = &cwmp_test_schema_tr196_full;
    check_structure(s);
    assert_true(s->param_count > 1800);
    check_fap2(s, "Device");
    param(s, "Device.Services.FAPService.{i}.CellConfig.CDMA2000.OneX.RAN.RF.RFCNFLBandInUse");
    report_full("tr196", s);
    load_and_exercise(s, "Device", 1);

    s = &cwmp_test_schema_tr098_full;
    check_structure(s);
    assert_true(s->param_count > 3000);
    check_fap2(s, "InternetGatewayDevice");
    check_root_femto(s, "InternetGatewayDevice");
    report_full("tr098+tr196", s);
    load_and_exercise(s, "InternetGatewayDevice", 1);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_all_present), cmocka_unit_test(test_builtin_device2),
        cmocka_unit_test(test_builtin_igd),         cmocka_unit_test(test_builtin_issue1),
        cmocka_unit_test(test_memory_figures),      cmocka_unit_test(test_load_builtin),
        cmocka_unit_test(test_full_official),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
