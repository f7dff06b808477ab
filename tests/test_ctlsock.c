/*
 * libcwmp examples - tests of the local control sockets.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "testutil.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctlsock.h"

static char dir[200], sock[300];

static int setup(void **state)
{
    (void) state;
    const char *base = getenv("TMPDIR");
    snprintf(dir, sizeof(dir), "%s/ctl-XXXXXX", base && *base ? base : "/tmp");
    assert_non_null(mkdtemp(dir));
    snprintf(sock, sizeof(sock), "%s/ctl.sock", dir);
    return 0;
}

static int teardown(void **state)
{
    (void) state;
    unlink(sock);
    assert_int_equal(rmdir(dir), 0);
    return 0;
}

/* Child: serve one request, answering "ok\n<line reversed>\n" or an error. */
static void serve_one(int lfd)
{
    struct pollfd p = {lfd, POLLIN, 0};
    if (poll(&p, 1, 5000) != 1)
        _exit(2);
    int fd = ctlsock_accept(lfd);
    if (fd < 0)
        _exit(3);
    char line[CTLSOCK_MAX_LINE];
    int n = ctlsock_read_line(fd, line, sizeof(line), 5000);
    char out[CTLSOCK_MAX_LINE + 16];
    if (n < 0) {
        snprintf(out, sizeof(out), "error: read %d\n", n);
    } else if (!strcmp(line, "fail")) {
        snprintf(out, sizeof(out), "error: asked to fail\n");
    } else {
        char rev[CTLSOCK_MAX_LINE];
        for (int i = 0; i < n; i++)
            rev[i] = line[n - 1 - i];
        rev[n] = '\0';
        snprintf(out, sizeof(out), "ok\n%s\n", rev);
    }
    ctlsock_write_all(fd, out, strlen(out), 5000);
    close(fd);
    _exit(0);
}

static void roundtrip(const char *line, int want_rv, const char *want_reply)
{
    char err[200];
    int lfd = ctlsock_listen(sock, err, sizeof(err));
    assert_true(lfd >= 0);
    struct stat st;
    assert_int_equal(stat(sock, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        serve_one(lfd);
    close(lfd);
    struct ex_buf reply;
    ex_buf_init(&reply, &test_allocator, 0);
    int rv = ctlsock_request(sock, line, &reply, 5000, err, sizeof(err));
    int status = 0;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(rv, want_rv);
    assert_string_equal(reply.data, want_reply);
    ex_buf_free(&reply);
}

static void test_request(void **state)
{
    (void) state;
    roundtrip("alarm raise cause=x", 0, "ok\nx=esuac esiar mrala\n");
    roundtrip("fail", 1, "error: asked to fail\n");
    /* The listener replaces its own stale socket file. */
    roundtrip("status", 0, "ok\nsutats\n");
}

static void test_errors(void **state)
{
    (void) state;
    char err[200];
    struct ex_buf reply;
    ex_buf_init(&reply, &test_allocator, 0);
    /* Nobody listening. */
    assert_int_equal(ctlsock_request(sock, "status", &reply, 1000, err, sizeof(err)), CWMP_ERR_IO);
    assert_non_null(strstr(err, "connect"));
    /* A listener that never answers: the client times out. */
    int lfd = ctlsock_listen(sock, err, sizeof(err));
    assert_true(lfd >= 0);
    assert_int_equal(ctlsock_request(sock, "status", &reply, 150, err, sizeof(err)),
                     CWMP_ERR_TIMEOUT);
    assert_non_null(strstr(err, "no answer"));
    /* The server side: a line without newline before the peer closes. */
    int fd = ctlsock_accept(lfd);
    assert_true(fd >= 0);
    char line[16];
    assert_int_equal(ctlsock_read_line(fd, line, sizeof(line), 200), 6);
    assert_string_equal(line, "status");
    assert_int_equal(ctlsock_read_line(fd, line, sizeof(line), 200), CWMP_ERR_CLOSED);
    close(fd);
    assert_int_equal(ctlsock_accept(lfd), -1); /* nobody waiting */
    close(lfd);
    assert_int_equal(ctlsock_request(sock, "two\nlines", &reply, 100, err, sizeof(err)),
                     CWMP_ERR_INVALID_ARG);
    ex_buf_free(&reply);

    /* A regular file at the path is never removed. */
    unlink(sock);
    FILE *fp = fopen(sock, "w");
    fputs("precious", fp);
    fclose(fp);
    assert_int_equal(ctlsock_listen(sock, err, sizeof(err)), CWMP_ERR_STATE);
    assert_non_null(strstr(err, "not a socket"));
    char *back = read_file(sock, NULL);
    assert_string_equal(back, "precious");
    test_free(back);
    char longpath[300];
    memset(longpath, 'x', sizeof(longpath) - 1);
    longpath[sizeof(longpath) - 1] = '\0';
    assert_int_equal(ctlsock_listen(longpath, err, sizeof(err)), CWMP_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_request, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
