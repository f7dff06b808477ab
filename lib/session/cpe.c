/*
 * libcwmp - the CPE agent core: event/transfer bookkeeping around the CPE
 * session state machine (fsm.c), the Inform, the ACS requests answered from
 * the data model or handed to the app, the CPE's own requests.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>

#include <cwmp/cpe.h>
#include <cwmp/datamodel.h>
#include <cwmp/types.h>

#include "fsm.h"

#include "session_internal.h"

#define MAX_SCHED 16
#define MAX_8005  3
#define KEY_MAX   32

struct sched {
    int64_t at;
    char key[KEY_MAX + 1];
};

enum req_kind { REQ_NONE = 0, REQ_TC, REQ_SUB };

struct cwmp_cpe {
    struct cwmp_cpe_config cfg;
    const struct cwmp_allocator *alloc;
    struct cwmp_codec_options copts;
    struct cwmp_event_queue *events;
    struct cwmp_transfer_queue *transfers;
    struct cwmp_encoder *enc;
    struct cwmp_arena arena; /* temporaries of the message being built */

    uint8_t phase;
    bool started;
    enum cwmp_session_result last_result;
    int64_t now, last_io, retry_at, periodic_at;
    uint32_t retry_count;
    enum cwmp_version max_version, adv_version, version;
    bool hold, inform_acked, stop_requests, dm_inform_pending;

    /* periodic inform */
    bool per_enable, per_has_time;
    uint32_t per_interval;
    int64_t per_time;

    struct sched sched[MAX_SCHED];
    size_t nsched;

    struct cwmp_rpc **sub; /* submitted CPE requests (cwmp_rpc_dup copies) */
    size_t nsub;

    /* the CPE request in flight */
    enum req_kind req_kind;
    uint32_t req_tc_id;
    struct cwmp_rpc *req_sub;
    char req_id[24];
    unsigned req_8005;

    /* the last ACS message and the answer prepared for it */
    struct cwmp_envelope *in_env;
    struct cwmp_envelope resp;
    char resp_id[65]; /* cwmp:ID of a request the codec refused (its fault echoes it) */
    struct cwmp_dm_result res;
    bool resp_ready;

    bool reboot_pending, factory_pending;
    char reboot_key[KEY_MAX + 1];
    char *acs_url; /* the ACS last contacted (persisted) */
    char *cur_url; /* the configured one */

    uint32_t id_counter;
    char detail[192];
};

/* ---- small helpers -------------------------------------------------------- */

static void cpe_log(struct cwmp_cpe *cpe, const char *fmt, ...) CWMP_PRINTF(2, 3);
static void cpe_log(struct cwmp_cpe *cpe, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cpe->detail, sizeof(cpe->detail), fmt, ap);
    va_end(ap);
    if (cpe->cfg.log)
        cpe->cfg.log(CWMP_LOG_INFO, cpe->detail, cpe->cfg.log_user_data);
}

static const struct cwmp_cpe_callbacks *cbs(const struct cwmp_cpe *cpe)
{
    return cpe->cfg.callbacks;
}

static void store(struct cwmp_cpe *cpe, enum cwmp_cpe_record kind);

static int fsm(struct cwmp_cpe *cpe, enum cwmp__cpe_input in)
{
    const struct cwmp__trans *t = &cwmp__cpe_fsm[cpe->phase][in];
    if (t->act == ACT_ILLEGAL) {
        cpe_log(cpe, "cpe: %s not allowed in phase %s", cwmp__cpe_input_names[in],
                cwmp__cpe_phase_names[cpe->phase]);
        return CWMP_ERR_STATE;
    }
    cpe->phase = t->next;
    return t->act;
}

static void arena_reset(struct cwmp_cpe *cpe)
{
    cwmp__arena_free(&cpe->arena);
    cwmp__arena_init(&cpe->arena, cpe->alloc, 1024, 0);
}

static void clear_in(struct cwmp_cpe *cpe)
{
    cwmp_envelope_free(cpe->in_env);
    cpe->in_env = NULL;
    if (cpe->cfg.dm)
        cwmp_dm_result_free(&cpe->res);
    memset(&cpe->resp, 0, sizeof(cpe->resp));
    cpe->resp_ready = false;
}

static const char *next_id(struct cwmp_cpe *cpe)
{
    snprintf(cpe->req_id, sizeof(cpe->req_id), "cpe-%lu", (unsigned long) ++cpe->id_counter);
    return cpe->req_id;
}

/* ---- life cycle ----------------------------------------------------------- */

int cwmp_cpe_new(struct cwmp_cpe **out, const struct cwmp_cpe_config *cfg)
{
    struct cwmp_cpe *cpe;
    const struct cwmp_allocator *a;
    int rv;

    if (!out)
        return CWMP_ERR_INVALID_ARG;
    *out = NULL;
    if (!cfg || !cfg->device_id.manufacturer || !cfg->device_id.oui ||
        !cfg->device_id.product_class || !cfg->device_id.serial_number)
        return CWMP_ERR_INVALID_ARG;
    a = cwmp__alloc_or_default(cfg->allocator);
    cpe = cwmp__calloc(a, 1, sizeof(*cpe));
    if (!cpe)
        return CWMP_ERR_NOMEM;
    cpe->cfg = *cfg;
    cpe->alloc = a;
    if (cfg->codec)
        cpe->copts = *cfg->codec;
    else
        cwmp_codec_options_init(&cpe->copts);
    cpe->copts.allocator = a;
    cpe->max_version = cfg->limit_version ? cfg->max_version : CWMP_V1_4;
    if (cpe->max_version > CWMP_V1_4)
        cpe->max_version = CWMP_V1_4;
    cpe->adv_version = cpe->version = cpe->max_version;
    if (!cpe->cfg.session_timeout_s)
        cpe->cfg.session_timeout_s = 30;
    cwmp__arena_init(&cpe->arena, a, 1024, 0);
    rv = cwmp_event_queue_new(&cpe->events, a, cfg->max_events);
    if (rv == 0)
        rv = cwmp_transfer_queue_new(&cpe->transfers, a, cfg->max_transfers);
    if (rv == 0)
        rv = cwmp_encoder_new(&cpe->enc, &cpe->copts);
    if (rv == 0) {
        cpe->sub = cwmp__calloc(a, cfg->max_submitted ? cfg->max_submitted : 16, sizeof(*cpe->sub));
        if (!cpe->sub)
            rv = CWMP_ERR_NOMEM;
    }
    if (rv != 0) {
        cwmp_cpe_free(cpe);
        return rv;
    }
    cpe->periodic_at = -1;
    *out = cpe;
    return 0;
}

void cwmp_cpe_free(struct cwmp_cpe *cpe)
{
    if (!cpe)
        return;
    clear_in(cpe);
    for (size_t i = 0; i < cpe->nsub; i++)
        cwmp_rpc_free(cpe->sub[i]);
    cwmp__free(cpe->alloc, cpe->sub);
    cwmp_event_queue_free(cpe->events);
    cwmp_transfer_queue_free(cpe->transfers);
    cwmp_encoder_free(cpe->enc);
    cwmp__arena_free(&cpe->arena);
    cwmp__free(cpe->alloc, cpe->acs_url);
    cwmp__free(cpe->alloc, cpe->cur_url);
    cwmp__free(cpe->alloc, cpe);
}

/* ---- persistence ---------------------------------------------------------- */

static int save_state(struct cwmp_cpe *cpe, char **data, size_t *len)
{
    struct cwmp_buf b;

    cwmp__buf_init(&b, cpe->alloc, 0);
    cwmp__buf_puts(&b, "cwmp-cpe-state 1\n");
    if (cpe->acs_url) {
        cwmp__buf_puts(&b, "url ");
        cwmp__esc_put(&b, cpe->acs_url);
        cwmp__buf_puts(&b, " -\n");
    }
    if (cpe->reboot_pending) {
        cwmp__buf_puts(&b, "reboot ");
        cwmp__esc_put(&b, cpe->reboot_key);
        cwmp__buf_puts(&b, " -\n");
    }
    for (size_t i = 0; i < cpe->nsched; i++) {
        cwmp__buf_puts(&b, "sched ");
        cwmp__buf_put_i64(&b, cpe->sched[i].at);
        cwmp__buf_putc(&b, ' ');
        cwmp__esc_put(&b, cpe->sched[i].key);
        cwmp__buf_putc(&b, '\n');
    }
    if (b.err) {
        int e = b.err;
        cwmp__buf_free(&b);
        return e;
    }
    *data = cwmp__buf_detach(&b, len);
    return 0;
}

