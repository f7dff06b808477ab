/*
 * libcwmp tests - event codes, event queue policy, retry back-off and the
 * periodic Inform schedule.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <string.h>

#include <cwmp/session.h>

#include "testutil.h"

static void test_event_format_parse(void **state)
{
    char buf[80];
    enum cwmp_event_code c;
    const char *arg;
    size_t alen;
    (void) state;

    for (int i = 0; i <= 14; i++) {
        int n = cwmp_event_format((enum cwmp_event_code) i, NULL, buf, sizeof(buf));
        assert_true(n > 0);
        assert_int_equal(cwmp_event_parse(buf, (size_t) n, &c, &arg, &alen), 0);
        assert_int_equal(c, i);
        assert_null(arg);
    }
    assert_int_equal(cwmp_event_format(CWMP_EVENT_METHOD, "Reboot", buf, sizeof(buf)), 8);
    assert_string_equal(buf, "M Reboot");
    assert_int_equal(cwmp_event_parse(buf, 8, &c, &arg, &alen), 0);
    assert_int_equal(c, CWMP_EVENT_METHOD);
    assert_int_equal(alen, 6);
    assert_memory_equal(arg, "Reboot", 6);
    assert_int_equal(cwmp_event_parse("X 00256D Boom", 13, &c, &arg, &alen), 0);
    assert_int_equal(c, CWMP_EVENT_VENDOR);
    assert_int_equal(cwmp_event_parse("X 00256d Boom", 13, &c, NULL, NULL), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_event_parse("X 00256D", 8, &c, NULL, NULL), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_event_parse("M ", 2, &c, NULL, NULL), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_event_parse("M a b", 5, &c, NULL, NULL), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_event_parse("0 bootstrap", 11, &c, NULL, NULL), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_event_parse("15 FOO", 6, &c, NULL, NULL), CWMP_ERR_BAD_VALUE);
    assert_int_equal(cwmp_event_format(CWMP_EVENT_METHOD, "", buf, sizeof(buf)),
                     CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_event_format((enum cwmp_event_code) 50, NULL, buf, sizeof(buf)),
                     CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_event_format(CWMP_EVENT_BOOTSTRAP, NULL, buf, 5), CWMP_ERR_BUFFER);
}

static void test_event_policy(void **state)
{
    struct cwmp_event_policy p;
    (void) state;

    cwmp_event_get_policy(CWMP_EVENT_CONNECTION_REQUEST, NULL, &p);
    assert_false(p.keep_on_failure);
    assert_false(p.keep_on_reboot);
    cwmp_event_get_policy(CWMP_EVENT_BOOTSTRAP, NULL, &p);
    assert_true(p.keep_on_failure);
    assert_true(p.keep_on_reboot);
    assert_false(p.cumulative);
    cwmp_event_get_policy(CWMP_EVENT_BOOT, NULL, &p);
    assert_false(p.keep_on_reboot);
    cwmp_event_get_policy(CWMP_EVENT_TRANSFER_COMPLETE, NULL, &p);
    assert_int_equal(p.ack, CWMP_ACK_TRANSFER_COMPLETE);
    cwmp_event_get_policy(CWMP_EVENT_METHOD, "Download", &p);
    assert_true(p.cumulative);
    assert_int_equal(p.ack, CWMP_ACK_TRANSFER_COMPLETE);
    assert_true(p.keep_on_reboot);
    cwmp_event_get_policy(CWMP_EVENT_METHOD, "ChangeDUState", &p);
    assert_int_equal(p.ack, CWMP_ACK_DU_STATE_CHANGE_COMPLETE);
    cwmp_event_get_policy(CWMP_EVENT_METHOD, "Reboot", &p);
    assert_int_equal(p.ack, CWMP_ACK_INFORM);
    cwmp_event_get_policy(CWMP_EVENT_KICKED, NULL, &p);
    assert_int_equal(p.ack, CWMP_ACK_KICKED);
}

static void test_event_queue(void **state)
{
    struct cwmp_event_queue *q;
    struct cwmp_queued_event ev;
    (void) state;

    assert_int_equal(cwmp_event_queue_new(&q, &test_allocator, 8), 0);
    assert_int_equal(cwmp_event_queue_add(q, CWMP_EVENT_BOOT, NULL, NULL), 0);
    assert_int_equal(cwmp_event_queue_add(q, CWMP_EVENT_BOOT, NULL, NULL), 0);
    assert_int_equal(cwmp_event_queue_count(q), 1); /* single: merged */
    assert_int_equal(cwmp_event_queue_add(q, CWMP_EVENT_METHOD, "Reboot", "k1"), 0);
    assert_int_equal(cwmp_event_queue_add(q, CWMP_EVENT_METHOD, "Reboot", "k1"), 0);
    assert_int_equal(cwmp_event_queue_add(q, CWMP_EVENT_METHOD, "Download", "d1"), 0);
    assert_int_equal(cwmp_event_queue_add(q, CWMP_EVENT_METHOD, "Download", "d2"), 0);
    assert_int_equal(cwmp_event_queue_add(q, CWMP_EVENT_CONNECTION_REQUEST, NULL, NULL), 0);
    assert_int_equal(cwmp_event_queue_add(q, CWMP_EVENT_TRANSFER_COMPLETE, NULL, NULL), 0);
    assert_int_equal(cwmp_event_queue_count(q), 6);
    assert_int_equal(cwmp_event_queue_add(q, CWMP_EVENT_METHOD, NULL, NULL), CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_event_queue_add(q, (enum cwmp_event_code) 77, NULL, NULL),
                     CWMP_ERR_INVALID_ARG);
    assert_int_equal(cwmp_event_queue_get(q, 1, &ev), 0);
    assert_int_equal(ev.code, CWMP_EVENT_METHOD);
    assert_string_equal(ev.arg, "Reboot");
    assert_string_equal(ev.command_key, "k1");
    assert_int_equal(cwmp_event_queue_get(q, 6, &ev), CWMP_ERR_NOT_FOUND);

    /* failed session: everything but 6 CONNECTION REQUEST survives */
    cwmp_event_queue_begin(q);
    cwmp_event_queue_failed(q);
    assert_int_equal(cwmp_event_queue_count(q), 5);
    assert_false(cwmp_event_queue_has(q, CWMP_EVENT_CONNECTION_REQUEST, NULL));

    /* next session: InformResponse removes the inform-acked ones */
    cwmp_event_queue_begin(q);
    assert_int_equal(cwmp_event_queue_add(q, CWMP_EVENT_VALUE_CHANGE, NULL, NULL), 0);
    assert_int_equal(cwmp_event_queue_ack(q, CWMP_ACK_INFORM), 2);       /* 1 BOOT, M Reboot */
    assert_true(cwmp_event_queue_has(q, CWMP_EVENT_VALUE_CHANGE, NULL)); /* not in flight */
    assert_true(cwmp_event_queue_has(q, CWMP_EVENT_METHOD, "Download"));
    assert_int_equal(cwmp_event_queue_ack(q, CWMP_ACK_TRANSFER_COMPLETE), 3);
    assert_int_equal(cwmp_event_queue_count(q), 1);
    cwmp_event_queue_end(q);

    /* limit */
    for (int i = 0; i < 7; i++) {
        char k[8];
        snprintf(k, sizeof(k), "x%d", i);
        assert_int_equal(cwmp_event_queue_add(q, CWMP_EVENT_METHOD, "Upload", k), 0);
    }
    assert_int_equal(cwmp_event_queue_add(q, CWMP_EVENT_METHOD, "Upload", "y"), CWMP_ERR_LIMIT);

    /* ACS URL change */
    assert_int_equal(cwmp_event_queue_new_acs(q), 0);
    assert_int_equal(cwmp_event_queue_count(q), 1);
    assert_true(cwmp_event_queue_has(q, CWMP_EVENT_BOOTSTRAP, NULL));
    cwmp_event_queue_free(q);
    cwmp_event_queue_free(NULL);
}

