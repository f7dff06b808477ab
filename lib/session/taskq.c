/*
 * libcwmp - the ACS per-device task queue: RPCs waiting for a device's next
 * session, persisted as SOAP envelopes through the app's save hook.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <cwmp/acs.h>

#include "session_internal.h"

#define DEVICE_MAX 256

struct task {
    uint64_t id;
    char *device;
    struct cwmp_rpc *rpc;
    bool urgent;
    enum cwmp_task_state state;
    uint32_t fault;
};

struct cwmp_task_queue {
    const struct cwmp_allocator *alloc;
    struct cwmp_task_hooks hooks;
    struct task *t;
    size_t n, cap, max;
    uint64_t next_id;
};

int cwmp_task_queue_new(struct cwmp_task_queue **out, const struct cwmp_allocator *alloc,
                        const struct cwmp_task_hooks *hooks, size_t max_tasks)
{
    struct cwmp_task_queue *q;

    if (!out)
        return CWMP_ERR_INVALID_ARG;
    *out = NULL;
    alloc = cwmp__alloc_or_default(alloc);
    q = cwmp__calloc(alloc, 1, sizeof(*q));
    if (!q)
        return CWMP_ERR_NOMEM;
    q->alloc = alloc;
    if (hooks)
        q->hooks = *hooks;
    q->max = max_tasks ? max_tasks : 10000;
    q->next_id = 1;
    *out = q;
    return 0;
}

static void task_free(struct cwmp_task_queue *q, struct task *t)
{
    cwmp__free(q->alloc, t->device);
    cwmp_rpc_free(t->rpc);
}

static void remove_at(struct cwmp_task_queue *q, size_t i)
{
    task_free(q, &q->t[i]);
    memmove(&q->t[i], &q->t[i + 1], (q->n - i - 1) * sizeof(q->t[0]));
    q->n--;
}

void cwmp_task_queue_free(struct cwmp_task_queue *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->n; i++)
        task_free(q, &q->t[i]);
    cwmp__free(q->alloc, q->t);
    cwmp__free(q->alloc, q);
}

static void view(const struct task *t, struct cwmp_task *o)
{
    o->id = t->id;
    o->device = t->device;
    o->rpc = t->rpc;
    o->urgent = t->urgent;
    o->state = t->state;
    o->fault_code = t->fault;
}

static void persist(struct cwmp_task_queue *q)
{
    char *data;
    size_t len;

    if (!q->hooks.save)
        return;
    if (cwmp_task_queue_save(q, &data, &len) != 0)
        return;
    (void) q->hooks.save(data, len, q->hooks.user_data);
    cwmp__free(q->alloc, data);
}

/* Appends a task taking ownership of device and rpc (freed on failure). */
static int append(struct cwmp_task_queue *q, uint64_t id, char *device, struct cwmp_rpc *rpc,
                  bool urgent, enum cwmp_task_state st, uint32_t fault)
{
    struct task *t;

    if (q->n >= q->max || (q->n == q->cap && q->cap >= (SIZE_MAX / 2) / sizeof(*t))) {
        cwmp__free(q->alloc, device);
        cwmp_rpc_free(rpc);
        return CWMP_ERR_LIMIT;
    }
    if (q->n == q->cap) {
        size_t nc = q->cap ? q->cap * 2 : 8;
        struct task *nt = cwmp__realloc(q->alloc, q->t, nc * sizeof(*nt));
        if (!nt) {
            cwmp__free(q->alloc, device);
            cwmp_rpc_free(rpc);
            return CWMP_ERR_NOMEM;
        }
        q->t = nt;
        q->cap = nc;
    }
    t = &q->t[q->n++];
    t->id = id;
    t->device = device;
    t->rpc = rpc;
    t->urgent = urgent;
    t->state = st;
    t->fault = fault;
    if (id >= q->next_id)
        q->next_id = id + 1;
    return 0;
}

