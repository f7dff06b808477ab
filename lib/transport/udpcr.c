/*
 * libcwmp transport - UDP connection requests (TR-069 Annex G).
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The verifier is a pure function over the datagram bytes: no socket,
 * clock or allocation, so it can be fuzzed and unit-tested directly.
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* SOCK_CLOEXEC */
#endif
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tls_compat.h"

#include <mbedtls/md.h>

#include <cwmp/udpcr.h>

#include "transport_internal.h"

#define MAX_VALUE 256 /* un, cn after percent-decoding */
#define SIG_HEX   40

enum { F_TS, F_ID, F_UN, F_CN, F_SIG, F_COUNT };
static const char *const field_names[F_COUNT] = {"ts", "id", "un", "cn", "sig"};
static const size_t field_max[F_COUNT] = {19, CWMP_UDPCR_MAX_ID, MAX_VALUE, MAX_VALUE, SIG_HEX};

struct field {
    char v[MAX_VALUE + 1];
    size_t len;
    int seen;
};

void cwmp_udpcr_replay_init(struct cwmp_udpcr_replay *r, int max_skew_s)
{
    if (!r)
        return;
    memset(r, 0, sizeof(*r));
    r->max_skew_s = max_skew_s;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decodes [p, end) into f; refuses NUL, controls and oversize. */
static int decode_value(const uint8_t *p, const uint8_t *end, struct field *f, size_t max)
{
    size_t n = 0;
    while (p < end) {
        int c = *p++;
        if (c == '%') {
            if (end - p < 2)
                return -1;
            int h = hexval(p[0]), l = hexval(p[1]);
            if (h < 0 || l < 0)
                return -1;
            c = h * 16 + l;
            p += 2;
        } else if (c == '+') {
            c = ' ';
        }
        if (c < 0x20 || c == 0x7f)
            return -1;
        if (n >= max)
            return -1;
        f->v[n++] = (char) c;
    }
    f->v[n] = '\0';
    f->len = n;
    return 0;
}

/* Finds the query of "GET <uri> HTTP/1.x" on the first line. */
static int parse_request(const uint8_t *msg, size_t len, struct field *fields)
{
    const uint8_t *end = msg + len, *eol = memchr(msg, '\n', len);
    if (!eol)
        return -1;
    const uint8_t *line_end = eol;
    if (line_end > msg && line_end[-1] == '\r')
        line_end--;
    for (const uint8_t *q = msg; q < end; q++)
        if (*q == 0)
            return -1;
    if (line_end - msg < 4 || memcmp(msg, "GET ", 4) != 0)
        return -1;
    const uint8_t *uri = msg + 4;
    const uint8_t *sp = memchr(uri, ' ', (size_t) (line_end - uri));
    if (!sp || sp == uri)
        return -1;
    size_t vlen = (size_t) (line_end - sp - 1);
    if (vlen != 8 || memcmp(sp + 1, "HTTP/1.", 7) != 0 || (sp[8] != '0' && sp[8] != '1'))
        return -1;
    const uint8_t *q = memchr(uri, '?', (size_t) (sp - uri));
    if (!q)
        return -1;
    q++;
    while (q < sp) {
        const uint8_t *amp = memchr(q, '&', (size_t) (sp - q));
        const uint8_t *pend = amp ? amp : sp;
        const uint8_t *eq = memchr(q, '=', (size_t) (pend - q));
        if (eq) {
            size_t nlen = (size_t) (eq - q);
            for (int i = 0; i < F_COUNT; i++) {
                if (strlen(field_names[i]) == nlen && memcmp(q, field_names[i], nlen) == 0) {
                    if (fields[i].seen)
                        return -1; /* duplicate: which one would be signed? */
                    fields[i].seen = 1;
                    if (decode_value(eq + 1, pend, &fields[i], field_max[i]) != 0)
                        return -1;
                }
            }
        }
        q = amp ? amp + 1 : sp;
    }
    for (int i = 0; i < F_COUNT; i++)
        if (!fields[i].seen)
            return -1;
    return 0;
}

static int parse_ts(const struct field *f, int64_t *ts)
{
    if (f->len == 0)
        return -1;
    int64_t v = 0;
    for (size_t i = 0; i < f->len; i++) {
        if (f->v[i] < '0' || f->v[i] > '9')
            return -1;
        if (v > (INT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (f->v[i] - '0');
    }
    *ts = v;
    return 0;
}

static int ct_equal(const void *a, const void *b, size_t n)
{
    const volatile uint8_t *x = a, *y = b;
    uint8_t d = 0;
    for (size_t i = 0; i < n; i++)
        d |= (uint8_t) (x[i] ^ y[i]);
    return d == 0;
}

static int signature(const char *password, const struct field *f, uint8_t out[20])
{
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA1);
    mbedtls_md_context_t ctx;
    mbedtls_md_init(&ctx);
    int rc = md ? mbedtls_md_setup(&ctx, md, 1) : -1;
    if (rc == 0)
        rc = mbedtls_md_hmac_starts(&ctx, (const unsigned char *) password, strlen(password));
    for (int i = F_TS; rc == 0 && i <= F_CN; i++)
        rc = mbedtls_md_hmac_update(&ctx, (const unsigned char *) f[i].v, f[i].len);
    if (rc == 0)
        rc = mbedtls_md_hmac_finish(&ctx, out);
    mbedtls_md_free(&ctx);
    return rc;
}

static int finish(enum cwmp_udpcr_verdict *out, enum cwmp_udpcr_verdict v)
{
    if (out)
        *out = v;
    switch (v) {
    case CWMP_UDPCR_OK: return 0;
    case CWMP_UDPCR_MALFORMED: return CWMP_ERR_PARSE;
    default: return CWMP_ERR_AUTH;
    }
}

int cwmp_udpcr_verify(struct cwmp_udpcr_replay *replay, const uint8_t *msg, size_t len,
                      const char *username, const char *password, int64_t now_s,
                      enum cwmp_udpcr_verdict *verdict)
{
    if (verdict)
        *verdict = CWMP_UDPCR_MALFORMED;
    if (!replay || (!msg && len) || !username || !password)
        return CWMP_ERR_INVALID_ARG;
    if (len == 0 || len > CWMP_UDPCR_MAX_MESSAGE)
        return finish(verdict, CWMP_UDPCR_MALFORMED);
    struct field f[F_COUNT];
    for (int i = 0; i < F_COUNT; i++) {
        f[i].seen = 0;
        f[i].len = 0;
        f[i].v[0] = '\0';
    }
    int64_t ts;
    uint8_t sig[20];
    if (parse_request(msg, len, f) != 0 || parse_ts(&f[F_TS], &ts) != 0 || f[F_ID].len == 0 ||
        f[F_SIG].len != SIG_HEX)
        return finish(verdict, CWMP_UDPCR_MALFORMED);
    for (int i = 0; i < 20; i++) {
        int h = hexval((unsigned char) f[F_SIG].v[2 * i]);
        int l = hexval((unsigned char) f[F_SIG].v[2 * i + 1]);
        if (h < 0 || l < 0)
            return finish(verdict, CWMP_UDPCR_MALFORMED);
        sig[i] = (uint8_t) (h * 16 + l);
    }
    size_t ulen = strlen(username);
    if (ulen != f[F_UN].len || !ct_equal(username, f[F_UN].v, ulen))
        return finish(verdict, CWMP_UDPCR_BAD_USER);
    uint8_t want[20];
    if (signature(password, f, want) != 0)
        return CWMP_ERR_INTERNAL;
    if (!ct_equal(want, sig, sizeof(want)))
        return finish(verdict, CWMP_UDPCR_BAD_SIGNATURE);
    /* Authentic from here on: now freshness and replay. */
    int64_t skew = replay->max_skew_s > 0 ? replay->max_skew_s : CWMP_UDPCR_DEFAULT_MAX_SKEW_S;
    if (ts < now_s - skew || ts > now_s + skew || ts < replay->last_ts)
        return finish(verdict, CWMP_UDPCR_STALE);
    unsigned int n = replay->count < CWMP_UDPCR_ID_WINDOW ? replay->count : CWMP_UDPCR_ID_WINDOW;
    for (unsigned int i = 0; i < n; i++) {
        if (strncmp(replay->ids[i], f[F_ID].v, CWMP_UDPCR_MAX_ID + 1) == 0)
            return finish(verdict, CWMP_UDPCR_REPLAYED);
    }
    unsigned int slot = replay->next % CWMP_UDPCR_ID_WINDOW;
    memcpy(replay->ids[slot], f[F_ID].v, f[F_ID].len + 1);
    replay->next = (slot + 1) % CWMP_UDPCR_ID_WINDOW;
    if (replay->count < CWMP_UDPCR_ID_WINDOW)
        replay->count++;
    if (ts > replay->last_ts)
        replay->last_ts = ts;
    return finish(verdict, CWMP_UDPCR_OK);
}

/* ---- ACS side ------------------------------------------------------------------ */

struct out {
    char *p;
    size_t size, len;
    int overflow;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->overflow || o->size - o->len <= n) {
        o->overflow = 1;
        return;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

static void put_str(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

static void put_encoded(struct out *o, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char) *s;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            put(o, (const char *) &c, 1);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            put(o, e, 3);
        }
    }
}

static int valid_text(const char *s, size_t max, int allow_empty)
{
    size_t n = 0;
    for (; s[n]; n++)
        if ((unsigned char) s[n] < 0x20 || s[n] == 0x7f)
            return 0;
    return (allow_empty || n > 0) && n <= max;
}

int cwmp_udpcr_build(const char *address, int64_t ts, const char *id, const char *username,
                     const char *cnonce, const char *password, char *buf, size_t size,
                     size_t *out_len)
{
    if (out_len)
        *out_len = 0;
    if (!address || !id || !username || !cnonce || !password || !buf || size == 0 || ts < 0)
        return CWMP_ERR_INVALID_ARG;
    for (const char *a = address; *a; a++)
        if ((unsigned char) *a <= 0x20 || *a == '?' || *a == '/' || *a == 0x7f)
            return CWMP_ERR_INVALID_ARG;
    if (!*address || !valid_text(id, CWMP_UDPCR_MAX_ID, 0) || !valid_text(username, MAX_VALUE, 1) ||
        !valid_text(cnonce, MAX_VALUE, 1))
        return CWMP_ERR_INVALID_ARG;
    struct field f[F_COUNT];
    snprintf(f[F_TS].v, sizeof(f[F_TS].v), "%lld", (long long) ts);
    snprintf(f[F_ID].v, sizeof(f[F_ID].v), "%s", id);
    snprintf(f[F_UN].v, sizeof(f[F_UN].v), "%s", username);
    snprintf(f[F_CN].v, sizeof(f[F_CN].v), "%s", cnonce);
    for (int i = F_TS; i <= F_CN; i++)
        f[i].len = strlen(f[i].v);
    uint8_t sig[20];
    if (signature(password, f, sig) != 0)
        return CWMP_ERR_INTERNAL;
    char sighex[SIG_HEX + 1];
    for (int i = 0; i < 20; i++)
        snprintf(sighex + 2 * i, 3, "%02X", sig[i]);
    struct out o = {buf, size, 0, 0};
    buf[0] = '\0';
    put_str(&o, "GET http://");
    put_str(&o, address);
    put_str(&o, "?ts=");
    put_str(&o, f[F_TS].v);
    put_str(&o, "&id=");
    put_encoded(&o, id);
    put_str(&o, "&un=");
    put_encoded(&o, username);
    put_str(&o, "&cn=");
    put_encoded(&o, cnonce);
    put_str(&o, "&sig=");
    put_str(&o, sighex);
    put_str(&o, " HTTP/1.1\r\nHost: ");
    put_str(&o, address);
    put_str(&o, "\r\n\r\n");
    if (o.overflow || o.len > CWMP_UDPCR_MAX_MESSAGE) {
        buf[0] = '\0';
        return CWMP_ERR_BUFFER;
    }
    if (out_len)
        *out_len = o.len;
    return 0;
}

/* "host:port" / "[v6]:port" → getaddrinfo for UDP. */
static int resolve(const char *address, int passive, struct addrinfo **res)
{
    char host[256];
    const char *colon;
    if (address[0] == '[') {
        const char *rb = strchr(address, ']');
        if (!rb || rb[1] != ':' || (size_t) (rb - address - 1) >= sizeof(host))
            return CWMP_ERR_INVALID_ARG;
        memcpy(host, address + 1, (size_t) (rb - address - 1));
        host[rb - address - 1] = '\0';
        colon = rb + 1;
    } else {
        colon = strrchr(address, ':');
        if (!colon || (size_t) (colon - address) >= sizeof(host) || colon == address)
            return CWMP_ERR_INVALID_ARG;
        memcpy(host, address, (size_t) (colon - address));
        host[colon - address] = '\0';
    }
    const char *port = colon + 1;
    if (!*port || strlen(port) > 5 || strspn(port, "0123456789") != strlen(port))
        return CWMP_ERR_INVALID_ARG;
    struct addrinfo hints;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
    int rc = getaddrinfo(host, port, &hints, res);
    if (rc == EAI_NONAME)
        return CWMP_ERR_NOT_FOUND;
    return rc == 0 ? 0 : CWMP_ERR_IO;
}

int cwmp_udpcr_send(const char *address, const uint8_t *msg, size_t len, int copies)
{
    if (!address || !msg || len == 0 || copies < 1 || copies > 10)
        return CWMP_ERR_INVALID_ARG;
    struct addrinfo *res = NULL;
    int rc = resolve(address, 0, &res);
    if (rc != 0)
        return rc;
    rc = CWMP_ERR_IO;
    for (struct addrinfo *ai = res; ai && rc != 0; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0)
            continue;
        int sent = 0;
        for (int i = 0; i < copies; i++)
            if (sendto(fd, msg, len, MSG_NOSIGNAL, ai->ai_addr, ai->ai_addrlen) == (ssize_t) len)
                sent++;
        close(fd);
        if (sent > 0)
            rc = 0;
    }
    freeaddrinfo(res);
    return rc;
}

int cwmp_udp_open(const char *host, uint16_t port, int *out_fd)
{
    if (!out_fd)
        return CWMP_ERR_INVALID_ARG;
    *out_fd = -1;
    char pbuf[8];
    snprintf(pbuf, sizeof(pbuf), "%u", (unsigned) port);
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    int rc = getaddrinfo(host && *host ? host : NULL, pbuf, &hints, &res);
    if (rc != 0)
        return rc == EAI_NONAME ? CWMP_ERR_NOT_FOUND : CWMP_ERR_IO;
    rc = CWMP_ERR_IO;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0)
            continue;
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            *out_fd = fd;
            rc = 0;
            break;
        }
        close(fd);
    }
    freeaddrinfo(res);
    return rc;
}
