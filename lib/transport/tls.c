/*
 * libcwmp transport - TLS streams on mbedTLS.
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * One cwmp_tls_config wraps one mbedtls_ssl_config with its own entropy,
 * CTR_DRBG (locked, so the config can be shared between threads), trust
 * anchors, CRL, own certificate, and on servers a ticket key and session
 * cache. Each wrapped connection is one mbedtls_ssl_context over a
 * cwmp_stream through the bio callbacks below.
 *
 * Server identity (client side) is checked here, not by mbedTLS: the host
 * exactly as configured against SAN dNSName / iPAddress, the subject CN only
 * without SAN (TS 32.583 §5.1, TS 32.593 §5.1.2.2-5.1.2.3). mbedTLS 2.28
 * does not match IP SANs at all, and matches wildcards, which we refuse.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tls_compat.h"

#include <mbedtls/asn1.h>
#include <mbedtls/debug.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/oid.h>
#include <mbedtls/ssl_cache.h>
#include <mbedtls/ssl_ciphersuites.h>
#include <mbedtls/ssl_ticket.h>
#include <mbedtls/x509_crl.h>

#include <cwmp/tls.h>

#include "transport_internal.h"

#define DEFAULT_SESSION_LIFETIME 3600
#define MAX_HOST                 255

struct cwmp_tls_config {
    const struct cwmp_allocator *alloc;
    enum cwmp_tls_role role;
    enum cwmp_tls_verify verify;
    mbedtls_ssl_config conf;
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    pthread_mutex_t rng_lock;
    mbedtls_x509_crt ca;
    mbedtls_x509_crl crl;
    mbedtls_x509_crt own_cert;
    mbedtls_pk_context own_key;
    int has_ca, has_crl, has_own;
#if defined(MBEDTLS_SSL_SESSION_TICKETS) && defined(MBEDTLS_SSL_TICKET_C)
    mbedtls_ssl_ticket_context ticket;
    int ticket_on;
#endif
#if defined(MBEDTLS_SSL_CACHE_C)
    mbedtls_ssl_cache_context cache;
#endif
    cwmp_log_fn log;
    void *log_ud;
    int dbg_level;
};

struct cwmp_tls_session {
    const struct cwmp_allocator *alloc;
    mbedtls_ssl_session s;
    int valid;
    char host[MAX_HOST + 1];
};

/* The host as configured, and its binary form when it is an address. */
struct identity {
    char host[MAX_HOST + 1];
    uint8_t ip[16];
    size_t ip_len; /* 0 = host is a DNS name */
};

struct tls_stream {
    struct cwmp_stream base; /* first */
    const struct cwmp_allocator *alloc;
    const struct cwmp_tls_config *cfg;
    struct cwmp_stream *tcp;
    mbedtls_ssl_context ssl;
    int64_t deadline; /* handshake deadline, -1 = none */
    int handshaking;
    int blocking_handshake; /* wrap: the bio waits; start/handshake: it does not */
    int established;
    int failed;
    int resumed;
    int saw_certificate;
    int want_write;                   /* the handshake waits to write */
    struct cwmp_tls_session *session; /* client: refilled after the handshake */
    int io_err;                       /* cwmp_error from the stream underneath, 0 = none */
    struct identity id;               /* what the server must prove (client side) */
};

/* ---- ciphersuites ------------------------------------------------------------- */

/* TLS 1.2 defaults: AEAD with forward secrecy only (no CBC, no static RSA),
 * ECDSA and RSA certificates, in the order cheapest on this CPU. */
#define AES_SUITES                                                                                 \
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,                                               \
        MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,                                             \
        MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,                                           \
        MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
#define CHACHA_SUITES                                                                              \
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,                                         \
        MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
#define DHE_SUITES                                                                                 \
    MBEDTLS_TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, MBEDTLS_TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,      \
        MBEDTLS_TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256

static const int suites_aes_first[] = {AES_SUITES, CHACHA_SUITES, DHE_SUITES, 0};
static const int suites_chacha_first[] = {CHACHA_SUITES, AES_SUITES, DHE_SUITES, 0};

/* ---- random generator and logging ----------------------------------------- */

static int cfg_rng(void *p, unsigned char *out, size_t len)
{
    struct cwmp_tls_config *c = p;
    pthread_mutex_lock(&c->rng_lock);
    int rc = mbedtls_ctr_drbg_random(&c->drbg, out, len);
    pthread_mutex_unlock(&c->rng_lock);
    return rc;
}

static void cfg_log(const struct cwmp_tls_config *c, enum cwmp_log_level level, const char *fmt,
                    ...) __attribute__((format(printf, 3, 4)));

