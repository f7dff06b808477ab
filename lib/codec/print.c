/*
 * libcwmp - canonical human-readable dump of an envelope, driven by the
 * message descriptors: one "Path: value" line per field. No allocation:
 * everything goes straight to the caller's write function.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>

#include "codec_internal.h"

struct pr {
    cwmp_write_fn w;
    void *ud;
    int rv;
    char path[512];
    size_t plen;
};

static void out(struct pr *p, const char *s, size_t n)
{
    if (!p->rv && n)
        p->rv = p->w(s, n, p->ud);
}

static void outs(struct pr *p, const char *s)
{
    out(p, s, strlen(s));
}

static void out_u64(struct pr *p, uint64_t v)
{
    char t[24];
    int n = snprintf(t, sizeof(t), "%llu", (unsigned long long) v);
    out(p, t, (size_t) n);
}

static void out_i64(struct pr *p, int64_t v)
{
    char t[24];
    int n = snprintf(t, sizeof(t), "%lld", (long long) v);
    out(p, t, (size_t) n);
}

/* A quoted string: \" \\ \n \r \t and \xNN for other control bytes. */
static void out_quoted(struct pr *p, const char *s)
{
    outs(p, "\"");
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char) *s;
        if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
            continue;
        out(p, run, (size_t) (s - run));
        char e[5];
        switch (c) {
        case '"': outs(p, "\\\""); break;
        case '\\': outs(p, "\\\\"); break;
        case '\n': outs(p, "\\n"); break;
        case '\r': outs(p, "\\r"); break;
        case '\t': outs(p, "\\t"); break;
        default: snprintf(e, sizeof(e), "\\x%02x", c); outs(p, e);
        }
        run = s + 1;
    }
    out(p, run, (size_t) (s - run));
    outs(p, "\"");
}

static size_t path_push(struct pr *p, const char *name, long index)
{
    size_t old = p->plen;
    int n;
    if (index >= 0)
        n = snprintf(p->path + p->plen, sizeof(p->path) - p->plen, "[%ld]", index);
    else
        n = snprintf(p->path + p->plen, sizeof(p->path) - p->plen, "%s%s", p->plen ? "." : "",
                     name);
    if (n > 0)
        p->plen += (size_t) n;
    if (p->plen >= sizeof(p->path))
        p->plen = sizeof(p->path) - 1;
    return old;
}

static void path_pop(struct pr *p, size_t old)
{
    p->plen = old;
    p->path[old] = '\0';
}

static void line_start(struct pr *p)
{
    out(p, p->path, p->plen);
    outs(p, ": ");
}

static void pr_struct(struct pr *p, const struct cwmp__sdesc *sd, const char *base);

static void pr_leaf(struct pr *p, const struct cwmp__field *f, const char *base)
{
    const char *ptr = base + f->off;
    switch (f->kind) {
    case FK_STR:
    case FK_DATETIME:
    case FK_BASE64: {
        const char *s = cwmp__get_ptr(base, f->off);
        if (!s && f->check == CK_DEFAULT_FAULT_STRING) {
            /* What the encoder writes (and rpc.h documents) for NULL. */
            int code;
            memcpy(&code, base + f->off2, sizeof(code));
            s = cwmp_fault_string(code);
        }
        if (!s)
            return;
        line_start(p);
        out_quoted(p, s);
        break;
    }
    case FK_PVALUE: {
        const char *s = cwmp__get_ptr(base, f->off);
        enum cwmp_type t;
        memcpy(&t, base + f->off2, sizeof(t));
        line_start(p);
        /* No xsi:type means string (the encoder writes xsd:string). */
        if (t == CWMP_TYPE_NONE) {
            outs(p, "xsd:string ");
        } else if (t == CWMP_TYPE_OTHER) {
            const char *o = cwmp__get_ptr(base, f->off3);
            outs(p, o ? o : "(other)");
            outs(p, " ");
        } else {
            outs(p, cwmp_type_name(t));
            outs(p, " ");
        }
        if (s)
            out_quoted(p, s);
        else
            outs(p, "(null)");
        break;
    }
    case FK_INT: {
        int v;
        memcpy(&v, ptr, sizeof(v));
        line_start(p);
        out_i64(p, v);
        break;
    }
    case FK_UINT: {
        uint32_t v;
        memcpy(&v, ptr, sizeof(v));
        if ((f->flags & FL_PRESENT)) {
            bool has;
            memcpy(&has, base + f->off2, sizeof(has));
            if (!has)
                return;
        }
        line_start(p);
        out_u64(p, v);
        break;
    }
    case FK_BOOL: {
        bool v;
        memcpy(&v, ptr, sizeof(v));
        if ((f->flags & FL_PRESENT)) {
            bool has;
            memcpy(&has, base + f->off2, sizeof(has));
            if (!has)
                return;
        }
        line_start(p);
        outs(p, v ? "true" : "false");
        break;
    }
    default: return;
    }
    outs(p, "\n");
}

