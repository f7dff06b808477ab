/*
 * libcwmp tests - schema validity of the encoder's output.
 *
 * For every golden envelope (tests/data/envelopes) and every CWMP version the
 * schema knows its message in, the decoded message is re-encoded for that
 * version and validated with xmllint against the Broadband Forum schemas in
 * ../shared/standards, using the strict catalog (an undeclared element in the
 * SOAP Body is an error). xmllint runs without a shell (posix_spawnp).
 * Skipped, visibly, only when ../shared/standards is absent.
 * Vendor methods (X_...) are not in any schema and are left out, as are the
 * goldens marked with a <name>.no-schema file (e.g. an xsi:type the schema
 * does not know, kept verbatim on purpose).
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <dirent.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#include <cwmp/envelope.h>

#include "internal.h"

extern char **environ;

struct files {
    char **v;
    size_t n, cap;
};

static void add_file(struct files *f, const char *p)
{
    if (f->n + 2 >= f->cap) {
        f->cap = f->cap ? f->cap * 2 : 64;
        f->v = realloc(f->v, f->cap * sizeof(*f->v));
        assert_non_null(f->v);
    }
    f->v[f->n++] = strdup(p);
}

/* Runs xmllint on the files; returns its exit status (-1 if it did not run). */
static int xmllint(const char *std, char **files, size_t n)
{
    char schema[1024], catalog[1100];
    snprintf(schema, sizeof(schema), "%s/cwmp-all.xsd", std);
    snprintf(catalog, sizeof(catalog), "XML_CATALOG_FILES=%s/catalog-strict.xml", std);
    char **argv = calloc(n + 7, sizeof(*argv));
    assert_non_null(argv);
    size_t a = 0;
    argv[a++] = "xmllint";
    argv[a++] = "--nonet";
    argv[a++] = "--noout";
    argv[a++] = "--quiet";
    argv[a++] = "--schema";
    argv[a++] = schema;
    for (size_t i = 0; i < n; i++)
        argv[a++] = files[i];
    argv[a] = NULL;
    size_t ne = 0;
    while (environ[ne])
        ne++;
    char **envp = calloc(ne + 2, sizeof(*envp));
    assert_non_null(envp);
    size_t k = 0;
    for (size_t i = 0; i < ne; i++)
        if (strncmp(environ[i], "XML_CATALOG_FILES=", 18) != 0)
            envp[k++] = environ[i];
    envp[k++] = catalog;
    envp[k] = NULL;
    /* --quiet: only failures are printed (to the test log). */
    pid_t pid;
    int rv = posix_spawnp(&pid, "xmllint", NULL, NULL, argv, envp);
    free(argv);
    free(envp);
    if (rv != 0) {
        print_error("cannot run xmllint (install libxml2-utils): %s\n", strerror(rv));
        return -1;
    }
    int st;
    if (waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void test_schema_valid(void **state)
{
    (void) state;
    const char *std = shared_standards_dir();
    if (!std) {
        print_message("SKIP: ../shared/standards not found; schema validity not checked\n");
        skip();
    }
    char tmpl[] = "/tmp/cwmp-schema-XXXXXX";
    char *tmp = mkdtemp(tmpl);
    assert_non_null(tmp);

    char dir[1024];
    snprintf(dir, sizeof(dir), "%s/envelopes", test_data_dir());
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    struct files names = {0}, out = {0};
    struct dirent *de;
    while ((de = readdir(dp)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l > 4 && strcmp(de->d_name + l - 4, ".xml") == 0) {
            char base[512];
            snprintf(base, sizeof(base), "%.*s", (int) (l - 4), de->d_name);
            add_file(&names, base);
        }
    }
    closedir(dp);
    qsort(names.v, names.n, sizeof(char *), cmp_str);

    struct cwmp_codec_options o;
    cwmp_codec_options_init(&o);
    o.allocator = &test_allocator;
    size_t messages = 0;
    for (size_t i = 0; i < names.n; i++) {
        char p[1200];
        size_t len;
        snprintf(p, sizeof(p), "%s/%s.no-schema", dir, names.v[i]);
        FILE *marker = fopen(p, "rb");
        if (marker) {
            fclose(marker);
            continue;
        }
        snprintf(p, sizeof(p), "%s/%s.xml", dir, names.v[i]);
        char *xml = read_file(p, &len);
        assert_non_null(xml);
        struct cwmp_envelope *env = NULL;
        int rv = cwmp_envelope_decode(xml, len, &o, &env, NULL, 0);
        test_free(xml);
        if (rv || env->rpc.method == CWMP_METHOD_VENDOR) {
            cwmp_envelope_free(env);
            continue; /* error cases and vendor methods */
        }
        messages++;
        for (int v = CWMP_V1_0; v <= CWMP_V1_4; v++) {
            env->version = (enum cwmp_version) v;
            char *enc = NULL;
            size_t elen;
            char detail[256];
            rv = cwmp_envelope_encode(env, &o, &enc, &elen, detail, sizeof(detail));
            if (rv == CWMP_ERR_UNSUPPORTED || rv == CWMP_ERR_BAD_VALUE)
                continue; /* not in this version / a golden with an invalid value */
            if (rv)
                fail_msg("%s v1.%d: encode failed %d: %s", names.v[i], v, rv, detail);
            snprintf(p, sizeof(p), "%s/%s-1.%d.xml", tmp, names.v[i], v);
            write_file(p, enc, elen);
            add_file(&out, p);
            cwmp_encoded_free(&o, enc);
        }
        cwmp_envelope_free(env);
    }
    assert_true(messages >= 56);
    assert_true(out.n > messages);
    print_message("validating %zu envelopes (%zu messages x versions) with xmllint\n", out.n,
                  messages);
    int st = xmllint(std, out.v, out.n);

    /* Negative control: the same pipeline rejects an invalid envelope. */
    const char *bad =
        "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        "xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\"><SOAP-ENV:Body><cwmp:InformResponse>"
        "</cwmp:InformResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>\n";
    char badp[1200];
    snprintf(badp, sizeof(badp), "%s/negative-control.xml", tmp);
    write_file(badp, bad, strlen(bad));
    print_message("negative control (xmllint must reject it):\n");
    char *one[1] = {badp};
    int bst = xmllint(std, one, 1);

    for (size_t i = 0; i < out.n; i++) {
        unlink(out.v[i]);
        free(out.v[i]);
    }
    unlink(badp);
    rmdir(tmp);
    for (size_t i = 0; i < names.n; i++)
        free(names.v[i]);
    free(names.v);
    free(out.v);
    assert_int_equal(st, 0);
    assert_true(bst > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_valid),
    };
    return cmocka_run_group_tests_name("codec-schema", tests, NULL, NULL);
}
