/*
 * libcwmp - data model: the "cheap" subset of XML Schema regular expressions
 * used by TR-106 patterns (OUIs, IPv4 / MAC addresses, version strings).
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The pattern (trusted: it comes from the compiled schema) is compiled into
 * a small program and the value (hostile) is run through a Pike VM: time is
 * O(value length x program size) and memory is bounded, whatever the value.
 * Supported: literals, '.', escapes \d \D \w \W \s \S and escaped
 * metacharacters, classes [..] with ranges and negation, groups, '|', and
 * the quantifiers ? * + {n} {n,} {n,m}. Patterns outside that subset (class
 * subtraction, \p{..}, non-ASCII), values with non-ASCII bytes and programs
 * larger than DM_RX_MAX_PROG are not checked (accepted), as documented.
 * Anchoring is implicit (XML Schema patterns match the whole value).
 */
#include <string.h>

#include "dm.h"

#define DM_RX_MAX_PROG   2048
#define DM_RX_MAX_CLASS  256
#define DM_RX_MAX_REPEAT 64
#define DM_RX_MAX_DEPTH  32

enum { RX_CLASS, RX_SPLIT, RX_JMP, RX_MATCH };

struct rx_ins {
    uint8_t op;
    uint16_t cls; /* RX_CLASS: index of the 256-bit byte set */
    uint32_t x, y;
};

struct rx {
    const char *pat;
    struct rx_ins *prog; /* NULL while counting */
    uint8_t (*cls)[32];
    uint32_t n, ncls;
    int unsupported;
    int depth;
};

static uint32_t emit(struct rx *r, uint8_t op, uint32_t x, uint32_t y)
{
    if (r->n >= DM_RX_MAX_PROG) {
        r->unsupported = 1;
        return r->n;
    }
    if (r->prog) {
        r->prog[r->n].op = op;
        r->prog[r->n].x = x;
        r->prog[r->n].y = y;
        r->prog[r->n].cls = 0;
    }
    return r->n++;
}

static void patch(struct rx *r, uint32_t at, uint32_t x, uint32_t y)
{
    if (r->prog && at < DM_RX_MAX_PROG) {
        r->prog[at].x = x;
        r->prog[at].y = y;
    }
}

static void set_bit(uint8_t *set, unsigned c)
{
    set[c >> 3] |= (uint8_t) (1u << (c & 7));
}

static void set_range(uint8_t *set, unsigned a, unsigned b)
{
    for (unsigned c = a; c <= b; c++)
        set_bit(set, c);
}

/* ASCII parts of the XML Schema multi-character escapes. */
static int class_escape(char e, uint8_t *set)
{
    uint8_t tmp[32];
    int neg = 0;
    memset(tmp, 0, sizeof(tmp));
    switch (e) {
    case 'D': neg = 1; /* fall through */
    case 'd': set_range(tmp, '0', '9'); break;
    case 'W': neg = 1; /* fall through */
    case 'w':
        set_range(tmp, 'a', 'z');
        set_range(tmp, 'A', 'Z');
        set_range(tmp, '0', '9');
        for (const char *p = "$+<=>^`|~"; *p; p++)
            set_bit(tmp, (unsigned char) *p);
        break;
    case 'S': neg = 1; /* fall through */
    case 's':
        for (const char *p = " \t\r\n"; *p; p++)
            set_bit(tmp, (unsigned char) *p);
        break;
    default: return 0;
    }
    for (int i = 0; i < 32; i++)
        set[i] |= neg ? (uint8_t) ~tmp[i] : tmp[i];
    return 1;
}

static int single_escape(char e, unsigned *out)
{
    switch (e) {
    case 'n': *out = '\n'; return 1;
    case 'r': *out = '\r'; return 1;
    case 't': *out = '\t'; return 1;
    default:
        if (e && strchr("\\|.-^?*+{}()[]$", e)) {
            *out = (unsigned char) e;
            return 1;
        }
        return 0;
    }
}