static void cfg_log(const struct cwmp_tls_config *c, enum cwmp_log_level level, const char *fmt,
                    ...)
{
    if (!c->log)
        return;
    char msg[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    c->log(level, msg, c->log_ud);
}

static void mbed_debug(void *ctx, int level, const char *file, int line, const char *str)
{
    const struct cwmp_tls_config *c = ctx;
    (void) file;
    (void) line;
    if (!c->log || level > c->dbg_level)
        return;
    char msg[320];
    size_t n = strlen(str);
    while (n > 0 && (str[n - 1] == '\n' || str[n - 1] == '\r'))
        n--;
    if (n >= sizeof(msg) - 9)
        n = sizeof(msg) - 10;
    memcpy(msg, "mbedtls: ", 9);
    memcpy(msg + 9, str, n);
    msg[9 + n] = '\0';
    c->log(CWMP_LOG_DEBUG, msg, c->log_ud);
}

static void mbed_errtext(int err, char *buf, size_t size)
{
#if defined(MBEDTLS_ERROR_C)
    mbedtls_strerror(err, buf, size);
#else
    snprintf(buf, size, "mbedTLS error -0x%04x", (unsigned) -err);
#endif
}

/* ---- configuration ---------------------------------------------------------- */

static void apply_ca_chain(struct cwmp_tls_config *c)
{
    mbedtls_ssl_conf_ca_chain(&c->conf, c->has_ca ? &c->ca : NULL, c->has_crl ? &c->crl : NULL);
}

static void apply_authmode(struct cwmp_tls_config *c)
{
    int mode = MBEDTLS_SSL_VERIFY_REQUIRED;
    if (c->verify == CWMP_TLS_VERIFY_OPTIONAL)
        mode = MBEDTLS_SSL_VERIFY_OPTIONAL;
    else if (c->verify == CWMP_TLS_VERIFY_NONE)
        mode = MBEDTLS_SSL_VERIFY_NONE;
    mbedtls_ssl_conf_authmode(&c->conf, mode);
}

static int setup_resumption(struct cwmp_tls_config *c, int lifetime)
{
#if defined(MBEDTLS_SSL_SESSION_TICKETS) && defined(MBEDTLS_SSL_TICKET_C)
    if (c->ticket_on) {
        mbedtls_ssl_ticket_free(&c->ticket);
        c->ticket_on = 0;
    }
    mbedtls_ssl_ticket_init(&c->ticket);
    if (lifetime > 0) {
        if (mbedtls_ssl_ticket_setup(&c->ticket, cfg_rng, c, MBEDTLS_CIPHER_AES_256_GCM,
                                     (uint32_t) lifetime) != 0)
            return CWMP_ERR_TLS;
        c->ticket_on = 1;
        mbedtls_ssl_conf_session_tickets_cb(&c->conf, mbedtls_ssl_ticket_write,
                                            mbedtls_ssl_ticket_parse, &c->ticket);
    } else {
        mbedtls_ssl_conf_session_tickets_cb(&c->conf, NULL, NULL, NULL);
    }
#endif
#if defined(MBEDTLS_SSL_CACHE_C)
    if (lifetime > 0) {
        mbedtls_ssl_cache_set_timeout(&c->cache, lifetime);
        mbedtls_ssl_conf_session_cache(&c->conf, &c->cache, mbedtls_ssl_cache_get,
                                       mbedtls_ssl_cache_set);
    } else {
        mbedtls_ssl_conf_session_cache(&c->conf, NULL, NULL, NULL);
    }
#endif
    return 0;
}

int cwmp_tls_config_new(struct cwmp_tls_config **out, enum cwmp_tls_role role,
                        const struct cwmp_allocator *alloc)
{
    if (!out)
        return CWMP_ERR_INVALID_ARG;
    *out = NULL;
    if (role != CWMP_TLS_CLIENT && role != CWMP_TLS_SERVER)
        return CWMP_ERR_INVALID_ARG;
    if (cwmp__mbed_crypto_init() != 0)
        return CWMP_ERR_TLS;
    alloc = cwmp__t_alloc(alloc);
    struct cwmp_tls_config *c = cwmp__t_calloc(alloc, sizeof(*c));
    if (!c)
        return CWMP_ERR_NOMEM;
    c->alloc = alloc;
    c->role = role;
    c->verify = role == CWMP_TLS_CLIENT ? CWMP_TLS_VERIFY_REQUIRED : CWMP_TLS_VERIFY_NONE;
    if (pthread_mutex_init(&c->rng_lock, NULL) != 0) {
        cwmp__t_free(alloc, c);
        return CWMP_ERR_NOMEM;
    }
    mbedtls_ssl_config_init(&c->conf);
    mbedtls_entropy_init(&c->entropy);
    mbedtls_ctr_drbg_init(&c->drbg);
    mbedtls_x509_crt_init(&c->ca);
    mbedtls_x509_crl_init(&c->crl);
    mbedtls_x509_crt_init(&c->own_cert);
    mbedtls_pk_init(&c->own_key);
#if defined(MBEDTLS_SSL_CACHE_C)
    mbedtls_ssl_cache_init(&c->cache);
#endif
    static const unsigned char pers[] = "libcwmp-tls";
    int rc = CWMP_ERR_TLS;
    if (mbedtls_ctr_drbg_seed(&c->drbg, mbedtls_entropy_func, &c->entropy, pers,
                              sizeof(pers) - 1) != 0)
        goto fail;
    if (mbedtls_ssl_config_defaults(
            &c->conf, role == CWMP_TLS_CLIENT ? MBEDTLS_SSL_IS_CLIENT : MBEDTLS_SSL_IS_SERVER,
            MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT) != 0)
        goto fail;
    mbedtls_ssl_conf_rng(&c->conf, cfg_rng, c);
    cwmp__mbed_tls12_only(&c->conf);
    mbedtls_ssl_conf_ciphersuites(&c->conf,
                                  cwmp__mbed_fast_aes() ? suites_aes_first : suites_chacha_first);
    apply_authmode(c);
#if defined(MBEDTLS_SSL_RENEGOTIATION)
    mbedtls_ssl_conf_renegotiation(&c->conf, MBEDTLS_SSL_RENEGOTIATION_DISABLED);
#endif
    if (role == CWMP_TLS_SERVER && (rc = setup_resumption(c, DEFAULT_SESSION_LIFETIME)) != 0)
        goto fail;
    *out = c;
    return 0;
fail:
    cwmp_tls_config_free(c);
    return rc;
}

void cwmp_tls_config_free(struct cwmp_tls_config *c)
{
    if (!c)
        return;
#if defined(MBEDTLS_SSL_SESSION_TICKETS) && defined(MBEDTLS_SSL_TICKET_C)
    if (c->ticket_on)
        mbedtls_ssl_ticket_free(&c->ticket);
#endif
#if defined(MBEDTLS_SSL_CACHE_C)
    mbedtls_ssl_cache_free(&c->cache);
#endif
    mbedtls_ssl_config_free(&c->conf);
    mbedtls_x509_crt_free(&c->ca);
    mbedtls_x509_crl_free(&c->crl);
    mbedtls_x509_crt_free(&c->own_cert);
    mbedtls_pk_free(&c->own_key);
    mbedtls_ctr_drbg_free(&c->drbg);
    mbedtls_entropy_free(&c->entropy);
    pthread_mutex_destroy(&c->rng_lock);
    cwmp__t_free(c->alloc, c);
}

int cwmp_tls_config_add_ca_file(struct cwmp_tls_config *c, const char *path)
{
    if (!c || !path)
        return CWMP_ERR_INVALID_ARG;
    int rc = mbedtls_x509_crt_parse_file(&c->ca, path);
    if (rc < 0) {
        cfg_log(c, CWMP_LOG_ERROR, "tls: cannot load CA file %s (-0x%04x)", path, (unsigned) -rc);
        return CWMP_ERR_TLS;
    }
    c->has_ca = c->ca.raw.p != NULL;
    apply_ca_chain(c);
    return c->has_ca ? 0 : CWMP_ERR_TLS;
}

int cwmp_tls_config_add_ca_dir(struct cwmp_tls_config *c, const char *path)
{
    if (!c || !path)
        return CWMP_ERR_INVALID_ARG;
    int rc = mbedtls_x509_crt_parse_path(&c->ca, path);
    if (rc < 0 || c->ca.raw.p == NULL) {
        cfg_log(c, CWMP_LOG_ERROR, "tls: no CA certificate loaded from %s", path);
        return CWMP_ERR_TLS;
    }
    c->has_ca = 1;
    apply_ca_chain(c);
    return 0;
}

/* mbedTLS wants PEM NUL-terminated with the NUL counted: copy when needed. */
static int with_nul(const struct cwmp_allocator *a, const uint8_t *data, size_t len,
                    unsigned char **copy, size_t *copy_len)
{
    *copy = NULL;
    *copy_len = len;
    if (len > 0 && data[len - 1] == '\0')
        return 0;
    if (len == SIZE_MAX)
        return CWMP_ERR_LIMIT;
    *copy = a->malloc(len + 1, a->user_data);
    if (!*copy)
        return CWMP_ERR_NOMEM;
    memcpy(*copy, data, len);
    (*copy)[len] = '\0';
    /* DER must be passed at its own length, PEM with the NUL. */
    *copy_len = (len > 0 && data[0] == 0x30) ? len : len + 1;
    return 0;
}

int cwmp_tls_config_add_ca_mem(struct cwmp_tls_config *c, const uint8_t *data, size_t len)
{
    if (!c || !data || len == 0)
        return CWMP_ERR_INVALID_ARG;
    unsigned char *copy;
    size_t n;
    int rc = with_nul(c->alloc, data, len, &copy, &n);
    if (rc != 0)
        return rc;
    rc = mbedtls_x509_crt_parse(&c->ca, copy ? copy : data, n);
    cwmp__t_free(c->alloc, copy);
    if (rc < 0 || c->ca.raw.p == NULL)
        return CWMP_ERR_TLS;
    c->has_ca = 1;
    apply_ca_chain(c);
    return 0;
}

int cwmp_tls_config_add_crl_file(struct cwmp_tls_config *c, const char *path)
{
    if (!c || !path)
        return CWMP_ERR_INVALID_ARG;
#if defined(MBEDTLS_X509_CRL_PARSE_C)
    int rc = mbedtls_x509_crl_parse_file(&c->crl, path);
    if (rc != 0) {
        cfg_log(c, CWMP_LOG_ERROR, "tls: cannot load CRL %s (-0x%04x)", path, (unsigned) -rc);
        return CWMP_ERR_TLS;
    }
    c->has_crl = 1;
    apply_ca_chain(c);
    return 0;
#else
    return CWMP_ERR_UNSUPPORTED;
#endif
}

static int finish_own_cert(struct cwmp_tls_config *c)
{
    if (cwmp__mbed_pk_check_pair(&c->own_cert.pk, &c->own_key, cfg_rng, c) != 0 ||
        mbedtls_ssl_conf_own_cert(&c->conf, &c->own_cert, &c->own_key) != 0) {
        cfg_log(c, CWMP_LOG_ERROR, "tls: own certificate and key do not match");
        return CWMP_ERR_TLS;
    }
    c->has_own = 1;
    return 0;
}

static void reset_own_cert(struct cwmp_tls_config *c)
{
    mbedtls_x509_crt_free(&c->own_cert);
    mbedtls_pk_free(&c->own_key);
    mbedtls_x509_crt_init(&c->own_cert);
    mbedtls_pk_init(&c->own_key);
    c->has_own = 0;
}

int cwmp_tls_config_set_own_cert_file(struct cwmp_tls_config *c, const char *cert_path,
                                      const char *key_path, const char *key_password)
{
    if (!c || !cert_path || !key_path || c->has_own)
        return c && c->has_own ? CWMP_ERR_STATE : CWMP_ERR_INVALID_ARG;
    int rc = mbedtls_x509_crt_parse_file(&c->own_cert, cert_path);
    if (rc == 0)
        rc = cwmp__mbed_pk_parse_keyfile(&c->own_key, key_path, key_password, cfg_rng, c);
    if (rc != 0) {
        cfg_log(c, CWMP_LOG_ERROR, "tls: cannot load %s / %s (-0x%04x)", cert_path, key_path,
                (unsigned) -rc);
        reset_own_cert(c);
        return CWMP_ERR_TLS;
    }
    rc = finish_own_cert(c);
    if (rc != 0)
        reset_own_cert(c);
    return rc;
}

int cwmp_tls_config_set_own_cert_mem(struct cwmp_tls_config *c, const uint8_t *cert,
                                     size_t cert_len, const uint8_t *key, size_t key_len,
                                     const char *key_password)
{
    if (!c || !cert || !key || !cert_len || !key_len)
        return CWMP_ERR_INVALID_ARG;
    if (c->has_own)
        return CWMP_ERR_STATE;
    unsigned char *cc, *kc;
    size_t cn, kn;
    int rc = with_nul(c->alloc, cert, cert_len, &cc, &cn);
    if (rc != 0)
        return rc;
    rc = with_nul(c->alloc, key, key_len, &kc, &kn);
    if (rc != 0) {
        cwmp__t_free(c->alloc, cc);
        return rc;
    }
    int mrc = mbedtls_x509_crt_parse(&c->own_cert, cc ? cc : cert, cn);
    if (mrc == 0)
        mrc = cwmp__mbed_pk_parse_key(&c->own_key, kc ? kc : key, kn, key_password, cfg_rng, c);
    cwmp__t_free(c->alloc, cc);
    cwmp__t_free(c->alloc, kc);
    rc = mrc != 0 ? CWMP_ERR_TLS : finish_own_cert(c);
    if (rc != 0)
        reset_own_cert(c);
    return rc;
}

int cwmp_tls_config_set_verify(struct cwmp_tls_config *c, enum cwmp_tls_verify mode)
{
    if (!c)
        return CWMP_ERR_INVALID_ARG;
    if (mode != CWMP_TLS_VERIFY_REQUIRED && mode != CWMP_TLS_VERIFY_NONE &&
        !(mode == CWMP_TLS_VERIFY_OPTIONAL && c->role == CWMP_TLS_SERVER))
        return CWMP_ERR_INVALID_ARG;
    c->verify = mode;
    apply_authmode(c);
    if (c->role == CWMP_TLS_CLIENT && mode == CWMP_TLS_VERIFY_NONE)
        cfg_log(c, CWMP_LOG_WARNING, "tls: server certificate verification disabled");
    return 0;
}

int cwmp_tls_config_set_ciphersuites(struct cwmp_tls_config *c, const int *ids)
{
    if (!c)
        return CWMP_ERR_INVALID_ARG;
    if (!ids) {
        mbedtls_ssl_conf_ciphersuites(&c->conf, cwmp__mbed_fast_aes() ? suites_aes_first
                                                                      : suites_chacha_first);
        return 0;
    }
    if (ids[0] == 0)
        return CWMP_ERR_INVALID_ARG;
    for (const int *p = ids; *p; p++)
        if (mbedtls_ssl_ciphersuite_from_id(*p) == NULL)
            return CWMP_ERR_UNSUPPORTED;
    mbedtls_ssl_conf_ciphersuites(&c->conf, ids);
    return 0;
}

int cwmp_tls_config_set_session_lifetime(struct cwmp_tls_config *c, int seconds)
{
    if (!c || seconds < 0)
        return CWMP_ERR_INVALID_ARG;
    if (c->role != CWMP_TLS_SERVER)
        return 0;
    return setup_resumption(c, seconds);
}

int cwmp_tls_config_set_log(struct cwmp_tls_config *c, cwmp_log_fn fn, void *user_data,
                            int mbedtls_debug_level)
{
    if (!c || mbedtls_debug_level < 0 || mbedtls_debug_level > 4)
        return CWMP_ERR_INVALID_ARG;
    c->log = fn;
    c->log_ud = user_data;
    c->dbg_level = fn ? mbedtls_debug_level : 0;
    mbedtls_ssl_conf_dbg(&c->conf, fn ? mbed_debug : NULL, c);
#if defined(MBEDTLS_DEBUG_C)
    if (c->dbg_level > 0)
        mbedtls_debug_set_threshold(c->dbg_level);
#endif
    return 0;
}

/* ---- resumption holder ------------------------------------------------------ */

int cwmp_tls_session_new(struct cwmp_tls_session **out, const struct cwmp_allocator *alloc)
{
    if (!out)
        return CWMP_ERR_INVALID_ARG;
    alloc = cwmp__t_alloc(alloc);
    struct cwmp_tls_session *s = cwmp__t_calloc(alloc, sizeof(*s));
    *out = s;
    if (!s)
        return CWMP_ERR_NOMEM;
    s->alloc = alloc;
    mbedtls_ssl_session_init(&s->s);
    return 0;
}

void cwmp_tls_session_clear(struct cwmp_tls_session *s)
{
    if (!s)
        return;
    mbedtls_ssl_session_free(&s->s);
    mbedtls_ssl_session_init(&s->s);
    s->valid = 0;
    s->host[0] = '\0';
}

void cwmp_tls_session_free(struct cwmp_tls_session *s)
{
    if (!s)
        return;
    mbedtls_ssl_session_free(&s->s);
    cwmp__t_free(s->alloc, s);
}

/* ---- identity check (client side) ------------------------------------------- */

static int dns_equal(const unsigned char *a, size_t alen, const char *host)
{
    size_t hlen = strlen(host);
    if (hlen > 0 && host[hlen - 1] == '.')
        hlen--; /* "acs.example.com." names the same host */
    if (alen != hlen || alen == 0)
        return 0;
    for (size_t i = 0; i < alen; i++) {
        unsigned char x = a[i], y = (unsigned char) host[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char) (x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char) (y - 'A' + 'a');
        if (x != y || x == 0)
            return 0;
    }
    return 1;
}

/* Walks the certificate's extensions for subjectAltName. Returns 1 when a
 * SAN entry names the host; sets *has_san when the extension exists. */
static int san_matches(const mbedtls_x509_crt *crt, const struct identity *id, int *has_san)
{
    *has_san = 0;
    unsigned char *p = crt->v3_ext.p;
    if (!p || crt->v3_ext.len == 0)
        return 0;
    const unsigned char *end = p + crt->v3_ext.len;
    size_t len;
    if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE))
        return 0;
    end = p + len;
    while (p < end) {
        if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE))
            return 0;
        const unsigned char *ext_end = p + len;
        mbedtls_asn1_buf oid;
        if (mbedtls_asn1_get_tag(&p, ext_end, &oid.len, MBEDTLS_ASN1_OID))
            return 0;
        oid.p = p;
        p += oid.len;
        if (p < ext_end && *p == MBEDTLS_ASN1_BOOLEAN) {
            int crit;
            if (mbedtls_asn1_get_bool(&p, ext_end, &crit))
                return 0;
        }
        if (mbedtls_asn1_get_tag(&p, ext_end, &len, MBEDTLS_ASN1_OCTET_STRING))
            return 0;
        if (MBEDTLS_OID_CMP(MBEDTLS_OID_SUBJECT_ALT_NAME, &oid) == 0) {
            *has_san = 1;
            const unsigned char *v_end = p + len;
            size_t glen;
            if (mbedtls_asn1_get_tag(&p, v_end, &glen,
                                     MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE))
                return 0;
            v_end = p + glen;
            while (p < v_end) {
                unsigned char tag = *p++;
                size_t nlen;
                if (mbedtls_asn1_get_len(&p, v_end, &nlen))
                    return 0;
                if (tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 2) && id->ip_len == 0 &&
                    dns_equal(p, nlen, id->host))
                    return 1;
                if (tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7) && id->ip_len != 0 &&
                    nlen == id->ip_len && memcmp(p, id->ip, nlen) == 0)
                    return 1;
                p += nlen;
            }
            return 0;
        }
        p = (unsigned char *) ext_end;
    }
    return 0;
}

