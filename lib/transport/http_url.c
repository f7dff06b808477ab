/*
 * libcwmp-transport - URL splitting and the session cookie jar (RFC 6265).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdlib.h>

#include "http_private.h"

/* ---- URLs --------------------------------------------------------------- */

static int hexd(char c)
{
    c = cwmp__http_lower(c);
    return (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* Percent-decodes [s, s+n) into dst; refuses %00 and control bytes. */
static int pct_decode(char *dst, size_t size, const char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char) s[i];
        if (c == '%') {
            if (i + 2 >= n || hexd(s[i + 1]) < 0 || hexd(s[i + 2]) < 0)
                return CWMP_ERR_PARSE;
            c = hexd(s[i + 1]) * 16 + hexd(s[i + 2]);
            i += 2;
            if (c < 0x20 || c == 0x7f)
                return CWMP_ERR_PARSE;
        }
        if (o + 1 >= size)
            return CWMP_ERR_LIMIT;
        dst[o++] = (char) c;
    }
    dst[o] = '\0';
    return 0;
}

int cwmp_url_parse(const char *url, struct cwmp_url *out)
{
    if (!url || !out)
        return CWMP_ERR_INVALID_ARG;
    memset(out, 0, sizeof(*out));
    for (const char *q = url; *q; q++)
        if ((unsigned char) *q <= 0x20 || *q == 0x7f)
            return CWMP_ERR_PARSE;
    const char *sep = strstr(url, "://");
    if (!sep || sep == url)
        return CWMP_ERR_PARSE;
    size_t sl = (size_t) (sep - url);
    if (sl >= sizeof(out->scheme))
        return CWMP_ERR_PARSE;
    for (size_t i = 0; i < sl; i++) {
        char c = cwmp__http_lower(url[i]);
        if (!((c >= 'a' && c <= 'z') ||
              (i && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))))
            return CWMP_ERR_PARSE;
        out->scheme[i] = c;
    }
    out->scheme[sl] = '\0';
    const char *auth = sep + 3;
    size_t al = strcspn(auth, "/?#");
    const char *rest = auth + al;
    /* userinfo */
    const char *at = NULL;
    for (size_t i = 0; i < al; i++)
        if (auth[i] == '@')
            at = auth + i;
    const char *h = auth;
    if (at) {
        int rv = pct_decode(out->userinfo, sizeof(out->userinfo), auth, (size_t) (at - auth));
        if (rv)
            return rv;
        h = at + 1;
    }
    size_t hl = (size_t) (auth + al - h);
    const char *port = NULL;
    if (hl && h[0] == '[') {
        const char *rb = memchr(h, ']', hl);
        if (!rb || rb == h + 1)
            return CWMP_ERR_PARSE;
        for (const char *q = h + 1; q < rb; q++)
            if (!(hexd(*q) >= 0 || *q == ':' || *q == '.'))
                return CWMP_ERR_PARSE;
        if (cwmp__http_copy(out->host, sizeof(out->host), h + 1, (size_t) (rb - h - 1)))
            return CWMP_ERR_LIMIT;
        if (rb + 1 < h + hl) {
            if (rb[1] != ':')
                return CWMP_ERR_PARSE;
            port = rb + 2;
        }
    } else {
        const char *colon = memchr(h, ':', hl);
        size_t nl = colon ? (size_t) (colon - h) : hl;
        if (nl == 0)
            return CWMP_ERR_PARSE;
        for (size_t i = 0; i < nl; i++) {
            char c = h[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '.' || c == '_'))
                return CWMP_ERR_PARSE;
        }
        if (nl >= sizeof(out->host))
            return CWMP_ERR_LIMIT;
        for (size_t i = 0; i < nl; i++)
            out->host[i] = cwmp__http_lower(h[i]);
        out->host[nl] = '\0';
        if (colon)
            port = colon + 1;
    }
    int is_http = strcmp(out->scheme, "http") == 0, is_https = strcmp(out->scheme, "https") == 0;
    out->tls = is_https;
    out->port = is_https ? 443 : 80;
    if (port) {
        const char *pe = auth + al;
        unsigned long v = 0;
        if (port == pe)
            return CWMP_ERR_PARSE;
        for (const char *q = port; q < pe; q++) {
            if (*q < '0' || *q > '9' || v > 65535)
                return CWMP_ERR_PARSE;
            v = v * 10 + (unsigned long) (*q - '0');
        }
        if (v == 0 || v > 65535)
            return CWMP_ERR_PARSE;
        out->port = (uint16_t) v;
    }
    size_t pl = strcspn(rest, "#");
    if (rest[0] != '/') {
        if (pl + 1 >= sizeof(out->path))
            return CWMP_ERR_LIMIT;
        out->path[0] = '/';
        memcpy(out->path + 1, rest, pl);
        out->path[pl + 1] = '\0';
    } else if (cwmp__http_copy(out->path, sizeof(out->path), rest, pl)) {
        return CWMP_ERR_LIMIT;
    }
    if (!is_http && !is_https)
        return CWMP_ERR_UNSUPPORTED;
    return 0;
}

