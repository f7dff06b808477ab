/*
 * libcwmp tests - hostile input to the envelope decoder. Each case asserts
 * the exact error (and that the one-line detail names the problem), that
 * nothing leaks (every decode runs on cmocka's allocator) and that *out is
 * NULL after a failure. Small cases are files under tests/data/hostile/;
 * big ones (deep nesting, a million array entries, huge attributes) are
 * generated here rather than committed.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include <cwmp/envelope.h>
#include <cwmp/error.h>

#define ENV_HEAD                                                                                   \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                                 \
    "<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\" "             \
    "xmlns:soap-enc=\"http://schemas.xmlsoap.org/soap/encoding/\" "                                \
    "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "                                              \
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "                                     \
    "xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\">\n"                                                  \
    "<soap-env:Header><cwmp:ID soap-env:mustUnderstand=\"1\">1</cwmp:ID></soap-env:Header>\n"      \
    "<soap-env:Body>\n"
#define ENV_TAIL "\n</soap-env:Body>\n</soap-env:Envelope>\n"

/* ---- helpers ------------------------------------------------------------ */

static void opts_init(struct cwmp_codec_options *o, bool strict)
{
    cwmp_codec_options_init(o);
    o->allocator = &test_allocator;
    o->strict = strict;
}

/* Decodes and checks the result; returns the envelope on success. */
static struct cwmp_envelope *decode_expect(const char *data, size_t len,
                                           const struct cwmp_codec_options *o, int expected,
                                           const char *detail_has, const char *what)
{
    struct cwmp_envelope *env = (struct cwmp_envelope *) &env; /* must be overwritten */
    char detail[512];
    memset(detail, 'x', sizeof(detail));
    int rv = cwmp_envelope_decode(data, len, o, &env, detail, sizeof(detail));
    if (rv != expected)
        fail_msg("%s (%s): got %d (%s: %.200s), expected %d (%s)", what,
                 o->strict ? "strict" : "lenient", rv, cwmp_strerror(rv),
                 memchr(detail, '\0', sizeof(detail)) ? detail : "<detail not terminated>",
                 expected, cwmp_strerror(expected));
    if (rv != 0) {
        assert_null(env);
        assert_non_null(memchr(detail, '\0', sizeof(detail)));
        assert_true(detail[0] != '\0');
        assert_null(strchr(detail, '\n')); /* one line */
        if (detail_has && !strstr(detail, detail_has))
            fail_msg("%s: detail \"%s\" does not mention \"%s\"", what, detail, detail_has);
        return NULL;
    }
    assert_non_null(env);
    return env;
}

static void expect_error(const char *data, size_t len, int lenient, int strict,
                         const char *detail_has, const char *what)
{
    struct cwmp_codec_options o;
    opts_init(&o, false);
    struct cwmp_envelope *env = decode_expect(data, len, &o, lenient, detail_has, what);
    cwmp_envelope_free(env);
    opts_init(&o, true);
    env = decode_expect(data, len, &o, strict, detail_has, what);
    cwmp_envelope_free(env);
}

/* A growable test_malloc'ed string. */
struct sb {
    char *p;
    size_t len, cap;
};