static int identity_matches(const mbedtls_x509_crt *crt, const struct identity *id)
{
    int has_san;
    if (san_matches(crt, id, &has_san))
        return 1;
    if (has_san)
        return 0; /* with SAN, the CN is never looked at */
    for (const mbedtls_x509_name *n = &crt->subject; n; n = n->next) {
        if (MBEDTLS_OID_CMP(MBEDTLS_OID_AT_CN, &n->oid) != 0)
            continue;
        if (id->ip_len == 0 && dns_equal(n->val.p, n->val.len, id->host))
            return 1;
        if (id->ip_len != 0 && n->val.len == strlen(id->host) &&
            memcmp(n->val.p, id->host, n->val.len) == 0)
            return 1;
    }
    return 0;
}

/* The host as configured (brackets already removed), and its address form. */
static void set_identity(struct identity *id, const char *host, size_t hl)
{
    memcpy(id->host, host, hl);
    id->host[hl] = '\0';
    id->ip_len = 0;
    struct in6_addr a6;
    if (inet_pton(AF_INET, id->host, id->ip) == 1) {
        id->ip_len = 4;
    } else if (inet_pton(AF_INET6, id->host, &a6) == 1) {
        memcpy(id->ip, &a6, 16);
        id->ip_len = 16;
    }
}

