/*
 * libcwmp - SOAP envelope decoder: XML events (xml_mxml.c) -> typed structs
 * in one arena, driven by the message descriptors of rpc_table.c.
 *
 * The decoder keeps one frame per open element it interprets (envelope,
 * header, body, struct, array, leaf). Unknown subtrees are skipped with a
 * counter, vendor methods are re-serialised into a buffer. Text is copied
 * once, straight into the arena. Namespaces are resolved by URI through a
 * declaration stack; prefixes never matter.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>

#include "codec_internal.h"

enum ns_id {
    NS_NONE = 0,
    NS_SOAP_ENV,
    NS_SOAP_ENC,
    NS_XSI,
    NS_XSD,
    NS_CWMP10,
    NS_CWMP11,
    NS_CWMP12,
    NS_XML,
    NS_OTHER,
    NS_UNDECLARED,
};

#define IS_CWMP(ns) ((ns) >= NS_CWMP10 && (ns) <= NS_CWMP12)

enum mode { M_ENVELOPE = 1, M_HEADER, M_BODY, M_STRUCT, M_ARRAY, M_LEAF, M_RAW };

struct frame {
    uint8_t mode;
    const struct cwmp__field *f;  /* LEAF / ARRAY / REPEAT-item */
    const struct cwmp__sdesc *sd; /* STRUCT */
    char *base;                   /* STRUCT: fields base; LEAF/ARRAY: parent base */
    uint64_t seen;                /* STRUCT/HEADER: fields seen */
    char *items;                  /* ARRAY */
    size_t count, cap;            /* ARRAY */
    long declared;                /* ARRAY: arrayType count, -1 = none */
    char *text;                   /* LEAF */
    size_t len;                   /* LEAF */
    size_t ns_mark;               /* namespace stack height at open */
    size_t path_len;              /* length of d->path before this element */
    uint8_t next_field;           /* STRUCT: index of the field expected next */
};

struct nsdecl {
    size_t prefix_off; /* in scratch */
    size_t prefix_len;
    size_t uri_off; /* in scratch, for NS_OTHER */
    uint8_t uri;
};

struct warn_rec {
    uint8_t code;
    const char *element;
};

#define MAX_WARN 16

struct dec {
    struct cwmp_codec_options o;
    struct cwmp_arena *ar;
    struct cwmp_envelope *env;
    struct frame *stack;
    unsigned nframes, max_frames, cap_frames; /* stack grows on demand */
    unsigned depth;                           /* XML depth, including skipped elements */
    unsigned skip;                            /* > 0: inside a skipped subtree */
    unsigned raw;                             /* > 0: inside a vendor method (re-serialised) */
    struct cwmp_buf rawbuf;
    size_t elements;
    size_t input_len;
    int charrefs;         /* the input holds "&#": values need a UTF-8 check */
    struct cwmp_buf path; /* "/Envelope/Body/..." of the open frames */
    struct nsdecl *ns;
    size_t ns_n, ns_cap;
    size_t ndefault;         /* default-namespace declarations on the stack */
    unsigned ns_gen;         /* changes whenever the namespace stack changes */
    unsigned rc_gen;         /* ns_gen when rc_index was cached */
    size_t rc_index;         /* last prefix resolved (index into ns) */
    size_t cur_local_len;    /* strlen of the local name of the element being opened */
    struct cwmp_buf scratch; /* prefixes and URIs of the ns stack */
    int err;
    char *detail;
    size_t detail_size;
    int root_closed;
    int root_seen;
    int header_seen, body_seen, method_seen;
    int header_only; /* cwmp_envelope_peek_id(): stop at the Body */
    int header_done; /* ... and the Body was reached */
    int ns_version;  /* -1 until a CWMP namespace is used */
    struct warn_rec warns[MAX_WARN];
    unsigned nwarn;
};

static int fix_utf8(struct dec *d, char **sp, size_t *np);
static size_t nonchar_offset(const char *s, size_t n);

static const char *const warn_text[] = {
    [CWMP_WARN_ENCODING_STYLE_ON_ENVELOPE] =
        "SOAP-ENV:encodingStyle on Envelope (allowed on Body only)",
    [CWMP_WARN_QUALIFIED_CHILD] = "namespace-qualified child element (must be unqualified)",
    [CWMP_WARN_DEFAULT_NS_CWMP] = "default namespace set to the CWMP namespace",
    [CWMP_WARN_MISSING_ARRAY_TYPE] = "array without soapenc:arrayType",
    [CWMP_WARN_XSI_TYPE_ARRAY] = "xsi:type=\"SOAP-ENC:Array\" on an array",
    [CWMP_WARN_METHOD_VERSION] = "method sent in the namespace of an older CWMP version",
    [CWMP_WARN_ID_NO_MUST_UNDERSTAND] = "cwmp:ID without SOAP-ENV:mustUnderstand=\"1\"",
    [CWMP_WARN_WHITESPACE] = "whitespace around a value (trimmed)",
    [CWMP_WARN_BOM] = "UTF-8 byte-order mark before the document",
    [CWMP_WARN_ARRAY_COUNT] = "soapenc:arrayType count differs from the number of items",
    [CWMP_WARN_INVALID_UTF8] = "invalid UTF-8 replaced by U+FFFD",
    [CWMP_WARN_UNKNOWN_ELEMENT] = "unexpected element skipped",
    [CWMP_WARN_UNKNOWN_HEADER] = "unknown header element skipped",
    [CWMP_WARN_DUPLICATE_ELEMENT] = "element given twice (last one kept)",
    [CWMP_WARN_MUST_UNDERSTAND_VALUE] =
        "SOAP-ENV:mustUnderstand missing or not \"1\" on HoldRequests",
    [CWMP_WARN_VALUE_TYPE] = "parameter value does not match its xsi:type",
    [CWMP_WARN_FAULT_WITHOUT_DETAIL] = "SOAP Fault without a cwmp:Fault detail (code 0)",
};

static const char *const warn_names[] = {
    [CWMP_WARN_ENCODING_STYLE_ON_ENVELOPE] = "encoding-style-on-envelope",
    [CWMP_WARN_QUALIFIED_CHILD] = "qualified-child",
    [CWMP_WARN_DEFAULT_NS_CWMP] = "default-ns-cwmp",
    [CWMP_WARN_MISSING_ARRAY_TYPE] = "missing-array-type",
    [CWMP_WARN_XSI_TYPE_ARRAY] = "xsi-type-array",
    [CWMP_WARN_METHOD_VERSION] = "method-version",
    [CWMP_WARN_ID_NO_MUST_UNDERSTAND] = "id-no-must-understand",
    [CWMP_WARN_WHITESPACE] = "whitespace",
    [CWMP_WARN_BOM] = "bom",
    [CWMP_WARN_ARRAY_COUNT] = "array-count",
    [CWMP_WARN_INVALID_UTF8] = "invalid-utf8",
    [CWMP_WARN_UNKNOWN_ELEMENT] = "unknown-element",
    [CWMP_WARN_UNKNOWN_HEADER] = "unknown-header",
    [CWMP_WARN_DUPLICATE_ELEMENT] = "duplicate-element",
    [CWMP_WARN_MUST_UNDERSTAND_VALUE] = "must-understand-value",
    [CWMP_WARN_VALUE_TYPE] = "value-type",
    [CWMP_WARN_FAULT_WITHOUT_DETAIL] = "fault-without-detail",
};

const char *cwmp_warning_name(enum cwmp_warning_code code)
{
    if ((size_t) code < CWMP_ARRAY_SIZE(warn_names) && warn_names[code])
        return warn_names[code];
    return "unknown";
}

void cwmp_codec_options_init(struct cwmp_codec_options *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof(*o));
    o->max_envelope_bytes = CWMP_DEFAULT_MAX_ENVELOPE_BYTES;
    o->max_depth = CWMP_DEFAULT_MAX_DEPTH;
    o->max_elements = CWMP_DEFAULT_MAX_ELEMENTS;
    o->max_string_len = CWMP_DEFAULT_MAX_STRING_LEN;
    o->max_attr_len = CWMP_DEFAULT_MAX_ATTR_LEN;
    o->max_array_entries = CWMP_DEFAULT_MAX_ARRAY_ENTRIES;
}