static void sb_add(struct sb *b, const char *s, size_t n)
{
    if (b->cap - b->len <= n) {
        size_t ncap = b->cap ? b->cap : 1024;
        while (ncap - b->len <= n)
            ncap *= 2;
        b->p = test_realloc(b->p, ncap);
        b->cap = ncap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_puts(struct sb *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

static void sb_repeat(struct sb *b, const char *s, size_t times)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < times; i++)
        sb_add(b, s, n);
}

static char *load(const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/hostile/%s", test_data_dir(), name);
    char *data = read_file(path, len);
    if (!data)
        fail_msg("cannot read %s", path);
    return data;
}

/* ---- the committed cases ------------------------------------------------ */

static const struct {
    const char *file;
    int lenient;
    int strict;
    const char *detail_has; /* NULL: any non-empty line */
} file_cases[] = {
    {"billion-laughs.xml", CWMP_ERR_DTD, CWMP_ERR_DTD, NULL},
    {"external-entity.xml", CWMP_ERR_DTD, CWMP_ERR_DTD, NULL},
    {"unknown-cwmp-namespace.xml", CWMP_ERR_NAMESPACE, CWMP_ERR_NAMESPACE, NULL},
    {"soap12-namespace.xml", CWMP_ERR_NAMESPACE, CWMP_ERR_NAMESPACE, NULL},
    {"missing-argument.xml", CWMP_ERR_MISSING_ARG, CWMP_ERR_MISSING_ARG, "NextLevel"},
    {"truncated.xml", CWMP_ERR_PARSE, CWMP_ERR_PARSE, NULL},
    {"nul-byte.xml", CWMP_ERR_PARSE, CWMP_ERR_PARSE, NULL},
    {"overlong-parameter-key.xml", CWMP_ERR_BAD_VALUE, CWMP_ERR_BAD_VALUE, "ParameterKey"},
    {"bad-boolean.xml", CWMP_ERR_BAD_VALUE, CWMP_ERR_BAD_VALUE, "NextLevel"},
    {"not-soap.xml", CWMP_ERR_PARSE, CWMP_ERR_PARSE, NULL},
    {"unknown-method.xml", CWMP_ERR_UNSUPPORTED, CWMP_ERR_UNSUPPORTED, "NoSuchMethod"},
    {"no-namespace.xml", CWMP_ERR_NAMESPACE, CWMP_ERR_NAMESPACE, "SOAP 1.1 namespace"},
    {"envelope-in-cwmp-namespace.xml", CWMP_ERR_NAMESPACE, CWMP_ERR_NAMESPACE, "SOAP 1.1"},
    {"unqualified-body.xml", CWMP_ERR_MISSING_ARG, CWMP_ERR_STRICT, NULL},
    {"wrong-cwmp-urn.xml", CWMP_ERR_NAMESPACE, CWMP_ERR_NAMESPACE, "urn:broadband-forum-org"},
    /* mxml 3 takes unquoted attribute values; XML does not. */
    {"unquoted-attribute.xml", CWMP_ERR_PARSE, CWMP_ERR_PARSE, "without quotes"},
    /* mxml gives up on these without a reason: the codec names it. */
    {"duplicate-attribute.xml", CWMP_ERR_PARSE, CWMP_ERR_PARSE, "attribute repeated"},
    /* A close tag matching no open element: mxml once closed the decoder's
     * own top node with it, then freed that node twice (found by libFuzzer). */
    {"stray-close-tag.xml", CWMP_ERR_PARSE, CWMP_ERR_PARSE, NULL},
    /* Valid UTF-8 but not XML characters; mxml passes them through. */
    {"nonchar-fffe.xml", CWMP_ERR_PARSE, CWMP_ERR_PARSE, "U+FFFE is not allowed"},
    {"nonchar-charref.xml", CWMP_ERR_PARSE, CWMP_ERR_PARSE, "U+FFFF"},
};

static void test_files(void **state)
{
    (void) state;
    for (size_t i = 0; i < sizeof(file_cases) / sizeof(file_cases[0]); i++) {
        size_t len;
        char *data = load(file_cases[i].file, &len);
        expect_error(data, len, file_cases[i].lenient, file_cases[i].strict,
                     file_cases[i].detail_has, file_cases[i].file);
        test_free(data);
    }
}

/* ---- empty and truncated ------------------------------------------------ */

static void test_empty(void **state)
{
    (void) state;
    expect_error("", 0, CWMP_ERR_PARSE, CWMP_ERR_PARSE, NULL, "empty");
    expect_error(NULL, 0, CWMP_ERR_PARSE, CWMP_ERR_PARSE, NULL, "NULL, 0");
    expect_error(" \r\n\t", 4, CWMP_ERR_PARSE, CWMP_ERR_PARSE, NULL, "whitespace only");
    /* An empty document is reported as such, even in strict mode. */
    expect_error("\xef\xbb\xbf", 3, CWMP_ERR_PARSE, CWMP_ERR_PARSE, "empty", "BOM only");
    expect_error("<?xml version=\"1.0\"?>", 21, CWMP_ERR_PARSE, CWMP_ERR_PARSE, NULL,
                 "declaration only");
}

static const char gpn_body[] = ENV_HEAD "<cwmp:GetParameterNames><ParameterPath>Device."
                                        "</ParameterPath><NextLevel>1</NextLevel>"
                                        "</cwmp:GetParameterNames>" ENV_TAIL;

static void test_truncated_everywhere(void **state)
{
    (void) state;
    struct cwmp_codec_options o;
    opts_init(&o, false);
    size_t full = sizeof(gpn_body) - 1;
    /* The whole document decodes... */
    struct cwmp_envelope *env = decode_expect(gpn_body, full, &o, 0, NULL, "complete");
    cwmp_envelope_free(env);
    /* ...and every prefix that cuts into the root element is refused. */
    const char *end = strstr(gpn_body, "</soap-env:Envelope>");
    size_t last = (size_t) (end - gpn_body) + strlen("</soap-env:Envelope>");
    for (size_t n = 0; n < last; n++) {
        char *copy = test_malloc(n + 1); /* exact size: ASan sees overreads */
        memcpy(copy, gpn_body, n);
        struct cwmp_envelope *e = NULL;
        int rv = cwmp_envelope_decode(copy, n, &o, &e, NULL, 0);
        if (rv != CWMP_ERR_PARSE)
            fail_msg("prefix of %zu bytes: %d (%s), expected CWMP_ERR_PARSE", n, rv,
                     cwmp_strerror(rv));
        assert_null(e);
        test_free(copy);
    }
}

/* ---- limits ------------------------------------------------------------- */

static void test_deep_nesting(void **state)
{
    (void) state;
    struct sb b = {0};
    sb_puts(&b, ENV_HEAD "<cwmp:GetParameterNames><ParameterPath>");
    sb_repeat(&b, "<a>", 10000);
    sb_repeat(&b, "</a>", 10000);
    sb_puts(&b, "</ParameterPath><NextLevel>1</NextLevel></cwmp:GetParameterNames>" ENV_TAIL);
    /* Lenient mode skips unknown elements but counts their depth; strict
     * mode refuses the first unknown element. */
    expect_error(b.p, b.len, CWMP_ERR_LIMIT, CWMP_ERR_STRICT, NULL, "10,000-deep nesting");
    /* Nesting with no closing tags at all (never well-formed). */
    b.len = 0;
    sb_puts(&b, ENV_HEAD "<cwmp:GetParameterNames>");
    sb_repeat(&b, "<a>", 10000);
    expect_error(b.p, b.len, CWMP_ERR_LIMIT, CWMP_ERR_STRICT, NULL, "unclosed nesting");
    /* The depth limit names itself. */
    struct cwmp_codec_options o;
    opts_init(&o, false);
    decode_expect(b.p, b.len, &o, CWMP_ERR_LIMIT, "max_depth", "unclosed nesting");
    test_free(b.p);
}

static void build_gpv(struct sb *b, size_t entries)
{
    b->len = 0;
    sb_puts(b, ENV_HEAD "<cwmp:GetParameterValues><ParameterNames "
                        "soap-enc:arrayType=\"xsd:string[1000000]\">");
    sb_repeat(b, "<string>A.</string>", entries);
    sb_puts(b, "</ParameterNames></cwmp:GetParameterValues>" ENV_TAIL);
}

static void test_million_entries(void **state)
{
    (void) state;
    struct sb b = {0};
    build_gpv(&b, 1000000);
    struct cwmp_codec_options o;
    opts_init(&o, false);
    /* With the defaults the envelope is simply too big. */
    decode_expect(b.p, b.len, &o, CWMP_ERR_LIMIT, "max_envelope_bytes", "10^6 entries");
    /* Past the size limit, the array limit stops it. */
    o.max_envelope_bytes = 64u << 20;
    decode_expect(b.p, b.len, &o, CWMP_ERR_LIMIT, "max_array_entries", "10^6 entries");
    /* Past the array limit, the element limit (lowered: keeps it fast). */
    o.max_array_entries = 2000000;
    o.max_elements = 150000;
    decode_expect(b.p, b.len, &o, CWMP_ERR_LIMIT, "max_elements", "10^6 entries");
    /* The limits are exact: max_array_entries entries pass, one more fails. */
    opts_init(&o, false);
    o.max_array_entries = 100;
    build_gpv(&b, 100);
    struct cwmp_envelope *env = decode_expect(b.p, b.len, &o, 0, NULL, "100 entries");
    assert_int_equal(env->rpc.u.get_parameter_values.name_count, 100);
    cwmp_envelope_free(env);
    build_gpv(&b, 101);
    decode_expect(b.p, b.len, &o, CWMP_ERR_LIMIT, "max_array_entries", "101 entries");
    test_free(b.p);
}

static void test_huge_attribute(void **state)
{
    (void) state;
    static const size_t sizes[] = {1025, 1u << 20};
    for (size_t i = 0; i < 2; i++) {
        struct sb b = {0};
        sb_puts(&b, ENV_HEAD "<cwmp:GetParameterNames junk=\"");
        sb_repeat(&b, "A", sizes[i]);
        sb_puts(&b, "\"><ParameterPath>Device.</ParameterPath><NextLevel>1</NextLevel>"
                    "</cwmp:GetParameterNames>" ENV_TAIL);
        expect_error(b.p, b.len, CWMP_ERR_LIMIT, CWMP_ERR_LIMIT, "max_attr_len", "huge attribute");
        /* And a huge namespace URI. */
        b.len = 0;
        sb_puts(&b, "<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/"
                    "envelope/\" xmlns:x=\"");
        sb_repeat(&b, "u", sizes[i]);
        sb_puts(&b, "\"><soap-env:Body/></soap-env:Envelope>");
        expect_error(b.p, b.len, CWMP_ERR_LIMIT, CWMP_ERR_LIMIT, "max_attr_len", "huge xmlns");
        test_free(b.p);
    }
    /* Many attributes on one element: 700,000 of them (7 MB) would cost
     * minutes inside mxml, which compares each new attribute with all
     * earlier ones; the codec's pre-scan refuses the element first, so this
     * returns at once. */
    struct sb b = {0};
    sb_puts(&b, ENV_HEAD "<cwmp:GetParameterNames");
    char attr[32];
    for (int k = 0; k < 700000; k++) {
        snprintf(attr, sizeof(attr), " a%d=\"1\"", k);
        sb_puts(&b, attr);
    }
    sb_puts(&b, "><ParameterPath>Device.</ParameterPath><NextLevel>1</NextLevel>"
                "</cwmp:GetParameterNames>" ENV_TAIL);
    expect_error(b.p, b.len, CWMP_ERR_LIMIT, CWMP_ERR_LIMIT, "attributes", "700,000 attributes");
    test_free(b.p);
}

/*
 * The attribute pre-scan must not count what only looks like attributes:
 * tags inside comments, processing instructions, CDATA sections, escaped
 * text, '=' in text and in values, '<' '>' inside quoted attribute values.
 */
static void test_attribute_prescan_no_false_positive(void **state)
{
    (void) state;
    struct sb fake = {0};
    sb_puts(&fake, "<x");
    char attr[32];
    for (int k = 0; k < 40; k++) {
        snprintf(attr, sizeof(attr), " a%d=\"1\"", k);
        sb_puts(&fake, attr);
    }
    sb_puts(&fake, ">");
    struct sb b = {0};
    for (int variant = 0; variant < 7; variant++) {
        b.len = 0;
        sb_puts(&b, ENV_HEAD);
        if (variant == 0) { /* a comment */
            sb_puts(&b, "<!-- ");
            sb_puts(&b, fake.p);
            sb_puts(&b, " -->");
        } else if (variant == 1) { /* a processing instruction */
            sb_puts(&b, "<?pi ");
            sb_puts(&b, fake.p);
            sb_puts(&b, " ?>");
        }
        sb_puts(&b, "<cwmp:SetParameterValues");
        if (variant == 2) /* quoted '<' and '>' */
            sb_puts(&b, " a=\"x > y\" b='<z q=\"1\" r=\"2\">'");
        if (variant == 4) /* a value made of '=' */
            sb_puts(&b, " a=\"========================================\"");
        if (variant == 5) { /* 40 x="1" inside one single-quoted value */
            sb_puts(&b, " a='");
            sb_repeat(&b, " x=\"1\"", 40);
            sb_puts(&b, "'");
        }
        sb_puts(&b, "><ParameterList soap-enc:arrayType=\"cwmp:ParameterValueStruct[1]\">"
                    "<ParameterValueStruct><Name>Device.X</Name>"
                    "<Value xsi:type=\"xsd:string\">");
        if (variant == 3) { /* CDATA */
            sb_puts(&b, "<![CDATA[");
            sb_puts(&b, fake.p);
            sb_puts(&b, "]]>");
        } else if (variant == 6) { /* text full of k=v */
            sb_repeat(&b, "k=v ", 40);
        } else {
            sb_puts(&b, "v");
        }
        sb_puts(&b, "</Value></ParameterValueStruct></ParameterList>"
                    "<ParameterKey>k</ParameterKey></cwmp:SetParameterValues>" ENV_TAIL);
        struct cwmp_codec_options o;
        opts_init(&o, false);
        struct cwmp_envelope *env = decode_expect(b.p, b.len, &o, 0, NULL, "pre-scan");
        const char *v = env->rpc.u.set_parameter_values.params[0].value;
        if (variant == 3)
            assert_string_equal(v, fake.p);
        else if (variant == 6)
            assert_int_equal(strlen(v), 160);
        else
            assert_string_equal(v, "v");
        cwmp_envelope_free(env);
    }
    test_free(b.p);
    test_free(fake.p);
}

static void test_overlong_strings(void **state)
{
    (void) state;
    struct sb b = {0};
    /* A value over max_string_len. */
    sb_puts(&b, ENV_HEAD "<cwmp:SetParameterValues><ParameterList soap-enc:arrayType=\""
                         "cwmp:ParameterValueStruct[1]\"><ParameterValueStruct><Name>Device.X"
                         "</Name><Value xsi:type=\"xsd:string\">");
    sb_repeat(&b, "v", 70000);
    sb_puts(&b, "</Value></ParameterValueStruct></ParameterList><ParameterKey></ParameterKey>"
                "</cwmp:SetParameterValues>" ENV_TAIL);
    expect_error(b.p, b.len, CWMP_ERR_LIMIT, CWMP_ERR_LIMIT, "max_string_len", "70,000-byte value");
    /* A parameter name over the schema's 256. */
    b.len = 0;
    sb_puts(&b, ENV_HEAD "<cwmp:GetParameterNames><ParameterPath>Device.");
    sb_repeat(&b, "A", 256);
    sb_puts(&b, "</ParameterPath><NextLevel>1</NextLevel></cwmp:GetParameterNames>" ENV_TAIL);
    expect_error(b.p, b.len, CWMP_ERR_BAD_VALUE, CWMP_ERR_BAD_VALUE, "ParameterPath",
                 "257-character path");
    /* Element names of 64 KiB: bounded like attribute values (max_attr_len). */
    b.len = 0;
    sb_puts(&b, ENV_HEAD "<");
    sb_repeat(&b, "N", 1u << 16);
    sb_puts(&b, "/>" ENV_TAIL);
    expect_error(b.p, b.len, CWMP_ERR_LIMIT, CWMP_ERR_LIMIT, "max_attr_len", "64 KiB element name");
    b.len = 0;
    sb_puts(&b, ENV_HEAD "<cwmp:");
    sb_repeat(&b, "N", 1u << 16);
    sb_puts(&b, "/>" ENV_TAIL);
    expect_error(b.p, b.len, CWMP_ERR_LIMIT, CWMP_ERR_LIMIT, "max_attr_len", "64 KiB method name");
    test_free(b.p);
}

/* ---- encoding ----------------------------------------------------------- */

static void test_invalid_utf8(void **state)
{
    (void) state;
    size_t len;
    char *data = load("invalid-utf8.xml", &len);
    struct cwmp_codec_options o;
    opts_init(&o, false);
    struct cwmp_envelope *env = decode_expect(data, len, &o, 0, NULL, "invalid UTF-8");
    /* Each bad byte became U+FFFD and a warning says so. */
    assert_string_equal(env->rpc.u.get_parameter_names.parameter_path,
                        "Device.Bad\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd.");
    bool warned = false;
    for (size_t i = 0; i < env->warning_count; i++)
        warned |= env->warnings[i].code == CWMP_WARN_INVALID_UTF8;
    assert_true(warned);
    cwmp_envelope_free(env);
    opts_init(&o, true);
    decode_expect(data, len, &o, CWMP_ERR_ENCODING, NULL, "invalid UTF-8");
    test_free(data);

    /* Overlong encodings, surrogates and code points past U+10FFFF. */
    static const char *const bad[] = {"\xc0\xaf",         "\xe0\x80\xaf",         "\xed\xa0\x80",
                                      "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80", "\xc3"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct sb b = {0};
        sb_puts(&b, ENV_HEAD "<cwmp:GetParameterNames><ParameterPath>Device.");
        sb_puts(&b, bad[i]);
        sb_puts(&b, "</ParameterPath><NextLevel>1</NextLevel></cwmp:GetParameterNames>" ENV_TAIL);
        opts_init(&o, false);
        env = decode_expect(b.p, b.len, &o, 0, NULL, "bad sequence");
        const char *path = env->rpc.u.get_parameter_names.parameter_path;
        assert_non_null(strstr(path, "\xef\xbf\xbd"));
        assert_int_equal(cwmp_utf8_valid_prefix(path, strlen(path)), strlen(path));
        cwmp_envelope_free(env);
        opts_init(&o, true);
        decode_expect(b.p, b.len, &o, CWMP_ERR_ENCODING, NULL, "bad sequence");
        test_free(b.p);
    }
}

static void test_embedded_nul(void **state)
{
    (void) state;
    /* A NUL anywhere is refused, even when len covers it. */
    size_t full = sizeof(gpn_body) - 1;
    char *copy = test_malloc(full);
    memcpy(copy, gpn_body, full);
    const char *p = strstr(gpn_body, "Device.");
    size_t positions[] = {0, (size_t) (p - gpn_body), full - 2};
    for (size_t i = 0; i < 3; i++) {
        char saved = copy[positions[i]];
        copy[positions[i]] = '\0';
        expect_error(copy, full, CWMP_ERR_PARSE, CWMP_ERR_PARSE, NULL, "embedded NUL");
        copy[positions[i]] = saved;
    }
    test_free(copy);
}

/*
 * Documents that stop mxml in the middle of an element, a comment, a CDATA
 * section or an entity. Besides the exact error, the ASan build checks that
 * nothing mxml allocated leaks (mxml 3.3.1 used to lose the partial tree of
 * a parent-less element: fixed by parsing under a top node).
 */
#define SOAP_OPEN "<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\">"

static void test_malformed_xml(void **state)
{
    (void) state;
    static const char *const docs[] = {
        "<a x=\"1\" </b>",
        SOAP_OPEN "<soap-env:Body><b x=\"1\" </b></soap-env:Body></soap-env:Envelope>",
        "<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\" x=\"1\" "
        "x=\"2\"><soap-env:Body/></soap-env:Envelope>",
        SOAP_OPEN "<!-- unterminated <soap-env:Body/></soap-env:Envelope>",
        SOAP_OPEN "<soap-env:Body><![CDATA[ x </soap-env:Body></soap-env:Envelope>",
        SOAP_OPEN "<soap-env:Body>&foo;</soap-env:Body></soap-env:Envelope>",
        "<?xml version=\"1.0\"?><?bad pi <soap-env:Envelope/>",
        SOAP_OPEN "<soap-env:Body></soap-env:Bodx></soap-env:Envelope>",
        SOAP_OPEN "<soap-env:Body>&#0;</soap-env:Body></soap-env:Envelope>",
        SOAP_OPEN "<soap-env:Body>\x01</soap-env:Body></soap-env:Envelope>",
        ENV_HEAD "<cwmp:GetRPCMethods/>" ENV_TAIL "<extra/>",
    };
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
        expect_error(docs[i], strlen(docs[i]), CWMP_ERR_PARSE, CWMP_ERR_PARSE, NULL, docs[i]);

    /* Character references to what UTF-8 cannot carry (a surrogate, beyond
     * U+10FFFF) give U+FFFD and a warning, or the encoding error. */
    static const char *const refs[] = {"&#xD800;", "&#x110000;"};
    for (size_t i = 0; i < 2; i++) {
        struct sb b = {0};
        sb_puts(&b, ENV_HEAD "<cwmp:GetParameterNames><ParameterPath>A");
        sb_puts(&b, refs[i]);
        sb_puts(&b, "B</ParameterPath><NextLevel>1</NextLevel></cwmp:GetParameterNames>" ENV_TAIL);
        struct cwmp_codec_options o;
        opts_init(&o, false);
        struct cwmp_envelope *env = decode_expect(b.p, b.len, &o, 0, NULL, refs[i]);
        const char *path = env->rpc.u.get_parameter_names.parameter_path;
        assert_non_null(strstr(path, "\xef\xbf\xbd"));
        assert_int_equal(cwmp_utf8_valid_prefix(path, strlen(path)), strlen(path));
        assert_true(env->warning_count > 0);
        cwmp_envelope_free(env);
        opts_init(&o, true);
        decode_expect(b.p, b.len, &o, CWMP_ERR_ENCODING, NULL, refs[i]);
        test_free(b.p);
    }
}

static void test_dtd_variants(void **state)
{
    (void) state;
    static const char *const docs[] = {
        "<!DOCTYPE x>" ENV_HEAD ENV_TAIL,
        "<?xml version=\"1.0\"?><!DOCTYPE x SYSTEM \"http://127.0.0.1/x.dtd\">" ENV_HEAD ENV_TAIL,
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY % p SYSTEM \"file:///dev/zero\"> "
        "%p;]>" ENV_HEAD ENV_TAIL,
        ENV_HEAD "<!DOCTYPE x>" ENV_TAIL,
    };
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
        expect_error(docs[i], strlen(docs[i]), CWMP_ERR_DTD, CWMP_ERR_DTD, NULL, docs[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_truncated_everywhere),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_million_entries),
        cmocka_unit_test(test_huge_attribute),
        cmocka_unit_test(test_attribute_prescan_no_false_positive),
        cmocka_unit_test(test_overlong_strings),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_embedded_nul),
        cmocka_unit_test(test_malformed_xml),
        cmocka_unit_test(test_dtd_variants),
    };
    const char *filter = getenv("TEST_FILTER"); /* e.g. TEST_FILTER=test_dtd* */
    if (filter)
        cmocka_set_test_filter(filter);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
