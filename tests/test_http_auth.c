/*
 * libcwmp tests - HTTP authentication (RFC 7616 / RFC 2617 vectors, header
 * parsing, the server verifier's nonce expiry, replay and stale handling,
 * Basic rules), URL splitting and the RFC 6265 cookie jar.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cwmp/http.h>

#include "testutil.h"

#define RFC_NONCE  "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
#define RFC_CNONCE "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
#define RFC_OPAQUE "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"

static void test_rfc7616_vectors(void **state)
{
    (void) state;
    char out[65];
    /* RFC 7616 §3.9.1, MD5 */
    assert_int_equal(cwmp_http_digest_compute(CWMP_DIGEST_MD5, "Mufasa", "http-auth@example.org",
                                              "Circle of Life", "GET", "/dir/index.html", RFC_NONCE,
                                              1, RFC_CNONCE, 1, out),
                     0);
    assert_string_equal(out, "8ca523f5e9506fed4657c9700eebdbec");
    /* RFC 7616 §3.9.1, SHA-256 */
    assert_int_equal(cwmp_http_digest_compute(CWMP_DIGEST_SHA256, "Mufasa", "http-auth@example.org",
                                              "Circle of Life", "GET", "/dir/index.html", RFC_NONCE,
                                              1, RFC_CNONCE, 1, out),
                     0);
    assert_string_equal(out, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    /* RFC 2617 §3.5 */
    assert_int_equal(cwmp_http_digest_compute(CWMP_DIGEST_MD5, "Mufasa", "testrealm@host.com",
                                              "Circle Of Life", "GET", "/dir/index.html",
                                              "dcd98b7102dd2f0e8b11d0f600bfb0c093", 1, "0a4f113b",
                                              1, out),
                     0);
    assert_string_equal(out, "6629fae49393a05397450978507c4ef1");
    assert_int_equal(
        cwmp_http_digest_compute(CWMP_DIGEST_MD5, NULL, "r", "p", "GET", "/", "n", 1, "c", 1, out),
        CWMP_ERR_INVALID_ARG);
}

static int fixed_rng(void *user, uint8_t *buf, size_t len)
{
    unsigned *ctr = user;
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t) (*ctr + i);
    (*ctr)++;
    return 0;
}

