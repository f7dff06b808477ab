/*
 * libcwmp-transport - HTTP authentication: Basic (RFC 7617) and Digest
 * (RFC 7616, MD5 and SHA-256, qop=auth) for clients and servers, plus the
 * small helpers they need (hex, base64, DRBG, constant-time compare).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <time.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/md.h>

#include "http_private.h"

/* ---- small helpers ------------------------------------------------------ */

cwmp_time_ms cwmp__http_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (cwmp_time_ms) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int cwmp__http_ct_compare(const void *a, size_t alen, const void *b, size_t blen)
{
    const volatile unsigned char *x = a, *y = b;
    unsigned char d = (unsigned char) (alen != blen);
    size_t n = alen < blen ? alen : blen;
    for (size_t i = 0; i < n; i++)
        d |= (unsigned char) (x[i] ^ y[i]);
    /* Walk the longer tail too, so time depends on the lengths only. */
    for (size_t i = n; i < alen; i++)
        d |= (unsigned char) (x[i] ^ 0xff) | 1u;
    return d != 0;
}

void cwmp__http_hex(const uint8_t *in, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[in[i] >> 4];
        out[2 * i + 1] = hx[in[i] & 15];
    }
    out[2 * n] = '\0';
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int cwmp__http_b64_encode(const uint8_t *in, size_t n, char *out, size_t out_size)
{
    if (n > (SIZE_MAX - 3) / 4 * 3 - 3 || (n + 2) / 3 * 4 + 1 > out_size)
        return CWMP_ERR_BUFFER;
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t) in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t) in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        out[o++] = b64[(v >> 18) & 63];
        out[o++] = b64[(v >> 12) & 63];
        out[o++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? b64[v & 63] : '=';
    }
    out[o] = '\0';
    return 0;
}

int cwmp__http_b64_decode(const char *in, size_t n, uint8_t *out, size_t out_size)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0, pad = 0;
    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        if (c == '=') {
            pad++;
            continue;
        }
        if (pad)
            return -1; /* data after padding */
        const char *q = c ? strchr(b64, c) : NULL;
        if (!q)
            return -1;
        acc = (acc << 6) | (uint32_t) (q - b64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o >= out_size)
                return -1;
            out[o++] = (uint8_t) (acc >> bits);
        }
    }
    if (pad > 2 || (n % 4 != 0 && pad) || bits >= 6)
        return -1;
    return (int) o;
}

/* ---- randomness --------------------------------------------------------- */

struct cwmp__http_rng {
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
};

int cwmp__http_rng_new(struct cwmp__http_rng **out, const struct cwmp_allocator *a)
{
    static const unsigned char pers[] = "libcwmp-http";
    struct cwmp__http_rng *r = cwmp__malloc(a, sizeof(*r));
    *out = NULL;
    if (!r)
        return CWMP_ERR_NOMEM;
    mbedtls_entropy_init(&r->entropy);
    mbedtls_ctr_drbg_init(&r->drbg);
    if (mbedtls_ctr_drbg_seed(&r->drbg, mbedtls_entropy_func, &r->entropy, pers,
                              sizeof(pers) - 1) != 0) {
        cwmp__http_rng_free(r, a);
        return CWMP_ERR_TLS;
    }
    *out = r;
    return 0;
}

void cwmp__http_rng_free(struct cwmp__http_rng *r, const struct cwmp_allocator *a)
{
    if (!r)
        return;
    mbedtls_ctr_drbg_free(&r->drbg);
    mbedtls_entropy_free(&r->entropy);
    cwmp__free(a, r);
}

int cwmp__http_rng_fill(void *rng, uint8_t *buf, size_t len)
{
    struct cwmp__http_rng *r = rng;
    return mbedtls_ctr_drbg_random(&r->drbg, buf, len) != 0;
}

/* ---- hashing ------------------------------------------------------------ */

static const mbedtls_md_info_t *md_info(enum cwmp_digest_alg alg)
{
    return mbedtls_md_info_from_type(alg == CWMP_DIGEST_SHA256 ? MBEDTLS_MD_SHA256
                                                               : MBEDTLS_MD_MD5);
}

