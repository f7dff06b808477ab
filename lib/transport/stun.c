/*
 * libcwmp transport - STUN binding for UDP connection requests
 * (RFC 3489 as used by TR-111 Part 2). Pure functions: no socket, clock,
 * randomness or allocation.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "tls_compat.h"

#include <mbedtls/md.h>

#include <cwmp/udpcr.h>

#include "transport_internal.h"

#define HDR          20
#define MI_LEN       20
#define MAGIC_COOKIE 0x2112A442u
static const char cr_binding_value[] = "dslforum.org/TR-111 "; /* 20 bytes */

/* RFC 3489 retransmission: 100 ms doubling to 1.6 s, 9 retransmits. */
#define MAX_RETRANSMITS 9

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t) ((p[0] << 8) | p[1]);
}

static void wr16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t) (v >> 8);
    p[1] = (uint8_t) v;
}

int cwmp_stun_is_stun(const uint8_t *msg, size_t len)
{
    /* STUN starts with two zero bits; an HTTP request with a letter. */
    return msg && len >= HDR && (msg[0] & 0xC0) == 0 && (size_t) rd16(msg + 2) + HDR == len;
}

static int parse_addr(const uint8_t *v, size_t n, const uint8_t *msg, int xor_mapped,
                      struct cwmp_stun_addr *a)
{
    if (n < 4)
        return -1;
    int fam = v[1];
    size_t alen = fam == 1 ? 4 : fam == 2 ? 16 : 0;
    if (alen == 0 || n != 4 + alen)
        return -1;
    a->family = fam == 1 ? 4 : 6;
    a->port = rd16(v + 2);
    memcpy(a->addr, v + 4, alen);
    if (xor_mapped) {
        /* XOR with the 16 bytes after the type/length: cookie + txid (RFC
         * 5389), or the first bytes of a classic 16-byte txid. */
        a->port ^= rd16(msg + 4);
        for (size_t i = 0; i < alen; i++)
            a->addr[i] ^= msg[4 + i];
    }
    return 0;
}

int cwmp_stun_parse(const uint8_t *msg, size_t len, struct cwmp_stun_message *out)
{
    if (!out)
        return CWMP_ERR_INVALID_ARG;
    memset(out, 0, sizeof(*out));
    if (!msg || len < HDR || len > CWMP_STUN_MAX_MESSAGE || (msg[0] & 0xC0) != 0)
        return CWMP_ERR_PARSE;
    if ((size_t) rd16(msg + 2) + HDR != len)
        return CWMP_ERR_PARSE;
    out->type = rd16(msg);
    memcpy(out->txid, msg + 4, 16);
    int have_xor = 0, after_mi = 0;
    size_t off = HDR;
    while (off < len) {
        if (len - off < 4)
            return CWMP_ERR_PARSE;
        uint16_t t = rd16(msg + off), n = rd16(msg + off + 2);
        const uint8_t *v = msg + off + 4;
        if ((size_t) n > len - off - 4)
            return CWMP_ERR_PARSE;
        size_t next = off + 4 + (((size_t) n + 3) & ~(size_t) 3);
        if (next > len)
            next = len; /* unpadded last attribute (RFC 3489 lengths) */
        if (after_mi) {
            /* Nothing but FINGERPRINT may follow MESSAGE-INTEGRITY. */
            if (t != 0x8028)
                return CWMP_ERR_PARSE;
            off = next;
            continue;
        }
        switch (t) {
        case CWMP_STUN_ATTR_MAPPED_ADDRESS:
            if (!have_xor && parse_addr(v, n, msg, 0, &out->mapped) != 0)
                return CWMP_ERR_PARSE;
            break;
        case CWMP_STUN_ATTR_XOR_MAPPED_ADDRESS:
        case 0x8020: /* pre-RFC 5389 servers */
            if (parse_addr(v, n, msg, 1, &out->mapped) != 0)
                return CWMP_ERR_PARSE;
            have_xor = 1;
            break;
        case CWMP_STUN_ATTR_ERROR_CODE:
            if (n < 4 || (v[2] & 7) < 3 || (v[2] & 7) > 6 || v[3] > 99)
                return CWMP_ERR_PARSE;
            out->error_code = (v[2] & 7) * 100 + v[3];
            break;
        case CWMP_STUN_ATTR_USERNAME:
            if (!out->username) {
                out->username = v;
                out->username_len = n;
            }
            break;
        case CWMP_STUN_ATTR_MESSAGE_INTEGRITY:
            if (n != MI_LEN)
                return CWMP_ERR_PARSE;
            out->has_integrity = 1;
            out->integrity_offset = off;
            after_mi = 1;
            break;
        case CWMP_STUN_ATTR_CONNECTION_REQUEST_BINDING:
            if (n == sizeof(cr_binding_value) - 1 && memcmp(v, cr_binding_value, n) == 0)
                out->connection_request_binding = 1;
            else
                return CWMP_ERR_PARSE;
            break;
        case CWMP_STUN_ATTR_BINDING_CHANGE: out->binding_change = 1; break;
        case CWMP_STUN_ATTR_RESPONSE_ADDRESS:
        case CWMP_STUN_ATTR_CHANGE_REQUEST:
        case CWMP_STUN_ATTR_SOURCE_ADDRESS:
        case CWMP_STUN_ATTR_CHANGED_ADDRESS:
        case CWMP_STUN_ATTR_UNKNOWN_ATTRIBUTES:
        case CWMP_STUN_ATTR_REFLECTED_FROM:
        case 0x0007: /* PASSWORD */ break;
        default:
            if (t < 0x8000)
                out->unknown_required++;
            break;
        }
        off = next;
    }
    return 0;
}

