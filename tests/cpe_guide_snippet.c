#include <stdlib.h>

#include <cwmp/cpe.h>

/* Provided by your firmware (the names are examples). */
int64_t platform_now_ms(void);
int platform_http_post(const char *url, const char *body, size_t len, char **reply,
                       size_t *reply_len);
void platform_http_close(void);
int platform_wait(int64_t deadline_ms); /* 1: a valid connection request arrived */
int platform_store_save(enum cwmp_cpe_record kind, const char *data, size_t len);
int platform_store_load(enum cwmp_cpe_record kind, char **data, size_t *len);
void platform_reboot(void);
void platform_factory_reset(void);
uint32_t platform_transfer(const struct cwmp_transfer *t); /* 0 or a 9xxx fault */

static int save_cb(enum cwmp_cpe_record kind, const char *data, size_t len, void *user)
{
    (void) user;
    return platform_store_save(kind, data, len);
}

static uint32_t random_cb(void *user)
{
    (void) user;
    return (uint32_t) rand(); /* use your hardware RNG */
}

int agent_main(struct cwmp_dm *dm, const struct cwmp_device_id *id, const char *acs_url,
               int rounds); /* in your header */

int agent_main(struct cwmp_dm *dm, const struct cwmp_device_id *id, const char *acs_url, int rounds)
{
    struct cwmp_cpe_callbacks cb = {0};
    struct cwmp_cpe_config cfg = {0};
    struct cwmp_cpe *cpe;
    struct cwmp_cpe_action act;

    cb.save = save_cb;
    cb.random = random_cb;
    cfg.callbacks = &cb;
    cfg.dm = dm; /* may be NULL: parameter RPCs then answer 9000 */
    cfg.device_id = *id;
    if (cwmp_cpe_new(&cpe, &cfg) != 0)
        return -1;

    /* What survived the last reboot: events, transfers, state, requests. */
    for (int k = CWMP_CPE_REC_EVENTS; k <= CWMP_CPE_REC_REQUESTS; k++) {
        char *data;
        size_t len;
        if (platform_store_load((enum cwmp_cpe_record) k, &data, &len) == 0) {
            cwmp_cpe_restore(cpe, (enum cwmp_cpe_record) k, data, len);
            free(data);
        }
    }
    cwmp_cpe_set_acs_url(cpe, acs_url); /* or ManagementServer.URL in the data model */
    cwmp_cpe_start(cpe, platform_now_ms(), CWMP_CPE_START_BOOT);

    while (rounds-- > 0) {
        cwmp_cpe_handle_timeout(cpe, platform_now_ms());
        cwmp_cpe_check_changes(cpe); /* active notifications start a session */

        if (cwmp_cpe_want_session(cpe)) {
            cwmp_cpe_session_begin(cpe, platform_now_ms());
            while (cwmp_cpe_want_send(cpe)) {
                const char *body;
                char *reply;
                size_t len, reply_len;
                if (cwmp_cpe_send(cpe, &body, &len) != 0)
                    break; /* the session failed; a retry is scheduled */
                if (platform_http_post(acs_url, body, len, &reply, &reply_len) != 0) {
                    cwmp_cpe_session_abort(cpe);
                    break;
                }
                cwmp_cpe_handle_timeout(cpe, platform_now_ms());
                cwmp_cpe_recv(cpe, reply, reply_len); /* reply_len 0: empty body / 204 */
                free(reply);
            }
            platform_http_close();
        }

        /* Reboot, FactoryReset and transfers only happen between sessions. */
        while (cwmp_cpe_next_action(cpe, &act) == 1) {
            if (act.kind == CWMP_CPE_ACTION_REBOOT) {
                cwmp_cpe_free(cpe);
                platform_reboot();
                return 0;
            }
            if (act.kind == CWMP_CPE_ACTION_FACTORY_RESET) {
                cwmp_cpe_free(cpe);
                platform_factory_reset();
                return 0;
            }
            if (act.kind == CWMP_CPE_ACTION_TRANSFER) {
                int64_t start = platform_now_ms();
                uint32_t fault = platform_transfer(&act.transfer);
                cwmp_cpe_transfer_done(cpe, act.transfer.id, fault, NULL, start, platform_now_ms());
            }
        }

        if (platform_wait(cwmp_cpe_next_deadline(cpe)) == 1)
            cwmp_cpe_connection_request(cpe);
    }
    cwmp_cpe_free(cpe);
    return 0;
}