/* Hex digest of the NULL-terminated list of strings joined by ':'. */
static int hash_join(enum cwmp_digest_alg alg, char *hex, const char *const *parts)
{
    const mbedtls_md_info_t *info = md_info(alg);
    if (!info)
        return CWMP_ERR_UNSUPPORTED;
    mbedtls_md_context_t ctx;
    unsigned char dig[MBEDTLS_MD_MAX_SIZE];
    mbedtls_md_init(&ctx);
    int rv = mbedtls_md_setup(&ctx, info, 0) || mbedtls_md_starts(&ctx);
    for (size_t i = 0; !rv && parts[i]; i++) {
        if (i)
            rv = mbedtls_md_update(&ctx, (const unsigned char *) ":", 1);
        if (!rv)
            rv = mbedtls_md_update(&ctx, (const unsigned char *) parts[i], strlen(parts[i]));
    }
    if (!rv)
        rv = mbedtls_md_finish(&ctx, dig);
    mbedtls_md_free(&ctx);
    if (rv)
        return CWMP_ERR_TLS;
    cwmp__http_hex(dig, mbedtls_md_get_size(info), hex);
    return 0;
}

static int hmac16(const uint8_t *key, size_t klen, const uint8_t *msg, size_t n, uint8_t out[16])
{
    const mbedtls_md_info_t *info = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    unsigned char full[32];
    if (!info || mbedtls_md_hmac(info, key, klen, msg, n, full) != 0)
        return CWMP_ERR_TLS;
    memcpy(out, full, 16);
    return 0;
}

int cwmp_http_digest_compute(enum cwmp_digest_alg alg, const char *username, const char *realm,
                             const char *password, const char *method, const char *uri,
                             const char *nonce, uint32_t nc, const char *cnonce, int qop_auth,
                             char out[65])
{
    if (!username || !realm || !password || !method || !uri || !nonce || !out ||
        (qop_auth && !cnonce) || (alg != CWMP_DIGEST_MD5 && alg != CWMP_DIGEST_SHA256))
        return CWMP_ERR_INVALID_ARG;
    char ha1[65], ha2[65], ncs[9];
    const char *a1[] = {username, realm, password, NULL};
    const char *a2[] = {method, uri, NULL};
    int rv = hash_join(alg, ha1, a1);
    if (!rv)
        rv = hash_join(alg, ha2, a2);
    if (rv)
        return rv;
    snprintf(ncs, sizeof(ncs), "%08x", (unsigned) nc);
    if (qop_auth) {
        const char *kd[] = {ha1, nonce, ncs, cnonce, "auth", ha2, NULL};
        rv = hash_join(alg, out, kd);
    } else {
        const char *kd[] = {ha1, nonce, ha2, NULL};
        rv = hash_join(alg, out, kd);
    }
    memset(ha1, 0, sizeof(ha1));
    return rv;
}

/* ---- header parsing ----------------------------------------------------- */

struct lexer {
    const char *s;
    size_t n, i;
};

static void skip_ows(struct lexer *x)
{
    while (x->i < x->n && (x->s[x->i] == ' ' || x->s[x->i] == '\t'))
        x->i++;
}

static size_t lex_token(struct lexer *x)
{
    size_t st = x->i;
    while (x->i < x->n && cwmp__http_is_tchar((unsigned char) x->s[x->i]))
        x->i++;
    return x->i - st;
}

/* Reads a token or quoted-string value into dst (unescaped). */
static int lex_value(struct lexer *x, char *dst, size_t size, int *quoted)
{
    size_t o = 0;
    *quoted = 0;
    if (x->i < x->n && x->s[x->i] == '"') {
        *quoted = 1;
        x->i++;
        for (;;) {
            if (x->i >= x->n)
                return CWMP_ERR_PARSE;
            unsigned char c = (unsigned char) x->s[x->i++];
            if (c == '"')
                break;
            if (c == '\\') {
                if (x->i >= x->n)
                    return CWMP_ERR_PARSE;
                c = (unsigned char) x->s[x->i++];
            }
            if ((c < 0x20 && c != '\t') || c == 0x7f)
                return CWMP_ERR_PARSE;
            if (o + 1 >= size)
                return CWMP_ERR_LIMIT;
            dst[o++] = (char) c;
        }
    } else {
        size_t st = x->i;
        size_t len = lex_token(x);
        if (len == 0)
            return CWMP_ERR_PARSE;
        if (len >= size)
            return CWMP_ERR_LIMIT;
        memcpy(dst, x->s + st, len);
        o = len;
    }
    dst[o] = '\0';
    return 0;
}

