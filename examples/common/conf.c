/*
 * libcwmp examples - config and policy files of the example agent and HMS.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "conf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmfile.h"
#include "exalloc.h"
#include "strbuf.h"

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int
fail(struct conf_error *err, int rv, int line, const char *fmt, ...)
{
    if (err) {
        err->line = line;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
    }
    return rv;
}

/* ---- syntax -------------------------------------------------------------- */

static int key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static int blank(char c)
{
    return c == ' ' || c == '\t';
}

void conf_free(struct conf_doc *d)
{
    if (!d)
        return;
    ex_free(d->alloc, d->storage);
    ex_free(d->alloc, d->sections);
    ex_free(d->alloc, d->entries);
    ex_free(d->alloc, d);
}

static int add_section(struct conf_doc *d, const char *name, const char *arg, int line)
{
    if (d->nsections == d->cap_sections) {
        size_t cap = d->cap_sections ? d->cap_sections * 2 : 8;
        void *p = ex_realloc(d->alloc, d->sections, cap * sizeof(*d->sections));
        if (!p)
            return CWMP_ERR_NOMEM;
        d->sections = p;
        d->cap_sections = cap;
    }
    d->sections[d->nsections++] = (struct conf_section){name, arg, line};
    return 0;
}

static int add_entry(struct conf_doc *d, const char *key, const char *value, int line)
{
    if (d->nentries == d->cap_entries) {
        size_t cap = d->cap_entries ? d->cap_entries * 2 : 32;
        void *p = ex_realloc(d->alloc, d->entries, cap * sizeof(*d->entries));
        if (!p)
            return CWMP_ERR_NOMEM;
        d->entries = p;
        d->cap_entries = cap;
    }
    d->entries[d->nentries++] = (struct conf_entry){key, value, line, d->nsections - 1};
    return 0;
}

/* Unquotes "..." in place starting at *p (which points at the quote);
 * returns the value or NULL when malformed. *p is left after the quote. */
static char *unquote(char **p)
{
    char *r = *p + 1, *w = *p + 1, *start = w;
    for (;;) {
        if (*r == '\0')
            return NULL;
        if (*r == '"')
            break;
        if (*r == '\\') {
            if (r[1] != '"' && r[1] != '\\')
                return NULL;
            r++;
        }
        *w++ = *r++;
    }
    *p = r + 1;
    *w = '\0';
    return start;
}

static int parse_line(struct conf_doc *d, char *s, int line, struct conf_error *err)
{
    while (blank(*s))
        s++;
    if (*s == '\0' || *s == '#')
        return 0;
    if (*s == '[') {
        char *name = ++s;
        while (key_char(*s))
            s++;
        if (s == name)
            return fail(err, CWMP_ERR_PARSE, line, "section name must be [a-z0-9_]+");
        char *name_end = s;
        while (blank(*s))
            s++;
        char *arg = NULL;
        if (*s == '"') {
            arg = unquote(&s);
            if (!arg)
                return fail(err, CWMP_ERR_PARSE, line, "malformed quoted section argument");
            while (blank(*s))
                s++;
        }
        if (*s != ']')
            return fail(err, CWMP_ERR_PARSE, line, "expected ']'");
        s++;
        while (blank(*s))
            s++;
        if (*s != '\0')
            return fail(err, CWMP_ERR_PARSE, line, "text after the section header");
        *name_end = '\0';
        if (add_section(d, name, arg ? arg : "", line))
            return fail(err, CWMP_ERR_NOMEM, 0, "out of memory");
        return 0;
    }
    char *key = s;
    while (key_char(*s))
        s++;
    if (s == key)
        return fail(err, CWMP_ERR_PARSE, line, "expected 'key = value' (keys are [a-z0-9_]+)");
    char *key_end = s;
    while (blank(*s))
        s++;
    if (*s != '=')
        return fail(err, CWMP_ERR_PARSE, line, "expected '=' after the key");
    s++;
    while (blank(*s))
        s++;
    char *value;
    if (*s == '"') {
        value = unquote(&s);
        if (!value)
            return fail(err, CWMP_ERR_PARSE, line,
                        "malformed quoted value (only \\\" and \\\\ escapes)");
        while (blank(*s))
            s++;
        if (*s != '\0')
            return fail(err, CWMP_ERR_PARSE, line, "text after the closing quote");
    } else {
        value = s;
        char *end = s + strlen(s);
        while (end > value && blank(end[-1]))
            end--;
        *end = '\0';
    }
    *key_end = '\0';
    if (add_entry(d, key, value, line))
        return fail(err, CWMP_ERR_NOMEM, 0, "out of memory");
    return 0;
}

