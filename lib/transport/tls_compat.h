/*
 * libcwmp transport - the one place where mbedTLS 2.28 and 3.x differ.
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Everything else in lib/transport uses the calls below or APIs that are
 * identical in both major versions.
 */
#ifndef CWMP_TLS_COMPAT_H
#define CWMP_TLS_COMPAT_H

#include <string.h>
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#include <cpuid.h>
#endif

#include <mbedtls/version.h>

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#include <mbedtls/build_info.h>
#include <psa/crypto.h>
#else
#if !defined(MBEDTLS_CONFIG_FILE)
#include <mbedtls/config.h>
#else
#include MBEDTLS_CONFIG_FILE
#endif
#endif

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

/* Is AES-GCM cheaper than ChaCha20-Poly1305 with this mbedTLS here? Only
 * with 3.x and AES in hardware: 2.28's GCM update loop goes byte by byte
 * (measured with callgrind: ~48 instructions per byte against ~37 for
 * ChaCha20-Poly1305, even with AES-NI), and small CPE CPUs have no AES unit. */
static inline int cwmp__mbed_fast_aes(void)
{
#if MBEDTLS_VERSION_NUMBER < 0x03000000
    return 0;
#elif defined(MBEDTLS_AESNI_C) && (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
    /* cpuid directly: __builtin_cpu_supports() would drag libgcc's writable
     * __cpu_model into the library. */
    unsigned int a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return 0;
    return (c & bit_AES) && (c & bit_PCLMUL);
#elif MBEDTLS_VERSION_NUMBER >= 0x03000000 && defined(MBEDTLS_AESCE_C) &&                          \
    (defined(__ARM_FEATURE_AES) || defined(__ARM_FEATURE_CRYPTO))
    return 1;
#else
    return 0;
#endif
}

#if defined(MBEDTLS_X509_CRT_WRITE_C)
/* Serial numbers of written certificates (test PKI): small integers. */
static inline int cwmp__mbed_crt_set_serial(mbedtls_x509write_cert *crt, unsigned int serial)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03040000
    unsigned char raw[4] = {(unsigned char) (serial >> 24), (unsigned char) (serial >> 16),
                            (unsigned char) (serial >> 8), (unsigned char) serial};
    return mbedtls_x509write_crt_set_serial_raw(crt, raw, sizeof(raw));
#else
    mbedtls_mpi m;
    mbedtls_mpi_init(&m);
    int rc = mbedtls_mpi_lset(&m, (mbedtls_mpi_sint) serial);
    if (rc == 0)
        rc = mbedtls_x509write_crt_set_serial(crt, &m);
    mbedtls_mpi_free(&m);
    return rc;
#endif
}
#endif

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
/* 3.x: private struct members are reached through MBEDTLS_PRIVATE(). */
#define CWMP_MBED_STATE(ssl) ((ssl)->MBEDTLS_PRIVATE(state))

static inline int cwmp__mbed_crypto_init(void)
{
#if defined(MBEDTLS_PSA_CRYPTO_C)
    return psa_crypto_init() == PSA_SUCCESS ? 0 : -1;
#else
    return 0;
#endif
}

static inline void cwmp__mbed_tls12_only(mbedtls_ssl_config *conf)
{
    /* TLS 1.3 resumption and identity handling are not wired up yet. */
#if MBEDTLS_VERSION_NUMBER >= 0x03020000
    mbedtls_ssl_conf_min_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_2);
    mbedtls_ssl_conf_max_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_2);
#else
    mbedtls_ssl_conf_min_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_max_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
#endif
}

static inline int cwmp__mbed_pk_parse_keyfile(mbedtls_pk_context *pk, const char *path,
                                              const char *pwd,
                                              int (*f_rng)(void *, unsigned char *, size_t),
                                              void *p_rng)
{
    return mbedtls_pk_parse_keyfile(pk, path, pwd, f_rng, p_rng);
}

static inline int cwmp__mbed_pk_parse_key(mbedtls_pk_context *pk, const unsigned char *key,
                                          size_t len, const char *pwd,
                                          int (*f_rng)(void *, unsigned char *, size_t),
                                          void *p_rng)
{
    return mbedtls_pk_parse_key(pk, key, len, (const unsigned char *) pwd, pwd ? strlen(pwd) : 0,
                                f_rng, p_rng);
}

static inline int cwmp__mbed_pk_sign(mbedtls_pk_context *pk, mbedtls_md_type_t md,
                                     const unsigned char *hash, size_t hash_len, unsigned char *sig,
                                     size_t sig_size, size_t *sig_len,
                                     int (*f_rng)(void *, unsigned char *, size_t), void *p_rng)
{
    return mbedtls_pk_sign(pk, md, hash, hash_len, sig, sig_size, sig_len, f_rng, p_rng);
}

static inline int cwmp__mbed_pk_check_pair(const mbedtls_pk_context *pub,
                                           const mbedtls_pk_context *prv,
                                           int (*f_rng)(void *, unsigned char *, size_t),
                                           void *p_rng)
{
    return mbedtls_pk_check_pair(pub, prv, f_rng, p_rng);
}

#else /* mbedTLS 2.28 */

#define CWMP_MBED_STATE(ssl) ((ssl)->state)

static inline int cwmp__mbed_crypto_init(void)
{
    return 0;
}

static inline void cwmp__mbed_tls12_only(mbedtls_ssl_config *conf)
{
    mbedtls_ssl_conf_min_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_max_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
}

static inline int cwmp__mbed_pk_parse_keyfile(mbedtls_pk_context *pk, const char *path,
                                              const char *pwd,
                                              int (*f_rng)(void *, unsigned char *, size_t),
                                              void *p_rng)
{
    (void) f_rng;
    (void) p_rng;
    return mbedtls_pk_parse_keyfile(pk, path, pwd);
}

static inline int cwmp__mbed_pk_parse_key(mbedtls_pk_context *pk, const unsigned char *key,
                                          size_t len, const char *pwd,
                                          int (*f_rng)(void *, unsigned char *, size_t),
                                          void *p_rng)
{
    (void) f_rng;
    (void) p_rng;
    return mbedtls_pk_parse_key(pk, key, len, (const unsigned char *) pwd, pwd ? strlen(pwd) : 0);
}

static inline int cwmp__mbed_pk_sign(mbedtls_pk_context *pk, mbedtls_md_type_t md,
                                     const unsigned char *hash, size_t hash_len, unsigned char *sig,
                                     size_t sig_size, size_t *sig_len,
                                     int (*f_rng)(void *, unsigned char *, size_t), void *p_rng)
{
    (void) sig_size; /* 2.28 writes at most MBEDTLS_PK_SIGNATURE_MAX_SIZE */
    return mbedtls_pk_sign(pk, md, hash, hash_len, sig, sig_len, f_rng, p_rng);
}

static inline int cwmp__mbed_pk_check_pair(const mbedtls_pk_context *pub,
                                           const mbedtls_pk_context *prv,
                                           int (*f_rng)(void *, unsigned char *, size_t),
                                           void *p_rng)
{
    (void) f_rng;
    (void) p_rng;
    return mbedtls_pk_check_pair(pub, prv);
}

#endif

#endif /* CWMP_TLS_COMPAT_H */
