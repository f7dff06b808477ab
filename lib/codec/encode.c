/*
 * libcwmp - SOAP envelope encoder: a direct writer on struct cwmp_buf driven
 * by the message descriptors. Deterministic bytes: fixed prefixes
 * (SOAP-ENV, SOAP-ENC, xsd, xsi, cwmp), two-space indentation, one element
 * per line, values XML-escaped. Schema lengths, ranges and mandatory fields
 * are checked while writing.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>

#include "codec_internal.h"

struct enc {
    struct cwmp_buf *b;
    enum cwmp_version v;
    int err;
    char *detail;
    size_t detail_size;
    const char *where; /* name of the struct being written */
};

CWMP_PRINTF(3, 4) static int efail(struct enc *e, int code, const char *fmt, ...)
{
    if (e->err)
        return e->err;
    e->err = code;
    if (e->detail && e->detail_size) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(e->detail, e->detail_size, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t) n < e->detail_size && e->where)
            snprintf(e->detail + n, e->detail_size - (size_t) n, " in %s", e->where);
    }
    return code;
}

/* Bytes that need escaping in element text (1) and attributes (2). */
/* Bytes escaped in element text (1: & < > and CR, so CR survives a round
 * trip) and in attribute values (2: also quotes, TAB and LF). */
static const unsigned char esc_class[256] = {
    ['&'] = 3, ['<'] = 3, ['>'] = 3, ['\r'] = 3, ['"'] = 2, ['\''] = 2, ['\t'] = 2, ['\n'] = 2,
};

#define ONES  UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* Non-zero when one of the 8 bytes of w is c (exact, no false positive). */
static inline uint64_t has_byte(uint64_t w, unsigned char c)
{
    uint64_t v = w ^ (ONES * c);
    return (v - ONES) & ~v & HIGHS;
}

/* Room for n more bytes; NULL once the buffer is in error. The caller
 * writes them and adds n to b->len (the final append NUL-terminates). */
static inline char *reserve(struct cwmp_buf *b, size_t n)
{
    if (CWMP_UNLIKELY(b->err))
        return NULL;
    if (CWMP_UNLIKELY(b->cap - b->len <= n) && cwmp__buf_grow(b, n) != 0)
        return NULL;
    return b->data + b->len;
}

static const char *const esc_rep[] = {"&amp;",  "&lt;",   "&gt;", "&#13;",
                                      "&quot;", "&apos;", "&#9;", "&#10;"};

static void put_esc(struct cwmp_buf *b, unsigned char c)
{
    unsigned i;
    switch (c) {
    case '&': i = 0; break;
    case '<': i = 1; break;
    case '>': i = 2; break;
    case '\r': i = 3; break;
    case '"': i = 4; break;
    case '\'': i = 5; break;
    case '\t': i = 6; break;
    default: i = 7; break;
    }
    cwmp__buf_puts(b, esc_rep[i]);
}

/* Attribute values: escapes & < > " ' CR TAB LF (rare and short: a
 * lookup per byte). */
static void put_attr(struct cwmp_buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *) s, *end = p + n, *run = p;
    for (; p < end; p++) {
        if (CWMP_LIKELY(!(esc_class[*p] & 2u)))
            continue;
        if (p > run)
            cwmp__buf_append(b, run, (size_t) (p - run));
        put_esc(b, *p);
        run = p + 1;
    }
    if (end > run)
        cwmp__buf_append(b, run, (size_t) (end - run));
}

/* True when (s, n) is ASCII without a byte that needs escaping in element
 * text: such text is copied as is (the common case). */
static int is_clean(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *) s, *end = p + n;
    uint64_t acc = 0;
    for (; end - p >= 8; p += 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        acc |= (w & HIGHS) | has_byte(w, '&') | has_byte(w, '<') | has_byte(w, '>') |
               has_byte(w, '\r');
    }
    if (acc)
        return 0;
    for (; p < end; p++)
        if (*p >= 0x80 || (esc_class[*p] & 1u))
            return 0;
    return 1;
}

/* Element text: validates UTF-8 and escapes in one pass. Eight bytes at a
 * time are checked for non-ASCII and for the four bytes that need escaping;
 * clean words are copied with the run. Returns 0 or CWMP_ERR_ENCODING. */
