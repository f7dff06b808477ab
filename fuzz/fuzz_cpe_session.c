/*
 * libcwmp fuzz target: a CPE agent in a session, fed ACS bodies from the
 * input. Bodies are separated by the line "%%" ("\n%%\n"); an empty piece is
 * an empty HTTP body. The agent answers every body it accepts, so requests,
 * responses, faults and garbage all reach the engine in every phase.
 * After the session a second one runs with whatever the first left queued.
 * The agent answers parameter RPCs from a built-in Device:2 tree.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <string.h>

#include <cwmp/cpe.h>
#include <cwmp/datamodel.h>

static int save(enum cwmp_cpe_record kind, const char *data, size_t len, void *u)
{
    (void) kind;
    (void) data;
    (void) len;
    (void) u;
    return 0;
}

static int du(struct cwmp_cpe *cpe, const struct cwmp_change_du_state *req, void *u)
{
    (void) cpe;
    (void) u;
    return req->operation_count > 3 ? 9004 : 0;
}

static int vendor(struct cwmp_cpe *cpe, const struct cwmp_rpc *req, struct cwmp_rpc *resp, void *u)
{
    (void) cpe;
    (void) req;
    (void) u;
    resp->u.vendor.xml = "<Ok>1</Ok>";
    resp->u.vendor.xml_len = 10;
    return 0;
}

static const char *next_piece(const char **p, const char *end, size_t *len)
{
    const char *s = *p, *q = s;
    while (q + 4 <= end && memcmp(q, "\n%%\n", 4) != 0)
        q++;
    if (q + 4 > end)
        q = end;
    *len = (size_t) (q - s);
    *p = q == end ? end : q + 4;
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cwmp_cpe_callbacks cb;
    struct cwmp_cpe_config cfg;
    struct cwmp_cpe *cpe;
    struct cwmp_cpe_action act;
    struct cwmp_dm *dm = NULL;
    const struct cwmp_dm_schema *schema = cwmp_dm_schema_builtin(CWMP_DM_MODEL_DEVICE2);
    const char *p = (const char *) data, *end = p + size;
    int64_t now = 1700000000000LL;

    memset(&cb, 0, sizeof(cb));
    cb.save = save;
    cb.change_du_state = du;
    cb.vendor_method = vendor;
    memset(&cfg, 0, sizeof(cfg));
    cfg.callbacks = &cb;
    cfg.device_id.manufacturer = "Acme";
    cfg.device_id.oui = "00256D";
    cfg.device_id.product_class = "FAP";
    cfg.device_id.serial_number = "SN1";
    if (schema && cwmp_dm_new(&dm, NULL, schema, NULL) == 0)
        cfg.dm = dm;
    if (cwmp_cpe_new(&cpe, &cfg) != 0) {
        cwmp_dm_free(dm);
        return 0;
    }
    cwmp_cpe_set_acs_url(cpe, "https://acs/");
    cwmp_cpe_start(cpe, now, CWMP_CPE_START_BOOT);
    for (int round = 0; round < 2 && p < end; round++) {
        const char *out;
        size_t len;
        if (cwmp_cpe_session_begin(cpe, now) != 0)
            break;
        while (p < end && cwmp_cpe_session_active(cpe)) {
            if (cwmp_cpe_want_send(cpe) && cwmp_cpe_send(cpe, &out, &len) != 0)
                break;
            const char *body = next_piece(&p, end, &len);
            now += 100;
            cwmp_cpe_handle_timeout(cpe, now);
            if (cwmp_cpe_recv(cpe, body, len) < 0)
                break;
        }
        if (cwmp_cpe_session_active(cpe))
            cwmp_cpe_session_abort(cpe);
        while (cwmp_cpe_next_action(cpe, &act) == 1) {
            if (act.kind != CWMP_CPE_ACTION_TRANSFER)
                break;
            cwmp_cpe_transfer_done(cpe, act.transfer.id, 9010, NULL, now, now);
        }
        now = cwmp_cpe_next_deadline(cpe) > now ? cwmp_cpe_next_deadline(cpe) : now + 1000;
        cwmp_cpe_handle_timeout(cpe, now);
    }
    cwmp_cpe_free(cpe);
    cwmp_dm_free(dm);
    return 0;
}