int cwmp__tls_identity_check(const uint8_t *der, size_t len, const char *host)
{
    size_t hl = host ? strlen(host) : 0;
    if (hl == 0 || hl > MAX_HOST || !der)
        return CWMP_ERR_INVALID_ARG;
    struct identity id;
    set_identity(&id, host, hl);
    mbedtls_x509_crt crt;
    mbedtls_x509_crt_init(&crt);
    int rc = mbedtls_x509_crt_parse_der(&crt, der, len) != 0 ? CWMP_ERR_PARSE
                                                             : identity_matches(&crt, &id);
    mbedtls_x509_crt_free(&crt);
    return rc;
}

static int verify_cb(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
    const struct tls_stream *t = ctx;
    if (depth == 0) {
        *flags &= ~(uint32_t) MBEDTLS_X509_BADCERT_CN_MISMATCH;
        if (!identity_matches(crt, &t->id))
            *flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
    }
    return 0;
}

/* ---- the stream --------------------------------------------------------------- */

static int remaining(const struct tls_stream *t)
{
    if (t->deadline < 0)
        return 0; /* no timeout */
    int64_t left = t->deadline - cwmp__monotonic_ms();
    if (left <= 0)
        return -1;
    return left > INT_MAX ? INT_MAX : (int) left;
}

