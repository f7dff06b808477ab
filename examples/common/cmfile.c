/*
 * libcwmp examples - CM file format (bulk configuration by Download).
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Parsing runs in two steps. A strict pre-scan walks the bytes once,
 * tracking line numbers: it refuses DTDs, entity declarations and unknown
 * entity references, CDATA and processing instructions, checks UTF-8,
 * tag nesting and our document shape (cmFile > param > text), applies the
 * limits, and records the line of every <param>. Only then does mxml build
 * the tree (attribute parsing, entity decoding); the i-th param element
 * maps to the i-th recorded line so every later error names its line.
 */
#include "cmfile.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mxml.h>

#include "exalloc.h"
#include "strbuf.h"

#define DEFAULT_MAX_BYTES  ((size_t) 1024 * 1024)
#define DEFAULT_MAX_PARAMS 4096
#define DEFAULT_MAX_VALUE  65535

static const char *const type_names[] = {
    [CMFILE_STRING] = "string",
    [CMFILE_INT] = "int",
    [CMFILE_UNSIGNED_INT] = "unsignedInt",
    [CMFILE_LONG] = "long",
    [CMFILE_UNSIGNED_LONG] = "unsignedLong",
    [CMFILE_BOOLEAN] = "boolean",
    [CMFILE_DATETIME] = "dateTime",
    [CMFILE_BASE64] = "base64",
    [CMFILE_HEXBINARY] = "hexBinary",
};
#define NTYPES (sizeof(type_names) / sizeof(type_names[0]))

const char *cmfile_type_name(enum cmfile_type t)
{
    return (unsigned) t < NTYPES ? type_names[t] : "unknown";
}

int cmfile_type_from_name(const char *name, enum cmfile_type *t)
{
    for (size_t i = 0; name && i < NTYPES; i++) {
        if (strcmp(name, type_names[i]) == 0) {
            *t = (enum cmfile_type) i;
            return 0;
        }
    }
    return CWMP_ERR_NOT_FOUND;
}

static int is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int cmfile_name_ok(const char *name)
{
    if (!name)
        return 0;
    size_t n = strlen(name);
    if (n == 0 || n > CMFILE_MAX_NAME)
        return 0;
    if (strncmp(name, "Device.", 7) != 0 && strncmp(name, "InternetGatewayDevice.", 22) != 0)
        return 0;
    if (name[n - 1] == '.')
        return 0;
    char prev = '.';
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (c == '.') {
            if (prev == '.')
                return 0; /* empty segment */
        } else if (!is_alpha(c) && !is_digit(c) && c != '_' && c != '-') {
            return 0;
        }
        prev = c;
    }
    return 1;
}

static int digits_only(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!is_digit(*s))
            return 0;
    return 1;
}

static int integer_ok(const char *v, int is_signed, int bits)
{
    const char *d = v;
    int neg = 0;
    if (is_signed && *d == '-') {
        neg = 1;
        d++;
    }
    if (!digits_only(d))
        return 0;
    errno = 0;
    unsigned long long x = strtoull(d, NULL, 10);
    if (errno == ERANGE)
        return 0;
    if (!is_signed)
        return bits == 64 || x <= 0xffffffffULL;
    unsigned long long max = bits == 64 ? 0x7fffffffffffffffULL : 0x7fffffffULL;
    return x <= max + (unsigned long long) neg;
}

static int n_digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return 0;
    return 1;
}