int conf_parse(const char *text, size_t len, const struct cwmp_allocator *alloc,
               struct conf_doc **out, struct conf_error *err)
{
    if (err)
        memset(err, 0, sizeof(*err));
    if (out)
        *out = NULL;
    if (!out || (!text && len))
        return fail(err, CWMP_ERR_INVALID_ARG, 0, "invalid argument");
    if (len > CONF_MAX_BYTES)
        return fail(err, CWMP_ERR_LIMIT, 0, "file larger than %d bytes", CONF_MAX_BYTES);
    struct conf_doc *d = ex_calloc(alloc, 1, sizeof(*d));
    if (!d)
        return fail(err, CWMP_ERR_NOMEM, 0, "out of memory");
    d->alloc = alloc;
    int rv = 0;
    d->storage = ex_strndup(alloc, text ? text : "", len);
    if (!d->storage || add_section(d, "", "", 0)) {
        rv = fail(err, CWMP_ERR_NOMEM, 0, "out of memory");
        goto done;
    }
    char *s = d->storage;
    int line = 1;
    size_t pos = 0;
    while (pos < len) {
        char *nl = memchr(s + pos, '\n', len - pos);
        size_t end = nl ? (size_t) (nl - s) : len;
        size_t n = end - pos;
        if (n > CONF_MAX_LINE) {
            rv = fail(err, CWMP_ERR_LIMIT, line, "line longer than %d bytes", CONF_MAX_LINE);
            goto done;
        }
        if (n && s[end - 1] == '\r')
            n--;
        if (!ex_text_ok(s + pos, n) || memchr(s + pos, '\r', n) || memchr(s + pos, '\0', n)) {
            rv = fail(err, CWMP_ERR_ENCODING, line, "not UTF-8, or a control character");
            goto done;
        }
        s[pos + n] = '\0';
        rv = parse_line(d, s + pos, line, err);
        if (rv)
            goto done;
        pos = end + 1;
        line++;
    }
done:
    if (rv) {
        conf_free(d);
        return rv;
    }
    *out = d;
    return 0;
}

/* ---- value checks -------------------------------------------------------- */

static int parse_uint(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
    if (!*s || strlen(s) > 10)
        return -1;
    uint64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (uint64_t) (*p - '0');
    }
    if (v < min || v > max)
        return -1;
    *out = (uint32_t) v;
    return 0;
}

static int parse_bool(const char *s, int *out)
{
    if (!strcmp(s, "true"))
        *out = 1;
    else if (!strcmp(s, "false"))
        *out = 0;
    else
        return -1;
    return 0;
}

int conf_parse_degrees(const char *s, int max_deg, int32_t *out)
{
    const char *p = s;
    int neg = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    int64_t whole = 0, frac = 0;
    int nd = 0, nf = 0;
    while (*p >= '0' && *p <= '9' && nd < 4) {
        whole = whole * 10 + (*p++ - '0');
        nd++;
    }
    if (nd == 0)
        return CWMP_ERR_BAD_VALUE;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9' && nf < 6) {
            frac = frac * 10 + (*p++ - '0');
            nf++;
        }
        if (nf == 0)
            return CWMP_ERR_BAD_VALUE;
    }
    if (*p != '\0')
        return CWMP_ERR_BAD_VALUE;
    for (int i = nf; i < 6; i++)
        frac *= 10;
    int64_t v = whole * 1000000 + frac;
    if (v > (int64_t) max_deg * 1000000)
        return CWMP_ERR_BAD_VALUE;
    *out = (int32_t) (neg ? -v : v);
    return 0;
}

static int host_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == ':' || c == '[' || c == ']';
}

/* An FQDN, an IPv4 address or an IPv6 literal (characters only: the
 * resolver and the TLS name check do the rest). */
static int host_ok(const char *h)
{
    size_t n = strlen(h);
    if (n == 0 || n > 253)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!host_char(h[i]))
            return 0;
    return 1;
}