static int bio_io(struct tls_stream *t, unsigned char *rbuf, const unsigned char *wbuf, size_t len)
{
    for (;;) {
        if (t->handshaking && t->blocking_handshake) {
            int left = remaining(t);
            if (left < 0) {
                t->io_err = CWMP_ERR_TIMEOUT;
                return MBEDTLS_ERR_SSL_TIMEOUT;
            }
            /* Per-call limit = what is left of the handshake, refreshed only
             * when it is 250 ms off (each change costs the TCP stream two
             * setsockopt calls). */
            int cur = t->tcp->timeout_ms;
            if (left == 0 ? cur != 0 : (cur <= 0 || cur - left > 250 || cur < left))
                t->tcp->timeout_ms = left;
        } else {
            t->tcp->timeout_ms = t->base.timeout_ms;
        }
        int n = rbuf ? cwmp_stream_read(t->tcp, rbuf, len) : cwmp_stream_write(t->tcp, wbuf, len);
        if (n >= 0)
            return n; /* 0 on read: end of stream, mbedTLS reports CONN_EOF */
        if (n == CWMP_ERR_AGAIN) {
            if (!t->handshaking || !t->blocking_handshake)
                return rbuf ? MBEDTLS_ERR_SSL_WANT_READ : MBEDTLS_ERR_SSL_WANT_WRITE;
            /* The handshake blocks (with its deadline) even on a non-blocking fd. */
            int w = cwmp__fd_wait(t->tcp->fd, rbuf ? POLLIN : POLLOUT,
                                  t->deadline < 0 ? 0 : (remaining(t) > 0 ? remaining(t) : 1));
            if (w == 0)
                continue;
            n = w;
        }
        t->io_err = n;
        if (n == CWMP_ERR_TIMEOUT)
            return MBEDTLS_ERR_SSL_TIMEOUT;
        return rbuf ? MBEDTLS_ERR_NET_RECV_FAILED : MBEDTLS_ERR_NET_SEND_FAILED;
    }
}

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    return bio_io(ctx, NULL, buf, len);
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
    return bio_io(ctx, buf, NULL, len);
}

