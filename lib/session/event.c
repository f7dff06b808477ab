/*
 * libcwmp - Inform event codes and the CPE event queue.
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Retention policy (TR-069 Amendment 6, §3.7.1.5): every event waits for
 * the response that completes it (InformResponse for most, the response
 * of the CPE's own request for 5/7/9/10/11/12 and M Download/Upload/
 * ScheduleDownload/ChangeDUState). After a failed session every event is
 * redelivered except 6 CONNECTION REQUEST. Across a reboot only events
 * that still mean something afterwards are kept (1 BOOT is regenerated,
 * 4 VALUE CHANGE / 6 / 8 / 13 / 14 lose their meaning). A new ACS URL
 * discards everything and starts over with 0 BOOTSTRAP.
 */
#include <stdlib.h>

#include <cwmp/session.h>

#include "internal.h"
#include "session_internal.h"

struct std_event {
    const char *name;
    struct cwmp_event_policy policy;
};

/* Indexed by enum value 0..14. */
static const struct std_event std_events[] = {
    {"0 BOOTSTRAP", {false, true, true, CWMP_ACK_INFORM}},
    {"1 BOOT", {false, true, false, CWMP_ACK_INFORM}},
    {"2 PERIODIC", {false, true, true, CWMP_ACK_INFORM}},
    {"3 SCHEDULED", {false, true, true, CWMP_ACK_INFORM}},
    {"4 VALUE CHANGE", {false, true, false, CWMP_ACK_INFORM}},
    {"5 KICKED", {false, true, true, CWMP_ACK_KICKED}},
    {"6 CONNECTION REQUEST", {false, false, false, CWMP_ACK_INFORM}},
    {"7 TRANSFER COMPLETE", {false, true, true, CWMP_ACK_TRANSFER_COMPLETE}},
    {"8 DIAGNOSTICS COMPLETE", {false, true, false, CWMP_ACK_INFORM}},
    {"9 REQUEST DOWNLOAD", {false, true, true, CWMP_ACK_REQUEST_DOWNLOAD}},
    {"10 AUTONOMOUS TRANSFER COMPLETE", {false, true, true, CWMP_ACK_AUTONOMOUS_TRANSFER_COMPLETE}},
    {"11 DU STATE CHANGE COMPLETE", {false, true, true, CWMP_ACK_DU_STATE_CHANGE_COMPLETE}},
    {"12 AUTONOMOUS DU STATE CHANGE COMPLETE",
     {false, true, true, CWMP_ACK_AUTONOMOUS_DU_STATE_CHANGE_COMPLETE}},
    {"13 WAKEUP", {false, true, false, CWMP_ACK_INFORM}},
    {"14 HEARTBEAT", {false, false, false, CWMP_ACK_INFORM}},
};

struct method_policy {
    const char *method;
    enum cwmp_event_ack ack;
};

static const struct method_policy method_policies[] = {
    {"Reboot", CWMP_ACK_INFORM},
    {"ScheduleInform", CWMP_ACK_INFORM},
    {"Download", CWMP_ACK_TRANSFER_COMPLETE},
    {"Upload", CWMP_ACK_TRANSFER_COMPLETE},
    {"ScheduleDownload", CWMP_ACK_TRANSFER_COMPLETE},
    {"ChangeDUState", CWMP_ACK_DU_STATE_CHANGE_COMPLETE},
};

static bool is_std(enum cwmp_event_code code)
{
    return (int) code >= 0 && (size_t) code < CWMP_ARRAY_SIZE(std_events);
}

void cwmp_event_get_policy(enum cwmp_event_code code, const char *method,
                           struct cwmp_event_policy *out)
{
    if (is_std(code)) {
        *out = std_events[code].policy;
        return;
    }
    out->cumulative = code == CWMP_EVENT_METHOD || code == CWMP_EVENT_VENDOR;
    out->keep_on_failure = true;
    out->keep_on_reboot = false;
    out->ack = CWMP_ACK_INFORM;
    if (code == CWMP_EVENT_METHOD && method) {
        for (size_t i = 0; i < CWMP_ARRAY_SIZE(method_policies); i++) {
            if (strcmp(method, method_policies[i].method) == 0) {
                out->ack = method_policies[i].ack;
                out->keep_on_reboot = true;
                break;
            }
        }
    }
}

