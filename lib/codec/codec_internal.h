/*
 * libcwmp - codec internals: the message descriptors that drive decode,
 * encode, print and dup, and the thin XML (mxml) event interface.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CWMP_CODEC_INTERNAL_H
#define CWMP_CODEC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cwmp/envelope.h>
#include <cwmp/rpc.h>

#include "internal.h"

/* ---- descriptors --------------------------------------------------------- */

enum cwmp__fkind {
    FK_STR = 1,  /* const char * */
    FK_INT,      /* int (32-bit) */
    FK_UINT,     /* uint32_t */
    FK_BOOL,     /* bool */
    FK_DATETIME, /* const char *, xsd:dateTime text */
    FK_BASE64,   /* const char *, base64 text */
    FK_STRUCT,   /* embedded struct at off, described by sub */
    FK_ARRAY,    /* soapenc:Array wrapper: items pointer at off, count at off2 */
    FK_REPEAT,   /* repeated element (no wrapper): items at off, count at off2 */
    FK_PVALUE,   /* Value with xsi:type: text at off, enum cwmp_type at off2,
                    type_name at off3 */
};

enum cwmp__fflag {
    FL_REQ = 1u << 0,       /* mandatory (minOccurs 1) */
    FL_TRIM = 1u << 1,      /* surrounding whitespace is a tolerated quirk */
    FL_QUALIFIED = 1u << 2, /* element is in the CWMP namespace (header, cwmp:Fault) */
    FL_PRESENT = 1u << 3,   /* a bool at off2 records presence */
    FL_QNAME = 1u << 4,     /* SOAP faultcode: "prefix:Local" */
    FL_NONEMPTY = 1u << 5,  /* array needs at least one item */
    FL_RANGE = 1u << 6,     /* numeric value must be in [min, max] */
    FL_SOFT = 1u << 7,      /* mandatory in strict mode; lenient: warning, left zero */
};

enum cwmp__check {
    CK_NONE = 0,
    CK_OUI,      /* six upper-case hex digits */
    CK_OBJNAME,  /* ends with '.' */
    CK_FAULTCODE, /* 0 or a fault code */
    CK_DEFAULT_FAULT_STRING /* encode: NULL = cwmp_fault_string() of the int at off2 */
};

struct cwmp__sdesc;

struct cwmp__field {
    const char *name; /* element local name */
    uint8_t name_len; /* strlen(name) */
    uint8_t kind;
    uint8_t flags;
    uint8_t check;
    uint16_t max_len;   /* schema maxLength in characters; 0 = none */
    uint16_t max_items; /* schema maxOccurs of array items; 0 = unbounded */
    uint16_t off, off2, off3;
    uint16_t item_size;
    const struct cwmp__sdesc *sub;  /* FK_STRUCT, and struct items */
    const struct cwmp__field *item; /* FK_ARRAY / FK_REPEAT item */
    const char *array_type;         /* FK_ARRAY: "cwmp:EventStruct", "xsd:string" */
    int32_t min, max;               /* FL_RANGE */
};

struct cwmp__variant {
    const char *xsi_type; /* local name, e.g. "InstallOpStruct" */
    int value;            /* stored at sdesc->variant_off */
    const struct cwmp__sdesc *desc;
};

struct cwmp__sdesc {
    const char *name; /* informative */
    const struct cwmp__field *fields;
    uint8_t nfields;
    /* variant selection by xsi:type (ChangeDUState operations) */
    const struct cwmp__variant *variants;
    uint8_t nvariants;
    uint16_t variant_off;
};

struct cwmp__msg_desc {
    const char *elem; /* "Inform", "InformResponse" */
    uint8_t method;   /* enum cwmp_method */
    uint8_t kind;     /* enum cwmp_rpc_kind */
    uint8_t min_version;
    const struct cwmp__sdesc *body; /* NULL = no arguments */
};

extern const struct cwmp__msg_desc cwmp__messages[];
extern const size_t cwmp__message_count;
extern const struct cwmp__sdesc cwmp__fault_desc;  /* SOAP-ENV:Fault content */
extern const struct cwmp__sdesc cwmp__header_desc; /* Header children */