/* Parses one atom at *pp into a byte set; returns 0 when unsupported. */
static int atom_set(const char **pp, const char *pe, uint8_t *set)
{
    const char *p = *pp;
    unsigned c;
    memset(set, 0, 32);
    if ((unsigned char) *p >= 0x80)
        return 0;
    if (*p == '.') {
        set_range(set, 0, 255);
        set['\n' >> 3] &= (uint8_t) ~(1u << ('\n' & 7));
        set['\r' >> 3] &= (uint8_t) ~(1u << ('\r' & 7));
        ++p;
    } else if (*p == '\\') {
        if (p + 1 >= pe)
            return 0;
        if (!class_escape(p[1], set)) {
            if (!single_escape(p[1], &c))
                return 0;
            set_bit(set, c);
        }
        p += 2;
    } else if (*p == '[') {
        int neg = 0;
        uint8_t tmp[32];
        memset(tmp, 0, sizeof(tmp));
        p++;
        if (p < pe && *p == '^') {
            neg = 1;
            p++;
        }
        if (p < pe && *p == ']')
            return 0; /* empty class */
        while (p < pe && *p != ']') {
            unsigned lo;
            if ((unsigned char) *p >= 0x80 || *p == '[')
                return 0;
            if (*p == '-' && p + 1 < pe && p[1] == '[')
                return 0; /* class subtraction */
            if (*p == '\\') {
                if (p + 1 >= pe)
                    return 0;
                if (class_escape(p[1], tmp)) {
                    p += 2;
                    continue;
                }
                if (!single_escape(p[1], &lo))
                    return 0;
                p += 2;
            } else {
                lo = (unsigned char) *p++;
            }
            if (p + 1 < pe && *p == '-' && p[1] != ']') {
                unsigned hi;
                p++;
                if (*p == '\\') {
                    if (p + 1 >= pe || !single_escape(p[1], &hi))
                        return 0;
                    p += 2;
                } else {
                    if ((unsigned char) *p >= 0x80 || *p == '[')
                        return 0;
                    hi = (unsigned char) *p++;
                }
                if (hi < lo)
                    return 0;
                set_range(tmp, lo, hi);
            } else {
                set_bit(tmp, lo);
            }
        }
        if (p >= pe)
            return 0;
        p++; /* ']' */
        for (int i = 0; i < 32; i++)
            set[i] = neg ? (uint8_t) ~tmp[i] : tmp[i];
    } else if (strchr("|)*+?{}]", *p)) {
        return 0;
    } else {
        set_bit(set, (unsigned char) *p++);
    }
    *pp = p;
    return 1;
}

static void compile_alt(struct rx *r, const char *p, const char *pe);

/* End of the group starting at p ('('), or NULL. */
static const char *group_end(const char *p, const char *pe)
{
    int depth = 0, in_class = 0;
    for (; p < pe; p++) {
        if (*p == '\\') {
            p++;
            continue;
        }
        if (in_class) {
            if (*p == ']')
                in_class = 0;
            continue;
        }
        if (*p == '[')
            in_class = 1;
        else if (*p == '(')
            depth++;
        else if (*p == ')' && --depth == 0)
            return p;
    }
    return NULL;
}

/* Emits one atom [a, b) once. */
static void emit_atom(struct rx *r, const char *a, const char *b)
{
    if (*a == '(') {
        if (++r->depth > DM_RX_MAX_DEPTH) {
            r->unsupported = 1;
            return;
        }
        compile_alt(r, a + 1, b - 1);
        r->depth--;
    } else {
        uint8_t set[32];
        const char *p = a;
        uint32_t at;
        if (!atom_set(&p, b, set) || p != b) {
            r->unsupported = 1;
            return;
        }
        at = emit(r, RX_CLASS, 0, 0);
        if (r->ncls >= DM_RX_MAX_CLASS) {
            r->unsupported = 1;
            return;
        }
        if (r->prog && at < DM_RX_MAX_PROG) {
            memcpy(r->cls[r->ncls], set, 32);
            r->prog[at].cls = (uint16_t) r->ncls;
        }
        r->ncls++;
    }
}

static void emit_optional(struct rx *r, const char *a, const char *b)
{
    uint32_t s = emit(r, RX_SPLIT, 0, 0);
    emit_atom(r, a, b);
    patch(r, s, s + 1, r->n);
}

static void emit_star(struct rx *r, const char *a, const char *b)
{
    uint32_t s = emit(r, RX_SPLIT, 0, 0);
    emit_atom(r, a, b);
    emit(r, RX_JMP, s, 0);
    patch(r, s, s + 1, r->n);
}

static int parse_uint(const char **pp, const char *pe, unsigned *out)
{
    const char *p = *pp;
    unsigned v = 0;
    if (p >= pe || *p < '0' || *p > '9')
        return 0;
    while (p < pe && *p >= '0' && *p <= '9') {
        v = v * 10 + (unsigned) (*p - '0');
        if (v > 1000)
            return 0;
        p++;
    }
    *pp = p;
    *out = v;
    return 1;
}

static void compile_concat(struct rx *r, const char *p, const char *pe)
{
    while (p < pe && !r->unsupported) {
        const char *a = p, *b;
        if (*p == '(') {
            const char *e = group_end(p, pe);
            if (!e) {
                r->unsupported = 1;
                return;
            }
            b = e + 1;
        } else {
            uint8_t set[32];
            b = p;
            if (!atom_set(&b, pe, set)) {
                r->unsupported = 1;
                return;
            }
        }
        p = b;
        if (p < pe && (*p == '?' || *p == '*' || *p == '+')) {
            char q = *p++;
            if (q == '?') {
                emit_optional(r, a, b);
            } else if (q == '*') {
                emit_star(r, a, b);
            } else {
                emit_atom(r, a, b);
                emit_star(r, a, b);
            }
        } else if (p < pe && *p == '{') {
            unsigned mn, mx;
            int unbounded = 0;
            p++;
            if (!parse_uint(&p, pe, &mn)) {
                r->unsupported = 1;
                return;
            }
            mx = mn;
            if (p < pe && *p == ',') {
                p++;
                if (p < pe && *p == '}')
                    unbounded = 1;
                else if (!parse_uint(&p, pe, &mx) || mx < mn) {
                    r->unsupported = 1;
                    return;
                }
            }
            if (p >= pe || *p != '}' || mx > DM_RX_MAX_REPEAT) {
                r->unsupported = 1;
                return;
            }
            p++;
            for (unsigned k = 0; k < mn && !r->unsupported; k++)
                emit_atom(r, a, b);
            if (unbounded)
                emit_star(r, a, b);
            else
                for (unsigned k = mn; k < mx && !r->unsupported; k++)
                    emit_optional(r, a, b);
        } else {
            emit_atom(r, a, b);
        }
    }
}

