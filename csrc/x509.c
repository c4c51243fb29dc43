/*
 * x509.c - certificate chains: parsed from PEM or DER, shared (see x509.h).
 * The X509Certificate class is in x509_lua.c.
 */
#include "x509.h"

#include <stdio.h>
#include <string.h>

#include <mbedtls/error.h>

#include "godot_error.h"
#include "pem_file.h"

#include "visibility.h" /* last: hides what this file defines */

static void chain_free_contents(void *chain)
{
    mbedtls_x509_crt_free(&((x509_chain *)chain)->crt);
}

x509_chain *x509_chain_new(void)
{
    x509_chain *chain = shared_value_new(sizeof *chain, chain_free_contents);
    if (chain != NULL)
        mbedtls_x509_crt_init(&chain->crt);
    return chain;
}

int x509_chain_parse(const unsigned char *data, size_t length, int bad_code,
                     const char *source, x509_chain **out, char *message,
                     size_t message_size)
{
    x509_chain *chain = x509_chain_new();
    if (chain == NULL) {
        snprintf(message, message_size, "out of memory parsing %s", source);
        return GD_ERR_OUT_OF_MEMORY;
    }
    int ret = memchr(data, '\0', length) == NULL
                  ? mbedtls_x509_crt_parse(&chain->crt, data, length + 1)
                  : mbedtls_x509_crt_parse_der(&chain->crt, data, length);
    if (ret != 0) {
        shared_value_release(chain);
        if (ret > 0) {
            snprintf(message, message_size,
                     "cannot parse %d of the certificates in %s", ret, source);
        } else {
            char reason[128];
            mbedtls_strerror(ret, reason, sizeof reason);
            snprintf(message, message_size, "cannot parse the certificate in %s: %s",
                     source, reason);
        }
        return ret == MBEDTLS_ERR_X509_ALLOC_FAILED ? GD_ERR_OUT_OF_MEMORY : bad_code;
    }
    *out = chain;
    return GD_OK;
}

/* pem_file_parse's parser for a chain; context: where the chain goes. */
static int parse_chain_file(const unsigned char *data, size_t length, const char *source,
                            void *context, char *message, size_t message_size)
{
    return x509_chain_parse(data, length, GD_ERR_FILE_CORRUPT, source, context, message,
                            message_size);
}

int x509_chain_read_file(const char *path, x509_chain **out, char *message,
                         size_t message_size)
{
    *out = NULL;
    return pem_file_parse(path, parse_chain_file, out, message, message_size);
}