static int put_text(struct cwmp_buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *) s, *end = p + n, *run = p;
    while (p < end) {
        if (end - p >= 8) {
            uint64_t w;
            memcpy(&w, p, 8);
            if (!((w & HIGHS) | has_byte(w, '&') | has_byte(w, '<') | has_byte(w, '>') |
                  has_byte(w, '\r'))) {
                p += 8;
                continue;
            }
        }
        const unsigned char *stop = end - p >= 8 ? p + 8 : end;
        while (p < stop) {
            unsigned char c = *p;
            if (c >= 0x80) {
                size_t l = c >= 0xC2 && c <= 0xDF   ? 2
                           : c >= 0xE0 && c <= 0xEF ? 3
                           : c >= 0xF0 && c <= 0xF4 ? 4
                                                    : 0;
                if (!l || (size_t) (end - p) < l ||
                    cwmp_utf8_valid_prefix((const char *) p, l) != l)
                    return CWMP_ERR_ENCODING;
                p += l;
                continue;
            }
            if (esc_class[c] & 1u) {
                if (p > run)
                    cwmp__buf_append(b, run, (size_t) (p - run));
                put_esc(b, c);
                run = p + 1;
            }
            p++;
        }
    }
    if (end > run)
        cwmp__buf_append(b, run, (size_t) (end - run));
    return 0;
}

static const char spaces[] = "                                                                ";

static void indent(struct enc *e, unsigned lvl)
{
    unsigned n = lvl * 2;
    if (n > sizeof(spaces) - 1)
        n = sizeof(spaces) - 1;
    cwmp__buf_append(e->b, spaces, n);
}

/* "<indent><name>" in one write. */
static void open_tag(struct enc *e, unsigned lvl, const char *name, size_t nlen)
{
    size_t ind = lvl * 2 < sizeof(spaces) - 1 ? lvl * 2 : sizeof(spaces) - 1;
    char *p = reserve(e->b, ind + nlen + 2);
    if (!p)
        return;
    memcpy(p, spaces, ind);
    p[ind] = '<';
    memcpy(p + ind + 1, name, nlen);
    p[ind + 1 + nlen] = '>';
    e->b->len += ind + nlen + 2;
}

/* "</name>\n" in one write. */
static void close_tag(struct enc *e, const char *name, size_t nlen)
{
    char *p = reserve(e->b, nlen + 4);
    if (!p)
        return;
    p[0] = '<';
    p[1] = '/';
    memcpy(p + 2, name, nlen);
    p[2 + nlen] = '>';
    p[3 + nlen] = '\n';
    e->b->len += nlen + 4;
    e->b->data[e->b->len] = '\0';
}

static int enc_struct(struct enc *e, const struct cwmp__sdesc *sd, const char *base, unsigned lvl);

static int check_text(struct enc *e, const struct cwmp__field *f, const char *s, size_t n)
{
    /* characters <= bytes: count only when the bytes exceed the limit */
    if (f->max_len && n > f->max_len && cwmp__utf8_chars(s, n) > f->max_len)
        return efail(e, CWMP_ERR_BAD_VALUE, "%s longer than %u characters", f->name, f->max_len);
    if (f->check == CK_OUI && (n != 6 || cwmp_value_check(CWMP_TYPE_HEXBINARY, s, n)))
        return efail(e, CWMP_ERR_BAD_VALUE, "OUI \"%s\" is not 6 hexadecimal digits", s);
    if (f->check == CK_OBJNAME && (!n || s[n - 1] != '.'))
        return efail(e, CWMP_ERR_BAD_VALUE, "ObjectName \"%s\" does not end with '.'", s);
    if (f->kind == FK_DATETIME && cwmp_value_check(CWMP_TYPE_DATETIME, s, n))
        return efail(e, CWMP_ERR_BAD_VALUE, "%s \"%s\" is not an xsd:dateTime", f->name, s);
    if (f->kind == FK_BASE64 && cwmp_value_check(CWMP_TYPE_BASE64, s, n))
        return efail(e, CWMP_ERR_BAD_VALUE, "%s is not base64", f->name);
    return 0;
}