void cwmp__codec_opts_resolve(struct cwmp_codec_options *d, const struct cwmp_codec_options *s)
{
    if (s)
        *d = *s;
    else
        cwmp_codec_options_init(d);
    d->allocator = cwmp__alloc_or_default(d->allocator);
    if (!d->max_envelope_bytes)
        d->max_envelope_bytes = CWMP_DEFAULT_MAX_ENVELOPE_BYTES;
    if (!d->max_depth)
        d->max_depth = CWMP_DEFAULT_MAX_DEPTH;
    if (d->max_depth > 65536)
        d->max_depth = 65536;
    if (!d->max_elements)
        d->max_elements = CWMP_DEFAULT_MAX_ELEMENTS;
    if (!d->max_string_len)
        d->max_string_len = CWMP_DEFAULT_MAX_STRING_LEN;
    if (!d->max_attr_len)
        d->max_attr_len = CWMP_DEFAULT_MAX_ATTR_LEN;
    if (!d->max_array_entries)
        d->max_array_entries = CWMP_DEFAULT_MAX_ARRAY_ENTRIES;
}

/* ---- errors and warnings ------------------------------------------------- */

/* "/Envelope/Body/..." of the open frames, built only when needed (errors,
 * warnings): element names stay valid until their close event. */
static void build_path(const struct dec *d, char *out, size_t size)
{
    if (d->path.len && d->path.data)
        snprintf(out, size, "%s", d->path.data);
    else
        snprintf(out, size, "/");
}

/* Keeps an error detail on one line of valid UTF-8: control bytes become
 * spaces and bytes that are not UTF-8 (input quoted in the detail, possibly
 * cut by a precision) become '?'. */
static void clean_detail(char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char) s[i];
        if (c < 0x20 || c == 0x7f) {
            s[i++] = ' ';
            continue;
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t v = cwmp_utf8_valid_prefix(s + i, n - i);
        if (v) {
            i += v;
            continue;
        }
        s[i++] = '?';
    }
}

CWMP_PRINTF(3, 4) static int fail(struct dec *d, int code, const char *fmt, ...)
{
    if (d->err)
        return 1;
    d->err = code;
    if (d->detail && d->detail_size) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(d->detail, d->detail_size, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t) n < d->detail_size && d->nframes) {
            char path[512];
            build_path(d, path, sizeof(path));
            snprintf(d->detail + n, d->detail_size - (size_t) n, " at %s", path);
        }
        clean_detail(d->detail);
    }
    return 1;
}

static int nomem(struct dec *d)
{
    return fail(d, CWMP_ERR_NOMEM, "out of memory");
}

/* A tolerated deviation: a warning in lenient mode, an error in strict mode.
 * Returns non-zero when decoding must stop. */
static int quirk(struct dec *d, enum cwmp_warning_code code)
{
    if (d->o.strict)
        return fail(d, code == CWMP_WARN_INVALID_UTF8 ? CWMP_ERR_ENCODING : CWMP_ERR_STRICT,
                    "strict mode: %s", warn_text[code]);
    for (unsigned i = 0; i < d->nwarn; i++)
        if (d->warns[i].code == code)
            return 0;
    if (d->nwarn >= MAX_WARN)
        return 0;
    char el[512];
    build_path(d, el, sizeof(el));
    char *copy = cwmp__arena_strdup(d->ar, el);
    if (!copy)
        return nomem(d);
    d->warns[d->nwarn].code = (uint8_t) code;
    d->warns[d->nwarn].element = copy;
    d->nwarn++;
    return 0;
}

/* ---- namespaces ---------------------------------------------------------- */

static uint8_t uri_id(const char *u)
{
    if (strcmp(u, CWMP__NS_SOAP_ENV) == 0)
        return NS_SOAP_ENV;
    if (strncmp(u, "urn:dslforum-org:cwmp-1-", 24) == 0 && u[24] >= '0' && u[24] <= '2' &&
        u[25] == '\0')
        return (uint8_t) (NS_CWMP10 + (u[24] - '0'));
    if (strcmp(u, CWMP__NS_SOAP_ENC) == 0)
        return NS_SOAP_ENC;
    if (strcmp(u, CWMP__NS_XSI) == 0)
        return NS_XSI;
    if (strcmp(u, CWMP__NS_XSD) == 0)
        return NS_XSD;
    return NS_OTHER;
}

static int push_ns(struct dec *d, const char *prefix, size_t plen, const char *uri)
{
    if (d->ns_n == d->ns_cap) {
        size_t nc = d->ns_cap ? d->ns_cap * 2 : 16;
        struct nsdecl *n = cwmp__realloc(d->o.allocator, d->ns, nc * sizeof(*n));
        if (!n)
            return nomem(d);
        d->ns = n;
        d->ns_cap = nc;
    }
    struct nsdecl *e = &d->ns[d->ns_n];
    e->prefix_off = d->scratch.len;
    e->prefix_len = plen;
    cwmp__buf_append(&d->scratch, prefix, plen);
    cwmp__buf_putc(&d->scratch, '\0');
    e->uri = uri_id(uri);
    e->uri_off = d->scratch.len;
    if (e->uri == NS_OTHER) {
        cwmp__buf_puts(&d->scratch, uri);
        cwmp__buf_putc(&d->scratch, '\0');
    }
    if (d->scratch.err)
        return d->scratch.err == CWMP_ERR_NOMEM
                   ? nomem(d)
                   : fail(d, CWMP_ERR_LIMIT, "limit: namespace declarations");
    d->ns_n++;
    d->ns_gen++;
    if (plen == 0)
        d->ndefault++;
    if (plen == 0 && IS_CWMP(e->uri))
        return quirk(d, CWMP_WARN_DEFAULT_NS_CWMP);
    return 0;
}

static void pop_ns(struct dec *d, size_t mark)
{
    if (mark < d->ns_n) {
        for (size_t i = mark; i < d->ns_n; i++)
            d->ndefault -= d->ns[i].prefix_len == 0;
        d->scratch.len = d->ns[mark].prefix_off;
        d->ns_n = mark;
        d->ns_gen++;
    }
}

/* Resolves the namespace of a prefix (plen 0 = default namespace). For
 * NS_OTHER, *uri receives the URI. */
static inline uint8_t ns_entry(struct dec *d, size_t i, size_t plen, const char **uri)
{
    const struct nsdecl *e = &d->ns[i];
    if (uri)
        *uri = e->uri == NS_OTHER ? d->scratch.data + e->uri_off : NULL;
    if (e->uri == NS_OTHER && plen == 0 && d->scratch.data[e->uri_off] == '\0')
        return NS_NONE; /* xmlns="" undeclares */
    return e->uri;
}

static inline uint8_t resolve(struct dec *d, const char *prefix, size_t plen, const char **uri)
{
    if (plen == 0 && d->ndefault == 0)
        return NS_NONE; /* the common case: an unqualified child */
    /* The same few prefixes (xsi:, cwmp:) come back again and again. */
    if (d->rc_gen == d->ns_gen && d->rc_index < d->ns_n) {
        const struct nsdecl *e = &d->ns[d->rc_index];
        if (e->prefix_len == plen && memcmp(d->scratch.data + e->prefix_off, prefix, plen) == 0)
            return ns_entry(d, d->rc_index, plen, uri);
    }
    if (plen == 3 && memcmp(prefix, "xml", 3) == 0)
        return NS_XML;
    for (size_t i = d->ns_n; i-- > 0;) {
        const struct nsdecl *e = &d->ns[i];
        if (e->prefix_len == plen && memcmp(d->scratch.data + e->prefix_off, prefix, plen) == 0) {
            d->rc_gen = d->ns_gen;
            d->rc_index = i;
            if (uri)
                *uri = e->uri == NS_OTHER ? d->scratch.data + e->uri_off : NULL;
            if (e->uri == NS_OTHER && plen == 0 && d->scratch.data[e->uri_off] == '\0')
                return NS_NONE; /* xmlns="" undeclares */
            return e->uri;
        }
    }
    return plen ? NS_UNDECLARED : NS_NONE;
}

/* Splits "p:local". */
static const char *split_qname(const char *name, size_t *plen)
{
    const char *c = strchr(name, ':');
    if (!c) {
        *plen = 0;
        return name;
    }
    *plen = (size_t) (c - name);
    return c + 1;
}

