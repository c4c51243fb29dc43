/*
 * crypto_key.c - key values: parsed from PEM or DER, shared (see
 * crypto_key.h). The CryptoKey class is in crypto_key_lua.c.
 */
#include "crypto_key.h"

#include <stdio.h>
#include <string.h>

#include <mbedtls/error.h>

#include "godot_error.h"
#include "mbedtls_compat.h"
#include "pem_file.h"

#include "visibility.h" /* last: hides what this file defines */

static void key_value_free_contents(void *value)
{
    mbedtls_pk_free(&((crypto_key_value *)value)->pk); /* zeroes the key material */
}

crypto_key_value *crypto_key_value_new(int public_only)
{
    crypto_key_value *value = shared_value_new(sizeof *value, key_value_free_contents);
    if (value == NULL)
        return NULL;
    value->public_only = public_only;
    mbedtls_pk_init(&value->pk);
    return value;
}

int crypto_key_value_parse(const unsigned char *data, size_t length, int public_only,
                           int bad_code, const char *source, crypto_key_value **out,
                           char *message, size_t message_size)
{
    crypto_key_value *value = crypto_key_value_new(public_only);
    if (value == NULL) {
        snprintf(message, message_size, "out of memory parsing %s", source);
        return GD_ERR_OUT_OF_MEMORY;
    }
    size_t size = memchr(data, '\0', length) == NULL ? length + 1 : length;
    int ret = public_only
                  ? mbedtls_pk_parse_public_key(&value->pk, data, size)
                  : mbed_pk_parse_private_key(&value->pk, data, size);
    if (ret != 0) {
        shared_value_release(value);
        char reason[128];
        mbedtls_strerror(ret, reason, sizeof reason);
        snprintf(message, message_size, "cannot parse the %s key in %s: %s",
                 public_only ? "public" : "private", source, reason);
        return bad_code;
    }
    *out = value;
    return GD_OK;
}

/* pem_file_parse's parser for a key; context: the public_only flag. */
struct key_file {
    int public_only;
    crypto_key_value *value;
};

static int parse_key_file(const unsigned char *data, size_t length, const char *source,
                          void *context, char *message, size_t message_size)
{
    struct key_file *file = context;
    return crypto_key_value_parse(data, length, file->public_only, GD_ERR_FILE_CORRUPT,
                                  source, &file->value, message, message_size);
}

int crypto_key_value_read_file(const char *path, int public_only, crypto_key_value **out,
                               char *message, size_t message_size)
{
    struct key_file file = { public_only, NULL };
    int code = pem_file_parse(path, parse_key_file, &file, message, message_size);
    *out = file.value;
    return code;
}

