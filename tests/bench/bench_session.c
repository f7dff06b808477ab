/*
 * libcwmp benchmark - ACS sessions per second per core, in memory, for a
 * typical session (Inform with 30 parameters -> InformResponse -> empty
 * POST -> GetParameterValues of 50 parameters -> response -> empty body),
 * beside the codec-only cost of the same messages in the same run (decode
 * the Inform, encode the InformResponse, encode the GetParameterValues,
 * decode the response). Also: bytes per idle ACS session object, bytes held
 * by an ACS session at its peak, peak bytes of a complete CPE session.
 * Machines are noisy: compare the ratio, not the absolute numbers.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cwmp/acs.h>
#include <cwmp/cpe.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* ---- a counting allocator (current and peak bytes) ------------------------ */

struct counting {
    size_t cur, peak, calls;
};

static void *c_malloc(size_t n, void *u)
{
    struct counting *c = u;
    size_t *p = malloc(n + sizeof(size_t) * 2);
    if (!p)
        return NULL;
    p[0] = n;
    c->cur += n;
    c->calls++;
    if (c->cur > c->peak)
        c->peak = c->cur;
    return p + 2;
}

static void c_free(void *ptr, void *u)
{
    struct counting *c = u;
    if (!ptr)
        return;
    size_t *p = (size_t *) ptr - 2;
    c->cur -= p[0];
    free(p);
}

static void *c_realloc(void *ptr, size_t n, void *u)
{
    struct counting *c = u;
    if (!ptr)
        return c_malloc(n, u);
    size_t *p = (size_t *) ptr - 2;
    size_t old = p[0];
    size_t *np = realloc(p, n + sizeof(size_t) * 2);
    if (!np)
        return NULL;
    np[0] = n;
    c->cur = c->cur - old + n;
    c->calls++;
    if (c->cur > c->peak)
        c->peak = c->cur;
    return np + 2;
}

/* ---- the messages ---------------------------------------------------------- */

static char names_buf[50][80];
static const char *names[50];
static struct cwmp_param_value gpv_values[50];
static struct cwmp_param_value inform_values[30];
static char inform_names[30][80];

static char *inform_body, *gpvr_body;
static size_t inform_len, gpvr_len;

static char *encode_copy(const struct cwmp_envelope *env, size_t *len)
{
    char *out;
    if (cwmp_envelope_encode(env, NULL, &out, len, NULL, 0) != 0) {
        fprintf(stderr, "encode failed\n");
        exit(1);
    }
    char *copy = malloc(*len + 1);
    memcpy(copy, out, *len + 1);
    cwmp_encoded_free(NULL, out);
    return copy;
}

static void build_messages(void)
{
    static const struct cwmp_event ev[] = {{"2 PERIODIC", ""}};
    struct cwmp_envelope env;

    for (int i = 0; i < 50; i++) {
        snprintf(names_buf[i], sizeof(names_buf[i]),
                 "Device.Services.FAPService.1.CellConfig.LTE.RAN.RF.Param%02d", i);
        names[i] = names_buf[i];
        gpv_values[i].name = names[i];
        gpv_values[i].value = "12345";
        gpv_values[i].type = CWMP_TYPE_UNSIGNED_INT;
    }
    for (int i = 0; i < 30; i++) {
        snprintf(inform_names[i], sizeof(inform_names[i]), "Device.DeviceInfo.X_Param%02d", i);
        inform_values[i].name = inform_names[i];
        inform_values[i].value = "some value";
        inform_values[i].type = CWMP_TYPE_STRING;
    }
    memset(&env, 0, sizeof(env));
    env.version = CWMP_V1_2;
    env.header.id = "cpe-1";
    env.rpc.method = CWMP_METHOD_INFORM;
    env.rpc.kind = CWMP_RPC_REQUEST;
    env.rpc.u.inform.device_id = (struct cwmp_device_id){"Acme", "00256D", "FAP", "SN0001"};
    env.rpc.u.inform.events = ev;
    env.rpc.u.inform.event_count = 1;
    env.rpc.u.inform.max_envelopes = 1;
    env.rpc.u.inform.current_time = "2026-01-01T00:00:00Z";
    env.rpc.u.inform.params = inform_values;
    env.rpc.u.inform.param_count = 30;
    inform_body = encode_copy(&env, &inform_len);
    memset(&env, 0, sizeof(env));
    env.version = CWMP_V1_2;
    env.header.id = "acs-1";
    env.rpc.method = CWMP_METHOD_GET_PARAMETER_VALUES;
    env.rpc.kind = CWMP_RPC_RESPONSE;
    env.rpc.u.get_parameter_values_response.params = gpv_values;
    env.rpc.u.get_parameter_values_response.param_count = 50;
    gpvr_body = encode_copy(&env, &gpvr_len);
}