enum {
    P_REALM = 1 << 0,
    P_NONCE = 1 << 1,
    P_OPAQUE = 1 << 2,
    P_ALG = 1 << 3,
    P_QOP = 1 << 4,
    P_STALE = 1 << 5,
    P_USER = 1 << 6,
    P_URI = 1 << 7,
    P_CNONCE = 1 << 8,
    P_RESP = 1 << 9,
    P_NC = 1 << 10,
    P_USERHASH = 1 << 11,
};

static int apply_param(struct cwmp_http_auth_params *a, const char *k, size_t kl, const char *v,
                       unsigned *seen, int is_challenge)
{
    static const struct {
        const char *name;
        unsigned bit;
    } names[] = {
        {"realm", P_REALM},   {"nonce", P_NONCE},   {"opaque", P_OPAQUE}, {"algorithm", P_ALG},
        {"qop", P_QOP},       {"stale", P_STALE},   {"username", P_USER}, {"uri", P_URI},
        {"cnonce", P_CNONCE}, {"response", P_RESP}, {"nc", P_NC},         {"userhash", P_USERHASH},
    };
    unsigned bit = 0;
    for (size_t i = 0; i < CWMP_ARRAY_SIZE(names); i++)
        if (strlen(names[i].name) == kl && cwmp__http_ncaseeq(k, names[i].name, kl))
            bit = names[i].bit;
    if (!bit)
        return 0; /* unknown parameters are ignored (RFC 7616 §3.3) */
    if (*seen & bit)
        return CWMP_ERR_PARSE; /* duplicate */
    *seen |= bit;
    size_t vl = strlen(v);
    switch (bit) {
    case P_REALM: return cwmp__http_copy(a->realm, sizeof(a->realm), v, vl);
    case P_NONCE: return cwmp__http_copy(a->nonce, sizeof(a->nonce), v, vl);
    case P_OPAQUE: return cwmp__http_copy(a->opaque, sizeof(a->opaque), v, vl);
    case P_USER: return cwmp__http_copy(a->username, sizeof(a->username), v, vl);
    case P_URI: return cwmp__http_copy(a->uri, sizeof(a->uri), v, vl);
    case P_CNONCE: return cwmp__http_copy(a->cnonce, sizeof(a->cnonce), v, vl);
    case P_RESP: return cwmp__http_copy(a->response, sizeof(a->response), v, vl);
    case P_ALG:
        if (cwmp__http_caseeq(v, "MD5"))
            a->alg = CWMP_DIGEST_MD5;
        else if (cwmp__http_caseeq(v, "SHA-256"))
            a->alg = CWMP_DIGEST_SHA256;
        else
            a->alg_unsupported = 1;
        return 0;
    case P_QOP:
        a->qop_present = 1;
        if (is_challenge) {
            /* a list: "auth,auth-int" */
            const char *p = v;
            while (*p) {
                while (*p == ' ' || *p == ',' || *p == '\t')
                    p++;
                const char *s = p;
                while (*p && *p != ',' && *p != ' ' && *p != '\t')
                    p++;
                if (p - s == 4 && cwmp__http_ncaseeq(s, "auth", 4))
                    a->qop_auth = 1;
            }
        } else {
            a->qop_auth = cwmp__http_caseeq(v, "auth");
        }
        return 0;
    case P_STALE: a->stale = cwmp__http_caseeq(v, "true"); return 0;
    case P_USERHASH: a->userhash = cwmp__http_caseeq(v, "true"); return 0;
    case P_NC: {
        uint32_t nc = 0;
        if (vl != 8)
            return CWMP_ERR_PARSE;
        for (size_t i = 0; i < 8; i++) {
            char c = cwmp__http_lower(v[i]);
            int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
            if (d < 0)
                return CWMP_ERR_PARSE;
            nc = (nc << 4) | (uint32_t) d;
        }
        a->nc = nc;
        return 0;
    }
    }
    return 0;
}