/* xs:dateTime shape: YYYY-MM-DDThh:mm:ss[.fff][Z|(+|-)hh:mm] */
static int datetime_ok(const char *v)
{
    if (strlen(v) < 19 || !n_digits(v, 4) || v[4] != '-' || !n_digits(v + 5, 2) || v[7] != '-' ||
        !n_digits(v + 8, 2) || v[10] != 'T' || !n_digits(v + 11, 2) || v[13] != ':' ||
        !n_digits(v + 14, 2) || v[16] != ':' || !n_digits(v + 17, 2))
        return 0;
    int mon = (v[5] - '0') * 10 + (v[6] - '0'), day = (v[8] - '0') * 10 + (v[9] - '0');
    int hh = (v[11] - '0') * 10 + (v[12] - '0'), mm = (v[14] - '0') * 10 + (v[15] - '0');
    int ss = (v[17] - '0') * 10 + (v[18] - '0');
    if (mon < 1 || mon > 12 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60)
        return 0;
    const char *p = v + 19;
    if (*p == '.') {
        p++;
        if (!is_digit(*p))
            return 0;
        while (is_digit(*p))
            p++;
    }
    if (*p == 'Z')
        return p[1] == '\0';
    if (*p == '+' || *p == '-')
        return n_digits(p + 1, 2) && p[3] == ':' && n_digits(p + 4, 2) && p[6] == '\0';
    return *p == '\0';
}

static int base64_ok(const char *v)
{
    size_t n = 0, pad = 0;
    for (const char *p = v; *p; p++) {
        char c = *p;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            continue;
        if (c == '=') {
            pad++;
        } else if (is_alpha(c) || is_digit(c) || c == '+' || c == '/') {
            if (pad)
                return 0; /* data after padding */
        } else {
            return 0;
        }
        n++;
    }
    return n % 4 == 0 && pad <= 2;
}