/* ---- cookies ------------------------------------------------------------ */

struct cookie {
    char *name, *value, *domain, *path;
    int host_only, secure;
    int64_t expires; /* seconds; INT64_MAX = session */
    uint64_t order;
};

struct cwmp_cookie_jar {
    const struct cwmp_allocator *alloc;
    struct cookie *c;
    size_t n, max;
    uint64_t order;
};

#define COOKIE_MAX_BYTES 4096

int cwmp_cookie_jar_new(struct cwmp_cookie_jar **out, const struct cwmp_allocator *alloc,
                        unsigned max_cookies)
{
    if (!out)
        return CWMP_ERR_INVALID_ARG;
    alloc = cwmp__http_alloc(alloc);
    struct cwmp_cookie_jar *j = cwmp__malloc(alloc, sizeof(*j));
    *out = NULL;
    if (!j)
        return CWMP_ERR_NOMEM;
    memset(j, 0, sizeof(*j));
    j->alloc = alloc;
    j->max = max_cookies ? max_cookies : 32;
    *out = j;
    return 0;
}

static void cookie_free(struct cwmp_cookie_jar *j, struct cookie *c)
{
    cwmp__free(j->alloc, c->name); /* one block holds every string */
}

void cwmp_cookie_jar_clear(struct cwmp_cookie_jar *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->n; i++)
        cookie_free(j, &j->c[i]);
    j->n = 0;
}

void cwmp_cookie_jar_free(struct cwmp_cookie_jar *j)
{
    if (!j)
        return;
    cwmp_cookie_jar_clear(j);
    cwmp__free(j->alloc, j->c);
    cwmp__free(j->alloc, j);
}

size_t cwmp_cookie_jar_count(const struct cwmp_cookie_jar *j)
{
    return j ? j->n : 0;
}

static int is_ip_literal(const char *h)
{
    if (strchr(h, ':'))
        return 1;
    for (; *h; h++)
        if (!((*h >= '0' && *h <= '9') || *h == '.'))
            return 0;
    return 1;
}

/* RFC 6265 §5.1.3 */
static int domain_match(const char *host, const char *dom)
{
    size_t hl = strlen(host), dl = strlen(dom);
    if (hl == dl)
        return cwmp__http_ncaseeq(host, dom, hl);
    if (hl > dl && host[hl - dl - 1] == '.' && cwmp__http_ncaseeq(host + hl - dl, dom, dl))
        return !is_ip_literal(host);
    return 0;
}

/* RFC 6265 §5.1.4 */
static int path_match(const char *req, const char *cp)
{
    size_t cl = strlen(cp);
    if (strncmp(req, cp, cl) != 0)
        return 0;
    return req[cl] == '\0' || cp[cl - 1] == '/' || req[cl] == '/';
}

static size_t path_only_len(const char *p)
{
    return strcspn(p, "?");
}

/* RFC 6265 §5.1.1 cookie-date, simplified to the common forms: finds
 * hh:mm:ss, day-of-month, month name and year among delimited tokens. */
