/*
 * libcwmp examples - hms: the HNB/HeNB management system (initial and/or
 * serving HMS, with its file server). See doc/examples.md §9.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "ctl.h"
#include "registry.h"
#include "server.h"
#include "server_int.h"

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void) sig;
    stop_flag = 1;
}

static void usage(FILE *f)
{
    fputs("usage: hms [options] CONFIG\n"
          "  --trace FILE        append the message-flow trace to FILE\n"
          "  --port N            CWMP port instead of the config's listen port (0: any)\n"
          "  --file-listen H:P   file server address (default: from file_url; \"\": none)\n"
          "  --cr-user U         connection-request username for devices without their own\n"
          "                      (each device gets its own pair at registration)\n"
          "  --cr-password P     ... and password (or $HMS_CR_PASSWORD)\n"
          "  --cr-fixed          no per-device pairs: --cr-user/--cr-password for every device\n"
          "  --cr-attempts N     connection-request attempts before its task fails (default 6)\n"
          "  --cr-retry MS       wait before the 2nd attempt, doubled after each (default 1000)\n"
          "  --cr-retry-max MS   bound of that wait (default 10000)\n"
          "  --cr-timeout MS     connect/answer timeout of one attempt (default 5000)\n"
          "  --cwmp-user U       CPEs must authenticate with U (Digest; Basic over TLS)\n"
          "  --cwmp-password P   ... and P (or $HMS_CWMP_PASSWORD)\n"
          "  --port-file FILE    write \"<cwmp port> <file port>\" to FILE once listening\n"
          "  --max-connections N CWMP connections served at once (default 64)\n"
          "  --io-timeout MS     per handshake, request, response, idle wait (default 10000)\n"
          "  --max-buffered B    request and file bytes held by all connections (default 32 MiB)\n"
          "  --max-file-connections N  file-server connections served at once (default 16)\n"
          "  --file-timeout MS   per file-server request and its response (default 60000)\n"
          "  -v                  log every session to stderr\n"
          "       hms ctl CONFIG COMMAND [ARGS...]   operator commands on the registry\n"
          "         (as hms-ctl; a running hms sends `connreq` within half a second)\n"
          "test aid: HMS_TEST_CRASH=recv:<Message>[:<n>] | sent:<Message>[:<n>] makes hms\n"
          "  exit abruptly (status 86) at that message (doc/examples.md, Robustness)\n",
          f);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = malloc(1 << 20);
    if (buf) {
        *len = fread(buf, 1, (1 << 20) - 1, fp);
        buf[*len] = '\0';
    }
    fclose(fp);
    return buf;
}

static char *slurp(const char *path, size_t *len);

/* A whole decimal number in [lo, hi]. */
static int number(const char *v, long lo, long hi, long *out)
{
    char *end = NULL;
    long n = strtol(v, &end, 10);
    if (!end || end == v || *end || n < lo || n > hi)
        return -1;
    *out = n;
    return 0;
}

/* `hms ctl CONFIG COMMAND...`: the operator commands of ctl.c on the
 * registry named by the config; the running hms picks up what they queue. */
