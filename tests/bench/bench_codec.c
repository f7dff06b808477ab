/*
 * libcwmp benchmark - envelope decode and encode against baselines measured
 * in the same run: bare mxml SAX (no work in the callback) and memchr over
 * the same buffer for decoding, a bare append writer producing the same
 * bytes for encoding. The machine is noisy and shared: read the ratios, not
 * the absolute numbers. Every variant is timed in several interleaved
 * rounds and the best round is kept.
 *
 * Peak heap: malloc/calloc/realloc/free are interposed in this binary (glibc
 * __libc_* entry points, malloc_usable_size), so mxml's own allocations are
 * counted too. Under AddressSanitizer the interposition is compiled out and
 * heap figures are reported as n/a.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mxml.h>

#include <cwmp/envelope.h>
#include <cwmp/error.h>
#include <cwmp/rpc.h>

#if defined(__SANITIZE_ADDRESS__)
#define NO_HEAP_COUNT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NO_HEAP_COUNT 1
#endif
#endif

/* ---- heap accounting ---------------------------------------------------- */

static size_t heap_now, heap_peak;

#if !defined(NO_HEAP_COUNT) && defined(__GLIBC__)
#include <malloc.h>
#define HEAP_COUNT 1
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t m);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);

static void heap_add(void *p)
{
    if (p) {
        heap_now += malloc_usable_size(p);
        if (heap_now > heap_peak)
            heap_peak = heap_now;
    }
}

static void heap_sub(void *p)
{
    if (p) {
        size_t u = malloc_usable_size(p);
        heap_now = heap_now > u ? heap_now - u : 0;
    }
}

void *malloc(size_t n)
{
    void *p = __libc_malloc(n);
    heap_add(p);
    return p;
}

void *calloc(size_t n, size_t m)
{
    void *p = __libc_calloc(n, m);
    heap_add(p);
    return p;
}

void *realloc(void *old, size_t n)
{
    size_t before = old ? malloc_usable_size(old) : 0;
    void *p = __libc_realloc(old, n);
    if (p || n == 0) {
        heap_now = heap_now > before ? heap_now - before : 0;
        heap_add(p);
    }
    return p;
}

void free(void *p)
{
    heap_sub(p);
    __libc_free(p);
}
#endif

/* Peak bytes above the level at the call of heap_mark(). */
static size_t heap_base;
static void heap_mark(void)
{
    heap_base = heap_now;
    heap_peak = heap_now;
}
static size_t heap_used(void)
{
    return heap_peak - heap_base;
}

/* ---- timing ------------------------------------------------------------- */

/*
 * CPU time of this thread, not wall time: on a loaded shared machine the
 * time spent waiting for a core would otherwise land on whichever variant
 * happened to be running.
 */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

static void die(const char *what, int rv, const char *detail)
{
    fprintf(stderr, "bench_codec: %s failed: %s %s\n", what, cwmp_strerror(rv),
            detail ? detail : "");
    exit(1);
}

/* ---- inputs ------------------------------------------------------------- */

struct input {
    const char *label;
    struct cwmp_envelope env;
    struct cwmp_param_value *params;
    size_t nparams;
    char **strings; /* owned name/value strings */
    size_t nstrings;
    char *xml; /* encoded by libcwmp, NUL-terminated */
    size_t len;
};

