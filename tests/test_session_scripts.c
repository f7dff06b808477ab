/*
 * libcwmp tests - scripted sessions from files: tests/data/sessions/<name>/
 * holds `role` ("cpe" or "acs": the engine under test) and numbered steps
 * NN-in.xml (a body from the peer) / NN-out.xml (the body the engine must
 * produce; an empty file is an empty body). For the CPE the engine speaks
 * first (NN-out, then NN-in); for the ACS the peer does (NN-in, then
 * NN-out). Bodies are compared through the codec's canonical dump, so a
 * capture from a real peer becomes a test by adding files.
 *
 * SESSION_SCRIPTS_UPDATE=1 rewrites the NN-out.xml files from the engine.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cwmp/acs.h>
#include <cwmp/cpe.h>

#include "testutil.h"

struct dump {
    char *p;
    size_t n;
};

static int dump_write(const char *d, size_t n, void *u)
{
    struct dump *b = u;
    char *np = test_realloc(b->p, b->n + n + 1);
    memcpy(np + b->n, d, n);
    b->n += n;
    np[b->n] = '\0';
    b->p = np;
    return 0;
}

/* Canonical text of a body ("" for an empty one, "undecodable" for garbage). */
static char *canon(const char *body, size_t len)
{
    struct dump d = {NULL, 0};
    struct cwmp_envelope *env;
    if (len == 0) {
        dump_write("", 0, &d);
        return d.p;
    }
    if (cwmp_envelope_decode(body, len, NULL, &env, NULL, 0) != 0) {
        dump_write("undecodable", 11, &d);
        return d.p;
    }
    cwmp_envelope_print(env, dump_write, &d);
    cwmp_envelope_free(env);
    return d.p;
}

static char *step_file(const char *dir, int n, const char *kind, size_t *len)
{
    char path[2048];
    snprintf(path, sizeof(path), "%s/%02d-%s.xml", dir, n, kind);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fclose(f);
    return read_file(path, len);
}

static void check_out(const char *dir, int n, const char *out, size_t len)
{
    size_t elen;
    char *exp = step_file(dir, n, "out", &elen);
    if (getenv("SESSION_SCRIPTS_UPDATE")) {
        char path[2048];
        snprintf(path, sizeof(path), "%s/%02d-out.xml", dir, n);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fwrite(out, 1, len, f);
        fclose(f);
        test_free(exp);
        return;
    }
    if (!exp)
        fail_msg("%s: step %02d: no %02d-out.xml for the engine's output", dir, n, n);
    char *a = canon(out, len), *b = canon(exp, elen);
    if (strcmp(a, b) != 0)
        fail_msg("%s: step %02d differs.\n--- expected\n%s\n--- got\n%s", dir, n, b, a);
    test_free(a);
    test_free(b);
    test_free(exp);
}

static int save_nop(enum cwmp_cpe_record k, const char *d, size_t n, void *u)
{
    (void) k;
    (void) d;
    (void) n;
    (void) u;
    return 0;
}

static int run_cpe(const char *dir)
{
    struct cwmp_cpe_callbacks cb;
    struct cwmp_cpe_config cfg;
    struct cwmp_cpe *cpe;
    const char *out;
    size_t len;
    int steps = 0;

    memset(&cb, 0, sizeof(cb));
    cb.save = save_nop;
    memset(&cfg, 0, sizeof(cfg));
    cfg.allocator = &test_allocator;
    cfg.callbacks = &cb;
    cfg.device_id.manufacturer = "Acme";
    cfg.device_id.oui = "00256D";
    cfg.device_id.product_class = "FAP";
    cfg.device_id.serial_number = "SN0001";
    assert_int_equal(cwmp_cpe_new(&cpe, &cfg), 0);
    assert_int_equal(cwmp_cpe_set_acs_url(cpe, "https://acs.example.net/"), 0);
    assert_int_equal(cwmp_cpe_start(cpe, 1767225600000LL, CWMP_CPE_START_BOOT), 0);
    assert_int_equal(cwmp_cpe_session_begin(cpe, 1767225600000LL), 0);
    for (int n = 1; cwmp_cpe_want_send(cpe); n++) {
        size_t ilen;
        char *in;
        assert_int_equal(cwmp_cpe_send(cpe, &out, &len), 0);
        check_out(dir, n, out, len);
        in = step_file(dir, n, "in", &ilen);
        if (!in)
            fail_msg("%s: the CPE sent step %02d but there is no %02d-in.xml", dir, n, n);
        (void) cwmp_cpe_recv(cpe, in, ilen);
        test_free(in);
        steps++;
    }
    assert_false(cwmp_cpe_session_active(cpe));
    cwmp_cpe_free(cpe);
    return steps;
}

static int run_acs(const char *dir)
{
    struct cwmp_acs_config cfg;
    struct cwmp_acs_session *s;
    int steps = 0;

    memset(&cfg, 0, sizeof(cfg));
    cfg.allocator = &test_allocator;
    assert_int_equal(cwmp_acs_session_new(&s, &cfg, 0), 0);
    for (int n = 1; !cwmp_acs_session_done(s); n++) {
        size_t ilen, len;
        const char *out;
        char *in = step_file(dir, n, "in", &ilen);
        if (!in)
            break;
        (void) cwmp_acs_session_recv(s, in, ilen);
        test_free(in);
        if (cwmp_acs_session_want_send(s)) {
            assert_int_equal(cwmp_acs_session_send(s, &out, &len), 0);
            check_out(dir, n, out, len);
        }
        steps++;
    }
    assert_true(cwmp_acs_session_done(s));
    cwmp_acs_session_free(s);
    return steps;
}

static void test_scripts(void **state)
{
    char base[1024], dir[1280], role[16];
    struct dirent *de;
    DIR *d;
    int sessions = 0;
    (void) state;

    snprintf(base, sizeof(base), "%s/sessions", test_data_dir());
    d = opendir(base);
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        size_t rlen;
        char *r;
        if (de->d_name[0] == '.')
            continue;
        snprintf(dir, sizeof(dir), "%s/%s", base, de->d_name);
        snprintf(role, sizeof(role), "%s", "");
        char rp[1400];
        snprintf(rp, sizeof(rp), "%s/role", dir);
        r = read_file(rp, &rlen);
        assert_non_null(r);
        int steps = strncmp(r, "cpe", 3) == 0 ? run_cpe(dir) : run_acs(dir);
        print_message("%s: %d steps\n", de->d_name, steps);
        assert_true(steps > 0);
        test_free(r);
        sessions++;
    }
    closedir(d);
    assert_true(sessions >= 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scripts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