/* http(s)://host[:port][/path]; host is an FQDN, IPv4 or [IPv6]. */
static int url_ok(const char *u)
{
    const char *p;
    if (!strncmp(u, "https://", 8))
        p = u + 8;
    else if (!strncmp(u, "http://", 7))
        p = u + 7;
    else
        return 0;
    char host[260];
    size_t n = 0;
    if (*p == '[') {
        while (*p && *p != ']' && n < sizeof(host) - 2)
            host[n++] = *p++;
        if (*p != ']')
            return 0;
        host[n++] = *p++;
    } else {
        while (*p && *p != ':' && *p != '/' && n < sizeof(host) - 1)
            host[n++] = *p++;
    }
    host[n] = '\0';
    if (!host_ok(host))
        return 0;
    if (*p == ':') {
        p++;
        const char *ps = p;
        uint32_t port;
        char pbuf[8];
        while (*p >= '0' && *p <= '9')
            p++;
        if ((size_t) (p - ps) >= sizeof(pbuf) || p == ps)
            return 0;
        memcpy(pbuf, ps, (size_t) (p - ps));
        pbuf[p - ps] = '\0';
        if (parse_uint(pbuf, 1, 65535, &port))
            return 0;
    }
    if (*p && *p != '/')
        return 0;
    for (; *p; p++)
        if (*p == ' ' || *p == '\t')
            return 0;
    return 1;
}

static int hex6_ok(const char *s)
{
    if (strlen(s) != 6)
        return 0;
    for (int i = 0; i < 6; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'F')))
            return 0;
    return 1;
}