static int rank(const struct cwmp_http_auth_params *a, unsigned seen)
{
    if (a->scheme == CWMP_HTTP_AUTH_BASIC)
        return 1;
    if (a->scheme != CWMP_HTTP_AUTH_DIGEST || a->alg_unsupported || a->userhash ||
        !(seen & P_NONCE) || !(seen & P_REALM) || (a->qop_present && !a->qop_auth))
        return 0;
    return a->alg == CWMP_DIGEST_SHA256 ? 3 : 2;
}

int cwmp_http_auth_parse(const char *value, size_t len, int is_challenge,
                         struct cwmp_http_auth_params *out)
{
    if (!value || !out)
        return CWMP_ERR_INVALID_ARG;
    struct lexer x = {value, len, 0};
    struct cwmp_http_auth_params cur;
    int best_rank = 0, any = 0, rv;
    unsigned seen = 0;
    char val[CWMP_HTTP_AUTH_FIELD];
    memset(out, 0, sizeof(*out));
    memset(&cur, 0, sizeof(cur));

    for (size_t k = 0; k < len; k++)
        if (value[k] == '\0')
            return CWMP_ERR_PARSE;
    for (;;) {
        /* Skip list separators. */
        while (x.i < x.n && (x.s[x.i] == ' ' || x.s[x.i] == '\t' || x.s[x.i] == ','))
            x.i++;
        if (x.i >= x.n)
            break;
        size_t ks = x.i, kl = lex_token(&x);
        if (kl == 0)
            return CWMP_ERR_PARSE;
        size_t after = x.i;
        skip_ows(&x);
        int is_param = any && x.i < x.n && x.s[x.i] == '=';
        if (is_param && cur.scheme == CWMP_HTTP_AUTH_DIGEST) {
            int quoted;
            x.i++;
            skip_ows(&x);
            rv = lex_value(&x, val, sizeof(val), &quoted);
            if (rv)
                return rv;
            rv = apply_param(&cur, x.s + ks, kl, val, &seen, is_challenge);
            if (rv)
                return rv;
            skip_ows(&x);
            if (x.i < x.n && x.s[x.i] != ',')
                return CWMP_ERR_PARSE;
            continue;
        }
        if (is_param) {
            /* A parameter of a scheme we only partly use (Basic realm,
             * charset; unknown schemes): syntax-check and skip. */
            int quoted;
            x.i++;
            skip_ows(&x);
            rv = lex_value(&x, val, sizeof(val), &quoted);
            if (rv)
                return rv;
            if (cur.scheme == CWMP_HTTP_AUTH_BASIC && kl == 5 &&
                cwmp__http_ncaseeq(x.s + ks, "realm", 5))
                cwmp__http_copy(cur.realm, sizeof(cur.realm), val, strlen(val));
            continue;
        }
        /* A new scheme: finish the previous challenge. */
        if (any) {
            if (!is_challenge)
                return CWMP_ERR_PARSE; /* one credentials value only */
            int r = rank(&cur, seen);
            if (r > best_rank) {
                best_rank = r;
                *out = cur;
            }
        }
        memset(&cur, 0, sizeof(cur));
        seen = 0;
        any = 1;
        x.i = after;
        if (kl == 5 && cwmp__http_ncaseeq(x.s + ks, "Basic", 5))
            cur.scheme = CWMP_HTTP_AUTH_BASIC;
        else if (kl == 6 && cwmp__http_ncaseeq(x.s + ks, "Digest", 6))
            cur.scheme = CWMP_HTTP_AUTH_DIGEST;
        else
            cur.scheme = CWMP_HTTP_AUTH_NONE;
        if (!is_challenge && cur.scheme == CWMP_HTTP_AUTH_BASIC) {
            /* token68: user:pass in base64 */
            uint8_t dec[2 * CWMP_HTTP_AUTH_FIELD];
            skip_ows(&x);
            size_t ts = x.i;
            while (x.i < x.n && x.s[x.i] != ' ' && x.s[x.i] != '\t')
                x.i++;
            size_t tl = x.i - ts;
            skip_ows(&x);
            if (x.i != x.n || tl == 0)
                return CWMP_ERR_PARSE;
            int dl = cwmp__http_b64_decode(x.s + ts, tl, dec, sizeof(dec));
            if (dl < 0)
                return CWMP_ERR_PARSE;
            uint8_t *colon = memchr(dec, ':', (size_t) dl);
            if (!colon || memchr(dec, 0, (size_t) dl))
                return CWMP_ERR_PARSE;
            size_t ul = (size_t) (colon - dec);
            rv = cwmp__http_copy(cur.username, sizeof(cur.username), (char *) dec, ul);
            if (!rv)
                rv = cwmp__http_copy(cur.response, sizeof(cur.response), (char *) colon + 1,
                                     (size_t) dl - ul - 1);
            memset(dec, 0, sizeof(dec));
            if (rv)
                return rv;
            *out = cur;
            memset(&cur, 0, sizeof(cur));
            return 0;
        }
        /* "Basic realm=..." or "Digest k=v": parameters follow after a space. */
        if (x.i < x.n && x.s[x.i] != ' ' && x.s[x.i] != '\t' && x.s[x.i] != ',')
            return CWMP_ERR_PARSE;
    }
    if (!any)
        return CWMP_ERR_PARSE;
    if (!is_challenge) {
        if (cur.scheme != CWMP_HTTP_AUTH_DIGEST)
            return CWMP_ERR_UNSUPPORTED;
        if ((seen & (P_USER | P_REALM | P_NONCE | P_URI | P_RESP)) !=
            (P_USER | P_REALM | P_NONCE | P_URI | P_RESP))
            return CWMP_ERR_PARSE;
        if (cur.qop_present && (!(seen & P_NC) || !(seen & P_CNONCE)))
            return CWMP_ERR_PARSE;
        *out = cur;
        return 0;
    }
    int r = rank(&cur, seen);
    if (r > best_rank) {
        best_rank = r;
        *out = cur;
    }
    memset(&cur, 0, sizeof(cur));
    return best_rank ? 0 : CWMP_ERR_UNSUPPORTED;
}

