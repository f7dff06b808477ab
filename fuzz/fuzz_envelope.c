/*
 * libcwmp fuzz target - the SOAP envelope decoder, lenient and strict, and
 * the decode → encode → decode stability check: whatever lenient decoding
 * accepts and the encoder writes must decode again, in strict mode, to the
 * same message (the canonical dumps, warnings aside, are compared). Each
 * input is also decoded with allocations failing from the Nth on.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cwmp/envelope.h>
#include <cwmp/error.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct dump {
    char *data;
    size_t len, cap;
};

static int dump_write(const char *s, size_t n, void *user_data)
{
    struct dump *d = user_data;
    if (d->cap - d->len <= n) {
        size_t ncap = d->cap ? d->cap : 4096;
        while (ncap - d->len <= n)
            ncap *= 2;
        char *p = realloc(d->data, ncap);
        if (!p)
            abort();
        d->data = p;
        d->cap = ncap;
    }
    memcpy(d->data + d->len, s, n);
    d->len += n;
    return 0;
}

/*
 * The dump of an envelope without what encoding normalises: the warnings,
 * and the decode-only mustUnderstand flag of the ID (always written as 1).
 */
static void print_plain(const struct cwmp_envelope *env, struct dump *d)
{
    struct cwmp_envelope copy = *env;
    copy.warnings = NULL;
    copy.warning_count = 0;
    if (copy.header.id)
        copy.header.id_must_understand = true;
    d->len = 0;
    if (cwmp_envelope_print(&copy, dump_write, d) != 0)
        abort();
}

static void fail(const char *what, const struct dump *a, const struct dump *b)
{
    fprintf(stderr, "fuzz_envelope: %s\n", what);
    if (a)
        fprintf(stderr, "--- first\n%.*s\n", (int) a->len, a->data);
    if (b)
        fprintf(stderr, "--- second\n%.*s\n", (int) b->len, b->data);
    abort();
}

/* An allocator that refuses allocation number fail_at and every later one. */
struct failing {
    unsigned long count, fail_at;
};

static void *f_malloc(size_t n, void *ud)
{
    struct failing *f = ud;
    return ++f->count >= f->fail_at ? NULL : malloc(n);
}

static void *f_realloc(void *p, size_t n, void *ud)
{
    struct failing *f = ud;
    return ++f->count >= f->fail_at ? NULL : realloc(p, n);
}

static void f_free(void *p, void *ud)
{
    (void) ud;
    free(p);
}

/* Decoding with allocations failing from the Nth on (N from the input):
 * an error (nomem, or an input error found first), never a crash or leak. */
static void decode_failing(const uint8_t *data, size_t size)
{
    struct failing f = {0, 1 + (size ? data[size / 2] % 32u : 0)};
    struct cwmp_allocator a = {f_malloc, f_realloc, f_free, &f};
    struct cwmp_codec_options opts;
    cwmp_codec_options_init(&opts);
    opts.allocator = &a;
    opts.max_envelope_bytes = 1u << 20;
    struct cwmp_envelope *env = NULL;
    int rv = cwmp_envelope_decode((const char *) data, size, &opts, &env, NULL, 0);
    if (rv == 0) {
        cwmp_envelope_free(env);
    } else if (env != NULL || rv > 0) {
        fail("failed decode under allocation failure left an envelope", NULL, NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    decode_failing(data, size);

    struct cwmp_codec_options opts;
    cwmp_codec_options_init(&opts);
    /* Keep single runs fast; the limits themselves are part of the target. */
    opts.max_envelope_bytes = 1u << 20;
    opts.max_elements = 20000;
    opts.max_array_entries = 5000;

    char detail[256];
    for (int strict = 0; strict < 2; strict++) {
        opts.strict = strict != 0;
        struct cwmp_envelope *env = (struct cwmp_envelope *) 1;
        detail[0] = '\0';
        int rv =
            cwmp_envelope_decode((const char *) data, size, &opts, &env, detail, sizeof(detail));
        /* The header-only read: an ID whenever a full decode found one. */
        char id[128];
        int prv = cwmp_envelope_peek_id((const char *) data, size, &opts, id, sizeof(id));
        if (prv > 0 || (prv != 0 && id[0] != '\0'))
            fail("a failed peek_id must return < 0 and an empty ID", NULL, NULL);
        if (rv != 0) {
            if (rv > 0 || env != NULL || !cwmp_strerror(rv))
                fail("a failed decode must return < 0 and set *out = NULL", NULL, NULL);
            continue;
        }
        if (env->header.id && strlen(env->header.id) < sizeof(id) &&
            (prv != 0 || strcmp(id, env->header.id) != 0))
            fail("peek_id disagrees with the decoded cwmp:ID", NULL, NULL);
        /* Strict mode may still record warnings for what SOAP allows (an
         * unknown header without mustUnderstand is skipped, noted). */

        struct dump first = {0}, second = {0};
        print_plain(env, &first);

        char *out = NULL;
        size_t out_len = 0;
        rv = cwmp_envelope_encode(env, &opts, &out, &out_len, detail, sizeof(detail));
        if (rv == 0) {
            struct cwmp_envelope *env2 = NULL;
            struct cwmp_codec_options sopts = opts;
            sopts.strict = true;
            sopts.max_envelope_bytes = 0; /* the re-encoded form may be larger */
            sopts.max_elements = 0;
            sopts.max_array_entries = 0;
            rv = cwmp_envelope_decode(out, out_len, &sopts, &env2, detail, sizeof(detail));
            if (rv != 0) {
                fprintf(stderr, "re-decode: %s: %s\n%.*s\n", cwmp_strerror(rv), detail,
                        (int) out_len, out);
                fail("libcwmp's own output does not decode in strict mode", &first, NULL);
            }
            print_plain(env2, &second);
            if (first.len != second.len || memcmp(first.data, second.data, first.len) != 0)
                fail("decode -> encode -> decode changed the message", &first, &second);
            cwmp_envelope_free(env2);
            cwmp_encoded_free(&opts, out);
        } else if (rv == CWMP_ERR_NOMEM || rv == CWMP_ERR_INTERNAL || rv > 0) {
            fprintf(stderr, "encode: %s: %s\n", cwmp_strerror(rv), detail);
            fail("unexpected encode error", &first, NULL);
        }
        free(first.data);
        free(second.data);
        cwmp_envelope_free(env);
    }
    return 0;
}