static int ctl_main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    size_t len = 0;
    char *text = slurp(argv[0], &len);
    struct conf_doc *doc = NULL;
    struct conf_hms *h = NULL;
    struct conf_error ce = {0};
    if (!text || conf_parse(text, len, NULL, &doc, &ce) != 0 || conf_hms_load(doc, &h, &ce) != 0) {
        fprintf(stderr, "hms ctl: %s:%d: %s\n", argv[0], ce.line, text ? ce.msg : "cannot read");
        conf_free(doc);
        free(text);
        return 2;
    }
    struct hms_registry *r = NULL;
    char err[300];
    int rv = 1;
    if (hms_registry_open(&r, h->database, NULL, NULL, err, sizeof(err)) != 0) {
        fprintf(stderr, "hms ctl: %s\n", err);
    } else {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        struct ex_buf out, eb;
        ex_buf_init(&out, NULL, 0);
        ex_buf_init(&eb, NULL, 0);
        rv = hms_ctl(r, argc - 1, argv + 1, (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000, &out,
                     &eb);
        if (out.len)
            fwrite(out.data, 1, out.len, stdout);
        if (eb.len)
            fwrite(eb.data, 1, eb.len, stderr);
        ex_buf_free(&out);
        ex_buf_free(&eb);
        hms_registry_close(r);
    }
    conf_hms_free(h);
    conf_free(doc);
    free(text);
    return rv;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "ctl"))
        return ctl_main(argc - 2, argv + 2);
    struct hms_server_opts o = {0};
    const char *conf = NULL, *port_file = NULL;
    o.cwmp_port = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-v"))
            o.verbose = 1;
        else if (!strcmp(a, "--cr-fixed"))
            o.cr_fixed = 1;
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (a[0] == '-' && a[1] == '-' && v) {
            i++;
            if (!strcmp(a, "--trace"))
                o.trace_path = v;
            else if (!strcmp(a, "--port"))
                o.cwmp_port = atoi(v);
            else if (!strcmp(a, "--file-listen"))
                o.file_listen = v;
            else if (!strcmp(a, "--cr-user"))
                o.cr_username = v;
            else if (!strcmp(a, "--cr-password"))
                o.cr_password = v;
            else if (!strcmp(a, "--cwmp-user"))
                o.cwmp_username = v;
            else if (!strcmp(a, "--cwmp-password"))
                o.cwmp_password = v;
            else if (!strcmp(a, "--port-file"))
                port_file = v;
            else if (!strcmp(a, "--cr-attempts") || !strcmp(a, "--cr-retry") ||
                     !strcmp(a, "--cr-retry-max") || !strcmp(a, "--cr-timeout")) {
                int att = !strcmp(a, "--cr-attempts");
                long n, max = att ? 16 : 3600000;
                if (number(v, 1, max, &n) != 0) {
                    fprintf(stderr, "hms: %s %s: a number from 1 to %ld\n", a, v, max);
                    return 2;
                }
                if (att)
                    o.cr_max_attempts = (int) n;
                else if (!strcmp(a, "--cr-retry"))
                    o.cr_retry_ms = (int) n;
                else if (!strcmp(a, "--cr-retry-max"))
                    o.cr_retry_max_ms = (int) n;
                else
                    o.cr_timeout_ms = (int) n;
            } else if (!strcmp(a, "--max-connections") || !strcmp(a, "--io-timeout") ||
                     !strcmp(a, "--max-buffered") || !strcmp(a, "--max-file-connections") ||
                     !strcmp(a, "--file-timeout")) {
                int conns = !strcmp(a, "--max-connections") || !strcmp(a, "--max-file-connections");
                int io = !strcmp(a, "--io-timeout") || !strcmp(a, "--file-timeout");
                long n, max = conns ? 100000 : io ? 3600000 : 1L << 30;
                if (number(v, 1, max, &n) != 0) {
                    fprintf(stderr, "hms: %s %s: a number from 1 to %ld\n", a, v, max);
                    return 2;
                }
                if (!strcmp(a, "--max-file-connections"))
                    o.max_file_connections = (int) n;
                else if (!strcmp(a, "--file-timeout"))
                    o.file_timeout_ms = (int) n;
                else if (conns)
                    o.max_connections = (int) n;
                else if (io)
                    o.io_timeout_ms = (int) n;
                else
                    o.max_buffered_bytes = n;
            } else {
                usage(stderr);
                return 2;
            }
        } else if (a[0] != '-' && !conf)
            conf = a;
        else {
            usage(stderr);
            return 2;
        }
    }
    if (!conf) {
        usage(stderr);
        return 2;
    }
    const char *crash = getenv("HMS_TEST_CRASH");
    if (crash && *crash) {
        char err[200];
        if (hms_test_crash_parse(crash, err, sizeof(err)) != 0) {
            fprintf(stderr, "hms: %s\n", err);
            return 2;
        }
        fprintf(stderr, "hms: test aid: HMS_TEST_CRASH=%s\n", crash);
    }
    /* passwords from the environment keep them out of `ps` */
    if (!o.cr_password)
        o.cr_password = getenv("HMS_CR_PASSWORD");
    if (!o.cwmp_password)
        o.cwmp_password = getenv("HMS_CWMP_PASSWORD");
    size_t len = 0;
    char *text = slurp(conf, &len);
    if (!text) {
        fprintf(stderr, "hms: %s: cannot read\n", conf);
        return 1;
    }
    struct hms_server *s;
    char err[512];
    int rv = hms_server_open(&s, text, len, &o, err, sizeof(err));
    if (rv != 0) {
        fprintf(stderr, "hms: %s\n", err);
        free(text);
        return 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (port_file) {
        FILE *fp = fopen(port_file, "w");
        if (fp) {
            fprintf(fp, "%u %u\n", hms_server_cwmp_port(s), hms_server_file_port(s));
            fclose(fp);
        }
    }
    fprintf(stderr, "hms: listening on port %u (files: %u)\n", hms_server_cwmp_port(s),
            hms_server_file_port(s));
    while (!stop_flag)
        hms_server_step(s, 200);
    hms_server_close(s);
    free(text);
    return 0;
}
