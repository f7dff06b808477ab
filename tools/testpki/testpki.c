/*
 * libcwmp test PKI generator (mbedTLS x509write + pk). See testpki.h.
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tls_compat.h"

#include <mbedtls/asn1write.h>
#include <mbedtls/ecp.h>
#include <mbedtls/md.h>
#include <mbedtls/oid.h>
#include <mbedtls/x509_crt.h>

#include "testpki.h"

#define CA_NAME        "CN=libcwmp Test Root CA,O=libcwmp test"
#define OTHER_CA_NAME  "CN=libcwmp Unrelated CA,O=libcwmp test"
#define VALID_FROM     "20200101000000"
#define VALID_TO       "20491231235959"
#define REVOKED_SERIAL 6

static const char *const files[] = {
    "ca.crt",      "ca.key",      "ca.crl",        "other-ca.crt",  "other-ca.key",
    "server.crt",  "server.key",  "wrongname.crt", "wrongname.key", "expired.crt",
    "expired.key", "revoked.crt", "revoked.key",   "untrusted.crt", "untrusted.key",
    "cnonly.crt",  "cnonly.key",  "client.crt",    "client.key",    "wildcard.crt",
    "wildcard.key", "ipasdns.crt", "ipasdns.key",
};

struct pki {
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    const char *dir;
    char *err;
    size_t err_size;
};

const char *testpki_path(char *buf, size_t size, const char *dir, const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
    return buf;
}

static int fail(struct pki *k, const char *what, int rc)
{
    snprintf(k->err, k->err_size, "%s failed (-0x%04x)", what, (unsigned) -rc);
    return -1;
}

static int write_file(struct pki *k, const char *name, const unsigned char *data, size_t len,
                      int secret)
{
    char path[512];
    testpki_path(path, sizeof(path), k->dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, secret ? 0600 : 0644);
    if (fd < 0) {
        snprintf(k->err, k->err_size, "cannot create %s: %s", path, strerror(errno));
        return -1;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(fd, data + off, len - off);
        if (n <= 0) {
            close(fd);
            snprintf(k->err, k->err_size, "cannot write %s", path);
            return -1;
        }
        off += (size_t) n;
    }
    close(fd);
    return 0;
}

static int gen_key(struct pki *k, mbedtls_pk_context *key, const char *name)
{
    int rc = mbedtls_pk_setup(key, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
    if (rc == 0)
        rc = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(*key),
                                 mbedtls_ctr_drbg_random, &k->drbg);
    if (rc != 0)
        return fail(k, "key generation", rc);
    unsigned char pem[1024];
    rc = mbedtls_pk_write_key_pem(key, pem, sizeof(pem));
    if (rc != 0)
        return fail(k, "key PEM", rc);
    return write_file(k, name, pem, strlen((char *) pem), 1);
}

/* subjectAltName value: dNSName and iPAddress entries. */
static int san_value(unsigned char *buf, size_t size, const char *dns, const unsigned char *ip4,
                     const unsigned char *ip6, unsigned char **start)
{
    unsigned char *p = buf + size;
    int len = 0, ret;
    if (ip6) {
        MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_raw_buffer(&p, buf, ip6, 16));
        MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_len(&p, buf, 16));
        MBEDTLS_ASN1_CHK_ADD(len,
                             mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7));
    }
    if (ip4) {
        MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_raw_buffer(&p, buf, ip4, 4));
        MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_len(&p, buf, 4));
        MBEDTLS_ASN1_CHK_ADD(len,
                             mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7));
    }
    if (dns) {
        size_t n = strlen(dns);
        MBEDTLS_ASN1_CHK_ADD(
            len, mbedtls_asn1_write_raw_buffer(&p, buf, (const unsigned char *) dns, n));
        MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_len(&p, buf, n));
        MBEDTLS_ASN1_CHK_ADD(len,
                             mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONTEXT_SPECIFIC | 2));
    }
    MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_len(&p, buf, (size_t) len));
    MBEDTLS_ASN1_CHK_ADD(
        len, mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE));
    *start = p;
    return len;
}

struct cert_spec {
    const char *file;
    const char *subject;
    const char *issuer_name;
    mbedtls_pk_context *issuer_key;
    unsigned int serial;
    const char *from, *to;
    int is_ca;
    int client;
    const char *dns;
    int ip; /* 1: 127.0.0.1, 2: 127.0.0.1 and ::1 */
};