static char *dupf(struct input *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *dupf(struct input *in, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    char *s = strdup(tmp);
    if (!s)
        exit(1);
    in->strings = realloc(in->strings, (in->nstrings + 1) * sizeof(*in->strings));
    if (!in->strings)
        exit(1);
    in->strings[in->nstrings++] = s;
    return s;
}

/* TR-196 style leaves below Device.Services.FAPService.{i}. */
static const struct {
    const char *path;
    enum cwmp_type type;
    const char *value;
} fap_leaves[] = {
    {"CellConfig.LTE.RAN.RF.EARFCNDL", CWMP_TYPE_UNSIGNED_INT, "6300"},
    {"CellConfig.LTE.RAN.RF.EARFCNUL", CWMP_TYPE_UNSIGNED_INT, "24300"},
    {"CellConfig.LTE.RAN.RF.FreqBandIndicator", CWMP_TYPE_UNSIGNED_INT, "20"},
    {"CellConfig.LTE.RAN.RF.DLBandwidth", CWMP_TYPE_STRING, "n50"},
    {"CellConfig.LTE.RAN.RF.ULBandwidth", CWMP_TYPE_STRING, "n50"},
    {"CellConfig.LTE.RAN.RF.ReferenceSignalPower", CWMP_TYPE_INT, "-25"},
    {"CellConfig.LTE.RAN.RF.PhyCellID", CWMP_TYPE_STRING, "101,102,103"},
    {"CellConfig.LTE.RAN.Common.CellIdentity", CWMP_TYPE_UNSIGNED_INT, "268435455"},
    {"CellConfig.LTE.EPC.TAC", CWMP_TYPE_UNSIGNED_INT, "4660"},
    {"CellConfig.LTE.EPC.PLMNList.1.PLMNID", CWMP_TYPE_STRING, "00101"},
    {"CellConfig.LTE.EPC.PLMNList.1.Enable", CWMP_TYPE_BOOLEAN, "true"},
    {"CellConfig.LTE.RAN.Mobility.IdleMode.IntraFreq.QRxLevMinSIB1", CWMP_TYPE_INT, "-64"},
    {"FAPControl.LTE.AdminState", CWMP_TYPE_BOOLEAN, "1"},
    {"FAPControl.LTE.OpState", CWMP_TYPE_BOOLEAN, "0"},
    {"FAPControl.LTE.RFTxStatus", CWMP_TYPE_BOOLEAN, "false"},
    {"FAPControl.LTE.Gateway.SecGWServer1", CWMP_TYPE_STRING, "segw1.operator.example.net"},
    {"Capabilities.LTE.MaxTxPower", CWMP_TYPE_INT, "20"},
    {"REM.LTE.LastScanTime", CWMP_TYPE_DATETIME, "2026-11-22T15:00:00Z"},
    {"Transport.SCTP.HBInterval", CWMP_TYPE_UNSIGNED_INT, "30"},
    {"PerfMgmt.Config.1.URL", CWMP_TYPE_STRING, "https://pm.operator.example.net/upload"},
};
#define NLEAVES (sizeof(fap_leaves) / sizeof(fap_leaves[0]))

static void fill_params(struct input *in, size_t n)
{
    in->params = calloc(n, sizeof(*in->params));
    if (!in->params)
        exit(1);
    in->nparams = n;
    for (size_t i = 0; i < n; i++) {
        size_t k = i % NLEAVES;
        in->params[i].name =
            dupf(in, "Device.Services.FAPService.%zu.%s", i / NLEAVES + 1, fap_leaves[k].path);
        in->params[i].value = fap_leaves[k].value;
        in->params[i].type = fap_leaves[k].type;
    }
}

static const struct cwmp_event inform_events[] = {
    {"0 BOOTSTRAP", ""},       {"1 BOOT", ""},
    {"2 PERIODIC", ""},        {"4 VALUE CHANGE", ""},
    {"M Reboot", "reboot-42"}, {"7 TRANSFER COMPLETE", ""},
};

static const char *const inform_names[] = {
    "Device.RootDataModelVersion",
    "Device.DeviceInfo.HardwareVersion",
    "Device.DeviceInfo.SoftwareVersion",
    "Device.DeviceInfo.ProvisioningCode",
    "Device.DeviceInfo.UpTime",
    "Device.ManagementServer.ParameterKey",
    "Device.ManagementServer.ConnectionRequestURL",
    "Device.ManagementServer.PeriodicInformInterval",
    "Device.ManagementServer.UDPConnectionRequestAddress",
    "Device.FAP.GPS.LockedLatitude",
    "Device.FAP.GPS.LockedLongitude",
    "Device.FAP.GPS.LastSuccessfulScanTime",
};

static void make_inform(struct input *in)
{
    in->label = "Inform (6 events, 30 params)";
    in->params = calloc(30, sizeof(*in->params));
    if (!in->params)
        exit(1);
    in->nparams = 30;
    for (size_t i = 0; i < 30; i++) {
        struct cwmp_param_value *p = &in->params[i];
        if (i < sizeof(inform_names) / sizeof(inform_names[0])) {
            p->name = inform_names[i];
            p->value = dupf(in, "value-%zu-of-a-typical-length-for-device-info", i);
            p->type = CWMP_TYPE_STRING;
        } else {
            size_t k = i % NLEAVES;
            p->name = dupf(in, "Device.Services.FAPService.1.%s", fap_leaves[k].path);
            p->value = fap_leaves[k].value;
            p->type = fap_leaves[k].type;
        }
    }
    struct cwmp_envelope *e = &in->env;
    e->version = CWMP_V1_2;
    e->header.id = "1234567890";
    e->rpc.method = CWMP_METHOD_INFORM;
    e->rpc.kind = CWMP_RPC_REQUEST;
    struct cwmp_inform *inf = &e->rpc.u.inform;
    inf->device_id.manufacturer = "Example Femto Systems";
    inf->device_id.oui = "00D09E";
    inf->device_id.product_class = "HeNB-LTE-B20";
    inf->device_id.serial_number = "EFS0123456789";
    inf->events = inform_events;
    inf->event_count = 6;
    inf->max_envelopes = 1;
    inf->current_time = "2026-11-22T15:40:35Z";
    inf->retry_count = 0;
    inf->params = in->params;
    inf->param_count = in->nparams;
}

static void make_gpv_response(struct input *in, size_t n, const char *label)
{
    in->label = label;
    fill_params(in, n);
    in->env.version = CWMP_V1_2;
    in->env.header.id = "42";
    in->env.rpc.method = CWMP_METHOD_GET_PARAMETER_VALUES;
    in->env.rpc.kind = CWMP_RPC_RESPONSE;
    in->env.rpc.u.get_parameter_values_response.params = in->params;
    in->env.rpc.u.get_parameter_values_response.param_count = n;
}

static void make_spv(struct input *in)
{
    in->label = "SetParameterValues (50 params)";
    fill_params(in, 50);
    in->env.version = CWMP_V1_2;
    in->env.header.id = "43";
    in->env.rpc.method = CWMP_METHOD_SET_PARAMETER_VALUES;
    in->env.rpc.kind = CWMP_RPC_REQUEST;
    in->env.rpc.u.set_parameter_values.params = in->params;
    in->env.rpc.u.set_parameter_values.param_count = 50;
    in->env.rpc.u.set_parameter_values.parameter_key = "bench-key";
}

static void encode_input(struct input *in, const struct cwmp_codec_options *opts)
{
    char detail[256] = "";
    int rv = cwmp_envelope_encode(&in->env, opts, &in->xml, &in->len, detail, sizeof(detail));
    if (rv)
        die("encode of the input", rv, detail);
}

static void free_input(struct input *in)
{
    for (size_t i = 0; i < in->nstrings; i++)
        free(in->strings[i]);
    free(in->strings);
    free(in->params);
    cwmp_encoded_free(NULL, in->xml);
}

/* ---- the variants ------------------------------------------------------- */

static void silent_error(const char *msg)
{
    (void) msg;
}

static void empty_sax(mxml_node_t *node, mxml_sax_event_t ev, void *data)
{
    (void) node;
    (void) ev;
    (void) data;
}

static volatile size_t sink;

static void run_decode(const struct input *in, const struct cwmp_codec_options *opts)
{
    struct cwmp_envelope *env = NULL;
    char detail[256] = "";
    int rv = cwmp_envelope_decode(in->xml, in->len, opts, &env, detail, sizeof(detail));
    if (rv)
        die("decode", rv, detail);
    sink += env->warning_count;
    cwmp_envelope_free(env);
}

static void run_sax(const struct input *in)
{
    mxml_node_t *top = mxmlSAXLoadString(NULL, in->xml, MXML_OPAQUE_CALLBACK, empty_sax, NULL);
    if (top)
        mxmlDelete(top);
}

static void run_memchr(const struct input *in)
{
    sink += memchr(in->xml, '\x01', in->len) != NULL;
}

struct writer {
    char *data;
    size_t len, cap;
};

static void w_append(struct writer *w, const char *s, size_t n)
{
    if (w->cap - w->len <= n) {
        size_t ncap = w->cap ? w->cap : 4096;
        while (ncap - w->len <= n)
            ncap *= 2;
        char *d = realloc(w->data, ncap);
        if (!d)
            exit(1);
        w->data = d;
        w->cap = ncap;
    }
    memcpy(w->data + w->len, s, n);
    w->len += n;
    w->data[w->len] = '\0';
}

#define W_LIT(w, lit) w_append(w, lit, sizeof(lit) - 1)

/*
 * The bare writer: the least work that produces the same bytes as libcwmp.
 * The parts around the parameter list are copied from libcwmp's output;
 * each ParameterValueStruct is appended piece by piece (no escaping, no
 * checks) with the separators (indentation) found in that output. The
 * result is checked to be byte-identical before anything is timed.
 */
#define MAX_PIECES 512
struct piece {
    const char *p;
    size_t n;
};

struct bare_plan {
    const char *pre, *post;
    size_t pre_len, post_len;
    /* pre and post cut before every '<': appended tag by tag, as a writer
     * walking the message would (one memcpy for all would flatter it) */
    struct piece pieces[MAX_PIECES];
    size_t npre, npieces;
    char g_name[64], g_value[64], g_end[64], g_next[64]; /* whitespace glue */
};

/* Copies the text between a and b (exclusive) into out; -1 if odd. */
static int glue(const char *a, const char *b, char *out, size_t size)
{
    if (!a || !b || b < a || (size_t) (b - a) >= size)
        return -1;
    memcpy(out, a, (size_t) (b - a));
    out[b - a] = '\0';
    return 0;
}

static int plan_bare(const struct input *in, struct bare_plan *p)
{
    static const char open_s[] = "<ParameterValueStruct>", close_s[] = "</ParameterValueStruct>";
    const char *first = strstr(in->xml, open_s);
    const char *last = NULL;
    for (const char *q = in->xml; (q = strstr(q, close_s)) != NULL; q++)
        last = q;
    if (!first || !last || in->nparams < 2)
        return -1;
    const char *name = strstr(first, "<Name>");
    const char *name_end = strstr(first, "</Name>");
    const char *value = strstr(first, "<Value");
    const char *value_end = strstr(first, "</Value>");
    const char *close1 = strstr(first, close_s);
    const char *second = strstr(first + 1, open_s);
    if (!name_end || !value_end || !close1 || !second ||
        glue(first + sizeof(open_s) - 1, name, p->g_name, sizeof(p->g_name)) ||
        glue(name_end + 7, value, p->g_value, sizeof(p->g_value)) ||
        glue(value_end + 8, close1, p->g_end, sizeof(p->g_end)) ||
        glue(close1 + sizeof(close_s) - 1, second, p->g_next, sizeof(p->g_next)))
        return -1;
    p->pre = in->xml;
    p->pre_len = (size_t) (first - in->xml);
    p->post = last + sizeof(close_s) - 1;
    p->post_len = in->len - (size_t) (p->post - in->xml);
    p->npieces = 0;
    for (int part = 0; part < 2; part++) {
        const char *a = part ? p->post : p->pre;
        const char *end = a + (part ? p->post_len : p->pre_len);
        while (a < end) {
            const char *b = a + 1;
            while (b < end && *b != '<')
                b++;
            if (p->npieces == MAX_PIECES)
                return -1;
            p->pieces[p->npieces].p = a;
            p->pieces[p->npieces++].n = (size_t) (b - a);
            a = b;
        }
        if (!part)
            p->npre = p->npieces;
    }
    return 0;
}

static void w_puts(struct writer *w, const char *s)
{
    w_append(w, s, strlen(s));
}

static void run_bare_writer(const struct input *in, const struct bare_plan *p, struct writer *w)
{
    w->len = 0;
    for (size_t k = 0; k < p->npre; k++)
        w_append(w, p->pieces[k].p, p->pieces[k].n);
    for (size_t i = 0; i < in->nparams; i++) {
        const struct cwmp_param_value *pv = &in->params[i];
        if (i)
            w_puts(w, p->g_next);
        W_LIT(w, "<ParameterValueStruct>");
        w_puts(w, p->g_name);
        W_LIT(w, "<Name>");
        w_puts(w, pv->name);
        W_LIT(w, "</Name>");
        w_puts(w, p->g_value);
        W_LIT(w, "<Value xsi:type=\"");
        w_puts(w, cwmp_type_name(pv->type));
        W_LIT(w, "\">");
        w_puts(w, pv->value);
        W_LIT(w, "</Value>");
        w_puts(w, p->g_end);
        W_LIT(w, "</ParameterValueStruct>");
    }
    for (size_t k = p->npre; k < p->npieces; k++)
        w_append(w, p->pieces[k].p, p->pieces[k].n);
}

static void run_encode(const struct input *in, struct cwmp_encoder *enc)
{
    const char *out;
    size_t len;
    int rv = cwmp_encoder_encode(enc, &in->env, &out, &len);
    if (rv)
        die("encode", rv, cwmp_encoder_error_detail(enc));
    sink += len;
}

/* ---- measurement -------------------------------------------------------- */

enum { V_DECODE, V_SAX, V_MEMCHR, V_ENCODE, V_WRITER, V_COUNT };

struct ctx {
    const struct input *in;
    const struct cwmp_codec_options *opts;
    struct cwmp_encoder *enc;
    struct bare_plan plan;
    struct writer w;
};

static void run_variant(struct ctx *c, int v)
{
    switch (v) {
    case V_DECODE: run_decode(c->in, c->opts); break;
    case V_SAX: run_sax(c->in); break;
    case V_MEMCHR: run_memchr(c->in); break;
    case V_ENCODE: run_encode(c->in, c->enc); break;
    default: run_bare_writer(c->in, &c->plan, &c->w); break;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

#define MAX_ROUNDS 15

/*
 * Best seconds per message of each variant over `rounds` rounds of ~slice s,
 * and the median over the rounds of the two ratios, each taken from a pair
 * of back-to-back runs (decode vs bare SAX, encode vs bare writer) so that
 * both sides of a ratio see the same machine load.
 */
static void measure(struct ctx *c, double best[V_COUNT], double *r_dec, double *r_enc, int rounds,
                    double slice)
{
    unsigned long iters[V_COUNT];
    double rd[MAX_ROUNDS], re[MAX_ROUNDS];
    for (int v = 0; v < V_COUNT; v++) {
        double t0 = now_s();
        unsigned long n = 0;
        do {
            run_variant(c, v);
            n++;
        } while (now_s() - t0 < slice / 10);
        double per = (now_s() - t0) / (double) n;
        iters[v] = (unsigned long) (slice / per) + 1;
        best[v] = 1e30;
    }
    static const int order[V_COUNT] = {V_SAX, V_DECODE, V_MEMCHR, V_WRITER, V_ENCODE};
    for (int r = 0; r < rounds; r++) {
        double t[V_COUNT];
        for (int k = 0; k < V_COUNT; k++) {
            int v = order[k];
            double t0 = now_s();
            for (unsigned long i = 0; i < iters[v]; i++)
                run_variant(c, v);
            t[v] = (now_s() - t0) / (double) iters[v];
            if (t[v] < best[v])
                best[v] = t[v];
        }
        rd[r] = t[V_SAX] / t[V_DECODE];
        re[r] = t[V_WRITER] / t[V_ENCODE];
    }
    qsort(rd, (size_t) rounds, sizeof(double), cmp_double);
    qsort(re, (size_t) rounds, sizeof(double), cmp_double);
    *r_dec = rd[rounds / 2];
    *r_enc = re[rounds / 2];
}

int main(int argc, char **argv)
{
    /* bench_codec [SECONDS_PER_SLICE]   or, for a profiler (callgrind):
     * bench_codec profile-decode|profile-sax|profile-encode|profile-writer   (10,000 params x10) */
    const char *mode = argc > 1 && strncmp(argv[1], "profile-", 8) == 0 ? argv[1] + 8 : NULL;
    double slice = argc > 1 && !mode ? atof(argv[1]) : 0.07;
    int rounds = 7;
    if (slice <= 0)
        slice = 0.07;
    mxmlSetErrorCallback(silent_error);

    struct cwmp_codec_options opts;
    cwmp_codec_options_init(&opts);
    opts.input_nul_terminated = true;

    static struct input inputs[4];
    make_inform(&inputs[0]);
    make_gpv_response(&inputs[1], 1000, "GetParameterValuesResponse (1,000 params)");
    make_gpv_response(&inputs[2], 10000, "GetParameterValuesResponse (10,000 params)");
    make_spv(&inputs[3]);
    size_t ninputs = 4;
    for (size_t i = 0; i < ninputs; i++)
        encode_input(&inputs[i], &opts);

    if (mode) {
        struct cwmp_encoder *enc = NULL;
        static struct bare_plan plan;
        struct writer w = {0};
        if (cwmp_encoder_new(&enc, &opts) != 0 || plan_bare(&inputs[2], &plan) != 0)
            return 1;
        for (int k = 0; k < 10; k++) {
            if (strcmp(mode, "decode") == 0)
                run_decode(&inputs[2], &opts);
            else if (strcmp(mode, "encode") == 0)
                run_encode(&inputs[2], enc);
            else if (strcmp(mode, "writer") == 0)
                run_bare_writer(&inputs[2], &plan, &w);
            else
                run_sax(&inputs[2]);
        }
        cwmp_encoder_free(enc);
        free(w.data);
        for (size_t i = 0; i < ninputs; i++)
            free_input(&inputs[i]);
        return 0;
    }

    printf("libcwmp codec benchmark: %d rounds of ~%.2f s (thread CPU time) per variant; MB/s\n"
           "and msg/s from the best round, ratios = median over the rounds of back-to-back pairs\n",
           rounds, slice);
    printf("mxml %d.%d; heap counting %s\n\n", MXML_MAJOR_VERSION, MXML_MINOR_VERSION,
#ifdef HEAP_COUNT
           "on (malloc interposed, mxml included)"
#else
           "off (sanitizer build): heap figures n/a"
#endif
    );

    int missed = 0;
    for (size_t i = 0; i < ninputs; i++) {
        struct input *in = &inputs[i];
        struct ctx c;
        memset(&c, 0, sizeof(c));
        c.in = in;
        c.opts = &opts;
        if (plan_bare(in, &c.plan) != 0) {
            fprintf(stderr, "bench_codec: no parameter list in %s\n", in->label);
            return 1;
        }
        int rv = cwmp_encoder_new(&c.enc, &opts);
        if (rv)
            die("cwmp_encoder_new", rv, NULL);

        /* Heap: one decode, one bare SAX parse, one one-shot encode. */
        heap_mark();
        run_decode(in, &opts);
        size_t heap_decode = heap_used();
        heap_mark();
        run_sax(in);
        size_t heap_sax = heap_used();
        heap_mark();
        {
            char *out = NULL;
            size_t out_len = 0;
            rv = cwmp_envelope_encode(&in->env, &opts, &out, &out_len, NULL, 0);
            if (rv)
                die("encode", rv, NULL);
            cwmp_encoded_free(&opts, out);
        }
        size_t heap_encode = heap_used();
        run_bare_writer(in, &c.plan, &c.w);
        size_t bare_len = c.w.len;
        if (bare_len != in->len || memcmp(c.w.data, in->xml, in->len) != 0) {
            fprintf(stderr, "bench_codec: the bare writer does not reproduce %s\n", in->label);
            return 1;
        }

        double best[V_COUNT], r_dec, r_enc;
        measure(&c, best, &r_dec, &r_enc, rounds, slice);
        double mb = (double) in->len / 1e6;
        double dec = mb / best[V_DECODE], sax = mb / best[V_SAX], mch = mb / best[V_MEMCHR];
        double encr = mb / best[V_ENCODE], wr = (double) bare_len / 1e6 / best[V_WRITER];
        double hb = (double) heap_decode / (double) in->len;

        printf("%s: %zu bytes\n", in->label, in->len);
        printf("  decode      %8.1f MB/s %10.0f msg/s   %5.1f%% of bare mxml SAX (%.1f MB/s), "
               "%.2f%% of memchr (%.0f MB/s)\n",
               dec, 1.0 / best[V_DECODE], 100.0 * r_dec, sax, 100.0 * dec / mch, mch);
#ifdef HEAP_COUNT
        printf("  decode heap %8zu bytes peak = %.2f B per input byte (bare SAX: %.2f B/B)\n",
               heap_decode, hb, (double) heap_sax / (double) in->len);
#else
        (void) heap_sax;
        printf("  decode heap n/a\n");
#endif
        printf("  encode      %8.1f MB/s %10.0f msg/s   %5.1f%% of bare append writer "
               "(%.1f MB/s, %zu bytes)\n",
               encr, 1.0 / best[V_ENCODE], 100.0 * r_enc, wr, bare_len);
#ifdef HEAP_COUNT
        printf("  encode heap %8zu bytes peak (one-shot cwmp_envelope_encode) = %.2f B/B\n",
               heap_encode, (double) heap_encode / (double) in->len);
#else
        (void) heap_encode;
#endif
        const char *dm = r_dec >= 0.85 ? "met" : "MISSED";
        const char *em = r_enc >= 0.60 ? "met" : "MISSED";
#ifdef HEAP_COUNT
        const char *hm = hb <= 1.5 ? "met" : "MISSED";
#else
        const char *hm = "n/a";
        (void) hb;
#endif
        printf("  targets: decode >= 85%% SAX %s; heap <= 1.5 B/B %s; encode >= 60%% writer %s\n\n",
               dm, hm, em);
        missed += r_dec < 0.85 || r_enc < 0.60;
        free(c.w.data);
        cwmp_encoder_free(c.enc);
    }
    for (size_t i = 0; i < ninputs; i++)
        free_input(&inputs[i]);
    printf("%d input(s) below a throughput target (see doc/performance.md)\n", missed);
    return 0;
}
