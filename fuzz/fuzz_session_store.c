/*
 * libcwmp fuzz target: the loaders of persisted session state (event
 * queue, transfer queue, CPE state, ACS task queue, CPE requests). The first byte picks
 * the loader; the rest is the record.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <string.h>

#include <cwmp/acs.h>
#include <cwmp/cpe.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *) data + 1;
    size_t n = size ? size - 1 : 0;
    char *out;
    size_t len;

    if (size == 0)
        return 0;
    switch (data[0] % 5) {
    case 0: {
        struct cwmp_event_queue *q;
        if (cwmp_event_queue_new(&q, NULL, 0) == 0) {
            if (cwmp_event_queue_load(q, p, n) == 0 && cwmp_event_queue_save(q, &out, &len) == 0)
                cwmp_session_buffer_free(NULL, out);
            cwmp_event_queue_free(q);
        }
        break;
    }
    case 1: {
        struct cwmp_transfer_queue *q;
        if (cwmp_transfer_queue_new(&q, NULL, 0) == 0) {
            struct cwmp_transfer t;
            if (cwmp_transfer_queue_load(q, p, n) == 0) {
                (void) cwmp_transfer_queue_due(q, 1000, &t);
                if (cwmp_transfer_queue_save(q, &out, &len) == 0)
                    cwmp_session_buffer_free(NULL, out);
            }
            cwmp_transfer_queue_free(q);
        }
        break;
    }
    case 2: {
        struct cwmp_cpe_config cfg;
        struct cwmp_cpe *cpe;
        memset(&cfg, 0, sizeof(cfg));
        cfg.device_id.manufacturer = "A";
        cfg.device_id.oui = "00256D";
        cfg.device_id.product_class = "P";
        cfg.device_id.serial_number = "S";
        if (cwmp_cpe_new(&cpe, &cfg) == 0) {
            cwmp_cpe_restore(cpe, CWMP_CPE_REC_STATE, p, n);
            cwmp_cpe_start(cpe, 1000, CWMP_CPE_START_BOOT);
            cwmp_cpe_handle_timeout(cpe, 1000000);
            cwmp_cpe_free(cpe);
        }
        break;
    }
    case 4: {
        struct cwmp_cpe_config cfg;
        struct cwmp_cpe *cpe;
        memset(&cfg, 0, sizeof(cfg));
        cfg.device_id.manufacturer = "A";
        cfg.device_id.oui = "00256D";
        cfg.device_id.product_class = "P";
        cfg.device_id.serial_number = "S";
        if (cwmp_cpe_new(&cpe, &cfg) == 0) {
            cwmp_cpe_restore(cpe, CWMP_CPE_REC_REQUESTS, p, n);
            cwmp_cpe_start(cpe, 1000, CWMP_CPE_START_BOOT);
            cwmp_cpe_free(cpe);
        }
        break;
    }
    default: {
        struct cwmp_task_queue *q;
        if (cwmp_task_queue_new(&q, NULL, NULL, 0) == 0) {
            if (cwmp_task_queue_load(q, p, n) == 0 && cwmp_task_queue_save(q, &out, &len) == 0)
                cwmp_session_buffer_free(NULL, out);
            cwmp_task_queue_free(q);
        }
        break;
    }
    }
    return 0;
}
