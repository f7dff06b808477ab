/*
 * HTTP side of test_hms_server (a separate translation unit: <cwmp/http.h>
 * and <cwmp/cpe.h> cannot be included together, both define struct
 * cwmp_transfer).
 */
#include "hms_server_http.h"

#include <stdlib.h>
#include <string.h>

#include <cwmp/http.h>

struct hms_test_http {
    struct cwmp_http_client *c;
};

struct hms_test_http *hms_test_http_new(const char *url)
{
    struct hms_test_http *h = calloc(1, sizeof(*h));
    struct cwmp_http_client_config cfg = {0};
    cfg.timeout_ms = 10000;
    if (!h || cwmp_http_client_new(&h->c, &cfg, url) != 0) {
        free(h);
        return NULL;
    }
    return h;
}

int hms_test_http_post(struct hms_test_http *h, const char *body, size_t len, char **reply,
                       size_t *reply_len, int *status)
{
    struct cwmp_http_response r;
    int rv = cwmp_http_client_request(h->c, "POST", len ? "text/xml; charset=\"utf-8\"" : NULL,
                                      len ? "" : NULL, (const uint8_t *) body, len, &r);
    if (rv != 0)
        return rv;
    *status = r.status;
    *reply = malloc(r.body_len + 1);
    if (!*reply)
        return -1;
    memcpy(*reply, r.body ? (const char *) r.body : "", r.body_len);
    (*reply)[r.body_len] = '\0';
    *reply_len = r.body_len;
    return 0;
}

void hms_test_http_end(struct hms_test_http *h)
{
    cwmp_http_client_end_session(h->c);
}

void hms_test_http_free(struct hms_test_http *h)
{
    if (h) {
        cwmp_http_client_free(h->c);
        free(h);
    }
}

int hms_test_upload(const char *url, const char *user, const char *password, const char *data,
                    size_t len)
{
    struct cwmp_http_client_config cfg = {0};
    struct cwmp_transfer t = {0};
    char detail[256];
    cfg.timeout_ms = 10000;
    t.url = url;
    t.username = user;
    t.password = password;
    t.data = (const uint8_t *) data;
    t.data_len = len;
    t.content_type = "text/xml";
    return cwmp_http_upload(&cfg, &t, detail, sizeof(detail));
}
