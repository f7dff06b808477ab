/*
 * libcwmp - the CPE transfer queue: Download, Upload and ScheduleDownload
 * requests waiting for their time, in progress, or completed and waiting
 * for their TransferComplete to be acknowledged.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <cwmp/session.h>

#include "session_internal.h"

enum { S_KEY, S_FTYPE, S_URL, S_USER, S_PASS, S_TARGET, S_SURL, S_FURL, S_FSTR, S_COUNT };

/* Schema limits of each string (TR-069 Annex A). */
static const size_t str_max[S_COUNT] = {32, 64, 1024, 256, 256, 256, 256, 256, 256};

struct xfer {
    uint32_t id;
    enum cwmp_transfer_kind kind;
    enum cwmp_transfer_state state;
    uint32_t file_size, fault_code;
    int64_t nb, na, w2s, w2e, start, complete;
    char *s[S_COUNT];
};

struct cwmp_transfer_queue {
    const struct cwmp_allocator *alloc;
    struct xfer *x;
    size_t n, cap, max;
    uint32_t next_id;
};

int cwmp_transfer_queue_new(struct cwmp_transfer_queue **out, const struct cwmp_allocator *alloc,
                            size_t max_transfers)
{
    struct cwmp_transfer_queue *q;

    if (!out)
        return CWMP_ERR_INVALID_ARG;
    alloc = cwmp__alloc_or_default(alloc);
    *out = NULL;
    q = cwmp__calloc(alloc, 1, sizeof(*q));
    if (!q)
        return CWMP_ERR_NOMEM;
    q->alloc = alloc;
    q->max = max_transfers ? max_transfers : 16;
    q->next_id = 1;
    *out = q;
    return 0;
}

static void xfer_free(struct cwmp_transfer_queue *q, struct xfer *x)
{
    for (int i = 0; i < S_COUNT; i++)
        cwmp__free(q->alloc, x->s[i]);
}

void cwmp_transfer_queue_free(struct cwmp_transfer_queue *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->n; i++)
        xfer_free(q, &q->x[i]);
    cwmp__free(q->alloc, q->x);
    cwmp__free(q->alloc, q);
}

static void view(const struct xfer *x, struct cwmp_transfer *o)
{
    o->id = x->id;
    o->kind = x->kind;
    o->state = x->state;
    o->command_key = x->s[S_KEY];
    o->file_type = x->s[S_FTYPE];
    o->url = x->s[S_URL];
    o->username = x->s[S_USER];
    o->password = x->s[S_PASS];
    o->target_file_name = x->s[S_TARGET];
    o->success_url = x->s[S_SURL];
    o->failure_url = x->s[S_FURL];
    o->file_size = x->file_size;
    o->not_before_ms = x->nb;
    o->not_after_ms = x->na;
    o->window2_start_ms = x->w2s;
    o->window2_end_ms = x->w2e;
    o->fault_code = x->fault_code;
    o->fault_string = x->s[S_FSTR];
    o->start_time_ms = x->start;
    o->complete_time_ms = x->complete;
}

static int set_str(struct cwmp_transfer_queue *q, struct xfer *x, int i, const char *v)
{
    char *d;

    if (!v)
        v = "";
    if (strlen(v) > str_max[i])
        return CWMP_FAULT_INVALID_ARGUMENTS;
    d = cwmp__strdup(q->alloc, v);
    if (!d)
        return CWMP_ERR_NOMEM;
    cwmp__free(q->alloc, x->s[i]);
    x->s[i] = d;
    return 0;
}

/* Appends a zeroed slot; returns NULL (with *rv) when full / no memory. */
static struct xfer *slot(struct cwmp_transfer_queue *q, int *rv)
{
    struct xfer *x;

    if (q->n >= q->max) {
        *rv = CWMP_FAULT_RESOURCES_EXCEEDED;
        return NULL;
    }
    if (q->n == q->cap) {
        size_t nc = q->cap ? q->cap * 2 : 4;
        struct xfer *nx = cwmp__realloc(q->alloc, q->x, nc * sizeof(*nx));
        if (!nx) {
            *rv = CWMP_ERR_NOMEM;
            return NULL;
        }
        q->x = nx;
        q->cap = nc;
    }
    x = &q->x[q->n];
    memset(x, 0, sizeof(*x));
    return x;
}

static int fill(struct cwmp_transfer_queue *q, struct xfer *x, const char *const *v)
{
    int rv;
    for (int i = 0; i < S_COUNT; i++) {
        rv = set_str(q, x, i, v[i]);
        if (rv) {
            xfer_free(q, x);
            return rv;
        }
    }
    return 0;
}