static int enc_leaf(struct enc *e, const struct cwmp__field *f, const char *base, unsigned lvl)
{
    const char *p = base + f->off;
    switch (f->kind) {
    case FK_STR:
    case FK_DATETIME:
    case FK_BASE64: {
        const char *s = cwmp__get_ptr(base, f->off);
        if (!s && f->check == CK_DEFAULT_FAULT_STRING) {
            int code;
            memcpy(&code, base + f->off2, sizeof(code));
            s = cwmp_fault_string(code);
        }
        if (!s) {
            if (f->flags & FL_REQ)
                return efail(e, CWMP_ERR_MISSING_ARG, "mandatory %s is NULL", f->name);
            return 0;
        }
        size_t n = strlen(s);
        if (check_text(e, f, s, n))
            return e->err;
        if (!(f->flags & FL_QNAME) && is_clean(s, n)) {
            /* "<indent><Name>text</Name>\n" in one write. */
            size_t ind = lvl * 2 < sizeof(spaces) - 1 ? lvl * 2 : sizeof(spaces) - 1;
            size_t nl = f->name_len;
            char *o = reserve(e->b, ind + 2 * nl + n + 6);
            if (!o)
                return 0; /* the buffer error is reported at the end */
            memcpy(o, spaces, ind);
            o += ind;
            *o++ = '<';
            memcpy(o, f->name, nl);
            o += nl;
            *o++ = '>';
            memcpy(o, s, n);
            o += n;
            *o++ = '<';
            *o++ = '/';
            memcpy(o, f->name, nl);
            o += nl;
            *o++ = '>';
            *o = '\n';
            e->b->len += ind + 2 * nl + n + 6;
            return 0;
        }
        open_tag(e, lvl, f->name, f->name_len);
        if (f->flags & FL_QNAME)
            cwmp__buf_puts(e->b, "SOAP-ENV:");
        if (put_text(e->b, s, n))
            return efail(e, CWMP_ERR_ENCODING, "%s is not valid UTF-8", f->name);
        close_tag(e, f->name, f->name_len);
        return 0;
    }
    case FK_PVALUE: {
        const char *s = cwmp__get_ptr(base, f->off);
        enum cwmp_type t;
        memcpy(&t, p + (f->off2 - f->off), sizeof(t));
        const char *tn = cwmp_type_name(t);
        if (t == CWMP_TYPE_OTHER) {
            const char *o = cwmp__get_ptr(base, f->off3);
            if (o)
                tn = o;
        }
        if (!s)
            return efail(e, CWMP_ERR_MISSING_ARG, "mandatory %s is NULL", f->name);
        size_t n = strlen(s);
        if (cwmp_value_check(t, s, n))
            return efail(e, CWMP_ERR_BAD_VALUE, "value \"%.64s\" is not a valid %s", s, tn);
        if (t != CWMP_TYPE_OTHER && is_clean(s, n)) {
            /* "<indent><Value xsi:type=\"xsd:T\">text</Value>\n" in one write. */
            size_t ind = lvl * 2 < sizeof(spaces) - 1 ? lvl * 2 : sizeof(spaces) - 1;
            size_t tl = strlen(tn), total = ind + 19 + tl + n + 9;
            char *o = reserve(e->b, total);
            if (!o)
                return 0;
            memcpy(o, spaces, ind);
            o += ind;
            memcpy(o, "<Value xsi:type=\"", 17);
            o += 17;
            memcpy(o, tn, tl);
            o += tl;
            *o++ = '"';
            *o++ = '>';
            memcpy(o, s, n);
            o += n;
            memcpy(o, "</Value>\n", 9);
            e->b->len += total;
            return 0;
        }
        indent(e, lvl);
        if (t == CWMP_TYPE_OTHER) {
            cwmp__buf_append(e->b, "<Value xsi:type=\"", 17);
            put_attr(e->b, tn, strlen(tn));
            cwmp__buf_append(e->b, "\">", 2);
        } else {
            /* "<Value xsi:type=\"xsd:...\">" from the type name. */
            size_t tl = strlen(tn);
            char *o = reserve(e->b, 19 + tl);
            if (o) {
                memcpy(o, "<Value xsi:type=\"", 17);
                memcpy(o + 17, tn, tl);
                o[17 + tl] = '"';
                o[18 + tl] = '>';
                e->b->len += 19 + tl;
            }
        }
        if (put_text(e->b, s, n))
            return efail(e, CWMP_ERR_ENCODING, "%s is not valid UTF-8", f->name);
        close_tag(e, "Value", 5);
        return 0;
    }
    case FK_INT: {
        int v;
        memcpy(&v, p, sizeof(v));
        if ((f->flags & FL_RANGE) && (v < f->min || v > f->max))
            return efail(e, CWMP_ERR_BAD_VALUE, "%s %d out of range %d..%d", f->name, v,
                         (int) f->min, (int) f->max);
        open_tag(e, lvl, f->name, f->name_len);
        cwmp__buf_put_i64(e->b, v);
        close_tag(e, f->name, f->name_len);
        return 0;
    }
    case FK_UINT: {
        uint32_t v;
        memcpy(&v, p, sizeof(v));
        if ((f->flags & FL_RANGE) && ((int64_t) v < f->min || (int64_t) v > f->max))
            return efail(e, CWMP_ERR_BAD_VALUE, "%s %u out of range %d..%d", f->name, (unsigned) v,
                         (int) f->min, (int) f->max);
        if (f->check == CK_FAULTCODE && v != 0 && (v < 9000 || v > 9899))
            return efail(e, CWMP_ERR_BAD_VALUE, "%s %u is not 0 or a CPE fault code", f->name,
                         (unsigned) v);
        open_tag(e, lvl, f->name, f->name_len);
        cwmp__buf_put_u64(e->b, v);
        close_tag(e, f->name, f->name_len);
        return 0;
    }
    case FK_BOOL: {
        bool v;
        memcpy(&v, p, sizeof(v));
        open_tag(e, lvl, f->name, f->name_len);
        cwmp__buf_putc(e->b, v ? '1' : '0');
        close_tag(e, f->name, f->name_len);
        return 0;
    }
    default: return efail(e, CWMP_ERR_INTERNAL, "bad field kind");
    }
}