static void pr_item(struct pr *p, const struct cwmp__field *it, const char *item)
{
    if (it->kind != FK_STRUCT) {
        /* The path already names the item: print the leaf without a name. */
        struct cwmp__field f = *it;
        pr_leaf(p, &f, item);
        return;
    }
    const struct cwmp__sdesc *sd = it->sub;
    if (sd->nvariants) {
        const struct cwmp__sdesc *vd = cwmp__variant_desc(sd, item);
        size_t o = path_push(p, "xsi:type", -1);
        line_start(p);
        outs(p, vd ? vd->name : "?");
        outs(p, "\n");
        path_pop(p, o);
        if (!vd)
            return;
        sd = vd;
    }
    pr_struct(p, sd, item);
}

static void pr_field(struct pr *p, const struct cwmp__field *f, const char *base)
{
    size_t o = path_push(p, f->name, -1);
    switch (f->kind) {
    case FK_STRUCT: pr_struct(p, f->sub, base + f->off); break;
    case FK_ARRAY:
    case FK_REPEAT: {
        const char *items = cwmp__get_ptr(base, f->off);
        size_t count;
        memcpy(&count, base + f->off2, sizeof(count));
        line_start(p);
        out_u64(p, count);
        outs(p, count == 1 ? " item\n" : " items\n");
        for (size_t i = 0; items && i < count; i++) {
            size_t o2 = path_push(p, "", (long) i);
            pr_item(p, f->item, items + i * f->item_size);
            path_pop(p, o2);
        }
        break;
    }
    default: pr_leaf(p, f, base);
    }
    path_pop(p, o);
}

static void pr_struct(struct pr *p, const struct cwmp__sdesc *sd, const char *base)
{
    for (unsigned i = 0; i < sd->nfields && !p->rv; i++)
        pr_field(p, &sd->fields[i], base);
}

static const char *const version_str[] = {"1.0", "1.1", "1.2", "1.3", "1.4"};

int cwmp_envelope_print(const struct cwmp_envelope *env, cwmp_write_fn w, void *ud)
{
    if (!env || !w)
        return CWMP_ERR_INVALID_ARG;
    struct pr p;
    memset(&p, 0, sizeof(p));
    p.w = w;
    p.ud = ud;
    outs(&p, "CWMP-Version: ");
    outs(&p, (unsigned) env->version <= CWMP_V1_4 ? version_str[env->version] : "?");
    outs(&p, "\n");

    const struct cwmp_header *h = &env->header;
    if (h->id) {
        outs(&p, "Header.ID: ");
        out_quoted(&p, h->id);
        outs(&p, "\n");
    }
    size_t o = path_push(&p, "Header", -1);
    for (unsigned i = 1; i < cwmp__header_desc.nfields; i++) {
        const struct cwmp__field *f = &cwmp__header_desc.fields[i];
        if (f->kind == FK_BOOL && !(f->flags & FL_PRESENT)) {
            bool v;
            memcpy(&v, (const char *) h + f->off, sizeof(v));
            if (!v)
                continue;
        }
        pr_field(&p, f, (const char *) h);
    }
    path_pop(&p, o);

    const struct cwmp_rpc *rpc = &env->rpc;
    if (rpc->kind == CWMP_RPC_FAULT) {
        outs(&p, "Method: Fault\n");
        o = path_push(&p, "Fault", -1);
        pr_struct(&p, &cwmp__fault_desc, (const char *) &rpc->u.fault);
        path_pop(&p, o);
    } else if (rpc->method == CWMP_METHOD_VENDOR) {
        const struct cwmp_vendor_method *v = &rpc->u.vendor;
        outs(&p, "Method: ");
        outs(&p, v->name ? v->name : "?");
        outs(&p, rpc->kind == CWMP_RPC_RESPONSE ? " (vendor response)\n" : " (vendor request)\n");
        if (v->ns) {
            outs(&p, "Vendor.Namespace: ");
            out_quoted(&p, v->ns);
            outs(&p, "\n");
        }
        outs(&p, "Vendor.XML: ");
        out_quoted(&p, v->xml ? v->xml : "");
        outs(&p, "\n");
    } else {
        const struct cwmp__msg_desc *m = cwmp__msg_by_method(rpc->method, rpc->kind);
        if (!m) {
            outs(&p, "Method: ?\n");
        } else {
            outs(&p, "Method: ");
            outs(&p, m->elem);
            outs(&p, "\n");
            if (m->body) {
                o = path_push(&p, m->elem, -1);
                pr_struct(&p, m->body, (const char *) &rpc->u);
                path_pop(&p, o);
            }
        }
    }
    for (size_t i = 0; i < env->warning_count && env->warnings; i++) {
        const struct cwmp_warning *wn = &env->warnings[i];
        outs(&p, "Warning: ");
        outs(&p, cwmp_warning_name(wn->code));
        outs(&p, " at ");
        outs(&p, wn->element ? wn->element : "?");
        outs(&p, ": ");
        outs(&p, wn->text ? wn->text : "");
        outs(&p, "\n");
    }
    return p.rv;
}
