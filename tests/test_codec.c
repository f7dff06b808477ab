/*
 * libcwmp tests - SOAP envelope codec.
 *
 * Golden files: every tests/data/envelopes/<name>.xml is one cmocka test.
 *   <name>.expected      cwmp_envelope_print() of the lenient decode
 *   <name>.encoded       byte-exact re-encoding
 *   <name>.strict        strict decode must fail: line 1 error name, line 2 a
 *                        substring of the detail (absent: strict succeeds)
 *   <name>.error         decode must fail in both modes (same format)
 *   <name>.encode-error  re-encoding must fail (same format)
 * A new case is a new file. CWMP_UPDATE_GOLDEN=1 (re)writes .expected and
 * .encoded from the current output (review the diff before committing).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include <cwmp/envelope.h>
#include <cwmp/rpc.h>

#include "internal.h"

/* ---- helpers ------------------------------------------------------------- */

static const struct {
    const char *name;
    int code;
} err_names[] = {
    {"CWMP_ERR_NOMEM", CWMP_ERR_NOMEM},         {"CWMP_ERR_INVALID_ARG", CWMP_ERR_INVALID_ARG},
    {"CWMP_ERR_PARSE", CWMP_ERR_PARSE},         {"CWMP_ERR_LIMIT", CWMP_ERR_LIMIT},
    {"CWMP_ERR_NAMESPACE", CWMP_ERR_NAMESPACE}, {"CWMP_ERR_MISSING_ARG", CWMP_ERR_MISSING_ARG},
    {"CWMP_ERR_BAD_VALUE", CWMP_ERR_BAD_VALUE}, {"CWMP_ERR_UNSUPPORTED", CWMP_ERR_UNSUPPORTED},
    {"CWMP_ERR_STRICT", CWMP_ERR_STRICT},       {"CWMP_ERR_DTD", CWMP_ERR_DTD},
    {"CWMP_ERR_ENCODING", CWMP_ERR_ENCODING},
};

static int err_code(const char *name)
{
    for (size_t i = 0; i < CWMP_ARRAY_SIZE(err_names); i++)
        if (strcmp(err_names[i].name, name) == 0)
            return err_names[i].code;
    fail_msg("unknown error name %s", name);
    return 0;
}

static int sink(const char *d, size_t n, void *ud)
{
    cwmp__buf_append(ud, d, n);
    return 0;
}

/* Dump of an envelope, test_malloc'ed. */
static char *dump(const struct cwmp_envelope *env)
{
    struct cwmp_buf b;
    cwmp__buf_init(&b, &test_allocator, 0);
    assert_int_equal(cwmp_envelope_print(env, sink, &b), 0);
    cwmp__buf_putc(&b, '\0');
    assert_int_equal(b.err, 0);
    return cwmp__buf_detach(&b, NULL);
}

/* The dump without its "Warning:" lines. */
static void strip_warnings(char *s)
{
    char *w = strstr(s, "Warning: ");
    if (w)
        *w = '\0';
}

static char *path_of(const char *name, const char *ext)
{
    static char p[1024];
    snprintf(p, sizeof(p), "%s/envelopes/%s%s", test_data_dir(), name, ext);
    return p;
}

static char *try_read(const char *name, const char *ext, size_t *len)
{
    const char *p = path_of(name, ext);
    FILE *f = fopen(p, "rb");
    if (!f)
        return NULL;
    fclose(f);
    return read_file(p, len);
}