/* ---- client side -------------------------------------------------------- */

/* Appends a quoted-string with '"' and '\' escaped. */
static int put_quoted(char *out, size_t size, size_t *o, const char *s)
{
    if (*o + 1 >= size)
        return CWMP_ERR_BUFFER;
    out[(*o)++] = '"';
    for (; *s; s++) {
        if ((unsigned char) *s < 0x20 || *s == 0x7f)
            return CWMP_ERR_INVALID_ARG;
        if (*s == '"' || *s == '\\') {
            if (*o + 1 >= size)
                return CWMP_ERR_BUFFER;
            out[(*o)++] = '\\';
        }
        if (*o + 1 >= size)
            return CWMP_ERR_BUFFER;
        out[(*o)++] = *s;
    }
    if (*o + 1 >= size)
        return CWMP_ERR_BUFFER;
    out[(*o)++] = '"';
    out[*o] = '\0';
    return 0;
}

static int put_raw(char *out, size_t size, size_t *o, const char *s)
{
    size_t n = strlen(s);
    if (*o + n >= size)
        return CWMP_ERR_BUFFER;
    memcpy(out + *o, s, n + 1);
    *o += n;
    return 0;
}

int cwmp_http_auth_authorization(const struct cwmp_http_auth_params *ch, const char *username,
                                 const char *password, const char *method, const char *uri,
                                 uint32_t nc, cwmp_rng_fn rng, void *rng_user, char *out,
                                 size_t out_size)
{
    if (!ch || !username || !password || !method || !uri || !out || !out_size)
        return CWMP_ERR_INVALID_ARG;
    out[0] = '\0';
    if (ch->scheme == CWMP_HTTP_AUTH_BASIC) {
        size_t ul = strlen(username), pl = strlen(password);
        if (memchr(username, ':', ul) || ul + pl + 1 > 2 * CWMP_HTTP_AUTH_FIELD)
            return CWMP_ERR_INVALID_ARG;
        uint8_t raw[2 * CWMP_HTTP_AUTH_FIELD + 1];
        memcpy(raw, username, ul);
        raw[ul] = ':';
        memcpy(raw + ul + 1, password, pl);
        size_t o = 0;
        int rv = put_raw(out, out_size, &o, "Basic ");
        if (!rv)
            rv = cwmp__http_b64_encode(raw, ul + pl + 1, out + o, out_size - o);
        memset(raw, 0, sizeof(raw));
        return rv;
    }
    if (ch->scheme != CWMP_HTTP_AUTH_DIGEST || ch->alg_unsupported || ch->userhash)
        return CWMP_ERR_UNSUPPORTED;
    int qop = ch->qop_auth;
    if (ch->qop_present && !qop)
        return CWMP_ERR_UNSUPPORTED; /* auth-int only */
    uint8_t rnd[16];
    char cnonce[33], resp[65], ncs[16];
    int rv;
    if (rng) {
        rv = rng(rng_user, rnd, sizeof(rnd)) ? CWMP_ERR_TLS : 0;
    } else {
        struct cwmp__http_rng *r;
        rv = cwmp__http_rng_new(&r, cwmp_default_allocator());
        if (!rv) {
            rv = cwmp__http_rng_fill(r, rnd, sizeof(rnd)) ? CWMP_ERR_TLS : 0;
            cwmp__http_rng_free(r, cwmp_default_allocator());
        }
    }
    if (rv)
        return rv;
    cwmp__http_hex(rnd, sizeof(rnd), cnonce);
    rv = cwmp_http_digest_compute(ch->alg, username, ch->realm, password, method, uri, ch->nonce,
                                  nc, cnonce, qop, resp);
    if (rv)
        return rv;
    snprintf(ncs, sizeof(ncs), "%08x", (unsigned) nc);
    size_t o = 0;
    rv = put_raw(out, out_size, &o, "Digest username=");
    rv = rv ? rv : put_quoted(out, out_size, &o, username);
    rv = rv ? rv : put_raw(out, out_size, &o, ", realm=");
    rv = rv ? rv : put_quoted(out, out_size, &o, ch->realm);
    rv = rv ? rv : put_raw(out, out_size, &o, ", nonce=");
    rv = rv ? rv : put_quoted(out, out_size, &o, ch->nonce);
    rv = rv ? rv : put_raw(out, out_size, &o, ", uri=");
    rv = rv ? rv : put_quoted(out, out_size, &o, uri);
    rv = rv ? rv
            : put_raw(out, out_size, &o,
                      ch->alg == CWMP_DIGEST_SHA256 ? ", algorithm=SHA-256" : ", algorithm=MD5");
    if (qop) {
        rv = rv ? rv : put_raw(out, out_size, &o, ", qop=auth, nc=");
        rv = rv ? rv : put_raw(out, out_size, &o, ncs);
        rv = rv ? rv : put_raw(out, out_size, &o, ", cnonce=");
        rv = rv ? rv : put_quoted(out, out_size, &o, cnonce);
    }
    rv = rv ? rv : put_raw(out, out_size, &o, ", response=");
    rv = rv ? rv : put_quoted(out, out_size, &o, resp);
    if (ch->opaque[0]) {
        rv = rv ? rv : put_raw(out, out_size, &o, ", opaque=");
        rv = rv ? rv : put_quoted(out, out_size, &o, ch->opaque);
    }
    if (rv)
        out[0] = '\0';
    return rv;
}