/* ---- the ACS engine -------------------------------------------------------- */

static int next_request(struct cwmp_acs_session *s, struct cwmp_acs_request *req, void *u)
{
    int *sent = cwmp_acs_session_get_user(s);
    (void) u;
    if (*sent)
        return 0;
    *sent = 1;
    req->rpc.method = CWMP_METHOD_GET_PARAMETER_VALUES;
    req->rpc.u.get_parameter_values.names = names;
    req->rpc.u.get_parameter_values.name_count = 50;
    return 1;
}

static size_t acs_session(const struct cwmp_acs_config *cfg, struct cwmp_encoder *enc)
{
    struct cwmp_acs_session *s;
    const char *out;
    size_t len, total = 0;
    int sent = 0;

    if (cwmp_acs_session_new(&s, cfg, 0) != 0)
        exit(1);
    cwmp_acs_session_set_user(s, &sent);
    if (enc && cwmp_acs_session_use_encoder(s, enc))
        exit(1);
    if (cwmp_acs_session_recv(s, inform_body, inform_len) || cwmp_acs_session_send(s, &out, &len))
        exit(2);
    total += len;
    if (cwmp_acs_session_recv(s, "", 0) || cwmp_acs_session_send(s, &out, &len))
        exit(3);
    total += len;
    if (cwmp_acs_session_recv(s, gpvr_body, gpvr_len) || cwmp_acs_session_send(s, &out, &len))
        exit(4);
    if (!cwmp_acs_session_done(s) || cwmp_acs_session_result(s) != CWMP_SESSION_OK)
        exit(5);
    cwmp_acs_session_free(s);
    return total;
}

/* ---- the codec alone, same messages ---------------------------------------- */

static size_t codec_only(struct cwmp_encoder *enc)
{
    struct cwmp_envelope *in, out;
    const char *o;
    size_t len, total = 0;

    if (cwmp_envelope_decode(inform_body, inform_len, NULL, &in, NULL, 0))
        exit(6);
    memset(&out, 0, sizeof(out));
    out.version = CWMP_V1_2;
    out.header.id = in->header.id;
    out.rpc.method = CWMP_METHOD_INFORM;
    out.rpc.kind = CWMP_RPC_RESPONSE;
    out.rpc.u.inform_response.max_envelopes = 1;
    if (cwmp_encoder_encode(enc, &out, &o, &len))
        exit(7);
    total += len;
    cwmp_envelope_free(in);
    memset(&out, 0, sizeof(out));
    out.version = CWMP_V1_2;
    out.header.id = "acs-1";
    out.rpc.method = CWMP_METHOD_GET_PARAMETER_VALUES;
    out.rpc.kind = CWMP_RPC_REQUEST;
    out.rpc.u.get_parameter_values.names = names;
    out.rpc.u.get_parameter_values.name_count = 50;
    if (cwmp_encoder_encode(enc, &out, &o, &len))
        exit(8);
    total += len;
    if (cwmp_envelope_decode(gpvr_body, gpvr_len, NULL, &in, NULL, 0))
        exit(9);
    cwmp_envelope_free(in);
    return total;
}

/* ---- a complete CPE session (peak bytes) ------------------------------------- */

static size_t cpe_peak(void)
{
    struct counting c = {0, 0, 0};
    struct cwmp_allocator a = {c_malloc, c_realloc, c_free, &c};
    struct cwmp_cpe_config cfg;
    struct cwmp_acs_callbacks cb;
    struct cwmp_acs_config acfg;
    struct cwmp_cpe *cpe;
    struct cwmp_acs_session *s;
    const char *out, *aout;
    size_t len, alen;
    int sent = 0;

    memset(&cfg, 0, sizeof(cfg));
    cfg.allocator = &a;
    cfg.device_id = (struct cwmp_device_id){"Acme", "00256D", "FAP", "SN0001"};
    memset(&cb, 0, sizeof(cb));
    cb.next_request = next_request;
    memset(&acfg, 0, sizeof(acfg));
    acfg.callbacks = &cb;
    if (cwmp_cpe_new(&cpe, &cfg) || cwmp_cpe_set_acs_url(cpe, "https://acs/") ||
        cwmp_cpe_start(cpe, 1767225600000LL, CWMP_CPE_START_BOOT) ||
        cwmp_cpe_session_begin(cpe, 1767225600000LL) || cwmp_acs_session_new(&s, &acfg, 0))
        exit(10);
    cwmp_acs_session_set_user(s, &sent);
    while (cwmp_cpe_want_send(cpe)) {
        if (cwmp_cpe_send(cpe, &out, &len) || cwmp_acs_session_recv(s, out, len) ||
            cwmp_acs_session_send(s, &aout, &alen))
            exit(11);
        cwmp_cpe_recv(cpe, aout, alen);
    }
    cwmp_acs_session_free(s);
    cwmp_cpe_free(cpe);
    return c.peak;
}