static int map_rw(struct tls_stream *t, int rc)
{
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE)
        return CWMP_ERR_AGAIN;
    if (t->io_err)
        return t->io_err;
    if (rc == MBEDTLS_ERR_SSL_CONN_EOF)
        return CWMP_ERR_CLOSED; /* TCP end without close_notify: maybe truncated */
    return CWMP_ERR_TLS;
}

static int tls_read(struct cwmp_stream *s, uint8_t *buf, size_t len)
{
    struct tls_stream *t = (struct tls_stream *) s;
    if (!t->established)
        return CWMP_ERR_STATE; /* finish cwmp_tls_handshake() first */
    if (len > INT_MAX)
        len = INT_MAX;
    t->io_err = 0;
    int rc = mbedtls_ssl_read(&t->ssl, buf, len);
    if (rc > 0)
        return rc;
    if (rc == 0 || rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
        return 0;
    return map_rw(t, rc);
}

static int tls_write(struct cwmp_stream *s, const uint8_t *buf, size_t len)
{
    struct tls_stream *t = (struct tls_stream *) s;
    if (!t->established)
        return CWMP_ERR_STATE;
    if (len > INT_MAX)
        len = INT_MAX;
    if (len == 0)
        return 0;
    t->io_err = 0;
    int rc = mbedtls_ssl_write(&t->ssl, buf, len);
    if (rc > 0)
        return rc;
    return map_rw(t, rc);
}

static void tls_free(struct tls_stream *t)
{
    mbedtls_ssl_free(&t->ssl);
    cwmp_stream_close(t->tcp);
    cwmp__t_free(t->alloc, t);
}

static void tls_close(struct cwmp_stream *s)
{
    struct tls_stream *t = (struct tls_stream *) s;
    if (t->established && !t->io_err) {
        /* Best effort, never a long wait. */
        if (t->base.timeout_ms <= 0 || t->base.timeout_ms > 1000)
            t->base.timeout_ms = 1000;
        (void) mbedtls_ssl_close_notify(&t->ssl);
    }
    tls_free(t);
}

int cwmp_tls_is_tls(const struct cwmp_stream *s)
{
    return s && s->read == tls_read;
}

int cwmp_tls_resumed(const struct cwmp_stream *s)
{
    if (!cwmp_tls_is_tls(s))
        return CWMP_ERR_INVALID_ARG;
    return ((const struct tls_stream *) s)->resumed;
}

size_t cwmp_tls_pending(const struct cwmp_stream *s)
{
    if (!cwmp_tls_is_tls(s))
        return 0;
    return mbedtls_ssl_get_bytes_avail(&((const struct tls_stream *) s)->ssl);
}

int cwmp_tls_peer_subject(const struct cwmp_stream *s, char *buf, size_t size)
{
    if (!cwmp_tls_is_tls(s) || !buf || size == 0)
        return CWMP_ERR_INVALID_ARG;
    buf[0] = '\0';
    const mbedtls_x509_crt *crt = mbedtls_ssl_get_peer_cert(&((const struct tls_stream *) s)->ssl);
    if (!crt)
        return CWMP_ERR_NOT_FOUND;
    int n = mbedtls_x509_dn_gets(buf, size, &crt->subject);
    if (n < 0 || (size_t) n >= size) {
        buf[0] = '\0';
        return CWMP_ERR_BUFFER;
    }
    return 0;
}

const char *cwmp_tls_ciphersuite(const struct cwmp_stream *s)
{
    if (!cwmp_tls_is_tls(s))
        return "";
    const char *n = mbedtls_ssl_get_ciphersuite(&((const struct tls_stream *) s)->ssl);
    return n ? n : "";
}

/* ---- handshake ---------------------------------------------------------------- */

static unsigned int failures_from_flags(uint32_t f)
{
    unsigned int r = 0;
    if (f & (MBEDTLS_X509_BADCERT_NOT_TRUSTED | MBEDTLS_X509_BADCRL_NOT_TRUSTED))
        r |= CWMP_TLS_FAIL_UNTRUSTED;
    if (f & MBEDTLS_X509_BADCERT_CN_MISMATCH)
        r |= CWMP_TLS_FAIL_NAME;
    if (f & (MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCRL_EXPIRED))
        r |= CWMP_TLS_FAIL_EXPIRED;
    if (f & (MBEDTLS_X509_BADCERT_FUTURE | MBEDTLS_X509_BADCRL_FUTURE))
        r |= CWMP_TLS_FAIL_NOT_YET_VALID;
    if (f & MBEDTLS_X509_BADCERT_REVOKED)
        r |= CWMP_TLS_FAIL_REVOKED;
    if (f & MBEDTLS_X509_BADCERT_MISSING)
        r |= CWMP_TLS_FAIL_NO_CERT;
    if (f &
        (MBEDTLS_X509_BADCERT_KEY_USAGE | MBEDTLS_X509_BADCERT_EXT_KEY_USAGE |
         MBEDTLS_X509_BADCERT_NS_CERT_TYPE | MBEDTLS_X509_BADCERT_BAD_MD |
         MBEDTLS_X509_BADCERT_BAD_PK | MBEDTLS_X509_BADCERT_BAD_KEY | MBEDTLS_X509_BADCERT_OTHER |
         MBEDTLS_X509_BADCRL_BAD_MD | MBEDTLS_X509_BADCRL_BAD_PK | MBEDTLS_X509_BADCRL_BAD_KEY))
        r |= CWMP_TLS_FAIL_BAD_CERT;
    return r;
}

static void describe(struct cwmp_tls_status *st, const struct tls_stream *t, int mrc)
{
    const char *who = t->cfg->role == CWMP_TLS_CLIENT ? "server" : "client";
    unsigned int f = st->failures;
    char *d = st->detail;
    size_t n = sizeof(st->detail);
    if (f & CWMP_TLS_FAIL_CONFIG)
        return; /* already written */
    if (f & CWMP_TLS_FAIL_REVOKED)
        snprintf(d, n, "%s certificate is revoked", who);
    else if (f & CWMP_TLS_FAIL_UNTRUSTED)
        snprintf(d, n, "%s certificate is not issued by a trusted CA", who);
    else if (f & CWMP_TLS_FAIL_EXPIRED)
        snprintf(d, n, "%s certificate (or CRL) has expired", who);
    else if (f & CWMP_TLS_FAIL_NOT_YET_VALID)
        snprintf(d, n, "%s certificate is not yet valid", who);
    else if (f & CWMP_TLS_FAIL_NAME)
        snprintf(d, n, "server certificate does not name %s '%.120s'",
                 t->id.ip_len ? "IP address" : "host", t->id.host);
    else if (f & CWMP_TLS_FAIL_NO_CERT)
        snprintf(d, n, "%s sent no certificate", who);
    else if (f & CWMP_TLS_FAIL_BAD_CERT)
        snprintf(d, n, "%s certificate is unacceptable (usage or algorithm)", who);
    else if (t->io_err == CWMP_ERR_TIMEOUT)
        snprintf(d, n, "TLS handshake timed out");
    else if (t->io_err == CWMP_ERR_CLOSED)
        snprintf(d, n, "peer closed the connection during the TLS handshake (refused it?)");
    else if (t->io_err)
        snprintf(d, n, "connection failed during the TLS handshake: %s", cwmp_strerror(t->io_err));
    else {
        char e[128];
        mbed_errtext(mrc, e, sizeof(e));
        snprintf(d, n, "TLS handshake failed: %s", e);
    }
}

/*
 * Runs handshake steps until the handshake is over, fails, or (non-blocking
 * mode) the socket would block. The state survives between calls.
 */
static int handshake(struct tls_stream *t, struct cwmp_tls_status *st)
{
    t->handshaking = 1;
    t->io_err = 0;
    int rc = 0;
    while (CWMP_MBED_STATE(&t->ssl) != MBEDTLS_SSL_HANDSHAKE_OVER) {
        rc = mbedtls_ssl_handshake_step(&t->ssl);
        /* A resumed TLS 1.2 handshake jumps from ServerHello straight to
         * ChangeCipherSpec on both sides; a full one passes Certificate. */
        if (CWMP_MBED_STATE(&t->ssl) == MBEDTLS_SSL_SERVER_CERTIFICATE)
            t->saw_certificate = 1;
        if (rc != 0)
            break;
    }
    t->handshaking = 0;
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) {
        t->want_write = rc == MBEDTLS_ERR_SSL_WANT_WRITE;
        return CWMP_ERR_AGAIN;
    }
    if (rc == 0) {
        t->established = 1;
        t->resumed = !t->saw_certificate;
        st->resumed = t->resumed;
        struct cwmp_tls_session *session = t->session;
        t->session = NULL;
        if (session && !t->resumed) {
            cwmp_tls_session_clear(session);
            if (mbedtls_ssl_get_session(&t->ssl, &session->s) == 0) {
                session->valid = 1;
                memcpy(session->host, t->id.host, sizeof(session->host));
            }
        }
        return 0;
    }
    t->failed = 1;
    if (t->session)
        cwmp_tls_session_clear(t->session);
    t->session = NULL;
    st->mbedtls_error = rc;
    uint32_t flags = mbedtls_ssl_get_verify_result(&t->ssl);
    if (flags != (uint32_t) -1 && flags != 0)
        st->failures |= failures_from_flags(flags);
#if defined(MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE) /* gone in 3.x: BADCERT_MISSING */
    if (rc == MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE)
        st->failures |= CWMP_TLS_FAIL_NO_CERT;
#endif
    if (st->failures == 0 && (!t->io_err || t->io_err == CWMP_ERR_CLOSED))
        st->failures = CWMP_TLS_FAIL_HANDSHAKE;
    describe(st, t, rc);
    cfg_log(t->cfg, CWMP_LOG_WARNING, "tls: %s", st->detail);
    /* A peer that hangs up mid-handshake has refused it (e.g. our
     * certificate): a TLS failure. Timeouts and local I/O errors stay. */
    if (t->io_err && t->io_err != CWMP_ERR_CLOSED &&
        !(st->failures & ~(unsigned) CWMP_TLS_FAIL_HANDSHAKE))
        return t->io_err;
    return CWMP_ERR_TLS;
}