static int write_cert(struct pki *k, const struct cert_spec *c, mbedtls_pk_context *subject_key)
{
    static const unsigned char lo4[4] = {127, 0, 0, 1};
    static const unsigned char lo6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    mbedtls_x509write_cert w;
    mbedtls_x509write_crt_init(&w);
    mbedtls_x509write_crt_set_version(&w, MBEDTLS_X509_CRT_VERSION_3);
    mbedtls_x509write_crt_set_md_alg(&w, MBEDTLS_MD_SHA256);
    mbedtls_x509write_crt_set_subject_key(&w, subject_key);
    mbedtls_x509write_crt_set_issuer_key(&w, c->issuer_key ? c->issuer_key : subject_key);
    int rc = mbedtls_x509write_crt_set_subject_name(&w, c->subject);
    if (rc == 0)
        rc =
            mbedtls_x509write_crt_set_issuer_name(&w, c->issuer_name ? c->issuer_name : c->subject);
    if (rc == 0)
        rc = cwmp__mbed_crt_set_serial(&w, c->serial);
    if (rc == 0)
        rc = mbedtls_x509write_crt_set_validity(&w, c->from, c->to);
    if (rc == 0)
        rc = mbedtls_x509write_crt_set_basic_constraints(&w, c->is_ca, c->is_ca ? 0 : -1);
    if (rc == 0)
        rc = mbedtls_x509write_crt_set_subject_key_identifier(&w);
    if (rc == 0)
        rc = mbedtls_x509write_crt_set_authority_key_identifier(&w);
    if (rc == 0)
        rc = mbedtls_x509write_crt_set_key_usage(
            &w, c->is_ca ? (MBEDTLS_X509_KU_KEY_CERT_SIGN | MBEDTLS_X509_KU_CRL_SIGN)
                         : MBEDTLS_X509_KU_DIGITAL_SIGNATURE);
    if (rc == 0 && (c->dns || c->ip)) {
        unsigned char buf[256], *start;
        int len = san_value(buf, sizeof(buf), c->dns, c->ip ? lo4 : NULL, c->ip == 2 ? lo6 : NULL,
                            &start);
        rc = len < 0 ? len
                     : mbedtls_x509write_crt_set_extension(
                           &w, MBEDTLS_OID_SUBJECT_ALT_NAME,
                           MBEDTLS_OID_SIZE(MBEDTLS_OID_SUBJECT_ALT_NAME), 0, start, (size_t) len);
    }
    if (rc == 0 && !c->is_ca) {
        /* extKeyUsage: serverAuth or clientAuth. */
        unsigned char buf[64], *p = buf + sizeof(buf);
        int len = 0, ret;
        const char *oid = c->client ? MBEDTLS_OID_CLIENT_AUTH : MBEDTLS_OID_SERVER_AUTH;
        size_t oid_len = c->client ? MBEDTLS_OID_SIZE(MBEDTLS_OID_CLIENT_AUTH)
                                   : MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH);
        MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_oid(&p, buf, oid, oid_len));
        MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_len(&p, buf, (size_t) len));
        MBEDTLS_ASN1_CHK_ADD(
            len, mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE));
        rc = mbedtls_x509write_crt_set_extension(&w, MBEDTLS_OID_EXTENDED_KEY_USAGE,
                                                 MBEDTLS_OID_SIZE(MBEDTLS_OID_EXTENDED_KEY_USAGE),
                                                 0, p, (size_t) len);
    }
    unsigned char pem[4096];
    if (rc == 0)
        rc = mbedtls_x509write_crt_pem(&w, pem, sizeof(pem), mbedtls_ctr_drbg_random, &k->drbg);
    mbedtls_x509write_crt_free(&w);
    if (rc != 0)
        return fail(k, c->file, rc);
    return write_file(k, c->file, pem, strlen((char *) pem), 0);
}

