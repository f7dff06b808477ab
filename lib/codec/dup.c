/*
 * libcwmp - deep copies of envelopes and RPCs into a fresh arena, driven by
 * the message descriptors.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "codec_internal.h"

const struct cwmp__sdesc *cwmp__variant_desc(const struct cwmp__sdesc *sd, const void *base)
{
    if (!sd->nvariants)
        return sd;
    int v;
    memcpy(&v, (const char *) base + sd->variant_off, sizeof(v));
    for (unsigned i = 0; i < sd->nvariants; i++)
        if (sd->variants[i].value == v)
            return sd->variants[i].desc;
    return NULL;
}

static int dup_str(struct cwmp_arena *ar, void *dst, size_t off)
{
    const char *s = cwmp__get_ptr(dst, off);
    if (!s)
        return 0;
    char *c = cwmp__arena_strdup(ar, s);
    if (!c)
        return CWMP_ERR_NOMEM;
    cwmp__set_ptr(dst, off, c);
    return 0;
}

static int dup_fields(struct cwmp_arena *ar, const struct cwmp__sdesc *sd, void *dst);

static int dup_item(struct cwmp_arena *ar, const struct cwmp__field *it, void *item)
{
    if (it->kind != FK_STRUCT)
        return dup_str(ar, item, 0);
    const struct cwmp__sdesc *sd = it->sub;
    if (sd->nvariants) {
        /* Copy the members of every variant, so nothing points back into
         * the source whatever the caller filled in. */
        for (unsigned i = 0; i < sd->nvariants; i++) {
            const struct cwmp__sdesc *vd = sd->variants[i].desc;
            for (unsigned j = 0; j < vd->nfields; j++) {
                const struct cwmp__field *f = &vd->fields[j];
                int seen = 0;
                for (unsigned k = 0; k < i && !seen; k++)
                    for (unsigned l = 0; l < sd->variants[k].desc->nfields; l++)
                        if (sd->variants[k].desc->fields[l].off == f->off)
                            seen = 1;
                for (unsigned l = 0; l < j && !seen; l++)
                    if (vd->fields[l].off == f->off)
                        seen = 1;
                if (!seen && dup_str(ar, item, f->off))
                    return CWMP_ERR_NOMEM;
            }
        }
        return 0;
    }
    return dup_fields(ar, sd, item);
}

/* @p dst holds a shallow copy; replace every pointer by a deep copy. */
static int dup_fields(struct cwmp_arena *ar, const struct cwmp__sdesc *sd, void *dst)
{
    char *base = dst;
    for (unsigned i = 0; i < sd->nfields; i++) {
        const struct cwmp__field *f = &sd->fields[i];
        switch (f->kind) {
        case FK_STR:
        case FK_DATETIME:
        case FK_BASE64:
            if (dup_str(ar, base, f->off))
                return CWMP_ERR_NOMEM;
            break;
        case FK_PVALUE:
            if (dup_str(ar, base, f->off) || dup_str(ar, base, f->off3))
                return CWMP_ERR_NOMEM;
            break;
        case FK_STRUCT:
            if (dup_item(ar, f, base + f->off))
                return CWMP_ERR_NOMEM;
            break;
        case FK_ARRAY:
        case FK_REPEAT: {
            const char *items = cwmp__get_ptr(base, f->off);
            size_t count;
            memcpy(&count, base + f->off2, sizeof(count));
            if (!items || !count) {
                cwmp__set_ptr(base, f->off, NULL);
                size_t z = 0;
                memcpy(base + f->off2, &z, sizeof(z));
                break;
            }
            if (count > SIZE_MAX / f->item_size)
                return CWMP_ERR_NOMEM;
            char *c = cwmp__arena_alloc(ar, count * f->item_size);
            if (!c)
                return CWMP_ERR_NOMEM;
            memcpy(c, items, count * f->item_size);
            cwmp__set_ptr(base, f->off, c);
            for (size_t k = 0; k < count; k++)
                if (dup_item(ar, f->item, c + k * f->item_size))
                    return CWMP_ERR_NOMEM;
            break;
        }
        default: break;
        }
    }
    return 0;
}

