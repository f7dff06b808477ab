/*
 * libcwmp examples - what the HMS takes from an Inform.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "inform.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int ip_ok(const char *v)
{
    unsigned char bin[16];
    return v && (inet_pton(AF_INET, v, bin) == 1 || inet_pton(AF_INET6, v, bin) == 1);
}

/* "<prefix><digits>.<field>" after the table name: instance and field. */
static int instance_field(const char *p, unsigned *inst, const char **field)
{
    unsigned v = 0;
    int nd = 0;
    while (*p >= '0' && *p <= '9' && nd < 6) {
        v = v * 10 + (unsigned) (*p++ - '0');
        nd++;
    }
    if (nd == 0 || v == 0 || *p != '.' || p[1] == '\0' || strchr(p + 1, '.'))
        return -1;
    *inst = v;
    *field = p + 1;
    return 0;
}

struct slot {
    int queued;
    unsigned inst;
};

static struct hms_alarm *alarm_slot(struct inform_digest *d, struct slot *slots, int queued,
                                    unsigned inst)
{
    for (size_t i = 0; i < d->nalarms; i++)
        if (slots[i].queued == queued && slots[i].inst == inst)
            return &d->alarms[i];
    if (d->nalarms >= INFORM_MAX_ALARMS)
        return NULL;
    struct hms_alarm *a = &d->alarms[d->nalarms];
    memset(a, 0, sizeof(*a));
    a->event_time = a->alarm_identifier = a->notification_type = "";
    a->managed_object_instance = a->event_type = a->probable_cause = "";
    a->specific_problem = a->perceived_severity = a->additional_text = "";
    a->additional_information = "";
    a->mechanism = queued ? "queued" : "expedited";
    slots[d->nalarms] = (struct slot){queued, inst};
    d->nalarms++;
    return a;
}

static void set_field(struct hms_alarm *a, const char *field, const char *v)
{
    static const struct {
        const char *name;
        size_t off;
    } map[] = {
        {"EventTime", offsetof(struct hms_alarm, event_time)},
        {"AlarmIdentifier", offsetof(struct hms_alarm, alarm_identifier)},
        {"NotificationType", offsetof(struct hms_alarm, notification_type)},
        {"ManagedObjectInstance", offsetof(struct hms_alarm, managed_object_instance)},
        {"EventType", offsetof(struct hms_alarm, event_type)},
        {"ProbableCause", offsetof(struct hms_alarm, probable_cause)},
        {"SpecificProblem", offsetof(struct hms_alarm, specific_problem)},
        {"PerceivedSeverity", offsetof(struct hms_alarm, perceived_severity)},
        {"AdditionalText", offsetof(struct hms_alarm, additional_text)},
        {"AdditionalInformation", offsetof(struct hms_alarm, additional_information)},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (!strcmp(field, map[i].name)) {
            *(const char **) ((char *) a + map[i].off) = v;
            return;
        }
    }
}

void inform_digest(const char *const *names, const char *const *values, size_t n,
                   const char *const *events, size_t nevents, struct inform_digest *d)
{
    memset(d, 0, sizeof(*d));
    static const struct {
        const char *code;
        unsigned flag;
    } ev[] = {
        {"0 BOOTSTRAP", INFORM_EV_BOOTSTRAP},
        {"1 BOOT", INFORM_EV_BOOT},
        {"2 PERIODIC", INFORM_EV_PERIODIC},
        {"4 VALUE CHANGE", INFORM_EV_VALUE_CHANGE},
        {"6 CONNECTION REQUEST", INFORM_EV_CONNECTION_REQUEST},
        {"7 TRANSFER COMPLETE", INFORM_EV_TRANSFER_COMPLETE},
    };
    for (size_t i = 0; events && i < nevents; i++)
        for (size_t k = 0; events[i] && k < sizeof(ev) / sizeof(ev[0]); k++)
            if (!strcmp(events[i], ev[k].code))
                d->events |= ev[k].flag;

    struct slot slots[INFORM_MAX_ALARMS];
    for (size_t i = 0; names && values && i < n; i++) {
        const char *name = names[i], *v = values[i];
        if (!name || !v)
            continue;
        if (d->root == HMS_ROOT_UNKNOWN) {
            if (!strncmp(name, "Device.", 7))
                d->root = HMS_ROOT_DEVICE;
            else if (!strncmp(name, "InternetGatewayDevice.", 22))
                d->root = HMS_ROOT_IGD;
        }
        if (ends_with(name, ".ManagementServer.ConnectionRequestURL")) {
            if (strlen(v) <= 256 && (!strncmp(v, "http://", 7) || !strncmp(v, "https://", 8)))
                d->cr_url = v;
            continue;
        }
        /* IPsec inner address: IGD FAP.Tunnel / Issue 1 Transport.Tunnel
         * IKESA.{i}.IPAddress, or Device:2 IPsec.IKEv2SA.{i}.LocalAddress. */
        if ((strstr(name, ".Tunnel.IKESA.") && ends_with(name, ".IPAddress")) ||
            (strstr(name, ".IPsec.IKEv2SA.") && ends_with(name, ".LocalAddress"))) {
            if (ip_ok(v))
                d->inner_ip = v;
            continue;
        }
        const char *t;
        int queued;
        if ((t = strstr(name, ".FaultMgmt.ExpeditedEvent."))) {
            queued = 0;
            t += strlen(".FaultMgmt.ExpeditedEvent.");
        } else if ((t = strstr(name, ".FaultMgmt.QueuedEvent."))) {
            queued = 1;
            t += strlen(".FaultMgmt.QueuedEvent.");
        } else {
            continue;
        }
        unsigned inst;
        const char *field;
        if (instance_field(t, &inst, &field))
            continue;
        struct hms_alarm *a = alarm_slot(d, slots, queued, inst);
        if (a)
            set_field(a, field, v);
    }
    /* Drop unpopulated slots. */
    size_t w = 0;
    for (size_t i = 0; i < d->nalarms; i++) {
        const struct hms_alarm *a = &d->alarms[i];
        if (!strcmp(a->event_time, "0001-01-01T00:00:00Z") ||
            (!a->alarm_identifier[0] && !a->probable_cause[0]))
            continue;
        d->alarms[w++] = *a;
    }
    d->nalarms = w;
    loc_from_inform(names, values, names && values ? n : 0, &d->loc);
}

int inform_events_join(const char *const *events, size_t nevents, char *buf, size_t len)
{
    if (!buf || !len)
        return CWMP_ERR_BUFFER;
    buf[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; events && i < nevents; i++) {
        if (!events[i])
            continue;
        size_t need = strlen(events[i]) + (used ? 1 : 0);
        if (used + need + 1 > len)
            return CWMP_ERR_BUFFER;
        if (used)
            buf[used++] = ',';
        memcpy(buf + used, events[i], strlen(events[i]) + 1);
        used += strlen(events[i]);
    }
    return 0;
}