static int hex_ok(const char *v)
{
    size_t n = 0;
    for (const char *p = v; *p; p++, n++) {
        char c = *p;
        if (!is_digit(c) && !((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return 0;
    }
    return n % 2 == 0;
}

int cmfile_value_ok(enum cmfile_type t, const char *v)
{
    if (!v)
        return 0;
    switch (t) {
    case CMFILE_STRING: return 1;
    case CMFILE_INT: return integer_ok(v, 1, 32);
    case CMFILE_UNSIGNED_INT: return integer_ok(v, 0, 32);
    case CMFILE_LONG: return integer_ok(v, 1, 64);
    case CMFILE_UNSIGNED_LONG: return integer_ok(v, 0, 64);
    case CMFILE_BOOLEAN:
        return !strcmp(v, "true") || !strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "1");
    case CMFILE_DATETIME: return datetime_ok(v);
    case CMFILE_BASE64: return base64_ok(v);
    case CMFILE_HEXBINARY: return hex_ok(v);
    }
    return 0;
}

/* ---- errors -------------------------------------------------------------- */

static int fail(struct cmfile_error *err, int rv, int line, const char *name, const char *msg)
{
    if (err) {
        err->line = line;
        snprintf(err->name, sizeof(err->name), "%s", name ? name : "");
        snprintf(err->msg, sizeof(err->msg), "%s", msg);
    }
    return rv;
}

/* ---- pre-scan ------------------------------------------------------------ */

struct scan {
    const char *s;
    size_t n, pos;
    int line;
    int depth;
    const char *open_name[2]; /* the document is at most two elements deep */
    size_t open_len[2];
    int roots;
    int root_line;
    size_t params;
    int *lines; /* line of each param, grown through alloc */
    size_t cap_lines;
    const struct cwmp_allocator *alloc;
    size_t max_params;
    struct cmfile_error *err;
};

static int sc_fail(struct scan *sc, int rv, const char *msg)
{
    return fail(sc->err, rv, sc->line, NULL, msg);
}

static int starts(const struct scan *sc, const char *lit)
{
    size_t l = strlen(lit);
    return sc->n - sc->pos >= l && memcmp(sc->s + sc->pos, lit, l) == 0;
}

static void advance(struct scan *sc, size_t k)
{
    for (size_t i = 0; i < k && sc->pos < sc->n; i++, sc->pos++)
        if (sc->s[sc->pos] == '\n')
            sc->line++;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_space(struct scan *sc)
{
    while (sc->pos < sc->n && is_space(sc->s[sc->pos]))
        advance(sc, 1);
}

static int name_start(char c)
{
    return is_alpha(c) || c == '_' || c == ':';
}

static int name_char(char c)
{
    return name_start(c) || is_digit(c) || c == '-' || c == '.';
}

static size_t read_name(struct scan *sc)
{
    size_t start = sc->pos;
    if (sc->pos >= sc->n || !name_start(sc->s[sc->pos]))
        return 0;
    while (sc->pos < sc->n && name_char(sc->s[sc->pos]))
        sc->pos++;
    return sc->pos - start;
}

static int xml_char_ok(unsigned long cp)
{
    return cp == 0x9 || cp == 0xa || cp == 0xd || (cp >= 0x20 && cp <= 0xd7ff) ||
           (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/* At '&': accepts the five predefined entities and character references. */
static int scan_ref(struct scan *sc)
{
    static const char *const predefined[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
    for (size_t i = 0; i < 5; i++) {
        if (starts(sc, predefined[i])) {
            sc->pos += strlen(predefined[i]);
            return 0;
        }
    }
    if (starts(sc, "&#")) {
        size_t p = sc->pos + 2;
        int hex = p < sc->n && sc->s[p] == 'x';
        if (hex)
            p++;
        unsigned long cp = 0;
        size_t digits = 0;
        while (p < sc->n && digits < 8) {
            char c = sc->s[p];
            int d;
            if (is_digit(c))
                d = c - '0';
            else if (hex && c >= 'a' && c <= 'f')
                d = c - 'a' + 10;
            else if (hex && c >= 'A' && c <= 'F')
                d = c - 'A' + 10;
            else
                break;
            cp = cp * (hex ? 16 : 10) + (unsigned long) d;
            digits++;
            p++;
        }
        if (digits == 0 || p >= sc->n || sc->s[p] != ';')
            return sc_fail(sc, CWMP_ERR_PARSE, "malformed character reference");
        if (!xml_char_ok(cp))
            return sc_fail(sc, CWMP_ERR_ENCODING, "character reference to a character XML forbids");
        sc->pos = p + 1;
        return 0;
    }
    return sc_fail(sc, CWMP_ERR_DTD,
                   "entity reference other than &amp; &lt; &gt; &quot; &apos; or &#N; refused");
}

/* At '<' of a start tag. */
static int scan_start_tag(struct scan *sc)
{
    int line = sc->line;
    sc->pos++;
    const char *name = sc->s + sc->pos;
    size_t nlen = read_name(sc);
    if (!nlen)
        return sc_fail(sc, CWMP_ERR_PARSE, "bad element name");
    for (;;) {
        size_t before = sc->pos;
        skip_space(sc);
        if (sc->pos >= sc->n)
            return sc_fail(sc, CWMP_ERR_PARSE, "unterminated start tag");
        char c = sc->s[sc->pos];
        if (c == '>' || c == '/')
            break;
        if (sc->pos == before)
            return sc_fail(sc, CWMP_ERR_PARSE, "attributes must be separated by white space");
        if (!read_name(sc))
            return sc_fail(sc, CWMP_ERR_PARSE, "bad attribute name");
        skip_space(sc);
        if (sc->pos >= sc->n || sc->s[sc->pos] != '=')
            return sc_fail(sc, CWMP_ERR_PARSE, "attribute without '='");
        sc->pos++;
        skip_space(sc);
        if (sc->pos >= sc->n || (sc->s[sc->pos] != '"' && sc->s[sc->pos] != '\''))
            return sc_fail(sc, CWMP_ERR_PARSE, "attribute value must be quoted");
        char q = sc->s[sc->pos++];
        for (;;) {
            if (sc->pos >= sc->n)
                return sc_fail(sc, CWMP_ERR_PARSE, "unterminated attribute value");
            char v = sc->s[sc->pos];
            if (v == q) {
                sc->pos++;
                break;
            }
            if (v == '<')
                return sc_fail(sc, CWMP_ERR_PARSE, "'<' in an attribute value");
            if (v == '&') {
                int rv = scan_ref(sc);
                if (rv)
                    return rv;
                continue;
            }
            advance(sc, 1);
        }
    }
    int empty = sc->s[sc->pos] == '/';
    if (empty) {
        if (sc->pos + 1 >= sc->n || sc->s[sc->pos + 1] != '>')
            return sc_fail(sc, CWMP_ERR_PARSE, "expected '/>'");
        sc->pos += 2;
    } else {
        sc->pos++;
    }
    /* Document shape. */
    if (sc->depth == 0) {
        if (++sc->roots > 1)
            return fail(sc->err, CWMP_ERR_PARSE, line, NULL, "more than one root element");
        if (nlen != 6 || memcmp(name, "cmFile", 6) != 0)
            return fail(sc->err, CWMP_ERR_PARSE, line, NULL, "the root element must be cmFile");
        sc->root_line = line;
    } else if (sc->depth == 1) {
        if (nlen != 5 || memcmp(name, "param", 5) != 0)
            return fail(sc->err, CWMP_ERR_PARSE, line, NULL,
                        "cmFile may only contain param elements");
        if (sc->params >= sc->max_params)
            return fail(sc->err, CWMP_ERR_LIMIT, line, NULL, "too many param elements");
        if (sc->params == sc->cap_lines) {
            size_t cap = sc->cap_lines ? sc->cap_lines * 2 : 64;
            int *p = ex_realloc(sc->alloc, sc->lines, cap * sizeof(int));
            if (!p)
                return fail(sc->err, CWMP_ERR_NOMEM, 0, NULL, "out of memory");
            sc->lines = p;
            sc->cap_lines = cap;
        }
        sc->lines[sc->params] = line;
        sc->params++;
    } else {
        return fail(sc->err, CWMP_ERR_PARSE, line, NULL, "a param may only contain text");
    }
    if (!empty) {
        sc->open_name[sc->depth] = name;
        sc->open_len[sc->depth] = nlen;
        sc->depth++;
    }
    return 0;
}

static int scan_end_tag(struct scan *sc)
{
    sc->pos += 2;
    const char *name = sc->s + sc->pos;
    size_t nlen = read_name(sc);
    skip_space(sc);
    if (!nlen || sc->pos >= sc->n || sc->s[sc->pos] != '>')
        return sc_fail(sc, CWMP_ERR_PARSE, "malformed end tag");
    sc->pos++;
    if (sc->depth == 0)
        return sc_fail(sc, CWMP_ERR_PARSE, "end tag without a start tag");
    sc->depth--;
    if (sc->open_len[sc->depth] != nlen || memcmp(sc->open_name[sc->depth], name, nlen) != 0)
        return sc_fail(sc, CWMP_ERR_PARSE, "end tag does not match the open element");
    return 0;
}

static int prescan(struct scan *sc)
{
    /* Encoding first, with the line of the first bad byte. */
    size_t ls = 0;
    int line = 1;
    for (size_t i = 0; i <= sc->n; i++) {
        if (i == sc->n || sc->s[i] == '\n') {
            if (!ex_text_ok(sc->s + ls, i - ls))
                return fail(sc->err, CWMP_ERR_ENCODING, line, NULL,
                            "not UTF-8, or a control character");
            ls = i + 1;
            line++;
        }
    }
    if (starts(sc, "\xef\xbb\xbf"))
        sc->pos = 3; /* UTF-8 byte order mark */
    if (starts(sc, "<?xml") && sc->pos + 5 < sc->n && is_space(sc->s[sc->pos + 5])) {
        const char *end = NULL;
        for (size_t i = sc->pos; i + 1 < sc->n; i++) {
            if (sc->s[i] == '?' && sc->s[i + 1] == '>') {
                end = sc->s + i;
                break;
            }
        }
        if (!end)
            return sc_fail(sc, CWMP_ERR_PARSE, "unterminated XML declaration");
        advance(sc, (size_t) (end - (sc->s + sc->pos)) + 2);
    }
    while (sc->pos < sc->n) {
        char c = sc->s[sc->pos];
        if (c == '<') {
            int rv;
            if (starts(sc, "<!--")) {
                size_t i = sc->pos + 4;
                while (i + 2 < sc->n && !(sc->s[i] == '-' && sc->s[i + 1] == '-'))
                    i++;
                if (i + 2 >= sc->n || sc->s[i + 2] != '>')
                    return sc_fail(sc, CWMP_ERR_PARSE, "unterminated comment or '--' inside it");
                advance(sc, i + 3 - sc->pos);
                continue;
            }
            if (starts(sc, "<!DOCTYPE") || starts(sc, "<!ENTITY"))
                return sc_fail(sc, CWMP_ERR_DTD, "DOCTYPE and entity declarations are refused");
            if (starts(sc, "<![CDATA["))
                return sc_fail(sc, CWMP_ERR_PARSE, "CDATA sections are not allowed");
            if (starts(sc, "<!") || starts(sc, "<?"))
                return sc_fail(sc, CWMP_ERR_PARSE,
                               "declarations and processing instructions are not allowed");
            if (starts(sc, "</"))
                rv = scan_end_tag(sc);
            else
                rv = scan_start_tag(sc);
            if (rv)
                return rv;
            continue;
        }
        if (c == '&') {
            if (sc->depth < 2)
                return sc_fail(sc, CWMP_ERR_PARSE, "text outside a param element");
            int rv = scan_ref(sc);
            if (rv)
                return rv;
            continue;
        }
        if (c == '>' && sc->depth < 2)
            return sc_fail(sc, CWMP_ERR_PARSE, "stray '>'");
        if (!is_space(c) && sc->depth < 2)
            return sc_fail(sc, CWMP_ERR_PARSE, "text outside a param element");
        advance(sc, 1);
    }
    if (sc->depth != 0)
        return sc_fail(sc, CWMP_ERR_PARSE, "unexpected end of file inside an element");
    if (sc->roots == 0)
        return sc_fail(sc, CWMP_ERR_PARSE, "no cmFile element");
    return 0;
}

/* ---- mxml (3.x and 4.x) -------------------------------------------------- */

#if MXML_MAJOR_VERSION >= 4
static void quiet_mxml(void *cbdata, const char *msg)
{
    (void) cbdata;
    (void) msg;
}

static mxml_node_t *load_tree(const char *text)
{
    /* a space in the name: no close tag of the document can match it */
    mxml_node_t *top = mxmlNewElement(MXML_NO_PARENT, "cmfile top");
    mxml_options_t *o = mxmlOptionsNew();
    if (!top || !o) {
        mxmlDelete(top);
        mxmlOptionsDelete(o);
        return NULL;
    }
    mxmlOptionsSetTypeValue(o, MXML_TYPE_OPAQUE);
    mxmlOptionsSetErrorCallback(o, quiet_mxml, NULL);
    mxml_node_t *t = mxmlLoadString(top, o, text);
    mxmlOptionsDelete(o);
    if (!t) {
        mxmlDelete(top);
        return NULL;
    }
    return top;
}
#define NODE_ELEMENT MXML_TYPE_ELEMENT
#define NODE_OPAQUE  MXML_TYPE_OPAQUE
#else
static void quiet_mxml(const char *msg)
{
    (void) msg;
}

static mxml_node_t *load_tree(const char *text)
{
    /* mxml 3 keeps its error callback per thread; installing our silent
     * one keeps the library from printing to stderr. */
    mxmlSetErrorCallback(quiet_mxml);
    /* An explicit top node: every top-level node (XML declaration,
     * comments, the root) becomes its child. */
    /* a space in the name: no close tag of the document can match it */
    mxml_node_t *top = mxmlNewElement(MXML_NO_PARENT, "cmfile top");
    if (!top)
        return NULL;
    if (!mxmlLoadString(top, text, MXML_OPAQUE_CALLBACK)) {
        mxmlDelete(top);
        return NULL;
    }
    return top;
}
#define NODE_ELEMENT MXML_ELEMENT
#define NODE_OPAQUE  MXML_OPAQUE
#endif

/* Element children that are real elements (mxml 3 reports comments and
 * the XML declaration as elements named "!--..." and "?xml..."). */
static int real_element(mxml_node_t *n)
{
    if (mxmlGetType(n) != NODE_ELEMENT)
        return 0;
    const char *name = mxmlGetElement(n);
    return name && name[0] != '!' && name[0] != '?';
}

static mxml_node_t *find_root(mxml_node_t *top)
{
    for (mxml_node_t *n = mxmlGetFirstChild(top); n; n = mxmlGetNextSibling(n))
        if (real_element(n) && strcmp(mxmlGetElement(n), "cmFile") == 0)
            return n;
    return NULL;
}

/* ---- parse --------------------------------------------------------------- */

void cmfile_free(struct cmfile *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->count; i++)
        ex_free(f->alloc, (void *) f->params[i].name); /* name and value share one block */
    ex_free(f->alloc, f->params);
    ex_free(f->alloc, f);
}

static int collect_text(mxml_node_t *param, struct ex_buf *b)
{
    for (mxml_node_t *c = mxmlGetFirstChild(param); c; c = mxmlGetNextSibling(c)) {
        if (mxmlGetType(c) == NODE_OPAQUE) {
            const char *t = mxmlGetOpaque(c);
            if (t)
                ex_buf_puts(b, t);
        }
    }
    return ex_buf_error(b);
}

static int compare_names(const void *a, const void *b)
{
    const struct cmfile_param *const *x = a, *const *y = b;
    return strcmp((*x)->name, (*y)->name);
}

static int build(struct cmfile *f, mxml_node_t *root, const int *lines, size_t nparams,
                 const struct cmfile_limits *lim, int root_line, struct cmfile_error *err)
{
    const char *version = mxmlElementGetAttr(root, "version");
    if (!version || strcmp(version, CMFILE_VERSION) != 0)
        return fail(err, CWMP_ERR_PARSE, root_line, NULL,
                    "cmFile needs version=\"" CMFILE_VERSION "\"");
    for (int i = 0; i < mxmlElementGetAttrCount(root); i++) {
        const char *an = NULL;
        mxmlElementGetAttrByIndex(root, i, &an);
        if (an && strcmp(an, "version") != 0 && strcmp(an, "xmlns") != 0)
            return fail(err, CWMP_ERR_PARSE, root_line, NULL, "unknown attribute on cmFile");
    }
    f->params = ex_calloc(f->alloc, nparams ? nparams : 1, sizeof(*f->params));
    if (!f->params)
        return fail(err, CWMP_ERR_NOMEM, 0, NULL, "out of memory");
    size_t i = 0;
    struct ex_buf b;
    ex_buf_init(&b, f->alloc, lim->max_value);
    for (mxml_node_t *p = mxmlGetFirstChild(root); p; p = mxmlGetNextSibling(p)) {
        if (!real_element(p))
            continue;
        if (i >= nparams) /* cannot happen after the pre-scan */
            return fail(err, CWMP_ERR_INTERNAL, 0, NULL, "param count mismatch");
        int line = lines[i];
        const char *name = mxmlElementGetAttr(p, "name");
        const char *tname = mxmlElementGetAttr(p, "type");
        for (int k = 0; k < mxmlElementGetAttrCount(p); k++) {
            const char *an = NULL;
            mxmlElementGetAttrByIndex(p, k, &an);
            if (an && strcmp(an, "name") != 0 && strcmp(an, "type") != 0)
                return fail(err, CWMP_ERR_PARSE, line, name, "unknown attribute on param");
        }
        if (!name)
            return fail(err, CWMP_ERR_PARSE, line, NULL, "param without a name attribute");
        if (!cmfile_name_ok(name))
            return fail(err, CWMP_ERR_BAD_VALUE, line, name,
                        "invalid parameter name (full path under Device. or "
                        "InternetGatewayDevice., at most 256 characters)");
        enum cmfile_type t = CMFILE_STRING;
        if (tname && cmfile_type_from_name(tname, &t) != 0)
            return fail(err, CWMP_ERR_BAD_VALUE, line, name, "unknown type");
        /* Usually one text node: use it in place; otherwise concatenate
         * (text split by comments). */
        mxml_node_t *only = NULL;
        int ntext = 0;
        for (mxml_node_t *c = mxmlGetFirstChild(p); c; c = mxmlGetNextSibling(c)) {
            if (mxmlGetType(c) == NODE_OPAQUE) {
                only = c;
                ntext++;
            }
        }
        const char *value = "";
        ex_buf_init(&b, f->alloc, lim->max_value);
        if (ntext == 1) {
            value = mxmlGetOpaque(only);
            if (!value)
                value = "";
            if (strlen(value) > lim->max_value)
                return fail(err, CWMP_ERR_LIMIT, line, name, "value too long");
        } else if (ntext > 1) {
            int rv = collect_text(p, &b);
            if (rv) {
                ex_buf_free(&b);
                return fail(err, rv, line, name,
                            rv == CWMP_ERR_LIMIT ? "value too long" : "out of memory");
            }
            value = b.data ? b.data : "";
        }
        size_t vlen = strlen(value);
        if (!cmfile_value_ok(t, value)) {
            ex_buf_free(&b);
            return fail(err, CWMP_ERR_BAD_VALUE, line, name, "value does not match its type");
        }
        size_t nlen = strlen(name);
        char *blk = ex_malloc(f->alloc, nlen + 1 + vlen + 1);
        if (!blk) {
            ex_buf_free(&b);
            return fail(err, CWMP_ERR_NOMEM, line, name, "out of memory");
        }
        memcpy(blk, name, nlen + 1);
        memcpy(blk + nlen + 1, value, vlen + 1);
        ex_buf_free(&b);
        f->params[i].name = blk;
        f->params[i].value = blk + nlen + 1;
        f->params[i].type = t;
        f->params[i].line = line;
        f->count = ++i;
    }
    /* Duplicates: sort pointers, compare neighbours, report the later line. */
    if (f->count > 1) {
        const struct cmfile_param **v = ex_calloc(f->alloc, f->count, sizeof(*v));
        if (!v)
            return fail(err, CWMP_ERR_NOMEM, 0, NULL, "out of memory");
        for (size_t k = 0; k < f->count; k++)
            v[k] = &f->params[k];
        qsort(v, f->count, sizeof(*v), compare_names);
        const struct cmfile_param *dup = NULL;
        for (size_t k = 1; k < f->count; k++) {
            if (strcmp(v[k - 1]->name, v[k]->name) == 0) {
                const struct cmfile_param *later = v[k]->line > v[k - 1]->line ? v[k] : v[k - 1];
                if (!dup || later->line < dup->line)
                    dup = later;
            }
        }
        int rv = 0;
        if (dup)
            rv = fail(err, CWMP_ERR_BAD_VALUE, dup->line, dup->name, "duplicate parameter name");
        ex_free(f->alloc, v);
        if (rv)
            return rv;
    }
    return 0;
}

int cmfile_parse(const char *data, size_t len, const struct cmfile_limits *lim_in,
                 const struct cwmp_allocator *alloc, struct cmfile **out, struct cmfile_error *err)
{
    if (err)
        memset(err, 0, sizeof(*err));
    if (out)
        *out = NULL;
    if (!out || (!data && len))
        return fail(err, CWMP_ERR_INVALID_ARG, 0, NULL, "invalid argument");
    struct cmfile_limits lim = {DEFAULT_MAX_BYTES, DEFAULT_MAX_PARAMS, DEFAULT_MAX_VALUE};
    if (lim_in) {
        if (lim_in->max_bytes)
            lim.max_bytes = lim_in->max_bytes;
        if (lim_in->max_params)
            lim.max_params = lim_in->max_params;
        if (lim_in->max_value)
            lim.max_value = lim_in->max_value;
    }
    if (len > lim.max_bytes)
        return fail(err, CWMP_ERR_LIMIT, 0, NULL, "file larger than the limit");
    if (!data)
        data = "";

    struct scan sc = {
        .s = data, .n = len, .line = 1, .max_params = lim.max_params, .err = err, .alloc = alloc};
    int rv = prescan(&sc);
    int *lines = sc.lines;
    size_t nparams = sc.params;
    char *text = NULL;
    struct cmfile *f = NULL;
    mxml_node_t *tree = NULL;
    if (rv)
        goto done;
    text = ex_strndup(alloc, data, len);
    f = ex_calloc(alloc, 1, sizeof(*f));
    if (f)
        f->alloc = alloc;
    if (!text || !f) {
        rv = fail(err, CWMP_ERR_NOMEM, 0, NULL, "out of memory");
        goto done;
    }

    tree = load_tree(text + (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0));
    mxml_node_t *root = tree ? find_root(tree) : NULL;
    if (!root) {
        rv = fail(err, CWMP_ERR_PARSE, 0, NULL, "the XML parser rejected the file");
        goto done;
    }
    rv = build(f, root, lines, nparams, &lim, sc.root_line, err);
done:
    if (tree)
        mxmlDelete(tree);
    ex_free(alloc, lines);
    ex_free(alloc, text);
    if (rv) {
        cmfile_free(f);
        return rv;
    }
    *out = f;
    return 0;
}

/* ---- write --------------------------------------------------------------- */

int cmfile_write(const struct cmfile_param *params, size_t n, const struct cwmp_allocator *alloc,
                 char **out, size_t *out_len, struct cmfile_error *err)
{
    if (err)
        memset(err, 0, sizeof(*err));
    if (out)
        *out = NULL;
    if (!out || (!params && n))
        return fail(err, CWMP_ERR_INVALID_ARG, 0, NULL, "invalid argument");
    for (size_t i = 0; i < n; i++) {
        const struct cmfile_param *p = &params[i];
        if (!cmfile_name_ok(p->name))
            return fail(err, CWMP_ERR_BAD_VALUE, 0, p->name, "invalid parameter name");
        if ((unsigned) p->type >= NTYPES)
            return fail(err, CWMP_ERR_BAD_VALUE, 0, p->name, "unknown type");
        if (!cmfile_value_ok(p->type, p->value))
            return fail(err, CWMP_ERR_BAD_VALUE, 0, p->name, "value does not match its type");
    }
    struct ex_buf b;
    ex_buf_init(&b, alloc, 0);
    ex_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cmFile version=\"" CMFILE_VERSION
                    "\">\n");
    for (size_t i = 0; i < n; i++) {
        ex_buf_puts(&b, "  <param name=\"");
        ex_buf_puts(&b, params[i].name); /* checked: nothing to escape */
        ex_buf_printf(&b, "\" type=\"%s\">", type_names[params[i].type]);
        ex_buf_xml(&b, params[i].value);
        ex_buf_puts(&b, "</param>\n");
    }
    ex_buf_puts(&b, "</cmFile>\n");
    int rv = ex_buf_error(&b);
    if (rv) {
        ex_buf_free(&b);
        return fail(err, rv, 0, NULL,
                    rv == CWMP_ERR_ENCODING ? "a value is not UTF-8 or holds control characters"
                                            : "out of memory");
    }
    *out = ex_buf_take(&b, out_len);
    return 0;
}