/* Finds an attribute by namespace and local name. */
static const char *find_attr(struct dec *d, const struct cwmp__xml_attr *a, int n, uint8_t ns,
                             const char *local)
{
    for (int i = 0; i < n; i++) {
        size_t plen;
        const char *l = split_qname(a[i].name, &plen);
        if (strcmp(l, local) != 0)
            continue;
        if (plen == 0) {
            if (ns == NS_NONE)
                return a[i].value;
            continue;
        }
        if (plen == 5 && memcmp(a[i].name, "xmlns", 5) == 0)
            continue;
        if (resolve(d, a[i].name, plen, NULL) == ns)
            return a[i].value;
    }
    return NULL;
}

/* ---- frames and path ----------------------------------------------------- */

/* Element name equals a descriptor name (length known: no strcmp). */
static inline int name_is(const char *local, const struct cwmp__field *f)
{
    return local[0] == f->name[0] && strncmp(local, f->name, f->name_len) == 0 &&
           local[f->name_len] == '\0';
}

static struct frame *push_frame(struct dec *d, uint8_t mode, const char *local, size_t ns_mark)
{
    if (d->nframes >= d->max_frames) {
        fail(d, CWMP_ERR_LIMIT, "limit max_depth (%u) exceeded", d->o.max_depth);
        return NULL;
    }
    if (d->nframes == d->cap_frames) {
        /* Grow by doubling; callers never keep a frame pointer across this. */
        unsigned nc = d->cap_frames * 2;
        if (nc > d->max_frames)
            nc = d->max_frames;
        struct frame *ns = cwmp__realloc(d->o.allocator, d->stack, nc * sizeof(*ns));
        if (!ns) {
            nomem(d);
            return NULL;
        }
        d->stack = ns;
        d->cap_frames = nc;
    }
    struct frame *f = &d->stack[d->nframes++];
    f->f = NULL;
    f->sd = NULL;
    f->base = NULL;
    f->seen = 0;
    f->items = NULL;
    f->count = f->cap = 0;
    f->text = NULL;
    f->len = 0;
    f->next_field = 0;
    f->mode = mode;
    f->ns_mark = ns_mark;
    f->declared = -1;
    f->path_len = d->path.len;
    cwmp__buf_putc(&d->path, '/');
    cwmp__buf_append(&d->path, local, d->cur_local_len);
    if (d->path.err) {
        d->nframes--;
        nomem(d);
        return NULL;
    }
    return f;
}

static struct frame *top(struct dec *d)
{
    return d->nframes ? &d->stack[d->nframes - 1] : NULL;
}

/* ---- arrays -------------------------------------------------------------- */

/* Appends one zeroed item to an array (grown by doubling inside the arena). */
static char *array_add(struct dec *d, char **items, size_t *count, size_t *cap, size_t isz)
{
    if (*count >= d->o.max_array_entries) {
        fail(d, CWMP_ERR_LIMIT, "limit max_array_entries (%zu) exceeded", d->o.max_array_entries);
        return NULL;
    }
    if (*count == *cap) {
        size_t nc = *cap ? *cap * 2 : 4;
        if (nc > d->o.max_array_entries)
            nc = d->o.max_array_entries;
        if (nc > SIZE_MAX / isz) {
            nomem(d);
            return NULL;
        }
        char *n = cwmp__arena_alloc(d->ar, nc * isz);
        if (!n) {
            nomem(d);
            return NULL;
        }
        if (*count)
            memcpy(n, *items, *count * isz);
        *items = n;
        *cap = nc;
    }
    char *it = *items + *count * isz;
    memset(it, 0, isz);
    (*count)++;
    return it;
}

/* Parses the count of soapenc:arrayType="cwmp:EventStruct[3]" (-1 if none). */
static long array_type_count(const char *v)
{
    const char *lb = strrchr(v, '[');
    if (!lb)
        return -1;
    long n = 0;
    const char *p = lb + 1;
    if (*p < '0' || *p > '9')
        return -1;
    while (*p >= '0' && *p <= '9') {
        if (n > 100000000L)
            return -1;
        n = n * 10 + (*p - '0');
        p++;
    }
    return *p == ']' ? n : -1;
}

/* ---- the open-element handler -------------------------------------------- */

static int raw_open(struct dec *d, const char *name, const struct cwmp__xml_attr *a, int n)
{
    cwmp__buf_putc(&d->rawbuf, '<');
    cwmp__buf_puts(&d->rawbuf, name);
    for (int i = 0; i < n; i++) {
        cwmp__buf_putc(&d->rawbuf, ' ');
        cwmp__buf_puts(&d->rawbuf, a[i].name);
        cwmp__buf_append(&d->rawbuf, "=\"", 2);
        cwmp__buf_append_xml(&d->rawbuf, a[i].value, strlen(a[i].value), 1);
        cwmp__buf_putc(&d->rawbuf, '"');
    }
    cwmp__buf_putc(&d->rawbuf, '>');
    if (d->rawbuf.err)
        return d->rawbuf.err == CWMP_ERR_NOMEM
                   ? nomem(d)
                   : fail(d, CWMP_ERR_LIMIT, "limit max_envelope_bytes");
    return 0;
}

static int skip_element(struct dec *d, enum cwmp_warning_code why)
{
    if (quirk(d, why))
        return 1;
    d->skip = 1;
    return 0;
}

static int open_method(struct dec *d, const char *name, const char *local, uint8_t ns,
                       const char *uri, size_t mark)
{
    struct cwmp_rpc *rpc = &d->env->rpc;
    if (d->method_seen)
        return fail(d, CWMP_ERR_PARSE, "more than one element in Body: <%s>", name);
    d->method_seen = 1;
    int vendor = local[0] == 'X' && local[1] == '_';
    if (ns == NS_SOAP_ENV && strcmp(local, "Fault") == 0) {
        struct frame *f = push_frame(d, M_STRUCT, local, mark);
        if (!f)
            return 1;
        rpc->method = CWMP_METHOD_UNKNOWN;
        rpc->kind = CWMP_RPC_FAULT;
        f->sd = &cwmp__fault_desc;
        f->base = (char *) &rpc->u.fault;
        return 0;
    }
    if (!IS_CWMP(ns) && !(vendor && ns == NS_OTHER)) {
        if (ns == NS_NONE)
            return fail(d, CWMP_ERR_NAMESPACE, "method element <%s> has no namespace", name);
        return fail(d, CWMP_ERR_NAMESPACE, "method element <%s> is not in a CWMP namespace%s%s",
                    name, uri ? ": " : "", uri ? uri : "");
    }
    if (IS_CWMP(ns)) {
        int v = ns - NS_CWMP10;
        if (d->ns_version >= 0 && d->ns_version != v && d->o.strict)
            return fail(d, CWMP_ERR_NAMESPACE, "header and body use different CWMP namespaces");
        d->ns_version = v;
    }
    if (vendor) {
        size_t ll = strlen(local);
        struct frame *f = push_frame(d, M_RAW, local, mark);
        if (!f)
            return 1;
        rpc->method = CWMP_METHOD_VENDOR;
        rpc->kind = (ll > 8 && strcmp(local + ll - 8, "Response") == 0) ? CWMP_RPC_RESPONSE
                                                                        : CWMP_RPC_REQUEST;
        rpc->u.vendor.name = cwmp__arena_strndup(d->ar, local, ll);
        if (uri)
            rpc->u.vendor.ns = cwmp__arena_strdup(d->ar, uri);
        if (!rpc->u.vendor.name || (uri && !rpc->u.vendor.ns))
            return nomem(d);
        d->raw = 1;
        return 0;
    }
    const struct cwmp__msg_desc *m = cwmp__msg_by_elem(local, strlen(local));
    if (!m)
        return fail(d, CWMP_ERR_UNSUPPORTED, "unknown method <%s>", name);
    rpc->method = (enum cwmp_method) m->method;
    rpc->kind = (enum cwmp_rpc_kind) m->kind;
    struct frame *f = push_frame(d, M_STRUCT, local, mark);
    if (!f)
        return 1;
    static const struct cwmp__sdesc empty = {.name = "empty"};
    f->sd = m->body ? m->body : &empty;
    f->base = (char *) &rpc->u;
    if (m->min_version > d->ns_version && quirk(d, CWMP_WARN_METHOD_VERSION))
        return 1;
    return 0;
}