/* ---- server side -------------------------------------------------------- */

#define NONCE_RAW 32 /* 8 time + 8 random + 16 MAC */
#define NONCE_HEX (2 * NONCE_RAW)

struct nonce_slot {
    char nonce[NONCE_HEX + 1];
    uint32_t last_nc;
    int used;
};

struct cwmp_http_auth_server {
    const struct cwmp_allocator *alloc;
    char *realm;
    int md5, sha256, basic, basic_plain;
    int lifetime_ms;
    cwmp_http_password_fn password;
    void *password_user;
    cwmp_rng_fn rng;
    void *rng_user;
    struct cwmp__http_rng *own_rng;
    uint8_t key[32];
    struct nonce_slot *slots;
    unsigned nslots, next_slot;
};

int cwmp_http_auth_server_new(struct cwmp_http_auth_server **out,
                              const struct cwmp_http_auth_server_config *cfg)
{
    if (!out)
        return CWMP_ERR_INVALID_ARG;
    *out = NULL;
    if (!cfg || !cfg->realm || !cfg->password || strlen(cfg->realm) >= CWMP_HTTP_AUTH_FIELD ||
        strchr(cfg->realm, '"') || strchr(cfg->realm, '\\'))
        return CWMP_ERR_INVALID_ARG;
    const struct cwmp_allocator *a = cwmp__http_alloc(cfg->alloc);
    struct cwmp_http_auth_server *s = cwmp__malloc(a, sizeof(*s));
    if (!s)
        return CWMP_ERR_NOMEM;
    memset(s, 0, sizeof(*s));
    s->alloc = a;
    s->md5 = cfg->digest_md5;
    s->sha256 = cfg->digest_sha256;
    if (!s->md5 && !s->sha256)
        s->md5 = 1;
    s->basic = cfg->allow_basic;
    s->basic_plain = cfg->basic_without_tls;
    s->lifetime_ms = cfg->nonce_lifetime_ms > 0 ? cfg->nonce_lifetime_ms : 300000;
    s->password = cfg->password;
    s->password_user = cfg->password_user;
    s->nslots = cfg->max_nonces ? cfg->max_nonces : 64;
    if (s->nslots > 65536)
        s->nslots = 65536;
    int rv = CWMP_ERR_NOMEM;
    s->realm = cwmp__http_strdup(a, cfg->realm);
    s->slots = s->realm ? cwmp__malloc(a, s->nslots * sizeof(*s->slots)) : NULL;
    if (!s->slots)
        goto fail;
    memset(s->slots, 0, s->nslots * sizeof(*s->slots));
    if (cfg->rng) {
        s->rng = cfg->rng;
        s->rng_user = cfg->rng_user;
    } else {
        rv = cwmp__http_rng_new(&s->own_rng, a);
        if (rv)
            goto fail;
        s->rng = cwmp__http_rng_fill;
        s->rng_user = s->own_rng;
    }
    if (s->rng(s->rng_user, s->key, sizeof(s->key))) {
        rv = CWMP_ERR_TLS;
        goto fail;
    }
    *out = s;
    return 0;
fail:
    cwmp_http_auth_server_free(s);
    return rv;
}

