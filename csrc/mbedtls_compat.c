/*
 * mbedtls_compat.c - mbedTLS 2.28 and 3.x behind one set of calls (see
 * mbedtls_compat.h). Each function names what the other version does.
 */
#include "mbedtls_compat.h"

#include <mbedtls/bignum.h>

#if MBEDTLS_VERSION_MAJOR >= 3
#include <mbedtls/error.h>
#include <psa/crypto.h>

#include "drbg.h"
#endif

#include "visibility.h" /* last: hides what this file defines */

int mbed_init(void)
{
#if MBEDTLS_VERSION_MAJOR >= 3 && defined(MBEDTLS_PSA_CRYPTO_C)
    /* 3.x may use PSA inside TLS and PK calls; 2.28 has nothing to set up. */
    return psa_crypto_init() == PSA_SUCCESS ? 0 : MBEDTLS_ERR_ERROR_GENERIC_ERROR;
#else
    return 0;
#endif
}

int mbed_pk_parse_private_key(mbedtls_pk_context *pk, const unsigned char *key,
                              size_t size)
{
#if MBEDTLS_VERSION_MAJOR >= 3
    /* 3.x wants a generator (blinding while it checks the key). */
    drbg rng;
    int ret = drbg_seed(&rng, "enetconnection parse key");
    if (ret == 0)
        ret = mbedtls_pk_parse_key(pk, key, size, NULL, 0, drbg_random, drbg_context(&rng));
    drbg_free(&rng);
    return ret;
#else
    return mbedtls_pk_parse_key(pk, key, size, NULL, 0);
#endif
}

int mbed_pk_check_pair(const mbedtls_pk_context *pub, const mbedtls_pk_context *prv)
{
#if MBEDTLS_VERSION_MAJOR >= 3
    drbg rng; /* 3.x: blinding, as above */
    int ret = drbg_seed(&rng, "enetconnection check key pair");
    if (ret == 0)
        ret = mbedtls_pk_check_pair(pub, prv, drbg_random, drbg_context(&rng));
    drbg_free(&rng);
    return ret;
#else
    return mbedtls_pk_check_pair(pub, prv);
#endif
}

void mbed_ssl_conf_min_dtls_1_2(mbedtls_ssl_config *conf)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03020000 /* 3.2 on; the old call is deprecated */
    mbedtls_ssl_conf_min_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_2);
#else
    mbedtls_ssl_conf_min_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3,
                                 MBEDTLS_SSL_MINOR_VERSION_3);
#endif
}

int mbed_ssl_set_check_name(mbedtls_ssl_context *ssl, const char *name)
{
#if MBEDTLS_VERSION_MAJOR >= 3
    /* 3.6 refuses to verify a chain without a name unless told, by a
     * NULL name, that none is to be checked. */
    return mbedtls_ssl_set_hostname(ssl, name);
#else
    return name != NULL ? mbedtls_ssl_set_hostname(ssl, name) : 0;
#endif
}

/*
 * The two private reads. Neither version has a public getter: 3.x's
 * mbedtls_ssl_is_handshake_over() only tells whether the handshake is done.
 * 3.x spells the fields ssl->MBEDTLS_PRIVATE(state) and
 * ssl->MBEDTLS_PRIVATE(in_msg).
 */
#if MBEDTLS_VERSION_MAJOR >= 3
#define SSL_FIELD(ssl, field) ((ssl)->MBEDTLS_PRIVATE(field))
#else
#define SSL_FIELD(ssl, field) ((ssl)->field)
#endif

int mbed_ssl_past_client_hello(const mbedtls_ssl_context *ssl)
{
    return SSL_FIELD(ssl, state) > MBEDTLS_SSL_CLIENT_HELLO;
}

int mbed_ssl_received_alert(const mbedtls_ssl_context *ssl)
{
    return SSL_FIELD(ssl, in_msg)[1];
}

int mbed_x509write_crt_set_serial(mbedtls_x509write_cert *writer,
                                  const unsigned char *serial, size_t length)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03050000
    /* 3.5 on takes the bytes; the bignum form is deprecated. */
    return mbedtls_x509write_crt_set_serial_raw(writer, (unsigned char *)serial, length);
#else
    mbedtls_mpi number;
    mbedtls_mpi_init(&number);
    int ret = mbedtls_mpi_read_binary(&number, serial, length);
    if (ret == 0)
        ret = mbedtls_x509write_crt_set_serial(writer, &number);
    mbedtls_mpi_free(&number);
    return ret;
#endif
}