static const struct cwmp__sdesc *pick_variant(struct dec *d, const struct cwmp__sdesc *sd,
                                              char *base, const struct cwmp__xml_attr *a, int n)
{
    if (!sd->nvariants)
        return sd;
    const char *t = find_attr(d, a, n, NS_XSI, "type");
    if (!t) {
        fail(d, CWMP_ERR_MISSING_ARG, "xsi:type missing on %s", sd->name);
        return NULL;
    }
    size_t pl;
    const char *l = split_qname(t, &pl);
    for (unsigned i = 0; i < sd->nvariants; i++) {
        if (strcmp(sd->variants[i].xsi_type, l) == 0) {
            int v = sd->variants[i].value;
            memcpy(base + sd->variant_off, &v, sizeof(v));
            return sd->variants[i].desc;
        }
    }
    fail(d, CWMP_ERR_BAD_VALUE, "unknown xsi:type \"%s\" for %s", t, sd->name);
    return NULL;
}

/* Opens the element for field @p fld of a struct whose fields start at base. */
static int open_field(struct dec *d, const struct cwmp__field *fld, char *base, const char *local,
                      const struct cwmp__xml_attr *a, int n, size_t mark)
{
    struct frame *f;
    switch (fld->kind) {
    case FK_STRUCT:
        f = push_frame(d, M_STRUCT, local, mark);
        if (!f)
            return 1;
        f->base = base + fld->off;
        f->sd = pick_variant(d, fld->sub, f->base, a, n);
        return f->sd ? 0 : 1;
    case FK_ARRAY: {
        f = push_frame(d, M_ARRAY, local, mark);
        if (!f)
            return 1;
        f->f = fld;
        f->base = base;
        const char *at = find_attr(d, a, n, NS_SOAP_ENC, "arrayType");
        if (!at) {
            if (quirk(d, CWMP_WARN_MISSING_ARRAY_TYPE))
                return 1;
        } else {
            f->declared = array_type_count(at);
        }
        const char *xt = find_attr(d, a, n, NS_XSI, "type");
        if (xt) {
            size_t pl;
            if (strcmp(split_qname(xt, &pl), "Array") == 0 && quirk(d, CWMP_WARN_XSI_TYPE_ARRAY))
                return 1;
        }
        /* Pre-size from arrayType when plausible: bounded by the limit and
         * by what the rest of the input could hold (16 bytes per item). */
        if (f->declared > 0 && (size_t) f->declared <= d->o.max_array_entries &&
            (size_t) f->declared <= d->input_len / 16 &&
            (size_t) f->declared <= SIZE_MAX / fld->item_size) {
            f->cap = (size_t) f->declared;
            f->items = cwmp__arena_alloc(d->ar, f->cap * fld->item_size);
            if (!f->items)
                return nomem(d);
        }
        return 0;
    }
    case FK_REPEAT: {
        char *items = cwmp__get_ptr(base, fld->off);
        size_t count;
        memcpy(&count, base + fld->off2, sizeof(count));
        /* Capacity is implicit: 4, then the next power of two. */
        size_t cap = count <= 4 ? 4 : count;
        if (count > 4 && (count & (count - 1)) == 0)
            cap = count;
        else if (count > 4) {
            cap = 4;
            while (cap < count)
                cap *= 2;
        }
        if (count == 0)
            cap = 0;
        char *it = array_add(d, &items, &count, &cap, fld->item_size);
        if (!it)
            return 1;
        cwmp__set_ptr(base, fld->off, items);
        memcpy(base + fld->off2, &count, sizeof(count));
        return open_field(d, fld->item, it, local, a, n, mark);
    }
    case FK_PVALUE: {
        f = push_frame(d, M_LEAF, local, mark);
        if (!f)
            return 1;
        f->f = fld;
        f->base = base;
        const char *t = find_attr(d, a, n, NS_XSI, "type");
        enum cwmp_type ty = CWMP_TYPE_NONE;
        if (t) {
            size_t pl;
            const char *l = split_qname(t, &pl);
            ty = cwmp_type_from_name(l, strlen(l));
            if (ty == CWMP_TYPE_OTHER) {
                char *tn = cwmp__arena_strdup(d->ar, t);
                if (!tn)
                    return nomem(d);
                size_t tl = strlen(tn);
                if (d->charrefs && fix_utf8(d, &tn, &tl))
                    return 1;
                cwmp__set_ptr(base, fld->off3, tn);
            }
        }
        memcpy(base + fld->off2, &ty, sizeof(ty));
        return 0;
    }
    default:
        f = push_frame(d, M_LEAF, local, mark);
        if (!f)
            return 1;
        f->f = fld;
        f->base = base;
        return 0;
    }
}

static int struct_child(struct dec *d, struct frame *p, const char *name, const char *local,
                        uint8_t ns, const struct cwmp__xml_attr *a, int n, size_t mark)
{
    const struct cwmp__sdesc *sd = p->sd;
    for (unsigned k = 0; k < sd->nfields; k++) {
        /* Elements normally come in schema order: try the next one first. */
        unsigned i = (p->next_field + k) % sd->nfields;
        const struct cwmp__field *fld = &sd->fields[i];
        if (!name_is(local, fld))
            continue;
        p->next_field = (uint8_t) (i + 1 < sd->nfields ? i + 1 : i);
        int want_cwmp = (fld->flags & FL_QUALIFIED) != 0;
        if (want_cwmp && !IS_CWMP(ns))
            break;
        if (want_cwmp && d->ns_version < 0)
            d->ns_version = ns - NS_CWMP10; /* cwmp:Fault of a fault without header */
        if (!want_cwmp && ns != NS_NONE) {
            if (!IS_CWMP(ns) && ns != NS_SOAP_ENV)
                break;
            if (quirk(d, CWMP_WARN_QUALIFIED_CHILD))
                return 1;
        }
        if (i < 64) {
            if ((p->seen >> i) & 1u) {
                if (fld->kind != FK_REPEAT && quirk(d, CWMP_WARN_DUPLICATE_ELEMENT))
                    return 1;
            }
            p->seen |= (uint64_t) 1 << i;
        }
        return open_field(d, fld, p->base, local, a, n, mark);
    }
    (void) name;
    return skip_element(d, CWMP_WARN_UNKNOWN_ELEMENT);
}

static int header_child(struct dec *d, struct frame *p, const char *name, const char *local,
                        uint8_t ns, const char *uri, const struct cwmp__xml_attr *a, int n,
                        size_t mark)
{
    if (ns == NS_OTHER && uri && strncmp(uri, "urn:dslforum-org:cwmp-", 22) == 0)
        return fail(d, CWMP_ERR_NAMESPACE, "unknown CWMP namespace %s on header <%s>", uri, name);
    const char *mu = find_attr(d, a, n, NS_SOAP_ENV, "mustUnderstand");
    if (IS_CWMP(ns)) {
        int v = ns - NS_CWMP10;
        if (d->ns_version < 0)
            d->ns_version = v;
        const struct cwmp__sdesc *sd = &cwmp__header_desc;
        for (unsigned i = 0; i < sd->nfields; i++) {
            const struct cwmp__field *fld = &sd->fields[i];
            if (strcmp(fld->name, local) != 0)
                continue;
            if ((p->seen >> i) & 1u) {
                if (quirk(d, CWMP_WARN_DUPLICATE_ELEMENT))
                    return 1;
            }
            p->seen |= (uint64_t) 1 << i;
            if (open_field(d, fld, (char *) &d->env->header, local, a, n, mark))
                return 1;
            int mu1 = mu && strcmp(mu, "1") == 0;
            if (strcmp(local, "ID") == 0) {
                d->env->header.id_must_understand = mu1;
                if (!mu1 && quirk(d, CWMP_WARN_ID_NO_MUST_UNDERSTAND))
                    return 1;
            } else if (strcmp(local, "HoldRequests") == 0) {
                if (!mu1 && quirk(d, CWMP_WARN_MUST_UNDERSTAND_VALUE))
                    return 1;
            }
            return 0;
        }
    }
    if (mu && strcmp(mu, "1") == 0)
        return fail(d, CWMP_ERR_UNSUPPORTED,
                    "header <%s> has mustUnderstand=\"1\" and is not understood", name);
    /* Unknown, optional header blocks are legal SOAP: note (lenient mode
     * only: a strict decode never carries warnings) and skip. */
    if (d->o.strict)
        goto skip;
    for (unsigned i = 0; i < d->nwarn; i++)
        if (d->warns[i].code == CWMP_WARN_UNKNOWN_HEADER)
            goto skip;
    if (d->nwarn < MAX_WARN) {
        char el[512];
        build_path(d, el, sizeof(el));
        char *copy = cwmp__arena_printf(d->ar, "%s/%s", el, local);
        if (!copy)
            return nomem(d);
        d->warns[d->nwarn].code = CWMP_WARN_UNKNOWN_HEADER;
        d->warns[d->nwarn].element = copy;
        d->nwarn++;
    }
skip:
    d->skip = 1;
    return 0;
}