static int enc_item(struct enc *e, const struct cwmp__field *it, const char *item, unsigned lvl)
{
    if (it->kind != FK_STRUCT)
        return enc_leaf(e, it, item, lvl);
    const struct cwmp__sdesc *sd = it->sub;
    indent(e, lvl);
    cwmp__buf_putc(e->b, '<');
    cwmp__buf_puts(e->b, it->name);
    if (sd->nvariants) {
        const struct cwmp__sdesc *vd = cwmp__variant_desc(sd, item);
        if (!vd)
            return efail(e, CWMP_ERR_BAD_VALUE, "unknown %s type", sd->name);
        cwmp__buf_puts(e->b, " xsi:type=\"cwmp:");
        cwmp__buf_puts(e->b, vd->name);
        cwmp__buf_putc(e->b, '"');
        sd = vd;
    }
    cwmp__buf_append(e->b, ">\n", 2);
    if (enc_struct(e, sd, item, lvl + 1))
        return e->err;
    indent(e, lvl);
    close_tag(e, it->name, it->name_len);
    return 0;
}

static int enc_field(struct enc *e, const struct cwmp__field *f, const char *base, unsigned lvl)
{
    switch (f->kind) {
    case FK_STRUCT: {
        const char *sub = base + f->off;
        if (f->flags & FL_QUALIFIED) { /* cwmp:Fault inside detail */
            indent(e, lvl);
            cwmp__buf_puts(e->b, "<cwmp:");
            cwmp__buf_puts(e->b, f->name);
            cwmp__buf_append(e->b, ">\n", 2);
        } else {
            indent(e, lvl);
            cwmp__buf_putc(e->b, '<');
            cwmp__buf_puts(e->b, f->name);
            cwmp__buf_append(e->b, ">\n", 2);
        }
        if (enc_struct(e, f->sub, sub, lvl + 1))
            return e->err;
        indent(e, lvl);
        if (f->flags & FL_QUALIFIED) {
            cwmp__buf_puts(e->b, "</cwmp:");
            cwmp__buf_puts(e->b, f->name);
            cwmp__buf_append(e->b, ">\n", 2);
        } else {
            close_tag(e, f->name, f->name_len);
        }
        return 0;
    }
    case FK_ARRAY:
    case FK_REPEAT: {
        const char *items = cwmp__get_ptr(base, f->off);
        size_t count;
        memcpy(&count, base + f->off2, sizeof(count));
        if (count && !items)
            return efail(e, CWMP_ERR_INVALID_ARG, "%s: count %zu with a NULL array", f->name,
                         count);
        if (!count && (f->flags & FL_NONEMPTY))
            return efail(e, CWMP_ERR_MISSING_ARG, "%s needs at least one item", f->name);
        if (f->max_items && count > f->max_items)
            return efail(e, CWMP_ERR_BAD_VALUE, "%s has more than %u items", f->name, f->max_items);
        if (f->kind == FK_REPEAT) {
            for (size_t i = 0; i < count; i++)
                if (enc_item(e, f->item, items + i * f->item_size, lvl))
                    return e->err;
            return 0;
        }
        indent(e, lvl);
        cwmp__buf_putc(e->b, '<');
        cwmp__buf_puts(e->b, f->name);
        cwmp__buf_puts(e->b, " SOAP-ENC:arrayType=\"");
        cwmp__buf_puts(e->b, f->array_type);
        cwmp__buf_putc(e->b, '[');
        cwmp__buf_put_u64(e->b, count);
        if (count) {
            cwmp__buf_append(e->b, "]\">\n", 4);
            for (size_t i = 0; i < count; i++)
                if (enc_item(e, f->item, items + i * f->item_size, lvl + 1))
                    return e->err;
            indent(e, lvl);
        } else {
            cwmp__buf_append(e->b, "]\">", 3);
        }
        close_tag(e, f->name, f->name_len);
        return 0;
    }
    default: return enc_leaf(e, f, base, lvl);
    }
}

