/*
 * libcwmp examples - hms-ctl: the operator commands of the example HMS on
 * its registry (the HMS program will offer the same as `hms ctl`).
 *
 *   hms-ctl (-d REGISTRY.db | -c HMS.conf) COMMAND [ARGS...]
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "ctl.h"
#include "registry.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = CONF_MAX_BYTES + 1;
    char *buf = malloc(cap);
    *len = buf ? fread(buf, 1, cap, fp) : 0;
    fclose(fp);
    return buf;
}

int main(int argc, char **argv)
{
    const char *db = NULL, *conf_path = NULL;
    int c;
    while ((c = getopt(argc, argv, "+d:c:h")) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'c': conf_path = optarg; break;
        default:
            fputs("usage: hms-ctl (-d REGISTRY.db | -c HMS.conf) COMMAND [ARGS...]\n",
                  c == 'h' ? stdout : stderr);
            return c == 'h' ? 0 : 2;
        }
    }
    struct conf_doc *doc = NULL;
    struct conf_hms *hms = NULL;
    if (!db && conf_path) {
        size_t len = 0;
        char *text = slurp(conf_path, &len);
        struct conf_error err = {0};
        if (!text || conf_parse(text, len, NULL, &doc, &err) != 0 ||
            conf_hms_load(doc, &hms, &err) != 0) {
            fprintf(stderr, "hms-ctl: %s:%d: %s\n", conf_path, err.line,
                    text ? err.msg : "cannot read");
            free(text);
            conf_free(doc);
            return 2;
        }
        free(text);
        db = hms->database;
    }
    if (!db || optind >= argc) {
        fputs("usage: hms-ctl (-d REGISTRY.db | -c HMS.conf) COMMAND [ARGS...]\n", stderr);
        conf_hms_free(hms);
        conf_free(doc);
        return 2;
    }
    struct hms_registry *r = NULL;
    char errbuf[300];
    if (hms_registry_open(&r, db, NULL, NULL, errbuf, sizeof(errbuf)) != 0) {
        fprintf(stderr, "hms-ctl: %s\n", errbuf);
        conf_hms_free(hms);
        conf_free(doc);
        return 1;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t now_ms = (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    struct ex_buf out, err;
    ex_buf_init(&out, NULL, 0);
    ex_buf_init(&err, NULL, 0);
    int rv = hms_ctl(r, argc - optind, argv + optind, now_ms, &out, &err);
    if (out.len)
        fwrite(out.data, 1, out.len, stdout);
    if (err.len)
        fwrite(err.data, 1, err.len, stderr);
    ex_buf_free(&out);
    ex_buf_free(&err);
    hms_registry_close(r);
    conf_hms_free(hms);
    conf_free(doc);
    return rv;
}