/* e1|e2|…: SPLIT L1 next; L1: e1; JMP end; next: … */
static void compile_alt(struct rx *r, const char *p, const char *pe)
{
    const char *q = p;
    int depth = 0, in_class = 0;
    /* find the first top-level '|' */
    for (; q < pe; q++) {
        if (*q == '\\') {
            q++;
            continue;
        }
        if (in_class) {
            if (*q == ']')
                in_class = 0;
            continue;
        }
        if (*q == '[')
            in_class = 1;
        else if (*q == '(')
            depth++;
        else if (*q == ')')
            depth--;
        else if (*q == '|' && depth == 0)
            break;
    }
    if (q >= pe) {
        compile_concat(r, p, pe);
        return;
    }
    uint32_t s = emit(r, RX_SPLIT, 0, 0);
    compile_concat(r, p, q);
    uint32_t j = emit(r, RX_JMP, 0, 0);
    uint32_t second = r->n;
    compile_alt(r, q + 1, pe);
    patch(r, s, s + 1, second);
    patch(r, j, r->n, 0);
}

/* Adds pc and what it reaches through SPLIT/JMP to list (marks by gen). */
static void add_thread(const struct rx_ins *prog, uint32_t *list, uint32_t *n, uint32_t *mark,
                       uint32_t gen, uint32_t pc, uint32_t *stack)
{
    uint32_t sp = 0;
    stack[sp++] = pc;
    while (sp) {
        uint32_t x = stack[--sp];
        if (mark[x] == gen)
            continue;
        mark[x] = gen;
        if (prog[x].op == RX_JMP) {
            stack[sp++] = prog[x].x;
        } else if (prog[x].op == RX_SPLIT) {
            stack[sp++] = prog[x].y;
            stack[sp++] = prog[x].x;
        } else {
            list[(*n)++] = x;
        }
    }
}

int cwmp__dm_pattern_match(const struct cwmp_allocator *alloc, const char *pattern, const char *v,
                           size_t len)
{
    struct rx r;
    size_t plen = strlen(pattern);
    int matched = 0;
    if (plen == 0)
        return len == 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char) v[i] >= 0x80)
            return 1; /* not checked: the subset is ASCII-only */
    /* pass 1: size */
    memset(&r, 0, sizeof(r));
    r.pat = pattern;
    compile_alt(&r, pattern, pattern + plen);
    emit(&r, RX_MATCH, 0, 0);
    if (r.unsupported)
        return 1;
    {
        uint32_t n = r.n, ncls = r.ncls;
        size_t bytes =
            n * sizeof(struct rx_ins) + (size_t) ncls * 32 + (5u * n + 1) * sizeof(uint32_t);
        char *mem = cwmp__malloc(alloc, bytes);
        uint32_t *clist, *nlist, *mark, *stack, cn = 0, nn = 0, gen = 1;
        if (!mem)
            return CWMP_ERR_NOMEM;
        memset(&r, 0, sizeof(r));
        r.prog = (struct rx_ins *) mem;
        r.cls = (uint8_t(*)[32])(mem + n * sizeof(struct rx_ins));
        clist = (uint32_t *) (mem + n * sizeof(struct rx_ins) + (size_t) ncls * 32);
        nlist = clist + n;
        mark = nlist + n;
        stack = mark + n; /* 2n: a SPLIT pushes two */
        memset(mark, 0, n * sizeof(uint32_t));
        compile_alt(&r, pattern, pattern + plen);
        emit(&r, RX_MATCH, 0, 0);
        add_thread(r.prog, clist, &cn, mark, gen, 0, stack);
        for (size_t i = 0; i <= len && cn; i++) {
            unsigned c = i < len ? (unsigned char) v[i] : 0;
            gen++;
            nn = 0;
            for (uint32_t k = 0; k < cn; k++) {
                const struct rx_ins *in = &r.prog[clist[k]];
                if (in->op == RX_MATCH) {
                    if (i == len)
                        matched = 1;
                } else if (i < len && in->op == RX_CLASS &&
                           (r.cls[in->cls][c >> 3] & (1u << (c & 7)))) {
                    add_thread(r.prog, nlist, &nn, mark, gen, clist[k] + 1, stack);
                }
            }
            uint32_t *t = clist;
            clist = nlist;
            nlist = t;
            cn = nn;
        }
        cwmp__free(alloc, mem);
    }
    return matched;
}