static void test_parse_challenge(void **state)
{
    (void) state;
    struct cwmp_http_auth_params a;
    /* Strongest wins inside one header: SHA-256 over MD5 over Basic. */
    const char *v = "Basic realm=\"x\", Digest realm=\"http-auth@example.org\", qop=\"auth, "
                    "auth-int\", algorithm=MD5, nonce=\"" RFC_NONCE "\", opaque=\"" RFC_OPAQUE
                    "\", Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", "
                    "algorithm=SHA-256, nonce=\"" RFC_NONCE "\", opaque=\"" RFC_OPAQUE "\"";
    assert_int_equal(cwmp_http_auth_parse(v, strlen(v), 1, &a), 0);
    assert_int_equal(a.scheme, CWMP_HTTP_AUTH_DIGEST);
    assert_int_equal(a.alg, CWMP_DIGEST_SHA256);
    assert_true(a.qop_auth);
    assert_string_equal(a.realm, "http-auth@example.org");
    assert_string_equal(a.nonce, RFC_NONCE);
    assert_string_equal(a.opaque, RFC_OPAQUE);

    v = "Digest realm=\"r\", nonce=\"n\", stale=TRUE, algorithm=MD5-sess";
    assert_int_equal(cwmp_http_auth_parse(v, strlen(v), 1, &a), CWMP_ERR_UNSUPPORTED);
    v = "Digest realm=\"a\\\"b\", nonce=\"n\", stale=true";
    assert_int_equal(cwmp_http_auth_parse(v, strlen(v), 1, &a), 0);
    assert_string_equal(a.realm, "a\"b");
    assert_true(a.stale);
    assert_false(a.qop_present);
    v = "Basic realm=\"cpe\"";
    assert_int_equal(cwmp_http_auth_parse(v, strlen(v), 1, &a), 0);
    assert_int_equal(a.scheme, CWMP_HTTP_AUTH_BASIC);
    assert_string_equal(a.realm, "cpe");

    static const char *bad[] = {
        "",
        "Digest realm=\"unterminated",
        "Digest realm=\"r\", realm=\"s\", nonce=\"n\"",
        "realm=x",
        "Digest =x",
        "Digest realm=\"r\" nonce=\"n\"",
        "Digest realm=\"\x01\"",
        "Negotiate abc",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_true(cwmp_http_auth_parse(bad[i], strlen(bad[i]), 1, &a) < 0);
    /* Field longer than the fixed buffer. */
    char big[600] = "Digest realm=\"";
    memset(big + strlen(big), 'a', 300);
    strcat(big, "\", nonce=\"n\"");
    assert_int_equal(cwmp_http_auth_parse(big, strlen(big), 1, &a), CWMP_ERR_LIMIT);
    /* Embedded NUL */
    assert_int_equal(cwmp_http_auth_parse("Digest realm=\"a\0b\"", 18, 1, &a), CWMP_ERR_PARSE);
}

static void test_parse_authorization(void **state)
{
    (void) state;
    struct cwmp_http_auth_params a;
    const char *v = "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", "
                    "uri=\"/dir/index.html\", algorithm=SHA-256, nonce=\"" RFC_NONCE "\", "
                    "nc=00000001, cnonce=\"" RFC_CNONCE "\", qop=auth, "
                    "response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\""
                    ", opaque=\"" RFC_OPAQUE "\"";
    assert_int_equal(cwmp_http_auth_parse(v, strlen(v), 0, &a), 0);
    assert_int_equal(a.nc, 1);
    assert_string_equal(a.username, "Mufasa");
    assert_string_equal(a.cnonce, RFC_CNONCE);
    assert_string_equal(a.uri, "/dir/index.html");
    /* RFC 7617 example */
    v = "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==";
    assert_int_equal(cwmp_http_auth_parse(v, strlen(v), 0, &a), 0);
    assert_int_equal(a.scheme, CWMP_HTTP_AUTH_BASIC);
    assert_string_equal(a.username, "Aladdin");
    assert_string_equal(a.response, "open sesame");
    static const char *bad[] = {
        "Basic !!!",
        "Basic QWxhZGRpbg==",
        "Basic",
        "Digest username=\"u\"",
        "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"/\", response=\"x\", qop=auth",
        "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"/\", response=\"x\", nc=1",
        "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"/\", response=\"x\", Basic abc",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_true(cwmp_http_auth_parse(bad[i], strlen(bad[i]), 0, &a) < 0);
}

static void test_build_authorization(void **state)
{
    (void) state;
    struct cwmp_http_auth_params ch, back;
    const char *v = "Digest realm=\"cwmp\", qop=\"auth\", algorithm=SHA-256, nonce=\"abc\", "
                    "opaque=\"op\"";
    assert_int_equal(cwmp_http_auth_parse(v, strlen(v), 1, &ch), 0);
    unsigned ctr = 0;
    char out[1024];
    assert_int_equal(cwmp_http_auth_authorization(&ch, "us\"er", "pw", "POST", "/acs", 7, fixed_rng,
                                                  &ctr, out, sizeof(out)),
                     0);
    assert_int_equal(ctr, 1);
    assert_int_equal(cwmp_http_auth_parse(out, strlen(out), 0, &back), 0);
    assert_string_equal(back.username, "us\"er");
    assert_int_equal(back.nc, 7);
    assert_string_equal(back.opaque, "op");
    char expect[65];
    assert_int_equal(cwmp_http_digest_compute(CWMP_DIGEST_SHA256, "us\"er", "cwmp", "pw", "POST",
                                              "/acs", "abc", 7, back.cnonce, 1, expect),
                     0);
    assert_string_equal(back.response, expect);
    /* buffer too small */
    assert_int_equal(
        cwmp_http_auth_authorization(&ch, "u", "p", "GET", "/", 1, fixed_rng, &ctr, out, 40),
        CWMP_ERR_BUFFER);
    /* Basic */
    memset(&ch, 0, sizeof(ch));
    ch.scheme = CWMP_HTTP_AUTH_BASIC;
    assert_int_equal(cwmp_http_auth_authorization(&ch, "Aladdin", "open sesame", "GET", "/", 1,
                                                  NULL, NULL, out, sizeof(out)),
                     0);
    assert_string_equal(out, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    assert_int_equal(
        cwmp_http_auth_authorization(&ch, "a:b", "c", "GET", "/", 1, NULL, NULL, out, sizeof(out)),
        CWMP_ERR_INVALID_ARG);
}

static int lookup(void *user, const char *username, char *buf, size_t size)
{
    (void) user;
    if (strcmp(username, "acs") != 0)
        return -1;
    snprintf(buf, size, "secret");
    return 0;
}

/* Extracts the first challenge of a header block and answers it. */
static void answer(const char *hdrs, const char *user, const char *pw, const char *method,
                   const char *uri, uint32_t nc, char *out, size_t size,
                   struct cwmp_http_auth_params *ch)
{
    const char *v = strstr(hdrs, "WWW-Authenticate: ");
    assert_non_null(v);
    v += strlen("WWW-Authenticate: ");
    const char *e = strstr(v, "\r\n");
    assert_int_equal(cwmp_http_auth_parse(v, (size_t) (e - v), 1, ch), 0);
    unsigned ctr = nc;
    assert_int_equal(
        cwmp_http_auth_authorization(ch, user, pw, method, uri, nc, fixed_rng, &ctr, out, size), 0);
}

static struct cwmp_http_auth_server *mk_server(int sha, int basic, unsigned max_nonces)
{
    struct cwmp_http_auth_server_config cfg = {
        .alloc = &test_allocator,
        .realm = "cwmp",
        .digest_md5 = 1,
        .digest_sha256 = sha,
        .allow_basic = basic,
        .nonce_lifetime_ms = 1000,
        .max_nonces = max_nonces,
        .password = lookup,
    };
    struct cwmp_http_auth_server *s = NULL;
    assert_int_equal(cwmp_http_auth_server_new(&s, &cfg), 0);
    return s;
}

static void test_server_digest(void **state)
{
    (void) state;
    struct cwmp_http_auth_server *s = mk_server(1, 0, 2);
    char hdrs[1024], authz[1024], user[32];
    struct cwmp_http_auth_params ch;
    int stale;
    cwmp_time_ms t0 = 1000000;

    assert_int_equal(cwmp_http_auth_server_challenge(s, t0, 0, 0, hdrs, sizeof(hdrs)), 0);
    assert_non_null(strstr(hdrs, "algorithm=SHA-256"));
    assert_non_null(strstr(hdrs, "algorithm=MD5"));
    assert_null(strstr(hdrs, "Basic"));
    assert_null(strstr(hdrs, "stale"));
    answer(hdrs, "acs", "secret", "GET", "/cr", 1, authz, sizeof(authz), &ch);
    assert_int_equal(ch.alg, CWMP_DIGEST_SHA256);
    /* Good */
    assert_int_equal(cwmp_http_auth_server_verify(s, "GET", "/cr", authz, 0, t0 + 10, &stale, user,
                                                  sizeof(user)),
                     0);
    assert_string_equal(user, "acs");
    /* Replay of the same nc */
    assert_int_equal(
        cwmp_http_auth_server_verify(s, "GET", "/cr", authz, 0, t0 + 20, &stale, NULL, 0),
        CWMP_ERR_AUTH);
    assert_false(stale);
    /* nc 2 on the same nonce is fine */
    char authz2[1024];
    struct cwmp_http_auth_params ch2;
    answer(hdrs, "acs", "secret", "GET", "/cr", 2, authz2, sizeof(authz2), &ch2);
    assert_int_equal(
        cwmp_http_auth_server_verify(s, "GET", "/cr", authz2, 0, t0 + 30, &stale, NULL, 0), 0);
    /* Other method or uri than what was signed */
    answer(hdrs, "acs", "secret", "GET", "/cr", 3, authz, sizeof(authz), &ch);
    assert_int_equal(
        cwmp_http_auth_server_verify(s, "POST", "/cr", authz, 0, t0 + 30, &stale, NULL, 0),
        CWMP_ERR_AUTH);
    assert_int_equal(
        cwmp_http_auth_server_verify(s, "GET", "/other", authz, 0, t0 + 30, &stale, NULL, 0),
        CWMP_ERR_AUTH);
    /* Wrong password, unknown user */
    answer(hdrs, "acs", "wrong", "GET", "/cr", 4, authz, sizeof(authz), &ch);
    assert_int_equal(
        cwmp_http_auth_server_verify(s, "GET", "/cr", authz, 0, t0 + 30, &stale, NULL, 0),
        CWMP_ERR_AUTH);
    assert_false(stale);
    answer(hdrs, "bob", "secret", "GET", "/cr", 5, authz, sizeof(authz), &ch);
    assert_int_equal(
        cwmp_http_auth_server_verify(s, "GET", "/cr", authz, 0, t0 + 30, &stale, NULL, 0),
        CWMP_ERR_AUTH);
    /* Expired nonce with right credentials: stale */
    answer(hdrs, "acs", "secret", "GET", "/cr", 6, authz, sizeof(authz), &ch);
    assert_int_equal(
        cwmp_http_auth_server_verify(s, "GET", "/cr", authz, 0, t0 + 5000, &stale, NULL, 0),
        CWMP_ERR_AUTH);
    assert_true(stale);
    assert_int_equal(cwmp_http_auth_server_challenge(s, t0 + 5000, 1, 0, hdrs, sizeof(hdrs)), 0);
    assert_non_null(strstr(hdrs, "stale=true"));
    /* A nonce we never issued (forged, or from another server) */
    char forged[1024];
    struct cwmp_http_auth_params fch = ch;
    memset(fch.nonce, 'a', 64);
    fch.nonce[64] = 0;
    unsigned ctr = 0;
    assert_int_equal(cwmp_http_auth_authorization(&fch, "acs", "secret", "GET", "/cr", 1, fixed_rng,
                                                  &ctr, forged, sizeof(forged)),
                     0);
    assert_int_equal(
        cwmp_http_auth_server_verify(s, "GET", "/cr", forged, 0, t0 + 5000, &stale, NULL, 0),
        CWMP_ERR_AUTH);
    assert_false(stale);
    /* Evicted from the (2-entry) table: stale, not accepted. */
    char first[1024];
    answer(hdrs, "acs", "secret", "GET", "/cr", 1, first, sizeof(first), &ch);
    char h2[1024];
    assert_int_equal(cwmp_http_auth_server_challenge(s, t0 + 5000, 0, 0, h2, sizeof(h2)), 0);
    assert_int_equal(cwmp_http_auth_server_challenge(s, t0 + 5000, 0, 0, h2, sizeof(h2)), 0);
    assert_int_equal(
        cwmp_http_auth_server_verify(s, "GET", "/cr", first, 0, t0 + 5010, &stale, NULL, 0),
        CWMP_ERR_AUTH);
    assert_true(stale);
    /* No header, garbage */
    assert_int_equal(cwmp_http_auth_server_verify(s, "GET", "/cr", NULL, 0, t0, &stale, NULL, 0),
                     CWMP_ERR_AUTH);
    assert_int_equal(
        cwmp_http_auth_server_verify(s, "GET", "/cr", "Digest ,,,", 0, t0, &stale, NULL, 0),
        CWMP_ERR_AUTH);
    cwmp_http_auth_server_free(s);
}

static char long_pw[257];

static int lookup_long(void *user, const char *username, char *buf, size_t size)
{
    (void) user;
    (void) username;
    snprintf(buf, size, "%s", long_pw);
    return 0;
}

/* CWMP string(256) credentials fit everywhere. */
static void test_long_credentials(void **state)
{
    (void) state;
    char user[257];
    memset(user, 'u', 256);
    user[256] = 0;
    memset(long_pw, 'p', 256);
    long_pw[256] = 0;
    struct cwmp_http_auth_server_config cfg = {
        .alloc = &test_allocator, .realm = "cwmp", .digest_sha256 = 1, .password = lookup_long};
    struct cwmp_http_auth_server *s = NULL;
    assert_int_equal(cwmp_http_auth_server_new(&s, &cfg), 0);
    char hdrs[1024], authz[2048];
    struct cwmp_http_auth_params ch;
    assert_int_equal(cwmp_http_auth_server_challenge(s, 5, 0, 0, hdrs, sizeof(hdrs)), 0);
    answer(hdrs, user, long_pw, "GET", "/cr", 1, authz, sizeof(authz), &ch);
    assert_int_equal(cwmp_http_auth_server_verify(s, "GET", "/cr", authz, 0, 6, NULL, NULL, 0), 0);
    /* Basic with the same lengths */
    memset(&ch, 0, sizeof(ch));
    ch.scheme = CWMP_HTTP_AUTH_BASIC;
    assert_int_equal(cwmp_http_auth_authorization(&ch, user, long_pw, "GET", "/", 1, NULL, NULL,
                                                  authz, sizeof(authz)),
                     0);
    struct cwmp_http_auth_params back;
    assert_int_equal(cwmp_http_auth_parse(authz, strlen(authz), 0, &back), 0);
    assert_string_equal(back.username, user);
    assert_string_equal(back.response, long_pw);
    cwmp_http_auth_server_free(s);
}

static void test_server_basic(void **state)
{
    (void) state;
    const char *good = "Basic YWNzOnNlY3JldA=="; /* acs:secret */
    const char *bad = "Basic YWNzOnNlY3JldDE=";  /* acs:secret1 */
    struct cwmp_http_auth_server *s = mk_server(0, 0, 0);
    /* Basic not enabled */
    assert_int_equal(cwmp_http_auth_server_verify(s, "GET", "/", good, 1, 0, NULL, NULL, 0),
                     CWMP_ERR_AUTH);
    cwmp_http_auth_server_free(s);
    s = mk_server(0, 1, 0);
    char hdrs[1024];
    assert_int_equal(cwmp_http_auth_server_challenge(s, 0, 0, 0, hdrs, sizeof(hdrs)), 0);
    assert_null(strstr(hdrs, "Basic")); /* not offered without TLS */
    assert_int_equal(cwmp_http_auth_server_challenge(s, 0, 0, 1, hdrs, sizeof(hdrs)), 0);
    assert_non_null(strstr(hdrs, "Basic realm=\"cwmp\""));
    assert_int_equal(cwmp_http_auth_server_verify(s, "GET", "/", good, 0, 0, NULL, NULL, 0),
                     CWMP_ERR_AUTH);
    assert_int_equal(cwmp_http_auth_server_verify(s, "GET", "/", good, 1, 0, NULL, NULL, 0), 0);
    assert_int_equal(cwmp_http_auth_server_verify(s, "GET", "/", bad, 1, 0, NULL, NULL, 0),
                     CWMP_ERR_AUTH);
    cwmp_http_auth_server_free(s);
}

static int sweep_server(const struct cwmp_allocator *a, void *ctx)
{
    (void) ctx;
    struct cwmp_http_auth_server_config cfg = {.alloc = a, .realm = "r", .password = lookup};
    struct cwmp_http_auth_server *s = NULL;
    int rv = cwmp_http_auth_server_new(&s, &cfg);
    if (rv)
        return rv;
    char hdrs[512];
    rv = cwmp_http_auth_server_challenge(s, 0, 0, 0, hdrs, sizeof(hdrs));
    cwmp_http_auth_server_free(s);
    return rv;
}

static void test_server_sweep(void **state)
{
    (void) state;
    assert_true(alloc_sweep(sweep_server, NULL, CWMP_ERR_NOMEM, 50) >= 3);
}

static void test_url(void **state)
{
    (void) state;
    struct cwmp_url u;
    assert_int_equal(cwmp_url_parse("http://ACS.example.net:7547/acs?x=1#frag", &u), 0);
    assert_string_equal(u.host, "acs.example.net");
    assert_int_equal(u.port, 7547);
    assert_string_equal(u.path, "/acs?x=1");
    assert_false(u.tls);
    assert_int_equal(cwmp_url_parse("https://[2001:db8::1]/", &u), 0);
    assert_string_equal(u.host, "2001:db8::1");
    assert_int_equal(u.port, 443);
    assert_true(u.tls);
    assert_int_equal(cwmp_url_parse("http://us%40er:p%3Aw@host", &u), 0);
    assert_string_equal(u.userinfo, "us@er:p:w");
    assert_string_equal(u.path, "/");
    assert_int_equal(cwmp_url_parse("ftp://files.example.net/fw.bin", &u), CWMP_ERR_UNSUPPORTED);
    assert_string_equal(u.scheme, "ftp");
    assert_int_equal(cwmp_url_parse("sftp://h/f", &u), CWMP_ERR_UNSUPPORTED);
    static const char *bad[] = {"",
                                "acs",
                                "http://",
                                "http://:80/",
                                "http://h:0/",
                                "http://h:65536/",
                                "http://h:8x/",
                                "http://h /",
                                "http://h\r\n/",
                                "http://[::1/",
                                "http://h%00/",
                                "1http://h/",
                                "http://h:/"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(cwmp_url_parse(bad[i], &u), CWMP_ERR_PARSE);
}

static void test_cookies(void **state)
{
    (void) state;
    struct cwmp_cookie_jar *j;
    struct cwmp_url acs, other, sub, sec;
    char h[512];
    int64_t now = 1700000000;
    assert_int_equal(cwmp_cookie_jar_new(&j, &test_allocator, 4), 0);
    assert_int_equal(cwmp_url_parse("http://acs.example.net/cwmp/acs", &acs), 0);
    assert_int_equal(cwmp_url_parse("http://evil.example.org/cwmp/acs", &other), 0);
    assert_int_equal(cwmp_url_parse("http://a.acs.example.net/cwmp/x", &sub), 0);
    assert_int_equal(cwmp_url_parse("https://acs.example.net/", &sec), 0);

    /* GenieACS-style session cookie, host-only, default path /cwmp */
    assert_int_equal(cwmp_cookie_jar_set(j, &acs, "session=abc123; HttpOnly", now), 0);
    assert_int_equal(cwmp_cookie_jar_header(j, &acs, now, h, sizeof(h)), 0);
    assert_string_equal(h, "session=abc123");
    assert_int_equal(cwmp_cookie_jar_header(j, &other, now, h, sizeof(h)), 0);
    assert_string_equal(h, "");
    assert_int_equal(cwmp_cookie_jar_header(j, &sub, now, h, sizeof(h)), 0);
    assert_string_equal(h, ""); /* host-only */
    assert_int_equal(cwmp_cookie_jar_header(j, &sec, now, h, sizeof(h)), 0);
    assert_string_equal(h, ""); /* path /cwmp does not match / */
    /* Domain cookie, path /, longer path first in the header */
    assert_int_equal(cwmp_cookie_jar_set(j, &acs, "d=1; Domain=.example.net; Path=/", now), 0);
    assert_int_equal(cwmp_cookie_jar_header(j, &acs, now, h, sizeof(h)), 0);
    assert_string_equal(h, "session=abc123; d=1");
    assert_int_equal(cwmp_cookie_jar_header(j, &sub, now, h, sizeof(h)), 0);
    assert_string_equal(h, "d=1");
    /* Rejected: foreign domain, bare TLD, Secure from http */
    assert_int_equal(cwmp_cookie_jar_set(j, &acs, "x=1; Domain=example.org", now), 1);
    assert_int_equal(cwmp_cookie_jar_set(j, &acs, "x=1; Domain=net", now), 1);
    assert_int_equal(cwmp_cookie_jar_set(j, &acs, "x=1; Secure", now), 1);
    assert_int_equal(cwmp_cookie_jar_set(j, &acs, "novalue", now), 1);
    assert_int_equal(cwmp_cookie_jar_count(j), 2);
    /* Secure over https only */
    assert_int_equal(cwmp_cookie_jar_set(j, &sec, "s=2; Secure; Max-Age=60", now), 0);
    assert_int_equal(cwmp_cookie_jar_header(j, &sec, now, h, sizeof(h)), 0);
    assert_string_equal(h, "d=1; s=2");
    assert_int_equal(cwmp_cookie_jar_header(j, &sec, now + 61, h, sizeof(h)), 0);
    assert_string_equal(h, "d=1"); /* expired */
    /* Replace, then delete with Max-Age=0 and with a past Expires */
    assert_int_equal(cwmp_cookie_jar_set(j, &acs, "session=def", now), 0);
    assert_int_equal(cwmp_cookie_jar_count(j), 3);
    assert_int_equal(cwmp_cookie_jar_header(j, &acs, now, h, sizeof(h)), 0);
    assert_string_equal(h, "session=def; d=1");
    assert_int_equal(cwmp_cookie_jar_set(j, &acs, "session=; Max-Age=0", now), 0);
    assert_int_equal(cwmp_cookie_jar_set(j, &acs,
                                         "d=; Domain=example.net; Path=/; Expires=Thu, 01 Jan 1970 "
                                         "00:00:00 GMT",
                                         now),
                     0);
    assert_int_equal(cwmp_cookie_jar_count(j), 1);
    /* Expires in the future is honoured */
    assert_int_equal(
        cwmp_cookie_jar_set(j, &acs, "e=1; Path=/; Expires=Wed, 21 Oct 2099 07:28:00 GMT", now), 0);
    assert_int_equal(cwmp_cookie_jar_header(j, &acs, now, h, sizeof(h)), 0);
    assert_string_equal(h, "e=1");
    /* Jar limit; expired cookies make room */
    assert_int_equal(cwmp_cookie_jar_set(j, &acs, "f=1", now), 0);
    assert_int_equal(cwmp_cookie_jar_set(j, &acs, "g=1; Max-Age=10", now), 0);
    assert_int_equal(cwmp_cookie_jar_set(j, &acs, "h=1", now), CWMP_ERR_LIMIT);
    assert_int_equal(cwmp_cookie_jar_set(j, &acs, "h=1", now + 11), 0);
    assert_int_equal(cwmp_cookie_jar_set(j, &acs, "i=1", now + 11), CWMP_ERR_LIMIT);
    /* Small output buffer */
    assert_int_equal(cwmp_cookie_jar_header(j, &acs, now, h, 4), CWMP_ERR_BUFFER);
    cwmp_cookie_jar_clear(j);
    assert_int_equal(cwmp_cookie_jar_count(j), 0);
    cwmp_cookie_jar_free(j);
}

static int sweep_cookies(const struct cwmp_allocator *a, void *ctx)
{
    (void) ctx;
    struct cwmp_cookie_jar *j;
    struct cwmp_url u;
    cwmp_url_parse("http://h/", &u);
    int rv = cwmp_cookie_jar_new(&j, a, 0);
    if (rv)
        return rv;
    rv = cwmp_cookie_jar_set(j, &u, "a=1", 0);
    if (!rv)
        rv = cwmp_cookie_jar_set(j, &u, "b=2", 0);
    cwmp_cookie_jar_free(j);
    return rv;
}

static void test_cookie_sweep(void **state)
{
    (void) state;
    assert_true(alloc_sweep(sweep_cookies, NULL, CWMP_ERR_NOMEM, 20) >= 3);
}

/* The client driven without any I/O: canned responses in, request bytes out. */
static int feed_str(struct cwmp_http_client *c, const char *text, struct cwmp_http_response *r)
{
    size_t used;
    return cwmp_http_client_feed(c, (const uint8_t *) text, strlen(text), &used, r);
}

static void test_client_sans_io(void **state)
{
    (void) state;
    struct cwmp_http_client_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.alloc = &test_allocator;
    cfg.username = "cpe";
    cfg.password = "pw";
    unsigned ctr = 0;
    cfg.rng = fixed_rng;
    cfg.rng_user = &ctr;
    struct cwmp_http_client *c;
    struct cwmp_http_response r;
    const uint8_t *out;
    size_t len;
    const char *host;
    uint16_t port;
    int tls;
    assert_int_equal(cwmp_http_client_new(&c, &cfg, "http://acs.example.net:7547/acs"), 0);
    assert_int_equal(cwmp_http_client_output(c, &out, &len), CWMP_ERR_STATE);
    assert_int_equal(cwmp_http_client_start(c, "POST", "text/xml", "", (const uint8_t *) "<E/>", 4),
                     0);
    assert_int_equal(cwmp_http_client_output(c, &out, &len), 0);
    char req[2048];
    assert_true(len < sizeof(req));
    memcpy(req, out, len);
    req[len] = 0;
    assert_string_equal(req, "POST /acs HTTP/1.1\r\nHost: acs.example.net:7547\r\n"
                             "User-Agent: libcwmp/0.1.0\r\nContent-Type: text/xml\r\n"
                             "SOAPAction:\r\nContent-Length: 4\r\n\r\n<E/>");
    /* 401 in two pieces */
    assert_int_equal(feed_str(c,
                              "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest "
                              "realm=\"acs\", nonce=\"n1\", qop=\"auth\"\r\n",
                              &r),
                     CWMP_ERR_AGAIN);
    assert_int_equal(feed_str(c, "Content-Length: 0\r\n\r\n", &r), CWMP_HTTP_CLIENT_RESEND);
    assert_int_equal(cwmp_http_client_output(c, &out, &len), 0);
    memcpy(req, out, len);
    req[len] = 0;
    assert_non_null(strstr(req, "Authorization: Digest username=\"cpe\", realm=\"acs\", "
                                "nonce=\"n1\", uri=\"/acs\", algorithm=MD5, qop=auth, "
                                "nc=00000001"));
    assert_non_null(strstr(req, "<E/>"));
    /* redirect to another host: reconnect there, without credentials */
    assert_int_equal(feed_str(c,
                              "HTTP/1.1 302 Found\r\nLocation: https://acs2.example.net/x\r\n"
                              "Set-Cookie: s=1\r\nContent-Length: 0\r\n\r\n",
                              &r),
                     CWMP_ERR_HTTP);
    /* (https without a TLS config is refused, never plain) */
    assert_int_equal(cwmp_http_client_start(c, "POST", NULL, NULL, NULL, 0), 0);
    assert_int_equal(cwmp_http_client_output(c, &out, &len), 0);
    memcpy(req, out, len);
    req[len] = 0;
    assert_non_null(strstr(req, "Cookie: s=1\r\n"));
    assert_non_null(strstr(req, "nc=00000002"));
    assert_int_equal(feed_str(c,
                              "HTTP/1.1 307 Temporary Redirect\r\nLocation: "
                              "http://acs2.example.net:8080/y\r\nContent-Length: 0\r\n\r\n",
                              &r),
                     CWMP_HTTP_CLIENT_RECONNECT);
    assert_int_equal(cwmp_http_client_target(c, &host, &port, &tls), 0);
    assert_string_equal(host, "acs2.example.net");
    assert_int_equal(port, 8080);
    assert_false(tls);
    assert_string_equal(cwmp_http_client_url(c), "http://acs2.example.net:8080/y");
    assert_int_equal(cwmp_http_client_output(c, &out, &len), 0);
    memcpy(req, out, len);
    req[len] = 0;
    assert_null(strstr(req, "Authorization"));
    assert_null(strstr(req, "Cookie"));
    /* a response delimited by the close */
    assert_int_equal(feed_str(c, "HTTP/1.0 200 OK\r\nContent-Type: text/xml\r\n\r\n<R/>", &r),
                     CWMP_ERR_AGAIN);
    size_t used;
    assert_int_equal(cwmp_http_client_feed(c, NULL, 0, &used, &r), 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, 4);
    assert_memory_equal(r.body, "<R/>", 4);
    assert_string_equal(r.content_type, "text/xml");
    assert_true(r.close);
    assert_int_equal(cwmp_http_client_feed(c, (const uint8_t *) "x", 1, &used, &r), CWMP_ERR_STATE);
    /* malformed response */
    assert_int_equal(cwmp_http_client_start(c, "GET", NULL, NULL, NULL, 0), 0);
    assert_int_equal(cwmp_http_client_output(c, &out, &len), 0);
    assert_int_equal(feed_str(c,
                              "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: "
                              "2\r\n\r\n",
                              &r),
                     CWMP_ERR_HTTP);
    assert_int_equal(cwmp_http_client_start(c, "G T", NULL, NULL, NULL, 0), CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_http_client_start(c, "GET", "a\r\nb", NULL, NULL, 0),
                     CWMP_ERR_INVALID_ARG);
    cwmp_http_client_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc7616_vectors),
        cmocka_unit_test(test_parse_challenge),
        cmocka_unit_test(test_parse_authorization),
        cmocka_unit_test(test_build_authorization),
        cmocka_unit_test(test_server_digest),
        cmocka_unit_test(test_server_basic),
        cmocka_unit_test(test_server_sweep),
        cmocka_unit_test(test_url),
        cmocka_unit_test(test_cookies),
        cmocka_unit_test(test_cookie_sweep),
        cmocka_unit_test(test_client_sans_io),
        cmocka_unit_test(test_long_credentials),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