static int commit(struct cwmp_transfer_queue *q, struct xfer *x, uint32_t *id)
{
    x->id = q->next_id++;
    if (q->next_id == 0)
        q->next_id = 1;
    x->state = CWMP_TRANSFER_NOT_STARTED;
    q->n++;
    if (id)
        *id = x->id;
    return 0;
}

int cwmp_transfer_queue_add_download(struct cwmp_transfer_queue *q, const struct cwmp_download *r,
                                     int64_t now_ms, uint32_t *id)
{
    struct xfer *x;
    int rv = 0;

    if (!q || !r)
        return CWMP_ERR_INVALID_ARG;
    if (!r->url || !*r->url || !r->file_type)
        return CWMP_FAULT_INVALID_ARGUMENTS;
    if (!(x = slot(q, &rv)))
        return rv;
    const char *v[S_COUNT] = {r->command_key, r->file_type,   r->url,
                              r->username,    r->password,    r->target_file_name,
                              r->success_url, r->failure_url, ""};
    if ((rv = fill(q, x, v)) != 0)
        return rv;
    x->kind = CWMP_TRANSFER_DOWNLOAD;
    x->file_size = r->file_size;
    x->nb = now_ms + (int64_t) r->delay_seconds * 1000;
    return commit(q, x, id);
}

int cwmp_transfer_queue_add_upload(struct cwmp_transfer_queue *q, const struct cwmp_upload *r,
                                   int64_t now_ms, uint32_t *id)
{
    struct xfer *x;
    int rv = 0;

    if (!q || !r)
        return CWMP_ERR_INVALID_ARG;
    if (!r->url || !*r->url || !r->file_type)
        return CWMP_FAULT_INVALID_ARGUMENTS;
    if (!(x = slot(q, &rv)))
        return rv;
    const char *v[S_COUNT] = {
        r->command_key, r->file_type, r->url, r->username, r->password, "", "", "", ""};
    if ((rv = fill(q, x, v)) != 0)
        return rv;
    x->kind = CWMP_TRANSFER_UPLOAD;
    x->nb = now_ms + (int64_t) r->delay_seconds * 1000;
    return commit(q, x, id);
}

int cwmp_transfer_queue_add_schedule_download(struct cwmp_transfer_queue *q,
                                              const struct cwmp_schedule_download *r,
                                              int64_t now_ms, uint32_t *id)
{
    struct xfer *x;
    int rv = 0;
    const struct cwmp_time_window *w;

    if (!q || !r)
        return CWMP_ERR_INVALID_ARG;
    if (!r->url || !*r->url || !r->file_type || !r->windows || r->window_count < 1 ||
        r->window_count > 2)
        return CWMP_FAULT_INVALID_ARGUMENTS;
    w = r->windows;
    if (w[0].window_start >= w[0].window_end)
        return CWMP_FAULT_INVALID_ARGUMENTS;
    if (r->window_count == 2 &&
        (w[1].window_start >= w[1].window_end || w[1].window_start < w[0].window_end))
        return CWMP_FAULT_INVALID_ARGUMENTS;
    if (!(x = slot(q, &rv)))
        return rv;
    const char *v[S_COUNT] = {r->command_key,      r->file_type, r->url, r->username, r->password,
                              r->target_file_name, "",           "",     ""};
    if ((rv = fill(q, x, v)) != 0)
        return rv;
    x->kind = CWMP_TRANSFER_SCHEDULE_DOWNLOAD;
    x->file_size = r->file_size;
    x->nb = now_ms + (int64_t) w[0].window_start * 1000;
    x->na = now_ms + (int64_t) w[0].window_end * 1000;
    if (r->window_count == 2) {
        x->w2s = now_ms + (int64_t) w[1].window_start * 1000;
        x->w2e = now_ms + (int64_t) w[1].window_end * 1000;
    }
    return commit(q, x, id);
}

static void remove_at(struct cwmp_transfer_queue *q, size_t i)
{
    xfer_free(q, &q->x[i]);
    memmove(&q->x[i], &q->x[i + 1], (q->n - i - 1) * sizeof(q->x[0]));
    q->n--;
}

int cwmp_transfer_queue_cancel(struct cwmp_transfer_queue *q, const char *key)
{
    size_t found = 0;

    if (!q || !key)
        return CWMP_ERR_INVALID_ARG;
    for (size_t i = 0; i < q->n; i++) {
        if (strcmp(q->x[i].s[S_KEY], key) != 0)
            continue;
        found++;
        if (q->x[i].state != CWMP_TRANSFER_NOT_STARTED)
            return CWMP_FAULT_CANCEL_NOT_PERMITTED;
    }
    if (!found)
        return CWMP_FAULT_INVALID_ARGUMENTS;
    for (size_t i = 0; i < q->n;) {
        if (strcmp(q->x[i].s[S_KEY], key) == 0)
            remove_at(q, i);
        else
            i++;
    }
    return 0;
}