void cwmp_http_auth_server_free(struct cwmp_http_auth_server *s)
{
    if (!s)
        return;
    cwmp__http_rng_free(s->own_rng, s->alloc);
    cwmp__free(s->alloc, s->realm);
    cwmp__free(s->alloc, s->slots);
    memset(s->key, 0, sizeof(s->key));
    cwmp__free(s->alloc, s);
}

static int make_nonce(struct cwmp_http_auth_server *s, cwmp_time_ms now, char hex[NONCE_HEX + 1])
{
    uint8_t raw[NONCE_RAW];
    uint64_t t = (uint64_t) now;
    for (int i = 0; i < 8; i++)
        raw[i] = (uint8_t) (t >> (56 - 8 * i));
    if (s->rng(s->rng_user, raw + 8, 8))
        return CWMP_ERR_TLS;
    int rv = hmac16(s->key, sizeof(s->key), raw, 16, raw + 16);
    if (rv)
        return rv;
    cwmp__http_hex(raw, sizeof(raw), hex);
    return 0;
}

/* 0: genuine, fills *issued; -1: not ours. */
static int check_nonce(const struct cwmp_http_auth_server *s, const char *hex, cwmp_time_ms *issued)
{
    uint8_t raw[NONCE_RAW], mac[16];
    if (strlen(hex) != NONCE_HEX)
        return -1;
    for (int i = 0; i < NONCE_RAW; i++) {
        int v = 0;
        for (int k = 0; k < 2; k++) {
            char c = hex[2 * i + k];
            int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
            if (d < 0)
                return -1;
            v = v * 16 + d;
        }
        raw[i] = (uint8_t) v;
    }
    if (hmac16(s->key, sizeof(s->key), raw, 16, mac) != 0 ||
        cwmp__http_ct_compare(mac, 16, raw + 16, 16) != 0)
        return -1;
    uint64_t t = 0;
    for (int i = 0; i < 8; i++)
        t = (t << 8) | raw[i];
    *issued = (cwmp_time_ms) t;
    return 0;
}

