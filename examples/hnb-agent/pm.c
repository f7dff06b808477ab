/*
 * libcwmp examples - PM measurement files (TS 32.435 measCollecFile layout).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "pm.h"

#include <stdio.h>
#include <string.h>

#include "exalloc.h"
#include "strbuf.h"

#define PM_NS             "http://www.3gpp.org/ftp/specs/archive/32_series/32.435#measCollec"
#define PM_FORMAT_VERSION "32.435 V10.0"

uint64_t pm_rng_next(struct pm_rng *r)
{
    /* splitmix64 */
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rng_range(struct pm_rng *r, uint64_t lo, uint64_t hi)
{
    return lo + pm_rng_next(r) % (hi - lo + 1);
}

/* Civil date from days since 1970-01-01 (proleptic Gregorian). */
static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned) (z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t) yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int) (yy + (*m <= 2));
}

struct civil {
    int year;
    unsigned mon, day, hour, min, sec;
};

static void to_civil(int64_t t, struct civil *c)
{
    int64_t days = t / 86400, rem = t % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    civil_from_days(days, &c->year, &c->mon, &c->day);
    c->hour = (unsigned) (rem / 3600);
    c->min = (unsigned) (rem % 3600 / 60);
    c->sec = (unsigned) (rem % 60);
}

/* Years 0000..9999 only: keeps every formatted field a fixed width. */
static int time_ok(int64_t t, int tz)
{
    return t >= -62167219200LL + 86400 && t <= 253402300799LL - 86400 && tz >= -1439 && tz <= 1439;
}

int pm_format_time(int64_t t, int tz_minutes, char *buf, size_t len)
{
    if (!buf || !time_ok(t, tz_minutes))
        return CWMP_ERR_INVALID_ARG;
    struct civil c;
    to_civil(t + (int64_t) tz_minutes * 60, &c);
    int atz = tz_minutes < 0 ? -tz_minutes : tz_minutes;
    int n = snprintf(buf, len, "%04d-%02u-%02uT%02u:%02u:%02u%c%02d:%02d", c.year, c.mon, c.day,
                     c.hour, c.min, c.sec, tz_minutes < 0 ? '-' : '+', atz / 60, atz % 60);
    return n < 0 || (size_t) n >= len ? CWMP_ERR_BUFFER : 0;
}

static int text_param_ok(const char *s, int required)
{
    if (!s)
        return !required;
    size_t n = strlen(s);
    return (n > 0 || !required) && n <= PM_MAX_TEXT;
}

static int params_ok(const struct pm_file_params *p)
{
    return p && (p->rat == PM_RAT_UMTS || p->rat == PM_RAT_LTE) &&
           text_param_ok(p->sender_name, 1) && text_param_ok(p->vendor_name, 0) &&
           text_param_ok(p->dn_prefix, 0) && text_param_ok(p->managed_element, 0) &&
           text_param_ok(p->sw_version, 0) && text_param_ok(p->job_id, 0) && p->gran_s >= 1 &&
           p->gran_s <= 86400 && p->cells <= PM_MAX_CELLS && time_ok(p->begin_s, p->tz_minutes) &&
           time_ok(p->begin_s + (int64_t) p->gran_s, p->tz_minutes);
}

int pm_file_name(const struct pm_file_params *p, char *buf, size_t len)
{
    if (!params_ok(p) || !buf)
        return CWMP_ERR_INVALID_ARG;
    struct civil b, e;
    to_civil(p->begin_s + (int64_t) p->tz_minutes * 60, &b);
    to_civil(p->begin_s + p->gran_s + (int64_t) p->tz_minutes * 60, &e);
    int atz = p->tz_minutes < 0 ? -p->tz_minutes : p->tz_minutes;
    char tz[16];
    snprintf(tz, sizeof(tz), "%c%02d%02d", p->tz_minutes < 0 ? '-' : '+', atz / 60, atz % 60);
    char enddate[32] = "";
    if (b.year != e.year || b.mon != e.mon || b.day != e.day)
        snprintf(enddate, sizeof(enddate), "%04d%02u%02u.", e.year, e.mon, e.day);
    char sender[PM_MAX_TEXT + 1];
    size_t n = strlen(p->sender_name);
    for (size_t i = 0; i < n; i++) {
        char c = p->sender_name[i];
        int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '=' || c == ',' || c == '+' || c == '-';
        sender[i] = ok ? c : '_';
    }
    sender[n] = '\0';
    if (sender[0] == '.') /* never a hidden file or "." / ".." */
        sender[0] = '_';
    int w = snprintf(buf, len, "A%04d%02u%02u.%02u%02u%s-%s%02u%02u%s_%s.xml", b.year, b.mon, b.day,
                     b.hour, b.min, tz, enddate, e.hour, e.min, tz, sender);
    return w < 0 || (size_t) w >= len ? CWMP_ERR_BUFFER : 0;
}

/* Illustrative counters (see pm.h). Each pair {attempts, successes} is
 * generated together so that successes <= attempts. */
struct counter_set {
    const char *meas_info_id;
    const char *object_prefix; /* measObjLdn without the cell number */
    const char *names[8];
    unsigned n;
};

static const struct counter_set umts_set = {
    "HNB.Cell",
    "HNBFunction=1,UtranCell=",
    {"RRC.AttConnEstab.Sum", "RRC.SuccConnEstab.Sum", "RAB.AttEstabPS.Sum", "RAB.SuccEstabPS.Sum",
     "HO.AttOutInterSys", "HO.SuccOutInterSys", "PS.VolDL.kbyte", "PS.VolUL.kbyte"},
    8,
};

