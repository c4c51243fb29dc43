/*
 * crypto_key.h - the CryptoKey class (Godot's CryptoKey) and the key value
 * it holds.
 *
 * A key value is a shared value (shared_value.h): a CryptoKey object, a
 * TLSOptions and a DTLS session may all hold the same one. load() and
 * load_from_string() build a new value and swap it in.
 */
#ifndef ENETCONNECTION_CRYPTO_KEY_H
#define ENETCONNECTION_CRYPTO_KEY_H

#include <mbedtls/pk.h>

#include "shared_box_lua.h"
#include "shared_value.h"

#define CRYPTO_KEY_METATABLE "enetconnection.CryptoKey"

typedef struct crypto_key_value {
    shared_value shared;
    int public_only;         /* 1: pk holds a public key only */
    mbedtls_pk_context pk;
} crypto_key_value;

/* A new value (one reference) with an empty pk context, or NULL (no
 * memory). The last release zeroes the key. */
crypto_key_value *crypto_key_value_new(int public_only);

/* Pushes a new empty CryptoKey (a shared_box whose value is a
 * crypto_key_value). May raise (memory): call it before taking C
 * resources, then hand it a value with shared_box_set. */
shared_box *crypto_key_push_new(lua_State *L);

/* The CryptoKey at `arg`, or a Lua error naming the argument. */
shared_box *crypto_key_check(lua_State *L, int arg);

/* Registers the class as module.CryptoKey (module table on top). */
void crypto_key_open(lua_State *L);

#endif
