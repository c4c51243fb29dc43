/*
 * crypto.c - RSA key generation and self-signed certificates (see
 * crypto.h). Each call seeds its own CTR_DRBG (drbg.h): seeding costs one
 * entropy read, nothing next to generating an RSA key, and leaves no
 * shared state.
 */
#include "crypto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/error.h>
#include <mbedtls/rsa.h>

#include "drbg.h"
#include "godot_error.h"
#include "mbedtls_compat.h"

#include "visibility.h" /* last: hides what this file defines */

#define RSA_EXPONENT 65537
#define SERIAL_BYTES 20   /* RFC 5280's maximum, kept positive */

static int mbedtls_failure(int ret, const char *what, char *message,
                           size_t message_size)
{
    char reason[128];
    mbedtls_strerror(ret, reason, sizeof reason);
    snprintf(message, message_size, "%s: %s", what, reason);
    return GD_FAILED;
}

int crypto_generate_rsa_key(unsigned bits, crypto_key_value **out, char *message,
                            size_t message_size)
{
    crypto_key_value *value = crypto_key_value_new(0);
    if (value == NULL) {
        snprintf(message, message_size, "out of memory generating an RSA key");
        return GD_ERR_OUT_OF_MEMORY;
    }
    drbg rng;
    int ret = drbg_seed(&rng, "enetconnection generate_rsa");
    if (ret == 0)
        ret = mbedtls_pk_setup(&value->pk, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA));
    if (ret == 0)
        ret = mbedtls_rsa_gen_key(mbedtls_pk_rsa(value->pk), drbg_random,
                                  drbg_context(&rng), bits, RSA_EXPONENT);
    drbg_free(&rng);
    if (ret != 0) {
        shared_value_release(value);
        return mbedtls_failure(ret, "cannot generate an RSA key", message, message_size);
    }
    *out = value;
    return GD_OK;
}

int crypto_date_is_valid(const char *date)
{
    if (strlen(date) != 14 || strspn(date, "0123456789") != 14)
        return 0;
    int month = (date[4] - '0') * 10 + (date[5] - '0');
    int day = (date[6] - '0') * 10 + (date[7] - '0');
    int hour = (date[8] - '0') * 10 + (date[9] - '0');
    int minute = (date[10] - '0') * 10 + (date[11] - '0');
    int second = (date[12] - '0') * 10 + (date[13] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 &&
           minute <= 59 && second <= 59;
}

/* True when the `length` bytes at `tag` are a common name's tag. */
static int is_common_name_tag(const char *tag, size_t length)
{
    return (length == 2 && memcmp(tag, "CN", 2) == 0) ||
           (length == 10 && memcmp(tag, "commonName", 10) == 0);
}

int crypto_subject_check(const char *subject, char *message, size_t message_size)
{
    /* Walks the components as mbedTLS reads them: a tag up to '=', a value
     * up to an unescaped ',', spaces after the ',' skipped. */
    int empty_name = 0;
    const char *c = subject;
    while (*c != '\0') {
        while (*c == ' ')
            c++;
        const char *tag = c;
        while (*c != '\0' && *c != '=' && *c != ',')
            c++;
        int common_name = *c == '=' && is_common_name_tag(tag, (size_t)(c - tag));
        const char *value = *c == '=' ? c + 1 : c;
        for (c = value; *c != '\0' && *c != ','; c++)
            if (*c == '\\' && c[1] != '\0')
                c++;
        if (common_name && c > value)
            return GD_OK;
        empty_name |= common_name;
        if (*c == ',')
            c++;
    }
    snprintf(message, message_size,
             "issuer_name \"%s\" %s: a client checks its hostname against the name after "
             "\"CN=\"; write e.g. \"CN=game.example\" or \"CN=localhost,O=My Studio\"",
             subject, empty_name ? "has an empty common name" : "has no common name (\"CN=\")");
    return GD_ERR_INVALID_PARAMETER;
}

int crypto_self_signed_certificate(crypto_key_value *key, const char *issuer,
                                   const char *not_before, const char *not_after,
                                   x509_chain **out, char *message, size_t message_size)
{
    x509_chain *chain = x509_chain_new();
    size_t der_size = 4096 + 4 * strlen(issuer); /* signature, key, 2 names */
    unsigned char *der = malloc(der_size);
    if (chain == NULL || der == NULL) {
        shared_value_release(chain);
        free(der);
        snprintf(message, message_size, "out of memory generating a certificate");
        return GD_ERR_OUT_OF_MEMORY;
    }
    mbedtls_x509write_cert writer;
    mbedtls_x509write_crt_init(&writer);
    unsigned char serial[SERIAL_BYTES];
    drbg rng;
    const char *step = "cannot seed the random generator";
    int ret = drbg_seed(&rng, "enetconnection self-signed certificate");
    if (ret == 0) {
        step = "cannot draw a serial number";
        ret = drbg_random(drbg_context(&rng), serial, sizeof serial);
    }
    if (ret == 0) {
        serial[0] = (unsigned char)((serial[0] & 0x7f) | 0x01);
        ret = mbed_x509write_crt_set_serial(&writer, serial, sizeof serial);
    }
    if (ret == 0) {
        step = "issuer_name is not a valid distinguished name";
        ret = mbedtls_x509write_crt_set_subject_name(&writer, issuer);
    }
    if (ret == 0)
        ret = mbedtls_x509write_crt_set_issuer_name(&writer, issuer);
    if (ret == 0) {
        step = "cannot set the validity dates";
        ret = mbedtls_x509write_crt_set_validity(&writer, not_before, not_after);
    }
    if (ret == 0) {
        step = "cannot set the basic constraints";
        ret = mbedtls_x509write_crt_set_basic_constraints(&writer, 1, 0);
    }
    int written = 0;
    if (ret == 0) {
        mbedtls_x509write_crt_set_version(&writer, MBEDTLS_X509_CRT_VERSION_3);
        mbedtls_x509write_crt_set_md_alg(&writer, MBEDTLS_MD_SHA256);
        mbedtls_x509write_crt_set_subject_key(&writer, &key->pk);
        mbedtls_x509write_crt_set_issuer_key(&writer, &key->pk);
        step = "cannot sign the certificate";
        written = mbedtls_x509write_crt_der(&writer, der, der_size, drbg_random,
                                            drbg_context(&rng));
        ret = written < 0 ? written : 0;
    }
    if (ret == 0) { /* the DER sits at the end of the buffer */
        step = "cannot parse the new certificate";
        ret = mbedtls_x509_crt_parse_der(&chain->crt, der + der_size - (size_t)written,
                                         (size_t)written);
    }
    drbg_free(&rng);
    mbedtls_x509write_crt_free(&writer);
    free(der);
    if (ret != 0) {
        shared_value_release(chain);
        int code = mbedtls_failure(ret, step, message, message_size);
        return ret == MBEDTLS_ERR_X509_UNKNOWN_OID || ret == MBEDTLS_ERR_X509_INVALID_NAME
                   ? GD_ERR_INVALID_PARAMETER
                   : code;
    }
    *out = chain;
    return GD_OK;
}

