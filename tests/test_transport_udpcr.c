/*
 * libcwmp tests - UDP connection requests (TR-069 Annex G) and the STUN
 * binding of TR-111 Part 2. Pure functions, plus one loopback send.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "testutil.h"

#include <mbedtls/md.h>

#include <cwmp/transport.h>
#include <cwmp/udpcr.h>

#define NOW  1700000000
#define USER "cpe-0001"
#define PASS "s3cret"

static size_t build(char *buf, size_t size, int64_t ts, const char *id)
{
    size_t len = 0;
    assert_int_equal(
        cwmp_udpcr_build("192.0.2.7:7547", ts, id, USER, "XTGRWIPC6D3IPXS3", PASS, buf, size, &len),
        0);
    assert_int_equal(strlen(buf), len);
    return len;
}

static int verify(struct cwmp_udpcr_replay *r, const char *msg, enum cwmp_udpcr_verdict *v)
{
    return cwmp_udpcr_verify(r, (const uint8_t *) msg, strlen(msg), USER, PASS, NOW, v);
}

/* sig computed independently of the library: HMAC-SHA1(PASS, ts id un cn). */
static void independent_sig(const char *text, char hex[41], int upper)
{
    unsigned char mac[20];
    assert_int_equal(mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA1),
                                     (const unsigned char *) PASS, strlen(PASS),
                                     (const unsigned char *) text, strlen(text), mac),
                     0);
    for (int i = 0; i < 20; i++)
        snprintf(hex + 2 * i, 3, upper ? "%02X" : "%02x", mac[i]);
}

static void test_valid_roundtrip(void **state)
{
    (void) state;
    char msg[512];
    build(msg, sizeof(msg), NOW, "1234");
    assert_non_null(strstr(msg, "GET http://192.0.2.7:7547?ts=1700000000&id=1234&un=cpe-0001&"));
    assert_non_null(strstr(msg, " HTTP/1.1\r\nHost: 192.0.2.7:7547\r\n\r\n"));
    struct cwmp_udpcr_replay r;
    cwmp_udpcr_replay_init(&r, 0);
    enum cwmp_udpcr_verdict v;
    assert_int_equal(verify(&r, msg, &v), 0);
    assert_int_equal(v, CWMP_UDPCR_OK);
    assert_int_equal(r.last_ts, NOW);
}

static void test_independent_signature(void **state)
{
    (void) state;
    char sig[41], msg[512];
    independent_sig("1700000000"
                    "77" USER "abc",
                    sig, 0); /* lower-case hex works too */
    snprintf(msg, sizeof(msg),
             "GET http://10.0.0.1:7547?ts=1700000000&id=77&un=" USER "&cn=abc&sig=%s HTTP/1.1\r\n"
             "Host: 10.0.0.1:7547\r\n\r\n",
             sig);
    struct cwmp_udpcr_replay r;
    cwmp_udpcr_replay_init(&r, 0);
    assert_int_equal(verify(&r, msg, NULL), 0);
    /* Field order in the query does not matter; the signed order does. */
    snprintf(msg, sizeof(msg), "GET /?sig=%s&cn=abc&un=" USER "&id=78&ts=1700000000 HTTP/1.1\n\n",
             sig);
    enum cwmp_udpcr_verdict v;
    assert_int_equal(verify(&r, msg, &v), CWMP_ERR_AUTH); /* id 78 was not signed */
    assert_int_equal(v, CWMP_UDPCR_BAD_SIGNATURE);
}

static void test_bad_signature(void **state)
{
    (void) state;
    struct cwmp_udpcr_replay r;
    cwmp_udpcr_replay_init(&r, 0);
    char msg[512];
    build(msg, sizeof(msg), NOW, "99");
    char *sig = strstr(msg, "sig=") + 4;
    sig[5] = sig[5] == 'A' ? 'B' : 'A';
    enum cwmp_udpcr_verdict v;
    assert_int_equal(verify(&r, msg, &v), CWMP_ERR_AUTH);
    assert_int_equal(v, CWMP_UDPCR_BAD_SIGNATURE);
    assert_int_equal(r.count, 0); /* refused requests leave no trace */
    /* Signature over the wrong text (with separators, or key and text swapped). */
    char wrong[41];
    independent_sig("1700000000&99&" USER "&XTGRWIPC6D3IPXS3", wrong, 1);
    memcpy(sig, wrong, 40);
    assert_int_equal(verify(&r, msg, &v), CWMP_ERR_AUTH);
    /* Right signature, wrong password on the CPE. */
    build(msg, sizeof(msg), NOW, "99");
    assert_int_equal(
        cwmp_udpcr_verify(&r, (const uint8_t *) msg, strlen(msg), USER, "other", NOW, &v),
        CWMP_ERR_AUTH);
    assert_int_equal(v, CWMP_UDPCR_BAD_SIGNATURE);
    /* Wrong user. */
    assert_int_equal(
        cwmp_udpcr_verify(&r, (const uint8_t *) msg, strlen(msg), "cpe-0002", PASS, NOW, &v),
        CWMP_ERR_AUTH);
    assert_int_equal(v, CWMP_UDPCR_BAD_USER);
    assert_int_equal(verify(&r, msg, &v), 0);
}