int cwmp_task_queue_add(struct cwmp_task_queue *q, const char *device, const struct cwmp_rpc *rpc,
                        bool urgent, uint64_t *id)
{
    struct cwmp_rpc *copy;
    char *dev;
    uint64_t nid;
    int rv;

    if (!q || !device || !*device || strlen(device) > DEVICE_MAX || !rpc ||
        rpc->kind != CWMP_RPC_REQUEST || !cwmp_method_is_cpe_method(rpc->method))
        return CWMP_ERR_INVALID_ARG;
    if (q->n >= q->max)
        return CWMP_ERR_LIMIT;
    dev = cwmp__strdup(q->alloc, device);
    if (!dev)
        return CWMP_ERR_NOMEM;
    rv = cwmp_rpc_dup(rpc, q->alloc, &copy);
    if (rv) {
        cwmp__free(q->alloc, dev);
        return rv;
    }
    nid = q->next_id;
    rv = append(q, nid, dev, copy, urgent, CWMP_TASK_PENDING, 0);
    if (rv)
        return rv;
    if (id)
        *id = nid;
    persist(q);
    if (urgent && q->hooks.connection_request)
        q->hooks.connection_request(device, q->hooks.user_data);
    return 0;
}

size_t cwmp_task_queue_count(const struct cwmp_task_queue *q)
{
    return q ? q->n : 0;
}

size_t cwmp_task_queue_pending(const struct cwmp_task_queue *q, const char *device)
{
    size_t n = 0;
    for (size_t i = 0; q && device && i < q->n; i++)
        n += q->t[i].state == CWMP_TASK_PENDING && strcmp(q->t[i].device, device) == 0;
    return n;
}

static struct task *by_id(const struct cwmp_task_queue *q, uint64_t id)
{
    for (size_t i = 0; q && i < q->n; i++)
        if (q->t[i].id == id)
            return &q->t[i];
    return NULL;
}

int cwmp_task_queue_get(const struct cwmp_task_queue *q, uint64_t id, struct cwmp_task *out)
{
    struct task *t = by_id(q, id);
    if (!t || !out)
        return CWMP_ERR_NOT_FOUND;
    view(t, out);
    return 0;
}

int cwmp_task_queue_next(struct cwmp_task_queue *q, const char *device,
                         struct cwmp_acs_request *req)
{
    if (!q || !device || !req)
        return 0;
    for (size_t i = 0; i < q->n; i++) {
        struct task *t = &q->t[i];
        if (t->state == CWMP_TASK_PENDING && strcmp(t->device, device) == 0) {
            t->state = CWMP_TASK_SENT;
            req->rpc = *t->rpc;
            req->tag = t->id;
            return 1;
        }
    }
    return 0;
}

int cwmp_task_queue_result(struct cwmp_task_queue *q, uint64_t tag, const struct cwmp_rpc *resp)
{
    struct task *t = by_id(q, tag);
    struct cwmp_task v;

    if (!t || !resp)
        return CWMP_ERR_NOT_FOUND;
    if (resp->kind == CWMP_RPC_FAULT) {
        t->state = CWMP_TASK_FAULT;
        t->fault = resp->u.fault.code;
    } else {
        t->state = CWMP_TASK_DONE;
        t->fault = 0;
    }
    view(t, &v);
    if (q->hooks.result)
        q->hooks.result(&v, resp, q->hooks.user_data);
    persist(q);
    return 0;
}

void cwmp_task_queue_session_failed(struct cwmp_task_queue *q, const char *device)
{
    bool changed = false;
    for (size_t i = 0; q && device && i < q->n; i++) {
        if (q->t[i].state == CWMP_TASK_SENT && strcmp(q->t[i].device, device) == 0) {
            q->t[i].state = CWMP_TASK_PENDING;
            changed = true;
        }
    }
    if (changed)
        persist(q);
}

size_t cwmp_task_queue_purge(struct cwmp_task_queue *q)
{
    size_t removed = 0;
    for (size_t i = 0; q && i < q->n;) {
        if (q->t[i].state == CWMP_TASK_DONE || q->t[i].state == CWMP_TASK_FAULT) {
            remove_at(q, i);
            removed++;
        } else {
            i++;
        }
    }
    if (removed)
        persist(q);
    return removed;
}

/* ---- persistence: "<id> <urgent> <state> <fault> <device> <envelope>" ------- */

