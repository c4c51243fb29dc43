/*
 * tls_options.c - the C view of a TLSOptions (see tls_options.h).
 */
#include "tls_options.h"

#include <stdlib.h>
#include <string.h>

#include "shared_value.h"

#include "visibility.h" /* last: hides what this file defines */

struct tls_options {
    shared_value shared;
    enum tls_options_kind kind;
    x509_chain *trusted;          /* clients; NULL: system CAs */
    char *common_name_override;   /* client; NULL: none */
    crypto_key_value *key;        /* server */
    x509_chain *certificate;      /* server */
};

static void options_free_contents(void *value)
{
    tls_options *options = value;
    shared_value_release(options->trusted);
    free(options->common_name_override);
    shared_value_release(options->key);
    shared_value_release(options->certificate);
}

static tls_options *options_new(enum tls_options_kind kind)
{
    tls_options *options = shared_value_new(sizeof *options, options_free_contents);
    if (options != NULL)
        options->kind = kind;
    return options;
}

tls_options *tls_options_new_client(enum tls_options_kind kind, x509_chain *trusted,
                                    const char *common_name_override)
{
    tls_options *options = options_new(kind);
    if (options == NULL)
        return NULL;
    if (common_name_override != NULL &&
        (options->common_name_override = strdup(common_name_override)) == NULL) {
        shared_value_release(options);
        return NULL;
    }
    if (trusted != NULL)
        options->trusted = shared_value_retain(trusted);
    return options;
}

tls_options *tls_options_new_server(crypto_key_value *key, x509_chain *certificate)
{
    tls_options *options = options_new(TLS_OPTIONS_SERVER);
    if (options != NULL) {
        options->key = shared_value_retain(key);
        options->certificate = shared_value_retain(certificate);
    }
    return options;
}

enum tls_options_kind tls_options_kind(const tls_options *options)
{
    return options->kind;
}

const char *tls_options_common_name_override(const tls_options *options)
{
    return options->common_name_override;
}

x509_chain *tls_options_trusted(const tls_options *options)
{
    return options->trusted;
}

crypto_key_value *tls_options_key(const tls_options *options)
{
    return options->key;
}

x509_chain *tls_options_certificate(const tls_options *options)
{
    return options->certificate;
}

mbedtls_x509_crt *tls_options_trusted_chain(const tls_options *options)
{
    return options->trusted != NULL ? &options->trusted->crt : NULL;
}

mbedtls_pk_context *tls_options_private_key(const tls_options *options)
{
    return options->key != NULL ? &options->key->pk : NULL;
}

mbedtls_x509_crt *tls_options_own_certificate(const tls_options *options)
{
    return options->certificate != NULL ? &options->certificate->crt : NULL;
}