static void test_replayed_id(void **state)
{
    (void) state;
    struct cwmp_udpcr_replay r;
    cwmp_udpcr_replay_init(&r, 0);
    char msg[512];
    build(msg, sizeof(msg), NOW, "5");
    enum cwmp_udpcr_verdict v;
    assert_int_equal(verify(&r, msg, &v), 0);
    assert_int_equal(verify(&r, msg, &v), CWMP_ERR_AUTH);
    assert_int_equal(v, CWMP_UDPCR_REPLAYED);
    /* The window holds CWMP_UDPCR_ID_WINDOW ids; older ones fall out. */
    for (int i = 0; i < CWMP_UDPCR_ID_WINDOW; i++) {
        char id[16];
        snprintf(id, sizeof(id), "w%d", i);
        build(msg, sizeof(msg), NOW, id);
        assert_int_equal(verify(&r, msg, &v), 0);
    }
    build(msg, sizeof(msg), NOW, "5");
    assert_int_equal(verify(&r, msg, &v), 0);
}

static void test_stale_timestamp(void **state)
{
    (void) state;
    struct cwmp_udpcr_replay r;
    cwmp_udpcr_replay_init(&r, 60);
    char msg[512];
    enum cwmp_udpcr_verdict v;
    build(msg, sizeof(msg), NOW - 61, "a");
    assert_int_equal(verify(&r, msg, &v), CWMP_ERR_AUTH);
    assert_int_equal(v, CWMP_UDPCR_STALE);
    build(msg, sizeof(msg), NOW + 61, "b");
    assert_int_equal(verify(&r, msg, &v), CWMP_ERR_AUTH);
    assert_int_equal(v, CWMP_UDPCR_STALE);
    build(msg, sizeof(msg), NOW + 10, "c");
    assert_int_equal(verify(&r, msg, &v), 0);
    /* Older than the newest accepted one, although inside the skew. */
    build(msg, sizeof(msg), NOW, "d");
    assert_int_equal(verify(&r, msg, &v), CWMP_ERR_AUTH);
    assert_int_equal(v, CWMP_UDPCR_STALE);
    build(msg, sizeof(msg), NOW + 10, "e");
    assert_int_equal(verify(&r, msg, &v), 0);
}

static void test_malformed(void **state)
{
    (void) state;
    static const char *const bad[] = {
        "",
        "POST http://h:1?ts=1700000000&id=1&un=cpe-0001&cn=x&sig="
        "0000000000000000000000000000000000000000 HTTP/1.1\r\n\r\n",
        "GET http://h:1 HTTP/1.1\r\n\r\n",
        "GET http://h:1?ts=1700000000&id=1&un=cpe-0001&cn=x HTTP/1.1\r\n\r\n",
        "GET http://h:1?ts=1700000000&ts=1700000000&id=1&un=cpe-0001&cn=x&sig="
        "0000000000000000000000000000000000000000 HTTP/1.1\r\n\r\n",
        "GET http://h:1?ts=17x&id=1&un=cpe-0001&cn=x&sig="
        "0000000000000000000000000000000000000000 HTTP/1.1\r\n\r\n",
        "GET http://h:1?ts=1700000000&id=&un=cpe-0001&cn=x&sig="
        "0000000000000000000000000000000000000000 HTTP/1.1\r\n\r\n",
        "GET http://h:1?ts=1700000000&id=1&un=cpe-0001&cn=x&sig=00 HTTP/1.1\r\n\r\n",
        "GET http://h:1?ts=1700000000&id=1&un=cpe-0001&cn=x&sig="
        "000000000000000000000000000000000000000g HTTP/1.1\r\n\r\n",
        "GET http://h:1?ts=1700000000&id=1&un=cpe%0-0001&cn=x&sig="
        "0000000000000000000000000000000000000000 HTTP/1.1\r\n\r\n",
        "GET http://h:1?ts=1700000000&id=1&un=cpe%0A0001&cn=x&sig="
        "0000000000000000000000000000000000000000 HTTP/1.1\r\n\r\n",
        "GET http://h:1?ts=1700000000&id=1&un=cpe-0001&cn=x&sig="
        "0000000000000000000000000000000000000000 HTTP/2.0\r\n\r\n",
        "GET http://h:1?ts=1700000000&id=1&un=cpe-0001&cn=x&sig="
        "0000000000000000000000000000000000000000 HTTP/1.1",
        "GET http://h:1?ts=99999999999999999999&id=1&un=cpe-0001&cn=x&sig="
        "0000000000000000000000000000000000000000 HTTP/1.1\r\n\r\n",
        "GET http://h:1?ts=1700000000&id=123456789012345678901234567890123&un=cpe-0001&cn=x&sig="
        "0000000000000000000000000000000000000000 HTTP/1.1\r\n\r\n",
    };
    struct cwmp_udpcr_replay r;
    cwmp_udpcr_replay_init(&r, 0);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        enum cwmp_udpcr_verdict v = CWMP_UDPCR_OK;
        int rc =
            cwmp_udpcr_verify(&r, (const uint8_t *) bad[i], strlen(bad[i]), USER, PASS, NOW, &v);
        if (rc != CWMP_ERR_PARSE)
            print_error("case %zu gave %d\n", i, rc);
        assert_int_equal(rc, CWMP_ERR_PARSE);
        assert_int_equal(v, CWMP_UDPCR_MALFORMED);
    }
    /* An embedded NUL, and an oversized datagram. */
    char msg[512];
    size_t len = build(msg, sizeof(msg), NOW, "n");
    msg[10] = '\0';
    assert_int_equal(cwmp_udpcr_verify(&r, (const uint8_t *) msg, len, USER, PASS, NOW, NULL),
                     CWMP_ERR_PARSE);
    static uint8_t big[CWMP_UDPCR_MAX_MESSAGE + 1];
    memset(big, 'G', sizeof(big));
    assert_int_equal(cwmp_udpcr_verify(&r, big, sizeof(big), USER, PASS, NOW, NULL),
                     CWMP_ERR_PARSE);
    assert_int_equal(cwmp_udpcr_verify(NULL, big, 1, USER, PASS, NOW, NULL), CWMP_ERR_INVALID_ARG);
    assert_int_equal(r.count, 0);
}