static int enc_struct(struct enc *e, const struct cwmp__sdesc *sd, const char *base, unsigned lvl)
{
    const char *saved = e->where;
    e->where = sd->name;
    for (unsigned i = 0; i < sd->nfields; i++)
        if (enc_field(e, &sd->fields[i], base, lvl))
            return e->err;
    e->where = saved;
    return 0;
}

static int enc_header(struct enc *e, const struct cwmp_header *h)
{
    int has_st = h->has_session_timeout;
    int has_14 = h->supported_cwmp_versions || h->use_cwmp_version;
    if (has_st && e->v < CWMP_V1_3)
        return efail(e, CWMP_ERR_UNSUPPORTED, "SessionTimeout needs CWMP 1.3 or later");
    if (has_14 && e->v < CWMP_V1_4)
        return efail(e, CWMP_ERR_UNSUPPORTED,
                     "SupportedCWMPVersions/UseCWMPVersion need CWMP 1.4 or later");
    if (!h->id && !h->has_hold_requests && !h->no_more_requests && !has_st && !has_14)
        return 0;
    struct cwmp_buf *b = e->b;
    cwmp__buf_puts(b, "  <SOAP-ENV:Header>\n");
    if (h->id) {
        size_t n = strlen(h->id);
        cwmp__buf_puts(b, "    <cwmp:ID SOAP-ENV:mustUnderstand=\"1\">");
        if (put_text(b, h->id, n))
            return efail(e, CWMP_ERR_ENCODING, "ID is not valid UTF-8");
        cwmp__buf_puts(b, "</cwmp:ID>\n");
    }
    if (h->has_hold_requests)
        cwmp__buf_puts(
            b,
            h->hold_requests
                ? "    <cwmp:HoldRequests SOAP-ENV:mustUnderstand=\"1\">1</cwmp:HoldRequests>\n"
                : "    <cwmp:HoldRequests SOAP-ENV:mustUnderstand=\"1\">0</cwmp:HoldRequests>\n");
    if (h->no_more_requests)
        cwmp__buf_puts(b, "    <cwmp:NoMoreRequests>1</cwmp:NoMoreRequests>\n");
    if (has_st) {
        cwmp__buf_puts(b, "    <cwmp:SessionTimeout>");
        cwmp__buf_put_u64(b, h->session_timeout);
        cwmp__buf_puts(b, "</cwmp:SessionTimeout>\n");
    }
    if (h->supported_cwmp_versions) {
        cwmp__buf_puts(b, "    <cwmp:SupportedCWMPVersions>");
        if (put_text(b, h->supported_cwmp_versions, strlen(h->supported_cwmp_versions)))
            return efail(e, CWMP_ERR_ENCODING, "SupportedCWMPVersions is not valid UTF-8");
        cwmp__buf_puts(b, "</cwmp:SupportedCWMPVersions>\n");
    }
    if (h->use_cwmp_version) {
        cwmp__buf_puts(b, "    <cwmp:UseCWMPVersion SOAP-ENV:mustUnderstand=\"1\">");
        if (put_text(b, h->use_cwmp_version, strlen(h->use_cwmp_version)))
            return efail(e, CWMP_ERR_ENCODING, "UseCWMPVersion is not valid UTF-8");
        cwmp__buf_puts(b, "</cwmp:UseCWMPVersion>\n");
    }
    cwmp__buf_puts(b, "  </SOAP-ENV:Header>\n");
    return 0;
}