int cwmp__dup_struct(struct cwmp_arena *ar, const struct cwmp__sdesc *sd, const void *src,
                     void *dst)
{
    (void) src;
    return dup_fields(ar, sd, dst);
}

int cwmp__dup_rpc(struct cwmp_arena *ar, const struct cwmp_rpc *src, struct cwmp_rpc *dst)
{
    *dst = *src;
    if (src->kind == CWMP_RPC_FAULT)
        return dup_fields(ar, &cwmp__fault_desc, &dst->u.fault);
    if (src->method == CWMP_METHOD_VENDOR) {
        struct cwmp_vendor_method *v = &dst->u.vendor;
        if (dup_str(ar, v, offsetof(struct cwmp_vendor_method, name)) ||
            dup_str(ar, v, offsetof(struct cwmp_vendor_method, ns)))
            return CWMP_ERR_NOMEM;
        if (v->xml) {
            char *x = cwmp__arena_strndup(ar, v->xml, v->xml_len);
            if (!x)
                return CWMP_ERR_NOMEM;
            v->xml = x;
        }
        return 0;
    }
    const struct cwmp__msg_desc *m = cwmp__msg_by_method(src->method, src->kind);
    if (!m)
        return CWMP_ERR_INVALID_ARG;
    if (!m->body) {
        memset(&dst->u, 0, sizeof(dst->u));
        return 0;
    }
    return dup_fields(ar, m->body, &dst->u);
}

int cwmp_rpc_dup(const struct cwmp_rpc *src, const struct cwmp_allocator *alloc,
                 struct cwmp_rpc **out)
{
    if (!out)
        return CWMP_ERR_INVALID_ARG;
    *out = NULL;
    if (!src)
        return CWMP_ERR_INVALID_ARG;
    struct cwmp_arena ar;
    cwmp__arena_init(&ar, alloc, 1024, 0);
    struct cwmp__rpc_priv *rp = cwmp__arena_calloc(&ar, 1, sizeof(*rp));
    int rv = rp ? cwmp__dup_rpc(&ar, src, &rp->rpc) : CWMP_ERR_NOMEM;
    if (rv) {
        cwmp__arena_free(&ar);
        return rv;
    }
    rp->arena = ar;
    *out = &rp->rpc;
    return 0;
}

void cwmp_rpc_free(struct cwmp_rpc *rpc)
{
    if (!rpc)
        return;
    struct cwmp_arena ar = ((struct cwmp__rpc_priv *) rpc)->arena;
    cwmp__arena_free(&ar);
}

int cwmp_envelope_dup(const struct cwmp_envelope *src, const struct cwmp_allocator *alloc,
                      struct cwmp_envelope **out)
{
    if (!out)
        return CWMP_ERR_INVALID_ARG;
    *out = NULL;
    if (!src)
        return CWMP_ERR_INVALID_ARG;
    struct cwmp_arena ar;
    cwmp__arena_init(&ar, alloc, 1024, 0);
    struct cwmp__envelope_priv *ep = cwmp__arena_calloc(&ar, 1, sizeof(*ep));
    int rv = ep ? 0 : CWMP_ERR_NOMEM;
    if (!rv) {
        struct cwmp_envelope *e = &ep->env;
        e->version = src->version;
        e->header = src->header;
        rv = dup_fields(&ar, &cwmp__header_desc, &e->header);
    }
    if (!rv)
        rv = cwmp__dup_rpc(&ar, &src->rpc, &ep->env.rpc);
    if (!rv && src->warning_count && src->warnings) {
        struct cwmp_warning *w = cwmp__arena_calloc(&ar, src->warning_count, sizeof(*w));
        if (!w)
            rv = CWMP_ERR_NOMEM;
        for (size_t i = 0; !rv && i < src->warning_count; i++) {
            w[i] = src->warnings[i];
            if (w[i].element && !(w[i].element = cwmp__arena_strdup(&ar, w[i].element)))
                rv = CWMP_ERR_NOMEM;
        }
        ep->env.warnings = w;
        ep->env.warning_count = src->warning_count;
    }
    if (rv) {
        cwmp__arena_free(&ar);
        return rv;
    }
    ep->arena = ar;
    *out = &ep->env;
    return 0;
}