/* X.509 v2 CRL (RFC 5280 §5.1) by hand: mbedTLS has no CRL writer. */
static int write_crl(struct pki *k, mbedtls_pk_context *ca_key, const char *ca_file,
                     unsigned int revoked_serial)
{
    char path[512];
    mbedtls_x509_crt ca;
    mbedtls_x509_crt_init(&ca);
    int rc = mbedtls_x509_crt_parse_file(&ca, testpki_path(path, sizeof(path), k->dir, ca_file));
    if (rc != 0) {
        mbedtls_x509_crt_free(&ca);
        return fail(k, "CRL issuer", rc);
    }
    static const char now[] = "200101000000Z", next[] = "491231235959Z";
    const char *sig_oid = MBEDTLS_OID_ECDSA_SHA256;
    size_t sig_oid_len = MBEDTLS_OID_SIZE(MBEDTLS_OID_ECDSA_SHA256);
    unsigned char buf[2048];
    unsigned char *p = buf + sizeof(buf);
    int len = 0, tbs_len, rlen = 0, ret;
    /* revokedCertificates: SEQUENCE OF SEQUENCE { serial, revocationDate } */
    MBEDTLS_ASN1_CHK_ADD(rlen, mbedtls_asn1_write_tagged_string(&p, buf, MBEDTLS_ASN1_UTC_TIME, now,
                                                                sizeof(now) - 1));
    MBEDTLS_ASN1_CHK_ADD(rlen, mbedtls_asn1_write_int(&p, buf, (int) revoked_serial));
    MBEDTLS_ASN1_CHK_ADD(rlen, mbedtls_asn1_write_len(&p, buf, (size_t) rlen));
    MBEDTLS_ASN1_CHK_ADD(
        rlen, mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE));
    MBEDTLS_ASN1_CHK_ADD(rlen, mbedtls_asn1_write_len(&p, buf, (size_t) rlen));
    MBEDTLS_ASN1_CHK_ADD(
        rlen, mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE));
    len += rlen;
    MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_tagged_string(&p, buf, MBEDTLS_ASN1_UTC_TIME, next,
                                                               sizeof(next) - 1));
    MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_tagged_string(&p, buf, MBEDTLS_ASN1_UTC_TIME, now,
                                                               sizeof(now) - 1));
    MBEDTLS_ASN1_CHK_ADD(
        len, mbedtls_asn1_write_raw_buffer(&p, buf, ca.subject_raw.p, ca.subject_raw.len));
    int alen = 0;
    MBEDTLS_ASN1_CHK_ADD(alen, mbedtls_asn1_write_oid(&p, buf, sig_oid, sig_oid_len));
    MBEDTLS_ASN1_CHK_ADD(alen, mbedtls_asn1_write_len(&p, buf, (size_t) alen));
    MBEDTLS_ASN1_CHK_ADD(
        alen, mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE));
    len += alen;
    MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_int(&p, buf, 1)); /* v2 */
    MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_len(&p, buf, (size_t) len));
    MBEDTLS_ASN1_CHK_ADD(
        len, mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE));
    mbedtls_x509_crt_free(&ca);
    tbs_len = len;
    unsigned char *tbs = p;

    unsigned char hash[32], sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
    size_t sig_len = 0;
    rc = mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), tbs, (size_t) tbs_len, hash);
    if (rc == 0)
        rc = cwmp__mbed_pk_sign(ca_key, MBEDTLS_MD_SHA256, hash, sizeof(hash), sig, sizeof(sig),
                                &sig_len, mbedtls_ctr_drbg_random, &k->drbg);
    if (rc != 0)
        return fail(k, "CRL signature", rc);
    /* Outer: SEQUENCE { tbs, algorithm, BIT STRING signature } written in front of tbs. */
    unsigned char out[2048];
    unsigned char *q = out + sizeof(out);
    int olen = 0;
    MBEDTLS_ASN1_CHK_ADD(olen, mbedtls_asn1_write_bitstring(&q, out, sig, sig_len * 8));
    int a2 = 0;
    MBEDTLS_ASN1_CHK_ADD(a2, mbedtls_asn1_write_oid(&q, out, sig_oid, sig_oid_len));
    MBEDTLS_ASN1_CHK_ADD(a2, mbedtls_asn1_write_len(&q, out, (size_t) a2));
    MBEDTLS_ASN1_CHK_ADD(
        a2, mbedtls_asn1_write_tag(&q, out, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE));
    olen += a2;
    MBEDTLS_ASN1_CHK_ADD(olen, mbedtls_asn1_write_raw_buffer(&q, out, tbs, (size_t) tbs_len));
    MBEDTLS_ASN1_CHK_ADD(olen, mbedtls_asn1_write_len(&q, out, (size_t) olen));
    MBEDTLS_ASN1_CHK_ADD(
        olen, mbedtls_asn1_write_tag(&q, out, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE));
    return write_file(k, "ca.crl", q, (size_t) olen, 0);
}