const char *cwmp__event_std_name(enum cwmp_event_code code)
{
    return is_std(code) ? std_events[code].name : NULL;
}

int cwmp_event_format(enum cwmp_event_code code, const char *arg, char *buf, size_t size)
{
    const char *prefix;
    size_t plen, alen;

    if (!buf)
        return CWMP_ERR_INVALID_ARG;
    if (is_std(code)) {
        prefix = std_events[code].name;
        arg = "";
    } else if (code == CWMP_EVENT_METHOD) {
        prefix = "M ";
    } else if (code == CWMP_EVENT_VENDOR) {
        prefix = "X ";
    } else {
        return CWMP_ERR_INVALID_ARG;
    }
    if (!arg || (!is_std(code) && !*arg))
        return CWMP_ERR_INVALID_ARG;
    plen = strlen(prefix);
    alen = strlen(arg);
    if (plen + alen >= size || plen + alen > 64)
        return CWMP_ERR_BUFFER;
    memcpy(buf, prefix, plen);
    memcpy(buf + plen, arg, alen);
    buf[plen + alen] = '\0';
    return (int) (plen + alen);
}

static bool is_upper_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

int cwmp_event_parse(const char *s, size_t len, enum cwmp_event_code *code, const char **arg,
                     size_t *arg_len)
{
    if (!s || !code)
        return CWMP_ERR_INVALID_ARG;
    if (arg)
        *arg = NULL;
    if (arg_len)
        *arg_len = 0;
    if (len > 64)
        return CWMP_ERR_BAD_VALUE;
    for (size_t i = 0; i < CWMP_ARRAY_SIZE(std_events); i++) {
        const char *n = std_events[i].name;
        if (strlen(n) == len && memcmp(n, s, len) == 0) {
            *code = (enum cwmp_event_code) i;
            return 0;
        }
    }
    if (len > 2 && s[0] == 'M' && s[1] == ' ') {
        for (size_t i = 2; i < len; i++)
            if ((unsigned char) s[i] <= ' ')
                return CWMP_ERR_BAD_VALUE;
        *code = CWMP_EVENT_METHOD;
    } else if (len > 9 && s[0] == 'X' && s[1] == ' ') {
        for (size_t i = 2; i < 8; i++)
            if (!is_upper_hex(s[i]))
                return CWMP_ERR_BAD_VALUE;
        if (s[8] != ' ')
            return CWMP_ERR_BAD_VALUE;
        for (size_t i = 9; i < len; i++)
            if ((unsigned char) s[i] < ' ')
                return CWMP_ERR_BAD_VALUE;
        *code = CWMP_EVENT_VENDOR;
    } else {
        return CWMP_ERR_BAD_VALUE;
    }
    if (arg)
        *arg = s + 2;
    if (arg_len)
        *arg_len = len - 2;
    return 0;
}

/* ---- queue -------------------------------------------------------------- */

struct qev {
    enum cwmp_event_code code;
    bool in_flight;
    char *arg;
    char *key;
};

struct cwmp_event_queue {
    const struct cwmp_allocator *alloc;
    struct qev *ev;
    size_t n, cap, max;
};

int cwmp_event_queue_new(struct cwmp_event_queue **out, const struct cwmp_allocator *alloc,
                         size_t max_events)
{
    struct cwmp_event_queue *q;

    if (!out)
        return CWMP_ERR_INVALID_ARG;
    *out = NULL;
    alloc = cwmp__alloc_or_default(alloc);
    q = cwmp__calloc(alloc, 1, sizeof(*q));
    if (!q)
        return CWMP_ERR_NOMEM;
    q->alloc = alloc;
    q->max = max_events ? max_events : 64;
    *out = q;
    return 0;
}

static void qev_free(struct cwmp_event_queue *q, struct qev *e)
{
    cwmp__free(q->alloc, e->arg);
    cwmp__free(q->alloc, e->key);
}

static void remove_at(struct cwmp_event_queue *q, size_t i)
{
    qev_free(q, &q->ev[i]);
    memmove(&q->ev[i], &q->ev[i + 1], (q->n - i - 1) * sizeof(q->ev[0]));
    q->n--;
}