static void test_encoded_values(void **state)
{
    (void) state;
    char msg[512];
    size_t len;
    assert_int_equal(cwmp_udpcr_build("[2001:db8::1]:7547", NOW, "42", "user name&x=1", "c n", "pw",
                                      msg, sizeof(msg), &len),
                     0);
    assert_non_null(strstr(msg, "un=user%20name%26x%3D1&cn=c%20n&"));
    struct cwmp_udpcr_replay r;
    cwmp_udpcr_replay_init(&r, 0);
    assert_int_equal(
        cwmp_udpcr_verify(&r, (const uint8_t *) msg, len, "user name&x=1", "pw", NOW, NULL), 0);
    /* Build errors. */
    assert_int_equal(cwmp_udpcr_build("h:1", NOW, "1", "u", "c", "p", msg, 40, &len),
                     CWMP_ERR_BUFFER);
    assert_int_equal(cwmp_udpcr_build("h 1", NOW, "1", "u", "c", "p", msg, sizeof(msg), &len),
                     CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_udpcr_build("h:1", NOW, "", "u", "c", "p", msg, sizeof(msg), &len),
                     CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_udpcr_build("h:1", NOW, "1", "u\r\n", "c", "p", msg, sizeof(msg), &len),
                     CWMP_ERR_INVALID_ARG);
}

/* Loopback UDP does not lose datagrams, but a test must never hang. */
static void bounded(int fd)
{
    struct timeval tv = {2, 0};
    assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
}

static void test_udp_loopback(void **state)
{
    (void) state;
    int fd;
    assert_int_equal(cwmp_udp_open("127.0.0.1", 0, &fd), 0);
    bounded(fd);
    uint16_t port = cwmp_tcp_local_port(fd);
    assert_true(port != 0);
    char addr[32], msg[512];
    snprintf(addr, sizeof(addr), "127.0.0.1:%u", port);
    size_t len;
    assert_int_equal(cwmp_udpcr_build(addr, NOW, "700", USER, "cn", PASS, msg, sizeof(msg), &len),
                     0);
    assert_int_equal(cwmp_udpcr_send(addr, (const uint8_t *) msg, len, 3), 0);
    struct cwmp_udpcr_replay r;
    cwmp_udpcr_replay_init(&r, 0);
    int ok = 0, dup = 0;
    for (int i = 0; i < 3; i++) {
        uint8_t buf[1500];
        ssize_t n = recv(fd, buf, sizeof(buf), 0);
        assert_int_equal(n, (ssize_t) len);
        assert_false(cwmp_stun_is_stun(buf, (size_t) n));
        enum cwmp_udpcr_verdict v;
        int rc = cwmp_udpcr_verify(&r, buf, (size_t) n, USER, PASS, NOW, &v);
        ok += rc == 0;
        dup += v == CWMP_UDPCR_REPLAYED;
    }
    assert_int_equal(ok, 1); /* one session for three copies */
    assert_int_equal(dup, 2);
    close(fd);
    assert_int_equal(cwmp_udpcr_send("127.0.0.1", (const uint8_t *) msg, len, 1),
                     CWMP_ERR_INVALID_ARG);
}