static void test_event_queue_persist(void **state)
{
    struct cwmp_event_queue *q, *r;
    char *data;
    size_t len;
    struct cwmp_queued_event ev;
    (void) state;

    assert_int_equal(cwmp_event_queue_new(&q, &test_allocator, 0), 0);
    assert_int_equal(cwmp_event_queue_add(q, CWMP_EVENT_BOOTSTRAP, NULL, NULL), 0);
    assert_int_equal(cwmp_event_queue_add(q, CWMP_EVENT_VALUE_CHANGE, NULL, NULL), 0);
    assert_int_equal(cwmp_event_queue_add(q, CWMP_EVENT_METHOD, "Reboot", "a key%with -"), 0);
    assert_int_equal(cwmp_event_queue_add(q, CWMP_EVENT_METHOD, "Download", "-"), 0);
    assert_int_equal(cwmp_event_queue_add(q, CWMP_EVENT_VENDOR, "00256D Foo Bar", NULL), 0);
    assert_int_equal(cwmp_event_queue_save(q, &data, &len), 0);

    assert_int_equal(cwmp_event_queue_new(&r, &test_allocator, 0), 0);
    assert_int_equal(cwmp_event_queue_load(r, data, len), 0);
    assert_int_equal(cwmp_event_queue_count(r), 5);
    assert_int_equal(cwmp_event_queue_get(r, 2, &ev), 0);
    assert_string_equal(ev.command_key, "a key%with -");
    assert_int_equal(cwmp_event_queue_get(r, 3, &ev), 0);
    assert_string_equal(ev.command_key, "-");
    assert_int_equal(cwmp_event_queue_get(r, 4, &ev), 0);
    assert_string_equal(ev.arg, "00256D Foo Bar");
    cwmp_event_queue_reboot(r); /* 4 VALUE CHANGE and the vendor event go */
    assert_int_equal(cwmp_event_queue_count(r), 3);
    cwmp_event_queue_clear(r);

    /* hostile input leaves the queue unchanged */
    static const char *bad[] = {
        "",
        "cwmp-events 2\n",
        "cwmp-events 1\n0 - -",
        "cwmp-events 1\n0 -\n",
        "cwmp-events 1\n99 - -\n",
        "cwmp-events 1\n100 - -\n",
        "cwmp-events 1\n0 - %4\n",
        "cwmp-events 1\n0 - %00\n",
        "cwmp-events 1\n0  -\n",
        "cwmp-events 1\nx - -\n",
        "cwmp-events 1\n0 - - -\n",
        "cwmp-events 1\n1 - -\n100 M%20x -\n",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(cwmp_event_queue_load(r, bad[i], strlen(bad[i])), CWMP_ERR_PARSE);
        assert_int_equal(cwmp_event_queue_count(r), 0);
    }
    cwmp_session_buffer_free(&test_allocator, data);
    cwmp_event_queue_free(q);
    cwmp_event_queue_free(r);
}