static int enc_fault(struct enc *e, const struct cwmp_fault_message *src)
{
    struct cwmp_fault_message f = *src;
    if (!f.soap_faultcode)
        f.soap_faultcode = (f.code == 8002 || f.code == 9002) ? "Server" : "Client";
    if (!f.soap_faultstring)
        f.soap_faultstring = "CWMP fault";
    cwmp__buf_puts(e->b, "    <SOAP-ENV:Fault>\n");
    if (enc_struct(e, &cwmp__fault_desc, (const char *) &f, 3))
        return e->err;
    cwmp__buf_puts(e->b, "    </SOAP-ENV:Fault>\n");
    return 0;
}

static int enc_vendor(struct enc *e, const struct cwmp_vendor_method *v)
{
    if (!v->name || v->name[0] != 'X' || v->name[1] != '_')
        return efail(e, CWMP_ERR_INVALID_ARG, "vendor method name must start with \"X_\"");
    for (const char *p = v->name; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-' || *p == '.'))
            return efail(e, CWMP_ERR_INVALID_ARG, "invalid vendor method name");
    struct cwmp_buf *b = e->b;
    if (v->ns) {
        cwmp__buf_puts(b, "    <vnd:");
        cwmp__buf_puts(b, v->name);
        cwmp__buf_puts(b, " xmlns:vnd=\"");
        put_attr(b, v->ns, strlen(v->ns));
        cwmp__buf_append(b, "\">", 2);
    } else {
        cwmp__buf_puts(b, "    <cwmp:");
        cwmp__buf_puts(b, v->name);
        cwmp__buf_putc(b, '>');
    }
    if (v->xml)
        cwmp__buf_append(b, v->xml, v->xml_len);
    cwmp__buf_puts(b, v->ns ? "</vnd:" : "</cwmp:");
    cwmp__buf_puts(b, v->name);
    cwmp__buf_append(b, ">\n", 2);
    return 0;
}

static const char *const cwmp_ns[] = {
    "urn:dslforum-org:cwmp-1-0",
    "urn:dslforum-org:cwmp-1-1",
    "urn:dslforum-org:cwmp-1-2",
};

static int encode_into(struct enc *e, const struct cwmp_envelope *env)
{
    if ((unsigned) env->version > CWMP_V1_4)
        return efail(e, CWMP_ERR_INVALID_ARG, "unknown CWMP version %d", (int) env->version);
    e->v = env->version;
    const struct cwmp_rpc *rpc = &env->rpc;
    const struct cwmp__msg_desc *m = NULL;
    if (rpc->kind != CWMP_RPC_FAULT && rpc->method != CWMP_METHOD_VENDOR) {
        m = cwmp__msg_by_method(rpc->method, rpc->kind);
        if (!m)
            return efail(e, CWMP_ERR_INVALID_ARG, "unknown method %d / kind %d", (int) rpc->method,
                         (int) rpc->kind);
        if (m->min_version > (unsigned) env->version)
            return efail(e, CWMP_ERR_UNSUPPORTED, "%s needs CWMP 1.%u or later", m->elem,
                         (unsigned) m->min_version);
    }
    struct cwmp_buf *b = e->b;
    unsigned nsi = env->version >= CWMP_V1_2 ? 2 : (unsigned) env->version;
    cwmp__buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"" CWMP__NS_SOAP_ENV "\""
                      " xmlns:SOAP-ENC=\"" CWMP__NS_SOAP_ENC "\""
                      " xmlns:xsd=\"" CWMP__NS_XSD "\""
                      " xmlns:xsi=\"" CWMP__NS_XSI "\""
                      " xmlns:cwmp=\"");
    cwmp__buf_puts(b, cwmp_ns[nsi]);
    cwmp__buf_puts(b, "\">\n");
    if (enc_header(e, &env->header))
        return e->err;
    cwmp__buf_puts(b, "  <SOAP-ENV:Body>\n");
    if (rpc->kind == CWMP_RPC_FAULT) {
        if (enc_fault(e, &rpc->u.fault))
            return e->err;
    } else if (rpc->method == CWMP_METHOD_VENDOR) {
        if (enc_vendor(e, &rpc->u.vendor))
            return e->err;
    } else if (!m->body) {
        cwmp__buf_puts(b, "    <cwmp:");
        cwmp__buf_puts(b, m->elem);
        cwmp__buf_puts(b, "/>\n");
    } else {
        cwmp__buf_puts(b, "    <cwmp:");
        cwmp__buf_puts(b, m->elem);
        cwmp__buf_append(b, ">\n", 2);
        e->where = m->elem;
        if (enc_struct(e, m->body, (const char *) &rpc->u, 3))
            return e->err;
        cwmp__buf_puts(b, "    </cwmp:");
        cwmp__buf_puts(b, m->elem);
        cwmp__buf_append(b, ">\n", 2);
    }
    cwmp__buf_puts(b, "  </SOAP-ENV:Body>\n</SOAP-ENV:Envelope>\n");
    if (b->err)
        return efail(e, b->err,
                     b->err == CWMP_ERR_LIMIT ? "limit max_envelope_bytes exceeded"
                                              : "out of memory");
    return 0;
}