static int exists(const char *name, const char *ext)
{
    FILE *f = fopen(path_of(name, ext), "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

static int updating(void)
{
    const char *u = getenv("CWMP_UPDATE_GOLDEN");
    return u && *u == '1';
}

static void write_golden(const char *name, const char *ext, const char *data, size_t len)
{
    FILE *f = fopen(path_of(name, ext), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void compare_golden(const char *name, const char *ext, const char *got, size_t len)
{
    size_t elen;
    char *exp = try_read(name, ext, &elen);
    if (updating()) {
        write_golden(name, ext, got, len);
        if (exp)
            test_free(exp);
        return;
    }
    if (!exp)
        fail_msg("%s%s missing (run with CWMP_UPDATE_GOLDEN=1)", name, ext);
    if (elen != len || memcmp(exp, got, len) != 0) {
        print_error("--- expected %s%s\n%s\n--- got\n%.*s\n", name, ext, exp, (int) len, got);
        test_free(exp);
        fail_msg("%s%s differs", name, ext);
    }
    test_free(exp);
}

/* Parses an expectation file: "ERROR_NAME\nsubstring\n". */
static void expect_error(const char *name, const char *ext, int rv, const char *detail)
{
    size_t len;
    char *e = try_read(name, ext, &len);
    assert_non_null(e);
    char *nl = strchr(e, '\n');
    char *sub = "";
    if (nl) {
        *nl = '\0';
        sub = nl + 1;
        char *nl2 = strchr(sub, '\n');
        if (nl2)
            *nl2 = '\0';
    }
    if (rv != err_code(e) || !strstr(detail, sub)) {
        print_error("%s%s: expected %s \"%s\", got %d \"%s\"\n", name, ext, e, sub, rv, detail);
        test_free(e);
        fail();
    }
    test_free(e);
}

static struct cwmp_codec_options opts(int strict)
{
    struct cwmp_codec_options o;
    cwmp_codec_options_init(&o);
    o.allocator = &test_allocator;
    o.strict = strict;
    return o;
}

/* ---- one golden file ----------------------------------------------------- */

static void golden(void **state)
{
    const char *name = *state;
    size_t len;
    char detail[512];
    char *xml = try_read(name, ".xml", &len);
    assert_non_null(xml);
    struct cwmp_codec_options lo = opts(0), so = opts(1);
    struct cwmp_envelope *env = NULL;

    int rv = cwmp_envelope_decode(xml, len, &lo, &env, detail, sizeof(detail));
    if (exists(name, ".error")) {
        assert_null(env);
        expect_error(name, ".error", rv, detail);
        rv = cwmp_envelope_decode(xml, len, &so, &env, detail, sizeof(detail));
        assert_null(env);
        expect_error(name, ".error", rv, detail);
        test_free(xml);
        return;
    }
    if (rv)
        fail_msg("%s: decode failed %d: %s", name, rv, detail);
    char *d = dump(env);
    compare_golden(name, ".expected", d, strlen(d));

    /* In place (caller guarantees the NUL): same result. */
    struct cwmp_codec_options no = lo;
    no.input_nul_terminated = true;
    struct cwmp_envelope *env2;
    assert_int_equal(cwmp_envelope_decode(xml, len, &no, &env2, detail, sizeof(detail)), 0);
    char *d2 = dump(env2);
    assert_string_equal(d, d2);
    test_free(d2);
    cwmp_envelope_free(env2);

    /* Deep copies print the same. */
    struct cwmp_envelope *dup;
    assert_int_equal(cwmp_envelope_dup(env, &test_allocator, &dup), 0);
    d2 = dump(dup);
    assert_string_equal(d, d2);
    test_free(d2);
    struct cwmp_rpc *rpc;
    assert_int_equal(cwmp_rpc_dup(&env->rpc, &test_allocator, &rpc), 0);
    cwmp_envelope_free(env); /* the copies must not point into it */
    env = NULL;
    struct cwmp_envelope st = *dup;
    st.rpc = *rpc;
    d2 = dump(&st);
    assert_string_equal(d, d2);
    test_free(d2);
    cwmp_rpc_free(rpc);

    /* Encode: byte-stable, and decode(encode(x)) == x (strict, no warnings). */
    char *out = NULL;
    size_t olen = 0;
    rv = cwmp_envelope_encode(dup, &lo, &out, &olen, detail, sizeof(detail));
    if (exists(name, ".encode-error")) {
        assert_null(out);
        expect_error(name, ".encode-error", rv, detail);
    } else {
        if (rv)
            fail_msg("%s: encode failed %d: %s", name, rv, detail);
        assert_int_equal(strlen(out), olen);
        compare_golden(name, ".encoded", out, olen);
        struct cwmp_envelope *back;
        rv = cwmp_envelope_decode(out, olen, &so, &back, detail, sizeof(detail));
        if (rv)
            fail_msg("%s: strict decode of the encoding failed %d: %s", name, rv, detail);
        assert_int_equal(back->warning_count, 0);
        char *d3 = dump(back);
        char *dcopy = test_malloc(strlen(d) + 1);
        strcpy(dcopy, d);
        strip_warnings(dcopy);
        strip_warnings(d3);
        assert_string_equal(dcopy, d3);
        test_free(dcopy);
        test_free(d3);
        /* The reusable encoder gives the same bytes, twice. */
        struct cwmp_encoder *enc;
        assert_int_equal(cwmp_encoder_new(&enc, &lo), 0);
        for (int k = 0; k < 2; k++) {
            const char *o2;
            size_t l2;
            assert_int_equal(cwmp_encoder_encode(enc, back, &o2, &l2), 0);
            assert_int_equal(l2, olen);
            assert_memory_equal(o2, out, olen);
        }
        cwmp_encoder_free(enc);
        cwmp_envelope_free(back);
        cwmp_encoded_free(&lo, out);
    }
    cwmp_envelope_free(dup);

    /* Strict mode. */
    struct cwmp_envelope *senv = NULL;
    rv = cwmp_envelope_decode(xml, len, &so, &senv, detail, sizeof(detail));
    if (exists(name, ".strict")) {
        assert_null(senv);
        expect_error(name, ".strict", rv, detail);
    } else {
        if (rv)
            fail_msg("%s: strict decode failed %d: %s", name, rv, detail);
        /* Same message; a strict decode never carries warnings. */
        assert_int_equal(senv->warning_count, 0);
        d2 = dump(senv);
        char *dl = test_malloc(strlen(d) + 1);
        strcpy(dl, d);
        strip_warnings(dl);
        assert_string_equal(dl, d2);
        test_free(dl);
        test_free(d2);
        cwmp_envelope_free(senv);
    }
    test_free(d);
    test_free(xml);
}

/* ---- API unit tests ------------------------------------------------------ */

static void test_method_names(void **state)
{
    (void) state;
    for (int m = CWMP_METHOD_GET_RPC_METHODS; m < CWMP_METHOD_VENDOR; m++) {
        const char *n = cwmp_method_name((enum cwmp_method) m);
        assert_true(strlen(n) > 0);
        assert_int_equal(cwmp_method_from_name(n, strlen(n)), m);
    }
    assert_string_equal(cwmp_method_name(CWMP_METHOD_INFORM), "Inform");
    assert_string_equal(cwmp_method_name(CWMP_METHOD_VENDOR), "");
    assert_string_equal(cwmp_method_name((enum cwmp_method) 999), "?");
    assert_int_equal(cwmp_method_from_name("InformResponse", 14), CWMP_METHOD_UNKNOWN);
    assert_int_equal(cwmp_method_from_name("Informx", 6), CWMP_METHOD_INFORM);
    assert_int_equal(cwmp_method_from_name("X_00D09E_Frob", 13), CWMP_METHOD_VENDOR);
    assert_int_equal(cwmp_method_from_name("Nope", 4), CWMP_METHOD_UNKNOWN);
    assert_int_equal(cwmp_method_min_version(CWMP_METHOD_INFORM), CWMP_V1_0);
    assert_int_equal(cwmp_method_min_version(CWMP_METHOD_GET_ALL_QUEUED_TRANSFERS), CWMP_V1_1);
    assert_int_equal(cwmp_method_min_version(CWMP_METHOD_CHANGE_DU_STATE), CWMP_V1_2);
    assert_true(cwmp_method_is_cpe_method(CWMP_METHOD_REBOOT));
    assert_false(cwmp_method_is_cpe_method(CWMP_METHOD_INFORM));
    assert_string_equal(cwmp_warning_name(CWMP_WARN_BOM), "bom");
    assert_string_equal(cwmp_warning_name((enum cwmp_warning_code) 99), "unknown");
}

static void test_options_defaults(void **state)
{
    (void) state;
    struct cwmp_codec_options o;
    memset(&o, 0xAB, sizeof(o));
    cwmp_codec_options_init(&o);
    assert_null(o.allocator);
    assert_false(o.strict);
    assert_false(o.input_nul_terminated);
    assert_int_equal(o.max_envelope_bytes, CWMP_DEFAULT_MAX_ENVELOPE_BYTES);
    assert_int_equal(o.max_depth, CWMP_DEFAULT_MAX_DEPTH);
    assert_int_equal(o.max_elements, CWMP_DEFAULT_MAX_ELEMENTS);
    assert_int_equal(o.max_string_len, CWMP_DEFAULT_MAX_STRING_LEN);
    assert_int_equal(o.max_attr_len, CWMP_DEFAULT_MAX_ATTR_LEN);
    assert_int_equal(o.max_array_entries, CWMP_DEFAULT_MAX_ARRAY_ENTRIES);
}

#define HEAD                                                                                       \
    "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" "             \
    "xmlns:SOAP-ENC=\"http://schemas.xmlsoap.org/soap/encoding/\" "                                \
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "                                     \
    "xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\"><SOAP-ENV:Body>"
#define TAIL "</SOAP-ENV:Body></SOAP-ENV:Envelope>"

static int decode_str(const char *s, const struct cwmp_codec_options *o, char *detail, size_t dsize)
{
    struct cwmp_envelope *env = NULL;
    int rv = cwmp_envelope_decode(s, strlen(s), o, &env, detail, dsize);
    cwmp_envelope_free(env);
    return rv;
}

/* Builds a GPV response with n parameters (test_malloc'ed). */
static char *make_gpv(size_t n, size_t *len)
{
    struct cwmp_buf b;
    cwmp__buf_init(&b, &test_allocator, 0);
    cwmp__buf_puts(&b, HEAD "<cwmp:GetParameterValuesResponse>"
                            "<ParameterList SOAP-ENC:arrayType=\"cwmp:ParameterValueStruct[");
    cwmp__buf_put_u64(&b, n);
    cwmp__buf_puts(&b, "]\">");
    for (size_t i = 0; i < n; i++) {
        cwmp__buf_printf(
            &b,
            "<ParameterValueStruct><Name>Device.Services.FAPService.%zu.CellConfig.LTE."
            "RAN.RF.EARFCNDL</Name><Value xsi:type=\"xsd:unsignedInt\">%zu</Value>"
            "</ParameterValueStruct>\n",
            i % 4 + 1, 6300 + i);
    }
    cwmp__buf_puts(&b, "</ParameterList></cwmp:GetParameterValuesResponse>" TAIL);
    assert_int_equal(b.err, 0);
    return cwmp__buf_detach(&b, len);
}

static void test_limits(void **state)
{
    (void) state;
    char detail[256];
    struct cwmp_codec_options o = opts(0);
    const char *ok = HEAD "<cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes>"
                          "</cwmp:InformResponse>" TAIL;
    assert_int_equal(decode_str(ok, &o, detail, sizeof(detail)), 0);

    o.max_envelope_bytes = 100;
    assert_int_equal(decode_str(ok, &o, detail, sizeof(detail)), CWMP_ERR_LIMIT);
    assert_non_null(strstr(detail, "max_envelope_bytes"));

    o = opts(0);
    o.max_depth = 3;
    assert_int_equal(decode_str(ok, &o, detail, sizeof(detail)), CWMP_ERR_LIMIT);
    assert_non_null(strstr(detail, "max_depth"));

    o = opts(0);
    o.max_elements = 3;
    assert_int_equal(decode_str(ok, &o, detail, sizeof(detail)), CWMP_ERR_LIMIT);
    assert_non_null(strstr(detail, "max_elements"));

    o = opts(0);
    o.max_string_len = 3;
    const char *longv = HEAD "<cwmp:Reboot><CommandKey>abcd</CommandKey></cwmp:Reboot>" TAIL;
    assert_int_equal(decode_str(longv, &o, detail, sizeof(detail)), CWMP_ERR_LIMIT);
    assert_non_null(strstr(detail, "max_string_len"));
    assert_non_null(strstr(detail, "/Envelope/Body/Reboot/CommandKey"));

    o = opts(0);
    o.max_attr_len = 10;
    assert_int_equal(decode_str(ok, &o, detail, sizeof(detail)), CWMP_ERR_LIMIT);
    assert_non_null(strstr(detail, "max_attr_len"));

    o = opts(0);
    o.max_array_entries = 2;
    size_t len;
    char *gpv = make_gpv(3, &len);
    assert_int_equal(decode_str(gpv, &o, detail, sizeof(detail)), CWMP_ERR_LIMIT);
    assert_non_null(strstr(detail, "max_array_entries"));
    o.max_array_entries = 3;
    assert_int_equal(decode_str(gpv, &o, detail, sizeof(detail)), 0);
    test_free(gpv);

    /* 10,000-deep nesting stops at the depth limit. */
    struct cwmp_buf b;
    cwmp__buf_init(&b, &test_allocator, 0);
    cwmp__buf_puts(&b, HEAD "<cwmp:InformResponse>");
    for (int i = 0; i < 10000; i++)
        cwmp__buf_puts(&b, "<a>");
    for (int i = 0; i < 10000; i++)
        cwmp__buf_puts(&b, "</a>");
    cwmp__buf_puts(&b, "</cwmp:InformResponse>" TAIL);
    o = opts(0);
    assert_int_equal(decode_str(b.data, &o, detail, sizeof(detail)), CWMP_ERR_LIMIT);
    assert_non_null(strstr(detail, "max_depth"));
    cwmp__buf_free(&b);
}

static void test_big_gpv_defaults(void **state)
{
    (void) state;
    size_t len;
    char *gpv = make_gpv(10000, &len);
    assert_true(len > 1000000);
    struct cwmp_codec_options o = opts(1);
    struct cwmp_envelope *env;
    char detail[256];
    assert_int_equal(cwmp_envelope_decode(gpv, len, &o, &env, detail, sizeof(detail)), 0);
    assert_int_equal(env->rpc.method, CWMP_METHOD_GET_PARAMETER_VALUES);
    assert_int_equal(env->rpc.kind, CWMP_RPC_RESPONSE);
    const struct cwmp_get_parameter_values_response *r = &env->rpc.u.get_parameter_values_response;
    assert_int_equal(r->param_count, 10000);
    assert_string_equal(r->params[9999].value, "16299");
    assert_int_equal(r->params[9999].type, CWMP_TYPE_UNSIGNED_INT);
    assert_string_equal(r->params[0].name,
                        "Device.Services.FAPService.1.CellConfig.LTE.RAN.RF.EARFCNDL");
    cwmp_envelope_free(env);
    test_free(gpv);
}

static struct cwmp_envelope base_env(void)
{
    struct cwmp_envelope e;
    memset(&e, 0, sizeof(e));
    e.version = CWMP_V1_0;
    e.header.id = "1";
    return e;
}

static int encode_rv(const struct cwmp_envelope *e, char *detail, size_t dsize)
{
    struct cwmp_codec_options o = opts(0);
    char *out = NULL;
    size_t len;
    int rv = cwmp_envelope_encode(e, &o, &out, &len, detail, dsize);
    cwmp_encoded_free(&o, out);
    return rv;
}

static void test_encode_checks(void **state)
{
    (void) state;
    char detail[256];
    struct cwmp_envelope e = base_env();
    e.rpc.method = CWMP_METHOD_ADD_OBJECT;
    e.rpc.kind = CWMP_RPC_REQUEST;
    e.rpc.u.add_object.object_name = "Device.Services.FAPService.";
    e.rpc.u.add_object.parameter_key = NULL;
    assert_int_equal(encode_rv(&e, detail, sizeof(detail)), CWMP_ERR_MISSING_ARG);
    assert_non_null(strstr(detail, "ParameterKey"));
    e.rpc.u.add_object.parameter_key = "123456789012345678901234567890123"; /* 33 */
    assert_int_equal(encode_rv(&e, detail, sizeof(detail)), CWMP_ERR_BAD_VALUE);
    assert_non_null(strstr(detail, "ParameterKey longer than 32"));
    e.rpc.u.add_object.parameter_key = "";
    e.rpc.u.add_object.object_name = "Device.Services.FAPService";
    assert_int_equal(encode_rv(&e, detail, sizeof(detail)), CWMP_ERR_BAD_VALUE);
    e.rpc.u.add_object.object_name = "Device.Services.FAPService.";
    assert_int_equal(encode_rv(&e, detail, sizeof(detail)), 0);

    /* Version rules. */
    e.header.has_session_timeout = true;
    e.header.session_timeout = 30;
    assert_int_equal(encode_rv(&e, detail, sizeof(detail)), CWMP_ERR_UNSUPPORTED);
    e.version = CWMP_V1_3;
    assert_int_equal(encode_rv(&e, detail, sizeof(detail)), 0);
    e.header.use_cwmp_version = "1.4";
    assert_int_equal(encode_rv(&e, detail, sizeof(detail)), CWMP_ERR_UNSUPPORTED);
    e.version = CWMP_V1_4;
    assert_int_equal(encode_rv(&e, detail, sizeof(detail)), 0);

    struct cwmp_envelope c = base_env();
    c.rpc.method = CWMP_METHOD_CANCEL_TRANSFER;
    c.rpc.u.cancel_transfer.command_key = "k";
    assert_int_equal(encode_rv(&c, detail, sizeof(detail)), CWMP_ERR_UNSUPPORTED);
    c.version = CWMP_V1_2;
    assert_int_equal(encode_rv(&c, detail, sizeof(detail)), 0);

    /* Typed values must be valid; invalid UTF-8 is refused. */
    struct cwmp_param_value pv = {"Device.X", "abc", CWMP_TYPE_INT, NULL};
    struct cwmp_envelope s = base_env();
    s.rpc.method = CWMP_METHOD_SET_PARAMETER_VALUES;
    s.rpc.u.set_parameter_values.params = &pv;
    s.rpc.u.set_parameter_values.param_count = 1;
    s.rpc.u.set_parameter_values.parameter_key = "";
    assert_int_equal(encode_rv(&s, detail, sizeof(detail)), CWMP_ERR_BAD_VALUE);
    pv.value = "-12";
    assert_int_equal(encode_rv(&s, detail, sizeof(detail)), 0);
    pv.type = CWMP_TYPE_STRING;
    pv.value = "bad \xff";
    assert_int_equal(encode_rv(&s, detail, sizeof(detail)), CWMP_ERR_ENCODING);
    s.rpc.u.set_parameter_values.params = NULL;
    assert_int_equal(encode_rv(&s, detail, sizeof(detail)), CWMP_ERR_INVALID_ARG);

    /* Output limit. */
    struct cwmp_codec_options o = opts(0);
    o.max_envelope_bytes = 64;
    char *out = NULL;
    size_t len;
    assert_int_equal(cwmp_envelope_encode(&c, &o, &out, &len, detail, sizeof(detail)),
                     CWMP_ERR_LIMIT);
    assert_null(out);

    /* A fault with defaults. */
    struct cwmp_envelope f = base_env();
    f.rpc.kind = CWMP_RPC_FAULT;
    f.rpc.u.fault.code = 9002;
    o = opts(0);
    assert_int_equal(cwmp_envelope_encode(&f, &o, &out, &len, detail, sizeof(detail)), 0);
    assert_non_null(strstr(out, "<faultcode>SOAP-ENV:Server</faultcode>"));
    assert_non_null(strstr(out, "<FaultString>Internal error</FaultString>"));
    cwmp_encoded_free(&o, out);
}

static void test_escaping_roundtrip(void **state)
{
    (void) state;
    const char *nasty = "a<b>&c\"d'e\r\nf\tg ]]> caf\xc3\xa9";
    struct cwmp_param_value pv = {"Device.X", nasty, CWMP_TYPE_STRING, NULL};
    struct cwmp_envelope s = base_env();
    s.rpc.method = CWMP_METHOD_SET_PARAMETER_VALUES;
    s.rpc.u.set_parameter_values.params = &pv;
    s.rpc.u.set_parameter_values.param_count = 1;
    s.rpc.u.set_parameter_values.parameter_key = "k&<>";
    struct cwmp_codec_options o = opts(1);
    char *out;
    size_t len;
    char detail[256];
    assert_int_equal(cwmp_envelope_encode(&s, &o, &out, &len, detail, sizeof(detail)), 0);
    struct cwmp_envelope *env;
    assert_int_equal(cwmp_envelope_decode(out, len, &o, &env, detail, sizeof(detail)), 0);
    assert_string_equal(env->rpc.u.set_parameter_values.params[0].value, nasty);
    assert_string_equal(env->rpc.u.set_parameter_values.parameter_key, "k&<>");
    cwmp_envelope_free(env);
    cwmp_encoded_free(&o, out);
}

struct sweep_ctx {
    const char *xml;
    size_t len;
    int strict;
};

static int sweep_decode(const struct cwmp_allocator *a, void *ctx)
{
    struct sweep_ctx *c = ctx;
    struct cwmp_codec_options o = opts(c->strict);
    o.allocator = a;
    struct cwmp_envelope *env = NULL;
    int rv = cwmp_envelope_decode(c->xml, c->len, &o, &env, NULL, 0);
    if (rv) {
        assert_null(env);
        return rv;
    }
    char *out = NULL;
    size_t len;
    rv = cwmp_envelope_encode(env, &o, &out, &len, NULL, 0);
    if (!rv) {
        struct cwmp_envelope *dup = NULL;
        rv = cwmp_envelope_dup(env, a, &dup);
        cwmp_envelope_free(dup);
    }
    cwmp_encoded_free(&o, out);
    cwmp_envelope_free(env);
    return rv;
}

static void test_alloc_sweep(void **state)
{
    (void) state;
    static const char *const files[] = {"inform-boot", "quirk-invalid-utf8", "vendor-method",
                                        "change-du-state", "fault-spv"};
    for (size_t i = 0; i < CWMP_ARRAY_SIZE(files); i++) {
        struct sweep_ctx c;
        char *xml = try_read(files[i], ".xml", &c.len);
        assert_non_null(xml);
        c.xml = xml;
        c.strict = 0;
        unsigned long n = alloc_sweep(sweep_decode, &c, CWMP_ERR_NOMEM, 10000);
        assert_true(n > 0);
        test_free(xml);
    }
}

static int sweep_peek(const struct cwmp_allocator *a, void *ctx)
{
    struct sweep_ctx *c = ctx;
    struct cwmp_codec_options o = opts(0);
    o.allocator = a;
    char id[64];
    int rv = cwmp_envelope_peek_id(c->xml, c->len, &o, id, sizeof(id));
    if (rv == 0)
        assert_string_equal(id, "unknown-1");
    return rv;
}

/* cwmp_envelope_peek_id(): the ID of a message whose body is refused. */
static void test_peek_id(void **state)
{
    (void) state;
    static const char unknown[] =
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        "xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\"><s:Header>"
        "<cwmp:ID s:mustUnderstand=\"1\">unknown-1</cwmp:ID></s:Header>"
        "<s:Body><cwmp:NoSuchMethod/></s:Body></s:Envelope>";
    static const char no_id[] =
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        "xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\"><s:Body><cwmp:NoSuchMethod/></s:Body>"
        "</s:Envelope>";
    struct cwmp_codec_options o = opts(0);
    struct cwmp_envelope *env = NULL;
    char id[64];
    assert_int_equal(cwmp_envelope_decode(unknown, strlen(unknown), &o, &env, NULL, 0),
                     CWMP_ERR_UNSUPPORTED);
    assert_int_equal(cwmp_envelope_peek_id(unknown, strlen(unknown), &o, id, sizeof(id)), 0);
    assert_string_equal(id, "unknown-1");
    o.strict = true;
    assert_int_equal(cwmp_envelope_peek_id(unknown, strlen(unknown), &o, id, sizeof(id)), 0);
    assert_int_equal(cwmp_envelope_peek_id(unknown, strlen(unknown), &o, id, 9), CWMP_ERR_LIMIT);
    assert_string_equal(id, "");
    assert_int_equal(cwmp_envelope_peek_id(no_id, strlen(no_id), &o, id, sizeof(id)),
                     CWMP_ERR_MISSING_ARG);
    assert_int_equal(cwmp_envelope_peek_id("<a", 2, &o, id, sizeof(id)), CWMP_ERR_PARSE);
    assert_int_equal(cwmp_envelope_peek_id(unknown, strlen(unknown), &o, NULL, 4),
                     CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_envelope_peek_id(unknown, strlen(unknown), &o, id, 0),
                     CWMP_ERR_INVALID_ARG);
    struct sweep_ctx c = {.xml = unknown, .len = strlen(unknown)};
    assert_true(alloc_sweep(sweep_peek, &c, CWMP_ERR_NOMEM, 1000) > 0);
}

static void test_vendor_encode(void **state)
{
    (void) state;
    struct cwmp_envelope e = base_env();
    e.rpc.method = CWMP_METHOD_VENDOR;
    e.rpc.kind = CWMP_RPC_REQUEST;
    e.rpc.u.vendor.name = "X_00D09E_Frob";
    e.rpc.u.vendor.ns = "urn:example:vendor";
    e.rpc.u.vendor.xml = "<Level>3</Level>";
    e.rpc.u.vendor.xml_len = 16;
    struct cwmp_codec_options o = opts(1);
    char *out;
    size_t len;
    assert_int_equal(cwmp_envelope_encode(&e, &o, &out, &len, NULL, 0), 0);
    struct cwmp_envelope *env;
    assert_int_equal(cwmp_envelope_decode(out, len, &o, &env, NULL, 0), 0);
    assert_int_equal(env->rpc.method, CWMP_METHOD_VENDOR);
    assert_string_equal(env->rpc.u.vendor.name, "X_00D09E_Frob");
    assert_string_equal(env->rpc.u.vendor.ns, "urn:example:vendor");
    assert_string_equal(env->rpc.u.vendor.xml, "<Level>3</Level>");
    cwmp_envelope_free(env);
    cwmp_encoded_free(&o, out);
    e.rpc.u.vendor.name = "Frob";
    assert_int_equal(cwmp_envelope_encode(&e, &o, &out, &len, NULL, 0), CWMP_ERR_INVALID_ARG);
}

static void test_bad_args(void **state)
{
    (void) state;
    struct cwmp_envelope *env = (void *) 1;
    assert_int_equal(cwmp_envelope_decode(NULL, 5, NULL, &env, NULL, 0), CWMP_ERR_INVALID_ARG);
    assert_null(env);
    assert_int_equal(cwmp_envelope_decode("", 0, NULL, NULL, NULL, 0), CWMP_ERR_INVALID_ARG);
    char detail[64];
    assert_int_equal(cwmp_envelope_decode("", 0, NULL, &env, detail, sizeof(detail)),
                     CWMP_ERR_PARSE);
    assert_int_equal(cwmp_envelope_decode("<a>\0</a>", 8, NULL, &env, detail, sizeof(detail)),
                     CWMP_ERR_PARSE);
    assert_non_null(strstr(detail, "NUL byte"));
    cwmp_envelope_free(NULL);
    cwmp_rpc_free(NULL);
    cwmp_encoder_free(NULL);
    cwmp_encoded_free(NULL, NULL);
    assert_string_equal(cwmp_encoder_error_detail(NULL), "");
}

/* ---- main: one cmocka test per golden file ------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

int main(void)
{
    static const struct CMUnitTest unit[] = {
        cmocka_unit_test(test_method_names),  cmocka_unit_test(test_options_defaults),
        cmocka_unit_test(test_limits),        cmocka_unit_test(test_big_gpv_defaults),
        cmocka_unit_test(test_encode_checks), cmocka_unit_test(test_escaping_roundtrip),
        cmocka_unit_test(test_alloc_sweep),   cmocka_unit_test(test_vendor_encode),
        cmocka_unit_test(test_bad_args),      cmocka_unit_test(test_peek_id),
    };
    int failed = cmocka_run_group_tests_name("codec-api", unit, NULL, NULL);

    char dir[1024];
    snprintf(dir, sizeof(dir), "%s/envelopes", test_data_dir());
    DIR *dp = opendir(dir);
    if (!dp) {
        fprintf(stderr, "cannot open %s\n", dir);
        return 1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dp)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".xml") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = realloc(names, cap * sizeof(*names));
        }
        names[n] = strndup(de->d_name, l - 4);
        n++;
    }
    closedir(dp);
    qsort(names, n, sizeof(*names), cmp_str);
    struct CMUnitTest *tests = calloc(n, sizeof(*tests));
    for (size_t i = 0; i < n; i++) {
        tests[i].name = names[i];
        tests[i].test_func = golden;
        tests[i].initial_state = names[i];
    }
    failed += _cmocka_run_group_tests("codec-golden", tests, n, NULL, NULL);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(tests);
    return failed;
}