static int on_open(void *ctx, const char *name, const struct cwmp__xml_attr *a, int n)
{
    struct dec *d = ctx;
    if (d->err)
        return 1;
    if (d->root_closed)
        return fail(d, CWMP_ERR_PARSE, "content after the root element: <%s>", name);
    if (++d->elements > d->o.max_elements)
        return fail(d, CWMP_ERR_LIMIT, "limit max_elements (%zu) exceeded", d->o.max_elements);
    if (++d->depth > d->o.max_depth)
        return fail(d, CWMP_ERR_LIMIT, "limit max_depth (%u) exceeded", d->o.max_depth);
    size_t nlen = strnlen(name, d->o.max_attr_len + 1);
    if (nlen > d->o.max_attr_len)
        return fail(d, CWMP_ERR_LIMIT, "limit max_attr_len (%zu) exceeded by an element name",
                    d->o.max_attr_len);
    for (int i = 0; i < n; i++)
        if (strnlen(a[i].value, d->o.max_attr_len + 1) > d->o.max_attr_len)
            return fail(d, CWMP_ERR_LIMIT,
                        "limit max_attr_len (%zu) exceeded by attribute %s of <%s>",
                        d->o.max_attr_len, a[i].name, name);
    if (d->raw) {
        d->raw++;
        return raw_open(d, name, a, n);
    }
    if (d->skip) {
        d->skip++;
        return 0;
    }
    size_t mark = d->ns_n;
    for (int i = 0; i < n; i++) {
        const char *an = a[i].name;
        if (an[0] == 'x' && an[1] == 'm' && strncmp(an, "xmlns", 5) == 0 &&
            (an[5] == '\0' || an[5] == ':')) {
            const char *p = an[5] ? an + 6 : "";
            if (push_ns(d, p, strlen(p), a[i].value))
                return 1;
        }
    }
    const char *colon = memchr(name, ':', nlen);
    size_t plen = colon ? (size_t) (colon - name) : 0;
    const char *local = colon ? colon + 1 : name;
    d->cur_local_len = colon ? nlen - plen - 1 : nlen;
    const char *uri = NULL;
    uint8_t ns = resolve(d, name, plen, &uri);
    if (ns == NS_UNDECLARED)
        return fail(d, CWMP_ERR_NAMESPACE, "undeclared namespace prefix in <%s>", name);
    for (int i = 0; i < n; i++) {
        size_t apl;
        split_qname(a[i].name, &apl);
        if (apl && !(apl == 5 && memcmp(a[i].name, "xmlns", 5) == 0) &&
            resolve(d, a[i].name, apl, NULL) == NS_UNDECLARED)
            return fail(d, CWMP_ERR_NAMESPACE,
                        "undeclared namespace prefix in attribute %s of <%s>", a[i].name, name);
    }
    struct frame *p = top(d);
    if (!p) {
        d->root_seen = 1;
        if (strcmp(local, "Envelope") != 0)
            return fail(d, CWMP_ERR_PARSE, "root element <%s> is not a SOAP Envelope", name);
        if (ns != NS_SOAP_ENV)
            return fail(d, CWMP_ERR_NAMESPACE, "Envelope is not in the SOAP 1.1 namespace%s%s",
                        uri ? ": " : "", uri ? uri : "");
        if (!push_frame(d, M_ENVELOPE, local, mark))
            return 1;
        if (find_attr(d, a, n, NS_SOAP_ENV, "encodingStyle") &&
            quirk(d, CWMP_WARN_ENCODING_STYLE_ON_ENVELOPE))
            return 1;
        return 0;
    }
    switch (p->mode) {
    case M_ENVELOPE:
        if (ns == NS_SOAP_ENV && strcmp(local, "Header") == 0) {
            if (d->header_seen || d->body_seen)
                return fail(d, CWMP_ERR_PARSE, "unexpected Header");
            d->header_seen = 1;
            return push_frame(d, M_HEADER, local, mark) ? 0 : 1;
        }
        if (ns == NS_SOAP_ENV && strcmp(local, "Body") == 0) {
            if (d->body_seen)
                return fail(d, CWMP_ERR_PARSE, "more than one Body");
            if (d->header_only) {
                d->header_done = 1;
                return 1; /* stops the parser: the header is complete */
            }
            d->body_seen = 1;
            return push_frame(d, M_BODY, local, mark) ? 0 : 1;
        }
        pop_ns(d, mark);
        return skip_element(d, CWMP_WARN_UNKNOWN_ELEMENT);
    case M_HEADER: {
        int rv = header_child(d, p, name, local, ns, uri, a, n, mark);
        if (d->skip)
            pop_ns(d, mark);
        return rv;
    }
    case M_BODY: return open_method(d, name, local, ns, uri, mark);
    case M_STRUCT: {
        int rv = struct_child(d, p, name, local, ns, a, n, mark);
        if (d->skip)
            pop_ns(d, mark);
        return rv;
    }
    case M_ARRAY: {
        const struct cwmp__field *it = p->f->item;
        if (!name_is(local, it) || (ns != NS_NONE && !IS_CWMP(ns))) {
            pop_ns(d, mark);
            return skip_element(d, CWMP_WARN_UNKNOWN_ELEMENT);
        }
        if (ns != NS_NONE && quirk(d, CWMP_WARN_QUALIFIED_CHILD))
            return 1;
        if (p->f->max_items && p->count >= p->f->max_items)
            return fail(d, CWMP_ERR_BAD_VALUE, "more than %u items in %s", p->f->max_items,
                        p->f->name);
        char *item = array_add(d, &p->items, &p->count, &p->cap, p->f->item_size);
        if (!item)
            return 1;
        return open_field(d, it, item, local, a, n, mark);
    }
    case M_LEAF:
    default: pop_ns(d, mark); return skip_element(d, CWMP_WARN_UNKNOWN_ELEMENT);
    }
}