/* Everything before the first handshake byte. Takes @p tcp in every case. */
static int start(const struct cwmp_tls_config *cfg, enum cwmp_tls_role role,
                 struct cwmp_stream *tcp, const char *host, struct cwmp_tls_session *session,
                 struct cwmp_tls_status *st, struct tls_stream **out)
{
    *out = NULL;
    if (!cfg || !tcp || cfg->role != role) {
        cwmp_stream_close(tcp);
        return CWMP_ERR_INVALID_ARG;
    }
    int is_client = role == CWMP_TLS_CLIENT;
    size_t hl = 0;
    if (is_client) {
        hl = host ? strlen(host) : 0;
        if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
            host++;
            hl -= 2;
        }
        if (hl == 0 || hl > MAX_HOST) {
            snprintf(st->detail, sizeof(st->detail), "invalid host name");
            cwmp_stream_close(tcp);
            return CWMP_ERR_INVALID_ARG;
        }
    }
    if (is_client && cfg->verify == CWMP_TLS_VERIFY_REQUIRED && !cfg->has_ca) {
        st->failures = CWMP_TLS_FAIL_CONFIG;
        snprintf(st->detail, sizeof(st->detail), "no trusted CA configured");
        cwmp_stream_close(tcp);
        return CWMP_ERR_TLS;
    }
    if (!is_client && !cfg->has_own) {
        st->failures = CWMP_TLS_FAIL_CONFIG;
        snprintf(st->detail, sizeof(st->detail), "server has no certificate and key");
        cwmp_stream_close(tcp);
        return CWMP_ERR_TLS;
    }
    struct tls_stream *t = cwmp__t_calloc(cfg->alloc, sizeof(*t));
    if (!t) {
        cwmp_stream_close(tcp);
        return CWMP_ERR_NOMEM;
    }
    t->alloc = cfg->alloc;
    t->cfg = cfg;
    t->tcp = tcp;
    t->deadline = -1;
    t->base.read = tls_read;
    t->base.write = tls_write;
    t->base.close = tls_close;
    t->base.fd = tcp->fd;
    t->base.timeout_ms = tcp->timeout_ms;
    mbedtls_ssl_init(&t->ssl);
    if (is_client)
        set_identity(&t->id, host, hl);
    if (mbedtls_ssl_setup(&t->ssl, &cfg->conf) != 0) {
        tls_free(t);
        return CWMP_ERR_NOMEM;
    }
    mbedtls_ssl_set_bio(&t->ssl, t, bio_send, bio_recv, NULL);
    if (is_client) {
        /* SNI only for names (RFC 6066); the name check itself is ours. */
        if (mbedtls_ssl_set_hostname(&t->ssl, t->id.ip_len ? NULL : t->id.host) != 0) {
            tls_free(t);
            return CWMP_ERR_NOMEM;
        }
        mbedtls_ssl_set_verify(&t->ssl, verify_cb, t);
        if (session && session->valid && strcmp(session->host, t->id.host) == 0)
            (void) mbedtls_ssl_set_session(&t->ssl, &session->s);
        t->session = session;
    }
    *out = t;
    return 0;
}