static int generate(struct pki *k)
{
    enum {
        CA,
        OTHER,
        SERVER,
        WRONG,
        EXPIRED,
        REVOKED,
        UNTRUSTED,
        CNONLY,
        CLIENT,
        WILDCARD,
        IPASDNS,
        NKEYS
    };
    static const char *const keyfiles[NKEYS] = {
        "ca.key",      "other-ca.key", "server.key",    "wrongname.key",
        "expired.key", "revoked.key",  "untrusted.key", "cnonly.key",
        "client.key",  "wildcard.key", "ipasdns.key",
    };
    mbedtls_pk_context keys[NKEYS];
    for (int i = 0; i < NKEYS; i++)
        mbedtls_pk_init(&keys[i]);
    int rc = 0;
    for (int i = 0; i < NKEYS && rc == 0; i++)
        rc = gen_key(k, &keys[i], keyfiles[i]);
    const struct cert_spec specs[] = {
        {"ca.crt", CA_NAME, NULL, NULL, 1, VALID_FROM, VALID_TO, 1, 0, NULL, 0},
        {"other-ca.crt", OTHER_CA_NAME, NULL, NULL, 1, VALID_FROM, VALID_TO, 1, 0, NULL, 0},
        {"server.crt", "CN=localhost,O=libcwmp test", CA_NAME, &keys[CA], 3, VALID_FROM, VALID_TO,
         0, 0, "localhost", 2},
        {"wrongname.crt", "CN=acs.example.net,O=libcwmp test", CA_NAME, &keys[CA], 4, VALID_FROM,
         VALID_TO, 0, 0, "acs.example.net", 0},
        {"expired.crt", "CN=localhost,O=libcwmp test expired", CA_NAME, &keys[CA], 5,
         "20000101000000", "20010101000000", 0, 0, "localhost", 1},
        {"revoked.crt", "CN=localhost,O=libcwmp test revoked", CA_NAME, &keys[CA], REVOKED_SERIAL,
         VALID_FROM, VALID_TO, 0, 0, "localhost", 1},
        {"untrusted.crt", "CN=localhost,O=libcwmp test untrusted", OTHER_CA_NAME, &keys[OTHER], 7,
         VALID_FROM, VALID_TO, 0, 0, "localhost", 1},
        {"cnonly.crt", "CN=localhost,O=libcwmp test cn-only", CA_NAME, &keys[CA], 8, VALID_FROM,
         VALID_TO, 0, 0, NULL, 0},
        {"client.crt", "CN=00D09E-HNB-0001,O=libcwmp test device", CA_NAME, &keys[CA], 9,
         VALID_FROM, VALID_TO, 0, 1, NULL, 0},
        {"wildcard.crt", "CN=*.example.net,O=libcwmp test wildcard", CA_NAME, &keys[CA], 10,
         VALID_FROM, VALID_TO, 0, 0, "*.example.net", 0},
        {"ipasdns.crt", "CN=127.0.0.1,O=libcwmp test ip-as-dns", CA_NAME, &keys[CA], 11, VALID_FROM,
         VALID_TO, 0, 0, "127.0.0.1", 0},
    };
    static const int subject_key[] = {CA,        OTHER,  SERVER, WRONG,    EXPIRED, REVOKED,
                                      UNTRUSTED, CNONLY, CLIENT, WILDCARD, IPASDNS};
    for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]) && rc == 0; i++)
        rc = write_cert(k, &specs[i], &keys[subject_key[i]]);
    if (rc == 0)
        rc = write_crl(k, &keys[CA], "ca.crt", REVOKED_SERIAL);
    for (int i = 0; i < NKEYS; i++)
        mbedtls_pk_free(&keys[i]);
    return rc;
}

int testpki_generate(const char *dir, char *err, size_t err_size)
{
    char dummy[1];
    struct pki k;
    k.dir = dir;
    k.err = err ? err : dummy;
    k.err_size = err ? err_size : sizeof(dummy);
    if (k.err_size)
        k.err[0] = '\0';
    if (cwmp__mbed_crypto_init() != 0)
        return fail(&k, "crypto init", -1);
    mbedtls_entropy_init(&k.entropy);
    mbedtls_ctr_drbg_init(&k.drbg);
    static const unsigned char pers[] = "libcwmp-testpki";
    int rc =
        mbedtls_ctr_drbg_seed(&k.drbg, mbedtls_entropy_func, &k.entropy, pers, sizeof(pers) - 1);
    if (rc != 0)
        rc = fail(&k, "random seed", rc);
    else
        rc = generate(&k);
    mbedtls_ctr_drbg_free(&k.drbg);
    mbedtls_entropy_free(&k.entropy);
    return rc;
}

void testpki_remove(const char *dir)
{
    char path[512];
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        unlink(testpki_path(path, sizeof(path), dir, files[i]));
    rmdir(dir);
}
