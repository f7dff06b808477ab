#ifndef HMS_SERVER_HTTP_H
#define HMS_SERVER_HTTP_H
#include <stddef.h>

struct hms_test_http;
/** @p ca: CA file for https, or NULL; @p user, @p password: NULL for none. */
struct hms_test_http *hms_test_http_new(const char *url, const char *ca, const char *user,
                                        const char *password);
/** As hms_test_http_new() with each connect/read/write bounded by @p timeout_ms. */
struct hms_test_http *hms_test_http_new_timeout(const char *url, const char *ca, const char *user,
                                                const char *password, int timeout_ms);
/** POST one CWMP body (len 0: empty POST); the reply body is malloc'ed. */
int hms_test_http_post(struct hms_test_http *h, const char *body, size_t len, char **reply,
                       size_t *reply_len, int *status);
void hms_test_http_end(struct hms_test_http *h);
void hms_test_http_free(struct hms_test_http *h);
/** PUT a file with digest credentials; 0 or a 9xxx fault code. */
int hms_test_upload(const char *url, const char *ca, const char *user, const char *password,
                    const char *data, size_t len);
/** GET a file with credentials into malloc'ed memory; 0 or a 9xxx fault. */
int hms_test_download(const char *url, const char *ca, const char *user, const char *password,
                      char **data, size_t *len);
#include <stdint.h>
/** A connection-request listener (user "cpe", password "cr-secret", path
 *  /cr) serving in a thread until it triggered once (or 3 connections). */
struct hms_test_cr;
struct hms_test_cr *hms_test_cr_start(uint16_t *port);
/** Joins the thread; 1 when a valid connection request arrived. */
int hms_test_cr_stop(struct hms_test_cr *c);
/* The credentials the listener accepts from now on (default cpe / cr-secret). */
void hms_test_cr_expect(struct hms_test_cr *c, const char *user, const char *pass);
#endif