/* ---- leaves -------------------------------------------------------------- */

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Text that came through a character reference (&#xD800;) may not be
 * UTF-8: lenient mode repairs it (U+FFFD per bad byte, into the arena),
 * strict mode refuses it. Returns non-zero when decoding must stop. */
static int fix_utf8(struct dec *d, char **sp, size_t *np)
{
    char *s = *sp;
    size_t n = *np;
    if (nonchar_offset(s, n) != SIZE_MAX)
        return fail(d, CWMP_ERR_PARSE,
                    "character reference to U+FFFE or U+FFFF, "
                    "which XML does not allow");
    size_t vp = cwmp_utf8_valid_prefix(s, n);
    if (vp == n)
        return 0;
    if (quirk(d, CWMP_WARN_INVALID_UTF8))
        return 1;
    size_t bad = 0;
    for (size_t i = vp; i < n;) {
        i += cwmp_utf8_valid_prefix(s + i, n - i);
        if (i < n) {
            bad++;
            i++;
        }
    }
    size_t sz = n + 2 * bad + 1;
    char *c = cwmp__arena_alloc(d->ar, sz);
    if (!c)
        return nomem(d);
    int r = cwmp_utf8_sanitize(s, n, c, sz, NULL);
    if (r < 0)
        return fail(d, CWMP_ERR_INTERNAL, "UTF-8 repair failed");
    *sp = c;
    *np = (size_t) r;
    return 0;
}

static int finish_leaf(struct dec *d, struct frame *f)
{
    const struct cwmp__field *fld = f->f;
    char *s = f->text;
    size_t n = f->len;
    if (!s) {
        s = cwmp__arena_alloc(d->ar, 1);
        if (!s)
            return nomem(d);
        s[0] = '\0';
    }
    enum cwmp_type vt = CWMP_TYPE_STRING;
    if (fld->kind == FK_PVALUE)
        memcpy(&vt, f->base + fld->off2, sizeof(vt));
    int trim = (fld->flags & FL_TRIM) ||
               (fld->kind == FK_PVALUE && vt != CWMP_TYPE_STRING && vt != CWMP_TYPE_NONE &&
                vt != CWMP_TYPE_OTHER && vt != CWMP_TYPE_BASE64);
    if (trim && n && (is_ws(s[0]) || is_ws(s[n - 1]))) {
        if (quirk(d, CWMP_WARN_WHITESPACE))
            return 1;
        while (n && is_ws(s[n - 1]))
            n--;
        s[n] = '\0';
        while (n && is_ws(s[0])) {
            s++;
            n--;
        }
    }
    /* The input itself is valid UTF-8 by now (checked or repaired); only a
     * character reference (&#xD800;) can put invalid UTF-8 into a value. */
    if (d->charrefs && fix_utf8(d, &s, &n))
        return 1;
    if (fld->max_len && n > fld->max_len && cwmp__utf8_chars(s, n) > fld->max_len)
        return fail(d, CWMP_ERR_BAD_VALUE, "%s longer than %u characters", fld->name, fld->max_len);
    switch (fld->check) {
    case CK_OUI:
        if (n != 6 || cwmp_value_check(CWMP_TYPE_HEXBINARY, s, n))
            return fail(d, CWMP_ERR_BAD_VALUE, "OUI \"%s\" is not 6 hexadecimal digits", s);
        break;
    case CK_OBJNAME:
        if (!n || s[n - 1] != '.')
            return fail(d, CWMP_ERR_BAD_VALUE, "ObjectName \"%s\" does not end with '.'", s);
        break;
    default: break;
    }
    char *dst = f->base + fld->off;
    switch (fld->kind) {
    case FK_DATETIME:
        if (cwmp_value_check(CWMP_TYPE_DATETIME, s, n))
            return fail(d, CWMP_ERR_BAD_VALUE, "%s \"%s\" is not an xsd:dateTime", fld->name, s);
        cwmp__set_ptr(f->base, fld->off, s);
        break;
    case FK_BASE64:
        if (cwmp_value_check(CWMP_TYPE_BASE64, s, n))
            return fail(d, CWMP_ERR_BAD_VALUE, "%s is not base64", fld->name);
        cwmp__set_ptr(f->base, fld->off, s);
        break;
    case FK_STR:
        if (fld->flags & FL_QNAME) {
            const char *c = memchr(s, ':', n);
            if (c)
                s = (char *) c + 1;
        }
        cwmp__set_ptr(f->base, fld->off, s);
        break;
    case FK_PVALUE:
        if (cwmp_value_check(vt, s, n)) {
            if (d->o.strict)
                return fail(d, CWMP_ERR_BAD_VALUE, "value \"%.64s\" does not match its xsi:type %s",
                            s, cwmp_type_name(vt));
            if (quirk(d, CWMP_WARN_VALUE_TYPE))
                return 1;
        }
        cwmp__set_ptr(f->base, fld->off, s);
        break;
    case FK_INT: {
        int32_t v;
        if (cwmp_parse_int(s, n, &v))
            return fail(d, CWMP_ERR_BAD_VALUE, "%s \"%s\" is not an xsd:int", fld->name, s);
        if ((fld->flags & FL_RANGE) && (v < fld->min || v > fld->max))
            return fail(d, CWMP_ERR_BAD_VALUE, "%s %d out of range %d..%d", fld->name, (int) v,
                        (int) fld->min, (int) fld->max);
        int iv = (int) v;
        memcpy(dst, &iv, sizeof(iv));
        break;
    }
    case FK_UINT: {
        uint32_t v;
        if (cwmp_parse_uint(s, n, &v))
            return fail(d, CWMP_ERR_BAD_VALUE, "%s \"%s\" is not an xsd:unsignedInt", fld->name, s);
        if ((fld->flags & FL_RANGE) && ((int64_t) v < fld->min || (int64_t) v > fld->max))
            return fail(d, CWMP_ERR_BAD_VALUE, "%s %u out of range %d..%d", fld->name, (unsigned) v,
                        (int) fld->min, (int) fld->max);
        if (fld->check == CK_FAULTCODE && v != 0 && (v < 9000 || v > 9899))
            return fail(d, CWMP_ERR_BAD_VALUE, "%s %u is not 0 or a CPE fault code", fld->name,
                        (unsigned) v);
        memcpy(dst, &v, sizeof(v));
        break;
    }
    case FK_BOOL: {
        bool v;
        if (cwmp_parse_bool(s, n, &v))
            return fail(d, CWMP_ERR_BAD_VALUE, "%s \"%s\" is not an xsd:boolean", fld->name, s);
        memcpy(dst, &v, sizeof(v));
        break;
    }
    default: return fail(d, CWMP_ERR_INTERNAL, "bad field kind");
    }
    if (fld->flags & FL_PRESENT) {
        bool t = true;
        memcpy(f->base + fld->off2, &t, sizeof(t));
    }
    return 0;
}

static int on_text(void *ctx, const char *s, size_t n)
{
    struct dec *d = ctx;
    if (d->err)
        return 1;
    if (d->raw) {
        cwmp__buf_append_xml(&d->rawbuf, s, n, 0);
        if (d->rawbuf.err)
            return d->rawbuf.err == CWMP_ERR_NOMEM
                       ? nomem(d)
                       : fail(d, CWMP_ERR_LIMIT, "limit max_envelope_bytes");
        return 0;
    }
    if (d->skip)
        return 0;
    struct frame *f = top(d);
    if (f && f->mode == M_LEAF) {
        if (n > d->o.max_string_len || f->len > d->o.max_string_len - n)
            return fail(d, CWMP_ERR_LIMIT, "limit max_string_len (%zu) exceeded",
                        d->o.max_string_len);
        if (!f->text) {
            f->text = cwmp__arena_strndup(d->ar, s, n);
            if (!f->text)
                return nomem(d);
        } else {
            char *c = cwmp__arena_alloc(d->ar, f->len + n + 1);
            if (!c)
                return nomem(d);
            memcpy(c, f->text, f->len);
            memcpy(c + f->len, s, n);
            c[f->len + n] = '\0';
            f->text = c;
        }
        f->len += n;
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        if (!is_ws(s[i])) {
            if (!f)
                return fail(d, CWMP_ERR_PARSE, "text outside the root element");
            if (d->o.strict)
                return fail(d, CWMP_ERR_STRICT, "strict mode: unexpected text inside an element");
            return 0;
        }
    return 0;
}

static int on_close(void *ctx, const char *name)
{
    struct dec *d = ctx;
    if (d->err)
        return 1;
    d->depth--;
    if (d->raw > 1) {
        d->raw--;
        cwmp__buf_append(&d->rawbuf, "</", 2);
        cwmp__buf_puts(&d->rawbuf, name);
        cwmp__buf_putc(&d->rawbuf, '>');
        if (d->rawbuf.err)
            return d->rawbuf.err == CWMP_ERR_NOMEM
                       ? nomem(d)
                       : fail(d, CWMP_ERR_LIMIT, "limit max_envelope_bytes");
        return 0;
    }
    if (d->skip) {
        d->skip--;
        return 0;
    }
    struct frame *f = top(d);
    if (!f)
        return fail(d, CWMP_ERR_PARSE, "unbalanced close tag </%s>", name);
    switch (f->mode) {
    case M_RAW: {
        d->raw = 0;
        struct cwmp_vendor_method *v = &d->env->rpc.u.vendor;
        char *x = cwmp__arena_strndup(d->ar, d->rawbuf.data ? d->rawbuf.data : "", d->rawbuf.len);
        if (!x)
            return nomem(d);
        size_t xl = d->rawbuf.len;
        if (d->charrefs && fix_utf8(d, &x, &xl))
            return 1;
        v->xml = x;
        v->xml_len = xl;
        break;
    }
    case M_LEAF:
        if (finish_leaf(d, f))
            return 1;
        break;
    case M_STRUCT:
        for (unsigned i = 0; i < f->sd->nfields && i < 64; i++)
            if ((f->sd->fields[i].flags & FL_REQ) && !((f->seen >> i) & 1u)) {
                if ((f->sd->fields[i].flags & FL_SOFT) && !d->o.strict) {
                    if (quirk(d, CWMP_WARN_FAULT_WITHOUT_DETAIL))
                        return 1;
                    continue;
                }
                return fail(d, CWMP_ERR_MISSING_ARG, "missing element <%s>", f->sd->fields[i].name);
            }
        break;
    case M_ARRAY: {
        cwmp__set_ptr(f->base, f->f->off, f->count ? f->items : NULL);
        memcpy(f->base + f->f->off2, &f->count, sizeof(f->count));
        if (f->declared >= 0 && (size_t) f->declared != f->count && quirk(d, CWMP_WARN_ARRAY_COUNT))
            return 1;
        break;
    }
    case M_BODY:
        if (!d->method_seen)
            return fail(d, CWMP_ERR_MISSING_ARG, "empty SOAP Body");
        break;
    case M_ENVELOPE:
        if (!d->body_seen)
            return fail(d, CWMP_ERR_MISSING_ARG, "no SOAP Body");
        d->root_closed = 1;
        break;
    default: break;
    }
    pop_ns(d, f->ns_mark);
    d->path.len = f->path_len;
    d->path.data[d->path.len] = '\0';
    d->nframes--;
    return 0;
}

static int on_directive(void *ctx, const char *s)
{
    struct dec *d = ctx;
    if (d->err)
        return 1;
    if (s[0] == '!')
        return fail(d, CWMP_ERR_DTD, "DTD or entity declaration refused (<%.20s...>)", s);
    return 0;
}

static int on_too_many_attrs(void *ctx, const char *name)
{
    struct dec *d = ctx;
    return fail(d, CWMP_ERR_LIMIT, "limit: more than %d attributes on <%s>", CWMP__XML_MAX_ATTRS,
                name);
}

static const struct cwmp__xml_handler handler = {
    on_open, on_close, on_text, on_directive, on_too_many_attrs,
};

/* ---- pre-scan ------------------------------------------------------------ */

/* Portable memmem for short needles. */
static const char *find(const char *p, const char *end, const char *needle, size_t nl)
{
    while (p < end && (size_t) (end - p) >= nl) {
        const char *c = memchr(p, needle[0], (size_t) (end - p) - nl + 1);
        if (!c)
            return NULL;
        if (memcmp(c, needle, nl) == 0)
            return c;
        p = c + 1;
    }
    return NULL;
}

static int is_xml_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * mxml 3 compares every attribute of an element with all earlier ones while
 * parsing, before the SAX callback can refuse the element: n attributes cost
 * O(n^2). This scan counts the attributes of every start tag first, with
 * mxml's own rules (quoted or unquoted values, comments, CDATA, processing
 * instructions), and refuses more than CWMP__XML_MAX_ATTRS. It also refuses
 * DTDs and other <! declarations up front, attribute values without
 * quotes (mxml 3 accepts them; XML does not) and an attribute named twice
 * on one element (mxml gives up on the document without saying why). Returns 0 or an error code
 * with *off at the offending byte.
 */
#define PRESCAN_DUP_ATTR 1 /* prescan(): an attribute named twice */

static int prescan(const char *s, size_t n, size_t *off)
{
    const char *p = s, *end = s + n;
    while ((p = memchr(p, '<', (size_t) (end - p))) != NULL) {
        const char *lt = p++;
        if (p >= end)
            break;
        if (*p == '!') {
            const char *stop;
            if (end - p >= 3 && p[1] == '-' && p[2] == '-')
                stop = find(p + 3, end, "-->", 3);
            else if (end - p >= 8 && memcmp(p, "![CDATA[", 8) == 0)
                stop = find(p + 8, end, "]]>", 3);
            else {
                *off = (size_t) (lt - s);
                return CWMP_ERR_DTD;
            }
            if (!stop)
                break; /* unterminated: mxml stops there */
            p = stop + 3;
            continue;
        }
        if (*p == '?') {
            const char *stop = find(p, end, "?>", 2);
            if (!stop)
                break;
            p = stop + 2;
            continue;
        }
        if (*p == '/')
            continue;
        /* Most tags have no attribute: no '=' before the first '>' means
         * none (a quoted value, which could hide a '>', needs an '='). */
        const char *gt = memchr(p, '>', (size_t) (end - p));
        if (!gt)
            break;
        if (!memchr(p, '=', (size_t) (gt - p))) {
            p = gt + 1;
            continue;
        }
        /* Start tag: skip the name, then count name[=value] pairs and
         * compare each name with the earlier ones (at most 32 of them). */
        while (p < end && !is_xml_space(*p) && *p != '>' && *p != '/')
            p++;
        unsigned count = 0;
        const char *names[CWMP__XML_MAX_ATTRS];
        size_t lens[CWMP__XML_MAX_ATTRS];
        for (;;) {
            while (p < end && is_xml_space(*p))
                p++;
            if (p >= end || *p == '>' || *p == '/' || *p == '?')
                break;
            if (count == CWMP__XML_MAX_ATTRS) {
                *off = (size_t) (lt - s);
                return CWMP_ERR_LIMIT;
            }
            const char *an = p;
            while (p < end && !is_xml_space(*p) && *p != '=' && *p != '>' && *p != '/')
                p++;
            size_t al = (size_t) (p - an);
            for (unsigned k = 0; k < count; k++) {
                if (lens[k] == al && memcmp(names[k], an, al) == 0) {
                    *off = (size_t) (an - s);
                    return PRESCAN_DUP_ATTR;
                }
            }
            names[count] = an;
            lens[count++] = al;
            while (p < end && is_xml_space(*p))
                p++;
            if (p >= end || *p != '=')
                continue; /* mxml reports a missing value and stops */
            p++;
            while (p < end && is_xml_space(*p))
                p++;
            if (p < end && (*p == '"' || *p == '\'')) {
                const char *q = memchr(p + 1, *p, (size_t) (end - p - 1));
                if (!q)
                    return 0; /* unterminated value: mxml stops there */
                p = q + 1;
            } else {
                /* Not XML (mxml would take it): refused in both modes. */
                *off = (size_t) (p - s);
                return CWMP_ERR_PARSE;
            }
        }
    }
    return 0;
}

/* Offset of the first U+FFFE or U+FFFF (EF BF BE, EF BF BF), or SIZE_MAX.
 * Both are valid UTF-8 but not XML characters (XML 1.0 production [2]);
 * mxml passes them through, so the codec refuses them itself, in both
 * modes, as mxml does for the control characters. */
static size_t nonchar_offset(const char *s, size_t n)
{
    const char *p = s, *end = s + n;
    while ((p = find(p, end, "\xEF\xBF", 2)) != NULL) {
        if (end - p >= 3 && ((unsigned char) p[2] == 0xBE || (unsigned char) p[2] == 0xBF))
            return (size_t) (p - s);
        p += 2;
    }
    return SIZE_MAX;
}

/* ---- entry point --------------------------------------------------------- */

static void set_detail(char *detail, size_t size, const char *fmt, ...) CWMP_PRINTF(3, 4);
static void set_detail(char *detail, size_t size, const char *fmt, ...)
{
    if (!detail || !size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, size, fmt, ap);
    va_end(ap);
    clean_detail(detail);
}

static int finish_envelope(struct dec *d)
{
    struct cwmp_envelope *env = d->env;
    int v = d->ns_version < 0 ? CWMP_V1_0 : d->ns_version;
    if (v == CWMP_V1_2) {
        if (env->header.supported_cwmp_versions || env->header.use_cwmp_version)
            v = CWMP_V1_4;
        else if (env->header.has_session_timeout)
            v = CWMP_V1_3;
    }
    env->version = (enum cwmp_version) v;
    if (d->nwarn) {
        struct cwmp_warning *w = cwmp__arena_calloc(d->ar, d->nwarn, sizeof(*w));
        if (!w)
            return nomem(d);
        for (unsigned i = 0; i < d->nwarn; i++) {
            w[i].code = (enum cwmp_warning_code) d->warns[i].code;
            w[i].text = warn_text[d->warns[i].code];
            w[i].element = d->warns[i].element;
        }
        env->warnings = w;
        env->warning_count = d->nwarn;
    }
    return 0;
}

static int decode(const char *data, size_t len, const struct cwmp_codec_options *opts,
                  struct cwmp_envelope **out, char *detail, size_t detail_size, int header_only)
{
    struct dec d;
    char *copy = NULL;
    int bom = 0;

    if (detail && detail_size)
        detail[0] = '\0';
    if (!out)
        return CWMP_ERR_INVALID_ARG;
    *out = NULL;
    if (!data && len)
        return CWMP_ERR_INVALID_ARG;
    memset(&d, 0, sizeof(d));
    cwmp__codec_opts_resolve(&d.o, opts);
    d.header_only = header_only;
    const struct cwmp_allocator *A = d.o.allocator;

    if (len > d.o.max_envelope_bytes) {
        set_detail(detail, detail_size, "limit max_envelope_bytes (%zu) exceeded: %zu bytes",
                   d.o.max_envelope_bytes, len);
        return CWMP_ERR_LIMIT;
    }
    int nul_ok = d.o.input_nul_terminated;
    if (len >= 3 && (unsigned char) data[0] == 0xEF && (unsigned char) data[1] == 0xBB &&
        (unsigned char) data[2] == 0xBF) {
        bom = 1;
        data += 3;
        len -= 3;
    }
    size_t tl = len;
    while (tl && is_ws(data[tl - 1]))
        tl--;
    if (tl == 0) {
        set_detail(detail, detail_size, "empty document");
        return CWMP_ERR_PARSE;
    }
    if (bom && d.o.strict) {
        set_detail(detail, detail_size, "strict mode: %s", warn_text[CWMP_WARN_BOM]);
        return CWMP_ERR_STRICT;
    }
    const char *nul = memchr(data, '\0', len);
    if (nul) {
        set_detail(detail, detail_size, "NUL byte at offset %zu", (size_t) (nul - data));
        return CWMP_ERR_PARSE;
    }
    if (data[tl - 1] != '>') {
        set_detail(detail, detail_size, "truncated document (does not end with '>')");
        return CWMP_ERR_PARSE;
    }
    size_t bad_off = 0;
    int prv = prescan(data, len, &bad_off);
    if (prv == CWMP_ERR_DTD) {
        set_detail(detail, detail_size, "DTD or declaration refused at byte offset %zu",
                   bad_off + 3 * (size_t) bom);
        return CWMP_ERR_DTD;
    }
    if (prv == CWMP_ERR_PARSE) {
        set_detail(detail, detail_size, "attribute value without quotes at byte offset %zu",
                   bad_off + 3 * (size_t) bom);
        return CWMP_ERR_PARSE;
    }
    if (prv == PRESCAN_DUP_ATTR) {
        set_detail(detail, detail_size, "attribute repeated on one element at byte offset %zu",
                   bad_off + 3 * (size_t) bom);
        return CWMP_ERR_PARSE;
    }
    if (prv) {
        set_detail(detail, detail_size,
                   "limit: more than %d attributes on the element at byte offset %zu",
                   CWMP__XML_MAX_ATTRS, bad_off + 3 * (size_t) bom);
        return CWMP_ERR_LIMIT;
    }
    size_t nc_off = nonchar_offset(data, len);
    if (nc_off != SIZE_MAX) {
        set_detail(detail, detail_size,
                   "character U+FFF%c is not allowed in XML at byte offset %zu",
                   (unsigned char) data[nc_off + 2] == 0xBE ? 'E' : 'F', nc_off + 3 * (size_t) bom);
        return CWMP_ERR_PARSE;
    }
    size_t vp = cwmp_utf8_valid_prefix(data, len);
    int bad_utf8 = vp != len;
    if (bad_utf8) {
        if (d.o.strict) {
            set_detail(detail, detail_size, "invalid UTF-8 at byte offset %zu", vp + 3 * bom);
            return CWMP_ERR_ENCODING;
        }
        size_t bad = 0;
        for (size_t i = vp; i < len;) {
            i += cwmp_utf8_valid_prefix(data + i, len - i);
            if (i < len) {
                bad++;
                i++;
            }
        }
        size_t sz = len + 2 * bad + 1;
        copy = cwmp__malloc(A, sz);
        if (!copy) {
            set_detail(detail, detail_size, "out of memory");
            return CWMP_ERR_NOMEM;
        }
        if (cwmp_utf8_sanitize(data, len, copy, sz, NULL) < 0) {
            cwmp__free(A, copy);
            return CWMP_ERR_INTERNAL;
        }
    } else if (!nul_ok) {
        copy = cwmp__malloc(A, len + 1);
        if (!copy) {
            set_detail(detail, detail_size, "out of memory");
            return CWMP_ERR_NOMEM;
        }
        memcpy(copy, data, len);
        copy[len] = '\0';
    }

    /* The arena: the envelope itself first. Decoded text and arrays take
     * 50-65 % of a large message (less for small ones); one first chunk of
     * 3/4 of the input avoids a second, mostly empty, doubled chunk. */
    struct cwmp_arena ar;
    size_t first = len / 4 * 3;
    if (first < 2048)
        first = 2048;
    if (first > ((size_t) 4 << 20))
        first = (size_t) 4 << 20;
    cwmp__arena_init(&ar, A, first, 0);
    struct cwmp__envelope_priv *ep = cwmp__arena_calloc(&ar, 1, sizeof(*ep));
    d.detail = detail;
    d.detail_size = detail_size;
    d.input_len = len;
    d.charrefs = find(data, data + len, "&#", 2) != NULL;
    cwmp__buf_init(&d.path, A, 0);
    d.ns_version = -1;
    d.ar = &ar;
    cwmp__buf_init(&d.scratch, A, 0);
    cwmp__buf_init(&d.rawbuf, A, d.o.max_envelope_bytes * 2);
    d.max_frames = d.o.max_depth + 1;
    d.cap_frames = d.max_frames < 12 ? d.max_frames : 12; /* envelopes nest ~8 deep */
    d.stack = cwmp__malloc(A, d.cap_frames * sizeof(struct frame));
    if (!ep || !d.stack) {
        nomem(&d);
    } else {
        d.env = &ep->env;
        if (bom)
            quirk(&d, CWMP_WARN_BOM);
        if (bad_utf8)
            quirk(&d, CWMP_WARN_INVALID_UTF8);
        if (!d.err && cwmp__xml_parse(copy ? copy : data, &handler, &d) == CWMP_ERR_NOMEM)
            nomem(&d);
        if (!d.err && !d.root_closed && !d.header_done) {
            if (!d.root_seen)
                fail(&d, CWMP_ERR_PARSE, "no root element");
            else
                fail(&d, CWMP_ERR_PARSE, "XML not well-formed or truncated");
        }
        if (!d.err && !header_only)
            finish_envelope(&d);
    }
    cwmp__free(A, d.stack);
    cwmp__free(A, d.ns);
    cwmp__buf_free(&d.scratch);
    cwmp__buf_free(&d.rawbuf);
    cwmp__buf_free(&d.path);
    cwmp__free(A, copy);
    if (d.err) {
        cwmp__arena_free(&ar);
        return d.err;
    }
    ep->arena = ar;
    *out = &ep->env;
    return 0;
}

int cwmp_envelope_decode(const char *data, size_t len, const struct cwmp_codec_options *opts,
                         struct cwmp_envelope **out, char *detail, size_t detail_size)
{
    return decode(data, len, opts, out, detail, detail_size, 0);
}

int cwmp_envelope_peek_id(const char *data, size_t len, const struct cwmp_codec_options *opts,
                          char *id, size_t id_size)
{
    if (!id || !id_size)
        return CWMP_ERR_INVALID_ARG;
    id[0] = '\0';
    struct cwmp_envelope *env = NULL;
    int rv = decode(data, len, opts, &env, NULL, 0, 1);
    if (rv)
        return rv;
    const char *v = env->header.id;
    size_t n = v ? strlen(v) : 0;
    if (!v)
        rv = CWMP_ERR_MISSING_ARG;
    else if (n >= id_size)
        rv = CWMP_ERR_LIMIT;
    else
        memcpy(id, v, n + 1);
    cwmp_envelope_free(env);
    return rv;
}

void cwmp_envelope_free(struct cwmp_envelope *env)
{
    if (!env)
        return;
    struct cwmp__envelope_priv *ep = (struct cwmp__envelope_priv *) env;
    struct cwmp_arena ar = ep->arena;
    cwmp__arena_free(&ar);
}
