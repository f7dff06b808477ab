/*
 * libcwmp examples - private header of the HMS program's server, shared by
 * server.c (HTTP/TLS side) and session.c (ACS engine side).
 *
 * Two translation units: the network side and the CWMP side stay apart.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef HMS_SERVER_INT_H
#define HMS_SERVER_INT_H

#include <stdint.h>
#include <stdio.h>

#include "conf.h"
#include "registry.h"
#include "server.h"
#include "strbuf.h"

#define HMS_MAX_BODY        (4u * 1024u * 1024u)  /* CWMP bodies, CM and PM files */
#define HMS_IO_TIMEOUT_MS   10000                 /* default of hms_server_opts.io_timeout_ms */
#define HMS_MAX_CONNS       64                    /* default of hms_server_opts.max_connections */
#define HMS_MAX_BUFFERED    (32u * 1024u * 1024u) /* default of max_buffered_bytes */
#define HMS_MAX_FILE_CONNS  16    /* default of hms_server_opts.max_file_connections */
#define HMS_FILE_TIMEOUT_MS 60000 /* default of hms_server_opts.file_timeout_ms */
#define HMS_CR_SCAN_MS      500
#define HMS_MAX_TASKS       32

struct cwmp_tls_config;
struct cwmp_http_auth_server;
struct hms_acs;
struct hms_conn;
struct hms_cw;
struct hms_crq;
struct pollfd;

struct hms_server {
    struct hms_server_opts opts;
    struct conf_doc *doc;
    struct conf_hms *conf;
    struct hms_registry *reg;
    struct cwmp_tls_config *tls;     /* server side (NULL: plain HTTP) */
    struct cwmp_tls_config *tls_cli; /* connection requests to https CR URLs */
    int cwmp_fd, file_fd;
    struct cwmp_http_auth_server *fauth; /* file server credentials (NULL: open) */
    struct cwmp_http_auth_server *cauth; /* CWMP listener credentials (NULL: open) */
    FILE *trace;
    int64_t last_cr_scan;
    struct hms_acs *acs;
    const char *file_url;  /* base URL of CM files in Downloads (NULL: none) */
    char file_url_buf[96]; /* when the file server's port was picked at run time */
    /* CWMP connections being served (server.c) */
    struct hms_cw *conns;
    size_t nconns, max_conns;
    size_t buffered, max_buffered; /* request body bytes held by all connections */
    int io_timeout_ms;
    struct pollfd *pfd; /* poll() set of hms_server_step(), grown on demand */
    struct hms_cw **pcw;
    size_t npfd;
    struct hms_crq *crq; /* connection requests' sending thread (NULL until needed) */
    /* file-server connections (server.c): in `conns` too, counted apart */
    size_t nfiles, max_files;
    int file_timeout_ms;
};

int64_t hms_now_ms(void);
int64_t hms_wall_ms(void);
void hms_log(const struct hms_server *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void hms_trace_note(struct hms_server *s, const char *lane, const char *text);
void hms_trace_out(struct hms_server *s, struct ex_buf *b);

/* session.c: the ACS engine side */
int hms_acs_new(struct hms_server *s, struct hms_acs **out);
void hms_acs_free(struct hms_acs *a);
/** One CWMP session (one connection). */
int hms_conn_new(struct hms_acs *a, struct hms_conn **out);
/**
 * One POST body in; @p out / @p olen the response body (olen 0: 204),
 * @p done set when the session is over after this response.
 * @return 0, or < 0 when the session failed (answer 400/500 and close)
 */
int hms_conn_recv(struct hms_conn *c, const char *body, size_t len, const char **out, size_t *olen,
                  int *done);
/** The transport failed. */
void hms_conn_abort(struct hms_conn *c);
void hms_conn_free(struct hms_conn *c);

/* Test aid (doc/examples.md, "Robustness"): HMS_TEST_CRASH=recv:<Message>[:<n>]
 * makes the process _exit(HMS_TEST_CRASH_STATUS) on receiving the n-th such
 * message, before acting on it; sent:<Message>[:<n>] once the peer has the
 * n-th such message the HMS sent (at the session's next message, or its
 * end). <Message>: "Inform", "InformResponse", "SetParameterValues",
 * "SetParameterValuesResponse", "Download", "TransferComplete", "Fault",
 * "Empty", ... counted from the process start. */
#define HMS_TEST_CRASH_STATUS 86
/** 0 when @p spec is a valid HMS_TEST_CRASH value, else -1 and a message. */
int hms_test_crash_parse(const char *spec, char *err, size_t errlen);

#endif