static int wrap(const struct cwmp_tls_config *cfg, enum cwmp_tls_role role, struct cwmp_stream *tcp,
                const char *host, int timeout_ms, struct cwmp_tls_session *session,
                struct cwmp_tls_status *status, struct cwmp_stream **out)
{
    struct cwmp_tls_status local;
    struct cwmp_tls_status *st = status ? status : &local;
    memset(st, 0, sizeof(*st));
    if (!out) {
        cwmp_stream_close(tcp);
        return CWMP_ERR_INVALID_ARG;
    }
    *out = NULL;
    struct tls_stream *t;
    int rc = start(cfg, role, tcp, host, session, st, &t);
    if (rc != 0)
        return rc;
    /* Blocking: the bio waits (up to the deadline) even on a non-blocking fd. */
    t->blocking_handshake = 1;
    t->deadline = timeout_ms > 0 ? cwmp__monotonic_ms() + timeout_ms : -1;
    rc = handshake(t, st);
    t->blocking_handshake = 0;
    if (rc != 0) {
        tls_free(t);
        return rc == CWMP_ERR_AGAIN ? CWMP_ERR_INTERNAL : rc;
    }
    *out = &t->base;
    return 0;
}

int cwmp_tls_wrap_client_ex(const struct cwmp_tls_config *cfg, struct cwmp_stream *tcp,
                            const char *host, int timeout_ms, struct cwmp_tls_session *session,
                            struct cwmp_tls_status *status, struct cwmp_stream **out)
{
    return wrap(cfg, CWMP_TLS_CLIENT, tcp, host, timeout_ms, session, status, out);
}

int cwmp_tls_wrap_client(const struct cwmp_tls_config *cfg, struct cwmp_stream *tcp,
                         const char *host, int timeout_ms, struct cwmp_stream **out)
{
    return cwmp_tls_wrap_client_ex(cfg, tcp, host, timeout_ms, NULL, NULL, out);
}

int cwmp_tls_wrap_server_ex(const struct cwmp_tls_config *cfg, struct cwmp_stream *tcp,
                            int timeout_ms, struct cwmp_tls_status *status,
                            struct cwmp_stream **out)
{
    return wrap(cfg, CWMP_TLS_SERVER, tcp, NULL, timeout_ms, NULL, status, out);
}

int cwmp_tls_wrap_server(const struct cwmp_tls_config *cfg, struct cwmp_stream *tcp, int timeout_ms,
                         struct cwmp_stream **out)
{
    return cwmp_tls_wrap_server_ex(cfg, tcp, timeout_ms, NULL, out);
}

/* ---- non-blocking handshakes (poll/epoll loops) ------------------------------------ */

int cwmp_tls_start_client(const struct cwmp_tls_config *cfg, struct cwmp_stream *tcp,
                          const char *host, struct cwmp_tls_session *session,
                          struct cwmp_stream **out)
{
    struct cwmp_tls_status st;
    memset(&st, 0, sizeof(st));
    if (!out) {
        cwmp_stream_close(tcp);
        return CWMP_ERR_INVALID_ARG;
    }
    struct tls_stream *t;
    int rc = start(cfg, CWMP_TLS_CLIENT, tcp, host, session, &st, &t);
    *out = rc == 0 ? &t->base : NULL;
    return rc;
}

int cwmp_tls_start_server(const struct cwmp_tls_config *cfg, struct cwmp_stream *tcp,
                          struct cwmp_stream **out)
{
    struct cwmp_tls_status st;
    memset(&st, 0, sizeof(st));
    if (!out) {
        cwmp_stream_close(tcp);
        return CWMP_ERR_INVALID_ARG;
    }
    struct tls_stream *t;
    int rc = start(cfg, CWMP_TLS_SERVER, tcp, NULL, NULL, &st, &t);
    *out = rc == 0 ? &t->base : NULL;
    return rc;
}

int cwmp_tls_handshake(struct cwmp_stream *s, struct cwmp_tls_status *status)
{
    struct cwmp_tls_status local;
    struct cwmp_tls_status *st = status ? status : &local;
    memset(st, 0, sizeof(*st));
    if (!cwmp_tls_is_tls(s))
        return CWMP_ERR_INVALID_ARG;
    struct tls_stream *t = (struct tls_stream *) s;
    if (t->established) {
        st->resumed = t->resumed;
        return 0;
    }
    if (t->failed)
        return CWMP_ERR_STATE;
    return handshake(t, st);
}

int cwmp_tls_want_write(const struct cwmp_stream *s)
{
    return cwmp_tls_is_tls(s) && ((const struct tls_stream *) s)->want_write;
}