/* ---- STUN ------------------------------------------------------------------------ */

static const uint8_t TXID[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

static void test_stun_request_encode_parse(void **state)
{
    (void) state;
    uint8_t buf[CWMP_STUN_MAX_MESSAGE];
    size_t len;
    assert_int_equal(
        cwmp_stun_build_binding_request(TXID, "stunuser", "stunpass",
                                        CWMP_STUN_WITH_CR_BINDING | CWMP_STUN_WITH_BINDING_CHANGE,
                                        buf, sizeof(buf), &len),
        0);
    /* header 20 + USERNAME 4+8 + CR-BINDING 4+20 + BINDING-CHANGE 4 + MI 4+20 */
    assert_int_equal(len, 20 + 12 + 24 + 4 + 24);
    assert_int_equal(buf[0], 0x00);
    assert_int_equal(buf[1], 0x01);
    assert_int_equal((buf[2] << 8) | buf[3], len - 20);
    assert_memory_equal(buf + 4, TXID, 16);
    assert_true(cwmp_stun_is_stun(buf, len));
    struct cwmp_stun_message m;
    assert_int_equal(cwmp_stun_parse(buf, len, &m), 0);
    assert_int_equal(m.type, CWMP_STUN_BINDING_REQUEST);
    assert_memory_equal(m.txid, TXID, 16);
    assert_int_equal(m.username_len, 8);
    assert_memory_equal(m.username, "stunuser", 8);
    assert_true(m.connection_request_binding);
    assert_true(m.binding_change);
    assert_true(m.has_integrity);
    assert_int_equal(m.integrity_offset, len - 24);
    assert_int_equal(m.unknown_required, 0);
    /* The TR-111 attribute bytes, literally. */
    assert_int_equal((buf[32] << 8) | buf[33], 0xC001);
    assert_int_equal((buf[34] << 8) | buf[35], 20);
    assert_memory_equal(buf + 36, "dslforum.org/TR-111 ", 20);
    assert_int_equal((buf[56] << 8) | buf[57], 0xC002);
    assert_int_equal(cwmp_stun_check_integrity(buf, len, &m, "stunpass"), 0);
    assert_int_equal(cwmp_stun_check_integrity(buf, len, &m, "wrong"), CWMP_ERR_AUTH);
    buf[24] ^= 1; /* tamper with the username */
    assert_int_equal(cwmp_stun_parse(buf, len, &m), 0);
    assert_int_equal(cwmp_stun_check_integrity(buf, len, &m, "stunpass"), CWMP_ERR_AUTH);

    /* Without password: no MESSAGE-INTEGRITY. Odd-length username is padded. */
    assert_int_equal(cwmp_stun_build_binding_request(TXID, "abcde", NULL, CWMP_STUN_WITH_CR_BINDING,
                                                     buf, sizeof(buf), &len),
                     0);
    assert_int_equal(len, 20 + 4 + 8 + 24);
    assert_int_equal(cwmp_stun_parse(buf, len, &m), 0);
    assert_false(m.has_integrity);
    assert_int_equal(m.username_len, 5);
    assert_int_equal(cwmp_stun_check_integrity(buf, len, &m, "x"), CWMP_ERR_NOT_FOUND);
    assert_int_equal(cwmp_stun_build_binding_request(TXID, "abcde", "p", 3, buf, 40, &len),
                     CWMP_ERR_BUFFER);
}

/* Builds a response: type, txid, then raw attributes. */
static size_t response(uint8_t *buf, uint16_t type, const uint8_t *txid, const uint8_t *attrs,
                       size_t alen)
{
    buf[0] = (uint8_t) (type >> 8);
    buf[1] = (uint8_t) type;
    buf[2] = (uint8_t) (alen >> 8);
    buf[3] = (uint8_t) alen;
    memcpy(buf + 4, txid, 16);
    memcpy(buf + 20, attrs, alen);
    return 20 + alen;
}

static size_t mapped(uint8_t *buf, const uint8_t *txid, uint8_t a, uint16_t port)
{
    uint8_t at[12] = {0x00,           0x01, 0x00, 0x08, 0x00, 0x01, (uint8_t) (port >> 8),
                      (uint8_t) port, 192,  0,    2,    a};
    return response(buf, CWMP_STUN_BINDING_RESPONSE, txid, at, sizeof(at));
}

/* The same response with MESSAGE-INTEGRITY (RFC 5389 form: no padding). */
static size_t mapped_mi(uint8_t *buf, const uint8_t *txid, uint8_t a, uint16_t port,
                        const char *password)
{
    size_t len = mapped(buf, txid, a, port);
    buf[3] = (uint8_t) (len - 20 + 24); /* header length covers MI */
    unsigned char mac[20];
    assert_int_equal(mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA1),
                                     (const unsigned char *) password, strlen(password), buf, len,
                                     mac),
                     0);
    buf[len] = 0x00;
    buf[len + 1] = 0x08;
    buf[len + 2] = 0x00;
    buf[len + 3] = 20;
    memcpy(buf + len + 4, mac, 20);
    return len + 24;
}

