/*
 * libcwmp examples - the device's identity and location, both ways.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "location.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int emit_fmt(loc_emit_fn emit, void *ud, const char *root, const char *suffix,
                    const char *value, enum cmfile_type type)
{
    char name[CMFILE_MAX_NAME + 1];
    int n = snprintf(name, sizeof(name), "%s.%s", root, suffix);
    if (n < 0 || (size_t) n >= sizeof(name))
        return CWMP_ERR_BAD_VALUE;
    return emit(ud, name, value, type);
}

int loc_agent_values(const struct conf_agent *a, loc_emit_fn emit, void *ud)
{
    if (!a || !emit)
        return CWMP_ERR_INVALID_ARG;
    const char *root = a->root == CONF_ROOT_IGD ? "InternetGatewayDevice" : "Device";
    int rv;
    if ((rv =
             emit_fmt(emit, ud, root, "DeviceInfo.Manufacturer", a->manufacturer, CMFILE_STRING)) ||
        (rv = emit_fmt(emit, ud, root, "DeviceInfo.ManufacturerOUI", a->oui, CMFILE_STRING)) ||
        (rv = emit_fmt(emit, ud, root, "DeviceInfo.ProductClass", a->product_class,
                       CMFILE_STRING)) ||
        (rv = emit_fmt(emit, ud, root, "DeviceInfo.SerialNumber", a->serial, CMFILE_STRING)))
        return rv;
    char v[32], s[128];
    if (a->has_gps) {
        snprintf(v, sizeof(v), "%ld", (long) a->gps_lat_udeg);
        if ((rv = emit_fmt(emit, ud, root, "FAP.GPS.LockedLatitude", v, CMFILE_INT)))
            return rv;
        snprintf(v, sizeof(v), "%ld", (long) a->gps_lon_udeg);
        if ((rv = emit_fmt(emit, ud, root, "FAP.GPS.LockedLongitude", v, CMFILE_INT)))
            return rv;
    }
    int lte = a->rat == CONF_RAT_LTE;
    for (size_t i = 0; i < a->nrem; i++) {
        const struct conf_rem_cell *c = &a->rem[i];
        const char *cell = lte ? "Services.FAPService.1.REM.LTE.Cell"
                               : "Services.FAPService.1.REM.UMTS.WCDMA.Cell";
        snprintf(s, sizeof(s), "%s.%zu.BCCH.%s", cell, i + 1, lte ? "PLMNList.1.PLMNID" : "PLMNID");
        if ((rv = emit_fmt(emit, ud, root, s, c->plmn, CMFILE_STRING)))
            return rv;
        snprintf(s, sizeof(s), "%s.%zu.BCCH.%s", cell, i + 1, lte ? "TAC" : "LAC");
        snprintf(v, sizeof(v), "%u", (unsigned) c->area);
        if ((rv = emit_fmt(emit, ud, root, s, v, CMFILE_UNSIGNED_INT)))
            return rv;
        snprintf(s, sizeof(s), "%s.%zu.BCCH.CellID", cell, i + 1);
        snprintf(v, sizeof(v), "%u", (unsigned) c->cell_id);
        if ((rv = emit_fmt(emit, ud, root, s, v, CMFILE_UNSIGNED_INT)))
            return rv;
    }
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int parse_int(const char *v, long min, long max, int32_t *out)
{
    if (!v || !*v || strlen(v) > 11)
        return -1;
    char *end = NULL;
    long x = strtol(v, &end, 10);
    if (*end || x < min || x > max || (v[0] != '-' && (v[0] < '0' || v[0] > '9')))
        return -1;
    *out = (int32_t) x;
    return 0;
}

static void add_plmn(struct loc_info *l, const char *v)
{
    size_t n = v ? strlen(v) : 0;
    if ((n != 5 && n != 6) || l->nplmns >= CONF_MAX_REM)
        return;
    for (size_t i = 0; i < n; i++)
        if (v[i] < '0' || v[i] > '9')
            return;
    for (size_t i = 0; i < l->nplmns; i++)
        if (!strcmp(l->plmn[i], v))
            return;
    memcpy(l->plmn[l->nplmns], v, n + 1);
    l->plmn_ptr[l->nplmns] = l->plmn[l->nplmns];
    l->nplmns++;
}

void loc_from_inform(const char *const *names, const char *const *values, size_t n,
                     struct loc_info *out)
{
    memset(out, 0, sizeof(*out));
    int have_lat = 0, have_lon = 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = names[i], *v = values[i];
        if (!name || !v)
            continue;
        /* Issue 2 ({Root}.FAP.GPS.) or Issue 1 (FAPService.{i}.GPS.). */
        int gps = strstr(name, ".FAP.GPS.") ||
                  (strstr(name, ".FAPService.") && strstr(name, ".GPS.") && !strstr(name, ".REM."));
        if (gps && ends_with(name, ".GPS.LockedLatitude"))
            have_lat = parse_int(v, -90000000, 90000000, &out->lat_udeg) == 0;
        else if (gps && ends_with(name, ".GPS.LockedLongitude"))
            have_lon = parse_int(v, -180000000, 180000000, &out->lon_udeg) == 0;
        else if (strstr(name, ".REM.") &&
                 (ends_with(name, ".BCCH.PLMNID") || ends_with(name, ".PLMNID")))
            add_plmn(out, v);
    }
    out->has_gps = have_lat && have_lon;
    if (!out->has_gps)
        out->lat_udeg = out->lon_udeg = 0;
}

void loc_fill_device_info(const struct loc_info *l, struct conf_device_info *dev)
{
    dev->has_gps = l->has_gps;
    dev->lat_udeg = l->lat_udeg;
    dev->lon_udeg = l->lon_udeg;
    dev->plmns = l->plmn_ptr;
    dev->nplmns = l->nplmns;
}