int cwmp_envelope_encode(const struct cwmp_envelope *env, const struct cwmp_codec_options *opts,
                         char **out, size_t *out_len, char *detail, size_t detail_size)
{
    if (detail && detail_size)
        detail[0] = '\0';
    if (!out || !out_len || !env)
        return CWMP_ERR_INVALID_ARG;
    *out = NULL;
    *out_len = 0;
    struct cwmp_codec_options o;
    cwmp__codec_opts_resolve(&o, opts);
    struct cwmp_buf b;
    cwmp__buf_init(&b, o.allocator, o.max_envelope_bytes);
    struct enc e = {&b, CWMP_V1_0, 0, detail, detail_size, NULL};
    int rv = encode_into(&e, env);
    if (rv) {
        cwmp__buf_free(&b);
        return rv;
    }
    *out = cwmp__buf_detach(&b, out_len);
    return 0;
}

void cwmp_encoded_free(const struct cwmp_codec_options *opts, char *buf)
{
    if (!buf)
        return;
    const struct cwmp_allocator *a = cwmp__alloc_or_default(opts ? opts->allocator : NULL);
    cwmp__free(a, buf);
}

struct cwmp_encoder {
    struct cwmp_codec_options o;
    struct cwmp_buf b;
    char detail[256];
};

int cwmp_encoder_new(struct cwmp_encoder **out, const struct cwmp_codec_options *opts)
{
    if (!out)
        return CWMP_ERR_INVALID_ARG;
    struct cwmp_codec_options o;
    cwmp__codec_opts_resolve(&o, opts);
    struct cwmp_encoder *enc = cwmp__calloc(o.allocator, 1, sizeof(*enc));
    *out = enc;
    if (!enc)
        return CWMP_ERR_NOMEM;
    enc->o = o;
    cwmp__buf_init(&enc->b, o.allocator, o.max_envelope_bytes);
    return 0;
}

int cwmp_encoder_encode(struct cwmp_encoder *enc, const struct cwmp_envelope *env, const char **out,
                        size_t *out_len)
{
    if (!enc || !env || !out || !out_len)
        return CWMP_ERR_INVALID_ARG;
    *out = NULL;
    *out_len = 0;
    enc->detail[0] = '\0';
    enc->b.len = 0;
    enc->b.err = 0;
    if (enc->b.data)
        enc->b.data[0] = '\0';
    struct enc e = {&enc->b, CWMP_V1_0, 0, enc->detail, sizeof(enc->detail), NULL};
    int rv = encode_into(&e, env);
    if (rv)
        return rv;
    *out = enc->b.data;
    *out_len = enc->b.len;
    return 0;
}

const char *cwmp_encoder_error_detail(const struct cwmp_encoder *enc)
{
    return enc ? enc->detail : "";
}

void cwmp_encoder_free(struct cwmp_encoder *enc)
{
    if (!enc)
        return;
    const struct cwmp_allocator *a = enc->o.allocator;
    cwmp__buf_free(&enc->b);
    cwmp__free(a, enc);
}