/* HMAC-SHA1 over the message up to MESSAGE-INTEGRITY at @p mi_off, with the
 * header length covering that attribute; zero-padded to 64 bytes (RFC 3489)
 * or not (RFC 5389). */
static int integrity(const uint8_t *msg, size_t mi_off, const char *password, int pad,
                     uint8_t out[MI_LEN])
{
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA1);
    mbedtls_md_context_t ctx;
    mbedtls_md_init(&ctx);
    uint8_t hdr[HDR];
    memcpy(hdr, msg, HDR);
    wr16(hdr + 2, (unsigned) (mi_off + 4 + MI_LEN - HDR));
    static const uint8_t zeros[64] = {0};
    int rc = md ? mbedtls_md_setup(&ctx, md, 1) : -1;
    if (rc == 0)
        rc = mbedtls_md_hmac_starts(&ctx, (const unsigned char *) password, strlen(password));
    if (rc == 0)
        rc = mbedtls_md_hmac_update(&ctx, hdr, HDR);
    if (rc == 0)
        rc = mbedtls_md_hmac_update(&ctx, msg + HDR, mi_off - HDR);
    if (rc == 0 && pad && (mi_off % 64) != 0)
        rc = mbedtls_md_hmac_update(&ctx, zeros, 64 - (mi_off % 64));
    if (rc == 0)
        rc = mbedtls_md_hmac_finish(&ctx, out);
    mbedtls_md_free(&ctx);
    return rc;
}

int cwmp_stun_check_integrity(const uint8_t *msg, size_t len,
                              const struct cwmp_stun_message *parsed, const char *password)
{
    if (!msg || !parsed || !password)
        return CWMP_ERR_INVALID_ARG;
    if (!parsed->has_integrity)
        return CWMP_ERR_NOT_FOUND;
    size_t off = parsed->integrity_offset;
    if (off < HDR || off + 4 + MI_LEN > len)
        return CWMP_ERR_INVALID_ARG;
    const uint8_t *got = msg + off + 4;
    uint8_t want[MI_LEN];
    /* Classic (padded) first, then the RFC 5389 form; both constant-time. */
    for (int pad = 1; pad >= 0; pad--) {
        if (integrity(msg, off, password, pad, want) != 0)
            return CWMP_ERR_INTERNAL;
        uint8_t d = 0;
        for (int i = 0; i < MI_LEN; i++)
            d |= (uint8_t) (want[i] ^ got[i]);
        if (d == 0)
            return 0;
    }
    return CWMP_ERR_AUTH;
}

static int add_attr(uint8_t *buf, size_t size, size_t *off, unsigned type, const void *v, size_t n)
{
    size_t padded = (n + 3) & ~(size_t) 3;
    if (n > 0xFFFF || *off + 4 + padded > size)
        return CWMP_ERR_BUFFER;
    wr16(buf + *off, type);
    wr16(buf + *off + 2, (unsigned) n);
    if (n)
        memcpy(buf + *off + 4, v, n);
    memset(buf + *off + 4 + n, 0, padded - n);
    *off += 4 + padded;
    return 0;
}