size_t cwmp_transfer_queue_count(const struct cwmp_transfer_queue *q)
{
    return q ? q->n : 0;
}

int cwmp_transfer_queue_get(const struct cwmp_transfer_queue *q, size_t index,
                            struct cwmp_transfer *out)
{
    if (!q || !out || index >= q->n)
        return CWMP_ERR_NOT_FOUND;
    view(&q->x[index], out);
    return 0;
}

static struct xfer *by_id(const struct cwmp_transfer_queue *q, uint32_t id, size_t *idx)
{
    for (size_t i = 0; q && i < q->n; i++) {
        if (q->x[i].id == id) {
            if (idx)
                *idx = i;
            return &q->x[i];
        }
    }
    return NULL;
}

int cwmp_transfer_queue_find(const struct cwmp_transfer_queue *q, uint32_t id,
                             struct cwmp_transfer *out)
{
    struct xfer *x = by_id(q, id, NULL);
    if (!x || !out)
        return CWMP_ERR_NOT_FOUND;
    view(x, out);
    return 0;
}

static int do_complete(struct cwmp_transfer_queue *q, struct xfer *x, uint32_t code,
                       const char *str, int64_t start, int64_t complete)
{
    int rv;

    if (!str)
        str = code ? cwmp_fault_string((int) code) : "";
    if (strlen(str) > str_max[S_FSTR])
        str = cwmp_fault_string((int) code);
    rv = set_str(q, x, S_FSTR, str);
    if (rv)
        return rv;
    x->fault_code = code;
    x->start = start;
    x->complete = complete;
    x->state = CWMP_TRANSFER_COMPLETED;
    return 0;
}

int cwmp_transfer_queue_due(struct cwmp_transfer_queue *q, int64_t now_ms,
                            struct cwmp_transfer *out)
{
    if (!q)
        return CWMP_ERR_NOT_FOUND;
    for (size_t i = 0; i < q->n; i++) {
        struct xfer *x = &q->x[i];
        if (x->state != CWMP_TRANSFER_NOT_STARTED)
            continue;
        if (x->na && now_ms > x->na) {
            if (x->w2e) {
                /* first window missed: move to the second */
                x->nb = x->w2s;
                x->na = x->w2e;
                x->w2s = x->w2e = 0;
                i--;
                continue;
            }
            if (do_complete(q, x, CWMP_FAULT_DOWNLOAD_WINDOW_MISSED, NULL, 0, now_ms) != 0)
                continue; /* no memory: retried next time */
            continue;
        }
        if (now_ms >= x->nb) {
            if (out)
                view(x, out);
            return 0;
        }
    }
    return CWMP_ERR_NOT_FOUND;
}

int64_t cwmp_transfer_queue_next_deadline(const struct cwmp_transfer_queue *q)
{
    int64_t best = -1;

    for (size_t i = 0; q && i < q->n; i++) {
        const struct xfer *x = &q->x[i];
        if (x->state != CWMP_TRANSFER_NOT_STARTED)
            continue;
        if (best < 0 || x->nb < best)
            best = x->nb;
    }
    return best;
}

int cwmp_transfer_queue_start(struct cwmp_transfer_queue *q, uint32_t id, int64_t now_ms)
{
    struct xfer *x = by_id(q, id, NULL);
    if (!x)
        return CWMP_ERR_NOT_FOUND;
    if (x->state != CWMP_TRANSFER_NOT_STARTED)
        return CWMP_ERR_STATE;
    x->state = CWMP_TRANSFER_IN_PROGRESS;
    x->start = now_ms;
    return 0;
}

int cwmp_transfer_queue_complete(struct cwmp_transfer_queue *q, uint32_t id, uint32_t fault_code,
                                 const char *fault_string, int64_t start_ms, int64_t complete_ms)
{
    struct xfer *x = by_id(q, id, NULL);
    if (!x)
        return CWMP_ERR_NOT_FOUND;
    return do_complete(q, x, fault_code, fault_string, start_ms, complete_ms);
}

int cwmp_transfer_queue_next_completed(const struct cwmp_transfer_queue *q,
                                       struct cwmp_transfer *out)
{
    for (size_t i = 0; q && i < q->n; i++) {
        if (q->x[i].state == CWMP_TRANSFER_COMPLETED) {
            if (out)
                view(&q->x[i], out);
            return 0;
        }
    }
    return CWMP_ERR_NOT_FOUND;
}