void cwmp_event_queue_clear(struct cwmp_event_queue *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->n; i++)
        qev_free(q, &q->ev[i]);
    q->n = 0;
}

void cwmp_event_queue_free(struct cwmp_event_queue *q)
{
    if (!q)
        return;
    cwmp_event_queue_clear(q);
    cwmp__free(q->alloc, q->ev);
    cwmp__free(q->alloc, q);
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

static int valid_arg(enum cwmp_event_code code, const char *arg)
{
    char tmp[80];
    int n = cwmp_event_format(code, arg, tmp, sizeof(tmp));
    enum cwmp_event_code c2;

    if (n < 0)
        return n;
    if (cwmp_event_parse(tmp, (size_t) n, &c2, NULL, NULL) != 0 || c2 != code)
        return CWMP_ERR_INVALID_ARG;
    return 0;
}

int cwmp_event_queue_add(struct cwmp_event_queue *q, enum cwmp_event_code code, const char *arg,
                         const char *command_key)
{
    struct cwmp_event_policy pol;
    struct qev *e;
    int rv;

    if (!q)
        return CWMP_ERR_INVALID_ARG;
    rv = valid_arg(code, is_std(code) ? "" : arg);
    if (rv < 0)
        return CWMP_ERR_INVALID_ARG;
    if (is_std(code))
        arg = "";
    command_key = nz(command_key);
    if (strlen(command_key) > 32)
        return CWMP_ERR_INVALID_ARG;
    cwmp_event_get_policy(code, arg, &pol);
    for (size_t i = 0; i < q->n; i++) {
        e = &q->ev[i];
        if (e->code != code || strcmp(e->arg, arg) != 0)
            continue;
        if (!pol.cumulative || strcmp(e->key, command_key) == 0) {
            if (!e->in_flight)
                return 0; /* merged */
        }
    }
    if (q->n >= q->max)
        return CWMP_ERR_LIMIT;
    if (q->n == q->cap) {
        size_t nc = q->cap ? q->cap * 2 : 8;
        struct qev *ne = cwmp__realloc(q->alloc, q->ev, nc * sizeof(*ne));
        if (!ne)
            return CWMP_ERR_NOMEM;
        q->ev = ne;
        q->cap = nc;
    }
    e = &q->ev[q->n];
    e->code = code;
    e->in_flight = false;
    e->arg = cwmp__strdup(q->alloc, arg);
    e->key = cwmp__strdup(q->alloc, command_key);
    if (!e->arg || !e->key) {
        qev_free(q, e);
        return CWMP_ERR_NOMEM;
    }
    q->n++;
    return 0;
}

size_t cwmp_event_queue_count(const struct cwmp_event_queue *q)
{
    return q ? q->n : 0;
}

int cwmp_event_queue_get(const struct cwmp_event_queue *q, size_t index,
                         struct cwmp_queued_event *out)
{
    if (!q || !out || index >= q->n)
        return CWMP_ERR_NOT_FOUND;
    out->code = q->ev[index].code;
    out->arg = q->ev[index].arg;
    out->command_key = q->ev[index].key;
    out->in_flight = q->ev[index].in_flight;
    return 0;
}

bool cwmp_event_queue_has(const struct cwmp_event_queue *q, enum cwmp_event_code code,
                          const char *arg)
{
    if (!q)
        return false;
    for (size_t i = 0; i < q->n; i++)
        if (q->ev[i].code == code && (!arg || strcmp(arg, q->ev[i].arg) == 0))
            return true;
    return false;
}

size_t cwmp_event_queue_remove(struct cwmp_event_queue *q, enum cwmp_event_code code,
                               const char *arg)
{
    size_t removed = 0;

    for (size_t i = 0; q && i < q->n;) {
        if (q->ev[i].code == code && (!arg || strcmp(arg, q->ev[i].arg) == 0)) {
            remove_at(q, i);
            removed++;
        } else {
            i++;
        }
    }
    return removed;
}

void cwmp_event_queue_begin(struct cwmp_event_queue *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->n; i++)
        q->ev[i].in_flight = true;
}