static const struct counter_set lte_set = {
    "HeNB.Cell",
    "HeNBFunction=1,EUtranCell=",
    {"RRC.ConnEstabAtt.Sum", "RRC.ConnEstabSucc.Sum", "ERAB.EstabInitAttNbr.Sum",
     "ERAB.EstabInitSuccNbr.Sum", "HO.ExeAtt", "HO.ExeSucc", "DRB.PdcpSduVolumeDL",
     "DRB.PdcpSduVolumeUL"},
    8,
};

int pm_file_write(const struct pm_file_params *p, struct pm_rng *rng,
                  const struct cwmp_allocator *alloc, char **out, size_t *out_len)
{
    if (out)
        *out = NULL;
    if (!params_ok(p) || !rng || !out)
        return CWMP_ERR_INVALID_ARG;
    const struct counter_set *cs = p->rat == PM_RAT_LTE ? &lte_set : &umts_set;
    unsigned cells = p->cells ? p->cells : 1;
    char tbegin[40], tend[40];
    pm_format_time(p->begin_s, p->tz_minutes, tbegin, sizeof(tbegin));
    pm_format_time(p->begin_s + p->gran_s, p->tz_minutes, tend, sizeof(tend));

    struct ex_buf b;
    ex_buf_init(&b, alloc, 0);
    ex_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<measCollecFile xmlns=\"" PM_NS "\">\n"
                    "  <fileHeader fileFormatVersion=\"" PM_FORMAT_VERSION "\"");
    if (p->vendor_name) {
        ex_buf_puts(&b, " vendorName=\"");
        ex_buf_xml(&b, p->vendor_name);
        ex_buf_puts(&b, "\"");
    }
    if (p->dn_prefix) {
        ex_buf_puts(&b, " dnPrefix=\"");
        ex_buf_xml(&b, p->dn_prefix);
        ex_buf_puts(&b, "\"");
    }
    ex_buf_puts(&b, ">\n    <fileSender localDn=\"");
    ex_buf_xml(&b, p->sender_name);
    ex_buf_printf(&b, "\" elementType=\"%s\"/>\n", p->rat == PM_RAT_LTE ? "HeNB" : "HNB");
    ex_buf_printf(&b, "    <measCollec beginTime=\"%s\"/>\n  </fileHeader>\n", tbegin);
    ex_buf_puts(&b, "  <measData>\n    <managedElement localDn=\"");
    ex_buf_xml(&b, p->managed_element ? p->managed_element : p->sender_name);
    ex_buf_puts(&b, "\"");
    if (p->sw_version) {
        ex_buf_puts(&b, " swVersion=\"");
        ex_buf_xml(&b, p->sw_version);
        ex_buf_puts(&b, "\"");
    }
    ex_buf_printf(&b, "/>\n    <measInfo measInfoId=\"%s\">\n      <job jobId=\"",
                  cs->meas_info_id);
    ex_buf_xml(&b, p->job_id ? p->job_id : "1");
    ex_buf_printf(&b,
                  "\"/>\n      <granPeriod duration=\"PT%uS\" endTime=\"%s\"/>\n"
                  "      <repPeriod duration=\"PT%uS\"/>\n",
                  (unsigned) p->gran_s, tend, (unsigned) p->gran_s);
    for (unsigned i = 0; i < cs->n; i++)
        ex_buf_printf(&b, "      <measType p=\"%u\">%s</measType>\n", i + 1, cs->names[i]);
    /* Scale counts with the period so a 5-minute file is not busier than an hour. */
    uint64_t scale = p->gran_s >= 60 ? p->gran_s / 60 : 1;
    for (unsigned c = 1; c <= cells; c++) {
        ex_buf_puts(&b, "      <measValue measObjLdn=\"");
        ex_buf_printf(&b, "%s%u\">\n", cs->object_prefix, c);
        uint64_t v[8];
        for (unsigned k = 0; k < 6; k += 2) {
            uint64_t att = rng_range(rng, 0, 40 * scale);
            uint64_t fail = att ? rng_range(rng, 0, att / 20 + 1) : 0;
            v[k] = att;
            v[k + 1] = fail > att ? 0 : att - fail;
        }
        v[6] = rng_range(rng, 0, 2000 * scale); /* kbyte or PDCP volume */
        v[7] = rng_range(rng, 0, 400 * scale);
        for (unsigned k = 0; k < cs->n; k++)
            ex_buf_printf(&b, "        <r p=\"%u\">%llu</r>\n", k + 1, (unsigned long long) v[k]);
        ex_buf_puts(&b, "      </measValue>\n");
    }
    ex_buf_printf(&b,
                  "    </measInfo>\n  </measData>\n  <fileFooter>\n"
                  "    <measCollec endTime=\"%s\"/>\n  </fileFooter>\n</measCollecFile>\n",
                  tend);
    int rv = ex_buf_error(&b);
    if (rv) {
        ex_buf_free(&b);
        return rv;
    }
    *out = ex_buf_take(&b, out_len);
    return *out ? 0 : CWMP_ERR_NOMEM;
}

int64_t pm_next_upload(int64_t now_s, uint32_t interval_s, int64_t phase_s)
{
    if (interval_s == 0)
        return -1;
    int64_t iv = interval_s;
    int64_t r = (now_s - phase_s) % iv; /* may be negative when phase is ahead */
    if (r < 0)
        r += iv;
    return now_s - r + iv;
}