struct sweep_ctx {
    int dummy;
};

static int sweep_queue(const struct cwmp_allocator *a, void *ctx)
{
    struct cwmp_event_queue *q;
    char *data;
    size_t len;
    int rv;
    (void) ctx;

    rv = cwmp_event_queue_new(&q, a, 0);
    if (rv)
        return rv;
    for (int i = 0; i < 12 && rv == 0; i++) {
        char k[8];
        snprintf(k, sizeof(k), "k%d", i);
        rv = cwmp_event_queue_add(q, CWMP_EVENT_METHOD, "Download", k);
    }
    if (rv == 0)
        rv = cwmp_event_queue_save(q, &data, &len);
    if (rv == 0) {
        cwmp_event_queue_clear(q);
        rv = cwmp_event_queue_load(q, data, len);
        cwmp_session_buffer_free(a, data);
        if (rv == 0)
            assert_int_equal(cwmp_event_queue_count(q), 12);
    }
    cwmp_event_queue_free(q);
    return rv;
}

static void test_event_queue_sweep(void **state)
{
    (void) state;
    assert_true(alloc_sweep(sweep_queue, NULL, CWMP_ERR_NOMEM, 500) > 10);
}

static void test_retry(void **state)
{
    int64_t lo, hi;
    (void) state;

    /* TR-069 §3.2.1.1 defaults: 5-10 s, 10-20 s, ..., capped at the 10th */
    static const int64_t exp_lo[] = {5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 2560};
    for (uint32_t n = 1; n <= 11; n++) {
        cwmp_retry_range(n, 0, 0, &lo, &hi);
        assert_int_equal(lo, exp_lo[n - 1] * 1000);
        assert_int_equal(hi, exp_lo[n - 1] * 2000);
        assert_int_equal(cwmp_retry_wait_ms(n, 0, 0, 0), lo);
        assert_int_equal(cwmp_retry_wait_ms(n, 0, 0, UINT32_MAX), hi);
        int64_t mid = cwmp_retry_wait_ms(n, 0, 0, UINT32_MAX / 2);
        assert_true(mid > lo && mid < hi);
    }
    cwmp_retry_range(1000000, 0, 0, &lo, &hi);
    assert_int_equal(lo, 2560000);
    cwmp_retry_range(0, 0, 0, &lo, &hi);
    assert_int_equal(hi, 0);
    /* multiplier 1.5, min 10 s: second retry 15-22.5 s */
    cwmp_retry_range(2, 10, 1500, &lo, &hi);
    assert_int_equal(lo, 15000);
    assert_int_equal(hi, 22500);
    /* extreme inputs stay finite and ordered */
    cwmp_retry_range(10, 65535, 65535, &lo, &hi);
    assert_true(lo > 0 && hi >= lo);
    cwmp_retry_range(3, UINT32_MAX, UINT32_MAX, &lo, &hi);
    assert_true(lo > 0 && hi >= lo);
}