size_t cwmp_event_queue_ack(struct cwmp_event_queue *q, enum cwmp_event_ack ack)
{
    size_t removed = 0;
    struct cwmp_event_policy pol;

    if (!q)
        return 0;
    for (size_t i = 0; i < q->n;) {
        cwmp_event_get_policy(q->ev[i].code, q->ev[i].arg, &pol);
        if (q->ev[i].in_flight && pol.ack == ack) {
            remove_at(q, i);
            removed++;
        } else {
            i++;
        }
    }
    return removed;
}

static void drop_where(struct cwmp_event_queue *q, int reboot)
{
    struct cwmp_event_policy pol;

    for (size_t i = 0; i < q->n;) {
        cwmp_event_get_policy(q->ev[i].code, q->ev[i].arg, &pol);
        bool keep = reboot ? pol.keep_on_reboot : (!q->ev[i].in_flight || pol.keep_on_failure);
        if (!keep) {
            remove_at(q, i);
        } else {
            q->ev[i].in_flight = false;
            i++;
        }
    }
}

void cwmp_event_queue_failed(struct cwmp_event_queue *q)
{
    if (q)
        drop_where(q, 0);
}

void cwmp_event_queue_end(struct cwmp_event_queue *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->n; i++)
        q->ev[i].in_flight = false;
}

void cwmp_event_queue_reboot(struct cwmp_event_queue *q)
{
    if (q)
        drop_where(q, 1);
}

int cwmp_event_queue_new_acs(struct cwmp_event_queue *q)
{
    if (!q)
        return CWMP_ERR_INVALID_ARG;
    cwmp_event_queue_clear(q);
    return cwmp_event_queue_add(q, CWMP_EVENT_BOOTSTRAP, NULL, NULL);
}

/* ---- persistence -------------------------------------------------------- */

/* One event per line: "<code> <escaped arg> <escaped key>\n"; the escaped
 * fields use %XX for '%', space, and bytes < 0x21 or 0x7f, and "-" for an
 * empty field. */

int cwmp_event_queue_save(const struct cwmp_event_queue *q, char **data, size_t *len)
{
    struct cwmp_buf b;

    if (!q || !data || !len)
        return CWMP_ERR_INVALID_ARG;
    cwmp__buf_init(&b, q->alloc, 0);
    cwmp__buf_puts(&b, "cwmp-events 1\n");
    for (size_t i = 0; i < q->n; i++) {
        cwmp__buf_put_i64(&b, q->ev[i].code);
        cwmp__buf_putc(&b, ' ');
        cwmp__esc_put(&b, q->ev[i].arg);
        cwmp__buf_putc(&b, ' ');
        cwmp__esc_put(&b, q->ev[i].key);
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

void cwmp_session_buffer_free(const struct cwmp_allocator *alloc, char *data)
{
    cwmp__free(cwmp__alloc_or_default(alloc), data);
}

int cwmp_event_queue_load(struct cwmp_event_queue *q, const char *data, size_t len)
{
    struct cwmp__lines ln;
    struct cwmp__field f[3];
    size_t start = q ? q->n : 0;
    int rv = 0;

    if (!q || (!data && len))
        return CWMP_ERR_INVALID_ARG;
    cwmp__lines_init(&ln, data, len);
    if (cwmp__lines_header(&ln, "cwmp-events 1") != 0)
        return CWMP_ERR_PARSE;
    while ((rv = cwmp__lines_next(&ln, f, 3)) > 0) {
        char arg[80], key[40];
        int64_t code;
        if (cwmp__field_int(&f[0], &code) != 0 || cwmp__unesc(&f[1], arg, sizeof(arg)) != 0 ||
            cwmp__unesc(&f[2], key, sizeof(key)) != 0) {
            rv = CWMP_ERR_PARSE;
            break;
        }
        rv = cwmp_event_queue_add(q, (enum cwmp_event_code) code, arg, key);
        if (rv == CWMP_ERR_INVALID_ARG)
            rv = CWMP_ERR_PARSE;
        if (rv < 0)
            break;
    }
    if (rv < 0) {
        while (q->n > start)
            remove_at(q, q->n - 1);
        return rv;
    }
    return 0;
}