int cwmp_stun_build_binding_request(const uint8_t txid[16], const char *username,
                                    const char *password, unsigned int flags, uint8_t *buf,
                                    size_t size, size_t *out_len)
{
    if (out_len)
        *out_len = 0;
    if (!txid || !buf)
        return CWMP_ERR_INVALID_ARG;
    if (size > CWMP_STUN_MAX_MESSAGE)
        size = CWMP_STUN_MAX_MESSAGE;
    if (size < HDR)
        return CWMP_ERR_BUFFER;
    wr16(buf, CWMP_STUN_BINDING_REQUEST);
    memcpy(buf + 4, txid, 16);
    size_t off = HDR;
    int rc = 0;
    if (username && *username)
        rc = add_attr(buf, size, &off, CWMP_STUN_ATTR_USERNAME, username, strlen(username));
    if (rc == 0 && (flags & CWMP_STUN_WITH_CR_BINDING))
        rc = add_attr(buf, size, &off, CWMP_STUN_ATTR_CONNECTION_REQUEST_BINDING, cr_binding_value,
                      sizeof(cr_binding_value) - 1);
    if (rc == 0 && (flags & CWMP_STUN_WITH_BINDING_CHANGE))
        rc = add_attr(buf, size, &off, CWMP_STUN_ATTR_BINDING_CHANGE, NULL, 0);
    if (rc == 0 && password) {
        size_t mi_off = off;
        uint8_t mac[MI_LEN] = {0};
        rc = add_attr(buf, size, &off, CWMP_STUN_ATTR_MESSAGE_INTEGRITY, mac, 0);
        if (rc == 0 && off + MI_LEN > size)
            rc = CWMP_ERR_BUFFER;
        if (rc == 0) {
            off = mi_off;
            wr16(buf + 2, (unsigned) (mi_off + 4 + MI_LEN - HDR));
            if (integrity(buf, mi_off, password, 1, mac) != 0)
                return CWMP_ERR_INTERNAL;
            rc = add_attr(buf, size, &off, CWMP_STUN_ATTR_MESSAGE_INTEGRITY, mac, MI_LEN);
        }
    }
    if (rc != 0)
        return rc;
    wr16(buf + 2, (unsigned) (off - HDR));
    if (out_len)
        *out_len = off;
    return 0;
}

/* ---- the CPE's client state ------------------------------------------------------ */

void cwmp_stun_client_init(struct cwmp_stun_client *c, int min_keepalive_s, int max_keepalive_s)
{
    if (!c)
        return;
    memset(c, 0, sizeof(*c));
    c->min_keepalive_s = min_keepalive_s > 0 ? min_keepalive_s : 1;
    c->max_keepalive_s = max_keepalive_s;
    c->last_sent = -1;
}

int cwmp_stun_client_request(struct cwmp_stun_client *c, const uint8_t txid[16],
                             const char *username, const char *password, cwmp_time_ms now,
                             uint8_t *buf, size_t size, size_t *out_len)
{
    if (!c || !txid)
        return CWMP_ERR_INVALID_ARG;
    unsigned flags = CWMP_STUN_WITH_CR_BINDING;
    if (c->change_pending)
        flags |= CWMP_STUN_WITH_BINDING_CHANGE;
    /* Integrity once the server asked for it, and on every binding-change
     * notice (it makes the ACS act, so it is authenticated when possible). */
    const char *pw = password && (c->need_integrity || c->change_pending) ? password : NULL;
    int rc = cwmp_stun_build_binding_request(txid, username, pw, flags, buf, size, out_len);
    if (rc != 0)
        return rc;
    memcpy(c->txid, txid, 16);
    c->outstanding = 1;
    c->attempt = 0;
    c->last_sent = now;
    c->change_sent = c->change_pending;
    c->integrity_sent = pw != NULL;
    return 0;
}

static int addr_equal(const struct cwmp_stun_addr *a, const struct cwmp_stun_addr *b)
{
    return a->family == b->family && a->port == b->port &&
           memcmp(a->addr, b->addr, a->family == 4 ? 4 : 16) == 0;
}