int main(int argc, char **argv)
{
    int iters = argc > 1 ? atoi(argv[1]) : 200; /* per round */
    int rounds = argc > 2 ? atoi(argv[2]) : 40;
    struct cwmp_acs_config cfg;
    struct cwmp_acs_callbacks cb;
    struct cwmp_encoder *enc;
    double best_acs = 1e9, best_codec = 1e9, best_own = 1e9;
    volatile size_t sink = 0;

    build_messages();
    memset(&cb, 0, sizeof(cb));
    cb.next_request = next_request;
    memset(&cfg, 0, sizeof(cfg));
    cfg.callbacks = &cb;
    if (cwmp_encoder_new(&enc, NULL))
        return 1;
    if (argc > 3) {
        /* one variant only, for instruction counting (valgrind --tool=callgrind):
         * "none" (setup only), "codec", "acs" (per-thread encoder), "acs-own" */
        for (int i = 0; i < iters; i++) {
            if (strcmp(argv[3], "codec") == 0)
                sink += codec_only(enc);
            else if (strcmp(argv[3], "acs") == 0)
                sink += acs_session(&cfg, enc);
            else if (strcmp(argv[3], "acs-own") == 0)
                sink += acs_session(&cfg, NULL);
        }
        cwmp_encoder_free(enc);
        free(inform_body);
        free(gpvr_body);
        return 0;
    }
    /* many short interleaved rounds, the best round of each variant counts */
    for (int round = 0; round < rounds; round++) {
        double t0 = now_s();
        for (int i = 0; i < iters; i++)
            sink += codec_only(enc);
        double t1 = now_s();
        for (int i = 0; i < iters; i++)
            sink += acs_session(&cfg, enc);
        double t2 = now_s();
        for (int i = 0; i < iters; i++)
            sink += acs_session(&cfg, NULL);
        double t3 = now_s();
        if (t1 - t0 < best_codec)
            best_codec = t1 - t0;
        if (t2 - t1 < best_acs)
            best_acs = t2 - t1;
        if (t3 - t2 < best_own)
            best_own = t3 - t2;
    }
    /* memory of an ACS session: idle object, and held at its busiest */
    struct counting c = {0, 0, 0};
    struct cwmp_allocator a = {c_malloc, c_realloc, c_free, &c};
    struct cwmp_acs_session *s;
    cfg.allocator = &a;
    cwmp_acs_session_new(&s, &cfg, 0);
    size_t idle = c.cur;
    cwmp_acs_session_free(s);
    c.peak = 0;
    acs_session(&cfg, NULL);
    size_t acs_peak = c.peak;
    cwmp_encoder_free(enc);

    printf("session bench: Inform(30 params) %zu B, GetParameterValuesResponse(50) %zu B\n",
           inform_len, gpvr_len);
    printf("codec only (same messages): %.1f us/session, %.0f sessions/s\n",
           best_codec / iters * 1e6, iters / best_codec);
    printf("ACS session engine, per-thread encoder: %.1f us/session, %.0f sessions/s per core\n",
           best_acs / iters * 1e6, iters / best_acs);
    printf("  engine overhead over the codec: %+.1f %% (target <= 15 %%)\n",
           (best_acs / best_codec - 1.0) * 100.0);
    printf("ACS session engine, own encoder: %.1f us/session, %.0f sessions/s per core\n",
           best_own / iters * 1e6, iters / best_own);
    printf("  engine overhead over the codec: %+.1f %%\n", (best_own / best_codec - 1.0) * 100.0);
    printf("idle ACS session object: %zu B (sizeof %zu)\n", idle, cwmp_acs_session_size());
    printf("ACS session peak heap: %zu B\n", acs_peak);
    printf("CPE session peak heap (no data model, GPV answered 9000): %zu B\n", cpe_peak());
    (void) sink;
    free(inform_body);
    free(gpvr_body);
    return 0;
}