int cwmp_task_queue_save(const struct cwmp_task_queue *q, char **data, size_t *len)
{
    struct cwmp_codec_options o;
    struct cwmp_buf b;
    int rv = 0;

    if (!q || !data || !len)
        return CWMP_ERR_INVALID_ARG;
    cwmp_codec_options_init(&o);
    o.allocator = q->alloc;
    cwmp__buf_init(&b, q->alloc, 0);
    cwmp__buf_puts(&b, "cwmp-tasks 1\n");
    for (size_t i = 0; i < q->n && rv == 0; i++) {
        const struct task *t = &q->t[i];
        struct cwmp_envelope env;
        char *xml;
        size_t xlen;

        memset(&env, 0, sizeof(env));
        env.version = CWMP_V1_2;
        env.rpc = *t->rpc;
        rv = cwmp_envelope_encode(&env, &o, &xml, &xlen, NULL, 0);
        if (rv)
            break;
        cwmp__buf_put_u64(&b, t->id);
        cwmp__buf_puts(&b, t->urgent ? " 1 " : " 0 ");
        cwmp__buf_put_u64(&b, (uint64_t) t->state);
        cwmp__buf_putc(&b, ' ');
        cwmp__buf_put_u64(&b, t->fault);
        cwmp__buf_putc(&b, ' ');
        cwmp__esc_put(&b, t->device);
        cwmp__buf_putc(&b, ' ');
        cwmp__esc_put(&b, xml);
        cwmp__buf_putc(&b, '\n');
        cwmp_encoded_free(&o, xml);
    }
    if (rv == 0)
        rv = b.err;
    if (rv) {
        cwmp__buf_free(&b);
        return rv;
    }
    *data = cwmp__buf_detach(&b, len);
    return 0;
}

int cwmp_task_queue_load(struct cwmp_task_queue *q, const char *data, size_t len)
{
    struct cwmp_codec_options o;
    struct cwmp__lines ln;
    struct cwmp__field f[6];
    size_t start;
    uint64_t next_id;
    int rv;

    if (!q || (!data && len))
        return CWMP_ERR_INVALID_ARG;
    cwmp_codec_options_init(&o);
    o.allocator = q->alloc;
    start = q->n;
    next_id = q->next_id;
    cwmp__lines_init(&ln, data, len);
    if (cwmp__lines_header(&ln, "cwmp-tasks 1") != 0)
        return CWMP_ERR_PARSE;
    while ((rv = cwmp__lines_next(&ln, f, 6)) > 0) {
        int64_t id, urgent, st, fault;
        char *dev = NULL, *xml = NULL;
        struct cwmp_envelope *env = NULL;
        struct cwmp_rpc *rpc = NULL;

        if (cwmp__field_int(&f[0], &id) != 0 || id <= 0 || by_id(q, (uint64_t) id) ||
            cwmp__field_int(&f[1], &urgent) != 0 || urgent < 0 || urgent > 1 ||
            cwmp__field_int(&f[2], &st) != 0 || st < 0 || st > CWMP_TASK_FAULT ||
            cwmp__field_int(&f[3], &fault) != 0 || fault < 0 || fault > 9999) {
            rv = CWMP_ERR_PARSE;
            break;
        }
        rv = cwmp__unesc_dup(q->alloc, &f[4], DEVICE_MAX, &dev);
        if (rv == 0)
            rv = cwmp__unesc_dup(q->alloc, &f[5], CWMP_DEFAULT_MAX_ENVELOPE_BYTES, &xml);
        if (rv == 0 && (!*dev || !*xml))
            rv = CWMP_ERR_PARSE;
        if (rv == 0 && cwmp_envelope_decode(xml, strlen(xml), &o, &env, NULL, 0) != 0)
            rv = CWMP_ERR_PARSE;
        if (rv == 0 &&
            (env->rpc.kind != CWMP_RPC_REQUEST || !cwmp_method_is_cpe_method(env->rpc.method)))
            rv = CWMP_ERR_PARSE;
        if (rv == 0)
            rv = cwmp_rpc_dup(&env->rpc, q->alloc, &rpc);
        cwmp_envelope_free(env);
        cwmp__free(q->alloc, xml);
        if (rv) {
            cwmp__free(q->alloc, dev);
            break;
        }
        /* a task sent when the ACS stopped never got its answer: resend */
        if (st == CWMP_TASK_SENT)
            st = CWMP_TASK_PENDING;
        rv = append(q, (uint64_t) id, dev, rpc, urgent != 0, (enum cwmp_task_state) st,
                    (uint32_t) fault);
        if (rv)
            break;
    }
    if (rv < 0) {
        while (q->n > start)
            remove_at(q, q->n - 1);
        q->next_id = next_id;
        return rv;
    }
    return 0;
}