const struct cwmp__msg_desc *cwmp__msg_by_elem(const char *name, size_t len);
const struct cwmp__msg_desc *cwmp__msg_by_method(enum cwmp_method m, enum cwmp_rpc_kind k);

/* Namespace URIs. */
#define CWMP__NS_SOAP_ENV "http://schemas.xmlsoap.org/soap/envelope/"
#define CWMP__NS_SOAP_ENC "http://schemas.xmlsoap.org/soap/encoding/"
#define CWMP__NS_XSI      "http://www.w3.org/2001/XMLSchema-instance"
#define CWMP__NS_XSD      "http://www.w3.org/2001/XMLSchema"

/* Length of a UTF-8 string in characters (bytes that are not continuation
 * bytes). */
static inline size_t cwmp__utf8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char) s[i] & 0xC0u) != 0x80u;
    return c;
}

/* Values are checked with the public helpers of <cwmp/types.h>
 * (cwmp_value_check, cwmp_parse_*, cwmp_type_from_name, cwmp_type_name). */

/* Reads/writes a pointer member stored in a struct (pointer kinds differ). */
static inline void *cwmp__get_ptr(const void *base, size_t off)
{
    void *p;
    memcpy(&p, (const char *) base + off, sizeof(p));
    return p;
}
static inline void cwmp__set_ptr(void *base, size_t off, const void *p)
{
    memcpy((char *) base + off, &p, sizeof(p));
}

/* ---- XML event layer (xml_mxml.c is the only file that knows mxml) ------- */

#define CWMP__XML_MAX_ATTRS 32

struct cwmp__xml_attr {
    const char *name;
    const char *value;
};

struct cwmp__xml_handler {
    /* Each returns 0 to continue; non-zero stops delivery of further events
     * (the parser may still run to the end of its input). */
    int (*open)(void *ctx, const char *name, const struct cwmp__xml_attr *attrs, int nattrs);
    int (*close)(void *ctx, const char *name);
    int (*text)(void *ctx, const char *s, size_t n);
    /* "?xml ...?", "!DOCTYPE ...", comments are not delivered */
    int (*directive)(void *ctx, const char *s);
    /* more than CWMP__XML_MAX_ATTRS attributes on one element */
    int (*too_many_attrs)(void *ctx, const char *name);
};

/* True for element names (prefix ignored) that only ever contain child
 * elements in CWMP: the XML layer may drop whitespace inside them, and
 * reports other text there as a text event of "?" (content unknown). */
int cwmp__is_container(const char *name);

/* Parses the NUL-terminated document @p s, delivering events to @p h.
 * Returns 0 when the parser ran to the end, CWMP_ERR_NOMEM when it could not
 * start. Well-formedness is judged by the caller from the events. */
int cwmp__xml_parse(const char *s, const struct cwmp__xml_handler *h, void *ctx);

#endif

/* ---- owned messages ------------------------------------------------------ */

/* A decoded or duplicated envelope and the arena that holds it (the struct
 * itself lives in its own arena). */
struct cwmp__envelope_priv {
    struct cwmp_envelope env; /* first: (struct cwmp_envelope *) casts back */
    struct cwmp_arena arena;
};

struct cwmp__rpc_priv {
    struct cwmp_rpc rpc; /* first */
    struct cwmp_arena arena;
};

/* Resolved options: defaults applied. */
void cwmp__codec_opts_resolve(struct cwmp_codec_options *dst, const struct cwmp_codec_options *src);

/* Deep-copies the fields of one struct described by @p sd from @p src to
 * @p dst (same layout) into @p ar. 0 or CWMP_ERR_NOMEM. */
int cwmp__dup_struct(struct cwmp_arena *ar, const struct cwmp__sdesc *sd, const void *src,
                     void *dst);
/* Deep copy of an RPC body (dst already holds a shallow copy). */
int cwmp__dup_rpc(struct cwmp_arena *ar, const struct cwmp_rpc *src, struct cwmp_rpc *dst);

/* Selects the struct descriptor of one item (variants by value). */
const struct cwmp__sdesc *cwmp__variant_desc(const struct cwmp__sdesc *sd, const void *base);