/* Submitted requests: one line each, "<method> <escaped SOAP envelope>". */
static int save_requests(struct cwmp_cpe *cpe, char **data, size_t *len)
{
    struct cwmp_buf b;
    int rv = 0;

    cwmp__buf_init(&b, cpe->alloc, 0);
    cwmp__buf_puts(&b, "cwmp-cpe-requests 1\n");
    for (size_t i = 0; i < cpe->nsub && rv == 0; i++) {
        struct cwmp_envelope env;
        char *xml;
        size_t xlen;
        memset(&env, 0, sizeof(env));
        env.version = CWMP_V1_2;
        env.rpc = *cpe->sub[i];
        rv = cwmp_envelope_encode(&env, &cpe->copts, &xml, &xlen, NULL, 0);
        if (rv)
            break;
        cwmp__buf_put_u64(&b, (uint64_t) cpe->sub[i]->method);
        cwmp__buf_putc(&b, ' ');
        cwmp__esc_put(&b, xml);
        cwmp__buf_putc(&b, '\n');
        cwmp_encoded_free(&cpe->copts, xml);
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

static void store(struct cwmp_cpe *cpe, enum cwmp_cpe_record kind)
{
    char *data = NULL;
    size_t len = 0;
    int rv;

    if (!cbs(cpe) || !cbs(cpe)->save)
        return;
    switch (kind) {
    case CWMP_CPE_REC_EVENTS: rv = cwmp_event_queue_save(cpe->events, &data, &len); break;
    case CWMP_CPE_REC_TRANSFERS: rv = cwmp_transfer_queue_save(cpe->transfers, &data, &len); break;
    case CWMP_CPE_REC_REQUESTS: rv = save_requests(cpe, &data, &len); break;
    default: rv = save_state(cpe, &data, &len); break;
    }
    if (rv == 0 && cbs(cpe)->save(kind, data, len, cbs(cpe)->user_data) != 0)
        rv = CWMP_ERR_STORE;
    if (rv != 0)
        cpe_log(cpe, "cpe: saving record %d failed: %s", (int) kind, cwmp_strerror(rv));
    cwmp__free(cpe->alloc, data);
}

static int restore_state(struct cwmp_cpe *cpe, const char *data, size_t len)
{
    struct cwmp__lines ln;
    struct cwmp__field f[3];
    char url[1025], key[KEY_MAX + 1];
    char *new_url = NULL;
    bool reboot = false;
    char reboot_key[KEY_MAX + 1] = "";
    struct sched sc[MAX_SCHED];
    size_t nsc = 0;
    int rv;

    cwmp__lines_init(&ln, data, len);
    if (cwmp__lines_header(&ln, "cwmp-cpe-state 1") != 0)
        return CWMP_ERR_PARSE;
    while ((rv = cwmp__lines_next(&ln, f, 3)) > 0) {
        if (f[0].len == 3 && memcmp(f[0].p, "url", 3) == 0) {
            if (cwmp__unesc(&f[1], url, sizeof(url)) != 0) {
                rv = CWMP_ERR_PARSE;
                break;
            }
            cwmp__free(cpe->alloc, new_url);
            new_url = cwmp__strdup(cpe->alloc, url);
            if (!new_url) {
                rv = CWMP_ERR_NOMEM;
                break;
            }
        } else if (f[0].len == 6 && memcmp(f[0].p, "reboot", 6) == 0) {
            if (cwmp__unesc(&f[1], reboot_key, sizeof(reboot_key)) != 0) {
                rv = CWMP_ERR_PARSE;
                break;
            }
            reboot = true;
        } else if (f[0].len == 5 && memcmp(f[0].p, "sched", 5) == 0) {
            int64_t at;
            if (nsc == MAX_SCHED || cwmp__field_int(&f[1], &at) != 0 ||
                cwmp__unesc(&f[2], key, sizeof(key)) != 0) {
                rv = CWMP_ERR_PARSE;
                break;
            }
            sc[nsc].at = at;
            memcpy(sc[nsc].key, key, sizeof(key));
            nsc++;
        } else {
            rv = CWMP_ERR_PARSE;
            break;
        }
    }
    if (rv < 0) {
        cwmp__free(cpe->alloc, new_url);
        return rv;
    }
    if (new_url) {
        cwmp__free(cpe->alloc, cpe->acs_url);
        cpe->acs_url = new_url;
    }
    cpe->reboot_pending = reboot;
    memcpy(cpe->reboot_key, reboot_key, sizeof(reboot_key));
    memcpy(cpe->sched, sc, nsc * sizeof(sc[0]));
    cpe->nsched = nsc;
    return 0;
}

static bool submittable(enum cwmp_method m)
{
    switch (m) {
    case CWMP_METHOD_GET_RPC_METHODS:
    case CWMP_METHOD_REQUEST_DOWNLOAD:
    case CWMP_METHOD_KICKED:
    case CWMP_METHOD_AUTONOMOUS_TRANSFER_COMPLETE:
    case CWMP_METHOD_DU_STATE_CHANGE_COMPLETE:
    case CWMP_METHOD_AUTONOMOUS_DU_STATE_CHANGE_COMPLETE:
    case CWMP_METHOD_VENDOR: return true;
    default: return false;
    }
}

static size_t max_sub(const struct cwmp_cpe *cpe)
{
    return cpe->cfg.max_submitted ? cpe->cfg.max_submitted : 16;
}

static int restore_requests(struct cwmp_cpe *cpe, const char *data, size_t len)
{
    struct cwmp__lines ln;
    struct cwmp__field f[2];
    size_t start = cpe->nsub;
    int rv;

    cwmp__lines_init(&ln, data, len);
    if (cwmp__lines_header(&ln, "cwmp-cpe-requests 1") != 0)
        return CWMP_ERR_PARSE;
    while ((rv = cwmp__lines_next(&ln, f, 2)) > 0) {
        struct cwmp_envelope *env = NULL;
        struct cwmp_rpc *rpc = NULL;
        char *xml = NULL;
        int64_t m;

        if (cwmp__field_int(&f[0], &m) != 0 || cpe->nsub >= max_sub(cpe)) {
            rv = CWMP_ERR_PARSE;
            break;
        }
        rv = cwmp__unesc_dup(cpe->alloc, &f[1], CWMP_DEFAULT_MAX_ENVELOPE_BYTES, &xml);
        if (rv == 0 && cwmp_envelope_decode(xml, strlen(xml), &cpe->copts, &env, NULL, 0) != 0)
            rv = CWMP_ERR_PARSE;
        if (rv == 0 && (env->rpc.kind != CWMP_RPC_REQUEST || (int64_t) env->rpc.method != m ||
                        !submittable(env->rpc.method)))
            rv = CWMP_ERR_PARSE;
        if (rv == 0)
            rv = cwmp_rpc_dup(&env->rpc, cpe->alloc, &rpc);
        cwmp_envelope_free(env);
        cwmp__free(cpe->alloc, xml);
        if (rv)
            break;
        cpe->sub[cpe->nsub++] = rpc;
    }
    if (rv < 0) {
        while (cpe->nsub > start)
            cwmp_rpc_free(cpe->sub[--cpe->nsub]);
        return rv;
    }
    return 0;
}

int cwmp_cpe_restore(struct cwmp_cpe *cpe, enum cwmp_cpe_record kind, const char *data, size_t len)
{
    if (!cpe || (!data && len))
        return CWMP_ERR_INVALID_ARG;
    if (cpe->phase != CPE_IDLE)
        return CWMP_ERR_STATE;
    switch (kind) {
    case CWMP_CPE_REC_EVENTS: return cwmp_event_queue_load(cpe->events, data, len);
    case CWMP_CPE_REC_TRANSFERS: return cwmp_transfer_queue_load(cpe->transfers, data, len);
    case CWMP_CPE_REC_STATE: return restore_state(cpe, data, len);
    case CWMP_CPE_REC_REQUESTS: return restore_requests(cpe, data, len);
    default: return CWMP_ERR_INVALID_ARG;
    }
}

/* ---- data model glue -------------------------------------------------------- */

static int dm_get(struct cwmp_cpe *cpe, const char *leaf, char *buf, size_t size)
{
    char path[160];
    if (!cpe->cfg.dm)
        return CWMP_ERR_NOT_FOUND;
    snprintf(path, sizeof(path), "%s.ManagementServer.%s", cwmp_dm_root_name(cpe->cfg.dm), leaf);
    return cwmp_dm_get(cpe->cfg.dm, path, buf, size);
}

static int64_t now_or_zero(const struct cwmp_cpe *cpe)
{
    return cpe->now;
}

static void update_periodic(struct cwmp_cpe *cpe)
{
    if (!cpe->per_enable || cpe->per_interval == 0)
        cpe->periodic_at = -1;
    else
        cpe->periodic_at = cwmp_periodic_next(now_or_zero(cpe), cpe->per_interval, cpe->per_time,
                                              cpe->per_has_time);
}

/* Reads ManagementServer.* from the data model. */
static int sync_dm(struct cwmp_cpe *cpe)
{
    char v[1100];
    bool en = cpe->per_enable, has_t = cpe->per_has_time;
    uint32_t iv = cpe->per_interval, u;
    int64_t t = cpe->per_time;
    int rv = 0;

    if (!cpe->cfg.dm)
        return 0;
    if (dm_get(cpe, "URL", v, sizeof(v)) > 0) /* "" = no ACS configured there */
        rv = cwmp_cpe_set_acs_url(cpe, v);
    if (dm_get(cpe, "PeriodicInformEnable", v, sizeof(v)) >= 0)
        cwmp_parse_bool(v, strlen(v), &en);
    if (dm_get(cpe, "PeriodicInformInterval", v, sizeof(v)) >= 0 &&
        cwmp_parse_uint(v, strlen(v), &u) == 0)
        iv = u;
    if (dm_get(cpe, "PeriodicInformTime", v, sizeof(v)) >= 0) {
        t = cwmp__datetime_ms(v);
        has_t = t != 0;
    }
    if (dm_get(cpe, "CWMPRetryMinimumWaitInterval", v, sizeof(v)) >= 0 &&
        cwmp_parse_uint(v, strlen(v), &u) == 0)
        cpe->cfg.retry_min_wait_s = u;
    if (dm_get(cpe, "CWMPRetryIntervalMultiplier", v, sizeof(v)) >= 0 &&
        cwmp_parse_uint(v, strlen(v), &u) == 0)
        cpe->cfg.retry_multiplier = u;
    if (en != cpe->per_enable || iv != cpe->per_interval || t != cpe->per_time ||
        has_t != cpe->per_has_time || cpe->periodic_at < 0)
        cwmp_cpe_set_periodic(cpe, en, iv, t, has_t);
    return rv;
}

/* ---- configuration and triggers --------------------------------------------- */

int cwmp_cpe_set_acs_url(struct cwmp_cpe *cpe, const char *url)
{
    char *d;
    int rv;

    if (!cpe || !url)
        return CWMP_ERR_INVALID_ARG;
    if (cpe->cur_url && strcmp(cpe->cur_url, url) == 0)
        return 0;
    d = cwmp__strdup(cpe->alloc, url);
    if (!d)
        return CWMP_ERR_NOMEM;
    cwmp__free(cpe->alloc, cpe->cur_url);
    cpe->cur_url = d;
    if (!cpe->started || (cpe->acs_url && strcmp(cpe->acs_url, url) == 0))
        return 0;
    /* a new ACS: start over with 0 BOOTSTRAP */
    d = cwmp__strdup(cpe->alloc, url);
    if (!d)
        return CWMP_ERR_NOMEM;
    rv = cwmp_event_queue_new_acs(cpe->events);
    if (rv)
        return rv;
    cwmp__free(cpe->alloc, cpe->acs_url);
    cpe->acs_url = d;
    cpe->adv_version = cpe->max_version;
    cpe->retry_count = 0;
    cpe->retry_at = 0;
    cpe_log(cpe, "cpe: ACS URL changed: 0 BOOTSTRAP");
    store(cpe, CWMP_CPE_REC_EVENTS);
    store(cpe, CWMP_CPE_REC_STATE);
    return 0;
}

void cwmp_cpe_set_periodic(struct cwmp_cpe *cpe, bool enable, uint32_t interval_s, int64_t time_ms,
                           bool has_time)
{
    if (!cpe)
        return;
    cpe->per_enable = enable;
    cpe->per_interval = interval_s;
    cpe->per_time = time_ms;
    cpe->per_has_time = has_time;
    update_periodic(cpe);
}

static int method_event(struct cwmp_cpe *cpe, enum cwmp_transfer_kind k, const char *key)
{
    static const char *const names[] = {"Download", "Upload", "ScheduleDownload"};
    int rv = cwmp_event_queue_add(cpe->events, CWMP_EVENT_TRANSFER_COMPLETE, NULL, NULL);
    if (rv == 0)
        rv = cwmp_event_queue_add(cpe->events, CWMP_EVENT_METHOD, names[k], key);
    return rv;
}

int cwmp_cpe_start(struct cwmp_cpe *cpe, int64_t now_ms, unsigned flags)
{
    struct cwmp_transfer t;
    int rv = 0;

    if (!cpe)
        return CWMP_ERR_INVALID_ARG;
    if (cpe->started)
        return CWMP_ERR_STATE;
    cpe->now = now_ms;
    if (flags & CWMP_CPE_START_BOOT) {
        cwmp_event_queue_reboot(cpe->events);
        cwmp_transfer_queue_reboot(cpe->transfers, now_ms);
    }
    cpe->started = true;
    rv = sync_dm(cpe);
    if (rv == 0 && cpe->cur_url && !cpe->acs_url) {
        /* never contacted an ACS: bootstrap */
        char *d = cwmp__strdup(cpe->alloc, cpe->cur_url);
        if (!d)
            return CWMP_ERR_NOMEM;
        cpe->acs_url = d;
        rv = cwmp_event_queue_new_acs(cpe->events);
    }
    if (rv == 0 && !cpe->cur_url && !cpe->acs_url)
        rv = cwmp_event_queue_add(cpe->events, CWMP_EVENT_BOOTSTRAP, NULL, NULL);
    if (rv == 0 && (flags & CWMP_CPE_START_BOOT))
        rv = cwmp_event_queue_add(cpe->events, CWMP_EVENT_BOOT, NULL, NULL);
    if (rv == 0 && cpe->reboot_pending) {
        rv = cwmp_event_queue_add(cpe->events, CWMP_EVENT_METHOD, "Reboot", cpe->reboot_key);
        if (rv == 0)
            cpe->reboot_pending = false;
    }
    /* events announcing a CPE request must have their request (a store
     * without the requests record, or a damaged one, would leave them
     * queued forever) */
    if (rv == 0) {
        static const struct {
            enum cwmp_event_code ev;
            enum cwmp_method m;
        } ann[] = {
            {CWMP_EVENT_KICKED, CWMP_METHOD_KICKED},
            {CWMP_EVENT_REQUEST_DOWNLOAD, CWMP_METHOD_REQUEST_DOWNLOAD},
            {CWMP_EVENT_AUTONOMOUS_TRANSFER_COMPLETE, CWMP_METHOD_AUTONOMOUS_TRANSFER_COMPLETE},
            {CWMP_EVENT_DU_STATE_CHANGE_COMPLETE, CWMP_METHOD_DU_STATE_CHANGE_COMPLETE},
            {CWMP_EVENT_AUTONOMOUS_DU_STATE_CHANGE_COMPLETE,
             CWMP_METHOD_AUTONOMOUS_DU_STATE_CHANGE_COMPLETE},
        };
        for (size_t k = 0; k < CWMP_ARRAY_SIZE(ann); k++) {
            bool found = false;
            for (size_t i = 0; i < cpe->nsub; i++)
                found |= cpe->sub[i]->method == ann[k].m;
            if (!found) {
                cwmp_event_queue_remove(cpe->events, ann[k].ev, NULL);
                if (ann[k].ev == CWMP_EVENT_DU_STATE_CHANGE_COMPLETE)
                    cwmp_event_queue_remove(cpe->events, CWMP_EVENT_METHOD, "ChangeDUState");
            }
        }
    }
    /* completed transfers (e.g. interrupted by the reboot) need their events */
    for (size_t i = 0; rv == 0 && cwmp_transfer_queue_get(cpe->transfers, i, &t) == 0; i++)
        if (t.state == CWMP_TRANSFER_COMPLETED)
            rv = method_event(cpe, t.kind, t.command_key);
    update_periodic(cpe);
    store(cpe, CWMP_CPE_REC_EVENTS);
    store(cpe, CWMP_CPE_REC_TRANSFERS);
    store(cpe, CWMP_CPE_REC_STATE);
    return rv;
}

int cwmp_cpe_connection_request(struct cwmp_cpe *cpe)
{
    int rv;
    if (!cpe)
        return CWMP_ERR_INVALID_ARG;
    rv = cwmp_event_queue_add(cpe->events, CWMP_EVENT_CONNECTION_REQUEST, NULL, NULL);
    if (rv == 0)
        cpe->retry_at = 0; /* the ACS asked: do not wait for the back-off */
    return rv;
}

int cwmp_cpe_check_changes(struct cwmp_cpe *cpe)
{
    int rv;
    if (!cpe)
        return CWMP_ERR_INVALID_ARG;
    if (!cpe->cfg.dm)
        return 0;
    rv = cwmp_dm_poll(cpe->cfg.dm);
    if (rv > 0 && (rv & CWMP_DM_CHANGE_ACTIVE)) {
        int e = cwmp_event_queue_add(cpe->events, CWMP_EVENT_VALUE_CHANGE, NULL, NULL);
        if (e < 0)
            return e;
    }
    return rv;
}

int cwmp_cpe_request_session(struct cwmp_cpe *cpe, enum cwmp_event_code code, const char *arg,
                             const char *command_key)
{
    int rv;
    if (!cpe)
        return CWMP_ERR_INVALID_ARG;
    rv = cwmp_event_queue_add(cpe->events, code, arg, command_key);
    if (rv == 0)
        store(cpe, CWMP_CPE_REC_EVENTS);
    return rv;
}

int cwmp_cpe_submit(struct cwmp_cpe *cpe, const struct cwmp_rpc *req)
{
    size_t max;
    struct cwmp_rpc *copy;
    enum cwmp_event_code ev = CWMP_EVENT_BOOT;
    bool has_ev = true;
    int rv;

    if (!cpe || !req || req->kind != CWMP_RPC_REQUEST)
        return CWMP_ERR_INVALID_ARG;
    switch (req->method) {
    case CWMP_METHOD_GET_RPC_METHODS: has_ev = false; break;
    case CWMP_METHOD_REQUEST_DOWNLOAD: ev = CWMP_EVENT_REQUEST_DOWNLOAD; break;
    case CWMP_METHOD_KICKED: ev = CWMP_EVENT_KICKED; break;
    case CWMP_METHOD_AUTONOMOUS_TRANSFER_COMPLETE:
        ev = CWMP_EVENT_AUTONOMOUS_TRANSFER_COMPLETE;
        break;
    case CWMP_METHOD_DU_STATE_CHANGE_COMPLETE: ev = CWMP_EVENT_DU_STATE_CHANGE_COMPLETE; break;
    case CWMP_METHOD_AUTONOMOUS_DU_STATE_CHANGE_COMPLETE:
        ev = CWMP_EVENT_AUTONOMOUS_DU_STATE_CHANGE_COMPLETE;
        break;
    case CWMP_METHOD_VENDOR: has_ev = false; break;
    default: return CWMP_ERR_INVALID_ARG;
    }
    max = max_sub(cpe);
    if (cpe->nsub >= max)
        return CWMP_ERR_LIMIT;
    rv = cwmp_rpc_dup(req, cpe->alloc, &copy);
    if (rv)
        return rv;
    if (has_ev) {
        rv = cwmp_event_queue_add(cpe->events, ev, NULL, NULL);
        if (rv == 0 && req->method == CWMP_METHOD_DU_STATE_CHANGE_COMPLETE)
            rv = cwmp_event_queue_add(cpe->events, CWMP_EVENT_METHOD, "ChangeDUState",
                                      req->u.du_state_change_complete.command_key);
        if (rv) {
            cwmp_rpc_free(copy);
            return rv;
        }
        store(cpe, CWMP_CPE_REC_EVENTS);
    }
    cpe->sub[cpe->nsub++] = copy;
    store(cpe, CWMP_CPE_REC_REQUESTS);
    return 0;
}

/* ---- queries ---------------------------------------------------------------- */

bool cwmp_cpe_want_session(const struct cwmp_cpe *cpe)
{
    if (!cpe || !cpe->started || cpe->phase != CPE_IDLE || cpe->reboot_pending ||
        cpe->factory_pending)
        return false;
    if (cpe->retry_at && cpe->now < cpe->retry_at)
        return false;
    return cwmp_event_queue_count(cpe->events) > 0;
}

bool cwmp_cpe_want_send(const struct cwmp_cpe *cpe)
{
    return cpe && (cpe->phase == CPE_INFORM || cpe->phase == CPE_TURN);
}

bool cwmp_cpe_session_active(const struct cwmp_cpe *cpe)
{
    return cpe && cpe->phase != CPE_IDLE;
}

enum cwmp_session_result cwmp_cpe_last_result(const struct cwmp_cpe *cpe)
{
    return cpe ? cpe->last_result : CWMP_SESSION_INTERNAL;
}

enum cwmp_version cwmp_cpe_version(const struct cwmp_cpe *cpe)
{
    return cpe ? cpe->version : CWMP_V1_0;
}

uint32_t cwmp_cpe_retry_count(const struct cwmp_cpe *cpe)
{
    return cpe ? cpe->retry_count : 0;
}

const struct cwmp_event_queue *cwmp_cpe_events(const struct cwmp_cpe *cpe)
{
    return cpe ? cpe->events : NULL;
}

const struct cwmp_transfer_queue *cwmp_cpe_transfers(const struct cwmp_cpe *cpe)
{
    return cpe ? cpe->transfers : NULL;
}

const char *cwmp_cpe_error_detail(const struct cwmp_cpe *cpe)
{
    return cpe ? cpe->detail : "";
}

/* ---- session end ------------------------------------------------------------ */

static void finish(struct cwmp_cpe *cpe, enum cwmp_session_result r, int detail)
{
    clear_in(cpe);
    arena_reset(cpe);
    cpe->req_kind = REQ_NONE;
    cpe->req_sub = NULL;
    cpe->last_result = r;
    if (r == CWMP_SESSION_OK) {
        cwmp_event_queue_end(cpe->events);
        cpe->retry_count = 0;
        cpe->retry_at = 0;
    } else {
        uint32_t rnd;
        cwmp_event_queue_failed(cpe->events);
        if (cpe->dm_inform_pending && cpe->cfg.dm)
            cwmp_dm_inform_done(cpe->cfg.dm, false);
        if (cpe->retry_count < UINT32_MAX)
            cpe->retry_count++;
        rnd = cbs(cpe) && cbs(cpe)->random ? cbs(cpe)->random(cbs(cpe)->user_data) : UINT32_MAX / 2;
        cpe->retry_at = cpe->now + cwmp_retry_wait_ms(cpe->retry_count, cpe->cfg.retry_min_wait_s,
                                                      cpe->cfg.retry_multiplier, rnd);
        cpe_log(cpe, "cpe: session failed (%s, %d); retry %u in %lld ms",
                cwmp_session_result_string(r), detail, cpe->retry_count,
                (long long) (cpe->retry_at - cpe->now));
    }
    cpe->dm_inform_pending = false;
    store(cpe, CWMP_CPE_REC_EVENTS);
    store(cpe, CWMP_CPE_REC_STATE);
    if (r == CWMP_SESSION_OK)
        (void) sync_dm(cpe);
    if (cbs(cpe) && cbs(cpe)->session_end)
        cbs(cpe)->session_end(cpe, r, detail, cbs(cpe)->user_data);
}

static int fail(struct cwmp_cpe *cpe, enum cwmp__cpe_input in, enum cwmp_session_result r,
                int detail)
{
    int act = fsm(cpe, in);
    if (act == CWMP_ERR_STATE)
        return act;
    finish(cpe, r, detail);
    return r == CWMP_SESSION_TIMEOUT ? CWMP_ERR_TIMEOUT : CWMP_ERR_PROTOCOL;
}

void cwmp_cpe_session_abort(struct cwmp_cpe *cpe)
{
    if (cpe && cpe->phase != CPE_IDLE)
        (void) fail(cpe, CPE_IN_ABORT, CWMP_SESSION_ABORTED, 0);
}

/* ---- time ------------------------------------------------------------------- */

static void min_dl(int64_t *best, int64_t t)
{
    if (t >= 0 && (*best < 0 || t < *best))
        *best = t;
}

int64_t cwmp_cpe_next_deadline(const struct cwmp_cpe *cpe)
{
    int64_t best = -1;

    if (!cpe)
        return -1;
    if (cpe->phase != CPE_IDLE) {
        min_dl(&best, cpe->last_io + (int64_t) cpe->cfg.session_timeout_s * 1000);
        return best;
    }
    if (cpe->retry_at && cwmp_event_queue_count(cpe->events))
        min_dl(&best, cpe->retry_at);
    min_dl(&best, cpe->periodic_at);
    for (size_t i = 0; i < cpe->nsched; i++)
        min_dl(&best, cpe->sched[i].at);
    min_dl(&best, cwmp_transfer_queue_next_deadline(cpe->transfers));
    return best;
}

int cwmp_cpe_handle_timeout(struct cwmp_cpe *cpe, int64_t now_ms)
{
    bool changed = false;

    if (!cpe)
        return CWMP_ERR_INVALID_ARG;
    cpe->now = now_ms;
    if (cpe->phase != CPE_IDLE) {
        if (now_ms >= cpe->last_io + (int64_t) cpe->cfg.session_timeout_s * 1000)
            return fail(cpe, CPE_IN_TIMEOUT, CWMP_SESSION_TIMEOUT, CWMP_ERR_TIMEOUT);
        return 0;
    }
    if (cpe->periodic_at >= 0 && now_ms >= cpe->periodic_at) {
        if (cwmp_event_queue_add(cpe->events, CWMP_EVENT_PERIODIC, NULL, NULL) == 0)
            changed = true;
        cpe->periodic_at =
            cwmp_periodic_next(now_ms, cpe->per_interval, cpe->per_time, cpe->per_has_time);
    }
    for (size_t i = 0; i < cpe->nsched;) {
        if (now_ms >= cpe->sched[i].at) {
            if (cwmp_event_queue_add(cpe->events, CWMP_EVENT_SCHEDULED, NULL, NULL) == 0 &&
                cwmp_event_queue_add(cpe->events, CWMP_EVENT_METHOD, "ScheduleInform",
                                     cpe->sched[i].key) == 0) {
                memmove(&cpe->sched[i], &cpe->sched[i + 1],
                        (cpe->nsched - i - 1) * sizeof(cpe->sched[0]));
                cpe->nsched--;
                changed = true;
                continue;
            }
        }
        i++;
    }
    if (changed) {
        store(cpe, CWMP_CPE_REC_EVENTS);
        store(cpe, CWMP_CPE_REC_STATE);
    }
    return 0;
}

/* ---- actions ----------------------------------------------------------------- */

int cwmp_cpe_next_action(struct cwmp_cpe *cpe, struct cwmp_cpe_action *out)
{
    struct cwmp_transfer t;

    if (!cpe || !out)
        return CWMP_ERR_INVALID_ARG;
    memset(out, 0, sizeof(*out));
    if (cpe->phase != CPE_IDLE)
        return 0;
    if (cpe->factory_pending) {
        cpe->factory_pending = false;
        out->kind = CWMP_CPE_ACTION_FACTORY_RESET;
        return 1;
    }
    if (cpe->reboot_pending) {
        /* the state (with the CommandKey) is persisted: after the reboot
         * cwmp_cpe_start() queues M Reboot */
        out->kind = CWMP_CPE_ACTION_REBOOT;
        out->command_key = cpe->reboot_key;
        return 1;
    }
    if (cwmp_transfer_queue_due(cpe->transfers, cpe->now, &t) == 0) {
        if (cwmp_transfer_queue_start(cpe->transfers, t.id, cpe->now) == 0) {
            (void) cwmp_transfer_queue_find(cpe->transfers, t.id, &out->transfer);
            out->kind = CWMP_CPE_ACTION_TRANSFER;
            store(cpe, CWMP_CPE_REC_TRANSFERS);
            return 1;
        }
    }
    /* windows that expired produced completed transfers: announce them
     * (queueing the events again merges with the ones already there) */
    {
        struct cwmp_transfer c;
        size_t n0 = cwmp_event_queue_count(cpe->events);
        for (size_t i = 0; cwmp_transfer_queue_get(cpe->transfers, i, &c) == 0; i++)
            if (c.state == CWMP_TRANSFER_COMPLETED &&
                c.fault_code == CWMP_FAULT_DOWNLOAD_WINDOW_MISSED)
                (void) method_event(cpe, c.kind, c.command_key);
        if (cwmp_event_queue_count(cpe->events) != n0) {
            store(cpe, CWMP_CPE_REC_EVENTS);
            store(cpe, CWMP_CPE_REC_TRANSFERS);
        }
    }
    return 0;
}

int cwmp_cpe_transfer_done(struct cwmp_cpe *cpe, uint32_t id, uint32_t fault_code,
                           const char *fault_string, int64_t start_ms, int64_t complete_ms)
{
    struct cwmp_transfer t;
    int rv;

    if (!cpe)
        return CWMP_ERR_INVALID_ARG;
    rv = cwmp_transfer_queue_complete(cpe->transfers, id, fault_code, fault_string, start_ms,
                                      complete_ms);
    if (rv == 0 && cwmp_transfer_queue_find(cpe->transfers, id, &t) == 0)
        rv = method_event(cpe, t.kind, t.command_key);
    store(cpe, CWMP_CPE_REC_TRANSFERS);
    store(cpe, CWMP_CPE_REC_EVENTS);
    return rv;
}

/* ---- sending ---------------------------------------------------------------- */

static int encode(struct cwmp_cpe *cpe, const struct cwmp_envelope *env, const char **out,
                  size_t *len)
{
    int rv = cwmp_encoder_encode(cpe->enc, env, out, len);
    if (rv) {
        cpe_log(cpe, "cpe: encoding %s failed: %s (%s)", cwmp_method_name(env->rpc.method),
                cwmp_strerror(rv), cwmp_encoder_error_detail(cpe->enc));
        return rv;
    }
    cwmp__trace(cpe->cfg.trace, cpe->cfg.trace_user_data, CWMP_TRACE_SENT, env, *len);
    cpe->last_io = cpe->now;
    return 0;
}

static int inform_parameters(struct cwmp_cpe *cpe, const struct cwmp_event *evs, size_t nev);

static int build_inform(struct cwmp_cpe *cpe, const char **out, size_t *len)
{
    struct cwmp_envelope env;
    struct cwmp_inform *inf = &env.rpc.u.inform;
    struct cwmp_event *evs;
    struct cwmp_queued_event qe;
    size_t n;
    bool vc = false;
    int rv;

    memset(&env, 0, sizeof(env));
    if (cpe->cfg.dm) {
        cwmp_dm_result_free(&cpe->res);
        rv = cwmp_dm_inform_params(cpe->cfg.dm, &cpe->res, &vc);
        if (rv < 0)
            return rv;
        cpe->dm_inform_pending = true;
        if (vc && (rv = cwmp_event_queue_add(cpe->events, CWMP_EVENT_VALUE_CHANGE, NULL, NULL)) < 0)
            return rv;
    }
    cwmp_event_queue_begin(cpe->events);
    n = cwmp_event_queue_count(cpe->events);
    evs = cwmp__arena_calloc(&cpe->arena, n ? n : 1, sizeof(*evs));
    if (!evs)
        return CWMP_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        char code[80];
        (void) cwmp_event_queue_get(cpe->events, i, &qe);
        if (cwmp_event_format(qe.code, qe.arg, code, sizeof(code)) < 0)
            return CWMP_ERR_INTERNAL;
        evs[i].code = cwmp__arena_strdup(&cpe->arena, code);
        evs[i].command_key = qe.command_key;
        if (!evs[i].code)
            return CWMP_ERR_NOMEM;
    }
    if (cpe->cfg.dm && (rv = inform_parameters(cpe, evs, n)) < 0)
        return rv;
    env.version = cpe->adv_version;
    env.header.id = next_id(cpe);
    if (cpe->adv_version >= CWMP_V1_3) {
        env.header.has_session_timeout = true;
        env.header.session_timeout = cpe->cfg.session_timeout_s;
    }
    if (cpe->adv_version >= CWMP_V1_4)
        env.header.supported_cwmp_versions = cwmp__supported_versions(cpe->adv_version);
    env.rpc.method = CWMP_METHOD_INFORM;
    env.rpc.kind = CWMP_RPC_REQUEST;
    inf->device_id = cpe->cfg.device_id;
    inf->events = evs;
    inf->event_count = n;
    inf->max_envelopes = 1;
    inf->current_time = cwmp__arena_datetime(&cpe->arena, cpe->now);
    inf->retry_count = cpe->retry_count;
    inf->params = cpe->res.values;
    inf->param_count = cpe->res.value_count;
    if (!inf->current_time)
        return CWMP_ERR_NOMEM;
    return encode(cpe, &env, out, len);
}

/* ---- ManagementServer.InformParameter.{i} ------------------------------------- */

struct ip_ctx {
    struct cwmp_cpe *cpe;
    const struct cwmp_event *evs;
    size_t nev;
    int rv;
};

static bool list_has_event(const char *list, const struct cwmp_event *evs, size_t nev)
{
    if (!*list)
        return true; /* an empty EventList means every Inform */
    for (size_t i = 0; i < nev; i++) {
        size_t n = strlen(evs[i].code);
        const char *p = list;
        while (*p) {
            const char *c = strchr(p, ',');
            size_t len = c ? (size_t) (c - p) : strlen(p);
            while (len && *p == ' ') {
                p++;
                len--;
            }
            while (len && p[len - 1] == ' ')
                len--;
            if (len == n && memcmp(p, evs[i].code, n) == 0)
                return true;
            p = c ? c + 1 : p + strlen(p);
        }
    }
    return false;
}

static int ip_each(uint32_t inst, void *vctx)
{
    struct ip_ctx *c = vctx;
    struct cwmp_cpe *cpe = c->cpe;
    const char *root = cwmp_dm_root_name(cpe->cfg.dm);
    char path[160], name[260], list[300], en[8];
    const char *names[1];
    bool enable = false;
    int rv;

    snprintf(path, sizeof(path), "%s.ManagementServer.InformParameter.%u.Enable", root, inst);
    if (cwmp_dm_get(cpe->cfg.dm, path, en, sizeof(en)) < 0 ||
        cwmp_parse_bool(en, strlen(en), &enable) != 0 || !enable)
        return 0;
    snprintf(path, sizeof(path), "%s.ManagementServer.InformParameter.%u.ParameterName", root,
             inst);
    if (cwmp_dm_get(cpe->cfg.dm, path, name, sizeof(name)) <= 0)
        return 0;
    snprintf(path, sizeof(path), "%s.ManagementServer.InformParameter.%u.EventList", root, inst);
    if (cwmp_dm_get(cpe->cfg.dm, path, list, sizeof(list)) < 0)
        list[0] = '\0';
    if (!list_has_event(list, c->evs, c->nev))
        return 0;
    for (size_t i = 0; i < cpe->res.value_count; i++)
        if (strcmp(cpe->res.values[i].name, name) == 0)
            return 0; /* already there (forced or changed) */
    names[0] = name;
    rv = cwmp_dm_get_values(cpe->cfg.dm, names, 1, &cpe->res);
    if (rv < 0) {
        c->rv = rv;
        return 1; /* stop */
    }
    return 0; /* a stale ParameterName (9005) is skipped */
}

static int inform_parameters(struct cwmp_cpe *cpe, const struct cwmp_event *evs, size_t nev)
{
    char table[128];
    struct ip_ctx c = {cpe, evs, nev, 0};

    snprintf(table, sizeof(table), "%s.ManagementServer.InformParameter.",
             cwmp_dm_root_name(cpe->cfg.dm));
    (void) cwmp_dm_foreach_instance(cpe->cfg.dm, table, ip_each, &c);
    return c.rv;
}

static bool have_request(struct cwmp_cpe *cpe)
{
    if (cpe->hold || cpe->stop_requests)
        return false;
    return cwmp_transfer_queue_next_completed(cpe->transfers, NULL) == 0 || cpe->nsub > 0;
}

static int build_request(struct cwmp_cpe *cpe, const char **out, size_t *len)
{
    struct cwmp_envelope env;
    struct cwmp_transfer t;

    memset(&env, 0, sizeof(env));
    env.version = cpe->version;
    env.header.id = next_id(cpe);
    if (cwmp_transfer_queue_next_completed(cpe->transfers, &t) == 0) {
        struct cwmp_transfer_complete *tc = &env.rpc.u.transfer_complete;
        env.rpc.method = CWMP_METHOD_TRANSFER_COMPLETE;
        env.rpc.kind = CWMP_RPC_REQUEST;
        tc->command_key = t.command_key;
        tc->fault.code = t.fault_code;
        tc->fault.string = t.fault_string;
        tc->start_time = cwmp__arena_datetime(&cpe->arena, t.start_time_ms);
        tc->complete_time = cwmp__arena_datetime(&cpe->arena, t.complete_time_ms);
        if (!tc->start_time || !tc->complete_time)
            return CWMP_ERR_NOMEM;
        cpe->req_kind = REQ_TC;
        cpe->req_tc_id = t.id;
    } else {
        env.rpc = *cpe->sub[0];
        cpe->req_kind = REQ_SUB;
        cpe->req_sub = cpe->sub[0];
    }
    return encode(cpe, &env, out, len);
}

int cwmp_cpe_session_begin(struct cwmp_cpe *cpe, int64_t now_ms)
{
    int act;

    if (!cpe)
        return CWMP_ERR_INVALID_ARG;
    if (!cpe->started)
        return CWMP_ERR_STATE;
    act = fsm(cpe, CPE_IN_BEGIN);
    if (act < 0)
        return act;
    cpe->now = now_ms;
    cpe->last_io = now_ms;
    cpe->hold = false;
    cpe->inform_acked = false;
    cpe->stop_requests = false;
    cpe->req_kind = REQ_NONE;
    cpe->req_8005 = 0;
    cpe->version = cpe->adv_version;
    clear_in(cpe);
    arena_reset(cpe);
    return 0;
}

int cwmp_cpe_send(struct cwmp_cpe *cpe, const char **out, size_t *len)
{
    int rv, act;

    if (!cpe || !out || !len)
        return CWMP_ERR_INVALID_ARG;
    *out = NULL;
    *len = 0;
    if (cpe->phase == CPE_INFORM) {
        arena_reset(cpe);
        rv = build_inform(cpe, out, len);
        if (rv) {
            (void) fail(cpe, CPE_IN_FAIL, CWMP_SESSION_INTERNAL, rv);
            return rv;
        }
        return fsm(cpe, CPE_IN_SEND_INFORM) < 0 ? CWMP_ERR_INTERNAL : 0;
    }
    if (cpe->phase != CPE_TURN) {
        cpe_log(cpe, "cpe: send in phase %s", cwmp__cpe_phase_names[cpe->phase]);
        return CWMP_ERR_STATE;
    }
    if (cpe->resp_ready) {
        rv = encode(cpe, &cpe->resp, out, len);
        if (rv) {
            (void) fail(cpe, CPE_IN_FAIL, CWMP_SESSION_INTERNAL, rv);
            return rv;
        }
        cpe->resp_ready = false;
        act = fsm(cpe, CPE_IN_SEND_RESPONSE);
    } else if (have_request(cpe)) {
        arena_reset(cpe);
        rv = build_request(cpe, out, len);
        if (rv) {
            (void) fail(cpe, CPE_IN_FAIL, CWMP_SESSION_INTERNAL, rv);
            return rv;
        }
        act = fsm(cpe, CPE_IN_SEND_REQUEST);
    } else {
        cwmp__trace(cpe->cfg.trace, cpe->cfg.trace_user_data, CWMP_TRACE_SENT, NULL, 0);
        cpe->last_io = cpe->now;
        act = fsm(cpe, CPE_IN_SEND_EMPTY);
    }
    return act < 0 ? act : 0;
}

/* ---- receiving: answers to the ACS's requests ----------------------------------- */

static const char *const cpe_methods[] = {
    "GetRPCMethods",
    "SetParameterValues",
    "GetParameterValues",
    "GetParameterNames",
    "SetParameterAttributes",
    "GetParameterAttributes",
    "AddObject",
    "DeleteObject",
    "Reboot",
    "Download",
    "Upload",
    "FactoryReset",
    "GetQueuedTransfers",
    "GetAllQueuedTransfers",
    "ScheduleInform",
    "ScheduleDownload",
    "CancelTransfer",
    "ChangeDUState",
};

static void set_fault(struct cwmp_cpe *cpe, uint32_t code)
{
    cpe->resp.rpc.kind = CWMP_RPC_FAULT;
    memset(&cpe->resp.rpc.u, 0, sizeof(cpe->resp.rpc.u));
    cpe->resp.rpc.u.fault.code = code;
}

/* Maps a data-model return value: fault codes pass, library errors become 9002. */
static uint32_t dm_fault(int rv)
{
    if (rv > 0)
        return (uint32_t) rv;
    return CWMP_FAULT_INTERNAL_ERROR;
}

static int answer_queued(struct cwmp_cpe *cpe, bool all)
{
    size_t n = cwmp_transfer_queue_count(cpe->transfers);
    struct cwmp_transfer t;

    if (n > 16)
        n = 16;
    if (all) {
        struct cwmp_all_queued_transfer *a = cwmp__arena_calloc(&cpe->arena, n ? n : 1, sizeof(*a));
        if (!a)
            return CWMP_ERR_NOMEM;
        for (size_t i = 0; i < n; i++) {
            (void) cwmp_transfer_queue_get(cpe->transfers, i, &t);
            a[i].command_key = t.command_key;
            a[i].state = (int) t.state;
            a[i].is_download = t.kind != CWMP_TRANSFER_UPLOAD;
            a[i].file_type = t.file_type;
            a[i].file_size = t.file_size;
            a[i].target_file_name = t.target_file_name;
        }
        cpe->resp.rpc.u.get_all_queued_transfers_response.transfers = a;
        cpe->resp.rpc.u.get_all_queued_transfers_response.transfer_count = n;
    } else {
        struct cwmp_queued_transfer *a = cwmp__arena_calloc(&cpe->arena, n ? n : 1, sizeof(*a));
        if (!a)
            return CWMP_ERR_NOMEM;
        for (size_t i = 0; i < n; i++) {
            (void) cwmp_transfer_queue_get(cpe->transfers, i, &t);
            a[i].command_key = t.command_key;
            a[i].state = (int) t.state;
        }
        cpe->resp.rpc.u.get_queued_transfers_response.transfers = a;
        cpe->resp.rpc.u.get_queued_transfers_response.transfer_count = n;
    }
    return 0;
}

/* Fills cpe->resp for the request in cpe->in_env. Returns 0 or a negative
 * library error (the session then fails). */
static int answer(struct cwmp_cpe *cpe)
{
    const struct cwmp_rpc *req = &cpe->in_env->rpc;
    struct cwmp_rpc *r = &cpe->resp.rpc;
    struct cwmp_dm *dm = cpe->cfg.dm;
    uint32_t id;
    int rv = 0;

    r->method = req->method;
    r->kind = CWMP_RPC_RESPONSE;
    switch (req->method) {
    case CWMP_METHOD_GET_RPC_METHODS: {
        size_t n = CWMP_ARRAY_SIZE(cpe_methods);
        if (!cbs(cpe) || !cbs(cpe)->change_du_state)
            n--; /* ChangeDUState is last */
        r->u.get_rpc_methods_response.methods = cpe_methods;
        r->u.get_rpc_methods_response.method_count = n;
        break;
    }
    case CWMP_METHOD_GET_PARAMETER_VALUES:
        if (!dm)
            goto unsupported;
        rv = cwmp_dm_get_values(dm, req->u.get_parameter_values.names,
                                req->u.get_parameter_values.name_count, &cpe->res);
        if (rv)
            goto dmfault;
        r->u.get_parameter_values_response.params = cpe->res.values;
        r->u.get_parameter_values_response.param_count = cpe->res.value_count;
        break;
    case CWMP_METHOD_SET_PARAMETER_VALUES:
        if (!dm)
            goto unsupported;
        rv = cwmp_dm_set_values(dm, req->u.set_parameter_values.params,
                                req->u.set_parameter_values.param_count,
                                req->u.set_parameter_values.parameter_key, &cpe->res);
        if (rv) {
            set_fault(cpe, dm_fault(rv));
            if (rv == CWMP_FAULT_INVALID_ARGUMENTS) {
                r->u.fault.param_faults = cpe->res.faults;
                r->u.fault.param_fault_count = cpe->res.fault_count;
            }
            return 0;
        }
        r->u.set_parameter_values_response.status = cpe->res.status;
        break;
    case CWMP_METHOD_GET_PARAMETER_NAMES:
        if (!dm)
            goto unsupported;
        rv = cwmp_dm_get_names(dm, req->u.get_parameter_names.parameter_path,
                               req->u.get_parameter_names.next_level, &cpe->res);
        if (rv)
            goto dmfault;
        r->u.get_parameter_names_response.params = cpe->res.infos;
        r->u.get_parameter_names_response.param_count = cpe->res.info_count;
        break;
    case CWMP_METHOD_SET_PARAMETER_ATTRIBUTES:
        if (!dm)
            goto unsupported;
        rv = cwmp_dm_set_attributes(dm, req->u.set_parameter_attributes.params,
                                    req->u.set_parameter_attributes.param_count);
        if (rv)
            goto dmfault;
        break;
    case CWMP_METHOD_GET_PARAMETER_ATTRIBUTES:
        if (!dm)
            goto unsupported;
        rv = cwmp_dm_get_attributes(dm, req->u.get_parameter_attributes.names,
                                    req->u.get_parameter_attributes.name_count, &cpe->res);
        if (rv)
            goto dmfault;
        r->u.get_parameter_attributes_response.params = cpe->res.attributes;
        r->u.get_parameter_attributes_response.param_count = cpe->res.attribute_count;
        break;
    case CWMP_METHOD_ADD_OBJECT:
        if (!dm)
            goto unsupported;
        rv = cwmp_dm_add_object(dm, req->u.add_object.object_name, req->u.add_object.parameter_key,
                                &cpe->res);
        if (rv)
            goto dmfault;
        r->u.add_object_response.instance_number = cpe->res.instance;
        r->u.add_object_response.status = cpe->res.status;
        break;
    case CWMP_METHOD_DELETE_OBJECT:
        if (!dm)
            goto unsupported;
        rv = cwmp_dm_delete_object(dm, req->u.delete_object.object_name,
                                   req->u.delete_object.parameter_key, &cpe->res);
        if (rv)
            goto dmfault;
        r->u.delete_object_response.status = cpe->res.status;
        break;
    case CWMP_METHOD_REBOOT:
        cpe->reboot_pending = true;
        cwmp__strlcpy(cpe->reboot_key, req->u.reboot.command_key ? req->u.reboot.command_key : "",
                      sizeof(cpe->reboot_key));
        store(cpe, CWMP_CPE_REC_STATE);
        break;
    case CWMP_METHOD_FACTORY_RESET: cpe->factory_pending = true; break;
    case CWMP_METHOD_DOWNLOAD:
    case CWMP_METHOD_UPLOAD:
    case CWMP_METHOD_SCHEDULE_DOWNLOAD:
        if (req->method == CWMP_METHOD_DOWNLOAD)
            rv = cwmp_transfer_queue_add_download(cpe->transfers, &req->u.download, cpe->now, &id);
        else if (req->method == CWMP_METHOD_UPLOAD)
            rv = cwmp_transfer_queue_add_upload(cpe->transfers, &req->u.upload, cpe->now, &id);
        else
            rv = cwmp_transfer_queue_add_schedule_download(
                cpe->transfers, &req->u.schedule_download, cpe->now, &id);
        if (rv)
            goto dmfault;
        store(cpe, CWMP_CPE_REC_TRANSFERS);
        if (req->method != CWMP_METHOD_SCHEDULE_DOWNLOAD) {
            struct cwmp_transfer_response *tr = req->method == CWMP_METHOD_DOWNLOAD
                                                    ? &r->u.download_response
                                                    : &r->u.upload_response;
            tr->status = 1;
            tr->start_time = "0001-01-01T00:00:00Z";
            tr->complete_time = "0001-01-01T00:00:00Z";
        }
        break;
    case CWMP_METHOD_CANCEL_TRANSFER:
        rv = cwmp_transfer_queue_cancel(cpe->transfers, req->u.cancel_transfer.command_key
                                                            ? req->u.cancel_transfer.command_key
                                                            : "");
        if (rv)
            goto dmfault;
        store(cpe, CWMP_CPE_REC_TRANSFERS);
        break;
    case CWMP_METHOD_GET_QUEUED_TRANSFERS:
    case CWMP_METHOD_GET_ALL_QUEUED_TRANSFERS:
        return answer_queued(cpe, req->method == CWMP_METHOD_GET_ALL_QUEUED_TRANSFERS);
    case CWMP_METHOD_SCHEDULE_INFORM: {
        const struct cwmp_schedule_inform *si = &req->u.schedule_inform;
        if (si->delay_seconds == 0) {
            set_fault(cpe, CWMP_FAULT_INVALID_ARGUMENTS);
            return 0;
        }
        if (cpe->nsched >= MAX_SCHED) {
            set_fault(cpe, CWMP_FAULT_RESOURCES_EXCEEDED);
            return 0;
        }
        cpe->sched[cpe->nsched].at = cpe->now + (int64_t) si->delay_seconds * 1000;
        cwmp__strlcpy(cpe->sched[cpe->nsched].key, si->command_key ? si->command_key : "",
                      sizeof(cpe->sched[0].key));
        cpe->nsched++;
        store(cpe, CWMP_CPE_REC_STATE);
        break;
    }
    case CWMP_METHOD_CHANGE_DU_STATE:
        if (!cbs(cpe) || !cbs(cpe)->change_du_state)
            goto unsupported;
        rv = cbs(cpe)->change_du_state(cpe, &req->u.change_du_state, cbs(cpe)->user_data);
        if (rv)
            goto dmfault;
        break;
    case CWMP_METHOD_VENDOR:
        if (!cbs(cpe) || !cbs(cpe)->vendor_method)
            goto unsupported;
        r->u.vendor.name = req->u.vendor.name;
        r->u.vendor.ns = req->u.vendor.ns;
        r->u.vendor.xml = "";
        rv = cbs(cpe)->vendor_method(cpe, req, r, cbs(cpe)->user_data);
        if (rv)
            goto dmfault;
        r->kind = CWMP_RPC_RESPONSE;
        break;
    default: goto unsupported;
    }
    return 0;
unsupported:
    set_fault(cpe, CWMP_FAULT_METHOD_NOT_SUPPORTED);
    return 0;
dmfault:
    if (rv == CWMP_ERR_NOMEM && req->method != CWMP_METHOD_VENDOR) {
        /* memory is short: answer 9004 rather than killing the session */
        set_fault(cpe, CWMP_FAULT_RESOURCES_EXCEEDED);
        return 0;
    }
    set_fault(cpe, dm_fault(rv));
    return 0;
}

static enum cwmp_event_ack sub_ack(enum cwmp_method m)
{
    switch (m) {
    case CWMP_METHOD_REQUEST_DOWNLOAD: return CWMP_ACK_REQUEST_DOWNLOAD;
    case CWMP_METHOD_KICKED: return CWMP_ACK_KICKED;
    case CWMP_METHOD_AUTONOMOUS_TRANSFER_COMPLETE: return CWMP_ACK_AUTONOMOUS_TRANSFER_COMPLETE;
    case CWMP_METHOD_DU_STATE_CHANGE_COMPLETE: return CWMP_ACK_DU_STATE_CHANGE_COMPLETE;
    case CWMP_METHOD_AUTONOMOUS_DU_STATE_CHANGE_COMPLETE:
        return CWMP_ACK_AUTONOMOUS_DU_STATE_CHANGE_COMPLETE;
    default: return CWMP_ACK_INFORM;
    }
}

/* The response or fault to the CPE request in flight. */
static void request_answered(struct cwmp_cpe *cpe, const struct cwmp_envelope *env)
{
    bool fault = env->rpc.kind == CWMP_RPC_FAULT;

    if (fault && env->rpc.u.fault.code == CWMP_FAULT_ACS_RETRY_REQUEST) {
        /* 8005: send it again (a few times per session) */
        if (++cpe->req_8005 >= MAX_8005)
            cpe->stop_requests = true;
        cpe->req_kind = REQ_NONE;
        return;
    }
    if (cpe->req_kind == REQ_TC) {
        (void) cwmp_transfer_queue_remove(cpe->transfers, cpe->req_tc_id);
        if (cwmp_transfer_queue_next_completed(cpe->transfers, NULL) != 0)
            cwmp_event_queue_ack(cpe->events, CWMP_ACK_TRANSFER_COMPLETE);
        store(cpe, CWMP_CPE_REC_TRANSFERS);
        store(cpe, CWMP_CPE_REC_EVENTS);
    } else if (cpe->req_kind == REQ_SUB) {
        struct cwmp_rpc *req = cpe->req_sub;
        enum cwmp_method m = req->method;
        bool more = false;
        if (cbs(cpe) && cbs(cpe)->response)
            cbs(cpe)->response(cpe, req, &env->rpc, cbs(cpe)->user_data);
        for (size_t i = 0; i < cpe->nsub; i++) {
            if (cpe->sub[i] == req) {
                memmove(&cpe->sub[i], &cpe->sub[i + 1], (cpe->nsub - i - 1) * sizeof(cpe->sub[0]));
                cpe->nsub--;
                break;
            }
        }
        for (size_t i = 0; i < cpe->nsub; i++)
            more |= cpe->sub[i]->method == m;
        cwmp_rpc_free(req);
        store(cpe, CWMP_CPE_REC_REQUESTS);
        if (!more && sub_ack(m) != CWMP_ACK_INFORM) {
            cwmp_event_queue_ack(cpe->events, sub_ack(m));
            store(cpe, CWMP_CPE_REC_EVENTS);
        }
    }
    cpe->req_kind = REQ_NONE;
    cpe->req_sub = NULL;
}

static void inform_answered(struct cwmp_cpe *cpe, const struct cwmp_envelope *env)
{
    enum cwmp_version v = env->version < cpe->adv_version ? env->version : cpe->adv_version;

    if (env->header.use_cwmp_version) {
        int u =
            cwmp__parse_version(env->header.use_cwmp_version, strlen(env->header.use_cwmp_version));
        if (u >= 0 && u <= (int) cpe->adv_version)
            v = (enum cwmp_version) u;
    } else if (v >= CWMP_V1_2 && cpe->adv_version >= CWMP_V1_3) {
        /* a 1.2-namespace answer without UseCWMPVersion: stay within 1.2
         * features unless the ACS proved otherwise */
        v = env->header.has_session_timeout ? CWMP_V1_3 : CWMP_V1_2;
        if (v > cpe->adv_version)
            v = cpe->adv_version;
    }
    cpe->version = v;
    if (v < CWMP_V1_2 && v < cpe->adv_version)
        cpe->adv_version = v; /* an old ACS: speak its language from now on */
    cpe->inform_acked = true;
    cwmp_event_queue_ack(cpe->events, CWMP_ACK_INFORM);
    if (cpe->cfg.dm && cpe->dm_inform_pending)
        cwmp_dm_inform_done(cpe->cfg.dm, true);
    cpe->dm_inform_pending = false;
    store(cpe, CWMP_CPE_REC_EVENTS);
}

static enum cwmp__cpe_input classify(const struct cwmp_envelope *env)
{
    switch (env->rpc.kind) {
    case CWMP_RPC_FAULT: return CPE_IN_RECV_FAULT;
    case CWMP_RPC_RESPONSE:
        return env->rpc.method == CWMP_METHOD_INFORM ? CPE_IN_RECV_INFORM_RESPONSE
                                                     : CPE_IN_RECV_RESPONSE;
    default: return CPE_IN_RECV_REQUEST;
    }
}

int cwmp_cpe_recv(struct cwmp_cpe *cpe, const char *body, size_t len)
{
    struct cwmp_envelope *env = NULL;
    enum cwmp__cpe_input in;
    int rv = 0, act;
    char detail[160];

    if (!cpe || (!body && len))
        return CWMP_ERR_INVALID_ARG;
    if (cpe->phase != CPE_INFORM_WAIT && cpe->phase != CPE_REQ_WAIT && cpe->phase != CPE_ACS_WAIT) {
        cpe_log(cpe, "cpe: recv in phase %s", cwmp__cpe_phase_names[cpe->phase]);
        return CWMP_ERR_STATE;
    }
    clear_in(cpe);
    arena_reset(cpe);
    cpe->last_io = cpe->now;
    if (len == 0) {
        in = CPE_IN_RECV_EMPTY;
        cwmp__trace(cpe->cfg.trace, cpe->cfg.trace_user_data, CWMP_TRACE_RECEIVED, NULL, 0);
    } else {
        detail[0] = '\0';
        rv = cwmp_envelope_decode(body, len, &cpe->copts, &env, detail, sizeof(detail));
        if (rv) {
            cpe_log(cpe, "cpe: undecodable ACS message: %s (%s)", cwmp_strerror(rv), detail);
            in = CPE_IN_RECV_INVALID;
        } else {
            cpe->in_env = env;
            cwmp__trace(cpe->cfg.trace, cpe->cfg.trace_user_data, CWMP_TRACE_RECEIVED, env, len);
            in = classify(env);
            if (env->header.has_hold_requests)
                cpe->hold = env->header.hold_requests;
            else if (in != CPE_IN_RECV_RESPONSE && in != CPE_IN_RECV_FAULT)
                cpe->hold = false;
            /* cwmp:ID of a response must match our request */
            if ((in == CPE_IN_RECV_RESPONSE || in == CPE_IN_RECV_INFORM_RESPONSE) &&
                env->header.id && strcmp(env->header.id, cpe->req_id) != 0) {
                cpe_log(cpe, "cpe: response ID '%s' does not match request ID '%s'", env->header.id,
                        cpe->req_id);
                in = CPE_IN_RECV_INVALID;
            }
            if (in == CPE_IN_RECV_RESPONSE && cpe->phase == CPE_REQ_WAIT &&
                ((cpe->req_kind == REQ_TC && env->rpc.method != CWMP_METHOD_TRANSFER_COMPLETE) ||
                 (cpe->req_kind == REQ_SUB && env->rpc.method != cpe->req_sub->method)))
                in = CPE_IN_RECV_INVALID;
        }
    }
    if (len == 0 && cpe->phase == CPE_ACS_WAIT)
        cpe->hold = false;
    if (in == CPE_IN_RECV_FAULT && cpe->phase == CPE_INFORM_WAIT) {
        uint32_t code = env->rpc.u.fault.code;
        if (code == CWMP_FAULT_ACS_VERSION_INCOMPATIBLE && cpe->adv_version > CWMP_V1_0)
            cpe->adv_version = cpe->adv_version >= CWMP_V1_3 ? CWMP_V1_2 : cpe->adv_version - 1;
        return fail(cpe, in, CWMP_SESSION_FAULT, (int) code);
    }
    act = fsm(cpe, in);
    if (act == CWMP_ERR_STATE)
        return act;
    if (act == ACT_FAIL) {
        finish(cpe, CWMP_SESSION_PROTOCOL, rv);
        return CWMP_ERR_PROTOCOL;
    }
    /* ACT_HANDLE */
    switch (in) {
    case CPE_IN_RECV_INFORM_RESPONSE: inform_answered(cpe, env); break;
    case CPE_IN_RECV_RESPONSE:
    case CPE_IN_RECV_FAULT: request_answered(cpe, env); break;
    case CPE_IN_RECV_REQUEST:
        cpe->resp.version = cpe->version;
        cpe->resp.header.id = env->header.id;
        rv = answer(cpe);
        if (rv < 0)
            return fail(cpe, CPE_IN_FAIL, CWMP_SESSION_INTERNAL, rv);
        cpe->resp_ready = true;
        break;
    case CPE_IN_RECV_INVALID:
        /* a request we cannot decode: answer with a fault when the cause is
         * the method or its arguments, otherwise give up */
        if (rv == CWMP_ERR_UNSUPPORTED || rv == CWMP_ERR_BAD_VALUE || rv == CWMP_ERR_MISSING_ARG) {
            memset(&cpe->resp, 0, sizeof(cpe->resp));
            cpe->resp.version = cpe->version;
            /* the fault carries the request's cwmp:ID (TR-069 A.3.1); an ID
             * longer than resp_id goes unanswered by ID */
            if (cwmp_envelope_peek_id(body, len, &cpe->copts, cpe->resp_id, sizeof(cpe->resp_id)) ==
                0)
                cpe->resp.header.id = cpe->resp_id;
            set_fault(cpe, rv == CWMP_ERR_UNSUPPORTED ? CWMP_FAULT_METHOD_NOT_SUPPORTED
                                                      : CWMP_FAULT_INVALID_ARGUMENTS);
            cpe->resp_ready = true;
            break;
        }
        return fail(cpe, CPE_IN_FAIL, CWMP_SESSION_PROTOCOL, rv ? rv : CWMP_ERR_PROTOCOL);
    case CPE_IN_RECV_EMPTY:
        if (!have_request(cpe)) {
            (void) fsm(cpe, CPE_IN_END);
            finish(cpe, CWMP_SESSION_OK, 0);
        }
        break;
    default: break;
    }
    return 0;
}