static void test_periodic(void **state)
{
    (void) state;
    /* reference in the past: next aligned boundary strictly after now */
    assert_int_equal(cwmp_periodic_next(10500, 3, 1000, true), 13000);
    assert_int_equal(cwmp_periodic_next(10000, 3, 1000, true), 13000);
    assert_int_equal(cwmp_periodic_next(9999, 3, 1000, true), 10000);
    /* reference in the future */
    assert_int_equal(cwmp_periodic_next(1000, 10, 100000, true), 10000);
    assert_int_equal(cwmp_periodic_next(-5000, 2, 0, true), -4000);
    /* unknown time */
    assert_int_equal(cwmp_periodic_next(1234, 60, 0, false), 61234);
    assert_int_equal(cwmp_periodic_next(1234, 0, 0, false), -1);
}

static void test_transfer_queue(void **state)
{
    struct cwmp_transfer_queue *q, *r;
    struct cwmp_transfer t;
    uint32_t id1, id2, id3;
    char *data;
    size_t len;
    (void) state;

    assert_int_equal(cwmp_transfer_queue_new(&q, &test_allocator, 3), 0);
    struct cwmp_download d = {.command_key = "dl1",
                              .file_type = "1 Firmware Upgrade Image",
                              .url = "http://acs/fw.bin",
                              .delay_seconds = 10,
                              .file_size = 1234};
    assert_int_equal(cwmp_transfer_queue_add_download(q, &d, 1000, &id1), 0);
    struct cwmp_upload u = {
        .command_key = "up 1", .file_type = "3 Vendor Log File", .url = "http://acs/up"};
    assert_int_equal(cwmp_transfer_queue_add_upload(q, &u, 1000, &id2), 0);
    struct cwmp_time_window w[2] = {{.window_start = 100, .window_end = 200},
                                    {.window_start = 300, .window_end = 400}};
    struct cwmp_schedule_download sd = {.command_key = "sd",
                                        .file_type = "1 Firmware Upgrade Image",
                                        .url = "http://acs/fw2",
                                        .windows = w,
                                        .window_count = 2};
    assert_int_equal(cwmp_transfer_queue_add_schedule_download(q, &sd, 1000, &id3), 0);
    assert_int_equal(cwmp_transfer_queue_add_download(q, &d, 1000, NULL),
                     CWMP_FAULT_RESOURCES_EXCEEDED);
    struct cwmp_download bad = d;
    bad.url = NULL;
    assert_int_equal(cwmp_transfer_queue_add_download(q, &bad, 1000, NULL),
                     CWMP_FAULT_INVALID_ARGUMENTS);
    w[1].window_start = 150; /* overlaps the first window */
    assert_int_equal(cwmp_transfer_queue_add_schedule_download(q, &sd, 1000, NULL),
                     CWMP_FAULT_INVALID_ARGUMENTS);

    /* the upload is due first (no delay) */
    assert_int_equal(cwmp_transfer_queue_next_deadline(q), 1000);
    assert_int_equal(cwmp_transfer_queue_due(q, 1000, &t), 0);
    assert_int_equal(t.id, id2);
    assert_int_equal(cwmp_transfer_queue_start(q, id2, 1000), 0);
    assert_int_equal(cwmp_transfer_queue_cancel(q, "up 1"), CWMP_FAULT_CANCEL_NOT_PERMITTED);
    assert_int_equal(cwmp_transfer_queue_cancel(q, "nope"), CWMP_FAULT_INVALID_ARGUMENTS);
    assert_int_equal(cwmp_transfer_queue_due(q, 5000, &t), CWMP_ERR_NOT_FOUND);
    assert_int_equal(cwmp_transfer_queue_next_deadline(q), 11000);

    /* persist and reboot: the upload in progress fails with 9011 */
    assert_int_equal(cwmp_transfer_queue_save(q, &data, &len), 0);
    assert_int_equal(cwmp_transfer_queue_new(&r, &test_allocator, 0), 0);
    assert_int_equal(cwmp_transfer_queue_load(r, data, len), 0);
    cwmp_session_buffer_free(&test_allocator, data);
    assert_int_equal(cwmp_transfer_queue_count(r), 3);
    cwmp_transfer_queue_reboot(r, 7000);
    assert_int_equal(cwmp_transfer_queue_next_completed(r, &t), 0);
    assert_int_equal(t.id, id2);
    assert_int_equal(t.fault_code, CWMP_FAULT_UPLOAD_FAILURE);
    assert_int_equal(t.start_time_ms, 1000);
    assert_string_equal(t.command_key, "up 1");
    assert_int_equal(cwmp_transfer_queue_find(r, id1, &t), 0);
    assert_string_equal(t.url, "http://acs/fw.bin");
    assert_int_equal(t.file_size, 1234);

    /* schedule download: first window missed, second used, then missed too */
    assert_int_equal(cwmp_transfer_queue_due(r, 11000, &t), 0);
    assert_int_equal(t.id, id1);
    assert_int_equal(cwmp_transfer_queue_start(r, id1, 11000), 0);
    assert_int_equal(cwmp_transfer_queue_complete(r, id1, 0, NULL, 11000, 12000), 0);
    assert_int_equal(cwmp_transfer_queue_due(r, 250000, &t), CWMP_ERR_NOT_FOUND);
    assert_int_equal(cwmp_transfer_queue_find(r, id3, &t), 0);
    assert_int_equal(t.not_before_ms, 301000);
    assert_int_equal(cwmp_transfer_queue_due(r, 302000, &t), 0);
    assert_int_equal(t.id, id3);
    assert_int_equal(cwmp_transfer_queue_due(r, 500000, &t), CWMP_ERR_NOT_FOUND);
    assert_int_equal(cwmp_transfer_queue_find(r, id3, &t), 0);
    assert_int_equal(t.state, CWMP_TRANSFER_COMPLETED);
    assert_int_equal(t.fault_code, CWMP_FAULT_DOWNLOAD_WINDOW_MISSED);
    assert_int_equal(cwmp_transfer_queue_remove(r, id2), 0);
    assert_int_equal(cwmp_transfer_queue_next_completed(r, &t), 0);
    assert_int_equal(t.id, id1);
    assert_int_equal(t.fault_code, 0);
    assert_string_equal(t.fault_string, "");

    /* cancel a not-started transfer */
    assert_int_equal(cwmp_transfer_queue_cancel(q, "dl1"), 0);
    assert_int_equal(cwmp_transfer_queue_count(q), 2);

    static const char *badf[] = {
        "",
        "cwmp-transfers 1\n1 0 1 0 0 0 0 0 0 0 0 - - - - - - - - -\n1 0 1 0 0 0 0 0 0 0 0 - - - - "
        "- - - - -\n",
        "cwmp-transfers 1\n1 7 1 0 0 0 0 0 0 0 0 - - - - - - - - -\n",
        "cwmp-transfers 1\n1 0 1 0 0 0 0 0 0 0 - - - - - - - - -\n",
        "cwmp-transfers 1\n0 0 1 0 0 0 0 0 0 0 0 - - - - - - - - -\n",
        "cwmp-transfers 1\n5 0 1 0 0 0 0 0 0 0 0 - - %G0 - - - - - -\n",
    };
    size_t before = cwmp_transfer_queue_count(r);
    for (size_t i = 0; i < sizeof(badf) / sizeof(badf[0]); i++) {
        assert_int_equal(cwmp_transfer_queue_load(r, badf[i], strlen(badf[i])), CWMP_ERR_PARSE);
        assert_int_equal(cwmp_transfer_queue_count(r), before);
    }
    cwmp_transfer_queue_free(q);
    cwmp_transfer_queue_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_format_parse), cmocka_unit_test(test_event_policy),
        cmocka_unit_test(test_event_queue),        cmocka_unit_test(test_event_queue_persist),
        cmocka_unit_test(test_event_queue_sweep),  cmocka_unit_test(test_retry),
        cmocka_unit_test(test_periodic),           cmocka_unit_test(test_transfer_queue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