int cwmp_stun_client_response(struct cwmp_stun_client *c, const uint8_t *msg, size_t len,
                              const char *password, int *changed)
{
    if (changed)
        *changed = 0;
    if (!c || !msg)
        return CWMP_ERR_INVALID_ARG;
    struct cwmp_stun_message m;
    int rc = cwmp_stun_parse(msg, len, &m);
    if (rc != 0)
        return rc;
    if (!c->outstanding || memcmp(m.txid, c->txid, 16) != 0 ||
        (m.type != CWMP_STUN_BINDING_RESPONSE && m.type != CWMP_STUN_BINDING_ERROR))
        return CWMP_ERR_NOT_FOUND;
    if (m.type == CWMP_STUN_BINDING_ERROR) {
        c->outstanding = 0;
        if (m.error_code == 401 && !c->need_integrity && password) {
            c->need_integrity = 1;
            c->last_sent = -1; /* send again at once */
            return CWMP_ERR_AGAIN;
        }
        return m.error_code == 401 ? CWMP_ERR_AUTH : CWMP_ERR_PROTOCOL;
    }
    /* A server answers a request with MESSAGE-INTEGRITY with one (RFC 3489
     * §8.2): without it, anyone on the path could move our binding. */
    if (c->integrity_sent && !m.has_integrity)
        return CWMP_ERR_AUTH;
    if (m.has_integrity && password && cwmp_stun_check_integrity(msg, len, &m, password) != 0)
        return CWMP_ERR_AUTH;
    if (m.mapped.family == 0)
        return CWMP_ERR_PARSE;
    c->outstanding = 0;
    if (c->change_sent) {
        c->change_pending = 0; /* acknowledged */
        c->change_sent = 0;
    }
    if (c->binding.family == 0 || !addr_equal(&c->binding, &m.mapped)) {
        if (c->binding.family != 0) {
            c->change_pending = 1;
            c->last_sent = -1; /* tell the server at once */
        }
        c->binding = m.mapped;
        if (changed)
            *changed = 1;
    }
    return 0;
}

cwmp_time_ms cwmp_stun_client_next(const struct cwmp_stun_client *c, uint32_t random)
{
    if (!c || c->last_sent < 0)
        return 0;
    if (c->outstanding) {
        int a = c->attempt < 4 ? c->attempt : 4;
        return c->last_sent + (100 << a);
    }
    int64_t period = (int64_t) c->min_keepalive_s * 1000;
    int64_t span = period / 10; /* up to 10 % later, to spread CPEs out */
    if (c->max_keepalive_s > 0) {
        int64_t room = (int64_t) c->max_keepalive_s * 1000 - period;
        if (room < span)
            span = room > 0 ? room : 0;
    }
    return c->last_sent + period + (span > 0 ? (int64_t) (random % (uint64_t) span) : 0);
}

int cwmp_stun_client_timeout(struct cwmp_stun_client *c, cwmp_time_ms now)
{
    if (!c)
        return CWMP_ERR_INVALID_ARG;
    if (!c->outstanding)
        return 0;
    if (c->attempt >= MAX_RETRANSMITS) {
        c->outstanding = 0;
        c->last_sent = now; /* next: a fresh request one keep-alive period later */
        return CWMP_ERR_TIMEOUT;
    }
    c->attempt++;
    c->last_sent = now;
    return 0;
}

int cwmp_stun_nat_detected(const struct cwmp_stun_client *c, const char *local_ip,
                           uint16_t local_port)
{
    if (!c || !local_ip)
        return CWMP_ERR_INVALID_ARG;
    if (c->binding.family == 0)
        return CWMP_ERR_NOT_FOUND;
    struct cwmp_stun_addr local;
    memset(&local, 0, sizeof(local));
    local.port = local_port;
    if (inet_pton(AF_INET, local_ip, local.addr) == 1)
        local.family = 4;
    else if (inet_pton(AF_INET6, local_ip, local.addr) == 1)
        local.family = 6;
    else
        return CWMP_ERR_INVALID_ARG;
    return !addr_equal(&c->binding, &local);
}

int cwmp_stun_addr_format(const struct cwmp_stun_addr *a, char *buf, size_t size)
{
    if (!a || !buf || size == 0)
        return CWMP_ERR_INVALID_ARG;
    buf[0] = '\0';
    if (a->family != 4 && a->family != 6)
        return CWMP_ERR_NOT_FOUND;
    int n;
    if (a->family == 4) {
        n = snprintf(buf, size, "%u.%u.%u.%u:%u", a->addr[0], a->addr[1], a->addr[2], a->addr[3],
                     a->port);
    } else {
        char h[48];
        size_t o = 0;
        for (int i = 0; i < 16; i += 2)
            o += (size_t) snprintf(h + o, sizeof(h) - o, i ? ":%x" : "%x", rd16(a->addr + i));
        n = snprintf(buf, size, "[%s]:%u", h, a->port);
    }
    if (n < 0 || (size_t) n >= size) {
        buf[0] = '\0';
        return CWMP_ERR_BUFFER;
    }
    return 0;
}