int cwmp_http_auth_server_challenge(struct cwmp_http_auth_server *s, cwmp_time_ms now_ms, int stale,
                                    int is_tls, char *out, size_t out_size)
{
    if (!s || !out || !out_size)
        return CWMP_ERR_INVALID_ARG;
    char nonce[NONCE_HEX + 1];
    int rv = make_nonce(s, now_ms, nonce);
    if (rv)
        return rv;
    struct nonce_slot *sl = &s->slots[s->next_slot];
    s->next_slot = (s->next_slot + 1) % s->nslots;
    memcpy(sl->nonce, nonce, sizeof(nonce));
    sl->last_nc = 0;
    sl->used = 1;
    size_t o = 0;
    out[0] = '\0';
    for (int pass = 0; pass < 2; pass++) {
        int sha = pass == 0;
        if ((sha && !s->sha256) || (!sha && !s->md5))
            continue;
        rv = cwmp__http_fmt(out + o, out_size - o,
                            "WWW-Authenticate: Digest realm=\"%s\", qop=\"auth\", "
                            "algorithm=%s, nonce=\"%s\"%s\r\n",
                            s->realm, sha ? "SHA-256" : "MD5", nonce, stale ? ", stale=true" : "");
        if (rv < 0)
            return rv;
        o += (size_t) rv;
    }
    if (s->basic && (is_tls || s->basic_plain)) {
        rv =
            cwmp__http_fmt(out + o, out_size - o,
                           "WWW-Authenticate: Basic realm=\"%s\", charset=\"UTF-8\"\r\n", s->realm);
        if (rv < 0)
            return rv;
    }
    return 0;
}

int cwmp_http_auth_server_verify(struct cwmp_http_auth_server *s, const char *method,
                                 const char *target, const char *authorization, int is_tls,
                                 cwmp_time_ms now_ms, int *stale, char *user, size_t user_size)
{
    int dummy_stale;
    if (!stale)
        stale = &dummy_stale;
    *stale = 0;
    if (user && user_size)
        user[0] = '\0';
    if (!s || !method || !target)
        return CWMP_ERR_INVALID_ARG;
    if (!authorization)
        return CWMP_ERR_AUTH;
    struct cwmp_http_auth_params a;
    char pw[CWMP_HTTP_AUTH_FIELD];
    int rv = cwmp_http_auth_parse(authorization, strlen(authorization), 0, &a);
    if (rv)
        return rv == CWMP_ERR_NOMEM ? rv : CWMP_ERR_AUTH;
    memset(pw, 0, sizeof(pw));
    int known = s->password(s->password_user, a.username, pw, sizeof(pw)) == 0;
    pw[sizeof(pw) - 1] = '\0';
    int ok = 0;

    if (a.scheme == CWMP_HTTP_AUTH_BASIC) {
        if (!s->basic || (!is_tls && !s->basic_plain))
            goto out;
        int diff = cwmp__http_ct_compare(pw, strlen(pw), a.response, strlen(a.response));
        ok = known && !diff;
        goto out;
    }
    /* Digest */
    if ((a.alg == CWMP_DIGEST_MD5 && !s->md5) || (a.alg == CWMP_DIGEST_SHA256 && !s->sha256) ||
        !a.qop_auth || strcmp(a.realm, s->realm) != 0 || strcmp(a.uri, target) != 0 || !a.cnonce[0])
        goto out;
    cwmp_time_ms issued;
    if (check_nonce(s, a.nonce, &issued) != 0)
        goto out;
    char expect[65];
    rv = cwmp_http_digest_compute(a.alg, a.username, s->realm, pw, method, a.uri, a.nonce, a.nc,
                                  a.cnonce, 1, expect);
    if (rv)
        goto out;
    for (char *q = a.response; *q; q++)
        *q = cwmp__http_lower(*q); /* hex digits are compared case-insensitively */
    int diff = cwmp__http_ct_compare(expect, strlen(expect), a.response, strlen(a.response));
    if (!known || diff)
        goto out;
    /* The credentials are right: now freshness and replay. */
    if (now_ms - issued > s->lifetime_ms || issued - now_ms > 1000) {
        *stale = 1;
        goto out;
    }
    struct nonce_slot *sl = NULL;
    for (unsigned i = 0; i < s->nslots; i++)
        if (s->slots[i].used && strcmp(s->slots[i].nonce, a.nonce) == 0)
            sl = &s->slots[i];
    if (!sl) {
        *stale = 1; /* forgotten (table full or restart): ask again */
        goto out;
    }
    if (a.nc <= sl->last_nc)
        goto out; /* replay */
    sl->last_nc = a.nc;
    ok = 1;
out:
    memset(pw, 0, sizeof(pw));
    if (ok && user && user_size)
        cwmp__http_copy(user, user_size, a.username, strlen(a.username));
    memset(&a, 0, sizeof(a));
    return ok ? 0 : CWMP_ERR_AUTH;
}