static void test_stun_parse_responses(void **state)
{
    (void) state;
    uint8_t buf[128];
    struct cwmp_stun_message m;
    size_t len = mapped(buf, TXID, 9, 40000);
    assert_int_equal(cwmp_stun_parse(buf, len, &m), 0);
    assert_int_equal(m.type, CWMP_STUN_BINDING_RESPONSE);
    assert_int_equal(m.mapped.family, 4);
    assert_int_equal(m.mapped.port, 40000);
    char text[64];
    assert_int_equal(cwmp_stun_addr_format(&m.mapped, text, sizeof(text)), 0);
    assert_string_equal(text, "192.0.2.9:40000");
    assert_int_equal(cwmp_stun_addr_format(&m.mapped, text, 8), CWMP_ERR_BUFFER);

    /* XOR-MAPPED-ADDRESS with the RFC 5389 cookie. */
    uint8_t tx5389[16] = {0x21, 0x12, 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    uint8_t xa[12] = {0x00,
                      0x20,
                      0x00,
                      0x08,
                      0x00,
                      0x01,
                      (uint8_t) ((0x1234 ^ 0x2112) >> 8),
                      (uint8_t) ((0x1234 ^ 0x2112) & 0xff),
                      10 ^ 0x21,
                      1 ^ 0x12,
                      2 ^ 0xA4,
                      3 ^ 0x42};
    len = response(buf, CWMP_STUN_BINDING_RESPONSE, tx5389, xa, sizeof(xa));
    assert_int_equal(cwmp_stun_parse(buf, len, &m), 0);
    assert_int_equal(cwmp_stun_addr_format(&m.mapped, text, sizeof(text)), 0);
    assert_string_equal(text, "10.1.2.3:4660");

    /* IPv6 MAPPED-ADDRESS. */
    uint8_t a6[24] = {0x00, 0x01, 0x00, 0x14, 0x00, 0x02, 0x1f, 0x90, 0x20, 0x01, 0x0d, 0xb8};
    a6[23] = 1;
    len = response(buf, CWMP_STUN_BINDING_RESPONSE, TXID, a6, sizeof(a6));
    assert_int_equal(cwmp_stun_parse(buf, len, &m), 0);
    assert_int_equal(cwmp_stun_addr_format(&m.mapped, text, sizeof(text)), 0);
    assert_string_equal(text, "[2001:db8:0:0:0:0:0:1]:8080");

    /* ERROR-CODE 401. */
    uint8_t ec[12] = {0x00, 0x09, 0x00, 0x08, 0, 0, 4, 1, 'U', 'n', 'a', 'u'};
    len = response(buf, CWMP_STUN_BINDING_ERROR, TXID, ec, sizeof(ec));
    assert_int_equal(cwmp_stun_parse(buf, len, &m), 0);
    assert_int_equal(m.error_code, 401);

    /* Unknown comprehension-required attribute is counted, optional ignored. */
    uint8_t un[8] = {0x00, 0x33, 0x00, 0x00, 0x80, 0x33, 0x00, 0x00};
    len = response(buf, CWMP_STUN_BINDING_RESPONSE, TXID, un, sizeof(un));
    assert_int_equal(cwmp_stun_parse(buf, len, &m), 0);
    assert_int_equal(m.unknown_required, 1);
}

static void test_stun_malformed(void **state)
{
    (void) state;
    uint8_t buf[128];
    struct cwmp_stun_message m;
    size_t len = mapped(buf, TXID, 9, 1);
    assert_int_equal(cwmp_stun_parse(buf, len - 1, &m), CWMP_ERR_PARSE); /* length mismatch */
    assert_int_equal(cwmp_stun_parse(buf, 19, &m), CWMP_ERR_PARSE);
    buf[3] = 2; /* claims 2 bytes of attributes: a truncated attribute header */
    assert_int_equal(cwmp_stun_parse(buf, 22, &m), CWMP_ERR_PARSE);
    uint8_t over[8] = {0x00, 0x06, 0x00, 0x10, 'a', 'b', 'c', 'd'}; /* value past the end */
    len = response(buf, CWMP_STUN_BINDING_RESPONSE, TXID, over, sizeof(over));
    assert_int_equal(cwmp_stun_parse(buf, len, &m), CWMP_ERR_PARSE);
    uint8_t mi[8] = {0x00, 0x08, 0x00, 0x04, 0, 0, 0, 0}; /* integrity of 4 bytes */
    len = response(buf, CWMP_STUN_BINDING_RESPONSE, TXID, mi, sizeof(mi));
    assert_int_equal(cwmp_stun_parse(buf, len, &m), CWMP_ERR_PARSE);
    uint8_t crb[12] = {0xC0, 0x01, 0x00, 0x08, 'd', 's', 'l', 'f', 'o', 'r', 'u', 'm'};
    len = response(buf, CWMP_STUN_BINDING_REQUEST, TXID, crb, sizeof(crb));
    assert_int_equal(cwmp_stun_parse(buf, len, &m), CWMP_ERR_PARSE);
    uint8_t fam[12] = {0x00, 0x01, 0x00, 0x08, 0x00, 0x07, 0, 1, 1, 2, 3, 4}; /* family 7 */
    len = response(buf, CWMP_STUN_BINDING_RESPONSE, TXID, fam, sizeof(fam));
    assert_int_equal(cwmp_stun_parse(buf, len, &m), CWMP_ERR_PARSE);
    uint8_t after[28] = {0x00, 0x08, 0x00, 0x14}; /* MI, then USERNAME after it */
    after[24] = 0x00;
    after[25] = 0x06;
    len = response(buf, CWMP_STUN_BINDING_RESPONSE, TXID, after, sizeof(after));
    assert_int_equal(cwmp_stun_parse(buf, len, &m), CWMP_ERR_PARSE);
    buf[0] = 0x47; /* 'G' */
    assert_false(cwmp_stun_is_stun(buf, len));
    assert_int_equal(cwmp_stun_parse(buf, len, &m), CWMP_ERR_PARSE);
}

static void test_stun_client_flow(void **state)
{
    (void) state;
    struct cwmp_stun_client c;
    cwmp_stun_client_init(&c, 30, 60);
    assert_int_equal(cwmp_stun_client_next(&c, 0), 0); /* never sent: now */
    uint8_t req[CWMP_STUN_MAX_MESSAGE], rsp[128];
    size_t len;
    struct cwmp_stun_message m;
    cwmp_time_ms t = 1000000;
    assert_int_equal(cwmp_stun_client_request(&c, TXID, "u", "p", t, req, sizeof(req), &len), 0);
    assert_int_equal(cwmp_stun_parse(req, len, &m), 0);
    assert_true(m.connection_request_binding);
    assert_false(m.binding_change);
    assert_false(m.has_integrity); /* until the server asks */
    /* Retransmissions: 100, 200, 400, 800, 1600 ... then give up. */
    assert_int_equal(cwmp_stun_client_next(&c, 0), t + 100);
    int rc = 0, n = 0;
    while (rc == 0 && n < 20) {
        t = cwmp_stun_client_next(&c, 0);
        rc = cwmp_stun_client_timeout(&c, t);
        n++;
    }
    assert_int_equal(rc, CWMP_ERR_TIMEOUT);
    assert_int_equal(n, 10); /* 9 retransmits, then the give-up */
    assert_false(c.outstanding);

    /* 401: the next request carries MESSAGE-INTEGRITY, at once. */
    assert_int_equal(cwmp_stun_client_request(&c, TXID, "u", "p", t, req, sizeof(req), &len), 0);
    uint8_t ec[8] = {0x00, 0x09, 0x00, 0x04, 0, 0, 4, 1};
    size_t rl = response(rsp, CWMP_STUN_BINDING_ERROR, TXID, ec, sizeof(ec));
    int changed = -1;
    assert_int_equal(cwmp_stun_client_response(&c, rsp, rl, "p", &changed), CWMP_ERR_AGAIN);
    assert_int_equal(cwmp_stun_client_next(&c, 0), 0);
    assert_int_equal(cwmp_stun_client_request(&c, TXID, "u", "p", t, req, sizeof(req), &len), 0);
    assert_int_equal(cwmp_stun_parse(req, len, &m), 0);
    assert_true(m.has_integrity);
    assert_int_equal(cwmp_stun_check_integrity(req, len, &m, "p"), 0);

    /* Not our transaction. */
    uint8_t other[16] = {9};
    rl = mapped_mi(rsp, other, 1, 5000, "p");
    assert_int_equal(cwmp_stun_client_response(&c, rsp, rl, "p", &changed), CWMP_ERR_NOT_FOUND);

    /* Integrity was sent: an answer without it (or with a wrong one) is refused. */
    rl = mapped(rsp, TXID, 1, 5000);
    assert_int_equal(cwmp_stun_client_response(&c, rsp, rl, "p", &changed), CWMP_ERR_AUTH);
    rl = mapped_mi(rsp, TXID, 1, 5000, "wrong");
    assert_int_equal(cwmp_stun_client_response(&c, rsp, rl, "p", &changed), CWMP_ERR_AUTH);
    assert_true(c.outstanding);
    assert_int_equal(c.binding.family, 0);
    /* First binding: changed, but no BINDING-CHANGE (nothing changed yet). */
    rl = mapped_mi(rsp, TXID, 1, 5000, "p");
    assert_int_equal(cwmp_stun_client_response(&c, rsp, rl, "p", &changed), 0);
    assert_int_equal(changed, 1);
    assert_false(c.change_pending);
    char text[64];
    assert_int_equal(cwmp_stun_addr_format(&c.binding, text, sizeof(text)), 0);
    assert_string_equal(text, "192.0.2.1:5000");
    /* Keep-alive between min and min + 10 % (and never past max). */
    cwmp_time_ms next = cwmp_stun_client_next(&c, 123456);
    assert_true(next >= t + 30000 && next < t + 33000);
    assert_int_equal(cwmp_stun_client_next(&c, 0), t + 30000);

    /* Same binding: not changed. */
    assert_int_equal(cwmp_stun_client_request(&c, TXID, "u", "p", t, req, sizeof(req), &len), 0);
    assert_int_equal(cwmp_stun_client_response(&c, rsp, rl, "p", &changed), 0);
    assert_int_equal(changed, 0);

    /* The NAT moved us: changed, and the next request says BINDING-CHANGE. */
    assert_int_equal(cwmp_stun_client_request(&c, TXID, "u", "p", t, req, sizeof(req), &len), 0);
    rl = mapped_mi(rsp, TXID, 2, 6000, "p");
    assert_int_equal(cwmp_stun_client_response(&c, rsp, rl, "p", &changed), 0);
    assert_int_equal(changed, 1);
    assert_true(c.change_pending);
    assert_int_equal(cwmp_stun_client_next(&c, 0), 0); /* at once */
    assert_int_equal(cwmp_stun_client_request(&c, TXID, "u", "p", t, req, sizeof(req), &len), 0);
    assert_int_equal(cwmp_stun_parse(req, len, &m), 0);
    assert_true(m.binding_change);
    assert_true(m.has_integrity);
    assert_int_equal(cwmp_stun_client_response(&c, rsp, rl, "p", &changed), 0);
    assert_int_equal(changed, 0);
    assert_false(c.change_pending); /* acknowledged */
    assert_int_equal(cwmp_stun_client_request(&c, TXID, "u", "p", t, req, sizeof(req), &len), 0);
    assert_int_equal(cwmp_stun_parse(req, len, &m), 0);
    assert_false(m.binding_change);

    struct cwmp_stun_client fresh;
    cwmp_stun_client_init(&fresh, 30, 60);
    assert_int_equal(cwmp_stun_nat_detected(&fresh, "10.0.0.1", 1), CWMP_ERR_NOT_FOUND);
    /* Max below min + 10 %: the jitter is capped by the maximum. */
    struct cwmp_stun_client c2;
    cwmp_stun_client_init(&c2, 30, 31);
    c2.last_sent = 0;
    assert_true(cwmp_stun_client_next(&c2, 0xFFFFFFFFu) < 31000);
}

/* The whole NAT path over loopback: the CPE learns its binding from a
 * (fake) STUN server, reports it, and the ACS reaches it with a signed
 * UDP connection request. */
static void test_end_to_end(void **state)
{
    (void) state;
    int cpe, stun;
    assert_int_equal(cwmp_udp_open("127.0.0.1", 0, &cpe), 0);
    assert_int_equal(cwmp_udp_open("127.0.0.1", 0, &stun), 0);
    bounded(cpe);
    bounded(stun);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons(cwmp_tcp_local_port(stun));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    /* CPE -> STUN server: Binding Request from the CR port. */
    struct cwmp_stun_client c;
    cwmp_stun_client_init(&c, 30, -1);
    uint8_t req[CWMP_STUN_MAX_MESSAGE];
    size_t len;
    assert_int_equal(
        cwmp_stun_client_request(&c, TXID, "stunuser", "stunpass", 0, req, sizeof(req), &len), 0);
    assert_int_equal(sendto(cpe, req, len, 0, (struct sockaddr *) &sa, sizeof(sa)), (ssize_t) len);

    /* The server answers with the source address it saw. */
    uint8_t in[CWMP_STUN_MAX_MESSAGE];
    struct sockaddr_in from;
    socklen_t fl = sizeof(from);
    ssize_t n = recvfrom(stun, in, sizeof(in), 0, (struct sockaddr *) &from, &fl);
    assert_true(n > 0);
    struct cwmp_stun_message m;
    assert_int_equal(cwmp_stun_parse(in, (size_t) n, &m), 0);
    assert_int_equal(m.type, CWMP_STUN_BINDING_REQUEST);
    assert_true(m.connection_request_binding);
    uint8_t rsp[64];
    uint8_t at[12] = {0x00, 0x01, 0x00, 0x08, 0x00, 0x01};
    memcpy(at + 6, &from.sin_port, 2);
    memcpy(at + 8, &from.sin_addr, 4);
    size_t rl = response(rsp, CWMP_STUN_BINDING_RESPONSE, m.txid, at, sizeof(at));
    assert_int_equal(sendto(stun, rsp, rl, 0, (struct sockaddr *) &from, fl), (ssize_t) rl);

    /* CPE: one socket, two kinds of datagram. */
    n = recv(cpe, in, sizeof(in), 0);
    assert_true(cwmp_stun_is_stun(in, (size_t) n));
    int changed = 0;
    assert_int_equal(cwmp_stun_client_response(&c, in, (size_t) n, "stunpass", &changed), 0);
    assert_int_equal(changed, 1);
    char addr[64];
    assert_int_equal(cwmp_stun_addr_format(&c.binding, addr, sizeof(addr)), 0);
    char want[64];
    snprintf(want, sizeof(want), "127.0.0.1:%u", cwmp_tcp_local_port(cpe));
    assert_string_equal(addr, want); /* UDPConnectionRequestAddress */
    /* No NAT on loopback; another port or address would be one. */
    assert_int_equal(cwmp_stun_nat_detected(&c, "127.0.0.1", cwmp_tcp_local_port(cpe)), 0);
    assert_int_equal(cwmp_stun_nat_detected(&c, "127.0.0.1", 1), 1);
    assert_int_equal(cwmp_stun_nat_detected(&c, "192.168.1.2", cwmp_tcp_local_port(cpe)), 1);
    assert_int_equal(cwmp_stun_nat_detected(&c, "::1", cwmp_tcp_local_port(cpe)), 1);
    assert_int_equal(cwmp_stun_nat_detected(&c, "not-an-ip", 1), CWMP_ERR_INVALID_ARG);

    /* ACS -> UDPConnectionRequestAddress, twice. */
    char msg[CWMP_UDPCR_MAX_MESSAGE + 1];
    assert_int_equal(
        cwmp_udpcr_build(addr, NOW, "4711", USER, "cnonce", PASS, msg, sizeof(msg), &len), 0);
    assert_int_equal(cwmp_udpcr_send(addr, (const uint8_t *) msg, len, 2), 0);
    struct cwmp_udpcr_replay r;
    cwmp_udpcr_replay_init(&r, 0);
    int sessions = 0;
    for (int i = 0; i < 2; i++) {
        n = recv(cpe, in, sizeof(in), 0);
        assert_false(cwmp_stun_is_stun(in, (size_t) n));
        sessions += cwmp_udpcr_verify(&r, in, (size_t) n, USER, PASS, NOW, NULL) == 0;
    }
    assert_int_equal(sessions, 1);
    close(cpe);
    close(stun);
}

/* Seeds written by an independent implementation (Python hmac) verify here. */
static void test_cross_check_seeds(void **state)
{
    (void) state;
    char path[512];
    size_t len;
    snprintf(path, sizeof(path), "%s/stun/binding-request-change-mi", CWMP_FUZZ_CORPUS_DIR);
    char *buf = read_file(path, &len);
    assert_non_null(buf);
    struct cwmp_stun_message m;
    assert_int_equal(cwmp_stun_parse((const uint8_t *) buf, len, &m), 0);
    assert_true(m.binding_change && m.connection_request_binding && m.has_integrity);
    assert_int_equal(cwmp_stun_check_integrity((const uint8_t *) buf, len, &m, "password"), 0);
    test_free(buf);
    snprintf(path, sizeof(path), "%s/udpcr/valid", CWMP_FUZZ_CORPUS_DIR);
    buf = read_file(path, &len);
    assert_non_null(buf);
    struct cwmp_udpcr_replay r;
    cwmp_udpcr_replay_init(&r, 0);
    assert_int_equal(cwmp_udpcr_verify(&r, (const uint8_t *) buf, len, USER, PASS, NOW, NULL), 0);
    test_free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_roundtrip),
        cmocka_unit_test(test_independent_signature),
        cmocka_unit_test(test_bad_signature),
        cmocka_unit_test(test_replayed_id),
        cmocka_unit_test(test_stale_timestamp),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_encoded_values),
        cmocka_unit_test(test_udp_loopback),
        cmocka_unit_test(test_stun_request_encode_parse),
        cmocka_unit_test(test_stun_parse_responses),
        cmocka_unit_test(test_stun_malformed),
        cmocka_unit_test(test_stun_client_flow),
        cmocka_unit_test(test_cross_check_seeds),
        cmocka_unit_test(test_end_to_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