static int plmn_ok(const char *s, size_t n)
{
    if (n != 5 && n != 6)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int id_ok(const char *s, size_t min)
{
    size_t n = strlen(s);
    return n >= min && n <= 64;
}

/* ---- shared walking helpers ---------------------------------------------- */

static int is_section(const struct conf_doc *d, const struct conf_entry *e, const char *name)
{
    return strcmp(d->sections[e->section].name, name) == 0;
}

/* Sections both loaders accept; each loader handles its own and skips the
 * other program's, so one file may hold everything for a demo. */
static int check_sections(const struct conf_doc *d, struct conf_error *err)
{
    static const char *const known[] = {"agent", "device", "hms", "policy"};
    for (size_t i = 1; i < d->nsections; i++) {
        const struct conf_section *s = &d->sections[i];
        int ok = 0;
        for (size_t k = 0; k < 4; k++)
            ok |= !strcmp(s->name, known[k]);
        if (!ok)
            return fail(err, CWMP_ERR_PARSE, s->line, "unknown section [%s]", s->name);
        int wants_arg = !strcmp(s->name, "policy");
        if (wants_arg != (s->arg[0] != '\0'))
            return fail(err, CWMP_ERR_PARSE, s->line,
                        wants_arg ? "[policy] needs a name: [policy \"<name>\"]"
                                  : "[%s] takes no argument",
                        s->name);
    }
    for (size_t i = 0; i < d->nentries; i++)
        if (d->entries[i].section == 0)
            return fail(err, CWMP_ERR_PARSE, d->entries[i].line, "'%s' outside any section",
                        d->entries[i].key);
    return 0;
}

/* Duplicate detection: a key may appear once per section occurrence. */
static int dup_in_section(const struct conf_doc *d, size_t idx)
{
    const struct conf_entry *e = &d->entries[idx];
    for (size_t j = 0; j < idx; j++)
        if (d->entries[j].section == e->section && !strcmp(d->entries[j].key, e->key))
            return 1;
    return 0;
}

#define BAD(e, ...) fail(err, CWMP_ERR_BAD_VALUE, (e)->line, __VA_ARGS__)

/* ---- agent ---------------------------------------------------------------- */

static int has_key(const struct conf_doc *d, const char *section, const char *key)
{
    for (size_t i = 0; i < d->nentries; i++)
        if (is_section(d, &d->entries[i], section) && !strcmp(d->entries[i].key, key))
            return 1;
    return 0;
}

static int agent_entry(const struct conf_doc *d, const struct conf_entry *e, struct conf_agent *a,
                       struct conf_error *err)
{
    const char *k = e->key, *v = e->value;
    int agent = is_section(d, e, "agent");
    if (agent && !strcmp(k, "initial_hms_url")) {
        if (!url_ok(v))
            return BAD(e, "initial_hms_url: expected http(s)://<fqdn-or-ip>[:port][/path]");
        a->initial_hms_url = v;
    } else if (agent && !strcmp(k, "initial_segw")) {
        if (!host_ok(v))
            return BAD(e, "initial_segw: expected an FQDN or IP address");
        a->initial_segw = v;
    } else if (agent && (!strcmp(k, "root_ca") || !strcmp(k, "cert") || !strcmp(k, "key"))) {
        if (!*v)
            return BAD(e, "%s: empty path", k);
        *(k[0] == 'r' ? &a->root_ca : k[0] == 'c' ? &a->cert : &a->key) = v;
    } else if (agent && !strcmp(k, "cr_port")) {
        uint32_t port;
        if (parse_uint(v, 1, 65535, &port))
            return BAD(e, "cr_port: expected 1..65535");
        a->cr_port = (uint16_t) port;
    } else if (agent && !strcmp(k, "state_dir")) {
        if (!*v)
            return BAD(e, "state_dir: empty path");
        a->state_dir = v;
    } else if (agent && !strcmp(k, "rat")) {
        if (!strcmp(v, "umts"))
            a->rat = CONF_RAT_UMTS;
        else if (!strcmp(v, "lte"))
            a->rat = CONF_RAT_LTE;
        else
            return BAD(e, "rat: expected umts or lte");
    } else if (agent && !strcmp(k, "root")) {
        if (!strcmp(v, "Device"))
            a->root = CONF_ROOT_DEVICE;
        else if (!strcmp(v, "InternetGatewayDevice"))
            a->root = CONF_ROOT_IGD;
        else
            return BAD(e, "root: expected Device or InternetGatewayDevice");
    } else if (!agent && !strcmp(k, "manufacturer")) {
        if (!id_ok(v, 1))
            return BAD(e, "manufacturer: 1..64 characters");
        a->manufacturer = v;
    } else if (!agent && !strcmp(k, "oui")) {
        if (!hex6_ok(v))
            return BAD(e, "oui: expected 6 upper-case hex digits");
        a->oui = v;
    } else if (!agent && !strcmp(k, "product_class")) {
        if (!id_ok(v, 0))
            return BAD(e, "product_class: at most 64 characters");
        a->product_class = v;
    } else if (!agent && !strcmp(k, "serial")) {
        if (!id_ok(v, 1))
            return BAD(e, "serial: 1..64 characters");
        a->serial = v;
    } else if (!agent && !strcmp(k, "gps")) {
        const char *comma = strchr(v, ',');
        char lat[32];
        if (!comma || (size_t) (comma - v) >= sizeof(lat))
            return BAD(e, "gps: expected <latitude>,<longitude> in decimal degrees");
        memcpy(lat, v, (size_t) (comma - v));
        lat[comma - v] = '\0';
        if (conf_parse_degrees(lat, 90, &a->gps_lat_udeg) ||
            conf_parse_degrees(comma + 1, 180, &a->gps_lon_udeg))
            return BAD(e, "gps: latitude -90..90 and longitude -180..180, up to 6 decimals");
        a->has_gps = 1;
    } else if (!agent && !strcmp(k, "rem_cell")) {
        if (a->nrem >= CONF_MAX_REM)
            return fail(err, CWMP_ERR_LIMIT, e->line, "more than %d rem_cell lines", CONF_MAX_REM);
        const char *c1 = strchr(v, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
        struct conf_rem_cell *rc = &a->rem[a->nrem];
        char num[16];
        if (!c1 || !c2 || !plmn_ok(v, (size_t) (c1 - v)) || (size_t) (c2 - c1 - 1) >= sizeof(num))
            return BAD(e, "rem_cell: expected <plmn>,<lac-or-tac>,<cell-id>");
        memcpy(rc->plmn, v, (size_t) (c1 - v));
        rc->plmn[c1 - v] = '\0';
        memcpy(num, c1 + 1, (size_t) (c2 - c1 - 1));
        num[c2 - c1 - 1] = '\0';
        if (parse_uint(num, 0, 65535, &rc->area) || parse_uint(c2 + 1, 0, 268435455, &rc->cell_id))
            return BAD(e, "rem_cell: area 0..65535, cell id 0..268435455");
        a->nrem++;
        return 0; /* repeatable */
    } else {
        return fail(err, CWMP_ERR_PARSE, e->line, "unknown key '%s' in [%s]", k,
                    agent ? "agent" : "device");
    }
    return 0;
}

int conf_agent_load(const struct conf_doc *d, struct conf_agent *a, struct conf_error *err)
{
    if (err)
        memset(err, 0, sizeof(*err));
    if (!d || !a)
        return fail(err, CWMP_ERR_INVALID_ARG, 0, "invalid argument");
    memset(a, 0, sizeof(*a));
    a->cr_port = 7547;
    a->manufacturer = "libcwmp example";
    a->product_class = "";
    a->rat = CONF_RAT_UMTS;
    int rv = check_sections(d, err);
    if (rv)
        return rv;
    for (size_t i = 0; i < d->nentries; i++) {
        const struct conf_entry *e = &d->entries[i];
        if (!is_section(d, e, "agent") && !is_section(d, e, "device"))
            continue;
        if (strcmp(e->key, "rem_cell") != 0 && dup_in_section(d, i))
            return fail(err, CWMP_ERR_PARSE, e->line, "'%s' given twice", e->key);
        if ((rv = agent_entry(d, e, a, err)))
            return rv;
    }
    const char *missing = !a->initial_hms_url           ? "[agent] initial_hms_url"
                          : !a->state_dir               ? "[agent] state_dir"
                          : !has_key(d, "agent", "rat") ? "[agent] rat"
                          : !a->oui                     ? "[device] oui"
                          : !a->serial                  ? "[device] serial"
                                                        : NULL;
    if (missing)
        return fail(err, CWMP_ERR_MISSING_ARG, 0, "missing %s", missing);
    return 0;
}

/* ---- HMS and policies ----------------------------------------------------- */

void conf_hms_free(struct conf_hms *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->npolicies; i++)
        for (size_t k = 0; k < h->policies[i].nset; k++)
            ex_free(h->alloc, h->policies[i].set[k].copy_);
    ex_free(h->alloc, h->policies);
    ex_free(h->alloc, h);
}

static int hms_entry(const struct conf_entry *e, struct conf_hms *h, struct conf_error *err)
{
    const char *k = e->key, *v = e->value;
    if (!strcmp(k, "role")) {
        if (!strcmp(v, "initial"))
            h->role = CONF_HMS_INITIAL;
        else if (!strcmp(v, "serving"))
            h->role = CONF_HMS_SERVING;
        else if (!strcmp(v, "both"))
            h->role = CONF_HMS_BOTH;
        else
            return BAD(e, "role: expected initial, serving or both");
    } else if (!strcmp(k, "listen")) {
        const char *colon = strrchr(v, ':');
        uint32_t port;
        size_t hl = colon ? (size_t) (colon - v) : 0;
        if (!colon || hl == 0 || hl >= sizeof(h->listen_buf) ||
            parse_uint(colon + 1, 1, 65535, &port))
            return BAD(e, "listen: expected <ip>:<port>");
        const char *hs = v;
        if (hs[0] == '[' && hl >= 2 && hs[hl - 1] == ']') { /* [v6]:port */
            hs++;
            hl -= 2;
        }
        memcpy(h->listen_buf, hs, hl);
        h->listen_buf[hl] = '\0';
        if (!host_ok(h->listen_buf))
            return BAD(e, "listen: bad address");
        h->listen_host = h->listen_buf;
        h->listen_port = (uint16_t) port;
    } else if (!strcmp(k, "url") || !strcmp(k, "file_url")) {
        if (!url_ok(v))
            return BAD(e, "%s: expected http(s)://<fqdn-or-ip>[:port][/path]", k);
        *(k[0] == 'u' ? &h->url : &h->file_url) = v;
    } else if (!strcmp(k, "database") || !strcmp(k, "file_dir") || !strcmp(k, "cert") ||
               !strcmp(k, "key") || !strcmp(k, "root_ca")) {
        if (!*v)
            return BAD(e, "%s: empty path", k);
        const char **dst = !strcmp(k, "database")   ? &h->database
                           : !strcmp(k, "file_dir") ? &h->file_dir
                           : !strcmp(k, "cert")     ? &h->cert
                           : !strcmp(k, "key")      ? &h->key
                                                    : &h->root_ca;
        *dst = v;
    } else {
        return fail(err, CWMP_ERR_PARSE, e->line, "unknown key '%s' in [hms]", k);
    }
    return 0;
}

static int policy_set(const struct conf_entry *e, struct conf_policy *p,
                      const struct cwmp_allocator *alloc, struct conf_error *err)
{
    if (p->nset >= CONF_MAX_SET)
        return fail(err, CWMP_ERR_LIMIT, e->line, "more than %d set lines", CONF_MAX_SET);
    size_t n = strlen(e->value);
    char *c = ex_strndup(alloc, e->value, n);
    if (!c)
        return fail(err, CWMP_ERR_NOMEM, e->line, "out of memory");
    char *name = c, *s = c;
    while (*s && !blank(*s))
        s++;
    char *type = s;
    if (*s) {
        *s++ = '\0';
        while (blank(*s))
            s++;
        type = s;
        while (*s && !blank(*s))
            s++;
    }
    char *value = s;
    if (*s) {
        *s++ = '\0';
        while (blank(*s))
            s++;
        value = s;
    }
    enum cmfile_type t;
    int rv = 0;
    if (!cmfile_name_ok(name))
        rv = BAD(e, "set: '%s' is not a parameter path", name);
    else if (cmfile_type_from_name(type, &t))
        rv = BAD(e, "set %s: unknown type '%s'", name, type);
    else if (!cmfile_value_ok(t, value))
        rv = BAD(e, "set %s: value does not match type %s", name, type);
    if (rv) {
        ex_free(alloc, c);
        return rv;
    }
    p->set[p->nset++] = (struct conf_set){name, type, value, c};
    return 0;
}

static int policy_entry(const struct conf_entry *e, struct conf_policy *p,
                        const struct cwmp_allocator *alloc, struct conf_error *err)
{
    const char *k = e->key, *v = e->value;
    if (!strcmp(k, "match_oui")) {
        if (!hex6_ok(v))
            return BAD(e, "match_oui: expected 6 upper-case hex digits");
        p->match_oui = v;
    } else if (!strcmp(k, "match_product_class") || !strcmp(k, "match_serial")) {
        if (!id_ok(v, 1))
            return BAD(e, "%s: 1..64 characters", k);
        *(k[6] == 'p' ? &p->match_product_class : &p->match_serial) = v;
    } else if (!strcmp(k, "match_rat")) {
        if (!strcmp(v, "umts"))
            p->match_rat = CONF_RAT_UMTS;
        else if (!strcmp(v, "lte"))
            p->match_rat = CONF_RAT_LTE;
        else
            return BAD(e, "match_rat: expected umts or lte");
    } else if (!strcmp(k, "match_plmn")) {
        if (!plmn_ok(v, strlen(v)))
            return BAD(e, "match_plmn: expected 5 or 6 digits");
        p->match_plmn = v;
    } else if (!strcmp(k, "match_area")) {
        char f[4][32];
        const char *s = v;
        int nf = 0;
        while (nf < 4) {
            const char *c = strchr(s, ',');
            size_t l = c ? (size_t) (c - s) : strlen(s);
            if (l >= sizeof(f[0]))
                break;
            memcpy(f[nf], s, l);
            f[nf][l] = '\0';
            nf++;
            if (!c)
                break;
            s = c + 1;
        }
        if (nf != 4 || strchr(s, ',') || conf_parse_degrees(f[0], 90, &p->lat_min) ||
            conf_parse_degrees(f[1], 90, &p->lat_max) ||
            conf_parse_degrees(f[2], 180, &p->lon_min) ||
            conf_parse_degrees(f[3], 180, &p->lon_max) || p->lat_min > p->lat_max ||
            p->lon_min > p->lon_max)
            return BAD(e, "match_area: expected <lat-min>,<lat-max>,<long-min>,<long-max>");
        p->has_area = 1;
    } else if (!strcmp(k, "serving_segw")) {
        if (!host_ok(v))
            return BAD(e, "serving_segw: expected an FQDN or IP address");
        p->serving_segw = v;
    } else if (!strcmp(k, "serving_hms_url")) {
        if (!url_ok(v))
            return BAD(e, "serving_hms_url: expected http(s)://<fqdn-or-ip>[:port][/path]");
        p->serving_hms_url = v;
    } else if (!strcmp(k, "hnb_gw")) {
        if (!host_ok(v))
            return BAD(e, "hnb_gw: expected an FQDN or IP address");
        p->hnb_gw = v;
    } else if (!strcmp(k, "s1_far_end")) {
        size_t n = strlen(v);
        if (n == 0 || n > 256 || v[0] == ',' || v[n - 1] == ',' || strstr(v, ",,"))
            return BAD(e, "s1_far_end: comma-separated addresses, at most 256 characters");
        for (const char *c = v; *c; c++)
            if (*c != ',' && !host_char(*c))
                return BAD(e, "s1_far_end: comma-separated addresses");
        p->s1_far_end = v;
    } else if (!strcmp(k, "ipsec") || !strcmp(k, "pm_enable")) {
        int b;
        if (parse_bool(v, &b))
            return BAD(e, "%s: expected true or false", k);
        *(k[0] == 'i' ? &p->ipsec : &p->pm_enable) = b;
    } else if (!strcmp(k, "cm")) {
        if (!strcmp(v, "spv"))
            p->cm = CONF_CM_SPV;
        else if (!strcmp(v, "file"))
            p->cm = CONF_CM_FILE;
        else
            return BAD(e, "cm: expected spv or file");
    } else if (!strcmp(k, "cm_file")) {
        if (!*v)
            return BAD(e, "cm_file: empty path");
        p->cm_file = v;
    } else if (!strcmp(k, "set")) {
        return policy_set(e, p, alloc, err);
    } else if (!strcmp(k, "alarm")) {
        if (p->nalarm >= CONF_MAX_ALARM)
            return fail(err, CWMP_ERR_LIMIT, e->line, "more than %d alarm lines", CONF_MAX_ALARM);
        static const char *const mech[] = {"expedited", "queued", "logged", "disabled"};
        for (int m = 0; m < 4; m++) {
            size_t l = strlen(mech[m]);
            if (!strncmp(v, mech[m], l) && blank(v[l])) {
                const char *cause = v + l;
                while (blank(*cause))
                    cause++;
                if (!*cause || strlen(cause) > 64)
                    break;
                p->alarm[p->nalarm++] = (struct conf_alarm){(enum conf_alarm_mech) m, cause};
                return 0;
            }
        }
        return BAD(e, "alarm: expected <expedited|queued|logged|disabled> <probable cause|*>");
    } else if (!strcmp(k, "pm_url")) {
        if (!url_ok(v))
            return BAD(e, "pm_url: expected http(s)://<fqdn-or-ip>[:port][/path]");
        p->pm_url = v;
    } else if (!strcmp(k, "pm_username") || !strcmp(k, "pm_password")) {
        if (strlen(v) > 256)
            return BAD(e, "%s: at most 256 characters", k);
        *(k[3] == 'u' ? &p->pm_username : &p->pm_password) = v;
    } else if (!strcmp(k, "pm_interval")) {
        if (parse_uint(v, 1, 86400, &p->pm_interval))
            return BAD(e, "pm_interval: 1..86400 seconds");
    } else if (!strcmp(k, "pm_time")) {
        if (!cmfile_value_ok(CMFILE_DATETIME, v))
            return BAD(e, "pm_time: expected a dateTime (2026-01-01T00:00:00Z)");
        p->pm_time = v;
    } else {
        return fail(err, CWMP_ERR_PARSE, e->line, "unknown key '%s' in [policy]", k);
    }
    return 0;
}

int conf_hms_load(const struct conf_doc *d, struct conf_hms **out, struct conf_error *err)
{
    if (err)
        memset(err, 0, sizeof(*err));
    if (!d || !out)
        return fail(err, CWMP_ERR_INVALID_ARG, 0, "invalid argument");
    *out = NULL;
    int rv = check_sections(d, err);
    if (rv)
        return rv;
    size_t np = 0;
    for (size_t i = 1; i < d->nsections; i++)
        np += !strcmp(d->sections[i].name, "policy");
    if (np > CONF_MAX_POLICIES)
        return fail(err, CWMP_ERR_LIMIT, 0, "more than %d policies", CONF_MAX_POLICIES);
    struct conf_hms *h = ex_calloc(d->alloc, 1, sizeof(*h));
    if (!h)
        return fail(err, CWMP_ERR_NOMEM, 0, "out of memory");
    h->alloc = d->alloc;
    h->policies = ex_calloc(d->alloc, np ? np : 1, sizeof(*h->policies));
    if (!h->policies) {
        rv = fail(err, CWMP_ERR_NOMEM, 0, "out of memory");
        goto fail;
    }
    /* One policy per [policy] section, in file order; names are unique. */
    for (size_t i = 1; i < d->nsections; i++) {
        const struct conf_section *s = &d->sections[i];
        if (strcmp(s->name, "policy") != 0)
            continue;
        for (size_t k = 0; k < h->npolicies; k++) {
            if (!strcmp(h->policies[k].name, s->arg)) {
                rv = fail(err, CWMP_ERR_PARSE, s->line, "policy \"%s\" defined twice", s->arg);
                goto fail;
            }
        }
        struct conf_policy *p = &h->policies[h->npolicies++];
        p->name = s->arg;
        p->line = s->line;
        p->match_rat = -1;
        p->ipsec = -1;
        p->pm_enable = -1;
    }
    for (size_t i = 0; i < d->nentries; i++) {
        const struct conf_entry *e = &d->entries[i];
        const char *sec = d->sections[e->section].name;
        int repeatable = !strcmp(e->key, "set") || !strcmp(e->key, "alarm");
        if (strcmp(sec, "hms") != 0 && strcmp(sec, "policy") != 0)
            continue;
        if (!repeatable && dup_in_section(d, i)) {
            rv = fail(err, CWMP_ERR_PARSE, e->line, "'%s' given twice", e->key);
            goto fail;
        }
        if (!strcmp(sec, "hms")) {
            rv = hms_entry(e, h, err);
        } else {
            struct conf_policy *p = NULL;
            for (size_t k = 0; k < h->npolicies; k++)
                if (!strcmp(h->policies[k].name, d->sections[e->section].arg))
                    p = &h->policies[k];
            rv = policy_entry(e, p, d->alloc, err);
        }
        if (rv)
            goto fail;
    }
    const char *missing = !h->role          ? "[hms] role"
                          : !h->listen_host ? "[hms] listen"
                          : !h->database    ? "[hms] database"
                                            : NULL;
    if (missing) {
        rv = fail(err, CWMP_ERR_MISSING_ARG, 0, "missing %s", missing);
        goto fail;
    }
    for (size_t k = 0; k < h->npolicies; k++) {
        const struct conf_policy *p = &h->policies[k];
        if (p->cm == CONF_CM_FILE && !p->cm_file) {
            rv = fail(err, CWMP_ERR_MISSING_ARG, p->line, "policy \"%s\": cm = file needs cm_file",
                      p->name);
            goto fail;
        }
        if (p->pm_enable == 1 && (!p->pm_url || !p->pm_interval)) {
            rv = fail(err, CWMP_ERR_MISSING_ARG, p->line,
                      "policy \"%s\": pm_enable needs pm_url and pm_interval", p->name);
            goto fail;
        }
    }
    *out = h;
    return 0;
fail:
    conf_hms_free(h);
    return rv;
}

static int serial_match(const char *pattern, const char *serial)
{
    size_t n = strlen(pattern);
    if (n && pattern[n - 1] == '*')
        return strncmp(pattern, serial, n - 1) == 0;
    return strcmp(pattern, serial) == 0;
}

const struct conf_policy *conf_policy_select(const struct conf_hms *h,
                                             const struct conf_device_info *dev)
{
    if (!h || !dev)
        return NULL;
    for (size_t i = 0; i < h->npolicies; i++) {
        const struct conf_policy *p = &h->policies[i];
        if (p->match_oui && (!dev->oui || strcmp(p->match_oui, dev->oui)))
            continue;
        if (p->match_product_class &&
            (!dev->product_class || strcmp(p->match_product_class, dev->product_class)))
            continue;
        if (p->match_serial && (!dev->serial || !serial_match(p->match_serial, dev->serial)))
            continue;
        if (p->match_rat >= 0 && p->match_rat != (int) dev->rat)
            continue;
        if (p->has_area &&
            (!dev->has_gps || dev->lat_udeg < p->lat_min || dev->lat_udeg > p->lat_max ||
             dev->lon_udeg < p->lon_min || dev->lon_udeg > p->lon_max))
            continue;
        if (p->match_plmn) {
            int found = 0;
            for (size_t k = 0; k < dev->nplmns && !found; k++)
                found = dev->plmns[k] && !strcmp(dev->plmns[k], p->match_plmn);
            if (!found)
                continue;
        }
        return p;
    }
    return NULL;
}

const char *conf_alarm_mech_name(enum conf_alarm_mech m)
{
    switch (m) {
    case CONF_ALARM_EXPEDITED: return "expedited";
    case CONF_ALARM_QUEUED: return "queued";
    case CONF_ALARM_LOGGED: return "logged";
    case CONF_ALARM_DISABLED: return "disabled";
    }
    return "unknown";
}

const char *conf_alarm_mech_tr196(enum conf_alarm_mech m)
{
    switch (m) {
    case CONF_ALARM_EXPEDITED: return "0 Expedited";
    case CONF_ALARM_QUEUED: return "1 Queued";
    case CONF_ALARM_LOGGED: return "2 Logged";
    case CONF_ALARM_DISABLED: return "3 Disabled";
    }
    return "unknown";
}