static int64_t parse_cookie_date(const char *s)
{
    static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
    int hh = -1, mi = 0, ss = 0, day = -1, mon = -1, year = -1;
    while (*s) {
        while (*s && !((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
                       (*s >= 'A' && *s <= 'Z') || *s == ':'))
            s++;
        const char *t = s;
        while (*s && ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
                      (*s >= 'A' && *s <= 'Z') || *s == ':'))
            s++;
        size_t tl = (size_t) (s - t);
        if (!tl)
            break;
        int a, b, c;
        char tok[16];
        if (tl >= sizeof(tok))
            continue;
        memcpy(tok, t, tl);
        tok[tl] = '\0';
        if (hh < 0 && sscanf(tok, "%2d:%2d:%2d", &a, &b, &c) == 3) {
            hh = a, mi = b, ss = c;
        } else if (day < 0 && tl <= 2 && tok[0] >= '0' && tok[0] <= '9') {
            day = atoi(tok);
        } else if (mon < 0 && tl >= 3 && !(tok[0] >= '0' && tok[0] <= '9')) {
            for (int m = 0; m < 12; m++)
                if (cwmp__http_ncaseeq(tok, months + 3 * m, 3))
                    mon = m;
        } else if (year < 0 && tl >= 2 && tl <= 4 && tok[0] >= '0' && tok[0] <= '9') {
            year = atoi(tok);
        }
    }
    if (year >= 70 && year <= 99)
        year += 1900;
    else if (year >= 0 && year <= 69)
        year += 2000;
    if (hh < 0 || day < 1 || day > 31 || mon < 0 || year < 1601 || hh > 23 || mi > 59 || ss > 59)
        return INT64_MIN;
    /* days from civil (proleptic Gregorian) */
    int y = year - (mon < 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int mp = (mon + 9) % 12;
    int doy = (153 * mp + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = (int64_t) era * 146097 + doe - 719468;
    return days * 86400 + hh * 3600 + mi * 60 + ss;
}

static void trim(const char **s, const char **e)
{
    while (*s < *e && (**s == ' ' || **s == '\t'))
        (*s)++;
    while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
        (*e)--;
}

int cwmp_cookie_jar_set(struct cwmp_cookie_jar *j, const struct cwmp_url *url,
                        const char *set_cookie, int64_t now_s)
{
    if (!j || !url || !set_cookie)
        return CWMP_ERR_INVALID_ARG;
    const char *s = set_cookie, *end = s + strlen(s);
    const char *semi = memchr(s, ';', (size_t) (end - s));
    const char *nv_end = semi ? semi : end;
    const char *eq = memchr(s, '=', (size_t) (nv_end - s));
    if (!eq)
        return 1;
    const char *ns = s, *ne = eq, *vs = eq + 1, *ve = nv_end;
    trim(&ns, &ne);
    trim(&vs, &ve);
    if (ns == ne || (size_t) (ne - ns) + (size_t) (ve - vs) > COOKIE_MAX_BYTES)
        return 1;
    for (const char *q = ns; q < ve; q++)
        if ((unsigned char) *q < 0x20 || *q == 0x7f)
            return 1;
    if (ve - vs >= 2 && vs[0] == '"' && ve[-1] == '"')
        vs++, ve--;

    int64_t expires = INT64_MAX;
    int have_max_age = 0, secure = 0;
    const char *ds = NULL, *de = NULL, *ps = NULL, *pe = NULL;
    const char *a = semi;
    while (a && a < end) {
        a++;
        const char *ae = memchr(a, ';', (size_t) (end - a));
        if (!ae)
            ae = end;
        const char *ks = a, *ke = memchr(a, '=', (size_t) (ae - a)), *avs, *ave = ae;
        if (!ke)
            ke = ae, avs = ae;
        else
            avs = ke + 1;
        trim(&ks, &ke);
        trim(&avs, &ave);
        size_t kl = (size_t) (ke - ks), vl = (size_t) (ave - avs);
        char v[128];
        if (kl == 7 && cwmp__http_ncaseeq(ks, "expires", 7) && !have_max_age && vl < sizeof(v)) {
            memcpy(v, avs, vl);
            v[vl] = '\0';
            int64_t t = parse_cookie_date(v);
            if (t != INT64_MIN)
                expires = t;
        } else if (kl == 7 && cwmp__http_ncaseeq(ks, "max-age", 7) && vl && vl < 20) {
            const char *q = avs;
            int neg = *q == '-';
            if (neg)
                q++;
            int64_t d = 0, ok = q < ave;
            for (; q < ave; q++) {
                if (*q < '0' || *q > '9')
                    ok = 0;
                else
                    d = d * 10 + (*q - '0');
            }
            if (ok) {
                have_max_age = 1;
                expires = (neg || d == 0) ? INT64_MIN
                                          : (d > INT64_MAX - now_s ? INT64_MAX - 1 : now_s + d);
            }
        } else if (kl == 6 && cwmp__http_ncaseeq(ks, "domain", 6) && vl) {
            ds = avs, de = ave;
            if (*ds == '.')
                ds++;
        } else if (kl == 4 && cwmp__http_ncaseeq(ks, "path", 4)) {
            if (vl && *avs == '/')
                ps = avs, pe = ave;
            else
                ps = pe = NULL;
        } else if (kl == 6 && cwmp__http_ncaseeq(ks, "secure", 6)) {
            secure = 1;
        }
        a = ae < end ? ae : NULL;
    }
    if (secure && !url->tls)
        return 1; /* a non-secure origin cannot set Secure cookies */

    char dom[256];
    int host_only = 1;
    if (ds && ds < de) {
        if ((size_t) (de - ds) >= sizeof(dom))
            return 1;
        for (size_t i = 0; i < (size_t) (de - ds); i++)
            dom[i] = cwmp__http_lower(ds[i]);
        dom[de - ds] = '\0';
        if (!domain_match(url->host, dom))
            return 1;
        if (strcmp(dom, url->host) != 0 && !strchr(dom, '.'))
            return 1; /* a bare TLD: refuse (no public-suffix list) */
        host_only = 0;
    } else {
        cwmp__http_copy(dom, sizeof(dom), url->host, strlen(url->host));
    }
    char defpath[2048];
    if (!ps) {
        size_t ul = path_only_len(url->path);
        size_t last = 0;
        for (size_t i = 0; i < ul; i++)
            if (url->path[i] == '/')
                last = i;
        if (ul == 0 || url->path[0] != '/' || last == 0) {
            strcpy(defpath, "/");
        } else {
            memcpy(defpath, url->path, last);
            defpath[last] = '\0';
        }
        ps = defpath;
        pe = defpath + strlen(defpath);
    }
    if ((size_t) (pe - ps) > 1024)
        return 1;

    /* Replace or delete a cookie with the same name, domain and path. */
    size_t nl = (size_t) (ne - ns), vl = (size_t) (ve - vs), dl = strlen(dom),
           pl = (size_t) (pe - ps);
    uint64_t order = j->order++;
    for (size_t i = 0; i < j->n; i++) {
        struct cookie *c = &j->c[i];
        if (strlen(c->name) == nl && memcmp(c->name, ns, nl) == 0 && strcmp(c->domain, dom) == 0 &&
            strlen(c->path) == pl && memcmp(c->path, ps, pl) == 0) {
            order = c->order;
            cookie_free(j, c);
            j->c[i] = j->c[--j->n];
            break;
        }
    }
    if (expires != INT64_MAX && expires <= now_s)
        return 0; /* expired: deleted */
    for (size_t i = 0; j->n >= j->max && i < j->n;) {
        /* make room by forgetting expired cookies */
        if (j->c[i].expires != INT64_MAX && j->c[i].expires <= now_s) {
            cookie_free(j, &j->c[i]);
            j->c[i] = j->c[--j->n];
        } else {
            i++;
        }
    }
    if (j->n >= j->max)
        return CWMP_ERR_LIMIT;
    if (!j->c) {
        j->c = cwmp__malloc(j->alloc, j->max * sizeof(*j->c));
        if (!j->c)
            return CWMP_ERR_NOMEM;
    }
    char *blk = cwmp__malloc(j->alloc, nl + vl + dl + pl + 4);
    if (!blk)
        return CWMP_ERR_NOMEM;
    struct cookie *c = &j->c[j->n++];
    c->name = blk;
    memcpy(blk, ns, nl);
    blk[nl] = '\0';
    c->value = blk + nl + 1;
    memcpy(c->value, vs, vl);
    c->value[vl] = '\0';
    c->domain = c->value + vl + 1;
    memcpy(c->domain, dom, dl + 1);
    c->path = c->domain + dl + 1;
    memcpy(c->path, ps, pl);
    c->path[pl] = '\0';
    c->host_only = host_only;
    c->secure = secure;
    c->expires = expires;
    c->order = order;
    return 0;
}

int cwmp_cookie_jar_header(const struct cwmp_cookie_jar *j, const struct cwmp_url *url,
                           int64_t now_s, char *out, size_t out_size)
{
    if (!j || !url || !out || !out_size)
        return CWMP_ERR_INVALID_ARG;
    out[0] = '\0';
    char rpath[2048];
    size_t rl = path_only_len(url->path);
    cwmp__http_copy(rpath, sizeof(rpath), url->path, rl < sizeof(rpath) ? rl : 0);
    size_t o = 0;
    /* Emit in RFC 6265 §5.4 order: longer paths first, then older first.
     * Selection by repeated scan keeps this allocation-free (n is small). */
    size_t last_pl = SIZE_MAX;
    uint64_t last_order = 0;
    int first = 1;
    for (;;) {
        const struct cookie *best = NULL;
        size_t best_pl = 0;
        for (size_t i = 0; i < j->n; i++) {
            const struct cookie *c = &j->c[i];
            if (c->expires != INT64_MAX && c->expires <= now_s)
                continue;
            if (c->secure && !url->tls)
                continue;
            if (c->host_only ? strcmp(c->domain, url->host) != 0
                             : !domain_match(url->host, c->domain))
                continue;
            if (!path_match(rpath, c->path))
                continue;
            size_t pl = strlen(c->path);
            /* strictly after (last_pl, last_order) in the sort order */
            if (!first && (pl > last_pl || (pl == last_pl && c->order <= last_order)))
                continue;
            if (!best || pl > best_pl || (pl == best_pl && c->order < best->order)) {
                best = c;
                best_pl = pl;
            }
        }
        if (!best)
            break;
        int n = cwmp__http_fmt(out + o, out_size - o, "%s%s=%s", o ? "; " : "", best->name,
                               best->value);
        if (n < 0) {
            out[0] = '\0';
            return CWMP_ERR_BUFFER;
        }
        o += (size_t) n;
        last_pl = best_pl;
        last_order = best->order;
        first = 0;
    }
    return 0;
}
