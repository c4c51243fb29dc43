/*
 * crypto.c - the Crypto table (Godot's Crypto, the part TLS needs):
 * RSA key generation and self-signed certificates.
 *
 * Each call seeds its own CTR_DRBG (drbg.h): seeding costs one entropy
 * read, nothing next to generating an RSA key, and leaves no shared state.
 */
#include "crypto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/error.h>
#include <mbedtls/rsa.h>
#include <mbedtls/x509_crt.h>

#include "class.h"
#include "crypto_key.h"
#include "drbg.h"
#include "errors.h"
#include "mbedtls_compat.h"
#include "x509.h"

#define RSA_BITS_MIN 1024
#define RSA_BITS_MAX 8192 /* mbedTLS's MBEDTLS_MPI_MAX_BITS */
#define RSA_EXPONENT 65537
#define SERIAL_BYTES 20   /* RFC 5280's maximum, kept positive */

/***
 * Key and certificate generation: the part of Godot's Crypto that DTLS
 * needs. A table of functions, `enet.Crypto`.
 * @classmod Crypto
 */

#define DEFAULT_ISSUER "CN=myserver,O=myorganisation,C=IT"
#define DEFAULT_NOT_BEFORE "20140101000000"
#define DEFAULT_NOT_AFTER "20340101000000"

static int mbedtls_failure(int ret, const char *what, char *message,
                           size_t message_size)
{
    char reason[128];
    mbedtls_strerror(ret, reason, sizeof reason);
    snprintf(message, message_size, "%s: %s", what, reason);
    return GD_FAILED;
}

static int rsa_generate(unsigned bits, crypto_key_value **out, char *message,
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

/* True when `date` is YYYYMMDDhhmmss with plausible field values. */
static int date_is_valid(const char *date)
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

/* Builds, signs and parses back a self-signed certificate for `key`. */
static int self_signed_build(crypto_key_value *key, const char *issuer,
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

/***
 * Generates an RSA key pair. Takes a while: about a second for 2048 bits,
 * far longer for 4096 and above. For DTLS use 2048 bits or more: a client
 * that verifies the server refuses a certificate with a shorter RSA key
 * (mbedTLS's default profile). (Godot: `Crypto.generate_rsa`.)
 * @function generate_rsa
 * @static
 * @tparam[opt=2048] integer bits 1024..8192, even
 * @treturn[1] CryptoKey a private key
 * @return[2] nil, message, code when mbedTLS fails
 * @raise for bits out of range or odd
 */
static int crypto_generate_rsa(lua_State *L)
{
    lua_Integer bits = class_opt_range(L, 1, 2048, RSA_BITS_MIN, RSA_BITS_MAX);
    luaL_argcheck(L, bits % 2 == 0, 1, "must be even");
    shared_box *key = crypto_key_push_new(L);
    crypto_key_value *value;
    char message[256];
    int code = rsa_generate((unsigned)bits, &value, message, sizeof message);
    if (code != GD_OK)
        return errors_push_fail(L, code, "%s", message);
    shared_box_set(key, value);
    return 1;
}

/***
 * Makes a self-signed certificate for `key`: version 3, SHA-256, random
 * 20-byte serial, basic constraints CA:TRUE with path length 0, issuer =
 * subject = `issuer_name`. A client trusts it by passing it as
 * `trusted_chain` to `TLSOptions.client`, with the name in its `CN=` as
 * hostname. (Godot: `Crypto.generate_self_signed_certificate`.)
 * @function generate_self_signed_certificate
 * @static
 * @tparam CryptoKey key a private key
 * @tparam[opt="CN=myserver,O=myorganisation,C=IT"] string issuer_name
 * @tparam[opt="20140101000000"] string not_before UTC, YYYYMMDDhhmmss
 * @tparam[opt="20340101000000"] string not_after UTC, YYYYMMDDhhmmss
 * @treturn[1] X509Certificate
 * @return[2] nil, message, `ERR_INVALID_PARAMETER` for an empty or
 *   public-only key, a malformed name or date, or `not_after` before `not_before`
 */
static int crypto_generate_self_signed_certificate(lua_State *L)
{
    crypto_key_value *key = crypto_key_check(L, 1)->value;
    const char *issuer = luaL_optstring(L, 2, DEFAULT_ISSUER);
    const char *not_before = luaL_optstring(L, 3, DEFAULT_NOT_BEFORE);
    const char *not_after = luaL_optstring(L, 4, DEFAULT_NOT_AFTER);
    if (key == NULL || key->public_only)
        return errors_push_fail(L, GD_ERR_INVALID_PARAMETER,
                                "key must hold a private key (it is %s): use "
                                "Crypto.generate_rsa() or CryptoKey.from_file()",
                                key == NULL ? "empty" : "public only");
    if (!date_is_valid(not_before) || !date_is_valid(not_after))
        return errors_push_fail(L, GD_ERR_INVALID_PARAMETER,
                                "dates must be YYYYMMDDhhmmss (got '%s' and '%s')",
                                not_before, not_after);
    if (strcmp(not_before, not_after) > 0)
        return errors_push_fail(L, GD_ERR_INVALID_PARAMETER,
                                "not_after (%s) is before not_before (%s)",
                                not_after, not_before);
    shared_box *cert = x509_push_new(L);
    x509_chain *chain;
    char message[256];
    int code = self_signed_build(key, issuer, not_before, not_after, &chain, message,
                                 sizeof message);
    if (code != GD_OK)
        return errors_push_fail(L, code, "%s", message);
    shared_box_set(cert, chain);
    return 1;
}

static const luaL_Reg crypto_functions[] = {
    { "generate_rsa", crypto_generate_rsa },
    { "generate_self_signed_certificate", crypto_generate_self_signed_certificate },
    { NULL, NULL },
};

void crypto_open(lua_State *L)
{
    lua_newtable(L);
    luaL_setfuncs(L, crypto_functions, 0);
    lua_setfield(L, -2, "Crypto");
}
