/*
 * libcwmp examples - tests of the file server's storage.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filestore.h"
#include "pm.h"

static char dir[256];

static int setup(void **state)
{
    (void) state;
    const char *base = getenv("TMPDIR");
    snprintf(dir, sizeof(dir), "%s/hmsfs-XXXXXX", base && *base ? base : "/tmp");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int teardown(void **state)
{
    (void) state;
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    char p[600];
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            rmdir(p);
        else
            unlink(p);
    }
    closedir(d);
    assert_int_equal(rmdir(dir), 0);
    return 0;
}

static void test_names(void **state)
{
    (void) state;
    /* Whatever the PM writer names a file, the file server accepts. */
    struct pm_file_params p = {0};
    p.sender_name = "HNB-00D09E/../SN 1";
    p.begin_s = 1795391100; /* crosses midnight */
    p.gran_s = 900;
    char name[300];
    for (int tz = -720; tz <= 840; tz += 330) {
        p.tz_minutes = tz;
        assert_int_equal(pm_file_name(&p, name, sizeof(name)), 0);
        assert_true(hms_pm_name_ok(name));
    }
    assert_true(hms_pm_name_ok("A20261122.1500+0000-1515+0000_HNB-0001.xml"));
    assert_true(hms_pm_name_ok("A20261122.2345+0000-20261123.0000+0000_X"));
    const char *bad[] = {
        "../A20261122.1500+0000-1515+0000_X.xml",
        "A20261122.1500+0000-1515+0000_../../etc/passwd",
        "A20261122.1500+0000-1515+0000_",
        "A20261122.1500+0000-1515+0000_.hidden",
        "A2026112.1500+0000-1515+0000_XY",
        "B20261122.1500+0000-1515+0000_X",
        "A20261122.1500 0000-1515+0000_X",
        "A20261122.1500+0000-1515+0000_a b",
        "",
        NULL,
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(hms_pm_name_ok(bad[i]));
    char longname[300];
    snprintf(longname, sizeof(longname), "A20261122.1500+0000-1515+0000_%0250d", 0);
    assert_false(hms_pm_name_ok(longname));

    assert_true(hms_cm_name_ok("cm-henb_1.xml"));
    assert_false(hms_cm_name_ok(".cm.xml"));
    assert_false(hms_cm_name_ok("../cm.xml"));
    assert_false(hms_cm_name_ok("a/b.xml"));
    assert_false(hms_cm_name_ok(""));
}

static void test_put_pm(void **state)
{
    (void) state;
    const char *name = "A20261122.1500+0000-1515+0000_HNB-0001.xml";
    char path[600], err[200];
    assert_int_equal(
        hms_filestore_put_pm(dir, name, "<x/>", 4, 0, path, sizeof(path), err, sizeof(err)), 0);
    char *back = read_file(path, NULL);
    assert_string_equal(back, "<x/>");
    test_free(back);

    /* A repeated upload never overwrites. */
    assert_int_equal(hms_filestore_put_pm(dir, name, "<y/>", 4, 0, NULL, 0, err, sizeof(err)),
                     CWMP_ERR_STATE);
    assert_non_null(strstr(err, "exists"));
    back = read_file(path, NULL);
    assert_string_equal(back, "<x/>");
    test_free(back);

    assert_int_equal(hms_filestore_put_pm(dir, "../evil", "x", 1, 0, NULL, 0, err, sizeof(err)),
                     CWMP_ERR_BAD_VALUE);
    assert_int_equal(hms_filestore_put_pm(dir, "A20261122.1600+0000-1615+0000_HNB-0001.xml",
                                          "12345", 5, 4, NULL, 0, err, sizeof(err)),
                     CWMP_ERR_LIMIT);
    char missing[400];
    snprintf(missing, sizeof(missing), "%s/nope", dir);
    assert_int_equal(hms_filestore_put_pm(missing, "A20261122.1600+0000-1615+0000_HNB-0001.xml",
                                          "x", 1, 0, NULL, 0, err, sizeof(err)),
                     CWMP_ERR_IO);
    assert_non_null(strstr(err, "create"));

    /* No temporary file is left behind. */
    DIR *d = opendir(dir);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            assert_true(!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."));
            continue;
        }
        files++;
    }
    closedir(d);
    assert_int_equal(files, 1);
}

static void test_get_cm(void **state)
{
    (void) state;
    char p[600];
    snprintf(p, sizeof(p), "%s/cm-1.xml", dir);
    FILE *fp = fopen(p, "w");
    fputs("<cmFile version=\"1\"/>", fp);
    fclose(fp);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(hms_filestore_get_cm(dir, "cm-1.xml", 0, &test_allocator, &data, &len), 0);
    assert_int_equal(len, 21);
    assert_string_equal(data, "<cmFile version=\"1\"/>");
    test_free(data);
    assert_int_equal(hms_filestore_get_cm(dir, "cm-1.xml", 10, &test_allocator, &data, &len),
                     CWMP_ERR_LIMIT);
    assert_null(data);
    assert_int_equal(hms_filestore_get_cm(dir, "cm-2.xml", 0, &test_allocator, &data, &len),
                     CWMP_ERR_NOT_FOUND);
    assert_int_equal(hms_filestore_get_cm(dir, "../cm-1.xml", 0, &test_allocator, &data, &len),
                     CWMP_ERR_BAD_VALUE);
    /* A symbolic link planted in the directory is not followed. */
    char l[600];
    snprintf(l, sizeof(l), "%s/link.xml", dir);
    assert_int_equal(symlink("/etc/hostname", l), 0);
    assert_int_not_equal(hms_filestore_get_cm(dir, "link.xml", 0, &test_allocator, &data, &len), 0);
    assert_null(data);
    snprintf(l, sizeof(l), "%s/sub", dir);
    assert_int_equal(mkdir(l, 0700), 0);
    assert_int_equal(hms_filestore_get_cm(dir, "sub", 0, &test_allocator, &data, &len),
                     CWMP_ERR_NOT_FOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test_setup_teardown(test_put_pm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_get_cm, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