int cwmp_transfer_queue_remove(struct cwmp_transfer_queue *q, uint32_t id)
{
    size_t i;
    if (!by_id(q, id, &i))
        return CWMP_ERR_NOT_FOUND;
    remove_at(q, i);
    return 0;
}

void cwmp_transfer_queue_reboot(struct cwmp_transfer_queue *q, int64_t now_ms)
{
    for (size_t i = 0; q && i < q->n; i++) {
        struct xfer *x = &q->x[i];
        if (x->state == CWMP_TRANSFER_IN_PROGRESS)
            (void) do_complete(q, x,
                               x->kind == CWMP_TRANSFER_UPLOAD ? CWMP_FAULT_UPLOAD_FAILURE
                                                               : CWMP_FAULT_DOWNLOAD_FAILURE,
                               NULL, x->start, now_ms);
    }
}

/* ---- persistence -------------------------------------------------------- */

#define NUM_INTS 11

int cwmp_transfer_queue_save(const struct cwmp_transfer_queue *q, char **data, size_t *len)
{
    struct cwmp_buf b;

    if (!q || !data || !len)
        return CWMP_ERR_INVALID_ARG;
    cwmp__buf_init(&b, q->alloc, 0);
    cwmp__buf_puts(&b, "cwmp-transfers 1\n");
    for (size_t i = 0; i < q->n; i++) {
        const struct xfer *x = &q->x[i];
        int64_t v[NUM_INTS] = {x->id, x->kind, x->state, x->file_size, x->fault_code, x->nb,
                               x->na, x->w2s,  x->w2e,   x->start,     x->complete};
        for (int k = 0; k < NUM_INTS; k++) {
            cwmp__buf_put_i64(&b, v[k]);
            cwmp__buf_putc(&b, ' ');
        }
        for (int k = 0; k < S_COUNT; k++) {
            cwmp__esc_put(&b, x->s[k]);
            cwmp__buf_putc(&b, k + 1 < S_COUNT ? ' ' : '\n');
        }
    }
    if (b.err) {
        int e = b.err;
        cwmp__buf_free(&b);
        return e;
    }
    *data = cwmp__buf_detach(&b, len);
    return 0;
}

int cwmp_transfer_queue_load(struct cwmp_transfer_queue *q, const char *data, size_t len)
{
    struct cwmp__lines ln;
    struct cwmp__field f[NUM_INTS + S_COUNT];
    size_t start;
    uint32_t next_id;
    int rv;

    if (!q || (!data && len))
        return CWMP_ERR_INVALID_ARG;
    start = q->n;
    next_id = q->next_id;
    cwmp__lines_init(&ln, data, len);
    if (cwmp__lines_header(&ln, "cwmp-transfers 1") != 0)
        return CWMP_ERR_PARSE;
    while ((rv = cwmp__lines_next(&ln, f, NUM_INTS + S_COUNT)) > 0) {
        int64_t v[NUM_INTS];
        struct xfer *x;
        for (int k = 0; k < NUM_INTS; k++)
            if (cwmp__field_int(&f[k], &v[k]) != 0)
                rv = CWMP_ERR_PARSE;
        if (rv < 0)
            break;
        if (v[0] <= 0 || v[0] > UINT32_MAX || v[1] < 0 || v[1] > 2 || v[2] < 1 || v[2] > 3 ||
            v[3] < 0 || v[3] > UINT32_MAX || v[4] < 0 || v[4] > 9999 ||
            by_id(q, (uint32_t) v[0], NULL)) {
            rv = CWMP_ERR_PARSE;
            break;
        }
        if (!(x = slot(q, &rv))) {
            if (rv > 0)
                rv = CWMP_ERR_LIMIT;
            break;
        }
        for (int k = 0; k < S_COUNT && rv >= 0; k++)
            rv = cwmp__unesc_dup(q->alloc, &f[NUM_INTS + k], str_max[k], &x->s[k]);
        if (rv < 0) {
            xfer_free(q, x);
            break;
        }
        x->id = (uint32_t) v[0];
        x->kind = (enum cwmp_transfer_kind) v[1];
        x->state = (enum cwmp_transfer_state) v[2];
        x->file_size = (uint32_t) v[3];
        x->fault_code = (uint32_t) v[4];
        x->nb = v[5];
        x->na = v[6];
        x->w2s = v[7];
        x->w2e = v[8];
        x->start = v[9];
        x->complete = v[10];
        q->n++;
        if (x->id >= q->next_id)
            q->next_id = x->id + 1 ? x->id + 1 : 1;
    }
    if (rv < 0) {
        while (q->n > start)
            remove_at(q, q->n - 1);
        q->next_id = next_id;
        return rv;
    }
    return 0;
}
